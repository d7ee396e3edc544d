//! What a front offers to sanitize: the whole disks the kernel knows (`/sys/class/block`
//! without partitions), each marked when it holds the running system; and where a
//! certificate may be kept (never on the medium being wiped).

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::WipeError;
use crate::probe::Bus;
use crate::probe::sysfs;
use crate::system::{SystemRoots, backs_system};

/// Kernel names that are never real media: loop, RAM and compressed-RAM devices.
const VIRTUAL_PREFIXES: &[&str] = &["loop", "ram", "zram"];

/// One whole disk, as a device list shows it (facts from sysfs only: nothing is opened).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockDevice {
    /// Kernel name ("sdb").
    pub name: String,
    /// Its node ("/dev/sdb").
    pub path: PathBuf,
    pub size_bytes: u64,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub removable: Option<bool>,
    pub bus: Bus,
    /// Some(reason) when the running system lives on it.
    pub system: Option<String>,
}

/// The whole disks under `roots.sysfs`, by name. Loop, RAM and zram devices are left out
/// unless `include_virtual` (for tests on loop devices).
pub fn block_devices(roots: &SystemRoots, include_virtual: bool) -> Vec<BlockDevice> {
    let Ok(entries) = fs::read_dir(roots.sysfs.join("class/block")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| include_virtual || !VIRTUAL_PREFIXES.iter().any(|p| n.starts_with(p)))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let info = sysfs::read_block_info(&roots.sysfs, &name)?;
            if info.partition.is_some() {
                return None;
            }
            // Unknown is not safe: a device we cannot place is marked as the system's.
            let system =
                backs_system(roots, &name).unwrap_or_else(|e| Some(format!("cannot tell ({e})")));
            Some(BlockDevice {
                path: PathBuf::from("/dev").join(&name),
                name,
                size_bytes: info.size_bytes,
                vendor: info.vendor,
                model: info.model,
                removable: info.removable,
                bus: info.bus,
                system,
            })
        })
        .collect()
}

/// Refuses a certificate path on the medium being wiped: the file itself, a file on a
/// filesystem of that block device, or (through sysfs) of another partition of its disk.
pub fn check_certificate_place(
    roots: &SystemRoots,
    device: &Path,
    cert: &Path,
) -> Result<(), WipeError> {
    let dir = match cert.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let open = |path: &Path, source| WipeError::Open {
        path: path.to_path_buf(),
        source,
    };
    let dev = fs::metadata(device).map_err(|e| open(device, e))?;
    let dir_meta = fs::metadata(&dir).map_err(|e| open(&dir, e))?;
    let refused = || WipeError::CertificateOnMedium {
        path: cert.to_path_buf(),
    };
    if dev.is_file() {
        let device = fs::canonicalize(device).map_err(|e| open(device, e))?;
        let dir = fs::canonicalize(&dir).map_err(|e| open(&dir, e))?;
        let same = cert
            .file_name()
            .is_some_and(|name| dir.join(name) == device);
        return if same { Err(refused()) } else { Ok(()) };
    }
    if !dev.file_type().is_block_device() {
        return Ok(());
    }
    if dir_meta.dev() == dev.rdev() || same_disk(roots, dir_meta.dev(), dev.rdev()) {
        return Err(refused());
    }
    Ok(())
}

/// Whether two device numbers belong to one whole disk.
fn same_disk(roots: &SystemRoots, a: u64, b: u64) -> bool {
    let disk = |rdev: u64| {
        let (major, minor) = crate::probe::split_devnum(rdev);
        let name = sysfs::name_of_devnum(&roots.sysfs, major, minor)?;
        sysfs::whole_disk(&roots.sysfs, &name).map(|(disk, _)| disk)
    };
    matches!((disk(a), disk(b)), (Some(x), Some(y)) if x == y)
}
