//! `lk`: the personal account (ЛК) of АО «ЭК «Восток» in a terminal. It is the third thin shell
//! over the core's client, next to the Android and iOS apps: the same screens' API, the same
//! device store (works offline, queued actions synced), the same PDFs.
//!
//! Exit codes: 0 done; 2 bad input; 3 refused by the server; 4 offline or the server did not
//! answer; 5 sign in first; 1 anything else.

mod commands;
mod output;
mod prompt;
mod rounds;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use lk_core::client::{ClientError, FileSecureStore, Lk, LkConfig};

#[derive(Parser)]
#[command(
    name = "lk",
    version,
    about = "Личный кабинет АО «ЭК «Восток» в терминале",
    after_help = format!(
        "Коды выхода: 0 — готово, 2 — ошибка ввода, 3 — отказ сервиса, 4 — нет связи, \
         5 — нужен вход.\n\nПоддержка: {}",
        lk_core::wording::support()
    )
)]
pub struct Cli {
    /// Адрес сервиса ЛК
    #[arg(long, global = true, env = "LK_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// Каталог данных этого устройства
    #[arg(long, global = true, env = "LK_HOME")]
    data_dir: Option<PathBuf>,
    /// Вывод в JSON для скриптов
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Регистрация в ЛК (мастер)
    Register,
    /// Вход
    Login(LoginArgs),
    /// Выход
    Logout(LogoutArgs),
    /// Восстановление пароля
    Recover,
    /// Лицевые счета
    Accounts {
        #[command(subcommand)]
        action: Option<AccountsAction>,
    },
    /// Начисления: таблица из 8 граф
    Charges(PeriodArgs),
    /// Платёжный документ в PDF
    Document {
        #[command(flatten)]
        period: PeriodArgs,
        /// Куда сохранить PDF
        #[arg(long, required_unless_present = "email")]
        pdf: Option<PathBuf>,
        /// Отправить на e-mail (по умолчанию на адрес профиля)
        #[arg(long, num_args = 0..=1, default_missing_value = "")]
        email: Option<String>,
    },
    /// Кассовый чек платежа, на экран или в PDF
    Receipt {
        /// № платежа (см. lk reports payments)
        payment: String,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Заявление об отказе от бумажного документа
    PaperRefusal {
        #[command(flatten)]
        account: AccountArg,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Оплата картой
    Pay(PayArgs),
    /// Счётчики
    Meters(AccountArg),
    /// Показания
    Readings {
        #[command(subcommand)]
        action: ReadingsAction,
    },
    /// Отчёты
    Reports {
        #[command(subcommand)]
        report: ReportKind,
    },
    /// Настройки
    Settings {
        #[command(subcommand)]
        action: Option<SettingsAction>,
    },
    /// Обход контролёра: маршруты, снятие показаний без связи (R24)
    Rounds {
        #[command(subcommand)]
        action: Option<RoundsAction>,
    },
    /// Отправить отложенные действия
    Sync,
}

#[derive(Subcommand)]
pub enum RoundsAction {
    /// Мои маршруты
    List,
    /// Загрузить маршрут на устройство для работы без связи
    Download { round: String },
    /// Остановки маршрута, ожидаемые показания и что снято
    Show {
        round: String,
        /// Только то, что осталось снять
        #[arg(long)]
        left: bool,
    },
    /// Записать показания счётчика
    Capture {
        round: String,
        /// Остановка (квартира)
        #[arg(long)]
        stop: String,
        /// Счётчик
        #[arg(long)]
        meter: String,
        /// Показания по зонам через «;», дробная часть через запятую
        values: String,
        /// На счётчике другой заводской номер: какой
        #[arg(long)]
        serial_differs: Option<String>,
        /// Фото счётчика
        #[arg(long)]
        photo: Option<PathBuf>,
    },
    /// Пропустить счётчик с причиной
    Skip {
        round: String,
        #[arg(long)]
        stop: String,
        #[arg(long)]
        meter: String,
        /// no_access | faulty | seal_broken | unreadable | missing
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Фото (нужно при неисправности)
        #[arg(long)]
        photo: Option<PathBuf>,
    },
    /// Пройти маршрут: счётчик за счётчиком
    Walk { round: String },
    /// Отправить снятое и показать итог
    Sync { round: String },
    /// Журнал снятого: принято, на проверке, отклонено
    Status { round: String },
    /// Обходной лист в PDF
    Sheet {
        round: String,
        #[arg(long)]
        pdf: PathBuf,
    },
}

#[derive(Args)]
pub struct LoginArgs {
    /// Логин
    #[arg(long)]
    login: Option<String>,
    /// Прочитать пароль из stdin
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Args, Clone)]
pub struct AccountArg {
    /// Лицевой счёт (по умолчанию первый)
    #[arg(long)]
    account: Option<String>,
}

#[derive(Args)]
pub struct PeriodArgs {
    #[command(flatten)]
    account: AccountArg,
    /// Период ГГГГ-ММ (по умолчанию последний)
    #[arg(long)]
    period: Option<String>,
}

#[derive(Subcommand)]
pub enum AccountsAction {
    /// Подробности счёта: тарифы, реквизиты
    Show(AccountArg),
    /// Добавить счёт по его логину и паролю (R19)
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
    /// Итоговая сумма (по умолчанию к оплате)
    #[arg(long)]
    total: Option<String>,
    /// Сумма по услуге, где разрешено: КОД=СУММА
    #[arg(long = "service")]
    services: Vec<String>,
    /// Чек на e-mail
    #[arg(long)]
    email: Option<String>,
    /// Чек по SMS
    #[arg(long)]
    phone: Option<String>,
    /// Не спрашивать «Итоговая сумма верна»
    #[arg(long)]
    yes: bool,
    /// Не ждать результата
    #[arg(long)]
    no_wait: bool,
}

#[derive(Subcommand)]
pub enum ReadingsAction {
    /// Передать показания
    Submit {
        #[command(flatten)]
        account: AccountArg,
        /// Счётчик
        #[arg(long)]
        meter: String,
        /// Показания по зонам через «;» (Т1; Т2; …), дробная часть через запятую
        values: String,
        /// Подтвердить всё без вопросов
        #[arg(long)]
        yes: bool,
        /// Фото счётчика
        #[arg(long)]
        photo: Option<PathBuf>,
    },
    /// Очередь отправки и действия с отклонёнными
    Outbox {
        #[command(subcommand)]
        action: Option<OutboxAction>,
    },
}

#[derive(Subcommand)]
pub enum OutboxAction {
    /// Отправить отклонённое снова
    Retry {
        /// № в очереди
        id: i64,
        /// Без фото счётчика
        #[arg(long)]
        without_photo: bool,
    },
    /// Исправить отклонённые показания
    Correct {
        /// № в очереди
        id: i64,
        /// Новые показания по зонам через «;»
        values: String,
    },
    /// Удалить отправленное или отклонённое
    Dismiss {
        /// № в очереди
        id: i64,
    },
}

#[derive(Args)]
#[group(multiple = false)]
pub struct LogoutArgs {
    /// Сохранить неотправленное до следующего входа
    #[arg(long)]
    keep: bool,
    /// Удалить неотправленное
    #[arg(long)]
    discard: bool,
}

#[derive(Subcommand)]
pub enum ReportKind {
    /// История платежей
    Payments {
        #[command(flatten)]
        account: AccountArg,
        /// С даты ГГГГ-ММ-ДД
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// По дату
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Начисления за месяцы
    Charges {
        #[command(flatten)]
        account: AccountArg,
        #[arg(long, default_value_t = 6)]
        months: u32,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Показания
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
    /// Уведомления (on/off)
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
    /// Сменить пароль
    Password,
    /// Сменить телефон (код придёт в SMS)
    Phone { phone: String },
    /// Сменить e-mail (придёт письмо со ссылкой)
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
            4 => " — действие сохранено, если это запись; повторите позже",
            _ => "",
        };
        let field = e.field().map(|f| format!(" [{f}]")).unwrap_or_default();
        Failure { code, message: format!("{e}{field}{hint}") }
    }
}

/// A file or terminal failure in words: the OS's own text is English.
pub fn io_failure(what: &str, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let why = match e.kind() {
        ErrorKind::NotFound => "нет такого файла или каталога",
        ErrorKind::PermissionDenied => "нет прав",
        ErrorKind::AlreadyExists => "уже существует",
        ErrorKind::StorageFull => "нет места на диске",
        ErrorKind::ReadOnlyFilesystem => "диск только для чтения",
        ErrorKind::InvalidData => "не текст",
        _ => "ошибка ввода-вывода",
    };
    format!("{what}: {why}")
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
        .map_err(|e| Failure { code: 1, message: io_failure(&dir.display().to_string(), &e) })?;
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
