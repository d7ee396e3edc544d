//! Running a device sanitize command (NVMe Sanitize / Format NVM, ATA SANITIZE) with a
//! verification that can fail: markers written before, none may survive (see [`markers`]).

mod ata_cmd;
mod command;
mod markers;
mod nvme_cmd;

use std::fs::File;
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::error::WipeError;
use crate::exceptions::ExceptionLog;
use crate::keystream::{Keystream, Seed};
use crate::plan::Plan;
use crate::progress::{CancelToken, Observer, Phase, Progress};
use crate::report::{DeviceCommandRecord, DeviceRun, Report};
use crate::target::Target;

pub(crate) use command::execute;
pub(crate) use markers::SAMPLE_COUNT;

/// Progress units of one phase (the drives report a fraction of 65536).
const UNIT: u64 = 65_536;

/// Reports progress of the three device phases as fractions.
pub(crate) struct PhaseProgress<'a> {
    started: Instant,
    observer: &'a mut dyn Observer,
}

impl PhaseProgress<'_> {
    pub(crate) fn report(&mut self, phase: Phase, number: u32, done: u64) {
        let done = done.min(UNIT);
        self.observer.on_progress(&Progress {
            phase,
            phase_number: number,
            phase_count: 3,
            phase_done: done,
            phase_total: UNIT,
            total_done: u64::from(number - 1) * UNIT + done,
            total: 3 * UNIT,
            bytes_per_second: 0,
            eta: None,
            elapsed: self.started.elapsed(),
        });
    }
}

/// Markers, the command, the verification; the report says what was reached.
pub(crate) fn run_device_command(
    plan: &Plan,
    target: &dyn Target,
    device: &File,
    seed: Seed,
    cancel: &CancelToken,
    observer: &mut dyn Observer,
) -> Result<Report, WipeError> {
    let started = Utc::now();
    let keystream = Keystream::new(seed.clone());
    let mut progress = PhaseProgress {
        started: Instant::now(),
        observer,
    };
    let mut log = ExceptionLog::default();
    let offsets = markers::marker_offsets(seed.as_bytes(), target.size());
    progress.report(Phase::WriteMarkers, 1, 0);
    let written = markers::write(target, &keystream, &offsets, &mut log);
    let synced = target.sync().and_then(|()| target.drop_cache());
    let (stored, _) =
        markers::count_present(target, &keystream, &written, Phase::WriteMarkers, &mut log);
    progress.report(Phase::WriteMarkers, 1, UNIT);
    let mut run = DeviceRun {
        markers_placed: offsets.len() as u64,
        markers_stored: stored,
        ..DeviceRun::default()
    };
    let ready = synced.is_ok() && stored == offsets.len() as u64;
    if cancel.is_cancelled() || !ready {
        run.cancelled = cancel.is_cancelled();
        run.command = DeviceCommandRecord::not_sent(plan.method, not_sent_reason(ready));
    } else {
        run.command = execute(plan, device, &mut progress);
        if run.command.completed {
            // what the page cache still holds is the old content
            let _ = target.drop_cache();
            let (surviving, read) = markers::count_present(
                target,
                &keystream,
                &written,
                Phase::VerifyMarkers,
                &mut log,
            );
            run.markers_surviving = surviving;
            run.bytes_verified = read + markers::read_samples(target, &mut log);
            run.verified = true;
        }
    }
    progress.report(Phase::VerifyMarkers, 3, UNIT);
    run.exceptions = log;
    run.exceptions.sort();
    Ok(Report::from_device(
        plan,
        run,
        seed,
        (started, Utc::now()),
        target.is_direct(),
    ))
}

fn not_sent_reason(ready: bool) -> &'static str {
    if ready {
        "cancelled before the command was sent"
    } else {
        "the medium did not keep the marker blocks written before the command, so no \
         verification would be possible; the command was not sent"
    }
}

/// Polling interval of the drive's sanitize status.
pub(crate) const POLL: Duration = Duration::from_secs(1);
pub(crate) const UNITS: u64 = UNIT;

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
