//! The device's offline store: one SQLite file with everything the screens show (as the API's
//! own JSON, with when it was last refreshed) and the outbox of actions waiting for the network.
//! Schema versions are applied in order at open; every earlier version upgrades (tested).

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{ClientError, ClientResult};
use crate::api::ApiError;

/// Schema versions in order; `PRAGMA user_version` records how many are applied.
const MIGRATIONS: &[&str] = &[
    // 1: cached answers and the outbox.
    "CREATE TABLE cache (key TEXT PRIMARY KEY, json TEXT NOT NULL, refreshed_at TEXT NOT NULL);
     CREATE TABLE outbox (
         id INTEGER PRIMARY KEY,
         kind TEXT NOT NULL,
         idempotency_key TEXT NOT NULL UNIQUE,
         path TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at TEXT NOT NULL,
         state TEXT NOT NULL DEFAULT 'queued',
         attempts INTEGER NOT NULL DEFAULT 0,
         next_attempt_at TEXT NOT NULL,
         error_json TEXT,
         result_json TEXT
     );",
    // 2: a title for the outbox screen, an attached photo, payments waiting for their result.
    "ALTER TABLE outbox ADD COLUMN title TEXT NOT NULL DEFAULT '';
     ALTER TABLE outbox ADD COLUMN photo_path TEXT;
     CREATE TABLE pending_payments (id TEXT PRIMARY KEY, started_at TEXT NOT NULL);",
];

pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OutboxKind {
    Reading,
    DocumentEmail,
    Notifications,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OutboxState {
    /// Waiting for the network.
    Queued,
    /// Accepted by the server.
    Sent,
    /// Refused by the server: the person must act (confirm, correct or discard).
    NeedsAction,
}

/// An action made offline, in the order it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub kind: OutboxKind,
    pub title: String,
    /// Made when the person acted, so every retry is the same request to the server.
    pub idempotency_key: String,
    pub path: String,
    pub body: String,
    pub photo_path: Option<String>,
    pub created_at: DateTime<Utc>,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub error: Option<ApiError>,
    pub result: Option<String>,
}

/// An action to queue: what it is, its idempotency key, and the request that carries it out.
pub struct NewAction<'a> {
    pub kind: OutboxKind,
    pub title: &'a str,
    pub key: &'a str,
    pub path: &'a str,
    pub body: &'a str,
    pub photo: Option<&'a str>,
}

/// A cached answer and when it came from the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Cached<T> {
    pub value: T,
    pub refreshed_at: DateTime<Utc>,
}

pub struct Store {
    conn: Mutex<Connection>,
}

fn code<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn parse_code<T: DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn time(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

const OUTBOX_COLUMNS: &str =
    "id, kind, title, idempotency_key, path, body, photo_path, created_at, state,
    attempts, next_attempt_at, error_json, result_json";

fn outbox_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    let error: Option<String> = r.get(11)?;
    Ok(OutboxItem {
        id: r.get(0)?,
        kind: parse_code(&r.get::<_, String>(1)?)?,
        title: r.get(2)?,
        idempotency_key: r.get(3)?,
        path: r.get(4)?,
        body: r.get(5)?,
        photo_path: r.get(6)?,
        created_at: time(&r.get::<_, String>(7)?)?,
        state: parse_code(&r.get::<_, String>(8)?)?,
        attempts: r.get(9)?,
        next_attempt_at: time(&r.get::<_, String>(10)?)?,
        error: error.and_then(|e| serde_json::from_str(&e).ok()),
        result: r.get(12)?,
    })
}

/// Applies the migrations after `from`, up to `to`.
fn migrate(conn: &mut Connection, to: usize) -> rusqlite::Result<()> {
    let applied = conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?;
    for (index, sql) in
        MIGRATIONS.iter().enumerate().take(to).skip(usize::try_from(applied).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

impl Store {
    pub fn open(path: &Path) -> ClientResult<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| ClientError::Store(e.to_string()))?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Every committed action must survive the app being killed: full sync on commit.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn, SCHEMA_VERSION)?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    pub fn in_memory() -> ClientResult<Store> {
        let mut conn = Connection::open_in_memory()?;
        migrate(&mut conn, SCHEMA_VERSION)?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    fn with<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> ClientResult<T> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        Ok(work(&conn)?)
    }

    pub fn schema_version(&self) -> ClientResult<usize> {
        self.with(|c| c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)))
            .map(|v| usize::try_from(v).unwrap_or(0))
    }

    pub fn get<T: DeserializeOwned>(&self, key: &str) -> ClientResult<Option<Cached<T>>> {
        let row: Option<(String, String)> = self.with(|c| {
            c.query_row("SELECT json, refreshed_at FROM cache WHERE key = ?1", [key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
        })?;
        row.map(|(json, at)| {
            Ok(Cached { value: serde_json::from_str(&json)?, refreshed_at: time(&at)? })
        })
        .transpose()
    }

    pub fn put<T: Serialize>(&self, key: &str, value: &T, now: DateTime<Utc>) -> ClientResult<()> {
        let json = serde_json::to_string(value)?;
        self.with(|c| {
            c.execute(
                "INSERT INTO cache (key, json, refreshed_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET json = ?2, refreshed_at = ?3",
                params![key, json, now.to_rfc3339()],
            )
        })?;
        Ok(())
    }

    /// Forgets everything cached (sign-out); queued actions stay.
    pub fn clear_cache(&self) -> ClientResult<()> {
        self.with(|c| c.execute("DELETE FROM cache", []))?;
        Ok(())
    }

    /// Queues an action; it is on disk when this returns.
    pub fn push(&self, action: &NewAction<'_>, now: DateTime<Utc>) -> ClientResult<OutboxItem> {
        let a = action;
        self.with(|c| {
            c.execute(
                "INSERT INTO outbox (kind, title, idempotency_key, path, body, photo_path, created_at, next_attempt_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![code(&a.kind), a.title, a.key, a.path, a.body, a.photo, now.to_rfc3339()],
            )?;
            c.query_row(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?1"), [c.last_insert_rowid()], outbox_row)
        })
    }

    pub fn outbox(&self) -> ClientResult<Vec<OutboxItem>> {
        self.with(|c| {
            let mut stmt =
                c.prepare(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY id"))?;
            stmt.query_map([], outbox_row)?.collect()
        })
    }

    pub fn outbox_item(&self, id: i64) -> ClientResult<Option<OutboxItem>> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?1"),
                [id],
                outbox_row,
            )
            .optional()
        })
    }

    pub fn mark_sent(&self, id: i64, result: &str) -> ClientResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, result_json = ?2, error_json = NULL WHERE id = ?1",
                params![id, result],
            )
        })?;
        Ok(())
    }

    pub fn mark_retry(&self, id: i64, next: DateTime<Utc>) -> ClientResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2 WHERE id = ?1",
                params![id, next.to_rfc3339()],
            )
        })?;
        Ok(())
    }

    /// Makes every waiting action due now (the network is back: no point waiting out a backoff).
    pub fn due_now(&self, now: DateTime<Utc>) -> ClientResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET next_attempt_at = ?1 WHERE state = 'queued' AND next_attempt_at > ?1",
                params![now.to_rfc3339()],
            )
        })?;
        Ok(())
    }

    pub fn mark_needs_action(&self, id: i64, error: &ApiError) -> ClientResult<()> {
        let error = serde_json::to_string(error)?;
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET state = 'needs_action', attempts = attempts + 1, error_json = ?2 WHERE id = ?1",
                params![id, error],
            )
        })?;
        Ok(())
    }

    /// Puts a refused action back in the queue with a corrected body (same key: the refusal
    /// recorded nothing on the server).
    pub fn requeue(&self, id: i64, body: &str, now: DateTime<Utc>) -> ClientResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET state = 'queued', body = ?2, error_json = NULL, next_attempt_at = ?3 WHERE id = ?1",
                params![id, body, now.to_rfc3339()],
            )
        })?;
        Ok(())
    }

    /// Records what the request carries now (a photo's id once it is uploaded).
    pub fn update_body(&self, id: i64, body: &str) -> ClientResult<()> {
        self.with(|c| c.execute("UPDATE outbox SET body = ?2 WHERE id = ?1", params![id, body]))?;
        Ok(())
    }

    pub fn discard(&self, id: i64) -> ClientResult<()> {
        self.with(|c| c.execute("DELETE FROM outbox WHERE id = ?1 AND state != 'queued'", [id]))?;
        Ok(())
    }

    pub fn add_pending_payment(&self, id: &str, now: DateTime<Utc>) -> ClientResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT OR IGNORE INTO pending_payments (id, started_at) VALUES (?1, ?2)",
                params![id, now.to_rfc3339()],
            )
        })?;
        Ok(())
    }

    pub fn pending_payments(&self) -> ClientResult<Vec<String>> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT id FROM pending_payments ORDER BY started_at")?;
            stmt.query_map([], |r| r.get(0))?.collect()
        })
    }

    pub fn remove_pending_payment(&self, id: &str) -> ClientResult<()> {
        self.with(|c| c.execute("DELETE FROM pending_payments WHERE id = ?1", [id]))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
    }

    /// Fills a database left at `version` with what that version could hold.
    fn old_database(path: &Path, version: usize) {
        let mut conn = Connection::open(path).unwrap();
        migrate(&mut conn, version).unwrap();
        if version >= 1 {
            conn.execute(
                "INSERT INTO cache (key, json, refreshed_at) VALUES ('accounts', '[1,2]', ?1)",
                [now().to_rfc3339()],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO outbox (kind, idempotency_key, path, body, created_at, next_attempt_at)
                 VALUES ('reading', 'key-1', '/x', '{}', ?1, ?1)",
                [now().to_rfc3339()],
            )
            .unwrap();
        }
    }

    #[test]
    fn every_earlier_schema_version_upgrades_keeping_its_data() {
        for version in 0..SCHEMA_VERSION {
            let dir =
                std::env::temp_dir().join(format!("lk-store-{}-{version}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("lk.sqlite3");
            let _ = std::fs::remove_file(&path);
            old_database(&path, version);
            let store = Store::open(&path).unwrap();
            assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
            if version >= 1 {
                let cached: Cached<Vec<u32>> = store.get("accounts").unwrap().unwrap();
                assert_eq!(cached.value, [1, 2]);
                let queued = store.outbox().unwrap();
                assert_eq!(
                    (queued.len(), queued[0].state, queued[0].title.as_str()),
                    (1, OutboxState::Queued, "")
                );
            }
            store.add_pending_payment("pay_1", now()).unwrap();
            assert_eq!(store.pending_payments().unwrap(), ["pay_1"]);
            drop(store);
            std::fs::remove_dir_all(dir).unwrap();
        }
    }

    #[test]
    fn the_outbox_keeps_order_state_and_refusals() {
        let store = Store::in_memory().unwrap();
        let action = |key, photo| NewAction {
            kind: OutboxKind::Reading,
            title: "Газ",
            key,
            path: "/a",
            body: "{}",
            photo,
        };
        let a = store.push(&action("k-a", None), now()).unwrap();
        let b = store.push(&action("k-b", Some("/tmp/p.jpg")), now()).unwrap();
        assert!(store.push(&action("k-a", None), now()).is_err(), "a key is used once");
        store.mark_sent(a.id, "{\"ok\":true}").unwrap();
        let refusal = ApiError {
            code: "reading_not_confirmed".into(),
            message: "Подтвердите".into(),
            field: None,
        };
        store.mark_needs_action(b.id, &refusal).unwrap();
        let items = store.outbox().unwrap();
        assert_eq!((items[0].state, items[1].state), (OutboxState::Sent, OutboxState::NeedsAction));
        assert_eq!(items[1].error.as_ref(), Some(&refusal));
        assert_eq!(items[1].photo_path.as_deref(), Some("/tmp/p.jpg"));
        store.requeue(b.id, "{\"confirmed\":[]}", now()).unwrap();
        assert_eq!(store.outbox_item(b.id).unwrap().unwrap().state, OutboxState::Queued);
        store.discard(b.id).unwrap();
        assert!(store.outbox_item(b.id).unwrap().is_some(), "a queued action is not discarded");
    }
}
