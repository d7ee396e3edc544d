//! Deleting with re-keying in a vault of 30,000 people (10,000 employees and 20,000 family
//! members, all with numbers; issue 8): each deletion re-wraps every surviving person key under
//! a fresh epoch key, then checkpoints and VACUUMs. `cargo bench -p kinko-vault --bench deletion`.

mod common;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use kinko_domain::people::PersonId;

use common::*;

fn bench_deletion(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = fresh_vault(tmp.path());
    firm(&mut s, 10_000);
    let size = std::fs::metadata(tmp.path().join(kinko_vault::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!("database: {:.1} MiB", size as f64 / (1 << 20) as f64);
    let mut next = 0i64;
    let mut g = c.benchmark_group("delete with re-key, 30,000 people");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(20));
    g.bench_function("number only (re-key person + hierarchy + compact)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                next += 1;
                let t = Instant::now();
                let summary = s
                    .delete_number(PersonId(next), "bench")
                    .expect("delete_number");
                total += t.elapsed();
                assert!(summary.rewrapped >= 29_000);
            }
            total
        })
    });
    g.finish();
    // The compaction alone (checkpoint, VACUUM, checkpoint) on the same file, to split the
    // figure between re-keying and rewriting the file.
    let conn = rusqlite::Connection::open(tmp.path().join(kinko_vault::DB_FILE)).expect("db");
    conn.pragma_update(None, "secure_delete", "ON")
        .expect("pragma");
    let t = Instant::now();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    })
    .expect("checkpoint");
    conn.execute_batch("VACUUM").expect("vacuum");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    })
    .expect("checkpoint");
    eprintln!("checkpoint + VACUUM + checkpoint alone: {:?}", t.elapsed());
}

criterion_group!(benches, bench_deletion);
criterion_main!(benches);
