//! The one error the apps see (feature `uniffi`): a stable code they translate and test by, the
//! Russian text to show as it is, and the form field at fault (to put the message under it).
//!
//! It lives beside the core's FFI types rather than in `lk-ffi` because UniFFI hands a value
//! that fails to cross the boundary (a `BigDecimal` of 3 decimals as money inside a record) to
//! the called function's error type only when the conversion itself made that error; made here,
//! such a value comes back as `invalid_input` instead of an internal failure.

use crate::api::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum LkError {
    /// `code`: the service's code of a refusal or the client's own (`Offline`, `SessionExpired`,
    /// `InvalidInput`…), one enum the apps match exhaustively; `text` is what to show.
    #[error("{text}")]
    Failed { code: ErrorCode, text: String, field: Option<String> },
}

impl LkError {
    pub fn new(code: ErrorCode, text: impl Into<String>, field: Option<&str>) -> LkError {
        LkError::Failed { code, text: text.into(), field: field.map(str::to_owned) }
    }

    /// Input the person typed was refused; `field` names the form field.
    pub fn invalid(text: impl ToString, field: &str) -> LkError {
        LkError::new(ErrorCode::InvalidInput, text.to_string(), Some(field))
    }

    pub fn code(&self) -> ErrorCode {
        let LkError::Failed { code, .. } = self;
        *code
    }
}

/// A value from the apps that is not one of ours (a custom type's text did not parse); the
/// conversion has no field name, so the text quotes the value.
pub(crate) fn unreadable(
    text: &str,
    reason: impl std::fmt::Display,
) -> uniffi::deps::anyhow::Error {
    LkError::new(ErrorCode::InvalidInput, format!("«{text}»: {reason}"), None).into()
}

#[cfg(feature = "client")]
impl From<crate::client::ClientError> for LkError {
    fn from(e: crate::client::ClientError) -> LkError {
        LkError::new(e.code(), e.to_string(), e.field())
    }
}

/// A foreign implementation (the keystore, the logger) threw: reported, never a crash.
impl From<uniffi::UnexpectedUniFFICallbackError> for LkError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> LkError {
        LkError::new(ErrorCode::Platform, format!("Ошибка платформы: {}", e.reason), None)
    }
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;
    use crate::api::{ApiError, ErrorCode};
    use crate::client::ClientError;

    #[test]
    fn a_refusal_keeps_the_servers_code_text_and_field() {
        let refused = ClientError::Refused {
            status: 422,
            error: ApiError {
                code: ErrorCode::AccountNotMatched,
                message: "Сумма не совпадает".into(),
                field: Some("latest_document_total".into()),
            },
        };
        assert_eq!(
            LkError::from(refused),
            LkError::new(
                ErrorCode::AccountNotMatched,
                "Сумма не совпадает",
                Some("latest_document_total")
            )
        );
        assert_eq!(LkError::from(ClientError::Offline).code(), ErrorCode::Offline);
    }

    #[test]
    fn a_value_that_does_not_parse_becomes_invalid_input_quoting_it() {
        let error = unreadable("200.555", "Копеек может быть не больше двух знаков");
        let error = error.downcast::<LkError>().unwrap();
        assert_eq!(error.code(), ErrorCode::InvalidInput);
        assert_eq!(error.to_string(), "«200.555»: Копеек может быть не больше двух знаков");
    }
}
