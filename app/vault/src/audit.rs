//! The tamper-evident audit log (F6).
//!
//! Each entry is a row of `audit_log` whose `mac` is
//! `HMAC(K_audit, "kinko-audit-v1" ‖ previous mac ‖ canonical bytes of the entry)`; the first
//! entry chains to `HMAC(K_audit, "genesis" ‖ vault ID)`. The head (last sequence number and
//! mac) is also kept MACed in `meta`, so cutting entries off the end is caught, and an audit
//! seal — a short code derived from the head, printed or written down — catches a rollback of
//! the whole vault to an older copy.
//!
//! Entries hold internal IDs, action names, results and short details built by the engine from
//! enums, IDs and counts: never a number, a name or anything a user typed.

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::Sha256;

use crate::clock::{self, ClockAnomaly};
use crate::crypto::Key;
use crate::error::{VaultError, VaultResult};

const SEAL_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SEAL_CHARS: usize = 10;

/// How an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    Denied,
    Error,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Error => "error",
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            Outcome::Ok => "成功",
            Outcome::Denied => "拒否",
            Outcome::Error => "エラー",
        }
    }

    fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Ok, Outcome::Denied, Outcome::Error]
            .into_iter()
            .find(|o| o.key() == s)
    }
}

/// Who acted, from where: the context every entry records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<i64>,
    pub department: Option<i64>,
    pub pc: Option<i64>,
    /// Keyed hash of the PC's identity (kept for PCs that are not registered).
    pub pc_tag: Option<Vec<u8>>,
    pub session: Option<i64>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub action: &'static str,
    pub target: Option<(&'static str, i64)>,
    pub outcome: Outcome,
    pub detail: String,
}

impl Event {
    pub fn ok(
        action: &'static str,
        target: Option<(&'static str, i64)>,
        detail: impl Into<String>,
    ) -> Event {
        Event {
            action,
            target,
            outcome: Outcome::Ok,
            detail: detail.into(),
        }
    }
}

/// The wall clock at the moment of an entry, with what is needed to judge it.
#[derive(Debug, Clone, Copy)]
pub struct ClockReading {
    pub now: DateTime<Utc>,
    /// Wall and monotonic time at the start of the session, if there is one.
    pub session_start: Option<(DateTime<Utc>, std::time::Duration)>,
    pub monotonic: std::time::Duration,
}

/// One entry as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub clock_anomaly: Option<String>,
    pub actor: Actor,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<i64>,
    pub outcome: Outcome,
    pub detail: String,
}

/// Appends one entry, chained to the last, and moves the head. Call inside the transaction of
/// the change it records.
pub(crate) fn append(
    conn: &Connection,
    key: &Key,
    vault_id: &[u8],
    actor: &Actor,
    event: &Event,
    clock: &ClockReading,
) -> VaultResult<i64> {
    // Moving the head would hide a cut made behind the engine's back: record it in the chain
    // first, where it cannot be removed without leaving a new mismatch.
    let last = head(conn)?;
    if let Some(problem) = head_mismatch(conn, key, last.as_ref())? {
        let detail = match problem {
            AuditProblem::Truncated { last, expected } => {
                format!("truncated last={last} expected={expected}")
            }
            _ => "head_altered".to_owned(),
        };
        let integrity = Event {
            outcome: Outcome::Error,
            ..Event::ok(INTEGRITY_ACTION, None, detail)
        };
        let at = append_after(
            conn,
            key,
            vault_id,
            last,
            &Actor::default(),
            &integrity,
            clock,
        )?;
        return append_after(conn, key, vault_id, Some(at), actor, event, clock).map(|h| h.seq);
    }
    append_after(conn, key, vault_id, last, actor, event, clock).map(|h| h.seq)
}

/// The action of the entry that records a head found not to match the log.
const INTEGRITY_ACTION: &str = "audit.integrity";

/// Compares the stored head with the last entry of the table.
fn head_mismatch(
    conn: &Connection,
    key: &Key,
    last: Option<&Head>,
) -> VaultResult<Option<AuditProblem>> {
    let stored: Option<Vec<u8>> = conn
        .query_row(
            "SELECT CAST(value AS BLOB) FROM meta WHERE key = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(stored) = stored else {
        return Ok(last.is_some().then_some(AuditProblem::HeadAltered));
    };
    let seq = stored
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(i64::from_be_bytes);
    let last_seq = last.map_or(0, |h| h.seq);
    match (seq, last) {
        (Some(seq), _) if seq > last_seq => Ok(Some(AuditProblem::Truncated {
            last: last_seq,
            expected: seq,
        })),
        (Some(_), Some(h)) if stored == head_record(key, h.seq, &h.mac) => Ok(None),
        _ => Ok(Some(AuditProblem::HeadAltered)),
    }
}

/// Reads back what an integrity entry recorded.
fn integrity_problem(detail: &str) -> AuditProblem {
    let num = |name: &str| {
        detail
            .split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('=')?.parse::<i64>().ok())
    };
    match (num("last"), num("expected")) {
        (Some(last), Some(expected)) => AuditProblem::Truncated { last, expected },
        _ => AuditProblem::HeadAltered,
    }
}

/// Appends after `head` (the last entry, read by the caller) and returns the new head.
fn append_after(
    conn: &Connection,
    key: &Key,
    vault_id: &[u8],
    head: Option<Head>,
    actor: &Actor,
    event: &Event,
    clock: &ClockReading,
) -> VaultResult<Head> {
    let last_at = head
        .as_ref()
        .and_then(|h| h.at.parse::<DateTime<Utc>>().ok());
    let anomaly = clock::anomaly(clock.now, last_at, clock.session_start, clock.monotonic);
    let (seq, prev) = match head {
        Some(h) => (h.seq + 1, h.mac),
        None => (1, genesis(key, vault_id)),
    };
    let entry = AuditEntry {
        seq,
        at: clock
            .now
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        clock_anomaly: anomaly.map(|a| ClockAnomaly::key(a).to_owned()),
        actor: actor.clone(),
        action: event.action.to_owned(),
        target_kind: event.target.map(|(k, _)| k.to_owned()),
        target_id: event.target.map(|(_, id)| id),
        outcome: event.outcome,
        detail: event.detail.clone(),
    };
    let mac = entry_mac(key, &prev, &entry);
    conn.execute(
        "INSERT INTO audit_log (seq, at, clock_anomaly, user_id, department_id, pc_id, pc_tag,
             session_id, action, target_kind, target_id, result, detail, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            seq,
            entry.at,
            entry.clock_anomaly,
            actor.user,
            actor.department,
            actor.pc,
            actor.pc_tag,
            actor.session,
            entry.action,
            entry.target_kind,
            entry.target_id,
            entry.outcome.key(),
            entry.detail,
            mac
        ],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [head_record(key, seq, &mac)],
    )?;
    Ok(Head {
        seq,
        mac,
        at: entry.at,
    })
}

struct Head {
    seq: i64,
    mac: Vec<u8>,
    at: String,
}

fn head(conn: &Connection) -> VaultResult<Option<Head>> {
    Ok(conn
        .query_row(
            "SELECT seq, mac, at FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok(Head {
                    seq: r.get(0)?,
                    mac: r.get(1)?,
                    at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

fn mac_of(key: &Key, parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.expose())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    for p in parts {
        mac.update(&(p.len() as u64).to_be_bytes());
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

fn genesis(key: &Key, vault_id: &[u8]) -> Vec<u8> {
    mac_of(key, &[b"genesis", vault_id])
}

/// The head as stored in `meta`: sequence number (8 bytes) then a MAC over it and the entry's
/// mac, so that only the key holder can move it.
fn head_record(key: &Key, seq: i64, mac: &[u8]) -> Vec<u8> {
    let mut out = seq.to_be_bytes().to_vec();
    out.extend(mac_of(key, &[b"head", &seq.to_be_bytes(), mac]));
    out
}

fn entry_mac(key: &Key, prev: &[u8], e: &AuditEntry) -> Vec<u8> {
    let opt_i = |v: Option<i64>| v.map(|v| v.to_be_bytes().to_vec()).unwrap_or_default();
    let opt_s = |v: &Option<String>| v.clone().unwrap_or_default().into_bytes();
    let present = [
        e.clock_anomaly.is_some(),
        e.actor.user.is_some(),
        e.actor.department.is_some(),
        e.actor.pc.is_some(),
        e.actor.pc_tag.is_some(),
        e.actor.session.is_some(),
        e.target_kind.is_some(),
        e.target_id.is_some(),
    ]
    .map(u8::from);
    mac_of(
        key,
        &[
            b"kinko-audit-v1",
            prev,
            &e.seq.to_be_bytes(),
            e.at.as_bytes(),
            &present,
            &opt_s(&e.clock_anomaly),
            &opt_i(e.actor.user),
            &opt_i(e.actor.department),
            &opt_i(e.actor.pc),
            e.actor.pc_tag.as_deref().unwrap_or_default(),
            &opt_i(e.actor.session),
            e.action.as_bytes(),
            &opt_s(&e.target_kind),
            &opt_i(e.target_id),
            e.outcome.key().as_bytes(),
            e.detail.as_bytes(),
        ],
    )
}

/// What `verify` found wrong, naming the first bad entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditProblem {
    #[error("操作履歴 #{seq} が見つかりません（削除されています）")]
    Missing { seq: i64 },
    #[error("操作履歴 #{seq} が改ざんされています（内容・順序の変更または差し替え）")]
    Altered { seq: i64 },
    #[error("操作履歴の末尾が失われています（#{last} までしかなく、#{expected} まであるはずです）")]
    Truncated { last: i64, expected: i64 },
    #[error("操作履歴の末尾の記録が改ざんされています")]
    HeadAltered,
    #[error("金庫が封印 #{seal} より前の状態に戻されています（操作履歴は #{head} まで）")]
    RolledBack { seal: i64, head: i64 },
    #[error("封印 #{seal} と操作履歴が一致しません（封印以前の履歴が書き換えられています）")]
    SealMismatch { seal: i64 },
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries checked.
    pub entries: i64,
    /// The last sequence number found.
    pub head: i64,
    /// The first problem, if any.
    pub problem: Option<AuditProblem>,
}

/// Checks the whole chain, the stored head and, if given, a seal.
pub(crate) fn verify(
    conn: &Connection,
    key: &Key,
    vault_id: &[u8],
    seal: Option<&Seal>,
) -> VaultResult<VerifyReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, clock_anomaly, user_id, department_id, pc_id, pc_tag, session_id, action,
                target_kind, target_id, result, detail, mac
         FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = genesis(key, vault_id);
    let mut expected = 1;
    let mut seal_mac = None;
    let mut report = VerifyReport {
        entries: 0,
        head: 0,
        problem: None,
    };
    while let Some(r) = rows.next()? {
        let (entry, mac) = read_entry(r)?;
        if entry.seq != expected {
            report.problem = Some(AuditProblem::Missing { seq: expected });
            return Ok(report);
        }
        if entry_mac(key, &prev, &entry) != mac {
            report.problem = Some(AuditProblem::Altered { seq: entry.seq });
            return Ok(report);
        }
        if entry.action == INTEGRITY_ACTION {
            // An earlier cut, noticed by the engine when it next wrote: the first problem.
            report.problem = Some(integrity_problem(&entry.detail));
            return Ok(report);
        }
        if seal.is_some_and(|s| s.seq == entry.seq) {
            seal_mac = Some(mac.clone());
        }
        report.entries += 1;
        report.head = entry.seq;
        prev = mac;
        expected += 1;
    }
    report.problem =
        check_head(conn, key, &report, &prev)?.or_else(|| check_seal(key, &report, seal, seal_mac));
    Ok(report)
}

fn check_head(
    conn: &Connection,
    key: &Key,
    report: &VerifyReport,
    last_mac: &[u8],
) -> VaultResult<Option<AuditProblem>> {
    let stored: Option<Vec<u8>> = conn
        .query_row(
            "SELECT CAST(value AS BLOB) FROM meta WHERE key = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(stored) = stored else {
        return Ok((report.head > 0).then_some(AuditProblem::HeadAltered));
    };
    let Some(seq) = stored
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(i64::from_be_bytes)
    else {
        return Ok(Some(AuditProblem::HeadAltered));
    };
    if seq > report.head {
        return Ok(Some(AuditProblem::Truncated {
            last: report.head,
            expected: seq,
        }));
    }
    Ok((stored != head_record(key, report.head, last_mac)).then_some(AuditProblem::HeadAltered))
}

fn check_seal(
    key: &Key,
    report: &VerifyReport,
    seal: Option<&Seal>,
    seal_mac: Option<Vec<u8>>,
) -> Option<AuditProblem> {
    let seal = seal?;
    if seal.seq > report.head {
        return Some(AuditProblem::RolledBack {
            seal: seal.seq,
            head: report.head,
        });
    }
    let ok = seal_mac.is_some_and(|mac| seal_code(key, seal.seq, &mac) == seal.code);
    (!ok).then_some(AuditProblem::SealMismatch { seal: seal.seq })
}

fn read_entry(r: &rusqlite::Row<'_>) -> VaultResult<(AuditEntry, Vec<u8>)> {
    let outcome: String = r.get(11)?;
    let entry = AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        clock_anomaly: r.get(2)?,
        actor: Actor {
            user: r.get(3)?,
            department: r.get(4)?,
            pc: r.get(5)?,
            pc_tag: r.get(6)?,
            session: r.get(7)?,
        },
        action: r.get(8)?,
        target_kind: r.get(9)?,
        target_id: r.get(10)?,
        // An unknown result string cannot match its MAC; read it as an error entry.
        outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Error),
        detail: r.get(12)?,
    };
    Ok((entry, r.get(13)?))
}

/// An audit seal: the head's sequence number and a short code derived from its MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub seq: i64,
    pub code: String,
}

impl Seal {
    /// Parses `1234-7K2QM9XDRT` (case, spaces and extra hyphens in the code are forgiven).
    pub fn parse(text: &str) -> Result<Seal, VaultError> {
        let bad = || VaultError::BadSeal;
        let (seq, code) = text.trim().split_once('-').ok_or_else(bad)?;
        let seq: i64 = seq.trim().parse().map_err(|_| bad())?;
        let code: String = code
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        let valid = code.len() == SEAL_CHARS && code.bytes().all(|b| SEAL_ALPHABET.contains(&b));
        if seq < 1 || !valid {
            return Err(bad());
        }
        Ok(Seal { seq, code })
    }
}

impl std::fmt::Display for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.seq, self.code)
    }
}

fn seal_code(key: &Key, seq: i64, mac: &[u8]) -> String {
    let digest = mac_of(key, &[b"seal", &seq.to_be_bytes(), mac]);
    let mut bits: u64 = 0;
    for b in &digest[..8] {
        bits = (bits << 8) | u64::from(*b);
    }
    (0..SEAL_CHARS)
        .map(|i| SEAL_ALPHABET[((bits >> (59 - 5 * i)) & 31) as usize] as char)
        .collect()
}

/// The seal of the current head.
pub(crate) fn current_seal(conn: &Connection, key: &Key) -> VaultResult<Seal> {
    let head = head(conn)?.ok_or(VaultError::Corrupt("操作履歴が空です".into()))?;
    Ok(Seal {
        seq: head.seq,
        code: seal_code(key, head.seq, &head.mac),
    })
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub user: Option<i64>,
    pub action: Option<String>,
    /// Entries at or after this time (UTC, RFC 3339 prefix such as `2026-04-01`).
    pub since: Option<String>,
    /// Entries before this time (same form as `since`).
    pub until: Option<String>,
    /// Entries with this result. An entry whose stored result is unknown (a tampered row)
    /// reads as an error, so it is found under [`Outcome::Error`].
    pub outcome: Option<Outcome>,
    pub limit: Option<usize>,
}

pub(crate) fn list(conn: &Connection, q: &AuditQuery) -> VaultResult<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, clock_anomaly, user_id, department_id, pc_id, pc_tag, session_id, action,
                target_kind, target_id, result, detail, mac
         FROM audit_log
         WHERE (?1 IS NULL OR user_id = ?1)
           AND (?2 IS NULL OR action = ?2 OR action LIKE ?2 || '.%')
           AND (?3 IS NULL OR at >= ?3)
           AND (?5 IS NULL OR at < ?5)
           AND (?6 IS NULL OR result = ?6
                OR (?6 = 'error' AND result NOT IN ('ok', 'denied')))
         ORDER BY seq DESC LIMIT ?4",
    )?;
    let limit = q.limit.map_or(-1, |l| l as i64);
    let outcome = q.outcome.map(Outcome::key);
    let mut rows = stmt.query(params![q.user, q.action, q.since, limit, q.until, outcome])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read_entry(r)?.0);
    }
    out.reverse();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_print_and_parse() {
        let key = Key::random().unwrap();
        let code = seal_code(&key, 42, b"mac");
        assert_eq!(code.len(), SEAL_CHARS);
        let seal = Seal {
            seq: 42,
            code: code.clone(),
        };
        assert_eq!(Seal::parse(&seal.to_string()).unwrap(), seal);
        assert_eq!(
            Seal::parse(&format!(" 42-{} ", code.to_lowercase())).unwrap(),
            seal
        );
        assert!(Seal::parse("42").is_err());
        assert!(Seal::parse("x-ABCDEFGHJK").is_err());
        assert!(Seal::parse("0-ABCDEFGHJK").is_err());
        assert_ne!(seal_code(&key, 43, b"mac"), code);
    }
}
