//! Push notifications to devices (R22): the app registers its FCM or APNs token; events (the
//! reading window opens or closes in two days, a new payment document, a payment's result) are
//! written to a push outbox in the transaction that caused them, and a worker delivers them
//! through the platform's provider, retrying with backoff and forgetting tokens the platform
//! says are gone. Without a provider configured the pushes stay in the outbox (the demo).

mod apns;
mod fcm;

use lk_core::api::ErrorCode;
use std::future::Future;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lk_core::api::{DeviceRegistration, PushPlatform};
use lk_core::payment::{Payment, PaymentStatus};
use lk_core::period::Period;
use lk_core::region::Region;
use rusqlite::{Connection, params};
use serde_json::json;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::records::{from_json, wire_name};
use crate::state::{AppState, CurrentUser};
use crate::worker::{DELIVERY_RETRY, Waker};

pub use apns::{ApnsConfig, ApnsProvider};
pub use fcm::{FcmConfig, FcmProvider};

/// The delivery routes; a platform without one keeps its pushes in the outbox.
#[derive(Default)]
pub struct PushProviders {
    pub fcm: Option<FcmProvider>,
    pub apns: Option<ApnsProvider>,
}

/// A push as the providers send it.
pub struct Push {
    pub token: String,
    pub title: String,
    pub body: String,
    /// Flat string pairs, as both platforms carry custom data.
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// What a provider made of one push.
#[derive(Debug)]
pub enum Delivery {
    Sent,
    /// The platform says the token is no longer valid: forget the device.
    TokenGone,
    /// Try again later.
    Failed(String),
}

pub fn platform_code(platform: PushPlatform) -> &'static str {
    match platform {
        PushPlatform::Fcm => "fcm",
        PushPlatform::Apns => "apns",
    }
}

#[utoipa::path(post, path = "/api/v1/devices", tag = "devices", security(("bearer" = [])),
    request_body = DeviceRegistration, responses((status = 204), (status = 400, body = lk_core::api::ApiError),
        (status = 409, body = lk_core::api::ApiError, description = "another profile is signed in with this token")))]
/// R22: this device gets the profile's pushes. A token moves to another profile only once the
/// session that registered it has ended.
pub async fn register_device(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(device): ApiJson<DeviceRegistration>,
) -> AppResult<StatusCode> {
    let token = device.token.trim().to_owned();
    if token.is_empty() || token.len() > 4096 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::invalid(
            ErrorCode::InvalidToken,
            "Токен устройства не распознан",
            "token",
        ));
    }
    let now = state.clock.now();
    state
        .db
        .transaction(move |tx| {
            // A token held by another profile whose session on it is still live is not moved:
            // whoever knows a token must not silently take a resident's pushes (or send them
            // someone else's). Signing out there frees it.
            let held_elsewhere: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM devices d JOIN sessions s ON s.id = d.session_id
                 WHERE d.token = ?1 AND d.user_id != ?2 AND s.revoked_at IS NULL AND s.refresh_expires_at > ?3)",
                params![token, user.user_id, now.to_rfc3339()],
                |r| r.get(0),
            )?;
            if held_elsewhere {
                return Err(AppError::conflict(
                    ErrorCode::DeviceInUse,
                    "На этом устройстве открыт другой личный кабинет: сначала выйдите из него",
                )
                .field("token"));
            }
            tx.execute(
                "INSERT INTO devices (token, platform, user_id, registered_at, session_id) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (token) DO UPDATE SET platform = ?2, user_id = ?3, registered_at = ?4, session_id = ?5",
                params![token, platform_code(device.platform), user.user_id, now.to_rfc3339(), user.session_id],
            )?;
            Ok(())
        })
        .await?;
    // An app registers on start: a good moment to look for due reminders.
    state.pusher.wake();
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/devices/{token}", tag = "devices", security(("bearer" = [])),
    params(("token" = String, Path)), responses((status = 204)))]
/// The device stops getting pushes (the app calls this on sign-out).
pub async fn remove_device(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(token): Path<String>,
) -> AppResult<StatusCode> {
    state
        .db
        .call(move |conn| {
            conn.execute(
                "DELETE FROM devices WHERE token = ?1 AND user_id = ?2",
                params![token, user.user_id],
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a push says.
struct Event<'a> {
    name: &'a str,
    title: &'a str,
    body: String,
    data: serde_json::Value,
}

/// Queues the event to every device of the profiles `users_sql` selects (with `?1` bound to
/// `users_param`): those that asked for this kind of event.
fn queue_for_users(
    tx: &Connection,
    users_sql: &str,
    users_param: &str,
    event: Event<'_>,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let sql = format!(
        "INSERT INTO push_outbox (platform, token, event, title, body, data_json, created_at, next_attempt_at)
         SELECT d.platform, d.token, ?2, ?3, ?4, ?5, ?6, ?6 FROM devices d WHERE d.user_id IN ({users_sql})"
    );
    let mut data = event.data;
    data["event"] = json!(event.name);
    Ok(tx.execute(
        &sql,
        params![
            users_param,
            event.name,
            event.title,
            event.body,
            data.to_string(),
            now.to_rfc3339()
        ],
    )?)
}

/// A payment reached its final status.
pub fn payment_result(
    tx: &Connection,
    payment_id: &str,
    status: PaymentStatus,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let json: String =
        tx.query_row("SELECT json FROM payments WHERE id = ?1", [payment_id], |r| r.get(0))?;
    let payment: Payment = from_json(&json)?;
    queue_for_users(
        tx,
        "SELECT p.user_id FROM payments p JOIN users u ON u.id = p.user_id
         WHERE p.id = ?1 AND u.notify_payment_result = 1",
        payment_id,
        Event {
            name: "payment_result",
            title: status.name_ru(),
            // A failed payment says why, so the resident knows whether to try again.
            body: match payment.failure {
                Some(reason) => format!(
                    "Лицевой счёт {}: {}. {}",
                    payment.account,
                    payment.allocation.total.format_ru(),
                    reason.text_ru()
                ),
                None => format!(
                    "Лицевой счёт {}: {}",
                    payment.account,
                    payment.allocation.total.format_ru()
                ),
            },
            data: match payment.failure {
                Some(reason) => {
                    json!({ "payment_id": payment_id, "status": status, "failure": reason })
                }
                None => json!({ "payment_id": payment_id, "status": status }),
            },
        },
        now,
    )?;
    Ok(())
}

/// A new payment document was issued for an account.
pub fn new_document(
    tx: &Connection,
    account: &str,
    period: Period,
    amount_due: &str,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    queue_for_users(
        tx,
        "SELECT ua.user_id FROM user_accounts ua JOIN users u ON u.id = ua.user_id
         WHERE ua.account_number = ?1 AND u.notify_new_document = 1",
        account,
        Event {
            name: "new_document",
            title: "Новый платёжный документ",
            body: format!("Лицевой счёт {account}, {}: к оплате {amount_due}", period.name_ru()),
            data: json!({ "account_number": account, "period": period }),
        },
        now,
    )
}

/// Reminders of the reading window, on the days the core names. Each goes once per account and
/// period, however often this runs, and not to an account whose every meter already has its
/// reading for the period.
pub fn window_reminders(tx: &Connection, now: DateTime<Utc>) -> AppResult<usize> {
    let mut queued = 0;
    for region in Region::ALL {
        let today = region.local_date(now);
        let window = region.default_window();
        let period = Period::of_date(today);
        let Some(reminder) = window.reminder_on(today) else { continue };
        let (event, body) = (reminder.code(), reminder.text_ru(&window));
        let mut accounts = tx.prepare(
            "SELECT DISTINCT ua.account_number FROM user_accounts ua
             JOIN accounts a ON a.number = ua.account_number
             WHERE a.region = ?1
               AND EXISTS (SELECT 1 FROM meters m WHERE m.account_number = ua.account_number
                           AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id
                                           AND r.period = ?2 AND r.replaced = 0))",
        )?;
        let numbers: Vec<String> = accounts
            .query_map(params![wire_name(&region), period.to_string()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for number in numbers {
            let first = tx.execute(
                "INSERT OR IGNORE INTO push_events_sent (account_number, event, period) VALUES (?1, ?2, ?3)",
                params![number, event, period.to_string()],
            )?;
            if first == 0 {
                continue;
            }
            queued += queue_for_users(
                tx,
                "SELECT ua.user_id FROM user_accounts ua JOIN users u ON u.id = ua.user_id
                 WHERE ua.account_number = ?1 AND u.notify_reading_window = 1",
                &number,
                Event {
                    name: event,
                    title: reminder.title_ru(),
                    body: format!("Лицевой счёт {number}. {body}"),
                    data: json!({ "account_number": number, "period": period }),
                },
                now,
            )?;
        }
    }
    Ok(queued)
}

const MAX_ATTEMPTS: i64 = 8;

/// Starts the delivery worker, which also checks the reading window's reminders each round.
pub fn start(db: Db, clock: Arc<dyn Clock>, providers: PushProviders) -> Waker {
    let providers = Arc::new(providers);
    crate::worker::spawn("push", move || {
        let (db, clock, providers) = (db.clone(), clock.clone(), providers.clone());
        async move {
            let now = clock.now();
            db.transaction(move |tx| window_reminders(tx, now)).await?;
            deliver_due(&db, clock.as_ref(), &providers).await
        }
    })
}

async fn deliver_due(db: &Db, clock: &dyn Clock, providers: &PushProviders) -> AppResult<()> {
    let now = clock.now();
    let due: Vec<(i64, String, Push, i64)> = db
        .call(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id, platform, token, title, body, data_json, attempts FROM push_outbox
                 WHERE status = 'queued' AND next_attempt_at <= ?1 ORDER BY id LIMIT 100",
            )?;
            let rows = stmt
                .query_map([now.to_rfc3339()], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, i64>(6)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(id, platform, token, title, body, data, attempts)| {
                    let data: serde_json::Map<String, serde_json::Value> = from_json(&data)?;
                    Ok((id, platform, Push { token, title, body, data }, attempts))
                })
                .collect()
        })
        .await?;
    for (id, platform, push, attempts) in due {
        let delivery = match (platform.as_str(), &providers.fcm, &providers.apns) {
            ("fcm", Some(fcm), _) => fcm.send(&push).await,
            ("apns", _, Some(apns)) => apns.send(&push).await,
            _ => {
                record(db, id, "kept", attempts, None, now, None).await?;
                continue;
            }
        };
        let now = clock.now();
        match delivery {
            Delivery::Sent => record(db, id, "sent", attempts + 1, None, now, None).await?,
            Delivery::TokenGone => {
                record(db, id, "token_gone", attempts + 1, None, now, Some(push.token)).await?
            }
            Delivery::Failed(error) => {
                tracing::warn!(id, %error, "push not delivered");
                let status = if attempts + 1 >= MAX_ATTEMPTS { "failed" } else { "queued" };
                record(db, id, status, attempts + 1, Some(error), now, None).await?
            }
        }
    }
    Ok(())
}

async fn record(
    db: &Db,
    id: i64,
    status: &'static str,
    attempts: i64,
    error: Option<String>,
    now: DateTime<Utc>,
    forget_token: Option<String>,
) -> AppResult<()> {
    let next = DELIVERY_RETRY.next_at(u32::try_from(attempts).unwrap_or(u32::MAX), now);
    db.call(move |conn| {
        conn.execute(
            "UPDATE push_outbox SET status = ?2, attempts = ?3, last_error = ?4, next_attempt_at = ?5 WHERE id = ?1",
            params![id, status, attempts, error, next.to_rfc3339()],
        )?;
        if let Some(token) = forget_token {
            conn.execute("DELETE FROM devices WHERE token = ?1", [token])?;
        }
        Ok(())
    })
    .await
}

/// A credential the provider reuses until shortly before it expires (FCM's access token, the
/// APNs provider JWT).
#[derive(Default)]
struct CachedToken(tokio::sync::Mutex<Option<(String, std::time::Instant)>>);

impl CachedToken {
    /// The cached token, or a new one from `make` (the token and how long to keep it).
    async fn get<F>(&self, make: F) -> Result<String, String>
    where
        F: Future<Output = Result<(String, std::time::Duration), String>>,
    {
        let mut cached = self.0.lock().await;
        if let Some((token, _)) =
            cached.as_ref().filter(|(_, until)| *until > std::time::Instant::now())
        {
            return Ok(token.clone());
        }
        let (token, keep) = make.await?;
        *cached = Some((token.clone(), std::time::Instant::now() + keep));
        Ok(token)
    }

    async fn clear(&self) {
        *self.0.lock().await = None;
    }
}
