//! Tables that run over as many pages as they need, repeating their header on each.

use crate::document::Document;
use crate::font::Font;
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
    /// it, and the header is repeated. A row taller than a whole page is split across pages.
    /// Returns the bottom of the last row.
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
        let one_line = leading + 2.0 * PAD;
        let mut y = y;
        if y + self.header_height() + one_line > CONTENT_BOTTOM {
            y = heading(doc.new_page());
        }
        y = self.draw_header(doc.page(), y);
        // Whether the current page was begun by this table (only then is a row split).
        let mut fresh = false;
        for row in rows {
            let cells = self.wrap_row(doc.page().font(), &row);
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let mut first = 0;
            while first < lines {
                let fits = ((CONTENT_BOTTOM - y - 2.0 * PAD) / leading)
                    .floor()
                    .max(0.0) as usize;
                let remaining = lines - first;
                // A row that does not fit whole moves to the next page; a row that does not
                // fit even on a fresh page is split there (at least one line per page, so a
                // heading that leaves no room cannot loop forever).
                if !fresh && fits < remaining {
                    let top = heading(doc.new_page());
                    y = self.draw_header(doc.page(), top);
                    fresh = true;
                    continue;
                }
                let take = remaining.min(fits.max(1));
                y = self.draw_row(doc.page(), y, &cells, first..first + take);
                first += take;
                fresh = false;
            }
        }
        y
    }

    fn wrap_row(&self, font: &Font, row: &[String]) -> Vec<Vec<String>> {
        self.columns
            .iter()
            .zip(row.iter().map(String::as_str).chain(std::iter::repeat("")))
            .map(|(c, text)| wrap(font, text, c.width - 2.0 * PAD, self.size))
            .collect()
    }

    /// Draws lines `range` of a wrapped row at `y`; returns its bottom.
    fn draw_row(
        &self,
        page: &mut Page,
        y: f32,
        cells: &[Vec<String>],
        range: std::ops::Range<usize>,
    ) -> f32 {
        let leading = line_height(self.size);
        let h = range.len() as f32 * leading + 2.0 * PAD;
        let mut x = MARGIN_LEFT;
        for (c, lines) in self.columns.iter().zip(cells) {
            page.rect(x, y, c.width, h, 0.4);
            let shown = lines.iter().skip(range.start).take(range.len());
            for (i, line) in shown.enumerate() {
                let base = y + PAD + (i as f32 + BASELINE) * leading;
                page.text_fit(x + PAD, base, c.width - 2.0 * PAD, self.size, c.align, line);
            }
            x += c.width;
        }
        y + h
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DocInfo;

    fn doc() -> Document {
        Document::new(DocInfo {
            title: "表".into(),
            firm: "テスト".into(),
            created: chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        })
        .unwrap()
    }

    const COLUMNS: [Column<'static>; 2] = [
        Column::new("番号", 20.0, Align::Right),
        Column::new("内容", 40.0, Align::Left),
    ];

    #[test]
    fn a_row_taller_than_a_page_is_split_and_ends_on_a_page() {
        let mut d = doc();
        let table = Table {
            columns: &COLUMNS,
            size: 9.0,
        };
        let long = "長い備考です。".repeat(200);
        let bottom = table.render(&mut d, 40.0, vec![vec!["1".into(), long]], &|_| 30.0);
        assert!(d.page_count() >= 3, "{} pages", d.page_count());
        assert!(bottom <= CONTENT_BOTTOM, "{bottom}");
    }

    #[test]
    fn a_table_starting_at_the_foot_of_a_page_starts_on_the_next() {
        let mut d = doc();
        d.new_page();
        let table = Table {
            columns: &COLUMNS,
            size: 9.0,
        };
        let bottom = table.render(
            &mut d,
            CONTENT_BOTTOM - 3.0,
            vec![vec!["1".into(), "a".into()]],
            &|_| 30.0,
        );
        assert_eq!(d.page_count(), 2);
        assert!(bottom < 60.0, "{bottom}");
    }
}
