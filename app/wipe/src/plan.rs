//! Choosing the method: the strongest one the medium really supports, and the sanitization
//! level (NIST SP 800-88 Clear or Purge) it can honestly claim.

use serde::{Deserialize, Serialize};

use crate::probe::{Bus, DeviceKind, MediaType, Probe};

/// What the caller asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MethodChoice {
    /// The strongest method the medium supports.
    #[default]
    Auto,
    /// Two-pass overwrite with full read-back, whatever else the medium supports.
    Overwrite,
}

/// NVMe Sanitize actions (SANACT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NvmeSanitizeAction {
    CryptoErase,
    BlockErase,
    Overwrite,
}

/// ATA SANITIZE DEVICE sub-commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AtaSanitizeAction {
    CryptoScramble,
    BlockErase,
    Overwrite,
}

/// How the medium is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Method {
    /// Pass 1 an AES-256-CTR keystream, pass 2 its complement, then a full read-back.
    Overwrite,
    NvmeSanitize {
        action: NvmeSanitizeAction,
    },
    /// Format NVM with Secure Erase Settings 1 (user data erase) or 2 (crypto erase).
    NvmeFormat {
        crypto_erase: bool,
    },
    AtaSanitize {
        action: AtaSanitizeAction,
    },
}

impl Method {
    /// NIST SP 800-88 Appendix G "method used" wording.
    pub fn nist_name(self) -> &'static str {
        match self {
            Method::Overwrite => "Overwrite",
            Method::NvmeSanitize {
                action: NvmeSanitizeAction::CryptoErase,
            }
            | Method::NvmeFormat { crypto_erase: true }
            | Method::AtaSanitize {
                action: AtaSanitizeAction::CryptoScramble,
            } => "Crypto Erase",
            Method::NvmeSanitize {
                action: NvmeSanitizeAction::BlockErase,
            }
            | Method::AtaSanitize {
                action: AtaSanitizeAction::BlockErase,
            } => "Block Erase",
            Method::NvmeSanitize {
                action: NvmeSanitizeAction::Overwrite,
            }
            | Method::AtaSanitize {
                action: AtaSanitizeAction::Overwrite,
            } => "Overwrite (device sanitize)",
            Method::NvmeFormat {
                crypto_erase: false,
            } => "Other (NVMe Format, user data erase)",
        }
    }

    /// Whether this version of the engine can execute the method: all of them (the NVMe and
    /// ATA commands through the Linux pass-through ioctls).
    pub fn is_runnable(self) -> bool {
        true
    }

    /// Whether the drive erases itself (a sanitize or format command) rather than the host.
    pub fn is_device_command(self) -> bool {
        !matches!(self, Method::Overwrite)
    }
}

/// NIST SP 800-88 sanitization level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SanitizationLevel {
    /// Nothing can be claimed (cancelled, failed, not verified).
    None,
    Clear,
    Purge,
}

/// A decided method for one probed medium.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub probe: Probe,
    pub method: Method,
    /// The level the method reaches when it completes and verifies.
    pub level: SanitizationLevel,
    /// Why this method (shown to the operator).
    pub reasons: Vec<String>,
    /// What the method cannot reach (printed on the certificate).
    pub limitations: Vec<String>,
}

/// Chooses the method for `probe`.
pub fn plan(probe: &Probe, choice: MethodChoice) -> Plan {
    let mut reasons = Vec::new();
    let device_method = match choice {
        MethodChoice::Auto => device_method(probe, &mut reasons),
        MethodChoice::Overwrite => {
            reasons.push("overwrite requested".to_owned());
            None
        }
    };
    let (method, level) = match device_method {
        Some(method) => (method, SanitizationLevel::Purge),
        None => (Method::Overwrite, SanitizationLevel::Clear),
    };
    if method == Method::Overwrite {
        reasons.push(overwrite_reason(probe));
    }
    let limitations = limitations(probe, method);
    Plan {
        probe: probe.clone(),
        method,
        level,
        reasons,
        limitations,
    }
}

/// The strongest device command the probe shows as supported, if any.
fn device_method(probe: &Probe, reasons: &mut Vec<String>) -> Option<Method> {
    if probe.kind != DeviceKind::BlockDevice {
        return None;
    }
    if probe.partition.is_some() {
        reasons.push("a partition: device commands would erase the whole disk".to_owned());
        return None;
    }
    if let Some(ctrl) = &probe.nvme {
        let s = ctrl.sanitize;
        let action = [
            (s.crypto_erase, NvmeSanitizeAction::CryptoErase),
            (s.block_erase, NvmeSanitizeAction::BlockErase),
            (s.overwrite, NvmeSanitizeAction::Overwrite),
        ]
        .into_iter()
        .find_map(|(supported, action)| supported.then_some(action));
        if let Some(action) = action {
            reasons.push(format!(
                "NVMe Sanitize supported (SANICAP {:#010x})",
                ctrl.sanicap
            ));
            return Some(Method::NvmeSanitize { action });
        }
        if ctrl.format_supported {
            reasons.push(format!(
                "NVMe Format NVM supported (OACS {:#06x}, FNA {:#04x})",
                ctrl.oacs, ctrl.fna
            ));
            return Some(Method::NvmeFormat {
                crypto_erase: ctrl.format_crypto_erase,
            });
        }
        reasons.push("NVMe controller reports neither Sanitize nor Format NVM".to_owned());
    }
    if let Some(ata) = &probe.ata {
        let s = ata.sanitize;
        let flash = probe.media_type != MediaType::MagneticDisk;
        let action = [
            (
                s.supported && s.crypto_scramble,
                AtaSanitizeAction::CryptoScramble,
            ),
            (s.supported && s.block_erase, AtaSanitizeAction::BlockErase),
            // overwrite-in-place is Purge for magnetic media only
            (
                s.supported && s.overwrite && !flash,
                AtaSanitizeAction::Overwrite,
            ),
        ]
        .into_iter()
        .find_map(|(supported, action)| supported.then_some(action));
        if let Some(action) = action {
            reasons.push(format!(
                "ATA SANITIZE supported ({})",
                ata.raw_capability_words
            ));
            return Some(Method::AtaSanitize { action });
        }
        reasons
            .push("ATA SANITIZE not supported (SECURITY ERASE is only Clear on flash)".to_owned());
    }
    None
}

fn overwrite_reason(probe: &Probe) -> String {
    match (&probe.bus, &probe.passthrough) {
        (Bus::File, _) => "a regular file: overwrite".to_owned(),
        (Bus::Usb, crate::probe::Passthrough::Unavailable(why)) => {
            format!("USB bridge without command pass-through ({why}): overwrite")
        }
        _ => "no device sanitize command available: overwrite, which is Clear".to_owned(),
    }
}

fn limitations(probe: &Probe, method: Method) -> Vec<String> {
    let mut out = Vec::new();
    if method == Method::Overwrite
        && probe.media_type.may_be_flash()
        && probe.kind == DeviceKind::BlockDevice
    {
        out.push(
            "Flash medium: overwriting cannot reach over-provisioned, remapped or retired blocks, so it is \
             Clear, never Purge. Destroy the medium if it leaves the organisation's control."
                .to_owned(),
        );
    }
    if let Some(partition) = &probe.partition {
        out.push(format!(
            "Only partition {partition} was erased, not the rest of the disk."
        ));
    }
    if probe.hidden_areas.hidden_sectors.is_some_and(|n| n > 0) {
        out.push(format!("Hidden area: {}.", probe.hidden_areas.summary()));
    } else if probe.hidden_areas.hpa_enabled == Some(true) && method == Method::Overwrite {
        out.push(format!(
            "Host Protected Area: {}.",
            probe.hidden_areas.summary()
        ));
    }
    out
}
