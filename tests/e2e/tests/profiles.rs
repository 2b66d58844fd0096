//! A phone shared by residents: what one of them queued is theirs alone. It is sent with their
//! own session when they are back, or discarded if they chose so at sign-out; another resident
//! signed in on the same phone never sees it nor sends it. And every refused item can be sent
//! again, corrected or dismissed.

use std::time::Duration;

use lk_core::api::{ErrorCode, MeterView};
use lk_core::client::{Lk, OutboxState, UnsentActions, sign_out_warning};
use lk_core::meter::{MeterKind, MeterScope};
use lk_core::period::Period;
use lk_core::readings::{OcrCandidate, ZoneInput};
use lk_core::service::TariffZone;
use lk_e2e::{Scratch, device, loopback, start_service};
use rust_decimal::Decimal;

async fn november_readings(lk: &Lk, number: &str) -> Vec<serde_json::Value> {
    let november = Period::new(2026, 11).unwrap();
    let report =
        lk.reports().readings(number, MeterScope::Individual, november, november).await.unwrap();
    report.value.rows.iter().map(|r| serde_json::to_value(r).unwrap()).collect()
}

/// Syncs until nothing is queued (backoff may hold items for a moment).
async fn drain(lk: &Lk) -> usize {
    let mut sent = 0;
    for _ in 0..100 {
        lk.network_available().unwrap();
        sent += lk.sync_now().await.unwrap().sent;
        if lk.readings().outbox().iter().all(|i| i.state != OutboxState::Queued) {
            return sent;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox did not drain: {:?}", lk.readings().outbox());
}

fn single(value: Decimal) -> Vec<ZoneInput> {
    vec![ZoneInput { zone: TariffZone::Single, text: value.to_string() }]
}

fn start(meter: &MeterView) -> Decimal {
    meter.start.as_ref().unwrap().values[0].value
}

/// Signs `login` in on the device and answers the first account and its meter of `kind`.
async fn signed_in(lk: &Lk, login: &str, password: &str, kind: MeterKind) -> (String, MeterView) {
    lk.session().sign_in(login, password).await.unwrap();
    let number = lk.accounts().refresh().await.unwrap()[0].number.to_string();
    let meters = lk.readings().meters(&number).await.unwrap().value;
    let meter = meters.meters.into_iter().find(|m| m.meter.kind == kind).unwrap();
    (number, meter)
}

const JPEG: [u8; 8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'];

#[tokio::test]
async fn a_reading_queued_offline_is_kept_at_sign_out_hidden_from_the_next_resident_and_sent_when_its_owner_is_back()
 {
    let data = Scratch::new("shared-phone-data");
    let phone = Scratch::new("shared-phone");
    let service = start_service(Some(data.dir()), loopback()).await;
    let addr = service.running.addr;
    let lk = device(&service.url(), phone.dir());
    let (number, cold) = signed_in(&lk, "demo", "Demo-2026", MeterKind::ColdWater).await;

    // The service goes away; the resident reads the dial, with a photo, and signs out.
    service.running.stop().await.unwrap();
    let photo = phone.path("dial.jpg");
    std::fs::write(&photo, JPEG).unwrap();
    let values = single(start(&cold) + Decimal::ONE);
    let queued = lk
        .readings()
        .submit(&number, &cold.meter.id, &values, &[], Some(&photo), false)
        .await
        .unwrap();
    assert_eq!(lk.sync_now().await.unwrap().sent, 0);
    assert_eq!(lk.session().unsent().unwrap(), 1);
    let warning = sign_out_warning(lk.session().unsent().unwrap()).unwrap();
    assert!(warning.starts_with("1 запись"), "{warning}");
    assert_eq!(lk.session().sign_out(UnsentActions::KeepForNextSignIn).await.unwrap(), 1);
    assert!(lk.readings().outbox().is_empty(), "nobody is signed in: nothing is shown");

    // The service is back; another resident signs in on the same phone.
    let service = start_service(Some(data.dir()), addr).await;
    let (petrov_number, _) =
        signed_in(&lk, "petrov", "Petrov-2026", MeterKind::ElectricityThreeZone).await;
    assert!(lk.readings().outbox().is_empty(), "petrov does not see demo's reading");
    assert_eq!(lk.session().unsent().unwrap(), 0);
    assert_eq!(drain(&lk).await, 0, "nor does the phone send it with petrov's session");
    for refused in [lk.readings().retry(queued.id), lk.readings().dismiss(queued.id)] {
        let refused = refused.unwrap_err();
        assert_eq!(refused.code(), ErrorCode::InvalidInput, "nor can petrov act on it");
        assert_eq!(refused.to_string(), "Нет такой записи", "nor learn that it exists");
    }
    assert!(november_readings(&lk, &petrov_number).await.is_empty());
    assert_eq!(lk.session().sign_out(UnsentActions::Discard).await.unwrap(), 0);

    // The owner signs in again: the reading goes with her session, the photo with it, once.
    lk.session().sign_in("demo", "Demo-2026").await.unwrap();
    std::fs::remove_file(&photo).unwrap();
    let mine = lk.readings().outbox();
    assert_eq!(
        mine.iter().map(|i| (i.id, i.state)).collect::<Vec<_>>(),
        [(queued.id, OutboxState::Queued)]
    );
    assert_eq!(drain(&lk).await, 1);
    let rows = november_readings(&lk, &number).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let sent = &lk.readings().outbox()[0];
    let result: serde_json::Value = serde_json::from_str(sent.result.as_deref().unwrap()).unwrap();
    assert!(result["reading"]["photo"].as_str().unwrap().starts_with("photo_"), "{result}");
    drop(service);
}

#[tokio::test]
async fn unsent_items_discarded_at_sign_out_are_gone_and_never_sent() {
    let data = Scratch::new("discard-data");
    let phone = Scratch::new("discard-phone");
    let service = start_service(Some(data.dir()), loopback()).await;
    let addr = service.running.addr;
    let lk = device(&service.url(), phone.dir());
    let (number, gas) = signed_in(&lk, "orenburg", "Orenburg-2026", MeterKind::Gas).await;
    service.running.stop().await.unwrap();
    lk.readings()
        .submit(&number, &gas.meter.id, &single(start(&gas) + Decimal::TEN), &[], None, false)
        .await
        .unwrap();
    lk.readings()
        .submit(&number, &gas.meter.id, &single(start(&gas) + Decimal::ONE), &[], None, false)
        .await
        .unwrap();
    let warning = sign_out_warning(lk.session().unsent().unwrap()).unwrap();
    assert!(warning.starts_with("2 записи") && warning.contains("удалить"), "{warning}");
    assert_eq!(lk.session().sign_out(UnsentActions::Discard).await.unwrap(), 2);

    let _service = start_service(Some(data.dir()), addr).await;
    lk.session().sign_in("orenburg", "Orenburg-2026").await.unwrap();
    assert!(lk.readings().outbox().is_empty());
    assert_eq!(drain(&lk).await, 0);
    assert!(november_readings(&lk, &number).await.is_empty(), "nothing reached the service");
}

#[tokio::test]
async fn a_refused_reading_can_be_retried_corrected_with_a_new_value_or_dismissed() {
    let service = start_service(None, loopback()).await;
    let phone = Scratch::new("refused");
    let lk = device(&service.url(), phone.dir());
    let (number, cold) = signed_in(&lk, "demo", "Demo-2026", MeterKind::ColdWater).await;

    // Lower than the last accepted reading: refused, and again when simply retried.
    let lower = single(start(&cold) - Decimal::ONE);
    let item =
        lk.readings().submit(&number, &cold.meter.id, &lower, &[], None, false).await.unwrap();
    drain(&lk).await;
    let refused = lk.readings().outbox().into_iter().find(|i| i.id == item.id).unwrap();
    assert_eq!(refused.state, OutboxState::NeedsAction, "{refused:?}");
    lk.readings().retry(item.id).unwrap();
    drain(&lk).await;
    assert_eq!(lk.readings().outbox()[0].state, OutboxState::NeedsAction);
    assert_eq!(lk.readings().outbox()[0].idempotency_key, item.idempotency_key);

    // Corrected: a new action with a key of its own, accepted once.
    let right = single(start(&cold) + Decimal::TWO);
    lk.readings().correct(item.id, &right, &[]).unwrap();
    let corrected = lk.readings().outbox()[0].clone();
    assert_ne!(corrected.idempotency_key, item.idempotency_key);
    let shown = lk_core::wording::number(start(&cold) + Decimal::TWO);
    assert!(corrected.title.ends_with(&shown), "{}", corrected.title);
    assert_eq!(drain(&lk).await, 1);
    assert_eq!(november_readings(&lk, &number).await.len(), 1);
    let error = lk.readings().correct(item.id, &right, &[]).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput, "an accepted reading is not corrected");

    // Another refusal, given up: dismissed. A queued item cannot be.
    let again =
        lk.readings().submit(&number, &cold.meter.id, &lower, &[], None, false).await.unwrap();
    assert_eq!(lk.readings().dismiss(again.id).unwrap_err().code(), ErrorCode::InvalidInput);
    drain(&lk).await;
    lk.readings().dismiss(again.id).unwrap();
    assert!(lk.readings().outbox().iter().all(|i| i.id != again.id));
    let gone = lk.readings().dismiss(again.id).unwrap_err();
    assert_eq!(gone.to_string(), "Нет такой записи");
}

#[tokio::test]
async fn a_value_read_off_a_dial_photo_is_proposed_offline_by_the_stored_meter_and_sent_marked_as_recognised()
 {
    let data = Scratch::new("recognise-data");
    let phone = Scratch::new("recognise");
    let service = start_service(Some(data.dir()), loopback()).await;
    let addr = service.running.addr;
    let lk = device(&service.url(), phone.dir());
    let (number, cold) = signed_in(&lk, "demo", "Demo-2026", MeterKind::ColdWater).await;
    service.running.stop().await.unwrap();

    // Offline: the recogniser's texts judged by the meter as last seen.
    let value = start(&cold) + Decimal::ONE;
    let misread = value.to_string().replace('0', "O");
    let candidates = [
        OcrCandidate { text: "ХВС-2".to_owned(), confidence: 0.95 },
        OcrCandidate { text: misread, confidence: 0.9 },
        OcrCandidate { text: (start(&cold) - Decimal::ONE).to_string(), confidence: 0.99 },
    ];
    let proposed =
        lk.readings().recognise(&number, &cold.meter.id, TariffZone::Single, &candidates).unwrap();
    assert_eq!(proposed.first().map(|r| r.value), Some(value), "{proposed:?}");
    assert!(proposed.iter().all(|r| r.value != start(&cold) - Decimal::ONE), "lower: not proposed");
    let zone = lk.readings().recognise(&number, &cold.meter.id, TariffZone::Night, &candidates);
    assert_eq!(zone.unwrap_err().field(), Some("zone"));

    let photo = phone.path("dial.jpg");
    std::fs::write(&photo, JPEG).unwrap();
    lk.readings()
        .submit(&number, &cold.meter.id, &single(value), &[], Some(&photo), true)
        .await
        .unwrap();
    let _service = start_service(Some(data.dir()), addr).await;
    assert_eq!(drain(&lk).await, 1);
    let sent = &lk.readings().outbox()[0];
    let result: serde_json::Value = serde_json::from_str(sent.result.as_deref().unwrap()).unwrap();
    assert_eq!(result["reading"]["source"], "ocr", "{result}");
}
