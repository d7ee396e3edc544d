//! Employee files: one row per employee, keyed by the employee code.

use chrono::NaiveDate;
use kinko_domain::number::MyNumber;
use kinko_domain::people::EmploymentStatus;
use kinko_domain::text::Field;

use crate::cells;
use crate::error::MappingError;
use crate::mapping::{Column, Mapping};
use crate::parsed::{FirstSeen, Parsed, RowReader};
use crate::problem::RowProblem;
use crate::table::Table;

/// An employee as read from a file, normalised. `None` means the file said nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeRow {
    /// Leading zeros kept, full-width digits made ASCII.
    pub code: String,
    /// Family and given name separated by a full-width space when the file split them.
    pub name: String,
    /// Full-width katakana.
    pub kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// The department's name as written in the file.
    pub department: Option<String>,
    pub hire_date: Option<NaiveDate>,
    pub retire_date: Option<NaiveDate>,
    /// From the status column when there is one; otherwise 退職 when a retirement date is
    /// given (even a future one: the engine, which has the clock, may treat that as 在職).
    pub status: EmploymentStatus,
    pub number: Option<MyNumber>,
}

/// Reads employees from `table` with `mapping`.
///
/// Every problem becomes a [`crate::RowError`]; a code or number that is on an earlier line
/// too is reported on the later line, naming the earlier one, and the later row is left out.
///
/// # Errors
///
/// A [`MappingError`] when the header lacks the code or name column.
pub fn employees(table: &Table, mapping: &Mapping) -> Result<Parsed<EmployeeRow>, MappingError> {
    let columns = mapping.resolve(&table.headers)?;
    let mut parsed = Parsed::start(table);
    let mut codes = FirstSeen::new();
    let mut numbers = FirstSeen::new();
    for record in &table.records {
        let mut row = RowReader::new(record, &columns, &table.headers);
        let employee = read_employee(&mut row);
        let code = employee.as_ref().map(|e| e.code.clone());
        if let Some(code) = code.or_else(|| code_of(&row))
            && let Some(first_line) = codes.earlier(code, row.line())
        {
            row.problem(
                Column::EmployeeCode,
                RowProblem::DuplicateCode { first_line },
            );
        }
        if let Some(number) = employee.as_ref().and_then(|e| e.number.clone())
            && let Some(first_line) = numbers.earlier(number, row.line())
        {
            row.problem(Column::MyNumber, RowProblem::DuplicateNumber { first_line });
        }
        match employee {
            Some(employee) if row.errors.is_empty() => parsed.rows.push((row.line(), employee)),
            _ => parsed.errors.append(&mut row.errors),
        }
    }
    Ok(parsed.finish())
}

/// The code of a row that failed elsewhere, so that duplicates are still found.
fn code_of(row: &RowReader<'_>) -> Option<String> {
    cells::code(row.cell(Column::EmployeeCode)).ok()
}

/// Reads every cell (so that every problem is reported), then builds the row if all were good.
fn read_employee(row: &mut RowReader<'_>) -> Option<EmployeeRow> {
    let code = row.read(Column::EmployeeCode, cells::code);
    let name = read_name(row);
    let kana = read_kana(row);
    let birth_date = row.read(Column::BirthDate, cells::date);
    let department = row.read(Column::Department, |c| {
        cells::optional_name(c, Field::Department)
    });
    let hire_date = row.read(Column::HireDate, cells::date);
    let retire_date = row.read(Column::RetireDate, cells::date);
    let status = row.read(Column::Status, cells::status);
    let number = row.read(Column::MyNumber, cells::number);
    if let (Some(Some(hired)), Some(Some(retired))) = (hire_date, retire_date)
        && retired < hired
    {
        row.problem(Column::RetireDate, RowProblem::RetireBeforeHire);
    }
    let retire_date = retire_date?;
    let status = status?.unwrap_or(if retire_date.is_some() {
        EmploymentStatus::Retired
    } else {
        EmploymentStatus::Active
    });
    Some(EmployeeRow {
        code: code?,
        name: name?,
        kana: kana?,
        birth_date: birth_date?,
        department: department?,
        hire_date: hire_date?,
        retire_date,
        status,
        number: number?,
    })
}

/// 氏名 from one column, or 姓 and 名 joined; required. Both halves are read before either
/// problem stops the row, so both are reported.
pub(crate) fn read_name(row: &mut RowReader<'_>) -> Option<String> {
    if row.has(Column::Name) {
        return row.read(Column::Name, |c| cells::name(c, Field::Name));
    }
    let family = row.read(Column::FamilyName, |c| cells::optional_name(c, Field::Name));
    let given = row.read(Column::GivenName, |c| cells::optional_name(c, Field::Name));
    let name = cells::joined(family?, given?);
    if name.is_none() {
        row.problem(Column::FamilyName, RowProblem::Missing);
    }
    name
}

/// フリガナ from one column, or the two kana columns joined; optional.
pub(crate) fn read_kana(row: &mut RowReader<'_>) -> Option<Option<String>> {
    if row.has(Column::Kana) {
        return row.read(Column::Kana, cells::kana);
    }
    let family = row.read(Column::FamilyKana, cells::kana);
    let given = row.read(Column::GivenKana, cells::kana);
    Some(cells::joined(family?, given?))
}
