//! マイナンバー提出拒否確認書: for each person who refused to provide their number, the history
//! of the requests (経過), the reason given, and the firm's confirmation, kept as the tax
//! authority asks employers to. A household with nobody refused gets a page saying so.

use kinko_domain::people::CollectionStatus;
use kinko_domain::wareki::format_ja;

use super::common::{
    DASH, Heading, SEAL_H, SECTION_H, block, boxed_text, code_label, continued, date_ja,
    display_name, document, firm_block, firm_block_height, members, nobody, paragraph_height,
    relation, room, seal_boxes, section, title,
};
use crate::document::{Document, Pdf};
use crate::error::FormError;
use crate::layout::{Align, CONTENT_WIDTH, MARGIN_LEFT, MARGIN_TOP, Page, line_height, wrap};
use crate::model::{FormPerson, Household, Issue};
use crate::table::{Column, Table};

const TITLE: &str = "マイナンバー提出拒否確認書";

const HISTORY: [Column<'static>; 4] = [
    Column::new("No.", 10.0, Align::Right),
    Column::new("日付", 30.0, Align::Center),
    Column::new("状況", 22.0, Align::Center),
    Column::new("内容", 112.0, Align::Left),
];

/// The most lines of a note in one row of the history.
const NOTE_LINES: usize = 30;

const MEMBERS: [Column<'static>; 4] = [
    Column::new("氏名", 60.0, Align::Left),
    Column::new("続柄", 30.0, Align::Center),
    Column::new("回収状況", 30.0, Align::Center),
    Column::new("最終更新日", 54.0, Align::Center),
];

pub(super) fn render(issue: &Issue, households: &[Household]) -> Result<Pdf, FormError> {
    if households.is_empty() {
        return nobody(issue, TITLE);
    }
    let mut doc = document(issue, TITLE)?;
    for h in households {
        let refused: Vec<(&FormPerson, bool)> = members(h)
            .filter(|(p, _)| p.collection == CollectionStatus::Refused)
            .collect();
        if refused.is_empty() {
            none_refused(&mut doc, h);
        }
        for (p, head) in refused {
            record(&mut doc, issue, h, p, head);
        }
    }
    doc.finish()
}

/// The record for one person who refused.
fn record(doc: &mut Document, issue: &Issue, h: &Household, p: &FormPerson, head: bool) {
    let who = format!("{}（{}）", display_name(p), relation(p, head));
    let cont = |page: &mut Page| continued(page, TITLE, &who);
    let page = doc.new_section();
    let y = title(page, MARGIN_TOP + 10.0, TITLE) + 2.0;
    let y = person_fields(page, y, h, p, head);
    let y = room(doc, y + 4.0, SECTION_H + 16.0, &cont);
    let y = section(doc.page(), y, "経過");
    let y = history(doc, y, p, &cont);
    let y = reason(doc, y + 4.0, p, &cont);
    let y = statement(doc, y + 4.0, &cont);
    confirmation(doc, y + 5.0, issue, &cont);
}

/// 氏名, フリガナ, 区分, 生年月日, the employee's code and department, the status.
fn person_fields(page: &mut Page, y: f32, h: &Household, p: &FormPerson, head: bool) -> f32 {
    let (half, label, fh) = (CONTENT_WIDTH / 2.0, 24.0, 8.0);
    let x2 = MARGIN_LEFT + half;
    let kind = if head {
        format!("{}（本人）", p.kind.ja())
    } else {
        format!("家族（{}）", relation(p, false))
    };
    let e = &h.person;
    page.field(MARGIN_LEFT, y, label, half, fh, "氏名", &p.name);
    page.field(x2, y, label, half, fh, "フリガナ", &p.kana);
    let y = y + fh;
    page.field(MARGIN_LEFT, y, label, half, fh, "区分", &kind);
    page.field(x2, y, label, half, fh, "生年月日", &date_ja(p.birth_date));
    let y = y + fh;
    let code = e.code.as_deref().unwrap_or("");
    page.field(MARGIN_LEFT, y, label, half, fh, code_label(e.kind), code);
    let dept = e.department.as_deref().unwrap_or("");
    page.field(x2, y, label, half, fh, "所属", dept);
    let y = y + fh;
    let employee = if head {
        "（本人）"
    } else {
        display_name(e)
    };
    page.field(MARGIN_LEFT, y, label, half, fh, "社員氏名", employee);
    page.field(x2, y, label, half, fh, "回収状況", p.collection.ja());
    y + fh
}

/// The full history as a table (日付 in 和暦, 状況, 内容).
fn history(doc: &mut Document, y: f32, p: &FormPerson, cont: &Heading) -> f32 {
    let table = Table {
        columns: &HISTORY,
        size: 8.5,
    };
    if p.history.is_empty() {
        let row = vec![
            String::new(),
            DASH.into(),
            DASH.into(),
            "経過の記録はありません。".into(),
        ];
        return table.render(doc, y, [row], cont);
    }
    let font = doc.page().font();
    let note_width = HISTORY[3].width - 2.4;
    let rows = p.history.iter().enumerate().flat_map(|(i, e)| {
        let note = if e.note.trim().is_empty() {
            DASH
        } else {
            e.note.trim()
        };
        // A note longer than a page is split over rows, so no row outgrows a page.
        let lines = wrap(font, note, note_width, 8.5);
        let chunks: Vec<String> = lines.chunks(NOTE_LINES).map(|c| c.join("\n")).collect();
        chunks.into_iter().enumerate().map(move |(k, chunk)| {
            if k > 0 {
                return vec![String::new(), String::new(), String::new(), chunk];
            }
            vec![
                (i + 1).to_string(),
                format_ja(e.on),
                e.status.ja().to_string(),
                chunk,
            ]
        })
    });
    table.render(doc, y, rows, cont)
}

/// The reason given: the note of the last 提出拒否 event.
fn reason(doc: &mut Document, y: f32, p: &FormPerson, cont: &Heading) -> f32 {
    let last = p
        .history
        .iter()
        .rev()
        .find(|e| e.status == CollectionStatus::Refused);
    let text = match last {
        Some(e) if !e.note.trim().is_empty() => format!("{}（{}）", e.note.trim(), format_ja(e.on)),
        Some(e) => format!("（理由の記載なし）（{}）", format_ja(e.on)),
        None => "（記録なし）".to_string(),
    };
    let y = room(doc, y, SECTION_H + line_height(9.5) + 4.0, cont);
    let y = section(doc.page(), y, "提出を拒否された理由");
    boxed_text(doc, y, &text, 9.5, cont)
}

/// What the firm did and why it keeps this record.
fn statement(doc: &mut Document, y: f32, cont: &Heading) -> f32 {
    let text = "当社は、行政手続における特定の個人を識別するための番号の利用等に関する法律（番号法）に基づき、\
                個人番号関係事務のため上記の者に個人番号の提供を求めましたが、上記の経過のとおり提供を受けられませんでした。\
                税務当局の求めに従い、提供を求めた経過をこのとおり記録し、保存します。";
    let need = paragraph_height(doc.page(), text, CONTENT_WIDTH, 9.5);
    let y = room(doc, y, need, cont);
    block(doc.page(), MARGIN_LEFT, y, CONTENT_WIDTH, 9.5, text)
}

/// The firm, the date of confirmation, and the boxes for the person in charge and the checker.
fn confirmation(doc: &mut Document, y: f32, issue: &Issue, cont: &Heading) {
    let need = SEAL_H.max(firm_block_height(&issue.firm, 0) + 8.0);
    let y = room(doc, y, need, cont);
    let page = doc.page();
    let bottom = firm_block(page, MARGIN_LEFT, y, 88.0, &issue.firm, &[]);
    let date_y = bottom + line_height(10.0) + 1.0;
    page.text(
        MARGIN_LEFT,
        date_y,
        10.0,
        Align::Left,
        "確認日　令和　　年　　月　　日",
    );
    let staff = issue.issued_by.trim();
    seal_boxes(page, y, &[("事務取扱担当者", staff), ("確認者", "")]);
}

/// A household where nobody refused: a page that says so, with each member's status.
fn none_refused(doc: &mut Document, h: &Household) {
    let who = display_name(&h.person).to_string();
    let cont = |page: &mut Page| continued(page, TITLE, &who);
    let page = doc.new_section();
    let y = title(page, MARGIN_TOP + 10.0, TITLE) + 2.0;
    let y = person_fields(page, y, h, &h.person, true);
    let text = "この世帯には、個人番号の提出を拒否した方の記録はありません。各人の回収状況は次のとおりです。";
    let y = block(page, MARGIN_LEFT, y + 5.0, CONTENT_WIDTH, 9.5, text) + 3.0;
    let table = Table {
        columns: &MEMBERS,
        size: 8.5,
    };
    let rows = members(h).map(|(p, head)| {
        let last = p.history.iter().map(|e| e.on).max();
        vec![
            display_name(p).to_string(),
            relation(p, head).to_string(),
            p.collection.ja().to_string(),
            date_ja(last),
        ]
    });
    table.render(doc, y, rows, &cont);
}
