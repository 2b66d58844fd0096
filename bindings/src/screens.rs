//! The objects the apps hold, one a section of the LK, each a thin wrapper of the core's own.
//! Input a person types (amounts, e-mail, phone) arrives as text and is checked by the core, so a
//! typo comes back as `invalid_input` under its field rather than failing the call.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use lk_core::Period;
use lk_core::allocation::{Allocation, FixedAmount};
use lk_core::api::*;
use lk_core::client::{
    self as core, CaptureEntry, ClientResult, Lk, LkConfig, OutboxKind, OutboxState, UnsentActions,
};
use lk_core::contact::Contact;
use lk_core::meter::MeterScope;
use lk_core::readings::{FindingCode, OcrCandidate, ReadingCheck, Recognised, ZoneInput};
use lk_core::round::{Assessment, Position, Progress, Recorded};
use lk_core::service::TariffZone;

use crate::LkError;
use crate::platform::{ForeignSecureStore, LogLevel, SecureStore};
use crate::runtime::{log, run, runtime};

/// Runs a call of the core's client on the library's runtime.
async fn call<T, F>(lk: &Lk, work: impl FnOnce(Lk) -> F) -> Result<T, LkError>
where
    F: Future<Output = ClientResult<T>> + Send + 'static,
    T: Send + 'static,
{
    let future = work(lk.clone());
    run(async move { future.await.map_err(LkError::from) }).await
}

fn money(text: &str, field: &str) -> Result<lk_core::Money, LkError> {
    lk_core::Money::parse(text).map_err(|e| LkError::invalid(e, field))
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct ClientConfig {
    /// The LK service, e.g. `https://lk.vostok.example`.
    pub base_url: String,
    /// The app's private files folder: the offline store lives there.
    pub data_dir: String,
    pub timeout_seconds: u32,
}

/// The LK on this device: open once at app start, keep for the app's life.
#[derive(uniffi::Object)]
pub struct LkClient {
    lk: Lk,
    sync: Mutex<Option<core::SyncHandle>>,
}

#[uniffi::export]
impl LkClient {
    /// Opens (or creates, or upgrades) the device's store. Needs [`crate::runtime::init`] first.
    #[uniffi::constructor]
    pub fn open(
        config: ClientConfig,
        secure_store: Arc<dyn SecureStore>,
    ) -> Result<Arc<LkClient>, LkError> {
        let _entered = runtime()?.enter();
        let dir = std::path::PathBuf::from(&config.data_dir);
        std::fs::create_dir_all(&dir).map_err(|e| {
            LkError::new(ErrorCode::Store, format!("Папка данных {}: {e}", dir.display()), None)
        })?;
        let mut settings = LkConfig::new(&config.base_url, dir.join("lk.sqlite3"));
        settings.timeout = Duration::from_secs(config.timeout_seconds.max(1).into());
        let lk = Lk::open(settings, Arc::new(ForeignSecureStore(secure_store)))?;
        Ok(Arc::new(LkClient { lk, sync: Mutex::new(None) }))
    }

    pub fn session(&self) -> Arc<Session> {
        Arc::new(Session { lk: self.lk.clone() })
    }

    pub fn accounts(&self) -> Arc<Accounts> {
        Arc::new(Accounts { lk: self.lk.clone() })
    }

    pub fn charges(&self) -> Arc<Charges> {
        Arc::new(Charges { lk: self.lk.clone() })
    }

    pub fn payments(&self) -> Arc<Payments> {
        Arc::new(Payments { lk: self.lk.clone() })
    }

    pub fn readings(&self) -> Arc<Readings> {
        Arc::new(Readings { lk: self.lk.clone() })
    }

    pub fn reports(&self) -> Arc<Reports> {
        Arc::new(Reports { lk: self.lk.clone() })
    }

    pub fn settings(&self) -> Arc<Settings> {
        Arc::new(Settings { lk: self.lk.clone() })
    }

    pub fn rounds(&self) -> Arc<Rounds> {
        Arc::new(Rounds { lk: self.lk.clone() })
    }

    /// Keeps the outbox flowing in the background until [`LkClient::stop_sync`].
    pub fn start_sync(&self) -> Result<(), LkError> {
        let _entered = runtime()?.enter();
        let mut sync = self.sync.lock().unwrap_or_else(|e| e.into_inner());
        if sync.is_none() {
            *sync = Some(self.lk.start_sync());
        }
        Ok(())
    }

    pub fn stop_sync(&self) {
        self.sync.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// Sends what is due in the outbox now, in order.
    pub async fn sync_now(&self) -> Result<SyncSummary, LkError> {
        let report = call(&self.lk, |lk| async move { lk.sync_now().await }).await?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(SyncSummary {
            sent: count(report.sent),
            needs_action: count(report.needs_action),
            waiting: count(report.waiting),
        })
    }

    /// The platform's connectivity callback: the network is back, send what waits now.
    pub fn network_available(&self) -> Result<(), LkError> {
        log(LogLevel::Debug, "network available: outbox due now");
        Ok(self.lk.network_available()?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncSummary {
    pub sent: u32,
    pub needs_action: u32,
    /// Still waiting (network down, or not yet due).
    pub waiting: u32,
}

/// Stops a listener on `cancel()` or when dropped (Kotlin `close()`, Swift deinit).
#[derive(uniffi::Object)]
pub struct Subscription(Mutex<core::Subscription>);

impl Subscription {
    fn new(inner: core::Subscription) -> Arc<Subscription> {
        Arc::new(Subscription(Mutex::new(inner)))
    }
}

#[uniffi::export]
impl Subscription {
    pub fn cancel(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).cancel();
    }
}

/// Stops a long call (waiting for a payment's result) when the person leaves the screen;
/// coroutine and task cancellation do not reach Rust.
#[derive(uniffi::Object, Default)]
pub struct CancelToken(core::Cancel);

#[uniffi::export]
impl CancelToken {
    #[uniffi::constructor]
    pub fn new() -> Arc<CancelToken> {
        Arc::new(CancelToken::default())
    }

    pub fn cancel(&self) {
        self.0.cancel();
    }
}

#[uniffi::export(with_foreign)]
pub trait SignedInListener: Send + Sync {
    fn on_change(&self, signed_in: bool);
}

#[uniffi::export(with_foreign)]
pub trait AccountsListener: Send + Sync {
    fn on_change(&self, accounts: Vec<AccountSummary>);
}

#[uniffi::export(with_foreign)]
pub trait OutboxListener: Send + Sync {
    fn on_change(&self, outbox: Vec<OutboxEntry>);
}

/// An action made on this device, waiting, sent or refused, as the outbox screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutboxEntry {
    pub id: i64,
    pub kind: OutboxKind,
    pub title: String,
    pub created_at: SystemTime,
    pub state: OutboxState,
    pub attempts: u32,
    /// Why the server refused it (state `NeedsAction`).
    pub error: Option<ApiError>,
    /// A photo of the dial is kept with it until it is sent.
    pub has_photo: bool,
}

impl From<core::OutboxItem> for OutboxEntry {
    fn from(item: core::OutboxItem) -> OutboxEntry {
        OutboxEntry {
            id: item.id,
            kind: item.kind,
            title: item.title,
            created_at: item.created_at.into(),
            state: item.state,
            attempts: item.attempts,
            error: item.error,
            has_photo: item.has_photo,
        }
    }
}

fn entries(items: Vec<core::OutboxItem>) -> Vec<OutboxEntry> {
    items.into_iter().map(OutboxEntry::from).collect()
}

/// A screen's data and when it last came from the server (shown when offline).
macro_rules! cached {
    ($(#[$meta:meta])* $name:ident, $type:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct $name {
            pub value: $type,
            pub refreshed_at: SystemTime,
        }

        impl From<core::Cached<$type>> for $name {
            fn from(cached: core::Cached<$type>) -> $name {
                $name { value: cached.value, refreshed_at: cached.refreshed_at.into() }
            }
        }
    };
}

cached!(CachedAccountDetails, AccountDetails);
cached!(CachedDocuments, Vec<DocumentSummary>);
cached!(CachedDocument, DocumentView);
cached!(CachedMeters, MetersView);
cached!(CachedPaymentHistory, PaymentHistory);
cached!(CachedChargeHistory, ChargeHistory);
cached!(CachedReadingsReport, ReadingsReport);
cached!(CachedProfile, Profile);
cached!(CachedRounds, RoundsView);
cached!(CachedRound, RoundView);

/// The sign-out dialog's question in Russian when `unsent` actions wait; none when nothing does.
#[uniffi::export]
pub fn sign_out_warning(unsent: u32) -> Option<String> {
    core::sign_out_warning(unsent)
}

/// Sign-in and sign-out, registration (R1–R3) and recovery (R5).
#[derive(uniffi::Object)]
pub struct Session {
    lk: Lk,
}

#[uniffi::export]
impl Session {
    pub fn is_signed_in(&self) -> bool {
        self.lk.session().is_signed_in()
    }

    /// The listener hears the current state at once, then every change.
    pub fn observe(&self, listener: Arc<dyn SignedInListener>) -> Arc<Subscription> {
        Subscription::new(self.lk.session().observe(Arc::new(move |v| listener.on_change(v))))
    }

    pub async fn sign_in(&self, login: String, password: String) -> Result<(), LkError> {
        call(&self.lk, |lk| async move { lk.session().sign_in(&login, &password).await }).await
    }

    /// How many of this profile's actions are not sent yet: ask before signing out
    /// ([`sign_out_warning`] words the question).
    pub fn unsent(&self) -> Result<u32, LkError> {
        Ok(self.lk.session().unsent()?)
    }

    /// Signs out; the caller says what becomes of the unsent actions (kept for the same
    /// person's next sign-in, hidden from everyone else, or discarded). Answers how many.
    pub async fn sign_out(&self, unsent: UnsentActions) -> Result<u32, LkError> {
        call(&self.lk, move |lk| async move { lk.session().sign_out(unsent).await }).await
    }

    pub async fn cities(&self) -> Result<Vec<RegionCities>, LkError> {
        call(&self.lk, |lk| async move { lk.session().cities().await }).await
    }

    pub async fn captcha(&self) -> Result<CaptchaChallenge, LkError> {
        call(&self.lk, |lk| async move { lk.session().captcha().await }).await
    }

    pub async fn start_registration(
        &self,
        request: RegistrationRequest,
    ) -> Result<RegistrationState, LkError> {
        call(&self.lk, |lk| async move { lk.session().start_registration(&request).await }).await
    }

    pub async fn change_registration(
        &self,
        id: String,
        details: RegistrationDetails,
    ) -> Result<RegistrationState, LkError> {
        call(&self.lk, |lk| async move { lk.session().change_registration(&id, &details).await })
            .await
    }

    pub async fn bind_account(
        &self,
        id: String,
        request: BindAccountRequest,
    ) -> Result<RegistrationState, LkError> {
        call(&self.lk, |lk| async move { lk.session().bind_account(&id, &request).await }).await
    }

    pub async fn confirm_account(&self, id: String) -> Result<RegistrationState, LkError> {
        call(&self.lk, |lk| async move { lk.session().confirm_account(&id).await }).await
    }

    pub async fn resend_code(&self, id: String) -> Result<RegistrationState, LkError> {
        call(&self.lk, |lk| async move { lk.session().resend_code(&id).await }).await
    }

    /// Where a registration stands; by e-mail, ask until the link has been followed.
    pub async fn registration(&self, id: String) -> Result<RegistrationState, LkError> {
        call(&self.lk, |lk| async move { lk.session().registration(&id).await }).await
    }

    pub async fn registration_code(
        &self,
        id: String,
        code: String,
    ) -> Result<RegistrationState, LkError> {
        call(&self.lk, |lk| async move { lk.session().registration_code(&id, &code).await }).await
    }

    pub async fn start_recovery(
        &self,
        request: RecoveryRequest,
    ) -> Result<RecoveryStarted, LkError> {
        call(&self.lk, |lk| async move { lk.session().start_recovery(&request).await }).await
    }

    pub async fn recovery_code(&self, id: String, code: String) -> Result<RecoveryLogins, LkError> {
        call(&self.lk, |lk| async move { lk.session().recovery_code(&id, &code).await }).await
    }

    pub async fn recovery_password(
        &self,
        id: String,
        request: NewPasswordRequest,
    ) -> Result<(), LkError> {
        call(&self.lk, |lk| async move { lk.session().recovery_password(&id, &request).await })
            .await
    }
}

/// The accounts of the profile and their details (R6, R19).
#[derive(uniffi::Object)]
pub struct Accounts {
    lk: Lk,
}

#[uniffi::export]
impl Accounts {
    /// What the store has, at once (the dashboard on a cold start).
    pub fn cached(&self) -> Vec<AccountSummary> {
        self.lk.accounts().cached()
    }

    pub async fn refresh(&self) -> Result<Vec<AccountSummary>, LkError> {
        call(&self.lk, |lk| async move { lk.accounts().refresh().await }).await
    }

    pub fn observe(&self, listener: Arc<dyn AccountsListener>) -> Arc<Subscription> {
        Subscription::new(self.lk.accounts().observe(Arc::new(move |v| listener.on_change(v))))
    }

    pub async fn details(&self, number: String) -> Result<CachedAccountDetails, LkError> {
        call(&self.lk, |lk| async move { lk.accounts().details(&number).await })
            .await
            .map(Into::into)
    }
}

/// Payment documents and the split of a payment by service (R7, R8, R9).
#[derive(uniffi::Object)]
pub struct Charges {
    lk: Lk,
}

#[uniffi::export]
impl Charges {
    pub async fn documents(&self, number: String) -> Result<CachedDocuments, LkError> {
        call(&self.lk, |lk| async move { lk.charges().documents(&number).await })
            .await
            .map(Into::into)
    }

    pub async fn document(
        &self,
        number: String,
        period: Period,
    ) -> Result<CachedDocument, LkError> {
        call(&self.lk, |lk| async move { lk.charges().document(&number, period).await })
            .await
            .map(Into::into)
    }

    /// How `total` (as typed, `1 500,00` or `1500.5`) splits over the services, some of them
    /// fixed by the person; instant and offline.
    pub fn allocation_preview(
        &self,
        view: DocumentView,
        total: String,
        fixed: Vec<FixedAmount>,
    ) -> Result<Allocation, LkError> {
        let total = money(&total, "total")?;
        Ok(self.lk.charges().allocation_preview(&view, total, &fixed)?)
    }

    /// The document as PDF, made on the device (works offline from the store).
    pub fn document_pdf(&self, view: DocumentView) -> Result<Vec<u8>, LkError> {
        lk_core::pdf::payment_document(&view)
            .map_err(|e| LkError::new(ErrorCode::Pdf, e.to_string(), None))
    }

    /// Asks the server to e-mail the document (to `email`, or the profile's); queued if offline.
    pub async fn email_document(
        &self,
        number: String,
        period: Period,
        email: Option<String>,
    ) -> Result<OutboxEntry, LkError> {
        let email =
            email.map(|e| e.parse().map_err(|e| LkError::invalid(e, "email"))).transpose()?;
        call(
            &self.lk,
            |lk| async move { lk.charges().email_document(&number, period, email).await },
        )
        .await
        .map(Into::into)
    }
}

/// Card payments through the acquirer's page (R9).
#[derive(uniffi::Object)]
pub struct Payments {
    lk: Lk,
}

#[uniffi::export]
impl Payments {
    /// Starts a payment: open `confirmation_url` in the browser, then [`Payments::await_result`].
    /// `total` as typed; the receipt goes to `receipt_contact` (a phone or an e-mail).
    pub async fn start(
        &self,
        account_number: String,
        period: Period,
        total: String,
        fixed: Vec<FixedAmount>,
        receipt_contact: String,
        return_url: String,
    ) -> Result<PaymentView, LkError> {
        let request = PaymentRequest {
            account_number: account_number
                .parse()
                .map_err(|e| LkError::invalid(e, "account_number"))?,
            period,
            total: money(&total, "total")?,
            fixed,
            receipt_contact: contact(&receipt_contact)?,
            return_url,
        };
        call(&self.lk, |lk| async move { lk.payments().start(&request).await }).await
    }

    pub async fn resolve(&self, id: String) -> Result<PaymentView, LkError> {
        call(&self.lk, |lk| async move { lk.payments().resolve(&id).await }).await
    }

    /// R13: the copy of a paid payment's fiscal receipt as PDF, made on the device.
    pub fn receipt_pdf(&self, payment: lk_core::payment::Payment) -> Result<Vec<u8>, LkError> {
        lk_core::pdf::receipt(&payment)
            .map_err(|e| LkError::new(ErrorCode::Pdf, e.to_string(), None))
    }

    /// Asks every `every_ms` until the payment is final, or until `cancel` is cancelled.
    pub async fn await_result(
        &self,
        id: String,
        every_ms: u32,
        cancel: Arc<CancelToken>,
    ) -> Result<PaymentView, LkError> {
        let every = Duration::from_millis(every_ms.into());
        let cancel = cancel.0.clone();
        call(&self.lk, |lk| async move { lk.payments().await_result(&id, every, &cancel).await })
            .await
    }

    /// On app start: the payments left on the acquirer's page when the app died, resolved.
    pub async fn resolve_pending(&self) -> Result<Vec<PaymentView>, LkError> {
        call(&self.lk, |lk| async move { lk.payments().resolve_pending().await }).await
    }
}

fn contact(text: &str) -> Result<Contact, LkError> {
    if text.contains('@') {
        Ok(Contact::Email(text.parse().map_err(|e| LkError::invalid(e, "receipt_contact"))?))
    } else {
        Ok(Contact::Phone(text.parse().map_err(|e| LkError::invalid(e, "receipt_contact"))?))
    }
}

/// Meters and readings (R10–R12, R21).
#[derive(uniffi::Object)]
pub struct Readings {
    lk: Lk,
}

#[uniffi::export]
impl Readings {
    pub async fn meters(&self, number: String) -> Result<CachedMeters, LkError> {
        call(&self.lk, |lk| async move { lk.readings().meters(&number).await })
            .await
            .map(Into::into)
    }

    /// What the checks find in the typed values (offline: from the stored meters).
    pub async fn check(
        &self,
        number: String,
        meter_id: String,
        values: Vec<ZoneInput>,
    ) -> Result<ReadingCheck, LkError> {
        call(&self.lk, |lk| async move { lk.readings().check(&number, &meter_id, &values).await })
            .await
    }

    /// Queues the reading (with the findings the person confirmed and a dial photo, copied into
    /// the store now) and sends it when online; the entry shows its fate. `recognised`: the
    /// values were chosen from [`Readings::recognise`]'s proposals rather than typed (R21).
    pub async fn submit(
        &self,
        number: String,
        meter_id: String,
        values: Vec<ZoneInput>,
        confirmed: Vec<FindingCode>,
        photo_path: Option<String>,
        recognised: bool,
    ) -> Result<OutboxEntry, LkError> {
        call(&self.lk, move |lk| async move {
            let photo = photo_path.as_deref().map(std::path::Path::new);
            lk.readings().submit(&number, &meter_id, &values, &confirmed, photo, recognised).await
        })
        .await
        .map(Into::into)
    }

    /// A refused reading confirmed after all: sent again.
    pub fn confirm_refused(
        &self,
        item_id: i64,
        confirmed: Vec<FindingCode>,
    ) -> Result<(), LkError> {
        Ok(self.lk.readings().confirm_refused(item_id, &confirmed)?)
    }

    /// R21: readings proposed for one zone from the texts the phone's recogniser read off the
    /// dial photo, best first; only values that fit the dial (`meter.dial`'s digits) and pass
    /// the checks against the stored meter. Works offline once the meters were seen.
    pub fn recognise(
        &self,
        number: String,
        meter_id: String,
        zone: TariffZone,
        candidates: Vec<OcrCandidate>,
    ) -> Result<Vec<Recognised>, LkError> {
        Ok(self.lk.readings().recognise(&number, &meter_id, zone, &candidates)?)
    }

    /// A refused item sent again as it is.
    pub fn retry(&self, item_id: i64) -> Result<(), LkError> {
        Ok(self.lk.readings().retry(item_id)?)
    }

    /// A refused reading sent again without its photo.
    pub fn retry_without_photo(&self, item_id: i64) -> Result<(), LkError> {
        Ok(self.lk.readings().retry_without_photo(item_id)?)
    }

    /// A refused reading with corrected values, sent as a new action.
    pub fn correct(
        &self,
        item_id: i64,
        values: Vec<ZoneInput>,
        confirmed: Vec<FindingCode>,
    ) -> Result<(), LkError> {
        Ok(self.lk.readings().correct(item_id, &values, &confirmed)?)
    }

    /// A sent or refused item removed (with its photo).
    pub fn dismiss(&self, item_id: i64) -> Result<(), LkError> {
        Ok(self.lk.readings().dismiss(item_id)?)
    }

    pub fn outbox(&self) -> Vec<OutboxEntry> {
        entries(self.lk.readings().outbox())
    }

    pub fn observe_outbox(&self, listener: Arc<dyn OutboxListener>) -> Arc<Subscription> {
        let forward = move |items| listener.on_change(entries(items));
        Subscription::new(self.lk.readings().observe_outbox(Arc::new(forward)))
    }
}

/// What a reader records at a stop, as the capture screen fills it in; the core adds the time
/// (by the service's clock), the capture's id and its photo's key at the moment it is saved.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CaptureDraft {
    pub stop_id: String,
    /// The route's meter; none for a meter not on the route.
    pub meter_id: Option<String>,
    pub recorded: Recorded,
    /// None: the phone had no fix.
    pub position: Option<Position>,
}

impl CaptureDraft {
    fn capture(self, taken_at: chrono::DateTime<chrono::Utc>) -> Capture {
        Capture::draft(self.stop_id, self.meter_id, self.recorded, taken_at, self.position)
    }
}

/// A meter reader's rounds (R24): routes kept for work without a connection, captures judged
/// on the device and queued, the journal of what the service made of them.
#[derive(uniffi::Object)]
pub struct Rounds {
    lk: Lk,
}

#[uniffi::export]
impl Rounds {
    /// The reader's routes; offline, the list last seen.
    pub async fn list(&self) -> Result<CachedRounds, LkError> {
        call(&self.lk, |lk| async move { lk.rounds().list().await }).await.map(Into::into)
    }

    /// The whole route, kept on the device (a newer version replaces it; captures stay).
    pub async fn download(&self, id: String) -> Result<CachedRound, LkError> {
        call(&self.lk, |lk| async move { lk.rounds().download(&id).await }).await.map(Into::into)
    }

    /// The route as downloaded last, without the network.
    pub fn route(&self, id: String) -> Result<RoundView, LkError> {
        Ok(self.lk.rounds().route(&id)?)
    }

    /// What the service will make of the draft with `photos` taken, and whether a photo is what
    /// it lacks: the screen asks for the camera before the reader can save.
    pub fn assess(
        &self,
        round_id: String,
        draft: CaptureDraft,
        photos: u32,
    ) -> Result<Assessment, LkError> {
        let rounds = self.lk.rounds();
        let capture = draft.capture(rounds.now());
        let photos = usize::try_from(photos).unwrap_or(usize::MAX);
        Ok(rounds.assess(&round_id, &capture, photos)?)
    }

    /// Saves the capture (with the dial photo, copied into the store now) and queues it; what
    /// the service would reject is refused here with the reason.
    pub async fn capture(
        &self,
        round_id: String,
        draft: CaptureDraft,
        photo_path: Option<String>,
    ) -> Result<OutboxEntry, LkError> {
        call(&self.lk, move |lk| async move {
            let rounds = lk.rounds();
            let capture = draft.capture(rounds.now());
            let photo = photo_path.as_deref().map(std::path::Path::new);
            rounds.capture(&round_id, capture, photo).await
        })
        .await
        .map(Into::into)
    }

    /// The route's captures in the order made, each saved, sent, accepted, for review or
    /// rejected with the reasons.
    pub fn journal(&self, round_id: String) -> Result<Vec<CaptureEntry>, LkError> {
        Ok(self.lk.rounds().journal(&round_id)?)
    }

    /// Meters read, skipped and left on the route.
    pub fn progress(&self, round_id: String) -> Result<Progress, LkError> {
        Ok(self.lk.rounds().progress(&round_id)?)
    }
}

/// Reports (R13–R15).
#[derive(uniffi::Object)]
pub struct Reports {
    lk: Lk,
}

#[uniffi::export]
impl Reports {
    /// Payments between two dates, `YYYY-MM-DD`.
    pub async fn payments(
        &self,
        number: String,
        from: String,
        to: String,
    ) -> Result<CachedPaymentHistory, LkError> {
        let from = from.parse().map_err(|e| LkError::invalid(e, "from"))?;
        let to = to.parse().map_err(|e| LkError::invalid(e, "to"))?;
        call(&self.lk, |lk| async move { lk.reports().payments(&number, from, to).await })
            .await
            .map(Into::into)
    }

    pub async fn charges(
        &self,
        number: String,
        months: u32,
    ) -> Result<CachedChargeHistory, LkError> {
        call(&self.lk, |lk| async move { lk.reports().charges(&number, months).await })
            .await
            .map(Into::into)
    }

    pub async fn readings(
        &self,
        number: String,
        kind: MeterScope,
        from: Period,
        to: Period,
    ) -> Result<CachedReadingsReport, LkError> {
        call(&self.lk, |lk| async move { lk.reports().readings(&number, kind, from, to).await })
            .await
            .map(Into::into)
    }
}

/// The profile (R16–R19) and push registration (R22).
#[derive(uniffi::Object)]
pub struct Settings {
    lk: Lk,
}

#[uniffi::export]
impl Settings {
    pub async fn profile(&self) -> Result<CachedProfile, LkError> {
        call(&self.lk, |lk| async move { lk.settings().profile().await }).await.map(Into::into)
    }

    pub async fn change_password(&self, request: ChangePasswordRequest) -> Result<(), LkError> {
        call(&self.lk, |lk| async move { lk.settings().change_password(&request).await }).await
    }

    /// Queued if offline.
    pub async fn set_notifications(
        &self,
        settings: NotificationSettings,
    ) -> Result<OutboxEntry, LkError> {
        call(&self.lk, |lk| async move { lk.settings().set_notifications(&settings).await })
            .await
            .map(Into::into)
    }

    pub async fn change_phone(&self, phone: String) -> Result<ContactChangeStarted, LkError> {
        call(&self.lk, |lk| async move { lk.settings().change_phone(&phone).await }).await
    }

    pub async fn confirm_phone(&self, id: String, code: String) -> Result<Profile, LkError> {
        call(&self.lk, |lk| async move { lk.settings().confirm_phone(&id, &code).await }).await
    }

    pub async fn change_email(&self, email: String) -> Result<ContactChangeStarted, LkError> {
        call(&self.lk, |lk| async move { lk.settings().change_email(&email).await }).await
    }

    /// R20: the paper-refusal application, filled in (from the store when offline).
    pub async fn paper_refusal_form(&self, number: String) -> Result<PaperRefusalForm, LkError> {
        call(&self.lk, |lk| async move { lk.settings().paper_refusal_form(&number).await })
            .await
            .map(|cached| cached.value)
    }

    /// The paper-refusal application as PDF, made on the device, to print and sign.
    pub fn paper_refusal_pdf(&self, form: PaperRefusalForm) -> Result<Vec<u8>, LkError> {
        lk_core::pdf::paper_refusal_form(&form)
            .map_err(|e| LkError::new(ErrorCode::Pdf, e.to_string(), None))
    }

    pub async fn link_account(&self, login: String, password: String) -> Result<Profile, LkError> {
        call(&self.lk, |lk| async move { lk.settings().link_account(&login, &password).await })
            .await
    }

    /// The push token the platform gave (FCM or APNs), after sign-in and whenever it changes.
    pub async fn register_device(
        &self,
        platform: PushPlatform,
        token: String,
    ) -> Result<(), LkError> {
        call(&self.lk, |lk| async move { lk.settings().register_device(platform, &token).await })
            .await
    }
}
