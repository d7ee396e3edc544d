//! The import wizard and the export dialog (screen 7), driven through their widgets: a real
//! CP932 file on the medium is previewed (every bad row with its line and reason), refused as
//! a whole, then imported without its bad rows with the progress shown; a user without the
//! import permission is refused in Japanese; an export needs its purpose, writes real CP932
//! bytes and is registered and logged. Every check reads what the engine stored or logged.
//!
//! The testing backend can be set up once per process, so this file holds one `#[test]`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use i_slint_backend_testing::mock_elapsed_time;
use kinko_domain::people::PersonKind;
use kinko_kiosk::{ImportStep, Screen, TransferApi, demo};
use kinko_vault::{AuditQuery, Outcome, Session};
use slint::{ComponentHandle, Model};

#[test]
fn import_wizard_and_export_dialog() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let k = MediaKiosk::new();
    import_cp932_file_with_bad_rows(&k);
    import_refused_without_the_permission(&k);
    export_needs_a_purpose_and_writes_cp932(&k);
    log_out_while_importing(&k);
}

/// A demo kiosk whose medium holds the demo's sample CSV file.
type MediaKiosk = DemoKiosk;

impl MediaKiosk {
    fn new() -> MediaKiosk {
        let k = demo_kiosk(20);
        demo::write_sample_media(&k.media).unwrap();
        k
    }

    fn api(&self) -> TransferApi<'_> {
        self.app.ui().global::<TransferApi>()
    }
}

/// Lets the commit's worker thread run and the window's timer see it end.
fn wait_for_commit(k: &MediaKiosk) {
    let start = Instant::now();
    while k.api().get_step() == ImportStep::Running {
        assert!(start.elapsed() < Duration::from_secs(60), "the commit ends");
        std::thread::sleep(Duration::from_millis(20));
        mock_elapsed_time(Duration::from_millis(60));
    }
}

fn audit(s: &mut Session, action: &str) -> Vec<kinko_vault::AuditEntry> {
    s.audit_list(&AuditQuery {
        action: Some(action.into()),
        ..AuditQuery::default()
    })
    .unwrap()
}

fn user_id(s: &mut Session, login: &str) -> i64 {
    s.users()
        .unwrap()
        .into_iter()
        .find(|u| u.login == login)
        .map(|u| u.id.0)
        .unwrap()
}

fn import_cp932_file_with_bad_rows(k: &MediaKiosk) {
    let app = &k.app;
    let file = k.media.join(demo::SAMPLE_CSV);
    let bytes = std::fs::read(&file).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    assert_eq!(&bytes[..4], b"\x8e\xd0\x88\xf5", "社員 in CP932");

    log_in(app, demo::CLERK, demo::PASSWORD);
    press(app, "取込・出力");
    assert_eq!(screen(app), Screen::Import);
    let files: Vec<_> = k.api().get_files().iter().collect();
    assert_eq!(files, [demo::SAMPLE_CSV], "the medium's CSV files");
    assert_eq!(k.api().get_file_index(), 0, "the only file is chosen");

    press(app, "内容を確認");
    assert_eq!(
        k.api().get_step(),
        ImportStep::Preview,
        "{}",
        k.api().get_file_error()
    );
    let title = k.api().get_preview_title();
    assert!(title.contains("Shift_JIS（CP932）"), "{title}");
    let counts: Vec<(String, String)> = k
        .api()
        .get_counts()
        .iter()
        .map(|c| (c.label.to_string(), c.value.to_string()))
        .collect();
    assert_eq!(
        counts,
        [
            ("追加", "4"),
            ("更新", "0"),
            ("変更なし", "0"),
            ("問題のある行", "2")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert!(k.api().get_new_departments().contains("企画部"));
    let problems: Vec<_> = k.api().get_problems().iter().collect();
    assert_eq!(problems.len(), 2, "every bad row");
    assert_eq!(problems[0].line, "6");
    assert_eq!(problems[0].column, "個人番号");
    assert!(
        problems[0].reason.contains("検査用数字"),
        "{}",
        problems[0].reason
    );
    assert_eq!(problems[1].line, "7");
    assert_eq!(problems[1].column, "生年月日");
    assert!(
        problems[1].reason.contains("ない日付"),
        "{}",
        problems[1].reason
    );
    assert!(
        shows_text(app, "その月にはない日付です"),
        "the reasons are on screen"
    );

    // With bad rows the engine refuses the whole file unless told to skip them.
    press(app, "取り込む");
    wait_for_commit(k);
    assert_eq!(k.api().get_step(), ImportStep::Preview);
    assert!(
        k.api().get_commit_error().contains("問題のある行が2件"),
        "{}",
        k.api().get_commit_error()
    );
    let mut admin = k.admin();
    assert_eq!(
        admin.find_by_code(PersonKind::Employee, "9001").unwrap(),
        None
    );

    press(app, "問題のある行を飛ばして、残りを取り込む");
    assert!(k.api().get_skip_bad());
    press(app, "取り込む");
    assert_eq!(
        k.api().get_step(),
        ImportStep::Running,
        "the progress is shown"
    );
    element(app, "取込の進み具合");
    wait_for_commit(k);
    assert_eq!(
        k.api().get_step(),
        ImportStep::Done,
        "{}",
        k.api().get_commit_error()
    );
    assert_eq!(k.api().get_progress(), 1.0);
    let done: Vec<(String, String)> = k
        .api()
        .get_counts()
        .iter()
        .map(|c| (c.label.to_string(), c.value.to_string()))
        .collect();
    assert!(done.contains(&("追加".into(), "4".into())), "{done:?}");
    assert!(
        done.contains(&("飛ばした行".into(), "2".into())),
        "{done:?}"
    );

    // The vault has the good rows and not the bad ones; the log has the import.
    for code in ["9001", "9002", "9003", "9004"] {
        assert!(
            admin
                .find_by_code(PersonKind::Employee, code)
                .unwrap()
                .is_some(),
            "{code}"
        );
    }
    for code in ["9005", "9006"] {
        assert_eq!(
            admin.find_by_code(PersonKind::Employee, code).unwrap(),
            None,
            "{code}"
        );
    }
    let commits = audit(&mut admin, "import.commit");
    assert!(
        commits
            .iter()
            .any(|e| e.outcome == Outcome::Ok && e.detail.contains("skipped=2")),
        "{commits:?}"
    );
    let clerk = user_id(&mut admin, demo::CLERK);
    assert!(
        commits.iter().all(|e| e.actor.user == Some(clerk)),
        "{commits:?}"
    );
    assert!(!audit(&mut admin, "import.preview").is_empty());

    // The session came back from the worker thread: the kiosk goes on working.
    press(app, "従業員一覧へ");
    assert_eq!(screen(app), Screen::People);
    assert!(app.people_len() > 0);
    press(app, "ログアウト");
    assert_eq!(screen(app), Screen::Login);
}

fn import_refused_without_the_permission(k: &MediaKiosk) {
    let app = &k.app;
    // The auditor may read the log but not import (no demo clerk lacks the permission).
    log_in(app, demo::AUDITOR, demo::PASSWORD);
    press(app, "取込・出力");
    assert_eq!(screen(app), Screen::Import);
    type_into(app, "ファイルのパス", demo::SAMPLE_CSV);
    press(app, "内容を確認");
    assert_eq!(k.api().get_step(), ImportStep::Choose);
    assert_eq!(k.api().get_file_error(), "この操作の権限がありません");
    let mut admin = k.admin();
    let auditor = user_id(&mut admin, demo::AUDITOR);
    let refused = audit(&mut admin, "import.preview");
    assert!(
        refused
            .iter()
            .any(|e| e.outcome == Outcome::Denied && e.actor.user == Some(auditor)),
        "{refused:?}"
    );
    press(app, "ログアウト");
}

fn export_needs_a_purpose_and_writes_cp932(k: &MediaKiosk) {
    let app = &k.app;
    log_in(app, demo::CLERK, demo::PASSWORD);
    press(app, "取込・出力");
    press(app, "CSVの出力");
    assert_eq!(screen(app), Screen::Export);
    let before = csv_files(&k.media);

    // No purpose: the engine's message at the purpose field, nothing written or registered.
    press(app, "書き出す");
    assert_eq!(
        k.api().get_purpose_error(),
        "持出しの目的を入力してください"
    );
    assert_eq!(csv_files(&k.media), before);
    let mut admin = k.admin();
    assert!(admin.takeouts().unwrap().is_empty());

    type_into(app, "持出しの目的", "2026年分 給与支払報告書の作成");
    type_into(app, "ファイル名", "給与ソフト用");
    press(app, "書き出す");
    assert_eq!(k.api().get_purpose_error(), "");
    assert_eq!(k.api().get_export_error(), "");
    let done: Vec<_> = k.api().get_export_done().iter().collect();
    assert!(done[0].contains("人分を書き出しました"), "{done:?}");
    let employees = k.media.join("給与ソフト用-社員.csv");
    let family = k.media.join("給与ソフト用-家族.csv");
    for path in [&employees, &family] {
        let bytes = std::fs::read(path).unwrap();
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "{}: not UTF-8",
            path.display()
        );
        let decoded = kinko_interop::decode(&bytes).unwrap();
        assert_eq!(decoded.encoding(), kinko_interop::Encoding::Cp932);
    }
    // The numbers are in the file (an export of numbers), the people in scope with them.
    let text = kinko_interop::decode(&std::fs::read(&employees).unwrap()).unwrap();
    assert!(
        text.text().contains("高橋　結衣"),
        "the imported employee is exported"
    );

    let takeouts = admin.takeouts().unwrap();
    assert_eq!(takeouts.len(), 1);
    assert_eq!(takeouts[0].purpose, "2026年分 給与支払報告書の作成");
    assert!(takeouts[0].destination.contains("給与ソフト用-社員.csv"));
    assert_eq!(takeouts[0].user, demo::CLERK);
    let exports = audit(&mut admin, "export");
    assert!(
        exports
            .iter()
            .any(|e| e.outcome == Outcome::Ok && e.detail.contains("encoding=cp932")),
        "{exports:?}"
    );

    // The same name again: refused at the field, nothing overwritten.
    type_into(app, "持出しの目的", "もう一度");
    type_into(app, "ファイル名", "給与ソフト用");
    press(app, "書き出す");
    assert!(k.api().get_file_name_error().contains("すでにあります"));
    assert_eq!(admin.takeouts().unwrap().len(), 1);
}

fn csv_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A log-out while the commit runs is refused (the session is lent to the work, ADR 0014);
/// once the import is done the session is back and log-out works.
fn log_out_while_importing(k: &MediaKiosk) {
    let app = &k.app;
    std::fs::write(
        k.media.join("追加.csv"),
        "社員番号,氏名,フリガナ\n9101,木村　花,キムラ　ハナ\n9102,林　一郎,ハヤシ　イチロウ\n",
    )
    .unwrap();
    press(app, "CSVの取込");
    type_into(app, "ファイルのパス", "追加.csv");
    press(app, "内容を確認");
    assert_eq!(
        k.api().get_step(),
        ImportStep::Preview,
        "{}",
        k.api().get_file_error()
    );
    press(app, "取り込む");
    assert_eq!(k.api().get_step(), ImportStep::Running);
    kiosk(app).invoke_logout();
    assert_eq!(
        screen(app),
        Screen::Import,
        "no log-out while the session is lent"
    );
    assert!(kiosk(app).get_banner().contains("ログアウト"));

    let start = Instant::now();
    while k.api().get_step() == ImportStep::Running {
        assert!(start.elapsed() < Duration::from_secs(60), "the import ends");
        std::thread::sleep(Duration::from_millis(20));
        mock_elapsed_time(Duration::from_millis(60));
    }
    assert_eq!(k.api().get_step(), ImportStep::Done);
    let mut admin = k.admin();
    assert!(
        admin
            .find_by_code(PersonKind::Employee, "9102")
            .unwrap()
            .is_some()
    );
    press(app, "ログアウト");
    assert_eq!(screen(app), Screen::Login);
    let ended = admin
        .audit_sessions()
        .unwrap()
        .iter()
        .filter(|s| s.login == demo::CLERK)
        .all(|s| s.end_reason.as_deref() == Some("logout"));
    assert!(ended, "the clerk's sessions ended by log-out");

    // The next user finds a kiosk that works.
    log_in(app, demo::CLERK, demo::PASSWORD);
    assert_eq!(screen(app), Screen::Home);
    press(app, "取込・出力");
    assert_eq!(k.api().get_step(), ImportStep::Choose);
}
