//! A background delivery loop: one round now, then again when woken or every few seconds.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use lk_core::backoff::Backoff;
use tokio::sync::Notify;

use crate::error::AppResult;

/// How a message or push that a provider did not take waits for its next try: from half a
/// minute to four hours, so a provider down for a night is not hammered, nor waited on for days.
pub const DELIVERY_RETRY: Backoff =
    Backoff { base: Duration::from_secs(30), cap: Duration::from_secs(4 * 3600), jitter: 0.2 };

/// Wakes a worker; cheap to clone into the app state.
#[derive(Clone)]
pub struct Waker(Arc<Notify>);

impl Waker {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

pub fn spawn<F, Fut>(name: &'static str, mut round: F) -> Waker
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = AppResult<()>> + Send,
{
    let wake = Arc::new(Notify::new());
    let waker = Waker(wake.clone());
    tokio::spawn(async move {
        loop {
            if let Err(e) = round().await {
                tracing::warn!(worker = name, error = ?e.body, "delivery round failed");
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    });
    waker
}
