//! 媒体の消去 (F12): choose a medium, see what it is and how it will honestly be erased, type
//! its name to confirm, watch the run, and keep the signed certificate (JSON off the medium,
//! PDF preview, save, print). The wipe crate probes and plans; the engine checks the wipe
//! permission, logs and signs; this module only shows and asks.

mod describe;
mod result;
mod worker;

use std::path::{Path, PathBuf};
use std::rc::Rc;

use kinko_domain::lang::Lang;
use kinko_vault::{SanitizeDetails, Session, VaultError};
use kinko_wipe::{Certificate, MethodChoice, Plan, VerifiedCertificate, WipeError, plan};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::on;
use crate::app::Inner;
use crate::text::tr;
use crate::{AppWindow, SanitizeApi, SanitizeStage, Screen, WipeDevice, WipeFact};

pub(crate) use worker::set_progress;

/// What the screen holds: the plan of the probed medium, a run under way, or its certificate.
#[derive(Default)]
pub(crate) struct State {
    plan: Option<Plan>,
    /// What the user must type to confirm.
    confirm: String,
    running: Option<worker::Running>,
    done: Option<result::Done>,
}

pub(crate) fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    let g = ui.global::<SanitizeApi>();
    on!(g, inner, on_show, |i| i.show_sanitize());
    on!(g, inner, on_refresh, |i| i.list_devices());
    on!(g, inner, on_probe, |i, path| i.probe_medium(&path));
    on!(g, inner, on_start, |i, typed, cert| i
        .start_sanitize(&typed, &cert));
    on!(g, inner, on_cancel, |i| i.cancel_sanitize());
    on!(g, inner, on_worker_done, |i| i.sanitize_finished());
    on!(g, inner, on_save_pdf, |i, path| i
        .save_certificate_pdf(&path));
    on!(g, inner, on_print, |i, index| i.print_certificate(index));
    on!(g, inner, on_again, |i| i.show_sanitize());
    on!(g, inner, on_open_certificate, |i, path| i
        .open_certificate(&path));
    let retention = ui.global::<crate::RetentionApi>();
    on!(retention, inner, on_show_sanitize, |i| i.show_sanitize());
}

fn facts(rows: Vec<(String, String)>) -> ModelRc<WipeFact> {
    let rows: Vec<WipeFact> = rows
        .into_iter()
        .map(|(label, value)| WipeFact {
            label: label.into(),
            value: value.into(),
        })
        .collect();
    ModelRc::new(VecModel::from(rows))
}

fn strings(items: Vec<String>) -> ModelRc<SharedString> {
    let items: Vec<SharedString> = items.into_iter().map(SharedString::from).collect();
    ModelRc::new(VecModel::from(items))
}

impl Inner {
    /// A fresh start: the device list, nothing probed.
    pub(crate) fn show_sanitize(&self) {
        if self.screens.sanitize.borrow().running.is_some() {
            return self.go(Screen::Sanitize);
        }
        self.forget_sanitize();
        self.go(Screen::Sanitize);
        self.list_devices();
    }

    /// Drops the plan, the confirmation and a shown certificate (already saved as JSON). A
    /// run under way is not touched: the session is lent to it, so nothing can lock or log
    /// out until it ends.
    pub(crate) fn forget_sanitize(&self) {
        let ui = self.ui();
        let g = ui.global::<SanitizeApi>();
        let mut state = self.screens.sanitize.borrow_mut();
        if state.running.is_some() {
            return;
        }
        state.plan = None;
        state.confirm.clear();
        state.done = None;
        g.set_stage(SanitizeStage::Choose);
        g.set_path(SharedString::new());
        g.set_path_error(SharedString::new());
        g.set_open_path(SharedString::new());
        g.set_open_error(SharedString::new());
        g.set_typed_name(SharedString::new());
        g.set_property_number(SharedString::new());
        g.set_destination(SharedString::new());
        g.set_confirm_error(SharedString::new());
        g.set_cert_error(SharedString::new());
        g.set_run_error(SharedString::new());
        g.set_facts(ModelRc::default());
        g.set_notes(ModelRc::default());
        result::clear(&g);
    }

    fn list_devices(&self) {
        let lang = self.lang();
        let wipe = &self.config.wipe;
        let rows: Vec<WipeDevice> = kinko_wipe::block_devices(&wipe.roots, wipe.virtual_devices)
            .iter()
            .map(|d| WipeDevice {
                name: d.name.as_str().into(),
                path: d.path.display().to_string().into(),
                model: [&d.vendor, &d.model]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .into(),
                size: describe::size(d.size_bytes).into(),
                kind: describe::device_kind(lang, d).into(),
                system: d.system.is_some() && !wipe.system_in_ram,
            })
            .collect();
        let ui = self.ui();
        ui.global::<SanitizeApi>()
            .set_devices(ModelRc::new(VecModel::from(rows)));
    }

    /// Probes `path` and shows the plan: the strongest method the medium has, or, when the
    /// engine cannot send that command yet, the overwrite it will run instead (and says so).
    fn probe_medium(&self, path: &str) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<SanitizeApi>();
        g.set_path(path.into());
        g.set_path_error(SharedString::new());
        g.set_run_error(SharedString::new());
        let path = path.trim();
        if path.is_empty() {
            g.set_path_error(
                tr(
                    lang,
                    "媒体のパスを入力してください",
                    "Enter the medium's path",
                )
                .into(),
            );
            return;
        }
        let probe = match kinko_wipe::probe(Path::new(path)) {
            Ok(p) => p,
            Err(e) => {
                let text = match lang {
                    Lang::Ja => format!("この媒体を調べられません（{e}）"),
                    Lang::En => format!("The medium cannot be probed ({e})"),
                };
                g.set_path_error(text.into());
                g.set_stage(SanitizeStage::Choose);
                self.screens.sanitize.borrow_mut().plan = None;
                return;
            }
        };
        let auto = plan(&probe, MethodChoice::Auto);
        let (chosen, unavailable) = if auto.method.is_runnable() {
            (auto, None)
        } else {
            (plan(&probe, MethodChoice::Overwrite), Some(auto))
        };
        g.set_medium(describe::medium(&probe).into());
        g.set_facts(facts(describe::facts(lang, &probe)));
        g.set_method(describe::method(lang, chosen.method).into());
        g.set_level(describe::level(lang, chosen.level).into());
        g.set_purge(chosen.level == kinko_wipe::SanitizationLevel::Purge);
        g.set_notes(strings(describe::notes(
            lang,
            &chosen,
            unavailable.as_ref(),
        )));
        let confirm = describe::confirm_name(&probe);
        g.set_confirm_name(confirm.as_str().into());
        g.set_typed_name(SharedString::new());
        g.set_confirm_error(SharedString::new());
        g.set_cert_error(SharedString::new());
        g.set_cert_path(self.default_cert_path().display().to_string().into());
        g.set_stage(SanitizeStage::Ready);
        let mut state = self.screens.sanitize.borrow_mut();
        state.plan = Some(chosen);
        state.confirm = confirm;
    }

    /// Beside the vault's folder (the vault is on the appliance's data partition, never the
    /// medium being wiped unless that is the stick itself, which the place check refuses).
    fn default_cert_path(&self) -> PathBuf {
        let dir = self
            .config
            .dir
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let now = kinko_vault::japan_datetime(self.config.clock.now());
        dir.join(format!(
            "kinko-sanitize-{}.json",
            now.format("%Y%m%d-%H%M%S")
        ))
    }

    fn start_sanitize(&self, typed: &str, cert: &str) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<SanitizeApi>();
        g.set_confirm_error(SharedString::new());
        g.set_cert_error(SharedString::new());
        g.set_run_error(SharedString::new());
        let (plan, confirm) = {
            let state = self.screens.sanitize.borrow();
            if state.running.is_some() {
                return;
            }
            match &state.plan {
                Some(p) => (p.clone(), state.confirm.clone()),
                None => return,
            }
        };
        if typed.trim() != confirm {
            let text = match lang {
                Lang::Ja => {
                    format!("媒体の名前が違います。確認のため「{confirm}」と入力してください")
                }
                Lang::En => {
                    format!("That is not the medium's name. Type \"{confirm}\" to confirm")
                }
            };
            g.set_confirm_error(text.into());
            return;
        }
        let cert_path = PathBuf::from(cert.trim());
        if let Err(text) = self.check_cert_path(&plan, &cert_path) {
            g.set_cert_error(text.into());
            return;
        }
        let Some(session) = self.lend_session() else {
            return;
        };
        self.begin_run(session, plan, cert_path);
    }

    /// The certificate must survive the wipe and must not replace another one.
    fn check_cert_path(&self, plan: &Plan, cert: &Path) -> Result<(), String> {
        let lang = self.lang();
        if cert.as_os_str().is_empty() || cert.file_name().is_none() {
            return Err(tr(
                lang,
                "証明書の保存先（ファイル名まで）を入力してください",
                "Enter where to save the certificate (with a file name)",
            ));
        }
        if cert.exists() {
            return Err(tr(
                lang,
                "同じ名前のファイルがすでにあります。別の名前にしてください",
                "A file of that name exists already. Choose another name",
            ));
        }
        match kinko_wipe::check_certificate_place(&self.config.wipe.roots, &plan.probe.path, cert) {
            Ok(()) => Ok(()),
            Err(WipeError::CertificateOnMedium { .. }) => Err(tr(
                lang,
                "消去証明書は、消去する媒体とは別の場所に保存してください",
                "Keep the certificate somewhere other than the medium being wiped",
            )),
            Err(_) => Err(tr(
                lang,
                "証明書の保存先のフォルダーがありません",
                "The certificate's folder does not exist",
            )),
        }
    }

    fn begin_run(&self, session: Session, plan: Plan, cert_path: PathBuf) {
        let ui = self.ui();
        let g = ui.global::<SanitizeApi>();
        set_progress(
            &ui,
            &describe::ProgressText {
                fraction: 0.0,
                percent: "0.0 %".into(),
                phase: tr(self.lang(), "準備しています", "Getting ready"),
                speed: "—".into(),
                time_left: "—".into(),
            },
        );
        g.set_cancelling(false);
        g.set_stage(SanitizeStage::Running);
        let optional = |text: SharedString| {
            let text = text.trim();
            (!text.is_empty()).then(|| text.to_owned())
        };
        let details = SanitizeDetails {
            property_number: optional(g.get_property_number()),
            destination: optional(g.get_destination()),
            notes: None,
        };
        let running = worker::spawn(
            session,
            plan,
            details,
            self.config.wipe.system_in_ram,
            self.ui().as_weak(),
            self.lang(),
            cert_path,
        );
        self.screens.sanitize.borrow_mut().running = Some(running);
    }

    fn cancel_sanitize(&self) {
        if let Some(running) = &self.screens.sanitize.borrow().running {
            running.cancel.cancel();
            self.ui().global::<SanitizeApi>().set_cancelling(true);
        }
    }

    /// The worker has ended: the session comes back first, then the certificate is kept and
    /// shown, or the engine's refusal is.
    fn sanitize_finished(&self) {
        let finished = {
            let mut state = self.screens.sanitize.borrow_mut();
            let Some(running) = state.running.take() else {
                return;
            };
            match running.done.try_recv() {
                Ok(f) => Some((f, running.cert_path)),
                Err(_) => {
                    state.running = Some(running);
                    None
                }
            }
        };
        let Some((finished, cert_path)) = finished else {
            return;
        };
        self.return_session(finished.session);
        let ui = self.ui();
        let g = ui.global::<SanitizeApi>();
        g.set_cancelling(false);
        match finished.result {
            Ok(cert) => self.keep_certificate(cert, &cert_path),
            Err(VaultError::SessionLocked) => self.failed(VaultError::SessionLocked),
            Err(e) => {
                g.set_stage(SanitizeStage::Ready);
                g.set_run_error(self.run_error(&e).into());
            }
        }
    }

    fn run_error(&self, e: &VaultError) -> String {
        let system = self
            .screens
            .sanitize
            .borrow()
            .plan
            .as_ref()
            .is_some_and(|p| p.probe.system_device.is_some() && !self.config.wipe.system_in_ram);
        match e {
            VaultError::Wipe(_) if system => tr(
                self.lang(),
                "起動中のシステムが入っている媒体は消去できません。廃棄モード（システムをメモリーに読み込んだ状態）で起動してください。",
                "The medium holds the running system. Start the PC in decommission mode (system copied to memory) first.",
            ),
            e => self.message(e).into(),
        }
    }

    fn keep_certificate(&self, cert: Certificate, path: &Path) {
        let lang = self.lang();
        let saved = result::save_json(&cert, path);
        let verified: Option<VerifiedCertificate> = cert.verify().ok();
        let ui = self.ui();
        let g = ui.global::<SanitizeApi>();
        g.set_stage(SanitizeStage::Result);
        g.set_cert_saved(
            match (&saved, lang) {
                (Ok(()), Lang::Ja) => {
                    format!("署名付きの証明書（JSON）を保存しました: {}", path.display())
                }
                (Ok(()), Lang::En) => {
                    format!("The signed certificate (JSON) is saved: {}", path.display())
                }
                (Err(e), Lang::Ja) => {
                    format!(
                        "証明書（JSON）を保存できませんでした: {}（{e}）",
                        path.display()
                    )
                }
                (Err(e), Lang::En) => {
                    format!(
                        "The certificate (JSON) could not be saved: {} ({e})",
                        path.display()
                    )
                }
            }
            .into(),
        );
        let Some(verified) = verified else {
            g.set_run_error(
                tr(
                    lang,
                    "証明書の署名を確認できません",
                    "The certificate's signature does not verify",
                )
                .into(),
            );
            return;
        };
        let done = result::show(&ui, lang, &verified, path);
        self.screens.sanitize.borrow_mut().done = Some(done);
    }

    /// Shows a certificate saved earlier, once its signature verifies, and says whether this
    /// vault's key signed it.
    fn open_certificate(&self, path: &str) {
        let lang = self.lang();
        let ui = self.ui();
        let g = ui.global::<SanitizeApi>();
        g.set_open_error(SharedString::new());
        let path = Path::new(path.trim());
        let verified = std::fs::read_to_string(path)
            .map_err(|_| tr(lang, "証明書のファイルを読めません", "The certificate file cannot be read"))
            .and_then(|text| {
                Certificate::from_json(&text)
                    .and_then(|c| c.verify())
                    .map_err(|_| {
                        tr(
                            lang,
                            "消去証明書ではないか、署名が内容と合いません",
                            "Not a sanitize certificate, or its signature does not match its content",
                        )
                    })
            });
        let verified = match verified {
            Ok(v) => v,
            Err(text) => return g.set_open_error(text.into()),
        };
        let ours = match self.with_session(|s| s.certificate_key_fingerprint()) {
            Some(Ok(f)) => f == verified.key_fingerprint,
            Some(Err(e)) => return self.failed(e),
            None => return,
        };
        self.forget_sanitize();
        g.set_stage(SanitizeStage::Result);
        let text = match (lang, ours) {
            (Lang::Ja, true) => format!("署名は有効です（この金庫の鍵）: {}", path.display()),
            (Lang::Ja, false) => format!(
                "署名は有効ですが、この金庫の鍵ではありません: {}",
                path.display()
            ),
            (Lang::En, true) => format!(
                "The signature is valid (this vault's key): {}",
                path.display()
            ),
            (Lang::En, false) => format!(
                "The signature is valid, but not by this vault's key: {}",
                path.display()
            ),
        };
        let done = result::show(&ui, lang, &verified, path);
        g.set_cert_saved(text.into());
        self.screens.sanitize.borrow_mut().done = Some(done);
    }

    fn save_certificate_pdf(&self, path: &str) {
        let lang = self.lang();
        let ui = self.ui();
        let state = self.screens.sanitize.borrow();
        if let Some(done) = &state.done {
            let text = done.save_pdf(lang, Path::new(path.trim()));
            ui.global::<SanitizeApi>().set_pdf_message(text.into());
        }
    }

    fn print_certificate(&self, index: i32) {
        let lang = self.lang();
        let ui = self.ui();
        let state = self.screens.sanitize.borrow();
        if let Some(done) = &state.done {
            let text = done.print(lang, index);
            ui.global::<SanitizeApi>().set_print_message(text.into());
        }
    }
}
