//! The result of a run: what was done, what was verified, and what it amounts to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::exceptions::ExceptionLog;
use crate::keystream::Seed;
use crate::overwrite::{EngineResult, PassReport};
use crate::plan::{Method, Plan, SanitizationLevel};
use crate::probe::Probe;

/// At most this share of the medium (1/100) may be unverified for "erased with exceptions";
/// beyond it the medium is "not erased".
const MAX_EXCEPTION_SHARE: u64 = 100;

/// Overall result, in the words erasure reports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every user-addressable byte written and verified, nothing went wrong.
    Erased,
    /// Finished, but some ranges failed (listed); the rest is verified.
    ErasedWithExceptions,
    /// Too much could not be written or verified (or the medium does not keep what it is given).
    NotErased,
    /// Stopped by the operator before the end.
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationMethod {
    /// Every byte read back and compared with the regenerated pattern.
    FullReadBack,
    /// After a device command: every marker place read (none may hold its marker) and evenly
    /// spaced samples of the medium read.
    MarkersAndSample,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationResult {
    Passed,
    Failed,
    /// The read-back did not cover the whole medium (cancelled).
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub method: VerificationMethod,
    pub result: VerificationResult,
    pub bytes_verified: u64,
    pub mismatched_bytes: u64,
}

/// A finished (or stopped) run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub media: Probe,
    pub method: Method,
    /// The level reached: the plan's level only when the outcome is Erased or
    /// ErasedWithExceptions; None otherwise.
    pub level: SanitizationLevel,
    pub outcome: Outcome,
    pub verification: Verification,
    pub passes: Vec<PassReport>,
    pub exceptions: ExceptionLog,
    pub capacity_bytes: u64,
    pub bytes_written: u64,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub keystream_algorithm: String,
    /// SHA-256 of the seed; the seed itself is below, never serialised.
    pub seed_sha256: String,
    /// Lets a second tool re-verify the medium; keep it off the certificate.
    #[serde(skip)]
    pub seed: Seed,
    pub direct_io: bool,
    pub limitations: Vec<String>,
    /// The device command sent, when the method is one.
    pub device_command: Option<DeviceCommandRecord>,
}

/// What was sent to the drive and what it answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceCommandRecord {
    pub command: String,
    /// CDW10 / the CDB, as sent.
    pub encoding: String,
    pub sent: bool,
    pub completed: bool,
    pub status: String,
    pub duration_ms: u64,
    /// What else the command reached (other namespaces, areas the host cannot address).
    pub scope: String,
    /// Marker blocks written before the command / still present after it.
    pub markers_placed: u64,
    pub markers_surviving: u64,
}

impl DeviceCommandRecord {
    pub(crate) fn sent(command: String, encoding: String, scope: &str) -> Self {
        Self {
            command,
            encoding,
            sent: true,
            scope: scope.to_owned(),
            ..Self::default()
        }
    }

    pub(crate) fn not_sent(method: Method, why: &str) -> Self {
        Self {
            command: method.nist_name().to_owned(),
            status: why.to_owned(),
            ..Self::default()
        }
    }
}

/// What a device-command run observed.
#[derive(Debug, Default)]
pub(crate) struct DeviceRun {
    pub command: DeviceCommandRecord,
    pub markers_placed: u64,
    pub markers_stored: u64,
    pub markers_surviving: u64,
    pub bytes_verified: u64,
    pub verified: bool,
    pub cancelled: bool,
    pub exceptions: ExceptionLog,
}

impl Report {
    pub(crate) fn new(
        plan: &Plan,
        engine: EngineResult,
        seed: Seed,
        times: (DateTime<Utc>, DateTime<Utc>),
        direct_io: bool,
    ) -> Self {
        let capacity = plan.probe.capacity_bytes;
        let verification = verification(&engine, capacity);
        let outcome = outcome(&engine, capacity, plan);
        let level = match outcome {
            Outcome::Erased | Outcome::ErasedWithExceptions => plan.level,
            Outcome::NotErased | Outcome::Cancelled => SanitizationLevel::None,
        };
        Report {
            media: plan.probe.clone(),
            method: plan.method,
            level,
            outcome,
            verification,
            passes: engine.passes,
            exceptions: engine.exceptions,
            capacity_bytes: capacity,
            bytes_written: engine.bytes_written,
            started_at: times.0,
            finished_at: times.1,
            keystream_algorithm: crate::keystream::KEYSTREAM_ALGORITHM.to_owned(),
            seed_sha256: seed.sha256_hex(),
            seed,
            direct_io,
            limitations: plan.limitations.clone(),
            device_command: None,
        }
    }

    /// The report of a device command: Purge only when the command completed, no marker
    /// survived and every verification read succeeded.
    pub(crate) fn from_device(
        plan: &Plan,
        mut run: DeviceRun,
        seed: Seed,
        times: (DateTime<Utc>, DateTime<Utc>),
        direct_io: bool,
    ) -> Self {
        let result = if !run.verified {
            VerificationResult::Incomplete
        } else if run.markers_surviving == 0 && run.exceptions.is_empty() {
            VerificationResult::Passed
        } else {
            VerificationResult::Failed
        };
        let outcome = if run.cancelled {
            Outcome::Cancelled
        } else if !run.verified || run.markers_surviving > 0 {
            Outcome::NotErased
        } else if run.exceptions.is_empty() {
            Outcome::Erased
        } else {
            Outcome::ErasedWithExceptions
        };
        // with exceptions nothing is proven at the failed places: no level is claimed
        let level = if outcome == Outcome::Erased {
            plan.level
        } else {
            SanitizationLevel::None
        };
        run.command.markers_placed = run.markers_placed;
        run.command.markers_surviving = run.markers_surviving;
        let mut limitations = plan.limitations.clone();
        if !run.command.scope.is_empty() {
            limitations.push(run.command.scope.clone());
        }
        if run.markers_stored < run.markers_placed {
            limitations.push(format!(
                "Only {} of {} marker blocks read back before the command.",
                run.markers_stored, run.markers_placed
            ));
        }
        Report {
            media: plan.probe.clone(),
            method: plan.method,
            level,
            outcome,
            verification: Verification {
                method: VerificationMethod::MarkersAndSample,
                result,
                bytes_verified: run.bytes_verified,
                mismatched_bytes: run.markers_surviving * 4096,
            },
            passes: Vec::new(),
            exceptions: run.exceptions,
            capacity_bytes: plan.probe.capacity_bytes,
            bytes_written: run.markers_placed * 4096,
            started_at: times.0,
            finished_at: times.1,
            keystream_algorithm: crate::keystream::KEYSTREAM_ALGORITHM.to_owned(),
            seed_sha256: seed.sha256_hex(),
            seed,
            direct_io,
            limitations,
            device_command: Some(run.command),
        }
    }

    /// Average throughput over all passes, bytes per second.
    pub fn average_bytes_per_second(&self) -> u64 {
        let bytes: u64 = self.passes.iter().map(|p| p.bytes).sum();
        let ms: u64 = self.passes.iter().map(|p| p.duration_ms).sum();
        bytes.saturating_mul(1000).checked_div(ms).unwrap_or(0)
    }
}

fn verification(engine: &EngineResult, capacity: u64) -> Verification {
    let complete = !engine.cancelled && engine.passes.len() == crate::overwrite::PHASES.len();
    let result = if !complete {
        VerificationResult::Incomplete
    } else if engine.bytes_verified == capacity && engine.mismatched_bytes == 0 {
        VerificationResult::Passed
    } else {
        VerificationResult::Failed
    };
    Verification {
        method: VerificationMethod::FullReadBack,
        result,
        bytes_verified: engine.bytes_verified,
        mismatched_bytes: engine.mismatched_bytes,
    }
}

fn outcome(engine: &EngineResult, capacity: u64, plan: &Plan) -> Outcome {
    if engine.cancelled || engine.passes.len() < crate::overwrite::PHASES.len() {
        return Outcome::Cancelled;
    }
    let unverified = capacity.saturating_sub(engine.bytes_verified);
    let hidden = plan
        .probe
        .hidden_areas
        .hidden_sectors
        .is_some_and(|n| n > 0);
    if unverified == 0 && engine.exceptions.is_empty() && !hidden {
        Outcome::Erased
    } else if unverified <= capacity / MAX_EXCEPTION_SHARE {
        Outcome::ErasedWithExceptions
    } else {
        Outcome::NotErased
    }
}
