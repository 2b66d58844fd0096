//! Issue 18, "Russian that reads right", on what the service really says: every text in the
//! answers a resident's day brings (accounts, the document, meters, the checks' findings, the
//! acceptance, reports, the paper-refusal form, refusals), in the e-mails and SMS of its outbox
//! and in its pushes, walked by the core's `wording::problems`.

mod common;

use lk_core::wording::problems;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Every string of a JSON answer that carries Cyrillic, with where it was.
fn russian_texts(value: &Value, at: &str, into: &mut Vec<(String, String)>) {
    match value {
        // The payment QR's payload is for bank apps, in the standard's own field names.
        Value::String(_) if at.ends_with(".payment_qr") => {}
        Value::String(text) if text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я')) => {
            into.push((at.to_owned(), text.clone()));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                russian_texts(item, &format!("{at}[{i}]"), into);
            }
        }
        Value::Object(fields) => {
            for (name, field) in fields {
                russian_texts(field, &format!("{at}.{name}"), into);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_text_the_service_says_in_a_residents_day_reads_right() {
    let s = common::start_at(common::window_day()).await;
    let bearer = s.token("demo", "Demo-2026").await;
    let token = Some(bearer.as_str());
    let mut said: Vec<(String, Value)> = Vec::new();
    let mut ask = |what: String, answer: Value| said.push((what, answer));

    let (_, accounts) = s.get("/accounts", token).await;
    let number = accounts[0]["number"].as_str().unwrap_or_default().to_owned();
    ask("/accounts".into(), accounts);
    for path in [
        format!("/accounts/{number}"),
        format!("/accounts/{number}/documents"),
        format!("/accounts/{number}/paper-refusal-form"),
        format!("/accounts/{number}/reports/charges?months=6"),
        format!("/accounts/{number}/reports/payments?from=2025-01-01&to=2026-11-21"),
        "/profile".into(),
    ] {
        let (_, answer) = s.get(&path, token).await;
        ask(path, answer);
    }
    let (_, documents) = s.get(&format!("/accounts/{number}/documents"), token).await;
    let period = documents[0]["period"].as_str().unwrap_or_default().to_owned();
    let (_, document) = s.get(&format!("/accounts/{number}/documents/{period}"), token).await;
    ask(format!("/documents/{period}"), document);
    let (status, _) = s
        .post_once(
            &format!("/accounts/{number}/documents/{period}/email"),
            &bearer,
            "wording-document-email",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Each meter's check with values that bring findings: a rollover or a value below the last,
    // too many digits, not a number, a use far above the usual, and one it takes.
    let (_, meters) = s.get(&format!("/accounts/{number}/meters"), token).await;
    for view in meters["meters"].as_array().cloned().unwrap_or_default() {
        let id = view["meter"]["id"].as_str().unwrap_or_default();
        let zones: Vec<Value> = view["start"]["values"].as_array().cloned().unwrap_or_default();
        let typed = |f: &dyn Fn(f64) -> String| {
            let values: Vec<Value> = zones
                .iter()
                .map(|z| {
                    let start: f64 = z["value"].as_str().unwrap_or("0").parse().unwrap_or(0.0);
                    json!({ "zone": z["zone"], "text": f(start) })
                })
                .collect();
            json!({ "values": values })
        };
        for body in [
            typed(&|v| format!("{:.1}", v - 3.0).replace('.', ",")),
            typed(&|_| "1234567890".into()),
            typed(&|_| "сто".into()),
            typed(&|_| "0,123456789".into()),
            typed(&|v| format!("{:.0}", v + 5000.0)),
            typed(&|v| format!("{:.1}", v + 1.5).replace('.', ",")),
        ] {
            let path = format!("/accounts/{number}/meters/{id}/readings/check");
            let (_, answer) = s.post(&path, token, body).await;
            ask(path, answer);
        }
    }
    ask("/accounts/…/meters".into(), meters);

    // Refusals a resident meets: a wrong password, an account not theirs, too large a payment.
    let (_, refused) = s.sign_in("demo", "wrong-password-1").await;
    ask("/sessions".into(), refused);
    let (_, refused) = s.get("/accounts/000000000000", token).await;
    ask("/accounts/000000000000".into(), refused);
    // A payment far above what is owed: refused with the limit in roubles.
    let payment = json!({
        "account_number": number,
        "period": period,
        "total": "9999999.00",
        "fixed": [],
        "receipt_contact": { "email": "demo@example.ru" },
        "return_url": "lk://payments/return",
    });
    let (status, refused) = s.post_once("/payments", &bearer, "wording-pay", payment).await;
    assert!(status.is_client_error(), "{refused}");
    ask("/payments".into(), refused);

    let (_, announced) =
        s.post(&format!("/demo/accounts/{number}/new-document"), None, json!({})).await;
    ask("new-document".into(), announced);
    let (_, outbox) = s.get("/demo/outbox", None).await;
    assert!(outbox.as_array().is_some_and(|m| !m.is_empty()), "the document's e-mail is there");
    ask("/demo/outbox".into(), outbox);
    let (_, pushes) = s.get("/demo/pushes", None).await;
    ask("/demo/pushes".into(), pushes);

    let mut texts = Vec::new();
    for (what, answer) in &said {
        russian_texts(answer, what, &mut texts);
    }
    assert!(texts.len() > 50, "only {} texts: {texts:?}", texts.len());
    for expected in ["до запятой", "не число", "Неверный логин или пароль"]
    {
        assert!(texts.iter().any(|(_, t)| t.contains(expected)), "no «{expected}» in {texts:?}");
    }
    let found: Vec<String> = texts
        .iter()
        .flat_map(|(at, text)| {
            problems(text).into_iter().map(move |p| format!("{at}: {p} в «{text}»"))
        })
        .collect();
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}
