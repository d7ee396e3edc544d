//! The verdict of a device command and the marker check, on real files.

use std::io::Write;

use super::*;
use crate::plan::{Method, NvmeSanitizeAction, SanitizationLevel};
use crate::probe::probe;
use crate::report::{Outcome, VerificationResult};
use crate::target::FileTarget;

const SIZE: u64 = 8 << 20;

fn medium() -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(&vec![0x5A; SIZE as usize]).unwrap();
    f
}

fn device_plan(file: &tempfile::NamedTempFile) -> Plan {
    let mut plan = crate::plan::plan(&probe(file.path()).unwrap(), crate::MethodChoice::Auto);
    plan.method = Method::NvmeSanitize {
        action: NvmeSanitizeAction::CryptoErase,
    };
    plan.level = SanitizationLevel::Purge;
    plan
}

fn verdict(run: DeviceRun) -> Report {
    let file = medium();
    let seed = Seed::from_bytes([7; 32]);
    Report::from_device(
        &device_plan(&file),
        run,
        seed,
        (Utc::now(), Utc::now()),
        false,
    )
}

fn completed() -> DeviceRun {
    DeviceRun {
        command: DeviceCommandRecord {
            sent: true,
            completed: true,
            ..DeviceCommandRecord::default()
        },
        markers_placed: 256,
        markers_stored: 256,
        verified: true,
        ..DeviceRun::default()
    }
}

#[test]
fn purge_only_when_completed_and_no_marker_survives() {
    let ok = verdict(completed());
    assert_eq!(
        (ok.outcome, ok.level),
        (Outcome::Erased, SanitizationLevel::Purge)
    );
    assert_eq!(ok.verification.result, VerificationResult::Passed);

    let survived = verdict(DeviceRun {
        markers_surviving: 3,
        ..completed()
    });
    assert_eq!(
        (survived.outcome, survived.level),
        (Outcome::NotErased, SanitizationLevel::None)
    );
    assert_eq!(survived.verification.result, VerificationResult::Failed);

    let mut with_errors = completed();
    with_errors.exceptions.record(
        crate::ExceptionKind::ReadError,
        Phase::VerifyMarkers,
        4096,
        4096,
        "EIO".into(),
    );
    let r = verdict(with_errors);
    assert_eq!(
        (r.outcome, r.level),
        (Outcome::ErasedWithExceptions, SanitizationLevel::None)
    );

    let not_completed = verdict(DeviceRun {
        verified: false,
        ..completed()
    });
    assert_eq!(not_completed.outcome, Outcome::NotErased);
    assert_eq!(not_completed.level, SanitizationLevel::None);
}

#[test]
fn markers_are_found_until_the_medium_is_erased() {
    let file = medium();
    let target = FileTarget::open(file.path()).unwrap();
    let keystream = Keystream::new(Seed::from_bytes([9; 32]));
    let offsets = markers::marker_offsets(&[9; 32], SIZE);
    let mut log = ExceptionLog::default();
    let written = markers::write(&target, &keystream, &offsets, &mut log);
    target.sync().unwrap();
    let (present, _) =
        markers::count_present(&target, &keystream, &written, Phase::WriteMarkers, &mut log);
    assert_eq!(present, offsets.len() as u64);
    // an "erase" that misses one marker place is caught
    let zeros = crate::target::AlignedBuf::new(SIZE as usize);
    target.write_at(zeros.as_slice(), 0).unwrap();
    target
        .write_at(&keystream_block(&keystream, offsets[5]), offsets[5])
        .unwrap();
    let (left, read) = markers::count_present(
        &target,
        &keystream,
        &written,
        Phase::VerifyMarkers,
        &mut log,
    );
    assert_eq!(left, 1);
    assert_eq!(read, 4096 * offsets.len() as u64);
    assert!(log.is_empty());
    assert!(markers::read_samples(&target, &mut log) > 0);
}

fn keystream_block(keystream: &Keystream, offset: u64) -> Vec<u8> {
    let mut b = vec![0u8; 4096];
    keystream
        .fill(crate::keystream::Pattern::Keystream, offset, &mut b)
        .unwrap();
    b
}

#[test]
fn a_device_command_on_a_plain_file_is_reported_failed_not_purged() {
    let file = medium();
    let plan = device_plan(&file);
    let target = FileTarget::open(file.path()).unwrap();
    let device = std::fs::File::open(file.path()).unwrap();
    let report = run_device_command(
        &plan,
        &target,
        &device,
        Seed::from_bytes([3; 32]),
        &CancelToken::new(),
        &mut crate::NoObserver,
    )
    .unwrap();
    assert_eq!(report.outcome, Outcome::NotErased);
    assert_eq!(report.level, SanitizationLevel::None);
    let command = report.device_command.unwrap();
    assert!(command.sent && !command.completed);
    assert_eq!(
        command.markers_placed,
        markers::marker_offsets(&[3; 32], SIZE).len() as u64
    );
}
