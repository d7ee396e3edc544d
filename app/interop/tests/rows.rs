//! Bad rows: every problem named by line, column and reason, and never by the cell's digits.

mod common;

use common::{cp932, crlf, employee, kana, member, number, row_error, valid_number};
use kinko_domain::number::{NumberError, NumberKind};
use kinko_domain::people::{DependantType, EmploymentStatus};
use kinko_domain::text::{Field, TextError};
use kinko_interop::{
    DateProblem, Lang, Localized, Preset, RowError, RowProblem, import_employees, import_family,
};

const HEADER: &str = "社員番号,氏名,フリガナ,生年月日,入社日,退職日,在職区分,個人番号";

fn bad_employee_file() -> Vec<u8> {
    let a = valid_number("12345678901");
    let b = valid_number("23456789012");
    let text = crlf(&[
        HEADER,
        ",山田　太郎,ヤマダ,1980-01-01,,,,",
        "0002,,ヤマダ,1980/13/01,,,,",
        "0003,鈴木,山田,令和5年2月30日,,,,",
        "0004,佐藤,サトウ,H31.5.1,2020-04-01,2019-03-31,,",
        "0005,田中,タナカ,1980-01-01,,,休み,123456789012",
        "0006,伊藤,イトウ,80/1/1,,,,1234 5678 901",
        "0007,渡辺,ワタナベ,,,,,**** **** 9012",
        "0008,高橋,タカハシ,,,,,1.23457E+11",
        &format!("0009,小林,コバヤシ,,,,,{a}"),
        &format!("0009,加藤,カトウ,,,,,{b}"),
        &format!("0010,吉田,ヨシダ,,,,,{a}"),
        "0011,ｲﾁ,ｲﾁ,,,,,",
        "0012,山本§,ヤマモト,,,,,",
        "００１３,全角,ゼンカク,,,,在籍中,",
        "0 14,空白,クウハク,,,,,",
    ]);
    // A user-defined character (外字): F0 40 decodes to U+E000. § (81 98) marks its place.
    let mut bytes = cp932(&text);
    let at = bytes.windows(2).position(|w| w == [0x81, 0x98]).unwrap();
    bytes[at..at + 2].copy_from_slice(&[0xF0, 0x40]);
    bytes
}

#[test]
fn every_bad_cell_is_named() {
    let (_, parsed) = import_employees(&bad_employee_file(), &Preset::Generic.employees()).unwrap();
    assert_eq!(
        parsed.errors,
        [
            row_error(2, "社員番号", RowProblem::Missing),
            row_error(3, "氏名", RowProblem::Missing),
            row_error(3, "生年月日", RowProblem::Date(DateProblem::NoSuchMonth)),
            row_error(
                4,
                "フリガナ",
                RowProblem::Text(TextError::InvalidCharacter {
                    field: Field::Kana,
                    position: 1
                })
            ),
            row_error(4, "生年月日", RowProblem::Date(DateProblem::NoSuchDay)),
            row_error(5, "生年月日", RowProblem::Date(DateProblem::OutsideEra)),
            row_error(5, "退職日", RowProblem::RetireBeforeHire),
            row_error(6, "在職区分", RowProblem::UnknownStatus),
            row_error(
                6,
                "個人番号",
                RowProblem::Number(NumberError::CheckDigit {
                    kind: NumberKind::MyNumber
                })
            ),
            row_error(7, "生年月日", RowProblem::Date(DateProblem::AmbiguousYear)),
            row_error(
                7,
                "個人番号",
                RowProblem::Number(NumberError::WrongLength {
                    kind: NumberKind::MyNumber,
                    expected: 12,
                    found: 11
                })
            ),
            row_error(8, "個人番号", RowProblem::MaskedNumber),
            row_error(9, "個人番号", RowProblem::ExponentNumber),
            row_error(11, "社員番号", RowProblem::DuplicateCode { first_line: 10 }),
            row_error(
                12,
                "個人番号",
                RowProblem::DuplicateNumber { first_line: 10 }
            ),
            row_error(14, "氏名", RowProblem::PrivateUseCharacter { position: 3 }),
            row_error(
                16,
                "社員番号",
                RowProblem::Text(TextError::InvalidCharacter {
                    field: Field::Code,
                    position: 2
                })
            ),
        ]
    );
    let mut kobayashi = employee("0009", "小林");
    kobayashi.kana = kana("コバヤシ");
    kobayashi.number = Some(number("12345678901"));
    let mut ichi = employee("0011", "イチ");
    ichi.kana = kana("イチ");
    let mut zenkaku = employee("0013", "全角");
    zenkaku.kana = kana("ゼンカク");
    zenkaku.status = EmploymentStatus::Active;
    assert_eq!(parsed.rows, [(10, kobayashi), (13, ichi), (15, zenkaku)]);
}

#[test]
fn messages_read_naturally() {
    let (_, parsed) = import_employees(&bad_employee_file(), &Preset::Generic.employees()).unwrap();
    let ja: Vec<String> = parsed.errors.iter().map(RowError::to_string).collect();
    assert_eq!(ja[0], "2行目「社員番号」：値が入っていません");
    assert_eq!(ja[2], "3行目「生年月日」：月が1〜12の範囲にありません");
    assert_eq!(
        ja[8],
        "6行目「個人番号」：個人番号の検査用数字が一致しません。入力を確認してください"
    );
    assert_eq!(
        ja[10],
        "7行目「個人番号」：個人番号は12桁です（入力は11桁）。表計算ソフトで先頭の0が消えていないか確認してください"
    );
    assert_eq!(
        ja[13],
        "11行目「社員番号」：同じ社員番号が10行目にもあります"
    );
    assert_eq!(
        parsed.errors[14].message(Lang::En),
        "Line 12, “個人番号”: the same My Number is also on line 10"
    );
    assert_eq!(
        parsed.errors[12].message(Lang::En),
        "Line 9, “個人番号”: a spreadsheet turned the number into exponent notation \
         (e.g. 1.23E+11) and lost digits; export the cell as text"
    );
}

#[test]
fn no_message_repeats_a_digit_of_the_cell() {
    let (_, parsed) = import_employees(&bad_employee_file(), &Preset::Generic.employees()).unwrap();
    let secrets = [
        "1234",
        "5678",
        "9012",
        "901",
        "123456789012",
        "23457",
        "1980",
        "2019",
        "2020",
        &valid_number("12345678901"),
        &valid_number("23456789012"),
    ];
    for error in &parsed.errors {
        for lang in [Lang::Ja, Lang::En] {
            let text = format!("{} {:?}", error.message(lang), error);
            for secret in secrets {
                assert!(!text.contains(secret), "{text} contains {secret}");
            }
        }
    }
}

#[test]
fn family_rows_dependants_and_duplicates() {
    let n = valid_number("34567890123");
    let file = cp932(&crlf(&[
        "社員番号,続柄,氏名,フリガナ,生年月日,扶養区分,個人番号",
        &format!("0001,妻,山田　花子,ヤマダ　ハナコ,1965-05-05,控除対象配偶者,{n}"),
        "0001,長男,山田　一郎,,2008-01-01,一般,",
        "0001,長男,山田　一郎,,2008-01-01,一般,",
        &format!("0002,夫,鈴木　次郎,,1970-01-01,,{n}"),
        "0003,,佐藤　花,,2001-01-01,扶養する,",
        "0004,子,,,2015-01-01,年少扶養,",
        "0005,母,田中　幸子,,S30.3.3,なし,",
    ]));
    let (_, parsed) = import_family(&file, &Preset::Generic.family()).unwrap();
    assert_eq!(
        parsed.errors,
        [
            row_error(4, "氏名", RowProblem::DuplicateMember { first_line: 3 }),
            row_error(5, "個人番号", RowProblem::DuplicateNumber { first_line: 2 }),
            row_error(6, "続柄", RowProblem::Missing),
            row_error(6, "扶養区分", RowProblem::UnknownDependant),
            row_error(7, "氏名", RowProblem::Missing),
        ]
    );
    let mut wife = member("0001", "妻", "山田\u{3000}花子");
    wife.kana = kana("ヤマダ\u{3000}ハナコ");
    wife.birth_date = Some(common::date(1965, 5, 5));
    wife.dependant = DependantType::Spouse;
    wife.number = Some(number("34567890123"));
    let mut son = member("0001", "長男", "山田\u{3000}一郎");
    son.birth_date = Some(common::date(2008, 1, 1));
    son.dependant = DependantType::Dependant;
    let mut mother = member("0005", "母", "田中\u{3000}幸子");
    mother.birth_date = Some(common::date(1955, 3, 3));
    assert_eq!(parsed.rows, [(2, wife), (3, son), (8, mother)]);
    assert_eq!(
        parsed.errors[0].to_string(),
        "4行目「氏名」：同じ家族（社員番号・氏名・生年月日が同じ）が3行目にもあります"
    );
}

#[test]
fn ragged_rows_come_through_in_line_order() {
    let file = "社員番号,氏名\n0001,山田\n0002\n0003,佐藤,余分\n,鈴木\n";
    let (_, parsed) = import_employees(file.as_bytes(), &Preset::Generic.employees()).unwrap();
    assert_eq!(
        parsed.errors,
        [
            row_error(
                3,
                "",
                RowProblem::FieldCount {
                    expected: 2,
                    found: 1
                }
            ),
            row_error(
                4,
                "",
                RowProblem::FieldCount {
                    expected: 2,
                    found: 3
                }
            ),
            row_error(5, "社員番号", RowProblem::Missing),
        ]
    );
    assert_eq!(
        parsed.errors[0].to_string(),
        "3行目：項目の数が見出しと合いません（見出しは2項目、この行は1項目）"
    );
    assert_eq!(parsed.rows, [(2, employee("0001", "山田"))]);
    assert!(!parsed.is_clean());
}

#[test]
fn split_names_report_an_empty_family_name_once() {
    let file = "従業員番号,姓,名\n0001,,\n0002,,花子\n";
    let (_, parsed) = import_employees(file.as_bytes(), &Preset::Freee.employees()).unwrap();
    assert_eq!(parsed.errors, [row_error(2, "姓", RowProblem::Missing)]);
    assert_eq!(parsed.rows, [(3, employee("0002", "花子"))]);
}

#[test]
fn quoted_fields_with_commas_and_line_breaks_in_a_real_file() {
    let file = cp932(&crlf(&[
        "社員番号,氏名,所属",
        "0001,\"山田, 太郎\",\"総務部",
        "人事課\"",
        "0002,鈴木,営業部",
    ]));
    let (_, parsed) = import_employees(&file, &Preset::Generic.employees()).unwrap();
    let mut yamada = employee("0001", "山田,\u{3000}太郎");
    yamada.department = Some("総務部\u{3000}人事課".into());
    let mut suzuki = employee("0002", "鈴木");
    suzuki.department = Some("営業部".into());
    assert_eq!(
        (parsed.rows, parsed.errors),
        (vec![(2, yamada), (4, suzuki)], vec![])
    );
}
