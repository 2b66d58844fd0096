//! The API shaped after the screens of the app: each object serves one section of the LK.

use std::sync::Arc;

use chrono::NaiveDate;
use rand::Rng;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Inner;
use super::command::Command;
use super::error::{ClientError, ClientResult};
use super::http::{Body, Call};
use super::observe::{Cancel, Subscription};
use super::photo::Photo;
use super::store::{Cached, NewAction, OutboxItem, OutboxState};
use crate::Money;
use crate::allocation::{Allocation, FixedAmount, PayableLine, allocate};
use crate::api::*;
use crate::meter::MeterScope;
use crate::meter::ReadingSource;
use crate::period::Period;
use crate::readings::{
    self, CheckContext, FindingCode, OcrCandidate, ReadingCheck, Recognised, ZoneInput,
};
use crate::round::{self, CaptureStatus, Progress, Recorded};
use crate::service::TariffZone;

pub(crate) const ACCOUNTS: &str = "accounts";

/// An idempotency key made at the moment of the person's action.
pub fn new_key() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The outbox title of a reading, its values as Russian writes numbers (`124,751`) whichever
/// separator was typed; what does not read as a number is shown as typed.
fn reading_title(meter_id: &str, values: &[ZoneInput]) -> String {
    let shown: Vec<String> = values
        .iter()
        .map(|v| {
            v.text
                .trim()
                .replace(',', ".")
                .parse::<rust_decimal::Decimal>()
                .map_or_else(|_| v.text.clone(), crate::wording::number)
        })
        .collect();
    format!("Показания счётчика {meter_id}: {}", shown.join(" / "))
}

async fn get<T: DeserializeOwned>(inner: &Inner, target: Target) -> ClientResult<T> {
    inner
        .api
        .call::<(), T>(Call { target, body: Body::None, idempotency_key: None, auth: true })
        .await
}

async fn send<B: Serialize, T: DeserializeOwned>(
    inner: &Inner,
    target: Target,
    body: &B,
    auth: bool,
) -> ClientResult<T> {
    inner.api.call(Call { target, body: Body::Json(body), idempotency_key: None, auth }).await
}

/// Fetches `path`, keeps the answer under `key`; offline, answers what was kept.
async fn fresh_or_cached<T: DeserializeOwned + Serialize + Send + 'static>(
    inner: &Inner,
    key: &str,
    target: Target,
) -> ClientResult<Cached<T>> {
    let profile = inner.signed_in_profile()?;
    match get::<T>(inner, target).await {
        Ok(value) => {
            let now = inner.now();
            // Kept only if the answer is still this profile's (no sign-out meanwhile).
            let value = if inner.profile().as_deref() == Some(profile.as_str()) {
                let key = key.to_owned();
                inner
                    .store
                    .off_runtime(move |s| s.put(&profile, &key, &value, now).map(|()| value))
                    .await?
            } else {
                value
            };
            inner.keep_service_clock()?;
            Ok(Cached { value, refreshed_at: now })
        }
        Err(e) if e.is_transient() => inner.store.get(&profile, key)?.ok_or(e),
        Err(e) => Err(e),
    }
}

/// What sign-out does with the profile's actions the service has not accepted yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum UnsentActions {
    /// Kept on this device, hidden from everyone else, and sent when the same person signs in
    /// again ("send when back").
    KeepForNextSignIn,
    /// Deleted with their photos.
    Discard,
}

/// The sign-out dialog's question when `unsent` actions are waiting; `None` when none are.
pub fn sign_out_warning(unsent: u32) -> Option<String> {
    let forms = ["запись", "записи", "записей"];
    // The verb and pronoun agree too: «1 запись … не отправлена», «21 запись … не отправлена».
    let one = crate::wording::plural(unsent.into(), forms) == forms[0];
    let (verb, them) = if one {
        ("не отправлена", "её")
    } else {
        ("не отправлены", "их")
    };
    let records = crate::wording::count(unsent.into(), forms);
    (unsent > 0).then(|| {
        format!(
            "{records} (показания, письма, настройки) ещё {verb}. Сохранить {them} на этом \
             устройстве и отправить, когда вы снова войдёте, или удалить? Другие пользователи \
             устройства {them} не увидят."
        )
    })
}

/// Sign-in and sign-out, registration (R1–R3) and recovery (R5).
pub struct Session(pub(crate) Arc<Inner>);

impl Session {
    pub fn is_signed_in(&self) -> bool {
        self.0.signed_in.get()
    }

    pub fn observe(&self, listener: Arc<dyn Fn(bool) + Send + Sync>) -> Subscription {
        self.0.signed_in.subscribe(&self.0.runtime, listener)
    }

    /// Signs in; the profile's own actions kept from an earlier session go at once.
    pub async fn sign_in(&self, login: &str, password: &str) -> ClientResult<()> {
        let _gate = self.0.session_gate.lock().await;
        self.0.api.sign_in(login, password).await?;
        self.0.set_profile(Some(&super::profile_key(login)))?;
        self.0.publish_cached_accounts()?;
        self.0.publish_outbox()?;
        self.0.signed_in.set(true);
        self.0.sync_wake.notify_one();
        Ok(())
    }

    /// How many of the signed-in profile's actions the service has not accepted yet (waiting
    /// for the network or for the person): ask before signing out (see [`sign_out_warning`]).
    pub fn unsent(&self) -> ClientResult<u32> {
        match self.0.profile() {
            Some(p) => Ok(u32::try_from(self.0.store.unsent(&p)?).unwrap_or(u32::MAX)),
            None => Ok(0),
        }
    }

    /// Ends the session here and on the server (if reachable). Cached screens and accepted
    /// actions are forgotten; the unsent ones are kept for the same person or discarded, as the
    /// caller says. Answers how many unsent actions were kept or discarded.
    pub async fn sign_out(&self, unsent: UnsentActions) -> ClientResult<u32> {
        // A session from before profiles must be named, or what it keeps goes to whoever comes next.
        super::sync::name_legacy_session(&self.0).await.ok();
        let _gate = self.0.session_gate.lock().await;
        let _ = self
            .0
            .api
            .call::<(), ()>(Call {
                target: Route::SESSION_CURRENT.at(&[]),
                body: Body::None,
                idempotency_key: None,
                auth: true,
            })
            .await;
        self.0.api.forget();
        let mut count = 0;
        if let Some(profile) = self.0.profile() {
            let discard = unsent == UnsentActions::Discard;
            count = self.0.store.off_runtime(move |s| s.sign_out(&profile, discard)).await?;
        }
        self.0.set_profile(None)?;
        self.0.accounts.set(Vec::new());
        self.0.publish_outbox()?;
        self.0.signed_in.set(false);
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    pub async fn cities(&self) -> ClientResult<Vec<RegionCities>> {
        self.0
            .api
            .call::<(), _>(Call {
                target: Route::CITIES.at(&[]),
                body: Body::None,
                idempotency_key: None,
                auth: false,
            })
            .await
    }

    pub async fn captcha(&self) -> ClientResult<CaptchaChallenge> {
        send(&self.0, Route::CAPTCHA.at(&[]), &serde_json::json!({}), false).await
    }

    pub async fn start_registration(
        &self,
        request: &RegistrationRequest,
    ) -> ClientResult<RegistrationState> {
        send(&self.0, Route::REGISTRATIONS.at(&[]), request, false).await
    }

    pub async fn change_registration(
        &self,
        id: &str,
        details: &RegistrationDetails,
    ) -> ClientResult<RegistrationState> {
        send(&self.0, Route::REGISTRATION_DETAILS.at(&[id]), details, false).await
    }

    /// R3: the account and the proof from its latest document; answers its address and masked owner.
    pub async fn bind_account(
        &self,
        id: &str,
        request: &BindAccountRequest,
    ) -> ClientResult<RegistrationState> {
        send(&self.0, Route::REGISTRATION_ACCOUNT.at(&[id]), request, false).await
    }

    /// "Данные верны, продолжить": sends the code or the link.
    pub async fn confirm_account(&self, id: &str) -> ClientResult<RegistrationState> {
        send(&self.0, Route::REGISTRATION_ACCOUNT_CONFIRM.at(&[id]), &serde_json::json!({}), false)
            .await
    }

    /// Where a registration stands: by e-mail it completes when the person follows the link
    /// (in any browser), so the app asks until it sees `Completed`.
    pub async fn registration(&self, id: &str) -> ClientResult<RegistrationState> {
        let call = Call {
            target: Route::REGISTRATION.at(&[id]),
            body: Body::None,
            idempotency_key: None,
            auth: false,
        };
        self.0.api.call::<(), RegistrationState>(call).await
    }

    pub async fn resend_code(&self, id: &str) -> ClientResult<RegistrationState> {
        send(&self.0, Route::REGISTRATION_CODE_RESEND.at(&[id]), &serde_json::json!({}), false)
            .await
    }

    pub async fn registration_code(&self, id: &str, code: &str) -> ClientResult<RegistrationState> {
        let body = CodeRequest { code: code.to_owned() };
        send(&self.0, Route::REGISTRATION_CODE.at(&[id]), &body, false).await
    }

    pub async fn start_recovery(&self, request: &RecoveryRequest) -> ClientResult<RecoveryStarted> {
        send(&self.0, Route::RECOVERIES.at(&[]), request, false).await
    }

    pub async fn recovery_code(&self, id: &str, code: &str) -> ClientResult<RecoveryLogins> {
        let body = CodeRequest { code: code.to_owned() };
        send(&self.0, Route::RECOVERY_CODE.at(&[id]), &body, false).await
    }

    pub async fn recovery_password(
        &self,
        id: &str,
        request: &NewPasswordRequest,
    ) -> ClientResult<()> {
        send(&self.0, Route::RECOVERY_PASSWORD.at(&[id]), request, false).await
    }
}

/// The accounts of the profile (R6).
pub struct Accounts(pub(crate) Arc<Inner>);

impl Accounts {
    /// What the store has: instant, offline.
    pub fn cached(&self) -> Vec<AccountSummary> {
        self.0.accounts.get()
    }

    /// From the server; updates the store and the observers. Offline: the stored list.
    pub async fn refresh(&self) -> ClientResult<Vec<AccountSummary>> {
        let fresh: Cached<Vec<AccountSummary>> =
            fresh_or_cached(&self.0, ACCOUNTS, Route::ACCOUNTS.at(&[])).await?;
        self.0.accounts.set(fresh.value.clone());
        Ok(fresh.value)
    }

    pub fn observe(
        &self,
        listener: Arc<dyn Fn(Vec<AccountSummary>) + Send + Sync>,
    ) -> Subscription {
        self.0.accounts.subscribe(&self.0.runtime, listener)
    }

    pub async fn details(&self, number: &str) -> ClientResult<Cached<AccountDetails>> {
        let n = path_segment(number);
        fresh_or_cached(&self.0, &format!("account:{n}"), Route::ACCOUNT.at(&[number])).await
    }
}

/// Charges and payment documents (R7, R8), and the split of a payment (R9).
pub struct Charges(pub(crate) Arc<Inner>);

impl Charges {
    pub async fn documents(&self, number: &str) -> ClientResult<Cached<Vec<DocumentSummary>>> {
        let n = path_segment(number);
        fresh_or_cached(&self.0, &format!("documents:{n}"), Route::DOCUMENTS.at(&[number])).await
    }

    pub async fn document(
        &self,
        number: &str,
        period: Period,
    ) -> ClientResult<Cached<DocumentView>> {
        let n = path_segment(number);
        fresh_or_cached(
            &self.0,
            &format!("document:{n}:{period}"),
            Route::DOCUMENT.at(&[number, &period.to_string()]),
        )
        .await
    }

    /// The split the server will make of `total` with the amounts the person fixed (the same
    /// core function), for the payment screen as the person types.
    pub fn allocation_preview(
        &self,
        view: &DocumentView,
        total: Money,
        fixed: &[FixedAmount],
    ) -> ClientResult<Allocation> {
        let lines: Vec<PayableLine> = view
            .document
            .lines
            .iter()
            .map(|l| PayableLine::of(l, view.editable_services.contains(&l.basis.service_code)))
            .collect();
        allocate(&lines, total, fixed).map_err(|e| ClientError::invalid(e.to_string(), e.field()))
    }

    /// R8: e-mails the document; queued if offline.
    pub async fn email_document(
        &self,
        number: &str,
        period: Period,
        email: Option<crate::contact::Email>,
    ) -> ClientResult<OutboxItem> {
        let command = Command::DocumentEmail {
            number: number.to_owned(),
            period,
            request: DocumentEmailRequest { email },
        };
        let title = format!("Платёжный документ за {} на e-mail", period.name_ru());
        enqueue(&self.0, &title, command, None).await
    }
}

/// Queues an action of the signed-in profile and tries to send it at once.
async fn enqueue(
    inner: &Inner,
    title: &str,
    command: Command,
    photo: Option<&Photo>,
) -> ClientResult<OutboxItem> {
    enqueue_keyed(inner, title, command, photo, new_key()).await
}

/// [`enqueue`] under a key the action already carries (a capture's device id).
async fn enqueue_keyed(
    inner: &Inner,
    title: &str,
    command: Command,
    photo: Option<&Photo>,
    key: String,
) -> ClientResult<OutboxItem> {
    let profile = inner.signed_in_profile()?;
    let now = inner.now();
    let owned = (title.to_owned(), command, photo.cloned());
    let item = inner
        .store
        .off_runtime(move |store| {
            let (title, command, photo) = &owned;
            let action =
                NewAction { profile: &profile, command, title, key: &key, photo: photo.as_ref() };
            store.push(&action, now)
        })
        .await?;
    inner.publish_queued(item.clone());
    inner.sync_wake.notify_one();
    Ok(item)
}

/// Card payments (R9, R23).
pub struct Payments(pub(crate) Arc<Inner>);

impl Payments {
    /// Registers the payment; open `confirmation_url` in the browser. Remembered until its result
    /// is known, so a payment interrupted by a killed app is resolved on the next start.
    pub async fn start(&self, request: &PaymentRequest) -> ClientResult<PaymentView> {
        let key = new_key();
        let view: PaymentView = self
            .0
            .api
            .call(Call {
                target: Route::PAYMENTS.at(&[]),
                body: Body::Json(request),
                idempotency_key: Some(&key),
                auth: true,
            })
            .await?;
        if !view.payment.status.is_final() {
            let profile = self.0.signed_in_profile()?;
            let (id, now) = (view.payment.id.clone(), self.0.now());
            self.0.store.off_runtime(move |s| s.add_pending_payment(&profile, &id, now)).await?;
        }
        Ok(view)
    }

    /// The payment's status, confirmed by the server with the acquirer (after the return from
    /// the acquirer's page, or on start).
    pub async fn resolve(&self, id: &str) -> ClientResult<PaymentView> {
        let view: PaymentView = get(&self.0, Route::PAYMENT.at(&[id])).await?;
        if view.payment.status.is_final() {
            let id = id.to_owned();
            self.0.store.off_runtime(move |s| s.remove_pending_payment(&id)).await?;
        }
        Ok(view)
    }

    /// Waits for the payment's final status (the person is on the acquirer's page), asking the
    /// server every `every`, until it is final or `cancel` is cancelled.
    pub async fn await_result(
        &self,
        id: &str,
        every: std::time::Duration,
        cancel: &Cancel,
    ) -> ClientResult<PaymentView> {
        loop {
            let view = self.resolve(id).await?;
            if view.payment.status.is_final() {
                return Ok(view);
            }
            if cancel.sleep(every).await {
                return Err(ClientError::Cancelled);
            }
        }
    }

    /// Payments started earlier whose result was not seen; each asked about once.
    pub async fn resolve_pending(&self) -> ClientResult<Vec<PaymentView>> {
        let mut views = Vec::new();
        let Some(profile) = self.0.profile() else { return Ok(views) };
        for id in self.0.store.pending_payments(&profile)? {
            views.push(self.resolve(&id).await?);
        }
        Ok(views)
    }
}

/// Meters and readings (R10–R12).
pub struct Readings(pub(crate) Arc<Inner>);

impl Readings {
    pub async fn meters(&self, number: &str) -> ClientResult<Cached<MetersView>> {
        let n = path_segment(number);
        fresh_or_cached(&self.0, &format!("meters:{n}"), Route::METERS.at(&[number])).await
    }

    /// The confirmation dialog's content: from the server, or offline by the same core rules
    /// on the stored meter (the server checks again when the reading arrives).
    pub async fn check(
        &self,
        number: &str,
        meter_id: &str,
        values: &[ZoneInput],
    ) -> ClientResult<ReadingCheck> {
        let target = Route::READING_CHECK.at(&[number, meter_id]);
        let body = ReadingInput { values: values.to_vec() };
        match send::<_, ReadingCheck>(&self.0, target, &body, true).await {
            Err(e) if e.is_transient() => {
                self.check_offline(number, meter_id, values).map_err(|_| e)
            }
            answer => answer,
        }
    }

    fn check_offline(
        &self,
        number: &str,
        meter_id: &str,
        values: &[ZoneInput],
    ) -> ClientResult<ReadingCheck> {
        let ctx = self.stored_context(number, meter_id)?.ok_or(ClientError::Offline)?;
        Ok(readings::check(&ctx, values))
    }

    /// R21: readings proposed for one zone from what the phone's recogniser read off a dial
    /// photo, best first: only values that fit the dial's digits and pass the value checks
    /// against the meter as last seen (offline too). The app shows them to choose from; the
    /// chosen one is submitted with `recognised`.
    pub fn recognise(
        &self,
        number: &str,
        meter_id: &str,
        zone: TariffZone,
        candidates: &[OcrCandidate],
    ) -> ClientResult<Vec<Recognised>> {
        let ctx = self.stored_context(number, meter_id)?.ok_or_else(|| {
            ClientError::invalid("Счётчик не найден: обновите список счётчиков", "meter_id")
        })?;
        if !ctx.meter.kind.zones().contains(&zone) {
            return Err(ClientError::invalid("У этого счётчика нет такой зоны", "zone"));
        }
        Ok(readings::recognise(&ctx, zone, candidates))
    }

    /// What the core's checks need to know of a meter, from the meters last stored: the same
    /// context the service builds, from the region and accepted readings its view carries. A
    /// view kept before it carried them gives none (no guessing the region by the window).
    fn stored_context(&self, number: &str, meter_id: &str) -> ClientResult<Option<CheckContext>> {
        let profile = self.0.signed_in_profile()?;
        let Some(view) = self
            .0
            .store
            .get::<MetersView>(&profile, &format!("meters:{}", path_segment(number)))?
        else {
            return Ok(None);
        };
        let Some(region) = view.value.region else { return Ok(None) };
        let Some(meter) = view.value.meters.iter().find(|m| m.meter.id == meter_id) else {
            return Ok(None);
        };
        let now = self.0.service_now();
        Ok(Some(CheckContext::new(meter.meter.clone(), region, &meter.history, now)))
    }

    /// R11: submits the confirmed reading, with a photo of the dial if one was taken (R21);
    /// queued at once, sent when online (the photo first). The photo is copied into the store
    /// now (the file may be gone by then); one that is not a JPEG, PNG or HEIC image, or is
    /// larger than the service takes, is refused here. `recognised`: the values were proposed
    /// by [`Readings::recognise`] from the photo and accepted by the person, not typed.
    pub async fn submit(
        &self,
        number: &str,
        meter_id: &str,
        values: &[ZoneInput],
        confirmed: &[FindingCode],
        photo: Option<&std::path::Path>,
        recognised: bool,
    ) -> ClientResult<OutboxItem> {
        let photo = photo
            .map(Photo::read)
            .transpose()
            .map_err(|e| ClientError::invalid(e.to_string(), "photo"))?;
        let submission = ReadingSubmission {
            values: values.to_vec(),
            confirmed: confirmed.to_vec(),
            source: recognised.then_some(ReadingSource::Ocr),
            taken_at: Some(self.0.service_now()),
            photo: None,
        };
        let command = Command::Reading {
            number: number.to_owned(),
            meter_id: meter_id.to_owned(),
            submission,
        };
        enqueue(&self.0, &reading_title(meter_id, values), command, photo.as_ref()).await
    }

    /// The signed-in profile's item waiting for the person's action.
    fn needing_action(&self, item_id: i64) -> ClientResult<(String, OutboxItem)> {
        let profile = self.0.signed_in_profile()?;
        let item = self
            .0
            .store
            .outbox_item(&profile, item_id)?
            .ok_or_else(|| ClientError::invalid("Нет такой записи", "item"))?;
        if item.state != OutboxState::NeedsAction {
            return Err(ClientError::invalid("Эта запись не ждёт ваших действий", "item"));
        }
        Ok((profile, item))
    }

    /// The command of the signed-in profile's refused item; one an older app queued that
    /// could not be read can only be dismissed.
    fn refused_command(&self, item_id: i64) -> ClientResult<(String, Command)> {
        let (profile, item) = self.needing_action(item_id)?;
        let command = item
            .command
            .ok_or_else(|| ClientError::invalid("Эту запись можно только удалить", "item"))?;
        Ok((profile, command))
    }

    fn requeued(&self) -> ClientResult<()> {
        self.0.publish_outbox()?;
        self.0.sync_wake.notify_one();
        Ok(())
    }

    /// A refused reading, confirmed after all (R12's second confirmation): queued again.
    pub fn confirm_refused(&self, item_id: i64, confirmed: &[FindingCode]) -> ClientResult<()> {
        let (_, mut command) = self.refused_command(item_id)?;
        let Command::Reading { submission, .. } = &mut command else {
            return Err(ClientError::invalid("Эти показания не ждут подтверждения", "item"));
        };
        submission.confirmed = confirmed.to_vec();
        self.0.store.requeue(item_id, &command, self.0.now())?;
        self.requeued()
    }

    /// Sends a refused item again as it is (the cause was put right elsewhere, e.g. the
    /// service's refusal was temporary). The same key: a refusal recorded nothing.
    pub fn retry(&self, item_id: i64) -> ClientResult<()> {
        let (_, command) = self.refused_command(item_id)?;
        self.0.store.requeue(item_id, &command, self.0.now())?;
        self.requeued()
    }

    /// Sends a refused reading again without its photo (the photo was refused, or is gone).
    pub fn retry_without_photo(&self, item_id: i64) -> ClientResult<()> {
        let (_, mut command) = self.refused_command(item_id)?;
        if let Command::Reading { submission, .. } = &mut command {
            submission.photo = None;
        }
        self.0.store.drop_photo(item_id)?;
        self.0.store.requeue(item_id, &command, self.0.now())?;
        self.requeued()
    }

    /// A refused reading with the value the person corrected (and the findings confirmed for
    /// it): a new action in its place, with a new idempotency key made now. The moment the dial
    /// was read and its photo stay.
    pub fn correct(
        &self,
        item_id: i64,
        values: &[ZoneInput],
        confirmed: &[FindingCode],
    ) -> ClientResult<()> {
        let (_, mut command) = self.refused_command(item_id)?;
        let Command::Reading { meter_id, submission, .. } = &mut command else {
            return Err(ClientError::invalid("Исправить можно только показания", "item"));
        };
        submission.values = values.to_vec();
        submission.confirmed = confirmed.to_vec();
        let title = reading_title(meter_id, values);
        let key = new_key();
        self.0.store.correct(item_id, &key, &title, &command, self.0.now())?;
        self.requeued()
    }

    /// Removes an item that was sent or refused (the person read it or gave it up), with its
    /// photo.
    pub fn dismiss(&self, item_id: i64) -> ClientResult<()> {
        let profile = self.0.signed_in_profile()?;
        if !self.0.store.discard(&profile, item_id)? {
            let queued = self.0.store.outbox_item(&profile, item_id)?.is_some();
            return Err(ClientError::invalid(
                if queued {
                    "Эта запись ещё отправляется: удалить можно отправленную или отклонённую"
                } else {
                    "Нет такой записи"
                },
                "item",
            ));
        }
        self.0.publish_outbox()
    }

    pub fn outbox(&self) -> Vec<OutboxItem> {
        self.0.outbox.get()
    }

    pub fn observe_outbox(
        &self,
        listener: Arc<dyn Fn(Vec<OutboxItem>) + Send + Sync>,
    ) -> Subscription {
        self.0.outbox.subscribe(&self.0.runtime, listener)
    }
}

/// Where a capture stands in the reader's journal (R24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CaptureState {
    /// Saved on the device, waiting for the network.
    Saved,
    /// Sent; the service's answer did not name it (an answer from an older service).
    Sent,
    Accepted,
    NeedsReview,
    Rejected,
}

/// One capture of the journal, with the service's reasons once it answered.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaptureEntry {
    pub item_id: i64,
    pub capture: Capture,
    pub state: CaptureState,
    pub reasons: Vec<String>,
}

/// The stop of `capture` and the check context of its meter in `route`; a meter not on the route
/// is judged beside the stop's first meter, as the service does.
fn capture_context<'r>(
    route: &'r RoundView,
    capture: &Capture,
) -> ClientResult<(&'r RouteStop, CheckContext)> {
    let stop = route
        .stops
        .iter()
        .find(|s| s.id == capture.stop_id)
        .ok_or_else(|| ClientError::invalid("Такой квартиры в маршруте нет", "stop_id"))?;
    let meter = match (&capture.recorded, &capture.meter_id) {
        (Recorded::NotOnRoute { .. }, _) => stop.meters.first(),
        (_, Some(id)) => stop.meters.iter().find(|m| &m.meter.id == id),
        _ => None,
    }
    .ok_or_else(|| ClientError::invalid("Такого счётчика в маршруте нет", "meter_id"))?;
    let ctx = CheckContext::new(meter.meter.clone(), stop.region, &meter.history, capture.taken_at);
    Ok((stop, ctx))
}

/// A meter reader's rounds (R24): routes downloaded for work without a connection, captures
/// judged on the device and queued, the journal of what the service made of them.
pub struct Rounds(pub(crate) Arc<Inner>);

fn round_key(id: &str) -> String {
    format!("round:{}", path_segment(id))
}

impl Rounds {
    /// The reader's routes; offline, the list last seen.
    pub async fn list(&self) -> ClientResult<Cached<RoundsView>> {
        fresh_or_cached(&self.0, "rounds", Route::ROUNDS.at(&[])).await
    }

    /// The whole route, kept on the device for work without a connection.
    pub async fn download(&self, id: &str) -> ClientResult<Cached<RoundView>> {
        let (profile, key) = (self.0.signed_in_profile()?, round_key(id));
        let route = fresh_or_cached(&self.0, &key, Route::ROUND.at(&[id])).await;
        self.0.forget_route(&profile, &key);
        route
    }

    /// When a capture made now is taken: the service's clock as last seen, as for a resident's
    /// reading, so a phone whose clock is wrong still dates it within the round's day.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.service_now()
    }

    /// The route as downloaded last.
    pub fn route(&self, id: &str) -> ClientResult<RoundView> {
        Ok(self.kept(id)?.as_ref().clone())
    }

    fn kept(&self, id: &str) -> ClientResult<Arc<RoundView>> {
        let profile = self.0.signed_in_profile()?;
        self.0
            .kept_route(&profile, &round_key(id))?
            .ok_or_else(|| ClientError::invalid("Маршрут не загружен на устройство", "round"))
    }

    /// Saves a capture (durably) and queues it. It is judged at once by the service's own rule
    /// against the downloaded route, so what the service would reject (out of range or a skip
    /// for a fault without a photo) is refused here. The capture's `device_id` (the item's
    /// idempotency key) and its photo key are made now, at the person's action.
    pub async fn capture(
        &self,
        round_id: &str,
        mut capture: Capture,
        photo: Option<&std::path::Path>,
    ) -> ClientResult<OutboxItem> {
        let photo = photo
            .map(Photo::read)
            .transpose()
            .map_err(|e| ClientError::invalid(e.to_string(), "photo"))?;
        let route = self.kept(round_id)?;
        let (stop, ctx) = capture_context(&route, &capture)?;
        let verdict = round::judge(&ctx, &capture.recorded, usize::from(photo.is_some()));
        if verdict.status == CaptureStatus::Rejected {
            return Err(ClientError::invalid(verdict.reasons.join("; "), "capture"));
        }
        capture.device_id = new_key();
        capture.photos = photo.as_ref().map(|_| vec![new_key()]).unwrap_or_default();
        let title = format!("Обход {}: {}, кв. {}", route.name, stop.address, stop.flat);
        let key = capture.device_id.clone();
        let command = Command::RoundCapture { round_id: round_id.to_owned(), capture };
        enqueue_keyed(&self.0, &title, command, photo.as_ref(), key).await
    }

    /// What the service will make of `capture` with `photos` taken, judged on the device from
    /// the downloaded route before it is saved, and whether a photo is what it lacks.
    pub fn assess(
        &self,
        round_id: &str,
        capture: &Capture,
        photos: usize,
    ) -> ClientResult<round::Assessment> {
        let route = self.kept(round_id)?;
        let (_, ctx) = capture_context(&route, capture)?;
        Ok(round::assess(&ctx, &capture.recorded, photos))
    }

    /// The captures of a route in the order made, each with its state: saved, sent, or the
    /// service's outcome (a refusal of the request itself shows as rejected with its message).
    pub fn journal(&self, round_id: &str) -> ClientResult<Vec<CaptureEntry>> {
        self.0.signed_in_profile()?;
        // The published outbox is the signed-in profile's as the store has it: read in place,
        // not from the store, as a route's progress asks for it after every capture.
        Ok(self
            .0
            .outbox
            .with(|items| items.iter().filter_map(|item| journal_entry(item, round_id)).collect()))
    }

    /// The route's progress (read, skipped, left) from the downloaded route and the journal: a
    /// capture not yet answered counts as the device judged it, i.e. not rejected.
    pub fn progress(&self, round_id: &str) -> ClientResult<Progress> {
        let route = self.kept(round_id)?;
        let journal = self.journal(round_id)?;
        let captures: Vec<(&Capture, CaptureStatus)> = journal
            .iter()
            .map(|e| {
                let status = match e.state {
                    CaptureState::Rejected => CaptureStatus::Rejected,
                    CaptureState::NeedsReview => CaptureStatus::NeedsReview,
                    _ => CaptureStatus::Accepted,
                };
                (&e.capture, status)
            })
            .collect();
        Ok(round::progress(&route, &captures))
    }
}

/// What became of a capture of `round_id` queued as `item`, if it is one.
fn journal_entry(item: &OutboxItem, round_id: &str) -> Option<CaptureEntry> {
    let Some(Command::RoundCapture { round_id: id, capture }) = &item.command else {
        return None;
    };
    if id != round_id {
        return None;
    }
    let outcome = item
        .result
        .as_deref()
        .and_then(|r| serde_json::from_str::<CaptureOutcomes>(r).ok())
        .and_then(|o| o.outcomes.into_iter().find(|o| o.device_id == capture.device_id));
    let (state, reasons) = match (item.state, outcome) {
        (OutboxState::Queued, _) => (CaptureState::Saved, Vec::new()),
        (OutboxState::NeedsAction, _) => {
            (CaptureState::Rejected, item.error.iter().map(|e| e.message.clone()).collect())
        }
        (OutboxState::Sent, None) => (CaptureState::Sent, Vec::new()),
        (OutboxState::Sent, Some(o)) => (
            match o.status {
                CaptureStatus::Accepted => CaptureState::Accepted,
                CaptureStatus::NeedsReview => CaptureState::NeedsReview,
                CaptureStatus::Rejected => CaptureState::Rejected,
            },
            o.reasons,
        ),
    };
    Some(CaptureEntry { item_id: item.id, capture: capture.clone(), state, reasons })
}

/// Reports (R13–R15).
pub struct Reports(pub(crate) Arc<Inner>);

impl Reports {
    pub async fn payments(
        &self,
        number: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> ClientResult<Cached<PaymentHistory>> {
        let n = path_segment(number);
        fresh_or_cached(
            &self.0,
            &format!("payments:{n}:{from}:{to}"),
            Route::REPORT_PAYMENTS
                .at(&[number])
                .query(&[("from", &from.to_string()), ("to", &to.to_string())]),
        )
        .await
    }

    pub async fn charges(&self, number: &str, months: u32) -> ClientResult<Cached<ChargeHistory>> {
        let n = path_segment(number);
        fresh_or_cached(
            &self.0,
            &format!("charges:{n}:{months}"),
            Route::REPORT_CHARGES.at(&[number]).query(&[("months", &months.to_string())]),
        )
        .await
    }

    pub async fn readings(
        &self,
        number: &str,
        kind: MeterScope,
        from: Period,
        to: Period,
    ) -> ClientResult<Cached<ReadingsReport>> {
        let n = path_segment(number);
        // The wire name serde gives the scope (`individual`, `common_house`).
        let kind = serde_json::to_value(kind)?;
        let kind = kind.as_str().unwrap_or_default();
        fresh_or_cached(
            &self.0,
            &format!("readings:{n}:{kind}:{from}:{to}"),
            Route::REPORT_READINGS.at(&[number]).query(&[
                ("kind", kind),
                ("from", &from.to_string()),
                ("to", &to.to_string()),
            ]),
        )
        .await
    }
}

/// The profile and its settings (R16–R20).
pub struct Settings(pub(crate) Arc<Inner>);

impl Settings {
    pub async fn profile(&self) -> ClientResult<Cached<Profile>> {
        fresh_or_cached(&self.0, "profile", Route::PROFILE.at(&[])).await
    }

    pub async fn change_password(&self, request: &ChangePasswordRequest) -> ClientResult<()> {
        send(&self.0, Route::PROFILE_PASSWORD.at(&[]), request, true).await
    }

    /// R18: notification choices; queued if offline.
    pub async fn set_notifications(
        &self,
        settings: &NotificationSettings,
    ) -> ClientResult<OutboxItem> {
        let command = Command::Notifications { settings: settings.clone() };
        enqueue(&self.0, "Настройки уведомлений", command, None).await
    }

    pub async fn change_phone(&self, phone: &str) -> ClientResult<ContactChangeStarted> {
        send(
            &self.0,
            Route::PROFILE_PHONE.at(&[]),
            &ContactChangeRequest { value: phone.to_owned() },
            true,
        )
        .await
    }

    pub async fn confirm_phone(&self, id: &str, code: &str) -> ClientResult<Profile> {
        send(
            &self.0,
            Route::PROFILE_PHONE_CODE.at(&[id]),
            &CodeRequest { code: code.to_owned() },
            true,
        )
        .await
    }

    pub async fn change_email(&self, email: &str) -> ClientResult<ContactChangeStarted> {
        send(
            &self.0,
            Route::PROFILE_EMAIL.at(&[]),
            &ContactChangeRequest { value: email.to_owned() },
            true,
        )
        .await
    }

    /// R20: the application to get the payment document by e-mail instead of on paper, filled in
    /// from the account and the profile (kept for offline use; print it with
    /// `pdf::paper_refusal_form`).
    pub async fn paper_refusal_form(&self, number: &str) -> ClientResult<Cached<PaperRefusalForm>> {
        let target = Route::PAPER_REFUSAL_FORM.at(&[number]);
        fresh_or_cached(&self.0, &format!("paper-refusal-form:{number}"), target).await
    }

    /// R19: another account by its own login and password.
    pub async fn link_account(&self, login: &str, password: &str) -> ClientResult<Profile> {
        let body = LinkAccountRequest { login: login.to_owned(), password: password.to_owned() };
        send(&self.0, Route::PROFILE_ACCOUNTS.at(&[]), &body, true).await
    }

    pub async fn register_device(&self, platform: PushPlatform, token: &str) -> ClientResult<()> {
        send(
            &self.0,
            Route::DEVICES.at(&[]),
            &DeviceRegistration { platform, token: token.to_owned() },
            true,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outbox_title_shows_values_with_a_decimal_comma_whatever_was_typed() {
        let typed = |text: &str| ZoneInput {
            zone: crate::service::TariffZone::Single,
            text: text.to_owned(),
        };
        assert_eq!(reading_title("m1", &[typed("124.751")]), "Показания счётчика m1: 124,751");
        assert_eq!(
            reading_title("m1", &[typed("19604,8"), typed("сто")]),
            "Показания счётчика m1: 19\u{a0}604,8 / сто"
        );
    }
}
