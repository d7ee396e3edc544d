//! Rendering speed of the forms (issue 5 targets on 2 cores: the checklist of 10,000 people in
//! ≤ 5 s, 1,000 single-person forms in ≤ 10 s) and the size of a one-page form (≤ 100 KB,
//! printed once per run).

use criterion::{Criterion, criterion_group, criterion_main};
use kinko_forms::{collection, samples};

fn checklist(c: &mut Criterion) {
    let issue = samples::issue();
    let people = samples::checklist_people(10_000);
    let mut group = c.benchmark_group("checklist");
    group.sample_size(10);
    group.bench_function("10000_people", |b| {
        b.iter(|| collection::checklist(&issue, &people, false).expect("rendered"))
    });
    group.finish();
}

fn single_person_forms(c: &mut Criterion) {
    let issue = samples::issue();
    let households = samples::households(1_000);
    let one = collection::notice(&issue, &households[..1]).expect("rendered");
    eprintln!(
        "one-page notice: {} bytes, {} page(s)",
        one.bytes.len(),
        one.pages
    );
    let one = collection::application(&issue, &households[..1], &[]).expect("rendered");
    eprintln!(
        "one-household application: {} bytes, {} page(s)",
        one.bytes.len(),
        one.pages
    );
    let mut group = c.benchmark_group("single_person_forms");
    group.sample_size(10);
    group.bench_function("1000_notices_as_1000_pdfs", |b| {
        b.iter(|| {
            for h in households.chunks(1) {
                collection::notice(&issue, h).expect("rendered");
            }
        })
    });
    group.bench_function("1000_applications_in_one_pdf", |b| {
        b.iter(|| collection::application(&issue, &households, &[]).expect("rendered"))
    });
    group.finish();
}

criterion_group!(benches, checklist, single_person_forms);
criterion_main!(benches);
