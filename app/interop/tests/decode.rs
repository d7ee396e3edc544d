//! Encoding detection and refusal of files that are not CSV text.

mod common;

use common::{cp932, crlf, utf8_bom};
use kinko_interop::{Encoding, Lang, Limits, Localized, ReadError, decode, decode_with};

#[test]
fn utf8_with_bom_and_crlf() {
    let decoded = decode(&utf8_bom(&crlf(&["社員番号,氏名", "0001,山田"]))).unwrap();
    assert_eq!(decoded.encoding(), Encoding::Utf8Bom);
    assert_eq!(decoded.text(), "社員番号,氏名\n0001,山田\n");
}

#[test]
fn utf8_without_bom_and_lf() {
    let decoded = decode("従業員番号,姓\n0001,山田\n".as_bytes()).unwrap();
    assert_eq!(decoded.encoding(), Encoding::Utf8);
    assert_eq!(decoded.text(), "従業員番号,姓\n0001,山田\n");
}

#[test]
fn cp932_from_encoded_text() {
    let text = "社員番号,氏名,フリガナ\r\n0001,髙橋　①子,ﾀｶﾊｼ ｲﾁｺ\r\n";
    let decoded = decode(&cp932(text)).unwrap();
    assert_eq!(decoded.encoding(), Encoding::Cp932);
    assert_eq!(decoded.text(), text.replace("\r\n", "\n"));
}

#[test]
fn cp932_trail_byte_0x5c_and_half_width_kana_from_literal_bytes() {
    // 表 = 95 5C and ソ = 83 5C end in the byte of a backslash; ｱｲｳ = B1 B2 B3;
    // 髙 = FB FC (IBM extension); ① = 87 40 (NEC row 13).
    let bytes = [
        0x95, 0x5C, b',', 0x83, 0x5C, b',', 0xB1, 0xB2, 0xB3, b'\r', b'\n', 0xFB, 0xFC, b',', 0x87,
        0x40, b',', b'"', 0x95, 0x5C, b'"', b'\r', b'\n',
    ];
    let decoded = decode(&bytes).unwrap();
    assert_eq!(decoded.encoding(), Encoding::Cp932);
    assert_eq!(decoded.text(), "表,ソ,ｱｲｳ\n髙,①,\"表\"\n");
}

#[test]
fn lone_cr_line_endings_become_lf() {
    let decoded = decode(b"a,b\r1,2\r").unwrap();
    assert_eq!(decoded.text(), "a,b\n1,2\n");
}

#[test]
fn empty_files_are_refused() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\r\n\r\n", b"   \n\t"] {
        assert_eq!(decode(bytes).unwrap_err(), ReadError::Empty, "{bytes:?}");
    }
}

#[test]
fn binary_files_are_refused_with_the_offset_of_the_nul() {
    assert_eq!(
        decode(b"abc\0def").unwrap_err(),
        ReadError::Binary { offset: 3 }
    );
    // The offset counts the BOM, as a hex editor would.
    assert_eq!(
        decode(b"\xEF\xBB\xBFa\0").unwrap_err(),
        ReadError::Binary { offset: 4 }
    );
    // An .xlsx is a ZIP archive.
    assert!(matches!(
        decode(b"PK\x03\x04\x14\0\x06\0").unwrap_err(),
        ReadError::Binary { .. }
    ));
}

#[test]
fn utf16_is_refused_by_name() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("a,b".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(decode(&bytes).unwrap_err(), ReadError::Utf16);
}

#[test]
fn oversize_is_refused_before_decoding() {
    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        decode_with(b"0123456789a", &limits).unwrap_err(),
        ReadError::TooLarge { limit: 10 }
    );
    assert!(decode_with(b"0123456789", &limits).is_ok());
    // The default limit, on a zeroed buffer whose pages are never touched.
    let huge = vec![0u8; Limits::DEFAULT_MAX_BYTES + 1];
    assert_eq!(
        decode(&huge).unwrap_err(),
        ReadError::TooLarge {
            limit: 64 * 1024 * 1024
        }
    );
}

#[test]
fn unknown_encoding_reports_the_first_bad_byte() {
    // 0xA0 is neither UTF-8 nor CP932.
    assert_eq!(
        decode(b"AB\xA0").unwrap_err(),
        ReadError::UnknownEncoding { offset: 2 }
    );
    // A lead byte followed by a byte that cannot trail it.
    assert_eq!(
        decode(b"A\x82 ").unwrap_err(),
        ReadError::UnknownEncoding { offset: 1 }
    );
    // Offsets are in the original bytes, before CRLF became LF.
    assert_eq!(
        decode(b"a\r\nb\xFD").unwrap_err(),
        ReadError::UnknownEncoding { offset: 4 }
    );
    let mut bytes = cp932("社員番号,氏名\r\n0001,山田\r\n");
    let bad_at = bytes.len();
    bytes.extend_from_slice(&[0x85, 0x40]); // an unassigned JIS row
    assert_eq!(
        decode(&bytes).unwrap_err(),
        ReadError::UnknownEncoding { offset: bad_at }
    );
}

#[test]
fn damaged_utf8_is_not_read_as_cp932_mojibake() {
    let mut bytes = "社員番号,氏名\n0001,山田太郎\n0002,".as_bytes().to_vec();
    let bad_at = bytes.len();
    bytes.push(0xE9); // the first byte of 鈴, cut off
    bytes.extend_from_slice(",\n".as_bytes());
    assert_eq!(
        decode(&bytes).unwrap_err(),
        ReadError::BrokenUtf8 { offset: bad_at }
    );
    // With a BOM the file has said it is UTF-8.
    assert_eq!(
        decode(b"\xEF\xBB\xBFa,\x82\xA0").unwrap_err(),
        ReadError::BrokenUtf8 { offset: 5 }
    );
}

#[test]
fn encoding_labels() {
    assert_eq!(Encoding::Cp932.label(Lang::Ja), "Shift_JIS（CP932）");
    assert_eq!(Encoding::Utf8Bom.label(Lang::En), "UTF-8 with BOM");
}

#[test]
fn messages_in_both_languages() {
    let e = ReadError::UnknownEncoding { offset: 2 };
    assert_eq!(
        e.to_string(),
        "文字コードを判別できません（3バイト目）。UTF-8またはShift_JIS（CP932）で保存したCSVファイルを選んでください"
    );
    assert!(
        e.message(Lang::En)
            .starts_with("The character encoding could not be recognised (byte 3)")
    );
    assert_eq!(
        ReadError::TooLarge { limit: 64 << 20 }.to_string(),
        "ファイルが大きすぎます（読み込めるのは64MBまでです）"
    );
    assert_eq!(ReadError::Empty.message(Lang::En), "The file is empty");
}

#[test]
fn debug_output_hides_the_text() {
    let decoded = decode(b"a\n123456789018\n").unwrap();
    let debug = format!("{decoded:?}");
    assert!(!debug.contains("123456789018"), "{debug}");
}

#[test]
fn a_100_mb_file_is_refused_without_being_decoded() {
    // Real text, not zeros: the refusal must come from the size check, before any decoding.
    let line = "0001,山田　太郎,ヤマダ　タロウ,1980-04-01,総務部\r\n".as_bytes();
    let mut big = Vec::with_capacity(100 * 1024 * 1024 + line.len());
    while big.len() < 100 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    assert!(matches!(decode(&big), Err(ReadError::TooLarge { .. })));
}
