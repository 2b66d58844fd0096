//! What each command does, through the core's screens' API only.

use std::io::Read;
use std::time::Duration;

use base64::Engine;
use lk_core::Money;
use lk_core::allocation::FixedAmount;
use lk_core::api::*;
use lk_core::client::{Cancel, Lk, OutboxState, UnsentActions, sign_out_warning};
use lk_core::contact::Contact;
use lk_core::meter::MeterScope;
use lk_core::period::Period;
use lk_core::readings::{Severity, ZoneInput};

use crate::output::{decimal, json, local, money, spinner, table};
use crate::{
    AccountArg, AccountsAction, Cli, Command, Failure, LogoutArgs, OutboxAction, PeriodArgs,
    ReadingsAction, ReportKind, SettingsAction, Toggle, open, prompt,
};
use lk_core::wording::quantity;

pub async fn run(cli: &Cli) -> Result<(), Failure> {
    let lk = open(cli)?;
    match &cli.command {
        Command::Register => register(&lk).await,
        Command::Login(args) => {
            let login = match &args.login {
                Some(l) => l.clone(),
                None => prompt::line("Логин")?,
            };
            let password =
                if args.password_stdin { stdin_line()? } else { prompt::secret("Пароль")? };
            let bar = spinner("Вход…");
            lk.session().sign_in(&login, &password).await?;
            let accounts = lk.accounts().refresh().await?;
            bar.finish_and_clear();
            let pending = lk.payments().resolve_pending().await.unwrap_or_default();
            println!("Вы вошли как {login}. Лицевых счетов: {}", accounts.len());
            for p in pending {
                println!("Платёж {}: {}", p.payment.id, p.status_text);
            }
            Ok(())
        }
        Command::Logout(args) => logout(&lk, args).await,
        Command::Recover => recover(&lk).await,
        Command::Accounts { action } => accounts(cli, &lk, action.as_ref()).await,
        Command::Charges(args) => charges(cli, &lk, args).await,
        Command::Document { period, pdf, email } => {
            let (number, period) = account_period(&lk, period).await?;
            if let Some(pdf) = pdf {
                let view = lk.charges().document(&number, period).await?.value;
                let bytes = lk_core::pdf::payment_document(&view).map_err(pdf_failure)?;
                write(pdf, &bytes)?;
                println!("Платёжный документ за {} сохранён: {}", period.name_ru(), pdf.display());
            }
            if let Some(email) = email {
                let to = Some(email.as_str()).filter(|e| !e.trim().is_empty());
                let to =
                    to.map(str::parse).transpose().map_err(|e| Failure::input(format!("{e}")))?;
                let item = lk.charges().email_document(&number, period, to).await?;
                match settle(&lk, item.id).await? {
                    OutboxState::Sent => {
                        println!("Платёжный документ за {} отправлен на e-mail", period.name_ru())
                    }
                    _ => println!(
                        "Нет связи: документ будет отправлен на e-mail, когда связь появится"
                    ),
                }
            }
            Ok(())
        }
        Command::Receipt { payment, pdf } => receipt(cli, &lk, payment, pdf.as_deref()).await,
        Command::PaperRefusal { account: arg, pdf } => {
            let number = account(&lk, arg).await?;
            let form = lk.settings().paper_refusal_form(&number).await?.value;
            if cli.json {
                json(&form);
            } else {
                println!(
                    "{}\n{}, {}\n\n{}",
                    form.addressee, form.applicant, form.address, form.text
                );
            }
            if let Some(pdf) = pdf {
                let bytes = lk_core::pdf::paper_refusal_form(&form).map_err(pdf_failure)?;
                write(pdf, &bytes)?;
                println!(
                    "Заявление сохранено: {} — распечатайте, подпишите и передайте поставщику",
                    pdf.display()
                );
            }
            Ok(())
        }
        Command::Pay(args) => pay(cli, &lk, args).await,
        Command::Meters(account) => meters(cli, &lk, account).await,
        Command::Readings { action } => readings(cli, &lk, action).await,
        Command::Reports { report } => reports(cli, &lk, report).await,
        Command::Settings { action } => settings(cli, &lk, action.as_ref()).await,
        Command::Rounds { action } => crate::rounds::run(cli, &lk, action.as_ref()).await,
        Command::Sync => {
            let report = lk.sync_now().await?;
            println!(
                "Отправлено: {}, ждут связи: {}, требуют действия: {}",
                report.sent, report.waiting, report.needs_action
            );
            Ok(())
        }
    }
}

fn pdf_failure(e: lk_core::pdf::PdfError) -> Failure {
    Failure { code: 1, message: e.to_string() }
}

/// Sends what is queued and answers where the item `id` stands: a refusal is the person's to
/// know at once (exit 3), not "saved".
async fn settle(lk: &Lk, id: i64) -> Result<OutboxState, Failure> {
    // A failed sync leaves the item queued: the state below tells.
    let _ = lk.sync_now().await;
    let item = lk.readings().outbox().into_iter().find(|i| i.id == id);
    match item {
        Some(item) if item.state == OutboxState::NeedsAction => Err(Failure {
            code: 3,
            message: item.error.map(|e| e.message).unwrap_or_else(|| "Отклонено".into()),
        }),
        Some(item) => Ok(item.state),
        None => Ok(OutboxState::Sent),
    }
}

/// R13: a payment's fiscal receipt, as the resident would read the paper one.
async fn receipt(
    cli: &Cli,
    lk: &Lk,
    id: &str,
    pdf: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let view = lk.payments().resolve(id).await?;
    let Some(r) = view.payment.receipt.as_ref() else {
        return Err(Failure::input(format!("у платежа {id} нет чека: {}", view.status_text)));
    };
    if cli.json {
        json(r);
    } else {
        println!("Кассовый чек: {} (ИНН {})", r.seller_name, r.seller_inn);
        println!("Дата и время: {}", r.issued_at.format("%d.%m.%Y %H:%M"));
        for item in &r.items {
            println!("  {} — {} ({})", item.name, money(item.amount), item.vat.name_ru());
        }
        println!("Итого: {}", money(r.total));
        println!("ФН {} ФД {} ФП {}", r.fiscal_storage, r.document_number, r.fiscal_sign);
    }
    if let Some(pdf) = pdf {
        write(pdf, &lk_core::pdf::receipt(&view.payment).map_err(pdf_failure)?)?;
        println!("Копия чека сохранена: {}", pdf.display());
    }
    Ok(())
}

fn stdin_line() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::input(crate::io_failure("стандартный ввод", &e)))?;
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

pub fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| Failure {
        code: 1,
        message: crate::io_failure(&path.display().to_string(), &e),
    })
}

fn parse_money(text: &str, field: &str) -> Result<Money, Failure> {
    Money::parse(text).map_err(|e| Failure::input(format!("{field}: {e}")))
}

fn parse_period(text: &str) -> Result<Period, Failure> {
    text.parse().map_err(|e| Failure::input(format!("период «{text}»: {e}")))
}

/// The account asked for, or the profile's first one.
async fn account(lk: &Lk, arg: &AccountArg) -> Result<String, Failure> {
    if let Some(number) = &arg.account {
        return Ok(number.clone());
    }
    let mut accounts = lk.accounts().cached();
    if accounts.is_empty() {
        accounts = lk.accounts().refresh().await?;
    }
    accounts.first().map(|a| a.number.to_string()).ok_or_else(|| Failure {
        code: 5,
        message: "Нет лицевых счетов: войдите (lk login)".into(),
    })
}

async fn account_period(lk: &Lk, args: &PeriodArgs) -> Result<(String, Period), Failure> {
    let number = account(lk, &args.account).await?;
    let period = match &args.period {
        Some(p) => parse_period(p)?,
        None => {
            let documents = lk.charges().documents(&number).await?.value;
            documents.first().map(|d| d.period).ok_or_else(|| Failure {
                code: 1,
                message: "Платёжных документов пока нет".into(),
            })?
        }
    };
    Ok((number, period))
}

async fn accounts(cli: &Cli, lk: &Lk, action: Option<&AccountsAction>) -> Result<(), Failure> {
    match action {
        None => {
            let list = lk.accounts().refresh().await?;
            if cli.json {
                json(&list);
                return Ok(());
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|a| {
                    vec![
                        a.number.to_string(),
                        a.owner.clone(),
                        a.address.clone(),
                        money(a.balance.debt),
                        if a.own { "свой".into() } else { "добавлен".into() },
                    ]
                })
                .collect();
            table(&["Лицевой счёт", "Владелец", "Адрес", "Долг, ₽", ""], &rows, &[3]);
            Ok(())
        }
        Some(AccountsAction::Show(arg)) => {
            let number = account(lk, arg).await?;
            let details = lk.accounts().details(&number).await?.value;
            if cli.json {
                json(&details);
                return Ok(());
            }
            let a = &details.account;
            println!(
                "Лицевой счёт {}\nВладелец: {}\nАдрес: {}\nДолг (+) / переплата (−): {}",
                a.number,
                a.owner.full(),
                a.address,
                details.balance.debt.format_ru()
            );
            println!("\nУслуги и тарифы:");
            let rows: Vec<Vec<String>> = details
                .services
                .iter()
                .flat_map(|s| {
                    s.tariffs.iter().map(move |t| {
                        vec![
                            s.service.name.clone(),
                            t.zone.name_ru().to_owned(),
                            decimal(t.price),
                            s.service.unit.symbol_ru().to_owned(),
                        ]
                    })
                })
                .collect();
            table(&["Услуга", "Зона", "Тариф, ₽", "за"], &rows, &[2]);
            for p in &details.suppliers {
                println!(
                    "\nПолучатель: {}, ИНН {}, КПП {}\nБанк: {}, БИК {}\nР/с {}, к/с {}",
                    p.name,
                    p.inn,
                    p.kpp,
                    p.bank_name,
                    p.bic,
                    p.settlement_account,
                    p.correspondent_account
                );
            }
            Ok(())
        }
        Some(AccountsAction::Link { login, password_stdin }) => {
            let password = if *password_stdin {
                stdin_line()?
            } else {
                prompt::secret("Пароль того счёта")?
            };
            let profile = lk.settings().link_account(login, &password).await?;
            lk.accounts().refresh().await?;
            println!("Счёт добавлен. Счетов в кабинете: {}", profile.accounts.len());
            Ok(())
        }
    }
}

async fn charges(cli: &Cli, lk: &Lk, args: &PeriodArgs) -> Result<(), Failure> {
    let (number, period) = account_period(lk, args).await?;
    let view = lk.charges().document(&number, period).await?;
    if cli.json {
        json(&view.value);
        return Ok(());
    }
    let d = &view.value.document;
    println!(
        "Лицевой счёт {number}, {} (обновлено {})\n",
        period.name_ru(),
        local(view.refreshed_at, "%d.%m.%Y %H:%M")
    );
    let rows: Vec<Vec<String>> = d.table_ru().into_iter().map(Vec::from).collect();
    let t = &d.totals;
    table(
        &[
            "1 Услуга",
            "2 Тариф",
            "3 Долг",
            "4 Оплачено",
            "5 Объём",
            "6 Начислено",
            "7 Перерасчёт",
            "8 К оплате",
        ],
        &rows,
        &[1, 2, 3, 4, 5, 6, 7],
    );
    for r in &d.recalculations {
        println!("Перерасчёт {}: {} — {}", r.service_code, r.amount.format_ru(), r.reason);
    }
    println!(
        "\nИтого к оплате: {}, оплатить до {}",
        t.amount_due.format_ru(),
        lk_core::wording::date(d.head.due_date)
    );
    Ok(())
}

async fn pay(cli: &Cli, lk: &Lk, args: &crate::PayArgs) -> Result<(), Failure> {
    let (number, period) = account_period(lk, &args.period).await?;
    let view = lk.charges().document(&number, period).await?.value;
    let total = match &args.total {
        Some(t) => parse_money(t, "total")?,
        None => view.document.totals.amount_due,
    };
    let fixed = args
        .services
        .iter()
        .map(|s| {
            let (code, amount) = s
                .split_once('=')
                .ok_or_else(|| Failure::input(format!("--service {s}: КОД=СУММА")))?;
            Ok(FixedAmount { service_code: code.to_owned(), amount: parse_money(amount, code)? })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let allocation = lk.charges().allocation_preview(&view, total, &fixed)?;
    let contact = match (&args.email, &args.phone) {
        (_, Some(phone)) => {
            Contact::Phone(phone.parse().map_err(|e| Failure::input(format!("--phone: {e}")))?)
        }
        (Some(email), None) => {
            Contact::Email(email.parse().map_err(|e| Failure::input(format!("--email: {e}")))?)
        }
        (None, None) => {
            // As the manual's payment form: the receipt's address, the profile's unless changed.
            let profile = lk.settings().profile().await?.value;
            let default =
                Contact::default_for_receipt(profile.email.as_deref(), profile.phone.as_deref());
            let question = match &default {
                Some(d) => format!("Куда отправить чек (e-mail или телефон; Enter — {d})"),
                None => "Куда отправить чек (e-mail или телефон)".to_owned(),
            };
            let typed = if args.yes { String::new() } else { prompt::line(&question)? };
            match (typed.trim(), default) {
                ("", Some(default)) => default,
                ("", None) => {
                    return Err(Failure::input("укажите, куда отправить чек: --email или --phone"));
                }
                (typed, _) => typed.parse().map_err(|e| Failure::input(format!("чек: {e}")))?,
            }
        }
    };
    let names: Vec<(&str, &str)> = view
        .document
        .lines
        .iter()
        .map(|l| (l.basis.service_code.as_str(), l.basis.service_name.as_str()))
        .collect();
    let rows: Vec<Vec<String>> = allocation
        .parts
        .iter()
        .map(|p| {
            let name = names
                .iter()
                .find(|(c, _)| *c == p.service_code)
                .map_or(p.service_code.as_str(), |(_, n)| n);
            vec![
                name.to_owned(),
                p.service_code.clone(),
                money(p.amount),
                if p.fixed { "задано".into() } else { String::new() },
            ]
        })
        .collect();
    if !cli.json {
        println!("Оплата по лицевому счёту {number} за {}:", period.name_ru());
        table(&["Услуга", "Код", "Сумма, ₽", ""], &rows, &[2]);
        println!("Итоговая сумма: {}. Чек: {contact}", total.format_ru());
    }
    if !args.yes && !prompt::yes("Итоговая сумма верна?")? {
        return Err(Failure::input("оплата отменена"));
    }
    let request = PaymentRequest {
        account_number: number.parse().map_err(|e| Failure::input(format!("{e}")))?,
        period,
        total,
        fixed,
        receipt_contact: contact,
        return_url: "lk://payments/return".into(),
    };
    let started = lk.payments().start(&request).await?;
    let url = started.confirmation_url.clone().unwrap_or_default();
    if cli.json && args.no_wait {
        json(&started);
        return Ok(());
    }
    if !cli.json {
        println!("\nОткройте страницу банка и оплатите картой:\n  {url}\n");
    }
    if args.no_wait {
        return Ok(());
    }
    let bar =
        spinner("Ждём ответа банка… (Ctrl+C — прервать, платёж проверится при следующем входе)");
    let done = lk
        .payments()
        .await_result(&started.payment.id, Duration::from_secs(2), &Cancel::new())
        .await?;
    bar.finish_and_clear();
    if cli.json {
        json(&done);
    } else {
        println!("{}", done.status_text);
        if let Some(r) = &done.payment.receipt {
            println!(
                "Чек № {} от {}: {}; ФН {}, ФП {}",
                r.document_number,
                r.issued_at.format("%d.%m.%Y %H:%M"),
                r.total.format_ru(),
                r.fiscal_storage,
                r.fiscal_sign
            );
        }
    }
    match done.payment.status {
        lk_core::payment::PaymentStatus::Succeeded => Ok(()),
        _ => Err(Failure { code: 3, message: done.status_text }),
    }
}

async fn meters(cli: &Cli, lk: &Lk, arg: &AccountArg) -> Result<(), Failure> {
    let number = account(lk, arg).await?;
    let view = lk.readings().meters(&number).await?;
    if cli.json {
        json(&view.value);
        return Ok(());
    }
    let v = &view.value;
    let window = if v.window_open { "открыт".to_owned() } else { "закрыт".to_owned() };
    println!(
        "Приём показаний с {} по {} число: сейчас {window}{}",
        v.window.first_day,
        v.window.last_day,
        v.period.map(|p| format!(", показания пойдут за {}", p.name_ru())).unwrap_or_default()
    );
    let rows: Vec<Vec<String>> = v
        .meters
        .iter()
        .map(|m| {
            let start = m
                .start
                .as_ref()
                .map(|r| r.values.iter().map(|z| decimal(z.value)).collect::<Vec<_>>().join(" / "))
                .unwrap_or_default();
            let zones =
                m.meter.kind.zones().iter().map(|z| z.name_ru()).collect::<Vec<_>>().join(", ");
            let verification = format!(
                "{}{}",
                lk_core::wording::date(m.meter.next_verification),
                if m.verification_expired {
                    " (истекла)"
                } else if m.verification_due_soon {
                    " (скоро)"
                } else {
                    ""
                }
            );
            vec![
                m.meter.id.clone(),
                m.meter.serial.clone(),
                m.meter.kind.name_ru().to_owned(),
                zones,
                start,
                verification,
            ]
        })
        .collect();
    table(
        &["Счётчик", "Заводской №", "Вид", "Зоны", "Показания на начало", "Поверка до"],
        &rows,
        &[4],
    );
    Ok(())
}

async fn readings(cli: &Cli, lk: &Lk, action: &ReadingsAction) -> Result<(), Failure> {
    match action {
        ReadingsAction::Submit { account: arg, meter, values, yes, photo } => {
            let number = account(lk, arg).await?;
            let view = lk.readings().meters(&number).await?.value;
            let m =
                view.meters.iter().find(|m| &m.meter.id == meter).ok_or_else(|| {
                    Failure::input(format!("нет счётчика {meter}; см. lk meters"))
                })?;
            let input = zone_values(m.meter.kind, values)?;
            let check = lk.readings().check(&number, meter, &input).await?;
            // With --json, stdout carries the JSON alone: what a person reads goes to stderr.
            let say = |line: &dyn std::fmt::Display| {
                if cli.json { eprintln!("{line}") } else { println!("{line}") }
            };
            for z in &check.zones {
                if let Some(c) = z.consumption {
                    let used = quantity(c, m.meter.kind.unit());
                    say(&format_args!("{}: расход {used}", z.zone.name_ru()));
                }
            }
            for f in &check.findings {
                say(&format_args!(
                    "{} {}",
                    match f.severity {
                        Severity::Refuse => "✗",
                        Severity::Confirm => "!",
                        Severity::Info => "i",
                    },
                    f.message
                ));
            }
            if check.is_refused() {
                return Err(Failure::input("показания не приняты: исправьте и отправьте снова"));
            }
            // Each finding that needs it is confirmed on its own, as in the manual's dialog:
            // agreeing to a rollover is not agreeing to an implausible consumption.
            let mut confirm = Vec::new();
            for f in check.findings.iter().filter(|f| f.severity == Severity::Confirm) {
                if !*yes && !prompt::yes(&format!("{} Подтверждаете?", f.message))? {
                    return Err(Failure::input("не отправлено"));
                }
                confirm.push(f.code);
            }
            if !*yes && confirm.is_empty() && !prompt::yes("Отправить эти показания?")?
            {
                return Err(Failure::input("не отправлено"));
            }
            let item = lk
                .readings()
                .submit(&number, meter, &input, &confirm, photo.as_deref(), false)
                .await?;
            let report = lk.sync_now().await;
            let item = lk.readings().outbox().into_iter().find(|i| i.id == item.id).unwrap_or(item);
            if cli.json {
                json(&item);
            }
            match (item.state, report) {
                (OutboxState::Sent, _) => say(&"Спасибо, Ваши показания приняты"),
                (OutboxState::NeedsAction, _) => {
                    return Err(Failure {
                        code: 3,
                        message: item.error.map(|e| e.message).unwrap_or_default(),
                    });
                }
                (OutboxState::Queued, _) => {
                    say(&"Нет связи: показания сохранены и будут отправлены (lk sync)")
                }
            }
            Ok(())
        }
        ReadingsAction::Outbox { action: Some(action) } => outbox_action(lk, action).await,
        ReadingsAction::Outbox { action: None } => {
            let items = lk.readings().outbox();
            if cli.json {
                json(&items);
                return Ok(());
            }
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|i| {
                    let state = match i.state {
                        OutboxState::Queued => "ждёт связи".to_owned(),
                        OutboxState::Sent => "отправлено".to_owned(),
                        OutboxState::NeedsAction => format!(
                            "нужно действие: {}",
                            i.error.as_ref().map(|e| e.message.as_str()).unwrap_or_default()
                        ),
                    };
                    vec![
                        i.id.to_string(),
                        local(i.created_at, "%d.%m %H:%M"),
                        if i.has_photo {
                            format!("{} (с фото)", i.title)
                        } else {
                            i.title.clone()
                        },
                        state,
                    ]
                })
                .collect();
            table(&["№", "Когда", "Что", "Состояние"], &rows, &[0]);
            Ok(())
        }
    }
}

/// Sign-out says what becomes of unsent items: `--keep` or `--discard`, else asked in a terminal
/// (refused without one: a script must choose).
async fn logout(lk: &Lk, args: &LogoutArgs) -> Result<(), Failure> {
    let unsent = lk.session().unsent()?;
    let choice = match (args.keep, args.discard, sign_out_warning(unsent)) {
        (true, _, _) | (_, _, None) => UnsentActions::KeepForNextSignIn,
        (_, true, _) => UnsentActions::Discard,
        (false, false, Some(warning)) => {
            if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                return Err(Failure::input(format!(
                    "{warning} Укажите --keep (сохранить) или --discard (удалить)"
                )));
            }
            println!("{warning}");
            if prompt::yes("Сохранить? «н» — удалить")? {
                UnsentActions::KeepForNextSignIn
            } else {
                UnsentActions::Discard
            }
        }
    };
    let count = lk.session().sign_out(choice).await?;
    println!("Вы вышли из личного кабинета");
    match (count, choice) {
        (0, _) => {}
        (n, UnsentActions::KeepForNextSignIn) => {
            println!("Неотправленных записей сохранено: {n}. Они уйдут, когда вы снова войдёте")
        }
        (n, UnsentActions::Discard) => println!("Неотправленных записей удалено: {n}"),
    }
    Ok(())
}

/// The values typed for each of the meter's zones, in order, separated by `;` or spaces: a
/// comma is the decimal comma people write ("125,5").
pub fn zone_values(
    kind: lk_core::meter::MeterKind,
    values: &str,
) -> Result<Vec<ZoneInput>, Failure> {
    let texts: Vec<&str> =
        values.split(|c: char| c == ';' || c.is_whitespace()).filter(|t| !t.is_empty()).collect();
    let zones = kind.zones();
    if texts.len() != zones.len() {
        return Err(Failure::input(format!(
            "у счётчика зон: {} ({}); показания зон разделяйте «;», дробную часть — запятой",
            zones.len(),
            zones.iter().map(|z| z.name_ru()).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(zones
        .iter()
        .zip(&texts)
        .map(|(z, t)| ZoneInput { zone: *z, text: (*t).to_owned() })
        .collect())
}

async fn outbox_action(lk: &Lk, action: &OutboxAction) -> Result<(), Failure> {
    let readings = lk.readings();
    match action {
        OutboxAction::Retry { id, without_photo: false } => readings.retry(*id)?,
        OutboxAction::Retry { id, without_photo: true } => readings.retry_without_photo(*id)?,
        OutboxAction::Correct { id, values } => {
            let item = readings.outbox().into_iter().find(|i| i.id == *id).ok_or_else(|| {
                Failure::input(format!("нет записи № {id}; см. lk readings outbox"))
            })?;
            let Some(lk_core::client::Command::Reading { submission: body, .. }) = item.command
            else {
                return Err(Failure::input("исправить можно только показания"));
            };
            // The zones are the ones the reading was made for, in its order.
            let input: Vec<ZoneInput> = {
                let texts: Vec<&str> = values.split(',').map(str::trim).collect();
                if texts.len() != body.values.len() {
                    return Err(Failure::input(format!("нужно значений: {}", body.values.len())));
                }
                body.values
                    .iter()
                    .zip(&texts)
                    .map(|(v, t)| ZoneInput { zone: v.zone, text: (*t).to_owned() })
                    .collect()
            };
            readings.correct(*id, &input, &body.confirmed)?;
        }
        OutboxAction::Dismiss { id } => {
            readings.dismiss(*id)?;
            println!("Запись № {id} удалена");
            return Ok(());
        }
    }
    let report = lk.sync_now().await;
    let item = lk.readings().outbox().into_iter().find(|i| match action {
        OutboxAction::Retry { id, .. } | OutboxAction::Correct { id, .. } => i.id == *id,
        OutboxAction::Dismiss { .. } => false,
    });
    match (item.map(|i| (i.state, i.error)), report) {
        (Some((OutboxState::Sent, _)), _) => println!("Отправлено и принято"),
        (Some((OutboxState::NeedsAction, error)), _) => {
            return Err(Failure { code: 3, message: error.map(|e| e.message).unwrap_or_default() });
        }
        _ => println!("Нет связи: запись в очереди и будет отправлена (lk sync)"),
    }
    Ok(())
}

async fn reports(cli: &Cli, lk: &Lk, report: &ReportKind) -> Result<(), Failure> {
    match report {
        ReportKind::Payments { account: arg, from, to, pdf } => {
            let number = account(lk, arg).await?;
            let to = to.unwrap_or_else(|| chrono::Local::now().date_naive());
            let from = from.unwrap_or(to - chrono::Duration::days(365));
            let history = lk.reports().payments(&number, from, to).await?.value;
            show(cli, pdf, &history, lk_core::pdf::payment_history, |history| {
                let rows: Vec<Vec<String>> = history
                    .payments
                    .iter()
                    .map(|p| {
                        let place = p.receipt.as_ref().map(|r| r.place.clone()).unwrap_or_default();
                        vec![
                            local(p.created_at, "%d.%m.%Y"),
                            money(p.allocation.total),
                            p.status.name_ru().to_owned(),
                            place,
                        ]
                    })
                    .collect();
                table(&["Дата", "Сумма, ₽", "Статус", "Место расчётов"], &rows, &[1]);
                println!("Итого оплачено: {}", history.total_paid.format_ru());
            })
        }
        ReportKind::Charges { account: arg, months, pdf } => {
            let number = account(lk, arg).await?;
            let history = lk.reports().charges(&number, *months).await?.value;
            show(cli, pdf, &history, lk_core::pdf::charge_history, |history| {
                let rows: Vec<Vec<String>> = history
                    .months
                    .iter()
                    .map(|m| {
                        vec![
                            m.period.name_ru(),
                            money(m.totals.charged),
                            money(m.totals.recalculation),
                            money(m.totals.paid),
                            money(m.totals.to_pay),
                        ]
                    })
                    .collect();
                table(
                    &["Период", "Начислено", "Перерасчёт", "Оплачено", "К оплате"],
                    &rows,
                    &[1, 2, 3, 4],
                );
            })
        }
        ReportKind::Readings { account: arg, kind, from, to, pdf } => {
            let number = account(lk, arg).await?;
            let scope = match kind.as_str() {
                "individual" => MeterScope::Individual,
                "common-house" | "common_house" => MeterScope::CommonHouse,
                other => {
                    return Err(Failure::input(format!(
                        "--kind {other}: individual или common-house"
                    )));
                }
            };
            let report = lk
                .reports()
                .readings(&number, scope, parse_period(from)?, parse_period(to)?)
                .await?
                .value;
            show(cli, pdf, &report, lk_core::pdf::readings_report, |report| {
                let rows: Vec<Vec<String>> =
                    report.rows.iter().map(|r| Vec::from(r.cells_ru())).collect();
                table(
                    &["Период", "Прибор", "Номер", "Показания", "Расход", "Принято"],
                    &rows,
                    &[3, 4],
                );
            })
        }
    }
}

/// A report goes to a PDF file, to JSON for scripts, or to the terminal as a table.
fn show<T: serde::Serialize>(
    cli: &Cli,
    pdf: &Option<std::path::PathBuf>,
    value: &T,
    render: fn(&T) -> Result<Vec<u8>, lk_core::pdf::PdfError>,
    print: impl FnOnce(&T),
) -> Result<(), Failure> {
    if let Some(path) = pdf {
        let bytes = render(value).map_err(|e| Failure { code: 1, message: e.to_string() })?;
        write(path, &bytes)?;
        println!("Сохранено: {}", path.display());
    } else if cli.json {
        json(value);
    } else {
        print(value);
    }
    Ok(())
}

async fn settings(cli: &Cli, lk: &Lk, action: Option<&SettingsAction>) -> Result<(), Failure> {
    match action {
        None => {
            let profile = lk.settings().profile().await?.value;
            if cli.json {
                json(&profile);
                return Ok(());
            }
            let on = |b: bool| if b { "да" } else { "нет" };
            let n = &profile.notifications;
            println!(
                "Логин: {}\nТелефон: {}\nE-mail: {}\nГород: {}",
                profile.login,
                profile.phone.unwrap_or_default(),
                profile.email.unwrap_or_default(),
                profile.city
            );
            println!(
                "Уведомления: окно показаний — {}, новый документ — {}, результат оплаты — {}, чек на e-mail — {}",
                on(n.reading_window),
                on(n.new_document),
                on(n.payment_result),
                on(n.receipt_by_email)
            );
            Ok(())
        }
        Some(SettingsAction::Notifications {
            reading_window,
            new_document,
            payment_result,
            receipt_by_email,
        }) => {
            let current = lk.settings().profile().await?.value.notifications;
            let pick = |t: &Option<Toggle>, was: bool| t.map_or(was, |t| matches!(t, Toggle::On));
            let next = NotificationSettings {
                reading_window: pick(reading_window, current.reading_window),
                new_document: pick(new_document, current.new_document),
                payment_result: pick(payment_result, current.payment_result),
                receipt_by_email: pick(receipt_by_email, current.receipt_by_email),
            };
            let item = lk.settings().set_notifications(&next).await?;
            match settle(lk, item.id).await? {
                OutboxState::Sent => println!("Настройки сохранены"),
                _ => println!("Нет связи: настройки сохранены на устройстве и будут отправлены"),
            }
            Ok(())
        }
        Some(SettingsAction::Phone { phone }) => {
            let started = lk.settings().change_phone(phone).await?;
            println!("Код отправлен на {}", started.sent_to);
            let code = prompt::line("Код из SMS")?;
            lk.settings().confirm_phone(&started.id, code.trim()).await?;
            println!("Телефон изменён");
            Ok(())
        }
        Some(SettingsAction::Email { email }) => {
            let started = lk.settings().change_email(email).await?;
            println!(
                "Письмо со ссылкой отправлено на {}: откройте ссылку, чтобы подтвердить адрес",
                started.sent_to
            );
            Ok(())
        }
        Some(SettingsAction::Password) => {
            let old_password = prompt::secret("Текущий пароль")?;
            let new_password = prompt::secret("Новый пароль")?;
            let new_password_repeat = prompt::secret("Ещё раз")?;
            lk.settings()
                .change_password(&ChangePasswordRequest {
                    old_password,
                    new_password,
                    new_password_repeat,
                })
                .await?;
            println!("Пароль изменён; другие сеансы завершены");
            Ok(())
        }
    }
}

/// Saves the CAPTCHA picture and asks what it says.
async fn captcha(lk: &Lk) -> Result<CaptchaAnswer, Failure> {
    let challenge = lk.session().captcha().await?;
    let png =
        base64::engine::general_purpose::STANDARD.decode(&challenge.png_base64).map_err(|_| {
            Failure {
                code: 1, message: "картинка с кодом не пришла целой".into()
            }
        })?;
    let path = std::env::temp_dir().join(format!("lk-captcha-{}.png", challenge.id));
    write(&path, &png)?;
    println!("Картинка с кодом: {}", path.display());
    let answer = prompt::line("Цифры с картинки")?;
    Ok(CaptchaAnswer { id: challenge.id, answer })
}

async fn register(lk: &Lk) -> Result<(), Failure> {
    let session = lk.session();
    println!("Регистрация в личном кабинете АО «ЭК «Восток»\n");
    let cities = session.cities().await?;
    for region in &cities {
        println!("{}: {}", region.name, region.cities.join(", "));
    }
    let login = prompt::line("Логин")?;
    let password = prompt::secret("Пароль (8+ символов, буква и цифра)")?;
    let repeat = prompt::secret("Пароль ещё раз")?;
    if password != repeat {
        return Err(Failure::input("пароли не совпадают"));
    }
    let by_phone = prompt::line("Подтверждать по телефону (т) или e-mail (э)?")?
        .to_lowercase()
        .starts_with(['т', 't', 'p']);
    let (channel, contact) = if by_phone {
        (Channel::Phone, prompt::line("Телефон")?)
    } else {
        (Channel::Email, prompt::line("E-mail")?)
    };
    let city = prompt::line("Город")?;
    let captcha = captcha(lk).await?;
    println!(
        "\nСогласие на обработку персональных данных (версия {}):\n{}",
        Consent::VERSION,
        Consent::TEXT
    );
    if !prompt::yes("Согласны?")? {
        return Err(Failure::input("без согласия регистрация невозможна"));
    }
    let details = RegistrationDetails { login, password, channel, contact, city };
    let mut state = session
        .start_registration(&RegistrationRequest { details, captcha, consent: Consent::given() })
        .await?;
    loop {
        let account_number = prompt::line("Номер лицевого счёта")?;
        let latest_document_total =
            prompt::line("«Итого к оплате» последнего платёжного документа")?;
        match session
            .bind_account(&state.id, &BindAccountRequest { account_number, latest_document_total })
            .await
        {
            Ok(bound) => {
                if let Some(a) = &bound.account {
                    println!("Адрес: {}\nВладелец: {}", a.address, a.owner_masked);
                }
                if prompt::yes("Данные верны, продолжить?")? {
                    state = bound;
                    break;
                }
            }
            Err(e) => println!("{}", Failure::from(e).message),
        }
    }
    state = session.confirm_account(&state.id).await?;
    if state.channel == Channel::Email {
        // By e-mail there is no code to type: the link in the letter finishes the registration,
        // opened anywhere; lk waits for the service to say so.
        println!(
            "Письмо со ссылкой отправлено на {}. Откройте ссылку из письма (она действует 10 минут), \
             lk дождётся подтверждения",
            state.contact_masked
        );
        let bar = spinner("Ждём перехода по ссылке");
        for _ in 0..(10 * 60 / 2) {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let now = session.registration(&state.id).await?;
            if now.status == RegistrationStatus::Completed {
                bar.finish_and_clear();
                println!("Регистрация завершена. Войдите: lk login --login {}", now.login);
                return Ok(());
            }
        }
        bar.finish_and_clear();
        return Err(Failure::input(
            "ссылка из письма так и не открыта и уже недействительна: начните заново (lk register)",
        ));
    }
    // «Код отправлен» only when the service's state says a code is out and awaited.
    if state.status != RegistrationStatus::AwaitingCode {
        return Err(Failure {
            code: 3,
            message: "Код не отправлен: начните регистрацию заново (lk register)".into(),
        });
    }
    println!("Код отправлен на {}", state.contact_masked);
    loop {
        let code = prompt::line("Код из сообщения")?;
        match session.registration_code(&state.id, &code).await {
            Ok(done) if done.status == RegistrationStatus::Completed => {
                println!("Регистрация завершена. Войдите: lk login --login {}", done.login);
                return Ok(());
            }
            Ok(_) => {}
            Err(e) => {
                let failure = Failure::from(e);
                if failure.code != 3 {
                    return Err(failure);
                }
                println!("{}", failure.message);
            }
        }
    }
}

async fn recover(lk: &Lk) -> Result<(), Failure> {
    let session = lk.session();
    let by_phone = prompt::line("Восстановить по телефону (т) или e-mail (э)?")?
        .to_lowercase()
        .starts_with(['т', 't', 'p']);
    let channel = if by_phone { Channel::Phone } else { Channel::Email };
    let contact = prompt::line(if by_phone { "Телефон" } else { "E-mail" })?;
    let captcha = captcha(lk).await?;
    let started = session.start_recovery(&RecoveryRequest { channel, contact, captcha }).await?;
    println!("Если такой контакт есть в кабинете, на него отправлен код");
    let code = prompt::line("Код")?;
    let logins = session.recovery_code(&started.id, &code).await?;
    println!("Логины: {}", logins.logins.join(", "));
    let login = if logins.logins.len() == 1 {
        logins.logins[0].clone()
    } else {
        prompt::line("Логин")?
    };
    let password = prompt::secret("Новый пароль")?;
    let password_repeat = prompt::secret("Ещё раз")?;
    session
        .recovery_password(
            &started.id,
            &NewPasswordRequest { login: login.clone(), password, password_repeat },
        )
        .await?;
    println!("Пароль изменён. Войдите: lk login --login {login}");
    Ok(())
}
