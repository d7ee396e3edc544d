//! People in the vault: adding, changing, reading, listing and searching them, and their
//! numbers.
//!
//! On disk a person is a row of `persons` with the clear columns (ID, kind, employee link,
//! department, statuses) and two sealed ones: the person's own random key, sealed under the
//! epoch wrapping key, and the profile (every personal field, as JSON), sealed under that
//! person key. The number is a row of `numbers`, sealed under the person key too, beside its
//! blind index.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use kinko_domain::number::{CorporateNumber, MyNumber};
use kinko_domain::people::{
    CollectionStatus, DepartmentId, DependantType, EmploymentStatus, PayeeKind, Person, PersonId,
    PersonKind, PersonalDetails, Role,
};
use kinko_domain::text::{self, Field};

use crate::access::Scope;
use crate::crypto::{INDEX_LEN, Key};
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;

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

    pub(crate) fn domain(&self) -> &'static str {
        match self {
            PersonNumber::Individual(_) => "indiv",
            PersonNumber::Corporate(_) => "corp",
        }
    }

    /// Parses the sealed form `indiv:123456789018` / `corp:5835678256246`.
    pub(crate) fn from_sealed(plain: &[u8]) -> VaultResult<PersonNumber> {
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
pub(crate) struct SealedProfile {
    pub(crate) name: String,
    pub(crate) kana: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) hire_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) retire_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) relation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dependant: Option<DependantType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) payee_kind: Option<PayeeKind>,
}

/// The clear columns of a `persons` row.
pub(crate) struct PlainColumns {
    pub(crate) kind: PersonKind,
    pub(crate) employee_id: Option<i64>,
    pub(crate) department_id: Option<i64>,
    pub(crate) employment: Option<EmploymentStatus>,
    pub(crate) collection: CollectionStatus,
}

pub(crate) fn split(person: &Person) -> (PlainColumns, SealedProfile) {
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
pub(crate) fn normalized(mut person: Person) -> VaultResult<Person> {
    let d = &mut person.details;
    d.name = text::normalize_name(&d.name, Field::Name)?;
    d.kana = text::normalize_kana(&d.kana)?;
    if let Some(a) = &d.address {
        d.address = Some(text::normalize_name(a, Field::Address)?);
    }
    if let Role::Employee {
        hire_date: Some(hired),
        retire_date: Some(retired),
        ..
    } = &person.role
        && retired < hired
    {
        return Err(VaultError::RetireBeforeHire);
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

pub(crate) fn code_index(keys: &Keys, kind: PersonKind, code: &str) -> [u8; INDEX_LEN] {
    keys.code_index.blind_index(kind.key(), code.as_bytes())
}

pub(crate) fn number_index(keys: &Keys, number: &PersonNumber) -> [u8; INDEX_LEN] {
    keys.number_index
        .blind_index(number.domain(), number.expose_digits().as_bytes())
}

pub(crate) fn key_aad(keys: &Keys, id: i64, epoch: i64) -> crate::crypto::Aad {
    keys.aad("persons.sealed_key", id, &format!("epoch={epoch}"))
}

/// The profile's associated data binds every clear column of the row, so that editing a
/// status, a department or a family link on disk makes the profile fail to open.
fn profile_aad(keys: &Keys, id: i64, cols: &PlainColumns) -> crate::crypto::Aad {
    let extra = format!(
        "kind={};employee={};department={};employment={};collection={}",
        cols.kind.key(),
        cols.employee_id.unwrap_or(0),
        cols.department_id.unwrap_or(0),
        cols.employment.map_or("", |e| e.key()),
        cols.collection.key()
    );
    keys.aad("persons.sealed_profile", id, &extra)
}

pub(crate) fn number_aad(keys: &Keys, id: i64) -> crate::crypto::Aad {
    keys.aad("numbers.sealed", id, "")
}

pub(crate) fn seal_profile(
    keys: &Keys,
    pkey: &Key,
    id: i64,
    cols: &PlainColumns,
    p: &SealedProfile,
) -> VaultResult<Vec<u8>> {
    // Pre-sized so serialising never reallocates and leaves plaintext copies behind.
    let mut json = Zeroizing::new(Vec::with_capacity(8192));
    serde_json::to_writer(&mut *json, p).map_err(|_| VaultError::Crypto("serialize"))?;
    pkey.seal(&profile_aad(keys, id, cols), &json)
}

pub(crate) fn open_profile(
    keys: &Keys,
    pkey: &Key,
    id: i64,
    cols: &PlainColumns,
    sealed: &[u8],
) -> VaultResult<SealedProfile> {
    let plain = pkey.open(&profile_aad(keys, id, cols), sealed)?;
    serde_json::from_slice(&plain).map_err(|_| VaultError::Tampered {
        place: "persons.sealed_profile",
    })
}

/// What decides whether a person is in a user's scope: their kind and, for an employee or a
/// family member's employee, the department and code.
pub(crate) struct ScopeFacts {
    pub kind: PersonKind,
    pub department: Option<DepartmentId>,
    pub code: Option<String>,
}

impl ScopeFacts {
    pub fn within(&self, scope: &Scope) -> bool {
        scope.covers(self.kind, self.department, self.code.as_deref())
    }
}

/// Reads the scope facts of person `id` (decrypting the employee's code).
pub(crate) fn scope_facts(conn: &Connection, keys: &Keys, id: PersonId) -> VaultResult<ScopeFacts> {
    let row: Option<(String, Option<i64>, Option<i64>)> = conn
        .query_row(
            "SELECT kind, department_id, employee_id FROM persons WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (kind, department, employee) = row.ok_or(VaultError::UnknownPerson(id.0))?;
    let kind = PersonKind::parse(&kind).ok_or(VaultError::Tampered {
        place: "persons.kind",
    })?;
    match (kind, employee) {
        (PersonKind::Family, Some(e)) => {
            let facts = scope_facts(conn, keys, PersonId(e))?;
            Ok(ScopeFacts { kind, ..facts })
        }
        (PersonKind::Employee, _) => {
            let (_, pkey) = person_key(conn, keys, id)?;
            let code = read_person(conn, keys, id, kind, &pkey)?
                .role
                .code()
                .map(str::to_owned);
            Ok(ScopeFacts {
                kind,
                department: department.map(DepartmentId),
                code,
            })
        }
        _ => Ok(ScopeFacts {
            kind,
            department: None,
            code: None,
        }),
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

pub(crate) fn read_person(
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
    let profile = open_profile(keys, pkey, id.0, &cols, &sealed)?;
    join(cols, profile)
}

pub(crate) fn plain_columns(
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
