//! Users, groups, their permissions and scopes, and PCs (F4, F5). Everything here needs the
//! `manage_users` or `manage_pcs` permission and is logged.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};

use kinko_domain::people::{DepartmentId, UserId};

use crate::access::{Access, Permission, Scope, UserRole};
use crate::crypto::{Aad, Key};
use crate::error::{VaultError, VaultResult};
use crate::kdf::KdfParams;
use crate::keyslot::{self, SlotOwner};
use crate::pc::PcIdentity;
use crate::policy::check_password;
use crate::session::Session;
use crate::store_util::next_id;
use crate::vault::normalize_login;

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub role: UserRole,
    /// The user's own department (recorded in the log with everything they do).
    pub department: Option<DepartmentId>,
    /// Permissions on top of the role's.
    pub grants: Vec<Permission>,
    pub scope: Scope,
    /// PCs the user may log in from; empty means any PC.
    pub pcs: Vec<i64>,
    pub groups: Vec<i64>,
}

/// A user as the administration screens show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub id: UserId,
    pub login: String,
    pub role: UserRole,
    pub department: Option<DepartmentId>,
    pub grants: Vec<Permission>,
    pub scope: Scope,
    pub pcs: Vec<i64>,
    pub groups: Vec<i64>,
    pub disabled: bool,
    /// Removed users keep their row for the log but can never log in again.
    pub removed: bool,
    pub must_change_password: bool,
    pub failed_logins: i64,
    /// Locked out until this time (UTC, RFC 3339), if locked.
    pub locked_until: Option<String>,
    /// The permissions in force (role, grants and groups together).
    pub effective: BTreeSet<Permission>,
}

/// A registered PC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcInfo {
    pub id: i64,
    pub name: String,
    pub department: Option<DepartmentId>,
}

fn scope_aad(keys_vault_id: &[u8], table: &'static str, id: i64) -> Aad {
    Aad::new(keys_vault_id, table, id, "")
}

pub(crate) fn seal_scope(
    meta: &Key,
    vault_id: &[u8],
    place: &'static str,
    id: i64,
    scope: &Scope,
) -> VaultResult<Vec<u8>> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(scope).map_err(|_| VaultError::Crypto("serialize"))?,
    );
    meta.seal(&scope_aad(vault_id, place, id), &json)
}

fn open_scope(
    meta: &Key,
    vault_id: &[u8],
    place: &'static str,
    id: i64,
    sealed: &[u8],
) -> VaultResult<Scope> {
    let plain = meta.open(&scope_aad(vault_id, place, id), sealed)?;
    serde_json::from_slice(&plain).map_err(|_| VaultError::Tampered { place })
}

fn grants_text(grants: &[Permission]) -> String {
    let set: BTreeSet<_> = grants.iter().map(|p| p.key()).collect();
    set.into_iter().collect::<Vec<_>>().join(",")
}

fn parse_grants(text: &str) -> Vec<Permission> {
    text.split(',').filter_map(Permission::parse).collect()
}

/// The permissions and scope in force for `user`: role ∪ grants ∪ groups'.
pub(crate) fn load_access(
    conn: &Connection,
    meta: &Key,
    vault_id: &[u8],
    user: i64,
) -> VaultResult<Access> {
    let (role, grants, sealed): (String, String, Vec<u8>) = conn.query_row(
        "SELECT role, grants, sealed_scope FROM users WHERE id = ?1",
        [user],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let role = UserRole::parse(&role).ok_or(VaultError::Tampered {
        place: "users.role",
    })?;
    let mut permissions = role.permissions();
    permissions.extend(parse_grants(&grants));
    let mut scope = open_scope(meta, vault_id, "users.sealed_scope", user, &sealed)?;
    let mut stmt = conn.prepare(
        "SELECT g.id, g.grants, g.sealed_scope FROM groups g
         JOIN user_groups ug ON ug.group_id = g.id WHERE ug.user_id = ?1",
    )?;
    let rows = stmt.query_map([user], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Vec<u8>>(2)?,
        ))
    })?;
    for row in rows {
        let (gid, grants, sealed) = row?;
        permissions.extend(parse_grants(&grants));
        scope = scope.union(&open_scope(
            meta,
            vault_id,
            "groups.sealed_scope",
            gid,
            &sealed,
        )?);
    }
    Ok(Access { permissions, scope })
}

impl Session {
    /// Creates a user with an initial password they must change at first log-in.
    pub fn add_user(&mut self, new: NewUser, initial_password: &[u8]) -> VaultResult<UserId> {
        let login = normalize_login(&new.login)?;
        self.admin_write(Permission::ManageUsers, "user.add", |s, tx| {
            check_password(&login, &String::from_utf8_lossy(initial_password))?;
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE login = ?1)",
                [&login],
                |r| r.get(0),
            )?;
            if exists {
                return Err(VaultError::DuplicateLogin(login.clone()));
            }
            let id = next_id(tx, "users")?;
            let keys = s.keys()?;
            let sealed = seal_scope(
                &keys.meta,
                &keys.vault_id,
                "users.sealed_scope",
                id,
                &new.scope,
            )?;
            tx.execute(
                "INSERT INTO users (id, login, role, department_id, grants, sealed_scope,
                     must_change_password, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)",
                params![
                    id,
                    login,
                    new.role.key(),
                    new.department.map(|d| d.0),
                    grants_text(&new.grants),
                    sealed,
                    s.now_text()
                ],
            )?;
            set_links(tx, id, &new.pcs, &new.groups)?;
            let params = keyslot::usual_params(tx);
            keyslot::write_slot(
                tx,
                &keys.vault_id,
                SlotOwner::User(id),
                initial_password,
                params,
                &keys.vmk,
                &s.now_text(),
            )?;
            Ok((id, format!("role={}", new.role.key())))
        })
        .map(UserId)
    }

    /// Changes a user's role, grants, scope, department, PCs and groups.
    pub fn update_user(&mut self, login: &str, update: NewUser) -> VaultResult<()> {
        let id = self.user_id_of(login)?;
        self.admin_write(Permission::ManageUsers, "user.update", |s, tx| {
            let keys = s.keys()?;
            let sealed = seal_scope(&keys.meta, &keys.vault_id, "users.sealed_scope", id, &update.scope)?;
            tx.execute(
                "UPDATE users SET role = ?2, department_id = ?3, grants = ?4, sealed_scope = ?5 WHERE id = ?1",
                params![id, update.role.key(), update.department.map(|d| d.0), grants_text(&update.grants), sealed],
            )?;
            tx.execute("DELETE FROM user_pcs WHERE user_id = ?1", [id])?;
            tx.execute("DELETE FROM user_groups WHERE user_id = ?1", [id])?;
            set_links(tx, id, &update.pcs, &update.groups)?;
            require_an_administrator(tx, &keys.meta, &keys.vault_id)?;
            Ok((id, format!("role={}", update.role.key())))
        })?;
        self.refresh_access()
    }

    /// Disables or re-enables a user. The last administrator cannot be disabled.
    pub fn set_user_disabled(&mut self, login: &str, disabled: bool) -> VaultResult<()> {
        let id = self.user_id_of(login)?;
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        self.admin_write(Permission::ManageUsers, action, |s, tx| {
            tx.execute(
                "UPDATE users SET disabled = ?2 WHERE id = ?1",
                params![id, disabled],
            )?;
            let keys = s.keys()?;
            require_an_administrator(tx, &keys.meta, &keys.vault_id)?;
            Ok((id, String::new()))
        })
        .map(|_| ())
    }

    /// Removes a user: their keyslot is destroyed (they can never log in again) and their row
    /// is kept, disabled, so the log's references to them stay readable. The last
    /// administrator cannot be removed.
    pub fn remove_user(&mut self, login: &str) -> VaultResult<()> {
        let id = self.user_id_of(login)?;
        self.admin_write(Permission::ManageUsers, "user.remove", |s, tx| {
            tx.execute(
                "UPDATE users SET disabled = 1, removed_at = ?2 WHERE id = ?1",
                params![id, s.now_text()],
            )?;
            tx.execute("DELETE FROM keyslots WHERE user_id = ?1", [id])?;
            tx.execute("DELETE FROM user_pcs WHERE user_id = ?1", [id])?;
            tx.execute("DELETE FROM user_groups WHERE user_id = ?1", [id])?;
            let keys = s.keys()?;
            require_an_administrator(tx, &keys.meta, &keys.vault_id)?;
            Ok((id, String::new()))
        })
        .map(|_| ())
    }

    /// Lifts a lock-out and clears the failed log-in count.
    pub fn unlock_user(&mut self, login: &str) -> VaultResult<()> {
        let id = self.user_id_of(login)?;
        self.admin_write(Permission::ManageUsers, "user.unlock", |_, tx| {
            crate::auth::reset_failures(tx, id)?;
            Ok((id, String::new()))
        })
        .map(|_| ())
    }

    /// Sets a new password for another user (re-sealing the vault key for them); they must
    /// change it at their next log-in.
    pub fn reset_password(&mut self, login: &str, new_password: &[u8]) -> VaultResult<()> {
        let id = self.user_id_of(login)?;
        let login = normalize_login(login)?;
        self.admin_write(Permission::ManageUsers, "user.password_reset", |s, tx| {
            check_password(&login, &String::from_utf8_lossy(new_password))?;
            let keys = s.keys()?;
            let params = keyslot::find_slot(tx, SlotOwner::User(id))?.map_or(KdfParams::DEFAULT, |sl| sl.params);
            keyslot::write_slot(tx, &keys.vault_id, SlotOwner::User(id), new_password, params, &keys.vmk, &s.now_text())?;
            tx.execute(
                "UPDATE users SET must_change_password = 1, failed_logins = 0, locked_until = NULL WHERE id = ?1",
                [id],
            )?;
            Ok((id, String::new()))
        })
        .map(|_| ())
    }

    /// Every user, with what they may do.
    pub fn users(&mut self) -> VaultResult<Vec<UserInfo>> {
        self.read_op(Permission::ManageUsers, "user.list", None)?;
        let keys = self.keys()?;
        let mut stmt = self.conn.prepare(
            "SELECT id, login, role, department_id, grants, sealed_scope, disabled, must_change_password,
                    failed_logins, locked_until, removed_at IS NOT NULL FROM users ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let role: String = r.get(2)?;
            let (pcs, groups) = links(&self.conn, id)?;
            out.push(UserInfo {
                id: UserId(id),
                login: r.get(1)?,
                role: UserRole::parse(&role).ok_or(VaultError::Tampered {
                    place: "users.role",
                })?,
                department: r.get::<_, Option<i64>>(3)?.map(DepartmentId),
                grants: parse_grants(&r.get::<_, String>(4)?),
                scope: open_scope(
                    &keys.meta,
                    &keys.vault_id,
                    "users.sealed_scope",
                    id,
                    &r.get::<_, Vec<u8>>(5)?,
                )?,
                disabled: r.get(6)?,
                removed: r.get(10)?,
                must_change_password: r.get(7)?,
                failed_logins: r.get(8)?,
                locked_until: r.get(9)?,
                effective: load_access(&self.conn, &keys.meta, &keys.vault_id, id)?.permissions,
                pcs,
                groups,
            });
        }
        Ok(out)
    }

    /// Creates a group whose members get `grants` and `scope` on top of their own.
    pub fn add_group(
        &mut self,
        name: &str,
        grants: &[Permission],
        scope: &Scope,
    ) -> VaultResult<i64> {
        let name = kinko_domain::text::normalize_name(name, kinko_domain::text::Field::Name)?;
        self.admin_write(Permission::ManageUsers, "group.add", |s, tx| {
            let id = next_id(tx, "groups")?;
            let keys = s.keys()?;
            let sealed = seal_scope(&keys.meta, &keys.vault_id, "groups.sealed_scope", id, scope)?;
            tx.execute(
                "INSERT INTO groups (id, name, grants, sealed_scope, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, name, grants_text(grants), sealed, s.now_text()],
            )
            .map_err(|e| unique_or(e, VaultError::DuplicateGroup(name.clone())))?;
            Ok((id, String::new()))
        })
    }

    /// The ID of the group called `name`.
    pub fn group_id(&self, name: &str) -> VaultResult<i64> {
        self.conn
            .query_row(
                "SELECT id FROM groups WHERE name = ?1",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| VaultError::UnknownGroup(name.trim().to_owned()))
    }

    /// Registers `pc` under `name`. Its identity is kept only as a keyed hash.
    pub fn register_pc(
        &mut self,
        name: &str,
        department: Option<DepartmentId>,
        pc: &PcIdentity,
    ) -> VaultResult<i64> {
        let name = kinko_domain::text::normalize_name(name, kinko_domain::text::Field::Name)?;
        let tag = self.keys()?.pc_tag(pc);
        self.admin_write(Permission::ManagePcs, "pc.add", |s, tx| {
            let id = next_id(tx, "pcs")?;
            tx.execute(
                "INSERT INTO pcs (id, name, department_id, identity_tag, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, name, department.map(|d| d.0), &tag[..], s.now_text()],
            )
            .map_err(|e| unique_or(e, VaultError::DuplicatePc(name.clone())))?;
            Ok((id, if pc.is_weak() { "identity=weak".into() } else { String::new() }))
        })
    }

    /// The registered PCs.
    pub fn pcs(&mut self) -> VaultResult<Vec<PcInfo>> {
        self.read_op(Permission::ManagePcs, "pc.list", None)?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, department_id FROM pcs ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(PcInfo {
                id: r.get(0)?,
                name: r.get(1)?,
                department: r.get::<_, Option<i64>>(2)?.map(DepartmentId),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ID of the PC called `name`.
    pub fn pc_id(&self, name: &str) -> VaultResult<i64> {
        self.conn
            .query_row("SELECT id FROM pcs WHERE name = ?1", [name.trim()], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| VaultError::UnknownPc(name.trim().to_owned()))
    }

    fn user_id_of(&self, login: &str) -> VaultResult<i64> {
        let login = normalize_login(login)?;
        self.conn
            .query_row(
                "SELECT id FROM users WHERE login = ?1 AND removed_at IS NULL",
                [&login],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(VaultError::UnknownUser(login))
    }
}

fn set_links(conn: &Connection, user: i64, pcs: &[i64], groups: &[i64]) -> VaultResult<()> {
    for pc in pcs {
        conn.execute(
            "INSERT OR IGNORE INTO user_pcs (user_id, pc_id) VALUES (?1, ?2)",
            [user, *pc],
        )?;
    }
    for g in groups {
        conn.execute(
            "INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?1, ?2)",
            [user, *g],
        )?;
    }
    Ok(())
}

fn links(conn: &Connection, user: i64) -> VaultResult<(Vec<i64>, Vec<i64>)> {
    let ids = |sql: &str| -> VaultResult<Vec<i64>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([user], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    Ok((
        ids("SELECT pc_id FROM user_pcs WHERE user_id = ?1 ORDER BY pc_id")?,
        ids("SELECT group_id FROM user_groups WHERE user_id = ?1 ORDER BY group_id")?,
    ))
}

/// Refuses a change that would leave no enabled user able to manage users.
fn require_an_administrator(conn: &Connection, meta: &Key, vault_id: &[u8]) -> VaultResult<()> {
    let mut stmt = conn.prepare("SELECT id FROM users WHERE disabled = 0")?;
    let ids: Vec<i64> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ids {
        if load_access(conn, meta, vault_id, id)?.allows(Permission::ManageUsers) {
            return Ok(());
        }
    }
    Err(VaultError::LastAdministrator)
}

fn unique_or(e: rusqlite::Error, instead: VaultError) -> VaultError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            instead
        }
        other => other.into(),
    }
}

impl Session {
    /// Adds a department (needs the settings or register permission).
    pub fn add_department(&mut self, name: &str) -> VaultResult<DepartmentId> {
        let name = kinko_domain::text::normalize_name(name, kinko_domain::text::Field::Department)?;
        let perm = if self.access().allows(Permission::Settings) {
            Permission::Settings
        } else {
            Permission::Register
        };
        self.admin_write(perm, "department.add", |s, tx| {
            tx.execute(
                "INSERT INTO departments (name, created_at) VALUES (?1, ?2)",
                params![name, s.now_text()],
            )
            .map_err(|e| unique_or(e, VaultError::DuplicateDepartment(name.clone())))?;
            Ok((tx.last_insert_rowid(), String::new()))
        })
        .map(DepartmentId)
    }

    /// The department called `name`.
    pub fn department_id(&self, name: &str) -> VaultResult<DepartmentId> {
        let name = kinko_domain::text::normalize_name(name, kinko_domain::text::Field::Department)?;
        self.conn
            .query_row("SELECT id FROM departments WHERE name = ?1", [&name], |r| {
                r.get(0)
            })
            .optional()?
            .map(DepartmentId)
            .ok_or(VaultError::UnknownDepartment(name))
    }
}
