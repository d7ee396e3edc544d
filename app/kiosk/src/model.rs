//! The people list as a `slint::Model` over the engine's answer.
//!
//! The engine's `Session::list` gives the matching [`PersonSummary`]s; this model keeps that
//! vector and turns a row into display text only when the list view asks for it (the visible
//! rows), so 30,000 people cost one vector move per search, not 30,000 conversions.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use kinko_domain::lang::Lang;
use kinko_domain::people::{DepartmentId, PersonKind};
use kinko_vault::PersonSummary;
use slint::{Model, ModelNotify, ModelTracker, SharedString};

use crate::PersonRow;

#[derive(Default)]
pub struct PeopleModel {
    rows: RefCell<Vec<PersonSummary>>,
    departments: RefCell<HashMap<DepartmentId, String>>,
    lang: Cell<Lang>,
    notify: ModelNotify,
}

impl PeopleModel {
    pub fn new(lang: Lang) -> PeopleModel {
        let m = PeopleModel::default();
        m.lang.set(lang);
        m
    }

    /// Replaces the rows with the engine's latest answer.
    pub fn set(&self, rows: Vec<PersonSummary>, departments: &[(DepartmentId, String)]) {
        *self.departments.borrow_mut() = departments.iter().cloned().collect();
        *self.rows.borrow_mut() = rows;
        self.notify.reset();
    }

    /// Forgets every row (at lock and log-out: nothing personal stays in the front).
    pub fn clear(&self) {
        self.rows.borrow_mut().clear();
        self.rows.borrow_mut().shrink_to_fit();
        self.departments.borrow_mut().clear();
        self.notify.reset();
    }

    pub fn len(&self) -> usize {
        self.rows.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.borrow().is_empty()
    }

    fn line(&self, s: &PersonSummary) -> PersonRow {
        let lang = self.lang.get();
        let label = |ja: &'static str, en: &'static str| match lang {
            Lang::Ja => ja,
            Lang::En => en,
        };
        let department = s
            .department
            .and_then(|d| self.departments.borrow().get(&d).cloned())
            .unwrap_or_default();
        let number = if s.has_number {
            label("登録済（非表示）", "on file (hidden)")
        } else {
            label("未登録", "none")
        };
        PersonRow {
            id: i32::try_from(s.id.0).unwrap_or(-1),
            code: s.code.clone().unwrap_or_default().into(),
            name: s.name.as_str().into(),
            kana: s.kana.as_str().into(),
            kind: label(s.kind.ja(), s.kind.en()).into(),
            department: department.into(),
            employment: s
                .employment
                .map(|e| label(e.ja(), e.en()))
                .unwrap_or(if s.kind == PersonKind::Family {
                    ""
                } else {
                    "—"
                })
                .into(),
            collection: label(s.collection.ja(), s.collection.en()).into(),
            number: SharedString::from(number),
        }
    }
}

impl Model for PeopleModel {
    type Data = PersonRow;

    fn row_count(&self) -> usize {
        self.rows.borrow().len()
    }

    fn row_data(&self, row: usize) -> Option<PersonRow> {
        self.rows.borrow().get(row).map(|s| self.line(s))
    }

    fn model_tracker(&self) -> &dyn ModelTracker {
        &self.notify
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
