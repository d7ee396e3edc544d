//! Fixtures shared by the integration tests: files built byte by byte, valid My Numbers, and
//! rows written out in full.
#![allow(dead_code)]

use chrono::NaiveDate;
use kinko_domain::number::{MyNumber, my_number_check_digit};
use kinko_domain::people::{DependantType, EmploymentStatus};
use kinko_interop::{EmployeeRow, FamilyRow, RowError, RowProblem};

/// `text` encoded as CP932 (must be mappable).
pub fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "fixture is not CP932-mappable");
    bytes.into_owned()
}

/// `text` as UTF-8 with a BOM.
pub fn utf8_bom(text: &str) -> Vec<u8> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// Lines joined with CRLF, as Windows software writes them.
pub fn crlf(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\r\n")).collect()
}

/// Lines joined with LF.
pub fn lf(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// A valid My Number (as a string of 12 digits) from an 11-digit body.
pub fn valid_number(body: &str) -> String {
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    let body11: [u8; 11] = digits.try_into().expect("11 digits");
    format!("{body}{}", my_number_check_digit(&body11))
}

/// The same number, parsed.
pub fn number(body: &str) -> MyNumber {
    MyNumber::parse(&valid_number(body)).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An active employee with only code and name; tests fill in the rest.
pub fn employee(code: &str, name: &str) -> EmployeeRow {
    EmployeeRow {
        code: code.to_owned(),
        name: name.to_owned(),
        kana: None,
        birth_date: None,
        department: None,
        hire_date: None,
        retire_date: None,
        status: EmploymentStatus::Active,
        number: None,
    }
}

/// A family member with only the required fields; tests fill in the rest.
pub fn member(employee_code: &str, relation: &str, name: &str) -> FamilyRow {
    FamilyRow {
        employee_code: employee_code.to_owned(),
        relation: relation.to_owned(),
        name: name.to_owned(),
        kana: None,
        birth_date: None,
        dependant: DependantType::None,
        number: None,
    }
}

pub fn row_error(line: u64, column: &str, reason: RowProblem) -> RowError {
    RowError {
        line,
        column: column.to_owned(),
        reason,
    }
}

pub fn kana(s: &str) -> Option<String> {
    Some(s.to_owned())
}
