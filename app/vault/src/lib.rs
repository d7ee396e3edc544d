//! Kinko's engine: the encrypted vault.
//!
//! A [`Vault`] is a directory holding one SQLite database. Opening it checks its integrity;
//! logging in ([`Vault::login`]) unlocks the key hierarchy (see [`keys`]) and gives a
//! [`Session`], the only holder of keys and plaintext. Every change goes through
//! [`Session::write`], one transaction each.
//!
//! Architecture invariants:
//! - Personal data is on disk only as AES-256-GCM ciphertext bound to its vault, table, row and
//!   schema version; numbers are found by keyed blind index, never by plaintext.
//! - No error, `Debug` output or log line carries a number, a password or a key.
//! - Every write is one SQLite transaction with `synchronous=FULL` in WAL mode.

mod crypto;
pub mod demo;
mod error;
mod kdf;
pub mod keys;
mod keyslot;
mod people;
mod records;
mod recovery;
mod schema;
mod session;
mod store;
mod store_util;
mod vault;

pub use error::{VaultError, VaultResult};
pub use kdf::KdfParams;
pub use people::{NewPerson, PeopleQuery, PersonNumber, PersonSummary, PersonView, Writer};
pub use records::PersonRecord;
pub use schema::SCHEMA_VERSION;
pub use session::Session;
pub use store::DB_FILE;
pub use vault::{Created, SETUP_ROLE, Vault, normalize_login};
