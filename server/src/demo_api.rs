//! Demo-only endpoints, served only in demo mode: what a person would read on their phone or in
//! their mail (the outbox), the answer to a CAPTCHA, and accounts free to register.

use axum::Json;
use axum::extract::{Path, Query, State};
use lk_core::api::{Channel, OutboxMessage};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::codes::parse_time;
use crate::error::{AppError, AppResult};
use crate::records;
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OutboxQuery {
    /// Only messages to this phone (`+7…`) or e-mail.
    pub recipient: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/demo/outbox", tag = "demo", params(OutboxQuery),
    responses((status = 200, body = [OutboxMessage])))]
pub async fn outbox(
    State(state): State<AppState>,
    Query(query): Query<OutboxQuery>,
) -> AppResult<Json<Vec<OutboxMessage>>> {
    state
        .db
        .call(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id, channel, recipient, subject, body, created_at, status, attachment_name FROM outbox
                 WHERE ?1 IS NULL OR recipient = ?1 COLLATE NOCASE ORDER BY id DESC LIMIT 100",
            )?;
            let rows = stmt
                .query_map([query.recipient], |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, String>(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get::<_, String>(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(id, channel, recipient, subject, body, created_at, status, attachment)| {
                    Ok(OutboxMessage {
                        id,
                        channel: if channel == "phone" { Channel::Phone } else { Channel::Email },
                        recipient,
                        subject,
                        body,
                        created_at: parse_time(&created_at)?,
                        status,
                        attachment,
                    })
                })
                .collect()
        })
        .await
        .map(Json)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaptchaSolution {
    pub answer: String,
}

#[utoipa::path(get, path = "/api/v1/demo/captcha/{id}", tag = "demo", params(("id" = String, Path)),
    responses((status = 200, body = CaptchaSolution)))]
pub async fn captcha_answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<CaptchaSolution>> {
    state
        .db
        .call(move |conn| {
            conn.query_row("SELECT answer FROM captchas WHERE id = ?1", [id], |r| r.get(0))
                .optional()?
                .map(|answer| Json(CaptchaSolution { answer }))
                .ok_or_else(|| AppError::not_found("Нет такой картинки"))
        })
        .await
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FreeAccount {
    pub number: String,
    pub address: String,
    /// "Итого к оплате" of the latest document: the proof asked when binding (R3).
    pub latest_document_total: String,
}

#[utoipa::path(get, path = "/api/v1/demo/accounts", tag = "demo",
    responses((status = 200, description = "Accounts no profile has registered yet", body = [FreeAccount])))]
pub async fn free_accounts(State(state): State<AppState>) -> AppResult<Json<Vec<FreeAccount>>> {
    state
        .db
        .call(|conn| {
            let numbers: Vec<String> = conn
                .prepare(
                    "SELECT number FROM accounts WHERE number NOT IN (SELECT account_number FROM user_accounts WHERE own = 1)
                     ORDER BY number LIMIT 20",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            numbers
                .into_iter()
                .map(|number| {
                    let account = records::account(conn, &number)?;
                    let total = records::latest_document(conn, &number)?.map_or_else(String::new, |d| d.totals.amount_due.to_string());
                    Ok(FreeAccount { number, address: account.address, latest_document_total: total })
                })
                .collect()
        })
        .await
        .map(Json)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PushQuery {
    /// Only pushes to this device token.
    pub token: Option<String>,
}

/// A push as the device would get it, from the push outbox.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DemoPush {
    pub platform: String,
    pub token: String,
    pub event: String,
    pub title: String,
    pub body: String,
    pub data: serde_json::Value,
    pub status: String,
}

#[utoipa::path(get, path = "/api/v1/demo/pushes", tag = "demo", params(PushQuery),
    responses((status = 200, body = [DemoPush])))]
pub async fn pushes(
    State(state): State<AppState>,
    Query(query): Query<PushQuery>,
) -> AppResult<Json<Vec<DemoPush>>> {
    state
        .db
        .call(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT platform, token, event, title, body, data_json, status FROM push_outbox
                 WHERE ?1 IS NULL OR token = ?1 ORDER BY id DESC LIMIT 100",
            )?;
            let rows = stmt
                .query_map([query.token], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get::<_, String>(5)?,
                        r.get(6)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(platform, token, event, title, body, data, status)| {
                    Ok(DemoPush {
                        platform,
                        token,
                        event,
                        title,
                        body,
                        data: records::from_json(&data)?,
                        status,
                    })
                })
                .collect()
        })
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/demo/accounts/{number}/new-document", tag = "demo",
    params(("number" = String, Path)), responses((status = 200, body = usize, content_type = "application/json")))]
/// Announces the account's latest document as the supplier's billing run does when it issues
/// one (the demo has no billing run): a "new document" push to every profile holding it.
pub async fn announce_document(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> AppResult<Json<usize>> {
    let now = state.clock.now();
    let queued = state
        .db
        .transaction(move |tx| {
            let document = records::latest_document(tx, &number)?
                .ok_or_else(|| AppError::not_found("У счёта нет платёжных документов"))?;
            crate::push::new_document(
                tx,
                &number,
                document.head.period,
                &document.totals.amount_due.format_ru(),
                now,
            )
        })
        .await?;
    state.pusher.wake();
    Ok(Json(queued))
}
