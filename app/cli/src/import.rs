//! `kinko import FILE [--preset NAME | --mapping NAME] [--family] [--dry-run] [--skip-bad]`:
//! prints the preview, then commits when there is no bad row (or with `--skip-bad`).

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use kinko_interop::{FileKind, Lang, Localized, Mapping, Preset};
use kinko_vault::{ImportLine, ImportPreview, ImportReport, VaultError};

use crate::Ctx;
use crate::cli::{ImportArgs, MappingCommand};
use crate::input::Input;

pub fn import(ctx: &Ctx, input: &mut Input, a: ImportArgs) -> Result<()> {
    let kind = if a.family {
        FileKind::Family
    } else {
        FileKind::Employees
    };
    let preset = match (&a.preset, &a.mapping) {
        (Some(_), Some(_)) => bail!("--preset と --mapping は同時に指定できません"),
        (Some(p), None) => Some(Preset::from_key(p.trim()).ok_or_else(|| {
            anyhow!(
                "取込形式「{p}」はありません（{}）",
                Preset::ALL.map(|p| p.key()).join("・")
            )
        })?),
        (None, Some(_)) => None,
        (None, None) => Some(Preset::Generic),
    };
    let bytes = Zeroizing::new(
        std::fs::read(&a.file)
            .with_context(|| format!("ファイル {} を読めません", a.file.display()))?,
    );
    let file_name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut session = ctx.login(input)?;
    let mapping: Mapping = match (preset, &a.mapping) {
        (Some(p), _) => p.mapping(kind),
        (None, Some(name)) => {
            let m = session.mapping(name)?;
            if a.family && m.kind != FileKind::Family {
                bail!("取込設定「{name}」は社員のファイル用です（--family を外してください）");
            }
            m
        }
        (None, None) => unreachable!("a preset is chosen when no mapping is"),
    };
    let preview = session.import_preview(&bytes, &mapping, &file_name)?;
    let bad = preview.bad_rows();
    let commit = !a.dry_run && (bad == 0 || a.skip_bad);
    let report = if commit {
        Some(session.import_commit(&bytes, &mapping, &file_name, a.skip_bad)?)
    } else {
        None
    };
    if ctx.json {
        println!("{}", to_json(&preview, &mapping, report.as_ref()));
    } else {
        print_preview(&preview, &mapping);
        match &report {
            Some(r) => print_report(r),
            None if a.dry_run => println!("確認のみ（--dry-run）: 取り込みは行っていません"),
            None => {}
        }
    }
    if !a.dry_run && !commit {
        // Recorded by the engine as a refused commit, then reported on one line.
        match session.import_commit(&bytes, &mapping, &file_name, false) {
            Err(VaultError::ImportRefused { errors }) => bail!(
                "問題のある行が{errors}件あるため取り込みません（--skip-bad で問題のある行を飛ばして取り込めます）"
            ),
            Err(e) => return Err(e.into()),
            Ok(_) => {
                bail!("ファイルが変わったため取り込みを確認できません。もう一度実行してください")
            }
        }
    }
    Ok(())
}

fn kind_ja(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Employees => "社員",
        FileKind::Family => "家族",
    }
}

fn changes(l: &ImportLine) -> String {
    l.changes
        .iter()
        .map(|c| c.label(Lang::Ja))
        .collect::<Vec<_>>()
        .join("・")
}

fn print_preview(p: &ImportPreview, mapping: &Mapping) {
    println!(
        "ファイル: {}（{}、{}のファイル、取込設定「{}」）",
        p.file_name,
        p.encoding.label(Lang::Ja),
        kind_ja(p.kind),
        mapping.name
    );
    println!(
        "{}行: 追加 {}件、更新 {}件、変更なし {}件、問題のある行 {}件",
        p.rows,
        p.added.len(),
        p.updated.len(),
        p.unchanged.len(),
        p.bad_rows()
    );
    if !p.new_departments.is_empty() {
        println!("新しく作る部署: {}", p.new_departments.join("、"));
    }
    for l in &p.added {
        println!("追加: 行 {}・社員番号 {}", l.line, l.code);
    }
    for l in &p.updated {
        println!("更新: 行 {}・社員番号 {}（{}）", l.line, l.code, changes(l));
    }
    for e in &p.errors {
        println!("{e}");
    }
}

fn print_report(r: &ImportReport) {
    println!(
        "取り込みました: 追加 {}件、更新 {}件、変更なし {}件、飛ばした行 {}件、作成した部署 {}件",
        r.added, r.updated, r.unchanged, r.skipped, r.departments_added
    );
}

fn to_json(p: &ImportPreview, mapping: &Mapping, report: Option<&ImportReport>) -> Value {
    let lines = |ls: &[ImportLine]| -> Vec<Value> {
        ls.iter()
            .map(|l| {
                json!({
                    "line": l.line, "code": l.code,
                    "changes": l.changes.iter().map(|c| c.label(Lang::Ja)).collect::<Vec<_>>(),
                })
            })
            .collect()
    };
    json!({
        "file_id": p.file_id,
        "encoding": p.encoding.label(Lang::Ja),
        "kind": match p.kind { FileKind::Employees => "employees", FileKind::Family => "family" },
        "mapping": mapping.name,
        "rows": p.rows,
        "added": lines(&p.added),
        "updated": lines(&p.updated),
        "unchanged": lines(&p.unchanged),
        "bad_rows": p.bad_rows(),
        "errors": p.errors.iter().map(|e| json!({
            "line": e.line, "column": e.column,
            "reason": e.reason.message(Lang::Ja), "reason_en": e.reason.message(Lang::En),
        })).collect::<Vec<_>>(),
        "new_departments": p.new_departments,
        "committed": report.is_some(),
        "report": report.map(|r| json!({
            "added": r.added, "updated": r.updated, "unchanged": r.unchanged,
            "skipped": r.skipped, "departments_added": r.departments_added,
        })),
    })
}

/// `kinko mapping save|list|show`: custom column mappings kept in the vault.
pub fn mapping(ctx: &Ctx, input: &mut Input, cmd: MappingCommand) -> Result<()> {
    if let MappingCommand::Show {
        name: None,
        preset,
        family,
    } = &cmd
    {
        let key = preset.as_deref().unwrap_or("generic");
        let preset =
            Preset::from_key(key.trim()).ok_or_else(|| anyhow!("取込形式「{key}」はありません"))?;
        let mapping = if *family {
            preset.family()
        } else {
            preset.employees()
        };
        println!("{}", serde_json::to_string_pretty(&mapping)?);
        return Ok(());
    }
    let mut s = ctx.login(input)?;
    match cmd {
        MappingCommand::Save { name, file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{} を読めません", file.display()))?;
            let mapping: Mapping = serde_json::from_str(&text)
                .map_err(|e| anyhow!("列対応のJSONが正しくありません（{}行目）", e.line()))?;
            let id = s.save_mapping(&name, &mapping)?;
            ctx.done(&format!("列対応「{name}」を保存しました（内部ID {id}）"))
        }
        MappingCommand::List => {
            let all = s.mappings()?;
            if ctx.json {
                let out: Vec<Value> = all
                    .iter()
                    .map(|(n, k)| json!({"name": n, "family": matches!(k, FileKind::Family)}))
                    .collect();
                println!("{}", Value::Array(out));
            } else {
                for (name, kind) in &all {
                    let kind = if matches!(kind, FileKind::Family) {
                        "家族"
                    } else {
                        "社員"
                    };
                    println!("{name}\t{kind}");
                }
            }
            Ok(())
        }
        MappingCommand::Show {
            name: Some(name), ..
        } => {
            println!("{}", serde_json::to_string_pretty(&s.mapping(&name)?)?);
            Ok(())
        }
        MappingCommand::Show { name: None, .. } => {
            bail!("列対応の名前か --preset を指定してください")
        }
    }
}
