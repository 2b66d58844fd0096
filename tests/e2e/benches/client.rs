//! Client benchmarks against the real service on loopback (`cargo bench -p lk-e2e`):
//! the cold start from the device store to the dashboard's data, and syncing 2,000 queued
//! readings. Prints one line per measurement.

use std::time::{Duration, Instant};

use lk_core::client::OutboxState;
use lk_core::readings::ZoneInput;
use lk_e2e::{Scratch, device, loopback, start_service};

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[samples.len() * 95 / 100];
    println!("{name}: median {median:?}, p95 {p95:?}, n = {}", samples.len());
}

#[tokio::main]
async fn main() {
    let service = start_service(None, loopback()).await;
    let url = service.url();
    let phone = Scratch::new("bench-phone");

    // Fill the store as a day of use would.
    let lk = device(&url, phone.dir());
    lk.session().sign_in("ivanova", "Ivanova-2026").await.expect("sign-in");
    for account in lk.accounts().refresh().await.expect("accounts") {
        let number = account.number.to_string();
        let documents = lk.charges().documents(&number).await.expect("documents").value;
        for d in documents.iter().take(3) {
            lk.charges().document(&number, d.period).await.expect("document");
        }
        lk.readings().meters(&number).await.expect("meters");
    }
    drop(lk);

    // Cold start: open the store, read the dashboard (accounts, latest document of each).
    let mut samples = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let lk = device(&url, phone.dir());
        let accounts = lk.accounts().cached();
        assert_eq!(accounts.len(), 2);
        samples.push(started.elapsed());
    }
    summary("cold start to dashboard (store open + accounts)", samples);

    // 2,000 readings queued offline, then synced in order.
    let lk = device(&url, phone.dir());
    let number = lk.accounts().cached()[0].number.to_string();
    let meters = lk.readings().meters(&number).await.expect("meters").value;
    let usable: Vec<_> = meters.meters.iter().filter(|m| !m.verification_expired).collect();
    let queue_started = Instant::now();
    for i in 0..2000 {
        let meter = usable[i % usable.len()];
        let values: Vec<ZoneInput> = meter
            .start
            .as_ref()
            .expect("start")
            .values
            .iter()
            .map(|v| ZoneInput {
                zone: v.zone,
                text: (v.value + rust_decimal::Decimal::ONE).to_string(),
            })
            .collect();
        lk.readings()
            .submit(&number, &meter.meter.id, &values, &[], None, false)
            .await
            .expect("queued");
    }
    let queued = queue_started.elapsed();
    let started = Instant::now();
    let mut sent = 0;
    while lk.readings().outbox().iter().any(|i| i.state == OutboxState::Queued) {
        sent += lk.sync_now().await.expect("sync").sent;
    }
    let elapsed = started.elapsed();
    assert_eq!(sent, 2000);
    println!("queue 2000 readings: {queued:?} ({:?} each)", queued / 2000);
    println!(
        "sync 2000 queued readings: {elapsed:?} ({:.0} readings/s)",
        2000.0 / elapsed.as_secs_f64()
    );
}
