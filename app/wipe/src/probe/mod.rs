//! Identifying a medium: size, sector sizes, transport, identity, and what erase commands it
//! supports. `probe(path)` works on block devices and on regular files (for tests).

pub mod ata;
pub mod nvme;
pub(crate) mod sg_io;
pub(crate) mod sysfs;

use std::fs::File;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use ata::AtaIdentity;
pub use nvme::NvmeController;
pub use sysfs::{Bus, UsbBridge};

use crate::error::ProbeError;
use crate::system::{SystemRoots, backs_system};

/// File or device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    RegularFile,
    BlockDevice,
}

/// Kind of medium, as the certificate names it and as the method choice needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    MagneticDisk,
    SolidStateDisk,
    NvmeSsd,
    UsbFlash,
    /// A disk behind a USB bridge whose storage technology could not be determined.
    UsbDisk,
    MemoryCard,
    VirtualDisk,
    RegularFile,
    Unknown,
}

impl MediaType {
    /// Whether the medium is (or may be) flash, where overwriting cannot reach spare blocks.
    pub fn may_be_flash(self) -> bool {
        !matches!(self, MediaType::MagneticDisk)
    }
}

/// Which command channel to the device works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum Passthrough {
    NotApplicable,
    NvmeAdmin,
    AtaPassThrough,
    Unavailable(String),
}

/// Host Protected Area and Device Configuration Overlay, as far as IDENTIFY shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HiddenAreas {
    /// None: not an ATA device, or IDENTIFY unavailable.
    pub hpa_supported: Option<bool>,
    pub hpa_enabled: Option<bool>,
    pub dco_supported: Option<bool>,
    /// Sectors the drive hides beyond the user area; None when not determined.
    pub hidden_sectors: Option<u64>,
}

impl HiddenAreas {
    /// A short statement for the certificate.
    pub fn summary(&self) -> String {
        match (self.hpa_supported, self.hidden_sectors) {
            (None, _) => "not determined (no ATA IDENTIFY data)".to_owned(),
            (_, Some(0)) => "none hidden".to_owned(),
            (_, Some(n)) => format!("{n} sectors hidden (HPA/DCO); not overwritten"),
            (Some(hpa), None) => format!(
                "HPA feature {}{}, DCO {}; hidden size not measured",
                if hpa { "supported" } else { "not supported" },
                if self.hpa_enabled == Some(true) {
                    " and enabled"
                } else {
                    ""
                },
                if self.dco_supported == Some(true) {
                    "supported"
                } else {
                    "not supported"
                },
            ),
        }
    }
}

/// Everything known about a medium before choosing how to erase it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    pub path: PathBuf,
    pub kind: DeviceKind,
    /// Kernel name of the whole disk ("sda", "nvme0n1"); None for files.
    pub disk_name: Option<String>,
    /// Some(name) when the path is a partition: only the partition is erased.
    pub partition: Option<String>,
    pub capacity_bytes: u64,
    pub logical_sector_size: u32,
    pub physical_sector_size: u32,
    pub rotational: Option<bool>,
    pub removable: Option<bool>,
    pub bus: Bus,
    pub usb: Option<UsbBridge>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    pub media_type: MediaType,
    pub nvme: Option<NvmeController>,
    pub ata: Option<AtaIdentity>,
    pub passthrough: Passthrough,
    pub hidden_areas: HiddenAreas,
    /// Some(reason) when the device holds the running system.
    pub system_device: Option<String>,
}

/// Probes `path` on the running system.
pub fn probe(path: &Path) -> Result<Probe, ProbeError> {
    probe_with(path, &SystemRoots::default())
}

/// Probes `path`, reading sysfs and mountinfo from `roots`.
pub fn probe_with(path: &Path, roots: &SystemRoots) -> Result<Probe, ProbeError> {
    let meta = std::fs::metadata(path).map_err(|e| ProbeError::io(path, e))?;
    if meta.is_file() {
        return Ok(regular_file(path, meta.len()));
    }
    if !meta.file_type().is_block_device() {
        return Err(ProbeError::Unsupported(path.to_path_buf()));
    }
    let (major, minor) = split_devnum(meta.rdev());
    let name = sysfs::name_of_devnum(&roots.sysfs, major, minor).ok_or(ProbeError::Parse {
        path: path.to_path_buf(),
        what: "sysfs device number",
    })?;
    let info = sysfs::read_block_info(&roots.sysfs, &name).ok_or(ProbeError::Parse {
        path: path.to_path_buf(),
        what: "sysfs block attributes",
    })?;
    let mut probe = from_sysfs(path, info);
    probe.system_device = backs_system(roots, &name)?;
    identify_via_passthrough(&mut probe);
    Ok(probe)
}

fn regular_file(path: &Path, len: u64) -> Probe {
    Probe {
        path: path.to_path_buf(),
        kind: DeviceKind::RegularFile,
        disk_name: None,
        partition: None,
        capacity_bytes: len,
        logical_sector_size: 512,
        physical_sector_size: 4096,
        rotational: None,
        removable: None,
        bus: Bus::File,
        usb: None,
        vendor: None,
        model: None,
        serial: None,
        firmware: None,
        media_type: MediaType::RegularFile,
        nvme: None,
        ata: None,
        passthrough: Passthrough::NotApplicable,
        hidden_areas: HiddenAreas::default(),
        system_device: None,
    }
}

fn from_sysfs(path: &Path, info: sysfs::SysfsBlockInfo) -> Probe {
    let mut probe = regular_file(path, info.size_bytes);
    probe.kind = DeviceKind::BlockDevice;
    probe.disk_name = Some(info.disk);
    probe.partition = info.partition;
    probe.logical_sector_size = info.logical_block_size;
    probe.physical_sector_size = info.physical_block_size;
    probe.rotational = info.rotational;
    probe.removable = info.removable;
    probe.bus = info.bus;
    probe.usb = info.usb;
    probe.vendor = info.vendor;
    probe.model = info.model;
    probe.serial = info.serial;
    probe.firmware = info.firmware;
    probe.passthrough = Passthrough::Unavailable("not tried".to_owned());
    probe.media_type = classify(&probe);
    probe
}

/// Linux encodes device numbers as in glibc's gnu_dev_major/minor.
pub(crate) fn split_devnum(rdev: u64) -> (u32, u32) {
    let major = ((rdev >> 32) & 0xFFFF_F000) | ((rdev >> 8) & 0x0FFF);
    let minor = ((rdev >> 12) & 0xFFFF_FF00) | (rdev & 0x00FF);
    (major as u32, minor as u32)
}

/// Asks the device itself (read-only commands): NVMe Identify, or ATA IDENTIFY through SG_IO.
fn identify_via_passthrough(probe: &mut Probe) {
    let transport = match probe.bus {
        Bus::Nvme => Bus::Nvme,
        Bus::Ata | Bus::Usb | Bus::Scsi => Bus::Ata,
        _ => {
            probe.passthrough = Passthrough::NotApplicable;
            return;
        }
    };
    let file = match File::open(&probe.path) {
        Ok(file) => file,
        Err(e) => {
            probe.passthrough = Passthrough::Unavailable(format!("cannot open: {e}"));
            return;
        }
    };
    if transport == Bus::Nvme {
        match nvme::identify_controller(&file) {
            Ok(ctrl) => apply_nvme(probe, ctrl),
            Err(why) => probe.passthrough = Passthrough::Unavailable(why),
        }
    } else {
        match ata::identify_device(&file) {
            Ok(identity) => apply_ata(probe, identity),
            Err(why) => probe.passthrough = Passthrough::Unavailable(why),
        }
    }
}

pub(crate) fn apply_nvme(probe: &mut Probe, ctrl: NvmeController) {
    probe.model = Some(ctrl.model.clone())
        .filter(|m| !m.is_empty())
        .or(probe.model.take());
    probe.serial = Some(ctrl.serial.clone())
        .filter(|s| !s.is_empty())
        .or(probe.serial.take());
    probe.firmware = Some(ctrl.firmware.clone())
        .filter(|f| !f.is_empty())
        .or(probe.firmware.take());
    probe.passthrough = Passthrough::NvmeAdmin;
    probe.nvme = Some(ctrl);
    probe.media_type = classify(probe);
}

pub(crate) fn apply_ata(probe: &mut Probe, identity: AtaIdentity) {
    probe.model = Some(identity.model.clone())
        .filter(|m| !m.is_empty())
        .or(probe.model.take());
    probe.serial = Some(identity.serial.clone())
        .filter(|s| !s.is_empty())
        .or(probe.serial.take());
    probe.firmware = Some(identity.firmware.clone())
        .filter(|f| !f.is_empty())
        .or(probe.firmware.take());
    probe.hidden_areas = HiddenAreas {
        hpa_supported: Some(identity.hpa_supported),
        hpa_enabled: Some(identity.hpa_enabled),
        dco_supported: Some(identity.dco_supported),
        hidden_sectors: None,
    };
    probe.passthrough = Passthrough::AtaPassThrough;
    probe.ata = Some(identity);
    probe.media_type = classify(probe);
}

/// Media type from everything known; device-reported facts win over sysfs guesses.
pub(crate) fn classify(probe: &Probe) -> MediaType {
    let solid = probe.ata.as_ref().and_then(AtaIdentity::is_solid_state);
    match probe.bus {
        Bus::File => MediaType::RegularFile,
        Bus::Nvme => MediaType::NvmeSsd,
        Bus::Mmc => MediaType::MemoryCard,
        Bus::Loop | Bus::Virtio | Bus::DeviceMapper => MediaType::VirtualDisk,
        Bus::Usb => match solid {
            Some(true) => MediaType::SolidStateDisk,
            Some(false) => MediaType::MagneticDisk,
            // USB sticks report rotational=1 by default, so only "removable" hints at a stick
            None if probe.removable == Some(true) => MediaType::UsbFlash,
            None => MediaType::UsbDisk,
        },
        Bus::Ata | Bus::Scsi | Bus::Other => match solid.or(probe.rotational.map(|r| !r)) {
            Some(true) => MediaType::SolidStateDisk,
            Some(false) => MediaType::MagneticDisk,
            None => MediaType::Unknown,
        },
    }
}
