//! YooKassa, following its public API v3: a payment is created with `Idempotence-Key`,
//! `capture: true` and `confirmation.type = redirect`; the resident pays on its
//! `confirmation_url`; statuses are `pending`, `waiting_for_capture`, `succeeded` and
//! `canceled`. Notifications (set up in the shop's settings, not per payment) carry the payment
//! object, which is never trusted: the payment is fetched again by its id.

use axum::http::HeaderMap;
use lk_core::payment::{FailureReason, PaymentStatus};
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

/// YooKassa's `cancellation_details.reason` as one of the core's reasons: the 3-D Secure step,
/// the time allowed, a stop by the shop or the resident, and everything else the bank's (or
/// YooKassa's antifraud's) refusal.
fn failure_of(reason: Option<&str>) -> FailureReason {
    match reason {
        Some("3d_secure_failed") => FailureReason::SecureCodeFailed,
        Some("expired_on_confirmation" | "expired_on_capture" | "internal_timeout") => {
            FailureReason::Expired
        }
        Some("canceled_by_merchant" | "permission_revoked") => FailureReason::Canceled,
        _ => FailureReason::DeclinedByBank,
    }
}

fn order_of(payment: YooPayment) -> Result<Order, AcquirerError> {
    let (status, failure) = match payment.status.as_str() {
        "pending" | "waiting_for_capture" => (PaymentStatus::Pending, None),
        "succeeded" => (PaymentStatus::Succeeded, None),
        "canceled" => {
            let reason =
                failure_of(payment.cancellation_details.as_ref().map(|d| d.reason.as_str()));
            (reason.status(), Some(reason))
        }
        other => return Err(AcquirerError::Refused(format!("unknown status {other}"))),
    };
    Ok(Order {
        id: payment.id,
        status,
        failure,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellation_reasons_map_onto_the_cores_reasons_and_statuses() {
        for (reason, expected, status) in [
            ("3d_secure_failed", FailureReason::SecureCodeFailed, PaymentStatus::Canceled),
            ("expired_on_confirmation", FailureReason::Expired, PaymentStatus::Canceled),
            ("internal_timeout", FailureReason::Expired, PaymentStatus::Canceled),
            ("canceled_by_merchant", FailureReason::Canceled, PaymentStatus::Canceled),
            ("insufficient_funds", FailureReason::DeclinedByBank, PaymentStatus::Declined),
            ("fraud_suspected", FailureReason::DeclinedByBank, PaymentStatus::Declined),
        ] {
            let order = order_of(YooPayment {
                id: "2c3b".into(),
                status: "canceled".into(),
                confirmation: None,
                cancellation_details: Some(CancellationDetails { reason: reason.into() }),
            })
            .unwrap();
            assert_eq!((order.status, order.failure), (status, Some(expected)), "{reason}");
        }
    }
}
