//! Every form rendered from the fictional samples, rasterised by poppler (`pdftoppm`) and
//! compared with the committed reference images, so that an accidental layout change fails.
//!
//! The pages are kept as PNG files under `target/forms/` for people to look at:
//!
//! ```sh
//! cargo test -p kinko-forms --test reference
//! ```
//!
//! After an intended change, look at them, then refresh the references with
//! `KINKO_UPDATE_REFERENCES=1 cargo test -p kinko-forms --test reference`.

use std::path::{Path, PathBuf};

use kinko_forms::raster::{PageImage, render};
use kinko_forms::{FormKind, Pdf, collection, records, samples};

/// Preview resolution: readable on screen, small enough to commit.
const DPI: u32 = 60;
/// A pixel "differs" when its grey level moves by more than this.
const PIXEL_TOLERANCE: u8 = 48;
/// At most this share of the pixels may differ (anti-aliasing noise between poppler builds).
const MAX_DIFFERING: f64 = 0.0002;

/// Every page compared: the forms by kind, and the sanitize certificate.
fn samples_to_compare() -> Vec<(String, Pdf)> {
    let mut out: Vec<(String, Pdf)> = FormKind::ALL
        .iter()
        .map(|k| (k.key().to_string(), render_sample(*k)))
        .collect();
    let certificate = records::sanitize_certificate(&samples::issue(), &samples::sanitize_sheet());
    out.push((
        "sanitize-certificate".into(),
        certificate.expect("certificate rendered"),
    ));
    out
}

fn render_sample(kind: FormKind) -> Pdf {
    let issue = samples::issue();
    let households = samples::households(3);
    let result = match kind {
        FormKind::Application => collection::application(&issue, &households[1..2], &[]),
        FormKind::Notice => collection::notice(&issue, &[samples::household(7)]),
        FormKind::Checklist => collection::checklist(&issue, &samples::checklist_people(40), false),
        FormKind::Receipt => collection::receipt(&issue, &[samples::household(7)]),
        FormKind::Refusal => collection::refusal(&issue, &[samples::household(3)]),
        FormKind::AuditSeal => records::audit_seal(&issue, &samples::seal()),
        FormKind::AuditExtract => {
            records::audit_extract(&issue, "2026年11月26日 全件", &samples::audit_lines(60))
        }
        FormKind::Sessions => records::sessions_report(&issue, &samples::sessions()),
        FormKind::Takeouts => records::takeout_register(&issue, &samples::takeouts()),
    };
    result.unwrap_or_else(|e| panic!("{}: {e}", kind.key()))
}

fn grey(page: &PageImage) -> Vec<u8> {
    page.rgb
        .chunks_exact(3)
        .map(|p| ((u32::from(p[0]) * 30 + u32::from(p[1]) * 59 + u32::from(p[2]) * 11) / 100) as u8)
        .collect()
}

fn write_png(path: &Path, width: u32, height: u32, grey: &[u8]) {
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(grey))
        .expect("png written");
}

fn read_png(path: &Path) -> Option<(u32, u32, Vec<u8>)> {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).ok()?));
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    if info.color_type != png::ColorType::Grayscale || info.bit_depth != png::BitDepth::Eight {
        return None;
    }
    buf.truncate(info.buffer_size());
    Some((info.width, info.height, buf))
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/forms");
    std::fs::create_dir_all(&dir).expect("target/forms");
    dir
}

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

/// The share of pixels that differ by more than the tolerance (1.0 when the sizes differ).
fn differing(a: &[u8], b: &[u8]) -> f64 {
    if a.len() != b.len() {
        return 1.0;
    }
    let n = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.abs_diff(**y) > PIXEL_TOLERANCE)
        .count();
    n as f64 / a.len() as f64
}

#[test]
fn every_form_matches_its_reference_image() {
    let update = std::env::var_os("KINKO_UPDATE_REFERENCES").is_some();
    let mut failures = Vec::new();
    for (key, pdf) in samples_to_compare() {
        let pages = render(&pdf.bytes, DPI).expect("pdftoppm (apt install poppler-utils)");
        assert_eq!(pages.len(), pdf.pages, "{key}");
        let page = &pages[0];
        let grey = grey(page);
        let name = format!("{key}-p1.png");
        write_png(&out_dir().join(&name), page.width, page.height, &grey);
        let reference = reference_dir().join(&name);
        if update {
            std::fs::create_dir_all(reference_dir()).expect("reference dir");
            write_png(&reference, page.width, page.height, &grey);
            continue;
        }
        match read_png(&reference) {
            None => failures.push(format!("{name}: no reference image (see the module docs)")),
            Some((w, h, expected)) => {
                let share = if (w, h) == (page.width, page.height) {
                    differing(&expected, &grey)
                } else {
                    1.0
                };
                if share > MAX_DIFFERING {
                    failures.push(format!(
                        "{name}: {:.2}% of pixels differ (see target/forms/)",
                        share * 100.0
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_changed_layout_is_caught() {
    // The comparison itself must be able to fail: the same form with one line of text moved
    // (a different sample) differs from the reference by more than the tolerance.
    let a = render(&render_sample(FormKind::AuditSeal).bytes, DPI).unwrap();
    let issue = samples::issue();
    let mut seal = samples::seal();
    seal.code = "0000-0000-0000-0000".into();
    let b = render(&records::audit_seal(&issue, &seal).unwrap().bytes, DPI).unwrap();
    assert!(differing(&grey(&a[0]), &grey(&b[0])) > 0.0005);
    assert_eq!(differing(&grey(&a[0]), &grey(&a[0])), 0.0);
}

#[test]
fn one_page_is_rendered_alone_and_matches_the_full_render() {
    let pdf = collection::application(&samples::issue(), &samples::households(3), &[]).unwrap();
    assert!(pdf.pages >= 2, "{} pages", pdf.pages);
    let all = render(&pdf.bytes, 40).unwrap();
    let second = kinko_forms::raster::render_page(&pdf.bytes, 40, 2).unwrap();
    assert_eq!(second, all[1]);
    assert_ne!(second, all[0]);
    assert!(kinko_forms::raster::render_page(&pdf.bytes, 40, pdf.pages + 1).is_err());
}
