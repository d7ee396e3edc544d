//! Importing from CP932 CSV files against the target of issue 4 (PRODUCT.md F7): 10,000
//! employees and 20,000 family members, preview and commit, encryption included: ≤ 5 s on a
//! 2-core PC.
//!
//! The one-off figures (each preview and commit of the full files, and the re-import previews)
//! are printed as `kinko-bench:` lines; the preview of the employee file against a full vault
//! is a criterion benchmark with a small sample. `cargo test --benches` runs everything once
//! on 200 employees.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use kinko_interop::{OutEncoding, Preset, Unmappable, write_csv};
use kinko_vault::demo::sample_my_number;

use common::*;

const DEPARTMENTS: [&str; 5] = ["総務部", "営業部", "製造部", "経理部", "開発部"];

fn number(i: u64) -> String {
    sample_my_number(i).expose_digits().to_owned()
}

/// The employee file: codes with leading zeros, half-width kana, 和暦 dates.
fn employees_file(employees: u64) -> Vec<u8> {
    let rows: Vec<Vec<String>> = (0..employees)
        .map(|i| {
            vec![
                format!("{:06}", i + 1),
                format!("髙橋 太郎{i}"),
                "ﾀｶﾊｼ ﾀﾛｳ".into(),
                "S62.4.1".into(),
                DEPARTMENTS[(i % 5) as usize].into(),
                "令和5年4月1日".into(),
                String::new(),
                number(i),
            ]
        })
        .collect();
    let header = [
        "社員番号",
        "氏名",
        "フリガナ",
        "生年月日",
        "所属",
        "入社日",
        "退職日",
        "個人番号",
    ];
    write_csv(&header, &rows, OutEncoding::Cp932, Unmappable::Fail).expect("writable")
}

/// Two family members per employee.
fn family_file(employees: u64) -> Vec<u8> {
    let rows: Vec<Vec<String>> = (0..employees * 2)
        .map(|j| {
            let spouse = j % 2 == 0;
            vec![
                format!("{:06}", j / 2 + 1),
                if spouse { "配偶者" } else { "長男" }.into(),
                format!("髙橋 花子{j}"),
                "ﾀｶﾊｼ ﾊﾅｺ".into(),
                "H1.1.8".into(),
                if spouse {
                    "控除対象配偶者"
                } else {
                    "16歳未満"
                }
                .into(),
                number(1_000_000 + j),
            ]
        })
        .collect();
    let header = [
        "社員番号",
        "続柄",
        "氏名",
        "フリガナ",
        "生年月日",
        "扶養区分",
        "個人番号",
    ];
    write_csv(&header, &rows, OutEncoding::Cp932, Unmappable::Fail).expect("writable")
}

fn bench_import(c: &mut Criterion) {
    let employees = if full_run() { 10_000 } else { 200 };
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut s = fresh_vault(tmp.path());
    let (ebytes, fbytes) = (employees_file(employees), family_file(employees));
    let (em, fm) = (Preset::Generic.employees(), Preset::Generic.family());

    let started = Instant::now();
    let p = s.import_preview(&ebytes, &em, "e.csv").expect("preview");
    assert!(p.errors.is_empty());
    let t_preview_e = started.elapsed();
    let r = s
        .import_commit(&ebytes, &em, "e.csv", false)
        .expect("commit");
    assert_eq!(r.added as u64, employees);
    let t_commit_e = started.elapsed();
    let p = s.import_preview(&fbytes, &fm, "f.csv").expect("preview");
    assert!(p.errors.is_empty());
    let t_preview_f = started.elapsed();
    let r = s
        .import_commit(&fbytes, &fm, "f.csv", false)
        .expect("commit");
    assert_eq!(r.added as u64, employees * 2);
    let total = started.elapsed();
    println!(
        "kinko-bench: import {employees} employees + {} family from CP932 ({} + {} KiB): \
         preview {:?} + commit {:?}, family preview {:?} + commit {:?}; total {total:?} (target ≤ 5 s)",
        employees * 2,
        ebytes.len() / 1024,
        fbytes.len() / 1024,
        t_preview_e,
        t_commit_e - t_preview_e,
        t_preview_f - t_commit_e,
        total - t_preview_f,
    );

    let started = Instant::now();
    let r = s
        .import_commit(&ebytes, &em, "e.csv", false)
        .expect("commit");
    let r2 = s
        .import_commit(&fbytes, &fm, "f.csv", false)
        .expect("commit");
    assert_eq!((r.added, r.updated, r2.added, r2.updated), (0, 0, 0, 0));
    println!(
        "kinko-bench: re-import of both files (nothing to change): {:?}",
        started.elapsed()
    );

    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(5));
    group.bench_function(format!("preview_{employees}_employees_full_vault"), |b| {
        b.iter(|| black_box(s.import_preview(&ebytes, &em, "e.csv").expect("preview")))
    });
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_import(&mut c);
    c.final_summary();
}
