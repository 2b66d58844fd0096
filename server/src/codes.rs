//! One-time codes and link secrets (registration, recovery, contact changes): six digits for an
//! SMS, a long secret for an e-mail link. Stored hashed; a code lives 10 minutes, allows 5 wrong
//! tries, and a new one can be asked for after a minute, at most 5 times.

use chrono::{DateTime, Duration, Utc};
use lk_core::api::ErrorCode;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{AppError, AppResult};
use crate::security;

pub const LIFETIME: Duration = Duration::minutes(10);
pub const MAX_ATTEMPTS: i64 = 5;
pub const RESEND_DELAY: Duration = Duration::seconds(60);
pub const MAX_SENDS: i64 = 5;

/// What to put in the message: the code for an SMS, the link secret for an e-mail.
pub struct Issued {
    pub id: String,
    pub code: String,
    pub link_secret: String,
}

pub fn issue(tx: &Connection, purpose: &str, now: DateTime<Utc>) -> AppResult<Issued> {
    let issued = Issued {
        id: security::id(),
        code: security::six_digit_code(),
        link_secret: security::token(),
    };
    tx.execute(
        "INSERT INTO codes (id, purpose, code_hash, link_hash, expires_at, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            issued.id,
            purpose,
            security::digest(&issued.code),
            security::digest(&issued.link_secret),
            (now + LIFETIME).to_rfc3339(),
            now.to_rfc3339()
        ],
    )?;
    Ok(issued)
}

/// A fresh code under the same id, if the resend delay has passed and sends remain.
pub fn reissue(tx: &Connection, id: &str, now: DateTime<Utc>) -> AppResult<Issued> {
    let (sent_at, sends): (String, i64) = tx
        .query_row("SELECT sent_at, sends FROM codes WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| AppError::not_found("Код не найден"))?;
    let wait = parse_time(&sent_at)? + RESEND_DELAY - now;
    if wait > Duration::zero() {
        return Err(AppError::too_many(
            ErrorCode::ResendTooSoon,
            format!("Новый код можно запросить через {} с", wait.num_seconds().max(1)),
            u64::try_from(wait.num_seconds()).unwrap_or(1),
        ));
    }
    if sends >= MAX_SENDS {
        return Err(AppError::too_many(
            ErrorCode::TooManyCodes,
            "Слишком много кодов подряд. Начните заново через час",
            3600,
        ));
    }
    let issued = Issued {
        id: id.to_owned(),
        code: security::six_digit_code(),
        link_secret: security::token(),
    };
    tx.execute(
        "UPDATE codes SET code_hash = ?2, link_hash = ?3, expires_at = ?4, sent_at = ?5, sends = sends + 1,
                          attempts = 0, verified_at = NULL WHERE id = ?1",
        params![
            id,
            security::digest(&issued.code),
            security::digest(&issued.link_secret),
            (now + LIFETIME).to_rfc3339(),
            now.to_rfc3339()
        ],
    )?;
    Ok(issued)
}

pub fn resend_after(tx: &Connection, id: &str) -> AppResult<DateTime<Utc>> {
    let sent_at: String =
        tx.query_row("SELECT sent_at FROM codes WHERE id = ?1", [id], |r| r.get(0))?;
    Ok(parse_time(&sent_at)? + RESEND_DELAY)
}

/// Which secret the person presents.
pub enum Presented<'a> {
    Code(&'a str),
    Link(&'a str),
}

/// Checks a presented code or link secret; a wrong one uses up one of the tries. The refusal is
/// the inner result, so the caller commits the used-up try before answering.
pub fn verify(
    tx: &Connection,
    id: &str,
    presented: Presented<'_>,
    now: DateTime<Utc>,
) -> AppResult<AppResult<()>> {
    let (code_hash, link_hash, expires_at, attempts): (
        Option<String>,
        Option<String>,
        String,
        i64,
    ) = tx
        .query_row(
            "SELECT code_hash, link_hash, expires_at, attempts FROM codes WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| AppError::not_found("Код не найден"))?;
    if attempts >= MAX_ATTEMPTS {
        return Ok(Err(AppError::too_many(
            ErrorCode::CodeAttemptsExhausted,
            "Код введён неверно 5 раз. Запросите новый код",
            RESEND_DELAY.num_seconds().unsigned_abs(),
        )
        .field("code")));
    }
    if now > parse_time(&expires_at)? {
        return Ok(Err(AppError::invalid(
            ErrorCode::CodeExpired,
            "Срок действия кода истёк. Запросите новый код",
            "code",
        )));
    }
    let (given, expected) = match presented {
        Presented::Code(code) => (security::digest(code.trim()), code_hash),
        Presented::Link(secret) => (security::digest(secret), link_hash),
    };
    if expected.as_deref() != Some(given.as_str()) {
        tx.execute("UPDATE codes SET attempts = attempts + 1 WHERE id = ?1", [id])?;
        return Ok(Err(AppError::invalid(ErrorCode::InvalidCode, "Неверный код", "code")));
    }
    // Used up: the same code or link cannot be replayed.
    tx.execute(
        "UPDATE codes SET verified_at = ?2, code_hash = NULL, link_hash = NULL WHERE id = ?1",
        params![id, now.to_rfc3339()],
    )?;
    Ok(Ok(()))
}

pub fn parse_time(text: &str) -> AppResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(AppError::internal)
}
