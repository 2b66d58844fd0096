//! `lk`: the personal account (ЛК) of АО «ЭК «Восток» in a terminal. It is the third thin shell
//! over the core's client, next to the Android and iOS apps: the same screens' API, the same
//! device store (works offline, queued actions synced), the same PDFs.
//!
//! Exit codes: 0 done; 2 bad input; 3 refused by the server; 4 offline or the server did not
//! answer; 5 sign in first; 1 anything else.

mod commands;
mod output;
mod prompt;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use lk_core::client::{ClientError, FileSecureStore, Lk, LkConfig};

#[derive(Parser)]
#[command(
    name = "lk",
    version,
    about = "Личный кабинет АО «ЭК «Восток» в терминале / the LK of AO EK Vostok in a terminal",
    after_help = "Коды выхода / exit codes: 0 готово / done, 2 ошибка ввода / bad input, \
                  3 отказ сервера / refused, 4 нет связи / offline, 5 нужен вход / sign in first"
)]
pub struct Cli {
    /// Адрес сервиса ЛК / the LK service
    #[arg(long, global = true, env = "LK_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// Каталог данных этого устройства / this device's data directory
    #[arg(long, global = true, env = "LK_HOME")]
    data_dir: Option<PathBuf>,
    /// Вывод в JSON для скриптов / JSON output for scripts
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Регистрация в ЛК (мастер) / register (wizard)
    Register,
    /// Вход / sign in
    Login(LoginArgs),
    /// Выход / sign out
    Logout(LogoutArgs),
    /// Восстановление пароля / recover the password
    Recover,
    /// Лицевые счета / accounts
    Accounts {
        #[command(subcommand)]
        action: Option<AccountsAction>,
    },
    /// Начисления: таблица из 8 граф / charges: the 8-column table
    Charges(PeriodArgs),
    /// Платёжный документ в PDF / the payment document as PDF
    Document {
        #[command(flatten)]
        period: PeriodArgs,
        /// Куда сохранить PDF / where to save the PDF
        #[arg(long, required_unless_present = "email")]
        pdf: Option<PathBuf>,
        /// Отправить на e-mail (по умолчанию на адрес профиля) / e-mail it (default: the profile's)
        #[arg(long, num_args = 0..=1, default_missing_value = "")]
        email: Option<String>,
    },
    /// Кассовый чек платежа, на экран или в PDF / a payment's fiscal receipt, shown or as PDF
    Receipt {
        /// № платежа (см. lk reports payments) / the payment's id
        payment: String,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Заявление об отказе от бумажного документа / the paper-refusal application (R20)
    PaperRefusal {
        #[command(flatten)]
        account: AccountArg,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Оплата картой / pay by card
    Pay(PayArgs),
    /// Счётчики / meters
    Meters(AccountArg),
    /// Показания / readings
    Readings {
        #[command(subcommand)]
        action: ReadingsAction,
    },
    /// Отчёты / reports
    Reports {
        #[command(subcommand)]
        report: ReportKind,
    },
    /// Настройки / settings
    Settings {
        #[command(subcommand)]
        action: Option<SettingsAction>,
    },
    /// Отправить отложенные действия / send queued actions
    Sync,
}

#[derive(Args)]
pub struct LoginArgs {
    /// Логин / login
    #[arg(long)]
    login: Option<String>,
    /// Прочитать пароль из stdin / read the password from stdin
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Args, Clone)]
pub struct AccountArg {
    /// Лицевой счёт (по умолчанию первый) / account number (default: the first)
    #[arg(long)]
    account: Option<String>,
}

#[derive(Args)]
pub struct PeriodArgs {
    #[command(flatten)]
    account: AccountArg,
    /// Период ГГГГ-ММ (по умолчанию последний) / period YYYY-MM (default: the latest)
    #[arg(long)]
    period: Option<String>,
}

#[derive(Subcommand)]
pub enum AccountsAction {
    /// Подробности счёта: тарифы, реквизиты / details: tariffs, requisites
    Show(AccountArg),
    /// Добавить счёт по его логину и паролю (R19) / link an account by its login and password
    Link {
        #[arg(long)]
        login: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Args)]
pub struct PayArgs {
    #[command(flatten)]
    period: PeriodArgs,
    /// Итоговая сумма (по умолчанию к оплате) / total (default: the amount due)
    #[arg(long)]
    total: Option<String>,
    /// Сумма по услуге, где разрешено: КОД=СУММА / an amount for a service: CODE=AMOUNT
    #[arg(long = "service")]
    services: Vec<String>,
    /// Чек на e-mail / receipt to this e-mail
    #[arg(long)]
    email: Option<String>,
    /// Чек по SMS / receipt to this phone
    #[arg(long)]
    phone: Option<String>,
    /// Не спрашивать «Итоговая сумма верна» / do not ask to confirm the total
    #[arg(long)]
    yes: bool,
    /// Не ждать результата / do not wait for the result
    #[arg(long)]
    no_wait: bool,
}

#[derive(Subcommand)]
pub enum ReadingsAction {
    /// Передать показания / submit a reading
    Submit {
        #[command(flatten)]
        account: AccountArg,
        /// Счётчик / meter id
        #[arg(long)]
        meter: String,
        /// Показания по зонам через «;» (Т1; Т2; …), дробная часть через запятую / values per zone, separated by ';'
        values: String,
        /// Подтвердить всё без вопросов / confirm every finding without asking
        #[arg(long)]
        yes: bool,
        /// Фото счётчика / a photo of the dial
        #[arg(long)]
        photo: Option<PathBuf>,
    },
    /// Очередь отправки и действия с отклонёнными / the outbox, and acting on refused items
    Outbox {
        #[command(subcommand)]
        action: Option<OutboxAction>,
    },
}

#[derive(Subcommand)]
pub enum OutboxAction {
    /// Отправить отклонённое снова / send a refused item again
    Retry {
        /// № в очереди / the item's number
        id: i64,
        /// Без фото счётчика / without the dial's photo
        #[arg(long)]
        without_photo: bool,
    },
    /// Исправить отклонённые показания / correct a refused reading
    Correct {
        /// № в очереди / the item's number
        id: i64,
        /// Новые показания по зонам через «;» / new values per zone, separated by ';'
        values: String,
    },
    /// Удалить отправленное или отклонённое / remove a sent or refused item
    Dismiss {
        /// № в очереди / the item's number
        id: i64,
    },
}

#[derive(Args)]
#[group(multiple = false)]
pub struct LogoutArgs {
    /// Сохранить неотправленное до следующего входа / keep unsent items until you sign in again
    #[arg(long)]
    keep: bool,
    /// Удалить неотправленное / discard unsent items
    #[arg(long)]
    discard: bool,
}

#[derive(Subcommand)]
pub enum ReportKind {
    /// История платежей / payment history (R13)
    Payments {
        #[command(flatten)]
        account: AccountArg,
        /// С даты ГГГГ-ММ-ДД / from
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// По дату / to
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Начисления за месяцы / charge history (R14)
    Charges {
        #[command(flatten)]
        account: AccountArg,
        #[arg(long, default_value_t = 6)]
        months: u32,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Показания / readings (R15)
    Readings {
        #[command(flatten)]
        account: AccountArg,
        /// individual | common-house
        #[arg(long, default_value = "individual")]
        kind: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum SettingsAction {
    /// Уведомления (on/off) / notifications
    Notifications {
        #[arg(long)]
        reading_window: Option<Toggle>,
        #[arg(long)]
        new_document: Option<Toggle>,
        #[arg(long)]
        payment_result: Option<Toggle>,
        #[arg(long)]
        receipt_by_email: Option<Toggle>,
    },
    /// Сменить пароль / change the password
    Password,
    /// Сменить телефон (код придёт в SMS) / change the phone (a code comes by SMS)
    Phone { phone: String },
    /// Сменить e-mail (придёт письмо со ссылкой) / change the e-mail (a link comes by e-mail)
    Email { email: String },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Toggle {
    On,
    Off,
}

/// Why `lk` stopped, and its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into() }
    }
}

impl From<ClientError> for Failure {
    fn from(e: ClientError) -> Failure {
        let code = match &e {
            ClientError::Invalid { .. } => 2,
            ClientError::Refused { .. } => 3,
            ClientError::Offline | ClientError::Timeout | ClientError::Server(_) => 4,
            ClientError::SessionExpired => 5,
            _ => 1,
        };
        let hint = match code {
            5 => " (lk login)",
            4 => {
                " — действие сохранено, если это запись; повторите позже / saved if it was a write"
            }
            _ => "",
        };
        let field = e.field().map(|f| format!(" [{f}]")).unwrap_or_default();
        Failure { code, message: format!("{e}{field}{hint}") }
    }
}

fn data_dir(cli: &Cli) -> PathBuf {
    cli.data_dir.clone().unwrap_or_else(|| {
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."));
        base.join("lk")
    })
}

pub fn open(cli: &Cli) -> Result<Lk, Failure> {
    let dir = data_dir(cli);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure { code: 1, message: format!("{}: {e}", dir.display()) })?;
    let secure = Arc::new(FileSecureStore::new(dir.join("secrets.json")));
    Ok(Lk::open(LkConfig::new(&cli.server, dir.join("device.sqlite3")), secure)?)
}

#[tokio::main]
async fn main() -> ExitCode {
    // `lk meters | head`: a closed pipe ends lk quietly, as it does any Unix tool, instead of
    // panicking in println!.
    #[cfg(unix)]
    // SAFETY: resetting a signal's disposition to its default before any thread writes.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match commands::run(&cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("lk: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
