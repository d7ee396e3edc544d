//! Throughput of the keystream generator and of a one-pass overwrite of a temporary file.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kinko_wipe::{Keystream, Pattern, RunOptions, Seed, single_pass_benchmark};

const FILE_SIZE: u64 = 256 << 20;
const CHUNK: usize = 4 << 20;

fn keystream(c: &mut Criterion) {
    let ks = Keystream::new(Seed::from_bytes([5; 32]));
    let mut buf = vec![0u8; CHUNK];
    let mut group = c.benchmark_group("keystream");
    group.throughput(Throughput::Bytes(CHUNK as u64));
    group.bench_function("fill_4MiB", |b| {
        b.iter(|| ks.fill(Pattern::Keystream, 1 << 30, &mut buf))
    });
    group.bench_function("fill_complement_4MiB", |b| {
        b.iter(|| ks.fill(Pattern::Complement, 1 << 30, &mut buf))
    });
    group.finish();
}

fn overwrite(c: &mut Criterion) {
    // /var/tmp: a disk-backed filesystem, so O_DIRECT is exercised
    let file = tempfile::NamedTempFile::new_in("/var/tmp").expect("temp file");
    file.as_file().set_len(FILE_SIZE).expect("size");
    let mut group = c.benchmark_group("overwrite");
    group.throughput(Throughput::Bytes(FILE_SIZE));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for threads in [1usize, 2, 4] {
        let options = RunOptions {
            threads,
            seed: Some(Seed::from_bytes([1; 32])),
            ..Default::default()
        };
        group.bench_function(format!("one_pass_{threads}_threads"), |b| {
            b.iter(|| single_pass_benchmark(file.path(), &options).expect("overwrite"))
        });
    }
    group.finish();
}

criterion_group!(benches, keystream, overwrite);
criterion_main!(benches);
