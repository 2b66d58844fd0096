//! A background delivery loop: one round now, then again when woken or every few seconds.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::error::AppResult;

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
