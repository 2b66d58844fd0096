//! `lk-server`: the LK service of АО «ЭК «Восток» that the apps and the terminal client talk to.
//! The arithmetic and the rules come from `lk-core`; this crate stores, authenticates, sends
//! messages and answers HTTP.

mod accounts;
pub mod acquirer;
pub mod clock;
mod codes;
pub mod db;
pub mod demo;
mod demo_api;
pub mod demo_rounds;
mod error;
mod idempotency;
mod identity;
mod json;
mod limits;
pub mod notifier;
mod payments;
mod pdfs;
mod photos;
mod profile;
pub mod push;
mod readings;
mod records;
mod reports;
mod rounds;
mod sandbox_acquirer;
mod security;
mod state;
mod worker;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::{delete, get, post, put};
use lk_core::api::{Health, Route};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

use crate::acquirer::{Acquirer, SandboxClient, YooKassaClient};
use crate::clock::Clock;
use crate::db::Db;
use crate::limits::RateLimiter;
use crate::notifier::Providers;
use crate::push::PushProviders;
use crate::state::AppState;

pub use crate::error::AppError;

/// The LK's shop id at the sandbox acquirer.
pub const SANDBOX_SHOP: &str = "lk-vostok";

pub enum Storage {
    /// A SQLite file `lk.sqlite3` in this directory, created if missing.
    Directory(PathBuf),
    /// A fresh database that lives as long as the process.
    InMemory,
}

pub struct Config {
    pub addr: SocketAddr,
    pub storage: Storage,
    /// Seed the demo data on first start and serve the demo endpoints.
    pub demo: bool,
    /// The address people reach this service at, for links in e-mails.
    pub public_url: Option<String>,
    /// Proxies in front of the service whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub providers: Providers,
    pub acquirer: AcquirerConfig,
    pub push: PushProviders,
}

/// Which acquirer takes the card payments.
pub enum AcquirerConfig {
    /// The sandbox served by this binary; its secret is made on first start unless given.
    Sandbox {
        secret: Option<String>,
    },
    YooKassa {
        api_url: String,
        shop_id: String,
        secret_key: String,
    },
}

#[derive(OpenApi)]
#[openapi(
    info(title = "ЛК АО «ЭК «Восток»", description = "The LK service API: identity, profile and settings (R1–R5, R16–R20), accounts and documents (R6–R8), payments (R9, R23), readings (R10–R12), reports (R13–R15), devices (R22), meter readers' rounds (R24)."),
    paths(
        health,
        identity::cities, identity::captcha::new_captcha, identity::registration::start_registration, identity::registration::get_registration,
        identity::registration::change_registration_details, identity::registration::bind_account, identity::registration::confirm_account,
        identity::registration::resend_registration_code, identity::registration::registration_code, identity::sessions::sign_in,
        identity::sessions::refresh, identity::sessions::sign_out, identity::recovery::start_recovery, identity::recovery::recovery_code,
        identity::recovery::recovery_password,
        profile::get_profile, profile::change_password, profile::change_phone, profile::change_email,
        profile::confirm_phone, profile::set_notifications, profile::link_account,
        profile::unlink_account, profile::paper_refusal_form,
        accounts::list_accounts, accounts::account_details, accounts::list_documents,
        accounts::get_document, accounts::email_document,
        readings::list_meters, readings::check_reading, readings::submit_reading,
        reports::payment_history, reports::charge_history, reports::readings_report,
        payments::create_payment, payments::get_payment, payments::notification, photos::upload,
        pdfs::document_pdf, pdfs::payments_pdf, pdfs::charges_pdf, pdfs::readings_pdf,
        pdfs::receipt_pdf, pdfs::paper_refusal_pdf,
        push::register_device, push::remove_device,
        rounds::list_rounds, rounds::get_round, rounds::post_captures, rounds::results_csv,
        rounds::sheet_pdf, rounds::flagged_captures, rounds::resolve_capture, rounds::add_stop,
        rounds::cancel_stop,
    ),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

/// The demo endpoints, listed only by a service that serves them.
#[derive(OpenApi)]
#[openapi(paths(
    demo_api::pushes,
    demo_api::announce_document,
    demo_api::outbox,
    demo_api::captcha_answer,
    demo_api::free_accounts,
))]
struct DemoApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every operation may refuse with an `ApiError`: each lists 401 where it needs a session, 429
/// (every limit, the hashing queue) and 413, and `default` for any other refusal it does not
/// name itself.
struct ErrorAnswers;

impl utoipa::Modify for ErrorAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                let answers = &mut operation.responses.responses;
                let mut add = |code: &str, description: &str| {
                    answers.entry(code.to_owned()).or_insert_with(|| error(description).into());
                };
                if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    add("401", "Нет входа или он истёк: войдите заново");
                }
                add("413", "Тело запроса слишком велико");
                add("429", "Слишком много попыток: повторите через Retry-After секунд");
                add("default", "Отказ: код, текст по-русски и поле с ошибкой");
            }
        }
    }
}

/// The OpenAPI document of the service, as served at `/api/v1/openapi.json`: with the demo
/// endpoints only when they are served.
pub fn openapi(demo: bool) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    if demo {
        doc.merge(DemoApiDoc::openapi());
    }
    utoipa::Modify::modify(&ErrorAnswers, &mut doc);
    doc
}

#[utoipa::path(get, path = "/api/v1/health", tag = "service", responses((status = 200, body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

fn router(state: AppState, sandbox: Option<sandbox_acquirer::Sandbox>) -> Router {
    let api = Router::new()
        .route(Route::HEALTH.template, get(health))
        .route(
            "/openapi.json",
            get(|State(state): State<AppState>| async move { Json(openapi(state.demo)) }),
        )
        .route(Route::CITIES.template, get(identity::cities))
        .route(Route::CAPTCHA.template, post(identity::captcha::new_captcha))
        .route(Route::REGISTRATIONS.template, post(identity::registration::start_registration))
        .route(Route::REGISTRATION.template, get(identity::registration::get_registration))
        .route(
            Route::REGISTRATION_DETAILS.template,
            put(identity::registration::change_registration_details),
        )
        .route(Route::REGISTRATION_ACCOUNT.template, put(identity::registration::bind_account))
        .route(
            Route::REGISTRATION_ACCOUNT_CONFIRM.template,
            post(identity::registration::confirm_account),
        )
        .route(Route::REGISTRATION_CODE.template, post(identity::registration::registration_code))
        .route(
            Route::REGISTRATION_CODE_RESEND.template,
            post(identity::registration::resend_registration_code),
        )
        .route(Route::REGISTRATION_LINK.template, get(identity::registration::registration_link))
        .route(Route::SESSIONS.template, post(identity::sessions::sign_in))
        .route(Route::SESSION_REFRESH.template, post(identity::sessions::refresh))
        .route(Route::SESSION_CURRENT.template, delete(identity::sessions::sign_out))
        .route(Route::RECOVERIES.template, post(identity::recovery::start_recovery))
        .route(Route::RECOVERY_CODE.template, post(identity::recovery::recovery_code))
        .route(Route::RECOVERY_PASSWORD.template, post(identity::recovery::recovery_password))
        .route(Route::PROFILE.template, get(profile::get_profile))
        .route(Route::PROFILE_PASSWORD.template, put(profile::change_password))
        .route(Route::PROFILE_PHONE.template, post(profile::change_phone))
        .route(Route::PROFILE_PHONE_CODE.template, post(profile::confirm_phone))
        .route(Route::PROFILE_EMAIL.template, post(profile::change_email))
        .route(Route::PROFILE_EMAIL_LINK.template, get(profile::confirm_email_link))
        .route(Route::PROFILE_NOTIFICATIONS.template, put(profile::set_notifications))
        .route(Route::PROFILE_ACCOUNTS.template, post(profile::link_account))
        .route(Route::PROFILE_ACCOUNT.template, delete(profile::unlink_account))
        .route(Route::PAPER_REFUSAL_FORM.template, get(profile::paper_refusal_form))
        .route(Route::ACCOUNTS.template, get(accounts::list_accounts))
        .route(Route::ACCOUNT.template, get(accounts::account_details))
        .route(Route::DOCUMENTS.template, get(accounts::list_documents))
        .route(Route::DOCUMENT.template, get(accounts::get_document))
        .route(Route::DOCUMENT_EMAIL.template, post(accounts::email_document))
        .route(Route::METERS.template, get(readings::list_meters))
        .route(Route::READING_CHECK.template, post(readings::check_reading))
        .route(Route::READINGS.template, post(readings::submit_reading))
        .route(Route::REPORT_PAYMENTS.template, get(reports::payment_history))
        .route(Route::REPORT_CHARGES.template, get(reports::charge_history))
        .route(Route::REPORT_READINGS.template, get(reports::readings_report))
        .route(Route::DOCUMENT_PDF.template, get(pdfs::document_pdf))
        .route(Route::REPORT_PAYMENTS_PDF.template, get(pdfs::payments_pdf))
        .route(Route::REPORT_CHARGES_PDF.template, get(pdfs::charges_pdf))
        .route(Route::REPORT_READINGS_PDF.template, get(pdfs::readings_pdf))
        .route(Route::PAPER_REFUSAL_PDF.template, get(pdfs::paper_refusal_pdf))
        .route(Route::RECEIPT_PDF.template, get(pdfs::receipt_pdf))
        .route(Route::PAYMENTS.template, post(payments::create_payment))
        .route(Route::PAYMENT.template, get(payments::get_payment))
        .route(Route::PAYMENT_NOTIFICATIONS.template, post(payments::notification))
        .route(Route::DEVICES.template, post(push::register_device))
        .route(Route::DEVICE.template, delete(push::remove_device))
        .route(Route::ROUNDS.template, get(rounds::list_rounds))
        .route(Route::ROUND.template, get(rounds::get_round))
        .route(Route::ROUND_CAPTURES.template, post(rounds::post_captures))
        .route(Route::ROUND_RESULTS_CSV.template, get(rounds::results_csv))
        .route(Route::ROUND_SHEET_PDF.template, get(rounds::sheet_pdf))
        .route(Route::OFFICE_CAPTURES.template, get(rounds::flagged_captures))
        .route(Route::OFFICE_CAPTURE_RESOLUTION.template, post(rounds::resolve_capture))
        .route(Route::OFFICE_ROUND_STOPS.template, post(rounds::add_stop))
        .route(Route::OFFICE_ROUND_STOP_CANCELLATION.template, post(rounds::cancel_stop));
    let api = if state.demo {
        api.route("/demo/outbox", get(demo_api::outbox))
            .route("/demo/captcha/{id}", get(demo_api::captcha_answer))
            .route("/demo/accounts", get(demo_api::free_accounts))
            .route("/demo/pushes", get(demo_api::pushes))
            .route("/demo/accounts/{number}/new-document", post(demo_api::announce_document))
    } else {
        api
    };
    // Bodies are small JSON everywhere but for photos of dials.
    let photos = Router::new()
        .route(Route::PHOTO.template, put(photos::upload))
        .layer(axum::extract::DefaultBodyLimit::max(photos::MAX_BYTES))
        .layer(RequestBodyLimitLayer::new(photos::MAX_BYTES));
    let api = api.layer(RequestBodyLimitLayer::new(64 * 1024)).merge(photos);
    let clock = state.clock.clone();
    let app = Router::new().nest("/api/v1", api.with_state(state));
    let app = match sandbox {
        Some(sandbox) => app.nest(
            "/sandbox-acquirer",
            sandbox_acquirer::router(sandbox).layer(RequestBodyLimitLayer::new(64 * 1024)),
        ),
        None => app,
    };
    app.fallback(|| async { AppError::not_found("Нет такого адреса API") })
        .layer(axum::middleware::from_fn(error::json_refusals))
        .layer(axum::middleware::map_response_with_state(clock, crate::clock::stamp_date))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
            tracing::debug_span!("request", method = %request.method(), path = %logged_path(request.uri()))
        }))
}

/// The path as logs may show it: link secrets (`…/link/{secret}`) blanked, no query string.
fn logged_path(uri: &axum::http::Uri) -> String {
    let mut secret_next = false;
    let segments: Vec<&str> = uri
        .path()
        .split('/')
        .map(|segment| {
            let shown = if secret_next { "***" } else { segment };
            secret_next = segment == "link";
            shown
        })
        .collect();
    segments.join("/")
}

/// A started service; dropping it (or calling [`Running::stop`]) shuts it down gracefully.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.map_err(std::io::Error::other)?
    }

    /// Waits until the service ends (after a shutdown signal).
    pub async fn wait(mut self) -> std::io::Result<()> {
        (&mut self.task).await.map_err(std::io::Error::other)?
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("база данных: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("демо-данные: {0}")]
    Seed(String),
    #[error("адрес {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(
        "демо-режим публикует все коды и ссылки, а адрес {0} доступен не только с этого компьютера; \
         запустите на 127.0.0.1 или добавьте --demo-on-public-address, если это действительно нужно"
    )]
    DemoOnPublicAddress(SocketAddr),
}

/// Demo mode publishes every code and link the service sends: on an address other people can
/// reach that hands any resident's login to a stranger, so it must be asked for twice there.
pub fn check_demo_address(
    addr: SocketAddr,
    demo: bool,
    on_public_address: bool,
) -> Result<(), StartError> {
    if demo && !addr.ip().is_loopback() && !on_public_address {
        return Err(StartError::DemoOnPublicAddress(addr));
    }
    Ok(())
}

/// Opens the database, seeds it if asked and empty, and serves until stopped or until
/// `shutdown` resolves.
pub async fn start(
    config: Config,
    clock: Arc<dyn Clock>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<Running, StartError> {
    let db = match &config.storage {
        Storage::Directory(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| StartError::Seed(format!("{}: {e}", dir.display())))?;
            Db::open(&dir.join("lk.sqlite3"))?
        }
        Storage::InMemory => Db::in_memory()?,
    };
    if config.demo {
        let today = lk_core::region::Region::Kurgan.local_date(clock.now());
        let started = std::time::Instant::now();
        let seeded = db
            .transaction(move |tx| {
                if demo::is_seeded(tx)? {
                    return Ok(false);
                }
                demo::seed(tx, today)?;
                Ok(true)
            })
            .await
            .map_err(|e| StartError::Seed(e.body.message))?;
        if seeded {
            tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "demo data written");
        }
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Bind { addr: config.addr, source })?;
    let addr =
        listener.local_addr().map_err(|source| StartError::Bind { addr: config.addr, source })?;
    let notifier = notifier::start(db.clone(), clock.clone(), config.providers);
    let pusher = push::start(db.clone(), clock.clone(), config.push);
    let own_url = format!("http://{addr}");
    let public_url = config.public_url.unwrap_or_else(|| own_url.clone());
    let (acquirer, sandbox): (Arc<dyn Acquirer>, _) = match config.acquirer {
        AcquirerConfig::Sandbox { secret } => {
            let secret = match secret {
                Some(secret) => secret,
                None => db
                    .call(|conn| Ok(security::stored_secret(conn, "sandbox_acquirer")?))
                    .await
                    .map_err(|e| StartError::Seed(e.body.message))?,
            };
            let sandbox = sandbox_acquirer::Sandbox {
                db: db.clone(),
                clock: clock.clone(),
                shop_id: SANDBOX_SHOP.into(),
                secret: secret.clone(),
                public_url: format!("{public_url}/sandbox-acquirer"),
                http: acquirer::http_client(),
            };
            let client = SandboxClient {
                api_url: format!("{own_url}/sandbox-acquirer/api/v1"),
                shop_id: SANDBOX_SHOP.into(),
                secret,
                http: acquirer::http_client(),
            };
            (Arc::new(client), Some(sandbox))
        }
        AcquirerConfig::YooKassa { api_url, shop_id, secret_key } => {
            let client = YooKassaClient {
                api_url: api_url.trim_end_matches('/').to_owned(),
                shop_id,
                secret_key,
                http: acquirer::http_client(),
            };
            (Arc::new(client), None)
        }
    };
    let state = AppState {
        db,
        clock,
        limiter: Arc::new(RateLimiter::default()),
        notifier,
        pusher,
        acquirer,
        public_url,
        demo: config.demo,
        trusted_proxies: config.trusted_proxies.into(),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let app = router(state, sandbox).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                tokio::select! {
                    _ = stopped => {}
                    () = shutdown => {}
                }
            })
            .await
    });
    Ok(Running { addr, stop: Some(stop), task })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_paths_hide_link_secrets_and_queries() {
        let uri: axum::http::Uri = "/api/v1/registrations/abc/link/s3cr3t?x=1".parse().unwrap();
        assert_eq!(logged_path(&uri), "/api/v1/registrations/abc/link/***");
        let uri: axum::http::Uri = "/api/v1/accounts?token=t".parse().unwrap();
        assert_eq!(logged_path(&uri), "/api/v1/accounts");
    }

    #[test]
    fn demo_mode_on_an_address_others_reach_must_be_asked_for_twice() {
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let loopback: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert!(check_demo_address(loopback, true, false).is_ok());
        assert!(check_demo_address(public, false, false).is_ok());
        assert!(matches!(
            check_demo_address(public, true, false),
            Err(StartError::DemoOnPublicAddress(_))
        ));
        assert!(check_demo_address(public, true, true).is_ok());
    }

    #[test]
    fn every_operation_lists_its_error_answers() {
        let doc = openapi(true);
        for (path, item) in &doc.paths.paths {
            let operations = [&item.get, &item.put, &item.post, &item.delete];
            for operation in operations.into_iter().flatten() {
                let answers = &operation.responses.responses;
                assert!(answers.contains_key("default"), "{path}");
                assert!(answers.contains_key("429"), "{path}");
                if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    assert!(answers.contains_key("401"), "{path}");
                }
            }
        }
    }

    #[test]
    fn the_openapi_document_lists_demo_paths_only_in_demo_mode() {
        let paths = |demo| openapi(demo).paths.paths.keys().cloned().collect::<Vec<_>>();
        assert!(paths(true).iter().any(|p| p.starts_with("/api/v1/demo/")));
        assert!(!paths(false).iter().any(|p| p.contains("/demo/")));
    }
}
