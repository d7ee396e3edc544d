//! `kinko person …`, `kinko family …`, `kinko number …`.

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use serde_json::{Value, json};

use kinko_domain::number::{CorporateNumber, MyNumber};
use kinko_domain::people::{
    CollectionStatus, DependantType, EmploymentStatus, PayeeKind, PersonId, PersonKind,
    PersonalDetails, Role,
};
use kinko_domain::wareki::{format_ja, parse_date};
use kinko_vault::{NewPerson, PeopleQuery, PersonNumber, PersonSummary, PersonView, Session};

use crate::Ctx;
use crate::cli::{
    FamilyCommand, NumberCommand, PayeeAddArgs, PersonAddArgs, PersonCommand, PersonListArgs,
};
use crate::input::Input;

pub fn person(ctx: &Ctx, input: &mut Input, cmd: PersonCommand) -> Result<()> {
    match cmd {
        PersonCommand::Add(a) => add_employee(ctx, input, a),
        PersonCommand::AddPayee(a) => add_payee(ctx, input, a),
        PersonCommand::Delete(a) => crate::deletion::person_delete(ctx, input, a),
        PersonCommand::List(a) => list(ctx, input, a),
        PersonCommand::Show(a) => {
            let mut session = ctx.login(input)?;
            let id = find(&mut session, &a.code)?;
            show(ctx, &mut session, id, a.reveal)
        }
    }
}

pub fn family(ctx: &Ctx, input: &mut Input, cmd: FamilyCommand) -> Result<()> {
    let FamilyCommand::Add(a) = cmd;
    let dependant = match &a.dependant {
        Some(d) => DependantType::parse(d).ok_or_else(|| {
            anyhow!(
                "扶養区分「{d}」は使えません（{}）",
                labels(DependantType::ALL.iter().map(|d| d.ja()))
            )
        })?,
        None => DependantType::None,
    };
    let details = details(&a.name, &a.kana, a.birth.as_deref(), None)?;
    let mut session = ctx.login(input)?;
    let number = a
        .number
        .as_deref()
        .map(|n| my_number(input, n))
        .transpose()?;
    let employee = session
        .find_by_code(PersonKind::Employee, &a.employee)?
        .ok_or_else(|| anyhow!("社員コード「{}」の社員は見つかりません", a.employee))?;
    let id = session.add_person(NewPerson {
        role: Role::Family {
            employee,
            relation: a.relation,
            dependant,
        },
        details,
        number,
    })?;
    added(
        ctx,
        id,
        &format!(
            "家族を登録しました（社員コード {}、内部ID {}）",
            a.employee, id.0
        ),
    )
}

pub fn number(ctx: &Ctx, input: &mut Input, cmd: NumberCommand) -> Result<()> {
    let (code, number) = match cmd {
        NumberCommand::Set { code, number } => (code, number),
        NumberCommand::Delete(a) => return crate::deletion::number_delete(ctx, input, a),
    };
    let mut session = ctx.login(input)?;
    let id = find(&mut session, &code)?;
    let corporate = matches!(
        session.person(id)?.person.role,
        Role::Payee {
            kind: PayeeKind::Corporation,
            ..
        }
    );
    let number = if corporate {
        corporate_number(input, &number)?
    } else {
        my_number(input, &number)?
    };
    session.set_number(id, &number)?;
    ctx.done(&format!("コード {code} の番号を登録しました"))
}

fn add_employee(ctx: &Ctx, input: &mut Input, a: PersonAddArgs) -> Result<()> {
    let details = details(&a.name, &a.kana, a.birth.as_deref(), a.address)?;
    let hire_date = a.hired.as_deref().map(parse_date).transpose()?;
    let mut session = ctx.login(input)?;
    let number = a
        .number
        .as_deref()
        .map(|n| my_number(input, n))
        .transpose()?;
    let id = session.write(|w| {
        let department = a.dept.as_deref().map(|d| w.department(d)).transpose()?;
        w.add_person(NewPerson {
            role: Role::Employee {
                code: a.code.clone(),
                department,
                hire_date,
                retire_date: None,
                status: EmploymentStatus::Active,
            },
            details,
            number,
        })
    })?;
    added(
        ctx,
        id,
        &format!(
            "社員を登録しました（社員コード {}、内部ID {}）",
            a.code, id.0
        ),
    )
}

fn add_payee(ctx: &Ctx, input: &mut Input, a: PayeeAddArgs) -> Result<()> {
    let details = details(&a.name, &a.kana, None, None)?;
    let kind = if a.corporate {
        PayeeKind::Corporation
    } else {
        PayeeKind::Individual
    };
    let mut session = ctx.login(input)?;
    let number = match &a.number {
        Some(n) if a.corporate => Some(corporate_number(input, n)?),
        Some(n) => Some(my_number(input, n)?),
        None => None,
    };
    let id = session.add_person(NewPerson {
        role: Role::Payee {
            code: a.code.clone(),
            kind,
        },
        details,
        number,
    })?;
    added(
        ctx,
        id,
        &format!(
            "支払先を登録しました（支払先コード {}、内部ID {}）",
            a.code, id.0
        ),
    )
}

fn list(ctx: &Ctx, input: &mut Input, a: PersonListArgs) -> Result<()> {
    let mut session = ctx.login(input)?;
    let departments = session.departments()?;
    let department = match &a.dept {
        Some(name) => Some(
            departments
                .iter()
                .find(|(_, n)| n == name.trim())
                .map(|(id, _)| *id)
                .ok_or_else(|| anyhow!("部署「{name}」はありません"))?,
        ),
        None => None,
    };
    let query = PeopleQuery {
        text: a.search,
        kind: parse_label(
            a.kind.as_deref(),
            PersonKind::parse,
            "種別",
            PersonKind::ALL.iter().map(|k| k.ja()),
        )?,
        department,
        employment: parse_label(
            a.status.as_deref(),
            EmploymentStatus::parse,
            "在籍状況",
            EmploymentStatus::ALL.iter().map(|k| k.ja()),
        )?,
        collection: parse_label(
            a.collection.as_deref(),
            CollectionStatus::parse,
            "収集状況",
            CollectionStatus::ALL.iter().map(|k| k.ja()),
        )?,
    };
    let rows = session.list(&query)?;
    let dept_name = |s: &PersonSummary| {
        s.department
            .and_then(|d| departments.iter().find(|(id, _)| *id == d))
            .map_or("", |(_, n)| n.as_str())
    };
    if ctx.json {
        let out: Vec<Value> = rows
            .iter()
            .map(|s| {
                json!({
                    "id": s.id.0, "kind": s.kind.key(), "code": s.code, "name": s.name, "kana": s.kana,
                    "department": dept_name(s), "employee_id": s.employee.map(|e| e.0),
                    "employment": s.employment.map(|e| e.key()), "collection": s.collection.key(),
                    "number": s.has_number.then_some(MyNumber::MASKED_FULL),
                })
            })
            .collect();
        println!("{}", Value::Array(out));
        return Ok(());
    }
    println!("内部ID\t種別\tコード\t氏名\tフリガナ\t部署\t在籍\t収集状況\t個人番号");
    for s in &rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            s.id.0,
            s.kind.ja(),
            s.code.as_deref().unwrap_or("-"),
            s.name,
            s.kana,
            dept_name(s),
            s.employment.map_or("-", |e| e.ja()),
            s.collection.ja(),
            if s.has_number {
                MyNumber::MASKED_FULL
            } else {
                "未登録"
            },
        );
    }
    println!("{}件", rows.len());
    Ok(())
}

fn show(ctx: &Ctx, session: &mut Session, id: PersonId, reveal: bool) -> Result<()> {
    let view = session.person(id)?;
    let revealed = if reveal {
        session.reveal_number(id)?
    } else {
        None
    };
    let number_text = match (&revealed, &view.masked_number) {
        (Some(n), _) => spaced(n.expose_digits()),
        (None, Some(m)) => m.clone(),
        (None, None) => "未登録".into(),
    };
    let family = match view.person.role {
        Role::Employee { .. } => session.family_of(id)?,
        _ => Vec::new(),
    };
    let departments = session.departments()?;
    if ctx.json {
        let mut v = view_json(&view, &departments);
        v["number"] = json!(number_text);
        v["family"] = Value::Array(family.iter().map(|f| view_json(f, &departments)).collect());
        println!("{v}");
        return Ok(());
    }
    print_view(&view, &departments, &number_text);
    for f in &family {
        println!();
        print_view(
            f,
            &departments,
            f.masked_number.as_deref().unwrap_or("未登録"),
        );
    }
    Ok(())
}

fn print_view(
    view: &PersonView,
    departments: &[(kinko_domain::people::DepartmentId, String)],
    number: &str,
) {
    let p = &view.person;
    let d = &p.details;
    println!("内部ID: {}（{}）", view.id.0, p.role.kind().ja());
    match &p.role {
        Role::Employee {
            code,
            department,
            hire_date,
            retire_date,
            status,
        } => {
            println!("社員コード: {code}");
            let dept = department
                .and_then(|id| departments.iter().find(|(d, _)| *d == id))
                .map_or("-", |(_, n)| n.as_str());
            println!("部署: {dept}");
            println!("在籍: {}", status.ja());
            println!("入社日: {}", date_text(*hire_date));
            println!("退職日: {}", date_text(*retire_date));
        }
        Role::Family {
            relation,
            dependant,
            ..
        } => {
            println!("続柄: {relation}");
            println!("扶養区分: {}", dependant.ja());
        }
        Role::Payee { code, kind } => {
            println!("支払先コード: {code}");
            println!("区分: {}", kind.ja());
        }
    }
    println!("氏名: {}", d.name);
    println!("フリガナ: {}", d.kana);
    println!("生年月日: {}", date_text(d.birth_date));
    println!("住所: {}", d.address.as_deref().unwrap_or("-"));
    println!("収集状況: {}", p.collection.ja());
    println!("番号: {number}");
}

fn view_json(
    view: &PersonView,
    departments: &[(kinko_domain::people::DepartmentId, String)],
) -> Value {
    let p = &view.person;
    let mut v = json!({
        "id": view.id.0, "kind": p.role.kind().key(), "name": p.details.name, "kana": p.details.kana,
        "birth_date": p.details.birth_date, "address": p.details.address, "collection": p.collection.key(),
        "number": view.masked_number,
    });
    match &p.role {
        Role::Employee {
            code,
            department,
            hire_date,
            retire_date,
            status,
        } => {
            v["code"] = json!(code);
            v["department"] = json!(
                department
                    .and_then(|id| departments.iter().find(|(d, _)| *d == id))
                    .map(|(_, n)| n)
            );
            v["employment"] = json!(status.key());
            v["hire_date"] = json!(hire_date);
            v["retire_date"] = json!(retire_date);
        }
        Role::Family {
            employee,
            relation,
            dependant,
        } => {
            v["employee_id"] = json!(employee.0);
            v["relation"] = json!(relation);
            v["dependant"] = json!(dependant.key());
        }
        Role::Payee { code, kind } => {
            v["code"] = json!(code);
            v["payee_kind"] = json!(kind.key());
        }
    }
    v
}

/// Finds an employee, else a payee, by code.
fn find(session: &mut Session, code: &str) -> Result<PersonId> {
    for kind in [PersonKind::Employee, PersonKind::Payee] {
        if let Some(id) = session.find_by_code(kind, code)? {
            return Ok(id);
        }
    }
    Err(anyhow!("コード「{code}」の人は見つかりません"))
}

fn details(
    name: &str,
    kana: &str,
    birth: Option<&str>,
    address: Option<String>,
) -> Result<PersonalDetails> {
    Ok(PersonalDetails {
        name: name.into(),
        kana: kana.into(),
        birth_date: birth.map(parse_date).transpose()?,
        address,
    })
}

fn my_number(input: &mut Input, arg: &str) -> Result<PersonNumber> {
    let text = input.number_arg(arg)?;
    Ok(PersonNumber::Individual(MyNumber::parse(&text)?))
}

fn corporate_number(input: &mut Input, arg: &str) -> Result<PersonNumber> {
    let text = input.number_arg(arg)?;
    Ok(PersonNumber::Corporate(CorporateNumber::parse(&text)?))
}

fn added(ctx: &Ctx, id: PersonId, message: &str) -> Result<()> {
    if ctx.json {
        println!("{}", json!({ "ok": true, "id": id.0 }));
    } else {
        println!("{message}");
    }
    Ok(())
}

fn parse_label<T>(
    s: Option<&str>,
    parse: fn(&str) -> Option<T>,
    what: &str,
    all: impl Iterator<Item = &'static str>,
) -> Result<Option<T>> {
    match s {
        Some(s) => parse(s)
            .map(Some)
            .ok_or_else(|| anyhow!("{what}「{s}」は使えません（{}）", labels(all))),
        None => Ok(None),
    }
}

fn labels(all: impl Iterator<Item = &'static str>) -> String {
    all.collect::<Vec<_>>().join("・")
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map_or("-".into(), |d| format!("{d}（{}）", format_ja(d)))
}

/// `123456789018` → `1234 5678 9018`; a 法人番号 keeps its check digit apart: `5 8356 7825 6246`.
fn spaced(digits: &str) -> String {
    let head = digits.len() % 4;
    let mut out = String::from(&digits[..head]);
    for (i, chunk) in digits.as_bytes()[head..].chunks(4).enumerate() {
        if i > 0 || head > 0 {
            out.push(' ');
        }
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    out
}
