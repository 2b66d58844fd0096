//! Deterministic demo data, written on first start: the three regions' payees, services and
//! tariffs; 300 accounts in 15 buildings with their meters, 15 months of readings, 14 payment
//! documents whose columns chain month to month, and the card payments between them; a few
//! registered demo profiles. The same date gives the same data, byte for byte.
//!
//! Demo logins (also in the README): see [`DEMO_LOGINS`].

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use lk_core::Money;
use lk_core::account::{Account, AccountNumber, PersonName};
use lk_core::allocation::{PayableLine, allocate};
use lk_core::billing::{ChargeBasis, ChargeLine};
use lk_core::contact::Contact;
use lk_core::document::{DocumentHead, PaymentDocument, Recalculation};
use lk_core::meter::{Dial, Meter, MeterKind, MeterScope, Reading, ReadingSource, ZoneValue};
use lk_core::payment::{FiscalReceipt, Payment, PaymentStatus, ReceiptItem, VatRate};
use lk_core::period::Period;
use lk_core::region::Region;
use lk_core::requisites::{Requisites, with_control_key};
use lk_core::service::{Service, TariffZone, Unit};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{Connection, params};
use rust_decimal::Decimal;

use crate::error::{AppError, AppResult};
use crate::records::{from_json, to_json, wire_name};
use crate::security;

/// Registered demo profiles: login, password, what to try with it.
pub const DEMO_LOGINS: [(&str, &str, &str); 4] = [
    (
        "demo",
        "Demo-2026",
        "Курган: двухтарифный счётчик, счётчик у перехода через ноль, просроченная поверка",
    ),
    ("ivanova", "Ivanova-2026", "Курган: два лицевых счёта в одном кабинете, теплосчётчик"),
    ("petrov", "Petrov-2026", "Тюмень: трёхтарифный счётчик"),
    ("orenburg", "Orenburg-2026", "Оренбург: газ и горячая вода"),
];

const ACCOUNTS_PER_REGION: usize = 100;
const ACCOUNTS_PER_BUILDING: usize = 20;
const DOCUMENTS: u32 = 14;

/// Whether the database has records already (then nothing is seeded).
pub fn is_seeded(tx: &Connection) -> AppResult<bool> {
    Ok(tx.query_row("SELECT EXISTS(SELECT 1 FROM accounts)", [], |r| r.get(0))?)
}

pub fn seed(tx: &Connection, today: NaiveDate) -> AppResult<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(56_042);
    for service in services() {
        tx.execute(
            "INSERT INTO services (code, json) VALUES (?1, ?2)",
            params![service.code, to_json(&service)?],
        )?;
    }
    for region in Region::ALL {
        let payee = payee(region)?;
        tx.execute(
            "INSERT INTO payees (region, requisites_json) VALUES (?1, ?2)",
            params![wire_name(&region), to_json(&payee)?],
        )?;
        for (service, zone, price) in tariffs(region) {
            tx.execute(
                "INSERT INTO tariffs (region, service_code, zone, price) VALUES (?1, ?2, ?3, ?4)",
                params![wire_name(&region), service, wire_name(&zone), price.to_string()],
            )?;
        }
        for index in 0..ACCOUNTS_PER_REGION {
            seed_account(tx, &mut rng, region, index, &payee, today)?;
        }
        for building in 0..ACCOUNTS_PER_REGION / ACCOUNTS_PER_BUILDING {
            seed_common_house_meters(tx, &mut rng, region, building, today)?;
        }
    }
    seed_profiles(tx, today)?;
    crate::demo_rounds::seed(tx, today)?;
    number_receipts(tx)
}

/// Gives the demo receipts the register's running numbers in the order they were issued, as a
/// fiscal drive numbers its documents; payments made later continue from there.
fn number_receipts(tx: &Connection) -> AppResult<()> {
    let mut stmt = tx.prepare("SELECT id, json FROM payments ORDER BY created_at, id")?;
    let paid: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    for (id, json) in paid {
        let mut payment: Payment = from_json(&json)?;
        let Some(receipt) = payment.receipt.as_mut() else { continue };
        tx.execute("INSERT INTO fiscal_documents (payment_id) VALUES (?1)", [&id])?;
        receipt.document_number =
            u32::try_from(tx.last_insert_rowid()).map_err(AppError::internal)?;
        tx.execute("UPDATE payments SET json = ?2 WHERE id = ?1", params![id, to_json(&payment)?])?;
    }
    Ok(())
}

/// The document line of a service in a zone: `electricity.day`, or the service code alone.
pub fn line_code(service: &str, zone: TariffZone) -> String {
    match zone {
        TariffZone::Single => service.to_owned(),
        zone => format!("{service}.{}", wire_name(&zone)),
    }
}

fn payee(region: Region) -> AppResult<Requisites> {
    // АО «ЭК «Восток» collects in each region through the local Sberbank office.
    let (kpp, bank_name, bic, correspondent, account) = match region {
        Region::Kurgan => (
            "450143001",
            "Курганское отделение № 8599 ПАО Сбербанк",
            "043735650",
            "30101810100000000650",
            "40702810032000000450",
        ),
        Region::Tyumen => (
            "720343001",
            "Западно-Сибирский банк ПАО Сбербанк",
            "047102651",
            "30101810800000000651",
            "40702810067100000720",
        ),
        Region::Orenburg => (
            "561043001",
            "Оренбургское отделение № 8623 ПАО Сбербанк",
            "045354601",
            "30101810600000000601",
            "40702810046000000560",
        ),
    };
    let requisites = Requisites {
        name: "АО «ЭК «Восток»".into(),
        inn: "7705260681".into(),
        kpp: kpp.into(),
        bank_name: bank_name.into(),
        bic: bic.into(),
        settlement_account: with_control_key(bic, account)
            .ok_or_else(|| AppError::internal("demo account key"))?,
        correspondent_account: correspondent.into(),
    };
    requisites.validate().map_err(AppError::internal)?;
    Ok(requisites)
}

fn services() -> Vec<Service> {
    let service = |code: &str, name: &str, unit, editable| Service {
        code: code.into(),
        name: name.into(),
        unit,
        supplier_inn: "7705260681".into(),
        amount_editable: editable,
    };
    vec![
        service("electricity", "Электроснабжение", Unit::Kwh, false),
        service("cold_water", "Холодное водоснабжение", Unit::CubicMetre, true),
        service("hot_water", "Горячее водоснабжение", Unit::CubicMetre, true),
        service("gas", "Газоснабжение", Unit::CubicMetre, true),
        service("heating", "Отопление", Unit::SquareMetre, false),
        service("waste", "Обращение с ТКО", Unit::Person, true),
    ]
}

fn tariffs(region: Region) -> Vec<(&'static str, TariffZone, Decimal)> {
    let k = match region {
        Region::Kurgan => Decimal::ONE,
        Region::Tyumen => Decimal::new(92, 2),
        Region::Orenburg => Decimal::new(104, 2),
    };
    let scaled = |units: i64, scale: u32| (Decimal::new(units, scale) * k).round_dp(4);
    vec![
        ("electricity", TariffZone::Single, scaled(547, 2)),
        ("electricity", TariffZone::Day, scaled(612, 2)),
        ("electricity", TariffZone::Night, scaled(328, 2)),
        ("electricity", TariffZone::Peak, scaled(705, 2)),
        ("electricity", TariffZone::SemiPeak, scaled(547, 2)),
        ("cold_water", TariffZone::Single, scaled(431_725, 4)),
        ("hot_water", TariffZone::Single, scaled(21_834, 2)),
        ("gas", TariffZone::Single, scaled(794, 2)),
        ("heating", TariffZone::Single, scaled(418_862, 4)),
        ("waste", TariffZone::Single, scaled(11_227, 2)),
    ]
}

fn tariff(region: Region, service: &str, zone: TariffZone) -> Decimal {
    tariffs(region)
        .into_iter()
        .find(|(s, z, _)| *s == service && *z == zone)
        .map_or(Decimal::ZERO, |(_, _, price)| price)
}

const LAST_NAMES: [(&str, &str); 12] = [
    ("Иванов", "Иванова"),
    ("Петров", "Петрова"),
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Соколов", "Соколова"),
    ("Лебедев", "Лебедева"),
    ("Козлов", "Козлова"),
    ("Новиков", "Новикова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Зайцев", "Зайцева"),
];
const MALE: [&str; 8] =
    ["Александр", "Сергей", "Андрей", "Дмитрий", "Алексей", "Николай", "Игорь", "Павел"];
const FEMALE: [&str; 8] =
    ["Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Мария", "Светлана", "Анна"];
const FATHERS: [(&str, &str); 6] = [
    ("Иванович", "Ивановна"),
    ("Петрович", "Петровна"),
    ("Сергеевич", "Сергеевна"),
    ("Александрович", "Александровна"),
    ("Николаевич", "Николаевна"),
    ("Викторович", "Викторовна"),
];
const STREETS: [&str; 5] = ["ул. Ленина", "ул. Гоголя", "ул. Советская", "ул. Пушкина", "ул. Мира"];

fn account_number(region: Region, index: usize) -> String {
    let prefix = match region {
        Region::Kurgan => "45",
        Region::Tyumen => "72",
        Region::Orenburg => "56",
    };
    format!("{prefix}{:010}", 1_000_001 + index * 7)
}

fn building_key(region: Region, building: usize) -> String {
    format!("{}-{building}", wire_name(&region))
}

fn building_address(region: Region, building: usize) -> (String, String) {
    let city = region.cities()[building % 3];
    let house = 10 + building * 7;
    (city.to_owned(), format!("г. {city}, {}, д. {house}", STREETS[building % STREETS.len()]))
}

/// Meters an account has, with the demo's special cases on the profiles' own accounts.
fn meters_for(
    region: Region,
    index: usize,
    number: &str,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
) -> Vec<(Meter, Decimal)> {
    let verified = |rng: &mut ChaCha8Rng| today + Duration::days(rng.random_range(400..2000));
    let meter =
        |kind: MeterKind, n: usize, dial: (u32, u32), next: NaiveDate, service: &str| Meter {
            id: format!("{number}-{n}"),
            kind,
            serial: format!("{}{:06}", 100 + n, (index * 7919 + n * 104_729) % 1_000_000),
            service_code: service.into(),
            dial: Dial { integer_digits: dial.0, fraction_digits: dial.1 },
            next_verification: next,
            scope: MeterScope::Individual,
        };
    let special = (region, index);
    let electricity = match special {
        (Region::Kurgan, 0) => MeterKind::ElectricityTwoZone,
        (Region::Tyumen, 0) => MeterKind::ElectricityThreeZone,
        _ if index % 10 == 3 => MeterKind::ElectricityThreeZone,
        _ if index % 4 == 1 => MeterKind::ElectricityTwoZone,
        _ => MeterKind::ElectricitySingle,
    };
    let elec_dial = if electricity == MeterKind::ElectricitySingle { (5, 1) } else { (6, 2) };
    let mut meters = vec![(
        meter(electricity, 1, elec_dial, verified(rng), "electricity"),
        Decimal::from(rng.random_range(2000..40_000)),
    )];
    let cold_next =
        if special == (Region::Kurgan, 0) { today + Duration::days(20) } else { verified(rng) };
    meters.push((
        meter(MeterKind::ColdWater, 2, (5, 3), cold_next, "cold_water"),
        Decimal::from(rng.random_range(50..900)),
    ));
    if special == (Region::Kurgan, 0) || index % 5 != 4 {
        // The demo account's hot water meter turns past 99 999 within a month or two.
        let start = if special == (Region::Kurgan, 0) {
            Decimal::from(99_960)
        } else {
            Decimal::from(rng.random_range(30..600))
        };
        meters.push((meter(MeterKind::HotWater, 3, (5, 3), verified(rng), "hot_water"), start));
    }
    if special == (Region::Kurgan, 0) || special == (Region::Orenburg, 0) || index.is_multiple_of(3)
    {
        let next =
            if special == (Region::Kurgan, 0) { today - Duration::days(12) } else { verified(rng) };
        meters.push((
            meter(MeterKind::Gas, 4, (5, 3), next, "gas"),
            Decimal::from(rng.random_range(100..9000)),
        ));
    }
    if special == (Region::Kurgan, 1) || index % 10 == 7 {
        meters.push((
            meter(MeterKind::Heat, 5, (4, 3), verified(rng), "heating"),
            Decimal::from(rng.random_range(5..80)),
        ));
    }
    meters
}

/// A month's use of one zone of a meter, with winter a little hungrier.
fn monthly_use(kind: MeterKind, zone: TariffZone, month: u32, rng: &mut ChaCha8Rng) -> Decimal {
    let winter = matches!(month, 11 | 12 | 1 | 2 | 3);
    let (low, high, scale) = match kind {
        MeterKind::ColdWater => (2500, 7000, 3),
        MeterKind::HotWater => (1500, 4500, 3),
        MeterKind::Gas if winter => (40_000, 120_000, 3),
        MeterKind::Gas => (8000, 25_000, 3),
        MeterKind::Heat if winter => (600, 1600, 3),
        MeterKind::Heat => (0, 50, 3),
        _ => {
            let base = match zone {
                TariffZone::Single => (1400, 3500),
                TariffZone::Night => (500, 1300),
                TariffZone::SemiPeak => (400, 1100),
                _ => (800, 2200),
            };
            (base.0 + if winter { 400 } else { 0 }, base.1 + if winter { 800 } else { 0 }, 1)
        }
    };
    Decimal::new(rng.random_range(low..=high), scale)
}

fn reading_time(period: Period, day: u32) -> chrono::DateTime<Utc> {
    let date =
        NaiveDate::from_ymd_opt(period.year(), period.month(), day).unwrap_or(period.first_day());
    Utc.from_utc_datetime(&date.and_time(NaiveTime::from_hms_opt(6, 30, 0).unwrap_or_default()))
}

fn insert_reading(
    tx: &Connection,
    meter: &Meter,
    period: Period,
    values: Vec<ZoneValue>,
    day: u32,
    source: ReadingSource,
) -> AppResult<()> {
    let reading = Reading {
        meter_id: meter.id.clone(),
        values,
        taken_at: reading_time(period, day),
        source,
        photo: None,
    };
    tx.execute(
        "INSERT INTO readings (meter_id, period, json, accepted_at) VALUES (?1, ?2, ?3, ?4)",
        params![meter.id, period.to_string(), to_json(&reading)?, reading.taken_at.to_rfc3339()],
    )?;
    Ok(())
}

/// Per meter and month (index 0 is the month before the first document): value per zone.
type Series = Vec<Vec<Decimal>>;

fn seed_readings(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    meter: &Meter,
    start: Decimal,
    periods: &[Period],
) -> AppResult<Series> {
    let zones = meter.kind.zones();
    let capacity = meter.dial.capacity();
    // Every value as the dial shows it, so volumes and documents carry the dial's digits only.
    let mut value: Vec<Decimal> = zones
        .iter()
        .enumerate()
        .map(|(i, _)| meter.dial.reading(start / Decimal::from(i + 1)))
        .collect();
    let mut series = Vec::with_capacity(periods.len());
    for (step, period) in periods.iter().enumerate() {
        if step > 0 {
            for (v, zone) in value.iter_mut().zip(zones) {
                // Values stay below the dial's capacity: the near-rollover meter is left just
                // under it for the resident to wrap.
                *v = meter.dial.reading(
                    (*v + monthly_use(meter.kind, *zone, period.month(), rng))
                        .min(capacity - Decimal::new(25, 1)),
                );
            }
        }
        let values =
            zones.iter().zip(&value).map(|(&zone, &value)| ZoneValue { zone, value }).collect();
        insert_reading(tx, meter, *period, values, 22, ReadingSource::Resident)?;
        series.push(value.clone());
    }
    Ok(series)
}

fn seed_account(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    region: Region,
    index: usize,
    payee: &Requisites,
    today: NaiveDate,
) -> AppResult<()> {
    let number = account_number(region, index);
    let building = index / ACCOUNTS_PER_BUILDING;
    let (city, street) = building_address(region, building);
    let female = rng.random_bool(0.5);
    let pick = |rng: &mut ChaCha8Rng, n: usize| rng.random_range(0..n);
    let (last, father) =
        (LAST_NAMES[pick(rng, LAST_NAMES.len())], FATHERS[pick(rng, FATHERS.len())]);
    let owner = PersonName {
        last: (if female { last.1 } else { last.0 }).into(),
        first: (if female { FEMALE[pick(rng, 8)] } else { MALE[pick(rng, 8)] }).into(),
        patronymic: Some((if female { father.1 } else { father.0 }).into()),
    };
    let account = Account {
        number: number.parse::<AccountNumber>().map_err(AppError::internal)?,
        owner,
        address: format!("{street}, кв. {}", index % ACCOUNTS_PER_BUILDING + 1),
        region,
        city,
        area_m2: Some(Decimal::new(rng.random_range(280..950), 1)),
        residents: rng.random_range(1..=5),
    };
    tx.execute(
        "INSERT INTO accounts (number, json, region, building) VALUES (?1, ?2, ?3, ?4)",
        params![number, to_json(&account)?, wire_name(&region), building_key(region, building)],
    )?;

    let this = Period::of_date(today);
    let first = (0..DOCUMENTS).fold(this, |p, _| p.previous());
    // The month before the first document, then one per document.
    let periods: Vec<Period> = std::iter::successors(Some(first.previous()), |p| Some(p.next()))
        .take(DOCUMENTS as usize + 1)
        .collect();
    let mut metered: Vec<(Meter, Series)> = Vec::new();
    for (meter, start) in meters_for(region, index, &number, rng, today) {
        tx.execute(
            "INSERT INTO meters (id, account_number, json) VALUES (?1, ?2, ?3)",
            params![meter.id, number, to_json(&meter)?],
        )?;
        let series = seed_readings(tx, rng, &meter, start, &periods)?;
        metered.push((meter, series));
    }
    seed_documents(tx, rng, &account, payee, &metered, &periods[1..])
}

fn basis(code: String, name: String, unit: Unit, tariff: Decimal, volume: Decimal) -> ChargeBasis {
    ChargeBasis {
        service_code: code,
        service_name: name,
        unit,
        tariff,
        debt: Money::ZERO,
        paid: Money::ZERO,
        volume,
        recalculation: Money::ZERO,
    }
}

/// This month's lines before debts and payments: metered services by consumption, heating by
/// area (unless metered), waste by residents, hot water by the normative without a meter.
fn month_lines(account: &Account, metered: &[(Meter, Series)], step: usize) -> Vec<ChargeBasis> {
    let region = account.region;
    let mut lines = Vec::new();
    let services = services();
    let name_of = |code: &str| {
        services.iter().find(|s| s.code == code).map_or_else(String::new, |s| s.name.clone())
    };
    for (meter, series) in metered {
        for (z, &zone) in meter.kind.zones().iter().enumerate() {
            let used = series[step + 1][z] - series[step][z];
            let mut name = name_of(&meter.service_code);
            if zone != TariffZone::Single {
                name = format!("{name}, {}", zone.name_ru().to_lowercase());
            }
            let unit = if meter.kind == MeterKind::Heat { Unit::Gcal } else { meter.kind.unit() };
            let price = if meter.kind == MeterKind::Heat {
                Decimal::new(23_456_789, 4)
            } else {
                tariff(region, &meter.service_code, zone)
            };
            lines.push(basis(line_code(&meter.service_code, zone), name, unit, price, used));
        }
    }
    let has = |code: &str| metered.iter().any(|(m, _)| m.service_code == code);
    if !has("hot_water") {
        let normative = Decimal::new(35, 1) * Decimal::from(account.residents);
        lines.push(basis(
            "hot_water".into(),
            name_of("hot_water"),
            Unit::CubicMetre,
            tariff(region, "hot_water", TariffZone::Single),
            normative,
        ));
    }
    if !has("heating") {
        let area = account.area_m2.unwrap_or_default();
        lines.push(basis(
            "heating".into(),
            name_of("heating"),
            Unit::SquareMetre,
            tariff(region, "heating", TariffZone::Single),
            area,
        ));
    }
    lines.push(basis(
        "waste".into(),
        name_of("waste"),
        Unit::Person,
        tariff(region, "waste", TariffZone::Single),
        Decimal::from(account.residents),
    ));
    lines
}

fn seed_documents(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    account: &Account,
    payee: &Requisites,
    metered: &[(Meter, Series)],
    periods: &[Period],
) -> AppResult<()> {
    let number = account.number.to_string();
    // How this resident pays: most pay the bill, some round up, some fall behind.
    let habit = rng.random_range(0..20);
    let mut previous: Option<PaymentDocument> = None;
    let mut paid_parts: Vec<(String, Money)> = Vec::new();
    for (step, &period) in periods.iter().enumerate() {
        let mut recalculations = Vec::new();
        let lines = month_lines(account, metered, step)
            .into_iter()
            .map(|mut b| {
                b.debt = previous
                    .as_ref()
                    .and_then(|d| d.lines.iter().find(|l| l.basis.service_code == b.service_code))
                    .map_or(Money::ZERO, |l| l.to_pay);
                b.paid =
                    paid_parts.iter().filter(|(c, _)| *c == b.service_code).map(|(_, m)| *m).sum();
                if rng.random_ratio(1, 25) {
                    b.recalculation = Money::from_kopecks(rng.random_range(-15_000..5_000));
                    recalculations.push(Recalculation {
                        service_code: b.service_code.clone(),
                        amount: b.recalculation,
                        reason: if b.recalculation.is_negative() {
                            "Перерасчёт по показаниям прибора учёта за прошлый период".into()
                        } else {
                            "Доначисление по среднему объёму за период без показаний".into()
                        },
                    });
                }
                ChargeLine::compute(b)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(AppError::internal)?;
        let next = period.next();
        let head = DocumentHead {
            account: account.clone(),
            period,
            issued_on: next.first_day(),
            due_date: next.first_day() + Duration::days(9),
            payee: payee.clone(),
        };
        let document =
            PaymentDocument::issue(head, lines, recalculations).map_err(AppError::internal)?;
        tx.execute(
            "INSERT INTO documents (account_number, period, json) VALUES (?1, ?2, ?3)",
            params![number, period.to_string(), to_json(&document)?],
        )?;
        paid_parts =
            if step + 1 < periods.len() { pay(tx, rng, &document, habit)? } else { Vec::new() };
        previous = Some(document);
    }
    Ok(())
}

/// The resident's card payment for a document in the month after it, by habit.
fn pay(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    document: &PaymentDocument,
    habit: u32,
) -> AppResult<Vec<(String, Money)>> {
    let due = document.totals.amount_due;
    let total = match habit {
        0 => return Ok(Vec::new()),
        1 | 2 => Money::from_kopecks(i64::try_from(due.kopecks() / 2).unwrap_or(0)),
        3..=5 => {
            Money::from_kopecks(i64::try_from((due.kopecks() / 10_000 + 1) * 10_000).unwrap_or(0))
        }
        _ => due,
    };
    if !total.is_positive() {
        return Ok(Vec::new());
    }
    let lines: Vec<PayableLine> =
        document.lines.iter().map(|l| PayableLine::of(l, false)).collect();
    let allocation = allocate(&lines, total, &[]).map_err(AppError::internal)?;
    let day = rng.random_range(3..=15);
    let period = document.head.period.next();
    let created_at = reading_time(period, day) + Duration::hours(rng.random_range(2..12));
    let local = created_at.with_timezone(&document.head.account.region.time_zone()).fixed_offset();
    let number = document.head.account.number.clone();
    let id = format!("demo-{number}-{}", document.head.period);
    let contact = Contact::Email(
        format!("{number}@demo.vostok.example").parse().map_err(AppError::internal)?,
    );
    let receipt = FiscalReceipt {
        seller_name: document.head.payee.name.clone(),
        seller_inn: document.head.payee.inn.clone(),
        place: "https://lk.erc-progress.ru".into(),
        issued_at: local,
        items: document
            .lines
            .iter()
            .zip(&allocation.parts)
            .filter(|(_, p)| p.amount.is_positive())
            .map(|(l, p)| ReceiptItem {
                name: l.basis.service_name.clone(),
                amount: p.amount,
                vat: VatRate::general_on(local.date_naive()),
            })
            .collect(),
        total,
        register_number: crate::payments::REGISTER_NUMBER.into(),
        fiscal_storage: crate::payments::FISCAL_STORAGE.into(),
        // Numbered in the order of time once every demo payment is written.
        document_number: 0,
        fiscal_sign: rng.random_range(1_000_000_000..4_000_000_000),
        shift: local.ordinal(),
        customer_contact: contact.clone(),
    };
    let parts = allocation.parts.iter().map(|p| (p.service_code.clone(), p.amount)).collect();
    let payment = Payment {
        id: id.clone(),
        account: number.clone(),
        allocation,
        receipt_contact: contact,
        status: PaymentStatus::Succeeded,
        created_at,
        receipt: Some(receipt),
        failure: None,
    };
    tx.execute(
        "INSERT INTO payments (id, account_number, json, status, created_at) VALUES (?1, ?2, ?3, 'succeeded', ?4)",
        params![id, number.to_string(), to_json(&payment)?, created_at.to_rfc3339()],
    )?;
    Ok(parts)
}

fn seed_common_house_meters(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    region: Region,
    building: usize,
    today: NaiveDate,
) -> AppResult<()> {
    let key = building_key(region, building);
    let this = Period::of_date(today);
    let periods: Vec<Period> =
        std::iter::successors(Some((0..=DOCUMENTS).fold(this, |p, _| p.previous())), |p| {
            Some(p.next())
        })
        .take(DOCUMENTS as usize + 1)
        .collect();
    for (n, kind, service) in [
        (1, MeterKind::ElectricitySingle, "electricity"),
        (2, MeterKind::ColdWater, "cold_water"),
        (3, MeterKind::Heat, "heating"),
    ] {
        let meter = Meter {
            id: format!("odpu-{key}-{n}"),
            kind,
            serial: format!("ОДПУ-{:05}", rng.random_range(10_000..99_999)),
            service_code: service.into(),
            dial: Dial { integer_digits: 8, fraction_digits: 2 },
            next_verification: today + Duration::days(rng.random_range(300..1500)),
            scope: MeterScope::CommonHouse,
        };
        tx.execute(
            "INSERT INTO meters (id, building, json) VALUES (?1, ?2, ?3)",
            params![meter.id, key, to_json(&meter)?],
        )?;
        let mut value = Decimal::from(rng.random_range(10_000..500_000));
        for period in &periods {
            value += monthly_use(kind, TariffZone::Single, period.month(), rng)
                * Decimal::from(ACCOUNTS_PER_BUILDING);
            let values = vec![ZoneValue { zone: TariffZone::Single, value }];
            insert_reading(tx, &meter, *period, values, 25, ReadingSource::MeterReader)?;
        }
    }
    Ok(())
}

fn seed_profiles(tx: &Connection, today: NaiveDate) -> AppResult<()> {
    let created = Utc
        .from_utc_datetime(&(today - Duration::days(200)).and_hms_opt(9, 0, 0).unwrap_or_default())
        .to_rfc3339();
    let own = [
        (
            "demo",
            account_number(Region::Kurgan, 0),
            "+79120000001",
            "demo@example.ru",
            "Курган",
            Region::Kurgan,
        ),
        (
            "ivanova",
            account_number(Region::Kurgan, 1),
            "+79120000002",
            "ivanova@example.ru",
            "Курган",
            Region::Kurgan,
        ),
        (
            "petrov",
            account_number(Region::Tyumen, 0),
            "+79120000003",
            "petrov@example.ru",
            "Тюмень",
            Region::Tyumen,
        ),
        (
            "orenburg",
            account_number(Region::Orenburg, 0),
            "+79120000004",
            "orenburg@example.ru",
            "Оренбург",
            Region::Orenburg,
        ),
    ];
    for ((login, number, phone, email, city, region), (_, password, _)) in
        own.iter().zip(DEMO_LOGINS)
    {
        tx.execute(
            "INSERT INTO users (login, password_hash, phone, email, city, region, consent_at, consent_version, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7)",
            params![login, security::hash_password_now(password)?, phone, email, city, wire_name(region), created, lk_core::api::Consent::VERSION],
        )?;
        tx.execute(
            "INSERT INTO user_accounts (user_id, account_number, own, linked_at) VALUES (?1, ?2, 1, ?3)",
            params![tx.last_insert_rowid(), number, created],
        )?;
    }
    // R19: Ivanova has added her father's account (Petrov's own) by his login and password.
    tx.execute(
        "INSERT INTO user_accounts (user_id, account_number, own, linked_at)
         SELECT u.id, ?1, 0, ?2 FROM users u WHERE u.login = 'ivanova'",
        params![account_number(Region::Tyumen, 0), created],
    )?;
    Ok(())
}
