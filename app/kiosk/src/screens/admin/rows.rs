//! The users' and PCs' lines as the lists show them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kinko_domain::lang::Lang;
use kinko_domain::people::DepartmentId;
use kinko_vault::{PcInfo, Permission, Scope, UserInfo, UserRole, japan_time};
use slint::SharedString;

use crate::text::tr;
use crate::{PcRow, UserRow};

/// Department and PC names by ID.
pub(super) struct Names {
    departments: HashMap<DepartmentId, String>,
    pcs: HashMap<i64, String>,
}

impl Names {
    pub(super) fn new(departments: &[(DepartmentId, String)], pcs: &[PcInfo]) -> Names {
        Names {
            departments: departments.iter().cloned().collect(),
            pcs: pcs.iter().map(|p| (p.id, p.name.clone())).collect(),
        }
    }

    fn department(&self, id: Option<DepartmentId>) -> String {
        id.and_then(|d| self.departments.get(&d).cloned())
            .unwrap_or_else(|| "—".to_owned())
    }
}

pub(super) fn role_label(lang: Lang, role: UserRole) -> String {
    let en = match role {
        UserRole::Administrator => "Administrator (all permissions)",
        UserRole::Manager => "Responsible manager",
        UserRole::Clerk => "Clerk",
        UserRole::SystemAdmin => "System administrator",
        UserRole::Auditor => "Auditor",
    };
    tr(lang, role.ja(), en)
}

pub(super) fn role_choices(lang: Lang) -> Vec<SharedString> {
    UserRole::ALL
        .iter()
        .map(|r| SharedString::from(role_label(lang, *r)))
        .collect()
}

pub(super) fn permission_label(lang: Lang, p: Permission) -> String {
    tr(lang, p.ja(), p.en())
}

/// Whom the scope covers, in a few words.
fn scope_text(lang: Lang, scope: &Scope, names: &Names) -> String {
    if scope.all {
        return tr(lang, "すべての人", "everyone");
    }
    let mut parts: Vec<String> = scope
        .departments
        .iter()
        .map(|d| names.department(Some(*d)))
        .collect();
    if !scope.codes.is_empty() || !scope.code_ranges.is_empty() {
        parts.push(tr(lang, "指定したコード", "listed codes"));
    }
    if scope.payees {
        parts.push(tr(lang, "支払先", "payees"));
    }
    if parts.is_empty() {
        return tr(lang, "なし", "nobody");
    }
    parts.join(if lang == Lang::Ja { "・" } else { ", " })
}

/// The lock-out end, if it is still ahead.
pub(super) fn locked_until(user: &UserInfo, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    user.locked_until
        .as_deref()
        .and_then(|t| t.parse::<DateTime<Utc>>().ok())
        .filter(|t| *t > now)
}

/// The account's state: disabled, locked, waiting for the first password change, or usable.
pub(super) fn status_text(lang: Lang, user: &UserInfo, now: DateTime<Utc>) -> String {
    let mut parts = Vec::new();
    if user.disabled {
        parts.push(tr(lang, "無効", "disabled"));
    }
    if let Some(until) = locked_until(user, now) {
        let until = japan_time(until);
        parts.push(match lang {
            Lang::Ja => format!("ロック中（{until} まで）"),
            Lang::En => format!("locked until {until}"),
        });
    }
    if user.must_change_password {
        parts.push(tr(lang, "初回パスワード未変更", "must change password"));
    }
    if parts.is_empty() {
        return tr(lang, "有効", "active");
    }
    parts.join(if lang == Lang::Ja { "・" } else { ", " })
}

pub(super) fn user_row(lang: Lang, u: &UserInfo, names: &Names, now: DateTime<Utc>) -> UserRow {
    let pcs = if u.pcs.is_empty() {
        tr(lang, "どのPCでも", "any PC")
    } else {
        u.pcs
            .iter()
            .map(|id| {
                names
                    .pcs
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| format!("#{id}"))
            })
            .collect::<Vec<_>>()
            .join(if lang == Lang::Ja { "・" } else { ", " })
    };
    let extra: Vec<String> = u
        .grants
        .iter()
        .filter(|p| !u.role.permissions().contains(p))
        .map(|p| permission_label(lang, *p))
        .collect();
    UserRow {
        login: u.login.as_str().into(),
        role: role_label(lang, u.role).into(),
        department: names.department(u.department).into(),
        scope: scope_text(lang, &u.scope, names).into(),
        pcs: pcs.into(),
        grants: if extra.is_empty() {
            "—".into()
        } else {
            extra
                .join(if lang == Lang::Ja { "・" } else { ", " })
                .into()
        },
        status: status_text(lang, u, now).into(),
        attention: u.disabled || locked_until(u, now).is_some(),
    }
}

pub(super) fn pc_row(p: &PcInfo, names: &Names, this_pc: Option<&str>) -> PcRow {
    PcRow {
        name: p.name.as_str().into(),
        department: names.department(p.department).into(),
        this_pc: this_pc == Some(p.name.as_str()),
    }
}
