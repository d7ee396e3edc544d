//! The victim of `tests/crash.rs`: opens the vault in `argv[1]`, logs the administrator in with
//! the password read from the first line of stdin, then adds employees `C{start:05}`,
//! `C{start+1:05}`, … (each with a number and a spouse with a number, one transaction per
//! employee) until it is killed, printing `added <code>` and flushing stdout after each
//! transaction has committed.
//!
//! Usage: `crash_child <vault dir> <start index>`

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use kinko_e2e::{ADMIN, generated_employee, generated_spouse};
use kinko_vault::Vault;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(start)) = (args.get(1), args.get(2).and_then(|s| s.parse::<u64>().ok()))
    else {
        eprintln!("usage: crash_child <vault dir> <start index>");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let mut password = String::new();
    if let Err(e) = std::io::stdin().lock().read_line(&mut password) {
        eprintln!("crash_child: reading the password: {e}");
        return ExitCode::from(2);
    }
    let password = password.trim_end_matches(['\r', '\n']);

    let vault = match Vault::open(&dir) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("crash_child: Vault::open: {e:?}");
            return ExitCode::from(3);
        }
    };
    let mut session = match vault.login(ADMIN, password.as_bytes()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("crash_child: login: {e:?}");
            return ExitCode::from(3);
        }
    };
    println!("ready");
    let mut out = std::io::stdout().lock();
    if out.flush().is_err() {
        return ExitCode::from(4);
    }
    // Bounded so that a parent that forgets to kill us does not fill the disk.
    for i in start..start + 100_000 {
        let employee = generated_employee(i);
        let added = session.write(|w| {
            let id = w.add_person(employee.new_person())?;
            w.add_person(generated_spouse(id, i).new_person())?;
            Ok(())
        });
        if let Err(e) = added {
            eprintln!("crash_child: adding index {i}: {e:?}");
            return ExitCode::from(5);
        }
        if writeln!(out, "added {}", kinko_e2e::generated_code(i))
            .and_then(|()| out.flush())
            .is_err()
        {
            return ExitCode::from(4);
        }
    }
    ExitCode::SUCCESS
}
