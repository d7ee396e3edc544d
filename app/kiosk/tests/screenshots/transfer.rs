//! Screenshots of the import wizard and the export dialog (screen 7): a preview with bad rows
//! (Japanese and English), the result of an import, and the export dialog with an error.

use std::time::{Duration, Instant};

use kinko_domain::lang::Lang;
use kinko_kiosk::app::App;
use kinko_kiosk::{ImportStep, TransferApi, demo};
use kinko_vault::PcIdentity;
use slint::ComponentHandle;

use super::{Checker, DemoShot, config, fixed_clock, last_window};

/// What the pictures show as the medium (the real one is a temporary directory).
pub const MEDIUM: &str = "/media/kinko-usb";

/// A demo kiosk logged in as `user`, with the demo's sample CSV file on its medium.
pub fn with_medium(lang: Lang, user: &str) -> DemoShot {
    let clock = fixed_clock();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let media = tmp.path().join("media");
    let pc = PcIdentity::from_override("kiosk-screenshot-pc");
    demo::create(&dir, 120, &pc, clock.clone()).unwrap();
    demo::write_sample_media(&media).unwrap();
    let mut cfg = config(dir, clock.clone(), lang);
    cfg.media_dir = Some(media);
    let app = App::new(cfg).unwrap();
    app.ui().show().unwrap();
    let window = last_window();
    let shot = DemoShot {
        app,
        window,
        clock,
        _tmp: tmp,
    };
    shot.kiosk()
        .invoke_login(user.into(), demo::PASSWORD.into());
    shot
}

fn preview(shot: &DemoShot) -> TransferApi<'_> {
    let t = shot.app.ui().global::<TransferApi>();
    t.invoke_show();
    t.set_media_dir(MEDIUM.into());
    t.invoke_preview();
    assert_eq!(t.get_step(), ImportStep::Preview, "{}", t.get_file_error());
    t
}

pub fn shots(c: &mut Checker) {
    let shot = with_medium(Lang::Ja, demo::CLERK);
    let t = shot.app.ui().global::<TransferApi>();
    t.invoke_show();
    t.set_media_dir(MEDIUM.into());
    c.check("import-choose", &shot.window);
    let t = preview(&shot);
    c.check("import-preview", &shot.window);
    t.set_skip_bad(true);
    t.invoke_commit();
    let start = Instant::now();
    while t.get_step() == ImportStep::Running {
        assert!(start.elapsed() < Duration::from_secs(60), "the commit ends");
        std::thread::sleep(Duration::from_millis(20));
        super::tick();
    }
    assert_eq!(t.get_step(), ImportStep::Done, "{}", t.get_commit_error());
    c.check("import-done", &shot.window);

    t.invoke_show_export();
    t.set_media_dir(MEDIUM.into());
    t.invoke_export();
    assert!(!t.get_purpose_error().is_empty());
    c.check("export-error", &shot.window);
    drop(shot);

    let shot = with_medium(Lang::En, demo::CLERK);
    preview(&shot);
    c.check("import-preview-en", &shot.window);
}
