//! The client side of the LK, shared by the Android and iOS apps (through the FFI) and the
//! terminal client: a typed API client, the device's offline store, the outbox of actions made
//! offline and the sync that sends them, and an API shaped after the screens.
//!
//! Reads come from the store first (instant, offline), then from the network, which updates the
//! store and the observers. Writes that can wait (readings, document e-mails, settings) go to the
//! outbox with an idempotency key made at the moment of the person's action, so however often
//! they are retried, across dead networks, killed apps and restarted servers, each happens once.
//! Payments are never queued (they need the acquirer's page); one whose result is unknown is
//! asked about on the next start.
//!
//! A phone may be shared: everything personal in the store (cached screens, queued actions and
//! their photos, payments waiting for a result) belongs to the profile signed in when it was
//! made. Another profile never sees it, and the sync sends only the signed-in profile's actions.

mod clock;
mod command;
mod error;
mod http;
mod observe;
mod photo;
mod screens;
mod secure;
mod store;
mod sync;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use command::{COMMAND_VERSION, Command};
pub use error::{ClientError, ClientResult};
pub use http::{REQUEST_RETRY, RetryPolicy};
pub use observe::{Cancel, Observable, Subscription};
pub use photo::{PHOTO_MAX_BYTES, Photo, PhotoError};
pub use screens::{
    Accounts, CaptureEntry, CaptureState, Charges, Payments, Readings, Reports, Rounds, Session,
    Settings, UnsentActions, sign_out_warning,
};
pub use secure::{FileSecureStore, SecureStore};
pub use store::{
    Cached, LEGACY, NewAction, OutboxItem, OutboxKind, OutboxState, SCHEMA_VERSION, Store,
};
pub use sync::{OUTBOX_RETRY, SyncHandle, SyncReport};

use crate::api::{AccountSummary, RoundView};

pub struct LkConfig {
    /// The LK service, e.g. `https://lk.vostok.example`.
    pub base_url: String,
    /// The device's store file.
    pub store_path: PathBuf,
    pub timeout: Duration,
}

impl LkConfig {
    pub fn new(base_url: &str, store_path: PathBuf) -> LkConfig {
        LkConfig { base_url: base_url.to_owned(), store_path, timeout: Duration::from_secs(20) }
    }
}

/// Where the store keeps the service's clock difference (see [`clock`]).
const SERVICE_CLOCK: &str = "service_clock";
/// Where the store keeps whose session this is.
const PROFILE: &str = "profile";

/// The store's key of a profile: its login as the service matches it (case aside).
pub fn profile_key(login: &str) -> String {
    login.trim().to_lowercase()
}

pub(crate) struct Inner {
    pub api: http::Api,
    /// Shared with the blocking threads that write it (see [`Store::off_runtime`]).
    pub store: Arc<Store>,
    pub runtime: tokio::runtime::Handle,
    pub signed_in: Observable<bool>,
    pub accounts: Observable<Vec<AccountSummary>>,
    pub outbox: Observable<Vec<OutboxItem>>,
    pub sync_wake: tokio::sync::Notify,
    /// Whose session it is (the key of the store's rows); `None` when nobody is signed in.
    profile: std::sync::Mutex<Option<String>>,
    /// Held while the session changes hands and while an outbox action is sent, so that no
    /// action goes out with another profile's session.
    pub session_gate: tokio::sync::Mutex<()>,
    /// The service's clock difference as last kept in the store.
    kept_skew_ms: std::sync::atomic::AtomicI64,
    /// Downloaded routes as decoded from the store, by profile and store key: a route of
    /// thousands of stops is megabytes of JSON, and each capture is judged against it.
    routes: std::sync::Mutex<HashMap<(String, String), Arc<RoundView>>>,
}

impl Inner {
    /// The device's clock: when things happened here (caching, queueing, retries).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    /// The service's clock as last seen: for what the supplier judges (reading windows, the
    /// moment a reading was taken).
    pub fn service_now(&self) -> chrono::DateTime<chrono::Utc> {
        self.api.clock.now()
    }

    /// Keeps the service's clock difference in the store when it changed, so that a start
    /// without a network judges by it too.
    pub fn keep_service_clock(&self) -> ClientResult<()> {
        let skew = self.api.clock.skew_ms();
        if self.kept_skew_ms.load(std::sync::atomic::Ordering::Relaxed) != skew {
            self.store.set_meta(SERVICE_CLOCK, Some(&skew))?;
            self.kept_skew_ms.store(skew, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }

    /// The profile signed in, if any.
    pub fn profile(&self) -> Option<String> {
        self.profile.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The profile signed in, or "sign in first".
    pub fn signed_in_profile(&self) -> ClientResult<String> {
        self.profile().ok_or(ClientError::SessionExpired)
    }

    /// Records whose session it is now (in the store too, for the next start); the first profile
    /// seen after an upgrade takes what was kept before profiles were.
    pub fn set_profile(&self, profile: Option<&str>) -> ClientResult<()> {
        if let Some(p) = profile {
            self.store.adopt_legacy(p)?;
        }
        self.store.set_meta(PROFILE, profile)?;
        *self.profile.lock().unwrap_or_else(|e| e.into_inner()) = profile.map(str::to_owned);
        self.routes_memo().clear();
        Ok(())
    }

    fn routes_memo(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Arc<RoundView>>> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The route kept under `key` for `profile`, decoded once until it is downloaded again.
    pub fn kept_route(&self, profile: &str, key: &str) -> ClientResult<Option<Arc<RoundView>>> {
        let memo_key = (profile.to_owned(), key.to_owned());
        if let Some(route) = self.routes_memo().get(&memo_key) {
            return Ok(Some(route.clone()));
        }
        let kept: Option<Cached<RoundView>> = self.store.get(profile, key)?;
        let Some(route) = kept.map(|c| Arc::new(c.value)) else { return Ok(None) };
        self.routes_memo().insert(memo_key, route.clone());
        Ok(Some(route))
    }

    /// A route downloaded anew (or its download tried): the next read decodes what was kept.
    pub fn forget_route(&self, profile: &str, key: &str) {
        self.routes_memo().remove(&(profile.to_owned(), key.to_owned()));
    }

    /// Adds an action just queued to the published outbox, without reading the whole outbox
    /// back: queueing stays as cheap with thousands of captures waiting as with none.
    pub fn publish_queued(&self, item: OutboxItem) {
        self.outbox.modify(|items| items.push(item));
    }

    /// Publishes the signed-in profile's outbox as it is in the store (nobody's: empty).
    pub fn publish_outbox(&self) -> ClientResult<()> {
        let items = match self.profile() {
            Some(p) => self.store.outbox(&p)?,
            None => Vec::new(),
        };
        self.outbox.update(items);
        Ok(())
    }

    /// Publishes the signed-in profile's accounts as the store has them.
    pub fn publish_cached_accounts(&self) -> ClientResult<()> {
        let accounts = match self.profile() {
            Some(p) => self.store.get::<Vec<AccountSummary>>(&p, screens::ACCOUNTS)?,
            None => None,
        };
        self.accounts.update(accounts.map(|c| c.value).unwrap_or_default());
        Ok(())
    }
}

/// The LK on this device. Cheap to clone; every clone is the same session and store.
#[derive(Clone)]
pub struct Lk {
    inner: Arc<Inner>,
}

impl Lk {
    /// Opens the store (creating or upgrading it) within the current tokio runtime.
    pub fn open(config: LkConfig, secure: Arc<dyn SecureStore>) -> ClientResult<Lk> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| ClientError::Store("no async runtime".into()))?;
        let store = Store::open(&config.store_path)?;
        let api = http::Api::new(&config.base_url, config.timeout, secure)?;
        // A session from before profiles were recorded is `LEGACY` until the service names it.
        let profile = match (api.has_session(), store.meta::<String>(PROFILE)?) {
            (true, kept) => Some(kept.unwrap_or_else(|| LEGACY.to_owned())),
            (false, _) => None,
        };
        let kept_skew_ms = store.meta::<i64>(SERVICE_CLOCK)?.unwrap_or(0);
        api.clock.set_skew_ms(kept_skew_ms);
        let inner = Inner {
            signed_in: Observable::new(api.has_session()),
            api,
            store: Arc::new(store),
            runtime,
            accounts: Observable::new(Vec::new()),
            outbox: Observable::new(Vec::new()),
            sync_wake: tokio::sync::Notify::new(),
            profile: std::sync::Mutex::new(profile),
            session_gate: tokio::sync::Mutex::new(()),
            kept_skew_ms: std::sync::atomic::AtomicI64::new(kept_skew_ms),
            routes: std::sync::Mutex::new(HashMap::new()),
        };
        inner.publish_cached_accounts()?;
        inner.publish_outbox()?;
        Ok(Lk { inner: Arc::new(inner) })
    }

    pub fn session(&self) -> Session {
        Session(self.inner.clone())
    }

    pub fn accounts(&self) -> Accounts {
        Accounts(self.inner.clone())
    }

    pub fn charges(&self) -> Charges {
        Charges(self.inner.clone())
    }

    pub fn payments(&self) -> Payments {
        Payments(self.inner.clone())
    }

    pub fn readings(&self) -> Readings {
        Readings(self.inner.clone())
    }

    pub fn rounds(&self) -> Rounds {
        Rounds(self.inner.clone())
    }

    pub fn reports(&self) -> Reports {
        Reports(self.inner.clone())
    }

    pub fn settings(&self) -> Settings {
        Settings(self.inner.clone())
    }

    /// Sends what is due in the outbox now, in order.
    pub async fn sync_now(&self) -> ClientResult<SyncReport> {
        sync::run_once(&self.inner).await
    }

    /// Keeps the outbox flowing in the background (woken by new actions, backing off while the
    /// network is down) until the handle is dropped.
    pub fn start_sync(&self) -> SyncHandle {
        sync::start(self.inner.clone())
    }

    /// The platform says the network is back: waiting actions go now rather than after their
    /// backoff, and a running background sync wakes.
    pub fn network_available(&self) -> ClientResult<()> {
        self.inner.store.due_now(self.inner.now())?;
        self.inner.sync_wake.notify_one();
        Ok(())
    }

    /// Retry policy of repeatable requests (tests shorten it).
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) -> ClientResult<()> {
        let inner = Arc::get_mut(&mut self.inner)
            .ok_or_else(|| ClientError::Store("the LK is shared already".into()))?;
        inner.api.retry = policy;
        Ok(())
    }
}
