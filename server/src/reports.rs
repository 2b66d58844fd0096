//! Reports (R13–R15), as data; their printable PDFs come with the documents work.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{Duration, NaiveDate};
use lk_core::Money;
use lk_core::api::ErrorCode;
use lk_core::api::{ChargeHistory, ChargeMonth, PaymentHistory, ReadingsReport, ReadingsReportRow};
use lk_core::document::PaymentDocument;
use lk_core::meter::{Meter, MeterScope, ReadingSource, ZoneValue};
use lk_core::payment::PaymentStatus;
use rusqlite::params;
use serde::Deserialize;

use crate::accounts::{parse_period, payments_of};
use crate::error::{AppError, AppResult};
use crate::json::ApiQuery;
use crate::profile::require_account;
use crate::readings::{Accepted, accepted_readings, account_meters};
use crate::records::from_json;
use crate::state::{AppState, CurrentUser};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    /// First day, YYYY-MM-DD (default: a year before `to`).
    pub from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD (default: today in the account's region).
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/reports/payments", tag = "reports", security(("bearer" = [])),
    params(("number" = String, Path), DateRange), responses((status = 200, body = PaymentHistory)))]
/// R13: the payments made in a date range (the region's dates), each with its receipt.
pub async fn payment_history(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Json<PaymentHistory>> {
    let now = state.clock.now();
    state
        .db
        .read(move |tx| {
            let account = require_account(tx, user.user_id, &number)?;
            let to = range.to.unwrap_or_else(|| account.region.local_date(now));
            let from = range.from.unwrap_or(to - Duration::days(365));
            if from > to {
                return Err(AppError::invalid(
                    ErrorCode::InvalidRange,
                    "Начало периода позже его конца",
                    "from",
                ));
            }
            let tz = account.region.time_zone();
            let payments: Vec<_> = payments_of(tx, &number)?
                .into_iter()
                .filter(|p| p.status != PaymentStatus::Created)
                .filter(|p| (from..=to).contains(&p.created_at.with_timezone(&tz).date_naive()))
                .collect();
            let total_paid = payments
                .iter()
                .filter(|p| p.status == PaymentStatus::Succeeded)
                .map(|p| p.allocation.total)
                .sum::<Money>();
            Ok(PaymentHistory { account_number: account.number, from, to, payments, total_paid })
        })
        .await
        .map(Json)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Months {
    /// How many of the latest months, 1–36 (default 6, as R14 asks).
    pub months: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/reports/charges", tag = "reports", security(("bearer" = [])),
    params(("number" = String, Path), Months), responses((status = 200, body = ChargeHistory)))]
/// R14: the charges of the latest months, oldest first.
pub async fn charge_history(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
    ApiQuery(query): ApiQuery<Months>,
) -> AppResult<Json<ChargeHistory>> {
    let months = query.months.unwrap_or(6);
    if !(1..=36).contains(&months) {
        return Err(AppError::invalid(
            ErrorCode::InvalidMonths,
            "Число месяцев — от 1 до 36",
            "months",
        ));
    }
    state
        .db
        .read(move |tx| {
            let account = require_account(tx, user.user_id, &number)?;
            let mut stmt = tx.prepare_cached(
                "SELECT json FROM documents WHERE account_number = ?1 ORDER BY period DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![number, months], |r| r.get::<_, String>(0))?;
            let mut months = rows
                .map(|json| {
                    let d: PaymentDocument = from_json(&json?)?;
                    Ok(ChargeMonth { period: d.head.period, lines: d.lines, totals: d.totals })
                })
                .collect::<AppResult<Vec<_>>>()?;
            months.reverse();
            Ok(ChargeHistory { account_number: account.number, months })
        })
        .await
        .map(Json)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReadingsQuery {
    /// `individual` (the account's meters, readings accepted through the LK) or `common_house`.
    pub kind: MeterScope,
    /// First period, YYYY-MM.
    pub from: String,
    /// Last period, YYYY-MM.
    pub to: String,
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/reports/readings", tag = "reports", security(("bearer" = [])),
    params(("number" = String, Path), ReadingsQuery), responses((status = 200, body = ReadingsReport)))]
/// R15: readings of the account's meters or of its building's common-house meters, per period.
pub async fn readings_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
    ApiQuery(query): ApiQuery<ReadingsQuery>,
) -> AppResult<Json<ReadingsReport>> {
    let (from, to) = (parse_period(&query.from)?, parse_period(&query.to)?);
    if from > to {
        return Err(AppError::invalid(
            ErrorCode::InvalidRange,
            "Начало периода позже его конца",
            "from",
        ));
    }
    state
        .db
        .read(move |tx| {
            let account = require_account(tx, user.user_id, &number)?;
            let meters: Vec<Meter> = match query.kind {
                MeterScope::Individual => account_meters(tx, &number)?,
                MeterScope::CommonHouse => {
                    let mut stmt = tx.prepare_cached(
                        "SELECT m.json FROM meters m JOIN accounts a ON a.building = m.building
                         WHERE a.number = ?1 ORDER BY m.id",
                    )?;
                    let rows = stmt.query_map([&number], |r| r.get::<_, String>(0))?;
                    rows.map(|json| from_json(&json?)).collect::<AppResult<Vec<_>>>()?
                }
            };
            let mut rows = Vec::new();
            for meter in meters {
                let accepted = accepted_readings(tx, &meter.id)?;
                for (i, Accepted { period, reading, accepted_at }) in accepted.iter().enumerate() {
                    let through_lk = reading.source != ReadingSource::MeterReader;
                    if *period < from
                        || *period > to
                        || (query.kind == MeterScope::Individual && !through_lk)
                    {
                        continue;
                    }
                    let previous = i.checked_sub(1).map(|j| &accepted[j].reading);
                    let consumption = reading
                        .values
                        .iter()
                        .filter_map(|v| {
                            let was = previous?.value(v.zone)?;
                            Some(ZoneValue {
                                zone: v.zone,
                                value: meter.dial.consumption(was, v.value)?,
                            })
                        })
                        .collect();
                    rows.push(ReadingsReportRow {
                        meter_id: meter.id.clone(),
                        serial: meter.serial.clone(),
                        kind: meter.kind,
                        period: *period,
                        values: reading.values.clone(),
                        consumption,
                        source: reading.source,
                        accepted_at: *accepted_at,
                    });
                }
            }
            rows.sort_by(|a, b| (a.period, &a.meter_id).cmp(&(b.period, &b.meter_id)));
            Ok(ReadingsReport { account_number: account.number, kind: query.kind, from, to, rows })
        })
        .await
        .map(Json)
}
