//! Kinko's own CSV format: lossless, for moving people between Kinko sticks or keeping an
//! encrypted-medium copy.
//!
//! Two files, one per kind of row, because employees and family members have different
//! columns and payroll software keeps them apart too:
//!
//! - employees: `社員番号,氏名,フリガナ,生年月日,部署,入社日,退職日,在職区分,個人番号`
//! - family: `社員番号,続柄,氏名,フリガナ,生年月日,扶養区分,個人番号`
//!
//! Dates are ISO 8601 (`2023-04-01`), the status and dependant type their Japanese labels,
//! empty cells mean `None`. Reading a file written here with [`crate::Preset::Kinko`] gives
//! back exactly the rows written, for rows in the form the reader produces them (names with
//! single full-width spaces, kana in full-width katakana, codes in ASCII); in CP932 only when
//! every character is mappable, otherwise writing fails with [`WriteError::Unmappable`].

use chrono::NaiveDate;
use kinko_domain::lang::Lang;
use kinko_domain::number::MyNumber;
use zeroize::Zeroizing;

use crate::employees::EmployeeRow;
use crate::error::WriteError;
use crate::family::FamilyRow;
use crate::mapping::{Column, FileKind};
use crate::write::{OutEncoding, Unmappable, write_csv};

/// The columns of the employee file, in order.
pub const EMPLOYEE_COLUMNS: [Column; 9] = [
    Column::EmployeeCode,
    Column::Name,
    Column::Kana,
    Column::BirthDate,
    Column::Department,
    Column::HireDate,
    Column::RetireDate,
    Column::Status,
    Column::MyNumber,
];

/// The columns of the family file, in order.
pub const FAMILY_COLUMNS: [Column; 7] = [
    Column::EmployeeCode,
    Column::Relation,
    Column::Name,
    Column::Kana,
    Column::BirthDate,
    Column::Dependant,
    Column::MyNumber,
];

/// Writes employees in the Kinko format.
///
/// # Errors
///
/// As for [`write_csv`].
pub fn write_employees(
    rows: &[EmployeeRow],
    encoding: OutEncoding,
    on_unmappable: Unmappable,
) -> Result<Vec<u8>, WriteError> {
    let cells: Zeroizing<Vec<Vec<String>>> = Zeroizing::new(
        rows.iter()
            .map(|r| {
                vec![
                    r.code.clone(),
                    r.name.clone(),
                    text(&r.kana),
                    date(r.birth_date),
                    text(&r.department),
                    date(r.hire_date),
                    date(r.retire_date),
                    r.status.ja().to_owned(),
                    number(&r.number),
                ]
            })
            .collect(),
    );
    write_csv(&headers(&EMPLOYEE_COLUMNS), &cells, encoding, on_unmappable)
}

/// Writes family members in the Kinko format.
///
/// # Errors
///
/// As for [`write_csv`].
pub fn write_family(
    rows: &[FamilyRow],
    encoding: OutEncoding,
    on_unmappable: Unmappable,
) -> Result<Vec<u8>, WriteError> {
    let cells: Zeroizing<Vec<Vec<String>>> = Zeroizing::new(
        rows.iter()
            .map(|r| {
                vec![
                    r.employee_code.clone(),
                    r.relation.clone(),
                    r.name.clone(),
                    text(&r.kana),
                    date(r.birth_date),
                    r.dependant.ja().to_owned(),
                    number(&r.number),
                ]
            })
            .collect(),
    );
    write_csv(&headers(&FAMILY_COLUMNS), &cells, encoding, on_unmappable)
}

fn headers(columns: &[Column]) -> Vec<&'static str> {
    columns.iter().map(|c| c.label(Lang::Ja)).collect()
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn date(value: Option<NaiveDate>) -> String {
    value
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn number(value: &Option<MyNumber>) -> String {
    value
        .as_ref()
        .map(|n| n.expose_digits().to_owned())
        .unwrap_or_default()
}

/// The header names of the Kinko format, for [`crate::Preset::Kinko`].
pub(crate) fn aliases(kind: FileKind) -> &'static [(Column, &'static [&'static str])] {
    match kind {
        FileKind::Employees => EMPLOYEE_ALIASES,
        FileKind::Family => FAMILY_ALIASES,
    }
}

const EMPLOYEE_ALIASES: &[(Column, &[&str])] = &[
    (Column::EmployeeCode, &["社員番号"]),
    (Column::Name, &["氏名"]),
    (Column::Kana, &["フリガナ"]),
    (Column::BirthDate, &["生年月日"]),
    (Column::Department, &["部署"]),
    (Column::HireDate, &["入社日"]),
    (Column::RetireDate, &["退職日"]),
    (Column::Status, &["在職区分"]),
    (Column::MyNumber, &["個人番号"]),
];

const FAMILY_ALIASES: &[(Column, &[&str])] = &[
    (Column::EmployeeCode, &["社員番号"]),
    (Column::Relation, &["続柄"]),
    (Column::Name, &["氏名"]),
    (Column::Kana, &["フリガナ"]),
    (Column::BirthDate, &["生年月日"]),
    (Column::Dependant, &["扶養区分"]),
    (Column::MyNumber, &["個人番号"]),
];
