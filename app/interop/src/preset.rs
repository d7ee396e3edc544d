//! Column-mapping presets for the payroll and HR software small firms use.
//!
//! What is confirmed, and where from (vendors publish few exact export layouts):
//!
//! - **給与奉行 (OBC)**: the export holds 社員番号, 所属, 氏名 (姓 and 名 separated by a
//!   full-width space), フリガナ, 生年月日, 入社年月日, 退職年月日, with 和暦 dates such as
//!   `昭和37年03月18日` (seen in one public parser; research notes, domain.md §7). OBC's own
//!   help describes 汎用データ受入 with either the "OBC受入形式" (headers are 受入記号 codes,
//!   not names; not supported here, use a custom mapping) or the user's own layout
//!   (support.obc.jp/hc/ja/articles/900003882126, obcnet.jp/news/4707). Family layout: guessed.
//! - **弥生給与**: the import wizard lets the user choose the start row and 日付形式; the key
//!   is the 従業員特定文字 (≤ 20 characters) (support.yayoi-kk.co.jp page_id 24297, 24293).
//!   Its マイナンバー import lists 従業員名, 扶養親族等名, 個人番号 with no space in names
//!   (page_id 24300). Column names of the employee export: guessed. Its "従業員の全項目"
//!   export has no family data (knowledgelabo.com/yayoi0), so the family preset is a guess.
//! - **PCA給与**: 社員コード (half-width alphanumeric and kana, 4–13 characters), 氏名 as
//!   姓/名, フリガナ as 姓/名 in half-width kana (pca.jp manual P310_2_2); family members come
//!   in a separate 「社員マスター(家族)」 file (faq.pca.jp 11159); 汎用データ can be matched by
//!   header name (faq.pca.jp 743). Exact header strings: guessed.
//! - **freee人事労務**: 従業員番号 is the key and CSV must be UTF-8
//!   (support.freee.co.jp 115005464626); its API names 姓, 名, 姓カナ, 名カナ, 続柄, 生年月日
//!   (freee API reference), its data sample 入社日, 退職日, 姓（カナ）, 名（カナ）; dates
//!   `1970-01-01` (support.freee.co.jp 900004847466).
//! - **マネーフォワード クラウド給与**: 従業員番号 (half-width alphanumerics, `-`, `_`),
//!   入社日, 退職日, 在籍状況 (在籍中 / 退職済み …) (biz.moneyforward.com tax-adjustment
//!   guide employees2-01); required 従業員番号, 入社年月日, 姓, 名, and for family 姓, 名,
//!   生年月日, 続柄 (payroll FAQ co18); templates in Shift_JIS or UTF-8.
//!
//! Because the exact strings are unconfirmed, every preset also accepts the common names of
//! every other (see [`COMMON_EMPLOYEE`] and [`COMMON_FAMILY`]); a preset only puts its own
//! vendor's names first. When a real export does not match, a saved custom [`Mapping`] does.

use crate::mapping::{Column, FileKind, Mapping};

/// A known source of CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// 給与奉行 (OBC).
    Bugyo,
    /// 弥生給与.
    Yayoi,
    /// PCA給与.
    Pca,
    /// freee人事労務.
    Freee,
    /// マネーフォワード クラウド給与.
    MoneyForward,
    /// Any file with the usual Japanese column names.
    Generic,
    /// Kinko's own lossless format ([`crate::kinko_format`]): exactly its headers.
    Kinko,
}

type Aliases = &'static [(Column, &'static [&'static str])];

/// Names every preset accepts in employee files, after its own.
pub const COMMON_EMPLOYEE: Aliases = &[
    (
        Column::EmployeeCode,
        &[
            "社員番号",
            "社員コード",
            "従業員番号",
            "従業員コード",
            "社員No",
            "社員No.",
            "従業員No",
            "個人コード",
            "従業員特定文字",
            "社員ID",
            "従業員ID",
        ],
    ),
    (
        Column::Name,
        &[
            "氏名",
            "社員名",
            "従業員名",
            "社員氏名",
            "従業員氏名",
            "氏名(漢字)",
            "名前",
        ],
    ),
    (Column::FamilyName, &["姓", "氏名(姓)", "姓(漢字)", "氏"]),
    (Column::GivenName, &["名", "氏名(名)", "名(漢字)"]),
    (
        Column::Kana,
        &[
            "フリガナ",
            "氏名フリガナ",
            "氏名カナ",
            "カナ氏名",
            "氏名(フリガナ)",
            "氏名(カナ)",
            "ふりがな",
            "カナ",
            "カナ名称",
            "ヨミガナ",
        ],
    ),
    (
        Column::FamilyKana,
        &[
            "姓カナ",
            "姓(カナ)",
            "姓フリガナ",
            "姓(フリガナ)",
            "フリガナ(姓)",
            "セイ",
            "姓(ヨミガナ)",
        ],
    ),
    (
        Column::GivenKana,
        &[
            "名カナ",
            "名(カナ)",
            "名フリガナ",
            "名(フリガナ)",
            "フリガナ(名)",
            "メイ",
            "名(ヨミガナ)",
        ],
    ),
    (Column::BirthDate, &["生年月日", "誕生日"]),
    (
        Column::Department,
        &[
            "所属",
            "所属名",
            "部署",
            "部署名",
            "部門",
            "部門名",
            "所属部署",
            "所属部門",
        ],
    ),
    (Column::HireDate, &["入社日", "入社年月日", "入社日付"]),
    (
        Column::RetireDate,
        &["退職日", "退職年月日", "退社日", "退職日付"],
    ),
    (
        Column::Status,
        &["在職区分", "在籍区分", "在籍状況", "在職状況", "在籍状態"],
    ),
    (
        Column::MyNumber,
        &["個人番号", "マイナンバー", "本人個人番号"],
    ),
];

/// Names every preset accepts in family files, after its own. Family-specific names come
/// before the plain ones, so a file with both 氏名 (the employee) and 家族氏名 reads the
/// family member's.
pub const COMMON_FAMILY: Aliases = &[
    (
        Column::EmployeeCode,
        &[
            "社員番号",
            "社員コード",
            "従業員番号",
            "従業員コード",
            "社員No",
            "社員No.",
            "従業員No",
            "個人コード",
            "従業員特定文字",
            "社員ID",
            "従業員ID",
        ],
    ),
    (
        Column::Name,
        &[
            "家族氏名",
            "扶養親族氏名",
            "親族氏名",
            "扶養親族等名",
            "家族の氏名",
            "氏名",
        ],
    ),
    (Column::FamilyName, &["家族姓", "姓"]),
    (Column::GivenName, &["名"]),
    (
        Column::Kana,
        &[
            "家族フリガナ",
            "家族氏名フリガナ",
            "家族氏名カナ",
            "家族カナ",
            "フリガナ",
            "氏名フリガナ",
            "氏名カナ",
        ],
    ),
    (
        Column::FamilyKana,
        &["姓カナ", "姓(カナ)", "姓フリガナ", "姓(フリガナ)"],
    ),
    (
        Column::GivenKana,
        &["名カナ", "名(カナ)", "名フリガナ", "名(フリガナ)"],
    ),
    (Column::BirthDate, &["家族生年月日", "生年月日"]),
    (Column::Relation, &["続柄", "家族続柄", "続柄名"]),
    (
        Column::Dependant,
        &[
            "扶養区分",
            "税扶養区分",
            "控除区分",
            "扶養控除区分",
            "扶養親族区分",
            "税法上の扶養",
            "税法上の扶養状況",
        ],
    ),
    (
        Column::MyNumber,
        &["個人番号", "マイナンバー", "家族個人番号"],
    ),
];

impl Preset {
    pub const ALL: [Preset; 7] = [
        Preset::Bugyo,
        Preset::Yayoi,
        Preset::Pca,
        Preset::Freee,
        Preset::MoneyForward,
        Preset::Generic,
        Preset::Kinko,
    ];

    /// The stable name, for settings and the CLI.
    pub fn key(self) -> &'static str {
        match self {
            Preset::Bugyo => "bugyo",
            Preset::Yayoi => "yayoi",
            Preset::Pca => "pca",
            Preset::Freee => "freee",
            Preset::MoneyForward => "moneyforward",
            Preset::Generic => "generic",
            Preset::Kinko => "kinko",
        }
    }

    /// The name shown to the user.
    pub fn name_ja(self) -> &'static str {
        match self {
            Preset::Bugyo => "給与奉行（OBC）",
            Preset::Yayoi => "弥生給与",
            Preset::Pca => "PCA給与",
            Preset::Freee => "freee人事労務",
            Preset::MoneyForward => "マネーフォワード クラウド給与",
            Preset::Generic => "汎用",
            Preset::Kinko => "Kinko形式",
        }
    }

    pub fn from_key(key: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The mapping for this software's employee file.
    pub fn employees(self) -> Mapping {
        self.mapping(FileKind::Employees)
    }

    /// The mapping for this software's family file.
    pub fn family(self) -> Mapping {
        self.mapping(FileKind::Family)
    }

    pub fn mapping(self, kind: FileKind) -> Mapping {
        let suffix = match kind {
            FileKind::Employees => "社員",
            FileKind::Family => "家族",
        };
        let mut mapping = Mapping::new(kind, format!("{}・{suffix}", self.name_ja()));
        if self == Preset::Kinko {
            return add(mapping, crate::kinko_format::aliases(kind));
        }
        mapping = add(mapping, self.own(kind));
        match kind {
            FileKind::Employees => add(mapping, COMMON_EMPLOYEE),
            FileKind::Family => add(mapping, COMMON_FAMILY),
        }
    }

    /// This vendor's names, which come before the common ones.
    fn own(self, kind: FileKind) -> Aliases {
        match (self, kind) {
            (Preset::Bugyo, FileKind::Employees) => BUGYO_EMPLOYEE,
            (Preset::Bugyo, FileKind::Family) => BUGYO_FAMILY,
            (Preset::Yayoi, FileKind::Employees) => YAYOI_EMPLOYEE,
            (Preset::Yayoi, FileKind::Family) => YAYOI_FAMILY,
            (Preset::Pca, FileKind::Employees) => PCA_EMPLOYEE,
            (Preset::Pca, FileKind::Family) => PCA_FAMILY,
            (Preset::Freee, FileKind::Employees) => FREEE_EMPLOYEE,
            (Preset::Freee, FileKind::Family) => FREEE_FAMILY,
            (Preset::MoneyForward, FileKind::Employees) => MF_EMPLOYEE,
            (Preset::MoneyForward, FileKind::Family) => MF_FAMILY,
            (Preset::Generic | Preset::Kinko, _) => &[],
        }
    }
}

/// Appends names, skipping any the column already has.
fn add(mut mapping: Mapping, aliases: Aliases) -> Mapping {
    for (column, names) in aliases {
        for name in *names {
            let known = mapping.columns.get(column);
            if !known.is_some_and(|k| k.iter().any(|n| n == name)) {
                mapping = mapping.with(*column, *name);
            }
        }
    }
    mapping
}

// 給与奉行: confirmed names (secondary source) first.
const BUGYO_EMPLOYEE: Aliases = &[
    (Column::EmployeeCode, &["社員番号"]),
    (Column::Name, &["氏名"]),
    (Column::Kana, &["フリガナ"]),
    (Column::BirthDate, &["生年月日"]),
    (Column::Department, &["所属", "所属名"]),
    (Column::HireDate, &["入社年月日"]),
    (Column::RetireDate, &["退職年月日"]),
];
// Guessed.
const BUGYO_FAMILY: Aliases = &[
    (Column::EmployeeCode, &["社員番号"]),
    (Column::Name, &["家族氏名", "氏名"]),
    (Column::Kana, &["家族フリガナ", "フリガナ"]),
    (Column::BirthDate, &["生年月日"]),
    (Column::Relation, &["続柄"]),
];
// Guessed, except 従業員特定文字 (the wizard's key item).
const YAYOI_EMPLOYEE: Aliases = &[
    (Column::EmployeeCode, &["従業員コード", "従業員特定文字"]),
    (Column::Name, &["氏名", "従業員名"]),
    (Column::Kana, &["フリガナ"]),
    (Column::Department, &["部門", "部門名"]),
    (Column::HireDate, &["入社年月日"]),
    (Column::RetireDate, &["退職年月日"]),
];
// Guessed; 扶養親族等名 is from the マイナンバー import layout.
const YAYOI_FAMILY: Aliases = &[
    (Column::EmployeeCode, &["従業員コード"]),
    (Column::Name, &["扶養親族等名", "扶養親族氏名", "氏名"]),
];
// 社員コード and the split 姓/名 confirmed; exact header strings guessed.
const PCA_EMPLOYEE: Aliases = &[
    (Column::EmployeeCode, &["社員コード"]),
    (Column::FamilyName, &["姓", "氏名(姓)"]),
    (Column::GivenName, &["名", "氏名(名)"]),
    (Column::FamilyKana, &["フリガナ(姓)", "姓フリガナ"]),
    (Column::GivenKana, &["フリガナ(名)", "名フリガナ"]),
    (Column::Department, &["部門名", "部門"]),
    (Column::HireDate, &["入社年月日"]),
    (Column::RetireDate, &["退職年月日"]),
];
const PCA_FAMILY: Aliases = &[
    (Column::EmployeeCode, &["社員コード"]),
    (Column::Name, &["家族氏名", "氏名"]),
    (Column::Kana, &["家族フリガナ", "フリガナ"]),
];
// From freee's API names and data samples.
const FREEE_EMPLOYEE: Aliases = &[
    (Column::EmployeeCode, &["従業員番号"]),
    (Column::FamilyName, &["姓"]),
    (Column::GivenName, &["名"]),
    (Column::FamilyKana, &["姓カナ", "姓(カナ)"]),
    (Column::GivenKana, &["名カナ", "名(カナ)"]),
    (Column::HireDate, &["入社日"]),
    (Column::RetireDate, &["退職日"]),
    (Column::Department, &["部門"]),
];
const FREEE_FAMILY: Aliases = &[
    (Column::EmployeeCode, &["従業員番号"]),
    (Column::FamilyName, &["姓"]),
    (Column::GivenName, &["名"]),
    (Column::FamilyKana, &["姓カナ", "姓(カナ)"]),
    (Column::GivenKana, &["名カナ", "名(カナ)"]),
    (Column::Relation, &["続柄"]),
];
// From Money Forward's guides and FAQ.
const MF_EMPLOYEE: Aliases = &[
    (Column::EmployeeCode, &["従業員番号"]),
    (Column::FamilyName, &["姓"]),
    (Column::GivenName, &["名"]),
    (Column::HireDate, &["入社年月日", "入社日"]),
    (Column::RetireDate, &["退職年月日", "退職日"]),
    (Column::Department, &["部門"]),
    (Column::Status, &["在籍状況"]),
];
const MF_FAMILY: Aliases = &[
    (Column::EmployeeCode, &["従業員番号"]),
    (Column::FamilyName, &["姓"]),
    (Column::GivenName, &["名"]),
    (Column::BirthDate, &["生年月日"]),
    (Column::Relation, &["続柄"]),
];
