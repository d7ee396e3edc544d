//! Deletion by crypto-shredding and re-keying (PRODUCT.md F10, ADR 0011), on real vault files.
//!
//! A vault with several people; one person's number, name (UTF-8, CP932, UTF-16LE), the raw
//! bytes of their sealed person key, sealed number and the wrapping key of the epoch are noted
//! before the deletion. After it — with the session open and again after a clean close — every
//! byte of every file of the vault directory (database, -wal, -shm) is read: none of these may
//! be found. And the old sealed person key must not unwrap with any wrapping key the vault
//! still holds: the old wrapping key's row is gone and every remaining person key is wrapped
//! under the new epoch.

use std::path::Path;

use chrono::NaiveDate;
use kinko_domain::people::{EmploymentStatus, PersonId, Role};
use kinko_e2e::{
    Expected, Needle, PEOPLE, create_vault, date, employee, family, individual, login,
    open_and_login, scan_dir, utf16le,
};
use kinko_vault::{DB_FILE, DeletionKind, Session, Vault};

const REASON: &str = "退職後の保存期間満了のため廃棄";

fn legacy(s: &str, enc: &'static encoding_rs::Encoding) -> Option<Vec<u8>> {
    let (bytes, _, unmappable) = enc.encode(s);
    (!unmappable).then(|| bytes.into_owned())
}

fn db(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join(DB_FILE)).expect("open the db read-side")
}

/// The raw bytes noted before a deletion.
struct Before {
    epoch: i64,
    wrap_key: Vec<u8>,
    person_key: Vec<u8>,
    number: Vec<u8>,
    profile: Vec<u8>,
}

fn note(dir: &Path, id: PersonId) -> Before {
    let c = db(dir);
    let (epoch, person_key, profile): (i64, Vec<u8>, Vec<u8>) = c
        .query_row(
            "SELECT key_epoch, sealed_key, sealed_profile FROM persons WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the person's row");
    let wrap_key = c
        .query_row(
            "SELECT sealed FROM wrap_keys WHERE epoch = ?1",
            [epoch],
            |r| r.get(0),
        )
        .expect("the wrapping key");
    let number = c
        .query_row(
            "SELECT sealed FROM numbers WHERE person_id = ?1",
            [id.0],
            |r| r.get(0),
        )
        .expect("the number");
    Before {
        epoch,
        wrap_key,
        person_key,
        number,
        profile,
    }
}

fn needles(e: &Expected, label: &str, before: &Before, number_only: bool) -> Vec<Needle> {
    let mut out = Vec::new();
    let mut add = |what: &str, bytes: Vec<u8>| {
        out.push(Needle {
            label: format!("{label}: {what}"),
            bytes,
        })
    };
    let digits = e.number.as_ref().expect("has a number").expose_digits();
    add("number digits", digits.as_bytes().to_vec());
    add("number digits UTF-16LE", utf16le(digits));
    let name = &e.details.name;
    add("name UTF-8", name.as_bytes().to_vec());
    add("name UTF-16LE", utf16le(name));
    if let Some(b) = legacy(name, encoding_rs::SHIFT_JIS) {
        add("name CP932", b);
    }
    add("old wrapping key blob", before.wrap_key.clone());
    add("old sealed person key", before.person_key.clone());
    add("old sealed number", before.number.clone());
    if !number_only {
        add("old sealed profile", before.profile.clone());
    }
    out
}

fn assert_clean(dir: &Path, needles: &[Needle], when: &str) {
    let (hits, scanned) = scan_dir(dir, needles);
    assert!(
        scanned.iter().any(|(p, n)| p.ends_with(DB_FILE) && *n > 0),
        "{when}: the database was scanned"
    );
    assert!(
        hits.is_empty(),
        "{when}: found in the vault's files: {:?}",
        hits.iter()
            .map(|h| format!("{} in {} at {}", h.label, h.file.display(), h.offset))
            .collect::<Vec<_>>()
    );
}

/// Every person key is wrapped under the one stored wrapping key.
fn assert_one_epoch(dir: &Path, old_epoch: i64) -> i64 {
    let c = db(dir);
    let epochs: Vec<i64> = c
        .prepare("SELECT epoch FROM wrap_keys")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(epochs.len(), 1, "one wrapping key left");
    assert_ne!(epochs[0], old_epoch, "the old wrapping key's row is gone");
    let stale: i64 = c
        .query_row(
            "SELECT count(*) FROM persons WHERE key_epoch <> ?1",
            [epochs[0]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0, "every person key is under the new epoch");
    epochs[0]
}

struct Firm {
    people: Vec<(PersonId, Expected)>,
}

fn populate(s: &mut Session) -> Firm {
    let mut people = Vec::new();
    let sales = s.write(|w| w.department("営業部")).unwrap();
    for (i, f) in PEOPLE.iter().enumerate().take(6) {
        let mut e = employee(
            &format!("E{i:03}"),
            f,
            Some(sales),
            Some(individual(100 + i as u64)),
        );
        if i % 2 == 0
            && let Role::Employee {
                status,
                retire_date,
                ..
            } = &mut e.role
        {
            *status = EmploymentStatus::Retired;
            *retire_date = Some(date(2026, 3, 31));
        }
        let id = s.add_person(e.new_person()).expect("add employee");
        people.push((id, e));
    }
    let boss = people[0].0;
    let spouse = family(
        boss,
        "配偶者",
        kinko_domain::people::DependantType::Spouse,
        &PEOPLE[10],
        Some(individual(200)),
    );
    let id = s.add_person(spouse.new_person()).expect("add spouse");
    people.push((id, spouse));
    Firm { people }
}

#[test]
fn a_deleted_person_leaves_nothing_readable_and_no_key_that_opens_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let created = create_vault(dir);
    let mut s = login(&created.vault);
    let firm = populate(&mut s);
    let (victim, expected) = firm.people[2].clone();
    // Their data was written and changed: old page versions exist in the WAL.
    s.write(|w| w.set_collection_status(victim, kinko_domain::people::CollectionStatus::Verified))
        .unwrap();
    let before = note(dir, victim);
    let needles = needles(&expected, "deleted person", &before, false);
    assert!(
        s.stored_keys_open_person_key(victim, before.epoch, &before.person_key)
            .unwrap(),
        "the check works: before the deletion the stored keys open it"
    );

    let summary = s.delete_person(victim, REASON).unwrap();
    assert_eq!(summary.people, vec![victim]);
    assert!(summary.compacted, "checkpoint and VACUUM completed");
    assert_eq!(summary.rewrapped, firm.people.len() - 1);

    // With the session still open.
    assert_clean(dir, &needles, "after the deletion, session open");
    assert!(
        !s.stored_keys_open_person_key(victim, before.epoch, &before.person_key)
            .unwrap()
    );
    assert_one_epoch(dir, before.epoch);
    // Everyone else reads back in full.
    for (id, e) in firm.people.iter().filter(|(id, _)| *id != victim) {
        e.verify(&mut s, *id, "survivor").unwrap();
    }
    s.logout().unwrap();
    drop(created);

    // After a clean close, and again after a fresh open and log-in.
    assert_clean(dir, &needles, "after close");
    let (vault, mut s) = open_and_login(dir);
    assert!(
        !s.stored_keys_open_person_key(victim, before.epoch, &before.person_key)
            .unwrap()
    );
    let reg = s.deletions().unwrap();
    assert_eq!(reg.len(), 1);
    assert_eq!(reg[0].person, Some(victim));
    assert_eq!(reg[0].kind, DeletionKind::Person);
    assert_eq!(reg[0].reason, REASON);
    s.logout().unwrap();
    drop(vault);
    assert_clean(dir, &needles, "after a second session");
}

#[test]
fn a_deleted_number_cannot_be_opened_by_the_key_that_lives_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let created = create_vault(dir);
    let mut s = login(&created.vault);
    let firm = populate(&mut s);
    let (victim, expected) = firm.people[1].clone();
    let before = note(dir, victim);
    assert!(s.current_key_opens_number(victim, &before.number).unwrap());
    let digits = expected.number.as_ref().unwrap().expose_digits().to_owned();
    let needles: Vec<Needle> = needles(&expected, "number-only", &before, true)
        .into_iter()
        .filter(|n| !n.label.contains("name"))
        .collect();

    let summary = s.delete_number(victim, REASON).unwrap();
    assert_eq!(summary.numbers, vec![victim]);

    assert!(
        !s.current_key_opens_number(victim, &before.number).unwrap(),
        "the person's current key does not open the old number ciphertext"
    );
    assert!(
        !s.stored_keys_open_person_key(victim, before.epoch, &before.person_key)
            .unwrap(),
        "nor does any stored wrapping key open the person's old key"
    );
    let view = s.person(victim).unwrap();
    assert_eq!(view.masked_number, None);
    assert_eq!(view.person, expected.person());
    assert!(s.reveal_number(victim).unwrap().is_none());
    assert_clean(dir, &needles, "after the number deletion, session open");
    drop(s);
    drop(created);
    assert_clean(dir, &needles, "after close");
    assert_eq!(digits.len(), 12);
}

#[test]
fn the_year_end_batch_deletes_the_due_and_only_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let created = create_vault(dir);
    let mut s = login(&created.vault);
    let firm = populate(&mut s);
    let due_day = NaiveDate::from_ymd_opt(2034, 1, 11).unwrap();
    let eve = due_day - chrono::Duration::days(11); // 2033-12-31
    assert!(s.retention_due(eve).unwrap().is_empty());
    let noted: Vec<(PersonId, Before)> = firm
        .people
        .iter()
        .filter(|(_, e)| {
            matches!(
                e.role,
                Role::Employee {
                    status: EmploymentStatus::Retired,
                    ..
                }
            ) || matches!(e.role, Role::Family { .. })
        })
        .map(|(id, _)| (*id, note(dir, *id)))
        .collect();
    let due = s.retention_due(due_day).unwrap();
    let mut due_ids: Vec<PersonId> = due.iter().map(|d| d.person).collect();
    due_ids.sort();
    let mut expected_ids: Vec<PersonId> = noted.iter().map(|(id, _)| *id).collect();
    expected_ids.sort();
    assert_eq!(due_ids, expected_ids, "three retirees and the spouse");
    assert!(
        due.iter().all(|d| d.due_on == due_day
            && kinko_domain::wareki::format_ja(d.due_on) == "令和16年1月11日")
    );

    let summary = s.delete_due(due_day, REASON).unwrap();
    let mut deleted = summary.people.clone();
    deleted.sort();
    assert_eq!(deleted, expected_ids);
    assert_one_epoch(dir, noted[0].1.epoch);
    for (id, b) in &noted {
        assert!(
            !s.stored_keys_open_person_key(*id, b.epoch, &b.person_key)
                .unwrap()
        );
    }
    let mut needles = Vec::new();
    for (id, b) in &noted {
        let e = &firm.people.iter().find(|(p, _)| p == id).unwrap().1;
        needles.extend(self::needles(e, &format!("person {}", id.0), b, false));
    }
    // The wrapping key blob is the same for everyone: one needle is enough.
    needles.dedup_by(|a, b| a.bytes == b.bytes);
    assert_clean(dir, &needles, "after the batch");
    assert_eq!(s.list(&Default::default()).unwrap().len(), 3);
    let reg = s.deletions().unwrap();
    assert_eq!(reg.len(), 5);
    assert_eq!(reg[4].kind, DeletionKind::Batch);
    assert_eq!(reg[4].people, 4);
    drop(s);
    drop(created);
    let _ = Vault::open(dir).expect("reopens after the batch");
}
