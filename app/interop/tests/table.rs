//! Reading CSV text into a header and records with their line numbers.

mod common;

use std::time::{Duration, Instant};

use common::{crlf, row_error};
use kinko_interop::{Limits, ReadError, RowProblem, Table, decode, read_table, read_table_with};

fn cells(table: &Table) -> Vec<(u64, Vec<&str>)> {
    table
        .records
        .iter()
        .map(|r| (r.line(), r.iter().collect()))
        .collect()
}

#[test]
fn quoted_commas_quotes_and_line_breaks_keep_line_numbers() {
    let text = "社員番号,氏名,備考\n\
                001,\"山田, 太郎\",\"1行目\n2行目\"\n\
                002,鈴木,\"say \"\"hi\"\"\"\n\
                \n\
                003,佐藤,\n";
    let table = read_table(text).unwrap();
    assert_eq!(table.headers, ["社員番号", "氏名", "備考"]);
    assert_eq!(table.header_line, 1);
    assert_eq!(
        cells(&table),
        [
            (2, vec!["001", "山田, 太郎", "1行目\n2行目"]),
            (4, vec!["002", "鈴木", "say \"hi\""]),
            (6, vec!["003", "佐藤", ""]),
        ]
    );
    assert!(table.errors.is_empty());
}

#[test]
fn crlf_inside_quotes_is_one_line_break() {
    let bytes = crlf(&["a,b", "1,\"x", "y\"", "2,z"]);
    let decoded = decode(bytes.as_bytes()).unwrap();
    let table = read_table(decoded.text()).unwrap();
    assert_eq!(cells(&table), [(2, vec!["1", "x\ny"]), (4, vec!["2", "z"])]);
}

#[test]
fn ragged_rows_are_row_errors_and_empty_tails_are_not() {
    let text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,,\n,,\n13,14,15\n";
    let table = read_table(text).unwrap();
    assert_eq!(
        cells(&table),
        [
            (2, vec!["1", "2", "3"]),
            (5, vec!["10", "11", "12"]),
            (7, vec!["13", "14", "15"]),
        ]
    );
    assert_eq!(
        table.errors,
        [
            row_error(
                3,
                "",
                RowProblem::FieldCount {
                    expected: 3,
                    found: 2
                }
            ),
            row_error(
                4,
                "",
                RowProblem::FieldCount {
                    expected: 3,
                    found: 4
                }
            ),
        ]
    );
}

#[test]
fn ten_thousand_columns_fail_fast_and_clearly() {
    let header: Vec<String> = (0..10_000).map(|i| format!("列{i}")).collect();
    let text = format!("{}\n{}\n", header.join(","), header.join(","));
    let started = Instant::now();
    let error = read_table(&text).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        error,
        ReadError::TooManyColumns {
            found: 10_000,
            limit: 256
        }
    );
    assert_eq!(
        error.to_string(),
        "列が多すぎます（10000列あります。読み込めるのは256列までです）"
    );
}

#[test]
fn a_data_row_with_ten_thousand_fields_is_one_row_error() {
    let wide = vec!["x"; 10_000].join(",");
    let text = format!("a,b\n1,2\n{wide}\n3,4\n");
    let table = read_table(&text).unwrap();
    assert_eq!(cells(&table), [(2, vec!["1", "2"]), (4, vec!["3", "4"])]);
    assert_eq!(
        table.errors,
        [row_error(
            3,
            "",
            RowProblem::FieldCount {
                expected: 2,
                found: 10_000
            }
        )]
    );
}

#[test]
fn a_megabyte_of_commas_is_bounded() {
    let text = ",".repeat(1 << 20);
    assert_eq!(
        read_table(&text).unwrap_err(),
        ReadError::TooManyColumns {
            found: (1 << 20) + 1,
            limit: 256
        }
    );
}

#[test]
fn header_only_is_no_data_rows() {
    for text in [
        "社員番号,氏名\n",
        "社員番号,氏名",
        "社員番号,氏名\n\n\n",
        "社員番号,氏名\n,\n , \n",
    ] {
        assert_eq!(
            read_table(text).unwrap_err(),
            ReadError::NoDataRows,
            "{text:?}"
        );
    }
    assert_eq!(
        ReadError::NoDataRows.to_string(),
        "見出しの行だけで、データの行がありません"
    );
}

#[test]
fn nothing_at_all_is_empty() {
    assert_eq!(read_table("").unwrap_err(), ReadError::Empty);
    assert_eq!(read_table("\n\n").unwrap_err(), ReadError::Empty);
}

#[test]
fn an_unclosed_quote_is_named_by_its_line() {
    let text = "a,b\n1,2\n3,\"x\n4,5\n6,7\n";
    assert_eq!(
        read_table(text).unwrap_err(),
        ReadError::UnclosedQuote { line: 3 }
    );
}

#[test]
fn row_limit() {
    let limits = Limits {
        max_rows: 2,
        ..Limits::default()
    };
    assert_eq!(
        read_table_with("a\n1\n2\n", &limits).unwrap().records.len(),
        2
    );
    assert_eq!(
        read_table_with("a\n1\n2\n3\n", &limits).unwrap_err(),
        ReadError::TooManyRows { limit: 2 }
    );
}

#[test]
fn column_limit_can_be_set() {
    let limits = Limits {
        max_columns: 3,
        ..Limits::default()
    };
    assert!(read_table_with("a,b,c\n1,2,3\n", &limits).is_ok());
    assert_eq!(
        read_table_with("a,b,c,d\n1,2,3,4\n", &limits).unwrap_err(),
        ReadError::TooManyColumns { found: 4, limit: 3 }
    );
}

#[test]
fn header_names_are_trimmed() {
    let table = read_table("\u{FEFF} 社員番号 ,\u{3000}氏名\n1,a\n").unwrap();
    assert_eq!(table.headers, ["社員番号", "氏名"]);
}

#[test]
fn records_do_not_show_their_text_in_debug() {
    let table = read_table("a\n123456789018\n").unwrap();
    let debug = format!("{table:?}");
    assert!(!debug.contains("123456789018"), "{debug}");
}
