//! Text → a header row and records, each with the line of the file it starts on.
//!
//! Parsing uses `csv-core`, the parser inside the `csv` crate, directly: it writes field ends
//! into a buffer we size, so a row with more than [`Limits::max_columns`] fields is caught at
//! the first field too many, and a 64 MiB line of commas costs no more memory than the limit.
//! (`csv::StringRecord` would grow to hold every field first.)
//!
//! Conventions: RFC 4180 quoting (`"a,b"`, `"say ""hi"""`, line breaks inside quotes); blank
//! lines and rows whose every field is empty are skipped (spreadsheets leave them); trailing
//! empty fields beyond the header are ignored; any other difference in field count is a
//! [`RowProblem::FieldCount`] row error.

use zeroize::{Zeroize, Zeroizing};

use crate::error::ReadError;
use crate::limits::Limits;
use crate::problem::{RowError, RowProblem};

/// A CSV file as a header row and records.
#[derive(Debug)]
pub struct Table {
    /// The header row, each name trimmed of spaces and of a stray BOM.
    pub headers: Vec<String>,
    /// The line the header row is on.
    pub header_line: u64,
    /// The records whose field count matches the header.
    pub records: Vec<Record>,
    /// Rows that were left out of `records` because of their field count.
    pub errors: Vec<RowError>,
}

/// One row of fields. The text is wiped from memory when the record is dropped.
pub struct Record {
    line: u64,
    text: String,
    /// End offset in `text` of each field.
    ends: Vec<usize>,
}

impl Record {
    /// The line of the file this record starts on, counting from 1.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The field at `index`, as written (not trimmed).
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.text.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The fields may hold numbers: show only the shape.
        f.debug_struct("Record")
            .field("line", &self.line)
            .field("fields", &self.len())
            .finish()
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        self.text.zeroize();
    }
}

/// [`read_table_with`] and the default [`Limits`].
///
/// # Errors
///
/// See [`read_table_with`].
pub fn read_table(text: &str) -> Result<Table, ReadError> {
    read_table_with(text, &Limits::default())
}

/// Reads `text` (as given by [`crate::decode`]) into a [`Table`]; the first row is the header.
///
/// # Errors
///
/// [`ReadError::Empty`] for no rows at all, [`ReadError::TooManyColumns`] for a header wider
/// than the limit, [`ReadError::TooManyRows`], [`ReadError::UnclosedQuote`], and
/// [`ReadError::NoDataRows`] when there is nothing after the header (not even bad rows).
pub fn read_table_with(text: &str, limits: &Limits) -> Result<Table, ReadError> {
    let mut rows = Rows::new(text.as_bytes(), limits.max_columns);
    let (header_line, headers) = match rows.next()? {
        None => return Err(ReadError::Empty),
        Some(Row::TooWide { found, .. }) => {
            return Err(ReadError::TooManyColumns {
                found,
                limit: limits.max_columns,
            });
        }
        Some(Row::Fields(record)) => (record.line, header_names(&record)),
    };
    let mut table = Table {
        headers,
        header_line,
        records: Vec::new(),
        errors: Vec::new(),
    };
    while let Some(row) = rows.next()? {
        if table.records.len() + table.errors.len() >= limits.max_rows {
            return Err(ReadError::TooManyRows {
                limit: limits.max_rows,
            });
        }
        table.push(row);
    }
    if table.records.is_empty() && table.errors.is_empty() {
        return Err(ReadError::NoDataRows);
    }
    Ok(table)
}

impl Table {
    fn push(&mut self, row: Row) {
        let expected = self.headers.len();
        let (line, found) = match row {
            Row::Fields(mut record) => {
                trim_empty_tail(&mut record, expected);
                if record.len() == expected {
                    self.records.push(record);
                    return;
                }
                (record.line, record.len())
            }
            Row::TooWide { line, found } => (line, found),
        };
        self.errors.push(RowError {
            line,
            column: String::new(),
            reason: RowProblem::FieldCount { expected, found },
        });
    }
}

fn header_names(record: &Record) -> Vec<String> {
    record
        .iter()
        .map(|h| {
            h.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
                .to_owned()
        })
        .collect()
}

/// Drops empty fields past the header's width, which spreadsheets sometimes leave.
fn trim_empty_tail(record: &mut Record, width: usize) {
    while record.len() > width && record.get(record.len() - 1).is_some_and(is_blank) {
        record.ends.pop();
    }
}

fn is_blank(field: &str) -> bool {
    field.trim().is_empty()
}

/// A row as read: its fields, or only how many there were when there were too many.
enum Row {
    Fields(Record),
    TooWide { line: u64, found: usize },
}

/// Reads rows one at a time from the whole text.
struct Rows<'a> {
    core: csv_core::Reader,
    input: &'a [u8],
    pos: usize,
    line: u64,
    out: Zeroizing<Vec<u8>>,
    ends: Vec<usize>,
}

impl<'a> Rows<'a> {
    fn new(input: &'a [u8], max_fields: usize) -> Self {
        Rows {
            core: csv_core::Reader::new(),
            input,
            pos: 0,
            line: 1,
            out: Zeroizing::new(vec![0; 1024]),
            ends: vec![0; max_fields.max(1)],
        }
    }

    /// The next row that has a non-empty field, or `None` at the end of the text.
    fn next(&mut self) -> Result<Option<Row>, ReadError> {
        loop {
            self.skip_line_breaks();
            if self.pos >= self.input.len() {
                return Ok(None);
            }
            let row = self.read_row()?;
            match &row {
                Row::Fields(record) if record.iter().all(is_blank) => continue,
                _ => return Ok(Some(row)),
            }
        }
    }

    fn skip_line_breaks(&mut self) {
        while self.input.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
            self.line += 1;
        }
    }

    fn read_row(&mut self) -> Result<Row, ReadError> {
        let start = self.pos;
        let line = self.line;
        let (nout, nends, dropped) = self.parse_record();
        let raw = &self.input[start..self.pos];
        self.line += memchr::memchr_iter(b'\n', raw).count() as u64;
        if self.pos >= self.input.len() && is_unclosed(raw) {
            return Err(ReadError::UnclosedQuote { line });
        }
        if dropped > 0 {
            return Ok(Row::TooWide {
                line,
                found: dropped + nends,
            });
        }
        // csv-core only removes ASCII quotes and splits at ASCII commas, so valid UTF-8 in
        // stays valid; should that ever fail, it is reported rather than papered over.
        let text = String::from_utf8(self.out[..nout].to_vec())
            .map_err(|_| ReadError::BrokenUtf8 { offset: start })?;
        Ok(Row::Fields(Record {
            line,
            text,
            ends: self.ends[..nends].to_vec(),
        }))
    }

    /// Parses one record into `out` and `ends`. Returns the bytes written, the ends written,
    /// and how many fields were counted and dropped because `ends` was full.
    fn parse_record(&mut self) -> (usize, usize, usize) {
        use csv_core::ReadRecordResult as R;
        let (mut nout, mut nends, mut dropped) = (0, 0, 0);
        loop {
            let (result, nin, o, e) = self.core.read_record(
                &self.input[self.pos..],
                &mut self.out[nout..],
                &mut self.ends[nends..],
            );
            self.pos += nin;
            nout += o;
            nends += e;
            match result {
                R::InputEmpty => {}
                R::OutputFull if dropped > 0 => nout = 0,
                R::OutputFull => grow(&mut self.out),
                // Too many fields: keep counting them, reusing both buffers.
                R::OutputEndsFull => {
                    dropped += nends;
                    nends = 0;
                    nout = 0;
                }
                R::Record | R::End => return (nout, nends, dropped),
            }
        }
    }
}

/// Doubles the output buffer, wiping the old one.
fn grow(out: &mut Zeroizing<Vec<u8>>) {
    let mut bigger = Zeroizing::new(vec![0; out.len() * 2]);
    bigger[..out.len()].copy_from_slice(out);
    *out = bigger;
}

/// A record that ran to the end of the file over several lines with an odd number of quotes
/// was swallowed by a quote that never closed.
fn is_unclosed(raw: &[u8]) -> bool {
    let body = raw.strip_suffix(b"\n").unwrap_or(raw);
    memchr::memchr(b'\n', body).is_some() && memchr::memchr_iter(b'"', body).count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_know_their_fields() {
        let table = read_table("a,b\n\"x,1\",\"y\"\"z\"\n").unwrap();
        let record = &table.records[0];
        assert_eq!(record.get(0), Some("x,1"));
        assert_eq!(record.get(1), Some("y\"z"));
        assert_eq!(record.get(2), None);
        assert_eq!(record.line(), 2);
    }
}
