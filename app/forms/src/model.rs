//! What the forms are filled with: plain values the engine gathers (after its permission and
//! scope checks) and hands over. Nothing here reads a store; a number arrives only when the
//! document exists to carry it, already masked otherwise.

use chrono::{NaiveDate, NaiveDateTime};
use zeroize::Zeroizing;

use kinko_domain::people::{
    CollectionEvent, CollectionStatus, DependantType, IdentityDocument, NumberDocument, PersonKind,
    Responsibility, VerificationMethod,
};

/// The firm, as printed at the top or foot of its forms (F16).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Firm {
    pub name: String,
    /// 法人番号 (public; 13 digits), when the firm is a corporation.
    pub corporate_number: Option<String>,
    pub address: Option<String>,
    pub representative: Option<String>,
    pub phone: Option<String>,
}

/// Who makes a document, for whom, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub firm: Firm,
    /// When it is made, in Japan time.
    pub created: NaiveDateTime,
    /// The user making it (login or display name), printed as 作成者.
    pub issued_by: String,
}

/// How a number appears on a form.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum NumberShown {
    /// None registered.
    #[default]
    None,
    /// Registered, shown masked except the last four digits (`**** **** 9012`).
    Masked(String),
    /// Shown in full: only on a document that exists to carry it, asked for by a user who may
    /// reveal numbers. Wiped when dropped.
    Full(Zeroizing<String>),
}

impl std::fmt::Debug for NumberShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NumberShown::None => f.write_str("None"),
            NumberShown::Masked(m) => write!(f, "Masked({m})"),
            NumberShown::Full(_) => f.write_str("Full(..)"),
        }
    }
}

impl NumberShown {
    /// The text printed for it: `未登録` when there is none.
    pub fn text(&self) -> &str {
        match self {
            NumberShown::None => "未登録",
            NumberShown::Masked(m) => m,
            NumberShown::Full(d) => d,
        }
    }
}

/// One identity verification (本人確認), as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub number_document: NumberDocument,
    pub identity_documents: Vec<IdentityDocument>,
    pub method: VerificationMethod,
    pub responsible: Responsibility,
    /// The user who checked (login name).
    pub checked_by: String,
    pub checked_on: NaiveDate,
}

/// A person on a form: an employee, a family member or a payee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPerson {
    pub kind: PersonKind,
    /// Employee or payee code; none for a family member.
    pub code: Option<String>,
    pub name: String,
    pub kana: String,
    pub birth_date: Option<NaiveDate>,
    /// Department name (employees).
    pub department: Option<String>,
    /// 続柄 (family members).
    pub relation: Option<String>,
    pub dependant: Option<DependantType>,
    pub collection: CollectionStatus,
    pub number: NumberShown,
    /// The collection history (経過), oldest first.
    pub history: Vec<CollectionEvent>,
    /// Identity verifications, oldest first.
    pub verifications: Vec<Verification>,
    /// The purposes of use last notified, and when.
    pub purposes: Option<(NaiveDate, Vec<String>)>,
}

/// An employee (or payee) with their family members: what one collection form is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub person: FormPerson,
    pub family: Vec<FormPerson>,
}

/// The purposes of use printed when the firm has not set its own (利用目的; the usual set
/// for employees under the 番号法 and the PPC guideline).
pub const DEFAULT_PURPOSES: &[&str] = &[
    "給与所得・退職所得の源泉徴収票作成事務",
    "扶養控除等（異動）申告書、保険料控除申告書兼給与所得者の配偶者控除等申告書作成事務",
    "雇用保険届出事務",
    "健康保険・厚生年金保険届出事務",
    "国民年金第3号被保険者届出事務",
    "財産形成住宅貯蓄・財産形成年金貯蓄に関する申告書、届出書及び申込書作成事務",
];

/// One line of an audit-log extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    pub seq: i64,
    /// When, as the log shows it (Japan time).
    pub at: String,
    pub user: String,
    pub pc: String,
    pub action: String,
    /// `person:12`, `user:3` … internal IDs only.
    pub target: String,
    pub outcome: String,
    pub detail: String,
}

/// One line of the sessions report (who, from which PC and department, from when to when).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    pub user: String,
    pub department: String,
    pub pc: String,
    pub from: String,
    pub to: String,
    pub duration: String,
    pub how_ended: String,
}

/// One row of the take-out register (持出し記録).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakeoutLine {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub what: String,
    pub people: usize,
    pub purpose: String,
    pub destination: String,
}

/// The audit seal: what anchors the log's head on paper (ADR 0008).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealSheet {
    /// The last sequence number covered.
    pub seq: i64,
    /// How many entries the log holds.
    pub entries: i64,
    /// The seal code to type back at verification, grouped for reading.
    pub code: String,
    /// When the sealed head was written.
    pub head_at: String,
    /// The verification done just before sealing, in words (e.g. `改ざんは見つかりませんでした`).
    pub verified: String,
}

/// A sanitize certificate as printed (F12): the signed JSON stays the evidence; the paper is
/// its readable copy with the fingerprint to compare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SanitizeSheet {
    pub certificate_id: String,
    /// 結果 in words, e.g. `消去済み（全領域を検証）`.
    pub outcome: String,
    /// NIST SP 800-88 method type in words (`Clear（消去）`).
    pub level: String,
    /// Label and value rows: media identity, method, tool, verification, run figures.
    pub rows: Vec<(String, String)>,
    /// What the method cannot reach (printed as notes).
    pub limitations: Vec<String>,
    /// Failed ranges, one line each.
    pub exceptions: Vec<String>,
    /// `SHA256:…` of the signing key.
    pub fingerprint: String,
    /// The operator (作業者).
    pub operator: String,
}
