//! What the vault benches share: a fresh vault with the administrator logged in, and a firm of
//! employees with two children each, all with numbers.
#![allow(dead_code)] // each bench uses part of this

use std::path::Path;

use chrono::NaiveDate;
use kinko_domain::people::{DependantType, EmploymentStatus, PersonalDetails, Role};
use kinko_vault::demo::sample_my_number;
use kinko_vault::{KdfParams, NewPerson, PersonNumber, Session, Vault};

pub const ADMIN: &str = "admin";
pub const PASSWORD: &[u8] = b"bench password 2026";

/// `cargo bench` runs the issues' full sizes; `cargo test --benches` a quick smoke size.
pub fn full_run() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

/// A new vault in `dir` (cheapest KDF) and the administrator's session.
pub fn fresh_vault(dir: &Path) -> Session {
    let created = Vault::create(dir, ADMIN, PASSWORD, KdfParams::MINIMUM).expect("create");
    created.vault.login(ADMIN, PASSWORD).expect("login")
}

pub fn details(name: &str, kana: &str, y: i32) -> PersonalDetails {
    PersonalDetails {
        name: name.into(),
        kana: kana.into(),
        birth_date: NaiveDate::from_ymd_opt(y, 1, 1),
        address: None,
    }
}

/// `employees` employees in 営業部, each with two children, all with numbers, in one
/// transaction.
pub fn firm(s: &mut Session, employees: u64) {
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
