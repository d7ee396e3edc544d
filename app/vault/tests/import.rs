//! Importing CSV files (F7) through the engine's public API: preview, commit, re-import, scope,
//! permissions, duplicates and a failure half-way through a commit.

use chrono::NaiveDate;
use kinko_domain::people::{DependantType, EmploymentStatus, PersonKind, Role};
use kinko_interop::{Column, Encoding, FileKind, OutEncoding, Preset, RowProblem, Unmappable};
use kinko_vault::demo::sample_my_number;
use kinko_vault::{
    AuditQuery, ImportLine, ImportProblem, ImportReason, KdfParams, NewUser, Outcome, PeopleQuery,
    Permission, PersonSummary, Scope, Session, UserRole, Vault, VaultError,
};

const PW: &[u8] = b"a fine password";

fn vault() -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().unwrap();
    let created = Vault::create(tmp.path(), "admin", PW, KdfParams::MINIMUM).unwrap();
    let session = created.vault.login("admin", PW).unwrap();
    (tmp, session)
}

fn n(i: u64) -> String {
    sample_my_number(i).expose_digits().to_owned()
}

/// A number with a wrong check digit.
fn bad_number() -> String {
    let mut s = n(99);
    let last = s.pop().unwrap();
    s.push(if last == '0' { '1' } else { '0' });
    s
}

fn cp932(header: &[&str], rows: &[&[&str]]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect();
    kinko_interop::write_csv(header, &rows, OutEncoding::Cp932, Unmappable::Fail).unwrap()
}

const EMP_HEADER: &[&str] = &[
    "社員番号",
    "氏名",
    "フリガナ",
    "生年月日",
    "所属",
    "入社日",
    "退職日",
    "個人番号",
];

fn employees_file() -> Vec<u8> {
    let (n1, n2, bad) = (n(1), n(2), bad_number());
    cp932(
        EMP_HEADER,
        &[
            &[
                "0001",
                "山田　太郎",
                "ﾔﾏﾀﾞ ﾀﾛｳ",
                "S37.3.18",
                "営業部",
                "令和5年4月1日",
                "",
                &n1,
            ],
            &[
                "0002",
                "佐藤 花子",
                "ｻﾄｳ ﾊﾅｺ",
                "H2/5/5",
                "総務部",
                "R5.4.1",
                "",
                &n2,
            ],
            &[
                "0010",
                "鈴木 一郎",
                "ｽｽﾞｷ ｲﾁﾛｳ",
                "平成元年1月8日",
                "営業部",
                "2020-04-01",
                "R6.3.31",
                "",
            ],
            &["0011", "田中 次郎", "", "1990-01-01", "", "", "", ""],
            &[
                "0012",
                "伊藤 三郎",
                "ｲﾄｳ ｻﾌﾞﾛｳ",
                "1990-13-01",
                "",
                "",
                "",
                "",
            ],
            &["0013", "加藤 四郎", "ｶﾄｳ ｼﾛｳ", "", "", "", "", &n1],
            &["0014", "林 五郎", "ﾊﾔｼ ｺﾞﾛｳ", "", "", "", "", &bad],
        ],
    )
}

fn family_file(rows: &[&[&str]]) -> Vec<u8> {
    cp932(
        &[
            "社員番号",
            "続柄",
            "氏名",
            "フリガナ",
            "生年月日",
            "扶養区分",
            "個人番号",
        ],
        rows,
    )
}

fn line(line: u64, code: &str, changes: &[Column]) -> ImportLine {
    ImportLine {
        line,
        code: code.into(),
        changes: changes.to_vec(),
    }
}

fn problem(line: u64, column: &str, reason: ImportReason) -> ImportProblem {
    ImportProblem {
        line,
        column: column.into(),
        reason,
    }
}

fn everyone(s: &mut Session) -> Vec<PersonSummary> {
    s.list(&PeopleQuery::default()).unwrap()
}

fn count(s: &mut Session, action: &str) -> usize {
    s.audit_list(&AuditQuery {
        action: Some(action.into()),
        ..AuditQuery::default()
    })
    .unwrap()
    .len()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Imports the standard employee file, skipping its bad rows.
fn with_employees(s: &mut Session) {
    let map = Preset::Generic.employees();
    s.import_commit(&employees_file(), &map, "e.csv", true)
        .unwrap();
}

#[test]
fn the_preview_names_every_row_and_the_commit_applies_it_once() {
    let (_tmp, mut s) = vault();
    let bytes = employees_file();
    let map = Preset::Generic.employees();
    let file_name = "社員_山田太郎.csv";
    let p = s.import_preview(&bytes, &map, file_name).unwrap();
    assert_eq!(p.kind, FileKind::Employees);
    assert_eq!(p.encoding, Encoding::Cp932);
    assert_eq!(p.rows, 7);
    assert_eq!(
        p.added,
        vec![
            line(2, "0001", &[]),
            line(3, "0002", &[]),
            line(4, "0010", &[])
        ]
    );
    assert!(p.updated.is_empty() && p.unchanged.is_empty());
    assert_eq!(
        p.new_departments,
        vec!["営業部".to_owned(), "総務部".to_owned()]
    );
    assert_eq!(p.bad_rows(), 4);
    assert_eq!(p.errors.len(), 4);
    assert_eq!(
        p.errors[0],
        problem(5, "フリガナ", ImportReason::KanaRequired)
    );
    assert_eq!(
        (p.errors[1].line, p.errors[1].column.as_str()),
        (6, "生年月日")
    );
    assert!(matches!(
        p.errors[1].reason,
        ImportReason::Row(RowProblem::Date(_))
    ));
    assert_eq!(
        p.errors[2],
        problem(
            7,
            "個人番号",
            ImportReason::Row(RowProblem::DuplicateNumber { first_line: 2 })
        )
    );
    assert_eq!(
        (p.errors[3].line, p.errors[3].column.as_str()),
        (8, "個人番号")
    );
    assert!(matches!(
        p.errors[3].reason,
        ImportReason::Row(RowProblem::Number(_))
    ));
    assert_eq!(
        p.errors[0].to_string(),
        "行 5・列「フリガナ」: 新しく登録する人にはフリガナが必要です"
    );
    assert!(everyone(&mut s).is_empty(), "a preview writes nothing");

    // With bad rows the commit refuses, and nothing changes.
    let err = s.import_commit(&bytes, &map, file_name, false).unwrap_err();
    assert!(matches!(err, VaultError::ImportRefused { errors: 4 }));
    assert!(everyone(&mut s).is_empty());

    let r = s.import_commit(&bytes, &map, file_name, true).unwrap();
    assert_eq!(
        (
            r.added,
            r.updated,
            r.unchanged,
            r.skipped,
            r.departments_added
        ),
        (3, 0, 0, 4, 2)
    );
    let id = s
        .find_by_code(PersonKind::Employee, "0001")
        .unwrap()
        .unwrap();
    let view = s.person(id).unwrap();
    assert_eq!(view.person.details.name, "山田\u{3000}太郎");
    assert_eq!(view.person.details.kana, "ヤマダ\u{3000}タロウ");
    assert_eq!(view.person.details.birth_date, Some(day(1962, 3, 18)));
    assert!(view.masked_number.is_some());
    let departments = s.departments().unwrap();
    let Role::Employee {
        department,
        hire_date,
        status,
        ..
    } = view.person.role
    else {
        panic!("not an employee")
    };
    assert_eq!(
        departments
            .iter()
            .find(|(d, _)| Some(*d) == department)
            .unwrap()
            .1,
        "営業部"
    );
    assert_eq!(hire_date, Some(day(2023, 4, 1)));
    assert_eq!(status, EmploymentStatus::Active);
    let retired = s
        .find_by_code(PersonKind::Employee, "0010")
        .unwrap()
        .unwrap();
    assert!(matches!(
        s.person(retired).unwrap().person.role,
        Role::Employee {
            status: EmploymentStatus::Retired,
            ..
        }
    ));

    // The same file again: nothing to do, nothing done.
    let before = everyone(&mut s);
    let adds = count(&mut s, "person.add");
    let again = s.import_preview(&bytes, &map, file_name).unwrap();
    assert!(again.added.is_empty() && again.updated.is_empty());
    assert_eq!(
        again.unchanged,
        vec![
            line(2, "0001", &[]),
            line(3, "0002", &[]),
            line(4, "0010", &[])
        ]
    );
    assert!(again.new_departments.is_empty());
    let r = s.import_commit(&bytes, &map, file_name, true).unwrap();
    assert_eq!((r.added, r.updated, r.unchanged), (0, 0, 3));
    assert_eq!(everyone(&mut s), before);
    assert_eq!(count(&mut s, "person.add"), adds);
    assert_eq!(count(&mut s, "person.update"), 0);
    assert_eq!(count(&mut s, "number.set"), 0);

    // The log has the file's hash and counts, never its name.
    let entries = s
        .audit_list(&AuditQuery {
            action: Some("import".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert!(entries.iter().any(|e| e.action == "import.commit"
        && e.outcome == Outcome::Ok
        && e.detail.contains(&format!("file={}", p.file_id))
        && e.detail.contains("added=3")));
    assert!(entries.iter().any(|e| e.action == "import.commit"
        && e.outcome == Outcome::Error
        && e.detail == "import_refused"));
    for e in &entries {
        assert!(
            !e.detail.contains("山田") && !e.detail.contains(".csv"),
            "{e:?}"
        );
    }
}

#[test]
fn an_update_is_detected_and_applied() {
    let (_tmp, mut s) = vault();
    with_employees(&mut s);
    let bytes = cp932(
        EMP_HEADER,
        &[
            // Moved to a new department and married: name and kana change; number given anew.
            &["0002", "高橋 花子", "ﾀｶﾊｼ ﾊﾅｺ", "", "開発部", "", "", &n(3)],
            // Empty cells keep what is stored.
            &["0001", "山田 太郎", "", "", "", "", "", ""],
        ],
    );
    let map = Preset::Generic.employees();
    let p = s.import_preview(&bytes, &map, "u.csv").unwrap();
    assert_eq!(
        p.updated,
        vec![line(
            2,
            "0002",
            &[
                Column::Name,
                Column::Kana,
                Column::Department,
                Column::MyNumber
            ]
        )]
    );
    assert_eq!(p.unchanged, vec![line(3, "0001", &[])]);
    assert_eq!(p.new_departments, vec!["開発部".to_owned()]);
    assert!(p.errors.is_empty());
    let r = s.import_commit(&bytes, &map, "u.csv", false).unwrap();
    assert_eq!((r.added, r.updated, r.unchanged), (0, 1, 1));
    let id = s
        .find_by_code(PersonKind::Employee, "0002")
        .unwrap()
        .unwrap();
    let view = s.person(id).unwrap();
    assert_eq!(view.person.details.name, "高橋\u{3000}花子");
    assert_eq!(view.person.details.birth_date, Some(day(1990, 5, 5)));
    assert_eq!(s.reveal_number(id).unwrap().unwrap().expose_digits(), n(3));
    // The old number is free again: another person may now hold it.
    let again = cp932(
        EMP_HEADER,
        &[&["0020", "林 一", "ﾊﾔｼ ﾊｼﾞﾒ", "", "", "", "", &n(2)]],
    );
    let p = s.import_preview(&again, &map, "x.csv").unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(count(&mut s, "person.update"), 1);
}

#[test]
fn a_number_registered_to_someone_else_is_reported_without_saying_who() {
    let (_tmp, mut s) = vault();
    with_employees(&mut s);
    let bytes = cp932(
        EMP_HEADER,
        &[
            &["0100", "新井 一", "ｱﾗｲ ﾊｼﾞﾒ", "", "", "", "", &n(1)],
            &["0101", "新井 二", "ｱﾗｲ ﾌﾀﾊﾞ", "", "", "", "", &n(50)],
            // 0002's own number on 0002: fine.
            &["0002", "佐藤 花子", "", "", "", "", "", &n(2)],
        ],
    );
    let map = Preset::Generic.employees();
    let p = s.import_preview(&bytes, &map, "d.csv").unwrap();
    assert_eq!(
        p.errors,
        vec![problem(2, "個人番号", ImportReason::NumberTaken)]
    );
    assert_eq!(
        p.errors[0].to_string(),
        "行 2・列「個人番号」: この個人番号はすでに別の人に登録されています"
    );
    assert_eq!(p.added, vec![line(3, "0101", &[])]);
    assert_eq!(p.unchanged, vec![line(4, "0002", &[])]);
    assert!(matches!(
        s.import_commit(&bytes, &map, "d.csv", false),
        Err(VaultError::ImportRefused { errors: 1 })
    ));
    let r = s.import_commit(&bytes, &map, "d.csv", true).unwrap();
    assert_eq!((r.added, r.skipped), (1, 1));
    assert!(
        s.find_by_code(PersonKind::Employee, "0100")
            .unwrap()
            .is_none()
    );
}

#[test]
fn family_rows_match_their_employee_and_stored_members() {
    let (_tmp, mut s) = vault();
    with_employees(&mut s);
    let map = Preset::Generic.family();
    let rows: &[&[&str]] = &[
        &[
            "0001",
            "妻",
            "山田 花子",
            "ﾔﾏﾀﾞ ﾊﾅｺ",
            "S40.1.2",
            "控除対象配偶者",
            &n(10),
        ],
        &[
            "0001",
            "長男",
            "山田 一郎",
            "ﾔﾏﾀﾞ ｲﾁﾛｳ",
            "令和元年5月1日",
            "16歳未満",
            "",
        ],
        &["9999", "妻", "不明 花子", "ﾌﾒｲ ﾊﾅｺ", "", "", ""],
        &["0002", "夫", "佐藤 次郎", "", "", "", ""],
    ];
    let bytes = family_file(rows);
    let p = s.import_preview(&bytes, &map, "f.csv").unwrap();
    assert_eq!(p.kind, FileKind::Family);
    assert_eq!(p.added, vec![line(2, "0001", &[]), line(3, "0001", &[])]);
    assert_eq!(
        p.errors,
        vec![
            problem(4, "社員番号", ImportReason::EmployeeNotFound),
            problem(5, "フリガナ", ImportReason::KanaRequired),
        ]
    );
    let r = s.import_commit(&bytes, &map, "f.csv", true).unwrap();
    assert_eq!((r.added, r.skipped), (2, 2));
    let e = s
        .find_by_code(PersonKind::Employee, "0001")
        .unwrap()
        .unwrap();
    let family = s.family_of(e).unwrap();
    assert_eq!(family.len(), 2);
    assert!(matches!(
        family[0].person.role,
        Role::Family {
            dependant: DependantType::Spouse,
            ..
        }
    ));
    assert_eq!(family[1].person.details.birth_date, Some(day(2019, 5, 1)));

    // Again: unchanged. With a corrected relation and the spouse's name respaced: one update.
    let p = s.import_preview(&bytes, &map, "f.csv").unwrap();
    assert_eq!(p.unchanged.len(), 2);
    assert!(p.added.is_empty() && p.updated.is_empty());
    let adds = count(&mut s, "person.add");
    s.import_commit(&bytes, &map, "f.csv", true).unwrap();
    assert_eq!(count(&mut s, "person.add"), adds);
    let changed = family_file(&[
        &["0001", "配偶者", "山田　花子", "", "", "控除対象配偶者", ""],
        &[
            "0001",
            "長男",
            "山田 一郎",
            "ﾔﾏﾀﾞ ｲﾁﾛｳ",
            "R1.5.1",
            "16歳未満",
            "",
        ],
    ]);
    let p = s.import_preview(&changed, &map, "g.csv").unwrap();
    assert_eq!(p.updated, vec![line(2, "0001", &[Column::Relation])]);
    assert_eq!(p.unchanged, vec![line(3, "0001", &[])]);
    s.import_commit(&changed, &map, "g.csv", false).unwrap();
    assert_eq!(s.family_of(e).unwrap().len(), 2);
}

#[test]
fn a_scoped_clerk_sees_out_of_scope_employees_as_missing() {
    let (tmp, mut s) = vault();
    with_employees(&mut s);
    let sales = s.department_id("営業部").unwrap();
    s.add_user(
        NewUser {
            login: "clerk1".into(),
            role: UserRole::Clerk,
            department: None,
            grants: vec![],
            scope: Scope {
                departments: vec![sales],
                ..Scope::default()
            },
            pcs: vec![],
            groups: vec![],
        },
        b"first password 1",
    )
    .unwrap();
    let mut c = Vault::open(tmp.path())
        .unwrap()
        .login("clerk1", b"first password 1")
        .unwrap();
    c.change_password(b"first password 1", b"second password 2")
        .unwrap();
    // 0001 is in 営業部 (in scope), 0002 in 総務部 (not), 9999 nowhere.
    let fam = family_file(&[
        &["0001", "妻", "山田 花子", "ﾔﾏﾀﾞ ﾊﾅｺ", "", "", ""],
        &["0002", "夫", "佐藤 次郎", "ｻﾄｳ ｼﾞﾛｳ", "", "", ""],
        &["9999", "夫", "不明 次郎", "ﾌﾒｲ ｼﾞﾛｳ", "", "", ""],
    ]);
    let p = c
        .import_preview(&fam, &Preset::Generic.family(), "f.csv")
        .unwrap();
    assert_eq!(p.added, vec![line(2, "0001", &[])]);
    assert_eq!(
        p.errors,
        vec![
            problem(3, "社員番号", ImportReason::EmployeeNotFound),
            problem(4, "社員番号", ImportReason::EmployeeNotFound),
        ],
        "out of scope and missing read alike"
    );
    let emp = cp932(
        EMP_HEADER,
        &[
            &["0002", "佐藤 花子", "", "", "", "", "", ""],
            &["0200", "新人 一", "ｼﾝｼﾞﾝ ﾊｼﾞﾒ", "", "営業部", "", "", ""],
            &["0201", "新人 二", "ｼﾝｼﾞﾝ ﾌﾀﾊﾞ", "", "", "", "", ""],
        ],
    );
    let p = c
        .import_preview(&emp, &Preset::Generic.employees(), "e.csv")
        .unwrap();
    assert_eq!(p.added, vec![line(3, "0200", &[])]);
    assert_eq!(
        p.errors,
        vec![
            problem(2, "社員番号", ImportReason::OutOfScope),
            problem(4, "社員番号", ImportReason::OutOfScope),
        ]
    );
    let r = c
        .import_commit(&emp, &Preset::Generic.employees(), "e.csv", true)
        .unwrap();
    assert_eq!(r.added, 1);
}

#[test]
fn importing_needs_the_import_permission_and_is_logged_when_denied() {
    let (tmp, mut s) = vault();
    s.add_user(
        NewUser {
            login: "auditor1".into(),
            role: UserRole::Auditor,
            department: None,
            grants: vec![],
            scope: Scope::everyone(),
            pcs: vec![],
            groups: vec![],
        },
        b"first password 1",
    )
    .unwrap();
    let mut a = Vault::open(tmp.path())
        .unwrap()
        .login("auditor1", b"first password 1")
        .unwrap();
    a.change_password(b"first password 1", b"second password 2")
        .unwrap();
    assert!(!a.access().allows(Permission::Import));
    let map = Preset::Generic.employees();
    assert!(matches!(
        a.import_preview(&employees_file(), &map, "e.csv"),
        Err(VaultError::Denied)
    ));
    assert!(matches!(
        a.import_commit(&employees_file(), &map, "e.csv", true),
        Err(VaultError::Denied)
    ));
    assert!(matches!(
        a.save_mapping("mine", &map),
        Err(VaultError::Denied)
    ));
    drop(a);
    let denied = s
        .audit_list(&AuditQuery {
            action: Some("import".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(denied.len(), 2);
    assert!(denied.iter().all(|e| e.outcome == Outcome::Denied));
    assert!(everyone(&mut s).is_empty());
}

#[test]
fn a_failure_half_way_through_a_commit_leaves_the_vault_unchanged() {
    let (_tmp, mut s) = vault();
    with_employees(&mut s);
    let before = everyone(&mut s);
    let departments = s.departments().unwrap();
    let adds = count(&mut s, "person.add");
    let rows: Vec<Vec<String>> = (0..50)
        .map(|i| {
            vec![
                format!("{:04}", 1000 + i),
                format!("試験 {i}号"),
                "ｼｹﾝ ﾀﾛｳ".to_owned(),
                String::new(),
                "新設部".to_owned(),
                String::new(),
                String::new(),
                n(1000 + i),
            ]
        })
        .collect();
    let bytes =
        kinko_interop::write_csv(EMP_HEADER, &rows, OutEncoding::Cp932, Unmappable::Fail).unwrap();
    let map = Preset::Generic.employees();
    let err = s
        .import_commit_with_progress(&bytes, &map, "big.csv", false, |done, total| {
            assert_eq!(total, 50);
            if done == 25 {
                Err(VaultError::Crypto("injected fault"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    assert!(matches!(err, VaultError::Crypto("injected fault")));
    assert_eq!(everyone(&mut s), before);
    assert_eq!(s.departments().unwrap(), departments);
    assert_eq!(count(&mut s, "person.add"), adds);
    assert!(
        s.audit_list(&AuditQuery {
            action: Some("import.commit".into()),
            ..AuditQuery::default()
        })
        .unwrap()
        .iter()
        .any(|e| e.outcome == Outcome::Error)
    );

    // A change made by someone else between preview and commit: the commit sees it and
    // refuses, still changing nothing.
    let p = s.import_preview(&bytes, &map, "big.csv").unwrap();
    assert!(p.errors.is_empty());
    s_new_person_with_number(&mut s, n(1049));
    assert!(matches!(
        s.import_commit(&bytes, &map, "big.csv", false),
        Err(VaultError::ImportRefused { errors: 1 })
    ));
    assert_eq!(everyone(&mut s).len(), before.len() + 1);
    let r = s.import_commit(&bytes, &map, "big.csv", false);
    assert!(r.is_err());
    let r = s.import_commit(&bytes, &map, "big.csv", true).unwrap();
    assert_eq!((r.added, r.skipped), (49, 1));
}

/// Registers someone holding `number` through the ordinary API.
fn s_new_person_with_number(s: &mut Session, number: String) -> kinko_domain::people::PersonId {
    s.add_person(kinko_vault::NewPerson {
        role: Role::Employee {
            code: "7777".into(),
            department: None,
            hire_date: None,
            retire_date: None,
            status: EmploymentStatus::Active,
        },
        details: kinko_domain::people::PersonalDetails {
            name: "別人 太郎".into(),
            kana: "ベツジン タロウ".into(),
            birth_date: None,
            address: None,
        },
        number: Some(kinko_vault::PersonNumber::Individual(
            kinko_domain::number::MyNumber::parse(&number).unwrap(),
        )),
    })
    .unwrap()
}

#[test]
fn custom_mappings_are_saved_and_used() {
    let (_tmp, mut s) = vault();
    let mine = kinko_interop::Mapping::new(FileKind::Employees, "うちの給与ソフト")
        .with(Column::EmployeeCode, "職員番号")
        .with(Column::Name, "職員氏名")
        .with(Column::Kana, "よみ");
    s.save_mapping("うちの給与ソフト", &mine).unwrap();
    assert_eq!(s.mapping("うちの給与ソフト").unwrap(), mine);
    assert_eq!(
        s.mappings().unwrap(),
        vec![("うちの給与ソフト".to_owned(), FileKind::Employees)]
    );
    assert!(matches!(
        s.mapping("ない"),
        Err(VaultError::UnknownMapping(_))
    ));
    let bytes = "職員番号,職員氏名,よみ\n007,大野 三郎,おおの さぶろう\n".as_bytes();
    let saved = s.mapping("うちの給与ソフト").unwrap();
    let p = s.import_preview(bytes, &saved, "m.csv").unwrap();
    assert_eq!(p.encoding, Encoding::Utf8);
    assert_eq!(p.added, vec![line(2, "007", &[])]);
    assert_eq!(count(&mut s, "mapping.save"), 1);
    // Names are normalised alike when saved and looked up.
    s.save_mapping("my  map", &mine).unwrap();
    assert_eq!(s.mapping(" my map ").unwrap(), mine);
}

#[test]
fn utf8_with_bom_quotes_and_short_rows() {
    let (_tmp, mut s) = vault();
    let text = "\u{FEFF}社員番号,氏名,フリガナ,生年月日,部署\r\n\
                \"０１２３\",\"山田　太郎\",ﾔﾏﾀﾞ ﾀﾛｳ,R5.4.1,\"営業部\"\r\n\
                0124,短い行\r\n\
                0125,\"川口 \"\"一\"\"\",かわぐち はじめ,２０００年１月２日,\r\n";
    let map = Preset::Generic.employees();
    let p = s.import_preview(text.as_bytes(), &map, "b.csv").unwrap();
    assert_eq!(p.encoding, Encoding::Utf8Bom);
    assert_eq!(p.rows, 3);
    assert_eq!(p.added.first(), Some(&line(2, "0123", &[])));
    assert_eq!(p.errors[0].line, 3);
    assert!(p.errors[0].column.is_empty());
    assert!(
        p.errors[0].to_string().starts_with("行 3: "),
        "{}",
        p.errors[0]
    );
    assert_eq!(p.bad_rows(), p.rows - p.added.len());
}

#[test]
fn an_unreadable_file_is_a_clear_error() {
    let (_tmp, mut s) = vault();
    let map = Preset::Generic.employees();
    for bytes in [&b""[..], b"\x00\x01\x02", "社員番号,氏名\n".as_bytes()] {
        let err = s.import_preview(bytes, &map, "x.csv").unwrap_err();
        assert!(matches!(err, VaultError::Import(_)), "{err:?}");
    }
    let err = s
        .import_preview("番号,なまえ\n1,a\n".as_bytes(), &map, "x.csv")
        .unwrap_err();
    assert!(err.to_string().contains("社員番号"), "{err}");
}
