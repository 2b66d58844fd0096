//! Accounts, payment documents and reports over HTTP (R6–R8, R13–R15).

mod common;

use common::{start_at, window_day};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("a decimal string: {v}")).parse().unwrap()
}

#[tokio::test]
async fn r6_the_profile_lists_its_accounts_with_owner_address_debt_tariffs_and_requisites() {
    let s = start_at(window_day()).await;
    let token = s.token("ivanova", "Ivanova-2026").await;
    let (status, accounts) = s.get("/accounts", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let accounts = accounts.as_array().unwrap();
    assert_eq!(accounts.len(), 2, "her own and her father's (R19)");
    assert_eq!(
        (accounts[0]["own"].as_bool(), accounts[1]["own"].as_bool()),
        (Some(true), Some(false))
    );
    let number = accounts[0]["number"].as_str().unwrap();
    let (_, documents) = s.get(&format!("/accounts/{number}/documents"), Some(&token)).await;
    let latest = &documents[0];
    assert_eq!(documents.as_array().unwrap().len(), 14);
    let balance = &accounts[0]["balance"];
    assert_eq!(balance["document_period"], latest["period"]);
    assert_eq!(dec(&balance["debt"]), dec(&latest["to_pay"]) - dec(&balance["paid_since"]));

    let (status, details) = s.get(&format!("/accounts/{number}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(details["account"]["number"], number);
    assert!(details["account"]["address"].as_str().unwrap().starts_with("г. Курган"));
    assert!(details["account"]["owner"]["last"].is_string());
    let services = details["services"].as_array().unwrap();
    let electricity = services.iter().find(|s| s["service"]["code"] == "electricity").unwrap();
    let zones: Vec<&str> = electricity["tariffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["zone"].as_str().unwrap())
        .collect();
    assert!(zones.contains(&"day") && zones.contains(&"night"), "{zones:?}");
    let supplier = &details["suppliers"][0];
    assert_eq!(supplier["inn"], "7705260681");
    for field in ["kpp", "bank_name", "bic", "settlement_account", "correspondent_account"] {
        assert!(!supplier[field].as_str().unwrap().is_empty(), "{field}");
    }

    let someone_else = "450001000085";
    let (status, error) = s.get(&format!("/accounts/{someone_else}"), Some(&token)).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    assert_eq!(s.get("/accounts", None).await.0, StatusCode::UNAUTHORIZED);
}

/// Columns 6 and 8 recomputed here, independently of the core: 6 = 2 × 5 to the kopeck (half
/// away from zero), 8 = 3 − 4 + 6 + 7; totals are the column sums.
fn assert_r7(document: &Value) {
    let mut sums = [Decimal::ZERO; 5];
    for line in document["lines"].as_array().unwrap() {
        let charged = (dec(&line["tariff"]) * dec(&line["volume"]))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(dec(&line["charged"]), charged, "column 6 of {line}");
        let to_pay =
            dec(&line["debt"]) - dec(&line["paid"]) + charged + dec(&line["recalculation"]);
        assert_eq!(dec(&line["to_pay"]), to_pay, "column 8 of {line}");
        for (sum, field) in
            sums.iter_mut().zip(["debt", "paid", "charged", "recalculation", "to_pay"])
        {
            *sum += dec(&line[field]);
        }
    }
    let totals = &document["totals"];
    for (sum, field) in sums.iter().zip(["debt", "paid", "charged", "recalculation", "to_pay"]) {
        assert_eq!(dec(&totals[field]), *sum, "total {field}");
    }
    assert_eq!(dec(&totals["amount_due"]), sums[4].max(Decimal::ZERO));
}

#[tokio::test]
async fn r7_r8_every_document_of_the_demo_profiles_keeps_the_eight_columns_and_its_qr() {
    let s = start_at(window_day()).await;
    let mut checked = 0;
    for (login, password) in
        [("demo", "Demo-2026"), ("ivanova", "Ivanova-2026"), ("orenburg", "Orenburg-2026")]
    {
        let token = s.token(login, password).await;
        let (_, accounts) = s.get("/accounts", Some(&token)).await;
        for account in accounts.as_array().unwrap() {
            let number = account["number"].as_str().unwrap();
            let (_, periods) = s.get(&format!("/accounts/{number}/documents"), Some(&token)).await;
            for summary in periods.as_array().unwrap() {
                let period = summary["period"].as_str().unwrap();
                let (status, view) =
                    s.get(&format!("/accounts/{number}/documents/{period}"), Some(&token)).await;
                assert_eq!(status, StatusCode::OK);
                let document = &view["document"];
                assert_r7(document);
                assert_eq!(document["head"]["period"], period);
                let due = dec(&document["totals"]["amount_due"]);
                match view["payment_qr"].as_str() {
                    Some(qr) => {
                        assert!(qr.starts_with("ST00011|Name=АО «ЭК «Восток»|"), "{qr}");
                        assert!(qr.chars().count() <= 300, "a bank app reads it: {qr}");
                        let kopecks = (due * Decimal::from(100)).normalize().to_string();
                        assert!(qr.contains(&format!("|Sum={kopecks}|")), "{qr} for {due}");
                        assert!(qr.contains(&format!("|PersAcc={number}")), "{qr}");
                    }
                    None => assert_eq!(due, Decimal::ZERO),
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 14 * 4);
}

#[tokio::test]
async fn r8_a_document_shows_the_readings_it_used_and_which_amounts_may_be_edited() {
    let s = start_at(window_day()).await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();
    let (status, view) =
        s.get(&format!("/accounts/{number}/documents/2026-10"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let editable: Vec<&str> =
        view["editable_services"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(
        editable.contains(&"cold_water") && !editable.contains(&"electricity.day"),
        "{editable:?}"
    );
    let used = view["meter_readings"].as_array().unwrap();
    assert!(used.iter().any(|r| r["zone"] == "night"), "the two-zone meter's night zone");
    for reading in used {
        assert_eq!(
            dec(&reading["consumption"]),
            dec(&reading["current"]) - dec(&reading["previous"])
        );
        let code = match reading["zone"].as_str().unwrap() {
            "single" => reading["meter_id"].as_str().map(|_| None).unwrap(),
            zone => Some(zone.to_owned()),
        };
        let line = view["document"]["lines"].as_array().unwrap().iter().find(|l| {
            let c = l["service_code"].as_str().unwrap();
            match &code {
                Some(zone) => c.ends_with(&format!(".{zone}")),
                None => !c.contains('.') && c != "heating" && c != "waste",
            }
        });
        assert!(line.is_some(), "a line billed from {reading}");
    }
    let (status, error) =
        s.get(&format!("/accounts/{number}/documents/2019-01"), Some(&token)).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, error) =
        s.get(&format!("/accounts/{number}/documents/2026-13"), Some(&token)).await;
    assert_eq!((status, error["field"].as_str()), (StatusCode::BAD_REQUEST, Some("period")));
}

#[tokio::test]
async fn r8_emailing_a_document_is_queued_once_per_idempotency_key() {
    let s = start_at(window_day()).await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();
    let path = format!("/accounts/{number}/documents/2026-10/email");
    let (status, queued) = s.post_once(&path, &token, "email-key-0001", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{queued}");
    assert_eq!(queued["sent_to"], "demo@example.ru");
    let (status, again) = s.post_once(&path, &token, "email-key-0001", json!({})).await;
    assert_eq!((status, &again), (StatusCode::OK, &queued));
    let (_, outbox) = s.get("/demo/outbox?recipient=demo%40example.ru", None).await;
    let documents: Vec<&Value> = outbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["subject"] == "Платёжный документ за октябрь 2026")
        .collect();
    assert_eq!(documents.len(), 1, "one e-mail for two tries");
    assert!(documents[0]["body"].as_str().unwrap().contains(number));
    assert_eq!(
        documents[0]["attachment"],
        format!("epd-{number}-2026-10.pdf"),
        "the PDF goes along"
    );

    let (status, error) =
        s.post_once(&path, &token, "email-key-0001", json!({ "email": "other@example.ru" })).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused"))
    );
    let (status, error) = s.post(&path, Some(&token), json!({})).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("idempotency_key_missing"))
    );
    let (status, queued) =
        s.post_once(&path, &token, "email-key-0002", json!({ "email": "son@example.ru" })).await;
    assert_eq!((status, queued["sent_to"].as_str()), (StatusCode::OK, Some("son@example.ru")));
    let (status, error) =
        s.post_once(&path, &token, "email-key-0003", json!({ "email": "not an address" })).await;
    assert_eq!((status, error["field"].as_str()), (StatusCode::BAD_REQUEST, Some("email")));
}

#[tokio::test]
async fn r13_r14_payment_and_charge_history() {
    let s = start_at(window_day()).await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();

    let (status, history) = s
        .get(
            &format!("/accounts/{number}/reports/payments?from=2026-01-01&to=2026-06-30"),
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let payments = history["payments"].as_array().unwrap();
    assert!(!payments.is_empty());
    let mut sum = Decimal::ZERO;
    for p in payments {
        let day = &p["created_at"].as_str().unwrap()[..10];
        assert!(("2025-12-31".."2026-07-01").contains(&day), "{day}");
        let receipt = &p["receipt"];
        assert!(receipt["place"].as_str().unwrap().starts_with("https://"));
        assert_eq!(dec(&receipt["total"]), dec(&p["allocation"]["total"]));
        sum += dec(&p["allocation"]["total"]);
    }
    assert_eq!(dec(&history["total_paid"]), sum);
    let (status, error) = s
        .get(
            &format!("/accounts/{number}/reports/payments?from=2026-07-01&to=2026-01-01"),
            Some(&token),
        )
        .await;
    assert_eq!((status, error["field"].as_str()), (StatusCode::BAD_REQUEST, Some("from")));
    let (status, error) =
        s.get(&format!("/accounts/{number}/reports/payments?from=yesterday"), Some(&token)).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"))
    );

    let (_, charges) = s.get(&format!("/accounts/{number}/reports/charges"), Some(&token)).await;
    let months = charges["months"].as_array().unwrap();
    let periods: Vec<&str> = months.iter().map(|m| m["period"].as_str().unwrap()).collect();
    assert_eq!(periods, ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]);
    for month in months {
        assert_r7(month);
    }
    let (_, all) =
        s.get(&format!("/accounts/{number}/reports/charges?months=24"), Some(&token)).await;
    assert_eq!(all["months"].as_array().unwrap().len(), 14, "as many as there are");
    let (status, _) =
        s.get(&format!("/accounts/{number}/reports/charges?months=0"), Some(&token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn r15_readings_report_individual_or_common_house() {
    let s = start_at(window_day()).await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();
    let path = |kind: &str| {
        format!("/accounts/{number}/reports/readings?kind={kind}&from=2026-08&to=2026-10")
    };

    let (status, individual) = s.get(&path("individual"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{individual}");
    let rows = individual["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4 * 3, "four meters, three months");
    for row in rows {
        assert!(row["meter_id"].as_str().unwrap().starts_with(number));
        assert!(("2026-08"..="2026-10").contains(&row["period"].as_str().unwrap()));
        assert_eq!(
            row["consumption"].as_array().unwrap().len(),
            row["values"].as_array().unwrap().len()
        );
    }
    let (_, common) = s.get(&path("common_house"), Some(&token)).await;
    let rows = common["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3 * 3, "the building's three meters");
    assert!(
        rows.iter().all(|r| r["meter_id"].as_str().unwrap().starts_with("odpu-")
            && r["source"] == "meter_reader")
    );
    let (status, error) = s.get(&path("neighbours"), Some(&token)).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"))
    );
}
