//! A meter reader's round through the core's client and the real service (R24): the route
//! downloaded, captures made offline and kept across a restart of the app, synced once each.

use std::time::Duration;

use lk_core::api::{Capture, RouteMeter, RouteStop};
use lk_core::client::{CaptureState, Command, Lk, OutboxState};
use lk_core::readings::ZoneInput;
use lk_core::round::{Recorded, SerialCheck, SkipReason};
use lk_e2e::{Person, Scratch, device, loopback, start_service};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// A capture of `meter` at `stop` as the reader's screen fills it in (the client makes its ids).
fn capture(stop: &RouteStop, meter: &RouteMeter, recorded: Recorded) -> Capture {
    Capture {
        device_id: String::new(),
        stop_id: stop.id.clone(),
        meter_id: Some(meter.meter.id.clone()),
        recorded,
        taken_at: "2026-11-20T08:00:00Z".parse().unwrap_or_default(),
        position: None,
        photos: Vec::new(),
    }
}

fn reading(meter: &RouteMeter, value: Decimal) -> Recorded {
    let zone = meter.expected[0].zone;
    Recorded::Reading {
        serial: SerialCheck::Confirmed,
        values: vec![ZoneInput { zone, text: value.to_string() }],
    }
}

/// Syncs until nothing is queued (backoff may hold items for a moment).
async fn drain(lk: &Lk) -> usize {
    let mut sent = 0;
    for _ in 0..100 {
        sent += lk.sync_now().await.unwrap().sent;
        if lk.readings().outbox().iter().all(|i| i.state != OutboxState::Queued) {
            return sent;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox did not drain: {:?}", lk.readings().outbox());
}

async fn get(person: &Person, path: &str, token: &str) -> String {
    let url = format!("{}/api/v1{path}", person.base);
    let answer = person.http.get(url).bearer_auth(token).send().await.unwrap();
    answer.text().await.unwrap()
}

async fn token(person: &Person, login: &str, password: &str) -> String {
    let url = format!("{}/api/v1/sessions", person.base);
    let body = json!({ "login": login, "password": password });
    let answer: Value =
        person.http.post(url).json(&body).send().await.unwrap().json().await.unwrap();
    answer["access_token"].as_str().unwrap().to_owned()
}

/// R24: a reader downloads R-2, captures ten stops with the service away (one with a photo of
/// an unusual value, one skipped), the app is closed and opened again, the service comes back:
/// every capture is taken exactly once, sending again changes nothing, the photo is there once.
#[tokio::test]
async fn r24_a_round_captured_offline_survives_a_restart_and_is_taken_once_with_its_photo() {
    let data = Scratch::new("rounds-server");
    let phone = Scratch::new("rounds-phone");
    let service = start_service(Some(data.dir()), loopback()).await;
    let (addr, url) = (service.running.addr, service.url());

    let lk = device(&url, phone.dir());
    lk.session().sign_in("reader2", "Reader2-2026").await.unwrap();
    let listed = lk.rounds().list().await.unwrap().value;
    assert!(listed.rounds.iter().any(|r| r.id == "R-2"), "{listed:?}");
    let route = lk.rounds().download("R-2").await.unwrap().value;
    service.running.stop().await.unwrap();

    // Offline: ten stops, each a meter with an expected range, from the end of the route (the
    // flats the demo's residents submit for come first).
    let stops: Vec<(&RouteStop, &RouteMeter)> = route
        .stops
        .iter()
        .rev()
        .filter(|s| !s.cancelled)
        .filter_map(|s| s.meters.iter().find(|m| m.expected.len() == 1).map(|m| (s, m)))
        .take(10)
        .collect();
    assert_eq!(stops.len(), 10);
    let photo = phone.path("dial.jpg");
    std::fs::write(&photo, [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[0; 64]].concat()).unwrap();
    for (i, (stop, meter)) in stops.iter().enumerate() {
        let range = &meter.expected[0];
        let made = match i {
            3 => {
                let fault = Recorded::Skip { reason: SkipReason::Faulty, note: String::new() };
                let refused = lk.rounds().capture("R-2", capture(stop, meter, fault), None).await;
                assert!(refused.is_err(), "a skip for a fault without a photo is refused");
                let skip = Recorded::Skip {
                    reason: SkipReason::NoAccess,
                    note: "Не открыли".into(),
                };
                lk.rounds().capture("R-2", capture(stop, meter, skip), None).await
            }
            5 => {
                let far = capture(stop, meter, reading(meter, range.high + Decimal::from(50)));
                let refused = lk.rounds().capture("R-2", far.clone(), None).await;
                assert!(refused.is_err(), "out of range without a photo is refused on the device");
                lk.rounds().capture("R-2", far, Some(&photo)).await
            }
            _ => {
                let inside = reading(meter, range.low + Decimal::new(5, 1));
                lk.rounds().capture("R-2", capture(stop, meter, inside), None).await
            }
        };
        made.unwrap();
    }
    let journal = lk.rounds().journal("R-2").unwrap();
    assert!(journal.iter().all(|e| e.state == CaptureState::Saved), "{journal:?}");
    let before = lk.rounds().progress("R-2").unwrap();
    assert_eq!((before.done, before.skipped), (9, 1), "{before:?}");
    drop(lk);

    // The app opens again on the same store; the service comes back with its data.
    let service = start_service(Some(data.dir()), addr).await;
    let lk = device(&service.url(), phone.dir());
    assert_eq!(lk.rounds().journal("R-2").unwrap().len(), 10, "kept across the restart");
    assert_eq!(drain(&lk).await, 10);
    assert_eq!(drain(&lk).await, 0, "nothing is sent twice");

    let journal = lk.rounds().journal("R-2").unwrap();
    let states: Vec<CaptureState> = journal.iter().map(|e| e.state).collect();
    let mut expected = vec![CaptureState::Accepted; 10];
    expected[5] = CaptureState::NeedsReview;
    assert_eq!(states, expected, "{journal:?}");
    assert_eq!(lk.rounds().progress("R-2").unwrap(), before);

    // Each capture sent again (as after a lost answer) gets the same outcome and adds nothing.
    let person = Person::new(&service.url());
    let reader = token(&person, "reader2", "Reader2-2026").await;
    for entry in &journal {
        let command =
            Command::RoundCapture { round_id: "R-2".into(), capture: entry.capture.clone() };
        let url = format!("{}/api/v1{}", person.base, command.target().path);
        let again: Value = person
            .http
            .post(url)
            .bearer_auth(&reader)
            .json(&command.body().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let state = serde_json::to_value(entry.state).unwrap();
        assert_eq!(again["outcomes"][0]["status"], state, "{again}");
    }
    let csv = get(&person, "/rounds/R-2/results.csv", &reader).await;
    assert_eq!(csv.lines().count(), 11, "a header and each capture once: {csv}");

    let office = token(&person, "office", "Office-2026").await;
    let flagged: Value = serde_json::from_str(&get(&person, "/office/captures", &office).await)
        .unwrap_or(Value::Null);
    let shot = &journal[5].capture;
    let ours: Vec<&Value> = flagged["captures"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["capture"]["device_id"] == shot.device_id.as_str())
        .collect();
    assert_eq!(ours.len(), 1, "{flagged}");
    assert_eq!(ours[0]["photos"].as_array().map(Vec::len), Some(1), "the photo once: {flagged}");
    assert_eq!(shot.photos.len(), 1);
}
