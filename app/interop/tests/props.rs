//! Properties: reading never panics on any input, and writing then reading gives back what was
//! written.

mod common;

use chrono::NaiveDate;
use kinko_domain::number::MyNumber;
use kinko_domain::people::{DependantType, EmploymentStatus};
use kinko_interop::kinko_format::{write_employees, write_family};
use kinko_interop::{
    EmployeeRow, FamilyRow, Limits, OutEncoding, Preset, Unmappable, decode, decode_with,
    employees, family, import_employees, import_family, read_table, read_table_with, write_csv,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::string::string_regex;

/// Every step after decoding, on whatever decoded; none may panic.
fn read_everything(bytes: &[u8], limits: &Limits) {
    if let Ok(decoded) = decode_with(bytes, limits)
        && let Ok(table) = read_table_with(decoded.text(), limits)
    {
        for preset in Preset::ALL {
            let _ = employees(&table, &preset.employees());
            let _ = family(&table, &preset.family());
        }
    }
}

/// Text that looks like CSV: the characters that matter to the parser, Japanese text, digits.
fn csvish() -> impl Strategy<Value = String> {
    let pieces = select(vec![
        ",",
        "\"",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\u{3000}",
        "社員番号",
        "氏名",
        "生年月日",
        "個人番号",
        "続柄",
        "フリガナ",
        "令和5年4月1日",
        "R5.4.1",
        "ﾔﾏﾀﾞ",
        "髙",
        "①",
        "0001",
        "123456789018",
        "-",
        "*",
        "E+",
        "\u{FEFF}",
        "\u{E000}",
    ]);
    vec(pieces, 0..200).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..2048)) {
        let small = Limits { max_bytes: 1024, max_columns: 8, max_rows: 16 };
        read_everything(&bytes, &small);
        read_everything(&bytes, &Limits::default());
    }

    #[test]
    fn csv_like_text_never_panics(text in csvish()) {
        read_everything(text.as_bytes(), &Limits::default());
        read_everything(&common::utf8_bom(&text), &Limits::default());
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        read_everything(&bytes, &Limits { max_columns: 4, ..Limits::default() });
    }
}

/// A header cell: what `read_table` gives back unchanged (trimmed, non-empty).
fn header_cell(chars: &'static str) -> impl Strategy<Value = String> {
    let pattern = format!("[{chars}]{{1,6}}");
    string_regex(&pattern)
        .expect("valid pattern")
        .prop_filter("trimmed", |s: &String| s.trim() == s && !s.is_empty())
}

/// Mappable in CP932: ASCII, kana of both widths, common and extended kanji, NEC symbols.
const CP932_CHARS: &str = "a-zA-Z0-9 ,\"\n\t!#-/:-@あ-んア-ンｦ-ﾟ亜唖娃阿山田髙﨑①②㈱№～－";
/// Anything but control characters other than tab and LF (the writer refuses those, and the
/// reader turns CR into LF).
const UTF8_CHARS: &str = "a-zA-Z0-9 ,\"\n\t!#-/:-@あ-んア-ンｦ-ﾟ亜唖山田髙﨑①〜𠮷😀\u{3000}";

fn table(chars: &'static str) -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    (1usize..6).prop_flat_map(move |width| {
        let cell = string_regex(&format!("[{chars}]{{0,8}}")).expect("valid pattern");
        (
            vec(header_cell(chars), width),
            vec(vec(cell, width), 1..12).prop_filter("rows have text", |rows| {
                rows.iter().all(|r| r.iter().any(|c| !c.trim().is_empty()))
            }),
        )
    })
}

fn round_trip(header: &[String], rows: &[Vec<String>], encoding: OutEncoding) {
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let bytes = write_csv(&names, rows, encoding, Unmappable::Fail).unwrap();
    let decoded = decode(&bytes).unwrap();
    let table = read_table(decoded.text()).unwrap();
    assert_eq!(&table.headers, header);
    assert!(table.errors.is_empty());
    let read: Vec<Vec<String>> = table
        .records
        .iter()
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(read, rows);
}

proptest! {
    #[test]
    fn utf8_write_then_read_round_trips((header, rows) in table(UTF8_CHARS)) {
        round_trip(&header, &rows, OutEncoding::Utf8Bom);
    }

    #[test]
    fn cp932_write_then_read_round_trips((header, rows) in table(CP932_CHARS)) {
        round_trip(&header, &rows, OutEncoding::Cp932);
    }
}

fn number() -> impl Strategy<Value = Option<MyNumber>> {
    proptest::option::of("[0-9]{11}".prop_map(|body| common::number(&body)))
}

fn date() -> impl Strategy<Value = Option<NaiveDate>> {
    proptest::option::of((1900i32..2100, 1u32..13, 1u32..29))
        .prop_map(|d| d.map(|(y, m, day)| common::date(y, m, day)))
}

/// A name as the reader produces it: parts joined by one full-width space.
fn name() -> impl Strategy<Value = String> {
    vec("[山田髙﨑①花子一郎佐藤ア-ン]{1,4}", 1..3).prop_map(|parts| parts.join("\u{3000}"))
}

fn kana() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(vec("[ア-ンー]{1,5}", 1..3).prop_map(|p| p.join("\u{3000}")))
}

fn employee_row() -> impl Strategy<Value = EmployeeRow> {
    let status = select(EmploymentStatus::ALL.to_vec());
    (
        "[0-9A-Za-z_-]{1,10}",
        name(),
        kana(),
        (date(), date(), date()),
        proptest::option::of(name()),
        status,
        number(),
    )
        .prop_map(
            |(code, name, kana, (birth, hire, retire), department, status, number)| {
                // The reader refuses a retirement before the hire date.
                let retire_date = match (hire, retire) {
                    (Some(h), Some(r)) if r < h => Some(h),
                    _ => retire,
                };
                EmployeeRow {
                    code,
                    name,
                    kana,
                    birth_date: birth,
                    department,
                    hire_date: hire,
                    retire_date,
                    status,
                    number,
                }
            },
        )
}

fn family_row() -> impl Strategy<Value = FamilyRow> {
    let dependant = select(DependantType::ALL.to_vec());
    (
        "[0-9A-Za-z_-]{1,10}",
        select(vec!["妻", "夫", "長男", "長女", "父", "母"]),
        name(),
        kana(),
        date(),
        dependant,
        number(),
    )
        .prop_map(
            |(code, relation, name, kana, birth_date, dependant, number)| FamilyRow {
                employee_code: code,
                relation: relation.to_owned(),
                name,
                kana,
                birth_date,
                dependant,
                number,
            },
        )
}

/// Rows with distinct codes and numbers, as a file the reader accepts must have.
fn distinct_employees() -> impl Strategy<Value = Vec<EmployeeRow>> {
    vec(employee_row(), 1..8).prop_map(|rows| {
        let mut codes = std::collections::HashSet::new();
        let mut numbers = std::collections::HashSet::new();
        rows.into_iter()
            .filter(|r| codes.insert(r.code.clone()))
            .map(|mut r| {
                if r.number
                    .as_ref()
                    .is_some_and(|n| !numbers.insert(n.clone()))
                {
                    r.number = None;
                }
                r
            })
            .collect()
    })
}

fn distinct_family() -> impl Strategy<Value = Vec<FamilyRow>> {
    vec(family_row(), 1..8).prop_map(|rows| {
        let mut members = std::collections::HashSet::new();
        let mut numbers = std::collections::HashSet::new();
        rows.into_iter()
            .filter(|r| members.insert((r.employee_code.clone(), r.name.clone(), r.birth_date)))
            .map(|mut r| {
                if r.number
                    .as_ref()
                    .is_some_and(|n| !numbers.insert(n.clone()))
                {
                    r.number = None;
                }
                r
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn kinko_format_round_trips_employees(rows in distinct_employees()) {
        for encoding in [OutEncoding::Utf8Bom, OutEncoding::Cp932] {
            let bytes = write_employees(&rows, encoding, Unmappable::Fail).unwrap();
            let (_, parsed) = import_employees(&bytes, &Preset::Kinko.employees()).unwrap();
            prop_assert_eq!(&parsed.errors, &vec![]);
            let read: Vec<_> = parsed.rows.into_iter().map(|(_, r)| r).collect();
            prop_assert_eq!(&read, &rows);
        }
    }

    #[test]
    fn kinko_format_round_trips_family(rows in distinct_family()) {
        for encoding in [OutEncoding::Utf8Bom, OutEncoding::Cp932] {
            let bytes = write_family(&rows, encoding, Unmappable::Fail).unwrap();
            let (_, parsed) = import_family(&bytes, &Preset::Kinko.family()).unwrap();
            prop_assert_eq!(&parsed.errors, &vec![]);
            let read: Vec<_> = parsed.rows.into_iter().map(|(_, r)| r).collect();
            prop_assert_eq!(&read, &rows);
        }
    }
}
