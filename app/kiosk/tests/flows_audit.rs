//! The audit log screen driven like an auditor would: the entries the flows made (newest
//! first, in Japanese), a filter by user, verification in plain words (also against a seal),
//! the sessions report, and then a copy of the vault tampered with behind the engine's back,
//! which verification reports.
//!
//! The testing backend can be set up once per process, so this file holds one `#[test]`.

mod common;

use std::path::Path;

use common::*;
use kinko_kiosk::app::App;
use kinko_kiosk::{AuditApi, Screen, demo};
use kinko_vault::AuditQuery;
use slint::{ComponentHandle, Model};

#[test]
fn audit_log_list_filter_verify_seal_sessions_and_tampering() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let k = demo_kiosk(5);
    let app = &k.app;
    // Something to find in the log: the administrator looks at the people list.
    log_in(app, demo::ADMIN, demo::PASSWORD);
    press(app, "従業員等");
    k.clock.advance(std::time::Duration::from_secs(180));
    press(app, "ログアウト");

    log_in(app, demo::AUDITOR, demo::PASSWORD);
    press(app, "操作ログ");
    assert_eq!(screen(app), Screen::Audit);
    let g = audit(app);
    assert!(g.get_allowed(), "{}", g.get_denied());
    let all = g.get_count();
    let rows = g.get_entries();
    assert_eq!(rows.row_count() as i32, all);
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq.parse().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert!(
        rows.iter()
            .any(|r| r.action == "従業員等の一覧・検索" && r.user == demo::ADMIN),
        "the administrator's listing, in Japanese"
    );
    assert!(
        rows.iter()
            .any(|r| r.action == "ログイン" && r.user == demo::AUDITOR)
    );
    // As many as the engine holds (the engine's own count, read through the session).
    let held = app.with_session(|s| s.unwrap().audit_list(&AuditQuery::default()).unwrap().len());
    assert!(held as i32 >= all);

    // Filter by user: only the administrator's entries, fewer than all.
    let choices: Vec<String> = g.get_user_choices().iter().map(|c| c.to_string()).collect();
    let kanri = choices.iter().position(|c| c == demo::ADMIN).unwrap();
    g.set_user_index(kanri as i32);
    press(app, "絞り込む");
    let narrowed = g.get_count();
    assert!(0 < narrowed && narrowed < all, "{narrowed} of {all}");
    assert!(g.get_entries().iter().all(|r| r.user == demo::ADMIN));
    // A date that does not exist is explained; the list stays as it was.
    type_into(app, "開始日", "2026-02-30");
    press(app, "絞り込む");
    assert_ne!(g.get_from_error(), "");
    assert_eq!(g.get_count(), narrowed);
    type_into(app, "開始日", "");
    // Refused entries only.
    g.set_user_index(0);
    g.set_result_index(2);
    press(app, "絞り込む");
    assert!(g.get_entries().iter().all(|r| r.result == "拒否"));
    g.set_result_index(0);

    // Verification in plain words.
    press(app, "改ざんを検査");
    assert!(g.get_verify_ok());
    let said = g.get_verify_text().to_string();
    assert!(
        said.starts_with("改ざんは見つかりませんでした（") && said.ends_with("件を確認）"),
        "{said}"
    );
    assert!(shows_text(app, "改ざんは見つかりませんでした"));

    // The seal, then verification against it.
    press(app, "封印コードを発行");
    let seal = g.get_seal_code().to_string();
    assert!(
        kinko_vault::Seal::parse(&seal).is_ok(),
        "a seal code: {seal}"
    );
    type_into(app, "照合する封印コード", "not a seal");
    press(app, "改ざんを検査");
    assert!(g.get_seal_error().contains("封印コードの形式"));
    type_into(app, "照合する封印コード", &seal);
    press(app, "改ざんを検査");
    assert!(g.get_verify_ok());
    assert!(
        g.get_verify_text().contains(&seal),
        "{}",
        g.get_verify_text()
    );

    // The sessions report: who, which PC, how long, how it ended.
    press(app, "セッション一覧");
    let sessions: Vec<_> = g.get_sessions().iter().collect();
    let admin_session = sessions
        .iter()
        .find(|s| s.user == demo::ADMIN && s.ended == "ログアウト" && s.length == "3分0秒")
        .expect("the administrator's 3-minute session");
    assert_eq!(admin_session.pc, demo::PC_NAME);
    assert_eq!(admin_session.department, "—");
    let mine = &sessions[0];
    assert_eq!(
        (mine.user.as_str(), mine.ended.as_str()),
        (demo::AUDITOR, "利用中")
    );
    assert_eq!(mine.department, "総務部");

    // Locking forgets what was shown; unlocking asks the engine again.
    press(app, "ロック");
    assert_eq!(screen(app), Screen::Locked);
    assert_eq!(g.get_entries().row_count(), 0);
    assert_eq!(g.get_sessions().row_count(), 0);
    assert_eq!(g.get_seal_code(), "");
    type_into(app, "パスワード", demo::PASSWORD);
    press(app, "ロック解除");
    assert_eq!(screen(app), Screen::Audit);
    assert!(g.get_entries().row_count() > 0);
    press(app, "ログアウト");

    // A copy of the closed vault, one entry edited behind the engine's back.
    let dir = k.dir.clone();
    let clock = k.clock.clone();
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("vault");
    // Closing the kiosk closes the vault; its directory stays until `k` goes.
    drop(k.app);
    copy_dir(&dir, &copy);
    let tampered = 5;
    let db = rusqlite::Connection::open(copy.join(kinko_vault::DB_FILE)).unwrap();
    let changed = db
        .execute(
            "UPDATE audit_log SET detail = detail || 'x' WHERE seq = ?1",
            [tampered],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);

    let app = &App::new(config(copy, clock)).unwrap();
    log_in(app, demo::AUDITOR, demo::PASSWORD);
    press(app, "操作ログ");
    press(app, "改ざんを検査");
    let g = audit(app);
    assert!(!g.get_verify_ok());
    assert_eq!(
        g.get_verify_text(),
        format!(
            "改ざんが見つかりました: 操作履歴 #{tampered} が改ざんされています（内容・順序の変更または差し替え）"
        )
    );
}

fn audit(app: &App) -> AuditApi<'_> {
    app.ui().global::<AuditApi>()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
