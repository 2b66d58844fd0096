//! Sending the outbox: oldest first; a refusal by the server becomes an item the person acts on
//! and the queue moves on; a dead network or server stops the round and backs off, keeping the
//! order; an expired session waits for sign-in.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use reqwest::Method;

use super::Inner;
use super::error::{ClientError, ClientResult};
use super::http::Call;
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
        let body: serde_json::Value = serde_json::from_str(&item.body)?;
        let method =
            if item.kind == OutboxKind::Notifications { Method::PUT } else { Method::POST };
        let answer: ClientResult<serde_json::Value> = inner
            .api
            .call(Call {
                method,
                path: &item.path,
                body: Some(&body),
                idempotency_key: Some(&item.idempotency_key),
                auth: true,
            })
            .await;
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
