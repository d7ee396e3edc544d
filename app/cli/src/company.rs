//! `kinko company show` and `kinko company set --name N [--corporate-number D] [--address A]
//! [--representative R] [--phone P]`: the firm printed on every form. `set` keeps what is not
//! given; an empty value clears a field.

use anyhow::Result;
use serde_json::json;

use kinko_domain::number::CorporateNumber;
use kinko_vault::Company;

use crate::Ctx;
use crate::cli::{CompanyArgs, CompanyCommand};
use crate::input::Input;

pub fn company(ctx: &Ctx, input: &mut Input, cmd: CompanyCommand) -> Result<()> {
    let mut s = ctx.login(input)?;
    match cmd {
        CompanyCommand::Show => show(ctx, &s.company()?),
        CompanyCommand::Set(a) => {
            let current = s.company()?;
            let company = merged(current, a)?;
            s.set_company(&company)?;
            ctx.done("会社の情報を設定しました")
        }
    }
}

/// The company as given on the command line (with `--company` / `--corporate-number` of
/// `kinko init`).
pub fn from_args(name: &str, corporate_number: Option<&str>) -> Result<Company> {
    Ok(Company {
        name: name.to_owned(),
        corporate_number: corporate(corporate_number)?,
        ..Company::default()
    }
    .normalized()?)
}

fn merged(current: Company, a: CompanyArgs) -> Result<Company> {
    let keep = |given: Option<String>, now: Option<String>| match given {
        Some(text) => (!text.trim().is_empty()).then_some(text),
        None => now,
    };
    let corporate_number = match a.corporate_number.as_deref() {
        Some(_) => corporate(a.corporate_number.as_deref())?,
        None => current.corporate_number,
    };
    Ok(Company {
        name: a.name,
        corporate_number,
        address: keep(a.address, current.address),
        representative: keep(a.representative, current.representative),
        phone: keep(a.phone, current.phone),
    }
    .normalized()?)
}

fn corporate(digits: Option<&str>) -> Result<Option<CorporateNumber>> {
    Ok(match digits {
        Some(d) if !d.trim().is_empty() => Some(CorporateNumber::parse(d)?),
        _ => None,
    })
}

fn show(ctx: &Ctx, c: &Company) -> Result<()> {
    let number = c.corporate_number.as_ref().map(|n| n.expose_digits());
    if ctx.json {
        println!(
            "{}",
            json!({
                "name": c.name,
                "corporate_number": number,
                "address": c.address,
                "representative": c.representative,
                "phone": c.phone,
            })
        );
        return Ok(());
    }
    let or_dash = |v: Option<&str>| v.unwrap_or("-").to_owned();
    println!("会社名: {}", c.display_name());
    println!("法人番号: {}", or_dash(number));
    println!("所在地: {}", or_dash(c.address.as_deref()));
    println!("代表者: {}", or_dash(c.representative.as_deref()));
    println!("電話番号: {}", or_dash(c.phone.as_deref()));
    Ok(())
}
