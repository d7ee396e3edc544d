//! "Nothing personal is readable in the raw bytes of the stick" (PRODUCT.md §3).
//!
//! Builds a vault with employees, family members and payees (rare kanji included), updates some
//! of them so that old page versions exist, and then reads every byte of every file in the vault
//! directory — the database, its -wal and -shm, anything else — looking for each number, name,
//! kana, address, birth date, code, the password and the recovery code, in every encoding a
//! careless store could have used. It scans while the session is open (the -wal holds the
//! changes) and again after a clean close.
//!
//! Failures name what was found (by fixture label, never the secret itself), in which file and
//! at which offset.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use kinko_domain::people::{
    CollectionEvent, CollectionStatus, DependantType, PayeeKind, PersonId, PurposeNotice,
};
use kinko_domain::wareki::format_ja;
use kinko_e2e::{
    ADMIN, Expected, Fixture, MIN_NEEDLE, Needle, PASSWORD, PEOPLE, SplitMix64, corporate,
    create_vault, employee, family, find_needles, individual, login, payee, scan_dir,
};
use kinko_vault::{DB_FILE, PeopleQuery, PersonNumber, PersonRecord, Vault};

const NEW_PASSWORD: &str = "Neue-パスワード-after-Recovery-77";
/// Chosen after the reset (a reset password must be changed at the next log-in).
const THIRD_PASSWORD: &str = "三番目の-password-Dritte-93";
/// Typed into the search box: a reading, so personal too (it must not be logged in the clear).
const SEARCH_TEXT: &str = "たかはし";
const COLLECTION_NOTE: &str = "本人より簡易書留にて受領。控えは総務の金庫に保管（山﨑担当）";

// ---------------------------------------------------------------------------------------------
// Encodings

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn utf16be(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

/// `s` in a legacy encoding, if every character maps (e.g. 𠮷 has no Shift_JIS code).
fn legacy(s: &str, enc: &'static encoding_rs::Encoding) -> Option<Vec<u8>> {
    let (bytes, _, unmappable) = enc.encode(s);
    (!unmappable).then(|| bytes.into_owned())
}

/// `s` as JSON would write it with every non-ASCII character escaped (`\u9ad9`).
fn json_escaped(s: &str) -> String {
    s.encode_utf16()
        .map(|u| {
            if u < 0x80 {
                char::from(u as u8).to_string()
            } else {
                format!("\\u{u:04x}")
            }
        })
        .collect()
}

fn full_width_digits(digits: &str) -> String {
    digits
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).expect("digit"))
        .collect()
}

/// Groups of `sizes` joined by `sep`: "1234 5678 9018".
fn grouped(digits: &str, sizes: &[usize], sep: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for &n in sizes {
        out.push(chars[at..at + n].iter().collect::<String>());
        at += n;
    }
    assert_eq!(
        at,
        chars.len(),
        "group sizes {sizes:?} do not cover the digits"
    );
    out.join(sep)
}

/// Collects needles, dropping duplicates and refusing ones too short to search for.
#[derive(Default)]
struct Needles {
    list: Vec<Needle>,
    skipped: Vec<String>,
}

impl Needles {
    fn push(&mut self, label: impl Into<String>, bytes: Vec<u8>) {
        let label = label.into();
        assert!(
            bytes.len() >= MIN_NEEDLE,
            "needle {label} is only {} bytes",
            bytes.len()
        );
        if !self.list.iter().any(|n| n.bytes == bytes) {
            self.list.push(Needle { label, bytes });
        }
    }

    /// A piece of text in every encoding a store might use.
    fn text(&mut self, label: &str, s: &str) {
        self.push(format!("{label} (UTF-8)"), s.as_bytes().to_vec());
        self.push(format!("{label} (UTF-16LE)"), utf16le(s));
        self.push(format!("{label} (UTF-16BE)"), utf16be(s));
        for (name, enc) in [
            ("Shift_JIS/CP932", encoding_rs::SHIFT_JIS),
            ("EUC-JP", encoding_rs::EUC_JP),
            ("ISO-2022-JP", encoding_rs::ISO_2022_JP),
        ] {
            match legacy(s, enc) {
                Some(b) => self.push(format!("{label} ({name})"), b),
                None => self.skipped.push(format!("{label} ({name}: unmappable)")),
            }
        }
        if !s.is_ascii() {
            self.push(
                format!("{label} (JSON \\u-escaped)"),
                json_escaped(s).into_bytes(),
            );
        }
    }

    /// A person's name: as stored, without the space, with an ASCII space.
    fn name(&mut self, label: &str, name: &str) {
        self.text(label, name);
        if name.contains('\u{3000}') {
            self.text(
                &format!("{label} without space"),
                &name.replace('\u{3000}', ""),
            );
            self.push(
                format!("{label} with ASCII space (UTF-8)"),
                name.replace('\u{3000}', " ").into_bytes(),
            );
        }
    }

    fn date(&mut self, label: &str, d: NaiveDate) {
        self.push(
            format!("{label} (ISO)"),
            d.format("%Y-%m-%d").to_string().into_bytes(),
        );
        self.push(
            format!("{label} (YYYYMMDD)"),
            d.format("%Y%m%d").to_string().into_bytes(),
        );
        self.push(
            format!("{label} (Y/M/D)"),
            d.format("%Y/%m/%d").to_string().into_bytes(),
        );
        self.push(
            format!("{label} (ISO, UTF-16LE)"),
            utf16le(&d.format("%Y-%m-%d").to_string()),
        );
        let wareki = format_ja(d);
        self.text(&format!("{label} (和暦)"), &wareki);
        self.text(
            &format!("{label} (年月日)"),
            &format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        );
    }

    /// A My Number or 法人番号 in every form it could be written or packed.
    fn number(&mut self, label: &str, n: &PersonNumber) {
        let d = n.expose_digits();
        let sizes: &[usize] = if d.len() == 12 {
            &[4, 4, 4]
        } else {
            &[1, 4, 4, 4]
        };
        self.push(format!("{label} (ASCII)"), d.as_bytes().to_vec());
        self.push(format!("{label} (ASCII without check digit)"), {
            let body = if d.len() == 12 { &d[..11] } else { &d[1..] };
            body.as_bytes().to_vec()
        });
        for sep in [" ", "-", "\u{3000}", "－"] {
            self.push(
                format!("{label} (grouped by {sep:?})"),
                grouped(d, sizes, sep).into_bytes(),
            );
        }
        self.push(
            format!("{label} (4-4-4/4-4-5 from the left, spaces)"),
            grouped(d, &[4, 4, d.len() - 8], " ").into_bytes(),
        );
        self.push(format!("{label} (ASCII, UTF-16LE)"), utf16le(d));
        self.push(format!("{label} (ASCII, UTF-16BE)"), utf16be(d));
        let fw = full_width_digits(d);
        self.push(
            format!("{label} (full-width, UTF-8)"),
            fw.clone().into_bytes(),
        );
        self.push(format!("{label} (full-width, UTF-16LE)"), utf16le(&fw));
        self.push(format!("{label} (full-width, UTF-16BE)"), utf16be(&fw));
        if let Some(sjis) = legacy(&fw, encoding_rs::SHIFT_JIS) {
            self.push(format!("{label} (full-width, Shift_JIS)"), sjis);
        }
        self.push(
            format!("{label} (full-width grouped, UTF-8)"),
            grouped(&fw, sizes, "\u{3000}").into_bytes(),
        );
        // As an integer: SQLite stores integers big-endian in 6 or 8 bytes; a program might
        // write a little-endian u64; or packed BCD.
        let v: u64 = d.parse().expect("digits");
        let be = v.to_be_bytes();
        self.push(format!("{label} (integer, 8-byte big-endian)"), be.to_vec());
        self.push(
            format!("{label} (integer, 6-byte big-endian)"),
            be[2..].to_vec(),
        );
        self.push(
            format!("{label} (integer, little-endian u64)"),
            v.to_le_bytes().to_vec(),
        );
        let bcd: Vec<u8> = d
            .as_bytes()
            .chunks(2)
            .map(|p| ((p[0] - b'0') << 4) | p.get(1).map_or(0x0F, |c| c - b'0'))
            .collect();
        self.push(format!("{label} (packed BCD)"), bcd);
    }

    fn person(&mut self, label: &str, e: &Expected) {
        self.name(&format!("{label} name"), &e.details.name);
        self.text(&format!("{label} kana"), &e.details.kana);
        if let Some(a) = &e.details.address {
            self.text(&format!("{label} address"), a);
        }
        if let Some(b) = e.details.birth_date {
            self.date(&format!("{label} birth date"), b);
        }
        if let Some(code) = e.role.code() {
            self.push(format!("{label} code (UTF-8)"), code.as_bytes().to_vec());
            self.push(format!("{label} code (UTF-16LE)"), utf16le(code));
        }
        if let Some(n) = &e.number {
            self.number(&format!("{label} number"), n);
        }
    }

    fn secret(&mut self, label: &str, s: &str) {
        self.push(format!("{label} (UTF-8)"), s.as_bytes().to_vec());
        self.push(format!("{label} (UTF-16LE)"), utf16le(s));
        self.push(format!("{label} (UTF-16BE)"), utf16be(s));
    }
}

// ---------------------------------------------------------------------------------------------
// The vault

/// Everyone stored, with a label for messages.
struct Stored {
    people: Vec<(PersonId, String, Expected)>,
    /// Values replaced by updates: they were written once, so old page versions held them.
    replaced: Vec<(String, Expected)>,
}

fn fill(s: &mut kinko_vault::Session) -> Stored {
    let mut people = Vec::new();
    let mut replaced = Vec::new();

    // 20 employees in one transaction, as an import would.
    let employees: Vec<Expected> = s
        .write(|w| {
            let general = w.department("総務部")?;
            let sales = w.department("営業部")?;
            let mut out = Vec::new();
            for (i, f) in PEOPLE[..20].iter().enumerate() {
                let dept = if i % 2 == 0 { general } else { sales };
                let e = employee(
                    &format!("E-{:04}", 12 + i),
                    f,
                    Some(dept),
                    Some(individual(100 + i as u64)),
                );
                let id = w.add_person(e.new_person())?;
                out.push((id, e));
            }
            Ok(out)
        })
        .expect("adding employees")
        .into_iter()
        .enumerate()
        .map(|(i, (id, e))| {
            people.push((
                id,
                format!("employee #{i} {}", e.role.code().unwrap_or_default()),
                e.clone(),
            ));
            e
        })
        .collect();
    assert_eq!(employees.len(), 20);
    let emp_ids: Vec<PersonId> = people.iter().map(|p| p.0).collect();

    // Family members, each in its own transaction; some get their number later.
    let links: [(usize, &str, DependantType); 6] = [
        (0, "配偶者", DependantType::Spouse),
        (0, "長男", DependantType::Under16),
        (1, "夫", DependantType::PensionCategory3),
        (2, "母", DependantType::Dependant),
        (5, "長女", DependantType::Under16),
        (4, "妻", DependantType::Spouse),
    ];
    for (k, (emp, relation, dep)) in links.into_iter().enumerate() {
        let f = &PEOPLE[20 + k];
        let number = individual(200 + k as u64);
        let label = format!("family #{k} of employee #{emp}");
        if k % 2 == 0 {
            let e = family(emp_ids[emp], relation, dep, f, Some(number));
            let id = s
                .add_person(e.new_person())
                .expect("adding a family member");
            people.push((id, label, e));
        } else {
            let e = family(emp_ids[emp], relation, dep, f, None);
            let id = s
                .add_person(e.new_person())
                .expect("adding a family member");
            s.set_number(id, &number)
                .expect("setting a family member's number");
            let mut e = e;
            e.number = Some(number);
            e.collection = CollectionStatus::Collected;
            people.push((id, label, e));
        }
    }

    // Payees: an individual and a corporation.
    for (label, e) in [
        (
            "individual payee",
            payee(
                "P-0001",
                PayeeKind::Individual,
                &PEOPLE[26],
                Some(individual(300)),
            ),
        ),
        (
            "corporate payee",
            payee(
                "P-0002",
                PayeeKind::Corporation,
                &PEOPLE[27],
                Some(corporate(7)),
            ),
        ),
    ] {
        let id = s.add_person(e.new_person()).expect("adding a payee");
        people.push((id, label.into(), e));
    }

    // Updates, so that superseded versions of pages exist in the WAL: a change of name and
    // address (marriage), a new number, records that move the collection status.
    let (id1, _, old1) = people[1].clone();
    let mut new1 = old1.clone();
    new1.details.name = "佐々木　花子".into();
    new1.details.kana = "ササキ　ハナコ".into();
    new1.details.address = Some("大阪府堺市堺区南瓦町三番一号　ｻｻｷ方".into());
    s.write(|w| w.update_person(id1, new1.person()))
        .expect("updating employee #1");
    replaced.push(("employee #1 before the update".to_string(), old1));
    people[1].2 = new1;

    let (id3, _, old3) = people[3].clone();
    let mut new3 = old3.clone();
    new3.number = Some(individual(400));
    s.set_number(id3, new3.number.as_ref().expect("number"))
        .expect("replacing a number");
    replaced.push(("employee #3 before the new number".to_string(), old3));
    people[3].2 = new3;

    let (id0, _, _) = people[0].clone();
    s.write(|w| {
        w.add_record(
            id0,
            &PersonRecord::Purpose(PurposeNotice {
                notified_on: kinko_e2e::date(2024, 4, 1),
                purposes: vec![
                    "源泉徴収票作成事務".into(),
                    "健康保険・厚生年金保険届出事務".into(),
                ],
            }),
        )?;
        w.add_record(
            id0,
            &PersonRecord::Collection(CollectionEvent {
                status: CollectionStatus::Verified,
                on: kinko_e2e::date(2024, 4, 10),
                note: COLLECTION_NOTE.into(),
            }),
        )?;
        Ok(())
    })
    .expect("adding records");
    people[0].2.collection = CollectionStatus::Verified;

    Stored { people, replaced }
}

fn needles_for(stored: &Stored, passwords: &[&str], recovery_code: &str) -> Needles {
    let mut n = Needles::default();
    for (_, label, e) in &stored.people {
        n.person(label, e);
    }
    for (label, e) in &stored.replaced {
        n.person(label, e);
    }
    n.text("collection note", COLLECTION_NOTE);
    n.text("search text", SEARCH_TEXT);
    for (i, p) in passwords.iter().enumerate() {
        n.secret(&format!("password #{i}"), p);
    }
    n.secret("recovery code as printed", recovery_code);
    let bare = recovery_code.replace('-', "");
    n.secret("recovery code without hyphens", &bare);
    n.secret("recovery code in lower case", &bare.to_lowercase());
    n.secret(
        "recovery code with spaces",
        &recovery_code.replace('-', " "),
    );
    n
}

/// Scans the vault directory; panics listing every finding.
fn assert_nothing_readable(
    dir: &Path,
    needles: &Needles,
    moment: &str,
) -> Vec<(std::path::PathBuf, usize)> {
    let (hits, scanned) = scan_dir(dir, &needles.list);
    let total: usize = scanned.iter().map(|(_, n)| n).sum();
    let files: Vec<String> = scanned
        .iter()
        .map(|(p, n)| {
            format!(
                "{} ({n} bytes)",
                p.file_name().map_or("?".into(), |f| f.to_string_lossy())
            )
        })
        .collect();
    eprintln!(
        "{moment}: scanned {total} bytes in {files:?} for {} needles",
        needles.list.len()
    );
    assert!(
        scanned
            .iter()
            .any(|(p, n)| p.file_name().is_some_and(|f| f == DB_FILE) && *n > 0),
        "{moment}: the database file was not scanned: {files:?}"
    );
    if !hits.is_empty() {
        let lines: Vec<String> = hits
            .iter()
            .map(|h| {
                format!(
                    "  {} found in {} at offset {}",
                    h.label,
                    h.file.display(),
                    h.offset
                )
            })
            .collect();
        panic!(
            "{moment}: {} secrets readable in the raw bytes of the vault:\n{}",
            hits.len(),
            lines.join("\n")
        );
    }
    scanned
}

#[test]
fn no_personal_data_or_secret_is_readable_in_the_vault_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let created = create_vault(&dir);
    let recovery_code: String = created.recovery_code.as_str().to_owned();
    let mut vault = created.vault;
    let mut session = login(&vault);
    let stored = fill(&mut session);
    let needles = needles_for(
        &stored,
        &[PASSWORD, NEW_PASSWORD, THIRD_PASSWORD],
        &recovery_code,
    );
    eprintln!(
        "{} needles; not encodable, so not searched: {:?}",
        needles.list.len(),
        needles.skipped
    );

    // Everything reads back as stored (the fixture is what we think it is), and a search runs
    // (the in-memory index must not spill to disk).
    for (id, label, e) in &stored.people {
        e.verify(&mut session, *id, label)
            .unwrap_or_else(|m| panic!("{m}"));
    }
    let hits = session
        .list(&PeopleQuery {
            text: Some(SEARCH_TEXT.into()),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(hits.len(), 3, "kana search for たかはし");
    let hits = session
        .list(&PeopleQuery {
            text: Some(PEOPLE[1].name.into()),
            ..Default::default()
        })
        .expect("search");
    assert!(hits.is_empty(), "employee #1 was renamed");

    // 1. While the session is open: the changes sit in the -wal.
    let scanned = assert_nothing_readable(&dir, &needles, "with the session open");
    let wal = scanned
        .iter()
        .find(|(p, _)| p.to_string_lossy().ends_with("-wal"));
    assert!(
        wal.is_some_and(|(_, n)| *n > 0),
        "expected a non-empty -wal while the session is open: {scanned:?}"
    );

    // 2. A password reset with the recovery code writes a new keyslot.
    drop(session);
    vault
        .reset_password_with_recovery_code(&recovery_code, ADMIN, NEW_PASSWORD.as_bytes())
        .expect("recovery reset");
    assert_nothing_readable(&dir, &needles, "after the recovery reset");

    // 3. After a clean close: everything checkpointed into the database file.
    drop(vault);
    assert_nothing_readable(&dir, &needles, "after a clean close");

    // 4. Reopened and read in full (reads must not write plaintext anywhere either).
    let vault = Vault::open(&dir).expect("reopen");
    let mut session = vault
        .login(ADMIN, NEW_PASSWORD.as_bytes())
        .expect("login with the new password");
    session
        .change_password(NEW_PASSWORD.as_bytes(), THIRD_PASSWORD.as_bytes())
        .expect("replacing the reset password");
    for (id, label, e) in &stored.people {
        e.verify(&mut session, *id, label)
            .unwrap_or_else(|m| panic!("after reopening: {m}"));
    }
    assert_eq!(
        session.list(&PeopleQuery::default()).expect("list").len(),
        stored.people.len()
    );
    assert_nothing_readable(&dir, &needles, "reopened, after reading everything");
    drop(session);
    drop(vault);
    assert_nothing_readable(&dir, &needles, "closed again");
}

// ---------------------------------------------------------------------------------------------
// The scanner itself: it must find what is there, or the test above would pass vacuously.

fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64(seed);
    (0..len).map(|_| rng.next_u64() as u8).collect()
}

#[test]
fn the_scanner_finds_planted_needles_at_their_offsets() {
    let f: &Fixture = &PEOPLE[0];
    let e = employee("E-0012", f, None, Some(individual(100)));
    let mut needles = Needles::default();
    needles.person("planted", &e);
    assert!(
        needles.list.len() > 40,
        "too few encodings: {}",
        needles.list.len()
    );

    // Every needle, planted alone in random bytes (at the start, in the middle, at the very end)
    // is found exactly there, and only it.
    let hay_len = 256 * 1024;
    for (k, needle) in needles.list.iter().enumerate() {
        for at in [0, 100_003, hay_len - needle.bytes.len()] {
            let mut hay = random_bytes(hay_len, k as u64);
            hay[at..at + needle.bytes.len()].copy_from_slice(&needle.bytes);
            let found = find_needles(&hay, &needles.list);
            assert!(
                found.iter().any(|&(i, off)| i == k && off == at),
                "scanner missed {} planted at {at}: found {found:?}",
                needle.label
            );
        }
    }
    // Nothing is found in bytes where nothing was planted.
    assert!(find_needles(&random_bytes(1 << 20, 99), &needles.list).is_empty());

    // The encoders are right: 髙 is 0xFBFC in CP932, 﨑 0xFAB1; 𠮷 has no Shift_JIS code.
    assert_eq!(legacy("髙", encoding_rs::SHIFT_JIS), Some(vec![0xFB, 0xFC]));
    assert_eq!(legacy("﨑", encoding_rs::SHIFT_JIS), Some(vec![0xFA, 0xB1]));
    assert_eq!(legacy("𠮷", encoding_rs::SHIFT_JIS), None);
    assert_eq!(utf16le("髙"), vec![0xD9, 0x9A]);
    assert_eq!(utf16be("髙"), vec![0x9A, 0xD9]);
    assert_eq!(full_width_digits("1234"), "１２３４");
    assert_eq!(grouped("123456789018", &[4, 4, 4], " "), "1234 5678 9018");
    assert_eq!(json_escaped("髙a"), "\\u9ad9a");
}

#[test]
fn the_scanner_finds_plaintext_in_a_real_sqlite_file() {
    // A positive control: a careless store (plain SQLite, WAL, text and integer columns) is
    // caught by the same scan that the vault passes.
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = &PEOPLE[1];
    let number = individual(7);
    let conn = rusqlite::Connection::open(tmp.path().join("careless.sqlite3")).expect("open");
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .expect("wal");
    conn.execute_batch("CREATE TABLE p (name TEXT, kana BLOB, number INTEGER)")
        .expect("create");
    let digits: i64 = number.expose_digits().parse().expect("digits");
    conn.execute(
        "INSERT INTO p VALUES (?1, ?2, ?3)",
        rusqlite::params![
            f.name,
            legacy(f.kana, encoding_rs::SHIFT_JIS).expect("sjis"),
            digits
        ],
    )
    .expect("insert");
    let mut needles = Needles::default();
    needles.person("careless", &employee("E-0001", f, None, Some(number)));
    let (hits, scanned) = scan_dir(tmp.path(), &needles.list);
    drop(conn);
    let labels: Vec<&str> = hits.iter().map(|h| h.label.as_str()).collect();
    for expected in [
        "careless name (UTF-8)",
        "careless kana (Shift_JIS/CP932)",
        "careless number (integer, 6-byte big-endian)",
    ] {
        assert!(
            labels.contains(&expected),
            "scanner missed {expected}; found {labels:?} in {scanned:?}"
        );
    }
    assert!(
        hits.iter()
            .all(|h| h.file.to_string_lossy().ends_with("-wal")),
        "{hits:?}"
    );
}
