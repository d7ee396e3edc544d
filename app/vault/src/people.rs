//! People in the vault: adding, changing, reading, listing and searching them, and their
//! numbers.
//!
//! On disk a person is a row of `persons` with the clear columns (ID, kind, employee link,
//! department, statuses) and two sealed ones: the person's own random key, sealed under the
//! epoch wrapping key, and the profile (every personal field, as JSON), sealed under that
//! person key. The number is a row of `numbers`, sealed under the person key too, beside its
//! blind index.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use kinko_domain::number::{CorporateNumber, MyNumber};
use kinko_domain::people::{
    CollectionStatus, DepartmentId, DependantType, EmploymentStatus, PayeeKind, Person, PersonId,
    PersonKind, PersonalDetails, Role, UserId,
};
use kinko_domain::text::{self, Field};

use crate::crypto::{INDEX_LEN, Key};
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::session::Session;
use crate::store_util::{next_id, now_utc};

/// A person's number: a My Number, or a 法人番号 for a corporate payee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonNumber {
    Individual(MyNumber),
    Corporate(CorporateNumber),
}

impl PersonNumber {
    pub fn expose_digits(&self) -> &str {
        match self {
            PersonNumber::Individual(n) => n.expose_digits(),
            PersonNumber::Corporate(n) => n.expose_digits(),
        }
    }

    pub fn masked(&self) -> String {
        match self {
            PersonNumber::Individual(n) => n.masked(),
            PersonNumber::Corporate(n) => n.masked(),
        }
    }

    fn domain(&self) -> &'static str {
        match self {
            PersonNumber::Individual(_) => "indiv",
            PersonNumber::Corporate(_) => "corp",
        }
    }

    /// Parses the sealed form `indiv:123456789018` / `corp:5835678256246`.
    fn from_sealed(plain: &[u8]) -> VaultResult<PersonNumber> {
        let bad = || VaultError::Tampered {
            place: "numbers.sealed",
        };
        let s = std::str::from_utf8(plain).map_err(|_| bad())?;
        let (domain, digits) = s.split_once(':').ok_or_else(bad)?;
        match domain {
            "indiv" => Ok(PersonNumber::Individual(
                MyNumber::parse(digits).map_err(|_| bad())?,
            )),
            "corp" => Ok(PersonNumber::Corporate(
                CorporateNumber::parse(digits).map_err(|_| bad())?,
            )),
            _ => Err(bad()),
        }
    }
}

/// A person to add.
pub struct NewPerson {
    pub role: Role,
    pub details: PersonalDetails,
    pub number: Option<PersonNumber>,
}

/// A person as read back, with the number masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonView {
    pub id: PersonId,
    pub person: Person,
    /// `**** **** 9012`, or `None` when no number is registered.
    pub masked_number: Option<String>,
}

/// One line of the people list. Holds no number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSummary {
    pub id: PersonId,
    pub kind: PersonKind,
    pub code: Option<String>,
    pub name: String,
    pub kana: String,
    pub department: Option<DepartmentId>,
    pub employee: Option<PersonId>,
    pub employment: Option<EmploymentStatus>,
    pub collection: CollectionStatus,
    pub has_number: bool,
}

/// What to list. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct PeopleQuery {
    /// Matches the start of a code, or any part of the name or kana (kana may be typed in
    /// hiragana or half-width; spaces are ignored).
    pub text: Option<String>,
    pub kind: Option<PersonKind>,
    pub department: Option<DepartmentId>,
    pub employment: Option<EmploymentStatus>,
    pub collection: Option<CollectionStatus>,
}

/// Every personal field of a person: what `persons.sealed_profile` holds. This JSON shape is
/// the on-disk format; renaming a field is a schema change.
#[derive(Serialize, Deserialize)]
struct SealedProfile {
    name: String,
    kana: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hire_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retire_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    relation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dependant: Option<DependantType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payee_kind: Option<PayeeKind>,
}

/// The clear columns of a `persons` row.
struct PlainColumns {
    kind: PersonKind,
    employee_id: Option<i64>,
    department_id: Option<i64>,
    employment: Option<EmploymentStatus>,
    collection: CollectionStatus,
}

fn split(person: &Person) -> (PlainColumns, SealedProfile) {
    let d = &person.details;
    let mut profile = SealedProfile {
        name: d.name.clone(),
        kana: d.kana.clone(),
        birth_date: d.birth_date,
        address: d.address.clone(),
        code: None,
        hire_date: None,
        retire_date: None,
        relation: None,
        dependant: None,
        payee_kind: None,
    };
    let mut plain = PlainColumns {
        kind: person.role.kind(),
        employee_id: None,
        department_id: None,
        employment: None,
        collection: person.collection,
    };
    match &person.role {
        Role::Employee {
            code,
            department,
            hire_date,
            retire_date,
            status,
        } => {
            profile.code = Some(code.clone());
            profile.hire_date = *hire_date;
            profile.retire_date = *retire_date;
            plain.department_id = department.map(|d| d.0);
            plain.employment = Some(*status);
        }
        Role::Family {
            employee,
            relation,
            dependant,
        } => {
            profile.relation = Some(relation.clone());
            profile.dependant = Some(*dependant);
            plain.employee_id = Some(employee.0);
        }
        Role::Payee { code, kind } => {
            profile.code = Some(code.clone());
            profile.payee_kind = Some(*kind);
        }
    }
    (plain, profile)
}

fn join(plain: PlainColumns, p: SealedProfile) -> VaultResult<Person> {
    let bad = || VaultError::Tampered {
        place: "persons.sealed_profile",
    };
    let role = match plain.kind {
        PersonKind::Employee => Role::Employee {
            code: p.code.ok_or_else(bad)?,
            department: plain.department_id.map(DepartmentId),
            hire_date: p.hire_date,
            retire_date: p.retire_date,
            status: plain.employment.ok_or_else(bad)?,
        },
        PersonKind::Family => Role::Family {
            employee: PersonId(plain.employee_id.ok_or_else(bad)?),
            relation: p.relation.ok_or_else(bad)?,
            dependant: p.dependant.ok_or_else(bad)?,
        },
        PersonKind::Payee => Role::Payee {
            code: p.code.ok_or_else(bad)?,
            kind: p.payee_kind.ok_or_else(bad)?,
        },
    };
    let details = PersonalDetails {
        name: p.name,
        kana: p.kana,
        birth_date: p.birth_date,
        address: p.address,
    };
    Ok(Person {
        role,
        details,
        collection: plain.collection,
    })
}

/// Normalises and checks every typed field, so that only clean values reach the store.
fn normalized(mut person: Person) -> VaultResult<Person> {
    let d = &mut person.details;
    d.name = text::normalize_name(&d.name, Field::Name)?;
    d.kana = text::normalize_kana(&d.kana)?;
    if let Some(a) = &d.address {
        d.address = Some(text::normalize_name(a, Field::Address)?);
    }
    match &mut person.role {
        Role::Employee { code, .. } | Role::Payee { code, .. } => {
            *code = text::normalize_code(code)?
        }
        Role::Family { relation, .. } => {
            *relation = text::normalize_name(relation, Field::Relation)?
        }
    }
    Ok(person)
}

fn code_index(keys: &Keys, kind: PersonKind, code: &str) -> [u8; INDEX_LEN] {
    keys.code_index.blind_index(kind.key(), code.as_bytes())
}

fn number_index(keys: &Keys, number: &PersonNumber) -> [u8; INDEX_LEN] {
    keys.number_index
        .blind_index(number.domain(), number.expose_digits().as_bytes())
}

fn key_aad(keys: &Keys, id: i64, epoch: i64) -> crate::crypto::Aad {
    keys.aad("persons.sealed_key", id, &format!("epoch={epoch}"))
}

fn profile_aad(keys: &Keys, id: i64, kind: PersonKind) -> crate::crypto::Aad {
    keys.aad("persons.sealed_profile", id, kind.key())
}

fn number_aad(keys: &Keys, id: i64) -> crate::crypto::Aad {
    keys.aad("numbers.sealed", id, "")
}

fn seal_profile(
    keys: &Keys,
    pkey: &Key,
    id: i64,
    kind: PersonKind,
    p: &SealedProfile,
) -> VaultResult<Vec<u8>> {
    // Pre-sized so serialising never reallocates and leaves plaintext copies behind.
    let mut json = Zeroizing::new(Vec::with_capacity(8192));
    serde_json::to_writer(&mut *json, p).map_err(|_| VaultError::Crypto("serialize"))?;
    pkey.seal(&profile_aad(keys, id, kind), &json)
}

fn open_profile(
    keys: &Keys,
    pkey: &Key,
    id: i64,
    kind: PersonKind,
    sealed: &[u8],
) -> VaultResult<SealedProfile> {
    let plain = pkey.open(&profile_aad(keys, id, kind), sealed)?;
    serde_json::from_slice(&plain).map_err(|_| VaultError::Tampered {
        place: "persons.sealed_profile",
    })
}

/// The write half of a transaction (see [`Session::write`]).
pub struct Writer<'t> {
    tx: &'t Transaction<'t>,
    keys: &'t Keys,
    user: UserId,
    now: String,
}

impl<'t> Writer<'t> {
    pub(crate) fn new(tx: &'t Transaction<'t>, keys: &'t Keys, user: UserId) -> Writer<'t> {
        Writer {
            tx,
            keys,
            user,
            now: now_utc(),
        }
    }

    /// Adds a person (and their number, if given). A number marks them 回収済 unless a later
    /// status was given.
    pub fn add_person(&mut self, new: NewPerson) -> VaultResult<PersonId> {
        let mut person = normalized(Person {
            role: new.role,
            details: new.details,
            collection: CollectionStatus::NotRequested,
        })?;
        if new.number.is_some() {
            person.collection = CollectionStatus::Collected;
        }
        if let Role::Family { employee, .. } = person.role {
            self.require_employee(employee)?;
        }
        let (plain, profile) = split(&person);
        let cindex = person
            .role
            .code()
            .map(|c| code_index(self.keys, plain.kind, c));
        if let Some(ci) = &cindex {
            self.require_free_code(ci, person.role.code().unwrap_or_default())?;
        }
        let id = next_id(self.tx, "persons")?;
        let pkey = Key::random()?;
        let epoch = self.keys.epoch;
        let sealed_key = self
            .keys
            .epoch_key
            .seal(&key_aad(self.keys, id, epoch), pkey.expose())?;
        let sealed_profile = seal_profile(self.keys, &pkey, id, plain.kind, &profile)?;
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
        if let Some(number) = &new.number {
            self.store_number(id, &pkey, plain.kind, &person.role, number)?;
        }
        Ok(PersonId(id))
    }

    /// Replaces a person's details and role fields (their kind cannot change).
    pub fn update_person(&mut self, id: PersonId, person: Person) -> VaultResult<()> {
        let person = normalized(person)?;
        let (old_kind, pkey) = self.person_key(id)?;
        let (plain, profile) = split(&person);
        if plain.kind != old_kind {
            return Err(VaultError::UnknownPerson(id.0));
        }
        if let Role::Family { employee, .. } = person.role {
            self.require_employee(employee)?;
        }
        let cindex = person
            .role
            .code()
            .map(|c| code_index(self.keys, plain.kind, c));
        if let Some(ci) = &cindex {
            let holder: Option<i64> = self
                .tx
                .query_row(
                    "SELECT id FROM persons WHERE code_index = ?1",
                    [&ci[..]],
                    |r| r.get(0),
                )
                .optional()?;
            if holder.is_some_and(|h| h != id.0) {
                return Err(VaultError::DuplicateCode(
                    person.role.code().unwrap_or_default().into(),
                ));
            }
        }
        let sealed_profile = seal_profile(self.keys, &pkey, id.0, plain.kind, &profile)?;
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
        Ok(())
    }

    /// Registers or replaces a person's number.
    pub fn set_number(&mut self, id: PersonId, number: &PersonNumber) -> VaultResult<()> {
        let (kind, pkey) = self.person_key(id)?;
        let person = self.read_person(id, kind, &pkey)?;
        self.store_number(id.0, &pkey, kind, &person.role, number)?;
        if matches!(
            person.collection,
            CollectionStatus::NotRequested | CollectionStatus::Requested
        ) {
            self.set_collection_status(id, CollectionStatus::Collected)?;
        }
        Ok(())
    }

    /// Moves a person's collection status (未依頼 → 依頼済 → 回収済 → 確認済, or 提出拒否).
    pub fn set_collection_status(
        &mut self,
        id: PersonId,
        status: CollectionStatus,
    ) -> VaultResult<()> {
        let n = self.tx.execute(
            "UPDATE persons SET collection_status = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.0, status.key(), self.now],
        )?;
        if n == 0 {
            return Err(VaultError::UnknownPerson(id.0));
        }
        Ok(())
    }

    /// The department called `name`, created if it does not exist yet.
    pub fn department(&mut self, name: &str) -> VaultResult<DepartmentId> {
        let name = text::normalize_name(name, Field::Department)?;
        self.tx.execute(
            "INSERT INTO departments (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
            params![name, self.now],
        )?;
        let id = self
            .tx
            .query_row("SELECT id FROM departments WHERE name = ?1", [&name], |r| {
                r.get(0)
            })?;
        Ok(DepartmentId(id))
    }

    /// The user this transaction acts for.
    pub fn user(&self) -> UserId {
        self.user
    }

    pub(crate) fn tx(&self) -> &Transaction<'t> {
        self.tx
    }

    pub(crate) fn keys(&self) -> &Keys {
        self.keys
    }

    pub(crate) fn now(&self) -> &str {
        &self.now
    }

    pub(crate) fn person_key(&self, id: PersonId) -> VaultResult<(PersonKind, Key)> {
        person_key(self.tx, self.keys, id)
    }

    fn read_person(&self, id: PersonId, kind: PersonKind, pkey: &Key) -> VaultResult<Person> {
        read_person(self.tx, self.keys, id, kind, pkey)
    }

    fn store_number(
        &mut self,
        id: i64,
        pkey: &Key,
        kind: PersonKind,
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
        debug_assert!(kind == role.kind());
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

    fn require_free_code(&self, index: &[u8; INDEX_LEN], code: &str) -> VaultResult<()> {
        let taken: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM persons WHERE code_index = ?1)",
            [&index[..]],
            |r| r.get(0),
        )?;
        if taken {
            Err(VaultError::DuplicateCode(code.into()))
        } else {
            Ok(())
        }
    }
}

/// Maps a stored record kind back to its static name (part of the associated data).
pub(crate) fn static_kind(kind: &str) -> VaultResult<&'static str> {
    [
        "collection",
        "purpose",
        "verification",
        "approval",
        "evidence",
    ]
    .into_iter()
    .find(|k| *k == kind)
    .ok_or(VaultError::Tampered {
        place: "person_records.kind",
    })
}

/// Reads and opens a person's key.
pub(crate) fn person_key(
    conn: &Connection,
    keys: &Keys,
    id: PersonId,
) -> VaultResult<(PersonKind, Key)> {
    let row: Option<(String, i64, Vec<u8>)> = conn
        .query_row(
            "SELECT kind, key_epoch, sealed_key FROM persons WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (kind, epoch, sealed) = row.ok_or(VaultError::UnknownPerson(id.0))?;
    let kind = PersonKind::parse(&kind).ok_or(VaultError::Tampered {
        place: "persons.kind",
    })?;
    let wk = keys.epoch_key(conn, epoch)?;
    Ok((kind, wk.open_key(&key_aad(keys, id.0, epoch), &sealed)?))
}

fn read_person(
    conn: &Connection,
    keys: &Keys,
    id: PersonId,
    kind: PersonKind,
    pkey: &Key,
) -> VaultResult<Person> {
    let (plain, sealed) = conn.query_row(
        "SELECT employee_id, department_id, employment_status, collection_status, sealed_profile
         FROM persons WHERE id = ?1",
        [id.0],
        |r| {
            let plain = (
                r.get::<_, Option<i64>>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            );
            Ok((plain, r.get::<_, Vec<u8>>(4)?))
        },
    )?;
    let cols = plain_columns(kind, plain.0, plain.1, plain.2.as_deref(), &plain.3)?;
    join(cols, open_profile(keys, pkey, id.0, kind, &sealed)?)
}

fn plain_columns(
    kind: PersonKind,
    employee_id: Option<i64>,
    department_id: Option<i64>,
    employment: Option<&str>,
    collection: &str,
) -> VaultResult<PlainColumns> {
    let bad = || VaultError::Tampered { place: "persons" };
    Ok(PlainColumns {
        kind,
        employee_id,
        department_id,
        employment: match employment {
            Some(e) => Some(EmploymentStatus::parse(e).ok_or_else(bad)?),
            None => None,
        },
        collection: CollectionStatus::parse(collection).ok_or_else(bad)?,
    })
}

impl Session {
    /// Adds one person in its own transaction.
    pub fn add_person(&mut self, new: NewPerson) -> VaultResult<PersonId> {
        self.write(|w| w.add_person(new))
    }

    /// Sets one person's number in its own transaction.
    pub fn set_number(&mut self, id: PersonId, number: &PersonNumber) -> VaultResult<()> {
        self.write(|w| w.set_number(id, number))
    }

    /// The person with `code` of `kind` (employee or payee), if any.
    pub fn find_by_code(&self, kind: PersonKind, code: &str) -> VaultResult<Option<PersonId>> {
        let code = text::normalize_code(code)?;
        let index = code_index(&self.keys, kind, &code);
        let id = self
            .conn
            .query_row(
                "SELECT id FROM persons WHERE code_index = ?1",
                [&index[..]],
                |r| r.get(0),
            )
            .optional()?;
        Ok(id.map(PersonId))
    }

    /// One person, with the number masked.
    pub fn person(&self, id: PersonId) -> VaultResult<PersonView> {
        let (kind, pkey) = person_key(&self.conn, &self.keys, id)?;
        let person = read_person(&self.conn, &self.keys, id, kind, &pkey)?;
        let masked_number = self.open_number(id, &pkey)?.map(|n| n.masked());
        Ok(PersonView {
            id,
            person,
            masked_number,
        })
    }

    /// A person's number in full. The caller shows it and lets it go; it zeroizes on drop.
    pub fn reveal_number(&self, id: PersonId) -> VaultResult<Option<PersonNumber>> {
        let (_, pkey) = person_key(&self.conn, &self.keys, id)?;
        self.open_number(id, &pkey)
    }

    /// An employee's family members, oldest record first.
    pub fn family_of(&self, employee: PersonId) -> VaultResult<Vec<PersonView>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM persons WHERE employee_id = ?1 ORDER BY id")?;
        let ids: Vec<i64> = stmt
            .query_map([employee.0], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .map(|id| self.person(PersonId(id)))
            .collect()
    }

    /// People matching `query`, in the order they were registered.
    pub fn list(&mut self, query: &PeopleQuery) -> VaultResult<Vec<PersonSummary>> {
        let matcher = Matcher::new(query);
        Ok(self
            .index()?
            .rows
            .iter()
            .filter(|r| matcher.matches(r))
            .map(|r| r.summary.clone())
            .collect())
    }

    /// How many people of each kind there are.
    pub fn count(&mut self, kind: PersonKind) -> VaultResult<usize> {
        Ok(self
            .index()?
            .rows
            .iter()
            .filter(|r| r.summary.kind == kind)
            .count())
    }

    /// The departments, by ID.
    pub fn departments(&self) -> VaultResult<Vec<(DepartmentId, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM departments ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((DepartmentId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn open_number(&self, id: PersonId, pkey: &Key) -> VaultResult<Option<PersonNumber>> {
        let sealed: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT sealed FROM numbers WHERE person_id = ?1",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        match sealed {
            Some(s) => {
                let plain = pkey.open(&number_aad(&self.keys, id.0), &s)?;
                Ok(Some(PersonNumber::from_sealed(&plain)?))
            }
            None => Ok(None),
        }
    }
}

/// The decrypted list of people a session searches in memory.
pub(crate) struct PeopleIndex {
    pub data_version: i64,
    rows: Vec<IndexRow>,
}

struct IndexRow {
    summary: PersonSummary,
    /// Name and kana without spaces, for matching.
    name_key: String,
    kana_key: String,
}

impl PeopleIndex {
    pub fn empty() -> PeopleIndex {
        PeopleIndex {
            data_version: -1,
            rows: Vec::new(),
        }
    }

    pub fn load(conn: &Connection, keys: &Keys, data_version: i64) -> VaultResult<PeopleIndex> {
        let mut stmt = conn.prepare(
            "SELECT p.id, p.kind, p.employee_id, p.department_id, p.employment_status,
                    p.collection_status, p.key_epoch, p.sealed_key, p.sealed_profile,
                    n.person_id IS NOT NULL
             FROM persons p LEFT JOIN numbers n ON n.person_id = p.id ORDER BY p.id",
        )?;
        let mut rows = Vec::new();
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            let kind = PersonKind::parse(&r.get::<_, String>(1)?).ok_or(VaultError::Tampered {
                place: "persons.kind",
            })?;
            let epoch: i64 = r.get(6)?;
            let wk = keys.epoch_key(conn, epoch)?;
            let pkey = wk.open_key(&key_aad(keys, id, epoch), &r.get::<_, Vec<u8>>(7)?)?;
            let profile = open_profile(keys, &pkey, id, kind, &r.get::<_, Vec<u8>>(8)?)?;
            let employment: Option<String> = r.get(4)?;
            let cols = plain_columns(
                kind,
                r.get(2)?,
                r.get(3)?,
                employment.as_deref(),
                &r.get::<_, String>(5)?,
            )?;
            rows.push(IndexRow::new(id, cols, profile, r.get(9)?));
        }
        Ok(PeopleIndex { data_version, rows })
    }
}

impl IndexRow {
    fn new(id: i64, cols: PlainColumns, p: SealedProfile, has_number: bool) -> IndexRow {
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        IndexRow {
            name_key: squash(&p.name),
            kana_key: squash(&p.kana),
            summary: PersonSummary {
                id: PersonId(id),
                kind: cols.kind,
                code: p.code,
                name: p.name,
                kana: p.kana,
                department: cols.department_id.map(DepartmentId),
                employee: cols.employee_id.map(PersonId),
                employment: cols.employment,
                collection: cols.collection,
                has_number,
            },
        }
    }
}

struct Matcher<'q> {
    query: &'q PeopleQuery,
    text: Option<String>,
    kana: Option<String>,
}

impl<'q> Matcher<'q> {
    fn new(query: &'q PeopleQuery) -> Matcher<'q> {
        let text: Option<String> = query
            .text
            .as_deref()
            .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect())
            .filter(|t: &String| !t.is_empty());
        let kana = text.as_deref().and_then(|t| text::normalize_kana(t).ok());
        Matcher { query, text, kana }
    }

    fn matches(&self, r: &IndexRow) -> bool {
        let s = &r.summary;
        let q = self.query;
        q.kind.is_none_or(|k| k == s.kind)
            && q.department.is_none_or(|d| Some(d) == s.department)
            && q.employment.is_none_or(|e| Some(e) == s.employment)
            && q.collection.is_none_or(|c| c == s.collection)
            && self.text.as_deref().is_none_or(|t| {
                s.code.as_deref().is_some_and(|c| c.starts_with(t))
                    || r.name_key.contains(t)
                    || self.kana.as_deref().is_some_and(|k| r.kana_key.contains(k))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The profile's JSON is the on-disk format of every vault ever written: this pins it.
    #[test]
    fn the_sealed_profile_format_is_stable() {
        let person = Person {
            role: Role::Family {
                employee: PersonId(7),
                relation: "配偶者".into(),
                dependant: DependantType::PensionCategory3,
            },
            details: PersonalDetails {
                name: "山田　花子".into(),
                kana: "ヤマダ　ハナコ".into(),
                birth_date: NaiveDate::from_ymd_opt(1982, 5, 5),
                address: None,
            },
            collection: CollectionStatus::Verified,
        };
        let (plain, profile) = split(&person);
        let json = serde_json::to_string(&profile).unwrap();
        assert_eq!(
            json,
            r#"{"name":"山田　花子","kana":"ヤマダ　ハナコ","birth_date":"1982-05-05","relation":"配偶者","dependant":"pension3"}"#
        );
        let back: SealedProfile = serde_json::from_str(&json).unwrap();
        assert_eq!(join(plain, back).unwrap(), person);
    }
}
