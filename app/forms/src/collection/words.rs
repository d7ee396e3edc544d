//! How people, dates, numbers and verifications are worded on the collection forms.

use chrono::NaiveDate;
use kinko_domain::people::{CollectionStatus, IdentityDocument, PersonKind};
use kinko_domain::wareki::format_ja;

use super::common::DASH;
use crate::model::{FormPerson, Household, NumberShown, Verification};

/// A date in 和暦, or a dash.
pub(super) fn date_ja(date: Option<NaiveDate>) -> String {
    date.map(format_ja).unwrap_or_else(|| DASH.to_string())
}

/// The household's members: the person first (`true`), then the family.
pub(super) fn members(h: &Household) -> impl Iterator<Item = (&FormPerson, bool)> {
    std::iter::once((&h.person, true)).chain(h.family.iter().map(|f| (f, false)))
}

/// 本人 for the person a form is about, else the 続柄 (or the kind of person).
pub(super) fn relation(p: &FormPerson, head: bool) -> &str {
    if head {
        return "本人";
    }
    p.relation
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or(p.kind.ja())
}

/// The label of a person's code.
pub(super) fn code_label(kind: PersonKind) -> &'static str {
    match kind {
        PersonKind::Payee => "支払先番号",
        _ => "社員番号",
    }
}

/// `山田 太郎 様`.
pub(super) fn addressee(p: &FormPerson) -> String {
    format!("{} 様", display_name(p))
}

/// The name, or a dash when it is blank.
pub(super) fn display_name(p: &FormPerson) -> &str {
    let name = p.name.trim();
    if name.is_empty() { DASH } else { name }
}

/// The date of the latest event with `status`.
pub(super) fn last_event(p: &FormPerson, status: CollectionStatus) -> Option<NaiveDate> {
    p.history
        .iter()
        .filter(|e| e.status == status)
        .map(|e| e.on)
        .max()
}

/// The latest identity verification (the last one on the latest date).
pub(super) fn last_verification(p: &FormPerson) -> Option<&Verification> {
    p.verifications.iter().max_by_key(|v| v.checked_on)
}

/// The identity documents in words.
pub(super) fn identity_text(docs: &[IdentityDocument]) -> String {
    if docs.is_empty() {
        return DASH.to_string();
    }
    docs.iter().map(|d| d.ja()).collect::<Vec<_>>().join("、")
}

/// A number as the forms other than the checklist print it: never more than the last four
/// digits, whatever was handed over.
pub(super) fn masked(number: &NumberShown) -> String {
    match number {
        NumberShown::None => "未登録".to_string(),
        NumberShown::Masked(m) if digit_count(m) <= 4 => m.clone(),
        NumberShown::Masked(m) => mask(m),
        NumberShown::Full(d) => mask(d),
    }
}

fn digit_count(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

/// `**** **** 9012` from whatever digits `s` holds (all stars when there are fewer than 4).
fn mask(s: &str) -> String {
    let digits: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return "**** **** ****".to_string();
    }
    let last: String = digits[digits.len() - 4..].iter().collect();
    format!("**** **** {last}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_at_most_four_digits() {
        let full = NumberShown::Full(zeroize::Zeroizing::new("1234 5678 9018".into()));
        assert_eq!(masked(&full), "**** **** 9018");
        assert_eq!(
            masked(&NumberShown::Masked("123456789018".into())),
            "**** **** 9018"
        );
        assert_eq!(
            masked(&NumberShown::Masked("**** **** 9012".into())),
            "**** **** 9012"
        );
        assert_eq!(
            masked(&NumberShown::Full(zeroize::Zeroizing::new("12".into()))),
            "**** **** ****"
        );
        assert_eq!(masked(&NumberShown::None), "未登録");
    }
}
