//! Printing through CUPS: the PDF is piped to `lp` on its standard input (never a temporary
//! file of ours). The server is the local one, or the one `CUPS_SERVER` names (a socket path in
//! tests). In the appliance CUPS listens on its local socket only (issue 7).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::error::FormError;

/// The most copies one print may ask for.
pub const MAX_COPIES: u32 = 20;

/// What to print where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    /// The queue; `None` for the server's default printer.
    pub printer: Option<String>,
    pub copies: u32,
    /// The job's title as the queue shows it (the form's name; never a person's name).
    pub title: String,
}

/// A printer the server offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printer {
    pub name: String,
    pub is_default: bool,
}

/// Whether `name` is a CUPS queue name: 1–127 printable characters, none of space, `/`, `#`,
/// `\`, quotes, and not starting with `-` (so it can never be read as an option).
pub fn valid_printer_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 127
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '/' | '#' | '\\' | '\'' | '"'))
}

/// Sends `pdf` to CUPS and returns the job ID CUPS gave it (`queue-42`).
pub fn submit(pdf: &[u8], job: &PrintJob) -> Result<String, FormError> {
    if !(1..=MAX_COPIES).contains(&job.copies) {
        return Err(FormError::Copies { max: MAX_COPIES });
    }
    let mut cmd = Command::new("lp");
    cmd.env("LC_ALL", "C")
        .arg("-n")
        .arg(job.copies.to_string())
        .arg("-t")
        .arg(job_title(&job.title))
        .args(["-o", "media=A4", "-o", "fit-to-page"]);
    if let Some(printer) = &job.printer {
        if !valid_printer_name(printer) {
            return Err(FormError::PrinterName);
        }
        cmd.arg("-d").arg(printer);
    }
    let out = run_with_input(cmd, "lp", pdf)?;
    // "request id is laser-42 (1 file(s))"
    out.split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .map(str::to_string)
        .ok_or_else(|| FormError::Tool {
            program: "lp",
            message: "no job ID in its answer".into(),
        })
}

/// The printers the server offers, with the default marked.
pub fn printers() -> Result<Vec<Printer>, FormError> {
    let mut cmd = Command::new("lpstat");
    cmd.env("LC_ALL", "C").args(["-e"]);
    let names = run_with_input(cmd, "lpstat", &[])?;
    let mut cmd = Command::new("lpstat");
    cmd.env("LC_ALL", "C").arg("-d");
    // "system default destination: laser" or "no system default destination"
    let default = run_with_input(cmd, "lpstat", &[])
        .ok()
        .and_then(|s| s.split_once(": ").map(|(_, d)| d.trim().to_string()));
    Ok(names
        .lines()
        .map(str::trim)
        .filter(|n| valid_printer_name(n))
        .map(|n| Printer {
            name: n.to_string(),
            is_default: default.as_deref() == Some(n),
        })
        .collect())
}

/// Keeps a job title to plain printable text (it shows in queue listings).
fn job_title(title: &str) -> String {
    let t: String = title.chars().filter(|c| !c.is_control()).take(60).collect();
    if t.is_empty() { "Kinko".into() } else { t }
}

/// Runs `cmd` with `input` on its standard input; returns its standard output, or its standard
/// error (first line) as the failure.
pub(crate) fn run_with_input(
    mut cmd: Command,
    program: &'static str,
    input: &[u8],
) -> Result<String, FormError> {
    let out = pipe(&mut cmd, program, input)?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(FormError::Tool {
            program,
            message: err
                .lines()
                .next()
                .unwrap_or("exit status not zero")
                .trim()
                .to_string(),
        })
    }
}

/// Spawns `cmd`, writes `input` to it from a second thread (so a full output pipe cannot
/// deadlock us), and collects its output.
pub(crate) fn pipe(
    cmd: &mut Command,
    program: &'static str,
    input: &[u8],
) -> Result<std::process::Output, FormError> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| FormError::Spawn {
            program,
            reason: e.kind().to_string(),
        })?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    std::thread::scope(|s| {
        let writer = s.spawn(move || {
            // A program that stops reading early reports its own error below.
            let _ = stdin.write_all(input);
        });
        let out = child.wait_with_output();
        let _ = writer.join();
        out.map_err(|e| FormError::Spawn {
            program,
            reason: e.kind().to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_names_that_could_be_options_or_paths_are_refused() {
        assert!(valid_printer_name("Brother_HL-L2375DW"));
        assert!(valid_printer_name("kinko-test"));
        for bad in ["", "-dother", "a b", "a/b", "a#b", "ａ", &"x".repeat(128)] {
            assert!(!valid_printer_name(bad), "{bad}");
        }
    }

    #[test]
    fn copies_out_of_range_are_refused_before_anything_runs() {
        let job = PrintJob {
            printer: None,
            copies: 0,
            title: "t".into(),
        };
        assert_eq!(
            submit(b"%PDF", &job),
            Err(FormError::Copies { max: MAX_COPIES })
        );
        let job = PrintJob { copies: 21, ..job };
        assert_eq!(
            submit(b"%PDF", &job),
            Err(FormError::Copies { max: MAX_COPIES })
        );
    }
}
