//! Pushes to devices (R22) through FCM HTTP v1 and APNs, each against a loopback double of its
//! documented contract: the double checks the signed JWTs with the public keys, the paths and
//! headers, and answers as the platform does, including "this token is gone".

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use chrono::TimeZone;
use common::{Server, start_configured};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use lk_server::push::{ApnsConfig, ApnsProvider, FcmConfig, FcmProvider, PushProviders};
use serde_json::{Value, json};

const FCM_KEY: &str = include_str!("keys/fcm-test-key.pem");
const FCM_PUB: &str = include_str!("keys/fcm-test-pub.pem");
const APNS_KEY: &str = include_str!("keys/apns-test-key.p8");
const APNS_PUB: &str = include_str!("keys/apns-test-pub.pem");
const GONE: &str = "token-the-platform-forgot";

#[derive(Default)]
struct Received {
    fcm: Vec<Value>,
    apns: Vec<(String, Value)>,
    oauth_grants: usize,
}

type Shared = Arc<Mutex<Received>>;

/// FCM's OAuth token endpoint: a JWT bearer grant signed by the service account (RS256).
async fn oauth_token(
    State(shared): State<(Shared, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> impl IntoResponse {
    let field = |name: &str| {
        form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    assert_eq!(field("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[format!("{}/token", shared.1)]);
    validation.set_issuer(&["lk-push@vostok-lk.iam.gserviceaccount.com"]);
    let key = DecodingKey::from_rsa_pem(FCM_PUB.as_bytes()).unwrap();
    let claims = jsonwebtoken::decode::<Value>(&field("assertion"), &key, &validation)
        .expect("a JWT signed with the service account's key");
    assert_eq!(claims.claims["scope"], "https://www.googleapis.com/auth/firebase.messaging");
    shared.0.lock().unwrap().oauth_grants += 1;
    Json(json!({ "access_token": "ya29.test-access", "expires_in": 3599, "token_type": "Bearer" }))
}

async fn fcm_send(
    State(shared): State<(Shared, String)>,
    Path((project, action)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> impl IntoResponse {
    assert_eq!((project.as_str(), action.as_str()), ("vostok-lk", "messages:send"));
    if headers["authorization"] != "Bearer ya29.test-access" {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": { "status": "UNAUTHENTICATED" } })),
        );
    }
    let message = &body["message"];
    assert!(
        message["data"].as_object().unwrap().values().all(Value::is_string),
        "FCM data values are strings"
    );
    if message["token"] == GONE {
        return (
            StatusCode::NOT_FOUND,
            Json(
                json!({ "error": { "code": 404, "status": "NOT_FOUND", "details": [{ "errorCode": "UNREGISTERED" }] } }),
            ),
        );
    }
    shared.0.lock().unwrap().fcm.push(message.clone());
    (StatusCode::OK, Json(json!({ "name": "projects/vostok-lk/messages/0:1" })))
}

/// APNs: `/3/device/{token}` with a provider JWT (ES256, kid, iss = team).
async fn apns_send(
    State(shared): State<(Shared, String)>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> impl IntoResponse {
    let jwt = headers["authorization"].to_str().unwrap().strip_prefix("bearer ").unwrap();
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    assert_eq!((header.alg, header.kid.as_deref()), (Algorithm::ES256, Some("KEY1234567")));
    let mut validation = Validation::new(Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.set_issuer(&["TEAM123456"]);
    validation.validate_exp = false;
    let key = DecodingKey::from_ec_pem(APNS_PUB.as_bytes()).unwrap();
    jsonwebtoken::decode::<Value>(jwt, &key, &validation).expect("a JWT signed with the .p8 key");
    assert_eq!(headers["apns-topic"], "ru.vostok.lk");
    assert_eq!(headers["apns-push-type"], "alert");
    if token == GONE {
        return (
            StatusCode::GONE,
            Json(json!({ "reason": "Unregistered", "timestamp": 1_764_000_000_000u64 })),
        );
    }
    shared.0.lock().unwrap().apns.push((token, body));
    (StatusCode::OK, Json(Value::Null))
}

async fn start_doubles() -> (Shared, String) {
    let shared: Shared = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/token", post(oauth_token))
        .route("/v1/projects/{project}/{action}", post(fcm_send))
        .route("/3/device/{token}", post(apns_send))
        .with_state((shared.clone(), base.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (shared, base)
}

fn providers(base: &str) -> PushProviders {
    let account = json!({
        "type": "service_account",
        "project_id": "vostok-lk",
        "private_key_id": "test",
        "private_key": FCM_KEY,
        "client_email": "lk-push@vostok-lk.iam.gserviceaccount.com",
        "token_uri": format!("{base}/token"),
    });
    PushProviders {
        fcm: Some(
            FcmProvider::new(FcmConfig::from_service_account(&account.to_string(), base).unwrap())
                .unwrap(),
        ),
        apns: Some(
            ApnsProvider::new(ApnsConfig {
                team_id: "TEAM123456".into(),
                key_id: "KEY1234567".into(),
                private_key_pem: APNS_KEY.into(),
                topic: "ru.vostok.lk".into(),
                api_url: base.into(),
            })
            .unwrap(),
        ),
    }
}

async fn register(s: &Server, token: &str, platform: &str, device: &str) {
    let (status, _) =
        s.post("/devices", Some(token), json!({ "platform": platform, "token": device })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

async fn pushes(s: &Server) -> Vec<Value> {
    let (_, pushes) = s.get("/demo/pushes", None).await;
    pushes.as_array().unwrap().clone()
}

/// Waits until the worker has handled every queued push.
async fn delivered(s: &Server) -> Vec<Value> {
    for _ in 0..100 {
        let all = pushes(s).await;
        if all.iter().all(|p| p["status"] != "queued") {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("pushes still queued: {:?}", pushes(s).await);
}

#[tokio::test]
async fn r22_a_new_document_reaches_android_and_ios_and_a_gone_token_is_forgotten() {
    let (received, base) = start_doubles().await;
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 5, 6, 0, 0).unwrap();
    let s = start_configured(at, |config| config.push = providers(&base)).await;
    let token = s.token("demo", "Demo-2026").await;
    register(&s, &token, "fcm", "android-device-1").await;
    register(&s, &token, "apns", "ios-device-1").await;
    register(&s, &token, "fcm", GONE).await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();

    let (_, queued) =
        s.post(&format!("/demo/accounts/{number}/new-document"), None, json!({})).await;
    assert_eq!(queued, 3);
    let all = delivered(&s).await;
    let status_of =
        |device: &str| all.iter().find(|p| p["token"] == device).unwrap()["status"].clone();
    assert_eq!(status_of("android-device-1"), "sent");
    assert_eq!(status_of("ios-device-1"), "sent");
    assert_eq!(status_of(GONE), "token_gone");
    {
        let received = received.lock().unwrap();
        assert_eq!(received.fcm.len(), 1);
        let fcm = &received.fcm[0];
        assert_eq!(fcm["token"], "android-device-1");
        assert_eq!(fcm["notification"]["title"], "Новый платёжный документ");
        assert_eq!(
            (fcm["data"]["event"].as_str(), fcm["data"]["account_number"].as_str()),
            (Some("new_document"), Some(number))
        );
        let (device, apns) = &received.apns[0];
        assert_eq!(device, "ios-device-1");
        assert_eq!(apns["aps"]["alert"]["title"], "Новый платёжный документ");
        assert_eq!(apns["period"], "2026-10");
    }

    // The forgotten token gets nothing more; the access token is reused, not fetched again.
    let (_, queued) =
        s.post(&format!("/demo/accounts/{number}/new-document"), None, json!({})).await;
    assert_eq!(queued, 2);
    delivered(&s).await;
    let received = received.lock().unwrap();
    assert_eq!((received.fcm.len(), received.apns.len(), received.oauth_grants), (2, 2, 1));
}

#[tokio::test]
async fn r22_window_reminders_go_once_when_it_opens_and_when_two_days_are_left() {
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 14, 6, 0, 0).unwrap();
    let s = start_configured(at, |_| {}).await;
    let token = s.token("demo", "Demo-2026").await;
    register(&s, &token, "fcm", "android-device-1").await;
    let petrov = s.token("petrov", "Petrov-2026").await;
    register(&s, &petrov, "apns", "ios-petrov").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(pushes(&s).await.is_empty(), "the 14th: no window anywhere yet");

    s.advance(chrono::Duration::days(1)); // 15 November: Kurgan and Orenburg open
    let token = s.token("demo", "Demo-2026").await;
    register(&s, &token, "fcm", "android-device-1").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    register(&s, &token, "fcm", "android-device-1").await;
    let all = delivered(&s).await;
    assert_eq!(all.len(), 1, "once, however often the worker looks: {all:?}");
    assert_eq!(
        (all[0]["token"].as_str(), all[0]["event"].as_str()),
        (Some("android-device-1"), Some("window_open"))
    );
    assert_eq!(all[0]["status"], "kept", "no provider: kept in the outbox");

    s.advance(chrono::Duration::days(5)); // 20 November: Tyumen opens
    let petrov = s.token("petrov", "Petrov-2026").await;
    register(&s, &petrov, "apns", "ios-petrov").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    s.advance(chrono::Duration::days(3)); // 23 November: three days left, no reminder yet
    let token = s.token("demo", "Demo-2026").await;
    register(&s, &token, "fcm", "android-device-1").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        delivered(&s).await.iter().all(|p| p["event"] != "window_closing"),
        "«осталось два дня» is not said with three days left"
    );
    s.advance(chrono::Duration::days(1)); // 24 November: two days left in Kurgan and Tyumen
    let token = s.token("demo", "Demo-2026").await;
    register(&s, &token, "fcm", "android-device-1").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let events: Vec<(String, String)> = delivered(&s)
        .await
        .iter()
        .map(|p| (p["token"].as_str().unwrap().to_owned(), p["event"].as_str().unwrap().to_owned()))
        .collect();
    for expected in [
        ("android-device-1", "window_open"),
        ("ios-petrov", "window_open"),
        ("android-device-1", "window_closing"),
        ("ios-petrov", "window_closing"),
    ] {
        assert!(
            events.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {events:?}"
        );
    }

    // Turned off in the settings: nothing more.
    let settings = json!({ "reading_window": false, "new_document": false, "payment_result": true, "receipt_by_email": false });
    let (status, _) = s.put("/profile/notifications", Some(&token), settings).await;
    assert!(status.is_success());
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();
    let (_, queued) =
        s.post(&format!("/demo/accounts/{number}/new-document"), None, json!({})).await;
    assert_eq!(queued, 0);
}

#[tokio::test]
async fn r22_no_closing_reminder_for_an_account_whose_every_meter_has_its_reading() {
    // 24 November, 11:00 in Orenburg: its window (15–26) has three days left; on the 25th, two.
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 24, 6, 0, 0).unwrap();
    let s = start_configured(at, |_| {}).await;
    let token = s.token("orenburg", "Orenburg-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap().to_owned();
    let (_, view) = s.get(&format!("/accounts/{number}/meters"), Some(&token)).await;
    for (i, m) in view["meters"].as_array().unwrap().iter().enumerate() {
        let values: Vec<Value> = m["start"]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let value: rust_decimal::Decimal = v["value"].as_str().unwrap().parse().unwrap();
                json!({ "zone": v["zone"], "text": (value + rust_decimal::Decimal::ONE).to_string() })
            })
            .collect();
        let path =
            format!("/accounts/{number}/meters/{}/readings", m["meter"]["id"].as_str().unwrap());
        let (status, body) = s
            .post_once(
                &path,
                &token,
                &format!("reminder-test-{i}"),
                json!({ "values": values, "confirmed": [] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    s.advance(chrono::Duration::days(1));
    let token = s.token("orenburg", "Orenburg-2026").await;
    register(&s, &token, "fcm", "android-orenburg").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let all = delivered(&s).await;
    assert!(
        all.iter().all(|p| p["token"] != "android-orenburg"),
        "every meter has its reading: no reminder {all:?}"
    );
}
