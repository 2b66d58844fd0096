//! Meters and readings (R10–R12).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::meter::{Meter, Reading, ReadingSource};
use crate::period::Period;
use crate::readings::{AcceptedReading, FindingCode, ZoneInput};
use crate::region::{Region, SubmissionWindow};

response! {
    /// A meter as the readings screen shows it (R10).
    pub struct MeterView {
        pub meter: Meter,
        /// The reading at the start of the period: the last one accepted before it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub start: Option<Reading>,
        /// This period's accepted submission, if any (a new one replaces it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub current: Option<Reading>,
        pub verification_expired: bool,
        /// The verification date is within 30 days.
        pub verification_due_soon: bool,
        /// The accepted readings a check now or later compares with and measures the usual use
        /// by (`readings::history_to_keep`), oldest first: the device's offline check builds
        /// the same context from them as the service. Empty in views kept before it was sent.
        #[serde(default)]
        pub history: Vec<AcceptedReading>,
    }
}

response! {
    pub struct MetersView {
        /// The region's date today.
        pub today: NaiveDate,
        /// The account's region, whose clock and window judge a reading (none in views kept
        /// before it was sent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub region: Option<Region>,
        pub window: SubmissionWindow,
        pub window_open: bool,
        /// The period a reading sent now counts for; none when the window refuses it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub period: Option<Period>,
        pub meters: Vec<MeterView>,
    }
}

request! {
    /// The values typed per zone, for the check before submitting (R11).
    pub struct ReadingInput {
        pub values: Vec<ZoneInput>,
    }
}

request! {
    /// A submission: the values, and every finding the resident confirmed in the dialog.
    pub struct ReadingSubmission {
        pub values: Vec<ZoneInput>,
        #[serde(default)]
        pub confirmed: Vec<FindingCode>,
        /// Typed (default) or proposed from a photo and accepted (R21).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub source: Option<ReadingSource>,
        /// When the dial was read, if earlier than sending (an offline submission).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub taken_at: Option<DateTime<Utc>>,
        /// A photo of the dial uploaded before (its id from `PUT /photos/{key}`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub photo: Option<String>,
    }
}

response! {
    /// An uploaded photo of a dial.
    pub struct PhotoStored {
        pub id: String,
        pub bytes: u64,
    }
}

response! {
    /// "Спасибо, Ваши показания приняты" with what was recorded.
    pub struct ReadingAccepted {
        pub reading: Reading,
        pub period: Period,
        /// Set by the server (R11: the date is recorded automatically).
        pub accepted_at: DateTime<Utc>,
        /// An earlier submission of the period was replaced (R12).
        pub replaced_earlier: bool,
        pub message: String,
    }
}
