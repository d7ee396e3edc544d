//! (A stub until the screen is built.)

use std::rc::Rc;

use slint::ComponentHandle;

use super::on;
use crate::app::Inner;
use crate::{AdminApi, AppWindow, Screen};

#[derive(Default)]
pub(crate) struct State {}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<AdminApi>();
    on!(g, inner, on_show, |i| i.show_admin());
}

impl Inner {
    pub(crate) fn show_admin(&self) {
        self.go(Screen::Users);
    }

    pub(crate) fn forget_admin(&self) {}
}
