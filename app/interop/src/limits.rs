//! Size limits that keep a hostile or mistaken file from exhausting the appliance's memory.

/// How much a file may hold. [`Limits::default`] is generous for any small firm's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes, checked before anything is copied or decoded.
    pub max_bytes: usize,
    /// Most fields a row may have. A wider row is read field by field without being stored.
    pub max_columns: usize,
    /// Most data rows (not counting the header).
    pub max_rows: usize,
}

impl Limits {
    /// 64 MiB: a 10,000-person export with every column is a few MiB.
    pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
    /// Payroll exports with every item reach a few hundred columns.
    pub const DEFAULT_MAX_COLUMNS: usize = 256;
    pub const DEFAULT_MAX_ROWS: usize = 200_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_columns: Self::DEFAULT_MAX_COLUMNS,
            max_rows: Self::DEFAULT_MAX_ROWS,
        }
    }
}
