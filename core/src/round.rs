//! Meter readers' rounds (R24): what a reader may record at a stop, the range a meter's reading
//! is expected in today, and the rule that judges a capture. The service judges every capture
//! with [`judge`] and the device checks it offline with the same function, from the route it
//! downloaded.
//!
//! A reading is checked by the core's reading checks (`readings::check`), with two differences
//! for a reader: the region's window for residents does not bind the supplier's own control
//! reading, and a resident's reading already accepted in the period is never replaced (the
//! service keeps both and flags them). A value outside the expected range, a rollover, or a skip
//! for a fault needs a photo before it can be saved.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::meter::{MeterKind, ZoneValue};
use crate::readings::{self, CheckContext, FindingCode, ReadingCheck, ZoneInput};
use crate::service::TariffZone;

/// Why a meter was not read (the fixed list of the supplier's route sheets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    NoAccess,
    Faulty,
    SealBroken,
    Unreadable,
    Missing,
}

impl SkipReason {
    pub const ALL: [SkipReason; 5] = [
        SkipReason::NoAccess,
        SkipReason::Faulty,
        SkipReason::SealBroken,
        SkipReason::Unreadable,
        SkipReason::Missing,
    ];

    pub fn name_ru(self) -> &'static str {
        match self {
            SkipReason::NoAccess => "нет доступа",
            SkipReason::Faulty => "счётчик неисправен",
            SkipReason::SealBroken => "пломба нарушена",
            SkipReason::Unreadable => "не читается",
            SkipReason::Missing => "счётчик отсутствует",
        }
    }

    /// A fault of the meter itself, which the office acts on: it needs a photo as proof. A
    /// closed door has nothing to photograph.
    pub fn is_fault(self) -> bool {
        self != SkipReason::NoAccess
    }
}

/// The serial number on the meter against the route's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SerialCheck {
    Confirmed,
    /// The meter shows another number: what is written on it.
    Differs {
        written: String,
    },
}

/// The device's position when the capture was made; none when it had no fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub latitude: Decimal,
    pub longitude: Decimal,
    /// Metres, as the device reports it.
    pub accuracy_m: u32,
}

/// What the reader recorded for a meter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Recorded {
    /// A value per zone of a meter of the route.
    Reading { serial: SerialCheck, values: Vec<ZoneInput> },
    /// The meter was not read.
    Skip { reason: SkipReason, note: String },
    /// A meter found at the stop that the route does not list.
    NotOnRoute { serial: String, kind: MeterKind, values: Vec<ZoneInput>, note: String },
}

/// Where one zone's reading is expected today: from the previous accepted reading up to it plus
/// the most the checks take without calling the use high (the usual use × 3 × days, or the
/// kind's norm where there is no history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExpectedRange {
    pub zone: TariffZone,
    pub low: Decimal,
    pub high: Decimal,
}

/// Each zone's expected range; empty for a meter never read (nothing to measure from). A range
/// that passes the dial's capacity wraps: its `high` is then below its `low`.
pub fn expected_range(ctx: &CheckContext) -> Vec<ExpectedRange> {
    ctx.meter
        .kind
        .zones()
        .iter()
        .filter_map(|&zone| {
            let low = ctx.previous.as_ref()?.value(zone)?;
            let limit = readings::high_use_limit(ctx, zone)?;
            let dial = ctx.meter.dial;
            let top = dial.reading(low.checked_add(limit)?);
            let high = if top >= dial.capacity() { top - dial.capacity() } else { top };
            Some(ExpectedRange { zone, low, high })
        })
        .collect()
}

/// How a capture ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CaptureStatus {
    Accepted,
    NeedsReview,
    Rejected,
}

/// The core's verdict on a capture: its status, why (Russian, for the reader and the office),
/// and the values to record when it is a reading that passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: CaptureStatus,
    pub reasons: Vec<String>,
    pub values: Vec<ZoneValue>,
}

impl Verdict {
    fn rejected(reason: String) -> Verdict {
        Verdict { status: CaptureStatus::Rejected, reasons: vec![reason], values: Vec::new() }
    }
}

/// Findings about residents' submissions that do not bind a reader (see the module's note).
const NOT_FOR_READERS: [FindingCode; 3] =
    [FindingCode::WindowClosed, FindingCode::OutsideWindow, FindingCode::ReplacesEarlier];

/// The checks of a reader's values: the core's reading checks without the residents' window.
pub fn check_values(ctx: &CheckContext, values: &[ZoneInput]) -> ReadingCheck {
    let mut check = readings::check(ctx, values);
    check.findings.retain(|f| !NOT_FOR_READERS.contains(&f.code));
    check
}

pub const PHOTO_NEEDED: &str = "Нужно фото счётчика";

/// Judges a capture of a meter of the route (`ctx` is that meter's check context; for a meter
/// not on the route, any of the stop's). A refusing finding rejects it; a rollover, a value
/// above the expected range or a skip for a fault without a photo is rejected too; with one, a
/// value above the range goes to the office, as does a differing serial or a meter not on the
/// route.
pub fn judge(ctx: &CheckContext, recorded: &Recorded, photos: usize) -> Verdict {
    match recorded {
        Recorded::Skip { reason, .. } if reason.is_fault() && photos == 0 => {
            Verdict::rejected(format!("{PHOTO_NEEDED}: {}", reason.name_ru()))
        }
        Recorded::Skip { .. } => {
            Verdict { status: CaptureStatus::Accepted, reasons: Vec::new(), values: Vec::new() }
        }
        Recorded::NotOnRoute { serial, .. } => Verdict {
            status: CaptureStatus::NeedsReview,
            reasons: vec![format!("Счётчик № {serial} не указан в маршруте")],
            values: Vec::new(),
        },
        Recorded::Reading { serial, values } => {
            let check = check_values(ctx, values);
            let photo_for = [FindingCode::Rollover, FindingCode::HighConsumption];
            let confirmed: &[FindingCode] = if photos > 0 { &photo_for } else { &[] };
            let values = match check.accept(confirmed) {
                Ok(values) => values,
                Err(readings::ReadingError::Refused(why)) => return Verdict::rejected(why),
                Err(readings::ReadingError::NotConfirmed(why)) => {
                    return Verdict::rejected(format!("{PHOTO_NEEDED}: {why}"));
                }
            };
            let mut reasons = Vec::new();
            if let SerialCheck::Differs { written } = serial {
                reasons.push(format!(
                    "На счётчике номер {written}, а в маршруте {}",
                    ctx.meter.serial
                ));
            }
            let high = check.findings.iter().filter(|f| f.code == FindingCode::HighConsumption);
            reasons.extend(high.map(|f| f.message.clone()));
            let status = if reasons.is_empty() {
                CaptureStatus::Accepted
            } else {
                CaptureStatus::NeedsReview
            };
            Verdict { status, reasons, values }
        }
    }
}

/// What the reader's screen says of a capture before it is saved: the verdict it would get,
/// why, and whether a photo is what it lacks (then the screen asks for the camera).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Assessment {
    pub status: CaptureStatus,
    pub reasons: Vec<String>,
    pub photo_needed: bool,
}

/// [`judge`] for the screen: with `photos` taken so far, and whether one more would let it pass.
pub fn assess(ctx: &CheckContext, recorded: &Recorded, photos: usize) -> Assessment {
    let verdict = judge(ctx, recorded, photos);
    let photo_needed = verdict.status == CaptureStatus::Rejected
        && photos == 0
        && judge(ctx, recorded, 1).status != CaptureStatus::Rejected;
    Assessment { status: verdict.status, reasons: verdict.reasons, photo_needed }
}

/// A route's progress on the device: meters read, skipped, and left to walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Progress {
    pub done: u32,
    pub skipped: u32,
    pub left: u32,
}

/// The progress of `round` given the captures made of it (any order; a later capture of a meter
/// stands for it, a rejected one leaves it to do again). Cancelled stops are not walked; a
/// meter not on the route adds nothing to walk.
pub fn progress(
    round: &crate::api::RoundView,
    captures: &[(&crate::api::Capture, CaptureStatus)],
) -> Progress {
    let mut progress = Progress::default();
    for stop in round.stops.iter().filter(|s| !s.cancelled) {
        for meter in &stop.meters {
            let last = captures.iter().rev().find(|(c, status)| {
                *status != CaptureStatus::Rejected
                    && c.stop_id == stop.id
                    && c.meter_id.as_deref() == Some(meter.meter.id.as_str())
                    && !matches!(c.recorded, Recorded::NotOnRoute { .. })
            });
            match last.map(|(c, _)| &c.recorded) {
                Some(Recorded::Skip { .. }) => progress.skipped += 1,
                Some(_) => progress.done += 1,
                None => progress.left += 1,
            }
        }
    }
    progress
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use proptest::prelude::*;
    use rust_decimal::dec;

    use super::*;
    use crate::meter::{Dial, Meter, MeterScope, Reading, ReadingSource};
    use crate::readings::AcceptedReading;
    use crate::region::Region;

    fn meter(kind: MeterKind) -> Meter {
        Meter {
            id: "m1".into(),
            kind,
            serial: "0123456".into(),
            service_code: "cold_water".into(),
            dial: Dial { integer_digits: 5, fraction_digits: 3 },
            next_verification: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            scope: MeterScope::Individual,
        }
    }

    /// A cold-water meter read at `last` on 21 October, checked on 21 November.
    fn ctx(last: Decimal) -> CheckContext {
        let reading = Reading {
            meter_id: "m1".into(),
            values: vec![ZoneValue { zone: TariffZone::Single, value: last }],
            taken_at: Utc.with_ymd_and_hms(2026, 10, 21, 7, 0, 0).unwrap(),
            source: ReadingSource::Resident,
            photo: None,
        };
        let accepted = [AcceptedReading { period: "2026-10".parse().unwrap(), reading }];
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 7, 0, 0).unwrap();
        CheckContext::new(meter(MeterKind::ColdWater), Region::Kurgan, &accepted, now)
    }

    fn reading(text: &str) -> Recorded {
        Recorded::Reading {
            serial: SerialCheck::Confirmed,
            values: vec![ZoneInput { zone: TariffZone::Single, text: text.into() }],
        }
    }

    #[test]
    fn r24_the_expected_range_runs_from_the_previous_reading_by_the_norm_without_history() {
        // One reading only: no usual use, so the kind's floor (1 m³ a day × 31 days) applies.
        let range = expected_range(&ctx(dec!(100)));
        assert_eq!(
            range,
            vec![ExpectedRange { zone: TariffZone::Single, low: dec!(100), high: dec!(131) }]
        );
        let mut never_read = ctx(dec!(100));
        never_read.previous = None;
        assert!(expected_range(&never_read).is_empty());
    }

    #[test]
    fn r24_a_range_past_the_dials_capacity_wraps_through_zero() {
        let range = expected_range(&ctx(dec!(99990)));
        assert_eq!((range[0].low, range[0].high), (dec!(99990), dec!(21)));
    }

    #[test]
    fn r24_a_value_in_range_is_accepted_without_a_photo() {
        let verdict = judge(&ctx(dec!(100)), &reading("107,5"), 0);
        assert_eq!(verdict.status, CaptureStatus::Accepted);
        assert_eq!(
            verdict.values,
            vec![ZoneValue { zone: TariffZone::Single, value: dec!(107.5) }]
        );
    }

    #[test]
    fn r24_out_of_range_or_a_rollover_needs_a_photo_and_out_of_range_goes_to_the_office() {
        let high = judge(&ctx(dec!(100)), &reading("500"), 0);
        assert_eq!(high.status, CaptureStatus::Rejected);
        assert!(high.reasons[0].starts_with(PHOTO_NEEDED), "{:?}", high.reasons);
        assert_eq!(judge(&ctx(dec!(100)), &reading("500"), 1).status, CaptureStatus::NeedsReview);
        let rollover = judge(&ctx(dec!(99995)), &reading("3"), 0);
        assert_eq!(rollover.status, CaptureStatus::Rejected);
        assert_eq!(judge(&ctx(dec!(99995)), &reading("3"), 1).status, CaptureStatus::Accepted);
    }

    #[test]
    fn r24_the_core_reading_checks_refuse_whatever_a_photo_shows() {
        for text in ["abc", "1234567", "50"] {
            let verdict = judge(&ctx(dec!(100)), &reading(text), 2);
            assert_eq!(verdict.status, CaptureStatus::Rejected, "{text}");
        }
    }

    #[test]
    fn r24_a_skip_for_a_fault_needs_a_photo_and_no_access_does_not() {
        for reason in SkipReason::ALL {
            let skip = Recorded::Skip { reason, note: String::new() };
            let without = judge(&ctx(dec!(1)), &skip, 0).status;
            assert_eq!(without == CaptureStatus::Rejected, reason.is_fault(), "{reason:?}");
            assert_eq!(judge(&ctx(dec!(1)), &skip, 1).status, CaptureStatus::Accepted);
        }
    }

    #[test]
    fn r24_a_differing_serial_and_a_meter_not_on_the_route_go_to_the_office() {
        let differs = Recorded::Reading {
            serial: SerialCheck::Differs { written: "777".into() },
            values: vec![ZoneInput { zone: TariffZone::Single, text: "105".into() }],
        };
        let verdict = judge(&ctx(dec!(100)), &differs, 0);
        assert_eq!(verdict.status, CaptureStatus::NeedsReview);
        assert!(verdict.reasons[0].contains("777"));
        let found = Recorded::NotOnRoute {
            serial: "888".into(),
            kind: MeterKind::HotWater,
            values: Vec::new(),
            note: String::new(),
        };
        assert_eq!(judge(&ctx(dec!(100)), &found, 0).status, CaptureStatus::NeedsReview);
    }

    #[test]
    fn r24_the_residents_window_does_not_bind_a_reader() {
        let mut late = ctx(dec!(100));
        // The 2nd of the month: Kurgan's window for residents is closed.
        late.now = Utc.with_ymd_and_hms(2026, 12, 2, 7, 0, 0).unwrap();
        assert!(
            check_values(&late, &[]).findings.iter().all(|f| !NOT_FOR_READERS.contains(&f.code))
        );
        assert_eq!(judge(&late, &reading("120"), 0).status, CaptureStatus::Accepted);
    }

    #[test]
    fn r24_progress_counts_read_skipped_and_left_meters_and_skips_cancelled_stops() {
        use crate::api::{Capture, RoundView, RouteMeter, RouteStop};
        let stop = |id: &str, meters: &[&str], cancelled: bool| RouteStop {
            id: id.into(),
            building: "kurgan-0".into(),
            entrance: 1,
            flat: "1".into(),
            address: String::new(),
            access_note: String::new(),
            owner: String::new(),
            region: Region::Kurgan,
            cancelled,
            meters: meters
                .iter()
                .map(|&m| RouteMeter {
                    meter: Meter { id: m.into(), ..meter(MeterKind::ColdWater) },
                    previous: None,
                    previous_accepted_at: None,
                    expected: Vec::new(),
                    history: Vec::new(),
                })
                .collect(),
        };
        let round = RoundView {
            id: "R-1".into(),
            name: String::new(),
            version: 1,
            today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            stops: vec![
                stop("s1", &["a", "b"], false),
                stop("s2", &["c"], false),
                stop("s3", &["d"], true),
            ],
        };
        let capture = |id: &str, stop: &str, meter: &str, recorded: Recorded| Capture {
            device_id: id.into(),
            stop_id: stop.into(),
            meter_id: Some(meter.into()),
            recorded,
            taken_at: Utc.with_ymd_and_hms(2026, 11, 21, 7, 0, 0).unwrap(),
            position: None,
            photos: Vec::new(),
        };
        let read = capture("1", "s1", "a", reading("5"));
        let skip = capture(
            "2",
            "s1",
            "b",
            Recorded::Skip { reason: SkipReason::NoAccess, note: String::new() },
        );
        let refused = capture("3", "s2", "c", reading("5"));
        let cancelled = capture("4", "s3", "d", reading("5"));
        let made = [
            (&read, CaptureStatus::Accepted),
            (&skip, CaptureStatus::Accepted),
            (&refused, CaptureStatus::Rejected),
            (&cancelled, CaptureStatus::Accepted),
        ];
        assert_eq!(progress(&round, &made), Progress { done: 1, skipped: 1, left: 1 });
    }

    proptest! {
        /// R24: a value inside its expected range never needs a photo, one above it always does.
        #[test]
        fn r24_inside_the_range_needs_no_photo_above_it_does(last in 0u32..90_000, step in 0u32..60_000) {
            let ctx = ctx(Decimal::from(last));
            let range = &expected_range(&ctx)[0];
            let value = Decimal::from(last) + Decimal::from(step) / Decimal::from(1000);
            let verdict = judge(&ctx, &reading(&value.to_string()), 0);
            if value <= range.high {
                prop_assert_eq!(verdict.status, CaptureStatus::Accepted);
            } else {
                prop_assert_eq!(verdict.status, CaptureStatus::Rejected);
            }
        }
    }
}
