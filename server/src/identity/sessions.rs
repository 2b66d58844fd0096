//! Sign-in (R1) and sessions: opaque tokens stored hashed, access for 15 minutes, refresh for 30
//! days and rotating.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use lk_core::api::{RefreshRequest, SignInRequest, Tokens};
use rusqlite::{Connection, OptionalExtension, params};

use super::password::{self, Refusal};
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::limits::ClientAddress;
use crate::security;
use crate::state::{AppState, CurrentUser};

const ACCESS_LIFETIME: Duration = Duration::minutes(15);
const REFRESH_LIFETIME: Duration = Duration::days(30);

fn new_tokens(
    tx: &Connection,
    user_id: i64,
    session: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Tokens> {
    let tokens = Tokens {
        access_token: security::token(),
        refresh_token: security::token(),
        access_expires_at: now + ACCESS_LIFETIME,
        refresh_expires_at: now + REFRESH_LIFETIME,
    };
    let hashes = (security::digest(&tokens.access_token), security::digest(&tokens.refresh_token));
    let times = (tokens.access_expires_at.to_rfc3339(), tokens.refresh_expires_at.to_rfc3339());
    match session {
        None => tx.execute(
            "INSERT INTO sessions (user_id, access_hash, refresh_hash, access_expires_at, refresh_expires_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![user_id, hashes.0, hashes.1, times.0, times.1, now.to_rfc3339()],
        )?,
        Some(id) => tx.execute(
            "UPDATE sessions SET access_hash = ?2, refresh_hash = ?3, access_expires_at = ?4, refresh_expires_at = ?5
             WHERE id = ?1",
            params![id, hashes.0, hashes.1, times.0, times.1],
        )?,
    };
    Ok(tokens)
}

#[utoipa::path(post, path = "/api/v1/sessions", tag = "identity", request_body = SignInRequest,
    responses((status = 201, body = Tokens), (status = 401, body = lk_core::api::ApiError), (status = 429, body = lk_core::api::ApiError)))]
/// Sign-in (R1).
pub async fn sign_in(
    State(state): State<AppState>,
    from: ClientAddress,
    ApiJson(request): ApiJson<SignInRequest>,
) -> AppResult<(StatusCode, Json<Tokens>)> {
    let user_id = password::check(
        &state,
        from,
        request.login.trim(),
        request.password,
        &Refusal::CREDENTIALS,
    )
    .await?;
    let now = state.clock.now();
    let tokens = state.db.transaction(move |tx| new_tokens(tx, user_id, None, now)).await?;
    Ok((StatusCode::CREATED, Json(tokens)))
}

#[utoipa::path(post, path = "/api/v1/sessions/refresh", tag = "identity", request_body = RefreshRequest,
    responses((status = 200, body = Tokens), (status = 401, body = lk_core::api::ApiError)))]
/// New tokens for a refresh token; the old pair stops working (rotation). A refresh token that
/// was already rotated away is a stolen copy (or the thief's original): its session ends, so
/// neither holder can go on with it.
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RefreshRequest>,
) -> AppResult<Json<Tokens>> {
    let now = state.clock.now();
    let hash = security::digest(request.refresh_token.trim());
    state
        .db
        .transaction_recording(move |tx| {
            let current: Option<(i64, i64, String)> = tx
                .query_row(
                    "SELECT id, user_id, refresh_hash FROM sessions
                     WHERE refresh_hash = ?1 AND revoked_at IS NULL AND refresh_expires_at > ?2",
                    params![hash, now.to_rfc3339()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((session, user_id, old_hash)) = current else {
                tx.execute(
                    "UPDATE sessions SET revoked_at = ?2 WHERE revoked_at IS NULL
                     AND id = (SELECT session_id FROM retired_refresh_tokens WHERE hash = ?1)",
                    params![hash, now.to_rfc3339()],
                )?;
                return Ok(Err(AppError::unauthorized()));
            };
            tx.execute(
                "INSERT INTO retired_refresh_tokens (hash, session_id, retired_at) VALUES (?1, ?2, ?3)",
                params![old_hash, session, now.to_rfc3339()],
            )?;
            Ok(new_tokens(tx, user_id, Some(session), now))
        })
        .await
        .map(Json)
}

#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "identity", security(("bearer" = [])),
    responses((status = 204, description = "Signed out (R1)")))]
pub async fn sign_out(State(state): State<AppState>, user: CurrentUser) -> AppResult<StatusCode> {
    let now = state.clock.now();
    state
        .db
        .call(move |conn| {
            conn.execute(
                "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1",
                params![user.session_id, now.to_rfc3339()],
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of a profile except `keep`.
pub fn revoke_sessions(
    tx: &Connection,
    user_id: i64,
    keep: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    tx.execute(
        "UPDATE sessions SET revoked_at = ?3 WHERE user_id = ?1 AND revoked_at IS NULL AND id IS NOT ?2",
        params![user_id, keep, now.to_rfc3339()],
    )?;
    Ok(())
}
