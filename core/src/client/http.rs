//! The typed HTTP client of the LK service. Requests that are safe to repeat (reads, and writes
//! carrying an `Idempotency-Key`) are retried on a dead network or a failing server, with
//! exponential backoff and jitter; others are tried once. The access token is kept in memory and
//! refreshed transparently with the refresh token from the [`SecureStore`].

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::clock::ServiceClock;
use super::error::{ClientError, ClientResult};
use super::secure::SecureStore;
use crate::api::{
    ApiError, ErrorCode, HttpMethod, RefreshRequest, Route, SignInRequest, Target, Tokens,
};
use crate::backoff::Backoff;

const REFRESH_TOKEN: &str = "lk.refresh_token";

/// How a repeatable request is retried when the network or the server fails: a few quick tries,
/// since a person is waiting for the screen.
pub const REQUEST_RETRY: RetryPolicy = RetryPolicy {
    attempts: 3,
    backoff: Backoff { base: Duration::from_millis(400), cap: Duration::from_secs(5), jitter: 0.5 },
};

/// How often and how patiently a repeatable request is tried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub backoff: Backoff,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        REQUEST_RETRY
    }
}

pub struct Api {
    http: reqwest::Client,
    base: String,
    secure: Arc<dyn SecureStore>,
    access: Mutex<Option<String>>,
    refreshing: tokio::sync::Mutex<()>,
    pub retry: RetryPolicy,
    pub clock: ServiceClock,
}

/// What a request carries.
pub enum Body<'a, B: Serialize> {
    None,
    Json(&'a B),
    /// Raw bytes with their content type (a photo).
    Bytes(&'a [u8], &'a str),
}

/// A request as the client sends it.
pub struct Call<'a, B: Serialize> {
    pub target: Target,
    pub body: Body<'a, B>,
    pub idempotency_key: Option<&'a str>,
    pub auth: bool,
}

impl Api {
    pub fn new(
        base_url: &str,
        timeout: Duration,
        secure: Arc<dyn SecureStore>,
    ) -> ClientResult<Api> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .build()
            .map_err(|e| ClientError::Invalid { message: e.to_string(), field: None })?;
        Ok(Api {
            http,
            base: format!("{}/api/v1", base_url.trim_end_matches('/')),
            secure,
            access: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
            retry: RetryPolicy::default(),
            clock: ServiceClock::default(),
        })
    }

    /// A profile is signed in on this device (a refresh token is kept).
    pub fn has_session(&self) -> bool {
        self.secure.get(REFRESH_TOKEN).is_some()
    }

    fn access(&self) -> Option<String> {
        self.access.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn keep(&self, tokens: &Tokens) {
        *self.access.lock().unwrap_or_else(|e| e.into_inner()) = Some(tokens.access_token.clone());
        self.secure.set(REFRESH_TOKEN, &tokens.refresh_token);
    }

    /// Forgets the session on this device.
    pub fn forget(&self) {
        *self.access.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.secure.delete(REFRESH_TOKEN);
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> ClientResult<()> {
        let body = SignInRequest { login: login.to_owned(), password: password.to_owned() };
        let tokens: Tokens = self
            .call(Call {
                target: Route::SESSIONS.at(&[]),
                body: Body::Json(&body),
                idempotency_key: None,
                auth: false,
            })
            .await?;
        self.keep(&tokens);
        Ok(())
    }

    /// Trades the refresh token for new tokens; a refused refresh ends the session.
    async fn refresh(&self, stale: Option<String>) -> ClientResult<()> {
        let _one_at_a_time = self.refreshing.lock().await;
        if self.access().is_some() && self.access() != stale {
            return Ok(()); // another request refreshed meanwhile
        }
        let refresh_token = self.secure.get(REFRESH_TOKEN).ok_or(ClientError::SessionExpired)?;
        let body = RefreshRequest { refresh_token };
        let call = Call {
            target: Route::SESSION_REFRESH.at(&[]),
            body: Body::Json(&body),
            idempotency_key: None,
            auth: false,
        };
        let answer: ClientResult<Tokens> = self.send_once(&call, None).await;
        match answer {
            Ok(tokens) => {
                self.keep(&tokens);
                Ok(())
            }
            Err(ClientError::Refused { status: 401, .. }) => {
                self.forget();
                Err(ClientError::SessionExpired)
            }
            Err(e) => Err(e),
        }
    }

    /// Sends a request, retrying when that is safe, refreshing the access token once on 401.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        call: Call<'_, B>,
    ) -> ClientResult<T> {
        let repeatable = call.target.method == HttpMethod::Get || call.idempotency_key.is_some();
        let attempts = if repeatable { self.retry.attempts.max(1) } else { 1 };
        let mut refreshed = false;
        let mut n = 0;
        loop {
            n += 1;
            let token = if call.auth {
                if self.access().is_none() {
                    self.refresh(None).await?;
                }
                self.access()
            } else {
                None
            };
            match self.send_once(&call, token.as_deref()).await {
                Err(ClientError::Refused { status: 401, .. }) if call.auth && !refreshed => {
                    refreshed = true;
                    self.refresh(token).await?;
                    n -= 1;
                }
                Err(e) if e.is_transient() && n < attempts => {
                    tokio::time::sleep(self.retry.backoff.delay(n)).await;
                }
                other => return other,
            }
        }
    }

    async fn send_once<B: Serialize, T: DeserializeOwned>(
        &self,
        call: &Call<'_, B>,
        token: Option<&str>,
    ) -> ClientResult<T> {
        let mut request = self
            .http
            .request(method(call.target.method), format!("{}{}", self.base, call.target.path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(key) = call.idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        request = match &call.body {
            Body::None => request,
            Body::Json(body) => request.json(body),
            Body::Bytes(bytes, kind) => request.header("content-type", *kind).body(bytes.to_vec()),
        };
        let response = request.send().await.map_err(transport)?;
        if let Some(date) = response.headers().get(reqwest::header::DATE) {
            self.clock.observe(date.to_str().unwrap_or_default(), chrono::Utc::now());
        }
        let status = response.status();
        let text = response.text().await.map_err(transport)?;
        if status.is_server_error() {
            return Err(ClientError::Server(status.as_u16()));
        }
        if !status.is_success() {
            let error = serde_json::from_str::<ApiError>(&text).unwrap_or(ApiError {
                code: ErrorCode::Unknown,
                message: format!("Сервер ответил {status}"),
                field: None,
            });
            return Err(ClientError::Refused { status: status.as_u16(), error });
        }
        let text = if status == StatusCode::NO_CONTENT || text.is_empty() { "null" } else { &text };
        serde_json::from_str(text)
            .map_err(|e| ClientError::Decode(format!("{e}: {}", call.target.path)))
    }
}

fn transport(e: reqwest::Error) -> ClientError {
    if e.is_timeout() {
        ClientError::Timeout
    } else if e.is_decode() {
        ClientError::Decode(e.to_string())
    } else {
        ClientError::Offline
    }
}

fn method(method: HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Delete => Method::DELETE,
    }
}
