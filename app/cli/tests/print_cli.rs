//! The contract of `kinko print`, `kinko company` and `kinko init --company/--recovery-sheet`,
//! driven as a user or script would: real processes on a real vault directory.

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use kinko_vault::demo::{sample_corporate_number, sample_my_number};

use common::*;

const INITIAL: &str = "Anfangs-Passwort-2026";
const CHOSEN: &str = "Gewaehltes-Passwort-2026";

impl Kinko {
    /// `user add NAME ARGS…`, then the user's first password change.
    fn add_user(&self, name: &str, args: &[&str]) {
        let mut all = vec!["user", "add", name];
        all.extend_from_slice(args);
        assert_ok(&self.as_user("admin", PASSWORD, &all, &format!("{INITIAL}\n")));
        assert_ok(&self.run(
            &["--user", name, "--password-stdin", "passwd"],
            &format!("{INITIAL}\n{CHOSEN}\n"),
        ));
    }

    fn user(&self, name: &str, args: &[&str]) -> Output {
        self.as_user(name, CHOSEN, args, "")
    }

    /// `audit list --action ACTION --json` as the administrator.
    fn audit(&self, action: &str) -> Vec<Value> {
        self.admin_json(&["audit", "list", "--action", action])
            .as_array()
            .unwrap()
            .clone()
    }

    /// Two employees in two departments (one with a spouse) and a corporate payee.
    fn populate(&self) {
        for (code, name, dept, serial) in [
            ("0001", "山田 太郎", "営業部", 1),
            ("0002", "佐藤 次郎", "総務部", 2),
        ] {
            let number = sample_my_number(serial);
            assert_ok(&self.admin(&[
                "person",
                "add",
                "--code",
                code,
                "--name",
                name,
                "--kana",
                "ヤマダ タロウ",
                "--dept",
                dept,
                "--number",
                number.expose_digits(),
            ]));
        }
        let spouse = sample_my_number(3);
        assert_ok(&self.admin(&[
            "family",
            "add",
            "--employee",
            "0001",
            "--relation",
            "配偶者",
            "--name",
            "山田 花子",
            "--kana",
            "ヤマダ ハナコ",
            "--number",
            spouse.expose_digits(),
        ]));
        let corp = sample_corporate_number(4);
        assert_ok(&self.admin(&[
            "person",
            "add-payee",
            "--code",
            "P001",
            "--name",
            "株式会社 取引先",
            "--kana",
            "トリヒキサキ",
            "--corporate",
            "--number",
            corp.expose_digits(),
        ]));
    }
}

/// A finished PDF, private to its owner, with no temporary file left beside it.
#[track_caller]
fn assert_private_pdf(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ---------------------------------------------------------------------------------------------

#[test]
fn company_is_set_shown_and_kept_field_by_field() {
    let k = Kinko::init();
    let shown = k.admin(&["company", "show"]);
    assert_ok(&shown);
    assert!(
        stdout(&shown).contains("（会社名未設定）"),
        "{}",
        stdout(&shown)
    );
    let corp = sample_corporate_number(7);
    assert_ok(&k.admin(&[
        "company",
        "set",
        "--name",
        " 株式会社　金庫商事 ",
        "--corporate-number",
        corp.expose_digits(),
        "--address",
        "東京都千代田区1-1",
        "--phone",
        "03-1234-5678",
    ]));
    // Only the name given again: the rest stays; an empty value clears.
    assert_ok(&k.admin(&[
        "company",
        "set",
        "--name",
        "株式会社 金庫商事",
        "--phone",
        "",
    ]));
    let c = k.admin_json(&["company", "show"]);
    assert_eq!(c["name"], "株式会社 金庫商事");
    assert_eq!(c["corporate_number"], corp.expose_digits());
    assert_eq!(c["address"], "東京都千代田区1-1");
    assert_eq!(c["phone"], Value::Null);
    let text = stdout(&k.admin(&["company", "show"]));
    assert!(text.contains("会社名: 株式会社 金庫商事"), "{text}");

    // Bad input is named; nothing changes.
    assert_fails_with(
        &k.admin(&[
            "company",
            "set",
            "--name",
            "X",
            "--corporate-number",
            "1234567890123",
        ]),
        "法人番号",
    );
    let long = "あ".repeat(101);
    assert_fails_with(
        &k.admin(&["company", "set", "--name", "X", "--address", &long]),
        "住所は100文字まで",
    );
    assert_eq!(
        k.admin_json(&["company", "show"])["name"],
        "株式会社 金庫商事"
    );

    // The log says which fields, never their text.
    let entries = k.audit("settings.company");
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries.iter().all(|e| e["result"] == "ok"));
    assert_eq!(entries[1]["detail"], "fields=name,corporate_number,address");

    // A clerk may read it but not change it.
    k.add_user("clerk1", &["--role", "clerk"]);
    assert_ok(&k.user("clerk1", &["company", "show"]));
    assert_fails_with(
        &k.user("clerk1", &["company", "set", "--name", "乗っ取り"]),
        "権限",
    );
    let entries = k.audit("settings.company");
    assert_eq!(entries.last().unwrap()["result"], "denied");
}

#[test]
fn init_sets_the_company_and_saves_the_recovery_sheet() {
    let tmp_sheet = tempfile::tempdir().unwrap();
    let sheet = tmp_sheet.path().join("recovery.pdf");
    let corp = sample_corporate_number(8);
    let (k, out) = Kinko::init_with(&[
        "--json",
        "--company",
        "株式会社 初期設定",
        "--corporate-number",
        corp.expose_digits(),
        "--recovery-sheet",
        sheet.to_str().unwrap(),
    ]);
    let created = json(&out);
    let code = created["recovery_code"].as_str().unwrap().to_owned();
    assert_eq!(created["recovery_sheet"], sheet.to_str().unwrap());
    assert_private_pdf(&sheet);
    let c = k.admin_json(&["company", "show"]);
    assert_eq!(c["name"], "株式会社 初期設定");
    assert_eq!(c["corporate_number"], corp.expose_digits());
    // The code is nowhere in the log.
    let log = stdout(&k.admin(&["--json", "audit", "list"]));
    assert!(!log.contains(&code));
    assert!(!log.contains(&code.replace('-', "")));

    // Bad company input is refused before any vault exists.
    let (k, out) = Kinko::init_with(&["--corporate-number", corp.expose_digits()]);
    assert_fails_with(&out, "--company");
    assert!(!k.vault.join("kinko.sqlite3").exists());
    let (k, out) = Kinko::init_with(&["--company", "X", "--corporate-number", "1"]);
    assert_fails_with(&out, "法人番号");
    assert!(!k.vault.join("kinko.sqlite3").exists());
}

#[test]
fn the_checklist_is_saved_as_a_private_pdf_and_logged() {
    let k = Kinko::init();
    k.populate();
    let out_path = k.path("checklist.pdf");
    let out = k.admin(&["print", "checklist", "--out", out_path.to_str().unwrap()]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("保存しました: マイナンバーチェックリスト"),
        "{}",
        stdout(&out)
    );
    assert_private_pdf(&out_path);
    let saved = k.audit("form.save");
    assert_eq!(saved.len(), 1);
    let detail = saved[0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("form=checklist copies=1 numbers=masked people="),
        "{detail}"
    );
    for text in ["山田", "0001", "P001"] {
        assert!(!detail.contains(text), "{detail}");
    }

    // JSON, and a per-person form by code (the family follows).
    let notice = k.path("notice.pdf");
    let printed = k.admin_json(&[
        "print",
        "notice",
        "--person",
        "0001",
        "--person",
        "P001",
        "--out",
        notice.to_str().unwrap(),
    ]);
    assert_eq!(printed["form"], "notice");
    assert_eq!(printed["people"], 3);
    assert!(printed["pages"].as_u64().unwrap() >= 1);
    assert_private_pdf(&notice);
}

#[test]
fn revealing_without_the_permission_is_refused_and_logged() {
    let k = Kinko::init();
    k.populate();
    // May print and see people, but not reveal numbers.
    k.add_user(
        "printer1",
        &[
            "--role",
            "auditor",
            "--grant",
            "print",
            "--grant",
            "view_person",
        ],
    );
    let out_path = k.path("revealed.pdf");
    let out = k.user(
        "printer1",
        &[
            "print",
            "checklist",
            "--reveal",
            "--out",
            out_path.to_str().unwrap(),
        ],
    );
    assert_fails_with(&out, "権限");
    assert!(!out_path.exists());
    let saved = k.audit("form.save");
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["result"], "denied");
    assert_eq!(
        saved[0]["detail"],
        "form=checklist permission=reveal_number"
    );
    // Masked, the same user may.
    assert_ok(&k.user(
        "printer1",
        &["print", "checklist", "--out", out_path.to_str().unwrap()],
    ));

    // An administrator's revealed checklist is logged as a reveal too.
    let revealed = k.path("admin-revealed.pdf");
    assert_ok(&k.admin(&[
        "print",
        "checklist",
        "--reveal",
        "--out",
        revealed.to_str().unwrap(),
    ]));
    let reveals = k.audit("number.reveal");
    assert_eq!(reveals.len(), 1);
    assert!(
        reveals[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("form=checklist people=")
    );
}

#[test]
fn an_unknown_form_names_the_valid_ones() {
    let k = Kinko::init();
    let out = k.admin(&["print", "payslip"]);
    assert_fails_with(&out, "「payslip」");
    let err = stderr(&out);
    for name in [
        "application",
        "notice",
        "checklist",
        "receipt",
        "refusal",
        "audit-seal",
        "audit-log",
        "sessions",
        "takeouts",
    ] {
        assert!(err.contains(name), "{err}");
    }
}

#[test]
fn an_unknown_or_out_of_scope_code_is_the_same_clear_error() {
    let k = Kinko::init();
    k.populate();
    let pdf = k.path("x.pdf");
    let pdf = pdf.to_str().unwrap();
    let unknown = k.admin(&["print", "notice", "--person", "9999", "--out", pdf]);
    assert_fails_with(&unknown, "コード「9999」の人は見つかりません");
    k.add_user("sales1", &["--role", "clerk", "--scope-dept", "営業部"]);
    let hidden = k.user(
        "sales1",
        &["print", "notice", "--person", "0002", "--out", pdf],
    );
    assert_fails_with(&hidden, "コード「0002」の人は見つかりません");
    let missing = k.user(
        "sales1",
        &["print", "notice", "--person", "9999", "--out", pdf],
    );
    assert_eq!(
        stderr(&hidden).replace("0002", "CODE"),
        stderr(&missing).replace("9999", "CODE")
    );
    assert!(!Path::new(pdf).exists());
    // A per-person form needs someone; a record form takes no one.
    assert_fails_with(&k.admin(&["print", "receipt", "--out", pdf]), "選んで");
    assert_fails_with(
        &k.admin(&["print", "sessions", "--person", "0001", "--out", pdf]),
        "--person",
    );
}

#[test]
fn records_print_for_those_who_read_the_log() {
    let k = Kinko::init();
    let seal = k.path("seal.pdf");
    assert_ok(&k.admin(&["print", "audit-seal", "--out", seal.to_str().unwrap()]));
    assert_private_pdf(&seal);
    let extract = k.path("log.pdf");
    assert_ok(&k.admin(&[
        "print",
        "audit-log",
        "--action",
        "form",
        "--since",
        "2020-01-01",
        "--out",
        extract.to_str().unwrap(),
    ]));
    assert_private_pdf(&extract);
    k.add_user("clerk1", &["--role", "clerk"]);
    assert_fails_with(
        &k.user(
            "clerk1",
            &["print", "sessions", "--out", seal.to_str().unwrap()],
        ),
        "権限",
    );
    let saved = k.audit("form.save");
    assert_eq!(
        saved.last().unwrap()["detail"],
        "form=sessions permission=read_audit"
    );
}

#[test]
fn a_print_that_cups_refuses_is_logged_as_an_error() {
    let k = Kinko::init();
    let out = k.run_env(
        &["--user", "admin", "--password-stdin", "print", "takeouts"],
        &format!("{PASSWORD}\n"),
        &[("CUPS_SERVER", "/nonexistent/kinko-test/cups.sock")],
    );
    assert!(!out.status.success(), "{}", stdout(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    let printed = k.audit("form.print");
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0]["result"], "error");
    // A bad queue name never reaches lp.
    let out = k.admin(&["print", "takeouts", "--printer=-oops"]);
    assert_fails_with(&out, "プリンター名");
    // Copies only for printing, within bounds.
    assert_fails_with(&k.admin(&["print", "takeouts", "--copies", "21"]), "部数");
}

/// `pdftotext -layout` of a PDF's bytes, white space removed.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (apt install poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn a_checklist_printed_through_a_real_cups_server_arrives_and_is_logged() {
    let cups = kinko_e2e::cups::CupsServer::start();
    let k = Kinko::init();
    k.populate();
    let socket = cups.socket();
    let env = [("CUPS_SERVER", socket.to_str().unwrap())];
    let print = |args: &[&str]| {
        let mut all = vec!["--user", "admin", "--password-stdin", "print"];
        all.extend_from_slice(args);
        k.run_env(&all, &format!("{PASSWORD}\n"), &env)
    };
    assert_ok(&print(&[
        "checklist",
        "--printer",
        &cups.queue,
        "--copies",
        "2",
    ]));
    // The server's default queue, without naming it.
    assert_ok(&print(&["notice", "--person", "0001"]));

    let jobs = cups.job_documents();
    assert_eq!(
        jobs.len(),
        2,
        "jobs in the spool; cupsd log:\n{}",
        cups.log()
    );
    assert!(jobs.iter().all(|j| j.starts_with(b"%PDF")));
    assert_eq!(cups.job_copies(), [Some(2), Some(1)]);
    let checklist = pdf_text(&jobs[0]);
    for s in [
        "マイナンバーチェックリスト",
        "山田太郎",
        "山田花子",
        "佐藤次郎",
        "個人番号：マスク表示",
    ] {
        assert!(checklist.contains(s), "{s} missing in {checklist}");
    }
    let notice = pdf_text(&jobs[1]);
    assert!(notice.contains("マイナンバー確認通知書") && notice.contains("山田太郎"));
    // What went to the printer carries no number in full, in any spacing.
    for serial in 1..=3 {
        let digits = sample_my_number(serial).expose_digits().to_string();
        for job in [&checklist, &notice] {
            assert!(!job.contains(&digits) && !job.contains(&digits[..8]));
        }
        // Masked numbers end in their last four digits (the notice is 山田's household only).
        assert!(
            checklist.contains(&format!("****{}", &digits[8..])),
            "{checklist}"
        );
        if serial != 2 {
            assert!(
                notice.contains(&format!("****{}", &digits[8..])),
                "{notice}"
            );
        }
    }

    let printed = k.audit("form.print");
    assert_eq!(printed.len(), 2, "{printed:?}");
    assert!(printed.iter().all(|e| e["result"] == "ok"));
    let details: Vec<&str> = printed
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.starts_with("form=checklist copies=2 numbers=masked")),
        "{details:?}"
    );
    assert!(
        details
            .iter()
            .any(|d| d.starts_with("form=notice copies=1")),
        "{details:?}"
    );
}
