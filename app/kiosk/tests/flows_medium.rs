//! The appliance's export/backup medium (issue 7) through the medium bar, with a fake root
//! helper: a thread that answers the request file in the control directory as kinko-medium
//! does (status file, "mounted" at the control directory's mnt/). Checked: nothing to save to
//! until a stick is authorised; 「この媒体を使う」 → the export lands in the mount point;
//! 「取り外す」 → blocked again and no medium; the helper's errors in Japanese; a user with no
//! medium permission refused by the engine; the engine's log through a second session.
//!
//! The testing backend can be set up once per process, so this file holds one `#[test]`.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::*;
use i_slint_backend_testing::mock_elapsed_time;
use kinko_kiosk::app::App;
use kinko_kiosk::{MediumApi, Screen, TransferApi, demo};
use kinko_vault::{AuditQuery, Outcome, PcIdentity};
use slint::{ComponentHandle, Model};

#[test]
fn medium_authorised_used_and_ejected() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let k = MediumKiosk::new();
    export_goes_to_the_authorised_stick(&k);
    helper_errors_are_said(&k);
    refused_without_a_medium_permission(&k);
    k.stop.store(true, Ordering::SeqCst);
}

/// What the fake helper does with `allow ID`: mount, or fail with an error code.
#[derive(Clone)]
enum Stick {
    Mounts,
    Fails(&'static str, &'static str),
}

struct FakeHelper {
    control: PathBuf,
    /// USBGuard ID → (the status line's device fields, what allowing it does).
    sticks: Mutex<HashMap<u32, (String, Stick)>>,
    mounted: Mutex<Option<u32>>,
}

impl FakeHelper {
    fn write_status(&self, state: &str, error: Option<(&str, &str)>) {
        let sticks = self.sticks.lock().unwrap();
        let mounted = *self.mounted.lock().unwrap();
        let mut text = format!("state={state}\n");
        if let Some((code, detail)) = error {
            text += &format!("error={code}\nerror_detail={detail}\n");
        }
        let mut ids: Vec<_> = sticks.keys().copied().collect();
        ids.sort();
        for id in ids {
            let fields = &sticks[&id].0;
            if Some(id) == mounted {
                text += &format!("medium={id}\t{fields}\t32505856\tvfat\n");
            } else {
                text += &format!("blocked={id}\t{fields}\n");
            }
        }
        let tmp = self.control.join(".status.new");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(tmp, self.control.join("status")).unwrap();
    }

    /// One request, as kinko-medium answers it.
    fn answer(&self, request: &str) {
        self.write_status("waiting", None);
        let (state, error) = match request.trim().strip_prefix("allow ") {
            Some(id) => {
                let id: u32 = id.parse().unwrap();
                let stick = self.sticks.lock().unwrap().get(&id).map(|s| s.1.clone());
                match stick {
                    Some(Stick::Mounts) => {
                        *self.mounted.lock().unwrap() = Some(id);
                        ("mounted", None)
                    }
                    Some(Stick::Fails(code, detail)) => ("idle", Some((code, detail))),
                    None => ("idle", Some(("gone", ""))),
                }
            }
            None => {
                assert_eq!(request.trim(), "eject");
                *self.mounted.lock().unwrap() = None;
                ("idle", None)
            }
        };
        self.write_status(state, error);
    }
}

struct MediumKiosk {
    app: App,
    clock: Arc<kinko_vault::ManualClock>,
    dir: PathBuf,
    helper: Arc<FakeHelper>,
    stop: Arc<AtomicBool>,
    _thread: JoinHandle<()>,
    _tmp: tempfile::TempDir,
}

impl MediumKiosk {
    fn new() -> MediumKiosk {
        let tmp = tempfile::tempdir().unwrap();
        let clock = clock();
        let dir = tmp.path().join("vault");
        let control = tmp.path().join("medium");
        std::fs::create_dir_all(control.join("request")).unwrap();
        std::fs::create_dir_all(control.join("mnt")).unwrap();
        demo::create(&dir, 10, &PcIdentity::from_override(TEST_PC), clock.clone()).unwrap();
        let helper = Arc::new(FakeHelper {
            control: control.clone(),
            sticks: Mutex::new(HashMap::new()),
            mounted: Mutex::new(None),
        });
        helper.write_status("idle", None);
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (helper, stop) = (helper.clone(), stop.clone());
            std::thread::spawn(move || {
                let request = helper.control.join("request/request");
                while !stop.load(Ordering::SeqCst) {
                    if let Ok(text) = std::fs::read_to_string(&request) {
                        // Published as waiting before the request goes, like the real helper.
                        helper.write_status("waiting", None);
                        std::fs::remove_file(&request).unwrap();
                        helper.answer(&text);
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        let mut cfg = config(dir.clone(), clock.clone());
        cfg.medium_control = Some(control);
        let app = App::new(cfg).unwrap();
        MediumKiosk {
            app,
            clock,
            dir,
            helper,
            stop,
            _thread: thread,
            _tmp: tmp,
        }
    }

    fn mnt(&self) -> PathBuf {
        self.helper.control.join("mnt")
    }

    fn plug(&self, id: u32, serial: &str, stick: Stick) {
        let fields = format!("46f4:0001\tQEMU USB HARDDRIVE\t{serial}");
        self.helper
            .sticks
            .lock()
            .unwrap()
            .insert(id, (fields, stick));
        self.helper.write_status("idle", None);
        self.settle();
    }

    fn api(&self) -> MediumApi<'_> {
        self.app.ui().global::<MediumApi>()
    }

    /// Lets the helper take the request and the window's timer read its answer.
    fn settle(&self) {
        let start = Instant::now();
        let request = self.helper.control.join("request/request");
        loop {
            let status = std::fs::read_to_string(self.helper.control.join("status")).unwrap();
            if !request.exists() && !status.contains("state=waiting") {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the helper answers"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        mock_elapsed_time(Duration::from_millis(1100));
    }

    fn use_device(&self, id: u32) {
        let devices: Vec<_> = self.api().get_devices().iter().collect();
        assert!(
            devices.iter().any(|d| d.id == id.to_string()),
            "{id} offered: {devices:?}"
        );
        // The bar's button for this device (one per device, in order).
        let index = devices.iter().position(|d| d.id == id.to_string()).unwrap();
        elements(&self.app, "この媒体を使う")[index].invoke_accessible_default_action();
        self.settle();
    }

    fn user_id(&self, login: &str) -> i64 {
        let users = self.admin().users().unwrap();
        users.into_iter().find(|u| u.login == login).unwrap().id.0
    }

    fn audit(&self, action: &str) -> Vec<kinko_vault::AuditEntry> {
        self.admin()
            .audit_list(&AuditQuery {
                action: Some(action.into()),
                ..AuditQuery::default()
            })
            .unwrap()
    }

    /// A second engine session, as the administrator: what the engine stored.
    fn admin(&self) -> kinko_vault::Session {
        kinko_vault::Vault::open(&self.dir)
            .unwrap()
            .login_with(
                demo::ADMIN,
                demo::PASSWORD.as_bytes(),
                &PcIdentity::from_override(TEST_PC),
                self.clock.clone(),
            )
            .unwrap()
    }
}

fn csv_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn export_goes_to_the_authorised_stick(k: &MediumKiosk) {
    let app = &k.app;
    log_in(app, demo::CLERK, demo::PASSWORD);
    press(app, "取込・出力");
    press(app, "CSVの出力");
    assert_eq!(screen(app), Screen::Export);
    mock_elapsed_time(Duration::from_millis(1100));
    assert!(k.api().get_controlled());
    assert_eq!(k.api().get_summary(), "USBメモリが接続されていません");
    assert_eq!(k.api().get_devices().row_count(), 0);

    // No medium yet: the export has nowhere to go.
    let transfer = app.ui().global::<TransferApi>();
    type_into(app, "持出しの目的", "年末調整");
    type_into(app, "ファイル名", "出力");
    press(app, "書き出す");
    assert!(
        transfer
            .get_file_name_error()
            .contains("保存先の媒体がありません")
    );

    k.plug(7, "KINKO-A", Stick::Mounts);
    assert_eq!(k.api().get_summary(), "使うUSBメモリを選んでください");
    k.use_device(7);
    assert!(k.api().get_mounted(), "error: {}", k.api().get_error());
    assert!(
        k.api()
            .get_summary()
            .starts_with("使用中のUSBメモリ: QEMU USB HARDDRIVE  #KINKO-A")
    );
    assert_eq!(k.api().get_error(), "");

    press(app, "書き出す");
    assert_eq!(transfer.get_export_error(), "");
    assert_eq!(transfer.get_file_name_error(), "");
    let written = csv_files(&k.mnt());
    assert!(written.iter().any(|f| f.starts_with("出力")), "{written:?}");

    press(app, "取り外す");
    k.settle();
    assert!(!k.api().get_mounted());
    assert_eq!(
        k.api().get_devices().row_count(),
        1,
        "blocked again, offered again"
    );
    type_into(app, "ファイル名", "二回目");
    press(app, "書き出す");
    assert!(
        transfer
            .get_file_name_error()
            .contains("保存先の媒体がありません")
    );

    let allows = k.audit("medium.allow");
    assert_eq!(allows.len(), 1, "{allows:?}");
    assert_eq!(allows[0].outcome, Outcome::Ok);
    assert!(
        allows[0].detail.contains("id=7 usb=46f4:0001"),
        "{}",
        allows[0].detail
    );
    assert!(allows[0].detail.contains("serial=\"KINKO-A\""));
    assert_eq!(allows[0].actor.user, Some(k.user_id(demo::CLERK)));
    let ejects = k.audit("medium.eject");
    assert_eq!(ejects.len(), 1);
    assert!(ejects[0].detail.contains("KINKO-A"));
}

fn helper_errors_are_said(k: &MediumKiosk) {
    k.plug(8, "NTFS-STICK", Stick::Fails("unsupported-fs", "ntfs"));
    k.use_device(8);
    assert!(!k.api().get_mounted());
    assert_eq!(
        k.api().get_error(),
        "このUSBメモリの形式（ntfs）には対応していません。FAT32・exFAT・ext4 のものを使ってください"
    );
    k.plug(9, "SLOW", Stick::Fails("timeout", ""));
    k.use_device(9);
    assert!(
        k.api().get_error().contains("時間切れ"),
        "{}",
        k.api().get_error()
    );
    // Pulled out between the list and the press: the helper says it is gone.
    k.helper.sticks.lock().unwrap().get_mut(&7).unwrap().1 = Stick::Fails("gone", "");
    k.use_device(7);
    assert!(
        k.api().get_error().contains("見つかりません"),
        "{}",
        k.api().get_error()
    );
    press(&k.app, "ログアウト");
}

fn refused_without_a_medium_permission(k: &MediumKiosk) {
    let app = &k.app;
    log_in(app, demo::AUDITOR, demo::PASSWORD);
    let before = k.audit("medium.allow").len();
    k.api().invoke_use_device("8".into());
    assert_eq!(k.api().get_error(), "この操作の権限がありません");
    assert!(
        !k.helper.control.join("request/request").exists(),
        "no request sent"
    );
    let allows = k.audit("medium.allow");
    assert_eq!(allows.len(), before + 1);
    assert_eq!(allows.last().unwrap().outcome, Outcome::Denied);
}
