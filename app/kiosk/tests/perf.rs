//! Measures the kiosk with at least 30,000 people: log-in to home, home to the full list, a
//! search, and the resident memory. Slow to set up (the demo vault is filled through the
//! engine), so ignored by default:
//!
//! ```sh
//! cargo test -p kinko-kiosk --release --test perf -- --ignored --nocapture
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use kinko_kiosk::app::{App, Config};
use kinko_kiosk::{Kiosk, Screen, demo};
use kinko_vault::{KdfParams, ManualClock, PcIdentity};
use slint::{ComponentHandle, Model};

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[test]
#[ignore = "slow: builds a vault of 30,000 people"]
fn thirty_thousand_people() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let employees: usize = std::env::var("KINKO_PERF_EMPLOYEES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let pc = PcIdentity::from_override("kiosk-perf-pc");
    let t = Instant::now();
    demo::create(&dir, employees, &pc, clock.clone()).unwrap();
    eprintln!("demo vault: {employees} employees in {:?}", t.elapsed());

    let mut config = Config::new(dir, pc, clock);
    config.kdf = KdfParams::MINIMUM;
    let app = App::new(config).unwrap();
    let k = app.ui().global::<Kiosk>();
    let rss_before = rss_mib();

    let t = Instant::now();
    k.invoke_login(demo::CLERK.into(), demo::PASSWORD.into());
    assert_eq!(k.get_screen(), Screen::Home);
    let to_home = t.elapsed();
    let t2 = Instant::now();
    k.invoke_show_people();
    let list = t2.elapsed();
    let total = t.elapsed();
    let people = app.people_len();
    assert!(people >= 30_000, "{people} people");
    // Only what the view asks for is converted: read the first screenful as the list would.
    let t3 = Instant::now();
    let model = k.get_people();
    for i in 0..20 {
        model.row_data(i).unwrap();
    }
    let rows = t3.elapsed();

    let t4 = Instant::now();
    k.invoke_search("佐藤".into(), true);
    let search = t4.elapsed();
    let found = app.people_len();
    let t5 = Instant::now();
    k.invoke_search("".into(), true);
    let clear = t5.elapsed();
    let rss_after = rss_mib();

    eprintln!("people in the list: {people}");
    eprintln!("log-in (Argon2id minimum) to home with the summary: {to_home:?}");
    eprintln!("home to the full list: {list:?}");
    eprintln!("log-in to the full list: {total:?}");
    eprintln!("first 20 rows as text: {rows:?}");
    eprintln!("search 佐藤 ({found} found): {search:?}; back to everyone: {clear:?}");
    eprintln!("resident memory: {rss_before:.0} MiB before log-in, {rss_after:.0} MiB after");
    assert!(total < Duration::from_secs(5));
}
