//! The PC's hardware identity (F5): read from the firmware's DMI tables through sysfs, kept in
//! the vault only as a keyed hash.
//!
//! The UUID and serial numbers are readable by root only; the appliance reads them at boot
//! (issue 7). Where they cannot be read we say so and use what can be read, which is weaker
//! (two PCs of one model may then look alike). On a development machine `KINKO_PC_ID` (or the
//! CLI's `--pc-id`) supplies an identity, so tests can play several PCs.

use std::path::Path;

/// The DMI fields that make up the identity, strongest first.
const FIELDS: &[(&str, bool)] = &[
    ("product_uuid", true),
    ("product_serial", true),
    ("board_serial", true),
    ("chassis_serial", true),
    ("sys_vendor", false),
    ("product_name", false),
    ("board_vendor", false),
    ("board_name", false),
];

/// Values firmware writes when it has nothing to say.
const PLACEHOLDERS: &[&str] = &[
    "",
    "none",
    "default string",
    "to be filled by o.e.m.",
    "not specified",
    "not applicable",
    "system serial number",
    "chassis serial number",
    "base board serial number",
    "0",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "03000200-0400-0500-0006-000700080009",
];

/// The environment variable that overrides the identity on development machines.
pub const PC_ID_ENV: &str = "KINKO_PC_ID";

/// What was read of this PC's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcIdentity {
    canonical: String,
    /// The unique fields (UUID, serials) that could not be read.
    pub unreadable: Vec<&'static str>,
    /// Whether the identity came from an override rather than the firmware.
    pub overridden: bool,
}

impl PcIdentity {
    /// The identity given by hand (tests, development machines).
    pub fn from_override(id: &str) -> PcIdentity {
        PcIdentity {
            canonical: format!("override:{}", id.trim()),
            unreadable: Vec::new(),
            overridden: true,
        }
    }

    /// `KINKO_PC_ID` if set, else the firmware's DMI tables.
    pub fn detect() -> PcIdentity {
        match std::env::var(PC_ID_ENV) {
            Ok(id) if !id.trim().is_empty() => PcIdentity::from_override(&id),
            _ => PcIdentity::read_dmi(Path::new("/sys/class/dmi/id")),
        }
    }

    /// Reads the DMI fields under `dir` (normally `/sys/class/dmi/id`).
    pub fn read_dmi(dir: &Path) -> PcIdentity {
        let mut parts = Vec::new();
        let mut unreadable = Vec::new();
        for (field, unique) in FIELDS {
            let value = std::fs::read_to_string(dir.join(field))
                .ok()
                .map(|v| v.trim().to_owned());
            match value.filter(|v| !PLACEHOLDERS.contains(&v.to_ascii_lowercase().as_str())) {
                Some(v) => parts.push(format!("{field}={v}")),
                None if *unique => unreadable.push(*field),
                None => {}
            }
        }
        PcIdentity {
            canonical: format!("dmi:{}", parts.join(";")),
            unreadable,
            overridden: false,
        }
    }

    /// True when no unique field could be read: PCs of the same model cannot be told apart.
    pub fn is_weak(&self) -> bool {
        !self.overridden && self.unreadable.len() == 4
    }

    /// The bytes the keyed hash is taken of.
    pub(crate) fn canonical(&self) -> &[u8] {
        self.canonical.as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_can_and_names_what_it_cannot() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("product_uuid"),
            "4C4C4544-0042-3010-8052-B7C04F4B3132\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("board_serial"), "Default string\n").unwrap();
        std::fs::write(dir.path().join("sys_vendor"), "Dell Inc.\n").unwrap();
        let id = PcIdentity::read_dmi(dir.path());
        assert_eq!(
            id.unreadable,
            ["product_serial", "board_serial", "chassis_serial"]
        );
        assert!(!id.is_weak());
        let text = String::from_utf8(id.canonical().to_vec()).unwrap();
        assert!(text.contains("4C4C4544") && text.contains("Dell") && !text.contains("Default"));

        let empty = PcIdentity::read_dmi(&dir.path().join("missing"));
        assert!(empty.is_weak());
        assert_ne!(
            PcIdentity::from_override("pc-a"),
            PcIdentity::from_override("pc-b")
        );
    }
}
