//! What only the platform has, implemented in Kotlin or Swift: the keystore for the refresh
//! token (Android Keystore, iOS Keychain) and the log.

use std::sync::Arc;

/// What a platform implementation throws (`PlatformException.Failed` in Kotlin): the keystore's
/// own failure in its words. Its own type rather than `LkError`, which is the core's: UniFFI's
/// Kotlin cannot yet carry another crate's error out of a callback.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum PlatformError {
    #[error("{reason}")]
    Failed { reason: String },
}

/// Anything else the implementation threw arrives as this, with its description.
impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> PlatformError {
        PlatformError::Failed { reason: e.reason }
    }
}

/// A small secret store that survives app restarts. A method that throws is logged and taken
/// as "nothing stored" (get) or "not stored" (set, delete): the person signs in again.
#[uniffi::export(with_foreign)]
pub trait SecureStore: Send + Sync {
    fn get(&self, key: String) -> Result<Option<String>, PlatformError>;
    fn set(&self, key: String, value: String) -> Result<(), PlatformError>;
    fn delete(&self, key: String) -> Result<(), PlatformError>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
}

/// The platform's log (Logcat, `os_log`).
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    fn log(&self, level: LogLevel, message: String);
}

/// The platform's keystore as the core's `SecureStore`.
pub(crate) struct ForeignSecureStore(pub Arc<dyn SecureStore>);

impl ForeignSecureStore {
    fn report(&self, what: &str, e: PlatformError) {
        crate::runtime::log(LogLevel::Error, &format!("SecureStore.{what}: {e}"));
    }
}

impl lk_core::client::SecureStore for ForeignSecureStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.get(key.to_owned()).unwrap_or_else(|e| {
            self.report("get", e);
            None
        })
    }

    fn set(&self, key: &str, value: &str) {
        if let Err(e) = self.0.set(key.to_owned(), value.to_owned()) {
            self.report("set", e);
        }
    }

    fn delete(&self, key: &str) {
        if let Err(e) = self.0.delete(key.to_owned()) {
            self.report("delete", e);
        }
    }
}
