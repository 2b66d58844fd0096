//! The device's offline store: one SQLite file with everything the screens show (as the API's
//! own JSON, with when it was last refreshed) and the outbox of actions waiting for the network.
//! Schema versions are applied in order at open; every earlier version upgrades (tested).

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::command::Command;
use super::error::{ClientError, ClientResult};
use super::photo::Photo;
use crate::api::{ApiError, ErrorCode};
use crate::migrate::Migrations;

/// The store's schema steps, oldest first.
const MIGRATIONS: Migrations = Migrations::new(&[
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
    // 3: everything personal belongs to the profile that made it (a queued reading went out
    // with the next resident's session); rows from before carry the profile `LEGACY`. The
    // service's clock difference belongs to the device. Photos live in the store, not by path.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     INSERT INTO meta (key, value) SELECT 'service_clock', json FROM cache WHERE key = 'service_clock';
     DELETE FROM cache WHERE key = 'service_clock';
     CREATE TABLE cache3 (
         profile TEXT NOT NULL,
         key TEXT NOT NULL,
         json TEXT NOT NULL,
         refreshed_at TEXT NOT NULL,
         PRIMARY KEY (profile, key)
     );
     INSERT INTO cache3 (profile, key, json, refreshed_at) SELECT '', key, json, refreshed_at FROM cache;
     DROP TABLE cache;
     ALTER TABLE cache3 RENAME TO cache;
     ALTER TABLE outbox ADD COLUMN profile TEXT NOT NULL DEFAULT '';
     CREATE INDEX outbox_by_profile ON outbox (profile, id);
     ALTER TABLE pending_payments ADD COLUMN profile TEXT NOT NULL DEFAULT '';
     CREATE TABLE outbox_photos (
         item_id INTEGER PRIMARY KEY,
         content_type TEXT NOT NULL,
         bytes BLOB NOT NULL
     );",
    // 4: queued actions as typed commands (`Command`, JSON with its version); `path` and
    // `body` are what schema 3 kept, read once into `command` at open.
    "ALTER TABLE outbox ADD COLUMN command TEXT;",
]);

/// The owner of rows kept before profiles were recorded (schema 2 and earlier): the first
/// profile seen after the upgrade takes them, as the old store would have sent them.
pub const LEGACY: &str = "";

pub const SCHEMA_VERSION: usize = MIGRATIONS.latest();

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OutboxKind {
    Reading,
    DocumentEmail,
    Notifications,
    RoundCapture,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OutboxState {
    /// Waiting for the network.
    Queued,
    /// Accepted by the server.
    Sent,
    /// Refused by the server: the person must act (retry, correct or dismiss).
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
    /// What it does; `None` for a row an older app queued that could not be read (it waits
    /// for the person, who can only dismiss it).
    pub command: Option<Command>,
    /// A photo of the dial is kept in the store with the item until it is sent.
    pub has_photo: bool,
    pub created_at: DateTime<Utc>,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub error: Option<ApiError>,
    pub result: Option<String>,
}

/// An action to queue: whose it is, what it does, its title and its idempotency key.
pub struct NewAction<'a> {
    pub profile: &'a str,
    pub command: &'a Command,
    pub title: &'a str,
    pub key: &'a str,
    pub photo: Option<&'a Photo>,
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

const OUTBOX_COLUMNS: &str = "id, kind, title, idempotency_key, command,
    EXISTS (SELECT 1 FROM outbox_photos p WHERE p.item_id = outbox.id), created_at, state,
    attempts, next_attempt_at, error_json, result_json";

fn outbox_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    let error: Option<String> = r.get(10)?;
    Ok(OutboxItem {
        id: r.get(0)?,
        kind: parse_code(&r.get::<_, String>(1)?)?,
        title: r.get(2)?,
        idempotency_key: r.get(3)?,
        command: r.get::<_, Option<String>>(4)?.and_then(|c| Command::from_stored(&c).ok()),
        has_photo: r.get(5)?,
        created_at: time(&r.get::<_, String>(6)?)?,
        state: parse_code(&r.get::<_, String>(7)?)?,
        attempts: r.get(8)?,
        next_attempt_at: time(&r.get::<_, String>(9)?)?,
        error: error.and_then(|e| serde_json::from_str(&e).ok()),
        result: r.get(11)?,
    })
}

/// Rows queued before schema 4 kept a raw path and body: each becomes its typed command. One
/// that cannot be read waits for the person (to dismiss) instead of blocking the store.
fn read_commands_kept_as_requests(conn: &mut Connection) -> ClientResult<()> {
    let rows: Vec<(i64, String, String, String)> = {
        let mut stmt =
            conn.prepare("SELECT id, kind, path, body FROM outbox WHERE command IS NULL")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, kind, path, body) in rows {
        let command = parse_code::<OutboxKind>(&kind)
            .map_err(|e| ClientError::Store(e.to_string()))
            .and_then(|kind| Command::from_request(kind, &path, &body))
            .and_then(|command| command.to_stored());
        match command {
            Ok(command) => conn.execute(
                "UPDATE outbox SET command = ?2, path = '', body = '' WHERE id = ?1",
                params![id, command],
            )?,
            Err(e) => {
                let error = ApiError {
                    code: ErrorCode::Store,
                    message: format!(
                        "Действие, сохранённое прежней версией приложения, не прочитано ({e}). Удалите его и повторите"
                    ),
                    field: None,
                };
                conn.execute(
                    "UPDATE outbox SET state = 'needs_action', error_json = ?2
                     WHERE id = ?1 AND state = 'queued'",
                    params![id, serde_json::to_string(&error)?],
                )?
            }
        };
    }
    Ok(())
}

/// Items kept before schema 3 name their photo by a path on the device: the file is copied into
/// the store now, while it may still be there. A photo that is gone, or not an image, makes its
/// reading an item to act on (retry without the photo, correct, or dismiss), never a stuck one.
fn import_photos_kept_by_path(conn: &mut Connection, now: DateTime<Utc>) -> ClientResult<()> {
    let rows: Vec<(i64, String, String, String)> = {
        let mut stmt = conn.prepare(
            "SELECT id, photo_path, state, body FROM outbox WHERE photo_path IS NOT NULL",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, path, state, body) in rows {
        let uploaded = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .is_some_and(|b| b.get("photo").is_some_and(|p| !p.is_null()));
        let tx = conn.transaction()?;
        if state != code(&OutboxState::Sent) && !uploaded {
            match Photo::read(Path::new(&path)) {
                Ok(photo) => {
                    tx.execute(
                        "INSERT OR REPLACE INTO outbox_photos (item_id, content_type, bytes)
                         VALUES (?1, ?2, ?3)",
                        params![id, photo.content_type, photo.bytes],
                    )?;
                }
                Err(e) => {
                    let error = serde_json::to_string(&e.api_error())?;
                    tx.execute(
                        "UPDATE outbox SET state = 'needs_action', error_json = ?2,
                         next_attempt_at = ?3 WHERE id = ?1",
                        params![id, error, now.to_rfc3339()],
                    )?;
                }
            }
        }
        tx.execute("UPDATE outbox SET photo_path = NULL WHERE id = ?1", [id])?;
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
        MIGRATIONS.apply(&mut conn)?;
        import_photos_kept_by_path(&mut conn, Utc::now())?;
        read_commands_kept_as_requests(&mut conn)?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    pub fn in_memory() -> ClientResult<Store> {
        let mut conn = Connection::open_in_memory()?;
        MIGRATIONS.apply(&mut conn)?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    fn with<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> ClientResult<T> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        Ok(work(&conn)?)
    }

    /// One transaction: all of `work` or none of it.
    fn atomically<T>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> ClientResult<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction()?;
        let answer = work(&tx)?;
        tx.commit()?;
        Ok(answer)
    }

    /// Runs `work` on a blocking thread, for async code: a durable commit waits on the disk
    /// (milliseconds under full sync), and the runtime's few threads must not wait with it.
    pub async fn off_runtime<T, F>(self: &Arc<Self>, work: F) -> ClientResult<T>
    where
        F: FnOnce(&Store) -> ClientResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let store = self.clone();
        match tokio::task::spawn_blocking(move || work(&store)).await {
            Ok(answer) => answer,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(ClientError::Cancelled),
        }
    }

    pub fn schema_version(&self) -> ClientResult<usize> {
        self.with(Migrations::version)
    }

    /// What the device keeps about itself (the profile signed in, the service's clock).
    pub fn meta<T: DeserializeOwned>(&self, key: &str) -> ClientResult<Option<T>> {
        let json: Option<String> = self.with(|c| {
            c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
        })?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    pub fn set_meta<T: Serialize + ?Sized>(
        &self,
        key: &str,
        value: Option<&T>,
    ) -> ClientResult<()> {
        let json = value.map(serde_json::to_string).transpose()?;
        self.with(|c| match json {
            Some(json) => c.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = ?2",
                params![key, json],
            ),
            None => c.execute("DELETE FROM meta WHERE key = ?1", [key]),
        })?;
        Ok(())
    }

    pub fn get<T: DeserializeOwned>(
        &self,
        profile: &str,
        key: &str,
    ) -> ClientResult<Option<Cached<T>>> {
        let row: Option<(String, String)> = self.with(|c| {
            c.query_row(
                "SELECT json, refreshed_at FROM cache WHERE profile = ?1 AND key = ?2",
                [profile, key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })?;
        row.map(|(json, at)| {
            Ok(Cached { value: serde_json::from_str(&json)?, refreshed_at: time(&at)? })
        })
        .transpose()
    }

    pub fn put<T: Serialize>(
        &self,
        profile: &str,
        key: &str,
        value: &T,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        let json = serde_json::to_string(value)?;
        self.with(|c| {
            c.execute(
                "INSERT INTO cache (profile, key, json, refreshed_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (profile, key) DO UPDATE SET json = ?3, refreshed_at = ?4",
                params![profile, key, json, now.to_rfc3339()],
            )
        })?;
        Ok(())
    }

    /// The first profile seen after an upgrade takes the rows kept before profiles were
    /// recorded; its own cached answers win over the old ones.
    pub fn adopt_legacy(&self, profile: &str) -> ClientResult<()> {
        if profile == LEGACY {
            return Ok(());
        }
        self.atomically(|tx| {
            tx.execute("UPDATE outbox SET profile = ?1 WHERE profile = ?2", [profile, LEGACY])?;
            tx.execute(
                "UPDATE OR IGNORE cache SET profile = ?1 WHERE profile = ?2",
                [profile, LEGACY],
            )?;
            tx.execute("DELETE FROM cache WHERE profile = ?1", [LEGACY])?;
            tx.execute(
                "UPDATE pending_payments SET profile = ?1 WHERE profile = ?2",
                [profile, LEGACY],
            )?;
            Ok(())
        })
    }

    /// Actions of `profile` not yet accepted: waiting for the network or for the person.
    pub fn unsent(&self, profile: &str) -> ClientResult<usize> {
        let n: i64 = self.with(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM outbox WHERE profile = ?1 AND state != 'sent'",
                [profile],
                |r| r.get(0),
            )
        })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Sign-out of `profile`: its cached answers and its accepted actions go; its unsent
    /// actions (and their photos) stay for its next sign-in, or go too when `discard_unsent`.
    /// Answers how many unsent actions were kept or discarded.
    pub fn sign_out(&self, profile: &str, discard_unsent: bool) -> ClientResult<usize> {
        let unsent = self.unsent(profile)?;
        self.atomically(|tx| {
            tx.execute("DELETE FROM cache WHERE profile = ?1", [profile])?;
            let gone = if discard_unsent { "1" } else { "state = 'sent'" };
            tx.execute(
                &format!(
                    "DELETE FROM outbox_photos WHERE item_id IN
                     (SELECT id FROM outbox WHERE profile = ?1 AND {gone})"
                ),
                [profile],
            )?;
            tx.execute(&format!("DELETE FROM outbox WHERE profile = ?1 AND {gone}"), [profile])?;
            Ok(())
        })?;
        Ok(unsent)
    }

    /// Queues an action with its photo; both are on disk when this returns.
    pub fn push(&self, action: &NewAction<'_>, now: DateTime<Utc>) -> ClientResult<OutboxItem> {
        let a = action;
        let command = a.command.to_stored()?;
        self.atomically(|tx| {
            tx.execute(
                "INSERT INTO outbox (profile, kind, title, idempotency_key, path, body, command, created_at, next_attempt_at)
                 VALUES (?1, ?2, ?3, ?4, '', '', ?5, ?6, ?6)",
                params![a.profile, code(&a.command.kind()), a.title, a.key, command, now.to_rfc3339()],
            )?;
            let id = tx.last_insert_rowid();
            if let Some(photo) = a.photo {
                tx.execute(
                    "INSERT INTO outbox_photos (item_id, content_type, bytes) VALUES (?1, ?2, ?3)",
                    params![id, photo.content_type, photo.bytes],
                )?;
            }
            tx.query_row(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?1"), [id], outbox_row)
        })
    }

    /// The outbox of `profile`, oldest first; no other profile's actions.
    pub fn outbox(&self, profile: &str) -> ClientResult<Vec<OutboxItem>> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE profile = ?1 ORDER BY id"
            ))?;
            stmt.query_map([profile], outbox_row)?.collect()
        })
    }

    /// One action of `profile`; another profile's is not found.
    pub fn outbox_item(&self, profile: &str, id: i64) -> ClientResult<Option<OutboxItem>> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?1 AND profile = ?2"),
                params![id, profile],
                outbox_row,
            )
            .optional()
        })
    }

    /// The photo kept with an action.
    pub fn photo(&self, id: i64) -> ClientResult<Option<Photo>> {
        self.with(|c| {
            c.query_row(
                "SELECT content_type, bytes FROM outbox_photos WHERE item_id = ?1",
                [id],
                |r| Ok(Photo { content_type: r.get(0)?, bytes: r.get(1)? }),
            )
            .optional()
        })
    }

    /// Accepted: the photo went with it and is not kept any longer.
    pub fn mark_sent(&self, id: i64, result: &str) -> ClientResult<()> {
        self.atomically(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, result_json = ?2, error_json = NULL WHERE id = ?1",
                params![id, result],
            )?;
            tx.execute("DELETE FROM outbox_photos WHERE item_id = ?1", [id])?;
            Ok(())
        })
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

    /// Puts a refused action back in the queue as `command` (same key: the refusal recorded
    /// nothing on the server).
    pub fn requeue(&self, id: i64, command: &Command, now: DateTime<Utc>) -> ClientResult<()> {
        let command = command.to_stored()?;
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET state = 'queued', command = ?2, error_json = NULL, next_attempt_at = ?3 WHERE id = ?1",
                params![id, command, now.to_rfc3339()],
            )
        })?;
        Ok(())
    }

    /// A refused action corrected by the person: a new action in its place, with the key made
    /// at the correction.
    pub fn correct(
        &self,
        id: i64,
        key: &str,
        title: &str,
        command: &Command,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        let command = command.to_stored()?;
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET state = 'queued', idempotency_key = ?2, title = ?3, command = ?4,
                 error_json = NULL, attempts = 0, next_attempt_at = ?5 WHERE id = ?1",
                params![id, key, title, command, now.to_rfc3339()],
            )
        })?;
        Ok(())
    }

    /// Sends the action without its photo from now on (the photo was refused or is gone).
    pub fn drop_photo(&self, id: i64) -> ClientResult<()> {
        self.with(|c| c.execute("DELETE FROM outbox_photos WHERE item_id = ?1", [id]))?;
        Ok(())
    }

    /// Records what the action carries now (a photo's id once it is uploaded).
    pub fn update_command(&self, id: i64, command: &Command) -> ClientResult<()> {
        let command = command.to_stored()?;
        self.with(|c| {
            c.execute("UPDATE outbox SET command = ?2 WHERE id = ?1", params![id, command])
        })?;
        Ok(())
    }

    /// Removes a sent or refused action of `profile` with its photo; answers whether it did
    /// (a queued action is on its way and stays).
    pub fn discard(&self, profile: &str, id: i64) -> ClientResult<bool> {
        self.atomically(|tx| {
            let n = tx.execute(
                "DELETE FROM outbox WHERE id = ?1 AND profile = ?2 AND state != 'queued'",
                params![id, profile],
            )?;
            if n > 0 {
                tx.execute("DELETE FROM outbox_photos WHERE item_id = ?1", [id])?;
            }
            Ok(n > 0)
        })
    }

    pub fn add_pending_payment(
        &self,
        profile: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT OR IGNORE INTO pending_payments (id, started_at, profile) VALUES (?1, ?2, ?3)",
                params![id, now.to_rfc3339(), profile],
            )
        })?;
        Ok(())
    }

    pub fn pending_payments(&self, profile: &str) -> ClientResult<Vec<String>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id FROM pending_payments WHERE profile = ?1 ORDER BY started_at",
            )?;
            stmt.query_map([profile], |r| r.get(0))?.collect()
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

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];

    /// A reading as schema 3 and earlier kept it: the request's path and body.
    const READINGS: &str = "/accounts/450001000001/meters/gas%201/readings";
    const BODY: &str = r#"{"values":[{"zone":"single","text":"1234"}],"confirmed":[]}"#;

    /// Fills a database left at `version` with what that version could hold.
    fn old_database(path: &Path, version: usize, photo: &Path) {
        let mut conn = Connection::open(path).unwrap();
        MIGRATIONS.apply_up_to(&mut conn, version).unwrap();
        if (1..3).contains(&version) {
            for (key, json) in [("accounts", "[1,2]"), ("service_clock", "-3600000")] {
                conn.execute(
                    "INSERT INTO cache (key, json, refreshed_at) VALUES (?1, ?2, ?3)",
                    params![key, json, now().to_rfc3339()],
                )
                .unwrap();
            }
        }
        if version >= 3 {
            conn.execute(
                "INSERT INTO cache (profile, key, json, refreshed_at) VALUES ('', 'accounts', '[1,2]', ?1)",
                [now().to_rfc3339()],
            )
            .unwrap();
            conn.execute("INSERT INTO meta (key, value) VALUES ('service_clock', '-3600000')", [])
                .unwrap();
        }
        if version >= 1 {
            conn.execute(
                "INSERT INTO outbox (kind, idempotency_key, path, body, created_at, next_attempt_at)
                 VALUES ('reading', 'key-1', ?1, ?2, ?3, ?3)",
                params![READINGS, BODY, now().to_rfc3339()],
            )
            .unwrap();
        }
        if version >= 2 {
            for (key, path) in
                [("key-2", photo.to_path_buf()), ("key-3", photo.with_extension("gone"))]
            {
                conn.execute(
                    "INSERT INTO outbox (kind, idempotency_key, path, body, created_at, next_attempt_at, photo_path)
                     VALUES ('reading', ?1, ?2, ?3, ?4, ?4, ?5)",
                    params![key, READINGS, BODY, now().to_rfc3339(), path.to_string_lossy()],
                )
                .unwrap();
            }
        }
        if version >= 3 {
            // A request no version of the app wrote: it must not block the rest.
            conn.execute(
                "INSERT INTO outbox (kind, idempotency_key, path, body, created_at, next_attempt_at)
                 VALUES ('reading', 'key-4', '/nonsense', '{}', ?1, ?1)",
                [now().to_rfc3339()],
            )
            .unwrap();
        }
    }

    #[test]
    fn every_earlier_schema_version_upgrades_keeping_its_data_for_the_first_profile_seen() {
        for version in 0..SCHEMA_VERSION {
            let dir =
                std::env::temp_dir().join(format!("lk-store-{}-{version}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("lk.sqlite3");
            let _ = std::fs::remove_file(&path);
            let photo = dir.join("dial.jpg");
            std::fs::write(&photo, JPEG).unwrap();
            old_database(&path, version, &photo);
            let store = Store::open(&path).unwrap();
            assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
            if version >= 1 {
                let cached: Cached<Vec<u32>> = store.get(LEGACY, "accounts").unwrap().unwrap();
                assert_eq!(cached.value, [1, 2]);
                assert_eq!(store.meta::<i64>("service_clock").unwrap(), Some(-3_600_000));
                assert!(store.get::<i64>(LEGACY, "service_clock").unwrap().is_none());
                let queued = store.outbox(LEGACY).unwrap();
                assert_eq!((queued[0].state, queued[0].title.as_str()), (OutboxState::Queued, ""));
                // The request kept is now the command it was: the same meter, the same value.
                let Some(Command::Reading { number, meter_id, submission }) = &queued[0].command
                else {
                    panic!("{:?}", queued[0].command)
                };
                assert_eq!((number.as_str(), meter_id.as_str()), ("450001000001", "gas 1"));
                assert_eq!(submission.values[0].text, "1234");
            }
            if version >= 3 {
                let unread = store.outbox(LEGACY).unwrap().pop().unwrap();
                assert_eq!(
                    (unread.state, unread.command.as_ref()),
                    (OutboxState::NeedsAction, None)
                );
                assert_eq!(unread.error.unwrap().code, ErrorCode::Store);
            }
            if version >= 2 {
                // The photo still on the device is now in the store; the file can go.
                std::fs::remove_file(&photo).unwrap();
                let items = store.outbox(LEGACY).unwrap();
                assert_eq!((items[1].state, items[1].has_photo), (OutboxState::Queued, true));
                assert_eq!(store.photo(items[1].id).unwrap().unwrap().bytes, JPEG);
                let lost = &items[2];
                assert_eq!((lost.state, lost.has_photo), (OutboxState::NeedsAction, false));
                let error = lost.error.as_ref().unwrap();
                assert_eq!(error.code, ErrorCode::PhotoMissing);
                assert!(error.message.starts_with("Фото счётчика"), "{}", error.message);
            }
            store.adopt_legacy("demo").unwrap();
            assert!(store.outbox(LEGACY).unwrap().is_empty());
            assert!(store.get::<Vec<u32>>(LEGACY, "accounts").unwrap().is_none());
            if version >= 1 {
                let kept = match version {
                    1 => 1,
                    2 => 3,
                    _ => 4,
                };
                assert_eq!(store.outbox("demo").unwrap().len(), kept);
                assert!(store.get::<Vec<u32>>("demo", "accounts").unwrap().is_some());
            }
            store.add_pending_payment("demo", "pay_1", now()).unwrap();
            assert_eq!(store.pending_payments("demo").unwrap(), ["pay_1"]);
            assert!(store.pending_payments("petrov").unwrap().is_empty());
            drop(store);
            std::fs::remove_dir_all(dir).unwrap();
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_write_waiting_on_the_disk_leaves_the_runtimes_one_thread_free() {
        let store = Arc::new(Store::in_memory().unwrap());
        // A slow disk: the connection is busy for a second.
        let (held, busy) = std::sync::mpsc::channel();
        let holder = std::thread::spawn({
            let store = store.clone();
            move || {
                let _conn = store.conn.lock().unwrap();
                held.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        });
        busy.recv().unwrap();
        let write = tokio::spawn({
            let store = store.clone();
            async move { store.off_runtime(|s| s.set_meta("profile", Some("demo"))).await }
        });
        let started = std::time::Instant::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(started.elapsed() < std::time::Duration::from_millis(500), "the thread waited");
        write.await.unwrap().unwrap();
        assert_eq!(store.meta::<String>("profile").unwrap().as_deref(), Some("demo"));
        holder.join().unwrap();
    }

    fn gas() -> &'static Command {
        static GAS: std::sync::OnceLock<Command> = std::sync::OnceLock::new();
        GAS.get_or_init(|| Command::from_request(OutboxKind::Reading, READINGS, BODY).unwrap())
    }

    fn action<'a>(profile: &'a str, key: &'a str, photo: Option<&'a Photo>) -> NewAction<'a> {
        NewAction { profile, command: gas(), title: "Газ", key, photo }
    }

    #[test]
    fn the_outbox_keeps_order_state_refusals_and_photos() {
        let store = Store::in_memory().unwrap();
        let photo = Photo::from_bytes(JPEG.to_vec()).unwrap();
        let a = store.push(&action("demo", "k-a", None), now()).unwrap();
        let b = store.push(&action("demo", "k-b", Some(&photo)), now()).unwrap();
        assert!(store.push(&action("demo", "k-a", None), now()).is_err(), "a key is used once");
        store.mark_sent(a.id, "{\"ok\":true}").unwrap();
        let refusal = ApiError {
            code: crate::api::ErrorCode::ReadingNotConfirmed,
            message: "Подтвердите".into(),
            field: None,
        };
        store.mark_needs_action(b.id, &refusal).unwrap();
        let items = store.outbox("demo").unwrap();
        assert_eq!((items[0].state, items[1].state), (OutboxState::Sent, OutboxState::NeedsAction));
        assert_eq!(items[1].error.as_ref(), Some(&refusal));
        assert!(items[1].has_photo);
        store.requeue(b.id, gas(), now()).unwrap();
        assert_eq!(store.outbox_item("demo", b.id).unwrap().unwrap().state, OutboxState::Queued);
        assert!(!store.discard("demo", b.id).unwrap(), "a queued action is not discarded");
        store.mark_sent(b.id, "{}").unwrap();
        assert!(store.photo(b.id).unwrap().is_none(), "a sent photo is not kept");
    }

    #[test]
    fn one_profiles_actions_cache_and_payments_are_not_anothers() {
        let store = Store::in_memory().unwrap();
        let mine = store.push(&action("demo", "k-1", None), now()).unwrap();
        store.put("demo", "accounts", &[1], now()).unwrap();
        store.add_pending_payment("demo", "pay_1", now()).unwrap();
        assert!(store.outbox("petrov").unwrap().is_empty());
        assert!(store.outbox_item("petrov", mine.id).unwrap().is_none());
        assert!(store.get::<Vec<u32>>("petrov", "accounts").unwrap().is_none());
        assert!(store.pending_payments("petrov").unwrap().is_empty());
        let refusal = ApiError {
            code: crate::api::ErrorCode::ReadingRefused,
            message: "Нет".into(),
            field: None,
        };
        store.mark_needs_action(mine.id, &refusal).unwrap();
        assert!(!store.discard("petrov", mine.id).unwrap(), "nor can another dismiss it");
        assert_eq!(store.outbox("demo").unwrap().len(), 1);
    }

    #[test]
    fn sign_out_keeps_unsent_actions_for_the_same_profile_or_discards_them() {
        let store = Store::in_memory().unwrap();
        let photo = Photo::from_bytes(JPEG.to_vec()).unwrap();
        let sent = store.push(&action("demo", "k-1", None), now()).unwrap();
        store.mark_sent(sent.id, "{}").unwrap();
        let waiting = store.push(&action("demo", "k-2", Some(&photo)), now()).unwrap();
        store.push(&action("petrov", "k-3", None), now()).unwrap();
        store.put("demo", "accounts", &[1], now()).unwrap();
        assert_eq!(store.unsent("demo").unwrap(), 1);

        assert_eq!(store.sign_out("demo", false).unwrap(), 1);
        let kept = store.outbox("demo").unwrap();
        assert_eq!(kept.iter().map(|i| i.id).collect::<Vec<_>>(), [waiting.id]);
        assert!(store.photo(waiting.id).unwrap().is_some());
        assert!(store.get::<Vec<u32>>("demo", "accounts").unwrap().is_none(), "cache goes");

        assert_eq!(store.sign_out("demo", true).unwrap(), 1);
        assert!(store.outbox("demo").unwrap().is_empty());
        assert!(store.photo(waiting.id).unwrap().is_none());
        assert_eq!(store.outbox("petrov").unwrap().len(), 1, "another profile's stay");
    }
}
