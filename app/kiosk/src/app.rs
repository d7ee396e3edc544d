//! The controller: owns the [`Vault`] and the [`Session`], answers the screens' requests by
//! asking the engine, and shows what it answers. It decides nothing itself: validation,
//! permissions, lock-out, idle lock and the log are the engine's.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use kinko_domain::lang::{Lang, Localized};
use kinko_domain::number::CorporateNumber;
use kinko_domain::people::{CollectionStatus, DepartmentId};
use kinko_vault::{
    Clock, CollectionSummary, Company, KdfParams, LockReason, PcIdentity, PeopleQuery, Session,
    StatusCounts, Vault, VaultError, VaultResult,
};
use slint::{ComponentHandle, Model, ModelRc, SharedString, Timer, TimerMode, VecModel};
use zeroize::Zeroizing;

use crate::model::PeopleModel;
use crate::text::tr;
use crate::{AppWindow, DeptRow, Kiosk, Screen};

/// How the kiosk runs.
pub struct Config {
    /// The vault's directory (set-up runs if it holds no vault yet).
    pub dir: PathBuf,
    pub pc: PcIdentity,
    pub clock: Arc<dyn Clock>,
    /// Argon2id parameters for a vault made at set-up.
    pub kdf: KdfParams,
    pub lang: Lang,
    /// What the log-in screen says about a demo vault (empty otherwise).
    pub demo_note: String,
    /// How often the engine is asked whether the session has idled out.
    pub idle_poll: Duration,
    /// How long typing in the search box waits for the next key before searching.
    pub search_delay: Duration,
    /// Where CSV files are imported from and exported, printed forms saved, to: the
    /// authorised USB medium's mount point in the appliance (`None`: no medium).
    pub media_dir: Option<PathBuf>,
    /// The appliance's medium control directory (`--medium-control`): the medium is the USB
    /// stick the user authorises there, and `media_dir` is not used.
    pub medium_control: Option<PathBuf>,
    /// The commands that power the machine off and reboot it (the appliance); `None` hides
    /// the buttons.
    pub power: Option<PowerCommands>,
    /// Which media the sanitize screen offers.
    pub wipe: WipeConfig,
}

/// How the appliance is shut down and rebooted.
#[derive(Debug, Clone)]
pub struct PowerCommands {
    pub off: Vec<String>,
    pub reboot: Vec<String>,
}

impl PowerCommands {
    /// systemd's (for a desktop whose polkit lets the local user power off).
    pub fn systemd() -> PowerCommands {
        PowerCommands {
            off: vec!["systemctl".into(), "poweroff".into()],
            reboot: vec!["systemctl".into(), "reboot".into()],
        }
    }

    /// The appliance's: a request file in `dir` (writable by the kiosk user only), which a
    /// root path unit carries out (`kinko-power.path`); the image has no polkit.
    pub fn request_dir(dir: &std::path::Path) -> PowerCommands {
        let write = |what: &str| {
            vec![
                "sh".into(),
                "-c".into(),
                format!("printf %s {what} > \"$1/request\""),
                "kinko-power".into(),
                dir.display().to_string(),
            ]
        };
        PowerCommands {
            off: write("poweroff"),
            reboot: write("reboot"),
        }
    }
}

/// Which media the sanitize screen offers, and whether its boot medium may be among them.
#[derive(Debug, Clone, Default)]
pub struct WipeConfig {
    /// sysfs and mountinfo: the running system's by default (tests give fake trees).
    pub roots: kinko_wipe::SystemRoots,
    /// Offer loop, RAM and zram devices too (for tests on loop devices).
    pub virtual_devices: bool,
    /// The system has been copied to memory (the appliance's decommission mode), so the
    /// medium it booted from may be wiped. The engine refuses it otherwise.
    pub system_in_ram: bool,
}

impl Config {
    pub fn new(dir: PathBuf, pc: PcIdentity, clock: Arc<dyn Clock>) -> Config {
        Config {
            dir,
            pc,
            clock,
            kdf: KdfParams::DEFAULT,
            lang: Lang::Ja,
            demo_note: String::new(),
            idle_poll: Duration::from_secs(1),
            search_delay: Duration::from_millis(250),
            media_dir: None,
            medium_control: None,
            power: None,
            wipe: WipeConfig::default(),
        }
    }
}

/// Why the kiosk could not start.
#[derive(Debug)]
pub enum StartError {
    /// No window system (no `DISPLAY` or `WAYLAND_DISPLAY`), or it refused the window.
    Window(slint::PlatformError),
    /// The vault could not be opened.
    Vault(VaultError),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Window(e) => write!(f, "画面を開けません（{e}）"),
            StartError::Vault(e) => write!(f, "{e}"),
        }
    }
}

impl From<VaultError> for StartError {
    fn from(e: VaultError) -> StartError {
        StartError::Vault(e)
    }
}

/// The running kiosk.
pub struct App {
    ui: AppWindow,
    inner: Rc<Inner>,
    _idle: Timer,
}

/// The controller's state, shared by the screens' modules (`crate::screens`).
pub(crate) struct Inner {
    ui: slint::Weak<AppWindow>,
    pub(crate) config: Config,
    state: RefCell<State>,
    people: Rc<PeopleModel>,
    search_timer: Timer,
    /// What the working screens hold.
    pub(crate) screens: crate::screens::States,
}

#[derive(Default)]
struct State {
    vault: Option<Vault>,
    session: Option<Session>,
    query: PeopleQuery,
    departments: Vec<(DepartmentId, String)>,
    /// Where to go back to after unlocking.
    before_lock: Option<Screen>,
    pending_search: Option<String>,
    /// The session is lent to work on another thread (a sanitize run): `session` is None
    /// until it comes back, and lock and log-out wait.
    lent: bool,
}

impl App {
    /// Builds the window: set-up when `config.dir` holds no vault yet, else log-in.
    pub fn new(config: Config) -> Result<App, StartError> {
        let ui = AppWindow::new().map_err(StartError::Window)?;
        crate::text::select_slint_language(config.lang);
        let people = Rc::new(PeopleModel::new(config.lang));
        let vault = if config.dir.join(kinko_vault::DB_FILE).exists() {
            Some(Vault::open(&config.dir)?)
        } else {
            None
        };
        let k = ui.global::<Kiosk>();
        k.set_people(ModelRc::from(people.clone()));
        k.set_demo_note(config.demo_note.as_str().into());
        k.set_power_available(config.power.is_some());
        k.set_screen(if vault.is_some() {
            Screen::Login
        } else {
            Screen::Setup
        });
        let lang = config.lang;
        let mut collection = vec![SharedString::from(tr(lang, "すべての状況", "All statuses"))];
        collection.extend(
            CollectionStatus::ALL
                .iter()
                .map(|c| SharedString::from(label(lang, c.ja(), c.en()))),
        );
        k.set_collection_choices(ModelRc::new(VecModel::from(collection)));
        let inner = Rc::new(Inner {
            ui: ui.as_weak(),
            state: RefCell::new(State {
                vault,
                ..State::default()
            }),
            people,
            search_timer: Timer::default(),
            screens: crate::screens::States::default(),
            config,
        });
        wire(&ui, &inner);
        let idle = Timer::default();
        let weak = Rc::downgrade(&inner);
        idle.start(TimerMode::Repeated, inner.config.idle_poll, move || {
            if let Some(inner) = weak.upgrade() {
                inner.poll_idle();
                inner.poll_medium();
            }
        });
        Ok(App {
            ui,
            inner,
            _idle: idle,
        })
    }

    pub fn ui(&self) -> &AppWindow {
        &self.ui
    }

    /// The session, if someone is logged in (for tests and measurements).
    pub fn with_session<T>(&self, f: impl FnOnce(Option<&mut Session>) -> T) -> T {
        f(self.inner.state.borrow_mut().session.as_mut())
    }

    /// How many people the list holds now.
    pub fn people_len(&self) -> usize {
        self.inner.people.len()
    }

    pub fn run(&self) -> Result<(), slint::PlatformError> {
        self.ui.run()
    }
}

fn wire(ui: &AppWindow, inner: &Rc<Inner>) {
    crate::screens::wire(ui, inner);
    let k = ui.global::<Kiosk>();
    macro_rules! on {
        ($setter:ident, |$i:ident $(, $arg:ident)*| $body:expr) => {
            crate::screens::on!(k, inner, $setter, |$i $(, $arg)*| $body)
        };
    }
    on!(on_setup_submit, |i,
                          company,
                          corporate,
                          admin,
                          pw,
                          again| {
        i.setup(&company, &corporate, &admin, &pw, &again)
    });
    on!(on_recovery_done, |i| i.recovery_done());
    on!(on_login, |i, user, pw| i.login(&user, &pw));
    on!(on_power, |i, reboot| i.power(reboot));
    on!(on_change_password, |i, current, new, again| i
        .change_password(&current, &new, &again));
    on!(on_show_home, |i| i.show_home());
    on!(on_show_people, |i| i.show_people());
    on!(on_search, |i, text, now| i.search(&text, now));
    on!(on_filter_department, |i, index| i.filter_department(index));
    on!(on_filter_collection, |i, index| i.filter_collection(index));
    on!(on_lock, |i| i.lock());
    on!(on_unlock, |i, pw| i.unlock(&pw));
    on!(on_logout, |i| i.logout());
    on!(on_activity, |i| i.activity());
}

fn label(lang: Lang, ja: &str, en: &str) -> String {
    tr(lang, ja, en)
}

impl Inner {
    pub(crate) fn ui(&self) -> AppWindow {
        self.ui
            .upgrade()
            .unwrap_or_else(|| unreachable!("the window outlives its callbacks"))
    }

    pub(crate) fn lang(&self) -> Lang {
        self.config.lang
    }

    pub(crate) fn message(&self, e: &VaultError) -> SharedString {
        e.message(self.lang()).into()
    }

    // ---- First-run set-up -------------------------------------------------------------

    fn setup(&self, company: &str, corporate: &str, admin: &str, pw: &str, again: &str) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        let lang = self.lang();
        let (mut company_error, mut corporate_error, mut admin_error, mut password_error) =
            (String::new(), String::new(), String::new(), String::new());
        k.set_setup_error(SharedString::new());
        let corporate_number = if corporate.trim().is_empty() {
            None
        } else {
            match CorporateNumber::parse(corporate) {
                Ok(n) => Some(n),
                Err(e) => {
                    corporate_error = e.message(lang);
                    None
                }
            }
        };
        let firm = Company {
            name: company.to_owned(),
            corporate_number,
            ..Company::default()
        };
        let firm = match firm.normalized() {
            Ok(f) => Some(f),
            Err(e) => {
                company_error = e.message(lang);
                None
            }
        };
        if let Err(e) = kinko_vault::normalize_login(admin) {
            admin_error = e.message(lang);
        }
        if pw != again {
            password_error = tr(
                lang,
                "確認のために入力したパスワードが一致しません",
                "The two passwords differ",
            );
        } else if pw.is_empty() {
            password_error = VaultError::EmptyPassword.message(lang);
        }
        let ok = company_error.is_empty()
            && corporate_error.is_empty()
            && admin_error.is_empty()
            && password_error.is_empty();
        if ok {
            // The engine checks the password policy and makes the vault.
            match self.create_vault(admin, pw, firm.unwrap_or_default()) {
                Ok(code) => {
                    k.set_recovery_code(code.as_str().into());
                    k.set_login_user(admin.trim().to_ascii_lowercase().into());
                    k.set_screen(Screen::Recovery);
                }
                Err(e @ (VaultError::WeakPassword(_) | VaultError::EmptyPassword)) => {
                    password_error = e.message(lang);
                }
                Err(e @ VaultError::BadLogin(_)) => admin_error = e.message(lang),
                Err(e) => k.set_setup_error(self.message(&e)),
            }
        }
        k.set_setup_company_error(company_error.into());
        k.set_setup_corporate_error(corporate_error.into());
        k.set_setup_admin_error(admin_error.into());
        k.set_setup_password_error(password_error.into());
    }

    fn create_vault(&self, admin: &str, pw: &str, firm: Company) -> VaultResult<Zeroizing<String>> {
        let created = Vault::create(&self.config.dir, admin, pw.as_bytes(), self.config.kdf)?;
        let mut session = created.vault.login_with(
            admin,
            pw.as_bytes(),
            &self.config.pc,
            self.config.clock.clone(),
        )?;
        session.set_company(&firm)?;
        session.logout()?;
        self.state.borrow_mut().vault = Some(created.vault);
        Ok(created.recovery_code)
    }

    fn recovery_done(&self) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        k.set_recovery_code(SharedString::new());
        k.set_login_error(SharedString::new());
        k.set_screen(Screen::Login);
    }

    // ---- Log-in, password change, log-out --------------------------------------------

    fn login(&self, user: &str, pw: &str) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        let result = {
            let state = self.state.borrow();
            let Some(vault) = state.vault.as_ref() else {
                return;
            };
            vault.login_with(
                user,
                pw.as_bytes(),
                &self.config.pc,
                self.config.clock.clone(),
            )
        };
        match result {
            Ok(session) => {
                k.set_login_error(SharedString::new());
                let must_change = session.must_change_password();
                k.set_user(session.login().into());
                k.set_pc_name(
                    session
                        .pc_name()
                        .map_or_else(
                            || tr(self.lang(), "未登録のPC", "unregistered PC"),
                            str::to_owned,
                        )
                        .into(),
                );
                self.state.borrow_mut().session = Some(session);
                if must_change {
                    k.set_change_error(SharedString::new());
                    k.set_screen(Screen::ChangePassword);
                } else {
                    self.enter();
                }
            }
            Err(e) => k.set_login_error(self.message(&e)),
        }
    }

    /// Shuts the machine down or reboots it (from the log-in screen, so nobody is logged in;
    /// a session left open is ended first all the same).
    fn power(&self, reboot: bool) {
        let Some(power) = &self.config.power else {
            return;
        };
        if self.state.borrow().session.is_some() {
            self.logout();
        }
        let command = if reboot { &power.reboot } else { &power.off };
        let Some((program, args)) = command.split_first() else {
            return;
        };
        let result = std::process::Command::new(program).args(args).status();
        if !matches!(result, Ok(s) if s.success()) {
            let ui = self.ui();
            ui.global::<Kiosk>().set_login_error(
                tr(
                    self.lang(),
                    "電源を切れませんでした。管理者に連絡してください。",
                    "The machine could not be shut down. Call an administrator.",
                )
                .into(),
            );
        }
    }

    /// After log-in (or the forced password change): the firm's name, then the home screen.
    fn enter(&self) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        let company = self.with_session(|s| s.company());
        match company {
            Some(Ok(c)) => k.set_company(c.display_name().into()),
            Some(Err(e)) => return self.failed(e),
            None => return,
        }
        self.show_home();
    }

    fn change_password(&self, current: &str, new: &str, again: &str) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        if new != again {
            k.set_change_error(
                tr(
                    self.lang(),
                    "確認のために入力したパスワードが一致しません",
                    "The two passwords differ",
                )
                .into(),
            );
            return;
        }
        match self.with_session(|s| s.change_password(current.as_bytes(), new.as_bytes())) {
            Some(Ok(())) => {
                k.set_change_error(SharedString::new());
                self.enter();
            }
            Some(Err(VaultError::SessionLocked)) => self.show_locked(),
            Some(Err(e)) => k.set_change_error(self.message(&e)),
            None => {}
        }
    }

    fn logout(&self) {
        if self.refuse_while_lent() {
            return;
        }
        self.forget_screens();
        let session = self.state.borrow_mut().session.take();
        if let Some(session) = session {
            // A failure to record the end has nowhere better to go; the session row still
            // ends when the session is dropped.
            let _ = session.logout();
        }
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        k.set_user(SharedString::new());
        k.set_pc_name(SharedString::new());
        k.set_company(SharedString::new());
        k.set_login_error(SharedString::new());
        k.set_unlock_error(SharedString::new());
        k.set_screen(Screen::Login);
    }

    // ---- Home ---------------------------------------------------------------------------

    pub(crate) fn show_home(&self) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        self.go(Screen::Home);
        let summary =
            self.with_session(|s| s.collection_summary().map(|c| (c, s.pc_name().is_none())));
        match summary {
            Some(Ok((summary, unregistered_pc))) => {
                k.set_summary_allowed(true);
                self.show_summary(&summary, unregistered_pc);
            }
            Some(Err(VaultError::Denied)) => {
                k.set_summary_allowed(false);
                k.set_departments(ModelRc::default());
                k.set_warnings(ModelRc::default());
            }
            Some(Err(e)) => self.failed(e),
            None => {}
        }
    }

    fn show_summary(&self, summary: &CollectionSummary, unregistered_pc: bool) {
        let lang = self.lang();
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        let row = |name: String, c: &StatusCounts| DeptRow {
            name: name.into(),
            not_requested: count(c, CollectionStatus::NotRequested),
            requested: count(c, CollectionStatus::Requested),
            collected: count(c, CollectionStatus::Collected),
            verified: count(c, CollectionStatus::Verified),
            refused: count(c, CollectionStatus::Refused),
            total: c.total().try_into().unwrap_or(i32::MAX),
        };
        let mut rows: Vec<DeptRow> = summary
            .departments
            .iter()
            .map(|d| {
                let name = if d.department.is_some() {
                    d.name.clone()
                } else {
                    tr(lang, "（部署なし）", "(no department)")
                };
                row(name, &d.counts)
            })
            .collect();
        if summary.payees.total() > 0 {
            rows.push(row(tr(lang, "支払先", "Payees"), &summary.payees));
        }
        k.set_departments(ModelRc::new(VecModel::from(rows)));
        k.set_totals(row(tr(lang, "合計", "Total"), &summary.total));
        let mut warnings: Vec<SharedString> = Vec::new();
        if unregistered_pc {
            warnings.push(
                tr(
                    lang,
                    "このPCは登録されていません。管理者にPCの登録を依頼してください。",
                    "This PC is not registered. Ask an administrator to register it.",
                )
                .into(),
            );
        }
        let not_requested = summary.not_requested();
        if not_requested > 0 {
            warnings.push(
                match lang {
                    Lang::Ja => {
                        format!("個人番号の提出をまだ依頼していない人が{not_requested}人います。")
                    }
                    Lang::En => {
                        format!("{not_requested} people have not been asked for their number yet.")
                    }
                }
                .into(),
            );
        }
        let refused = summary.refused();
        if refused > 0 {
            warnings.push(
                match lang {
                    Lang::Ja => format!(
                        "提出を拒否した人が{refused}人います。提出拒否確認書の保管を確認してください。"
                    ),
                    Lang::En => format!(
                        "{refused} people refused to give their number. Check that the refusal records are kept."
                    ),
                }
                .into(),
            );
        }
        k.set_warnings(ModelRc::new(VecModel::from(warnings)));
    }

    // ---- People -------------------------------------------------------------------------

    pub(crate) fn show_people(&self) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        let departments = self.with_session(|s| s.departments());
        match departments {
            Some(Ok(d)) => {
                let mut choices = vec![SharedString::from(tr(
                    self.lang(),
                    "すべての部署",
                    "All departments",
                ))];
                choices.extend(d.iter().map(|(_, n)| SharedString::from(n.as_str())));
                k.set_department_choices(ModelRc::new(VecModel::from(choices)));
                k.set_search_text(SharedString::new());
                let mut state = self.state.borrow_mut();
                state.departments = d;
                state.query = PeopleQuery::default();
            }
            Some(Err(e)) => return self.failed(e),
            None => return,
        }
        self.go(Screen::People);
        self.refresh_people();
    }

    /// Asks the engine for the people matching the current query (the engine checks the
    /// permission, applies the user's scope and logs the search).
    fn refresh_people(&self) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        let result = {
            let mut state = self.state.borrow_mut();
            let State { session, query, .. } = &mut *state;
            session.as_mut().map(|s| s.list(query))
        };
        match result {
            Some(Ok(rows)) => {
                k.set_people_error(SharedString::new());
                let n = rows.len();
                self.people.set(rows, &self.state.borrow().departments);
                k.set_people_count(n.try_into().unwrap_or(i32::MAX));
            }
            Some(Err(VaultError::SessionLocked)) => self.show_locked(),
            Some(Err(e)) => {
                self.people.clear();
                k.set_people_count(0);
                k.set_people_error(self.message(&e));
            }
            None => {}
        }
    }

    fn search(self: &Rc<Self>, text: &str, now: bool) {
        self.state.borrow_mut().pending_search = Some(text.to_owned());
        if now {
            self.search_timer.stop();
            self.run_search();
            return;
        }
        // Typing: search once the user pauses, so that one word is one search (and one
        // entry in the log), not one per key.
        let weak = Rc::downgrade(self);
        self.search_timer
            .start(TimerMode::SingleShot, self.config.search_delay, move || {
                if let Some(inner) = weak.upgrade() {
                    inner.run_search();
                }
            });
    }

    fn run_search(&self) {
        let text = self.state.borrow_mut().pending_search.take();
        let Some(text) = text else { return };
        let text = text.trim();
        self.state.borrow_mut().query.text = (!text.is_empty()).then(|| text.to_owned());
        self.refresh_people();
    }

    fn filter_department(&self, index: i32) {
        {
            let mut state = self.state.borrow_mut();
            let d = usize::try_from(index - 1)
                .ok()
                .and_then(|i| state.departments.get(i))
                .map(|(id, _)| *id);
            state.query.department = d;
        }
        self.refresh_people();
    }

    fn filter_collection(&self, index: i32) {
        self.state.borrow_mut().query.collection = usize::try_from(index - 1)
            .ok()
            .and_then(|i| CollectionStatus::ALL.get(i))
            .copied();
        self.refresh_people();
    }

    // ---- Lock ---------------------------------------------------------------------------

    fn activity(&self) {
        let locked = self.with_session(|s| s.user_active().map(|()| s.is_locked()));
        if let Some(Ok(true)) = locked {
            self.show_locked();
        }
    }

    /// The timer's question to the engine: has the session idled out?
    fn poll_idle(&self) {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return;
        };
        let locked = match state.session.as_mut() {
            Some(s) if !s.is_locked() => s.check_idle(),
            _ => return,
        };
        drop(state);
        match locked {
            Ok(true) => self.show_locked(),
            Ok(false) => {}
            Err(e) => self.failed(e),
        }
    }

    fn lock(&self) {
        if self.refuse_while_lent() {
            return;
        }
        let result = self.with_session(|s| s.lock(LockReason::Manual));
        match result {
            Some(Ok(())) => self.show_locked(),
            Some(Err(e)) => self.failed(e),
            None => {}
        }
    }

    /// Shows the lock screen, and forgets everything personal the screens held.
    pub(crate) fn show_locked(&self) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        let current = k.get_screen();
        if current != Screen::Locked {
            self.state.borrow_mut().before_lock = Some(current);
        }
        self.forget_screens();
        k.set_unlock_error(SharedString::new());
        k.set_screen(Screen::Locked);
    }

    fn unlock(&self, pw: &str) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        match self.with_session(|s| s.unlock(pw.as_bytes())) {
            Some(Ok(())) => {
                k.set_unlock_error(SharedString::new());
                let back = self.state.borrow_mut().before_lock.take();
                match back {
                    Some(Screen::ChangePassword) => k.set_screen(Screen::ChangePassword),
                    Some(screen) => self.reshow(screen),
                    None => self.show_home(),
                }
            }
            Some(Err(e)) => k.set_unlock_error(self.message(&e)),
            None => {}
        }
    }

    fn forget_screens(&self) {
        self.forget_working_screens();
        self.people.clear();
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        k.set_banner(SharedString::new());
        k.set_people_count(0);
        k.set_departments(ModelRc::default());
        k.set_totals(DeptRow::default());
        k.set_warnings(ModelRc::default());
        k.set_department_choices(ModelRc::default());
        let mut state = self.state.borrow_mut();
        state.departments.clear();
        state.query = PeopleQuery::default();
        state.pending_search = None;
        self.search_timer.stop();
    }

    // ---- Lending the session to long work ------------------------------------------------

    /// Takes the session out for work on another thread (the engine's `Session` is `Send`).
    /// Until [`Inner::return_session`], the header is disabled (`Kiosk.busy`), lock and
    /// log-out are refused, and the idle poll finds no session to lock: a run that takes
    /// hours must not lose its session half-way.
    pub(crate) fn lend_session(&self) -> Option<Session> {
        let mut state = self.state.borrow_mut();
        let session = state.session.take()?;
        state.lent = true;
        self.ui().global::<Kiosk>().set_busy(true);
        Some(session)
    }

    /// Puts back a session from [`Inner::lend_session`].
    pub(crate) fn return_session(&self, session: Session) {
        let mut state = self.state.borrow_mut();
        state.session = Some(session);
        state.lent = false;
        self.ui().global::<Kiosk>().set_busy(false);
    }

    fn refuse_while_lent(&self) -> bool {
        let lent = self.state.borrow().lent;
        if lent {
            let text = tr(
                self.lang(),
                "処理の実行中は、ロックもログアウトもできません。終わるまで待つか、中止してください。",
                "You cannot lock or log out while work is running. Wait for it, or cancel it.",
            );
            self.ui().global::<Kiosk>().set_banner(text.into());
        }
        lent
    }

    // ---- Helpers ------------------------------------------------------------------------

    /// Goes to a working screen: what the last one said in the banner no longer applies.
    pub(crate) fn go(&self, screen: Screen) {
        // A revealed number or a person's details never outlive their screens.
        self.leaving_person(screen);
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        k.set_banner(SharedString::new());
        k.set_screen(screen);
    }

    /// Asks the engine whether "delete everything" would be refused (nothing is done).
    pub(crate) fn check_destroy(
        &self,
        request: &kinko_vault::DestroyRequest,
    ) -> Option<VaultResult<()>> {
        let mut state = self.state.borrow_mut();
        let State { vault, session, .. } = &mut *state;
        let (vault, session) = (vault.as_ref()?, session.as_mut()?);
        Some(vault.check_delete_everything(session, request).map(|_| ()))
    }

    /// Hands the vault and the session over (to be destroyed); the screens forget everything.
    pub(crate) fn take_vault_and_session(&self) -> Option<(Vault, Session)> {
        self.forget_screens();
        let mut state = self.state.borrow_mut();
        let session = state.session.take()?;
        match state.vault.take() {
            Some(vault) => Some((vault, session)),
            None => {
                state.session = Some(session);
                None
            }
        }
    }

    /// Opens whatever vault the folder holds (after a failed destruction): log-in if there is
    /// one, set-up if not.
    pub(crate) fn reopen_vault(&self) {
        let vault = Vault::open(&self.config.dir).ok();
        let screen = if vault.is_some() {
            Screen::Login
        } else {
            Screen::Setup
        };
        self.state.borrow_mut().vault = vault;
        self.ui().global::<Kiosk>().set_screen(screen);
    }

    /// Runs `f` on the logged-in session (`None` when nobody is logged in).
    pub(crate) fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
        let mut state = self.state.borrow_mut();
        state.session.as_mut().map(f)
    }

    /// An engine error outside a form: a locked session shows the lock screen; anything
    /// else is shown where the user is.
    pub(crate) fn failed(&self, e: VaultError) {
        let ui = self.ui();
        let k = ui.global::<Kiosk>();
        match e {
            VaultError::SessionLocked => self.show_locked(),
            VaultError::PasswordChangeRequired => k.set_screen(Screen::ChangePassword),
            e => match k.get_screen() {
                Screen::People => k.set_people_error(self.message(&e)),
                Screen::Locked => k.set_unlock_error(self.message(&e)),
                Screen::Home => {
                    let mut w = vec![self.message(&e)];
                    w.extend(k.get_warnings().iter());
                    k.set_warnings(ModelRc::new(VecModel::from(w)));
                }
                _ => k.set_banner(self.message(&e)),
            },
        }
    }
}

fn count(c: &StatusCounts, status: CollectionStatus) -> i32 {
    c.get(status).try_into().unwrap_or(i32::MAX)
}
