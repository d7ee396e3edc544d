//! Certified sanitize of a whole medium (F12, issue 8).
//!
//! ```text
//! let probe = probe(path)?;                                  // what is it, what can it do
//! let plan = plan(&probe, MethodChoice::Auto);               // strongest real method, Clear/Purge
//! let report = run(&plan, &RunOptions::default(), &mut obs)?; // erase, verify, with progress
//! let mut cert = Certificate::from_report(&report, &info)?;  // NIST SP 800-88 fields
//! cert.sign(&signing_key)?;                                   // Ed25519, key embedded
//! ```
//!
//! The host overwrite writes an AES-256-CTR keystream, then its complement, then reads everything
//! back against the regenerated complement. It is certified as Clear, never Purge. Device
//! sanitize commands (NVMe Sanitize/Format NVM, ATA SANITIZE) are sent through the Linux
//! pass-through ioctls, with marker blocks written before and checked after: Purge is claimed
//! only when the command completed and no marker survived (see `device`).

mod certificate;
mod device;
mod devices;
mod error;
mod exceptions;
mod keystream;
mod overwrite;
mod plan;
pub mod probe;
mod progress;
mod report;
mod run;
mod statement;
mod system;
mod target;

pub use certificate::{
    CERTIFICATE_FORMAT, Certificate, CertificateBody, CertificateInfo, MediaRecord, Operator,
    RunRecord, SanitizationRecord, SignatureBlock, ThroughputRecord, VerificationRecord,
    VerifiedCertificate, current_binary_sha256, key_fingerprint,
};
pub use devices::{BlockDevice, block_devices, check_certificate_place};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use error::{CertError, ProbeError, WipeError};
pub use exceptions::{Exception, ExceptionKind, ExceptionLog, MAX_LISTED_EXCEPTIONS};
pub use keystream::{KEYSTREAM_ALGORITHM, Keystream, Pattern, Seed};
pub use overwrite::PassReport;
pub use plan::{
    AtaSanitizeAction, Method, MethodChoice, NvmeSanitizeAction, Plan, SanitizationLevel, plan,
};
pub use probe::{MediaType, Probe, probe, probe_with};
pub use progress::{CancelToken, NoObserver, Observer, Phase, Progress};
pub use report::{
    DeviceCommandRecord, Outcome, Report, Verification, VerificationMethod, VerificationResult,
};
pub use run::{RunOptions, run, run_on_target, single_pass_benchmark};
pub use statement::{
    FileRecord, HeldCounts, STATEMENT_FORMAT, Statement, StatementBody, VerifiedStatement,
    overall_outcome, overwrite_file,
};
pub use system::{SystemRoots, backs_system, system_disks};
pub use target::{AlignedBuf, BUFFER_ALIGN, FileTarget, Target};
