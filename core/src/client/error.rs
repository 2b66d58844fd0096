//! What can go wrong talking to the LK service, in the terms the screens need: offline, timed
//! out, refused by the server (with its code, Russian message and field), session expired.

use crate::api::{ApiError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("Нет связи с сервером. Проверьте интернет")]
    Offline,
    #[error("Сервер не ответил вовремя")]
    Timeout,
    /// The server refused the request: its stable code, message for people, and field.
    #[error("{}", .error.message)]
    Refused { status: u16, error: ApiError },
    #[error("Войдите в личный кабинет заново")]
    SessionExpired,
    #[error("Сервис временно недоступен ({0})")]
    Server(u16),
    #[error("Ответ сервера не разобран: {0}")]
    Decode(String),
    #[error("Хранилище на устройстве: {0}")]
    Store(String),
    #[error("Действие отменено")]
    Cancelled,
    #[error("{message}")]
    Invalid { message: String, field: Option<String> },
}

impl ClientError {
    /// The stable code the apps translate and test by: the server's own code for a refusal.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::Offline => ErrorCode::Offline,
            ClientError::Timeout => ErrorCode::Timeout,
            ClientError::Refused { error, .. } => error.code,
            ClientError::SessionExpired => ErrorCode::SessionExpired,
            ClientError::Server(_) => ErrorCode::ServerUnavailable,
            ClientError::Decode(_) => ErrorCode::BadResponse,
            ClientError::Store(_) => ErrorCode::Store,
            ClientError::Cancelled => ErrorCode::Cancelled,
            ClientError::Invalid { .. } => ErrorCode::InvalidInput,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            ClientError::Refused { error, .. } => error.field.as_deref(),
            ClientError::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Worth trying again later with the same request: the network or the server was down.
    pub fn is_transient(&self) -> bool {
        matches!(self, ClientError::Offline | ClientError::Timeout | ClientError::Server(_))
    }

    pub fn invalid(message: impl Into<String>, field: &str) -> ClientError {
        ClientError::Invalid { message: message.into(), field: Some(field.to_owned()) }
    }
}

impl From<rusqlite::Error> for ClientError {
    fn from(e: rusqlite::Error) -> ClientError {
        ClientError::Store(e.to_string())
    }
}

impl From<serde_json::Error> for ClientError {
    fn from(e: serde_json::Error) -> ClientError {
        ClientError::Decode(e.to_string())
    }
}

pub type ClientResult<T> = Result<T, ClientError>;
