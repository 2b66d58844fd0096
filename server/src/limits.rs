//! Rate limits, each named for what it guards, and the client address they count by.
//!
//! A limit that a stranger can use up must not lock out the owner: what a stranger can send
//! (codes to a contact) is counted per contact *and* address, with a looser per-contact bound
//! above it, so one address cannot silence a resident's phone.

use lk_core::api::ErrorCode;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// How many of one action a key may make in a window.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub action: &'static str,
    pub count: u32,
    pub window: Duration,
}

impl Limit {
    /// CAPTCHA images drawn by one address.
    pub const CAPTCHAS_PER_ADDRESS: Limit =
        Limit { action: "captcha", count: 30, window: Duration::minutes(1) };
    /// Registrations started by one address.
    pub const REGISTRATIONS_PER_ADDRESS: Limit =
        Limit { action: "registration", count: 20, window: Duration::hours(1) };
    /// Form changes of one registration (each hashes a password).
    pub const DETAILS_CHANGES_PER_REGISTRATION: Limit =
        Limit { action: "registration-details", count: 10, window: Duration::hours(1) };
    /// Passwords hashed for requests nobody signed in to make (registration), per address.
    pub const ANONYMOUS_HASHES_PER_ADDRESS: Limit =
        Limit { action: "anonymous-hash", count: 30, window: Duration::hours(1) };
    /// Passwords checked for one address, on every path that checks one (sign-in, linking an
    /// account, changing the password).
    pub const PASSWORD_CHECKS_PER_ADDRESS: Limit =
        Limit { action: "password-check", count: 30, window: Duration::minutes(1) };
    /// Recoveries started by one address.
    pub const RECOVERIES_PER_ADDRESS: Limit =
        Limit { action: "recovery", count: 10, window: Duration::hours(1) };
    /// Codes sent to one contact at the request of one address.
    pub const CODES_PER_CONTACT_AND_ADDRESS: Limit =
        Limit { action: "code-from", count: 5, window: Duration::hours(1) };
    /// Codes sent to one contact, from anywhere.
    pub const CODES_PER_CONTACT: Limit =
        Limit { action: "code", count: 20, window: Duration::hours(1) };
    /// New phones and e-mails one profile asks to confirm (each sends an SMS or e-mail).
    pub const CONTACT_CHANGES_PER_PROFILE: Limit =
        Limit { action: "contact-change", count: 5, window: Duration::hours(1) };
    /// Payment documents one profile has e-mailed (each carries a PDF to any address).
    pub const DOCUMENT_EMAILS_PER_PROFILE: Limit =
        Limit { action: "document-email", count: 10, window: Duration::hours(1) };
}

/// One key's count in its current window.
struct Window {
    start: DateTime<Utc>,
    length: Duration,
    hits: u32,
}

/// Fixed-window counters in memory, per limit and key (an address, a login, a contact).
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

/// Beyond this many keys the counters whose own window has ended are dropped.
const PRUNE_ABOVE: usize = 100_000;

impl RateLimiter {
    /// Counts one hit; refuses with the seconds to wait once the limit is reached.
    pub fn hit(&self, limit: &Limit, key: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > PRUNE_ABOVE {
            // Each counter by its own window: an hour-long count survives a minute-long prune.
            windows.retain(|_, w| now - w.start < w.length);
        }
        let fresh = || Window { start: now, length: limit.window, hits: 0 };
        let window = windows.entry(format!("{}:{key}", limit.action)).or_insert_with(fresh);
        if now - window.start >= limit.window {
            *window = fresh();
        }
        if window.hits >= limit.count {
            return Err(
                u64::try_from((window.start + limit.window - now).num_seconds()).unwrap_or(1)
            );
        }
        window.hits += 1;
        Ok(())
    }
}

impl AppState {
    /// Counts one `limit` hit for `key`, or refuses with 429 and the seconds to wait.
    pub fn limit(&self, limit: &Limit, key: &str) -> AppResult<()> {
        self.limiter.hit(limit, key, self.clock.now()).map_err(|wait| {
            AppError::too_many(
                ErrorCode::TooManyRequests,
                "Слишком много попыток. Повторите позже",
                wait,
            )
        })
    }
}

impl AppState {
    /// Counts a code sent to `contact` at the request of `from`: refused past either budget.
    pub fn limit_codes(&self, contact: &str, from: ClientAddress) -> AppResult<()> {
        self.limit(&Limit::CODES_PER_CONTACT_AND_ADDRESS, &format!("{contact}|{from}"))?;
        self.limit(&Limit::CODES_PER_CONTACT, contact)
    }
}

/// The address a request came from: the socket's peer, or, when that peer is one of the
/// trusted proxies, the last address in `X-Forwarded-For` that is not a trusted proxy itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ClientAddress {
    pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> ClientAddress {
        if !trusted.contains(&peer) {
            return ClientAddress(peer);
        }
        // Each proxy appends the address it saw: walk from the right past our own proxies.
        let hops = forwarded_for.into_iter().flat_map(|h| h.rsplit(',')).map(str::trim);
        for hop in hops {
            match hop.parse::<IpAddr>() {
                Ok(ip) if trusted.contains(&ip) => continue,
                Ok(ip) => return ClientAddress(ip),
                Err(_) => break,
            }
        }
        ClientAddress(peer)
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .cloned()
            .ok_or_else(|| AppError::internal("no peer address on the connection"))?;
        let forwarded = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        Ok(ClientAddress::resolve(peer.ip(), forwarded, &state.trusted_proxies))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST: Limit = Limit { action: "test", count: 3, window: Duration::minutes(1) };

    #[test]
    fn rate_limiter_refuses_past_the_limit_until_the_window_ends() {
        let limiter = RateLimiter::default();
        let t0 = Utc::now();
        for _ in 0..3 {
            assert!(limiter.hit(&TEST, "k", t0).is_ok());
        }
        assert_eq!(limiter.hit(&TEST, "k", t0 + Duration::seconds(20)), Err(40));
        assert!(limiter.hit(&TEST, "other", t0).is_ok());
        assert!(limiter.hit(&TEST, "k", t0 + Duration::minutes(1)).is_ok());
    }

    #[test]
    fn pruning_many_keys_keeps_hour_long_counters_whose_hour_is_not_over() {
        let limiter = RateLimiter::default();
        let hourly = Limit { action: "hourly", count: 1, window: Duration::hours(1) };
        let t0 = Utc::now();
        assert!(limiter.hit(&hourly, "victim", t0).is_ok());
        for i in 0..=PRUNE_ABOVE {
            assert!(limiter.hit(&TEST, &i.to_string(), t0).is_ok());
        }
        // Past the minute every short counter may go; the hour-long one must stay.
        assert!(limiter.hit(&TEST, "late", t0 + Duration::minutes(5)).is_ok());
        assert!(limiter.hit(&hourly, "victim", t0 + Duration::minutes(5)).is_err());
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let forged = Some("198.51.100.1, 203.0.113.7");
        assert_eq!(ClientAddress::resolve(client, forged, &[proxy]).0, client);
        assert_eq!(ClientAddress::resolve(proxy, forged, &[proxy]).0, client);
        assert_eq!(ClientAddress::resolve(proxy, None, &[proxy]).0, proxy);
        assert_eq!(ClientAddress::resolve(proxy, Some("nonsense"), &[proxy]).0, proxy);
        let inner: IpAddr = "10.0.0.6".parse().unwrap();
        let chain = Some("203.0.113.7, 10.0.0.6");
        assert_eq!(ClientAddress::resolve(proxy, chain, &[proxy, inner]).0, client);
    }
}
