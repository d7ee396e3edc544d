//! Delete everything (全削除, PRODUCT.md F11) on real vault files.
//!
//! Before the act, hard links to the database and its WAL are made in another folder: they
//! keep the very inodes the vault used, so after the vault's names are gone the test can still
//! read what became of the bytes. Neither a name, a number, the password nor the SQLite header
//! may be left in them, and the signed statement (kept outside the vault) must verify, count
//! what was held, and hold no personal data.

use std::path::{Path, PathBuf};

use kinko_domain::people::Role;
use kinko_e2e::{
    Needle, PASSWORD, PEOPLE, create_vault, employee, individual, login, scan_dir, utf16le,
};
use kinko_vault::{
    DB_FILE, DESTROY_PHRASE, DestroyRequest, NewUser, Permission, Scope, Session, UserRole, Vault,
    VaultError,
};
use kinko_wipe::{NoObserver, Outcome, Statement, VerificationResult};

struct Firm {
    tmp: tempfile::TempDir,
    vault: Vault,
    session: Session,
    needles: Vec<Needle>,
}

impl Firm {
    fn dir(&self) -> PathBuf {
        self.tmp.path().join("vault")
    }

    fn statement_path(&self) -> PathBuf {
        self.tmp.path().join("kinko-zensakujo.json")
    }
}

fn firm() -> Firm {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let created = create_vault(&dir);
    let mut session = login(&created.vault);
    let mut needles = vec![Needle {
        label: "password".into(),
        bytes: PASSWORD.as_bytes().to_vec(),
    }];
    for (i, f) in PEOPLE.iter().enumerate().take(5) {
        let e = employee(
            &format!("E{i:03}"),
            f,
            None,
            Some(individual(300 + i as u64)),
        );
        assert!(matches!(e.role, Role::Employee { .. }));
        session.add_person(e.new_person()).expect("add employee");
        let digits = e.number.as_ref().unwrap().expose_digits().to_owned();
        needles.push(Needle {
            label: format!("number {i}"),
            bytes: digits.as_bytes().to_vec(),
        });
        needles.push(Needle {
            label: format!("number {i} UTF-16LE"),
            bytes: utf16le(&digits),
        });
        needles.push(Needle {
            label: format!("name {i}"),
            bytes: e.details.name.as_bytes().to_vec(),
        });
    }
    Firm {
        tmp,
        vault: created.vault,
        session,
        needles,
    }
}

fn request(path: PathBuf) -> DestroyRequest {
    DestroyRequest {
        reason: "事業の廃止に伴い全データを廃棄".into(),
        confirmation: DESTROY_PHRASE.into(),
        statement_path: path,
    }
}

fn db_size(dir: &Path) -> u64 {
    std::fs::metadata(dir.join(DB_FILE)).unwrap().len()
}

#[test]
fn everything_is_overwritten_removed_and_certified_by_a_signed_statement() {
    let mut f = firm();
    let fingerprint = f.session.certificate_key_fingerprint().unwrap();
    let dir = f.dir();
    // Hard links keep the database's and the WAL's inodes readable after the names go.
    let keep = f.tmp.path().join("inodes");
    std::fs::create_dir(&keep).unwrap();
    let mut linked = Vec::new();
    for name in [DB_FILE.to_owned(), format!("{DB_FILE}-wal")] {
        if dir.join(&name).exists() {
            std::fs::hard_link(dir.join(&name), keep.join(&name)).unwrap();
            linked.push(name);
        }
    }
    assert!(linked.len() == 2, "database and WAL both exist: {linked:?}");
    let header = std::fs::read(keep.join(DB_FILE)).unwrap();
    assert!(
        header.starts_with(b"SQLite format 3"),
        "the check works before"
    );

    let statement_path = f.statement_path();
    let statement = f
        .vault
        .delete_everything(f.session, &request(statement_path.clone()), &mut NoObserver)
        .expect("delete everything");

    assert!(!dir.exists(), "the vault's folder is gone");
    let (hits, scanned) = scan_dir(&keep, &f.needles);
    assert!(
        scanned.iter().all(|(_, n)| *n > 0),
        "the inodes kept their size"
    );
    assert!(hits.is_empty(), "left behind: {hits:?}");
    for name in &linked {
        let bytes = std::fs::read(keep.join(name)).unwrap();
        assert!(
            !bytes.windows(15).any(|w| w == b"SQLite format 3"),
            "{name} was overwritten"
        );
    }

    let text = std::fs::read_to_string(&statement_path).unwrap();
    let parsed = Statement::from_json(&text).unwrap();
    assert_eq!(parsed, statement);
    let verified = parsed.verify().expect("the statement's signature");
    assert_eq!(
        verified.key_fingerprint, fingerprint,
        "signed with the vault's key"
    );
    let body = verified.body;
    assert_eq!(body.outcome, Outcome::Erased);
    assert_eq!((body.held.employees, body.held.numbers), (5, 5));
    assert_eq!(body.operator, kinko_e2e::ADMIN);
    assert!(body.final_audit_seal.contains('-'));
    let db = body
        .files
        .iter()
        .find(|r| r.name == DB_FILE)
        .expect("db record");
    assert_eq!(db.verification, VerificationResult::Passed);
    assert!(db.removed && db.bytes_verified == db.bytes && db.bytes > 0);
    for needle in &f.needles {
        assert!(
            !text
                .as_bytes()
                .windows(needle.bytes.len())
                .any(|w| w == needle.bytes),
            "the statement holds {}",
            needle.label
        );
    }
    let mut forged = parsed.clone();
    forged.body.held.numbers = 0;
    assert!(forged.verify().is_err(), "a changed statement fails");
}

#[test]
fn nothing_is_touched_when_a_check_fails() {
    let mut f = firm();
    let dir = f.dir();
    let statement_path = f.statement_path();
    let size = db_size(&dir);

    // A wrong confirmation, a missing reason, a statement inside the vault: refused.
    let mut wrong = request(statement_path.clone());
    wrong.confirmation = "ぜんさくじょ".into();
    let mut no_reason = request(statement_path.clone());
    no_reason.reason = "  ".into();
    let inside = request(dir.join("statement.json"));
    for (req, expected) in [
        (wrong, "destroy_confirmation"),
        (no_reason, "reason_required"),
        (inside, "statement_place"),
    ] {
        let vault = Vault::open(&dir).unwrap();
        let session = login(&vault);
        let e = vault
            .delete_everything(session, &req, &mut NoObserver)
            .unwrap_err();
        assert_eq!(e.key(), expected, "{e}");
    }

    // A clerk without the wipe permission: refused and logged.
    let clerk = NewUser {
        login: "tanto".into(),
        role: UserRole::Clerk,
        department: None,
        grants: Vec::new(),
        scope: Scope::everyone(),
        pcs: Vec::new(),
        groups: Vec::new(),
    };
    f.session
        .add_user(clerk, b"kakari-pass-2026x")
        .expect("add clerk");
    drop(f.session);
    let vault = Vault::open(&dir).unwrap();
    let mut clerk = vault.login("tanto", b"kakari-pass-2026x").unwrap();
    if clerk.must_change_password() {
        clerk
            .change_password(b"kakari-pass-2026x", b"kakari-pass-2027y")
            .unwrap();
    }
    assert!(!clerk.access().allows(Permission::Wipe));
    let e = vault
        .delete_everything(clerk, &request(statement_path.clone()), &mut NoObserver)
        .unwrap_err();
    assert!(matches!(e, VaultError::Denied), "{e}");

    assert!(!statement_path.exists(), "no statement");
    let (_vault, mut admin) = kinko_e2e::open_and_login(&dir);
    assert!(db_size(&dir) >= size, "the vault is whole");
    assert_eq!(admin.list(&Default::default()).unwrap().len(), 5);
    let denied = admin
        .audit_list(&Default::default())
        .unwrap()
        .into_iter()
        .any(|e| e.action == "vault.destroy" && e.outcome == kinko_vault::Outcome::Denied);
    assert!(denied, "the refusal is in the log");
    drop(f.vault);
}
