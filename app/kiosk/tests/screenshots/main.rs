//! Every screen rendered with Slint's software renderer at 1366×768 and 1920×1080, kept as
//! PNG files under `target/screenshots/` for people to look at, and compared with the
//! committed references under `tests/reference/` so that an accidental change fails:
//!
//! ```sh
//! cargo test -p kinko-kiosk --test screenshots
//! ```
//!
//! After an intended change, look at the new images, then refresh the references with
//! `KINKO_UPDATE_REFERENCES=1 cargo test -p kinko-kiosk --test screenshots`.
//!
//! Each working screen has its own module here (`person.rs`, `audit.rs`, …) with a `shots`
//! function that drives a demo kiosk to its states and checks each.
//!
//! This binary installs its own platform (a `MinimalSoftwareWindow` per window), which cannot
//! live in one process with the testing backend of `tests/flows.rs`; hence one `#[test]`.

mod admin;
mod audit;
mod person;
mod print;
mod retention;
mod sanitize;
mod transfer;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use kinko_domain::lang::Lang;
use kinko_kiosk::app::{App, Config};
use kinko_kiosk::{GlyphProbe, Kiosk, demo};
use kinko_vault::{KdfParams, ManualClock, PcIdentity};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, PhysicalSize, PlatformError, Rgb8Pixel};

/// A pixel "differs" when its grey level moves by more than this.
const PIXEL_TOLERANCE: u8 = 48;
/// At most this share of the pixels may differ.
const MAX_DIFFERING: f64 = 0.001;
const SIZES: [(u32, u32); 2] = [(1366, 768), (1920, 1080)];

thread_local! {
    static VIRTUAL_TIME: std::cell::Cell<std::time::Duration> =
        const { std::cell::Cell::new(std::time::Duration::ZERO) };
    static WINDOWS: RefCell<Vec<Rc<MinimalSoftwareWindow>>> = const { RefCell::new(Vec::new()) };
}

struct Offscreen;

impl Platform for Offscreen {
    /// The pictures' own clock, moved only by [`render`]: a text cursor's blink or an
    /// animation never depends on how long the test took to get there.
    fn duration_since_start(&self) -> std::time::Duration {
        VIRTUAL_TIME.with(|t| t.get())
    }

    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        WINDOWS.with(|w| w.borrow_mut().push(window.clone()));
        Ok(window)
    }
}

/// The window most recently made (the one of the component just created).
fn last_window() -> Rc<MinimalSoftwareWindow> {
    WINDOWS.with(|w| w.borrow().last().cloned().expect("a window was made"))
}

struct Shot {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

/// Lets the pictures' clock run a little, and runs the timers that fall due: for waiting on a
/// background job whose result a timer collects.
pub fn tick() {
    VIRTUAL_TIME.with(|t| t.set(t.get() + std::time::Duration::from_millis(50)));
    slint::platform::update_timers_and_animations();
}

fn render(window: &MinimalSoftwareWindow, width: u32, height: u32) -> Shot {
    window.set_size(PhysicalSize::new(width, height));
    // A second on: every animation has ended, and a cursor blinks in step.
    VIRTUAL_TIME.with(|t| t.set(t.get() + std::time::Duration::from_secs(1)));
    slint::platform::update_timers_and_animations();
    window.request_redraw();
    let mut buf = vec![Rgb8Pixel::new(0, 0, 0); (width * height) as usize];
    let drawn = window.draw_if_needed(|renderer| {
        renderer.render(&mut buf, width as usize);
    });
    assert!(drawn, "the window was drawn");
    let rgb = buf.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
    Shot { width, height, rgb }
}

fn grey(rgb: &[u8]) -> Vec<u8> {
    rgb.chunks_exact(3)
        .map(|p| ((u32::from(p[0]) * 30 + u32::from(p[1]) * 59 + u32::from(p[2]) * 11) / 100) as u8)
        .collect()
}

fn write_png(path: &Path, shot: &Shot) {
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), shot.width, shot.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&shot.rgb))
        .expect("png written");
}

fn read_png(path: &Path) -> Option<Shot> {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).ok()?));
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    if info.color_type != png::ColorType::Rgb || info.bit_depth != png::BitDepth::Eight {
        return None;
    }
    buf.truncate(info.buffer_size());
    Some(Shot {
        width: info.width,
        height: info.height,
        rgb: buf,
    })
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("target/screenshots");
    dir
}

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

/// The share of pixels whose grey level differs by more than the tolerance.
fn differing(a: &[u8], b: &[u8]) -> f64 {
    if a.len() != b.len() {
        return 1.0;
    }
    let (a, b) = (grey(a), grey(b));
    let n = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x.abs_diff(**y) > PIXEL_TOLERANCE)
        .count();
    n as f64 / a.len() as f64
}

pub struct Checker {
    update: bool,
    failures: Vec<String>,
    count: usize,
}

impl Checker {
    /// Renders `window` at both sizes, keeps the PNGs and compares them with the references.
    pub fn check(&mut self, name: &str, window: &MinimalSoftwareWindow) {
        for (w, h) in SIZES {
            let shot = render(window, w, h);
            let file = format!("{name}-{w}x{h}.png");
            write_png(&out_dir().join(&file), &shot);
            self.count += 1;
            let reference = reference_dir().join(&file);
            if self.update {
                std::fs::create_dir_all(reference_dir()).expect("reference dir");
                write_png(&reference, &shot);
                continue;
            }
            match read_png(&reference) {
                None => self
                    .failures
                    .push(format!("{file}: no reference image (see the module docs)")),
                Some(r) => {
                    let share = if (r.width, r.height) == (w, h) {
                        differing(&r.rgb, &shot.rgb)
                    } else {
                        1.0
                    };
                    if share > MAX_DIFFERING {
                        self.failures.push(format!(
                            "{file}: {:.3}% of pixels differ (see target/screenshots/)",
                            share * 100.0
                        ));
                    }
                }
            }
        }
    }
}

fn config(dir: PathBuf, clock: Arc<ManualClock>, lang: Lang) -> Config {
    let mut c = Config::new(dir, PcIdentity::from_override("kiosk-screenshot-pc"), clock);
    c.kdf = KdfParams::MINIMUM;
    c.lang = lang;
    c
}

#[test]
fn every_screen_matches_its_reference_and_japanese_is_real_glyphs() {
    slint::platform::set_platform(Box::new(Offscreen)).expect("platform set once");
    japanese_text_is_drawn_with_real_glyphs();
    let mut checker = Checker {
        update: std::env::var_os("KINKO_UPDATE_REFERENCES").is_some(),
        failures: Vec::new(),
        count: 0,
    };
    screens(&mut checker);
    person::shots(&mut checker);
    transfer::shots(&mut checker);
    admin::shots(&mut checker);
    audit::shots(&mut checker);
    print::shots(&mut checker);
    retention::shots(&mut checker);
    sanitize::shots(&mut checker);
    assert!(checker.count >= 18, "{} images", checker.count);
    assert!(
        checker.failures.is_empty(),
        "{}",
        checker.failures.join("\n")
    );
}

/// The pictures' moment: 2026-04-01 10:00 in Japan, so that dates on screen never change.
pub fn fixed_clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-04-01T01:00:00Z")
            .unwrap()
            .into(),
    ))
}

/// A shown kiosk on a fresh demo vault (120 employees), logged in as `user`.
pub struct DemoShot {
    pub app: App,
    pub window: Rc<MinimalSoftwareWindow>,
    pub clock: Arc<ManualClock>,
    _tmp: tempfile::TempDir,
}

impl DemoShot {
    pub fn new(lang: Lang, user: &str) -> DemoShot {
        DemoShot::new_with(lang, user, |_| {})
    }

    /// As [`DemoShot::new`], with the configuration adjusted first.
    pub fn new_with(lang: Lang, user: &str, adjust: impl FnOnce(&mut Config)) -> DemoShot {
        let clock = fixed_clock();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("vault");
        let pc = PcIdentity::from_override("kiosk-screenshot-pc");
        demo::create(&dir, 120, &pc, clock.clone()).unwrap();
        let mut cfg = config(dir, clock.clone(), lang);
        adjust(&mut cfg);
        let app = App::new(cfg).unwrap();
        app.ui().show().unwrap();
        let window = last_window();
        app.ui()
            .global::<Kiosk>()
            .invoke_login(user.into(), demo::PASSWORD.into());
        DemoShot {
            app,
            window,
            clock,
            _tmp: tmp,
        }
    }

    pub fn kiosk(&self) -> Kiosk<'_> {
        self.app.ui().global::<Kiosk>()
    }
}

impl Drop for DemoShot {
    fn drop(&mut self) {
        let _ = self.app.ui().hide();
        // Back to Japanese for anything after this.
        kinko_kiosk::text::select_slint_language(Lang::Ja);
    }
}

fn screens(c: &mut Checker) {
    let clock = fixed_clock();

    // First run.
    let tmp = tempfile::tempdir().unwrap();
    let app = App::new(config(tmp.path().join("vault"), clock.clone(), Lang::Ja)).unwrap();
    app.ui().show().unwrap();
    let window = last_window();
    let k = app.ui().global::<Kiosk>();
    c.check("setup", &window);
    k.invoke_setup_submit(
        "".into(),
        "1234567890123".into(),
        "Kanri Taro".into(),
        "kinko-pass-1".into(),
        "kinko-pass-2".into(),
    );
    c.check("setup-errors", &window);
    let good = kinko_vault::demo::sample_corporate_number(3);
    k.invoke_setup_submit(
        "株式会社テスト商事".into(),
        good.expose_digits().into(),
        "kanri".into(),
        "kinko-test-pass-1".into(),
        "kinko-test-pass-1".into(),
    );
    assert!(!k.get_recovery_code().is_empty());
    // The code is random: a fixed one stands in for it in the picture.
    k.set_recovery_code("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ".into());
    c.check("recovery", &window);
    app.ui().hide().unwrap();
    drop(app);

    // The demo firm.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let pc = PcIdentity::from_override("kiosk-screenshot-pc");
    demo::create(&dir, 120, &pc, clock.clone()).unwrap();
    let mut cfg = config(dir, clock.clone(), Lang::Ja);
    cfg.demo_note = demo::note(Lang::Ja);
    let app = App::new(cfg).unwrap();
    app.ui().show().unwrap();
    let window = last_window();
    let k = app.ui().global::<Kiosk>();
    c.check("login", &window);
    k.set_login_user(demo::CLERK.into());
    k.invoke_login(demo::CLERK.into(), "wrong-password".into());
    c.check("login-error", &window);
    k.invoke_login(demo::CLERK.into(), demo::PASSWORD.into());
    c.check("home", &window);
    k.invoke_show_people();
    c.check("people", &window);
    k.set_search_text("佐藤".into());
    k.invoke_search("佐藤".into(), true);
    c.check("people-search", &window);
    k.invoke_lock();
    c.check("locked", &window);
    k.invoke_unlock(demo::PASSWORD.into());
    k.invoke_logout();
    app.ui().hide().unwrap();
    drop(app);

    // English.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    demo::create(&dir, 120, &pc, clock.clone()).unwrap();
    let app = App::new(config(dir, clock, Lang::En)).unwrap();
    app.ui().show().unwrap();
    let window = last_window();
    let k = app.ui().global::<Kiosk>();
    k.invoke_login(demo::CLERK.into(), demo::PASSWORD.into());
    c.check("home-en", &window);
    k.invoke_show_people();
    c.check("people-en", &window);
    app.ui().hide().unwrap();
    // Back to Japanese for anything after this.
    kinko_kiosk::text::select_slint_language(Lang::Ja);
}

/// The embedded IPAex Gothic draws kanji: each has ink, two different kanji differ, and the
/// ink is not the empty box ("tofu") a font without the character would draw.
fn japanese_text_is_drawn_with_real_glyphs() {
    let probe = GlyphProbe::new().unwrap();
    probe.show().unwrap();
    let window = last_window();
    let draw = |text: &str| {
        probe.set_text(text.into());
        let shot = render(&window, 200, 100);
        grey(&shot.rgb)
    };
    let kin = draw("金");
    let ko = draw("庫");
    let tofu = draw("\u{E000}"); // private use: no font has it
    let ink = |g: &[u8]| g.iter().filter(|v| **v < 128).count();
    assert!(ink(&kin) > 300, "金 has ink: {}", ink(&kin));
    assert!(ink(&ko) > 300, "庫 has ink: {}", ink(&ko));
    let diff = |a: &[u8], b: &[u8]| {
        a.iter()
            .zip(b)
            .filter(|(x, y)| x.abs_diff(**y) > 128)
            .count()
    };
    assert!(diff(&kin, &ko) > 300, "金 and 庫 look different");
    assert!(
        diff(&kin, &tofu) > 300 && diff(&ko, &tofu) > 300,
        "not tofu"
    );
    for (name, g) in [("金", &kin), ("庫", &ko)] {
        // Ink well inside the glyph's box, not only on its edges as a tofu box would have.
        let (w, h) = (200usize, 100usize);
        let inked: Vec<(usize, usize)> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .filter(|(x, y)| g[y * w + x] < 128)
            .collect();
        let (x0, x1) = (
            inked.iter().map(|p| p.0).min().unwrap(),
            inked.iter().map(|p| p.0).max().unwrap(),
        );
        let (y0, y1) = (
            inked.iter().map(|p| p.1).min().unwrap(),
            inked.iter().map(|p| p.1).max().unwrap(),
        );
        let (mx, my) = ((x1 - x0) / 5, (y1 - y0) / 5);
        let inner = inked
            .iter()
            .filter(|(x, y)| *x > x0 + mx && *x < x1 - mx && *y > y0 + my && *y < y1 - my)
            .count();
        assert!(
            inner * 4 > inked.len(),
            "{name}: {inner} of {} inked pixels inside the box",
            inked.len()
        );
        let file = if name == "金" {
            "glyph-kin.png"
        } else {
            "glyph-ko.png"
        };
        let rgb = g.iter().flat_map(|v| [*v, *v, *v]).collect();
        write_png(
            &out_dir().join(file),
            &Shot {
                width: 200,
                height: 100,
                rgb,
            },
        );
    }
    probe.hide().unwrap();
}
