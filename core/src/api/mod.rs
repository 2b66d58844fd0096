//! The wire types of the LK service's HTTP API (`/api/v1`), shared by the server that answers
//! and the clients that ask, so the two cannot drift apart. Every request type refuses unknown
//! fields; money, dates and account numbers travel as strings.

use serde::{Deserialize, Serialize};

/// Derives the wire traits (and the OpenAPI schema where the server asks for it) on a request
/// type: strict about unknown fields.
macro_rules! request {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        #[serde(deny_unknown_fields)]
        $(#[$meta])*
        pub struct $name { $($body)* }
    };
}

/// Derives the wire traits on a response type.
macro_rules! response {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        $(#[$meta])*
        pub struct $name { $($body)* }
    };
    ($(#[$meta:meta])* pub enum $name:ident { $($body:tt)* }) => {
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        $(#[$meta])*
        pub enum $name { $($body)* }
    };
}

response! {
    pub struct Health {
        pub status: String,
        pub version: String,
    }
}

mod accounts;
mod devices;
mod error;
mod identity;
mod payments;
mod profile;
mod readings;
mod reports;
mod rounds;
mod routes;

pub use accounts::*;
pub use devices::*;
pub use error::*;
pub use identity::*;
pub use payments::*;
pub use profile::*;
pub use readings::*;
pub use reports::*;
pub use rounds::*;
pub use routes::*;
