//! ATA SANITIZE DEVICE (B4h) through SCSI ATA PASS-THROUGH(16) (SAT-4), and the registers
//! returned in the ATA Status Return sense descriptor (09h). Encodings follow ACS-4.

use std::fs::File;

use crate::plan::AtaSanitizeAction;
use crate::probe::sg_io;

const ATA_PASS_THROUGH_16: u8 = 0x85;
const SANITIZE_DEVICE: u8 = 0xB4;
/// Protocol 3 (non-data) in bits 4:1, EXTEND (48-bit command) in bit 0.
const NON_DATA_EXTENDED: u8 = 3 << 1 | 1;
/// CK_COND: return the ATA registers in the sense data even on success.
const CK_COND: u8 = 1 << 5;

const FEATURE_STATUS_EXT: u16 = 0x0000;
const FEATURE_CRYPTO_SCRAMBLE_EXT: u16 = 0x0011;
const FEATURE_BLOCK_ERASE_EXT: u16 = 0x0012;
const FEATURE_OVERWRITE_EXT: u16 = 0x0014;
/// Signatures the device requires in the LBA field, guarding against stray commands.
const SIGNATURE_CRYPTO: u64 = 0x4372_7970; // "Cryp"
const SIGNATURE_BLOCK: u64 = 0x426B_4572; // "BkEr"
const SIGNATURE_OVERWRITE: u64 = 0x4F57 << 32; // "OW" in LBA 47:32, pattern 0 in 31:0

/// A 48-bit ATA register set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Registers {
    pub feature: u16,
    pub count: u16,
    pub lba: u64,
    pub device: u8,
    pub command: u8,
}

/// The ATA PASS-THROUGH(16) CDB for a non-data 48-bit command.
pub(crate) fn pass_through_cdb(r: Registers) -> [u8; 16] {
    let [f_hi, f_lo] = r.feature.to_be_bytes();
    let [c_hi, c_lo] = r.count.to_be_bytes();
    let lba = r.lba.to_le_bytes();
    [
        ATA_PASS_THROUGH_16,
        NON_DATA_EXTENDED,
        CK_COND,
        f_hi,
        f_lo,
        c_hi,
        c_lo,
        lba[3], // LBA 31:24
        lba[0], // LBA 7:0
        lba[4], // LBA 39:32
        lba[1], // LBA 15:8
        lba[5], // LBA 47:40
        lba[2], // LBA 23:16
        r.device,
        r.command,
        0,
    ]
}

/// SANITIZE DEVICE with the sub-command of `action`. COUNT bit 4 (FAILURE MODE) is 0: a failed
/// sanitize leaves the device in the failed state until it is sanitized successfully.
pub(crate) fn sanitize_registers(action: AtaSanitizeAction) -> Registers {
    let (feature, lba, count) = match action {
        AtaSanitizeAction::CryptoScramble => (FEATURE_CRYPTO_SCRAMBLE_EXT, SIGNATURE_CRYPTO, 0),
        AtaSanitizeAction::BlockErase => (FEATURE_BLOCK_ERASE_EXT, SIGNATURE_BLOCK, 0),
        // one pass (OVERWRITE COUNT 1), no inversion
        AtaSanitizeAction::Overwrite => (FEATURE_OVERWRITE_EXT, SIGNATURE_OVERWRITE, 1),
    };
    Registers {
        feature,
        count,
        lba,
        device: 0x40,
        command: SANITIZE_DEVICE,
    }
}

pub(crate) fn status_registers() -> Registers {
    Registers {
        feature: FEATURE_STATUS_EXT,
        device: 0x40,
        command: SANITIZE_DEVICE,
        ..Registers::default()
    }
}

/// Registers the device returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Returned {
    pub error: u8,
    pub count: u16,
    pub lba: u64,
    pub status: u8,
}

impl Returned {
    /// STATUS bit 0 (ERROR): the command was aborted.
    pub fn failed(&self) -> bool {
        self.status & 0x01 != 0
    }
}

/// Finds the ATA Status Return descriptor (09h) in descriptor-format sense data.
pub(crate) fn parse_returned(sense: &[u8]) -> Result<Returned, String> {
    match sense.first().map(|b| b & 0x7F) {
        Some(0x72 | 0x73) => {}
        Some(code) => {
            return Err(format!(
                "sense data in format {code:#04x} lacks the full ATA registers"
            ));
        }
        None => return Err("no sense data".to_owned()),
    }
    let total = 8 + usize::from(*sense.get(7).unwrap_or(&0));
    let mut at = 8;
    while at + 1 < total.min(sense.len()) {
        let (code, len) = (sense[at], usize::from(sense[at + 1]));
        if code == 0x09 && len >= 12 {
            let d = sense
                .get(at..at + 14)
                .ok_or("truncated ATA Status Return descriptor")?;
            let lba = u64::from_le_bytes([d[7], d[9], d[11], d[6], d[8], d[10], 0, 0]);
            return Ok(Returned {
                error: d[3],
                count: u16::from_be_bytes([d[4], d[5]]),
                lba,
                status: d[13],
            });
        }
        at += 2 + len;
    }
    Err("no ATA Status Return descriptor in the sense data".to_owned())
}

/// SANITIZE STATUS EXT output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AtaSanitizeStatus {
    /// COUNT bit 15: the last sanitize completed without error.
    pub completed_ok: bool,
    /// COUNT bit 14.
    pub in_progress: bool,
    /// LBA 15:0: progress, numerator of 65536.
    pub progress: u16,
    /// The command was aborted (the last sanitize failed, or the device is frozen).
    pub aborted: bool,
}

pub(crate) fn parse_status(r: &Returned) -> AtaSanitizeStatus {
    AtaSanitizeStatus {
        completed_ok: r.count & (1 << 15) != 0,
        in_progress: r.count & (1 << 14) != 0,
        progress: (r.lba & 0xFFFF) as u16,
        aborted: r.failed(),
    }
}

pub(crate) fn send(file: &File, registers: Registers) -> Result<Returned, String> {
    let sense = sg_io::non_data_command(file, &pass_through_cdb(registers))?;
    parse_returned(&sense)
}

#[cfg(test)]
#[path = "ata_cmd_tests.rs"]
mod tests;
