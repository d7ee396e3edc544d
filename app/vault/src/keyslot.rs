//! Keyslots: the vault master key sealed under a key that Argon2id derives from a user's
//! password or from the recovery code (the LUKS idea). Each slot stores its own salt and
//! parameters, which are bound into the associated data so they cannot be swapped or lowered.

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use crate::crypto::{Aad, Key, fill_random};
use crate::error::{VaultError, VaultResult};
use crate::kdf::KdfParams;

const SALT_LEN: usize = 16;

/// A keyslot as stored.
pub(crate) struct Slot {
    pub id: i64,
    pub user_id: Option<i64>,
    pub params: KdfParams,
    pub salt: Vec<u8>,
    pub sealed_vmk: Vec<u8>,
}

/// Whose slot: a user's, or the recovery slot.
#[derive(Clone, Copy)]
pub(crate) enum SlotOwner {
    User(i64),
    Recovery,
}

impl SlotOwner {
    fn kind(self) -> &'static str {
        match self {
            SlotOwner::User(_) => "user",
            SlotOwner::Recovery => "recovery",
        }
    }

    fn user_id(self) -> Option<i64> {
        match self {
            SlotOwner::User(id) => Some(id),
            SlotOwner::Recovery => None,
        }
    }
}

fn slot_aad(vault_id: &[u8], id: i64, owner: SlotOwner, p: KdfParams) -> Aad {
    let extra = format!(
        "{};user={};m={};t={};p={}",
        owner.kind(),
        owner.user_id().unwrap_or(0),
        p.memory_kib,
        p.iterations,
        p.parallelism
    );
    Aad::new(vault_id, "keyslots.sealed_vmk", id, &extra)
}

/// Seals `vmk` under `secret` into a new slot (or replaces the owner's slot).
pub(crate) fn write_slot(
    conn: &Connection,
    vault_id: &[u8],
    owner: SlotOwner,
    secret: &[u8],
    params: KdfParams,
    vmk: &Key,
    now: &str,
) -> VaultResult<()> {
    let params = params.validate()?;
    let mut salt = [0u8; SALT_LEN];
    fill_random(&mut salt)?;
    let kek = params.derive(secret, &salt)?;
    let existing = find_slot(conn, owner)?.map(|s| s.id);
    let id = match existing {
        Some(id) => id,
        None => crate::store_util::next_id(conn, "keyslots")?,
    };
    let sealed = kek.seal(&slot_aad(vault_id, id, owner, params), vmk.expose())?;
    conn.execute(
        "INSERT INTO keyslots (id, kind, user_id, memory_kib, iterations, parallelism, salt,
                               sealed_vmk, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET memory_kib = excluded.memory_kib,
             iterations = excluded.iterations, parallelism = excluded.parallelism,
             salt = excluded.salt, sealed_vmk = excluded.sealed_vmk,
             created_at = excluded.created_at",
        params![
            id,
            owner.kind(),
            owner.user_id(),
            params.memory_kib,
            params.iterations,
            params.parallelism,
            &salt[..],
            sealed,
            now
        ],
    )?;
    Ok(())
}

pub(crate) fn find_slot(conn: &Connection, owner: SlotOwner) -> VaultResult<Option<Slot>> {
    let sql = "SELECT id, user_id, memory_kib, iterations, parallelism, salt, sealed_vmk
               FROM keyslots WHERE kind = ?1 AND user_id IS ?2";
    let slot = conn
        .query_row(sql, params![owner.kind(), owner.user_id()], |r| {
            Ok(Slot {
                id: r.get(0)?,
                user_id: r.get(1)?,
                params: KdfParams {
                    memory_kib: r.get(2)?,
                    iterations: r.get(3)?,
                    parallelism: r.get(4)?,
                },
                salt: r.get(5)?,
                sealed_vmk: r.get(6)?,
            })
        })
        .optional()?;
    Ok(slot)
}

/// Opens a slot with `secret`. Any failure (wrong secret, altered slot) is one answer: `None`.
pub(crate) fn open_slot(vault_id: &[u8], slot: &Slot, secret: &[u8]) -> VaultResult<Option<Key>> {
    let owner = match slot.user_id {
        Some(id) => SlotOwner::User(id),
        None => SlotOwner::Recovery,
    };
    // Parameters read from disk are checked before use, so a tampered slot cannot make us
    // allocate gigabytes or skip the work.
    let params = slot.params.validate()?;
    let kek = params.derive(secret, &slot.salt)?;
    match kek.open(
        &slot_aad(vault_id, slot.id, owner, params),
        &slot.sealed_vmk,
    ) {
        Ok(plain) => Ok(Key::from_slice(&plain)),
        Err(VaultError::Tampered { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The parameters of the vault's first user slot (the set-up account's), which new slots and
/// the decoy work of unknown users follow; the default if they are unreadable or out of range.
pub(crate) fn usual_params(conn: &Connection) -> KdfParams {
    conn.query_row(
        "SELECT memory_kib, iterations, parallelism FROM keyslots WHERE kind = 'user'
         ORDER BY id LIMIT 1",
        [],
        |r| {
            Ok(KdfParams {
                memory_kib: r.get(0)?,
                iterations: r.get(1)?,
                parallelism: r.get(2)?,
            })
        },
    )
    .ok()
    .and_then(|p| p.validate().ok())
    .unwrap_or(KdfParams::DEFAULT)
}

/// Burns the same time as a real unlock (with the parameters of the vault's first user slot),
/// so that an unknown user name answers like a wrong password.
pub(crate) fn waste_an_unlock(conn: &Connection, secret: &[u8]) {
    let params = usual_params(conn);
    let salt = Zeroizing::new([0u8; SALT_LEN]);
    let _ = params.derive(secret, salt.as_slice());
}
