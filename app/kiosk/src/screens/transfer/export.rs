//! The export dialog: the kinds of people, the layout, the encoding, the purpose (the engine
//! requires it and seals it in the take-out register) and a file name on the medium. The
//! engine exports and registers; its files are staged inside its transaction and put in place
//! after it commits (`kinko_vault::staged`), one file per kind.

use std::path::{Path, PathBuf};

use kinko_domain::lang::Lang;
use kinko_interop::{OutEncoding, Preset, Unmappable};
use kinko_vault::staged::Staged;
use kinko_vault::{Export, ExportFormat, ExportKind, ExportRequest, MAX_TAKEOUT_CHARS, VaultError};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::media;
use crate::app::Inner;
use crate::text::tr;
use crate::{Screen, TransferApi};

/// The layouts offered, in the order of the list: Kinko's own first (it imports back
/// exactly), then the payroll packages'.
fn formats() -> Vec<ExportFormat> {
    let mut all = vec![ExportFormat::Kinko];
    all.extend(
        Preset::ALL
            .into_iter()
            .filter(|p| *p != Preset::Kinko)
            .map(ExportFormat::Preset),
    );
    all
}

const ENCODINGS: [OutEncoding; 2] = [OutEncoding::Cp932, OutEncoding::Utf8Bom];

fn kind_name(lang: Lang, kind: ExportKind) -> String {
    match lang {
        Lang::Ja => kind.ja().to_owned(),
        Lang::En => kind.key().to_owned(),
    }
}

impl Inner {
    pub(crate) fn show_export(&self) {
        self.go(Screen::Export);
        self.show_media();
        self.forget_export();
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        let labels: Vec<SharedString> = formats()
            .into_iter()
            .map(|f| match f {
                ExportFormat::Kinko => tr(
                    lang,
                    "Kinko形式（Kinkoに取り込み直せる形式）",
                    "Kinko format (imports back into Kinko)",
                ),
                ExportFormat::Preset(Preset::Generic) => tr(
                    lang,
                    "汎用（よく使われる列名）",
                    "Generic (the usual column names)",
                ),
                ExportFormat::Preset(p) => p.name_ja().to_owned(),
            })
            .map(SharedString::from)
            .collect();
        g.set_export_formats(ModelRc::new(VecModel::from(labels)));
        g.set_export_format_index(0);
        let encodings = vec![
            SharedString::from(tr(
                lang,
                "CP932（Shift_JIS、Excel・給与ソフト向け）",
                "CP932 (Shift_JIS, for Excel and payroll software)",
            )),
            SharedString::from(tr(lang, "UTF-8（BOM付き）", "UTF-8 (with BOM)")),
        ];
        g.set_encodings(ModelRc::new(VecModel::from(encodings)));
        g.set_encoding_index(0);
        let today = kinko_vault::japan_datetime(self.config.clock.now()).format("%Y%m%d");
        g.set_file_name(format!("kinko-export-{today}.csv").into());
    }

    pub(super) fn forget_export(&self) {
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        g.set_purpose(SharedString::new());
        g.set_export_employees(true);
        g.set_export_family(true);
        g.set_export_payees(false);
        self.clear_export_messages();
    }

    fn clear_export_messages(&self) {
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        g.set_kinds_error(SharedString::new());
        g.set_purpose_error(SharedString::new());
        g.set_file_name_error(SharedString::new());
        g.set_export_error(SharedString::new());
        g.set_export_done(ModelRc::default());
    }

    pub(super) fn export_now(&self) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        self.clear_export_messages();
        let kinds: Vec<ExportKind> = [
            (g.get_export_employees(), ExportKind::Employees),
            (g.get_export_family(), ExportKind::Family),
            (g.get_export_payees(), ExportKind::Payees),
        ]
        .into_iter()
        .filter_map(|(on, k)| on.then_some(k))
        .collect();
        if kinds.is_empty() {
            g.set_kinds_error(
                tr(lang, "出力する人を選んでください", "Choose whom to export").into(),
            );
            return;
        }
        let paths = match self.export_paths(&g.get_file_name(), &kinds) {
            Ok(p) => p,
            Err(m) => return g.set_file_name_error(m.into()),
        };
        let format = usize::try_from(g.get_export_format_index())
            .ok()
            .and_then(|i| formats().get(i).copied())
            .unwrap_or(ExportFormat::Kinko);
        let encoding = usize::try_from(g.get_encoding_index())
            .ok()
            .and_then(|i| ENCODINGS.get(i).copied())
            .unwrap_or(OutEncoding::Cp932);
        let request = ExportRequest {
            purpose: g.get_purpose().into(),
            destination: destination(&paths),
            format,
            encoding,
            on_unmappable: Unmappable::Fail,
            kinds,
        };
        let mut staged = Staged::default();
        let result = self.with_session(|s| {
            s.export_with(&request, |export| {
                for file in &export.files {
                    if let Some((_, path)) = paths.iter().find(|(k, _)| *k == file.kind) {
                        staged.stage(path, &file.bytes)?;
                    }
                }
                Ok(())
            })
        });
        match result {
            Some(Ok(export)) => match staged.finish() {
                Ok(()) => self.show_exported(&export, &paths),
                Err(e) => g.set_export_error(
                    match lang {
                        Lang::Ja => format!(
                            "書き出したファイルを置けませんでした（{}）。持出し記録には記入済みです",
                            media::io_message(lang, &e)
                        ),
                        Lang::En => format!(
                            "The files could not be put in place ({}). The take-out is registered",
                            media::io_message(lang, &e)
                        ),
                    }
                    .into(),
                ),
            },
            Some(Err(e)) => self.export_failed(e),
            None => {}
        }
    }

    /// One file per kind: the name as typed for a single kind, else the kind added to it
    /// (`…-社員.csv`, `…-家族.csv`). None may exist already.
    fn export_paths(
        &self,
        name: &str,
        kinds: &[ExportKind],
    ) -> Result<Vec<(ExportKind, PathBuf)>, String> {
        let lang = self.lang();
        let Some(dir) = &self.media_dir() else {
            return Err(tr(
                lang,
                "保存先の媒体がありません。許可されたUSBメモリを接続してください",
                "No medium to save to. Connect an authorised USB stick",
            ));
        };
        let base = media::new_file(lang, dir, name, "csv")?;
        if let [kind] = kinds {
            return Ok(vec![(*kind, base)]);
        }
        let stem = base.file_stem().unwrap_or_default().to_string_lossy();
        let ext = base.extension().unwrap_or_default().to_string_lossy();
        kinds
            .iter()
            .map(|k| {
                let path = dir.join(format!("{stem}-{}.{ext}", kind_name(lang, *k)));
                media::not_there(lang, &path).map(|()| (*k, path))
            })
            .collect()
    }

    fn show_exported(&self, export: &Export, paths: &[(ExportKind, PathBuf)]) {
        let lang = self.lang();
        let mut lines = vec![match lang {
            Lang::Ja => format!(
                "{}人分を書き出しました（持出し記録 {}番）",
                export.people, export.takeout
            ),
            Lang::En => format!(
                "Exported {} people (take-out register no. {})",
                export.people, export.takeout
            ),
        }];
        for file in &export.files {
            let name = paths
                .iter()
                .find(|(k, _)| *k == file.kind)
                .map(|(_, p)| file_name(p))
                .unwrap_or_default();
            lines.push(match lang {
                Lang::Ja => format!("{}: {name}（{}人）", file.kind.ja(), file.people),
                Lang::En => format!("{}: {name} ({} people)", file.kind.key(), file.people),
            });
        }
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        let lines: Vec<SharedString> = lines.into_iter().map(SharedString::from).collect();
        g.set_export_done(ModelRc::new(VecModel::from(lines)));
        g.set_purpose(SharedString::new());
    }

    fn export_failed(&self, e: VaultError) {
        let ui = self.ui();
        let g = ui.global::<TransferApi>();
        match e {
            VaultError::PurposeRequired | VaultError::TakeoutText { .. } => {
                g.set_purpose_error(self.message(&e));
            }
            VaultError::DestinationRequired => g.set_file_name_error(self.message(&e)),
            VaultError::SessionLocked | VaultError::PasswordChangeRequired => self.failed(e),
            e => g.set_export_error(self.message(&e)),
        }
    }
}

/// Where the take-out goes, for the register: the files, or (if their names are too long
/// for the register together) the medium's directory.
fn destination(paths: &[(ExportKind, PathBuf)]) -> String {
    let files = paths
        .iter()
        .map(|(_, p)| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    if files.chars().count() <= MAX_TAKEOUT_CHARS {
        return files;
    }
    paths
        .first()
        .map(|(_, p)| kinko_vault::staged::parent(p).display().to_string())
        .unwrap_or_default()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
