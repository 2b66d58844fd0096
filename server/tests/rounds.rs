//! Meter readers' rounds against the real service (R24): who reaches a route, captures sent
//! twice, the photo a doubtful value needs, a resident's reading met by a reader's, the office's
//! review, the results for billing and the route sheet.

mod common;

use std::process::Command;

use common::{Server, start_at, window_day};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

async fn get_bytes(s: &Server, path: &str, token: &str) -> (StatusCode, Vec<u8>) {
    let response = s.http.get(format!("{}{path}", s.base)).bearer_auth(token).send().await.unwrap();
    (response.status(), response.bytes().await.unwrap().to_vec())
}

/// The stop and the route's meter with this id.
fn find_meter<'a>(round: &'a Value, meter_id: &str) -> (&'a Value, &'a Value) {
    let stops = round["stops"].as_array().unwrap();
    stops
        .iter()
        .find_map(|stop| {
            let meters = stop["meters"].as_array().unwrap();
            meters.iter().find(|m| m["meter"]["id"] == meter_id).map(|m| (stop, m))
        })
        .unwrap_or_else(|| panic!("{meter_id} not on the route"))
}

fn decimal(value: &Value) -> Decimal {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned).parse().unwrap()
}

fn reading(device_id: &str, stop: &Value, meter: &Value, text: &str, photos: &[&str]) -> Value {
    json!({
        "device_id": device_id,
        "stop_id": stop["id"],
        "meter_id": meter["meter"]["id"],
        "recorded": { "type": "reading", "serial": { "status": "confirmed" },
                      "values": [{ "zone": "single", "text": text }] },
        "taken_at": "2026-11-20T08:00:00Z",
        "position": { "latitude": "55.4408", "longitude": "65.3411", "accuracy_m": 12 },
        "photos": photos,
    })
}

#[tokio::test]
async fn r24_a_reader_sees_only_their_own_route_of_200_flats_in_walking_order_and_a_resident_none()
{
    let s = start_at(window_day()).await;
    let reader = s.token("reader1", "Reader1-2026").await;
    let (status, list) = s.get("/rounds", Some(&reader)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let rounds = list["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 1, "{list}");
    assert!(rounds[0]["stops"].as_u64().unwrap() >= 200, "{list}");
    let id = rounds[0]["id"].as_str().unwrap();
    let (status, round) = s.get(&format!("/rounds/{id}"), Some(&reader)).await;
    assert_eq!(status, StatusCode::OK);
    let stops = round["stops"].as_array().unwrap();
    assert!(stops.len() >= 200);
    let key = |stop: &Value| {
        (
            stop["building"].as_str().unwrap().to_owned(),
            stop["entrance"].as_u64().unwrap(),
            stop["flat"].as_str().unwrap().parse::<u64>().unwrap(),
        )
    };
    assert!(stops.windows(2).all(|w| key(&w[0]) < key(&w[1])), "building → entrance → flat");
    let meter = &stops[0]["meters"][0];
    assert!(meter["meter"]["serial"].is_string() && meter["meter"]["dial"].is_object());
    assert!(meter["previous"].is_object() && meter["previous_accepted_at"].is_string());
    assert!(!meter["expected"].as_array().unwrap().is_empty(), "{meter}");
    let owner = stops[0]["owner"].as_str().unwrap();
    assert!(owner.ends_with('.'), "masked: {owner}");

    // Another reader's route is not found; staff have no accounts to see.
    let other = if id == "R-1" { "R-2" } else { "R-1" };
    assert_eq!(s.get(&format!("/rounds/{other}"), Some(&reader)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(s.get("/accounts/450001000001", Some(&reader)).await.0, StatusCode::NOT_FOUND);

    // The profile says who signed in, so the apps show rounds or accounts.
    let (_, profile) = s.get("/profile", Some(&reader)).await;
    assert_eq!(profile["role"], "reader", "{profile}");
    let resident = s.token("demo", "Demo-2026").await;
    assert_eq!(s.get("/profile", Some(&resident)).await.1["role"], "resident");
    let (status, refused) = s.get("/rounds", Some(&resident)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["code"], "not_a_reader");
    assert_eq!(s.get(&format!("/rounds/{id}"), Some(&resident)).await.0, StatusCode::FORBIDDEN);
    let (status, refused) = s.get("/office/captures", Some(&reader)).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_office")));
}

#[tokio::test]
async fn r24_a_batch_sent_twice_is_taken_once_and_out_of_range_needs_a_photo() {
    let s = start_at(window_day()).await;
    let reader = s.token("reader2", "Reader2-2026").await;
    let (_, round) = s.get("/rounds/R-2", Some(&reader)).await;
    // A cold-water meter of a flat no resident has submitted for.
    let (stop, meter) = find_meter(&round, "450001000141-2");
    let range = &meter["expected"][0];
    let low = decimal(&range["low"]);
    let high = decimal(&range["high"]);
    assert!(high > low, "{range}");
    let inside = (low + Decimal::new(5, 1)).to_string();
    let batch = json!({ "captures": [reading("capture-0001", stop, meter, &inside, &[])] });
    let (status, first) = s.post("/rounds/R-2/captures", Some(&reader), batch.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["outcomes"][0]["status"], "accepted", "{first}");
    let (_, again) = s.post("/rounds/R-2/captures", Some(&reader), batch).await;
    assert_eq!(again, first, "the second sending changes nothing");
    // A phone sends batches of at most CaptureBatch::MAX; a larger one is refused whole.
    let many: Vec<Value> = (0..=lk_core::api::CaptureBatch::MAX)
        .map(|i| reading(&format!("capture-many-{i:04}"), stop, meter, &inside, &[]))
        .collect();
    let (status, too_many) =
        s.post("/rounds/R-2/captures", Some(&reader), json!({ "captures": many })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{too_many}");
    assert_eq!(too_many["field"], "captures", "{too_many}");
    assert!(too_many["message"].as_str().unwrap().ends_with("не больше 200"), "{too_many}");

    let above = (high + Decimal::from(50)).to_string();
    let bare = json!({ "captures": [reading("capture-0002", stop, meter, &above, &[])] });
    let (_, refused) = s.post("/rounds/R-2/captures", Some(&reader), bare).await;
    let outcome = &refused["outcomes"][0];
    assert_eq!(outcome["status"], "rejected", "{refused}");
    assert!(
        outcome["reasons"][0].as_str().unwrap().starts_with("Нужно фото счётчика"),
        "{outcome}"
    );
    let shot =
        json!({ "captures": [reading("capture-0003", stop, meter, &above, &["photo-0003"])] });
    let (_, flagged) = s.post("/rounds/R-2/captures", Some(&reader), shot).await;
    assert_eq!(flagged["outcomes"][0]["status"], "needs_review", "{flagged}");

    let (status, csv) = get_bytes(&s, "/rounds/R-2/results.csv", &reader).await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("Лицевой счёт;Адрес;Счётчик"), "{csv}");
    assert_eq!(lines.len(), 4, "a header and three captures, the one sent twice once: {csv}");
    assert!(lines[1].contains("450001000141") && lines[1].contains(";принято;"), "{csv}");
    assert!(lines[1].contains(&inside.replace('.', ",")), "{csv}");
}

#[tokio::test]
async fn r24_a_readers_reading_meeting_a_residents_is_kept_beside_it_and_the_office_decides() {
    let s = start_at(window_day()).await;
    let resident = s.token("demo", "Demo-2026").await;
    let (_, meters) = s.get("/accounts/450001000001/meters", Some(&resident)).await;
    let cold = meters["meters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["meter"]["id"] == "450001000001-2")
        .unwrap();
    let start = decimal(&cold["start"]["values"][0]["value"]);
    let typed = (start + Decimal::from(3)).to_string();
    let (status, accepted) = s
        .post_once(
            "/accounts/450001000001/meters/450001000001-2/readings",
            &resident,
            "resident-reading-1",
            json!({ "values": [{ "zone": "single", "text": typed }] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");

    let reader = s.token("reader2", "Reader2-2026").await;
    let (_, round) = s.get("/rounds/R-2", Some(&reader)).await;
    let (stop, meter) = find_meter(&round, "450001000001-2");
    let seen = (start + Decimal::from(4)).to_string();
    let batch = json!({ "captures": [reading("capture-conflict", stop, meter, &seen, &[])] });
    let (_, outcome) = s.post("/rounds/R-2/captures", Some(&reader), batch).await;
    let outcome = &outcome["outcomes"][0];
    assert_eq!(outcome["status"], "needs_review", "{outcome}");
    assert!(outcome["reasons"][0].as_str().unwrap().contains("показания жильца"), "{outcome}");

    // The resident's reading still stands.
    let (_, meters) = s.get("/accounts/450001000001/meters", Some(&resident)).await;
    let cold = meters["meters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["meter"]["id"] == "450001000001-2")
        .unwrap();
    assert_eq!(decimal(&cold["current"]["values"][0]["value"]), start + Decimal::from(3));

    let office = s.token("office", "Office-2026").await;
    let (status, flagged) = s.get("/office/captures", Some(&office)).await;
    assert_eq!(status, StatusCode::OK, "{flagged}");
    let item = flagged["captures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["capture"]["device_id"] == "capture-conflict")
        .unwrap();
    assert_eq!(item["resident_reading"]["source"], "resident", "{item}");
    assert_eq!(item["reader"], "reader2");

    let path = "/office/captures/capture-conflict/resolution";
    let (status, refused) = s.post(path, Some(&office), json!({ "accept": false })).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason_required"))
    );
    assert_eq!(
        s.post(path, Some(&reader), json!({ "accept": true })).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, resolved) = s.post(path, Some(&office), json!({ "accept": true })).await;
    assert_eq!(
        (status, resolved["status"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{resolved}"
    );
    let (status, again) = s.post(path, Some(&office), json!({ "accept": true })).await;
    assert_eq!((status, again["code"].as_str()), (StatusCode::CONFLICT, Some("already_resolved")));

    // The reader's reading is the period's now; the resident's stays in the history.
    let (_, meters) = s.get("/accounts/450001000001/meters", Some(&resident)).await;
    let cold = meters["meters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["meter"]["id"] == "450001000001-2")
        .unwrap();
    assert_eq!(cold["current"]["source"], "meter_reader");
    // The reader's device sees the office's decision when it sends the capture again.
    let batch = json!({ "captures": [reading("capture-conflict", stop, meter, &seen, &[])] });
    let (_, outcome) = s.post("/rounds/R-2/captures", Some(&reader), batch).await;
    assert_eq!(outcome["outcomes"][0]["status"], "accepted");
}

fn text_of(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("lk-round-sheet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sheet.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out =
        Command::new("pdftotext").arg("-layout").arg(&file).arg("-").output().expect("pdftotext");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().replace('\u{a0}', " ")
}

#[tokio::test]
async fn r24_the_route_sheet_lists_every_meter_and_renders_byte_identical_twice() {
    let s = start_at(window_day()).await;
    let reader = s.token("reader1", "Reader1-2026").await;
    let (_, round) = s.get("/rounds/R-1", Some(&reader)).await;
    let (status, first) = get_bytes(&s, "/rounds/R-1/sheet.pdf", &reader).await;
    assert_eq!(status, StatusCode::OK);
    let (_, second) = get_bytes(&s, "/rounds/R-1/sheet.pdf", &reader).await;
    assert_eq!(first, second, "deterministic");
    let text = text_of(&first);
    assert!(text.contains("Обходной лист"), "{text}");
    let stops = round["stops"].as_array().unwrap();
    for stop in [&stops[0], &stops[stops.len() - 1]] {
        let serial = stop["meters"][0]["meter"]["serial"].as_str().unwrap();
        assert!(text.contains(serial), "{serial} missing");
    }
    let resident = s.token("demo", "Demo-2026").await;
    assert_eq!(get_bytes(&s, "/rounds/R-1/sheet.pdf", &resident).await.0, StatusCode::FORBIDDEN);
}

#[test]
fn r24_the_readme_lists_every_staff_login() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for (login, password, _, _) in lk_server::demo_rounds::STAFF_LOGINS {
        assert!(readme.contains(&format!("`{login}` / `{password}`")), "README lists {login}");
    }
}

/// R24: what the device judges offline, from the route it downloaded, is what the service
/// answers when the capture arrives.
#[tokio::test]
async fn r24_the_devices_offline_judgement_from_the_downloaded_route_is_the_services() {
    use chrono::{DateTime, Utc};
    use lk_core::api::RoundView;
    use lk_core::readings::{CheckContext, ZoneInput};
    use lk_core::round::{Recorded, SerialCheck, judge};

    let s = start_at(window_day()).await;
    let reader = s.token("reader2", "Reader2-2026").await;
    let (_, round) = s.get("/rounds/R-2", Some(&reader)).await;
    let view: RoundView = serde_json::from_value(round.clone()).unwrap();
    let taken: DateTime<Utc> = "2026-11-20T08:00:00Z".parse().unwrap();
    let mut compared = 0;
    for (i, stop) in view.stops.iter().take(12).enumerate() {
        let meter = &stop.meters[0];
        let Some(range) = meter.expected.first() else { continue };
        let tries = [
            range.low + Decimal::new(5, 1),
            range.high + Decimal::from(50),
            range.low - Decimal::from(500),
        ];
        for (j, value) in tries.iter().enumerate() {
            let text = value.to_string();
            let ctx = CheckContext::new(meter.meter.clone(), stop.region, &meter.history, taken);
            let recorded = Recorded::Reading {
                serial: SerialCheck::Confirmed,
                values: vec![ZoneInput { zone: range.zone, text: text.clone() }],
            };
            let device = judge(&ctx, &recorded, 0);
            let (stop_json, meter_json) = find_meter(&round, &meter.meter.id);
            let id = format!("parity-{i:03}-{j}");
            let batch = json!({ "captures": [reading(&id, stop_json, meter_json, &text, &[])] });
            let (_, answer) = s.post("/rounds/R-2/captures", Some(&reader), batch).await;
            let outcome = &answer["outcomes"][0];
            let reasons = outcome["reasons"].to_string();
            if reasons.contains("показания жильца") {
                continue;
            }
            assert_eq!(
                outcome["status"],
                serde_json::to_value(device.status).unwrap(),
                "{id}: {outcome}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 20, "{compared} compared");
}

#[tokio::test]
async fn r24_the_office_adds_and_cancels_stops_the_version_grows_and_captures_made_stay() {
    let s = start_at(window_day()).await;
    let office = s.token("office", "Office-2026").await;
    let reader = s.token("reader2", "Reader2-2026").await;
    let (_, round) = s.get("/rounds/R-2", Some(&reader)).await;
    let version = round["version"].as_u64().unwrap();
    let (stop, meter) = find_meter(&round, "450001000141-2");
    let inside = (decimal(&meter["expected"][0]["low"]) + Decimal::new(5, 1)).to_string();
    let batch = json!({ "captures": [reading("capture-before", stop, meter, &inside, &[])] });
    let (_, taken) = s.post("/rounds/R-2/captures", Some(&reader), batch).await;
    assert_eq!(taken["outcomes"][0]["status"], "accepted", "{taken}");

    // A reader cannot change a route; the office cancels the stop already read.
    let cancel = format!("/office/rounds/R-2/stops/{}/cancellation", stop["id"].as_str().unwrap());
    let (status, refused) = s.post(&cancel, Some(&reader), json!({})).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_office")));
    let (status, changed) = s.post(&cancel, Some(&office), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["version"].as_u64(), Some(version + 1));
    let (_, again) = s.post(&cancel, Some(&office), json!({})).await;
    assert_eq!(again, changed, "cancelling again changes nothing");

    // A stop added: the demo resident's flat with its cold-water meter.
    let new_stop = json!({ "id": "extra-1", "account_number": "450001000001", "entrance": 1,
                           "flat": "12", "access_note": "Ключ у соседки", "meter_ids": ["450001000001-3"] });
    let (status, added) = s.post("/office/rounds/R-2/stops", Some(&office), new_stop.clone()).await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["version"].as_u64(), Some(version + 2));
    let (_, same) = s.post("/office/rounds/R-2/stops", Some(&office), new_stop.clone()).await;
    assert_eq!(same, added, "the same stop sent again changes nothing");
    let mut other = new_stop.clone();
    other["flat"] = json!("13");
    let (status, taken_id) = s.post("/office/rounds/R-2/stops", Some(&office), other).await;
    assert_eq!((status, taken_id["code"].as_str()), (StatusCode::CONFLICT, Some("stop_id_taken")));
    let mut foreign = new_stop;
    foreign["id"] = json!("extra-2");
    foreign["meter_ids"] = json!(["450001000002-1"]);
    let (status, wrong) = s.post("/office/rounds/R-2/stops", Some(&office), foreign).await;
    assert_eq!((status, wrong["field"].as_str()), (StatusCode::BAD_REQUEST, Some("meter_ids")));

    // The reader's next download: the new version, the cancelled stop kept with its capture,
    // the added stop last.
    let (_, merged) = s.get("/rounds/R-2", Some(&reader)).await;
    assert_eq!(merged["version"].as_u64(), Some(version + 2));
    let stops = merged["stops"].as_array().unwrap();
    let kept = stops.iter().find(|x| x["id"] == stop["id"]).unwrap();
    assert_eq!(kept["cancelled"], true);
    let last = stops.last().unwrap();
    assert_eq!(
        (last["id"].as_str(), last["access_note"].as_str()),
        (Some("extra-1"), Some("Ключ у соседки"))
    );
    assert_eq!(last["meters"][0]["meter"]["id"], "450001000001-3");
    let (_, list) = s.get("/rounds", Some(&reader)).await;
    assert!(list["rounds"][0]["captured"].as_u64().unwrap() >= 1, "the capture stays: {list}");
}
