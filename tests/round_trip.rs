//! Export then import into a fresh vault gives identical people and numbers (issue 4), in UTF-8
//! with BOM and in CP932, through the engine on both sides.

use chrono::NaiveDate;
use kinko_domain::people::{DependantType, EmploymentStatus, PersonKind, PersonalDetails, Role};
use kinko_e2e::{PEOPLE, create_vault, individual, login};
use kinko_interop::{OutEncoding, Preset, Unmappable};
use kinko_vault::{
    ExportFormat, ExportKind, ExportRequest, NewPerson, PeopleQuery, PersonView, Session,
};

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Whether CP932 can hold `s` (鷗 and 𠮷 are outside it).
fn cp932(s: &str) -> bool {
    !encoding_rs::SHIFT_JIS.encode(s).2
}

/// A firm of employees (various departments, statuses and dates) with families; the names
/// include 髙 and 﨑, and (for UTF-8 only) 𠮷 and 鷗, which CP932 cannot hold.
fn source(s: &mut Session, with_non_cp932: bool) {
    s.write(|w| {
        let depts = [w.department("総務部")?, w.department("営業部")?];
        let mut serial = 0;
        for (i, f) in PEOPLE.iter().enumerate().take(12) {
            if !with_non_cp932 && !cp932(f.name) {
                continue;
            }
            serial += 1;
            let retired = i % 5 == 4;
            let id = w.add_person(NewPerson {
                role: Role::Employee {
                    code: format!("{:05}", i + 1),
                    department: (i % 3 != 2).then_some(depts[i % 2]),
                    hire_date: day(2000 + i as i32, 4, 1),
                    retire_date: if retired { day(2024, 3, 31) } else { None },
                    status: if retired {
                        EmploymentStatus::Retired
                    } else {
                        EmploymentStatus::Active
                    },
                },
                details: PersonalDetails {
                    name: f.name.into(),
                    kana: f.kana.into(),
                    birth_date: day(f.birth.0, f.birth.1, f.birth.2),
                    address: None,
                },
                number: (i % 4 != 3).then(|| individual(serial)),
            })?;
            if i % 2 == 0 {
                let spouse = &PEOPLE[(i + 13) % PEOPLE.len()];
                if !with_non_cp932 && !cp932(spouse.name) {
                    continue;
                }
                serial += 1;
                w.add_person(NewPerson {
                    role: Role::Family {
                        employee: id,
                        relation: if i % 4 == 0 {
                            "配偶者".into()
                        } else {
                            "長男".into()
                        },
                        dependant: if i % 4 == 0 {
                            DependantType::Spouse
                        } else {
                            DependantType::Under16
                        },
                    },
                    details: PersonalDetails {
                        name: spouse.name.into(),
                        kana: spouse.kana.into(),
                        birth_date: day(spouse.birth.0, spouse.birth.1, spouse.birth.2),
                        address: None,
                    },
                    number: Some(individual(1000 + serial)),
                })?;
            }
        }
        Ok(())
    })
    .expect("source firm");
}

/// Everything about an employee and their family that the export carries, as comparable text
/// (department by name, numbers in full).
fn snapshot(s: &mut Session) -> Vec<String> {
    let departments = s.departments().unwrap();
    let dept = |id| {
        departments
            .iter()
            .find(|(d, _)| Some(*d) == id)
            .map(|(_, n)| n.clone())
    };
    let employees = s
        .list(&PeopleQuery {
            kind: Some(PersonKind::Employee),
            ..Default::default()
        })
        .unwrap();
    let mut out = Vec::new();
    for e in employees {
        let view = s.person(e.id).unwrap();
        let number = s
            .reveal_number(e.id)
            .unwrap()
            .map(|n| n.expose_digits().to_owned());
        out.push(describe(&view, number, dept));
        for f in s.family_of(e.id).unwrap() {
            let number = s
                .reveal_number(f.id)
                .unwrap()
                .map(|n| n.expose_digits().to_owned());
            out.push(format!("  {}", describe(&f, number, dept)));
        }
    }
    out
}

fn describe(
    v: &PersonView,
    number: Option<String>,
    dept: impl Fn(Option<kinko_domain::people::DepartmentId>) -> Option<String>,
) -> String {
    let d = &v.person.details;
    let role = match &v.person.role {
        Role::Employee {
            code,
            department,
            hire_date,
            retire_date,
            status,
        } => {
            format!(
                "{code} {:?} {hire_date:?} {retire_date:?} {status:?}",
                dept(*department)
            )
        }
        Role::Family {
            relation,
            dependant,
            ..
        } => format!("{relation} {dependant:?}"),
        Role::Payee { code, kind } => format!("{code} {kind:?}"),
    };
    format!(
        "{role} | {} | {} | {:?} | {:?} | {:?}",
        d.name, d.kana, d.birth_date, number, v.person.collection
    )
}

fn round_trip(encoding: OutEncoding, with_non_cp932: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let a = create_vault(&tmp.path().join("a"));
    let mut from = login(&a.vault);
    source(&mut from, with_non_cp932);
    let export = from
        .export(&ExportRequest {
            purpose: "移行テスト".into(),
            destination: "テスト用".into(),
            format: ExportFormat::Kinko,
            encoding,
            on_unmappable: Unmappable::Fail,
            kinds: vec![ExportKind::Employees, ExportKind::Family],
        })
        .expect("export");
    let file = |kind| {
        &export
            .files
            .iter()
            .find(|f| f.kind == kind)
            .expect("file")
            .bytes
    };

    let b = create_vault(&tmp.path().join("b"));
    let mut to = login(&b.vault);
    let employees = to
        .import_commit(
            file(ExportKind::Employees),
            &Preset::Kinko.employees(),
            "employees.csv",
            false,
        )
        .expect("import employees");
    let family = to
        .import_commit(
            file(ExportKind::Family),
            &Preset::Kinko.family(),
            "family.csv",
            false,
        )
        .expect("import family");
    assert_eq!(
        employees.added + family.added,
        export.people,
        "every exported person was added"
    );

    let before = snapshot(&mut from);
    assert!(
        before.len() > 10,
        "the firm is not trivially small: {before:#?}"
    );
    let rare = before.iter().any(|l| l.contains('𠮷') || l.contains('鷗'));
    assert_eq!(
        rare, with_non_cp932,
        "characters outside CP932 travel in UTF-8 only"
    );
    assert_eq!(snapshot(&mut to), before);

    // Importing the same files again changes nothing.
    let again = to
        .import_commit(
            file(ExportKind::Employees),
            &Preset::Kinko.employees(),
            "employees.csv",
            false,
        )
        .unwrap();
    assert_eq!((again.added, again.updated), (0, 0));
}

#[test]
fn utf8_export_imports_into_a_fresh_vault_identically() {
    round_trip(OutEncoding::Utf8Bom, true);
}

#[test]
fn cp932_export_imports_into_a_fresh_vault_identically() {
    round_trip(OutEncoding::Cp932, false);
}
