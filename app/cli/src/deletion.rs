//! `kinko person delete`, `kinko number delete`, `kinko retention …`, `kinko deletion list`
//! (PRODUCT.md F10). Every rule is the engine's; this file parses, confirms and prints.

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde_json::json;

use kinko_domain::people::{PersonId, PersonKind};
use kinko_domain::retention::{DueAction, Period, RetentionRules, parse_month_day};
use kinko_domain::wareki::{format_ja, parse_date};
use kinko_vault::{DeletionSummary, DueItem, Session};

use crate::Ctx;
use crate::input::Input;

#[derive(Args)]
pub struct DeleteArgs {
    /// 社員コードまたは支払先コード
    pub code: String,
    /// 削除の理由（必須。削除・廃棄記録に暗号化して記録されます）
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// 確認なしで削除する（元に戻せません）
    #[arg(long)]
    pub yes: bool,
}

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// 削除予定日を過ぎた人の一覧（保存期間の満了）
    Due {
        /// この日の時点（既定は今日。2034-01-11、令和16年1月11日 など）
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// 削除予定日を過ぎた人を一括で削除する（年度末の一括廃棄）
    DeleteDue {
        /// 削除の理由（必須）
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// 確認なしで削除する（元に戻せません）
        #[arg(long)]
        yes: bool,
        /// この日の時点（既定は今日）
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// 保存期間の規則を表示する
    Show,
    /// 保存期間の規則を変更する（指定しなかった項目はそのまま）
    Set {
        /// 退職者の保存年数（既定 7）
        #[arg(long, value_name = "N")]
        retiree_years: Option<u32>,
        /// 退職者の起算日（退職の翌年の月日。既定 01-11 = 1月10日の翌日）
        #[arg(long, value_name = "MM-DD")]
        retiree_start: Option<String>,
        /// 支払先の保存年数（既定 7）
        #[arg(long, value_name = "N")]
        payee_years: Option<u32>,
        /// 支払先の起算日（最終支払の翌年の月日。既定 01-01）
        #[arg(long, value_name = "MM-DD")]
        payee_start: Option<String>,
        /// 期限が来たときに削除するもの（person = 本人の記録をすべて、number = 個人番号のみ）
        #[arg(long, value_name = "person|number")]
        action: Option<String>,
    },
    /// 支払先の最終支払日を記録する（支払先の削除予定日の起点。「none」で消去）
    LastPayment {
        /// 支払先コード
        code: String,
        /// 最終支払日（2026-12-25、令和8年12月25日 など）または none
        date: String,
    },
}

#[derive(Subcommand)]
pub enum DeletionCommand {
    /// 削除・廃棄記録の一覧（いつ・誰が・内部ID・種別・方法・理由。番号と氏名は記録しません）
    List,
}

fn reason(r: Option<String>) -> Result<String> {
    match r {
        Some(r) if !r.trim().is_empty() => Ok(r),
        _ => bail!("削除の理由を --reason で指定してください"),
    }
}

fn find(session: &mut Session, code: &str) -> Result<(PersonId, PersonKind)> {
    for kind in [PersonKind::Employee, PersonKind::Payee] {
        if let Some(id) = session.find_by_code(kind, code)? {
            return Ok((id, kind));
        }
    }
    Err(anyhow!("コード「{code}」の人は見つかりません"))
}

fn today() -> NaiveDate {
    let jst = chrono::FixedOffset::east_opt(9 * 3600).expect("+09:00");
    chrono::Utc::now().with_timezone(&jst).date_naive()
}

fn on_date(on: Option<&str>) -> Result<NaiveDate> {
    Ok(on.map(parse_date).transpose()?.unwrap_or_else(today))
}

/// `kinko person delete CODE --reason TEXT --yes`.
pub fn person_delete(ctx: &Ctx, input: &mut Input, a: DeleteArgs) -> Result<()> {
    let reason = reason(a.reason)?;
    let mut session = ctx.login(input)?;
    let (id, kind) = find(&mut session, &a.code)?;
    let preview = session.deletion_preview(id)?;
    if !a.yes {
        let family = if preview.family.is_empty() {
            String::new()
        } else {
            format!("と家族{}人", preview.family.len())
        };
        bail!(
            "{}コード {}（内部ID {}）{family}の記録（個人番号・履歴・画像を含む）をすべて削除します。元に戻せません。実行するには --yes を付けてください",
            kind.ja(),
            a.code,
            id.0
        );
    }
    let summary = session.delete_person(id, &reason)?;
    report(
        ctx,
        &summary,
        &format!(
            "{}コード {} の記録を削除しました（{}人、鍵を更新しました）",
            kind.ja(),
            a.code,
            summary.people.len()
        ),
    )
}

/// `kinko number delete CODE --reason TEXT --yes`.
pub fn number_delete(ctx: &Ctx, input: &mut Input, a: DeleteArgs) -> Result<()> {
    let reason = reason(a.reason)?;
    let mut session = ctx.login(input)?;
    let (id, kind) = find(&mut session, &a.code)?;
    let preview = session.deletion_preview(id)?;
    if !preview.has_number {
        bail!(
            "{}コード {} には個人番号が登録されていません",
            kind.ja(),
            a.code
        );
    }
    if !a.yes {
        bail!(
            "{}コード {}（内部ID {}）の個人番号を削除します（本人の記録は残ります）。元に戻せません。実行するには --yes を付けてください",
            kind.ja(),
            a.code,
            id.0
        );
    }
    let summary = session.delete_number(id, &reason)?;
    report(
        ctx,
        &summary,
        &format!(
            "{}コード {} の個人番号を削除しました（鍵を更新しました）",
            kind.ja(),
            a.code
        ),
    )
}

fn report(ctx: &Ctx, s: &DeletionSummary, message: &str) -> Result<()> {
    if ctx.json {
        println!(
            "{}",
            json!({
                "ok": true,
                "message": message,
                "people": s.people.iter().map(|p| p.0).collect::<Vec<_>>(),
                "numbers": s.numbers.iter().map(|p| p.0).collect::<Vec<_>>(),
                "register": s.register,
                "epoch": s.epoch,
                "rewrapped": s.rewrapped,
                "compacted": s.compacted,
            })
        );
    } else {
        println!("{message}");
        if !s.compacted {
            println!(
                "注意: ほかの画面が金庫を読んでいたため、ファイルの整理（領域の上書き）を完了できませんでした。次回の削除で完了します"
            );
        }
    }
    Ok(())
}

pub fn retention(ctx: &Ctx, input: &mut Input, cmd: RetentionCommand) -> Result<()> {
    match cmd {
        RetentionCommand::Due { on } => {
            let on = on_date(on.as_deref())?;
            let mut session = ctx.login(input)?;
            let due = session.retention_due(on)?;
            print_due(ctx, on, &due);
            Ok(())
        }
        RetentionCommand::DeleteDue { reason: r, yes, on } => {
            let r = reason(r)?;
            let on = on_date(on.as_deref())?;
            let mut session = ctx.login(input)?;
            if !yes {
                let due = session.retention_due(on)?;
                bail!(
                    "{}の時点で削除予定日を過ぎた{}人を削除します（kinko retention due で確認できます）。元に戻せません。実行するには --yes を付けてください",
                    format_ja(on),
                    due.len()
                );
            }
            let s = session.delete_due(on, &r)?;
            let total = s.people.len() + s.numbers.len();
            let message = if total == 0 {
                format!("{}の時点で削除予定日を過ぎた人はいません", format_ja(on))
            } else {
                format!(
                    "{}の時点で削除予定日を過ぎた{total}人を削除しました（記録の削除 {}人、個人番号のみ {}人）",
                    format_ja(on),
                    s.people.len(),
                    s.numbers.len()
                )
            };
            report(ctx, &s, &message)
        }
        RetentionCommand::Show => {
            let session = ctx.login(input)?;
            print_rules(ctx, &session.retention_rules()?);
            Ok(())
        }
        RetentionCommand::Set {
            retiree_years,
            retiree_start,
            payee_years,
            payee_start,
            action,
        } => {
            let mut session = ctx.login(input)?;
            let mut rules = session.retention_rules()?;
            let start = |s: &str| {
                parse_month_day(s).ok_or_else(|| {
                    anyhow!("起算日「{s}」は月日で指定してください（例: 01-11。2月29日は不可）")
                })
            };
            set_period(
                &mut rules.retiree,
                retiree_years,
                retiree_start.as_deref(),
                start,
            )?;
            set_period(&mut rules.payee, payee_years, payee_start.as_deref(), start)?;
            if let Some(a) = action {
                rules.action = DueAction::parse(&a).ok_or_else(|| {
                    anyhow!("--action は person（本人の記録をすべて）か number（個人番号のみ）です")
                })?;
            }
            session.set_retention_rules(&rules)?;
            ctx.done("保存期間の規則を変更しました")
        }
        RetentionCommand::LastPayment { code, date } => {
            let date = match date.trim() {
                "none" | "なし" => None,
                d => Some(parse_date(d)?),
            };
            let mut session = ctx.login(input)?;
            let id = session
                .find_by_code(PersonKind::Payee, &code)?
                .ok_or_else(|| anyhow!("支払先コード「{code}」の支払先は見つかりません"))?;
            session.set_last_payment(id, date)?;
            ctx.done(&match date {
                Some(d) => format!(
                    "支払先コード {code} の最終支払日を{}にしました",
                    format_ja(d)
                ),
                None => format!("支払先コード {code} の最終支払日を消去しました"),
            })
        }
    }
}

fn set_period(
    p: &mut Period,
    years: Option<u32>,
    start: Option<&str>,
    parse: impl Fn(&str) -> Result<(u32, u32)>,
) -> Result<()> {
    if let Some(y) = years {
        p.years = y;
    }
    if let Some(s) = start {
        p.start = parse(s)?;
    }
    Ok(())
}

fn print_rules(ctx: &Ctx, r: &RetentionRules) {
    if ctx.json {
        println!(
            "{}",
            json!({
                "retiree": { "years": r.retiree.years, "start": r.retiree.start_text() },
                "payee": { "years": r.payee.years, "start": r.payee.start_text() },
                "action": r.action.key(),
            })
        );
    } else {
        println!(
            "退職者（と家族）: 退職の翌年の{}から{}年（{}年後の同じ日から削除可）",
            month_day_ja(r.retiree.start),
            r.retiree.years,
            r.retiree.years
        );
        println!(
            "支払先: 最終支払の翌年の{}から{}年（最終支払日が未記録なら対象外）",
            month_day_ja(r.payee.start),
            r.payee.years
        );
        println!("期限が来たら: {}", r.action.ja());
        println!("在職・休職中の社員とその家族は対象外です");
    }
}

fn month_day_ja((m, d): (u32, u32)) -> String {
    format!("{m}月{d}日")
}

fn print_due(ctx: &Ctx, on: NaiveDate, due: &[DueItem]) {
    if ctx.json {
        let rows: Vec<_> = due
            .iter()
            .map(|d| {
                json!({
                    "id": d.person.0,
                    "kind": d.kind.key(),
                    "code": d.code,
                    "name": d.name,
                    "employee": d.employee.map(|e| e.0),
                    "due_on": d.due_on.to_string(),
                    "due_on_ja": format_ja(d.due_on),
                    "what": d.what.key(),
                    "has_number": d.has_number,
                })
            })
            .collect();
        println!("{}", json!({ "on": on.to_string(), "due": rows }));
        return;
    }
    if due.is_empty() {
        println!("{}の時点で削除予定日を過ぎた人はいません", format_ja(on));
        return;
    }
    println!(
        "{}の時点で削除予定日を過ぎた人: {}人",
        format_ja(on),
        due.len()
    );
    println!("内部ID\t種別\tコード\t氏名\t削除予定日\t削除するもの");
    for d in due {
        println!(
            "{}\t{}\t{}\t{}\t{}（{}）\t{}",
            d.person.0,
            d.kind.ja(),
            d.code.as_deref().unwrap_or("-"),
            d.name,
            format_ja(d.due_on),
            d.due_on,
            d.what.ja()
        );
    }
}

pub fn deletion(ctx: &Ctx, input: &mut Input, cmd: DeletionCommand) -> Result<()> {
    let DeletionCommand::List = cmd;
    let mut session = ctx.login(input)?;
    let rows = session.deletions()?;
    if ctx.json {
        let rows: Vec<_> = rows
            .iter()
            .map(|d| {
                json!({
                    "id": d.id,
                    "at": d.at,
                    "user": d.user,
                    "person": d.person.map(|p| p.0),
                    "kind": d.kind.key(),
                    "people": d.people,
                    "method": d.method,
                    "reason": d.reason,
                    "audit_seq": d.audit_seq,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
        return Ok(());
    }
    if rows.is_empty() {
        println!("削除・廃棄記録はありません");
        return Ok(());
    }
    println!("番号\t日時\t操作者\t内部ID\t種別\t人数\t方法\t理由");
    for d in rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            d.id,
            kinko_vault::japan_time(d.at.parse().unwrap_or_default()),
            d.user,
            d.person.map_or("-".into(), |p| p.0.to_string()),
            d.kind.ja(),
            d.people,
            d.method,
            d.reason
        );
    }
    Ok(())
}
