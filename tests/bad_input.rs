//! Bad input at the engine's edges: wrong passwords and recovery codes, missing, foreign,
//! truncated and bit-flipped database files, a second set-up over an existing vault, duplicate
//! numbers, and transactions that fail half-way. Each must end in a clear error (never a panic,
//! never wrong data), and a failed attempt must leave the database file byte-for-byte as it was.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use kinko_domain::number::MyNumber;
use kinko_domain::people::{
    CollectionStatus, DependantType, PayeeKind, PersonId, PersonKind, Role,
};
use kinko_e2e::{
    ADMIN, Expected, PASSWORD, PEOPLE, SplitMix64, corporate, create_vault, date, employee,
    expect_err, family, fast_kdf, find_needles, individual, login, my_number_digits,
    open_and_login, payee,
};
use kinko_vault::{DB_FILE, KdfParams, PeopleQuery, PersonNumber, Session, Vault, VaultError};

fn db(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every file in `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read_dir({}): {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                read(&p),
            )
        })
        .collect()
}

/// Asserts the database file is byte-for-byte `before`, naming the first difference.
#[track_caller]
fn assert_db_unchanged(dir: &Path, before: &[u8], case: &str) {
    let after = read(&db(dir));
    if after != before {
        let first = before.iter().zip(&after).position(|(a, b)| a != b);
        panic!(
            "{case}: the failed attempt changed the database file (size {} → {}, first difference at {:?})",
            before.len(),
            after.len(),
            first
        );
    }
}

/// A vault with a few people, closed cleanly. Returns the people for checking.
fn small_vault(dir: &Path) -> Vec<(PersonId, String, Expected)> {
    let created = create_vault(dir);
    let mut s = login(&created.vault);
    let mut people = Vec::new();
    for (i, f) in PEOPLE[..8].iter().enumerate() {
        let e = employee(
            &format!("E-{:04}", i + 1),
            f,
            None,
            Some(individual(i as u64 + 1)),
        );
        let id = s.add_person(e.new_person()).expect("add employee");
        people.push((id, format!("employee #{i}"), e));
    }
    let fam = family(
        people[0].0,
        "配偶者",
        DependantType::Spouse,
        &PEOPLE[20],
        Some(individual(50)),
    );
    let id = s.add_person(fam.new_person()).expect("add family");
    people.push((id, "family #0".into(), fam));
    let q = payee(
        "P-0001",
        PayeeKind::Corporation,
        &PEOPLE[27],
        Some(corporate(3)),
    );
    let id = s.add_person(q.new_person()).expect("add payee");
    people.push((id, "corporate payee".into(), q));
    drop(s);
    drop(created);
    assert!(
        !dir.join(format!("{DB_FILE}-wal")).exists(),
        "a clean close should checkpoint and remove the -wal"
    );
    people
}

// ---------------------------------------------------------------------------------------------
// Passwords and recovery codes

#[test]
fn wrong_passwords_and_unknown_users_get_the_same_answer() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let created = create_vault(&dir);
    let vault = created.vault;
    for (case, user, password) in [
        ("wrong password", ADMIN, b"wrong password".as_slice()),
        (
            "password with a changed last character",
            ADMIN,
            b"Kinko-\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88-Passw0rd!2026".as_slice(),
        ),
        ("empty password", ADMIN, b"".as_slice()),
        ("unknown user", "nobody", PASSWORD.as_bytes()),
        (
            "user name that is not a valid login",
            "山田 太郎",
            PASSWORD.as_bytes(),
        ),
        ("empty user name", "", PASSWORD.as_bytes()),
    ] {
        let e = expect_err(case, vault.login(user, password).map(|_| ()), |e| {
            matches!(e, VaultError::WrongPassword)
        });
        let shown = format!("{e} {e:?}");
        assert!(
            !shown.contains("Passw0rd"),
            "{case}: the error shows the password: {shown}"
        );
    }
    // Logins are case-insensitive and trimmed; the right password still works.
    login(&vault);
    vault
        .login(" ADMIN ", PASSWORD.as_bytes())
        .expect("login names are normalised");
}

#[test]
fn repeated_failures_lock_the_account_even_across_a_restart() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    drop(create_vault(&dir));
    let vault = Vault::open(&dir).expect("open");
    // Unknown users do not count against the administrator.
    for _ in 0..6 {
        expect_err(
            "unknown user",
            vault.login("nobody", b"whatever password").map(|_| ()),
            |e| matches!(e, VaultError::WrongPassword),
        );
    }
    login(&vault);
    let mut locked_after = None;
    for attempt in 1..=10 {
        match vault.login(ADMIN, b"not the password") {
            Err(VaultError::WrongPassword) => {}
            Err(VaultError::Locked { .. }) => {
                locked_after = Some(attempt - 1);
                break;
            }
            other => panic!("attempt {attempt}: {:?}", other.map(|_| ())),
        }
    }
    let failures = locked_after.expect("ten wrong passwords in a row did not lock the account");
    assert!(
        (3..=10).contains(&failures),
        "locked after {failures} failures"
    );
    expect_err(
        "right password while locked",
        vault.login(ADMIN, PASSWORD.as_bytes()).map(|_| ()),
        |e| matches!(e, VaultError::Locked { .. }),
    );
    drop(vault);
    // The lock-out is stored in the vault, not in memory.
    let vault = Vault::open(&dir).expect("reopen");
    let e = expect_err(
        "right password after a restart",
        vault.login(ADMIN, PASSWORD.as_bytes()).map(|_| ()),
        |e| matches!(e, VaultError::Locked { .. }),
    );
    let shown = format!("{e} {e:?}");
    assert!(
        !shown.contains("Passw0rd"),
        "the error shows the password: {shown}"
    );
}

const RESET_PASSWORD: &str = "仮のパスワードです１２３";
const CHOSEN_PASSWORD: &str = "自分で決めたパスワード７";

#[test]
fn the_recovery_code_resets_the_password_and_nothing_else_does() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let created = create_vault(&dir);
    let code: String = created.recovery_code.as_str().to_owned();
    let mut vault = created.vault;
    let e = employee("E-0001", &PEOPLE[0], None, Some(individual(1)));
    let id = login(&vault).add_person(e.new_person()).expect("add");

    // A well-formed but wrong code: change one character.
    let mut wrong: Vec<char> = code.chars().collect();
    wrong[0] = if wrong[0] == 'A' { 'B' } else { 'A' };
    let wrong: String = wrong.into_iter().collect();
    let before = read(&db(&dir));
    for (case, c) in [
        ("wrong code", wrong.as_str()),
        ("code too short", &code[..code.len() - 1]),
        ("empty code", ""),
        (
            "code with a character outside the alphabet",
            "UUUUU-UUUUU-UUUUU-UUUUU-UUUUU",
        ),
        ("the password instead of the code", PASSWORD),
    ] {
        expect_err(
            case,
            vault.reset_password_with_recovery_code(c, ADMIN, b"new password"),
            |e| matches!(e, VaultError::WrongRecoveryCode),
        );
        assert_db_unchanged(&dir, &before, case);
    }
    expect_err(
        "unknown user",
        vault.reset_password_with_recovery_code(&code, "nobody", b"a long new password"),
        |e| matches!(e, VaultError::WrongPassword | VaultError::UnknownUser(_)),
    );
    for (case, pw) in [
        ("empty new password", "".as_bytes()),
        ("short new password", b"short".as_slice()),
        (
            "new password containing the login",
            b"my-admin-password".as_slice(),
        ),
    ] {
        expect_err(
            case,
            vault.reset_password_with_recovery_code(&code, ADMIN, pw),
            |e| matches!(e, VaultError::EmptyPassword | VaultError::WeakPassword(_)),
        );
    }
    assert_db_unchanged(&dir, &before, "failed resets");
    login(&vault);

    // The right code, typed carelessly (lower case, spaces instead of hyphens), works.
    let typed = code.to_lowercase().replace('-', " ");
    vault
        .reset_password_with_recovery_code(&typed, ADMIN, RESET_PASSWORD.as_bytes())
        .expect("reset with the right recovery code");
    expect_err(
        "old password after the reset",
        vault.login(ADMIN, PASSWORD.as_bytes()).map(|_| ()),
        |e| matches!(e, VaultError::WrongPassword),
    );
    let mut s = vault
        .login(ADMIN, RESET_PASSWORD.as_bytes())
        .expect("new password works");
    // A reset password must be changed at once (F4) before anything else is allowed.
    assert!(s.must_change_password(), "a reset password is temporary");
    expect_err(
        "reading before changing the reset password",
        s.person(id).map(|_| ()),
        |e| matches!(e, VaultError::PasswordChangeRequired),
    );
    s.change_password(RESET_PASSWORD.as_bytes(), CHOSEN_PASSWORD.as_bytes())
        .expect("changing the reset password");
    e.verify(&mut s, id, "employee after the reset")
        .unwrap_or_else(|m| panic!("{m}"));
    drop(s);
    drop(vault);
    // And it persists.
    let vault = Vault::open(&dir).expect("reopen");
    for old in [PASSWORD, RESET_PASSWORD] {
        expect_err(
            "an old password after reopening",
            vault.login(ADMIN, old.as_bytes()).map(|_| ()),
            |e| matches!(e, VaultError::WrongPassword),
        );
    }
    let mut s = vault
        .login(ADMIN, CHOSEN_PASSWORD.as_bytes())
        .expect("the chosen password after reopening");
    e.verify(&mut s, id, "employee after reopening")
        .unwrap_or_else(|m| panic!("{m}"));
}

// ---------------------------------------------------------------------------------------------
// Missing, foreign, truncated and damaged files

#[test]
fn missing_vaults_are_not_found_and_not_created() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let missing = tmp.path().join("no-such-dir");
    expect_err(
        "missing directory",
        Vault::open(&missing).map(|_| ()),
        |e| matches!(e, VaultError::NotFound(_)),
    );
    assert!(!missing.exists(), "Vault::open created the directory");

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    expect_err(
        "directory without a database",
        Vault::open(&empty).map(|_| ()),
        |e| matches!(e, VaultError::NotFound(_)),
    );
    assert!(
        snapshot(&empty).is_empty(),
        "Vault::open left files in an empty directory"
    );

    let odd = tmp.path().join("odd");
    std::fs::create_dir_all(db(&odd)).expect("mkdir");
    expect_err(
        "database path that is a directory",
        Vault::open(&odd).map(|_| ()),
        |e| matches!(e, VaultError::NotFound(_)),
    );
}

/// Opens the vault in `dir`, expecting an error and the database file unchanged.
#[track_caller]
fn expect_refused(dir: &Path, case: &str, ok: impl Fn(&VaultError) -> bool) {
    let before = read(&db(dir));
    let result = catch_unwind(AssertUnwindSafe(|| Vault::open(dir).map(|_| ())));
    let result = result.unwrap_or_else(|_| panic!("{case}: Vault::open panicked"));
    let e = expect_err(case, result, ok);
    eprintln!("{case}: {e}");
    assert_db_unchanged(dir, &before, case);
}

#[test]
fn a_foreign_file_is_refused_as_corrupt_and_left_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut rng = SplitMix64(7);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "random bytes",
            (0..50_000).map(|_| rng.next_u64() as u8).collect(),
        ),
        (
            "a text file",
            "氏名,個人番号\n髙橋一郎,000000000000\n"
                .repeat(100)
                .into_bytes(),
        ),
        (
            "an SQLite header and nothing else",
            b"SQLite format 3\0".to_vec(),
        ),
    ];
    for (case, bytes) in cases {
        let dir = tmp.path().join(case.replace(' ', "_"));
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(db(&dir), &bytes).expect("write");
        expect_refused(&dir, case, |e| matches!(e, VaultError::Corrupt(_)));
    }
}

#[test]
fn an_sqlite_database_that_is_not_a_vault_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // An empty file is a valid, empty SQLite database.
    let dir = tmp.path().join("empty-file");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(db(&dir), b"").expect("write");
    expect_refused(&dir, "empty file", |e| matches!(e, VaultError::Corrupt(_)));
    assert_eq!(read(&db(&dir)).len(), 0);

    let dir = tmp.path().join("other-app");
    std::fs::create_dir(&dir).expect("mkdir");
    let c = rusqlite::Connection::open(db(&dir)).expect("open");
    c.execute_batch("CREATE TABLE persons (name TEXT); INSERT INTO persons VALUES ('髙橋　一郎');")
        .expect("sql");
    drop(c);
    expect_refused(&dir, "another application's database", |e| {
        matches!(e, VaultError::Corrupt(_))
    });
}

#[test]
fn a_vault_from_a_newer_version_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    small_vault(&dir);
    let c = rusqlite::Connection::open(db(&dir)).expect("open");
    c.pragma_update(None, "user_version", kinko_vault::SCHEMA_VERSION + 1)
        .expect("bump");
    drop(c);
    expect_refused(&dir, "newer schema", |e| {
        matches!(e, VaultError::NewerSchema { found, supported }
            if *found == kinko_vault::SCHEMA_VERSION + 1 && *supported == kinko_vault::SCHEMA_VERSION)
    });
}

#[test]
fn a_truncated_vault_is_refused_without_panicking() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pristine = tmp.path().join("pristine");
    small_vault(&pristine);
    let full = read(&db(&pristine));
    assert!(
        full.len() > 16 * 1024,
        "the test vault is unexpectedly small: {} bytes",
        full.len()
    );
    for (case, len) in [
        ("truncated to half", full.len() / 2),
        ("truncated to half a page off", full.len() / 2 + 2048),
        ("truncated to one page", 4096),
        ("truncated to 100 bytes", 100),
        ("truncated to 10 bytes", 10),
    ] {
        let dir = tmp.path().join(case.replace(' ', "_"));
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(db(&dir), &full[..len]).expect("write");
        expect_refused(&dir, case, |e| matches!(e, VaultError::Corrupt(_)));
    }
}

/// What became of one damaged copy (printed with `Debug`).
#[derive(Debug)]
#[allow(dead_code, reason = "the fields are read through Debug")]
enum Fate {
    OpenRefused(String),
    LoginRefused(String),
    /// Opened and logged in: how many reads succeeded (all with the right data) and failed.
    Read {
        ok: usize,
        failed: usize,
    },
}

/// Opens, logs in and reads everyone in the vault at `dir`, checking every successful read
/// against `people`. `Err` for wrong data; panics are caught by the caller.
fn attempt(dir: &Path, people: &[(PersonId, String, Expected)]) -> Result<Fate, String> {
    let vault = match Vault::open(dir) {
        Ok(v) => v,
        Err(e) => return Ok(Fate::OpenRefused(format!("{e:?}"))),
    };
    let mut s = match vault.login(ADMIN, PASSWORD.as_bytes()) {
        Ok(s) => s,
        Err(e) => return Ok(Fate::LoginRefused(format!("{e:?}"))),
    };
    let (mut ok, mut failed) = (0, 0);
    for (id, label, e) in people {
        match s.person(*id) {
            Ok(view) => {
                e.check_view(label, &view)
                    .map_err(|m| format!("WRONG DATA: {m}"))?;
                ok += 1;
            }
            Err(_) => failed += 1,
        }
        match s.reveal_number(*id) {
            Ok(n) => {
                e.check_number(label, n.as_ref())
                    .map_err(|m| format!("WRONG DATA: {m}"))?;
                ok += 1;
            }
            Err(_) => failed += 1,
        }
    }
    match s.list(&PeopleQuery::default()) {
        Ok(rows) => {
            for r in rows {
                let (_, label, e) = people
                    .iter()
                    .find(|p| p.0 == r.id)
                    .ok_or_else(|| format!("WRONG DATA: list shows an unknown {:?}", r.id))?;
                if r.name != e.details.name
                    || r.kana != e.details.kana
                    || r.code.as_deref() != e.role.code()
                {
                    return Err(format!("WRONG DATA: list shows other details for {label}"));
                }
            }
            ok += 1;
        }
        Err(_) => failed += 1,
    }
    Ok(Fate::Read { ok, failed })
}

#[test]
fn flipped_bytes_give_errors_never_panics_or_wrong_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pristine = tmp.path().join("pristine");
    let people = small_vault(&pristine);
    let original = read(&db(&pristine));
    let n = original.len();

    let mut fates = Vec::new();
    // Most of a small database is unused page space; odd seeds aim at bytes that hold something
    // (non-zero in the original), even seeds anywhere in the middle half.
    for seed in 0..60u64 {
        let mut rng = SplitMix64(0xF11F_0000 + seed);
        let mut bytes = original.clone();
        let mut flips = Vec::new();
        for _ in 0..(1 + seed % 4) {
            let mut at = rng.range(n as u64 / 4, 3 * n as u64 / 4) as usize;
            while seed % 2 == 1 && original[at] == 0 {
                at = rng.range(n as u64 / 4, 3 * n as u64 / 4) as usize;
            }
            let mask = rng.range(1, 256) as u8;
            bytes[at] ^= mask;
            flips.push(at);
        }
        let case = format!("seed {seed}: bytes flipped at {flips:?}");
        let dir = tmp.path().join(format!("flip{seed}"));
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(db(&dir), &bytes).expect("write");
        let fate = catch_unwind(AssertUnwindSafe(|| attempt(&dir, &people)))
            .unwrap_or_else(|_| panic!("{case}: the engine panicked"))
            .unwrap_or_else(|m| panic!("{case}: {m}"));
        if matches!(fate, Fate::OpenRefused(_)) {
            assert_db_unchanged(&dir, &bytes, &case);
        }
        fates.push((case, fate));
    }
    for (case, fate) in &fates {
        eprintln!("{case}: {fate:?}");
    }
    let refused = fates
        .iter()
        .filter(|(_, f)| !matches!(f, Fate::Read { .. }))
        .count();
    let read_errors = fates
        .iter()
        .filter(|(_, f)| matches!(f, Fate::Read { failed, .. } if *failed > 0))
        .count();
    eprintln!(
        "{} damaged copies: {refused} refused at open or login, {read_errors} with failing reads",
        fates.len()
    );
}

#[test]
fn a_flipped_byte_inside_a_sealed_profile_fails_that_read_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let people = small_vault(&dir);
    let (victim, _, _) = &people[3];
    let sealed: Vec<u8> = {
        let c = rusqlite::Connection::open(db(&dir)).expect("open");
        c.query_row(
            "SELECT sealed_profile FROM persons WHERE id = ?1",
            [victim.0],
            |r| r.get(0),
        )
        .expect("blob")
    };
    let mut bytes = read(&db(&dir));
    let needle = kinko_e2e::Needle {
        label: "sealed profile".into(),
        bytes: sealed.clone(),
    };
    let found = find_needles(&bytes, std::slice::from_ref(&needle));
    let [(_, at)] = found[..] else {
        panic!("the sealed profile is not stored contiguously: {found:?}")
    };
    bytes[at + sealed.len() / 2] ^= 0x04;
    std::fs::write(db(&dir), &bytes).expect("write");

    // The file is sound to SQLite; AES-GCM catches the change.
    let (_v, mut s) = open_and_login(&dir);
    let e = expect_err("person(victim)", s.person(*victim).map(|_| ()), |e| {
        matches!(
            e,
            VaultError::Tampered {
                place: "persons.sealed_profile"
            }
        )
    });
    eprintln!("victim: {e}");
    expect_err("list", s.list(&PeopleQuery::default()).map(|_| ()), |e| {
        matches!(e, VaultError::Tampered { .. })
    });
    for (id, label, e) in &people {
        if id != victim {
            e.verify(&mut s, *id, label)
                .unwrap_or_else(|m| panic!("{m}"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Set-up

#[test]
fn creating_over_an_existing_vault_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let people = small_vault(&dir);
    let before = snapshot(&dir);
    expect_err(
        "second create",
        Vault::create(&dir, "second", b"another long password", fast_kdf()).map(|_| ()),
        |e| matches!(e, VaultError::AlreadyExists(_)),
    );
    assert_eq!(
        snapshot(&dir),
        before,
        "a refused create changed the vault directory"
    );
    let (_v, mut s) = open_and_login(&dir);
    for (id, label, e) in &people {
        e.verify(&mut s, *id, label)
            .unwrap_or_else(|m| panic!("{m}"));
    }
}

#[test]
fn bad_set_up_parameters_are_refused_and_leave_nothing_behind() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let weak = KdfParams {
        memory_kib: 8 * 1024,
        ..KdfParams::MINIMUM
    };
    let huge = KdfParams {
        memory_kib: 64 * 1024 * 1024,
        ..KdfParams::MINIMUM
    };
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [u8],
        KdfParams,
        fn(&VaultError) -> bool,
    );
    let pw = PASSWORD.as_bytes();
    let cases: [Case; 7] = [
        ("empty password", ADMIN, b"", fast_kdf(), |e| {
            matches!(e, VaultError::EmptyPassword | VaultError::WeakPassword(_))
        }),
        ("short password", ADMIN, b"short", fast_kdf(), |e| {
            matches!(e, VaultError::WeakPassword(_))
        }),
        (
            "password containing the login",
            "tanaka",
            b"tanaka-2025-x",
            fast_kdf(),
            |e| matches!(e, VaultError::WeakPassword(_)),
        ),
        ("weak KDF", ADMIN, pw, weak, |e| {
            matches!(e, VaultError::KdfParams)
        }),
        ("huge KDF", ADMIN, pw, huge, |e| {
            matches!(e, VaultError::KdfParams)
        }),
        ("name with a space", "yamada taro", pw, fast_kdf(), |e| {
            matches!(e, VaultError::BadLogin(_))
        }),
        ("kanji name", "山田", pw, fast_kdf(), |e| {
            matches!(e, VaultError::BadLogin(_))
        }),
    ];
    for (case, admin, pw, kdf, ok) in cases {
        let dir = tmp.path().join(case.replace(' ', "_"));
        expect_err(case, Vault::create(&dir, admin, pw, kdf).map(|_| ()), ok);
        assert!(!db(&dir).exists(), "{case}: a database was left behind");
    }
}

// ---------------------------------------------------------------------------------------------
// Duplicates and rollback

/// Everything a session can see, for before/after comparisons.
fn state(s: &mut Session) -> String {
    let list = s.list(&PeopleQuery::default()).expect("list");
    let mut out = format!("{list:?}\n{:?}\n", s.departments().expect("departments"));
    for row in &list {
        let view = s.person(row.id).expect("person");
        let number = s
            .reveal_number(row.id)
            .expect("reveal")
            .map(|n| n.expose_digits().to_owned());
        let records = s.records(row.id).expect("records");
        out.push_str(&format!("{view:?} {number:?} {records:?}\n"));
    }
    out
}

#[test]
fn a_duplicate_number_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let people = small_vault(&dir);
    let (_v, mut s) = open_and_login(&dir);
    let (a, _, _) = &people[0];
    let taken = my_number_digits(1); // employee #0's number
    let before = state(&mut s);
    let employees = s.count(PersonKind::Employee).expect("count");

    // The same number, however it is typed.
    let fw: String = taken
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).expect("digit"))
        .collect();
    let spaced = format!("{} {} {}", &taken[..4], &taken[4..8], &taken[8..]);
    let hyphened = format!("{}-{}-{}", &taken[..4], &taken[4..8], &taken[8..]);
    for (case, typed) in [
        ("as is", &taken),
        ("full-width", &fw),
        ("spaced", &spaced),
        ("hyphenated", &hyphened),
    ] {
        let number = PersonNumber::Individual(MyNumber::parse(typed).expect("parses"));
        let e = employee("E-0100", &PEOPLE[10], None, Some(number));
        let err = expect_err(
            &format!("new person with a taken number ({case})"),
            s.add_person(e.new_person()),
            |e| matches!(e, VaultError::DuplicateNumber),
        );
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(&taken[4..]),
            "the error shows the number: {shown}"
        );
        assert_eq!(
            s.find_by_code(PersonKind::Employee, "E-0100")
                .expect("find"),
            None,
            "{case}: person written"
        );
    }
    // On an existing person without a number, and on one with another number.
    let bare = employee("E-0101", &PEOPLE[11], None, None);
    let bare_id = s.add_person(bare.new_person()).expect("add");
    let before_bare = state(&mut s);
    expect_err(
        "set_number to a taken number",
        s.set_number(bare_id, &individual(1)),
        |e| matches!(e, VaultError::DuplicateNumber),
    );
    expect_err(
        "replacing a number with a taken one",
        s.set_number(people[1].0, &individual(1)),
        |e| matches!(e, VaultError::DuplicateNumber),
    );
    // A family member or a payee cannot take it either.
    let fam = family(
        *a,
        "長男",
        DependantType::Under16,
        &PEOPLE[21],
        Some(individual(1)),
    );
    expect_err(
        "family member with a taken number",
        s.add_person(fam.new_person()),
        |e| matches!(e, VaultError::DuplicateNumber),
    );
    assert_eq!(
        state(&mut s),
        before_bare,
        "a refused number changed something"
    );
    assert_eq!(
        s.person(bare_id).expect("bare").person.collection,
        CollectionStatus::NotRequested
    );
    assert_eq!(s.count(PersonKind::Employee).expect("count"), employees + 1);

    // Setting a person's own number again is not a duplicate.
    s.set_number(*a, &individual(1)).expect("own number again");
    // A duplicate code is refused too.
    let dup = employee("E-0001", &PEOPLE[12], None, None);
    expect_err("taken code", s.add_person(dup.new_person()), |e| {
        matches!(e, VaultError::DuplicateCode(_))
    });
    assert_eq!(s.count(PersonKind::Employee).expect("count"), employees + 1);
    drop(s);
    let (_v, mut s) = open_and_login(&dir);
    assert_ne!(state(&mut s), before, "sanity: E-0101 was added");
}

/// Sets an employee's hiring and retirement dates.
fn with_dates(mut e: Expected, hired: (i32, u32, u32), retired: (i32, u32, u32)) -> Expected {
    if let Role::Employee {
        hire_date,
        retire_date,
        ..
    } = &mut e.role
    {
        *hire_date = Some(date(hired.0, hired.1, hired.2));
        *retire_date = Some(date(retired.0, retired.1, retired.2));
    }
    e
}

#[test]
fn a_retirement_before_the_hiring_is_refused_by_the_engine() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let people = small_vault(&dir);
    let (_v, mut s) = open_and_login(&dir);
    let before = state(&mut s);
    let bad = with_dates(
        employee("E-0200", &PEOPLE[13], None, None),
        (2020, 4, 1),
        (2020, 3, 31),
    );
    expect_err(
        "add with retire < hire",
        s.add_person(bad.new_person()),
        |e| matches!(e, VaultError::RetireBeforeHire),
    );
    let (id, _, existing) = &people[0];
    let edited = with_dates(existing.clone(), (2015, 4, 1), (2014, 12, 31));
    expect_err(
        "update to retire < hire",
        s.write(|w| w.update_person(*id, edited.person())),
        |e| matches!(e, VaultError::RetireBeforeHire),
    );
    assert_eq!(state(&mut s), before, "a refused date changed something");
    // The same day is a valid (if short) employment.
    let same_day = with_dates(existing.clone(), (2015, 4, 1), (2015, 4, 1));
    s.write(|w| w.update_person(*id, same_day.person()))
        .expect("retired on the day of hiring");
}

#[test]
fn a_payee_holding_a_number_keeps_their_kind() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    small_vault(&dir);
    let (_v, mut s) = open_and_login(&dir);
    let individual_payee = payee(
        "P-0300",
        PayeeKind::Individual,
        &PEOPLE[14],
        Some(individual(300)),
    );
    let id = s.add_person(individual_payee.new_person()).expect("payee");
    let before = state(&mut s);
    let as_corporation = payee("P-0300", PayeeKind::Corporation, &PEOPLE[14], None);
    expect_err(
        "個人 → 法人 with a My Number held",
        s.write(|w| w.update_person(id, as_corporation.person())),
        |e| matches!(e, VaultError::PayeeKindWithNumber),
    );
    assert_eq!(
        state(&mut s),
        before,
        "a refused kind change changed something"
    );
    // Without a number the kind may change, and then the matching number goes in.
    s.delete_number(id, "支払先の種別の訂正")
        .expect("delete the number");
    s.write(|w| w.update_person(id, as_corporation.person()))
        .expect("個人 → 法人 without a number");
    s.set_number(id, &corporate(300))
        .expect("a corporate number");
}

#[test]
fn a_failing_transaction_rolls_back_everything_it_did() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let people = small_vault(&dir);
    let (_v, mut s) = open_and_login(&dir);
    let before = state(&mut s);
    let (a, b) = (people[0].0, people[1].0);
    let fresh_numbers = [individual(900), individual(901), individual(902)];

    // 1. The closure's own error, after many successful steps.
    let err = s
        .write(|w| {
            w.department("新設準備室")?;
            let x = w.add_person(
                employee("E-0900", &PEOPLE[15], None, Some(fresh_numbers[0].clone())).new_person(),
            )?;
            w.add_person(
                family(
                    x,
                    "妻",
                    DependantType::Spouse,
                    &PEOPLE[22],
                    Some(fresh_numbers[1].clone()),
                )
                .new_person(),
            )?;
            w.set_number(a, &fresh_numbers[2])?;
            let mut changed = people[1].2.person();
            changed.details.name = "改名　された".into();
            w.update_person(b, changed)?;
            w.set_collection_status(b, CollectionStatus::Refused)?;
            w.add_record(
                a,
                &kinko_vault::PersonRecord::Collection(kinko_domain::people::CollectionEvent {
                    status: CollectionStatus::Verified,
                    on: kinko_e2e::date(2024, 5, 1),
                    note: "確認済み".into(),
                }),
            )?;
            Err::<(), _>(VaultError::UnknownCode("abort".into()))
        })
        .expect_err("the closure failed");
    assert!(
        matches!(err, VaultError::UnknownCode(ref c) if c == "abort"),
        "the closure's error is returned: {err:?}"
    );
    assert_eq!(
        state(&mut s),
        before,
        "a failed transaction left changes behind"
    );

    // 2. An engine error half-way (invalid kana), propagated with `?`.
    let err = s
        .write(|w| {
            w.add_person(
                employee("E-0901", &PEOPLE[16], None, Some(fresh_numbers[0].clone())).new_person(),
            )?;
            let mut bad = employee("E-0902", &PEOPLE[17], None, None);
            bad.details.kana = "漢字はカナではない".into();
            w.add_person(bad.new_person())?;
            Ok(())
        })
        .expect_err("invalid kana");
    assert!(matches!(err, VaultError::Text(_)), "{err:?}");
    assert_eq!(
        state(&mut s),
        before,
        "a failed transaction left changes behind"
    );

    // 3. A panic inside the transaction.
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        let _ = s.write(|w| {
            w.add_person(
                employee("E-0903", &PEOPLE[18], None, Some(fresh_numbers[0].clone())).new_person(),
            )?;
            panic!("deliberate panic inside a transaction (expected by this test)");
            #[allow(unreachable_code)]
            Ok(())
        });
    }));
    assert!(panicked.is_err());
    assert_eq!(
        state(&mut s),
        before,
        "a panicking transaction left changes behind"
    );

    // The numbers used in the failed transactions are free: their blind index rows went too.
    for (i, n) in fresh_numbers.iter().enumerate() {
        let e = employee(&format!("E-095{i}"), &PEOPLE[19], None, Some(n.clone()));
        s.add_person(e.new_person())
            .unwrap_or_else(|e| panic!("number {i} of the failed transactions: {e:?}"));
    }
    // And after reopening nothing of the failed transactions exists.
    drop(s);
    let (_v, mut s) = open_and_login(&dir);
    for code in ["E-0900", "E-0901", "E-0902", "E-0903"] {
        assert_eq!(
            s.find_by_code(PersonKind::Employee, code).expect("find"),
            None,
            "{code} exists"
        );
    }
    for (id, label, e) in &people {
        e.verify(&mut s, *id, label)
            .unwrap_or_else(|m| panic!("{m}"));
    }
}
