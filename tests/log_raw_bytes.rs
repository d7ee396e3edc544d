//! The audit log must not become the place where secrets leak (F6: targets are internal IDs,
//! never a number; PRODUCT.md §3: nothing personal readable in the raw bytes of the stick).
//!
//! Real activity that the log records — people viewed and revealed, searches by name, kana and
//! code prefix, look-ups by code, failed operations (a duplicate number, a duplicate code),
//! failed log-ins with wrong passwords and with a password typed into the user-name field by
//! mistake, a lock-out, password changes and resets — then every byte of every file of the
//! vault is scanned for the names, kana, addresses, numbers, codes, search strings, passwords
//! and the mistyped string, in the encodings a careless store could use. None may appear. As a
//! positive control, things that are stored in the clear on purpose (log-in names, department
//! and PC names) must be found by the same scan.

use std::path::Path;

use kinko_domain::people::{DependantType, PayeeKind, PersonId, PersonKind};
use kinko_e2e::{
    ADMIN, Expected, INITIAL_PASSWORD, MIN_NEEDLE, Needle, PASSWORD, PEOPLE, add_ready_user,
    corporate, create_vault, employee, expect_err, family, individual, login_at, new_user, payee,
    scan_dir, t0, user_password, utf16be, utf16le,
};
use kinko_vault::{AuditQuery, DB_FILE, ManualClock, PeopleQuery, Scope, UserRole, VaultError};

/// A password typed into the user-name field by mistake (it is not even a valid user name).
const MISTYPED: &str = "Tr0ub4dor&3-secret";
/// A password-like string typed as a user name that is a valid login but nobody's.
const MISTYPED_VALID: &str = "hunter2-letmein-secret";
/// Wrong passwords typed for real accounts.
const WRONG_PASSWORDS: [&str; 2] = ["Wrong-Passw0rd-typed!", "fast-richtig-Kennwort-7"];
/// The password the administrator sets when resetting the clerk's.
const RESET_PASSWORD: &str = "Zurueckgesetzt-リセット-42";
/// Typed into the search box.
const SEARCHES: [&str; 4] = ["髙橋", "ヤマザキ", "たかはし", "K-0107"];
/// Looked up by code, including one nobody has.
const LOOKUPS: [&str; 3] = ["K-0100", "P-7001", "K-9999"];

#[derive(Default)]
struct Needles {
    list: Vec<Needle>,
    skipped: Vec<String>,
}

impl Needles {
    fn push(&mut self, label: impl Into<String>, bytes: Vec<u8>) {
        let label = label.into();
        // Shorter needles would be found by chance in ciphertext.
        if bytes.len() < MIN_NEEDLE {
            self.skipped.push(format!("{label}: too short"));
            return;
        }
        if !self.list.iter().any(|n| n.bytes == bytes) {
            self.list.push(Needle { label, bytes });
        }
    }

    fn text(&mut self, label: &str, s: &str) {
        self.push(format!("{label} (UTF-8)"), s.as_bytes().to_vec());
        self.push(format!("{label} (UTF-16LE)"), utf16le(s));
        self.push(format!("{label} (UTF-16BE)"), utf16be(s));
        for (name, enc) in [
            ("Shift_JIS", encoding_rs::SHIFT_JIS),
            ("EUC-JP", encoding_rs::EUC_JP),
        ] {
            let (bytes, _, unmappable) = enc.encode(s);
            if unmappable {
                self.skipped.push(format!("{label} ({name}): unmappable"));
            } else {
                self.push(format!("{label} ({name})"), bytes.into_owned());
            }
        }
        if !s.is_ascii() {
            let escaped: String = s
                .encode_utf16()
                .map(|u| {
                    if u < 0x80 {
                        char::from(u as u8).to_string()
                    } else {
                        format!("\\u{u:04x}")
                    }
                })
                .collect();
            self.push(format!("{label} (JSON-escaped)"), escaped.into_bytes());
        }
    }

    fn name(&mut self, label: &str, name: &str) {
        self.text(label, name);
        if name.contains('\u{3000}') {
            self.text(
                &format!("{label} without space"),
                &name.replace('\u{3000}', ""),
            );
            self.text(
                &format!("{label} ASCII space"),
                &name.replace('\u{3000}', " "),
            );
        }
    }

    fn number(&mut self, label: &str, digits: &str) {
        self.text(label, digits);
        let grouped: Vec<String> = if digits.len() == 12 {
            vec![
                format!("{} {} {}", &digits[..4], &digits[4..8], &digits[8..]),
                format!("{}-{}-{}", &digits[..4], &digits[4..8], &digits[8..]),
            ]
        } else {
            vec![format!(
                "{} {} {} {}",
                &digits[..1],
                &digits[1..5],
                &digits[5..9],
                &digits[9..]
            )]
        };
        for (i, g) in grouped.iter().enumerate() {
            self.push(format!("{label} grouped #{i}"), g.as_bytes().to_vec());
        }
        let full: String = digits
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).expect("a digit"))
            .collect();
        self.text(&format!("{label} full-width"), &full);
        let v: u64 = digits.parse().expect("digits");
        self.push(format!("{label} as u64 BE"), v.to_be_bytes()[2..].to_vec());
        self.push(format!("{label} as u64 LE"), v.to_le_bytes().to_vec());
    }

    fn person(&mut self, label: &str, e: &Expected) {
        self.name(&format!("{label} name"), &e.details.name);
        self.text(&format!("{label} kana"), &e.details.kana);
        if let Some(a) = &e.details.address {
            self.text(&format!("{label} address"), a);
        }
        if let Some(code) = e.role.code() {
            self.text(&format!("{label} code"), code);
        }
        if let Some(n) = &e.number {
            self.number(&format!("{label} number"), n.expose_digits());
        }
    }
}

struct Activity {
    people: Vec<(String, Expected)>,
    recovery_code: String,
    /// Numbers typed but refused (a duplicate): typed, so personal too.
    refused_numbers: Vec<String>,
}

/// Everything the log records, done for real.
fn activity(dir: &Path) -> Activity {
    let created = create_vault(dir);
    let recovery_code = created.recovery_code.as_str().to_owned();
    let vault = created.vault;
    let clock = ManualClock::new(t0());
    let tick = || clock.advance(std::time::Duration::from_secs(5));
    let mut a = login_at(&vault, ADMIN, PASSWORD, "pc-admin", &clock).unwrap();
    let sales = a.add_department("営業部").unwrap();
    a.register_pc("受付PC", Some(sales), &kinko_e2e::pc("pc-a"))
        .unwrap();
    let mut people: Vec<(String, Expected)> = Vec::new();
    let mut ids: Vec<PersonId> = Vec::new();
    for (i, f) in PEOPLE[..12].iter().enumerate() {
        let e = employee(
            &format!("K-{:04}", 100 + i),
            f,
            Some(sales).filter(|_| i % 2 == 0),
            Some(individual(7_000 + i as u64)),
        );
        ids.push(a.add_person(e.new_person()).unwrap());
        people.push((format!("employee {i}"), e));
    }
    for (k, f) in PEOPLE[20..23].iter().enumerate() {
        let e = family(
            ids[k],
            "配偶者",
            DependantType::Spouse,
            f,
            Some(individual(7_100 + k as u64)),
        );
        ids.push(a.add_person(e.new_person()).unwrap());
        people.push((format!("family {k}"), e));
    }
    for e in [
        payee(
            "P-7001",
            PayeeKind::Individual,
            &PEOPLE[26],
            Some(individual(7_200)),
        ),
        payee(
            "P-7002",
            PayeeKind::Corporation,
            &PEOPLE[27],
            Some(corporate(72)),
        ),
    ] {
        ids.push(a.add_person(e.new_person()).unwrap());
        people.push((format!("payee {}", e.role.code().unwrap_or_default()), e));
    }
    // Views, reveals, family, searches and look-ups by the administrator.
    for &id in &ids {
        tick();
        a.person(id).unwrap();
        a.reveal_number(id).unwrap();
    }
    a.family_of(ids[0]).unwrap();
    for text in SEARCHES {
        a.list(&PeopleQuery {
            text: Some(text.into()),
            ..Default::default()
        })
        .unwrap();
    }
    for code in LOOKUPS {
        for kind in [PersonKind::Employee, PersonKind::Payee] {
            a.find_by_code(kind, code).unwrap();
        }
    }
    // Failed operations: a number someone else has, a code someone else has.
    let duplicate = individual(7_003);
    let refused_numbers = vec![duplicate.expose_digits().to_owned()];
    expect_err(
        "a duplicate number",
        a.set_number(ids[1], &duplicate),
        |e| matches!(e, VaultError::DuplicateNumber),
    );
    let clash = employee("K-0105", &PEOPLE[15], None, None);
    people.push(("refused employee (duplicate code)".into(), clash.clone()));
    expect_err("a duplicate code", a.add_person(clash.new_person()), |e| {
        matches!(e, VaultError::DuplicateCode(_))
    });
    // A clerk limited to 営業部 at work on 受付PC, refused out of scope.
    let (_, mut c) = add_ready_user(
        &mut a,
        &vault,
        new_user(
            "clerk-scan",
            UserRole::Clerk,
            Scope {
                departments: vec![sales],
                ..Scope::default()
            },
        ),
        "pc-a",
        &clock,
    );
    for &id in &ids {
        tick();
        let _ = c.person(id);
        let _ = c.reveal_number(id);
    }
    for text in SEARCHES {
        c.list(&PeopleQuery {
            text: Some(text.into()),
            ..Default::default()
        })
        .unwrap();
    }
    c.find_by_code(PersonKind::Employee, LOOKUPS[0]).unwrap();
    c.logout().unwrap();
    // Failed log-ins: a password in the user-name field, wrong passwords, a lock-out.
    for login in [MISTYPED, MISTYPED_VALID] {
        expect_err(
            "a password typed as the user name",
            login_at(&vault, login, PASSWORD, "pc-a", &clock).map(drop),
            |e| matches!(e, VaultError::WrongPassword),
        );
    }
    for i in 0..5 {
        tick();
        expect_err(
            "a wrong password",
            login_at(&vault, "clerk-scan", WRONG_PASSWORDS[i % 2], "pc-a", &clock).map(drop),
            |e| matches!(e, VaultError::WrongPassword),
        );
    }
    // The administrator lifts the lock-out and resets the clerk's password; the clerk sets a
    // new one; the administrator reads and seals the log (absorbing the failures).
    drop(a);
    let mut a = login_at(&vault, ADMIN, PASSWORD, "pc-admin", &clock).unwrap();
    a.unlock_user("clerk-scan").unwrap();
    a.reset_password("clerk-scan", RESET_PASSWORD.as_bytes())
        .unwrap();
    let mut c = login_at(&vault, "clerk-scan", RESET_PASSWORD, "pc-a", &clock).unwrap();
    c.change_password(
        RESET_PASSWORD.as_bytes(),
        user_password("clerk-scan").as_bytes(),
    )
    .unwrap();
    c.logout().unwrap();
    let log = a.audit_list(&AuditQuery::default()).unwrap();
    assert!(
        log.iter()
            .any(|e| e.detail == "unknown_user" && e.outcome == kinko_vault::Outcome::Denied),
        "the mistyped log-ins are in the log"
    );
    assert!(log.iter().any(|e| e.action == "lockout"));
    assert!(log.iter().any(|e| e.detail == "duplicate_number"));
    assert!(log.len() > 80, "{} entries", log.len());
    a.audit_seal().unwrap();
    // Still open: part of this is in the -wal.
    let scanned_open = scan(dir, &needles(&people, &recovery_code, &refused_numbers));
    assert!(
        scanned_open.iter().any(|f| f.ends_with("-wal")),
        "expected a -wal while sessions are open: {scanned_open:?}"
    );
    a.logout().unwrap();
    Activity {
        people,
        recovery_code,
        refused_numbers,
    }
}

fn needles(people: &[(String, Expected)], recovery: &str, refused: &[String]) -> Needles {
    let mut n = Needles::default();
    for (label, e) in people {
        n.person(label, e);
    }
    for (i, d) in refused.iter().enumerate() {
        n.number(&format!("refused number {i}"), d);
    }
    for (i, s) in SEARCHES.iter().enumerate() {
        n.text(&format!("search {i}"), s);
    }
    for (i, code) in LOOKUPS.iter().enumerate() {
        n.text(&format!("looked-up code {i}"), code);
    }
    n.text("mistyped password in the user field", MISTYPED);
    n.text("password-like unknown user name", MISTYPED_VALID);
    for (i, p) in WRONG_PASSWORDS.iter().enumerate() {
        n.text(&format!("wrong password {i}"), p);
    }
    n.text("administrator's password", PASSWORD);
    n.text("initial password", INITIAL_PASSWORD);
    n.text("reset password", RESET_PASSWORD);
    n.text("clerk's password", &user_password("clerk-scan"));
    n.text("recovery code", recovery);
    n.text("recovery code without hyphens", &recovery.replace('-', ""));
    n
}

/// Scans the vault's files; panics naming every finding. Returns the files scanned.
fn scan(dir: &Path, n: &Needles) -> Vec<String> {
    let (hits, scanned) = scan_dir(dir, &n.list);
    let files: Vec<String> = scanned
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        files.iter().any(|f| f == DB_FILE),
        "the database was not scanned: {files:?}"
    );
    assert!(
        hits.is_empty(),
        "readable in the raw bytes of the vault:\n{}",
        hits.iter()
            .map(|h| format!("  {} in {} at {}", h.label, h.file.display(), h.offset))
            .collect::<Vec<_>>()
            .join("\n")
    );
    files
}

#[test]
fn nothing_the_log_records_leaves_a_secret_in_the_vault_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let act = activity(&dir);
    let n = needles(&act.people, &act.recovery_code, &act.refused_numbers);
    eprintln!(
        "{} needles ({} encodings not possible: {:?})",
        n.list.len(),
        n.skipped.len(),
        n.skipped
    );
    assert!(n.list.len() > 400);
    // Closed: everything is in the database file.
    scan(&dir, &n);

    // The positive control: what is kept in the clear on purpose is found by the same scan.
    let mut clear = Needles::default();
    clear.text("log-in name", "clerk-scan");
    clear.text("department name", "営業部");
    clear.text("PC name", "受付PC");
    let (hits, _) = scan_dir(&dir, &clear.list);
    for label in [
        "log-in name (UTF-8)",
        "department name (UTF-8)",
        "PC name (UTF-8)",
    ] {
        assert!(
            hits.iter().any(|h| h.label == label),
            "the scan did not find the {label}, which is stored in the clear: {hits:?}"
        );
    }
}
