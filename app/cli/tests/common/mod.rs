//! What every CLI test needs: the real `kinko` binary run on a fresh vault directory, and the
//! checks on what it printed.
#![allow(dead_code)] // each test binary uses part of this

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The administrator's password in every CLI test vault.
pub const PASSWORD: &str = "correct horse battery";
/// The cheapest key derivation `kinko init` accepts.
pub const KDF: [&str; 6] = [
    "--kdf-memory-mib",
    "19",
    "--kdf-iterations",
    "2",
    "--kdf-parallelism",
    "1",
];

/// A vault directory (`vault` inside `tmp`) that `kinko` is run on.
pub struct Kinko {
    pub tmp: tempfile::TempDir,
    pub vault: PathBuf,
}

impl Kinko {
    /// `kinko init` with the administrator `admin`, the cheapest KDF and `extra` arguments;
    /// the vault and what init printed (checked by the caller).
    pub fn init_with(extra: &[&str]) -> (Kinko, Output) {
        let tmp = tempfile::tempdir().unwrap();
        let vault = tmp.path().join("vault");
        let k = Kinko { tmp, vault };
        let mut args = vec!["init", "--admin", "admin", "--password-stdin"];
        args.extend(KDF);
        args.extend_from_slice(extra);
        let out = k.run(&args, &format!("{PASSWORD}\n"));
        (k, out)
    }

    /// A fresh vault with the administrator `admin`.
    pub fn init() -> Kinko {
        let (k, out) = Kinko::init_with(&[]);
        assert_ok(&out);
        k
    }

    /// A fresh vault and the recovery code `kinko init` showed once.
    pub fn init_with_recovery_code() -> (Kinko, String) {
        let (k, out) = Kinko::init_with(&["--json"]);
        let code = json(&out)["recovery_code"].as_str().unwrap().to_owned();
        (k, code)
    }

    /// A path in the test's temporary directory (beside the vault).
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// `kinko --vault DIR ARGS` with `stdin`.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        run(&self.vault, args, stdin, &[])
    }

    /// [`Kinko::run`] with environment variables.
    pub fn run_env(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
        run(&self.vault, args, stdin, env)
    }

    /// Runs as `user` with `password` as the first line of standard input, then `more`.
    pub fn as_user(&self, user: &str, password: &str, args: &[&str], more: &str) -> Output {
        let mut all = vec!["--user", user, "--password-stdin"];
        all.extend_from_slice(args);
        self.run(&all, &format!("{password}\n{more}"))
    }

    pub fn admin(&self, args: &[&str]) -> Output {
        self.as_user("admin", PASSWORD, args, "")
    }

    /// As the administrator, with `more` after the password on standard input.
    pub fn admin_with(&self, args: &[&str], more: &str) -> Output {
        self.as_user("admin", PASSWORD, args, more)
    }

    /// `kinko --json ARGS` as the administrator, which must succeed.
    pub fn admin_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        json(&self.admin(&all))
    }
}

/// `kinko --vault DIR ARGS` with `stdin` and the given environment; nothing of KINKO_* is
/// inherited from the test's own environment.
pub fn run(vault: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kinko"));
    cmd.arg("--vault")
        .arg(vault)
        .args(args)
        .env_remove("KINKO_VAULT")
        .env_remove("KINKO_USER")
        .env_remove("KINKO_PC_ID")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("kinko starts");
    // A command that fails before reading its input closes the pipe early: that is fine.
    match child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.expect("write stdin"),
    }
    child.wait_with_output().expect("kinko ends")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
pub fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "expected success, got {:?}\nstdout: {}\nstderr: {}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

/// Fails with exactly one line on stderr that contains `needle`.
#[track_caller]
pub fn assert_fails_with(o: &Output, needle: &str) {
    assert!(
        !o.status.success(),
        "expected failure, got success: {}",
        stdout(o)
    );
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "stderr must be one line: {err:?}");
    assert!(
        err.contains(needle),
        "stderr {err:?} does not mention {needle:?}"
    );
}

/// The JSON a successful command printed.
#[track_caller]
pub fn json(o: &Output) -> Value {
    assert_ok(o);
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// `pdftotext -layout` of a PDF file, white space removed (Japanese is not spaced).
pub fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (apt install poppler-utils)");
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
