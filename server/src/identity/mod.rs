//! Who you are: CAPTCHA, registration with account binding (R2–R4), sign-in and sessions (R1),
//! password recovery (R5). One module per step; what they share is here.

pub mod captcha;
mod pages;
pub mod password;
pub mod recovery;
pub mod registration;
pub mod sessions;

use axum::Json;
use lk_core::api::ErrorCode;
use lk_core::api::{Channel, RegionCities};
use lk_core::contact::{Email, Phone};
use lk_core::credentials::CredentialsError;
use lk_core::region::Region;

use crate::error::{AppError, AppResult};

pub use pages::page;
pub use sessions::revoke_sessions;

impl From<CredentialsError> for AppError {
    fn from(e: CredentialsError) -> AppError {
        AppError::invalid(ErrorCode::InvalidCredentialsFormat, e.to_string(), e.field())
    }
}

/// A phone or e-mail checked against its channel, in its stored form.
pub fn normalise_contact(channel: Channel, contact: &str, field: &str) -> AppResult<String> {
    match channel {
        Channel::Phone => contact.parse::<Phone>().map(|p| p.to_string()),
        Channel::Email => contact.parse::<Email>().map(|e| e.to_string()),
    }
    .map_err(|e| AppError::invalid(ErrorCode::InvalidContact, e.to_string(), field))
}

pub fn mask_contact(channel: Channel, contact: &str) -> String {
    match channel {
        Channel::Phone => contact.parse::<Phone>().map(|p| p.masked()),
        Channel::Email => contact.parse::<Email>().map(|e| e.masked()),
    }
    .unwrap_or_default()
}

#[utoipa::path(get, path = "/api/v1/cities", tag = "identity",
    responses((status = 200, description = "Cities of the registration form, by region (R2)", body = [RegionCities])))]
pub async fn cities() -> Json<Vec<RegionCities>> {
    Json(
        Region::ALL
            .into_iter()
            .map(|region| RegionCities {
                region,
                name: region.name_ru().to_owned(),
                cities: region.cities().iter().map(|c| (*c).to_owned()).collect(),
            })
            .collect(),
    )
}
