//! The user form: filled from a user (or blank for a new one), read back into the engine's
//! `NewUser`, and the account actions on the selected user.

use std::rc::Rc;

use kinko_domain::lang::Lang;
use kinko_vault::{NewUser, Permission, Scope, UserInfo, UserRole, VaultError};
use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};

use super::rows::{self, permission_label};
use super::{State, department_at};
use crate::app::Inner;
use crate::text::tr;
use crate::{AdminApi, AdminChoice};

/// Check boxes for `labels`, ticked where `on` says.
fn choices(labels: impl Iterator<Item = (String, bool)>) -> Rc<VecModel<AdminChoice>> {
    Rc::new(VecModel::from(
        labels
            .map(|(label, on)| AdminChoice {
                label: label.into(),
                on,
                fixed: false,
            })
            .collect::<Vec<_>>(),
    ))
}

fn ticked(model: &VecModel<AdminChoice>) -> impl Iterator<Item = usize> + '_ {
    model
        .iter()
        .enumerate()
        .filter(|(_, c)| c.on)
        .map(|(i, _)| i)
}

impl Inner {
    pub(super) fn select_user(&self, row: i32) {
        let user = {
            let st = self.screens.admin.borrow();
            usize::try_from(row)
                .ok()
                .and_then(|i| st.users.get(i).cloned())
        };
        let Some(user) = user else { return };
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        g.set_adding(false);
        g.set_selected(row);
        g.set_notice(SharedString::new());
        g.set_form_title(
            match self.lang() {
                Lang::Ja => format!("利用者「{}」", user.login),
                Lang::En => format!("User \"{}\"", user.login),
            }
            .into(),
        );
        self.fill_user_form(Some(&user));
    }

    pub(super) fn new_user(&self) {
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        g.set_adding(true);
        g.set_selected(-1);
        g.set_notice(SharedString::new());
        g.set_form_login(SharedString::new());
        g.set_form_title(tr(self.lang(), "新しい利用者", "New user").into());
        self.fill_user_form(None);
    }

    /// Puts `user` (or a blank clerk who sees nobody yet) into the form.
    fn fill_user_form(&self, user: Option<&UserInfo>) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        self.clear_admin_errors();
        self.clear_admin_passwords();
        g.set_confirm_remove(false);
        let role = user.map_or(UserRole::Clerk, |u| u.role);
        let scope = user.map(|u| u.scope.clone()).unwrap_or_default();
        let mut st = self.screens.admin.borrow_mut();
        let State {
            departments,
            pcs,
            scope_departments,
            pc_choices,
            grants,
            ..
        } = &mut *st;
        g.set_role_index(
            UserRole::ALL
                .iter()
                .position(|r| *r == role)
                .unwrap_or_default() as i32,
        );
        g.set_department_index(
            user.and_then(|u| u.department)
                .and_then(|d| departments.iter().position(|(id, _)| *id == d))
                .map_or(0, |i| i as i32 + 1),
        );
        g.set_scope_all(scope.all);
        g.set_scope_payees(scope.payees);
        *scope_departments = choices(
            departments
                .iter()
                .map(|(id, name)| (name.clone(), scope.departments.contains(id))),
        );
        *pc_choices = choices(
            pcs.iter()
                .map(|p| (p.name.clone(), user.is_some_and(|u| u.pcs.contains(&p.id)))),
        );
        *grants = choices(Permission::ALL.iter().map(|p| {
            (
                permission_label(lang, *p),
                user.is_some_and(|u| u.grants.contains(p)),
            )
        }));
        mark_role_permissions(grants, role);
        g.set_scope_departments(ModelRc::from(scope_departments.clone()));
        g.set_pcs_choices(ModelRc::from(pc_choices.clone()));
        g.set_grants(ModelRc::from(grants.clone()));
        let now = self.config.clock.now();
        g.set_account_status(
            user.map(|u| rows::status_text(lang, u, now))
                .unwrap_or_default()
                .into(),
        );
        g.set_selected_disabled(user.is_some_and(|u| u.disabled));
        g.set_selected_locked(user.is_some_and(|u| rows::locked_until(u, now).is_some()));
    }

    /// What the form says, as the engine takes it. Codes and groups, which this screen does
    /// not edit, are kept as they are.
    fn read_form(&self, login: String, before: Option<&UserInfo>) -> NewUser {
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        let st = self.screens.admin.borrow();
        let role = role_at(g.get_role_index());
        let kept = before.map(|u| u.scope.clone()).unwrap_or_default();
        let scope = Scope {
            all: g.get_scope_all(),
            payees: g.get_scope_payees(),
            departments: ticked(&st.scope_departments)
                .filter_map(|i| st.departments.get(i).map(|(id, _)| *id))
                .collect(),
            codes: kept.codes,
            code_ranges: kept.code_ranges,
        };
        NewUser {
            login,
            role,
            department: department_at(&st.departments, g.get_department_index()),
            grants: ticked(&st.grants)
                .filter_map(|i| Permission::ALL.get(i).copied())
                .filter(|p| !role.permissions().contains(p))
                .collect(),
            scope,
            pcs: ticked(&st.pc_choices)
                .filter_map(|i| st.pcs.get(i).map(|p| p.id))
                .collect(),
            groups: before.map(|u| u.groups.clone()).unwrap_or_default(),
        }
    }

    /// The role in the form changed: its permissions are shown as given.
    pub(super) fn role_changed(&self) {
        let ui = self.ui();
        let role = role_at(ui.global::<AdminApi>().get_role_index());
        mark_role_permissions(&self.screens.admin.borrow().grants, role);
    }

    pub(super) fn add_user(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        self.clear_admin_errors();
        let (pw, again) = (g.get_password(), g.get_password_again());
        if pw != again {
            g.set_password_error(differ(lang).into());
            return;
        }
        let new = self.read_form(g.get_form_login().trim().to_owned(), None);
        match self.with_session(|s| s.add_user(new, pw.as_bytes())) {
            Some(Ok(_)) => {
                let login = g.get_form_login().trim().to_ascii_lowercase();
                self.clear_admin_passwords();
                self.after_change(&login, match lang {
                    Lang::Ja => format!(
                        "「{login}」を追加しました。初回ログインのとき、本人にパスワードを変更してもらいます。"
                    ),
                    Lang::En => format!(
                        "\"{login}\" was added. They will be asked to change the password at first log-in."
                    ),
                });
            }
            Some(Err(e @ (VaultError::WeakPassword(_) | VaultError::EmptyPassword))) => {
                g.set_password_error(self.message(&e));
            }
            Some(Err(e @ (VaultError::BadLogin(_) | VaultError::DuplicateLogin(_)))) => {
                g.set_login_error(self.message(&e));
            }
            Some(Err(e)) => self.admin_failed(e),
            None => {}
        }
    }

    pub(super) fn save_user(&self) {
        let Some(user) = self.selected_user() else {
            return;
        };
        self.clear_admin_errors();
        let update = self.read_form(user.login.clone(), Some(&user));
        let result = self.with_session(|s| s.update_user(&user.login, update));
        self.answered(result, &user.login, "変更を保存しました。", "Saved.");
    }

    pub(super) fn set_user_disabled(&self, disabled: bool) {
        let Some(user) = self.selected_user() else {
            return;
        };
        self.clear_admin_errors();
        let result = self.with_session(|s| s.set_user_disabled(&user.login, disabled));
        let (ja, en) = if disabled {
            (
                "無効にしました。この利用者はログインできません。",
                "Disabled: this user cannot log in.",
            )
        } else {
            ("有効にしました。", "Enabled.")
        };
        self.answered(result, &user.login, ja, en);
    }

    pub(super) fn unlock_user(&self) {
        let Some(user) = self.selected_user() else {
            return;
        };
        self.clear_admin_errors();
        let result = self.with_session(|s| s.unlock_user(&user.login));
        self.answered(
            result,
            &user.login,
            "ロックを解除しました。ログインできます。",
            "Unlocked: the user can log in again.",
        );
    }

    pub(super) fn reset_user_password(&self) {
        let Some(user) = self.selected_user() else {
            return;
        };
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<AdminApi>();
        self.clear_admin_errors();
        let (pw, again) = (g.get_reset_password(), g.get_reset_again());
        if pw != again {
            g.set_reset_error(differ(lang).into());
            return;
        }
        match self.with_session(|s| s.reset_password(&user.login, pw.as_bytes())) {
            Some(Ok(())) => {
                self.clear_admin_passwords();
                self.after_change(
                    &user.login,
                    tr(
                        lang,
                        "パスワードを再設定しました。次のログインで本人が変更します。",
                        "The password was reset; the user changes it at the next log-in.",
                    ),
                );
            }
            Some(Err(e @ (VaultError::WeakPassword(_) | VaultError::EmptyPassword))) => {
                g.set_reset_error(self.message(&e));
            }
            Some(Err(e)) => self.admin_failed(e),
            None => {}
        }
    }

    pub(super) fn remove_user(&self) {
        let Some(user) = self.selected_user() else {
            return;
        };
        self.clear_admin_errors();
        match self.with_session(|s| s.remove_user(&user.login)) {
            Some(Ok(())) => {
                let ui = self.ui();
                let g = ui.global::<AdminApi>();
                self.load_admin();
                g.set_selected(-1);
                g.set_confirm_remove(false);
                // The form is gone with the user; say it in the banner.
                ui.global::<crate::Kiosk>().set_banner(
                    match self.lang() {
                        Lang::Ja => format!("利用者「{}」を削除しました。", user.login),
                        Lang::En => format!("User \"{}\" was removed.", user.login),
                    }
                    .into(),
                );
            }
            Some(Err(e)) => self.admin_failed(e),
            None => {}
        }
    }

    fn selected_user(&self) -> Option<UserInfo> {
        let ui = self.ui();
        let row = ui.global::<AdminApi>().get_selected();
        let st = self.screens.admin.borrow();
        usize::try_from(row)
            .ok()
            .and_then(|i| st.users.get(i).cloned())
    }

    fn answered(&self, result: Option<Result<(), VaultError>>, login: &str, ja: &str, en: &str) {
        match result {
            Some(Ok(())) => self.after_change(login, tr(self.lang(), ja, en)),
            Some(Err(e)) => self.admin_failed(e),
            None => {}
        }
    }

    /// After a change: the lists again from the engine, `login` selected, and what was done.
    fn after_change(&self, login: &str, notice: String) {
        if !self.load_admin() {
            return;
        }
        let row = {
            let st = self.screens.admin.borrow();
            st.users.iter().position(|u| u.login == login)
        };
        if let Some(row) = row {
            self.select_user(row as i32);
        }
        let ui = self.ui();
        ui.global::<AdminApi>().set_notice(notice.into());
    }

    /// An engine error about the form as a whole (a denial, the last administrator, …).
    fn admin_failed(&self, e: VaultError) {
        match e {
            VaultError::SessionLocked | VaultError::PasswordChangeRequired => self.failed(e),
            e => {
                let ui = self.ui();
                let g = ui.global::<AdminApi>();
                g.set_notice(SharedString::new());
                g.set_form_error(self.message(&e));
            }
        }
    }
}

fn role_at(index: i32) -> UserRole {
    usize::try_from(index)
        .ok()
        .and_then(|i| UserRole::ALL.get(i))
        .copied()
        .unwrap_or(UserRole::Clerk)
}

/// Marks the permission check boxes that `role` gives anyway (`Permission::ALL` order).
fn mark_role_permissions(grants: &VecModel<AdminChoice>, role: UserRole) {
    let given = role.permissions();
    for (i, p) in Permission::ALL.iter().enumerate() {
        if let Some(mut c) = grants.row_data(i) {
            c.fixed = given.contains(p);
            grants.set_row_data(i, c);
        }
    }
}

fn differ(lang: Lang) -> String {
    tr(
        lang,
        "確認のために入力したパスワードが一致しません",
        "The two passwords differ",
    )
}
