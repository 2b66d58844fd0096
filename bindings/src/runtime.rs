//! The one tokio runtime of the library, the platform's logger, and panics turned into errors.
//!
//! Futures handed to the foreign side are polled by its executor (Kotlin coroutines, Swift
//! tasks), which knows nothing of tokio; so each async method spawns its work on this runtime and
//! awaits the join handle, which any executor can poll. A panic in that work ends the task, not
//! the app: it is logged and answered as the error `internal`.

use std::future::Future;
use std::sync::{Arc, OnceLock, RwLock};

use crate::LkError;
use crate::platform::{LogLevel, Logger};

static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
static LOGGER: RwLock<Option<Arc<dyn Logger>>> = RwLock::new(None);

/// Sets up the library once, before anything else: the runtime (two worker threads are plenty
/// for a phone) and the log. Calling it again only replaces the logger.
#[uniffi::export]
pub fn init(logger: Option<Arc<dyn Logger>>) -> Result<(), LkError> {
    *LOGGER.write().unwrap_or_else(|e| e.into_inner()) = logger;
    if RUNTIME.get().is_none() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lk-core")
            .enable_all()
            .build()
            .map_err(|e| LkError::new("internal", format!("Среда выполнения: {e}"), None))?;
        let _ = RUNTIME.set(runtime);
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            log(LogLevel::Error, &format!("panic: {info}"));
            default_hook(info);
        }));
    }
    log(LogLevel::Info, concat!("lk-ffi ", env!("CARGO_PKG_VERSION"), " ready"));
    Ok(())
}

pub(crate) fn runtime() -> Result<&'static tokio::runtime::Runtime, LkError> {
    RUNTIME.get().ok_or_else(|| {
        LkError::new("not_initialised", "Библиотека не инициализирована: вызовите init()", None)
    })
}

pub(crate) fn log(level: LogLevel, message: &str) {
    let logger = LOGGER.read().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(logger) = logger {
        logger.log(level, message.to_owned());
    }
}

/// Runs `work` on the library's runtime and answers its result.
pub(crate) async fn run<T, F>(work: F) -> Result<T, LkError>
where
    F: Future<Output = Result<T, LkError>> + Send + 'static,
    T: Send + 'static,
{
    match runtime()?.spawn(work).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => {
            Err(LkError::new("internal", "Внутренняя ошибка приложения", None))
        }
        Err(_) => Err(LkError::new("cancelled", "Действие отменено", None)),
    }
}
