//! Benchmarks of the engine against the targets for a 2-core PC (PRODUCT.md §2 F1):
//!
//! - unlock (login) with the default Argon2id parameters: ≤ 1 s;
//! - adding 10,000 employees and 20,000 family members, as an import does (batches of about
//!   1,000 people per transaction): ≤ 10 s in all; and one person per transaction;
//! - listing and searching the 30,000 people (by name, by kana): ≤ 50 ms, warm (index built)
//!   and cold (the first list after a login or a change decrypts everyone);
//! - the vault's size on disk after those adds: ≤ 30 MB; and `Vault::open` (integrity check).
//!
//! One-off figures (the import, the size, the first open) are printed as `kinko-bench:` lines;
//! the rest are criterion benchmarks with small sample sizes, so that `cargo bench -p
//! kinko-vault` finishes in a few minutes. `cargo test --benches` runs everything once on a
//! small vault.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{Criterion, SamplingMode};
use kinko_domain::number::{MyNumber, my_number_check_digit};
use kinko_domain::people::{
    DepartmentId, DependantType, EmploymentStatus, PersonId, PersonalDetails, Role,
};
use kinko_vault::{DB_FILE, KdfParams, NewPerson, PeopleQuery, PersonNumber, Session, Vault};

use common::*;

/// Family members per employee.
const FAMILY_PER_EMPLOYEE: u64 = 2;
/// People per import transaction (an employee and their family stay together).
const BATCH_PEOPLE: u64 = 1_000;

/// A valid My Number, distinct for every `i` below 10^11.
fn my_number(i: u64) -> PersonNumber {
    const MOD: u64 = 100_000_000_000;
    let mut v = (i % MOD * 7_919 + 27_182_818_284) % MOD;
    let mut body = [0u8; 11];
    for d in body.iter_mut().rev() {
        *d = (v % 10) as u8;
        v /= 10;
    }
    let check = my_number_check_digit(&body);
    let digits: String = body
        .iter()
        .chain([&check])
        .map(|d| char::from(b'0' + d))
        .collect();
    PersonNumber::Individual(MyNumber::parse(&digits).expect("generated number is valid"))
}

const FAMILY_NAMES: [(&str, &str); 12] = [
    ("田中", "タナカ"),
    ("髙橋", "タカハシ"),
    ("山﨑", "ヤマザキ"),
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("渡邉", "ワタナベ"),
    ("伊藤", "イトウ"),
    ("齋藤", "サイトウ"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
];
const GIVEN_NAMES: [(&str, &str); 10] = [
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("翔太", "ショウタ"),
    ("美咲", "ミサキ"),
    ("健一", "ケンイチ"),
    ("結衣", "ユイ"),
    ("大輔", "ダイスケ"),
    ("陽菜", "ヒナ"),
    ("蓮", "レン"),
    ("さくら", "サクラ"),
];

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Realistic details for person `i`: a name and kana from the lists above (so a search for
/// 田中 finds about one in twelve), a birth date and an address.
fn details(i: u64) -> PersonalDetails {
    let (family, family_kana) = FAMILY_NAMES[(i % 12) as usize];
    let (given, given_kana) = GIVEN_NAMES[(i / 12 % 10) as usize];
    PersonalDetails {
        name: format!("{family}　{given}"),
        kana: format!("{family_kana}　{given_kana}"),
        birth_date: date(
            1950 + (i % 60) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        ),
        address: Some(format!(
            "東京都千代田区丸の内{}丁目{}番{}号",
            1 + i % 3,
            1 + i % 20,
            1 + i % 15
        )),
    }
}

fn employee(i: u64, department: Option<DepartmentId>) -> NewPerson {
    NewPerson {
        role: Role::Employee {
            code: format!("E{i:06}"),
            department,
            hire_date: date(2000 + (i % 25) as i32, 4, 1),
            retire_date: None,
            status: EmploymentStatus::Active,
        },
        details: details(i),
        number: Some(my_number(i)),
    }
}

fn family_member(employee: PersonId, i: u64, k: u64) -> NewPerson {
    let (relation, dependant) = if k == 0 {
        ("配偶者", DependantType::Spouse)
    } else {
        ("長男", DependantType::Under16)
    };
    NewPerson {
        role: Role::Family {
            employee,
            relation: relation.into(),
            dependant,
        },
        details: details(i * 7 + k + 3),
        number: Some(my_number(1_000_000 + i * FAMILY_PER_EMPLOYEE + k)),
    }
}

/// Adds employees `range` with their family, about [`BATCH_PEOPLE`] people per transaction.
fn import(session: &mut Session, range: std::ops::Range<u64>) -> usize {
    let per_tx = (BATCH_PEOPLE / (1 + FAMILY_PER_EMPLOYEE)).max(1);
    let mut transactions = 0;
    let mut start = range.start;
    while start < range.end {
        let end = (start + per_tx).min(range.end);
        session
            .write(|w| {
                let departments: Vec<DepartmentId> = (0..10)
                    .map(|d| w.department(&format!("第{d}営業部")))
                    .collect::<Result<_, _>>()?;
                for i in start..end {
                    let id = w.add_person(employee(i, Some(departments[(i % 10) as usize])))?;
                    for k in 0..FAMILY_PER_EMPLOYEE {
                        w.add_person(family_member(id, i, k))?;
                    }
                }
                Ok(())
            })
            .expect("import batch");
        transactions += 1;
        start = end;
    }
    transactions
}

fn files_size(dir: &Path) -> (u64, u64) {
    let size = |name: String| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
    (size(DB_FILE.to_string()), size(format!("{DB_FILE}-wal")))
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// (a) Unlocking with the default Argon2id parameters (64 MiB, t=3, p=4).
fn bench_unlock(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let created =
        Vault::create(&dir, ADMIN, PASSWORD, KdfParams::DEFAULT).expect("create (default KDF)");
    let vault = created.vault;
    let mut g = c.benchmark_group("unlock");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(6));
    g.bench_function("login, default KDF (256 MiB, t=3, p=4)", |b| {
        b.iter(|| black_box(vault.login(ADMIN, PASSWORD).expect("login")))
    });
    // Five failures in a row lock the account (and a locked account answers at once), so a
    // successful log-in, not timed, resets the count every few attempts.
    g.bench_function("wrong password, default KDF", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                if i % 3 == 0 {
                    drop(vault.login(ADMIN, PASSWORD).expect("login"));
                }
                let t = Instant::now();
                let refused = vault.login(ADMIN, b"wrong password!");
                total += t.elapsed();
                assert!(matches!(
                    refused,
                    Err(kinko_vault::VaultError::WrongPassword)
                ));
            }
            total
        })
    });
    g.bench_function("unknown user, default KDF", |b| {
        b.iter(|| black_box(vault.login("nobody", PASSWORD).is_err()))
    });
    g.finish();
}

/// (b) Adding people one per transaction and in import batches, on a vault of its own.
fn bench_add(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let mut session = fresh_vault(&dir);
    let mut next = 5_000_000u64;
    let mut g = c.benchmark_group("add");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("one employee with a number, own transaction", |b| {
        b.iter(|| {
            next += 1;
            black_box(session.add_person(employee(next, None)).expect("add"))
        })
    });
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function(
        "import batch: 334 employees + 668 family, one transaction",
        |b| {
            b.iter(|| {
                let start = next + 1;
                next += 334;
                black_box(import(&mut session, start..start + 334))
            })
        },
    );
    g.finish();
}

/// (c, d) The big vault: import, size, open, list and search.
fn bench_big_vault(c: &mut Criterion) {
    let employees: u64 = if full_run() { 10_000 } else { 200 };
    let people = employees * (1 + FAMILY_PER_EMPLOYEE);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let created = Vault::create(&dir, ADMIN, PASSWORD, KdfParams::DEFAULT).expect("create");
    let mut session = created.vault.login(ADMIN, PASSWORD).expect("login");

    let t = Instant::now();
    let transactions = import(&mut session, 0..employees);
    let took = t.elapsed();
    println!(
        "kinko-bench: import of {employees} employees + {} family members ({people} people, all with \
         numbers) in {transactions} transactions: {took:.2?} ({:.0} µs per person)",
        employees * FAMILY_PER_EMPLOYEE,
        took.as_secs_f64() * 1e6 / people as f64
    );
    let (db, wal) = files_size(&dir);
    println!(
        "kinko-bench: with the session open: db {:.1} MiB + wal {:.1} MiB",
        mib(db),
        mib(wal)
    );
    drop(session);
    drop(created.vault);
    let (db, wal) = files_size(&dir);
    println!(
        "kinko-bench: vault size after a clean close, {people} people: {db} bytes ({:.1} MiB) + wal \
         {wal} bytes = {:.0} bytes per person",
        mib(db + wal),
        (db + wal) as f64 / people as f64
    );

    let t = Instant::now();
    let vault = Vault::open(&dir).expect("open");
    println!(
        "kinko-bench: first Vault::open (integrity check) of {people} people: {:.2?}",
        t.elapsed()
    );
    drop(vault);
    let mut g = c.benchmark_group(format!("open {people}"));
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("Vault::open (integrity check)", |b| {
        b.iter(|| black_box(Vault::open(&dir).expect("open")))
    });
    g.finish();

    let vault = Vault::open(&dir).expect("open");
    let mut session = vault.login(ADMIN, PASSWORD).expect("login");
    let t = Instant::now();
    let all = session.list(&PeopleQuery::default()).expect("list");
    println!(
        "kinko-bench: first list after login (cold, decrypts all {} people): {:.2?}",
        all.len(),
        t.elapsed()
    );
    assert_eq!(all.len() as u64, people);

    let queries: [(&str, PeopleQuery); 5] = [
        ("all, no filter", PeopleQuery::default()),
        (
            "name 田中",
            PeopleQuery {
                text: Some("田中".into()),
                ..Default::default()
            },
        ),
        (
            "kana たなか (hiragana)",
            PeopleQuery {
                text: Some("たなか".into()),
                ..Default::default()
            },
        ),
        (
            "kana タカハシ　ハナコ",
            PeopleQuery {
                text: Some("タカハシ ハナコ".into()),
                ..Default::default()
            },
        ),
        (
            "code prefix E00012",
            PeopleQuery {
                text: Some("E00012".into()),
                ..Default::default()
            },
        ),
    ];
    for (name, q) in &queries {
        println!(
            "kinko-bench: {name}: {} matches",
            session.list(q).expect("list").len()
        );
    }
    let mut g = c.benchmark_group(format!("list {people} warm"));
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for (name, q) in &queries {
        g.bench_function(*name, |b| {
            b.iter(|| black_box(session.list(q).expect("list").len()))
        });
    }
    g.finish();

    let mut g = c.benchmark_group(format!("list {people} cold"));
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(4));
    // A commit by another connection (here: the same policy saved again) makes the session
    // rebuild its index from disk at the next list; its own writes only refresh what changed.
    let mut other = vault.login(ADMIN, PASSWORD).expect("second login");
    let policy = other.policy().expect("policy");
    for (name, q) in &queries[..3] {
        g.bench_function(*name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    other
                        .set_policy(policy)
                        .expect("write by another connection");
                    let t = Instant::now();
                    black_box(session.list(q).expect("list").len());
                    total += t.elapsed();
                }
                total
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group(format!("prepare index {people}"));
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(4));
    g.bench_function("prepare_index after another connection's commit", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                other
                    .set_policy(policy)
                    .expect("write by another connection");
                let t = Instant::now();
                session.prepare_index().expect("prepare");
                total += t.elapsed();
            }
            total
        })
    });
    g.finish();

    let mut g = c.benchmark_group(format!("list {people} after own write"));
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    let mut added = 9_000_000u64;
    g.bench_function("add one employee, then list all", |b| {
        b.iter(|| {
            added += 1;
            session.add_person(employee(added, None)).expect("add");
            black_box(session.list(&PeopleQuery::default()).expect("list").len())
        })
    });
    g.finish();

    let some = all[all.len() / 2].id;
    let mut g = c.benchmark_group(format!("read one of {people}"));
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    g.bench_function("person (masked)", |b| {
        b.iter(|| black_box(session.person(some).expect("person")))
    });
    g.bench_function("find_by_code", |b| {
        b.iter(|| {
            black_box(
                session
                    .find_by_code(kinko_domain::people::PersonKind::Employee, "E000123")
                    .expect("find"),
            )
        })
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_unlock(&mut c);
    bench_add(&mut c);
    bench_big_vault(&mut c);
    c.final_summary();
}
