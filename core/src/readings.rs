//! Checking a meter reading before it is sent and again when it is accepted (R11, R12), and
//! picking a reading out of text recognised on a photo of the dial (R21).
//!
//! [`check`] returns the consumption per zone and a list of findings. A finding either refuses
//! the submission, needs the resident's explicit confirmation, or only informs. The rules:
//!
//! * **refuse**: not a number; negative; more whole or fraction digits than the dial has; a zone
//!   of the meter left empty, a zone it does not have, or one given twice; the meter's
//!   verification date has passed; lower than the previous reading without a plausible rollover;
//!   outside the region's window where the region's policy refuses late readings.
//! * **confirm**: the dial rolled over (lower than before, and counting through zero gives less
//!   than [`ROLLOVER_MAX_SHARE`] of the dial's capacity); consumption above
//!   [`HIGH_USE_FACTOR`] × the average daily use × the days since the previous reading (never
//!   below the kind's [`daily_floor`] × days, which alone applies without history); outside the
//!   window where the policy takes the reading for the next period.
//! * **info**: a second submission in the same period replaces the first.
//!
//! Dates are judged in the region's clock, never the device's.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::meter::{Meter, MeterKind, Reading, ZoneValue};
use crate::period::Period;
use crate::region::{OutsideWindow, Region, SubmissionWindow};
use crate::service::TariffZone;
use crate::wording::{count, number, quantity};

/// «цифра» by count: the dial's digits in the refusals.
const DIGITS: [&str; 3] = ["цифра", "цифры", "цифр"];

/// Consumption above this multiple of the usual daily use, times the days elapsed, needs a
/// second confirmation.
pub const HIGH_USE_FACTOR: u32 = 3;

/// A reading lower than the previous one is taken as a rollover only if counting through zero
/// gives less than this share of the dial's capacity (a tenth): more than that would mean the
/// meter turned most of the way round in one period.
pub const ROLLOVER_MAX_SHARE: Decimal = Decimal::from_parts(1, 0, 0, false, 1);

/// Daily use per zone below which no consumption is called high, whatever the history: generous
/// for a household, so the second confirmation is kept for real outliers.
pub fn daily_floor(kind: MeterKind) -> Decimal {
    match kind {
        MeterKind::ElectricitySingle
        | MeterKind::ElectricityTwoZone
        | MeterKind::ElectricityThreeZone => Decimal::from(30),
        MeterKind::ColdWater => Decimal::ONE,
        MeterKind::HotWater => Decimal::new(6, 1),
        MeterKind::Gas => Decimal::from(15),
        MeterKind::Heat => Decimal::new(5, 1),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Refuse,
    Confirm,
    Info,
}

/// Stable codes: the apps translate and test by these, never by the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    NotANumber,
    Negative,
    TooManyIntegerDigits,
    TooManyFractionDigits,
    ZoneMissing,
    UnknownZone,
    DuplicateZone,
    VerificationExpired,
    BelowPrevious,
    WindowClosed,
    Rollover,
    HighConsumption,
    OutsideWindow,
    ReplacesEarlier,
}

impl FindingCode {
    pub fn severity(self) -> Severity {
        use FindingCode::*;
        match self {
            NotANumber
            | Negative
            | TooManyIntegerDigits
            | TooManyFractionDigits
            | ZoneMissing
            | UnknownZone
            | DuplicateZone
            | VerificationExpired
            | BelowPrevious
            | WindowClosed => Severity::Refuse,
            Rollover | HighConsumption | OutsideWindow => Severity::Confirm,
            ReplacesEarlier => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<TariffZone>,
    pub message: String,
}

impl Finding {
    fn new(code: FindingCode, zone: Option<TariffZone>, message: String) -> Finding {
        let message = match zone {
            Some(z) if z != TariffZone::Single => format!("{}: {message}", z.name_ru()),
            _ => message,
        };
        Finding { code, severity: code.severity(), zone, message }
    }
}

/// The usual daily use is measured over the readings of this many days before the check.
pub const USUAL_USE_DAYS: i64 = 365;

/// A reading the service accepted, with the billing period it counts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AcceptedReading {
    pub period: Period,
    pub reading: Reading,
}

/// The period a reading taken at `now` counts for; this month's when the window refuses it
/// (the check then says so).
pub fn reading_period(region: Region, now: DateTime<Utc>) -> Period {
    let today = region.local_date(now);
    region.default_window().period_for(today).unwrap_or(Period::of_date(today))
}

/// R10's reading at the start of `period`: the last one accepted for an earlier period.
pub fn start_of_period(accepted: &[AcceptedReading], period: Period) -> Option<&AcceptedReading> {
    accepted.iter().filter(|a| a.period < period).max_by_key(|a| a.period)
}

/// The submission accepted for `period`, which a new one replaces (R12).
pub fn submitted_in(accepted: &[AcceptedReading], period: Period) -> Option<&AcceptedReading> {
    accepted.iter().rev().find(|a| a.period == period)
}

/// The accepted readings (in the order given) that a check at `now` or any time later can use:
/// from the reading at the start of the current period on, since a later check compares with it
/// or a newer one, and every one of the last [`USUAL_USE_DAYS`], for the usual use. The meters
/// view carries these to the device, so its offline check finds what the service's would.
pub fn history_to_keep(
    accepted: &[AcceptedReading],
    region: Region,
    now: DateTime<Utc>,
) -> Vec<AcceptedReading> {
    let start = start_of_period(accepted, reading_period(region, now)).map(|a| a.period);
    accepted
        .iter()
        .filter(|a| {
            start.is_none_or(|s| a.period >= s)
                || days_between(a.reading.taken_at, now) <= USUAL_USE_DAYS
        })
        .cloned()
        .collect()
}

/// Everything the rules need to know besides the new values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CheckContext {
    pub meter: Meter,
    pub region: Region,
    pub window: SubmissionWindow,
    /// The last accepted reading before the current period: R10's "reading at the start of the
    /// period". A submission already accepted in this period is not it, since it gets replaced.
    #[serde(default)]
    pub previous: Option<Reading>,
    /// Earlier accepted readings, any order, for the usual daily use.
    #[serde(default)]
    pub history: Vec<Reading>,
    /// This period already has an accepted submission.
    #[serde(default)]
    pub resubmission: bool,
    pub now: DateTime<Utc>,
}

impl CheckContext {
    /// The context of a reading of `meter` taken at `now`, from the meter's accepted readings:
    /// which one it is compared with, whether it replaces one, and the history of the usual use.
    /// The service's check and the device's offline one both start here.
    pub fn new(
        meter: Meter,
        region: Region,
        accepted: &[AcceptedReading],
        now: DateTime<Utc>,
    ) -> CheckContext {
        let period = reading_period(region, now);
        CheckContext {
            previous: start_of_period(accepted, period).map(|a| a.reading.clone()),
            resubmission: submitted_in(accepted, period).is_some(),
            history: accepted.iter().map(|a| a.reading.clone()).collect(),
            region,
            window: region.default_window(),
            meter,
            now,
        }
    }
}

/// A zone's value as the resident typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ZoneInput {
    pub zone: TariffZone,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ZoneResult {
    pub zone: TariffZone,
    pub value: Option<Decimal>,
    pub previous: Option<Decimal>,
    /// New minus previous, counted through zero after a rollover.
    pub consumption: Option<Decimal>,
}

/// What the confirmation dialog shows (R11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReadingCheck {
    pub zones: Vec<ZoneResult>,
    pub findings: Vec<Finding>,
    /// The billing period the reading will count for; `None` when the window refuses it.
    pub period: Option<Period>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadingError {
    #[error("{0}")]
    Refused(String),
    #[error("Подтвердите: {0}")]
    NotConfirmed(String),
}

/// A reading's claimed time that cannot belong to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Показания сняты {taken}, а принимаются за {period}: снимите их заново")]
pub struct TakenTooEarly {
    /// When it claims to have been taken, `ДД.ММ.ГГГГ` in the region.
    pub taken: String,
    /// The period it would count for, as `ноябрь 2026`.
    pub period: String,
}

/// When a reading was taken, as the supplier records it. A time ahead of the service's clock is
/// the phone's clock running fast: the time of arrival stands instead. One before the month
/// preceding the reading's period (a reading queued offline late last month still counts)
/// cannot belong to it and is refused.
pub fn taken_at(
    claimed: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    period: Period,
    region: Region,
) -> Result<DateTime<Utc>, TakenTooEarly> {
    let Some(claimed) = claimed.filter(|t| *t <= now) else { return Ok(now) };
    let local = region.local_date(claimed);
    if local < period.previous().first_day() {
        return Err(TakenTooEarly { taken: crate::wording::date(local), period: period.name_ru() });
    }
    Ok(claimed)
}

// Exported so the apps ask the core, never re-derive severities themselves.
#[cfg_attr(feature = "uniffi", uniffi::export)]
impl ReadingCheck {
    /// A finding refuses the submission: it cannot be sent as typed.
    pub fn is_refused(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Refuse)
    }

    /// The codes the resident must confirm before the submission can go.
    pub fn to_confirm(&self) -> Vec<FindingCode> {
        self.findings.iter().filter(|f| f.severity == Severity::Confirm).map(|f| f.code).collect()
    }
}

impl ReadingCheck {
    /// The values to record, if nothing refuses and everything that needs confirming was
    /// confirmed.
    pub fn accept(&self, confirmed: &[FindingCode]) -> Result<Vec<ZoneValue>, ReadingError> {
        let messages = |severity: Severity, skip: &[FindingCode]| {
            self.findings
                .iter()
                .filter(|f| f.severity == severity && !skip.contains(&f.code))
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let refused = messages(Severity::Refuse, &[]);
        if !refused.is_empty() {
            return Err(ReadingError::Refused(refused));
        }
        let unconfirmed = messages(Severity::Confirm, confirmed);
        if !unconfirmed.is_empty() {
            return Err(ReadingError::NotConfirmed(unconfirmed));
        }
        Ok(self
            .zones
            .iter()
            .filter_map(|z| z.value.map(|value| ZoneValue { zone: z.zone, value }))
            .collect())
    }
}

pub fn check(ctx: &CheckContext, input: &[ZoneInput]) -> ReadingCheck {
    let (period, mut findings) = meter_findings(ctx);
    for (i, given) in input.iter().enumerate() {
        if !ctx.meter.kind.zones().contains(&given.zone) {
            findings.push(Finding::new(
                FindingCode::UnknownZone,
                Some(given.zone),
                "у этого счётчика нет такой тарифной зоны".into(),
            ));
        } else if input[..i].iter().any(|earlier| earlier.zone == given.zone) {
            findings.push(Finding::new(
                FindingCode::DuplicateZone,
                Some(given.zone),
                "показание зоны указано дважды".into(),
            ));
        }
    }
    let zones = ctx
        .meter
        .kind
        .zones()
        .iter()
        .map(|&zone| {
            let text = input.iter().find(|i| i.zone == zone).map_or("", |i| i.text.as_str());
            match parse_value(text, ctx, zone) {
                Ok(value) => {
                    let (result, zone_findings) = judge_zone(ctx, zone, value);
                    findings.extend(zone_findings);
                    result
                }
                Err(finding) => {
                    findings.push(finding);
                    ZoneResult {
                        zone,
                        value: None,
                        previous: previous_value(ctx, zone),
                        consumption: None,
                    }
                }
            }
        })
        .collect();
    ReadingCheck { zones, findings, period }
}

/// Findings about the meter and the moment rather than the values.
fn meter_findings(ctx: &CheckContext) -> (Option<Period>, Vec<Finding>) {
    let mut findings = Vec::new();
    let today = ctx.region.local_date(ctx.now);
    if ctx.meter.verification_expired(today) {
        findings.push(Finding::new(
            FindingCode::VerificationExpired,
            None,
            format!(
                "Срок поверки счётчика истёк {}. Показания не принимаются до поверки. \
                 До неё начисление производится по среднемесячному объёму потребления \
                 (не более 3 расчётных периодов), затем по нормативу — п. 59 и 60 Правил, \
                 утверждённых Постановлением Правительства РФ № 354",
                crate::wording::date(ctx.meter.next_verification)
            ),
        ));
    }
    let window = ctx.window;
    let period = window.period_for(today);
    if !window.is_open_on(today) {
        let days = format!("с {} по {} число месяца", window.first_day, window.last_day);
        match (window.outside, period) {
            (OutsideWindow::AcceptForNextPeriod, Some(p)) => findings.push(Finding::new(
                FindingCode::OutsideWindow,
                None,
                format!("Показания принимаются {days}. Сейчас они будут учтены за {}", p.name_ru()),
            )),
            _ => findings.push(Finding::new(
                FindingCode::WindowClosed,
                None,
                format!("Показания принимаются {days}. Передайте их в эти дни"),
            )),
        }
    }
    if ctx.resubmission {
        findings.push(Finding::new(
            FindingCode::ReplacesEarlier,
            None,
            "Показания за этот период уже переданы: новые заменят их".into(),
        ));
    }
    (period, findings)
}

/// Reads a typed value: digits with at most one `,` or `.`, spaces ignored, leading zeros fine.
fn parse_value(text: &str, ctx: &CheckContext, zone: TariffZone) -> Result<Decimal, Finding> {
    let refuse = |code, message: String| Finding::new(code, Some(zone), message);
    let dial = ctx.meter.dial;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(refuse(FindingCode::ZoneMissing, "введите показание".into()));
    }
    let (negative, body) = match compact.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let (whole, fraction) = body.split_once([',', '.']).unwrap_or((body, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
        return Err(refuse(FindingCode::NotANumber, format!("«{}» — не число", text.trim())));
    }
    if negative {
        return Err(refuse(FindingCode::Negative, "показание не может быть отрицательным".into()));
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    if whole.len() > dial.integer_digits as usize {
        return Err(refuse(
            FindingCode::TooManyIntegerDigits,
            format!("на счётчике {} до запятой", count(dial.integer_digits.into(), DIGITS)),
        ));
    }
    if fraction.len() > dial.fraction_digits as usize {
        return Err(refuse(
            FindingCode::TooManyFractionDigits,
            match dial.fraction_digits {
                0 => "на счётчике нет цифр после запятой".into(),
                n => format!(
                    "на счётчике {} после запятой (красные барабаны)",
                    count(n.into(), DIGITS)
                ),
            },
        ));
    }
    let text = format!("{}.{}", if whole.is_empty() { "0" } else { whole }, fraction);
    text.trim_end_matches('.')
        .parse::<Decimal>()
        .map_err(|_| refuse(FindingCode::NotANumber, format!("«{text}» — не число")))
}

fn previous_value(ctx: &CheckContext, zone: TariffZone) -> Option<Decimal> {
    ctx.previous.as_ref().and_then(|r| r.value(zone))
}

/// The value-dependent rules for one zone.
fn judge_zone(ctx: &CheckContext, zone: TariffZone, value: Decimal) -> (ZoneResult, Vec<Finding>) {
    let mut findings = Vec::new();
    let previous = previous_value(ctx, zone);
    let consumption = previous.and_then(|prev| {
        if value >= prev {
            // None only for a corrupt previous value beyond any decimal's reach of this one.
            return value.checked_sub(prev);
        }
        let capacity = ctx.meter.dial.capacity();
        let wrapped = ctx.meter.dial.through_zero(prev, value);
        if let Some(wrapped) = wrapped.filter(|&w| w < capacity * ROLLOVER_MAX_SHARE) {
            findings.push(Finding::new(
                FindingCode::Rollover,
                Some(zone),
                format!(
                    "показание меньше предыдущего ({}): счётчик перешёл через ноль, \
                     расход {}. Подтвердите, что это так",
                    number(prev),
                    quantity(wrapped, ctx.meter.kind.unit())
                ),
            ));
            Some(wrapped)
        } else {
            findings.push(Finding::new(
                FindingCode::BelowPrevious,
                Some(zone),
                format!("показание не может быть меньше предыдущего ({})", number(prev)),
            ));
            None
        }
    });
    if let (Some(used), Some(limit)) = (consumption, high_use_limit(ctx, zone))
        && used > limit
    {
        findings.push(Finding::new(
            FindingCode::HighConsumption,
            Some(zone),
            format!(
                "расход {} намного больше обычного. Проверьте показание и подтвердите ещё раз",
                quantity(used, ctx.meter.kind.unit())
            ),
        ));
    }
    (ZoneResult { zone, value: Some(value), previous, consumption }, findings)
}

/// The consumption above which a zone's use is called high, for the time since the previous
/// reading. `None` without a previous reading (nothing to measure from).
pub(crate) fn high_use_limit(ctx: &CheckContext, zone: TariffZone) -> Option<Decimal> {
    let previous = ctx.previous.as_ref()?;
    let days = Decimal::from(days_between(previous.taken_at, ctx.now).max(1));
    let floor = daily_floor(ctx.meter.kind) * days;
    // Past any decimal's range (corrupt history) the usual use says nothing: the floor stands.
    let usual = usual_daily_use(ctx, zone)
        .and_then(|per_day| per_day.checked_mul(Decimal::from(HIGH_USE_FACTOR))?.checked_mul(days))
        .unwrap_or(Decimal::ZERO);
    Some(floor.max(usual))
}

/// Average daily use of a zone over the known readings of the last year, if they span at least
/// four weeks and never went down (a rollover inside the history would distort it).
fn usual_daily_use(ctx: &CheckContext, zone: TariffZone) -> Option<Decimal> {
    let mut points: Vec<(DateTime<Utc>, Decimal)> = ctx
        .history
        .iter()
        .chain(ctx.previous.as_ref())
        .filter(|r| days_between(r.taken_at, ctx.now) <= USUAL_USE_DAYS)
        .filter_map(|r| r.value(zone).map(|v| (r.taken_at, v)))
        .collect();
    points.sort_by_key(|(at, _)| *at);
    let ((first_at, first), (last_at, last)) = (points.first()?, points.last()?);
    let days = days_between(*first_at, *last_at);
    if days < 28 || points.windows(2).any(|w| w[1].1 < w[0].1) {
        return None;
    }
    Some(last.checked_sub(*first)? / Decimal::from(days))
}

fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_days()
}

/// One text the on-device recogniser read from the dial, with its confidence (0..1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OcrCandidate {
    pub text: String,
    pub confidence: f32,
}

/// A reading proposed from a photo, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Recognised {
    pub value: Decimal,
    /// Confidence after penalties for letter fixes and for findings that need confirming.
    pub score: f32,
    /// Letters read where a digit must be (O→0, I→1, B→8) that were fixed.
    pub corrections: u32,
    /// Non-refusing findings of this value (rollover, high consumption).
    pub findings: Vec<Finding>,
}

/// Turns recogniser output for one zone into reading candidates that fit the dial and pass the
/// value checks, best first, one per value. Meter-level refusals (verification, window) are not
/// judged here: the submission's [`check`] reports them.
pub fn recognise(
    ctx: &CheckContext,
    zone: TariffZone,
    candidates: &[OcrCandidate],
) -> Vec<Recognised> {
    let mut found: Vec<Recognised> = candidates
        .iter()
        .filter_map(|candidate| {
            let (text, corrections) = normalise_ocr(
                &candidate.text,
                ctx.meter.dial.integer_digits,
                ctx.meter.dial.fraction_digits,
            )?;
            let value = parse_value(&text, ctx, zone).ok()?;
            let (_, findings) = judge_zone(ctx, zone, value);
            if findings.iter().any(|f| f.severity == Severity::Refuse) {
                return None;
            }
            let mut score = candidate.confidence.clamp(0.0, 1.0) * 0.9f32.powi(corrections as i32);
            // A value that needs confirming is more likely a misread than a plausible one.
            if !findings.is_empty() {
                score *= 0.5;
            }
            Some(Recognised { value, score, corrections, findings })
        })
        .collect();
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut seen = Vec::new();
    found.retain(|r| {
        let new = !seen.contains(&r.value);
        seen.push(r.value);
        new
    });
    found
}

/// Fixes look-alike letters and places the fraction separator where the red drums start.
/// Returns the text to parse and how many letters were fixed, or `None` if it is no reading.
fn normalise_ocr(raw: &str, integer_digits: u32, fraction_digits: u32) -> Option<(String, u32)> {
    let mut corrections = 0;
    let mut text = String::new();
    for ch in raw.chars().filter(|c| !c.is_whitespace()) {
        let fixed = match ch {
            'O' | 'o' | 'О' | 'о' | 'D' | 'Q' => '0',
            'I' | 'l' | '|' | 'i' | 'І' | '!' => '1',
            'B' | 'В' => '8',
            ',' | '.' | '0'..='9' => ch,
            _ => return None,
        };
        corrections += u32::from(fixed != ch);
        text.push(fixed);
    }
    let separators = text.matches([',', '.']).count();
    let digits = text.len() - separators;
    // In u64: a dial's digit counts come from outside and may add up past u32.
    let drums = u64::from(integer_digits) + u64::from(fraction_digits);
    match separators {
        0 if fraction_digits > 0 && digits as u64 == drums => {
            let (whole, fraction) = text.split_at(integer_digits as usize);
            Some((format!("{whole},{fraction}"), corrections))
        }
        0 | 1 => Some((text, corrections)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_taken_before_last_month_cannot_count_for_this_period() {
        use chrono::TimeZone;
        let november = Period::new(2026, 11).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap();
        let late_october = Utc.with_ymd_and_hms(2026, 10, 28, 9, 0, 0).unwrap();
        assert_eq!(taken_at(Some(late_october), now, november, Region::Kurgan), Ok(late_october));
        let ahead = now + chrono::Duration::hours(3);
        assert_eq!(taken_at(Some(ahead), now, november, Region::Kurgan), Ok(now), "a fast clock");
        assert_eq!(taken_at(None, now, november, Region::Kurgan), Ok(now));
        let epoch = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap();
        let refused = taken_at(Some(epoch), now, november, Region::Kurgan).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Показания сняты 01.01.1970, а принимаются за ноябрь 2026: снимите их заново"
        );
        // 30 September 20:00 UTC is already 1 October in Kurgan (UTC+5).
        let local_october = Utc.with_ymd_and_hms(2026, 9, 30, 20, 0, 0).unwrap();
        assert!(taken_at(Some(local_october), now, november, Region::Kurgan).is_ok());
    }
    use crate::meter::{Dial, MeterScope, ReadingSource};
    use chrono::{NaiveDate, TimeZone};
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        // Noon in the region (UTC+5).
        Utc.with_ymd_and_hms(y, m, d, 7, 0, 0).unwrap()
    }

    fn reading(taken_at: DateTime<Utc>, values: &[(TariffZone, Decimal)]) -> Reading {
        Reading {
            meter_id: "m1".into(),
            values: values.iter().map(|&(zone, value)| ZoneValue { zone, value }).collect(),
            taken_at,
            source: ReadingSource::Resident,
            photo: None,
        }
    }

    fn ctx(
        kind: MeterKind,
        integer_digits: u32,
        fraction_digits: u32,
        previous: &[(TariffZone, Decimal)],
    ) -> CheckContext {
        CheckContext {
            meter: Meter {
                id: "m1".into(),
                kind,
                serial: "0123456".into(),
                service_code: "electricity".into(),
                dial: Dial { integer_digits, fraction_digits },
                next_verification: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
                scope: MeterScope::Individual,
            },
            region: Region::Kurgan,
            window: Region::Kurgan.default_window(),
            previous: Some(reading(at(2026, 10, 20), previous)),
            history: vec![],
            resubmission: false,
            now: at(2026, 11, 20),
        }
    }

    fn single(prev: Decimal) -> CheckContext {
        ctx(MeterKind::ElectricitySingle, 5, 1, &[(TariffZone::Single, prev)])
    }

    fn input(text: &str) -> Vec<ZoneInput> {
        vec![ZoneInput { zone: TariffZone::Single, text: text.into() }]
    }

    fn codes(check: &ReadingCheck) -> Vec<FindingCode> {
        check.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn an_ordinary_reading_passes_with_its_consumption() {
        let c = check(&single(dec!(12000)), &input("12 250,5"));
        assert_eq!(codes(&c), vec![]);
        assert_eq!(c.zones[0].consumption, Some(dec!(250.5)));
        assert_eq!(c.period, Some(Period::new(2026, 11).unwrap()));
        assert_eq!(
            c.accept(&[]).unwrap(),
            vec![ZoneValue { zone: TariffZone::Single, value: dec!(12250.5) }]
        );
    }

    #[test]
    fn refuses_what_is_not_a_reading() {
        for (text, code) in [
            ("12a", FindingCode::NotANumber),
            ("1,2,3", FindingCode::NotANumber),
            (",", FindingCode::NotANumber),
            ("-5", FindingCode::Negative),
            ("123456", FindingCode::TooManyIntegerDigits),
            ("12300,25", FindingCode::TooManyFractionDigits),
            ("", FindingCode::ZoneMissing),
            ("11999", FindingCode::BelowPrevious),
        ] {
            let c = check(&single(dec!(12000)), &input(text));
            assert_eq!(codes(&c), vec![code], "{text:?}");
            assert!(c.is_refused());
            assert!(matches!(c.accept(&[code]), Err(ReadingError::Refused(_))));
        }
    }

    #[test]
    fn leading_zeros_and_trailing_fraction_zeros_fit_the_dial() {
        let c = check(&single(dec!(10)), &input("00030,50"));
        assert_eq!(codes(&c), vec![]);
        assert_eq!(c.zones[0].value, Some(dec!(30.5)));
    }

    #[test]
    fn rollover_at_the_dials_capacity_needs_confirmation() {
        let c = check(
            &ctx(MeterKind::ElectricitySingle, 5, 0, &[(TariffZone::Single, dec!(99950))]),
            &input("00030"),
        );
        assert_eq!(codes(&c), vec![FindingCode::Rollover]);
        assert_eq!(c.zones[0].consumption, Some(dec!(80)));
        assert!(matches!(c.accept(&[]), Err(ReadingError::NotConfirmed(_))));
        assert!(c.accept(&[FindingCode::Rollover]).is_ok());
        // Half the dial back is no rollover, it is a mistake.
        let c = check(
            &ctx(MeterKind::ColdWater, 5, 0, &[(TariffZone::Single, dec!(50000))]),
            &input("30"),
        );
        assert_eq!(codes(&c), vec![FindingCode::BelowPrevious]);
    }

    #[test]
    fn high_consumption_is_judged_against_history_with_a_floor() {
        // 31 days since the previous reading; no history: floor 30 kWh/day → 930 kWh.
        let mut c = single(dec!(1000));
        assert_eq!(codes(&check(&c, &input("1930"))), vec![]);
        assert_eq!(codes(&check(&c, &input("1931"))), vec![FindingCode::HighConsumption]);
        // A heavy user (2 000 kWh a month) is not nagged at 3 000.
        c.history = vec![reading(at(2026, 8, 20), &[(TariffZone::Single, dec!(0))])];
        c.previous = Some(reading(at(2026, 10, 20), &[(TariffZone::Single, dec!(4000))]));
        // 4 000 kWh over 61 days ≈ 65.6/day; ×3 ×31 days ≈ 6 098.
        assert_eq!(codes(&check(&c, &input("7000"))), vec![]);
        let high = check(&c, &input("12000"));
        assert_eq!(codes(&high), vec![FindingCode::HighConsumption]);
        assert!(high.accept(&[FindingCode::HighConsumption]).is_ok());
    }

    #[test]
    fn every_zone_of_a_multi_zone_meter_is_needed() {
        let c = ctx(
            MeterKind::ElectricityThreeZone,
            6,
            2,
            &[
                (TariffZone::Peak, dec!(100)),
                (TariffZone::Night, dec!(200)),
                (TariffZone::SemiPeak, dec!(300)),
            ],
        );
        let zone = |zone, text: &str| ZoneInput { zone, text: text.into() };
        let ok = check(
            &c,
            &[
                zone(TariffZone::Peak, "150"),
                zone(TariffZone::Night, "260,25"),
                zone(TariffZone::SemiPeak, "301"),
            ],
        );
        assert_eq!(codes(&ok), vec![]);
        let consumption: Vec<_> = ok.zones.iter().map(|z| z.consumption.unwrap()).collect();
        assert_eq!(consumption, vec![dec!(50), dec!(60.25), dec!(1)]);
        let missing =
            check(&c, &[zone(TariffZone::Peak, "150"), zone(TariffZone::SemiPeak, "301")]);
        assert_eq!(codes(&missing), vec![FindingCode::ZoneMissing]);
        assert_eq!(missing.findings[0].zone, Some(TariffZone::Night));
        let odd = check(
            &c,
            &[
                zone(TariffZone::Day, "1"),
                zone(TariffZone::Peak, "150"),
                zone(TariffZone::Peak, "151"),
                zone(TariffZone::Night, "260"),
                zone(TariffZone::SemiPeak, "301"),
            ],
        );
        assert_eq!(codes(&odd), vec![FindingCode::UnknownZone, FindingCode::DuplicateZone]);
    }

    #[test]
    fn an_expired_meter_is_refused_with_the_reason() {
        let mut c = single(dec!(100));
        c.meter.next_verification = NaiveDate::from_ymd_opt(2026, 11, 19).unwrap();
        let refused = check(&c, &input("150"));
        assert_eq!(codes(&refused), vec![FindingCode::VerificationExpired]);
        assert!(refused.findings[0].message.contains("354"));
        assert!(refused.findings[0].message.contains("19.11.2026"));
        c.meter.next_verification = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(codes(&check(&c, &input("150"))), vec![], "valid through its date");
    }

    #[test]
    fn window_policy_refuses_or_moves_to_the_next_period() {
        let mut c = single(dec!(100));
        c.now = at(2026, 11, 28);
        let late = check(&c, &input("150"));
        assert_eq!(codes(&late), vec![FindingCode::OutsideWindow]);
        assert_eq!(late.period, Some(Period::new(2026, 12).unwrap()));
        c.region = Region::Tyumen;
        c.window = Region::Tyumen.default_window();
        let closed = check(&c, &input("150"));
        assert_eq!(codes(&closed), vec![FindingCode::WindowClosed]);
        assert_eq!(closed.period, None);
    }

    #[test]
    fn the_window_is_judged_in_the_regions_clock() {
        let mut c = single(dec!(100));
        // 25 November 20:00 UTC is 26 November 01:00 in Kurgan: the window (15–25) has closed.
        c.now = Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap();
        assert_eq!(codes(&check(&c, &input("150"))), vec![FindingCode::OutsideWindow]);
    }

    #[test]
    fn a_resubmission_says_it_replaces_the_earlier_one() {
        let mut c = single(dec!(100));
        c.resubmission = true;
        let again = check(&c, &input("150"));
        assert_eq!(codes(&again), vec![FindingCode::ReplacesEarlier]);
        assert!(again.accept(&[]).is_ok(), "info needs no confirmation");
    }

    /// Monthly readings of a cold-water meter on the 22nd, 10 m³ a month from 100, periods
    /// `first`..: the October one counts for October, and so on.
    fn monthly(first: Period, months: u32) -> Vec<AcceptedReading> {
        std::iter::successors(Some(first), |p| Some(p.next()))
            .take(months as usize)
            .enumerate()
            .map(|(i, period)| AcceptedReading {
                period,
                reading: reading(
                    at(period.year(), period.month(), 22),
                    &[(TariffZone::Single, Decimal::from(100 + 10 * i))],
                ),
            })
            .collect()
    }

    #[test]
    fn the_context_compares_with_the_last_earlier_period_and_knows_a_resubmission() {
        let meter = single(dec!(0)).meter;
        let accepted = monthly(Period::new(2025, 11).unwrap(), 13); // November 2025 – November 2026
        // 20 November: the November reading is this period's, so October's is the start.
        let ctx = CheckContext::new(meter.clone(), Region::Kurgan, &accepted, at(2026, 11, 20));
        assert_eq!(ctx.previous, Some(accepted[11].reading.clone()));
        assert!(ctx.resubmission);
        assert_eq!(ctx.history.len(), 13);
        assert_eq!(ctx.window, Region::Kurgan.default_window());
        // 28 November, after Kurgan's window: the reading counts for December; November's is
        // the start and nothing is replaced.
        let late = CheckContext::new(meter, Region::Kurgan, &accepted, at(2026, 11, 28));
        assert_eq!(late.previous, Some(accepted[12].reading.clone()));
        assert!(!late.resubmission);
    }

    #[test]
    fn a_check_from_the_kept_history_finds_what_one_from_every_reading_finds() {
        let kept_at = at(2026, 11, 20);
        for (region, months) in [(Region::Kurgan, 25), (Region::Tyumen, 13), (Region::Orenburg, 2)]
        {
            let mut meter = single(dec!(0)).meter;
            meter.kind = MeterKind::ColdWater;
            let first = Period::new(2026, 12).unwrap();
            let accepted = monthly((0..months).fold(first, |p, _| p.previous()), months);
            let kept = history_to_keep(&accepted, region, kept_at);
            assert!(kept.len() < accepted.len() || months <= 13, "{region:?}: {}", kept.len());
            let last = accepted.last().and_then(|a| a.reading.value(TariffZone::Single));
            let last = last.unwrap_or_default();
            // Now, and later as the device may check offline (the next window too).
            for days in [0, 1, 5, 8, 12, 30, 40] {
                let now = kept_at + chrono::Duration::days(days);
                let all = CheckContext::new(meter.clone(), region, &accepted, now);
                let few = CheckContext::new(meter.clone(), region, &kept, now);
                for value in [last + dec!(3), last - dec!(5), last + dec!(500), last + dec!(40)] {
                    let typed = input(&value.to_string());
                    assert_eq!(
                        check(&all, &typed),
                        check(&few, &typed),
                        "{region:?} +{days} {value}"
                    );
                }
            }
        }
    }

    #[test]
    fn recognise_fixes_look_alikes_and_ranks_fitting_candidates() {
        let c = ctx(MeterKind::ColdWater, 5, 3, &[(TariffZone::Single, dec!(123))]);
        let ocr = |text: &str, confidence| OcrCandidate { text: text.into(), confidence };
        let found = recognise(
            &c,
            TariffZone::Single,
            &[
                ocr("OO13O 512", 0.7),  // letters for zeros, red drums without a comma
                ocr("00130,512", 0.6),  // the same value, lower confidence
                ocr("00I3l.5", 0.65),   // 131.5
                ocr("99999999", 0.99),  // fits the dial, but 99 877 m³ in a month: ranked last
                ocr("123456789", 0.99), // does not fit the dial
                ocr("00100", 0.9),      // below the previous reading
                ocr("kWh", 0.9),        // not a reading
            ],
        );
        let values: Vec<_> = found.iter().map(|r| r.value).collect();
        assert_eq!(values, vec![dec!(130.512), dec!(131.5), dec!(99999.999)]);
        assert_eq!(found[0].corrections, 0, "the clean read of 130.512 beat the fixed one");
        assert_eq!(found[1].corrections, 2);
        assert_eq!(found[2].findings[0].code, FindingCode::HighConsumption);
        let fixed = recognise(&c, TariffZone::Single, &[ocr("OO13O 512", 0.7)]);
        assert_eq!((fixed[0].value, fixed[0].corrections), (dec!(130.512), 3));
    }

    #[test]
    fn recognise_keeps_a_rollover_but_ranks_it_lower() {
        let c = ctx(MeterKind::HotWater, 5, 0, &[(TariffZone::Single, dec!(99990))]);
        let found = recognise(
            &c,
            TariffZone::Single,
            &[OcrCandidate { text: "00012".into(), confidence: 1.0 }],
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].findings[0].code, FindingCode::Rollover);
        assert!(found[0].score < 1.0);
    }

    // Found by fuzzing (core/tests/fuzz.rs): values from outside the dial's range.
    #[test]
    fn a_previous_value_beyond_the_dial_is_no_rollover_and_never_a_negative_use() {
        let beyond = ctx(MeterKind::ColdWater, 6, 0, &[(TariffZone::Single, Decimal::MAX)]);
        let c = check(&beyond, &input("0"));
        assert_eq!(c.zones[0].consumption, None);
        assert_eq!(codes(&c), vec![FindingCode::BelowPrevious]);
        // Further below zero than a decimal reaches: no use computed, no panic.
        let below = ctx(MeterKind::ColdWater, 28, 0, &[(TariffZone::Single, Decimal::MIN)]);
        let c = check(&below, &input("9999999999999999999999999999"));
        assert_eq!(c.zones[0].consumption, None);
    }

    #[test]
    fn a_history_spanning_every_decimal_does_not_overflow_the_usual_use() {
        let mut c = ctx(MeterKind::ColdWater, 5, 0, &[(TariffZone::Single, dec!(1))]);
        c.history = vec![reading(at(2026, 9, 1), &[(TariffZone::Single, Decimal::MIN)])];
        let checked = check(&c, &input("12"));
        assert_eq!(checked.zones[0].consumption, Some(dec!(11)));
        assert!(!checked.is_refused());
    }

    #[test]
    fn recognition_takes_dials_with_digit_counts_past_u32() {
        let mut c = single(dec!(100));
        c.meter.dial = Dial { integer_digits: 18, fraction_digits: u32::MAX };
        let found =
            recognise(&c, TariffZone::Single, &[OcrCandidate { text: "".into(), confidence: 0.0 }]);
        assert!(found.is_empty());
    }

    proptest! {
        #[test]
        fn any_typed_text_gets_an_answer_never_a_panic(text in "\\PC{0,16}") {
            let c = check(&single(dec!(100)), &input(&text));
            prop_assert_eq!(c.zones.len(), 1);
        }

        #[test]
        fn consumption_is_the_difference_or_the_wrap(prev in 0u32..100_000, new in 0u32..100_000) {
            let c = check(&ctx(MeterKind::ColdWater, 5, 0, &[(TariffZone::Single, Decimal::from(prev))]), &input(&new.to_string()));
            let consumption = c.zones[0].consumption;
            if new >= prev {
                prop_assert_eq!(consumption, Some(Decimal::from(new - prev)));
            } else if 100_000 - prev + new < 10_000 {
                prop_assert_eq!(consumption, Some(Decimal::from(100_000 - prev + new)));
                prop_assert!(codes(&c).contains(&FindingCode::Rollover));
            } else {
                prop_assert_eq!(consumption, None);
                prop_assert!(c.is_refused());
            }
        }

        #[test]
        fn recognise_never_proposes_a_value_check_would_refuse(text in "[0-9OIlB ,.]{1,10}", prev in 0u32..100_000) {
            let c = ctx(MeterKind::Gas, 5, 3, &[(TariffZone::Single, Decimal::from(prev))]);
            for r in recognise(&c, TariffZone::Single, &[OcrCandidate { text: text.clone(), confidence: 0.5 }]) {
                let rechecked = check(&c, &input(&r.value.to_string()));
                prop_assert!(!rechecked.is_refused(), "{} from {:?}", r.value, text);
            }
        }
    }
}
