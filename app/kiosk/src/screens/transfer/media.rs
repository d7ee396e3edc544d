//! The medium files are imported from, exported and saved to: a directory (the authorised USB
//! medium's mount point in the appliance, `Config::media_dir`). Only file names are handled
//! here; what is in the files is the engine's business.

use std::io::Read;
use std::path::{Path, PathBuf};

use kinko_domain::lang::Lang;
use kinko_interop::Limits;
use zeroize::Zeroizing;

use crate::text::tr;

/// The names of the files in `dir` ending in `.ext` (any case), sorted; hidden files left out.
pub(crate) fn files_with(dir: &Path, ext: &str) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .filter(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(ext))
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Reads a file, but never more than the importer accepts plus one byte (so that the engine
/// refuses an oversized file with its own message, without it all being read into memory).
pub(crate) fn read_limited(path: &Path) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let limit = Limits::default().max_bytes as u64 + 1;
    let file = std::fs::File::open(path)?;
    // A device or a pipe could be read for ever (or block): only plain files.
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
    }
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A new file called `name` (`.ext` added when missing) in `dir`, or why it cannot be one.
pub(crate) fn new_file(lang: Lang, dir: &Path, name: &str, ext: &str) -> Result<PathBuf, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(tr(
            lang,
            "ファイル名を入力してください",
            "Enter a file name",
        ));
    }
    if name.starts_with('.') || name.contains(['/', '\\']) || name.chars().any(char::is_control) {
        return Err(tr(
            lang,
            "ファイル名に「/」「\\」や制御文字は使えず、「.」で始めることもできません",
            "A file name cannot hold “/”, “\\” or control characters, nor start with “.”",
        ));
    }
    let has_ext = Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext));
    let name = if has_ext {
        name.to_owned()
    } else {
        format!("{name}.{ext}")
    };
    let path = dir.join(&name);
    not_there(lang, &path)?;
    Ok(path)
}

/// Refuses to overwrite: a file already at `path` is an error naming it.
pub(crate) fn not_there(lang: Lang, path: &Path) -> Result<(), String> {
    if path.exists() {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        return Err(match lang {
            Lang::Ja => {
                format!("同じ名前のファイル「{name}」がすでにあります。別の名前にしてください")
            }
            Lang::En => format!("A file called “{name}” already exists. Choose another name"),
        });
    }
    Ok(())
}

/// The message for a file that cannot be read or written.
pub(crate) fn io_message(lang: Lang, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => tr(lang, "ファイルが見つかりません", "File not found"),
        std::io::ErrorKind::PermissionDenied => tr(
            lang,
            "ファイルを読み書きする権限がありません",
            "No permission to read or write the file",
        ),
        std::io::ErrorKind::InvalidInput => tr(
            lang,
            "通常のファイルではありません。CSVファイルを選んでください",
            "Not a regular file; choose a CSV file",
        ),
        std::io::ErrorKind::IsADirectory => tr(
            lang,
            "フォルダーです。ファイルを選んでください",
            "That is a folder; choose a file",
        ),
        _ => match lang {
            Lang::Ja => format!("ファイルを読み書きできません（{}）", e.kind()),
            Lang::En => format!("The file cannot be read or written ({})", e.kind()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_get_their_extension_and_never_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert_eq!(
            new_file(Lang::Ja, dir, " 出力 ", "csv").unwrap(),
            dir.join("出力.csv")
        );
        assert_eq!(
            new_file(Lang::Ja, dir, "a.CSV", "csv").unwrap(),
            dir.join("a.CSV")
        );
        std::fs::write(dir.join("a.csv"), b"x").unwrap();
        assert!(
            new_file(Lang::Ja, dir, "a", "csv")
                .unwrap_err()
                .contains("a.csv")
        );
        for bad in ["", "../x", "a/b", ".hidden"] {
            assert!(new_file(Lang::Ja, dir, bad, "csv").is_err(), "{bad}");
        }
        assert_eq!(
            read_limited(dir).unwrap_err().kind(),
            std::io::ErrorKind::InvalidInput,
            "a directory is no file"
        );
        assert_eq!(&*read_limited(&dir.join("a.csv")).unwrap(), b"x");
        std::fs::write(dir.join("b.Csv"), b"x").unwrap();
        std::fs::write(dir.join(".c.csv"), b"x").unwrap();
        std::fs::write(dir.join("d.txt"), b"x").unwrap();
        assert_eq!(files_with(dir, "csv").unwrap(), ["a.csv", "b.Csv"]);
    }
}
