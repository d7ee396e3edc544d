//! The administration half of the `kinko` command's contract: users, departments, PCs, the
//! lock-out policy and the audit log, driven as an administrator's script would — real
//! processes on a real vault directory, passwords on standard input, one process per step (so
//! everything that must survive between steps, such as a lock-out, is on disk).

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

use common::*;

const INITIAL: &str = "Anfangs-Passwort-2026";
const WRONG: &str = "Falsches-Passwort-999";

/// The password a user chooses after the initial one.
fn chosen(user: &str) -> String {
    format!(
        "{}-gewaehlt-選択-{}",
        user.len(),
        user.bytes().map(u32::from).sum::<u32>()
    )
}

impl Kinko {
    /// `user add NAME ARGS…` by the administrator, then the user's first `passwd` (from the
    /// PC `pc_id`, if given).
    fn add_user(&self, name: &str, args: &[&str], pc_id: Option<&str>) {
        let mut all = vec!["user", "add", name];
        all.extend_from_slice(args);
        let out = self.as_user("admin", PASSWORD, &all, &format!("{INITIAL}\n"));
        assert_ok(&out);
        assert!(stdout(&out).contains(name), "{}", stdout(&out));
        let mut passwd = vec!["--user", name, "--password-stdin"];
        if let Some(pc) = pc_id {
            passwd.extend(["--pc-id", pc]);
        }
        passwd.push("passwd");
        let out = self.run(&passwd, &format!("{INITIAL}\n{}\n", chosen(name)));
        assert_ok(&out);
        assert!(stdout(&out).contains("パスワードを変更しました"));
    }

    fn db(&self) -> PathBuf {
        self.vault.join("kinko.sqlite3")
    }

    /// The entries of `audit list ARGS --json`, as the administrator.
    fn audit(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["audit", "list"];
        all.extend_from_slice(args);
        self.admin_json(&all).as_array().unwrap().clone()
    }
}

fn user<'a>(list: &'a Value, login: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == login)
        .unwrap_or_else(|| panic!("no user {login} in {list}"))
}

// ---------------------------------------------------------------------------------------------

#[test]
fn users_are_added_listed_and_change_their_password_first() {
    let k = Kinko::init();
    assert_ok(&k.admin(&["dept", "add", "営業部"]));
    assert_fails_with(&k.admin(&["dept", "add", "営業部"]), "すでにあります");
    k.add_user(
        "clerk1",
        &[
            "--role",
            "clerk",
            "--dept",
            "営業部",
            "--scope-dept",
            "営業部",
        ],
        None,
    );
    // A second user, left with the initial password.
    let out = k.as_user(
        "admin",
        PASSWORD,
        &["user", "add", "auditor1", "--role", "監査"],
        &format!("{INITIAL}\n"),
    );
    assert_ok(&out);
    let list = k.admin_json(&["user", "list"]);
    let c = user(&list, "clerk1");
    assert_eq!(c["role"], "clerk");
    assert_eq!(c["department"], "営業部");
    assert_eq!(c["scope_all"], false);
    assert_eq!(c["must_change_password"], false);
    assert_eq!(c["disabled"], false);
    let perms: Vec<&str> = c["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(perms.contains(&"reveal_number") && !perms.contains(&"manage_users"));
    let a = user(&list, "auditor1");
    assert_eq!(a["role"], "auditor");
    assert_eq!(a["scope_all"], true);
    assert_eq!(a["must_change_password"], true);
    let text = stdout(&k.admin(&["user", "list"]));
    assert!(
        text.contains("clerk1\t事務取扱担当者\t営業部\t限定\t有効"),
        "{text}"
    );
    assert!(
        text.contains("auditor1\t監査\t\t全員\t初回パスワード未変更"),
        "{text}"
    );

    // Before the first change, nothing else works.
    assert_fails_with(
        &k.as_user("auditor1", INITIAL, &["audit", "list"], ""),
        "パスワードを変更してください",
    );
    // A weak new password is refused, and so is a wrong current one.
    assert_fails_with(
        &k.run(
            &["--user", "auditor1", "--password-stdin", "passwd"],
            &format!("{INITIAL}\nauditor1-2026-xyz\n"),
        ),
        "パスワードが規則を満たしていません",
    );
    assert_fails_with(
        &k.run(
            &["--user", "auditor1", "--password-stdin", "passwd"],
            &format!("{WRONG}\n{}\n", chosen("auditor1")),
        ),
        "ユーザー名またはパスワードが違います",
    );
    assert_ok(&k.run(
        &["--user", "auditor1", "--password-stdin", "passwd"],
        &format!("{INITIAL}\n{}\n", chosen("auditor1")),
    ));
    assert_fails_with(
        &k.as_user("auditor1", INITIAL, &["audit", "list"], ""),
        "ユーザー名またはパスワードが違います",
    );
    assert_ok(&k.as_user("auditor1", &chosen("auditor1"), &["audit", "list"], ""));

    // Weak or duplicate new users are refused; a clerk cannot add users at all.
    assert_fails_with(
        &k.as_user(
            "admin",
            PASSWORD,
            &["user", "add", "clerk2", "--role", "clerk"],
            "short\n",
        ),
        "10文字以上",
    );
    assert_fails_with(
        &k.as_user(
            "admin",
            PASSWORD,
            &["user", "add", "clerk1", "--role", "clerk"],
            &format!("{INITIAL}\n"),
        ),
        "すでに使われています",
    );
    assert_fails_with(
        &k.as_user(
            "clerk1",
            &chosen("clerk1"),
            &["user", "add", "mallory", "--role", "administrator"],
            &format!("{INITIAL}\n"),
        ),
        "この操作の権限がありません",
    );
    let refused = k.audit(&["--user", "clerk1", "--action", "user.add"]);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["user"], "clerk1");
    assert_eq!(refused[0]["result"], "denied");
    assert_eq!(refused[0]["detail"], "manage_users");
    let list = k.admin_json(&["user", "list"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|u| u["login"] != "mallory")
    );
}

fn add_people(k: &Kinko) {
    for (code, name, kana, dept) in [
        ("E-1001", "髙橋 一郎", "タカハシ イチロウ", "営業部"),
        ("E-1002", "山﨑 花子", "ヤマザキ ハナコ", "総務部"),
        ("E-1003", "齋藤 健太", "サイトウ ケンタ", "営業部"),
    ] {
        assert_ok(&k.admin(&[
            "person", "add", "--code", code, "--name", name, "--kana", kana, "--dept", dept,
        ]));
    }
    for (employee, name, kana) in [
        ("E-1001", "髙橋 恵美", "タカハシ エミ"),
        ("E-1002", "山﨑 誠", "ヤマザキ マコト"),
    ] {
        assert_ok(&k.admin(&[
            "family",
            "add",
            "--employee",
            employee,
            "--relation",
            "配偶者",
            "--name",
            name,
            "--kana",
            kana,
        ]));
    }
    assert_ok(&k.admin(&[
        "person",
        "add-payee",
        "--code",
        "P-1001",
        "--name",
        "長谷川 蒼真",
        "--kana",
        "ハセガワ ソウマ",
        "--number",
        "621498320257",
    ]));
}

#[test]
fn a_clerk_limited_to_a_department_sees_only_that_department() {
    let k = Kinko::init();
    add_people(&k);
    k.add_user(
        "clerk1",
        &["--role", "clerk", "--scope-dept", "営業部"],
        None,
    );
    let all = k.admin_json(&["person", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 6);
    let mine = json(&k.as_user(
        "clerk1",
        &chosen("clerk1"),
        &["--json", "person", "list"],
        "",
    ));
    let mine = mine.as_array().unwrap();
    let employees: Vec<&Value> = mine.iter().filter(|p| p["kind"] == "employee").collect();
    let codes: Vec<&str> = employees
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E-1001", "E-1003"]);
    assert!(employees.iter().all(|p| p["department"] == "営業部"));
    // Their family only: the spouse of E-1001, not of E-1002; no payee.
    let family: Vec<&Value> = mine.iter().filter(|p| p["kind"] == "family").collect();
    assert_eq!(family.len(), 1, "{mine:?}");
    assert_eq!(family[0]["employee_id"], employees[0]["id"]);
    assert_eq!(mine.len(), 3, "{mine:?}");
    // Outside the scope is answered like a code nobody has.
    let outside = k.as_user(
        "clerk1",
        &chosen("clerk1"),
        &["person", "show", "E-1002"],
        "",
    );
    let missing = k.as_user(
        "clerk1",
        &chosen("clerk1"),
        &["person", "show", "E-9999"],
        "",
    );
    assert_fails_with(&outside, "見つかりません");
    assert_fails_with(&missing, "見つかりません");
    assert_eq!(
        stderr(&outside).replace("E-1002", "CODE"),
        stderr(&missing).replace("E-9999", "CODE")
    );
    assert_fails_with(
        &k.as_user(
            "clerk1",
            &chosen("clerk1"),
            &["person", "show", "P-1001"],
            "",
        ),
        "見つかりません",
    );
    let shown = json(&k.as_user(
        "clerk1",
        &chosen("clerk1"),
        &["--json", "person", "show", "E-1001"],
        "",
    ));
    assert_eq!(shown["code"], "E-1001");
    // A search never reaches outside either.
    let found = json(&k.as_user(
        "clerk1",
        &chosen("clerk1"),
        &["--json", "person", "list", "--search", "やまざき"],
        "",
    ));
    assert!(found.as_array().unwrap().is_empty(), "{found}");
}

#[test]
fn five_wrong_passwords_in_five_processes_lock_the_account_until_unlocked() {
    let k = Kinko::init();
    k.add_user("clerk2", &["--role", "clerk"], None);
    for i in 0..5 {
        assert_fails_with(
            &k.as_user("clerk2", WRONG, &["person", "list"], ""),
            "ユーザー名またはパスワードが違います",
        );
        assert!(i < 5);
    }
    let locked = k.as_user("clerk2", &chosen("clerk2"), &["person", "list"], "");
    assert_fails_with(&locked, "ロック");
    let list = k.admin_json(&["user", "list"]);
    assert!(user(&list, "clerk2")["locked_until"].is_string(), "{list}");
    let text = stdout(&k.admin(&["user", "list"]));
    assert!(
        text.lines()
            .any(|l| l.starts_with("clerk2\t") && l.contains("ロック中")),
        "{text}"
    );
    // Every attempt is in the log, under the clerk's name (they arrived with the
    // administrator's log-ins).
    let attempts = k.audit(&["--user", "clerk2", "--action", "login"]);
    let denied: Vec<&str> = attempts
        .iter()
        .filter(|e| e["result"] == "denied")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(
        denied,
        [
            "wrong_password",
            "wrong_password",
            "wrong_password",
            "wrong_password",
            "wrong_password",
            "locked"
        ]
    );
    let lockout = k.audit(&["--action", "lockout"]);
    assert_eq!(lockout.len(), 1);
    assert_eq!(lockout[0]["user"], "clerk2");
    assert_eq!(lockout[0]["detail"], "after=5");
    // The administrator lifts it.
    let out = k.admin(&["user", "unlock", "clerk2"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("ロックを解除しました"));
    assert_ok(&k.as_user("clerk2", &chosen("clerk2"), &["person", "list"], ""));
    let list = k.admin_json(&["user", "list"]);
    assert!(user(&list, "clerk2")["locked_until"].is_null());
    assert_eq!(user(&list, "clerk2")["failed_logins"], 0);
}

#[test]
fn a_stricter_policy_locks_sooner() {
    let k = Kinko::init();
    let p = k.admin_json(&[
        "policy",
        "set",
        "--lockout-attempts",
        "3",
        "--lockout-minutes",
        "1",
        "--idle-minutes",
        "5",
    ]);
    assert_eq!(
        p,
        serde_json::json!({"lockout_attempts": 3, "lockout_minutes": 1, "idle_minutes": 5})
    );
    assert_eq!(k.admin_json(&["policy", "show"]), p);
    let text = stdout(&k.admin(&["policy", "show"]));
    assert!(
        text.contains("3回失敗で1分間") && text.contains("無操作5分"),
        "{text}"
    );
    assert_fails_with(
        &k.admin(&["policy", "set", "--lockout-attempts", "0"]),
        "ポリシーの値が範囲外です",
    );
    k.add_user("clerk3", &["--role", "clerk"], None);
    for _ in 0..3 {
        assert_fails_with(
            &k.as_user("clerk3", WRONG, &["person", "list"], ""),
            "パスワードが違います",
        );
    }
    assert_fails_with(
        &k.as_user("clerk3", &chosen("clerk3"), &["person", "list"], ""),
        "ロック",
    );
    let changes = k.audit(&["--action", "settings"]);
    assert!(
        changes
            .iter()
            .any(|e| e["detail"] == "lockout_threshold=3 lockout_minutes=1 idle_minutes=5"),
        "{changes:?}"
    );
}

#[test]
fn a_user_limited_to_a_pc_logs_in_only_from_it() {
    let k = Kinko::init();
    assert_ok(&k.admin(&["dept", "add", "営業部"]));
    // The PC the command runs on is registered (its identity from --pc-id).
    let out = k.admin(&["--pc-id", "pc-a", "pc", "add", "受付PC", "--dept", "営業部"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("受付PC"));
    assert_fails_with(
        &k.admin(&["--pc-id", "pc-a", "pc", "add", "別名PC"]),
        "すでに登録されています",
    );
    let pcs = k.admin_json(&["pc", "list"]);
    assert_eq!(pcs[0]["name"], "受付PC");
    k.add_user(
        "clerk4",
        &["--role", "clerk", "--dept", "営業部", "--pc", "受付PC"],
        Some("pc-a"),
    );
    let pw = chosen("clerk4");
    assert_ok(&k.as_user("clerk4", &pw, &["--pc-id", "pc-a", "person", "list"], ""));
    assert_fails_with(
        &k.as_user("clerk4", &pw, &["--pc-id", "pc-b", "person", "list"], ""),
        "このPCでは、このユーザーはログインできません",
    );
    // The same through the environment.
    let args = ["--user", "clerk4", "--password-stdin", "person", "list"];
    let stdin = format!("{pw}\n");
    assert_fails_with(
        &k.run_env(&args, &stdin, &[("KINKO_PC_ID", "pc-b")]),
        "このPCでは",
    );
    assert_ok(&k.run_env(&args, &stdin, &[("KINKO_PC_ID", "pc-a")]));
    // Unregistered PCs are refused too; the refusals are logged.
    assert_fails_with(
        &k.as_user("clerk4", &pw, &["person", "list"], ""),
        "このPCでは",
    );
    let refused: Vec<Value> = k
        .audit(&["--user", "clerk4", "--action", "login"])
        .into_iter()
        .filter(|e| e["result"] == "denied")
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(refused.iter().all(|e| e["detail"] == "pc_not_allowed"));
    // The sessions report: who, department, which PC, from, to, how long.
    let sessions = k.admin_json(&["audit", "sessions"]);
    let mine: Vec<&Value> = sessions
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["user"] == "clerk4")
        .collect();
    assert_eq!(
        mine.len(),
        3,
        "passwd and the two allowed commands: {sessions}"
    );
    for s in &mine {
        assert_eq!(s["pc"], "受付PC");
        assert_eq!(s["department"], "営業部");
        assert!(s["from"].is_string() && s["to"].is_string(), "{s}");
        assert!(
            s["seconds"].as_i64().is_some_and(|n| (0..60).contains(&n)),
            "{s}"
        );
    }
    let text = stdout(&k.admin(&["audit", "sessions"]));
    assert!(
        text.starts_with("ユーザー\t部署\tPC\t開始\t終了\t時間"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("clerk4\t営業部\t受付PC\t")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("admin\t-\t未登録のPC\t")),
        "{text}"
    );
}

#[test]
fn audit_list_filters_by_user_action_and_date() {
    let k = Kinko::init();
    add_people(&k);
    k.add_user("clerk5", &["--role", "clerk"], None);
    assert_ok(&k.as_user(
        "clerk5",
        &chosen("clerk5"),
        &["person", "show", "E-1001"],
        "",
    ));
    let all = k.audit(&[]);
    assert!(all.len() > 15, "{}", all.len());
    assert_eq!(all[0]["seq"], 1);
    assert_eq!(all[0]["action"], "vault.create");
    let seqs: Vec<i64> = all.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    let mine = k.audit(&["--user", "clerk5"]);
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|e| e["user"] == "clerk5"), "{mine:?}");
    assert!(mine.iter().any(|e| e["action"] == "person.view"));
    let people = k.audit(&["--action", "person"]);
    assert!(!people.is_empty());
    assert!(
        people
            .iter()
            .all(|e| e["action"].as_str().unwrap().starts_with("person.")),
        "{people:?}"
    );
    let views = k.audit(&["--user", "clerk5", "--action", "person.view"]);
    assert_eq!(views.len(), 1);
    assert_eq!(views[0]["target_kind"], "person");
    // Dates are days in Japan.
    let jst = chrono::Utc::now() + chrono::Duration::hours(9);
    let today = jst.format("%Y-%m-%d").to_string();
    let tomorrow = (jst + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let since_2000 = k.audit(&["--since", "2000-01-01"]);
    assert_eq!(since_2000[0]["seq"], 1);
    assert!(since_2000.len() > all.len());
    assert!(!k.audit(&["--since", &today]).is_empty());
    assert!(k.audit(&["--since", &tomorrow]).is_empty());
    assert!(!k.audit(&["--since", "令和元年5月1日"]).is_empty());
    // --until includes its day.
    let yesterday = (jst - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    assert!(k.audit(&["--until", &yesterday]).is_empty());
    let until_today = k.audit(&["--until", &today]);
    assert!(until_today.len() > 15);
    let last = until_today.last().unwrap()["seq"].as_i64().unwrap();
    assert_eq!(
        last as usize,
        until_today.len(),
        "everything so far is from today"
    );
    // Results: a clerk asking for the log is refused, and that refusal is found by its result.
    let refused = k.as_user("clerk5", &chosen("clerk5"), &["audit", "seal"], "");
    assert!(!refused.status.success(), "a clerk sealed the log");
    let denied = k.audit(&["--result", "denied"]);
    assert!(!denied.is_empty());
    assert!(denied.iter().all(|e| e["result"] == "denied"), "{denied:?}");
    assert!(denied.iter().any(|e| e["user"] == "clerk5"), "{denied:?}");
    let ok = k.audit(&["--result", "ok"]);
    assert!(ok.iter().all(|e| e["result"] == "ok"));
    assert_fails_with(&k.admin(&["audit", "list", "--result", "maybe"]), "maybe");
    assert_fails_with(&k.admin(&["audit", "list", "--user", "nobody"]), "nobody");
    // The text listing: a header and one line per entry, names instead of IDs.
    let text = stdout(&k.admin(&["audit", "list", "--user", "clerk5"]));
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("番号\t日時（日本時間）\tユーザー")
    );
    assert!(
        lines.all(|l| l.split('\t').nth(2) == Some("clerk5")),
        "{text}"
    );
    // Only those with the audit permission read the log.
    assert_fails_with(
        &k.as_user("clerk5", &chosen("clerk5"), &["audit", "list"], ""),
        "この操作の権限がありません",
    );
}

/// Replaces every occurrence of `from` with `to` (same length) in the file; returns how many.
fn patch_file(path: &Path, from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut bytes = std::fs::read(path).unwrap();
    let mut n = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    std::fs::write(path, bytes).unwrap();
    n
}

#[test]
fn audit_seal_and_verify_catch_an_edited_entry_by_its_number() {
    let k = Kinko::init();
    add_people(&k);
    // An entry with a detail no other has: the policy change.
    assert_ok(&k.admin(&[
        "policy",
        "set",
        "--lockout-attempts",
        "7",
        "--lockout-minutes",
        "33",
        "--idle-minutes",
        "17",
    ]));
    let changes = k.audit(&["--action", "settings.policy"]);
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0]["detail"],
        "lockout_threshold=7 lockout_minutes=33 idle_minutes=17"
    );
    let target = changes[0]["seq"].as_i64().unwrap();
    assert_ok(&k.admin(&["person", "show", "E-1001"]));

    // A clean log verifies, with and without a seal.
    let out = k.admin(&["audit", "verify"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("改ざんは見つかりませんでした"),
        "{}",
        stdout(&out)
    );
    let sealed = k.admin(&["audit", "seal"]);
    assert_ok(&sealed);
    let text = stdout(&sealed);
    let code = text
        .lines()
        .find_map(|l| l.strip_prefix("封印コード: "))
        .unwrap_or_else(|| panic!("no seal in {text}"))
        .trim()
        .to_owned();
    let seal_seq: i64 = code.split('-').next().unwrap().parse().unwrap();
    assert!(seal_seq > target);
    let out = k.admin(&["audit", "verify", "--seal", &code]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains(&format!("封印 {code} と一致")),
        "{}",
        stdout(&out)
    );
    let json_seal = k.admin_json(&["audit", "seal"]);
    assert!(json_seal["seq"].as_i64().unwrap() > seal_seq);
    let ok = k.admin_json(&["audit", "verify", "--seal", &code]);
    assert_eq!(ok["ok"], true);
    // A mistyped seal does not match; a malformed one is refused.
    let (num, letters) = code.split_once('-').unwrap();
    let first = letters.chars().next().unwrap();
    let other = if first == 'A' { 'B' } else { 'A' };
    let typo = format!("{num}-{other}{}", &letters[1..]);
    assert_fails_with(
        &k.admin(&["audit", "verify", "--seal", &typo]),
        &format!("封印 #{seal_seq} と操作履歴が一致しません"),
    );
    assert_fails_with(
        &k.admin(&["audit", "verify", "--seal", "1234"]),
        "封印コードの形式が違います",
    );

    // Edit the entry in the closed file itself (as with a hex editor): the same length, so the
    // database stays well-formed and opens.
    let wal = k.vault.join("kinko.sqlite3-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the vault is closed: its changes are in the database file"
    );
    let n = patch_file(&k.db(), b"lockout_minutes=33 ", b"lockout_minutes=03 ");
    assert!(n >= 1, "the entry's detail is in the file");
    assert_ok(&k.run(&["check"], ""));
    let want = format!("操作履歴 #{target} が改ざんされています");
    assert_fails_with(&k.admin(&["audit", "verify"]), &want);
    assert_fails_with(&k.admin(&["audit", "verify", "--seal", &code]), &want);
    assert_fails_with(&k.admin(&["--json", "audit", "verify"]), &want);
    // The rest of the vault still works (reading the log shows the edited entry as it is now).
    let edited = k.audit(&["--action", "settings.policy"]);
    assert_eq!(
        edited[0]["detail"],
        "lockout_threshold=7 lockout_minutes=03 idle_minutes=17"
    );
}
