//! The import wizard: a file from the medium (or a typed path) → the engine's preview (counts
//! and every bad row with its reason) → the engine's all-or-nothing commit with a progress bar
//! → its report.
//!
//! The commit runs on a worker thread so that the window keeps drawing the progress: the
//! session is lent to it ([`Inner::lend_session`]) and given back when it ends. Meanwhile
//! nobody is logged in as far as the rest of the kiosk knows, so no other request can reach
//! the engine; a log-out in the meantime ends the session as soon as the thread gives it
//! back.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use kinko_domain::lang::{Lang, Localized};
use kinko_interop::{FileKind, Mapping, Preset};
use kinko_vault::{ImportPreview, ImportReport, Session, VaultError, VaultResult};
use slint::{ComponentHandle, ModelRc, SharedString, Timer, TimerMode, VecModel};
use zeroize::Zeroizing;

use super::media;
use crate::app::Inner;
use crate::text::tr;
use crate::{ImportCount, ImportProblemRow, ImportStep, Kiosk, TransferApi};

/// How often the window looks at how far the commit has gone.
const POLL: Duration = Duration::from_millis(50);

#[derive(Default)]
pub(super) struct State {
    /// The formats offered, in the order of the list.
    formats: Vec<Format>,
    /// The files offered from the medium, in the order of the list.
    files: Vec<String>,
    /// The file previewed, kept (not read again) for the commit.
    chosen: Option<Chosen>,
    job: Option<Job>,
    poll: Timer,
}

#[derive(Clone)]
enum Format {
    Preset(Preset),
    /// A mapping saved in the vault: its name and kind.
    Saved(String, FileKind),
}

/// A file as previewed.
struct Chosen {
    bytes: Zeroizing<Vec<u8>>,
    name: String,
    mapping: Mapping,
}

/// A commit running on the worker thread.
struct Job {
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    back: Receiver<Returned>,
    /// The user logged out meanwhile: end the session when it comes back.
    abandoned: bool,
}

/// What the worker thread hands back.
struct Returned {
    session: Session,
    chosen: Chosen,
    result: VaultResult<ImportReport>,
}

fn count(label: String, value: usize, bad: bool) -> ImportCount {
    ImportCount {
        label: label.into(),
        value: value.to_string().into(),
        bad,
    }
}

fn kind_label(lang: Lang, kind: FileKind) -> String {
    match kind {
        FileKind::Employees => tr(lang, "社員", "Employees"),
        FileKind::Family => tr(lang, "家族", "Family"),
    }
}

impl Inner {
    pub(super) fn import_running(&self) -> bool {
        self.screens.transfer.borrow().import.job.is_some()
    }

    /// Forgets the previewed file and everything shown about it.
    pub(super) fn forget_import(&self) {
        if self.import_running() {
            return;
        }
        let mut state = self.screens.transfer.borrow_mut();
        state.import.chosen = None;
        drop(state);
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        g.set_step(ImportStep::Choose);
        g.set_path(SharedString::new());
        g.set_file_index(-1);
        g.set_file_error(SharedString::new());
        self.clear_preview();
    }

    fn clear_preview(&self) {
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        g.set_preview_title(SharedString::new());
        g.set_counts(ModelRc::default());
        g.set_problems(ModelRc::default());
        g.set_new_departments(SharedString::new());
        g.set_skip_bad(false);
        g.set_commit_error(SharedString::new());
        g.set_done_title(SharedString::new());
    }

    /// On log-out during a commit: the session ends when the worker gives it back.
    pub(super) fn abandon_import(&self) {
        if let Some(job) = self.screens.transfer.borrow_mut().import.job.as_mut() {
            job.abandoned = true;
        }
    }

    /// The CSV files on the medium.
    pub(super) fn list_import_files(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        let (files, error) = match &self.media_dir() {
            None => (Vec::new(), String::new()),
            Some(dir) => match media::files_with(dir, "csv") {
                Ok(f) => (f, String::new()),
                Err(e) => (Vec::new(), media::io_message(lang, &e)),
            },
        };
        g.set_media_error(error.into());
        let model: Vec<SharedString> = files.iter().map(SharedString::from).collect();
        g.set_files(ModelRc::new(VecModel::from(model)));
        g.set_file_index(if files.len() == 1 { 0 } else { -1 });
        self.screens.transfer.borrow_mut().import.files = files;
    }

    /// The presets, then the mappings saved in the vault (none for a user who may not see them:
    /// the engine refuses the import itself at the preview).
    pub(super) fn load_import_formats(&self) {
        let lang = self.lang();
        let mut formats: Vec<Format> = Preset::ALL.into_iter().map(Format::Preset).collect();
        // The generic names first: they fit most files.
        formats.sort_by_key(|f| !matches!(f, Format::Preset(Preset::Generic)));
        match self.with_session(|s| s.mappings()) {
            Some(Ok(saved)) => formats.extend(saved.into_iter().map(|(n, k)| Format::Saved(n, k))),
            Some(Err(VaultError::Denied)) | None => {}
            Some(Err(e)) => return self.failed(e),
        }
        let labels: Vec<SharedString> = formats
            .iter()
            .map(|f| match f {
                Format::Preset(Preset::Generic) => tr(
                    lang,
                    "汎用（よく使われる列名）",
                    "Generic (the usual column names)",
                ),
                Format::Preset(p) => p.name_ja().to_owned(),
                Format::Saved(name, kind) => match lang {
                    Lang::Ja => {
                        format!("保存した取込設定「{name}」（{}）", kind_label(lang, *kind))
                    }
                    Lang::En => format!("Saved mapping “{name}” ({})", kind_label(lang, *kind)),
                },
            })
            .map(SharedString::from)
            .collect();
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        g.set_formats(ModelRc::new(VecModel::from(labels)));
        g.set_format_index(0);
        let kinds = [FileKind::Employees, FileKind::Family].map(|k| kind_label(lang, k).into());
        g.set_kinds(ModelRc::new(VecModel::from(kinds.to_vec())));
        g.set_kind_index(0);
        self.screens.transfer.borrow_mut().import.formats = formats;
    }

    /// The file the user chose: from the list, or the typed path (relative to the medium).
    fn chosen_path(&self) -> Option<PathBuf> {
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        let typed = g.get_path().trim().to_owned();
        if !typed.is_empty() {
            let typed = PathBuf::from(typed);
            return Some(match &self.media_dir() {
                Some(dir) if typed.is_relative() => dir.join(typed),
                _ => typed,
            });
        }
        let index = usize::try_from(g.get_file_index()).ok()?;
        let state = self.screens.transfer.borrow();
        let name = state.import.files.get(index)?;
        Some(self.media_dir()?.join(name))
    }

    fn chosen_mapping(&self) -> Option<VaultResult<Mapping>> {
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        let kind = match g.get_kind_index() {
            1 => FileKind::Family,
            _ => FileKind::Employees,
        };
        let format = usize::try_from(g.get_format_index()).ok().and_then(|i| {
            let state = self.screens.transfer.borrow();
            state.import.formats.get(i).cloned()
        })?;
        match format {
            Format::Preset(p) => Some(Ok(p.mapping(kind))),
            Format::Saved(name, _) => self.with_session(|s| s.mapping(&name)),
        }
    }

    /// Step 1 → 2: the engine's preview of the chosen file.
    pub(super) fn import_preview(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        g.set_file_error(SharedString::new());
        let Some(path) = self.chosen_path() else {
            g.set_file_error(
                tr(
                    lang,
                    "取り込むファイルを一覧から選ぶか、パスを入力してください",
                    "Choose a file from the list or enter its path",
                )
                .into(),
            );
            return;
        };
        let bytes = match media::read_limited(&path) {
            Ok(b) => b,
            Err(e) => return g.set_file_error(media::io_message(lang, &e).into()),
        };
        let mapping = match self.chosen_mapping() {
            Some(Ok(m)) => m,
            Some(Err(e)) => return self.preview_failed(e),
            None => return,
        };
        let name = file_name(&path);
        match self.with_session(|s| s.import_preview(&bytes, &mapping, &name)) {
            Some(Ok(preview)) => {
                self.show_preview(&preview, &mapping);
                self.screens.transfer.borrow_mut().import.chosen = Some(Chosen {
                    bytes,
                    name,
                    mapping,
                });
                g.set_step(ImportStep::Preview);
            }
            Some(Err(e)) => self.preview_failed(e),
            None => {}
        }
    }

    fn preview_failed(&self, e: VaultError) {
        match e {
            VaultError::SessionLocked | VaultError::PasswordChangeRequired => self.failed(e),
            e => self
                .ui()
                .global::<TransferApi>()
                .set_file_error(self.message(&e)),
        }
    }

    fn show_preview(&self, p: &ImportPreview, mapping: &Mapping) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        self.clear_preview();
        let encoding = p.encoding.label(lang);
        let kind = kind_label(lang, p.kind);
        let title = match lang {
            Lang::Ja => format!(
                "{}（{encoding}・{kind}のファイル・取込設定「{}」）: {}行",
                p.file_name, mapping.name, p.rows
            ),
            Lang::En => format!(
                "{} ({encoding}, {kind} file, mapping “{}”): {} rows",
                p.file_name, mapping.name, p.rows
            ),
        };
        g.set_preview_title(title.into());
        let bad = p.bad_rows();
        let counts = vec![
            count(tr(lang, "追加", "New"), p.added.len(), false),
            count(tr(lang, "更新", "Changed"), p.updated.len(), false),
            count(tr(lang, "変更なし", "Unchanged"), p.unchanged.len(), false),
            count(tr(lang, "問題のある行", "Bad rows"), bad, bad > 0),
        ];
        g.set_counts(ModelRc::new(VecModel::from(counts)));
        g.set_new_departments(p.new_departments.join("、").into());
        let whole_row = tr(lang, "（行全体）", "(whole row)");
        let problems: Vec<ImportProblemRow> = p
            .errors
            .iter()
            .map(|e| ImportProblemRow {
                line: e.line.to_string().into(),
                column: if e.column.is_empty() {
                    whole_row.as_str().into()
                } else {
                    e.column.as_str().into()
                },
                reason: e.reason.message(lang).into(),
            })
            .collect();
        g.set_problems(ModelRc::new(VecModel::from(problems)));
    }

    pub(super) fn import_back(&self) {
        self.screens.transfer.borrow_mut().import.chosen = None;
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        self.clear_preview();
        g.set_step(ImportStep::Choose);
    }

    /// Step 2 → 3: the commit, on the worker thread.
    pub(super) fn import_commit(self: &Rc<Self>) {
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        let skip_bad = g.get_skip_bad();
        let Some(chosen) = self.screens.transfer.borrow_mut().import.chosen.take() else {
            return;
        };
        let Some(mut session) = self.lend_session() else {
            return;
        };
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (send, back) = std::sync::mpsc::channel();
        let (d, t) = (done.clone(), total.clone());
        std::thread::spawn(move || {
            let result = session.import_commit_with_progress(
                &chosen.bytes,
                &chosen.mapping,
                &chosen.name,
                skip_bad,
                |n, of| {
                    d.store(n, Ordering::Relaxed);
                    t.store(of, Ordering::Relaxed);
                    Ok(())
                },
            );
            let _ = send.send(Returned {
                session,
                chosen,
                result,
            });
        });
        g.set_commit_error(SharedString::new());
        g.set_progress(0.0);
        g.set_progress_text(SharedString::new());
        g.set_step(ImportStep::Running);
        let mut state = self.screens.transfer.borrow_mut();
        state.import.job = Some(Job {
            done,
            total,
            back,
            abandoned: false,
        });
        let weak = Rc::downgrade(self);
        state.import.poll.start(TimerMode::Repeated, POLL, move || {
            if let Some(inner) = weak.upgrade() {
                inner.poll_import();
            }
        });
    }

    fn poll_import(&self) {
        let lang = self.lang();
        let polled = {
            let state = self.screens.transfer.borrow();
            let Some(job) = state.import.job.as_ref() else {
                return;
            };
            let (done, total) = (
                job.done.load(Ordering::Relaxed),
                job.total.load(Ordering::Relaxed),
            );
            (done, total, job.back.try_recv())
        };
        let (done, total, returned) = polled;
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        if total > 0 {
            g.set_progress(done as f32 / total as f32);
            g.set_progress_text(
                match lang {
                    Lang::Ja => format!("{done} / {total} 件"),
                    Lang::En => format!("{done} of {total}"),
                }
                .into(),
            );
        }
        match returned {
            Err(TryRecvError::Empty) => {}
            Ok(returned) => self.import_finished(returned),
            Err(TryRecvError::Disconnected) => {
                // The worker died with the session: nobody is logged in any more.
                let mut state = self.screens.transfer.borrow_mut();
                state.import.job = None;
                state.import.poll.stop();
                drop(state);
                ui.global::<Kiosk>().invoke_logout();
            }
        }
    }

    fn import_finished(&self, returned: Returned) {
        let job = {
            let mut state = self.screens.transfer.borrow_mut();
            state.import.poll.stop();
            state.import.job.take()
        };
        let Returned {
            session,
            chosen,
            result,
        } = returned;
        if job.is_some_and(|j| j.abandoned) {
            // Logged out meanwhile; nothing to record beyond what the engine did.
            let _ = session.logout();
            return;
        }
        self.return_session(session);
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        match result {
            Ok(report) => self.show_report(&report),
            Err(e @ (VaultError::SessionLocked | VaultError::PasswordChangeRequired)) => {
                self.failed(e);
            }
            Err(e) => {
                // Back to the preview, the file kept, to skip the bad rows or go back.
                g.set_commit_error(self.message(&e));
                g.set_step(ImportStep::Preview);
                self.screens.transfer.borrow_mut().import.chosen = Some(chosen);
            }
        }
    }

    fn show_report(&self, r: &ImportReport) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        let counts = vec![
            count(tr(lang, "追加", "Added"), r.added, false),
            count(tr(lang, "更新", "Changed"), r.updated, false),
            count(tr(lang, "変更なし", "Unchanged"), r.unchanged, false),
            count(
                tr(lang, "飛ばした行", "Skipped rows"),
                r.skipped,
                r.skipped > 0,
            ),
            count(
                tr(lang, "作成した部署", "Departments added"),
                r.departments_added,
                false,
            ),
        ];
        g.set_counts(ModelRc::new(VecModel::from(counts)));
        g.set_problems(ModelRc::default());
        g.set_done_title(tr(lang, "取り込みました。", "Imported.").into());
        g.set_progress(1.0);
        g.set_step(ImportStep::Done);
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

// The session goes to the worker thread and back.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<Session>();
};
