//! Reading the supplier's records (accounts, documents) stored as the core's own JSON types.

use lk_core::account::Account;
use lk_core::document::PaymentDocument;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{AppError, AppResult};

/// An enum's name on the wire (`kurgan`, `semi_peak`), as serde writes it: the names in the
/// database are the API's, never a second hand-written map.
pub fn wire_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// An enum read back from its wire name.
pub fn from_wire_name<T: serde::de::DeserializeOwned>(name: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|e| AppError::internal(format!("«{name}»: {e}")))
}

pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(AppError::internal)
}

pub fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(AppError::internal)
}

pub fn account(conn: &Connection, number: &str) -> AppResult<Account> {
    let json: String = conn
        .prepare_cached("SELECT json FROM accounts WHERE number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?
        .ok_or_else(|| AppError::not_found("Лицевой счёт не найден"))?;
    from_json(&json)
}

pub fn latest_document(conn: &Connection, number: &str) -> AppResult<Option<PaymentDocument>> {
    conn.prepare_cached(
        "SELECT json FROM documents WHERE account_number = ?1 ORDER BY period DESC LIMIT 1",
    )?
    .query_row([number], |r| r.get::<_, String>(0))
    .optional()?
    .map(|json| from_json(&json))
    .transpose()
}

/// The profile that registered the account as its own, if any.
pub fn account_owner_user(conn: &Connection, number: &str) -> AppResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT user_id FROM user_accounts WHERE account_number = ?1 AND own = 1")?
        .query_row([number], |r| r.get(0))
        .optional()?)
}
