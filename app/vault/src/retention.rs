//! Retention in the vault (PRODUCT.md F10): the rules (in `settings`), the due list, and the
//! batch (year-end) deletion of everyone due.
//!
//! The rules are `kinko_domain::retention::RetentionRules` as JSON under the settings key
//! `retention` (not personal: in the clear); the defaults apply while none are stored. The due
//! list takes the people in the user's scope (the session's index), opens what the rules need
//! (a retired employee's retirement date, a payee's last-payment date) and keeps those whose
//! due date is on or before the given day. Family members follow their employee.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use kinko_domain::people::{EmploymentStatus, PersonId, PersonKind, Role};
use kinko_domain::retention::{DueAction, EmployeeFacts, PersonFacts, RetentionRules, due_date};

use crate::access::Permission;
use crate::audit::{Event, Outcome};
use crate::deletion::{DeletionSummary, Shredder, normalize_reason};
use crate::error::{VaultError, VaultResult};
use crate::people::{person_key, read_person};
use crate::session::Session;

const SETTINGS_KEY: &str = "retention";

/// One person due for deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub person: PersonId,
    pub kind: PersonKind,
    /// The employee or payee code; for a family member, their employee's code.
    pub code: Option<String>,
    pub name: String,
    /// A family member's employee.
    pub employee: Option<PersonId>,
    /// The first day the deletion is allowed.
    pub due_on: NaiveDate,
    /// What the rules delete.
    pub what: DueAction,
    pub has_number: bool,
}

impl Session {
    /// The retention rules in force (the defaults if none were set). Not personal: not logged.
    pub fn retention_rules(&self) -> VaultResult<RetentionRules> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [SETTINGS_KEY],
                |r| r.get(0),
            )
            .optional()?;
        match json {
            None => Ok(RetentionRules::default()),
            Some(j) => serde_json::from_str::<RetentionRules>(&j)
                .ok()
                .filter(RetentionRules::is_valid)
                .ok_or(VaultError::Tampered {
                    place: "settings.retention",
                }),
        }
    }

    /// Changes the retention rules (needs the settings permission; logged as
    /// `settings.retention` with the values, which are not personal).
    pub fn set_retention_rules(&mut self, rules: &RetentionRules) -> VaultResult<()> {
        if !rules.is_valid() {
            return Err(VaultError::BadRetentionRules);
        }
        let json = serde_json::to_string(rules).map_err(|_| VaultError::Crypto("serialize"))?;
        let detail = format!(
            "retiree={}y/{} payee={}y/{} action={}",
            rules.retiree.years,
            rules.retiree.start_text(),
            rules.payee.years,
            rules.payee.start_text(),
            rules.action.key()
        );
        self.admin_write(Permission::Settings, "settings.retention", |_, tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![SETTINGS_KEY, json],
            )?;
            Ok((0, detail))
        })?;
        Ok(())
    }

    /// Everyone in scope due for deletion on `on` (due date on or before it), by due date then
    /// internal ID. Needs the list permission; logged as one `retention.due` entry with the
    /// count.
    pub fn retention_due(&mut self, on: NaiveDate) -> VaultResult<Vec<DueItem>> {
        self.ready()?;
        if !self.access().allows(Permission::ViewList) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok("retention.due", None, Permission::ViewList.key())
            })?;
            return Err(VaultError::Denied);
        }
        let items = self.due_items(on)?;
        self.log(Event::ok(
            "retention.due",
            None,
            format!("on={on} results={}", items.len()),
        ))?;
        self.touch();
        Ok(items)
    }

    /// Deletes everyone in scope due on `on`, as the rules say (whole person or number only),
    /// in one transaction with one re-key; each person gets their audit entry and register
    /// row, and the batch one `retention.delete_batch` entry and a batch row. Needs the delete
    /// permission. Nobody due: nothing is changed and nothing re-keyed.
    pub fn delete_due(&mut self, on: NaiveDate, reason: &str) -> VaultResult<DeletionSummary> {
        self.ready()?;
        if !self.access().allows(Permission::Delete) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok("retention.delete_batch", None, Permission::Delete.key())
            })?;
            return Err(VaultError::Denied);
        }
        let items = self.due_items(on)?;
        if items.is_empty() {
            // Nothing due: nothing changed, nothing re-keyed; the attempt is logged.
            self.write(|w| {
                w.begin(Permission::Delete, "retention.delete_batch", None)?;
                normalize_reason(reason)?;
                w.log(
                    "retention.delete_batch",
                    None,
                    format!("on={on} people=0 numbers=0"),
                )
            })?;
            return Ok(DeletionSummary {
                epoch: self.keys()?.epoch,
                ..DeletionSummary::default()
            });
        }
        let done = self.write(|w| {
            w.begin(Permission::Delete, "retention.delete_batch", None)?;
            let reason = normalize_reason(reason)?;
            let mut s = Shredder::default();
            for item in &items {
                let exists: bool = w.tx().query_row(
                    "SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1)",
                    [item.person.0],
                    |r| r.get(0),
                )?;
                if !exists {
                    continue; // went with their employee
                }
                w.require_in_scope(item.person)?;
                match item.what {
                    DueAction::WholePerson => s.delete_person(w, item.person)?,
                    DueAction::NumberOnly => s.delete_number(w, item.person)?,
                }
            }
            s.finish(w, &reason, Some(on))
        });
        self.after_deletion(done)
    }

    /// The due list without the gate (callers check and log).
    fn due_items(&mut self, on: NaiveDate) -> VaultResult<Vec<DueItem>> {
        let rules = self.retention_rules()?;
        let people: Vec<_> = self.index()?.summaries().cloned().collect();
        let keys = self.keys()?;
        let mut employees: HashMap<i64, (EmployeeFacts, Option<String>)> = HashMap::new();
        let mut facts_of = |id: PersonId,
                            status: EmploymentStatus,
                            code: Option<String>|
         -> VaultResult<EmployeeFacts> {
            if let Some((f, _)) = employees.get(&id.0) {
                return Ok(*f);
            }
            // Only a retiree's date matters: nobody else's profile is opened.
            let retire_date = if status == EmploymentStatus::Retired {
                let (kind, pkey) = person_key(&self.conn, keys, id)?;
                match read_person(&self.conn, keys, id, kind, &pkey)?.role {
                    Role::Employee { retire_date, .. } => retire_date,
                    _ => None,
                }
            } else {
                None
            };
            let f = EmployeeFacts {
                status,
                retire_date,
            };
            employees.insert(id.0, (f, code));
            Ok(f)
        };
        let by_id: HashMap<i64, usize> = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.0, i))
            .collect();
        let mut out = Vec::new();
        for p in &people {
            let (facts, code) = match p.kind {
                PersonKind::Employee => {
                    let status = p.employment.unwrap_or(EmploymentStatus::Active);
                    let f = facts_of(p.id, status, p.code.clone())?;
                    (PersonFacts::Employee(f), p.code.clone())
                }
                PersonKind::Family => {
                    let Some(e) = p
                        .employee
                        .and_then(|e| by_id.get(&e.0))
                        .map(|i| &people[*i])
                    else {
                        continue;
                    };
                    let status = e.employment.unwrap_or(EmploymentStatus::Active);
                    let f = facts_of(e.id, status, e.code.clone())?;
                    (PersonFacts::Family { employee: f }, e.code.clone())
                }
                PersonKind::Payee => {
                    let last_payment = self.last_payment(p.id)?;
                    (PersonFacts::Payee { last_payment }, p.code.clone())
                }
            };
            let Some(due_on) = due_date(&facts, &rules) else {
                continue;
            };
            if due_on > on || (rules.action == DueAction::NumberOnly && !p.has_number) {
                continue;
            }
            out.push(DueItem {
                person: p.id,
                kind: p.kind,
                code,
                name: p.name.clone(),
                employee: p.employee,
                due_on,
                what: rules.action,
                has_number: p.has_number,
            });
        }
        out.sort_by_key(|i| (i.due_on, i.person));
        Ok(out)
    }

    /// A payee's last-payment date, without the gate.
    fn last_payment(&self, id: PersonId) -> VaultResult<Option<NaiveDate>> {
        let sealed: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT sealed FROM payee_payments WHERE person_id = ?1",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let keys = self.keys()?;
        let (_, pkey) = person_key(&self.conn, keys, id)?;
        let plain = pkey.open(&crate::deletion::payment_aad(keys, id.0), &sealed)?;
        let bad = || VaultError::Tampered {
            place: "payee_payments.sealed",
        };
        let text = std::str::from_utf8(&plain).map_err(|_| bad())?;
        Ok(Some(text.parse().map_err(|_| bad())?))
    }
}
