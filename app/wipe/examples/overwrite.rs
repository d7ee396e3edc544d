//! One keystream pass over FILE (a regular file or a block device), no verification: the
//! figure bench/compare.sh sets beside dd and nwipe.
//!
//! usage: overwrite FILE [THREADS] [CHUNK_MIB]
//! prints: bytes seconds MB/s direct_io

use std::path::PathBuf;
use std::process::ExitCode;

use kinko_wipe::{RunOptions, single_pass_benchmark};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first().map(PathBuf::from) else {
        eprintln!("usage: overwrite FILE [THREADS] [CHUNK_MIB]");
        return ExitCode::from(2);
    };
    let mut options = RunOptions::default();
    if let Some(threads) = args.get(1).and_then(|t| t.parse().ok()) {
        options.threads = threads;
    }
    if let Some(mib) = args.get(2).and_then(|m| m.parse::<usize>().ok()) {
        options.chunk_size = mib << 20;
    }
    match single_pass_benchmark(&path, &options) {
        Ok(pass) => {
            let secs = pass.duration_ms as f64 / 1000.0;
            let mbps = pass.bytes as f64 / 1e6 / secs.max(1e-9);
            println!("{} {secs:.3} {mbps:.1}", pass.bytes);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("overwrite: {e}");
            ExitCode::FAILURE
        }
    }
}
