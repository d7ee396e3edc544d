//! Opening the SQLite file: where it lives, the pragmas that make every commit durable, and the
//! integrity check that runs before anything else touches an existing vault.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{VaultError, VaultResult};
use crate::schema;

/// The database's file name inside the vault directory.
pub const DB_FILE: &str = "kinko.sqlite3";

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

/// Opens an existing vault database, checks it, and refuses anything damaged or foreign.
/// Nothing is written to a broken file: it is left exactly as it was found. An intact vault
/// of an older schema version is then brought up to date ([`schema::migrate`], one
/// transaction that only adds tables: no key is needed).
pub fn open_existing(dir: &Path) -> VaultResult<Connection> {
    let path = db_path(dir);
    if !path.is_file() {
        return Err(VaultError::NotFound(dir.to_path_buf()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(&path, flags).map_err(corrupt)?;
    configure(&conn).map_err(corrupt)?;
    check_integrity(&conn)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(corrupt)?;
    if version == 0 {
        return Err(VaultError::Corrupt("金庫の形式ではありません".into()));
    }
    schema::check_readable(version)?;
    if version < schema::SCHEMA_VERSION {
        schema::migrate(&mut conn)?;
    }
    Ok(conn)
}

/// Creates a new database file at `path` (which must not exist) in WAL mode.
pub fn create_new(path: &Path) -> VaultResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // WAL is a persistent property of the file; set once here.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(VaultError::Corrupt(format!("journal_mode={mode}")));
    }
    configure(&conn)?;
    Ok(conn)
}

/// Per-connection settings: durable commits, enforced foreign keys, zeroed free pages.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    // FULL: a commit is on the medium when it returns, even in WAL mode (power-cut safety).
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted content is overwritten with zeros instead of lingering in free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Temporary tables and sort spills stay in memory, never in a temp file.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

fn check_integrity(conn: &Connection) -> VaultResult<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(corrupt)?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(corrupt)?;
    if problems.len() != 1 || problems[0] != "ok" {
        let first = problems.into_iter().next().unwrap_or_default();
        return Err(VaultError::Corrupt(format!("整合性検査: {first}")));
    }
    let fk_violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(corrupt)?;
    if fk_violations > 0 {
        return Err(VaultError::Corrupt(format!(
            "参照整合性の違反 {fk_violations} 件"
        )));
    }
    Ok(())
}

fn corrupt(e: rusqlite::Error) -> VaultError {
    VaultError::Corrupt(e.to_string())
}

/// A further connection to a vault that [`open_existing`] has already checked.
pub fn open_session(dir: &Path) -> VaultResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(db_path(dir), flags)?;
    configure(&conn)?;
    Ok(conn)
}
