//! The medium bar (`ui/medium.slint`) in the appliance: the status of the root helper shown,
//! 「この媒体を使う」 and 「取り外す」 checked and logged by the engine, then asked of the helper.
//! Without `--medium-control` the bar is hidden and `--media DIR` is the medium.

use std::path::PathBuf;
use std::rc::Rc;

use kinko_domain::lang::Lang;
use kinko_vault::MediumAction;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use crate::app::Inner;
use crate::medium::{MediumControl, MediumError, MediumState, MediumStatus, UsbDevice};
use crate::screens::on;
use crate::text::tr;
use crate::{AppWindow, MediumApi, MediumDevice, Screen};

pub(super) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<MediumApi>();
    g.set_controlled(inner.config.medium_control.is_some());
    on!(g, inner, on_use_device, |i, id| i.use_medium(&id));
    on!(g, inner, on_eject, |i| i.eject_medium());
}

impl Inner {
    fn medium_control(&self) -> Option<MediumControl> {
        self.config
            .medium_control
            .as_deref()
            .map(MediumControl::new)
    }

    /// Where files are read and written now: the mounted medium in the appliance, else the
    /// `--media` directory.
    pub(crate) fn media_dir(&self) -> Option<PathBuf> {
        let Some(control) = self.medium_control() else {
            return self.config.media_dir.clone();
        };
        match control.status() {
            Ok(s) if s.state == MediumState::Mounted && s.medium.is_some() => {
                Some(control.mount_dir())
            }
            _ => None,
        }
    }

    /// Called by the window's timer: shows the helper's status, and when the medium came or
    /// went, the import screen's files again.
    pub(crate) fn poll_medium(&self) {
        let Some(control) = self.medium_control() else {
            return;
        };
        let status = control.status();
        let mounted = matches!(&status, Ok(s) if s.state == MediumState::Mounted);
        self.show_medium(&status, control.request_pending());
        let changed = {
            let mut state = self.screens.transfer.borrow_mut();
            std::mem::replace(&mut state.medium_mounted, mounted) != mounted
        };
        let ui = self.ui();
        if changed && ui.global::<crate::Kiosk>().get_screen() == Screen::Import {
            self.show_media();
            self.list_import_files();
        }
    }

    fn show_medium(&self, status: &Result<MediumStatus, MediumError>, pending: bool) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<MediumApi>();
        let status = match status {
            Ok(s) => s,
            Err(e) => {
                eprintln!("kinko-kiosk: {e}");
                g.set_error(
                    tr(
                        lang,
                        "USBメモリの状態を読めません",
                        "The USB stick's state cannot be read",
                    )
                    .into(),
                );
                return;
            }
        };
        let summary = match &status.medium {
            Some(m) if status.state == MediumState::Mounted => match lang {
                Lang::Ja => format!(
                    "使用中のUSBメモリ: {}（{}, {}）",
                    label(&m.device),
                    size(m.bytes),
                    m.fstype
                ),
                Lang::En => format!(
                    "USB stick in use: {} ({}, {})",
                    label(&m.device),
                    size(m.bytes),
                    m.fstype
                ),
            },
            _ if status.blocked.is_empty() => tr(
                lang,
                "USBメモリが接続されていません",
                "No USB stick is connected",
            ),
            _ => tr(
                lang,
                "使うUSBメモリを選んでください",
                "Choose the USB stick to use",
            ),
        };
        g.set_summary(summary.into());
        g.set_mounted(status.state == MediumState::Mounted);
        g.set_waiting(pending || status.state == MediumState::Waiting);
        // The helper's answer to the last request; until it has taken a new one, the old
        // answer is stale. (The engine's refusals are set by medium_request and stay.)
        if let (Some(f), false) = (&status.failure, pending) {
            g.set_error(f.message(lang).into());
        }
        let devices: Vec<MediumDevice> = status
            .blocked
            .iter()
            .map(|d| MediumDevice {
                id: d.id.to_string().into(),
                label: label(d).into(),
            })
            .collect();
        g.set_devices(ModelRc::new(VecModel::from(devices)));
    }

    fn use_medium(&self, id: &str) {
        let Some(control) = self.medium_control() else {
            return;
        };
        let Ok(status) = control.status() else {
            return self.poll_medium();
        };
        let device = id
            .parse::<u32>()
            .ok()
            .and_then(|id| status.blocked.iter().find(|d| d.id == id).cloned());
        let Some(device) = device else {
            return self.medium_error(tr(
                self.lang(),
                "USBメモリが見つかりません。抜かれた可能性があります。差し直してください",
                "The USB stick is gone; it may have been pulled out. Plug it in again",
            ));
        };
        self.medium_request(MediumAction::Allow, &device, |c| c.request_allow(device.id));
    }

    fn eject_medium(&self) {
        let Some(control) = self.medium_control() else {
            return;
        };
        let Ok(MediumStatus {
            medium: Some(medium),
            ..
        }) = control.status()
        else {
            return self.poll_medium();
        };
        self.medium_request(MediumAction::Eject, &medium.device, |c| c.request_eject());
    }

    /// The engine checks and logs the action first; only then is the helper asked.
    fn medium_request(
        &self,
        action: MediumAction,
        device: &UsbDevice,
        send: impl FnOnce(&MediumControl) -> Result<(), MediumError>,
    ) {
        let Some(control) = self.medium_control() else {
            return;
        };
        self.ui()
            .global::<MediumApi>()
            .set_error(SharedString::new());
        match self.with_session(|s| s.medium_event(action, &device.identity())) {
            Some(Ok(())) => {}
            Some(Err(e)) => return self.medium_error(self.message(&e).to_string()),
            None => return,
        }
        if let Err(e) = send(&control) {
            eprintln!("kinko-kiosk: {e}");
            return self.medium_error(tr(
                self.lang(),
                "USBメモリの操作を依頼できません",
                "The USB stick request cannot be made",
            ));
        }
        self.poll_medium();
    }

    fn medium_error(&self, message: String) {
        self.ui().global::<MediumApi>().set_error(message.into());
    }
}

/// A device as the user sees it: its name and serial number.
fn label(d: &UsbDevice) -> String {
    let name = if d.name.is_empty() { &d.usb } else { &d.name };
    if d.serial.is_empty() {
        name.clone()
    } else {
        format!("{name}  #{}", d.serial)
    }
}

fn size(bytes: u64) -> String {
    const GB: u64 = 1_000_000_000;
    if bytes >= GB {
        format!("{:.1} GB", bytes as f64 / GB as f64)
    } else {
        format!("{} MB", bytes / 1_000_000)
    }
}
