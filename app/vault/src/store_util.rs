//! Small helpers over SQL shared by the engine's modules.

use rusqlite::Connection;

use crate::error::VaultResult;

/// The ID the next row of an AUTOINCREMENT table will get, so that a row's sealed columns can
/// be bound to its ID before the row is inserted. Only valid inside a write transaction.
pub(crate) fn next_id(conn: &Connection, table: &str) -> VaultResult<i64> {
    let seq: i64 = conn.query_row(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0)",
        [table],
        |r| r.get(0),
    )?;
    Ok(seq + 1)
}

/// Now, as stored in `*_at` columns (UTC, RFC 3339 with milliseconds).
pub(crate) fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
