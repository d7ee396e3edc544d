//! The working screens after home and people, one module each: the module wires its Slint
//! global (`ui/<screen>.slint`) to methods of [`Inner`], keeps what its screen holds in its own
//! `State`, and forgets it when the session locks or ends. Like the rest of the kiosk, a
//! module only asks the engine and shows the answer.

use std::cell::RefCell;
use std::rc::Rc;

use crate::app::Inner;
use crate::{AppWindow, Screen};

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod delete;
pub(crate) mod person;
pub(crate) mod print;
pub(crate) mod retention;
pub(crate) mod sanitize;
pub(crate) mod transfer;

/// Connects a callback of a global to a method of [`Inner`] through a weak link (the window
/// must not keep the controller alive).
macro_rules! on {
    ($global:expr, $inner:expr, $setter:ident, |$i:ident $(, $arg:ident)*| $body:expr) => {{
        let weak = std::rc::Rc::downgrade($inner);
        $global.$setter(move |$($arg),*| {
            if let Some($i) = weak.upgrade() {
                $body
            }
        });
    }};
}
pub(crate) use on;

/// What each screen holds while it is shown.
#[derive(Default)]
pub(crate) struct States {
    pub person: RefCell<person::State>,
    pub transfer: RefCell<transfer::State>,
    pub admin: RefCell<admin::State>,
    pub audit: RefCell<audit::State>,
    pub print: RefCell<print::State>,
    pub retention: RefCell<retention::State>,
    pub sanitize: RefCell<sanitize::State>,
}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    person::wire(ui, inner);
    delete::wire(ui, inner);
    transfer::wire(ui, inner);
    admin::wire(ui, inner);
    audit::wire(ui, inner);
    print::wire(ui, inner);
    retention::wire(ui, inner);
    // after retention: its show-sanitize request comes here
    sanitize::wire(ui, inner);
}

impl Inner {
    /// Forgets everything personal these screens hold (lock, log-out).
    pub(crate) fn forget_working_screens(&self) {
        self.forget_person();
        self.close_delete();
        self.forget_transfer();
        self.forget_admin();
        self.forget_audit();
        self.forget_print();
        self.forget_retention();
        self.forget_sanitize();
    }

    /// Shows `screen` again after unlocking, asking the engine afresh.
    pub(crate) fn reshow(&self, screen: Screen) {
        match screen {
            Screen::People => self.show_people(),
            Screen::Person | Screen::PersonEdit => self.reshow_person(screen),
            Screen::Import | Screen::Export => self.reshow_transfer(screen),
            Screen::Users => self.show_admin(),
            Screen::Audit => self.show_audit(),
            Screen::Print => self.show_print(),
            Screen::Retention => self.reshow_retention(screen),
            Screen::Sanitize => self.show_sanitize(),
            _ => self.show_home(),
        }
    }
}
