//! The key hierarchy of an unlocked vault.
//!
//! ```text
//! password ─Argon2id─▶ KEK ─opens─▶ VMK (vault master key, random)
//! recovery code ─Argon2id─▶ KEK ─opens─▶ VMK
//! VMK ─HKDF─▶ wrap subkey ─opens─▶ epoch wrapping key WK_e (random) ─opens─▶ person key (random)
//! VMK ─HKDF─▶ number-index and code-index subkeys (HMAC blind indexes)
//! ```

use rusqlite::{Connection, OptionalExtension, params};

use crate::crypto::{Aad, Key};
use crate::error::{VaultError, VaultResult};

const LABEL_WRAP: &str = "kinko/v1/wrap-keys";
const LABEL_NUMBER_INDEX: &str = "kinko/v1/index/number";
const LABEL_CODE_INDEX: &str = "kinko/v1/index/code";
const LABEL_AUDIT: &str = "kinko/v1/audit";
const LABEL_META: &str = "kinko/v1/meta";
const LABEL_PC: &str = "kinko/v1/pc";

/// Everything a session needs to read and write sealed data. Zeroized on drop.
pub(crate) struct Keys {
    pub vault_id: Vec<u8>,
    pub vmk: Key,
    pub wrap: Key,
    pub number_index: Key,
    pub code_index: Key,
    /// MACs the audit log chain.
    pub audit: Key,
    /// Seals vault-level data that is not about one person (scopes, the event key).
    pub meta: Key,
    /// Keyed hashes of PC identities.
    pub pc: Key,
    /// The secret half of the key pre-unlock events are sealed to.
    pub event_secret: Key,
    pub epoch: i64,
    pub epoch_key: Key,
}

impl Keys {
    /// Derives the subkeys and opens the current wrapping key.
    pub fn unlock(conn: &Connection, vault_id: Vec<u8>, vmk: Key) -> VaultResult<Keys> {
        let wrap = vmk.derive(&vault_id, LABEL_WRAP);
        let epoch = current_epoch(conn)?;
        let sealed: Vec<u8> = conn.query_row(
            "SELECT sealed FROM wrap_keys WHERE epoch = ?1",
            [epoch],
            |r| r.get(0),
        )?;
        let epoch_key = wrap.open_key(&wrap_key_aad(&vault_id, epoch), &sealed)?;
        let meta = vmk.derive(&vault_id, LABEL_META);
        let sealed_event: Vec<u8> = conn.query_row(
            "SELECT value FROM meta WHERE key = 'event_secret'",
            [],
            |r| r.get(0),
        )?;
        let event_secret = meta.open_key(&event_secret_aad(&vault_id), &sealed_event)?;
        Ok(Keys {
            number_index: vmk.derive(&vault_id, LABEL_NUMBER_INDEX),
            code_index: vmk.derive(&vault_id, LABEL_CODE_INDEX),
            audit: vmk.derive(&vault_id, LABEL_AUDIT),
            pc: vmk.derive(&vault_id, LABEL_PC),
            meta,
            event_secret,
            wrap,
            vmk,
            vault_id,
            epoch,
            epoch_key,
        })
    }

    /// The keyed hash a PC is known by.
    pub fn pc_tag(&self, pc: &crate::pc::PcIdentity) -> [u8; crate::crypto::INDEX_LEN] {
        self.pc.blind_index("pc", pc.canonical())
    }

    pub fn aad(&self, place: &'static str, row: i64, extra: &str) -> Aad {
        Aad::new(&self.vault_id, place, row, extra)
    }

    /// The current epoch and its wrapping key, as the store says now: another session may have
    /// re-keyed since this one unlocked (deletion.rs), and a new person key must be wrapped
    /// under the epoch that exists.
    pub fn current_wrap(&self, conn: &Connection) -> VaultResult<(i64, Key)> {
        let epoch = current_epoch(conn)?;
        Ok((epoch, self.epoch_key(conn, epoch)?))
    }

    /// Moves this session to a new epoch after a re-key: the old wrapping key is dropped (and
    /// zeroized) from memory.
    pub fn set_epoch(&mut self, epoch: i64, key: Key) {
        self.epoch = epoch;
        self.epoch_key = key;
    }

    /// The wrapping key of `epoch`: the current one, or (for rows not yet re-keyed) an older one.
    pub fn epoch_key(&self, conn: &Connection, epoch: i64) -> VaultResult<Key> {
        if epoch == self.epoch {
            return Ok(self.epoch_key.clone());
        }
        let sealed: Option<Vec<u8>> = conn
            .query_row(
                "SELECT sealed FROM wrap_keys WHERE epoch = ?1",
                [epoch],
                |r| r.get(0),
            )
            .optional()?;
        let sealed = sealed.ok_or(VaultError::Tampered {
            place: "wrap_keys.sealed",
        })?;
        self.wrap
            .open_key(&wrap_key_aad(&self.vault_id, epoch), &sealed)
    }
}

fn event_secret_aad(vault_id: &[u8]) -> Aad {
    Aad::new(vault_id, "meta.event_secret", 0, "")
}

/// Creates the key pair pre-unlock events are sealed to: the public half in the clear, the
/// secret half sealed under the meta subkey.
pub(crate) fn insert_event_key(conn: &Connection, vault_id: &[u8], vmk: &Key) -> VaultResult<()> {
    let (secret, public) = crate::sealed_box::generate()?;
    let meta = vmk.derive(vault_id, LABEL_META);
    let sealed = meta.seal(&event_secret_aad(vault_id), secret.expose())?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('event_public', ?1)",
        [&public[..]],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('event_secret', ?1)",
        [sealed],
    )?;
    Ok(())
}

/// Seals the set-up account's scope (everyone) under the meta subkey.
pub(crate) fn setup_scope(vault_id: &[u8], vmk: &Key, user: i64) -> VaultResult<Vec<u8>> {
    let meta = vmk.derive(vault_id, LABEL_META);
    crate::users::seal_scope(
        &meta,
        vault_id,
        "users.sealed_scope",
        user,
        &crate::access::Scope::everyone(),
    )
}

pub(crate) fn wrap_key_aad(vault_id: &[u8], epoch: i64) -> Aad {
    Aad::new(vault_id, "wrap_keys.sealed", epoch, "")
}

/// Stores a fresh wrapping key for `epoch`, sealed under the VMK's wrap subkey.
pub(crate) fn insert_wrap_key(
    conn: &Connection,
    vault_id: &[u8],
    vmk: &Key,
    epoch: i64,
    now: &str,
) -> VaultResult<()> {
    let wrap = vmk.derive(vault_id, LABEL_WRAP);
    let wk = Key::random()?;
    let sealed = wrap.seal(&wrap_key_aad(vault_id, epoch), wk.expose())?;
    conn.execute(
        "INSERT INTO wrap_keys (epoch, sealed, created_at) VALUES (?1, ?2, ?3)",
        params![epoch, sealed, now],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('current_epoch', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [epoch],
    )?;
    Ok(())
}

/// Starts a new epoch (re-keying, deletion.rs): a fresh random wrapping key, sealed under the
/// wrap subkey, made current. The caller re-wraps every person key under it and then deletes
/// the older `wrap_keys` rows, in the same transaction.
pub(crate) fn start_epoch(conn: &Connection, keys: &Keys, now: &str) -> VaultResult<(i64, Key)> {
    let last: i64 = conn.query_row("SELECT COALESCE(MAX(epoch), 0) FROM wrap_keys", [], |r| {
        r.get(0)
    })?;
    let epoch = last.max(current_epoch(conn)?) + 1;
    let wk = Key::random()?;
    let sealed = keys
        .wrap
        .seal(&wrap_key_aad(&keys.vault_id, epoch), wk.expose())?;
    conn.execute(
        "INSERT INTO wrap_keys (epoch, sealed, created_at) VALUES (?1, ?2, ?3)",
        params![epoch, sealed, now],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('current_epoch', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [epoch],
    )?;
    Ok((epoch, wk))
}

fn current_epoch(conn: &Connection) -> VaultResult<i64> {
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'current_epoch'",
        [],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(VaultError::Corrupt("current_epoch がありません".into()))
}
