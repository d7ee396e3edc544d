//! Tests of retention, deletion, re-keying and the deletion register, on real vault files.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};

use kinko_domain::people::{
    CollectionEvent, CollectionStatus, DependantType, EmploymentStatus, PayeeKind, PersonId,
    PersonKind, PersonalDetails, Role,
};
use kinko_domain::retention::{DueAction, Period, RetentionRules};

use super::*;
use crate::access::{Permission, Scope, UserRole};
use crate::audit::AuditQuery;
use crate::clock::{Clock, ManualClock};
use crate::demo::sample_my_number;
use crate::kdf::KdfParams;
use crate::people::{NewPerson, PersonNumber};
use crate::records::PersonRecord;
use crate::retention::DueItem;
use crate::users::NewUser;
use crate::vault::Vault;

const PW: &[u8] = b"a fine password";
const REASON: &str = "保存期間満了のため（令和16年1月）";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn details(name: &str, kana: &str) -> PersonalDetails {
    PersonalDetails {
        name: name.into(),
        kana: kana.into(),
        birth_date: Some(day(1980, 5, 17)),
        address: None,
    }
}

fn login(tmp: &tempfile::TempDir, clock: &ManualClock, user: &str, pw: &[u8]) -> Session {
    Vault::open(tmp.path())
        .unwrap()
        .login_with(
            user,
            pw,
            &crate::pc::PcIdentity::from_override("test-pc"),
            Arc::new(clock.clone()),
        )
        .unwrap()
}

struct Firm {
    tmp: tempfile::TempDir,
    clock: ManualClock,
    admin: Session,
    /// Retired 2026-03-31 (sales), with a spouse.
    retired: PersonId,
    spouse: PersonId,
    /// Retired 2026-12-31 (general).
    retired_dec: PersonId,
    /// Employed (sales).
    active: PersonId,
    /// On leave, "retired" date set by mistake: never due.
    on_leave: PersonId,
    payee: PersonId,
}

fn employee(
    code: &str,
    name: &str,
    dept: Option<kinko_domain::people::DepartmentId>,
    status: EmploymentStatus,
    retire: Option<NaiveDate>,
    serial: u64,
) -> NewPerson {
    NewPerson {
        role: Role::Employee {
            code: code.into(),
            department: dept,
            hire_date: Some(day(2010, 4, 1)),
            retire_date: retire,
            status,
        },
        details: details(name, "ヤマダ　タロウ"),
        number: Some(PersonNumber::Individual(sample_my_number(serial))),
    }
}

fn firm() -> Firm {
    let tmp = tempfile::tempdir().unwrap();
    Vault::create(tmp.path(), "admin", PW, KdfParams::MINIMUM).unwrap();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2033, 12, 31, 14, 0, 0).unwrap());
    let mut admin = login(&tmp, &clock, "admin", PW);
    let (retired, spouse, retired_dec, active, on_leave, payee) = admin
        .write(|w| {
            let sales = w.department("営業部")?;
            let general = w.department("総務部")?;
            let retired = w.add_person(employee(
                "0001",
                "退職　一郎",
                Some(sales),
                EmploymentStatus::Retired,
                Some(day(2026, 3, 31)),
                1,
            ))?;
            let spouse = w.add_person(NewPerson {
                role: Role::Family {
                    employee: retired,
                    relation: "配偶者".into(),
                    dependant: DependantType::Spouse,
                },
                details: details("退職　花子", "タイショク　ハナコ"),
                number: Some(PersonNumber::Individual(sample_my_number(2))),
            })?;
            let retired_dec = w.add_person(employee(
                "0002",
                "年末　二郎",
                Some(general),
                EmploymentStatus::Retired,
                Some(day(2026, 12, 31)),
                3,
            ))?;
            let active = w.add_person(employee(
                "0003",
                "在職　三郎",
                Some(sales),
                EmploymentStatus::Active,
                None,
                4,
            ))?;
            let on_leave = w.add_person(employee(
                "0004",
                "休職　四郎",
                Some(sales),
                EmploymentStatus::OnLeave,
                Some(day(2011, 1, 1)),
                5,
            ))?;
            let payee = w.add_person(NewPerson {
                role: Role::Payee {
                    code: "P001".into(),
                    kind: PayeeKind::Individual,
                },
                details: details("講師　五郎", "コウシ　ゴロウ"),
                number: Some(PersonNumber::Individual(sample_my_number(6))),
            })?;
            w.add_record(
                retired,
                &PersonRecord::Collection(CollectionEvent {
                    status: CollectionStatus::Verified,
                    on: day(2015, 4, 1),
                    note: "本人より受領".into(),
                }),
            )?;
            Ok((retired, spouse, retired_dec, active, on_leave, payee))
        })
        .unwrap();
    Firm {
        tmp,
        clock,
        admin,
        retired,
        spouse,
        retired_dec,
        active,
        on_leave,
        payee,
    }
}

fn entries(s: &mut Session, action: &str) -> Vec<crate::audit::AuditEntry> {
    s.audit_list(&AuditQuery {
        action: Some(action.into()),
        ..AuditQuery::default()
    })
    .unwrap()
}

fn db(f: &Firm) -> rusqlite::Connection {
    rusqlite::Connection::open(crate::store::db_path(f.tmp.path())).unwrap()
}

#[test]
fn the_due_list_follows_the_rules_across_a_year_end() {
    let mut f = firm();
    let ids = |items: &[DueItem]| items.iter().map(|i| i.person).collect::<Vec<_>>();
    // The last day of retention of the March retiree.
    assert!(f.admin.retention_due(day(2034, 1, 10)).unwrap().is_empty());
    let due = f.admin.retention_due(day(2034, 1, 11)).unwrap();
    // Retired in March and in December 2026: both deletable from 2034-01-11; the spouse
    // follows; the employed, on leave, and the payee without a last payment are not due.
    assert_eq!(ids(&due), vec![f.retired, f.spouse, f.retired_dec]);
    assert!(due.iter().all(|i| i.due_on == day(2034, 1, 11)));
    assert_eq!(due[1].kind, PersonKind::Family);
    assert_eq!(
        due[1].code.as_deref(),
        Some("0001"),
        "a family member shows their employee's code"
    );
    assert_eq!(due[1].employee, Some(f.retired));
    assert_eq!(due[0].name, "退職　一郎");
    assert_eq!(due[0].what, DueAction::WholePerson);
    assert!(!ids(&due).contains(&f.active) && !ids(&due).contains(&f.on_leave));

    // A payee is due 7 years from 1 January after the last payment, once it is recorded.
    f.admin
        .set_last_payment(f.payee, Some(day(2026, 12, 25)))
        .unwrap();
    let due = f.admin.retention_due(day(2034, 1, 1)).unwrap();
    assert_eq!(ids(&due), vec![f.payee]);
    assert!(matches!(
        f.admin.set_last_payment(f.active, Some(day(2026, 1, 1))),
        Err(VaultError::NotAPayee(_))
    ));

    let logged = entries(&mut f.admin, "retention.due");
    assert_eq!(logged.len(), 3);
    assert_eq!(logged[1].detail, "on=2034-01-11 results=3");
}

#[test]
fn rules_are_settings_with_defaults() {
    let mut f = firm();
    assert_eq!(
        f.admin.retention_rules().unwrap(),
        RetentionRules::default()
    );
    let rules = RetentionRules {
        retiree: Period {
            years: 5,
            start: (1, 11),
        },
        action: DueAction::NumberOnly,
        ..RetentionRules::default()
    };
    f.admin.set_retention_rules(&rules).unwrap();
    assert_eq!(f.admin.retention_rules().unwrap(), rules);
    let bad = RetentionRules {
        payee: Period {
            years: 0,
            start: (1, 1),
        },
        ..rules
    };
    assert!(matches!(
        f.admin.set_retention_rules(&bad),
        Err(VaultError::BadRetentionRules)
    ));
    let set = entries(&mut f.admin, "settings.retention");
    assert_eq!(set.len(), 1);
    assert_eq!(
        set[0].detail,
        "retiree=5y/01-11 payee=7y/01-01 action=number"
    );
    // 2026 + 1 + 5: due from 2032-01-11, number only.
    let due = f.admin.retention_due(day(2032, 1, 11)).unwrap();
    assert_eq!(due.len(), 3);
    assert!(due.iter().all(|i| i.what == DueAction::NumberOnly));
}

#[test]
fn deleting_a_person_removes_them_their_family_and_records_and_rekeys() {
    let mut f = firm();
    let conn = db(&f);
    let epoch_before: i64 = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'current_epoch'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // A session that unlocked before the re-key, and keeps working after it.
    let mut other = login(&f.tmp, &f.clock, "admin", PW);
    other.prepare_index().unwrap();
    let summary = f
        .admin
        .delete_person(f.retired, "  保存期間満了\u{3000}のため ")
        .unwrap();
    assert_eq!(summary.people, vec![f.spouse, f.retired]);
    assert!(summary.numbers.is_empty());
    assert_eq!(summary.register.len(), 2);
    assert_eq!(summary.epoch, epoch_before + 1);
    assert_eq!(summary.rewrapped, 4, "the four people left");
    assert!(summary.compacted);

    for id in [f.retired, f.spouse] {
        assert!(matches!(
            f.admin.person(id),
            Err(VaultError::UnknownPerson(_))
        ));
    }
    for (table, col) in [
        ("persons", "id"),
        ("numbers", "person_id"),
        ("person_records", "person_id"),
    ] {
        let n: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE {col} IN (?1, ?2)"),
                [f.retired.0, f.spouse.0],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    // One wrapping key left, and every person key wrapped under it.
    let epochs: Vec<i64> = conn
        .prepare("SELECT epoch FROM wrap_keys")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(epochs, vec![summary.epoch]);
    let stale: i64 = conn
        .query_row(
            "SELECT count(*) FROM persons WHERE key_epoch <> ?1",
            [summary.epoch],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0);

    // Everyone else still reads back, in this session and a new one.
    assert_eq!(
        f.admin.person(f.active).unwrap().person.details.name,
        "在職　三郎"
    );
    let mut again = login(&f.tmp, &f.clock, "admin", PW);
    assert!(again.reveal_number(f.payee).unwrap().is_some());
    assert_eq!(again.list(&Default::default()).unwrap().len(), 4);
    // New people after the re-key are wrapped under the new epoch, by either session.
    assert_eq!(other.list(&Default::default()).unwrap().len(), 4);
    let late = other
        .add_person(employee(
            "0009",
            "新人　九郎",
            None,
            EmploymentStatus::Active,
            None,
            9,
        ))
        .unwrap();
    assert!(f.admin.person(late).is_ok());

    // The register: IDs, kind, method, sealed reason (normalised); no name, no number.
    let reg = f.admin.deletions().unwrap();
    assert_eq!(reg.len(), 2);
    assert_eq!(reg[0].person, Some(f.spouse));
    assert_eq!(reg[0].kind, DeletionKind::Family);
    assert_eq!(reg[1].person, Some(f.retired));
    assert_eq!(reg[1].kind, DeletionKind::Person);
    assert_eq!(reg[1].reason, "保存期間満了 のため");
    assert_eq!(reg[1].method, DELETION_METHOD);
    assert_eq!(reg[1].user, "admin");
    let raw: Vec<(String, Vec<u8>)> = conn
        .prepare(
            "SELECT at || kind || method || COALESCE(person_id, ''), sealed_reason FROM deletions",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let number = sample_my_number(1);
    for (clear, sealed) in raw {
        assert!(!clear.contains("退職") && !clear.contains(number.expose_digits()));
        assert!(
            !sealed.windows(6).any(|w| w == "保存".as_bytes()),
            "reason is sealed"
        );
    }

    // Audit entries: IDs only, tied to the register rows.
    let logged = entries(&mut f.admin, "person.delete");
    assert_eq!(logged.len(), 2);
    assert_eq!(logged[0].target_id, Some(f.spouse.0));
    assert_eq!(
        logged[1].detail,
        format!(
            "kind=employee family=1 register={} epoch={}",
            reg[1].id, summary.epoch
        )
    );
    assert_eq!(reg[1].audit_seq, Some(logged[1].seq));
    for e in &logged {
        assert!(!e.detail.contains("退職") && !e.detail.contains("保存"));
    }
}

#[test]
fn deleting_the_number_keeps_the_person_without_it_under_a_fresh_key() {
    let mut f = firm();
    let conn = db(&f);
    let old_number: Vec<u8> = conn
        .query_row(
            "SELECT sealed FROM numbers WHERE person_id = ?1",
            [f.retired.0],
            |r| r.get(0),
        )
        .unwrap();
    let (old_epoch, old_key): (i64, Vec<u8>) = conn
        .query_row(
            "SELECT key_epoch, sealed_key FROM persons WHERE id = ?1",
            [f.retired.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        f.admin
            .current_key_opens_number(f.retired, &old_number)
            .unwrap()
    );
    assert!(
        f.admin
            .stored_keys_open_person_key(f.retired, old_epoch, &old_key)
            .unwrap()
    );

    let summary = f.admin.delete_number(f.retired, REASON).unwrap();
    assert_eq!(summary.numbers, vec![f.retired]);
    assert!(summary.people.is_empty());

    let view = f.admin.person(f.retired).unwrap();
    assert_eq!(view.masked_number, None);
    assert_eq!(view.person.details.name, "退職　一郎");
    assert!(f.admin.reveal_number(f.retired).unwrap().is_none());
    assert_eq!(
        f.admin.records(f.retired).unwrap().len(),
        1,
        "records re-sealed"
    );
    // The spouse keeps their number: only the employee's was asked for.
    assert!(f.admin.reveal_number(f.spouse).unwrap().is_some());

    // The old number ciphertext does not open with the person's key now, and the old person
    // key does not unwrap with any wrapping key still stored.
    assert!(
        !f.admin
            .current_key_opens_number(f.retired, &old_number)
            .unwrap()
    );
    assert!(
        !f.admin
            .stored_keys_open_person_key(f.retired, old_epoch, &old_key)
            .unwrap()
    );

    assert!(matches!(
        f.admin.delete_number(f.retired, REASON),
        Err(VaultError::NoNumber(_))
    ));
    let reg = f.admin.deletions().unwrap();
    assert_eq!(reg.len(), 1);
    assert_eq!(reg[0].kind, DeletionKind::Number);
    let logged = entries(&mut f.admin, "number.delete");
    assert_eq!(logged.len(), 2, "the success and the error");
    assert_eq!(
        logged[0].detail,
        format!(
            "kind=employee register={} epoch={}",
            reg[0].id, summary.epoch
        )
    );
    assert_eq!(logged[1].detail, "no_number");
}

#[test]
fn permission_scope_and_reason_are_checked_and_refusals_logged() {
    let mut f = firm();
    // A clerk has no delete permission.
    f.admin
        .add_user(
            NewUser {
                login: "clerk".into(),
                role: UserRole::Clerk,
                department: None,
                grants: Vec::new(),
                scope: Scope::everyone(),
                pcs: Vec::new(),
                groups: Vec::new(),
            },
            b"initial password 1",
        )
        .unwrap();
    let mut clerk = login(&f.tmp, &f.clock, "clerk", b"initial password 1");
    clerk
        .change_password(b"initial password 1", b"second own secret 22")
        .unwrap();
    assert!(matches!(
        clerk.delete_person(f.active, REASON),
        Err(VaultError::Denied)
    ));
    assert!(matches!(
        clerk.delete_due(day(2034, 2, 1), REASON),
        Err(VaultError::Denied)
    ));
    assert!(matches!(clerk.deletions(), Err(VaultError::Denied)));

    // A manager limited to 総務部 (and no payees) cannot see the sales people.
    let general = f.admin.department_id("総務部").unwrap();
    f.admin
        .add_user(
            NewUser {
                login: "mgr".into(),
                role: UserRole::Manager,
                department: None,
                grants: vec![Permission::Delete],
                scope: Scope {
                    departments: vec![general],
                    ..Scope::default()
                },
                pcs: Vec::new(),
                groups: Vec::new(),
            },
            b"initial password 1",
        )
        .unwrap();
    let mut mgr = login(&f.tmp, &f.clock, "mgr", b"initial password 1");
    mgr.change_password(b"initial password 1", b"third own secret 333")
        .unwrap();
    assert!(matches!(
        mgr.delete_person(f.retired, REASON),
        Err(VaultError::UnknownPerson(_))
    ));
    assert!(matches!(
        mgr.delete_number(f.spouse, REASON),
        Err(VaultError::UnknownPerson(_))
    ));
    assert!(matches!(
        mgr.delete_person(f.retired_dec, "   "),
        Err(VaultError::ReasonRequired)
    ));
    assert!(matches!(
        mgr.delete_person(f.retired_dec, "理由\u{7}"),
        Err(VaultError::ReasonText { .. })
    ));
    // Their due list and batch see their own scope only.
    let due = mgr.retention_due(day(2034, 1, 11)).unwrap();
    assert_eq!(
        due.iter().map(|i| i.person).collect::<Vec<_>>(),
        vec![f.retired_dec]
    );
    let s = mgr.delete_due(day(2034, 1, 11), REASON).unwrap();
    assert_eq!(s.people, vec![f.retired_dec]);
    assert!(f.admin.person(f.retired).is_ok(), "out of scope: untouched");

    let denied = entries(&mut f.admin, "person.delete");
    let details: Vec<(&str, &str)> = denied
        .iter()
        .map(|e| (e.outcome.key(), e.detail.as_str()))
        .collect();
    assert_eq!(details[0], ("denied", "denied"));
    assert_eq!(details[1], ("denied", "out_of_scope"));
    assert_eq!(details[2], ("error", "reason_required"));
    assert_eq!(details[3], ("error", "reason_text"));
    assert_eq!(details[4].0, "ok");
    let listed = entries(&mut f.admin, "deletion.list");
    assert_eq!(listed[0].outcome.key(), "denied");
    let batch = entries(&mut f.admin, "retention.delete_batch");
    assert_eq!(batch[0].outcome.key(), "denied");
    assert_eq!(batch[1].outcome.key(), "ok");
    assert!(
        batch[1]
            .detail
            .starts_with("on=2034-01-11 people=1 numbers=0 register=")
    );
}

#[test]
fn batch_year_end_deletion_deletes_everyone_due_once() {
    let mut f = firm();
    // On 31 December 2033 nobody is due; on 11 January 2034 three people are.
    let none = f.admin.delete_due(day(2033, 12, 31), REASON).unwrap();
    assert!(none.people.is_empty() && none.numbers.is_empty());
    assert!(none.register.is_empty(), "nothing due: nothing changed");
    f.clock
        .set_wall(Utc.with_ymd_and_hms(2034, 1, 11, 1, 0, 0).unwrap());
    let today = f
        .clock
        .now()
        .with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap())
        .date_naive();
    assert_eq!(today, day(2034, 1, 11));
    let s = f.admin.delete_due(today, REASON).unwrap();
    assert_eq!(s.people, vec![f.spouse, f.retired, f.retired_dec]);
    assert_eq!(s.register.len(), 4, "three people and the batch");
    assert!(f.admin.retention_due(today).unwrap().is_empty());
    let reg = f.admin.deletions().unwrap();
    let batch = reg.last().unwrap();
    assert_eq!(
        (batch.kind, batch.person, batch.people),
        (DeletionKind::Batch, None, 3)
    );
    assert_eq!(f.admin.list(&Default::default()).unwrap().len(), 3);

    // Number-only rules keep the records.
    let mut f = firm();
    f.admin
        .set_retention_rules(&RetentionRules {
            action: DueAction::NumberOnly,
            ..RetentionRules::default()
        })
        .unwrap();
    let s = f.admin.delete_due(day(2034, 1, 11), REASON).unwrap();
    assert_eq!(s.numbers, vec![f.retired, f.spouse, f.retired_dec]);
    assert_eq!(f.admin.list(&Default::default()).unwrap().len(), 6);
    assert!(
        f.admin.retention_due(day(2034, 1, 11)).unwrap().is_empty(),
        "no numbers left to delete"
    );
}

#[test]
fn a_v1_vault_is_upgraded_when_opened() {
    let f = firm();
    let Firm {
        tmp,
        clock,
        admin,
        retired,
        ..
    } = f;
    drop(admin);
    let conn = rusqlite::Connection::open(crate::store::db_path(tmp.path())).unwrap();
    conn.execute_batch("DROP TABLE deletions; DROP TABLE payee_payments; PRAGMA user_version = 1;")
        .unwrap();
    drop(conn);
    let mut s = login(&tmp, &clock, "admin", PW);
    let version: i64 = rusqlite::Connection::open(crate::store::db_path(tmp.path()))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, crate::schema::SCHEMA_VERSION);
    assert!(s.deletions().unwrap().is_empty());
    assert!(s.person(retired).is_ok(), "V1 ciphertext still opens");
}
