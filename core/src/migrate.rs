//! Schema migrations of a SQLite database, one runner for the service's database and the
//! device's store. `PRAGMA user_version` records how many steps are applied; each step and its
//! version are committed together, so a crash leaves the database at one version or the next.

use std::ops::Range;

use rusqlite::Connection;

/// A database's schema steps, oldest first; never edited once released, only added to.
#[derive(Debug, Clone, Copy)]
pub struct Migrations {
    steps: &'static [&'static str],
}

impl Migrations {
    pub const fn new(steps: &'static [&'static str]) -> Migrations {
        Migrations { steps }
    }

    /// The version a database has once every step is applied.
    pub const fn latest(&self) -> usize {
        self.steps.len()
    }

    /// The version the database is at.
    pub fn version(conn: &Connection) -> rusqlite::Result<usize> {
        conn.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
            .map(|v| usize::try_from(v).unwrap_or(0))
    }

    /// Brings the database to the latest version; answers the versions it passed through.
    pub fn apply(&self, conn: &mut Connection) -> rusqlite::Result<Range<usize>> {
        self.apply_up_to(conn, self.latest())
    }

    /// Brings the database to version `to` (no further: tests build older databases with it).
    /// A database at or past `to` is left as it is.
    pub fn apply_up_to(&self, conn: &mut Connection, to: usize) -> rusqlite::Result<Range<usize>> {
        let from = Migrations::version(conn)?;
        let to = to.min(self.latest()).max(from);
        for (index, sql) in self.steps.iter().enumerate().take(to).skip(from) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i64::try_from(index + 1).unwrap_or(i64::MAX))?;
            tx.commit()?;
        }
        Ok(from..to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: Migrations = Migrations::new(&[
        "CREATE TABLE a (x INTEGER);",
        "ALTER TABLE a ADD COLUMN y TEXT NOT NULL DEFAULT '';",
        "CREATE TABLE b (z INTEGER); INSERT INTO b SELECT x FROM a;",
    ]);

    #[test]
    fn a_database_of_every_earlier_version_reaches_the_latest_keeping_its_rows() {
        for version in 0..=STEPS.latest() {
            let mut conn = Connection::open_in_memory().unwrap();
            STEPS.apply_up_to(&mut conn, version).unwrap();
            if version >= 1 {
                conn.execute("INSERT INTO a (x) VALUES (7)", []).unwrap();
            }
            assert_eq!(STEPS.apply(&mut conn).unwrap(), version..STEPS.latest());
            assert_eq!(Migrations::version(&conn).unwrap(), STEPS.latest());
            let rows: i64 = conn.query_row("SELECT count(*) FROM a", [], |r| r.get(0)).unwrap();
            assert_eq!(rows, i64::from(version >= 1));
            assert_eq!(STEPS.apply(&mut conn).unwrap(), 3..3, "applied once only");
        }
    }

    #[test]
    fn a_failing_step_leaves_the_database_at_the_version_before_it() {
        let broken = Migrations::new(&["CREATE TABLE a (x INTEGER);", "CREATE TABLE a (x);"]);
        let mut conn = Connection::open_in_memory().unwrap();
        assert!(broken.apply(&mut conn).is_err());
        assert_eq!(Migrations::version(&conn).unwrap(), 1);
    }

    #[test]
    fn a_database_from_a_newer_program_is_left_as_it_is() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 9).unwrap();
        assert_eq!(STEPS.apply(&mut conn).unwrap(), 9..9);
        assert_eq!(Migrations::version(&conn).unwrap(), 9);
    }
}
