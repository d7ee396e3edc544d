//! Drawing on an A4 page in millimetres from the top-left corner, as forms are designed.
//! printpdf's origin is the bottom-left in points; this is the only place that converts.

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point, Pt, Rect,
    TextItem,
};

use crate::font::{Font, MM_PER_PT};

/// A4 portrait, in millimetres.
pub const PAGE_WIDTH: f32 = 210.0;
pub const PAGE_HEIGHT: f32 = 297.0;
/// The printable frame every form keeps to (most office printers cannot print the outer 5 mm).
pub const MARGIN_LEFT: f32 = 18.0;
pub const MARGIN_RIGHT: f32 = 18.0;
pub const MARGIN_TOP: f32 = 16.0;
pub const MARGIN_BOTTOM: f32 = 18.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// Where the running footer starts; content stays above it.
pub const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - MARGIN_BOTTOM - 6.0;

/// Horizontal alignment of text against an anchor or inside a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One page being drawn.
pub struct Page {
    ops: Vec<Op>,
    font: FontId,
    metrics: &'static Font,
}

impl Page {
    pub(crate) fn new(font: FontId, metrics: &'static Font) -> Page {
        Page {
            ops: Vec::with_capacity(256),
            font,
            metrics,
        }
    }

    pub(crate) fn into_ops(self) -> Vec<Op> {
        self.ops
    }

    /// The font's metrics, for measuring before drawing.
    pub fn font(&self) -> &'static Font {
        self.metrics
    }

    fn point(x: f32, y: f32) -> Point {
        Point {
            x: Mm(x).into(),
            y: Mm(PAGE_HEIGHT - y).into(),
        }
    }

    /// Writes one line of text with its baseline at `y`, aligned against `x`. Control
    /// characters are dropped (they would corrupt nothing, but print as nothing useful).
    pub fn text(&mut self, x: f32, y: f32, size: f32, align: Align, text: &str) {
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        if text.is_empty() {
            return;
        }
        let width = self.metrics.width_mm(&text, size);
        let x = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(self.font.clone()),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Self::point(x, y),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text)],
            },
            Op::EndTextSection,
        ]);
    }

    /// Writes `text` inside a cell `[x, x + width]`, shrinking the size (down to 60 %) rather
    /// than overflowing, and cutting with `…` as a last resort.
    pub fn text_fit(&mut self, x: f32, y: f32, width: f32, size: f32, align: Align, text: &str) {
        let (size, text) = fit(self.metrics, text, width, size);
        let anchor = match align {
            Align::Left => x,
            Align::Center => x + width / 2.0,
            Align::Right => x + width,
        };
        self.text(anchor, y, size, align, &text);
    }

    /// Writes `text` wrapped to `width`, starting with a baseline at `y`; returns the baseline
    /// after the last line.
    pub fn paragraph(&mut self, x: f32, y: f32, width: f32, size: f32, text: &str) -> f32 {
        let leading = line_height(size);
        let mut y = y;
        for line in wrap(self.metrics, text, width, size) {
            self.text(x, y, size, Align::Left, &line);
            y += leading;
        }
        y
    }

    fn stroke_style(&mut self, width_pt: f32) {
        self.ops.extend([
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            },
        ]);
    }

    /// A straight line, `width_pt` thick.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32) {
        self.stroke_style(width_pt);
        let point = |x, y| LinePoint {
            p: Self::point(x, y),
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(x1, y1), point(x2, y2)],
                is_closed: false,
            },
        });
    }

    fn rect_op(x: f32, y: f32, w: f32, h: f32, mode: PaintMode) -> Op {
        Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x).into(),
                y: Mm(PAGE_HEIGHT - y - h).into(),
                width: Mm(w).into(),
                height: Mm(h).into(),
                mode: Some(mode),
                winding_order: None,
            },
        }
    }

    /// The outline of a box with its top-left corner at (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, width_pt: f32) {
        self.stroke_style(width_pt);
        self.ops.push(Self::rect_op(x, y, w, h, PaintMode::Stroke));
    }

    /// A box filled with grey (`grey`: 0 black … 1 white), for headings and shaded cells.
    pub fn shade(&mut self, x: f32, y: f32, w: f32, h: f32, grey: f32) {
        self.ops.push(Op::SetFillColor {
            col: Color::Greyscale(Greyscale::new(grey, None)),
        });
        self.ops.push(Self::rect_op(x, y, w, h, PaintMode::Fill));
        self.ops.push(Op::SetFillColor {
            col: Color::Greyscale(Greyscale::new(0.0, None)),
        });
    }

    /// `count` boxes side by side for hand-written characters (12 for a My Number, 13 for a
    /// 法人番号), with a thicker divider every `group` boxes so digits are easy to check (0 for
    /// none). Returns the right edge.
    pub fn char_boxes(
        &mut self,
        x: f32,
        y: f32,
        count: usize,
        cell: f32,
        h: f32,
        group: usize,
    ) -> f32 {
        let w = cell * count as f32;
        self.rect(x, y, w, h, 0.8);
        for i in 1..count {
            let thick = group > 0 && i % group == 0;
            let xi = x + cell * i as f32;
            self.line(xi, y, xi, y + h, if thick { 0.8 } else { 0.3 });
        }
        x + w
    }

    /// A label in a shaded cell and an empty (or filled) answer cell: the standard row of a
    /// Japanese form. Returns the bottom edge.
    #[allow(clippy::too_many_arguments)]
    pub fn field(
        &mut self,
        x: f32,
        y: f32,
        label_w: f32,
        w: f32,
        h: f32,
        label: &str,
        value: &str,
    ) -> f32 {
        let size = 9.0;
        self.shade(x, y, label_w, h, 0.92);
        self.rect(x, y, label_w, h, 0.5);
        self.rect(x + label_w, y, w - label_w, h, 0.5);
        let baseline = y + h / 2.0 + size * MM_PER_PT * 0.35;
        self.text_fit(x + 1.5, baseline, label_w - 3.0, size, Align::Left, label);
        self.text_fit(
            x + label_w + 2.0,
            baseline,
            w - label_w - 4.0,
            10.0,
            Align::Left,
            value,
        );
        y + h
    }
}

/// The distance between baselines for text of `size` points, in millimetres.
pub fn line_height(size: f32) -> f32 {
    size * MM_PER_PT * 1.45
}

/// Breaks `text` into lines no wider than `width` mm. Japanese breaks between any two
/// characters except before closing punctuation (禁則); runs of Latin letters and digits stay
/// whole where they fit. Explicit newlines are kept.
pub fn wrap(font: &Font, text: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for token in tokens(para) {
            let token_w = font.width_mm(&token, size);
            if line_w + token_w > width && !line.is_empty() && !starts_with_closing(&token) {
                // An opening bracket never ends a line: it moves down with what it opens.
                let carried = match line.chars().last() {
                    Some(c) if "（「『【〔(".contains(c) => line.pop(),
                    _ => None,
                };
                if line.is_empty() {
                    line.extend(carried);
                } else {
                    lines.push(std::mem::take(&mut line).trim_end().to_string());
                    line.extend(carried);
                    line_w = font.width_mm(&line, size);
                    if token == " " {
                        continue;
                    }
                }
            }
            if token_w > width {
                // One unbreakable run wider than the line: break it by characters.
                for c in token.chars() {
                    let cw = font.width_mm(c.encode_utf8(&mut [0; 4]), size);
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
                continue;
            }
            line.push_str(&token);
            line_w += token_w;
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Splits into break units: a run of ASCII letters/digits, a space, or one other character.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        if c.is_ascii_alphanumeric()
            || matches!(c, '.' | ',' | '-' | '/' | ':' | '(' | ')' | '@' | '_')
        {
            run.push(c);
        } else {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            out.push(c.to_string());
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

fn starts_with_closing(token: &str) -> bool {
    token.chars().next().is_some_and(|c| {
        "、。，．）」』】〕・ー：；？！ぁぃぅぇぉっゃゅょァィゥェォッャュョ".contains(c)
    })
}

/// The size and text that fit in `width`: shrink to 60 %, then cut with an ellipsis.
fn fit(font: &Font, text: &str, width: f32, size: f32) -> (f32, String) {
    let full = font.width_mm(text, size);
    if full <= width {
        return (size, text.to_string());
    }
    let shrunk = size * (width / full);
    if shrunk >= size * 0.6 {
        return (shrunk, text.to_string());
    }
    let size = size * 0.6;
    let mut out = String::new();
    let budget = width - font.width_mm("…", size);
    let mut used = 0.0;
    for c in text.chars() {
        let cw = font.width_mm(c.encode_utf8(&mut [0; 4]), size);
        if used + cw > budget {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    (size, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::font;

    #[test]
    fn wrap_keeps_every_character_and_each_line_fits() {
        let f = font().unwrap();
        let text = "個人番号は（番号法）、源泉徴収票作成事務（給与）、健康保険・厚生年金保険届出事務、雇用保険届出事務のために利用します。ABC-12345 is kept whole.";
        let lines = wrap(f, text, 60.0, 10.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(f.width_mm(line, 10.0) <= 60.0 + 0.01, "{line}");
            assert!(!line.starts_with('、') && !line.starts_with('。'), "{line}");
            assert!(!line.ends_with('（'), "{line}");
        }
        let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let expected: String = text.chars().filter(|c| *c != ' ').collect();
        assert_eq!(joined, expected);
        assert!(lines.iter().any(|l| l.contains("ABC-12345")));
    }

    #[test]
    fn fit_shrinks_then_cuts() {
        let f = font().unwrap();
        assert_eq!(fit(f, "山田", 50.0, 10.0), (10.0, "山田".to_string()));
        let (size, text) = fit(f, "山田太郎", 7.0 * 4.0 * MM_PER_PT, 10.0);
        assert!(
            (size - 7.0).abs() < 0.01 && text == "山田太郎",
            "{size} {text}"
        );
        let (size, text) = fit(f, &"長".repeat(40), 20.0, 10.0);
        assert!((size - 6.0).abs() < 0.01);
        assert!(text.ends_with('…') && f.width_mm(&text, size) <= 20.0 + 0.01);
    }
}
