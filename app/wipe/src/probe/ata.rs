//! ATA IDENTIFY DEVICE: parsing the 256-word answer, and fetching it through SG_IO with
//! ATA PASS-THROUGH(16) where the driver or USB bridge translates it (SAT).

use serde::Serialize;

use super::sg_io;

/// Length of the IDENTIFY DEVICE data.
pub const IDENTIFY_LEN: usize = 512;

/// ATA SANITIZE feature set (word 59).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AtaSanitizeSupport {
    pub supported: bool,
    pub crypto_scramble: bool,
    pub overwrite: bool,
    pub block_erase: bool,
}

/// ATA Security feature set (word 128).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AtaSecurity {
    pub supported: bool,
    pub enabled: bool,
    pub locked: bool,
    pub frozen: bool,
    pub enhanced_erase_supported: bool,
}

/// What IDENTIFY DEVICE says about the drive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AtaIdentity {
    pub model: String,
    pub serial: String,
    pub firmware: String,
    /// User-addressable sectors (LBA48 words 100-103 when the drive has LBA48, else 60-61).
    pub user_sectors: u64,
    pub logical_sector_size: u32,
    pub physical_sector_size: u32,
    /// Word 217: Some(0) non-rotating (solid state), Some(rpm) spinning, None not reported.
    pub rotation_rpm: Option<u16>,
    pub sanitize: AtaSanitizeSupport,
    pub security: AtaSecurity,
    pub hpa_supported: bool,
    pub hpa_enabled: bool,
    pub dco_supported: bool,
    pub trim_supported: bool,
    /// Raw words 59, 82-87, 106, 128, 217 in hex, for the certificate's device-state record.
    pub raw_capability_words: String,
}

impl AtaIdentity {
    pub fn is_solid_state(&self) -> Option<bool> {
        self.rotation_rpm.map(|rpm| rpm == 0)
    }
}

/// Why IDENTIFY data was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AtaParseError {
    #[error("IDENTIFY data is {0} bytes, expected 512")]
    Length(usize),
    #[error("IDENTIFY data fails its integrity word (255)")]
    Checksum,
    #[error("IDENTIFY data is blank")]
    Blank,
}

/// Parses IDENTIFY DEVICE data (words little-endian as the device returns them).
pub fn parse_identify(data: &[u8]) -> Result<AtaIdentity, AtaParseError> {
    let words = words(data)?;
    check_integrity(data, &words)?;
    let w = |i: usize| words[i];
    let bit = |i: usize, b: u16| w(i) & (1 << b) != 0;
    let (logical, physical) = sector_sizes(&words);
    let identity = AtaIdentity {
        model: ata_string(&words[27..=46]),
        serial: ata_string(&words[10..=19]),
        firmware: ata_string(&words[23..=26]),
        user_sectors: user_sectors(&words),
        logical_sector_size: logical,
        physical_sector_size: physical,
        rotation_rpm: rotation(w(217)),
        sanitize: AtaSanitizeSupport {
            supported: bit(59, 12),
            crypto_scramble: bit(59, 13),
            overwrite: bit(59, 14),
            block_erase: bit(59, 15),
        },
        security: AtaSecurity {
            supported: bit(128, 0),
            enabled: bit(128, 1),
            locked: bit(128, 2),
            frozen: bit(128, 3),
            enhanced_erase_supported: bit(128, 5),
        },
        hpa_supported: bit(82, 10),
        hpa_enabled: bit(85, 10),
        dco_supported: bit(83, 11),
        trim_supported: bit(169, 0),
        raw_capability_words: raw_words(&words),
    };
    if identity.model.is_empty() && identity.serial.is_empty() && identity.user_sectors == 0 {
        return Err(AtaParseError::Blank);
    }
    Ok(identity)
}

fn words(data: &[u8]) -> Result<[u16; 256], AtaParseError> {
    if data.len() != IDENTIFY_LEN {
        return Err(AtaParseError::Length(data.len()));
    }
    let mut words = [0u16; 256];
    for (word, pair) in words.iter_mut().zip(data.chunks_exact(2)) {
        *word = u16::from_le_bytes([pair[0], pair[1]]);
    }
    Ok(words)
}

/// Word 255: when its low byte is the signature A5h, all 512 bytes sum to 0 mod 256.
fn check_integrity(data: &[u8], words: &[u16; 256]) -> Result<(), AtaParseError> {
    if words[255] & 0xFF != 0xA5 {
        return Ok(());
    }
    let sum = data.iter().fold(0u8, |acc, b| acc.wrapping_add(*b));
    if sum == 0 {
        Ok(())
    } else {
        Err(AtaParseError::Checksum)
    }
}

/// ATA strings hold two characters per word, first character in the high byte.
fn ata_string(words: &[u16]) -> String {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
    String::from_utf8_lossy(&bytes)
        .trim_matches(|c: char| c == ' ' || c == '\0')
        .to_owned()
}

fn user_sectors(words: &[u16; 256]) -> u64 {
    let lba48 = words[83] & (1 << 10) != 0;
    if lba48 {
        (0..4).fold(0u64, |acc, i| acc | (u64::from(words[100 + i]) << (16 * i)))
    } else {
        u64::from(words[60]) | (u64::from(words[61]) << 16)
    }
}

/// Word 106 (valid when bit 14 set, bit 15 clear): bit 12 → logical sector size in words
/// 117-118 (in words); bit 13 → 2^(bits 3:0) logical sectors per physical sector.
fn sector_sizes(words: &[u16; 256]) -> (u32, u32) {
    let w106 = words[106];
    if w106 & 0xC000 != 0x4000 {
        return (512, 512);
    }
    let mut logical = 512u32;
    if w106 & (1 << 12) != 0 {
        let in_words = u32::from(words[117]) | (u32::from(words[118]) << 16);
        if (256..=32768).contains(&in_words) {
            logical = in_words * 2;
        }
    }
    let per_physical = if w106 & (1 << 13) != 0 {
        1u32 << (w106 & 0xF)
    } else {
        1
    };
    (logical, logical.saturating_mul(per_physical))
}

/// Word 217: 0001h non-rotating; 0401h..FFFEh rpm; anything else not reported.
fn rotation(w217: u16) -> Option<u16> {
    match w217 {
        1 => Some(0),
        0x0401..=0xFFFE => Some(w217),
        _ => None,
    }
}

fn raw_words(words: &[u16; 256]) -> String {
    [59, 82, 83, 84, 85, 86, 87, 106, 128, 217]
        .iter()
        .map(|&i| format!("w{i}={:04x}", words[i]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// ATA PASS-THROUGH(16) CDB for IDENTIFY DEVICE (ECh): PIO data-in, one 512-byte block.
pub(crate) fn identify_cdb() -> [u8; 16] {
    let mut cdb = [0u8; 16];
    cdb[0] = 0x85; // ATA PASS-THROUGH(16)
    cdb[1] = 4 << 1; // protocol 4: PIO data-in
    cdb[2] = 0x0E; // T_DIR from device, BYTE_BLOCK, T_LENGTH in the count field
    cdb[6] = 1; // one sector
    cdb[14] = 0xEC; // IDENTIFY DEVICE
    cdb
}

/// Sends IDENTIFY DEVICE through SG_IO. Err(reason) when there is no working pass-through.
pub(crate) fn identify_device(file: &std::fs::File) -> Result<AtaIdentity, String> {
    let mut data = [0u8; IDENTIFY_LEN];
    sg_io::read_command(file, &identify_cdb(), &mut data)?;
    parse_identify(&data).map_err(|e| e.to_string())
}
