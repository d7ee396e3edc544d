//! The certificate after a run: kept as signed JSON, shown as the printed sheet's rows and
//! page images, saved as PDF, printed. What is printed is built from the verified JSON by
//! the engine (`kinko_vault::sanitize_certificate_pdf`), so it is what the signature covers.

use std::io::Write;
use std::path::Path;

use kinko_domain::lang::Lang;
use kinko_forms::cups::{self, PrintJob, Printer};
use kinko_vault::Pdf;
use kinko_wipe::{Certificate, Outcome, VerifiedCertificate};
use slint::{
    ComponentHandle, Image, ModelRc, Rgb8Pixel, SharedPixelBuffer, SharedString, VecModel,
};

use crate::text::tr;
use crate::{AppWindow, SanitizeApi, WipeFact};

/// Preview resolution: an A4 page is ~500×700 pixels, enough to read the headings.
const PREVIEW_DPI: u32 = 60;

/// What the result screen keeps to save or print again.
pub(crate) struct Done {
    pdf: Option<Pdf>,
    printers: Vec<Printer>,
}

/// Writes the certificate next to nothing else: a synced temporary file in the same folder,
/// renamed into place only if no file of that name has appeared meanwhile.
pub(crate) fn save_json(cert: &Certificate, path: &Path) -> Result<(), String> {
    let json = cert.to_json().map_err(|e| e.to_string())?;
    write_new(path, json.as_bytes())
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| e.kind().to_string())?;
    tmp.write_all(bytes).map_err(|e| e.kind().to_string())?;
    tmp.as_file().sync_all().map_err(|e| e.kind().to_string())?;
    tmp.persist_noclobber(path)
        .map_err(|e| e.error.kind().to_string())?;
    Ok(())
}

pub(crate) fn clear(g: &SanitizeApi) {
    g.set_outcome(SharedString::new());
    g.set_certificate(ModelRc::default());
    g.set_limitations(ModelRc::default());
    g.set_cert_saved(SharedString::new());
    g.set_pages(ModelRc::default());
    g.set_pdf_path(SharedString::new());
    g.set_pdf_message(SharedString::new());
    g.set_printers(ModelRc::default());
    g.set_print_message(SharedString::new());
}

/// Shows the verified certificate: outcome, the sheet's rows, the PDF's pages, the printers.
pub(crate) fn show(ui: &AppWindow, lang: Lang, v: &VerifiedCertificate, json: &Path) -> Done {
    let g = ui.global::<SanitizeApi>();
    let sheet = kinko_vault::sanitize_sheet(v);
    g.set_outcome(format!("{}　{}", sheet.outcome, sheet.level).into());
    g.set_outcome_ok(v.body.outcome == Outcome::Erased);
    let mut rows = vec![(
        tr(lang, "証明書番号", "Certificate ID"),
        sheet.certificate_id.clone(),
    )];
    rows.extend(sheet.rows.iter().cloned());
    rows.push((tr(lang, "作業者", "Operator"), sheet.operator.clone()));
    rows.push((
        tr(lang, "署名の鍵", "Signing key"),
        sheet.fingerprint.clone(),
    ));
    let rows: Vec<WipeFact> = rows
        .into_iter()
        .map(|(label, value)| WipeFact {
            label: label.into(),
            value: value.into(),
        })
        .collect();
    g.set_certificate(ModelRc::new(VecModel::from(rows)));
    let notes: Vec<SharedString> = sheet
        .limitations
        .iter()
        .chain(&sheet.exceptions)
        .map(|s| SharedString::from(s.as_str()))
        .collect();
    g.set_limitations(ModelRc::new(VecModel::from(notes)));
    g.set_pdf_path(json.with_extension("pdf").display().to_string().into());
    let pdf = kinko_vault::sanitize_certificate_pdf(v).ok();
    g.set_pages(ModelRc::new(VecModel::from(
        pdf.as_ref().map(|p| pages(&p.bytes)).unwrap_or_default(),
    )));
    if pdf.is_none() {
        g.set_run_error(
            tr(
                lang,
                "証明書のPDFを作成できません",
                "The certificate's PDF cannot be made",
            )
            .into(),
        );
    }
    let printers = cups::printers().unwrap_or_default();
    let names: Vec<SharedString> = printers.iter().map(|p| p.name.as_str().into()).collect();
    g.set_printers(ModelRc::new(VecModel::from(names)));
    Done { pdf, printers }
}

/// The PDF's pages as images (none if `pdftoppm` is missing: the rows are shown anyway).
fn pages(pdf: &[u8]) -> Vec<Image> {
    let Ok(pages) = kinko_forms::raster::render(pdf, PREVIEW_DPI) else {
        return Vec::new();
    };
    pages
        .into_iter()
        .map(|p| {
            let buffer =
                SharedPixelBuffer::<Rgb8Pixel>::clone_from_slice(&p.rgb, p.width, p.height);
            Image::from_rgb8(buffer)
        })
        .collect()
}

impl Done {
    pub(crate) fn save_pdf(&self, lang: Lang, path: &Path) -> String {
        let Some(pdf) = &self.pdf else {
            return tr(
                lang,
                "証明書のPDFを作成できません",
                "The certificate's PDF cannot be made",
            );
        };
        if path.file_name().is_none() {
            return tr(
                lang,
                "保存先（ファイル名まで）を入力してください",
                "Enter where to save it (with a file name)",
            );
        }
        match write_new(path, &pdf.bytes) {
            Ok(()) => match lang {
                Lang::Ja => format!("PDFを保存しました: {}", path.display()),
                Lang::En => format!("The PDF is saved: {}", path.display()),
            },
            Err(e) => match lang {
                Lang::Ja => format!(
                    "PDFを保存できませんでした（{e}）。同じ名前のファイルがないか、保存先を確かめてください"
                ),
                Lang::En => format!(
                    "The PDF could not be saved ({e}). Check the folder, and that no file has that name"
                ),
            },
        }
    }

    pub(crate) fn print(&self, lang: Lang, index: i32) -> String {
        let (Some(pdf), Some(printer)) = (
            &self.pdf,
            usize::try_from(index)
                .ok()
                .and_then(|i| self.printers.get(i)),
        ) else {
            return tr(lang, "プリンターを選んでください", "Choose a printer");
        };
        let job = PrintJob {
            printer: Some(printer.name.clone()),
            copies: 1,
            title: "Kinko sanitize certificate".into(),
        };
        match cups::submit(&pdf.bytes, &job) {
            Ok(id) => match lang {
                Lang::Ja => format!("印刷を依頼しました（{id}）"),
                Lang::En => format!("Sent to the printer ({id})"),
            },
            Err(e) => match lang {
                Lang::Ja => e.ja(),
                Lang::En => e.to_string(),
            },
        }
    }
}
