//! Deleting a person, or only their number (PRODUCT.md F10), by crypto-shredding and
//! re-keying; the deletion register (削除・廃棄記録). ADR 0011.
//!
//! One transaction holds, for a deletion:
//!
//! 1. the permission ([`Permission::Delete`]) and scope checks (out of scope is answered like
//!    missing, and logged as `out_of_scope`);
//! 2. the rows: a whole person loses their `persons` row, and with it (cascade) their number,
//!    records, images and last-payment date; an employee's family members go first, the same
//!    way. For the number only, the `numbers` row goes and the person is **re-keyed**: a fresh
//!    person key, their profile, records and last-payment date sealed anew under it, so the old
//!    number ciphertext (wherever a copy of it may linger) cannot be opened by the key that
//!    lives on;
//! 3. the **re-keying of the hierarchy**: a fresh epoch wrapping key, every surviving person key
//!    re-wrapped under it, every older `wrap_keys` row deleted. No key the vault still holds can
//!    open an old copy of a deleted person's key (or an old wrapping key);
//! 4. the audit entries (`person.delete`, `number.delete`, `retention.delete_batch`: internal
//!    IDs, kinds and counts only) and the register rows (internal IDs, the reason sealed under
//!    the meta subkey, the method).
//!
//! After the commit the store is compacted: `PRAGMA wal_checkpoint(TRUNCATE)`, `VACUUM`, and a
//! second checkpoint, so that (with `secure_delete`) no page of the files still holds an old
//! sealed key or wrapping key. If another connection keeps a read open, the checkpoint cannot
//! finish: [`DeletionSummary::compacted`] says so, and the next deletion or a restart finishes
//! the job.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use kinko_domain::people::{PersonId, PersonKind};

use crate::access::Permission;
use crate::audit::{Event, Outcome};
use crate::crypto::{Aad, Key};
use crate::error::{VaultError, VaultResult};
use crate::keys::{Keys, start_epoch};
use crate::people::{key_aad, person_key, read_person, seal_profile, split};
use crate::people_write::Writer;
use crate::session::Session;
use crate::store_util::next_id;

/// How every deletion is done, as the register records it.
pub const DELETION_METHOD: &str = "crypto-shred+rekey+vacuum";

/// The longest reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// What a register row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeletionKind {
    /// A whole employee or payee (or a family member deleted on their own).
    #[serde(rename = "person")]
    Person,
    /// The number only; the person's number-less record is kept.
    #[serde(rename = "number")]
    Number,
    /// A family member deleted with their employee.
    #[serde(rename = "family")]
    Family,
    /// A batch (year-end) deletion: one row for the batch, beside a row per person.
    #[serde(rename = "batch")]
    Batch,
}

impl DeletionKind {
    pub fn key(self) -> &'static str {
        match self {
            DeletionKind::Person => "person",
            DeletionKind::Number => "number",
            DeletionKind::Family => "family",
            DeletionKind::Batch => "batch",
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            DeletionKind::Person => "本人の記録",
            DeletionKind::Number => "個人番号のみ",
            DeletionKind::Family => "家族（社員とともに）",
            DeletionKind::Batch => "一括削除",
        }
    }

    fn parse(s: &str) -> Option<DeletionKind> {
        [
            DeletionKind::Person,
            DeletionKind::Number,
            DeletionKind::Family,
            DeletionKind::Batch,
        ]
        .into_iter()
        .find(|k| k.key() == s)
    }
}

/// One row of the deletion register (削除・廃棄記録). Holds no number and no name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    pub id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who (login name).
    pub user: String,
    /// The person's internal ID (`None` on a batch row).
    pub person: Option<PersonId>,
    pub kind: DeletionKind,
    /// How many people the row covers (1, or the batch's count).
    pub people: usize,
    pub method: String,
    pub reason: String,
    /// The audit entry written with it.
    pub audit_seq: Option<i64>,
}

/// What a deletion did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeletionSummary {
    /// People deleted entirely (family members included).
    pub people: Vec<PersonId>,
    /// People whose number only was deleted (and who were re-keyed).
    pub numbers: Vec<PersonId>,
    /// The register rows written.
    pub register: Vec<i64>,
    /// The key epoch after re-keying.
    pub epoch: i64,
    /// How many surviving person keys were re-wrapped under the new epoch.
    pub rewrapped: usize,
    /// True when the checkpoint and `VACUUM` after the commit both completed.
    pub compacted: bool,
}

/// What deleting a person would delete (for a confirmation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionPreview {
    pub person: PersonId,
    pub kind: PersonKind,
    pub has_number: bool,
    /// An employee's family members, who would go with them.
    pub family: Vec<PersonId>,
}

/// A reason as typed: trimmed, runs of white space made one space, no control characters.
pub(crate) fn normalize_reason(input: &str) -> VaultResult<String> {
    let out = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() {
        return Err(VaultError::ReasonRequired);
    }
    if out.chars().count() > MAX_REASON_CHARS || out.chars().any(char::is_control) {
        return Err(VaultError::ReasonText {
            max: MAX_REASON_CHARS,
        });
    }
    Ok(out)
}

/// Everything in a register row's clear columns is bound into its sealed reason.
fn reason_aad(keys: &Keys, id: i64, row: &RegisterRow<'_>, user: i64, at: &str) -> Aad {
    keys.aad(
        "deletions.sealed_reason",
        id,
        &format!(
            "user={user};at={at};person={};kind={};people={};method={}",
            row.person.map_or(0, |p| p.0),
            row.kind.key(),
            row.people,
            row.method
        ),
    )
}

struct RegisterRow<'a> {
    person: Option<PersonId>,
    kind: DeletionKind,
    people: usize,
    method: &'a str,
}

pub(crate) fn payment_aad(keys: &Keys, id: i64) -> Aad {
    keys.aad("payee_payments.sealed", id, "")
}

/// One deletion transaction in the making: what was deleted, to be logged and registered
/// once the hierarchy is re-keyed.
#[derive(Default)]
pub(crate) struct Shredder {
    /// (person, kind, audit action, detail) in the order done.
    done: Vec<(PersonId, DeletionKind, &'static str, String)>,
}

impl Shredder {
    /// Deletes a whole person (an employee's family first). `kind` is how the register names
    /// the person themself.
    pub(crate) fn delete_person(&mut self, w: &Writer<'_>, id: PersonId) -> VaultResult<()> {
        let row: Option<(String, Option<i64>)> = w
            .tx()
            .query_row(
                "SELECT kind, employee_id FROM persons WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (kind, employee) = row.ok_or(VaultError::UnknownPerson(id.0))?;
        let kind = PersonKind::parse(&kind).ok_or(VaultError::Tampered {
            place: "persons.kind",
        })?;
        let family: Vec<i64> = {
            let mut stmt = w
                .tx()
                .prepare("SELECT id FROM persons WHERE employee_id = ?1 ORDER BY id")?;
            stmt.query_map([id.0], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for f in &family {
            w.tx().execute("DELETE FROM persons WHERE id = ?1", [f])?;
            self.done.push((
                PersonId(*f),
                DeletionKind::Family,
                "person.delete",
                format!("kind=family employee={}", id.0),
            ));
        }
        w.tx()
            .execute("DELETE FROM persons WHERE id = ?1", [id.0])?;
        let detail = match employee {
            Some(e) => format!("kind={} employee={e}", kind.key()),
            None => format!("kind={} family={}", kind.key(), family.len()),
        };
        self.done
            .push((id, DeletionKind::Person, "person.delete", detail));
        Ok(())
    }

    /// Deletes a person's number and re-keys the person (a fresh person key; the profile,
    /// records and last-payment date sealed anew under it).
    pub(crate) fn delete_number(&mut self, w: &Writer<'_>, id: PersonId) -> VaultResult<()> {
        let keys = w.keys();
        let tx = w.tx();
        let (kind, old) = person_key(tx, keys, id)?;
        let removed = tx.execute("DELETE FROM numbers WHERE person_id = ?1", [id.0])?;
        if removed == 0 {
            return Err(VaultError::NoNumber(id.0));
        }
        let fresh = Key::random()?;
        // The profile (its associated data binds the clear columns, which do not change).
        let person = read_person(tx, keys, id, kind, &old)?;
        let (plain, profile) = split(&person);
        let sealed_profile = seal_profile(keys, &fresh, id.0, &plain, &profile)?;
        tx.execute(
            "UPDATE persons SET sealed_profile = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.0, sealed_profile, w.now()],
        )?;
        // Records and images.
        let records: Vec<(i64, String, Vec<u8>)> = {
            let mut stmt =
                tx.prepare("SELECT id, kind, sealed FROM person_records WHERE person_id = ?1")?;
            stmt.query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?
        };
        for (rid, rkind, sealed) in records {
            let rkind = crate::people::static_kind(&rkind)?;
            let aad = crate::records::record_aad(keys, rid, id, rkind);
            let plain = old.open(&aad, &sealed)?;
            let resealed = fresh.seal(&aad, &plain)?;
            tx.execute(
                "UPDATE person_records SET sealed = ?2 WHERE id = ?1",
                params![rid, resealed],
            )?;
        }
        // A payee's last-payment date.
        let payment: Option<Vec<u8>> = tx
            .query_row(
                "SELECT sealed FROM payee_payments WHERE person_id = ?1",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sealed) = payment {
            let aad = payment_aad(keys, id.0);
            let plain = old.open(&aad, &sealed)?;
            tx.execute(
                "UPDATE payee_payments SET sealed = ?2 WHERE person_id = ?1",
                params![id.0, fresh.seal(&aad, &plain)?],
            )?;
        }
        // The fresh key replaces the old one now (wrapped under the current epoch, re-wrapped
        // by the re-key below), so later steps of this transaction read the person with it.
        let (epoch, wk) = keys.current_wrap(tx)?;
        tx.execute(
            "UPDATE persons SET key_epoch = ?2, sealed_key = ?3 WHERE id = ?1",
            params![
                id.0,
                epoch,
                wk.seal(&key_aad(keys, id.0, epoch), fresh.expose())?
            ],
        )?;
        self.done.push((
            id,
            DeletionKind::Number,
            "number.delete",
            format!("kind={}", kind.key()),
        ));
        Ok(())
    }

    /// Re-keys the hierarchy, then logs and registers everything done. Returns the summary
    /// and the new epoch's key (for the session).
    pub(crate) fn finish(
        self,
        w: &mut Writer<'_>,
        reason: &str,
        batch: Option<NaiveDate>,
    ) -> VaultResult<(DeletionSummary, Key)> {
        let (epoch, wk, rewrapped) = rekey(w)?;
        let mut summary = DeletionSummary {
            epoch,
            rewrapped,
            ..DeletionSummary::default()
        };
        let user = w.user().0;
        let at = w.now().to_owned();
        for (person, kind, action, detail) in self.done {
            let rid = next_id(w.tx(), "deletions")?;
            let detail = format!("{detail} register={rid} epoch={epoch}");
            let seq = w.log_seq(action, Some(("person", person.0)), detail)?;
            let row = RegisterRow {
                person: Some(person),
                kind,
                people: 1,
                method: DELETION_METHOD,
            };
            insert_register(w, rid, &row, user, &at, reason, seq)?;
            summary.register.push(rid);
            match kind {
                DeletionKind::Number => summary.numbers.push(person),
                _ => summary.people.push(person),
            }
        }
        if let Some(on) = batch {
            let count = summary.people.len() + summary.numbers.len();
            let rid = next_id(w.tx(), "deletions")?;
            let detail = format!(
                "on={on} people={} numbers={} register={rid} epoch={epoch}",
                summary.people.len(),
                summary.numbers.len()
            );
            let seq = w.log_seq("retention.delete_batch", None, detail)?;
            let row = RegisterRow {
                person: None,
                kind: DeletionKind::Batch,
                people: count,
                method: DELETION_METHOD,
            };
            insert_register(w, rid, &row, user, &at, reason, seq)?;
            summary.register.push(rid);
        }
        Ok((summary, wk))
    }
}

fn insert_register(
    w: &Writer<'_>,
    id: i64,
    row: &RegisterRow<'_>,
    user: i64,
    at: &str,
    reason: &str,
    seq: i64,
) -> VaultResult<()> {
    let keys = w.keys();
    let sealed = keys
        .meta
        .seal(&reason_aad(keys, id, row, user, at), reason.as_bytes())?;
    w.tx().execute(
        "INSERT INTO deletions (id, at, user_id, person_id, kind, people, method,
             sealed_reason, audit_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            at,
            user,
            row.person.map(|p| p.0),
            row.kind.key(),
            row.people as i64,
            row.method,
            sealed,
            seq
        ],
    )?;
    Ok(())
}

/// A fresh epoch wrapping key; every surviving person key re-wrapped under it; every older
/// wrapping key deleted.
fn rekey(w: &Writer<'_>) -> VaultResult<(i64, Key, usize)> {
    let keys = w.keys();
    let tx = w.tx();
    let (epoch, wk) = start_epoch(tx, keys, w.now())?;
    let mut old_keys: std::collections::HashMap<i64, Key> = std::collections::HashMap::new();
    let rows: Vec<(i64, i64, Vec<u8>)> = {
        let mut stmt = tx.prepare("SELECT id, key_epoch, sealed_key FROM persons ORDER BY id")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut update =
        tx.prepare_cached("UPDATE persons SET key_epoch = ?2, sealed_key = ?3 WHERE id = ?1")?;
    for (id, old_epoch, sealed) in &rows {
        let owk = match old_keys.entry(*old_epoch) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(keys.epoch_key(tx, *old_epoch)?)
            }
        };
        let pkey = owk.open_key(&key_aad(keys, *id, *old_epoch), sealed)?;
        let resealed = wk.seal(&key_aad(keys, *id, epoch), pkey.expose())?;
        update.execute(params![id, epoch, resealed])?;
    }
    drop(update);
    tx.execute("DELETE FROM wrap_keys WHERE epoch <> ?1", [epoch])?;
    Ok((epoch, wk, rows.len()))
}

impl Session {
    /// Deletes a person entirely: profile, number, records, images and (for an employee) their
    /// family members; then re-keys the hierarchy and compacts the store (module docs).
    ///
    /// # Errors
    ///
    /// [`VaultError::Denied`] without the delete permission; [`VaultError::UnknownPerson`] for
    /// a missing or out-of-scope person; [`VaultError::ReasonRequired`] /
    /// [`VaultError::ReasonText`] for a bad reason.
    pub fn delete_person(&mut self, id: PersonId, reason: &str) -> VaultResult<DeletionSummary> {
        let done = self.write(|w| {
            w.begin(Permission::Delete, "person.delete", Some(("person", id.0)))?;
            let reason = normalize_reason(reason)?;
            w.require_in_scope(id)?;
            let mut s = Shredder::default();
            s.delete_person(w, id)?;
            s.finish(w, &reason, None)
        });
        self.after_deletion(done)
    }

    /// Deletes a person's number only, keeping their number-less record; the person is
    /// re-keyed, then the hierarchy (module docs).
    ///
    /// # Errors
    ///
    /// As [`Session::delete_person`], and [`VaultError::NoNumber`] when there is no number.
    pub fn delete_number(&mut self, id: PersonId, reason: &str) -> VaultResult<DeletionSummary> {
        let done = self.write(|w| {
            w.begin(Permission::Delete, "number.delete", Some(("person", id.0)))?;
            let reason = normalize_reason(reason)?;
            w.require_in_scope(id)?;
            let mut s = Shredder::default();
            s.delete_number(w, id)?;
            s.finish(w, &reason, None)
        });
        self.after_deletion(done)
    }

    /// What [`Session::delete_person`] would delete, for a confirmation. Needs the delete
    /// permission and the person in scope; logged as `deletion.preview`.
    pub fn deletion_preview(&mut self, id: PersonId) -> VaultResult<DeletionPreview> {
        self.person_op(Permission::Delete, "deletion.preview", id)?;
        let kind: String =
            self.conn
                .query_row("SELECT kind FROM persons WHERE id = ?1", [id.0], |r| {
                    r.get(0)
                })?;
        let kind = PersonKind::parse(&kind).ok_or(VaultError::Tampered {
            place: "persons.kind",
        })?;
        let has_number: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM numbers WHERE person_id = ?1)",
            [id.0],
            |r| r.get(0),
        )?;
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM persons WHERE employee_id = ?1 ORDER BY id")?;
        let family = stmt
            .query_map([id.0], |r| Ok(PersonId(r.get(0)?)))?
            .collect::<Result<_, _>>()?;
        Ok(DeletionPreview {
            person: id,
            kind,
            has_number,
            family,
        })
    }

    /// The deletion register, oldest first (needs the delete or the audit permission; logged
    /// as `deletion.list`).
    pub fn deletions(&mut self) -> VaultResult<Vec<Deletion>> {
        self.ready()?;
        let allowed =
            self.access().allows(Permission::Delete) || self.access().allows(Permission::ReadAudit);
        if !allowed {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok("deletion.list", None, Permission::ReadAudit.key())
            })?;
            return Err(VaultError::Denied);
        }
        let keys = self.keys()?;
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.at, d.user_id, u.login, d.person_id, d.kind, d.people, d.method,
                    d.sealed_reason, d.audit_seq
             FROM deletions d JOIN users u ON u.id = d.user_id ORDER BY d.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Vec<u8>>(8)?,
                r.get::<_, Option<i64>>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, at, user_id, login, person, kind, people, method, sealed, seq) = row?;
            let bad = |place| VaultError::Tampered { place };
            let kind = DeletionKind::parse(&kind).ok_or(bad("deletions.kind"))?;
            let people = usize::try_from(people).map_err(|_| bad("deletions.people"))?;
            let person = person.map(PersonId);
            let reg = RegisterRow {
                person,
                kind,
                people,
                method: &method,
            };
            let plain = keys
                .meta
                .open(&reason_aad(keys, id, &reg, user_id, &at), &sealed)?;
            let reason =
                String::from_utf8(plain.to_vec()).map_err(|_| bad("deletions.sealed_reason"))?;
            out.push(Deletion {
                id,
                at,
                user: login,
                person,
                kind,
                people,
                method,
                reason,
                audit_seq: seq,
            });
        }
        drop(stmt);
        self.log(Event::ok(
            "deletion.list",
            None,
            format!("results={}", out.len()),
        ))?;
        self.touch();
        Ok(out)
    }

    /// Records a payee's last payment date (or clears it), for the payee retention rule.
    /// Sealed under the payee's key; needs the update permission; logged as
    /// `payee.last_payment`.
    pub fn set_last_payment(&mut self, id: PersonId, on: Option<NaiveDate>) -> VaultResult<()> {
        self.write(|w| {
            w.begin(
                Permission::Update,
                "payee.last_payment",
                Some(("person", id.0)),
            )?;
            w.require_in_scope(id)?;
            let (kind, pkey) = person_key(w.tx(), w.keys(), id)?;
            if kind != PersonKind::Payee {
                return Err(VaultError::NotAPayee(id.0));
            }
            match on {
                Some(date) => {
                    let plain = Zeroizing::new(date.to_string().into_bytes());
                    let sealed = pkey.seal(&payment_aad(w.keys(), id.0), &plain)?;
                    w.tx().execute(
                        "INSERT INTO payee_payments (person_id, sealed, updated_at)
                         VALUES (?1, ?2, ?3)
                         ON CONFLICT (person_id) DO UPDATE SET sealed = excluded.sealed,
                             updated_at = excluded.updated_at",
                        params![id.0, sealed, w.now()],
                    )?;
                }
                None => {
                    w.tx()
                        .execute("DELETE FROM payee_payments WHERE person_id = ?1", [id.0])?;
                }
            }
            let detail = format!("set={}", if on.is_some() { "yes" } else { "no" });
            w.log("payee.last_payment", Some(("person", id.0)), detail)
        })
    }

    /// After a committed deletion: the session moves to the new epoch, then the store is
    /// compacted.
    pub(crate) fn after_deletion(
        &mut self,
        done: VaultResult<(DeletionSummary, Key)>,
    ) -> VaultResult<DeletionSummary> {
        let (mut summary, wk) = done?;
        self.rekeyed(summary.epoch, wk);
        summary.compacted = self.compact()?;
        Ok(summary)
    }

    /// Rewrites the files so freed and superseded pages no longer hold old ciphertext: a
    /// truncating checkpoint (the WAL's old frames), `VACUUM` (the database rebuilt, free
    /// pages gone), and a second truncating checkpoint (the WAL `VACUUM` wrote). Returns
    /// whether every step completed.
    fn compact(&self) -> VaultResult<bool> {
        let checkpoint = |conn: &rusqlite::Connection| -> VaultResult<bool> {
            let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            Ok(busy == 0)
        };
        let first = checkpoint(&self.conn)?;
        let vacuumed = self.conn.execute_batch("VACUUM").is_ok();
        let second = checkpoint(&self.conn)?;
        Ok(first && vacuumed && second)
    }

    /// Whether `sealed`, a person key as stored in `persons.sealed_key` for `person` under
    /// `epoch` at some earlier time, can be opened by any wrapping key this vault still holds
    /// (under its own epoch's associated data or the old one). After a deletion and re-key it
    /// must be `false` for every old copy. Returns no key material. For tests and audits of
    /// the crypto-shredding (ADR 0011).
    #[doc(hidden)]
    pub fn stored_keys_open_person_key(
        &mut self,
        person: PersonId,
        epoch: i64,
        sealed: &[u8],
    ) -> VaultResult<bool> {
        self.ready()?;
        let keys = self.keys()?;
        let mut stmt = self.conn.prepare("SELECT epoch FROM wrap_keys")?;
        let epochs: Vec<i64> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for e in epochs {
            let wk = keys.epoch_key(&self.conn, e)?;
            for aad_epoch in [e, epoch] {
                if wk
                    .open_key(&key_aad(keys, person.0, aad_epoch), sealed)
                    .is_ok()
                {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Whether `sealed`, a number ciphertext as stored in `numbers.sealed` for `person` at some
    /// earlier time, opens with the person's current key. After the number is deleted it must
    /// be `false`. Returns no plaintext. For tests and audits (ADR 0011).
    #[doc(hidden)]
    pub fn current_key_opens_number(
        &mut self,
        person: PersonId,
        sealed: &[u8],
    ) -> VaultResult<bool> {
        self.ready()?;
        let keys = self.keys()?;
        let (_, pkey) = person_key(&self.conn, keys, person)?;
        Ok(pkey
            .open(&crate::people::number_aad(keys, person.0), sealed)
            .is_ok())
    }
}

#[cfg(test)]
#[path = "deletion_tests.rs"]
mod tests;
