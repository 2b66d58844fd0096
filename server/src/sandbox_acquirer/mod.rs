//! The sandbox acquirer: a stand-in for a bank's internet acquiring, served by this binary under
//! `/sandbox-acquirer` with its own records and secret, and reached by the LK only over HTTP.
//!
//! * API: `POST /api/v1/orders` (basic auth shop id + secret, `Idempotence-Key`) registers an
//!   order and answers its page URL; `GET /api/v1/orders/{id}` tells its status.
//! * Pages: `/pay/{id}` takes the card (number, expiry, holder, CVV/CVC2, "remember this card"),
//!   `/3ds/{id}` asks the one-time 3-D Secure code (always `123456` here; three tries), then the
//!   browser goes back to the order's return URL.
//! * An order not paid within [`ORDER_LIFETIME`] expires. A failed order says why
//!   (`failure_reason`: `declined`, `3ds_failed`, `expired`).
//! * Each change of status is POSTed to the order's notification URL, signed with HMAC-SHA256 of
//!   the body under the secret (header `X-Sandbox-Signature`), retried with backoff.
//!
//! Test cards (any expiry not in the past, any holder, any CVC): 4111 1111 1111 1111 (VISA),
//! 5555 5555 5555 4444 (Mastercard), 2200 0000 0000 0004 (МИР) succeed; 4000 0000 0000 0002 is
//! declined; 4000 0000 0000 3220 fails 3-D Secure; 4000 0000 0000 0119 gets no answer from the
//! bank (the order stays pending). Only the brand and last four digits of a card are kept.

mod card;

use lk_core::api::ErrorCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use lk_core::backoff::Backoff;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;

use crate::acquirer::{SIGNATURE_HEADER, SandboxNotification, SandboxOrder, SandboxOrderRequest};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::security;
use card::{Brand, Outcome};

/// The one-time code the sandbox's 3-D Secure page accepts.
pub const SECURE_CODE: &str = "123456";

/// Tries of the 3-D Secure code before the payment fails: one typo must not cost the payment.
pub const SECURE_CODE_TRIES: i64 = 3;

/// How long an order waits for the card and the code before it expires, as a bank's does.
pub const ORDER_LIFETIME: chrono::Duration = chrono::Duration::minutes(30);

#[derive(Clone)]
pub struct Sandbox {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub shop_id: String,
    pub secret: String,
    /// Where browsers reach the sandbox's pages.
    pub public_url: String,
    pub http: reqwest::Client,
}

pub fn router(sandbox: Sandbox) -> Router {
    Router::new()
        .route("/api/v1/orders", post(create_order))
        .route("/api/v1/orders/{id}", get(get_order))
        .route("/pay/{id}", get(card_page).post(card_form))
        .route("/3ds/{id}", get(secure_code_page).post(secure_code_form))
        .with_state(sandbox)
}

fn authorised(sandbox: &Sandbox, headers: &HeaderMap) -> AppResult<()> {
    let expected = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", sandbox.shop_id, sandbox.secret));
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    if given.map(security::digest) == Some(security::digest(&expected)) {
        Ok(())
    } else {
        Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "Неверный магазин или ключ",
        ))
    }
}

struct OrderRow {
    id: String,
    amount: String,
    description: String,
    return_url: String,
    notification_url: String,
    customer: String,
    status: String,
    card: Option<String>,
    outcome: Option<String>,
    secure_code_passed: bool,
    failure_reason: Option<String>,
}

fn load(conn: &rusqlite::Connection, id: &str) -> AppResult<OrderRow> {
    conn.query_row(
        "SELECT id, amount, description, return_url, notification_url, customer, status,
                card_brand || ' •••• ' || card_last4, outcome, secure_code_passed,
                failure_reason
         FROM sandbox_orders WHERE id = ?1",
        [id],
        |r| {
            Ok(OrderRow {
                id: r.get(0)?,
                amount: r.get(1)?,
                description: r.get(2)?,
                return_url: r.get(3)?,
                notification_url: r.get(4)?,
                customer: r.get(5)?,
                status: r.get(6)?,
                card: r.get(7)?,
                outcome: r.get(8)?,
                secure_code_passed: r.get(9)?,
                failure_reason: r.get(10)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| AppError::not_found("Заказ не найден"))
}

fn wire(sandbox: &Sandbox, row: &OrderRow) -> AppResult<SandboxOrder> {
    Ok(SandboxOrder {
        id: row.id.clone(),
        status: row.status.clone(),
        amount: row.amount.parse().map_err(AppError::internal)?,
        confirmation_url: format!("{}/pay/{}", sandbox.public_url, row.id),
        card: row.card.clone(),
        failure_reason: row.failure_reason.clone(),
    })
}

/// The order, expired first if it waited too long for the card or the code (then the shop is
/// told). An order whose code was accepted waits for the bank, however long.
async fn load_current(sandbox: &Sandbox, id: &str) -> AppResult<OrderRow> {
    let cutoff = (sandbox.clock.now() - ORDER_LIFETIME).to_rfc3339();
    let id = id.to_owned();
    let (row, expired) = sandbox
        .db
        .transaction(move |tx| {
            let expired = tx.execute(
                "UPDATE sandbox_orders SET status = 'canceled', failure_reason = 'expired'
                 WHERE id = ?1 AND status = 'pending' AND secure_code_passed = 0 AND created_at < ?2",
                params![id, cutoff],
            )? > 0;
            Ok((load(tx, &id)?, expired))
        })
        .await?;
    if expired {
        notify(sandbox, &row);
    }
    Ok(row)
}

async fn create_order(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SandboxOrderRequest>,
) -> AppResult<Json<SandboxOrder>> {
    authorised(&sandbox, &headers)?;
    let key = headers
        .get("Idempotence-Key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 64)
        .ok_or_else(|| {
            AppError::invalid(
                ErrorCode::IdempotencyKeyMissing,
                "Нужен Idempotence-Key",
                "Idempotence-Key",
            )
        })?
        .to_owned();
    if !request.amount.is_positive() {
        return Err(AppError::invalid(
            ErrorCode::InvalidAmount,
            "Сумма должна быть больше нуля",
            "amount",
        ));
    }
    let now = sandbox.clock.now();
    let s = sandbox.clone();
    sandbox
        .db
        .transaction(move |tx| {
            let existing: Option<String> = tx
                .query_row("SELECT id FROM sandbox_orders WHERE idempotence_key = ?1", [&key], |r| r.get(0))
                .optional()?;
            let id = match existing {
                Some(id) => id,
                None => {
                    let id = format!("sbx_{}", security::id());
                    tx.execute(
                        "INSERT INTO sandbox_orders (id, idempotence_key, amount, description, return_url,
                             notification_url, customer, status, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8)",
                        params![
                            id,
                            key,
                            request.amount.to_string(),
                            request.description,
                            request.return_url,
                            request.notification_url,
                            request.customer,
                            now.to_rfc3339()
                        ],
                    )?;
                    id
                }
            };
            wire(&s, &load(tx, &id)?)
        })
        .await
        .map(Json)
}

async fn get_order(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Json<SandboxOrder>> {
    authorised(&sandbox, &headers)?;
    let row = load_current(&sandbox, &id).await?;
    wire(&sandbox, &row).map(Json)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The page around every form: one column that fits a phone's screen, fields large enough to
/// tap, 16px text or more so that phones do not zoom into a field.
fn shell(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{title}</title>\
         <style>*{{box-sizing:border-box}}\
         body{{font:16px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;background:#f3f5f8;color:#1b1f24;margin:0;padding:12px}}\
         main{{max-width:26rem;margin:0 auto;background:#fff;border-radius:12px;padding:20px;box-shadow:0 2px 12px #0002;overflow-wrap:anywhere}}\
         h1{{font-size:1.4rem;margin:.2em 0 .4em}}p{{margin:.5em 0}}\
         label{{display:block;margin:.9em 0 .3em;color:#445}}\
         label.check{{display:flex;gap:.6em;align-items:center;color:#1b1f24}}label.check input{{width:1.3em;height:1.3em;margin:0}}\
         input[type=text],input[type=password]{{display:block;width:100%;padding:.65em .75em;font-size:1.1rem;border:1px solid #bbc;border-radius:8px;background:#fff}}\
         input:focus{{outline:2px solid #1a7f37;border-color:#1a7f37}}\
         .row{{display:flex;gap:12px}}.row>div{{flex:1;min-width:0}}\
         button{{margin-top:1.4em;width:100%;padding:.85em;font-size:1.1rem;font-weight:600;background:#1a7f37;color:#fff;border:0;border-radius:8px}}\
         .sum{{font-size:1.8rem;font-weight:700;margin:.2em 0 .6em}}\
         .err{{color:#b00020;background:#fdecee;border-radius:8px;padding:.6em .8em}}\
         .note{{color:#667;font-size:.85rem;margin-top:0}}\
         a.back{{display:block;text-align:center;margin-top:1.2em;padding:.85em;border-radius:8px;background:#1a7f37;color:#fff;font-weight:600;text-decoration:none}}</style>\
         <body><main><p class=\"note\">Тестовый эквайринг (песочница): деньги не списываются</p>{body}</main></body></html>",
    ))
}

/// The amount as Russians write it: `1 500,00 ₽`.
fn amount_ru(row: &OrderRow) -> String {
    row.amount
        .parse::<lk_core::Money>()
        .map_or_else(|_| format!("{} ₽", escape(&row.amount)), lk_core::Money::format_ru)
}

/// The order's status as the resident reads it.
fn status_ru(row: &OrderRow) -> &'static str {
    match (row.status.as_str(), row.failure_reason.as_deref()) {
        ("succeeded", _) => "Оплачен",
        ("declined", _) => "Отклонён банком",
        ("canceled", Some("3ds_failed")) => "Отменён: код 3-D Secure не подтверждён",
        ("canceled", Some("expired")) => "Отменён: истекло время на оплату",
        ("canceled", _) => "Отменён",
        _ => "Ожидает ответа банка",
    }
}

fn finished_page(row: &OrderRow) -> Response {
    shell(
        "Заказ обработан",
        &format!(
            "<h1>Заказ уже обработан</h1><p>{}</p><p>Статус: {}</p>\
             <a class=\"back\" href=\"{}\">Вернуться в приложение</a>",
            escape(&row.description),
            status_ru(row),
            escape(&row.return_url)
        ),
    )
    .into_response()
}

struct SavedCard {
    id: String,
    label: String,
}

fn saved_cards(conn: &rusqlite::Connection, customer: &str) -> AppResult<Vec<SavedCard>> {
    let mut stmt = conn.prepare(
        "SELECT id, brand || ' •••• ' || last4 || ', до ' || expiry FROM sandbox_cards WHERE customer = ?1 ORDER BY rowid",
    )?;
    let rows = stmt.query_map([customer], |r| Ok(SavedCard { id: r.get(0)?, label: r.get(1)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The card form; shown again after an error with what was typed (all but the CVC), so one typo
/// does not mean typing the whole card again.
fn card_form_html(
    row: &OrderRow,
    saved: &[SavedCard],
    errors: &[&str],
    typed: Option<&CardForm>,
) -> Html<String> {
    let value = |field: fn(&CardForm) -> &str| {
        typed.map(|t| format!(" value=\"{}\"", escape(field(t)))).unwrap_or_default()
    };
    let (number, expiry, holder) =
        (value(|t| &t.card_number), value(|t| &t.expiry), value(|t| &t.holder));
    let errors: String =
        errors.iter().map(|e| format!("<p class=\"err\">{}</p>", escape(e))).collect();
    let saved: String = saved
        .iter()
        .map(|c| {
            format!(
                "<label class=\"check\"><input type=\"radio\" name=\"saved_card\" value=\"{}\"> Сохранённая карта {}</label>",
                escape(&c.id),
                escape(&c.label)
            )
        })
        .collect();
    shell(
        "Оплата картой",
        &format!(
            "<h1>Оплата картой</h1><p>{}</p><p class=\"sum\">{}</p>{errors}\
             <form method=\"post\" action=\"/sandbox-acquirer/pay/{}\">{saved}\
             <label for=\"card_number\">Номер карты (VISA, Mastercard, МИР)</label>\
             <input type=\"text\" id=\"card_number\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"cc-number\" maxlength=\"23\" placeholder=\"0000 0000 0000 0000\"{number}>\
             <div class=\"row\"><div><label for=\"expiry\">Срок, ММ/ГГ</label>\
             <input type=\"text\" id=\"expiry\" name=\"expiry\" inputmode=\"numeric\" autocomplete=\"cc-exp\" maxlength=\"5\" placeholder=\"ММ/ГГ\"{expiry}></div>\
             <div><label for=\"cvc\">CVV/CVC2</label>\
             <input type=\"password\" id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" maxlength=\"3\" autocomplete=\"cc-csc\"></div></div>\
             <label for=\"holder\">Имя владельца латиницей</label>\
             <input type=\"text\" id=\"holder\" name=\"holder\" autocomplete=\"cc-name\" autocapitalize=\"characters\" spellcheck=\"false\" placeholder=\"IVAN PETROV\"{holder}>\
             <label class=\"check\"><input type=\"checkbox\" name=\"remember\" value=\"on\"> Запомнить эту карту</label>\
             <button type=\"submit\">Оплатить</button></form>",
            escape(&row.description),
            amount_ru(row),
            escape(&row.id)
        ),
    )
}

async fn card_page(State(sandbox): State<Sandbox>, Path(id): Path<String>) -> AppResult<Response> {
    let row = load_current(&sandbox, &id).await?;
    let customer = row.customer.clone();
    let saved = sandbox.db.call(move |conn| saved_cards(conn, &customer)).await?;
    if row.status != "pending" || row.outcome.is_some() {
        return Ok(finished_page(&row));
    }
    Ok(card_form_html(&row, &saved, &[], None).into_response())
}

#[derive(Deserialize)]
pub struct CardForm {
    #[serde(default)]
    card_number: String,
    #[serde(default)]
    expiry: String,
    #[serde(default)]
    holder: String,
    #[serde(default)]
    cvc: String,
    #[serde(default)]
    remember: Option<String>,
    #[serde(default)]
    saved_card: Option<String>,
}

/// A card that passed the page's checks.
struct Accepted {
    brand: Brand,
    last4: String,
    expiry: String,
    holder: String,
    outcome: Outcome,
}

fn check_card(form: &CardForm, today: chrono::NaiveDate) -> Result<Accepted, Vec<&'static str>> {
    let mut errors = Vec::new();
    let digits = card::digits(&form.card_number);
    let brand = match &digits {
        None => {
            errors.push("Номер карты: 16–19 цифр");
            None
        }
        Some(d) if !card::luhn_ok(d) => {
            errors.push("Номер карты набран с ошибкой");
            None
        }
        Some(d) => {
            let brand = card::brand(d);
            if brand.is_none() {
                errors.push("Принимаются карты VISA, Mastercard и МИР");
            }
            brand
        }
    };
    if let Err(e) = card::expiry_ok(&form.expiry, today) {
        errors.push(e);
    }
    if !card::holder_ok(&form.holder) {
        errors.push("Имя владельца — латиницей, как на карте");
    }
    if !card::cvc_ok(&form.cvc) {
        errors.push("CVV/CVC2 — три цифры с обратной стороны карты");
    }
    match (brand, digits, errors.is_empty()) {
        (Some(brand), Some(d), true) => Ok(Accepted {
            brand,
            last4: d[d.len() - 4..].to_owned(),
            expiry: form.expiry.trim().to_owned(),
            holder: form.holder.trim().to_uppercase(),
            outcome: Outcome::of(&d),
        }),
        _ => Err(errors),
    }
}

async fn card_form(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    Form(form): Form<CardForm>,
) -> AppResult<Response> {
    let today = sandbox.clock.now().date_naive();
    let row = load_current(&sandbox, &id).await?;
    if row.status != "pending" || row.outcome.is_some() {
        return Ok(finished_page(&row));
    }
    let saved_id = form.saved_card.clone().filter(|s| !s.is_empty());
    let card = match saved_id {
        Some(saved) => {
            let customer = row.customer.clone();
            let found: Option<(String, String, String, String)> = sandbox
                .db
                .call(move |conn| {
                    Ok(conn
                        .query_row(
                            "SELECT brand, last4, expiry, outcome FROM sandbox_cards WHERE id = ?1 AND customer = ?2",
                            params![saved, customer],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                        )
                        .optional()?)
                })
                .await?;
            match found {
                Some(_) if !card::cvc_ok(&form.cvc) => {
                    Err(vec!["CVV/CVC2 — три цифры с обратной стороны карты"])
                }
                Some((brand, last4, expiry, outcome)) => Ok(Accepted {
                    brand: [Brand::Visa, Brand::Mastercard, Brand::Mir]
                        .into_iter()
                        .find(|b| b.name() == brand)
                        .unwrap_or(Brand::Visa),
                    last4,
                    expiry,
                    holder: String::new(),
                    outcome: Outcome::from_code(&outcome),
                }),
                None => Err(vec!["Сохранённая карта не найдена"]),
            }
        }
        None => check_card(&form, today),
    };
    let card = match card {
        Ok(card) => card,
        Err(errors) => {
            let customer = row.customer.clone();
            let saved = sandbox.db.call(move |conn| saved_cards(conn, &customer)).await?;
            let mut page = card_form_html(&row, &saved, &errors, Some(&form)).into_response();
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(page);
        }
    };
    let remember = form.remember.as_deref() == Some("on") && !card.holder.is_empty();
    let declined = card.outcome == Outcome::Decline;
    let (order_id, customer) = (id.clone(), row.customer.clone());
    sandbox
        .db
        .transaction(move |tx| {
            tx.execute(
                "UPDATE sandbox_orders SET card_brand = ?2, card_last4 = ?3, outcome = ?4,
                        status = CASE WHEN ?5 THEN 'declined' ELSE status END,
                        failure_reason = CASE WHEN ?5 THEN 'declined' END
                 WHERE id = ?1 AND status = 'pending'",
                params![order_id, card.brand.name(), card.last4, card.outcome.code(), declined],
            )?;
            if remember {
                tx.execute(
                    "INSERT INTO sandbox_cards (id, customer, brand, last4, expiry, holder, outcome)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                    params![
                        format!("card_{}", security::id()),
                        customer,
                        card.brand.name(),
                        card.last4,
                        card.expiry,
                        card.holder,
                        card.outcome.code()
                    ],
                )?;
            }
            Ok(())
        })
        .await?;
    if declined {
        notify(&sandbox, &row);
        return Ok(Redirect::to(&row.return_url).into_response());
    }
    Ok(Redirect::to(&format!("/sandbox-acquirer/3ds/{id}")).into_response())
}

async fn secure_code_page(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let row = load_current(&sandbox, &id).await?;
    if row.status != "pending" || row.outcome.is_none() || row.secure_code_passed {
        return Ok(finished_page(&row));
    }
    Ok(secure_code_html(&row, None).into_response())
}

fn secure_code_html(row: &OrderRow, error: Option<&str>) -> Html<String> {
    let error = error.map(|e| format!("<p class=\"err\">{}</p>", escape(e))).unwrap_or_default();
    shell(
        "3-D Secure",
        &format!(
            "<h1>Подтверждение платежа</h1><p>Карта {}, сумма {}.</p>\
             <p>Введите одноразовый код из SMS банка (в песочнице: {SECURE_CODE}).</p>{error}\
             <form method=\"post\" action=\"/sandbox-acquirer/3ds/{}\">\
             <label for=\"code\">Код</label><input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"6\" autofocus>\
             <button type=\"submit\">Подтвердить</button></form>",
            escape(row.card.as_deref().unwrap_or_default()),
            amount_ru(row),
            escape(&row.id)
        ),
    )
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// What a typed code did to the order.
enum CodeResult {
    /// Wrong, with this many tries left.
    Retry(i64),
    /// The order is final (or waits for the bank): the browser goes back to the shop.
    Done { changed: bool },
}

async fn secure_code_form(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let row = load_current(&sandbox, &id).await?;
    let Some(outcome) = row.outcome.as_deref().map(Outcome::from_code) else {
        return Ok(finished_page(&row));
    };
    if row.status != "pending" || row.secure_code_passed {
        return Ok(finished_page(&row));
    }
    let right = form.code.trim() == SECURE_CODE;
    // Counted in one transaction, so codes sent in parallel cannot get more than their tries.
    let result = sandbox
        .db
        .transaction(move |tx| {
            if !right {
                let tries: Option<i64> = tx
                    .query_row(
                        "UPDATE sandbox_orders SET secure_code_tries = secure_code_tries + 1
                         WHERE id = ?1 AND status = 'pending' RETURNING secure_code_tries",
                        [&id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(tries) = tries else {
                    return Ok(CodeResult::Done { changed: false });
                };
                if tries < SECURE_CODE_TRIES {
                    return Ok(CodeResult::Retry(SECURE_CODE_TRIES - tries));
                }
            }
            let (status, reason) = match outcome {
                _ if !right => ("canceled", Some("3ds_failed")),
                Outcome::SecureCodeFails => ("canceled", Some("3ds_failed")),
                Outcome::NoAnswer => ("pending", None),
                Outcome::Success | Outcome::Decline => ("succeeded", None),
            };
            let changed = tx.execute(
                "UPDATE sandbox_orders SET status = ?2, failure_reason = ?3, secure_code_passed = ?4
                 WHERE id = ?1 AND status = 'pending'",
                params![id, status, reason, right],
            )? > 0;
            Ok(CodeResult::Done { changed: changed && status != "pending" })
        })
        .await?;
    match result {
        CodeResult::Retry(left) => {
            let message = format!("Неверный код. Осталось попыток: {left}");
            let mut page = secure_code_html(&row, Some(&message)).into_response();
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
        CodeResult::Done { changed } => {
            if changed {
                notify(&sandbox, &row);
            }
            Ok(Redirect::to(&row.return_url).into_response())
        }
    }
}

/// How the sandbox retries a notification the shop did not take: six tries within about half
/// a minute, as a real acquirer keeps trying for a while.
const NOTIFICATION_RETRY: Backoff =
    Backoff { base: Duration::from_millis(500), cap: Duration::from_secs(16), jitter: 0.5 };

/// Tells the shop that the order changed, signed, retrying with backoff in the background.
fn notify(sandbox: &Sandbox, row: &OrderRow) {
    let body = SandboxNotification { event: "order.updated".into(), order_id: row.id.clone() };
    let Ok(body) = serde_json::to_vec(&body) else { return };
    let Ok(signature) = security::sign(&sandbox.secret, &body) else { return };
    let (http, url) = (sandbox.http.clone(), row.notification_url.clone());
    tokio::spawn(async move {
        for attempt in 1..=6u32 {
            let sent = http
                .post(&url)
                .header(header::CONTENT_TYPE, "application/json")
                .header(SIGNATURE_HEADER, &signature)
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => return,
                Ok(r) => tracing::warn!(status = %r.status(), %url, "notification refused"),
                Err(e) => tracing::warn!(error = %e, %url, "notification not delivered"),
            }
            tokio::time::sleep(NOTIFICATION_RETRY.delay(attempt)).await;
        }
    });
}
