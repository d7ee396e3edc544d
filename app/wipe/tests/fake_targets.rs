//! Engine behaviour on simulated media: fake capacity, I/O errors, plain memory.

mod common;

use std::sync::Mutex;

use common::{FailingTarget, MemTarget, WrappingTarget, file_probe};
use kinko_wipe::{
    ExceptionKind, MethodChoice, NoObserver, Outcome, RunOptions, SanitizationLevel, Seed,
    VerificationResult, plan, run_on_target,
};

const SIZE: usize = 8 << 20;

fn options() -> RunOptions {
    RunOptions {
        seed: Some(Seed::from_bytes([9; 32])),
        chunk_size: 1 << 20,
        ..Default::default()
    }
}

#[test]
fn memory_target_ends_as_the_complement() {
    let (_file, probe) = file_probe(SIZE as u64);
    let target = MemTarget::new(SIZE);
    let report = run_on_target(
        &plan(&probe, MethodChoice::Auto),
        &target,
        &options(),
        &mut NoObserver,
    )
    .unwrap();
    assert_eq!(report.outcome, Outcome::Erased);
    let data = target.data.lock().unwrap();
    assert_eq!(
        *data,
        common::complement(&Seed::from_bytes([9; 32]), 0, SIZE)
    );
}

#[test]
fn fake_capacity_stick_is_caught_by_the_read_back() {
    // claims 8 MiB, keeps 2 MiB: writes wrap around
    let (_file, probe) = file_probe(SIZE as u64);
    let target = WrappingTarget {
        real: Mutex::new(vec![0; 2 << 20]),
        claimed: SIZE as u64,
    };
    let report = run_on_target(
        &plan(&probe, MethodChoice::Auto),
        &target,
        &options(),
        &mut NoObserver,
    )
    .unwrap();
    assert_eq!(report.outcome, Outcome::NotErased);
    assert_eq!(report.verification.result, VerificationResult::Failed);
    assert_eq!(report.level, SanitizationLevel::None);
    // at most the pieces holding the last-written copy can match
    assert!(
        report.verification.bytes_verified <= 2 << 20,
        "{}",
        report.verification.bytes_verified
    );
    assert!(report.verification.mismatched_bytes >= (SIZE as u64 - (2 << 20)) * 9 / 10);
    assert!(
        report
            .exceptions
            .listed
            .iter()
            .all(|e| e.kind == ExceptionKind::Mismatch)
    );
    assert!(report.exceptions.total > 0);
}

#[test]
fn io_errors_are_listed_with_offsets_and_downgrade_the_outcome() {
    let (_file, probe) = file_probe(SIZE as u64);
    // one 64 KiB range fails: under 1 % of the medium
    let bad = (3 << 20) + (64 << 10)..(3 << 20) + (128 << 10);
    let target = FailingTarget {
        inner: MemTarget::new(SIZE),
        bad: bad.clone(),
    };
    let report = run_on_target(
        &plan(&probe, MethodChoice::Auto),
        &target,
        &options(),
        &mut NoObserver,
    )
    .unwrap();

    assert_eq!(report.outcome, Outcome::ErasedWithExceptions);
    assert_eq!(report.verification.result, VerificationResult::Failed);
    assert_eq!(report.verification.bytes_verified, SIZE as u64 - 64 * 1024);
    assert_eq!(report.level, SanitizationLevel::Clear);
    let kinds: Vec<_> = report
        .exceptions
        .listed
        .iter()
        .map(|e| (e.kind, e.phase.as_str(), e.offset, e.length))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                ExceptionKind::WriteError,
                "write_keystream",
                bad.start,
                64 << 10
            ),
            (
                ExceptionKind::WriteError,
                "write_complement",
                bad.start,
                64 << 10
            ),
            (ExceptionKind::ReadError, "verify", bad.start, 64 << 10),
        ]
    );
}

#[test]
fn widespread_io_errors_mean_not_erased() {
    let (_file, probe) = file_probe(SIZE as u64);
    let target = FailingTarget {
        inner: MemTarget::new(SIZE),
        bad: 0..(1 << 20),
    };
    let report = run_on_target(
        &plan(&probe, MethodChoice::Auto),
        &target,
        &options(),
        &mut NoObserver,
    )
    .unwrap();
    assert_eq!(report.outcome, Outcome::NotErased);
    assert_eq!(report.level, SanitizationLevel::None);
    assert_eq!(report.exceptions.total, 3 * 16);
}
