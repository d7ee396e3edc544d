//! Deleting one person, or only their number (F10), from the person screen. The engine
//! checks the permission, destroys the person's key, re-keys, compacts and writes the deletion
//! register; this module asks it and shows the answer.

use std::rc::Rc;

use kinko_domain::people::PersonId;
use kinko_vault::{DeletionPreview, Session, VaultError, VaultResult};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::on;
use crate::app::Inner;
use crate::{AppWindow, DeleteApi, PersonApi};

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<DeleteApi>();
    on!(g, inner, on_open, |i| i.open_delete());
    on!(g, inner, on_confirm, |i| i.confirm_delete());
    on!(g, inner, on_close, |i| i.close_delete());
}

/// The preview with the names of the family members who would go too.
fn preview(s: &mut Session, id: PersonId) -> VaultResult<(DeletionPreview, Vec<String>)> {
    let preview = s.deletion_preview(id)?;
    let mut names = Vec::with_capacity(preview.family.len());
    for member in &preview.family {
        names.push(s.person(*member)?.person.details.name);
    }
    Ok((preview, names))
}

impl Inner {
    fn open_delete(&self) {
        let Some(id) = self.current_person() else {
            return;
        };
        let ui = self.ui();
        let g = ui.global::<DeleteApi>();
        match self.with_session(|s| preview(s, id)) {
            Some(Ok((p, names))) => {
                g.set_who(ui.global::<PersonApi>().get_name());
                g.set_has_number(p.has_number);
                g.set_what(if p.has_number { 0 } else { 1 });
                let names: Vec<SharedString> = names.into_iter().map(Into::into).collect();
                g.set_goes(ModelRc::new(VecModel::from(names)));
                g.set_reason(SharedString::new());
                g.set_reason_error(SharedString::new());
                g.set_error(SharedString::new());
                g.set_visible(true);
            }
            Some(Err(e)) => self.failed(e),
            None => {}
        }
    }

    fn confirm_delete(&self) {
        let Some(id) = self.current_person() else {
            return;
        };
        let ui = self.ui();
        let g = ui.global::<DeleteApi>();
        let reason = g.get_reason().to_string();
        let whole = g.get_what() == 1;
        g.set_reason_error(SharedString::new());
        g.set_error(SharedString::new());
        let result = self.with_session(|s| {
            if whole {
                s.delete_person(id, &reason)
            } else {
                s.delete_number(id, &reason)
            }
        });
        match result {
            Some(Ok(_)) => {
                self.close_delete();
                if whole {
                    self.forget_current_person();
                    self.show_people();
                } else {
                    self.open_person(id);
                }
            }
            Some(Err(VaultError::SessionLocked)) => self.show_locked(),
            Some(Err(e @ (VaultError::ReasonRequired | VaultError::ReasonText { .. }))) => {
                g.set_reason_error(self.message(&e))
            }
            Some(Err(e)) => g.set_error(self.message(&e)),
            None => {}
        }
    }

    pub(crate) fn close_delete(&self) {
        let ui = self.ui();
        let g = ui.global::<DeleteApi>();
        g.set_visible(false);
        g.set_who(SharedString::new());
        g.set_goes(ModelRc::default());
        g.set_reason(SharedString::new());
        g.set_reason_error(SharedString::new());
        g.set_error(SharedString::new());
    }
}
