//! The YooKassa adapter against a loopback double of YooKassa's documented API v3: basic auth
//! with the shop id and secret key, `Idempotence-Key` on creation, `confirmation.type =
//! redirect`, statuses pending → succeeded / canceled, and notifications that are only believed
//! after fetching the payment again.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use common::{Server, start_configured, window_day};
use lk_server::AcquirerConfig;
use serde_json::{Value, json};

#[derive(Default)]
struct Double {
    payments: HashMap<String, Value>,
    by_key: HashMap<String, String>,
    fetches: usize,
}

type Shared = Arc<Mutex<Double>>;

fn authorised(headers: &HeaderMap) -> bool {
    let expected = base64::engine::general_purpose::STANDARD.encode("506751:test_secret_key");
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Basic {expected}"))
}

fn unauthorised() -> (StatusCode, Json<Value>) {
    (
        StatusCode::UNAUTHORIZED,
        Json(
            json!({ "type": "error", "code": "invalid_credentials", "description": "Authentication by given credentials failed" }),
        ),
    )
}

async fn create(
    State(double): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> impl IntoResponse {
    if !authorised(&headers) {
        return unauthorised();
    }
    let Some(key) = headers.get("Idempotence-Key").and_then(|v| v.to_str().ok()).map(str::to_owned)
    else {
        return (
            StatusCode::BAD_REQUEST,
            Json(
                json!({ "type": "error", "code": "invalid_request", "parameter": "Idempotence-Key" }),
            ),
        );
    };
    assert_eq!(body["amount"]["currency"], "RUB");
    assert_eq!(body["capture"], true);
    assert_eq!(body["confirmation"]["type"], "redirect");
    assert!(body["description"].as_str().unwrap().chars().count() <= 128);
    let mut double = double.lock().unwrap();
    if let Some(id) = double.by_key.get(&key) {
        return (StatusCode::OK, Json(double.payments[id].clone()));
    }
    let id = format!("2f{:06x}-000f-5000-9000-1b68e7b15f3f", double.payments.len() + 1);
    let payment = json!({
        "id": id,
        "status": "pending",
        "paid": false,
        "amount": body["amount"],
        "confirmation": {
            "type": "redirect",
            "confirmation_url": format!("https://yoomoney.ru/checkout/payments/v2/contract?orderId={id}"),
        },
        "created_at": "2026-11-21T08:00:00.000Z",
        "description": body["description"],
        "metadata": body["metadata"],
        "recipient": { "account_id": "506751", "gateway_id": "1" },
        "refundable": false,
        "test": true,
    });
    double.by_key.insert(key, id.clone());
    double.payments.insert(id, payment.clone());
    (StatusCode::OK, Json(payment))
}

async fn fetch(
    State(double): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> impl IntoResponse {
    if !authorised(&headers) {
        return unauthorised();
    }
    let mut double = double.lock().unwrap();
    double.fetches += 1;
    match double.payments.get(&id) {
        Some(p) => (StatusCode::OK, Json(p.clone())),
        None => (StatusCode::NOT_FOUND, Json(json!({ "type": "error", "code": "not_found" }))),
    }
}

async fn start_double() -> (Shared, String) {
    let double: Shared = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v3", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/v3/payments", post(create))
        .route("/v3/payments/{id}", get(fetch))
        .with_state(double.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (double, base)
}

/// The LK taking payments through YooKassa (the double) as shop 506751.
async fn start_with_yookassa(api_url: &str, secret_key: &str) -> Server {
    start_configured(window_day(), |config| {
        config.acquirer = AcquirerConfig::YooKassa {
            api_url: api_url.to_owned(),
            shop_id: "506751".into(),
            secret_key: secret_key.into(),
        }
    })
    .await
}

/// A payment request for the demo account's October document.
fn pay_october(number: &Value, total: &str, receipt_contact: Value) -> Value {
    json!({
        "account_number": number,
        "period": "2026-10",
        "total": total,
        "receipt_contact": receipt_contact,
        "return_url": "lk://payments/return",
    })
}

async fn notify(s: &Server, event: &str, object: Value) -> StatusCode {
    let body = json!({ "type": "notification", "event": event, "object": object });
    let (status, _) = s.post("/payments/notifications/yookassa", None, body).await;
    status
}

fn set(double: &Shared, id: &str, change: impl FnOnce(&mut Value)) {
    change(double.lock().unwrap().payments.get_mut(id).unwrap());
}

#[tokio::test]
async fn a_payment_through_yookassa_succeeds_only_when_yookassa_says_so() {
    let (double, api_url) = start_double().await;
    let s = start_with_yookassa(&api_url, "test_secret_key").await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();
    let request = pay_october(&json!(number), "1500.00", json!({ "phone": "+79120000001" }));
    let (status, started) =
        s.post_once("/payments", &token, "yoo-pay-00001", request.clone()).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let url = started["confirmation_url"].as_str().unwrap();
    assert!(url.starts_with("https://yoomoney.ru/checkout/payments/v2/contract?orderId="), "{url}");
    let (_, again) = s.post_once("/payments", &token, "yoo-pay-00001", request.clone()).await;
    assert_eq!(again["payment"]["id"], started["payment"]["id"]);
    let yoo_id = {
        let double = double.lock().unwrap();
        assert_eq!(double.payments.len(), 1, "one payment at YooKassa");
        let (key, id) = double.by_key.iter().next().unwrap();
        assert_eq!(
            key,
            started["payment"]["id"].as_str().unwrap(),
            "the Idempotence-Key is the LK's payment id"
        );
        let payment = &double.payments[id];
        assert_eq!(payment["amount"]["value"], "1500.00");
        assert_eq!(payment["metadata"]["payment_id"], started["payment"]["id"]);
        id.clone()
    };

    // A notification claiming success while YooKassa still says "pending" changes nothing.
    assert_eq!(
        notify(&s, "payment.succeeded", json!({ "id": yoo_id, "status": "succeeded" })).await,
        StatusCode::OK
    );
    let id = started["payment"]["id"].as_str().unwrap();
    let (_, view) = s.get(&format!("/payments/{id}"), Some(&token)).await;
    assert_eq!(view["payment"]["status"], "pending");

    set(&double, &yoo_id, |p| {
        p["status"] = json!("succeeded");
        p["paid"] = json!(true);
    });
    assert_eq!(
        notify(&s, "payment.succeeded", json!({ "id": yoo_id, "status": "succeeded" })).await,
        StatusCode::OK
    );
    assert_eq!(
        notify(&s, "payment.succeeded", json!({ "id": yoo_id, "status": "succeeded" })).await,
        StatusCode::OK
    );
    let (_, view) = s.get(&format!("/payments/{id}"), Some(&token)).await;
    assert_eq!(view["payment"]["status"], "succeeded");
    assert_eq!(view["payment"]["receipt"]["total"], "1500.00");
    let (_, sms) = s.get("/demo/outbox?recipient=%2B79120000001", None).await;
    let receipts = sms
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().starts_with("Чек"))
        .count();
    assert_eq!(receipts, 1, "the receipt by SMS, once for two notifications");
    assert!(double.lock().unwrap().fetches >= 3, "every notification was checked with YooKassa");

    // A late "canceled" after success cannot undo it; an unknown payment is ignored.
    assert_eq!(
        notify(&s, "payment.canceled", json!({ "id": yoo_id, "status": "canceled" })).await,
        StatusCode::OK
    );
    let (_, view) = s.get(&format!("/payments/{id}"), Some(&token)).await;
    assert_eq!(view["payment"]["status"], "succeeded");
    assert_eq!(
        notify(&s, "payment.succeeded", json!({ "id": "no-such-payment" })).await,
        StatusCode::BAD_GATEWAY
    );
    let (status, _) =
        s.post("/payments/notifications/yookassa", None, json!({ "hello": "world" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = s.post("/payments/notifications/sandbox", None, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the sandbox is not this server's acquirer");
}

#[tokio::test]
async fn a_payment_canceled_by_the_bank_is_declined_one_canceled_in_3ds_or_expired_is_canceled_each_with_its_reason()
 {
    let (double, api_url) = start_double().await;
    let s = start_with_yookassa(&api_url, "test_secret_key").await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();
    for (key, reason, expected, why, said) in [
        ("yoo-decline-01", "insufficient_funds", "declined", "declined_by_bank", "Платёж отклонён"),
        ("yoo-3ds-fail-01", "3d_secure_failed", "canceled", "secure_code_failed", "Платёж не"),
        ("yoo-expired-01", "expired_on_confirmation", "canceled", "expired", "Время на оплату"),
    ] {
        let request = pay_october(&json!(number), "100.00", json!({ "email": "demo@example.ru" }));
        let (_, started) = s.post_once("/payments", &token, key, request).await;
        let id = started["payment"]["id"].as_str().unwrap();
        let yoo_id = double.lock().unwrap().by_key[id].clone();
        set(&double, &yoo_id, |p| {
            p["status"] = json!("canceled");
            p["cancellation_details"] = json!({ "party": "payment_network", "reason": reason });
        });
        // No notification: the app's check on return asks YooKassa itself.
        let (_, view) = s.get(&format!("/payments/{id}"), Some(&token)).await;
        assert_eq!(view["payment"]["status"], expected, "{reason}");
        // The resident is told why, in words.
        assert_eq!(view["payment"]["failure"], why, "{reason}");
        assert!(view["status_text"].as_str().unwrap().starts_with(said), "{view}");
    }
}

#[tokio::test]
async fn wrong_yookassa_credentials_fail_the_payment_start_cleanly() {
    let (_, api_url) = start_double().await;
    let s = start_with_yookassa(&api_url, "wrong").await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let request =
        pay_october(&accounts[0]["number"], "100.00", json!({ "email": "demo@example.ru" }));
    let (status, error) = s.post_once("/payments", &token, "yoo-wrong-0001", request).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("acquirer_unavailable"))
    );
}
