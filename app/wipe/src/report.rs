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
    /// After a device command: every byte read, and none of the seeded markers written before
    /// the command may remain.
    MarkersAndFullRead,
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
    /// The device command sent and how it ended (None for an overwrite).
    pub device_command: Option<String>,
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

    /// The report of a device command ([`crate::device`]): its phases are markers, the
    /// command and the read-back, so completeness is judged on those.
    pub(crate) fn for_device(
        plan: &Plan,
        run: crate::device::DeviceRun,
        seed: Seed,
        times: (DateTime<Utc>, DateTime<Utc>),
        direct_io: bool,
    ) -> Self {
        let capacity = plan.probe.capacity_bytes;
        let engine = run.engine;
        let complete = !engine.cancelled && engine.passes.len() == 3;
        let result = if !complete {
            VerificationResult::Incomplete
        } else if engine.bytes_verified == capacity && engine.mismatched_bytes == 0 {
            VerificationResult::Passed
        } else {
            VerificationResult::Failed
        };
        let outcome = if !complete {
            Outcome::Cancelled
        } else {
            judge(
                capacity,
                engine.bytes_verified,
                engine.exceptions.is_empty(),
                plan,
            )
        };
        let level = match outcome {
            Outcome::Erased | Outcome::ErasedWithExceptions => plan.level,
            Outcome::NotErased | Outcome::Cancelled => SanitizationLevel::None,
        };
        Report {
            media: plan.probe.clone(),
            method: plan.method,
            level,
            outcome,
            verification: Verification {
                method: VerificationMethod::MarkersAndFullRead,
                result,
                bytes_verified: engine.bytes_verified,
                mismatched_bytes: engine.mismatched_bytes,
            },
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
    judge(
        capacity,
        engine.bytes_verified,
        engine.exceptions.is_empty(),
        plan,
    )
}

/// The outcome of a finished run from what was verified.
fn judge(capacity: u64, verified: u64, no_exceptions: bool, plan: &Plan) -> Outcome {
    let unverified = capacity.saturating_sub(verified);
    let hidden = plan
        .probe
        .hidden_areas
        .hidden_sectors
        .is_some_and(|n| n > 0);
    if unverified == 0 && no_exceptions && !hidden {
        Outcome::Erased
    } else if unverified <= capacity / MAX_EXCEPTION_SHARE {
        Outcome::ErasedWithExceptions
    } else {
        Outcome::NotErased
    }
}
