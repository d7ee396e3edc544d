//! What every flow test of the kiosk needs: a kiosk on a vault in a temporary directory, and
//! ways to drive it like a user (find a control by its accessible label, type, press).
//!
//! Each flow file is its own test binary, because Slint's testing backend can be set up once
//! per process: a file holds one `#[test]` that calls its flows in turn.
#![allow(dead_code)] // each test binary uses part of this

use std::path::PathBuf;
use std::sync::Arc;

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kinko_domain::lang::Lang;
use kinko_kiosk::app::{App, Config};
use kinko_kiosk::{Kiosk, Screen, demo};
use kinko_vault::{KdfParams, ManualClock, PcIdentity};
use slint::ComponentHandle;

/// The PC the tests' kiosks run on (the demo vault registers it).
pub const TEST_PC: &str = "kiosk-test-pc";

pub fn config(dir: PathBuf, clock: Arc<ManualClock>) -> Config {
    let mut c = Config::new(dir, PcIdentity::from_override(TEST_PC), clock);
    c.kdf = KdfParams::MINIMUM;
    c.lang = Lang::Ja;
    c
}

pub fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(chrono::Utc::now()))
}

/// A kiosk on a fresh demo vault with `employees` employees (plus families and payees), and
/// an empty medium directory beside it.
pub struct DemoKiosk {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub dir: PathBuf,
    pub media: PathBuf,
    _tmp: tempfile::TempDir,
}

pub fn demo_kiosk(employees: usize) -> DemoKiosk {
    let tmp = tempfile::tempdir().unwrap();
    let clock = clock();
    let dir = tmp.path().join("vault");
    let media = tmp.path().join("media");
    std::fs::create_dir_all(&media).unwrap();
    let pc = PcIdentity::from_override(TEST_PC);
    demo::create(&dir, employees, &pc, clock.clone()).unwrap();
    let mut cfg = config(dir.clone(), clock.clone());
    cfg.media_dir = Some(media.clone());
    let app = App::new(cfg).unwrap();
    DemoKiosk {
        app,
        clock,
        dir,
        media,
        _tmp: tmp,
    }
}

impl DemoKiosk {
    /// A second session on the same vault, as the administrator: what the engine stored.
    pub fn admin(&self) -> kinko_vault::Session {
        kinko_vault::Vault::open(&self.dir)
            .unwrap()
            .login_with(
                demo::ADMIN,
                demo::PASSWORD.as_bytes(),
                &PcIdentity::from_override(TEST_PC),
                self.clock.clone(),
            )
            .unwrap()
    }
}

/// Every control (not a caption: a caption's label is its text) labelled `label`.
pub fn elements(app: &App, label: &str) -> Vec<ElementHandle> {
    ElementHandle::find_by_accessible_label(app.ui(), label)
        .filter(|e| e.accessible_role() != Some(AccessibleRole::Text))
        .collect()
}

/// The control labelled `label` (the first, if several).
pub fn element(app: &App, label: &str) -> ElementHandle {
    let found = elements(app, label);
    assert!(
        !found.is_empty(),
        "no element labelled {label:?} on {:?}",
        screen(app)
    );
    found.into_iter().next().unwrap()
}

/// Whether some text on the screen contains `text` (captions, messages, table cells).
pub fn shows_text(app: &App, text: &str) -> bool {
    i_slint_backend_testing::ElementQuery::from_root(app.ui())
        .match_descendants()
        .match_predicate({
            let text = text.to_owned();
            move |e| {
                e.accessible_role() == Some(AccessibleRole::Text)
                    && e.accessible_label().is_some_and(|l| l.contains(&text))
            }
        })
        .find_first()
        .is_some()
}

pub fn type_into(app: &App, label: &str, text: &str) {
    element(app, label).set_accessible_value(text);
}

pub fn press(app: &App, label: &str) {
    element(app, label).invoke_accessible_default_action();
}

pub fn screen(app: &App) -> Screen {
    app.ui().global::<Kiosk>().get_screen()
}

pub fn kiosk(app: &App) -> Kiosk<'_> {
    app.ui().global::<Kiosk>()
}

pub fn log_in(app: &App, user: &str, password: &str) {
    type_into(app, "ユーザー名", user);
    type_into(app, "パスワード", password);
    press(app, "ログイン");
}
