//! The demo data: what it promises to hold, that every document obeys R7, that it is the same
//! for the same date, and that the README lists its logins.

mod common;

use chrono::NaiveDate;
use lk_core::document::PaymentDocument;
use lk_core::meter::{Meter, MeterKind, MeterScope};
use lk_server::db::Db;
use lk_server::demo::{self, DEMO_LOGINS};

async fn seeded(today: NaiveDate) -> Db {
    let db = Db::in_memory().unwrap();
    db.transaction(move |tx| demo::seed(tx, today)).await.unwrap();
    db
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

#[tokio::test]
async fn demo_data_holds_what_the_walkthroughs_need_and_every_document_obeys_r7_with_a_valid_qr() {
    let db = seeded(today()).await;
    let (accounts, documents, meters, min_docs, payments): (
        i64,
        Vec<String>,
        Vec<String>,
        i64,
        i64,
    ) = db
        .call(|conn| {
            let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
            let all = |sql: &str| -> Result<Vec<String>, rusqlite::Error> {
                conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect()
            };
            Ok((
                count("SELECT COUNT(*) FROM accounts")?,
                all("SELECT json FROM documents")?,
                all("SELECT json FROM meters")?,
                count(
                    "SELECT MIN(n) FROM (SELECT COUNT(*) n FROM documents GROUP BY account_number)",
                )?,
                count("SELECT COUNT(*) FROM payments WHERE status = 'succeeded'")?,
            ))
        })
        .await
        .unwrap();
    assert!(accounts >= 300);
    assert!(min_docs >= 13, "13+ months of documents per account");
    assert!(payments > 3000);
    for json in &documents {
        let document: PaymentDocument = serde_json::from_str(json).unwrap();
        document.verify().unwrap_or_else(|e| {
            panic!("{} {}: {e}", document.head.account.number, document.head.period)
        });
        if let Some(qr) = document.payment_qr() {
            qr.payload().unwrap_or_else(|e| panic!("QR of {}: {e}", document.head.account.number));
        }
    }
    let meters: Vec<Meter> = meters.iter().map(|m| serde_json::from_str(m).unwrap()).collect();
    for kind in MeterKind::ALL {
        assert!(meters.iter().any(|m| m.kind == kind), "a {kind:?} meter");
    }
    assert!(meters.iter().any(|m| m.scope == MeterScope::CommonHouse));
    assert!(meters.iter().any(|m| m.next_verification < today()), "an expired meter");
    assert!(
        meters.iter().any(|m| m.next_verification >= today()
            && m.next_verification <= today() + chrono::Duration::days(30)),
        "one expiring within 30 days"
    );
}

#[tokio::test]
async fn the_demo_account_has_a_meter_close_to_rollover() {
    let db = seeded(today()).await;
    let latest: String = db
        .call(|conn| {
            Ok(conn.query_row(
                "SELECT r.json FROM readings r JOIN meters m ON m.id = r.meter_id
                 JOIN user_accounts ua ON ua.account_number = m.account_number JOIN users u ON u.id = ua.user_id
                 WHERE u.login = 'demo' AND m.json LIKE '%hot_water%' ORDER BY r.period DESC LIMIT 1",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    let reading: lk_core::meter::Reading = serde_json::from_str(&latest).unwrap();
    assert!(
        reading.values[0].value > rust_decimal::Decimal::from(99_900),
        "{}",
        reading.values[0].value
    );
}

#[tokio::test]
async fn the_same_date_gives_the_same_records() {
    let dump = |db: Db| async move {
        db.call(|conn| {
            let mut rows: Vec<String> = Vec::new();
            for table in
                ["accounts", "meters", "readings", "documents", "payments", "tariffs", "payees"]
            {
                let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))?;
                let columns = stmt.column_count();
                let found = stmt.query_map([], |r| {
                    (0..columns)
                        .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                        .collect::<Result<Vec<_>, _>>()
                })?;
                for row in found {
                    rows.push(row?.join("|"));
                }
            }
            Ok(rows)
        })
        .await
        .unwrap()
    };
    assert_eq!(dump(seeded(today()).await).await, dump(seeded(today()).await).await);
}

#[test]
fn the_readme_lists_every_demo_login() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for (login, password, _) in DEMO_LOGINS {
        assert!(readme.contains(&format!("`{login}` / `{password}`")), "README lists {login}");
    }
}

#[tokio::test]
async fn demo_receipts_are_numbered_in_time_order_with_the_vat_in_force_on_their_day() {
    let s = common::start_at(common::window_day()).await;
    let mut receipts = Vec::new();
    for (login, password) in
        [("demo", "Demo-2026"), ("petrov", "Petrov-2026"), ("ivanova", "Ivanova-2026")]
    {
        let token = s.token(login, password).await;
        let (_, accounts) = s.get("/accounts", Some(&token)).await;
        for account in accounts.as_array().unwrap() {
            let number = account["number"].as_str().unwrap();
            let path = format!("/accounts/{number}/reports/payments?from=2025-01-01&to=2026-11-21");
            let (_, history) = s.get(&path, Some(&token)).await;
            for payment in history["payments"].as_array().unwrap() {
                let r = &payment["receipt"];
                let at = chrono::DateTime::parse_from_rfc3339(r["issued_at"].as_str().unwrap())
                    .expect("the receipt's time carries its offset");
                let vat = r["items"][0]["vat"].as_str().unwrap().to_owned();
                let expected =
                    if at.date_naive() < chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() {
                        "vat20"
                    } else {
                        "vat22"
                    };
                assert_eq!(vat, expected, "VAT on {at}");
                receipts.push((at, r["document_number"].as_u64().unwrap()));
            }
        }
    }
    assert!(receipts.len() > 10, "{receipts:?}");
    receipts.sort();
    assert!(receipts.windows(2).all(|w| w[0].1 < w[1].1), "numbers grow with time: {receipts:?}");
}
