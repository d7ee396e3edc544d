//! NVMe admin commands that erase: Sanitize (opcode 84h), Format NVM (80h), and the Sanitize
//! Status log page (LID 81h) polled for progress. Encodings follow NVMe Base Specification 2.0.

use std::fs::File;
use std::os::fd::AsRawFd;

use crate::plan::NvmeSanitizeAction;
use crate::probe::nvme::{NVME_IOCTL_ADMIN_CMD, NvmePassthruCmd};

const OPCODE_GET_LOG_PAGE: u8 = 0x02;
const OPCODE_IDENTIFY: u8 = 0x06;
const OPCODE_FORMAT_NVM: u8 = 0x80;
const OPCODE_SANITIZE: u8 = 0x84;
const LID_SANITIZE_STATUS: u32 = 0x81;
/// Only the first 20 bytes of the 512-byte log page are used.
const SANITIZE_LOG_LEN: usize = 512;
/// `NVME_IOCTL_ID` = _IO('N', 0x40): the namespace ID behind a namespace node.
const NVME_IOCTL_ID: libc::c_ulong = 0x4E40;
/// Format NVM with a secure erase can take minutes on real drives.
const FORMAT_TIMEOUT_MS: u32 = 3_600_000;

/// Sanitize CDW10: SANACT (bits 2:0), AUSE 0 (bit 3), OWPASS (bits 7:4), OIPBP 0, NDAS 0.
/// Overwrite is one pass of the pattern in CDW11 (0), enough on flash where it is Purge by
/// design of the device.
pub(crate) fn sanitize_cdw10(action: NvmeSanitizeAction) -> u32 {
    match action {
        NvmeSanitizeAction::BlockErase => 0x2,
        NvmeSanitizeAction::Overwrite => 0x3 | (1 << 4),
        NvmeSanitizeAction::CryptoErase => 0x4,
    }
}

/// The namespace's current format, from Identify Namespace (FLBAS byte 26, DPS byte 29), so a
/// Format NVM erases without changing the block size or protection information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NamespaceFormat {
    pub flbas: u8,
    pub dps: u8,
}

pub(crate) fn parse_namespace_format(identify_ns: &[u8]) -> Option<NamespaceFormat> {
    Some(NamespaceFormat {
        flbas: *identify_ns.get(26)?,
        dps: *identify_ns.get(29)?,
    })
}

/// Format NVM CDW10: LBAF (3:0, upper bits 13:12), MSET (4), PI (7:5), PIL (8), SES (11:9).
pub(crate) fn format_cdw10(current: NamespaceFormat, ses: u8) -> u32 {
    let flbas = u32::from(current.flbas);
    let dps = u32::from(current.dps);
    let lbaf_low = flbas & 0xF;
    let mset = (flbas >> 4) & 1;
    let lbaf_high = (flbas >> 5) & 0x3;
    let pi = dps & 0x7;
    let pil = (dps >> 3) & 1;
    lbaf_low | mset << 4 | pi << 5 | pil << 8 | (u32::from(ses) & 0x7) << 9 | lbaf_high << 12
}

/// Get Log Page CDW10: LID (7:0), NUMDL (31:16) = dwords - 1.
pub(crate) fn get_log_cdw10(lid: u32, bytes: usize) -> u32 {
    let dwords = (bytes / 4) as u32;
    lid | (dwords - 1) << 16
}

/// SSTAT bits 2:0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SanitizeState {
    NeverSanitized,
    Completed,
    InProgress,
    Failed,
    CompletedNoDeallocate,
    Reserved(u8),
}

/// The Sanitize Status log page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SanitizeStatus {
    /// SPROG: fraction done, numerator of 65536 (FFFFh when not in progress).
    pub progress: u16,
    pub state: SanitizeState,
    /// SSTAT bit 8: no user data has been written since the last sanitize/creation.
    pub global_data_erased: bool,
    /// The CDW10 of the last Sanitize command.
    pub last_cdw10: u32,
}

pub(crate) fn parse_sanitize_status(log: &[u8]) -> Option<SanitizeStatus> {
    let sprog = u16::from_le_bytes([*log.first()?, *log.get(1)?]);
    let sstat = u16::from_le_bytes([*log.get(2)?, *log.get(3)?]);
    let cdw10 = u32::from_le_bytes(log.get(4..8)?.try_into().ok()?);
    let state = match (sstat & 0x7) as u8 {
        0 => SanitizeState::NeverSanitized,
        1 => SanitizeState::Completed,
        2 => SanitizeState::InProgress,
        3 => SanitizeState::Failed,
        4 => SanitizeState::CompletedNoDeallocate,
        other => SanitizeState::Reserved(other),
    };
    Some(SanitizeStatus {
        progress: sprog,
        state,
        global_data_erased: sstat & (1 << 8) != 0,
        last_cdw10: cdw10,
    })
}

/// The completion status Linux returns from the admin ioctl (a positive value): SC in bits 7:0,
/// SCT in 10:8, DNR in bit 14.
pub(crate) fn describe_status(status: u32) -> String {
    let sct = (status >> 8) & 0x7;
    let sc = status & 0xFF;
    let name = match (sct, sc) {
        (0, 0x00) => "Successful Completion",
        (0, 0x01) => "Invalid Command Opcode",
        (0, 0x02) => "Invalid Field in Command",
        (0, 0x04) => "Data Transfer Error",
        (0, 0x06) => "Internal Error",
        (0, 0x0B) => "Invalid Namespace or Format",
        (0, 0x1C) => "Sanitize Failed",
        (0, 0x1D) => "Sanitize In Progress",
        (1, 0x0A) => "Invalid Format",
        (1, 0x20) => "Namespace is Write Protected",
        _ => "other",
    };
    let dnr = if status & (1 << 14) != 0 { ", DNR" } else { "" };
    format!("{name} (SCT {sct:#x}, SC {sc:#04x}{dnr})")
}

/// One admin command, synchronously. Ok(completion dword 0) on success.
pub(crate) fn admin(file: &File, cmd: &mut NvmePassthruCmd) -> Result<u32, String> {
    // SAFETY: cmd is a valid nvme_passthru_cmd; when addr is set it points to a live buffer of
    // data_len bytes owned by the caller for the duration of this synchronous ioctl.
    let rc = unsafe {
        libc::ioctl(
            file.as_raw_fd(),
            NVME_IOCTL_ADMIN_CMD as _,
            cmd as *mut NvmePassthruCmd,
        )
    };
    match rc {
        0 => Ok(cmd.result),
        rc if rc < 0 => Err(format!(
            "NVMe admin ioctl failed: {}",
            std::io::Error::last_os_error()
        )),
        status => Err(describe_status(status as u32)),
    }
}

/// The namespace ID behind a namespace block device.
pub(crate) fn namespace_id(file: &File) -> Result<u32, String> {
    // SAFETY: NVME_IOCTL_ID takes no argument and returns the NSID or -1.
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), NVME_IOCTL_ID as _) };
    u32::try_from(rc).map_err(|_| {
        format!(
            "cannot read the namespace ID: {}",
            std::io::Error::last_os_error()
        )
    })
}

pub(crate) fn identify_namespace(file: &File, nsid: u32) -> Result<NamespaceFormat, String> {
    let mut data = vec![0u8; 4096];
    let mut cmd = NvmePassthruCmd {
        opcode: OPCODE_IDENTIFY,
        nsid,
        addr: data.as_mut_ptr() as u64,
        data_len: data.len() as u32,
        timeout_ms: 10_000,
        ..Default::default()
    };
    admin(file, &mut cmd)?;
    parse_namespace_format(&data).ok_or_else(|| "short Identify Namespace data".to_owned())
}

pub(crate) fn send_sanitize(file: &File, action: NvmeSanitizeAction) -> Result<(), String> {
    let mut cmd = NvmePassthruCmd {
        opcode: OPCODE_SANITIZE,
        cdw10: sanitize_cdw10(action),
        timeout_ms: 60_000,
        ..Default::default()
    };
    admin(file, &mut cmd).map(|_| ())
}

pub(crate) fn send_format(file: &File, nsid: u32, cdw10: u32) -> Result<(), String> {
    let mut cmd = NvmePassthruCmd {
        opcode: OPCODE_FORMAT_NVM,
        nsid,
        cdw10,
        timeout_ms: FORMAT_TIMEOUT_MS,
        ..Default::default()
    };
    admin(file, &mut cmd).map(|_| ())
}

pub(crate) fn sanitize_status(file: &File) -> Result<SanitizeStatus, String> {
    let mut data = vec![0u8; SANITIZE_LOG_LEN];
    let mut cmd = NvmePassthruCmd {
        opcode: OPCODE_GET_LOG_PAGE,
        nsid: 0xFFFF_FFFF,
        addr: data.as_mut_ptr() as u64,
        data_len: SANITIZE_LOG_LEN as u32,
        cdw10: get_log_cdw10(LID_SANITIZE_STATUS, SANITIZE_LOG_LEN),
        timeout_ms: 10_000,
        ..Default::default()
    };
    admin(file, &mut cmd)?;
    parse_sanitize_status(&data).ok_or_else(|| "short Sanitize Status log".to_owned())
}

#[cfg(test)]
#[path = "nvme_cmd_tests.rs"]
mod tests;
