use super::*;

#[test]
fn sanitize_cdw10_matches_sanact_values() {
    // SANACT 010b block erase, 011b overwrite (OWPASS 1 in bits 7:4), 100b crypto erase
    assert_eq!(sanitize_cdw10(NvmeSanitizeAction::BlockErase), 0x0000_0002);
    assert_eq!(sanitize_cdw10(NvmeSanitizeAction::Overwrite), 0x0000_0013);
    assert_eq!(sanitize_cdw10(NvmeSanitizeAction::CryptoErase), 0x0000_0004);
}

#[test]
fn format_cdw10_keeps_the_current_format_and_sets_ses() {
    let plain = NamespaceFormat { flbas: 0, dps: 0 };
    assert_eq!(format_cdw10(plain, 1), 0x0000_0200);
    assert_eq!(format_cdw10(plain, 2), 0x0000_0400);
    // LBAF 0x13 (low 3, high 1 in FLBAS bits 6:5), extended metadata, PI type 1 in the first bytes
    let odd = NamespaceFormat {
        flbas: 0b0011_0011,
        dps: 0b0000_1001,
    };
    assert_eq!(
        format_cdw10(odd, 1),
        0x3 | 1 << 4 | 1 << 5 | 1 << 8 | 1 << 9 | 1 << 12
    );
}

#[test]
fn get_log_asks_for_the_whole_sanitize_page() {
    // 512 bytes = 128 dwords, NUMDL zero-based 127
    assert_eq!(get_log_cdw10(0x81, 512), 0x007F_0081);
}

#[test]
fn sanitize_status_log_fixtures() {
    // recorded layouts: in progress at 25 %, last command crypto erase
    let mut log = [0u8; 512];
    log[..8].copy_from_slice(&[0x00, 0x40, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00]);
    let s = parse_sanitize_status(&log).unwrap();
    assert_eq!(s.progress, 0x4000);
    assert_eq!(s.state, SanitizeState::InProgress);
    assert_eq!(s.last_cdw10, 4);
    assert!(!s.global_data_erased);
    // completed, global data erased, SPROG FFFFh
    log[..4].copy_from_slice(&[0xFF, 0xFF, 0x01, 0x01]);
    let s = parse_sanitize_status(&log).unwrap();
    assert_eq!(s.state, SanitizeState::Completed);
    assert!(s.global_data_erased);
    // failed
    log[2] = 0x03;
    assert_eq!(
        parse_sanitize_status(&log).unwrap().state,
        SanitizeState::Failed
    );
    assert_eq!(parse_sanitize_status(&log[..5]), None);
}

#[test]
fn completion_status_is_named() {
    assert_eq!(
        describe_status(0x4002),
        "Invalid Field in Command (SCT 0x0, SC 0x02, DNR)"
    );
    assert_eq!(describe_status(0x010A), "Invalid Format (SCT 0x1, SC 0x0a)");
    assert!(describe_status(0x001C).starts_with("Sanitize Failed"));
    assert!(describe_status(0x0777).starts_with("other"));
}
