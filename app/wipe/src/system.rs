//! Which disks the running system lives on, so that nobody wipes them by mistake.
//! Inputs are a mountinfo file and a sysfs root, both parameters for testing.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::ProbeError;
use crate::probe::sysfs;

/// Mount points whose devices hold the running system or the medium it booted from.
const SYSTEM_MOUNT_POINTS: &[&str] = &[
    "/",
    "/usr",
    "/boot",
    "/boot/efi",
    "/run/live/medium",
    "/lib/live/mount/medium",
    "/run/initramfs/live",
    "/cdrom",
];

/// Where to look: the real system by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemRoots {
    pub sysfs: PathBuf,
    pub mountinfo: PathBuf,
}

impl Default for SystemRoots {
    fn default() -> Self {
        Self {
            sysfs: PathBuf::from("/sys"),
            mountinfo: PathBuf::from("/proc/self/mountinfo"),
        }
    }
}

/// One line of mountinfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mount {
    pub major: u32,
    pub minor: u32,
    pub mount_point: String,
    pub source: String,
}

/// Parses /proc/self/mountinfo: `id parent MAJ:MIN root mountpoint opts [tags] - fstype source super`.
pub(crate) fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines().filter_map(parse_mount_line).collect()
}

fn parse_mount_line(line: &str) -> Option<Mount> {
    let fields: Vec<&str> = line.split(' ').collect();
    let (major, minor) = fields.get(2)?.split_once(':')?;
    let separator = fields.iter().position(|f| *f == "-")?;
    Some(Mount {
        major: major.parse().ok()?,
        minor: minor.parse().ok()?,
        mount_point: unescape(fields.get(4)?),
        source: unescape(fields.get(separator + 2)?),
    })
}

/// mountinfo escapes space, tab, newline and backslash as \ooo octal.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal.and_then(|d| u8::from_str_radix(std::str::from_utf8(d).ok()?, 8).ok()) {
            Some(byte) => {
                out.push(byte);
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The whole disks (kernel names) that hold the running system, with why.
pub fn system_disks(roots: &SystemRoots) -> Result<Vec<(String, String)>, ProbeError> {
    let text =
        fs::read_to_string(&roots.mountinfo).map_err(|e| ProbeError::io(&roots.mountinfo, e))?;
    let mounts = parse_mountinfo(&text);
    let mut found = Vec::new();
    for mount in mounts
        .iter()
        .filter(|m| SYSTEM_MOUNT_POINTS.contains(&m.mount_point.as_str()))
    {
        let Some(device) = mount_device(&roots.sysfs, mount) else {
            continue;
        };
        let mut disks = BTreeSet::new();
        underlying_disks(&roots.sysfs, &mounts, &device, true, 0, &mut disks);
        for disk in disks {
            found.push((
                disk,
                format!("{} is mounted from {}", mount.mount_point, device),
            ));
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    Ok(found)
}

/// Some(reason) when the block device `name` shares a disk with the running system.
pub fn backs_system(roots: &SystemRoots, name: &str) -> Result<Option<String>, ProbeError> {
    let mut target_disks = BTreeSet::new();
    // the target's own backing file is not followed: wiping a loop device leaves the file's
    // filesystem intact
    underlying_disks(&roots.sysfs, &[], name, false, 0, &mut target_disks);
    let system = system_disks(roots)?;
    Ok(system
        .into_iter()
        .find(|(disk, _)| target_disks.contains(disk))
        .map(|(disk, why)| format!("{disk}: {why}")))
}

/// The block device a mount comes from: by device number, else by its source path
/// (btrfs and some others report a device number that is not a block device).
fn mount_device(sysfs: &Path, mount: &Mount) -> Option<String> {
    if mount.major != 0
        && let Some(name) = sysfs::name_of_devnum(sysfs, mount.major, mount.minor)
    {
        return Some(name);
    }
    let source = mount.source.strip_prefix("/dev/")?;
    match source.strip_prefix("mapper/") {
        Some(dm_name) => dm_device_named(sysfs, dm_name),
        None => Some(source.rsplit('/').next()?.to_owned()),
    }
}

/// The dm-N device whose dm/name is `dm_name`.
fn dm_device_named(sysfs: &Path, dm_name: &str) -> Option<String> {
    let entries = fs::read_dir(sysfs.join("class/block")).ok()?;
    entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| {
            fs::read_to_string(sysfs.join("class/block").join(n).join("dm/name"))
                .is_ok_and(|t| t.trim() == dm_name)
        })
}

const MAX_DEPTH: u32 = 8;

/// Collects the whole disks under `name`: partition → disk, dm/md → slaves, and (when
/// `follow_loops`) loop → the disk holding its backing file.
fn underlying_disks(
    sysfs: &Path,
    mounts: &[Mount],
    name: &str,
    follow_loops: bool,
    depth: u32,
    out: &mut BTreeSet<String>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let disk = sysfs::whole_disk(sysfs, name).map_or_else(|| name.to_owned(), |(d, _)| d);
    let slaves: Vec<String> = [name.to_owned(), disk.clone()]
        .iter()
        .flat_map(|n| sysfs::slaves(sysfs, n))
        .collect();
    let backing = follow_loops
        .then(|| loop_backing_device(sysfs, mounts, &disk))
        .flatten();
    if slaves.is_empty() && backing.is_none() {
        out.insert(disk);
        return;
    }
    for lower in slaves.iter().chain(backing.iter()) {
        underlying_disks(sysfs, mounts, lower, follow_loops, depth + 1, out);
    }
}

/// The block device of the filesystem that holds a loop device's backing file.
fn loop_backing_device(sysfs: &Path, mounts: &[Mount], name: &str) -> Option<String> {
    let file = sysfs::loop_backing_file(sysfs, name)?;
    let mount = mounts
        .iter()
        .filter(|m| file.starts_with(&m.mount_point))
        .max_by_key(|m| m.mount_point.len())?;
    mount_device(sysfs, mount)
}
