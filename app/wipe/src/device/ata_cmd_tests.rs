use super::*;

#[test]
fn crypto_scramble_cdb_is_byte_exact() {
    let cdb = pass_through_cdb(sanitize_registers(AtaSanitizeAction::CryptoScramble));
    // 85h, non-data + extend, CK_COND, FEATURE 0011h, COUNT 0, LBA 43727970h, device 40h, B4h
    assert_eq!(
        cdb,
        [
            0x85, 0x07, 0x20, 0x00, 0x11, 0x00, 0x00, 0x43, 0x70, 0x00, 0x79, 0x00, 0x72, 0x40,
            0xB4, 0x00
        ]
    );
}

#[test]
fn block_erase_and_overwrite_cdbs_carry_their_signatures() {
    let block = pass_through_cdb(sanitize_registers(AtaSanitizeAction::BlockErase));
    assert_eq!(
        block,
        [
            0x85, 0x07, 0x20, 0x00, 0x12, 0x00, 0x00, 0x42, 0x72, 0x00, 0x45, 0x00, 0x6B, 0x40,
            0xB4, 0x00
        ]
    );
    let overwrite = pass_through_cdb(sanitize_registers(AtaSanitizeAction::Overwrite));
    // "OW" = 4Fh 57h in LBA 47:32: LBA 39:32 at byte 9, LBA 47:40 at byte 11; one pass
    assert_eq!(
        overwrite,
        [
            0x85, 0x07, 0x20, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x57, 0x00, 0x4F, 0x00, 0x40,
            0xB4, 0x00
        ]
    );
    let status = pass_through_cdb(status_registers());
    assert_eq!(status[4], 0x00);
    assert_eq!(status[14], 0xB4);
}

/// Sense data as libata returns it for CK_COND: descriptor format, RECOVERED ERROR,
/// ASC/ASCQ 00h/1Dh, then the ATA Status Return descriptor.
fn recorded_sense(count: [u8; 2], lba_low: u8, lba_mid: u8, status: u8) -> Vec<u8> {
    let mut s = vec![0x72, 0x01, 0x00, 0x1D, 0, 0, 0, 14];
    s.extend_from_slice(&[
        0x09, 0x0C, 0x01, 0x00, count[0], count[1], 0, lba_low, 0, lba_mid, 0, 0, 0x40, status,
    ]);
    s
}

#[test]
fn sanitize_status_in_progress_fixture() {
    let r = parse_returned(&recorded_sense([0x40, 0x00], 0x00, 0x80, 0x50)).unwrap();
    let s = parse_status(&r);
    assert!(s.in_progress && !s.completed_ok && !s.aborted);
    assert_eq!(s.progress, 0x8000);
}

#[test]
fn sanitize_status_completed_and_aborted_fixtures() {
    let done =
        parse_status(&parse_returned(&recorded_sense([0x80, 0x00], 0xFF, 0xFF, 0x50)).unwrap());
    assert!(done.completed_ok && !done.in_progress);
    let aborted = parse_returned(&recorded_sense([0x00, 0x00], 0x01, 0x00, 0x51)).unwrap();
    assert!(parse_status(&aborted).aborted);
}

#[test]
fn fixed_or_missing_sense_is_an_error() {
    assert!(parse_returned(&[0x70, 0, 0x01, 0, 0, 0, 0, 10]).is_err());
    assert!(parse_returned(&[]).is_err());
    assert!(parse_returned(&[0x72, 0x01, 0x00, 0x1D, 0, 0, 0, 0]).is_err());
}
