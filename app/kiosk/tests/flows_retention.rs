//! Retention and deletion through the kiosk (PRODUCT.md F10, F11), driven like a user: the due
//! list and its batch deletion, deleting one person's number from the person screen, and
//! delete everything with its typed confirmation. What the engine stored, registered and
//! destroyed is checked on the vault itself.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use i_slint_backend_testing::init_integration_test_with_mock_time;
use kinko_kiosk::{DeleteApi, PersonApi, RetentionApi, Screen, demo};
use kinko_vault::{DB_FILE, DeletionKind, PeopleQuery};
use slint::{ComponentHandle, Model};

#[test]
fn due_list_batch_and_single_deletion_then_delete_everything() {
    init_integration_test_with_mock_time();
    due_list_and_batch_deletion_then_a_number_deleted_from_the_person_screen();
    delete_everything_needs_the_phrase_and_leaves_a_signed_statement();
    a_clerk_may_not_delete();
}

fn retention(app: &kinko_kiosk::app::App) -> RetentionApi<'_> {
    app.ui().global::<RetentionApi>()
}

/// Years on: every retiree of the demo firm is past their retention.
fn years_later(k: &DemoKiosk) {
    k.clock
        .set_wall(Utc.with_ymd_and_hms(2045, 1, 20, 1, 0, 0).unwrap());
}

fn register(k: &DemoKiosk) -> Vec<kinko_vault::Deletion> {
    k.admin().deletions().unwrap()
}

fn due_list_and_batch_deletion_then_a_number_deleted_from_the_person_screen() {
    let k = demo_kiosk(60);
    years_later(&k);
    let app = &k.app;
    log_in(app, demo::ADMIN, demo::PASSWORD);
    press(app, "保管・削除");
    assert_eq!(screen(app), Screen::Retention);
    let due = retention(app).get_due().row_count();
    assert!(due > 0, "retirees are due in 2045");
    assert!(retention(app).get_rules().contains("7年"));

    // No reason: explained at the field, nothing deleted.
    press(app, "期限の来た人を削除");
    assert!(retention(app).get_batch_error().contains("理由"));
    assert!(register(&k).is_empty(), "nothing deleted yet");

    type_into(app, "一括削除の理由", "保存期間満了による年度末の廃棄");
    press(app, "期限の来た人を削除");
    assert_eq!(retention(app).get_batch_error(), "");
    assert!(retention(app).get_batch_done().contains("削除し"));
    assert_eq!(retention(app).get_due().row_count(), 0, "none due any more");
    let rows = register(&k);
    assert!(rows.iter().any(|r| r.kind == DeletionKind::Batch));
    assert!(retention(app).get_register().row_count() >= rows.len().min(1));

    // One person's number, from their screen.
    let id = {
        let list = k.admin().list(&PeopleQuery::default()).unwrap();
        list.iter()
            .find(|p| p.has_number)
            .expect("someone with a number")
            .id
    };
    app.ui()
        .global::<PersonApi>()
        .invoke_open(i32::try_from(id.0).unwrap());
    assert_eq!(screen(app), Screen::Person);
    press(app, "削除…");
    assert!(app.ui().global::<DeleteApi>().get_visible());
    press(app, "個人番号のみ削除");
    press(app, "削除する");
    assert!(
        app.ui()
            .global::<DeleteApi>()
            .get_reason_error()
            .contains("理由")
    );
    type_into(app, "削除の理由", "本人からの申出により削除");
    press(app, "削除する");
    assert_eq!(
        screen(app),
        Screen::Person,
        "the person stays, without a number"
    );
    assert!(!app.ui().global::<DeleteApi>().get_visible());
    assert!(!app.ui().global::<PersonApi>().get_has_number());
    let rows = register(&k);
    assert!(
        rows.iter()
            .any(|r| r.kind == DeletionKind::Number && r.person == Some(id))
    );
}

fn delete_everything_needs_the_phrase_and_leaves_a_signed_statement() {
    let k = demo_kiosk(20);
    let app = &k.app;
    log_in(app, demo::MANAGER, demo::PASSWORD);
    press(app, "保管・削除");
    assert!(retention(app).get_may_wipe());

    type_into(app, "全削除の理由", "事業廃止に伴う特定個人情報の廃棄");
    type_into(app, "確認のため「全削除」と入力", "ぜんさくじょ");
    press(app, "全削除を実行");
    assert!(
        retention(app)
            .get_destroy_confirm_error()
            .contains("全削除")
    );
    assert_eq!(screen(app), Screen::Retention, "still logged in");
    assert!(k.dir.join(DB_FILE).exists(), "nothing touched");

    type_into(app, "確認のため「全削除」と入力", "全削除");
    press(app, "全削除を実行");
    assert_eq!(screen(app), Screen::Destroyed);
    assert!(!k.dir.exists(), "the vault's folder is gone");
    let parent = k.dir.parent().unwrap();
    let statement = std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("a statement beside the vault");
    let text = std::fs::read_to_string(&statement).unwrap();
    let verified = kinko_wipe::Statement::from_json(&text)
        .unwrap()
        .verify()
        .expect("signed");
    assert_eq!(verified.body.operator, demo::MANAGER);
    assert!(verified.body.held.employees >= 20);
    assert!(
        statement.with_extension("pdf").exists(),
        "the PDF beside it"
    );
    let lines: Vec<_> = retention(app).get_destroyed_lines().iter().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&verified.body.statement_id))
    );
    assert!(
        retention(app)
            .get_destroyed_where()
            .contains(statement.to_str().unwrap())
    );

    press(app, "終了して初期設定へ");
    assert_eq!(screen(app), Screen::Setup);
}

fn a_clerk_may_not_delete() {
    let k = demo_kiosk(20);
    years_later(&k);
    let app = &k.app;
    log_in(app, demo::CLERK, demo::PASSWORD);
    press(app, "保管・削除");
    assert_eq!(screen(app), Screen::Retention);
    assert!(!retention(app).get_may_delete());
    assert!(!retention(app).get_may_wipe());
    assert!(
        elements(app, "期限の来た人を削除").is_empty(),
        "no batch button"
    );
    assert!(elements(app, "全削除を実行").is_empty(), "no 全削除");
    // Forced anyway: the engine refuses in Japanese.
    retention(app).set_destroy_confirm("全削除".into());
    retention(app).set_destroy_reason("試し".into());
    retention(app).invoke_destroy();
    assert!(
        retention(app)
            .get_destroy_error()
            .contains("権限がありません")
    );
    assert!(k.dir.join(DB_FILE).exists());
}
