//! The print screen (screen 10), driven through its widgets: a preview of a form for chosen
//! people shows the engine's pages one image at a time; a checklist saved as a PDF on the
//! medium is real (`pdftotext` reads it) with every number masked, and in full only when asked
//! by a user allowed to; with no printer the screen says so and nothing is printed; with a
//! private cupsd (kinko-e2e's harness) the chosen queue receives the masked form with its
//! copies. Every preview, save and print is in the engine's log.
//!
//! The testing backend can be set up once per process, so this file holds one `#[test]`.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use i_slint_backend_testing::mock_elapsed_time;
use kinko_kiosk::{PrintApi, Screen, demo};
use kinko_vault::{AuditQuery, FormKind, Outcome, PeopleQuery, Session};
use slint::{ComponentHandle, Model};

#[test]
fn preview_save_and_no_printer() {
    // No print server at all: the screen must say there is no printer.
    // SAFETY: set before any thread of this test process starts.
    unsafe { std::env::set_var("CUPS_SERVER", "/nonexistent/kinko-test/cups.sock") };
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let k = PrintKiosk::new();
    log_in(&k.app, demo::CLERK, demo::PASSWORD);
    press(&k.app, "帳票");
    assert_eq!(screen(&k.app), Screen::Print);
    preview_of_chosen_people_page_by_page(&k);
    checklist_saved_masked_then_revealed(&k);
    no_printer_is_said_and_nothing_printed(&k);
    printed_on_a_real_queue(&k);
}

type PrintKiosk = DemoKiosk;

impl PrintKiosk {
    fn new() -> PrintKiosk {
        demo_kiosk(20)
    }

    fn api(&self) -> PrintApi<'_> {
        self.app.ui().global::<PrintApi>()
    }

    /// Picks a form as the form list does (the std ComboBox has no accessible way to choose).
    fn choose_form(&self, form: FormKind) {
        let index = FormKind::ALL.iter().position(|f| *f == form).unwrap();
        let names: Vec<_> = self.api().get_forms().iter().collect();
        assert_eq!(names[index], form.ja());
        self.api().set_form_index(index as i32);
        self.api().invoke_form_chosen();
    }
}

fn logged(s: &mut Session, action: &str) -> Vec<kinko_vault::AuditEntry> {
    s.audit_list(&AuditQuery {
        action: Some(action.into()),
        ..AuditQuery::default()
    })
    .unwrap()
}

fn preview_of_chosen_people_page_by_page(k: &PrintKiosk) {
    let app = &k.app;
    k.choose_form(FormKind::Application);
    assert!(k.api().get_about_people());
    // Nobody ticked: the engine's message at the people list.
    k.api().set_target_index(1);
    press(app, "プレビュー");
    assert_eq!(k.api().get_people_error(), "印刷する人を選んでください");
    assert_eq!(k.api().get_page_count(), 0);

    // Typing searches once the user pauses.
    type_into(app, "印刷する人を検索", "0001");
    mock_elapsed_time(std::time::Duration::from_millis(300));
    let found: Vec<_> = k
        .api()
        .get_people()
        .iter()
        .map(|p| p.code.to_string())
        .collect();
    assert_eq!(found, ["0001"]);
    type_into(app, "印刷する人を検索", "");
    mock_elapsed_time(std::time::Duration::from_millis(300));

    // Two employees ticked: one application form each.
    let listed: Vec<_> = k.api().get_people().iter().collect();
    assert!(
        listed.len() >= 20,
        "employees and payees, no family: {}",
        listed.len()
    );
    k.api().invoke_toggle(0);
    k.api().invoke_toggle(1);
    assert!(k.api().get_people().row_data(0).unwrap().chosen);
    assert!(k.api().get_people_note().contains("2人を選択中"));
    press(app, "プレビュー");
    assert_eq!(k.api().get_error(), "");
    let pages = k.api().get_page_count();
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(k.api().get_page_number(), 1);
    let first = k.api().get_page().to_rgb8().unwrap();
    assert!(
        first.width() > 500 && first.height() > first.width(),
        "an A4 page"
    );
    press(app, "次のページ");
    assert_eq!(k.api().get_page_number(), 2);
    let second = k.api().get_page().to_rgb8().unwrap();
    assert_ne!(first.as_bytes(), second.as_bytes(), "another page");
    press(app, "前のページ");
    assert_eq!(k.api().get_page_number(), 1);

    let mut admin = k.admin();
    let previews = logged(&mut admin, "form.preview");
    assert!(
        previews
            .iter()
            .any(|e| e.outcome == Outcome::Ok && e.detail.contains("form=application")),
        "{previews:?}"
    );
}

fn checklist_saved_masked_then_revealed(k: &PrintKiosk) {
    let app = &k.app;
    k.choose_form(FormKind::Checklist);
    k.api().set_target_index(0);
    assert!(k.api().get_reveal_allowed(), "a clerk may reveal");
    type_into(app, "PDFのファイル名", "チェックリスト");
    press(app, "保存");
    assert_eq!(k.api().get_file_error(), "");
    assert!(
        k.api().get_done().contains("チェックリスト.pdf"),
        "{}",
        k.api().get_done()
    );
    let masked = pdf_text(&k.media.join("チェックリスト.pdf"));
    assert!(masked.contains("マイナンバーチェックリスト"), "{masked}");

    let numbers = all_numbers(&mut k.admin());
    assert!(numbers.len() > 10);
    let flat: String = masked.split_whitespace().collect();
    assert!(numbers.iter().all(|n| !flat.contains(n.as_str())), "masked");
    assert!(
        numbers
            .iter()
            .any(|n| flat.contains(&format!("********{}", &n[8..]))),
        "the last four digits show"
    );

    // In full only when asked (and allowed): then the numbers are there.
    press(app, "個人番号を伏せずに印字する");
    assert!(k.api().get_reveal());
    type_into(app, "PDFのファイル名", "チェックリスト（番号あり）");
    press(app, "保存");
    let revealed = pdf_text(&k.media.join("チェックリスト（番号あり）.pdf"));
    let flat: String = revealed.split_whitespace().collect();
    assert!(
        numbers.iter().any(|n| flat.contains(n.as_str())),
        "revealed"
    );

    let mut admin = k.admin();
    let saves = logged(&mut admin, "form.save");
    assert_eq!(saves.len(), 2, "{saves:?}");
    assert!(saves[0].detail.contains("numbers=masked"), "{saves:?}");
    assert!(saves[1].detail.contains("numbers=revealed"), "{saves:?}");
    let reveals = logged(&mut admin, "number.reveal");
    assert_eq!(
        reveals
            .iter()
            .filter(|e| e.detail.contains("form=checklist"))
            .count(),
        1,
        "{reveals:?}"
    );

    // The same name again is refused at the field; the file stays as it was.
    type_into(app, "PDFのファイル名", "チェックリスト");
    press(app, "保存");
    assert!(k.api().get_file_error().contains("すでにあります"));
    assert_eq!(pdf_text(&k.media.join("チェックリスト.pdf")), masked);
}

fn no_printer_is_said_and_nothing_printed(k: &PrintKiosk) {
    let app = &k.app;
    assert_eq!(k.api().get_printers().row_count(), 0);
    assert!(shows_text(app, "使えるプリンターがありません"));
    // The 印刷 button is disabled; a request anyway is answered with the same message.
    k.api().invoke_print();
    assert!(k.api().get_error().contains("使えるプリンターがありません"));
    assert!(logged(&mut k.admin(), "form.print").is_empty());
}

fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{}: a PDF", path.display());
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Every My Number in the vault, in full (through the engine, as the administrator).
fn all_numbers(s: &mut Session) -> Vec<String> {
    let people = s.list(&PeopleQuery::default()).unwrap();
    people
        .iter()
        .filter(|p| p.has_number)
        .filter_map(|p| s.reveal_number(p.id).unwrap())
        .filter(|n| matches!(n, kinko_vault::PersonNumber::Individual(_)))
        .map(|n| n.expose_digits().to_owned())
        .collect()
}

/// A private cupsd with one held queue: the job that arrives is the masked checklist, with
/// the copies asked for, and the print is in the log.
fn printed_on_a_real_queue(k: &PrintKiosk) {
    let app = &k.app;
    let cups = kinko_e2e::cups::CupsServer::start();
    // SAFETY: this test runs no other thread now (the pdftoppm and lp pipes are scoped).
    unsafe { std::env::set_var("CUPS_SERVER", cups.socket()) };
    press(app, "帳票");
    let printers: Vec<_> = k.api().get_printers().iter().collect();
    assert_eq!(printers, [cups.queue.as_str()]);
    assert!(!shows_text(app, "使えるプリンターがありません"));
    k.choose_form(FormKind::Checklist);
    k.api().set_copies(2);
    press(app, "印刷");
    assert_eq!(k.api().get_error(), "", "{}", cups.log());
    assert!(
        k.api().get_done().contains("印刷しました"),
        "{}",
        k.api().get_done()
    );

    let jobs = cups.job_documents();
    assert_eq!(jobs.len(), 1);
    assert!(jobs[0].starts_with(b"%PDF-"));
    assert_eq!(cups.job_copies(), [Some(2)]);
    let path = k.media.join(".printed.pdf");
    std::fs::write(&path, &jobs[0]).unwrap();
    let flat: String = pdf_text(&path).split_whitespace().collect();
    std::fs::remove_file(&path).unwrap();
    let numbers = all_numbers(&mut k.admin());
    assert!(numbers.iter().all(|n| !flat.contains(n.as_str())), "masked");

    let prints = logged(&mut k.admin(), "form.print");
    assert_eq!(prints.len(), 1, "{prints:?}");
    assert!(prints[0].detail.contains("copies=2"), "{prints:?}");
    assert!(prints[0].detail.contains("numbers=masked"), "{prints:?}");
}
