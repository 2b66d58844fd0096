//! A JSON body extractor whose refusals are [`AppError`]s (axum's own answer in plain text).

use axum::extract::{FromRequest, Request};

use crate::error::AppError;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "invalid_request",
                "Тело запроса должно быть JSON (Content-Type: application/json)",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|_| {
            AppError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_request",
                "Тело запроса слишком велико",
            )
        })?;
        let mut reader = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut reader).map(ApiJson).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let text = inner.to_string();
            // A missing field is named by serde in `backticks`, inside the struct at `path`.
            let named = text.starts_with("missing field").then(|| text.split('`').nth(1)).flatten();
            let field = match (path.as_str(), named) {
                (".", named) => named.map(str::to_owned),
                (path, Some(name)) => Some(format!("{path}.{name}")),
                (path, None) => Some(path.to_owned()),
            };
            let error = AppError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "invalid_request",
                format!("Запрос не разобран: {text}"),
            );
            match field {
                Some(f) => error.field(&f),
                None => error,
            }
        })
    }
}

/// A query-string extractor whose refusals are [`AppError`]s.
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await.map_err(|e| {
                let text = e.body_text();
                let field = text.split('`').nth(1).map(str::to_owned);
                let error = AppError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "invalid_request",
                    format!("Параметры запроса не разобраны: {text}"),
                );
                match field {
                    Some(f) => error.field(&f),
                    None => error,
                }
            })?;
        Ok(ApiQuery(value))
    }
}
