//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use rusqlite::OptionalExtension;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::limits::RateLimiter;
use crate::notifier::Notifier;
use crate::security;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub limiter: Arc<RateLimiter>,
    pub notifier: Notifier,
    /// Wakes the push delivery worker.
    pub pusher: crate::worker::Waker,
    pub acquirer: Arc<dyn crate::acquirer::Acquirer>,
    /// Where this service is reached from outside, for links in e-mails.
    pub public_url: String,
    /// Demo endpoints (outbox, CAPTCHA answers) are served.
    pub demo: bool,
    /// Proxies whose `X-Forwarded-For` names the client (rate limits count by it).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
}

/// The signed-in profile behind a bearer access token.
pub struct CurrentUser {
    pub user_id: i64,
    pub session_id: i64,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            // The scheme is case-insensitive (RFC 9110 §11.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .ok_or_else(AppError::unauthorized)?
            .1
            .trim()
            .to_owned();
        let hash = security::digest(&token);
        let now = state.clock.now().to_rfc3339();
        state
            .db
            .read(move |tx| {
                tx.prepare_cached(
                    "SELECT id, user_id FROM sessions
                     WHERE access_hash = ?1 AND revoked_at IS NULL AND access_expires_at > ?2",
                )?
                .query_row([hash, now], |r| {
                    Ok(CurrentUser { session_id: r.get(0)?, user_id: r.get(1)? })
                })
                .optional()?
                .ok_or_else(AppError::unauthorized)
            })
            .await
    }
}
