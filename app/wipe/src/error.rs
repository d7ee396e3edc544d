//! Typed errors of the crate. No error text ever carries medium contents.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// Failures that stop a sanitize run from starting or continuing as a whole.
/// Per-offset I/O errors during a run are not errors: they are listed in the report.
#[derive(Debug, Error)]
pub enum WipeError {
    #[error("cannot open {path}: {source}")]
    Open { path: PathBuf, source: io::Error },
    #[error("{path} is in use (mounted, or held by another device or process)")]
    Busy { path: PathBuf },
    #[error(
        "{path} holds the running system ({detail}); copy the system to memory and say so first"
    )]
    SystemDevice { path: PathBuf, detail: String },
    #[error("{path} is {actual} bytes, but the plan was made for {planned} bytes")]
    SizeChanged {
        path: PathBuf,
        planned: u64,
        actual: u64,
    },
    #[error("{path} is on the medium being wiped; keep the certificate elsewhere")]
    CertificateOnMedium { path: PathBuf },
    #[error("the medium is empty (0 bytes)")]
    Empty,
    #[error("the method {0} cannot be run by this version of the engine")]
    MethodNotRunnable(String),
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
    #[error("keystream position {0} is out of range")]
    KeystreamRange(u64),
    #[error("a worker thread stopped unexpectedly")]
    Worker,
    #[error(transparent)]
    Probe(#[from] ProbeError),
}

/// Failures while identifying a medium.
#[derive(Debug, Error)]
pub enum ProbeError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0} is neither a regular file nor a block device")]
    Unsupported(PathBuf),
    #[error("{path}: unexpected content in {what}")]
    Parse { path: PathBuf, what: &'static str },
}

impl ProbeError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Failures while signing, parsing or verifying a certificate.
#[derive(Debug, Error)]
pub enum CertError {
    #[error("certificate JSON is malformed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the certificate is not signed")]
    Unsigned,
    #[error("unsupported signature algorithm {0:?}")]
    Algorithm(String),
    #[error("the certificate's {0} is not valid hex of the right length")]
    Encoding(&'static str),
    #[error("the embedded public key is not a valid Ed25519 key")]
    PublicKey,
    #[error("the signature does not match the certificate's content")]
    Signature,
}

/// An operating-system error in a few Japanese words for the common cases, else its own text.
fn io_ja(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "見つかりません".into(),
        io::ErrorKind::PermissionDenied => "権限がありません".into(),
        io::ErrorKind::ResourceBusy => "使用中です".into(),
        io::ErrorKind::ReadOnlyFilesystem => "読み取り専用です".into(),
        _ => match e.raw_os_error() {
            Some(libc::EIO) => "入出力エラー".into(),
            Some(libc::EROFS) => "読み取り専用です".into(),
            _ => e.to_string(),
        },
    }
}

impl WipeError {
    /// The message in Japanese, for the kiosk and the CLI (`Display` is English, for logs of
    /// developers and the English UI).
    pub fn ja(&self) -> String {
        match self {
            WipeError::Open { path, source } => {
                format!("{} を開けません（{}）", path.display(), io_ja(source))
            }
            WipeError::Busy { path } => format!(
                "{} は使用中です（マウントされているか、他の装置・プログラムが使っています）",
                path.display()
            ),
            WipeError::SystemDevice { path, .. } => format!(
                "{} には起動中のシステムが入っています。廃棄モードでシステムをメモリーに読み込んでから消去してください",
                path.display()
            ),
            WipeError::SizeChanged { path, .. } => format!(
                "{} の容量が調べたときと変わっています。もう一度調べてください",
                path.display()
            ),
            WipeError::CertificateOnMedium { .. } => {
                "消去証明書は、消去する媒体とは別の場所に保存してください".into()
            }
            WipeError::Empty => "媒体の容量が0バイトです".into(),
            WipeError::MethodNotRunnable(method) => {
                format!("この版は「{method}」をまだ実行できません")
            }
            WipeError::Random(_) => "乱数を用意できません（OSの乱数生成が失敗しました）".into(),
            WipeError::KeystreamRange(_) => "消去パターンの位置が範囲外です".into(),
            WipeError::Worker => "消去の処理が途中で止まりました（内部エラー）".into(),
            WipeError::Probe(e) => e.ja(),
        }
    }
}

impl ProbeError {
    pub fn ja(&self) -> String {
        match self {
            ProbeError::Io { path, source } => {
                format!("{} を読めません（{}）", path.display(), io_ja(source))
            }
            ProbeError::Unsupported(path) => {
                format!("{} はファイルでも記憶装置でもありません", path.display())
            }
            ProbeError::Parse { path, what } => {
                format!("{} の情報（{what}）を読み取れません", path.display())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_in_japanese_without_english_os_text_for_common_cases() {
        let open = WipeError::Open {
            path: "/dev/sdz".into(),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        assert_eq!(open.ja(), "/dev/sdz を開けません（権限がありません）");
        let eio = WipeError::Probe(ProbeError::io(
            "/dev/sdz",
            io::Error::from_raw_os_error(libc::EIO),
        ));
        assert_eq!(eio.ja(), "/dev/sdz を読めません（入出力エラー）");
        assert!(
            WipeError::MethodNotRunnable("Crypto Erase".into())
                .ja()
                .contains("Crypto Erase")
        );
    }
}
