//! Every refusal as JSON: a stable code, a Russian message and the field at fault. Bad input is
//! a 4xx with an explanation, never a 500.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lk_core::api::ApiError;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub body: ApiError,
    pub retry_after: Option<u64>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> AppError {
        AppError {
            status,
            body: ApiError { code: code.to_owned(), message: message.into(), field: None },
            retry_after: None,
        }
    }

    pub fn field(mut self, field: &str) -> AppError {
        self.body.field = Some(field.to_owned());
        self
    }

    /// 400: the request is wrong, `field` says where.
    pub fn invalid(code: &str, message: impl Into<String>, field: &str) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, code, message).field(field)
    }

    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn unauthorized() -> AppError {
        AppError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Войдите в личный кабинет заново")
    }

    pub fn too_many(code: &str, message: impl Into<String>, retry_after_secs: u64) -> AppError {
        AppError {
            retry_after: Some(retry_after_secs.max(1)),
            ..AppError::new(StatusCode::TOO_MANY_REQUESTS, code, message)
        }
    }

    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!(%detail, "internal error");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Сервис временно недоступен, попробуйте позже",
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> AppError {
        AppError::internal(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;
