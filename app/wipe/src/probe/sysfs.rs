//! What sysfs tells about a block device. Every function takes the sysfs root as a parameter,
//! so tests run on fake trees.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How the medium is attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bus {
    /// Not a device: a regular file.
    File,
    Nvme,
    /// SATA/PATA through libata.
    Ata,
    Usb,
    /// SCSI/SAS, or a SCSI disk whose transport was not recognised.
    Scsi,
    Mmc,
    Virtio,
    Loop,
    DeviceMapper,
    Other,
}

/// The USB device between the host and the medium (a stick's controller, or a bridge).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UsbBridge {
    pub vendor_id: String,
    pub product_id: String,
    pub manufacturer: Option<String>,
    pub product: Option<String>,
    pub serial: Option<String>,
    /// Link speed in Mbit/s as sysfs gives it ("480", "5000").
    pub speed_mbps: Option<String>,
}

/// Facts read from /sys/class/block/<name> and the devices above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SysfsBlockInfo {
    /// The whole disk's kernel name (the device itself, or the parent of a partition).
    pub disk: String,
    /// Some(partition name) when the device is a partition of `disk`.
    pub partition: Option<String>,
    pub size_bytes: u64,
    pub logical_block_size: u32,
    pub physical_block_size: u32,
    pub rotational: Option<bool>,
    pub removable: Option<bool>,
    pub bus: Bus,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    pub usb: Option<UsbBridge>,
}

/// Kernel name of the block device with this device number (`/sys/dev/block/MAJ:MIN`).
pub(crate) fn name_of_devnum(sysfs: &Path, major: u32, minor: u32) -> Option<String> {
    let link = sysfs.join("dev/block").join(format!("{major}:{minor}"));
    let target = fs::read_link(&link)
        .ok()
        .or_else(|| fs::canonicalize(&link).ok())?;
    target.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// Canonical sysfs directory of a block device.
pub(crate) fn block_dir(sysfs: &Path, name: &str) -> Option<PathBuf> {
    fs::canonicalize(sysfs.join("class/block").join(name)).ok()
}

/// The whole disk a device belongs to: its parent when it is a partition, else itself.
pub(crate) fn whole_disk(sysfs: &Path, name: &str) -> Option<(String, PathBuf)> {
    let dir = block_dir(sysfs, name)?;
    if dir.join("partition").exists() {
        let parent = dir.parent()?;
        Some((
            parent.file_name()?.to_string_lossy().into_owned(),
            parent.to_path_buf(),
        ))
    } else {
        Some((name.to_owned(), dir))
    }
}

pub(crate) fn read_block_info(sysfs: &Path, name: &str) -> Option<SysfsBlockInfo> {
    let (disk, dir) = whole_disk(sysfs, name)?;
    let partition = (disk != name).then(|| name.to_owned());
    let own_dir = block_dir(sysfs, name)?;
    let sectors: u64 = read_parsed(&own_dir.join("size")).unwrap_or(0);
    let device = dir.join("device");
    let bus = bus_of(&disk, &dir);
    let usb = (bus == Bus::Usb).then(|| usb_bridge(sysfs, &dir)).flatten();
    Some(SysfsBlockInfo {
        size_bytes: sectors.saturating_mul(512), // sysfs counts 512-byte units always
        logical_block_size: read_parsed(&dir.join("queue/logical_block_size")).unwrap_or(512),
        physical_block_size: read_parsed(&dir.join("queue/physical_block_size")).unwrap_or(512),
        rotational: read_parsed::<u8>(&dir.join("queue/rotational")).map(|v| v != 0),
        removable: read_parsed::<u8>(&dir.join("removable")).map(|v| v != 0),
        vendor: read_trimmed(&device.join("vendor")),
        model: read_trimmed(&device.join("model")),
        serial: read_trimmed(&device.join("serial")).or_else(|| vpd_serial(&device)),
        firmware: read_trimmed(&device.join("firmware_rev"))
            .or_else(|| read_trimmed(&device.join("rev"))),
        disk,
        partition,
        bus,
        usb,
    })
}

/// Transport, from the kernel name and the device path.
fn bus_of(disk: &str, dir: &Path) -> Bus {
    let path = dir.to_string_lossy();
    let has = |s: &str| path.contains(s);
    if disk.starts_with("nvme") {
        Bus::Nvme
    } else if disk.starts_with("loop") {
        Bus::Loop
    } else if disk.starts_with("dm-") {
        Bus::DeviceMapper
    } else if has("/usb") {
        Bus::Usb
    } else if disk.starts_with("mmcblk") || has("/mmc_host/") {
        Bus::Mmc
    } else if has("/virtio") {
        Bus::Virtio
    } else if has("/ata") {
        Bus::Ata
    } else if dir.join("device/scsi_level").exists() || dir.join("device/vendor").exists() {
        Bus::Scsi
    } else {
        Bus::Other
    }
}

/// The nearest USB device above the disk (it has idVendor/idProduct).
fn usb_bridge(sysfs: &Path, dir: &Path) -> Option<UsbBridge> {
    let root = fs::canonicalize(sysfs).ok()?;
    let usb_dir = dir
        .ancestors()
        .take_while(|a| a.starts_with(&root))
        .find(|a| a.join("idVendor").exists())?;
    Some(UsbBridge {
        vendor_id: read_trimmed(&usb_dir.join("idVendor"))?,
        product_id: read_trimmed(&usb_dir.join("idProduct")).unwrap_or_default(),
        manufacturer: read_trimmed(&usb_dir.join("manufacturer")),
        product: read_trimmed(&usb_dir.join("product")),
        serial: read_trimmed(&usb_dir.join("serial")),
        speed_mbps: read_trimmed(&usb_dir.join("speed")),
    })
}

/// SCSI VPD page 80h (unit serial number): 4-byte header, then ASCII.
fn vpd_serial(device: &Path) -> Option<String> {
    let page = fs::read(device.join("vpd_pg80")).ok()?;
    let len = usize::from(*page.get(3)?);
    let text = page.get(4..4 + len)?;
    let serial = String::from_utf8_lossy(text).trim().to_owned();
    (!serial.is_empty()).then_some(serial)
}

fn read_trimmed(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn read_parsed<T: std::str::FromStr>(path: &Path) -> Option<T> {
    read_trimmed(path)?.parse().ok()
}

/// The device's `slaves/` entries (the devices a dm/md device is built on).
pub(crate) fn slaves(sysfs: &Path, name: &str) -> Vec<String> {
    let Some(dir) = block_dir(sysfs, name) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(dir.join("slaves")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A loop device's backing file.
pub(crate) fn loop_backing_file(sysfs: &Path, name: &str) -> Option<PathBuf> {
    let dir = block_dir(sysfs, name)?;
    read_trimmed(&dir.join("loop/backing_file")).map(PathBuf::from)
}

#[cfg(test)]
#[path = "sysfs_tests.rs"]
mod tests;
