//! The result of mapping a table: good rows and bad ones, and the helpers both row kinds share.

use std::collections::HashMap;
use std::hash::Hash;

use crate::mapping::{Column, Resolved};
use crate::problem::{RowError, RowProblem};
use crate::table::{Record, Table};

/// Rows that could be read (with the line each starts on) and every problem found.
///
/// A row with any problem is not in `rows`. Errors are in line order; within a line, in the
/// order of the columns checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub rows: Vec<(u64, T)>,
    pub errors: Vec<RowError>,
}

impl<T> Parsed<T> {
    /// True when every row was read without a problem.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    pub(crate) fn start(table: &Table) -> Parsed<T> {
        Parsed {
            rows: Vec::with_capacity(table.records.len()),
            errors: table.errors.clone(),
        }
    }

    /// Puts errors in line order; the sort is stable, so a line keeps its column order.
    pub(crate) fn finish(mut self) -> Parsed<T> {
        self.errors.sort_by_key(|e| e.line);
        self
    }
}

/// One record being read: looks cells up by column and collects problems.
pub(crate) struct RowReader<'a> {
    record: &'a Record,
    columns: &'a Resolved,
    headers: &'a [String],
    pub(crate) errors: Vec<RowError>,
}

impl<'a> RowReader<'a> {
    pub(crate) fn new(record: &'a Record, columns: &'a Resolved, headers: &'a [String]) -> Self {
        RowReader {
            record,
            columns,
            headers,
            errors: Vec::new(),
        }
    }

    pub(crate) fn line(&self) -> u64 {
        self.record.line()
    }

    /// Whether the file has `column`.
    pub(crate) fn has(&self, column: Column) -> bool {
        self.columns.get(column).is_some()
    }

    /// The cell of `column`, or `""` when the file has no such column.
    pub(crate) fn cell(&self, column: Column) -> &'a str {
        self.columns
            .get(column)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }

    /// The value parsed from `column`'s cell, recording the problem if there is one.
    pub(crate) fn read<T>(
        &mut self,
        column: Column,
        parse: impl FnOnce(&str) -> Result<T, RowProblem>,
    ) -> Option<T> {
        match parse(self.cell(column)) {
            Ok(value) => Some(value),
            Err(reason) => {
                self.problem(column, reason);
                None
            }
        }
    }

    /// Records a problem with `column`'s cell, named by its header in the file.
    pub(crate) fn problem(&mut self, column: Column, reason: RowProblem) {
        let header = self
            .columns
            .get(column)
            .and_then(|i| self.headers.get(i))
            .cloned()
            .unwrap_or_default();
        self.errors.push(RowError {
            line: self.line(),
            column: header,
            reason,
        });
    }
}

/// Remembers the first line each key was seen on.
pub(crate) struct FirstSeen<K>(HashMap<K, u64>);

impl<K: Hash + Eq> FirstSeen<K> {
    pub(crate) fn new() -> Self {
        FirstSeen(HashMap::new())
    }

    /// The earlier line `key` was on, or `None` (and remembers this line) if it is new.
    pub(crate) fn earlier(&mut self, key: K, line: u64) -> Option<u64> {
        match self.0.get(&key) {
            Some(&first) => Some(first),
            None => {
                self.0.insert(key, line);
                None
            }
        }
    }
}
