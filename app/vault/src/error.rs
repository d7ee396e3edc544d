//! The engine's errors. `Display` is Japanese (what the kiosk and the CLI show); English comes
//! from [`Localized::message`]. No variant ever carries a My Number, a password, a key, or a
//! person's name: at most a code the user typed, an internal ID, or where in the store.

use std::path::PathBuf;

use kinko_domain::lang::{Lang, Localized};
use kinko_domain::number::NumberError;
use kinko_domain::text::TextError;
use kinko_domain::wareki::DateError;

pub type VaultResult<T> = Result<T, VaultError>;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("金庫が見つかりません（{}）", .0.display())]
    NotFound(PathBuf),
    #[error("この場所にはすでに金庫があります（{}）", .0.display())]
    AlreadyExists(PathBuf),
    #[error("金庫のファイルが壊れているか、金庫ではありません（{0}）")]
    Corrupt(String),
    #[error(
        "この金庫は新しい版のソフトウェアで作られています（形式 {found}、対応 {supported} まで）"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("ユーザー名またはパスワードが違います")]
    WrongPassword,
    #[error("回復コードが違います")]
    WrongRecoveryCode,
    #[error("暗号データを復号できません。改ざんまたは破損の疑いがあります（{place}）")]
    Tampered { place: &'static str },
    #[error("暗号処理に失敗しました（{0}）")]
    Crypto(&'static str),
    #[error(
        "鍵導出のパラメータが弱すぎるか大きすぎます（最低: メモリ19MiB・反復2回・並列1、最大: メモリ1GiB）"
    )]
    KdfParams,
    #[error("この個人番号はすでに別の人に登録されています")]
    DuplicateNumber,
    #[error("コード「{0}」はすでに使われています")]
    DuplicateCode(String),
    #[error("退職日が入社日より前になっています")]
    RetireBeforeHire,
    #[error("コード「{0}」の人は見つかりません")]
    UnknownCode(String),
    #[error("指定された人（内部ID {0}）は見つかりません")]
    UnknownPerson(i64),
    #[error("家族は社員にだけ登録できます（内部ID {0} は社員ではありません）")]
    NotAnEmployee(i64),
    #[error("法人の支払先には法人番号を、それ以外には個人番号を登録してください")]
    WrongNumberKind,
    #[error(
        "番号が登録されている支払先は、個人・法人を変えられません（先に番号を削除してください）"
    )]
    PayeeKindWithNumber,
    #[error("{0}")]
    Number(#[from] NumberError),
    #[error("{0}")]
    Text(#[from] TextError),
    #[error("{0}")]
    Date(#[from] DateError),
    #[error("パスワードは空にできません")]
    EmptyPassword,
    #[error("ユーザー名「{0}」は使えません（半角英数字と . _ - で1〜32文字）")]
    BadLogin(String),
    #[error("パスワードが規則を満たしていません: {0}")]
    WeakPassword(&'static str),
    #[error("この操作の権限がありません")]
    Denied,
    #[error("アカウントはロックされています（{until} まで。管理者が解除することもできます）")]
    Locked { until: String },
    #[error("このアカウントは無効にされています")]
    Disabled,
    #[error("このPCでは、このユーザーはログインできません")]
    PcNotAllowed,
    #[error("初回ログインのため、パスワードを変更してください")]
    PasswordChangeRequired,
    #[error("画面がロックされています。パスワードを入力してください")]
    SessionLocked,
    #[error("最後の管理者は削除・無効化できません")]
    LastAdministrator,
    #[error("ユーザー「{0}」はいません")]
    UnknownUser(String),
    #[error("ユーザー名「{0}」はすでに使われています")]
    DuplicateLogin(String),
    #[error("グループ「{0}」はありません")]
    UnknownGroup(String),
    #[error("グループ「{0}」はすでにあります")]
    DuplicateGroup(String),
    #[error("PC「{0}」は登録されていません")]
    UnknownPc(String),
    #[error("PC「{0}」はすでに登録されています（同じ名前か同じ機器）")]
    DuplicatePc(String),
    #[error(
        "ポリシーの値が範囲外です（ロックアウト回数1〜100、ロック時間1分〜7日、自動ロック1〜240分）"
    )]
    BadPolicy,
    #[error("部署「{0}」はありません")]
    UnknownDepartment(String),
    #[error("部署「{0}」はすでにあります")]
    DuplicateDepartment(String),
    #[error("封印コードの形式が違います（例: 1234-7K2QM9XDRT）")]
    BadSeal,
    #[error("{0}")]
    Import(#[from] kinko_interop::ImportError),
    #[error(
        "問題のある行が{errors}件あるため取り込みません（問題のある行を飛ばす指定をすれば、残りを取り込めます）"
    )]
    ImportRefused { errors: usize },
    #[error("取込設定「{0}」はありません")]
    UnknownMapping(String),
    #[error("持出しの目的を入力してください")]
    PurposeRequired,
    #[error("持出し先（ファイルの場所または媒体の名前）を入力してください")]
    DestinationRequired,
    #[error("持出しの目的・持出し先は{max}文字までで、制御文字は使えません")]
    TakeoutText { max: usize },
    /// Writing the CSV failed (`file`: 社員, 家族 or 支払先); nothing was taken out.
    #[error("{file}ファイルの{error}")]
    Export {
        file: &'static str,
        error: kinko_interop::WriteError,
    },
    #[error("会社名を入力してください")]
    CompanyNameRequired,
    #[error("{field}は{max}文字までで、制御文字は使えません")]
    CompanyText { field: &'static str, max: usize },
    #[error("電話番号は数字・ハイフン・括弧・＋・空白で入力してください")]
    BadPhone,
    #[error("印刷する人を選んでください")]
    NoPeopleChosen,
    #[error("家族（内部ID {0}）の帳票は、その社員を選んで印刷してください")]
    FamilyChosen(i64),
    #[error("{form}には個人番号を印字できません（伏せずに印字できるのはチェックリストだけです）")]
    RevealNotAllowed { form: &'static str },
    #[error("部数は1〜{max}で指定してください")]
    BadCopies { max: u32 },
    /// The form could not be made or printed. Not a `source`: its Japanese text is already
    /// in this message (fronts that print the chain would repeat it in English).
    #[error("帳票を作成・印刷できません（{}）", .0.ja())]
    Form(kinko_forms::FormError),
    /// The sanitizer refused or failed.
    #[error("消去できません（{}）", .0.ja())]
    Wipe(kinko_wipe::WipeError),
    #[error("消去証明書に署名できません")]
    CertificateSigning,
    #[error("削除の理由を入力してください")]
    ReasonRequired,
    #[error("削除の理由は{max}文字までで、制御文字は使えません")]
    ReasonText { max: usize },
    #[error("この人（内部ID {0}）には個人番号が登録されていません")]
    NoNumber(i64),
    #[error("最終支払日は支払先にだけ記録できます（内部ID {0} は支払先ではありません）")]
    NotAPayee(i64),
    #[error("保存期間の規則が範囲外です（年数1〜50、起算日は実在する月日。2月29日は不可）")]
    BadRetentionRules,
    #[error("確認のため「全削除」と入力してください")]
    DestroyConfirmation,
    #[error("削除の記録は金庫のフォルダーの外に保存してください")]
    StatementPlace,
    #[error("削除の記録を保存できません（{0}）")]
    StatementWrite(String),
    #[error("データベースの操作に失敗しました（{0}）")]
    Database(#[from] rusqlite::Error),
    #[error("ファイルの操作に失敗しました（{0}）")]
    Io(#[from] std::io::Error),
}

impl From<kinko_forms::FormError> for VaultError {
    fn from(e: kinko_forms::FormError) -> VaultError {
        VaultError::Form(e)
    }
}

impl Localized for VaultError {
    fn message(&self, lang: Lang) -> String {
        if lang == Lang::Ja {
            return self.to_string();
        }
        use VaultError as E;
        match self {
            E::NotFound(p) => format!("No vault found at {}", p.display()),
            E::AlreadyExists(p) => format!("A vault already exists at {}", p.display()),
            E::Corrupt(why) => format!("The vault file is damaged or is not a vault ({why})"),
            E::NewerSchema { found, supported } => format!(
                "This vault was made by a newer version (format {found}; this one reads up to {supported})"
            ),
            E::WrongPassword => "Wrong user name or password".into(),
            E::WrongRecoveryCode => "Wrong recovery code".into(),
            E::Tampered { place } => {
                format!("Encrypted data does not decrypt: it was altered or damaged ({place})")
            }
            E::Crypto(what) => format!("A cryptographic operation failed ({what})"),
            E::KdfParams => "Key derivation parameters are too weak or too large (minimum: 19 MiB, 2 passes, 1 lane)".into(),
            E::DuplicateNumber => "This My Number is already registered for someone else".into(),
            E::DuplicateCode(c) => format!("The code \"{c}\" is already in use"),
            E::RetireBeforeHire => "The retirement date is before the hiring date".into(),
            E::UnknownCode(c) => format!("Nobody has the code \"{c}\""),
            E::UnknownPerson(id) => format!("No such person (internal ID {id})"),
            E::NotAnEmployee(id) => {
                format!("Family members belong to employees (internal ID {id} is not one)")
            }
            E::WrongNumberKind => "Corporate payees take a corporate number; everyone else a My Number".into(),
            E::PayeeKindWithNumber => "A payee with a number cannot change between individual and corporation (delete the number first)".into(),
            E::Number(e) => e.message(lang),
            E::Text(e) => e.message(lang),
            E::Date(e) => e.message(lang),
            E::EmptyPassword => "The password cannot be empty".into(),
            E::BadLogin(l) => format!("The user name \"{l}\" cannot be used (1–32 of a-z, 0-9, . _ -)"),
            E::WeakPassword(why) => format!("The password does not meet the policy ({why})"),
            E::Denied => "You do not have permission for this".into(),
            E::Locked { until } => format!("The account is locked until {until} (an administrator can unlock it)"),
            E::Disabled => "This account has been disabled".into(),
            E::PcNotAllowed => "This user may not log in on this PC".into(),
            E::PasswordChangeRequired => "Please change your password (first log-in)".into(),
            E::SessionLocked => "The screen is locked; enter your password".into(),
            E::LastAdministrator => "The last administrator cannot be removed or disabled".into(),
            E::UnknownUser(l) => format!("There is no user \"{l}\""),
            E::DuplicateLogin(l) => format!("The user name \"{l}\" is already taken"),
            E::UnknownGroup(g) => format!("There is no group \"{g}\""),
            E::DuplicateGroup(g) => format!("The group \"{g}\" already exists"),
            E::UnknownPc(p) => format!("The PC \"{p}\" is not registered"),
            E::DuplicatePc(p) => format!("The PC \"{p}\" is already registered (same name or same machine)"),
            E::BadPolicy => "Policy values out of range (lock-out 1–100 attempts, 1 minute–7 days; idle lock 1–240 minutes)".into(),
            E::UnknownDepartment(d) => format!("There is no department \"{d}\""),
            E::DuplicateDepartment(d) => format!("The department \"{d}\" already exists"),
            E::BadSeal => "The seal code is malformed (e.g. 1234-7K2QM9XDRT)".into(),
            E::Import(e) => e.message(lang),
            E::ImportRefused { errors } => format!("{errors} rows have problems, so nothing was imported (skip the bad rows to import the rest)"),
            E::UnknownMapping(m) => format!("There is no saved column mapping \"{m}\""),
            E::PurposeRequired => "Enter the purpose of the export".into(),
            E::DestinationRequired => "Enter where the export goes (a file path or a medium's name)".into(),
            E::TakeoutText { max } => format!("The purpose and destination take at most {max} characters and no control characters"),
            E::Export { file, error } => {
                let file = match *file {
                    "社員" => "employee",
                    "家族" => "family",
                    _ => "payee",
                };
                format!("In the {file} file: {}", error.message(lang))
            }
            E::CompanyNameRequired => "Enter the company name".into(),
            E::CompanyText { field, max } => {
                let field = match *field {
                    "会社名" => "company name",
                    "住所" => "address",
                    "代表者" => "representative",
                    _ => "phone number",
                };
                format!("The {field} takes at most {max} characters and no control characters")
            }
            E::BadPhone => "A phone number takes digits, hyphens, brackets, + and spaces".into(),
            E::NoPeopleChosen => "Choose the people to print for".into(),
            E::FamilyChosen(id) => format!(
                "Forms for a family member (internal ID {id}) are printed by choosing their employee"
            ),
            E::RevealNotAllowed { .. } => {
                "This form cannot carry numbers in full (only the checklist can)".into()
            }
            E::BadCopies { max } => format!("Copies must be between 1 and {max}"),
            E::Form(e) => format!("The form could not be made or printed ({e})"),
            E::Wipe(e) => format!("The medium cannot be sanitized ({e})"),
            E::CertificateSigning => "The sanitize certificate cannot be signed".into(),
            E::ReasonRequired => "Enter the reason for the deletion".into(),
            E::ReasonText { max } => format!("The reason takes at most {max} characters and no control characters"),
            E::NoNumber(id) => format!("This person (internal ID {id}) has no number registered"),
            E::NotAPayee(id) => format!("A last payment date is kept for payees only (internal ID {id} is not one)"),
            E::BadRetentionRules => "Retention rules out of range (1–50 years; a start day that exists every year, not 29 February)".into(),
            E::DestroyConfirmation => "To confirm, type 全削除".into(),
            E::StatementPlace => "Save the deletion statement outside the vault's folder".into(),
            E::StatementWrite(e) => format!("The deletion statement cannot be saved ({e})"),
            E::Database(e) => format!("A database operation failed ({e})"),
            E::Io(e) => format!("A file operation failed ({e})"),
        }
    }
}

impl VaultError {
    /// A short stable name for the audit log's detail: says what kind of failure, never the
    /// data involved.
    pub fn key(&self) -> &'static str {
        use VaultError as E;
        match self {
            E::NotFound(_) => "not_found",
            E::AlreadyExists(_) => "already_exists",
            E::Corrupt(_) => "corrupt",
            E::NewerSchema { .. } => "newer_schema",
            E::WrongPassword => "wrong_password",
            E::WrongRecoveryCode => "wrong_recovery_code",
            E::Tampered { .. } => "tampered",
            E::Crypto(_) => "crypto",
            E::KdfParams => "kdf_params",
            E::DuplicateNumber => "duplicate_number",
            E::DuplicateCode(_) => "duplicate_code",
            E::RetireBeforeHire => "retire_before_hire",
            E::UnknownCode(_) => "unknown_code",
            E::UnknownPerson(_) => "unknown_person",
            E::NotAnEmployee(_) => "not_an_employee",
            E::WrongNumberKind => "wrong_number_kind",
            E::PayeeKindWithNumber => "payee_kind_with_number",
            E::Number(_) => "invalid_number",
            E::Text(_) => "invalid_text",
            E::Date(_) => "invalid_date",
            E::EmptyPassword => "empty_password",
            E::BadLogin(_) => "bad_login",
            E::WeakPassword(_) => "weak_password",
            E::Denied => "denied",
            E::Locked { .. } => "locked",
            E::Disabled => "disabled",
            E::PcNotAllowed => "pc_not_allowed",
            E::PasswordChangeRequired => "password_change_required",
            E::SessionLocked => "session_locked",
            E::LastAdministrator => "last_administrator",
            E::UnknownUser(_) => "unknown_user",
            E::DuplicateLogin(_) => "duplicate_login",
            E::UnknownGroup(_) => "unknown_group",
            E::DuplicateGroup(_) => "duplicate_group",
            E::UnknownPc(_) => "unknown_pc",
            E::DuplicatePc(_) => "duplicate_pc",
            E::BadPolicy => "bad_policy",
            E::UnknownDepartment(_) => "unknown_department",
            E::DuplicateDepartment(_) => "duplicate_department",
            E::BadSeal => "bad_seal",
            E::Import(_) => "import_file",
            E::ImportRefused { .. } => "import_refused",
            E::UnknownMapping(_) => "unknown_mapping",
            E::PurposeRequired => "purpose_required",
            E::DestinationRequired => "destination_required",
            E::TakeoutText { .. } => "takeout_text",
            E::Export {
                error: kinko_interop::WriteError::Unmappable { .. },
                ..
            } => "unmappable",
            E::Export { .. } => "export_write",
            E::CompanyNameRequired => "company_name_required",
            E::CompanyText { .. } => "company_text",
            E::BadPhone => "bad_phone",
            E::NoPeopleChosen => "no_people_chosen",
            E::FamilyChosen(_) => "family_chosen",
            E::RevealNotAllowed { .. } => "reveal_not_allowed",
            E::BadCopies { .. } => "bad_copies",
            E::Form(e) => e.key(),
            E::Wipe(_) => "wipe",
            E::CertificateSigning => "certificate_signing",
            E::ReasonRequired => "reason_required",
            E::ReasonText { .. } => "reason_text",
            E::NoNumber(_) => "no_number",
            E::NotAPayee(_) => "not_a_payee",
            E::BadRetentionRules => "bad_retention_rules",
            E::DestroyConfirmation => "destroy_confirmation",
            E::StatementPlace => "statement_place",
            E::StatementWrite(_) => "statement_write",
            E::Database(_) => "database",
            E::Io(_) => "io",
        }
    }
}
