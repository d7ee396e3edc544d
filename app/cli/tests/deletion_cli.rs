//! The contract of `kinko person delete`, `kinko number delete`, `kinko retention …` and
//! `kinko deletion list`, driven as a user or script would.

mod common;

use std::path::Path;
use std::process::Output;

use kinko_domain::people::{EmploymentStatus, PayeeKind, PersonId, Role};
use kinko_e2e::{ADMIN, PASSWORD, PEOPLE, create_vault, date, employee, individual, login, payee};

use common::{assert_ok, stderr, stdout};

const REASON: &str = "保存期間満了のため";

#[track_caller]
fn assert_refused(o: &Output, contains: &str) {
    assert_eq!(o.status.code(), Some(1), "stdout: {}", stdout(o));
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    assert!(err.contains(contains), "expected «{contains}» in: {err}");
}

fn admin(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--user", ADMIN, "--password-stdin"];
    all.extend_from_slice(args);
    common::run(dir, &all, &format!("{PASSWORD}\n"), &[])
}

/// E001 retired 2026-03-31 with a spouse, E002 employed, P001 a payee; all with numbers.
fn firm(dir: &Path) -> (PersonId, PersonId, PersonId) {
    let created = create_vault(dir);
    let mut s = login(&created.vault);
    let mut retired = employee("E001", &PEOPLE[0], None, Some(individual(1)));
    if let Role::Employee {
        status,
        retire_date,
        ..
    } = &mut retired.role
    {
        *status = EmploymentStatus::Retired;
        *retire_date = Some(date(2026, 3, 31));
    }
    let e1 = s.add_person(retired.new_person()).unwrap();
    let spouse = kinko_e2e::family(
        e1,
        "配偶者",
        kinko_domain::people::DependantType::Spouse,
        &PEOPLE[1],
        Some(individual(2)),
    );
    s.add_person(spouse.new_person()).unwrap();
    let e2 = s
        .add_person(employee("E002", &PEOPLE[2], None, Some(individual(3))).new_person())
        .unwrap();
    let p = s
        .add_person(
            payee(
                "P001",
                PayeeKind::Individual,
                &PEOPLE[3],
                Some(individual(4)),
            )
            .new_person(),
        )
        .unwrap();
    (e1, e2, p)
}

#[test]
fn person_delete_needs_reason_and_yes_and_then_deletes_with_the_family() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (e1, _, _) = firm(dir);

    assert_refused(
        &admin(dir, &["person", "delete", "E001", "--yes"]),
        "削除の理由を --reason で指定してください",
    );
    let o = admin(dir, &["person", "delete", "E001", "--reason", REASON]);
    assert_refused(&o, "--yes を付けてください");
    assert!(stderr(&o).contains(&format!("社員コード E001（内部ID {}）と家族1人", e1.0)));
    // Nothing was deleted.
    assert_ok(&admin(dir, &["person", "show", "E001"]));

    let o = admin(
        dir,
        &[
            "person", "delete", "E001", "--reason", REASON, "--yes", "--json",
        ],
    );
    assert_ok(&o);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["people"].as_array().unwrap().len(), 2);
    assert_eq!(v["compacted"], true);
    assert_refused(
        &admin(dir, &["person", "show", "E001"]),
        "コード「E001」の人は見つかりません",
    );
    assert_refused(
        &admin(
            dir,
            &["person", "delete", "E001", "--reason", REASON, "--yes"],
        ),
        "見つかりません",
    );

    let o = admin(dir, &["deletion", "list", "--json"]);
    assert_ok(&o);
    let rows: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["kind"], "family");
    assert_eq!(rows[1]["kind"], "person");
    assert_eq!(rows[1]["person"], e1.0);
    assert_eq!(rows[1]["reason"], REASON);
    assert_eq!(rows[1]["method"], "crypto-shred+rekey+vacuum");
    let text = stdout(&admin(dir, &["deletion", "list"]));
    assert!(
        text.contains("本人の記録") && text.contains(REASON),
        "{text}"
    );
    assert!(!text.contains(PEOPLE[0].name));
}

#[test]
fn number_delete_keeps_the_person() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    firm(dir);
    let o = admin(dir, &["number", "delete", "P001", "--reason", REASON]);
    assert_refused(&o, "個人番号を削除します（本人の記録は残ります）");
    assert!(stderr(&o).contains("--yes"));
    let o = admin(
        dir,
        &["number", "delete", "P001", "--reason", REASON, "--yes"],
    );
    assert_ok(&o);
    assert!(stdout(&o).contains("支払先コード P001 の個人番号を削除しました"));
    let show = admin(dir, &["person", "show", "P001", "--json"]);
    assert_ok(&show);
    assert!(stdout(&show).contains(PEOPLE[3].name));
    assert_refused(
        &admin(
            dir,
            &["number", "delete", "P001", "--reason", REASON, "--yes"],
        ),
        "個人番号が登録されていません",
    );
}

#[test]
fn retention_due_show_set_and_delete_due() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (e1, _, _) = firm(dir);

    let o = admin(dir, &["retention", "due", "--on", "2034-01-10"]);
    assert_ok(&o);
    assert!(stdout(&o).contains("過ぎた人はいません"), "{}", stdout(&o));
    let o = admin(
        dir,
        &["retention", "due", "--on", "令和16年1月11日", "--json"],
    );
    assert_ok(&o);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let due = v["due"].as_array().unwrap();
    assert_eq!(due.len(), 2, "the retiree and the spouse");
    assert_eq!(due[0]["id"], e1.0);
    assert_eq!(due[0]["code"], "E001");
    assert_eq!(due[0]["due_on"], "2034-01-11");
    assert_eq!(due[0]["due_on_ja"], "令和16年1月11日");
    assert_eq!(due[1]["kind"], "family");
    let text = stdout(&admin(dir, &["retention", "due", "--on", "2034-01-11"]));
    assert!(
        text.contains("2人") && text.contains("令和16年1月11日"),
        "{text}"
    );

    // Payees: due once a last payment is recorded.
    assert_ok(&admin(
        dir,
        &["retention", "last-payment", "P001", "2026-12-25"],
    ));
    let v: serde_json::Value = serde_json::from_str(
        stdout(&admin(
            dir,
            &["retention", "due", "--on", "2034-01-01", "--json"],
        ))
        .trim(),
    )
    .unwrap();
    assert_eq!(v["due"][0]["code"], "P001");
    assert_ok(&admin(dir, &["retention", "last-payment", "P001", "none"]));

    // Rules.
    let o = admin(dir, &["retention", "show", "--json"]);
    assert_ok(&o);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["retiree"]["years"], 7);
    assert_eq!(v["retiree"]["start"], "01-11");
    assert_eq!(v["action"], "person");
    assert_refused(
        &admin(dir, &["retention", "set", "--retiree-start", "02-29"]),
        "起算日",
    );
    assert_ok(&admin(
        dir,
        &[
            "retention",
            "set",
            "--action",
            "number",
            "--payee-years",
            "5",
        ],
    ));
    let text = stdout(&admin(dir, &["retention", "show"]));
    assert!(
        text.contains("個人番号のみ削除") && text.contains("5年"),
        "{text}"
    );
    assert_ok(&admin(dir, &["retention", "set", "--action", "person"]));

    // The batch: refused without --yes (saying how many), then done.
    let o = admin(
        dir,
        &[
            "retention",
            "delete-due",
            "--reason",
            REASON,
            "--on",
            "2034-01-11",
        ],
    );
    assert_refused(&o, "2人を削除します");
    assert!(stderr(&o).contains("--yes"));
    let o = admin(
        dir,
        &[
            "retention",
            "delete-due",
            "--reason",
            REASON,
            "--yes",
            "--on",
            "2034-01-11",
        ],
    );
    assert_ok(&o);
    assert!(stdout(&o).contains("2人を削除しました"), "{}", stdout(&o));
    let rows: serde_json::Value =
        serde_json::from_str(stdout(&admin(dir, &["deletion", "list", "--json"])).trim()).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.last().unwrap()["kind"], "batch");
    assert_eq!(rows.last().unwrap()["people"], 2);
    let o = admin(
        dir,
        &[
            "retention",
            "delete-due",
            "--reason",
            REASON,
            "--yes",
            "--on",
            "2034-01-11",
        ],
    );
    assert_ok(&o);
    assert!(stdout(&o).contains("過ぎた人はいません"));
}

#[test]
fn help_lists_the_commands() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["person", "delete", "--help"][..],
        &["number", "delete", "--help"],
        &["retention", "--help"],
        &["deletion", "list", "--help"],
    ] {
        let o = common::run(tmp.path(), args, "", &[]);
        assert_ok(&o);
    }
    let text = stdout(&common::run(tmp.path(), &["retention", "--help"], "", &[]));
    for sub in ["due", "delete-due", "show", "set", "last-payment"] {
        assert!(text.contains(sub), "{sub} in {text}");
    }
}
