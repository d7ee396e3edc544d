//! Whole flows through the kiosk, driven like a user would with Slint's testing backend: find
//! the fields by their accessible labels, type with `set_accessible_value`, press buttons with
//! their default action, and let time pass with the mock clock.
//!
//! The testing backend can be set up once per process, so this file holds one `#[test]`.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use i_slint_backend_testing::mock_elapsed_time;
use kinko_kiosk::app::App;
use kinko_kiosk::{Screen, demo};
use kinko_vault::{ManualClock, PcIdentity, Vault};
use slint::Model;

#[test]
fn set_up_log_in_list_search_lock_and_errors() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    set_up_then_log_in();
    demo_people_search_and_idle_lock();
    locked_account_and_other_pc();
    shut_down_and_reboot_from_the_log_in_screen();
}

fn shut_down_and_reboot_from_the_log_in_screen() {
    let tmp = tempfile::tempdir().unwrap();
    let pc = PcIdentity::from_override(TEST_PC);
    for d in ["vault", "vault2", "vault3"] {
        demo::create(&tmp.path().join(d), 3, &pc, clock()).unwrap();
    }
    let marker = tmp.path().join("power");
    let write = |word: &str| {
        vec![
            "sh".to_owned(),
            "-c".to_owned(),
            format!("echo {word} >> '{}'", marker.display()),
        ]
    };
    let mut cfg = config(tmp.path().join("vault"), clock());
    cfg.power = Some(kinko_kiosk::app::PowerCommands {
        off: write("off"),
        reboot: write("reboot"),
    });
    let app = App::new(cfg).unwrap();
    press(&app, "電源を切る");
    press(&app, "再起動");
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "off\nreboot\n");

    // The appliance's way: a request file for the root path unit.
    let requests = tmp.path().join("power-requests");
    std::fs::create_dir(&requests).unwrap();
    let mut cfg = config(tmp.path().join("vault"), clock());
    cfg.power = Some(kinko_kiosk::app::PowerCommands::request_dir(&requests));
    let app = App::new(cfg).unwrap();
    press(&app, "再起動");
    assert_eq!(
        std::fs::read_to_string(requests.join("request")).unwrap(),
        "reboot"
    );
    press(&app, "電源を切る");
    assert_eq!(
        std::fs::read_to_string(requests.join("request")).unwrap(),
        "poweroff"
    );

    // A command that fails is said so; without commands there are no buttons.
    let mut cfg = config(tmp.path().join("vault2"), clock());
    cfg.power = Some(kinko_kiosk::app::PowerCommands {
        off: vec!["false".into()],
        reboot: vec!["false".into()],
    });
    let app = App::new(cfg).unwrap();
    press(&app, "電源を切る");
    assert!(
        kiosk(&app)
            .get_login_error()
            .contains("電源を切れませんでした")
    );
    let app = App::new(config(tmp.path().join("vault3"), clock())).unwrap();
    assert!(elements(&app, "電源を切る").is_empty());
}

fn set_up_then_log_in() {
    let tmp = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let dir = tmp.path().join("vault");
    let app = App::new(config(dir.clone(), clock)).unwrap();
    assert_eq!(screen(&app), Screen::Setup);

    // A wrong check digit is explained at the 法人番号 field; mismatched passwords at theirs.
    type_into(&app, "会社名", "株式会社テスト商事");
    type_into(&app, "法人番号", "1234567890123");
    type_into(&app, "管理者のユーザー名", "kanri");
    type_into(&app, "パスワード", "kinko-test-pass-1");
    type_into(&app, "パスワード（確認）", "kinko-test-pass-2");
    press(&app, "金庫を作成");
    assert_eq!(screen(&app), Screen::Setup);
    let corporate_error = kiosk(&app).get_setup_corporate_error();
    assert!(corporate_error.contains("法人番号"), "{corporate_error}");
    assert!(
        kiosk(&app)
            .get_setup_password_error()
            .contains("一致しません")
    );
    assert!(!dir.join(kinko_vault::DB_FILE).exists(), "nothing made yet");

    // The engine's password policy is explained at the password field.
    let good = kinko_vault::demo::sample_corporate_number(3);
    type_into(&app, "法人番号", good.expose_digits());
    type_into(&app, "パスワード", "short");
    type_into(&app, "パスワード（確認）", "short");
    press(&app, "金庫を作成");
    assert_eq!(kiosk(&app).get_setup_corporate_error(), "");
    assert!(
        kiosk(&app)
            .get_setup_password_error()
            .contains("10文字以上")
    );

    type_into(&app, "パスワード", "kinko-test-pass-1");
    type_into(&app, "パスワード（確認）", "kinko-test-pass-1");
    press(&app, "金庫を作成");
    assert_eq!(screen(&app), Screen::Recovery);
    let code = kiosk(&app).get_recovery_code();
    assert!(code.len() >= 16, "recovery code shown");
    assert!(dir.join(kinko_vault::DB_FILE).exists());
    // The way on is closed until the user says the code is stored.
    press(&app, "ログイン画面へ");
    assert_eq!(screen(&app), Screen::Recovery);
    press(&app, "書き写して保管しました");
    press(&app, "ログイン画面へ");
    assert_eq!(screen(&app), Screen::Login);
    assert_eq!(kiosk(&app).get_recovery_code(), "", "the code is forgotten");

    // A wrong password, in Japanese; then the right one.
    log_in(&app, "kanri", "wrong-password-1");
    assert_eq!(screen(&app), Screen::Login);
    assert_eq!(
        kiosk(&app).get_login_error(),
        "ユーザー名またはパスワードが違います"
    );
    log_in(&app, "kanri", "kinko-test-pass-1");
    assert_eq!(screen(&app), Screen::Home);
    assert_eq!(kiosk(&app).get_company(), "株式会社テスト商事");
    assert_eq!(kiosk(&app).get_pc_name(), "未登録のPC");
    let warnings: Vec<_> = kiosk(&app).get_warnings().iter().collect();
    assert!(warnings.iter().any(|w| w.contains("登録されていません")));

    // The set-up was recorded by the engine with the company change.
    let vault = Vault::open(&dir).unwrap();
    drop(vault);
    press(&app, "ログアウト");
    assert_eq!(screen(&app), Screen::Login);
}

fn demo_people_search_and_idle_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let dir = tmp.path().join("vault");
    let pc = PcIdentity::from_override("kiosk-test-pc");
    demo::create(&dir, 60, &pc, clock.clone()).unwrap();
    let app = App::new(config(dir, clock.clone())).unwrap();
    assert_eq!(screen(&app), Screen::Login);

    log_in(&app, demo::CLERK, demo::PASSWORD);
    assert_eq!(screen(&app), Screen::Home);
    assert_eq!(kiosk(&app).get_pc_name(), demo::PC_NAME);
    assert_eq!(kiosk(&app).get_company(), demo::COMPANY);
    let departments = kiosk(&app).get_departments();
    // Five departments and the payees.
    assert_eq!(departments.row_count(), 6);
    let totals = kiosk(&app).get_totals();
    assert!(totals.total > 60 && totals.collected > 0 && totals.verified > 0);
    assert!(totals.requested > 0 && totals.refused > 0);

    press(&app, "従業員等");
    assert_eq!(screen(&app), Screen::People);
    let everyone = app.with_session(|s| s.unwrap().list(&Default::default()).unwrap().len());
    assert_eq!(app.people_len(), everyone);
    assert_eq!(kiosk(&app).get_people_count() as usize, everyone);
    let first = kiosk(&app).get_people().row_data(0).unwrap();
    assert_eq!(first.code, "0001");
    assert_eq!(first.kind, "社員");

    // Typing searches after a short pause.
    type_into(&app, "検索", "佐藤");
    assert_eq!(
        app.people_len(),
        everyone,
        "not yet: the user may still be typing"
    );
    mock_elapsed_time(Duration::from_millis(300));
    let found = app.people_len();
    assert!(found > 0 && found < everyone, "{found} of {everyone}");
    let people = kiosk(&app).get_people();
    assert!((0..found).all(|i| people.row_data(i).unwrap().name.contains("佐藤")));
    // Kana typed in hiragana finds the same people.
    type_into(&app, "検索", "さとう");
    mock_elapsed_time(Duration::from_millis(300));
    assert_eq!(app.people_len(), found);
    type_into(&app, "検索", "0012");
    mock_elapsed_time(Duration::from_millis(300));
    assert_eq!(app.people_len(), 1);

    // Idle for longer than the policy (10 minutes): the engine locks, the screen follows,
    // and the people are gone from the front.
    clock.advance(Duration::from_secs(11 * 60));
    mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(screen(&app), Screen::Locked);
    assert_eq!(app.people_len(), 0);
    assert_eq!(kiosk(&app).get_people().row_count(), 0);
    assert!(app.with_session(|s| s.unwrap().is_locked()));

    type_into(&app, "パスワード", "not-the-password");
    press(&app, "ロック解除");
    assert_eq!(screen(&app), Screen::Locked);
    assert_eq!(
        kiosk(&app).get_unlock_error(),
        "ユーザー名またはパスワードが違います"
    );
    type_into(&app, "パスワード", demo::PASSWORD);
    press(&app, "ロック解除");
    assert_eq!(screen(&app), Screen::People);
    assert_eq!(app.people_len(), everyone);

    // The manual lock, then log-out from the lock screen.
    press(&app, "ロック");
    assert_eq!(screen(&app), Screen::Locked);
    press(&app, "ログアウト");
    assert_eq!(screen(&app), Screen::Login);
    assert!(app.with_session(|s| s.is_none()));
}

fn locked_account_and_other_pc() {
    let tmp = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let dir = tmp.path().join("vault");
    let pc = PcIdentity::from_override("kiosk-test-pc");
    demo::create(&dir, 5, &pc, clock.clone()).unwrap();
    let app = App::new(config(dir, clock)).unwrap();

    // A user who may only use another PC.
    log_in(&app, demo::OTHER_PC_CLERK, demo::PASSWORD);
    assert_eq!(screen(&app), Screen::Login);
    assert_eq!(
        kiosk(&app).get_login_error(),
        "このPCでは、このユーザーはログインできません"
    );

    // Five wrong passwords lock the account; the right one is then refused with the time it
    // unlocks.
    for _ in 0..5 {
        log_in(&app, demo::MANAGER, "wrong-password-1");
    }
    log_in(&app, demo::MANAGER, demo::PASSWORD);
    assert_eq!(screen(&app), Screen::Login);
    let error = kiosk(&app).get_login_error();
    assert!(
        error.starts_with("アカウントはロックされています（") && error.contains("まで"),
        "{error}"
    );
}
