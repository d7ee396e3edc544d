//! End to end on a real temporary file: overwrite, verify, certify.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kinko_wipe::{
    CertError, Certificate, CertificateInfo, MethodChoice, NoObserver, Operator, Outcome, Progress,
    RunOptions, SanitizationLevel, Seed, SigningKey, VerificationResult, key_fingerprint, plan,
    probe, run,
};

const SIZE: u64 = 64 << 20;

fn info() -> CertificateInfo {
    CertificateInfo {
        operator: Operator {
            name: "山田 太郎".into(),
            organisation: Some("株式会社テスト".into()),
            ..Default::default()
        },
        property_number: Some("KINKO-0001".into()),
        ..Default::default()
    }
}

#[test]
fn overwrites_a_file_verifies_and_certifies() {
    let file = tempfile::NamedTempFile::new().unwrap();
    file.as_file().set_len(SIZE).unwrap();
    let probe = probe(file.path()).unwrap();
    assert_eq!(probe.capacity_bytes, SIZE);
    let plan = plan(&probe, MethodChoice::Auto);
    assert_eq!(plan.level, SanitizationLevel::Clear);

    let samples = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let sink = samples.clone();
    let mut observer = move |p: &Progress| sink.lock().unwrap().push(p.clone());
    let options = RunOptions {
        progress_interval: Duration::from_millis(5),
        ..Default::default()
    };
    let report = run(&plan, &options, &mut observer).unwrap();

    assert_eq!(report.outcome, Outcome::Erased);
    assert_eq!(report.verification.result, VerificationResult::Passed);
    assert_eq!(report.verification.bytes_verified, SIZE);
    assert_eq!(report.bytes_written, SIZE);
    assert_eq!(report.level, SanitizationLevel::Clear);
    assert_eq!(report.seed_sha256, report.seed.sha256_hex());

    let data = std::fs::read(file.path()).unwrap();
    assert_eq!(data.len() as u64, SIZE);
    assert!(
        common::is_complement_keystream(&data, &report.seed),
        "file is not the complement keystream"
    );

    check_progress(&samples.lock().unwrap());
    check_certificate(&report);
}

fn check_progress(samples: &[Progress]) {
    assert!(
        samples.len() >= 3,
        "only {} progress samples",
        samples.len()
    );
    for pair in samples.windows(2) {
        assert!(
            pair[1].total_done >= pair[0].total_done,
            "progress went backwards"
        );
    }
    let last = samples.last().unwrap();
    assert_eq!(last.total_done, last.total);
    assert_eq!(last.total, 3 * SIZE);
    assert!(
        samples.iter().any(|p| p.bytes_per_second > 0),
        "no throughput reported"
    );
    assert!(
        samples.iter().any(|p| p.eta.is_some()),
        "no time left reported"
    );
}

fn check_certificate(report: &kinko_wipe::Report) {
    let key = SigningKey::from_bytes(&[42u8; 32]);
    let mut cert = Certificate::from_report(report, &info()).unwrap();
    assert_eq!(
        cert.verify().unwrap_err().to_string(),
        CertError::Unsigned.to_string()
    );
    cert.sign(&key).unwrap();
    let json = cert.to_json().unwrap();
    assert!(!json.contains(&hex(report.seed.as_bytes())), "seed leaked");
    assert!(json.contains(&report.seed_sha256));

    let verified = Certificate::from_json(&json).unwrap().verify().unwrap();
    assert_eq!(
        verified.key_fingerprint,
        key_fingerprint(&key.verifying_key())
    );
    assert_eq!(
        verified.body.sanitization.method_type,
        SanitizationLevel::Clear
    );
    assert_eq!(verified.body.outcome, Outcome::Erased);
    assert_eq!(verified.body.media.capacity_bytes, SIZE);

    let tampered = json.replacen("KINKO-0001", "KINKO-0002", 1);
    assert_ne!(tampered, json);
    let err = Certificate::from_json(&tampered)
        .unwrap()
        .verify()
        .unwrap_err();
    assert!(matches!(err, CertError::Signature), "{err}");

    let added = json.replacen("\"notes\": null", "\"notes\": null, \"extra\": 1", 1);
    assert!(
        Certificate::from_json(&added).is_err(),
        "unknown field accepted"
    );
}

#[test]
fn cancellation_stops_promptly_and_never_claims_verified() {
    let file = tempfile::NamedTempFile::new().unwrap();
    file.as_file().set_len(SIZE).unwrap();
    let plan = plan(&probe(file.path()).unwrap(), MethodChoice::Overwrite);
    let options = RunOptions {
        progress_interval: Duration::from_millis(1),
        chunk_size: 256 << 10,
        ..Default::default()
    };
    let cancel = options.cancel.clone();
    let mut observer = move |p: &Progress| {
        if p.total_done > 0 {
            cancel.cancel();
        }
    };
    let report = run(&plan, &options, &mut observer).unwrap();
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert_ne!(report.verification.result, VerificationResult::Passed);
    assert_eq!(report.level, SanitizationLevel::None);
    let done: u64 = report.passes.iter().map(|p| p.bytes).sum();
    assert!(
        done < SIZE,
        "cancellation was not prompt: {done} bytes processed"
    );

    let key = SigningKey::from_bytes(&[1u8; 32]);
    let mut cert = Certificate::from_report(&report, &info()).unwrap();
    cert.sign(&key).unwrap();
    let body = cert.verify().unwrap().body;
    assert_eq!(body.outcome, Outcome::Cancelled);
    assert_eq!(body.sanitization.method_type, SanitizationLevel::None);
}

#[test]
fn a_given_seed_reproduces_the_pattern_and_odd_sizes_work() {
    // not a multiple of the direct-I/O alignment: the tail goes through the page cache
    let size = (3 << 20) + 123;
    let file = tempfile::NamedTempFile::new().unwrap();
    file.as_file().set_len(size).unwrap();
    let plan = plan(&probe(file.path()).unwrap(), MethodChoice::Auto);
    let seed = Seed::from_bytes([3; 32]);
    let options = RunOptions {
        seed: Some(seed.clone()),
        chunk_size: 1 << 20,
        ..Default::default()
    };
    let report = run(&plan, &options, &mut NoObserver).unwrap();
    assert_eq!(report.outcome, Outcome::Erased);
    let data = std::fs::read(file.path()).unwrap();
    assert_eq!(data, common::complement(&seed, 0, size as usize));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
