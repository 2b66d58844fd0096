//! Card acquirers, talked to over HTTP exactly as a real one is. The LK never sees card data:
//! it registers an order, sends the resident to the acquirer's page, and believes a result only
//! once it has fetched the order's status from the acquirer itself (R9, R23).

mod sandbox;
mod yookassa;

use std::future::Future;
use std::pin::Pin;

use axum::http::HeaderMap;
use lk_core::Money;
use lk_core::payment::{FailureReason, PaymentStatus};

pub use sandbox::{
    SIGNATURE_HEADER, SandboxClient, SandboxNotification, SandboxOrder, SandboxOrderRequest,
};
pub use yookassa::YooKassaClient;

/// An order to register at the acquirer for one payment.
pub struct NewOrder {
    /// Sent as the acquirer's idempotence key, so a retried registration is one order.
    pub payment_id: String,
    pub amount: Money,
    pub description: String,
    /// Where the acquirer's page sends the browser when done (the app's deep link).
    pub return_url: String,
    /// Where the acquirer reports status changes.
    pub notification_url: String,
    /// The resident, for cards remembered at the acquirer.
    pub customer: String,
}

/// The acquirer's view of an order.
#[derive(Debug, Clone)]
pub struct Order {
    pub id: String,
    pub status: PaymentStatus,
    /// Why it failed, when the acquirer said.
    pub failure: Option<FailureReason>,
    pub confirmation_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AcquirerError {
    #[error("банк не ответил: {0}")]
    Unreachable(String),
    #[error("банк отказал: {0}")]
    Refused(String),
    #[error("уведомление не подтверждено: {0}")]
    BadNotification(String),
}

pub type AcquirerFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, AcquirerError>> + Send + 'a>>;

pub trait Acquirer: Send + Sync {
    /// The name in notification URLs and stored with each payment.
    fn name(&self) -> &'static str;
    fn create_order<'a>(&'a self, order: &'a NewOrder) -> AcquirerFuture<'a, Order>;
    fn fetch_order<'a>(&'a self, id: &'a str) -> AcquirerFuture<'a, Order>;
    /// The order a notification is about, after checking what the acquirer lets be checked
    /// (a signature). Its status is never taken from the notification: it is fetched.
    fn notified_order(&self, headers: &HeaderMap, body: &[u8]) -> Result<String, AcquirerError>;
}

/// Sends a request and reads a JSON answer, mapping transport and HTTP failures.
async fn exchange<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> Result<T, AcquirerError> {
    let response = request.send().await.map_err(|e| AcquirerError::Unreachable(e.to_string()))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| AcquirerError::Unreachable(e.to_string()))?;
    if status.is_server_error() {
        return Err(AcquirerError::Unreachable(format!("{status}: {text}")));
    }
    if !status.is_success() {
        return Err(AcquirerError::Refused(format!("{status}: {text}")));
    }
    serde_json::from_str(&text).map_err(|e| AcquirerError::Refused(format!("{e}: {text}")))
}

/// The HTTP client acquirers are reached with: short timeouts, so a dead bank fails a request
/// quickly and the resident can try again.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .unwrap_or_default()
}
