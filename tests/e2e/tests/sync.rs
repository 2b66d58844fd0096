//! Lossless sync: readings made offline survive a killed app and a restarted server and are
//! accepted exactly once; a retry after the server committed but the answer was lost does not
//! double anything.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lk_core::api::ErrorCode;
use lk_core::client::{Lk, OutboxState};
use lk_core::period::Period;
use lk_core::readings::ZoneInput;
use lk_e2e::{Scratch, device, loopback, start_service};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn zone_code(zone: lk_core::service::TariffZone) -> String {
    serde_json::to_value(zone).unwrap().as_str().unwrap().to_owned()
}

async fn november_rows(lk: &Lk, number: &str) -> usize {
    let november = Period::new(2026, 11).unwrap();
    let report = lk
        .reports()
        .readings(number, lk_core::meter::MeterScope::Individual, november, november)
        .await
        .unwrap();
    report.value.rows.len()
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

#[tokio::test]
async fn readings_made_offline_survive_a_killed_app_and_a_restarted_server_once_each() {
    let data = Scratch::new("server-data");
    let phone = Scratch::new("phone");
    let service = start_service(Some(data.dir()), loopback()).await;
    let (addr, url) = (service.running.addr, service.url());

    // Online once: signed in, meters in the store.
    let lk = device(&url, phone.dir());
    lk.session().sign_in("demo", "Demo-2026").await.unwrap();
    let number = lk.accounts().refresh().await.unwrap()[0].number.to_string();
    let meters = lk.readings().meters(&number).await.unwrap().value;
    let args: Vec<String> = meters
        .meters
        .iter()
        .filter(|m| !m.verification_expired && m.meter.kind != lk_core::meter::MeterKind::HotWater)
        .chain(meters.meters.iter().filter(|m| m.meter.kind == lk_core::meter::MeterKind::HotWater))
        .take(3)
        .map(|m| {
            let values: Vec<String> = m
                .start
                .as_ref()
                .unwrap()
                .values
                .iter()
                .map(|v| format!("{}:{}", zone_code(v.zone), v.value + rust_decimal::Decimal::ONE))
                .collect();
            format!("{}={}", m.meter.id, values.join(","))
        })
        .collect();
    assert_eq!(args.len(), 3);
    drop(lk);

    // The server goes down; the resident submits three readings; the app is killed.
    service.running.stop().await.unwrap();
    let mut app = Command::new(env!("CARGO_BIN_EXE_lk-e2e-device"))
        .arg(&url)
        .arg(phone.dir())
        .arg(&number)
        .args(&args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(app.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "queued 3");
    app.kill().unwrap(); // SIGKILL: no chance to clean up
    app.wait().unwrap();

    // The server comes back on the same address with its data; the app starts again.
    let service = start_service(Some(data.dir()), addr).await;
    let lk = device(&service.url(), phone.dir());
    let queued = lk.readings().outbox();
    assert_eq!(queued.iter().filter(|i| i.state == OutboxState::Queued).count(), 3, "{queued:?}");
    assert_eq!(drain(&lk).await, 3);
    assert_eq!(drain(&lk).await, 0, "nothing is sent twice");
    assert_eq!(november_rows(&lk, &number).await, 3, "exactly three readings accepted");
    assert!(
        lk.readings()
            .outbox()
            .iter()
            .all(|i| i.result.as_deref().is_some_and(|r| r.contains("\"replaced_earlier\":false")))
    );
}

/// Reads one HTTP/1.1 message (head and a Content-Length body) from `stream`.
async fn read_message(stream: &mut tokio::io::BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut message = Vec::new();
    loop {
        let mut line = Vec::new();
        if stream.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        message.extend_from_slice(&line);
        if line == b"\r\n" {
            break;
        }
    }
    let head = String::from_utf8_lossy(&message).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    message.extend_from_slice(&body);
    Some(message)
}

/// A proxy in front of the service that, once, lets a reading through to the server and then
/// drops the connection before the answer reaches the phone: the server committed, the phone
/// does not know.
async fn flaky_proxy(upstream: std::net::SocketAddr, dropped: Arc<AtomicBool>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let (client, _) = listener.accept().await.unwrap();
            let dropped = dropped.clone();
            tokio::spawn(async move {
                let mut client = tokio::io::BufReader::new(client);
                while let Some(request) = read_message(&mut client).await {
                    let mut server =
                        tokio::io::BufReader::new(TcpStream::connect(upstream).await.unwrap());
                    server.get_mut().write_all(&request).await.unwrap();
                    let Some(answer) = read_message(&mut server).await else { return };
                    let is_reading = request.starts_with(b"POST ")
                        && String::from_utf8_lossy(&request[..request.len().min(200)])
                            .contains("/readings ");
                    if is_reading && !dropped.swap(true, Ordering::SeqCst) {
                        return; // the answer is lost with the connection
                    }
                    client.get_mut().write_all(&answer).await.unwrap();
                }
            });
        }
    });
    url
}

#[tokio::test]
async fn a_retry_after_the_server_committed_but_the_answer_was_lost_does_not_double() {
    let service = start_service(None, loopback()).await;
    let dropped = Arc::new(AtomicBool::new(false));
    let proxy = flaky_proxy(service.running.addr, dropped.clone()).await;
    let phone = Scratch::new("lost-answer");
    let lk = device(&proxy, phone.dir());
    lk.session().sign_in("orenburg", "Orenburg-2026").await.unwrap();
    let number = lk.accounts().refresh().await.unwrap()[0].number.to_string();
    let meters = lk.readings().meters(&number).await.unwrap().value;
    let gas =
        meters.meters.iter().find(|m| m.meter.kind == lk_core::meter::MeterKind::Gas).unwrap();
    let start = gas.start.as_ref().unwrap().values[0].value;
    let values = vec![ZoneInput {
        zone: lk_core::service::TariffZone::Single,
        text: (start + rust_decimal::Decimal::TEN).to_string(),
    }];
    lk.readings().submit(&number, &gas.meter.id, &values, &[], None, false).await.unwrap();
    assert_eq!(drain(&lk).await, 1);
    assert!(dropped.load(Ordering::SeqCst), "the first answer was lost");
    let item = &lk.readings().outbox()[0];
    assert_eq!(item.state, OutboxState::Sent);
    assert!(
        item.result.as_deref().unwrap().contains("\"replaced_earlier\":false"),
        "the server answered the first acceptance again"
    );
    assert_eq!(november_rows(&lk, &number).await, 1, "one reading, not two");
}

#[tokio::test]
async fn a_reading_with_a_photo_uploads_it_first_even_when_the_file_is_gone_by_then() {
    let service = start_service(None, loopback()).await;
    let phone = Scratch::new("photo");
    let lk = device(&service.url(), phone.dir());
    lk.session().sign_in("demo", "Demo-2026").await.unwrap();
    let number = lk.accounts().refresh().await.unwrap()[0].number.to_string();
    let meters = lk.readings().meters(&number).await.unwrap().value;
    let cold = meters
        .meters
        .iter()
        .find(|m| m.meter.kind == lk_core::meter::MeterKind::ColdWater)
        .unwrap();
    let start = cold.start.as_ref().unwrap().values[0].value;
    let values = vec![ZoneInput {
        zone: lk_core::service::TariffZone::Single,
        text: (start + rust_decimal::Decimal::ONE).to_string(),
    }];
    let photo = phone.path("dial.jpg");
    std::fs::write(&photo, [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[0u8; 2048]].concat()).unwrap();
    // Queued; the gallery's file is deleted before the outbox is sent.
    let item = lk
        .readings()
        .submit(&number, &cold.meter.id, &values, &[], Some(&photo), false)
        .await
        .unwrap();
    std::fs::remove_file(&photo).unwrap();
    assert!(item.has_photo, "the photo is in the store");
    assert_eq!(drain(&lk).await, 1);
    let sent = &lk.readings().outbox()[0];
    let result: serde_json::Value = serde_json::from_str(sent.result.as_deref().unwrap()).unwrap();
    assert!(result["reading"]["photo"].as_str().unwrap().starts_with("photo_"), "{result}");
    assert!(!sent.has_photo, "a sent photo is not kept on the device");
}

#[tokio::test]
async fn a_photo_that_is_missing_not_an_image_or_too_large_is_refused_at_once_in_russian() {
    let service = start_service(None, loopback()).await;
    let phone = Scratch::new("bad-photo");
    let lk = device(&service.url(), phone.dir());
    lk.session().sign_in("demo", "Demo-2026").await.unwrap();
    let number = lk.accounts().refresh().await.unwrap()[0].number.to_string();
    let values =
        vec![ZoneInput { zone: lk_core::service::TariffZone::Single, text: "1".to_owned() }];
    let text = phone.path("dial.jpg");
    std::fs::write(&text, "not a picture").unwrap();
    let big = phone.path("big.jpg");
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.resize(lk_core::client::PHOTO_MAX_BYTES + 1, 0);
    std::fs::write(&big, bytes).unwrap();
    for (path, says) in
        [(phone.path("gone.jpg"), "не найдено"), (text, "JPEG, PNG или HEIC"), (big, "больше 5 МБ")]
    {
        let error = lk
            .readings()
            .submit(&number, "any", &values, &[], Some(&path), false)
            .await
            .unwrap_err();
        assert_eq!((error.code(), error.field()), (ErrorCode::InvalidInput, Some("photo")));
        assert!(error.to_string().contains(says), "{error}");
    }
    assert!(lk.readings().outbox().is_empty(), "nothing was queued");
}
