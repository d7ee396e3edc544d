//! Delete everything (全削除, F11): numbers, people, images, outputs, users and the log.
//!
//! The order matters. While the vault is still whole, the engine checks the permission and the
//! typed confirmation, counts what is held, logs the act and seals the log, and signs a
//! statement with the vault's certificate key. Then every connection is closed (so SQLite
//! cannot write a page back afterwards), and every file of the vault directory is overwritten
//! in place (a keystream, its complement, a full read-back: the wrapped keys, the key slots
//! and the sealed data all go with the pages that hold them), synced and removed. The signed
//! statement is written outside the vault directory, and the caller prints it.
//!
//! Residual risk, stated on the statement: a flash medium may keep copies of old pages in
//! blocks its controller has retired; those hold only ciphertext under keys that no longer
//! exist anywhere. Only sanitizing the whole medium (F12) reaches them.

use std::path::{Path, PathBuf};

use chrono::Utc;
use kinko_domain::people::PersonKind;
use kinko_wipe::{
    FileRecord, HeldCounts, Observer, Outcome, RunOptions, STATEMENT_FORMAT, Statement,
    StatementBody, overall_outcome, overwrite_file,
};
use rusqlite::params;

use crate::access::Permission;
use crate::audit::{self, Event, Outcome as LogOutcome};
use crate::deletion::normalize_reason;
use crate::error::{VaultError, VaultResult};
use crate::session::Session;
use crate::vault::Vault;

/// What the operator types to confirm, exactly (after trimming).
pub const DESTROY_PHRASE: &str = "全削除";

/// What the operator asks for.
#[derive(Debug, Clone)]
pub struct DestroyRequest {
    pub reason: String,
    /// Must be [`DESTROY_PHRASE`].
    pub confirmation: String,
    /// Where the signed statement goes: outside the vault directory.
    pub statement_path: PathBuf,
}

impl Vault {
    /// Destroys this vault for good and returns the signed statement (also written to
    /// `request.statement_path`). Needs the wipe permission (全削除・消去) of the user of
    /// `session`, which must be a session of this vault. Nothing is touched when a check fails.
    pub fn delete_everything(
        self,
        mut session: Session,
        request: &DestroyRequest,
        observer: &mut dyn Observer,
    ) -> VaultResult<Statement> {
        let (reason, statement_path) = self.check_delete_everything(&mut session, request)?;
        let mut body = session.destruction_body(&reason, hex(self.vault_id()))?;
        let key = session.signing_key()?;
        session.logout()?;
        let dir = self.dir().to_path_buf();
        // The last connection closes here: SQLite checkpoints and lets go of the files.
        drop(self);
        body.files = destroy_files(&dir, observer)?;
        body.outcome = overall_outcome(&body.files);
        body.issued_at = Utc::now();
        let mut statement = Statement {
            body,
            signature: None,
        };
        statement
            .sign(&key)
            .map_err(|_| VaultError::CertificateSigning)?;
        write_statement(&statement_path, &statement)?;
        Ok(statement)
    }
}

impl Vault {
    /// Every check of [`Vault::delete_everything`] (session, permission, typed phrase, reason,
    /// where the statement goes) without doing anything but logging a refusal, so that a front
    /// keeps its session when the operator mistyped. Returns the normalised reason and path.
    pub fn check_delete_everything(
        &self,
        session: &mut Session,
        request: &DestroyRequest,
    ) -> VaultResult<(String, PathBuf)> {
        session.ready()?;
        if session.vault_id() != self.vault_id() {
            return Err(VaultError::Denied);
        }
        if !session.access().allows(Permission::Wipe) {
            session.log(Event {
                outcome: LogOutcome::Denied,
                ..Event::ok("vault.destroy", None, Permission::Wipe.key())
            })?;
            return Err(VaultError::Denied);
        }
        if request.confirmation.trim() != DESTROY_PHRASE {
            return Err(VaultError::DestroyConfirmation);
        }
        let reason = normalize_reason(&request.reason)?;
        Ok((reason, outside(self.dir(), &request.statement_path)?))
    }
}

impl Session {
    /// Counts what is held, logs the destruction and seals the log; the files are not yet
    /// touched.
    fn destruction_body(&mut self, reason: &str, vault_id: String) -> VaultResult<StatementBody> {
        let held = self.held_counts()?;
        let detail = format!(
            "employees={} family={} payees={} numbers={} records={}",
            held.employees, held.family_members, held.payees, held.numbers, held.records
        );
        self.log(Event::ok("vault.destroy", None, detail))?;
        let seal = audit::current_seal(&self.conn, &self.keys()?.audit)?;
        let company = self.company()?;
        let mut id = [0u8; 16];
        crate::crypto::fill_random(&mut id)?;
        Ok(StatementBody {
            format: STATEMENT_FORMAT.to_owned(),
            statement_id: hex(&id),
            issued_at: Utc::now(),
            organisation: company.display_name().to_owned(),
            corporate_number: company
                .corporate_number
                .as_ref()
                .map(|n| n.expose_digits().to_owned()),
            operator: self.login().to_owned(),
            pc: self.pc_name().map(str::to_owned),
            reason: reason.to_owned(),
            vault_id,
            held,
            final_audit_seal: format!("{}-{}", seal.seq, seal.code),
            method: method_lines(),
            files: Vec::new(),
            outcome: Outcome::NotErased,
            limitations: limitations(),
        })
    }

    fn held_counts(&self) -> VaultResult<HeldCounts> {
        let count = |sql: &str| -> VaultResult<u64> {
            let n: i64 = self.conn.query_row(sql, params![], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let kind = |k: PersonKind| -> VaultResult<u64> {
            let n: i64 = self.conn.query_row(
                "SELECT count(*) FROM persons WHERE kind = ?1",
                params![k.key()],
                |r| r.get(0),
            )?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok(HeldCounts {
            employees: kind(PersonKind::Employee)?,
            family_members: kind(PersonKind::Family)?,
            payees: kind(PersonKind::Payee)?,
            numbers: count("SELECT count(*) FROM numbers")?,
            records: count("SELECT count(*) FROM person_records")?,
            users: count("SELECT count(*) FROM users")?,
            audit_entries: count("SELECT count(*) FROM audit_log")?,
        })
    }
}

/// The statement's path, refused when it lies inside the vault directory (it would be
/// destroyed with it).
fn outside(dir: &Path, path: &Path) -> VaultResult<PathBuf> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (Ok(dir), Ok(parent)) = (dir.canonicalize(), parent.canonicalize()) else {
        return Err(VaultError::StatementPlace);
    };
    let Some(name) = path.file_name() else {
        return Err(VaultError::StatementPlace);
    };
    if parent.starts_with(&dir) {
        return Err(VaultError::StatementPlace);
    }
    Ok(parent.join(name))
}

/// Overwrites, verifies and removes every file under `dir`, then `dir` itself. A file that
/// cannot be overwritten is still removed and shows as an exception.
fn destroy_files(dir: &Path, observer: &mut dyn Observer) -> VaultResult<Vec<FileRecord>> {
    let mut files = Vec::new();
    collect_files(dir, &mut files)?;
    files.sort();
    let options = RunOptions::default();
    let mut records = Vec::with_capacity(files.len());
    for path in files {
        let mut record = match overwrite_file(&path, &options, observer) {
            Ok(record) => record,
            Err(_) => unwritten(dir, &path),
        };
        record.removed = std::fs::remove_file(&path).is_ok();
        records.push(record);
    }
    let _ = std::fs::remove_dir_all(dir);
    sync_dir(dir.parent());
    Ok(records)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

fn unwritten(dir: &Path, path: &Path) -> FileRecord {
    FileRecord {
        name: path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned(),
        bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
        bytes_written: 0,
        bytes_verified: 0,
        verification: kinko_wipe::VerificationResult::Failed,
        outcome: Outcome::NotErased,
        exceptions: 1,
        removed: false,
    }
}

fn sync_dir(dir: Option<&Path>) {
    if let Some(Ok(d)) = dir.map(std::fs::File::open) {
        let _ = d.sync_all();
    }
}

/// Written beside, then renamed: a statement is whole or absent.
fn write_statement(path: &Path, statement: &Statement) -> VaultResult<()> {
    let json = statement
        .to_json()
        .map_err(|_| VaultError::CertificateSigning)?;
    crate::staged::write_whole(path, json.as_bytes())
        .map_err(|e| VaultError::StatementWrite(e.to_string()))
}

fn method_lines() -> Vec<String> {
    vec![
        "鍵階層の破棄（暗号化消去）：鍵スロット・ラップ鍵・個人鍵を保持するページごと上書き"
            .to_owned(),
        "データ領域の上書き：金庫の全ファイルを乱数列とその補数で2回上書きし、全量を読み戻して照合"
            .to_owned(),
        "上書き後にファイルとフォルダーを削除".to_owned(),
    ]
}

fn limitations() -> Vec<String> {
    vec![
        "フラッシュメモリは、制御装置が退避した古いブロックに以前のページの写しを残すことがあります。それらは既に存在しない鍵で暗号化されたままで、読むにはチップを取り出す攻撃が必要です。媒体を廃棄・譲渡するときは媒体全体の消去（データ消去証明書）を行ってください。".to_owned(),
    ]
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
