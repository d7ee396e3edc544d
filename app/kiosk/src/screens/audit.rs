//! The audit log (F6): the entries with filters (user, action, dates, result), newest first;
//! verifying the chain, optionally against a written-down seal; issuing a seal code; the
//! sessions report. The engine decides who may read the log and logs every reading.

mod labels;
pub(crate) mod model;

use std::rc::Rc;

use chrono::{Duration, NaiveDate, SecondsFormat};
use kinko_domain::lang::{Lang, Localized};
use kinko_domain::wareki::parse_date;
use kinko_vault::{AuditProblem, AuditQuery, Outcome, Seal, VaultError, VerifyReport, japan_time};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::on;
use crate::app::Inner;
use crate::text::tr;
use crate::{AppWindow, AuditApi, Screen, SessionRow};
use model::EntriesModel;

/// What the screen holds while it is shown.
#[derive(Default)]
pub(crate) struct State {
    entries: Option<Rc<EntriesModel>>,
    /// The user filter's choices after "everyone": user IDs.
    users: Vec<i64>,
}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<AuditApi>();
    on!(g, inner, on_show, |i| i.show_audit());
    on!(g, inner, on_show_tab, |i, tab| i.audit_tab(tab));
    on!(g, inner, on_apply_filter, |i| i.refresh_audit());
    on!(g, inner, on_verify, |i| i.verify_audit());
    on!(g, inner, on_seal, |i| i.seal_audit());
}

const OUTCOMES: [Outcome; 3] = [Outcome::Ok, Outcome::Denied, Outcome::Error];

impl Inner {
    pub(crate) fn show_audit(&self) {
        self.go(Screen::Audit);
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<AuditApi>();
        let names = match self.with_session(|s| s.audit_names()) {
            Some(Ok(n)) => n,
            Some(Err(e)) => return self.audit_refused(e),
            None => return,
        };
        g.set_allowed(true);
        g.set_denied(SharedString::new());
        let model = self.audit_model();
        g.set_entries(ModelRc::from(model));
        let mut users: Vec<(i64, String)> = names.users.into_iter().collect();
        users.sort();
        let mut choices = vec![SharedString::from(tr(lang, "すべての利用者", "All users"))];
        choices.extend(users.iter().map(|(_, l)| SharedString::from(l.as_str())));
        g.set_user_choices(ModelRc::new(VecModel::from(choices)));
        self.screens.audit.borrow_mut().users = users.into_iter().map(|(id, _)| id).collect();
        let mut actions = vec![SharedString::from(tr(lang, "すべての操作", "All actions"))];
        actions.extend(
            labels::ACTION_FILTERS
                .iter()
                .map(|(_, ja, en)| SharedString::from(tr(lang, ja, en))),
        );
        g.set_action_choices(ModelRc::new(VecModel::from(actions)));
        let mut results = vec![SharedString::from(tr(lang, "すべての結果", "All results"))];
        results.extend(
            OUTCOMES
                .iter()
                .map(|o| SharedString::from(labels::outcome(lang, *o))),
        );
        g.set_result_choices(ModelRc::new(VecModel::from(results)));
        g.set_tab(0);
        self.refresh_audit();
    }

    fn audit_model(&self) -> Rc<EntriesModel> {
        let mut st = self.screens.audit.borrow_mut();
        st.entries
            .get_or_insert_with(|| Rc::new(EntriesModel::new(self.config.lang)))
            .clone()
    }

    fn audit_tab(&self, tab: i32) {
        let ui = self.ui();
        ui.global::<AuditApi>().set_tab(tab);
        if tab == 1 {
            self.show_sessions();
        } else {
            self.refresh_audit();
        }
    }

    /// The engine refused (or failed): say so instead of the log.
    fn audit_refused(&self, e: VaultError) {
        match e {
            VaultError::SessionLocked | VaultError::PasswordChangeRequired => self.failed(e),
            e => {
                self.forget_audit();
                let ui = self.ui();
                let g = ui.global::<AuditApi>();
                g.set_allowed(false);
                g.set_denied(self.message(&e));
            }
        }
    }

    /// Asks the engine for the entries matching the filters.
    fn refresh_audit(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<AuditApi>();
        let from = day_start(lang, &g.get_from());
        let to = day_start(lang, &g.get_to()).map(|d| d.map(|d| d + Duration::days(1)));
        g.set_from_error(from.as_ref().err().cloned().unwrap_or_default().into());
        g.set_to_error(to.as_ref().err().cloned().unwrap_or_default().into());
        let (Ok(from), Ok(to)) = (from, to) else {
            return;
        };
        let query = {
            let st = self.screens.audit.borrow();
            AuditQuery {
                user: index_of(g.get_user_index()).and_then(|i| st.users.get(i).copied()),
                action: index_of(g.get_action_index())
                    .and_then(|i| labels::ACTION_FILTERS.get(i))
                    .map(|(key, _, _)| (*key).to_owned()),
                since: from.map(utc_text),
                until: to.map(utc_text),
                outcome: index_of(g.get_result_index()).and_then(|i| OUTCOMES.get(i).copied()),
                ..AuditQuery::default()
            }
        };
        let answer = self.with_session(|s| -> Result<_, VaultError> {
            Ok((s.audit_list(&query)?, s.audit_names()?))
        });
        match answer {
            Some(Ok((entries, names))) => {
                g.set_count(entries.len().try_into().unwrap_or(i32::MAX));
                self.audit_model().set(entries, names);
            }
            Some(Err(e)) => self.audit_refused(e),
            None => {}
        }
    }

    fn verify_audit(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<AuditApi>();
        let input = g.get_seal_input();
        let seal = if input.trim().is_empty() {
            None
        } else {
            match Seal::parse(&input) {
                Ok(s) => Some(s),
                Err(e) => {
                    g.set_seal_error(self.message(&e));
                    return;
                }
            }
        };
        g.set_seal_error(SharedString::new());
        match self.with_session(|s| s.audit_verify(seal.as_ref())) {
            Some(Ok(report)) => {
                g.set_verify_ok(report.problem.is_none());
                g.set_verify_text(verify_words(lang, &report, seal.as_ref()).into());
            }
            Some(Err(e)) => self.audit_refused(e),
            None => {}
        }
    }

    fn seal_audit(&self) {
        let ui = self.ui();
        let g = ui.global::<AuditApi>();
        match self.with_session(|s| s.audit_seal()) {
            Some(Ok(seal)) => g.set_seal_code(seal.to_string().into()),
            Some(Err(e)) => self.audit_refused(e),
            None => {}
        }
    }

    fn show_sessions(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<AuditApi>();
        let answer = self.with_session(|s| s.audit_sessions().map(|r| (r, s.id())));
        let (records, current) = match answer {
            Some(Ok(r)) => r,
            Some(Err(e)) => return self.audit_refused(e),
            None => return,
        };
        let jst = |t: &str| t.parse().map(japan_time).unwrap_or_else(|_| t.to_owned());
        let rows: Vec<SessionRow> = records
            .iter()
            .rev()
            .map(|r| SessionRow {
                user: r.login.as_str().into(),
                department: r.department.clone().unwrap_or_else(|| "—".into()).into(),
                pc: r
                    .pc
                    .clone()
                    .unwrap_or_else(|| tr(lang, "未登録のPC", "unregistered PC"))
                    .into(),
                from: jst(&r.started_at).into(),
                to: r.ended_at.as_deref().map(jst).unwrap_or_default().into(),
                length: r
                    .seconds
                    .map(|s| labels::length(lang, s))
                    .unwrap_or_default()
                    .into(),
                ended: labels::ending(lang, r.end_reason.as_deref(), r.id == current).into(),
            })
            .collect();
        g.set_sessions(ModelRc::new(VecModel::from(rows)));
    }

    pub(crate) fn forget_audit(&self) {
        let entries = self.screens.audit.borrow_mut().entries.take();
        if let Some(m) = entries {
            m.clear();
        }
        *self.screens.audit.borrow_mut() = State::default();
        let ui = self.ui();
        let g = ui.global::<AuditApi>();
        g.set_entries(ModelRc::default());
        g.set_count(0);
        g.set_sessions(ModelRc::default());
        g.set_user_choices(ModelRc::default());
        g.set_user_index(0);
        g.set_action_index(0);
        g.set_result_index(0);
        g.set_from(SharedString::new());
        g.set_to(SharedString::new());
        g.set_from_error(SharedString::new());
        g.set_to_error(SharedString::new());
        g.set_seal_input(SharedString::new());
        g.set_seal_error(SharedString::new());
        g.set_verify_text(SharedString::new());
        g.set_seal_code(SharedString::new());
    }
}

/// A combo box index past its first choice ("all").
fn index_of(index: i32) -> Option<usize> {
    usize::try_from(index - 1).ok()
}

/// 00:00 in Japan of the typed day (empty: no limit), or why the date does not read.
fn day_start(lang: Lang, text: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let day: NaiveDate = parse_date(text).map_err(|e| e.message(lang))?;
    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::hours(9);
    Ok(Some(start.and_utc()))
}

/// The log's time format (UTC, RFC 3339 with milliseconds), so that times compare as text.
fn utc_text(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// What verification found, in plain words.
fn verify_words(lang: Lang, report: &VerifyReport, seal: Option<&Seal>) -> String {
    let Some(problem) = &report.problem else {
        let n = report.entries;
        return match (lang, seal) {
            (Lang::Ja, None) => format!("改ざんは見つかりませんでした（{n}件を確認）"),
            (Lang::Ja, Some(s)) => {
                format!("改ざんは見つかりませんでした（{n}件を確認。封印コード {s} とも一致）")
            }
            (Lang::En, None) => format!("No tampering found ({n} entries checked)"),
            (Lang::En, Some(s)) => {
                format!("No tampering found ({n} entries checked; seal {s} matches)")
            }
        };
    };
    match lang {
        Lang::Ja => format!("改ざんが見つかりました: {problem}"),
        Lang::En => format!("Tampering found: {}", problem_en(problem)),
    }
}

fn problem_en(p: &AuditProblem) -> String {
    match p {
        AuditProblem::Missing { seq } => format!("entry #{seq} is missing (deleted)"),
        AuditProblem::Altered { seq } => {
            format!("entry #{seq} was altered (content or order changed, or replaced)")
        }
        AuditProblem::Truncated { last, expected } => {
            format!(
                "the end of the log is missing (it ends at #{last}; it should reach #{expected})"
            )
        }
        AuditProblem::HeadAltered => "the record of the log's end was altered".to_owned(),
        AuditProblem::RolledBack { seal, head } => format!(
            "the vault was put back to a state before seal #{seal} (the log ends at #{head})"
        ),
        AuditProblem::SealMismatch { seal } => {
            format!("seal #{seal} does not match the log (entries before it were rewritten)")
        }
    }
}
