//! Reports (R13–R15).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Money;
use crate::account::AccountNumber;
use crate::billing::{ChargeLine, Totals};
use crate::meter::{MeterKind, MeterScope, ReadingSource, ZoneValue};
use crate::payment::Payment;
use crate::period::Period;

response! {
    /// R13: the payments of a date range, each with its receipt; the sum of those that succeeded.
    pub struct PaymentHistory {
        pub account_number: AccountNumber,
        pub from: NaiveDate,
        pub to: NaiveDate,
        pub payments: Vec<Payment>,
        pub total_paid: Money,
    }
}

response! {
    pub struct ChargeMonth {
        pub period: Period,
        pub lines: Vec<ChargeLine>,
        pub totals: Totals,
    }
}

response! {
    /// R14: the charges of the last months, oldest first.
    pub struct ChargeHistory {
        pub account_number: AccountNumber,
        pub months: Vec<ChargeMonth>,
    }
}

response! {
    pub struct ReadingsReportRow {
        pub meter_id: String,
        pub serial: String,
        pub kind: MeterKind,
        pub period: Period,
        pub values: Vec<ZoneValue>,
        /// Since the previous accepted reading, per zone; none for the first one.
        pub consumption: Vec<ZoneValue>,
        pub source: ReadingSource,
        pub accepted_at: DateTime<Utc>,
    }
}

impl ReadingsReportRow {
    /// The row as printed: period, meter, serial, readings, consumption, day accepted (UTC).
    pub fn cells_ru(&self) -> [String; 6] {
        [
            self.period.name_ru(),
            self.kind.name_ru().to_owned(),
            self.serial.clone(),
            ZoneValue::list_ru(&self.values),
            ZoneValue::list_ru(&self.consumption),
            self.accepted_at.format("%d.%m.%Y").to_string(),
        ]
    }
}

response! {
    /// R15: individual readings accepted through the LK, or the building's common-house meters.
    pub struct ReadingsReport {
        pub account_number: AccountNumber,
        pub kind: MeterScope,
        pub from: Period,
        pub to: Period,
        pub rows: Vec<ReadingsReportRow>,
    }
}
