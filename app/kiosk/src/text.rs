//! Text the kiosk makes itself (outside the `.slint` files), in the user's language. The
//! `.slint` strings go through Slint's `@tr()` and the bundled English translation instead.

use kinko_domain::lang::Lang;

/// Picks the Japanese or the English text.
pub fn tr(lang: Lang, ja: &str, en: &str) -> String {
    match lang {
        Lang::Ja => ja.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Parses `--lang`: `ja` (the default) or `en`.
pub fn parse_lang(s: &str) -> Option<Lang> {
    match s.trim().to_ascii_lowercase().as_str() {
        "ja" | "ja_jp" | "ja-jp" | "日本語" => Some(Lang::Ja),
        "en" | "en_us" | "en-us" | "en_gb" | "english" => Some(Lang::En),
        _ => None,
    }
}

/// Selects the language of the `@tr()` strings. Must run after the first component exists.
///
/// Slint picks a bundled translation from the system locale by itself when the first
/// component is made; the kiosk is Japanese unless asked otherwise, so the choice is always
/// made explicitly here ("" is the source language, Japanese).
pub fn select_slint_language(lang: Lang) {
    let code = match lang {
        Lang::Ja => "",
        Lang::En => "en",
    };
    if let Err(e) = slint::select_bundled_translation(code) {
        eprintln!("kinko-kiosk: translation not selected: {e}");
    }
}
