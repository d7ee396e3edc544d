//! `kinko delete-everything --reason TEXT --confirm 全削除 --statement OUT.json [--pdf OUT.pdf]
//! --yes` (全削除, PRODUCT.md F11): the engine checks the permission and the phrase, destroys the
//! vault, and writes the signed statement outside it; this file confirms and prints.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;

use kinko_vault::{DESTROY_PHRASE, DestroyRequest, outcome_ja};
use kinko_wipe::Progress;

use crate::Ctx;
use crate::input::Input;

#[derive(Args)]
pub struct DeleteEverythingArgs {
    /// 理由（必須。全削除記録に残ります）
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// 確認のため「全削除」と入力する
    #[arg(long, value_name = "全削除")]
    pub confirm: String,
    /// 署名付きの全削除記録（JSON）の保存先。金庫のフォルダーの外に置いてください
    #[arg(long, value_name = "OUT.json")]
    pub statement: PathBuf,
    /// 印刷用の全削除記録（PDF）も保存する
    #[arg(long, value_name = "OUT.pdf")]
    pub pdf: Option<PathBuf>,
    /// 確認のうえ実行する（これがないと何も消しません）
    #[arg(long)]
    pub yes: bool,
}

pub fn delete_everything(ctx: &Ctx, input: &mut Input, args: DeleteEverythingArgs) -> Result<()> {
    if !args.yes {
        bail!(
            "金庫の全データ（個人番号・個人情報・添付記録・利用者・操作ログ）を消去します。元に戻せません。実行するには --yes を付けてください"
        );
    }
    if args.confirm.trim() != DESTROY_PHRASE {
        bail!("確認のため --confirm {DESTROY_PHRASE} と指定してください");
    }
    if let Some(pdf) = &args.pdf {
        crate::print::check_out_path(pdf)?;
    }
    let (vault, session) = ctx.open_and_login(input)?;
    let request = DestroyRequest {
        reason: args.reason,
        confirmation: args.confirm,
        statement_path: args.statement.clone(),
    };
    let mut observer = |p: &Progress| {
        if p.total_done == p.total {
            eprintln!("上書き・読み戻し: {} バイト", p.total);
        }
    };
    let statement = vault.delete_everything(session, &request, &mut observer)?;
    let verified = statement.verify()?;
    if let Some(out) = &args.pdf {
        let pdf = kinko_vault::destruction_record_pdf(&verified)?;
        kinko_vault::staged::write_whole(out, &pdf.bytes)?;
    }
    let b = &verified.body;
    if ctx.json {
        println!(
            "{}",
            json!({ "ok": true, "outcome": b.outcome, "statement": args.statement,
                    "statement_id": b.statement_id, "held": b.held,
                    "fingerprint": verified.key_fingerprint })
        );
        return Ok(());
    }
    println!("全削除を実行しました: {}", outcome_ja(b.outcome));
    println!("全削除記録: {}", args.statement.display());
    println!(
        "消去した件数: 社員 {}、家族 {}、支払先 {}、個人番号 {}",
        b.held.employees, b.held.family_members, b.held.payees, b.held.numbers
    );
    println!("署名鍵: {}", verified.key_fingerprint);
    Ok(())
}
