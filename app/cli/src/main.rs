//! `kinko`: the command-line front of the Kinko engine. It parses, asks the engine, prints.
//! Every rule lives in the engine (`kinko-vault`); nothing here touches the store directly.

mod admin;
mod cli;
mod company;
mod deletion;
mod destroy;
mod export;
mod import;
mod input;
mod people;
mod print;
mod wipe;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;

use std::sync::Arc;

use kinko_vault::{KdfParams, PcIdentity, Session, SystemClock, Vault};

use cli::{Cli, Command, InitArgs};
use input::Input;

fn main() -> ExitCode {
    let cli = Cli::parse_from(audit_list_user_filter(std::env::args_os().collect()));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kinko: エラー: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// `kinko [--user LOGIN] audit list [--user U]`: the contract spells the log filter `--user`,
/// like the global log-in option. Clap cannot hold two `--user`s, so a `--user` written after
/// `audit list` is handed to the filter (`--filter-user`) before parsing.
fn audit_list_user_filter(mut argv: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(list) = argv
        .windows(2)
        .position(|w| w[0] == "audit" && w[1] == "list")
    else {
        return argv;
    };
    for arg in argv.iter_mut().skip(list + 2) {
        if arg == "--user" {
            *arg = "--filter-user".into();
        } else if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--user=")) {
            *arg = format!("--filter-user={value}").into();
        }
    }
    argv
}

/// The message and its causes on one line, skipping a cause its parent already quotes.
fn one_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ").replace('\n', " ")
}

fn run(cli: Cli) -> Result<()> {
    let mut input = Input::new(cli.password_stdin);
    let ctx = Ctx {
        vault: cli.vault,
        user: cli.user,
        json: cli.json,
        pc_id: cli.pc_id,
    };
    match cli.command {
        Command::Init(args) => init(&ctx, &mut input, &args),
        Command::Check => check(&ctx),
        Command::Demo(args) => demo(&ctx, args.employees),
        Command::Recover => recover(&ctx, &mut input),
        Command::Passwd => {
            let current = input.secret("現在のパスワード")?;
            let new = input.secret("新しいパスワード")?;
            let pc = ctx.pc();
            let clock = Arc::new(SystemClock::new());
            let mut session =
                ctx.open()?
                    .login_with(ctx.user()?, current.as_bytes(), &pc, clock)?;
            session.change_password(current.as_bytes(), new.as_bytes())?;
            ctx.done("パスワードを変更しました")
        }
        Command::Person(cmd) => people::person(&ctx, &mut input, cmd),
        Command::Family(cmd) => people::family(&ctx, &mut input, cmd),
        Command::Number(cmd) => people::number(&ctx, &mut input, cmd),
        Command::User(cmd) => admin::user(&ctx, &mut input, cmd),
        Command::Group(cmd) => admin::group(&ctx, &mut input, cmd),
        Command::Pc(cmd) => admin::pc(&ctx, &mut input, cmd),
        Command::Dept(cmd) => admin::dept(&ctx, &mut input, cmd),
        Command::Audit(cmd) => admin::audit(&ctx, &mut input, cmd),
        Command::Policy(cmd) => admin::policy(&ctx, &mut input, cmd),
        Command::Export(args) => export::export(&ctx, &mut input, args),
        Command::Takeout(cmd) => export::takeout(&ctx, &mut input, cmd),
        Command::Import(args) => import::import(&ctx, &mut input, args),
        Command::Mapping(cmd) => import::mapping(&ctx, &mut input, cmd),
        Command::Print(args) => print::print(&ctx, &mut input, args),
        Command::Company(cmd) => company::company(&ctx, &mut input, cmd),
        Command::Retention(cmd) => deletion::retention(&ctx, &mut input, cmd),
        Command::Deletion(cmd) => deletion::deletion(&ctx, &mut input, cmd),
        Command::Wipe(cmd) => wipe::wipe(&ctx, &mut input, cmd),
        Command::DeleteEverything(args) => destroy::delete_everything(&ctx, &mut input, args),
    }
}

/// What every command may need: where the vault is, who acts, how to print.
pub struct Ctx {
    vault: Option<PathBuf>,
    user: Option<String>,
    pub json: bool,
    pc_id: Option<String>,
}

impl Ctx {
    fn dir(&self) -> Result<&Path> {
        self.vault
            .as_deref()
            .ok_or_else(|| anyhow!("金庫の場所を --vault（または KINKO_VAULT）で指定してください"))
    }

    fn user(&self) -> Result<&str> {
        self.user
            .as_deref()
            .ok_or_else(|| anyhow!("ユーザー名を --user（または KINKO_USER）で指定してください"))
    }

    fn open(&self) -> Result<Vault> {
        Ok(Vault::open(self.dir()?)?)
    }

    /// This PC's identity: `--pc-id` / `KINKO_PC_ID`, else the firmware's.
    pub fn pc(&self) -> PcIdentity {
        match &self.pc_id {
            Some(id) if !id.trim().is_empty() => PcIdentity::from_override(id),
            _ => PcIdentity::detect(),
        }
    }

    /// Opens the vault and logs in, keeping both (for the commands that end the vault).
    pub fn open_and_login(&self, input: &mut Input) -> Result<(Vault, Session)> {
        let user = self.user()?;
        let vault = self.open()?;
        let password = input.secret("パスワード")?;
        let session = vault.login_with(
            user,
            password.as_bytes(),
            &self.pc(),
            Arc::new(SystemClock::new()),
        )?;
        Ok((vault, session))
    }

    /// Opens the vault and logs in with the password from `input`.
    pub fn login(&self, input: &mut Input) -> Result<Session> {
        let user = self.user()?;
        let vault = self.open()?;
        let password = input.secret("パスワード")?;
        Ok(vault.login_with(
            user,
            password.as_bytes(),
            &self.pc(),
            Arc::new(SystemClock::new()),
        )?)
    }

    /// Prints a one-line confirmation (or `{"ok":true}` with `--json`).
    pub fn done(&self, message: &str) -> Result<()> {
        if self.json {
            println!("{}", serde_json::json!({ "ok": true, "message": message }));
        } else {
            println!("{message}");
        }
        Ok(())
    }
}

fn init(ctx: &Ctx, input: &mut Input, args: &InitArgs) -> Result<()> {
    let d = KdfParams::DEFAULT;
    let kdf = KdfParams {
        memory_kib: args
            .kdf_memory_mib
            .map_or(d.memory_kib, |m| m.saturating_mul(1024)),
        iterations: args.kdf_iterations.unwrap_or(d.iterations),
        parallelism: args.kdf_parallelism.unwrap_or(d.parallelism),
    };
    // Everything typed is checked before the vault exists.
    let company = match (&args.company, &args.corporate_number) {
        (Some(name), number) => Some(company::from_args(name, number.as_deref())?),
        (None, Some(_)) => bail!("--corporate-number は --company と一緒に指定してください"),
        (None, None) => None,
    };
    if let Some(sheet) = &args.recovery_sheet {
        print::check_out_path(sheet)?;
    }
    let password = input.secret("管理者のパスワード")?;
    let created = Vault::create(ctx.dir()?, &args.admin, password.as_bytes(), kdf)?;
    if let Some(company) = &company {
        let admin = kinko_vault::normalize_login(&args.admin)?;
        let mut session = created.vault.login_with(
            &admin,
            password.as_bytes(),
            &ctx.pc(),
            Arc::new(SystemClock::new()),
        )?;
        session
            .set_company(company)
            .context("金庫は作成しましたが、会社の情報を設定できません（kinko company set で設定してください）")?;
    }
    // The sheet is made before the code is shown, but a failure is reported only after: the
    // code is shown once, whatever happens.
    let sheet = args.recovery_sheet.as_deref().map(|path| {
        write_recovery_sheet(path, company.as_ref(), &args.admin, &created.recovery_code)
    });
    if ctx.json {
        let code: &str = &created.recovery_code;
        let sheet_path = match &sheet {
            Some(Ok(())) => args.recovery_sheet.as_deref(),
            _ => None,
        };
        println!(
            "{}",
            serde_json::json!({ "ok": true, "recovery_code": code, "recovery_sheet": sheet_path })
        );
    } else {
        println!("金庫を作成しました: {}", ctx.dir()?.display());
        println!();
        println!("回復コード（この一度しか表示されません）:");
        println!();
        println!("    {}", created.recovery_code.as_str());
        println!();
        if let (Some(Ok(())), Some(path)) = (&sheet, &args.recovery_sheet) {
            println!("回復コードの用紙を保存しました: {}", path.display());
            println!("印刷して金庫（実物）に保管し、このファイルは印刷後に削除してください。");
        } else {
            println!("印刷するか書き写して、金庫（実物）に保管してください。");
        }
        println!("パスワードを忘れたときは `kinko recover` でこのコードを使います。");
    }
    match sheet {
        Some(Err(e)) => Err(e.context(
            "金庫は作成しましたが、回復コードの用紙を保存できません（回復コードは上に表示しています）",
        )),
        _ => Ok(()),
    }
}

/// Writes the recovery-code sheet to `path` atomically (mode 0600). The code goes nowhere
/// else: not in the log, not in an error.
fn write_recovery_sheet(
    path: &Path,
    company: Option<&kinko_vault::Company>,
    admin: &str,
    code: &str,
) -> Result<()> {
    let default = kinko_vault::Company::default();
    let admin = kinko_vault::normalize_login(admin)?;
    let pdf = kinko_vault::recovery_sheet_pdf(
        company.unwrap_or(&default),
        &admin,
        code,
        chrono::Utc::now(),
    )?;
    let mut staged = export::Staged::default();
    staged.stage(path, &pdf.bytes)?;
    staged.finish()?;
    Ok(())
}

fn check(ctx: &Ctx) -> Result<()> {
    let vault = ctx.open()?;
    ctx.done(&format!(
        "金庫は正常です（整合性検査に合格）: {}",
        vault.dir().display()
    ))
}

fn recover(ctx: &Ctx, input: &mut Input) -> Result<()> {
    let user = ctx.user()?;
    let code = input.secret("回復コード")?;
    let new = input.secret("新しいパスワード")?;
    let mut vault = ctx.open()?;
    vault.reset_password_with_recovery_code(&code, user, new.as_bytes())?;
    ctx.done(&format!("ユーザー {user} のパスワードを再設定しました"))
}

/// The demo account: for sample data only.
const DEMO_USER: &str = "demo";
const DEMO_PASSWORD: &str = "tameshi-2026";

fn demo(ctx: &Ctx, employees: usize) -> Result<()> {
    let dir = ctx.dir()?;
    if dir.join(kinko_vault::DB_FILE).exists() {
        bail!(
            "{} にはすでに金庫があります。別の場所を指定してください",
            dir.display()
        );
    }
    let created = Vault::create(dir, DEMO_USER, DEMO_PASSWORD.as_bytes(), KdfParams::MINIMUM)?;
    let mut session = created.vault.login_with(
        DEMO_USER,
        DEMO_PASSWORD.as_bytes(),
        &ctx.pc(),
        Arc::new(SystemClock::new()),
    )?;
    kinko_vault::demo::populate(&mut session, employees, 2026)
        .context("サンプルデータを登録できません")?;
    let total = session.list(&Default::default())?.len();
    ctx.done(&format!(
        "デモ用の金庫を作成しました: {}（{total}人、ユーザー {DEMO_USER} / パスワード {DEMO_PASSWORD}）",
        dir.display()
    ))
}
