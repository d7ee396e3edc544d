//! `kinko-kiosk`: the kiosk window.
//!
//! ```sh
//! cargo run -p kinko-kiosk -- --demo             # a throw-away demo vault, windowed
//! cargo run -p kinko-kiosk -- --vault /data/kinko # a real vault (set-up on first run)
//! kinko-kiosk --vault /data/kinko --fullscreen    # the appliance
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use kinko_vault::{PcIdentity, SystemClock};
use slint::ComponentHandle;

use kinko_kiosk::app::{App, Config};
use kinko_kiosk::{demo, text};

#[derive(Parser)]
#[command(name = "kinko-kiosk", about = "Kinko マイナンバー管理（キオスク画面）")]
struct Args {
    /// The vault's directory (the first run sets it up).
    #[arg(long, env = "KINKO_VAULT", conflicts_with = "demo")]
    vault: Option<PathBuf>,
    /// A throw-away demo vault with fictional people, deleted on exit.
    #[arg(long)]
    demo: bool,
    /// How many employees the demo vault has (families and payees come on top).
    #[arg(long, default_value_t = 120)]
    demo_employees: usize,
    /// Fill the whole screen (the appliance).
    #[arg(long)]
    fullscreen: bool,
    /// The directory CSV files are imported from and exported, and PDFs saved, to (the
    /// authorised USB medium's mount point). The demo makes one with a sample CSV file.
    #[arg(long, env = "KINKO_MEDIA")]
    media: Option<PathBuf>,
    /// The appliance's export/backup medium: the root helper's status and request files in
    /// DIR (kinko-medium); the app offers the blocked USB sticks and uses the one authorised.
    #[arg(long, value_name = "DIR", conflicts_with = "media")]
    medium_control: Option<PathBuf>,
    /// Show 電源を切る / 再起動 on the log-in screen (systemctl poweroff / reboot).
    #[arg(long)]
    power: bool,
    /// The same, through a request file in DIR that the appliance's root path unit carries out.
    #[arg(long, value_name = "DIR", conflicts_with = "power")]
    power_dir: Option<PathBuf>,
    /// ja (default) or en.
    #[arg(long, default_value = "ja")]
    lang: String,
    /// The system has been copied to memory (the appliance's decommission mode): the medium it
    /// booted from may be sanitized too.
    #[arg(long)]
    system_in_ram: bool,
    /// Offer loop devices on the sanitize screen too (for tests).
    #[arg(long)]
    wipe_loop_devices: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kinko-kiosk: エラー: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let lang = text::parse_lang(&args.lang).ok_or("--lang は ja か en です")?;
    let clock = Arc::new(SystemClock::new());
    let pc = PcIdentity::detect();
    let mut _demo_dir = None;
    let mut media = args.media;
    let (dir, note) = if args.demo {
        let tmp = tempfile::Builder::new()
            .prefix("kinko-demo-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let dir = tmp.path().join("vault");
        eprintln!("kinko-kiosk: デモ用の金庫を作成しています…");
        demo::create(&dir, args.demo_employees, &pc, clock.clone()).map_err(|e| e.to_string())?;
        if media.is_none() {
            let medium = tmp.path().join("media");
            demo::write_sample_media(&medium).map_err(|e| e.to_string())?;
            media = Some(medium);
        }
        _demo_dir = Some(tmp);
        (dir, demo::note(lang))
    } else {
        let dir = args
            .vault
            .ok_or("--vault で金庫の場所を指定するか、--demo を付けてください")?;
        (dir, String::new())
    };
    let mut config = Config::new(dir, pc, clock);
    config.lang = lang;
    config.demo_note = note;
    if args.power {
        config.power = Some(kinko_kiosk::app::PowerCommands::systemd());
    }
    if let Some(dir) = &args.power_dir {
        config.power = Some(kinko_kiosk::app::PowerCommands::request_dir(dir));
    }
    config.media_dir = media;
    config.medium_control = args.medium_control;
    config.wipe.system_in_ram = args.system_in_ram;
    config.wipe.virtual_devices = args.wipe_loop_devices;
    let app = App::new(config).map_err(|e| e.to_string())?;
    if args.fullscreen {
        app.ui().window().set_fullscreen(true);
    }
    #[cfg(feature = "serial-events")]
    let _events = kinko_kiosk::serial_events::start(app.ui());
    app.run().map_err(|e| e.to_string())
}
