//! Properties of 和暦 conversion and date parsing, checked exhaustively where the range is small
//! and against ICU4X's Japanese calendar.

use chrono::{Datelike, NaiveDate};
use icu_calendar::Date;
use icu_calendar::cal::Japanese;
use kinko_domain::lang::{Lang, Localized};
use kinko_domain::wareki::{DateError, Era, WarekiDate, format_ja, parse_date};
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |day| *day <= to)
}

fn icu_code(era: Era) -> &'static str {
    match era {
        Era::Meiji => "meiji",
        Era::Taisho => "taisho",
        Era::Showa => "showa",
        Era::Heisei => "heisei",
        Era::Reiwa => "reiwa",
    }
}

/// ICU's (era code, era year, month, day) for a Gregorian date.
fn icu_japanese(day: NaiveDate) -> (String, i32, u32, u32) {
    let month = u8::try_from(day.month()).unwrap();
    let day_of_month = u8::try_from(day.day()).unwrap();
    let iso = Date::try_new_iso(day.year(), month, day_of_month).unwrap();
    let japanese = iso.to_calendar(Japanese::new());
    let era_year = japanese.era_year();
    (
        era_year.era.as_str().to_owned(),
        era_year.year,
        u32::from(japanese.month().ordinal),
        u32::from(japanese.day_of_month().0),
    )
}

fn assert_matches_icu(day: NaiveDate) {
    let ours = WarekiDate::from_date(day).unwrap();
    let expected = (
        icu_code(ours.era).to_owned(),
        i32::try_from(ours.year).unwrap(),
        ours.month,
        ours.day,
    );
    assert_eq!(icu_japanese(day), expected, "{day}");
}

#[test]
fn every_day_from_meiji_to_2100_round_trips() {
    for day in days(Era::Meiji.first_day(), date(2100, 12, 31)) {
        let wareki = WarekiDate::from_date(day).unwrap();
        assert_eq!(wareki.to_date(), Ok(day));
        assert!(wareki.era.contains(day));
        assert_eq!(Era::containing(day), Some(wareki.era));

        let long = wareki.to_string();
        assert_eq!(format_ja(day), long);
        assert_eq!(long.contains("元年"), wareki.year == 1, "{long}");
        assert_eq!(parse_date(&long), Ok(day), "{long}");

        let short = wareki.short();
        assert_eq!(parse_date(&short), Ok(day), "{short}");
        assert_eq!(parse_date(&day.to_string()), Ok(day));
    }
}

#[test]
fn every_day_from_1873_to_2100_matches_icu() {
    for day in days(date(1873, 1, 1), date(2100, 12, 31)) {
        assert_matches_icu(day);
    }
}

/// ICU starts 明治 on 1868-10-23 and reports Gregorian years ("ce") until 明治6年 (1873), when
/// Japan adopted the Gregorian calendar; JIS X 0301, which we follow, starts 明治 on 1868-01-25.
/// The two agree from 1873-01-01 on.
#[test]
fn before_1873_icu_uses_gregorian_years() {
    for day in days(Era::Meiji.first_day(), date(1872, 12, 31)) {
        let (era, year, ..) = icu_japanese(day);
        assert_eq!((era.as_str(), year), ("ce", day.year()), "{day}");
        assert_eq!(WarekiDate::from_date(day).unwrap().era, Era::Meiji);
    }
}

#[test]
fn era_boundaries() {
    for era in Era::ALL {
        let first = era.first_day();
        let wareki = WarekiDate::from_date(first).unwrap();
        assert_eq!((wareki.era, wareki.year), (era, 1));
        assert!(
            wareki
                .to_string()
                .starts_with(&format!("{}元年", era.kanji()))
        );
        if let Some(last) = era.last_day() {
            let next = era.next().unwrap();
            assert_eq!(last.succ_opt(), Some(next.first_day()));
            assert_eq!(WarekiDate::from_date(last).unwrap().era, era);
            assert_eq!(WarekiDate::from_date(next.first_day()).unwrap().era, next);
        }
    }
    assert_eq!(format_ja(date(1989, 1, 7)), "昭和64年1月7日");
    assert_eq!(format_ja(date(1989, 1, 8)), "平成元年1月8日");
    assert_eq!(format_ja(date(2019, 4, 30)), "平成31年4月30日");
    assert_eq!(format_ja(date(2019, 5, 1)), "令和元年5月1日");
    assert_eq!(format_ja(date(1912, 7, 29)), "明治45年7月29日");
    assert_eq!(format_ja(date(1912, 7, 30)), "大正元年7月30日");
    assert_eq!(format_ja(date(1926, 12, 24)), "大正15年12月24日");
    assert_eq!(format_ja(date(1926, 12, 25)), "昭和元年12月25日");
    assert_eq!(format_ja(date(1868, 1, 24)), "1868年1月24日");
    assert_eq!(parse_date("1860年1月1日"), Ok(date(1860, 1, 1)));
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            _ => c,
        })
        .collect()
}

/// Ways people write a date, given the 和暦 and the Gregorian date.
fn written(form: usize, wareki: WarekiDate, day: NaiveDate) -> String {
    let WarekiDate {
        era,
        year,
        month,
        day: d,
    } = wareki;
    let (y, m) = (day.year(), day.month());
    let gan = if year == 1 {
        "元".to_owned()
    } else {
        year.to_string()
    };
    let letter = era.letter();
    let kanji = era.kanji();
    let short_kanji = kanji.chars().next().unwrap();
    match form {
        0 => format!("{y:04}-{m:02}-{d:02}"),
        1 => format!("{y}/{m}/{d}"),
        2 => format!("{y}.{m}.{d}"),
        3 => format!("{y:04}{m:02}{d:02}"),
        4 => format!("{y}年{m}月{d}日"),
        5 => format!("{kanji}{gan}年{month}月{d}日"),
        6 => format!("{kanji}{year:02}年{month:02}月{d:02}日"),
        7 => format!("{letter}{year}.{month}.{d}"),
        8 => format!("{}{year:02}-{month:02}-{d:02}", letter.to_ascii_lowercase()),
        9 => format!("{letter}{gan}/{month}/{d}"),
        10 => format!("{short_kanji}{year}.{month}.{d}"),
        11 => full_width(&format!("{kanji}{gan}年{month}月{d}日")),
        12 => full_width(&format!("{letter}{year}.{month}.{d}")),
        13 => format!(" {kanji} {gan} 年　{month} 月 {d} 日 "),
        14 => format!("　{y}－{m:02}－{d:02} "),
        _ => full_width(&format!("{y}/{m}/{d}")),
    }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let first = Era::Meiji.first_day().num_days_from_ce();
    let last = date(2100, 12, 31).num_days_from_ce();
    (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

fn any_era() -> impl Strategy<Value = Era> {
    prop::sample::select(Era::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn written_forms_parse_back(day in any_date(), form in 0usize..16) {
        let wareki = WarekiDate::from_date(day).unwrap();
        let text = written(form, wareki, day);
        prop_assert_eq!(parse_date(&text), Ok(day), "{}", text);
    }

    #[test]
    fn matches_icu_until_9999(n in date(1873, 1, 1).num_days_from_ce()..=date(9999, 12, 31).num_days_from_ce()) {
        assert_matches_icu(NaiveDate::from_num_days_from_ce_opt(n).unwrap());
    }

    /// `to_date` succeeds exactly for the era dates `from_date` produces.
    #[test]
    fn to_date_accepts_exactly_real_era_dates(
        era in any_era(), year in 0u32..70, month in 0u32..14, day in 0u32..33,
    ) {
        let wareki = WarekiDate { era, year, month, day };
        match wareki.to_date() {
            Ok(gregorian) => prop_assert_eq!(WarekiDate::from_date(gregorian), Ok(wareki)),
            Err(DateError::NoSuchMonth { .. }) => prop_assert!(!(1..=12).contains(&month)),
            Err(DateError::NoSuchDay { .. }) => prop_assert!(day == 0 || day > 28),
            Err(DateError::OutsideEra { date }) => {
                prop_assert_eq!(date, wareki);
                let gregorian = date_of(era, year, month, day);
                prop_assert!(!era.contains(gregorian));
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    /// An era date parses exactly when it is inside its era, and says so when it is not.
    #[test]
    fn era_dates_parse_only_inside_their_era(
        era in any_era(), year in 1u32..70, month in 1u32..=12, day in 1u32..=28,
    ) {
        let gregorian = date_of(era, year, month, day);
        let expected = if era.contains(gregorian) {
            Ok(gregorian)
        } else {
            Err(DateError::OutsideEra { date: WarekiDate { era, year, month, day } })
        };
        let short = format!("{}{year}.{month}.{day}", era.letter());
        let long = format!("{}{year}年{month}月{day}日", era.kanji());
        prop_assert_eq!(parse_date(&short), expected.clone());
        prop_assert_eq!(parse_date(&long), expected);
    }

    #[test]
    fn two_digit_years_are_ambiguous(y in 0u32..100, m in 1u32..=12, d in 1u32..=28, sep in prop::sample::select(vec!["/", "-", "."])) {
        prop_assert_eq!(parse_date(&format!("{y}{sep}{m}{sep}{d}")), Err(DateError::AmbiguousYear));
        prop_assert_eq!(parse_date(&format!("{y:02}{m:02}{d:02}")), Err(DateError::AmbiguousYear));
        prop_assert_eq!(parse_date(&format!("{y}年{m}月{d}日")), Err(DateError::AmbiguousYear));
    }

    #[test]
    fn arbitrary_strings_never_panic(input in any::<String>()) {
        if let Err(error) = parse_date(&input) {
            let _ = (error.to_string(), error.message(Lang::En));
        }
    }

    #[test]
    fn date_like_junk_never_panics(
        input in prop::collection::vec(
            prop::sample::select(vec![
                "0", "1", "9", "12", "31", "99999999999", "年", "月", "日", "元", "令和", "R", "h",
                "㋿", ".", "/", "-", "ー", " ", "　", "５", "西暦", "天保", "x",
            ]),
            0..12,
        ),
    ) {
        let input: String = input.concat();
        if let Err(error) = parse_date(&input) {
            prop_assert!(!error.message(Lang::Ja).is_empty());
            prop_assert!(!error.message(Lang::En).is_empty());
        }
    }
}

/// The Gregorian date an era date names, whether or not it is inside the era.
fn date_of(era: Era, year: u32, month: u32, day: u32) -> NaiveDate {
    let year = era.first_day().year() + i32::try_from(year).unwrap() - 1;
    date(year, month, day)
}
