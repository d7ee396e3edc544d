//! The SQLite schema. Only internal IDs, kinds, statuses, dates of changes and sealed blobs
//! (`sealed_*`, see `crypto.rs`) are stored; blind indexes (`*_index`) are keyed HMACs.
//!
//! Migrations run in order inside one transaction; `PRAGMA user_version` is the version.

use rusqlite::Connection;

use crate::error::{VaultError, VaultResult};

/// The schema version this build writes, and the newest it reads.
pub const SCHEMA_VERSION: i64 = 2;

/// The version bound into every seal's associated data (`crypto::Aad`). It is *not* the
/// schema version: V2 only added tables, so every ciphertext written under V1 stays valid. A
/// migration that re-encrypts would raise this one.
pub const SEAL_VERSION: i64 = 1;

const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value ANY NOT NULL
) STRICT;

CREATE TABLE departments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) STRICT;

-- Log-in names are in the clear (needed before unlocking; ADR 0004). Grants are permission
-- keys; the data scope is sealed under the meta subkey.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    login                TEXT NOT NULL UNIQUE,
    role                 TEXT NOT NULL,
    department_id        INTEGER REFERENCES departments(id),
    grants               TEXT NOT NULL DEFAULT '',
    sealed_scope         BLOB NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    -- A removed user keeps their row (the log refers to it) but loses their keyslot.
    removed_at           TEXT,
    created_at           TEXT NOT NULL
) STRICT;

CREATE TABLE groups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL UNIQUE,
    grants       TEXT NOT NULL DEFAULT '',
    sealed_scope BLOB NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE user_groups (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    group_id INTEGER NOT NULL REFERENCES groups(id),
    PRIMARY KEY (user_id, group_id)
) STRICT;

-- PCs by a keyed hash of their hardware identity.
CREATE TABLE pcs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    department_id INTEGER REFERENCES departments(id),
    identity_tag  BLOB NOT NULL UNIQUE,
    created_at    TEXT NOT NULL
) STRICT;

-- A user limited to PCs has rows here; a user without rows may use any PC.
CREATE TABLE user_pcs (
    user_id INTEGER NOT NULL REFERENCES users(id),
    pc_id   INTEGER NOT NULL REFERENCES pcs(id),
    PRIMARY KEY (user_id, pc_id)
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value ANY NOT NULL
) STRICT;

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    department_id INTEGER REFERENCES departments(id),
    pc_id         INTEGER REFERENCES pcs(id),
    pc_tag        BLOB,
    started_at    TEXT NOT NULL,
    ended_at      TEXT,
    end_reason    TEXT
) STRICT;

-- The MAC-chained audit log (audit.rs). Targets are internal IDs; details never hold personal
-- data.
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    clock_anomaly TEXT,
    user_id       INTEGER,
    department_id INTEGER,
    pc_id         INTEGER,
    pc_tag        BLOB,
    session_id    INTEGER,
    action        TEXT NOT NULL,
    target_kind   TEXT,
    target_id     INTEGER,
    result        TEXT NOT NULL,
    detail        TEXT NOT NULL,
    mac           BLOB NOT NULL
) STRICT;
CREATE INDEX audit_log_by_user ON audit_log(user_id, seq);
CREATE INDEX audit_log_by_action ON audit_log(action, seq);

-- Custom CSV column mappings (kinko_interop::Mapping as JSON; header names only, no data).
CREATE TABLE mappings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('employees', 'family')),
    definition TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
) STRICT;

-- The take-out register (持出し記録): who took what out, when, how many people. The purpose
-- and destination are typed by people, so they are sealed under the meta subkey.
CREATE TABLE takeouts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    at            TEXT NOT NULL,
    what          TEXT NOT NULL,
    people        INTEGER NOT NULL,
    sealed_detail BLOB NOT NULL,
    audit_seq     INTEGER
) STRICT;

-- Events that happen before anyone has unlocked the vault (failed log-ins, lock-outs), sealed
-- to the vault's public key and moved into the audit log at the next successful log-in.
CREATE TABLE pending_events (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    sealed BLOB NOT NULL
) STRICT;

-- One keyslot per user plus the recovery slot: each seals the vault master key under a key
-- that Argon2id derives from a password (or the recovery code) with the stored parameters.
CREATE TABLE keyslots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('user', 'recovery')),
    user_id     INTEGER UNIQUE REFERENCES users(id),
    memory_kib  INTEGER NOT NULL,
    iterations  INTEGER NOT NULL,
    parallelism INTEGER NOT NULL,
    salt        BLOB NOT NULL,
    sealed_vmk  BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK ((kind = 'user') = (user_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX keyslots_one_recovery ON keyslots(kind) WHERE kind = 'recovery';

-- Wrapping keys, one per epoch, sealed under a subkey of the master key. Person keys are
-- sealed under the current one; deleting a person re-keys to a new epoch (crypto-shredding).
CREATE TABLE wrap_keys (
    epoch      INTEGER PRIMARY KEY,
    sealed     BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE persons (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    kind              TEXT NOT NULL CHECK (kind IN ('employee', 'family', 'payee')),
    employee_id       INTEGER REFERENCES persons(id),
    department_id     INTEGER REFERENCES departments(id),
    employment_status TEXT CHECK (employment_status IN ('active', 'on_leave', 'retired')),
    collection_status TEXT NOT NULL CHECK (collection_status IN
                          ('not_requested', 'requested', 'collected', 'verified', 'refused')),
    code_index        BLOB UNIQUE,
    key_epoch         INTEGER NOT NULL REFERENCES wrap_keys(epoch),
    sealed_key        BLOB NOT NULL,
    sealed_profile    BLOB NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK ((kind = 'family') = (employee_id IS NOT NULL)),
    CHECK ((kind = 'family') = (code_index IS NULL)),
    CHECK ((kind = 'employee') = (employment_status IS NOT NULL))
) STRICT;
CREATE INDEX persons_by_employee ON persons(employee_id) WHERE employee_id IS NOT NULL;
CREATE INDEX persons_by_department ON persons(department_id);

-- A person's number, sealed under the person's key, with its blind index for duplicates.
CREATE TABLE numbers (
    person_id    INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    number_index BLOB NOT NULL UNIQUE,
    sealed       BLOB NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

-- Collection history (経過), purpose notices, identity verifications, approvals and evidence
-- images: each sealed under the person's key.
CREATE TABLE person_records (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id  INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN
                   ('collection', 'purpose', 'verification', 'approval', 'evidence')),
    sealed     BLOB NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX person_records_by_person ON person_records(person_id, kind);
"#;

/// V2 (issue 8): the deletion register (削除・廃棄記録) and the payees' last-payment dates
/// for retention. Only new tables: V1 data is untouched, so the upgrade is one short
/// transaction, run when an intact V1 vault is opened (`store::open_existing`).
const V2: &str = r#"
-- The deletion register (削除・廃棄記録): who deleted what, when, why and how. A person is
-- named only by their internal ID (the number-less record); the reason is typed text, so it is
-- sealed under the meta subkey. Never a number or a name. `person_id` is NULL on a batch row.
CREATE TABLE deletions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    person_id     INTEGER,
    kind          TEXT NOT NULL CHECK (kind IN ('person', 'number', 'family', 'batch')),
    people        INTEGER NOT NULL DEFAULT 1,
    method        TEXT NOT NULL,
    sealed_reason BLOB NOT NULL,
    audit_seq     INTEGER,
    CHECK ((kind = 'batch') = (person_id IS NULL))
) STRICT;
CREATE INDEX deletions_by_person ON deletions(person_id) WHERE person_id IS NOT NULL;

-- A payee's last payment date (retention of the 支払調書), sealed under the person's key.
CREATE TABLE payee_payments (
    person_id  INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    sealed     BLOB NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
"#;

const MIGRATIONS: &[&str] = &[V1, V2];

/// Brings a fresh or older database up to [`SCHEMA_VERSION`] in one transaction.
pub fn migrate(conn: &mut Connection) -> VaultResult<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    check_readable(current)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}

/// Refuses a database written by a newer build rather than misreading it.
pub fn check_readable(version: i64) -> VaultResult<()> {
    if version > SCHEMA_VERSION {
        return Err(VaultError::NewerSchema {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
