//! Meters (приборы учёта) and the readings taken from them.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::service::{TariffZone, Unit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum MeterKind {
    ElectricitySingle,
    ElectricityTwoZone,
    ElectricityThreeZone,
    ColdWater,
    HotWater,
    Gas,
    Heat,
}

impl MeterKind {
    pub const ALL: [MeterKind; 7] = [
        MeterKind::ElectricitySingle,
        MeterKind::ElectricityTwoZone,
        MeterKind::ElectricityThreeZone,
        MeterKind::ColdWater,
        MeterKind::HotWater,
        MeterKind::Gas,
        MeterKind::Heat,
    ];

    /// The zones a reading of this meter must carry, in the order the dial shows them.
    pub fn zones(self) -> &'static [TariffZone] {
        match self {
            MeterKind::ElectricityTwoZone => &[TariffZone::Day, TariffZone::Night],
            MeterKind::ElectricityThreeZone => {
                &[TariffZone::Peak, TariffZone::Night, TariffZone::SemiPeak]
            }
            _ => &[TariffZone::Single],
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            MeterKind::ElectricitySingle
            | MeterKind::ElectricityTwoZone
            | MeterKind::ElectricityThreeZone => Unit::Kwh,
            MeterKind::ColdWater | MeterKind::HotWater | MeterKind::Gas => Unit::CubicMetre,
            MeterKind::Heat => Unit::Gcal,
        }
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            MeterKind::ElectricitySingle => "Электроэнергия",
            MeterKind::ElectricityTwoZone => "Электроэнергия, двухтарифный",
            MeterKind::ElectricityThreeZone => "Электроэнергия, трёхтарифный",
            MeterKind::ColdWater => "Холодная вода",
            MeterKind::HotWater => "Горячая вода",
            MeterKind::Gas => "Газ",
            MeterKind::Heat => "Тепловая энергия",
        }
    }
}

/// The counting mechanism: black drums for whole units, red ones for the fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Dial {
    pub integer_digits: u32,
    pub fraction_digits: u32,
}

// Exported so the apps show a dial's digits and its use by the core's rule, never their own.
#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Dial {
    /// The value at which the dial rolls over to zero: 10^integer_digits.
    pub fn capacity(self) -> Decimal {
        Decimal::from(10u64.pow(self.integer_digits.min(18)))
    }

    /// Use between two readings of this dial, counted through zero when it rolled over. `None`
    /// when the two cannot follow each other on this dial (see [`Dial::through_zero`]).
    pub fn consumption(self, previous: Decimal, current: Decimal) -> Option<Decimal> {
        if current >= previous {
            current.checked_sub(previous)
        } else {
            self.through_zero(previous, current)
        }
    }

    /// Use from `previous` to a lower `current` had the dial rolled over, past its capacity
    /// back to zero. `None` from a value the dial cannot show (another meter's, a corrupt
    /// record): counting through zero from there would give a negative use.
    pub fn through_zero(self, previous: Decimal, current: Decimal) -> Option<Decimal> {
        let capacity = self.capacity();
        (previous < capacity).then(|| (capacity - previous).checked_add(current)).flatten()
    }

    /// What a person reads off this dial for `value`: the digits it has, the rest cut off (a
    /// dial shows the drum's digit, it does not round).
    pub fn reading(self, value: Decimal) -> Decimal {
        value
            .round_dp_with_strategy(
                self.fraction_digits.min(28),
                rust_decimal::RoundingStrategy::ToZero,
            )
            .normalize()
    }

    /// The dial can show `value`: not negative, below its capacity, no more decimals than it has.
    pub fn shows(self, value: Decimal) -> bool {
        !value.is_sign_negative()
            && value < self.capacity()
            && value.normalize().scale() <= self.fraction_digits
    }
}

/// Individual meters are the resident's; common-house (общедомовые) ones measure the building.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum MeterScope {
    Individual,
    CommonHouse,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Meter {
    pub id: String,
    pub kind: MeterKind,
    pub serial: String,
    /// The service its consumption is billed as.
    pub service_code: String,
    pub dial: Dial,
    /// Date of the next metrological verification (поверка); readings after it are refused.
    pub next_verification: NaiveDate,
    pub scope: MeterScope,
}

/// A verification date this many days ahead or nearer is shown as ending soon.
pub const VERIFICATION_SOON_DAYS: u64 = 30;

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Meter {
    /// The verification date has passed on `today` (the region's date), so readings are
    /// refused; the meter is valid through the date itself.
    pub fn verification_expired(&self, today: NaiveDate) -> bool {
        today > self.next_verification
    }

    /// Not expired yet, but the verification date is within [`VERIFICATION_SOON_DAYS`].
    pub fn verification_due_soon(&self, today: NaiveDate) -> bool {
        !self.verification_expired(today)
            && today
                .checked_add_days(chrono::Days::new(VERIFICATION_SOON_DAYS))
                .is_some_and(|soon| self.next_verification <= soon)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ReadingSource {
    Resident,
    MeterReader,
    /// Proposed by on-device recognition of a dial photo and accepted by a person (R21).
    Ocr,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ZoneValue {
    pub zone: TariffZone,
    pub value: Decimal,
}

impl ZoneValue {
    /// Values as printed: `123,251` for one zone, `День (Т1) 19 604,8; Ночь (Т2) 10 173,3` for more.
    pub fn list_ru(values: &[ZoneValue]) -> String {
        let shown: Vec<String> = values
            .iter()
            .map(|v| {
                let value = crate::money::format_decimal_ru(v.value);
                if values.len() > 1 { format!("{} {value}", v.zone.name_ru()) } else { value }
            })
            .collect();
        shown.join("; ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub meter_id: String,
    pub values: Vec<ZoneValue>,
    pub taken_at: DateTime<Utc>,
    pub source: ReadingSource,
    /// Reference to an attached photo of the dial (a stored file's id), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

impl Reading {
    pub fn value(&self, zone: TariffZone) -> Option<Decimal> {
        self.values.iter().find(|v| v.zone == zone).map(|v| v.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dial_shows_its_own_digits_only() {
        let dial = Dial { integer_digits: 5, fraction_digits: 1 };
        let third = Decimal::new(157_352, 1) / Decimal::from(3); // 5245,0666…
        assert_eq!(dial.reading(third), Decimal::new(52450, 1));
        assert!(dial.shows(dial.reading(third)));
        assert!(!dial.shows(third), "more decimals than the dial has");
        assert!(!dial.shows(Decimal::from(100_000)), "past the capacity");
        assert!(!dial.shows(Decimal::from(-1)));
        assert!(dial.shows(Decimal::new(123_450, 2)), "1234,50 is 1234,5 on the dial");
    }
    use rust_decimal::dec;

    #[test]
    fn consumption_counts_through_zero_after_a_rollover() {
        let dial = Dial { integer_digits: 5, fraction_digits: 3 };
        assert_eq!(dial.capacity(), dec!(100000));
        assert_eq!(dial.consumption(dec!(120.5), dec!(130.75)), Some(dec!(10.25)));
        assert_eq!(dial.consumption(dec!(99990.000), dec!(4.5)), Some(dec!(14.5)));
        assert_eq!(dial.consumption(dec!(7), dec!(7)), Some(dec!(0)));
        assert_eq!(dial.consumption(dec!(100000), dec!(4.5)), None, "from beyond the dial");
    }

    #[test]
    fn verification_is_valid_through_its_date_and_ends_soon_within_30_days() {
        let date = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        let meter = Meter {
            id: "m1".into(),
            kind: MeterKind::ColdWater,
            serial: "1".into(),
            service_code: "cold_water".into(),
            dial: Dial { integer_digits: 5, fraction_digits: 3 },
            next_verification: date(30),
            scope: MeterScope::Individual,
        };
        assert!(!meter.verification_expired(date(30)), "valid on the date itself");
        assert!(meter.verification_due_soon(date(30)));
        assert!(meter.verification_due_soon(date(1)), "29 days ahead");
        let later = Meter { next_verification: date(1) + chrono::Days::new(31), ..meter.clone() };
        assert!(!later.verification_due_soon(date(1)), "31 days ahead");
        let passed = Meter { next_verification: date(29), ..meter };
        assert!(passed.verification_expired(date(30)));
        assert!(!passed.verification_due_soon(date(30)), "expired is not ending soon");
    }

    #[test]
    fn zone_values_print_with_zone_names_only_when_there_are_several() {
        let one = [ZoneValue { zone: TariffZone::Single, value: dec!(123.250) }];
        assert_eq!(ZoneValue::list_ru(&one), "123,25");
        let two = [
            ZoneValue { zone: TariffZone::Day, value: dec!(19604.8) },
            ZoneValue { zone: TariffZone::Night, value: dec!(10173.3) },
        ];
        assert_eq!(ZoneValue::list_ru(&two), "День (Т1) 19\u{a0}604,8; Ночь (Т2) 10\u{a0}173,3");
    }
}
