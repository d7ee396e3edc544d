//! The person screens: detail (masked and revealed), a new registration, the form with field
//! errors, and the detail in English.

use kinko_domain::lang::Lang;
use kinko_domain::people::PersonKind;
use kinko_kiosk::app::App;
use kinko_kiosk::{PersonApi, demo};
use slint::ComponentHandle;

use super::{Checker, DemoShot};

/// The first employee with a number and a family member (the demo data is fixed).
fn employee_with_family(app: &App) -> i32 {
    app.with_session(|s| {
        let people = s.unwrap().list(&Default::default()).unwrap();
        let id = people
            .iter()
            .find(|p| {
                p.kind == PersonKind::Employee
                    && p.has_number
                    && people.iter().any(|f| f.employee == Some(p.id))
            })
            .expect("the demo has families")
            .id;
        i32::try_from(id.0).unwrap()
    })
}

pub fn shots(c: &mut Checker) {
    let shot = DemoShot::new(Lang::Ja, demo::CLERK);
    let g = shot.app.ui().global::<PersonApi>();
    let id = employee_with_family(&shot.app);
    g.invoke_open(id);
    c.check("person", &shot.window);
    g.invoke_reveal();
    assert!(g.get_revealed());
    c.check("person-revealed", &shot.window);
    g.invoke_mask();

    g.invoke_new_person(0);
    c.check("person-new", &shot.window);
    g.set_edit_code("0001".into());
    g.set_edit_kana("Yamada".into());
    g.set_edit_birth("2026-02-30".into());
    g.set_edit_hire("平成31年5月1日".into());
    g.set_edit_number("1234 5678 9012".into());
    g.invoke_save();
    assert!(!g.get_number_error().is_empty());
    c.check("person-edit-errors", &shot.window);
    drop(shot);

    let shot = DemoShot::new(Lang::En, demo::CLERK);
    let g = shot.app.ui().global::<PersonApi>();
    g.invoke_open(employee_with_family(&shot.app));
    c.check("person-en", &shot.window);
}
