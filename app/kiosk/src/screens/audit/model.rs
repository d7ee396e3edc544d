//! The log entries as a `slint::Model`, newest first: the engine's answer is kept as it is and
//! a row becomes text only when the list shows it, so a long log stays fluid.

use std::cell::RefCell;

use kinko_domain::lang::Lang;
use kinko_vault::{AuditEntry, AuditNames, Outcome, japan_time};
use slint::{Model, ModelNotify, ModelTracker};

use super::labels;
use crate::AuditRow;

pub(crate) struct EntriesModel {
    /// Newest first.
    rows: RefCell<Vec<AuditEntry>>,
    names: RefCell<AuditNames>,
    lang: Lang,
    notify: ModelNotify,
}

impl EntriesModel {
    pub(crate) fn new(lang: Lang) -> EntriesModel {
        EntriesModel {
            rows: RefCell::default(),
            names: RefCell::default(),
            lang,
            notify: ModelNotify::default(),
        }
    }

    /// Replaces the rows with `entries` (oldest first, as the engine gives them).
    pub(crate) fn set(&self, mut entries: Vec<AuditEntry>, names: AuditNames) {
        entries.reverse();
        *self.rows.borrow_mut() = entries;
        *self.names.borrow_mut() = names;
        self.notify.reset();
    }

    pub(crate) fn clear(&self) {
        *self.rows.borrow_mut() = Vec::new();
        *self.names.borrow_mut() = AuditNames::default();
        self.notify.reset();
    }

    fn line(&self, e: &AuditEntry) -> AuditRow {
        let lang = self.lang;
        let names = self.names.borrow();
        let unregistered = match lang {
            Lang::Ja => "未登録のPC",
            Lang::En => "unregistered PC",
        };
        let at =
            e.at.parse()
                .map(japan_time)
                .unwrap_or_else(|_| e.at.clone());
        let clock = match (&e.clock_anomaly, lang) {
            (None, _) => "",
            (Some(_), Lang::Ja) => "（時計異常）",
            (Some(_), Lang::En) => " (clock?)",
        };
        let user = e.actor.user.and_then(|u| names.users.get(&u).cloned());
        let target = match (e.target_kind.as_deref(), e.target_id) {
            (Some("user"), Some(id)) => names
                .users
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("user#{id}")),
            (Some("pc"), Some(id)) => names
                .pcs
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("PC#{id}")),
            (Some(kind), Some(id)) => format!("{kind}#{id}"),
            _ => String::new(),
        };
        AuditRow {
            seq: e.seq.to_string().into(),
            at: format!("{at}{clock}").into(),
            user: user.unwrap_or_else(|| "—".to_owned()).into(),
            department: e
                .actor
                .department
                .and_then(|d| names.departments.get(&d).cloned())
                .unwrap_or_default()
                .into(),
            pc: e
                .actor
                .pc
                .and_then(|p| names.pcs.get(&p).cloned())
                .unwrap_or_else(|| unregistered.to_owned())
                .into(),
            action: labels::action(lang, &e.action).into(),
            target: target.into(),
            result: labels::outcome(lang, e.outcome).into(),
            detail: labels::detail(lang, &e.detail).into(),
            bad: e.outcome != Outcome::Ok,
        }
    }
}

impl Model for EntriesModel {
    type Data = AuditRow;

    fn row_count(&self) -> usize {
        self.rows.borrow().len()
    }

    fn row_data(&self, row: usize) -> Option<AuditRow> {
        self.rows.borrow().get(row).map(|e| self.line(e))
    }

    fn model_tracker(&self) -> &dyn ModelTracker {
        &self.notify
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
