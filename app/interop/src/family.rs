//! Family files: one row per family member, each naming the employee by code.

use chrono::NaiveDate;
use kinko_domain::number::MyNumber;
use kinko_domain::people::DependantType;
use kinko_domain::text::Field;

use crate::cells;
use crate::employees::{read_kana, read_name};
use crate::error::MappingError;
use crate::mapping::{Column, Mapping};
use crate::parsed::{FirstSeen, Parsed, RowReader};
use crate::problem::RowProblem;
use crate::table::Table;

/// A family member as read from a file, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyRow {
    /// The code of the employee this person belongs to (the engine checks it exists).
    pub employee_code: String,
    /// 続柄 as written (配偶者, 長男, 妻 …).
    pub relation: String,
    pub name: String,
    pub kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// 該当なし when the file has no 扶養区分 or the cell is empty.
    pub dependant: DependantType,
    pub number: Option<MyNumber>,
}

/// Reads family members from `table` with `mapping`.
///
/// Duplicates reported (on the later line, naming the earlier): the same My Number twice, and
/// the same person twice (same employee code, name and birth date).
///
/// # Errors
///
/// A [`MappingError`] when the header lacks the employee code, name or 続柄 column.
pub fn family(table: &Table, mapping: &Mapping) -> Result<Parsed<FamilyRow>, MappingError> {
    let columns = mapping.resolve(&table.headers)?;
    let mut parsed = Parsed::start(table);
    let mut members = FirstSeen::new();
    let mut numbers = FirstSeen::new();
    for record in &table.records {
        let mut row = RowReader::new(record, &columns, &table.headers);
        let member = read_member(&mut row);
        if let Some(m) = &member {
            let key = (m.employee_code.clone(), m.name.clone(), m.birth_date);
            if let Some(first_line) = members.earlier(key, row.line()) {
                row.problem(Column::Name, RowProblem::DuplicateMember { first_line });
            }
            if let Some(number) = m.number.clone()
                && let Some(first_line) = numbers.earlier(number, row.line())
            {
                row.problem(Column::MyNumber, RowProblem::DuplicateNumber { first_line });
            }
        }
        match member {
            Some(member) if row.errors.is_empty() => parsed.rows.push((row.line(), member)),
            _ => parsed.errors.append(&mut row.errors),
        }
    }
    Ok(parsed.finish())
}

/// Reads every cell, then builds the row if all were good.
fn read_member(row: &mut RowReader<'_>) -> Option<FamilyRow> {
    let employee_code = row.read(Column::EmployeeCode, cells::code);
    let relation = row.read(Column::Relation, |c| cells::name(c, Field::Relation));
    let name = read_name(row);
    let kana = read_kana(row);
    let birth_date = row.read(Column::BirthDate, cells::date);
    let dependant = row.read(Column::Dependant, cells::dependant);
    let number = row.read(Column::MyNumber, cells::number);
    Some(FamilyRow {
        employee_code: employee_code?,
        relation: relation?,
        name: name?,
        kana: kana?,
        birth_date: birth_date?,
        dependant: dependant?,
        number: number?,
    })
}
