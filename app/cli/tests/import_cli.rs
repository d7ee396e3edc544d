//! `kinko import`'s contract, driven as a user or script would, and what a kill during a commit
//! leaves behind.

mod common;

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kinko_interop::{OutEncoding, Unmappable};
use kinko_vault::demo::sample_my_number;

use common::*;

impl Kinko {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kinko"));
        c.arg("--vault")
            .arg(&self.vault)
            .args(["--user", "admin", "--password-stdin"])
            .args(args)
            .env_remove("KINKO_VAULT")
            .env_remove("KINKO_USER")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }
    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    }

    /// How many people `kinko --json person list` shows.
    fn people(&self) -> usize {
        let out = self.admin(&["--json", "person", "list"]);
        assert_ok(&out);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array().unwrap().len()
    }
}

fn feed(child: &mut Child, stdin: &str) {
    match child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.unwrap(),
    }
}

const HEADER: &[&str] = &[
    "社員番号",
    "氏名",
    "フリガナ",
    "生年月日",
    "部署",
    "個人番号",
];

fn cp932(rows: &[Vec<String>]) -> Vec<u8> {
    kinko_interop::write_csv(HEADER, rows, OutEncoding::Cp932, Unmappable::Fail).unwrap()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn n(i: u64) -> String {
    sample_my_number(i).expose_digits().to_owned()
}

fn small_file() -> Vec<u8> {
    cp932(&[
        row(&["0001", "山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "S37.3.18", "営業部", &n(1)]),
        row(&["0002", "佐藤 花子", "ｻﾄｳ ﾊﾅｺ", "H2.5.5", "総務部", &n(2)]),
        row(&["0003", "田中 次郎", "", "", "", ""]),
        row(&["0004", "鈴木 一郎", "ｽｽﾞｷ ｲﾁﾛｳ", "令和元年4月30日", "", ""]),
    ])
}

#[test]
fn the_preview_is_printed_and_the_commit_needs_a_clean_file_or_skip_bad() {
    let k = Kinko::init();
    let file = k.file("社員一覧_山田.csv", &small_file());

    // --dry-run: the preview only, exit 0, nothing imported.
    let out = k.admin(&["import", &file, "--dry-run"]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(
        text.contains("4行: 追加 2件、更新 0件、変更なし 0件、問題のある行 2件"),
        "{text}"
    );
    assert!(text.contains("新しく作る部署: 営業部、総務部"), "{text}");
    assert!(text.contains("追加: 行 2・社員番号 0001"), "{text}");
    assert!(
        text.contains("行 4・列「フリガナ」: 新しく登録する人にはフリガナが必要です"),
        "{text}"
    );
    assert!(text.contains("行 5・列「生年月日」: "), "{text}");
    assert!(text.contains("--dry-run"), "{text}");
    assert_eq!(k.people(), 0);

    // Errors without --skip-bad: refused with one line on stderr.
    let out = k.admin(&["import", &file]);
    assert_fails_with(&out, "--skip-bad");
    assert!(stdout(&out).contains("行 4・列「フリガナ」"));
    assert_eq!(k.people(), 0);

    // --json preview.
    let out = k.admin(&["--json", "import", &file, "--dry-run"]);
    assert_ok(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["bad_rows"], 2);
    assert_eq!(v["added"][1]["code"], "0002");
    assert_eq!(v["errors"][0]["line"], 4);
    assert_eq!(v["errors"][0]["column"], "フリガナ");
    assert_eq!(v["committed"], false);
    assert_eq!(v["encoding"], "Shift_JIS（CP932）");

    // --skip-bad imports the good rows.
    let out = k.admin(&["import", &file, "--skip-bad"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains(
            "取り込みました: 追加 2件、更新 0件、変更なし 0件、飛ばした行 2件、作成した部署 2件"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(k.people(), 2);

    // Again: all unchanged, and a clean file commits without flags.
    let clean = k.file(
        "clean.csv",
        &cp932(&[
            row(&["0001", "山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "S37.3.18", "営業部", &n(1)]),
            row(&["0002", "佐藤 花子", "ｻﾄｳ ﾊﾅｺ", "H2.5.5", "開発部", &n(2)]),
        ]),
    );
    let out = k.admin(&["--json", "import", &clean]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ok(&out);
    assert_eq!(v["committed"], true);
    assert_eq!(v["unchanged"][0]["line"], 2);
    assert_eq!(v["updated"][0]["changes"][0], "部署");
    assert_eq!(v["report"]["updated"], 1);
    assert_eq!(k.people(), 2);

    // Family file.
    let fam = kinko_interop::write_csv(
        &["社員番号", "続柄", "氏名", "フリガナ"],
        &[row(&["0001", "妻", "山田 花子", "ﾔﾏﾀﾞ ﾊﾅｺ"])],
        OutEncoding::Utf8Bom,
        Unmappable::Fail,
    )
    .unwrap();
    let fam = k.file("fam.csv", &fam);
    let out = k.admin(&["import", &fam, "--family", "--preset", "freee"]);
    assert_ok(&out);
    assert_eq!(k.people(), 3);

    // Unknown preset and missing file: one line each.
    assert_fails_with(&k.admin(&["import", &file, "--preset", "nope"]), "nope");
    assert_fails_with(&k.admin(&["import", "/nonexistent/x.csv"]), "読めません");

    // The log never names the file.
    let out = k.admin(&["--json", "audit", "list", "--action", "import"]);
    assert_ok(&out);
    let log = stdout(&out);
    assert!(log.contains("import.commit"), "{log}");
    assert!(!log.contains("山田") && !log.contains("社員一覧"), "{log}");
}

/// A small deterministic generator for kill moments.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn a_kill_during_a_commit_leaves_none_or_all_of_the_file() {
    const PEOPLE: usize = 3000;
    let k = Kinko::init();
    let rows: Vec<Vec<String>> = (0..PEOPLE as u64)
        .map(|i| {
            row(&[
                &format!("{:05}", i + 1),
                &format!("試験 {i}"),
                "ｼｹﾝ ﾀﾛｳ",
                "H1.1.8",
                ["営業部", "総務部", "製造部"][(i % 3) as usize],
                &n(10_000 + i),
            ])
        })
        .collect();
    let file = k.file("big.csv", &cp932(&rows));

    // How long a whole import takes here, to aim the kills inside it.
    let probe = Kinko::init();
    let probe_file = probe.file("big.csv", &cp932(&rows));
    let started = Instant::now();
    assert_ok(&probe.admin(&["import", &probe_file]));
    let full = started.elapsed().as_millis().max(50) as u64;
    assert_eq!(probe.people(), PEOPLE);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    let mut dice = Dice(seed);
    let mut killed = 0;
    for _ in 0..6 {
        // Mostly inside the commit, which takes the larger, later part of the run.
        let wait = Duration::from_millis(full / 3 + dice.below(full * 6 / 10));
        let mut child = k.command(&["import", &file]).spawn().unwrap();
        feed(&mut child, &format!("{PASSWORD}\n"));
        std::thread::sleep(wait);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        let _ = child.wait_with_output().unwrap();
        assert_ok(&k.run(&["check"], ""));
        let people = k.people();
        assert!(
            people == 0 || people == PEOPLE,
            "seed {seed}: after a kill at {wait:?} the vault holds {people} people"
        );
        if people == PEOPLE {
            break;
        }
    }
    // A killed run that got as far as logging its preview died in (or just before) its commit.
    let out = k.admin(&["--json", "audit", "list", "--action", "import.preview"]);
    assert_ok(&out);
    let previews = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
    eprintln!(
        "full import {full} ms; {killed} kills, {} of them after the preview (seed {seed})",
        previews.as_array().map_or(0, Vec::len)
    );
    // Whatever happened, finishing the import gives everyone exactly once.
    assert_ok(&k.admin(&["import", &file]));
    assert_eq!(k.people(), PEOPLE);
}
