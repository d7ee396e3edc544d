//! Screenshots of the print screen (screen 10): choosing people, and a preview's first page.

use kinko_domain::lang::Lang;
use kinko_kiosk::{PrintApi, demo};
use kinko_vault::FormKind;
use slint::{ComponentHandle, ModelRc};

use super::Checker;
use super::transfer::{MEDIUM, with_medium};

pub fn shots(c: &mut Checker) {
    let shot = with_medium(Lang::Ja, demo::CLERK);
    let p = shot.app.ui().global::<PrintApi>();
    p.invoke_show();
    // The same picture whatever printers this machine has: none.
    p.set_printers(ModelRc::default());
    p.set_media_dir(MEDIUM.into());
    p.set_target_index(1);
    p.invoke_toggle(0);
    p.invoke_toggle(2);
    c.check("print-chooser", &shot.window);

    let checklist = FormKind::ALL
        .iter()
        .position(|f| *f == FormKind::Checklist)
        .unwrap();
    p.set_form_index(checklist as i32);
    p.invoke_form_chosen();
    p.set_target_index(0);
    p.invoke_preview();
    assert_eq!(p.get_error(), "");
    assert!(p.get_page_count() >= 1);
    c.check("print-preview", &shot.window);
}
