//! `lk rounds`: a meter reader's round (R24) in a terminal, through the core's `Rounds` only:
//! routes downloaded for work without a connection, each meter read or skipped and judged on
//! the device, the journal of what the service made of each capture.

use std::path::{Path, PathBuf};

use lk_core::api::{Capture, RoundView, RouteMeter, RouteStop};
use lk_core::client::{CaptureEntry, CaptureState, Lk};
use lk_core::round::{Recorded, SerialCheck, SkipReason};

use crate::commands::{write, zone_values};
use crate::output::{decimal, json, local, spinner, table};
use crate::{Cli, Failure, RoundsAction, prompt};

pub async fn run(cli: &Cli, lk: &Lk, action: Option<&RoundsAction>) -> Result<(), Failure> {
    match action {
        None | Some(RoundsAction::List) => list(cli, lk).await,
        Some(RoundsAction::Download { round }) => {
            let bar = spinner("Загрузка маршрута…");
            let route = lk.rounds().download(round).await?;
            bar.finish_and_clear();
            let meters: usize = route.value.stops.iter().map(|s| s.meters.len()).sum();
            println!(
                "Маршрут «{}» (версия {}) на устройстве: квартир {}, счётчиков {}; \
                 работать можно без связи",
                route.value.name,
                route.value.version,
                route.value.stops.len(),
                meters
            );
            Ok(())
        }
        Some(RoundsAction::Show { round, left }) => show(cli, lk, round, *left),
        Some(RoundsAction::Capture { round, stop, meter, values, serial_differs, photo }) => {
            let route = lk.rounds().route(round)?;
            let (_, m) = find(&route, stop, meter)?;
            let serial = match serial_differs {
                Some(written) => SerialCheck::Differs { written: written.clone() },
                None => SerialCheck::Confirmed,
            };
            let recorded = Recorded::Reading { serial, values: zone_values(m.meter.kind, values)? };
            save(lk, round, stop, meter, recorded, photo.as_deref()).await
        }
        Some(RoundsAction::Skip { round, stop, meter, reason, note, photo }) => {
            let recorded = Recorded::Skip { reason: skip_reason(reason)?, note: note.clone() };
            save(lk, round, stop, meter, recorded, photo.as_deref()).await
        }
        Some(RoundsAction::Walk { round }) => walk(lk, round).await,
        Some(RoundsAction::Sync { round }) => {
            sync(lk, round).await;
            status(cli, lk, round)
        }
        Some(RoundsAction::Status { round }) => status(cli, lk, round),
        Some(RoundsAction::Sheet { round, pdf }) => {
            let route = lk.rounds().route(round)?;
            let bytes = lk_core::pdf::round_sheet(&route)
                .map_err(|e| Failure { code: 1, message: e.to_string() })?;
            write(pdf, &bytes)?;
            println!("Обходной лист маршрута «{}» сохранён: {}", route.name, pdf.display());
            Ok(())
        }
    }
}

async fn list(cli: &Cli, lk: &Lk) -> Result<(), Failure> {
    let view = lk.rounds().list().await?;
    if cli.json {
        json(&view.value);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = view
        .value
        .rounds
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.name.clone(),
                r.version.to_string(),
                r.stops.to_string(),
                r.meters.to_string(),
                r.captured.to_string(),
            ]
        })
        .collect();
    table(
        &["Маршрут", "Название", "Версия", "Квартир", "Счётчиков", "Снято"],
        &rows,
        &[2, 3, 4, 5],
    );
    println!(
        "Данные {}. Загрузить маршрут для работы без связи: lk rounds download МАРШРУТ",
        lk_core::wording::age(view.refreshed_at, chrono::Utc::now())
    );
    Ok(())
}

fn find<'r>(
    route: &'r RoundView,
    stop: &str,
    meter: &str,
) -> Result<(&'r RouteStop, &'r RouteMeter), Failure> {
    let s = route.stops.iter().find(|s| s.id == stop).ok_or_else(|| {
        Failure::input(format!("в маршруте нет остановки {stop}; см. lk rounds show {}", route.id))
    })?;
    let m = s.meters.iter().find(|m| m.meter.id == meter).ok_or_else(|| {
        Failure::input(format!("по адресу {}, кв. {} нет счётчика {meter}", s.address, s.flat))
    })?;
    Ok((s, m))
}

/// A skip reason by its name on the wire (`no_access`, …), the list in Russian when unknown.
fn skip_reason(name: &str) -> Result<SkipReason, Failure> {
    serde_json::from_value(serde_json::Value::String(name.replace('-', "_"))).map_err(|_| {
        let known: Vec<String> =
            SkipReason::ALL.iter().map(|r| format!("{} — {}", wire(*r), r.name_ru())).collect();
        Failure::input(format!("причина пропуска одна из: {}", known.join("; ")))
    })
}

fn wire(reason: SkipReason) -> String {
    serde_json::to_value(reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Judges the capture on the device and saves it: what needs a photo says so before anything
/// is kept.
async fn save(
    lk: &Lk,
    round: &str,
    stop: &str,
    meter: &str,
    recorded: Recorded,
    photo: Option<&Path>,
) -> Result<(), Failure> {
    let rounds = lk.rounds();
    // A terminal knows no position.
    let capture =
        Capture::draft(stop.to_owned(), Some(meter.to_owned()), recorded, rounds.now(), None);
    let assessment = rounds.assess(round, &capture, usize::from(photo.is_some()))?;
    for reason in &assessment.reasons {
        println!("! {reason}");
    }
    if assessment.photo_needed {
        return Err(Failure::input("без фото не сохранить: приложите снимок счётчика"));
    }
    let item = rounds.capture(round, capture, photo).await?;
    println!("Сохранено на устройстве: {}", item.title);
    Ok(())
}

fn state_ru(entry: &CaptureEntry) -> String {
    let state = match entry.state {
        CaptureState::Saved => "на устройстве",
        CaptureState::Sent => "отправлено",
        CaptureState::Accepted => "принято",
        CaptureState::NeedsReview => "на проверке",
        CaptureState::Rejected => "отклонено",
    };
    if entry.reasons.is_empty() {
        state.to_owned()
    } else {
        format!("{state}: {}", entry.reasons.join("; "))
    }
}

/// The latest capture of each meter, as the journal has it.
fn latest<'j>(journal: &'j [CaptureEntry], stop: &str, meter: &str) -> Option<&'j CaptureEntry> {
    journal
        .iter()
        .rev()
        .find(|e| e.capture.stop_id == stop && e.capture.meter_id.as_deref() == Some(meter))
}

fn expected(m: &RouteMeter) -> String {
    m.expected
        .iter()
        .map(|r| format!("{} {}…{}", r.zone.name_ru(), decimal(r.low), decimal(r.high)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn show(cli: &Cli, lk: &Lk, round: &str, left: bool) -> Result<(), Failure> {
    let route = lk.rounds().route(round)?;
    if cli.json {
        json(&route);
        return Ok(());
    }
    let journal = lk.rounds().journal(round)?;
    let mut rows = Vec::new();
    for stop in &route.stops {
        for m in &stop.meters {
            let entry = latest(&journal, &stop.id, &m.meter.id);
            let done = entry.is_some_and(|e| e.state != CaptureState::Rejected);
            if left && (done || stop.cancelled) {
                continue;
            }
            let state = match (stop.cancelled, entry) {
                (true, _) => "отменено офисом".to_owned(),
                (false, Some(e)) => state_ru(e),
                (false, None) => "не снято".to_owned(),
            };
            rows.push(vec![
                stop.id.clone(),
                format!("{}, кв. {}", stop.address, stop.flat),
                m.meter.id.clone(),
                m.meter.serial.clone(),
                m.meter.kind.name_ru().to_owned(),
                expected(m),
                state,
            ]);
        }
    }
    println!(
        "Маршрут «{}», версия {}, на {}",
        route.name,
        route.version,
        lk_core::wording::date(route.today)
    );
    table(
        &["Остановка", "Адрес", "Счётчик", "Заводской №", "Вид", "Ожидается", "Состояние"],
        &rows,
        &[],
    );
    progress_line(lk, round)
}

fn progress_line(lk: &Lk, round: &str) -> Result<(), Failure> {
    let p = lk.rounds().progress(round)?;
    println!("Снято: {}, пропущено: {}, осталось: {}", p.done, p.skipped, p.left);
    Ok(())
}

fn status(cli: &Cli, lk: &Lk, round: &str) -> Result<(), Failure> {
    let journal = lk.rounds().journal(round)?;
    if cli.json {
        let rows: Vec<serde_json::Value> = journal
            .iter()
            .map(|e| serde_json::json!({"capture": e.capture, "state": e.state, "reasons": e.reasons}))
            .collect();
        json(&rows);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = journal
        .iter()
        .map(|e| {
            vec![
                e.item_id.to_string(),
                local(e.capture.taken_at, "%d.%m %H:%M"),
                e.capture.stop_id.clone(),
                e.capture.meter_id.clone().unwrap_or_default(),
                state_ru(e),
            ]
        })
        .collect();
    table(&["№", "Когда", "Остановка", "Счётчик", "Состояние"], &rows, &[0]);
    progress_line(lk, round)
}

/// The round walked in the terminal: each meter left, its expected range, the values asked
/// (an empty answer passes to the next, «-» skips with a reason), a photo asked when needed.
async fn walk(lk: &Lk, round: &str) -> Result<(), Failure> {
    let route = lk.rounds().route(round)?;
    for stop in route.stops.iter().filter(|s| !s.cancelled) {
        for m in &stop.meters {
            let journal = lk.rounds().journal(round)?;
            if latest(&journal, &stop.id, &m.meter.id)
                .is_some_and(|e| e.state != CaptureState::Rejected)
            {
                continue;
            }
            println!(
                "\n{}, подъезд {}, кв. {} — {}{}",
                stop.address,
                stop.entrance,
                stop.flat,
                stop.owner,
                if stop.access_note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", stop.access_note)
                }
            );
            println!(
                "{} № {}; ожидается {}",
                m.meter.kind.name_ru(),
                m.meter.serial,
                if m.expected.is_empty() { "—".to_owned() } else { expected(m) }
            );
            let answer =
                prompt::line("Показания (через «;»), «-» — пропуск, пусто — дальше, «!» — выход")?;
            let recorded = match answer.as_str() {
                "" => continue,
                "!" => break,
                "-" => {
                    for (i, r) in SkipReason::ALL.iter().enumerate() {
                        println!("  {} — {}", i + 1, r.name_ru());
                    }
                    let pick = prompt::line("Причина")?;
                    let reason = pick
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| SkipReason::ALL.get(i.wrapping_sub(1)).copied())
                        .ok_or_else(|| Failure::input("нет такой причины"))?;
                    Recorded::Skip {
                        reason, note: prompt::line("Примечание (можно пусто)")?
                    }
                }
                values => {
                    let serial = if prompt::yes(&format!("Номер на счётчике {}?", m.meter.serial))?
                    {
                        SerialCheck::Confirmed
                    } else {
                        SerialCheck::Differs {
                            written: prompt::line("Номер на счётчике")?
                        }
                    };
                    Recorded::Reading { serial, values: zone_values(m.meter.kind, values)? }
                }
            };
            let rounds = lk.rounds();
            let capture = Capture::draft(
                stop.id.clone(),
                Some(m.meter.id.clone()),
                recorded,
                rounds.now(),
                None,
            );
            let assessment = rounds.assess(round, &capture, 0)?;
            for reason in &assessment.reasons {
                println!("! {reason}");
            }
            let photo = if assessment.photo_needed {
                let path = prompt::line("Нужно фото: путь к снимку счётчика")?;
                Some(PathBuf::from(path))
            } else {
                None
            };
            match rounds.capture(round, capture, photo.as_deref()).await {
                Ok(item) => println!("Сохранено: {}", item.title),
                Err(e) => println!("Не сохранено: {e}"),
            }
        }
    }
    sync(lk, round).await;
    progress_line(lk, round)
}

/// Sends what waits (readings first, photos after: the core's order) and says what is left.
async fn sync(lk: &Lk, round: &str) {
    match lk.sync_now().await {
        Ok(report) if report.waiting == 0 => println!("Отправлено: {}", report.sent),
        Ok(report) => println!(
            "Отправлено: {}, ждут связи: {} — уйдут при связи (lk rounds sync {round})",
            report.sent, report.waiting
        ),
        Err(e) => println!("Не отправлено: {e}. Снятое на устройстве, уйдёт при связи"),
    }
}
