//! The engine's behaviour through its public API, on real vault files.

use chrono::NaiveDate;
use kinko_domain::number::MyNumber;
use kinko_domain::people::{
    Approval, CollectionEvent, CollectionStatus, DependantType, EmploymentStatus, IdentityDocument,
    IdentityVerification, NumberDocument, PersonKind, PersonalDetails, PurposeNotice,
    Responsibility, Role, VerificationMethod,
};
use kinko_vault::{
    KdfParams, NewPerson, PeopleQuery, PersonNumber, PersonRecord, Session, Vault, VaultError,
};

const PW: &[u8] = b"a fine password";

fn vault() -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().unwrap();
    let created = Vault::create(tmp.path(), "admin", PW, KdfParams::MINIMUM).unwrap();
    let session = created.vault.login("Admin", PW).unwrap();
    (tmp, session)
}

fn employee(code: &str, name: &str, kana: &str) -> NewPerson {
    NewPerson {
        role: Role::Employee {
            code: code.into(),
            department: None,
            hire_date: None,
            retire_date: None,
            status: EmploymentStatus::Active,
        },
        details: PersonalDetails {
            name: name.into(),
            kana: kana.into(),
            birth_date: None,
            address: None,
        },
        number: None,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn records_are_kept_in_order_and_move_the_status() {
    let (_tmp, mut s) = vault();
    let id = s
        .add_person(employee("1", "山田 太郎", "ヤマダ タロウ"))
        .unwrap();
    let records = vec![
        PersonRecord::Collection(CollectionEvent {
            status: CollectionStatus::Requested,
            on: day(2026, 4, 1),
            note: "書面で依頼".into(),
        }),
        PersonRecord::Purpose(PurposeNotice {
            notified_on: day(2026, 4, 1),
            purposes: vec!["源泉徴収票作成事務".into()],
        }),
        PersonRecord::Verification(IdentityVerification {
            number_document: NumberDocument::MyNumberCard,
            identity_documents: vec![IdentityDocument::MyNumberCard],
            method: VerificationMethod::InPerson,
            responsible: Responsibility::Employer,
            checked_by: s.user(),
            checked_on: day(2026, 4, 3),
            note: String::new(),
        }),
        PersonRecord::Approval(Approval {
            subject: "本人確認".into(),
            approved_by: s.user(),
            approved_on: day(2026, 4, 4),
            note: "確認".into(),
        }),
    ];
    s.write(|w| {
        records
            .iter()
            .try_for_each(|r| w.add_record(id, r).map(|_| ()))
    })
    .unwrap();
    assert_eq!(s.records(id).unwrap(), records);
    assert_eq!(
        s.person(id).unwrap().person.collection,
        CollectionStatus::Requested
    );
}

#[test]
fn updates_normalise_and_keep_codes_unique() {
    let (_tmp, mut s) = vault();
    let a = s
        .add_person(employee("0001", "山田 太郎", "ヤマダ タロウ"))
        .unwrap();
    s.add_person(employee("0002", "佐藤 花子", "サトウ ハナコ"))
        .unwrap();
    let mut p = s.person(a).unwrap().person;
    p.details.kana = "ﾔﾏﾀﾞ ｼﾞﾛｳ".into();
    p.details.name = "山田　次郎".into();
    s.write(|w| w.update_person(a, p.clone())).unwrap();
    let after = s.person(a).unwrap().person;
    assert_eq!(after.details.kana, "ヤマダ\u{3000}ジロウ");
    assert_eq!(
        s.list(&PeopleQuery {
            text: Some("じろう".into()),
            ..Default::default()
        })
        .unwrap()
        .len(),
        1
    );

    if let Role::Employee { code, .. } = &mut p.role {
        *code = "０００２".into();
    }
    let err = s.write(|w| w.update_person(a, p.clone())).unwrap_err();
    assert!(
        matches!(err, VaultError::DuplicateCode(ref c) if c == "0002"),
        "{err}"
    );
    assert_eq!(
        s.find_by_code(PersonKind::Employee, "0001").unwrap(),
        Some(a)
    );
}

#[test]
fn list_filters_by_kind_department_status_and_collection() {
    let (_tmp, mut s) = vault();
    s.write(|w| {
        let sales = w.department("営業部")?;
        let mut e = employee("10", "田中 一郎", "タナカ イチロウ");
        if let Role::Employee {
            department, status, ..
        } = &mut e.role
        {
            *department = Some(sales);
            *status = EmploymentStatus::Retired;
        }
        e.number = Some(PersonNumber::Individual(
            MyNumber::parse("123456789018").unwrap(),
        ));
        let id = w.add_person(e)?;
        w.add_person(NewPerson {
            role: Role::Family {
                employee: id,
                relation: "長男".into(),
                dependant: DependantType::Under16,
            },
            details: PersonalDetails {
                name: "田中 二郎".into(),
                kana: "タナカ ジロウ".into(),
                birth_date: Some(day(2015, 1, 1)),
                address: None,
            },
            number: None,
        })?;
        w.add_person(employee("11", "鈴木 三郎", "スズキ サブロウ"))?;
        Ok(())
    })
    .unwrap();
    let sales = s.departments().unwrap()[0].0;
    let count = |s: &mut Session, q: PeopleQuery| s.list(&q).unwrap().len();
    assert_eq!(count(&mut s, PeopleQuery::default()), 3);
    assert_eq!(
        count(
            &mut s,
            PeopleQuery {
                kind: Some(PersonKind::Family),
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        count(
            &mut s,
            PeopleQuery {
                department: Some(sales),
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        count(
            &mut s,
            PeopleQuery {
                employment: Some(EmploymentStatus::Retired),
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        count(
            &mut s,
            PeopleQuery {
                collection: Some(CollectionStatus::Collected),
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        count(
            &mut s,
            PeopleQuery {
                text: Some("たなか".into()),
                ..Default::default()
            }
        ),
        2
    );
    assert_eq!(
        count(
            &mut s,
            PeopleQuery {
                text: Some("田中一郎".into()),
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        count(
            &mut s,
            PeopleQuery {
                text: Some("1".into()),
                ..Default::default()
            }
        ),
        2,
        "code prefix 1 matches 10 and 11"
    );
    assert_eq!(s.count(PersonKind::Employee).unwrap(), 2);
}

#[test]
fn a_session_sees_what_another_session_committed() {
    let tmp = tempfile::tempdir().unwrap();
    let created = Vault::create(tmp.path(), "admin", PW, KdfParams::MINIMUM).unwrap();
    let mut first = created.vault.login("admin", PW).unwrap();
    assert_eq!(first.list(&PeopleQuery::default()).unwrap().len(), 0);
    let mut second = Vault::open(tmp.path()).unwrap().login("admin", PW).unwrap();
    second
        .add_person(employee("1", "山田 太郎", "ヤマダ タロウ"))
        .unwrap();
    assert_eq!(
        first.list(&PeopleQuery::default()).unwrap().len(),
        1,
        "the index follows other connections' commits"
    );
}

#[test]
fn the_demo_firm_is_consistent() {
    let (_tmp, mut s) = vault();
    kinko_vault::demo::populate(&mut s, 50, 7).unwrap();
    let all = s.list(&PeopleQuery::default()).unwrap();
    assert_eq!(
        all.iter()
            .filter(|p| p.kind == PersonKind::Employee)
            .count(),
        50
    );
    assert_eq!(
        all.iter().filter(|p| p.kind == PersonKind::Payee).count(),
        3
    );
    for p in all.iter().filter(|p| p.has_number) {
        let n = s.reveal_number(p.id).unwrap().unwrap();
        let reparsed = match &n {
            PersonNumber::Individual(m) => MyNumber::parse(m.expose_digits()).is_ok(),
            PersonNumber::Corporate(c) => {
                kinko_domain::number::CorporateNumber::parse(c.expose_digits()).is_ok()
            }
        };
        assert!(reparsed);
    }
}

#[test]
fn a_password_change_rewraps_only_that_slot() {
    let (tmp, mut s) = vault();
    assert!(matches!(
        s.change_password(b"not it", b"a new long password"),
        Err(VaultError::WrongPassword)
    ));
    s.change_password(PW, b"a new long password").unwrap();
    let v = Vault::open(tmp.path()).unwrap();
    assert!(matches!(
        v.login("admin", PW),
        Err(VaultError::WrongPassword)
    ));
    v.login("admin", b"a new long password").unwrap();
}

#[test]
fn the_index_follows_this_sessions_own_writes() {
    let (_tmp, mut s) = vault();
    let all = |s: &mut Session| s.list(&PeopleQuery::default()).unwrap();
    let a = s
        .add_person(employee("1", "山田 太郎", "ヤマダ タロウ"))
        .unwrap();
    assert_eq!(all(&mut s).len(), 1, "builds the index");
    let b = s
        .add_person(employee("2", "佐藤 花子", "サトウ ハナコ"))
        .unwrap();
    let mut p = s.person(a).unwrap().person;
    p.details.name = "山田 次郎".into();
    s.write(|w| w.update_person(a, p)).unwrap();
    s.set_number(
        b,
        &PersonNumber::Individual(MyNumber::parse("123456789018").unwrap()),
    )
    .unwrap();
    s.add_person(NewPerson {
        role: Role::Family {
            employee: a,
            relation: "子".into(),
            dependant: DependantType::Under16,
        },
        details: PersonalDetails {
            name: "山田 三郎".into(),
            kana: "ヤマダ サブロウ".into(),
            birth_date: None,
            address: None,
        },
        number: None,
    })
    .unwrap();
    let rows = all(&mut s);
    let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["山田\u{3000}次郎", "佐藤\u{3000}花子", "山田\u{3000}三郎"]
    );
    assert!(rows[1].has_number && rows[1].collection == CollectionStatus::Collected);
    // What a fresh session decrypts from disk is exactly what the refreshed index holds.
    let mut fresh = Vault::open(_tmp.path())
        .unwrap()
        .login("admin", PW)
        .unwrap();
    fresh.prepare_index().unwrap();
    assert_eq!(all(&mut fresh), rows);
}

#[test]
fn removed_users_cannot_log_in_and_the_last_administrator_stays() {
    use kinko_vault::{NewUser, Scope, UserRole};
    let (tmp, mut s) = vault();
    assert!(matches!(
        s.remove_user("admin"),
        Err(VaultError::LastAdministrator)
    ));
    let clerk = NewUser {
        login: "clerk1".into(),
        role: UserRole::Clerk,
        department: None,
        grants: vec![],
        scope: Scope::everyone(),
        pcs: vec![],
        groups: vec![],
    };
    s.add_user(clerk, b"first password 1").unwrap();
    let v = Vault::open(tmp.path()).unwrap();
    let mut c = v.login("clerk1", b"first password 1").unwrap();
    assert!(matches!(
        c.list(&PeopleQuery::default()),
        Err(VaultError::PasswordChangeRequired)
    ));
    c.change_password(b"first password 1", b"second password 2")
        .unwrap();
    assert!(c.list(&PeopleQuery::default()).is_ok());
    s.remove_user("clerk1").unwrap();
    assert!(matches!(
        v.login("clerk1", b"second password 2"),
        Err(VaultError::WrongPassword)
    ));
    assert!(matches!(
        s.set_user_disabled("clerk1", false),
        Err(VaultError::UnknownUser(_))
    ));
    let users = s.users().unwrap();
    assert!(
        users
            .iter()
            .any(|u| u.login == "clerk1" && u.removed && u.disabled)
    );
}

#[test]
fn adding_family_under_an_out_of_scope_id_reveals_nothing() {
    use kinko_domain::people::PayeeKind;
    use kinko_vault::{NewUser, Scope, UserRole};
    let (tmp, mut s) = vault();
    let (sales, payee) = s
        .write(|w| {
            let sales = w.department("営業部")?;
            let payee = w.add_person(NewPerson {
                role: Role::Payee {
                    code: "P1".into(),
                    kind: PayeeKind::Individual,
                },
                details: PersonalDetails {
                    name: "森 一郎".into(),
                    kana: "モリ イチロウ".into(),
                    birth_date: None,
                    address: None,
                },
                number: None,
            })?;
            Ok((sales, payee))
        })
        .unwrap();
    let scope = Scope {
        departments: vec![sales],
        ..Scope::default()
    };
    let clerk = NewUser {
        login: "clerk1".into(),
        role: UserRole::Clerk,
        department: None,
        grants: vec![],
        scope,
        pcs: vec![],
        groups: vec![],
    };
    s.add_user(clerk, b"first password 1").unwrap();
    let mut c = Vault::open(tmp.path())
        .unwrap()
        .login("clerk1", b"first password 1")
        .unwrap();
    c.change_password(b"first password 1", b"second password 2")
        .unwrap();
    let under = |employee| NewPerson {
        role: Role::Family {
            employee,
            relation: "子".into(),
            dependant: DependantType::Under16,
        },
        details: PersonalDetails {
            name: "森 二郎".into(),
            kana: "モリ ジロウ".into(),
            birth_date: None,
            address: None,
        },
        number: None,
    };
    let existing = c.add_person(under(payee)).unwrap_err();
    let missing = c
        .add_person(under(kinko_domain::people::PersonId(999)))
        .unwrap_err();
    assert!(
        matches!(existing, VaultError::UnknownPerson(_)),
        "{existing:?}"
    );
    assert!(
        matches!(missing, VaultError::UnknownPerson(_)),
        "{missing:?}"
    );
    // The user hears "not found" both times; the log tells the auditor which was which.
    let query = kinko_vault::AuditQuery {
        action: Some("person.add".into()),
        ..Default::default()
    };
    let entries = s.audit_list(&query).unwrap();
    let details: Vec<&str> = entries
        .iter()
        .filter(|e| e.actor.user == Some(c.user().0))
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(details, ["out_of_scope", "unknown_person"]);
}
