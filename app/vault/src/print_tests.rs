//! Tests of printing. Most drive the engine with a stand-in renderer (the model it was given
//! is captured), so they test the gathering, the gate and the log; the `*_end_to_end` tests
//! use the real kinko-forms renderers.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use zeroize::Zeroizing;

use kinko_domain::people::{
    CollectionEvent, CollectionStatus, DependantType, EmploymentStatus, IdentityDocument,
    IdentityVerification, NumberDocument, PayeeKind, PersonId, PersonKind, PersonalDetails,
    PurposeNotice, Responsibility, Role, VerificationMethod,
};
use kinko_forms::{FormKind, Issue, NumberShown, Pdf};

use super::*;
use crate::access::{Scope, UserRole};
use crate::audit::{AuditEntry, Seal};
use crate::clock::ManualClock;
use crate::demo::{sample_corporate_number, sample_my_number};
use crate::kdf::KdfParams;
use crate::people::{NewPerson, PersonNumber};
use crate::print_model::FormModel;
use crate::records::PersonRecord;
use crate::users::NewUser;
use crate::vault::Vault;

const PW: &[u8] = b"a fine password";

struct Firm {
    tmp: tempfile::TempDir,
    clock: ManualClock,
    admin: Session,
    /// 0010 (sales, with spouse and child), 0002 (general), 0003 (sales, no number).
    e10: PersonId,
    spouse: PersonId,
    child: PersonId,
    e2: PersonId,
    e3: PersonId,
    payee: PersonId,
}

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

fn firm() -> Firm {
    let tmp = tempfile::tempdir().unwrap();
    Vault::create(tmp.path(), "admin", PW, KdfParams::MINIMUM).unwrap();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 4, 1, 15, 30, 0).unwrap());
    let mut admin = login(&tmp, &clock, "admin", PW);
    let me = admin.user();
    let ids = admin
        .write(|w| {
            let sales = w.department("営業部")?;
            let general = w.department("総務部")?;
            let employee = |code: &str, name: &str, dept, number: Option<u64>| NewPerson {
                role: Role::Employee {
                    code: code.into(),
                    department: Some(dept),
                    hire_date: None,
                    retire_date: None,
                    status: EmploymentStatus::Active,
                },
                details: details(name, "ヤマダ タロウ"),
                number: number.map(|n| PersonNumber::Individual(sample_my_number(n))),
            };
            let e10 = w.add_person(employee("0010", "山田 太郎", sales, Some(1)))?;
            let family = |relation: &str, name: &str, dependant, n| NewPerson {
                role: Role::Family {
                    employee: e10,
                    relation: relation.into(),
                    dependant,
                },
                details: details(name, "ヤマダ ハナコ"),
                number: Some(PersonNumber::Individual(sample_my_number(n))),
            };
            let spouse = w.add_person(family("配偶者", "山田 花子", DependantType::Spouse, 2))?;
            let child = w.add_person(family("長男", "山田 一郎", DependantType::Under16, 3))?;
            let e2 = w.add_person(employee("0002", "佐藤 次郎", general, Some(4)))?;
            let e3 = w.add_person(employee("0003", "鈴木 三郎", sales, None))?;
            let payee = w.add_person(NewPerson {
                role: Role::Payee {
                    code: "P001".into(),
                    kind: PayeeKind::Corporation,
                },
                details: details("株式会社 取引先", "カブシキガイシャ トリヒキサキ"),
                number: Some(PersonNumber::Corporate(sample_corporate_number(5))),
            })?;
            let records = [
                PersonRecord::Collection(CollectionEvent {
                    status: CollectionStatus::Requested,
                    on: day(2026, 3, 1),
                    note: String::new(),
                }),
                PersonRecord::Purpose(PurposeNotice {
                    notified_on: day(2026, 3, 20),
                    purposes: vec!["新しい目的".into()],
                }),
                PersonRecord::Purpose(PurposeNotice {
                    notified_on: day(2026, 3, 1),
                    purposes: vec!["古い目的".into()],
                }),
                PersonRecord::Verification(IdentityVerification {
                    number_document: NumberDocument::MyNumberCard,
                    identity_documents: vec![IdentityDocument::MyNumberCard],
                    method: VerificationMethod::InPerson,
                    responsible: Responsibility::Employer,
                    checked_by: me,
                    checked_on: day(2026, 3, 5),
                    note: String::new(),
                }),
            ];
            for r in &records {
                w.add_record(e10, r)?;
            }
            Ok((e10, spouse, child, e2, e3, payee))
        })
        .unwrap();
    let (e10, spouse, child, e2, e3, payee) = ids;
    Firm {
        tmp,
        clock,
        admin,
        e10,
        spouse,
        child,
        e2,
        e3,
        payee,
    }
}

impl Firm {
    /// A user of `role` with `grants` and `scope` (password already changed).
    fn user(
        &mut self,
        login_name: &str,
        role: UserRole,
        grants: &[Permission],
        scope: Scope,
    ) -> Session {
        self.admin
            .add_user(
                NewUser {
                    login: login_name.into(),
                    role,
                    department: None,
                    grants: grants.to_vec(),
                    scope,
                    pcs: vec![],
                    groups: vec![],
                },
                b"first password 1",
            )
            .unwrap();
        let mut s = login(&self.tmp, &self.clock, login_name, b"first password 1");
        s.change_password(b"first password 1", b"second password 2")
            .unwrap();
        s
    }

    fn sales_clerk(&mut self) -> Session {
        let sales = self.admin.department_id("営業部").unwrap();
        let scope = Scope {
            departments: vec![sales],
            ..Scope::default()
        };
        self.user("clerk", UserRole::Clerk, &[], scope)
    }

    fn entries(&mut self, action: &str) -> Vec<AuditEntry> {
        self.admin
            .audit_list(&AuditQuery {
                action: Some(action.into()),
                ..AuditQuery::default()
            })
            .unwrap()
    }
}

fn fake_pdf() -> Pdf {
    Pdf {
        bytes: Zeroizing::new(b"%PDF-1.7 stand-in".to_vec()),
        pages: 1,
    }
}

/// Prints with the stand-in renderer; returns what it was given.
fn capture(s: &mut Session, req: &PrintRequest) -> VaultResult<(FormModel, Issue, Printed)> {
    let mut seen = None;
    let printed = s.print_form_with(
        req,
        Box::new(|_, issue, model| {
            seen = Some((model.clone(), issue.clone()));
            Ok(fake_pdf())
        }),
        |_| Ok(()),
    )?;
    let (model, issue) = seen.expect("the renderer ran");
    Ok((model, issue, printed))
}

fn request(form: FormKind, people: &[PersonId]) -> PrintRequest {
    PrintRequest {
        people: people.to_vec(),
        ..PrintRequest::new(form, PrintOutput::File)
    }
}

fn checklist(model: FormModel) -> (Vec<kinko_forms::FormPerson>, bool) {
    match model {
        FormModel::Checklist { people, revealed } => (people, revealed),
        other => panic!("not a checklist: {other:?}"),
    }
}

fn households(model: FormModel) -> Vec<kinko_forms::Household> {
    match model {
        FormModel::Households(h) => h,
        other => panic!("not households: {other:?}"),
    }
}

#[test]
fn the_checklist_orders_employees_by_code_with_family_then_payees_masked() {
    let mut f = firm();
    let (model, issue, printed) =
        capture(&mut f.admin, &request(FormKind::Checklist, &[])).unwrap();
    let (people, revealed) = checklist(model);
    assert!(!revealed);
    let codes: Vec<(PersonKind, Option<&str>)> =
        people.iter().map(|p| (p.kind, p.code.as_deref())).collect();
    assert_eq!(
        codes,
        [
            (PersonKind::Employee, Some("0002")),
            (PersonKind::Employee, Some("0003")),
            (PersonKind::Employee, Some("0010")),
            (PersonKind::Family, None),
            (PersonKind::Family, None),
            (PersonKind::Payee, Some("P001")),
        ]
    );
    assert_eq!(printed.people, 6);
    assert!(!printed.numbers_revealed);
    let yamada = &people[2];
    assert_eq!(yamada.department.as_deref(), Some("営業部"));
    assert_eq!(
        yamada.number,
        NumberShown::Masked(sample_my_number(1).masked())
    );
    assert_eq!(people[1].number, NumberShown::None);
    assert_eq!(people[3].relation.as_deref(), Some("配偶者"));
    assert_eq!(people[3].dependant, Some(DependantType::Spouse));
    assert_eq!(
        people[5].number,
        NumberShown::Masked(sample_corporate_number(5).masked())
    );
    assert_eq!(yamada.history.len(), 1);
    assert_eq!(yamada.collection, CollectionStatus::Requested);
    assert_eq!(yamada.verifications.len(), 1);
    assert_eq!(yamada.verifications[0].checked_by, "admin");
    assert_eq!(
        yamada.purposes,
        Some((day(2026, 3, 20), vec!["新しい目的".to_owned()])),
        "the latest notice"
    );
    for p in &people {
        assert!(!matches!(p.number, NumberShown::Full(_)));
    }
    // Issued in Japan time by the session's clock (15:30 UTC is 00:30 the next day).
    assert_eq!(
        issue.created,
        day(2026, 4, 2).and_hms_opt(0, 30, 0).unwrap()
    );
    assert_eq!(issue.issued_by, "admin");
    assert_eq!(issue.firm.name, crate::company::UNSET_COMPANY_NAME);
}

#[test]
fn the_log_names_the_people_by_id_only() {
    let mut f = firm();
    capture(&mut f.admin, &request(FormKind::Checklist, &[])).unwrap();
    let saved = f.entries("form.save");
    assert_eq!(saved.len(), 1);
    let e = &saved[0];
    assert_eq!(e.outcome, Outcome::Ok);
    assert_eq!(e.target_kind, None);
    let all = [f.e10, f.spouse, f.child, f.e2, f.e3, f.payee];
    let expected = id_ranges(&all.map(|p| p.0));
    assert_eq!(
        e.detail,
        format!("form=checklist copies=1 numbers=masked people={expected}")
    );
    let number = sample_my_number(1);
    for text in ["山田", "0010", "P001", "営業部", number.last4()] {
        assert!(!e.detail.contains(text), "{text} in {}", e.detail);
    }
    assert!(f.entries("number.reveal").is_empty());
    // No per-person read entries: the one form entry covers them.
    assert!(f.entries("person.view").is_empty());
    assert!(f.entries("record.list").is_empty());
}

#[test]
fn a_revealed_checklist_carries_the_numbers_and_is_logged_as_a_reveal() {
    let mut f = firm();
    let req = PrintRequest {
        reveal_numbers: true,
        output: PrintOutput::Printer(String::new()),
        ..request(FormKind::Checklist, &[f.e10])
    };
    let (model, _, printed) = capture(&mut f.admin, &req).unwrap();
    let (people, revealed) = checklist(model);
    assert!(revealed && printed.numbers_revealed);
    assert_eq!(people.len(), 3, "the employee and their family");
    assert_eq!(people[0].number.text(), sample_my_number(1).expose_digits());
    assert_eq!(people[1].number.text(), sample_my_number(2).expose_digits());
    let printed = f.entries("form.print");
    assert_eq!(printed.len(), 1);
    let ids = id_ranges(&[f.e10.0, f.spouse.0, f.child.0]);
    assert_eq!(
        printed[0].detail,
        format!("form=checklist copies=1 numbers=revealed people={ids}")
    );
    let reveals = f.entries("number.reveal");
    assert_eq!(reveals.len(), 1);
    assert_eq!(reveals[0].detail, format!("form=checklist people={ids}"));
    assert_eq!(reveals[0].seq, printed[0].seq + 1, "same transaction");
}

#[test]
fn revealing_needs_the_reveal_permission_and_a_refusal_is_logged() {
    let mut f = firm();
    let mut s = f.user(
        "printer",
        UserRole::Auditor,
        &[Permission::Print, Permission::ViewPerson],
        Scope::everyone(),
    );
    let req = PrintRequest {
        reveal_numbers: true,
        ..request(FormKind::Checklist, &[])
    };
    assert!(matches!(capture(&mut s, &req), Err(VaultError::Denied)));
    // Masked, the same user may print it.
    capture(&mut s, &request(FormKind::Checklist, &[])).unwrap();
    let saved = f.entries("form.save");
    assert_eq!(saved.len(), 2);
    assert_eq!(saved[0].outcome, Outcome::Denied);
    assert_eq!(saved[0].detail, "form=checklist permission=reveal_number");
    assert_eq!(saved[1].outcome, Outcome::Ok);
}

#[test]
fn no_other_form_takes_numbers_in_full() {
    let mut f = firm();
    let req = PrintRequest {
        reveal_numbers: true,
        ..request(FormKind::Notice, &[f.e10])
    };
    assert!(matches!(
        capture(&mut f.admin, &req),
        Err(VaultError::RevealNotAllowed { .. })
    ));
    let saved = f.entries("form.save");
    assert_eq!(saved[0].outcome, Outcome::Error);
    assert_eq!(saved[0].detail, "form=notice error=reveal_not_allowed");
    // Masked on every per-person form.
    for form in [
        FormKind::Application,
        FormKind::Notice,
        FormKind::Receipt,
        FormKind::Refusal,
    ] {
        let (model, _, _) = capture(&mut f.admin, &request(form, &[f.e10, f.payee])).unwrap();
        for h in households(model) {
            for p in std::iter::once(&h.person).chain(&h.family) {
                assert!(matches!(p.number, NumberShown::Masked(_)), "{form:?}");
            }
        }
    }
}

#[test]
fn per_person_forms_take_households_of_the_chosen() {
    let mut f = firm();
    assert!(matches!(
        capture(&mut f.admin, &request(FormKind::Notice, &[])),
        Err(VaultError::NoPeopleChosen)
    ));
    assert!(matches!(
        capture(&mut f.admin, &request(FormKind::Notice, &[f.spouse])),
        Err(VaultError::FamilyChosen(id)) if id == f.spouse.0
    ));
    let (model, _, printed) = capture(
        &mut f.admin,
        &request(FormKind::Receipt, &[f.payee, f.e10, f.e10]),
    )
    .unwrap();
    let h = households(model);
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].person.code.as_deref(), Some("0010"));
    assert_eq!(h[0].family.len(), 2);
    assert_eq!(h[1].person.code.as_deref(), Some("P001"));
    assert!(h[1].family.is_empty());
    assert_eq!(printed.people, 4);
    // One person on the form: the entry targets them.
    capture(&mut f.admin, &request(FormKind::Application, &[f.e2])).unwrap();
    let saved = f.entries("form.save");
    let last = saved.last().unwrap();
    assert_eq!(last.target_kind.as_deref(), Some("person"));
    assert_eq!(last.target_id, Some(f.e2.0));
    assert_eq!(
        last.detail,
        format!("form=application copies=1 numbers=masked people={}", f.e2.0)
    );
}

#[test]
fn out_of_scope_people_are_answered_like_missing_ones() {
    let mut f = firm();
    let mut clerk = f.sales_clerk();
    let missing = PersonId(9999);
    let out = match capture(&mut clerk, &request(FormKind::Notice, &[f.e2])) {
        Err(VaultError::UnknownPerson(id)) => id,
        other => panic!("{other:?}"),
    };
    assert_eq!(out, f.e2.0);
    assert!(matches!(
        capture(&mut clerk, &request(FormKind::Notice, &[missing])),
        Err(VaultError::UnknownPerson(9999))
    ));
    assert!(matches!(
        capture(&mut clerk, &request(FormKind::Checklist, &[f.payee])),
        Err(VaultError::UnknownPerson(_))
    ));
    // The checklist of everyone holds only the scope.
    let (model, _, _) = capture(&mut clerk, &request(FormKind::Checklist, &[])).unwrap();
    let (people, _) = checklist(model);
    let codes: Vec<_> = people.iter().map(|p| p.code.as_deref()).collect();
    assert_eq!(codes, [Some("0003"), Some("0010"), None, None]);
    let saved = f.entries("form.save");
    assert_eq!(saved[0].outcome, Outcome::Denied);
    assert_eq!(saved[0].detail, "form=notice reason=out_of_scope");
    assert_eq!(saved[1].outcome, Outcome::Error);
    assert_eq!(saved[1].detail, "form=notice error=unknown_person");
    assert_eq!(saved[3].outcome, Outcome::Ok);
}

#[test]
fn printing_needs_the_print_permission_and_records_need_the_audit_one() {
    let mut f = firm();
    let mut auditor = f.user("auditor", UserRole::Auditor, &[], Scope::everyone());
    assert!(matches!(
        capture(&mut auditor, &request(FormKind::Sessions, &[])),
        Err(VaultError::Denied)
    ));
    let mut clerk = f.sales_clerk();
    for form in [
        FormKind::AuditSeal,
        FormKind::AuditExtract,
        FormKind::Sessions,
    ] {
        assert!(matches!(
            capture(&mut clerk, &request(form, &[])),
            Err(VaultError::Denied)
        ));
    }
    // The clerk exports, so may print the take-out register.
    let (model, _, _) = capture(&mut clerk, &request(FormKind::Takeouts, &[])).unwrap();
    assert!(matches!(model, FormModel::Takeouts(l) if l.is_empty()));
    let saved = f.entries("form.save");
    assert_eq!(saved[0].detail, "form=sessions permission=print");
    assert_eq!(saved[1].detail, "form=audit-seal permission=read_audit");
    assert!(saved[..4].iter().all(|e| e.outcome == Outcome::Denied));
    assert_eq!(saved[4].detail, "form=takeouts copies=1");
}

#[test]
fn record_forms_are_filled_from_the_log() {
    let mut f = firm();
    let (model, _, _) = capture(&mut f.admin, &request(FormKind::AuditSeal, &[])).unwrap();
    let FormModel::Seal(sheet) = model else {
        panic!("not a seal")
    };
    assert_eq!(sheet.entries, sheet.seq);
    assert!(sheet.verified.starts_with("改ざんは見つかりませんでした"));
    assert!(sheet.head_at.starts_with("2026-04-02 00:30"));
    let seal = Seal::parse(&sheet.code).unwrap();
    assert_eq!(seal.seq, sheet.seq);
    let report = f.admin.audit_verify(Some(&seal)).unwrap();
    assert_eq!(report.problem, None);

    let req = PrintRequest {
        audit: Some(AuditQuery {
            action: Some("form".into()),
            limit: Some(5),
            ..AuditQuery::default()
        }),
        ..request(FormKind::AuditExtract, &[])
    };
    let (model, _, _) = capture(&mut f.admin, &req).unwrap();
    let FormModel::Audit { filter, lines } = model else {
        panic!("not an extract")
    };
    assert_eq!(filter, "操作「帳票」、最新5件（1件）");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].user, "admin");
    assert_eq!(lines[0].pc, "未登録のPC");
    assert_eq!(lines[0].action, "帳票の保存");
    assert!(lines[0].detail.starts_with("form=audit-seal"));

    let (model, _, _) = capture(&mut f.admin, &request(FormKind::Sessions, &[])).unwrap();
    let FormModel::Sessions(lines) = model else {
        panic!("not sessions")
    };
    assert_eq!(lines[0].user, "admin");
    assert_eq!(lines[0].from, "2026-04-02 00:30");
}

#[test]
fn a_failed_delivery_records_no_print() {
    let mut f = firm();
    let err = f
        .admin
        .print_form_with(
            &request(FormKind::Checklist, &[]),
            Box::new(|_, _, _| Ok(fake_pdf())),
            |_| Err(VaultError::Io(std::io::Error::other("disk full"))),
        )
        .unwrap_err();
    assert!(matches!(err, VaultError::Io(_)));
    let saved = f.entries("form.save");
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].outcome, Outcome::Error);
    assert_eq!(saved[0].detail, "form=checklist error=io");
    // A renderer that fails is logged the same way.
    let err = f
        .admin
        .print_form_with(
            &request(FormKind::Checklist, &[]),
            Box::new(|_, _, _| Err(FormError::Font)),
            |_| Ok(()),
        )
        .unwrap_err();
    assert!(matches!(err, VaultError::Form(FormError::Font)));
    assert_eq!(
        f.entries("form.save")[1].detail,
        "form=checklist error=font"
    );
}

#[test]
fn copies_are_bounded() {
    let mut f = firm();
    for copies in [0, MAX_COPIES + 1] {
        let req = PrintRequest {
            copies,
            ..request(FormKind::Checklist, &[])
        };
        assert!(matches!(
            capture(&mut f.admin, &req),
            Err(VaultError::BadCopies { .. })
        ));
    }
}

#[test]
fn the_company_heads_the_forms() {
    let mut f = firm();
    f.admin
        .set_company(&Company {
            name: "株式会社 金庫商事".into(),
            corporate_number: Some(sample_corporate_number(9)),
            ..Company::default()
        })
        .unwrap();
    let (_, issue, _) = capture(&mut f.admin, &request(FormKind::Takeouts, &[])).unwrap();
    assert_eq!(issue.firm.name, "株式会社 金庫商事");
    assert_eq!(
        issue.firm.corporate_number.as_deref(),
        Some(sample_corporate_number(9).expose_digits())
    );
}

#[test]
fn ids_are_written_as_compact_ranges() {
    assert_eq!(id_ranges(&[]), "-");
    assert_eq!(id_ranges(&[5]), "5");
    assert_eq!(id_ranges(&[12, 3, 4, 5, 6, 7, 9, 4]), "3-7,9,12");
    assert_eq!(id_ranges(&[1, 2]), "1-2");
}

// ---- These need the real kinko-forms renderers. ----

#[test]
fn every_form_prints_end_to_end() {
    let mut f = firm();
    for form in FormKind::ALL {
        let people = if form.is_about_people() && *form != FormKind::Checklist {
            vec![f.e10, f.payee]
        } else {
            vec![]
        };
        let req = PrintRequest {
            people,
            ..PrintRequest::new(*form, PrintOutput::Preview)
        };
        let mut delivered = Vec::new();
        let printed = f
            .admin
            .print_form(&req, |pdf| {
                delivered = pdf.bytes.to_vec();
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{form:?}: {e}"));
        assert!(delivered.starts_with(b"%PDF"), "{form:?}");
        assert!(printed.pages >= 1);
        assert_eq!(printed.pdf.bytes.as_slice(), delivered.as_slice());
    }
    let previews = f.entries("form.preview");
    assert_eq!(previews.len(), FormKind::ALL.len());
    assert!(previews.iter().all(|e| e.outcome == Outcome::Ok));
}

#[test]
fn a_revealed_checklist_prints_end_to_end() {
    let mut f = firm();
    let req = PrintRequest {
        reveal_numbers: true,
        ..PrintRequest::new(FormKind::Checklist, PrintOutput::File)
    };
    let printed = f.admin.print_form(&req, |_| Ok(())).unwrap();
    assert!(printed.pdf.bytes.starts_with(b"%PDF"));
    assert!(printed.numbers_revealed);
}

#[test]
fn the_recovery_sheet_renders_end_to_end() {
    let company = Company::default();
    let now = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let pdf = recovery_sheet_pdf(&company, "admin", "ABCD-EFGH-JKLM-NPQR", now).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert!(pdf.pages >= 1);
}
