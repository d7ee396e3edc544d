//! Checking a password before the vault is unlocked: lock-out counting that survives restarts,
//! and the record of failures, which cannot go into the MAC-chained log yet (its key is not
//! available), so it is sealed to the vault's public key in `pending_events` and moved into the
//! log by the next successful log-in (`absorb_pending`).

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor, ClockReading, Event, Outcome};
use crate::clock::Clock;
use crate::crypto::{Aad, Key};
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::keyslot::{self, SlotOwner};
use crate::pc::PcIdentity;
use crate::settings::Policy;

/// A failure recorded before unlock. Sealed; never holds a password or an unknown user name.
#[derive(Serialize, Deserialize)]
struct PendingEvent {
    at: DateTime<Utc>,
    user: Option<i64>,
    action: String,
    outcome: String,
    detail: String,
    /// The PC's identity as read, so the log can name the PC once keys are available.
    pc: String,
}

fn pending_aad(vault_id: &[u8]) -> Aad {
    Aad::new(vault_id, "pending_events.sealed", 0, "")
}

/// What happened before unlock.
pub(crate) struct Staged<'a> {
    pub user: Option<i64>,
    pub action: &'a str,
    pub outcome: Outcome,
    pub detail: &'a str,
}

impl<'a> Staged<'a> {
    pub fn denied(user: Option<i64>, action: &'a str, detail: &'a str) -> Staged<'a> {
        Staged {
            user,
            action,
            outcome: Outcome::Denied,
            detail,
        }
    }
}

/// Records a pre-unlock event, sealed to the vault's public key.
pub(crate) fn stage(
    conn: &Connection,
    vault_id: &[u8],
    what: Staged<'_>,
    pc: &PcIdentity,
    now: DateTime<Utc>,
) -> VaultResult<()> {
    let Staged {
        user,
        action,
        outcome,
        detail,
    } = what;
    let public: Vec<u8> = conn.query_row(
        "SELECT value FROM meta WHERE key = 'event_public'",
        [],
        |r| r.get(0),
    )?;
    let public: [u8; 32] = public.try_into().map_err(|_| VaultError::Tampered {
        place: "meta.event_public",
    })?;
    let event = PendingEvent {
        at: now,
        user,
        action: action.into(),
        outcome: outcome.key().into(),
        detail: detail.into(),
        pc: String::from_utf8_lossy(pc.canonical()).into_owned(),
    };
    let json = serde_json::to_vec(&event).map_err(|_| VaultError::Crypto("serialize"))?;
    let sealed = crate::sealed_box::seal(&public, &pending_aad(vault_id), &json)?;
    conn.execute("INSERT INTO pending_events (sealed) VALUES (?1)", [sealed])?;
    Ok(())
}

/// Moves every pending event into the audit log, oldest first, then deletes them. Runs inside
/// the log-in transaction.
pub(crate) fn absorb_pending(conn: &Connection, keys: &Keys) -> VaultResult<usize> {
    let mut stmt = conn.prepare("SELECT id, sealed FROM pending_events ORDER BY id")?;
    let rows: Vec<(i64, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (id, sealed) in &rows {
        let event =
            crate::sealed_box::open(&keys.event_secret, &pending_aad(&keys.vault_id), sealed)
                .ok()
                .and_then(|plain| serde_json::from_slice::<PendingEvent>(&plain).ok());
        let (actor, entry, at) = match event {
            Some(e) => {
                let (pc, tag) = pc_of(conn, keys, &e.pc)?;
                let department = match e.user {
                    Some(u) => conn
                        .query_row("SELECT department_id FROM users WHERE id = ?1", [u], |r| {
                            r.get(0)
                        })
                        .optional()?
                        .flatten(),
                    None => None,
                };
                let actor = Actor {
                    user: e.user,
                    department,
                    pc,
                    pc_tag: tag,
                    session: None,
                };
                let outcome = if e.outcome == Outcome::Ok.key() {
                    Outcome::Ok
                } else {
                    Outcome::Denied
                };
                let event = Event {
                    action: action_name(&e.action),
                    target: e.user.map(|u| ("user", u)),
                    outcome,
                    detail: e.detail,
                };
                (actor, event, e.at)
            }
            // Someone wrote into the table without the public key: record that, not the junk.
            None => (
                Actor::default(),
                Event {
                    outcome: Outcome::Error,
                    ..Event::ok("pending_event", None, format!("unreadable id={id}"))
                },
                Utc::now(),
            ),
        };
        let clock = ClockReading {
            now: at,
            session_start: None,
            monotonic: std::time::Duration::ZERO,
        };
        audit::append(conn, &keys.audit, &keys.vault_id, &actor, &entry, &clock)?;
        conn.execute("DELETE FROM pending_events WHERE id = ?1", [id])?;
    }
    Ok(rows.len())
}

/// The registered PC with this identity, or its keyed hash if it is not registered.
pub(crate) fn pc_of(
    conn: &Connection,
    keys: &Keys,
    canonical: &str,
) -> VaultResult<(Option<i64>, Option<Vec<u8>>)> {
    let tag = keys.pc.blind_index("pc", canonical.as_bytes());
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM pcs WHERE identity_tag = ?1",
            [&tag[..]],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match id {
        Some(id) => (Some(id), None),
        None => (None, Some(tag.to_vec())),
    })
}

fn action_name(stored: &str) -> &'static str {
    ["login", "unlock", "lockout", "recovery.password_reset"]
        .into_iter()
        .find(|a| *a == stored)
        .unwrap_or("login")
}

/// Checks `password` for `user`, applying and counting the lock-out. Returns the vault master
/// key. Every failure is staged for the log before it is returned.
pub(crate) fn authenticate(
    conn: &Connection,
    vault_id: &[u8],
    user: i64,
    action: &str,
    password: &[u8],
    pc: &PcIdentity,
    clock: &dyn Clock,
) -> VaultResult<Key> {
    let now = clock.now();
    let policy = Policy::load(conn)?;
    let (disabled, locked_until): (bool, Option<String>) = conn.query_row(
        "SELECT disabled, locked_until FROM users WHERE id = ?1",
        [user],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if let Some(until) = locked_until
        .and_then(|u| u.parse::<DateTime<Utc>>().ok())
        .filter(|u| *u > now)
    {
        stage(
            conn,
            vault_id,
            Staged::denied(Some(user), action, "locked"),
            pc,
            now,
        )?;
        return Err(VaultError::Locked {
            until: japan_time(until),
        });
    }
    // No slot: the user was removed while this attempt was under way.
    let slot = keyslot::find_slot(conn, SlotOwner::User(user))?.ok_or(VaultError::WrongPassword)?;
    let Some(vmk) = keyslot::open_slot(vault_id, &slot, password)? else {
        record_failure(conn, vault_id, user, action, pc, now, &policy)?;
        return Err(VaultError::WrongPassword);
    };
    if disabled {
        stage(
            conn,
            vault_id,
            Staged::denied(Some(user), action, "disabled"),
            pc,
            now,
        )?;
        return Err(VaultError::Disabled);
    }
    Ok(vmk)
}

/// Counts a failed attempt in one transaction, locking the account at the threshold.
fn record_failure(
    conn: &Connection,
    vault_id: &[u8],
    user: i64,
    action: &str,
    pc: &PcIdentity,
    now: DateTime<Utc>,
    policy: &Policy,
) -> VaultResult<()> {
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let failed: i64 = tx.query_row(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1 RETURNING failed_logins",
        [user],
        |r| r.get(0),
    )?;
    stage(
        &tx,
        vault_id,
        Staged::denied(Some(user), action, "wrong_password"),
        pc,
        now,
    )?;
    if failed >= i64::from(policy.lockout_threshold) {
        let until = now + policy.lockout();
        tx.execute(
            "UPDATE users SET locked_until = ?2, failed_logins = 0 WHERE id = ?1",
            params![
                user,
                until.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            ],
        )?;
        stage(
            &tx,
            vault_id,
            Staged::denied(Some(user), "lockout", &format!("after={failed}")),
            pc,
            now,
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Clears the failure count after a successful log-in or unlock.
pub(crate) fn reset_failures(conn: &Connection, user: i64) -> VaultResult<()> {
    conn.execute(
        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
        [user],
    )?;
    Ok(())
}

/// A time as people in Japan read it (JST, no DST): `2026-04-01 10:15`.
pub fn japan_time(t: DateTime<Utc>) -> String {
    let jst =
        FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| unreachable!("+09:00 is a valid offset"));
    t.with_timezone(&jst).format("%Y-%m-%d %H:%M").to_string()
}
