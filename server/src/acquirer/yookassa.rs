//! YooKassa, following its public API v3: a payment is created with `Idempotence-Key`,
//! `capture: true` and `confirmation.type = redirect`; the resident pays on its
//! `confirmation_url`; statuses are `pending`, `waiting_for_capture`, `succeeded` and
//! `canceled`. Notifications (set up in the shop's settings, not per payment) carry the payment
//! object, which is never trusted: the payment is fetched again by its id.

use axum::http::HeaderMap;
use lk_core::payment::PaymentStatus;
use serde::{Deserialize, Serialize};

use super::{Acquirer, AcquirerError, AcquirerFuture, NewOrder, Order, exchange};

pub struct YooKassaClient {
    /// `https://api.yookassa.ru/v3` in production.
    pub api_url: String,
    pub shop_id: String,
    pub secret_key: String,
    pub http: reqwest::Client,
}

#[derive(Serialize, Deserialize)]
struct Amount {
    value: String,
    currency: String,
}

#[derive(Serialize)]
struct Confirmation<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    return_url: &'a str,
}

#[derive(Serialize)]
struct Metadata<'a> {
    payment_id: &'a str,
}

#[derive(Serialize)]
struct CreatePayment<'a> {
    amount: Amount,
    capture: bool,
    confirmation: Confirmation<'a>,
    description: String,
    metadata: Metadata<'a>,
}

#[derive(Deserialize)]
struct PaymentConfirmation {
    #[serde(default)]
    confirmation_url: Option<String>,
}

#[derive(Deserialize)]
struct CancellationDetails {
    reason: String,
}

#[derive(Deserialize)]
struct YooPayment {
    id: String,
    status: String,
    #[serde(default)]
    confirmation: Option<PaymentConfirmation>,
    #[serde(default)]
    cancellation_details: Option<CancellationDetails>,
}

#[derive(Deserialize)]
struct Notification {
    #[serde(rename = "type")]
    kind: String,
    object: NotifiedObject,
}

#[derive(Deserialize)]
struct NotifiedObject {
    id: String,
}

fn order_of(payment: YooPayment) -> Result<Order, AcquirerError> {
    let status = match payment.status.as_str() {
        "pending" | "waiting_for_capture" => PaymentStatus::Pending,
        "succeeded" => PaymentStatus::Succeeded,
        // The resident or the flow stopped it; anything else is the bank saying no.
        "canceled" => match payment.cancellation_details.as_ref().map(|d| d.reason.as_str()) {
            Some("3d_secure_failed" | "expired_on_confirmation" | "canceled_by_merchant") => {
                PaymentStatus::Canceled
            }
            _ => PaymentStatus::Declined,
        },
        other => return Err(AcquirerError::Refused(format!("unknown status {other}"))),
    };
    Ok(Order {
        id: payment.id,
        status,
        confirmation_url: payment.confirmation.and_then(|c| c.confirmation_url),
    })
}

impl Acquirer for YooKassaClient {
    fn name(&self) -> &'static str {
        "yookassa"
    }

    fn create_order<'a>(&'a self, order: &'a NewOrder) -> AcquirerFuture<'a, Order> {
        Box::pin(async move {
            let body = CreatePayment {
                amount: Amount { value: order.amount.to_string(), currency: "RUB".into() },
                capture: true,
                confirmation: Confirmation { kind: "redirect", return_url: &order.return_url },
                // YooKassa keeps at most 128 characters of a description.
                description: order.description.chars().take(128).collect(),
                metadata: Metadata { payment_id: &order.payment_id },
            };
            let request = self
                .http
                .post(format!("{}/payments", self.api_url))
                .basic_auth(&self.shop_id, Some(&self.secret_key))
                .header("Idempotence-Key", &order.payment_id)
                .json(&body);
            order_of(exchange(request).await?)
        })
    }

    fn fetch_order<'a>(&'a self, id: &'a str) -> AcquirerFuture<'a, Order> {
        Box::pin(async move {
            let request = self
                .http
                .get(format!("{}/payments/{id}", self.api_url))
                .basic_auth(&self.shop_id, Some(&self.secret_key));
            order_of(exchange(request).await?)
        })
    }

    fn notified_order(&self, _: &HeaderMap, body: &[u8]) -> Result<String, AcquirerError> {
        let notification: Notification = serde_json::from_slice(body)
            .map_err(|e| AcquirerError::BadNotification(e.to_string()))?;
        if notification.kind != "notification" {
            return Err(AcquirerError::BadNotification(format!("type {}", notification.kind)));
        }
        Ok(notification.object.id)
    }
}
