//! The command line, as clap sees it. These spellings are a contract: end-to-end tests and
//! administrators' scripts drive them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "kinko",
    version,
    about = "金庫 — マイナンバー管理（コマンドライン）"
)]
pub struct Cli {
    /// 金庫のディレクトリ（環境変数 KINKO_VAULT でも指定可）
    #[arg(long, global = true, env = "KINKO_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// ログインするユーザー名（環境変数 KINKO_USER でも指定可）
    #[arg(long, global = true, env = "KINKO_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// パスワードを標準入力の1行目から読む
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// 結果をJSONで出力する
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 新しい金庫を作る（回復コードを一度だけ表示します）
    Init(InitArgs),
    /// 金庫を開いて整合性を検査する（ログイン不要）
    Check,
    /// 社員・支払先
    #[command(subcommand)]
    Person(PersonCommand),
    /// 家族
    #[command(subcommand)]
    Family(FamilyCommand),
    /// 個人番号
    #[command(subcommand)]
    Number(NumberCommand),
    /// 自分のパスワードを変更する（標準入力: 現在のパスワード、新しいパスワード）
    Passwd,
    /// 回復コードでパスワードを再設定する（標準入力: 回復コード、新しいパスワード）
    Recover,
    /// サンプルデータ入りのデモ用金庫を作る
    Demo(DemoArgs),
}

#[derive(Args)]
pub struct InitArgs {
    /// 最初の管理者のユーザー名
    #[arg(long, value_name = "NAME")]
    pub admin: String,
    /// Argon2id のメモリ量（MiB、既定 256、最低 19）
    #[arg(long, value_name = "MIB")]
    pub kdf_memory_mib: Option<u32>,
    /// Argon2id の反復回数（既定 3、最低 2）
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
    /// Argon2id の並列度（既定 4、最低 1）
    #[arg(long, value_name = "N")]
    pub kdf_parallelism: Option<u32>,
}

#[derive(Subcommand)]
pub enum PersonCommand {
    /// 社員を登録する
    Add(PersonAddArgs),
    /// 一覧を表示する（個人番号は伏せ字）
    List(PersonListArgs),
    /// 1人の詳細を表示する
    Show(PersonShowArgs),
    /// 支払先を登録する
    AddPayee(PayeeAddArgs),
}

#[derive(Args)]
pub struct PersonAddArgs {
    /// 社員コード
    #[arg(long)]
    pub code: String,
    /// 氏名（姓と名の間は空白）
    #[arg(long)]
    pub name: String,
    /// フリガナ（ひらがな・半角カナも可）
    #[arg(long)]
    pub kana: String,
    /// 生年月日（2023-04-01、令和5年4月1日、R5.4.1 など）
    #[arg(long, value_name = "DATE")]
    pub birth: Option<String>,
    /// 部署名（なければ作成）
    #[arg(long, value_name = "DEPT")]
    pub dept: Option<String>,
    /// 入社日
    #[arg(long, value_name = "DATE")]
    pub hired: Option<String>,
    /// 住所
    #[arg(long)]
    pub address: Option<String>,
    /// 個人番号（「-」なら標準入力から読む）
    #[arg(long)]
    pub number: Option<String>,
}

#[derive(Args)]
pub struct PayeeAddArgs {
    /// 支払先コード
    #[arg(long)]
    pub code: String,
    /// 氏名または名称
    #[arg(long)]
    pub name: String,
    /// フリガナ
    #[arg(long)]
    pub kana: String,
    /// 法人（番号は法人番号）
    #[arg(long)]
    pub corporate: bool,
    /// 個人番号または法人番号（「-」なら標準入力から読む）
    #[arg(long)]
    pub number: Option<String>,
}

#[derive(Args)]
pub struct PersonListArgs {
    /// コードの先頭、氏名やフリガナの一部で検索
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// 部署名で絞り込む
    #[arg(long, value_name = "DEPT")]
    pub dept: Option<String>,
    /// 在籍状況で絞り込む（在職・休職・退職）
    #[arg(long)]
    pub status: Option<String>,
    /// 収集状況で絞り込む（未依頼・依頼済・回収済・確認済・提出拒否）
    #[arg(long)]
    pub collection: Option<String>,
    /// 種別で絞り込む（社員・家族・支払先）
    #[arg(long)]
    pub kind: Option<String>,
}

#[derive(Args)]
pub struct PersonShowArgs {
    /// 社員コードまたは支払先コード
    pub code: String,
    /// 個人番号を伏せずに表示する
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Subcommand)]
pub enum FamilyCommand {
    /// 社員の家族を登録する
    Add(FamilyAddArgs),
}

#[derive(Args)]
pub struct FamilyAddArgs {
    /// 社員コード
    #[arg(long, value_name = "CODE")]
    pub employee: String,
    /// 続柄（配偶者、長男 など）
    #[arg(long, value_name = "REL")]
    pub relation: String,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub kana: String,
    #[arg(long, value_name = "DATE")]
    pub birth: Option<String>,
    /// 扶養区分（控除対象配偶者・扶養親族・16歳未満・国民年金第3号被保険者）
    #[arg(long, value_name = "TYPE")]
    pub dependant: Option<String>,
    /// 個人番号（「-」なら標準入力から読む）
    #[arg(long)]
    pub number: Option<String>,
}

#[derive(Subcommand)]
pub enum NumberCommand {
    /// 個人番号を登録・変更する（NUMBER が「-」なら標準入力から読む）
    Set {
        /// 社員コードまたは支払先コード
        code: String,
        number: String,
    },
}

#[derive(Args)]
pub struct DemoArgs {
    /// 社員の人数
    #[arg(long, default_value_t = 40)]
    pub employees: usize,
}
