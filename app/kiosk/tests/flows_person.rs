//! The person screens driven like a user would: register with field errors (nothing saved
//! until right), open, reveal (logged, masked again after 30 s and on lock), family members,
//! duplicates, a user without the reveal permission, and a clerk outside a department.
//!
//! The testing backend can be set up once per process, so this file holds one `#[test]`.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use i_slint_backend_testing::mock_elapsed_time;
use kinko_domain::people::{PersonId, PersonKind, Role};
use kinko_kiosk::app::App;
use kinko_kiosk::{PersonApi, Screen, demo};
use kinko_vault::{
    AuditQuery, ManualClock, NewUser, Outcome, PcIdentity, Permission, Scope, Session, UserRole,
    Vault,
};
use slint::{ComponentHandle, Model};

#[test]
fn register_reveal_family_and_scope() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    set_up_register_reveal_and_lock();
    family_duplicate_and_edit();
    no_reveal_permission();
    clerk_outside_a_department();
}

const ADMIN_PASSWORD: &str = "kinko-test-pass-1";

/// The kiosk's smallest supported screen, so that what a user sees without scrolling is what
/// the test can reach.
fn sized(app: &App) {
    app.ui()
        .window()
        .set_size(slint::PhysicalSize::new(1366, 768));
}

fn api(app: &App) -> PersonApi<'_> {
    app.ui().global::<PersonApi>()
}

/// A session of the engine beside the kiosk's, to see what it stored and logged.
fn engine(dir: &Path, clock: &Arc<ManualClock>, login: &str, password: &str) -> Session {
    Vault::open(dir)
        .unwrap()
        .login_with(
            login,
            password.as_bytes(),
            &PcIdentity::from_override(TEST_PC),
            clock.clone(),
        )
        .unwrap()
}

fn people_count(s: &mut Session) -> usize {
    s.list(&Default::default()).unwrap().len()
}

/// Entries of `action` for `target`, newest first.
fn log_of(s: &mut Session, action: &str, target: PersonId) -> Vec<kinko_vault::AuditEntry> {
    s.audit_list(&AuditQuery {
        action: Some(action.into()),
        ..AuditQuery::default()
    })
    .unwrap()
    .into_iter()
    .filter(|e| e.target_id == Some(target.0))
    .collect()
}

/// Opens a person from the people list: search, then click their row.
fn open_from_list(app: &App, search: &str, name: &str) {
    press(app, "従業員等");
    type_into(app, "検索", search);
    mock_elapsed_time(Duration::from_millis(300));
    press(app, name);
    assert_eq!(screen(app), Screen::Person, "{name} opened");
}

fn full_width(digits: &str) -> String {
    digits
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
        .collect()
}

fn set_up_register_reveal_and_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let clock = clock();
    let dir = tmp.path().join("vault");
    let app = App::new(config(dir.clone(), clock.clone())).unwrap();
    sized(&app);

    // Set-up, then log-in as the administrator.
    type_into(&app, "会社名", "株式会社テスト商事");
    type_into(&app, "管理者のユーザー名", "kanri");
    type_into(&app, "パスワード", ADMIN_PASSWORD);
    type_into(&app, "パスワード（確認）", ADMIN_PASSWORD);
    press(&app, "金庫を作成");
    press(&app, "書き写して保管しました");
    press(&app, "ログイン画面へ");
    log_in(&app, "kanri", ADMIN_PASSWORD);
    assert_eq!(screen(&app), Screen::Home);

    press(&app, "従業員等");
    press(&app, "＋ 社員を登録");
    assert_eq!(screen(&app), Screen::PersonEdit);
    let good = kinko_vault::demo::sample_my_number(424_242);
    let digits = good.expose_digits().to_owned();
    let last = digits.as_bytes()[11] - b'0';
    let wrong_check = format!("{}{}", &digits[..11], (last + 1) % 10);

    // A wrong check digit, a bad date, a missing name: each explained at its field.
    type_into(&app, "コード", "0101");
    type_into(&app, "氏名", "");
    type_into(&app, "フリガナ", "やまだ いちろう");
    type_into(&app, "生年月日", "2026-02-30");
    type_into(&app, "入社日", "R8.4.1");
    type_into(&app, "番号", &wrong_check);
    press(&app, "保存");
    assert_eq!(screen(&app), Screen::PersonEdit);
    let g = api(&app);
    assert_eq!(
        g.get_number_error(),
        "個人番号の検査用数字が一致しません。入力を確認してください"
    );
    assert_eq!(g.get_name_error(), "氏名が入力されていません");
    assert!(
        g.get_birth_error().contains("2月30日という日はありません"),
        "{}",
        g.get_birth_error()
    );
    assert_eq!(g.get_kana_error(), "");
    assert_eq!(g.get_hire_error(), "", "和暦 R8.4.1 is accepted");
    assert_eq!(g.get_code_error(), "");
    let mut admin = engine(&dir, &clock, "kanri", ADMIN_PASSWORD);
    assert_eq!(people_count(&mut admin), 0, "nothing saved");

    // A wrong length, and a retirement before the hiring.
    type_into(&app, "氏名", "山田　一郎");
    type_into(&app, "生年月日", "平成2年4月1日");
    type_into(&app, "退職日", "2026/3/31");
    type_into(&app, "番号", &digits[..11]);
    press(&app, "保存");
    assert_eq!(
        api(&app).get_number_error(),
        "個人番号は12桁です（入力は11桁）"
    );
    assert_eq!(api(&app).get_name_error(), "");
    assert_eq!(api(&app).get_birth_error(), "");
    assert!(api(&app).get_retire_error().contains("入社日より前"));
    assert_eq!(people_count(&mut admin), 0, "still nothing saved");

    // Corrected (full-width digits and hyphens are fine): saved, and the person is shown.
    type_into(&app, "退職日", "");
    let typed = format!(
        "{}-{}-{}",
        full_width(&digits[..4]),
        &digits[4..8],
        &digits[8..]
    );
    type_into(&app, "番号", &typed);
    press(&app, "保存");
    assert_eq!(screen(&app), Screen::Person);
    assert_eq!(api(&app).get_edit_number(), "", "the typed number is gone");
    let id = admin
        .find_by_code(PersonKind::Employee, "0101")
        .unwrap()
        .expect("saved");
    let stored = admin.person(id).unwrap();
    assert_eq!(stored.person.details.name, "山田　一郎");
    assert_eq!(stored.person.details.kana, "ヤマダ　イチロウ");
    assert_eq!(
        stored.person.details.birth_date,
        chrono::NaiveDate::from_ymd_opt(1990, 4, 1)
    );
    match &stored.person.role {
        Role::Employee { hire_date, .. } => {
            assert_eq!(*hire_date, chrono::NaiveDate::from_ymd_opt(2026, 4, 1))
        }
        other => panic!("{other:?}"),
    }
    let revealed = admin.reveal_number(id).unwrap().unwrap();
    assert_eq!(revealed.expose_digits(), digits);
    let masked = format!("**** **** {}", &digits[8..]);
    assert_eq!(api(&app).get_name(), "山田　一郎");
    assert_eq!(api(&app).get_number(), masked.as_str());

    // Reveal: the engine logs it, the number shows in full, then hides itself after 30 s.
    press(&app, "番号を表示");
    let shown = format!("{} {} {}", &digits[..4], &digits[4..8], &digits[8..]);
    assert_eq!(api(&app).get_number(), shown.as_str());
    assert!(api(&app).get_revealed());
    let reveals = log_of(&mut admin, "number.reveal", id);
    let by_kiosk: Vec<_> = reveals
        .iter()
        .filter(|e| e.outcome == Outcome::Ok && e.actor.session != Some(admin.id()))
        .collect();
    assert_eq!(by_kiosk.len(), 1, "one reveal by the kiosk: {reveals:?}");
    mock_elapsed_time(Duration::from_secs(29));
    assert_eq!(
        api(&app).get_number(),
        shown.as_str(),
        "still shown at 29 s"
    );
    mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(api(&app).get_number(), masked.as_str(), "masked at 31 s");
    assert!(!api(&app).get_revealed());

    // Revealed again, then the session idles out: the number leaves the screen with the lock.
    press(&app, "番号を表示");
    assert_eq!(api(&app).get_number(), shown.as_str());
    clock.advance(Duration::from_secs(11 * 60));
    mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(screen(&app), Screen::Locked);
    assert_eq!(api(&app).get_number(), "");
    assert_eq!(api(&app).get_name(), "");
    assert!(!api(&app).get_revealed());

    // Unlocked: the person again, from the engine, masked.
    type_into(&app, "パスワード", ADMIN_PASSWORD);
    press(&app, "ロック解除");
    assert_eq!(screen(&app), Screen::Person);
    assert_eq!(api(&app).get_name(), "山田　一郎");
    assert_eq!(api(&app).get_number(), masked.as_str());
    assert!(!api(&app).get_revealed());

    // Logged out and in again: opened from the list, still masked.
    press(&app, "ログアウト");
    log_in(&app, "kanri", ADMIN_PASSWORD);
    open_from_list(&app, "0101", "山田　一郎");
    assert_eq!(api(&app).get_number(), masked.as_str());
    // Leaving the screen while revealed hides the number too.
    press(&app, "番号を表示");
    press(&app, "← 一覧へ戻る");
    assert_eq!(screen(&app), Screen::People);
    assert_eq!(api(&app).get_number(), "");
    press(&app, "ログアウト");
}

fn family_duplicate_and_edit() {
    let k = demo_kiosk(20);
    let app = &k.app;
    sized(app);
    let mut admin = engine(&k.dir, &k.clock, demo::ADMIN, demo::PASSWORD);
    let everyone = admin.list(&Default::default()).unwrap();
    let employee = everyone
        .iter()
        .find(|p| p.kind == PersonKind::Employee && p.code.as_deref() == Some("0002"))
        .unwrap()
        .clone();
    // Someone else's number, to be refused as a duplicate.
    let other = everyone
        .iter()
        .find(|p| p.has_number && p.id != employee.id)
        .unwrap()
        .id;
    let taken = admin.reveal_number(other).unwrap().unwrap();
    let family_before = admin.family_of(employee.id).unwrap().len();

    log_in(app, demo::CLERK, demo::PASSWORD);
    open_from_list(app, "0002", &employee.name);
    press(app, "家族を追加");
    assert_eq!(screen(app), Screen::PersonEdit);
    assert_eq!(api(app).get_form_kind(), 1);
    assert_eq!(api(app).get_form_employee(), employee.name.as_str());
    type_into(app, "氏名", "試験　花子");
    type_into(app, "フリガナ", "ｼｹﾝ ﾊﾅｺ");
    type_into(app, "続柄", "長女");
    type_into(app, "生年月日", "R2.5.1");
    type_into(app, "番号", taken.expose_digits());
    press(app, "保存");
    assert_eq!(screen(app), Screen::PersonEdit);
    assert_eq!(
        api(app).get_number_error(),
        "この個人番号はすでに別の人に登録されています"
    );
    assert_eq!(
        admin.family_of(employee.id).unwrap().len(),
        family_before,
        "nothing saved"
    );

    let fresh = kinko_vault::demo::sample_my_number(987_654);
    type_into(app, "番号", fresh.expose_digits());
    press(app, "保存");
    assert_eq!(screen(app), Screen::Person);
    assert_eq!(api(app).get_name(), "試験　花子");
    assert_eq!(api(app).get_employee_name(), employee.name.as_str());
    let family = admin.family_of(employee.id).unwrap();
    assert_eq!(family.len(), family_before + 1);
    let member = family.last().unwrap();
    assert_eq!(member.person.details.kana, "シケン　ハナコ");
    match &member.person.role {
        Role::Family {
            employee: e,
            relation,
            ..
        } => {
            assert_eq!(*e, employee.id);
            assert_eq!(relation, "長女");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        admin
            .reveal_number(member.id)
            .unwrap()
            .unwrap()
            .expose_digits(),
        fresh.expose_digits()
    );

    // From the member to the employee, and back through the family list.
    press(app, "社員を開く");
    assert_eq!(api(app).get_name(), employee.name.as_str());
    let names: Vec<_> = api(app).get_family().iter().map(|f| f.name).collect();
    assert!(names.iter().any(|n| n == "試験　花子"), "{names:?}");
    press(app, "試験　花子を開く");
    assert_eq!(api(app).get_name(), "試験　花子");

    // A correction writes only what changed; an unchanged form writes nothing.
    press(app, "修正");
    assert_eq!(api(app).get_edit_relation(), "長女");
    assert_eq!(api(app).get_edit_number(), "");
    type_into(app, "住所", "東京都千代田区千代田1-1");
    press(app, "保存");
    assert_eq!(screen(app), Screen::Person);
    let member_now = admin.person(member.id).unwrap();
    assert_eq!(
        member_now.person.details.address.as_deref(),
        Some("東京都千代田区千代田1-1")
    );
    assert_eq!(log_of(&mut admin, "person.update", member.id).len(), 1);
    assert!(log_of(&mut admin, "number.set", member.id).is_empty());
    press(app, "修正");
    press(app, "保存");
    assert_eq!(screen(app), Screen::Person);
    assert_eq!(log_of(&mut admin, "person.update", member.id).len(), 1);

    // The collection status, changed through the engine.
    api(app).invoke_set_collection(3);
    assert_eq!(api(app).get_collection_error(), "");
    assert_eq!(
        admin.person(member.id).unwrap().person.collection,
        kinko_domain::people::CollectionStatus::Verified
    );

    payee_registration(app, &mut admin);
    keyboard_opens_a_row(app, &mut admin);
    press(app, "ログアウト");
}

fn payee_registration(app: &App, admin: &mut Session) {
    press(app, "従業員等");
    press(app, "＋ 支払先を登録");
    assert_eq!(api(app).get_form_kind(), 2);
    type_into(app, "コード", "P900");
    // 法人 in the 区分 choice (the combo box is bound to this property).
    api(app).set_edit_payee_kind(1);
    type_into(app, "氏名", "株式会社テスト設計");
    type_into(app, "フリガナ", "てすとせっけい");
    let personal = kinko_vault::demo::sample_my_number(31_337);
    type_into(app, "番号", personal.expose_digits());
    press(app, "保存");
    assert_eq!(
        api(app).get_number_error(),
        "法人番号は13桁です（入力は12桁）"
    );
    assert_eq!(admin.find_by_code(PersonKind::Payee, "P900").unwrap(), None);
    let corporate = kinko_vault::demo::sample_corporate_number(31_337);
    type_into(app, "番号", corporate.expose_digits());
    press(app, "保存");
    assert_eq!(screen(app), Screen::Person);
    let id = admin
        .find_by_code(PersonKind::Payee, "P900")
        .unwrap()
        .expect("saved");
    match admin.reveal_number(id).unwrap().unwrap() {
        kinko_vault::PersonNumber::Corporate(n) => {
            assert_eq!(n.expose_digits(), corporate.expose_digits())
        }
        other => panic!("{}", other.masked()),
    }
}

fn key(app: &App, k: slint::platform::Key) {
    let text: slint::SharedString = k.into();
    let window = app.ui().window();
    window.dispatch_event(slint::platform::WindowEvent::KeyPressed { text: text.clone() });
    window.dispatch_event(slint::platform::WindowEvent::KeyReleased { text });
}

/// Search, Enter, arrow down, Enter: the person opens without the mouse.
fn keyboard_opens_a_row(app: &App, admin: &mut Session) {
    let id = admin
        .find_by_code(PersonKind::Employee, "0003")
        .unwrap()
        .unwrap();
    let name = admin.person(id).unwrap().person.details.name;
    press(app, "従業員等");
    type_into(app, "検索", "0003");
    key(app, slint::platform::Key::Return);
    key(app, slint::platform::Key::DownArrow);
    key(app, slint::platform::Key::Return);
    assert_eq!(screen(app), Screen::Person);
    assert_eq!(api(app).get_name(), name.as_str());
}

/// Adds a user through the engine and gives them the demo password.
fn add_user(k: &DemoKiosk, login: &str, role: UserRole, grants: Vec<Permission>, scope: Scope) {
    let mut admin = engine(&k.dir, &k.clock, demo::ADMIN, demo::PASSWORD);
    let soumu = admin.department_id("総務部").unwrap();
    admin
        .add_user(
            NewUser {
                login: login.into(),
                role,
                department: Some(soumu),
                grants,
                scope,
                pcs: Vec::new(),
                groups: Vec::new(),
            },
            b"initial-pass-2026",
        )
        .unwrap();
    let mut s = engine(&k.dir, &k.clock, login, "initial-pass-2026");
    s.change_password(b"initial-pass-2026", demo::PASSWORD.as_bytes())
        .unwrap();
    s.logout().unwrap();
}

fn no_reveal_permission() {
    let k = demo_kiosk(10);
    let app = &k.app;
    sized(app);
    // An auditor who may also read one person's details, but never reveal a number.
    add_user(
        &k,
        "etsuran",
        UserRole::Auditor,
        vec![Permission::ViewPerson],
        Scope::everyone(),
    );
    let mut admin = engine(&k.dir, &k.clock, demo::ADMIN, demo::PASSWORD);
    let with_number = admin
        .list(&Default::default())
        .unwrap()
        .into_iter()
        .find(|p| p.kind == PersonKind::Employee && p.has_number)
        .unwrap();
    let digits = admin
        .reveal_number(with_number.id)
        .unwrap()
        .unwrap()
        .expose_digits()
        .to_owned();

    log_in(app, "etsuran", demo::PASSWORD);
    open_from_list(app, with_number.code.as_deref().unwrap(), &with_number.name);
    let masked = format!("**** **** {}", &digits[8..]);
    assert_eq!(api(app).get_number(), masked.as_str());
    assert_eq!(element(app, "番号を表示").accessible_enabled(), Some(false));
    assert!(
        elements(app, "修正").is_empty(),
        "no edit without the permission"
    );
    // Even if the request is made, the engine refuses it and the number stays masked.
    api(app).invoke_reveal();
    assert_eq!(api(app).get_reveal_error(), "この操作の権限がありません");
    assert_eq!(api(app).get_number(), masked.as_str());
    assert!(!api(app).get_revealed());
    // No update permission either: the status cannot be changed, and stays as it was.
    let before = api(app).get_collection_index();
    api(app).invoke_set_collection((before + 1) % 5);
    assert_eq!(
        api(app).get_collection_error(),
        "この操作の権限がありません"
    );
    assert_eq!(api(app).get_collection_index(), before);
    assert_eq!(
        admin.person(with_number.id).unwrap().person.collection,
        with_number.collection
    );
    let denied = log_of(&mut admin, "number.reveal", with_number.id);
    assert!(
        denied
            .iter()
            .any(|e| e.outcome == Outcome::Denied && e.detail == "reveal_number"),
        "{denied:?}"
    );
    press(app, "ログアウト");
}

fn clerk_outside_a_department() {
    let k = demo_kiosk(20);
    let app = &k.app;
    sized(app);
    let mut admin = engine(&k.dir, &k.clock, demo::ADMIN, demo::PASSWORD);
    let soumu = admin.department_id("総務部").unwrap();
    add_user(
        &k,
        "soumu",
        UserRole::Clerk,
        Vec::new(),
        Scope {
            departments: vec![soumu],
            ..Scope::default()
        },
    );
    let outside = admin
        .list(&Default::default())
        .unwrap()
        .into_iter()
        .find(|p| p.kind == PersonKind::Employee && p.department != Some(soumu))
        .unwrap();

    log_in(app, "soumu", demo::PASSWORD);
    press(app, "従業員等");
    let rows: Vec<_> = kiosk(app).get_people().iter().collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r.department == "総務部" || r.kind == "家族"),
        "only 総務部"
    );
    assert!(rows.iter().all(|r| r.id != outside.id.0 as i32));

    // Asked for anyway (a stale or forged request): answered exactly like a missing person.
    api(app).invoke_open(outside.id.0 as i32);
    assert_eq!(screen(app), Screen::People);
    assert_eq!(
        kiosk(app).get_people_error(),
        format!("指定された人（内部ID {}）は見つかりません", outside.id.0).as_str()
    );
    assert_eq!(api(app).get_name(), "");
    api(app).invoke_open(99_999);
    assert_eq!(
        kiosk(app).get_people_error(),
        "指定された人（内部ID 99999）は見つかりません"
    );
    let views = log_of(&mut admin, "person.view", outside.id);
    assert!(
        views
            .iter()
            .any(|e| e.outcome == Outcome::Denied && e.detail == "out_of_scope"),
        "{views:?}"
    );
    press(app, "ログアウト");
}
