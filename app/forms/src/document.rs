//! A document: its pages, the running footer (firm, page n / N, date in 和暦 and 西暦), and
//! the PDF's metadata (title, author, creation date in Japan time, never 1970).

use chrono::{Datelike, NaiveDateTime, Timelike};
use printpdf::{Date, DateTime, Mm, Offset, PdfDocument, PdfPage, PdfSaveOptions, Time};

use crate::error::FormError;
use crate::font::{Font, font};
use crate::layout::{
    Align, CONTENT_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, PAGE_HEIGHT, PAGE_WIDTH, Page,
};
use kinko_domain::wareki::format_ja;

/// Who issues a document and when: on every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocInfo {
    /// The document's title, e.g. `マイナンバーチェックリスト` (also the PDF title).
    pub title: String,
    /// The firm's name, printed in every footer (the PDF author).
    pub firm: String,
    /// When the document was made, in Japan time.
    pub created: NaiveDateTime,
}

/// A finished PDF.
pub struct Pdf {
    /// The file. It may hold numbers or a recovery code: wiped when dropped.
    pub bytes: zeroize::Zeroizing<Vec<u8>>,
    pub pages: usize,
}

impl std::fmt::Debug for Pdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pdf")
            .field("bytes", &self.bytes.len())
            .field("pages", &self.pages)
            .finish()
    }
}

/// A document being laid out.
pub struct Document {
    info: DocInfo,
    pdf: PdfDocument,
    font: printpdf::FontId,
    metrics: &'static Font,
    pages: Vec<Page>,
    /// The first page of each numbered section (one per person in a batch of forms).
    sections: Vec<usize>,
}

impl Document {
    pub fn new(info: DocInfo) -> Result<Document, FormError> {
        let metrics = font()?;
        let mut pdf = PdfDocument::new(&info.title);
        let font = pdf.add_font(metrics.parsed());
        Ok(Document {
            info,
            pdf,
            font,
            metrics,
            pages: Vec::new(),
            sections: vec![0],
        })
    }

    pub fn info(&self) -> &DocInfo {
        &self.info
    }

    /// Starts a new page and returns it.
    pub fn new_page(&mut self) -> &mut Page {
        self.pages.push(Page::new(self.font.clone(), self.metrics));
        self.pages.last_mut().expect("just pushed")
    }

    /// Starts a new page that also restarts the page numbers: in a batch of forms, each
    /// person's form is numbered `1 / n` on its own, as it is handed out on its own.
    pub fn new_section(&mut self) -> &mut Page {
        if !self.pages.is_empty() {
            self.sections.push(self.pages.len());
        }
        self.new_page()
    }

    /// The page-number text of page `index`: its place in its section.
    fn page_label(&self, index: usize, total: usize) -> String {
        let start = self
            .sections
            .iter()
            .rev()
            .find(|s| **s <= index)
            .copied()
            .unwrap_or(0);
        let end = self
            .sections
            .iter()
            .find(|s| **s > index)
            .copied()
            .unwrap_or(total);
        format!("{} / {}", index - start + 1, end - start)
    }

    /// The page being drawn (a new one if there is none yet).
    pub fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            return self.new_page();
        }
        self.pages.last_mut().expect("not empty")
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Adds the footers and writes the PDF with the font subset.
    pub fn finish(mut self) -> Result<Pdf, FormError> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let total = self.pages.len();
        let date = self.info.created.date();
        let dated = format!("作成日 {}（{}）", format_ja(date), date.format("%Y-%m-%d"));
        let firm = self.info.firm.clone();
        let mut pdf_pages = Vec::with_capacity(total);
        let labels: Vec<String> = (0..total).map(|i| self.page_label(i, total)).collect();
        for (mut page, label) in std::mem::take(&mut self.pages).into_iter().zip(labels) {
            let y = PAGE_HEIGHT - 12.0;
            page.line(
                MARGIN_LEFT,
                y - 4.0,
                PAGE_WIDTH - MARGIN_RIGHT,
                y - 4.0,
                0.3,
            );
            page.text(MARGIN_LEFT, y, 8.0, Align::Left, &firm);
            page.text(PAGE_WIDTH / 2.0, y, 8.0, Align::Center, &label);
            page.text(PAGE_WIDTH - MARGIN_RIGHT, y, 8.0, Align::Right, &dated);
            debug_assert!(y - 4.0 > CONTENT_BOTTOM);
            pdf_pages.push(PdfPage::new(
                Mm(PAGE_WIDTH),
                Mm(PAGE_HEIGHT),
                page.into_ops(),
            ));
        }
        let when = pdf_date(self.info.created);
        let meta = &mut self.pdf.metadata.info;
        meta.document_title = self.info.title.clone();
        meta.author = self.info.firm.clone();
        meta.creator = format!("Kinko {}", env!("CARGO_PKG_VERSION"));
        meta.producer = "Kinko (printpdf)".into();
        meta.creation_date = when;
        meta.modification_date = when;
        meta.metadata_date = when;
        self.pdf.with_pages(pdf_pages);
        let mut warnings = Vec::new();
        let opts = PdfSaveOptions {
            subset_fonts: true,
            ..PdfSaveOptions::default()
        };
        let bytes = self.pdf.save(&opts, &mut warnings);
        if bytes.len() < 100 {
            return Err(FormError::Pdf("empty output".into()));
        }
        Ok(Pdf {
            bytes: zeroize::Zeroizing::new(bytes),
            pages: total,
        })
    }
}

/// The PDF date of a Japan-time instant. printpdf writes every date as UTC (`+00'00'`)
/// whatever offset it is given, so the instant is converted to UTC here.
fn pdf_date(local: NaiveDateTime) -> DateTime {
    let t = local - chrono::Duration::hours(9);
    DateTime::new_in_offset(
        Date {
            year: t.year(),
            month: t.month() as u8,
            day: t.day() as u8,
        },
        Time {
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: t.second() as u8,
            millisecond: 0,
        },
        Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_restart_the_page_numbers() {
        let mut doc = Document::new(DocInfo {
            title: "t".into(),
            firm: "f".into(),
            created: chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        })
        .unwrap();
        doc.new_section();
        doc.new_page();
        doc.new_section();
        doc.new_section();
        doc.new_page();
        doc.new_page();
        let labels: Vec<String> = (0..6).map(|i| doc.page_label(i, 6)).collect();
        assert_eq!(
            labels,
            ["1 / 2", "2 / 2", "1 / 1", "1 / 3", "2 / 3", "3 / 3"]
        );
    }
}
