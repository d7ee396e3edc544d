//! Export: exact bytes, unmappable characters, and the lossless Kinko format.

mod common;

use common::{date, employee, kana, member, number, valid_number};
use kinko_domain::people::{DependantType, EmploymentStatus};
use kinko_interop::kinko_format::{write_employees, write_family};
use kinko_interop::{
    Lang, Localized, OutEncoding, Preset, Unmappable, WriteError, decode, import_employees,
    import_family, read_table, write_csv,
};

fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

#[test]
fn utf8_with_bom_and_crlf() {
    let n = valid_number("12345678901");
    let bytes = write_csv(
        &["社員番号", "氏名", "個人番号"],
        &rows(&[&["0001", "山田　太郎", &n]]),
        OutEncoding::Utf8Bom,
        Unmappable::Fail,
    )
    .unwrap();
    let expected = format!("\u{FEFF}社員番号,氏名,個人番号\r\n0001,山田　太郎,{n}\r\n");
    assert_eq!(bytes, expected.as_bytes());
}

#[test]
fn quoting_follows_rfc_4180() {
    let bytes = write_csv(
        &["a", "b", "c", "d"],
        &rows(&[&["x,y", "say \"hi\"", "1行目\n2行目", " 空白"]]),
        OutEncoding::Utf8Bom,
        Unmappable::Fail,
    )
    .unwrap();
    assert_eq!(
        &bytes[3..],
        "a,b,c,d\r\n\"x,y\",\"say \"\"hi\"\"\",\"1行目\n2行目\",\" 空白\"\r\n".as_bytes()
    );
}

#[test]
fn cp932_bytes_for_nec_and_ibm_characters() {
    let bytes = write_csv(
        &["氏名", "記号"],
        &rows(&[&["髙橋", "①"], &["表", "ｱ"]]),
        OutEncoding::Cp932,
        Unmappable::Fail,
    )
    .unwrap();
    let mut expected = common::cp932("氏名,記号\r\n");
    expected.extend_from_slice(&[0xFB, 0xFC, 0x8B, 0xB4, b',', 0x87, 0x40, b'\r', b'\n']);
    expected.extend_from_slice(&[0x95, 0x5C, b',', 0xB1, b'\r', b'\n']);
    assert_eq!(bytes, expected);
}

#[test]
fn unmappable_characters_are_reported_with_row_and_column() {
    let error = write_csv(
        &["社員番号", "氏名"],
        &rows(&[&["0001", "山田"], &["0002", "𠮷田"]]),
        OutEncoding::Cp932,
        Unmappable::Fail,
    )
    .unwrap_err();
    assert_eq!(
        error,
        WriteError::Unmappable {
            row: 2,
            column: "氏名".into(),
            character: '𠮷'
        }
    );
    assert_eq!(
        error.to_string(),
        "2件目のデータ「氏名」の「𠮷」（U+20BB7）はShift_JIS（CP932）で書き出せません。UTF-8（BOM付き）で書き出すか、置き換える文字を指定してください"
    );
    assert!(
        error
            .message(Lang::En)
            .starts_with("Data row 2, column “氏名”: “𠮷” (U+20BB7)")
    );
    // The header row is row 0.
    let error = write_csv(&["𠮷"], &[], OutEncoding::Cp932, Unmappable::Fail).unwrap_err();
    assert!(matches!(error, WriteError::Unmappable { row: 0, .. }));
    assert!(error.to_string().starts_with("見出しの行「𠮷」"));
}

#[test]
fn a_chosen_replacement_is_written_instead() {
    let bytes = write_csv(
        &["氏名"],
        &rows(&[&["𠮷田"]]),
        OutEncoding::Cp932,
        Unmappable::Replace('〓'),
    )
    .unwrap();
    let decoded = decode(&bytes).unwrap();
    assert_eq!(decoded.text(), "氏名\n〓田\n");
    // UTF-8 holds everything: the replacement is never used.
    let bytes = write_csv(
        &["氏名"],
        &rows(&[&["𠮷田"]]),
        OutEncoding::Utf8Bom,
        Unmappable::Replace('〓'),
    )
    .unwrap();
    assert_eq!(decode(&bytes).unwrap().text(), "氏名\n𠮷田\n");
}

#[test]
fn a_replacement_must_be_writable_itself() {
    for bad in ['𠮷', ',', '"', ' ', '\u{7}'] {
        assert_eq!(
            write_csv(&["a"], &[], OutEncoding::Cp932, Unmappable::Replace(bad)).unwrap_err(),
            WriteError::BadReplacement { character: bad }
        );
    }
}

#[test]
fn jis_and_windows_forms_of_the_same_character_are_both_written() {
    // 〜 (U+301C, what macOS and JIS mappings give) and ～ (U+FF5E, Windows) are JIS 1-33.
    let bytes = write_csv(
        &["備考"],
        &rows(&[&["9時〜17時"], &["‖—¢£¬−"]]),
        OutEncoding::Cp932,
        Unmappable::Fail,
    )
    .unwrap();
    let last_row = &bytes[bytes.len() - 14..];
    assert_eq!(&last_row[..4], [0x81, 0x61, 0x81, 0x5C]);
    assert!(bytes.windows(2).any(|w| w == [0x81, 0x60]));
    assert_eq!(
        decode(&bytes).unwrap().text(),
        "備考\n9時～17時\n∥―￠￡￢－\n"
    );
}

#[test]
fn rows_must_match_the_header_and_hold_no_control_characters() {
    assert_eq!(
        write_csv(
            &["a", "b"],
            &rows(&[&["1"]]),
            OutEncoding::Utf8Bom,
            Unmappable::Fail
        )
        .unwrap_err(),
        WriteError::RowLength {
            row: 1,
            expected: 2,
            found: 1
        }
    );
    assert_eq!(
        write_csv(
            &["a"],
            &rows(&[&["x\u{0}"]]),
            OutEncoding::Cp932,
            Unmappable::Fail
        )
        .unwrap_err(),
        WriteError::ControlCharacter {
            row: 1,
            column: "a".into()
        }
    );
}

#[test]
fn written_files_read_back_cell_for_cell() {
    let header = ["社員番号", "氏名", "備考"];
    let data = rows(&[&["0001", "髙橋　①子", "a,\"b\"\nc"], &["0002", "ｱｲｳ", ""]]);
    for encoding in [OutEncoding::Utf8Bom, OutEncoding::Cp932] {
        let bytes = write_csv(&header, &data, encoding, Unmappable::Fail).unwrap();
        let decoded = decode(&bytes).unwrap();
        let table = read_table(decoded.text()).unwrap();
        assert_eq!(table.headers, header);
        let read: Vec<Vec<String>> = table
            .records
            .iter()
            .map(|r| r.iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(read, data, "{encoding:?}");
    }
}

fn full_employees() -> Vec<kinko_interop::EmployeeRow> {
    let mut a = employee("0001", "髙橋\u{3000}①子");
    a.kana = kana("タカハシ\u{3000}イチコ");
    a.birth_date = Some(date(1962, 3, 18));
    a.department = Some("総務部,人事課".into());
    a.hire_date = Some(date(1998, 4, 1));
    a.retire_date = Some(date(2030, 3, 31));
    a.status = EmploymentStatus::Active;
    a.number = Some(number("12345678901"));
    let mut b = employee("0002", "鈴木");
    b.status = EmploymentStatus::OnLeave;
    let mut c = employee("0003", "佐藤\u{3000}花");
    c.retire_date = Some(date(2024, 3, 31));
    c.status = EmploymentStatus::Retired;
    vec![a, b, c]
}

#[test]
fn kinko_format_employees_round_trip_exactly() {
    let written = full_employees();
    for encoding in [OutEncoding::Utf8Bom, OutEncoding::Cp932] {
        let bytes = write_employees(&written, encoding, Unmappable::Fail).unwrap();
        let (_, parsed) = import_employees(&bytes, &Preset::Kinko.employees()).unwrap();
        assert_eq!(parsed.errors, []);
        let read: Vec<_> = parsed.rows.into_iter().map(|(_, r)| r).collect();
        assert_eq!(read, written, "{encoding:?}");
    }
    let bytes = write_employees(&written, OutEncoding::Utf8Bom, Unmappable::Fail).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with(
        "\u{FEFF}社員番号,氏名,フリガナ,生年月日,部署,入社日,退職日,在職区分,個人番号\r\n\
         0001,髙橋　①子,タカハシ　イチコ,1962-03-18,\"総務部,人事課\",1998-04-01,2030-03-31,在職,"
    ));
}

#[test]
fn kinko_format_family_round_trips_and_cp932_refuses_what_it_cannot_hold() {
    let mut wife = member("0001", "妻", "𠮷田\u{3000}花子");
    wife.kana = kana("ヨシダ\u{3000}ハナコ");
    wife.birth_date = Some(date(1965, 5, 5));
    wife.dependant = DependantType::PensionCategory3;
    wife.number = Some(number("98765432109"));
    let mut son = member("0001", "長男", "吉田\u{3000}一郎");
    son.dependant = DependantType::Under16;
    let written = vec![wife, son];

    let bytes = write_family(&written, OutEncoding::Utf8Bom, Unmappable::Fail).unwrap();
    let (_, parsed) = import_family(&bytes, &Preset::Kinko.family()).unwrap();
    let read: Vec<_> = parsed.rows.into_iter().map(|(_, r)| r).collect();
    assert_eq!(read, written);

    assert_eq!(
        write_family(&written, OutEncoding::Cp932, Unmappable::Fail).unwrap_err(),
        WriteError::Unmappable {
            row: 1,
            column: "氏名".into(),
            character: '𠮷'
        }
    );
}
