//! The one error the apps see: a stable code they translate and test by, the Russian text to
//! show as it is, and the form field at fault (to put the message under it).

use lk_core::client::ClientError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum LkError {
    /// `code`: `offline`, `timeout`, `session_expired`, `server_unavailable`, `bad_response`,
    /// `store`, `cancelled`, `invalid_input`, `internal`, or the server's own code of a refusal
    /// (`invalid_credentials`, `reading_not_confirmed`, `account_not_matched`, …).
    #[error("{text}")]
    Failed { code: String, text: String, field: Option<String> },
}

impl LkError {
    pub fn new(code: &str, text: impl Into<String>, field: Option<&str>) -> LkError {
        LkError::Failed {
            code: code.to_owned(),
            text: text.into(),
            field: field.map(str::to_owned),
        }
    }

    pub fn code(&self) -> &str {
        let LkError::Failed { code, .. } = self;
        code
    }
}

impl From<ClientError> for LkError {
    fn from(e: ClientError) -> LkError {
        LkError::new(e.code(), e.to_string(), e.field())
    }
}

/// A foreign implementation (the keystore, the logger) threw: reported, never a crash.
impl From<uniffi::UnexpectedUniFFICallbackError> for LkError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> LkError {
        LkError::new("platform", format!("Ошибка платформы: {}", e.reason), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lk_core::api::ApiError;

    #[test]
    fn a_refusal_keeps_the_servers_code_text_and_field() {
        let refused = ClientError::Refused {
            status: 422,
            error: ApiError {
                code: "wrong_total".into(),
                message: "Сумма не совпадает".into(),
                field: Some("latest_document_total".into()),
            },
        };
        assert_eq!(
            LkError::from(refused),
            LkError::new("wrong_total", "Сумма не совпадает", Some("latest_document_total"))
        );
        assert_eq!(LkError::from(ClientError::Offline).code(), "offline");
    }
}
