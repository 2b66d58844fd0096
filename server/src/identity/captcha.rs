//! The CAPTCHA that guards registration and recovery: a PNG of distorted digits, one answer,
//! five minutes.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use lk_core::api::ErrorCode;
use lk_core::api::{CaptchaAnswer, CaptchaChallenge};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::limits::{ClientAddress, Limit};
use crate::security;
use crate::state::AppState;

const CAPTCHA_LIFETIME: Duration = Duration::minutes(5);

#[utoipa::path(post, path = "/api/v1/captcha", tag = "identity",
    responses((status = 201, body = CaptchaChallenge), (status = 429, body = lk_core::api::ApiError)))]
pub async fn new_captcha(
    State(state): State<AppState>,
    from: ClientAddress,
) -> AppResult<(StatusCode, Json<CaptchaChallenge>)> {
    state.limit(&Limit::CAPTCHAS_PER_ADDRESS, &from.to_string())?;
    let (answer, png) = tokio::task::spawn_blocking(|| {
        let mut captcha = captcha::Captcha::new();
        captcha
            .set_chars(&['2', '3', '4', '5', '6', '7', '8', '9'])
            .add_chars(5)
            .apply_filter(captcha::filters::Noise::new(0.2))
            .apply_filter(captcha::filters::Wave::new(2.0, 18.0))
            .view(220, 110)
            .apply_filter(captcha::filters::Dots::new(8));
        (captcha.chars_as_string(), captcha.as_png())
    })
    .await
    .map_err(AppError::internal)?;
    let png = png.ok_or_else(|| AppError::internal("CAPTCHA image not encoded"))?;
    let id = security::id();
    let expires_at = state.clock.now() + CAPTCHA_LIFETIME;
    let (row_id, now) = (id.clone(), state.clock.now());
    state
        .db
        .call(move |conn| {
            conn.execute("DELETE FROM captchas WHERE expires_at < ?1", [now.to_rfc3339()])?;
            conn.execute(
                "INSERT INTO captchas (id, answer, expires_at) VALUES (?1, ?2, ?3)",
                params![row_id, answer, expires_at.to_rfc3339()],
            )?;
            Ok(())
        })
        .await?;
    let png_base64 = base64::engine::general_purpose::STANDARD.encode(png);
    Ok((StatusCode::CREATED, Json(CaptchaChallenge { id, png_base64, expires_at })))
}

/// Uses up a CAPTCHA: right or wrong, it cannot be answered twice.
pub(super) fn take_captcha(
    tx: &Connection,
    given: &CaptchaAnswer,
    now: DateTime<Utc>,
) -> AppResult<AppResult<()>> {
    let row: Option<(String, String)> = tx
        .query_row("SELECT answer, expires_at FROM captchas WHERE id = ?1", [&given.id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    tx.execute("DELETE FROM captchas WHERE id = ?1", [&given.id])?;
    let wrong = || {
        AppError::invalid(
            ErrorCode::CaptchaWrong,
            "Код с картинки введён неверно, попробуйте новый",
            "captcha",
        )
    };
    let Some((answer, expires_at)) = row else { return Ok(Err(wrong())) };
    if now > codes::parse_time(&expires_at)? {
        return Ok(Err(AppError::invalid(
            ErrorCode::CaptchaExpired,
            "Картинка устарела, обновите её",
            "captcha",
        )));
    }
    if answer != given.answer.trim() {
        return Ok(Err(wrong()));
    }
    Ok(Ok(()))
}
