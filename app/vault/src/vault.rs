//! A vault on disk, before anyone has logged in: creating one, opening one, logging in, and
//! resetting a password with the recovery code.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use crate::crypto::{Key, fill_random};
use crate::error::{VaultError, VaultResult};
use crate::kdf::KdfParams;
use crate::keys::{Keys, insert_wrap_key};
use crate::keyslot::{self, SlotOwner};
use crate::session::Session;
use crate::store::{self, DB_FILE};
use crate::store_util::now_utc;
use crate::{recovery, schema};

const VAULT_ID_LEN: usize = 16;
/// The role of the account made at set-up: every permission (see issue 3 for the others).
pub const SETUP_ROLE: &str = "administrator";

/// An opened, integrity-checked vault nobody is logged in to.
pub struct Vault {
    dir: PathBuf,
    conn: Connection,
    vault_id: Vec<u8>,
}

/// What set-up hands back: the vault, and the recovery code to show once and never again.
pub struct Created {
    pub vault: Vault,
    pub recovery_code: Zeroizing<String>,
}

impl Vault {
    /// Creates a vault in `dir` with its first account. All or nothing: the database is built
    /// under a temporary name and renamed into place only once complete.
    pub fn create(
        dir: &Path,
        admin: &str,
        password: &[u8],
        kdf: KdfParams,
    ) -> VaultResult<Created> {
        let admin = normalize_login(admin)?;
        if password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let kdf = kdf.validate()?;
        if store::db_path(dir).exists() {
            return Err(VaultError::AlreadyExists(dir.to_path_buf()));
        }
        create_private_dir(dir)?;
        let tmp = dir.join(format!("{DB_FILE}.new"));
        remove_db_files(&tmp)?;
        let recovery_code = recovery::generate()?;
        let built = build_new_db(&tmp, &admin, password, &recovery_code, kdf);
        if let Err(e) = built {
            remove_db_files(&tmp)?;
            return Err(e);
        }
        fs::rename(&tmp, store::db_path(dir))?;
        sync_dir(dir)?;
        Ok(Created {
            vault: Vault::open(dir)?,
            recovery_code,
        })
    }

    /// Opens the vault in `dir`, checking the database's integrity first.
    pub fn open(dir: &Path) -> VaultResult<Vault> {
        let conn = store::open_existing(dir)?;
        let vault_id: Vec<u8> = conn
            .query_row("SELECT value FROM meta WHERE key = 'vault_id'", [], |r| {
                r.get(0)
            })
            .optional()?
            .filter(|id: &Vec<u8>| id.len() == VAULT_ID_LEN)
            .ok_or(VaultError::Corrupt("vault_id がありません".into()))?;
        Ok(Vault {
            dir: dir.to_path_buf(),
            conn,
            vault_id,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Logs `login` in with `password`. Unknown users and wrong passwords get the same answer
    /// after the same work.
    pub fn login(&self, login: &str, password: &[u8]) -> VaultResult<Session> {
        let Ok(login) = normalize_login(login) else {
            keyslot::waste_an_unlock(&self.conn, password);
            return Err(VaultError::WrongPassword);
        };
        let Some(user_id) = self.user_id(&login)? else {
            keyslot::waste_an_unlock(&self.conn, password);
            return Err(VaultError::WrongPassword);
        };
        let slot = keyslot::find_slot(&self.conn, SlotOwner::User(user_id))?.ok_or(
            VaultError::Corrupt("ユーザーの鍵スロットがありません".into()),
        )?;
        let vmk = keyslot::open_slot(&self.vault_id, &slot, password)?
            .ok_or(VaultError::WrongPassword)?;
        let conn = store::open_session(&self.dir)?;
        let keys = Keys::unlock(&conn, self.vault_id.clone(), vmk)?;
        Ok(Session::new(conn, keys, user_id, login))
    }

    /// Sets a new password for `login`, proving the right to do so with the recovery code.
    pub fn reset_password_with_recovery_code(
        &mut self,
        code: &str,
        login: &str,
        new_password: &[u8],
    ) -> VaultResult<()> {
        if new_password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let code = recovery::canonical(code)?;
        let slot = keyslot::find_slot(&self.conn, SlotOwner::Recovery)?
            .ok_or(VaultError::Corrupt("回復用の鍵スロットがありません".into()))?;
        let vmk = keyslot::open_slot(&self.vault_id, &slot, code.as_bytes())?
            .ok_or(VaultError::WrongRecoveryCode)?;
        let login = normalize_login(login)?;
        let user_id = self.user_id(&login)?.ok_or(VaultError::WrongPassword)?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let params = keyslot::find_slot(&tx, SlotOwner::User(user_id))?
            .map_or(KdfParams::DEFAULT, |s| s.params);
        let now = now_utc();
        keyslot::write_slot(
            &tx,
            &self.vault_id,
            SlotOwner::User(user_id),
            new_password,
            params,
            &vmk,
            &now,
        )?;
        tx.commit()?;
        Ok(())
    }

    fn user_id(&self, login: &str) -> VaultResult<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM users WHERE login = ?1", [login], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

fn build_new_db(
    path: &Path,
    admin: &str,
    password: &[u8],
    recovery_code: &str,
    kdf: KdfParams,
) -> VaultResult<()> {
    let mut conn = store::create_new(path)?;
    schema::migrate(&mut conn)?;
    let mut vault_id = [0u8; VAULT_ID_LEN];
    fill_random(&mut vault_id)?;
    let vmk = Key::random()?;
    let now = now_utc();
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('vault_id', ?1)",
        [&vault_id[..]],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('created_at', ?1)",
        [&now],
    )?;
    insert_wrap_key(&tx, &vault_id, &vmk, 1, &now)?;
    tx.execute(
        "INSERT INTO users (login, role, created_at) VALUES (?1, ?2, ?3)",
        params![admin, SETUP_ROLE, now],
    )?;
    let admin_id = tx.last_insert_rowid();
    keyslot::write_slot(
        &tx,
        &vault_id,
        SlotOwner::User(admin_id),
        password,
        kdf,
        &vmk,
        &now,
    )?;
    let canonical = recovery::canonical(recovery_code)?;
    keyslot::write_slot(
        &tx,
        &vault_id,
        SlotOwner::Recovery,
        canonical.as_bytes(),
        kdf,
        &vmk,
        &now,
    )?;
    tx.commit()?;
    // Closing checkpoints the WAL into the main file, so the rename moves everything.
    conn.close().map_err(|(_, e)| e)?;
    fs::File::open(path)?.sync_all()?;
    Ok(())
}

/// User names are ASCII, lower case, 1–32 of `a-z 0-9 . _ -`: they are needed in the clear
/// before unlocking, so they must not be personal data such as a person's full name.
pub fn normalize_login(login: &str) -> VaultResult<String> {
    let l = login.trim().to_ascii_lowercase();
    let ok = (1..=32).contains(&l.len())
        && l.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(l)
    } else {
        Err(VaultError::BadLogin(login.chars().take(40).collect()))
    }
}

fn create_private_dir(dir: &Path) -> VaultResult<()> {
    fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn remove_db_files(path: &Path) -> VaultResult<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        match fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> VaultResult<()> {
    fs::File::open(dir)?.sync_all()?;
    Ok(())
}
