//! Secrets: password hashes, opaque tokens, one-time codes, and rate limits.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// Argon2id with OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> AppResult<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(AppError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes on a blocking thread: tens of milliseconds of CPU by design.
pub async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_password_now(&password))
        .await
        .map_err(AppError::internal)?
}

/// Hashes on the calling thread (for seeding, which is blocking work already).
pub fn hash_password_now(password: &str) -> AppResult<String> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(AppError::internal)?;
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

pub async fn verify_password(password: String, hash: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(AppError::internal)?;
        Ok(argon2()?.verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash of a password nobody has, so a sign-in with an unknown login costs the same time as
/// one with a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4VCyRy2D0n6OBi8L0bbrcn0t9h8vFXnQ8hVW+jFHtKQ";

/// 32 random bytes, URL-safe base64: access and refresh tokens, link secrets, ids.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A shorter random id for things shown in URLs.
pub fn id() -> String {
    let mut bytes = [0u8; 12];
    rand::rng().fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Six digits for an SMS.
pub fn six_digit_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000))
}

/// Tokens and codes are stored only as this digest.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// SHA-256 of bytes, in hex.
pub fn digest_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Fixed-window counters in memory, per action and key (an address, a login, a contact).
#[derive(Default)]
pub struct RateLimiter {
    hits: Mutex<HashMap<String, (DateTime<Utc>, u32)>>,
}

impl RateLimiter {
    /// Counts one hit; refuses with the seconds to wait once `limit` is reached in `window`.
    pub fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<(), u64> {
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        if hits.len() > 100_000 {
            hits.retain(|_, (start, _)| now - *start < window);
        }
        let entry = hits.entry(key.to_owned()).or_insert((now, 0));
        if now - entry.0 >= window {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            return Err(u64::try_from((entry.0 + window - now).num_seconds()).unwrap_or(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

type HmacSha256 = hmac::Hmac<Sha256>;

/// HMAC-SHA256 of `data` under `secret`, in hex: signed notifications between services.
pub fn sign(secret: &str, data: &[u8]) -> AppResult<String> {
    use hmac::Mac;
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).map_err(AppError::internal)?;
    mac.update(data);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// Checks a hex signature made by [`sign`], in constant time.
pub fn verify_signature(secret: &str, data: &[u8], signature_hex: &str) -> bool {
    use hmac::Mac;
    let Ok(expected) = hex::decode(signature_hex.trim()) else { return false };
    let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(data);
    mac.verify_slice(&expected).is_ok()
}

/// A secret kept in the database, made on first use, so it survives restarts.
pub fn stored_secret(conn: &rusqlite::Connection, name: &str) -> rusqlite::Result<String> {
    conn.execute(
        "INSERT INTO secrets (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        rusqlite::params![name, token()],
    )?;
    conn.query_row("SELECT value FROM secrets WHERE name = ?1", [name], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("Sekret-2026".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("Sekret-2026".into(), hash.clone()).await.unwrap());
        assert!(!verify_password("Sekret-2027".into(), hash).await.unwrap());
        assert!(!verify_password("anything".into(), DUMMY_HASH.into()).await.unwrap());
    }

    #[test]
    fn rate_limiter_refuses_past_the_limit_until_the_window_ends() {
        let limiter = RateLimiter::default();
        let t0 = Utc::now();
        for _ in 0..3 {
            assert!(limiter.hit("k", 3, Duration::minutes(1), t0).is_ok());
        }
        assert_eq!(limiter.hit("k", 3, Duration::minutes(1), t0 + Duration::seconds(20)), Err(40));
        assert!(limiter.hit("other", 3, Duration::minutes(1), t0).is_ok());
        assert!(limiter.hit("k", 3, Duration::minutes(1), t0 + Duration::minutes(1)).is_ok());
    }

    #[test]
    fn codes_and_tokens_look_right() {
        assert!(six_digit_code().bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(six_digit_code().len(), 6);
        assert_eq!(token().len(), 43);
        assert_ne!(token(), token());
        assert_eq!(digest("a").len(), 64);
    }
}
