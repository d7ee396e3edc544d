//! The write half of a transaction ([`Session::write`](crate::Session::write)): every change to
//! people goes through a [`Writer`], which checks the permission and the scope, makes the change
//! and appends its audit entry, all inside the one transaction.

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use kinko_domain::people::{
    CollectionStatus, DepartmentId, PayeeKind, Person, PersonId, PersonKind, Role, UserId,
};
use kinko_domain::text::{self, Field};

use crate::access::{Access, Permission};
use crate::audit::{self, Actor, ClockReading, Event};
use crate::crypto::{INDEX_LEN, Key};
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::people::{
    NewPerson, PersonNumber, ScopeFacts, code_index, key_aad, normalized, number_aad, number_index,
    person_key, read_person, scope_facts, seal_profile, split,
};
use crate::store_util::next_id;

type Target = Option<(&'static str, i64)>;

pub struct Writer<'a> {
    tx: &'a Connection,
    keys: &'a Keys,
    actor: &'a Actor,
    access: &'a Access,
    clock: ClockReading,
    now: String,
    /// The operation under way, so a failure can be logged after the rollback.
    current: Option<(&'static str, Target)>,
    /// People changed, so the session's index can be brought up to date after the commit.
    touched: Vec<i64>,
    /// Set when a person was refused for being out of scope, so the log says so (the user is
    /// told "not found", exactly as for a missing person).
    out_of_scope: std::cell::Cell<bool>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(
        tx: &'a Connection,
        keys: &'a Keys,
        actor: &'a Actor,
        access: &'a Access,
        clock: ClockReading,
    ) -> Writer<'a> {
        let now = clock
            .now
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        Writer {
            tx,
            keys,
            actor,
            access,
            clock,
            now,
            current: None,
            touched: Vec::new(),
            out_of_scope: std::cell::Cell::new(false),
        }
    }

    /// Adds a person (and their number, if given). A number marks them 回収済.
    pub fn add_person(&mut self, new: NewPerson) -> VaultResult<PersonId> {
        self.begin(Permission::Register, "person.add", None)?;
        let mut person = normalized(Person {
            role: new.role,
            details: new.details,
            collection: CollectionStatus::NotRequested,
        })?;
        if new.number.is_some() {
            person.collection = CollectionStatus::Collected;
        }
        self.require_role_in_scope(&person.role)?;
        let (plain, profile) = split(&person);
        let cindex = person
            .role
            .code()
            .map(|c| code_index(self.keys, plain.kind, c));
        if let Some(ci) = &cindex {
            self.require_free_code(ci, person.role.code().unwrap_or_default(), None)?;
        }
        let id = next_id(self.tx, "persons")?;
        let pkey = Key::random()?;
        // The epoch as stored now: another session may have re-keyed (deletion.rs).
        let (epoch, epoch_key) = self.keys.current_wrap(self.tx)?;
        let sealed_key = epoch_key.seal(&key_aad(self.keys, id, epoch), pkey.expose())?;
        let sealed_profile = seal_profile(self.keys, &pkey, id, &plain, &profile)?;
        self.tx.execute(
            "INSERT INTO persons (id, kind, employee_id, department_id, employment_status,
                 collection_status, code_index, key_epoch, sealed_key, sealed_profile,
                 created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
            params![
                id,
                plain.kind.key(),
                plain.employee_id,
                plain.department_id,
                plain.employment.map(|e| e.key()),
                plain.collection.key(),
                cindex.as_ref().map(|c| &c[..]),
                epoch,
                sealed_key,
                sealed_profile,
                self.now
            ],
        )?;
        self.current = Some(("person.add", Some(("person", id))));
        self.touched.push(id);
        if let Some(number) = &new.number {
            self.store_number(id, &pkey, &person.role, number)?;
        }
        let detail = format!(
            "kind={} number={}",
            plain.kind.key(),
            if new.number.is_some() { "yes" } else { "no" }
        );
        self.log("person.add", Some(("person", id)), detail)?;
        Ok(PersonId(id))
    }

    /// Replaces a person's details and role fields (their kind cannot change).
    pub fn update_person(&mut self, id: PersonId, person: Person) -> VaultResult<()> {
        self.begin(Permission::Update, "person.update", Some(("person", id.0)))?;
        self.require_in_scope(id)?;
        let person = normalized(person)?;
        let (old_kind, pkey) = person_key(self.tx, self.keys, id)?;
        let (plain, profile) = split(&person);
        if plain.kind != old_kind {
            return Err(VaultError::UnknownPerson(id.0));
        }
        self.require_same_payee_kind(id, old_kind, &pkey, &person.role)?;
        self.require_role_in_scope(&person.role)?;
        let cindex = person
            .role
            .code()
            .map(|c| code_index(self.keys, plain.kind, c));
        if let Some(ci) = &cindex {
            self.require_free_code(ci, person.role.code().unwrap_or_default(), Some(id.0))?;
        }
        let sealed_profile = seal_profile(self.keys, &pkey, id.0, &plain, &profile)?;
        self.touched.push(id.0);
        self.tx.execute(
            "UPDATE persons SET employee_id = ?2, department_id = ?3, employment_status = ?4,
                 collection_status = ?5, code_index = ?6, sealed_profile = ?7, updated_at = ?8
             WHERE id = ?1",
            params![
                id.0,
                plain.employee_id,
                plain.department_id,
                plain.employment.map(|e| e.key()),
                plain.collection.key(),
                cindex.as_ref().map(|c| &c[..]),
                sealed_profile,
                self.now
            ],
        )?;
        self.log("person.update", Some(("person", id.0)), String::new())
    }

    /// Registers or replaces a person's number.
    pub fn set_number(&mut self, id: PersonId, number: &PersonNumber) -> VaultResult<()> {
        self.begin(Permission::Register, "number.set", Some(("person", id.0)))?;
        self.require_in_scope(id)?;
        let (kind, pkey) = person_key(self.tx, self.keys, id)?;
        let person = read_person(self.tx, self.keys, id, kind, &pkey)?;
        self.store_number(id.0, &pkey, &person.role, number)?;
        self.touched.push(id.0);
        if matches!(
            person.collection,
            CollectionStatus::NotRequested | CollectionStatus::Requested
        ) {
            self.update_collection(id, CollectionStatus::Collected)?;
        }
        self.log("number.set", Some(("person", id.0)), String::new())
    }

    /// Moves a person's collection status (未依頼 → 依頼済 → 回収済 → 確認済, or 提出拒否).
    pub fn set_collection_status(
        &mut self,
        id: PersonId,
        status: CollectionStatus,
    ) -> VaultResult<()> {
        self.begin(Permission::Update, "collection.set", Some(("person", id.0)))?;
        self.require_in_scope(id)?;
        self.update_collection(id, status)?;
        self.log(
            "collection.set",
            Some(("person", id.0)),
            format!("status={}", status.key()),
        )
    }

    /// The department called `name`, created if it does not exist yet.
    pub fn department(&mut self, name: &str) -> VaultResult<DepartmentId> {
        let name = text::normalize_name(name, Field::Department)?;
        let existing: Option<i64> = self
            .tx
            .query_row("SELECT id FROM departments WHERE name = ?1", [&name], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = existing {
            return Ok(DepartmentId(id));
        }
        self.begin(Permission::Register, "department.add", None)?;
        self.tx.execute(
            "INSERT INTO departments (name, created_at) VALUES (?1, ?2)",
            params![name, self.now],
        )?;
        let id = self.tx.last_insert_rowid();
        self.log("department.add", Some(("department", id)), String::new())?;
        Ok(DepartmentId(id))
    }

    /// The user this transaction acts for.
    pub fn user(&self) -> UserId {
        UserId(self.actor.user.unwrap_or_default())
    }

    pub(crate) fn current_action(&self) -> Option<(&'static str, Target)> {
        self.current
    }

    pub(crate) fn take_touched(&mut self) -> Vec<i64> {
        std::mem::take(&mut self.touched)
    }

    /// Starts an operation: remembers it for the failure log and checks the permission.
    pub(crate) fn begin(
        &mut self,
        perm: Permission,
        action: &'static str,
        target: Target,
    ) -> VaultResult<()> {
        self.current = Some((action, target));
        if self.access.allows(perm) {
            Ok(())
        } else {
            Err(VaultError::Denied)
        }
    }

    /// Appends the entry for a finished operation to the log, inside the transaction.
    pub(crate) fn log(
        &mut self,
        action: &'static str,
        target: Target,
        detail: String,
    ) -> VaultResult<()> {
        audit::append(
            self.tx,
            &self.keys.audit,
            &self.keys.vault_id,
            self.actor,
            &Event::ok(action, target, detail),
            &self.clock,
        )?;
        self.current = None;
        Ok(())
    }

    /// As [`Writer::log`], returning the entry's sequence number (for a register row).
    pub(crate) fn log_seq(
        &mut self,
        action: &'static str,
        target: Target,
        detail: String,
    ) -> VaultResult<i64> {
        let seq = audit::append(
            self.tx,
            &self.keys.audit,
            &self.keys.vault_id,
            self.actor,
            &Event::ok(action, target, detail),
            &self.clock,
        )?;
        self.current = None;
        Ok(seq)
    }

    /// An out-of-scope person is answered exactly like a missing one.
    pub(crate) fn require_in_scope(&self, id: PersonId) -> VaultResult<()> {
        let facts = scope_facts(self.tx, self.keys, id)?;
        if facts.within(&self.access.scope) {
            Ok(())
        } else {
            self.out_of_scope.set(true);
            Err(VaultError::UnknownPerson(id.0))
        }
    }

    pub(crate) fn was_out_of_scope(&self) -> bool {
        self.out_of_scope.get()
    }

    pub(crate) fn tx(&self) -> &Connection {
        self.tx
    }

    pub(crate) fn keys(&self) -> &Keys {
        self.keys
    }

    pub(crate) fn now(&self) -> &str {
        &self.now
    }

    /// A new or changed person must land inside the user's scope too.
    fn require_role_in_scope(&self, role: &Role) -> VaultResult<()> {
        let facts = match role {
            Role::Employee {
                code, department, ..
            } => ScopeFacts {
                kind: PersonKind::Employee,
                department: *department,
                code: Some(code.clone()),
            },
            Role::Family { employee, .. } => {
                // Scope first: whether an out-of-scope ID is an employee must not leak.
                self.require_in_scope(*employee)?;
                self.require_employee(*employee)?;
                return Ok(());
            }
            Role::Payee { .. } => ScopeFacts {
                kind: PersonKind::Payee,
                department: None,
                code: None,
            },
        };
        if facts.within(&self.access.scope) {
            Ok(())
        } else {
            Err(VaultError::Denied)
        }
    }

    /// A status is bound into the profile's associated data, so the profile is sealed anew.
    fn update_collection(&mut self, id: PersonId, status: CollectionStatus) -> VaultResult<()> {
        let (kind, pkey) = person_key(self.tx, self.keys, id)?;
        let mut person = read_person(self.tx, self.keys, id, kind, &pkey)?;
        person.collection = status;
        self.touched.push(id.0);
        let (plain, profile) = split(&person);
        let sealed_profile = seal_profile(self.keys, &pkey, id.0, &plain, &profile)?;
        self.tx.execute(
            "UPDATE persons SET collection_status = ?2, sealed_profile = ?3, updated_at = ?4 WHERE id = ?1",
            params![id.0, status.key(), sealed_profile, self.now],
        )?;
        Ok(())
    }

    /// A payee's number fits their kind (a My Number or a corporate number), so the kind
    /// cannot change while a number is held: delete the number first.
    fn require_same_payee_kind(
        &self,
        id: PersonId,
        kind: PersonKind,
        pkey: &Key,
        role: &Role,
    ) -> VaultResult<()> {
        let Role::Payee { kind: new, .. } = role else {
            return Ok(());
        };
        let has_number: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM numbers WHERE person_id = ?1)",
            [id.0],
            |r| r.get(0),
        )?;
        if !has_number {
            return Ok(());
        }
        match read_person(self.tx, self.keys, id, kind, pkey)?.role {
            Role::Payee { kind: old, .. } if old != *new => Err(VaultError::PayeeKindWithNumber),
            _ => Ok(()),
        }
    }

    fn store_number(
        &mut self,
        id: i64,
        pkey: &Key,
        role: &Role,
        number: &PersonNumber,
    ) -> VaultResult<()> {
        let corporate = matches!(
            role,
            Role::Payee {
                kind: PayeeKind::Corporation,
                ..
            }
        );
        if corporate != matches!(number, PersonNumber::Corporate(_)) {
            return Err(VaultError::WrongNumberKind);
        }
        let index = number_index(self.keys, number);
        let holder: Option<i64> = self
            .tx
            .query_row(
                "SELECT person_id FROM numbers WHERE number_index = ?1",
                [&index[..]],
                |r| r.get(0),
            )
            .optional()?;
        if holder.is_some_and(|h| h != id) {
            return Err(VaultError::DuplicateNumber);
        }
        let mut plain = Zeroizing::new(String::with_capacity(32));
        plain.push_str(number.domain());
        plain.push(':');
        plain.push_str(number.expose_digits());
        let sealed = pkey.seal(&number_aad(self.keys, id), plain.as_bytes())?;
        self.tx.execute(
            "INSERT INTO numbers (person_id, number_index, sealed, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id) DO UPDATE SET number_index = excluded.number_index,
                 sealed = excluded.sealed, updated_at = excluded.updated_at",
            params![id, &index[..], sealed, self.now],
        )?;
        Ok(())
    }

    fn require_employee(&self, id: PersonId) -> VaultResult<()> {
        let kind: Option<String> = self
            .tx
            .query_row("SELECT kind FROM persons WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })
            .optional()?;
        match kind.as_deref() {
            Some("employee") => Ok(()),
            Some(_) => Err(VaultError::NotAnEmployee(id.0)),
            None => Err(VaultError::UnknownPerson(id.0)),
        }
    }

    fn require_free_code(
        &self,
        index: &[u8; INDEX_LEN],
        code: &str,
        except: Option<i64>,
    ) -> VaultResult<()> {
        let holder: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM persons WHERE code_index = ?1",
                [&index[..]],
                |r| r.get(0),
            )
            .optional()?;
        if holder.is_some_and(|h| Some(h) != except) {
            Err(VaultError::DuplicateCode(code.into()))
        } else {
            Ok(())
        }
    }
}
