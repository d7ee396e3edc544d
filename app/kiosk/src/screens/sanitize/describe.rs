//! The medium, the plan and the progress in the user's words. Facts come from the wipe
//! crate's probe and plan; nothing here chooses a method or a level.

use std::time::Duration;

use kinko_domain::lang::Lang;
use kinko_vault::{bytes_ja, level_ja};
use kinko_wipe::probe::{Bus, DeviceKind, Passthrough};
use kinko_wipe::{
    AtaSanitizeAction, BlockDevice, MediaType, Method, NvmeSanitizeAction, Phase, Plan, Probe,
    Progress, SanitizationLevel,
};

use crate::text::tr;

/// The name the user types to confirm: the kernel name of a device, the name of a file.
pub(crate) fn confirm_name(probe: &Probe) -> String {
    match probe.kind {
        DeviceKind::BlockDevice => probe
            .partition
            .clone()
            .or_else(|| probe.disk_name.clone())
            .unwrap_or_else(|| file_name(probe)),
        DeviceKind::RegularFile => file_name(probe),
    }
}

fn file_name(probe: &Probe) -> String {
    probe.path.file_name().map_or_else(
        || probe.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A size for people: "32.0 GB"; the exact count is in the facts.
pub(crate) fn size(n: u64) -> String {
    if n >= 1_000_000_000 {
        format!("{:.1} GB", n as f64 / 1e9)
    } else {
        format!("{:.1} MB", n as f64 / 1e6)
    }
}

fn exact_size(lang: Lang, n: u64) -> String {
    match lang {
        Lang::Ja => bytes_ja(n),
        Lang::En => format!("{:.2} GB ({n} bytes)", n as f64 / 1e9),
    }
}

/// "USB・取り外し可" and the like, for the device list.
pub(crate) fn device_kind(lang: Lang, d: &BlockDevice) -> String {
    let mut parts = vec![bus(lang, &d.bus)];
    if d.removable == Some(true) {
        parts.push(tr(lang, "取り外し可", "removable"));
    }
    parts.join(tr(lang, "・", ", ").as_str())
}

fn bus(lang: Lang, bus: &Bus) -> String {
    let (ja, en) = match bus {
        Bus::File => ("通常ファイル（試験用）", "regular file (for tests)"),
        Bus::Nvme => ("NVMe", "NVMe"),
        Bus::Ata => ("SATA", "SATA"),
        Bus::Usb => ("USB", "USB"),
        Bus::Scsi => ("SCSI・SAS", "SCSI/SAS"),
        Bus::Mmc => ("SDカード・eMMC", "SD card/eMMC"),
        Bus::Virtio => ("仮想ディスク（virtio）", "virtual disk (virtio)"),
        Bus::Loop => ("ループデバイス", "loop device"),
        Bus::DeviceMapper => ("デバイスマッパー", "device mapper"),
        Bus::Other => ("その他", "other"),
    };
    tr(lang, ja, en)
}

fn media_type(lang: Lang, probe: &Probe) -> String {
    let (ja, en) = match probe.media_type {
        MediaType::MagneticDisk => ("ハードディスク（回転式）", "hard disk (rotating)"),
        MediaType::SolidStateDisk => ("SSD（フラッシュ）", "SSD (flash)"),
        MediaType::NvmeSsd => ("NVMe SSD（フラッシュ）", "NVMe SSD (flash)"),
        MediaType::UsbFlash => ("USBメモリ（フラッシュ）", "USB stick (flash)"),
        MediaType::UsbDisk => (
            "USB接続のディスク（方式は不明。フラッシュとして扱います）",
            "USB disk (technology unknown; treated as flash)",
        ),
        MediaType::MemoryCard => ("メモリーカード（フラッシュ）", "memory card (flash)"),
        MediaType::VirtualDisk => ("仮想ディスク", "virtual disk"),
        MediaType::RegularFile => ("通常ファイル（試験用）", "regular file (for tests)"),
        MediaType::Unknown => ("不明", "unknown"),
    };
    tr(lang, ja, en)
}

/// The title over the facts: "/dev/sdb（SanDisk Ultra）".
pub(crate) fn medium(probe: &Probe) -> String {
    let name = [&probe.vendor, &probe.model]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        probe.path.display().to_string()
    } else {
        format!("{}（{name}）", probe.path.display())
    }
}

/// The probe as label/value lines.
pub(crate) fn facts(lang: Lang, probe: &Probe) -> Vec<(String, String)> {
    let none = || tr(lang, "（不明）", "(unknown)");
    let text = |v: &Option<String>| v.clone().unwrap_or_else(none);
    let row = |ja: &str, en: &str, value: String| (tr(lang, ja, en), value);
    let mut out = vec![
        row("パス", "Path", probe.path.display().to_string()),
        row("容量", "Capacity", exact_size(lang, probe.capacity_bytes)),
        row(
            "セクタ",
            "Sectors",
            match lang {
                Lang::Ja => format!(
                    "論理 {} バイト／物理 {} バイト",
                    probe.logical_sector_size, probe.physical_sector_size
                ),
                Lang::En => format!(
                    "logical {} bytes / physical {} bytes",
                    probe.logical_sector_size, probe.physical_sector_size
                ),
            },
        ),
        row("種類", "Type", media_type(lang, probe)),
        row("接続", "Attached by", connection(lang, probe)),
    ];
    if probe.kind == DeviceKind::BlockDevice {
        out.push(row("メーカー", "Vendor", text(&probe.vendor)));
        out.push(row("型番", "Model", text(&probe.model)));
        out.push(row("シリアル番号", "Serial number", text(&probe.serial)));
        out.push(row(
            "隠し領域（HPA/DCO）",
            "Hidden areas (HPA/DCO)",
            hidden(lang, probe),
        ));
        out.push(row(
            "装置への命令",
            "Device commands",
            passthrough(lang, &probe.passthrough),
        ));
    }
    if let Some(part) = &probe.partition {
        out.push(row(
            "範囲",
            "Extent",
            match lang {
                Lang::Ja => format!("パーティション {part} だけ（ディスク全体ではありません）"),
                Lang::En => format!("partition {part} only (not the whole disk)"),
            },
        ));
    }
    if probe.system_device.is_some() {
        out.push(row(
            "注意",
            "Warning",
            tr(
                lang,
                "起動中のシステムが入っている媒体です",
                "The running system is on this medium",
            ),
        ));
    }
    out
}

fn connection(lang: Lang, probe: &Probe) -> String {
    let mut text = bus(lang, &probe.bus);
    if let Some(usb) = &probe.usb {
        let product = [&usb.manufacturer, &usb.product]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        text.push_str(&format!(
            "（{}:{} {product}{}）",
            usb.vendor_id,
            usb.product_id,
            usb.speed_mbps
                .as_ref()
                .map_or(String::new(), |s| format!("、{s} Mbit/s"))
        ));
    }
    if let Some(rotational) = probe.rotational
        && probe.bus != Bus::Usb
    {
        text.push_str(&if rotational {
            tr(lang, "、回転式", ", rotating")
        } else {
            tr(lang, "、非回転（フラッシュ）", ", non-rotating (flash)")
        });
    }
    text
}

fn hidden(lang: Lang, probe: &Probe) -> String {
    let h = &probe.hidden_areas;
    match (h.hpa_supported, h.hidden_sectors) {
        (None, _) => tr(
            lang,
            "調べられません（ATAの識別情報が得られません）",
            "not determined (no ATA IDENTIFY data)",
        ),
        (_, Some(0)) => tr(lang, "隠された領域はありません", "none hidden"),
        (_, Some(n)) => match lang {
            Lang::Ja => format!("{n} セクタが隠されています（上書きは届きません）"),
            Lang::En => format!("{n} sectors hidden (not overwritten)"),
        },
        (Some(_), None) => match (lang, h.hpa_enabled == Some(true)) {
            (Lang::Ja, true) => "HPAが有効です（隠された大きさは測れません）".into(),
            (Lang::Ja, false) => "HPAは無効です（DCOは測れません）".into(),
            (Lang::En, true) => "HPA enabled (hidden size not measured)".into(),
            (Lang::En, false) => "HPA not enabled (DCO not measured)".into(),
        },
    }
}

fn passthrough(lang: Lang, p: &Passthrough) -> String {
    match p {
        Passthrough::NotApplicable => tr(lang, "使いません", "not used"),
        Passthrough::NvmeAdmin => tr(lang, "NVMe管理コマンドが使えます", "NVMe admin commands"),
        Passthrough::AtaPassThrough => tr(lang, "ATAコマンドが使えます", "ATA pass-through works"),
        Passthrough::Unavailable(why) => match lang {
            Lang::Ja => format!("使えません（{why}）"),
            Lang::En => format!("unavailable ({why})"),
        },
    }
}

/// The method in words.
pub(crate) fn method(lang: Lang, method: Method) -> String {
    let (ja, en) = match method {
        Method::Overwrite => (
            "2回上書き（乱数列、次にその反転）のあと全領域を読み返して検証",
            "two-pass overwrite (a keystream, then its complement), then a full read-back",
        ),
        Method::NvmeSanitize { action } => match action {
            NvmeSanitizeAction::CryptoErase => {
                ("NVMe Sanitize（暗号消去）", "NVMe Sanitize (crypto erase)")
            }
            NvmeSanitizeAction::BlockErase => (
                "NVMe Sanitize（ブロック消去）",
                "NVMe Sanitize (block erase)",
            ),
            NvmeSanitizeAction::Overwrite => {
                ("NVMe Sanitize（上書き）", "NVMe Sanitize (overwrite)")
            }
        },
        Method::NvmeFormat { crypto_erase: true } => {
            ("NVMe Format（暗号消去）", "NVMe Format (crypto erase)")
        }
        Method::NvmeFormat {
            crypto_erase: false,
        } => ("NVMe Format（データ消去）", "NVMe Format (user data erase)"),
        Method::AtaSanitize { action } => match action {
            AtaSanitizeAction::CryptoScramble => {
                ("ATA SANITIZE（暗号消去）", "ATA SANITIZE (crypto scramble)")
            }
            AtaSanitizeAction::BlockErase => {
                ("ATA SANITIZE（ブロック消去）", "ATA SANITIZE (block erase)")
            }
            AtaSanitizeAction::Overwrite => ("ATA SANITIZE（上書き）", "ATA SANITIZE (overwrite)"),
        },
    };
    tr(lang, ja, en)
}

pub(crate) fn level(lang: Lang, level: SanitizationLevel) -> String {
    match lang {
        Lang::Ja => level_ja(level).to_owned(),
        Lang::En => match level {
            SanitizationLevel::Purge => "Purge".into(),
            SanitizationLevel::Clear => "Clear".into(),
            SanitizationLevel::None => "none (no erasure can be claimed)".into(),
        },
    }
}

/// What the operator should know about the plan. `unavailable` is the stronger device
/// command the medium offers but this engine cannot send yet (the run overwrites instead).
pub(crate) fn notes(lang: Lang, plan: &Plan, unavailable: Option<&Plan>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(device) = unavailable {
        out.push(match lang {
            Lang::Ja => format!(
                "この媒体は{}（{}）に対応していますが、このバージョンのKinkoはまだ実行できません。上書きで消去します。",
                method(lang, device.method),
                level(lang, device.level)
            ),
            Lang::En => format!(
                "The medium supports {} ({}), which this version of Kinko cannot run yet. It overwrites instead.",
                method(lang, device.method),
                level(lang, device.level)
            ),
        });
    }
    let p = &plan.probe;
    if plan.method == Method::Overwrite {
        if p.kind == DeviceKind::RegularFile {
            out.push(tr(
                lang,
                "通常ファイルです（試験用）。ファイルの中身を上書きします。",
                "A regular file (for tests): its contents are overwritten.",
            ));
        } else if p.media_type.may_be_flash() {
            out.push(tr(
                lang,
                "フラッシュ媒体は、上書きでは予備の領域や交換済みの領域に届かないため、Clear（消去）であってPurge（除去）にはなりません。組織の管理外に出すときは物理的に破壊してください。",
                "On flash, overwriting cannot reach spare, remapped or retired blocks: it is Clear, never Purge. Destroy the medium if it leaves the organisation's control.",
            ));
        }
    }
    if let Some(part) = &p.partition {
        out.push(match lang {
            Lang::Ja => {
                format!("パーティション {part} だけを消去します。ディスクの他の部分は残ります。")
            }
            Lang::En => format!("Only partition {part} is erased, not the rest of the disk."),
        });
    }
    if p.hidden_areas.hidden_sectors.is_some_and(|n| n > 0) {
        out.push(tr(
            lang,
            "隠された領域（HPA/DCO）は消去されません。証明書に記載されます。",
            "The hidden area (HPA/DCO) is not erased; the certificate says so.",
        ));
    }
    if p.system_device.is_some() {
        out.push(tr(
            lang,
            "起動中のシステムが入っているため、システムをメモリーに読み込んだ廃棄モードで起動しない限り消去できません。",
            "The running system is on it: it cannot be erased unless the PC was started in decommission mode (system copied to memory).",
        ));
    }
    out
}

/// What the running screen shows for one progress sample.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProgressText {
    pub fraction: f32,
    pub percent: String,
    pub phase: String,
    pub speed: String,
    pub time_left: String,
}

pub(crate) fn progress(lang: Lang, p: &Progress) -> ProgressText {
    let (ja, en) = match p.phase {
        Phase::WriteKeystream => ("書込み1回目（乱数列）", "writing, pass 1 (keystream)"),
        Phase::WriteComplement => ("書込み2回目（反転）", "writing, pass 2 (complement)"),
        Phase::Verify => ("読み返して検証", "reading back to verify"),
        Phase::WriteMarkers => ("検証用の目印を書込み", "writing verification markers"),
        Phase::DeviceCommand => ("媒体自身による消去", "the drive erases itself"),
        Phase::VerifyMarkers => ("目印が消えたか検証", "checking the markers are gone"),
    };
    let phase = match lang {
        Lang::Ja => format!("工程 {}/{}: {ja}", p.phase_number, p.phase_count),
        Lang::En => format!("Step {} of {}: {en}", p.phase_number, p.phase_count),
    };
    let fraction = p.fraction().clamp(0.0, 1.0);
    ProgressText {
        fraction: fraction as f32,
        percent: format!("{:.1} %", fraction * 100.0),
        phase,
        // a device command reports only a fraction: show the time it has taken, no MB/s
        speed: if !p.phase.is_device_command() {
            format!("{:.1} MB/s", p.bytes_per_second as f64 / 1e6)
        } else {
            elapsed(lang, p.elapsed)
        },
        time_left: p.eta.map_or_else(|| "—".to_owned(), |d| duration(lang, d)),
    }
}

fn elapsed(lang: Lang, d: Duration) -> String {
    let s = d.as_secs();
    match lang {
        Lang::Ja => format!("経過 {}分{}秒", s / 60, s % 60),
        Lang::En => format!("elapsed {} min {} s", s / 60, s % 60),
    }
}

/// "約 1時間12分", "約 40秒".
pub(crate) fn duration(lang: Lang, d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    match lang {
        Lang::Ja if h > 0 => format!("約 {h}時間{m}分"),
        Lang::Ja if m > 0 => format!("約 {m}分{sec}秒"),
        Lang::Ja => format!("約 {sec}秒"),
        Lang::En if h > 0 => format!("about {h} h {m} min"),
        Lang::En if m > 0 => format!("about {m} min {sec} s"),
        Lang::En => format!("about {sec} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kinko_wipe::{MethodChoice, plan};

    fn file_probe() -> (tempfile::TempDir, Probe) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stick.img");
        std::fs::write(&path, [0u8; 8192]).unwrap();
        let probe = kinko_wipe::probe(&path).unwrap();
        (dir, probe)
    }

    #[test]
    fn a_file_is_confirmed_by_its_name_and_overwritten_as_clear() {
        let (_dir, probe) = file_probe();
        assert_eq!(confirm_name(&probe), "stick.img");
        let p = plan(&probe, MethodChoice::Auto);
        assert_eq!(level(Lang::Ja, p.level), "Clear（消去）");
        assert!(method(Lang::Ja, p.method).contains("2回上書き"));
        let notes = notes(Lang::Ja, &p, None);
        assert!(
            notes.iter().any(|n| n.contains("通常ファイル")),
            "{notes:?}"
        );
        let facts = facts(Lang::Ja, &probe);
        assert!(
            facts
                .iter()
                .any(|(l, v)| l == "容量" && v.contains("8192 バイト"))
        );
    }

    #[test]
    fn flash_overwrite_says_clear_never_purge() {
        let (_dir, mut probe) = file_probe();
        probe.kind = DeviceKind::BlockDevice;
        probe.media_type = MediaType::UsbFlash;
        probe.bus = Bus::Usb;
        probe.disk_name = Some("sdb".into());
        let p = plan(&probe, MethodChoice::Overwrite);
        assert_eq!(confirm_name(&probe), "sdb");
        let notes = notes(Lang::Ja, &p, None).join("");
        assert!(notes.contains("Purge（除去）にはなりません"), "{notes}");
    }

    #[test]
    fn device_command_progress_shows_percent_and_elapsed_not_speed() {
        let p = Progress {
            phase: Phase::DeviceCommand,
            phase_number: 2,
            phase_count: 3,
            phase_done: 32_768,
            phase_total: 65_536,
            total_done: 65_536 + 32_768,
            total: 3 * 65_536,
            bytes_per_second: 0,
            eta: None,
            elapsed: Duration::from_secs(75),
        };
        let t = progress(Lang::Ja, &p);
        assert_eq!(t.percent, "50.0 %");
        assert_eq!(t.phase, "工程 2/3: 媒体自身による消去");
        assert_eq!(t.speed, "経過 1分15秒");
        assert_eq!(progress(Lang::En, &p).speed, "elapsed 1 min 15 s");
        assert_eq!(t.time_left, "—");
    }

    #[test]
    fn progress_reads_as_steps_speed_and_time() {
        let p = Progress {
            phase: Phase::WriteComplement,
            phase_number: 2,
            phase_count: 3,
            phase_done: 5,
            phase_total: 10,
            total_done: 15,
            total: 30,
            bytes_per_second: 123_400_000,
            eta: Some(Duration::from_secs(4 * 60 + 5)),
            elapsed: Duration::from_secs(1),
        };
        let t = progress(Lang::Ja, &p);
        assert_eq!(t.percent, "50.0 %");
        assert_eq!(t.phase, "工程 2/3: 書込み2回目（反転）");
        assert_eq!(t.speed, "123.4 MB/s");
        assert_eq!(t.time_left, "約 4分5秒");
        assert_eq!(
            duration(Lang::En, Duration::from_secs(3700)),
            "about 1 h 1 min"
        );
    }
}
