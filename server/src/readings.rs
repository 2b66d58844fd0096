//! Meters and readings (R10–R12): the server re-runs the core's checks on every submission and
//! records the acceptance time itself.

use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use lk_core::account::Account;
use lk_core::api::ErrorCode;
use lk_core::api::{MeterView, MetersView, ReadingAccepted, ReadingInput, ReadingSubmission};
use lk_core::meter::{Meter, MeterScope, Reading, ReadingSource};
use lk_core::period::Period;
use lk_core::readings::{self, AcceptedReading, CheckContext, ReadingCheck, ReadingError};
use rusqlite::{Connection, OptionalExtension, params};

use crate::accounts::json_response;
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, IdempotencyKey};
use crate::json::ApiJson;
use crate::profile::require_account;
use crate::records::{from_json, to_json};
use crate::state::{AppState, CurrentUser};

pub struct Accepted {
    pub period: Period,
    pub reading: Reading,
    pub accepted_at: DateTime<Utc>,
}

/// The accepted (not replaced) readings of a meter, oldest first.
pub fn accepted_readings(tx: &Connection, meter_id: &str) -> AppResult<Vec<Accepted>> {
    let mut stmt = tx.prepare_cached(
        "SELECT period, json, accepted_at FROM readings WHERE meter_id = ?1 AND replaced = 0
         ORDER BY period, id",
    )?;
    let rows = stmt
        .query_map([meter_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(period, json, accepted_at)| {
            Ok(Accepted {
                period: period.parse().map_err(AppError::internal)?,
                reading: from_json(&json)?,
                accepted_at: crate::codes::parse_time(&accepted_at)?,
            })
        })
        .collect()
}

/// The meter's accepted readings as the core's checks take them.
pub fn accepted_history(tx: &Connection, meter_id: &str) -> AppResult<Vec<AcceptedReading>> {
    Ok(accepted_readings(tx, meter_id)?
        .into_iter()
        .map(|a| AcceptedReading { period: a.period, reading: a.reading })
        .collect())
}

fn context(
    tx: &Connection,
    account: &Account,
    meter: Meter,
    now: DateTime<Utc>,
) -> AppResult<CheckContext> {
    let accepted = accepted_history(tx, &meter.id)?;
    Ok(CheckContext::new(meter, account.region, &accepted, now))
}

/// One of the account's own (individual) meters.
fn individual_meter(tx: &Connection, number: &str, meter_id: &str) -> AppResult<Meter> {
    let json: String = tx
        .query_row(
            "SELECT json FROM meters WHERE id = ?1 AND account_number = ?2",
            params![meter_id, number],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| AppError::not_found("Такого счётчика на лицевом счёте нет"))?;
    let meter: Meter = from_json(&json)?;
    if meter.scope != MeterScope::Individual {
        return Err(AppError::not_found("Такого счётчика на лицевом счёте нет"));
    }
    Ok(meter)
}

pub fn account_meters(tx: &Connection, number: &str) -> AppResult<Vec<Meter>> {
    let mut stmt =
        tx.prepare_cached("SELECT json FROM meters WHERE account_number = ?1 ORDER BY id")?;
    let rows = stmt.query_map([number], |r| r.get::<_, String>(0))?;
    rows.map(|json| from_json(&json?)).collect()
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/meters", tag = "readings", security(("bearer" = [])),
    params(("number" = String, Path)), responses((status = 200, body = MetersView)))]
/// R10: the account's meters with their zones, dials, verification dates and the reading at the
/// start of the period; the region's window and whether it is open today.
pub async fn list_meters(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> AppResult<Json<MetersView>> {
    let now = state.clock.now();
    state
        .db
        .read(move |tx| {
            let account = require_account(tx, user.user_id, &number)?;
            let region = account.region;
            let today = region.local_date(now);
            let window = region.default_window();
            let period = readings::reading_period(region, now);
            let meters = account_meters(tx, &number)?
                .into_iter()
                .map(|meter| {
                    let accepted = accepted_history(tx, &meter.id)?;
                    Ok(MeterView {
                        start: readings::start_of_period(&accepted, period)
                            .map(|a| a.reading.clone()),
                        current: readings::submitted_in(&accepted, period)
                            .map(|a| a.reading.clone()),
                        verification_expired: meter.verification_expired(today),
                        verification_due_soon: meter.verification_due_soon(today),
                        history: readings::history_to_keep(&accepted, region, now),
                        meter,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(MetersView {
                today,
                region: Some(region),
                window_open: window.is_open_on(today),
                period: window.period_for(today),
                window,
                meters,
            })
        })
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/accounts/{number}/meters/{meter_id}/readings/check", tag = "readings",
    security(("bearer" = [])), params(("number" = String, Path), ("meter_id" = String, Path)),
    request_body = ReadingInput, responses((status = 200, body = ReadingCheck)))]
/// R11, R12: the consumption per zone and the findings, for the confirmation dialog.
pub async fn check_reading(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((number, meter_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ReadingInput>,
) -> AppResult<Json<ReadingCheck>> {
    let now = state.clock.now();
    state
        .db
        .read(move |tx| {
            let account = require_account(tx, user.user_id, &number)?;
            let meter = individual_meter(tx, &number, &meter_id)?;
            Ok(readings::check(&context(tx, &account, meter, now)?, &input.values))
        })
        .await
        .map(Json)
}

pub const ACCEPTED: &str = "Спасибо, Ваши показания приняты";

#[utoipa::path(post, path = "/api/v1/accounts/{number}/meters/{meter_id}/readings", tag = "readings",
    security(("bearer" = [])),
    params(("number" = String, Path), ("meter_id" = String, Path), ("Idempotency-Key" = String, Header)),
    request_body = ReadingSubmission,
    responses((status = 200, body = ReadingAccepted), (status = 409, body = lk_core::api::ApiError, description = "a finding needs confirming"),
        (status = 422, body = lk_core::api::ApiError, description = "refused by the checks")))]
/// R11, R12: accepts a submission that passes the checks and confirms every finding that needs
/// it; a second one in the period replaces the first, which stays in the history.
pub async fn submit_reading(
    State(state): State<AppState>,
    user: CurrentUser,
    key: IdempotencyKey,
    OriginalUri(uri): OriginalUri,
    Path((number, meter_id)): Path<(String, String)>,
    ApiJson(submission): ApiJson<ReadingSubmission>,
) -> AppResult<Response> {
    let fingerprint = idempotency::fingerprint(uri.path(), &submission)?;
    let now = state.clock.now();
    let source = submission.source.unwrap_or(ReadingSource::Resident);
    if source == ReadingSource::MeterReader {
        return Err(AppError::invalid(
            ErrorCode::InvalidSource,
            "Показания контролёра принимаются только с его маршрута",
            "source",
        ));
    }
    let answer = state
        .db
        .transaction(move |tx| {
            if let Some(stored) = idempotency::replay(tx, user.user_id, &key, &fingerprint)? {
                return Ok(stored);
            }
            let account = require_account(tx, user.user_id, &number)?;
            let meter = individual_meter(tx, &number, &meter_id)?;
            if let Some(photo) = &submission.photo {
                crate::photos::require_photo(tx, user.user_id, photo)?;
            }
            let ctx = context(tx, &account, meter, now)?;
            let check = readings::check(&ctx, &submission.values);
            let values = check.accept(&submission.confirmed).map_err(|e| match e {
                ReadingError::Refused(_) => {
                    AppError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::ReadingRefused, e.to_string())
                        .field("values")
                }
                ReadingError::NotConfirmed(_) => {
                    AppError::conflict(ErrorCode::ReadingNotConfirmed, e.to_string()).field("confirmed")
                }
            })?;
            let period = check.period.ok_or_else(|| AppError::internal("accepted without a period"))?;
            let taken_at = readings::taken_at(submission.taken_at, now, period, account.region)
                .map_err(|e| {
                    AppError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::TakenAtOutOfPeriod, e.to_string())
                        .field("taken_at")
                })?;
            let reading = Reading {
                meter_id: ctx.meter.id.clone(),
                values,
                taken_at,
                source,
                photo: submission.photo.clone(),
            };
            let replaced = tx.execute(
                "UPDATE readings SET replaced = 1 WHERE meter_id = ?1 AND period = ?2 AND replaced = 0",
                params![reading.meter_id, period.to_string()],
            )?;
            tx.execute(
                "INSERT INTO readings (meter_id, period, json, accepted_at, user_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![reading.meter_id, period.to_string(), to_json(&reading)?, now.to_rfc3339(), user.user_id],
            )?;
            let answer = to_json(&ReadingAccepted {
                reading,
                period,
                accepted_at: now,
                replaced_earlier: replaced > 0,
                message: ACCEPTED.into(),
            })?;
            idempotency::record(tx, user.user_id, &key, &fingerprint, &answer, now)?;
            Ok(answer)
        })
        .await?;
    Ok(json_response(answer))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use lk_core::readings::{ZoneInput, daily_floor, history_to_keep};
    use rust_decimal::Decimal;

    use super::*;

    /// What a resident may type on each zone after `last`: a month's ordinary use, less than
    /// before, far too much, a month at the high-use floor, a value near zero.
    fn typed(meter: &Meter, last: Option<&Reading>) -> Vec<Vec<ZoneInput>> {
        let floor_month = daily_floor(meter.kind) * Decimal::from(31);
        let changes: [&dyn Fn(Decimal) -> Decimal; 5] = [
            &|was| was + Decimal::from(7),
            &|was| was - Decimal::ONE,
            &|was| was + Decimal::from(3000),
            &|was| was + floor_month,
            &|_| Decimal::from(5),
        ];
        changes
            .iter()
            .map(|change| {
                let zones = meter.kind.zones().iter();
                zones
                    .map(|&zone| {
                        let was = last.and_then(|r| r.value(zone)).unwrap_or_default();
                        ZoneInput { zone, text: change(was).to_string() }
                    })
                    .collect()
            })
            .collect()
    }

    /// R11, R12 on every individual demo meter: the check a device makes offline, from the
    /// readings its meters view carries, finds what the service's check finds from all of them,
    /// on the day the view was listed and a week later.
    #[tokio::test]
    async fn every_demo_meter_is_checked_alike_from_its_meters_view_and_from_every_reading() {
        let db = crate::db::Db::in_memory().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        db.transaction(move |tx| crate::demo::seed(tx, today)).await.unwrap();
        let listed_at = Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap();
        let checked = db
            .transaction(move |tx| {
                let mut stmt = tx.prepare_cached(
                    "SELECT a.json, m.json FROM meters m JOIN accounts a ON a.number = m.account_number",
                )?;
                let rows: Vec<(String, String)> =
                    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
                let mut checked = 0;
                for (account, meter) in rows {
                    let account: Account = from_json(&account)?;
                    let meter: Meter = from_json(&meter)?;
                    if meter.scope != MeterScope::Individual {
                        continue;
                    }
                    let accepted = accepted_history(tx, &meter.id)?;
                    let kept = history_to_keep(&accepted, account.region, listed_at);
                    let last = accepted.last().map(|a| &a.reading);
                    for days in [0, 7] {
                        let now = listed_at + chrono::Duration::days(days);
                        let service = context(tx, &account, meter.clone(), now)?;
                        let device = CheckContext::new(meter.clone(), account.region, &kept, now);
                        for values in typed(&meter, last) {
                            assert_eq!(
                                readings::check(&service, &values),
                                readings::check(&device, &values),
                                "{} +{days} days, {values:?}",
                                meter.id
                            );
                            checked += 1;
                        }
                    }
                }
                Ok(checked)
            })
            .await
            .unwrap();
        assert!(checked > 5000, "{checked} checks");
    }
}
