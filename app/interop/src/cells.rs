//! One cell → one typed value, or the [`RowProblem`] that says why not.
//!
//! Empty means nothing but spaces. Optional cells that are empty give `None`; required ones
//! give [`RowProblem::Missing`].

use chrono::NaiveDate;
use kinko_domain::number::MyNumber;
use kinko_domain::people::{DependantType, EmploymentStatus};
use kinko_domain::text::{self, Field};
use kinko_domain::wareki::parse_date;
use unicode_normalization::UnicodeNormalization;

use crate::problem::{DateProblem, RowProblem};

type Cell<T> = Result<T, RowProblem>;

fn blank(cell: &str) -> bool {
    cell.trim().is_empty()
}

/// An employee code: NFKC, trimmed, leading zeros kept.
pub(crate) fn code(cell: &str) -> Cell<String> {
    if blank(cell) {
        return Err(RowProblem::Missing);
    }
    text::normalize_code(cell).map_err(RowProblem::Text)
}

/// A name, 続柄 or department: spaces tidied, half-width katakana made full-width, and no
/// user-defined characters (外字 would print as something else on another PC).
pub(crate) fn name(cell: &str, field: Field) -> Cell<String> {
    if blank(cell) {
        return Err(RowProblem::Missing);
    }
    let widened = widen_katakana(cell);
    let name = text::normalize_name(&widened, field).map_err(RowProblem::Text)?;
    match name.chars().position(is_private_use) {
        Some(i) => Err(RowProblem::PrivateUseCharacter { position: i + 1 }),
        None => Ok(name),
    }
}

pub(crate) fn optional_name(cell: &str, field: Field) -> Cell<Option<String>> {
    if blank(cell) {
        return Ok(None);
    }
    name(cell, field).map(Some)
}

/// A name split over two columns, joined with a full-width space. Either part may be empty
/// (one-part names exist), not both.
pub(crate) fn joined(family: Option<String>, given: Option<String>) -> Option<String> {
    match (family, given) {
        (Some(f), Some(g)) => Some(format!("{f}\u{3000}{g}")),
        (one, None) | (None, one) => one,
    }
}

/// A kana reading in full-width katakana (half-width and hiragana accepted).
pub(crate) fn kana(cell: &str) -> Cell<Option<String>> {
    if blank(cell) {
        return Ok(None);
    }
    text::normalize_kana(cell)
        .map(Some)
        .map_err(RowProblem::Text)
}

/// A date in any form [`parse_date`] knows; `0000/00/00` and `0` (no date, in some exports)
/// count as empty.
pub(crate) fn date(cell: &str) -> Cell<Option<NaiveDate>> {
    if blank(cell) || is_zero_date(cell) {
        return Ok(None);
    }
    parse_date(cell)
        .map(Some)
        .map_err(|e| RowProblem::Date(DateProblem::from_error(&e)))
}

fn is_zero_date(cell: &str) -> bool {
    let mut digits = cell.nfkc().filter(char::is_ascii_digit).peekable();
    digits.peek().is_some()
        && digits.all(|d| d == '0')
        && cell
            .nfkc()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "/-.年月日".contains(c))
}

/// A My Number, or `None` when not collected yet.
pub(crate) fn number(cell: &str) -> Cell<Option<MyNumber>> {
    if blank(cell) {
        return Ok(None);
    }
    if cell.contains(['*', '＊', '●', '×']) {
        return Err(RowProblem::MaskedNumber);
    }
    if looks_exponent(cell) {
        return Err(RowProblem::ExponentNumber);
    }
    MyNumber::parse(cell).map(Some).map_err(RowProblem::Number)
}

fn looks_exponent(cell: &str) -> bool {
    let folded: String = cell.nfkc().collect::<String>().to_ascii_uppercase();
    folded.contains("E+") && folded.contains('.')
}

/// 在職区分, with the labels payroll software uses; `None` when empty.
pub(crate) fn status(cell: &str) -> Cell<Option<EmploymentStatus>> {
    if blank(cell) {
        return Ok(None);
    }
    let key = label_key(cell);
    if let Some(status) = EmploymentStatus::parse(&key) {
        return Ok(Some(status));
    }
    let status = match key.as_str() {
        // マネーフォワード: 入社予定 / 在籍中 / 退職予定 / 退職済み. Someone leaving later is
        // still employed today.
        "在籍" | "在籍中" | "在職中" | "入社予定" | "退職予定" => {
            EmploymentStatus::Active
        }
        "休職中" | "休業" | "休業中" | "産休" | "育休" | "産休・育休" | "産前産後休業"
        | "育児休業" | "介護休業" => EmploymentStatus::OnLeave,
        "退職済" | "退職済み" | "退職者" | "退社" => EmploymentStatus::Retired,
        _ => return Err(RowProblem::UnknownStatus),
    };
    Ok(Some(status))
}

/// 扶養区分; empty means 該当なし.
pub(crate) fn dependant(cell: &str) -> Cell<DependantType> {
    if blank(cell) {
        return Ok(DependantType::None);
    }
    let key = label_key(cell);
    if let Some(kind) = DependantType::parse(&key) {
        return Ok(kind);
    }
    let kind = match key.as_str() {
        "源泉控除対象配偶者"
        | "配偶者"
        | "配偶者控除"
        | "控除対象配偶者(源泉)"
        | "同一生計配偶者" => DependantType::Spouse,
        "一般"
        | "一般扶養"
        | "一般扶養親族"
        | "特定"
        | "特定扶養"
        | "特定扶養親族"
        | "老人"
        | "老人扶養"
        | "老人扶養親族"
        | "同居老親"
        | "同居老親等"
        | "扶養"
        | "控除対象扶養親族" => DependantType::Dependant,
        "年少" | "年少扶養" | "年少扶養親族" | "16歳未満扶養親族" | "16歳未満の扶養親族" => {
            DependantType::Under16
        }
        "第3号被保険者" | "3号被保険者" | "第3号" | "3号" | "国民年金第3号" => {
            DependantType::PensionCategory3
        }
        "なし" | "無し" | "無" | "非扶養" | "扶養なし" | "扶養外" | "対象外" | "-" => {
            DependantType::None
        }
        _ => return Err(RowProblem::UnknownDependant),
    };
    Ok(kind)
}

/// NFKC without spaces, for comparing labels.
fn label_key(cell: &str) -> String {
    cell.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Half-width katakana (U+FF61–U+FF9F) to full-width; everything else untouched, so that a
/// name's other characters (髙, 﨑) are kept exactly.
fn widen_katakana(cell: &str) -> String {
    if !cell.chars().any(is_half_width_kana) {
        return cell.to_owned();
    }
    let mut out = String::with_capacity(cell.len());
    let mut run = String::new();
    for c in cell.chars() {
        if is_half_width_kana(c) {
            run.push(c);
        } else {
            out.extend(run.nfkc());
            run.clear();
            out.push(c);
        }
    }
    out.extend(run.nfkc());
    out
}

fn is_half_width_kana(c: char) -> bool {
    ('\u{FF61}'..='\u{FF9F}').contains(&c)
}

fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_dates_are_empty() {
        assert_eq!(date("0000/00/00"), Ok(None));
        assert_eq!(date("0"), Ok(None));
        assert_eq!(date("  "), Ok(None));
        assert!(date("0000/00/0x").is_err());
    }

    #[test]
    fn half_width_kana_in_names_is_widened_and_nothing_else() {
        assert_eq!(name("ﾔﾏﾀﾞ 髙", Field::Name).unwrap(), "ヤマダ\u{3000}髙");
        assert_eq!(name("ＡＢＣ", Field::Name).unwrap(), "ＡＢＣ");
    }
}
