//! Issue 19: every query the service runs finds its rows by an index, so reads and writes stay
//! as fast with a real supplier's 1.5 million accounts as with the demo's few. Each SQL text in
//! the service's sources is planned (`EXPLAIN QUERY PLAN`, parameters unbound) against the
//! migrated schema; a full scan is allowed only of the tables that stay small by design.

use std::path::Path;

use lk_server::db::MIGRATIONS;
use rusqlite::Connection;

/// Tables that hold a fixed handful of rows whatever the number of accounts, and why.
const SMALL: &[(&str, &str)] = &[
    ("services", "the supplier's services: a dozen"),
    ("tariffs", "per service and region: dozens"),
    ("payees", "the supplier's requisites per region"),
    ("secrets", "the service's own keys"),
    ("migrations", "one row per schema step"),
];

/// Sources whose queries serve only the demo (seeding, the demo's own endpoints), and why.
const DEMO_ONLY: &[(&str, &str)] = &[
    ("demo.rs", "seeds the demo data once, at start"),
    ("demo_rounds.rs", "seeds the demo's routes once, at start"),
    ("demo_api.rs", "endpoints served with --demo only, on a loopback address"),
];

fn sql_texts(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sql_texts(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            let source = source.split("#[cfg(test)]").next().unwrap_or_default();
            let mut rest = source;
            while let Some(start) = rest.find('"') {
                let after = &rest[start + 1..];
                let Some(end) = after.find('"') else { break };
                let literal = &after[..end];
                let head = literal.trim_start().to_uppercase();
                if ["SELECT ", "UPDATE ", "DELETE ", "INSERT ", "WITH "]
                    .iter()
                    .any(|k| head.starts_with(k))
                {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    found.push((name, literal.replace("\\\n", " ")));
                }
                rest = &after[end + 1..];
            }
        }
    }
}

#[test]
fn every_query_of_the_service_finds_its_rows_by_an_index() {
    let mut conn = Connection::open_in_memory().unwrap();
    MIGRATIONS.apply(&mut conn).unwrap();
    let mut texts = Vec::new();
    sql_texts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut texts);
    assert!(
        texts.len() > 100,
        "only {} SQL texts found: is the walk reading the sources?",
        texts.len()
    );
    let mut scans = Vec::new();
    let mut planned = 0;
    for (file, sql) in &texts {
        // A text completed at run time (a `format!` with `{}`) is not planned here.
        if sql.contains('{') || DEMO_ONLY.iter().any(|(f, _)| f == file) {
            continue;
        }
        let mut stmt = match conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")) {
            Ok(stmt) => stmt,
            Err(e) => panic!("{file}: {e}: {sql}"),
        };
        planned += 1;
        // Every parameter bound as NULL: the plan does not depend on the values.
        let unbound = std::iter::repeat_n(rusqlite::types::Null, stmt.parameter_count());
        let details: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(unbound), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for detail in details {
            let Some(table) = detail.strip_prefix("SCAN ") else { continue };
            let table = table.split_whitespace().next().unwrap_or_default();
            // `CONSTANT ROW`: the outer row of `SELECT EXISTS(…)`, whose inner query is planned
            // on its own line.
            if detail.contains(" USING ")
                || table == "CONSTANT"
                || SMALL.iter().any(|(t, _)| *t == table)
            {
                continue;
            }
            let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            scans.push(format!("{file}: {detail}\n    {sql}"));
        }
    }
    assert!(planned > 100, "only {planned} queries planned");
    assert!(scans.is_empty(), "{} full scans:\n{}", scans.len(), scans.join("\n"));
}
