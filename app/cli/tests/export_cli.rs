//! The contract of `kinko export` and `kinko takeout list`, driven as a user or script would.

mod common;

use std::path::{Path, PathBuf};

use kinko_interop::{Encoding, Preset, decode, employees, family, read_table};
use kinko_vault::demo::sample_my_number;

use common::*;

const PURPOSE: &str = "年末調整のため給与ソフトへ";

impl Kinko {
    fn out_dir(&self) -> PathBuf {
        let dir = self.tmp.path().join("out");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
    fn employee(&self, code: &str, name: &str, kana: &str, serial: u64) {
        let number = sample_my_number(serial);
        assert_ok(&self.admin(&[
            "person",
            "add",
            "--code",
            code,
            "--name",
            name,
            "--kana",
            kana,
            "--dept",
            "営業部",
            "--birth",
            "1980-05-17",
            "--number",
            number.expose_digits(),
        ]));
    }

    fn populate(&self) {
        self.employee("0001", "山田 太郎", "ヤマダ タロウ", 1);
        self.employee("0002", "髙橋 花子", "タカハシ ハナコ", 2);
        let number = sample_my_number(3);
        assert_ok(&self.admin(&[
            "family",
            "add",
            "--employee",
            "0001",
            "--relation",
            "配偶者",
            "--name",
            "山田 花",
            "--kana",
            "ヤマダ ハナ",
            "--number",
            number.expose_digits(),
        ]));
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn export_writes_the_employee_file_and_the_family_file_next_to_it() {
    let k = Kinko::init();
    k.populate();
    let dir = k.out_dir();
    let out = dir.join("numbers.csv");
    let o = k.admin(&[
        "export",
        out.to_str().unwrap(),
        "--purpose",
        PURPOSE,
        "--json",
    ]);
    assert_ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["people"], 3);
    assert_eq!(v["files"][0]["kind"], "employees");
    assert_eq!(v["files"][1]["kind"], "family");
    assert_eq!(files_in(&dir), ["numbers-family.csv", "numbers.csv"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the owner may read it: {mode:o}");
    }

    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM by default"
    );
    let decoded = decode(&bytes).unwrap();
    let table = read_table(decoded.text()).unwrap();
    let rows = employees(&table, &Preset::Kinko.employees()).unwrap();
    assert!(rows.errors.is_empty());
    let rows: Vec<_> = rows.rows.into_iter().map(|(_, r)| r).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].code, "0001");
    assert_eq!(rows[1].name, "髙橋\u{3000}花子");
    assert_eq!(rows[1].department.as_deref(), Some("営業部"));
    assert_eq!(rows[1].number, Some(sample_my_number(2)));

    let bytes = std::fs::read(dir.join("numbers-family.csv")).unwrap();
    let decoded = decode(&bytes).unwrap();
    let table = read_table(decoded.text()).unwrap();
    let members = family(&table, &Preset::Kinko.family()).unwrap();
    assert_eq!(members.rows.len(), 1);
    assert_eq!(members.rows[0].1.employee_code, "0001");
    assert_eq!(members.rows[0].1.number, Some(sample_my_number(3)));

    // The register holds the export, with the purpose and where it went.
    let v: serde_json::Value =
        serde_json::from_slice(&k.admin(&["takeout", "list", "--json"]).stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["user"], "admin");
    assert_eq!(rows[0]["people"], 3);
    assert_eq!(rows[0]["purpose"], PURPOSE);
    assert!(
        rows[0]["destination"]
            .as_str()
            .unwrap()
            .ends_with("numbers.csv"),
        "{}",
        rows[0]["destination"]
    );
    let o = k.admin(&["takeout", "list"]);
    assert_ok(&o);
    let listing = text(&o.stdout);
    assert!(
        listing.contains(PURPOSE) && listing.contains("3人"),
        "{listing}"
    );
}

#[test]
fn cp932_and_a_preset_and_payees() {
    let k = Kinko::init();
    k.populate();
    let dir = k.out_dir();
    let out = dir.join("yayoi.csv");
    let o = k.admin(&[
        "export",
        out.to_str().unwrap(),
        "--purpose",
        PURPOSE,
        "--encoding",
        "cp932",
        "--preset",
        "yayoi",
        "--kind",
        "employees",
    ]);
    assert_ok(&o);
    assert_eq!(files_in(&dir), ["yayoi.csv"]);
    let bytes = std::fs::read(&out).unwrap();
    let decoded = decode(&bytes).unwrap();
    assert_eq!(decoded.encoding(), Encoding::Cp932);
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
    let cow = decoded.text();
    assert!(cow.starts_with("従業員コード,"), "{cow}");
    assert!(
        cow.contains("髙橋"),
        "髙 is in CP932 (NEC selected IBM extension)"
    );
    let table = read_table(decoded.text()).unwrap();
    let rows = employees(&table, &Preset::Yayoi.employees()).unwrap();
    assert_eq!(rows.rows.len(), 2);

    let o = k.admin(&[
        "export",
        dir.join("all.csv").to_str().unwrap(),
        "--purpose",
        PURPOSE,
        "--kind",
        "family",
        "--kind",
        "payees",
        "--destination",
        "USBメモリ KINKO-EXPORT-01",
    ]);
    assert_ok(&o);
    assert_eq!(files_in(&dir), ["all-payees.csv", "all.csv", "yayoi.csv"]);
    let v: serde_json::Value =
        serde_json::from_slice(&k.admin(&["takeout", "list", "--json"]).stdout).unwrap();
    assert_eq!(v[1]["destination"], "USBメモリ KINKO-EXPORT-01");
    assert_eq!(v[1]["people"], 1);
}

#[test]
fn a_failed_export_leaves_no_file_and_no_register_row() {
    let k = Kinko::init();
    k.populate();
    k.employee("0003", "𠮷田 一", "ヨシダ ハジメ", 4);
    let dir = k.out_dir();
    let out = dir.join("numbers.csv");
    let o = k.admin(&[
        "export",
        out.to_str().unwrap(),
        "--purpose",
        PURPOSE,
        "--encoding",
        "cp932",
    ]);
    assert_fails_with(&o, "3件目のデータ「氏名」の「𠮷」");
    assert!(files_in(&dir).is_empty(), "{:?}", files_in(&dir));

    let o = k.admin(&["export", out.to_str().unwrap()]);
    assert_fails_with(&o, "持出しの目的を入力してください");
    assert!(files_in(&dir).is_empty());

    let v: serde_json::Value =
        serde_json::from_slice(&k.admin(&["takeout", "list", "--json"]).stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 0);

    // With a stated replacement the same export goes through.
    let o = k.admin(&[
        "export",
        out.to_str().unwrap(),
        "--purpose",
        PURPOSE,
        "--encoding",
        "cp932",
        "--replace",
        "〓",
    ]);
    assert_ok(&o);
    let bytes = std::fs::read(&out).unwrap();
    let decoded = decode(&bytes).unwrap();
    assert_eq!(decoded.encoding(), Encoding::Cp932);
    assert!(decoded.text().contains("〓田"), "{}", decoded.text());

    let o = k.admin(&[
        "export",
        out.to_str().unwrap(),
        "--purpose",
        PURPOSE,
        "--encoding",
        "latin1",
    ]);
    assert_fails_with(&o, "文字コード「latin1」は使えません");
}
