//! Exporting 10,000 employees and 20,000 family members with their numbers (issue 4), in
//! UTF-8 with BOM and in CP932. `cargo bench -p kinko-vault --bench export`.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kinko_interop::{OutEncoding, Unmappable};
use kinko_vault::{ExportFormat, ExportKind, ExportRequest};

use common::*;

fn bench_export(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = fresh_vault(tmp.path());
    firm(&mut s, 10_000);
    let mut g = c.benchmark_group("export 10,000 employees + 20,000 family");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for (name, encoding) in [
        ("UTF-8 with BOM", OutEncoding::Utf8Bom),
        ("CP932", OutEncoding::Cp932),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let export = s
                    .export(&ExportRequest {
                        purpose: "年末調整".into(),
                        destination: "bench".into(),
                        format: ExportFormat::Kinko,
                        encoding,
                        on_unmappable: Unmappable::Fail,
                        kinds: vec![ExportKind::Employees, ExportKind::Family],
                    })
                    .expect("export");
                black_box(export.people)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_export);
criterion_main!(benches);
