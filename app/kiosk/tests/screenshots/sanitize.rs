//! The sanitize screen (媒体の消去): the device list (a fake sysfs with a SATA system disk and
//! a USB stick) with a probed medium and its honest method, a run at a fixed progress, the
//! certificate (a saved fixture opened again, so that its dates and seed never change), and
//! the probed medium in English.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use kinko_domain::lang::Lang;
use kinko_kiosk::app::Config;
use kinko_kiosk::{RetentionApi, SanitizeApi, SanitizeStage, demo};
use kinko_wipe::SystemRoots;
use slint::{ComponentHandle, Model};

use super::{Checker, DemoShot};

/// Fixed paths, so that what the screen shows is the same on every machine.
const SHOT_DIR: &str = "/tmp/kinko-sanitize-shot";
const CERT_PATH: &str = "/media/kiroku/kinko-sanitize-20260401-100000.json";

const SATA: &str = "devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block";
const USB: &str =
    "devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block";
const MOUNTINFO: &str = "28 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n";

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, format!("{text}\n")).unwrap();
}

fn disk(sysfs: &Path, parent: &str, name: &str, devnum: &str, sectors: u64) -> PathBuf {
    let dir = sysfs.join(parent).join(name);
    write(&dir.join("size"), &sectors.to_string());
    write(&dir.join("dev"), devnum);
    for sub in ["class/block", "dev/block"] {
        fs::create_dir_all(sysfs.join(sub)).unwrap();
    }
    symlink(&dir, sysfs.join("class/block").join(name)).unwrap();
    symlink(&dir, sysfs.join("dev/block").join(devnum)).unwrap();
    dir
}

/// A PC with its system on a SATA SSD and a USB stick plugged in.
fn fake_pc(root: &Path) -> SystemRoots {
    let sysfs = root.join("sys");
    let sda = disk(&sysfs, SATA, "sda", "8:0", 976_773_168);
    write(&sda.join("device/vendor"), "ATA");
    write(&sda.join("device/model"), "Samsung SSD 870");
    write(&sda.join("queue/rotational"), "0");
    write(&sda.join("removable"), "0");
    let sda2 = sda.join("sda2");
    write(&sda2.join("partition"), "2");
    write(&sda2.join("size"), "976000000");
    symlink(&sda2, sysfs.join("class/block/sda2")).unwrap();
    symlink(&sda2, sysfs.join("dev/block/8:2")).unwrap();
    let sdb = disk(&sysfs, USB, "sdb", "8:16", 60_063_744);
    write(&sdb.join("device/vendor"), "SanDisk");
    write(&sdb.join("device/model"), "Ultra");
    write(&sdb.join("removable"), "1");
    let usb = sysfs.join("devices/pci0000:00/0000:00:14.0/usb2/2-1");
    write(&usb.join("idVendor"), "0781");
    write(&usb.join("idProduct"), "5581");
    let mountinfo = root.join("mountinfo");
    fs::write(&mountinfo, MOUNTINFO).unwrap();
    SystemRoots { sysfs, mountinfo }
}

fn medium() -> PathBuf {
    let dir = Path::new(SHOT_DIR);
    fs::create_dir_all(dir).unwrap();
    let path = dir.join("stick.img");
    let file = fs::File::create(&path).unwrap();
    file.set_len(32 << 20).unwrap();
    path
}

fn shot(lang: Lang, roots: &SystemRoots) -> DemoShot {
    let roots = roots.clone();
    DemoShot::new_with(lang, demo::ADMIN, move |c: &mut Config| {
        c.wipe.roots = roots
    })
}

fn probed(shot: &DemoShot, medium: &Path) {
    shot.app
        .ui()
        .global::<RetentionApi>()
        .invoke_show_sanitize();
    let g = shot.app.ui().global::<SanitizeApi>();
    g.invoke_probe(medium.to_str().unwrap().into());
    assert_eq!(g.get_stage(), SanitizeStage::Ready);
    g.set_cert_path(CERT_PATH.into());
}

pub fn shots(c: &mut Checker) {
    // No printers, whatever this machine has: the picture must not depend on it.
    // SAFETY: the screenshot test runs on one thread and starts no other before this.
    unsafe { std::env::set_var("CUPS_SERVER", "/nonexistent/kinko-screenshot.sock") };
    let tmp = tempfile::tempdir().unwrap();
    let roots = fake_pc(tmp.path());
    let medium = medium();

    let s = shot(Lang::Ja, &roots);
    let g = s.app.ui().global::<SanitizeApi>();
    probed(&s, &medium);
    assert_eq!(g.get_devices().row_count(), 2);
    c.check("sanitize", &s.window);

    // A run at a fixed moment (the real one reports through the event loop).
    g.set_stage(SanitizeStage::Running);
    g.set_fraction(0.42);
    g.set_percent("42.0 %".into());
    g.set_phase("工程 2/3: 書込み2回目（反転）".into());
    g.set_speed("38.6 MB/s".into());
    g.set_time_left("約 12分30秒".into());
    c.check("sanitize-running", &s.window);

    let cert = Path::new(SHOT_DIR).join("kinko-sanitize-20261126-161128.json");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sanitize-certificate.json");
    fs::copy(fixture, &cert).unwrap();
    g.invoke_open_certificate(cert.to_str().unwrap().into());
    assert_eq!(
        g.get_stage(),
        SanitizeStage::Result,
        "{}",
        g.get_open_error()
    );
    c.check("sanitize-result", &s.window);
    drop(s);

    let s = shot(Lang::En, &roots);
    probed(&s, &medium);
    c.check("sanitize-en", &s.window);
}
