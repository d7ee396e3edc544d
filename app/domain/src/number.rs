//! 個人番号 (My Number, 12 digits) and 法人番号 (corporate number, 13 digits).
//!
//! Both types can only hold valid numbers: [`MyNumber::parse`] and [`CorporateNumber::parse`]
//! are the only ways to build them, and both check the statutory check digit.
//!
//! API boundary: the digits leave these types only through `expose_digits`. `Debug` and
//! `Display` print a fully masked form, errors never carry a digit of the input (a rejected
//! number may still be someone's real My Number with one typo), and there is deliberately no
//! serde implementation, so that storing a number is always an explicit choice.
//!
//! Parsing accepts what people type or paste: ASCII and full-width digits, spaces (ASCII,
//! ideographic U+3000, tab) and hyphen lookalikes between them. Anything else is rejected.

use std::fmt;
use std::str::FromStr;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::lang::{Lang, Localized};

/// Which kind of number a value or an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    /// 個人番号 (My Number), 12 digits, check digit last.
    MyNumber,
    /// 法人番号 (corporate number), 13 digits, check digit first.
    Corporate,
}

impl NumberKind {
    /// How many digits a number of this kind has.
    pub const fn digit_count(self) -> usize {
        match self {
            NumberKind::MyNumber => 12,
            NumberKind::Corporate => 13,
        }
    }

    /// The name used in messages: 個人番号 / 法人番号, or "My Number" / "corporate number".
    pub const fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NumberKind::MyNumber, Lang::Ja) => "個人番号",
            (NumberKind::Corporate, Lang::Ja) => "法人番号",
            (NumberKind::MyNumber, Lang::En) => "My Number",
            (NumberKind::Corporate, Lang::En) => "corporate number",
        }
    }
}

/// Why a string is not a valid number.
///
/// Invariant: no variant holds a digit of the input or the input itself. `InvalidCharacter`
/// only ever holds a character that is not a digit of any kind; other digits (circled,
/// Arabic-Indic, kanji numerals, …) are reported as `UnsupportedDigit` without the character.
///
/// Positions count characters from 1 in the input after leading and trailing whitespace is
/// trimmed, which is how a person counts what they see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Nothing but whitespace and separators was entered.
    Empty { kind: NumberKind },
    /// A character that is neither a digit nor an accepted separator.
    InvalidCharacter {
        kind: NumberKind,
        position: usize,
        character: char,
    },
    /// A digit-like character that is not 0–9 (ASCII or full-width).
    UnsupportedDigit { kind: NumberKind, position: usize },
    /// The number of digits is wrong.
    WrongLength {
        kind: NumberKind,
        expected: usize,
        found: usize,
    },
    /// All digits are there but the check digit does not match.
    CheckDigit { kind: NumberKind },
}

impl NumberError {
    /// Which kind of number was being parsed.
    pub fn kind(&self) -> NumberKind {
        match self {
            NumberError::Empty { kind }
            | NumberError::InvalidCharacter { kind, .. }
            | NumberError::UnsupportedDigit { kind, .. }
            | NumberError::WrongLength { kind, .. }
            | NumberError::CheckDigit { kind } => *kind,
        }
    }

    fn message_ja(&self) -> String {
        let name = self.kind().name(Lang::Ja);
        match self {
            NumberError::Empty { .. } => format!("{name}が入力されていません"),
            NumberError::InvalidCharacter {
                position,
                character,
                ..
            } => format!(
                "{name}に使えない文字「{}」が{position}文字目にあります",
                shown(*character)
            ),
            NumberError::UnsupportedDigit { position, .. } => format!(
                "{name}の{position}文字目に使えない種類の数字があります。0〜9の数字（半角または全角）で入力してください"
            ),
            NumberError::WrongLength {
                expected, found, ..
            } => format!("{name}は{expected}桁です（入力は{found}桁）"),
            NumberError::CheckDigit {
                kind: NumberKind::MyNumber,
            } => format!("{name}の検査用数字が一致しません。入力を確認してください"),
            NumberError::CheckDigit {
                kind: NumberKind::Corporate,
            } => format!("{name}の検査用数字（先頭の1桁）が一致しません。入力を確認してください"),
        }
    }

    fn message_en(&self) -> String {
        let name = self.kind().name(Lang::En);
        match self {
            NumberError::Empty { .. } => format!("No {name} was entered"),
            NumberError::InvalidCharacter {
                position,
                character,
                ..
            } => format!(
                "A {name} cannot contain “{}” (character {position})",
                shown(*character)
            ),
            NumberError::UnsupportedDigit { position, .. } => format!(
                "Character {position} of the {name} is a kind of digit that cannot be used; \
                 enter the digits 0–9 (half-width or full-width)"
            ),
            NumberError::WrongLength {
                expected, found, ..
            } => format!("A {name} has {expected} digits ({found} entered)"),
            NumberError::CheckDigit {
                kind: NumberKind::MyNumber,
            } => format!("The {name}'s check digit does not match; please check the number"),
            NumberError::CheckDigit {
                kind: NumberKind::Corporate,
            } => format!(
                "The {name}'s check digit (its first digit) does not match; please check the number"
            ),
        }
    }
}

impl Localized for NumberError {
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => self.message_ja(),
            Lang::En => self.message_en(),
        }
    }
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_ja())
    }
}

/// A 個人番号 (My Number): 12 digits whose last digit is a valid check digit.
///
/// The digits are wiped from memory when the value is dropped. `Debug` prints
/// `MyNumber(**** **** ****)` and `Display` prints [`MyNumber::MASKED_FULL`].
#[derive(Clone, PartialEq, Eq, Hash, Zeroize, ZeroizeOnDrop)]
pub struct MyNumber {
    /// ASCII digits.
    digits: [u8; 12],
}

impl MyNumber {
    /// The fully masked form, for lists and logs.
    pub const MASKED_FULL: &'static str = "**** **** ****";

    /// Parses a My Number as typed (see the module docs for what is accepted).
    ///
    /// # Errors
    ///
    /// A [`NumberError`] naming the first problem: nothing entered, a character that is not
    /// allowed, the wrong number of digits, or a check digit that does not match.
    pub fn parse(input: &str) -> Result<MyNumber, NumberError> {
        let kind = NumberKind::MyNumber;
        let digits = collect_digits::<12>(input, kind)?;
        let body = digit_values::<11>(&digits[..11]);
        if my_number_check_digit(&body) != digits[11] - b'0' {
            return Err(NumberError::CheckDigit { kind });
        }
        Ok(MyNumber { digits: *digits })
    }

    /// The 12 digits. The only way to get them; callers must never log them.
    pub fn expose_digits(&self) -> &str {
        ascii_str(&self.digits)
    }

    /// The last four digits, e.g. `"9012"`.
    pub fn last4(&self) -> &str {
        ascii_str(&self.digits[8..])
    }

    /// The partly masked form, e.g. `"**** **** 9012"`.
    pub fn masked(&self) -> String {
        format!("**** **** {}", self.last4())
    }

    /// True for numbers that pass the check but are unlikely to be real: the 11-digit body is
    /// one repeated digit (`000000000000`, `111111111118`, …) or it is the textbook example
    /// `123456789018`. Warn about these; do not reject them.
    pub fn is_suspicious(&self) -> bool {
        let body = &self.digits[..11];
        body.iter().all(|&d| d == body[0]) || self.expose_digits() == "123456789018"
    }
}

impl FromStr for MyNumber {
    type Err = NumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MyNumber::parse(s)
    }
}

impl fmt::Debug for MyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MyNumber({})", Self::MASKED_FULL)
    }
}

impl fmt::Display for MyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::MASKED_FULL)
    }
}

/// A 法人番号 (corporate number): 13 digits whose first digit is a valid check digit.
///
/// The masked forms group the check digit apart from the 12-digit base, keeping the real
/// length: `* **** **** 6246`. A 法人番号 is public information, but it is handled with the same
/// care as a My Number because the two share input fields and forms.
#[derive(Clone, PartialEq, Eq, Hash, Zeroize, ZeroizeOnDrop)]
pub struct CorporateNumber {
    /// ASCII digits.
    digits: [u8; 13],
}

impl CorporateNumber {
    /// The fully masked form, for lists and logs.
    pub const MASKED_FULL: &'static str = "* **** **** ****";

    /// Parses a 法人番号 as typed (see the module docs for what is accepted).
    ///
    /// # Errors
    ///
    /// As for [`MyNumber::parse`]; the check digit here is the first digit.
    pub fn parse(input: &str) -> Result<CorporateNumber, NumberError> {
        let kind = NumberKind::Corporate;
        let digits = collect_digits::<13>(input, kind)?;
        let base = digit_values::<12>(&digits[1..]);
        if corporate_check_digit(&base) != digits[0] - b'0' {
            return Err(NumberError::CheckDigit { kind });
        }
        Ok(CorporateNumber { digits: *digits })
    }

    /// The 13 digits. The only way to get them.
    pub fn expose_digits(&self) -> &str {
        ascii_str(&self.digits)
    }

    /// The last four digits, e.g. `"6246"`.
    pub fn last4(&self) -> &str {
        ascii_str(&self.digits[9..])
    }

    /// The partly masked form, e.g. `"* **** **** 6246"`.
    pub fn masked(&self) -> String {
        format!("* **** **** {}", self.last4())
    }
}

impl FromStr for CorporateNumber {
    type Err = NumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CorporateNumber::parse(s)
    }
}

impl fmt::Debug for CorporateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CorporateNumber({})", Self::MASKED_FULL)
    }
}

impl fmt::Display for CorporateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::MASKED_FULL)
    }
}

/// The My Number check digit of an 11-digit body (digit values 0..=9, not ASCII).
///
/// Weights 6,5,4,3,2,7,6,5,4,3,2 left to right; r = Σ mod 11; 0 if r ≤ 1, else 11 − r.
/// Because r = 0 and r = 1 both give 0, some single-digit errors go undetected.
pub fn my_number_check_digit(body11: &[u8; 11]) -> u8 {
    const WEIGHTS: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = body11
        .iter()
        .zip(WEIGHTS)
        .map(|(&digit, weight)| u32::from(digit) * weight)
        .sum();
    match sum % 11 {
        0 | 1 => 0,
        r => (11 - r) as u8,
    }
}

/// The 法人番号 check digit (its first digit, 1..=9) of a 12-digit base (values 0..=9).
///
/// Σ Pn×Qn with Pn counted from the right and Qn = 1 for odd n, 2 for even n; 9 − (Σ mod 9).
/// Since 9 ≡ 0 (mod 9), swapping a 0 for a 9 is undetectable.
pub fn corporate_check_digit(base12: &[u8; 12]) -> u8 {
    let sum: u32 = base12
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &digit)| u32::from(digit) * if i % 2 == 0 { 1 } else { 2 })
        .sum();
    9 - (sum % 9) as u8
}

/// Collects exactly `N` digits as ASCII bytes, skipping separators.
fn collect_digits<const N: usize>(
    input: &str,
    kind: NumberKind,
) -> Result<Zeroizing<[u8; N]>, NumberError> {
    let mut digits = Zeroizing::new([0u8; N]);
    let mut found = 0;
    for (index, c) in input.trim().chars().enumerate() {
        if let Some(digit) = ascii_digit(c) {
            if let Some(slot) = digits.get_mut(found) {
                *slot = digit;
            }
            found += 1;
        } else if !is_separator(c) {
            return Err(rejected_character(kind, index + 1, c));
        }
    }
    match found {
        0 => Err(NumberError::Empty { kind }),
        n if n == N => Ok(digits),
        n => Err(NumberError::WrongLength {
            kind,
            expected: N,
            found: n,
        }),
    }
}

/// Turns ASCII digits into digit values, in a buffer that is wiped on drop.
fn digit_values<const N: usize>(ascii: &[u8]) -> Zeroizing<[u8; N]> {
    let mut values = Zeroizing::new([0u8; N]);
    for (value, byte) in values.iter_mut().zip(ascii) {
        *value = byte - b'0';
    }
    values
}

/// ASCII or full-width 0–9, as an ASCII byte.
fn ascii_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8),
        '０'..='９' => Some(b'0' + (c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// Spaces and the hyphen lookalikes Japanese input methods and word processors produce.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' // ideographic space
            | '\t'
            | '-'
            | '\u{FF0D}' // full-width hyphen-minus
            | '\u{2212}' // minus sign
            | '\u{2010}'
            ..='\u{2015}' // hyphen, non-breaking hyphen, figure dash, en/em dash, bar
            | '\u{30FC}' // katakana prolonged sound mark, often typed for a hyphen
            | '\u{FF70}' // its half-width form
    )
}

/// Builds the error for a rejected character without ever putting a digit into it.
fn rejected_character(kind: NumberKind, position: usize, c: char) -> NumberError {
    if looks_like_digit(c) {
        NumberError::UnsupportedDigit { kind, position }
    } else {
        NumberError::InvalidCharacter {
            kind,
            position,
            character: c,
        }
    }
}

/// Digits of other scripts (Unicode Nd/Nl/No) and kanji numerals.
fn looks_like_digit(c: char) -> bool {
    c.is_numeric() || "〇零一壱二弐三参四五六七八九十".contains(c)
}

/// A character as it can be shown in a message: invisible ones as `U+XXXX`.
fn shown(c: char) -> String {
    if c.is_control() || c.is_whitespace() || is_format_char(c) {
        format!("U+{:04X}", c as u32)
    } else {
        c.to_string()
    }
}

/// Zero-width and direction marks, which would be invisible between quotes.
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

fn ascii_str(digits: &[u8]) -> &str {
    std::str::from_utf8(digits).expect("number types only ever hold ASCII digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_my_numbers() {
        for valid in ["123456789018", "621498320257", "548836529885"] {
            let n = MyNumber::parse(valid).unwrap();
            assert_eq!(n.expose_digits(), valid);
        }
        for invalid in ["621498320258", "123456789010"] {
            assert_eq!(
                MyNumber::parse(invalid),
                Err(NumberError::CheckDigit {
                    kind: NumberKind::MyNumber
                })
            );
        }
    }

    #[test]
    fn known_corporate_numbers() {
        for valid in [
            "5835678256246",
            "7010705000725",
            "4011001098993",
            "1010601008968",
            "9234567890123",
        ] {
            let n = CorporateNumber::parse(valid).unwrap();
            assert_eq!(n.expose_digits(), valid);
        }
        for invalid in ["2835678256246", "1234567890123"] {
            assert_eq!(
                CorporateNumber::parse(invalid),
                Err(NumberError::CheckDigit {
                    kind: NumberKind::Corporate
                })
            );
        }
    }

    #[test]
    fn check_digit_worked_examples() {
        assert_eq!(my_number_check_digit(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]), 8);
        assert_eq!(my_number_check_digit(&[0; 11]), 0);
        assert_eq!(my_number_check_digit(&[1; 11]), 8);
        assert_eq!(
            corporate_check_digit(&[8, 3, 5, 6, 7, 8, 2, 5, 6, 2, 4, 6]),
            5
        );
        assert_eq!(corporate_check_digit(&[0; 12]), 9);
    }

    #[test]
    fn accepts_typed_forms() {
        for typed in [
            "1234 5678 9018",
            "1234-5678-9018",
            "  123456789018\n",
            "１２３４　５６７８　９０１８",
            "1234－5678－9018",
            "1234−5678ー9018",
            "1234‐5678—9018",
            "1234\t5678\t9018",
            "1-2-3-4-5-6-7-8-9-0-1-8",
        ] {
            let n = MyNumber::parse(typed).unwrap();
            assert_eq!(n.expose_digits(), "123456789018", "{typed:?}");
        }
        let c = CorporateNumber::parse("5 8356 7825 6246").unwrap();
        assert_eq!(c.expose_digits(), "5835678256246");
    }

    #[test]
    fn masks() {
        let n = MyNumber::parse("123456789018").unwrap();
        assert_eq!(n.last4(), "9018");
        assert_eq!(n.masked(), "**** **** 9018");
        assert_eq!(n.to_string(), "**** **** ****");
        assert_eq!(format!("{n:?}"), "MyNumber(**** **** ****)");
        assert_eq!(format!("{n:#?}"), "MyNumber(**** **** ****)");

        let c = CorporateNumber::parse("5835678256246").unwrap();
        assert_eq!(c.last4(), "6246");
        assert_eq!(c.masked(), "* **** **** 6246");
        assert_eq!(c.to_string(), "* **** **** ****");
        assert_eq!(format!("{c:?}"), "CorporateNumber(* **** **** ****)");
    }

    #[test]
    fn equality_and_from_str() {
        let a: MyNumber = "1234 5678 9018".parse().unwrap();
        let b = MyNumber::parse("１２３４５６７８９０１８").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.clone(), b);
        assert_ne!(a, MyNumber::parse("621498320257").unwrap());
        let c: CorporateNumber = "5835678256246".parse().unwrap();
        assert_eq!(c, CorporateNumber::parse("5-8356-7825-6246").unwrap());
    }

    #[test]
    fn suspicious_numbers() {
        for s in ["000000000000", "111111111118", "123456789018"] {
            assert!(MyNumber::parse(s).unwrap().is_suspicious(), "{s}");
        }
        assert!(!MyNumber::parse("621498320257").unwrap().is_suspicious());
    }

    #[test]
    fn errors() {
        let kind = NumberKind::MyNumber;
        assert_eq!(MyNumber::parse(""), Err(NumberError::Empty { kind }));
        assert_eq!(MyNumber::parse(" - 　"), Err(NumberError::Empty { kind }));
        assert_eq!(
            MyNumber::parse("12a456789018"),
            Err(NumberError::InvalidCharacter {
                kind,
                position: 3,
                character: 'a'
            })
        );
        assert_eq!(
            MyNumber::parse("  12a"),
            Err(NumberError::InvalidCharacter {
                kind,
                position: 3,
                character: 'a'
            })
        );
        assert_eq!(
            MyNumber::parse("12③456789018"),
            Err(NumberError::UnsupportedDigit { kind, position: 3 })
        );
        assert_eq!(
            MyNumber::parse("一二三"),
            Err(NumberError::UnsupportedDigit { kind, position: 1 })
        );
        assert_eq!(
            MyNumber::parse("12345678901"),
            Err(NumberError::WrongLength {
                kind,
                expected: 12,
                found: 11
            })
        );
        assert_eq!(
            CorporateNumber::parse("58356782562461"),
            Err(NumberError::WrongLength {
                kind: NumberKind::Corporate,
                expected: 13,
                found: 14
            })
        );
    }

    #[test]
    fn messages() {
        let kind = NumberKind::MyNumber;
        let cases = [
            (
                NumberError::Empty { kind },
                "個人番号が入力されていません",
                "No My Number was entered",
            ),
            (
                NumberError::InvalidCharacter {
                    kind,
                    position: 3,
                    character: 'a',
                },
                "個人番号に使えない文字「a」が3文字目にあります",
                "A My Number cannot contain “a” (character 3)",
            ),
            (
                NumberError::WrongLength {
                    kind,
                    expected: 12,
                    found: 11,
                },
                "個人番号は12桁です（入力は11桁）",
                "A My Number has 12 digits (11 entered)",
            ),
            (
                NumberError::CheckDigit { kind },
                "個人番号の検査用数字が一致しません。入力を確認してください",
                "The My Number's check digit does not match; please check the number",
            ),
            (
                NumberError::WrongLength {
                    kind: NumberKind::Corporate,
                    expected: 13,
                    found: 12,
                },
                "法人番号は13桁です（入力は12桁）",
                "A corporate number has 13 digits (12 entered)",
            ),
        ];
        for (error, ja, en) in cases {
            assert_eq!(error.to_string(), ja);
            assert_eq!(error.message(Lang::Ja), ja);
            assert_eq!(error.message(Lang::En), en);
        }
    }

    #[test]
    fn invisible_characters_are_shown_as_code_points() {
        let error = MyNumber::parse("1234\u{00A0}5678").unwrap_err();
        assert_eq!(
            error.to_string(),
            "個人番号に使えない文字「U+00A0」が5文字目にあります"
        );
    }
}
