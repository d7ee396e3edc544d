//! The `kinko` command's contract, driven as a user or script would: real processes, a real
//! vault directory, passwords on standard input.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

fn run_in(vault: &Path, args: &[&str], stdin: &str) -> Output {
    common::run(vault, args, stdin, &[])
}

#[test]
fn init_shows_a_recovery_code_once_and_refuses_a_second_vault() {
    let (k, code) = Kinko::init_with_recovery_code();
    assert_eq!(code.len(), 29, "five groups of five: {code}");
    let again = k.run(&["init", "--admin", "admin", "--password-stdin"], PASSWORD);
    assert_fails_with(&again, "すでに金庫があります");
    let check = k.run(&["check"], "");
    assert_ok(&check);
    assert!(stdout(&check).contains("整合性検査に合格"));
}

#[test]
fn weak_kdf_parameters_are_refused_at_init() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(
        &tmp.path().join("v"),
        &[
            "init",
            "--admin",
            "a",
            "--password-stdin",
            "--kdf-memory-mib",
            "1",
        ],
        PASSWORD,
    );
    assert_fails_with(&out, "鍵導出のパラメータ");
    assert!(!tmp.path().join("v").join("kinko.sqlite3").exists());
}

#[test]
fn people_family_and_numbers_round_trip_with_masking() {
    let (k, _) = Kinko::init_with_recovery_code();
    let add = k.admin(&[
        "person",
        "add",
        "--code",
        "0012",
        "--name",
        "山田 太郎",
        "--kana",
        "やまだ たろう",
        "--birth",
        "昭和55年4月1日",
        "--dept",
        "総務部",
        "--number",
        "１２３４-５６７８-９０１８",
    ]);
    assert_ok(&add);
    assert!(stdout(&add).contains("社員コード 0012"));
    assert_ok(&k.admin(&[
        "family",
        "add",
        "--employee",
        "0012",
        "--relation",
        "配偶者",
        "--name",
        "山田 花子",
        "--kana",
        "ﾔﾏﾀﾞ ﾊﾅｺ",
        "--birth",
        "S57.5.5",
        "--dependant",
        "控除対象配偶者",
    ]));
    // The spouse's number arrives later, through standard input so it stays out of `ps`.
    assert_ok(&k.admin(&[
        "person",
        "add",
        "--code",
        "0013",
        "--name",
        "佐藤 次郎",
        "--kana",
        "サトウ ジロウ",
    ]));
    assert_ok(&k.admin_with(&["number", "set", "0013", "-"], "621498320257\n"));

    let shown = json(&k.admin(&["--json", "person", "show", "0012"]));
    assert_eq!(shown["name"], "山田\u{3000}太郎");
    assert_eq!(shown["kana"], "ヤマダ\u{3000}タロウ");
    assert_eq!(shown["birth_date"], "1980-04-01");
    assert_eq!(shown["department"], "総務部");
    assert_eq!(shown["number"], "**** **** 9018");
    assert_eq!(shown["collection"], "collected");
    assert_eq!(shown["family"][0]["kana"], "ヤマダ\u{3000}ハナコ");
    assert_eq!(shown["family"][0]["birth_date"], "1982-05-05");
    assert_eq!(shown["family"][0]["number"], serde_json::Value::Null);

    let text = stdout(&k.admin(&["person", "show", "0012"]));
    assert!(
        text.contains("**** **** 9018") && !text.contains("123456789018"),
        "{text}"
    );
    assert!(text.contains("昭和55年4月1日"), "{text}");
    let revealed = json(&k.admin(&["--json", "person", "show", "0012", "--reveal"]));
    assert_eq!(revealed["number"], "1234 5678 9018");

    let list = json(&k.admin(&["--json", "person", "list"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(
        list.iter().all(|p| !p.to_string().contains("9018")),
        "the list never shows digits"
    );
    let found = json(&k.admin(&["--json", "person", "list", "--search", "やまだ"]));
    assert_eq!(
        found.as_array().unwrap().len(),
        2,
        "kana search finds the employee and spouse"
    );
    let by_code = json(&k.admin(&["--json", "person", "list", "--search", "0013"]));
    assert_eq!(by_code[0]["name"], "佐藤\u{3000}次郎");
    let no_number = json(&k.admin(&["--json", "person", "list", "--collection", "未依頼"]));
    assert_eq!(no_number.as_array().unwrap().len(), 1);
}

#[test]
fn payees_take_the_right_kind_of_number() {
    let (k, _) = Kinko::init_with_recovery_code();
    assert_ok(&k.admin(&[
        "person",
        "add-payee",
        "--code",
        "P1",
        "--name",
        "株式会社テスト",
        "--kana",
        "テスト",
        "--corporate",
        "--number",
        "5835678256246",
    ]));
    assert_fails_with(
        &k.admin(&[
            "person",
            "add-payee",
            "--code",
            "P2",
            "--name",
            "株式会社ニ",
            "--kana",
            "ニ",
            "--corporate",
            "--number",
            "123456789018",
        ]),
        "法人番号は13桁",
    );
    let shown = json(&k.admin(&["--json", "person", "show", "P1", "--reveal"]));
    assert_eq!(shown["number"], "5 8356 7825 6246");
    assert_eq!(shown["payee_kind"], "corporation");
}

#[test]
fn bad_input_gets_one_clear_line_and_changes_nothing() {
    let (k, _) = Kinko::init_with_recovery_code();
    assert_ok(&k.admin(&[
        "person",
        "add",
        "--code",
        "1",
        "--name",
        "山田 太郎",
        "--kana",
        "ヤマダ",
        "--number",
        "123456789018",
    ]));
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "person",
                "add",
                "--code",
                "2",
                "--name",
                "A",
                "--kana",
                "エー",
                "--number",
                "123456789018",
            ],
            "すでに別の人に登録されています",
        ),
        (
            &[
                "person",
                "add",
                "--code",
                "2",
                "--name",
                "A",
                "--kana",
                "エー",
                "--number",
                "123456789010",
            ],
            "検査用数字が一致しません",
        ),
        (
            &[
                "person",
                "add",
                "--code",
                "2",
                "--name",
                "A",
                "--kana",
                "エー",
                "--number",
                "12345678901",
            ],
            "12桁",
        ),
        (
            &[
                "person",
                "add",
                "--code",
                "2",
                "--name",
                "A",
                "--kana",
                "エー",
                "--number",
                "1234a6789018",
            ],
            "使えない文字",
        ),
        (
            &[
                "person", "add", "--code", "1", "--name", "A", "--kana", "エー",
            ],
            "すでに使われています",
        ),
        (
            &[
                "person", "add", "--code", "2", "--name", "A", "--kana", "山田",
            ],
            "フリガナ",
        ),
        (
            &[
                "person",
                "add",
                "--code",
                "2",
                "--name",
                "A",
                "--kana",
                "エー",
                "--birth",
                "平成31年5月1日",
            ],
            "平成",
        ),
        (
            &[
                "person",
                "add",
                "--code",
                "2",
                "--name",
                "A",
                "--kana",
                "エー",
                "--birth",
                "2023-02-30",
            ],
            "2月",
        ),
        (
            &[
                "family",
                "add",
                "--employee",
                "9",
                "--relation",
                "子",
                "--name",
                "A",
                "--kana",
                "エー",
            ],
            "見つかりません",
        ),
        (&["person", "show", "404"], "見つかりません"),
        (&["person", "list", "--status", "引退"], "在籍状況"),
    ];
    for (args, needle) in cases {
        assert_fails_with(&k.admin(args), needle);
    }
    // Errors about numbers never echo the digits typed.
    let bad = k.admin(&[
        "person",
        "add",
        "--code",
        "2",
        "--name",
        "A",
        "--kana",
        "エー",
        "--number",
        "987654321098",
    ]);
    assert!(
        !stderr(&bad).contains("987654321098") && !stderr(&bad).contains("9876"),
        "{}",
        stderr(&bad)
    );
    let list = json(&k.admin(&["--json", "person", "list"]));
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "nothing was added by the failures"
    );
}

#[test]
fn wrong_password_missing_vault_and_missing_flags() {
    let (k, _) = Kinko::init_with_recovery_code();
    assert_fails_with(
        &k.run(
            &["--user", "admin", "--password-stdin", "person", "list"],
            "wrong password\n",
        ),
        "パスワードが違います",
    );
    assert_fails_with(
        &k.run(
            &["--user", "nobody", "--password-stdin", "person", "list"],
            "x\n",
        ),
        "パスワードが違います",
    );
    assert_fails_with(
        &k.run(&["--password-stdin", "person", "list"], PASSWORD),
        "--user",
    );
    assert_fails_with(
        &k.run(
            &["--user", "admin", "--password-stdin", "person", "list"],
            "",
        ),
        "標準入力",
    );
    let tmp = tempfile::tempdir().unwrap();
    assert_fails_with(
        &run_in(&tmp.path().join("none"), &["check"], ""),
        "金庫が見つかりません",
    );
    std::fs::write(
        tmp.path().join("kinko.sqlite3"),
        b"this is not a database, just some text padding it out....",
    )
    .unwrap();
    assert_fails_with(&run_in(tmp.path(), &["check"], ""), "壊れている");
}

#[test]
fn recovery_code_and_password_change() {
    let (k, code) = Kinko::init_with_recovery_code();
    let wrong = k.run(
        &["--user", "admin", "--password-stdin", "recover"],
        "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA\nnew password 1\n",
    );
    assert_fails_with(&wrong, "回復コードが違います");
    let typed = code.to_lowercase().replace('-', " ");
    let recover = ["--user", "admin", "--password-stdin", "recover"];
    assert_ok(&k.run(&recover, &format!("{typed}\nnew password 1\n")));
    assert_fails_with(&k.admin(&["person", "list"]), "パスワードが違います");
    // A reset password is temporary: nothing but a password change is allowed with it.
    let as_new = |args: &[&str], stdin: &str| {
        let mut all = vec!["--user", "admin", "--password-stdin"];
        all.extend_from_slice(args);
        k.run(&all, stdin)
    };
    assert_fails_with(
        &as_new(&["person", "list"], "new password 1\n"),
        "パスワードを変更してください",
    );
    assert_fails_with(
        &as_new(&["passwd"], "new password 1\nshort\n"),
        "10文字以上",
    );
    assert_ok(&as_new(
        &["passwd"],
        &format!("new password 1\n{PASSWORD}\n"),
    ));
    assert_ok(&k.admin(&["person", "list"]));
    assert_fails_with(
        &as_new(&["passwd"], "not it\nwhatever else\n"),
        "パスワードが違います",
    );
}

#[test]
fn demo_vault_has_sample_people() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    assert_ok(&run_in(&dir, &["demo", "--employees", "12"], ""));
    let list = run_in(
        &dir,
        &[
            "--user",
            "demo",
            "--password-stdin",
            "--json",
            "person",
            "list",
            "--kind",
            "社員",
        ],
        "tameshi-2026\n",
    );
    assert_eq!(json(&list).as_array().unwrap().len(), 12);
}
