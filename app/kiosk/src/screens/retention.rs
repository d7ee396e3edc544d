//! (A stub until the screen is built.)

use std::rc::Rc;

use slint::ComponentHandle;

use super::on;
use crate::app::Inner;
use crate::{AppWindow, RetentionApi, Screen};

#[derive(Default)]
pub(crate) struct State {}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<RetentionApi>();
    on!(g, inner, on_show, |i| i.show_retention());
    on!(g, inner, on_show_sanitize, |i| i.go(Screen::Sanitize));
}

impl Inner {
    pub(crate) fn show_retention(&self) {
        self.go(Screen::Retention);
    }

    pub(crate) fn forget_retention(&self) {}
}

impl Inner {
    pub(crate) fn reshow_retention(&self, _screen: Screen) {
        self.show_retention();
    }
}
