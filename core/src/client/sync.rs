//! Sending the outbox: oldest first; a refusal by the server becomes an item the person acts on
//! and the queue moves on; a dead network or server stops the round and backs off, keeping the
//! order; an expired session waits for sign-in.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use reqwest::Method;

use super::Inner;
use super::error::{ClientError, ClientResult};
use super::http::{Body, Call};
use super::store::{OutboxKind, OutboxState};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub sent: usize,
    pub needs_action: usize,
    /// Still waiting (network down, or not yet due).
    pub waiting: usize,
}

const MAX_BACKOFF_SECS: i64 = 300;

pub async fn run_once(inner: &Inner) -> ClientResult<SyncReport> {
    let mut report = SyncReport::default();
    let items = inner.store.outbox()?;
    let mut stopped = false;
    for item in items.into_iter().filter(|i| i.state == OutboxState::Queued) {
        if stopped || item.next_attempt_at > Utc::now() {
            report.waiting += 1;
            continue;
        }
        let mut body: serde_json::Value = serde_json::from_str(&item.body)?;
        let method =
            if item.kind == OutboxKind::Notifications { Method::PUT } else { Method::POST };
        let answer = match (&item.photo_path, body.get("photo").is_some_and(|p| !p.is_null())) {
            (Some(path), false) => upload_photo(inner, &item.idempotency_key, path).await,
            _ => Ok(None),
        };
        let answer: ClientResult<serde_json::Value> = match answer {
            Ok(photo) => {
                if let Some(id) = photo {
                    body["photo"] = serde_json::Value::String(id);
                    inner.store.update_body(item.id, &body.to_string())?;
                }
                inner
                    .api
                    .call(Call {
                        method,
                        path: &item.path,
                        body: Body::Json(&body),
                        idempotency_key: Some(&item.idempotency_key),
                        auth: true,
                    })
                    .await
            }
            Err(e) => Err(e),
        };
        match answer {
            Ok(result) => {
                inner.store.mark_sent(item.id, &result.to_string())?;
                report.sent += 1;
            }
            Err(ClientError::Refused { error, status }) if status != 401 => {
                inner.store.mark_needs_action(item.id, &error)?;
                report.needs_action += 1;
            }
            Err(e) if e.is_transient() => {
                let wait = 2i64.pow(item.attempts.min(8)).min(MAX_BACKOFF_SECS);
                inner.store.mark_retry(item.id, Utc::now() + chrono::Duration::seconds(wait))?;
                report.waiting += 1;
                stopped = true;
            }
            Err(e) => {
                inner.publish_outbox()?;
                return Err(e);
            }
        }
    }
    inner.publish_outbox()?;
    Ok(report)
}

/// Uploads the photo of a reading under the reading's own key (so a retry is the same photo);
/// answers its id. A photo that is gone from the device is for the person to resolve.
async fn upload_photo(inner: &Inner, key: &str, path: &str) -> ClientResult<Option<String>> {
    let bytes = std::fs::read(path).map_err(|e| ClientError::Refused {
        status: 0,
        error: crate::api::ApiError {
            code: "photo_missing".into(),
            message: format!("Фото счётчика не найдено на устройстве: {e}"),
            field: Some("photo".into()),
        },
    })?;
    let kind = if bytes.starts_with(b"\x89PNG") { "image/png" } else { "image/jpeg" };
    let stored: crate::api::PhotoStored = inner
        .api
        .call::<(), _>(Call {
            method: Method::PUT,
            path: &format!("/photos/{key}"),
            body: Body::Bytes(&bytes, kind),
            idempotency_key: Some(key),
            auth: true,
        })
        .await?;
    Ok(Some(stored.id))
}

/// Stops the background sync when dropped.
pub struct SyncHandle {
    task: tokio::task::JoinHandle<()>,
}

impl SyncHandle {
    pub fn stop(self) {}
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub fn start(inner: Arc<Inner>) -> SyncHandle {
    let runtime = inner.runtime.clone();
    let task = runtime.spawn(async move {
        loop {
            let pause = match run_once(&inner).await {
                Ok(report) if report.waiting == 0 => Duration::from_secs(30),
                _ => Duration::from_secs(2),
            };
            tokio::select! {
                () = inner.sync_wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
    });
    SyncHandle { task }
}
