//! What the collection forms share: the document, headings and page breaks, the firm block,
//! seal boxes and the letter head. The wording of people, dates and numbers is in
//! [`super::words`], re-exported here so each form imports from one place.

use kinko_domain::wareki::format_ja;

pub(super) use super::words::*;
use crate::document::{DocInfo, Document, Pdf};
use crate::error::FormError;
use crate::font::MM_PER_PT;
use crate::layout::{
    Align, CONTENT_BOTTOM, CONTENT_WIDTH, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_WIDTH, Page,
    line_height, wrap,
};
use crate::model::{DEFAULT_PURPOSES, Firm, FormPerson, Issue};

/// Printed where there is nothing to print.
pub(super) const DASH: &str = "—";
/// The right edge of the content.
pub(super) const RIGHT: f32 = PAGE_WIDTH - MARGIN_RIGHT;

/// Draws the top of a continuation page and returns where content goes on it.
pub(super) type Heading<'a> = dyn Fn(&mut Page) -> f32 + 'a;

pub(super) fn document(issue: &Issue, title: &str) -> Result<Document, FormError> {
    Document::new(DocInfo {
        title: title.to_string(),
        firm: issue.firm.name.clone(),
        created: issue.created,
    })
}

/// A document with one page saying there is nobody to print.
pub(super) fn nobody(issue: &Issue, title_text: &str) -> Result<Pdf, FormError> {
    let mut doc = document(issue, title_text)?;
    let page = doc.new_page();
    let y = title(page, MARGIN_TOP + 10.0, title_text);
    page.text(
        PAGE_WIDTH / 2.0,
        y + 20.0,
        12.0,
        Align::Center,
        "対象者がいません。",
    );
    doc.finish()
}

/// The form's title, centred with its baseline at `y`; returns where the body starts.
pub(super) fn title(page: &mut Page, y: f32, text: &str) -> f32 {
    page.text_fit(MARGIN_LEFT, y, CONTENT_WIDTH, 17.0, Align::Center, text);
    y + 9.0
}

/// The top of a continuation page: `title（続き）` and whom the form is about.
pub(super) fn continued(page: &mut Page, title: &str, who: &str) -> f32 {
    let y = MARGIN_TOP + 6.0;
    page.text(
        MARGIN_LEFT,
        y,
        11.0,
        Align::Left,
        &format!("{title}（続き）"),
    );
    page.text_fit(
        MARGIN_LEFT + 95.0,
        y,
        CONTENT_WIDTH - 95.0,
        10.0,
        Align::Right,
        who,
    );
    page.line(MARGIN_LEFT, y + 2.0, RIGHT, y + 2.0, 0.6);
    y + 7.0
}

/// Starts a new page (through `heading`) when `need` millimetres do not fit below `y`.
pub(super) fn room(doc: &mut Document, y: f32, need: f32, heading: &Heading) -> f32 {
    if y + need > CONTENT_BOTTOM {
        heading(doc.new_page())
    } else {
        y
    }
}

/// A shaded section heading across the content; returns where the section's body starts.
pub(super) fn section(page: &mut Page, y: f32, text: &str) -> f32 {
    let h = 6.0;
    page.shade(MARGIN_LEFT, y, CONTENT_WIDTH, h, 0.86);
    page.text_fit(
        MARGIN_LEFT + 2.0,
        y + 4.3,
        CONTENT_WIDTH - 4.0,
        10.0,
        Align::Left,
        text,
    );
    y + h + 2.0
}

/// The height of a section heading and its gap.
pub(super) const SECTION_H: f32 = 8.0;

/// The baseline of `size`-point text centred in a box from `y` to `y + h`.
pub(super) fn mid(y: f32, h: f32, size: f32) -> f32 {
    y + h / 2.0 + size * MM_PER_PT * 0.35
}

/// The height `text` takes as a paragraph `width` wide (from the first line's top).
pub(super) fn paragraph_height(page: &Page, text: &str, width: f32, size: f32) -> f32 {
    wrap(page.font(), text, width, size).len() as f32 * line_height(size)
}

/// Writes a paragraph whose top is `y` (not its baseline); returns the bottom.
pub(super) fn block(page: &mut Page, x: f32, y: f32, width: f32, size: f32, text: &str) -> f32 {
    let lead = line_height(size);
    let end = page.paragraph(x, y + lead * 0.75, width, size, text);
    end - lead * 0.75
}

/// `text` in a box across the content, continued in further boxes on following pages when it
/// is longer than the room left; returns the bottom.
pub(super) fn boxed_text(
    doc: &mut Document,
    y: f32,
    text: &str,
    size: f32,
    heading: &Heading,
) -> f32 {
    let (pad, width) = (2.0, CONTENT_WIDTH - 6.0);
    let lead = line_height(size);
    let lines = wrap(doc.page().font(), text, width, size);
    let mut rest = lines.as_slice();
    let mut y = y;
    while !rest.is_empty() {
        y = room(doc, y, lead + 2.0 * pad, heading);
        let fit = ((CONTENT_BOTTOM - y - 2.0 * pad) / lead).floor().max(1.0) as usize;
        let (now, later) = rest.split_at(fit.min(rest.len()));
        let h = now.len() as f32 * lead + 2.0 * pad;
        let page = doc.page();
        page.rect(MARGIN_LEFT, y, CONTENT_WIDTH, h, 0.5);
        for (i, line) in now.iter().enumerate() {
            let base = y + pad + (i as f32 + 0.75) * lead;
            page.text(MARGIN_LEFT + 3.0, base, size, Align::Left, line);
        }
        y += h;
        rest = later;
    }
    y
}

/// A bulleted list; an item is kept on one page when it fits on one, else broken by lines.
/// Returns the bottom.
pub(super) fn bullets(
    doc: &mut Document,
    y: f32,
    size: f32,
    items: &[String],
    heading: &Heading,
) -> f32 {
    let (indent, lead) = (4.0, line_height(size));
    let width = CONTENT_WIDTH - indent - 2.0;
    let mut y = y;
    for item in items {
        let lines = wrap(doc.page().font(), item, width, size);
        let whole = lines.len() as f32 * lead;
        y = room(
            doc,
            y,
            whole.min(CONTENT_BOTTOM - MARGIN_TOP - 20.0),
            heading,
        );
        for (i, line) in lines.iter().enumerate() {
            y = room(doc, y, lead, heading);
            let page = doc.page();
            let base = y + lead * 0.75;
            if i == 0 {
                page.text(MARGIN_LEFT + 1.0, base, size, Align::Left, "・");
            }
            page.text(MARGIN_LEFT + 1.0 + indent, base, size, Align::Left, line);
            y += lead;
        }
    }
    y
}

/// The purposes to print: the firm's, or the default set.
pub(super) fn purposes(given: &[String]) -> Vec<String> {
    let given: Vec<String> = given
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if given.is_empty() {
        DEFAULT_PURPOSES.iter().map(|p| p.to_string()).collect()
    } else {
        given
    }
}

/// The firm as printed on a form: name, address, 法人番号 (public), representative, phone.
pub(super) fn firm_lines(firm: &Firm) -> Vec<String> {
    let mut lines = vec![firm.name.clone()];
    let optional = [
        ("所在地", &firm.address),
        ("法人番号", &firm.corporate_number),
        ("代表者", &firm.representative),
        ("電話", &firm.phone),
    ];
    for (label, value) in optional {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            lines.push(format!("{label}　{v}"));
        }
    }
    lines
}

/// The firm block (and `extra` lines such as the issuer) at `x`, `width` wide; the first line
/// (the firm's name) larger. Returns the bottom.
pub(super) fn firm_block(
    page: &mut Page,
    x: f32,
    y: f32,
    width: f32,
    firm: &Firm,
    extra: &[String],
) -> f32 {
    let mut y = y;
    for (i, line) in firm_lines(firm).iter().chain(extra).enumerate() {
        let size = if i == 0 { 11.0 } else { 9.0 };
        y += line_height(size);
        page.text_fit(x, y, width, size, Align::Left, line);
    }
    y + 1.5
}

/// The height [`firm_block`] takes.
pub(super) fn firm_block_height(firm: &Firm, extra: usize) -> f32 {
    let lines = firm_lines(firm).len() + extra;
    line_height(11.0) + (lines - 1) as f32 * line_height(9.0) + 1.5
}

/// Seal boxes side by side, ending at the right margin: a shaded label over a space to sign
/// or stamp, with a name pre-printed when given. Returns the bottom.
pub(super) fn seal_boxes(page: &mut Page, y: f32, boxes: &[(&str, &str)]) -> f32 {
    let (w, head, body) = (40.0, 6.0, 20.0);
    let mut x = RIGHT - w * boxes.len() as f32;
    for (label, name) in boxes {
        page.shade(x, y, w, head, 0.9);
        page.rect(x, y, w, head, 0.5);
        page.text_fit(
            x + 1.0,
            mid(y, head, 9.0),
            w - 2.0,
            9.0,
            Align::Center,
            label,
        );
        page.rect(x, y + head, w, body, 0.5);
        page.text_fit(x + 2.0, y + head + 6.0, w - 4.0, 9.0, Align::Left, name);
        page.text(x + w - 2.0, y + head + body - 2.0, 7.0, Align::Right, "印");
        x += w;
    }
    y + head + body
}

/// The height [`seal_boxes`] take.
pub(super) const SEAL_H: f32 = 26.0;

/// The top of a letter to a person: the date (right), `〇〇 様` with their code and
/// department, then the title. Returns where the body starts.
pub(super) fn letter_head(page: &mut Page, issue: &Issue, title_text: &str, p: &FormPerson) -> f32 {
    let y = MARGIN_TOP + 5.0;
    let date = format_ja(issue.created.date());
    page.text(RIGHT, y, 10.0, Align::Right, &date);
    let y = y + 10.0;
    page.text_fit(MARGIN_LEFT, y, 100.0, 13.0, Align::Left, &addressee(p));
    page.line(MARGIN_LEFT, y + 1.8, MARGIN_LEFT + 100.0, y + 1.8, 0.6);
    let mut about = Vec::new();
    if let Some(code) = p.code.as_deref().filter(|c| !c.trim().is_empty()) {
        about.push(format!("{}　{}", code_label(p.kind), code.trim()));
    }
    if let Some(dept) = p.department.as_deref().filter(|d| !d.trim().is_empty()) {
        about.push(format!("所属　{}", dept.trim()));
    }
    page.text_fit(
        MARGIN_LEFT,
        y + 7.0,
        100.0,
        8.5,
        Align::Left,
        &about.join("　　"),
    );
    title(page, y + 20.0, title_text)
}
