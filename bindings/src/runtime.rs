//! The one tokio runtime of the library, the platform's logger, and panics turned into errors.
//!
//! Futures handed to the foreign side are polled by its executor (Kotlin coroutines, Swift
//! tasks), which knows nothing of tokio; so each async method spawns its work on this runtime and
//! awaits the join handle, which any executor can poll. A cancelled coroutine frees the future
//! (UniFFI's Kotlin calls `rust_future_free`), and the spawned work is aborted with it. A panic
//! in that work ends the task, not the app: it is logged and answered as the error `internal`.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock, RwLock};
use std::task::{Context, Poll};

use crate::LkError;
use crate::platform::{LogLevel, Logger};
use lk_core::api::ErrorCode;

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
            .map_err(|e| {
                LkError::new(ErrorCode::Internal, format!("Среда выполнения: {e}"), None)
            })?;
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
        LkError::new(
            ErrorCode::NotInitialised,
            "Библиотека не инициализирована: вызовите init()",
            None,
        )
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
    match AbortOnDrop(runtime()?.spawn(work)).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => {
            Err(LkError::new(ErrorCode::Internal, "Внутренняя ошибка приложения", None))
        }
        Err(_) => Err(LkError::new(ErrorCode::Cancelled, "Действие отменено", None)),
    }
}

/// A spawned task that is aborted when its handle is dropped: a dropped `JoinHandle` alone lets
/// the task run on, holding a request the person no longer waits for until its own timeout.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::time::Duration;

    use super::*;
    use crate::platform::{PlatformError, SecureStore};
    use crate::screens::{ClientConfig, LkClient};

    struct NoSecrets;

    impl SecureStore for NoSecrets {
        fn get(&self, _key: String) -> Result<Option<String>, PlatformError> {
            Ok(None)
        }
        fn set(&self, _key: String, _value: String) -> Result<(), PlatformError> {
            Ok(())
        }
        fn delete(&self, _key: String) -> Result<(), PlatformError> {
            Ok(())
        }
    }

    #[test]
    fn a_call_whose_future_is_dropped_stops_and_the_server_sees_its_connection_closed() {
        init(None).unwrap();
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dir = std::env::temp_dir().join(format!("lk-ffi-cancel-{}", std::process::id()));
        let config = ClientConfig {
            base_url: format!("http://{}", server.local_addr().unwrap()),
            data_dir: dir.to_string_lossy().into_owned(),
            timeout_seconds: 60,
        };
        let client = LkClient::open(config, Arc::new(NoSecrets)).unwrap();
        let session = client.session();
        // The coroutine's side: it awaits the call, then is cancelled, which frees the future.
        let foreign = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let waited = foreign.block_on(async {
            tokio::time::timeout(Duration::from_millis(500), session.cities()).await
        });
        assert!(waited.is_err(), "the server never answers");

        let (mut connection, _) = server.accept().unwrap();
        connection.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut request = Vec::new();
        let closed = connection.read_to_end(&mut request);
        assert!(closed.is_ok(), "still open 10 s after the call was dropped: {closed:?}");
        assert!(request.starts_with(b"GET "), "{}", String::from_utf8_lossy(&request));
        drop(client);
        let _ = std::fs::remove_dir_all(dir);
    }
}
