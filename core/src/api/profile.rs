//! The profile and its settings (R16–R20), and the demo-only outbox view.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Channel;
use crate::account::AccountNumber;
use crate::region::Region;

response! {
    /// Sent back as `PUT /profile/notifications`' body too: unknown fields are refused there,
    /// as in every request.
    #[serde(deny_unknown_fields)]
    pub struct NotificationSettings {
        /// The reading window opens or closes soon.
        pub reading_window: bool,
        pub new_document: bool,
        pub payment_result: bool,
        /// A copy of every payment's receipt to the profile's e-mail (R18).
        pub receipt_by_email: bool,
    }
}

response! {
    pub struct ProfileAccount {
        pub number: AccountNumber,
        pub address: String,
        pub owner: String,
        pub region: Region,
        /// Bound at registration (true) or linked later by another profile's login (R19).
        pub own: bool,
    }
}

response! {
    pub struct Profile {
        pub login: String,
        /// What the person signs in as: a resident, or staff (R24) who see rounds instead.
        #[serde(default)]
        pub role: Role,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        pub city: String,
        pub region: Region,
        pub accounts: Vec<ProfileAccount>,
        pub notifications: NotificationSettings,
    }
}

/// Who a login belongs to: a resident, a meter reader walking rounds, or the office reviewing
/// what readers flagged (R24).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Resident,
    Reader,
    Office,
}

request! {
    pub struct ChangePasswordRequest {
        pub old_password: String,
        pub new_password: String,
        pub new_password_repeat: String,
    }
}

request! {
    /// A new phone number or e-mail address for the profile (R17).
    pub struct ContactChangeRequest {
        pub value: String,
    }
}

response! {
    pub struct ContactChangeStarted {
        pub id: String,
        pub channel: Channel,
        pub sent_to: String,
        pub resend_after: DateTime<Utc>,
    }
}

request! {
    /// Another account's own login and password (R19).
    pub struct LinkAccountRequest {
        pub login: String,
        pub password: String,
    }
}

response! {
    /// The application to stop paper delivery of the payment document (R20), filled in with the
    /// account's data, to print and sign.
    pub struct PaperRefusalForm {
        pub addressee: String,
        pub account_number: AccountNumber,
        pub owner: String,
        /// The header's line for the applicant, the owner in the genitive: «от Смирнова Павла
        /// Викторовича» (none in a form kept by an older app).
        #[serde(default)]
        pub applicant: String,
        pub address: String,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub text: String,
    }
}

response! {
    /// A message the service sent, from its outbox (demo mode only exposes these).
    pub struct OutboxMessage {
        pub id: i64,
        pub channel: Channel,
        pub recipient: String,
        pub subject: String,
        pub body: String,
        pub created_at: DateTime<Utc>,
        pub status: String,
        /// The name of the attached PDF, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub attachment: Option<String>,
    }
}
