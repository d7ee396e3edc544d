//! Screen 10: printing a form. The user chooses the form, whom it is for (everyone in scope
//! or people ticked in a search), copies and, on the checklist, whether the numbers show in
//! full; the engine (`Session::print_form`) checks, makes the PDF, masks the numbers and logs
//! the preview, the print or the save. The preview's pages are drawn by `pdftoppm`
//! (`kinko_forms::raster`) one at a time; printing goes to CUPS (`kinko_forms::cups`); a
//! saved PDF is staged inside the engine's transaction (`kinko_vault::staged`).

use std::collections::BTreeSet;
use std::rc::Rc;

use kinko_domain::lang::Lang;
use kinko_domain::people::{PersonId, PersonKind};
use kinko_forms::cups::{self, MAX_COPIES, PrintJob};
use kinko_forms::raster;
use kinko_vault::staged::Staged;
use kinko_vault::{
    FormKind, Pdf, PeopleQuery, Permission, PrintOutput, PrintRequest, Printed, VaultError,
    VaultResult,
};
use slint::{
    ComponentHandle, Image, ModelRc, Rgb8Pixel, SharedPixelBuffer, SharedString, VecModel,
};

use super::on;
use super::transfer::media;
use crate::app::Inner;
use crate::text::tr;
use crate::{AppWindow, PrintApi, PrintPerson, Screen};

/// How sharp the preview's pages are (A4 at 100 dpi is 827 × 1169 pixels).
const PREVIEW_DPI: u32 = 100;
/// The most people the search list shows.
const MAX_LISTED: usize = 300;

#[derive(Default)]
pub(crate) struct State {
    /// The people listed (their IDs, in list order) and their lines.
    listed: Vec<(PersonId, PrintPerson)>,
    chosen: BTreeSet<PersonId>,
    /// The PDF the preview shows (wiped when dropped).
    preview: Option<Pdf>,
    page: usize,
    printers: Vec<String>,
    /// Typing waits for a pause before searching: one word, one search (and one log entry).
    search_timer: slint::Timer,
}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<PrintApi>();
    on!(g, inner, on_show, |i| i.show_print());
    on!(g, inner, on_form_chosen, |i| i.print_form_chosen());
    on!(g, inner, on_search, |i, text| i.print_search_later(&text));
    on!(g, inner, on_toggle, |i, row| i.print_toggle(row));
    on!(g, inner, on_preview, |i| i.print_preview());
    on!(g, inner, on_turn, |i, by| i.print_turn(by));
    on!(g, inner, on_print, |i| i.print_now());
    on!(g, inner, on_save, |i| i.print_save());
}

fn form_name(lang: Lang, form: FormKind) -> String {
    match lang {
        Lang::Ja => form.ja().to_owned(),
        Lang::En => form.en().to_owned(),
    }
}

impl Inner {
    pub(crate) fn show_print(&self) {
        self.go(Screen::Print);
        self.forget_print();
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        let forms: Vec<SharedString> = FormKind::ALL
            .iter()
            .map(|f| form_name(lang, *f).into())
            .collect();
        g.set_forms(ModelRc::new(VecModel::from(forms)));
        g.set_form_index(0);
        let targets = vec![
            SharedString::from(tr(lang, "担当範囲の全員", "Everyone in my scope")),
            SharedString::from(tr(lang, "選んだ人", "The people I tick")),
        ];
        g.set_targets(ModelRc::new(VecModel::from(targets)));
        g.set_max_copies(MAX_COPIES.try_into().unwrap_or(i32::MAX));
        g.set_media_dir(
            self.media_dir()
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default()
                .into(),
        );
        self.load_printers();
        self.print_form_chosen();
        self.print_search("");
    }

    /// Drops the preview, the people listed and chosen, and every message.
    pub(crate) fn forget_print(&self) {
        *self.screens.print.borrow_mut() = State::default();
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        g.set_people(ModelRc::default());
        g.set_search_text(SharedString::new());
        g.set_target_index(0);
        g.set_reveal(false);
        g.set_copies(1);
        g.set_people_note(SharedString::new());
        self.clear_print_messages();
        self.clear_print_preview();
    }

    fn clear_print_messages(&self) {
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        g.set_people_error(SharedString::new());
        g.set_file_error(SharedString::new());
        g.set_error(SharedString::new());
        g.set_done(SharedString::new());
    }

    fn clear_print_preview(&self) {
        self.screens.print.borrow_mut().preview = None;
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        g.set_page(Image::default());
        g.set_page_number(0);
        g.set_page_count(0);
    }

    fn chosen_form(&self) -> FormKind {
        let index = self.ui().global::<PrintApi>().get_form_index();
        usize::try_from(index)
            .ok()
            .and_then(|i| FormKind::ALL.get(i).copied())
            .unwrap_or(FormKind::Checklist)
    }

    /// A new form: its options, a fresh file name, and no stale preview.
    fn print_form_chosen(&self) {
        let form = self.chosen_form();
        let reveal_allowed = form == FormKind::Checklist
            && self
                .with_session(|s| s.access().allows(Permission::RevealNumber))
                .unwrap_or(false);
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        g.set_about_people(form.is_about_people());
        g.set_reveal_allowed(reveal_allowed);
        g.set_reveal(false);
        let now = kinko_vault::japan_datetime(self.config.clock.now()).format("%Y%m%d-%H%M");
        g.set_file_name(format!("{}-{now}.pdf", form.key()).into());
        self.clear_print_messages();
        self.clear_print_preview();
    }

    fn load_printers(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        let printers = match cups::printers() {
            Ok(mut p) => {
                // The default printer first.
                p.sort_by_key(|p| !p.is_default);
                p.into_iter().map(|p| p.name).collect()
            }
            Err(_) => Vec::new(),
        };
        let names: Vec<SharedString> = printers.iter().map(SharedString::from).collect();
        g.set_printers(ModelRc::new(VecModel::from(names)));
        g.set_printer_index(0);
        g.set_printer_note(
            tr(
                lang,
                "使えるプリンターがありません。PDFで保存するか、管理者にプリンターの設定を依頼してください。",
                "No printer is available. Save a PDF, or ask an administrator to set up a printer.",
            )
            .into(),
        );
        self.screens.print.borrow_mut().printers = printers;
    }

    fn print_search_later(self: &Rc<Self>, text: &str) {
        let weak = Rc::downgrade(self);
        let text = text.to_owned();
        self.screens.print.borrow().search_timer.start(
            slint::TimerMode::SingleShot,
            self.config.search_delay,
            move || {
                if let Some(inner) = weak.upgrade() {
                    inner.print_search(&text);
                }
            },
        );
    }

    /// The employees and payees matching `text` (family follow their employee).
    fn print_search(&self, text: &str) {
        let lang = self.lang();
        let text = text.trim();
        let query = PeopleQuery {
            text: (!text.is_empty()).then(|| text.to_owned()),
            ..PeopleQuery::default()
        };
        let found = self.with_session(|s| {
            let departments = s.departments()?;
            s.list(&query).map(|rows| (rows, departments))
        });
        let (rows, departments) = match found {
            Some(Ok(found)) => found,
            Some(Err(VaultError::Denied)) => (Vec::new(), Vec::new()),
            Some(Err(e)) => return self.failed(e),
            None => return,
        };
        let mut state = self.screens.print.borrow_mut();
        let chosen = &state.chosen;
        let listable: Vec<_> = rows
            .into_iter()
            .filter(|p| p.kind != PersonKind::Family)
            .collect();
        let total = listable.len();
        let listed: Vec<(PersonId, PrintPerson)> = listable
            .into_iter()
            .take(MAX_LISTED)
            .map(|p| {
                let group = match (p.kind, p.department) {
                    (PersonKind::Payee, _) => tr(lang, "支払先", "Payee"),
                    (_, Some(d)) => departments
                        .iter()
                        .find(|(id, _)| *id == d)
                        .map(|(_, n)| n.clone())
                        .unwrap_or_default(),
                    (_, None) => String::new(),
                };
                let line = PrintPerson {
                    code: p.code.unwrap_or_default().into(),
                    name: p.name.into(),
                    group: group.into(),
                    chosen: chosen.contains(&p.id),
                };
                (p.id, line)
            })
            .collect();
        let lines: Vec<PrintPerson> = listed.iter().map(|(_, l)| l.clone()).collect();
        state.listed = listed;
        let n_chosen = state.chosen.len();
        drop(state);
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        g.set_people(ModelRc::new(VecModel::from(lines)));
        g.set_people_note(people_note(lang, n_chosen, total).into());
    }

    fn print_toggle(&self, row: i32) {
        let lang = self.lang();
        let mut state = self.screens.print.borrow_mut();
        let Some(index) = usize::try_from(row)
            .ok()
            .filter(|i| *i < state.listed.len())
        else {
            return;
        };
        let id = state.listed[index].0;
        let now_chosen = if state.chosen.remove(&id) {
            false
        } else {
            state.chosen.insert(id);
            true
        };
        state.listed[index].1.chosen = now_chosen;
        let line = state.listed[index].1.clone();
        let n_chosen = state.chosen.len();
        let total = state.listed.len();
        drop(state);
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        let people = g.get_people();
        if index < slint::Model::row_count(&people) {
            slint::Model::set_row_data(&people, index, line);
        }
        g.set_people_note(people_note(lang, n_chosen, total).into());
        g.set_people_error(SharedString::new());
        self.clear_print_preview();
    }

    /// What the user asked for, going to `output`.
    fn print_request(&self, output: PrintOutput) -> VaultResult<PrintRequest> {
        let form = self.chosen_form();
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        let people = if !form.is_about_people() {
            Vec::new()
        } else if g.get_target_index() == 1 {
            self.screens.print.borrow().chosen.iter().copied().collect()
        } else {
            // Everyone in scope: every employee and payee the engine lists.
            self.with_session(|s| s.list(&PeopleQuery::default()))
                .unwrap_or(Ok(Vec::new()))?
                .into_iter()
                .filter(|p| p.kind != PersonKind::Family)
                .map(|p| p.id)
                .collect()
        };
        Ok(PrintRequest {
            form,
            people,
            reveal_numbers: form.is_about_people() && g.get_reveal(),
            copies: u32::try_from(g.get_copies()).unwrap_or(0),
            output,
            audit: None,
        })
    }

    /// Asks the engine for the form, delivered by `deliver`, and shows its errors.
    fn print_with(
        &self,
        output: PrintOutput,
        deliver: impl FnOnce(&Pdf) -> VaultResult<()>,
    ) -> Option<Printed> {
        self.clear_print_messages();
        let result = match self.print_request(output) {
            Ok(req) => self.with_session(|s| s.print_form(&req, deliver))?,
            Err(e) => Err(e),
        };
        match result {
            Ok(printed) => Some(printed),
            Err(e) => {
                self.print_failed(e);
                None
            }
        }
    }

    fn print_failed(&self, e: VaultError) {
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        match e {
            VaultError::SessionLocked | VaultError::PasswordChangeRequired => self.failed(e),
            VaultError::NoPeopleChosen | VaultError::FamilyChosen(_) => {
                g.set_people_error(self.message(&e));
            }
            e => g.set_error(self.message(&e)),
        }
    }

    fn print_preview(&self) {
        self.clear_print_preview();
        let Some(printed) = self.print_with(PrintOutput::Preview, |_| Ok(())) else {
            return;
        };
        let pages = printed.pages;
        self.screens.print.borrow_mut().preview = Some(printed.pdf);
        let g = self.ui();
        g.global::<PrintApi>()
            .set_page_count(pages.try_into().unwrap_or(i32::MAX));
        self.show_page(1);
    }

    fn print_turn(&self, by: i32) {
        let state = self.screens.print.borrow();
        let Some(pdf) = state.preview.as_ref() else {
            return;
        };
        let page = state
            .page
            .saturating_add_signed(by as isize)
            .clamp(1, pdf.pages.max(1));
        drop(state);
        self.show_page(page);
    }

    /// Draws page `page` of the preview.
    fn show_page(&self, page: usize) {
        let lang = self.lang();
        let image = {
            let state = self.screens.print.borrow();
            let Some(pdf) = state.preview.as_ref() else {
                return;
            };
            raster::render_page(&pdf.bytes, PREVIEW_DPI, page)
        };
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        match image {
            Ok(img) => {
                let buffer = SharedPixelBuffer::<Rgb8Pixel>::clone_from_slice(
                    &img.rgb, img.width, img.height,
                );
                g.set_page(Image::from_rgb8(buffer));
                g.set_page_number(page.try_into().unwrap_or(i32::MAX));
                self.screens.print.borrow_mut().page = page;
            }
            Err(e) => g.set_error(
                match lang {
                    Lang::Ja => format!("プレビューを表示できません（{}）", e.ja()),
                    Lang::En => format!("The preview cannot be shown ({e})"),
                }
                .into(),
            ),
        }
    }

    fn print_now(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        let printer = {
            let state = self.screens.print.borrow();
            usize::try_from(g.get_printer_index())
                .ok()
                .and_then(|i| state.printers.get(i).cloned())
        };
        let Some(printer) = printer else {
            g.set_error(g.get_printer_note());
            return;
        };
        let copies = u32::try_from(g.get_copies()).unwrap_or(0);
        let form = self.chosen_form();
        let job = PrintJob {
            printer: Some(printer.clone()),
            copies,
            title: form.ja().to_owned(),
        };
        let mut job_id = String::new();
        let printed = self.print_with(PrintOutput::Printer(printer.clone()), |pdf| {
            job_id = cups::submit(&pdf.bytes, &job).map_err(VaultError::Form)?;
            Ok(())
        });
        if let Some(printed) = printed {
            let name = form_name(lang, form);
            g.set_done(
                match lang {
                    Lang::Ja => format!(
                        "{name}を{printer}で印刷しました（{}ページ・{copies}部、ジョブ {job_id}）",
                        printed.pages
                    ),
                    Lang::En => format!(
                        "Printed the {name} on {printer} ({} pages, {copies} copies, job {job_id})",
                        printed.pages
                    ),
                }
                .into(),
            );
        }
    }

    fn print_save(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<PrintApi>();
        g.set_file_error(SharedString::new());
        let Some(dir) = self.media_dir() else {
            g.set_file_error(
                tr(
                    lang,
                    "保存先の媒体がありません。許可されたUSBメモリを接続してください",
                    "No medium to save to. Connect an authorised USB stick",
                )
                .into(),
            );
            return;
        };
        let path = match media::new_file(lang, &dir, &g.get_file_name(), "pdf") {
            Ok(p) => p,
            Err(m) => return g.set_file_error(m.into()),
        };
        let mut staged = Staged::default();
        let Some(printed) =
            self.print_with(
                PrintOutput::File,
                |pdf| Ok(staged.stage(&path, &pdf.bytes)?),
            )
        else {
            return;
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        match staged.finish() {
            Ok(()) => g.set_done(
                match lang {
                    Lang::Ja => format!("{name} に保存しました（{}ページ）", printed.pages),
                    Lang::En => format!("Saved as {name} ({} pages)", printed.pages),
                }
                .into(),
            ),
            Err(e) => g.set_file_error(media::io_message(lang, &e).into()),
        }
    }
}

fn people_note(lang: Lang, chosen: usize, listed: usize) -> String {
    let more = listed > MAX_LISTED;
    match lang {
        Lang::Ja if more => format!(
            "{chosen}人を選択中。該当する{listed}人のうち最初の{MAX_LISTED}人を表示しています（検索で絞り込んでください）"
        ),
        Lang::Ja => format!("{chosen}人を選択中（家族は社員と一緒に印刷されます）"),
        Lang::En if more => format!(
            "{chosen} chosen. Showing the first {MAX_LISTED} of {listed} (search to narrow down)"
        ),
        Lang::En => format!("{chosen} chosen (family members print with their employee)"),
    }
}
