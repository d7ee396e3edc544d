//! The SG_IO ioctl: SCSI commands (here ATA PASS-THROUGH) sent from user space.

use std::fs::File;
use std::os::fd::AsRawFd;

/// `SG_IO` from <scsi/sg.h>.
const SG_IO: libc::c_ulong = 0x2285;
const SG_DXFER_NONE: libc::c_int = -1;
const SG_DXFER_FROM_DEV: libc::c_int = -3;
const SENSE_LEN: usize = 32;
const TIMEOUT_MS: libc::c_uint = 10_000;

/// `struct sg_io_hdr` from <scsi/sg.h>.
#[repr(C)]
struct SgIoHdr {
    interface_id: libc::c_int,
    dxfer_direction: libc::c_int,
    cmd_len: libc::c_uchar,
    mx_sb_len: libc::c_uchar,
    iovec_count: libc::c_ushort,
    dxfer_len: libc::c_uint,
    dxferp: *mut libc::c_void,
    cmdp: *const libc::c_uchar,
    sbp: *mut libc::c_uchar,
    timeout: libc::c_uint,
    flags: libc::c_uint,
    pack_id: libc::c_int,
    usr_ptr: *mut libc::c_void,
    status: libc::c_uchar,
    masked_status: libc::c_uchar,
    msg_status: libc::c_uchar,
    sb_len_wr: libc::c_uchar,
    host_status: libc::c_ushort,
    driver_status: libc::c_ushort,
    resid: libc::c_int,
    duration: libc::c_uint,
    info: libc::c_uint,
}

/// Sends a data-in command. Err(reason) when the device, driver or bridge rejects it.
pub(crate) fn read_command(file: &File, cdb: &[u8; 16], data: &mut [u8]) -> Result<(), String> {
    let len = libc::c_uint::try_from(data.len()).map_err(|_| "buffer too large".to_owned())?;
    let (hdr, sense) = send(file, cdb, SG_DXFER_FROM_DEV, data.as_mut_ptr().cast(), len)?;
    check_status(&hdr, &sense)
}

/// Sends a non-data command with CK_COND set and returns the sense data, which carries the
/// ATA registers (the ATA Status Return descriptor). A CHECK CONDITION is expected here.
pub(crate) fn non_data_command(file: &File, cdb: &[u8; 16]) -> Result<Vec<u8>, String> {
    let (hdr, sense) = send(file, cdb, SG_DXFER_NONE, std::ptr::null_mut(), 0)?;
    let sense = sense[..usize::from(hdr.sb_len_wr).min(SENSE_LEN)].to_vec();
    if hdr.host_status != 0 || hdr.driver_status & 0x0F != 0 || sense.is_empty() {
        return Err(format!(
            "command rejected (status {:#x}, host {:#x}, driver {:#x}, no ATA registers)",
            hdr.status, hdr.host_status, hdr.driver_status
        ));
    }
    Ok(sense)
}

fn send(
    file: &File,
    cdb: &[u8; 16],
    direction: libc::c_int,
    data: *mut libc::c_void,
    len: libc::c_uint,
) -> Result<(SgIoHdr, [u8; SENSE_LEN]), String> {
    let mut sense = [0u8; SENSE_LEN];
    let mut hdr = SgIoHdr {
        interface_id: libc::c_int::from(b'S'),
        dxfer_direction: direction,
        cmd_len: 16,
        mx_sb_len: SENSE_LEN as libc::c_uchar,
        iovec_count: 0,
        dxfer_len: len,
        dxferp: data,
        cmdp: cdb.as_ptr(),
        sbp: sense.as_mut_ptr(),
        timeout: TIMEOUT_MS,
        flags: 0,
        pack_id: 0,
        usr_ptr: std::ptr::null_mut(),
        status: 0,
        masked_status: 0,
        msg_status: 0,
        sb_len_wr: 0,
        host_status: 0,
        driver_status: 0,
        resid: 0,
        duration: 0,
        info: 0,
    };
    // SAFETY: hdr points to live buffers (cdb, the caller's data, sense) whose lengths are
    // stated in hdr and which outlive the synchronous ioctl; the kernel writes only within them.
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), SG_IO as _, &mut hdr as *mut SgIoHdr) };
    if rc != 0 {
        return Err(format!("SG_IO failed: {}", std::io::Error::last_os_error()));
    }
    Ok((hdr, sense))
}

fn check_status(hdr: &SgIoHdr, sense: &[u8; SENSE_LEN]) -> Result<(), String> {
    if hdr.status == 0 && hdr.host_status == 0 && hdr.driver_status & 0x0F == 0 && hdr.resid == 0 {
        return Ok(());
    }
    let key = sense_key(&sense[..usize::from(hdr.sb_len_wr).min(SENSE_LEN)]);
    Err(format!(
        "command rejected (status {:#x}, host {:#x}, driver {:#x}, sense key {})",
        hdr.status,
        hdr.host_status,
        hdr.driver_status,
        key.map_or("none".to_owned(), |k| format!("{k:#x}"))
    ))
}

/// Sense key from fixed (70h/71h) or descriptor (72h/73h) sense data.
pub(crate) fn sense_key(sense: &[u8]) -> Option<u8> {
    match sense.first().map(|b| b & 0x7F)? {
        0x70 | 0x71 => sense.get(2).map(|b| b & 0x0F),
        0x72 | 0x73 => sense.get(1).map(|b| b & 0x0F),
        _ => None,
    }
}
