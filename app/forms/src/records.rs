//! The records (F4, F6, F8, F9): recovery-code sheet, audit seal, audit-log extract, sessions
//! report, take-out register. None carries a My Number.

use chrono::NaiveDateTime;

use kinko_domain::wareki::format_ja;

use crate::document::{DocInfo, Document, Pdf};
use crate::error::FormError;
use crate::layout::{Align, CONTENT_WIDTH, MARGIN_LEFT, MARGIN_RIGHT, PAGE_WIDTH, Page};
use crate::model::{AuditLine, Firm, Issue, SanitizeSheet, SealSheet, SessionLine, TakeoutLine};
use crate::table::{Column, Table};

const RIGHT: f32 = PAGE_WIDTH - MARGIN_RIGHT;

fn firm_name(firm: &Firm) -> String {
    if firm.name.trim().is_empty() {
        "（会社名未設定）".into()
    } else {
        firm.name.clone()
    }
}

fn new_document(title: &str, firm: &Firm, created: NaiveDateTime) -> Result<Document, FormError> {
    Document::new(DocInfo {
        title: title.into(),
        firm: firm_name(firm),
        created,
    })
}

/// The title block every record starts with; returns where the body starts.
fn heading(page: &mut Page, title: &str, lines: &[String]) -> f32 {
    page.text(PAGE_WIDTH / 2.0, 28.0, 16.0, Align::Center, title);
    page.line(MARGIN_LEFT, 32.0, RIGHT, 32.0, 0.8);
    let mut y = 39.0;
    for line in lines {
        page.text(MARGIN_LEFT, y, 9.0, Align::Left, line);
        y += 5.0;
    }
    y + 2.0
}

fn when(t: NaiveDateTime) -> String {
    format!(
        "{} {}（{}）",
        format_ja(t.date()),
        t.format("%H:%M"),
        t.format("%Y-%m-%d")
    )
}

fn issue_lines(issue: &Issue) -> Vec<String> {
    vec![
        format!("会社名：{}", firm_name(&issue.firm)),
        format!(
            "作成日時：{}　作成者：{}",
            when(issue.created),
            issue.issued_by
        ),
    ]
}

/// Signature and stamp boxes at `y`, one per role, right-aligned.
fn sign_boxes(page: &mut Page, y: f32, roles: &[&str]) -> f32 {
    let w = 28.0;
    let mut x = RIGHT - w * roles.len() as f32;
    for role in roles {
        page.shade(x, y, w, 6.0, 0.92);
        page.rect(x, y, w, 6.0, 0.5);
        page.text(x + w / 2.0, y + 4.3, 8.0, Align::Center, role);
        page.rect(x, y + 6.0, w, 22.0, 0.5);
        x += w;
    }
    y + 28.0
}

/// Writes a secret code large, in groups, inside a frame.
fn code_block(page: &mut Page, y: f32, label: &str, code: &str) -> f32 {
    page.text(MARGIN_LEFT, y, 10.0, Align::Left, label);
    page.rect(MARGIN_LEFT, y + 3.0, CONTENT_WIDTH, 20.0, 1.2);
    page.text_fit(
        MARGIN_LEFT + 4.0,
        y + 16.5,
        CONTENT_WIDTH - 8.0,
        20.0,
        Align::Center,
        code,
    );
    y + 30.0
}

fn bullets(page: &mut Page, mut y: f32, items: &[&str]) -> f32 {
    for item in items {
        page.text(MARGIN_LEFT + 2.0, y, 10.0, Align::Left, "・");
        y = page.paragraph(MARGIN_LEFT + 7.0, y, CONTENT_WIDTH - 7.0, 10.0, item) + 1.0;
    }
    y
}

/// The recovery-code sheet printed at set-up and kept in the safe. `code` is the code itself;
/// the sheet exists to carry it.
pub fn recovery_sheet(
    firm: &Firm,
    created: NaiveDateTime,
    admin: &str,
    code: &str,
) -> Result<Pdf, FormError> {
    let mut doc = new_document("復旧コード（リカバリーコード）", firm, created)?;
    let page = doc.page();
    let lines = [
        format!("会社名：{}", firm_name(firm)),
        format!("作成日時：{}", when(created)),
        format!("管理者アカウント：{admin}"),
    ];
    let y = heading(page, "復旧コード（リカバリーコード）", &lines);
    let y = code_block(page, y + 4.0, "復旧コード", code);
    let y = bullets(
        page,
        y + 4.0,
        &[
            "このコードは、管理者がパスワードを忘れたときに金庫を開くためのものです。この用紙は一度しか印刷できません。",
            "この用紙は封筒に入れて封をし、USBメモリとは別に金庫で保管してください。",
            "コピー・撮影・電子メール等での送付はしないでください。第三者に見られた場合は、直ちに管理者パスワードを変更し、事務取扱責任者に報告してください。",
            "使用したときや破棄したときは、その日付と理由を下の欄に記入してください。",
        ],
    );
    let y = sign_boxes(page, y + 6.0, &["作成者", "保管責任者"]);
    page.text(MARGIN_LEFT, y + 10.0, 10.0, Align::Left, "使用・破棄の記録");
    for i in 0..3 {
        let row = y + 13.0 + i as f32 * 9.0;
        page.rect(MARGIN_LEFT, row, CONTENT_WIDTH, 9.0, 0.4);
        page.text(
            MARGIN_LEFT + 2.0,
            row + 6.0,
            9.0,
            Align::Left,
            "日付：令和　　年　　月　　日　　理由：",
        );
    }
    doc.finish()
}

/// The audit seal: the log's head on paper, so that a vault rolled back to an old copy is
/// caught at the next verification (ADR 0008).
pub fn audit_seal(issue: &Issue, seal: &SealSheet) -> Result<Pdf, FormError> {
    let mut doc = new_document("操作履歴の封印記録", &issue.firm, issue.created)?;
    let page = doc.page();
    let y = heading(page, "操作履歴の封印記録", &issue_lines(issue));
    let mut y = y + 2.0;
    for (label, value) in [
        ("封印した最終番号", seal.seq.to_string()),
        ("記録の件数", format!("{} 件", seal.entries)),
        ("最終記録の日時", seal.head_at.clone()),
        ("封印前の検証", seal.verified.clone()),
    ] {
        y = page.field(MARGIN_LEFT, y, 45.0, CONTENT_WIDTH, 9.0, label, &value);
    }
    let y = code_block(page, y + 8.0, "封印コード", &seal.code);
    let y = bullets(
        page,
        y + 4.0,
        &[
            "この用紙は、操作履歴がこの時点から書き換えられたり、古い複製に戻されたりしていないことを後で確かめるためのものです。",
            "金庫に保管し、次回の点検時に封印コードを入力して検証してください（kinko audit verify --seal）。",
            "封印コードは秘密ではありませんが、この用紙そのものが証拠になります。署名・押印のうえ保管してください。",
        ],
    );
    sign_boxes(page, y + 6.0, &["事務取扱責任者", "確認者"]);
    doc.finish()
}

/// The heading of a continued page of a table record.
fn continued(title: &str) -> impl Fn(&mut Page) -> f32 + '_ {
    move |page: &mut Page| {
        page.text(
            MARGIN_LEFT,
            24.0,
            11.0,
            Align::Left,
            &format!("{title}（続き）"),
        );
        29.0
    }
}

fn table_record(
    issue: &Issue,
    title: &str,
    extra: &[String],
    columns: &[Column<'_>],
    rows: Vec<Vec<String>>,
) -> Result<Pdf, FormError> {
    let mut doc = new_document(title, &issue.firm, issue.created)?;
    let mut lines = issue_lines(issue);
    lines.extend_from_slice(extra);
    lines.push(format!("件数：{} 件", rows.len()));
    let y = heading(doc.page(), title, &lines);
    if rows.is_empty() {
        doc.page().text(
            MARGIN_LEFT,
            y + 6.0,
            10.0,
            Align::Left,
            "該当する記録はありません。",
        );
        return doc.finish();
    }
    let table = Table { columns, size: 7.5 };
    table.render(&mut doc, y, rows, &continued(title));
    doc.finish()
}

/// An extract of the audit log; `filter` says in words which entries were chosen.
pub fn audit_extract(issue: &Issue, filter: &str, lines: &[AuditLine]) -> Result<Pdf, FormError> {
    const COLUMNS: [Column<'static>; 8] = [
        Column::new("番号", 12.0, Align::Right),
        Column::new("日時", 28.0, Align::Left),
        Column::new("ユーザー", 20.0, Align::Left),
        Column::new("PC", 18.0, Align::Left),
        Column::new("操作", 26.0, Align::Left),
        Column::new("対象", 18.0, Align::Left),
        Column::new("結果", 12.0, Align::Center),
        Column::new("詳細", 40.0, Align::Left),
    ];
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                l.seq.to_string(),
                l.at.clone(),
                l.user.clone(),
                l.pc.clone(),
                l.action.clone(),
                l.target.clone(),
                l.outcome.clone(),
                l.detail.clone(),
            ]
        })
        .collect();
    let filter = format!(
        "抽出条件：{}",
        if filter.is_empty() {
            "すべて"
        } else {
            filter
        }
    );
    table_record(issue, "操作履歴", &[filter], &COLUMNS, rows)
}

/// The sessions report: who used the vault, from which PC and department, from when to when.
pub fn sessions_report(issue: &Issue, lines: &[SessionLine]) -> Result<Pdf, FormError> {
    const COLUMNS: [Column<'static>; 7] = [
        Column::new("ユーザー", 24.0, Align::Left),
        Column::new("部署", 24.0, Align::Left),
        Column::new("PC", 22.0, Align::Left),
        Column::new("開始", 28.0, Align::Left),
        Column::new("終了", 28.0, Align::Left),
        Column::new("利用時間", 18.0, Align::Right),
        Column::new("終了の理由", 30.0, Align::Left),
    ];
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                l.user.clone(),
                l.department.clone(),
                l.pc.clone(),
                l.from.clone(),
                l.to.clone(),
                l.duration.clone(),
                l.how_ended.clone(),
            ]
        })
        .collect();
    table_record(issue, "利用状況報告（セッション）", &[], &COLUMNS, rows)
}

/// The take-out register (持出し記録).
pub fn takeout_register(issue: &Issue, lines: &[TakeoutLine]) -> Result<Pdf, FormError> {
    const COLUMNS: [Column<'static>; 7] = [
        Column::new("No.", 10.0, Align::Right),
        Column::new("日時", 26.0, Align::Left),
        Column::new("持出者", 20.0, Align::Left),
        Column::new("内容", 38.0, Align::Left),
        Column::new("人数", 12.0, Align::Right),
        Column::new("利用目的", 34.0, Align::Left),
        Column::new("持出先", 34.0, Align::Left),
    ];
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                l.id.to_string(),
                l.at.clone(),
                l.user.clone(),
                l.what.clone(),
                l.people.to_string(),
                l.purpose.clone(),
                l.destination.clone(),
            ]
        })
        .collect();
    table_record(issue, "持出し記録", &[], &COLUMNS, rows)
}

/// The sanitize certificate (データ消去証明書), the readable copy of the signed JSON.
pub fn sanitize_certificate(issue: &Issue, sheet: &SanitizeSheet) -> Result<Pdf, FormError> {
    signed_record(
        issue,
        sheet,
        &SignedRecordKind {
            title: "データ消去証明書",
            id_label: "証明書番号",
            level_label: "水準（NIST SP 800-88）",
            copy_note: "この用紙は署名付きの証明書（JSON）の写しです。証明書ファイルは消去した媒体とは別に保管してください。",
        },
    )
}

/// 全削除記録: the printed copy of the signed destruction statement of "delete everything".
/// The rows hold counts, never a name or a number.
pub fn destruction_record(issue: &Issue, sheet: &SanitizeSheet) -> Result<Pdf, FormError> {
    signed_record(
        issue,
        sheet,
        &SignedRecordKind {
            title: "全削除記録（特定個人情報の削除・廃棄）",
            id_label: "記録番号",
            level_label: "方法",
            copy_note: "この用紙は署名付きの削除記録（JSON）の写しです。削除した日から保存期間のあいだ、金庫庫内など媒体とは別の場所に保管してください。",
        },
    )
}

/// What differs between the two signed records.
struct SignedRecordKind {
    title: &'static str,
    id_label: &'static str,
    level_label: &'static str,
    copy_note: &'static str,
}

fn signed_record(
    issue: &Issue,
    sheet: &SanitizeSheet,
    kind: &SignedRecordKind,
) -> Result<Pdf, FormError> {
    let title = kind.title;
    let mut doc = new_document(title, &issue.firm, issue.created)?;
    let mut lines = issue_lines(issue);
    lines.push(format!("{}：{}", kind.id_label, sheet.certificate_id));
    let mut y = heading(doc.page(), title, &lines) + 2.0;
    let page = doc.page();
    y = page.field(
        MARGIN_LEFT,
        y,
        45.0,
        CONTENT_WIDTH,
        10.0,
        "結果",
        &sheet.outcome,
    );
    y = page.field(
        MARGIN_LEFT,
        y,
        45.0,
        CONTENT_WIDTH,
        10.0,
        kind.level_label,
        &sheet.level,
    );
    for (label, value) in &sheet.rows {
        if y + 8.0 > crate::layout::CONTENT_BOTTOM - 40.0 {
            y = continued(title)(doc.new_page());
        }
        y = doc
            .page()
            .field(MARGIN_LEFT, y, 45.0, CONTENT_WIDTH, 8.0, label, value);
    }
    let mut notes: Vec<String> = sheet.limitations.clone();
    if !sheet.exceptions.is_empty() {
        notes.push(format!(
            "例外（書込み・検証できなかった範囲） {} 件:",
            sheet.exceptions.len()
        ));
        notes.extend(sheet.exceptions.iter().map(|e| format!("　{e}")));
    }
    notes.push(format!(
        "署名鍵のフィンガープリント：{}（金庫の証明書鍵と照合してください）",
        sheet.fingerprint
    ));
    notes.push(kind.copy_note.into());
    let mut y = y + 7.0;
    for note in &notes {
        if y > crate::layout::CONTENT_BOTTOM - 10.0 {
            y = continued(title)(doc.new_page());
        }
        let page = doc.page();
        page.text(MARGIN_LEFT + 1.0, y, 9.0, Align::Left, "・");
        y = page.paragraph(MARGIN_LEFT + 5.0, y, CONTENT_WIDTH - 5.0, 9.0, note) + 1.0;
    }
    if y + 32.0 > crate::layout::CONTENT_BOTTOM {
        y = continued(title)(doc.new_page());
    }
    let page = doc.page();
    page.text(
        MARGIN_LEFT,
        y + 8.0,
        10.0,
        Align::Left,
        &format!("作業者：{}", sheet.operator),
    );
    sign_boxes(page, y + 4.0, &["作業者", "事務取扱責任者"]);
    doc.finish()
}
