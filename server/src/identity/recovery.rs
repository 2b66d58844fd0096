//! Password recovery (R5): a code to the contact, the logins tied to it, a new password.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use lk_core::api::ErrorCode;
use lk_core::api::{
    Channel, CodeRequest, NewPasswordRequest, RecoveryLogins, RecoveryRequest, RecoveryStarted,
};
use lk_core::credentials;
use rusqlite::{Connection, OptionalExtension, params};

use super::captcha::take_captcha;
use super::normalise_contact;
use super::password::forget_attempts;
use super::sessions::revoke_sessions;
use crate::codes::{self, Presented};
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::limits::{ClientAddress, Limit};
use crate::notifier::{self, Message};
use crate::security;
use crate::state::AppState;

fn users_with_contact(
    tx: &Connection,
    channel: Channel,
    contact: &str,
) -> AppResult<Vec<(i64, String)>> {
    let sql = match channel {
        Channel::Phone => "SELECT id, login FROM users WHERE phone = ?1 ORDER BY login",
        Channel::Email => {
            "SELECT id, login FROM users WHERE email = ?1 COLLATE NOCASE ORDER BY login"
        }
    };
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([contact], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[utoipa::path(post, path = "/api/v1/recoveries", tag = "identity", request_body = RecoveryRequest,
    responses((status = 201, body = RecoveryStarted)))]
/// Password recovery (R5): a code goes to the contact if a profile has it; the answer is the same
/// either way.
pub async fn start_recovery(
    State(state): State<AppState>,
    from: ClientAddress,
    ApiJson(request): ApiJson<RecoveryRequest>,
) -> AppResult<(StatusCode, Json<RecoveryStarted>)> {
    state.limit(&Limit::RECOVERIES_PER_ADDRESS, &from.to_string())?;
    let contact = normalise_contact(request.channel, &request.contact, "contact")?;
    let st = state.clone();
    let now = state.clock.now();
    let id = security::id();
    let (row_id, channel) = (id.clone(), request.channel);
    let public_url = state.public_url.clone();
    state
        .db
        .transaction_recording(move |tx| {
            // The CAPTCHA first: without it nobody may spend the contact's code budget.
            if let Err(refusal) = take_captcha(tx, &request.captcha, now)? {
                return Ok(Err(refusal));
            }
            if let Err(refusal) = st.limit_codes(&contact, from) {
                return Ok(Err(refusal));
            }
            let issued = codes::issue(tx, "recovery", now)?;
            tx.execute(
                "INSERT INTO recoveries (id, channel, contact, code_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![row_id, notifier::channel_name(channel), contact, issued.id, now.to_rfc3339()],
            )?;
            if !users_with_contact(tx, channel, &contact)?.is_empty() {
                let body = match channel {
                    Channel::Phone => format!("Код восстановления пароля ЭК «Восток»: {}", issued.code),
                    Channel::Email => format!(
                        "Здравствуйте!\n\nКод восстановления пароля личного кабинета: {}\n\
                         Или откройте ссылку в приложении: lk://recovery?id={row_id}&code={}\n\
                         Код действует 10 минут. Если вы не запрашивали восстановление, удалите письмо.\n\n{public_url}",
                        issued.code, issued.code
                    ),
                };
                let message = Message { channel, recipient: contact, subject: "Восстановление пароля".into(), body };
                notifier::queue(tx, &message, now)?;
            }
            Ok(Ok(()))
        })
        .await?;
    state.notifier.wake();
    Ok((
        StatusCode::CREATED,
        Json(RecoveryStarted { id, channel, resend_after: now + codes::RESEND_DELAY }),
    ))
}

struct Recovery {
    channel: Channel,
    contact: String,
    code_id: String,
}

fn read_recovery(tx: &Connection, id: &str) -> AppResult<Recovery> {
    let (channel, contact, code_id, completed): (String, String, String, Option<String>) = tx
        .query_row(
            "SELECT channel, contact, code_id, completed_at FROM recoveries WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| AppError::not_found("Восстановление не найдено, начните заново"))?;
    let channel = if channel == "phone" { Channel::Phone } else { Channel::Email };
    if completed.is_some() {
        return Err(AppError::conflict(
            ErrorCode::RecoveryCompleted,
            "Пароль уже изменён, войдите с новым паролем",
        ));
    }
    Ok(Recovery { channel, contact, code_id })
}

#[utoipa::path(post, path = "/api/v1/recoveries/{id}/code", tag = "identity", request_body = CodeRequest,
    params(("id" = String, Path)), responses((status = 200, body = RecoveryLogins), (status = 400, body = lk_core::api::ApiError)))]
/// The code from the SMS or e-mail; answers with the logins tied to the contact (R5).
pub async fn recovery_code(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CodeRequest>,
) -> AppResult<Json<RecoveryLogins>> {
    let now = state.clock.now();
    state
        .db
        .transaction_recording(move |tx| {
            let recovery = read_recovery(tx, &id)?;
            if let Err(refusal) =
                codes::verify(tx, &recovery.code_id, Presented::Code(&request.code), now)?
            {
                return Ok(Err(refusal));
            }
            let logins = users_with_contact(tx, recovery.channel, &recovery.contact)?
                .into_iter()
                .map(|u| u.1)
                .collect();
            Ok(Ok(RecoveryLogins { logins }))
        })
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/recoveries/{id}/password", tag = "identity", request_body = NewPasswordRequest,
    params(("id" = String, Path)), responses((status = 204), (status = 400, body = lk_core::api::ApiError)))]
/// The new password, twice, for the login the person picked (R5). Every session of that
/// profile ends.
pub async fn recovery_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<NewPasswordRequest>,
) -> AppResult<StatusCode> {
    credentials::check_new_password(&request.login, &request.password, &request.password_repeat)?;
    let hash = security::hash_password(request.password.clone()).await?;
    let now = state.clock.now();
    state
        .db
        .transaction(move |tx| {
            let recovery = read_recovery(tx, &id)?;
            let verified_at: Option<String> = tx.query_row(
                "SELECT verified_at FROM codes WHERE id = ?1",
                [&recovery.code_id],
                |r| r.get(0),
            )?;
            let verified = verified_at.as_deref().map(codes::parse_time).transpose()?;
            if verified.is_none_or(|at| now - at > codes::LIFETIME) {
                return Err(AppError::conflict(
                    ErrorCode::CodeNotConfirmed,
                    "Сначала введите код из сообщения",
                ));
            }
            let (user_id, login) = users_with_contact(tx, recovery.channel, &recovery.contact)?
                .into_iter()
                .find(|(_, login)| login.eq_ignore_ascii_case(request.login.trim()))
                .ok_or_else(|| {
                    AppError::invalid(ErrorCode::UnknownLogin, "Выберите логин из списка", "login")
                })?;
            tx.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                params![user_id, hash],
            )?;
            forget_attempts(tx, &login)?;
            revoke_sessions(tx, user_id, None, now)?;
            tx.execute(
                "UPDATE recoveries SET completed_at = ?2 WHERE id = ?1",
                params![id, now.to_rfc3339()],
            )?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}
