//! Services billed on the payment document, their units and tariffs.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Unit of column 5 of the charges table (R7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// `Unit` would shadow Kotlin's `Unit` and Foundation's `Unit` in the bindings.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "MeasureUnit"))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Kwh,
    CubicMetre,
    SquareMetre,
    Gcal,
    Person,
    Month,
}

impl Unit {
    pub fn symbol_ru(self) -> &'static str {
        match self {
            Unit::Kwh => "кВт·ч",
            Unit::CubicMetre => "м³",
            Unit::SquareMetre => "м²",
            Unit::Gcal => "Гкал",
            Unit::Person => "чел.",
            Unit::Month => "мес.",
        }
    }
}

/// Tariff zones of a meter. Two-zone electricity: T1 day, T2 night; three-zone: T1 peak,
/// T2 night, T3 semi-peak — the numbering printed on Russian meters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum TariffZone {
    Single,
    Day,
    Night,
    Peak,
    SemiPeak,
}

impl TariffZone {
    pub fn name_ru(self) -> &'static str {
        match self {
            TariffZone::Single => "Круглосуточно",
            TariffZone::Day => "День (Т1)",
            TariffZone::Night => "Ночь (Т2)",
            TariffZone::Peak => "Пик (Т1)",
            TariffZone::SemiPeak => "Полупик (Т3)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable code shared by documents, tariffs, meters and payments (e.g. `electricity`).
    pub code: String,
    pub name: String,
    pub unit: Unit,
    /// INN of the supplier the money for this service goes to.
    pub supplier_inn: String,
    /// Whether the supplier lets the resident change this line's share of a payment (R9).
    pub amount_editable: bool,
}

/// Price of one unit of a service in one zone, roubles with up to four decimals (as regulators
/// publish them); the product with a volume is rounded to kopecks only once, in billing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Tariff {
    pub service_code: String,
    pub zone: TariffZone,
    pub price: Decimal,
}
