//! `lk-server`: runs the LK service. With no arguments: 127.0.0.1:8080, data in `./lk-data`,
//! no demo data, messages kept in the outbox. `--demo` seeds the demo data and serves the demo
//! endpoints (which publish every code sent): only on loopback unless asked for twice.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use lk_server::demo::DEMO_LOGINS;
use lk_server::demo_rounds::STAFF_LOGINS;
use lk_server::notifier::{EmailProvider, Providers, SmsProvider};
use lk_server::push::{ApnsConfig, ApnsProvider, FcmConfig, FcmProvider, PushProviders};
use lk_server::{AcquirerConfig, Config, Storage};

#[derive(Parser)]
#[command(name = "lk-server", version, about = "Сервис личного кабинета АО «ЭК «Восток»")]
struct Args {
    /// Запустить часы сервиса с этого момента (RFC 3339) и идти дальше от него: для демонстраций
    /// и сценарных тестов в выбранный день, например внутри окна приёма показаний
    #[arg(long, env = "LK_START_AT")]
    start_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Адрес, на котором работает сервис
    #[arg(long, env = "LK_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Каталог базы данных SQLite
    #[arg(long, env = "LK_DATA_DIR", default_value = "lk-data")]
    data_dir: PathBuf,
    /// Новая база в памяти, которая исчезает с остановкой процесса
    #[arg(long, env = "LK_IN_MEMORY")]
    in_memory: bool,
    /// Демо-данные и демо-страницы, которые публикуют каждый отправленный код и ссылку: чтобы
    /// попробовать сервис на этом компьютере, никогда для жителей
    #[arg(long, env = "LK_DEMO")]
    demo: bool,
    /// Разрешить --demo на адресе, доступном другим (там любой прочтёт каждый код)
    #[arg(long, env = "LK_DEMO_ON_PUBLIC_ADDRESS", requires = "demo")]
    demo_on_public_address: bool,
    /// Прокси перед сервисом, чьему X-Forwarded-For можно верить (повторите для нескольких)
    #[arg(long = "trusted-proxy", env = "LK_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Внешний адрес для ссылок в письмах (по умолчанию http://ADDR)
    #[arg(long, env = "LK_PUBLIC_URL")]
    public_url: Option<String>,
    /// Отправлять письма через SMTP, например smtps://user:pass@host:465 (по умолчанию — хранить в очереди)
    #[arg(long, env = "LK_SMTP_URL")]
    smtp_url: Option<String>,
    /// Отправитель писем
    #[arg(long, env = "LK_MAIL_FROM", default_value = "ЛК ЭК «Восток» <lk@vostok.example>")]
    mail_from: String,
    /// Отправлять SMS через этот HTTP-шлюз (JSON POST {"to","text"}; по умолчанию — хранить в очереди)
    #[arg(long, env = "LK_SMS_URL")]
    sms_url: Option<String>,
    /// Токен (Bearer) SMS-шлюза
    #[arg(long, env = "LK_SMS_TOKEN", default_value = "")]
    sms_token: String,
    /// Секрет встроенного тестового эквайринга (по умолчанию создаётся при первом запуске и хранится в базе)
    #[arg(long, env = "LK_SANDBOX_SECRET")]
    sandbox_secret: Option<String>,
    /// Принимать оплату картой через ЮKassa с этим shop id (по умолчанию — тестовый эквайринг)
    #[arg(long, env = "LK_YOOKASSA_SHOP_ID", requires = "yookassa_secret_key")]
    yookassa_shop_id: Option<String>,
    /// Секретный ключ ЮKassa
    #[arg(long, env = "LK_YOOKASSA_SECRET_KEY")]
    yookassa_secret_key: Option<String>,
    /// Адрес API ЮKassa
    #[arg(long, env = "LK_YOOKASSA_URL", default_value = "https://api.yookassa.ru/v3")]
    yookassa_url: String,
    /// Пуш-уведомления на Android через FCM с этим ключом сервисного аккаунта (JSON)
    #[arg(long, env = "LK_FCM_SERVICE_ACCOUNT")]
    fcm_service_account: Option<PathBuf>,
    /// Адрес API FCM
    #[arg(long, env = "LK_FCM_URL", default_value = "https://fcm.googleapis.com")]
    fcm_url: String,
    /// Пуш-уведомления на iOS через APNs с этим ключом .p8
    #[arg(long, env = "LK_APNS_KEY", requires_all = ["apns_key_id", "apns_team_id", "apns_topic"])]
    apns_key: Option<PathBuf>,
    /// Идентификатор ключа APNs
    #[arg(long, env = "LK_APNS_KEY_ID")]
    apns_key_id: Option<String>,
    /// Идентификатор команды разработчика Apple
    #[arg(long, env = "LK_APNS_TEAM_ID")]
    apns_team_id: Option<String>,
    /// Bundle id приложения iOS
    #[arg(long, env = "LK_APNS_TOPIC")]
    apns_topic: Option<String>,
    /// Адрес API APNs
    #[arg(long, env = "LK_APNS_URL", default_value = "https://api.push.apple.com")]
    apns_url: String,
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The configuration the arguments ask for, or what is wrong with them.
fn config(args: &Args) -> Result<Config, String> {
    let email = match &args.smtp_url {
        Some(url) => EmailProvider::smtp(url, &args.mail_from)?,
        None => EmailProvider::Outbox,
    };
    let sms = match &args.sms_url {
        Some(url) => SmsProvider::Http {
            client: reqwest::Client::new(),
            url: url.clone(),
            token: args.sms_token.clone(),
        },
        None => SmsProvider::Outbox,
    };
    let acquirer = match (&args.yookassa_shop_id, &args.yookassa_secret_key) {
        (Some(shop_id), Some(secret_key)) => AcquirerConfig::YooKassa {
            api_url: args.yookassa_url.clone(),
            shop_id: shop_id.clone(),
            secret_key: secret_key.clone(),
        },
        _ => AcquirerConfig::Sandbox { secret: args.sandbox_secret.clone() },
    };
    let fcm = match &args.fcm_service_account {
        Some(path) => {
            Some(FcmProvider::new(FcmConfig::from_service_account(&read(path)?, &args.fcm_url)?)?)
        }
        None => None,
    };
    let apns = match &args.apns_key {
        Some(path) => Some(ApnsProvider::new(ApnsConfig {
            team_id: args.apns_team_id.clone().unwrap_or_default(),
            key_id: args.apns_key_id.clone().unwrap_or_default(),
            private_key_pem: read(path)?,
            topic: args.apns_topic.clone().unwrap_or_default(),
            api_url: args.apns_url.trim_end_matches('/').to_owned(),
        })?),
        None => None,
    };
    Ok(Config {
        addr: args.addr,
        storage: if args.in_memory {
            Storage::InMemory
        } else {
            Storage::Directory(args.data_dir.clone())
        },
        demo: args.demo,
        public_url: args.public_url.clone(),
        trusted_proxies: args.trusted_proxies.clone(),
        providers: Providers { email, sms },
        acquirer,
        push: PushProviders { fcm, apns },
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let args = Args::parse();
    if let Err(e) = lk_server::check_demo_address(args.addr, args.demo, args.demo_on_public_address)
    {
        eprintln!("lk-server: {e}");
        return std::process::ExitCode::from(2);
    }
    let config = match config(&args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("lk-server: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    let clock: Arc<dyn lk_server::clock::Clock> = match args.start_at {
        Some(start) => Arc::new(lk_server::clock::ShiftedClock::starting_at(start)),
        None => Arc::new(lk_server::clock::SystemClock),
    };
    let running = match lk_server::start(config, clock, shutdown).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lk-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let base = format!("http://{}", running.addr);
    println!(
        "ЛК ЭК «Восток» работает на {base}  (API: {base}/api/v1, описание OpenAPI: {base}/api/v1/openapi.json)"
    );
    if args.yookassa_shop_id.is_none() {
        println!(
            "Оплата картой: тестовый эквайринг на {base}/sandbox-acquirer (тестовая карта 4111 1111 1111 1111, код 3-D Secure 123456)"
        );
    }
    if args.demo {
        println!("Демо-логины:");
        for (login, password, note) in DEMO_LOGINS {
            println!("  {login} / {password}   — {note}");
        }
        println!("Сотрудники поставщика (обходы контролёров):");
        for (login, password, _, note) in STAFF_LOGINS {
            println!("  {login} / {password}   — {note}");
        }
        println!("Отправленные SMS и письма (коды, ссылки): {base}/api/v1/demo/outbox");
        println!(
            "Счета, свободные для регистрации, с суммой-доказательством: {base}/api/v1/demo/accounts"
        );
        println!("Пуш-уведомления устройствам: {base}/api/v1/demo/pushes");
        println!(
            "Дальше, в другом терминале: cargo run -q -p lk-cli -- login --login demo   (затем: lk charges, lk pay, lk meters)"
        );
        println!(
            "Демо-режим: каждый отправленный код и ссылка видны на /api/v1/demo/outbox. Никогда не включайте --demo для настоящих жителей."
        );
    }
    match running.wait().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lk-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
