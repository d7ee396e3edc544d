//! `kinko print FORM [--person CODE]... [--all] [--reveal] [--copies N] [--printer QUEUE]
//! [--out FILE.pdf]`.
//!
//! The engine makes the form and records it; here the people are found by code and the PDF
//! is delivered: to CUPS (`lp`, the default printer unless `--printer`), or with `--out` to a
//! file written atomically (a temporary file in the same directory, mode 0600, synced inside
//! the engine's transaction, and renamed into place once the print is recorded).

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

use kinko_domain::people::{PersonId, PersonKind};
use kinko_forms::FormKind;
use kinko_forms::cups::{PrintJob, submit};
use kinko_vault::{AuditQuery, PeopleQuery, PrintOutput, PrintRequest, Session, VaultError};

use crate::Ctx;
use crate::admin::japan_day_start;
use crate::cli::PrintArgs;
use crate::export::{Staged, parent};
use crate::input::Input;

pub fn print(ctx: &Ctx, input: &mut Input, a: PrintArgs) -> Result<()> {
    let form = FormKind::parse(&a.form).ok_or_else(|| {
        let names: Vec<&str> = FormKind::ALL.iter().map(|k| k.key()).collect();
        anyhow!("帳票「{}」はありません（{}）", a.form, names.join("・"))
    })?;
    check_flags(form, &a)?;
    if let Some(out) = &a.out {
        check_out_path(out)?;
    }
    let output = match (&a.out, &a.printer) {
        (Some(_), _) => PrintOutput::File,
        (None, printer) => PrintOutput::Printer(printer.clone().unwrap_or_default()),
    };
    let audit = (form == FormKind::AuditExtract)
        .then(|| audit_query(&a))
        .transpose()?;

    let mut session = ctx.login(input)?;
    let people = people(&mut session, form, &a)?;
    let request = PrintRequest {
        form,
        people,
        reveal_numbers: a.reveal,
        copies: a.copies.unwrap_or(1),
        output: output.clone(),
        audit,
    };
    let mut job_id = None;
    let printed = match &a.out {
        Some(out) => {
            let mut staged = Staged::default();
            let printed = session.print_form(&request, |pdf| Ok(staged.stage(out, &pdf.bytes)?))?;
            staged
                .finish()
                .context("PDFを置けませんでした（操作履歴には記録済みです）")?;
            printed
        }
        None => {
            let job = PrintJob {
                printer: a.printer.clone().filter(|p| !p.trim().is_empty()),
                copies: request.copies,
                title: form.ja().to_owned(),
            };
            session.print_form(&request, |pdf| {
                job_id = Some(submit(&pdf.bytes, &job).map_err(VaultError::Form)?);
                Ok(())
            })?
        }
    };

    if ctx.json {
        println!(
            "{}",
            json!({
                "ok": true,
                "form": form.key(),
                "pages": printed.pages,
                "people": printed.people,
                "copies": request.copies,
                "numbers_revealed": printed.numbers_revealed,
                "path": a.out,
                "job": job_id,
            })
        );
    } else if let Some(out) = &a.out {
        println!(
            "保存しました: {} {}ページ → {}",
            form.ja(),
            printed.pages,
            out.display()
        );
    } else {
        let job = job_id.map(|j| format!("、ジョブ {j}")).unwrap_or_default();
        println!(
            "印刷しました: {} {}ページ（{}部{job}）",
            form.ja(),
            printed.pages,
            request.copies
        );
    }
    Ok(())
}

/// Options that make no sense together or for this form.
fn check_flags(form: FormKind, a: &PrintArgs) -> Result<()> {
    if !form.is_about_people() && (a.all || a.reveal || !a.person.is_empty()) {
        bail!(
            "{}には --person・--all・--reveal は指定できません",
            form.ja()
        );
    }
    if a.all && !a.person.is_empty() {
        bail!("--all と --person は同時に指定できません");
    }
    if form != FormKind::AuditExtract
        && (a.action.is_some() || a.since.is_some() || a.limit.is_some())
    {
        bail!("--action・--since・--limit は audit-log にだけ指定できます");
    }
    if a.out.is_some() && (a.printer.is_some() || a.copies.is_some()) {
        bail!("--out（PDFに保存）と --printer・--copies は同時に指定できません");
    }
    Ok(())
}

/// The output file must be a file name in a directory that exists.
pub(crate) fn check_out_path(path: &Path) -> Result<()> {
    if path.file_name().is_none() || path.is_dir() {
        bail!(
            "{} はファイル名ではありません。保存するPDFのファイル名を指定してください",
            path.display()
        );
    }
    let dir = parent(path);
    if !dir.is_dir() {
        bail!("保存先のディレクトリ {} がありません", dir.display());
    }
    Ok(())
}

/// The people chosen by code, or everyone in scope with `--all`.
fn people(s: &mut Session, form: FormKind, a: &PrintArgs) -> Result<Vec<PersonId>> {
    if a.all && form != FormKind::Checklist {
        let everyone = s.list(&PeopleQuery::default())?;
        return Ok(everyone
            .into_iter()
            .filter(|p| p.kind != PersonKind::Family)
            .map(|p| p.id)
            .collect());
    }
    a.person.iter().map(|code| find(s, code)).collect()
}

/// An employee, else a payee, with `code`; an unknown or out-of-scope code is an error naming
/// the code (the same for both).
fn find(s: &mut Session, code: &str) -> Result<PersonId> {
    for kind in [PersonKind::Employee, PersonKind::Payee] {
        if let Some(id) = s.find_by_code(kind, code)? {
            return Ok(id);
        }
    }
    Err(anyhow!("コード「{code}」の人は見つかりません"))
}

/// The audit-log extract's filter. A date means from the start of that day in Japan.
fn audit_query(a: &PrintArgs) -> Result<AuditQuery> {
    let since = a
        .since
        .as_deref()
        .map(|d| japan_day_start(d, 0))
        .transpose()?;
    Ok(AuditQuery {
        action: a.action.clone(),
        since,
        limit: a.limit,
        ..AuditQuery::default()
    })
}
