//! A throw-away demo vault for `--demo`, screenshots and tests: the fictional firm of
//! `kinko_vault::demo`, a few collection steps taken, and demo users for each role. Everything
//! is done through the engine's public API, exactly as an administrator would.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kinko_domain::people::{CollectionStatus, PersonKind};
use kinko_vault::{
    Clock, Company, KdfParams, NewUser, PcIdentity, PeopleQuery, Scope, UserRole, Vault,
    VaultResult,
};

/// The password of every demo account.
pub const PASSWORD: &str = "demo-pass-2026";
/// The set-up account (every permission).
pub const ADMIN: &str = "kanri";
/// 事務取扱担当者.
pub const CLERK: &str = "tanto";
/// 事務取扱責任者.
pub const MANAGER: &str = "sekinin";
/// 監査.
pub const AUDITOR: &str = "kansa";
/// A clerk who may only use the 経理部 PC (so logging in here is refused).
pub const OTHER_PC_CLERK: &str = "keiri";
/// The registered name of the PC the demo runs on.
pub const PC_NAME: &str = "総務部　事務用PC";
/// The firm.
pub const COMPANY: &str = "株式会社さくら商事（デモ）";

/// Creates the demo vault in `dir` (which must not hold one) with `employees` employees,
/// their families and three payees. `pc` is registered as [`PC_NAME`].
pub fn create(
    dir: &Path,
    employees: usize,
    pc: &PcIdentity,
    clock: Arc<dyn Clock>,
) -> VaultResult<()> {
    let created = Vault::create(dir, ADMIN, PASSWORD.as_bytes(), KdfParams::MINIMUM)?;
    let vault = created.vault;
    let mut s = vault.login_with(ADMIN, PASSWORD.as_bytes(), pc, clock.clone())?;
    s.set_company(&Company {
        name: COMPANY.into(),
        corporate_number: Some(kinko_vault::demo::sample_corporate_number(7)),
        ..Company::default()
    })?;
    kinko_vault::demo::populate(&mut s, employees, 2026)?;
    // Some collection steps, so that the home screen shows every status.
    let people = s.list(&PeopleQuery::default())?;
    s.write(|w| {
        for (i, p) in people.iter().enumerate() {
            if p.kind == PersonKind::Payee {
                continue;
            }
            let status = match (p.has_number, i % 7) {
                (true, 0 | 3) => Some(CollectionStatus::Verified),
                (false, 1 | 4) => Some(CollectionStatus::Requested),
                (false, 5) => Some(CollectionStatus::Refused),
                _ => None,
            };
            if let Some(status) = status {
                w.set_collection_status(p.id, status)?;
            }
        }
        Ok(())
    })?;
    let soumu = s.department_id("総務部")?;
    let keiri = s.department_id("経理部")?;
    s.register_pc(PC_NAME, Some(soumu), pc)?;
    let other_pc = s.register_pc(
        "経理部　給与計算PC",
        Some(keiri),
        &PcIdentity::from_override("kinko-demo-keiri-pc"),
    )?;
    let users = [
        (CLERK, UserRole::Clerk, soumu, vec![]),
        (MANAGER, UserRole::Manager, soumu, vec![]),
        (AUDITOR, UserRole::Auditor, soumu, vec![]),
        (OTHER_PC_CLERK, UserRole::Clerk, keiri, vec![other_pc]),
    ];
    let initial = "demo-initial-2026";
    for (login, role, dept, pcs) in users {
        s.add_user(
            NewUser {
                login: login.into(),
                role,
                department: Some(dept),
                grants: Vec::new(),
                scope: Scope::everyone(),
                pcs,
                groups: Vec::new(),
            },
            initial.as_bytes(),
        )?;
    }
    s.logout()?;
    // The demo users start with the demo password, as if they had logged in once.
    for login in [CLERK, MANAGER, AUDITOR] {
        let mut u = vault.login_with(login, initial.as_bytes(), pc, clock.clone())?;
        u.change_password(initial.as_bytes(), PASSWORD.as_bytes())?;
        u.logout()?;
    }
    let other = PcIdentity::from_override("kinko-demo-keiri-pc");
    let mut u = vault.login_with(OTHER_PC_CLERK, initial.as_bytes(), &other, clock)?;
    u.change_password(initial.as_bytes(), PASSWORD.as_bytes())?;
    u.logout()?;
    Ok(())
}

/// What the log-in screen says in demo mode.
pub fn note(lang: kinko_domain::lang::Lang) -> String {
    crate::text::tr(
        lang,
        &format!(
            "デモ用の金庫です（架空のデータ。終了すると消えます）。ユーザー名 {CLERK}（担当者）・{MANAGER}（責任者）・{AUDITOR}（監査）・{ADMIN}（管理者）・{OTHER_PC_CLERK}（別のPC専用）、パスワードはすべて {PASSWORD} です。"
        ),
        &format!(
            "Demo vault (fictional data, deleted on exit). Users {CLERK} (clerk), {MANAGER} (manager), {AUDITOR} (auditor), {ADMIN} (administrator), {OTHER_PC_CLERK} (another PC only); the password is {PASSWORD} for all."
        ),
    )
}

/// The name of the sample CSV file [`write_sample_media`] puts on the demo medium.
pub const SAMPLE_CSV: &str = "新入社員サンプル（CP932）.csv";

/// Fills `dir` (the demo's stand-in for a USB medium) with a sample employee file in CP932, as
/// payroll software writes them: four new employees, one row with a mistyped My Number (wrong
/// check digit) and one with an impossible birth date, so that the import wizard has something
/// to show. Returns the file's path.
pub fn write_sample_media(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let number = |serial: u64| kinko_vault::demo::sample_my_number(5_000_000 + serial);
    let mut mistyped = number(5).expose_digits().to_owned();
    // The check digit, off by one: the importer must refuse it.
    let last = mistyped.pop().and_then(|c| c.to_digit(10)).unwrap_or(0);
    mistyped.push(char::from_digit((last + 1) % 10, 10).unwrap_or('0'));
    let rows: Vec<Vec<String>> = [
        (
            "9001",
            "高橋　結衣",
            "タカハシ　ユイ",
            "1998-04-12",
            "総務部",
            "2026-12-01",
            number(1).expose_digits().to_owned(),
        ),
        (
            "9002",
            "中村　大輔",
            "ナカムラ　ダイスケ",
            "1995-11-03",
            "営業部",
            "2026-12-01",
            number(2).expose_digits().to_owned(),
        ),
        (
            "9003",
            "小林　美咲",
            "コバヤシ　ミサキ",
            "2001-07-25",
            "企画部",
            "2026-12-01",
            number(3).expose_digits().to_owned(),
        ),
        (
            "9004",
            "加藤　翔太",
            "カトウ　ショウタ",
            "1999-02-14",
            "企画部",
            "2026-12-01",
            String::new(),
        ),
        (
            "9005",
            "吉田　彩",
            "ヨシダ　アヤ",
            "1997-09-30",
            "総務部",
            "2026-12-01",
            mistyped,
        ),
        (
            "9006",
            "山口　健",
            "ヤマグチ　ケン",
            "1996-02-30",
            "営業部",
            "2026-12-01",
            number(6).expose_digits().to_owned(),
        ),
    ]
    .into_iter()
    .map(|(code, name, kana, birth, dept, hired, number)| {
        vec![
            code.into(),
            name.into(),
            kana.into(),
            birth.into(),
            dept.into(),
            hired.into(),
            number,
        ]
    })
    .collect();
    let header = [
        "社員番号",
        "氏名",
        "フリガナ",
        "生年月日",
        "部署",
        "入社日",
        "個人番号",
    ];
    let bytes = kinko_interop::write_csv(
        &header,
        &rows,
        kinko_interop::OutEncoding::Cp932,
        kinko_interop::Unmappable::Fail,
    )
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    let path = dir.join(SAMPLE_CSV);
    std::fs::write(&path, bytes)?;
    Ok(path)
}
