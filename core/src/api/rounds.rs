//! Meter readers' rounds and the office's review of what they flagged (R24).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::meter::{Meter, Reading};
use crate::readings::AcceptedReading;
use crate::region::Region;
use crate::round::{CaptureStatus, ExpectedRange, Position, Recorded};

response! {
    /// A route assigned to the reader, as the list of rounds shows it.
    pub struct RoundSummary {
        pub id: String,
        pub name: String,
        /// Grows with every change the office makes to the route.
        pub version: u32,
        pub stops: u32,
        pub meters: u32,
        /// Meters with a capture the service has (accepted, for review or rejected).
        pub captured: u32,
    }
}

response! {
    pub struct RoundsView {
        pub rounds: Vec<RoundSummary>,
    }
}

response! {
    /// A meter at a stop, with what a check of its reading needs offline.
    pub struct RouteMeter {
        pub meter: Meter,
        /// The last accepted reading and when it was accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous: Option<Reading>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_accepted_at: Option<DateTime<Utc>>,
        /// Where today's reading is expected, per zone (`round::expected_range`).
        pub expected: Vec<ExpectedRange>,
        /// The readings the offline check compares with (`readings::history_to_keep`).
        pub history: Vec<AcceptedReading>,
    }
}

response! {
    /// One stop of a route: a flat, with its meters in the order they are walked.
    pub struct RouteStop {
        pub id: String,
        pub building: String,
        pub entrance: u32,
        pub flat: String,
        pub address: String,
        /// How to get in (a code, a neighbour with the key), if the office knows.
        pub access_note: String,
        /// The owner's name masked (Иванов И. И.): enough to greet, nothing more.
        pub owner: String,
        pub region: Region,
        /// Cancelled by the office after the route was given out: kept so captures made
        /// before stay, not walked.
        pub cancelled: bool,
        pub meters: Vec<RouteMeter>,
    }
}

response! {
    /// A whole route, downloaded for work without a connection.
    pub struct RoundView {
        pub id: String,
        pub name: String,
        pub version: u32,
        /// The region's date the expected ranges are for.
        pub today: NaiveDate,
        pub stops: Vec<RouteStop>,
    }
}

request! {
    /// What the reader recorded at a meter (or a meter found at the stop).
    pub struct Capture {
        /// Made on the device: the same capture sent again changes nothing.
        pub device_id: String,
        pub stop_id: String,
        /// The route's meter; none for a meter not on the route.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub meter_id: Option<String>,
        pub recorded: Recorded,
        pub taken_at: DateTime<Utc>,
        /// None: the device had no fix.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub position: Option<Position>,
        /// The keys of its photos (`PUT /photos/{key}`): readings go first, so a photo may be
        /// uploaded after the capture that names it.
        #[serde(default)]
        pub photos: Vec<String>,
    }
}

impl Capture {
    /// What a reader recorded at a stop, before the device saves it: saving names it
    /// (`device_id`) and adds its photos' keys.
    pub fn draft(
        stop_id: String,
        meter_id: Option<String>,
        recorded: Recorded,
        taken_at: DateTime<Utc>,
        position: Option<Position>,
    ) -> Capture {
        Capture {
            device_id: String::new(),
            stop_id,
            meter_id,
            recorded,
            taken_at,
            position,
            photos: Vec::new(),
        }
    }
}

request! {
    pub struct CaptureBatch {
        pub captures: Vec<Capture>,
    }
}

impl CaptureBatch {
    /// The most captures one request carries: a phone's sync sends a route's captures in
    /// batches of this many, the service refuses a larger one.
    pub const MAX: usize = 200;
}

response! {
    /// How the service took a capture: accepted, for the office to review, or rejected with
    /// the reasons.
    pub struct CaptureOutcome {
        pub device_id: String,
        pub status: CaptureStatus,
        pub reasons: Vec<String>,
    }
}

response! {
    pub struct CaptureOutcomes {
        pub outcomes: Vec<CaptureOutcome>,
    }
}

response! {
    /// A capture waiting for the office, with the resident's reading it meets, if any.
    pub struct FlaggedCapture {
        pub round_id: String,
        pub reader: String,
        pub address: String,
        pub capture: Capture,
        pub reasons: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub resident_reading: Option<Reading>,
        /// The ids of the capture's photos uploaded so far.
        pub photos: Vec<String>,
    }
}

response! {
    pub struct FlaggedCaptures {
        pub captures: Vec<FlaggedCapture>,
    }
}

request! {
    /// A stop the office adds to a route already given out (R24). `id` is the office's own,
    /// so sending the same stop again changes nothing.
    pub struct NewStop {
        pub id: String,
        pub account_number: String,
        pub entrance: u32,
        pub flat: String,
        #[serde(default)]
        pub access_note: String,
        /// The account's meters to read there, in the order walked.
        pub meter_ids: Vec<String>,
    }
}

response! {
    /// A route changed by the office: its new version, which the reader's device merges.
    pub struct RouteChanged {
        pub round_id: String,
        pub version: u32,
        pub stop_id: String,
    }
}

request! {
    /// The office's decision: accept the reader's reading (it becomes the period's), or reject
    /// it with the reason.
    pub struct Resolution {
        pub accept: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reason: Option<String>,
    }
}
