//! Sending the outbox: oldest first; a refusal by the server becomes an item the person acts on
//! and the queue moves on; a dead network or server stops the round and backs off, keeping the
//! order; an expired session waits for sign-in. Only the signed-in profile's actions are sent,
//! each with that profile's session.

use std::sync::Arc;
use std::time::Duration;

use super::command::Command;
use crate::api::{ApiError, Capture, CaptureBatch, CaptureOutcomes, ErrorCode, Route};

use super::Inner;
use super::error::{ClientError, ClientResult};
use super::http::{Body, Call};
use super::store::{LEGACY, OutboxItem, OutboxState};
use crate::backoff::Backoff;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub sent: usize,
    pub needs_action: usize,
    /// Still waiting (network down, or not yet due).
    pub waiting: usize,
}

/// How the outbox waits for a dead network or server: from a second to five minutes between
/// rounds, jittered so phones coming back online together do not all send at once.
pub const OUTBOX_RETRY: Backoff =
    Backoff { base: Duration::from_secs(1), cap: Duration::from_secs(300), jitter: 0.5 };

/// A session kept from before profiles were recorded learns whose it is from the service, so
/// what it queued is that profile's from now on. Offline, it stays as it was.
pub async fn name_legacy_session(inner: &Inner) -> ClientResult<()> {
    if inner.profile().as_deref() != Some(LEGACY) {
        return Ok(());
    }
    let profile: crate::api::Profile = match inner
        .api
        .call::<(), _>(Call {
            target: Route::PROFILE.at(&[]),
            body: Body::None,
            idempotency_key: None,
            auth: true,
        })
        .await
    {
        Ok(profile) => profile,
        Err(e) if e.is_transient() => return Ok(()),
        Err(e) => return Err(e),
    };
    let _gate = inner.session_gate.lock().await;
    if inner.profile().as_deref() == Some(LEGACY) {
        inner.set_profile(Some(&super::profile_key(&profile.login)))?;
        inner.publish_outbox()?;
    }
    Ok(())
}

/// One round through the queue, in order. A reader's captures go before their photos: the first
/// pass sends every item's command (a resident's reading carries its photo's id, so that photo
/// goes just before it); the second uploads the captures' photos, so a weak signal moves the
/// readings first. A capture whose photo did not go stays queued: sending it again changes
/// nothing, then the photo follows.
pub async fn run_once(inner: &Inner) -> ClientResult<SyncReport> {
    let mut report = SyncReport::default();
    name_legacy_session(inner).await?;
    let Some(profile) = inner.profile() else {
        return Ok(report); // nobody signed in: nothing is anybody's to send
    };
    let items = inner.store.outbox(&profile)?;
    let mut stopped = false;
    let mut photos_after = Vec::new();
    let mut captures = CaptureRun::default();
    for item in items.into_iter().filter(|i| i.state == OutboxState::Queued) {
        if stopped || item.next_attempt_at > inner.now() {
            report.waiting += 1;
            continue;
        }
        let Some(mut command) = item.command.clone() else {
            // Written by a newer app: not guessed at; the person can dismiss it.
            let error = ApiError::of(ErrorCode::Store);
            let item_id = item.id;
            inner.store.off_runtime(move |s| s.mark_needs_action(item_id, &error)).await?;
            report.needs_action += 1;
            continue;
        };
        // A reader's captures of one route go together, a batch a request, in the order made:
        // the batch waiting goes first when this item cannot join it.
        let joins =
            matches!(&command, Command::RoundCapture { round_id, .. } if captures.takes(round_id));
        if !joins {
            let run = std::mem::take(&mut captures);
            run.send(inner, &profile, &mut report, &mut stopped, &mut photos_after).await?;
            if stopped {
                report.waiting += 1;
                continue;
            }
        }
        if let Command::RoundCapture { round_id, capture } = command {
            captures.round_id = round_id;
            captures.items.push((item, capture));
            continue;
        }
        // The session may have changed hands since the round began: the rest waits for its
        // own profile.
        let _gate = inner.session_gate.lock().await;
        if inner.profile().as_deref() != Some(profile.as_str()) {
            break;
        }
        let photo_sent =
            matches!(&command, Command::Reading { submission, .. } if submission.photo.is_some());
        // A reading's photo goes before it, as the reading carries its id.
        let answer = match (item.has_photo, photo_sent) {
            (true, false) => upload_photo(inner, item.id, &item.idempotency_key).await,
            _ => Ok(None),
        };
        let answer: ClientResult<serde_json::Value> = match answer {
            Ok(photo) => {
                if let (Some(id), Command::Reading { submission, .. }) = (photo, &mut command) {
                    submission.photo = Some(id);
                    let (item_id, kept) = (item.id, command.clone());
                    inner.store.off_runtime(move |s| s.update_command(item_id, &kept)).await?;
                }
                let body = command.body()?;
                inner
                    .api
                    .call(Call {
                        target: command.target(),
                        body: Body::Json(&body),
                        idempotency_key: Some(&item.idempotency_key),
                        auth: true,
                    })
                    .await
            }
            Err(e) => Err(e),
        };
        settle(inner, &item, answer, &mut report, &mut stopped).await?;
    }
    captures.send(inner, &profile, &mut report, &mut stopped, &mut photos_after).await?;
    // A capture's photo goes in this second pass, under the key the capture names.
    for (item, key, result) in photos_after {
        let _gate = inner.session_gate.lock().await;
        if stopped || inner.profile().as_deref() != Some(profile.as_str()) {
            report.waiting += 1;
            continue;
        }
        let answer = upload_photo(inner, item.id, &key).await.map(|_| result);
        settle(inner, &item, answer, &mut report, &mut stopped).await?;
    }
    inner.publish_outbox()?;
    Ok(report)
}

/// Queued captures of one route waiting to go as one batch.
#[derive(Default)]
struct CaptureRun {
    round_id: String,
    items: Vec<(OutboxItem, Capture)>,
}

/// A capture whose photo is still to go, with the service's answer to it.
type PhotoAfter = (OutboxItem, String, serde_json::Value);

impl CaptureRun {
    /// Whether a capture of `round_id` joins this batch.
    fn takes(&self, round_id: &str) -> bool {
        self.items.is_empty() || (self.round_id == round_id && self.items.len() < CaptureBatch::MAX)
    }

    /// Sends the batch. The service keys each capture by its device id, so a batch sent again
    /// after a lost answer, whole or in part, changes nothing. Each item is settled with its
    /// own outcome; one with a photo waits for the second pass.
    async fn send(
        self,
        inner: &Inner,
        profile: &str,
        report: &mut SyncReport,
        stopped: &mut bool,
        photos_after: &mut Vec<PhotoAfter>,
    ) -> ClientResult<()> {
        let Some((first, _)) = self.items.first() else { return Ok(()) };
        let gate = inner.session_gate.lock().await;
        if *stopped || inner.profile().as_deref() != Some(profile) {
            report.waiting += self.items.len();
            return Ok(());
        }
        let batch = CaptureBatch { captures: self.items.iter().map(|(_, c)| c.clone()).collect() };
        let answer: ClientResult<CaptureOutcomes> = inner
            .api
            .call(Call {
                target: Route::ROUND_CAPTURES.at(&[&self.round_id]),
                body: Body::Json(&batch),
                idempotency_key: Some(&first.idempotency_key),
                auth: true,
            })
            .await;
        drop(gate);
        for (item, capture) in self.items {
            let answer = answer.as_ref().map_err(Clone::clone).and_then(|all| {
                let own = all.outcomes.iter().filter(|o| o.device_id == capture.device_id);
                Ok(serde_json::to_value(CaptureOutcomes { outcomes: own.cloned().collect() })?)
            });
            match (answer, capture.photos.first().filter(|_| item.has_photo)) {
                (Ok(result), Some(key)) => photos_after.push((item, key.clone(), result)),
                (answer, _) => settle(inner, &item, answer, report, stopped).await?,
            }
        }
        Ok(())
    }
}

/// Records what became of one item: sent, refused (the person's to act on), or to try again
/// later, which holds the rest of the round back.
async fn settle(
    inner: &Inner,
    item: &OutboxItem,
    answer: ClientResult<serde_json::Value>,
    report: &mut SyncReport,
    stopped: &mut bool,
) -> ClientResult<()> {
    let item_id = item.id;
    match answer {
        Ok(result) => {
            let result = result.to_string();
            inner.store.off_runtime(move |s| s.mark_sent(item_id, &result)).await?;
            report.sent += 1;
        }
        Err(ClientError::Refused { error, status }) if status != 401 => {
            inner.store.off_runtime(move |s| s.mark_needs_action(item_id, &error)).await?;
            report.needs_action += 1;
        }
        Err(e) if e.is_transient() => {
            let next = OUTBOX_RETRY.next_at(item.attempts.saturating_add(1), inner.now());
            inner.store.off_runtime(move |s| s.mark_retry(item_id, next)).await?;
            report.waiting += 1;
            *stopped = true;
        }
        Err(e) => {
            inner.publish_outbox()?;
            return Err(e);
        }
    }
    Ok(())
}

/// Uploads the photo kept with an item under `key` (the reading's own key, or the one its
/// capture names), so a retry is the same photo; answers its id.
async fn upload_photo(inner: &Inner, id: i64, key: &str) -> ClientResult<Option<String>> {
    let Some(photo) = inner.store.photo(id)? else { return Ok(None) };
    let stored: crate::api::PhotoStored = inner
        .api
        .call::<(), _>(Call {
            target: Route::PHOTO.at(&[key]),
            body: Body::Bytes(&photo.bytes, &photo.content_type),
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
