//! Running a plan: safety checks, opening the medium, the engine, the report.

use std::path::Path;
use std::time::Duration;

use chrono::Utc;

use crate::error::WipeError;
use crate::keystream::{Keystream, Seed};
use crate::overwrite::{EngineConfig, PassReport, overwrite_and_verify};
use crate::plan::{Method, Plan};
use crate::probe::DeviceKind;
use crate::progress::{CancelToken, Observer};
use crate::report::Report;
use crate::system::{SystemRoots, backs_system};
use crate::target::{FileTarget, Target};

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub cancel: CancelToken,
    /// The operator states the running system has been copied to memory (live "toram"), so
    /// its boot medium may be wiped.
    pub system_in_ram: bool,
    /// The pattern's seed; a fresh random one when None.
    pub seed: Option<Seed>,
    /// Worker threads, i.e. requests in flight.
    pub threads: usize,
    /// Bytes per request (rounded down to the medium's alignment).
    pub chunk_size: usize,
    pub progress_interval: Duration,
    pub roots: SystemRoots,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            cancel: CancelToken::new(),
            system_in_ram: false,
            seed: None,
            threads: 4,
            chunk_size: 4 << 20,
            progress_interval: Duration::from_millis(250),
            roots: SystemRoots::default(),
        }
    }
}

impl RunOptions {
    fn engine_config(&self, single_pass: bool) -> EngineConfig {
        EngineConfig {
            chunk_size: self.chunk_size.max(4096),
            threads: self.threads.clamp(1, 64),
            progress_interval: self.progress_interval,
            single_pass,
        }
    }
}

/// Runs `plan` on the medium it was made for.
pub fn run(
    plan: &Plan,
    options: &RunOptions,
    observer: &mut dyn Observer,
) -> Result<Report, WipeError> {
    ensure_runnable(plan.method)?;
    refuse_system_device(plan, options)?;
    let target = FileTarget::open(&plan.probe.path)?;
    if target.size() != plan.probe.capacity_bytes {
        let (planned, actual) = (plan.probe.capacity_bytes, target.size());
        return Err(WipeError::SizeChanged {
            path: plan.probe.path.clone(),
            planned,
            actual,
        });
    }
    if plan.method.is_device_command() {
        let device = open_for_commands(&plan.probe.path)?;
        let seed = options.seed.clone().map_or_else(Seed::random, Ok)?;
        return crate::device::run_device_command(
            plan,
            &target,
            &device,
            seed,
            &options.cancel,
            observer,
        );
    }
    run_on_target(plan, &target, options, observer)
}

/// A second descriptor for the pass-through ioctls (the target's own are for I/O).
fn open_for_commands(path: &Path) -> Result<std::fs::File, WipeError> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|source| WipeError::Open {
            path: path.to_owned(),
            source,
        })
}

/// Runs `plan` on any [`Target`] (tests, or callers with their own device access). The
/// system-device check is the caller's business here.
pub fn run_on_target(
    plan: &Plan,
    target: &dyn Target,
    options: &RunOptions,
    observer: &mut dyn Observer,
) -> Result<Report, WipeError> {
    ensure_runnable(plan.method)?;
    if plan.method.is_device_command() {
        return Err(WipeError::MethodNotRunnable(format!(
            "{} (a device command needs the device itself, not a target)",
            plan.method.nist_name()
        )));
    }
    if target.size() == 0 {
        return Err(WipeError::Empty);
    }
    let seed = match &options.seed {
        Some(seed) => seed.clone(),
        None => Seed::random()?,
    };
    let keystream = Keystream::new(seed.clone());
    let started = Utc::now();
    let engine = overwrite_and_verify(
        target,
        &keystream,
        &options.engine_config(false),
        &options.cancel,
        observer,
    )?;
    let times = (started, Utc::now());
    let mut plan = plan.clone();
    plan.probe.capacity_bytes = target.size();
    Ok(Report::new(&plan, engine, seed, times, target.is_direct()))
}

/// One keystream pass, no complement, no read-back: for benchmarks against other tools only.
/// It proves nothing about the medium, so it gives no report and no certificate.
pub fn single_pass_benchmark(path: &Path, options: &RunOptions) -> Result<PassReport, WipeError> {
    let target = FileTarget::open(path)?;
    if target.size() == 0 {
        return Err(WipeError::Empty);
    }
    let keystream = Keystream::new(options.seed.clone().map_or_else(Seed::random, Ok)?);
    let config = options.engine_config(true);
    let mut engine = overwrite_and_verify(
        &target,
        &keystream,
        &config,
        &options.cancel,
        &mut crate::NoObserver,
    )?;
    engine.passes.pop().ok_or(WipeError::Worker)
}

fn ensure_runnable(method: Method) -> Result<(), WipeError> {
    if method.is_runnable() {
        Ok(())
    } else {
        Err(WipeError::MethodNotRunnable(method.nist_name().to_owned()))
    }
}

/// Refuses a block device that holds the running system, unless the system runs from memory.
/// Checked afresh here, not taken from the (possibly old) probe.
fn refuse_system_device(plan: &Plan, options: &RunOptions) -> Result<(), WipeError> {
    if plan.probe.kind != DeviceKind::BlockDevice || options.system_in_ram {
        return Ok(());
    }
    let name = plan
        .probe
        .partition
        .as_ref()
        .or(plan.probe.disk_name.as_ref());
    let detail = match name {
        Some(name) => backs_system(&options.roots, name)?,
        None => Some("device name unknown".to_owned()),
    };
    match detail.or_else(|| plan.probe.system_device.clone()) {
        Some(detail) => Err(WipeError::SystemDevice {
            path: plan.probe.path.clone(),
            detail,
        }),
        None => Ok(()),
    }
}
