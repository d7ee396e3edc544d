//! sysfs reading on fake trees laid out like the kernel's.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use super::*;

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, format!("{text}\n")).unwrap();
}

fn register(sysfs: &Path, dir: &Path, name: &str, devnum: &str) {
    fs::create_dir_all(sysfs.join("class/block")).unwrap();
    fs::create_dir_all(sysfs.join("dev/block")).unwrap();
    symlink(dir, sysfs.join("class/block").join(name)).unwrap();
    symlink(dir, sysfs.join("dev/block").join(devnum)).unwrap();
}

/// A SanDisk stick: /sys/devices/.../usb2/2-1 holds the USB ids, the SCSI disk sits below.
fn usb_stick(sysfs: &Path) {
    let usb = sysfs.join("devices/pci0000:00/0000:00:14.0/usb2/2-1");
    write(&usb.join("idVendor"), "0781");
    write(&usb.join("idProduct"), "5581");
    write(&usb.join("manufacturer"), " SanDisk");
    write(&usb.join("product"), "Ultra");
    write(&usb.join("serial"), "4C530001230101110152");
    write(&usb.join("speed"), "5000");
    let disk = usb.join("2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb");
    write(&disk.join("size"), "60063744");
    write(&disk.join("removable"), "1");
    write(&disk.join("queue/rotational"), "1");
    write(&disk.join("queue/logical_block_size"), "512");
    write(&disk.join("queue/physical_block_size"), "512");
    write(&disk.join("device/vendor"), "SanDisk ");
    write(&disk.join("device/model"), "Ultra           ");
    write(&disk.join("device/rev"), "1.00");
    register(sysfs, &disk, "sdb", "8:16");
    write(&disk.join("sdb1/partition"), "1");
    write(&disk.join("sdb1/size"), "60061696");
    register(sysfs, &disk.join("sdb1"), "sdb1", "8:17");
}

#[test]
fn reads_a_usb_stick() {
    let root = tempfile::tempdir().unwrap();
    usb_stick(root.path());
    let info = read_block_info(root.path(), "sdb").unwrap();
    assert_eq!(info.disk, "sdb");
    assert_eq!(info.partition, None);
    assert_eq!(info.size_bytes, 60063744 * 512);
    assert_eq!(
        (info.logical_block_size, info.physical_block_size),
        (512, 512)
    );
    assert_eq!((info.rotational, info.removable), (Some(true), Some(true)));
    assert_eq!(info.bus, Bus::Usb);
    assert_eq!(info.vendor.as_deref(), Some("SanDisk"));
    assert_eq!(info.model.as_deref(), Some("Ultra"));
    assert_eq!(info.firmware.as_deref(), Some("1.00"));
    let usb = info.usb.unwrap();
    assert_eq!(
        (usb.vendor_id.as_str(), usb.product_id.as_str()),
        ("0781", "5581")
    );
    assert_eq!(usb.serial.as_deref(), Some("4C530001230101110152"));
    assert_eq!(usb.speed_mbps.as_deref(), Some("5000"));
    assert_eq!(name_of_devnum(root.path(), 8, 16).as_deref(), Some("sdb"));
}

#[test]
fn a_partition_reports_its_disk_and_own_size() {
    let root = tempfile::tempdir().unwrap();
    usb_stick(root.path());
    let info = read_block_info(root.path(), "sdb1").unwrap();
    assert_eq!(
        (info.disk.as_str(), info.partition.as_deref()),
        ("sdb", Some("sdb1"))
    );
    assert_eq!(info.size_bytes, 60061696 * 512);
    assert_eq!(info.bus, Bus::Usb);
}

#[test]
fn reads_an_nvme_namespace_and_a_vpd_serial() {
    let root = tempfile::tempdir().unwrap();
    let ctrl = root
        .path()
        .join("devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0");
    let ns = ctrl.join("nvme0n1");
    write(&ns.join("size"), "1953525168");
    write(&ns.join("queue/rotational"), "0");
    write(&ns.join("queue/logical_block_size"), "512");
    write(&ns.join("queue/physical_block_size"), "4096");
    fs::create_dir_all(&ns).unwrap();
    symlink(&ctrl, ns.join("device")).unwrap();
    write(&ctrl.join("model"), "Samsung SSD 980 PRO 1TB");
    write(&ctrl.join("serial"), "S6B0NL0T912345A");
    write(&ctrl.join("firmware_rev"), "5B2QGXA7");
    register(root.path(), &ns, "nvme0n1", "259:0");
    let info = read_block_info(root.path(), "nvme0n1").unwrap();
    assert_eq!(info.bus, Bus::Nvme);
    assert_eq!(info.rotational, Some(false));
    assert_eq!(info.physical_block_size, 4096);
    assert_eq!(info.serial.as_deref(), Some("S6B0NL0T912345A"));
    assert_eq!(info.firmware.as_deref(), Some("5B2QGXA7"));

    let sata = root
        .path()
        .join("devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda");
    write(&sata.join("size"), "100");
    let mut vpd = vec![0u8, 0x80, 0, 8];
    vpd.extend_from_slice(b"ZA1234XY");
    fs::create_dir_all(sata.join("device")).unwrap();
    fs::write(sata.join("device/vpd_pg80"), vpd).unwrap();
    register(root.path(), &sata, "sda", "8:0");
    let info = read_block_info(root.path(), "sda").unwrap();
    assert_eq!(
        (info.bus, info.serial.as_deref()),
        (Bus::Ata, Some("ZA1234XY"))
    );
}

#[test]
fn missing_devices_are_none_not_panics() {
    let root = tempfile::tempdir().unwrap();
    assert!(read_block_info(root.path(), "sdq").is_none());
    assert!(name_of_devnum(root.path(), 8, 0).is_none());
    assert!(slaves(root.path(), "dm-0").is_empty());
}
