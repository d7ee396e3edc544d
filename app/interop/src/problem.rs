//! Problems with single rows: which line, which column, and why.
//!
//! Invariant: a [`RowProblem`] never holds the cell's text, and its message never repeats a
//! digit of the cell. A cell in the wrong column, or a mistyped My Number, is still personal
//! data; the clerk sees the cell in the file itself.

use std::fmt;

use kinko_domain::lang::{Lang, Localized};
use kinko_domain::number::{NumberError, NumberKind};
use kinko_domain::text::TextError;
use kinko_domain::wareki::DateError;

/// One bad row or cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line of the file the row starts on, counting from 1.
    pub line: u64,
    /// The column's header name as written in the file; empty when the whole row is wrong.
    pub column: String,
    pub reason: RowProblem,
}

/// Why a row or a cell cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// A required cell is empty.
    Missing,
    /// A name, kana or code that is too long or has a character that is not allowed.
    Text(TextError),
    /// A user-defined character (外字, Unicode private use area) at this character position.
    PrivateUseCharacter {
        position: usize,
    },
    Date(DateProblem),
    /// The My Number is not valid (the domain error never holds a digit).
    Number(NumberError),
    /// A masked number such as `**** **** 1234`, exported by a system that hides numbers.
    MaskedNumber,
    /// The number was turned into exponent notation (`1.23E+11`) by a spreadsheet.
    ExponentNumber,
    /// The 在職区分 is none of the known labels.
    UnknownStatus,
    /// The 扶養区分 is none of the known labels.
    UnknownDependant,
    /// The retirement date is before the hire date.
    RetireBeforeHire,
    /// The row has a different number of fields from the header.
    FieldCount {
        expected: usize,
        found: usize,
    },
    /// The same employee code is on an earlier line.
    DuplicateCode {
        first_line: u64,
    },
    /// The same My Number is on an earlier line.
    DuplicateNumber {
        first_line: u64,
    },
    /// The same family member (employee code, name, birth date) is on an earlier line.
    DuplicateMember {
        first_line: u64,
    },
}

/// Why a date cell could not be read, without the date itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    Unrecognised,
    AmbiguousYear,
    UnknownEra,
    NoSuchMonth,
    NoSuchDay,
    OutsideEra,
    BeforeMeiji,
    YearOutOfRange,
}

impl DateProblem {
    /// Drops the parts of a [`DateError`] that repeat what was typed.
    pub fn from_error(error: &DateError) -> DateProblem {
        match error {
            DateError::Empty | DateError::Unrecognised => DateProblem::Unrecognised,
            DateError::AmbiguousYear => DateProblem::AmbiguousYear,
            DateError::UnknownEra { .. } => DateProblem::UnknownEra,
            DateError::BeforeMeiji { .. } => DateProblem::BeforeMeiji,
            DateError::OutsideEra { .. } => DateProblem::OutsideEra,
            DateError::NoSuchMonth { .. } => DateProblem::NoSuchMonth,
            DateError::NoSuchDay { .. } => DateProblem::NoSuchDay,
            DateError::YearOutOfRange => DateProblem::YearOutOfRange,
        }
    }

    fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DateProblem::Unrecognised, Lang::Ja) => {
                "日付の形式が分かりません（例：2023-04-01、2023/4/1、令和5年4月1日、R5.4.1）"
            }
            (DateProblem::Unrecognised, Lang::En) => {
                "the date format was not recognised (examples: 2023-04-01, 2023/4/1, 令和5年4月1日, R5.4.1)"
            }
            (DateProblem::AmbiguousYear, Lang::Ja) => {
                "西暦の年が4桁でないため、いつの年か分かりません。4桁の西暦か、元号付き（例：R5.4.1）で入力してください"
            }
            (DateProblem::AmbiguousYear, Lang::En) => {
                "the Western year does not have four digits; use four digits or an era (e.g. R5.4.1)"
            }
            (DateProblem::UnknownEra, Lang::Ja) => {
                "元号が分かりません（明治・大正・昭和・平成・令和、またはM・T・S・H・R）"
            }
            (DateProblem::UnknownEra, Lang::En) => {
                "unknown era (use Meiji, Taisho, Showa, Heisei or Reiwa, or M, T, S, H, R)"
            }
            (DateProblem::NoSuchMonth, Lang::Ja) => "月が1〜12の範囲にありません",
            (DateProblem::NoSuchMonth, Lang::En) => "the month is not between 1 and 12",
            (DateProblem::NoSuchDay, Lang::Ja) => "その月にはない日付です",
            (DateProblem::NoSuchDay, Lang::En) => "that month does not have this day",
            (DateProblem::OutsideEra, Lang::Ja) => {
                "元号の期間外の日付です（例：平成31年5月1日は令和元年5月1日と書きます）"
            }
            (DateProblem::OutsideEra, Lang::En) => {
                "the date is outside its era (e.g. 平成31年5月1日 is written 令和元年5月1日)"
            }
            (DateProblem::BeforeMeiji, Lang::Ja) => "明治より前の日付は扱えません",
            (DateProblem::BeforeMeiji, Lang::En) => "dates before the Meiji era cannot be used",
            (DateProblem::YearOutOfRange, Lang::Ja) => "年が大きすぎます",
            (DateProblem::YearOutOfRange, Lang::En) => "the year is too large",
        }
    }
}

impl RowProblem {
    fn message_ja(&self) -> String {
        match self {
            RowProblem::Missing => "値が入っていません".to_owned(),
            RowProblem::Text(e) => e.message(Lang::Ja),
            RowProblem::PrivateUseCharacter { position } => format!(
                "{position}文字目に外字（利用者定義文字）があります。標準の文字に直してください"
            ),
            RowProblem::Date(p) => p.message(Lang::Ja).to_owned(),
            RowProblem::Number(e) => number_message(e, Lang::Ja),
            RowProblem::MaskedNumber => {
                "伏せ字（*）の番号は取り込めません。番号をすべて出力したファイルを使ってください"
                    .to_owned()
            }
            RowProblem::ExponentNumber => {
                "表計算ソフトで指数表示（例：1.23E+11）になり、番号が失われています。セルを文字列にして出力し直してください"
                    .to_owned()
            }
            RowProblem::UnknownStatus => {
                "在職区分が分かりません（在職・休職・退職のいずれかで入力してください）".to_owned()
            }
            RowProblem::UnknownDependant => {
                "扶養区分が分かりません（控除対象配偶者・扶養親族・16歳未満・国民年金第3号被保険者・該当なし のいずれかで入力してください）"
                    .to_owned()
            }
            RowProblem::RetireBeforeHire => "退職日が入社日より前になっています".to_owned(),
            RowProblem::FieldCount { expected, found } => format!(
                "項目の数が見出しと合いません（見出しは{expected}項目、この行は{found}項目）"
            ),
            RowProblem::DuplicateCode { first_line } => {
                format!("同じ社員番号が{first_line}行目にもあります")
            }
            RowProblem::DuplicateNumber { first_line } => {
                format!("同じ個人番号が{first_line}行目にもあります")
            }
            RowProblem::DuplicateMember { first_line } => format!(
                "同じ家族（社員番号・氏名・生年月日が同じ）が{first_line}行目にもあります"
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            RowProblem::Missing => "is empty".to_owned(),
            RowProblem::Text(e) => e.message(Lang::En),
            RowProblem::PrivateUseCharacter { position } => format!(
                "character {position} is a user-defined character (外字); replace it with a standard one"
            ),
            RowProblem::Date(p) => p.message(Lang::En).to_owned(),
            RowProblem::Number(e) => number_message(e, Lang::En),
            RowProblem::MaskedNumber => {
                "a masked number (*) cannot be imported; use a file with the full numbers"
                    .to_owned()
            }
            RowProblem::ExponentNumber => "a spreadsheet turned the number into exponent \
                 notation (e.g. 1.23E+11) and lost digits; export the cell as text"
                .to_owned(),
            RowProblem::UnknownStatus => {
                "unknown employment status (use 在職, 休職 or 退職)".to_owned()
            }
            RowProblem::UnknownDependant => "unknown dependant type (use 控除対象配偶者, \
                 扶養親族, 16歳未満, 国民年金第3号被保険者 or 該当なし)"
                .to_owned(),
            RowProblem::RetireBeforeHire => {
                "the retirement date is before the hire date".to_owned()
            }
            RowProblem::FieldCount { expected, found } => {
                format!("the row has {found} fields but the header has {expected}")
            }
            RowProblem::DuplicateCode { first_line } => {
                format!("the same employee code is also on line {first_line}")
            }
            RowProblem::DuplicateNumber { first_line } => {
                format!("the same My Number is also on line {first_line}")
            }
            RowProblem::DuplicateMember { first_line } => format!(
                "the same family member (employee code, name and birth date) is also on line {first_line}"
            ),
        }
    }
}

/// The domain's message, plus a hint when a spreadsheet probably dropped a leading zero.
fn number_message(error: &NumberError, lang: Lang) -> String {
    let base = error.message(lang);
    let lost_zero = matches!(
        error,
        NumberError::WrongLength {
            kind: NumberKind::MyNumber,
            found: 11,
            ..
        }
    );
    match (lost_zero, lang) {
        (false, _) => base,
        (true, Lang::Ja) => {
            format!("{base}。表計算ソフトで先頭の0が消えていないか確認してください")
        }
        (true, Lang::En) => {
            format!("{base}; check whether a spreadsheet dropped a leading zero")
        }
    }
}

impl Localized for RowProblem {
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => self.message_ja(),
            Lang::En => self.message_en(),
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_ja())
    }
}

impl Localized for RowError {
    fn message(&self, lang: Lang) -> String {
        let reason = self.reason.message(lang);
        match (lang, self.column.is_empty()) {
            (Lang::Ja, true) => format!("{}行目：{reason}", self.line),
            (Lang::Ja, false) => format!("{}行目「{}」：{reason}", self.line, self.column),
            (Lang::En, true) => format!("Line {}: {reason}", self.line),
            (Lang::En, false) => format!("Line {}, “{}”: {reason}", self.line, self.column),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::Ja))
    }
}

impl std::error::Error for RowError {}
