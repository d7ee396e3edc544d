//! What every CLI test needs: running the real `kinko` binary on a vault directory.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

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

/// `pdftotext -layout` of a PDF file, white space removed (Japanese is not spaced).
#[allow(dead_code)] // not every test binary reads PDFs
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
