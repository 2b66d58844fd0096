//! Writes that a client may retry carry an `Idempotency-Key` header. The first request with a
//! key is carried out and its answer stored in the same transaction as its effect; a retry with
//! the same key and the same request gets that answer again and changes nothing; the same key
//! with a different request is refused.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use lk_core::api::ErrorCode;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{AppError, AppResult};
use crate::security;

pub const HEADER: &str = "Idempotency-Key";

/// The request's idempotency key: 8–128 visible ASCII characters (a UUID is typical).
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let value = parts.headers.get(HEADER).ok_or_else(|| {
            AppError::invalid(
                ErrorCode::IdempotencyKeyMissing,
                "Запрос без заголовка Idempotency-Key: повтор мог бы выполнить его дважды",
                HEADER,
            )
        })?;
        let key = value.to_str().unwrap_or_default().trim();
        if !(8..=128).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::invalid(
                ErrorCode::IdempotencyKeyInvalid,
                "Idempotency-Key: от 8 до 128 латинских букв, цифр и знаков",
                HEADER,
            ));
        }
        Ok(IdempotencyKey(key.to_owned()))
    }
}

/// What identifies a request beyond its key: where it went and what it carried.
pub fn fingerprint(path: &str, body: &impl serde::Serialize) -> AppResult<String> {
    let body = serde_json::to_string(body).map_err(AppError::internal)?;
    Ok(security::digest(&format!("{path}\n{body}")))
}

/// The answer stored for this key, if the request was carried out before. The same key with a
/// different request is a client bug, refused so it cannot pass for the earlier one.
pub fn replay(
    tx: &Connection,
    user_id: i64,
    key: &IdempotencyKey,
    fingerprint: &str,
) -> AppResult<Option<String>> {
    let stored: Option<(String, String)> = tx
        .query_row(
            "SELECT fingerprint, response FROM idempotency WHERE user_id = ?1 AND key = ?2",
            params![user_id, key.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match stored {
        None => Ok(None),
        Some((stored, response)) if stored == fingerprint => Ok(Some(response)),
        Some(_) => Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyKeyReused,
            "Этот Idempotency-Key уже использован для другого запроса",
        )
        .field(HEADER)),
    }
}

/// Stores the answer with the effect, in the caller's transaction.
pub fn record(
    tx: &Connection,
    user_id: i64,
    key: &IdempotencyKey,
    fingerprint: &str,
    response: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    tx.execute(
        "INSERT INTO idempotency (user_id, key, fingerprint, response, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user_id, key.0, fingerprint, response, now.to_rfc3339()],
    )?;
    Ok(())
}
