//! A vault on disk, before anyone has logged in: creating one, opening one, logging in, and
//! resetting a password with the recovery code.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

use crate::access::UserRole;
use crate::audit::{self, Actor, ClockReading, Event, Outcome};
use crate::auth;
use crate::clock::{Clock, SystemClock};
use crate::crypto::{Key, fill_random};
use crate::error::{VaultError, VaultResult};
use crate::kdf::KdfParams;
use crate::keys::{Keys, insert_event_key, insert_wrap_key, setup_scope};
use crate::keyslot::{self, SlotOwner};
use crate::pc::PcIdentity;
use crate::policy::check_password;
use crate::session::{Identity, Session};
use crate::settings::Policy;
use crate::store::{self, DB_FILE};
use crate::store_util::now_utc;
use crate::{recovery, schema};

const VAULT_ID_LEN: usize = 16;

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
    /// Creates a vault in `dir` with its first account, which holds every permission. All or
    /// nothing: the database is built under a temporary name and renamed into place.
    pub fn create(
        dir: &Path,
        admin: &str,
        password: &[u8],
        kdf: KdfParams,
    ) -> VaultResult<Created> {
        let admin = normalize_login(admin)?;
        check_password(&admin, &String::from_utf8_lossy(password))?;
        let kdf = kdf.validate()?;
        if store::db_path(dir).exists() {
            return Err(VaultError::AlreadyExists(dir.to_path_buf()));
        }
        create_private_dir(dir)?;
        let tmp = dir.join(format!("{DB_FILE}.new"));
        remove_db_files(&tmp)?;
        let recovery_code = recovery::generate()?;
        if let Err(e) = build_new_db(&tmp, &admin, password, &recovery_code, kdf) {
            remove_db_files(&tmp)?;
            return Err(e);
        }
        fs::rename(&tmp, store::db_path(dir))?;
        fs::File::open(dir)?.sync_all()?;
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

    pub(crate) fn vault_id(&self) -> &[u8] {
        &self.vault_id
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Logs `login` in on this PC (its DMI identity, or `KINKO_PC_ID`) with the system clock.
    pub fn login(&self, login: &str, password: &[u8]) -> VaultResult<Session> {
        self.login_with(
            login,
            password,
            &PcIdentity::detect(),
            Arc::new(SystemClock::new()),
        )
    }

    /// Logs in with an explicit PC identity and clock. Unknown users and wrong passwords get
    /// the same answer after the same work; failures are recorded and count towards lock-out.
    pub fn login_with(
        &self,
        login: &str,
        password: &[u8],
        pc: &PcIdentity,
        clock: Arc<dyn Clock>,
    ) -> VaultResult<Session> {
        let user = normalize_login(login)
            .ok()
            .and_then(|l| self.user_id(&l).ok().flatten());
        let Some(user) = user else {
            keyslot::waste_an_unlock(&self.conn, password);
            let what = auth::Staged::denied(None, "login", "unknown_user");
            auth::stage(&self.conn, &self.vault_id, what, pc, clock.now())?;
            return Err(VaultError::WrongPassword);
        };
        let vmk = auth::authenticate(
            &self.conn,
            &self.vault_id,
            user,
            "login",
            password,
            pc,
            clock.as_ref(),
        )?;
        let conn = store::open_session(&self.dir)?;
        let keys = Keys::unlock(&conn, self.vault_id.clone(), vmk)?;
        start_session(conn, keys, user, pc, clock)
    }

    /// Sets a new password for `login`, proving the right to do so with the recovery code. The
    /// user must change it again at the next log-in; the reset is recorded in the log.
    pub fn reset_password_with_recovery_code(
        &mut self,
        code: &str,
        login: &str,
        new_password: &[u8],
    ) -> VaultResult<()> {
        let login = normalize_login(login)?;
        check_password(&login, &String::from_utf8_lossy(new_password))?;
        let code = recovery::canonical(code)?;
        let slot = keyslot::find_slot(&self.conn, SlotOwner::Recovery)?
            .ok_or(VaultError::Corrupt("回復用の鍵スロットがありません".into()))?;
        let vmk = keyslot::open_slot(&self.vault_id, &slot, code.as_bytes())?
            .ok_or(VaultError::WrongRecoveryCode)?;
        let user = self
            .user_id(&login)?
            .ok_or(VaultError::UnknownUser(login))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let params = keyslot::find_slot(&tx, SlotOwner::User(user))?
            .map_or(KdfParams::DEFAULT, |s| s.params);
        let now = now_utc();
        keyslot::write_slot(
            &tx,
            &self.vault_id,
            SlotOwner::User(user),
            new_password,
            params,
            &vmk,
            &now,
        )?;
        tx.execute(
            "UPDATE users SET must_change_password = 1, failed_logins = 0, locked_until = NULL WHERE id = ?1",
            [user],
        )?;
        let pc = PcIdentity::detect();
        let what = auth::Staged {
            user: Some(user),
            action: "recovery.password_reset",
            outcome: Outcome::Ok,
            detail: "",
        };
        auth::stage(&tx, &self.vault_id, what, &pc, chrono::Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    fn user_id(&self, login: &str) -> VaultResult<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM users WHERE login = ?1 AND removed_at IS NULL",
                [login],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// After the password was accepted: the PC check, the session row, the pending events and the
/// log-in entry, in one transaction.
fn start_session(
    conn: Connection,
    keys: Keys,
    user: i64,
    pc: &PcIdentity,
    clock: Arc<dyn Clock>,
) -> VaultResult<Session> {
    let (pc_id, pc_tag) = auth::pc_of(&conn, &keys, &String::from_utf8_lossy(pc.canonical()))?;
    let (login, department, must_change): (String, Option<i64>, bool) = conn.query_row(
        "SELECT login, department_id, must_change_password FROM users WHERE id = ?1",
        [user],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let allowed = pc_allowed(&conn, user, pc_id)?;
    let now = clock.now();
    let reading = ClockReading {
        now,
        session_start: None,
        monotonic: clock.monotonic(),
    };
    let tx = rusqlite::Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)?;
    auth::absorb_pending(&tx, &keys)?;
    let mut actor = Actor {
        user: Some(user),
        department,
        pc: pc_id,
        pc_tag: pc_tag.clone(),
        session: None,
    };
    let pc_detail = if pc_id.is_some() {
        ""
    } else {
        "unregistered_pc"
    };
    if !allowed {
        let event = Event {
            outcome: Outcome::Denied,
            ..Event::ok("login", Some(("user", user)), "pc_not_allowed")
        };
        audit::append(&tx, &keys.audit, &keys.vault_id, &actor, &event, &reading)?;
        tx.commit()?;
        return Err(VaultError::PcNotAllowed);
    }
    auth::reset_failures(&tx, user)?;
    let now_text = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    tx.execute(
        "INSERT INTO sessions (user_id, department_id, pc_id, pc_tag, started_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user, department, pc_id, pc_tag, now_text],
    )?;
    actor.session = Some(tx.last_insert_rowid());
    let event = Event::ok("login", Some(("user", user)), pc_detail);
    audit::append(&tx, &keys.audit, &keys.vault_id, &actor, &event, &reading)?;
    tx.commit()?;
    let pc_name: Option<String> = match pc_id {
        Some(id) => Some(conn.query_row("SELECT name FROM pcs WHERE id = ?1", [id], |r| r.get(0))?),
        None => None,
    };
    let access = crate::users::load_access(&conn, &keys.meta, &keys.vault_id, user)?;
    let policy = Policy::load(&conn)?;
    let identity = Identity {
        user,
        login,
        actor,
        pc_name,
        pc: pc.clone(),
        started: (now, clock.monotonic()),
    };
    Ok(Session::new(
        conn,
        keys,
        identity,
        access,
        clock,
        policy,
        must_change,
    ))
}

/// A user without listed PCs may use any PC; otherwise only the listed ones.
fn pc_allowed(conn: &Connection, user: i64, pc: Option<i64>) -> VaultResult<bool> {
    let listed: i64 = conn.query_row(
        "SELECT count(*) FROM user_pcs WHERE user_id = ?1",
        [user],
        |r| r.get(0),
    )?;
    if listed == 0 {
        return Ok(true);
    }
    let Some(pc) = pc else { return Ok(false) };
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM user_pcs WHERE user_id = ?1 AND pc_id = ?2)",
        [user, pc],
        |r| r.get(0),
    )?)
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
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('vault_id', ?1)",
        [&vault_id[..]],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('created_at', ?1)",
        [&now],
    )?;
    insert_wrap_key(&tx, &vault_id, &vmk, 1, &now)?;
    insert_event_key(&tx, &vault_id, &vmk)?;
    let admin_id = 1;
    tx.execute(
        "INSERT INTO users (id, login, role, sealed_scope, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            admin_id,
            admin,
            UserRole::Administrator.key(),
            setup_scope(&vault_id, &vmk, admin_id)?,
            now
        ],
    )?;
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
    let keys = Keys::unlock(&tx, vault_id.to_vec(), vmk)?;
    let actor = Actor {
        user: Some(admin_id),
        ..Actor::default()
    };
    let reading = ClockReading {
        now: chrono::Utc::now(),
        session_start: None,
        monotonic: std::time::Duration::ZERO,
    };
    audit::append(
        &tx,
        &keys.audit,
        &keys.vault_id,
        &actor,
        &Event::ok("vault.create", Some(("user", admin_id)), ""),
        &reading,
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
