//! The Users & PCs screen driven like an administrator would: adding a user (the engine's
//! password policy at the field, then the user in the vault with the chosen role and scope, and
//! in the log), unlocking an account locked by wrong passwords at the log-in screen,
//! registering the PC the kiosk runs on, and a clerk refused.
//!
//! The testing backend can be set up once per process, so this file holds one `#[test]`.

mod common;

use common::*;
use kinko_kiosk::app::App;
use kinko_kiosk::{AdminApi, Screen, demo};
use kinko_vault::{AuditQuery, Outcome, PcIdentity, Permission, UserInfo, UserRole};
use slint::{ComponentHandle, Model};

#[test]
fn users_and_pcs_administration() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    add_a_user_weak_password_first();
    unlock_a_locked_account();
    register_this_pc();
    reset_disable_and_remove();
    a_clerk_is_refused();
}

fn admin(app: &App) -> AdminApi<'_> {
    app.ui().global::<AdminApi>()
}

fn user(app: &App, login: &str) -> Option<UserInfo> {
    app.with_session(|s| s.unwrap().users().unwrap())
        .into_iter()
        .find(|u| u.login == login)
}

/// Opens Users & PCs. The window is made tall: the testing backend only finds controls in
/// view, and the user form is longer than 768 pixels (people scroll it).
fn open_admin(app: &App) {
    app.ui()
        .window()
        .set_size(slint::PhysicalSize::new(1366, 2400));
    press(app, "利用者・PC");
    assert_eq!(screen(app), Screen::Users);
    assert!(admin(app).get_allowed(), "{}", admin(app).get_denied());
}

fn add_a_user_weak_password_first() {
    let k = demo_kiosk(5);
    let app = &k.app;
    log_in(app, demo::ADMIN, demo::PASSWORD);
    open_admin(app);
    let listed: Vec<String> = admin(app)
        .get_users()
        .iter()
        .map(|r| r.login.to_string())
        .collect();
    assert!(listed.contains(&demo::CLERK.to_owned()), "{listed:?}");

    press(app, "新しい利用者を追加");
    assert!(admin(app).get_adding());
    type_into(app, "ユーザー名", "suzuki");
    // The role is a combo box; its index is what the user's pick sets.
    let auditor = UserRole::ALL
        .iter()
        .position(|r| *r == UserRole::Auditor)
        .unwrap();
    admin(app).set_role_index(auditor as i32);
    admin(app).invoke_role_changed();
    // What the role gives is shown as given; an extra permission can be added.
    let grants = admin(app).get_grants();
    let given = |label: &str| grants.iter().find(|g| g.label == label).unwrap().fixed;
    assert!(given("操作履歴の閲覧") && !given("承認"));
    press(app, "承認");
    press(app, "総務部の社員とその家族");
    press(app, "支払先");
    type_into(app, "初期パスワード", "short");
    type_into(app, "初期パスワード（確認）", "short");
    press(app, "追加する");
    let error = admin(app).get_password_error();
    assert!(error.contains("10文字以上"), "{error}");
    assert!(user(app, "suzuki").is_none(), "nothing saved");

    // Two different passwords are caught before the engine is asked.
    type_into(app, "初期パスワード", "haru-no-umi-2026");
    type_into(app, "初期パスワード（確認）", "haru-no-umi-2027");
    press(app, "追加する");
    assert!(admin(app).get_password_error().contains("一致しません"));
    assert!(user(app, "suzuki").is_none());

    type_into(app, "初期パスワード（確認）", "haru-no-umi-2026");
    press(app, "追加する");
    assert_eq!(admin(app).get_password_error(), "");
    assert_eq!(admin(app).get_form_error(), "");
    let added = user(app, "suzuki").expect("the user is in the vault");
    assert_eq!(added.role, UserRole::Auditor);
    let soumu = app.with_session(|s| s.unwrap().department_id("総務部").unwrap());
    assert_eq!(added.scope.departments, vec![soumu]);
    assert!(added.scope.payees && !added.scope.all);
    assert!(added.must_change_password);
    assert_eq!(added.grants, vec![Permission::Approve]);
    assert_eq!(admin(app).get_password(), "", "the password is not kept");
    assert!(admin(app).get_notice().contains("suzuki"));
    // The new user is listed and selected.
    let row = usize::try_from(admin(app).get_selected()).unwrap();
    assert_eq!(
        admin(app).get_users().row_data(row).unwrap().login,
        "suzuki"
    );

    // The log has the addition, naming the new user.
    let log = app.with_session(|s| s.unwrap().audit_list(&AuditQuery::default()).unwrap());
    assert!(
        log.iter().any(|e| e.action == "user.add"
            && e.outcome == Outcome::Ok
            && e.target_id == Some(added.id.0)),
        "user.add logged"
    );
    assert!(
        log.iter()
            .any(|e| e.action == "user.add" && e.outcome != Outcome::Ok),
        "the refused attempt is logged too"
    );

    // Changing the role of the selected user.
    admin(app).set_role_index(
        UserRole::ALL
            .iter()
            .position(|r| *r == UserRole::Clerk)
            .unwrap() as i32,
    );
    press(app, "変更を保存");
    assert_eq!(user(app, "suzuki").unwrap().role, UserRole::Clerk);

    // Locking forgets the lists; unlocking asks the engine again.
    press(app, "ロック");
    assert_eq!(screen(app), Screen::Locked);
    assert_eq!(
        admin(app).get_users().row_count(),
        0,
        "nothing kept while locked"
    );
    assert_eq!(admin(app).get_selected(), -1);
    type_into(app, "パスワード", demo::PASSWORD);
    press(app, "ロック解除");
    assert_eq!(screen(app), Screen::Users);
    assert_eq!(admin(app).get_users().row_count(), 6);
}

fn unlock_a_locked_account() {
    let k = demo_kiosk(5);
    let app = &k.app;
    // Five wrong passwords at the log-in screen lock the account.
    for _ in 0..5 {
        log_in(app, demo::MANAGER, "wrong-password-1");
    }
    log_in(app, demo::MANAGER, demo::PASSWORD);
    assert_eq!(screen(app), Screen::Login);
    assert!(kiosk(app).get_login_error().contains("ロックされています"));

    log_in(app, demo::ADMIN, demo::PASSWORD);
    open_admin(app);
    press(app, demo::MANAGER);
    assert!(admin(app).get_selected_locked());
    assert!(
        admin(app).get_account_status().contains("ロック中"),
        "{}",
        admin(app).get_account_status()
    );
    press(app, "ロックを解除");
    assert!(!admin(app).get_selected_locked());
    assert_eq!(user(app, demo::MANAGER).unwrap().locked_until, None);
    press(app, "ログアウト");

    log_in(app, demo::MANAGER, demo::PASSWORD);
    assert_eq!(
        screen(app),
        Screen::Home,
        "{}",
        kiosk(app).get_login_error()
    );
}

fn register_this_pc() {
    let k = demo_kiosk(5);
    // The same vault, on a PC it does not know yet.
    let mut cfg = config(k.dir.clone(), k.clock.clone());
    cfg.pc = PcIdentity::from_override("kiosk-test-new-pc");
    let app = &App::new(cfg).unwrap();
    log_in(app, demo::ADMIN, demo::PASSWORD);
    assert_eq!(kiosk(app).get_pc_name(), "未登録のPC");
    let unregistered = |app: &App| {
        kiosk(app)
            .get_warnings()
            .iter()
            .any(|w| w.contains("このPCは登録されていません"))
    };
    assert!(unregistered(app));

    open_admin(app);
    press(app, "PC");
    assert_eq!(admin(app).get_tab(), 1);
    assert_eq!(admin(app).get_this_pc_name(), "");
    // A name is needed.
    press(app, "このPCを登録");
    assert_ne!(admin(app).get_pc_error(), "");
    // The demo's PC name is taken.
    type_into(app, "PCの名前", demo::PC_NAME);
    press(app, "このPCを登録");
    assert!(admin(app).get_pc_error().contains("すでに登録"));

    type_into(app, "PCの名前", "受付カウンターPC");
    press(app, "このPCを登録");
    assert_eq!(admin(app).get_pc_error(), "");
    assert_eq!(admin(app).get_this_pc_name(), "受付カウンターPC");
    assert_eq!(kiosk(app).get_pc_name(), "受付カウンターPC");
    let pcs = app.with_session(|s| s.unwrap().pcs().unwrap());
    assert!(pcs.iter().any(|p| p.name == "受付カウンターPC"));
    assert!(
        admin(app)
            .get_pcs()
            .iter()
            .any(|p| p.this_pc && p.name == "受付カウンターPC")
    );

    press(app, "ホーム");
    assert_eq!(screen(app), Screen::Home);
    assert!(!unregistered(app), "the home warning is gone");
}

fn reset_disable_and_remove() {
    let k = demo_kiosk(5);
    let app = &k.app;
    log_in(app, demo::ADMIN, demo::PASSWORD);
    open_admin(app);

    // The last administrator cannot be disabled: the engine's words, nothing changed.
    press(app, demo::ADMIN);
    press(app, "無効にする");
    assert_eq!(
        admin(app).get_form_error(),
        "最後の管理者は削除・無効化できません"
    );
    assert!(!user(app, demo::ADMIN).unwrap().disabled);

    // A password reset: the policy at the field, then the user must change it.
    press(app, demo::CLERK);
    type_into(app, "新しいパスワード", "tanto-2026-x");
    type_into(app, "新しいパスワード（確認）", "tanto-2026-x");
    press(app, "パスワードを再設定");
    assert!(admin(app).get_reset_error().contains("ユーザー名"));
    assert!(!user(app, demo::CLERK).unwrap().must_change_password);
    type_into(app, "新しいパスワード", "aki-no-sora-2026");
    type_into(app, "新しいパスワード（確認）", "aki-no-sora-2026");
    press(app, "パスワードを再設定");
    assert_eq!(admin(app).get_reset_error(), "");
    assert!(user(app, demo::CLERK).unwrap().must_change_password);
    assert_eq!(
        admin(app).get_reset_password(),
        "",
        "the password is not kept"
    );

    // Disabled, then enabled again.
    press(app, "無効にする");
    assert!(user(app, demo::CLERK).unwrap().disabled);
    assert!(admin(app).get_selected_disabled());
    press(app, "有効にする");
    assert!(!user(app, demo::CLERK).unwrap().disabled);

    // Removed, after the confirmation; the old password no longer opens anything.
    press(app, "利用者を削除…");
    press(app, "削除する");
    assert!(user(app, demo::CLERK).unwrap().removed);
    assert!(
        admin(app)
            .get_users()
            .iter()
            .all(|r| r.login != demo::CLERK)
    );
    press(app, "ログアウト");
    log_in(app, demo::CLERK, "aki-no-sora-2026");
    assert_eq!(screen(app), Screen::Login);
}

fn a_clerk_is_refused() {
    let k = demo_kiosk(5);
    let app = &k.app;
    log_in(app, demo::CLERK, demo::PASSWORD);
    press(app, "利用者・PC");
    assert_eq!(screen(app), Screen::Users);
    assert!(!admin(app).get_allowed());
    assert_eq!(admin(app).get_denied(), "この操作の権限がありません");
    assert!(shows_text(app, "この操作の権限がありません"));
    assert_eq!(admin(app).get_users().row_count(), 0);
    assert!(elements(app, "新しい利用者を追加").is_empty());
    drop(k);
}
