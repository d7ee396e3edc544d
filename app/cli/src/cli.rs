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
    /// このPCの識別子を指定する（開発・試験用。環境変数 KINKO_PC_ID でも指定可）
    #[arg(long, global = true, env = "KINKO_PC_ID", value_name = "ID")]
    pub pc_id: Option<String>,
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
    /// ユーザー
    #[command(subcommand)]
    User(UserCommand),
    /// グループ
    #[command(subcommand)]
    Group(GroupCommand),
    /// PC
    #[command(subcommand)]
    Pc(PcCommand),
    /// 部署
    #[command(subcommand)]
    Dept(DeptCommand),
    /// 操作履歴（監査ログ）
    #[command(subcommand)]
    Audit(AuditCommand),
    /// ロックアウト・自動ロックのポリシー
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// 個人番号をCSVに書き出す（持出し記録に記入されます）
    Export(ExportArgs),
    /// 持出し記録
    #[command(subcommand)]
    Takeout(TakeoutCommand),
    /// 人事・給与ソフトのCSVを取り込む（確認表示のあと、問題がなければ取り込む）
    Import(ImportArgs),
    /// 取込の列対応（カスタムマッピング）
    #[command(subcommand)]
    Mapping(MappingCommand),
    /// 帳票を印刷する、またはPDFに保存する（操作履歴に記録されます）
    Print(PrintArgs),
    /// 会社の情報（帳票に印字されます）
    #[command(subcommand)]
    Company(CompanyCommand),
    /// 保存期間と削除予定（削除予定日の一覧、一括削除、規則）
    #[command(subcommand)]
    Retention(crate::deletion::RetentionCommand),
    /// 削除・廃棄記録
    #[command(subcommand)]
    Deletion(crate::deletion::DeletionCommand),
    /// 媒体の消去（証明書付き）
    #[command(subcommand)]
    Wipe(crate::wipe::WipeCommand),
    /// 全削除（金庫の全データを消去し、署名付きの記録を残す）
    DeleteEverything(crate::destroy::DeleteEverythingArgs),
}

#[derive(Args)]
pub struct PrintArgs {
    /// 帳票（application・notice・checklist・receipt・refusal・audit-seal・audit-log・
    /// sessions・takeouts、または日本語名）
    pub form: String,
    /// 対象の社員コード・支払先コード（複数指定可。家族は社員に続きます）
    #[arg(long = "person", value_name = "CODE")]
    pub person: Vec<String>,
    /// 範囲内の全員（チェックリストは指定がなければ全員）
    #[arg(long)]
    pub all: bool,
    /// 個人番号を伏せずに印字する（チェックリストのみ。表示の権限が必要）
    #[arg(long)]
    pub reveal: bool,
    /// 部数（1〜20、既定 1）
    #[arg(long, value_name = "N")]
    pub copies: Option<u32>,
    /// プリンター（CUPSのキュー名。既定のプリンターなら省略）
    #[arg(long, value_name = "QUEUE")]
    pub printer: Option<String>,
    /// 印刷せずにPDFファイルに保存する
    #[arg(long, value_name = "FILE.pdf")]
    pub out: Option<PathBuf>,
    /// 操作履歴（audit-log）: この操作だけ
    #[arg(long, value_name = "A")]
    pub action: Option<String>,
    /// 操作履歴（audit-log）: この日以降（2026-04-01、令和8年4月1日 など）
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// 操作履歴（audit-log）: 最新のN件
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Subcommand)]
pub enum CompanyCommand {
    /// 会社の情報を表示する
    Show,
    /// 会社の情報を設定する（指定しなかった項目はそのまま、空文字で消去）
    Set(CompanyArgs),
}

#[derive(Args)]
pub struct CompanyArgs {
    /// 会社名
    #[arg(long)]
    pub name: String,
    /// 法人番号（13桁）
    #[arg(long = "corporate-number", value_name = "DIGITS")]
    pub corporate_number: Option<String>,
    /// 所在地
    #[arg(long)]
    pub address: Option<String>,
    /// 代表者
    #[arg(long)]
    pub representative: Option<String>,
    /// 電話番号
    #[arg(long)]
    pub phone: Option<String>,
}

#[derive(Subcommand)]
pub enum MappingCommand {
    /// 列対応をJSONファイルから保存する（同名は置き換え）
    Save {
        name: String,
        file: std::path::PathBuf,
    },
    /// 保存した列対応の一覧
    List,
    /// 保存した列対応、またはプリセットの列対応をJSONで表示する（編集の出発点に）
    Show {
        /// 保存した列対応の名前
        name: Option<String>,
        /// プリセット（bugyo・yayoi・pca・freee・moneyforward・generic・kinko）
        #[arg(long)]
        preset: Option<String>,
        /// 家族ファイルの列対応
        #[arg(long)]
        family: bool,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// ユーザーを追加する（標準入力: 操作者のパスワード、新しいユーザーの初期パスワード）
    Add(UserArgs),
    /// ユーザーの役割・権限・範囲・PCを変更する
    Update(UserArgs),
    /// ユーザーの一覧
    List,
    /// ロックアウトを解除する
    Unlock { name: String },
    /// ユーザーを無効にする
    Disable { name: String },
    /// ユーザーを有効に戻す
    Enable { name: String },
    /// ユーザーを削除する（操作履歴のために記録は残り、二度とログインできません）
    Remove { name: String },
    /// パスワードを再設定する（標準入力: 操作者のパスワード、新しいパスワード）
    ResetPassword { name: String },
}

#[derive(Args)]
pub struct UserArgs {
    /// ユーザー名（半角英数字）
    pub name: String,
    /// 役割（administrator・manager・clerk・sysadmin・auditor、または日本語名）
    #[arg(long)]
    pub role: String,
    /// 所属部署（操作履歴に記録されます）
    #[arg(long = "dept", value_name = "D")]
    pub dept: Vec<String>,
    /// 扱える部署（指定すると範囲を限定）
    #[arg(long = "scope-dept", value_name = "D")]
    pub scope_dept: Vec<String>,
    /// 扱える社員コードの範囲（例: 0100-0199）
    #[arg(long = "scope-codes", value_name = "LO-HI")]
    pub scope_codes: Vec<String>,
    /// 扱える社員コード
    #[arg(long = "scope-code", value_name = "CODE")]
    pub scope_code: Vec<String>,
    /// 支払先を扱える（範囲を限定したとき）
    #[arg(long)]
    pub scope_payees: bool,
    /// ログインできるPC（登録名。指定しなければどのPCでも可）
    #[arg(long = "pc", value_name = "PCNAME")]
    pub pc: Vec<String>,
    /// 役割に加える権限（view_list、reveal_number など、または日本語名）
    #[arg(long = "grant", value_name = "PERM")]
    pub grant: Vec<String>,
    /// 所属グループ
    #[arg(long = "group", value_name = "G")]
    pub group: Vec<String>,
}

#[derive(Subcommand)]
pub enum GroupCommand {
    /// グループを作る
    Add {
        name: String,
        #[arg(long = "grant", value_name = "PERM")]
        grant: Vec<String>,
        #[arg(long = "scope-dept", value_name = "D")]
        scope_dept: Vec<String>,
        #[arg(long = "scope-codes", value_name = "LO-HI")]
        scope_codes: Vec<String>,
        #[arg(long)]
        scope_payees: bool,
    },
}

#[derive(Subcommand)]
pub enum PcCommand {
    /// このPCを登録する
    Add {
        name: String,
        #[arg(long, value_name = "D")]
        dept: Option<String>,
    },
    /// 登録済みPCの一覧
    List,
    /// このPCの識別情報を表示する（ログイン不要）
    Identify,
}

#[derive(Subcommand)]
pub enum DeptCommand {
    /// 部署を追加する
    Add { name: String },
    /// 部署の一覧
    List,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// 操作履歴を表示する
    List(AuditListArgs),
    /// 改ざんがないか検査する
    Verify {
        /// 印刷・記録しておいた封印コード
        #[arg(long, value_name = "CODE")]
        seal: Option<String>,
    },
    /// 現在の封印コードを発行する
    Seal,
    /// セッションの一覧（誰が・どのPCで・どの部署で・いつからいつまで）
    Sessions,
}

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// 現在のポリシー
    Show,
    /// ポリシーを変更する
    Set {
        /// ロックアウトまでの失敗回数
        #[arg(long, value_name = "N")]
        lockout_attempts: Option<u32>,
        /// ロックアウトの時間（分）
        #[arg(long, value_name = "MIN")]
        lockout_minutes: Option<u32>,
        /// 自動ロックまでの無操作時間（分）
        #[arg(long, value_name = "MIN")]
        idle_minutes: Option<u32>,
    },
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
    /// 会社名（作成と同時に設定。帳票に印字されます）
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// 会社の法人番号（13桁。--company と一緒に）
    #[arg(long = "corporate-number", value_name = "DIGITS")]
    pub corporate_number: Option<String>,
    /// 回復コードの用紙をPDFに保存する（金庫（実物）に保管するために印刷してください）
    #[arg(long, value_name = "FILE.pdf")]
    pub recovery_sheet: Option<PathBuf>,
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
    /// 社員（と家族）・支払先の記録をすべて削除する（--reason と --yes が必要。元に戻せません）
    Delete(crate::deletion::DeleteArgs),
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
    /// 個人番号だけを削除する（本人の記録は残る。--reason と --yes が必要）
    Delete(crate::deletion::DeleteArgs),
}

#[derive(Args)]
pub struct DemoArgs {
    /// 社員の人数
    #[arg(long, default_value_t = 40)]
    pub employees: usize,
}

#[derive(Args)]
pub struct ImportArgs {
    /// 取り込むCSVファイル（UTF-8 または Shift_JIS/CP932）
    pub file: PathBuf,
    /// 取込形式（bugyo・yayoi・pca・freee・moneyforward・generic・kinko。既定 generic）
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// 保存した取込設定（列の対応）の名前
    #[arg(long, value_name = "NAME")]
    pub mapping: Option<String>,
    /// 家族のファイル（各行に社員番号）
    #[arg(long)]
    pub family: bool,
    /// 確認表示だけで、取り込まない
    #[arg(long)]
    pub dry_run: bool,
    /// 問題のある行を飛ばして残りを取り込む
    #[arg(long)]
    pub skip_bad: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    /// 書き出すファイル。最初の種別（既定では社員）をここに、ほかの種別は同じ場所の
    /// 「名前-family.csv」「名前-payees.csv」に書きます
    pub out: PathBuf,
    /// 持出しの目的（必須。持出し記録に暗号化して記録されます）
    #[arg(long, value_name = "TEXT")]
    pub purpose: Option<String>,
    /// 文字コード（utf8 = BOM付きUTF-8（既定）、cp932 = Shift_JIS）
    #[arg(long, value_name = "cp932|utf8", default_value = "utf8")]
    pub encoding: String,
    /// 給与ソフトの形式（bugyo・yayoi・pca・freee・moneyforward・generic。既定は Kinko形式）
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Shift_JISで書けない文字をこの文字に置き換える（指定しなければ書き出しを中止）
    #[arg(long, value_name = "CHAR")]
    pub replace: Option<String>,
    /// 書き出す種別（employees・family・payees、複数指定可。既定は employees と family）
    #[arg(long = "kind", value_name = "KIND")]
    pub kind: Vec<String>,
    /// 持出し先（媒体の名前など。既定は書き出すファイルの場所）
    #[arg(long, value_name = "TEXT")]
    pub destination: Option<String>,
}

#[derive(Subcommand)]
pub enum TakeoutCommand {
    /// 持出し記録の一覧（誰が・いつ・何を・何人分・目的・持出し先）
    List,
}

/// `audit list`'s filters.
#[derive(Args)]
pub struct AuditListArgs {
    /// このユーザーの操作だけ。`audit list` の後に書いた --user U がこれになります
    /// （ログインするユーザーは audit の前の --user か KINKO_USER）
    #[arg(long = "filter-user", id = "filter_user", value_name = "U")]
    pub user: Option<String>,
    #[arg(long, value_name = "A")]
    pub action: Option<String>,
    /// この日以降（2026-04-01、令和8年4月1日 など）
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// この日まで（その日を含む）
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// この結果だけ（ok・denied・error）
    #[arg(long, value_name = "R")]
    pub result: Option<String>,
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}
