//! Printing through CUPS: the PDF is piped to `lp` on its standard input (never a temporary
//! file of ours). The server is the local one, or `CUPS_SERVER` (a socket path) when set.
//! STUB: being written.

use crate::error::FormError;

/// The most copies one print may ask for.
pub const MAX_COPIES: u32 = 20;

/// What to print where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    /// The queue; `None` for the server's default printer.
    pub printer: Option<String>,
    pub copies: u32,
    /// The job's title as the queue shows it (the form's name; never a person's name).
    pub title: String,
}

/// A printer the server offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printer {
    pub name: String,
    pub is_default: bool,
}

/// Sends `pdf` to CUPS; returns the job ID (`queue-42`).
pub fn submit(pdf: &[u8], job: &PrintJob) -> Result<String, FormError> {
    let _ = (pdf, job);
    Err(FormError::Pdf("not yet".into()))
}

/// The printers the server offers.
pub fn printers() -> Result<Vec<Printer>, FormError> {
    Ok(Vec::new())
}
