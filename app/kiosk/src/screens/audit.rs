//! (A stub until the screen is built.)

use std::rc::Rc;

use slint::ComponentHandle;

use super::on;
use crate::app::Inner;
use crate::{AppWindow, AuditApi, Screen};

#[derive(Default)]
pub(crate) struct State {}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<AuditApi>();
    on!(g, inner, on_show, |i| i.show_audit());
}

impl Inner {
    pub(crate) fn show_audit(&self) {
        self.go(Screen::Audit);
    }

    pub(crate) fn forget_audit(&self) {}
}
