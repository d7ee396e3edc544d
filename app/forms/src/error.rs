//! What can go wrong making, printing or rasterising a form. No variant carries personal data.

/// A form could not be made, printed or shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("{program} could not be started: {reason}")]
    Spawn {
        program: &'static str,
        reason: String,
    },
    #[error("{program} failed: {message}")]
    Tool {
        program: &'static str,
        message: String,
    },
    #[error("the printer name is not valid")]
    PrinterName,
    #[error("copies must be between 1 and {max}")]
    Copies { max: u32 },
}

impl FormError {
    /// A stable short name for logs.
    pub fn key(&self) -> &'static str {
        match self {
            FormError::Font => "font",
            FormError::Pdf(_) => "pdf",
            FormError::Spawn { .. } => "spawn",
            FormError::Tool { .. } => "tool",
            FormError::PrinterName => "printer_name",
            FormError::Copies { .. } => "copies",
        }
    }

    /// The message in Japanese, for the kiosk.
    pub fn ja(&self) -> String {
        match self {
            FormError::Font => "帳票用のフォントを読み込めませんでした。".into(),
            FormError::Pdf(_) => "PDF を作成できませんでした。".into(),
            FormError::Spawn { program, .. } => format!("{program} を起動できませんでした。"),
            FormError::Tool { program, message } => {
                format!("{program} でエラーが発生しました: {message}")
            }
            FormError::PrinterName => "プリンター名が正しくありません。".into(),
            FormError::Copies { max } => format!("部数は 1〜{max} で指定してください。"),
        }
    }
}
