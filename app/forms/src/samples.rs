//! Fictional, deterministic form data: for the reference images, the benchmarks and a
//! preview without a vault. Every name is invented; numbers appear only masked.

use chrono::{NaiveDate, NaiveDateTime};

use kinko_domain::people::{
    CollectionEvent, CollectionStatus, DependantType, IdentityDocument, NumberDocument, PersonKind,
    Responsibility, VerificationMethod,
};

use crate::model::{
    AuditLine, Firm, FormPerson, Household, Issue, NumberShown, SanitizeSheet, SealSheet,
    SessionLine, TakeoutLine, Verification,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid sample date")
}

/// The moment every sample document is made.
pub fn created() -> NaiveDateTime {
    date(2026, 11, 26)
        .and_hms_opt(10, 30, 0)
        .expect("valid time")
}

pub fn firm() -> Firm {
    Firm {
        name: "株式会社金庫商事".into(),
        corporate_number: Some("5835678256246".into()),
        address: Some("東京都千代田区丸の内一丁目1番1号".into()),
        representative: Some("代表取締役　金子　一郎".into()),
        phone: Some("03-0000-0000".into()),
    }
}

pub fn issue() -> Issue {
    Issue {
        firm: firm(),
        created: created(),
        issued_by: "tanto01".into(),
    }
}

const FAMILY_NAMES: [(&str, &str); 8] = [
    ("山田", "ヤマダ"),
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("中村", "ナカムラ"),
];
const GIVEN_NAMES: [(&str, &str); 6] = [
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("一郎", "イチロウ"),
    ("美咲", "ミサキ"),
    ("健太", "ケンタ"),
    ("陽菜", "ヒナ"),
];
const DEPARTMENTS: [&str; 4] = ["総務部", "経理部", "営業部", "製造部"];

fn masked(serial: usize) -> NumberShown {
    NumberShown::Masked(format!("**** **** {:04}", (serial * 7919) % 10_000))
}

fn verification(on: NaiveDate) -> Verification {
    Verification {
        number_document: NumberDocument::MyNumberCard,
        identity_documents: vec![IdentityDocument::MyNumberCard],
        method: VerificationMethod::InPerson,
        responsible: Responsibility::Employer,
        checked_by: "tanto01".into(),
        checked_on: on,
    }
}

/// The history that leads to `status`.
fn history(status: CollectionStatus) -> Vec<CollectionEvent> {
    let steps = [
        (
            CollectionStatus::Requested,
            date(2026, 4, 1),
            "入社時に依頼",
        ),
        (
            CollectionStatus::Collected,
            date(2026, 4, 8),
            "登録申請書を受領",
        ),
        (
            CollectionStatus::Verified,
            date(2026, 4, 8),
            "対面で本人確認",
        ),
    ];
    match status {
        CollectionStatus::NotRequested => Vec::new(),
        CollectionStatus::Refused => vec![
            CollectionEvent {
                status: CollectionStatus::Requested,
                on: date(2026, 4, 1),
                note: "入社時に依頼".into(),
            },
            CollectionEvent {
                status: CollectionStatus::Requested,
                on: date(2026, 5, 7),
                note: "再依頼（文書）".into(),
            },
            CollectionEvent {
                status: CollectionStatus::Refused,
                on: date(2026, 6, 2),
                note: "本人の意思により提供しない旨の申出".into(),
            },
        ],
        _ => steps
            .iter()
            .take_while(|(s, _, _)| *s != status)
            .chain(steps.iter().filter(|(s, _, _)| *s == status))
            .map(|(s, on, note)| CollectionEvent {
                status: *s,
                on: *on,
                note: (*note).into(),
            })
            .collect(),
    }
}

fn status_of(serial: usize) -> CollectionStatus {
    match serial % 10 {
        0 => CollectionStatus::NotRequested,
        1 | 2 => CollectionStatus::Requested,
        3 => CollectionStatus::Refused,
        4 | 5 => CollectionStatus::Collected,
        _ => CollectionStatus::Verified,
    }
}

fn person(kind: PersonKind, serial: usize, status: CollectionStatus) -> FormPerson {
    let (family, family_kana) = FAMILY_NAMES[serial % FAMILY_NAMES.len()];
    let (given, given_kana) = GIVEN_NAMES[serial % GIVEN_NAMES.len()];
    let verified = matches!(status, CollectionStatus::Verified);
    FormPerson {
        kind,
        code: (kind != PersonKind::Family).then(|| format!("{:05}", 10_000 + serial)),
        name: format!("{family}　{given}"),
        kana: format!("{family_kana}　{given_kana}"),
        birth_date: Some(date(
            1960 + (serial % 40) as i32,
            1 + (serial % 12) as u32,
            1 + (serial % 28) as u32,
        )),
        department: (kind == PersonKind::Employee)
            .then(|| DEPARTMENTS[serial % DEPARTMENTS.len()].to_string()),
        relation: None,
        dependant: None,
        collection: status,
        number: if matches!(
            status,
            CollectionStatus::Collected | CollectionStatus::Verified
        ) {
            masked(serial)
        } else {
            NumberShown::None
        },
        history: history(status),
        verifications: if verified {
            vec![verification(date(2026, 4, 8))]
        } else {
            Vec::new()
        },
        purposes: Some((
            date(2026, 4, 1),
            crate::model::DEFAULT_PURPOSES
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )),
    }
}

/// Household `serial`: an employee with a spouse and, for odd serials, a child.
pub fn household(serial: usize) -> Household {
    let status = status_of(serial);
    let employee = person(PersonKind::Employee, serial, status);
    let surname = employee
        .name
        .split('　')
        .next()
        .unwrap_or_default()
        .to_string();
    let surname_kana = employee
        .kana
        .split('　')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut family = Vec::new();
    let members: &[(&str, &str, &str, DependantType)] = if serial % 2 == 1 {
        &[
            ("配偶者", "花子", "ハナコ", DependantType::Spouse),
            ("長男", "一郎", "イチロウ", DependantType::Under16),
        ]
    } else {
        &[("配偶者", "美咲", "ミサキ", DependantType::Spouse)]
    };
    for (i, (relation, given, kana, dependant)) in members.iter().enumerate() {
        let mut p = person(PersonKind::Family, serial * 10 + i + 1, status);
        p.name = format!("{surname}　{given}");
        p.kana = format!("{surname_kana}　{kana}");
        p.relation = Some((*relation).into());
        p.dependant = Some(*dependant);
        family.push(p);
    }
    Household {
        person: employee,
        family,
    }
}

/// `n` households.
pub fn households(n: usize) -> Vec<Household> {
    (0..n).map(household).collect()
}

/// The checklist order for `n` people: each employee followed by their family.
pub fn checklist_people(n: usize) -> Vec<FormPerson> {
    let mut out = Vec::with_capacity(n);
    let mut serial = 0;
    while out.len() < n {
        let h = household(serial);
        out.push(h.person);
        out.extend(h.family);
        serial += 1;
    }
    out.truncate(n);
    out
}

pub fn seal() -> SealSheet {
    SealSheet {
        seq: 4821,
        entries: 4821,
        code: "4821-9F3A-77C0-1B2E".into(),
        head_at: "2026-11-26 10:29:58".into(),
        verified: "改ざんは見つかりませんでした（4,821件）".into(),
    }
}

pub fn audit_lines(n: usize) -> Vec<AuditLine> {
    const ACTIONS: [&str; 5] = [
        "login",
        "person.list",
        "person.view",
        "number.reveal",
        "logout",
    ];
    (1..=n as i64)
        .map(|i| AuditLine {
            seq: i,
            at: format!("2026-11-26 09:{:02}:{:02}", i / 60 % 60, i % 60),
            user: "tanto01".into(),
            pc: "総務PC-1".into(),
            action: ACTIONS[i as usize % ACTIONS.len()].into(),
            target: if i % 5 == 2 || i % 5 == 3 {
                format!("person:{}", 100 + i)
            } else {
                String::new()
            },
            outcome: "ok".into(),
            detail: String::new(),
        })
        .collect()
}

pub fn sessions() -> Vec<SessionLine> {
    (0..12)
        .map(|i| SessionLine {
            user: ["tanto01", "sekinin", "kansa"][i % 3].into(),
            department: DEPARTMENTS[i % 4].into(),
            pc: format!(
                "{}PC-{}",
                DEPARTMENTS[i % 4].trim_end_matches('部'),
                1 + i % 2
            ),
            from: format!("2026-11-{:02} 09:00", 10 + i),
            to: format!("2026-11-{:02} {:02}:{:02}", 10 + i, 9 + i % 3, 15 + i * 3),
            duration: format!("{}分", (i % 3) * 60 + 15 + i * 3),
            how_ended: ["ログアウト", "自動ロック後に終了", "ログアウト"][i % 3].into(),
        })
        .collect()
}

pub fn takeouts() -> Vec<TakeoutLine> {
    vec![
        TakeoutLine {
            id: 1,
            at: "2026-01-20 15:02".into(),
            user: "sekinin".into(),
            what: "CSV Kinko形式 UTF-8（BOM付き） 社員・家族".into(),
            people: 124,
            purpose: "年末調整（税理士事務所へ提出）".into(),
            destination: "USBメモリ（総務-02）".into(),
        },
        TakeoutLine {
            id: 2,
            at: "2026-07-03 11:40".into(),
            user: "tanto01".into(),
            what: "CSV 弥生給与 Shift_JIS 社員".into(),
            people: 3,
            purpose: "算定基礎届".into(),
            destination: "USBメモリ（総務-02）".into(),
        },
    ]
}

pub fn sanitize_sheet() -> SanitizeSheet {
    let row = |l: &str, v: &str| (l.to_string(), v.to_string());
    SanitizeSheet {
        certificate_id: "5f0c2a9e7d3b4c1a8e6f0b2d4c6a8e0f".into(),
        outcome: "消去済み（全領域を検証）".into(),
        level: "Clear（消去）".into(),
        rows: vec![
            row("媒体", "USBメモリ SanDisk Ultra Fit（シリアル 4C530001230823114095）"),
            row("容量", "32.02 GB（32,017,047,552 バイト、論理 512 / 物理 512 バイト）"),
            row("方式", "2回上書き（AES-256-CTR の鍵ストリーム、その補数）＋全領域の読み返し"),
            row("ツール", "Kinko 0.1.0（kinko-wipe）"),
            row("検証", "全領域（32,017,047,552 バイト）を読み返し、不一致 0 バイト"),
            row("書込み量・時間", "64,034,095,104 バイト、2時間41分（平均 28.3 MB/s）"),
            row("実施日時", "2026-11-26 10:30 〜 13:11"),
            row("乱数種のSHA-256", "9b1f…c04e"),
        ],
        limitations: vec!["フラッシュメモリの上書きは Clear です。ウェアレベリングで退避された領域は上書きで届かないため、Purge とは記載しません。".into()],
        exceptions: Vec::new(),
        fingerprint: "SHA256:3c9a1f0e5b7d2a4c6e8f0a1b3c5d7e9f".into(),
        operator: "sekinin".into(),
    }
}
