//! CSV interop with HR and payroll software (PRODUCT.md F7, F8): bytes in, typed rows out.
//!
//! Architecture invariant: no I/O and no knowledge of the vault. The engine hands this crate
//! the bytes of a file and gets back rows and row errors; writing goes the other way.
