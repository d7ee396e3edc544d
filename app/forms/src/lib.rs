//! Kinko's forms (PRODUCT.md F9): A4 pages laid out in millimetres with the embedded IPAex
//! Gothic font (subset on save), the collection forms and the records, and the two pipes out:
//! to CUPS (`lp`) for printing and to `pdftoppm` for preview images.
//!
//! The forms are filled from plain values ([`model`]) that the engine gathers after its
//! permission and scope checks; this crate never reads the vault and decides nothing about who
//! may see what. Its only I/O is the two pipes, and neither writes a temporary file.

pub mod collection;
pub mod cups;
pub mod document;
pub mod error;
pub mod font;
pub mod kind;
pub mod layout;
pub mod model;
pub mod raster;
pub mod records;
pub mod samples;
pub mod table;

pub use document::{DocInfo, Document, Pdf};
pub use error::FormError;
pub use kind::FormKind;
pub use model::{
    AuditLine, Firm, FormPerson, Household, Issue, NumberShown, SanitizeSheet, SealSheet,
    SessionLine, TakeoutLine, Verification,
};
