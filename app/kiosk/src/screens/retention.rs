//! 保管期限と削除 (F10, F11): the retention rules in words, the people whose retention has run
//! out, their batch deletion, the deletion register, and delete everything (全削除) with a
//! typed confirmation. The engine checks every permission, writes the register and the log,
//! and re-keys; this module shows what it answers.

use std::path::PathBuf;
use std::rc::Rc;

use kinko_domain::lang::Lang;
use kinko_domain::people::PersonKind;
use kinko_domain::retention::{DueAction, RetentionRules};
use kinko_domain::wareki;
use kinko_vault::{DestroyRequest, DueItem, Permission, Session, VaultError, japan_datetime};
use kinko_wipe::{NoObserver, Statement};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::on;
use crate::app::Inner;
use crate::text::tr;
use crate::{AppWindow, DeletionRow, DueRow, RetentionApi, Screen};

/// After 全削除: the signed statement, kept for printing until the user moves on.
#[derive(Default)]
pub(crate) struct State {
    statement: Option<Statement>,
}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<RetentionApi>();
    on!(g, inner, on_show, |i| i.show_retention());
    on!(g, inner, on_delete_due, |i| i.delete_due());
    on!(g, inner, on_destroy, |i| i.destroy_everything());
    on!(g, inner, on_print_record, |i| i.print_destruction_record());
    on!(g, inner, on_finish_destroyed, |i| i.finish_destroyed());
}

/// What the screen shows, as the engine answered.
struct Loaded {
    rules: RetentionRules,
    due: Result<Vec<DueItem>, VaultError>,
    register: Vec<kinko_vault::Deletion>,
    may_delete: bool,
    may_wipe: bool,
}

fn load(s: &mut Session, today: chrono::NaiveDate) -> Result<Loaded, VaultError> {
    let rules = s.retention_rules()?;
    let due = s.retention_due(today);
    // The register is shown to those who may delete (it is their record of what they did).
    let may_delete = s.access().allows(Permission::Delete);
    let register = if may_delete {
        s.deletions()?
    } else {
        Vec::new()
    };
    Ok(Loaded {
        rules,
        due,
        register,
        may_delete,
        may_wipe: s.access().allows(Permission::Wipe),
    })
}

impl Inner {
    fn today(&self) -> chrono::NaiveDate {
        japan_datetime(self.config.clock.now()).date()
    }

    pub(crate) fn show_retention(&self) {
        let today = self.today();
        match self.with_session(|s| load(s, today)) {
            Some(Ok(loaded)) => {
                self.fill_retention(&loaded, today);
                self.go(Screen::Retention);
            }
            Some(Err(e)) => self.failed(e),
            None => {}
        }
    }

    fn fill_retention(&self, l: &Loaded, today: chrono::NaiveDate) {
        let ui = self.ui();
        let g = ui.global::<RetentionApi>();
        let lang = self.lang();
        g.set_today(
            match lang {
                Lang::Ja => format!("本日 {}", wareki::format_ja(today)),
                Lang::En => format!("Today {}", today.format("%Y-%m-%d")),
            }
            .into(),
        );
        g.set_rules(rules_text(lang, &l.rules).into());
        match &l.due {
            Ok(due) => {
                let rows: Vec<DueRow> = due.iter().map(|d| due_row(lang, d)).collect();
                g.set_due(ModelRc::new(VecModel::from(rows)));
                g.set_due_error(SharedString::new());
            }
            Err(e) => {
                g.set_due(ModelRc::default());
                g.set_due_error(self.message(e));
            }
        }
        let register: Vec<DeletionRow> = l.register.iter().map(|d| register_row(lang, d)).collect();
        g.set_register(ModelRc::new(VecModel::from(register)));
        g.set_may_delete(l.may_delete);
        g.set_may_wipe(l.may_wipe);
    }

    fn delete_due(&self) {
        let ui = self.ui();
        let g = ui.global::<RetentionApi>();
        let reason = g.get_batch_reason().to_string();
        let today = self.today();
        g.set_batch_error(SharedString::new());
        g.set_batch_done(SharedString::new());
        match self.with_session(|s| s.delete_due(today, &reason)) {
            Some(Ok(done)) => {
                let (people, numbers) = (done.people.len(), done.numbers.len());
                g.set_batch_reason(SharedString::new());
                self.show_retention();
                g.set_batch_done(
                    match self.lang() {
                        Lang::Ja => format!(
                            "{people}人の記録と{numbers}人の個人番号を削除し、鍵を掛け替えました。削除・廃棄記録に記録しました。"
                        ),
                        Lang::En => format!(
                            "Deleted {people} people's records and {numbers} numbers, and re-keyed. Entered in the deletion register."
                        ),
                    }
                    .into(),
                );
            }
            Some(Err(VaultError::SessionLocked)) => self.show_locked(),
            Some(Err(e)) => g.set_batch_error(self.message(&e)),
            None => {}
        }
    }

    /// 全削除: the engine checks the permission, the phrase and the reason; then the vault is
    /// gone and only the signed statement (beside the vault's folder) remains.
    fn destroy_everything(&self) {
        let ui = self.ui();
        let g = ui.global::<RetentionApi>();
        for clear in [
            RetentionApi::set_destroy_reason_error,
            RetentionApi::set_destroy_confirm_error,
            RetentionApi::set_destroy_error,
        ] {
            clear(&g, SharedString::new());
        }
        let path = self.statement_path();
        let request = DestroyRequest {
            reason: g.get_destroy_reason().to_string(),
            confirmation: g.get_destroy_confirm().to_string(),
            statement_path: path.clone(),
        };
        // Every check first, while the session stays: a typo never costs the log-in.
        match self.check_destroy(&request) {
            Some(Ok(())) => {}
            Some(Err(e)) => {
                let message = self.message(&e);
                match e {
                    VaultError::DestroyConfirmation => g.set_destroy_confirm_error(message),
                    VaultError::ReasonRequired | VaultError::ReasonText { .. } => {
                        g.set_destroy_reason_error(message)
                    }
                    VaultError::SessionLocked => self.show_locked(),
                    _ => g.set_destroy_error(message),
                }
                return;
            }
            None => return,
        }
        let Some((vault, session)) = self.take_vault_and_session() else {
            return;
        };
        match vault.delete_everything(session, &request, &mut NoObserver) {
            Ok(statement) => self.show_destroyed(statement, path),
            Err(e) => {
                // Failed after the checks (the disk): whatever is left is opened again.
                let message = self.message(&e);
                self.reopen_vault();
                self.ui().global::<crate::Kiosk>().set_login_error(message);
            }
        }
    }

    /// `kinko-zensakujo-YYYYMMDD-HHMMSS.json` beside the vault's folder (outside it).
    fn statement_path(&self) -> PathBuf {
        let stamp = japan_datetime(self.config.clock.now()).format("%Y%m%d-%H%M%S");
        let parent = self
            .config
            .dir
            .parent()
            .map_or_else(|| PathBuf::from("."), PathBuf::from);
        parent.join(format!("kinko-zensakujo-{stamp}.json"))
    }

    fn show_destroyed(&self, statement: Statement, json: PathBuf) {
        let ui = self.ui();
        let g = ui.global::<RetentionApi>();
        let lang = self.lang();
        let mut lines = Vec::new();
        let mut message = String::new();
        match statement.verify() {
            Ok(v) => {
                let b = &v.body;
                let h = &b.held;
                lines.push(format!(
                    "{}：{}",
                    tr(lang, "結果", "Outcome"),
                    kinko_vault::outcome_ja(b.outcome)
                ));
                lines.push(match lang {
                    Lang::Ja => format!(
                        "消去した件数：社員 {}、家族 {}、支払先 {}、個人番号 {}、添付記録 {}",
                        h.employees, h.family_members, h.payees, h.numbers, h.records
                    ),
                    Lang::En => format!(
                        "Destroyed: {} employees, {} family members, {} payees, {} numbers, {} records",
                        h.employees, h.family_members, h.payees, h.numbers, h.records
                    ),
                });
                lines.push(format!(
                    "{}：{}",
                    tr(lang, "記録番号", "Statement"),
                    b.statement_id
                ));
                lines.push(format!(
                    "{}：{}",
                    tr(lang, "署名鍵", "Signing key"),
                    v.key_fingerprint
                ));
                match kinko_vault::destruction_record_pdf(&v) {
                    Ok(pdf) => {
                        let path = json.with_extension("pdf");
                        if let Err(e) = kinko_vault::staged::write_whole(&path, &pdf.bytes) {
                            message = format!(
                                "{}（{e}）",
                                tr(lang, "PDFを保存できません", "The PDF cannot be saved")
                            );
                        }
                    }
                    Err(e) => message = self.message(&e).to_string(),
                }
            }
            Err(e) => message = e.to_string(),
        }
        g.set_destroyed_lines(ModelRc::new(VecModel::from(
            lines
                .into_iter()
                .map(SharedString::from)
                .collect::<Vec<_>>(),
        )));
        g.set_destroyed_where(
            match lang {
                Lang::Ja => format!(
                    "署名付きの全削除記録：{}（印刷用のPDFも同じ場所にあります）。削除した日から保存期間のあいだ保管してください。",
                    json.display()
                ),
                Lang::En => format!(
                    "Signed statement: {} (the PDF for printing is beside it). Keep it for the retention period.",
                    json.display()
                ),
            }
            .into(),
        );
        g.set_destroyed_message(message.into());
        g.set_printer_available(kinko_forms::cups::printers().is_ok_and(|p| !p.is_empty()));
        self.screens.retention.borrow_mut().statement = Some(statement);
        let k = ui.global::<crate::Kiosk>();
        k.set_user(SharedString::new());
        k.set_company(SharedString::new());
        k.set_pc_name(SharedString::new());
        k.set_screen(Screen::Destroyed);
    }

    fn print_destruction_record(&self) {
        let lang = self.lang();
        let statement = self.screens.retention.borrow().statement.clone();
        let Some(Ok(v)) = statement.map(|s| s.verify()) else {
            return;
        };
        let job = kinko_forms::cups::PrintJob {
            printer: None,
            copies: 1,
            title: "全削除記録".into(),
        };
        let result = kinko_vault::destruction_record_pdf(&v)
            .map_err(|e| self.message(&e).to_string())
            .and_then(|pdf| {
                kinko_forms::cups::submit(&pdf.bytes, &job).map_err(|e| e.ja().to_string())
            });
        let text = match result {
            Ok(_) => tr(lang, "印刷を依頼しました。", "Sent to the printer."),
            Err(e) => format!("{}（{e}）", tr(lang, "印刷できません", "Cannot print")),
        };
        self.ui()
            .global::<RetentionApi>()
            .set_destroyed_message(text.into());
    }

    fn finish_destroyed(&self) {
        self.forget_retention();
        self.ui().global::<crate::Kiosk>().set_screen(Screen::Setup);
    }

    pub(crate) fn forget_retention(&self) {
        let ui = self.ui();
        let g = ui.global::<RetentionApi>();
        g.set_due(ModelRc::default());
        g.set_register(ModelRc::default());
        g.set_batch_reason(SharedString::new());
        g.set_batch_error(SharedString::new());
        g.set_batch_done(SharedString::new());
        g.set_destroy_reason(SharedString::new());
        g.set_destroy_confirm(SharedString::new());
        g.set_destroy_error(SharedString::new());
        g.set_destroy_reason_error(SharedString::new());
        g.set_destroy_confirm_error(SharedString::new());
        g.set_destroyed_lines(ModelRc::default());
        self.screens.retention.borrow_mut().statement = None;
    }

    pub(crate) fn reshow_retention(&self, _screen: Screen) {
        self.show_retention();
    }
}

fn rules_text(lang: Lang, r: &RetentionRules) -> String {
    let (ry, (rm, rd)) = (r.retiree.years, r.retiree.start);
    let (py, (pm, pd)) = (r.payee.years, r.payee.start);
    match lang {
        Lang::Ja => format!(
            "規則：退職者は退職の翌年{rm}月{rd}日から{ry}年、支払先は最終支払の翌年{pm}月{pd}日から{py}年を過ぎると、{}を削除できます（家族は社員に従います）。",
            action(lang, r.action)
        ),
        Lang::En => format!(
            "Rules: {ry} years from {rm}/{rd} of the year after retirement; {py} years from {pm}/{pd} of the year after the last payment; then {} may be deleted (family follow their employee).",
            action(lang, r.action)
        ),
    }
}

fn action(lang: Lang, a: DueAction) -> String {
    match a {
        DueAction::WholePerson => tr(lang, "本人の記録", "the whole record"),
        DueAction::NumberOnly => tr(lang, "個人番号のみ", "the number only"),
    }
}

fn due_row(lang: Lang, d: &DueItem) -> DueRow {
    let kind = match d.kind {
        PersonKind::Employee => tr(lang, "社員", "Employee"),
        PersonKind::Family => tr(lang, "家族", "Family"),
        PersonKind::Payee => tr(lang, "支払先", "Payee"),
    };
    let due = match lang {
        Lang::Ja => format!(
            "{}（{}）",
            d.due_on.format("%Y-%m-%d"),
            wareki::format_ja(d.due_on)
        ),
        Lang::En => d.due_on.format("%Y-%m-%d").to_string(),
    };
    DueRow {
        code: d.code.clone().unwrap_or_default().into(),
        name: d.name.as_str().into(),
        kind: kind.into(),
        due: due.into(),
        what: action(lang, d.what).into(),
        number: if d.has_number {
            tr(lang, "登録あり", "on file")
        } else {
            tr(lang, "なし", "none")
        }
        .into(),
    }
}

fn register_row(lang: Lang, d: &kinko_vault::Deletion) -> DeletionRow {
    let at = chrono::DateTime::parse_from_rfc3339(&d.at)
        .map(|t| {
            japan_datetime(t.with_timezone(&chrono::Utc))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| d.at.clone());
    let kind = match lang {
        Lang::Ja => d.kind.ja().to_owned(),
        Lang::En => match d.kind {
            kinko_vault::DeletionKind::Person => "Whole record",
            kinko_vault::DeletionKind::Number => "Number only",
            kinko_vault::DeletionKind::Family => "Family (with employee)",
            kinko_vault::DeletionKind::Batch => "Batch",
        }
        .to_owned(),
    };
    DeletionRow {
        at: at.into(),
        user: d.user.as_str().into(),
        kind: kind.into(),
        person: d.person.map(|p| p.0.to_string()).unwrap_or_default().into(),
        people: d.people.to_string().into(),
        method: d.method.as_str().into(),
        reason: d.reason.as_str().into(),
    }
}
