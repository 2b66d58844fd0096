//! Starts the real service on a loopback port with a fresh in-memory database and demo data,
//! and a clock the test moves.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use lk_server::clock::ManualClock;
use lk_server::notifier::{EmailProvider, Providers, SmsProvider};
use lk_server::push::PushProviders;
use lk_server::{AcquirerConfig, Config, Running, Storage};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub struct Server {
    pub running: Running,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    pub base: String,
}

pub async fn start() -> Server {
    start_with(Providers { email: EmailProvider::Outbox, sms: SmsProvider::Outbox }).await
}

pub async fn start_with(providers: Providers) -> Server {
    start_full(providers, Utc::now()).await
}

/// A service whose clock (and so its demo data) starts at `at`.
pub async fn start_at(at: DateTime<Utc>) -> Server {
    start_full(Providers { email: EmailProvider::Outbox, sms: SmsProvider::Outbox }, at).await
}

/// Not every suite starts on that day.
#[allow(unused_imports)]
pub use lk_test_support::window_day;

/// The sandbox acquirer's secret in tests, to sign notifications as it does.
pub const SANDBOX_SECRET: &str = "test-sandbox-secret";

async fn start_full(providers: Providers, at: DateTime<Utc>) -> Server {
    start_configured(at, |config| config.providers = providers).await
}

/// A service with its configuration changed by `change` (acquirer, push providers…).
pub async fn start_configured(at: DateTime<Utc>, change: impl FnOnce(&mut Config)) -> Server {
    let clock = Arc::new(ManualClock::new(at));
    let mut config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        storage: Storage::InMemory,
        demo: true,
        public_url: None,
        trusted_proxies: Vec::new(),
        providers: Providers { email: EmailProvider::Outbox, sms: SmsProvider::Outbox },
        acquirer: AcquirerConfig::Sandbox { secret: Some(SANDBOX_SECRET.into()) },
        push: PushProviders::default(),
    };
    change(&mut config);
    let running = lk_server::start(config, clock.clone(), std::future::pending()).await.unwrap();
    let base = format!("http://{}/api/v1", running.addr);
    Server { running, clock, http: reqwest::Client::new(), base }
}

impl Server {
    /// Sends a request; answers the status and the JSON body (Null when there is none).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        known_code((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    /// A POST carrying an `Idempotency-Key`.
    pub async fn post_once(
        &self,
        path: &str,
        token: &str,
        key: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        known_code((status, response.json().await.unwrap_or(Value::Null)))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    /// A solved CAPTCHA (the demo endpoint gives the answer a person would read off the picture).
    pub async fn captcha(&self) -> Value {
        let (status, challenge) = self.post("/captcha", None, json!({})).await;
        assert_eq!(status, StatusCode::CREATED);
        let png = base64_decode(challenge["png_base64"].as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "a PNG picture");
        let id = challenge["id"].as_str().unwrap();
        let (_, solution) = self.get(&format!("/demo/captcha/{id}"), None).await;
        json!({ "id": id, "answer": solution["answer"] })
    }

    /// The newest message sent to `recipient`.
    pub async fn last_message(&self, recipient: &str) -> Value {
        let (_, messages) =
            self.get(&format!("/demo/outbox?recipient={}", urlencode(recipient)), None).await;
        messages[0].clone()
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> (StatusCode, Value) {
        self.post("/sessions", None, json!({ "login": login, "password": password })).await
    }

    pub async fn token(&self, login: &str, password: &str) -> String {
        let (status, tokens) = self.sign_in(login, password).await;
        assert_eq!(status, StatusCode::CREATED, "{tokens}");
        tokens["access_token"].as_str().unwrap().to_owned()
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// An account nobody registered, with the proof printed on its latest document.
    pub async fn free_account(&self, index: usize) -> (String, String) {
        let (_, accounts) = self.get("/demo/accounts", None).await;
        let a = &accounts[index];
        (
            a["number"].as_str().unwrap().to_owned(),
            a["latest_document_total"].as_str().unwrap().to_owned(),
        )
    }
}

/// Every refusal the tests see carries a code of the core's vocabulary (issue 13): a code the
/// client would read as `Unknown` fails the test that met it.
fn known_code((status, body): (StatusCode, Value)) -> (StatusCode, Value) {
    if !status.is_success()
        && let Some(code) = body.get("code").and_then(Value::as_str)
    {
        assert!(
            lk_core::api::ErrorCode::ALL.iter().any(|c| c.as_str() == code),
            "the service answered {status} with the code «{code}», which is not in ErrorCode"
        );
    }
    (status, body)
}

pub fn code_in(message: &Value) -> String {
    let body = message["body"].as_str().unwrap();
    body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned()
}

pub fn link_in(message: &Value) -> String {
    let body = message["body"].as_str().unwrap();
    body.split_whitespace().find(|w| w.starts_with("http")).unwrap().to_owned()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}
