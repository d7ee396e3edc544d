//! Compiles the `.slint` screens under `ui/` with the English translation bundled from
//! `lang/en/LC_MESSAGES/kinko-kiosk.po` (Japanese is the source language).
//!
//! Debug info (element IDs and names) is on in every profile but release: the testing backend
//! cannot find any element without it, and a build script cannot tell a test build from
//! another one. `KINKO_KIOSK_DEBUG_INFO=0|1` overrides.

use slint_build::{CompilerConfiguration, DefaultTranslationContext};

fn main() {
    println!("cargo:rerun-if-env-changed=KINKO_KIOSK_DEBUG_INFO");
    println!("cargo:rerun-if-changed=lang");
    let debug_info = match std::env::var("KINKO_KIOSK_DEBUG_INFO").ok().as_deref() {
        Some("1") => true,
        Some("0") => false,
        _ => std::env::var("PROFILE").as_deref() != Ok("release"),
    };
    let config = CompilerConfiguration::new()
        .with_style("fluent-light".into())
        .with_bundled_translations("lang")
        .with_default_translation_context(DefaultTranslationContext::None)
        .with_debug_info(debug_info);
    slint_build::compile_with_config("ui/app.slint", config).expect("the .slint screens compile");
}
