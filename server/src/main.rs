//! `lk-server`: runs the LK service. With no arguments: 127.0.0.1:8080, data in `./lk-data`,
//! demo data and demo endpoints on, messages kept in the outbox.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use lk_server::demo::DEMO_LOGINS;
use lk_server::notifier::{EmailProvider, Providers, SmsProvider};
use lk_server::{Config, Storage};

#[derive(Parser)]
#[command(
    name = "lk-server",
    version,
    about = "Сервис личного кабинета АО «ЭК «Восток» / the LK service"
)]
struct Args {
    /// Address to listen on / адрес
    #[arg(long, env = "LK_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Directory of the SQLite database / каталог данных
    #[arg(long, env = "LK_DATA_DIR", default_value = "lk-data")]
    data_dir: PathBuf,
    /// A fresh in-memory database, gone when the process ends
    #[arg(long, env = "LK_IN_MEMORY")]
    in_memory: bool,
    /// Start without demo data and without the demo endpoints
    #[arg(long, env = "LK_NO_DEMO")]
    no_demo: bool,
    /// Public base URL for links in e-mails (default: http://ADDR)
    #[arg(long, env = "LK_PUBLIC_URL")]
    public_url: Option<String>,
    /// Send e-mail through SMTP, e.g. smtps://user:pass@host:465 (default: keep in the outbox)
    #[arg(long, env = "LK_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of e-mails
    #[arg(long, env = "LK_MAIL_FROM", default_value = "ЛК ЭК «Восток» <lk@vostok.example>")]
    mail_from: String,
    /// Send SMS through this HTTP gateway (JSON POST {"to","text"}; default: keep in the outbox)
    #[arg(long, env = "LK_SMS_URL")]
    sms_url: Option<String>,
    /// Bearer token of the SMS gateway
    #[arg(long, env = "LK_SMS_TOKEN", default_value = "")]
    sms_token: String,
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
    let email = match &args.smtp_url {
        Some(url) => match EmailProvider::smtp(url, &args.mail_from) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("lk-server: {e}");
                return std::process::ExitCode::from(2);
            }
        },
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
    let config = Config {
        addr: args.addr,
        storage: if args.in_memory {
            Storage::InMemory
        } else {
            Storage::Directory(args.data_dir.clone())
        },
        demo: !args.no_demo,
        public_url: args.public_url.clone(),
        providers: Providers { email, sms },
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    let running =
        match lk_server::start(config, Arc::new(lk_server::clock::SystemClock), shutdown).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("lk-server: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
    let base = format!("http://{}", running.addr);
    println!(
        "ЛК ЭК «Восток» listening on {base}  (API: {base}/api/v1, OpenAPI: {base}/api/v1/openapi.json)"
    );
    if !args.no_demo {
        println!("Demo logins:");
        for (login, password, note) in DEMO_LOGINS {
            println!("  {login} / {password}   — {note}");
        }
        println!("Sent SMS and e-mails (codes, links): {base}/api/v1/demo/outbox");
        println!("Accounts free to register, with the proof amount: {base}/api/v1/demo/accounts");
    }
    match running.wait().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lk-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
