//! Any bytes through the whole read path: decode, table, and every preset's mappings.
//! Nothing may panic, and whatever is reported must be an error value, never a crash.
#![no_main]

use kinko_interop::{Limits, Preset, decode_with, employees, family, read_table_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // Small limits so that the limit paths are reached as often as the parsing ones.
    let limits = Limits {
        max_bytes: 1 << 16,
        max_columns: 32,
        max_rows: 256,
    };
    let Ok(decoded) = decode_with(bytes, &limits) else {
        return;
    };
    let Ok(table) = read_table_with(decoded.text(), &limits) else {
        return;
    };
    for preset in Preset::ALL {
        let _ = employees(&table, &preset.employees());
        let _ = family(&table, &preset.family());
    }
});
