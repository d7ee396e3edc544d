//! Screenshots of Users & PCs: the users, the add-user form with the engine's error at the
//! password field, a selected user, the PCs, and the users in English.

use kinko_domain::lang::Lang;
use kinko_kiosk::app::App;
use kinko_kiosk::{AdminApi, Kiosk, demo};
use kinko_vault::PcIdentity;
use slint::ComponentHandle;

use super::{Checker, DemoShot, config, fixed_clock, last_window};

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
    unregistered_pc(c);

    let shot = DemoShot::new(Lang::En, demo::ADMIN);
    let g = shot.app.ui().global::<AdminApi>();
    g.invoke_show();
    g.invoke_select_user(1);
    c.check("users-en", &shot.window);
}

/// The PCs tab on a PC the vault does not know yet: the form to register it.
fn unregistered_pc(c: &mut Checker) {
    let clock = fixed_clock();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let pc = PcIdentity::from_override("kiosk-screenshot-pc");
    demo::create(&dir, 120, &pc, clock.clone()).unwrap();
    let mut cfg = config(dir, clock, Lang::Ja);
    cfg.pc = PcIdentity::from_override("kiosk-screenshot-new-pc");
    let app = App::new(cfg).unwrap();
    app.ui().show().unwrap();
    let window = last_window();
    app.ui()
        .global::<Kiosk>()
        .invoke_login(demo::ADMIN.into(), demo::PASSWORD.into());
    let g = app.ui().global::<AdminApi>();
    g.invoke_show();
    g.invoke_show_tab(1);
    g.set_pc_name_input("受付カウンターPC".into());
    g.set_pc_department_index(1);
    c.check("users-pcs-register", &window);
    app.ui().hide().unwrap();
}
