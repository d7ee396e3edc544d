//! The audit log as users see it: listing, verifying, sealing, and the sessions report.

use rusqlite::params;

use crate::access::Permission;
use crate::audit::{self, AuditEntry, AuditQuery, Seal, VerifyReport};
use crate::error::VaultResult;
use crate::session::Session;

/// One line of the sessions report: who, where, from when to when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: i64,
    pub login: String,
    pub department: Option<String>,
    /// The PC's registered name, or `None` for an unregistered PC.
    pub pc: Option<String>,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub end_reason: Option<String>,
    /// Seconds from start to end (or to the session's last log entry, if it never ended).
    pub seconds: Option<i64>,
}

impl Session {
    /// Log entries matching `query`, oldest first.
    pub fn audit_list(&mut self, query: &AuditQuery) -> VaultResult<Vec<AuditEntry>> {
        self.read_op(Permission::ReadAudit, "audit.list", None)?;
        audit::list(&self.conn, query)
    }

    /// Checks the chain, the head and, if given, a seal; names the first bad entry.
    pub fn audit_verify(&mut self, seal: Option<&Seal>) -> VaultResult<VerifyReport> {
        self.read_op(Permission::ReadAudit, "audit.verify", None)?;
        let keys = self.keys()?;
        audit::verify(&self.conn, &keys.audit, &keys.vault_id, seal)
    }

    /// A seal of the log as it stands (including the entry that records the sealing), to be
    /// printed or written down and kept apart from the stick.
    pub fn audit_seal(&mut self) -> VaultResult<Seal> {
        self.read_op(Permission::ReadAudit, "audit.seal", None)?;
        audit::current_seal(&self.conn, &self.keys()?.audit)
    }

    /// Every session: who, which PC, which department, from, to, how long.
    pub fn audit_sessions(&mut self) -> VaultResult<Vec<SessionRecord>> {
        self.read_op(Permission::ReadAudit, "audit.sessions", None)?;
        let mut stmt = self.conn.prepare(
            "SELECT s.id, u.login, d.name, p.name, s.started_at, s.ended_at, s.end_reason,
                    (SELECT max(at) FROM audit_log a WHERE a.session_id = s.id)
             FROM sessions s JOIN users u ON u.id = s.user_id
             LEFT JOIN departments d ON d.id = s.department_id
             LEFT JOIN pcs p ON p.id = s.pc_id
             ORDER BY s.id",
        )?;
        let rows = stmt.query_map(params![], |r| {
            let started: String = r.get(4)?;
            let ended: Option<String> = r.get(5)?;
            let last: Option<String> = r.get(7)?;
            Ok(SessionRecord {
                id: r.get(0)?,
                login: r.get(1)?,
                department: r.get(2)?,
                pc: r.get(3)?,
                seconds: seconds_between(&started, ended.as_deref().or(last.as_deref())),
                started_at: started,
                ended_at: ended,
                end_reason: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn seconds_between(from: &str, to: Option<&str>) -> Option<i64> {
    let from: chrono::DateTime<chrono::Utc> = from.parse().ok()?;
    let to: chrono::DateTime<chrono::Utc> = to?.parse().ok()?;
    Some((to - from).num_seconds())
}

/// The names behind the IDs in the log, for showing it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditNames {
    pub users: std::collections::HashMap<i64, String>,
    pub pcs: std::collections::HashMap<i64, String>,
    pub departments: std::collections::HashMap<i64, String>,
}

impl Session {
    /// User, PC and department names by ID (needs the audit permission; not logged itself,
    /// as it holds no personal data and always accompanies a logged read of the log).
    pub fn audit_names(&mut self) -> VaultResult<AuditNames> {
        self.ready()?;
        if !self.access().allows(Permission::ReadAudit) {
            let event = crate::audit::Event::ok("audit.names", None, Permission::ReadAudit.key());
            self.log(crate::audit::Event {
                outcome: crate::audit::Outcome::Denied,
                ..event
            })?;
            return Err(crate::error::VaultError::Denied);
        }
        let map = |sql: &str| -> VaultResult<std::collections::HashMap<i64, String>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(AuditNames {
            users: map("SELECT id, login FROM users")?,
            pcs: map("SELECT id, name FROM pcs")?,
            departments: map("SELECT id, name FROM departments")?,
        })
    }
}
