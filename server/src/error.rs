//! Every refusal as JSON: a stable code, a Russian message and the field at fault. Bad input is
//! a 4xx with an explanation, never a 500.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lk_core::api::{ApiError, ErrorCode};

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub body: ApiError,
    pub retry_after: Option<u64>,
}

impl AppError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            status,
            body: ApiError { code, message: message.into(), field: None },
            retry_after: None,
        }
    }

    pub fn field(mut self, field: &str) -> AppError {
        self.body.field = Some(field.to_owned());
        self
    }

    /// 400: the request is wrong, `field` says where.
    pub fn invalid(code: ErrorCode, message: impl Into<String>, field: &str) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, code, message).field(field)
    }

    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn unauthorized() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "Войдите в личный кабинет заново",
        )
    }

    pub fn too_many(
        code: ErrorCode,
        message: impl Into<String>,
        retry_after_secs: u64,
    ) -> AppError {
        AppError {
            retry_after: Some(retry_after_secs.max(1)),
            ..AppError::new(StatusCode::TOO_MANY_REQUESTS, code, message)
        }
    }

    /// 413: the body is over the route's limit.
    pub fn too_large(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge, message)
    }

    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!(%detail, "internal error");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
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

/// Every refusal as JSON, also those made before a handler runs, which axum and tower-http
/// answer in English plain text or with no body at all: 413 from the body limit when the
/// Content-Length is over it, 405 for a method the address does not take, axum's own 400s of
/// path parameters. HTML answers (the sandbox acquirer's bank pages) and JSON ones stay as they
/// are; headers such as `Allow` and `Retry-After` are kept.
pub async fn json_refusals(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = request.method().clone();
    let photo = request.uri().path().starts_with("/api/v1/photos/");
    let response = next.run(request).await;
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let readable =
        content_type.starts_with("application/json") || content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || readable {
        return response;
    }
    let error = match status {
        StatusCode::PAYLOAD_TOO_LARGE if photo => AppError::new(
            status,
            ErrorCode::PhotoTooLarge,
            "Фото счётчика больше 5 МБ. Уменьшите его или снимите заново",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::too_large("Тело запроса слишком велико"),
        StatusCode::METHOD_NOT_ALLOWED => AppError::new(
            status,
            ErrorCode::MethodNotAllowed,
            format!("Метод {method} для этого адреса не предусмотрен"),
        ),
        StatusCode::NOT_FOUND => AppError::not_found("Нет такого адреса API"),
        StatusCode::UNAUTHORIZED => AppError::unauthorized(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::new(
            status,
            ErrorCode::InvalidRequest,
            "Тело запроса должно быть JSON (Content-Type: application/json)",
        ),
        StatusCode::TOO_MANY_REQUESTS => AppError::new(
            status,
            ErrorCode::TooManyRequests,
            "Слишком много запросов, попробуйте позже",
        ),
        s if s.is_server_error() => AppError::new(
            status,
            ErrorCode::Internal,
            "Сервис временно недоступен, попробуйте позже",
        ),
        _ => AppError::new(status, ErrorCode::InvalidRequest, "Запрос не разобран"),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let (json, body) = error.into_response().into_parts();
    // Replaces Content-Type, keeps the rest (Allow, Retry-After, Date).
    parts.headers.extend(json.headers);
    Response::from_parts(parts, body)
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> AppError {
        AppError::internal(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;
