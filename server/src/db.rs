//! The service's SQLite database, used from blocking threads so the async runtime never waits on
//! disk. One thread owns the write connection and commits the transactions waiting for it
//! together, each in its own savepoint (group commit): many requests share one durable commit,
//! and each is answered only after the commit that holds its work. Reads of a file run in
//! parallel on a pool of read-only connections, each in its own WAL snapshot, so a dashboard
//! never queues behind a write. Migrations applied at start.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};

use lk_core::migrate::Migrations;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

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
    include_str!("migrations/0008_indexes.sql"),
]);

/// Read connections of a file database: more than the 2 cores, so reads waiting on the disk do
/// not hold back reads that have their pages cached.
const READERS: usize = 4;
/// Prepared statements kept per connection: every query the handlers run fits.
const STATEMENT_CACHE: usize = 128;
/// Transactions committed together at most: a bound on how long the last of them waits.
const GROUP: usize = 256;

#[derive(Clone)]
pub struct Db {
    writer: mpsc::Sender<Job>,
    readers: Readers,
}

/// What the writer thread is given.
enum Job {
    /// Work inside the shared transaction, in a savepoint of its own; it answers its caller
    /// with the commit's outcome.
    Grouped(Grouped),
    /// Work that needs the connection to itself (its own statements outside any transaction).
    Alone(Box<dyn FnOnce(&mut Connection) + Send>),
}

/// Work run in the group's transaction, answering how to tell its caller.
type Grouped = Box<dyn FnOnce(&Connection) -> Answer + Send>;

/// Sends a grouped job's result once the commit is known: its own result if committed, the
/// commit's error otherwise.
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;

/// Where reads run.
#[derive(Clone)]
enum Readers {
    /// A pool of read-only connections to the file; a free one is taken, or the wait is for one.
    Pool { free: Arc<Mutex<Vec<Connection>>>, turns: Arc<tokio::sync::Semaphore> },
    /// An in-memory database has one connection: reads go to the writer, with writes refused
    /// for the read's duration, so a handler filed as a read that writes fails in every test.
    Writer,
}

impl Db {
    pub fn open(path: &Path) -> Result<Db, rusqlite::Error> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: an acknowledged payment or reading survives a power cut, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        let mut db = Db::prepare(conn)?;
        let readers = (0..READERS)
            .map(|_| {
                let reader = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                reader.busy_timeout(std::time::Duration::from_secs(5))?;
                reader.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
                Ok(reader)
            })
            .collect::<Result<Vec<_>, rusqlite::Error>>()?;
        db.readers = Readers::Pool {
            free: Arc::new(Mutex::new(readers)),
            turns: Arc::new(tokio::sync::Semaphore::new(READERS)),
        };
        Ok(db)
    }

    pub fn in_memory() -> Result<Db, rusqlite::Error> {
        Db::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Db, rusqlite::Error> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        migrate(&mut conn)?;
        let (writer, jobs) = mpsc::channel();
        std::thread::Builder::new()
            .name("lk-db-writer".into())
            .spawn(move || write_until_closed(conn, jobs))
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(Db { writer, readers: Readers::Writer })
    }

    /// Runs `work` on the write connection by itself, outside the grouped transactions.
    pub async fn call<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut Connection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job = Job::Alone(Box::new(move |conn| {
            let result = catch_unwind(AssertUnwindSafe(|| work(conn)))
                .unwrap_or_else(|_| Err(AppError::internal("the work panicked")));
            let _ = answer.send(result);
        }));
        self.writer.send(job).map_err(AppError::internal)?;
        answered.await.map_err(AppError::internal)?
    }

    /// Runs `work` in a transaction, committed (with others waiting at the same moment) only if
    /// it succeeds; answers after the commit.
    pub async fn transaction<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&Connection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job = Job::Grouped(Box::new(move |conn| {
            let result = in_savepoint(conn, work);
            Box::new(move |committed: Result<(), String>| {
                let result = match committed {
                    Ok(()) => result,
                    Err(e) => Err(AppError::internal(e)),
                };
                let _ = answer.send(result);
            })
        }));
        self.writer.send(job).map_err(AppError::internal)?;
        answered.await.map_err(AppError::internal)?
    }

    /// Runs read-only `work` in one transaction (one consistent snapshot) on a read connection.
    /// Any write in it fails: files' readers are opened read-only, the in-memory one is made so.
    pub async fn read<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&Connection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        match &self.readers {
            Readers::Pool { free, turns } => {
                let _turn = turns.acquire().await.map_err(AppError::internal)?;
                let free = free.clone();
                tokio::task::spawn_blocking(move || {
                    let taken = free.lock().unwrap_or_else(|e| e.into_inner()).pop();
                    let mut conn = taken.ok_or_else(|| AppError::internal("no free reader"))?;
                    let result = in_snapshot(&mut conn, work);
                    free.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
                    result
                })
                .await
                .map_err(AppError::internal)?
            }
            Readers::Writer => {
                self.call(move |conn| {
                    conn.pragma_update(None, "query_only", true)?;
                    let result = in_snapshot(conn, work);
                    conn.pragma_update(None, "query_only", false)?;
                    result
                })
                .await
            }
        }
    }
}

impl Db {
    /// Like [`Db::transaction`], for work that records a refusal (a wrong code, a failed
    /// sign-in) which must be kept although the request fails: `work` answers
    /// `Ok(Err(refusal))`, the transaction is committed, and the refusal returned.
    pub async fn transaction_recording<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&Connection) -> AppResult<AppResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        self.transaction(work).await?
    }
}

/// The writer thread: takes the jobs waiting, runs the grouped ones in one transaction and
/// answers them after its commit, until every [`Db`] is gone.
fn write_until_closed(mut conn: Connection, jobs: mpsc::Receiver<Job>) {
    let mut waiting = None;
    while let Some(first) = waiting.take().or_else(|| jobs.recv().ok()) {
        let mut group = Vec::new();
        match first {
            Job::Alone(work) => {
                work(&mut conn);
                continue;
            }
            Job::Grouped(work) => group.push(work),
        }
        while group.len() < GROUP {
            match jobs.try_recv() {
                Ok(Job::Grouped(work)) => group.push(work),
                Ok(alone) => {
                    waiting = Some(alone);
                    break;
                }
                Err(_) => break,
            }
        }
        commit_group(&conn, group);
    }
}

fn commit_group(conn: &Connection, group: Vec<Grouped>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        // Nothing of the group is run or written: dropping it tells each caller it failed.
        tracing::error!(error = %e, "transaction not begun");
        return;
    }
    let answers: Vec<Answer> = group.into_iter().map(|work| work(conn)).collect();
    let committed = conn.execute_batch("COMMIT").map_err(|e| {
        let _ = conn.execute_batch("ROLLBACK");
        e.to_string()
    });
    for answer in answers {
        answer(committed.clone());
    }
}

/// Runs `work` in a savepoint of the open transaction: undone alone if it fails or panics.
fn in_savepoint<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> AppResult<T>,
) -> AppResult<T> {
    conn.execute_batch("SAVEPOINT work")?;
    let result = catch_unwind(AssertUnwindSafe(|| work(conn)))
        .unwrap_or_else(|_| Err(AppError::internal("the work panicked")));
    match &result {
        Ok(_) => conn.execute_batch("RELEASE work")?,
        Err(_) => conn.execute_batch("ROLLBACK TO work; RELEASE work")?,
    }
    result
}

/// Runs read-only `work` in a transaction of its own; a panic in it is answered as an error,
/// so the connection still goes back to the pool (or gets its writes back) afterwards.
fn in_snapshot<T>(
    conn: &mut Connection,
    work: impl FnOnce(&Connection) -> AppResult<T>,
) -> AppResult<T> {
    catch_unwind(AssertUnwindSafe(|| in_transaction(conn, work)))
        .unwrap_or_else(|_| Err(AppError::internal("the work panicked")))
}

/// Runs `work` in a transaction of its own on `conn`, committed only if it succeeds.
fn in_transaction<T>(
    conn: &mut Connection,
    work: impl FnOnce(&Connection) -> AppResult<T>,
) -> AppResult<T> {
    let tx = conn.transaction()?;
    let value = work(&tx)?;
    tx.commit()?;
    Ok(value)
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

    fn temp_file(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("lk-db-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("lk.sqlite3")
    }

    fn count(tx: &Connection) -> AppResult<i64> {
        Ok(tx.query_row("SELECT COUNT(*) FROM services", [], |r| r.get(0))?)
    }

    fn insert_service(tx: &Connection) -> AppResult<()> {
        tx.execute("INSERT INTO services (code, json) VALUES ('x', '{}')", [])?;
        Ok(())
    }

    #[tokio::test]
    async fn a_write_filed_as_a_read_fails_on_a_file_and_in_memory() {
        let path = temp_file("write-in-read");
        for db in [Db::open(&path).unwrap(), Db::in_memory().unwrap()] {
            assert!(db.read(insert_service).await.is_err());
            assert_eq!(db.read(count).await.unwrap(), 0);
            // The in-memory connection takes writes again after the read.
            db.transaction(insert_service).await.unwrap();
            assert_eq!(db.read(count).await.unwrap(), 1);
        }
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[tokio::test]
    async fn a_read_that_panics_leaves_its_connection_usable() {
        let path = temp_file("read-panics");
        for db in [Db::open(&path).unwrap(), Db::in_memory().unwrap()] {
            for _ in 0..=READERS {
                let answer = db.read(|_| -> AppResult<()> { panic!("ошибка обработчика") }).await;
                assert!(answer.is_err());
            }
            // Every reader is back in the pool; the in-memory connection takes writes again.
            db.transaction(insert_service).await.unwrap();
            assert_eq!(db.read(count).await.unwrap(), 1);
        }
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reads_of_a_file_run_while_a_write_is_open_and_see_it_once_committed() {
        let path = temp_file("parallel-reads");
        let db = Db::open(&path).unwrap();
        let (started_tx, started) = std::sync::mpsc::channel();
        let (finish, finish_rx) = std::sync::mpsc::channel::<()>();
        let writing = tokio::spawn({
            let db = db.clone();
            async move {
                db.transaction(move |tx| {
                    insert_service(tx)?;
                    started_tx.send(()).unwrap();
                    finish_rx.recv().unwrap();
                    Ok(())
                })
                .await
            }
        });
        tokio::task::spawn_blocking(move || started.recv().unwrap()).await.unwrap();
        // The writer holds its transaction open: every reader still answers, from the snapshot
        // before it.
        let reads: Vec<_> = (0..2 * READERS)
            .map(|_| {
                tokio::spawn({
                    let db = db.clone();
                    async move { db.read(count).await }
                })
            })
            .collect();
        for read in reads {
            assert_eq!(read.await.unwrap().unwrap(), 0);
        }
        finish.send(()).unwrap();
        writing.await.unwrap().unwrap();
        assert_eq!(db.read(count).await.unwrap(), 1);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn transactions_committed_together_keep_each_ones_outcome() {
        let path = temp_file("group-commit");
        let db = Db::open(&path).unwrap();
        let writes: Vec<_> = (0..60)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move {
                    db.transaction(move |tx| {
                        tx.execute(
                            "INSERT INTO services (code, json) VALUES (?1, '{}')",
                            [format!("s{i}")],
                        )?;
                        match i % 3 {
                            0 => Ok(i),
                            1 => Err(AppError::not_found("отказ")),
                            _ => panic!("ошибка обработчика"),
                        }
                    })
                    .await
                })
            })
            .collect();
        for (i, write) in writes.into_iter().enumerate() {
            let answer = write.await.unwrap();
            match i % 3 {
                0 => assert_eq!(answer.unwrap(), i),
                _ => assert!(answer.is_err()),
            }
        }
        // Only the successful third is written: a refusal or a panic undoes its own work alone.
        assert_eq!(db.read(count).await.unwrap(), 20);
        let codes: Vec<String> = db
            .read(|tx| {
                let mut stmt = tx.prepare("SELECT code FROM services ORDER BY code")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
            .unwrap();
        assert!(codes.iter().all(|c| c[1..].parse::<usize>().unwrap() % 3 == 0), "{codes:?}");
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[tokio::test]
    async fn a_refusal_recorded_is_kept_and_answered() {
        let db = Db::in_memory().unwrap();
        let answer = db
            .transaction_recording(|tx| {
                insert_service(tx)?;
                Ok(Err::<(), _>(AppError::not_found("неверный код")))
            })
            .await;
        assert!(answer.is_err());
        assert_eq!(db.read(count).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn work_that_needs_the_connection_alone_runs_between_groups() {
        let db = Db::in_memory().unwrap();
        db.transaction(insert_service).await.unwrap();
        let n = db
            .call(|conn| {
                let tx = conn.transaction()?;
                tx.execute("DELETE FROM services", [])?;
                tx.commit()?;
                Ok(conn.query_row("SELECT COUNT(*) FROM services", [], |r| r.get::<_, i64>(0))?)
            })
            .await
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn a_database_left_at_every_earlier_version_opens_at_the_latest() {
        for version in 0..MIGRATIONS.latest() {
            let dir = std::env::temp_dir().join(format!("lk-db-{}-{version}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("lk.sqlite3");
            let _ = std::fs::remove_file(&path);
            MIGRATIONS.apply_up_to(&mut Connection::open(&path).unwrap(), version).unwrap();
            let db = Db::open(&path).unwrap();
            let conn = Connection::open(&path).unwrap();
            assert_eq!(Migrations::version(&conn).unwrap(), MIGRATIONS.latest(), "from {version}");
            drop((conn, db));
            std::fs::remove_dir_all(dir).unwrap();
        }
    }
}
