//! マイナンバーチェックリスト: one table over as many pages as it needs (the header repeated),
//! each employee followed by their family, then the counts per status. Numbers appear in full
//! only when the list is made with numbers revealed and they are handed over in full.

use kinko_domain::people::{CollectionStatus, PersonKind};

use super::common::{
    Heading, SECTION_H, continued, display_name, document, masked, nobody, room, section, title,
};
use crate::document::{Document, Pdf};
use crate::error::FormError;
use crate::layout::{Align, CONTENT_WIDTH, MARGIN_LEFT, MARGIN_TOP, Page, line_height};
use crate::model::{FormPerson, Issue};
use crate::table::{Column, Table};

const TITLE: &str = "マイナンバーチェックリスト";
const MASKED: &str = "個人番号：マスク表示";
const REVEALED: &str = "個人番号：全桁表示（取扱注意）";

const COLUMNS: [Column<'static>; 9] = [
    Column::new("No.", 10.0, Align::Right),
    Column::new("社員番号", 17.0, Align::Left),
    Column::new("氏名", 33.0, Align::Left),
    Column::new("フリガナ", 30.0, Align::Left),
    Column::new("区分/続柄", 16.0, Align::Center),
    Column::new("所属", 20.0, Align::Left),
    Column::new("個人番号", 26.0, Align::Center),
    Column::new("回収状況", 14.0, Align::Center),
    Column::new("確認", 8.0, Align::Center),
];

const SUMMARY: [Column<'static>; 4] = [
    Column::new("状況", 36.0, Align::Left),
    Column::new("社員・支払先", 28.0, Align::Right),
    Column::new("家族", 28.0, Align::Right),
    Column::new("計", 28.0, Align::Right),
];

pub(super) fn render(
    issue: &Issue,
    people: &[FormPerson],
    numbers_revealed: bool,
) -> Result<Pdf, FormError> {
    if people.is_empty() {
        return nobody(issue, TITLE);
    }
    let mode = if numbers_revealed { REVEALED } else { MASKED };
    let mut doc = document(issue, TITLE)?;
    let y = head(doc.new_page(), issue, mode, people.len());
    let cont = |p: &mut Page| continued(p, TITLE, mode);
    let table = Table {
        columns: &COLUMNS,
        size: 8.0,
    };
    let rows = people
        .iter()
        .enumerate()
        .map(|(i, p)| row(i + 1, p, numbers_revealed));
    let y = table.render(&mut doc, y, rows, &cont);
    summary(&mut doc, y + 6.0, people, &cont);
    doc.finish()
}

/// Title, what the list shows, how many people, who made it.
fn head(page: &mut Page, issue: &Issue, mode: &str, count: usize) -> f32 {
    let y = title(page, MARGIN_TOP + 10.0, TITLE);
    page.text(MARGIN_LEFT, y, 10.0, Align::Left, mode);
    let about = format!("対象 {count} 名　　作成者 {}", issue.issued_by.trim());
    let right = MARGIN_LEFT + CONTENT_WIDTH;
    page.text_fit(
        MARGIN_LEFT + 80.0,
        y,
        CONTENT_WIDTH - 80.0,
        9.0,
        Align::Right,
        &about,
    );
    page.line(MARGIN_LEFT, y + 2.0, right, y + 2.0, 0.6);
    y + 5.0
}

fn row(no: usize, p: &FormPerson, numbers_revealed: bool) -> Vec<String> {
    let family = p.kind == PersonKind::Family;
    let name = if family {
        format!("　└ {}", display_name(p))
    } else {
        display_name(p).to_string()
    };
    let kind = match p.kind {
        PersonKind::Family => p
            .relation
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .unwrap_or(PersonKind::Family.ja()),
        other => other.ja(),
    };
    let number = if numbers_revealed {
        p.number.text().to_string()
    } else {
        masked(&p.number)
    };
    let checked = p.collection == CollectionStatus::Verified || !p.verifications.is_empty();
    vec![
        no.to_string(),
        p.code.clone().unwrap_or_default(),
        name,
        p.kana.trim().to_string(),
        kind.to_string(),
        p.department.clone().unwrap_or_default(),
        number,
        p.collection.ja().to_string(),
        if checked { "済" } else { "未" }.to_string(),
    ]
}

/// 集計: how many people stand at each status, employees (and payees) and family apart.
fn summary(doc: &mut Document, y: f32, people: &[FormPerson], cont: &Heading) {
    let statuses = CollectionStatus::ALL;
    let mut counts = vec![[0usize; 2]; statuses.len()];
    for p in people {
        let col = usize::from(p.kind == PersonKind::Family);
        if let Some(i) = statuses.iter().position(|s| *s == p.collection) {
            counts[i][col] += 1;
        }
    }
    let rows_h = (statuses.len() + 2) as f32 * (line_height(8.5) + 2.4);
    let y = room(doc, y, SECTION_H + rows_h, cont);
    let y = section(doc.page(), y, "集計");
    let total = |c: &[usize; 2]| c[0] + c[1];
    let mut rows: Vec<Vec<String>> = statuses
        .iter()
        .zip(&counts)
        .map(|(s, c)| {
            let cells = [c[0], c[1], total(c)].map(|n| format!("{n} 名"));
            std::iter::once(s.ja().to_string()).chain(cells).collect()
        })
        .collect();
    let employees: usize = counts.iter().map(|c| c[0]).sum();
    let family: usize = counts.iter().map(|c| c[1]).sum();
    let sums = [employees, family, employees + family].map(|n| format!("{n} 名"));
    rows.push(std::iter::once("合計".to_string()).chain(sums).collect());
    let table = Table {
        columns: &SUMMARY,
        size: 8.5,
    };
    table.render(doc, y, rows, cont);
}
