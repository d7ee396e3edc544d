//! (A stub until the screen is built.)

use std::rc::Rc;

use slint::ComponentHandle;

use super::on;
use crate::app::Inner;
use crate::{AppWindow, PersonApi, Screen};

#[derive(Default)]
pub(crate) struct State {}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<PersonApi>();
    on!(g, inner, on_show, |i| i.show_person());
}

impl Inner {
    pub(crate) fn show_person(&self) {
        self.go(Screen::Person);
    }

    pub(crate) fn forget_person(&self) {}
}

impl Inner {
    pub(crate) fn reshow_person(&self, _screen: Screen) {
        self.show_people();
    }
}
