//! (A stub until the screen is built.)

use std::rc::Rc;

use slint::ComponentHandle;

use super::on;
use crate::app::Inner;
use crate::{AppWindow, PrintApi, Screen};

#[derive(Default)]
pub(crate) struct State {}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<PrintApi>();
    on!(g, inner, on_show, |i| i.show_print());
}

impl Inner {
    pub(crate) fn show_print(&self) {
        self.go(Screen::Print);
    }

    pub(crate) fn forget_print(&self) {}
}
