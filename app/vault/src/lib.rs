//! Kinko's engine: the encrypted vault, its users and its audit log.
//!
//! A [`Vault`] is a directory holding one SQLite database. Opening it checks its integrity;
//! logging in ([`Vault::login`]) checks the password (with lock-out), the PC, and unlocks the
//! key hierarchy (see `keys.rs`), giving a [`Session`], the only holder of keys and plaintext.
//! Every operation passes the session's gate — auto-lock, forced password change, permission,
//! data scope — and writes its audit entry in the same transaction as its change.
//!
//! Architecture invariants:
//! - Personal data is on disk only as AES-256-GCM ciphertext bound to its vault, table, row and
//!   schema version; numbers are found by keyed blind index, never by plaintext.
//! - No error, `Debug` output or log line carries a number, a password, a key or a name.
//! - Every write is one SQLite transaction with `synchronous=FULL` in WAL mode, and carries its
//!   audit entry.

mod access;
mod audit;
mod audit_ops;
pub mod audit_words;
mod auth;
mod clock;
mod company;
mod crypto;
mod deletion;
pub mod demo;
mod destroy;
mod error;
mod export;
mod import;
mod kdf;
mod keys;
mod keyslot;
mod medium;
mod pc;
mod people;
mod people_read;
mod people_write;
mod policy;
mod print;
mod print_model;
mod records;
mod recovery;
mod retention;
mod sanitize;
mod schema;
mod sealed_box;
mod session;
mod settings;
mod sheets;
pub mod staged;
mod store;
mod store_util;
mod summary;
mod this_pc;
mod users;
mod vault;

pub use access::{Access, Permission, Scope, UserRole};
pub use audit::{Actor, AuditEntry, AuditProblem, AuditQuery, Outcome, Seal, VerifyReport};
pub use audit_ops::{AuditNames, SessionRecord};
pub use auth::japan_time;
pub use clock::{Clock, ClockAnomaly, ManualClock, SystemClock};
pub use company::{Company, MAX_COMPANY_CHARS, UNSET_COMPANY_NAME};
pub use deletion::{
    DELETION_METHOD, Deletion, DeletionKind, DeletionPreview, DeletionSummary, MAX_REASON_CHARS,
};
pub use destroy::{DESTROY_PHRASE, DestroyRequest};
pub use error::{VaultError, VaultResult};
pub use export::{
    Export, ExportFile, ExportFormat, ExportKind, ExportRequest, MAX_TAKEOUT_CHARS, PAYEE_HEADERS,
    Takeout,
};
pub use import::{ImportLine, ImportPreview, ImportProblem, ImportReason, ImportReport};
pub use kdf::KdfParams;
/// The forms' names and finished PDFs, as [`Session::print_form`] takes and gives them.
pub use kinko_forms::{FormKind, Pdf};
pub use medium::{MEDIUM_PERMISSIONS, MediumAction};
pub use pc::{PC_ID_ENV, PcIdentity};
pub use people::{NewPerson, PeopleQuery, PersonNumber, PersonSummary, PersonView};
pub use people_write::Writer;
pub use policy::MIN_PASSWORD_CHARS;
pub use print::{PrintOutput, PrintRequest, Printed, japan_datetime, recovery_sheet_pdf};
pub use records::PersonRecord;
pub use retention::DueItem;
pub use sanitize::SanitizeDetails;
pub use schema::SCHEMA_VERSION;
pub use session::{LockReason, Session};
pub use settings::Policy;
pub use sheets::{
    bytes_ja, destruction_record_pdf, destruction_sheet, level_ja, outcome_ja,
    sanitize_certificate_pdf, sanitize_sheet,
};
pub use store::DB_FILE;
pub use summary::{CollectionSummary, DepartmentStatus, StatusCounts};
pub use users::{NewUser, PcInfo, UserInfo};
pub use vault::{Created, Vault, normalize_login};
