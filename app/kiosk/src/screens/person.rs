//! The person screen: one person's fields, their family (or their employee), the masked
//! number with a reveal that masks itself again after [`REVEAL_FOR`], and the collection
//! status. Register / edit is in [`edit`].
//!
//! Everything comes from the engine (`Session::person`, `family_of`, `reveal_number`), which
//! checks permission and scope and writes the log; the permissions are mirrored here only to
//! grey out buttons.

mod check;
mod edit;
mod show;

use std::rc::Rc;
use std::time::Duration;

use kinko_domain::people::{CollectionStatus, PersonId, PersonKind, Role};
use kinko_vault::{Permission, PersonView, VaultError, VaultResult};
use slint::{ComponentHandle, ModelRc, SharedString, Timer, TimerMode, VecModel};

use super::on;
use crate::app::Inner;
use crate::text::tr;
use crate::{AppWindow, PersonApi, Screen};

/// How long a revealed number stays on screen.
pub(crate) const REVEAL_FOR: Duration = Duration::from_secs(30);

#[derive(Default)]
pub(crate) struct State {
    /// The person shown: an internal ID only, kept over a lock so that unlocking can ask the
    /// engine for them again.
    current: Option<PersonId>,
    collection: Option<CollectionStatus>,
    /// The masked number, to put back when the full one is hidden.
    masked: String,
    mask_timer: Timer,
    form: Option<edit::Form>,
}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<PersonApi>();
    on!(g, inner, on_show, |i| i.show_person());
    on!(g, inner, on_open, |i, id| i
        .open_person(PersonId(i64::from(id))));
    on!(g, inner, on_back, |i| i.show_people());
    on!(g, inner, on_reveal, |i| i.reveal_number());
    on!(g, inner, on_mask, |i| i.mask_number());
    on!(g, inner, on_set_collection, |i, index| i
        .set_collection(index));
    on!(g, inner, on_edit, |i| i.edit_person());
    on!(g, inner, on_add_family, |i| i.add_family());
    on!(g, inner, on_new_person, |i, kind| i.new_person(kind));
    on!(g, inner, on_save, |i| i.save_person());
    on!(g, inner, on_cancel, |i| i.cancel_edit());
}

/// What the detail screen shows, as read from the engine.
struct Loaded {
    view: PersonView,
    family: Vec<PersonView>,
    employee: Option<PersonView>,
    departments: Vec<(kinko_domain::people::DepartmentId, String)>,
    may_reveal: bool,
    may_update: bool,
    may_register: bool,
    may_delete: bool,
}

fn load(s: &mut kinko_vault::Session, id: PersonId) -> VaultResult<Loaded> {
    let view = s.person(id)?;
    let family = match view.person.role.kind() {
        PersonKind::Employee => s.family_of(id)?,
        _ => Vec::new(),
    };
    let employee = match &view.person.role {
        Role::Family { employee, .. } => Some(s.person(*employee)?),
        _ => None,
    };
    let access = s.access();
    Ok(Loaded {
        may_reveal: access.allows(Permission::RevealNumber),
        may_update: access.allows(Permission::Update),
        may_register: access.allows(Permission::Register),
        may_delete: access.allows(Permission::Delete),
        departments: s.departments()?,
        view,
        family,
        employee,
    })
}

impl Inner {
    /// The person the person screen shows (for the deletion panel).
    pub(crate) fn current_person(&self) -> Option<PersonId> {
        self.screens.person.borrow().current
    }

    /// Forgets the person shown (they were deleted).
    pub(crate) fn forget_current_person(&self) {
        self.screens.person.borrow_mut().current = None;
    }

    /// Shows the person last opened, or the list when there is none.
    pub(crate) fn show_person(&self) {
        let current = self.screens.person.borrow().current;
        match current {
            Some(id) => self.open_person(id),
            None => self.show_people(),
        }
    }

    /// Asks the engine for one person and shows them (masked).
    pub(crate) fn open_person(&self, id: PersonId) {
        self.mask_number();
        self.close_delete();
        match self.with_session(|s| load(s, id)) {
            Some(Ok(loaded)) => {
                {
                    let mut state = self.screens.person.borrow_mut();
                    state.current = Some(id);
                    state.collection = Some(loaded.view.person.collection);
                    state.masked = loaded.view.masked_number.clone().unwrap_or_default();
                }
                self.fill_detail(&loaded);
                self.go(Screen::Person);
            }
            Some(Err(e)) => self.failed(e),
            None => {}
        }
    }

    fn fill_detail(&self, l: &Loaded) {
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        let lang = self.lang();
        let p = &l.view.person;
        g.set_kind(show::kind(lang, p).into());
        g.set_name(p.details.name.as_str().into());
        g.set_kana(p.details.kana.as_str().into());
        g.set_fields(ModelRc::new(VecModel::from(show::fields(
            lang,
            p,
            &l.departments,
        ))));
        g.set_is_employee(p.role.kind() == PersonKind::Employee);
        let family: Vec<_> = l.family.iter().map(|f| show::family_row(lang, f)).collect();
        g.set_family(ModelRc::new(VecModel::from(family)));
        match &l.employee {
            Some(e) => {
                g.set_employee_id(show::ui_id(e.id));
                g.set_employee_name(e.person.details.name.as_str().into());
            }
            None => {
                g.set_employee_id(0);
                g.set_employee_name(SharedString::new());
            }
        }
        g.set_has_number(l.view.masked_number.is_some());
        g.set_number(l.view.masked_number.clone().unwrap_or_default().into());
        g.set_revealed(false);
        g.set_reveal_error(SharedString::new());
        g.set_may_reveal(l.may_reveal);
        g.set_may_update(l.may_update);
        g.set_may_register(l.may_register);
        ui.global::<crate::DeleteApi>().set_allowed(l.may_delete);
        let choices: Vec<SharedString> = CollectionStatus::ALL
            .iter()
            .map(|c| tr(lang, c.ja(), c.en()).into())
            .collect();
        g.set_collection_choices(ModelRc::new(VecModel::from(choices)));
        g.set_collection_index(show::collection_index(p.collection));
        g.set_collection_error(SharedString::new());
    }

    /// Asks the engine for the number in full (it checks the permission and logs the
    /// reveal), shows it, and hides it again after [`REVEAL_FOR`].
    fn reveal_number(self: &Rc<Self>) {
        let current = self.screens.person.borrow().current;
        let Some(id) = current else {
            return;
        };
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        match self.with_session(|s| s.reveal_number(id)) {
            Some(Ok(Some(number))) => {
                let shown = show::grouped(number.expose_digits());
                g.set_number(shown.as_str().into());
                g.set_revealed(true);
                g.set_reveal_error(SharedString::new());
                let weak = Rc::downgrade(self);
                self.screens.person.borrow().mask_timer.start(
                    TimerMode::SingleShot,
                    REVEAL_FOR,
                    move || {
                        if let Some(inner) = weak.upgrade() {
                            inner.mask_number();
                        }
                    },
                );
            }
            Some(Ok(None)) => g.set_reveal_error(
                tr(
                    self.lang(),
                    "この人には番号が登録されていません",
                    "No number is registered for this person",
                )
                .into(),
            ),
            Some(Err(VaultError::SessionLocked)) => self.show_locked(),
            Some(Err(e)) => g.set_reveal_error(self.message(&e)),
            None => {}
        }
    }

    /// Hides a revealed number: the full number leaves the screen's property.
    pub(crate) fn mask_number(&self) {
        let state = self.screens.person.borrow();
        state.mask_timer.stop();
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        if g.get_revealed() {
            g.set_number(state.masked.as_str().into());
            g.set_revealed(false);
        }
    }

    fn set_collection(&self, index: i32) {
        let (Some(id), before) = ({
            let state = self.screens.person.borrow();
            (state.current, state.collection)
        }) else {
            return;
        };
        let Some(status) = usize::try_from(index)
            .ok()
            .and_then(|i| CollectionStatus::ALL.get(i))
            .copied()
        else {
            return;
        };
        if before == Some(status) {
            return;
        }
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        match self.with_session(|s| s.write(|w| w.set_collection_status(id, status))) {
            Some(Ok(())) => {
                self.screens.person.borrow_mut().collection = Some(status);
                g.set_collection_error(SharedString::new());
            }
            Some(Err(VaultError::SessionLocked)) => self.show_locked(),
            Some(Err(e)) => {
                g.set_collection_error(self.message(&e));
                if let Some(b) = before {
                    g.set_collection_index(show::collection_index(b));
                }
            }
            None => {}
        }
    }

    /// Called when the screen changes: a revealed number never outlives its screen, and
    /// nothing of the person stays once the user has left both person screens.
    pub(crate) fn leaving_person(&self, next: Screen) {
        if next != Screen::Person {
            self.mask_number();
            self.close_delete();
        }
        if next != Screen::Person && next != Screen::PersonEdit {
            self.forget_person();
            let mut state = self.screens.person.borrow_mut();
            state.current = None;
            state.form = None;
        }
    }

    /// Drops everything personal the person screens hold (lock, log-out). The internal IDs
    /// stay, so that unlocking can ask the engine again.
    pub(crate) fn forget_person(&self) {
        let mut state = self.screens.person.borrow_mut();
        state.mask_timer.stop();
        state.masked.clear();
        state.collection = None;
        if let Some(form) = state.form.as_mut() {
            form.forget();
        }
        drop(state);
        let ui = self.ui();
        let g = ui.global::<PersonApi>();
        g.set_number(SharedString::new());
        g.set_revealed(false);
        g.set_has_number(false);
        g.set_name(SharedString::new());
        g.set_kana(SharedString::new());
        g.set_kind(SharedString::new());
        g.set_fields(ModelRc::default());
        g.set_family(ModelRc::default());
        g.set_employee_id(0);
        g.set_employee_name(SharedString::new());
        g.set_reveal_error(SharedString::new());
        g.set_collection_error(SharedString::new());
        self.clear_form();
    }

    /// After unlocking: the engine is asked again (the number shows masked).
    pub(crate) fn reshow_person(&self, screen: Screen) {
        let (current, editing) = {
            let state = self.screens.person.borrow();
            (state.current, state.form.is_some())
        };
        match screen {
            Screen::PersonEdit if editing => self.restart_form(),
            _ => match current {
                Some(id) => self.open_person(id),
                None => self.show_people(),
            },
        }
    }
}
