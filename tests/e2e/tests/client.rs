//! The core's client against the real LK service on a loopback port: every flow of the seed, the
//! store as the offline source of the screens, listeners.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lk_core::Money;
use lk_core::api::*;
use lk_core::client::{ClientError, OutboxState, UnsentActions};
use lk_core::meter::MeterScope;
use lk_core::payment::PaymentStatus;
use lk_core::period::Period;
use lk_core::readings::{FindingCode, ZoneInput};
use lk_e2e::{Person, Scratch, device, loopback, start_service};

const LOGIN: &str = "newresident";
const PASSWORD: &str = "Kurgan-2026a";
const PHONE: &str = "+79120000555";

fn plus(value: rust_decimal::Decimal, add: i64) -> String {
    (value + rust_decimal::Decimal::from(add)).to_string()
}

/// Every zone typed one unit above the meter's last accepted reading.
fn one_more_than_start(meter: &MeterView) -> Vec<ZoneInput> {
    let start = meter.start.as_ref().unwrap();
    start.values.iter().map(|v| ZoneInput { zone: v.zone, text: plus(v.value, 1) }).collect()
}

async fn paid(lk: &lk_core::client::Lk, id: &str) -> PaymentView {
    for _ in 0..50 {
        let view = lk.payments().resolve(id).await.unwrap();
        if view.payment.status.is_final() {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("payment {id} did not finish");
}

#[tokio::test]
async fn every_seed_flow_end_to_end_through_the_core_client() {
    let service = start_service(None, loopback()).await;
    let person = Person::new(&service.url());
    let dir = Scratch::new("flows");
    let lk = device(&service.url(), dir.dir());
    let session = lk.session();

    // R1–R3: registration with CAPTCHA, consent, account binding with the document's proof, code.
    let cities = session.cities().await.unwrap();
    assert!(cities.iter().any(|r| r.cities.iter().any(|c| c == "Курган")));
    let free = person.get("/demo/accounts").await;
    let number = free[0]["number"].as_str().unwrap().to_owned();
    let proof = free[0]["latest_document_total"].as_str().unwrap().to_owned();
    let captcha = session.captcha().await.unwrap();
    let answer = person.read_captcha(&captcha.id).await;
    let details = RegistrationDetails {
        login: LOGIN.into(),
        password: PASSWORD.into(),
        channel: Channel::Phone,
        contact: PHONE.into(),
        city: "Курган".into(),
    };
    let request = RegistrationRequest {
        details,
        captcha: CaptchaAnswer { id: captcha.id.clone(), answer },
        consent: Consent::given(),
    };
    let started = session.start_registration(&request).await.unwrap();
    assert_eq!(started.status, RegistrationStatus::AwaitingAccount);
    let wrong = session
        .bind_account(
            &started.id,
            &BindAccountRequest {
                account_number: number.clone(),
                latest_document_total: "1.00".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::AccountNotMatched, "{wrong:?}");
    let bound = session
        .bind_account(
            &started.id,
            &BindAccountRequest { account_number: number.clone(), latest_document_total: proof },
        )
        .await
        .unwrap();
    let preview = bound.account.unwrap();
    assert!(preview.owner_masked.contains('*'), "{preview:?}");
    let awaiting = session.confirm_account(&started.id).await.unwrap();
    assert_eq!(awaiting.status, RegistrationStatus::AwaitingCode);
    let code = person.code_sent_to(PHONE).await;
    let done = session.registration_code(&started.id, &code).await.unwrap();
    assert_eq!(done.status, RegistrationStatus::Completed);

    // R4 and R6: sign in, the accounts.
    let bad = session.sign_in(LOGIN, "Wrong-2026a").await.unwrap_err();
    assert!(matches!(bad, ClientError::Refused { status: 401, .. }), "{bad:?}");
    session.sign_in(LOGIN, PASSWORD).await.unwrap();
    assert!(session.is_signed_in());
    let accounts = lk.accounts().refresh().await.unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].number.as_str(), number);
    let details = lk.accounts().details(&number).await.unwrap().value;
    assert_eq!(details.suppliers[0].inn, "7705260681");

    // R7–R9: documents, the split as the person types, payment through the acquirer's page.
    let documents = lk.charges().documents(&number).await.unwrap().value;
    let period = documents[0].period;
    let view = lk.charges().document(&number, period).await.unwrap().value;
    let total = view.document.totals.amount_due.max(Money::from_kopecks(10_000));
    let preview = lk.charges().allocation_preview(&view, total, &[]).unwrap();
    assert_eq!(preview.parts.iter().map(|p| p.amount).sum::<Money>(), total);
    let started = lk
        .payments()
        .start(&PaymentRequest {
            account_number: number.parse().unwrap(),
            period,
            total,
            fixed: vec![],
            receipt_contact: lk_core::contact::Contact::Phone(PHONE.parse().unwrap()),
            return_url: "lk://payments/return".into(),
        })
        .await
        .unwrap();
    assert_eq!(started.payment.allocation, preview, "the server split it as the preview did");
    let url = started.confirmation_url.clone().unwrap();
    assert_eq!(
        person.pay_on_acquirer_page(&url, "2200 0000 0000 0004").await,
        "lk://payments/return"
    );
    let done = paid(&lk, &started.payment.id).await;
    assert_eq!(done.payment.status, PaymentStatus::Succeeded);
    assert_eq!(done.status_text, "Оплата выполнена успешно");
    assert_eq!(done.payment.receipt.as_ref().unwrap().total, total);
    assert!(lk.payments().resolve_pending().await.unwrap().is_empty(), "nothing left unknown");

    // R10–R12: a reading checked, confirmed and submitted through the outbox.
    let meters = lk.readings().meters(&number).await.unwrap().value;
    assert!(meters.window_open);
    let meter = meters.meters.iter().find(|m| !m.verification_expired).unwrap();
    let values = one_more_than_start(meter);
    let check = lk.readings().check(&number, &meter.meter.id, &values).await.unwrap();
    assert!(!check.is_refused(), "{check:?}");
    let item = lk
        .readings()
        .submit(&number, &meter.meter.id, &values, &check.to_confirm(), None, false)
        .await
        .unwrap();
    assert_eq!(item.state, OutboxState::Queued);
    let report = lk.sync_now().await.unwrap();
    assert_eq!((report.sent, report.needs_action), (1, 0));
    let sent = lk.readings().outbox().into_iter().find(|i| i.id == item.id).unwrap();
    assert_eq!(sent.state, OutboxState::Sent);
    assert!(sent.result.unwrap().contains("Спасибо, Ваши показания приняты"));

    // R13–R15: reports.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let history = lk
        .reports()
        .payments(&number, today - chrono::Duration::days(30), today)
        .await
        .unwrap()
        .value;
    assert!(history.payments.iter().any(|p| p.id == started.payment.id));
    assert_eq!(lk.reports().charges(&number, 6).await.unwrap().value.months.len(), 6);
    let november = Period::new(2026, 11).unwrap();
    let readings = lk
        .reports()
        .readings(&number, MeterScope::Individual, november, november)
        .await
        .unwrap()
        .value;
    assert_eq!(readings.rows.len(), 1);

    // R16–R18: settings, one of them through the outbox.
    let settings = NotificationSettings {
        reading_window: false,
        new_document: true,
        payment_result: true,
        receipt_by_email: false,
    };
    lk.settings().set_notifications(&settings).await.unwrap();
    assert_eq!(lk.sync_now().await.unwrap().sent, 1);
    let profile = lk.settings().profile().await.unwrap().value;
    assert_eq!(profile.notifications, settings);
    assert_eq!(profile.phone.as_deref(), Some(PHONE));

    // Sign-out, then R5: recovery by phone, and sign-in with the new password.
    session.sign_out(UnsentActions::KeepForNextSignIn).await.unwrap();
    assert!(!session.is_signed_in());
    assert!(lk.accounts().cached().is_empty(), "nothing of the profile stays cached");
    let refused = lk.accounts().refresh().await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::SessionExpired);
    let captcha = session.captcha().await.unwrap();
    let answer = person.read_captcha(&captcha.id).await;
    let recovery = session
        .start_recovery(&RecoveryRequest {
            channel: Channel::Phone,
            contact: PHONE.into(),
            captcha: CaptchaAnswer { id: captcha.id, answer },
        })
        .await
        .unwrap();
    let code = person.code_sent_to(PHONE).await;
    let logins = session.recovery_code(&recovery.id, &code).await.unwrap();
    assert_eq!(logins.logins, [LOGIN]);
    let new_password = NewPasswordRequest {
        login: LOGIN.into(),
        password: "Tobolsk-2027b".into(),
        password_repeat: "Tobolsk-2027b".into(),
    };
    session.recovery_password(&recovery.id, &new_password).await.unwrap();
    session.sign_in(LOGIN, "Tobolsk-2027b").await.unwrap();
    assert_eq!(lk.accounts().refresh().await.unwrap().len(), 1);
}

#[tokio::test]
async fn screens_read_the_store_first_and_work_offline_after_a_cold_start() {
    let service = start_service(None, loopback()).await;
    let dir = Scratch::new("cold");
    let url = service.url();
    {
        let lk = device(&url, dir.dir());
        lk.session().sign_in("demo", "Demo-2026").await.unwrap();
        let accounts = lk.accounts().refresh().await.unwrap();
        let number = accounts[0].number.to_string();
        lk.readings().meters(&number).await.unwrap();
        lk.charges().document(&number, Period::new(2026, 10).unwrap()).await.unwrap();
    }
    service.running.stop().await.unwrap();

    // The app starts again with the server gone: the dashboard comes from the store.
    let lk = device(&url, dir.dir());
    assert!(lk.session().is_signed_in(), "the refresh token was kept");
    let cached = lk.accounts().cached();
    assert_eq!(cached.len(), 1);
    let number = cached[0].number.to_string();
    assert_eq!(lk.accounts().refresh().await.unwrap(), cached, "offline: the stored list");
    let document = lk.charges().document(&number, Period::new(2026, 10).unwrap()).await.unwrap();
    assert_eq!(document.value.document.head.account.number.as_str(), number);
    let missing = lk.charges().document(&number, Period::new(2026, 9).unwrap()).await.unwrap_err();
    assert_eq!(missing.code(), ErrorCode::Offline);

    // The reading check works offline by the same core rules on the stored meter.
    let meters = lk.readings().meters(&number).await.unwrap().value;
    let gas =
        meters.meters.iter().find(|m| m.meter.kind == lk_core::meter::MeterKind::Gas).unwrap();
    let values = vec![ZoneInput { zone: lk_core::service::TariffZone::Single, text: "1".into() }];
    let check = lk.readings().check(&number, &gas.meter.id, &values).await.unwrap();
    let codes: Vec<_> = check.findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&lk_core::readings::FindingCode::VerificationExpired), "{codes:?}");
}

/// The readings of the cold-water meter typed one more than the last accepted, offline.
async fn offline_findings(lk: &lk_core::client::Lk, number: &str) -> Vec<FindingCode> {
    let meters = lk.readings().meters(number).await.unwrap().value;
    let cold = meters
        .meters
        .iter()
        .find(|m| m.meter.kind == lk_core::meter::MeterKind::ColdWater && !m.verification_expired)
        .unwrap();
    let values = one_more_than_start(cold);
    let check = lk.readings().check(number, &cold.meter.id, &values).await.unwrap();
    check.findings.iter().map(|f| f.code).collect()
}

#[tokio::test]
async fn offline_the_reading_window_is_judged_by_the_services_clock_not_the_phones() {
    // Two services on days either side of the window's end, whatever the phone's date is.
    for (days_on, closed) in [(0, false), (7, true)] {
        let service = start_service(None, loopback()).await;
        service.clock.advance(chrono::Duration::days(days_on));
        let dir = Scratch::new("clock");
        let url = service.url();
        let lk = device(&url, dir.dir());
        lk.session().sign_in("demo", "Demo-2026").await.unwrap();
        let number = lk.accounts().refresh().await.unwrap()[0].number.to_string();
        lk.readings().meters(&number).await.unwrap();
        service.running.stop().await.unwrap();

        // Still running, then started again without a network: the store kept the difference.
        for run in ["running", "cold start"] {
            let lk = if run == "running" { lk.clone() } else { device(&url, dir.dir()) };
            let codes = offline_findings(&lk, &number).await;
            let outside = codes
                .iter()
                .any(|c| matches!(c, FindingCode::WindowClosed | FindingCode::OutsideWindow));
            assert_eq!(outside, closed, "day +{days_on}, {run}: {codes:?}");
        }
    }
}

#[tokio::test]
async fn listeners_get_the_current_value_first_then_updates_until_cancelled() {
    let service = start_service(None, loopback()).await;
    let dir = Scratch::new("listeners");
    let lk = device(&service.url(), dir.dir());
    let seen: Arc<Mutex<Vec<usize>>> = Arc::default();
    let record = seen.clone();
    let mut subscription = lk
        .accounts()
        .observe(Arc::new(move |accounts| record.lock().unwrap().push(accounts.len())));
    let states: Arc<Mutex<Vec<bool>>> = Arc::default();
    let record = states.clone();
    let _session =
        lk.session().observe(Arc::new(move |signed_in| record.lock().unwrap().push(signed_in)));
    tokio::time::sleep(Duration::from_millis(50)).await;
    lk.session().sign_in("ivanova", "Ivanova-2026").await.unwrap();
    lk.accounts().refresh().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    subscription.cancel();
    lk.session().sign_out(UnsentActions::KeepForNextSignIn).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        *seen.lock().unwrap(),
        [0, 2],
        "empty first, then her two accounts; nothing after cancel"
    );
    assert_eq!(*states.lock().unwrap(), [false, true, false]);
}

#[tokio::test]
async fn a_payment_left_on_the_acquirer_page_is_resolved_on_the_next_start() {
    let service = start_service(None, loopback()).await;
    let person = Person::new(&service.url());
    let dir = Scratch::new("pending-payment");
    let request = |number: &str| PaymentRequest {
        account_number: number.parse().unwrap(),
        period: Period::new(2026, 10).unwrap(),
        total: Money::from_kopecks(25_000),
        fixed: vec![],
        receipt_contact: lk_core::contact::Contact::Email("demo@example.ru".parse().unwrap()),
        return_url: "lk://payments/return".into(),
    };
    let (id, url) = {
        let lk = device(&service.url(), dir.dir());
        lk.session().sign_in("demo", "Demo-2026").await.unwrap();
        let number = lk.accounts().refresh().await.unwrap()[0].number.to_string();
        let started = lk.payments().start(&request(&number)).await.unwrap();
        // Waiting for the result, the person leaves: the wait is cancelled, not left running.
        let cancel = lk_core::client::Cancel::new();
        cancel.cancel();
        let waited =
            lk.payments().await_result(&started.payment.id, Duration::from_secs(60), &cancel).await;
        assert_eq!(waited.unwrap_err(), ClientError::Cancelled);
        (started.payment.id, started.confirmation_url.unwrap())
    }; // the app is gone while the browser is on the acquirer's page
    assert_eq!(
        person.pay_on_acquirer_page(&url, "5555 5555 5555 4444").await,
        "lk://payments/return"
    );

    let lk = device(&service.url(), dir.dir());
    let mut resolved = Vec::new();
    for _ in 0..50 {
        resolved = lk.payments().resolve_pending().await.unwrap();
        if resolved.iter().all(|v| v.payment.status.is_final()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(resolved.len(), 1);
    assert_eq!(
        (resolved[0].payment.id.as_str(), resolved[0].payment.status),
        (id.as_str(), PaymentStatus::Succeeded)
    );
    assert!(lk.payments().resolve_pending().await.unwrap().is_empty(), "asked about once");
}
