//! `kinko wipe probe DEVICE`, `kinko wipe run DEVICE --method auto|overwrite --cert OUT.json
//! --yes`, `kinko wipe verify-cert OUT.json` and `kinko wipe key`: certified sanitize of a
//! medium (F12). A regular file counts as a device (for testing). `run` goes through the engine
//! (wipe permission, logged, certificate signed with the vault's key); `probe` and
//! `verify-cert` need no log-in.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use kinko_vault::{SanitizeDetails, bytes_ja, level_ja, outcome_ja};
use kinko_wipe::{Certificate, MethodChoice, Outcome, Plan, Progress, RunOptions, plan, probe};

use crate::Ctx;
use crate::input::Input;

#[derive(Subcommand)]
pub enum WipeCommand {
    /// 媒体を調べて、使える消去方式を表示する（ログイン不要）
    Probe {
        /// 媒体（/dev/sdX など。試験用に通常ファイルも可）
        device: PathBuf,
    },
    /// 媒体を消去し、署名付きの消去証明書（JSON）を作る
    Run(RunArgs),
    /// 消去証明書の署名と内容を確かめる（ログイン不要）
    VerifyCert {
        /// 消去証明書（JSON）
        cert: PathBuf,
        /// 署名を確かめたうえで、印刷用の証明書をPDFに保存する
        #[arg(long, value_name = "FILE.pdf")]
        pdf: Option<PathBuf>,
    },
    /// この金庫の証明書鍵のフィンガープリントを表示する
    Key,
}

#[derive(Args)]
pub struct RunArgs {
    /// 消去する媒体
    pub device: PathBuf,
    /// 方式: auto（媒体が対応する最も強い方式）か overwrite（2回上書き＋全読み返し）
    #[arg(long, value_enum, default_value = "auto")]
    pub method: MethodArg,
    /// 消去証明書（JSON）の保存先。消去する媒体以外に置いてください
    #[arg(long, value_name = "OUT.json")]
    pub cert: PathBuf,
    /// 確認のうえ実行する（これがないと何も消しません）
    #[arg(long)]
    pub yes: bool,
    /// 起動中のシステムはメモリ上にある（起動した媒体そのものを消去するとき）
    #[arg(long)]
    pub system_in_ram: bool,
    /// 媒体の管理番号（証明書に記載）
    #[arg(long, value_name = "TEXT")]
    pub property_number: Option<String>,
    /// 消去後の扱い（再利用・廃棄・返却 など。証明書に記載）
    #[arg(long, value_name = "TEXT")]
    pub destination: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    Auto,
    Overwrite,
}

pub fn wipe(ctx: &Ctx, input: &mut Input, cmd: WipeCommand) -> Result<()> {
    match cmd {
        WipeCommand::Probe { device } => show_probe(ctx, &device),
        WipeCommand::Run(args) => run(ctx, input, args),
        WipeCommand::VerifyCert { cert, pdf } => verify(ctx, &cert, pdf.as_deref()),
        WipeCommand::Key => {
            let mut s = ctx.login(input)?;
            let fingerprint = s.certificate_key_fingerprint()?;
            if ctx.json {
                println!("{}", json!({ "fingerprint": fingerprint }));
            } else {
                println!("証明書鍵: {fingerprint}");
            }
            Ok(())
        }
    }
}

fn show_probe(ctx: &Ctx, device: &Path) -> Result<()> {
    let found = probe(device).map_err(|e| anyhow!(e.ja()))?;
    let auto = plan(&found, MethodChoice::Auto);
    if ctx.json {
        println!("{}", json!({ "probe": found, "plan": auto }));
        return Ok(());
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    println!("媒体: {}", found.path.display());
    println!("容量: {}", bytes_ja(found.capacity_bytes));
    println!(
        "セクタ: 論理 {} / 物理 {} バイト",
        found.logical_sector_size, found.physical_sector_size
    );
    println!("種類: {:?}  接続: {:?}", found.media_type, found.bus);
    println!(
        "メーカー・型番: {} {}",
        text(&found.vendor),
        text(&found.model)
    );
    println!("シリアル: {}", text(&found.serial));
    if let Some(reason) = &found.system_device {
        println!("注意: 起動中のシステムの媒体です（{reason}）");
    }
    println!("方式: {:?}（{}）", auto.method, level_ja(auto.level));
    for r in &auto.reasons {
        println!("  理由: {r}");
    }
    for l in &auto.limitations {
        println!("  制約: {l}");
    }
    Ok(())
}

fn run(ctx: &Ctx, input: &mut Input, args: RunArgs) -> Result<()> {
    match kinko_wipe::check_certificate_place(&Default::default(), &args.device, &args.cert) {
        Err(kinko_wipe::WipeError::CertificateOnMedium { .. }) => {
            bail!("消去証明書は、消去する媒体とは別の場所に保存してください")
        }
        other => other.map_err(|e| anyhow!(e.ja()))?,
    }
    let found = probe(&args.device).map_err(|e| anyhow!(e.ja()))?;
    let choice = match args.method {
        MethodArg::Auto => MethodChoice::Auto,
        MethodArg::Overwrite => MethodChoice::Overwrite,
    };
    let chosen: Plan = plan(&found, choice);
    if !args.yes {
        bail!(
            "{} の全データ（{}）を {:?} で消去します。元に戻せません。実行するには --yes を付けてください",
            found.path.display(),
            bytes_ja(found.capacity_bytes),
            chosen.method
        );
    }
    let mut session = ctx.login(input)?;
    let options = RunOptions {
        system_in_ram: args.system_in_ram,
        ..RunOptions::default()
    };
    let details = SanitizeDetails {
        property_number: args.property_number,
        destination: args.destination,
        notes: None,
    };
    let mut shown = Instant::now() - Duration::from_secs(10);
    let mut observer = |p: &Progress| {
        if shown.elapsed() >= Duration::from_secs(2) || p.total_done == p.total {
            shown = Instant::now();
            let left = p.eta.map_or("—".into(), |d| format!("{} 秒", d.as_secs()));
            if !p.phase.is_device_command() {
                eprintln!(
                    "工程 {}/{}  {:.0}%  {:.0} MB/s  残り {left}",
                    p.phase_number,
                    p.phase_count,
                    p.fraction() * 100.0,
                    p.bytes_per_second as f64 / 1e6
                );
            } else {
                // the drive erases itself: only its fraction and the time taken are known
                eprintln!(
                    "工程 {}/{}（媒体自身による消去）  {:.0}%  経過 {} 秒",
                    p.phase_number,
                    p.phase_count,
                    p.fraction() * 100.0,
                    p.elapsed.as_secs()
                );
            }
        }
    };
    let cert = session.sanitize(&chosen, &options, &details, &mut observer)?;
    write_cert(&args.cert, &cert)?;
    let body = &cert.body;
    if ctx.json {
        println!(
            "{}",
            json!({ "outcome": body.outcome, "level": body.sanitization.method_type, "cert": args.cert })
        );
    } else {
        println!("結果: {}", outcome_ja(body.outcome));
        println!("水準: {}", level_ja(body.sanitization.method_type));
        println!("証明書: {}", args.cert.display());
    }
    if !matches!(body.outcome, Outcome::Erased) {
        bail!(
            "消去は完全には終わっていません: {}",
            outcome_ja(body.outcome)
        );
    }
    Ok(())
}

/// Writes `bytes` atomically (synced temporary file beside it, then renamed).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    Ok(kinko_vault::staged::write_whole(path, bytes)?)
}

fn write_cert(path: &Path, cert: &Certificate) -> Result<()> {
    write_atomically(path, cert.to_json()?.as_bytes())
}

fn verify(ctx: &Ctx, path: &Path, pdf: Option<&Path>) -> Result<()> {
    let text = std::fs::read_to_string(path)?;
    if is_destruction_statement(&text) {
        return verify_statement(ctx, &text, pdf);
    }
    let verified = signed(Certificate::from_json(&text)?.verify(), "消去証明書")?;
    if let Some(out) = pdf {
        write_atomically(
            out,
            &kinko_vault::sanitize_certificate_pdf(&verified)?.bytes,
        )?;
    }
    let b = &verified.body;
    if ctx.json {
        println!(
            "{}",
            json!({ "valid": true, "fingerprint": verified.key_fingerprint, "outcome": b.outcome,
                    "level": b.sanitization.method_type, "certificate_id": b.certificate_id })
        );
        return Ok(());
    }
    println!("署名: 有効（鍵 {}）", verified.key_fingerprint);
    println!("証明書番号: {}", b.certificate_id);
    println!("結果: {}", outcome_ja(b.outcome));
    println!("水準: {}", level_ja(b.sanitization.method_type));
    println!("方式: {}", b.sanitization.method);
    if let Some(c) = &b.sanitization.device_command {
        println!("命令: {} [{}]  結果: {}", c.command, c.encoding, c.status);
        println!(
            "目印: {} 個を書込み、消去後に残っていたもの {} 個",
            c.markers_placed, c.markers_surviving
        );
    }
    println!(
        "検証: {} バイトを読み返し、不一致 {} バイト",
        b.verification.bytes_verified, b.verification.mismatched_bytes
    );
    println!("作業者: {}", b.operator.name);
    Ok(())
}

/// A verified document, or the one-line refusal naming `what` was not signed as it claims.
fn signed<T>(verified: Result<T, kinko_wipe::CertError>, what: &str) -> Result<T> {
    verified.map_err(|e| anyhow!("{what}の署名を確認できません（{e}）"))
}

/// Whether `text` is the JSON of a destruction statement (全削除記録) rather than a certificate.
fn is_destruction_statement(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| {
        v.pointer("/body/format").and_then(|f| f.as_str()) == Some(kinko_wipe::STATEMENT_FORMAT)
    })
}

fn verify_statement(ctx: &Ctx, text: &str, pdf: Option<&Path>) -> Result<()> {
    let verified = signed(
        kinko_wipe::Statement::from_json(text)?.verify(),
        "全削除記録",
    )?;
    if let Some(out) = pdf {
        write_atomically(out, &kinko_vault::destruction_record_pdf(&verified)?.bytes)?;
    }
    let b = &verified.body;
    if ctx.json {
        println!(
            "{}",
            json!({ "valid": true, "fingerprint": verified.key_fingerprint, "outcome": b.outcome,
                    "statement_id": b.statement_id, "held": b.held })
        );
        return Ok(());
    }
    println!("署名: 有効（鍵 {}）", verified.key_fingerprint);
    println!("記録番号: {}", b.statement_id);
    println!("種類: 全削除記録");
    println!("結果: {}", outcome_ja(b.outcome));
    println!(
        "保有していた件数: 社員 {}、家族 {}、支払先 {}、個人番号 {}",
        b.held.employees, b.held.family_members, b.held.payees, b.held.numbers
    );
    println!("作業者: {}", b.operator);
    Ok(())
}
