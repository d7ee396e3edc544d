//! Tables that run over as many pages as they need, repeating their header on each.

use crate::document::Document;
use crate::layout::{Align, CONTENT_BOTTOM, MARGIN_LEFT, Page, line_height, wrap};

/// One column: its heading, width in millimetres and alignment.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub title: &'a str,
    pub width: f32,
    pub align: Align,
}

impl<'a> Column<'a> {
    pub const fn new(title: &'a str, width: f32, align: Align) -> Column<'a> {
        Column {
            title,
            width,
            align,
        }
    }
}

/// A table and the size of its text.
pub struct Table<'a> {
    pub columns: &'a [Column<'a>],
    pub size: f32,
}

const PAD: f32 = 1.2;
/// Where the baseline sits in a line box, as a fraction of the line height.
const BASELINE: f32 = 0.74;

impl Table<'_> {
    fn header_height(&self) -> f32 {
        line_height(self.size) + 2.0 * PAD
    }

    fn draw_header(&self, page: &mut Page, y: f32) -> f32 {
        let h = self.header_height();
        let mut x = MARGIN_LEFT;
        for c in self.columns {
            page.shade(x, y, c.width, h, 0.88);
            page.rect(x, y, c.width, h, 0.5);
            page.text_fit(
                x + PAD,
                y + PAD + line_height(self.size) * BASELINE,
                c.width - 2.0 * PAD,
                self.size,
                Align::Center,
                c.title,
            );
            x += c.width;
        }
        y + h
    }

    /// Lays the rows out from `y` on the current page. When a row does not fit, a new page is
    /// started, `heading` draws its top (title, “（続き）”) and returns where the table goes on
    /// it, and the header is repeated. Returns the bottom of the last row.
    pub fn render<I>(
        &self,
        doc: &mut Document,
        y: f32,
        rows: I,
        heading: &dyn Fn(&mut Page) -> f32,
    ) -> f32
    where
        I: IntoIterator<Item = Vec<String>>,
    {
        let leading = line_height(self.size);
        let mut y = self.draw_header(doc.page(), y);
        for row in rows {
            let font = doc.page().font();
            let cells: Vec<Vec<String>> = self
                .columns
                .iter()
                .zip(row.iter().map(String::as_str).chain(std::iter::repeat("")))
                .map(|(c, text)| wrap(font, text, c.width - 2.0 * PAD, self.size))
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = lines as f32 * leading + 2.0 * PAD;
            if y + h > CONTENT_BOTTOM {
                let page = doc.new_page();
                let top = heading(page);
                y = self.draw_header(page, top);
            }
            let page = doc.page();
            let mut x = MARGIN_LEFT;
            for (c, lines) in self.columns.iter().zip(&cells) {
                page.rect(x, y, c.width, h, 0.4);
                for (i, line) in lines.iter().enumerate() {
                    let base = y + PAD + (i as f32 + BASELINE) * leading;
                    page.text_fit(x + PAD, base, c.width - 2.0 * PAD, self.size, c.align, line);
                }
                x += c.width;
            }
            y += h;
        }
        y
    }
}
