//! The records (F9, F4, F6, F8): recovery-code sheet, audit seal, audit-log extract, sessions
//! report, take-out register. None carries a My Number.

use chrono::NaiveDateTime;

use crate::document::Pdf;
use crate::error::FormError;
use crate::model::{AuditLine, Firm, Issue, SealSheet, SessionLine, TakeoutLine};

/// The recovery-code sheet printed at set-up (kept in the safe). `code` is the code itself.
pub fn recovery_sheet(
    firm: &Firm,
    created: NaiveDateTime,
    admin: &str,
    code: &str,
) -> Result<Pdf, FormError> {
    let _ = (firm, created, admin, code);
    Err(FormError::Pdf("not yet".into()))
}

/// The audit seal (the log's head on paper).
pub fn audit_seal(issue: &Issue, seal: &SealSheet) -> Result<Pdf, FormError> {
    let _ = (issue, seal);
    Err(FormError::Pdf("not yet".into()))
}

/// An extract of the audit log; `filter` says in words which entries were chosen.
pub fn audit_extract(issue: &Issue, filter: &str, lines: &[AuditLine]) -> Result<Pdf, FormError> {
    let _ = (issue, filter, lines);
    Err(FormError::Pdf("not yet".into()))
}

/// The sessions report.
pub fn sessions_report(issue: &Issue, lines: &[SessionLine]) -> Result<Pdf, FormError> {
    let _ = (issue, lines);
    Err(FormError::Pdf("not yet".into()))
}

/// The take-out register (持出し記録).
pub fn takeout_register(issue: &Issue, lines: &[TakeoutLine]) -> Result<Pdf, FormError> {
    let _ = (issue, lines);
    Err(FormError::Pdf("not yet".into()))
}
