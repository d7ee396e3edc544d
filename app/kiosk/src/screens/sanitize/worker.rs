//! The run on its own thread, so the window stays responsive for hours of writing. The
//! session goes with it (the engine checks the permission, logs and signs there) and comes
//! back through a channel; progress and the end reach the window through Slint's event loop.

use std::path::PathBuf;
use std::sync::mpsc;

use kinko_domain::lang::Lang;
use kinko_vault::{SanitizeDetails, Session, VaultError, VaultResult};
use kinko_wipe::{CancelToken, Certificate, Plan, Progress, RunOptions};
use slint::ComponentHandle;

use super::describe;
use crate::{AppWindow, SanitizeApi};

/// What the worker hands back.
pub(crate) struct Finished {
    pub session: Session,
    pub result: VaultResult<Certificate>,
}

/// A run under way.
pub(crate) struct Running {
    pub cancel: CancelToken,
    pub done: mpsc::Receiver<Finished>,
    /// Where the certificate goes when the run ends.
    pub cert_path: PathBuf,
}

/// Starts `plan` on a new thread with `session`. The window hears of progress through
/// `SanitizeApi`'s properties and of the end through `SanitizeApi.worker-done`.
pub(crate) fn spawn(
    mut session: Session,
    plan: Plan,
    details: SanitizeDetails,
    system_in_ram: bool,
    window: slint::Weak<AppWindow>,
    lang: Lang,
    cert_path: PathBuf,
) -> Running {
    let cancel = CancelToken::new();
    let options = RunOptions {
        cancel: cancel.clone(),
        system_in_ram,
        ..RunOptions::default()
    };
    let (tx, done) = mpsc::channel();
    std::thread::spawn(move || {
        let shown = window.clone();
        let mut observer = move |p: &Progress| show_progress(&shown, describe::progress(lang, p));
        // A panic must not keep the session: it comes back with an error instead.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.sanitize(&plan, &options, &details, &mut observer)
        }))
        .unwrap_or_else(|_| Err(VaultError::Wipe(kinko_wipe::WipeError::Worker)));
        // The receiver lives as long as the screen's state; if it is gone, so is the window.
        let _ = tx.send(Finished { session, result });
        let _ = slint::invoke_from_event_loop(move || {
            if let Some(ui) = window.upgrade() {
                ui.global::<SanitizeApi>().invoke_worker_done();
            }
        });
    });
    Running {
        cancel,
        done,
        cert_path,
    }
}

fn show_progress(window: &slint::Weak<AppWindow>, text: describe::ProgressText) {
    let window = window.clone();
    let _ = slint::invoke_from_event_loop(move || {
        if let Some(ui) = window.upgrade() {
            set_progress(&ui, &text);
        }
    });
}

pub(crate) fn set_progress(ui: &AppWindow, t: &describe::ProgressText) {
    let g = ui.global::<SanitizeApi>();
    g.set_fraction(t.fraction);
    g.set_percent(t.percent.as_str().into());
    g.set_phase(t.phase.as_str().into());
    g.set_speed(t.speed.as_str().into());
    g.set_time_left(t.time_left.as_str().into());
}
