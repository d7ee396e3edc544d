//! What a print is filled with: the kinko-forms model gathered from the vault, after the
//! gate in `print.rs` has checked the permissions.
//!
//! People are read without a log entry each (the print's one `form.*` entry names them all by
//! internal ID); a chosen person out of scope is answered exactly like a missing one. Numbers
//! come masked, except on a checklist whose numbers were asked to be revealed. The record
//! forms reuse the session's own audit and register reads, which log themselves.

use std::collections::HashMap;

use zeroize::Zeroizing;

use kinko_domain::lang::Lang;
use kinko_domain::people::{PersonId, PersonKind, Role};
use kinko_forms::{
    AuditLine, FormKind, FormPerson, Household, NumberShown, SealSheet, SessionLine, TakeoutLine,
    Verification,
};

use crate::audit::AuditQuery;
use crate::audit_words;
use crate::auth::japan_time;
use crate::error::{VaultError, VaultResult};
use crate::people::{person_key, read_person, scope_facts};
use crate::print::PrintRequest;
use crate::records::PersonRecord;
use crate::session::Session;

/// The model of one form, as the renderer takes it.
#[derive(Debug, Clone)]
pub(crate) enum FormModel {
    /// The per-person collection forms: one household (an employee with their family, or a
    /// payee) each.
    Households(Vec<Household>),
    /// The checklist: each employee followed by their family, then the payees.
    Checklist {
        people: Vec<FormPerson>,
        revealed: bool,
    },
    Seal(SealSheet),
    Audit {
        filter: String,
        lines: Vec<AuditLine>,
    },
    Sessions(Vec<SessionLine>),
    Takeouts(Vec<TakeoutLine>),
}

/// A gathered model and the internal IDs of the people on it (for the log).
pub(crate) struct Gathered {
    pub model: FormModel,
    pub people: Vec<i64>,
}

/// Names the forms print in place of IDs.
struct Names {
    departments: HashMap<i64, String>,
    users: HashMap<i64, String>,
}

/// One household as read, with what sorts it.
struct Read {
    order: (u8, CodeKey),
    ids: Vec<i64>,
    household: Household,
}

impl Session {
    /// The model of `req.form`. `out_of_scope` is set when a chosen person exists but lies
    /// outside the user's scope (the error is then [`VaultError::UnknownPerson`], as for a
    /// missing one).
    pub(crate) fn gather_form(
        &mut self,
        req: &PrintRequest,
        out_of_scope: &mut bool,
    ) -> VaultResult<Gathered> {
        let people = |model| Gathered {
            model,
            people: Vec::new(),
        };
        match req.form {
            FormKind::AuditSeal => Ok(people(FormModel::Seal(self.seal_sheet()?))),
            FormKind::AuditExtract => {
                let (filter, lines) = self.audit_lines(&req.audit.clone().unwrap_or_default())?;
                Ok(people(FormModel::Audit { filter, lines }))
            }
            FormKind::Sessions => Ok(people(FormModel::Sessions(self.session_lines()?))),
            FormKind::Takeouts => Ok(people(FormModel::Takeouts(self.takeout_lines()?))),
            _ => self.gather_people(req, out_of_scope),
        }
    }

    fn gather_people(
        &mut self,
        req: &PrintRequest,
        out_of_scope: &mut bool,
    ) -> VaultResult<Gathered> {
        let checklist = req.form == FormKind::Checklist;
        let heads: Vec<PersonId> = if req.people.is_empty() {
            if !checklist {
                return Err(VaultError::NoPeopleChosen);
            }
            self.index()?
                .summaries()
                .filter(|s| s.kind != PersonKind::Family)
                .map(|s| s.id)
                .collect()
        } else {
            let mut ids = req.people.clone();
            ids.sort_unstable();
            ids.dedup();
            for id in &ids {
                self.check_head(*id, out_of_scope)?;
            }
            ids
        };
        let reveal = checklist && req.reveal_numbers;
        let names = Names {
            departments: self
                .departments()?
                .into_iter()
                .map(|(id, name)| (id.0, name))
                .collect(),
            users: self.user_logins()?,
        };
        let mut read = Vec::with_capacity(heads.len());
        for id in heads {
            read.push(self.read_household(id, reveal, &names)?);
        }
        read.sort_by(|a, b| a.order.cmp(&b.order));
        let mut ids: Vec<i64> = read.iter().flat_map(|r| r.ids.iter().copied()).collect();
        ids.sort_unstable();
        let model = if checklist {
            FormModel::Checklist {
                people: read
                    .into_iter()
                    .flat_map(|r| std::iter::once(r.household.person).chain(r.household.family))
                    .collect(),
                revealed: reveal,
            }
        } else {
            FormModel::Households(read.into_iter().map(|r| r.household).collect())
        };
        Ok(Gathered { model, people: ids })
    }

    /// A chosen person must exist, be in scope, and be an employee or a payee.
    fn check_head(&self, id: PersonId, out_of_scope: &mut bool) -> VaultResult<()> {
        let facts = scope_facts(&self.conn, self.keys()?, id)?;
        if !facts.within(&self.access().scope) {
            *out_of_scope = true;
            return Err(VaultError::UnknownPerson(id.0));
        }
        if facts.kind == PersonKind::Family {
            return Err(VaultError::FamilyChosen(id.0));
        }
        Ok(())
    }

    fn read_household(&self, id: PersonId, reveal: bool, names: &Names) -> VaultResult<Read> {
        let (person, role) = self.form_person(id, reveal, names)?;
        let mut ids = vec![id.0];
        let mut family = Vec::new();
        if person.kind == PersonKind::Employee {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM persons WHERE employee_id = ?1 ORDER BY id")?;
            let members: Vec<i64> = stmt
                .query_map([id.0], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for m in members {
                family.push(self.form_person(PersonId(m), reveal, names)?.0);
                ids.push(m);
            }
        }
        let rank = u8::from(!matches!(role, Role::Employee { .. }));
        Ok(Read {
            order: (rank, CodeKey::new(role.code().unwrap_or_default())),
            ids,
            household: Household { person, family },
        })
    }

    /// One person as the forms show them; the number masked unless `reveal`.
    fn form_person(
        &self,
        id: PersonId,
        reveal: bool,
        names: &Names,
    ) -> VaultResult<(FormPerson, Role)> {
        let keys = self.keys()?;
        let (kind, pkey) = person_key(&self.conn, keys, id)?;
        let p = read_person(&self.conn, keys, id, kind, &pkey)?;
        let number = match self.open_number(id, &pkey)? {
            None => NumberShown::None,
            Some(n) if reveal => NumberShown::Full(Zeroizing::new(n.expose_digits().to_owned())),
            Some(n) => NumberShown::Masked(n.masked()),
        };
        let mut history = Vec::new();
        let mut verifications = Vec::new();
        let mut purposes: Option<(chrono::NaiveDate, Vec<String>)> = None;
        for record in self.read_records(id)? {
            match record {
                PersonRecord::Collection(e) => history.push(e),
                PersonRecord::Verification(v) => verifications.push(Verification {
                    checked_by: names
                        .users
                        .get(&v.checked_by.0)
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", v.checked_by.0)),
                    number_document: v.number_document,
                    identity_documents: v.identity_documents,
                    method: v.method,
                    responsible: v.responsible,
                    checked_on: v.checked_on,
                }),
                PersonRecord::Purpose(n) => {
                    if purposes.as_ref().is_none_or(|(on, _)| n.notified_on >= *on) {
                        purposes = Some((n.notified_on, n.purposes));
                    }
                }
                PersonRecord::Approval(_) => {}
            }
        }
        let (department, relation, dependant) = match &p.role {
            Role::Employee { department, .. } => (
                department.and_then(|d| names.departments.get(&d.0).cloned()),
                None,
                None,
            ),
            Role::Family {
                relation,
                dependant,
                ..
            } => (None, Some(relation.clone()), Some(*dependant)),
            Role::Payee { .. } => (None, None, None),
        };
        let person = FormPerson {
            kind,
            code: p.role.code().map(str::to_owned),
            name: p.details.name,
            kana: p.details.kana,
            birth_date: p.details.birth_date,
            department,
            relation,
            dependant,
            collection: p.collection,
            number,
            history,
            verifications,
            purposes,
        };
        Ok((person, p.role))
    }

    fn user_logins(&self) -> VaultResult<HashMap<i64, String>> {
        let mut stmt = self.conn.prepare("SELECT id, login FROM users")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Verifies the log, then seals it (both logged by the session's own methods).
    fn seal_sheet(&mut self) -> VaultResult<SealSheet> {
        let report = self.audit_verify(None)?;
        let seal = self.audit_seal()?;
        let (entries, head_at): (i64, Option<String>) = self.conn.query_row(
            "SELECT count(*), (SELECT at FROM audit_log WHERE seq = ?1)
             FROM audit_log WHERE seq <= ?1",
            [seal.seq],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let verified = match &report.problem {
            None => format!(
                "改ざんは見つかりませんでした（{}件を検査、最後は #{}）",
                report.entries, report.head
            ),
            Some(p) => format!("問題が見つかりました: {p}"),
        };
        let code = &seal.code;
        let split = code.len() / 2;
        Ok(SealSheet {
            seq: seal.seq,
            entries,
            code: format!("{}-{}-{}", seal.seq, &code[..split], &code[split..]),
            head_at: head_at.as_deref().map(jst).unwrap_or_default(),
            verified,
        })
    }

    fn audit_lines(&mut self, query: &AuditQuery) -> VaultResult<(String, Vec<AuditLine>)> {
        let names = self.audit_names()?;
        let entries = self.audit_list(query)?;
        let mut filter = Vec::new();
        if let Some(u) = query.user {
            let user = names
                .users
                .get(&u)
                .cloned()
                .unwrap_or_else(|| format!("#{u}"));
            filter.push(format!("ユーザー {user}"));
        }
        if let Some(a) = &query.action {
            filter.push(format!("操作「{}」", audit_words::family(Lang::Ja, a)));
        }
        if let Some(s) = &query.since {
            filter.push(format!("{} 以降", jst(s)));
        }
        if let Some(n) = query.limit {
            filter.push(format!("最新{n}件"));
        }
        let filter = if filter.is_empty() {
            format!("すべての操作履歴（{}件）", entries.len())
        } else {
            format!("{}（{}件）", filter.join("、"), entries.len())
        };
        let lines = entries
            .into_iter()
            .map(|e| AuditLine {
                seq: e.seq,
                at: jst(&e.at),
                user: e
                    .actor
                    .user
                    .and_then(|u| names.users.get(&u).cloned())
                    .unwrap_or_else(|| "-".into()),
                pc: e
                    .actor
                    .pc
                    .and_then(|p| names.pcs.get(&p).cloned())
                    .unwrap_or_else(|| "未登録のPC".into()),
                target: match (e.target_kind, e.target_id) {
                    (Some(k), Some(id)) => format!("{k}:{id}"),
                    _ => "-".into(),
                },
                action: audit_words::action(Lang::Ja, &e.action),
                outcome: e.outcome.ja().into(),
                detail: audit_words::detail(Lang::Ja, &e.detail),
            })
            .collect();
        Ok((filter, lines))
    }

    fn session_lines(&mut self) -> VaultResult<Vec<SessionLine>> {
        Ok(self
            .audit_sessions()?
            .into_iter()
            .map(|r| SessionLine {
                user: r.login,
                department: r.department.unwrap_or_else(|| "-".into()),
                pc: r.pc.unwrap_or_else(|| "未登録のPC".into()),
                from: jst(&r.started_at),
                to: r.ended_at.as_deref().map(jst).unwrap_or_else(|| "-".into()),
                duration: r.seconds.map_or_else(
                    || "-".into(),
                    |s| format!("{}時間{}分{}秒", s / 3600, s % 3600 / 60, s % 60),
                ),
                how_ended: how_ended(r.end_reason.as_deref()).into(),
            })
            .collect())
    }

    fn takeout_lines(&mut self) -> VaultResult<Vec<TakeoutLine>> {
        Ok(self
            .takeouts()?
            .into_iter()
            .map(|t| TakeoutLine {
                id: t.id,
                at: jst(&t.at),
                user: t.user,
                what: t.what,
                people: t.people,
                purpose: t.purpose,
                destination: t.destination,
            })
            .collect())
    }
}

/// A stored UTC time in Japan time (`2026-04-01 09:30`); as stored if it does not parse.
fn jst(t: &str) -> String {
    t.parse().map(japan_time).unwrap_or_else(|_| t.to_owned())
}

fn how_ended(reason: Option<&str>) -> &str {
    match reason {
        None => "（終了記録なし）",
        Some("logout") => "ログアウト",
        Some("closed") => "終了",
        Some("logout_while_locked") => "ログアウト（ロック中）",
        Some("closed_while_locked") => "終了（ロック中）",
        Some(other) => other,
    }
}

/// How codes sort: digit-only codes by value (then by length), others after them as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct CodeKey(u8, usize, String);

impl CodeKey {
    fn new(code: &str) -> CodeKey {
        let digits = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
        if digits {
            let trimmed = code.trim_start_matches('0');
            CodeKey(0, trimmed.len(), format!("{trimmed}\u{0}{code}"))
        } else {
            CodeKey(1, 0, code.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_sort_by_value_then_as_text() {
        let mut codes = vec!["10", "0002", "A1", "9", "002", "B", "0010"];
        codes.sort_by_key(|c| CodeKey::new(c));
        assert_eq!(codes, ["0002", "002", "9", "0010", "10", "A1", "B"]);
    }
}
