//! A logged-in user's session: the only place where keys and plaintext personal data exist.
//!
//! Reads go through `&mut self` because the session keeps a decrypted in-memory index of the
//! people (for a list and search that stay fast with 30,000 people), refreshed when this
//! session writes or another connection commits.

use rusqlite::{Connection, TransactionBehavior};

use kinko_domain::people::UserId;

use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::keyslot::{self, SlotOwner};
use crate::people::{PeopleIndex, Writer};
use crate::store_util::now_utc;

pub struct Session {
    pub(crate) conn: Connection,
    pub(crate) keys: Keys,
    user: UserId,
    login: String,
    index: Option<PeopleIndex>,
}

impl Session {
    pub(crate) fn new(conn: Connection, keys: Keys, user_id: i64, login: String) -> Session {
        Session {
            conn,
            keys,
            user: UserId(user_id),
            login,
            index: None,
        }
    }

    pub fn user(&self) -> UserId {
        self.user
    }

    pub fn login(&self) -> &str {
        &self.login
    }

    /// Runs `f` as one transaction: every change it makes is committed together, or none is.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&mut Writer<'_>) -> VaultResult<T>,
    ) -> VaultResult<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut writer = Writer::new(&tx, &self.keys, self.user);
        let out = f(&mut writer)?;
        tx.commit()?;
        self.index = None;
        Ok(out)
    }

    /// Changes this user's password. The current one is asked again, so an unattended
    /// session cannot be used to take the account over.
    pub fn change_password(&mut self, current: &[u8], new: &[u8]) -> VaultResult<()> {
        if new.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let owner = SlotOwner::User(self.user.0);
        let slot = keyslot::find_slot(&self.conn, owner)?.ok_or(VaultError::Corrupt(
            "ユーザーの鍵スロットがありません".into(),
        ))?;
        if keyslot::open_slot(&self.keys.vault_id, &slot, current)?.is_none() {
            return Err(VaultError::WrongPassword);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_utc();
        keyslot::write_slot(
            &tx,
            &self.keys.vault_id,
            owner,
            new,
            slot.params,
            &self.keys.vmk,
            &now,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The decrypted index of people, rebuilt if anything changed since it was built.
    pub(crate) fn index(&mut self) -> VaultResult<&PeopleIndex> {
        let version = data_version(&self.conn)?;
        let stale = self
            .index
            .as_ref()
            .is_none_or(|i| i.data_version != version);
        if stale {
            self.index = Some(PeopleIndex::load(&self.conn, &self.keys, version)?);
        }
        Ok(self.index.get_or_insert_with(PeopleIndex::empty))
    }
}

/// Changes whenever another connection commits (SQLite's `data_version`).
fn data_version(conn: &Connection) -> VaultResult<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}
