//! 和暦 (Japanese era dates) both ways, and parsing of the date forms people type.
//!
//! Eras begin on the days given by JIS X 0301 (明治 from 1868-01-25). Japan used the lunisolar
//! calendar until 明治5年12月2日, so for dates before 1873 a [`WarekiDate`]'s month and day are
//! Gregorian (the JIS X 0301 convention), not the lunisolar dates written at the time.
//!
//! The era table is data in [`Era`]; a future era arrives as a code update through the signed
//! update path (the appliance is offline).

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::lang::{Lang, Localized};

/// A Japanese era (元号) since 明治.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

/// Everything the rest of the module knows about an era.
struct EraInfo {
    kanji: &'static str,
    letter: char,
    english: &'static str,
    first_day: NaiveDate,
}

/// A date for a constant table; evaluated at compile time, so it cannot fail at run time.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("the era table holds an impossible date"),
    }
}

impl Era {
    /// All eras, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    const fn info(self) -> EraInfo {
        let (kanji, letter, english, first_day) = match self {
            Era::Meiji => ("明治", 'M', "Meiji", ymd(1868, 1, 25)),
            Era::Taisho => ("大正", 'T', "Taisho", ymd(1912, 7, 30)),
            Era::Showa => ("昭和", 'S', "Showa", ymd(1926, 12, 25)),
            Era::Heisei => ("平成", 'H', "Heisei", ymd(1989, 1, 8)),
            Era::Reiwa => ("令和", 'R', "Reiwa", ymd(2019, 5, 1)),
        };
        EraInfo {
            kanji,
            letter,
            english,
            first_day,
        }
    }

    /// The era's name in kanji, e.g. `"令和"`.
    pub fn kanji(self) -> &'static str {
        self.info().kanji
    }

    /// The era's initial as used in short dates, e.g. `'R'`.
    pub fn letter(self) -> char {
        self.info().letter
    }

    /// The era's name in English (ASCII, no macrons), e.g. `"Showa"`.
    pub fn name_en(self) -> &'static str {
        self.info().english
    }

    /// The first day of the era (JIS X 0301).
    pub fn first_day(self) -> NaiveDate {
        self.info().first_day
    }

    /// The day before the next era begins; `None` for the current era.
    pub fn last_day(self) -> Option<NaiveDate> {
        self.next().and_then(|next| next.first_day().pred_opt())
    }

    /// The era after this one, if it is known.
    pub fn next(self) -> Option<Era> {
        Era::ALL.get(self as usize + 1).copied()
    }

    /// Whether `date` falls inside this era.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day() <= date && self.last_day().is_none_or(|last| date <= last)
    }

    /// The era `date` falls in; `None` before 明治.
    pub fn containing(date: NaiveDate) -> Option<Era> {
        Era::ALL
            .into_iter()
            .rev()
            .find(|era| era.first_day() <= date)
    }

    /// Looks an era up by kanji (`令和` or `令`), initial (`R` or `r`) or English name
    /// (`Reiwa`, any case).
    pub fn from_name(name: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|era| {
            let info = era.info();
            name == info.kanji
                || name.chars().eq(info.kanji.chars().take(1))
                || name.eq_ignore_ascii_case(info.english)
                || name.eq_ignore_ascii_case(info.letter.encode_utf8(&mut [0; 4]))
        })
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kanji())
    }
}

/// A date written in an era: 令和5年4月1日 is `{ era: Reiwa, year: 5, month: 4, day: 1 }`.
///
/// The fields are plain numbers and may describe a day that does not exist; [`Self::to_date`]
/// is where that is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WarekiDate {
    pub era: Era,
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl WarekiDate {
    /// The era date of a Gregorian date.
    ///
    /// # Errors
    ///
    /// [`DateError::BeforeMeiji`] before 1868-01-25.
    pub fn from_date(date: NaiveDate) -> Result<WarekiDate, DateError> {
        let era = Era::containing(date).ok_or(DateError::BeforeMeiji { date })?;
        // `date` is in `era`, so the difference is never negative.
        let year = (date.year() - era.first_day().year() + 1).unsigned_abs();
        Ok(WarekiDate {
            era,
            year,
            month: date.month(),
            day: date.day(),
        })
    }

    /// The Gregorian date.
    ///
    /// # Errors
    ///
    /// [`DateError::NoSuchMonth`] or [`DateError::NoSuchDay`] if the day does not exist;
    /// [`DateError::OutsideEra`] if it is not inside the era (平成31年5月1日, 昭和64年1月8日 and
    /// 令和元年4月30日 are all refused); [`DateError::YearOutOfRange`] for absurd years.
    pub fn to_date(self) -> Result<NaiveDate, DateError> {
        let gregorian_year = i64::from(self.era.first_day().year()) + i64::from(self.year) - 1;
        let gregorian_year = i32::try_from(gregorian_year)
            .ok()
            .filter(|&year| year <= NaiveDate::MAX.year())
            .ok_or(DateError::YearOutOfRange)?;
        let date = calendar_date(
            Some(self.era),
            self.year,
            gregorian_year,
            self.month,
            self.day,
        )?;
        if self.era.contains(date) {
            Ok(date)
        } else {
            Err(DateError::OutsideEra { date: self })
        }
    }

    /// The short form with the era's initial, e.g. `"R5.4.1"` (year 1 as `1`: `"R1.5.1"`).
    pub fn short(self) -> String {
        format!(
            "{}{}.{}.{}",
            self.era.letter(),
            self.year,
            self.month,
            self.day
        )
    }
}

/// `令和5年4月1日`; the first year of an era is written 元年: `令和元年5月1日`.
impl fmt::Display for WarekiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}月{}日",
            self.era.kanji(),
            year_ja(self.year),
            self.month,
            self.day
        )
    }
}

/// `2023-04-01` as `令和5年4月1日`; before 明治 as a Gregorian date, `1860年1月1日`.
pub fn format_ja(date: NaiveDate) -> String {
    match WarekiDate::from_date(date) {
        Ok(wareki) => wareki.to_string(),
        Err(_) => gregorian_ja(date),
    }
}

/// Why a date could not be read or converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing was entered.
    Empty,
    /// Not a date form this module knows.
    Unrecognised,
    /// A Gregorian year with fewer than four digits (which century is `23`?).
    AmbiguousYear,
    /// Something that looks like an era name but is not one (at most 4 characters).
    UnknownEra { name: String },
    /// A Gregorian date before 明治 has no era date.
    BeforeMeiji { date: NaiveDate },
    /// An era date outside its era, e.g. 平成31年5月1日.
    OutsideEra { date: WarekiDate },
    /// A month outside 1–12.
    NoSuchMonth { month: u32 },
    /// A day that the month does not have. `year` is the era year when `era` is set.
    NoSuchDay {
        era: Option<Era>,
        year: u32,
        month: u32,
        day: u32,
        days_in_month: u32,
    },
    /// An era year so large that the Gregorian year cannot be represented.
    YearOutOfRange,
}

impl DateError {
    fn message_ja(&self) -> String {
        match self {
            DateError::Empty => "日付が入力されていません".to_owned(),
            DateError::Unrecognised => {
                "日付の形式が分かりません（例：2023-04-01、2023年4月1日、令和5年4月1日、R5.4.1）"
                    .to_owned()
            }
            DateError::AmbiguousYear => {
                "西暦の年は4桁で入力してください（2桁の年では世紀が分かりません）。\
                 和暦の場合は元号を付けてください（例：R5.4.1）"
                    .to_owned()
            }
            DateError::UnknownEra { name } => format!(
                "元号「{name}」は使えません。明治・大正・昭和・平成・令和（M・T・S・H・R）のいずれかで入力してください"
            ),
            DateError::BeforeMeiji { date } => format!(
                "{}は明治（1868年1月25日から）より前の日付のため、和暦にできません",
                gregorian_ja(*date)
            ),
            DateError::OutsideEra { date } => format!(
                "{date}は{}の期間外です（{}は{}）",
                date.era,
                date.era,
                era_range_ja(date.era)
            ),
            DateError::NoSuchMonth { month } => format!("{month}月という月はありません"),
            DateError::NoSuchDay {
                era,
                year,
                month,
                day,
                days_in_month,
            } => format!(
                "{}{month}月{day}日という日はありません（{month}月は{days_in_month}日まで）",
                year_label_ja(*era, *year)
            ),
            DateError::YearOutOfRange => "年が大きすぎます".to_owned(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            DateError::Empty => "No date was entered".to_owned(),
            DateError::Unrecognised => "The date format was not recognised \
                 (examples: 2023-04-01, 2023年4月1日, 令和5年4月1日, R5.4.1)"
                .to_owned(),
            DateError::AmbiguousYear => "Enter the Western year with four digits \
                 (a two-digit year does not say which century); \
                 for a Japanese era date, add the era (e.g. R5.4.1)"
                .to_owned(),
            DateError::UnknownEra { name } => format!(
                "Unknown era “{name}”; use Meiji, Taisho, Showa, Heisei or Reiwa (M, T, S, H, R)"
            ),
            DateError::BeforeMeiji { date } => format!(
                "{date} is before the Meiji era (which began on 1868-01-25), \
                 so it has no Japanese era date"
            ),
            DateError::OutsideEra { date } => format!(
                "{} {}, {} {} is outside the {} era, {}",
                month_en(date.month),
                date.day,
                date.era.name_en(),
                date.year,
                date.era.name_en(),
                era_range_en(date.era)
            ),
            DateError::NoSuchMonth { month } => format!("There is no month {month}"),
            DateError::NoSuchDay {
                era,
                year,
                month,
                day,
                days_in_month,
            } => format!(
                "{} {day}, {} does not exist (that month has {days_in_month} days)",
                month_en(*month),
                year_label_en(*era, *year)
            ),
            DateError::YearOutOfRange => "The year is too large".to_owned(),
        }
    }
}

impl Localized for DateError {
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => self.message_ja(),
            Lang::En => self.message_en(),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_ja())
    }
}

/// Reads a date as people type it, Gregorian or in an era.
///
/// Full-width characters count as their ASCII forms and spaces are ignored (except between
/// two numbers). Accepted: `2023-04-01`, `2023/4/1`, `2023.4.1`, `20230401`, `2023年4月1日`;
/// `令和5年4月1日`, `令和元年5月1日`, `R5.4.1`, `r05-04-01`, `H31/4/30`, `R元.5.1`, `令5.4.1`, and
/// the era ligatures `㋿` `㍻` `㍼` `㍽` `㍾`. An era date must be inside its era. Two-digit
/// Gregorian years are refused as ambiguous.
///
/// # Errors
///
/// A [`DateError`] saying what is wrong: nothing entered, an unknown form or era, an
/// ambiguous year, a day that does not exist, or an era date outside its era.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let text = normalise(input);
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    match split_era(&text)? {
        (Some(era), rest) => {
            let fields = split_fields(rest).ok_or(DateError::Unrecognised)?;
            wareki_from_fields(era, &fields)?.to_date()
        }
        (None, rest) => parse_gregorian(rest),
    }
}

/// The year part of a typed date.
enum YearField<'a> {
    /// 元年, the first year of an era.
    Gan,
    Digits(&'a str),
}

/// A typed date split into its parts; month and day are runs of ASCII digits.
struct Fields<'a> {
    year: YearField<'a>,
    month: &'a str,
    day: &'a str,
}

#[derive(Clone, Copy)]
enum Token<'a> {
    Number(&'a str),
    Gan,
    Separator(char),
}

/// Full-width to ASCII, dash lookalikes to `-`, era ligatures to kanji, spaces dropped.
///
/// A space between two digits is kept so that `2023 4 1` is refused rather than read as
/// the digits `202341`.
fn normalise(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut space_after_digit = false;
    for c in input.trim().chars() {
        if c.is_whitespace() {
            space_after_digit |= out.ends_with(|last: char| last.is_ascii_digit());
            continue;
        }
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' => '-',
            _ => c,
        };
        if space_after_digit && c.is_ascii_digit() {
            out.push(' ');
        }
        space_after_digit = false;
        match ligature(c) {
            Some(era) => out.push_str(era.kanji()),
            None => out.push(c),
        }
    }
    out
}

/// The one-character era ligatures (㍾㍽㍼㍻㋿) that some input methods offer.
fn ligature(c: char) -> Option<Era> {
    match c {
        '\u{337E}' => Some(Era::Meiji),
        '\u{337D}' => Some(Era::Taisho),
        '\u{337C}' => Some(Era::Showa),
        '\u{337B}' => Some(Era::Heisei),
        '\u{32FF}' => Some(Era::Reiwa),
        _ => None,
    }
}

/// Splits off a leading era name (or `西暦`), which runs up to the first digit or 元.
fn split_era(text: &str) -> Result<(Option<Era>, &str), DateError> {
    let end = text
        .find(|c: char| c.is_ascii_digit() || c == '元')
        .unwrap_or(text.len());
    let (name, rest) = text.split_at(end);
    if name.is_empty() || name == "西暦" {
        return Ok((None, rest));
    }
    if let Some(era) = Era::from_name(name) {
        return Ok((Some(era), rest));
    }
    if rest.is_empty() || name.chars().count() > 4 {
        Err(DateError::Unrecognised)
    } else {
        Err(DateError::UnknownEra {
            name: name.to_owned(),
        })
    }
}

/// `Y年M月D日` (日 optional) or `Y.M.D` with the same separator (`.`, `/` or `-`) twice.
fn split_fields(text: &str) -> Option<Fields<'_>> {
    let tokens = tokenise(text)?;
    let [
        year,
        Token::Separator(a),
        Token::Number(month),
        Token::Separator(b),
        Token::Number(day),
        tail @ ..,
    ] = tokens.as_slice()
    else {
        return None;
    };
    let shape_ok = match (a, b, tail) {
        ('年', '月', [] | [Token::Separator('日')]) => true,
        ('.' | '/' | '-', _, []) => a == b,
        _ => false,
    };
    let year = match year {
        Token::Gan => YearField::Gan,
        Token::Number(digits) => YearField::Digits(digits),
        Token::Separator(_) => return None,
    };
    shape_ok.then_some(Fields { year, month, day })
}

fn tokenise(text: &str) -> Option<Vec<Token<'_>>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if c.is_ascii_digit() {
            rest.find(|d: char| !d.is_ascii_digit())
                .unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        tokens.push(match c {
            '0'..='9' => Token::Number(&rest[..len]),
            '元' => Token::Gan,
            '年' | '月' | '日' | '.' | '/' | '-' => Token::Separator(c),
            _ => return None,
        });
        rest = &rest[len..];
    }
    Some(tokens)
}

fn wareki_from_fields(era: Era, fields: &Fields<'_>) -> Result<WarekiDate, DateError> {
    let year = match fields.year {
        YearField::Gan => 1,
        YearField::Digits(digits) => number(digits, 4)?,
    };
    Ok(WarekiDate {
        era,
        year,
        month: number(fields.month, 2)?,
        day: number(fields.day, 2)?,
    })
}

fn parse_gregorian(text: &str) -> Result<NaiveDate, DateError> {
    let fields = if text.bytes().all(|b| b.is_ascii_digit()) {
        compact_fields(text)?
    } else {
        split_fields(text).ok_or(DateError::Unrecognised)?
    };
    let year = match fields.year {
        YearField::Digits(digits) if digits.len() == 4 => number(digits, 4)?,
        YearField::Digits(digits) if digits.len() < 4 => return Err(DateError::AmbiguousYear),
        _ => return Err(DateError::Unrecognised),
    };
    // Four digits always fit in an i32.
    let gregorian_year = i32::try_from(year).map_err(|_| DateError::YearOutOfRange)?;
    calendar_date(
        None,
        year,
        gregorian_year,
        number(fields.month, 2)?,
        number(fields.day, 2)?,
    )
}

/// `20230401`. Six digits (`230401`) have a two-digit year and are refused as ambiguous.
fn compact_fields(digits: &str) -> Result<Fields<'_>, DateError> {
    match digits.len() {
        8 => Ok(Fields {
            year: YearField::Digits(&digits[..4]),
            month: &digits[4..6],
            day: &digits[6..],
        }),
        6 => Err(DateError::AmbiguousYear),
        _ => Err(DateError::Unrecognised),
    }
}

/// A run of ASCII digits of at most `max_len` digits.
fn number(digits: &str, max_len: usize) -> Result<u32, DateError> {
    if digits.len() > max_len {
        return Err(DateError::Unrecognised);
    }
    digits.parse().map_err(|_| DateError::Unrecognised)
}

/// The Gregorian date, or which part of it does not exist. `year` is what the user wrote
/// (the era year when `era` is set); `gregorian_year` is used for the calendar.
fn calendar_date(
    era: Option<Era>,
    year: u32,
    gregorian_year: i32,
    month: u32,
    day: u32,
) -> Result<NaiveDate, DateError> {
    if !(1..=12).contains(&month) {
        return Err(DateError::NoSuchMonth { month });
    }
    NaiveDate::from_ymd_opt(gregorian_year, month, day).ok_or(DateError::NoSuchDay {
        era,
        year,
        month,
        day,
        days_in_month: days_in_month(gregorian_year, month),
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `5年`, or `元年` for the first year of an era.
fn year_ja(year: u32) -> String {
    if year == 1 {
        "元年".to_owned()
    } else {
        format!("{year}年")
    }
}

fn year_label_ja(era: Option<Era>, year: u32) -> String {
    match era {
        Some(era) => format!("{era}{}", year_ja(year)),
        None => format!("{year}年"),
    }
}

fn year_label_en(era: Option<Era>, year: u32) -> String {
    match era {
        Some(era) => format!("{} {year}", era.name_en()),
        None => year.to_string(),
    }
}

fn gregorian_ja(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

fn era_range_ja(era: Era) -> String {
    match era.last_day() {
        Some(last) => format!(
            "{}から{}まで",
            gregorian_ja(era.first_day()),
            gregorian_ja(last)
        ),
        None => format!("{}から", gregorian_ja(era.first_day())),
    }
}

fn era_range_en(era: Era) -> String {
    match era.last_day() {
        Some(last) => format!("which ran from {} to {last}", era.first_day()),
        None => format!("which began on {}", era.first_day()),
    }
}

fn month_en(month: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    month
        .checked_sub(1)
        .and_then(|index| MONTHS.get(index as usize))
        .copied()
        .unwrap_or("Month")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn wareki(era: Era, year: u32, month: u32, day: u32) -> WarekiDate {
        WarekiDate {
            era,
            year,
            month,
            day,
        }
    }

    #[test]
    fn era_table() {
        let expected = [
            (
                Era::Meiji,
                "明治",
                'M',
                date(1868, 1, 25),
                Some(date(1912, 7, 29)),
            ),
            (
                Era::Taisho,
                "大正",
                'T',
                date(1912, 7, 30),
                Some(date(1926, 12, 24)),
            ),
            (
                Era::Showa,
                "昭和",
                'S',
                date(1926, 12, 25),
                Some(date(1989, 1, 7)),
            ),
            (
                Era::Heisei,
                "平成",
                'H',
                date(1989, 1, 8),
                Some(date(2019, 4, 30)),
            ),
            (Era::Reiwa, "令和", 'R', date(2019, 5, 1), None),
        ];
        for (era, kanji, letter, first, last) in expected {
            assert_eq!(era.kanji(), kanji);
            assert_eq!(era.letter(), letter);
            assert_eq!(era.first_day(), first);
            assert_eq!(era.last_day(), last);
            assert_eq!(Era::from_name(kanji), Some(era));
            assert_eq!(
                Era::from_name(&letter.to_ascii_lowercase().to_string()),
                Some(era)
            );
            assert_eq!(Era::from_name(era.name_en()), Some(era));
        }
        assert_eq!(Era::from_name("令"), Some(Era::Reiwa));
        assert_eq!(Era::from_name("X"), None);
        assert_eq!(Era::from_name(""), None);
    }

    #[test]
    fn boundary_days() {
        let cases = [
            (
                date(1868, 1, 25),
                wareki(Era::Meiji, 1, 1, 25),
                "明治元年1月25日",
            ),
            (
                date(1912, 7, 29),
                wareki(Era::Meiji, 45, 7, 29),
                "明治45年7月29日",
            ),
            (
                date(1912, 7, 30),
                wareki(Era::Taisho, 1, 7, 30),
                "大正元年7月30日",
            ),
            (
                date(1926, 12, 24),
                wareki(Era::Taisho, 15, 12, 24),
                "大正15年12月24日",
            ),
            (
                date(1926, 12, 25),
                wareki(Era::Showa, 1, 12, 25),
                "昭和元年12月25日",
            ),
            (
                date(1989, 1, 7),
                wareki(Era::Showa, 64, 1, 7),
                "昭和64年1月7日",
            ),
            (
                date(1989, 1, 8),
                wareki(Era::Heisei, 1, 1, 8),
                "平成元年1月8日",
            ),
            (
                date(2019, 4, 30),
                wareki(Era::Heisei, 31, 4, 30),
                "平成31年4月30日",
            ),
            (
                date(2019, 5, 1),
                wareki(Era::Reiwa, 1, 5, 1),
                "令和元年5月1日",
            ),
            (
                date(2023, 4, 1),
                wareki(Era::Reiwa, 5, 4, 1),
                "令和5年4月1日",
            ),
        ];
        for (gregorian, era_date, text) in cases {
            assert_eq!(WarekiDate::from_date(gregorian), Ok(era_date));
            assert_eq!(era_date.to_date(), Ok(gregorian));
            assert_eq!(era_date.to_string(), text);
            assert_eq!(format_ja(gregorian), text);
        }
        assert_eq!(wareki(Era::Reiwa, 5, 4, 1).short(), "R5.4.1");
        assert_eq!(wareki(Era::Reiwa, 1, 5, 1).short(), "R1.5.1");
    }

    #[test]
    fn before_meiji() {
        let day = date(1868, 1, 24);
        assert_eq!(
            WarekiDate::from_date(day),
            Err(DateError::BeforeMeiji { date: day })
        );
        assert_eq!(format_ja(date(1860, 1, 1)), "1860年1月1日");
    }

    #[test]
    fn dates_outside_their_era() {
        for outside in [
            wareki(Era::Heisei, 31, 5, 1),
            wareki(Era::Showa, 64, 1, 8),
            wareki(Era::Reiwa, 1, 4, 30),
            wareki(Era::Reiwa, 0, 5, 1),
            wareki(Era::Meiji, 1, 1, 24),
        ] {
            assert_eq!(
                outside.to_date(),
                Err(DateError::OutsideEra { date: outside })
            );
        }
        assert_eq!(
            wareki(Era::Reiwa, u32::MAX, 1, 1).to_date(),
            Err(DateError::YearOutOfRange)
        );
    }

    #[test]
    fn parses_the_documented_forms() {
        let cases = [
            ("2023-04-01", date(2023, 4, 1)),
            ("2023/4/1", date(2023, 4, 1)),
            ("2023.4.1", date(2023, 4, 1)),
            ("20230401", date(2023, 4, 1)),
            ("2023年4月1日", date(2023, 4, 1)),
            ("西暦2023年4月1日", date(2023, 4, 1)),
            ("２０２３／０４／０１", date(2023, 4, 1)),
            ("  2023-04-01\n", date(2023, 4, 1)),
            ("令和5年4月1日", date(2023, 4, 1)),
            ("令和元年5月1日", date(2019, 5, 1)),
            ("令和５年４月１日", date(2023, 4, 1)),
            ("令和 5 年 4 月 1 日", date(2023, 4, 1)),
            ("令和5年4月1", date(2023, 4, 1)),
            ("R5.4.1", date(2023, 4, 1)),
            ("H31/4/30", date(2019, 4, 30)),
            ("S37.3.18", date(1962, 3, 18)),
            ("昭和37年03月18日", date(1962, 3, 18)),
            ("r05-04-01", date(2023, 4, 1)),
            ("R1.5.1", date(2019, 5, 1)),
            ("R元.5.1", date(2019, 5, 1)),
            ("Ｒ５．４．１", date(2023, 4, 1)),
            ("令5.4.1", date(2023, 4, 1)),
            ("㋿5年4月1日", date(2023, 4, 1)),
            ("Reiwa 5.4.1", date(2023, 4, 1)),
            ("2023ー04ー01", date(2023, 4, 1)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_date(text), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn refuses_with_a_specific_reason() {
        let cases = [
            ("", DateError::Empty),
            ("  　", DateError::Empty),
            ("23/4/1", DateError::AmbiguousYear),
            ("23-04-01", DateError::AmbiguousYear),
            ("23年4月1日", DateError::AmbiguousYear),
            ("230401", DateError::AmbiguousYear),
            ("2023 4 1", DateError::Unrecognised),
            ("2023/4-1", DateError::Unrecognised),
            ("2023", DateError::Unrecognised),
            ("元年5月1日", DateError::Unrecognised),
            ("R20230401", DateError::Unrecognised),
            ("yesterday", DateError::Unrecognised),
            (
                "X5.4.1",
                DateError::UnknownEra {
                    name: "X".to_owned(),
                },
            ),
            (
                "天保5年4月1日",
                DateError::UnknownEra {
                    name: "天保".to_owned(),
                },
            ),
            ("2023-13-01", DateError::NoSuchMonth { month: 13 }),
            (
                "2023-02-30",
                DateError::NoSuchDay {
                    era: None,
                    year: 2023,
                    month: 2,
                    day: 30,
                    days_in_month: 28,
                },
            ),
            (
                "H31.5.1",
                DateError::OutsideEra {
                    date: wareki(Era::Heisei, 31, 5, 1),
                },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_date(text), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn messages() {
        let cases = [
            (
                parse_date("2023-02-30").unwrap_err(),
                "2023年2月30日という日はありません（2月は28日まで）",
                "February 30, 2023 does not exist (that month has 28 days)",
            ),
            (
                parse_date("令和6年2月30日").unwrap_err(),
                "令和6年2月30日という日はありません（2月は29日まで）",
                "February 30, Reiwa 6 does not exist (that month has 29 days)",
            ),
            (
                parse_date("平成31年5月1日").unwrap_err(),
                "平成31年5月1日は平成の期間外です（平成は1989年1月8日から2019年4月30日まで）",
                "May 1, Heisei 31 is outside the Heisei era, which ran from 1989-01-08 to 2019-04-30",
            ),
            (
                parse_date("令和元年4月30日").unwrap_err(),
                "令和元年4月30日は令和の期間外です（令和は2019年5月1日から）",
                "April 30, Reiwa 1 is outside the Reiwa era, which began on 2019-05-01",
            ),
            (
                parse_date("23/4/1").unwrap_err(),
                "西暦の年は4桁で入力してください（2桁の年では世紀が分かりません）。和暦の場合は元号を付けてください（例：R5.4.1）",
                "Enter the Western year with four digits (a two-digit year does not say which century); for a Japanese era date, add the era (e.g. R5.4.1)",
            ),
            (
                DateError::BeforeMeiji {
                    date: date(1860, 1, 1),
                },
                "1860年1月1日は明治（1868年1月25日から）より前の日付のため、和暦にできません",
                "1860-01-01 is before the Meiji era (which began on 1868-01-25), so it has no Japanese era date",
            ),
            (
                DateError::Empty,
                "日付が入力されていません",
                "No date was entered",
            ),
        ];
        for (error, ja, en) in cases {
            assert_eq!(error.to_string(), ja);
            assert_eq!(error.message(Lang::En), en);
        }
    }
}
