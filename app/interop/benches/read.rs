//! Reading and writing a firm-sized export: 10,000 employees and 20,000 family members, in
//! CP932 as desktop payroll software writes them.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kinko_domain::number::{MyNumber, my_number_check_digit};
use kinko_interop::kinko_format::{write_employees, write_family};
use kinko_interop::{
    OutEncoding, Preset, Unmappable, decode, employees, family, import_employees, read_table,
};

const EMPLOYEES: usize = 10_000;
const FAMILY: usize = 20_000;

fn number(seed: usize) -> String {
    let body = format!("{:011}", seed * 7_919 + 10_000_000_000);
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    let check = my_number_check_digit(&digits.try_into().expect("11 digits"));
    format!("{body}{check}")
}

fn cp932(text: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
}

/// A 給与奉行-style employee file: 和暦 dates, half-width kana, every number filled in.
fn employee_file() -> Vec<u8> {
    let mut text =
        String::from("社員番号,所属,氏名,フリガナ,生年月日,入社年月日,退職年月日,個人番号\r\n");
    for i in 0..EMPLOYEES {
        let retired = if i % 10 == 0 {
            "令和06年03月31日"
        } else {
            ""
        };
        text.push_str(&format!(
            "{i:06},営業第{}部,髙橋　太郎{i},ﾀｶﾊｼ ﾀﾛｳ,昭和{}年{:02}月{:02}日,平成{}年04月01日,{retired},{}\r\n",
            i % 9 + 1,
            30 + i % 30,
            i % 12 + 1,
            i % 28 + 1,
            1 + i % 30,
            number(i)
        ));
    }
    cp932(&text)
}

/// Two family members per employee.
fn family_file() -> Vec<u8> {
    let mut text = String::from("社員番号,続柄,氏名,フリガナ,生年月日,扶養区分,個人番号\r\n");
    for i in 0..FAMILY {
        let (relation, dependant) = if i % 2 == 0 {
            ("妻", "源泉控除対象配偶者")
        } else {
            ("長男", "16歳未満")
        };
        text.push_str(&format!(
            "{:06},{relation},髙橋　花子{i},ﾀｶﾊｼ ﾊﾅｺ,R{}.{}.{},{dependant},{}\r\n",
            i / 2,
            2 + i % 5,
            i % 12 + 1,
            i % 28 + 1,
            number(EMPLOYEES + i)
        ));
    }
    cp932(&text)
}

fn bench(c: &mut Criterion) {
    let employee_bytes = employee_file();
    let family_bytes = family_file();
    let employee_rows = import_employees(&employee_bytes, &Preset::Bugyo.employees())
        .expect("bench file reads")
        .1;
    assert!(employee_rows.is_clean() && employee_rows.rows.len() == EMPLOYEES);
    let employee_rows: Vec<_> = employee_rows.rows.into_iter().map(|(_, r)| r).collect();
    let family_mapping = Preset::Bugyo.family();
    let family_rows: Vec<_> = {
        let decoded = decode(&family_bytes).expect("decodes");
        let table = read_table(decoded.text()).expect("reads");
        let parsed = family(&table, &family_mapping).expect("maps");
        assert!(parsed.is_clean() && parsed.rows.len() == FAMILY);
        parsed.rows.into_iter().map(|(_, r)| r).collect()
    };
    let _ = MyNumber::parse(&number(0)).expect("bench numbers are valid");

    let mut group = c.benchmark_group("cp932");
    group.throughput(Throughput::Bytes(employee_bytes.len() as u64));
    group.bench_function("read 10,000 employees", |b| {
        let mapping = Preset::Bugyo.employees();
        b.iter(|| {
            let decoded = decode(black_box(&employee_bytes)).unwrap();
            let table = read_table(decoded.text()).unwrap();
            black_box(employees(&table, &mapping).unwrap())
        });
    });
    group.throughput(Throughput::Bytes(family_bytes.len() as u64));
    group.bench_function("read 20,000 family rows", |b| {
        b.iter(|| {
            let decoded = decode(black_box(&family_bytes)).unwrap();
            let table = read_table(decoded.text()).unwrap();
            black_box(family(&table, &family_mapping).unwrap())
        });
    });
    group.throughput(Throughput::Elements(EMPLOYEES as u64));
    group.bench_function("write 10,000 employees", |b| {
        b.iter(|| {
            write_employees(
                black_box(&employee_rows),
                OutEncoding::Cp932,
                Unmappable::Fail,
            )
            .unwrap()
        });
    });
    group.throughput(Throughput::Elements(FAMILY as u64));
    group.bench_function("write 20,000 family rows", |b| {
        b.iter(|| {
            write_family(
                black_box(&family_rows),
                OutEncoding::Cp932,
                Unmappable::Fail,
            )
            .unwrap()
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
