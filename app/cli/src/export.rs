//! `kinko export OUT --purpose TEXT …` and `kinko takeout list`.
//!
//! Files: the first chosen kind (in the order employees, family, payees; by default employees
//! and family) is written to OUT; every further kind goes next to it as `<stem>-family<.ext>`
//! or `<stem>-payees<.ext>` (so `out.csv` and `out-family.csv`).
//!
//! Each file is written atomically: a temporary file in the same directory (mode 0600), synced,
//! and renamed into place only after the engine has committed the take-out register row. On
//! any error no file is left behind (and when the error comes before the commit, no register
//! row either).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

use kinko_interop::{OutEncoding, Preset, Unmappable};
pub(crate) use kinko_vault::staged::Staged;
pub(crate) use kinko_vault::staged::parent;
use kinko_vault::{ExportFormat, ExportKind, ExportRequest, VaultError};

use crate::Ctx;
use crate::cli::{ExportArgs, TakeoutCommand};
use crate::input::Input;

pub fn export(ctx: &Ctx, input: &mut Input, a: ExportArgs) -> Result<()> {
    let encoding = match a.encoding.trim().to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => OutEncoding::Utf8Bom,
        "cp932" | "sjis" | "shift_jis" => OutEncoding::Cp932,
        other => bail!("文字コード「{other}」は使えません（utf8 または cp932）"),
    };
    let format = match a.preset.as_deref() {
        None | Some("kinko") => ExportFormat::Kinko,
        Some(name) => ExportFormat::Preset(Preset::from_key(name).ok_or_else(|| {
            anyhow!(
                "プリセット「{name}」はありません（{}）",
                Preset::ALL.map(|p| p.key()).join("・")
            )
        })?),
    };
    let on_unmappable = match a.replace.as_deref() {
        None => Unmappable::Fail,
        Some(r) => {
            let mut chars = r.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Unmappable::Replace(c),
                _ => bail!("--replace には置き換える文字を1文字だけ指定してください"),
            }
        }
    };
    let mut kinds = a
        .kind
        .iter()
        .map(|k| {
            ExportKind::parse(k)
                .ok_or_else(|| anyhow!("種別「{k}」は使えません（employees・family・payees）"))
        })
        .collect::<Result<Vec<_>>>()?;
    if kinds.is_empty() {
        kinds = vec![ExportKind::Employees, ExportKind::Family];
    }
    kinds.sort_unstable();
    kinds.dedup();
    let paths = file_paths(&a.out, &kinds)?;
    let destination = match &a.destination {
        Some(d) => d.clone(),
        None => absolute(&a.out).display().to_string(),
    };
    let request = ExportRequest {
        purpose: a.purpose.unwrap_or_default(),
        destination,
        format,
        encoding,
        on_unmappable,
        kinds,
    };

    let mut session = ctx.login(input)?;
    let mut staged = Staged::default();
    let export = session.export_with(&request, |export| {
        for file in &export.files {
            let path = paths
                .iter()
                .find(|(k, _)| *k == file.kind)
                .map(|(_, p)| p.as_path())
                .ok_or_else(|| {
                    VaultError::Io(std::io::Error::other("no path for an export file"))
                })?;
            staged.stage(path, &file.bytes)?;
        }
        Ok(())
    })?;
    staged
        .finish()
        .context("書き出したファイルを置けませんでした（持出し記録には記入済みです）")?;

    if ctx.json {
        let files: Vec<_> = export
            .files
            .iter()
            .zip(&paths)
            .map(|(f, (_, p))| json!({ "kind": f.kind.key(), "path": p, "people": f.people }))
            .collect();
        println!(
            "{}",
            json!({ "ok": true, "people": export.people, "takeout": export.takeout, "files": files })
        );
    } else {
        println!(
            "{}人分を書き出しました（持出し記録 {}番）",
            export.people, export.takeout
        );
        for (f, (_, p)) in export.files.iter().zip(&paths) {
            println!("  {}: {}（{}人）", f.kind.ja(), p.display(), f.people);
        }
    }
    Ok(())
}

pub fn takeout(ctx: &Ctx, input: &mut Input, cmd: TakeoutCommand) -> Result<()> {
    let TakeoutCommand::List = cmd;
    let mut session = ctx.login(input)?;
    let rows = session.takeouts()?;
    if ctx.json {
        let rows: Vec<_> = rows
            .iter()
            .map(|t| {
                json!({
                    "id": t.id,
                    "user": t.user,
                    "at": t.at,
                    "what": t.what,
                    "people": t.people,
                    "purpose": t.purpose,
                    "destination": t.destination,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
        return Ok(());
    }
    if rows.is_empty() {
        println!("持出し記録はありません");
    }
    for t in &rows {
        let at = chrono::DateTime::parse_from_rfc3339(&t.at)
            .map(|d| kinko_vault::japan_time(d.with_timezone(&chrono::Utc)))
            .unwrap_or_else(|_| t.at.clone());
        println!(
            "{}番 {at} {} {}人 {} 目的: {} 持出し先: {}",
            t.id, t.user, t.people, t.what, t.purpose, t.destination
        );
    }
    Ok(())
}

/// Where each kind goes (see the module docs).
fn file_paths(out: &Path, kinds: &[ExportKind]) -> Result<Vec<(ExportKind, PathBuf)>> {
    let name = out
        .file_name()
        .ok_or_else(|| anyhow!("書き出すファイルの名前を指定してください"))?;
    if out.is_dir() {
        bail!(
            "{} はディレクトリです。ファイル名を指定してください",
            out.display()
        );
    }
    let dir = parent(out);
    if !dir.is_dir() {
        bail!("書き出す先のディレクトリ {} がありません", dir.display());
    }
    let name = Path::new(name);
    let stem = name.file_stem().unwrap_or_default().to_string_lossy();
    let ext = name
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    Ok(kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let path = if i == 0 {
                out.to_path_buf()
            } else {
                dir.join(format!("{stem}-{}{ext}", k.key()))
            };
            (*k, path)
        })
        .collect())
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
