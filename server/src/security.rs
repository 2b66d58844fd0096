//! Secrets: password hashes, opaque tokens, one-time codes, signatures.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use lk_core::api::ErrorCode;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// Argon2id with OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> AppResult<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(AppError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// At most this many passwords are hashed at once: each takes 19 MiB and a core for tens of
/// milliseconds, so a burst queues here instead of taking the memory and starving reads.
const CONCURRENT_HASHES: usize = 2;
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_HASHES);
/// A request that waited this long for its turn is refused as busy rather than queued on.
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs one password hash computation on a blocking thread, in its turn.
async fn with_hashing_turn<T: Send + 'static>(
    work: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let _turn = tokio::time::timeout(HASHING_WAIT, HASHING.acquire())
        .await
        .map_err(|_| {
            AppError::too_many(
                ErrorCode::Busy,
                "Сервис сейчас перегружен, повторите через минуту",
                60,
            )
        })?
        .map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work).await.map_err(AppError::internal)?
}

/// Hashes on a blocking thread: tens of milliseconds of CPU by design.
pub async fn hash_password(password: String) -> AppResult<String> {
    with_hashing_turn(move || hash_password_now(&password)).await
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
    with_hashing_turn(move || {
        let parsed = PasswordHash::new(&hash).map_err(AppError::internal)?;
        Ok(argon2()?.verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
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
    fn codes_and_tokens_look_right() {
        assert!(six_digit_code().bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(six_digit_code().len(), 6);
        assert_eq!(token().len(), 43);
        assert_ne!(token(), token());
        assert_eq!(digest("a").len(), 64);
    }
}
