//! Tampering with the database behind the engine's back (as someone holding the stick could):
//! sealed values moved between rows, a row's kind changed, ciphertext cut or flipped. Every read
//! touching an altered value must fail with `VaultError::Tampered`, never answer with another
//! person's data; everything not touched must still read back correctly.
//!
//! Each case builds a fresh vault, closes it, edits the SQLite file directly with rusqlite, then
//! opens the vault again and logs in with a new session (the session caches a decrypted index).

use std::path::{Path, PathBuf};

use kinko_domain::people::{DependantType, PayeeKind, PersonId, PersonKind};
use kinko_e2e::{
    Expected, PEOPLE, corporate, create_vault, employee, family, individual, login, open_and_login,
    payee,
};
use kinko_vault::{DB_FILE, PeopleQuery, Session, Vault, VaultError};
use rusqlite::{Connection, params};

/// The people of every tamper case.
struct World {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    /// Employees A and B (with numbers) and C (without).
    a: PersonId,
    b: PersonId,
    c: PersonId,
    /// A's family members F (with a number) and G (with a number).
    f: PersonId,
    g: PersonId,
    /// An individual payee P and a corporate payee Q, both with numbers.
    p: PersonId,
    q: PersonId,
    people: Vec<(PersonId, &'static str, Expected)>,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("vault");
        let created = create_vault(&dir);
        let mut s = login(&created.vault);
        let mut people = Vec::new();
        let mut add = |s: &mut Session, label: &'static str, e: Expected| {
            let id = s
                .add_person(e.new_person())
                .unwrap_or_else(|err| panic!("adding {label}: {err:?}"));
            people.push((id, label, e));
            id
        };
        let a = add(
            &mut s,
            "A",
            employee("E-0001", &PEOPLE[0], None, Some(individual(1))),
        );
        let b = add(
            &mut s,
            "B",
            employee("E-0002", &PEOPLE[1], None, Some(individual(2))),
        );
        let c = add(&mut s, "C", employee("E-0003", &PEOPLE[2], None, None));
        let f = add(
            &mut s,
            "F",
            family(
                a,
                "配偶者",
                DependantType::Spouse,
                &PEOPLE[20],
                Some(individual(20)),
            ),
        );
        let g = add(
            &mut s,
            "G",
            family(
                a,
                "長男",
                DependantType::Under16,
                &PEOPLE[21],
                Some(individual(21)),
            ),
        );
        let p = add(
            &mut s,
            "P",
            payee(
                "P-0001",
                PayeeKind::Individual,
                &PEOPLE[26],
                Some(individual(26)),
            ),
        );
        let q = add(
            &mut s,
            "Q",
            payee(
                "P-0002",
                PayeeKind::Corporation,
                &PEOPLE[27],
                Some(corporate(1)),
            ),
        );
        drop(s);
        drop(created);
        let world = World {
            _tmp: tmp,
            dir,
            a,
            b,
            c,
            f,
            g,
            p,
            q,
            people,
        };
        // The untouched vault reads back correctly: the baseline every case departs from.
        let (_v, mut s) = open_and_login(&world.dir);
        let outcome = world.check_no_wrong_data(&mut s);
        assert!(
            outcome.errors.is_empty(),
            "untouched vault fails to read: {:?}",
            outcome.errors
        );
        world
    }

    fn db(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    fn label(&self, id: PersonId) -> &'static str {
        self.people.iter().find(|p| p.0 == id).map_or("?", |p| p.1)
    }

    /// Edits the closed vault's database with plain SQL.
    fn tamper(&self, f: impl FnOnce(&Connection)) {
        let conn = Connection::open(self.db()).expect("opening the database with rusqlite");
        f(&conn);
        conn.close()
            .map_err(|(_, e)| e)
            .expect("closing the tampering connection");
    }

    /// Reads everyone back every way the engine offers (person, reveal_number, family_of, list)
    /// and panics if any read *succeeds with wrong data*. Failed reads are collected.
    fn check_no_wrong_data(&self, s: &mut Session) -> Outcome {
        let mut out = Outcome::default();
        for (id, label, e) in &self.people {
            match s.person(*id) {
                Ok(view) => {
                    assert_eq!(view.id, *id, "person({label}) answered for another ID");
                    e.check_view(label, &view)
                        .unwrap_or_else(|m| panic!("WRONG DATA: {m}"));
                }
                Err(err) => out.errors.push((format!("person({label})"), err)),
            }
            match s.reveal_number(*id) {
                Ok(n) => e
                    .check_number(label, n.as_ref())
                    .unwrap_or_else(|m| panic!("WRONG DATA: {m}")),
                Err(err) => out.errors.push((format!("reveal_number({label})"), err)),
            }
        }
        for emp in [self.a, self.b, self.c] {
            match s.family_of(emp) {
                Ok(views) => {
                    for v in views {
                        let (_, label, e) =
                            self.people.iter().find(|p| p.0 == v.id).unwrap_or_else(|| {
                                panic!(
                                    "WRONG DATA: family_of({}) returned unknown {:?}",
                                    self.label(emp),
                                    v.id
                                )
                            });
                        e.check_view(label, &v)
                            .unwrap_or_else(|m| panic!("WRONG DATA via family_of: {m}"));
                    }
                }
                Err(err) => out
                    .errors
                    .push((format!("family_of({})", self.label(emp)), err)),
            }
        }
        match s.list(&PeopleQuery::default()) {
            Ok(rows) => {
                for r in rows {
                    let (_, label, e) =
                        self.people.iter().find(|p| p.0 == r.id).unwrap_or_else(|| {
                            panic!("WRONG DATA: list returned unknown {:?}", r.id)
                        });
                    assert_eq!(
                        r.kind,
                        e.role.kind(),
                        "WRONG DATA: list shows {label} as {:?}",
                        r.kind
                    );
                    assert_eq!(
                        r.name, e.details.name,
                        "WRONG DATA: list shows another name for {label}"
                    );
                    assert_eq!(
                        r.kana, e.details.kana,
                        "WRONG DATA: list shows another kana for {label}"
                    );
                    assert_eq!(
                        r.code.as_deref(),
                        e.role.code(),
                        "WRONG DATA: list shows another code for {label}"
                    );
                    assert_eq!(
                        r.has_number,
                        e.number.is_some(),
                        "WRONG DATA: list has_number for {label}"
                    );
                }
            }
            Err(err) => out.errors.push(("list".into(), err)),
        }
        out
    }

    /// Opens the tampered vault, checks no read gives wrong data, and returns the failures.
    fn reopen_and_check(&self) -> Outcome {
        let (_v, mut s) = open_and_login(&self.dir);
        self.check_no_wrong_data(&mut s)
    }
}

#[derive(Default)]
struct Outcome {
    errors: Vec<(String, VaultError)>,
}

impl Outcome {
    /// Asserts that `read` failed with `Tampered { place }`.
    #[track_caller]
    fn assert_tampered(&self, read: &str, place: &str) {
        match self.errors.iter().find(|(r, _)| r == read) {
            Some((_, VaultError::Tampered { place: p })) if *p == place => {}
            Some((_, e)) => panic!("{read}: expected Tampered {{ place: {place:?} }}, got {e:?}"),
            None => panic!(
                "{read}: expected Tampered {{ place: {place:?} }}, but it succeeded (with the right data)"
            ),
        }
    }

    /// Asserts that only reads about `people` failed (their person, number and family reads,
    /// and the list, which decrypts everyone), and that all failures are `Tampered`.
    /// Reading a family member checks the employee's scope, so an employee's damage may fail
    /// their family's reads too: callers list those members.
    #[track_caller]
    fn assert_only_failures_about(&self, people: &[&str]) {
        let mut reads = vec!["list".to_string()];
        for p in people {
            reads.extend([
                format!("person({p})"),
                format!("reveal_number({p})"),
                format!("family_of({p})"),
            ]);
            if ["F", "G"].contains(p) {
                reads.push("family_of(A)".into());
            }
            // C turned into a family member hangs under B.
            if *p == "C" {
                reads.push("family_of(B)".into());
            }
        }
        self.assert_only_failures(&reads);
    }

    /// Asserts that nothing but the listed reads failed, and that all failures are `Tampered`.
    #[track_caller]
    fn assert_only_failures<S: AsRef<str>>(&self, reads: &[S]) {
        for (read, e) in &self.errors {
            assert!(
                reads.iter().any(|r| r.as_ref() == read),
                "{read} failed although it reads nothing altered: {e:?}"
            );
            assert!(
                matches!(e, VaultError::Tampered { .. }),
                "{read} failed with {e:?}, expected Tampered"
            );
        }
    }
}

fn swap_column(conn: &Connection, table: &str, key: &str, column: &str, x: i64, y: i64) {
    use rusqlite::types::Value;
    let get = |id: i64| -> Value {
        conn.query_row(
            &format!("SELECT {column} FROM {table} WHERE {key} = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("reading {table}.{column} of {id}: {e}"))
    };
    let (vx, vy) = (get(x), get(y));
    let set = |id: i64, v: &Value| {
        let n = conn
            .execute(
                &format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2"),
                params![v, id],
            )
            .unwrap_or_else(|e| panic!("writing {table}.{column} of {id}: {e}"));
        assert_eq!(n, 1, "writing {table}.{column} of {id}");
    };
    // A placeholder first, for the UNIQUE column.
    if column == "code_index" {
        set(x, &Value::Blob(vec![0xA5; 3]));
    }
    set(y, &vx);
    set(x, &vy);
}

/// Rewrites one blob in Rust (SQL's `||` would turn it into TEXT, which STRICT tables refuse).
fn edit_blob(
    conn: &Connection,
    table: &str,
    key: &str,
    column: &str,
    id: i64,
    f: impl FnOnce(&mut Vec<u8>),
) {
    let mut b = blob(
        conn,
        &format!("SELECT {column} FROM {table} WHERE {key} = ?1"),
        id,
    );
    let before = b.clone();
    f(&mut b);
    assert_ne!(
        before, b,
        "editing {table}.{column} of {id} changed nothing"
    );
    let n = conn
        .execute(
            &format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2"),
            params![b, id],
        )
        .unwrap_or_else(|e| panic!("writing {table}.{column} of {id}: {e}"));
    assert_eq!(n, 1);
}

fn blob(conn: &Connection, sql: &str, id: i64) -> Vec<u8> {
    conn.query_row(sql, [id], |r| r.get(0))
        .expect("reading a blob")
}

#[test]
fn swapped_profiles_do_not_open() {
    let w = World::new();
    let (a, b) = (w.a.0, w.b.0);
    w.tamper(|c| swap_column(c, "persons", "id", "sealed_profile", a, b));
    let out = w.reopen_and_check();
    out.assert_tampered("person(A)", "persons.sealed_profile");
    out.assert_tampered("person(B)", "persons.sealed_profile");
    out.assert_tampered("list", "persons.sealed_profile");
    out.assert_only_failures_about(&["A", "B", "F", "G"]);
}

#[test]
fn swapped_family_profiles_do_not_open() {
    let w = World::new();
    let (f, g) = (w.f.0, w.g.0);
    w.tamper(|c| swap_column(c, "persons", "id", "sealed_profile", f, g));
    let out = w.reopen_and_check();
    out.assert_tampered("person(F)", "persons.sealed_profile");
    out.assert_tampered("person(G)", "persons.sealed_profile");
    out.assert_tampered("family_of(A)", "persons.sealed_profile");
    out.assert_only_failures_about(&["F", "G"]);
}

#[test]
fn swapped_numbers_do_not_open() {
    let w = World::new();
    let (a, b) = (w.a.0, w.b.0);
    w.tamper(|c| swap_column(c, "numbers", "person_id", "sealed", a, b));
    let out = w.reopen_and_check();
    out.assert_tampered("reveal_number(A)", "numbers.sealed");
    out.assert_tampered("reveal_number(B)", "numbers.sealed");
    out.assert_tampered("person(A)", "numbers.sealed");
    out.assert_tampered("person(B)", "numbers.sealed");
    out.assert_only_failures_about(&["A", "B"]);
}

#[test]
fn number_rows_moved_to_other_people_do_not_open() {
    let w = World::new();
    let (a, b, p, f) = (w.a.0, w.b.0, w.p.0, w.f.0);
    w.tamper(|c| {
        // Whole rows (number, blind index) trade owners: employee ↔ payee, and a family member's
        // number moves to B, whose own number row is parked on F.
        c.execute_batch("PRAGMA foreign_keys = OFF")
            .expect("pragma");
        c.execute(
            "UPDATE numbers SET person_id = -1 WHERE person_id = ?1",
            [a],
        )
        .expect("park A");
        c.execute(
            "UPDATE numbers SET person_id = ?1 WHERE person_id = ?2",
            [a, p],
        )
        .expect("P to A");
        c.execute(
            "UPDATE numbers SET person_id = ?1 WHERE person_id = -1",
            [p],
        )
        .expect("A to P");
        c.execute(
            "UPDATE numbers SET person_id = -2 WHERE person_id = ?1",
            [b],
        )
        .expect("park B");
        c.execute(
            "UPDATE numbers SET person_id = ?1 WHERE person_id = ?2",
            [b, f],
        )
        .expect("F to B");
        c.execute(
            "UPDATE numbers SET person_id = ?1 WHERE person_id = -2",
            [f],
        )
        .expect("B to F");
    });
    let out = w.reopen_and_check();
    for who in ["A", "B", "F", "P"] {
        out.assert_tampered(&format!("reveal_number({who})"), "numbers.sealed");
        out.assert_tampered(&format!("person({who})"), "numbers.sealed");
    }
    out.assert_only_failures_about(&["A", "B", "F", "P"]);
}

#[test]
fn a_number_moved_to_someone_without_one_does_not_open() {
    let w = World::new();
    let (b, c_id) = (w.b.0, w.c.0);
    w.tamper(|c| {
        c.execute(
            "UPDATE numbers SET person_id = ?1 WHERE person_id = ?2",
            [c_id, b],
        )
        .expect("B's number to C");
    });
    let (_v, mut s) = open_and_login(&w.dir);
    let err = s
        .reveal_number(w.c)
        .expect_err("C's reveal_number must fail: the number is B's");
    assert!(
        matches!(
            err,
            VaultError::Tampered {
                place: "numbers.sealed"
            }
        ),
        "got {err:?}"
    );
    let err = s.person(w.c).expect_err("person(C) must fail");
    assert!(
        matches!(
            err,
            VaultError::Tampered {
                place: "numbers.sealed"
            }
        ),
        "got {err:?}"
    );
    // B's row lost its number: a deletion, which the sealed values alone cannot reveal (the
    // audit seal is what covers rollbacks). B reads back without a number, nothing else wrong.
    assert!(s.reveal_number(w.b).expect("B still reads").is_none());
}

#[test]
fn swapped_person_keys_do_not_open() {
    let w = World::new();
    let (a, b) = (w.a.0, w.b.0);
    w.tamper(|c| swap_column(c, "persons", "id", "sealed_key", a, b));
    let out = w.reopen_and_check();
    for who in ["A", "B"] {
        out.assert_tampered(&format!("person({who})"), "persons.sealed_key");
        out.assert_tampered(&format!("reveal_number({who})"), "persons.sealed_key");
    }
    out.assert_tampered("list", "persons.sealed_key");
    out.assert_only_failures_about(&["A", "B", "F", "G"]);
}

#[test]
fn whole_sealed_contents_swapped_between_rows_do_not_open() {
    let w = World::new();
    let (a, b) = (w.a.0, w.b.0);
    w.tamper(|c| {
        for col in [
            "sealed_key",
            "sealed_profile",
            "code_index",
            "key_epoch",
            "collection_status",
        ] {
            swap_column(c, "persons", "id", col, a, b);
        }
        swap_column(c, "numbers", "person_id", "sealed", a, b);
    });
    let out = w.reopen_and_check();
    for who in ["A", "B"] {
        out.assert_tampered(&format!("person({who})"), "persons.sealed_key");
        out.assert_tampered(&format!("reveal_number({who})"), "persons.sealed_key");
    }
    out.assert_only_failures_about(&["A", "B", "F", "G"]);
}

#[test]
fn rows_with_swapped_ids_do_not_open() {
    let w = World::new();
    let (a, b) = (w.a.0, w.b.0);
    w.tamper(|c| {
        c.execute_batch("PRAGMA foreign_keys = OFF")
            .expect("pragma");
        c.execute("UPDATE persons SET id = -1 WHERE id = ?1", [a])
            .expect("park A");
        c.execute("UPDATE persons SET id = ?1 WHERE id = ?2", [a, b])
            .expect("B becomes A");
        c.execute("UPDATE persons SET id = ?1 WHERE id = -1", [b])
            .expect("A becomes B");
        // Their numbers and A's family follow the rows, as a careful forger would do.
        c.execute(
            "UPDATE numbers SET person_id = -1 WHERE person_id = ?1",
            [a],
        )
        .expect("park");
        c.execute(
            "UPDATE numbers SET person_id = ?1 WHERE person_id = ?2",
            [a, b],
        )
        .expect("move");
        c.execute(
            "UPDATE numbers SET person_id = ?1 WHERE person_id = -1",
            [b],
        )
        .expect("move");
        c.execute(
            "UPDATE persons SET employee_id = ?1 WHERE employee_id = ?2",
            [b, a],
        )
        .expect("family");
    });
    let (_v, mut s) = open_and_login(&w.dir);
    // A's row now holds B's sealed values and the reverse: neither may open as the other.
    for (id, who) in [(w.a, "A"), (w.b, "B")] {
        let err = s
            .person(id)
            .expect_err(&format!("person({who}) must fail after an ID swap"));
        assert!(
            matches!(
                err,
                VaultError::Tampered {
                    place: "persons.sealed_key"
                }
            ),
            "{who}: {err:?}"
        );
        let err = s
            .reveal_number(id)
            .expect_err(&format!("reveal_number({who}) must fail after an ID swap"));
        assert!(matches!(err, VaultError::Tampered { .. }), "{who}: {err:?}");
    }
    assert!(matches!(
        s.list(&PeopleQuery::default()),
        Err(VaultError::Tampered { .. })
    ));
    // Untouched people still read.
    for (id, label, e) in &w.people {
        if ![w.a, w.b, w.f, w.g].contains(id) {
            e.verify(&mut s, *id, label)
                .unwrap_or_else(|m| panic!("{m}"));
        }
    }
}

/// Changes `id`'s kind (with whatever else the CHECK constraints demand) and expects every
/// read of that person to fail, never to show them as the new kind.
fn changed_kind_does_not_open(who: &str, id_of: impl Fn(&World) -> PersonId, sql: &str) {
    let w = World::new();
    let id = id_of(&w).0;
    let other = w.b.0;
    w.tamper(|c| {
        c.execute(sql, params![id, other])
            .unwrap_or_else(|e| panic!("{who}: {sql}: {e}"));
    });
    let out = w.reopen_and_check();
    out.assert_tampered(&format!("person({who})"), "persons.sealed_profile");
    out.assert_tampered("list", "persons.sealed_profile");
    // Numbers are bound to the row, not the kind: revealing may still succeed (checked to be
    // right by check_no_wrong_data) or fail.
    // A's family is reached through A (scope).
    let mut about = vec![who];
    if who == "A" {
        about.extend(["F", "G"]);
    }
    out.assert_only_failures_about(&about);
}

#[test]
fn employee_turned_payee_does_not_open() {
    changed_kind_does_not_open(
        "A",
        |w| w.a,
        "UPDATE persons SET kind = 'payee', employment_status = NULL WHERE id = ?1 AND ?2 IS NOT NULL",
    );
}

#[test]
fn payee_turned_employee_does_not_open() {
    changed_kind_does_not_open(
        "P",
        |w| w.p,
        "UPDATE persons SET kind = 'employee', employment_status = 'active' WHERE id = ?1 AND ?2 IS NOT NULL",
    );
}

#[test]
fn corporate_payee_turned_employee_does_not_open() {
    changed_kind_does_not_open(
        "Q",
        |w| w.q,
        "UPDATE persons SET kind = 'employee', employment_status = 'active' WHERE id = ?1 AND ?2 IS NOT NULL",
    );
}

#[test]
fn employee_turned_family_does_not_open() {
    changed_kind_does_not_open(
        "C",
        |w| w.c,
        "UPDATE persons SET kind = 'family', employee_id = ?2, code_index = NULL, employment_status = NULL
         WHERE id = ?1",
    );
}

#[test]
fn family_turned_employee_does_not_open() {
    changed_kind_does_not_open(
        "F",
        |w| w.f,
        "UPDATE persons SET kind = 'employee', employee_id = NULL, code_index = randomblob(16),
             employment_status = 'active' WHERE id = ?1 AND ?2 IS NOT NULL",
    );
}

#[test]
fn family_turned_payee_does_not_open() {
    changed_kind_does_not_open(
        "G",
        |w| w.g,
        "UPDATE persons SET kind = 'payee', employee_id = NULL, code_index = randomblob(16)
         WHERE id = ?1 AND ?2 IS NOT NULL",
    );
}

#[test]
fn a_kind_outside_the_schema_is_refused() {
    let w = World::new();
    let a = w.a.0;
    w.tamper(|c| {
        c.execute_batch("PRAGMA ignore_check_constraints = ON")
            .expect("pragma");
        c.execute("UPDATE persons SET kind = 'admin' WHERE id = ?1", [a])
            .expect("update");
    });
    // Either the integrity check notices the CHECK violation, or reading A fails.
    match Vault::open(&w.dir) {
        Err(VaultError::Corrupt(why)) => eprintln!("refused at open: {why}"),
        Err(e) => panic!("Vault::open: expected Corrupt or success, got {e:?}"),
        Ok(v) => {
            let mut s = login(&v);
            let out = w.check_no_wrong_data(&mut s);
            out.assert_tampered("person(A)", "persons.kind");
            out.assert_tampered("list", "persons.kind");
        }
    }
}

#[test]
fn sealed_values_from_another_vault_do_not_open() {
    let w1 = World::new();
    let w2 = World::new();
    // Same layout, so A has the same row ID in both vaults.
    assert_eq!(w1.a, w2.a);
    let a = w1.a.0;
    let (key, profile, number) = {
        let c = Connection::open(w1.db()).expect("open vault 1");
        (
            blob(&c, "SELECT sealed_key FROM persons WHERE id = ?1", a),
            blob(&c, "SELECT sealed_profile FROM persons WHERE id = ?1", a),
            blob(&c, "SELECT sealed FROM numbers WHERE person_id = ?1", a),
        )
    };
    w2.tamper(|c| {
        c.execute(
            "UPDATE persons SET sealed_key = ?1, sealed_profile = ?2 WHERE id = ?3",
            params![key, profile, a],
        )
        .expect("copy");
        c.execute(
            "UPDATE numbers SET sealed = ?1 WHERE person_id = ?2",
            params![number, a],
        )
        .expect("copy");
    });
    let out = w2.reopen_and_check();
    out.assert_tampered("person(A)", "persons.sealed_key");
    out.assert_tampered("reveal_number(A)", "persons.sealed_key");
    out.assert_only_failures_about(&["A", "F", "G"]);
}

type BlobEdit = fn(&mut Vec<u8>);

#[test]
fn cut_or_flipped_ciphertext_does_not_open() {
    let profile_edits: [(&str, BlobEdit); 6] = [
        ("profile cut short", |b| b.truncate(20)),
        ("profile emptied", |b| b.clear()),
        ("nonce byte flipped", |b| b[3] ^= 0x01),
        ("ciphertext byte flipped", |b| b[30] ^= 0x5A),
        ("tag byte flipped", |b| {
            *b.last_mut().expect("non-empty") ^= 0x80
        }),
        ("a byte appended", |b| b.push(0)),
    ];
    for (case, edit) in profile_edits {
        let w = World::new();
        let a = w.a.0;
        w.tamper(|c| edit_blob(c, "persons", "id", "sealed_profile", a, edit));
        let out = w.reopen_and_check();
        eprintln!("{case}: {} failed reads", out.errors.len());
        out.assert_tampered("person(A)", "persons.sealed_profile");
        out.assert_only_failures_about(&["A", "F", "G"]);
    }
    let other_edits: [(&str, &str, &str, &str, BlobEdit); 4] = [
        ("number cut short", "numbers", "person_id", "sealed", |b| {
            b.truncate(27)
        }),
        (
            "number byte flipped",
            "numbers",
            "person_id",
            "sealed",
            |b| b[14] ^= 0xFF,
        ),
        ("person key cut short", "persons", "id", "sealed_key", |b| {
            b.truncate(40)
        }),
        (
            "person key byte flipped",
            "persons",
            "id",
            "sealed_key",
            |b| b[20] ^= 0x10,
        ),
    ];
    for (case, table, key, column, edit) in other_edits {
        let w = World::new();
        let a = w.a.0;
        w.tamper(|c| edit_blob(c, table, key, column, a, edit));
        let out = w.reopen_and_check();
        let place = if column == "sealed_key" {
            "persons.sealed_key"
        } else {
            "numbers.sealed"
        };
        eprintln!("{case}: {} failed reads", out.errors.len());
        out.assert_tampered("reveal_number(A)", place);
        out.assert_tampered("person(A)", place);
        // The key opens everything of A, and A's family's reads check A's scope.
        if column == "sealed_key" {
            out.assert_only_failures_about(&["A", "F", "G"]);
        } else {
            out.assert_only_failures_about(&["A"]);
        }
    }
}

#[test]
fn a_damaged_wrapping_key_fails_the_login_cleanly() {
    let w = World::new();
    w.tamper(|c| edit_blob(c, "wrap_keys", "epoch", "sealed", 1, |b| b[12..].fill(0)));
    let vault = Vault::open(&w.dir).expect("the file itself is sound");
    match vault.login(kinko_e2e::ADMIN, kinko_e2e::PASSWORD.as_bytes()) {
        Err(VaultError::Tampered {
            place: "wrap_keys.sealed",
        }) => {}
        Err(e) => panic!("expected Tampered(wrap_keys.sealed), got {e:?}"),
        Ok(_) => panic!("login succeeded with a destroyed wrapping key"),
    }
}

#[test]
fn swapped_keyslots_do_not_unlock() {
    let w = World::new();
    w.tamper(|c| {
        // The admin's slot gets the recovery slot's sealed master key and salt.
        c.execute_batch(
            "UPDATE keyslots SET sealed_vmk = (SELECT sealed_vmk FROM keyslots WHERE kind = 'recovery'),
                                 salt = (SELECT salt FROM keyslots WHERE kind = 'recovery')
             WHERE kind = 'user'",
        )
        .expect("swap slots");
    });
    let vault = Vault::open(&w.dir).expect("open");
    assert!(matches!(
        vault.login(kinko_e2e::ADMIN, kinko_e2e::PASSWORD.as_bytes()),
        Err(VaultError::WrongPassword)
    ));
}

/// Sanity check of the tooling: the helper really swaps, and an untouched vault has no failures.
#[test]
fn the_swap_helper_swaps() {
    let w = World::new();
    let (a, b) = (w.a.0, w.b.0);
    let db: &Path = &w.db();
    let c = Connection::open(db).expect("open");
    let pa = blob(&c, "SELECT sealed_profile FROM persons WHERE id = ?1", a);
    let pb = blob(&c, "SELECT sealed_profile FROM persons WHERE id = ?1", b);
    swap_column(&c, "persons", "id", "sealed_profile", a, b);
    assert_eq!(
        blob(&c, "SELECT sealed_profile FROM persons WHERE id = ?1", a),
        pb
    );
    assert_eq!(
        blob(&c, "SELECT sealed_profile FROM persons WHERE id = ?1", b),
        pa
    );
    swap_column(&c, "persons", "id", "sealed_profile", a, b);
    drop(c);
    let out = w.reopen_and_check();
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let (_v, mut s) = open_and_login(&w.dir);
    assert_eq!(s.count(PersonKind::Employee).expect("count"), 3);
}

// The clear columns of a row (statuses, department, family link) are bound into the profile's
// associated data: editing one on disk makes the profile fail to open rather than read back as
// a different status, department or family.

#[test]
fn an_edited_collection_status_does_not_open() {
    changed_kind_does_not_open(
        "A",
        |w| w.a,
        "UPDATE persons SET collection_status = 'verified' WHERE id = ?1 AND ?2 IS NOT NULL",
    );
}

#[test]
fn an_edited_employment_status_does_not_open() {
    changed_kind_does_not_open(
        "A",
        |w| w.a,
        "UPDATE persons SET employment_status = 'retired' WHERE id = ?1 AND ?2 IS NOT NULL",
    );
}

#[test]
fn a_family_member_moved_to_another_employee_does_not_open() {
    let w = World::new();
    let (f, b) = (w.f.0, w.b.0);
    w.tamper(|c| {
        c.execute("UPDATE persons SET employee_id = ?2 WHERE id = ?1", [f, b])
            .expect("move F to B");
    });
    let out = w.reopen_and_check();
    out.assert_tampered("person(F)", "persons.sealed_profile");
    // B's family now lists F, whose profile fails: B's family read fails rather than showing F.
    out.assert_only_failures_about(&["F", "B"]);
}

#[test]
fn a_department_changed_on_disk_does_not_open() {
    let w = World::new();
    let a = w.a.0;
    w.tamper(|c| {
        c.execute(
            "INSERT INTO departments (name, created_at) VALUES ('営業部', '2026-01-01T00:00:00.000Z')",
            [],
        )
        .expect("insert department");
        c.execute(
            "UPDATE persons SET department_id = (SELECT max(id) FROM departments) WHERE id = ?1",
            [a],
        )
        .expect("move A");
    });
    let out = w.reopen_and_check();
    out.assert_tampered("person(A)", "persons.sealed_profile");
    out.assert_only_failures_about(&["A", "F", "G"]);
}
