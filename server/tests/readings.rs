//! Meters and readings over HTTP (R10–R12): check → confirm → accept for every meter kind,
//! with the rollover, the expired meter, resubmission and the region's window.

mod common;

use chrono::Duration;
use common::{Server, start_at, window_day};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

struct Resident {
    token: String,
    number: String,
}

async fn resident(s: &Server, login: &str, password: &str) -> Resident {
    let token = s.token(login, password).await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    Resident { number: accounts[0]["number"].as_str().unwrap().to_owned(), token }
}

async fn meters(s: &Server, r: &Resident) -> Value {
    let (status, view) = s.get(&format!("/accounts/{}/meters", r.number), Some(&r.token)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view
}

fn meter<'a>(view: &'a Value, kind: &str) -> &'a Value {
    view["meters"].as_array().unwrap().iter().find(|m| m["meter"]["kind"] == kind).unwrap()
}

/// The start-of-period value of each zone plus `add`, as typed.
fn values_after(m: &Value, add: &str) -> Value {
    let add: Decimal = add.parse().unwrap();
    let values: Vec<Value> = m["start"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let value: Decimal = v["value"].as_str().unwrap().parse().unwrap();
            json!({ "zone": v["zone"], "text": (value + add).to_string() })
        })
        .collect();
    Value::Array(values)
}

/// R15's individual readings of November 2026.
async fn november_report(s: &Server, r: &Resident) -> Value {
    let path =
        format!("/accounts/{}/reports/readings?kind=individual&from=2026-11&to=2026-11", r.number);
    s.get(&path, Some(&r.token)).await.1
}

fn codes(check: &Value) -> Vec<String> {
    check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn check_values(s: &Server, r: &Resident, m: &Value, values: &Value) -> Value {
    let id = m["meter"]["id"].as_str().unwrap();
    let path = format!("/accounts/{}/meters/{id}/readings/check", r.number);
    let (status, check) = s.post(&path, Some(&r.token), json!({ "values": values })).await;
    assert_eq!(status, StatusCode::OK, "{check}");
    check
}

async fn submit(
    s: &Server,
    r: &Resident,
    m: &Value,
    key: &str,
    values: &Value,
    confirmed: &[&str],
) -> (StatusCode, Value) {
    let id = m["meter"]["id"].as_str().unwrap();
    let path = format!("/accounts/{}/meters/{id}/readings", r.number);
    s.post_once(&path, &r.token, key, json!({ "values": values, "confirmed": confirmed })).await
}

#[tokio::test]
async fn r10_the_meters_screen_shows_zones_dials_verification_and_the_start_of_the_period() {
    let s = start_at(window_day()).await;
    let r = resident(&s, "demo", "Demo-2026").await;
    let view = meters(&s, &r).await;
    assert_eq!(
        (view["today"].as_str(), view["window_open"].as_bool()),
        (Some("2026-11-21"), Some(true))
    );
    assert_eq!(view["period"], "2026-11");
    assert_eq!(
        (view["window"]["first_day"].as_u64(), view["window"]["last_day"].as_u64()),
        (Some(15), Some(25))
    );
    let all = view["meters"].as_array().unwrap();
    assert_eq!(all.len(), 4);
    for m in all {
        assert!(m["start"]["taken_at"].as_str().unwrap().starts_with("2026-10"), "{m}");
        assert!(m["current"].is_null());
        let zones = m["start"]["values"].as_array().unwrap().len();
        assert_eq!(zones, if m["meter"]["kind"] == "electricity_two_zone" { 2 } else { 1 });
    }
    let electricity = meter(&view, "electricity_two_zone");
    assert_eq!(electricity["meter"]["dial"], json!({ "integer_digits": 6, "fraction_digits": 2 }));
    assert_eq!(meter(&view, "cold_water")["verification_due_soon"], true);
    assert_eq!(meter(&view, "gas")["verification_expired"], true);
    assert_eq!(meter(&view, "hot_water")["verification_expired"], false);
}

#[tokio::test]
async fn r11_r12_readings_of_every_meter_kind_go_through_check_confirm_accept() {
    let s = start_at(window_day()).await;
    let mut kinds = Vec::new();
    for (login, password) in [
        ("demo", "Demo-2026"),
        ("ivanova", "Ivanova-2026"),
        ("petrov", "Petrov-2026"),
        ("orenburg", "Orenburg-2026"),
    ] {
        let r = resident(&s, login, password).await;
        let view = meters(&s, &r).await;
        let mut submitted = 0;
        for m in view["meters"].as_array().unwrap() {
            if m["verification_expired"] == true {
                continue;
            }
            let kind = m["meter"]["kind"].as_str().unwrap().to_owned();
            let add = if kind == "heat" { "0.5" } else { "3" };
            let start: Decimal =
                m["start"]["values"][0]["value"].as_str().unwrap().parse().unwrap();
            if start > Decimal::from(99_990) {
                continue; // the meter about to roll over has a test of its own
            }
            let values = values_after(m, add);
            let check = check_values(&s, &r, m, &values).await;
            assert!(codes(&check).is_empty(), "{kind}: {check}");
            for zone in check["zones"].as_array().unwrap() {
                assert_eq!(
                    zone["consumption"].as_str().unwrap().parse::<Decimal>().unwrap(),
                    add.parse::<Decimal>().unwrap()
                );
            }
            let (status, accepted) =
                submit(&s, &r, m, &format!("{login}-{kind}-1"), &values, &[]).await;
            assert_eq!(status, StatusCode::OK, "{kind}: {accepted}");
            assert_eq!(accepted["message"], "Спасибо, Ваши показания приняты");
            assert_eq!(accepted["period"], "2026-11");
            assert_eq!(accepted["accepted_at"].as_str().unwrap()[..10], *"2026-11-21");
            assert_eq!(accepted["replaced_earlier"], false);
            kinds.push(kind);
            submitted += 1;
        }
        let after = meters(&s, &r).await;
        let current =
            after["meters"].as_array().unwrap().iter().filter(|m| !m["current"].is_null());
        assert_eq!(current.count(), submitted, "shown as this period's");
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "cold_water",
            "electricity_single",
            "electricity_three_zone",
            "electricity_two_zone",
            "gas",
            "heat",
            "hot_water"
        ]
    );
}

#[tokio::test]
async fn r12_a_rollover_needs_confirmation_and_counts_through_zero() {
    let s = start_at(window_day()).await;
    let r = resident(&s, "demo", "Demo-2026").await;
    let view = meters(&s, &r).await;
    let hot = meter(&view, "hot_water");
    let start: Decimal = hot["start"]["values"][0]["value"].as_str().unwrap().parse().unwrap();
    // Three cubic metres more take the five-drum dial past 99 999 to the start again.
    let wrapped = start + Decimal::from(3) - Decimal::from(100_000);
    assert!(wrapped >= Decimal::ZERO, "close enough to roll over: {start}");
    let values = json!([{ "zone": "single", "text": wrapped.to_string() }]);
    let check = check_values(&s, &r, hot, &values).await;
    assert_eq!(codes(&check), ["rollover"]);
    assert_eq!(
        check["zones"][0]["consumption"].as_str().unwrap().parse::<Decimal>().unwrap(),
        Decimal::from(3)
    );
    let (status, error) = submit(&s, &r, hot, "rollover-0001", &values, &[]).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::CONFLICT, Some("reading_not_confirmed"))
    );
    assert!(error["message"].as_str().unwrap().starts_with("Подтвердите"), "{error}");
    let (status, accepted) = submit(&s, &r, hot, "rollover-0001", &values, &["rollover"]).await;
    assert_eq!(status, StatusCode::OK, "the refusal did not use up the key: {accepted}");
    assert_eq!(
        accepted["reading"]["values"][0]["value"].as_str().unwrap().parse::<Decimal>().unwrap(),
        wrapped
    );
}

#[tokio::test]
async fn r12_an_expired_meter_and_bad_values_are_refused_with_the_reason() {
    let s = start_at(window_day()).await;
    let r = resident(&s, "demo", "Demo-2026").await;
    let view = meters(&s, &r).await;
    let gas = meter(&view, "gas");
    let values = values_after(gas, "10");
    let check = check_values(&s, &r, gas, &values).await;
    assert!(codes(&check).contains(&"verification_expired".to_owned()), "{check}");
    let (status, error) =
        submit(&s, &r, gas, "expired-0001", &values, &["verification_expired"]).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reading_refused"))
    );
    assert!(error["message"].as_str().unwrap().contains("поверк"), "{error}");

    let cold = meter(&view, "cold_water");
    let below = values_after(cold, "-5");
    assert!(
        codes(&check_values(&s, &r, cold, &below).await).contains(&"below_previous".to_owned())
    );
    let digits = json!([{ "zone": "single", "text": "123.4567" }]);
    assert_eq!(codes(&check_values(&s, &r, cold, &digits).await), ["too_many_fraction_digits"]);
    let (status, _) = submit(&s, &r, cold, "digits-0001", &digits, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let electricity = meter(&view, "electricity_two_zone");
    let one_zone = json!([{ "zone": "day", "text": "1" }]);
    assert!(
        codes(&check_values(&s, &r, electricity, &one_zone).await)
            .contains(&"zone_missing".to_owned())
    );
    let (status, error) = s
        .post(
            &format!("/accounts/{}/meters/someone-else-1/readings/check", r.number),
            Some(&r.token),
            json!({ "values": [] }),
        )
        .await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
}

#[tokio::test]
async fn r12_high_use_needs_a_second_confirmation_and_a_resubmission_replaces_the_first() {
    let s = start_at(window_day()).await;
    let r = resident(&s, "demo", "Demo-2026").await;
    let view = meters(&s, &r).await;
    let electricity = meter(&view, "electricity_two_zone");
    let huge = values_after(electricity, "9000");
    assert!(
        codes(&check_values(&s, &r, electricity, &huge).await)
            .contains(&"high_consumption".to_owned())
    );
    let (status, _) = submit(&s, &r, electricity, "high-0001", &huge, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, first) =
        submit(&s, &r, electricity, "high-0001", &huge, &["high_consumption"]).await;
    assert_eq!(status, StatusCode::OK, "{first}");

    // The resident sees the typo and sends the right values: they replace the first ones.
    let right = values_after(electricity, "150");
    assert_eq!(codes(&check_values(&s, &r, electricity, &right).await), ["replaces_earlier"]);
    let (status, second) = submit(&s, &r, electricity, "high-0002", &right, &[]).await;
    assert_eq!((status, second["replaced_earlier"].as_bool()), (StatusCode::OK, Some(true)));
    let after = meters(&s, &r).await;
    assert_eq!(meter(&after, "electricity_two_zone")["current"], second["reading"]);
    assert_eq!(
        meter(&after, "electricity_two_zone")["start"],
        electricity["start"],
        "the start stays"
    );
    let report = november_report(&s, &r).await;
    assert_eq!(report["rows"].as_array().unwrap().len(), 1, "only the accepted one counts");
    assert_eq!(report["rows"][0]["values"], second["reading"]["values"]);
}

#[tokio::test]
async fn a_repeated_idempotency_key_records_the_reading_once() {
    let s = start_at(window_day()).await;
    let r = resident(&s, "orenburg", "Orenburg-2026").await;
    let view = meters(&s, &r).await;
    let gas = meter(&view, "gas");
    let values = values_after(gas, "12.5");
    let (status, first) = submit(&s, &r, gas, "offline-7f3a-0001", &values, &[]).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    s.advance(Duration::minutes(5));
    let (status, again) = submit(&s, &r, gas, "offline-7f3a-0001", &values, &[]).await;
    assert_eq!((status, &again), (StatusCode::OK, &first), "the same answer, nothing new");
    assert_eq!(again["replaced_earlier"], false);
    let (status, error) =
        submit(&s, &r, gas, "offline-7f3a-0001", &values_after(gas, "13"), &[]).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused"))
    );
    let report = november_report(&s, &r).await;
    assert_eq!(report["rows"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn after_the_window_tyumen_refuses_and_kurgan_takes_the_reading_for_next_month() {
    let s = start_at(window_day()).await;
    s.advance(Duration::days(6)); // 27 November
    let petrov = resident(&s, "petrov", "Petrov-2026").await;
    let view = meters(&s, &petrov).await;
    assert_eq!((view["window_open"].as_bool(), view["period"].as_str()), (Some(false), None));
    let m = meter(&view, "electricity_three_zone");
    let values = values_after(m, "10");
    assert!(
        codes(&check_values(&s, &petrov, m, &values).await).contains(&"window_closed".to_owned())
    );
    let (status, _) = submit(&s, &petrov, m, "late-0001", &values, &["window_closed"]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let demo = resident(&s, "demo", "Demo-2026").await;
    let view = meters(&s, &demo).await;
    assert_eq!(view["period"], "2026-12");
    let cold = meter(&view, "cold_water");
    let values = values_after(cold, "4");
    assert_eq!(codes(&check_values(&s, &demo, cold, &values).await), ["outside_window"]);
    let (status, accepted) =
        submit(&s, &demo, cold, "late-0002", &values, &["outside_window"]).await;
    assert_eq!((status, accepted["period"].as_str()), (StatusCode::OK, Some("2026-12")));
}

#[tokio::test]
async fn a_reading_claiming_to_be_taken_in_1970_is_refused_and_a_fast_clock_is_corrected() {
    let s = start_at(window_day()).await;
    let r = resident(&s, "orenburg", "Orenburg-2026").await;
    let view = meters(&s, &r).await;
    let m = meter(&view, "gas");
    let id = m["meter"]["id"].as_str().unwrap();
    let path = format!("/accounts/{}/meters/{id}/readings", r.number);
    let body = |taken_at: &str| json!({ "values": values_after(m, "10"), "confirmed": [], "taken_at": taken_at });
    let (status, error) =
        s.post_once(&path, &r.token, "epoch-0001", body("1970-01-01T00:00:00Z")).await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("taken_at_out_of_period"), Some("taken_at"))
    );
    let (status, accepted) =
        s.post_once(&path, &r.token, "ahead-0001", body("2030-01-01T00:00:00Z")).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(
        accepted["reading"]["taken_at"], accepted["accepted_at"],
        "the service's time stands"
    );
}

#[tokio::test]
async fn r21_a_dial_photo_is_a_jpeg_png_or_heic_known_by_its_bytes() {
    let s = start_at(window_day()).await;
    let r = resident(&s, "orenburg", "Orenburg-2026").await;
    let put = |key: &str, media: &str, bytes: Vec<u8>| {
        s.http
            .put(format!("{}/photos/{key}", s.base))
            .bearer_auth(&r.token)
            .header("content-type", media.to_owned())
            .body(bytes)
            .send()
    };
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend([0u8; 64]);
    assert_eq!(put("photo-heic-0001", "image/heic", heic).await.unwrap().status(), StatusCode::OK);
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let refused = put("photo-png-0001", "image/jpeg", png).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "a PNG sent as a JPEG");
    let text = put("photo-txt-0001", "image/jpeg", b"hello".to_vec()).await.unwrap();
    let body: Value = text.json().await.unwrap();
    assert_eq!(body["code"], "invalid_photo");
}
