//! How the types of other crates cross the FFI (feature `uniffi`): decimals as their exact text
//! (the bindings map them to `java.math.BigDecimal` and `Decimal`), instants as timestamps (the
//! platform's `Instant` and `Date`), calendar dates and local times with their offset as ISO
//! text (`LocalDate`, `OffsetDateTime`).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::ffi_error::unreadable;

/// Tariffs, volumes, areas: exact decimals (named so as not to shadow Foundation's `Decimal`).
pub type Quantity = Decimal;

uniffi::custom_type!(Quantity, String, {
    remote,
    lower: |value| value.to_string(),
    try_lift: |text| text.parse().map_err(|_| unreadable(&text, "это не число")),
});

/// A moment in time, in UTC.
pub type Instant = DateTime<Utc>;

uniffi::custom_type!(Instant, std::time::SystemTime, {
    remote,
    lower: |instant| instant.into(),
    try_lift: |time| Ok(time.into()),
});

uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |date| date.format("%Y-%m-%d").to_string(),
    try_lift: |text| text.parse().map_err(|_| unreadable(&text, "это не дата")),
});

/// A local time with its offset from UTC (a receipt's time, as printed).
pub type OffsetTime = DateTime<FixedOffset>;

uniffi::custom_type!(OffsetTime, String, {
    remote,
    lower: |time| time.to_rfc3339(),
    try_lift: |text| {
        DateTime::parse_from_rfc3339(&text).map_err(|_| unreadable(&text, "это не дата и время"))
    },
});
