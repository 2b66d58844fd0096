//! Fuzzing as bounded property tests: the parsers that take what people type or what other
//! programs send (the payment QR, money, meter readings, the API's JSON bodies) get arbitrary and
//! mutated input and must answer with a value or an error, never a panic, and what they accept
//! must be consistent.
//!
//! Each target runs `LK_FUZZ_CASES` cases (default [`DEFAULT_CASES`], a few seconds in all in a
//! debug build, so CI runs it every time); `LK_FUZZ_CASES=100000 cargo test -p lk-core --test
//! fuzz --release` digs deeper. `PROPTEST_RNG_SEED` replays a run. The counts run are printed to
//! stderr, past the test harness's capture. A failure prints the shrunk input: add it to the
//! seeds below (or a regression test in the module) with the fix.

use std::fmt::Debug;
use std::io::Write;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use lk_core::Money;
use lk_core::api::*;
use lk_core::meter::{Dial, Meter, MeterKind, MeterScope, Reading, ReadingSource, ZoneValue};
use lk_core::money::MAX_ROUBLES;
use lk_core::qr::{self, ParseMode, PaymentQr};
use lk_core::readings::{self, CheckContext, OcrCandidate, ReadingCheck, Severity, ZoneInput};
use lk_core::region::{OutsideWindow, Region, SubmissionWindow};
use lk_core::requisites::Requisites;
use lk_core::service::TariffZone;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Cases per target when `LK_FUZZ_CASES` is not set.
const DEFAULT_CASES: u32 = 4000;

fn cases() -> u32 {
    std::env::var("LK_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES)
}

/// Runs one target and reports how many cases it ran; a failure (a panic included) fails the
/// test with the shrunk input.
fn fuzz<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases = cases();
    // Failures are kept as seeds and regression tests here, not in files proptest writes.
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&strategy, test) {
        panic!("fuzz {name}: {e}");
    }
    // Straight to stderr: the harness captures only print! and eprint!.
    let _ = writeln!(
        std::io::stderr(),
        "fuzz {name}: {cases} cases in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------------
// Mutations shared by the targets

/// One edit of a byte string, as a fuzzer's mutator makes them.
#[derive(Debug, Clone)]
enum Edit {
    Flip {
        at: usize,
        bit: u8,
    },
    Set {
        at: usize,
        byte: u8,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    Remove {
        at: usize,
        len: usize,
    },
    /// Copies a slice elsewhere (duplicates a segment, a key, a separator).
    Copy {
        from: usize,
        len: usize,
        to: usize,
    },
    Truncate {
        at: usize,
    },
}

/// Bytes that matter to the formats here: separators, digits, `=`, quotes, braces, Cyrillic
/// lead bytes, the BOM, whitespace.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        any::<u8>(),
        prop::sample::select(
            b"|#;^~=0123456789.,- \t\r\n\"{}[]:\\/eE+\xEF\xBB\xBF\xD0\xD1\xC0\xFF\x00".to_vec()
        ),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<prop::sample::Index>();
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Edit::Flip { at, bit }),
        (any::<usize>(), interesting_byte()).prop_map(|(at, byte)| Edit::Set { at, byte }),
        (any::<usize>(), prop::collection::vec(interesting_byte(), 1..6))
            .prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        (any::<usize>(), 1usize..12).prop_map(|(at, len)| Edit::Remove { at, len }),
        (any::<usize>(), 1usize..40, any::<usize>()).prop_map(|(from, len, to)| Edit::Copy {
            from,
            len,
            to
        }),
        at.prop_map(|at| Edit::Truncate { at: at.index(usize::MAX) }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len();
        let pos = |at: usize| if len == 0 { 0 } else { at % (len + 1) };
        match edit {
            Edit::Flip { at, bit } if len > 0 => bytes[at % len] ^= 1 << bit,
            Edit::Set { at, byte } if len > 0 => bytes[at % len] = *byte,
            Edit::Insert { at, bytes: new } => {
                let at = pos(*at);
                bytes.splice(at..at, new.iter().copied());
            }
            Edit::Remove { at, len: n } if len > 0 => {
                let at = at % len;
                bytes.drain(at..(at + n).min(len));
            }
            Edit::Copy { from, len: n, to } if len > 0 => {
                let from = from % len;
                let piece = bytes[from..(from + n).min(len)].to_vec();
                let to = pos(*to);
                bytes.splice(to..to, piece);
            }
            Edit::Truncate { at } => bytes.truncate(pos(*at)),
            _ => {}
        }
    }
    bytes
}

fn mutated(seeds: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<u8>> {
    (prop::sample::select(seeds), prop::collection::vec(edit(), 0..6))
        .prop_map(|(seed, edits)| apply(seed.to_vec(), &edits))
}

// ---------------------------------------------------------------------------------------------
// The payment QR (GOST R 56042-2014)

/// Payloads as printed by this and other suppliers, in the three encodings and with the quirks
/// the tolerant reader accepts.
const QR_SEEDS: &[&[u8]] = &[
    "ST00012|Name=АО «ЭК «Восток»|PersonalAcc=40702810138250123017|BankName=ПАО Сбербанк|\
     BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7705260681|KPP=720301001|\
     PersAcc=450012345678|Sum=350007|Purpose=Оплата ЖКУ, л/с 450012345678, ноябрь 2026|\
     PaymPeriod=112026|TechCode=02"
        .as_bytes(),
    b"ST00011|Name=\xCE\xCE\xCE \xAB\xD0\xEE\xEC\xE0\xF8\xEA\xE0\xBB|PersonalAcc=40702810138250123017|\
      BankName=\xCF\xC0\xCE \xD1\xE1\xE5\xF0\xE1\xE0\xED\xEA|BIC=044525225|\
      CorrespAcc=30101810400000000225|Sum=100|Purpose=\xCE\xEF\xEB\xE0\xF2\xE0",
    b"ST00013#Name=\xEF\xF2\xF3|PersonalAcc=40702810138250123017#BankName=\xE2\xE1\xF2#\
      BIC=044525225#CorrespAcc=30101810400000000225#Sum=0",
    b"\xEF\xBB\xBF st00012| name = A | personalacc=1 ||bankname=B|bic=044525225|correspacc=2| \r\n",
    b"ST00012;Name=A;PersonalAcc=40702810138250123017;BankName=B;BIC=044525225;\
      CorrespAcc=30101810400000000225;Sum=99999999999999999999",
];

/// What holds for every payload a mode accepts.
fn check_parsed(parsed: &qr::ParsedQr, mode: ParseMode) -> Result<(), TestCaseError> {
    prop_assert!(
        parsed.separator.is_ascii()
            && !parsed.separator.is_ascii_alphanumeric()
            && parsed.separator != '='
    );
    for key in ["Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc"] {
        prop_assert!(parsed.get(key).is_some(), "{key} missing in {parsed:?}");
    }
    if mode == ParseMode::Strict {
        let keys: Vec<&str> = parsed.fields.iter().take(5).map(|(k, _)| k.as_str()).collect();
        prop_assert_eq!(keys, ["Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc"]);
    }
    for (i, (key, value)) in parsed.fields.iter().enumerate() {
        prop_assert!(!key.contains(parsed.separator) && !value.contains(parsed.separator));
        let twice = parsed.fields[..i].iter().any(|(k, _)| k.eq_ignore_ascii_case(key));
        prop_assert!(!twice, "{key} twice in {parsed:?}");
    }
    // Reading the sum never panics; a sum it reads is a whole number of kopecks, not negative.
    if let Ok(Some(sum)) = parsed.sum() {
        prop_assert!(!sum.is_negative());
    }
    Ok(())
}

fn parse_both(bytes: &[u8]) -> Result<(), TestCaseError> {
    for mode in [ParseMode::Tolerant, ParseMode::Strict] {
        match qr::parse(bytes, mode) {
            Ok(parsed) => check_parsed(&parsed, mode)?,
            // Every refusal has a stable code and a message for people.
            Err(e) => prop_assert!(!e.code().is_empty() && !e.to_string().is_empty()),
        }
    }
    Ok(())
}

#[test]
fn qr_parse_survives_arbitrary_bytes() {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        // Past the header, so the body's decoding and splitting are reached.
        (
            prop::sample::select(vec!["ST00011|", "ST00012|", "ST00013|", "st00012#"]),
            prop::collection::vec(any::<u8>(), 0..200)
        )
            .prop_map(|(head, body)| [head.as_bytes(), &body].concat()),
    ];
    fuzz("qr parse, arbitrary bytes", bytes, |b| parse_both(&b));
}

#[test]
fn qr_parse_survives_mutated_payloads() {
    fuzz("qr parse, mutated payloads", mutated(QR_SEEDS), |b| parse_both(&b));
}

fn requisites() -> Requisites {
    Requisites {
        name: "АО «ЭК «Восток»".into(),
        inn: "7705260681".into(),
        kpp: "720301001".into(),
        bank_name: "ПАО Сбербанк".into(),
        bic: "044525225".into(),
        settlement_account: "40702810138250123017".into(),
        correspondent_account: "30101810400000000225".into(),
    }
}

/// Any text a purpose or a payee's name may carry: Cyrillic, the separators, `=`, spaces.
fn qr_text() -> impl Strategy<Value = String> {
    prop_oneof!["[ А-Яа-яЁёA-Za-z0-9«»,./№=|#;^~`!@$%*+\\\\-]{0,80}", any::<String>(),]
}

#[test]
fn qr_payloads_built_read_back_in_both_modes() {
    let strategy = (qr_text(), qr_text(), 1i64..100_000_000_000, 2000i32..=2999, 1u32..=12);
    fuzz("qr build and read back", strategy, |(purpose, name, kopecks, year, month)| {
        let qr = PaymentQr {
            payee: Requisites { name, ..requisites() },
            account: "450012345678".parse().map_err(|_| TestCaseError::fail("account"))?,
            sum: Money::from_kopecks(kopecks),
            purpose,
            period: lk_core::Period::new(year, month).map_err(|_| TestCaseError::fail("period"))?,
        };
        // Refusing (empty, too long, no free separator) is fine; what is built must read back.
        let Ok(payload) = qr.payload() else { return Ok(()) };
        let (_, bytes) =
            qr::encode(&payload).map_err(|e| TestCaseError::fail(format!("{e} in {payload:?}")))?;
        prop_assert!(bytes.len() <= qr::MAX_PAYLOAD_BYTES, "{} bytes", bytes.len());
        for mode in [ParseMode::Strict, ParseMode::Tolerant] {
            let parsed = qr::parse(&bytes, mode)
                .map_err(|e| TestCaseError::fail(format!("{mode:?}: {e} in {payload:?}")))?;
            check_parsed(&parsed, mode)?;
            prop_assert_eq!(parsed.sum(), Ok(Some(qr.sum)));
            prop_assert_eq!(parsed.get("PersAcc"), Some("450012345678"));
            if mode == ParseMode::Strict {
                // A purpose that does not fit the byte budget is left out, never cut.
                let purpose = parsed.get("Purpose");
                prop_assert!(purpose.is_none_or(|p| p == qr.purpose.trim()), "{purpose:?}");
                prop_assert_eq!(parsed.get("Name"), Some(qr.payee.name.trim()));
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Money as people type it

/// Amounts typed by people: digits, groups, separators, signs, currency, and slips.
fn typed_amount() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-−]?[0-9]{0,16}([.,][0-9]{0,3})?",
        "[-−]? ?[0-9]{1,3}([ \u{a0}\u{202f}][0-9]{2,4}){0,5}([.,][0-9]{0,3})? ?(₽|руб\\.|р\\.)?",
        "[ 0-9.,₽рубРУБ\u{a0}\u{2212}+eE-]{0,24}",
        any::<String>(),
    ]
}

fn money_parse_is_consistent(text: &str) -> Result<(), TestCaseError> {
    let Ok(money) = Money::parse(text) else { return Ok(()) };
    prop_assert!(money.kopecks().abs() <= i128::from(MAX_ROUBLES) * 100, "{text:?} → {money:?}");
    // What it reads is what it prints: Russian text, the wire's decimal string, and JSON.
    prop_assert_eq!(Money::parse(&money.format_ru()), Ok(money), "format_ru of {:?}", text);
    prop_assert_eq!(Money::parse(&money.to_string()), Ok(money), "wire form of {:?}", text);
    let json = serde_json::to_string(&money).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: Money =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(back, money);
    Ok(())
}

#[test]
fn money_parse_survives_what_people_type() {
    fuzz("money parse, typed", typed_amount(), |text| money_parse_is_consistent(&text));
}

#[test]
fn money_parse_survives_mutated_amounts() {
    const SEEDS: &[&[u8]] = &[
        b"1 234,56",
        b"1234.56",
        "−15,00 ₽".as_bytes(),
        "1\u{a0}000\u{a0}000 руб.".as_bytes(),
        b"999999999999.99",
        b"0,5",
    ];
    fuzz("money parse, mutated", mutated(SEEDS), |bytes| {
        money_parse_is_consistent(&String::from_utf8_lossy(&bytes))
    });
}

#[test]
fn money_prints_and_reads_back_every_amount_in_range() {
    let max = MAX_ROUBLES * 100;
    fuzz("money format and read back", -max..=max, |kopecks| {
        let money = Money::from_kopecks(kopecks);
        prop_assert_eq!(Money::parse(&money.format_ru()), Ok(money));
        prop_assert_eq!(Money::parse(&money.format_ru_plain()), Ok(money));
        prop_assert_eq!(money.to_string().parse::<Money>(), Ok(money));
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Meter readings (R11, R12, R21)

/// Any decimal, the extremes included: values from other systems, old meters, corrupt records.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (0u64..10_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m as i64, s)),
        (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28)
            .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale)),
        prop::sample::select(vec![Decimal::MAX, Decimal::MIN, Decimal::ZERO, Decimal::ONE]),
    ]
}

fn any_moment() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        // Around now, where real readings are.
        (1_700_000_000i64..1_900_000_000).prop_map(|s| Utc.timestamp_opt(s, 0).single()),
        // Any year of the calendar chrono knows, for clocks gone wrong and corrupt records.
        (-8_000_000_000_000i64..8_000_000_000_000).prop_map(|s| Utc.timestamp_opt(s, 0).single()),
    ]
    .prop_map(|at| at.unwrap_or(DateTime::UNIX_EPOCH))
}

fn any_zone() -> impl Strategy<Value = TariffZone> {
    prop::sample::select(vec![
        TariffZone::Single,
        TariffZone::Day,
        TariffZone::Night,
        TariffZone::Peak,
        TariffZone::SemiPeak,
    ])
}

fn any_dial() -> impl Strategy<Value = Dial> {
    prop_oneof![
        (0u32..10, 0u32..5),
        (any::<u32>(), any::<u32>()),
        (
            prop::sample::select(vec![0u32, 18, 19, 28, 29, u32::MAX]),
            prop::sample::select(vec![0u32, 3, 28, u32::MAX])
        ),
    ]
    .prop_map(|(integer_digits, fraction_digits)| Dial { integer_digits, fraction_digits })
}

fn any_reading() -> impl Strategy<Value = Reading> {
    (
        prop::collection::vec((any_zone(), any_decimal()), 0..4),
        any_moment(),
        prop::sample::select(vec![
            ReadingSource::Resident,
            ReadingSource::MeterReader,
            ReadingSource::Ocr,
        ]),
    )
        .prop_map(|(values, taken_at, source)| Reading {
            meter_id: "m1".into(),
            values: values.into_iter().map(|(zone, value)| ZoneValue { zone, value }).collect(),
            taken_at,
            source,
            photo: None,
        })
}

fn any_context() -> impl Strategy<Value = CheckContext> {
    (
        (prop::sample::select(MeterKind::ALL.to_vec()), any_dial(), -1000i64..1000),
        (
            prop::sample::select(Region::ALL.to_vec()),
            any::<u32>(),
            0u32..40,
            0u32..40,
            any::<bool>(),
        ),
        (prop::option::of(any_reading()), prop::collection::vec(any_reading(), 0..5)),
        (any::<bool>(), any_moment()),
    )
        .prop_map(|(meter, region, readings, (resubmission, now))| {
            let (kind, dial, verification_days) = meter;
            let (region, pick, first_day, last_day, refuse) = region;
            let window = if pick % 2 == 0 {
                region.default_window()
            } else {
                SubmissionWindow {
                    first_day,
                    last_day,
                    outside: if refuse {
                        OutsideWindow::Refuse
                    } else {
                        OutsideWindow::AcceptForNextPeriod
                    },
                }
            };
            let next_verification = now
                .date_naive()
                .checked_add_signed(chrono::Duration::days(verification_days))
                .unwrap_or(NaiveDate::MAX);
            CheckContext {
                meter: Meter {
                    id: "m1".into(),
                    kind,
                    serial: "0001".into(),
                    service_code: "electricity".into(),
                    dial,
                    next_verification,
                    scope: MeterScope::Individual,
                },
                region,
                window,
                previous: readings.0,
                history: readings.1,
                resubmission,
                now,
            }
        })
}

/// What a resident types into a zone's field.
fn typed_reading() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,12}([.,][0-9]{0,5})?",
        "[-−]?[ 0-9.,]{0,30}",
        "[0-9OoОоIl|!BВDQ ,.]{0,14}",
        any::<String>(),
    ]
}

fn zone_inputs() -> impl Strategy<Value = Vec<ZoneInput>> {
    prop::collection::vec(
        (any_zone(), typed_reading()).prop_map(|(zone, text)| ZoneInput { zone, text }),
        0..5,
    )
}

#[test]
fn reading_checks_survive_any_values_dials_and_zones() {
    fuzz("reading checks", (any_context(), zone_inputs()), |(ctx, input)| {
        let check = readings::check(&ctx, &input);
        let zones = ctx.meter.kind.zones();
        // One result per zone of the meter, in the meter's order.
        prop_assert_eq!(check.zones.iter().map(|z| z.zone).collect::<Vec<_>>(), zones.to_vec());
        for finding in &check.findings {
            prop_assert_eq!(finding.severity, finding.code.severity());
            prop_assert!(!finding.message.trim().is_empty());
        }
        for zone in &check.zones {
            // A zone without a value has a refusal saying why.
            if zone.value.is_none() {
                prop_assert!(
                    check
                        .findings
                        .iter()
                        .any(|f| f.zone == Some(zone.zone) && f.severity == Severity::Refuse),
                    "{:?} has no value and no refusal: {:?}",
                    zone.zone,
                    check.findings
                );
            }
            if let Some(consumption) = zone.consumption {
                prop_assert!(zone.value.is_some() && zone.previous.is_some());
                prop_assert!(consumption >= Decimal::ZERO, "negative use {consumption}");
            }
            if let Some(value) = zone.value {
                prop_assert!(value >= Decimal::ZERO);
            }
        }
        // Accepting: refused means no; otherwise yes once everything asked is confirmed, and
        // the values recorded are the zones' values.
        let to_confirm = check.to_confirm();
        match check.accept(&to_confirm) {
            Ok(values) => {
                prop_assert!(!check.is_refused());
                prop_assert_eq!(values.len(), zones.len());
            }
            Err(readings::ReadingError::Refused(_)) => prop_assert!(check.is_refused()),
            Err(e) => return Err(TestCaseError::fail(format!("confirmed all, still {e:?}"))),
        }
        if !to_confirm.is_empty() {
            prop_assert!(check.accept(&[]).is_err());
        }
        Ok(())
    });
}

#[test]
fn reading_recognition_survives_any_ocr_text() {
    let candidates = prop::collection::vec(
        (typed_reading(), prop_oneof![0f32..=1.0, any::<f32>()])
            .prop_map(|(text, confidence)| OcrCandidate { text, confidence }),
        0..6,
    );
    fuzz("reading recognition", (any_context(), any_zone(), candidates), |(ctx, zone, found)| {
        let recognised = readings::recognise(&ctx, zone, &found);
        for (i, r) in recognised.iter().enumerate() {
            prop_assert!(r.findings.iter().all(|f| f.severity != Severity::Refuse));
            prop_assert!(recognised[..i].iter().all(|earlier| earlier.value != r.value));
            if i > 0 {
                // Scores are ordered by total_cmp, NaN included.
                let order = recognised[i - 1].score.total_cmp(&r.score);
                prop_assert!(order.is_ge(), "not best first");
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// The API's JSON bodies

/// A valid body of every request type, to mutate from.
const JSON_SEEDS: &[&[u8]] = &[
    r#"{"id":"c1","answer":"12345"}"#.as_bytes(),
    r#"{"details":{"login":"ivan","password":"Secret-2026","channel":"phone","contact":"+79120000000","city":"Курган"},"captcha":{"id":"c1","answer":"1234"},"consent":{"given":true,"text_version":"2026-01"}}"#.as_bytes(),
    r#"{"login":"ivan","password":"Secret-2026","channel":"email","contact":"a@b.ru","city":"Тюмень"}"#.as_bytes(),
    r#"{"account_number":"450001000001","latest_document_total":"1 234,56"}"#.as_bytes(),
    r#"{"code":"123456"}"#.as_bytes(),
    r#"{"login":"demo","password":"Demo-2026"}"#.as_bytes(),
    r#"{"refresh_token":"abc"}"#.as_bytes(),
    r#"{"channel":"phone","contact":"89120000000","captcha":{"id":"c","answer":"1"}}"#.as_bytes(),
    r#"{"login":"demo","password":"New-2026!","password_repeat":"New-2026!"}"#.as_bytes(),
    r#"{"old_password":"a","new_password":"b","new_password_repeat":"b"}"#.as_bytes(),
    r#"{"value":"a@b.ru"}"#.as_bytes(),
    r#"{"reading_window":true,"new_document":false,"payment_result":true,"receipt_by_email":false}"#.as_bytes(),
    r#"{"email":"ivan@example.ru"}"#.as_bytes(),
    r#"{}"#.as_bytes(),
    r#"{"platform":"fcm","token":"t0k3n"}"#.as_bytes(),
    r#"{"values":[{"zone":"day","text":"19604,8"},{"zone":"night","text":"10173.3"}]}"#.as_bytes(),
    r#"{"values":[{"zone":"single","text":"123"}],"confirmed":["rollover","high_consumption"],"source":"ocr","taken_at":"2026-11-20T10:00:00Z","photo":"p1"}"#.as_bytes(),
    r#"{"account_number":"450001000001","period":"2026-10","total":"3500.07","fixed":[{"service_code":"hot_water","amount":"100.00"}],"receipt_contact":{"phone":"+79120000000"},"return_url":"lk://paid"}"#.as_bytes(),
    r#"{"account_number":"450001000001","period":"2026-10","total":"1","receipt_contact":{"email":"a@b.ru"},"return_url":"x"}"#.as_bytes(),
];

/// Decodes `bytes` as `T`; what decodes must encode and decode back to the same value.
fn decodes_stably<T>(bytes: &[u8]) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(bytes) else { return Ok(()) };
    let text = serde_json::to_string(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T = serde_json::from_str(&text).map_err(|e| {
        TestCaseError::fail(format!(
            "{} does not read back its own {text}: {e}",
            std::any::type_name::<T>()
        ))
    })?;
    prop_assert_eq!(back, value);
    Ok(())
}

/// Every body type the service reads, and the answers the clients read.
fn decode_every_type(bytes: &[u8]) -> Result<(), TestCaseError> {
    macro_rules! each {
        ($($t:ty),* $(,)?) => { $(decodes_stably::<$t>(bytes)?;)* };
    }
    each!(
        CaptchaAnswer,
        RegistrationDetails,
        Consent,
        RegistrationRequest,
        BindAccountRequest,
        CodeRequest,
        SignInRequest,
        RefreshRequest,
        RecoveryRequest,
        NewPasswordRequest,
        ChangePasswordRequest,
        ContactChangeRequest,
        LinkAccountRequest,
        NotificationSettings,
        DocumentEmailRequest,
        DeviceRegistration,
        ReadingInput,
        ReadingSubmission,
        PaymentRequest,
        ApiError,
        Tokens,
        RegistrationState,
        PaymentView,
        MetersView,
        ReadingCheck,
        ReadingAccepted,
    );
    Ok(())
}

/// Any JSON, with the field names of the API among the keys so nesting goes deep.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "login",
            "password",
            "values",
            "zone",
            "text",
            "total",
            "period",
            "fixed",
            "amount",
            "receipt_contact",
            "phone",
            "email",
            "details",
            "captcha",
            "consent",
            "channel",
            "confirmed",
            "taken_at",
            "account_number",
            "value",
            "platform",
            "token",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[0-9 .,:TZ+-]{0,20}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Replaces a node of `value`, chosen by `pick`, with `new`.
fn replace_node(value: &mut Value, pick: &mut usize, new: &Value) -> bool {
    if *pick == 0 {
        *value = new.clone();
        return true;
    }
    *pick -= 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|item| replace_node(item, pick, new)),
        Value::Object(map) => map.values_mut().any(|item| replace_node(item, pick, new)),
        _ => false,
    }
}

#[test]
fn api_bodies_survive_arbitrary_bytes() {
    fuzz("api json, arbitrary bytes", prop::collection::vec(any::<u8>(), 0..120), |bytes| {
        decode_every_type(&bytes)
    });
}

#[test]
fn api_bodies_survive_arbitrary_json() {
    fuzz("api json, arbitrary documents", any_json(), |json| {
        decode_every_type(json.to_string().as_bytes())
    });
}

#[test]
fn api_bodies_survive_mutated_bodies() {
    fuzz("api json, mutated bodies (bytes)", mutated(JSON_SEEDS), |bytes| {
        decode_every_type(&bytes)
    });
    let seed = prop::sample::select(JSON_SEEDS);
    fuzz(
        "api json, mutated bodies (nodes)",
        (seed, prop::collection::vec((any::<usize>(), any_json()), 1..4)),
        |(seed, replacements)| {
            let mut json: Value =
                serde_json::from_slice(seed).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for (pick, new) in &replacements {
                let mut pick = pick % 24;
                replace_node(&mut json, &mut pick, new);
            }
            decode_every_type(json.to_string().as_bytes())
        },
    );
}

#[test]
fn json_seeds_are_valid_bodies() {
    // The seeds must parse as some request type, or the mutations start from nothing useful.
    for seed in JSON_SEEDS {
        let text = String::from_utf8_lossy(seed);
        let parses = serde_json::from_slice::<Value>(seed).is_ok();
        assert!(parses, "seed is not JSON: {text}");
    }
    assert!(serde_json::from_slice::<PaymentRequest>(JSON_SEEDS[17]).is_ok());
    assert!(serde_json::from_slice::<ReadingSubmission>(JSON_SEEDS[16]).is_ok());
    assert!(serde_json::from_slice::<RegistrationRequest>(JSON_SEEDS[1]).is_ok());
}
