//! (A stub until the screen is built.)

use std::rc::Rc;

use slint::ComponentHandle;

use super::on;
use crate::app::Inner;
use crate::{AppWindow, Screen, TransferApi};

#[derive(Default)]
pub(crate) struct State {}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<TransferApi>();
    on!(g, inner, on_show, |i| i.show_transfer());
    on!(g, inner, on_show_export, |i| i.go(Screen::Export));
}

impl Inner {
    pub(crate) fn show_transfer(&self) {
        self.go(Screen::Import);
    }

    pub(crate) fn forget_transfer(&self) {}
}

impl Inner {
    pub(crate) fn reshow_transfer(&self, _screen: Screen) {
        self.show_transfer();
    }
}
