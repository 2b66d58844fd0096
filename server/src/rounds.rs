//! Meter readers' rounds (R24): a reader's routes for work offline, their captures judged by the
//! core's `round::judge`, the results for billing and the route sheet, and the office's review
//! of what was flagged. A reader's reading never replaces a resident's accepted one of the same
//! period: the pair waits for the office.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use lk_core::account::Account;
use lk_core::api::{
    Capture, CaptureBatch, CaptureOutcome, CaptureOutcomes, ErrorCode, FlaggedCapture,
    FlaggedCaptures, NewStop, Resolution, Role, RoundSummary, RoundView, RoundsView, RouteChanged,
    RouteMeter, RouteStop,
};
use lk_core::meter::{Meter, MeterScope, Reading, ReadingSource, ZoneValue};
use lk_core::readings::{self, CheckContext};
use lk_core::round::{self, CaptureStatus, Recorded};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::readings::{accepted_history, accepted_readings};
use crate::records::{self, from_json, from_wire_name, to_json, wire_name};
use crate::state::{AppState, CurrentUser};

fn role_of(tx: &Connection, user_id: i64) -> AppResult<Role> {
    let role: String =
        tx.query_row("SELECT role FROM users WHERE id = ?1", [user_id], |r| r.get(0))?;
    from_wire_name(&role)
}

/// 403 unless the signed-in profile has `role`.
fn require_role(tx: &Connection, user_id: i64, role: Role) -> AppResult<()> {
    if role_of(tx, user_id)? == role {
        return Ok(());
    }
    let code = if role == Role::Reader { ErrorCode::NotAReader } else { ErrorCode::NotOffice };
    Err(AppError::new(StatusCode::FORBIDDEN, code, code.text()))
}

/// The reader's own round (another's is not found), or any round for the office.
fn require_round(tx: &Connection, user_id: i64, id: &str) -> AppResult<(String, u32)> {
    let role = role_of(tx, user_id)?;
    if role == Role::Resident {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::NotAReader,
            ErrorCode::NotAReader.text(),
        ));
    }
    tx.query_row(
        "SELECT name, version FROM rounds WHERE id = ?1 AND (reader_id = ?2 OR ?3)",
        params![id, user_id, role == Role::Office],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| AppError::not_found("Такого маршрута нет"))
}

struct Stop {
    id: String,
    account: Account,
    building: String,
    entrance: u32,
    flat: String,
    access_note: String,
    meters: Vec<String>,
    cancelled: bool,
}

/// The route's stops in walking order.
fn stops(tx: &Connection, round_id: &str) -> AppResult<Vec<Stop>> {
    stops_where(tx, "s.round_id = ?1 ORDER BY s.seq", params![round_id])
}

/// One stop of the route, found by its key: a batch of captures reads only the stops it names.
fn stop(tx: &Connection, round_id: &str, stop_id: &str) -> AppResult<Option<Stop>> {
    Ok(stops_where(tx, "s.round_id = ?1 AND s.id = ?2", params![round_id, stop_id])?.pop())
}

fn stops_where(
    tx: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> AppResult<Vec<Stop>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT s.id, s.account_number, a.building, s.entrance, s.flat, s.access_note, s.meters,
                s.cancelled
         FROM round_stops s JOIN accounts a ON a.number = s.account_number
         WHERE {condition}"
    ))?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, number, building, entrance, flat, access_note, meters, cancelled)| {
            Ok(Stop {
                id,
                account: records::account(tx, &number)?,
                building,
                entrance,
                flat,
                access_note,
                meters: from_json(&meters)?,
                cancelled,
            })
        })
        .collect()
}

fn meter(tx: &Connection, number: &str, id: &str) -> AppResult<Option<Meter>> {
    let json: Option<String> = tx
        .query_row(
            "SELECT json FROM meters WHERE id = ?1 AND account_number = ?2",
            params![id, number],
            |r| r.get(0),
        )
        .optional()?;
    let meter: Option<Meter> = json.map(|j| from_json(&j)).transpose()?;
    Ok(meter.filter(|m| m.scope == MeterScope::Individual))
}

/// The whole route as the reader downloads it (and the route sheet prints it).
fn round_view(tx: &Connection, id: &str, user_id: i64, now: DateTime<Utc>) -> AppResult<RoundView> {
    let (name, version) = require_round(tx, user_id, id)?;
    let mut today = None;
    let stops = stops(tx, id)?
        .into_iter()
        .map(|stop| {
            let region = stop.account.region;
            today.get_or_insert(region.local_date(now));
            let mut meters = Vec::new();
            for meter_id in &stop.meters {
                let Some(meter) = meter(tx, stop.account.number.as_str(), meter_id)? else {
                    continue;
                };
                let accepted = accepted_readings(tx, meter_id)?;
                let last = accepted.last();
                let all = accepted_history(tx, meter_id)?;
                let ctx = CheckContext::new(meter.clone(), region, &all, now);
                meters.push(RouteMeter {
                    expected: round::expected_range(&ctx),
                    previous: last.map(|a| a.reading.clone()),
                    previous_accepted_at: last.map(|a| a.accepted_at),
                    history: readings::history_to_keep(&all, region, now),
                    meter,
                });
            }
            Ok(RouteStop {
                id: stop.id,
                building: stop.building,
                entrance: stop.entrance,
                flat: stop.flat,
                address: stop.account.address.clone(),
                access_note: stop.access_note,
                owner: stop.account.owner.masked(),
                region,
                cancelled: stop.cancelled,
                meters,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(RoundView {
        id: id.to_owned(),
        name,
        version,
        today: today.unwrap_or_else(|| now.date_naive()),
        stops,
    })
}

#[utoipa::path(get, path = "/api/v1/rounds", tag = "rounds", security(("bearer" = [])),
    responses((status = 200, body = RoundsView), (status = 403, body = lk_core::api::ApiError)))]
/// R24: the routes given to the signed-in reader.
pub async fn list_rounds(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<RoundsView>> {
    state
        .db
        .read(move |tx| {
            require_role(tx, user.user_id, Role::Reader)?;
            let mut stmt = tx.prepare_cached(
                "SELECT id, name, version FROM rounds WHERE reader_id = ?1 ORDER BY id",
            )?;
            let rounds = stmt
                .query_map([user.user_id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<(String, String, u32)>, _>>()?;
            let rounds = rounds
                .into_iter()
                .map(|(id, name, version)| {
                    let walked: Vec<Stop> =
                        stops(tx, &id)?.into_iter().filter(|s| !s.cancelled).collect();
                    let captured: u32 = tx.query_row(
                        "SELECT COUNT(DISTINCT meter_id) FROM round_captures WHERE round_id = ?1",
                        [&id],
                        |r| r.get(0),
                    )?;
                    Ok(RoundSummary {
                        stops: walked.len() as u32,
                        meters: walked.iter().map(|s| s.meters.len() as u32).sum(),
                        captured,
                        id,
                        name,
                        version,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(RoundsView { rounds })
        })
        .await
        .map(Json)
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "rounds", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = RoundView), (status = 403, body = lk_core::api::ApiError)))]
/// R24: the whole route for work without a connection: each stop in the order walked, each meter
/// with its previous reading and today's expected range.
pub async fn get_round(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<RoundView>> {
    let now = state.clock.now();
    state.db.read(move |tx| round_view(tx, &id, user.user_id, now)).await.map(Json)
}

fn status_name(status: CaptureStatus) -> String {
    wire_name(&status)
}

/// The stored outcome of a capture sent before.
fn stored_outcome(tx: &Connection, device_id: &str) -> AppResult<Option<(i64, CaptureOutcome)>> {
    let row: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT reader_id, status, reasons FROM round_captures WHERE device_id = ?1",
            [device_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(reader, status, reasons)| {
        Ok((
            reader,
            CaptureOutcome {
                device_id: device_id.to_owned(),
                status: from_wire_name(&status)?,
                reasons: from_json(&reasons)?,
            },
        ))
    })
    .transpose()
}

/// Records an accepted reading of a reader's (or one the office accepted): the period's earlier
/// readings stay in the history, replaced.
fn record_reading(
    tx: &Connection,
    meter_id: &str,
    period: &str,
    values: Vec<ZoneValue>,
    taken_at: DateTime<Utc>,
    reader_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let reading = Reading {
        meter_id: meter_id.to_owned(),
        values,
        taken_at,
        source: ReadingSource::MeterReader,
        photo: None,
    };
    tx.execute(
        "UPDATE readings SET replaced = 1 WHERE meter_id = ?1 AND period = ?2 AND replaced = 0",
        params![meter_id, period],
    )?;
    tx.execute(
        "INSERT INTO readings (meter_id, period, json, accepted_at, user_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![meter_id, period, to_json(&reading)?, now.to_rfc3339(), reader_id],
    )?;
    Ok(())
}

/// Judges one capture of the round and stores it with its outcome.
fn take_capture(
    tx: &Connection,
    round_id: &str,
    reader_id: i64,
    capture: Capture,
    now: DateTime<Utc>,
) -> AppResult<CaptureOutcome> {
    let device_id = capture.device_id.clone();
    let refuse = |reason: &str| CaptureOutcome {
        device_id: device_id.clone(),
        status: CaptureStatus::Rejected,
        reasons: vec![reason.to_owned()],
    };
    if !(8..=128).contains(&device_id.len()) {
        return Ok(refuse("Номер записи на устройстве: от 8 до 128 символов"));
    }
    if let Some((reader, outcome)) = stored_outcome(tx, &device_id)? {
        return Ok(if reader == reader_id {
            outcome
        } else {
            refuse("Этот номер записи уже занят")
        });
    }
    let Some(stop) = stop(tx, round_id, &capture.stop_id)? else {
        return Ok(refuse("Такой квартиры в маршруте нет"));
    };
    let number = stop.account.number.as_str();
    // A meter not on the route is judged beside the stop's first meter: only its kind matters.
    let meter_id = match (&capture.recorded, &capture.meter_id) {
        (Recorded::NotOnRoute { .. }, _) => stop.meters.first(),
        (_, Some(id)) if stop.meters.contains(id) => Some(id),
        _ => None,
    };
    let Some(meter) = meter_id.map(|id| meter(tx, number, id)).transpose()?.flatten() else {
        return Ok(refuse("Такого счётчика в маршруте нет"));
    };
    let region = stop.account.region;
    let taken_at = capture.taken_at.min(now);
    let accepted = accepted_history(tx, &meter.id)?;
    let ctx = CheckContext::new(meter.clone(), region, &accepted, taken_at);
    let period = readings::reading_period(region, taken_at);
    let mut verdict = round::judge(&ctx, &capture.recorded, capture.photos.len());
    let reading = matches!(capture.recorded, Recorded::Reading { .. });
    if reading && verdict.status != CaptureStatus::Rejected {
        let resident = readings::submitted_in(&accepted, period)
            .filter(|a| a.reading.source != ReadingSource::MeterReader);
        if let Some(resident) = resident {
            verdict.status = CaptureStatus::NeedsReview;
            verdict.reasons.push(format!(
                "В этом периоде уже приняты показания жильца: {}",
                ZoneValue::list_ru(&resident.reading.values)
            ));
        } else if verdict.status == CaptureStatus::Accepted {
            let period = period.to_string();
            record_reading(
                tx,
                &meter.id,
                &period,
                verdict.values.clone(),
                taken_at,
                reader_id,
                now,
            )?;
        }
    }
    let stored_meter = match capture.recorded {
        Recorded::NotOnRoute { .. } => None,
        _ => Some(meter.id.clone()),
    };
    tx.execute(
        "INSERT INTO round_captures (device_id, round_id, reader_id, stop_id, meter_id, json,
            values_json, period, status, reasons, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            device_id,
            round_id,
            reader_id,
            stop.id,
            stored_meter,
            to_json(&capture)?,
            to_json(&verdict.values)?,
            period.to_string(),
            status_name(verdict.status),
            to_json(&verdict.reasons)?,
            now.to_rfc3339(),
        ],
    )?;
    Ok(CaptureOutcome { device_id, status: verdict.status, reasons: verdict.reasons })
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/captures", tag = "rounds", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CaptureBatch,
    responses((status = 200, body = CaptureOutcomes), (status = 403, body = lk_core::api::ApiError)))]
/// R24: a batch of captures made offline. Each is keyed by the id the device made: sent again it
/// changes nothing and answers its first outcome.
pub async fn post_captures(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(batch): ApiJson<CaptureBatch>,
) -> AppResult<Json<CaptureOutcomes>> {
    if batch.captures.len() > CaptureBatch::MAX {
        return Err(AppError::invalid(
            ErrorCode::InvalidInput,
            format!(
                "Слишком много записей обхода в одном запросе: можно не больше {}",
                CaptureBatch::MAX
            ),
            "captures",
        ));
    }
    let now = state.clock.now();
    state
        .db
        .transaction(move |tx| {
            require_role(tx, user.user_id, Role::Reader)?;
            require_round(tx, user.user_id, &id)?;
            let outcomes = batch
                .captures
                .into_iter()
                .map(|capture| take_capture(tx, &id, user.user_id, capture, now))
                .collect::<AppResult<Vec<_>>>()?;
            Ok(CaptureOutcomes { outcomes })
        })
        .await
        .map(Json)
}

fn status_ru(status: CaptureStatus) -> &'static str {
    match status {
        CaptureStatus::Accepted => "принято",
        CaptureStatus::NeedsReview => "на проверке",
        CaptureStatus::Rejected => "отклонено",
    }
}

const CSV_COLUMNS: [&str; 9] = [
    "Лицевой счёт",
    "Адрес",
    "Счётчик",
    "Период",
    "Показания",
    "Причина пропуска",
    "Снято",
    "Статус",
    "Замечания",
];

/// A CSV field: quoted when it holds the separator, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/results.csv", tag = "rounds", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = lk_core::api::ApiError)))]
/// R24: every capture of the route for the billing system, in the order walked: one line each,
/// `;`-separated, UTF-8.
pub async fn results_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let csv = state
        .db
        .read(move |tx| {
            require_round(tx, user.user_id, &id)?;
            let mut out = CSV_COLUMNS.join(";");
            out.push_str("\r\n");
            for stop in stops(tx, &id)? {
                let mut stmt = tx.prepare_cached(
                    "SELECT json, values_json, period, status, reasons, meter_id FROM round_captures
                     WHERE round_id = ?1 AND stop_id = ?2 ORDER BY received_at, device_id",
                )?;
                let rows = stmt
                    .query_map(params![id, stop.id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, Option<String>>(5)?,
                        ))
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                for (capture, values, period, status, reasons, meter_id) in rows {
                    let capture: Capture = from_json(&capture)?;
                    let values: Vec<ZoneValue> = from_json(&values)?;
                    let reasons: Vec<String> = from_json(&reasons)?;
                    let (meter, skip) = match &capture.recorded {
                        Recorded::Skip { reason, note } => {
                            (meter_id.unwrap_or_default(), format!("{} {note}", reason.name_ru()))
                        }
                        Recorded::NotOnRoute { serial, .. } => {
                            (format!("№ {serial}"), String::new())
                        }
                        Recorded::Reading { .. } => (meter_id.unwrap_or_default(), String::new()),
                    };
                    let fields = [
                        stop.account.number.as_str().to_owned(),
                        stop.account.address.clone(),
                        meter,
                        period,
                        ZoneValue::list_ru(&values),
                        skip.trim().to_owned(),
                        capture.taken_at.to_rfc3339(),
                        status_ru(from_wire_name(&status)?).to_owned(),
                        reasons.join("; "),
                    ];
                    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                    out.push_str(&line.join(";"));
                    out.push_str("\r\n");
                }
            }
            Ok(out)
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/sheet.pdf", tag = "rounds", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = lk_core::api::ApiError)))]
/// R24: the route sheet (обходной лист) on paper, made by the core.
pub async fn sheet_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let now = state.clock.now();
    let view = state.db.read(move |tx| round_view(tx, &id, user.user_id, now)).await?;
    let bytes = lk_core::pdf::round_sheet(&view).map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"round-{}.pdf\"", view.id)),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/office/captures", tag = "rounds", security(("bearer" = [])),
    responses((status = 200, body = FlaggedCaptures), (status = 403, body = lk_core::api::ApiError)))]
/// R24: the captures waiting for the office, oldest first, each with its photos and the
/// resident's reading it meets.
pub async fn flagged_captures(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<FlaggedCaptures>> {
    state
        .db
        .read(move |tx| {
            require_role(tx, user.user_id, Role::Office)?;
            let mut stmt = tx.prepare_cached(
                "SELECT c.json, c.round_id, u.login, s.account_number, c.meter_id, c.period,
                        c.reasons, c.reader_id
                 FROM round_captures c JOIN users u ON u.id = c.reader_id
                 JOIN round_stops s ON s.round_id = c.round_id AND s.id = c.stop_id
                 WHERE c.status = ?1 ORDER BY c.received_at, c.device_id",
            )?;
            let rows = stmt
                .query_map([status_name(CaptureStatus::NeedsReview)], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, i64>(7)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let captures = rows
                .into_iter()
                .map(|(capture, round_id, reader, number, meter_id, period, reasons, reader_id)| {
                    let capture: Capture = from_json(&capture)?;
                    let resident_reading = match meter_id {
                        Some(meter_id) => {
                            let accepted = accepted_history(tx, &meter_id)?;
                            let period = period.parse().map_err(AppError::internal)?;
                            readings::submitted_in(&accepted, period)
                                .filter(|a| a.reading.source != ReadingSource::MeterReader)
                                .map(|a| a.reading.clone())
                        }
                        None => None,
                    };
                    let mut photos = Vec::new();
                    for key in &capture.photos {
                        let id: Option<String> = tx
                            .query_row(
                                "SELECT id FROM photos WHERE user_id = ?1 AND client_key = ?2",
                                params![reader_id, key],
                                |r| r.get(0),
                            )
                            .optional()?;
                        photos.extend(id);
                    }
                    Ok(FlaggedCapture {
                        round_id,
                        reader,
                        address: records::account(tx, &number)?.address,
                        reasons: from_json(&reasons)?,
                        resident_reading,
                        photos,
                        capture,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(FlaggedCaptures { captures })
        })
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/office/captures/{device_id}/resolution", tag = "rounds", security(("bearer" = [])),
    params(("device_id" = String, Path)), request_body = Resolution,
    responses((status = 200, body = CaptureOutcome), (status = 403, body = lk_core::api::ApiError),
        (status = 409, body = lk_core::api::ApiError, description = "already resolved")))]
/// R24: the office accepts a flagged reading (it becomes the period's; a resident's stays in the
/// history) or rejects it with the reason, which the reader's device shows after its next sync.
pub async fn resolve_capture(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(device_id): Path<String>,
    ApiJson(resolution): ApiJson<Resolution>,
) -> AppResult<Json<CaptureOutcome>> {
    let now = state.clock.now();
    let reason = resolution.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if !resolution.accept && reason.is_none() {
        return Err(AppError::invalid(
            ErrorCode::ReasonRequired,
            ErrorCode::ReasonRequired.text(),
            "reason",
        ));
    }
    state
        .db
        .transaction(move |tx| {
            require_role(tx, user.user_id, Role::Office)?;
            let row: Option<(String, String, Option<String>, String, String, i64)> = tx
                .query_row(
                    "SELECT status, json, meter_id, values_json, period, reader_id
                     FROM round_captures WHERE device_id = ?1",
                    [&device_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )
                .optional()?;
            let Some((status, capture, meter_id, values, period, reader_id)) = row else {
                return Err(AppError::not_found("Таких показаний контролёра нет"));
            };
            if status != status_name(CaptureStatus::NeedsReview) {
                return Err(AppError::conflict(ErrorCode::AlreadyResolved, ErrorCode::AlreadyResolved.text()));
            }
            let capture: Capture = from_json(&capture)?;
            let values: Vec<ZoneValue> = from_json(&values)?;
            let (status, reasons) = if resolution.accept {
                if let (Some(meter_id), false) = (meter_id, values.is_empty()) {
                    let taken_at = capture.taken_at.min(now);
                    record_reading(tx, &meter_id, &period, values, taken_at, reader_id, now)?;
                }
                (CaptureStatus::Accepted, Vec::new())
            } else {
                (CaptureStatus::Rejected, reason.into_iter().collect::<Vec<_>>())
            };
            tx.execute(
                "UPDATE round_captures SET status = ?1, reasons = ?2, resolved_by = ?3, resolved_at = ?4
                 WHERE device_id = ?5",
                params![status_name(status), to_json(&reasons)?, user.user_id, now.to_rfc3339(), device_id],
            )?;
            Ok(CaptureOutcome { device_id, status, reasons })
        })
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/office/rounds/{id}/stops", tag = "rounds", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NewStop,
    responses((status = 200, body = RouteChanged), (status = 403, body = lk_core::api::ApiError),
        (status = 409, body = lk_core::api::ApiError, description = "the stop id holds another stop")))]
/// R24: the office adds a stop to a route already given out; the route's version grows and the
/// reader's device merges it on its next download, keeping the captures made. The same stop
/// sent again changes nothing.
pub async fn add_stop(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(round_id): Path<String>,
    ApiJson(stop): ApiJson<NewStop>,
) -> AppResult<Json<RouteChanged>> {
    let field = |text: &str, field: &str| AppError::invalid(ErrorCode::InvalidRequest, text, field);
    if stop.id.trim().is_empty() || stop.id.len() > 64 {
        return Err(field("Код остановки: от 1 до 64 символов", "id"));
    }
    if stop.meter_ids.is_empty() {
        return Err(field("Укажите счётчики, которые читать на остановке", "meter_ids"));
    }
    state
        .db
        .transaction(move |tx| {
            require_role(tx, user.user_id, Role::Office)?;
            let (_, version) = require_round(tx, user.user_id, &round_id)?;
            let meters = to_json(&stop.meter_ids)?;
            let kept: Option<(String, String, u32, String, String)> = tx
                .query_row(
                    "SELECT account_number, meters, entrance, flat, access_note FROM round_stops
                     WHERE round_id = ?1 AND id = ?2",
                    params![round_id, stop.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            if let Some(kept) = kept {
                let same = (stop.account_number.clone(), meters, stop.entrance, stop.flat.clone(), stop.access_note.clone());
                if kept != same {
                    return Err(AppError::conflict(
                        ErrorCode::StopIdTaken,
                        format!("Остановка «{}» на маршруте уже другая", stop.id),
                    )
                    .field("id"));
                }
                return Ok(RouteChanged { round_id, version, stop_id: stop.id });
            }
            records::account(tx, &stop.account_number).map_err(|_| {
                AppError::invalid(ErrorCode::InvalidAccountNumber, "Такого лицевого счёта нет", "account_number")
            })?;
            for meter_id in &stop.meter_ids {
                if meter(tx, &stop.account_number, meter_id)?.is_none() {
                    return Err(field(
                        &format!("Счётчика {meter_id} нет среди счётчиков квартиры этого счёта"),
                        "meter_ids",
                    ));
                }
            }
            tx.execute(
                "INSERT INTO round_stops (round_id, id, seq, account_number, entrance, flat, access_note, meters)
                 VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM round_stops WHERE round_id = ?1),
                         ?3, ?4, ?5, ?6, ?7)",
                params![round_id, stop.id, stop.account_number, stop.entrance, stop.flat, stop.access_note, meters],
            )?;
            let version = bump_version(tx, &round_id)?;
            Ok(RouteChanged { round_id, version, stop_id: stop.id })
        })
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/office/rounds/{id}/stops/{stop_id}/cancellation", tag = "rounds",
    security(("bearer" = [])), params(("id" = String, Path), ("stop_id" = String, Path)),
    responses((status = 200, body = RouteChanged), (status = 403, body = lk_core::api::ApiError),
        (status = 404, body = lk_core::api::ApiError)))]
/// R24: the office cancels a stop of a route given out: it stays on the route, marked, with the
/// captures made there; the route's version grows. Cancelling it again changes nothing.
pub async fn cancel_stop(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((round_id, stop_id)): Path<(String, String)>,
) -> AppResult<Json<RouteChanged>> {
    state
        .db
        .transaction(move |tx| {
            require_role(tx, user.user_id, Role::Office)?;
            let (_, version) = require_round(tx, user.user_id, &round_id)?;
            let cancelled: Option<bool> = tx
                .query_row(
                    "SELECT cancelled FROM round_stops WHERE round_id = ?1 AND id = ?2",
                    params![round_id, stop_id],
                    |r| r.get(0),
                )
                .optional()?;
            match cancelled {
                None => Err(AppError::not_found("Такой остановки на маршруте нет")),
                Some(true) => Ok(RouteChanged { round_id, version, stop_id }),
                Some(false) => {
                    tx.execute(
                        "UPDATE round_stops SET cancelled = 1 WHERE round_id = ?1 AND id = ?2",
                        params![round_id, stop_id],
                    )?;
                    let version = bump_version(tx, &round_id)?;
                    Ok(RouteChanged { round_id, version, stop_id })
                }
            }
        })
        .await
        .map(Json)
}

/// Every change of the office's makes a new version of the route.
fn bump_version(tx: &Connection, round_id: &str) -> AppResult<u32> {
    Ok(tx.query_row(
        "UPDATE rounds SET version = version + 1 WHERE id = ?1 RETURNING version",
        [round_id],
        |r| r.get(0),
    )?)
}
