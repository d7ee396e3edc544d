//! Progress reporting and cancellation, shared by the CLI and the kiosk UI.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// The stage a run is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Writing the keystream (pass 1 of 2).
    WriteKeystream,
    /// Writing the complement of the keystream (pass 2 of 2).
    WriteComplement,
    /// Reading everything back and comparing it with the regenerated complement.
    Verify,
    /// Device command: writing marker blocks that the command must erase.
    WriteMarkers,
    /// Device command: the drive erases itself (progress as the drive reports it).
    DeviceCommand,
    /// Device command: reading the marker places and a sample of the medium.
    VerifyMarkers,
}

impl Phase {
    /// Whether the phase belongs to a device command, whose progress is a fraction only
    /// (no throughput, no time left).
    pub fn is_device_command(self) -> bool {
        matches!(
            self,
            Phase::WriteMarkers | Phase::DeviceCommand | Phase::VerifyMarkers
        )
    }
}

/// One progress sample. `total_done` never decreases during a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub phase: Phase,
    /// 1-based index of the phase and how many there are (e.g. 2 of 3).
    pub phase_number: u32,
    pub phase_count: u32,
    pub phase_done: u64,
    pub phase_total: u64,
    /// Bytes processed over all phases, and the bytes all phases will process.
    pub total_done: u64,
    pub total: u64,
    /// Recent throughput (bytes per second over the last few seconds).
    pub bytes_per_second: u64,
    /// Time left for the whole run at the recent throughput; None until it can be estimated.
    pub eta: Option<Duration>,
    pub elapsed: Duration,
}

impl Progress {
    /// Fraction of the whole run done, 0.0 ..= 1.0.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.total_done as f64 / self.total as f64
        }
    }
}

/// Receives progress samples, on the thread that called `run`, a few times a second.
pub trait Observer {
    fn on_progress(&mut self, progress: &Progress);
}

impl<F: FnMut(&Progress)> Observer for F {
    fn on_progress(&mut self, progress: &Progress) {
        self(progress)
    }
}

/// An observer that ignores everything.
pub struct NoObserver;

impl Observer for NoObserver {
    fn on_progress(&mut self, _: &Progress) {}
}

/// Stops a run from any thread (a UI button, a signal handler). Clones share one flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// How far back the "recent" throughput looks.
const THROUGHPUT_WINDOW: Duration = Duration::from_secs(3);

/// Turns byte counters into throughput, ETA, and min/max per-window figures.
pub(crate) struct Meter {
    started: Instant,
    total: u64,
    samples: VecDeque<(Instant, u64)>,
    pub(crate) min_bps: Option<u64>,
    pub(crate) max_bps: u64,
}

impl Meter {
    pub(crate) fn new(total: u64) -> Self {
        let started = Instant::now();
        let samples = VecDeque::from([(started, 0)]);
        Self {
            started,
            total,
            samples,
            min_bps: None,
            max_bps: 0,
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Records `total_done` now; returns (recent bytes/s, ETA).
    pub(crate) fn sample(&mut self, total_done: u64) -> (u64, Option<Duration>) {
        let now = Instant::now();
        self.samples.push_back((now, total_done));
        while self.samples.len() > 2 && self.samples[1].0 + THROUGHPUT_WINDOW < now {
            self.samples.pop_front();
        }
        let (t0, b0) = self.samples.front().copied().unwrap_or((self.started, 0));
        let secs = now.duration_since(t0).as_secs_f64();
        let bps = if secs > 0.0 {
            (total_done.saturating_sub(b0) as f64 / secs) as u64
        } else {
            0
        };
        if secs >= 1.0 {
            // a full window: meaningful for the min/max figures
            self.min_bps = Some(self.min_bps.map_or(bps, |m| m.min(bps)));
            self.max_bps = self.max_bps.max(bps);
        }
        let left = self.total.saturating_sub(total_done);
        let eta = (bps > 0).then(|| Duration::from_secs_f64(left as f64 / bps as f64));
        (bps, eta)
    }
}
