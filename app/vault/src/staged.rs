//! Files written the way [`Session::export_with`](crate::Session::export_with) and
//! [`Session::print_form`](crate::Session::print_form) expect of their callers: each file goes
//! first to a temporary name in its own directory (mode 0600, synced) while the engine's
//! transaction is open, and is renamed into place by [`Staged::finish`] once the engine has
//! committed. Whatever is not finished is removed when the [`Staged`] is dropped, so an error
//! on either side leaves no file that could be mistaken for a finished one.
//!
//! Shared by every front (the CLI, the kiosk) so that they write files alike.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files written to temporary names, moved into place by [`Staged::finish`]; whatever is not
/// finished is removed when this is dropped.
#[derive(Default)]
pub struct Staged {
    /// (temporary, final)
    files: Vec<(PathBuf, PathBuf)>,
    /// Final paths already in place (removed again if a later one fails).
    placed: Vec<PathBuf>,
    finished: bool,
}

impl Staged {
    /// Writes `bytes` to a temporary file beside `path` and syncs it.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let dir = parent(path);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let temp = dir.join(format!(".{name}.kinko-{}.tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        self.files.push((temp, path.to_path_buf()));
        file.write_all(bytes)?;
        file.sync_all()?;
        Ok(())
    }

    /// Moves every staged file into place and syncs the directories.
    pub fn finish(&mut self) -> std::io::Result<()> {
        for (temp, path) in &self.files {
            fs::rename(temp, path)?;
            self.placed.push(path.clone());
        }
        let mut dirs: Vec<PathBuf> = self.files.iter().map(|(_, p)| parent(p)).collect();
        dirs.dedup();
        for dir in dirs {
            File::open(&dir)?.sync_all()?;
        }
        self.finished = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        for (temp, _) in &self.files {
            let _ = fs::remove_file(temp);
        }
        for path in &self.placed {
            let _ = fs::remove_file(path);
        }
    }
}

/// Writes one whole file: staged beside `path`, synced, renamed into place (a file that is
/// there is complete; nothing is left behind on failure).
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut staged = Staged::default();
    staged.stage(path, bytes)?;
    staged.finish()
}

/// The directory `path` is in (`.` for a bare file name).
pub fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_only_when_finished_and_an_unfinished_one_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("out.csv");
        {
            let mut s = Staged::default();
            s.stage(&path, b"abc").unwrap();
            assert!(!path.exists());
        }
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0, "nothing left");
        let mut s = Staged::default();
        s.stage(&path, b"abc").unwrap();
        s.finish().unwrap();
        drop(s);
        assert_eq!(fs::read(&path).unwrap(), b"abc");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
