//! The sanitize screen (媒体の消去, F12) driven like a user, with a regular file of a few MiB
//! standing in for the medium: a clerk is refused by the engine, an administrator wipes it
//! and gets a signed certificate that verifies, and the log shows the start and the run.
//!
//! The run happens on a worker thread that reports through `slint::invoke_from_event_loop`;
//! the test pumps the testing backend's event loop until the screen shows the end.
//!
//! The testing backend can be set up once per process, so this file holds one `#[test]`.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use kinko_kiosk::app::App;
use kinko_kiosk::{RetentionApi, SanitizeApi, SanitizeStage, Screen, demo};
use kinko_vault::{AuditEntry, AuditQuery, Outcome, PcIdentity, Vault};
use slint::{ComponentHandle, Model};

const PATTERN: &[u8] = b"KINKO-SECRET-PATTERN-";
const MEDIUM_BYTES: usize = 4 << 20;

#[test]
fn clerk_refused_admin_wipes_a_file_and_keeps_a_certificate() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let k = demo_kiosk(3);
    let medium = k.dir.parent().unwrap().join("stick.img");
    fill_with_pattern(&medium);

    clerk_is_refused(&k, &medium);
    admin_wipes(&k, &medium);
    cancelled_run_is_certified_as_such(&k);
}

fn fill_with_pattern(path: &Path) {
    let data: Vec<u8> = PATTERN.iter().copied().cycle().take(MEDIUM_BYTES).collect();
    std::fs::write(path, data).unwrap();
}

fn holds_pattern(path: &Path) -> bool {
    let data = std::fs::read(path).unwrap();
    data.windows(PATTERN.len()).any(|w| w == PATTERN)
}

fn api(app: &App) -> SanitizeApi<'_> {
    app.ui().global::<SanitizeApi>()
}

/// Runs the event loop until what the worker posted so far has been handled, again and again
/// until `done` or a minute has passed.
fn pump_until(app: &App, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(app) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the run did not end"
        );
        std::thread::sleep(Duration::from_millis(20));
        slint::quit_event_loop().unwrap();
        slint::run_event_loop().unwrap();
    }
}

fn open_sanitize_and_probe(k: &DemoKiosk, user: &str, medium: &Path) {
    log_in(&k.app, user, demo::PASSWORD);
    assert_eq!(screen(&k.app), Screen::Home);
    k.app.ui().global::<RetentionApi>().invoke_show_sanitize();
    assert_eq!(screen(&k.app), Screen::Sanitize);
    assert_eq!(api(&k.app).get_stage(), SanitizeStage::Choose);
    type_into(&k.app, "媒体のパス", medium.to_str().unwrap());
    press(&k.app, "調べる");
    assert_eq!(api(&k.app).get_stage(), SanitizeStage::Ready);
}

fn clerk_is_refused(k: &DemoKiosk, medium: &Path) {
    open_sanitize_and_probe(k, demo::CLERK, medium);
    type_into(&k.app, "媒体の名前（確認）", "stick.img");
    press(&k.app, "消去を開始");
    pump_until(&k.app, |app| api(app).get_stage() != SanitizeStage::Running);
    assert_eq!(api(&k.app).get_stage(), SanitizeStage::Ready);
    assert_eq!(api(&k.app).get_run_error(), "この操作の権限がありません");
    assert!(holds_pattern(medium), "nothing was written");
    assert!(k.app.with_session(|s| s.is_some()), "the session came back");
    press(&k.app, "ログアウト");
    assert_eq!(screen(&k.app), Screen::Login);
}

fn admin_wipes(k: &DemoKiosk, medium: &Path) {
    open_sanitize_and_probe(k, demo::ADMIN, medium);
    let g = api(&k.app);
    // The method shown honestly: an overwrite, which is Clear.
    assert!(g.get_method().contains("2回上書き"), "{}", g.get_method());
    assert_eq!(g.get_level(), "Clear（消去）");
    assert!(!g.get_purge());
    assert_eq!(g.get_confirm_name(), "stick.img");

    // A wrong name is refused at its field; nothing runs.
    type_into(&k.app, "媒体の名前（確認）", "stick");
    press(&k.app, "消去を開始");
    assert!(
        g.get_confirm_error().contains("「stick.img」"),
        "{}",
        g.get_confirm_error()
    );
    assert_eq!(g.get_stage(), SanitizeStage::Ready);

    // The certificate may not replace the medium itself.
    type_into(&k.app, "媒体の名前（確認）", "stick.img");
    let default_cert = PathBuf::from(g.get_cert_path().as_str());
    assert_eq!(
        default_cert.parent(),
        k.dir.parent(),
        "beside the vault's folder"
    );
    type_into(&k.app, "証明書の保存先", medium.to_str().unwrap());
    press(&k.app, "消去を開始");
    assert!(!g.get_cert_error().is_empty());
    assert_eq!(g.get_stage(), SanitizeStage::Ready);
    assert!(holds_pattern(medium));

    type_into(&k.app, "証明書の保存先", default_cert.to_str().unwrap());
    type_into(&k.app, "管理番号（任意）", "IT-0042");
    type_into(&k.app, "消去後の扱い（任意）", "廃棄");
    press(&k.app, "消去を開始");
    assert_eq!(g.get_stage(), SanitizeStage::Running);
    // The session is lent to the run: lock and log-out wait, the header is disabled.
    assert!(kiosk(&k.app).get_busy());
    assert!(k.app.with_session(|s| s.is_none()));
    kiosk(&k.app).invoke_lock();
    kiosk(&k.app).invoke_logout();
    assert_eq!(screen(&k.app), Screen::Sanitize);
    assert!(kiosk(&k.app).get_banner().contains("ロック"));

    pump_until(&k.app, |app| api(app).get_stage() == SanitizeStage::Result);
    assert!(!kiosk(&k.app).get_busy());
    assert!(g.get_outcome_ok());
    assert!(g.get_outcome().contains("消去済み"), "{}", g.get_outcome());
    assert!(
        g.get_cert_saved().contains("保存しました"),
        "{}",
        g.get_cert_saved()
    );
    assert!(!holds_pattern(medium), "the pattern is gone");
    assert_eq!(
        std::fs::metadata(medium).unwrap().len(),
        MEDIUM_BYTES as u64
    );

    let json = std::fs::read_to_string(&default_cert).unwrap();
    let verified = kinko_wipe::Certificate::from_json(&json)
        .unwrap()
        .verify()
        .unwrap();
    assert_eq!(verified.body.outcome, kinko_wipe::Outcome::Erased);
    assert_eq!(
        verified.body.sanitization.method_type,
        kinko_wipe::SanitizationLevel::Clear
    );
    assert_eq!(
        verified.body.verification.bytes_verified,
        MEDIUM_BYTES as u64
    );

    // The PDF is saved where asked, once; a second save does not overwrite it.
    let pdf = k.dir.parent().unwrap().join("certificate.pdf");
    type_into(&k.app, "PDFの保存先", pdf.to_str().unwrap());
    press(&k.app, "PDFを保存");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    press(&k.app, "PDFを保存");
    assert!(g.get_pdf_message().contains("保存できませんでした"));

    let log = admin_log(&k.dir);
    let wipe: Vec<&AuditEntry> = log
        .iter()
        .filter(|e| e.action.starts_with("wipe."))
        .collect();
    let clerk_denied = wipe
        .iter()
        .any(|e| e.action == "wipe.run" && e.outcome == Outcome::Denied);
    assert!(clerk_denied, "{wipe:?}");
    assert!(
        wipe.iter()
            .any(|e| e.action == "wipe.start" && e.detail.contains("method=overwrite"))
    );
    assert!(wipe.iter().any(|e| {
        e.action == "wipe.run" && e.outcome == Outcome::Ok && e.detail.contains("outcome=erased")
    }));

    // Another medium: back to the choice, with nothing of the last one left.
    press(&k.app, "別の媒体を消去");
    assert_eq!(g.get_stage(), SanitizeStage::Choose);
    assert_eq!(g.get_certificate().iter().count(), 0);

    // A saved certificate opens again once its signature verifies; anything else does not.
    type_into(&k.app, "証明書のファイル", medium.to_str().unwrap());
    press(&k.app, "証明書を開く");
    assert!(
        g.get_open_error().contains("読めません"),
        "{}",
        g.get_open_error()
    );
    assert_eq!(g.get_stage(), SanitizeStage::Choose);
    let mut forged = json
        .clone()
        .replace("\"mismatched_bytes\": 0", "\"mismatched_bytes\": 1");
    if forged == json {
        forged = json.replacen("kanri", "kanrx", 1);
    }
    let forged_path = k.dir.parent().unwrap().join("forged.json");
    std::fs::write(&forged_path, forged).unwrap();
    type_into(&k.app, "証明書のファイル", forged_path.to_str().unwrap());
    press(&k.app, "証明書を開く");
    assert!(
        g.get_open_error().contains("署名"),
        "{}",
        g.get_open_error()
    );
    type_into(&k.app, "証明書のファイル", default_cert.to_str().unwrap());
    press(&k.app, "証明書を開く");
    assert_eq!(g.get_stage(), SanitizeStage::Result);
    assert!(
        g.get_cert_saved().contains("この金庫の鍵"),
        "{}",
        g.get_cert_saved()
    );
    assert!(g.get_outcome_ok());
}

fn admin_log(dir: &Path) -> Vec<AuditEntry> {
    let vault = Vault::open(dir).unwrap();
    let mut s = vault
        .login_with(
            demo::ADMIN,
            demo::PASSWORD.as_bytes(),
            &PcIdentity::from_override(TEST_PC),
            clock(),
        )
        .unwrap();
    s.audit_list(&AuditQuery::default()).unwrap()
}

/// A run stopped with 中止 still ends with a signed certificate, which says so and claims no
/// level. The medium is large enough that the stop comes long before the end.
fn cancelled_run_is_certified_as_such(k: &DemoKiosk) {
    let big = k.dir.parent().unwrap().join("big.img");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(512 << 20)
        .unwrap();
    let g = api(&k.app);
    press(&k.app, "別の媒体を消去");
    type_into(&k.app, "媒体のパス", big.to_str().unwrap());
    press(&k.app, "調べる");
    type_into(&k.app, "媒体の名前（確認）", "big.img");
    let cert = PathBuf::from(g.get_cert_path().as_str()).with_file_name("cancelled.json");
    type_into(&k.app, "証明書の保存先", cert.to_str().unwrap());
    press(&k.app, "消去を開始");
    assert_eq!(g.get_stage(), SanitizeStage::Running);
    press(&k.app, "中止");
    assert!(g.get_cancelling());
    pump_until(&k.app, |app| api(app).get_stage() == SanitizeStage::Result);
    assert!(!g.get_outcome_ok());
    assert!(
        g.get_outcome().contains("中止されました"),
        "{}",
        g.get_outcome()
    );
    let json = std::fs::read_to_string(&cert).unwrap();
    let verified = kinko_wipe::Certificate::from_json(&json)
        .unwrap()
        .verify()
        .unwrap();
    assert_eq!(verified.body.outcome, kinko_wipe::Outcome::Cancelled);
    assert_eq!(
        verified.body.sanitization.method_type,
        kinko_wipe::SanitizationLevel::None
    );
    assert!(k.app.with_session(|s| s.is_some()), "the session came back");
    std::fs::remove_file(&big).unwrap();
}
