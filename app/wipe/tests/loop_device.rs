//! A real block device: a loop device over a temporary file. Needs root and `losetup`; when
//! `losetup` is missing the test says so and returns, any other failure fails the test.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use kinko_wipe::probe::{Bus, DeviceKind};
use kinko_wipe::{
    MediaType, Method, MethodChoice, NoObserver, Outcome, RunOptions, SanitizationLevel, plan,
    probe, run,
};

const SIZE: u64 = 16 << 20;

/// Detaches the loop device when the test ends, pass or fail.
struct LoopDevice(PathBuf);

impl Drop for LoopDevice {
    fn drop(&mut self) {
        let _ = Command::new("losetup").arg("-d").arg(&self.0).status();
    }
}

fn attach(file: &Path) -> Option<LoopDevice> {
    let output = match Command::new("losetup")
        .args(["-f", "--show"])
        .arg(file)
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("SKIPPED: losetup is not installed, the loop-device test cannot run");
            return None;
        }
        Err(e) => panic!("cannot run losetup: {e}"),
    };
    assert!(
        output.status.success(),
        "losetup failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(LoopDevice(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    )))
}

#[test]
fn probes_overwrites_and_verifies_a_loop_device() {
    let file = tempfile::NamedTempFile::new_in("/var/tmp").unwrap();
    file.as_file().set_len(SIZE).unwrap();
    let Some(device) = attach(file.path()) else {
        return;
    };

    let probe = probe(&device.0).unwrap();
    assert_eq!(probe.kind, DeviceKind::BlockDevice);
    assert_eq!(probe.capacity_bytes, SIZE);
    assert_eq!(probe.logical_sector_size, 512);
    assert!(probe.physical_sector_size >= 512);
    assert!(probe.rotational.is_some(), "rotational flag not read");
    assert_eq!(probe.bus, Bus::Loop);
    assert_eq!(probe.media_type, MediaType::VirtualDisk);
    assert_eq!(probe.system_device, None);
    assert!(
        probe
            .disk_name
            .as_deref()
            .is_some_and(|n| n.starts_with("loop"))
    );

    let plan = plan(&probe, MethodChoice::Auto);
    assert_eq!(
        (plan.method, plan.level),
        (Method::Overwrite, SanitizationLevel::Clear)
    );
    let report = run(&plan, &RunOptions::default(), &mut NoObserver).unwrap();
    assert_eq!(report.outcome, Outcome::Erased);
    assert!(report.direct_io, "a loop device takes O_DIRECT");
    drop(device);
    let data = std::fs::read(file.path()).unwrap();
    assert!(common::is_complement_keystream(&data, &report.seed));
}
