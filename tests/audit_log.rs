//! The audit log (F6) from the outside: a vault with real activity, then the SQLite file edited
//! behind the engine's back (as anyone holding the stick could) — an entry's fields changed,
//! an entry deleted, two entries swapped, the tail cut off (with and without the stored head
//! put back), the whole vault rolled back to an older copy, seals from elsewhere or mistyped.
//! `audit_verify` must name the first bad entry, and its message must say which.
//!
//! Also: the sessions report (who, department, PC, from, to, how long) with a hand-driven
//! clock; clock anomalies (backwards, jump); failed log-ins and lock-outs recorded before the
//! vault is unlocked and moved into the log at the next log-in; the lock-out surviving a
//! reopen; auto-lock when idle.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kinko_domain::people::PersonId;
use kinko_e2e::{
    ADMIN, INITIAL_PASSWORD, PASSWORD, PEOPLE, add_ready_user, copy_vault_dir, create_vault,
    employee, expect_err, individual, login_at, new_user, t0, user_password,
};
use kinko_vault::{
    AuditEntry, AuditProblem, AuditQuery, DB_FILE, LockReason, ManualClock, MediumAction, NewUser,
    Outcome, PeopleQuery, Policy, Scope, Seal, Session, SessionRecord, UserRole, Vault, VaultError,
    VerifyReport, japan_time,
};
use rusqlite::{Connection, params};

const CLERK: &str = "clerk";

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Opens the closed vault's database directly, runs `f`, and closes it again (checkpointing
/// the WAL into the file).
fn with_db<T>(dir: &Path, f: impl FnOnce(&Connection) -> T) -> T {
    let conn = Connection::open(dir.join(DB_FILE)).expect("open the database directly");
    let out = f(&conn);
    conn.close().expect("close");
    out
}

fn head_seq(conn: &Connection) -> i64 {
    conn.query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
        .expect("max(seq)")
}

fn meta_head(conn: &Connection) -> Vec<u8> {
    conn.query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| {
        r.get(0)
    })
    .expect("meta audit_head")
}

/// A fresh administrator session (other sessions may have idled out on the shared clock).
fn admin(vault: &Vault, clock: &ManualClock) -> Session {
    login_at(vault, ADMIN, PASSWORD, "pc-admin", clock).expect("admin login")
}

/// Checks that `text` names `#n` for each `n` (and not as the prefix of a longer number).
#[track_caller]
fn names_entries(text: &str, numbers: &[i64]) {
    for n in numbers {
        let tag = format!("#{n}");
        let found = text.match_indices(&tag).any(|(at, _)| {
            !text[at + tag.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        });
        assert!(found, "the message {text:?} does not name entry #{n}");
    }
}

// ---------------------------------------------------------------------------------------------
// A vault with some activity

struct Busy {
    tmp: tempfile::TempDir,
    dir: PathBuf,
    clock: ManualClock,
    /// Entries when the vault was closed.
    entries: i64,
    /// A seal taken near the end (by the administrator).
    seal: Seal,
    /// The stored head and the last sequence number at an earlier moment.
    early_head: (i64, Vec<u8>),
    people: Vec<PersonId>,
}

/// Administrator and a clerk at work: departments, a PC, ten employees, views, reveals,
/// searches, refusals, failed log-ins; a seal; everyone logged out and the vault closed.
fn busy_vault() -> Busy {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let created = create_vault(&dir);
    let vault = created.vault;
    let clock = ManualClock::new(t0());
    let tick = || clock.advance(secs(1));
    let mut a = admin(&vault, &clock);
    let sales = a.add_department("営業部").unwrap();
    let general = a.add_department("総務部").unwrap();
    a.register_pc("受付PC", Some(sales), &kinko_e2e::pc("pc-a"))
        .unwrap();
    let mut people = Vec::new();
    for (i, f) in PEOPLE[..10].iter().enumerate() {
        tick();
        let dept = if i % 2 == 0 { sales } else { general };
        let e = employee(
            &format!("K-{:04}", 100 + i),
            f,
            Some(dept),
            Some(individual(500 + i as u64)),
        );
        let id = a.add_person(e.new_person()).unwrap();
        a.person(id).unwrap();
        if i % 3 == 0 {
            a.reveal_number(id).unwrap();
        }
        people.push(id);
    }
    a.list(&PeopleQuery::default()).unwrap();
    tick();
    let new = NewUser {
        department: Some(sales),
        ..new_user(
            CLERK,
            UserRole::Clerk,
            Scope {
                departments: vec![sales],
                ..Scope::default()
            },
        )
    };
    let (_, mut c) = add_ready_user(&mut a, &vault, new, "pc-a", &clock);
    for &id in &people {
        tick();
        // Half of them are out of scope: refused, and logged.
        let _ = c.person(id);
    }
    c.list(&PeopleQuery {
        text: Some("たかはし".into()),
        ..Default::default()
    })
    .unwrap();
    c.logout().unwrap();
    let early_head = with_db(&dir, |conn| (head_seq(conn), meta_head(conn)));
    tick();
    for _ in 0..2 {
        expect_err(
            "a wrong password",
            login_at(&vault, CLERK, "Falsches-Passwort-0", "pc-a", &clock).map(drop),
            |e| matches!(e, VaultError::WrongPassword),
        );
    }
    let mut c = login_at(&vault, CLERK, &user_password(CLERK), "pc-a", &clock).unwrap();
    c.reveal_number(people[0]).unwrap();
    c.logout().unwrap();
    tick();
    for &id in &people {
        a.person(id).unwrap();
    }
    // An export stick allowed and ejected (the appliance's medium bar).
    a.medium_event(MediumAction::Allow, "id=7 usb=46f4:0001 serial=\"T1\"")
        .unwrap();
    a.medium_event(MediumAction::Eject, "id=7").unwrap();
    let seal = a.audit_seal().unwrap();
    a.logout().unwrap();
    drop(vault);
    let entries = with_db(&dir, |conn| {
        let n: i64 = conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, head_seq(conn), "entries are numbered 1..n");
        n
    });
    assert!(entries >= 50, "only {entries} entries");
    assert_eq!(seal.seq, entries - 1, "the seal is followed by the logout");
    assert!(early_head.0 + 10 < seal.seq);
    Busy {
        tmp,
        dir,
        clock,
        entries,
        seal,
        early_head,
        people,
    }
}

impl Busy {
    /// A copy of the closed vault, edited by `tamper`, then opened (the integrity check must
    /// pass: the edits are valid SQL) and verified by the administrator with `seal`.
    fn verify_tampered(
        &self,
        name: &str,
        seal: Option<&Seal>,
        tamper: impl FnOnce(&Connection),
    ) -> VerifyReport {
        let dir = self.tmp.path().join(name);
        copy_vault_dir(&self.dir, &dir);
        with_db(&dir, tamper);
        self.verify_at(&dir, seal)
    }

    fn verify_at(&self, dir: &Path, seal: Option<&Seal>) -> VerifyReport {
        let vault = Vault::open(dir)
            .unwrap_or_else(|e| panic!("{}: open after tampering: {e:?}", dir.display()));
        self.clock.advance(secs(60));
        let mut s = admin(&vault, &self.clock);
        s.audit_verify(seal).expect("audit_verify")
    }
}

/// The first problem must be `want`, its message must name `numbers`, and the report must
/// count the entries that were fine before it.
#[track_caller]
fn assert_problem(report: &VerifyReport, want: AuditProblem, numbers: &[i64]) {
    assert_eq!(report.problem.as_ref(), Some(&want), "{report:?}");
    let text = want.to_string();
    names_entries(&text, numbers);
    match want {
        AuditProblem::Altered { seq } | AuditProblem::Missing { seq } => {
            assert_eq!(report.entries, seq - 1, "{report:?}");
            assert_eq!(report.head, seq - 1, "{report:?}");
        }
        _ => {}
    }
}

#[test]
fn the_log_is_filtered_by_result_and_end_time_in_the_engine() {
    let busy = busy_vault();
    let dir = busy.tmp.path().join("filtered");
    copy_vault_dir(&busy.dir, &dir);
    // One entry's result edited to something the engine never writes: it reads as an error.
    let (bogus, middle_at, denied) = with_db(&dir, |c| {
        c.execute("UPDATE audit_log SET result = 'bogus' WHERE seq = 7", [])
            .unwrap();
        let at: String = c
            .query_row("SELECT at FROM audit_log WHERE seq = 30", [], |r| r.get(0))
            .unwrap();
        let denied: i64 = c
            .query_row(
                "SELECT count(*) FROM audit_log WHERE result = 'denied'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (7, at, denied)
    });
    let vault = Vault::open(&dir).expect("open");
    busy.clock.advance(secs(60));
    let mut s = admin(&vault, &busy.clock);
    let only = |s: &mut Session, outcome| {
        s.audit_list(&AuditQuery {
            outcome: Some(outcome),
            ..AuditQuery::default()
        })
        .expect("audit_list")
    };
    let refused = only(&mut s, Outcome::Denied);
    assert!(denied > 0, "the busy vault has refusals");
    assert_eq!(refused.len() as i64, denied);
    assert!(refused.iter().all(|e| e.outcome == Outcome::Denied));
    let errors = only(&mut s, Outcome::Error);
    assert!(errors.iter().any(|e| e.seq == bogus), "{errors:?}");
    assert!(errors.iter().all(|e| e.outcome == Outcome::Error));
    let fine = only(&mut s, Outcome::Ok);
    assert!(
        fine.iter()
            .all(|e| e.outcome == Outcome::Ok && e.seq != bogus)
    );
    let all = s.audit_list(&AuditQuery::default()).expect("all");
    // Every action this busy vault logged has words (the kiosk's list and the printed extract).
    for e in &all {
        let ja = kinko_vault::audit_words::action(kinko_domain::lang::Lang::Ja, &e.action);
        assert_ne!(ja, e.action, "#{}: no words for {}", e.seq, e.action);
    }
    // `until` is exclusive, `since` inclusive: together they cut the log at one instant.
    let before = s
        .audit_list(&AuditQuery {
            until: Some(middle_at.clone()),
            ..AuditQuery::default()
        })
        .expect("until");
    let after = s
        .audit_list(&AuditQuery {
            since: Some(middle_at.clone()),
            ..AuditQuery::default()
        })
        .expect("since");
    assert!(!before.is_empty() && !after.is_empty());
    let has = |list: &[AuditEntry], seq| list.iter().any(|e| e.seq == seq);
    for e in &all {
        assert_eq!(
            has(&before, e.seq),
            e.at < middle_at,
            "#{} at {}",
            e.seq,
            e.at
        );
        assert_eq!(
            has(&after, e.seq),
            e.at >= middle_at,
            "#{} at {}",
            e.seq,
            e.at
        );
    }
}

#[test]
fn an_untouched_log_verifies_clean_with_and_without_its_seal() {
    let busy = busy_vault();
    let report = busy.verify_at(&busy.dir, None);
    assert_eq!(report.problem, None, "{report:?}");
    // Every entry, plus the log-in and the verification just recorded.
    assert_eq!(report.entries, busy.entries + 2);
    assert_eq!(report.head, busy.entries + 2);
    let report = busy.verify_at(&busy.dir, Some(&busy.seal));
    assert_eq!(report.problem, None, "{report:?}");
    // A seal survives printing: its text parses back to itself, forgivingly.
    let text = busy.seal.to_string();
    assert_eq!(Seal::parse(&text).unwrap(), busy.seal);
    assert_eq!(
        Seal::parse(&format!("  {}  ", text.to_lowercase())).unwrap(),
        busy.seal
    );
    for bad in [
        "",
        "12",
        "x-ABCDEFGHJK",
        "0-ABCDEFGHJK",
        "12-ABCDE",
        "12-ABCDEFGHJ!",
    ] {
        assert!(
            matches!(Seal::parse(bad), Err(VaultError::BadSeal)),
            "{bad:?} parsed"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (a) One field of one entry edited

/// Replaces one column of entry `seq` with something else of the same type.
fn edit_column(conn: &Connection, seq: i64, column: &str) {
    if column == "mac" {
        // One bit of the stored MAC flipped.
        let mut mac: Vec<u8> = conn
            .query_row("SELECT mac FROM audit_log WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .unwrap();
        mac[7] ^= 0x10;
        conn.execute(
            "UPDATE audit_log SET mac = ?2 WHERE seq = ?1",
            params![seq, mac],
        )
        .unwrap();
        return;
    }
    let sql = match column {
        "detail" => "UPDATE audit_log SET detail = detail || 'x' WHERE seq = ?1",
        "action" => {
            "UPDATE audit_log SET action = CASE action WHEN 'person.view' THEN 'person.list'
                                                  ELSE 'person.view' END WHERE seq = ?1"
        }
        "user_id" => "UPDATE audit_log SET user_id = coalesce(user_id, 0) + 1 WHERE seq = ?1",
        "result" => {
            "UPDATE audit_log SET result = CASE result WHEN 'ok' THEN 'denied' ELSE 'ok' END
             WHERE seq = ?1"
        }
        "at" => {
            // One millisecond later: "…:05.000Z" → "…:05.001Z".
            "UPDATE audit_log SET at = substr(at, 1, 22) || (substr(at, 23, 1) + 1) % 10 || 'Z'
             WHERE seq = ?1"
        }
        "target_id" => "UPDATE audit_log SET target_id = coalesce(target_id, 0) + 1 WHERE seq = ?1",
        "clock_anomaly" => {
            "UPDATE audit_log SET clock_anomaly = CASE WHEN clock_anomaly IS NULL THEN 'jump'
                                                       ELSE NULL END WHERE seq = ?1"
        }
        "session_id" => {
            "UPDATE audit_log SET session_id = coalesce(session_id, 0) + 1 WHERE seq = ?1"
        }
        "department_id" => {
            "UPDATE audit_log SET department_id = CASE WHEN department_id IS NULL THEN 1
                                                       ELSE NULL END WHERE seq = ?1"
        }
        "pc_id" => "UPDATE audit_log SET pc_id = coalesce(pc_id, 0) + 1 WHERE seq = ?1",
        other => panic!("no edit for {other}"),
    };
    let before: String = conn
        .query_row(
            &format!("SELECT quote({column}) FROM audit_log WHERE seq = ?1"),
            [seq],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(conn.execute(sql, [seq]).unwrap(), 1, "{column} of #{seq}");
    let after: String = conn
        .query_row(
            &format!("SELECT quote({column}) FROM audit_log WHERE seq = ?1"),
            [seq],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(
        before, after,
        "the edit of {column} of #{seq} changed nothing"
    );
}

#[test]
fn an_edited_field_of_any_entry_is_named_by_its_number() {
    let busy = busy_vault();
    let columns = [
        "detail",
        "action",
        "user_id",
        "result",
        "at",
        "target_id",
        "clock_anomaly",
        "session_id",
        "department_id",
        "pc_id",
        "mac",
    ];
    for (k, column) in columns.iter().enumerate() {
        // A different entry for each column, from the first to near the end.
        let seq = 1 + (k as i64 * (busy.entries - 2)) / (columns.len() as i64 - 1);
        let report = busy.verify_tampered(&format!("edit-{column}"), None, |c| {
            edit_column(c, seq, column)
        });
        assert_problem(&report, AuditProblem::Altered { seq }, &[seq]);
        // With a seal the chain is still checked first: the same entry is named.
        let report =
            busy.verify_tampered(&format!("edit-{column}-sealed"), Some(&busy.seal), |c| {
                edit_column(c, seq, column)
            });
        assert_problem(&report, AuditProblem::Altered { seq }, &[seq]);
    }
}

// ---------------------------------------------------------------------------------------------
// (b) deleted, (c) swapped or inserted entries

#[test]
fn a_deleted_entry_is_named_as_missing() {
    let busy = busy_vault();
    for seq in [1, 25, busy.entries / 2 + 3, busy.entries - 1] {
        let report = busy.verify_tampered(&format!("delete-{seq}"), None, |c| {
            assert_eq!(
                c.execute("DELETE FROM audit_log WHERE seq = ?1", [seq])
                    .unwrap(),
                1
            );
        });
        assert_problem(&report, AuditProblem::Missing { seq }, &[seq]);
    }
    // Several deleted: the first is named.
    let report = busy.verify_tampered("delete-range", None, |c| {
        c.execute("DELETE FROM audit_log WHERE seq BETWEEN 30 AND 33", [])
            .unwrap();
    });
    assert_problem(&report, AuditProblem::Missing { seq: 30 }, &[30]);
}

/// Swaps the contents of entries `a` and `b`, each keeping its sequence number.
fn swap(conn: &Connection, a: i64, b: i64) {
    conn.execute_batch(&format!(
        "UPDATE audit_log SET seq = -1 WHERE seq = {a};
         UPDATE audit_log SET seq = {a} WHERE seq = {b};
         UPDATE audit_log SET seq = {b} WHERE seq = -1;"
    ))
    .unwrap();
}

#[test]
fn swapped_or_inserted_entries_are_named_at_the_first_changed_place() {
    let busy = busy_vault();
    for (a, b) in [(30, 31), (12, 40), (2, busy.entries)] {
        let report = busy.verify_tampered(&format!("swap-{a}-{b}"), None, |c| swap(c, a, b));
        assert_problem(&report, AuditProblem::Altered { seq: a }, &[a]);
    }
    // Only the macs swapped (each row keeps its content).
    let report = busy.verify_tampered("swap-macs", None, |c| {
        let mac = |seq: i64| -> Vec<u8> {
            c.query_row("SELECT mac FROM audit_log WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .unwrap()
        };
        let (m20, m21) = (mac(20), mac(21));
        c.execute(
            "UPDATE audit_log SET mac = ?2 WHERE seq = ?1",
            params![20, m21],
        )
        .unwrap();
        c.execute(
            "UPDATE audit_log SET mac = ?2 WHERE seq = ?1",
            params![21, m20],
        )
        .unwrap();
    });
    assert_problem(&report, AuditProblem::Altered { seq: 20 }, &[20]);
    // A copy of a genuine entry (with its mac) inserted in the middle, shifting the rest up.
    let report = busy.verify_tampered("insert-middle", None, |c| {
        c.execute_batch(
            "UPDATE audit_log SET seq = -seq WHERE seq >= 15;
             UPDATE audit_log SET seq = 1 - seq WHERE seq < 0;
             INSERT INTO audit_log SELECT 15, at, clock_anomaly, user_id, department_id, pc_id,
                 pc_tag, session_id, action, target_kind, target_id, result, detail, mac
                 FROM audit_log WHERE seq = 10;",
        )
        .unwrap();
    });
    assert_problem(&report, AuditProblem::Altered { seq: 15 }, &[15]);
    // A copy appended at the end: the next log-in chains on it, but it does not chain itself.
    let end = busy.entries + 1;
    let report = busy.verify_tampered("insert-end", None, |c| {
        c.execute(
            "INSERT INTO audit_log SELECT ?1, at, clock_anomaly, user_id, department_id, pc_id,
                 pc_tag, session_id, action, target_kind, target_id, result, detail, mac
                 FROM audit_log WHERE seq = 10",
            [end],
        )
        .unwrap();
    });
    assert_problem(&report, AuditProblem::Altered { seq: end }, &[end]);
}

// ---------------------------------------------------------------------------------------------
// (d, e) the tail cut off; (f) the whole vault rolled back; (g) foreign or mistyped seals

#[test]
fn a_cut_off_tail_is_caught_by_the_seal_even_with_the_stored_head_put_back() {
    let busy = busy_vault();
    let seal = &busy.seal;
    // (d) The last 5 entries deleted (the seal's entry among them), nothing else touched. The
    // next log-in finds the stored head ahead of the table and records the cut in the chain
    // before anything else, so it is reported with or without a seal.
    let k = 5;
    let kept = busy.entries - k;
    let cut = |c: &Connection| {
        let n = c
            .execute("DELETE FROM audit_log WHERE seq > ?1", [kept])
            .unwrap();
        assert_eq!(n as i64, k);
    };
    let want = AuditProblem::Truncated {
        last: kept,
        expected: busy.entries,
    };
    let report = busy.verify_tampered("truncate", Some(seal), cut);
    assert_problem(&report, want.clone(), &[kept, busy.entries]);
    let report = busy.verify_tampered("truncate-no-seal", None, cut);
    assert_problem(&report, want, &[kept, busy.entries]);
    // The stored head removed or altered: the next log-in records that in the chain too.
    let report = busy.verify_tampered("head-deleted", None, |c| {
        c.execute("DELETE FROM meta WHERE key = 'audit_head'", [])
            .unwrap();
    });
    assert_eq!(report.problem, Some(AuditProblem::HeadAltered));
    let report = busy.verify_tampered("head-altered", None, |c| {
        c.execute(
            "UPDATE meta SET value = substr(value, 1, 8) || zeroblob(32) WHERE key = 'audit_head'",
            [],
        )
        .unwrap();
    });
    assert_eq!(report.problem, Some(AuditProblem::HeadAltered));

    // (e) Everything after an earlier moment deleted AND the stored head put back as it was
    // then: the log is exactly an older state of itself. Only the seal can tell.
    let (early, early_meta) = busy.early_head.clone();
    let report = busy.verify_tampered("truncate-restore-head", Some(seal), |c| {
        c.execute("DELETE FROM audit_log WHERE seq > ?1", [early])
            .unwrap();
        c.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'audit_head'",
            [&early_meta],
        )
        .unwrap();
    });
    let want = AuditProblem::RolledBack {
        seal: seal.seq,
        head: early + 2,
    };
    assert_problem(&report, want, &[seal.seq, early + 2]);

    // Cut so that the seal's number exists again (re-used by the new entries after the cut):
    // the cut itself is what is reported, as it comes first.
    let report = busy.verify_tampered("truncate-reuse", Some(seal), |c| {
        c.execute("DELETE FROM audit_log WHERE seq > ?1", [seal.seq - 2])
            .unwrap();
    });
    assert_problem(
        &report,
        AuditProblem::Truncated {
            last: seal.seq - 2,
            expected: busy.entries,
        },
        &[seal.seq - 2, busy.entries],
    );
}

#[test]
fn a_vault_rolled_back_to_an_old_copy_is_caught_by_a_later_seal() {
    let busy = busy_vault();
    // The old copy, taken after a clean log-out.
    let old = busy.tmp.path().join("old-copy");
    copy_vault_dir(&busy.dir, &old);
    let old_entries = with_db(&old, head_seq);
    // More work, then a seal, on the real vault.
    let vault = Vault::open(&busy.dir).unwrap();
    busy.clock.advance(secs(600));
    let mut s = admin(&vault, &busy.clock);
    for &id in &busy.people {
        s.reveal_number(id).unwrap();
    }
    let seal = s.audit_seal().unwrap();
    s.logout().unwrap();
    drop(vault);
    assert!(seal.seq > old_entries + 10);
    // The stick is put back as it was: every file of the old copy over the vault.
    for f in kinko_e2e::files_under(&busy.dir) {
        std::fs::remove_file(f).unwrap();
    }
    copy_vault_dir(&old, &busy.dir);
    // Without the seal nothing is wrong (an old copy is a consistent log) ...
    let report = busy.verify_at(&busy.dir, None);
    assert_eq!(report.problem, None, "{report:?}");
    assert_eq!(
        report.head,
        old_entries + 2,
        "the log-in and the verification"
    );
    // ... with it, the rollback is named: the seal's number and how far the log goes now
    // (to the entry of this verification, right after its log-in).
    let before = with_db(&busy.dir, head_seq);
    let report = busy.verify_at(&busy.dir, Some(&seal));
    let head = before + 2;
    assert_problem(
        &report,
        AuditProblem::RolledBack {
            seal: seal.seq,
            head,
        },
        &[seal.seq, head],
    );
    // An older seal (taken before the copy) still verifies the restored vault.
    let report = busy.verify_at(&busy.dir, Some(&busy.seal));
    assert_eq!(report.problem, None, "{report:?}");
}

#[test]
fn a_seal_from_another_vault_or_mistyped_does_not_match() {
    let busy = busy_vault();
    // Another vault's seal, for an entry number this vault also has.
    let other_tmp = tempfile::tempdir().unwrap();
    let other = create_vault(&other_tmp.path().join("other")).vault;
    let mut s = admin(&other, &busy.clock);
    s.list(&PeopleQuery::default()).unwrap();
    let foreign = s.audit_seal().unwrap();
    drop(s);
    assert!(foreign.seq < busy.entries);
    let report = busy.verify_at(&busy.dir, Some(&foreign));
    assert_problem(
        &report,
        AuditProblem::SealMismatch { seal: foreign.seq },
        &[foreign.seq],
    );
    // This vault's seal with one character mistyped (still a valid-looking code).
    let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut code: Vec<char> = busy.seal.code.chars().collect();
    let pos = alphabet.find(code[4]).unwrap();
    code[4] = alphabet.chars().nth((pos + 1) % alphabet.len()).unwrap();
    let typo = Seal::parse(&format!(
        "{}-{}",
        busy.seal.seq,
        code.iter().collect::<String>()
    ))
    .expect("still well-formed");
    assert_ne!(typo, busy.seal);
    let report = busy.verify_at(&busy.dir, Some(&typo));
    assert_problem(
        &report,
        AuditProblem::SealMismatch {
            seal: busy.seal.seq,
        },
        &[busy.seal.seq],
    );
    // The right code with the wrong number.
    let shifted = Seal {
        seq: busy.seal.seq - 1,
        code: busy.seal.code.clone(),
    };
    let report = busy.verify_at(&busy.dir, Some(&shifted));
    assert_problem(
        &report,
        AuditProblem::SealMismatch { seal: shifted.seq },
        &[shifted.seq],
    );
    // A seal for an entry the log never reached.
    let ahead = Seal {
        seq: busy.entries + 1_000,
        code: busy.seal.code.clone(),
    };
    let report = busy.verify_at(&busy.dir, Some(&ahead));
    let head = report.head;
    assert_problem(
        &report,
        AuditProblem::RolledBack {
            seal: ahead.seq,
            head,
        },
        &[ahead.seq, head],
    );
    // And the genuine seal, on the untouched vault, verifies clean.
    let report = busy.verify_at(&busy.dir, Some(&busy.seal));
    assert_eq!(report.problem, None, "{report:?}");
}

// ---------------------------------------------------------------------------------------------
// Log-ins, log-outs and the sessions report

fn at(offset_secs: i64) -> String {
    (t0() + chrono::Duration::seconds(offset_secs))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[test]
fn the_sessions_report_says_who_where_from_when_to_when() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = create_vault(&tmp.path().join("vault")).vault;
    let clock = ManualClock::new(t0());
    // 1. The administrator on an unregistered PC: sets up a department, a PC and a clerk.
    let mut a = admin(&vault, &clock);
    assert_eq!(a.pc_name(), None);
    let sales = a.add_department("営業部").unwrap();
    let pc_a = a
        .register_pc("受付PC", Some(sales), &kinko_e2e::pc("pc-a"))
        .unwrap();
    let clerk = a
        .add_user(
            NewUser {
                department: Some(sales),
                ..new_user(CLERK, UserRole::Clerk, Scope::everyone())
            },
            INITIAL_PASSWORD.as_bytes(),
        )
        .unwrap();
    clock.advance(secs(300));
    a.logout().unwrap();
    // 2. The clerk on 受付PC for 1 h 2 min 3 s.
    clock.advance(secs(60));
    let mut c = login_at(&vault, CLERK, INITIAL_PASSWORD, "pc-a", &clock).unwrap();
    assert_eq!(c.pc_name(), Some("受付PC"));
    c.change_password(INITIAL_PASSWORD.as_bytes(), user_password(CLERK).as_bytes())
        .unwrap();
    for _ in 0..7 {
        clock.advance(secs(531)); // under the 10-minute idle limit
        c.list(&PeopleQuery::default()).unwrap();
    }
    clock.advance(secs(3723 - 7 * 531));
    c.logout().unwrap();
    // 3. The clerk on an unregistered PC, 30 s, never logged out (the stick pulled).
    clock.advance(secs(10));
    let mut c = login_at(&vault, CLERK, &user_password(CLERK), "pc-z", &clock).unwrap();
    clock.advance(secs(30));
    c.list(&PeopleQuery::default()).unwrap();
    drop(c);
    // 4. The clerk on 受付PC, locks the screen and logs out from the lock screen a minute in.
    clock.advance(secs(60));
    let mut c = login_at(&vault, CLERK, &user_password(CLERK), "pc-a", &clock).unwrap();
    clock.advance(secs(20));
    c.lock(LockReason::Manual).unwrap();
    clock.advance(secs(40));
    c.logout().unwrap();
    // 5. The administrator, on 受付PC now, reads the report 7 s in.
    clock.advance(secs(5));
    let mut a = admin_on(&vault, "pc-a", &clock);
    clock.advance(secs(7));
    let report = a.audit_sessions().unwrap();
    let s2 = 300 + 60;
    let s3 = s2 + 3723 + 10;
    let s4 = s3 + 30 + 60;
    let s5 = s4 + 60 + 5;
    let row = |login: &str,
               department: Option<&str>,
               pc: Option<&str>,
               from: i64,
               to: Option<i64>,
               reason: Option<&str>,
               seconds: i64| {
        (
            login.to_owned(),
            department.map(str::to_owned),
            pc.map(str::to_owned),
            at(from),
            to.map(at),
            reason.map(str::to_owned),
            Some(seconds),
        )
    };
    let got: Vec<_> = report
        .iter()
        .map(|r: &SessionRecord| {
            (
                r.login.clone(),
                r.department.clone(),
                r.pc.clone(),
                r.started_at.clone(),
                r.ended_at.clone(),
                r.end_reason.clone(),
                r.seconds,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            row(ADMIN, None, None, 0, Some(300), Some("logout"), 300),
            row(
                CLERK,
                Some("営業部"),
                Some("受付PC"),
                s2,
                Some(s2 + 3723),
                Some("logout"),
                3723
            ),
            // Dropped without a log-out (the program ended): closed then.
            row(
                CLERK,
                Some("営業部"),
                None,
                s3,
                Some(s3 + 30),
                Some("closed"),
                30
            ),
            row(
                CLERK,
                Some("営業部"),
                Some("受付PC"),
                s4,
                Some(s4 + 60),
                Some("logout_while_locked"),
                60
            ),
            // The report's own entry is 7 s into this session.
            row(ADMIN, None, Some("受付PC"), s5, None, None, 7),
        ]
    );
    // The log-in and log-out entries carry the user, department, PC and session.
    let logins = a
        .audit_list(&AuditQuery {
            action: Some("login".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    let ok: Vec<&AuditEntry> = logins.iter().filter(|e| e.outcome == Outcome::Ok).collect();
    assert_eq!(ok.len(), 5);
    let sessions: Vec<i64> = report.iter().map(|r| r.id).collect();
    for (e, (sid, (user, dept, pc, detail))) in ok.iter().zip(sessions.iter().zip([
        (1, None, None, "unregistered_pc"),
        (clerk.0, Some(sales.0), Some(pc_a), ""),
        (clerk.0, Some(sales.0), None, "unregistered_pc"),
        (clerk.0, Some(sales.0), Some(pc_a), ""),
        (1, None, Some(pc_a), ""),
    ])) {
        assert_eq!(e.actor.user, Some(user), "{e:?}");
        assert_eq!(e.actor.department, dept, "{e:?}");
        assert_eq!(e.actor.pc, pc, "{e:?}");
        assert_eq!(e.actor.pc_tag.is_some(), pc.is_none(), "{e:?}");
        assert_eq!(e.actor.session, Some(*sid), "{e:?}");
        assert_eq!(e.detail, detail, "{e:?}");
        assert_eq!(e.target_kind.as_deref(), Some("user"));
        assert_eq!(e.target_id, Some(user));
    }
    let logouts: Vec<(Option<i64>, String, String)> = a
        .audit_list(&AuditQuery {
            action: Some("logout".into()),
            ..AuditQuery::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| (e.actor.session, e.at, e.detail))
        .collect();
    assert_eq!(
        logouts,
        [
            (Some(sessions[0]), at(300), String::new()),
            (Some(sessions[1]), at(s2 + 3723), String::new()),
            (Some(sessions[2]), at(s3 + 30), "closed".to_owned()),
        ],
        "a log-out from the lock screen has no entry of its own (the keys are gone)"
    );
    // The filter by time: nothing before t0, everything from t0.
    let since = a
        .audit_list(&AuditQuery {
            since: Some(at(s4)),
            ..AuditQuery::default()
        })
        .unwrap();
    assert!(since.iter().all(|e| e.at >= at(s4)));
    assert!(since.iter().any(|e| e.action == "lock"));
    assert!(!since.iter().any(|e| e.action == "password_change"));
}

fn admin_on(vault: &Vault, pc: &str, clock: &ManualClock) -> Session {
    login_at(vault, ADMIN, PASSWORD, pc, clock).expect("admin login")
}

// ---------------------------------------------------------------------------------------------
// Clock anomalies

#[test]
fn entries_are_flagged_when_the_clock_runs_backwards_or_jumps() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = create_vault(&tmp.path().join("vault")).vault;
    // The set-up entry is stamped with the real clock; start the hand-driven one after it.
    let start = chrono::Utc::now() + chrono::Duration::hours(1);
    let clock = ManualClock::new(start);
    let mut a = admin(&vault, &clock);
    let first = a.audit_seal().unwrap().seq; // the seal entry itself: a marker
    clock.advance(secs(60));
    a.list(&PeopleQuery::default()).unwrap(); // normal
    clock.set_wall(clock_now(&clock) + chrono::Duration::seconds(90));
    a.list(&PeopleQuery::default()).unwrap(); // 90 s drift: within tolerance
    clock.set_wall(clock_now(&clock) + chrono::Duration::hours(1));
    a.list(&PeopleQuery::default()).unwrap(); // jumped an hour ahead of the monotonic clock
    a.logout().unwrap(); // still an hour off within this session
    // The BIOS clock set back a day: the next log-in is earlier than the last entry.
    clock.set_wall(start - chrono::Duration::days(1));
    let mut a = admin(&vault, &clock);
    clock.advance(secs(30));
    a.list(&PeopleQuery::default()).unwrap(); // consistent with the (wrong) new start
    clock.set_wall(clock_now(&clock) - chrono::Duration::seconds(60));
    a.list(&PeopleQuery::default()).unwrap(); // a minute back: within tolerance
    let entries = a
        .audit_list(&AuditQuery::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.seq > first)
        .map(|e| (e.action, e.clock_anomaly))
        .collect::<Vec<_>>();
    let flag = |s: &str| Some(s.to_owned());
    assert_eq!(
        entries,
        [
            ("person.list".to_owned(), None),
            ("person.list".to_owned(), None),
            ("person.list".to_owned(), flag("jump")),
            ("logout".to_owned(), flag("jump")),
            ("login".to_owned(), flag("backwards")),
            ("person.list".to_owned(), None),
            ("person.list".to_owned(), None),
            ("audit.list".to_owned(), None),
        ]
    );
    // The flags are part of the chained entry: the log verifies clean as it is.
    assert_eq!(a.audit_verify(None).unwrap().problem, None);
}

fn clock_now(clock: &ManualClock) -> chrono::DateTime<chrono::Utc> {
    use kinko_vault::Clock;
    clock.now()
}

// ---------------------------------------------------------------------------------------------
// Failed log-ins and lock-outs

/// A vault with a clerk (registered PC 受付PC as pc-a) whose password is set; nobody logged in.
fn vault_with_clerk() -> (tempfile::TempDir, Vault, ManualClock, i64, i64) {
    let tmp = tempfile::tempdir().unwrap();
    let vault = create_vault(&tmp.path().join("vault")).vault;
    let clock = ManualClock::new(t0());
    let mut a = admin(&vault, &clock);
    let pc_a = a
        .register_pc("受付PC", None, &kinko_e2e::pc("pc-a"))
        .unwrap();
    let (id, c) = add_ready_user(
        &mut a,
        &vault,
        new_user(CLERK, UserRole::Clerk, Scope::everyone()),
        "pc-a",
        &clock,
    );
    c.logout().unwrap();
    a.logout().unwrap();
    (tmp, vault, clock, id.0, pc_a)
}

fn pending(vault_dir: &Path) -> i64 {
    let conn = Connection::open_with_flags(
        vault_dir.join(DB_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.query_row("SELECT count(*) FROM pending_events", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn failed_log_ins_and_the_lock_out_reach_the_log_at_the_next_log_in() {
    let (_tmp, vault, clock, clerk, pc_a) = vault_with_clerk();
    let dir = vault.dir().to_path_buf();
    let head_before = with_db_ro(&dir, head_seq);
    let wrong = |login: &str, pc: &str| {
        clock.advance(secs(1));
        expect_err(
            &format!("{login} with a wrong password"),
            login_at(&vault, login, "Falsches-Passwort-1", pc, &clock).map(drop),
            |e| matches!(e, VaultError::WrongPassword),
        );
    };
    let t_first = 1;
    wrong(CLERK, "pc-a");
    wrong(CLERK, "pc-a");
    wrong("nobody", "pc-a");
    // A password typed into the user-name field by mistake: not even a valid user name.
    wrong("Tr0ub4dor&3-secret", "pc-z");
    wrong(CLERK, "pc-z");
    wrong(CLERK, "pc-a");
    wrong(CLERK, "pc-a"); // the fifth in a row: locked
    clock.advance(secs(1));
    let until = japan_time(
        clock_now(&clock) - chrono::Duration::seconds(1) + chrono::Duration::minutes(15),
    );
    let e = expect_err(
        "the right password while locked",
        login_at(&vault, CLERK, &user_password(CLERK), "pc-a", &clock).map(drop),
        |e| matches!(e, VaultError::Locked { .. }),
    );
    assert!(
        matches!(&e, VaultError::Locked { until: u } if *u == until),
        "{e:?}"
    );
    assert!(e.to_string().contains("ロック"), "{e}");
    // Nothing is in the log yet (the log's key is not available before a log-in) ...
    assert_eq!(with_db_ro(&dir, head_seq), head_before);
    assert_eq!(pending(&dir), 9);
    // ... until the administrator logs in: then all of it, in order, before their log-in.
    clock.advance(secs(60));
    let mut a = admin(&vault, &clock);
    assert_eq!(pending(&dir), 0);
    let entries: Vec<AuditEntry> = a
        .audit_list(&AuditQuery::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.seq > head_before)
        .collect();
    let got: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e.action.as_str(),
                e.outcome,
                e.actor.user,
                e.target_id,
                e.actor.pc,
                e.detail.as_str(),
                e.at.clone(),
            )
        })
        .collect();
    let d = Outcome::Denied;
    let c = Some(clerk);
    let p = Some(pc_a);
    assert_eq!(
        got[..10],
        [
            ("login", d, c, c, p, "wrong_password", at(t_first)),
            ("login", d, c, c, p, "wrong_password", at(t_first + 1)),
            ("login", d, None, None, p, "unknown_user", at(t_first + 2)),
            (
                "login",
                d,
                None,
                None,
                None,
                "unknown_user",
                at(t_first + 3)
            ),
            ("login", d, c, c, None, "wrong_password", at(t_first + 4)),
            ("login", d, c, c, p, "wrong_password", at(t_first + 5)),
            ("login", d, c, c, p, "wrong_password", at(t_first + 6)),
            ("lockout", d, c, c, p, "after=5", at(t_first + 6)),
            ("login", d, c, c, p, "locked", at(t_first + 7)),
            (
                "login",
                Outcome::Ok,
                Some(1),
                Some(1),
                None,
                "unregistered_pc",
                at(t_first + 67)
            ),
        ][..]
    );
    // Entries from an unregistered PC carry its keyed tag, not its name.
    assert!(entries[3].actor.pc_tag.is_some() && entries[4].actor.pc_tag.is_some());
    assert_eq!(entries[3].actor.pc_tag, entries[4].actor.pc_tag);
    assert_eq!(a.audit_verify(None).unwrap().problem, None);
}

fn with_db_ro<T>(dir: &Path, f: impl FnOnce(&Connection) -> T) -> T {
    let conn = Connection::open_with_flags(
        dir.join(DB_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    f(&conn)
}

#[test]
fn the_lock_out_survives_reopening_and_an_administrator_can_lift_it() {
    let (tmp, vault, clock, clerk, _) = vault_with_clerk();
    let right = user_password(CLERK);
    let try_login = |vault: &Vault, pw: &str| login_at(vault, CLERK, pw, "pc-a", &clock).map(drop);
    // Four failures, a success (the count starts again), four failures: not locked.
    for _ in 0..4 {
        assert!(matches!(
            try_login(&vault, "Falsch-Passwort-2"),
            Err(VaultError::WrongPassword)
        ));
    }
    try_login(&vault, &right).expect("the fifth attempt is right");
    for _ in 0..4 {
        assert!(matches!(
            try_login(&vault, "Falsch-Passwort-2"),
            Err(VaultError::WrongPassword)
        ));
    }
    try_login(&vault, &right).expect("still not locked");
    // Five in a row lock the account for 15 minutes from the fifth.
    clock.advance(secs(3600));
    for _ in 0..5 {
        assert!(matches!(
            try_login(&vault, "Falsch-Passwort-2"),
            Err(VaultError::WrongPassword)
        ));
    }
    let until = japan_time(clock_now(&clock) + chrono::Duration::minutes(15));
    assert!(
        matches!(try_login(&vault, &right), Err(VaultError::Locked { until: u }) if u == until)
    );
    // Closed and reopened from disk: still locked, until the same time.
    let dir = vault.dir().to_path_buf();
    drop(vault);
    let vault = Vault::open(&dir).unwrap();
    clock.advance(secs(14 * 60));
    assert!(
        matches!(try_login(&vault, &right), Err(VaultError::Locked { until: u }) if u == until)
    );
    // Wrong passwords while locked answer "locked" too and do not extend it.
    assert!(matches!(
        try_login(&vault, "Falsch-Passwort-2"),
        Err(VaultError::Locked { .. })
    ));
    // The administrator sees it and lifts it.
    let mut a = admin(&vault, &clock);
    let info = a
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.login == CLERK)
        .unwrap();
    assert!(info.locked_until.is_some());
    a.unlock_user(CLERK).unwrap();
    let info = a
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.login == CLERK)
        .unwrap();
    assert_eq!((info.locked_until, info.failed_logins), (None, 0));
    let unlocks = a
        .audit_list(&AuditQuery {
            action: Some("user.unlock".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(unlocks.len(), 1);
    assert_eq!(unlocks[0].target_id, Some(clerk));
    drop(a);
    try_login(&vault, &right).expect("unlocked by the administrator");
    // Locked again, it also lifts by itself when the time is up (by the clock passed in).
    for _ in 0..5 {
        let _ = try_login(&vault, "Falsch-Passwort-2");
    }
    clock.advance(secs(15 * 60 - 1));
    assert!(matches!(
        try_login(&vault, &right),
        Err(VaultError::Locked { .. })
    ));
    clock.advance(secs(1));
    try_login(&vault, &right).expect("the lock-out has run out");
    // A stricter policy: three failures lock for one minute.
    let mut a = admin(&vault, &clock);
    a.set_policy(Policy {
        lockout_threshold: 3,
        lockout_minutes: 1,
        idle_minutes: 10,
    })
    .unwrap();
    drop(a);
    for _ in 0..3 {
        assert!(matches!(
            try_login(&vault, "Falsch-Passwort-2"),
            Err(VaultError::WrongPassword)
        ));
    }
    assert!(matches!(
        try_login(&vault, &right),
        Err(VaultError::Locked { .. })
    ));
    clock.advance(secs(60));
    try_login(&vault, &right).expect("after one minute");
    drop(tmp);
}

// ---------------------------------------------------------------------------------------------
// Auto-lock

#[test]
fn an_idle_session_locks_itself_and_unlocks_only_with_the_password() {
    let (_tmp, vault, clock, clerk, _) = vault_with_clerk();
    let right = user_password(CLERK);
    let mut c = login_at(&vault, CLERK, &right, "pc-a", &clock).unwrap();
    let q = PeopleQuery::default();
    assert_eq!(c.idle_remaining(), secs(600));
    clock.advance(secs(240));
    assert_eq!(c.idle_remaining(), secs(360));
    c.list(&q).unwrap(); // any operation restarts the count
    assert_eq!(c.idle_remaining(), secs(600));
    clock.advance(secs(599));
    assert!(!c.check_idle().unwrap());
    assert_eq!(c.idle_remaining(), secs(1));
    clock.advance(secs(1));
    assert_eq!(c.idle_remaining(), Duration::ZERO);
    expect_err("an operation after 10 idle minutes", c.list(&q), |e| {
        matches!(e, VaultError::SessionLocked)
    });
    assert!(c.is_locked());
    expect_err("again", c.reveal_number(PersonId(1)), |e| {
        matches!(e, VaultError::SessionLocked)
    });
    // A wrong password does not unlock, and counts towards the lock-out.
    expect_err(
        "unlock with a wrong password",
        c.unlock(b"Falsch-Passwort-3"),
        |e| matches!(e, VaultError::WrongPassword),
    );
    assert!(c.is_locked());
    let mut a = admin(&vault, &clock);
    let failed = |a: &mut Session| {
        a.users()
            .unwrap()
            .into_iter()
            .find(|u| u.login == CLERK)
            .unwrap()
            .failed_logins
    };
    assert_eq!(failed(&mut a), 1);
    c.unlock(right.as_bytes()).unwrap();
    assert!(!c.is_locked());
    assert_eq!(c.idle_remaining(), secs(600));
    c.list(&q).unwrap();
    assert_eq!(failed(&mut a), 0, "a successful unlock clears the count");
    // A manual lock, and five wrong unlocks: the account locks; the right password then fails.
    c.lock(LockReason::Manual).unwrap();
    for _ in 0..5 {
        assert!(matches!(
            c.unlock(b"Falsch-Passwort-3"),
            Err(VaultError::WrongPassword)
        ));
    }
    expect_err("unlock while locked out", c.unlock(right.as_bytes()), |e| {
        matches!(e, VaultError::Locked { .. })
    });
    drop(a);
    // The log, read by a new administrator session (which also absorbs the pending failures).
    let mut a = admin(&vault, &clock);
    let mine: Vec<(String, Outcome, String)> = a
        .audit_list(&AuditQuery {
            user: Some(clerk),
            ..AuditQuery::default()
        })
        .unwrap()
        .into_iter()
        .filter(|e| e.actor.session.is_some() || e.action != "login")
        .filter(|e| !["password_change"].contains(&e.action.as_str()))
        .map(|e| (e.action, e.outcome, e.detail))
        .skip_while(|(action, _, _)| action != "person.list")
        .collect();
    let ok = |a: &str, d: &str| (a.to_owned(), Outcome::Ok, d.to_owned());
    let denied = |a: &str, d: &str| (a.to_owned(), Outcome::Denied, d.to_owned());
    let mut want = vec![
        ok("person.list", "results=0 search=no"),
        ok("auto_lock", ""),
        // The wrong unlock, recorded as a pending event, came in with the administrator's
        // log-in that followed it.
        denied("unlock", "wrong_password"),
        ok("unlock", ""),
        ok("person.list", "results=0 search=no"),
        ok("lock", ""),
    ];
    // The failures before the lock-out came in at this log-in.
    for _ in 0..5 {
        want.push(denied("unlock", "wrong_password"));
    }
    want.push(denied("lockout", "after=5"));
    want.push(denied("unlock", "locked"));
    assert_eq!(mine, want);
    // The idle limit follows the policy, at once for a running session.
    a.set_policy(Policy {
        idle_minutes: 1,
        ..Policy::default()
    })
    .unwrap();
    assert_eq!(a.idle_remaining(), secs(60));
    clock.advance(secs(60));
    assert!(a.check_idle().unwrap());
    assert!(matches!(
        a.audit_list(&AuditQuery::default()),
        Err(VaultError::SessionLocked)
    ));
}
