//! Users & PCs (F4, F5): the users with their roles, extra permissions, scopes and PCs; adding,
//! changing, disabling, unlocking, resetting and removing them; the registered PCs and
//! registering the PC the kiosk runs on. The engine checks every permission and the password
//! policy, and logs every change; this module shows its answers.

mod form;
mod rows;

use std::rc::Rc;

use kinko_domain::people::DepartmentId;
use kinko_vault::{PcInfo, UserInfo, VaultError};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::on;
use crate::app::Inner;
use crate::text::tr;
use crate::{AdminApi, AdminChoice, AppWindow, Kiosk, Screen};

/// What the screen holds while it is shown.
#[derive(Default)]
pub(crate) struct State {
    /// The users that can still log in or be changed (removed ones are left out).
    users: Vec<UserInfo>,
    pcs: Vec<PcInfo>,
    departments: Vec<(DepartmentId, String)>,
    /// The check boxes of the user form.
    scope_departments: Rc<VecModel<AdminChoice>>,
    pc_choices: Rc<VecModel<AdminChoice>>,
    grants: Rc<VecModel<AdminChoice>>,
}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<AdminApi>();
    on!(g, inner, on_show, |i| i.show_admin());
    on!(g, inner, on_show_tab, |i, tab| i.admin_tab(tab));
    on!(g, inner, on_select_user, |i, row| i.select_user(row));
    on!(g, inner, on_new_user, |i| i.new_user());
    on!(g, inner, on_role_changed, |i| i.role_changed());
    on!(g, inner, on_toggle_scope_department, |i, row, on| {
        toggle(&i.screens.admin.borrow().scope_departments, row, on)
    });
    on!(g, inner, on_toggle_pc, |i, row, on| toggle(
        &i.screens.admin.borrow().pc_choices,
        row,
        on
    ));
    on!(g, inner, on_toggle_grant, |i, row, on| toggle(
        &i.screens.admin.borrow().grants,
        row,
        on
    ));
    on!(g, inner, on_add_user, |i| i.add_user());
    on!(g, inner, on_save_user, |i| i.save_user());
    on!(g, inner, on_set_disabled, |i, disabled| i
        .set_user_disabled(disabled));
    on!(g, inner, on_unlock_user, |i| i.unlock_user());
    on!(g, inner, on_reset_user_password, |i| i
        .reset_user_password());
    on!(g, inner, on_remove_user, |i| i.remove_user());
    on!(g, inner, on_register_pc, |i| i.register_this_pc());
}

fn toggle(model: &VecModel<AdminChoice>, row: i32, on: bool) {
    use slint::Model;
    let Ok(row) = usize::try_from(row) else {
        return;
    };
    if let Some(mut c) = model.row_data(row) {
        c.on = on;
        model.set_row_data(row, c);
    }
}

impl Inner {
    pub(crate) fn show_admin(&self) {
        self.go(Screen::Users);
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        g.set_selected(-1);
        g.set_adding(false);
        g.set_notice(SharedString::new());
        if self.load_admin() {
            g.set_tab(g.get_tab().clamp(0, 1));
        }
    }

    fn admin_tab(&self, tab: i32) {
        let ui = self.ui();
        ui.global::<AdminApi>().set_tab(tab);
        // What the engine says now (another session may have changed something).
        self.load_admin();
    }

    /// Asks the engine for the users, the PCs and the departments; false if refused.
    fn load_admin(&self) -> bool {
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        let answer = self.with_session(|s| -> Result<_, VaultError> {
            Ok((s.users()?, s.pcs()?, s.departments()?))
        });
        let (users, pcs, departments) = match answer {
            Some(Ok(lists)) => lists,
            Some(Err(VaultError::SessionLocked)) => {
                self.show_locked();
                return false;
            }
            Some(Err(e)) => {
                self.forget_admin();
                g.set_allowed(false);
                g.set_denied(self.message(&e));
                return false;
            }
            None => return false,
        };
        g.set_allowed(true);
        g.set_denied(SharedString::new());
        let lang = self.lang();
        {
            let mut st = self.screens.admin.borrow_mut();
            st.users = users.into_iter().filter(|u| !u.removed).collect();
            st.pcs = pcs;
            st.departments = departments;
        }
        let st = self.screens.admin.borrow();
        let now = self.config.clock.now();
        let lookup = rows::Names::new(&st.departments, &st.pcs);
        let user_rows: Vec<_> = st
            .users
            .iter()
            .map(|u| rows::user_row(lang, u, &lookup, now))
            .collect();
        g.set_users(ModelRc::new(VecModel::from(user_rows)));
        let this_pc = self
            .with_session(|s| s.pc_name().map(str::to_owned))
            .flatten();
        let pc_rows: Vec<_> = st
            .pcs
            .iter()
            .map(|p| rows::pc_row(p, &lookup, this_pc.as_deref()))
            .collect();
        g.set_pcs(ModelRc::new(VecModel::from(pc_rows)));
        g.set_this_pc_name(this_pc.unwrap_or_default().into());
        let mut choices = vec![SharedString::from(tr(lang, "（なし）", "(none)"))];
        choices.extend(
            st.departments
                .iter()
                .map(|(_, n)| SharedString::from(n.as_str())),
        );
        g.set_department_choices(ModelRc::new(VecModel::from(choices)));
        g.set_role_choices(ModelRc::new(VecModel::from(rows::role_choices(lang))));
        true
    }

    pub(crate) fn forget_admin(&self) {
        *self.screens.admin.borrow_mut() = State::default();
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        g.set_users(ModelRc::default());
        g.set_pcs(ModelRc::default());
        g.set_selected(-1);
        g.set_adding(false);
        g.set_this_pc_name(SharedString::new());
        g.set_pc_name_input(SharedString::new());
        g.set_pc_error(SharedString::new());
        g.set_department_choices(ModelRc::default());
        g.set_scope_departments(ModelRc::default());
        g.set_pcs_choices(ModelRc::default());
        g.set_grants(ModelRc::default());
        g.set_form_login(SharedString::new());
        g.set_account_status(SharedString::new());
        g.set_notice(SharedString::new());
        g.set_confirm_remove(false);
        self.clear_admin_errors();
        self.clear_admin_passwords();
    }

    fn clear_admin_errors(&self) {
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        g.set_login_error(SharedString::new());
        g.set_password_error(SharedString::new());
        g.set_form_error(SharedString::new());
        g.set_reset_error(SharedString::new());
    }

    /// Passwords live in the UI's strings only as long as needed.
    fn clear_admin_passwords(&self) {
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        g.set_password(SharedString::new());
        g.set_password_again(SharedString::new());
        g.set_reset_password(SharedString::new());
        g.set_reset_again(SharedString::new());
    }

    // ---- PCs ----------------------------------------------------------------------------

    fn register_this_pc(&self) {
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        let name = g.get_pc_name_input();
        let department = {
            let st = self.screens.admin.borrow();
            department_at(&st.departments, g.get_pc_department_index())
        };
        match self.with_session(|s| s.register_this_pc(&name, department)) {
            Some(Ok(_)) => {
                g.set_pc_error(SharedString::new());
                g.set_pc_name_input(SharedString::new());
                let registered = self
                    .with_session(|s| s.pc_name().map(str::to_owned))
                    .flatten();
                ui.global::<Kiosk>()
                    .set_pc_name(registered.unwrap_or_default().into());
                self.load_admin();
            }
            Some(Err(VaultError::SessionLocked)) => self.show_locked(),
            Some(Err(e)) => g.set_pc_error(self.message(&e)),
            None => {}
        }
    }
}

/// The department of a combo box whose first choice is "none".
fn department_at(departments: &[(DepartmentId, String)], index: i32) -> Option<DepartmentId> {
    usize::try_from(index - 1)
        .ok()
        .and_then(|i| departments.get(i))
        .map(|(id, _)| *id)
}
