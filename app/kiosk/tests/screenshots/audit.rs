//! Screenshots of the audit log: the entries, the verification result with a seal code, the
//! sessions report, and the entries in English.

use std::time::Duration;

use kinko_domain::lang::Lang;
use kinko_kiosk::{AuditApi, Kiosk, demo};
use slint::ComponentHandle;

use super::{Checker, DemoShot};

pub fn shots(c: &mut Checker) {
    let shot = DemoShot::new(Lang::Ja, demo::ADMIN);
    let k = shot.app.ui().global::<Kiosk>();
    // Some work to show: a look at the people, a while later log-out; then the auditor.
    k.invoke_show_people();
    shot.clock.advance(Duration::from_secs(25 * 60));
    k.invoke_logout();
    k.invoke_login(demo::CLERK.into(), "wrong-password".into());
    k.invoke_login(demo::AUDITOR.into(), demo::PASSWORD.into());
    shot.clock.advance(Duration::from_secs(90));
    let g = shot.app.ui().global::<AuditApi>();
    g.invoke_show();
    c.check("audit", &shot.window);

    g.invoke_verify();
    g.invoke_seal();
    assert!(kinko_vault::Seal::parse(&g.get_seal_code()).is_ok());
    // The code is derived from a random key: a fixed one stands in for it in the picture.
    g.set_seal_code("275-7K2QM9XDRT".into());
    c.check("audit-verify", &shot.window);

    g.invoke_show_tab(1);
    c.check("audit-sessions", &shot.window);
    drop(shot);

    let shot = DemoShot::new(Lang::En, demo::AUDITOR);
    let g = shot.app.ui().global::<AuditApi>();
    g.invoke_show();
    g.invoke_verify();
    c.check("audit-en", &shot.window);
}
