//! Reading the register / edit form: every field through the domain's parsers (numbers,
//! dates in 西暦 or 和暦, names, kana, codes), each reason kept for its field, so that the
//! engine is asked only once the whole form reads right. Pure functions: no engine, no UI.

use chrono::NaiveDate;
use kinko_domain::lang::{Lang, Localized};
use kinko_domain::number::{CorporateNumber, MyNumber};
use kinko_domain::people::{
    DependantType, EmploymentStatus, PayeeKind, Person, PersonId, PersonKind, PersonalDetails, Role,
};
use kinko_domain::text::{self, Field, TextError};
use kinko_domain::wareki::{self, DateError};
use kinko_vault::{PersonNumber, VaultError};
use zeroize::Zeroizing;

use super::edit::{Form, Mode};
use crate::PersonApi;
use crate::text::tr;

/// The form's fields as typed.
pub(super) struct Typed {
    code: String,
    name: String,
    kana: String,
    birth: String,
    address: String,
    hire: String,
    retire: String,
    relation: String,
    number: Zeroizing<String>,
    department: i32,
    status: i32,
    dependant: i32,
    payee_kind: i32,
}

impl Typed {
    pub(super) fn read(g: &PersonApi<'_>) -> Typed {
        Typed {
            code: g.get_edit_code().into(),
            name: g.get_edit_name().into(),
            kana: g.get_edit_kana().into(),
            birth: g.get_edit_birth().into(),
            address: g.get_edit_address().into(),
            hire: g.get_edit_hire().into(),
            retire: g.get_edit_retire().into(),
            relation: g.get_edit_relation().into(),
            number: Zeroizing::new(g.get_edit_number().into()),
            department: g.get_edit_department(),
            status: g.get_edit_status(),
            dependant: g.get_edit_dependant(),
            payee_kind: g.get_edit_payee_kind(),
        }
    }
}

/// The reason, if any, at each field.
#[derive(Default)]
pub(super) struct Errors {
    code: String,
    name: String,
    kana: String,
    birth: String,
    address: String,
    hire: String,
    retire: String,
    relation: String,
    number: String,
    form: String,
}

impl Errors {
    fn any(&self) -> bool {
        [
            &self.code,
            &self.name,
            &self.kana,
            &self.birth,
            &self.address,
            &self.hire,
            &self.retire,
            &self.relation,
            &self.number,
            &self.form,
        ]
        .iter()
        .any(|e| !e.is_empty())
    }

    /// Puts an engine refusal at the field it is about.
    pub(super) fn place(&mut self, e: &VaultError, lang: Lang) {
        let msg = e.message(lang);
        let slot = match e {
            VaultError::Number(_) | VaultError::DuplicateNumber | VaultError::WrongNumberKind => {
                &mut self.number
            }
            VaultError::DuplicateCode(_) => &mut self.code,
            VaultError::Text(t) => match text_field(t) {
                Field::Name => &mut self.name,
                Field::Kana => &mut self.kana,
                Field::Code => &mut self.code,
                Field::Relation => &mut self.relation,
                Field::Address => &mut self.address,
                Field::Department => &mut self.form,
            },
            _ => &mut self.form,
        };
        *slot = msg;
    }

    pub(super) fn show(&self, g: &PersonApi<'_>) {
        g.set_code_error(self.code.as_str().into());
        g.set_name_error(self.name.as_str().into());
        g.set_kana_error(self.kana.as_str().into());
        g.set_birth_error(self.birth.as_str().into());
        g.set_address_error(self.address.as_str().into());
        g.set_hire_error(self.hire.as_str().into());
        g.set_retire_error(self.retire.as_str().into());
        g.set_relation_error(self.relation.as_str().into());
        g.set_number_error(self.number.as_str().into());
        g.set_form_error(self.form.as_str().into());
    }
}

fn text_field(e: &TextError) -> Field {
    match e {
        TextError::Empty { field }
        | TextError::TooLong { field, .. }
        | TextError::InvalidCharacter { field, .. } => *field,
    }
}

/// Keeps a value, or writes the reason it is wrong into `slot`.
fn keep<T, E: Localized>(r: Result<T, E>, slot: &mut String, lang: Lang) -> Option<T> {
    r.map_err(|e| *slot = e.message(lang)).ok()
}

/// An optional date: empty is "not known".
fn optional_date(s: &str) -> Result<Option<NaiveDate>, DateError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        wareki::parse_date(s).map(Some)
    }
}

fn optional_address(s: &str) -> Result<Option<String>, TextError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        text::normalize_name(s, Field::Address).map(Some)
    }
}

fn pick<T: Copy>(all: &[T], index: i32) -> Option<T> {
    usize::try_from(index)
        .ok()
        .and_then(|i| all.get(i))
        .copied()
}

/// A person as the form says, checked field by field.
pub(super) struct Checked {
    pub(super) role: Role,
    pub(super) details: PersonalDetails,
    pub(super) number: Option<PersonNumber>,
}

pub(super) fn check(t: &Typed, form: &Form, lang: Lang, e: &mut Errors) -> Option<Checked> {
    let kind = form_kind(form);
    let name = keep(
        text::normalize_name(&t.name, Field::Name),
        &mut e.name,
        lang,
    );
    let kana = keep(text::normalize_kana(&t.kana), &mut e.kana, lang);
    let address = keep(optional_address(&t.address), &mut e.address, lang);
    let birth = keep(optional_date(&t.birth), &mut e.birth, lang);
    let role = match kind {
        PersonKind::Employee => {
            let code = keep(text::normalize_code(&t.code), &mut e.code, lang);
            let hire = keep(optional_date(&t.hire), &mut e.hire, lang);
            let retire = keep(optional_date(&t.retire), &mut e.retire, lang);
            if let (Some(Some(h)), Some(Some(r))) = (hire, retire)
                && r < h
            {
                e.retire = tr(
                    lang,
                    "退職日が入社日より前になっています",
                    "The retirement date is before the hiring date",
                );
            }
            let department = usize::try_from(t.department - 1)
                .ok()
                .and_then(|i| form.departments.get(i))
                .map(|(id, _)| *id);
            let status = pick(EmploymentStatus::ALL, t.status).unwrap_or(EmploymentStatus::Active);
            (|| {
                Some(Role::Employee {
                    code: code?,
                    department,
                    hire_date: hire?,
                    retire_date: retire?,
                    status,
                })
            })()
        }
        PersonKind::Family => {
            let relation = keep(
                text::normalize_name(&t.relation, Field::Relation),
                &mut e.relation,
                lang,
            );
            let dependant = pick(DependantType::ALL, t.dependant).unwrap_or(DependantType::None);
            (|| {
                Some(Role::Family {
                    employee: family_employee(form)?,
                    relation: relation?,
                    dependant,
                })
            })()
        }
        PersonKind::Payee => {
            let code = keep(text::normalize_code(&t.code), &mut e.code, lang);
            let kind = match &form.before {
                Some(Person {
                    role: Role::Payee { kind, .. },
                    ..
                }) => *kind,
                _ => pick(PayeeKind::ALL, t.payee_kind).unwrap_or(PayeeKind::Individual),
            };
            code.map(|code| Role::Payee { code, kind })
        }
    };
    let corporate = matches!(
        role,
        Some(Role::Payee {
            kind: PayeeKind::Corporation,
            ..
        })
    );
    let number = keep(parse_number(&t.number, corporate), &mut e.number, lang);
    if e.any() {
        return None;
    }
    Some(Checked {
        role: role?,
        details: PersonalDetails {
            name: name?,
            kana: kana?,
            // A corporation has no birth date.
            birth_date: if corporate { None } else { birth? },
            address: address?,
        },
        number: number?,
    })
}

fn parse_number(
    typed: &str,
    corporate: bool,
) -> Result<Option<PersonNumber>, kinko_domain::NumberError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(if corporate {
        PersonNumber::Corporate(CorporateNumber::parse(typed)?)
    } else {
        PersonNumber::Individual(MyNumber::parse(typed)?)
    }))
}

fn form_kind(form: &Form) -> PersonKind {
    match (form.mode, &form.before) {
        (Mode::NewEmployee, _) => PersonKind::Employee,
        (Mode::NewPayee, _) => PersonKind::Payee,
        (Mode::NewFamily { .. }, _) => PersonKind::Family,
        (Mode::Edit(_), Some(p)) => p.role.kind(),
        (Mode::Edit(_), None) => PersonKind::Employee,
    }
}

fn family_employee(form: &Form) -> Option<PersonId> {
    match (form.mode, &form.before) {
        (Mode::NewFamily { employee }, _) => Some(employee),
        (
            _,
            Some(Person {
                role: Role::Family { employee, .. },
                ..
            }),
        ) => Some(*employee),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> Typed {
        Typed {
            code: "0101".into(),
            name: "山田　一郎".into(),
            kana: "やまだ いちろう".into(),
            birth: String::new(),
            address: String::new(),
            hire: String::new(),
            retire: String::new(),
            relation: String::new(),
            number: Zeroizing::new(String::new()),
            department: 0,
            status: 0,
            dependant: 0,
            payee_kind: 0,
        }
    }

    fn form(mode: Mode) -> Form {
        Form {
            mode,
            before: None,
            departments: Vec::new(),
        }
    }

    fn hire_date(c: Checked) -> Option<NaiveDate> {
        match c.role {
            Role::Employee { hire_date, .. } => hire_date,
            _ => None,
        }
    }

    #[test]
    fn dates_are_read_as_offices_type_them() {
        let want = NaiveDate::from_ymd_opt(2026, 4, 1);
        for typed_date in [
            "2026-04-01",
            "2026/4/1",
            "令和8年4月1日",
            "R8.4.1",
            "Ｒ８．４．１",
        ] {
            let mut t = typed();
            t.hire = typed_date.into();
            let mut e = Errors::default();
            let c = check(&t, &form(Mode::NewEmployee), Lang::Ja, &mut e);
            assert_eq!(c.and_then(hire_date), want, "{typed_date}");
        }
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let mut t = typed();
        t.name = " ".into();
        t.kana = "Yamada".into();
        t.code = "00 01".into();
        t.birth = "2026-02-30".into();
        t.hire = "平成31年5月1日".into();
        t.number = Zeroizing::new("1234 5678 9012".into());
        let mut e = Errors::default();
        assert!(check(&t, &form(Mode::NewEmployee), Lang::Ja, &mut e).is_none());
        assert_eq!(e.name, "氏名が入力されていません");
        assert!(e.kana.starts_with("フリガナに使えない文字"), "{}", e.kana);
        assert!(e.code.starts_with("コードに使えない文字"), "{}", e.code);
        assert!(
            e.birth.contains("2月30日という日はありません"),
            "{}",
            e.birth
        );
        assert!(e.hire.contains("平成の期間外"), "{}", e.hire);
        assert_eq!(
            e.number,
            "個人番号の検査用数字が一致しません。入力を確認してください"
        );
        assert_eq!(e.form, "");
    }

    #[test]
    fn a_retirement_before_the_hiring_is_refused() {
        let mut t = typed();
        t.hire = "2020-04-01".into();
        t.retire = "2019-03-31".into();
        let mut e = Errors::default();
        assert!(check(&t, &form(Mode::NewEmployee), Lang::En, &mut e).is_none());
        assert_eq!(e.retire, "The retirement date is before the hiring date");
    }

    #[test]
    fn a_corporate_payee_takes_a_corporate_number() {
        let mut t = typed();
        t.payee_kind = 1;
        t.number = Zeroizing::new("123456789018".into());
        let mut e = Errors::default();
        assert!(check(&t, &form(Mode::NewPayee), Lang::Ja, &mut e).is_none());
        assert_eq!(e.number, "法人番号は13桁です（入力は12桁）");
        let corporate = kinko_vault::demo::sample_corporate_number(5);
        t.number = Zeroizing::new(corporate.expose_digits().into());
        let mut e = Errors::default();
        let c = check(&t, &form(Mode::NewPayee), Lang::Ja, &mut e).unwrap();
        assert!(matches!(c.number, Some(PersonNumber::Corporate(_))));
        assert!(c.details.birth_date.is_none());
    }

    #[test]
    fn a_family_member_needs_a_relation() {
        let mut e = Errors::default();
        let family = form(Mode::NewFamily {
            employee: PersonId(7),
        });
        assert!(check(&typed(), &family, Lang::Ja, &mut e).is_none());
        assert_eq!(e.relation, "続柄が入力されていません");
        let mut t = typed();
        t.relation = "長男".into();
        let mut e = Errors::default();
        let c = check(&t, &family, Lang::Ja, &mut e).unwrap();
        assert!(matches!(
            c.role,
            Role::Family {
                employee: PersonId(7),
                ..
            }
        ));
        assert_eq!(c.details.kana, "ヤマダ　イチロウ");
    }

    #[test]
    fn engine_refusals_go_to_their_fields() {
        let mut e = Errors::default();
        e.place(&VaultError::DuplicateNumber, Lang::Ja);
        e.place(&VaultError::DuplicateCode("0101".into()), Lang::Ja);
        e.place(
            &VaultError::Text(TextError::Empty { field: Field::Kana }),
            Lang::Ja,
        );
        e.place(&VaultError::Denied, Lang::Ja);
        assert_eq!(e.number, "この個人番号はすでに別の人に登録されています");
        assert_eq!(e.code, "コード「0101」はすでに使われています");
        assert_eq!(e.kana, "フリガナが入力されていません");
        assert_eq!(e.form, "この操作の権限がありません");
    }
}
