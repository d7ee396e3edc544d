//! Kinko's domain core: the values the whole product talks about.
//!
//! Architecture invariant: this crate does no I/O (no files, no clock, no randomness, no
//! logging). Everything here is a pure function of its inputs, so it is tested exhaustively
//! and reused by every front.
//!
//! - [`number`]: the 12-digit My Number and the 13-digit 法人番号, which can only hold valid
//!   values and never print their digits.
//! - [`wareki`]: Japanese era dates (和暦) both ways, and parsing of the date forms people type.
//! - [`people`]: employees, family members, payees, departments, and the collection and
//!   verification records kept about them.
//! - [`retention`]: retention rules and the date a person's number becomes deletable.
//! - [`lang`]: the languages messages can be given in.

pub mod lang;
pub mod number;
pub mod people;
pub mod retention;
pub mod text;
pub mod wareki;

pub use lang::Lang;
pub use number::{CorporateNumber, MyNumber, NumberError};
