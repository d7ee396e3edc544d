//! Screenshots of Users & PCs: the users, the add-user form with the engine's error at the
//! password field, a selected user, the PCs, and the users in English.

use kinko_domain::lang::Lang;
use kinko_kiosk::{AdminApi, demo};
use slint::ComponentHandle;

use super::{Checker, DemoShot};

pub fn shots(c: &mut Checker) {
    let shot = DemoShot::new(Lang::Ja, demo::ADMIN);
    let g = shot.app.ui().global::<AdminApi>();
    g.invoke_show();
    c.check("users", &shot.window);

    g.invoke_new_user();
    g.set_form_login("suzuki".into());
    g.set_password("short".into());
    g.set_password_again("short".into());
    g.invoke_add_user();
    assert!(!g.get_password_error().is_empty());
    c.check("users-add-errors", &shot.window);

    g.invoke_select_user(2);
    c.check("users-selected", &shot.window);

    g.invoke_show_tab(1);
    c.check("users-pcs", &shot.window);
    drop(shot);

    let shot = DemoShot::new(Lang::En, demo::ADMIN);
    let g = shot.app.ui().global::<AdminApi>();
    g.invoke_show();
    g.invoke_select_user(1);
    c.check("users-en", &shot.window);
}
