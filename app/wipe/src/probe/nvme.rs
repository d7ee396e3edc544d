//! NVMe Identify Controller: parsing the 4096-byte structure, and fetching it with the admin
//! pass-through ioctl.

use std::fs::File;
use std::os::fd::AsRawFd;

use serde::Serialize;

/// Length of the Identify Controller data structure.
pub const IDENTIFY_LEN: usize = 4096;

/// `NVME_IOCTL_ADMIN_CMD` = _IOWR('N', 0x41, struct nvme_passthru_cmd) (72 bytes).
const NVME_IOCTL_ADMIN_CMD: libc::c_ulong = 0xC048_4E41;
const OPCODE_IDENTIFY: u8 = 0x06;
const CNS_CONTROLLER: u32 = 0x01;

/// Sanitize actions the controller supports (SANICAP, bytes 328-331).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NvmeSanitizeSupport {
    pub crypto_erase: bool,
    pub block_erase: bool,
    pub overwrite: bool,
}

/// What Identify Controller says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NvmeController {
    pub vendor_id: u16,
    pub serial: String,
    pub model: String,
    pub firmware: String,
    /// OACS bit 1: Format NVM supported.
    pub format_supported: bool,
    /// FNA bit 2: Format NVM can do a cryptographic erase (SES=2).
    pub format_crypto_erase: bool,
    /// FNA bit 1: a secure-erase Format applies to all namespaces.
    pub format_erase_all_namespaces: bool,
    pub sanitize: NvmeSanitizeSupport,
    /// Raw OACS, SANICAP and FNA, for the certificate's device-state record.
    pub oacs: u16,
    pub sanicap: u32,
    pub fna: u8,
}

/// Why Identify data was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NvmeParseError {
    #[error("Identify Controller data is {0} bytes, expected 4096")]
    Length(usize),
}

pub fn parse_identify_controller(data: &[u8]) -> Result<NvmeController, NvmeParseError> {
    if data.len() != IDENTIFY_LEN {
        return Err(NvmeParseError::Length(data.len()));
    }
    let oacs = u16::from_le_bytes([data[256], data[257]]);
    let sanicap = u32::from_le_bytes([data[328], data[329], data[330], data[331]]);
    let fna = data[524];
    Ok(NvmeController {
        vendor_id: u16::from_le_bytes([data[0], data[1]]),
        serial: ascii_field(&data[4..24]),
        model: ascii_field(&data[24..64]),
        firmware: ascii_field(&data[64..72]),
        format_supported: oacs & (1 << 1) != 0,
        format_crypto_erase: fna & (1 << 2) != 0,
        format_erase_all_namespaces: fna & (1 << 1) != 0,
        sanitize: NvmeSanitizeSupport {
            crypto_erase: sanicap & 1 != 0,
            block_erase: sanicap & (1 << 1) != 0,
            overwrite: sanicap & (1 << 2) != 0,
        },
        oacs,
        sanicap,
        fna,
    })
}

/// NVMe strings are ASCII, space-padded on the right.
fn ascii_field(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .trim_matches(|c: char| c == ' ' || c == '\0')
        .to_owned()
}

/// `struct nvme_passthru_cmd` from <linux/nvme_ioctl.h>.
#[repr(C)]
#[derive(Default)]
struct NvmePassthruCmd {
    opcode: u8,
    flags: u8,
    rsvd1: u16,
    nsid: u32,
    cdw2: u32,
    cdw3: u32,
    metadata: u64,
    addr: u64,
    metadata_len: u32,
    data_len: u32,
    cdw10: u32,
    cdw11: u32,
    cdw12: u32,
    cdw13: u32,
    cdw14: u32,
    cdw15: u32,
    timeout_ms: u32,
    result: u32,
}

/// Sends one admin command; the completion's status field is the error when non-zero.
fn admin(file: &File, cmd: &mut NvmePassthruCmd, what: &str) -> Result<u32, String> {
    // SAFETY: `cmd` is a valid nvme_passthru_cmd; its addr/data_len, when set, describe a
    // buffer owned by the caller and alive for this synchronous ioctl.
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
            "NVMe admin ioctl ({what}) failed: {}",
            std::io::Error::last_os_error()
        )),
        status => Err(format!("NVMe {what} failed with status {status:#x}")),
    }
}

/// Sends Identify Controller to the controller behind `file` (a namespace or controller node).
pub(crate) fn identify_controller(file: &File) -> Result<NvmeController, String> {
    let mut data = vec![0u8; IDENTIFY_LEN];
    let mut cmd = NvmePassthruCmd {
        opcode: OPCODE_IDENTIFY,
        addr: data.as_mut_ptr() as u64,
        data_len: IDENTIFY_LEN as u32,
        cdw10: CNS_CONTROLLER,
        timeout_ms: 10_000,
        ..Default::default()
    };
    admin(file, &mut cmd, "Identify")?;
    parse_identify_controller(&data).map_err(|e| e.to_string())
}

/// `NVME_IOCTL_ID` = _IO('N', 0x40): the namespace ID of a namespace block device.
const NVME_IOCTL_ID: libc::c_ulong = 0x4E40;
const OPCODE_FORMAT_NVM: u8 = 0x80;
const CNS_NAMESPACE: u32 = 0x00;

/// How a namespace is formatted now (Identify Namespace FLBAS and DPS), so that a secure-erase
/// Format keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamespaceFormat {
    /// Index of the LBA format in use (FLBAS bits 3:0, and 6:5 as bits 5:4).
    pub lba_format: u8,
    /// Metadata at the end of each block (FLBAS bit 4).
    pub metadata_extended: bool,
    /// Protection information type (DPS bits 2:0) and its position (DPS bit 3).
    pub protection: u8,
    pub protection_first: bool,
}

/// Reads FLBAS (byte 26) and DPS (byte 29) of Identify Namespace data.
pub fn parse_namespace_format(data: &[u8]) -> Result<NamespaceFormat, NvmeParseError> {
    if data.len() != IDENTIFY_LEN {
        return Err(NvmeParseError::Length(data.len()));
    }
    let (flbas, dps) = (data[26], data[29]);
    Ok(NamespaceFormat {
        lba_format: (flbas & 0x0f) | ((flbas >> 5) & 0x03) << 4,
        metadata_extended: flbas & (1 << 4) != 0,
        protection: dps & 0x07,
        protection_first: dps & (1 << 3) != 0,
    })
}

/// Format NVM's command dword 10 (NVMe Base Specification 2.0, Figure 327): the namespace's
/// own format kept, `ses` the Secure Erase Setting (1 user data erase, 2 cryptographic erase).
pub fn format_cdw10(format: NamespaceFormat, ses: u8) -> u32 {
    let lbaf = u32::from(format.lba_format);
    (lbaf & 0x0f)
        | u32::from(format.metadata_extended) << 4
        | u32::from(format.protection & 0x07) << 5
        | u32::from(format.protection_first) << 8
        | u32::from(ses & 0x07) << 9
        | ((lbaf >> 4) & 0x03) << 12
}

/// The namespace ID of the namespace block device `file`.
pub(crate) fn namespace_id(file: &File) -> Result<u32, String> {
    // SAFETY: NVME_IOCTL_ID takes no argument and returns the ID or -1.
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), NVME_IOCTL_ID as _) };
    u32::try_from(rc)
        .map_err(|_| format!("not an NVMe namespace: {}", std::io::Error::last_os_error()))
}

pub(crate) fn identify_namespace(file: &File, nsid: u32) -> Result<NamespaceFormat, String> {
    let mut data = vec![0u8; IDENTIFY_LEN];
    let mut cmd = NvmePassthruCmd {
        opcode: OPCODE_IDENTIFY,
        nsid,
        addr: data.as_mut_ptr() as u64,
        data_len: IDENTIFY_LEN as u32,
        cdw10: CNS_NAMESPACE,
        timeout_ms: 10_000,
        ..Default::default()
    };
    admin(file, &mut cmd, "Identify Namespace")?;
    parse_namespace_format(&data).map_err(|e| e.to_string())
}

/// Sends Format NVM and waits for it (it may take minutes on a large drive).
pub(crate) fn format_nvm(file: &File, nsid: u32, cdw10: u32) -> Result<(), String> {
    let mut cmd = NvmePassthruCmd {
        opcode: OPCODE_FORMAT_NVM,
        nsid,
        cdw10,
        timeout_ms: 3_600_000,
        ..Default::default()
    };
    admin(file, &mut cmd, "Format NVM").map(drop)
}

#[cfg(test)]
mod format_tests {
    use super::*;

    fn identify_ns(flbas: u8, dps: u8) -> Vec<u8> {
        let mut data = vec![0u8; IDENTIFY_LEN];
        data[26] = flbas;
        data[29] = dps;
        data
    }

    #[test]
    fn a_user_data_erase_keeps_the_namespace_format() {
        // LBA format 1, no metadata, no protection: CDW10 = LBAF 1 | SES 1 << 9.
        let f = parse_namespace_format(&identify_ns(0x01, 0)).unwrap();
        assert_eq!(format_cdw10(f, 1), 0x0000_0201);
        // Crypto erase of LBA format 0.
        let f = parse_namespace_format(&identify_ns(0x00, 0)).unwrap();
        assert_eq!(format_cdw10(f, 2), 0x0000_0400);
    }

    #[test]
    fn metadata_protection_and_high_format_bits_are_carried_over() {
        // FLBAS: format 0b10_0011 (35: low 3, high 2), extended metadata; DPS: type 1, first.
        let f = parse_namespace_format(&identify_ns(0b0101_0011, 0b0000_1001)).unwrap();
        assert_eq!(f.lba_format, 35);
        assert!(f.metadata_extended && f.protection_first);
        assert_eq!(f.protection, 1);
        // 3 | MSET<<4 | PI 1<<5 | PIL<<8 | SES 1<<9 | 2<<12
        assert_eq!(
            format_cdw10(f, 1),
            0x3 | 0x10 | 0x20 | 0x100 | 0x200 | 0x2000
        );
    }

    #[test]
    fn short_identify_data_is_refused() {
        assert!(parse_namespace_format(&[0u8; 512]).is_err());
    }
}
