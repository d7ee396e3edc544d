//! The destruction statement of "delete everything" (全削除, F11): a minimal signed record of
//! what a vault held (counts only), who destroyed it, when, why, and how each of its files was
//! overwritten and read back. It is written outside the destroyed data (beside the vault on the
//! stick) and printed; it never holds a name or a number.
//!
//! [`overwrite_file`] is the data-area step: the same two-pass overwrite with full read-back as a
//! whole medium, on one file, before the file is removed.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::certificate::{SignatureBlock, key_fingerprint, sign_body, verify_body};
use crate::error::{CertError, WipeError};
use crate::plan::{MethodChoice, plan};
use crate::probe::probe;
use crate::progress::Observer;
use crate::report::{Outcome, VerificationResult};
use crate::run::{RunOptions, run_on_target};
use crate::target::FileTarget;
use crate::{SigningKey, VerifyingKey};

/// Identifies the JSON layout (and is part of what is signed).
pub const STATEMENT_FORMAT: &str = "kinko-destruction-statement/1";

/// What the vault held when it was destroyed: counts only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldCounts {
    pub employees: u64,
    pub family_members: u64,
    pub payees: u64,
    pub numbers: u64,
    /// Evidence images and other records attached to people.
    pub records: u64,
    pub users: u64,
    pub audit_entries: u64,
}

/// How one file of the vault was destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRecord {
    /// The file's name inside the vault directory (`kinko.sqlite3`, `kinko.sqlite3-wal`, …).
    pub name: String,
    pub bytes: u64,
    pub bytes_written: u64,
    pub bytes_verified: u64,
    pub verification: VerificationResult,
    pub outcome: Outcome,
    /// Failed ranges (none when the outcome is `erased`).
    pub exceptions: u64,
    /// Whether the file was removed afterwards.
    pub removed: bool,
}

/// Everything the signature covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementBody {
    pub format: String,
    pub statement_id: String,
    pub issued_at: DateTime<Utc>,
    pub organisation: String,
    pub corporate_number: Option<String>,
    /// The operator's log-in name.
    pub operator: String,
    /// The registered name of the PC, if it has one.
    pub pc: Option<String>,
    pub reason: String,
    /// The vault's random identifier (hex), which ties the statement to earlier certificates.
    pub vault_id: String,
    pub held: HeldCounts,
    /// The seal of the log as it stood after recording the destruction (`seq-code`).
    pub final_audit_seal: String,
    pub method: Vec<String>,
    pub files: Vec<FileRecord>,
    /// `erased` when every file was overwritten, verified and removed.
    pub outcome: Outcome,
    pub limitations: Vec<String>,
}

/// A destruction statement, signed or not yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub body: StatementBody,
    pub signature: Option<SignatureBlock>,
}

/// A statement whose signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedStatement {
    pub body: StatementBody,
    pub public_key: VerifyingKey,
    pub key_fingerprint: String,
}

impl Statement {
    pub fn sign(&mut self, key: &SigningKey) -> Result<(), CertError> {
        self.signature = Some(sign_body(STATEMENT_FORMAT, &self.body, key)?);
        Ok(())
    }

    pub fn verify(&self) -> Result<VerifiedStatement, CertError> {
        let block = self.signature.as_ref().ok_or(CertError::Unsigned)?;
        if self.body.format != STATEMENT_FORMAT {
            return Err(CertError::Algorithm(self.body.format.clone()));
        }
        let public_key = verify_body(STATEMENT_FORMAT, &self.body, block)?;
        Ok(VerifiedStatement {
            body: self.body.clone(),
            key_fingerprint: key_fingerprint(&public_key),
            public_key,
        })
    }

    pub fn to_json(&self) -> Result<String, CertError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    pub fn from_json(text: &str) -> Result<Self, CertError> {
        Ok(serde_json::from_str(text)?)
    }
}

/// The overall outcome of a destruction: erased only when every file is.
pub fn overall_outcome(files: &[FileRecord]) -> Outcome {
    if files
        .iter()
        .all(|f| f.outcome == Outcome::Erased && f.removed)
    {
        Outcome::Erased
    } else if files
        .iter()
        .any(|f| matches!(f.outcome, Outcome::NotErased | Outcome::Cancelled))
    {
        Outcome::NotErased
    } else {
        Outcome::ErasedWithExceptions
    }
}

/// Overwrites one regular file in place (a keystream, its complement, a full read-back), the
/// way a whole medium is overwritten. The file keeps its size; removing it is the caller's.
pub fn overwrite_file(
    path: &Path,
    options: &RunOptions,
    observer: &mut dyn Observer,
) -> Result<FileRecord, WipeError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::metadata(path)
        .map_err(|source| WipeError::Open {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    if bytes == 0 {
        // Nothing to overwrite: an empty file holds no data.
        return Ok(FileRecord {
            name,
            bytes,
            bytes_written: 0,
            bytes_verified: 0,
            verification: VerificationResult::Passed,
            outcome: Outcome::Erased,
            exceptions: 0,
            removed: false,
        });
    }
    let plan = plan(&probe(path)?, MethodChoice::Overwrite);
    let target = FileTarget::open(path)?;
    // The engine syncs the medium before it reads back, so what is verified is on the disk.
    let report = run_on_target(&plan, &target, options, observer)?;
    Ok(FileRecord {
        name,
        bytes,
        bytes_written: report.bytes_written,
        bytes_verified: report.verification.bytes_verified,
        verification: report.verification.result,
        outcome: report.outcome,
        exceptions: report.exceptions.total,
        removed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoObserver;

    fn body(files: Vec<FileRecord>) -> StatementBody {
        StatementBody {
            format: STATEMENT_FORMAT.to_owned(),
            statement_id: "00".repeat(16),
            issued_at: Utc::now(),
            organisation: "株式会社テスト".to_owned(),
            corporate_number: None,
            operator: "kanri".to_owned(),
            pc: Some("総務部PC".to_owned()),
            reason: "事業廃止".to_owned(),
            vault_id: "ab".repeat(16),
            held: HeldCounts {
                employees: 3,
                ..HeldCounts::default()
            },
            final_audit_seal: "12-ABCDEF".to_owned(),
            method: vec!["key hierarchy destroyed".to_owned()],
            outcome: overall_outcome(&files),
            files,
            limitations: Vec::new(),
        }
    }

    #[test]
    fn a_file_is_overwritten_verified_and_keeps_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kinko.db");
        let secret = b"YAMADA-123456789018-".repeat(5000);
        std::fs::write(&path, &secret).unwrap();
        let record = overwrite_file(&path, &RunOptions::default(), &mut NoObserver).unwrap();
        assert_eq!(record.name, "kinko.db");
        assert_eq!(record.bytes, secret.len() as u64);
        assert_eq!(record.bytes_verified, record.bytes);
        assert_eq!(record.verification, VerificationResult::Passed);
        assert_eq!(record.outcome, Outcome::Erased);
        let after = std::fs::read(&path).unwrap();
        assert_eq!(after.len(), secret.len());
        assert!(!after.windows(6).any(|w| w == b"YAMADA"));
    }

    #[test]
    fn a_signed_statement_verifies_and_any_change_breaks_it() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let file = FileRecord {
            name: "kinko.db".to_owned(),
            bytes: 8192,
            bytes_written: 16384,
            bytes_verified: 8192,
            verification: VerificationResult::Passed,
            outcome: Outcome::Erased,
            exceptions: 0,
            removed: true,
        };
        let mut statement = Statement {
            body: body(vec![file.clone()]),
            signature: None,
        };
        assert!(matches!(statement.verify(), Err(CertError::Unsigned)));
        statement.sign(&key).unwrap();
        let parsed = Statement::from_json(&statement.to_json().unwrap()).unwrap();
        let verified = parsed.verify().unwrap();
        assert_eq!(verified.body.outcome, Outcome::Erased);
        assert_eq!(
            verified.key_fingerprint,
            key_fingerprint(&key.verifying_key())
        );
        let mut forged = parsed.clone();
        forged.body.held.employees = 2;
        assert!(matches!(forged.verify(), Err(CertError::Signature)));
        let kept = FileRecord {
            removed: false,
            ..file
        };
        assert_eq!(overall_outcome(&[kept]), Outcome::ErasedWithExceptions);
    }
}
