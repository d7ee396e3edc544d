//! Who may do what to whom (F4): permissions per function, role presets, and data scopes.
//!
//! The engine asks [`Access::allows`] before every operation and [`Access::sees`] before it
//! touches a person; the fronts only mirror these answers to grey out buttons.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use kinko_domain::people::{DepartmentId, PersonKind};

macro_rules! permissions {
    ($($variant:ident = ($key:literal, $ja:literal, $en:literal)),+ $(,)?) => {
        /// One function a user may be allowed to use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Permission { $(#[serde(rename = $key)] $variant),+ }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $(Permission::$variant => $key),+ }
            }

            pub fn ja(self) -> &'static str {
                match self { $(Permission::$variant => $ja),+ }
            }

            pub fn en(self) -> &'static str {
                match self { $(Permission::$variant => $en),+ }
            }

            pub fn parse(s: &str) -> Option<Permission> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|p| p.key() == s || p.ja() == s || p.en().eq_ignore_ascii_case(s))
            }
        }
    };
}

permissions! {
    ViewList = ("view_list", "一覧の閲覧", "view list"),
    ViewPerson = ("view_person", "個人情報の閲覧", "view person"),
    RevealNumber = ("reveal_number", "個人番号の表示", "reveal number"),
    Register = ("register", "登録", "register"),
    Update = ("update", "変更", "update"),
    Delete = ("delete", "削除", "delete"),
    Import = ("import", "取込", "import"),
    Export = ("export", "書出し", "export"),
    Print = ("print", "印刷", "print"),
    Approve = ("approve", "承認", "approve"),
    ManageUsers = ("manage_users", "ユーザー管理", "manage users"),
    ManagePcs = ("manage_pcs", "PC管理", "manage PCs"),
    Settings = ("settings", "設定", "settings"),
    ReadAudit = ("read_audit", "操作履歴の閲覧", "read audit log"),
    Backup = ("backup", "バックアップ", "backup"),
    Wipe = ("wipe", "全削除・消去", "wipe"),
}

/// The role presets of PRODUCT.md §1, plus the set-up account that holds everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserRole {
    /// The account made at set-up: every permission.
    Administrator,
    /// 事務取扱責任者.
    Manager,
    /// 事務取扱担当者.
    Clerk,
    /// システム管理者: users, PCs, settings, backups; never numbers.
    SystemAdmin,
    /// 監査: the log and the ledgers.
    Auditor,
}

impl UserRole {
    pub const ALL: &'static [UserRole] = &[
        UserRole::Administrator,
        UserRole::Manager,
        UserRole::Clerk,
        UserRole::SystemAdmin,
        UserRole::Auditor,
    ];

    pub fn key(self) -> &'static str {
        match self {
            UserRole::Administrator => "administrator",
            UserRole::Manager => "manager",
            UserRole::Clerk => "clerk",
            UserRole::SystemAdmin => "sysadmin",
            UserRole::Auditor => "auditor",
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            UserRole::Administrator => "管理者（全権限）",
            UserRole::Manager => "事務取扱責任者",
            UserRole::Clerk => "事務取扱担当者",
            UserRole::SystemAdmin => "システム管理者",
            UserRole::Auditor => "監査",
        }
    }

    pub fn parse(s: &str) -> Option<UserRole> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|r| {
            r.key().eq_ignore_ascii_case(s) || r.ja() == s || r.ja().starts_with(s) && !s.is_empty()
        })
    }

    /// What the preset allows.
    pub fn permissions(self) -> BTreeSet<Permission> {
        use Permission as P;
        let list: &[Permission] = match self {
            UserRole::Administrator => P::ALL,
            UserRole::Manager => &[
                P::ViewList,
                P::ViewPerson,
                P::RevealNumber,
                P::Register,
                P::Update,
                P::Delete,
                P::Import,
                P::Export,
                P::Print,
                P::Approve,
                P::ReadAudit,
                P::Wipe,
            ],
            UserRole::Clerk => &[
                P::ViewList,
                P::ViewPerson,
                P::RevealNumber,
                P::Register,
                P::Update,
                P::Import,
                P::Export,
                P::Print,
            ],
            UserRole::SystemAdmin => &[P::ManageUsers, P::ManagePcs, P::Settings, P::Backup],
            UserRole::Auditor => &[P::ViewList, P::ReadAudit],
        };
        list.iter().copied().collect()
    }
}

/// Which people a user may see and act on. An empty scope with `all == false` sees nobody.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Everyone (the default for new users unless restricted).
    #[serde(default)]
    pub all: bool,
    /// Employees of these departments (and their families).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<DepartmentId>,
    /// Employees whose code lies in one of these inclusive ranges (compared as numbers when both
    /// are digits, else as text), and their families.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_ranges: Vec<(String, String)>,
    /// Employees with these codes, and their families.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// Payees.
    #[serde(default)]
    pub payees: bool,
}

impl Scope {
    pub fn everyone() -> Scope {
        Scope {
            all: true,
            payees: true,
            ..Scope::default()
        }
    }

    pub fn is_restricted(&self) -> bool {
        !self.all
    }

    /// The union of two scopes (a user's and their groups').
    pub fn union(mut self, other: &Scope) -> Scope {
        self.all |= other.all;
        self.payees |= other.payees;
        self.departments.extend(other.departments.iter().copied());
        self.code_ranges.extend(other.code_ranges.iter().cloned());
        self.codes.extend(other.codes.iter().cloned());
        self
    }

    /// Whether an employee (or a family member of that employee) is in scope.
    pub fn covers_employee(&self, department: Option<DepartmentId>, code: &str) -> bool {
        self.all
            || department.is_some_and(|d| self.departments.contains(&d))
            || self.codes.iter().any(|c| c == code)
            || self
                .code_ranges
                .iter()
                .any(|(lo, hi)| code_in_range(code, lo, hi))
    }

    /// Whether a person is in scope, given what decides it: their kind, and for employees (or a
    /// family member's employee) the department and code.
    pub fn covers(
        &self,
        kind: PersonKind,
        department: Option<DepartmentId>,
        code: Option<&str>,
    ) -> bool {
        match kind {
            PersonKind::Payee => self.all || self.payees,
            PersonKind::Employee | PersonKind::Family => {
                self.covers_employee(department, code.unwrap_or_default())
            }
        }
    }
}

fn code_in_range(code: &str, lo: &str, hi: &str) -> bool {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(code) && numeric(lo) && numeric(hi) {
        let n = |s: &str| s.trim_start_matches('0').parse::<u128>().unwrap_or(0);
        let v = n(code);
        return code.len() <= 38 && n(lo) <= v && v <= n(hi);
    }
    lo <= code && code <= hi
}

/// What a logged-in user may do: their effective permissions and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub permissions: BTreeSet<Permission>,
    pub scope: Scope,
}

impl Access {
    pub fn allows(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_administrator_never_sees_numbers() {
        let sys = UserRole::SystemAdmin.permissions();
        for p in [
            Permission::ViewList,
            Permission::ViewPerson,
            Permission::RevealNumber,
            Permission::Export,
            Permission::Print,
        ] {
            assert!(!sys.contains(&p), "{p:?}");
        }
        assert_eq!(
            UserRole::Administrator.permissions().len(),
            Permission::ALL.len()
        );
        assert!(
            UserRole::Clerk
                .permissions()
                .contains(&Permission::RevealNumber)
        );
        assert!(
            !UserRole::Auditor
                .permissions()
                .contains(&Permission::RevealNumber)
        );
    }

    #[test]
    fn names_parse_in_both_languages() {
        assert_eq!(UserRole::parse("clerk"), Some(UserRole::Clerk));
        assert_eq!(UserRole::parse("事務取扱担当者"), Some(UserRole::Clerk));
        assert_eq!(UserRole::parse("管理者"), Some(UserRole::Administrator));
        assert_eq!(
            Permission::parse("個人番号の表示"),
            Some(Permission::RevealNumber)
        );
        assert_eq!(
            Permission::parse("reveal_number"),
            Some(Permission::RevealNumber)
        );
        assert_eq!(UserRole::parse(""), None);
    }

    #[test]
    fn scopes_cover_departments_codes_ranges_and_payees() {
        let sales = DepartmentId(2);
        let s = Scope {
            departments: vec![sales],
            code_ranges: vec![("0100".into(), "0199".into()), ("A".into(), "B".into())],
            codes: vec!["0999".into()],
            ..Scope::default()
        };
        assert!(s.covers(PersonKind::Employee, Some(sales), Some("5000")));
        assert!(s.covers(PersonKind::Family, None, Some("0150")));
        assert!(
            s.covers(PersonKind::Employee, None, Some("150")),
            "numeric ranges ignore zero padding"
        );
        assert!(!s.covers(PersonKind::Employee, None, Some("0200")));
        assert!(s.covers(PersonKind::Employee, None, Some("0999")));
        assert!(s.covers(PersonKind::Employee, None, Some("AB12")));
        assert!(!s.covers(PersonKind::Payee, None, Some("P1")));
        assert!(Scope::everyone().covers(PersonKind::Payee, None, None));
        assert!(!Scope::default().covers(PersonKind::Employee, Some(sales), Some("1")));
    }
}
