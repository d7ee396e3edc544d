//! Crash safety: a child process adding employees (one transaction each) is killed with SIGKILL
//! at random moments, again and again on the same vault. After every kill the vault must open
//! (its integrity check runs in `Vault::open`), and hold exactly the employees whose `added`
//! line the child printed, or those plus the one whose transaction was in flight — never fewer,
//! never any other. Every stored employee must be listed with the right details and exactly one
//! spouse (each transaction adds both), and a sample of the new ones each round (always the
//! first, the last and the in-flight one) must read back in full, numbers included: every read
//! is an audited commit, so reading all 18,000 in full each round would take minutes.
//!
//! The delays come from a seeded PRNG; set `KINKO_CRASH_SEED` to replay a failing run.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use kinko_domain::people::PersonKind;
use kinko_e2e::{
    PASSWORD, SplitMix64, create_vault, generated_code, generated_employee, generated_spouse,
    open_and_login, parse_generated_code,
};
use kinko_vault::{PeopleQuery, Session};

const ROUNDS: usize = 60;
const SIGKILL: i32 = 9;

/// What one child printed before it died.
struct ChildRun {
    ready: bool,
    added: Vec<u64>,
}

/// Runs the child from index `start`, kills it after `delay`, and returns what it printed.
fn run_and_kill(dir: &Path, start: u64, delay: Duration, round: usize) -> ChildRun {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crash_child"))
        .arg(dir)
        .arg(start.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning crash_child");
    let mut stdin = child.stdin.take().expect("child stdin");
    // The child may already be dead if the delay is tiny; a broken pipe is fine then.
    let _ = stdin.write_all(format!("{PASSWORD}\n").as_bytes());
    drop(stdin);
    let stdout = child.stdout.take().expect("child stdout");
    let reader = thread::spawn(move || {
        let mut lines = Vec::new();
        let mut r = BufReader::new(stdout);
        loop {
            let mut line = String::new();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                // Only a complete line is a confirmation; a torn one is ignored.
                Ok(_) if line.ends_with('\n') => lines.push(line.trim_end().to_owned()),
                Ok(_) => break,
            }
        }
        lines
    });
    thread::sleep(delay);
    child.kill().expect("sending SIGKILL to crash_child");
    let status = child.wait().expect("waiting for crash_child");
    let lines = reader.join().expect("stdout reader thread");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    assert_eq!(
        status.signal(),
        Some(SIGKILL),
        "round {round}: crash_child ended by itself ({status}) before it was killed; stderr:\n{stderr}"
    );

    let mut run = ChildRun {
        ready: false,
        added: Vec::new(),
    };
    for line in lines {
        if line == "ready" {
            run.ready = true;
        } else if let Some(code) = line.strip_prefix("added ") {
            let i = parse_generated_code(code).unwrap_or_else(|| {
                panic!("round {round}: crash_child printed a bad code line {line:?}")
            });
            let expected = start + run.added.len() as u64;
            assert_eq!(
                i, expected,
                "round {round}: crash_child confirmed out of order"
            );
            run.added.push(i);
        } else {
            panic!("round {round}: unexpected line from crash_child: {line:?}");
        }
    }
    assert!(
        run.ready || run.added.is_empty(),
        "round {round}: adds confirmed before login"
    );
    run
}

/// The stored employees' indexes, checking that each one's list entry (code, name, kana, number
/// registered) is right and that there is one family member per employee.
fn stored_indexes(session: &mut Session, round: usize) -> BTreeSet<u64> {
    let employees = session
        .list(&PeopleQuery {
            kind: Some(PersonKind::Employee),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("round {round}: listing employees failed: {e:?}"));
    let mut out = BTreeSet::new();
    for e in &employees {
        let code = e
            .code
            .as_deref()
            .unwrap_or_else(|| panic!("round {round}: employee {:?} without code", e.id));
        let i = parse_generated_code(code).unwrap_or_else(|| {
            panic!("round {round}: an employee with an unexpected code {code:?}")
        });
        assert!(out.insert(i), "round {round}: code {code} stored twice");
        let expected = generated_employee(i);
        assert!(
            e.name == expected.details.name && e.kana == expected.details.kana && e.has_number,
            "round {round}: employee {code} is listed with other details: {e:?}"
        );
    }
    let family = session
        .count(PersonKind::Family)
        .unwrap_or_else(|e| panic!("round {round}: counting family failed: {e:?}"));
    assert_eq!(
        family,
        employees.len(),
        "round {round}: {} employees but {family} family members: a transaction was torn",
        employees.len()
    );
    out
}

/// Reads employee `i` and their spouse back in full.
fn verify_employee(session: &mut Session, i: u64, round: usize) {
    let code = generated_code(i);
    let label = format!("round {round}: employee {code}");
    let id = session
        .find_by_code(PersonKind::Employee, &code)
        .unwrap_or_else(|e| panic!("{label}: find_by_code failed: {e:?}"))
        .unwrap_or_else(|| panic!("{label}: listed but not found by code"));
    generated_employee(i)
        .verify(session, id, &label)
        .unwrap_or_else(|m| panic!("{m}"));
    let family = session
        .family_of(id)
        .unwrap_or_else(|e| panic!("{label}: family_of failed: {e:?}"));
    assert_eq!(
        family.len(),
        1,
        "{label}: expected exactly one spouse, found {}",
        family.len()
    );
    let spouse = generated_spouse(id, i);
    spouse
        .check_view(&format!("{label}'s spouse"), &family[0])
        .unwrap_or_else(|m| panic!("{m}"));
    let number = session
        .reveal_number(family[0].id)
        .unwrap_or_else(|e| panic!("{label}'s spouse: reveal_number failed: {e:?}"));
    spouse
        .check_number(&format!("{label}'s spouse"), number.as_ref())
        .unwrap_or_else(|m| panic!("{m}"));
}

/// The first and last of `items` and up to `n` more picked at random.
fn sample(items: &[u64], n: usize, rng: &mut SplitMix64) -> BTreeSet<u64> {
    let mut out: BTreeSet<u64> = items
        .first()
        .into_iter()
        .chain(items.last())
        .copied()
        .collect();
    if items.len() > 2 {
        for _ in 0..n {
            out.insert(items[rng.range(0, items.len() as u64) as usize]);
        }
    }
    out
}

#[test]
fn sigkill_at_random_moments_never_loses_or_invents_a_commit() {
    let seed = std::env::var("KINKO_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x4B49_4E4B_4F00_0001_u64);
    let mut rng = SplitMix64(seed);
    let mut pick = SplitMix64(seed ^ 0x5A5A_5A5A);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    drop(create_vault(&dir));

    let started = Instant::now();
    let mut stored: BTreeSet<u64> = BTreeSet::new();
    let mut next = 1u64;
    let (mut before_ready, mut with_adds, mut in_flight_committed) = (0, 0, 0);
    for round in 0..ROUNDS {
        // One kill in five aims at start-up and login, the rest at the add loop.
        let delay = if rng.range(0, 5) == 0 {
            rng.range(0, 60)
        } else {
            rng.range(60, 400)
        };
        let run = run_and_kill(&dir, next, Duration::from_millis(delay), round);
        if !run.ready {
            before_ready += 1;
        }
        if !run.added.is_empty() {
            with_adds += 1;
        }

        let (vault, mut session) = open_and_login(&dir);
        let now = stored_indexes(&mut session, round);
        let mut confirmed = stored.clone();
        confirmed.extend(&run.added);
        let in_flight = next + run.added.len() as u64;
        let mut with_in_flight = confirmed.clone();
        with_in_flight.insert(in_flight);
        if now == with_in_flight {
            in_flight_committed += 1;
        } else {
            assert_eq!(
                now,
                confirmed,
                "round {round} (seed {seed:#x}, kill after {delay} ms): stored employees differ from \
                 the confirmed ones (in flight: {in_flight}); missing: {:?}, extra: {:?}",
                confirmed.difference(&now).collect::<Vec<_>>(),
                now.difference(&confirmed).collect::<Vec<_>>()
            );
        }
        // Every read is an audited commit, so read back in full a sample of the new ones: the
        // first, the last (the in-flight one, if it was committed) and a few at random.
        let new: Vec<u64> = now.difference(&stored).copied().collect();
        for i in sample(&new, 8, &mut pick) {
            verify_employee(&mut session, i, round);
        }
        stored = now;
        next = stored.last().map_or(1, |m| m + 1);
        drop(session);
        drop(vault);
    }

    // Everything ever committed is still listed right at the end, and a sample reads in full.
    let (_vault, mut session) = open_and_login(&dir);
    let all = stored_indexes(&mut session, ROUNDS);
    assert_eq!(all, stored);
    let all: Vec<u64> = all.into_iter().collect();
    for i in sample(&all, 100, &mut pick) {
        verify_employee(&mut session, i, ROUNDS);
    }
    eprintln!(
        "crash test (seed {seed:#x}): {ROUNDS} kills in {:.1?}; {} employees stored; {before_ready} kills \
         before login finished, {with_adds} after at least one add, {in_flight_committed} with the \
         in-flight transaction committed",
        started.elapsed(),
        stored.len()
    );
    assert!(
        before_ready > 0,
        "no kill landed before the login finished: tune the delays"
    );
    assert!(
        with_adds >= ROUNDS / 2,
        "only {with_adds} kills landed in the add loop: tune the delays"
    );
}
