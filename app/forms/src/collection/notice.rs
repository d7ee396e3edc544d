//! マイナンバー確認通知書: tells the person what was registered and verified, and when. Numbers
//! are masked to their last four digits, whatever was handed over.

use kinko_domain::people::CollectionStatus;
use kinko_domain::wareki::format_ja;

use super::common::{
    DASH, Heading, RIGHT, block, bullets, continued, date_ja, display_name, document, firm_block,
    firm_block_height, identity_text, last_event, last_verification, letter_head, masked, members,
    nobody, paragraph_height, relation, room,
};
use crate::document::{Document, Pdf};
use crate::error::FormError;
use crate::layout::{Align, CONTENT_WIDTH, MARGIN_LEFT, Page, line_height};
use crate::model::{FormPerson, Household, Issue};
use crate::table::{Column, Table};

const TITLE: &str = "マイナンバー確認通知書";

const COLUMNS: [Column<'static>; 6] = [
    Column::new("氏名", 33.0, Align::Left),
    Column::new("続柄", 13.0, Align::Center),
    Column::new("個人番号", 25.0, Align::Center),
    Column::new("登録日", 27.0, Align::Center),
    Column::new("本人確認", 58.0, Align::Left),
    Column::new("状況", 18.0, Align::Center),
];

pub(super) fn render(issue: &Issue, households: &[Household]) -> Result<Pdf, FormError> {
    if households.is_empty() {
        return nobody(issue, TITLE);
    }
    let mut doc = document(issue, TITLE)?;
    for h in households {
        household(&mut doc, issue, h);
    }
    doc.finish()
}

fn household(doc: &mut Document, issue: &Issue, h: &Household) {
    let who = format!("{} 様", display_name(&h.person));
    let cont = |p: &mut Page| continued(p, TITLE, &who);
    let page = doc.new_section();
    let y = letter_head(page, issue, TITLE, &h.person);
    let body = "あなた及びご家族の個人番号（マイナンバー）について、当社で次のとおり登録し、\
                本人確認を行いましたのでお知らせします。個人番号は、通知した利用目的の範囲内でのみ利用し、\
                法令に従って安全に管理します。";
    let y = block(page, MARGIN_LEFT, y, CONTENT_WIDTH, 9.5, body) + 3.0;
    page.text(
        MARGIN_LEFT + CONTENT_WIDTH / 2.0,
        y + 3.0,
        10.0,
        Align::Center,
        "記",
    );
    let y = room(doc, y + 6.0, 24.0, &cont);
    let table = Table {
        columns: &COLUMNS,
        size: 8.0,
    };
    let rows = members(h).map(|(p, head)| row(p, head));
    let y = table.render(doc, y, rows, &cont);
    let y = purposes(doc, y + 4.0, &h.person, &cont);
    let y = notes(doc, y + 3.0, &cont);
    sender(doc, y + 4.0, issue, &cont);
}

fn row(p: &FormPerson, head: bool) -> Vec<String> {
    vec![
        format!("{}\n{}", display_name(p), p.kana.trim()),
        relation(p, head).to_string(),
        masked(&p.number),
        date_ja(last_event(p, CollectionStatus::Collected)),
        verification(p),
        p.collection.ja().to_string(),
    ]
}

/// The latest identity verification: date and method, documents, and who checked.
fn verification(p: &FormPerson) -> String {
    let Some(v) = last_verification(p) else {
        return "未確認".to_string();
    };
    format!(
        "{}　{}\n番号確認：{}\n身元確認：{}\n確認者：{}",
        format_ja(v.checked_on),
        v.method.ja(),
        v.number_document.ja(),
        identity_text(&v.identity_documents),
        if v.checked_by.trim().is_empty() {
            DASH
        } else {
            v.checked_by.trim()
        },
    )
}

/// The purposes last notified to the person, when there are any.
fn purposes(doc: &mut Document, y: f32, p: &FormPerson, cont: &Heading) -> f32 {
    let Some((on, list)) = &p.purposes else {
        return y;
    };
    if list.is_empty() {
        return y;
    }
    let y = room(doc, y, 2.0 * line_height(9.0), cont);
    let head = format!("利用目的（{}に通知したもの）", format_ja(*on));
    let y = block(doc.page(), MARGIN_LEFT, y, CONTENT_WIDTH, 9.0, &head);
    bullets(doc, y, 8.5, list, cont)
}

fn notes(doc: &mut Document, y: f32, cont: &Heading) -> f32 {
    let text = "※ この通知書には、個人番号の下4桁のみを表示しています。\n\
                ※ 登録内容に誤りがある場合、または氏名・住所・扶養親族に変更があった場合は、\
                速やかに事務取扱担当者までお申し出ください。";
    let need = paragraph_height(doc.page(), text, CONTENT_WIDTH, 8.5);
    let y = room(doc, y, need, cont);
    block(doc.page(), MARGIN_LEFT, y, CONTENT_WIDTH, 8.5, text)
}

/// 以上, then the firm and the person in charge, at the right.
fn sender(doc: &mut Document, y: f32, issue: &Issue, cont: &Heading) {
    let extra = [format!("事務取扱担当者　{}", issue.issued_by.trim())];
    let need = 6.0 + firm_block_height(&issue.firm, extra.len());
    let y = room(doc, y, need, cont);
    let page = doc.page();
    page.text(RIGHT, y + 3.0, 10.0, Align::Right, "以上");
    let x = RIGHT - 85.0;
    firm_block(page, x, y + 6.0, 85.0, &issue.firm, &extra);
}
