//! Registration, sign-in and recovery (R1–R5).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::account::AccountNumber;
use crate::region::Region;

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

impl Consent {
    /// The version of [`Consent::TEXT`] recorded with each registration; a new text gets a new
    /// version, so what a person agreed to can always be found.
    pub const VERSION: &'static str = "2026-01";

    /// What a person registering is asked to agree to, shown whole before the choice.
    pub const TEXT: &'static str = "Я даю согласие АО «ЭК «Восток» на обработку моих персональных данных \
        (фамилия, имя, отчество, адрес, номер телефона, адрес электронной почты, номера лицевых \
        счетов, показания приборов учёта и сведения об оплате) для работы личного кабинета: \
        регистрации, входа, начислений, приёма показаний и платежей, уведомлений. Согласие \
        действует до отзыва; отозвать его можно, написав в службу поддержки.";

    /// The consent given to today's text.
    pub fn given() -> Consent {
        Consent { given: true, text_version: Consent::VERSION.to_owned() }
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
