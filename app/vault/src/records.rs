//! The records kept about a person (F3): collection history (経過), notices of the purposes of
//! use, identity verifications and approvals. Each is sealed under the person's key, so it is
//! destroyed with the person.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use kinko_domain::people::{
    Approval, CollectionEvent, IdentityVerification, PersonId, PurposeNotice,
};

use crate::access::Permission;
use crate::crypto::Aad;
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::people_write::Writer;
use crate::session::Session;
use crate::store_util::next_id;

/// One record about a person. The JSON shape is the on-disk format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PersonRecord {
    Collection(CollectionEvent),
    Purpose(PurposeNotice),
    Verification(IdentityVerification),
    Approval(Approval),
}

impl PersonRecord {
    fn kind(&self) -> &'static str {
        match self {
            PersonRecord::Collection(_) => "collection",
            PersonRecord::Purpose(_) => "purpose",
            PersonRecord::Verification(_) => "verification",
            PersonRecord::Approval(_) => "approval",
        }
    }
}

pub(crate) fn record_aad(keys: &Keys, id: i64, person: PersonId, kind: &str) -> Aad {
    keys.aad(
        "person_records.sealed",
        id,
        &format!("person={};kind={kind}", person.0),
    )
}

impl Writer<'_> {
    /// Appends a record to a person's file. A collection step also moves their status.
    pub fn add_record(&mut self, person: PersonId, record: &PersonRecord) -> VaultResult<i64> {
        self.begin(Permission::Update, "record.add", Some(("person", person.0)))?;
        self.require_in_scope(person)?;
        let (_, pkey) = crate::people::person_key(self.tx(), self.keys(), person)?;
        let id = next_id(self.tx(), "person_records")?;
        let kind = record.kind();
        let json = zeroize::Zeroizing::new(
            serde_json::to_vec(record).map_err(|_| VaultError::Crypto("serialize"))?,
        );
        let sealed = pkey.seal(&record_aad(self.keys(), id, person, kind), &json)?;
        self.tx().execute(
            "INSERT INTO person_records (id, person_id, kind, sealed, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, person.0, kind, sealed, self.user().0, self.now()],
        )?;
        self.log(
            "record.add",
            Some(("person", person.0)),
            format!("kind={kind}"),
        )?;
        if let PersonRecord::Collection(event) = record {
            self.set_collection_status(person, event.status)?;
        }
        Ok(id)
    }
}

impl Session {
    /// A person's records, oldest first.
    pub fn records(&mut self, person: PersonId) -> VaultResult<Vec<PersonRecord>> {
        self.person_op(Permission::ViewPerson, "record.list", person)?;
        self.read_records(person)
    }

    /// A person's records, oldest first, without the gate: for callers that have checked
    /// permission and scope and log the read themselves (printing).
    pub(crate) fn read_records(&self, person: PersonId) -> VaultResult<Vec<PersonRecord>> {
        let keys = self.keys()?;
        let (_, pkey) = crate::people::person_key(&self.conn, keys, person)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, sealed FROM person_records WHERE person_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([person.0], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, sealed) = row?;
            let kind = crate::people::static_kind(&kind)?;
            let plain = pkey.open(&record_aad(keys, id, person, kind), &sealed)?;
            let record = serde_json::from_slice(&plain).map_err(|_| VaultError::Tampered {
                place: "person_records.sealed",
            })?;
            out.push(record);
        }
        Ok(out)
    }
}
