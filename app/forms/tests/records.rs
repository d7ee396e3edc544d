//! The records read back with poppler: the text is there, the font is embedded and subset, and
//! long registers run over pages with their header repeated.

use std::path::Path;
use std::process::Command;

use chrono::{NaiveDate, NaiveDateTime};
use kinko_forms::records::{
    audit_extract, audit_seal, destruction_record, recovery_sheet, sanitize_certificate,
    sessions_report, takeout_register,
};
use kinko_forms::samples;
use kinko_forms::{AuditLine, Firm, Issue, Pdf, SealSheet, SessionLine, TakeoutLine};

fn created() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 26)
        .unwrap()
        .and_hms_opt(14, 5, 0)
        .unwrap()
}

fn issue() -> Issue {
    Issue {
        firm: Firm {
            name: "株式会社金庫商事".into(),
            ..Firm::default()
        },
        created: created(),
        issued_by: "sekinin".into(),
    }
}

fn poppler(tool: &str, pdf: &Pdf, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, &*pdf.bytes).unwrap();
    let out = Command::new(tool)
        .args(extra)
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn text(pdf: &Pdf) -> String {
    poppler("pdftotext", pdf, &["-layout"])
}

/// Whether `text` holds `s`, ignoring white space (pdftotext spaces text as laid out and
/// wraps table cells).
fn has(text: &str, s: &str) -> bool {
    let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squash(text).contains(&squash(s))
}

fn fonts(pdf: &Pdf) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path: &Path = &dir.path().join("f.pdf");
    std::fs::write(path, &*pdf.bytes).unwrap();
    let out = Command::new("pdffonts").arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn assert_subset_font(pdf: &Pdf) {
    let fonts = fonts(pdf);
    let line = fonts
        .lines()
        .find(|l| l.contains("IPAexGothic"))
        .unwrap_or_else(|| panic!("{fonts}"));
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert!(cols[0].contains('+'), "not subset: {line}");
    assert_eq!(
        &cols[cols.len() - 5..cols.len() - 2],
        ["yes", "yes", "yes"],
        "{line}"
    );
}

#[test]
fn recovery_sheet_carries_the_code_and_the_instructions() {
    let code = "KQ7M-3XDA-9PLW-T2HC-88NE-VF4R";
    let pdf = recovery_sheet(&issue().firm, created(), "admin", code).unwrap();
    let t = text(&pdf);
    for s in [
        "復旧コード（リカバリーコード）",
        "株式会社金庫商事",
        "管理者アカウント：admin",
        code,
        "金庫で保管",
        "令和8年11月26日",
        "1 / 1",
    ] {
        assert!(has(&t, s), "{s} missing in\n{t}");
    }
    assert_subset_font(&pdf);
    assert!(pdf.bytes.len() < 100_000, "{}", pdf.bytes.len());
}

#[test]
fn audit_seal_prints_the_head_and_the_code() {
    let seal = SealSheet {
        seq: 4821,
        entries: 4821,
        code: "4821-9F3A-77C0-1B2E".into(),
        head_at: "2026-11-26 14:04:59".into(),
        verified: "改ざんは見つかりませんでした".into(),
    };
    let t = text(&audit_seal(&issue(), &seal).unwrap());
    for s in [
        "操作履歴の封印記録",
        "4821-9F3A-77C0-1B2E",
        "4821 件",
        "改ざんは見つかりませんでした",
        "事務取扱責任者",
    ] {
        assert!(has(&t, s), "{s} missing in\n{t}");
    }
}

#[test]
fn a_long_audit_extract_repeats_its_header_on_every_page() {
    let lines: Vec<AuditLine> = (1..=400)
        .map(|i| AuditLine {
            seq: i,
            at: format!("2026-11-26 09:{:02}:{:02}", i / 60 % 60, i % 60),
            user: "tanto01".into(),
            pc: "経理PC-1".into(),
            action: "person.view".into(),
            target: format!("person:{i}"),
            outcome: "ok".into(),
            detail: String::new(),
        })
        .collect();
    let pdf = audit_extract(&issue(), "2026年11月 全件", &lines).unwrap();
    assert!(pdf.pages >= 5, "{} pages", pdf.pages);
    let t = text(&pdf);
    let headers = t
        .lines()
        .filter(|l| l.contains("番号") && l.contains("ユーザー") && l.contains("詳細"))
        .count();
    assert_eq!(headers, pdf.pages, "the header is repeated on every page");
    assert!(t.contains("person:400") && t.contains("抽出条件：2026年11月 全件"));
    assert!(has(&t, &format!("{} / {}", pdf.pages, pdf.pages)));
    assert!(t.contains("操作履歴（続き）"));
}

#[test]
fn sessions_and_takeouts_list_their_rows() {
    let sessions = [SessionLine {
        user: "tanto01".into(),
        department: "総務部".into(),
        pc: "総務PC".into(),
        from: "2026-11-26 09:00".into(),
        to: "2026-11-26 09:42".into(),
        duration: "42分".into(),
        how_ended: "ログアウト".into(),
    }];
    let t = text(&sessions_report(&issue(), &sessions).unwrap());
    for s in [
        "利用状況報告（セッション）",
        "総務部",
        "総務PC",
        "42分",
        "ログアウト",
        "件数：1 件",
    ] {
        assert!(has(&t, s), "{s} missing in\n{t}");
    }
    let takeouts = [TakeoutLine {
        id: 3,
        at: "2026-11-26 10:15".into(),
        user: "sekinin".into(),
        what: "CSV Kinko形式 社員・家族".into(),
        people: 42,
        purpose: "年末調整（税理士へ提出）".into(),
        destination: "USBメモリ（総務-02）".into(),
    }];
    let t = text(&takeout_register(&issue(), &takeouts).unwrap());
    for s in [
        "持出し記録",
        "年末調整（税理士へ",
        "USBメモリ（総務-02）",
        "42",
    ] {
        assert!(has(&t, s), "{s} missing in\n{t}");
    }
    let t = text(&takeout_register(&issue(), &[]).unwrap());
    assert!(t.contains("該当する記録はありません。"));
}

#[test]
fn sanitize_certificate_carries_the_nist_fields_and_the_fingerprint() {
    let sheet = samples::sanitize_sheet();
    let pdf = sanitize_certificate(&issue(), &sheet).unwrap();
    let t = text(&pdf);
    for s in [
        "データ消去証明書",
        "消去済み（全領域を検証）",
        "Clear（消去）",
        "水準（NIST SP 800-88）",
        "Purge とは記載しません",
        &sheet.fingerprint,
        &sheet.certificate_id,
        "作業者",
    ] {
        assert!(has(&t, s), "{s} missing in\n{t}");
    }
    let mut many = sheet.clone();
    many.exceptions = (0..120)
        .map(|i| format!("オフセット {} から 65,536 バイト: 書込みエラー", i * 65_536))
        .collect();
    let pdf = sanitize_certificate(&issue(), &many).unwrap();
    assert!(pdf.pages >= 2, "a long list of exceptions runs over");
    assert!(has(&text(&pdf), "オフセット 7798784 から"));
}

#[test]
fn destruction_record_is_titled_as_such_and_keeps_the_statement_fields() {
    let mut sheet = samples::sanitize_sheet();
    sheet.level = "鍵階層の破棄と全ファイルの上書き・読み戻し".into();
    sheet.rows = vec![("保有していた件数".into(), "社員 5、個人番号 5".into())];
    let t = text(&destruction_record(&issue(), &sheet).unwrap());
    for s in [
        "全削除記録（特定個人情報の削除・廃棄）",
        "記録番号",
        "方法",
        "鍵階層の破棄と全ファイルの上書き・読み戻し",
        "社員 5、個人番号 5",
        "署名付きの削除記録（JSON）の写し",
        &sheet.fingerprint,
    ] {
        assert!(has(&t, s), "{s} missing in\n{t}");
    }
    assert!(!has(&t, "データ消去証明書"));
}
