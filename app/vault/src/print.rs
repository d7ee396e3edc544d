//! Printing forms and records (PRODUCT.md F9): the gate, the model, the renderer, and the
//! audit entry in one transaction with the delivery.
//!
//! Rules:
//!
//! - Every form needs [`Permission::Print`]. The forms about people also need
//!   [`Permission::ViewPerson`] (they print personal details); revealing the numbers on the
//!   checklist needs [`Permission::RevealNumber`]; the audit seal, the audit-log extract and the
//!   sessions report need [`Permission::ReadAudit`]; the take-out register needs
//!   [`Permission::Export`] or [`Permission::ReadAudit`]. A refusal is logged.
//! - A chosen person out of scope is answered exactly like a missing one
//!   ([`VaultError::UnknownPerson`]). Family members follow their employee; a family member
//!   cannot be chosen alone ([`VaultError::FamilyChosen`]).
//! - Numbers are printed masked, except on a checklist asked to reveal them; no other form
//!   takes them in full ([`VaultError::RevealNotAllowed`]).
//! - The form is rendered first; then one immediate transaction appends the entry
//!   (`form.print`, `form.save` or `form.preview` by [`PrintOutput`]; detail
//!   `form=<key> copies=<n>` and, for people, `numbers=masked|revealed people=<ID ranges>`;
//!   target the person when there is exactly one), plus a `number.reveal` entry for a revealed
//!   checklist, runs the caller's `deliver` and commits. If `deliver` fails, nothing is
//!   recorded as printed and the failure is logged after the rollback.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

use kinko_domain::people::PersonId;
use kinko_forms::cups::MAX_COPIES;
use kinko_forms::{FormError, FormKind, Issue, Pdf};

use crate::access::Permission;
use crate::audit::{AuditQuery, Event, Outcome};
use crate::company::Company;
use crate::error::{VaultError, VaultResult};
use crate::print_model::FormModel;
use crate::session::Session;

/// Where a form goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintOutput {
    /// To a printer: the CUPS queue, or empty for the default printer.
    Printer(String),
    /// Saved as a PDF file (on an authorised medium).
    File,
    /// Shown on screen.
    Preview,
}

impl PrintOutput {
    /// The log's action for this output.
    pub fn action(&self) -> &'static str {
        match self {
            PrintOutput::Printer(_) => "form.print",
            PrintOutput::File => "form.save",
            PrintOutput::Preview => "form.preview",
        }
    }
}

/// What to print.
#[derive(Debug, Clone)]
pub struct PrintRequest {
    pub form: FormKind,
    /// For the forms about people: the chosen employees and payees (their family follow).
    /// Empty means everyone in scope for the checklist, and is refused
    /// ([`VaultError::NoPeopleChosen`]) for the per-person forms.
    pub people: Vec<PersonId>,
    /// Print the numbers in full (the checklist only; needs the reveal permission).
    pub reveal_numbers: bool,
    /// 1 to [`MAX_COPIES`].
    pub copies: u32,
    pub output: PrintOutput,
    /// Which entries the audit-log extract holds (default: all).
    pub audit: Option<AuditQuery>,
}

impl PrintRequest {
    /// One masked copy of `form` for nobody in particular (everyone, for the checklist).
    pub fn new(form: FormKind, output: PrintOutput) -> PrintRequest {
        PrintRequest {
            form,
            people: Vec::new(),
            reveal_numbers: false,
            copies: 1,
            output,
            audit: None,
        }
    }
}

/// A form made and delivered.
#[derive(Debug)]
pub struct Printed {
    pub form: FormKind,
    /// The PDF as delivered (wiped when dropped).
    pub pdf: Pdf,
    pub pages: usize,
    /// How many people it shows (family members included).
    pub people: usize,
    pub numbers_revealed: bool,
    /// The sequence number of its log entry.
    pub audit_seq: i64,
}

/// Renders `model` as `form`.
type Render<'a> = dyn FnOnce(FormKind, &Issue, &FormModel) -> Result<Pdf, FormError> + 'a;

impl Session {
    /// Makes `req.form` (see the module docs) and hands it to `deliver` inside the transaction
    /// that records it: to write it to a file (a temporary one, synced, renamed after this
    /// returns), send it to the printer, or show it.
    ///
    /// # Errors
    ///
    /// [`VaultError::Denied`] without the permissions, [`VaultError::UnknownPerson`] for a
    /// chosen person who is missing or out of scope, [`VaultError::FamilyChosen`],
    /// [`VaultError::NoPeopleChosen`], [`VaultError::RevealNotAllowed`],
    /// [`VaultError::BadCopies`], [`VaultError::Form`] when the form cannot be made, whatever
    /// `deliver` returns, and the store's errors.
    pub fn print_form(
        &mut self,
        req: &PrintRequest,
        deliver: impl FnOnce(&Pdf) -> VaultResult<()>,
    ) -> VaultResult<Printed> {
        self.print_form_with(req, Box::new(render), deliver)
    }

    /// As [`Session::print_form`] with the renderer given (tests use a stand-in).
    pub(crate) fn print_form_with(
        &mut self,
        req: &PrintRequest,
        render: Box<Render<'_>>,
        deliver: impl FnOnce(&Pdf) -> VaultResult<()>,
    ) -> VaultResult<Printed> {
        self.ready()?;
        let action = req.output.action();
        let target = match req.people.as_slice() {
            [one] => Some(("person", one.0)),
            _ => None,
        };
        let key = req.form.key();
        if let Some(perm) = self.missing_permission(req) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok(
                    action,
                    target,
                    format!("form={key} permission={}", perm.key()),
                )
            })?;
            return Err(VaultError::Denied);
        }
        let mut out_of_scope = false;
        match self.print_inner(req, render, deliver, &mut out_of_scope) {
            Ok(printed) => {
                self.touch();
                Ok(printed)
            }
            Err(e) => {
                let (outcome, detail) = if out_of_scope {
                    (Outcome::Denied, format!("form={key} reason=out_of_scope"))
                } else {
                    (Outcome::Error, format!("form={key} error={}", e.key()))
                };
                self.log(Event {
                    outcome,
                    ..Event::ok(action, target, detail)
                })?;
                Err(e)
            }
        }
    }

    /// The first permission `req` needs that this user lacks.
    fn missing_permission(&self, req: &PrintRequest) -> Option<Permission> {
        let a = self.access();
        let mut needed = vec![Permission::Print];
        match req.form {
            FormKind::AuditSeal | FormKind::AuditExtract | FormKind::Sessions => {
                needed.push(Permission::ReadAudit);
            }
            FormKind::Takeouts => {
                if !a.allows(Permission::Export) {
                    needed.push(Permission::ReadAudit);
                }
            }
            _ => {
                needed.push(Permission::ViewPerson);
                if req.reveal_numbers && req.form == FormKind::Checklist {
                    needed.push(Permission::RevealNumber);
                }
            }
        }
        needed.into_iter().find(|p| !a.allows(*p))
    }

    fn print_inner(
        &mut self,
        req: &PrintRequest,
        render: Box<Render<'_>>,
        deliver: impl FnOnce(&Pdf) -> VaultResult<()>,
        out_of_scope: &mut bool,
    ) -> VaultResult<Printed> {
        if !(1..=MAX_COPIES).contains(&req.copies) {
            return Err(VaultError::BadCopies { max: MAX_COPIES });
        }
        let revealed = req.reveal_numbers && req.form == FormKind::Checklist;
        if req.reveal_numbers && !revealed {
            return Err(VaultError::RevealNotAllowed {
                form: req.form.ja(),
            });
        }
        let issue = Issue {
            firm: self.company()?.firm(),
            created: japan_datetime(self.clock_reading().now),
            issued_by: self.login().to_owned(),
        };
        let gathered = self.gather_form(req, out_of_scope)?;
        let pdf = render(req.form, &issue, &gathered.model)?;
        drop(gathered.model);
        let ids = gathered.people;
        let target = match ids.as_slice() {
            [one] => Some(("person", *one)),
            _ => None,
        };
        let key = req.form.key();
        let mut detail = format!("form={key} copies={}", req.copies);
        if req.form.is_about_people() {
            let numbers = if revealed { "revealed" } else { "masked" };
            detail.push_str(&format!(" numbers={numbers} people={}", id_ranges(&ids)));
        }

        let tx = self.immediate()?;
        let seq = self.append(&tx, &Event::ok(req.output.action(), target, detail))?;
        if revealed {
            let detail = format!("form={key} people={}", id_ranges(&ids));
            self.append(&tx, &Event::ok("number.reveal", target, detail))?;
        }
        deliver(&pdf)?;
        tx.commit()?;
        Ok(Printed {
            form: req.form,
            pages: pdf.pages,
            pdf,
            people: ids.len(),
            numbers_revealed: revealed,
            audit_seq: seq,
        })
    }
}

/// The real renderers of kinko-forms.
fn render(form: FormKind, issue: &Issue, model: &FormModel) -> Result<Pdf, FormError> {
    use kinko_forms::{collection as c, records as r};
    match (form, model) {
        (FormKind::Application, FormModel::Households(h)) => c::application(issue, h, &[]),
        (FormKind::Notice, FormModel::Households(h)) => c::notice(issue, h),
        (FormKind::Receipt, FormModel::Households(h)) => c::receipt(issue, h),
        (FormKind::Refusal, FormModel::Households(h)) => c::refusal(issue, h),
        (FormKind::Checklist, FormModel::Checklist { people, revealed }) => {
            c::checklist(issue, people, *revealed)
        }
        (FormKind::AuditSeal, FormModel::Seal(s)) => r::audit_seal(issue, s),
        (FormKind::AuditExtract, FormModel::Audit { filter, lines }) => {
            r::audit_extract(issue, filter, lines)
        }
        (FormKind::Sessions, FormModel::Sessions(l)) => r::sessions_report(issue, l),
        (FormKind::Takeouts, FormModel::Takeouts(l)) => r::takeout_register(issue, l),
        _ => Err(FormError::Pdf("the model does not fit the form".into())),
    }
}

/// The recovery-code sheet printed at set-up. Pure: nothing is logged (the code must never
/// be), nothing is stored; the caller writes or prints the PDF.
pub fn recovery_sheet_pdf(
    company: &Company,
    admin: &str,
    code: &str,
    now: DateTime<Utc>,
) -> VaultResult<Pdf> {
    Ok(kinko_forms::records::recovery_sheet(
        &company.firm(),
        japan_datetime(now),
        admin,
        code,
    )?)
}

/// A UTC time as a Japan-time (UTC+9) wall time.
pub fn japan_datetime(t: DateTime<Utc>) -> NaiveDateTime {
    let jst =
        FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| unreachable!("+09:00 is a valid offset"));
    t.with_timezone(&jst).naive_local()
}

/// Sorted IDs as compact ranges: `3-7,9,12` (`-` for none).
pub(crate) fn id_ranges(ids: &[i64]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let start = ids[i];
        let mut end = start;
        while i + 1 < ids.len() && ids[i + 1] == end + 1 {
            i += 1;
            end = ids[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(",")
    }
}

#[cfg(test)]
#[path = "print_tests.rs"]
mod tests;
