//! People and the records kept about them (PRODUCT.md F1 and F3).
//!
//! These are plain values. The vault decides which parts are sealed (everything personal) and
//! which stay in the clear (internal IDs, statuses); see `docs/ARCHITECTURE.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A person's internal ID. Logs and registers name people by this, never by name or number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub i64);

/// A user account's internal ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub i64);

/// A department's internal ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DepartmentId(pub i64);

/// Declares a closed set of values with a stable storage name and Japanese and English labels.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($key:literal, $ja:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $key)] $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used on disk and in the CLI.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The Japanese label, as shown in the UI and on forms.
            pub fn ja(self) -> &'static str {
                match self { $($name::$variant => $ja),+ }
            }

            /// The English label.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// Accepts the storage name, the Japanese label or the English label.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| {
                    v.key() == s || v.ja() == s || v.en().eq_ignore_ascii_case(s)
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.ja())
            }
        }
    };
}

labelled_enum! {
    /// What kind of person a record is about.
    PersonKind {
        Employee = ("employee", "社員", "employee"),
        Family = ("family", "家族", "family member"),
        Payee = ("payee", "支払先", "payee"),
    }
}

labelled_enum! {
    /// 在職 / 休職 / 退職.
    EmploymentStatus {
        Active = ("active", "在職", "employed"),
        OnLeave = ("on_leave", "休職", "on leave"),
        Retired = ("retired", "退職", "retired"),
    }
}

labelled_enum! {
    /// Where the collection of a person's number stands (F3).
    CollectionStatus {
        NotRequested = ("not_requested", "未依頼", "not requested"),
        Requested = ("requested", "依頼済", "requested"),
        Collected = ("collected", "回収済", "collected"),
        Verified = ("verified", "確認済", "verified"),
        Refused = ("refused", "提出拒否", "refused"),
    }
}

labelled_enum! {
    /// A family member's dependant type for tax and pension purposes.
    DependantType {
        None = ("none", "該当なし", "none"),
        Spouse = ("spouse", "控除対象配偶者", "qualifying spouse"),
        Dependant = ("dependant", "扶養親族", "dependant"),
        Under16 = ("under16", "16歳未満", "dependant under 16"),
        PensionCategory3 = ("pension3", "国民年金第3号被保険者", "NP category 3 insured"),
    }
}

labelled_enum! {
    /// A payee is either an individual (with a My Number) or a corporation (with a 法人番号).
    PayeeKind {
        Individual = ("individual", "個人", "individual"),
        Corporation = ("corporation", "法人", "corporation"),
    }
}

labelled_enum! {
    /// How the identity of the person was checked (本人確認の方法).
    VerificationMethod {
        InPerson = ("in_person", "対面", "in person"),
        Post = ("post", "郵送", "by post"),
        Online = ("online", "オンライン", "online"),
        Other = ("other", "その他", "other"),
    }
}

labelled_enum! {
    /// The document that proves the number is right (番号確認書類).
    NumberDocument {
        MyNumberCard = ("my_number_card", "マイナンバーカード（裏面）", "My Number Card (back)"),
        NotificationCard = ("notification_card", "通知カード", "notification card"),
        ResidentRecord = ("resident_record", "個人番号付きの住民票の写し", "resident record with number"),
        PreviouslyVerified = ("previously_verified", "過去に本人確認した特定個人情報ファイル", "earlier verified record"),
        Other = ("other", "その他", "other"),
    }
}

labelled_enum! {
    /// A document that proves the person is who they say (身元確認書類).
    IdentityDocument {
        MyNumberCard = ("my_number_card", "マイナンバーカード（表面）", "My Number Card (front)"),
        DriversLicence = ("drivers_licence", "運転免許証", "driving licence"),
        Passport = ("passport", "旅券", "passport"),
        ResidenceCard = ("residence_card", "在留カード", "residence card"),
        HealthInsurance = ("health_insurance", "健康保険の資格確認書", "health insurance certificate"),
        PensionBook = ("pension_book", "年金手帳", "pension book"),
        KnownInPerson = ("known_in_person", "雇用関係にあり本人に相違ないことが明らか", "known employee, seen in person"),
        Other = ("other", "その他", "other"),
    }
}

labelled_enum! {
    /// Who carried the duty to verify a family member's identity.
    Responsibility {
        Employer = ("employer", "事業者", "employer"),
        Employee = ("employee", "従業員本人", "the employee"),
        Agent = ("agent", "代理人（委任状あり）", "agent with power of attorney"),
    }
}

/// What every person record holds that is personal, and so always sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDetails {
    /// 氏名 as written, with a full-width space between family and given name where known.
    pub name: String,
    /// フリガナ in full-width katakana.
    pub kana: String,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<String>,
}

/// What a person is to the firm, with what only that kind of person has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Employee {
        code: String,
        department: Option<DepartmentId>,
        hire_date: Option<NaiveDate>,
        retire_date: Option<NaiveDate>,
        status: EmploymentStatus,
    },
    Family {
        employee: PersonId,
        /// 続柄 as written (配偶者, 長男, 母 …).
        relation: String,
        dependant: DependantType,
    },
    Payee {
        code: String,
        kind: PayeeKind,
    },
}

impl Role {
    pub fn kind(&self) -> PersonKind {
        match self {
            Role::Employee { .. } => PersonKind::Employee,
            Role::Family { .. } => PersonKind::Family,
            Role::Payee { .. } => PersonKind::Payee,
        }
    }

    /// The employee or payee code, if this kind of person has one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Role::Employee { code, .. } | Role::Payee { code, .. } => Some(code),
            Role::Family { .. } => None,
        }
    }
}

/// A person as the vault keeps them (without their number, which is kept apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub role: Role,
    pub details: PersonalDetails,
    pub collection: CollectionStatus,
}

/// One step in the collection history (経過): what was asked or received, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionEvent {
    pub status: CollectionStatus,
    pub on: NaiveDate,
    pub note: String,
}

/// The notice of the purposes of use (利用目的の通知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeNotice {
    pub notified_on: NaiveDate,
    pub purposes: Vec<String>,
}

/// An identity verification (本人確認) record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityVerification {
    pub number_document: NumberDocument,
    pub identity_documents: Vec<IdentityDocument>,
    pub method: VerificationMethod,
    pub responsible: Responsibility,
    pub checked_by: UserId,
    pub checked_on: NaiveDate,
    pub note: String,
}

/// A second person's confirmation (承認・確認記録).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub subject: String,
    pub approved_by: UserId,
    pub approved_on: NaiveDate,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_back_in_every_form() {
        for s in CollectionStatus::ALL {
            assert_eq!(CollectionStatus::parse(s.key()), Some(*s));
            assert_eq!(CollectionStatus::parse(s.ja()), Some(*s));
            assert_eq!(CollectionStatus::parse(&s.en().to_uppercase()), Some(*s));
        }
        assert_eq!(
            EmploymentStatus::parse("休職"),
            Some(EmploymentStatus::OnLeave)
        );
        assert_eq!(
            DependantType::parse("16歳未満"),
            Some(DependantType::Under16)
        );
        assert_eq!(PersonKind::parse("nobody"), None);
    }

    #[test]
    fn storage_names_are_stable() {
        // These strings are on disk: changing one is a schema migration.
        let keys: Vec<_> = CollectionStatus::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(
            keys,
            [
                "not_requested",
                "requested",
                "collected",
                "verified",
                "refused"
            ]
        );
    }
}
