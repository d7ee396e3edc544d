//! `kinko user …`, `group …`, `pc …`, `dept …`, `audit …`, `policy …`.

use anyhow::{Result, anyhow, bail};
use serde_json::json;

use kinko_domain::wareki::parse_date;
use kinko_vault::{
    AuditQuery, NewUser, Outcome, Permission, Policy, Scope, Seal, Session, UserRole, japan_time,
};

use crate::Ctx;
use crate::cli::{
    AuditCommand, AuditListArgs, DeptCommand, GroupCommand, PcCommand, PolicyCommand, UserArgs,
    UserCommand,
};
use crate::input::Input;

pub fn user(ctx: &Ctx, input: &mut Input, cmd: UserCommand) -> Result<()> {
    let mut s = ctx.login(input)?;
    match cmd {
        UserCommand::Add(a) => {
            let new = new_user(&mut s, &a)?;
            let initial = input.secret("新しいユーザーの初期パスワード")?;
            let id = s.add_user(new, initial.as_bytes())?;
            ctx.done(&format!("ユーザー {} を追加しました（内部ID {}。初回ログイン時にパスワードの変更が必要です）", a.name, id.0))
        }
        UserCommand::Update(a) => {
            let new = new_user(&mut s, &a)?;
            s.update_user(&a.name, new)?;
            ctx.done(&format!("ユーザー {} を変更しました", a.name))
        }
        UserCommand::List => user_list(ctx, &mut s),
        UserCommand::Unlock { name } => {
            s.unlock_user(&name)?;
            ctx.done(&format!("ユーザー {name} のロックを解除しました"))
        }
        UserCommand::Disable { name } => {
            s.set_user_disabled(&name, true)?;
            ctx.done(&format!("ユーザー {name} を無効にしました"))
        }
        UserCommand::Enable { name } => {
            s.set_user_disabled(&name, false)?;
            ctx.done(&format!("ユーザー {name} を有効にしました"))
        }
        UserCommand::Remove { name } => {
            s.remove_user(&name)?;
            ctx.done(&format!("ユーザー {name} を削除しました"))
        }
        UserCommand::ResetPassword { name } => {
            let new = input.secret("新しいパスワード")?;
            s.reset_password(&name, new.as_bytes())?;
            ctx.done(&format!(
                "ユーザー {name} のパスワードを再設定しました（次回ログイン時に変更が必要です）"
            ))
        }
    }
}

fn new_user(s: &mut Session, a: &UserArgs) -> Result<NewUser> {
    let role = UserRole::parse(&a.role).ok_or_else(|| {
        let all: Vec<_> = UserRole::ALL
            .iter()
            .map(|r| format!("{}（{}）", r.key(), r.ja()))
            .collect();
        anyhow!("役割「{}」はありません（{}）", a.role, all.join("・"))
    })?;
    if a.dept.len() > 1 {
        bail!(
            "所属部署（--dept）は1つだけ指定してください。扱える部署は --scope-dept で指定します"
        );
    }
    let department = a.dept.first().map(|d| s.department_id(d)).transpose()?;
    let scope = scope(
        s,
        &a.scope_dept,
        &a.scope_codes,
        &a.scope_code,
        a.scope_payees,
    )?;
    let pcs = a.pc.iter().map(|p| s.pc_id(p)).collect::<Result<_, _>>()?;
    let groups = a
        .group
        .iter()
        .map(|g| s.group_id(g))
        .collect::<Result<_, _>>()?;
    Ok(NewUser {
        login: a.name.clone(),
        role,
        department,
        grants: grants(&a.grant)?,
        scope,
        pcs,
        groups,
    })
}

/// No scope flags: everyone. Any scope flag: only what the flags name.
fn scope(
    s: &Session,
    depts: &[String],
    ranges: &[String],
    codes: &[String],
    payees: bool,
) -> Result<Scope> {
    if depts.is_empty() && ranges.is_empty() && codes.is_empty() && !payees {
        return Ok(Scope::everyone());
    }
    let code_ranges = ranges
        .iter()
        .map(|r| {
            let (lo, hi) = r
                .split_once('-')
                .ok_or_else(|| anyhow!("コードの範囲「{r}」は 0100-0199 の形で指定してください"))?;
            Ok((lo.trim().to_owned(), hi.trim().to_owned()))
        })
        .collect::<Result<_>>()?;
    Ok(Scope {
        all: false,
        departments: depts
            .iter()
            .map(|d| s.department_id(d))
            .collect::<Result<_, _>>()?,
        code_ranges,
        codes: codes.to_vec(),
        payees,
    })
}

fn grants(names: &[String]) -> Result<Vec<Permission>> {
    names
        .iter()
        .map(|g| {
            Permission::parse(g).ok_or_else(|| {
                let all: Vec<_> = Permission::ALL.iter().map(|p| p.key()).collect();
                anyhow!("権限「{g}」はありません（{}）", all.join(", "))
            })
        })
        .collect()
}

fn user_list(ctx: &Ctx, s: &mut Session) -> Result<()> {
    let users = s.users()?;
    let departments = s.departments()?;
    let dept = |d: Option<kinko_domain::people::DepartmentId>| {
        d.and_then(|d| departments.iter().find(|(id, _)| *id == d))
            .map(|(_, n)| n.clone())
    };
    if ctx.json {
        let out: Vec<_> = users
            .iter()
            .map(|u| {
                json!({
                    "id": u.id.0, "login": u.login, "role": u.role.key(), "department": dept(u.department),
                    "permissions": u.effective.iter().map(|p| p.key()).collect::<Vec<_>>(),
                    "scope_all": u.scope.all, "disabled": u.disabled, "removed": u.removed, "must_change_password": u.must_change_password,
                    "failed_logins": u.failed_logins, "locked_until": u.locked_until, "pcs": u.pcs, "groups": u.groups,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(out));
        return Ok(());
    }
    println!("ユーザー名\t役割\t所属\t範囲\t状態");
    for u in &users {
        let state = if u.removed {
            "削除済".to_owned()
        } else if u.disabled {
            "無効".to_owned()
        } else if let Some(until) = &u.locked_until {
            let t: chrono::DateTime<chrono::Utc> = until.parse().unwrap_or_default();
            format!("ロック中（{} まで）", japan_time(t))
        } else if u.must_change_password {
            "初回パスワード未変更".to_owned()
        } else {
            "有効".to_owned()
        };
        let scope = if u.scope.all { "全員" } else { "限定" };
        println!(
            "{}\t{}\t{}\t{}\t{}",
            u.login,
            u.role.ja(),
            dept(u.department).unwrap_or_default(),
            scope,
            state
        );
    }
    Ok(())
}

pub fn group(ctx: &Ctx, input: &mut Input, cmd: GroupCommand) -> Result<()> {
    let GroupCommand::Add {
        name,
        grant,
        scope_dept,
        scope_codes,
        scope_payees,
    } = cmd;
    let mut s = ctx.login(input)?;
    let scope = scope(&s, &scope_dept, &scope_codes, &[], scope_payees)?;
    let id = s.add_group(&name, &grants(&grant)?, &scope)?;
    ctx.done(&format!("グループ {name} を作りました（内部ID {id}）"))
}

pub fn pc(ctx: &Ctx, input: &mut Input, cmd: PcCommand) -> Result<()> {
    if let PcCommand::Identify = cmd {
        let pc = ctx.pc();
        let weak = if pc.is_weak() {
            "（固有の番号を読めません: 同じ機種のPCと区別できない可能性があります）"
        } else {
            ""
        };
        let missing = pc.unreadable.join(", ");
        return ctx.done(&format!(
            "読めなかった項目: {}{weak}",
            if missing.is_empty() {
                "なし"
            } else {
                &missing
            }
        ));
    }
    let mut s = ctx.login(input)?;
    match cmd {
        PcCommand::Add { name, dept } => {
            let department = dept.as_deref().map(|d| s.department_id(d)).transpose()?;
            let pc = ctx.pc();
            let id = s.register_pc(&name, department, &pc)?;
            let warning = if pc.is_weak() {
                "（注意: 固有の番号を読めないため機種名で識別しています）"
            } else {
                ""
            };
            ctx.done(&format!(
                "このPCを「{name}」として登録しました（内部ID {id}）{warning}"
            ))
        }
        PcCommand::List => {
            let pcs = s.pcs()?;
            if ctx.json {
                let out: Vec<_> = pcs.iter().map(|p| json!({"id": p.id, "name": p.name, "department_id": p.department.map(|d| d.0)})).collect();
                println!("{}", serde_json::Value::Array(out));
            } else {
                for p in &pcs {
                    println!("{}\t{}", p.id, p.name);
                }
            }
            Ok(())
        }
        PcCommand::Identify => Ok(()),
    }
}

pub fn dept(ctx: &Ctx, input: &mut Input, cmd: DeptCommand) -> Result<()> {
    let mut s = ctx.login(input)?;
    match cmd {
        DeptCommand::Add { name } => {
            let id = s.add_department(&name)?;
            ctx.done(&format!("部署「{name}」を追加しました（内部ID {}）", id.0))
        }
        DeptCommand::List => {
            for (id, name) in s.departments()? {
                println!("{}\t{name}", id.0);
            }
            Ok(())
        }
    }
}

pub fn audit(ctx: &Ctx, input: &mut Input, cmd: AuditCommand) -> Result<()> {
    let mut s = ctx.login(input)?;
    match cmd {
        AuditCommand::List(filter) => audit_list(ctx, &mut s, filter),
        AuditCommand::Verify { seal } => {
            let seal = seal.as_deref().map(Seal::parse).transpose()?;
            let report = s.audit_verify(seal.as_ref())?;
            match &report.problem {
                None if ctx.json => println!(
                    "{}",
                    json!({"ok": true, "entries": report.entries, "head": report.head})
                ),
                None => {
                    let sealed = seal
                        .map(|s| format!("、封印 {s} と一致"))
                        .unwrap_or_default();
                    println!(
                        "改ざんは見つかりませんでした（{}件、最後は #{}{sealed}）",
                        report.entries, report.head
                    );
                }
                Some(p) => bail!("{p}"),
            }
            Ok(())
        }
        AuditCommand::Seal => {
            let seal = s.audit_seal()?;
            if ctx.json {
                println!(
                    "{}",
                    json!({"ok": true, "seal": seal.to_string(), "seq": seal.seq})
                );
            } else {
                println!("封印コード: {seal}");
                println!("印刷するか書き写して、USBメモリとは別に保管してください。");
                println!(
                    "`kinko audit verify --seal {seal}` で、この時点より前の履歴の改ざんや金庫の巻き戻しを検出できます。"
                );
            }
            Ok(())
        }
        AuditCommand::Sessions => sessions(ctx, &mut s),
    }
}

/// The start of `date`'s day in Japan (00:00 JST = 15:00 UTC the day before), in the log's form;
/// `days_after` moves it on (1: the end of that day).
pub(crate) fn japan_day_start(date: &str, days_after: i64) -> Result<String> {
    let day = parse_date(date)?;
    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default() - chrono::Duration::hours(9)
        + chrono::Duration::days(days_after);
    Ok(start
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

fn audit_list(ctx: &Ctx, s: &mut Session, filter: AuditListArgs) -> Result<()> {
    let AuditListArgs {
        user,
        action,
        since,
        until,
        result,
        limit,
    } = filter;
    let names = s.audit_names()?;
    let user_id = match &user {
        Some(u) => {
            let login = u.trim().to_ascii_lowercase();
            let found = names
                .users
                .iter()
                .find(|(_, l)| **l == login)
                .map(|(id, _)| *id);
            Some(found.ok_or_else(|| anyhow!("ユーザー「{u}」はいません"))?)
        }
        None => None,
    };
    let since = since
        .as_deref()
        .map(|d| japan_day_start(d, 0))
        .transpose()?;
    let until = until
        .as_deref()
        .map(|d| japan_day_start(d, 1))
        .transpose()?;
    let outcome = result
        .as_deref()
        .map(|r| match r {
            "ok" => Ok(Outcome::Ok),
            "denied" => Ok(Outcome::Denied),
            "error" => Ok(Outcome::Error),
            _ => Err(anyhow!(
                "--result は ok・denied・error のどれかです（「{r}」）"
            )),
        })
        .transpose()?;
    let entries = s.audit_list(&AuditQuery {
        user: user_id,
        action,
        since,
        until,
        outcome,
        limit,
    })?;
    if ctx.json {
        let out: Vec<_> = entries
            .iter()
            .map(|e| {
                json!({"seq": e.seq, "at": e.at, "clock_anomaly": e.clock_anomaly, "user_id": e.actor.user,
                       "user": e.actor.user.and_then(|u| names.users.get(&u)),
                       "department_id": e.actor.department, "pc_id": e.actor.pc, "session_id": e.actor.session,
                       "action": e.action, "target_kind": e.target_kind, "target_id": e.target_id,
                       "result": e.outcome.key(), "detail": e.detail})
            })
            .collect();
        println!("{}", serde_json::Value::Array(out));
        return Ok(());
    }
    println!("番号\t日時（日本時間）\tユーザー\t部署\tPC\t操作\t対象\t結果\t詳細");
    for e in &entries {
        let at =
            e.at.parse()
                .map(japan_time)
                .unwrap_or_else(|_| e.at.clone());
        let clock = e
            .clock_anomaly
            .as_deref()
            .map(|_| "（時計異常）")
            .unwrap_or_default();
        let pc = e
            .actor
            .pc
            .and_then(|p| names.pcs.get(&p).cloned())
            .unwrap_or_else(|| "未登録のPC".to_owned());
        let target = match (&e.target_kind, e.target_id) {
            (Some(k), Some(id)) => format!("{k}#{id}"),
            _ => "-".into(),
        };
        let user = e
            .actor
            .user
            .and_then(|u| names.users.get(&u).cloned())
            .unwrap_or_else(|| "-".to_owned());
        let dept = e
            .actor
            .department
            .and_then(|d| names.departments.get(&d).cloned())
            .unwrap_or_else(|| "-".to_owned());
        println!(
            "{}\t{at}{clock}\t{user}\t{dept}\t{pc}\t{}\t{target}\t{}\t{}",
            e.seq,
            e.action,
            e.outcome.ja(),
            e.detail
        );
    }
    Ok(())
}

fn sessions(ctx: &Ctx, s: &mut Session) -> Result<()> {
    let rows = s.audit_sessions()?;
    if ctx.json {
        let out: Vec<_> = rows
            .iter()
            .map(|r| json!({"id": r.id, "user": r.login, "department": r.department, "pc": r.pc,
                            "from": r.started_at, "to": r.ended_at, "end_reason": r.end_reason, "seconds": r.seconds}))
            .collect();
        println!("{}", serde_json::Value::Array(out));
        return Ok(());
    }
    println!("ユーザー\t部署\tPC\t開始\t終了\t時間");
    for r in &rows {
        let jst = |t: &str| t.parse().map(japan_time).unwrap_or_else(|_| t.to_owned());
        let end = r
            .ended_at
            .as_deref()
            .map_or("（終了記録なし）".to_owned(), jst);
        let length = r.seconds.map_or("-".to_owned(), |s| {
            format!("{}時間{}分{}秒", s / 3600, s % 3600 / 60, s % 60)
        });
        println!(
            "{}\t{}\t{}\t{}\t{end}\t{length}",
            r.login,
            r.department.as_deref().unwrap_or("-"),
            r.pc.as_deref().unwrap_or("未登録のPC"),
            jst(&r.started_at)
        );
    }
    Ok(())
}

pub fn policy(ctx: &Ctx, input: &mut Input, cmd: PolicyCommand) -> Result<()> {
    let mut s = ctx.login(input)?;
    let current = s.policy()?;
    let p = match cmd {
        PolicyCommand::Show => current,
        PolicyCommand::Set {
            lockout_attempts,
            lockout_minutes,
            idle_minutes,
        } => {
            let p = Policy {
                lockout_threshold: lockout_attempts.unwrap_or(current.lockout_threshold),
                lockout_minutes: lockout_minutes.unwrap_or(current.lockout_minutes),
                idle_minutes: idle_minutes.unwrap_or(current.idle_minutes),
            };
            s.set_policy(p)?;
            p
        }
    };
    if ctx.json {
        println!(
            "{}",
            json!({"lockout_attempts": p.lockout_threshold, "lockout_minutes": p.lockout_minutes, "idle_minutes": p.idle_minutes})
        );
    } else {
        println!(
            "ロックアウト: {}回失敗で{}分間",
            p.lockout_threshold, p.lockout_minutes
        );
        println!("自動ロック: 無操作{}分", p.idle_minutes);
    }
    Ok(())
}
