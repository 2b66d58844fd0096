//! Checking a password, with a lockout that holds under parallel guesses: five attempts not
//! proven right lock the login for 15 minutes. Every path that checks a password goes through
//! here: sign-in (R1), adding another profile's accounts (R19), changing the password (R16).
//!
//! The attempt is counted in one transaction *before* the hash is verified (and given back when
//! the password was right), so guesses already in flight are counted as they arrive. Logins that
//! do not exist are counted and locked the same way, and cost the same time, so neither the
//! answer nor its timing tells whether a login exists.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use lk_core::api::ErrorCode;
use rusqlite::{Connection, OptionalExtension, params};

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::limits::{ClientAddress, Limit};
use crate::security;
use crate::state::AppState;

const ATTEMPTS_BEFORE_LOCK: i64 = 5;
const LOCK: Duration = Duration::minutes(15);
/// Failures older than this are forgotten, so the table does not keep every login ever tried.
const FORGET_AFTER: Duration = Duration::days(1);

fn locked(until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    AppError::too_many(
        ErrorCode::LoginLocked,
        "Вход временно заблокирован после нескольких неверных паролей. Попробуйте позже или восстановите пароль",
        u64::try_from((until - now).num_seconds()).unwrap_or(1),
    )
}

/// Counts one attempt for `login`, or refuses it while the login is locked. Answers the
/// profile's id and hash if the login exists.
fn take_attempt(
    tx: &Connection,
    login: &str,
    now: DateTime<Utc>,
) -> AppResult<AppResult<Option<(i64, String)>>> {
    tx.execute(
        "DELETE FROM password_attempts WHERE updated_at < ?1",
        [(now - FORGET_AFTER).to_rfc3339()],
    )?;
    let row: Option<(i64, Option<String>)> = tx
        .query_row(
            "SELECT attempts, locked_until FROM password_attempts WHERE login = ?1",
            [login],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (mut attempts, until) = row.unwrap_or((0, None));
    match until.as_deref().map(codes::parse_time).transpose()? {
        Some(until) if until > now => return Ok(Err(locked(until, now))),
        Some(_) => attempts = 0,
        None => {}
    }
    if attempts >= ATTEMPTS_BEFORE_LOCK {
        // Only reached when the checks that used up the attempts never finished (a crash).
        let until = now + LOCK;
        tx.execute(
            "UPDATE password_attempts SET locked_until = ?2, updated_at = ?3 WHERE login = ?1",
            params![login, until.to_rfc3339(), now.to_rfc3339()],
        )?;
        return Ok(Err(locked(until, now)));
    }
    tx.execute(
        "INSERT INTO password_attempts (login, attempts, locked_until, updated_at) VALUES (?1, ?2, NULL, ?3)
         ON CONFLICT (login) DO UPDATE SET attempts = ?2, locked_until = NULL, updated_at = ?3",
        params![login, attempts + 1, now.to_rfc3339()],
    )?;
    Ok(Ok(tx
        .query_row("SELECT id, password_hash FROM users WHERE login = ?1", [login], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?))
}

/// How a counted attempt ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Right,
    Wrong,
    /// The hash was never checked (the service was too busy): the attempt is given back.
    Unchecked,
}

/// Settles a counted attempt: a right password gives the attempts back; the wrong one that
/// used up the last attempt locks the login.
fn settle_attempt(
    tx: &Connection,
    login: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> AppResult<()> {
    match outcome {
        Outcome::Right => {
            tx.execute("UPDATE password_attempts SET attempts = 0 WHERE login = ?1", [login])?
        }
        Outcome::Unchecked => tx.execute(
            "UPDATE password_attempts SET attempts = MAX(attempts - 1, 0) WHERE login = ?1",
            [login],
        )?,
        Outcome::Wrong => tx.execute(
            "UPDATE password_attempts SET locked_until = ?2, updated_at = ?3
             WHERE login = ?1 AND attempts >= ?4 AND locked_until IS NULL",
            params![login, (now + LOCK).to_rfc3339(), now.to_rfc3339(), ATTEMPTS_BEFORE_LOCK],
        )?,
    };
    Ok(())
}

/// Forgets the attempts of a login whose password was just set anew (recovery).
pub fn forget_attempts(tx: &Connection, login: &str) -> AppResult<()> {
    tx.execute("DELETE FROM password_attempts WHERE login = ?1", [login])?;
    Ok(())
}

/// Why a password was not accepted, in the words of the path that asked.
pub struct Refusal {
    pub code: ErrorCode,
    pub message: &'static str,
    pub field: Option<&'static str>,
    pub status: StatusCode,
}

impl Refusal {
    /// Sign-in and adding accounts: the login and password together are wrong.
    pub const CREDENTIALS: Refusal = Refusal {
        code: ErrorCode::InvalidCredentials,
        message: "Неверный логин или пароль",
        field: None,
        status: StatusCode::UNAUTHORIZED,
    };
    /// Changing the password: the current one is wrong.
    pub const CURRENT_PASSWORD: Refusal = Refusal {
        code: ErrorCode::WrongPassword,
        message: "Текущий пароль указан неверно",
        field: Some("old_password"),
        status: StatusCode::BAD_REQUEST,
    };
}

/// Checks `login`'s password for a request from `from`; answers the profile's id. A wrong
/// password and an unknown login both get `refusal`.
pub async fn check(
    state: &AppState,
    from: ClientAddress,
    login: &str,
    password: String,
    refusal: &Refusal,
) -> AppResult<i64> {
    state.limit(&Limit::PASSWORD_CHECKS_PER_ADDRESS, &from.to_string())?;
    let now = state.clock.now();
    let key = login.to_owned();
    let user = state.db.transaction_recording(move |tx| take_attempt(tx, &key, now)).await?;
    let hash = user.as_ref().map_or_else(|| security::DUMMY_HASH.to_owned(), |u| u.1.clone());
    let verified = security::verify_password(password, hash).await;
    let outcome = match (&verified, &user) {
        (Err(_), _) => Outcome::Unchecked,
        (Ok(true), Some(_)) => Outcome::Right,
        (Ok(_), _) => Outcome::Wrong,
    };
    let (key, now) = (login.to_owned(), state.clock.now());
    state.db.transaction(move |tx| settle_attempt(tx, &key, outcome, now)).await?;
    verified?;
    match user {
        Some((id, _)) if outcome == Outcome::Right => Ok(id),
        _ => {
            let error = AppError::new(refusal.status, refusal.code, refusal.message);
            Err(match refusal.field {
                Some(field) => error.field(field),
                None => error,
            })
        }
    }
}
