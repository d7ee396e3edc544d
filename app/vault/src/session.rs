//! A logged-in user's session: the only place where keys and plaintext personal data exist,
//! and the gate every operation passes: auto-lock, forced password change, permission, scope,
//! and the audit entry written in the same transaction as the change.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use kinko_domain::people::UserId;

use crate::access::{Access, Permission};
use crate::audit::{self, Actor, ClockReading, Event, Outcome};
use crate::clock::Clock;
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::keyslot::{self, SlotOwner};
use crate::people_read::PeopleIndex;
use crate::people_write::Writer;
use crate::policy::check_password;
use crate::settings::Policy;

/// Who is logged in, from where, since when.
pub(crate) struct Identity {
    pub user: i64,
    pub login: String,
    pub actor: Actor,
    pub pc_name: Option<String>,
    pub pc: crate::pc::PcIdentity,
    pub started: (DateTime<Utc>, Duration),
}

pub struct Session {
    pub(crate) conn: Connection,
    keys: Option<Keys>,
    vault_id: Vec<u8>,
    id: Identity,
    access: Access,
    clock: Arc<dyn Clock>,
    policy: Policy,
    last_activity: Duration,
    must_change_password: bool,
    index: Option<PeopleIndex>,
    ended: bool,
}

impl Drop for Session {
    /// A session dropped without `logout` (a command that finished, a front that closed) still
    /// records its end, so the sessions report shows from when to when. Best effort: a failure
    /// here has nowhere to go.
    fn drop(&mut self) {
        let _ = self.finish("closed");
    }
}

/// Why a session stops being usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// The user asked.
    Manual,
    /// Idle longer than the policy allows.
    Idle,
}

impl Session {
    pub(crate) fn new(
        conn: Connection,
        keys: Keys,
        id: Identity,
        access: Access,
        clock: Arc<dyn Clock>,
        policy: Policy,
        must_change_password: bool,
    ) -> Session {
        let vault_id = keys.vault_id.clone();
        let last_activity = clock.monotonic();
        Session {
            conn,
            keys: Some(keys),
            vault_id,
            id,
            access,
            clock,
            policy,
            last_activity,
            must_change_password,
            index: None,
            ended: false,
        }
    }

    pub fn user(&self) -> UserId {
        UserId(self.id.user)
    }

    pub fn login(&self) -> &str {
        &self.id.login
    }

    /// The internal ID of this session (as in the sessions report).
    pub fn id(&self) -> i64 {
        self.id.actor.session.unwrap_or_default()
    }

    /// The registered name of this PC, or `None` for an unregistered one (未登録のPC).
    pub fn pc_name(&self) -> Option<&str> {
        self.id.pc_name.as_deref()
    }

    /// What this user may do.
    pub fn access(&self) -> &Access {
        &self.access
    }

    /// True until the user has replaced an initial or reset password.
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    /// True while the screen is locked (manually or after idling).
    pub fn is_locked(&self) -> bool {
        self.keys.is_none()
    }

    /// How long until the session locks itself if nothing happens; zero if it is due.
    pub fn idle_remaining(&self) -> Duration {
        self.policy
            .idle_limit()
            .saturating_sub(self.clock.monotonic().saturating_sub(self.last_activity))
    }

    /// Locks the session if it has been idle too long. The kiosk calls this from a timer; every
    /// operation calls it first. Returns true if the session is (now) locked.
    pub fn check_idle(&mut self) -> VaultResult<bool> {
        if self.keys.is_some() && self.idle_remaining().is_zero() {
            self.lock(LockReason::Idle)?;
        }
        Ok(self.is_locked())
    }

    /// Locks the session: the keys and the decrypted index are wiped from memory until
    /// [`Session::unlock`].
    pub fn lock(&mut self, reason: LockReason) -> VaultResult<()> {
        if self.keys.is_none() {
            return Ok(());
        }
        let action = match reason {
            LockReason::Manual => "lock",
            LockReason::Idle => "auto_lock",
        };
        self.log(Event::ok(action, None, String::new()))?;
        self.keys = None;
        self.index = None;
        Ok(())
    }

    /// Unlocks a locked session with the user's password. A wrong password counts towards the
    /// lock-out like a failed log-in.
    pub fn unlock(&mut self, password: &[u8]) -> VaultResult<()> {
        if self.keys.is_some() {
            return Ok(());
        }
        let vmk = crate::auth::authenticate(
            &self.conn,
            &self.vault_id,
            self.id.user,
            "unlock",
            password,
            &self.id.pc,
            self.clock.as_ref(),
        )?;
        let keys = Keys::unlock(&self.conn, self.vault_id.clone(), vmk)?;
        self.keys = Some(keys);
        self.last_activity = self.clock.monotonic();
        // Failed attempts made while locked were sealed for later: move them in now.
        let tx = self.immediate()?;
        crate::auth::reset_failures(&tx, self.id.user)?;
        crate::auth::absorb_pending(&tx, self.keys()?)?;
        self.append(&tx, &Event::ok("unlock", None, String::new()))?;
        tx.commit()?;
        Ok(())
    }

    /// Ends the session: recorded in the log and the sessions table.
    pub fn logout(mut self) -> VaultResult<()> {
        self.finish("logout")
    }

    /// Records the end of the session once: a "logout" entry (with `reason` as detail when the
    /// session was not ended by the user) and the end time in the sessions table. A locked
    /// session has no keys to write a log entry with; its end shows in the sessions report.
    fn finish(&mut self, reason: &str) -> VaultResult<()> {
        if self.ended {
            return Ok(());
        }
        self.ended = true;
        if self.keys.is_none() {
            return self.end_session_row(&format!("{reason}_while_locked"));
        }
        let detail = if reason == "logout" { "" } else { reason };
        let tx = self.immediate()?;
        self.append(&tx, &Event::ok("logout", None, detail))?;
        end_session(&tx, self.id(), &self.now_text(), reason)?;
        tx.commit()?;
        Ok(())
    }

    /// Changes this user's password. The current one is asked again, so an unattended
    /// session cannot be used to take the account over.
    pub fn change_password(&mut self, current: &[u8], new: &[u8]) -> VaultResult<()> {
        self.check_idle()?;
        let keys = self.keys()?;
        check_password(&self.id.login, &String::from_utf8_lossy(new))?;
        let owner = SlotOwner::User(self.id.user);
        let slot = keyslot::find_slot(&self.conn, owner)?.ok_or(VaultError::Corrupt(
            "ユーザーの鍵スロットがありません".into(),
        ))?;
        if keyslot::open_slot(&keys.vault_id, &slot, current)?.is_none() {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok("password_change", None, "wrong_password")
            })?;
            return Err(VaultError::WrongPassword);
        }
        let tx = self.immediate()?;
        keyslot::write_slot(
            &tx,
            &keys.vault_id,
            owner,
            new,
            slot.params,
            &keys.vmk,
            &self.now_text(),
        )?;
        tx.execute(
            "UPDATE users SET must_change_password = 0 WHERE id = ?1",
            [self.id.user],
        )?;
        self.append(
            &tx,
            &Event::ok(
                "password_change",
                Some(("user", self.id.user)),
                String::new(),
            ),
        )?;
        tx.commit()?;
        self.must_change_password = false;
        self.touch();
        Ok(())
    }

    /// Runs `f` as one transaction: every change it makes, and the audit entries for them, are
    /// committed together, or none is. A failure is logged (denied or error) after the rollback.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&mut Writer<'_>) -> VaultResult<T>,
    ) -> VaultResult<T> {
        self.ready()?;
        let tx = self.immediate()?;
        let keys = self.keys()?;
        let clock = self.clock_reading();
        let mut writer = Writer::new(&tx, keys, &self.id.actor, &self.access, clock);
        let result = f(&mut writer);
        let failed_action = writer.current_action();
        let touched = writer.take_touched();
        let out_of_scope = writer.was_out_of_scope();
        drop(writer);
        match result {
            Ok(out) => {
                tx.commit()?;
                self.after_own_write(&touched)?;
                self.touch();
                Ok(out)
            }
            Err(e) => {
                drop(tx);
                match failed_action {
                    Some((action, target))
                        if out_of_scope && matches!(e, VaultError::UnknownPerson(_)) =>
                    {
                        let event = Event::ok(action, target, "out_of_scope");
                        self.log(Event {
                            outcome: Outcome::Denied,
                            ..event
                        })?;
                    }
                    Some((action, target)) => self.log_failure(action, target, &e)?,
                    None => {}
                }
                Err(e)
            }
        }
    }

    /// A read-only operation: checks the gate and records the entry (ok or denied).
    pub(crate) fn read_op(
        &mut self,
        perm: Permission,
        action: &'static str,
        target: Option<(&'static str, i64)>,
    ) -> VaultResult<()> {
        self.ready()?;
        if !self.access.allows(perm) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok(action, target, perm.key())
            })?;
            return Err(VaultError::Denied);
        }
        self.log(Event::ok(action, target, String::new()))?;
        self.touch();
        Ok(())
    }

    /// An administrative change: checks `perm`, runs `f` in a transaction that also records the
    /// entry; `f` returns the target's ID and a short detail.
    pub(crate) fn admin_write(
        &mut self,
        perm: Permission,
        action: &'static str,
        f: impl FnOnce(&Session, &Transaction<'_>) -> VaultResult<(i64, String)>,
    ) -> VaultResult<i64> {
        self.ready()?;
        let kind = action.split('.').next().unwrap_or(action);
        let kind: &'static str = match kind {
            "user" => "user",
            "pc" => "pc",
            "group" => "group",
            "department" => "department",
            _ => "settings",
        };
        if !self.access.allows(perm) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok(action, None, perm.key())
            })?;
            return Err(VaultError::Denied);
        }
        let tx = self.immediate()?;
        match f(self, &tx) {
            Ok((id, detail)) => {
                self.append(&tx, &Event::ok(action, Some((kind, id)), detail))?;
                tx.commit()?;
                self.touch();
                Ok(id)
            }
            Err(e) => {
                drop(tx);
                self.log_failure(action, None, &e)?;
                Err(e)
            }
        }
    }

    /// Records `event` in its own transaction.
    pub(crate) fn log(&self, event: Event) -> VaultResult<()> {
        let tx = self.immediate()?;
        self.append(&tx, &event)?;
        tx.commit()?;
        Ok(())
    }

    fn log_failure(
        &self,
        action: &'static str,
        target: Option<(&'static str, i64)>,
        e: &VaultError,
    ) -> VaultResult<()> {
        let outcome = match e {
            VaultError::Denied | VaultError::UnknownPerson(_) => Outcome::Denied,
            _ => Outcome::Error,
        };
        self.log(Event {
            action,
            target,
            outcome,
            detail: e.key().to_owned(),
        })
    }

    pub(crate) fn append(&self, conn: &Connection, event: &Event) -> VaultResult<i64> {
        let keys = self.keys()?;
        audit::append(
            conn,
            &keys.audit,
            &keys.vault_id,
            &self.id.actor,
            event,
            &self.clock_reading(),
        )
    }

    /// Checks the session may act at all: not locked (or idle), password changed.
    pub(crate) fn vault_id(&self) -> &[u8] {
        &self.vault_id
    }

    pub(crate) fn ready(&mut self) -> VaultResult<()> {
        if self.check_idle()? {
            return Err(VaultError::SessionLocked);
        }
        if self.must_change_password {
            return Err(VaultError::PasswordChangeRequired);
        }
        Ok(())
    }

    pub(crate) fn keys(&self) -> VaultResult<&Keys> {
        self.keys.as_ref().ok_or(VaultError::SessionLocked)
    }

    pub(crate) fn immediate(&self) -> VaultResult<Transaction<'_>> {
        Ok(Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        )?)
    }

    pub(crate) fn clock_reading(&self) -> ClockReading {
        ClockReading {
            now: self.clock.now(),
            session_start: Some(self.id.started),
            monotonic: self.clock.monotonic(),
        }
    }

    pub(crate) fn now_text(&self) -> String {
        self.clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    /// This PC's identity, as read at log-in.
    pub(crate) fn this_pc(&self) -> &crate::pc::PcIdentity {
        &self.id.pc
    }

    /// This PC was registered during the session: its entries from now on name it.
    pub(crate) fn now_on_registered_pc(&mut self, id: i64, name: String) {
        self.id.actor.pc = Some(id);
        self.id.pc_name = Some(name);
    }

    pub(crate) fn touch(&mut self) {
        self.last_activity = self.clock.monotonic();
    }

    pub(crate) fn refresh_access(&mut self) -> VaultResult<()> {
        let keys = self.keys()?;
        self.access =
            crate::users::load_access(&self.conn, &keys.meta, &keys.vault_id, self.id.user)?;
        self.index = None;
        Ok(())
    }

    /// After this session re-keyed (deletion.rs): its keys move to the new epoch (the old
    /// wrapping key is zeroized) and the index is rebuilt at the next read.
    pub(crate) fn rekeyed(&mut self, epoch: i64, key: crate::crypto::Key) {
        if let Some(keys) = self.keys.as_mut() {
            keys.set_epoch(epoch, key);
        }
        self.index = None;
    }

    pub(crate) fn set_policy_cache(&mut self, policy: Policy) {
        self.policy = policy;
    }

    /// Updates the index for what this session itself committed (a large batch is cheaper to
    /// reload in full at the next read).
    fn after_own_write(&mut self, touched: &[i64]) -> VaultResult<()> {
        const REFRESH_LIMIT: usize = 1000;
        match (&mut self.index, &self.keys) {
            (Some(index), Some(keys)) if touched.len() <= REFRESH_LIMIT => {
                index.refresh(&self.conn, keys, &self.access.scope, touched)
            }
            _ => {
                self.index = None;
                Ok(())
            }
        }
    }

    /// The decrypted index of people, rebuilt if anything changed since it was built.
    pub(crate) fn index(&mut self) -> VaultResult<&PeopleIndex> {
        let version = data_version(&self.conn)?;
        let stale = self
            .index
            .as_ref()
            .is_none_or(|i| i.data_version != version);
        if stale {
            let keys = self.keys()?;
            self.index = Some(PeopleIndex::load(
                &self.conn,
                keys,
                version,
                &self.access.scope,
            )?);
        }
        Ok(self.index.get_or_insert_with(PeopleIndex::empty))
    }

    fn end_session_row(&self, reason: &str) -> VaultResult<()> {
        end_session(&self.conn, self.id(), &self.now_text(), reason)
    }
}

fn end_session(conn: &Connection, id: i64, now: &str, reason: &str) -> VaultResult<()> {
    conn.execute(
        "UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE id = ?1 AND ended_at IS NULL",
        params![id, now, reason],
    )?;
    Ok(())
}

/// Changes whenever another connection commits (SQLite's `data_version`).
fn data_version(conn: &Connection) -> VaultResult<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}
