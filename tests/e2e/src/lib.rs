//! What the end-to-end suites share: the real LK service started in this process on a loopback
//! port (in memory, or in a directory so it can be stopped and started again), a client on a
//! fresh device store, and the "person" who reads CAPTCHAs, SMS and e-mails off the demo pages.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lk_core::client::{FileSecureStore, Lk, LkConfig, RetryPolicy};
use lk_server::clock::ManualClock;
use lk_server::notifier::{EmailProvider, Providers, SmsProvider};
use lk_server::push::PushProviders;
use lk_server::{AcquirerConfig, Config, Running, Storage};
use serde_json::Value;

pub use lk_test_support::window_day;

/// A scratch directory, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("lk-e2e-{name}-{}-{nanos}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        Scratch(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub fn dir(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct Service {
    pub running: Running,
    pub clock: Arc<ManualClock>,
}

impl Service {
    pub fn url(&self) -> String {
        format!("http://{}", self.running.addr)
    }
}

/// Starts the LK service with demo data: in memory, or in `dir` (kept across restarts), on
/// `addr` (port 0: any).
pub async fn start_service(dir: Option<&Path>, addr: SocketAddr) -> Service {
    let clock = Arc::new(ManualClock::new(window_day()));
    let config = Config {
        addr,
        storage: dir.map_or(Storage::InMemory, |d| Storage::Directory(d.to_owned())),
        demo: true,
        public_url: None,
        trusted_proxies: Vec::new(),
        providers: Providers { email: EmailProvider::Outbox, sms: SmsProvider::Outbox },
        acquirer: AcquirerConfig::Sandbox { secret: Some("e2e-sandbox-secret".into()) },
        push: PushProviders::default(),
    };
    let running = lk_server::start(config, clock.clone(), std::future::pending())
        .await
        .unwrap_or_else(|e| panic!("service: {e}"));
    Service { running, clock }
}

pub fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A device: the client on its own store and secret file.
pub fn device(base_url: &str, dir: &Path) -> Lk {
    let secure = Arc::new(FileSecureStore::new(dir.join("secrets.json")));
    let mut lk = Lk::open(LkConfig::new(base_url, dir.join("lk-device.sqlite3")), secure)
        .unwrap_or_else(|e| panic!("store: {e}"));
    // Tests should not wait seconds on a dead server.
    let quick = RetryPolicy {
        attempts: 2,
        backoff: lk_core::backoff::Backoff {
            base: std::time::Duration::from_millis(20),
            cap: std::time::Duration::from_millis(50),
            jitter: 0.5,
        },
    };
    let _ = lk.set_retry_policy(quick);
    lk
}

/// Reads the demo pages as the person would read their phone and mail.
pub struct Person {
    pub http: reqwest::Client,
    pub base: String,
}

impl Person {
    pub fn new(service_url: &str) -> Person {
        Person {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
            base: service_url.to_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Value {
        let answer = self.http.get(format!("{}/api/v1{path}", self.base)).send().await;
        match answer {
            Ok(a) => a.json().await.unwrap_or(Value::Null),
            Err(_) => Value::Null,
        }
    }

    /// The digits on the CAPTCHA picture.
    pub async fn read_captcha(&self, id: &str) -> String {
        self.get(&format!("/demo/captcha/{id}")).await["answer"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The six-digit code in the newest message to `recipient`.
    pub async fn code_sent_to(&self, recipient: &str) -> String {
        let messages = self
            .get(&format!(
                "/demo/outbox?recipient={}",
                recipient.replace('+', "%2B").replace('@', "%40")
            ))
            .await;
        let body = messages[0]["body"].as_str().unwrap_or_default().to_owned();
        body.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .unwrap_or_default()
            .to_owned()
    }

    /// Pays on the sandbox acquirer's pages with a card and the 3-D Secure code; answers where
    /// the browser was sent back to.
    pub async fn pay_on_acquirer_page(&self, url: &str, card: &str) -> String {
        lk_test_support::SandboxBrowser::new().pay(url, card).await
    }
}
