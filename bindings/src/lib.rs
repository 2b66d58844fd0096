//! `lk-ffi`: the LK core exported to Kotlin (Android) and Swift (iOS) with UniFFI.
//!
//! A thin translation layer over `lk-core`'s client: the screen objects wrap the core's
//! `Session`, `Accounts`, `Charges`, `Payments`, `Readings`, `Reports` and `Settings`; the data
//! records are the core's own types (its `uniffi` feature derives them), so the apps see exactly
//! what the server sends. Network work runs on one tokio runtime made by [`init`]; the foreign
//! side awaits it as `suspend` functions (Kotlin) and `async` ones (Swift). Every failure reaches
//! the apps as one [`LkError`] with a stable code to translate.

mod billing;
mod platform;
mod runtime;
mod screens;

pub use billing::{ChargeTable, charge_table};
pub use lk_core::ffi_error::LkError;
pub use platform::{LogLevel, Logger, PlatformError, SecureStore};
pub use screens::*;

uniffi::setup_scaffolding!();
