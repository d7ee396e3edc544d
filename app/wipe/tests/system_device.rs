//! Refusing to wipe the running system: detection on recorded mountinfo samples and fake
//! sysfs trees (roots passed as parameters, the real system is never consulted).

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use kinko_wipe::probe::{Bus, DeviceKind};
use kinko_wipe::{
    MediaType, MethodChoice, NoObserver, Outcome, RunOptions, SystemRoots, WipeError, backs_system,
    plan, run, system_disks,
};

const PCI_SATA: &str = "devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block";
const PCI_USB: &str =
    "devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block";
const NVME: &str = "devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0";

struct FakeSystem {
    dir: tempfile::TempDir,
}

impl FakeSystem {
    fn new() -> Self {
        let fake = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::create_dir_all(fake.sysfs().join("class/block")).unwrap();
        fs::create_dir_all(fake.sysfs().join("dev/block")).unwrap();
        fake
    }

    fn sysfs(&self) -> PathBuf {
        self.dir.path().join("sys")
    }

    /// A block device at `parent/name`, registered in class/block and dev/block.
    fn device(&self, parent: &Path, name: &str, devnum: &str, partition: bool) -> PathBuf {
        let dir = parent.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("dev"), format!("{devnum}\n")).unwrap();
        if partition {
            fs::write(dir.join("partition"), "1\n").unwrap();
        }
        symlink(&dir, self.sysfs().join("class/block").join(name)).unwrap();
        symlink(&dir, self.sysfs().join("dev/block").join(devnum)).unwrap();
        dir
    }

    fn disk(&self, path: &str, name: &str, devnum: &str) -> PathBuf {
        self.device(&self.sysfs().join(path), name, devnum, false)
    }

    fn roots(&self, mountinfo: &str) -> SystemRoots {
        let path = self.dir.path().join("mountinfo");
        fs::write(&path, mountinfo).unwrap();
        SystemRoots {
            sysfs: self.sysfs(),
            mountinfo: path,
        }
    }

    /// sda (SATA, two partitions) and sdb (USB stick, one partition).
    fn sata_and_usb() -> Self {
        let fake = Self::new();
        let sda = fake.disk(PCI_SATA, "sda", "8:0");
        fake.device(&sda, "sda1", "8:1", true);
        fake.device(&sda, "sda2", "8:2", true);
        fake.device(&sda, "sda3", "8:3", true);
        let sdb = fake.disk(PCI_USB, "sdb", "8:16");
        fake.device(&sdb, "sdb1", "8:17", true);
        fake
    }
}

const INSTALLED: &str = "\
22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
23 28 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
28 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
30 28 8:1 / /boot/efi rw,relatime shared:3 - vfat /dev/sda1 rw,fmask=0077
31 28 8:17 / /media/usb\\040stick rw,relatime - vfat /dev/sdb1 rw
";

#[test]
fn installed_system_on_sata_disk() {
    let fake = FakeSystem::sata_and_usb();
    let roots = fake.roots(INSTALLED);
    let disks: Vec<String> = system_disks(&roots)
        .unwrap()
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    assert_eq!(disks, vec!["sda"]);
    assert!(backs_system(&roots, "sda").unwrap().is_some());
    assert!(
        backs_system(&roots, "sda3").unwrap().is_some(),
        "another partition of the system disk"
    );
    assert_eq!(
        backs_system(&roots, "sdb").unwrap(),
        None,
        "a mounted data stick is not the system"
    );
}

const LIVE: &str = "\
1 0 0:30 / / rw,noatime - overlay overlay rw,lowerdir=/run/live/rootfs/filesystem.squashfs/,upperdir=/run/live/overlay/rw
24 1 0:23 / /run rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,size=1632436k,mode=755
26 24 8:17 / /run/live/medium ro,noatime - iso9660 /dev/sdb1 ro,nojoliet,check=s,map=n,blocksize=2048
27 24 7:0 / /run/live/rootfs/filesystem.squashfs ro,noatime - squashfs /dev/loop0 ro,errors=continue
";

fn with_loop(fake: &FakeSystem, backing: &str) {
    let loop0 = fake.disk("devices/virtual/block", "loop0", "7:0");
    fs::create_dir_all(loop0.join("loop")).unwrap();
    fs::write(loop0.join("loop/backing_file"), format!("{backing}\n")).unwrap();
}

#[test]
fn live_system_booted_from_usb_stick() {
    let fake = FakeSystem::sata_and_usb();
    with_loop(&fake, "/run/live/medium/live/filesystem.squashfs");
    let roots = fake.roots(LIVE);
    let why = backs_system(&roots, "sdb")
        .unwrap()
        .expect("boot stick must be detected");
    assert!(why.contains("/run/live/medium"), "{why}");
    assert_eq!(backs_system(&roots, "sda").unwrap(), None);
}

#[test]
fn live_system_copied_to_ram_frees_the_stick() {
    let fake = FakeSystem::sata_and_usb();
    with_loop(&fake, "/run/live/toram/filesystem.squashfs (deleted)");
    let toram: String = LIVE
        .lines()
        .filter(|l| !l.contains("/run/live/medium"))
        .map(|l| format!("{l}\n"))
        .collect();
    let roots = fake.roots(&toram);
    assert!(system_disks(&roots).unwrap().is_empty());
    assert_eq!(backs_system(&roots, "sdb").unwrap(), None);
}

#[test]
fn root_on_lvm_over_luks_is_traced_to_its_disk() {
    let fake = FakeSystem::sata_and_usb();
    let dm1 = fake.disk("devices/virtual/block", "dm-1", "253:1");
    let dm0 = fake.disk("devices/virtual/block", "dm-0", "253:0");
    for (dir, slave) in [(&dm0, "sda3"), (&dm1, "dm-0")] {
        fs::create_dir_all(dir.join("slaves")).unwrap();
        fs::create_dir(dir.join("slaves").join(slave)).unwrap();
    }
    fs::create_dir_all(dm1.join("dm")).unwrap();
    fs::write(dm1.join("dm/name"), "vg-root\n").unwrap();
    let by_number = "28 1 253:1 / / rw,relatime - ext4 /dev/mapper/vg-root rw\n";
    assert_eq!(system_disks(&fake.roots(by_number)).unwrap()[0].0, "sda");
    // major 0 (btrfs-like): found through the source path and dm/name
    let by_name = "28 1 0:31 / / rw,relatime - btrfs /dev/mapper/vg-root rw\n";
    assert_eq!(system_disks(&fake.roots(by_name)).unwrap()[0].0, "sda");
}

#[test]
fn btrfs_root_on_nvme_partition() {
    let fake = FakeSystem::sata_and_usb();
    let nvme = fake.disk(NVME, "nvme0n1", "259:0");
    fake.device(&nvme, "nvme0n1p2", "259:2", true);
    let roots = fake.roots("28 1 0:25 /@ / rw,relatime - btrfs /dev/nvme0n1p2 rw,ssd\n");
    assert!(backs_system(&roots, "nvme0n1").unwrap().is_some());
    assert_eq!(backs_system(&roots, "sda").unwrap(), None);
}

#[test]
fn run_refuses_the_boot_stick_unless_the_system_is_in_memory() {
    let fake = FakeSystem::sata_and_usb();
    with_loop(&fake, "/run/live/medium/live/filesystem.squashfs");
    let (_file, mut probe) = common::file_probe(1 << 20);
    probe.kind = DeviceKind::BlockDevice;
    probe.disk_name = Some("sdb".into());
    probe.bus = Bus::Usb;
    probe.media_type = MediaType::UsbFlash;
    let plan = plan(&probe, MethodChoice::Auto);
    let mut options = RunOptions {
        roots: fake.roots(LIVE),
        ..Default::default()
    };
    let refused = run(&plan, &options, &mut NoObserver).unwrap_err();
    assert!(
        matches!(refused, WipeError::SystemDevice { .. }),
        "{refused}"
    );

    options.system_in_ram = true;
    assert_eq!(
        run(&plan, &options, &mut NoObserver).unwrap().outcome,
        Outcome::Erased
    );
}

#[test]
fn unreadable_mountinfo_refuses_rather_than_guesses() {
    let (_file, mut probe) = common::file_probe(1 << 20);
    probe.kind = DeviceKind::BlockDevice;
    probe.disk_name = Some("sdb".into());
    let roots = SystemRoots {
        sysfs: PathBuf::from("/nonexistent"),
        mountinfo: PathBuf::from("/nonexistent/mountinfo"),
    };
    let options = RunOptions {
        roots,
        ..Default::default()
    };
    assert!(run(&plan(&probe, MethodChoice::Auto), &options, &mut NoObserver).is_err());
}

#[test]
fn device_list_marks_the_system_disk_and_leaves_out_loop_devices() {
    let fake = FakeSystem::sata_and_usb();
    with_loop(&fake, "/run/live/medium/live/filesystem.squashfs");
    fs::write(fake.sysfs().join(PCI_USB).join("sdb/size"), "1000\n").unwrap();
    let roots = fake.roots(INSTALLED);
    let listed = kinko_wipe::block_devices(&roots, false);
    let names: Vec<&str> = listed.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["sda", "sdb"], "whole disks only, no loop device");
    assert!(listed[0].system.is_some(), "sda holds / and /boot/efi");
    assert_eq!(listed[1].system, None);
    assert_eq!(listed[1].bus, Bus::Usb);
    assert_eq!(listed[1].size_bytes, 512_000);
    assert_eq!(listed[1].path, Path::new("/dev/sdb"));
    let with_virtual = kinko_wipe::block_devices(&roots, true);
    assert_eq!(with_virtual.len(), 3);
}

#[test]
fn a_certificate_beside_a_file_medium_is_fine_but_not_in_its_place() {
    let fake = FakeSystem::new();
    let roots = fake.roots(INSTALLED);
    let medium = fake.dir.path().join("medium.img");
    fs::write(&medium, [0u8; 4096]).unwrap();
    let beside = fake.dir.path().join("cert.json");
    kinko_wipe::check_certificate_place(&roots, &medium, &beside).unwrap();
    let itself = fake.dir.path().join("sys/../medium.img");
    assert!(matches!(
        kinko_wipe::check_certificate_place(&roots, &medium, &itself),
        Err(WipeError::CertificateOnMedium { .. })
    ));
    assert!(matches!(
        kinko_wipe::check_certificate_place(
            &roots,
            &medium,
            &fake.dir.path().join("no/such/dir/c.json")
        ),
        Err(WipeError::Open { .. })
    ));
}
