//! How a person's fields read on screen, in the user's language.

use chrono::NaiveDate;
use kinko_domain::lang::Lang;
use kinko_domain::people::{CollectionStatus, DepartmentId, Person, PersonId, Role};
use kinko_domain::wareki;
use kinko_vault::PersonView;
use zeroize::Zeroizing;

use crate::text::tr;
use crate::{FamilyRow, InfoRow};

/// An internal ID as the screens carry it (0, "none", if it does not fit).
pub(super) fn ui_id(id: PersonId) -> i32 {
    i32::try_from(id.0).unwrap_or(0)
}

pub(super) fn collection_index(c: CollectionStatus) -> i32 {
    CollectionStatus::ALL
        .iter()
        .position(|s| *s == c)
        .and_then(|i| i32::try_from(i).ok())
        .unwrap_or(0)
}

/// 社員 / 家族 / 支払先（法人）.
pub(super) fn kind(lang: Lang, p: &Person) -> String {
    let k = p.role.kind();
    let base = tr(lang, k.ja(), k.en());
    match &p.role {
        Role::Payee { kind, .. } => format!("{base}（{}）", tr(lang, kind.ja(), kind.en())),
        _ => base,
    }
}

/// A date as Japanese offices read it: `1990-04-01（平成2年4月1日）`; "—" when unknown.
pub(super) fn date(lang: Lang, d: Option<NaiveDate>) -> String {
    match (d, lang) {
        (None, _) => "—".into(),
        (Some(d), Lang::Ja) => format!("{}（{}）", d.format("%Y-%m-%d"), wareki::format_ja(d)),
        (Some(d), Lang::En) => d.format("%Y-%m-%d").to_string(),
    }
}

/// A date for a form field, in the form the field accepts back.
pub(super) fn date_input(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn row(label: String, value: impl Into<String>) -> InfoRow {
    InfoRow {
        label: label.into(),
        value: value.into().into(),
    }
}

/// The labelled fields of the detail screen, by kind of person.
pub(super) fn fields(
    lang: Lang,
    p: &Person,
    departments: &[(DepartmentId, String)],
) -> Vec<InfoRow> {
    let t = |ja: &str, en: &str| tr(lang, ja, en);
    let mut out = Vec::new();
    match &p.role {
        Role::Employee {
            code,
            department,
            hire_date,
            retire_date,
            status,
        } => {
            let dept = department
                .and_then(|d| departments.iter().find(|(id, _)| *id == d))
                .map_or_else(|| "—".to_owned(), |(_, n)| n.clone());
            out.push(row(t("社員コード", "Employee code"), code.as_str()));
            out.push(row(t("部署", "Department"), dept));
            out.push(row(
                t("在職状況", "Employment"),
                tr(lang, status.ja(), status.en()),
            ));
            out.push(row(
                t("生年月日", "Date of birth"),
                date(lang, p.details.birth_date),
            ));
            out.push(row(t("入社日", "Hired"), date(lang, *hire_date)));
            out.push(row(t("退職日", "Retired"), date(lang, *retire_date)));
        }
        Role::Family {
            relation,
            dependant,
            ..
        } => {
            out.push(row(t("続柄", "Relationship"), relation.as_str()));
            out.push(row(
                t("扶養区分", "Dependant type"),
                tr(lang, dependant.ja(), dependant.en()),
            ));
            out.push(row(
                t("生年月日", "Date of birth"),
                date(lang, p.details.birth_date),
            ));
        }
        Role::Payee { code, .. } => {
            out.push(row(t("支払先コード", "Payee code"), code.as_str()));
            if p.details.birth_date.is_some() {
                out.push(row(
                    t("生年月日", "Date of birth"),
                    date(lang, p.details.birth_date),
                ));
            }
        }
    }
    out.push(row(
        t("住所", "Address"),
        p.details.address.clone().unwrap_or_else(|| "—".into()),
    ));
    out
}

pub(super) fn family_row(lang: Lang, f: &PersonView) -> FamilyRow {
    let (relation, dependant) = match &f.person.role {
        Role::Family {
            relation,
            dependant,
            ..
        } => (relation.clone(), tr(lang, dependant.ja(), dependant.en())),
        _ => (String::new(), String::new()),
    };
    FamilyRow {
        id: ui_id(f.id),
        name: f.person.details.name.as_str().into(),
        relation: relation.into(),
        dependant: dependant.into(),
        birth: date(lang, f.person.details.birth_date).into(),
        number: f
            .masked_number
            .clone()
            .unwrap_or_else(|| tr(lang, "未登録", "none"))
            .into(),
    }
}

/// A number in full, in groups as printed on the card: `1234 5678 9012`, or a 法人番号 as
/// `1 2345 6789 0123`.
pub(super) fn grouped(digits: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(20));
    let lead = digits.len() % 4;
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (i + 4 - lead).is_multiple_of(4) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_like_the_card() {
        assert_eq!(grouped("123456789012").as_str(), "1234 5678 9012");
        assert_eq!(grouped("1234567890123").as_str(), "1 2345 6789 0123");
    }
}
