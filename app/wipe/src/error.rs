//! Typed errors of the crate. No error text ever carries medium contents.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// Failures that stop a sanitize run from starting or continuing as a whole.
/// Per-offset I/O errors during a run are not errors: they are listed in the report.
#[derive(Debug, Error)]
pub enum WipeError {
    #[error("cannot open {path}: {source}")]
    Open { path: PathBuf, source: io::Error },
    #[error("{path} is in use (mounted, or held by another device or process)")]
    Busy { path: PathBuf },
    #[error(
        "{path} holds the running system ({detail}); copy the system to memory and say so first"
    )]
    SystemDevice { path: PathBuf, detail: String },
    #[error("{path} is {actual} bytes, but the plan was made for {planned} bytes")]
    SizeChanged {
        path: PathBuf,
        planned: u64,
        actual: u64,
    },
    #[error("{path} is on the medium being wiped; keep the certificate elsewhere")]
    CertificateOnMedium { path: PathBuf },
    #[error("the medium is empty (0 bytes)")]
    Empty,
    #[error("the method {0} cannot be run by this version of the engine")]
    MethodNotRunnable(String),
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
    #[error("keystream position {0} is out of range")]
    KeystreamRange(u64),
    #[error("a worker thread stopped unexpectedly")]
    Worker,
    #[error(transparent)]
    Probe(#[from] ProbeError),
}

/// Failures while identifying a medium.
#[derive(Debug, Error)]
pub enum ProbeError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0} is neither a regular file nor a block device")]
    Unsupported(PathBuf),
    #[error("{path}: unexpected content in {what}")]
    Parse { path: PathBuf, what: &'static str },
}

impl ProbeError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Failures while signing, parsing or verifying a certificate.
#[derive(Debug, Error)]
pub enum CertError {
    #[error("certificate JSON is malformed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the certificate is not signed")]
    Unsigned,
    #[error("unsupported signature algorithm {0:?}")]
    Algorithm(String),
    #[error("the certificate's {0} is not valid hex of the right length")]
    Encoding(&'static str),
    #[error("the embedded public key is not a valid Ed25519 key")]
    PublicKey,
    #[error("the signature does not match the certificate's content")]
    Signature,
}
