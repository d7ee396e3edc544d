//! Normalisation and validation of the text fields people type: names, kana, codes.
//!
//! Names keep their exact characters (a 髙 or a 﨑 is part of a person's identity, so no NFKC),
//! only spaces are tidied. Kana and codes go through NFKC, which turns half-width katakana and
//! full-width ASCII into their canonical forms.

use crate::lang::{Lang, Localized};
use unicode_normalization::UnicodeNormalization;

/// The longest name, kana or address we accept, in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// The longest employee or payee code we accept, in characters.
pub const MAX_CODE_CHARS: usize = 32;

/// What is wrong with a piece of text. Never carries the text itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{field}が入力されていません")]
    Empty { field: Field },
    #[error("{field}が長すぎます（{max}文字まで）")]
    TooLong { field: Field, max: usize },
    #[error("{field}に使えない文字があります（{position}文字目）")]
    InvalidCharacter { field: Field, position: usize },
}

/// Which field a [`TextError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Kana,
    Code,
    Relation,
    Address,
    Department,
}

impl Field {
    fn ja(self) -> &'static str {
        match self {
            Field::Name => "氏名",
            Field::Kana => "フリガナ",
            Field::Code => "コード",
            Field::Relation => "続柄",
            Field::Address => "住所",
            Field::Department => "部署名",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Kana => "kana reading",
            Field::Code => "code",
            Field::Relation => "relationship",
            Field::Address => "address",
            Field::Department => "department name",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.ja())
    }
}

impl Localized for TextError {
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => self.to_string(),
            Lang::En => match self {
                TextError::Empty { field } => format!("The {} is empty", field.en()),
                TextError::TooLong { field, max } => {
                    format!("The {} is too long (at most {max} characters)", field.en())
                }
                TextError::InvalidCharacter { field, position } => format!(
                    "The {} has a character that cannot be used (character {position})",
                    field.en()
                ),
            },
        }
    }
}

/// A name as typed: trimmed, runs of spaces (half- or full-width) become one full-width space.
pub fn normalize_name(input: &str, field: Field) -> Result<String, TextError> {
    let out = tidy_spaces(input);
    check_text(&out, field, |c| !c.is_control())?;
    Ok(out)
}

/// A kana reading: half-width katakana and hiragana become full-width katakana.
pub fn normalize_kana(input: &str) -> Result<String, TextError> {
    let nfkc: String = input.nfkc().map(hiragana_to_katakana).collect();
    let out = tidy_spaces(&nfkc);
    check_text(&out, Field::Kana, |c| is_katakana(c) || c == '\u{3000}')?;
    Ok(out)
}

/// An employee or payee code: NFKC (full-width digits become ASCII), trimmed, leading zeros kept.
pub fn normalize_code(input: &str) -> Result<String, TextError> {
    let out: String = input.nfkc().collect::<String>().trim().to_owned();
    if out.chars().count() > MAX_CODE_CHARS {
        return Err(TextError::TooLong {
            field: Field::Code,
            max: MAX_CODE_CHARS,
        });
    }
    check_text(&out, Field::Code, |c| {
        c.is_ascii_alphanumeric() || c == '-' || c == '_'
    })?;
    Ok(out)
}

fn check_text(s: &str, field: Field, allowed: impl Fn(char) -> bool) -> Result<(), TextError> {
    if s.is_empty() {
        return Err(TextError::Empty { field });
    }
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(TextError::TooLong {
            field,
            max: MAX_TEXT_CHARS,
        });
    }
    match s.chars().position(|c| !allowed(c)) {
        Some(i) => Err(TextError::InvalidCharacter {
            field,
            position: i + 1,
        }),
        None => Ok(()),
    }
}

fn tidy_spaces(input: &str) -> String {
    input
        .split(|c: char| c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\u{3000}")
}

fn is_katakana(c: char) -> bool {
    // The Katakana block, including ー (U+30FC) and ・ (U+30FB), plus the small-kana extension.
    matches!(c, '\u{30A1}'..='\u{30FC}' | '\u{31F0}'..='\u{31FF}')
}

fn hiragana_to_katakana(c: char) -> char {
    match c {
        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_characters_and_tidy_spaces() {
        assert_eq!(
            normalize_name("  髙橋 　 﨑子 ", Field::Name).unwrap(),
            "髙橋\u{3000}﨑子"
        );
        assert_eq!(normalize_name("山田太郎", Field::Name).unwrap(), "山田太郎");
        assert_eq!(
            normalize_name(" \u{3000} ", Field::Name),
            Err(TextError::Empty { field: Field::Name })
        );
        assert!(matches!(
            normalize_name("山田\u{7}", Field::Name),
            Err(TextError::InvalidCharacter { position: 3, .. })
        ));
    }

    #[test]
    fn kana_becomes_full_width_katakana() {
        assert_eq!(normalize_kana("ﾔﾏﾀﾞ ﾀﾛｳ").unwrap(), "ヤマダ\u{3000}タロウ");
        assert_eq!(
            normalize_kana("やまだ　はなこ").unwrap(),
            "ヤマダ\u{3000}ハナコ"
        );
        assert_eq!(normalize_kana("ガーデン・ヴィ").unwrap(), "ガーデン・ヴィ");
        assert!(matches!(
            normalize_kana("山田"),
            Err(TextError::InvalidCharacter {
                field: Field::Kana,
                position: 1
            })
        ));
    }

    #[test]
    fn codes_keep_leading_zeros_and_lose_full_width() {
        assert_eq!(normalize_code(" ００１２ ").unwrap(), "0012");
        assert_eq!(normalize_code("E-001_a").unwrap(), "E-001_a");
        assert!(normalize_code("0 1").is_err());
        assert!(matches!(
            normalize_code(&"1".repeat(33)),
            Err(TextError::TooLong { .. })
        ));
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let e = TextError::Empty { field: Field::Kana };
        assert_eq!(e.to_string(), "フリガナが入力されていません");
        assert_eq!(e.message(Lang::En), "The kana reading is empty");
    }
}
