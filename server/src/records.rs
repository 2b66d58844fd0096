//! Reading the supplier's records (accounts, documents) stored as the core's own JSON types.

use lk_core::account::Account;
use lk_core::document::PaymentDocument;
use lk_core::region::Region;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{AppError, AppResult};

pub fn region_code(region: Region) -> &'static str {
    match region {
        Region::Kurgan => "kurgan",
        Region::Tyumen => "tyumen",
        Region::Orenburg => "orenburg",
    }
}

pub fn parse_region(code: &str) -> AppResult<Region> {
    Region::ALL
        .into_iter()
        .find(|r| region_code(*r) == code)
        .ok_or_else(|| AppError::internal(format!("unknown region {code}")))
}

pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(AppError::internal)
}

pub fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(AppError::internal)
}

pub fn account(conn: &Connection, number: &str) -> AppResult<Account> {
    let json: String = conn
        .query_row("SELECT json FROM accounts WHERE number = ?1", [number], |r| r.get(0))
        .optional()?
        .ok_or_else(|| AppError::not_found("Лицевой счёт не найден"))?;
    from_json(&json)
}

pub fn latest_document(conn: &Connection, number: &str) -> AppResult<Option<PaymentDocument>> {
    conn.query_row(
        "SELECT json FROM documents WHERE account_number = ?1 ORDER BY period DESC LIMIT 1",
        [number],
        |r| r.get::<_, String>(0),
    )
    .optional()?
    .map(|json| from_json(&json))
    .transpose()
}

/// The profile that registered the account as its own, if any.
pub fn account_owner_user(conn: &Connection, number: &str) -> AppResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT user_id FROM user_accounts WHERE account_number = ?1 AND own = 1",
            [number],
            |r| r.get(0),
        )
        .optional()?)
}
