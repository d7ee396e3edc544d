//! The contract of `kinko wipe`: probe, run (only with --yes, through the engine: permission,
//! log, signed certificate), verify-cert and key, on a regular file standing in for a medium.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const PASSWORD: &str = "correct horse battery";

struct Kinko {
    tmp: tempfile::TempDir,
    vault: PathBuf,
}

impl Kinko {
    fn init() -> Kinko {
        let tmp = tempfile::tempdir().unwrap();
        let vault = tmp.path().join("vault");
        let k = Kinko { tmp, vault };
        let args = [
            "init",
            "--admin",
            "admin",
            "--password-stdin",
            "--kdf-memory-mib",
            "19",
            "--kdf-iterations",
            "2",
            "--kdf-parallelism",
            "1",
        ];
        assert_ok(&k.run(&args, &format!("{PASSWORD}\n")));
        k
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        common::run(&self.vault, args, stdin, &[])
    }

    fn admin(&self, args: &[&str]) -> Output {
        let mut all = vec!["--user", "admin", "--password-stdin"];
        all.extend_from_slice(args);
        self.run(&all, &format!("{PASSWORD}\n"))
    }

    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// A stand-in medium of `size` bytes filled with a recognisable pattern.
    fn medium(&self, size: usize) -> PathBuf {
        let path = self.path("medium.img");
        let data: Vec<u8> = b"KINKO-OLD-DATA-"
            .iter()
            .copied()
            .cycle()
            .take(size)
            .collect();
        std::fs::write(&path, data).unwrap();
        path
    }

    fn audit(&self, action: &str) -> Vec<Value> {
        let out = self.admin(&["--json", "audit", "list", "--action", action]);
        assert_ok(&out);
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }
}

fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_file_is_wiped_only_with_yes_and_the_certificate_verifies() {
    let k = Kinko::init();
    let medium = k.medium(8 << 20);
    let cert = k.path("cert.json");

    let probe = k.run(&["--json", "wipe", "probe", s(&medium)], "");
    assert_ok(&probe);
    let probe: Value = serde_json::from_slice(&probe.stdout).unwrap();
    assert_eq!(probe["probe"]["capacity_bytes"], 8 << 20);

    // Without --yes nothing is touched and nobody is asked for a password.
    let refused = k.run(&["wipe", "run", s(&medium), "--cert", s(&cert)], "");
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
    assert!(
        std::fs::read(&medium)
            .unwrap()
            .starts_with(b"KINKO-OLD-DATA-")
    );
    assert!(!cert.exists());

    assert_ok(&k.admin(&[
        "wipe",
        "run",
        s(&medium),
        "--method",
        "overwrite",
        "--cert",
        s(&cert),
        "--yes",
    ]));
    let wiped = std::fs::read(&medium).unwrap();
    assert_eq!(wiped.len(), 8 << 20);
    assert!(
        !wiped.windows(15).any(|w| w == b"KINKO-OLD-DATA-"),
        "old data left"
    );

    let verified = k.run(&["--json", "wipe", "verify-cert", s(&cert)], "");
    assert_ok(&verified);
    let verified: Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["outcome"], "erased");
    assert_eq!(verified["level"], "Clear", "an overwrite is never Purge");
    let key = k.admin(&["--json", "wipe", "key"]);
    assert_ok(&key);
    let key: Value = serde_json::from_slice(&key.stdout).unwrap();
    assert_eq!(
        key["fingerprint"], verified["fingerprint"],
        "signed with this vault's key"
    );

    // The printed copy, from the verified certificate.
    let pdf = k.path("cert.pdf");
    assert_ok(&k.run(&["wipe", "verify-cert", s(&cert), "--pdf", s(&pdf)], ""));
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text: String = String::from_utf8(text.stdout)
        .unwrap()
        .split_whitespace()
        .collect();
    for needle in [
        "データ消去証明書",
        "消去済み（全領域を検証）",
        "Clear（消去）",
        "不一致0バイト",
    ] {
        assert!(text.contains(needle), "{needle} missing in {text}");
    }
    assert!(text.contains(verified["fingerprint"].as_str().unwrap()));

    // The log has the start and the outcome, with no typed text.
    assert_eq!(k.audit("wipe.start").len(), 1);
    let done = k.audit("wipe.run");
    assert_eq!(done.len(), 1);
    assert!(
        done[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("outcome=erased level=clear"),
        "{done:?}"
    );

    // A certificate edited after signing is refused.
    let text = std::fs::read_to_string(&cert).unwrap();
    let forged = text.replacen("\"Clear\"", "\"Purge\"", 1);
    assert_ne!(forged, text);
    std::fs::write(&cert, forged).unwrap();
    let out = k.run(&["wipe", "verify-cert", s(&cert)], "");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("署名"), "{}", stderr(&out));
}

#[test]
fn the_certificate_may_not_be_written_onto_the_medium_being_wiped() {
    let k = Kinko::init();
    let medium = k.medium(1 << 20);
    let out = k.admin(&["wipe", "run", s(&medium), "--cert", s(&medium), "--yes"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("別の場所"), "{}", stderr(&out));
    assert!(
        std::fs::read(&medium)
            .unwrap()
            .starts_with(b"KINKO-OLD-DATA-")
    );
}

#[test]
fn wiping_needs_the_wipe_permission_and_a_refusal_is_logged() {
    let k = Kinko::init();
    let initial = "Anfangs-Passwort-2026";
    let chosen = "Gewaehltes-Passwort-2026";
    let add = k.run(
        &[
            "--user",
            "admin",
            "--password-stdin",
            "user",
            "add",
            "tanto",
            "--role",
            "clerk",
        ],
        &format!("{PASSWORD}\n{initial}\n"),
    );
    assert_ok(&add);
    assert_ok(&k.run(
        &["--user", "tanto", "--password-stdin", "passwd"],
        &format!("{initial}\n{chosen}\n"),
    ));
    let medium = k.medium(1 << 20);
    let cert = k.path("cert.json");
    let out = k.run(
        &[
            "--user",
            "tanto",
            "--password-stdin",
            "wipe",
            "run",
            s(&medium),
            "--cert",
            s(&cert),
            "--yes",
        ],
        &format!("{chosen}\n"),
    );
    assert!(!out.status.success());
    assert!(
        std::fs::read(&medium)
            .unwrap()
            .starts_with(b"KINKO-OLD-DATA-")
    );
    let denied = k.audit("wipe.run");
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0]["result"], "denied");
    assert!(k.audit("wipe.start").is_empty());
}

#[test]
fn delete_everything_needs_yes_and_the_phrase_then_leaves_only_the_signed_statement() {
    let k = Kinko::init();
    let key = k.admin(&["--json", "wipe", "key"]);
    assert_ok(&key);
    let fingerprint = serde_json::from_slice::<Value>(&key.stdout).unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let statement = k.path("zensakujo.json");
    let pdf = k.path("zensakujo.pdf");
    let args = |confirm: &'static str, yes: bool| {
        let mut a = vec![
            "delete-everything",
            "--reason",
            "事業廃止のため",
            "--confirm",
            confirm,
            "--statement",
            s(&statement),
            "--pdf",
            s(&pdf),
        ];
        if yes {
            a.push("--yes");
        }
        a.iter().map(|x| x.to_string()).collect::<Vec<_>>()
    };

    // Without --yes, or with a wrong phrase, nothing happens.
    let no = k.admin(&strs(&args("全削除", false)));
    assert!(
        !no.status.success() && stderr(&no).contains("--yes"),
        "{}",
        stderr(&no)
    );
    let wrong = k.admin(&strs(&args("ぜんさくじょ", true)));
    assert!(
        !wrong.status.success() && stderr(&wrong).contains("全削除"),
        "{}",
        stderr(&wrong)
    );
    assert!(k.vault.join("kinko.sqlite3").exists() && !statement.exists());

    let done = k.admin(&strs(&args("全削除", true)));
    assert_ok(&done);
    assert!(!k.vault.exists(), "the vault's folder is gone");
    let checked = k.run(&["--json", "wipe", "verify-cert", s(&statement)], "");
    assert_ok(&checked);
    let checked: Value = serde_json::from_slice(&checked.stdout).unwrap();
    assert_eq!(checked["valid"], true);
    assert_eq!(checked["outcome"], "erased");
    assert_eq!(checked["fingerprint"], fingerprint.as_str());
    let text = common::pdf_text(&pdf);
    assert!(text.contains("全削除記録"), "{text}");
    assert!(text.contains("事業廃止のため"), "{text}");

    // A changed statement no longer verifies.
    let forged = std::fs::read_to_string(&statement)
        .unwrap()
        .replace("事業廃止のため", "別の理由");
    std::fs::write(&statement, forged).unwrap();
    let bad = k.run(&["wipe", "verify-cert", s(&statement)], "");
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("全削除記録の署名を確認できません"),
        "{}",
        stderr(&bad)
    );
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
