//! The appliance's export/backup medium, seen from the unprivileged app: it reads the status
//! that the root helper (`kinko-medium`, udev-rules/overlay) publishes and writes it requests
//! ("allow ID", "eject"). Layout of the control directory (`--medium-control DIR`):
//!
//! - `DIR/status`: `key=value` lines written by root (see kinko-medium)
//! - `DIR/request/request`: the one pending request, written by the app (renamed into place)
//! - `DIR/mnt`: where the medium is mounted
//!
//! Nothing read here is trusted beyond showing it: IDs are digits, the rest is display text.

use std::path::{Path, PathBuf};

use kinko_domain::lang::Lang;

use crate::text::tr;

/// Why the status or a request failed.
#[derive(Debug, thiserror::Error)]
pub enum MediumError {
    #[error("the medium status cannot be read: {0}")]
    Read(std::io::Error),
    #[error("the medium status is malformed at line {0}")]
    Malformed(usize),
    #[error("the medium request cannot be written: {0}")]
    Request(std::io::Error),
}

/// The helper's phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediumState {
    #[default]
    Idle,
    Waiting,
    Mounted,
}

/// A USB storage device as USBGuard reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsbDevice {
    pub id: u32,
    pub usb: String,
    pub name: String,
    pub serial: String,
}

impl UsbDevice {
    /// How the audit log names the device.
    pub fn identity(&self) -> String {
        format!(
            "id={} usb={} name=\"{}\" serial=\"{}\"",
            self.id, self.usb, self.name, self.serial
        )
    }
}

/// The mounted medium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Medium {
    pub device: UsbDevice,
    pub bytes: u64,
    pub fstype: String,
}

/// What the helper's last request came to, when it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediumFailure {
    UnsupportedFs(String),
    Gone,
    TimedOut,
    Busy,
    MountFailed,
    Other(String),
}

impl MediumFailure {
    fn parse(code: &str, detail: &str) -> MediumFailure {
        match code {
            "unsupported-fs" => MediumFailure::UnsupportedFs(detail.to_owned()),
            "gone" => MediumFailure::Gone,
            "timeout" => MediumFailure::TimedOut,
            "busy" => MediumFailure::Busy,
            "mount-failed" => MediumFailure::MountFailed,
            other => MediumFailure::Other(other.to_owned()),
        }
    }

    /// What the user is told.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            MediumFailure::UnsupportedFs(t) => match lang {
                Lang::Ja => format!(
                    "このUSBメモリの形式（{}）には対応していません。FAT32・exFAT・ext4 のものを使ってください",
                    shown_fs(t)
                ),
                Lang::En => format!(
                    "This USB stick's format ({}) is not supported. Use one formatted FAT32, exFAT or ext4",
                    shown_fs(t)
                ),
            },
            MediumFailure::Gone => tr(
                lang,
                "USBメモリが見つかりません。抜かれた可能性があります。差し直してください",
                "The USB stick is gone; it may have been pulled out. Plug it in again",
            ),
            MediumFailure::TimedOut => tr(
                lang,
                "USBメモリが応答しません（時間切れ）。差し直してからもう一度お試しください",
                "The USB stick did not answer in time. Plug it in again and retry",
            ),
            MediumFailure::Busy => tr(
                lang,
                "使用中のため操作できません。開いているファイルを閉じるか、先に今の媒体を取り外してください",
                "Busy: close open files or remove the current medium first",
            ),
            MediumFailure::MountFailed => tr(
                lang,
                "USBメモリを開けません。壊れている可能性があります",
                "The USB stick cannot be opened; it may be damaged",
            ),
            MediumFailure::Other(code) => match lang {
                Lang::Ja => format!("USBメモリを操作できません（{code}）"),
                Lang::En => format!("The USB stick cannot be handled ({code})"),
            },
        }
    }
}

fn shown_fs(t: &str) -> &str {
    if t == "none" || t.is_empty() {
        "ファイルシステムなし / none"
    } else {
        t
    }
}

/// Everything the status says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediumStatus {
    pub state: MediumState,
    pub failure: Option<MediumFailure>,
    pub blocked: Vec<UsbDevice>,
    pub medium: Option<Medium>,
}

/// Parses the status file's text.
pub fn parse_status(text: &str) -> Result<MediumStatus, MediumError> {
    let mut status = MediumStatus::default();
    let (mut code, mut detail) = (None, String::new());
    for (n, line) in text.lines().enumerate() {
        let bad = || MediumError::Malformed(n + 1);
        let (key, value) = line.split_once('=').ok_or_else(bad)?;
        match key {
            "state" => {
                status.state = match value {
                    "idle" => MediumState::Idle,
                    "waiting" => MediumState::Waiting,
                    "mounted" => MediumState::Mounted,
                    _ => return Err(bad()),
                }
            }
            "error" => code = Some(value.to_owned()),
            "error_detail" => detail = value.to_owned(),
            "blocked" => status.blocked.push(parse_device(value).ok_or_else(bad)?),
            "medium" => {
                let fields: Vec<&str> = value.split('\t').collect();
                let [id, usb, name, serial, bytes, fstype] = fields[..] else {
                    return Err(bad());
                };
                status.medium = Some(Medium {
                    device: parse_device(&[id, usb, name, serial].join("\t")).ok_or_else(bad)?,
                    bytes: bytes.parse().map_err(|_| bad())?,
                    fstype: fstype.to_owned(),
                });
            }
            _ => {} // later keys are ignored
        }
    }
    status.failure = code.map(|c| MediumFailure::parse(&c, &detail));
    Ok(status)
}

fn parse_device(value: &str) -> Option<UsbDevice> {
    let fields: Vec<&str> = value.split('\t').collect();
    let [id, usb, name, serial] = fields[..] else {
        return None;
    };
    Some(UsbDevice {
        id: id.parse().ok()?,
        usb: usb.to_owned(),
        name: name.to_owned(),
        serial: serial.to_owned(),
    })
}

/// The control directory.
#[derive(Debug, Clone)]
pub struct MediumControl {
    dir: PathBuf,
}

impl MediumControl {
    pub fn new(dir: &Path) -> MediumControl {
        MediumControl {
            dir: dir.to_owned(),
        }
    }

    pub fn status_path(&self) -> PathBuf {
        self.dir.join("status")
    }

    pub fn request_path(&self) -> PathBuf {
        self.dir.join("request").join("request")
    }

    /// Where the medium is mounted (only while the status says mounted).
    pub fn mount_dir(&self) -> PathBuf {
        self.dir.join("mnt")
    }

    /// The status; no file yet (the helper has not run) reads as idle with no device.
    pub fn status(&self) -> Result<MediumStatus, MediumError> {
        match std::fs::read_to_string(self.status_path()) {
            Ok(text) => parse_status(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(MediumStatus::default()),
            Err(e) => Err(MediumError::Read(e)),
        }
    }

    /// Whether a request is written but not yet taken by the helper.
    pub fn request_pending(&self) -> bool {
        self.request_path().exists()
    }

    pub fn request_allow(&self, id: u32) -> Result<(), MediumError> {
        self.write_request(&format!("allow {id}\n"))
    }

    pub fn request_eject(&self) -> Result<(), MediumError> {
        self.write_request("eject\n")
    }

    /// Whole or nothing: the helper's path unit sees the request only once it is complete.
    fn write_request(&self, text: &str) -> Result<(), MediumError> {
        let path = self.request_path();
        let tmp = path.with_file_name(".request.new");
        std::fs::write(&tmp, text).map_err(MediumError::Request)?;
        std::fs::rename(&tmp, &path).map_err(MediumError::Request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_parse_and_bad_ones_are_refused() {
        let s = parse_status(
            "state=idle\nerror=unsupported-fs\nerror_detail=ntfs\n\
             blocked=7\t46f4:0001\tQEMU USB HARDDRIVE\tKINKO1\n",
        )
        .unwrap();
        assert_eq!(s.state, MediumState::Idle);
        assert_eq!(s.failure, Some(MediumFailure::UnsupportedFs("ntfs".into())));
        assert_eq!(s.blocked[0].id, 7);
        assert_eq!(s.blocked[0].serial, "KINKO1");
        assert!(s.failure.unwrap().message(Lang::Ja).contains("ntfs"));
        let m = parse_status("state=mounted\nmedium=3\t1:2\tn\ts\t1024\tvfat\n").unwrap();
        assert_eq!(m.medium.unwrap().bytes, 1024);
        for bad in [
            "state=odd",
            "nokey",
            "blocked=x\ta\tb\tc",
            "medium=1\ta\tb\tc\td\tvfat",
        ] {
            assert!(
                matches!(parse_status(bad), Err(MediumError::Malformed(1))),
                "{bad}"
            );
        }
    }

    #[test]
    fn requests_are_renamed_into_place() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("request")).unwrap();
        let c = MediumControl::new(tmp.path());
        assert_eq!(c.status().unwrap(), MediumStatus::default());
        c.request_allow(12).unwrap();
        assert_eq!(
            std::fs::read_to_string(c.request_path()).unwrap(),
            "allow 12\n"
        );
        assert!(!tmp.path().join("request/.request.new").exists());
        std::fs::remove_dir_all(tmp.path().join("request")).unwrap();
        assert!(matches!(c.request_eject(), Err(MediumError::Request(_))));
    }
}
