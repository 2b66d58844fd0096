//! Profile and settings over HTTP (R16–R20), bad input, and the API description.

mod common;

use common::{code_in, link_in, start};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn r16_changing_the_password_needs_the_old_one_and_ends_other_sessions() {
    let s = start().await;
    let phone_session = s.token("orenburg", "Orenburg-2026").await;
    let token = s.token("orenburg", "Orenburg-2026").await;
    let change = |old: &str, new: &str, repeat: &str| json!({ "old_password": old, "new_password": new, "new_password_repeat": repeat });
    let (_, error) = s
        .put("/profile/password", Some(&token), change("Wrong-2026", "Next-2027a", "Next-2027a"))
        .await;
    assert_eq!(
        (error["code"].as_str(), error["field"].as_str()),
        (Some("wrong_password"), Some("old_password"))
    );
    let (_, error) = s
        .put("/profile/password", Some(&token), change("Orenburg-2026", "Next-2027a", "Next-2027b"))
        .await;
    assert_eq!(error["field"], "password_repeat");
    let (status, _) = s
        .put("/profile/password", Some(&token), change("Orenburg-2026", "Next-2027a", "Next-2027a"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(s.get("/profile", Some(&token)).await.0, StatusCode::OK, "this session stays");
    assert_eq!(
        s.get("/profile", Some(&phone_session)).await.0,
        StatusCode::UNAUTHORIZED,
        "others end"
    );
    s.token("orenburg", "Next-2027a").await;
}

#[tokio::test]
async fn r17_new_phone_by_code_and_new_email_by_link() {
    let s = start().await;
    let token = s.token("petrov", "Petrov-2026").await;
    let (status, started) =
        s.post("/profile/phone", Some(&token), json!({ "value": "8 912 777 66 55" })).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["sent_to"], "+7 912 ***-**-55");
    let code = code_in(&s.last_message("+79127776655").await);
    let id = started["id"].as_str().unwrap();
    let (_, error) = s
        .post(&format!("/profile/phone/{id}/code"), Some(&token), json!({ "code": "999999x" }))
        .await;
    assert_eq!(error["code"], "invalid_code");
    let (status, profile) =
        s.post(&format!("/profile/phone/{id}/code"), Some(&token), json!({ "code": code })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(profile["phone"], "+79127776655");

    let (_, error) =
        s.post("/profile/email", Some(&token), json!({ "value": "not-an-email" })).await;
    assert_eq!(
        (error["code"].as_str(), error["field"].as_str()),
        (Some("invalid_contact"), Some("value"))
    );
    s.post("/profile/email", Some(&token), json!({ "value": "petrov.new@example.ru" })).await;
    let page =
        s.http.get(link_in(&s.last_message("petrov.new@example.ru").await)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let (_, profile) = s.get("/profile", Some(&token)).await;
    assert_eq!(profile["email"], "petrov.new@example.ru");
}

#[tokio::test]
async fn r18_notification_settings_and_receipt_copy_by_email() {
    let s = start().await;
    let token = s.token("demo", "Demo-2026").await;
    let settings = json!({ "reading_window": false, "new_document": true, "payment_result": true, "receipt_by_email": true });
    let (status, profile) = s.put("/profile/notifications", Some(&token), settings.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(profile["notifications"], settings);
    let (_, again) = s.get("/profile", Some(&token)).await;
    assert_eq!(again["notifications"], settings, "kept");
}

#[tokio::test]
async fn r19_another_account_is_added_by_its_own_login_and_removed_again() {
    let s = start().await;
    let token = s.token("demo", "Demo-2026").await;
    let (status, error) = s
        .post(
            "/profile/accounts",
            Some(&token),
            json!({ "login": "orenburg", "password": "nope-1234" }),
        )
        .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_credentials"))
    );
    let (_, error) = s
        .post(
            "/profile/accounts",
            Some(&token),
            json!({ "login": "demo", "password": "Demo-2026" }),
        )
        .await;
    assert_eq!(error["code"], "own_login");
    let (status, profile) = s
        .post(
            "/profile/accounts",
            Some(&token),
            json!({ "login": "orenburg", "password": "Orenburg-2026" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let accounts = profile["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(
        (accounts[0]["own"].as_bool(), accounts[1]["own"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(accounts[1]["region"], "orenburg");
    let (status, _) = s
        .post(
            "/profile/accounts",
            Some(&token),
            json!({ "login": "orenburg", "password": "Orenburg-2026" }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "already linked");

    let own = accounts[0]["number"].as_str().unwrap();
    let linked = accounts[1]["number"].as_str().unwrap();
    let (_, error) =
        s.call(Method::DELETE, &format!("/profile/accounts/{own}"), Some(&token), None).await;
    assert_eq!(error["code"], "cannot_unlink_own");
    let (status, profile) =
        s.call(Method::DELETE, &format!("/profile/accounts/{linked}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(profile["accounts"].as_array().unwrap().len(), 1);

    // The demo profile with two accounts (R19).
    let ivanova = s.token("ivanova", "Ivanova-2026").await;
    let (_, profile) = s.get("/profile", Some(&ivanova)).await;
    assert_eq!(profile["accounts"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn r20_paper_refusal_form_is_filled_in_for_the_profiles_own_account_only() {
    let s = start().await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, profile) = s.get("/profile", Some(&token)).await;
    let number = profile["accounts"][0]["number"].as_str().unwrap();
    let (status, form) =
        s.get(&format!("/accounts/{number}/paper-refusal-form"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(form["account_number"], number);
    assert!(form["text"].as_str().unwrap().contains("demo@example.ru"));
    assert_eq!(form["owner"], profile["accounts"][0]["owner"]);
    let (status, _) = s.get("/accounts/560001000001/paper-refusal-form", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not someone else's account");
}

#[tokio::test]
async fn bad_input_gets_json_with_a_code_and_the_field_never_a_500() {
    let s = start().await;
    let (status, error) = s
        .post("/sessions", None, json!({ "login": "demo", "password": "Demo-2026", "extra": 1 }))
        .await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"), Some("extra"))
    );
    let (_, error) = s.post("/sessions", None, json!({ "login": "demo" })).await;
    assert_eq!(error["field"], "password");
    let raw = s
        .http
        .post(format!("{}/sessions", s.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    assert_eq!(raw.json::<serde_json::Value>().await.unwrap()["code"], "invalid_request");
    let text = s.http.post(format!("{}/sessions", s.base)).body("login=demo").send().await.unwrap();
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = s
        .http
        .post(format!("{}/sessions", s.base))
        .header("content-type", "application/json")
        .body(format!("{{\"login\":\"{}\",\"password\":\"x\"}}", "a".repeat(100_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (status, error) = s.get("/no/such/thing", None).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, _) = s.get("/profile", Some("forged-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, error) = s
        .put(
            "/registrations/unknown/account",
            None,
            json!({ "account_number": "12", "latest_document_total": "1" }),
        )
        .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("account_number"))
    );
    let (status, _) = s.get("/registrations/unknown", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn health_and_the_openapi_document_describe_the_service() {
    let s = start().await;
    let (status, health) = s.get("/health", None).await;
    assert_eq!((status, health["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (_, doc) = s.get("/openapi.json", None).await;
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/sessions",
        "/api/v1/registrations",
        "/api/v1/recoveries/{id}/code",
        "/api/v1/profile",
        "/api/v1/captcha",
        "/api/v1/accounts/{number}/documents/{period}",
        "/api/v1/accounts/{number}/meters/{meter_id}/readings",
        "/api/v1/accounts/{number}/reports/readings",
        "/api/v1/payments",
        "/api/v1/payments/notifications/{acquirer}",
        "/api/v1/devices",
    ] {
        assert!(paths.contains_key(path), "{path} described");
    }
    // Every schema a path or schema refers to is in the document.
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                    found.push(r.trim_start_matches("#/components/schemas/").to_owned());
                }
                map.values().for_each(|v| refs(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 50);
    for name in found {
        assert!(doc["components"]["schemas"][&name].is_object(), "schema {name} is described");
    }
    assert!(doc["components"]["schemas"]["RegistrationRequest"].is_object());
    assert_eq!(
        doc["components"]["schemas"]["AccountPreview"]["properties"]["number"]["$ref"],
        "#/components/schemas/AccountNumber"
    );
    assert_eq!(
        doc["components"]["schemas"]["AccountNumber"]["type"], "string",
        "account numbers travel as strings"
    );
}

#[tokio::test]
async fn responses_carry_the_services_own_time_in_the_date_header() {
    let s = common::start_at(common::window_day()).await;
    for path in ["/health", "/no-such-route"] {
        let response = s.http.get(format!("{}{path}", s.base)).send().await.unwrap();
        let date = response.headers()["date"].to_str().unwrap().to_owned();
        assert_eq!(date, "Sat, 21 Nov 2026 08:00:00 GMT", "{path}");
    }
}
