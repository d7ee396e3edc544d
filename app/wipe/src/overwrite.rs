//! The two-pass overwrite with full read-back: a small pool of threads, each generating the
//! pattern for one aligned chunk and writing it with pwrite, so several requests are in flight.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use crate::error::WipeError;
use crate::exceptions::{ExceptionKind, ExceptionLog};
use crate::keystream::{Keystream, Pattern};
use crate::progress::{CancelToken, Meter, Observer, Phase, Progress};
use crate::target::{AlignedBuf, Target};

/// The phases of a host overwrite, in order.
pub(crate) const PHASES: [Phase; 3] =
    [Phase::WriteKeystream, Phase::WriteComplement, Phase::Verify];

/// Tuning of the engine.
#[derive(Debug, Clone)]
pub(crate) struct EngineConfig {
    pub chunk_size: usize,
    pub threads: usize,
    pub progress_interval: Duration,
    /// Only the first pass (benchmarks: one PRNG pass, no verification).
    pub single_pass: bool,
}

/// Figures of one finished (or stopped) phase.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PassReport {
    pub phase: Phase,
    pub bytes: u64,
    pub duration_ms: u64,
    pub avg_bytes_per_second: u64,
    pub min_bytes_per_second: Option<u64>,
    pub max_bytes_per_second: u64,
}

/// Everything the engine observed.
#[derive(Debug, Default)]
pub(crate) struct EngineResult {
    pub passes: Vec<PassReport>,
    pub exceptions: ExceptionLog,
    pub bytes_written: u64,
    pub bytes_verified: u64,
    pub mismatched_bytes: u64,
    pub cancelled: bool,
}

/// State shared by the workers of one phase.
struct PhaseWork<'a> {
    target: &'a dyn Target,
    keystream: &'a Keystream,
    phase: Phase,
    chunk_size: usize,
    next_chunk: AtomicU64,
    done: AtomicU64,
    matched: AtomicU64,
    mismatched: AtomicU64,
    exceptions: &'a Mutex<ExceptionLog>,
    cancel: &'a CancelToken,
}

pub(crate) fn overwrite_and_verify(
    target: &dyn Target,
    keystream: &Keystream,
    config: &EngineConfig,
    cancel: &CancelToken,
    observer: &mut dyn Observer,
) -> Result<EngineResult, WipeError> {
    let phases: &[Phase] = if config.single_pass {
        &PHASES[..1]
    } else {
        &PHASES
    };
    let size = target.size();
    let exceptions = Mutex::new(ExceptionLog::default());
    let mut result = EngineResult::default();
    let mut meter = Meter::new(size.saturating_mul(phases.len() as u64));
    for (index, &phase) in phases.iter().enumerate() {
        if cancel.is_cancelled() {
            break;
        }
        let work = PhaseWork::new(
            target,
            keystream,
            phase,
            config.chunk_size,
            &exceptions,
            cancel,
        );
        let position = (index as u32 + 1, phases.len() as u32, index as u64 * size);
        let pass = run_phase(&work, config, position, &mut meter, observer)?;
        finish_phase(&work, &mut result, pass);
    }
    result.cancelled = cancel.is_cancelled();
    result.exceptions = exceptions.into_inner().map_err(|_| WipeError::Worker)?;
    result.exceptions.sort();
    Ok(result)
}

/// Runs one phase on `config.threads` workers while reporting progress from this thread.
/// `position` = (phase number, phase count, bytes of earlier phases).
fn run_phase(
    work: &PhaseWork<'_>,
    config: &EngineConfig,
    position: (u32, u32, u64),
    meter: &mut Meter,
    observer: &mut dyn Observer,
) -> Result<PassReport, WipeError> {
    let started = meter.elapsed();
    // min/max throughput are per pass
    meter.min_bps = None;
    meter.max_bps = 0;
    std::thread::scope(|scope| {
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let workers: Vec<_> = (0..config.threads.max(1))
            .map(|_| {
                let done_tx = done_tx.clone();
                scope.spawn(move || {
                    work.run_worker();
                    let _ = done_tx.send(());
                })
            })
            .collect();
        drop(done_tx);
        let mut finished = 0;
        while finished < workers.len() {
            match done_rx.recv_timeout(config.progress_interval) {
                Ok(()) => finished += 1,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            observer.on_progress(&work.progress(position, meter));
        }
        workers
            .into_iter()
            .try_for_each(|w| w.join().map_err(|_| WipeError::Worker))
    })?;
    work.flush();
    observer.on_progress(&work.progress(position, meter));
    Ok(work.pass_report(meter.elapsed().saturating_sub(started), meter))
}

fn finish_phase(work: &PhaseWork<'_>, result: &mut EngineResult, pass: PassReport) {
    if work.phase == Phase::Verify {
        result.bytes_verified = work.matched.load(Ordering::Relaxed);
        result.mismatched_bytes = work.mismatched.load(Ordering::Relaxed);
    } else {
        result.bytes_written = result.bytes_written.max(work.done.load(Ordering::Relaxed));
    }
    result.passes.push(pass);
}

impl<'a> PhaseWork<'a> {
    fn new(
        target: &'a dyn Target,
        keystream: &'a Keystream,
        phase: Phase,
        chunk_size: usize,
        exceptions: &'a Mutex<ExceptionLog>,
        cancel: &'a CancelToken,
    ) -> Self {
        // chunks stay multiples of the alignment so that every one but the tail goes direct
        let align = target.alignment().max(1);
        let chunk_size = (chunk_size.max(align) / align) * align;
        let zero = || AtomicU64::new(0);
        let (next_chunk, done, matched, mismatched) = (zero(), zero(), zero(), zero());
        Self {
            target,
            keystream,
            phase,
            chunk_size,
            next_chunk,
            done,
            matched,
            mismatched,
            exceptions,
            cancel,
        }
    }

    fn run_worker(&self) {
        let mut buf = AlignedBuf::new(self.chunk_size);
        let mut expected = (self.phase == Phase::Verify).then(|| AlignedBuf::new(self.chunk_size));
        while let Some((offset, len)) = self.claim_chunk() {
            let data = &mut buf.as_mut_slice()[..len];
            match expected.as_mut() {
                Some(expected) => {
                    self.verify_chunk(offset, data, &mut expected.as_mut_slice()[..len])
                }
                None => self.write_chunk(offset, data),
            }
            self.done.fetch_add(len as u64, Ordering::Relaxed);
        }
    }

    /// The next chunk's (offset, length), or None when the medium is done or the run cancelled.
    fn claim_chunk(&self) -> Option<(u64, usize)> {
        if self.cancel.is_cancelled() {
            return None;
        }
        let index = self.next_chunk.fetch_add(1, Ordering::Relaxed);
        let offset = index.checked_mul(self.chunk_size as u64)?;
        let left = self.target.size().checked_sub(offset).filter(|&l| l > 0)?;
        Some((offset, left.min(self.chunk_size as u64) as usize))
    }

    fn write_chunk(&self, offset: u64, data: &mut [u8]) {
        let pattern = if self.phase == Phase::WriteKeystream {
            Pattern::Keystream
        } else {
            Pattern::Complement
        };
        if let Err(e) = self.keystream.fill(pattern, offset, data) {
            self.record(
                ExceptionKind::WriteError,
                offset,
                data.len() as u64,
                e.to_string(),
            );
            return;
        }
        if self.target.write_at(data, offset).is_err() {
            self.retry_in_pieces(offset, data, ExceptionKind::WriteError);
        }
    }

    fn verify_chunk(&self, offset: u64, data: &mut [u8], expected: &mut [u8]) {
        let readable = match self.target.read_at(data, offset) {
            Ok(()) => None,
            Err(_) => Some(self.retry_in_pieces(offset, data, ExceptionKind::ReadError)),
        };
        if let Err(e) = self.keystream.fill(Pattern::Complement, offset, expected) {
            self.record(
                ExceptionKind::ReadError,
                offset,
                data.len() as u64,
                e.to_string(),
            );
            return;
        }
        let piece = piece_size(self.target.alignment());
        for (i, (got, want)) in data.chunks(piece).zip(expected.chunks(piece)).enumerate() {
            if readable
                .as_ref()
                .is_none_or(|ok| ok.get(i).copied().unwrap_or(false))
            {
                self.compare_piece(offset + (i * piece) as u64, got, want);
            }
        }
    }

    fn compare_piece(&self, offset: u64, got: &[u8], want: &[u8]) {
        if got == want {
            self.matched.fetch_add(got.len() as u64, Ordering::Relaxed);
            return;
        }
        // a piece counts as verified only when it matches entirely
        let differing = got.iter().zip(want).filter(|(a, b)| a != b).count() as u64;
        self.mismatched.fetch_add(differing, Ordering::Relaxed);
        let detail = format!(
            "{differing} of {} bytes differ from the written pattern",
            got.len()
        );
        self.record(ExceptionKind::Mismatch, offset, got.len() as u64, detail);
    }

    /// After a failed whole-chunk request, retries piece by piece so that the exception list
    /// names the failing ranges precisely. Returns which pieces succeeded.
    fn retry_in_pieces(&self, offset: u64, data: &mut [u8], kind: ExceptionKind) -> Vec<bool> {
        let piece = piece_size(self.target.alignment());
        let mut succeeded = Vec::with_capacity(data.len().div_ceil(piece));
        for (i, part) in data.chunks_mut(piece).enumerate() {
            let at = offset + (i * piece) as u64;
            let outcome = match kind {
                ExceptionKind::WriteError => self.target.write_at(part, at),
                _ => self.target.read_at(part, at),
            };
            if let Err(e) = &outcome {
                self.record(kind, at, part.len() as u64, e.to_string());
            }
            succeeded.push(outcome.is_ok());
        }
        succeeded
    }

    fn record(&self, kind: ExceptionKind, offset: u64, length: u64, detail: String) {
        if let Ok(mut log) = self.exceptions.lock() {
            log.record(kind, self.phase, offset, length, detail);
        }
    }

    /// Makes a write phase durable, and makes the read-back come from the medium.
    fn flush(&self) {
        let size = self.target.size();
        if self.phase != Phase::Verify
            && let Err(e) = self.target.sync()
        {
            self.record(ExceptionKind::SyncError, 0, size, e.to_string());
        }
        if let Err(e) = self.target.drop_cache() {
            self.record(
                ExceptionKind::SyncError,
                0,
                0,
                format!("dropping cached pages: {e}"),
            );
        }
    }

    fn progress(&self, (number, count, before): (u32, u32, u64), meter: &mut Meter) -> Progress {
        let phase_done = self.done.load(Ordering::Relaxed);
        let total_done = before + phase_done;
        let (bytes_per_second, eta) = meter.sample(total_done);
        Progress {
            phase: self.phase,
            phase_number: number,
            phase_count: count,
            phase_done,
            phase_total: self.target.size(),
            total_done,
            total: self.target.size().saturating_mul(count as u64),
            bytes_per_second,
            eta,
            elapsed: meter.elapsed(),
        }
    }

    fn pass_report(&self, duration: Duration, meter: &Meter) -> PassReport {
        let bytes = self.done.load(Ordering::Relaxed);
        let secs = duration.as_secs_f64();
        let avg = if secs > 0.0 {
            (bytes as f64 / secs) as u64
        } else {
            0
        };
        PassReport {
            phase: self.phase,
            bytes,
            duration_ms: duration.as_millis() as u64,
            avg_bytes_per_second: avg,
            min_bytes_per_second: meter.min_bps,
            max_bytes_per_second: meter.max_bps.max(avg),
        }
    }
}

/// Granularity of retries and of mismatch reports.
fn piece_size(alignment: usize) -> usize {
    alignment.max(64 * 1024)
}
