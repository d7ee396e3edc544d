//! NVMe Identify Controller: parsing the 4096-byte structure, and fetching it with the admin
//! pass-through ioctl.

use std::fs::File;
use std::os::fd::AsRawFd;

use serde::Serialize;

/// Length of the Identify Controller data structure.
pub const IDENTIFY_LEN: usize = 4096;

/// `NVME_IOCTL_ADMIN_CMD` = _IOWR('N', 0x41, struct nvme_passthru_cmd) (72 bytes).
pub(crate) const NVME_IOCTL_ADMIN_CMD: libc::c_ulong = 0xC048_4E41;
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
pub(crate) struct NvmePassthruCmd {
    pub opcode: u8,
    pub flags: u8,
    pub rsvd1: u16,
    pub nsid: u32,
    pub cdw2: u32,
    pub cdw3: u32,
    pub metadata: u64,
    pub addr: u64,
    pub metadata_len: u32,
    pub data_len: u32,
    pub cdw10: u32,
    pub cdw11: u32,
    pub cdw12: u32,
    pub cdw13: u32,
    pub cdw14: u32,
    pub cdw15: u32,
    pub timeout_ms: u32,
    pub result: u32,
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
    // SAFETY: cmd.addr points to `data`, IDENTIFY_LEN bytes long and alive for the synchronous
    // ioctl; the kernel writes at most data_len bytes there.
    let rc = unsafe {
        libc::ioctl(
            file.as_raw_fd(),
            NVME_IOCTL_ADMIN_CMD as _,
            &mut cmd as *mut NvmePassthruCmd,
        )
    };
    match rc {
        0 => parse_identify_controller(&data).map_err(|e| e.to_string()),
        rc if rc < 0 => Err(format!(
            "NVMe admin ioctl failed: {}",
            std::io::Error::last_os_error()
        )),
        status => Err(format!("NVMe Identify failed with status {status:#x}")),
    }
}
