//! Card payments through the sandbox acquirer, driven as a browser would: the card page's form,
//! the 3-D Secure page, the redirect back to the app (R9, R23).

mod common;

use std::time::Duration;

use common::{SANDBOX_SECRET, Server, start_at, window_day};
use lk_test_support::SandboxBrowser;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use rust_decimal::Decimal;
use serde_json::{Value, json};

const RETURN_URL: &str = "lk://payments/return";

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("a decimal string: {v}")).parse().unwrap()
}

/// A browser that shows redirects instead of following them.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

struct Resident {
    token: String,
    number: String,
}

async fn demo(s: &Server) -> Resident {
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    Resident { number: accounts[0]["number"].as_str().unwrap().to_owned(), token }
}

fn request(r: &Resident, total: &str, fixed: Value) -> Value {
    json!({
        "account_number": r.number,
        "period": "2026-10",
        "total": total,
        "fixed": fixed,
        "receipt_contact": { "email": "demo@example.ru" },
        "return_url": RETURN_URL,
    })
}

/// Posts the card form; answers the status and where the browser is sent.
async fn pay_with_card(url: &str, card: &str, remember: bool) -> (StatusCode, String) {
    let answer = SandboxBrowser::new().submit_card(url, card, remember).await;
    (StatusCode::from_u16(answer.status).unwrap(), answer.location)
}

/// Posts the 3-D Secure code; answers where the browser goes next.
async fn confirm_code(origin: &str, path: &str, code: &str) -> String {
    let page = browser().get(format!("{origin}{path}")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Подтверждение платежа"));
    match type_code(origin, path, code).await {
        Ok(location) => location,
        Err(page) => panic!("the code was refused: {page}"),
    }
}

/// Posts one 3-D Secure code: where the browser is sent, or the page shown again.
async fn type_code(origin: &str, path: &str, code: &str) -> Result<String, String> {
    let answer = SandboxBrowser::new().submit_code(&format!("{origin}{path}"), code).await;
    match StatusCode::from_u16(answer.status).unwrap() {
        StatusCode::SEE_OTHER => Ok(answer.location),
        StatusCode::UNPROCESSABLE_ENTITY => Err(answer.location),
        other => panic!("3-D Secure answered {other}"),
    }
}

fn origin(s: &Server) -> String {
    format!("http://{}", s.running.addr)
}

/// The payment as the app sees it on return, once the acquirer's answer is in.
async fn settled(s: &Server, token: &str, id: &str) -> Value {
    for _ in 0..50 {
        let (status, view) = s.get(&format!("/payments/{id}"), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        if view["payment"]["status"] != "pending" {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("payment {id} stayed pending");
}

async fn receipts_to(s: &Server, recipient: &str) -> Vec<Value> {
    let (_, outbox) =
        s.get(&format!("/demo/outbox?recipient={}", recipient.replace('@', "%40")), None).await;
    outbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().starts_with("Чек об оплате"))
        .cloned()
        .collect()
}

#[tokio::test]
async fn r9_r23_a_document_is_paid_end_to_end_through_the_sandbox_pages() {
    let s = start_at(window_day()).await;
    let r = demo(&s).await;
    let (status, _) = s
        .post("/devices", Some(&r.token), json!({ "platform": "fcm", "token": "demo-phone-token" }))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, document) =
        s.get(&format!("/accounts/{}/documents/2026-10", r.number), Some(&r.token)).await;
    let due = dec(&document["document"]["totals"]["amount_due"]);
    let total = (due + Decimal::from(100)).to_string();

    // R9: the resident raised the total and confirmed it; the server splits it by the core's rules.
    let (status, started) =
        s.post_once("/payments", &r.token, "pay-demo-0001", request(&r, &total, json!([]))).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    assert_eq!(started["payment"]["status"], "pending");
    let parts: Decimal = started["payment"]["allocation"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| dec(&p["amount"]))
        .sum();
    assert_eq!(parts.to_string(), total, "the parts add up to the total to the kopeck");
    let id = started["payment"]["id"].as_str().unwrap().to_owned();
    let url = started["confirmation_url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/sandbox-acquirer/pay/", origin(&s))), "{url}");
    let (_, again) =
        s.post_once("/payments", &r.token, "pay-demo-0001", request(&r, &total, json!([]))).await;
    assert_eq!(
        (again["payment"]["id"].as_str(), again["confirmation_url"].as_str()),
        (Some(id.as_str()), Some(url.as_str()))
    );

    // The acquirer's page: the card is checked there; the LK never sees it.
    let page = browser().get(&url).send().await.unwrap().text().await.unwrap();
    let total_ru = total.parse::<lk_core::Money>().unwrap().format_ru();
    assert!(page.contains("Оплата картой") && page.contains(&total_ru), "{page}");
    let (status, page) = pay_with_card(&url, "4111 1111 1111 1112", false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Номер карты набран с ошибкой"), "{page}");
    let expired = browser()
        .post(&url)
        .form(&[
            ("card_number", "4111111111111111"),
            ("expiry", "01/20"),
            ("holder", "IVAN DEMO"),
            ("cvc", "12"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        expired.contains("Срок действия карты истёк") && expired.contains("CVV/CVC2"),
        "{expired}"
    );
    let (status, next) = pay_with_card(&url, "4111 1111 1111 1111", true).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{next}");
    assert!(next.starts_with("/sandbox-acquirer/3ds/"), "{next}");
    assert_eq!(confirm_code(&origin(&s), &next, "123456").await, RETURN_URL);

    // Back in the app: the core asks the server, which has it from the acquirer.
    let done = settled(&s, &r.token, &id).await;
    assert_eq!(done["payment"]["status"], "succeeded");
    assert_eq!(done["status_text"], "Оплата выполнена успешно");
    assert!(done["confirmation_url"].is_null());
    let receipt = &done["payment"]["receipt"];
    assert_eq!(receipt["total"], total.as_str());
    let items: Decimal =
        receipt["items"].as_array().unwrap().iter().map(|i| dec(&i["amount"])).sum();
    assert_eq!(items.to_string(), total);
    assert_eq!(receipt["seller_inn"], "7705260681");
    assert_eq!(receipt["customer_contact"], json!({ "email": "demo@example.ru" }));

    // The receipt copy went to the chosen e-mail, once; and the push to the phone.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let receipts = receipts_to(&s, "demo@example.ru").await;
    assert_eq!(receipts.len(), 1);
    assert!(receipts[0]["body"].as_str().unwrap().contains("Кассовый чек"));
    assert_eq!(receipts[0]["attachment"], format!("receipt-{id}.pdf"));
    let (_, pushes) = s.get("/demo/pushes?token=demo-phone-token", None).await;
    assert_eq!(pushes[0]["event"], "payment_result");
    assert_eq!(pushes[0]["title"], "Оплата выполнена успешно");

    // A repeated notification, and a forged one, change nothing.
    let body = json!({ "event": "order.updated", "order_id": url.rsplit('/').next().unwrap() })
        .to_string();
    let signature = sign(SANDBOX_SECRET, body.as_bytes());
    for _ in 0..2 {
        let answer = s
            .http
            .post(format!("{}/payments/notifications/sandbox", s.base))
            .header("content-type", "application/json")
            .header("X-Sandbox-Signature", &signature)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
    }
    let forged = s
        .http
        .post(format!("{}/payments/notifications/sandbox", s.base))
        .header("X-Sandbox-Signature", "00")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    let (_, after) = s.get(&format!("/payments/{id}"), Some(&r.token)).await;
    assert_eq!(after["payment"]["receipt"], done["payment"]["receipt"], "the same receipt");
    assert_eq!(receipts_to(&s, "demo@example.ru").await.len(), 1, "no second copy");

    // The same key again: still this one payment, now paid; the account and the report show it.
    let (_, again) =
        s.post_once("/payments", &r.token, "pay-demo-0001", request(&r, &total, json!([]))).await;
    assert_eq!(
        (again["payment"]["id"].as_str(), again["payment"]["status"].as_str()),
        (Some(id.as_str()), Some("succeeded"))
    );
    let (_, accounts) = s.get("/accounts", Some(&r.token)).await;
    assert_eq!(dec(&accounts[0]["balance"]["paid_since"]).to_string(), total);
    let (_, history) =
        s.get(&format!("/accounts/{}/reports/payments", r.number), Some(&r.token)).await;
    assert!(history["payments"].as_array().unwrap().iter().any(|p| p["id"] == id.as_str()));
}

fn sign(secret: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn r9_the_split_follows_the_core_rules_and_bad_requests_are_refused() {
    let s = start_at(window_day()).await;
    let r = demo(&s).await;
    let (status, error) =
        s.post_once("/payments", &r.token, "pay-bad-0001", request(&r, "0", json!([]))).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("total_not_positive"), Some("total"))
    );
    let (status, error) = s
        .post_once("/payments", &r.token, "pay-bad-huge", request(&r, "10000000000.00", json!([])))
        .await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("total_too_large"), Some("total"))
    );
    for elsewhere in
        ["https://evil.example/phish", "javascript:alert(1)", "http://127.0.0.1.evil/x"]
    {
        let mut body = request(&r, "100.00", json!([]));
        body["return_url"] = json!(elsewhere);
        let (status, error) =
            s.post_once("/payments", &r.token, &format!("pay-ret-{}", elsewhere.len()), body).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_return_url")),
            "{elsewhere}: no open redirect"
        );
    }
    let fixed = json!([{ "service_code": "electricity.day", "amount": "10.00" }]);
    let (_, error) =
        s.post_once("/payments", &r.token, "pay-bad-0002", request(&r, "1000.00", fixed)).await;
    assert_eq!(error["code"], "not_editable");
    let fixed = json!([{ "service_code": "cold_water", "amount": "123.45" }]);
    let (status, started) =
        s.post_once("/payments", &r.token, "pay-bad-0003", request(&r, "1000.00", fixed)).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let parts = started["payment"]["allocation"]["parts"].as_array().unwrap();
    let cold = parts.iter().find(|p| p["service_code"] == "cold_water").unwrap();
    assert_eq!((cold["amount"].as_str(), cold["fixed"].as_bool()), (Some("123.45"), Some(true)));

    let (status, error) =
        s.post_once("/payments", &r.token, "pay-bad-0003", request(&r, "999.00", json!([]))).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused"))
    );
    let (status, error) =
        s.post("/payments", Some(&r.token), request(&r, "10.00", json!([]))).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("idempotency_key_missing"))
    );
    let mut foreign = request(&r, "10.00", json!([]));
    foreign["account_number"] = json!("560001000015");
    let (status, _) = s.post_once("/payments", &r.token, "pay-bad-0004", foreign).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut bad_return = request(&r, "10.00", json!([]));
    bad_return["return_url"] = json!("not a link");
    let (_, error) = s.post_once("/payments", &r.token, "pay-bad-0005", bad_return).await;
    assert_eq!(error["field"], "return_url");
    let mut bad_total = request(&r, "10.001", json!([]));
    bad_total["account_number"] = json!(r.number);
    bad_total["receipt_contact"] = json!({ "phone": "+79120000001" });
    let (status, error) = s.post_once("/payments", &r.token, "pay-bad-0006", bad_total).await;
    assert_eq!((status, error["field"].as_str()), (StatusCode::BAD_REQUEST, Some("total")));
    let other = s.token("petrov", "Petrov-2026").await;
    let id = started["payment"]["id"].as_str().unwrap();
    assert_eq!(s.get(&format!("/payments/{id}"), Some(&other)).await.0, StatusCode::NOT_FOUND);
}

/// Starts a payment of 500 ₽ and returns its id and page.
async fn start_payment(s: &Server, r: &Resident, key: &str) -> (String, String) {
    let (status, started) =
        s.post_once("/payments", &r.token, key, request(r, "500.00", json!([]))).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    (
        started["payment"]["id"].as_str().unwrap().to_owned(),
        started["confirmation_url"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn the_documented_test_cards_decline_fail_3ds_or_get_no_answer() {
    let s = start_at(window_day()).await;
    let r = demo(&s).await;

    let (id, url) = start_payment(&s, &r, "card-decline-01").await;
    let (status, next) = pay_with_card(&url, "4000 0000 0000 0002", false).await;
    assert_eq!((status, next.as_str()), (StatusCode::SEE_OTHER, RETURN_URL));
    let view = settled(&s, &r.token, &id).await;
    assert_eq!(
        (view["payment"]["status"].as_str(), view["payment"]["failure"].as_str()),
        (Some("declined"), Some("declined_by_bank"))
    );
    assert_eq!(
        view["status_text"],
        "Платёж отклонён банком: проверьте остаток и ограничения карты или оплатите другой картой"
    );
    assert!(view["payment"]["receipt"].is_null());

    let (id, url) = start_payment(&s, &r, "card-3ds-fail-01").await;
    let (_, next) = pay_with_card(&url, "4000 0000 0000 3220", false).await;
    assert_eq!(confirm_code(&origin(&s), &next, "123456").await, RETURN_URL);
    let view = settled(&s, &r.token, &id).await;
    assert_eq!(
        (view["payment"]["status"].as_str(), view["payment"]["failure"].as_str()),
        (Some("canceled"), Some("secure_code_failed"))
    );
    let page = browser().get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Заказ уже обработан"), "a finished order cannot be paid again");

    let (id, url) = start_payment(&s, &r, "card-no-answer-1").await;
    let (_, next) = pay_with_card(&url, "4000 0000 0000 0119", false).await;
    assert_eq!(confirm_code(&origin(&s), &next, "123456").await, RETURN_URL);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, view) = s.get(&format!("/payments/{id}"), Some(&r.token)).await;
    assert_eq!(view["payment"]["status"], "pending", "the bank has not answered");
    assert_eq!(view["status_text"], "Ожидает подтверждения банка");
    assert!(receipts_to(&s, "demo@example.ru").await.is_empty());
}

#[tokio::test]
async fn a_remembered_card_is_offered_next_time_and_pays_with_its_cvc() {
    let s = start_at(window_day()).await;
    let r = demo(&s).await;
    let (_, url) = start_payment(&s, &r, "remember-card-01").await;
    let (_, next) = pay_with_card(&url, "2200 0000 0000 0004", true).await;
    confirm_code(&origin(&s), &next, "123456").await;

    let (id, url) = start_payment(&s, &r, "remember-card-02").await;
    let page = browser().get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Сохранённая карта МИР •••• 0004"), "{page}");
    let saved = page
        .split("name=\"saved_card\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let answer = browser()
        .post(&url)
        .form(&[("saved_card", saved.as_str()), ("cvc", "321")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let next = answer.headers()["location"].to_str().unwrap().to_owned();
    confirm_code(&origin(&s), &next, "123456").await;
    assert_eq!(settled(&s, &r.token, &id).await["payment"]["status"], "succeeded");

    // Another resident does not see the card.
    let token = s.token("petrov", "Petrov-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let petrov = Resident { number: accounts[0]["number"].as_str().unwrap().to_owned(), token };
    let (_, url) = start_payment(&s, &petrov, "remember-card-03").await;
    let page = browser().get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Сохранённая карта"));
}

#[tokio::test]
async fn a_mistyped_3ds_code_can_be_typed_again_and_the_page_says_how_many_tries_are_left() {
    let s = start_at(window_day()).await;
    let r = demo(&s).await;
    let (id, url) = start_payment(&s, &r, "code-typo-0001").await;
    let (_, next) = pay_with_card(&url, "5555 5555 5555 4444", false).await;
    let page = type_code(&origin(&s), &next, "123465").await.unwrap_err();
    assert!(page.contains("Неверный код. Осталось попыток: 2"), "{page}");
    let page = type_code(&origin(&s), &next, "").await.unwrap_err();
    assert!(page.contains("Неверный код. Осталось попыток: 1"), "{page}");
    let (_, view) = s.get(&format!("/payments/{id}"), Some(&r.token)).await;
    assert_eq!(view["payment"]["status"], "pending", "typos alone do not fail the payment");
    assert_eq!(type_code(&origin(&s), &next, " 123456 ").await.unwrap(), RETURN_URL);
    let view = settled(&s, &r.token, &id).await;
    assert_eq!(view["payment"]["status"], "succeeded");
    assert!(view["payment"]["failure"].is_null());
    let page = browser().get(format!("{}{next}", origin(&s))).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("Заказ уже обработан"), "no code after success");
}

#[tokio::test]
async fn three_wrong_3ds_codes_fail_the_payment_and_the_resident_is_told_why() {
    let s = start_at(window_day()).await;
    let r = demo(&s).await;
    let (status, _) = s
        .post("/devices", Some(&r.token), json!({ "platform": "fcm", "token": "wrong-code-phone" }))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (id, url) = start_payment(&s, &r, "code-wrong-0001").await;
    let (_, next) = pay_with_card(&url, "2200 0000 0000 0004", false).await;
    for left in [2, 1] {
        let page = type_code(&origin(&s), &next, "000000").await.unwrap_err();
        assert!(page.contains(&format!("Осталось попыток: {left}")), "{page}");
    }
    assert_eq!(type_code(&origin(&s), &next, "000000").await.unwrap(), RETURN_URL);
    let view = settled(&s, &r.token, &id).await;
    assert_eq!(
        (view["payment"]["status"].as_str(), view["payment"]["failure"].as_str()),
        (Some("canceled"), Some("secure_code_failed"))
    );
    assert_eq!(
        view["status_text"],
        "Платёж не подтверждён: код 3-D Secure не принят. Деньги не списаны, повторите оплату"
    );
    // The right code, too late, changes nothing: the status only moves forward.
    let late = browser()
        .post(format!("{}{next}", origin(&s)))
        .form(&[("code", "123456")])
        .send()
        .await
        .unwrap();
    assert!(late.text().await.unwrap().contains("Заказ уже обработан"));
    let (_, again) = s.get(&format!("/payments/{id}"), Some(&r.token)).await;
    assert_eq!(again["payment"]["failure"], "secure_code_failed");
    // The push to the phone says why too.
    let (_, pushes) = s.get("/demo/pushes?token=wrong-code-phone", None).await;
    assert_eq!(pushes[0]["title"], "Платёж отменён");
    assert!(pushes[0]["body"].as_str().unwrap().contains("код 3-D Secure не принят"), "{pushes}");
}

#[tokio::test]
async fn a_payment_left_on_the_bank_page_expires_and_says_so() {
    let s = start_at(window_day()).await;
    let r = demo(&s).await;
    let (id, url) = start_payment(&s, &r, "expire-page-0001").await;
    let (id2, url2) = start_payment(&s, &r, "expire-code-0001").await;
    let (_, next) = pay_with_card(&url2, "4111 1111 1111 1111", false).await;
    let (waiting, url3) = start_payment(&s, &r, "expire-bank-0001").await;
    let (_, code) = pay_with_card(&url3, "4000 0000 0000 0119", false).await;
    assert_eq!(confirm_code(&origin(&s), &code, "123456").await, RETURN_URL);
    s.clock.advance(chrono::Duration::minutes(29));
    // The access token lives 15 minutes: the resident signs in again.
    let r = demo(&s).await;
    let (_, view) = s.get(&format!("/payments/{id}"), Some(&r.token)).await;
    assert_eq!(view["payment"]["status"], "pending", "still within the time allowed");
    s.clock.advance(chrono::Duration::minutes(2));
    let r = demo(&s).await;
    for (id, page) in [(id, url), (id2, format!("{}{next}", origin(&s)))] {
        let view = settled(&s, &r.token, &id).await;
        assert_eq!(
            (view["payment"]["status"].as_str(), view["payment"]["failure"].as_str()),
            (Some("canceled"), Some("expired"))
        );
        assert!(view["status_text"].as_str().unwrap().starts_with("Время на оплату истекло"));
        let page = browser().get(&page).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Заказ уже обработан"), "{page}");
    }
    let (_, view) = s.get(&format!("/payments/{waiting}"), Some(&r.token)).await;
    assert_eq!(view["payment"]["status"], "pending", "a code accepted waits for the bank");
}
