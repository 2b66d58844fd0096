//! The device's offline reading check finds what the service's check finds (R11, R12), on every
//! meter of every demo login: both build the core's context from the same region and accepted
//! readings, the service from its records and the device from the meters view it kept.

use lk_core::api::MeterView;
use lk_core::client::Lk;
use lk_core::meter::MeterScope;
use lk_core::readings::{FindingCode, ReadingCheck, ZoneInput, daily_floor};
use lk_e2e::{Scratch, device, loopback, start_service};
use rust_decimal::Decimal;

/// What a resident may type on each zone: a month's ordinary use, less than before, far too
/// much, a month at the high-use floor (high or not by the meter's usual use, which only a full
/// history tells), and a value near zero (through zero on a dial about to roll over).
fn typed(meter: &MeterView) -> Vec<Vec<ZoneInput>> {
    let last = meter.history.last().map(|a| &a.reading);
    let floor_month = daily_floor(meter.meter.kind) * Decimal::from(31);
    let each = |change: &dyn Fn(Decimal) -> Decimal| {
        meter
            .meter
            .kind
            .zones()
            .iter()
            .map(|&zone| {
                let was = last.and_then(|r| r.value(zone)).unwrap_or_default();
                ZoneInput { zone, text: change(was).to_string() }
            })
            .collect()
    };
    vec![
        each(&|was| was + Decimal::from(7)),
        each(&|was| was - Decimal::ONE),
        each(&|was| was + Decimal::from(3000)),
        each(&|was| was + floor_month),
        each(&|_| Decimal::from(5)),
    ]
}

struct Case {
    device: usize,
    number: String,
    meter_id: String,
    values: Vec<ZoneInput>,
    online: ReadingCheck,
}

/// A device's individual meters as its store kept them, per account.
type Views = Vec<(usize, String, MeterView)>;

/// The service's answers for every value of `typed` on every kept meter.
async fn online_checks(devices: &[(Scratch, Lk)], views: &Views) -> Vec<Case> {
    let mut cases = Vec::new();
    for (device, number, meter) in views {
        for values in typed(meter) {
            let lk = &devices[*device].1;
            let online = lk.readings().check(number, &meter.meter.id, &values).await.unwrap();
            let (number, meter_id) = (number.clone(), meter.meter.id.clone());
            cases.push(Case { device: *device, number, meter_id, values, online });
        }
    }
    cases
}

/// With the service gone, each device's check from its store answers what the service did.
async fn same_offline(devices: &[(Scratch, Lk)], cases: &[Case], day: &str) {
    for case in cases {
        let lk = &devices[case.device].1;
        let offline = lk.readings().check(&case.number, &case.meter_id, &case.values).await;
        let offline = offline.unwrap_or_else(|e| panic!("{day}, {}: offline: {e}", case.meter_id));
        assert_eq!(offline, case.online, "{day}, meter {}, typed {:?}", case.meter_id, case.values);
    }
}

fn codes(case: &Case) -> Vec<FindingCode> {
    case.online.findings.iter().map(|f| f.code).collect()
}

#[tokio::test]
async fn the_offline_check_finds_what_the_service_finds_on_every_demo_meter() {
    let data = Scratch::new("offline-check-service");
    let service = start_service(Some(data.dir()), loopback()).await;
    let (addr, url) = (service.running.addr, service.url());
    let mut devices: Vec<(Scratch, Lk)> = Vec::new();
    let mut views: Views = Vec::new();
    for (login, password, _) in lk_server::demo::DEMO_LOGINS {
        let dir = Scratch::new(&format!("offline-check-{login}"));
        let lk = device(&url, dir.dir());
        lk.session().sign_in(login, password).await.unwrap();
        if login == "demo" {
            // A reading already accepted this period: the next one replaces it (R12).
            let number = lk.accounts().refresh().await.unwrap()[0].number.to_string();
            let view = lk.readings().meters(&number).await.unwrap().value;
            let meter = view.meters.iter().find(|m| !m.verification_expired).unwrap();
            let values = typed(meter).swap_remove(0);
            let check = lk.readings().check(&number, &meter.meter.id, &values).await.unwrap();
            let confirmed = check.to_confirm();
            lk.readings()
                .submit(&number, &meter.meter.id, &values, &confirmed, None, false)
                .await
                .unwrap();
            assert_eq!(lk.sync_now().await.unwrap().sent, 1);
        }
        for account in lk.accounts().refresh().await.unwrap() {
            let number = account.number.to_string();
            let view = lk.readings().meters(&number).await.unwrap().value;
            assert_eq!(view.region, Some(account.region), "the view names the account's region");
            for meter in view.meters.into_iter().filter(|m| m.meter.scope == MeterScope::Individual)
            {
                assert!(!meter.history.is_empty(), "meter {} carries its readings", meter.meter.id);
                views.push((devices.len(), number.clone(), meter));
            }
        }
        devices.push((dir, lk));
    }

    // 21 November, every window open.
    let cases = online_checks(&devices, &views).await;
    for wanted in [
        FindingCode::BelowPrevious,
        FindingCode::HighConsumption,
        FindingCode::Rollover,
        FindingCode::ReplacesEarlier,
        FindingCode::VerificationExpired,
    ] {
        assert!(cases.iter().any(|c| codes(c).contains(&wanted)), "no case finds {wanted:?}");
    }
    assert!(cases.iter().any(|c| codes(c).is_empty()), "no ordinary reading passed");
    assert!(cases.len() >= 40, "{} cases", cases.len());
    service.running.stop().await.unwrap();
    same_offline(&devices, &cases, "21 November").await;

    // A week later, with the meters still as the devices kept them on the 21st: Kurgan and
    // Orenburg take readings for December, comparing them with November's, and Tyumen's window
    // has closed.
    let service = start_service(Some(data.dir()), addr).await;
    service.clock.advance(chrono::Duration::days(7));
    let later = online_checks(&devices, &views).await;
    for wanted in [FindingCode::OutsideWindow, FindingCode::WindowClosed] {
        assert!(later.iter().any(|c| codes(c).contains(&wanted)), "no case finds {wanted:?}");
    }
    service.running.stop().await.unwrap();
    same_offline(&devices, &later, "28 November").await;
}
