//! Exporting numbers (F8): what the files hold, who may export what, and the take-out register.

use chrono::NaiveDate;
use kinko_domain::people::{
    DepartmentId, DependantType, EmploymentStatus, PayeeKind, PersonId, PersonalDetails, Role,
};
use kinko_interop::{
    EmployeeRow, Encoding, FamilyRow, OutEncoding, Preset, Unmappable, WriteError, decode,
    employees, family, read_table,
};
use kinko_vault::demo::{sample_corporate_number, sample_my_number};
use kinko_vault::{
    AuditQuery, Export, ExportFormat, ExportKind, ExportRequest, KdfParams, NewPerson, NewUser,
    Outcome, PersonNumber, Scope, Session, UserRole, Vault, VaultError,
};

const PW: &[u8] = b"a fine password";
const PURPOSE: &str = "令和8年分 源泉徴収票の作成（給与ソフトへ移行）";

fn vault() -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().unwrap();
    let created = Vault::create(tmp.path(), "admin", PW, KdfParams::MINIMUM).unwrap();
    let session = created.vault.login("admin", PW).unwrap();
    (tmp, session)
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn details(name: &str, kana: &str, birth: Option<NaiveDate>) -> PersonalDetails {
    PersonalDetails {
        name: name.into(),
        kana: kana.into(),
        birth_date: birth,
        address: None,
    }
}

fn request(encoding: OutEncoding) -> ExportRequest {
    ExportRequest {
        purpose: PURPOSE.into(),
        destination: "/media/export/kinko.csv".into(),
        format: ExportFormat::Kinko,
        encoding,
        on_unmappable: Unmappable::Fail,
        kinds: vec![],
    }
}

/// Two departments, four employees (one retired, one without a number), three family members
/// and two payees. Returns the departments.
fn populate(s: &mut Session) -> (DepartmentId, DepartmentId) {
    s.write(|w| {
        let sales = w.department("営業部")?;
        let general = w.department("総務部")?;
        let employee =
            |code: &str, name: &str, kana: &str, dept, retired: bool, number: Option<u64>| {
                NewPerson {
                    role: Role::Employee {
                        code: code.into(),
                        department: Some(dept),
                        hire_date: day(2015, 4, 1),
                        retire_date: if retired { day(2025, 3, 31) } else { None },
                        status: if retired {
                            EmploymentStatus::Retired
                        } else {
                            EmploymentStatus::Active
                        },
                    },
                    details: details(name, kana, day(1980, 5, 17)),
                    number: number.map(|n| PersonNumber::Individual(sample_my_number(n))),
                }
            };
        let a = w.add_person(employee(
            "0001",
            "山田 太郎",
            "ヤマダ タロウ",
            sales,
            false,
            Some(1),
        ))?;
        let b = w.add_person(employee(
            "0002",
            "髙橋 花子",
            "タカハシ ハナコ",
            general,
            false,
            Some(2),
        ))?;
        w.add_person(employee(
            "0003",
            "佐藤 次郎",
            "サトウ ジロウ",
            sales,
            true,
            Some(3),
        ))?;
        w.add_person(employee(
            "0100",
            "鈴木 一",
            "スズキ ハジメ",
            general,
            false,
            None,
        ))?;
        let member =
            |employee: PersonId, rel: &str, name: &str, kana: &str, dep, n: u64| NewPerson {
                role: Role::Family {
                    employee,
                    relation: rel.into(),
                    dependant: dep,
                },
                details: details(name, kana, day(2012, 1, 9)),
                number: Some(PersonNumber::Individual(sample_my_number(n))),
            };
        w.add_person(member(
            a,
            "配偶者",
            "山田 花",
            "ヤマダ ハナ",
            DependantType::Spouse,
            11,
        ))?;
        w.add_person(member(
            a,
            "長男",
            "山田 一郎",
            "ヤマダ イチロウ",
            DependantType::Under16,
            12,
        ))?;
        w.add_person(member(
            b,
            "母",
            "髙橋 ハル",
            "タカハシ ハル",
            DependantType::Dependant,
            13,
        ))?;
        w.add_person(NewPerson {
            role: Role::Payee {
                code: "P001".into(),
                kind: PayeeKind::Corporation,
            },
            details: details("株式会社みらい設計", "ミライセッケイ", None),
            number: Some(PersonNumber::Corporate(sample_corporate_number(21))),
        })?;
        w.add_person(NewPerson {
            role: Role::Payee {
                code: "P002".into(),
                kind: PayeeKind::Individual,
            },
            details: PersonalDetails {
                address: Some("東京都千代田区千代田1-1".into()),
                ..details("森 一郎", "モリ イチロウ", day(1970, 2, 3))
            },
            number: Some(PersonNumber::Individual(sample_my_number(22))),
        })?;
        Ok((sales, general))
    })
    .unwrap()
}

fn expected_employees() -> Vec<EmployeeRow> {
    let row = |code: &str, name: &str, kana: &str, dept: &str, retired: bool, n: Option<u64>| {
        EmployeeRow {
            code: code.into(),
            name: name.into(),
            kana: Some(kana.into()),
            birth_date: day(1980, 5, 17),
            department: Some(dept.into()),
            hire_date: day(2015, 4, 1),
            retire_date: if retired { day(2025, 3, 31) } else { None },
            status: if retired {
                EmploymentStatus::Retired
            } else {
                EmploymentStatus::Active
            },
            number: n.map(sample_my_number),
        }
    };
    vec![
        row(
            "0001",
            "山田\u{3000}太郎",
            "ヤマダ\u{3000}タロウ",
            "営業部",
            false,
            Some(1),
        ),
        row(
            "0002",
            "髙橋\u{3000}花子",
            "タカハシ\u{3000}ハナコ",
            "総務部",
            false,
            Some(2),
        ),
        row(
            "0003",
            "佐藤\u{3000}次郎",
            "サトウ\u{3000}ジロウ",
            "営業部",
            true,
            Some(3),
        ),
        row(
            "0100",
            "鈴木\u{3000}一",
            "スズキ\u{3000}ハジメ",
            "総務部",
            false,
            None,
        ),
    ]
}

fn expected_family() -> Vec<FamilyRow> {
    let row = |code: &str, rel: &str, name: &str, kana: &str, dep, n| FamilyRow {
        employee_code: code.into(),
        relation: rel.into(),
        name: name.into(),
        kana: Some(kana.into()),
        birth_date: day(2012, 1, 9),
        dependant: dep,
        number: Some(sample_my_number(n)),
    };
    vec![
        row(
            "0001",
            "配偶者",
            "山田\u{3000}花",
            "ヤマダ\u{3000}ハナ",
            DependantType::Spouse,
            11,
        ),
        row(
            "0001",
            "長男",
            "山田\u{3000}一郎",
            "ヤマダ\u{3000}イチロウ",
            DependantType::Under16,
            12,
        ),
        row(
            "0002",
            "母",
            "髙橋\u{3000}ハル",
            "タカハシ\u{3000}ハル",
            DependantType::Dependant,
            13,
        ),
    ]
}

fn read_employees(export: &Export, preset: Preset) -> Vec<EmployeeRow> {
    let bytes = &export.file(ExportKind::Employees).unwrap().bytes;
    let decoded = decode(bytes).unwrap();
    let table = read_table(decoded.text()).unwrap();
    let parsed = employees(&table, &preset.employees()).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed.rows.into_iter().map(|(_, r)| r).collect()
}

fn read_family(export: &Export, preset: Preset) -> Vec<FamilyRow> {
    let bytes = &export.file(ExportKind::Family).unwrap().bytes;
    let decoded = decode(bytes).unwrap();
    let table = read_table(decoded.text()).unwrap();
    let parsed = family(&table, &preset.family()).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed.rows.into_iter().map(|(_, r)| r).collect()
}

fn cells(bytes: &[u8]) -> (Encoding, Vec<String>, Vec<Vec<String>>) {
    let decoded = decode(bytes).unwrap();
    let table = read_table(decoded.text()).unwrap();
    let rows = table
        .records
        .iter()
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    (decoded.encoding(), table.headers.clone(), rows)
}

fn clerk(
    s: &mut Session,
    dir: &std::path::Path,
    login: &str,
    role: UserRole,
    scope: Scope,
) -> Session {
    s.add_user(
        NewUser {
            login: login.into(),
            role,
            department: None,
            grants: vec![],
            scope,
            pcs: vec![],
            groups: vec![],
        },
        b"first password 1",
    )
    .unwrap();
    let mut c = Vault::open(dir)
        .unwrap()
        .login(login, b"first password 1")
        .unwrap();
    c.change_password(b"first password 1", b"second password 2")
        .unwrap();
    c
}

#[test]
fn an_export_reads_back_as_the_same_people_and_numbers() {
    let (_tmp, mut s) = vault();
    populate(&mut s);
    for encoding in [OutEncoding::Utf8Bom, OutEncoding::Cp932] {
        let export = s.export(&request(encoding)).unwrap();
        assert_eq!(export.people, 4 + 3 + 2);
        assert_eq!(
            export.files.iter().map(|f| f.kind).collect::<Vec<_>>(),
            ExportKind::ALL
        );
        let want = match encoding {
            OutEncoding::Utf8Bom => Encoding::Utf8Bom,
            OutEncoding::Cp932 => Encoding::Cp932,
        };
        let bytes = &export.file(ExportKind::Employees).unwrap().bytes;
        assert_eq!(decode(bytes).unwrap().encoding(), want);
        assert_eq!(read_employees(&export, Preset::Kinko), expected_employees());
        assert_eq!(read_family(&export, Preset::Kinko), expected_family());

        let (_, headers, rows) = cells(&export.file(ExportKind::Payees).unwrap().bytes);
        assert_eq!(headers, kinko_vault::PAYEE_HEADERS);
        let corp = sample_corporate_number(21);
        let indiv = sample_my_number(22);
        assert_eq!(
            rows,
            vec![
                vec![
                    "P001",
                    "法人",
                    "株式会社みらい設計",
                    "ミライセッケイ",
                    "",
                    "",
                    "",
                    corp.expose_digits()
                ],
                vec![
                    "P002",
                    "個人",
                    "森\u{3000}一郎",
                    "モリ\u{3000}イチロウ",
                    "1970-02-03",
                    "東京都千代田区千代田1-1",
                    indiv.expose_digits(),
                    ""
                ],
            ]
        );
    }
}

#[test]
fn every_preset_reads_back_with_its_own_mapping() {
    let (_tmp, mut s) = vault();
    populate(&mut s);
    for preset in Preset::ALL {
        let export = s
            .export(&ExportRequest {
                format: ExportFormat::Preset(preset),
                kinds: vec![ExportKind::Employees, ExportKind::Family],
                ..request(OutEncoding::Cp932)
            })
            .unwrap();
        assert_eq!(export.files.len(), 2);
        assert_eq!(
            read_employees(&export, preset),
            expected_employees(),
            "{preset:?}"
        );
        assert_eq!(
            read_family(&export, preset),
            expected_family(),
            "{preset:?}"
        );
    }
    // The split-name presets really split.
    let export = s
        .export(&ExportRequest {
            format: ExportFormat::Preset(Preset::Freee),
            kinds: vec![ExportKind::Employees],
            ..request(OutEncoding::Utf8Bom)
        })
        .unwrap();
    let (_, headers, rows) = cells(&export.files[0].bytes);
    assert_eq!(
        &headers[..5],
        ["従業員番号", "姓", "名", "姓カナ", "名カナ"]
    );
    assert_eq!(&rows[0][..5], ["0001", "山田", "太郎", "ヤマダ", "タロウ"]);
}

#[test]
fn a_scoped_clerk_exports_only_their_department() {
    let (tmp, mut s) = vault();
    let (sales, _) = populate(&mut s);
    let scope = Scope {
        departments: vec![sales],
        ..Scope::default()
    };
    let mut c = clerk(&mut s, tmp.path(), "clerk1", UserRole::Clerk, scope);
    let export = c.export(&request(OutEncoding::Utf8Bom)).unwrap();
    let codes: Vec<String> = read_employees(&export, Preset::Kinko)
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["0001", "0003"]);
    let family = read_family(&export, Preset::Kinko);
    assert_eq!(family.len(), 2);
    assert!(family.iter().all(|f| f.employee_code == "0001"));
    let payees = export.file(ExportKind::Payees).unwrap();
    assert_eq!(payees.people, 0, "payees are out of this scope");
    let text = decode(&payees.bytes).unwrap().text().to_owned();
    assert_eq!(text.lines().count(), 1, "the header only: {text:?}");
    assert_eq!(export.people, 4);
    assert_eq!(c.takeouts().unwrap()[0].people, 4);
    assert_eq!(c.takeouts().unwrap()[0].user, "clerk1");
}

#[test]
fn a_user_without_the_export_permission_is_refused_and_logged() {
    let (tmp, mut s) = vault();
    populate(&mut s);
    let mut auditor = clerk(
        &mut s,
        tmp.path(),
        "audit1",
        UserRole::Auditor,
        Scope::everyone(),
    );
    let err = auditor.export(&request(OutEncoding::Utf8Bom)).unwrap_err();
    assert!(matches!(err, VaultError::Denied), "{err:?}");
    // The auditor may read the (empty) register, a system administrator may not.
    assert!(auditor.takeouts().unwrap().is_empty());
    let mut sysadmin = clerk(
        &mut s,
        tmp.path(),
        "sys1",
        UserRole::SystemAdmin,
        Scope::everyone(),
    );
    assert!(matches!(sysadmin.takeouts(), Err(VaultError::Denied)));

    let log = s
        .audit_list(&AuditQuery {
            action: Some("export".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].outcome, Outcome::Denied);
    assert_eq!(log[0].detail, "export");
    assert!(s.takeouts().unwrap().is_empty());
}

#[test]
fn an_export_needs_a_purpose_and_a_destination() {
    let (_tmp, mut s) = vault();
    populate(&mut s);
    let err = s
        .export(&ExportRequest {
            purpose: " \u{3000} ".into(),
            ..request(OutEncoding::Utf8Bom)
        })
        .unwrap_err();
    assert!(matches!(err, VaultError::PurposeRequired), "{err:?}");
    assert_eq!(err.to_string(), "持出しの目的を入力してください");
    let err = s
        .export(&ExportRequest {
            destination: String::new(),
            ..request(OutEncoding::Utf8Bom)
        })
        .unwrap_err();
    assert!(matches!(err, VaultError::DestinationRequired), "{err:?}");
    let err = s
        .export(&ExportRequest {
            purpose: "目的\u{7}".into(),
            ..request(OutEncoding::Utf8Bom)
        })
        .unwrap_err();
    assert!(matches!(err, VaultError::TakeoutText { .. }), "{err:?}");
    assert!(s.takeouts().unwrap().is_empty());
}

#[test]
fn a_character_cp932_cannot_hold_fails_the_export_unless_replaced() {
    let (_tmp, mut s) = vault();
    populate(&mut s);
    s.write(|w| {
        let dept = w.department("開発部")?;
        w.add_person(NewPerson {
            role: Role::Employee {
                code: "0200".into(),
                department: Some(dept),
                hire_date: None,
                retire_date: None,
                status: EmploymentStatus::Active,
            },
            details: details("𠮷田 一", "ヨシダ ハジメ", None),
            number: Some(PersonNumber::Individual(sample_my_number(30))),
        })
    })
    .unwrap();
    let err = s.export(&request(OutEncoding::Cp932)).unwrap_err();
    match &err {
        VaultError::Export {
            file,
            error:
                WriteError::Unmappable {
                    row,
                    column,
                    character,
                },
        } => {
            assert_eq!(*file, "社員");
            assert_eq!(*row, 5);
            assert_eq!(column, "氏名");
            assert_eq!(*character, '𠮷');
        }
        other => panic!("{other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("5件目") && message.contains("氏名"),
        "{message}"
    );
    assert!(!message.contains(sample_my_number(30).expose_digits()));
    assert!(s.takeouts().unwrap().is_empty(), "no register row");
    let log = s
        .audit_list(&AuditQuery {
            action: Some("export".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].outcome, log[0].detail.as_str()),
        (Outcome::Error, "unmappable")
    );

    // UTF-8 holds it; CP932 with a stated replacement writes the replacement.
    let export = s.export(&request(OutEncoding::Utf8Bom)).unwrap();
    assert_eq!(
        read_employees(&export, Preset::Kinko)[4].name,
        "𠮷田\u{3000}一"
    );
    let export = s
        .export(&ExportRequest {
            on_unmappable: Unmappable::Replace('〓'),
            ..request(OutEncoding::Cp932)
        })
        .unwrap();
    assert_eq!(
        read_employees(&export, Preset::Kinko)[4].name,
        "〓田\u{3000}一"
    );
    let takeouts = s.takeouts().unwrap();
    assert_eq!(takeouts.len(), 2);
    assert!(
        takeouts[1].what.contains("置換文字「〓」"),
        "{}",
        takeouts[1].what
    );
}

#[test]
fn the_register_row_and_the_log_entry_are_right_and_hold_no_plain_text() {
    let (tmp, mut s) = vault();
    populate(&mut s);
    let export = s
        .export(&ExportRequest {
            kinds: vec![ExportKind::Family, ExportKind::Employees],
            ..request(OutEncoding::Cp932)
        })
        .unwrap();
    assert_eq!(export.people, 7);

    let takeouts = s.takeouts().unwrap();
    assert_eq!(takeouts.len(), 1);
    let t = &takeouts[0];
    assert_eq!(t.id, export.takeout);
    assert_eq!(t.user, "admin");
    assert_eq!(t.people, 7);
    assert_eq!(t.purpose, PURPOSE);
    assert_eq!(t.destination, "/media/export/kinko.csv");
    assert_eq!(t.what, "CSV Kinko形式 Shift_JIS（CP932） 社員・家族");
    assert!(t.at.starts_with("20"), "{}", t.at);

    let log = s
        .audit_list(&AuditQuery {
            action: Some("export".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1);
    let entry = &log[0];
    assert_eq!(entry.outcome, Outcome::Ok);
    assert_eq!(entry.target_kind.as_deref(), Some("takeout"));
    assert_eq!(entry.target_id, Some(export.takeout));
    assert_eq!(
        entry.detail,
        "format=kinko encoding=cp932 kinds=employees,family people=7"
    );
    let listed = s
        .audit_list(&AuditQuery {
            action: Some("takeout".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(listed.len(), 1, "the register read is logged");
    drop(s);

    // Neither the purpose nor the destination is anywhere in the vault's files in the clear.
    let needles = [PURPOSE, "/media/export/kinko.csv", "源泉徴収票"];
    let number = sample_my_number(1);
    for entry in std::fs::read_dir(tmp.path()).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let raw = std::fs::read(&path).unwrap();
        for needle in needles.iter().copied().chain([number.expose_digits()]) {
            let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
            for form in [needle.as_bytes(), &utf16[..]] {
                assert!(
                    !raw.windows(form.len()).any(|w| w == form),
                    "{needle:?} found in {}",
                    path.display()
                );
            }
        }
    }
}
