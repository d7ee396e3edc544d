//! Method choice and the honest Clear/Purge claim, on probes as real devices would give them.

mod common;

use common::{MemTarget, file_probe};
use kinko_wipe::probe::nvme::{NvmeController, NvmeSanitizeSupport};
use kinko_wipe::probe::{Bus, DeviceKind, Passthrough, UsbBridge};
use kinko_wipe::{
    AtaSanitizeAction, Certificate, CertificateInfo, MediaType, Method, MethodChoice, NoObserver,
    NvmeSanitizeAction, Outcome, Probe, RunOptions, SanitizationLevel, plan, run, run_on_target,
};

fn block_probe(bus: Bus, media_type: MediaType) -> (tempfile::NamedTempFile, Probe) {
    let (file, mut probe) = file_probe(4 << 20);
    probe.kind = DeviceKind::BlockDevice;
    probe.disk_name = Some("sdz".into());
    probe.bus = bus;
    probe.media_type = media_type;
    probe.passthrough = Passthrough::NotApplicable;
    (file, probe)
}

fn usb_stick() -> (tempfile::NamedTempFile, Probe) {
    let (file, mut probe) = block_probe(Bus::Usb, MediaType::UsbFlash);
    probe.removable = Some(true);
    probe.rotational = Some(true); // what the sd driver reports for most sticks
    probe.usb = Some(UsbBridge {
        vendor_id: "0781".into(),
        product_id: "5581".into(),
        ..Default::default()
    });
    probe.passthrough = Passthrough::Unavailable("command rejected (sense key 0x5)".into());
    (file, probe)
}

fn nvme(sanitize: NvmeSanitizeSupport, format: bool, fna: u8) -> NvmeController {
    NvmeController {
        vendor_id: 0x144D,
        serial: "S1".into(),
        model: "NVMe".into(),
        firmware: "1".into(),
        format_supported: format,
        format_crypto_erase: fna & 4 != 0,
        format_erase_all_namespaces: fna & 2 != 0,
        sanitize,
        oacs: if format { 2 } else { 0 },
        sanicap: u32::from(sanitize.crypto_erase) | (u32::from(sanitize.block_erase) << 1),
        fna,
    }
}

fn ata(
    sanitize: kinko_wipe::probe::ata::AtaSanitizeSupport,
    rpm: Option<u16>,
) -> kinko_wipe::probe::AtaIdentity {
    kinko_wipe::probe::AtaIdentity {
        model: "DISK".into(),
        serial: "S".into(),
        firmware: "F".into(),
        user_sectors: 8192,
        logical_sector_size: 512,
        physical_sector_size: 512,
        rotation_rpm: rpm,
        sanitize,
        security: Default::default(),
        hpa_supported: true,
        hpa_enabled: true,
        dco_supported: false,
        trim_supported: false,
        raw_capability_words: "w59=0000".into(),
    }
}

#[test]
fn usb_stick_without_pass_through_gets_overwrite_and_clear() {
    let (_f, probe) = usb_stick();
    let plan = plan(&probe, MethodChoice::Auto);
    assert_eq!(plan.method, Method::Overwrite);
    assert_eq!(plan.level, SanitizationLevel::Clear);
    assert!(
        plan.reasons
            .iter()
            .any(|r| r.contains("USB bridge without command pass-through")),
        "{:?}",
        plan.reasons
    );
    assert!(
        plan.limitations.iter().any(|l| l.contains("never Purge")),
        "{:?}",
        plan.limitations
    );
}

#[test]
fn overwritten_flash_is_certified_clear_never_purge() {
    let (_f, probe) = usb_stick();
    let plan = plan(&probe, MethodChoice::Auto);
    let target = MemTarget::new(4 << 20);
    let report = run_on_target(&plan, &target, &RunOptions::default(), &mut NoObserver).unwrap();
    assert_eq!(report.outcome, Outcome::Erased);
    assert_eq!(report.level, SanitizationLevel::Clear);
    let cert = Certificate::from_report(&report, &CertificateInfo::default()).unwrap();
    assert_eq!(cert.body.sanitization.method_type, SanitizationLevel::Clear);
    assert_eq!(cert.body.sanitization.method, "Overwrite");
    assert_eq!(cert.body.media.media_type, MediaType::UsbFlash);
    assert_eq!(cert.body.media.usb_bridge.as_deref(), Some("0781:5581"));
}

#[test]
fn nvme_with_crypto_erase_sanitize_is_purge() {
    let (_f, mut probe) = block_probe(Bus::Nvme, MediaType::NvmeSsd);
    let support = NvmeSanitizeSupport {
        crypto_erase: true,
        block_erase: true,
        overwrite: false,
    };
    probe.nvme = Some(nvme(support, true, 4));
    let chosen = plan(&probe, MethodChoice::Auto);
    assert_eq!(
        chosen.method,
        Method::NvmeSanitize {
            action: NvmeSanitizeAction::CryptoErase
        }
    );
    assert_eq!(chosen.level, SanitizationLevel::Purge);
    // the "device" is a regular file: the markers are written, the NVMe ioctl is refused, and
    // the report says so instead of claiming Purge
    let report = run(&chosen, &RunOptions::default(), &mut NoObserver).unwrap();
    assert_eq!(report.outcome, Outcome::NotErased);
    assert_eq!(report.level, SanitizationLevel::None);
    let command = report.device_command.as_ref().unwrap();
    assert!(command.sent && !command.completed, "{command:?}");
    assert!(command.status.contains("ioctl"), "{}", command.status);
    assert!(command.markers_placed > 0);

    let forced = plan(&probe, MethodChoice::Overwrite);
    assert_eq!(
        (forced.method, forced.level),
        (Method::Overwrite, SanitizationLevel::Clear)
    );
}

#[test]
fn nvme_with_format_only_uses_secure_format() {
    let (_f, mut probe) = block_probe(Bus::Nvme, MediaType::NvmeSsd);
    probe.nvme = Some(nvme(NvmeSanitizeSupport::default(), true, 4));
    let chosen = plan(&probe, MethodChoice::Auto);
    assert_eq!(chosen.method, Method::NvmeFormat { crypto_erase: true });
    assert_eq!(chosen.level, SanitizationLevel::Purge);

    probe.nvme = Some(nvme(NvmeSanitizeSupport::default(), false, 0));
    assert_eq!(plan(&probe, MethodChoice::Auto).method, Method::Overwrite);
}

#[test]
fn rotational_disk_overwrite_is_clear() {
    let (_f, mut probe) = block_probe(Bus::Ata, MediaType::MagneticDisk);
    probe.rotational = Some(true);
    probe.ata = Some(ata(Default::default(), Some(7200)));
    probe.hidden_areas.hpa_enabled = Some(true);
    let chosen = plan(&probe, MethodChoice::Auto);
    assert_eq!(
        (chosen.method, chosen.level),
        (Method::Overwrite, SanitizationLevel::Clear)
    );
    assert!(!chosen.limitations.iter().any(|l| l.contains("Flash")));
    assert!(
        chosen
            .limitations
            .iter()
            .any(|l| l.contains("Host Protected Area")),
        "{:?}",
        chosen.limitations
    );
}

#[test]
fn ata_sanitize_is_chosen_only_where_it_is_purge() {
    use kinko_wipe::probe::ata::AtaSanitizeSupport;
    let block = AtaSanitizeSupport {
        supported: true,
        block_erase: true,
        ..Default::default()
    };
    let (_f, mut ssd) = block_probe(Bus::Ata, MediaType::SolidStateDisk);
    ssd.ata = Some(ata(block, Some(0)));
    let chosen = plan(&ssd, MethodChoice::Auto);
    assert_eq!(
        chosen.method,
        Method::AtaSanitize {
            action: AtaSanitizeAction::BlockErase
        }
    );
    assert_eq!(chosen.level, SanitizationLevel::Purge);

    let overwrite_only = AtaSanitizeSupport {
        supported: true,
        overwrite: true,
        ..Default::default()
    };
    ssd.ata = Some(ata(overwrite_only, Some(0)));
    assert_eq!(
        plan(&ssd, MethodChoice::Auto).level,
        SanitizationLevel::Clear
    );

    let (_g, mut hdd) = block_probe(Bus::Ata, MediaType::MagneticDisk);
    hdd.ata = Some(ata(overwrite_only, Some(5400)));
    assert_eq!(
        plan(&hdd, MethodChoice::Auto).method,
        Method::AtaSanitize {
            action: AtaSanitizeAction::Overwrite
        }
    );
}

#[test]
fn a_partition_is_only_overwritten() {
    let (_f, mut probe) = block_probe(Bus::Nvme, MediaType::NvmeSsd);
    probe.partition = Some("nvme0n1p3".into());
    let support = NvmeSanitizeSupport {
        crypto_erase: true,
        ..Default::default()
    };
    probe.nvme = Some(nvme(support, true, 4));
    let chosen = plan(&probe, MethodChoice::Auto);
    assert_eq!(
        (chosen.method, chosen.level),
        (Method::Overwrite, SanitizationLevel::Clear)
    );
    assert!(chosen.limitations.iter().any(|l| l.contains("nvme0n1p3")));
}
