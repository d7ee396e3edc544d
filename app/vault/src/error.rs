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
    #[error("鍵導出のパラメータが弱すぎるか大きすぎます（最低: メモリ19MiB・反復2回・並列1）")]
    KdfParams,
    #[error("この個人番号はすでに別の人に登録されています")]
    DuplicateNumber,
    #[error("コード「{0}」はすでに使われています")]
    DuplicateCode(String),
    #[error("コード「{0}」の人は見つかりません")]
    UnknownCode(String),
    #[error("指定された人（内部ID {0}）は見つかりません")]
    UnknownPerson(i64),
    #[error("家族は社員にだけ登録できます（内部ID {0} は社員ではありません）")]
    NotAnEmployee(i64),
    #[error("法人の支払先には法人番号を、それ以外には個人番号を登録してください")]
    WrongNumberKind,
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
    #[error("データベースの操作に失敗しました（{0}）")]
    Database(#[from] rusqlite::Error),
    #[error("ファイルの操作に失敗しました（{0}）")]
    Io(#[from] std::io::Error),
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
            E::UnknownCode(c) => format!("Nobody has the code \"{c}\""),
            E::UnknownPerson(id) => format!("No such person (internal ID {id})"),
            E::NotAnEmployee(id) => {
                format!("Family members belong to employees (internal ID {id} is not one)")
            }
            E::WrongNumberKind => "Corporate payees take a corporate number; everyone else a My Number".into(),
            E::Number(e) => e.message(lang),
            E::Text(e) => e.message(lang),
            E::Date(e) => e.message(lang),
            E::EmptyPassword => "The password cannot be empty".into(),
            E::BadLogin(l) => format!("The user name \"{l}\" cannot be used (1–32 of a-z, 0-9, . _ -)"),
            E::Database(e) => format!("A database operation failed ({e})"),
            E::Io(e) => format!("A file operation failed ({e})"),
        }
    }
}
