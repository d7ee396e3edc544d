//! Deleting with re-keying in a vault of 30,000 people (10,000 employees and 20,000 family
//! members, all with numbers; issue 8): each deletion re-wraps every surviving person key under
//! a fresh epoch key, then checkpoints and VACUUMs. `cargo bench -p kinko-vault --bench deletion`.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use kinko_domain::people::{DependantType, EmploymentStatus, PersonId, PersonalDetails, Role};
use kinko_vault::demo::sample_my_number;
use kinko_vault::{KdfParams, NewPerson, PersonNumber, Session, Vault};

const PASSWORD: &[u8] = b"bench password 2026";

fn details(name: &str, kana: &str, y: i32) -> PersonalDetails {
    PersonalDetails {
        name: name.into(),
        kana: kana.into(),
        birth_date: NaiveDate::from_ymd_opt(y, 1, 1),
        address: None,
    }
}

/// `employees` employees, each with two children, all with numbers, in one transaction.
fn firm(s: &mut Session, employees: u64) {
    s.write(|w| {
        let dept = w.department("営業部")?;
        for i in 0..employees {
            let id = w.add_person(NewPerson {
                role: Role::Employee {
                    code: format!("{i:05}"),
                    department: Some(dept),
                    hire_date: NaiveDate::from_ymd_opt(2010, 4, 1),
                    retire_date: None,
                    status: EmploymentStatus::Active,
                },
                details: details("山田 太郎", "ヤマダ タロウ", 1980),
                number: Some(PersonNumber::Individual(sample_my_number(i * 3))),
            })?;
            for j in 1..=2 {
                w.add_person(NewPerson {
                    role: Role::Family {
                        employee: id,
                        relation: "子".into(),
                        dependant: DependantType::Under16,
                    },
                    details: details(&format!("山田 {j}郎"), "ヤマダ イチロウ", 2015),
                    number: Some(PersonNumber::Individual(sample_my_number(i * 3 + j))),
                })?;
            }
        }
        Ok(())
    })
    .expect("firm");
}

fn bench_deletion(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let created = Vault::create(tmp.path(), "admin", PASSWORD, KdfParams::MINIMUM).expect("create");
    let mut s = created.vault.login("admin", PASSWORD).expect("login");
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
