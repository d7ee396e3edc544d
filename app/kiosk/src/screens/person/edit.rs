//! Register an employee, a family member (of an employee) or a payee, or correct one.
//!
//! Every field is read with the domain's parsers (numbers, dates, names, kana, codes), whose
//! typed errors carry the plain-Japanese reason shown at the field; then the engine decides
//! (duplicates, scope, permission) and its refusals are placed at their fields too. Nothing is
//! written until everything is right, and an edit writes only what changed, in one
//! transaction.

use chrono::NaiveDate;
use kinko_domain::lang::{Lang, Localized};
use kinko_domain::number::{CorporateNumber, MyNumber};
use kinko_domain::people::{
    DepartmentId, DependantType, EmploymentStatus, PayeeKind, Person, PersonId, PersonKind,
    PersonalDetails, Role,
};
use kinko_domain::text::{self, Field, TextError};
use kinko_domain::wareki::{self, DateError};
use kinko_vault::{NewPerson, Permission, PersonNumber, Session, VaultError, VaultResult};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use zeroize::Zeroizing;

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
    mode: Mode,
    /// The person as the engine gave them, so that only what changed is written (dropped on
    /// lock: the form is then filled from the engine again).
    before: Option<Person>,
    departments: Vec<(DepartmentId, String)>,
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

/// The form's fields as typed.
struct Typed {
    code: String,
    name: String,
    kana: String,
    birth: String,
    address: String,
    hire: String,
    retire: String,
    relation: String,
    number: Zeroizing<String>,
    department: i32,
    status: i32,
    dependant: i32,
    payee_kind: i32,
}

impl Typed {
    fn read(g: &PersonApi<'_>) -> Typed {
        Typed {
            code: g.get_edit_code().into(),
            name: g.get_edit_name().into(),
            kana: g.get_edit_kana().into(),
            birth: g.get_edit_birth().into(),
            address: g.get_edit_address().into(),
            hire: g.get_edit_hire().into(),
            retire: g.get_edit_retire().into(),
            relation: g.get_edit_relation().into(),
            number: Zeroizing::new(g.get_edit_number().into()),
            department: g.get_edit_department(),
            status: g.get_edit_status(),
            dependant: g.get_edit_dependant(),
            payee_kind: g.get_edit_payee_kind(),
        }
    }
}

/// The reason, if any, at each field.
#[derive(Default)]
struct Errors {
    code: String,
    name: String,
    kana: String,
    birth: String,
    address: String,
    hire: String,
    retire: String,
    relation: String,
    number: String,
    form: String,
}

impl Errors {
    fn any(&self) -> bool {
        [
            &self.code,
            &self.name,
            &self.kana,
            &self.birth,
            &self.address,
            &self.hire,
            &self.retire,
            &self.relation,
            &self.number,
            &self.form,
        ]
        .iter()
        .any(|e| !e.is_empty())
    }

    /// Puts an engine refusal at the field it is about.
    fn place(&mut self, e: &VaultError, lang: Lang) {
        let msg = e.message(lang);
        let slot = match e {
            VaultError::Number(_) | VaultError::DuplicateNumber | VaultError::WrongNumberKind => {
                &mut self.number
            }
            VaultError::DuplicateCode(_) => &mut self.code,
            VaultError::Text(t) => match text_field(t) {
                Field::Name => &mut self.name,
                Field::Kana => &mut self.kana,
                Field::Code => &mut self.code,
                Field::Relation => &mut self.relation,
                Field::Address => &mut self.address,
                Field::Department => &mut self.form,
            },
            _ => &mut self.form,
        };
        *slot = msg;
    }

    fn show(&self, g: &PersonApi<'_>) {
        g.set_code_error(self.code.as_str().into());
        g.set_name_error(self.name.as_str().into());
        g.set_kana_error(self.kana.as_str().into());
        g.set_birth_error(self.birth.as_str().into());
        g.set_address_error(self.address.as_str().into());
        g.set_hire_error(self.hire.as_str().into());
        g.set_retire_error(self.retire.as_str().into());
        g.set_relation_error(self.relation.as_str().into());
        g.set_number_error(self.number.as_str().into());
        g.set_form_error(self.form.as_str().into());
    }
}

fn text_field(e: &TextError) -> Field {
    match e {
        TextError::Empty { field }
        | TextError::TooLong { field, .. }
        | TextError::InvalidCharacter { field, .. } => *field,
    }
}

/// Keeps a value, or writes the reason it is wrong into `slot`.
fn keep<T, E: Localized>(r: Result<T, E>, slot: &mut String, lang: Lang) -> Option<T> {
    r.map_err(|e| *slot = e.message(lang)).ok()
}

/// An optional date: empty is "not known".
fn optional_date(s: &str) -> Result<Option<NaiveDate>, DateError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        wareki::parse_date(s).map(Some)
    }
}

fn optional_address(s: &str) -> Result<Option<String>, TextError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        text::normalize_name(s, Field::Address).map(Some)
    }
}

fn pick<T: Copy>(all: &[T], index: i32) -> Option<T> {
    usize::try_from(index)
        .ok()
        .and_then(|i| all.get(i))
        .copied()
}

/// A person as the form says, checked field by field.
struct Checked {
    role: Role,
    details: PersonalDetails,
    number: Option<PersonNumber>,
}

fn check(t: &Typed, form: &Form, lang: Lang, e: &mut Errors) -> Option<Checked> {
    let kind = form_kind(form);
    let name = keep(
        text::normalize_name(&t.name, Field::Name),
        &mut e.name,
        lang,
    );
    let kana = keep(text::normalize_kana(&t.kana), &mut e.kana, lang);
    let address = keep(optional_address(&t.address), &mut e.address, lang);
    let birth = keep(optional_date(&t.birth), &mut e.birth, lang);
    let role = match kind {
        PersonKind::Employee => {
            let code = keep(text::normalize_code(&t.code), &mut e.code, lang);
            let hire = keep(optional_date(&t.hire), &mut e.hire, lang);
            let retire = keep(optional_date(&t.retire), &mut e.retire, lang);
            if let (Some(Some(h)), Some(Some(r))) = (hire, retire)
                && r < h
            {
                e.retire = tr(
                    lang,
                    "退職日が入社日より前になっています",
                    "The retirement date is before the hiring date",
                );
            }
            let department = usize::try_from(t.department - 1)
                .ok()
                .and_then(|i| form.departments.get(i))
                .map(|(id, _)| *id);
            let status = pick(EmploymentStatus::ALL, t.status).unwrap_or(EmploymentStatus::Active);
            (|| {
                Some(Role::Employee {
                    code: code?,
                    department,
                    hire_date: hire?,
                    retire_date: retire?,
                    status,
                })
            })()
        }
        PersonKind::Family => {
            let relation = keep(
                text::normalize_name(&t.relation, Field::Relation),
                &mut e.relation,
                lang,
            );
            let dependant = pick(DependantType::ALL, t.dependant).unwrap_or(DependantType::None);
            (|| {
                Some(Role::Family {
                    employee: family_employee(form)?,
                    relation: relation?,
                    dependant,
                })
            })()
        }
        PersonKind::Payee => {
            let code = keep(text::normalize_code(&t.code), &mut e.code, lang);
            let kind = match &form.before {
                Some(Person {
                    role: Role::Payee { kind, .. },
                    ..
                }) => *kind,
                _ => pick(PayeeKind::ALL, t.payee_kind).unwrap_or(PayeeKind::Individual),
            };
            code.map(|code| Role::Payee { code, kind })
        }
    };
    let corporate = matches!(
        role,
        Some(Role::Payee {
            kind: PayeeKind::Corporation,
            ..
        })
    );
    let number = keep(parse_number(&t.number, corporate), &mut e.number, lang);
    if e.any() {
        return None;
    }
    Some(Checked {
        role: role?,
        details: PersonalDetails {
            name: name?,
            kana: kana?,
            // A corporation has no birth date.
            birth_date: if corporate { None } else { birth? },
            address: address?,
        },
        number: number?,
    })
}

fn parse_number(
    typed: &str,
    corporate: bool,
) -> Result<Option<PersonNumber>, kinko_domain::NumberError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(if corporate {
        PersonNumber::Corporate(CorporateNumber::parse(typed)?)
    } else {
        PersonNumber::Individual(MyNumber::parse(typed)?)
    }))
}

fn form_kind(form: &Form) -> PersonKind {
    match (form.mode, &form.before) {
        (Mode::NewEmployee, _) => PersonKind::Employee,
        (Mode::NewPayee, _) => PersonKind::Payee,
        (Mode::NewFamily { .. }, _) => PersonKind::Family,
        (Mode::Edit(_), Some(p)) => p.role.kind(),
        (Mode::Edit(_), None) => PersonKind::Employee,
    }
}

fn family_employee(form: &Form) -> Option<PersonId> {
    match (form.mode, &form.before) {
        (Mode::NewFamily { employee }, _) => Some(employee),
        (
            _,
            Some(Person {
                role: Role::Family { employee, .. },
                ..
            }),
        ) => Some(*employee),
        _ => None,
    }
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
