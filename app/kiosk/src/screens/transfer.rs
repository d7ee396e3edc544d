//! Screen 7: the CSV import wizard ([`import`]) and the export dialog ([`export`]), with the
//! medium both use ([`media`]). The engine plans, imports, exports, registers the take-out and
//! logs; these modules find the files, hand their bytes over and show the answers.

use std::rc::Rc;

use slint::{ComponentHandle, SharedString};

use super::on;
use crate::app::Inner;
use crate::{AppWindow, Screen, TransferApi};

mod export;
mod import;
pub(crate) mod media;
mod medium_bar;

#[derive(Default)]
pub(crate) struct State {
    import: import::State,
    /// Whether the medium was mounted at the last look (a change refreshes the file list).
    medium_mounted: bool,
}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<TransferApi>();
    on!(g, inner, on_show, |i| i.show_transfer());
    on!(g, inner, on_show_export, |i| i.show_export());
    on!(g, inner, on_refresh_files, |i| i.list_import_files());
    on!(g, inner, on_preview, |i| i.import_preview());
    on!(g, inner, on_back, |i| i.import_back());
    on!(g, inner, on_commit, |i| i.import_commit());
    on!(g, inner, on_again, |i| i.show_transfer());
    on!(g, inner, on_export, |i| i.export_now());
    medium_bar::wire(ui, inner);
}

impl Inner {
    /// The import wizard, from its first step (or the commit still running).
    pub(crate) fn show_transfer(&self) {
        self.go(Screen::Import);
        if self.import_running() {
            return;
        }
        self.forget_import();
        self.show_media();
        self.list_import_files();
        self.load_import_formats();
    }

    pub(crate) fn forget_transfer(&self) {
        self.abandon_import();
        self.forget_import();
        self.forget_export();
    }

    pub(crate) fn reshow_transfer(&self, screen: Screen) {
        match screen {
            Screen::Export => self.show_export(),
            _ => self.show_transfer(),
        }
    }

    pub(crate) fn show_media(&self) {
        let g = self.ui();
        let g = g.global::<TransferApi>();
        let dir = self
            .media_dir()
            .as_ref()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        g.set_media_dir(dir.into());
        g.set_media_error(SharedString::new());
    }
}
