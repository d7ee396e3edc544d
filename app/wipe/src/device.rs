//! Erasing with the device's own command (NVMe Format NVM with a secure-erase setting), and a
//! verification that can fail: before the command, seeded markers (keystream blocks) are
//! written across the medium and read back; after it, every byte is read, and not one marker
//! may have survived. A device that acknowledges the command but keeps the data fails here.

use std::fs::File;
use std::time::Instant;

use crate::error::WipeError;
use crate::exceptions::ExceptionKind;
use crate::keystream::{Keystream, Pattern};
use crate::overwrite::{EngineResult, PassReport};
use crate::plan::{Method, Plan};
use crate::probe::nvme;
use crate::progress::{CancelToken, Meter, Observer, Phase, Progress};
use crate::target::{AlignedBuf, Target};

/// How many markers, and how long each is.
const MARKERS: u64 = 64;
const MARKER_LEN: usize = 64 * 1024;
/// Bytes per read request of the verification.
const READ_CHUNK: usize = 4 << 20;

/// What the command was and how it ended, for the report and certificate.
pub(crate) struct DeviceRun {
    pub engine: EngineResult,
    pub command: String,
}

/// Runs `plan`'s device command on `target` (opened from `plan.probe.path`).
pub(crate) fn run_device_command(
    plan: &Plan,
    target: &dyn Target,
    keystream: &Keystream,
    cancel: &CancelToken,
    observer: &mut dyn Observer,
) -> Result<DeviceRun, WipeError> {
    run_with(plan, target, keystream, cancel, observer, send_format)
}

/// [`run_device_command`] with the command's sender given (tests stand in for the device).
fn run_with(
    plan: &Plan,
    target: &dyn Target,
    keystream: &Keystream,
    cancel: &CancelToken,
    observer: &mut dyn Observer,
    send: impl FnOnce(&Plan, u8) -> Result<String, WipeError>,
) -> Result<DeviceRun, WipeError> {
    let Method::NvmeFormat { crypto_erase } = plan.method else {
        return Err(WipeError::MethodNotRunnable(plan.method.nist_name().into()));
    };
    let size = target.size();
    let markers = marker_offsets(size, target.alignment());
    let mut meter = Meter::new(size + markers.len() as u64 * MARKER_LEN as u64);
    let mut engine = EngineResult::default();

    let marker_bytes = markers.len() as u64 * MARKER_LEN as u64;
    let started = meter.elapsed();
    let total = marker_bytes + size;
    observer.on_progress(&progress(
        Phase::Markers,
        (1, 0, marker_bytes),
        0,
        total,
        &mut meter,
    ));
    write_markers(target, keystream, &markers)?;
    engine.passes.push(pass(
        Phase::Markers,
        markers.len() as u64 * MARKER_LEN as u64,
        meter.elapsed() - started,
    ));
    if cancel.is_cancelled() {
        engine.cancelled = true;
        return Ok(DeviceRun {
            engine,
            command: "not sent (cancelled)".into(),
        });
    }

    let started = meter.elapsed();
    // The command blocks without progress of its own: say that it runs.
    observer.on_progress(&progress(
        Phase::DeviceCommand,
        (2, 0, 0),
        marker_bytes,
        total,
        &mut meter,
    ));
    let ses = if crypto_erase { 2 } else { 1 };
    let command = send(plan, ses)?;
    engine
        .passes
        .push(pass(Phase::DeviceCommand, 0, meter.elapsed() - started));
    engine.bytes_written = size;

    let started = meter.elapsed();
    verify_markers_gone(
        target,
        keystream,
        &markers,
        &mut engine,
        cancel,
        &mut meter,
        observer,
    );
    engine.passes.push(pass(
        Phase::Verify,
        engine.bytes_verified,
        meter.elapsed() - started,
    ));
    engine.exceptions.sort();
    Ok(DeviceRun {
        engine,
        command: format!(
            "{command}; {} seeded markers written before, none may remain",
            markers.len()
        ),
    })
}

/// `MARKERS` aligned offsets spread evenly from the first block to the last.
fn marker_offsets(size: u64, alignment: usize) -> Vec<u64> {
    // Marker-aligned, so that no marker straddles two read requests of the verification.
    let align = alignment.max(MARKER_LEN) as u64;
    let len = MARKER_LEN as u64;
    if size < len {
        return Vec::new();
    }
    let last = (size - len) / align * align;
    let mut offsets: Vec<u64> = (0..MARKERS)
        .map(|i| last * i / (MARKERS - 1) / align * align)
        .collect();
    offsets.dedup();
    offsets
}

fn write_markers(
    target: &dyn Target,
    keystream: &Keystream,
    markers: &[u64],
) -> Result<(), WipeError> {
    let mut buf = AlignedBuf::new(MARKER_LEN);
    let mut back = AlignedBuf::new(MARKER_LEN);
    for &at in markers {
        keystream.fill(Pattern::Keystream, at, buf.as_mut_slice())?;
        target
            .write_at(buf.as_slice(), at)
            .map_err(|e| WipeError::Markers(format!("write at {at}: {e}")))?;
    }
    target
        .sync()
        .map_err(|e| WipeError::Markers(format!("sync: {e}")))?;
    let _ = target.drop_cache();
    // Read back: a marker the medium did not keep would make the later check meaningless.
    for &at in markers {
        keystream.fill(Pattern::Keystream, at, buf.as_mut_slice())?;
        target
            .read_at(back.as_mut_slice(), at)
            .map_err(|e| WipeError::Markers(format!("read at {at}: {e}")))?;
        if back.as_slice() != buf.as_slice() {
            return Err(WipeError::Markers(format!(
                "the medium did not keep the block written at {at}"
            )));
        }
    }
    Ok(())
}

/// Opens the namespace, keeps its format, and sends Format NVM with `ses`.
fn send_format(plan: &Plan, ses: u8) -> Result<String, WipeError> {
    let path = &plan.probe.path;
    let file = File::open(path).map_err(|source| WipeError::Open {
        path: path.clone(),
        source,
    })?;
    let failed = |detail: String| WipeError::DeviceCommand { detail };
    let nsid = nvme::namespace_id(&file).map_err(failed)?;
    let format = nvme::identify_namespace(&file, nsid).map_err(failed)?;
    let cdw10 = nvme::format_cdw10(format, ses);
    let t = Instant::now();
    nvme::format_nvm(&file, nsid, cdw10).map_err(failed)?;
    Ok(format!(
        "NVMe Format NVM, NSID {nsid}, SES {ses} ({}), LBA format {} kept (CDW10 {cdw10:#010x}); completed successfully in {} ms",
        if ses == 2 {
            "cryptographic erase"
        } else {
            "user data erase"
        },
        format.lba_format,
        t.elapsed().as_millis()
    ))
}

/// Reads the whole medium; a marker found intact, or a block that cannot be read, is an
/// exception.
fn verify_markers_gone(
    target: &dyn Target,
    keystream: &Keystream,
    markers: &[u64],
    engine: &mut EngineResult,
    cancel: &CancelToken,
    meter: &mut Meter,
    observer: &mut dyn Observer,
) {
    let size = target.size();
    let mut buf = AlignedBuf::new(READ_CHUNK);
    let mut marker = vec![0u8; MARKER_LEN];
    let before = markers.len() as u64 * MARKER_LEN as u64;
    let mut offset = 0u64;
    while offset < size {
        if cancel.is_cancelled() {
            engine.cancelled = true;
            return;
        }
        let len = (size - offset).min(READ_CHUNK as u64) as usize;
        let data = &mut buf.as_mut_slice()[..len];
        match target.read_at(data, offset) {
            Err(e) => engine.exceptions.record(
                ExceptionKind::ReadError,
                Phase::Verify,
                offset,
                len as u64,
                e.to_string(),
            ),
            Ok(()) => {
                let mut survived = 0;
                for &at in markers
                    .iter()
                    .filter(|&&at| at >= offset && at + MARKER_LEN as u64 <= offset + len as u64)
                {
                    let _ = keystream.fill(Pattern::Keystream, at, &mut marker);
                    let start = (at - offset) as usize;
                    if data[start..start + MARKER_LEN] == marker[..] {
                        survived += 1;
                        engine.exceptions.record(
                            ExceptionKind::Mismatch,
                            Phase::Verify,
                            at,
                            MARKER_LEN as u64,
                            "a marker written before the command is still there".into(),
                        );
                    }
                }
                engine.mismatched_bytes += survived * MARKER_LEN as u64;
                engine.bytes_verified += len as u64 - survived * MARKER_LEN as u64;
            }
        }
        offset += len as u64;
        observer.on_progress(&progress(
            Phase::Verify,
            (3, offset, size),
            before,
            before + size,
            meter,
        ));
    }
}

/// A sample in `phase` = (its number of 3, bytes done in it, its bytes); `before` = bytes of the
/// earlier phases, `total` = bytes of the whole run (markers, then reading the medium).
fn progress(
    phase: Phase,
    (number, done, phase_total): (u32, u64, u64),
    before: u64,
    total: u64,
    meter: &mut Meter,
) -> Progress {
    let total_done = before + done;
    let (bytes_per_second, eta) = meter.sample(total_done);
    Progress {
        phase,
        phase_number: number,
        phase_count: 3,
        phase_done: done,
        phase_total,
        total_done,
        total,
        bytes_per_second,
        eta,
        elapsed: meter.elapsed(),
    }
}

fn pass(phase: Phase, bytes: u64, duration: std::time::Duration) -> PassReport {
    let ms = duration.as_millis() as u64;
    let avg = bytes.saturating_mul(1000).checked_div(ms).unwrap_or(0);
    PassReport {
        phase,
        bytes,
        duration_ms: ms,
        avg_bytes_per_second: avg,
        min_bytes_per_second: None,
        max_bytes_per_second: avg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystream::Seed;
    use crate::plan::{MethodChoice, SanitizationLevel, plan};
    use crate::report::{Outcome, Report};
    use crate::{FileTarget, NoObserver};

    /// A file standing for an NVMe namespace, and a Format plan for it.
    fn namespace(size: usize) -> (tempfile::NamedTempFile, FileTarget, Plan) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), vec![0x5au8; size]).unwrap();
        let target = FileTarget::open(file.path()).unwrap();
        let probe = crate::probe(file.path()).unwrap();
        let mut plan = plan(&probe, MethodChoice::Overwrite);
        plan.method = Method::NvmeFormat {
            crypto_erase: false,
        };
        plan.level = SanitizationLevel::Purge;
        (file, target, plan)
    }

    fn report(
        plan: &Plan,
        target: &FileTarget,
        send: impl FnOnce(&Plan, u8) -> Result<String, WipeError>,
    ) -> Report {
        let seed = Seed::from_bytes([9; 32]);
        let ks = Keystream::new(seed.clone());
        let run = run_with(
            plan,
            target,
            &ks,
            &CancelToken::new(),
            &mut NoObserver,
            send,
        )
        .unwrap();
        let now = chrono::Utc::now();
        Report::for_device(plan, run, seed, (now, now), false)
    }

    #[test]
    fn a_device_that_erases_earns_purge() {
        let (file, target, plan) = namespace(8 << 20);
        let path = file.path().to_owned();
        let r = report(&plan, &target, |_, ses| {
            assert_eq!(ses, 1, "user data erase");
            std::fs::write(&path, vec![0u8; 8 << 20]).unwrap();
            Ok("stand-in format".into())
        });
        assert_eq!(r.outcome, Outcome::Erased);
        assert_eq!(r.level, SanitizationLevel::Purge);
        assert_eq!(r.verification.bytes_verified, 8 << 20);
    }

    #[test]
    fn a_device_that_acknowledges_but_keeps_the_data_is_caught() {
        let (_file, target, plan) = namespace(8 << 20);
        let r = report(&plan, &target, |_, _| {
            Ok("stand-in format that does nothing".into())
        });
        assert_ne!(r.outcome, Outcome::Erased);
        assert_eq!(r.level, SanitizationLevel::None, "{:?}", r.outcome);
        assert_eq!(
            r.exceptions.total, MARKERS,
            "every marker survived and is listed"
        );
    }

    #[test]
    fn a_refused_command_gives_no_report() {
        let (_file, target, plan) = namespace(1 << 20);
        let seed = Seed::from_bytes([9; 32]);
        let ks = Keystream::new(seed);
        let refused = run_with(
            &plan,
            &target,
            &ks,
            &CancelToken::new(),
            &mut NoObserver,
            |_, _| {
                Err(WipeError::DeviceCommand {
                    detail: "status 0x2".into(),
                })
            },
        );
        assert!(matches!(refused, Err(WipeError::DeviceCommand { .. })));
    }

    #[test]
    fn markers_cover_the_first_and_last_blocks_evenly_and_aligned() {
        let size = 1u64 << 30;
        let m = marker_offsets(size, 4096);
        assert_eq!(m.len() as u64, MARKERS);
        assert_eq!(m[0], 0);
        assert_eq!(*m.last().unwrap(), size - MARKER_LEN as u64);
        assert!(m.iter().all(|o| o % MARKER_LEN as u64 == 0));
        assert_eq!(
            READ_CHUNK % MARKER_LEN,
            0,
            "markers never straddle two reads"
        );
        assert!(
            m.windows(2).all(|w| w[1] - w[0] >= MARKER_LEN as u64),
            "no overlap"
        );
    }

    #[test]
    fn a_medium_smaller_than_a_marker_gets_none_and_a_small_one_no_duplicates() {
        assert!(marker_offsets(4096, 4096).is_empty());
        let m = marker_offsets(MARKER_LEN as u64 * 3, 4096);
        assert!(m.windows(2).all(|w| w[0] < w[1]));
    }
}
