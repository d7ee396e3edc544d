//! The collection forms, rendered and read back with poppler (`pdftotext -layout`, `pdffonts`).

use kinko_domain::people::{
    CollectionEvent, CollectionStatus, DependantType, IdentityDocument, NumberDocument, PersonKind,
    Responsibility, VerificationMethod,
};
use kinko_forms::NumberShown;
use kinko_forms::collection::{application, checklist, notice, receipt, refusal};

use support::*;

/// Fictional people and firms, and reading a PDF back as text.
mod support {
    use std::path::PathBuf;
    use std::process::Command;

    use chrono::NaiveDate;
    use kinko_domain::people::{
        CollectionEvent, CollectionStatus, DependantType, IdentityDocument, NumberDocument,
        PersonKind, Responsibility, VerificationMethod,
    };
    use kinko_forms::{Firm, FormPerson, Household, Issue, NumberShown, Pdf, Verification};

    /// The full fictional number handed to forms that must not print it.
    pub const FULL: &str = "123456789018";

    pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub fn issue() -> Issue {
        Issue {
            firm: Firm {
                name: "株式会社サンプル商事".into(),
                corporate_number: Some("7000012050002".into()),
                address: Some("東京都千代田区丸の内一丁目1番1号".into()),
                representative: Some("代表取締役 佐藤 一郎".into()),
                phone: Some("03-1234-5678".into()),
            },
            created: date(2026, 11, 26).and_hms_opt(10, 30, 0).unwrap(),
            issued_by: "鈴木 花子".into(),
        }
    }

    pub fn masked() -> NumberShown {
        NumberShown::Masked("**** **** 9012".into())
    }

    pub fn full() -> NumberShown {
        NumberShown::Full(zeroize::Zeroizing::new(FULL.into()))
    }

    pub fn event(status: CollectionStatus, on: NaiveDate, note: &str) -> CollectionEvent {
        CollectionEvent {
            status,
            on,
            note: note.into(),
        }
    }

    pub fn verification(on: NaiveDate) -> Verification {
        Verification {
            number_document: NumberDocument::NotificationCard,
            identity_documents: vec![IdentityDocument::DriversLicence],
            method: VerificationMethod::InPerson,
            responsible: Responsibility::Employer,
            checked_by: "suzuki".into(),
            checked_on: on,
        }
    }

    pub fn employee(code: &str, name: &str, kana: &str) -> FormPerson {
        FormPerson {
            kind: PersonKind::Employee,
            code: Some(code.into()),
            name: name.into(),
            kana: kana.into(),
            birth_date: Some(date(1985, 4, 1)),
            department: Some("総務部".into()),
            relation: None,
            dependant: None,
            collection: CollectionStatus::Verified,
            number: masked(),
            history: vec![
                event(
                    CollectionStatus::Requested,
                    date(2026, 10, 1),
                    "申請書を配付",
                ),
                event(
                    CollectionStatus::Collected,
                    date(2026, 10, 20),
                    "窓口で受領",
                ),
            ],
            verifications: vec![verification(date(2026, 10, 20))],
            purposes: None,
        }
    }

    pub fn member(name: &str, kana: &str, relation: &str, dependant: DependantType) -> FormPerson {
        FormPerson {
            kind: PersonKind::Family,
            code: None,
            name: name.into(),
            kana: kana.into(),
            birth_date: Some(date(1987, 7, 7)),
            department: None,
            relation: Some(relation.into()),
            dependant: Some(dependant),
            collection: CollectionStatus::Requested,
            number: NumberShown::None,
            history: vec![event(CollectionStatus::Requested, date(2026, 10, 1), "")],
            verifications: Vec::new(),
            purposes: None,
        }
    }

    /// 山田 太郎 with his wife and son.
    pub fn yamada() -> Household {
        let mut hanako = member(
            "山田 花子",
            "ヤマダ ハナコ",
            "配偶者",
            DependantType::Spouse,
        );
        hanako.number = masked();
        hanako.collection = CollectionStatus::Collected;
        hanako
            .history
            .push(event(CollectionStatus::Collected, date(2026, 10, 22), ""));
        let ichiro = member(
            "山田 一郎",
            "ヤマダ イチロウ",
            "長男",
            DependantType::Under16,
        );
        Household {
            person: employee("E0001", "山田 太郎", "ヤマダ タロウ"),
            family: vec![hanako, ichiro],
        }
    }

    /// 山田's household with every number handed over in full.
    pub fn yamada_full() -> Household {
        let mut h = yamada();
        h.person.number = full();
        for f in &mut h.family {
            f.number = full();
        }
        h
    }

    /// A PDF written to a temporary directory and read back.
    pub struct Rendered {
        _dir: tempfile::TempDir,
        pub path: PathBuf,
        pub pages: usize,
        pub bytes: usize,
        /// `pdftotext -layout`, pages separated by form feeds.
        pub text: String,
    }

    impl Rendered {
        /// The text with all white space removed (split numbers join up again).
        pub fn squeezed(&self) -> String {
            self.text.chars().filter(|c| !c.is_whitespace()).collect()
        }

        pub fn count(&self, needle: &str) -> usize {
            self.text.matches(needle).count()
        }

        pub fn assert_has(&self, needles: &[&str]) {
            let squeezed = self.squeezed();
            for needle in needles {
                let n: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(
                    squeezed.contains(&n),
                    "missing {needle:?} in:\n{}",
                    self.text
                );
            }
        }

        /// No trace of the full number, however the text is split.
        pub fn assert_no_full_number(&self) {
            let squeezed = self.squeezed();
            assert!(!squeezed.contains(FULL), "full number printed");
            assert!(!squeezed.contains(&FULL[4..]), "8 digits printed");
            assert!(!squeezed.contains(&FULL[..8]), "8 digits printed");
        }

        pub fn fonts(&self) -> String {
            run("pdffonts", &[self.path.to_str().unwrap()])
        }
    }

    pub fn read(pdf: Result<Pdf, kinko_forms::FormError>) -> Rendered {
        let pdf = pdf.expect("form rendered");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("form.pdf");
        std::fs::write(&path, &*pdf.bytes).unwrap();
        keep_copy(&path);
        let text = run("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
        let rendered = Rendered {
            _dir: dir,
            pages: pdf.pages,
            bytes: pdf.bytes.len(),
            text,
            path,
        };
        assert_eq!(rendered.text.matches('\u{c}').count(), rendered.pages);
        rendered
    }

    /// With `KINKO_FORMS_KEEP=dir`, a copy of each PDF is kept there (named after the test)
    /// to look at.
    fn keep_copy(path: &std::path::Path) {
        static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        if let Some(dir) = std::env::var_os("KINKO_FORMS_KEEP") {
            let test = std::thread::current()
                .name()
                .unwrap_or("form")
                .replace("::", "-");
            let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let to = std::path::Path::new(&dir).join(format!("{test}-{n}.pdf"));
            std::fs::copy(path, to).unwrap();
        }
    }

    fn run(program: &str, args: &[&str]) -> String {
        let out = Command::new(program).args(args).output().expect(program);
        assert!(
            out.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

#[test]
fn application_is_prefilled_with_boxes_and_never_prints_a_number() {
    let form = read(application(&issue(), &[yamada_full()], &[]));
    assert_eq!(form.pages, 1);
    form.assert_has(&[
        "マイナンバー登録申請書",
        "株式会社サンプル商事 御中",
        "E0001",
        "山田 太郎",
        "ヤマダ タロウ",
        "総務部",
        "昭和60年4月1日",
        "山田 花子",
        "配偶者",
        "控除対象配偶者",
        "山田 一郎",
        "長男",
        "16歳未満",
        "個人番号の利用目的",
        "給与所得・退職所得の源泉徴収票作成事務",
        "番号確認書類",
        "マイナンバーカード（裏面）",
        "通知カード",
        "個人番号付きの住民票の写し",
        "身元確認書類",
        "マイナンバーカード（表面）",
        "運転免許証",
        "旅券",
        "令和 年 月 日",
        "署名",
        "1 / 1",
        "令和8年11月26日",
    ]);
    form.assert_no_full_number();
    assert!(!form.squeezed().contains("9012"), "no digit of a number");
    assert!(
        !form.text.contains("過去に本人確認"),
        "not a document to attach"
    );
}

#[test]
fn application_prints_the_firms_own_purposes() {
    let purposes = vec!["社内持株会の届出事務".to_string()];
    let form = read(application(&issue(), &[yamada()], &purposes));
    form.assert_has(&["社内持株会の届出事務"]);
    assert!(!form.text.contains("雇用保険届出事務"));
}

#[test]
fn application_for_a_large_family_continues_on_the_next_page() {
    let mut h = yamada();
    for i in 0..14 {
        let name = format!("山田 子{i}");
        h.family
            .push(member(&name, "ヤマダ コ", "子", DependantType::Dependant));
    }
    let form = read(application(&issue(), &[h], &[]));
    assert_eq!(form.pages, 2);
    form.assert_has(&[
        "1 / 2",
        "2 / 2",
        "山田 子0",
        "山田 子13",
        "（続き）",
        "署名",
    ]);
}

#[test]
fn each_household_starts_on_a_new_page() {
    let mut other = yamada();
    other.person.name = "田中 次郎".into();
    let form = read(application(&issue(), &[yamada(), other], &[]));
    assert_eq!(form.pages, 2);
    let second = form.text.split('\u{c}').nth(1).unwrap();
    assert!(second.contains("田中 次郎") && !second.contains("山田 太郎"));
}

#[test]
fn notice_masks_numbers_and_says_what_was_verified() {
    let mut h = yamada_full();
    h.person.purposes = Some((date(2026, 4, 1), vec!["雇用保険届出事務".into()]));
    let form = read(notice(&issue(), &[h]));
    form.assert_has(&[
        "マイナンバー確認通知書",
        "山田 太郎 様",
        "本人",
        "配偶者",
        "**** **** 9018",
        "令和8年10月20日",
        "対面",
        "通知カード",
        "運転免許証",
        "suzuki",
        "確認済",
        "依頼済",
        "雇用保険届出事務",
        "令和8年4月1日",
        "株式会社サンプル商事",
        "事務取扱担当者 鈴木 花子",
        "1 / 1",
    ]);
    form.assert_no_full_number();
}

#[test]
fn notice_shows_masked_numbers_and_unregistered() {
    let form = read(notice(&issue(), &[yamada()]));
    form.assert_has(&["**** **** 9012", "未登録", "未確認"]);
}

#[test]
fn checklist_masks_numbers_unless_revealed() {
    let people = [yamada_full().person, yamada_full().family[0].clone()];
    let form = read(checklist(&issue(), &people, false));
    form.assert_has(&["個人番号：マスク表示", "**** **** 9018"]);
    form.assert_no_full_number();

    let form = read(checklist(&issue(), &people, true));
    form.assert_has(&["個人番号：全桁表示（取扱注意）", FULL]);

    let masked_only = [yamada().person];
    let form = read(checklist(&issue(), &masked_only, true));
    form.assert_has(&["**** **** 9012"]);
}

#[test]
fn checklist_lists_family_under_their_employee_with_a_summary() {
    let h = yamada();
    let people: Vec<_> = std::iter::once(h.person).chain(h.family).collect();
    let form = read(checklist(&issue(), &people, false));
    form.assert_has(&[
        "マイナンバーチェックリスト",
        "E0001",
        "└ 山田 花子",
        "└ 山田 一郎",
        "社員",
        "長男",
        "確認済",
        "回収済",
        "集計",
        "合計",
        "3 名",
        "対象 3 名",
    ]);
    assert!(form.text.contains('済') && form.text.contains('未'));
}

#[test]
fn checklist_of_300_people_repeats_its_header_on_every_page() {
    let people: Vec<_> = (0..300)
        .map(|i| employee(&format!("E{i:04}"), &format!("社員 {i}"), "シャイン"))
        .collect();
    let form = read(checklist(&issue(), &people, false));
    assert!(form.pages >= 5, "{} pages", form.pages);
    assert_eq!(form.count("回収状況"), form.pages);
    assert_eq!(form.count("フリガナ"), form.pages);
    form.assert_has(&["E0000", "E0299", &format!("1 / {}", form.pages), "（続き）"]);
}

#[test]
fn checklist_of_10000_people_is_quick() {
    let people: Vec<_> = (0..10_000)
        .map(|i| employee(&format!("E{i:05}"), &format!("社員 {i}"), "シャイン"))
        .collect();
    let start = std::time::Instant::now();
    let pdf = checklist(&issue(), &people, false).unwrap();
    let took = start.elapsed();
    eprintln!(
        "10,000 rows: {} pages, {} bytes, {took:?}",
        pdf.pages,
        pdf.bytes.len()
    );
    // The 5 s budget is for a release build; a debug build is given more room.
    let budget = if cfg!(debug_assertions) { 15.0 } else { 5.0 };
    assert!(took.as_secs_f64() < budget, "{took:?}");
}

#[test]
fn receipt_lists_what_was_received_and_what_was_not() {
    let form = read(receipt(&issue(), &[yamada_full()]));
    form.assert_has(&[
        "マイナンバー受取確認書",
        "山田 太郎 様",
        "通知カード",
        "運転免許証",
        "令和8年10月20日",
        "令和8年10月22日",
        "suzuki",
        "未受領",
        "**** **** 9018",
        "受領者",
        "提出者",
        "株式会社サンプル商事",
    ]);
    form.assert_no_full_number();
}

#[test]
fn refusal_records_history_reason_and_confirmers() {
    let mut h = yamada_full();
    h.person.collection = CollectionStatus::Refused;
    h.person.history = vec![
        event(
            CollectionStatus::Requested,
            date(2026, 10, 1),
            "申請書を配付",
        ),
        event(
            CollectionStatus::Requested,
            date(2026, 10, 15),
            "口頭で再依頼",
        ),
        event(
            CollectionStatus::Refused,
            date(2026, 10, 30),
            "提出したくないとの申出",
        ),
    ];
    h.family[1].collection = CollectionStatus::Refused;
    let form = read(refusal(&issue(), &[h]));
    assert_eq!(form.pages, 2, "the employee and the son");
    form.assert_has(&[
        "マイナンバー提出拒否確認書",
        "山田 太郎",
        "経過",
        "令和8年10月1日",
        "口頭で再依頼",
        "提出拒否",
        "提出したくないとの申出",
        "番号法",
        "税務当局",
        "事務取扱担当者",
        "鈴木 花子",
        "確認者",
        "法人番号 7000012050002",
        "家族（長男）",
        // Each person's record is numbered on its own.
        "1 / 1",
    ]);
    assert!(!form.squeezed().contains("2/2"), "{}", form.text);
    form.assert_no_full_number();
}

#[test]
fn refusal_for_a_household_without_refusal_says_so() {
    let form = read(refusal(&issue(), &[yamada()]));
    assert_eq!(form.pages, 1);
    form.assert_has(&["拒否した方の記録はありません", "確認済", "依頼済"]);
}

#[test]
fn no_people_gives_a_page_saying_so() {
    let forms = [
        application(&issue(), &[], &[]),
        notice(&issue(), &[]),
        checklist(&issue(), &[], true),
        receipt(&issue(), &[]),
        refusal(&issue(), &[]),
    ];
    for pdf in forms {
        let form = read(pdf);
        assert_eq!(form.pages, 1);
        form.assert_has(&["対象者がいません"]);
    }
}

#[test]
fn odd_input_does_not_panic() {
    let mut h = yamada();
    h.person.name = "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末".repeat(3);
    h.person.kana = String::new();
    h.person.code = None;
    h.person.birth_date = None;
    h.person.history.clear();
    h.person.verifications.clear();
    h.person.collection = CollectionStatus::Refused;
    h.family[0].relation = Some(String::new());
    h.family[0].number = NumberShown::Masked("1234".into());
    let note = "長い経過の記録。".repeat(600);
    h.family[1].history = vec![CollectionEvent {
        status: CollectionStatus::Refused,
        on: date(2026, 11, 1),
        note,
    }];
    h.family[1].collection = CollectionStatus::Refused;
    h.person.kind = PersonKind::Payee;
    let households = [h];
    let people: Vec<_> = households[0].family.clone();
    for pdf in [
        application(
            &issue(),
            &households,
            &["".into(), "とても長い利用目的。".repeat(500)],
        ),
        notice(&issue(), &households),
        receipt(&issue(), &households),
        refusal(&issue(), &households),
        checklist(&issue(), &people, true),
    ] {
        read(pdf);
    }
}

#[test]
fn the_font_is_embedded_as_a_subset() {
    let form = read(notice(&issue(), &[yamada()]));
    let fonts = form.fonts();
    let row = fonts
        .lines()
        .find(|l| l.contains('+'))
        .unwrap_or_else(|| panic!("no subset font:\n{fonts}"));
    // name type… encoding emb sub uni object-ID: the type has spaces, so count from the end.
    let cols: Vec<&str> = row.split_whitespace().collect();
    let (emb, sub) = (cols[cols.len() - 5], cols[cols.len() - 4]);
    assert_eq!((emb, sub), ("yes", "yes"), "{fonts}");
    assert!(cols[0].contains("+IPAexGothic"), "{fonts}");
    assert_eq!(fonts.lines().count(), 3, "one font only: {fonts}");
}

#[test]
fn a_one_page_form_is_small() {
    for form in [
        read(application(&issue(), &[yamada()], &[])),
        read(notice(&issue(), &[yamada()])),
        read(receipt(&issue(), &[yamada()])),
    ] {
        assert_eq!(form.pages, 1);
        assert!(form.bytes <= 100 * 1024, "{} bytes", form.bytes);
        eprintln!("{}: {} bytes", form.path.display(), form.bytes);
    }
}

#[test]
fn verification_variants_are_labelled() {
    let mut h = yamada();
    h.person.verifications[0] = kinko_forms::Verification {
        number_document: NumberDocument::MyNumberCard,
        identity_documents: vec![IdentityDocument::MyNumberCard, IdentityDocument::Passport],
        method: VerificationMethod::Post,
        responsible: Responsibility::Employee,
        checked_by: "tanaka".into(),
        checked_on: date(2026, 11, 2),
    };
    let form = read(notice(&issue(), &[h]));
    form.assert_has(&[
        "郵送",
        "マイナンバーカード（裏面）",
        "旅券",
        "tanaka",
        "令和8年11月2日",
    ]);
}
