//! ATA IDENTIFY DEVICE and NVMe Identify Controller parsing on constructed fixtures,
//! laid out word by word as the specifications give them.

use kinko_wipe::probe::ata::{AtaParseError, parse_identify};
use kinko_wipe::probe::nvme::{NvmeParseError, parse_identify_controller};

/// An ATA string field: two characters per word, the first in the high byte.
fn put_ata_string(words: &mut [u16; 256], first: usize, last: usize, text: &str) {
    let mut bytes = text.as_bytes().to_vec();
    bytes.resize((last - first + 1) * 2, b' ');
    for (i, pair) in bytes.chunks(2).enumerate() {
        words[first + i] = u16::from_be_bytes([pair[0], pair[1]]);
    }
}

fn to_bytes(words: &[u16; 256], with_checksum: bool) -> Vec<u8> {
    let mut words = *words;
    if with_checksum {
        words[255] = 0x00A5;
        let sum = words[..255]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .fold(0u8, |a, b| a.wrapping_add(b));
        let check = 0u8.wrapping_sub(sum.wrapping_add(0xA5));
        words[255] |= u16::from(check) << 8;
    }
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// A 4 TB SATA SSD: LBA48, 4K physical sectors, sanitize (crypto + block), security frozen, HPA.
fn sata_ssd_words() -> [u16; 256] {
    let mut w = [0u16; 256];
    put_ata_string(&mut w, 10, 19, "S4EWNX0R123456");
    put_ata_string(&mut w, 23, 26, "SVT02B6Q");
    put_ata_string(&mut w, 27, 46, "Samsung SSD 870 EVO 4TB");
    w[59] = (1 << 12) | (1 << 13) | (1 << 15);
    w[60] = 0xFFFF;
    w[61] = 0x0FFF;
    w[82] = 1 << 10;
    w[83] = (1 << 10) | (1 << 11) | (1 << 14);
    w[85] = 1 << 10;
    let sectors: u64 = 7_814_037_168;
    for i in 0..4 {
        w[100 + i] = (sectors >> (16 * i)) as u16;
    }
    w[106] = 0x4000 | (1 << 13) | 3; // 8 logical sectors per physical
    w[128] = 1 | (1 << 3) | (1 << 5); // supported, frozen, enhanced erase
    w[169] = 1;
    w[217] = 1; // non-rotating
    w
}

#[test]
fn parses_a_sata_ssd() {
    let id = parse_identify(&to_bytes(&sata_ssd_words(), true)).unwrap();
    assert_eq!(id.model, "Samsung SSD 870 EVO 4TB");
    assert_eq!(id.serial, "S4EWNX0R123456");
    assert_eq!(id.firmware, "SVT02B6Q");
    assert_eq!(id.user_sectors, 7_814_037_168);
    assert_eq!(
        (id.logical_sector_size, id.physical_sector_size),
        (512, 4096)
    );
    assert_eq!(id.rotation_rpm, Some(0));
    assert_eq!(id.is_solid_state(), Some(true));
    assert!(id.sanitize.supported && id.sanitize.crypto_scramble && id.sanitize.block_erase);
    assert!(!id.sanitize.overwrite);
    assert!(id.security.supported && id.security.frozen && id.security.enhanced_erase_supported);
    assert!(!id.security.enabled && !id.security.locked);
    assert!(id.hpa_supported && id.hpa_enabled && id.dco_supported && id.trim_supported);
    assert!(
        id.raw_capability_words.contains("w59=b000"),
        "{}",
        id.raw_capability_words
    );
}

#[test]
fn parses_a_hard_disk_with_4k_logical_sectors_and_no_lba48() {
    let mut w = [0u16; 256];
    put_ata_string(&mut w, 27, 46, "WDC WD40EFRX-68N32N0");
    put_ata_string(&mut w, 10, 19, "WD-WCC7K0123456");
    w[60] = 0x5000;
    w[61] = 0x0010; // 0x0010_5000 sectors via LBA28
    w[106] = 0x4000 | (1 << 12);
    w[117] = 2048; // logical sector = 2048 words = 4096 bytes
    w[217] = 5400;
    let id = parse_identify(&to_bytes(&w, false)).unwrap();
    assert_eq!(id.user_sectors, 0x0010_5000);
    assert_eq!(
        (id.logical_sector_size, id.physical_sector_size),
        (4096, 4096)
    );
    assert_eq!(id.rotation_rpm, Some(5400));
    assert_eq!(id.is_solid_state(), Some(false));
    assert!(!id.sanitize.supported && !id.hpa_supported);
}

#[test]
fn rejects_bad_identify_data() {
    let mut bytes = to_bytes(&sata_ssd_words(), true);
    bytes[100] ^= 1;
    assert_eq!(parse_identify(&bytes), Err(AtaParseError::Checksum));
    assert_eq!(
        parse_identify(&bytes[..511]),
        Err(AtaParseError::Length(511))
    );
    assert_eq!(parse_identify(&[0u8; 512]), Err(AtaParseError::Blank));
    // arbitrary bytes never panic
    for seed in 0..200u32 {
        let noise: Vec<u8> = (0..512u32)
            .map(|i| (i.wrapping_mul(2654435761).wrapping_add(seed * 7919) >> 13) as u8)
            .collect();
        let _ = parse_identify(&noise);
    }
}

/// An Identify Controller structure: VID 0-1, SN 4-23, MN 24-63, FR 64-71, OACS 256-257,
/// SANICAP 328-331, FNA 524.
fn nvme_fixture(oacs: u16, sanicap: u32, fna: u8) -> Vec<u8> {
    let mut d = vec![0u8; 4096];
    d[0..2].copy_from_slice(&0x144Du16.to_le_bytes());
    let field = |d: &mut Vec<u8>, range: std::ops::Range<usize>, text: &str| {
        d[range.clone()].fill(b' ');
        d[range.start..range.start + text.len()].copy_from_slice(text.as_bytes());
    };
    field(&mut d, 4..24, "S6B0NL0T912345A");
    field(&mut d, 24..64, "Samsung SSD 980 PRO 1TB");
    field(&mut d, 64..72, "5B2QGXA7");
    d[256..258].copy_from_slice(&oacs.to_le_bytes());
    d[328..332].copy_from_slice(&sanicap.to_le_bytes());
    d[524] = fna;
    d
}

#[test]
fn parses_nvme_identify_controller() {
    let ctrl = parse_identify_controller(&nvme_fixture(0x0017, 0b011, 0b100)).unwrap();
    assert_eq!(ctrl.vendor_id, 0x144D);
    assert_eq!(ctrl.serial, "S6B0NL0T912345A");
    assert_eq!(ctrl.model, "Samsung SSD 980 PRO 1TB");
    assert_eq!(ctrl.firmware, "5B2QGXA7");
    assert!(ctrl.format_supported && ctrl.format_crypto_erase && !ctrl.format_erase_all_namespaces);
    assert!(ctrl.sanitize.crypto_erase && ctrl.sanitize.block_erase && !ctrl.sanitize.overwrite);
    assert_eq!((ctrl.oacs, ctrl.sanicap, ctrl.fna), (0x0017, 0b011, 0b100));

    let plain = parse_identify_controller(&nvme_fixture(0, 0, 0)).unwrap();
    assert!(!plain.format_supported && !plain.sanitize.crypto_erase && !plain.sanitize.block_erase);
    assert_eq!(
        parse_identify_controller(&[0u8; 100]),
        Err(NvmeParseError::Length(100))
    );
}
