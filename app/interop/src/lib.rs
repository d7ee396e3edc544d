//! CSV interop with HR and payroll software (PRODUCT.md F7, F8): bytes in, typed rows out.
//!
//! Architecture invariant: no I/O and no knowledge of the vault. The engine hands this crate
//! the bytes of a file and gets back rows and row errors; writing goes the other way.
//!
//! Reading is three steps, each usable on its own:
//!
//! 1. [`decode`]: bytes → text. Detects UTF-8 (with or without BOM) or CP932, refuses empty,
//!    binary, UTF-16, oversized and undecodable files, and turns CRLF / CR into LF.
//! 2. [`read_table`]: text → [`Table`] (header row + records, each with the line it starts on).
//!    Rows with the wrong number of fields become [`RowError`]s; too many columns or rows, an
//!    unclosed quote or a file with no data rows is a [`ReadError`].
//! 3. [`employees`] / [`family`]: table + [`Mapping`] (from a [`Preset`] or saved by the user)
//!    → [`Parsed`] rows, every bad cell named by line, column and reason.
//!
//! [`import_employees`] and [`import_family`] do all three at once.
//!
//! Writing: [`write_csv`] for number exports (UTF-8 with BOM or CP932, CRLF, unmappable
//! characters reported, never silently replaced), and [`kinko_format`] for a lossless export
//! that the reader reads back exactly.
//!
//! Invariants: no error, row problem or `Debug` output holds a digit of a cell (a mistyped My
//! Number is still someone's number); buffers that held raw file text are wiped when dropped.

mod cells;
mod decode;
mod employees;
mod error;
mod family;
pub mod kinko_format;
mod limits;
mod mapping;
mod parsed;
mod preset;
mod problem;
mod table;
mod write;

pub use decode::{Decoded, Encoding, decode, decode_with};
pub use employees::{EmployeeRow, employees};
pub use error::{ImportError, MappingError, ReadError, WriteError};
pub use family::{FamilyRow, family};
pub use kinko_domain::lang::{Lang, Localized};
pub use limits::Limits;
pub use mapping::{Column, FileKind, Mapping};
pub use parsed::Parsed;
pub use preset::Preset;
pub use problem::{DateProblem, RowError, RowProblem};
pub use table::{Record, Table, read_table, read_table_with};
pub use write::{OutEncoding, Unmappable, write_csv};

/// Decodes, reads and maps an employee file in one go (default [`Limits`]).
///
/// # Errors
///
/// A [`ReadError`] if the file cannot be read as CSV at all, or a [`MappingError`] if its header
/// lacks a required column. Bad rows are not errors here: they are in [`Parsed::errors`].
pub fn import_employees(
    bytes: &[u8],
    mapping: &Mapping,
) -> Result<(Encoding, Parsed<EmployeeRow>), ImportError> {
    let decoded = decode(bytes)?;
    let table = read_table(decoded.text())?;
    Ok((decoded.encoding(), employees(&table, mapping)?))
}

/// Decodes, reads and maps a family file in one go (default [`Limits`]).
///
/// # Errors
///
/// As for [`import_employees`].
pub fn import_family(
    bytes: &[u8],
    mapping: &Mapping,
) -> Result<(Encoding, Parsed<FamilyRow>), ImportError> {
    let decoded = decode(bytes)?;
    let table = read_table(decoded.text())?;
    Ok((decoded.encoding(), family(&table, mapping)?))
}
