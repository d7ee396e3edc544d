//! Benchmarks of the audit log (F6) on a 2-core PC:
//!
//! - appending 100,000 entries through the public API, many per transaction: `Writer::department`
//!   inside one `Session::write` appends one "department.add" entry per new department, the
//!   cheapest logged operation that batches (entries/s); and the cost of one entry in its own
//!   transaction (each commit waits for the medium: `synchronous=FULL`);
//! - `audit_verify` over the whole chain of 100,000+ entries: target ≤ 2 s;
//! - reading the log (the latest page; one user's entries; one action's) and taking a seal.
//!
//! One-off figures are printed as `kinko-bench:` lines; the rest are criterion benchmarks with
//! small sample sizes, so that `cargo bench -p kinko-vault --bench audit` finishes in about two
//! minutes. `cargo test --benches` runs everything once on a small log.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use kinko_vault::{AuditQuery, DB_FILE, Policy, Session};

use common::*;

/// Entries per transaction when filling the log.
const PER_TX: u64 = 10_000;

/// Appends `n` entries, `per_tx` per transaction: each new department is one logged
/// "department.add". `next` numbers the departments so that every one is new.
fn append(session: &mut Session, next: &mut u64, n: u64, per_tx: u64) -> Duration {
    let t = Instant::now();
    let mut left = n;
    while left > 0 {
        let k = left.min(per_tx);
        let start = *next;
        session
            .write(|w| {
                for i in start..start + k {
                    w.department(&format!("監査ベンチ部署{i:07}"))?;
                }
                Ok(())
            })
            .expect("append batch");
        *next += k;
        left -= k;
    }
    t.elapsed()
}

fn entries(session: &mut Session) -> i64 {
    session.audit_seal().expect("seal").seq
}

fn mib(dir: &Path) -> f64 {
    let size = |name: String| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
    (size(DB_FILE.to_owned()) + size(format!("{DB_FILE}-wal"))) as f64 / (1024.0 * 1024.0)
}

fn bench_audit(c: &mut Criterion) {
    let total: u64 = if full_run() { 100_000 } else { 2_000 };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let mut session = fresh_vault(&dir);
    let mut next = 0u64;

    // (a) Fill: `total` entries, PER_TX per transaction.
    let took = append(&mut session, &mut next, total, PER_TX);
    println!(
        "kinko-bench: appended {total} log entries ({} per transaction, department.add): {took:.2?} \
         = {:.0} entries/s ({:.1} µs per entry)",
        PER_TX.min(total),
        total as f64 / took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / total as f64
    );
    let n = entries(&mut session);
    assert!(n as u64 >= total, "only {n} entries");
    println!(
        "kinko-bench: vault with {n} log entries: {:.1} MiB (database + wal)",
        mib(&dir)
    );

    // (b) Verify the whole chain: once cold (first after the fill), then sampled.
    let t = Instant::now();
    let report = session.audit_verify(None).expect("verify");
    let first = t.elapsed();
    assert_eq!(report.problem, None, "{report:?}");
    assert!(report.entries as u64 > total);
    println!(
        "kinko-bench: first audit_verify over {} entries: {first:.2?} (target ≤ 2 s) = {:.2} µs per \
         entry",
        report.entries,
        first.as_secs_f64() * 1e6 / report.entries as f64
    );
    let mut g = c.benchmark_group(format!("audit verify {}k entries", n / 1000));
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(8));
    g.bench_function("audit_verify(None)", |b| {
        b.iter(|| {
            let r = session.audit_verify(None).expect("verify");
            assert!(r.problem.is_none());
            black_box(r.entries)
        })
    });
    let seal = session.audit_seal().expect("seal");
    g.bench_function("audit_verify(Some(seal))", |b| {
        b.iter(|| {
            let r = session.audit_verify(Some(&seal)).expect("verify");
            assert!(r.problem.is_none());
            black_box(r.entries)
        })
    });
    g.finish();

    // (c) Reading the log.
    let user = session.user().0;
    let mut g = c.benchmark_group(format!("audit read {}k entries", n / 1000));
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    g.bench_function("audit_list latest 100", |b| {
        b.iter(|| {
            black_box(
                session
                    .audit_list(&AuditQuery {
                        limit: Some(100),
                        ..AuditQuery::default()
                    })
                    .expect("list")
                    .len(),
            )
        })
    });
    g.bench_function("audit_list action=audit.seal (index)", |b| {
        b.iter(|| {
            black_box(
                session
                    .audit_list(&AuditQuery {
                        action: Some("audit.seal".into()),
                        user: Some(user),
                        ..AuditQuery::default()
                    })
                    .expect("list")
                    .len(),
            )
        })
    });
    g.bench_function("audit_seal", |b| {
        b.iter(|| black_box(session.audit_seal().expect("seal")))
    });
    g.finish();

    // (d) Appending more: one entry per transaction, and batches.
    let mut g = c.benchmark_group(format!("audit append onto {}k", n / 1000));
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));
    g.bench_function("1 entry, own transaction (department.add)", |b| {
        b.iter(|| black_box(append(&mut session, &mut next, 1, 1)))
    });
    let policies = [
        Policy::default(),
        Policy {
            lockout_threshold: 6,
            ..Policy::default()
        },
    ];
    let mut flip = 0;
    g.bench_function("1 entry, own transaction (set_policy)", |b| {
        b.iter(|| {
            flip ^= 1;
            session.set_policy(policies[flip]).expect("set_policy")
        })
    });
    g.throughput(Throughput::Elements(1_000));
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("1,000 entries, one transaction (department.add)", |b| {
        b.iter(|| black_box(append(&mut session, &mut next, 1_000, 1_000)))
    });
    g.finish();

    let report = session.audit_verify(None).expect("verify");
    assert_eq!(report.problem, None);
    println!(
        "kinko-bench: at the end, {} entries verify clean; {:.1} MiB",
        report.entries,
        mib(&dir)
    );
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_audit(&mut c);
    c.final_summary();
}
