//! A meter reader's round at scale (R24), against the real service on loopback
//! (`cargo bench -p lk-e2e --bench rounds`): a route of 2,000 stops downloaded (time and bytes),
//! 2,000 captures saved on the device (each a durable commit) with and without a 50 KB photo,
//! and their sync: readings alone, then readings with photos, so the photos' time shows apart.

use std::time::Instant;

use lk_core::api::{Capture, NewStop, RoundView};
use lk_core::client::{CaptureState, Lk, OutboxState};
use lk_core::readings::ZoneInput;
use lk_core::round::{Recorded, SerialCheck};
use lk_e2e::{Person, Scratch, device, loopback, start_service};
use serde_json::{Value, json};

const STOPS: usize = 2_000;
const PHOTO_BYTES: usize = 50 * 1024;

async fn token(person: &Person, login: &str, password: &str) -> String {
    let url = format!("{}/api/v1/sessions", person.base);
    let body = json!({ "login": login, "password": password });
    let answer: Value = person
        .http
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("sign-in")
        .json()
        .await
        .expect("json");
    answer["access_token"].as_str().expect("a token").to_owned()
}

/// Captures of every stop's first meter with an expected range, a little above its low end.
fn captures(route: &RoundView, taken_at: chrono::DateTime<chrono::Utc>) -> Vec<Capture> {
    route
        .stops
        .iter()
        .filter(|s| !s.cancelled)
        .filter_map(|s| {
            let m = s
                .meters
                .iter()
                .find(|m| m.expected.len() == 1 && m.expected[0].low < m.expected[0].high)?;
            let range = &m.expected[0];
            let value = range.low + rust_decimal::Decimal::new(5, 1);
            Some(Capture {
                device_id: String::new(),
                stop_id: s.id.clone(),
                meter_id: Some(m.meter.id.clone()),
                recorded: Recorded::Reading {
                    serial: SerialCheck::Confirmed,
                    values: vec![ZoneInput { zone: range.zone, text: value.to_string() }],
                },
                taken_at,
                position: None,
                photos: Vec::new(),
            })
        })
        .collect()
}

async fn drain(lk: &Lk) {
    while lk.readings().outbox().iter().any(|i| i.state == OutboxState::Queued) {
        lk.sync_now().await.expect("sync");
    }
}

/// Saves the captures (with the photo, if any) and syncs them; prints the rates.
async fn round_of(lk: &Lk, route: &RoundView, photo: Option<&std::path::Path>, what: &str) {
    let all = captures(route, lk.rounds().now());
    let started = Instant::now();
    for capture in all.iter().cloned() {
        lk.rounds().capture(&route.id, capture, photo).await.expect("saved");
    }
    let saved = started.elapsed();
    let started = Instant::now();
    drain(lk).await;
    let synced = started.elapsed();
    let journal = lk.rounds().journal(&route.id).expect("journal");
    let open =
        journal.iter().filter(|e| matches!(e.state, CaptureState::Saved | CaptureState::Rejected));
    assert_eq!(open.count(), 0, "every capture taken");
    println!(
        "{what}: {} captures saved in {saved:.2?} ({:.0} captures/s, durable), synced in {synced:.2?} ({:.0}/s)",
        all.len(),
        all.len() as f64 / saved.as_secs_f64(),
        all.len() as f64 / synced.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let data = Scratch::new("bench-rounds-server");
    let service = start_service(Some(data.dir()), loopback()).await;
    let url = service.url();
    let person = Person::new(&url);

    // The office grows R-2 to 2,000 stops: the demo's flats again, under new ids.
    let phone = Scratch::new("bench-rounds-phone");
    let lk = device(&url, phone.dir());
    lk.session().sign_in("reader2", "Reader2-2026").await.expect("sign-in");
    let demo = lk.rounds().download("R-2").await.expect("the demo route").value;
    let office = token(&person, "office", "Office-2026").await;
    for i in demo.stops.len()..STOPS {
        let stop = &demo.stops[i % demo.stops.len()];
        let meter_ids: Vec<String> = stop.meters.iter().map(|m| m.meter.id.clone()).collect();
        let account = meter_ids[0]
            .rsplit_once('-')
            .map(|(a, _)| a.to_owned())
            .expect("a meter id names its account");
        let body = NewStop {
            id: format!("bench-{i}"),
            account_number: account,
            entrance: stop.entrance,
            flat: format!("{}-{i}", stop.flat),
            access_note: String::new(),
            meter_ids,
        };
        let answer = person
            .http
            .post(format!("{url}/api/v1/office/rounds/R-2/stops"))
            .bearer_auth(&office)
            .json(&body)
            .send()
            .await
            .expect("a stop added");
        assert!(answer.status().is_success(), "{}", answer.text().await.unwrap_or_default());
    }

    let mut samples = Vec::new();
    let mut bytes = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let route = lk.rounds().download("R-2").await.expect("download").value;
        samples.push(started.elapsed());
        bytes = serde_json::to_vec(&route).expect("json").len();
        assert_eq!(route.stops.len(), STOPS);
    }
    samples.sort();
    println!(
        "download a route of {STOPS} stops: median {:.2?} (n = 5), {:.1} MiB of JSON",
        samples[2],
        bytes as f64 / 1_048_576.0
    );
    let route = lk.rounds().route("R-2").expect("kept");

    round_of(&lk, &route, None, "readings only").await;
    let photo = phone.path("dial.jpg");
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.resize(PHOTO_BYTES, 0x5A);
    std::fs::write(&photo, &jpeg).expect("a photo");
    round_of(&lk, &route, Some(&photo), "with a 50 KB photo each").await;
}
