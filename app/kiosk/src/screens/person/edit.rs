//! Register an employee, a family member (of an employee) or a payee, or correct one.
//!
//! Every field is read with the domain's parsers (numbers, dates, names, kana, codes), whose
//! typed errors carry the plain-Japanese reason shown at the field; then the engine decides
//! (duplicates, scope, permission) and its refusals are placed at their fields too. Nothing is
//! written until everything is right, and an edit writes only what changed, in one
//! transaction.

use kinko_domain::lang::Lang;
use kinko_domain::people::{
    DepartmentId, DependantType, EmploymentStatus, PayeeKind, Person, PersonId, Role,
};
use kinko_vault::{NewPerson, Permission, Session, VaultError, VaultResult};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::check::{Checked, Errors, Typed, check};
use super::show;
use crate::PersonApi;
use crate::Screen;
use crate::app::Inner;
use crate::text::tr;

/// What the form is for. Holds internal IDs only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    NewEmployee,
    NewPayee,
    NewFamily { employee: PersonId },
    Edit(PersonId),
}

pub(crate) struct Form {
    pub(super) mode: Mode,
    /// The person as the engine gave them, so that only what changed is written (dropped on
    /// lock: the form is then filled from the engine again).
    pub(super) before: Option<Person>,
    pub(super) departments: Vec<(DepartmentId, String)>,
}

impl Form {
    pub(super) fn forget(&mut self) {
        self.before = None;
        self.departments.clear();
    }
}

/// What the engine gives to start a form.
struct Start {
    departments: Vec<(DepartmentId, String)>,
    /// The person being corrected, with their masked number.
    before: Option<(Person, Option<String>)>,
    /// A new family member's employee.
    employee_name: Option<String>,
}

fn start(s: &mut Session, mode: Mode) -> VaultResult<Start> {
    let needed = match mode {
        Mode::Edit(_) => Permission::Update,
        _ => Permission::Register,
    };
    // Mirrors the engine's answer before anything is typed; the engine checks again on save.
    if !s.access().allows(needed) {
        return Err(VaultError::Denied);
    }
    let (before, employee_name) = match mode {
        Mode::Edit(id) => {
            let v = s.person(id)?;
            (Some((v.person, v.masked_number)), None)
        }
        Mode::NewFamily { employee } => (None, Some(s.person(employee)?.person.details.name)),
        Mode::NewEmployee | Mode::NewPayee => (None, None),
    };
    Ok(Start {
        departments: s.departments()?,
        before,
        employee_name,
    })
}

/// Writes the checked person: a new one with their number in one transaction, or, for a
/// correction, only what changed (details, number, or both, in one transaction).
fn commit(s: &mut Session, form: &Form, c: Checked) -> VaultResult<PersonId> {
    match form.mode {
        Mode::NewEmployee | Mode::NewPayee | Mode::NewFamily { .. } => s.add_person(NewPerson {
            role: c.role,
            details: c.details,
            number: c.number,
        }),
        Mode::Edit(id) => {
            let before = form
                .before
                .as_ref()
                .ok_or(VaultError::UnknownPerson(id.0))?;
            let after = Person {
                role: c.role,
                details: c.details,
                collection: before.collection,
            };
            let changed = after != *before;
            if !changed && c.number.is_none() {
                return Ok(id);
            }
            s.write(|w| {
                if changed {
                    w.update_person(id, after)?;
                }
                if let Some(n) = &c.number {
                    w.set_number(id, n)?;
                }
                Ok(id)
            })
        }
    }
}

fn choices(items: impl Iterator<Item = String>) -> ModelRc<SharedString> {
    ModelRc::new(VecModel::from(
        items.map(SharedString::from).collect::<Vec<_>>(),
    ))
}

impl Inner {
    /// A new employee (0) or payee (2) from the people list.
    pub(crate) fn new_person(&self, kind: i32) {
        let mode = if kind == 2 {
            Mode::NewPayee
        } else {
            Mode::NewEmployee
        };
        self.start_form(mode);
    }

    /// A new family member of the employee shown.
    pub(crate) fn add_family(&self) {
        let current = self.screens.person.borrow().current;
        if let Some(employee) = current {
            self.start_form(Mode::NewFamily { employee });
        }
    }

    /// Corrects the person shown.
    pub(crate) fn edit_person(&self) {
        let current = self.screens.person.borrow().current;
        if let Some(id) = current {
            self.start_form(Mode::Edit(id));
        }
    }

    /// After unlocking: the form again, filled from the engine (what was typed is gone).
    pub(crate) fn restart_form(&self) {
        let mode = self.screens.person.borrow().form.as_ref().map(|f| f.mode);
        match mode {
            Some(mode) => self.start_form(mode),
            None => self.show_people(),
        }
    }

    fn start_form(&self, mode: Mode) {
        let started = match self.with_session(|s| start(s, mode)) {
            Some(Ok(s)) => s,
            Some(Err(e)) => return self.failed(e),
            None => return,
        };
        self.clear_form();
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        let lang = self.lang();
        let t = |ja: &str, en: &str| tr(lang, ja, en);
        let mut none = vec![t("（なし）", "(none)")];
        none.extend(started.departments.iter().map(|(_, n)| n.clone()));
        g.set_department_choices(choices(none.into_iter()));
        g.set_status_choices(choices(
            EmploymentStatus::ALL
                .iter()
                .map(|s| tr(lang, s.ja(), s.en())),
        ));
        g.set_dependant_choices(choices(
            DependantType::ALL.iter().map(|s| tr(lang, s.ja(), s.en())),
        ));
        g.set_payee_kind_choices(choices(
            PayeeKind::ALL.iter().map(|s| tr(lang, s.ja(), s.en())),
        ));
        g.set_form_new(!matches!(mode, Mode::Edit(_)));
        let hint = t(
            "ハイフン・空白・全角数字のままでも入力できます。まだ回収していなければ空欄のままにしてください。",
            "Hyphens, spaces and full-width digits are fine. Leave it empty if the number has not been collected yet.",
        );
        g.set_number_hint(hint.into());
        let (kind, title) = match mode {
            Mode::NewEmployee => (0, t("社員の登録", "Register an employee")),
            Mode::NewPayee => (2, t("支払先の登録", "Register a payee")),
            Mode::NewFamily { .. } => (1, t("家族の登録", "Register a family member")),
            Mode::Edit(_) => (0, String::new()),
        };
        g.set_form_kind(kind);
        g.set_form_title(title.into());
        g.set_form_employee(started.employee_name.unwrap_or_default().into());
        let mut before = None;
        if let Some((person, masked)) = started.before {
            self.fill_form(&person, masked.as_deref(), &started.departments);
            before = Some(person);
        }
        self.screens.person.borrow_mut().form = Some(Form {
            mode,
            before,
            departments: started.departments,
        });
        self.go(Screen::PersonEdit);
    }

    /// Puts a person's current values into the form for correcting.
    fn fill_form(&self, p: &Person, masked: Option<&str>, departments: &[(DepartmentId, String)]) {
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        let lang = self.lang();
        let index = |i: Option<usize>| i.and_then(|i| i32::try_from(i).ok()).unwrap_or(0);
        g.set_form_title(
            match lang {
                Lang::Ja => format!("登録内容の修正（{}）", p.details.name),
                Lang::En => format!("Edit {}", p.details.name),
            }
            .into(),
        );
        g.set_edit_name(p.details.name.as_str().into());
        g.set_edit_kana(p.details.kana.as_str().into());
        g.set_edit_birth(show::date_input(p.details.birth_date).into());
        g.set_edit_address(p.details.address.clone().unwrap_or_default().into());
        match &p.role {
            Role::Employee {
                code,
                department,
                hire_date,
                retire_date,
                status,
            } => {
                g.set_form_kind(0);
                g.set_edit_code(code.as_str().into());
                let d = departments
                    .iter()
                    .position(|(id, _)| Some(*id) == *department);
                g.set_edit_department(d.map_or(0, |i| index(Some(i + 1))));
                g.set_edit_hire(show::date_input(*hire_date).into());
                g.set_edit_retire(show::date_input(*retire_date).into());
                g.set_edit_status(index(
                    EmploymentStatus::ALL.iter().position(|s| s == status),
                ));
            }
            Role::Family {
                relation,
                dependant,
                ..
            } => {
                g.set_form_kind(1);
                g.set_edit_relation(relation.as_str().into());
                g.set_edit_dependant(index(
                    DependantType::ALL.iter().position(|d| d == dependant),
                ));
            }
            Role::Payee { code, kind } => {
                g.set_form_kind(2);
                g.set_edit_code(code.as_str().into());
                g.set_edit_payee_kind(index(PayeeKind::ALL.iter().position(|k| k == kind)));
            }
        }
        if let Some(masked) = masked {
            g.set_number_hint(
                match lang {
                    Lang::Ja => format!(
                        "登録済み（{masked}）。番号を変更するときだけ入力してください。空欄なら今の番号のままです。"
                    ),
                    Lang::En => format!(
                        "On file ({masked}). Enter a number only to change it; left empty, the current one stays."
                    ),
                }
                .into(),
            );
        }
    }

    /// Checks every field, asks the engine to save, and shows each reason at its field.
    pub(crate) fn save_person(&self) {
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        let lang = self.lang();
        let typed = Typed::read(&g);
        let mut errors = Errors::default();
        let saved = {
            let state = self.screens.person.borrow();
            let Some(form) = state.form.as_ref() else {
                return;
            };
            match check(&typed, form, lang, &mut errors) {
                Some(checked) => self.with_session(|s| commit(s, form, checked)),
                None => None,
            }
        };
        match saved {
            Some(Ok(id)) => {
                self.screens.person.borrow_mut().form = None;
                self.clear_form();
                self.open_person(id);
                return;
            }
            Some(Err(VaultError::SessionLocked)) => return self.show_locked(),
            Some(Err(e)) => errors.place(&e, lang),
            None => {}
        }
        errors.show(&g);
    }

    pub(crate) fn cancel_edit(&self) {
        let mode = self.screens.person.borrow_mut().form.take().map(|f| f.mode);
        self.clear_form();
        match mode {
            Some(Mode::Edit(id) | Mode::NewFamily { employee: id }) => self.open_person(id),
            _ => self.show_people(),
        }
    }

    /// Empties every field and message of the form (the typed number included).
    pub(crate) fn clear_form(&self) {
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        let empty = SharedString::new;
        g.set_edit_code(empty());
        g.set_edit_name(empty());
        g.set_edit_kana(empty());
        g.set_edit_birth(empty());
        g.set_edit_address(empty());
        g.set_edit_hire(empty());
        g.set_edit_retire(empty());
        g.set_edit_relation(empty());
        g.set_edit_number(empty());
        g.set_edit_department(0);
        g.set_edit_status(0);
        g.set_edit_dependant(0);
        g.set_edit_payee_kind(0);
        g.set_form_employee(empty());
        Errors::default().show(&g);
    }
}
