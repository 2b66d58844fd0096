//! Demo staff and rounds (R24), seeded with the demo data: two meter readers, each with a route
//! of 200 flats of Kurgan and Tyumen (one reads electricity, the other water, gas and heat),
//! walked building → entrance → flat → meter, and one office login that reviews what they flag.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use lk_core::api::Role;
use lk_core::meter::{Meter, MeterKind, MeterScope};
use lk_core::region::Region;
use rusqlite::{Connection, params};

use crate::error::AppResult;
use crate::records::{from_json, to_json, wire_name};
use crate::security;

/// Staff logins: login, password, role, what to try with it.
pub const STAFF_LOGINS: [(&str, &str, Role, &str); 3] = [
    (
        "reader1",
        "Reader1-2026",
        Role::Reader,
        "контролёр: электроэнергия, Курган и Тюмень, 200 квартир",
    ),
    (
        "reader2",
        "Reader2-2026",
        Role::Reader,
        "контролёр: вода, газ, тепло, Курган и Тюмень, 200 квартир",
    ),
    ("office", "Office-2026", Role::Office, "офис: проверка показаний, отмеченных контролёрами"),
];

/// Flats per entrance in the demo buildings.
const FLATS_PER_ENTRANCE: u32 = 10;

/// Which meters of a flat a route reads.
type Reads = fn(MeterKind) -> bool;

fn electricity(kind: MeterKind) -> bool {
    kind.zones().len() > 1 || kind == MeterKind::ElectricitySingle
}

pub fn seed(tx: &Connection, today: NaiveDate) -> AppResult<()> {
    let created = Utc
        .from_utc_datetime(&(today - Duration::days(200)).and_hms_opt(9, 0, 0).unwrap_or_default())
        .to_rfc3339();
    let mut readers = Vec::new();
    for (login, password, role, _) in STAFF_LOGINS {
        tx.execute(
            "INSERT INTO users (login, password_hash, city, region, consent_at, consent_version, created_at, role)
             VALUES (?1, ?2, 'Курган', ?3, ?4, ?5, ?4, ?6)",
            params![login, security::hash_password_now(password)?, wire_name(&Region::Kurgan), created,
                lk_core::api::Consent::VERSION, wire_name(&role)],
        )?;
        if role == Role::Reader {
            readers.push(tx.last_insert_rowid());
        }
    }
    let routes: [(&str, &str, Reads); 2] = [
        ("R-1", "Электроэнергия: Курган и Тюмень", electricity),
        ("R-2", "Вода, газ, тепло: Курган и Тюмень", |k| !electricity(k)),
    ];
    for ((id, name, reads), reader) in routes.into_iter().zip(readers) {
        tx.execute(
            "INSERT INTO rounds (id, name, reader_id) VALUES (?1, ?2, ?3)",
            params![id, name, reader],
        )?;
        seed_stops(tx, id, reads)?;
    }
    Ok(())
}

/// One stop per flat of the Kurgan and Tyumen accounts, ordered by building, entrance, flat.
fn seed_stops(tx: &Connection, round: &str, reads: Reads) -> AppResult<()> {
    let regions = [wire_name(&Region::Kurgan), wire_name(&Region::Tyumen)];
    let mut stmt = tx.prepare(
        "SELECT number, building FROM accounts WHERE region IN (?1, ?2) ORDER BY building, number",
    )?;
    let accounts = stmt
        .query_map(params![regions[0], regions[1]], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut seq = 0u32;
    let mut flat = 0u32;
    let mut last_building = String::new();
    for (number, building) in accounts {
        // A building's accounts are its flats in order (see `demo::seed_account`).
        if building != last_building {
            (flat, last_building) = (0, building.clone());
        }
        flat += 1;
        let mut meters_stmt =
            tx.prepare("SELECT json FROM meters WHERE account_number = ?1 ORDER BY id")?;
        let meters = meters_stmt
            .query_map([&number], |r| r.get::<_, String>(0))?
            .map(|json| from_json::<Meter>(&json?))
            .collect::<AppResult<Vec<_>>>()?;
        let read: Vec<String> = meters
            .into_iter()
            .filter(|m| m.scope == MeterScope::Individual && reads(m.kind))
            .map(|m| m.id)
            .collect();
        if read.is_empty() {
            continue;
        }
        let entrance = (flat - 1) / FLATS_PER_ENTRANCE + 1;
        let access_note = match flat % 4 {
            0 => format!("Домофон: {flat}, ключ у соседей из кв. {}", flat + 1),
            1 => String::new(),
            2 => "Счётчики в подвале, ключ у старшего по дому".into(),
            _ => format!("Код подъезда {}", 1000 + flat * 37),
        };
        seq += 1;
        tx.execute(
            "INSERT INTO round_stops (round_id, id, seq, account_number, entrance, flat, access_note, meters)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![round, format!("{building}-{flat}"), seq, number, entrance, flat.to_string(),
                access_note, to_json(&read)?],
        )?;
    }
    Ok(())
}
