//! What a durable acknowledgement costs (`cargo bench -p lk-server --bench durable_writes`): the
//! service commits every payment and reading with `synchronous=FULL` (a commit survives a power
//! cut, not only a crash); this times one small committed write under FULL and under NORMAL, in
//! WAL mode, on the disk the data directory is on. Prints one line per mode.

use std::time::{Duration, Instant};

fn commits(dir: &std::path::Path, synchronous: &str, n: usize) -> Vec<Duration> {
    let path = dir.join(format!("bench-{synchronous}.sqlite3"));
    let _ = std::fs::remove_file(&path);
    let mut conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
    conn.pragma_update(None, "synchronous", synchronous).expect("synchronous");
    conn.execute_batch("CREATE TABLE readings (id INTEGER PRIMARY KEY, json TEXT NOT NULL)")
        .expect("table");
    let body = "{\"values\":[{\"zone\":\"single\",\"value\":\"12345.678\"}]}";
    (0..n)
        .map(|_| {
            let started = Instant::now();
            let tx = conn.transaction().expect("begin");
            tx.execute("INSERT INTO readings (json) VALUES (?1)", [body]).expect("insert");
            tx.commit().expect("commit");
            started.elapsed()
        })
        .collect()
}

fn main() {
    // target/tmp: the project's disk, not a tmpfs where fsync costs nothing.
    let dir = std::env::var_os("LK_BENCH_DIR")
        .map_or_else(|| std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")), Into::into);
    for mode in ["NORMAL", "FULL"] {
        let mut samples = commits(&dir, mode, 2000);
        samples.sort();
        let total: Duration = samples.iter().sum();
        println!(
            "one committed write, synchronous={mode}: median {:?}, p99 {:?}, {:.0} commits/s in a row",
            samples[samples.len() / 2],
            samples[samples.len() * 99 / 100],
            samples.len() as f64 / total.as_secs_f64()
        );
    }
}
