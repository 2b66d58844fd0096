//! The profile's accounts, their balances and payment documents (R6–R8).

use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Response};
use lk_core::account::Account;
use lk_core::api::ErrorCode;
use lk_core::api::{
    AccountBalance, AccountDetails, AccountSummary, DocumentEmailQueued, DocumentEmailRequest,
    DocumentMeterReading, DocumentSummary, DocumentView, ServiceTariffs,
};
use lk_core::document::PaymentDocument;
use lk_core::meter::{Meter, Reading};
use lk_core::payment::Payment;
use lk_core::period::Period;
use lk_core::requisites::Requisites;
use lk_core::service::{Service, Tariff};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{AppError, AppResult};
use crate::idempotency::{self, IdempotencyKey};
use crate::json::ApiJson;
use crate::limits::Limit;
use crate::notifier::{self, Attachment, Message};
use crate::profile::require_account;
use crate::records::{self, from_json, from_wire_name, wire_name};
use crate::state::{AppState, CurrentUser};

/// The service a document line bills: `electricity.day` is `electricity`.
pub fn base_service(line_code: &str) -> &str {
    line_code.split('.').next().unwrap_or(line_code)
}

pub fn parse_period(text: &str) -> AppResult<Period> {
    text.parse().map_err(|e: lk_core::period::PeriodError| {
        AppError::invalid(ErrorCode::InvalidPeriod, format!("Период «{text}»: {e}"), "period")
    })
}

fn services(tx: &Connection) -> AppResult<Vec<Service>> {
    let mut stmt = tx.prepare_cached("SELECT json FROM services ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|json| from_json(&json?)).collect()
}

/// Line codes of a document whose amount the payer may change (R9: where the supplier allows).
pub fn editable_lines(tx: &Connection, document: &PaymentDocument) -> AppResult<Vec<String>> {
    let services = services(tx)?;
    Ok(document
        .lines
        .iter()
        .map(|l| l.basis.service_code.clone())
        .filter(|code| services.iter().any(|s| s.code == base_service(code) && s.amount_editable))
        .collect())
}

pub fn document(tx: &Connection, number: &str, period: Period) -> AppResult<PaymentDocument> {
    let json: String = tx
        .prepare_cached("SELECT json FROM documents WHERE account_number = ?1 AND period = ?2")?
        .query_row(params![number, period.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| {
            AppError::not_found(format!("Платёжного документа за {} нет", period.name_ru()))
        })?;
    from_json(&json)
}

pub fn payments_of(tx: &Connection, number: &str) -> AppResult<Vec<Payment>> {
    let mut stmt = tx.prepare_cached(
        "SELECT json FROM payments WHERE account_number = ?1 ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([number], |r| r.get::<_, String>(0))?;
    rows.map(|json| from_json(&json?)).collect()
}

fn balance(tx: &Connection, account: &Account) -> AppResult<AccountBalance> {
    let number = account.number.as_str();
    let latest = records::latest_document(tx, number)?;
    Ok(lk_core::document::balance(latest.as_ref(), &payments_of(tx, number)?))
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<AccountSummary>)))]
/// The profile's accounts, its own first (R6, R19).
pub async fn list_accounts(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<AccountSummary>>> {
    state
        .db
        .read(move |tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT a.json, ua.own FROM user_accounts ua
                 JOIN accounts a ON a.number = ua.account_number
                 WHERE ua.user_id = ?1 ORDER BY ua.own DESC, ua.linked_at, a.number",
            )?;
            let rows = stmt
                .query_map([user.user_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(json, own)| {
                    let account: Account = from_json(&json)?;
                    Ok(AccountSummary {
                        balance: balance(tx, &account)?,
                        number: account.number,
                        owner: account.owner.full(),
                        address: account.address,
                        region: account.region,
                        own,
                    })
                })
                .collect::<AppResult<Vec<_>>>()
        })
        .await
        .map(Json)
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}", tag = "accounts", security(("bearer" = [])),
    params(("number" = String, Path)), responses((status = 200, body = AccountDetails), (status = 404, body = lk_core::api::ApiError)))]
/// R6: owner, address, debt, services with tariffs, suppliers with requisites.
pub async fn account_details(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> AppResult<Json<AccountDetails>> {
    state
        .db
        .read(move |tx| {
            let account = require_account(tx, user.user_id, &number)?;
            let own: bool = tx.prepare_cached("SELECT own FROM user_accounts WHERE user_id = ?1 AND account_number = ?2")?.query_row(params![user.user_id, number],
                |r| r.get(0),
            )?;
            let region = wire_name(&account.region);
            let billed: Vec<String> = records::latest_document(tx, &number)?
                .map(|d| d.lines.iter().map(|l| base_service(&l.basis.service_code).to_owned()).collect())
                .unwrap_or_default();
            let mut tariffs = tx.prepare_cached(
                "SELECT zone, price FROM tariffs WHERE region = ?1 AND service_code = ?2 ORDER BY rowid",
            )?;
            let services = services(tx)?
                .into_iter()
                .filter(|s| billed.contains(&s.code))
                .map(|service| {
                    let tariffs = tariffs
                        .query_map(params![region, service.code], |r| {
                            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                        })?
                        .collect::<Result<Vec<_>, _>>()?
                        .into_iter()
                        .map(|(zone, price)| {
                            Ok(Tariff {
                                service_code: service.code.clone(),
                                zone: from_wire_name(&zone)?,
                                price: price.parse().map_err(AppError::internal)?,
                            })
                        })
                        .collect::<AppResult<Vec<_>>>()?;
                    Ok(ServiceTariffs { service, tariffs })
                })
                .collect::<AppResult<Vec<_>>>()?;
            let payee: String = tx.prepare_cached("SELECT requisites_json FROM payees WHERE region = ?1")?.query_row([region],
                |r| r.get(0),
            )?;
            let suppliers: Vec<Requisites> = vec![from_json(&payee)?];
            Ok(AccountDetails { balance: balance(tx, &account)?, account, own, services, suppliers })
        })
        .await
        .map(Json)
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/documents", tag = "accounts", security(("bearer" = [])),
    params(("number" = String, Path)), responses((status = 200, body = Vec<DocumentSummary>)))]
/// The periods with a payment document, newest first.
pub async fn list_documents(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> AppResult<Json<Vec<DocumentSummary>>> {
    state
        .db
        .read(move |tx| {
            require_account(tx, user.user_id, &number)?;
            let mut stmt = tx.prepare_cached(
                "SELECT json FROM documents WHERE account_number = ?1 ORDER BY period DESC",
            )?;
            let rows = stmt.query_map([&number], |r| r.get::<_, String>(0))?;
            rows.map(|json| {
                let d: PaymentDocument = from_json(&json?)?;
                Ok(DocumentSummary {
                    period: d.head.period,
                    issued_on: d.head.issued_on,
                    due_date: d.head.due_date,
                    to_pay: d.totals.to_pay,
                    amount_due: d.totals.amount_due,
                })
            })
            .collect::<AppResult<Vec<_>>>()
        })
        .await
        .map(Json)
}

/// The accepted reading of each of the account's meters in a period (the latest submission).
pub fn period_readings(
    tx: &Connection,
    number: &str,
    period: Period,
) -> AppResult<Vec<(Meter, Reading)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT m.json, r.json FROM readings r JOIN meters m ON m.id = r.meter_id
         WHERE m.account_number = ?1 AND r.period = ?2 AND r.replaced = 0 ORDER BY m.id",
    )?;
    let rows = stmt
        .query_map(params![number, period.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|(m, r)| Ok((from_json(&m)?, from_json(&r)?))).collect()
}

fn document_readings(
    tx: &Connection,
    number: &str,
    period: Period,
) -> AppResult<Vec<DocumentMeterReading>> {
    let before = period_readings(tx, number, period.previous())?;
    let mut used = Vec::new();
    for (meter, current) in period_readings(tx, number, period)? {
        let Some((_, previous)) = before.iter().find(|(m, _)| m.id == meter.id) else {
            continue;
        };
        for value in &current.values {
            let Some(was) = previous.value(value.zone) else { continue };
            used.push(DocumentMeterReading {
                meter_id: meter.id.clone(),
                serial: meter.serial.clone(),
                kind: meter.kind,
                zone: value.zone,
                dial: meter.dial,
                previous: was,
                current: value.value,
                consumption: meter.dial.consumption(was, value.value).ok_or_else(|| {
                    AppError::internal(format!("meter {}: readings beyond its dial", meter.id))
                })?,
            });
        }
    }
    Ok(used)
}

/// The document of a period as the screens and the PDF show it.
fn document_view(tx: &Connection, number: &str, period: Period) -> AppResult<DocumentView> {
    let document = document(tx, number, period)?;
    let payment_qr =
        document.payment_qr().map(|q| q.payload()).transpose().map_err(AppError::internal)?;
    let view = DocumentView {
        editable_services: editable_lines(tx, &document)?,
        meter_readings: document_readings(tx, number, period)?,
        payment_qr,
        document,
    };
    view.verify().map_err(AppError::internal)?;
    Ok(view)
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/documents/{period}", tag = "accounts", security(("bearer" = [])),
    params(("number" = String, Path), ("period" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = DocumentView), (status = 404, body = lk_core::api::ApiError)))]
/// R7, R8: the payment document of a period with its QR payload.
pub async fn get_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((number, period)): Path<(String, String)>,
) -> AppResult<Json<DocumentView>> {
    let period = parse_period(&period)?;
    state
        .db
        .read(move |tx| {
            require_account(tx, user.user_id, &number)?;
            document_view(tx, &number, period)
        })
        .await
        .map(Json)
}

/// The document as an e-mail's text (the PDF attachment comes with the documents work).
fn document_text(d: &PaymentDocument) -> String {
    let mut text = format!(
        "Платёжный документ за {}\nЛицевой счёт {}\n{}\n{}\n\n",
        d.head.period.name_ru(),
        d.head.account.number,
        d.head.account.owner.full(),
        d.head.account.address
    );
    for line in &d.lines {
        text.push_str(&format!(
            "{}: к оплате {}\n",
            line.basis.service_name,
            line.to_pay.format_ru()
        ));
    }
    text.push_str(&format!(
        "\nИтого к оплате: {}\nОплатить до {}\n",
        d.totals.amount_due.format_ru(),
        lk_core::wording::date(d.head.due_date)
    ));
    text
}

#[utoipa::path(post, path = "/api/v1/accounts/{number}/documents/{period}/email", tag = "accounts", security(("bearer" = [])),
    params(("number" = String, Path), ("period" = String, Path), ("Idempotency-Key" = String, Header)),
    request_body = DocumentEmailRequest, responses((status = 200, body = DocumentEmailQueued)))]
/// R8: send the document by e-mail, to the profile's address unless another is given.
pub async fn email_document(
    State(state): State<AppState>,
    user: CurrentUser,
    key: IdempotencyKey,
    OriginalUri(uri): OriginalUri,
    Path((number, period)): Path<(String, String)>,
    ApiJson(request): ApiJson<DocumentEmailRequest>,
) -> AppResult<Response> {
    let period = parse_period(&period)?;
    let fingerprint = idempotency::fingerprint(uri.path(), &request)?;
    let now = state.clock.now();
    let st = state.clone();
    let answer = state
        .db
        .transaction(move |tx| {
            if let Some(stored) = idempotency::replay(tx, user.user_id, &key, &fingerprint)? {
                return Ok(stored);
            }
            require_account(tx, user.user_id, &number)?;
            // Each e-mail carries a PDF to an address of the caller's choosing: budgeted.
            st.limit(&Limit::DOCUMENT_EMAILS_PER_PROFILE, &user.user_id.to_string())?;
            let view = document_view(tx, &number, period)?;
            let pdf = lk_core::pdf::payment_document(&view).map_err(AppError::internal)?;
            let to = match request.email {
                Some(email) => email.to_string(),
                None => tx
                    .prepare_cached("SELECT email FROM users WHERE id = ?1")?
                    .query_row([user.user_id], |r| r.get::<_, Option<String>>(0))?
                    .ok_or_else(|| {
                        AppError::invalid(
                            ErrorCode::EmailMissing,
                            "В профиле нет e-mail: укажите адрес для отправки",
                            "email",
                        )
                    })?,
            };
            let message = Message {
                channel: lk_core::api::Channel::Email,
                recipient: to.clone(),
                subject: format!("Платёжный документ за {}", period.name_ru()),
                body: document_text(&view.document),
            };
            let attachment = Attachment { name: format!("epd-{number}-{period}.pdf"), bytes: pdf };
            notifier::queue_with(tx, &message, Some(&attachment), now)?;
            let answer = records::to_json(&DocumentEmailQueued { sent_to: to })?;
            idempotency::record(tx, user.user_id, &key, &fingerprint, &answer, now)?;
            Ok(answer)
        })
        .await?;
    state.notifier.wake();
    Ok(json_response(answer))
}

/// A stored JSON answer, sent as it is.
pub fn json_response(body: String) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lk_core::service::TariffZone;

    /// Every demo document passes the view's cross-checks (each reading as its dial shows it),
    /// and the latest one of every account with a three-zone meter prints.
    #[tokio::test]
    async fn every_demo_document_verifies_and_three_zone_ones_print() {
        let db = crate::db::Db::in_memory().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        db.transaction(move |tx| crate::demo::seed(tx, today)).await.unwrap();
        let checked = db
            .transaction(|tx| {
                let mut stmt = tx.prepare_cached("SELECT account_number, period FROM documents")?;
                let all: Vec<(String, String)> = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                let latest = Period::new(2026, 10).unwrap();
                let mut printed = 0;
                for (number, period) in &all {
                    let period = parse_period(period)?;
                    let view = document_view(tx, number, period)?;
                    let three_zones =
                        view.meter_readings.iter().any(|r| r.zone == TariffZone::Peak);
                    if period == latest && three_zones {
                        lk_core::pdf::payment_document(&view).map_err(AppError::internal)?;
                        printed += 1;
                    }
                }
                Ok((all.len(), printed))
            })
            .await
            .unwrap();
        assert!(checked.0 > 4000, "{checked:?}");
        assert!(checked.1 >= 10, "three-zone documents printed: {checked:?}");
    }
}
