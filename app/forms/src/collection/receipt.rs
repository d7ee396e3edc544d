//! マイナンバー受取確認書: what the firm received from the person (numbers masked), when and by
//! whom, with boxes for the receiver and the person to sign or stamp.

use chrono::NaiveDate;
use kinko_domain::people::CollectionStatus;
use kinko_domain::wareki::format_ja;

use super::common::{
    DASH, Heading, SEAL_H, block, continued, display_name, document, firm_block, firm_block_height,
    identity_text, last_event, last_verification, letter_head, masked, members, nobody, relation,
    room, seal_boxes,
};
use crate::document::{Document, Pdf};
use crate::error::FormError;
use crate::layout::{Align, CONTENT_WIDTH, MARGIN_LEFT, Page};
use crate::model::{FormPerson, Household, Issue};
use crate::table::{Column, Table};

const TITLE: &str = "マイナンバー受取確認書";

const COLUMNS: [Column<'static>; 7] = [
    Column::new("氏名", 28.0, Align::Left),
    Column::new("続柄", 12.0, Align::Center),
    Column::new("個人番号", 24.0, Align::Center),
    Column::new("番号確認書類", 30.0, Align::Left),
    Column::new("身元確認書類", 32.0, Align::Left),
    Column::new("受領日", 28.0, Align::Center),
    Column::new("受領者", 20.0, Align::Center),
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
    let body = "当社は、番号法に基づく個人番号関係事務のため、あなた及びご家族の個人番号（マイナンバー）と\
                本人確認書類を、下記のとおり受け取りました。受け取った個人番号は、通知した利用目的の範囲内でのみ利用し、\
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
    let note = "※ 個人番号は下4桁のみを表示しています。受け取った書類の写しは、必要な期間保管した後、確実に廃棄します。";
    let y = room(doc, y + 2.0, 10.0, &cont);
    let y = block(doc.page(), MARGIN_LEFT, y + 1.0, CONTENT_WIDTH, 8.0, note);
    signatures(doc, y + 6.0, issue, &cont);
}

fn row(p: &FormPerson, head: bool) -> Vec<String> {
    let name = format!("{}\n{}", display_name(p), p.kana.trim());
    let relation = relation(p, head).to_string();
    let number = masked(&p.number);
    let verification = last_verification(p);
    let collected = last_event(p, CollectionStatus::Collected);
    let on: Option<NaiveDate> = collected.or(verification.map(|v| v.checked_on));
    let Some(on) = on else {
        let dash = DASH.to_string();
        return vec![
            name,
            relation,
            number,
            "未受領".into(),
            dash.clone(),
            "未受領".into(),
            dash,
        ];
    };
    let (number_doc, identity, by) = match verification {
        Some(v) => (
            v.number_document.ja().to_string(),
            identity_text(&v.identity_documents),
            v.checked_by.trim().to_string(),
        ),
        None => ("（記録なし）".into(), "（記録なし）".into(), String::new()),
    };
    let by = if by.is_empty() { DASH.to_string() } else { by };
    vec![
        name,
        relation,
        number,
        number_doc,
        identity,
        format_ja(on),
        by,
    ]
}

/// The firm (left) and the boxes for the receiver and the person (right).
fn signatures(doc: &mut Document, y: f32, issue: &Issue, cont: &Heading) {
    let extra = [format!("事務取扱担当者　{}", issue.issued_by.trim())];
    let need = SEAL_H.max(firm_block_height(&issue.firm, extra.len()));
    let y = room(doc, y, need, cont);
    let page = doc.page();
    firm_block(page, MARGIN_LEFT, y, 88.0, &issue.firm, &extra);
    seal_boxes(page, y, &[("受領者", ""), ("提出者（本人）", "")]);
}
