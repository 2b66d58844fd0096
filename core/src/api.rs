//! The wire types of the LK service's HTTP API (`/api/v1`), shared by the server that answers
//! and the clients that ask, so the two cannot drift apart. Every request type refuses unknown
//! fields; money, dates and account numbers travel as strings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::account::AccountNumber;
use crate::region::Region;

/// Derives the wire traits (and the OpenAPI schema where the server asks for it) on a request
/// type: strict about unknown fields.
macro_rules! request {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(deny_unknown_fields)]
        $(#[$meta])*
        pub struct $name { $($body)* }
    };
}

/// Derives the wire traits on a response type.
macro_rules! response {
    ($(#[$meta:meta])* pub $kind:ident $name:ident { $($body:tt)* }) => {
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        $(#[$meta])*
        pub $kind $name { $($body)* }
    };
}

response! {
    /// Every refusal: a stable machine code, a Russian message for people, and the request field
    /// at fault, if one is.
    pub struct ApiError {
        pub code: String,
        pub message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub field: Option<String>,
    }
}

response! {
    pub struct Health {
        pub status: String,
        pub version: String,
    }
}

response! {
    /// A picture of distorted digits, to be typed back once before it expires.
    pub struct CaptchaChallenge {
        pub id: String,
        pub png_base64: String,
        pub expires_at: DateTime<Utc>,
    }
}

request! {
    pub struct CaptchaAnswer {
        pub id: String,
        pub answer: String,
    }
}

response! {
    /// The cities of the registration form, grouped by region (R2).
    pub struct RegionCities {
        pub region: Region,
        pub name: String,
        pub cities: Vec<String>,
    }
}

response! {
    /// Where confirmation codes and links go.
    #[derive(Copy, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum Channel {
        Phone,
        Email,
    }
}

request! {
    /// The registration form's data (R2), also sent again to change it before completion.
    pub struct RegistrationDetails {
        pub login: String,
        pub password: String,
        pub channel: Channel,
        /// The phone number or e-mail address of the channel.
        pub contact: String,
        pub city: String,
    }
}

request! {
    pub struct Consent {
        /// Must be true: nothing proceeds without consent to personal data processing.
        pub given: bool,
        /// The version of the consent text the person saw.
        pub text_version: String,
    }
}

request! {
    pub struct RegistrationRequest {
        pub details: RegistrationDetails,
        pub captcha: CaptchaAnswer,
        pub consent: Consent,
    }
}

request! {
    /// Binding an account (R3): its number, and as proof that it is the person's own, the
    /// "Итого к оплате" of its latest payment document.
    pub struct BindAccountRequest {
        pub account_number: String,
        pub latest_document_total: String,
    }
}

response! {
    /// What someone who knows an account number and its latest bill may see of it.
    pub struct AccountPreview {
        pub number: AccountNumber,
        pub address: String,
        pub owner_masked: String,
        pub region: Region,
    }
}

response! {
    #[derive(Copy)]
    #[serde(rename_all = "snake_case")]
    pub enum RegistrationStatus {
        /// The form is accepted; an account must be bound.
        AwaitingAccount,
        /// An account is bound and shown; the person confirms it ("Данные верны, продолжить").
        AwaitingAccountConfirmation,
        /// The code (phone) or link (e-mail) has been sent.
        AwaitingCode,
        Completed,
    }
}

response! {
    pub struct RegistrationState {
        pub id: String,
        pub status: RegistrationStatus,
        pub login: String,
        pub channel: Channel,
        pub contact_masked: String,
        pub city: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub account: Option<AccountPreview>,
        /// When a new code may be asked for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub resend_after: Option<DateTime<Utc>>,
    }
}

request! {
    pub struct CodeRequest {
        pub code: String,
    }
}

request! {
    pub struct SignInRequest {
        pub login: String,
        pub password: String,
    }
}

request! {
    pub struct RefreshRequest {
        pub refresh_token: String,
    }
}

response! {
    /// Opaque bearer tokens: a short-lived access token and a refresh token that rotates.
    pub struct Tokens {
        pub access_token: String,
        pub refresh_token: String,
        pub access_expires_at: DateTime<Utc>,
        pub refresh_expires_at: DateTime<Utc>,
    }
}

request! {
    /// Starting password recovery (R5) by the phone or e-mail of the profile.
    pub struct RecoveryRequest {
        pub channel: Channel,
        pub contact: String,
        pub captcha: CaptchaAnswer,
    }
}

response! {
    /// The same answer whether or not the contact is known, so nobody can probe for profiles.
    pub struct RecoveryStarted {
        pub id: String,
        pub channel: Channel,
        pub resend_after: DateTime<Utc>,
    }
}

response! {
    /// The logins tied to the confirmed contact; the person picks one.
    pub struct RecoveryLogins {
        pub logins: Vec<String>,
    }
}

request! {
    pub struct NewPasswordRequest {
        pub login: String,
        pub password: String,
        pub password_repeat: String,
    }
}

response! {
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
    }
}
