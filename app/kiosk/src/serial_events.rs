//! Test-only UI event reports for the appliance's QEMU boot test (issue 7).
//!
//! Built only with the `serial-events` cargo feature, which only the test image enables; the
//! release image's binary has no such code. When `KINKO_SERIAL_EVENTS` names a file (in the test
//! image, the second serial port `/dev/ttyS1`), the kiosk writes one line per event:
//!
//! ```text
//! KINKO-EVENT ready screen=setup
//! KINKO-EVENT screen=login
//! KINKO-EVENT field label=会社名 value=山田
//! ```
//!
//! Only fields whose text is not secret are reported (company name and user names); password
//! fields and My Numbers are never read here.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::time::Duration;

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use slint::{ComponentHandle, Timer, TimerMode};

use crate::{AppWindow, Kiosk};

/// The labels of the text fields whose contents may be reported. Never a password or a number.
const REPORTED_FIELDS: [&str; 3] = ["会社名", "管理者のユーザー名", "ユーザー名"];

/// Starts reporting if `KINKO_SERIAL_EVENTS` is set; keep the returned timer alive.
pub fn start(ui: &AppWindow) -> Option<Timer> {
    let path = std::env::var_os("KINKO_SERIAL_EVENTS")?;
    let mut out = match OpenOptions::new().append(true).open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "kinko-kiosk: serial events: {}: {e}",
                path.to_string_lossy()
            );
            return None;
        }
    };
    let weak = ui.as_weak();
    let mut last_screen = String::new();
    let mut last_fields: Vec<(String, String)> = Vec::new();
    let mut ready = false;
    let timer = Timer::default();
    // Polling (200 ms) keeps this file free of hooks in the screens' code.
    timer.start(TimerMode::Repeated, Duration::from_millis(200), move || {
        let Some(ui) = weak.upgrade() else { return };
        if !ui.window().is_visible() {
            return;
        }
        let screen = format!("{:?}", ui.global::<Kiosk>().get_screen()).to_lowercase();
        if !ready {
            ready = true;
            emit(&mut out, &format!("ready screen={screen}"));
        } else if screen != last_screen {
            emit(&mut out, &format!("screen={screen}"));
        }
        last_screen = screen;
        let fields = fields(&ui);
        for (label, value) in &fields {
            let before = last_fields.iter().find(|(l, _)| l == label).map(|(_, v)| v);
            if before != Some(value) {
                emit(&mut out, &format!("field label={label} value={value}"));
            }
        }
        last_fields = fields;
    });
    Some(timer)
}

/// The reported fields on the current screen, with their text (the control, not its caption:
/// a caption's label is its own text).
fn fields(ui: &AppWindow) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for label in REPORTED_FIELDS {
        let field = ElementHandle::find_by_accessible_label(ui, label)
            .find(|e| e.accessible_role() != Some(AccessibleRole::Text));
        if let Some(value) = field.and_then(|e| e.accessible_value()) {
            found.push((label.to_string(), value.to_string()));
        }
    }
    found
}

fn emit(out: &mut File, event: &str) {
    // One write per line so that lines never interleave; newlines in values are escaped.
    let line = format!("KINKO-EVENT {}\n", event.replace('\n', "\\n"));
    let _ = out.write_all(line.as_bytes());
}
