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

mod clock;
mod error;
mod http;
mod observe;
mod screens;
mod secure;
mod store;
mod sync;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use error::{ClientError, ClientResult};
pub use http::RetryPolicy;
pub use observe::{Cancel, Observable, Subscription};
pub use screens::{Accounts, Charges, Payments, Readings, Reports, Session, Settings};
pub use secure::{FileSecureStore, SecureStore};
pub use store::{Cached, NewAction, OutboxItem, OutboxKind, OutboxState, SCHEMA_VERSION, Store};
pub use sync::{SyncHandle, SyncReport};

use crate::api::AccountSummary;

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

pub(crate) struct Inner {
    pub api: http::Api,
    pub store: Store,
    pub runtime: tokio::runtime::Handle,
    pub signed_in: Observable<bool>,
    pub accounts: Observable<Vec<AccountSummary>>,
    pub outbox: Observable<Vec<OutboxItem>>,
    pub sync_wake: tokio::sync::Notify,
    /// The service's clock difference as last kept in the store.
    kept_skew_ms: std::sync::atomic::AtomicI64,
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
            self.store.put(SERVICE_CLOCK, &skew, self.now())?;
            self.kept_skew_ms.store(skew, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }

    /// The store's cache was cleared (sign-out): the difference goes with it.
    pub fn forget_kept_service_clock(&self) {
        self.kept_skew_ms.store(0, std::sync::atomic::Ordering::Relaxed);
    }

    /// Publishes the outbox as it is in the store.
    pub fn publish_outbox(&self) -> ClientResult<()> {
        self.outbox.set(self.store.outbox()?);
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
        let accounts = store
            .get::<Vec<AccountSummary>>(screens::ACCOUNTS)?
            .map(|c| c.value)
            .unwrap_or_default();
        let outbox = store.outbox()?;
        let kept_skew_ms = store.get::<i64>(SERVICE_CLOCK)?.map_or(0, |c| c.value);
        api.clock.set_skew_ms(kept_skew_ms);
        let inner = Inner {
            signed_in: Observable::new(api.has_session()),
            api,
            store,
            runtime,
            accounts: Observable::new(accounts),
            outbox: Observable::new(outbox),
            sync_wake: tokio::sync::Notify::new(),
            kept_skew_ms: std::sync::atomic::AtomicI64::new(kept_skew_ms),
        };
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
