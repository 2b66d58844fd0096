//! Photos of meter dials (R21): uploaded once under a key the client made when the photo was
//! taken (a retried upload is the same photo), then referred to by a reading.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use lk_core::api::ErrorCode;
use lk_core::api::PhotoStored;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{AppError, AppResult};
use crate::security;
use crate::state::{AppState, CurrentUser};

pub use lk_core::photo::MAX_BYTES;

/// The photo's type by its bytes, which must agree with the type it was sent as.
fn content_type(headers: &HeaderMap, bytes: &[u8]) -> AppResult<&'static str> {
    let declared =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    match lk_core::photo::media_type(bytes) {
        Some(kind) if declared.eq_ignore_ascii_case(kind) => Ok(kind),
        _ => Err(AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::InvalidPhoto,
            "Фото счётчика — снимок в формате JPEG, PNG или HEIC",
        )),
    }
}

#[utoipa::path(put, path = "/api/v1/photos/{key}", tag = "readings", security(("bearer" = [])),
    params(("key" = String, Path, description = "the client's key for this photo, 8–128 characters")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 200, body = PhotoStored), (status = 415, body = lk_core::api::ApiError)))]
/// Stores a photo of a dial; the same key again answers the same photo.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Json<PhotoStored>> {
    if !(8..=128).contains(&key.len())
        || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(AppError::invalid(
            ErrorCode::InvalidKey,
            "Ключ фото: 8–128 латинских букв и цифр",
            "key",
        ));
    }
    let kind = content_type(&headers, &body)?;
    let sha = security::digest_bytes(&body);
    let now = state.clock.now();
    let size = body.len() as u64;
    state
        .db
        .transaction(move |tx| {
            let existing: Option<(String, String)> = tx
                .query_row(
                    "SELECT id, sha256 FROM photos WHERE user_id = ?1 AND client_key = ?2",
                    params![user.user_id, key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let id = match existing {
                Some((id, stored)) if stored == sha => id,
                Some(_) => {
                    return Err(AppError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        ErrorCode::IdempotencyKeyReused,
                        "Под этим ключом уже загружено другое фото",
                    ));
                }
                None => {
                    let id = format!("photo_{}", security::id());
                    tx.execute(
                        "INSERT INTO photos (id, user_id, client_key, content_type, sha256, bytes, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![id, user.user_id, key, kind, sha, body.to_vec(), now.to_rfc3339()],
                    )?;
                    id
                }
            };
            Ok(PhotoStored { id, bytes: size })
        })
        .await
        .map(Json)
}

/// A photo the profile uploaded, to attach to its reading.
pub fn require_photo(tx: &Connection, user_id: i64, id: &str) -> AppResult<()> {
    let found: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM photos WHERE id = ?1 AND user_id = ?2)",
        params![id, user_id],
        |r| r.get(0),
    )?;
    if found {
        Ok(())
    } else {
        Err(AppError::invalid(
            ErrorCode::PhotoNotFound,
            "Фото не найдено: загрузите его снова",
            "photo",
        ))
    }
}
