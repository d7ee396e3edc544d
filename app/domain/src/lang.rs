//! The languages user-facing text comes in. Japanese is the default everywhere.

/// A language for user-facing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 日本語 (the default).
    #[default]
    Ja,
    /// English.
    En,
}

/// A value (usually an error) that can say what it is in each [`Lang`].
///
/// `Display` gives the Japanese text; `message(Lang::En)` the English one.
pub trait Localized {
    fn message(&self, lang: Lang) -> String;
}
