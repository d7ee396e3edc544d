//! Kinko's kiosk: a Slint front over the engine (`kinko-vault`).
//!
//! The screens (`ui/*.slint`) show what [`app::App`] gives them and hand every request to it;
//! `App` asks the engine and shows the answer. Every rule, permission check and log entry is
//! the engine's: nothing here opens the store.

pub mod app;
pub mod demo;
pub mod medium;
pub mod model;
mod screens;
pub mod text;

slint::include_modules!();

// Test-only: UI events on a serial port for the appliance's boot test (tests/image/).
#[cfg(feature = "serial-events")]
pub mod serial_events;
