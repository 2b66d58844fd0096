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
mod error;
mod idempotency;
mod identity;
mod json;
pub mod notifier;
mod payments;
mod pdfs;
mod photos;
mod profile;
pub mod push;
mod readings;
mod records;
mod reports;
mod sandbox_acquirer;
mod security;
mod state;
mod worker;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::routing::{delete, get, post, put};
use lk_core::api::Health;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

use crate::acquirer::{Acquirer, SandboxClient, YooKassaClient};
use crate::clock::Clock;
use crate::db::Db;
use crate::notifier::Providers;
use crate::push::PushProviders;
use crate::security::RateLimiter;
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
    info(title = "ЛК АО «ЭК «Восток»", description = "The LK service API: identity, profile and settings (R1–R5, R16–R20), accounts and documents (R6–R8), payments (R9, R23), readings (R10–R12), reports (R13–R15), devices (R22)."),
    paths(
        health,
        identity::cities, identity::new_captcha, identity::start_registration, identity::get_registration,
        identity::change_registration_details, identity::bind_account, identity::confirm_account,
        identity::resend_registration_code, identity::registration_code, identity::sign_in,
        identity::refresh, identity::sign_out, identity::start_recovery, identity::recovery_code,
        identity::recovery_password,
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
        push::register_device, push::remove_device, demo_api::pushes, demo_api::announce_document,
        demo_api::outbox, demo_api::captcha_answer, demo_api::free_accounts,
    ),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

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

/// The OpenAPI document of the service, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[utoipa::path(get, path = "/api/v1/health", tag = "service", responses((status = 200, body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

fn router(state: AppState, sandbox: Option<sandbox_acquirer::Sandbox>) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(|| async { Json(openapi()) }))
        .route("/cities", get(identity::cities))
        .route("/captcha", post(identity::new_captcha))
        .route("/registrations", post(identity::start_registration))
        .route("/registrations/{id}", get(identity::get_registration))
        .route("/registrations/{id}/details", put(identity::change_registration_details))
        .route("/registrations/{id}/account", put(identity::bind_account))
        .route("/registrations/{id}/account/confirm", post(identity::confirm_account))
        .route("/registrations/{id}/code", post(identity::registration_code))
        .route("/registrations/{id}/code/resend", post(identity::resend_registration_code))
        .route("/registrations/{id}/link/{secret}", get(identity::registration_link))
        .route("/sessions", post(identity::sign_in))
        .route("/sessions/refresh", post(identity::refresh))
        .route("/sessions/current", delete(identity::sign_out))
        .route("/recoveries", post(identity::start_recovery))
        .route("/recoveries/{id}/code", post(identity::recovery_code))
        .route("/recoveries/{id}/password", post(identity::recovery_password))
        .route("/profile", get(profile::get_profile))
        .route("/profile/password", put(profile::change_password))
        .route("/profile/phone", post(profile::change_phone))
        .route("/profile/phone/{id}/code", post(profile::confirm_phone))
        .route("/profile/email", post(profile::change_email))
        .route("/profile/email/{id}/link/{secret}", get(profile::confirm_email_link))
        .route("/profile/notifications", put(profile::set_notifications))
        .route("/profile/accounts", post(profile::link_account))
        .route("/profile/accounts/{number}", delete(profile::unlink_account))
        .route("/accounts/{number}/paper-refusal-form", get(profile::paper_refusal_form))
        .route("/accounts", get(accounts::list_accounts))
        .route("/accounts/{number}", get(accounts::account_details))
        .route("/accounts/{number}/documents", get(accounts::list_documents))
        .route("/accounts/{number}/documents/{period}", get(accounts::get_document))
        .route("/accounts/{number}/documents/{period}/email", post(accounts::email_document))
        .route("/accounts/{number}/meters", get(readings::list_meters))
        .route("/accounts/{number}/meters/{meter_id}/readings/check", post(readings::check_reading))
        .route("/accounts/{number}/meters/{meter_id}/readings", post(readings::submit_reading))
        .route("/accounts/{number}/reports/payments", get(reports::payment_history))
        .route("/accounts/{number}/reports/charges", get(reports::charge_history))
        .route("/accounts/{number}/reports/readings", get(reports::readings_report))
        .route("/accounts/{number}/documents/{period}/pdf", get(pdfs::document_pdf))
        .route("/accounts/{number}/reports/payments/pdf", get(pdfs::payments_pdf))
        .route("/accounts/{number}/reports/charges/pdf", get(pdfs::charges_pdf))
        .route("/accounts/{number}/reports/readings/pdf", get(pdfs::readings_pdf))
        .route("/accounts/{number}/paper-refusal-form/pdf", get(pdfs::paper_refusal_pdf))
        .route("/payments/{id}/receipt/pdf", get(pdfs::receipt_pdf))
        .route("/payments", post(payments::create_payment))
        .route("/payments/{id}", get(payments::get_payment))
        .route("/payments/notifications/{acquirer}", post(payments::notification))
        .route("/devices", post(push::register_device))
        .route("/devices/{token}", delete(push::remove_device));
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
        .route("/photos/{key}", put(photos::upload))
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
        .layer(axum::middleware::map_response_with_state(clock, crate::clock::stamp_date))
        .layer(TraceLayer::new_for_http())
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
