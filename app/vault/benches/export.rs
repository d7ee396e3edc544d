//! Exporting 10,000 employees and 20,000 family members with their numbers (issue 4), in
//! UTF-8 with BOM and in CP932. `cargo bench -p kinko-vault --bench export`.

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use kinko_domain::people::{DependantType, EmploymentStatus, PersonalDetails, Role};
use kinko_interop::{OutEncoding, Unmappable};
use kinko_vault::demo::sample_my_number;
use kinko_vault::{
    ExportFormat, ExportKind, ExportRequest, KdfParams, NewPerson, PersonNumber, Session, Vault,
};

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

fn bench_export(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let created = Vault::create(tmp.path(), "admin", PASSWORD, KdfParams::MINIMUM).expect("create");
    let mut s = created.vault.login("admin", PASSWORD).expect("login");
    firm(&mut s, 10_000);
    let mut g = c.benchmark_group("export 10,000 employees + 20,000 family");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for (name, encoding) in [
        ("UTF-8 with BOM", OutEncoding::Utf8Bom),
        ("CP932", OutEncoding::Cp932),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let export = s
                    .export(&ExportRequest {
                        purpose: "年末調整".into(),
                        destination: "bench".into(),
                        format: ExportFormat::Kinko,
                        encoding,
                        on_unmappable: Unmappable::Fail,
                        kinds: vec![ExportKind::Employees, ExportKind::Family],
                    })
                    .expect("export");
                black_box(export.people)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_export);
criterion_main!(benches);
