//! `lk-core`: the domain of the LK (личный кабинет) of АО «ЭК «Восток» and its rules.
//!
//! The domain modules are pure: no network, no storage, no clock of its own (the moment is always
//! passed in), so every rule is tested here once and the apps, the server and the terminal client
//! all apply the same one. The `client` feature adds the client side the apps run: the API
//! client, the offline store and the outbox sync ([`client`]).

/// Puts a type on the wire as its `Display` text and reads it back through `FromStr`, so the
/// wire form gets the same validation as typed input.
macro_rules! serde_as_string {
    ($type:ident) => {
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(|e| serde::de::Error::custom(format!("«{text}»: {e}")))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $type {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $type {}

        // Crosses the FFI as the same text, checked the same way when it comes back.
        #[cfg(feature = "uniffi")]
        uniffi::custom_type!($type, String, {
            lower: |value| value.to_string(),
            try_lift: |text| text.parse().map_err(|e| $crate::ffi_error::unreadable(&text, e)),
        });
    };
}

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
#[cfg(feature = "uniffi")]
pub mod ffi_error;
#[cfg(feature = "uniffi")]
mod ffi_types;

pub mod account;
pub mod allocation;
pub mod api;
pub mod backoff;
pub mod billing;
#[cfg(feature = "client")]
pub mod client;
pub mod contact;
pub mod credentials;
pub mod document;
pub mod meter;
#[cfg(feature = "sqlite")]
pub mod migrate;
pub mod money;
pub mod payment;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod period;
pub mod photo;
pub mod qr;
pub mod readings;
pub mod region;
pub mod requisites;
pub mod round;
pub mod service;
pub mod wording;

pub use money::Money;
pub use period::Period;
