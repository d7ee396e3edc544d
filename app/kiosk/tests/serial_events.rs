//! The test-only serial event reports (feature `serial-events`) that the appliance's boot test
//! reads: the ready line, screen changes and the text of the non-secret fields, never a
//! password.
#![cfg(feature = "serial-events")]

use std::sync::Arc;
use std::time::Duration;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, mock_elapsed_time};
use kinko_domain::lang::Lang;
use kinko_kiosk::app::{App, Config};
use kinko_vault::{KdfParams, ManualClock, PcIdentity};
use slint::ComponentHandle;

fn field(app: &App, label: &str) -> ElementHandle {
    ElementHandle::find_by_accessible_label(app.ui(), label)
        .find(|e| e.accessible_role() != Some(AccessibleRole::Text))
        .unwrap_or_else(|| panic!("no field labelled {label}"))
}

#[test]
fn reports_ready_and_field_text_but_never_passwords() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events");
    std::fs::write(&events, "").unwrap();
    // The variable is read once, by start(); this test binary has no other test.
    unsafe { std::env::set_var("KINKO_SERIAL_EVENTS", &events) };
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut config = Config::new(
        tmp.path().join("vault"),
        PcIdentity::from_override("serial-events-test-pc"),
        clock,
    );
    config.kdf = KdfParams::MINIMUM;
    config.lang = Lang::Ja;
    let app = App::new(config).unwrap();
    app.ui().show().unwrap();
    let _timer = kinko_kiosk::serial_events::start(app.ui()).expect("reporting started");
    let tick = || {
        mock_elapsed_time(Duration::from_millis(250));
        slint::platform::update_timers_and_animations();
    };
    tick();
    field(&app, "会社名").set_accessible_value("山田");
    field(&app, "パスワード").set_accessible_value("secret-password-1");
    tick();
    tick();
    let text = std::fs::read_to_string(&events).unwrap();
    assert!(
        text.starts_with("KINKO-EVENT ready screen=setup\n"),
        "{text}"
    );
    assert!(
        text.contains("KINKO-EVENT field label=会社名 value=山田\n"),
        "{text}"
    );
    assert!(!text.contains("secret-password-1"), "{text}");
}
