//! マイナンバー登録申請書: what the employee fills in and hands back. Pre-filled from the vault,
//! with boxes for every number: it never prints one, whatever it is handed.

use kinko_domain::people::{IdentityDocument, NumberDocument};

use super::common::{
    DASH, Heading, RIGHT, SECTION_H, block, bullets, code_label, continued, date_ja, display_name,
    document, mid, nobody, paragraph_height, purposes as purpose_list, relation, room, section,
    title,
};
use crate::document::{Document, Pdf};
use crate::error::FormError;
use crate::layout::{Align, CONTENT_WIDTH, MARGIN_LEFT, MARGIN_TOP, Page, line_height};
use crate::model::{FormPerson, Household, Issue};

const TITLE: &str = "マイナンバー登録申請書";

/// The family table's columns: 続柄, 氏名（フリガナ）, 生年月日, 扶養区分, 個人番号.
const COLS: [f32; 5] = [16.0, 44.0, 28.0, 26.0, 60.0];
const HEADS: [&str; 5] = [
    "続柄",
    "氏名（フリガナ）",
    "生年月日",
    "扶養区分",
    "個人番号（12桁）",
];
const HEAD_H: f32 = 6.0;
const ROW_H: f32 = 10.0;
/// Blank rows for members to add, at least.
const BLANK_ROWS: usize = 2;
/// Rows in the family table, at least (blank ones fill up).
const MIN_ROWS: usize = 4;

pub(super) fn render(
    issue: &Issue,
    households: &[Household],
    purposes: &[String],
) -> Result<Pdf, FormError> {
    if households.is_empty() {
        return nobody(issue, TITLE);
    }
    let purposes = purpose_list(purposes);
    let mut doc = document(issue, TITLE)?;
    for h in households {
        household(&mut doc, issue, h, &purposes);
    }
    doc.finish()
}

fn household(doc: &mut Document, issue: &Issue, h: &Household, purposes: &[String]) {
    let who = format!("{} 様", display_name(&h.person));
    let cont = |p: &mut Page| continued(p, TITLE, &who);
    let page = doc.new_section();
    let y = head(page, issue);
    let y = person_section(page, y, &h.person);
    let y = family_section(doc, y + 2.5, &h.family, &cont);
    let y = purposes_section(doc, y + 2.5, purposes, &cont);
    let y = attachments_section(doc, y + 2.5, &cont);
    declaration(doc, y + 2.5, &cont);
}

/// Title, addressee and what the form is for.
fn head(page: &mut Page, issue: &Issue) -> f32 {
    let y = title(page, MARGIN_TOP + 10.0, TITLE);
    let y = y + 3.0;
    let to = format!("{} 御中", issue.firm.name.trim());
    page.text_fit(MARGIN_LEFT, y, 110.0, 12.0, Align::Left, &to);
    page.line(MARGIN_LEFT, y + 1.5, MARGIN_LEFT + 110.0, y + 1.5, 0.5);
    let intro = "番号法に基づき、本人及びご家族の個人番号（マイナンバー）を届け出ていただきます。\
                 個人番号欄などの空欄に記入し、添付書類とともに事務取扱担当者へ提出してください。";
    block(page, MARGIN_LEFT, y + 5.0, CONTENT_WIDTH, 9.0, intro) + 2.0
}

/// The person's pre-filled fields and the boxes for their number.
fn person_section(page: &mut Page, y: f32, p: &FormPerson) -> f32 {
    let y = section(page, y, "1　本人");
    let (half, label, h) = (CONTENT_WIDTH / 2.0, 22.0, 7.5);
    let x2 = MARGIN_LEFT + half;
    let code = p.code.as_deref().unwrap_or("");
    page.field(MARGIN_LEFT, y, label, half, h, code_label(p.kind), code);
    let dept = p.department.as_deref().unwrap_or("");
    page.field(x2, y, label, half, h, "所属", dept);
    let y = y + h;
    page.field(MARGIN_LEFT, y, label, half, h, "フリガナ", &p.kana);
    page.field(x2, y, label, half, h, "生年月日", &date_ja(p.birth_date));
    let y = page.field(
        MARGIN_LEFT,
        y + h,
        label,
        CONTENT_WIDTH,
        9.5,
        "氏名",
        &p.name,
    );
    number_row(page, y, label)
}

/// 個人番号: a label and 12 boxes to write in.
fn number_row(page: &mut Page, y: f32, label: f32) -> f32 {
    let h = 11.0;
    page.field(MARGIN_LEFT, y, label, CONTENT_WIDTH, h, "個人番号", "");
    let x = MARGIN_LEFT + label + 3.0;
    let end = page.char_boxes(x, y + 1.25, 12, 7.0, h - 2.5, 4);
    page.rect(x, y + 1.25, end - x, h - 2.5, 1.4);
    let note = "12桁を1字ずつ記入";
    page.text_fit(
        end + 3.0,
        mid(y, h, 8.0),
        RIGHT - end - 5.0,
        8.0,
        Align::Left,
        note,
    );
    y + h
}

/// The family table: known members pre-filled, then blank rows; continues on new pages.
fn family_section(doc: &mut Document, y: f32, family: &[FormPerson], cont: &Heading) -> f32 {
    let note = "配偶者・扶養親族等の個人番号を記入してください。記載のないご家族は空欄の行に追記してください。";
    let need = SECTION_H + 5.0 + HEAD_H + ROW_H;
    let y = room(doc, y, need, cont);
    let page = doc.page();
    let y = section(page, y, "2　ご家族");
    let y = block(page, MARGIN_LEFT, y, CONTENT_WIDTH, 8.0, note) + 1.5;
    let mut y = family_header(page, y);
    let blanks = BLANK_ROWS.max(MIN_ROWS.saturating_sub(family.len()));
    let rows = family
        .iter()
        .map(Some)
        .chain(std::iter::repeat_n(None, blanks));
    for member in rows {
        if y + ROW_H > crate::layout::CONTENT_BOTTOM {
            let top = cont(doc.new_page());
            y = family_header(doc.page(), top);
        }
        y = family_row(doc.page(), y, member);
    }
    y
}

fn family_header(page: &mut Page, y: f32) -> f32 {
    let mut x = MARGIN_LEFT;
    for (w, head) in COLS.iter().zip(HEADS) {
        page.shade(x, y, *w, HEAD_H, 0.86);
        page.rect(x, y, *w, HEAD_H, 0.5);
        page.text_fit(
            x + 1.0,
            mid(y, HEAD_H, 8.0),
            w - 2.0,
            8.0,
            Align::Center,
            head,
        );
        x += w;
    }
    y + HEAD_H
}

/// One family member (or a blank row): cells, and 12 boxes for the number.
fn family_row(page: &mut Page, y: f32, member: Option<&FormPerson>) -> f32 {
    let mut xs = [0.0; 5];
    let mut x = MARGIN_LEFT;
    for (i, w) in COLS.iter().enumerate() {
        xs[i] = x;
        page.rect(x, y, *w, ROW_H, 0.5);
        x += w;
    }
    let cell = 4.9;
    let bx = xs[4] + (COLS[4] - 12.0 * cell) / 2.0;
    page.char_boxes(bx, y + 1.25, 12, cell, ROW_H - 2.5, 4);
    let Some(m) = member else {
        let hint = "年　　月　　日";
        page.text(xs[3] - 2.0, mid(y, ROW_H, 7.0), 7.0, Align::Right, hint);
        return y + ROW_H;
    };
    let w = |i: usize| COLS[i] - 3.0;
    page.text_fit(
        xs[0] + 1.5,
        mid(y, ROW_H, 9.0),
        w(0),
        9.0,
        Align::Center,
        relation(m, false),
    );
    page.text_fit(xs[1] + 1.5, y + 3.2, w(1), 6.5, Align::Left, &m.kana);
    page.text_fit(xs[1] + 1.5, y + 8.0, w(1), 10.0, Align::Left, &m.name);
    let birth = date_ja(m.birth_date);
    page.text_fit(
        xs[2] + 1.5,
        mid(y, ROW_H, 8.0),
        w(2),
        8.0,
        Align::Center,
        &birth,
    );
    let dependant = m.dependant.map(|d| d.ja()).unwrap_or(DASH);
    page.text_fit(
        xs[3] + 1.5,
        mid(y, ROW_H, 8.0),
        w(3),
        8.0,
        Align::Center,
        dependant,
    );
    y + ROW_H
}

/// 利用目的: the purposes as a bulleted list.
fn purposes_section(doc: &mut Document, y: f32, purposes: &[String], cont: &Heading) -> f32 {
    let y = room(doc, y, SECTION_H + line_height(8.5), cont);
    let heading = "3　個人番号の利用目的（届け出ていただいた個人番号は、次の目的にのみ利用します）";
    let y = section(doc.page(), y, heading);
    bullets(doc, y, 8.5, purposes, cont)
}

/// 添付書類: the rule and the two lists to tick.
fn attachments_section(doc: &mut Document, y: f32, cont: &Heading) -> f32 {
    let rule = "マイナンバーカードをお持ちの方は、カード両面の写し1枚で足ります（番号確認と身元確認を兼ねます）。\
                お持ちでない方は、番号確認書類と身元確認書類の写しを1点ずつ（写真のない身元確認書類は2点）添付してください。\
                ご家族の分は番号確認書類の写しを添付してください。";
    let numbers: Vec<String> = NumberDocument::ALL
        .iter()
        .filter(|d| {
            !matches!(
                d,
                NumberDocument::PreviouslyVerified | NumberDocument::Other
            )
        })
        .map(|d| format!("□ {}", d.ja()))
        .collect();
    let identity: Vec<String> = IdentityDocument::ALL
        .iter()
        .filter(|d| !matches!(d, IdentityDocument::KnownInPerson | IdentityDocument::Other))
        .map(|d| format!("□ {}", d.ja()))
        .collect();
    // The identity list is set in two columns, so both boxes are as tall as the number list.
    let lines = numbers.len().max(identity.len().div_ceil(2)) as f32;
    let rule_h = paragraph_height(doc.page(), rule, CONTENT_WIDTH, 8.5);
    let box_h = 6.0 + lines * line_height(8.5) + 2.0;
    let y = room(doc, y, SECTION_H + rule_h + 1.5 + box_h, cont);
    let page = doc.page();
    let y = section(page, y, "4　添付書類");
    let y = block(page, MARGIN_LEFT, y, CONTENT_WIDTH, 8.5, rule) + 1.5;
    let left = 62.0;
    let a = ("番号確認書類（いずれか1点）", numbers.as_slice());
    document_box(page, MARGIN_LEFT, y, left, box_h, a, 1);
    let b = ("身元確認書類（いずれか1点）", identity.as_slice());
    let w = CONTENT_WIDTH - left - 3.0;
    document_box(page, MARGIN_LEFT + left + 3.0, y, w, box_h, b, 2);
    y + box_h
}

/// A box headed `head` listing `items` (to tick) in `columns` columns.
fn document_box(
    page: &mut Page,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    (head, items): (&str, &[String]),
    columns: usize,
) {
    page.shade(x, y, w, 6.0, 0.92);
    page.rect(x, y, w, 6.0, 0.5);
    page.rect(x, y, w, h, 0.5);
    page.text_fit(x + 2.0, mid(y, 6.0, 9.0), w - 4.0, 9.0, Align::Left, head);
    let lead = line_height(8.5);
    let per_column = items.len().div_ceil(columns.max(1)).max(1);
    let col_w = w / columns.max(1) as f32;
    for (i, item) in items.iter().enumerate() {
        let cx = x + 3.0 + col_w * (i / per_column) as f32;
        let base = y + 6.0 + 1.0 + ((i % per_column) as f32 + 0.75) * lead;
        page.text_fit(cx, base, col_w - 5.0, 8.5, Align::Left, item);
    }
}

/// The declaration, the date and signature lines, and the office's receiving boxes.
fn declaration(doc: &mut Document, y: f32, cont: &Heading) {
    let text = "上記のとおり届け出ます。記入した個人番号は、私及び私の家族のものに相違ありません。";
    let y = room(doc, y, 27.0, cont);
    let page = doc.page();
    let y = block(page, MARGIN_LEFT, y + 1.0, CONTENT_WIDTH, 9.5, text) + 5.0;
    page.text(
        MARGIN_LEFT + 4.0,
        y,
        10.0,
        Align::Left,
        "令和　　年　　月　　日",
    );
    page.text(MARGIN_LEFT + 78.0, y, 10.0, Align::Left, "署名");
    page.line(MARGIN_LEFT + 90.0, y + 1.5, RIGHT, y + 1.5, 0.6);
    let y = y + 7.0;
    office_row(page, y);
}

/// 事務処理欄: for the office when the form comes back.
fn office_row(page: &mut Page, y: f32) {
    let label = 22.0;
    page.shade(MARGIN_LEFT, y, label, 9.0, 0.8);
    page.rect(MARGIN_LEFT, y, label, 9.0, 0.5);
    page.text(
        MARGIN_LEFT + label / 2.0,
        mid(y, 9.0, 8.0),
        8.0,
        Align::Center,
        "事務処理欄",
    );
    let w = (CONTENT_WIDTH - label) / 3.0;
    for (i, head) in ["受付日", "本人確認", "担当者印"].iter().enumerate() {
        let x = MARGIN_LEFT + label + w * i as f32;
        page.field(x, y, 16.0, w, 9.0, head, "");
    }
}
