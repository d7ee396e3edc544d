//! Retention (PRODUCT.md F10): when a person's number may, and so must, be deleted.
//!
//! The rules are data ([`RetentionRules`], serialisable, stored by the vault in its settings).
//! Each rule is a [`Period`]: the retention period starts on a month and day (`start`) of the
//! year after the year of an event (retirement, the last payment) and lasts `years` years; the
//! number becomes deletable on the same month and day, `years` years later.
//!
//! - **Employees who retired** (default: 7 years from 1月11日, the day after 1月10日 of the
//!   year after retirement). The last 扶養控除等申告書 and the 退職所得の受給に関する申告書 have
//!   their 提出期限 in the year of retirement Y, are kept 7 years from the day after 1月10日 of
//!   Y+1 (NTA No.2503), i.e. until 1月10日 of Y+8, and the number is deletable from 1月11日 of
//!   Y+8. Retired 2026-03-31 → deletable 2034-01-11.
//! - **Employees still employed or on leave** (在職・休職): never due.
//! - **A retired employee without a retirement date**: not due (the date cannot be computed;
//!   the vault shows them as such rather than guessing).
//! - **Family members** follow their employee. Strictly, a family member's documents run from
//!   the last 申告書 that listed them; while the employee is employed that is the current one,
//!   so they are kept, and once the employee retires their due date is the employee's. A family
//!   member removed from the declarations earlier (e.g. a child who left the household) could
//!   be due sooner, but when they stopped being declared is not modelled yet, so they follow
//!   the employee: later, never sooner, than the law allows.
//! - **Payees** follow the retention of their last 支払調書 (payment records are not modelled
//!   yet). The rule is configurable, by default "7 years from 1月1日 of the year after the last
//!   payment" (no statutory period is set for the payer's copy; 7 years is common practice).
//!   The last-payment date is a per-payee fact the user records; **while it is unknown the
//!   payee is never due** (a continuing contract, e.g. 地代・家賃, has no last payment yet).
//!
//! Everything here is pure: no clock (the caller passes `on`), no I/O.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::people::{EmploymentStatus, PersonKind};

/// A retention period: `years` years starting on `start` (month, day) of the year after the
/// event's year. The number becomes deletable on `start` of the year `event + 1 + years`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Length of the retention, in years (1–50).
    pub years: u32,
    /// The first day of the period in the year after the event: (month, day). 29 February is
    /// refused (it does not exist every year).
    pub start: (u32, u32),
}

impl Period {
    /// The retiree rule of the NTA: 7 years from the day after 1月10日 of the next year.
    pub const RETIREE: Period = Period {
        years: 7,
        start: (1, 11),
    };
    /// The default payee rule: 7 years from 1月1日 of the year after the last payment.
    pub const PAYEE: Period = Period {
        years: 7,
        start: (1, 1),
    };

    /// The day the number becomes deletable after an event on `event`, or `None` past the
    /// calendar's end.
    pub fn deletable_from(&self, event: NaiveDate) -> Option<NaiveDate> {
        let year = event
            .year()
            .checked_add(1)?
            .checked_add(i32::try_from(self.years).ok()?)?;
        NaiveDate::from_ymd_opt(year, self.start.0, self.start.1)
    }

    /// Whether the period is usable: 1–50 years, a real month-day that exists every year.
    pub fn is_valid(&self) -> bool {
        let (m, d) = self.start;
        (1..=50).contains(&self.years)
            && !(m == 2 && d == 29)
            && NaiveDate::from_ymd_opt(2001, m, d).is_some()
    }

    /// `MM-DD` of the start, as the CLI shows and takes it.
    pub fn start_text(&self) -> String {
        format!("{:02}-{:02}", self.start.0, self.start.1)
    }
}

/// What is deleted when a person becomes due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DueAction {
    /// The whole person (profile, number, records and images; an employee's family too).
    #[serde(rename = "person")]
    WholePerson,
    /// The number only; the number-less record is kept (allowed by the PPC guideline).
    #[serde(rename = "number")]
    NumberOnly,
}

impl DueAction {
    pub const ALL: &'static [DueAction] = &[DueAction::WholePerson, DueAction::NumberOnly];

    pub fn key(self) -> &'static str {
        match self {
            DueAction::WholePerson => "person",
            DueAction::NumberOnly => "number",
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            DueAction::WholePerson => "本人の記録をすべて削除",
            DueAction::NumberOnly => "個人番号のみ削除",
        }
    }

    pub fn parse(s: &str) -> Option<DueAction> {
        let s = s.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|a| a.key() == s || a.ja() == s)
    }
}

/// The retention rules of a vault. Stored as JSON; missing fields take the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionRules {
    /// Employees who retired (and their family members).
    pub retiree: Period,
    /// Payees, from their last payment.
    pub payee: Period,
    /// What a due person loses.
    pub action: DueAction,
}

impl Default for RetentionRules {
    fn default() -> Self {
        RetentionRules {
            retiree: Period::RETIREE,
            payee: Period::PAYEE,
            action: DueAction::WholePerson,
        }
    }
}

impl RetentionRules {
    pub fn is_valid(&self) -> bool {
        self.retiree.is_valid() && self.payee.is_valid()
    }
}

/// What decides an employee's due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmployeeFacts {
    pub status: EmploymentStatus,
    pub retire_date: Option<NaiveDate>,
}

/// What decides a person's due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonFacts {
    Employee(EmployeeFacts),
    /// A family member: the facts of their employee.
    Family {
        employee: EmployeeFacts,
    },
    /// A payee and the date of their last payment, if known.
    Payee {
        last_payment: Option<NaiveDate>,
    },
}

impl PersonFacts {
    pub fn kind(&self) -> PersonKind {
        match self {
            PersonFacts::Employee(_) => PersonKind::Employee,
            PersonFacts::Family { .. } => PersonKind::Family,
            PersonFacts::Payee { .. } => PersonKind::Payee,
        }
    }
}

fn employee_due(e: &EmployeeFacts, rules: &RetentionRules) -> Option<NaiveDate> {
    match e.status {
        EmploymentStatus::Active | EmploymentStatus::OnLeave => None,
        EmploymentStatus::Retired => rules.retiree.deletable_from(e.retire_date?),
    }
}

/// The first day the person's number may be deleted, or `None` if it must be kept (still
/// employed, on leave, a continuing payee, or a date that is not known).
pub fn due_date(facts: &PersonFacts, rules: &RetentionRules) -> Option<NaiveDate> {
    match facts {
        PersonFacts::Employee(e) | PersonFacts::Family { employee: e } => employee_due(e, rules),
        PersonFacts::Payee { last_payment } => rules.payee.deletable_from((*last_payment)?),
    }
}

/// Whether the person is due for deletion on `on` (their due date has come).
pub fn is_due(facts: &PersonFacts, rules: &RetentionRules, on: NaiveDate) -> bool {
    due_date(facts, rules).is_some_and(|d| d <= on)
}

/// Parses `MM-DD` (or `M/D`, `M月D日`) into a (month, day) pair that exists every year.
pub fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let s = s
        .trim()
        .replace('月', "-")
        .replace('日', "")
        .replace('/', "-");
    let (m, d) = s.split_once('-')?;
    let (m, d): (u32, u32) = (m.trim().parse().ok()?, d.trim().parse().ok()?);
    let p = Period {
        years: 1,
        start: (m, d),
    };
    p.is_valid().then_some((m, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wareki::format_ja;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn retired(on: NaiveDate) -> PersonFacts {
        PersonFacts::Employee(EmployeeFacts {
            status: EmploymentStatus::Retired,
            retire_date: Some(on),
        })
    }

    #[test]
    fn a_retiree_is_deletable_from_11_january_of_the_eighth_year() {
        let r = RetentionRules::default();
        assert_eq!(due_date(&retired(d(2026, 3, 31)), &r), Some(d(2034, 1, 11)));
        // domain.md's example.
        assert_eq!(due_date(&retired(d(2025, 6, 30)), &r), Some(d(2033, 1, 11)));
    }

    #[test]
    fn year_ends_count_by_the_calendar_year_of_retirement() {
        let r = RetentionRules::default();
        assert_eq!(
            due_date(&retired(d(2026, 12, 31)), &r),
            Some(d(2034, 1, 11))
        );
        assert_eq!(due_date(&retired(d(2027, 1, 1)), &r), Some(d(2035, 1, 11)));
        let f = retired(d(2026, 12, 31));
        assert!(!is_due(&f, &r, d(2034, 1, 10)), "the last day of retention");
        assert!(is_due(&f, &r, d(2034, 1, 11)));
        assert!(is_due(&f, &r, d(2040, 1, 1)));
    }

    #[test]
    fn leap_days() {
        let r = RetentionRules::default();
        assert_eq!(due_date(&retired(d(2028, 2, 29)), &r), Some(d(2036, 1, 11)));
        // 29 February cannot start a period.
        let bad = Period {
            years: 7,
            start: (2, 29),
        };
        assert!(!bad.is_valid());
        assert_eq!(parse_month_day("02-29"), None);
        assert_eq!(parse_month_day("1月11日"), Some((1, 11)));
        assert_eq!(parse_month_day("01-11"), Some((1, 11)));
        assert_eq!(parse_month_day("4/1"), Some((4, 1)));
        assert_eq!(parse_month_day("13-01"), None);
    }

    #[test]
    fn era_boundaries_format_in_wareki() {
        let r = RetentionRules::default();
        // The last day of 平成.
        let due = due_date(&retired(d(2019, 4, 30)), &r).unwrap();
        assert_eq!(due, d(2027, 1, 11));
        assert_eq!(format_ja(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(format_ja(due), "令和9年1月11日");
        // Retired on the first day of 令和: same year, same due date.
        assert_eq!(due_date(&retired(d(2019, 5, 1)), &r), Some(due));
        // 昭和64年 → 平成.
        let due = due_date(&retired(d(1989, 1, 7)), &r).unwrap();
        assert_eq!(format_ja(due), "平成9年1月11日");
    }

    #[test]
    fn employed_on_leave_unknown_dates_and_continuing_payees_are_never_due() {
        let r = RetentionRules::default();
        for status in [EmploymentStatus::Active, EmploymentStatus::OnLeave] {
            let e = EmployeeFacts {
                status,
                retire_date: Some(d(2000, 1, 1)),
            };
            assert_eq!(due_date(&PersonFacts::Employee(e), &r), None);
            assert_eq!(due_date(&PersonFacts::Family { employee: e }, &r), None);
        }
        let unknown = EmployeeFacts {
            status: EmploymentStatus::Retired,
            retire_date: None,
        };
        assert_eq!(due_date(&PersonFacts::Employee(unknown), &r), None);
        assert_eq!(
            due_date(&PersonFacts::Payee { last_payment: None }, &r),
            None
        );
    }

    #[test]
    fn family_follows_the_employee_and_payees_their_last_payment() {
        let r = RetentionRules::default();
        let e = EmployeeFacts {
            status: EmploymentStatus::Retired,
            retire_date: Some(d(2026, 3, 31)),
        };
        assert_eq!(
            due_date(&PersonFacts::Family { employee: e }, &r),
            Some(d(2034, 1, 11))
        );
        let p = PersonFacts::Payee {
            last_payment: Some(d(2026, 12, 25)),
        };
        assert_eq!(due_date(&p, &r), Some(d(2034, 1, 1)));
        let custom = RetentionRules {
            payee: Period {
                years: 5,
                start: (1, 1),
            },
            ..r
        };
        assert_eq!(due_date(&p, &custom), Some(d(2032, 1, 1)));
        assert_eq!(p.kind(), PersonKind::Payee);
    }

    #[test]
    fn rules_serialise_as_data_with_defaults_for_missing_fields() {
        let r = RetentionRules::default();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"retiree":{"years":7,"start":[1,11]},"payee":{"years":7,"start":[1,1]},"action":"person"}"#
        );
        let back: RetentionRules = serde_json::from_str(r#"{"action":"number"}"#).unwrap();
        assert_eq!(back.action, DueAction::NumberOnly);
        assert_eq!(back.retiree, Period::RETIREE);
        assert_eq!(
            DueAction::parse("個人番号のみ削除"),
            Some(DueAction::NumberOnly)
        );
    }

    #[test]
    fn far_dates_do_not_overflow() {
        let r = RetentionRules::default();
        assert_eq!(due_date(&retired(NaiveDate::MAX), &r), None);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 1868 (明治) to 2100, every day.
        (0i64..84_000).prop_map(|n| d(1868, 1, 1) + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn the_due_date_is_11_january_of_retirement_year_plus_8(retire in any_date()) {
            let r = RetentionRules::default();
            let due = due_date(&retired(retire), &r).unwrap();
            prop_assert_eq!((due.month(), due.day()), (1, 11));
            prop_assert_eq!(due.year(), retire.year() + 8);
            prop_assert!(due > retire);
            prop_assert!(!is_due(&retired(retire), &r, due.pred_opt().unwrap()));
            prop_assert!(is_due(&retired(retire), &r, due));
            // At least seven full years after retirement.
            prop_assert!(due - retire >= chrono::Duration::days(7 * 365));
        }

        #[test]
        fn any_valid_rule_is_never_due_before_the_event(
            event in any_date(), years in 1u32..=50, m in 1u32..=12, dd in 1u32..=31,
        ) {
            let p = Period { years, start: (m, dd) };
            prop_assume!(p.is_valid());
            let due = p.deletable_from(event).unwrap();
            prop_assert!(due > event);
            prop_assert_eq!(due.year(), event.year() + 1 + years as i32);
        }
    }
}
