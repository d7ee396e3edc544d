//! Time, as the engine sees it: a wall clock that may be wrong (the host PC's), and a monotonic
//! clock for idle time. Both come through [`Clock`] so tests can drive them.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// Where the engine reads the time.
pub trait Clock: Send + Sync {
    /// The wall-clock time (UTC). May be wrong, may go backwards.
    fn now(&self) -> DateTime<Utc>;
    /// Time since an arbitrary fixed point; never goes backwards.
    fn monotonic(&self) -> Duration;
}

/// The real clocks of the machine.
pub struct SystemClock {
    start: Instant,
}

impl SystemClock {
    pub fn new() -> SystemClock {
        SystemClock {
            start: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn monotonic(&self) -> Duration {
        self.start.elapsed()
    }
}

/// A clock tests set by hand. Clones share the same time.
#[derive(Clone)]
pub struct ManualClock {
    inner: Arc<Mutex<(DateTime<Utc>, Duration)>>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock {
            inner: Arc::new(Mutex::new((start, Duration::ZERO))),
        }
    }

    /// Lets time pass: both clocks move forward by `d`.
    pub fn advance(&self, d: Duration) {
        let mut t = self.lock();
        t.0 += chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
        t.1 += d;
    }

    /// Sets the wall clock alone, as a user fiddling with the BIOS clock would.
    pub fn set_wall(&self, now: DateTime<Utc>) {
        self.lock().0 = now;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (DateTime<Utc>, Duration)> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.lock().0
    }

    fn monotonic(&self) -> Duration {
        self.lock().1
    }
}

/// How the wall clock looks against the log and the monotonic clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockAnomaly {
    /// Earlier than the last log entry (beyond a small tolerance).
    Backwards,
    /// Moved by more than the monotonic clock did during this session.
    Jump,
}

impl ClockAnomaly {
    pub fn key(self) -> &'static str {
        match self {
            ClockAnomaly::Backwards => "backwards",
            ClockAnomaly::Jump => "jump",
        }
    }
}

/// Tolerance before a clock difference counts as an anomaly.
pub const CLOCK_TOLERANCE: Duration = Duration::from_secs(120);

/// Judges `now` against the last entry's time and, within a session, against the monotonic
/// clock: `(wall at session start, monotonic at session start)`.
pub fn anomaly(
    now: DateTime<Utc>,
    last_entry: Option<DateTime<Utc>>,
    session_start: Option<(DateTime<Utc>, Duration)>,
    monotonic_now: Duration,
) -> Option<ClockAnomaly> {
    let tol = chrono::Duration::from_std(CLOCK_TOLERANCE).unwrap_or(chrono::Duration::MAX);
    if last_entry.is_some_and(|last| now + tol < last) {
        return Some(ClockAnomaly::Backwards);
    }
    let (wall0, mono0) = session_start?;
    let wall_delta = now - wall0;
    let mono_delta = chrono::Duration::from_std(monotonic_now.saturating_sub(mono0)).ok()?;
    ((wall_delta - mono_delta).abs() > tol).then_some(ClockAnomaly::Jump)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn backwards_and_jumps_are_told_apart() {
        let last = Some(t("2026-04-01T10:00:00Z"));
        assert_eq!(
            anomaly(t("2026-04-01T10:05:00Z"), last, None, Duration::ZERO),
            None
        );
        assert_eq!(
            anomaly(t("2026-04-01T09:59:00Z"), last, None, Duration::ZERO),
            None,
            "within tolerance"
        );
        assert_eq!(
            anomaly(t("2025-04-01T10:00:00Z"), last, None, Duration::ZERO),
            Some(ClockAnomaly::Backwards)
        );
        let start = Some((t("2026-04-01T10:00:00Z"), Duration::from_secs(5)));
        let mono = Duration::from_secs(65);
        assert_eq!(anomaly(t("2026-04-01T10:01:00Z"), last, start, mono), None);
        assert_eq!(
            anomaly(t("2026-04-01T12:01:00Z"), last, start, mono),
            Some(ClockAnomaly::Jump)
        );
    }

    #[test]
    fn the_manual_clock_moves_only_when_told() {
        let c = ManualClock::new(t("2026-04-01T10:00:00Z"));
        let shared = c.clone();
        c.advance(Duration::from_secs(90));
        assert_eq!(shared.now(), t("2026-04-01T10:01:30Z"));
        assert_eq!(shared.monotonic(), Duration::from_secs(90));
        shared.set_wall(t("2020-01-01T00:00:00Z"));
        assert_eq!(c.monotonic(), Duration::from_secs(90));
    }
}
