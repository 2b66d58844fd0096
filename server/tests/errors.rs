//! Every refusal is JSON `{code, message, field}` with a Russian message, including those the
//! router and the body limit make before a handler runs, and serde's words never reach a person.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The message is for a Russian reader: none of serde's or axum's English.
fn assert_russian(error: &Value) {
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.chars().any(|c| ('а'..='я').contains(&c)), "not Russian: {error}");
    for english in ["unknown", "expected", "invalid", "missing", "line", "column", "Failed"] {
        assert!(!message.contains(english), "English «{english}» in {error}");
    }
}

async fn post_text(s: &common::Server, path: &str, body: &str) -> (StatusCode, Value) {
    let response = s
        .http
        .post(format!("{}{path}", s.base))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_body_over_64_kib_with_a_content_length_is_refused_as_json() {
    let s = common::start().await;
    let body = format!("{{\"login\":\"{}\",\"password\":\"x\"}}", "a".repeat(100_000));
    let response = s
        .http
        .post(format!("{}/sessions", s.base))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.content_length().is_some());
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "payload_too_large");
    assert_eq!(error["message"], "Тело запроса слишком велико");
}

#[tokio::test]
async fn a_chunked_body_over_64_kib_is_refused_with_the_same_json() {
    let s = common::start().await;
    let mut stream = tokio::net::TcpStream::connect(s.running.addr).await.unwrap();
    let chunk = "a".repeat(70 * 1024);
    let request = format!(
        "POST /api/v1/sessions HTTP/1.1\r\nhost: lk\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    // The service may answer and close before reading it all; the answer is what matters.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("content-type: application/json"), "{answer}");
    assert!(answer.contains(r#""code":"payload_too_large""#), "{answer}");
}

#[tokio::test]
async fn a_method_an_address_does_not_take_is_refused_as_json_with_allow() {
    let s = common::start().await;
    let response =
        s.http.request(Method::PATCH, format!("{}/sessions", s.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "method_not_allowed");
    assert_eq!(error["message"], "Метод PATCH для этого адреса не предусмотрен");
}

#[tokio::test]
async fn unknown_addresses_and_bad_tokens_are_refused_as_json() {
    let s = common::start().await;
    let (status, error) = s.get("/no/such/thing", None).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, error) = s.get("/profile", Some("forged-token")).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")));
    let (status, error) = s.call(Method::PUT, "/sessions/current", None, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_russian(&error);
}

#[tokio::test]
async fn serdes_refusals_of_a_body_are_russian_and_name_the_field() {
    let s = common::start().await;
    let cases = [
        (
            json!({"login": "demo", "password": "x", "remember": true}),
            "Поле «remember» в запросе не предусмотрено; допустимы: login, password",
            Some("remember"),
        ),
        (json!({"login": "demo"}), "Не заполнено обязательное поле «password»", Some("password")),
        (
            json!({"login": 5, "password": "x"}),
            "Поле «login»: ожидается строка, а передано число",
            Some("login"),
        ),
        (json!(["demo", "x"]), "Тело запроса должно быть JSON-объектом", None),
    ];
    for (body, message, field) in cases {
        let (status, error) = s.post("/sessions", None, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error["code"], "invalid_request", "{body}");
        assert_eq!(error["message"], message, "{body}");
        assert_eq!(error["field"].as_str(), field, "{body}");
    }
    let token = s.token("demo", "Demo-2026").await;
    let (status, error) =
        s.post("/devices", Some(&token), json!({"platform": "fax", "token": "t"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error["message"],
        "Поле «platform»: значение «fax» не предусмотрено; допустимы: fcm, apns"
    );
    assert_eq!(error["field"], "platform");
    // Deep inside: the path names the field.
    let (status, error) = s
        .post(
            "/accounts/450001000001/meters/x/readings/check",
            Some(&token),
            json!({"values": [{"zone": "dawn", "text": "1"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["field"], "values[0].zone");
    assert_russian(&error);
    // Our types' own refusals stay Russian and get the field.
    let payment = json!({"account_number": "450001000001", "period": "2026-13", "total": "1",
        "receipt_contact": {"email": "a@b.ru"}, "return_url": "lk://x"});
    let (status, error) = s.post_once("/payments", &token, "errors-test-key-1", payment).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["field"], "period");
    assert_russian(&error);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_told_so_in_russian() {
    let s = common::start().await;
    for (body, message) in [
        ("", "Тело запроса пусто: ожидается JSON-объект"),
        ("{\"login\": \"demo\"", "Тело запроса оборвано: JSON не закончен"),
        ("login=demo", "Тело запроса — не JSON: ошибка в строке 1, позиции 1"),
    ] {
        let (status, error) = post_text(&s, "/sessions", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error["message"], message, "{body}");
        assert!(error.get("field").is_none(), "{body}");
    }
}

#[tokio::test]
async fn serdes_refusals_of_a_query_are_russian_and_name_the_parameter() {
    let s = common::start().await;
    let token = s.token("demo", "Demo-2026").await;
    let reports = "/accounts/450001000001/reports";
    for (query, field) in [
        ("charges?months=six", "months"),
        ("charges?weeks=6", "weeks"),
        ("payments?to=2026-01-01&x-extra-property=42", "x-extra-property"),
        ("readings?kind=all&from=2026-01&to=2026-10", "kind"),
        ("readings?from=2026-01&to=2026-10", "kind"),
        ("payments?from=yesterday", "from"),
    ] {
        let (status, error) = s.get(&format!("{reports}/{query}"), Some(&token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error["code"], "invalid_request", "{query}");
        assert_eq!(error["field"], field, "{query}: {error}");
        assert_russian(&error);
    }
}
