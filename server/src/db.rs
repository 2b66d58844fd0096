//! The service's SQLite database: one connection behind a mutex, used from blocking threads so
//! the async runtime never waits on disk. WAL mode for a file; migrations applied at start.

use std::path::Path;
use std::sync::{Arc, Mutex};

use lk_core::migrate::Migrations;
use rusqlite::Connection;

use crate::error::{AppError, AppResult};

/// The service's schema steps, oldest first.
pub const MIGRATIONS: Migrations = Migrations::new(&[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_payments_readings_push.sql"),
    include_str!("migrations/0003_photos.sql"),
    include_str!("migrations/0004_attachments.sql"),
    include_str!("migrations/0005_password_attempts.sql"),
    include_str!("migrations/0006_sandbox_secure_code_tries.sql"),
    include_str!("migrations/0007_rounds.sql"),
]);

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    pub fn open(path: &Path) -> Result<Db, rusqlite::Error> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: an acknowledged payment or reading survives a power cut, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        Db::prepare(conn)
    }

    pub fn in_memory() -> Result<Db, rusqlite::Error> {
        Db::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Db, rusqlite::Error> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Db { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `work` on the connection on a blocking thread.
    pub async fn call<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut Connection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|e| e.into_inner());
            work(&mut guard)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Runs `work` inside one transaction, committed only if it succeeds.
    pub async fn transaction<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&rusqlite::Transaction<'_>) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.call(move |conn| {
            let tx = conn.transaction()?;
            let value = work(&tx)?;
            tx.commit()?;
            Ok(value)
        })
        .await
    }
}

impl Db {
    /// Like [`Db::transaction`], for work that records a refusal (a wrong code, a failed
    /// sign-in) which must be kept although the request fails: `work` answers
    /// `Ok(Err(refusal))`, the transaction is committed, and the refusal returned.
    pub async fn transaction_recording<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&rusqlite::Transaction<'_>) -> AppResult<AppResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        self.transaction(work).await?
    }
}

fn migrate(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    for version in MIGRATIONS.apply(conn)? {
        tracing::info!(version = version + 1, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_left_at_every_earlier_version_opens_at_the_latest() {
        for version in 0..MIGRATIONS.latest() {
            let dir = std::env::temp_dir().join(format!("lk-db-{}-{version}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("lk.sqlite3");
            let _ = std::fs::remove_file(&path);
            MIGRATIONS.apply_up_to(&mut Connection::open(&path).unwrap(), version).unwrap();
            let db = Db::open(&path).unwrap();
            let conn = db.conn.lock().unwrap();
            assert_eq!(Migrations::version(&conn).unwrap(), MIGRATIONS.latest(), "from {version}");
            drop(conn);
            std::fs::remove_dir_all(dir).unwrap();
        }
    }
}
