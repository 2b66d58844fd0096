//! Card payments (R9, R23): the server splits the total with the core's allocation, registers an
//! order at the acquirer and sends the resident to its page; a payment succeeds only when the
//! acquirer, asked directly, says so. Then the fiscal receipt is made and its copy sent.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Datelike, Utc};
use lk_core::allocation::{PayableLine, allocate};
use lk_core::api::ErrorCode;
use lk_core::api::{Channel, PaymentRequest, PaymentView};
use lk_core::contact::Contact;
use lk_core::document::PaymentDocument;
use lk_core::payment::{FiscalReceipt, Payment, PaymentStatus, ReceiptItem, VatRate};
use rusqlite::{Connection, OptionalExtension, params};

use crate::accounts::{document, editable_lines};
use crate::acquirer::{AcquirerError, NewOrder, Order};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, IdempotencyKey};
use crate::json::ApiJson;
use crate::notifier::{self, Attachment, Message};
use crate::profile::require_account;
use crate::records::{from_json, to_json};
use crate::security;
use crate::state::{AppState, CurrentUser};

/// The cash register that signs the LK's receipts (РН ККТ and ФН of the demo register).
pub const REGISTER_NUMBER: &str = "0000000001012345";
pub const FISCAL_STORAGE: &str = "9999078900012345";

struct Stored {
    payment: Payment,
    user_id: Option<i64>,
    order_id: Option<String>,
    confirmation_url: Option<String>,
    period: Option<String>,
}

fn load(tx: &Connection, id: &str) -> AppResult<Stored> {
    let (json, user_id, order_id, confirmation_url, period): (
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = tx
        .query_row(
            "SELECT json, user_id, order_id, confirmation_url, period FROM payments WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or_else(|| AppError::not_found("Платёж не найден"))?;
    Ok(Stored { payment: from_json(&json)?, user_id, order_id, confirmation_url, period })
}

/// A payment of an account the profile holds.
fn load_for(tx: &Connection, user_id: i64, id: &str) -> AppResult<Stored> {
    let stored = load(tx, id)?;
    require_account(tx, user_id, stored.payment.account.as_str())
        .map_err(|_| AppError::not_found("Платёж не найден"))?;
    Ok(stored)
}

fn view(stored: &Stored) -> PaymentView {
    let pending = !stored.payment.status.is_final();
    PaymentView {
        status_text: stored.payment.status_text().into(),
        confirmation_url: stored.confirmation_url.clone().filter(|_| pending),
        payment: stored.payment.clone(),
    }
}

/// The custom scheme both apps register: the bank page sends the resident back into the app.
const APP_SCHEME: &str = "lk://";

/// Where the bank page may send the resident back: the app's own scheme, or a page of this
/// service (its universal / app links). Any other address would make the service an open
/// redirect on a page residents trust.
fn check_return_url(url: &str, public_url: &str) -> AppResult<()> {
    let own_page = format!("{}/", public_url.trim_end_matches('/'));
    let ok = url.len() <= 512
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        && (url.starts_with(APP_SCHEME) || url.starts_with(&own_page));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            ErrorCode::InvalidReturnUrl,
            "Адрес возврата — ссылка приложения lk://… или страница личного кабинета",
            "return_url",
        ))
    }
}

/// The split of the request over the document's lines, by the core's rules.
fn payment_of(
    tx: &Connection,
    request: &PaymentRequest,
    now: DateTime<Utc>,
) -> AppResult<(Payment, PaymentDocument)> {
    let document = document(tx, request.account_number.as_str(), request.period)?;
    let editable = editable_lines(tx, &document)?;
    let lines: Vec<PayableLine> = document
        .lines
        .iter()
        .map(|l| PayableLine::of(l, editable.contains(&l.basis.service_code)))
        .collect();
    let allocation = allocate(&lines, request.total, &request.fixed).map_err(|e| {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string()).field(e.field())
    })?;
    let payment = Payment {
        id: format!("pay_{}", security::id()),
        account: request.account_number.clone(),
        allocation,
        receipt_contact: request.receipt_contact.clone(),
        status: PaymentStatus::Created,
        created_at: now,
        receipt: None,
        failure: None,
    };
    Ok((payment, document))
}

#[utoipa::path(post, path = "/api/v1/payments", tag = "payments", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), request_body = PaymentRequest,
    responses((status = 200, body = PaymentView), (status = 422, body = lk_core::api::ApiError),
        (status = 502, body = lk_core::api::ApiError, description = "the acquirer did not answer; retry with the same key")))]
/// R9, R23: registers the payment and its order at the acquirer; open `confirmation_url`.
pub async fn create_payment(
    State(state): State<AppState>,
    user: CurrentUser,
    key: IdempotencyKey,
    OriginalUri(uri): OriginalUri,
    ApiJson(request): ApiJson<PaymentRequest>,
) -> AppResult<Json<PaymentView>> {
    check_return_url(&request.return_url, &state.public_url)?;
    let fingerprint = idempotency::fingerprint(uri.path(), &request)?;
    let now = state.clock.now();
    let acquirer = state.acquirer.name();
    let return_url = request.return_url.clone();
    let (payment_id, description) = state
        .db
        .transaction(move |tx| {
            if let Some(stored) = idempotency::replay(tx, user.user_id, &key, &fingerprint)? {
                let id: String = from_json(&stored)?;
                let p = load(tx, &id)?;
                let period = p.period.as_deref().and_then(|text| text.parse().ok());
                return Ok((id, description_of(&p.payment, period)));
            }
            require_account(tx, user.user_id, request.account_number.as_str())?;
            let (payment, document) = payment_of(tx, &request, now)?;
            tx.execute(
                "INSERT INTO payments (id, account_number, json, status, created_at, user_id, period, acquirer)
                 VALUES (?1, ?2, ?3, 'created', ?4, ?5, ?6, ?7)",
                params![
                    payment.id,
                    payment.account.as_str(),
                    to_json(&payment)?,
                    now.to_rfc3339(),
                    user.user_id,
                    document.head.period.to_string(),
                    acquirer
                ],
            )?;
            idempotency::record(tx, user.user_id, &key, &fingerprint, &to_json(&payment.id)?, now)?;
            Ok((payment.id.clone(), description_of(&payment, Some(document.head.period))))
        })
        .await?;
    let stored = {
        let id = payment_id.clone();
        state.db.read(move |tx| load(tx, &id)).await?
    };
    if stored.order_id.is_some() || stored.payment.status != PaymentStatus::Created {
        return Ok(Json(view(&stored)));
    }
    let order = NewOrder {
        payment_id: payment_id.clone(),
        amount: stored.payment.allocation.total,
        description,
        return_url,
        notification_url: format!(
            "{}/api/v1/payments/notifications/{}",
            state.public_url,
            state.acquirer.name()
        ),
        customer: security::digest(&format!("customer:{}", user.user_id)),
    };
    let registered = state.acquirer.create_order(&order).await.map_err(|e| {
        tracing::warn!(error = %e, payment = %payment_id, "order not registered");
        AppError::new(
            StatusCode::BAD_GATEWAY,
            ErrorCode::AcquirerUnavailable,
            "Банк не ответил. Повторите оплату: платёж не будет проведён дважды",
        )
    })?;
    let stored = state
        .db
        .transaction(move |tx| {
            tx.execute(
                "UPDATE payments SET order_id = ?2, confirmation_url = ?3 WHERE id = ?1 AND order_id IS NULL",
                params![payment_id, registered.id, registered.confirmation_url],
            )?;
            apply(tx, &payment_id, &registered, now)?;
            load(tx, &payment_id)
        })
        .await?;
    Ok(Json(view(&stored)))
}

/// What the acquirer shows the payer: the document's payment purpose, as on its QR code.
fn description_of(payment: &Payment, period: Option<lk_core::period::Period>) -> String {
    match period {
        Some(period) => lk_core::document::payment_purpose(&payment.account, period),
        None => format!("Оплата ЖКУ, л/с {}", payment.account),
    }
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "payments", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = PaymentView), (status = 404, body = lk_core::api::ApiError)))]
/// R9, R23: the payment's status and receipt. A payment not yet final is checked with the
/// acquirer first, so the app learns the result on return even if no notification came.
pub async fn get_payment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<PaymentView>> {
    let stored = {
        let id = id.clone();
        state.db.read(move |tx| load_for(tx, user.user_id, &id)).await?
    };
    let Some(order_id) = stored.order_id.clone().filter(|_| !stored.payment.status.is_final())
    else {
        return Ok(Json(view(&stored)));
    };
    match state.acquirer.fetch_order(&order_id).await {
        Ok(order) => settle(&state, &id, order).await?,
        Err(e) => tracing::warn!(error = %e, payment = %id, "status not fetched"),
    }
    state.db.read(move |tx| load(tx, &id)).await.map(|s| Json(view(&s)))
}

#[utoipa::path(post, path = "/api/v1/payments/notifications/{acquirer}", tag = "payments",
    params(("acquirer" = String, Path, description = "sandbox or yookassa")),
    request_body(content = Object, description = "the acquirer's own notification format"),
    responses((status = 200), (status = 400, body = lk_core::api::ApiError)))]
/// The acquirer's notification. Its content is only a hint: the order's status is fetched from
/// the acquirer before anything changes, so forged, repeated or late notifications are harmless.
pub async fn notification(
    State(state): State<AppState>,
    Path(acquirer): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<StatusCode> {
    let refused =
        |e: AcquirerError| AppError::invalid(ErrorCode::BadNotification, e.to_string(), "body");
    if acquirer != state.acquirer.name() {
        return Err(AppError::not_found("Этот банк здесь не подключён"));
    }
    let order_id = state.acquirer.notified_order(&headers, &body).map_err(refused)?;
    let order = state.acquirer.fetch_order(&order_id).await.map_err(|e| {
        AppError::new(StatusCode::BAD_GATEWAY, ErrorCode::AcquirerUnavailable, e.to_string())
    })?;
    let name = state.acquirer.name();
    let payment_id: Option<String> = {
        let order_id = order.id.clone();
        state
            .db
            .call(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT id FROM payments WHERE acquirer = ?1 AND order_id = ?2",
                        params![name, order_id],
                        |r| r.get(0),
                    )
                    .optional()?)
            })
            .await?
    };
    match payment_id {
        Some(id) => settle(&state, &id, order).await?,
        None => tracing::warn!(order = %order.id, "notification about an unknown order"),
    }
    Ok(StatusCode::OK)
}

/// Moves the payment to what the acquirer reported, in one transaction.
async fn settle(state: &AppState, payment_id: &str, order: Order) -> AppResult<()> {
    let now = state.clock.now();
    let id = payment_id.to_owned();
    let public_url = state.public_url.clone();
    let changed = state
        .db
        .transaction(move |tx| {
            let changed = apply(tx, &id, &order, now)?;
            if changed == Some(PaymentStatus::Succeeded) {
                make_receipt(tx, &id, &public_url, now)?;
            }
            if let Some(status) = changed.filter(|s| s.is_final()) {
                crate::push::payment_result(tx, &id, status, now)?;
            }
            Ok(changed)
        })
        .await?;
    if changed.is_some() {
        state.notifier.wake();
        state.pusher.wake();
    }
    Ok(())
}

/// The new status, if the report moved the payment (a payment only moves forward).
fn apply(
    tx: &Connection,
    id: &str,
    order: &Order,
    now: DateTime<Utc>,
) -> AppResult<Option<PaymentStatus>> {
    let mut stored = load(tx, id)?;
    let from = stored.payment.status;
    if !stored.payment.advance(order.status, order.failure) {
        return Ok(None);
    }
    let next = stored.payment.status;
    tracing::info!(payment = id, ?from, to = ?next, failure = ?stored.payment.failure, at = %now, "payment status");
    tx.execute(
        "UPDATE payments SET json = ?2, status = ?3 WHERE id = ?1",
        params![id, to_json(&stored.payment)?, to_json(&next)?.trim_matches('"')],
    )?;
    Ok(Some(next))
}

/// The 54-ФЗ receipt of a successful payment, and its copy to the resident.
fn make_receipt(tx: &Connection, id: &str, place: &str, now: DateTime<Utc>) -> AppResult<()> {
    let mut stored = load(tx, id)?;
    if stored.payment.receipt.is_some() {
        return Ok(());
    }
    let period =
        stored.period.as_deref().unwrap_or_default().parse().map_err(AppError::internal)?;
    let document = document(tx, stored.payment.account.as_str(), period)?;
    tx.execute("INSERT INTO fiscal_documents (payment_id) VALUES (?1)", [id])?;
    let document_number = u32::try_from(tx.last_insert_rowid()).map_err(AppError::internal)?;
    let local = now.with_timezone(&document.head.account.region.time_zone()).fixed_offset();
    let vat = VatRate::general_on(local.date_naive());
    let items: Vec<ReceiptItem> = document
        .lines
        .iter()
        .zip(&stored.payment.allocation.parts)
        .filter(|(_, part)| part.amount.is_positive())
        .map(|(line, part)| ReceiptItem {
            name: line.basis.service_name.clone(),
            amount: part.amount,
            vat,
        })
        .collect();
    let total = stored.payment.allocation.total;
    // The fiscal sign is the register's signature over the document: here an HMAC, cut to
    // the ten digits a printed ФП has.
    let signed = security::digest(&format!(
        "{FISCAL_STORAGE}|{document_number}|{}|{total}",
        local.naive_local()
    ));
    let fiscal_sign = u64::from_str_radix(&signed[..8], 16).map_err(AppError::internal)?;
    let receipt = FiscalReceipt {
        seller_name: document.head.payee.name.clone(),
        seller_inn: document.head.payee.inn.clone(),
        place: place.to_owned(),
        issued_at: local,
        items,
        total,
        register_number: REGISTER_NUMBER.into(),
        fiscal_storage: FISCAL_STORAGE.into(),
        document_number,
        fiscal_sign,
        shift: local.ordinal(),
        customer_contact: stored.payment.receipt_contact.clone(),
    };
    if !receipt.is_balanced() {
        return Err(AppError::internal(format!("receipt of {id} does not add up")));
    }
    let messages = receipt_messages(tx, &stored, &receipt)?;
    stored.payment.receipt = Some(receipt);
    stored.payment.status = PaymentStatus::Succeeded;
    let pdf = Attachment {
        name: format!("receipt-{id}.pdf"),
        bytes: lk_core::pdf::receipt(&stored.payment).map_err(AppError::internal)?,
    };
    for message in messages {
        let attachment = (message.channel == Channel::Email).then_some(&pdf);
        notifier::queue_with(tx, &message, attachment, now)?;
    }
    tx.execute(
        "UPDATE payments SET json = ?2 WHERE id = ?1",
        params![id, to_json(&stored.payment)?],
    )?;
    Ok(())
}

fn receipt_text(receipt: &FiscalReceipt) -> String {
    let mut text = format!(
        "Кассовый чек. Приход\n{}, ИНН {}\nМесто расчётов: {}\n{}\n\n",
        receipt.seller_name,
        receipt.seller_inn,
        receipt.place,
        receipt.issued_at.format("%d.%m.%Y %H:%M")
    );
    for item in &receipt.items {
        text.push_str(&format!(
            "{}: {} ({})\n",
            item.name,
            item.amount.format_ru(),
            item.vat.name_ru()
        ));
    }
    text.push_str(&format!(
        "\nИТОГ: {}\nБезналичными: {}\nРН ККТ {}, ФН {}, ФД {}, ФП {}, смена {}\nПроверить чек: {}\n",
        receipt.total.format_ru(),
        receipt.total.format_ru(),
        receipt.register_number,
        receipt.fiscal_storage,
        receipt.document_number,
        receipt.fiscal_sign,
        receipt.shift,
        receipt.qr_text()
    ));
    text
}

/// The copy to the contact chosen for the payment (R9), and to the profile's e-mail if it asked
/// for every receipt there (R18).
fn receipt_messages(
    tx: &Connection,
    stored: &Stored,
    receipt: &FiscalReceipt,
) -> AppResult<Vec<Message>> {
    let subject = format!("Чек об оплате по лицевому счёту {}", stored.payment.account);
    let email = |to: String| Message {
        channel: Channel::Email,
        recipient: to,
        subject: subject.clone(),
        body: receipt_text(receipt),
    };
    let mut messages = vec![match &stored.payment.receipt_contact {
        Contact::Email(to) => email(to.to_string()),
        Contact::Phone(to) => Message {
            channel: Channel::Phone,
            recipient: to.to_string(),
            subject: subject.clone(),
            body: format!(
                "Оплата {} по л/с {} выполнена. Чек: {}",
                receipt.total.format_ru(),
                stored.payment.account,
                receipt.qr_text()
            ),
        },
    }];
    let copy: Option<(bool, Option<String>)> = match stored.user_id {
        Some(user) => tx
            .query_row("SELECT receipt_by_email, email FROM users WHERE id = ?1", [user], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?,
        None => None,
    };
    if let Some((true, Some(profile_email))) = copy
        && messages[0].recipient != profile_email
    {
        messages.push(email(profile_email));
    }
    Ok(messages)
}
