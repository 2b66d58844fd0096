//! The client of the sandbox acquirer (served by this binary under `/sandbox-acquirer`), and
//! its wire types. Orders are registered with basic auth and an `Idempotence-Key`;
//! notifications are signed with HMAC-SHA256 of the body under the shop's secret.

use axum::http::HeaderMap;
use lk_core::Money;
use lk_core::payment::{FailureReason, PaymentStatus};
use serde::{Deserialize, Serialize};

use super::{Acquirer, AcquirerError, AcquirerFuture, NewOrder, Order, exchange};
use crate::security;

pub const SIGNATURE_HEADER: &str = "X-Sandbox-Signature";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxOrderRequest {
    pub amount: Money,
    pub description: String,
    pub return_url: String,
    pub notification_url: String,
    pub customer: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SandboxOrder {
    pub id: String,
    /// `pending`, `succeeded`, `declined` or `canceled`.
    pub status: String,
    pub amount: Money,
    pub confirmation_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
    /// Why a `declined` or `canceled` order failed: `declined`, `3ds_failed`, `expired` or
    /// `canceled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxNotification {
    pub event: String,
    pub order_id: String,
}

pub struct SandboxClient {
    pub api_url: String,
    pub shop_id: String,
    pub secret: String,
    pub http: reqwest::Client,
}

fn status_of(order: &SandboxOrder) -> Result<PaymentStatus, AcquirerError> {
    Ok(match order.status.as_str() {
        "pending" => PaymentStatus::Pending,
        "succeeded" => PaymentStatus::Succeeded,
        "declined" => PaymentStatus::Declined,
        "canceled" => PaymentStatus::Canceled,
        other => return Err(AcquirerError::Refused(format!("unknown status {other}"))),
    })
}

/// The sandbox's reason codes (unknown ones leave the status's plain reason).
fn failure_of(order: &SandboxOrder) -> Option<FailureReason> {
    match order.failure_reason.as_deref()? {
        "declined" => Some(FailureReason::DeclinedByBank),
        "3ds_failed" => Some(FailureReason::SecureCodeFailed),
        "expired" => Some(FailureReason::Expired),
        "canceled" => Some(FailureReason::Canceled),
        _ => None,
    }
}

fn order_of(order: SandboxOrder) -> Result<Order, AcquirerError> {
    Ok(Order {
        status: status_of(&order)?,
        failure: failure_of(&order),
        id: order.id,
        confirmation_url: Some(order.confirmation_url),
    })
}

impl Acquirer for SandboxClient {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn create_order<'a>(&'a self, order: &'a NewOrder) -> AcquirerFuture<'a, Order> {
        Box::pin(async move {
            let body = SandboxOrderRequest {
                amount: order.amount,
                description: order.description.clone(),
                return_url: order.return_url.clone(),
                notification_url: order.notification_url.clone(),
                customer: order.customer.clone(),
            };
            let request = self
                .http
                .post(format!("{}/orders", self.api_url))
                .basic_auth(&self.shop_id, Some(&self.secret))
                .header("Idempotence-Key", &order.payment_id)
                .json(&body);
            order_of(exchange(request).await?)
        })
    }

    fn fetch_order<'a>(&'a self, id: &'a str) -> AcquirerFuture<'a, Order> {
        Box::pin(async move {
            let request = self
                .http
                .get(format!("{}/orders/{id}", self.api_url))
                .basic_auth(&self.shop_id, Some(&self.secret));
            order_of(exchange(request).await?)
        })
    }

    fn notified_order(&self, headers: &HeaderMap, body: &[u8]) -> Result<String, AcquirerError> {
        let signature = headers
            .get(SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| AcquirerError::BadNotification("no signature".into()))?;
        if !security::verify_signature(&self.secret, body, signature) {
            return Err(AcquirerError::BadNotification("wrong signature".into()));
        }
        let notification: SandboxNotification = serde_json::from_slice(body)
            .map_err(|e| AcquirerError::BadNotification(e.to_string()))?;
        Ok(notification.order_id)
    }
}
