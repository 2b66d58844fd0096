//! The shared fixtures of `tests/fixtures/` (also read by the Kotlin suite through the bindings):
//! each case names the requirement it covers, and all of them must hold here.

use std::path::PathBuf;

use lk_core::Money;
use lk_core::allocation::{FixedAmount, PayableLine, allocate};
use lk_core::billing::{ChargeBasis, ChargeLine, Totals};
use lk_core::qr::{ParseMode, PaymentQr, parse};
use lk_core::readings::{CheckContext, FindingCode, ZoneInput, check};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::DeserializeOwned;

fn load<T: DeserializeOwned>(name: &str) -> T {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Deserialize)]
struct Cases<T> {
    cases: Vec<T>,
}

fn assert_requirement(id: &str, requirement: &str) {
    let n: u32 = requirement.strip_prefix('R').and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!((1..=24).contains(&n), "{id}: requirement {requirement} is not one of R1–R24");
}

#[derive(Deserialize)]
struct ExpectedColumns {
    charged: Money,
    to_pay: Money,
}

#[derive(Deserialize)]
struct ChargesCase {
    id: String,
    requirement: String,
    lines: Vec<ChargeBasis>,
    expected_lines: Vec<ExpectedColumns>,
    expected_totals: Totals,
}

#[test]
fn charge_lines_match_the_fixtures() {
    let fixtures: Cases<ChargesCase> = load("charges.json");
    assert!(fixtures.cases.len() >= 4);
    for case in fixtures.cases {
        assert_requirement(&case.id, &case.requirement);
        let lines: Vec<ChargeLine> =
            case.lines.into_iter().map(|b| ChargeLine::compute(b).unwrap()).collect();
        for (line, expected) in lines.iter().zip(&case.expected_lines) {
            assert_eq!(
                line.charged, expected.charged,
                "{}: column 6 of {}",
                case.id, line.basis.service_code
            );
            assert_eq!(
                line.to_pay, expected.to_pay,
                "{}: column 8 of {}",
                case.id, line.basis.service_code
            );
        }
        assert_eq!(Totals::of(&lines), case.expected_totals, "{}", case.id);
        assert_eq!(case.expected_totals.verify(&lines), Ok(()), "{}", case.id);
    }
}

#[derive(Deserialize)]
struct AllocationCase {
    id: String,
    requirement: String,
    lines: Vec<PayableLine>,
    total: Money,
    fixed: Vec<FixedAmount>,
    expected: Option<Vec<Money>>,
    expected_error: Option<String>,
}

#[test]
fn allocations_match_the_fixtures() {
    let fixtures: Cases<AllocationCase> = load("allocation.json");
    for case in fixtures.cases {
        assert_requirement(&case.id, &case.requirement);
        let result = allocate(&case.lines, case.total, &case.fixed);
        match (&case.expected, &case.expected_error) {
            (Some(expected), None) => {
                let amounts: Vec<Money> = result
                    .unwrap_or_else(|e| panic!("{}: {e}", case.id))
                    .parts
                    .iter()
                    .map(|p| p.amount)
                    .collect();
                assert_eq!(&amounts, expected, "{}", case.id);
            }
            (None, Some(code)) => {
                assert_eq!(
                    result.map_err(|e| e.code().as_str()).err(),
                    Some(code.as_str()),
                    "{}",
                    case.id
                )
            }
            _ => panic!("{}: give either expected or expected_error", case.id),
        }
    }
}

#[derive(Deserialize)]
struct ExpectedCheck {
    findings: Vec<FindingCode>,
    consumption: Vec<Option<Decimal>>,
    period: Option<lk_core::Period>,
    refused: bool,
}

#[derive(Deserialize)]
struct ReadingCase {
    id: String,
    requirement: String,
    context: CheckContext,
    input: Vec<ZoneInput>,
    expected: ExpectedCheck,
}

#[test]
fn reading_checks_match_the_fixtures() {
    let fixtures: Cases<ReadingCase> = load("readings.json");
    assert!(fixtures.cases.len() >= 15);
    for case in fixtures.cases {
        assert_requirement(&case.id, &case.requirement);
        let result = check(&case.context, &case.input);
        let codes: Vec<FindingCode> = result.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, case.expected.findings, "{}: findings", case.id);
        let consumption: Vec<Option<Decimal>> =
            result.zones.iter().map(|z| z.consumption).collect();
        assert_eq!(consumption, case.expected.consumption, "{}: consumption", case.id);
        assert_eq!(result.period, case.expected.period, "{}: period", case.id);
        assert_eq!(result.is_refused(), case.expected.refused, "{}: refused", case.id);
        assert!(
            result.findings.iter().all(|f| !f.message.is_empty()),
            "{}: every finding explains itself",
            case.id
        );
        if !case.expected.refused {
            assert!(result.accept(&result.to_confirm()).is_ok(), "{}: confirmable", case.id);
        }
    }
}

#[derive(Deserialize)]
struct QrParseCase {
    id: String,
    requirement: String,
    mode: String,
    payload: Option<String>,
    payload_hex: Option<String>,
    #[serde(default)]
    expected_fields: std::collections::BTreeMap<String, String>,
    expected_sum: Option<Money>,
    expected_error: Option<String>,
}

#[derive(Deserialize)]
struct QrBuildCase {
    id: String,
    requirement: String,
    qr: PaymentQr,
    expected_payload: String,
}

#[derive(Deserialize)]
struct QrFixtures {
    parse_cases: Vec<QrParseCase>,
    build_cases: Vec<QrBuildCase>,
}

fn from_hex(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn payment_qr_codes_match_the_fixtures() {
    let fixtures: QrFixtures = load("qr.json");
    for case in fixtures.parse_cases {
        assert_requirement(&case.id, &case.requirement);
        let bytes = match (&case.payload, &case.payload_hex) {
            (Some(text), None) => text.clone().into_bytes(),
            (None, Some(hex)) => from_hex(hex),
            _ => panic!("{}: give payload or payload_hex", case.id),
        };
        let mode = if case.mode == "strict" { ParseMode::Strict } else { ParseMode::Tolerant };
        match (parse(&bytes, mode), &case.expected_error) {
            (Ok(parsed), None) => {
                for (key, value) in &case.expected_fields {
                    assert_eq!(parsed.get(key), Some(value.as_str()), "{}: {key}", case.id);
                }
                assert_eq!(parsed.sum().unwrap(), case.expected_sum, "{}: sum", case.id);
            }
            (Err(e), Some(code)) => assert_eq!(e.code(), code, "{}", case.id),
            (other, _) => panic!("{}: unexpected {other:?}", case.id),
        }
    }
    for case in fixtures.build_cases {
        assert_requirement(&case.id, &case.requirement);
        assert_eq!(case.qr.payload().unwrap(), case.expected_payload, "{}", case.id);
    }
}
