//! Who you are: CAPTCHA, registration with account binding (R2–R4), sign-in and sessions (R1),
//! password recovery (R5).

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use lk_core::Money;
use lk_core::api::{
    AccountPreview, BindAccountRequest, CaptchaAnswer, CaptchaChallenge, Channel, CodeRequest,
    NewPasswordRequest, RecoveryLogins, RecoveryRequest, RecoveryStarted, RefreshRequest,
    RegionCities, RegistrationDetails, RegistrationRequest, RegistrationState, RegistrationStatus,
    SignInRequest, Tokens,
};
use lk_core::contact::{Email, Phone};
use lk_core::credentials::{self, CredentialsError};
use lk_core::region::Region;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::codes::{self, Presented};
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::notifier::{self, Message};
use crate::records;
use crate::security;
use crate::state::{AppState, CurrentUser};

pub const CONSENT_TEXT_VERSION: &str = "2026-01";
const CAPTCHA_LIFETIME: Duration = Duration::minutes(5);
const ACCESS_LIFETIME: Duration = Duration::minutes(15);
const REFRESH_LIFETIME: Duration = Duration::days(30);
const LOGIN_FAILURES_BEFORE_LOCK: i64 = 5;
const LOGIN_LOCK: Duration = Duration::minutes(15);
const BIND_ATTEMPTS: i64 = 10;

fn limit(state: &AppState, action: &str, key: &str, limit: u32, window: Duration) -> AppResult<()> {
    state.limiter.hit(&format!("{action}:{key}"), limit, window, state.clock.now()).map_err(
        |wait| {
            AppError::too_many("too_many_requests", "Слишком много попыток. Повторите позже", wait)
        },
    )
}

impl From<CredentialsError> for AppError {
    fn from(e: CredentialsError) -> AppError {
        AppError::invalid("invalid_credentials_format", e.to_string(), e.field())
    }
}

/// A phone or e-mail checked against its channel, in its stored form.
pub fn normalise_contact(channel: Channel, contact: &str, field: &str) -> AppResult<String> {
    match channel {
        Channel::Phone => contact.parse::<Phone>().map(|p| p.to_string()),
        Channel::Email => contact.parse::<Email>().map(|e| e.to_string()),
    }
    .map_err(|e| AppError::invalid("invalid_contact", e.to_string(), field))
}

pub fn mask_contact(channel: Channel, contact: &str) -> String {
    match channel {
        Channel::Phone => contact.parse::<Phone>().map(|p| p.masked()),
        Channel::Email => contact.parse::<Email>().map(|e| e.masked()),
    }
    .unwrap_or_default()
}

#[utoipa::path(get, path = "/api/v1/cities", tag = "identity",
    responses((status = 200, description = "Cities of the registration form, by region (R2)", body = [RegionCities])))]
pub async fn cities() -> Json<Vec<RegionCities>> {
    Json(
        Region::ALL
            .into_iter()
            .map(|region| RegionCities {
                region,
                name: region.name_ru().to_owned(),
                cities: region.cities().iter().map(|c| (*c).to_owned()).collect(),
            })
            .collect(),
    )
}

#[utoipa::path(post, path = "/api/v1/captcha", tag = "identity",
    responses((status = 201, body = CaptchaChallenge), (status = 429, body = lk_core::api::ApiError)))]
pub async fn new_captcha(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> AppResult<(StatusCode, Json<CaptchaChallenge>)> {
    limit(&state, "captcha", &peer.ip().to_string(), 30, Duration::minutes(1))?;
    let (answer, png) = tokio::task::spawn_blocking(|| {
        let mut captcha = captcha::Captcha::new();
        captcha
            .set_chars(&['2', '3', '4', '5', '6', '7', '8', '9'])
            .add_chars(5)
            .apply_filter(captcha::filters::Noise::new(0.2))
            .apply_filter(captcha::filters::Wave::new(2.0, 18.0))
            .view(220, 110)
            .apply_filter(captcha::filters::Dots::new(8));
        (captcha.chars_as_string(), captcha.as_png())
    })
    .await
    .map_err(AppError::internal)?;
    let png = png.ok_or_else(|| AppError::internal("CAPTCHA image not encoded"))?;
    let id = security::id();
    let expires_at = state.clock.now() + CAPTCHA_LIFETIME;
    let (row_id, now) = (id.clone(), state.clock.now());
    state
        .db
        .call(move |conn| {
            conn.execute("DELETE FROM captchas WHERE expires_at < ?1", [now.to_rfc3339()])?;
            conn.execute(
                "INSERT INTO captchas (id, answer, expires_at) VALUES (?1, ?2, ?3)",
                params![row_id, answer, expires_at.to_rfc3339()],
            )?;
            Ok(())
        })
        .await?;
    let png_base64 = base64::engine::general_purpose::STANDARD.encode(png);
    Ok((StatusCode::CREATED, Json(CaptchaChallenge { id, png_base64, expires_at })))
}

/// Uses up a CAPTCHA: right or wrong, it cannot be answered twice.
fn take_captcha(
    tx: &Transaction<'_>,
    given: &CaptchaAnswer,
    now: DateTime<Utc>,
) -> AppResult<AppResult<()>> {
    let row: Option<(String, String)> = tx
        .query_row("SELECT answer, expires_at FROM captchas WHERE id = ?1", [&given.id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    tx.execute("DELETE FROM captchas WHERE id = ?1", [&given.id])?;
    let wrong = || {
        AppError::invalid(
            "captcha_wrong",
            "Код с картинки введён неверно, попробуйте новый",
            "captcha",
        )
    };
    let Some((answer, expires_at)) = row else { return Ok(Err(wrong())) };
    if now > codes::parse_time(&expires_at)? {
        return Ok(Err(AppError::invalid(
            "captcha_expired",
            "Картинка устарела, обновите её",
            "captcha",
        )));
    }
    if answer != given.answer.trim() {
        return Ok(Err(wrong()));
    }
    Ok(Ok(()))
}

/// The registration form as kept between steps (the password only as its hash).
#[derive(Serialize, Deserialize, Clone)]
struct StoredDetails {
    login: String,
    channel: Channel,
    contact: String,
    city: String,
}

/// Checks the form (R2) and returns what to store.
fn check_details(details: &RegistrationDetails) -> AppResult<StoredDetails> {
    let login = details.login.trim().to_owned();
    credentials::check_login(&login)?;
    credentials::check_password(&login, &details.password)?;
    let contact = normalise_contact(details.channel, &details.contact, "contact")?;
    let city = Region::ALL
        .iter()
        .flat_map(|r| r.cities())
        .find(|c| c.to_lowercase() == details.city.trim().to_lowercase())
        .ok_or_else(|| AppError::invalid("unknown_city", "Выберите город из списка", "city"))?;
    Ok(StoredDetails { login, channel: details.channel, contact, city: (*city).to_owned() })
}

fn login_taken(tx: &Transaction<'_>, login: &str) -> AppResult<bool> {
    Ok(tx.query_row("SELECT EXISTS(SELECT 1 FROM users WHERE login = ?1)", [login], |r| r.get(0))?)
}

#[utoipa::path(post, path = "/api/v1/registrations", tag = "identity", request_body = RegistrationRequest,
    responses((status = 201, body = RegistrationState), (status = 400, body = lk_core::api::ApiError),
              (status = 409, body = lk_core::api::ApiError)))]
pub async fn start_registration(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(request): ApiJson<RegistrationRequest>,
) -> AppResult<(StatusCode, Json<RegistrationState>)> {
    limit(&state, "registration", &peer.ip().to_string(), 20, Duration::hours(1))?;
    let details = check_details(&request.details)?;
    if !request.consent.given {
        return Err(AppError::invalid(
            "consent_required",
            "Без согласия на обработку персональных данных регистрация невозможна",
            "consent",
        ));
    }
    let password_hash = security::hash_password(request.details.password.clone()).await?;
    let now = state.clock.now();
    let id = security::id();
    let row_id = id.clone();
    let stored = details.clone();
    state
        .db
        .transaction_recording(move |tx| {
            if login_taken(tx, &stored.login)? {
                return Ok(Err(AppError::conflict("login_taken", "Этот логин уже занят, выберите другой")
                    .field("login")));
            }
            if let Err(refusal) = take_captcha(tx, &request.captcha, now)? {
                return Ok(Err(refusal));
            }
            tx.execute(
                "INSERT INTO registrations (id, details_json, password_hash, consent_at, consent_version, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
                params![
                    row_id,
                    serde_json::to_string(&stored).map_err(AppError::internal)?,
                    password_hash,
                    now.to_rfc3339(),
                    request.consent.text_version
                ],
            )?;
            Ok(Ok(()))
        })
        .await?;
    let registration = load_registration(&state, id).await?;
    Ok((StatusCode::CREATED, Json(registration)))
}

struct Registration {
    details: StoredDetails,
    password_hash: String,
    account: Option<String>,
    account_confirmed: bool,
    bind_attempts: i64,
    code_id: Option<String>,
    completed: bool,
}

fn read_registration(tx: &Transaction<'_>, id: &str) -> AppResult<Registration> {
    let row = tx
        .query_row(
            "SELECT details_json, password_hash, account_number, account_confirmed, bind_attempts, code_id, completed_at
             FROM registrations WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| AppError::not_found("Регистрация не найдена, начните заново"))?;
    Ok(Registration {
        details: serde_json::from_str(&row.0).map_err(AppError::internal)?,
        password_hash: row.1,
        account: row.2,
        account_confirmed: row.3,
        bind_attempts: row.4,
        code_id: row.5,
        completed: row.6.is_some(),
    })
}

fn registration_state(tx: &Transaction<'_>, id: &str) -> AppResult<RegistrationState> {
    let r = read_registration(tx, id)?;
    let status = match (&r.account, r.account_confirmed, r.completed) {
        (_, _, true) => RegistrationStatus::Completed,
        (None, _, _) => RegistrationStatus::AwaitingAccount,
        (Some(_), false, _) => RegistrationStatus::AwaitingAccountConfirmation,
        (Some(_), true, _) => RegistrationStatus::AwaitingCode,
    };
    let account = r.account.as_deref().map(|n| account_preview(tx, n)).transpose()?;
    let resend_after = match (&r.code_id, status) {
        (Some(code), RegistrationStatus::AwaitingCode) => Some(codes::resend_after(tx, code)?),
        _ => None,
    };
    Ok(RegistrationState {
        id: id.to_owned(),
        status,
        login: r.details.login.clone(),
        channel: r.details.channel,
        contact_masked: mask_contact(r.details.channel, &r.details.contact),
        city: r.details.city,
        account,
        resend_after,
    })
}

fn account_preview(tx: &Transaction<'_>, number: &str) -> AppResult<AccountPreview> {
    let account = records::account(tx, number)?;
    Ok(AccountPreview {
        number: account.number,
        address: account.address,
        owner_masked: account.owner.masked(),
        region: account.region,
    })
}

async fn load_registration(state: &AppState, id: String) -> AppResult<RegistrationState> {
    state.db.transaction(move |tx| registration_state(tx, &id)).await
}

fn open_registration(tx: &Transaction<'_>, id: &str) -> AppResult<Registration> {
    let r = read_registration(tx, id)?;
    if r.completed {
        return Err(AppError::conflict(
            "registration_completed",
            "Регистрация уже завершена, войдите с логином и паролем",
        ));
    }
    Ok(r)
}

#[utoipa::path(get, path = "/api/v1/registrations/{id}", tag = "identity",
    params(("id" = String, Path)), responses((status = 200, body = RegistrationState)))]
pub async fn get_registration(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<RegistrationState>> {
    load_registration(&state, id).await.map(Json)
}

#[utoipa::path(put, path = "/api/v1/registrations/{id}/details", tag = "identity", request_body = RegistrationDetails,
    params(("id" = String, Path)), responses((status = 200, body = RegistrationState)))]
/// "Изменить параметры регистрации" (R3): new form data; a code already sent is void.
pub async fn change_registration_details(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(details): ApiJson<RegistrationDetails>,
) -> AppResult<Json<RegistrationState>> {
    let stored = check_details(&details)?;
    let password_hash = security::hash_password(details.password.clone()).await?;
    state
        .db
        .transaction(move |tx| {
            let current = open_registration(tx, &id)?;
            if !stored.login.eq_ignore_ascii_case(&current.details.login) && login_taken(tx, &stored.login)? {
                return Err(AppError::conflict("login_taken", "Этот логин уже занят, выберите другой").field("login"));
            }
            tx.execute(
                "UPDATE registrations SET details_json = ?2, password_hash = ?3, account_confirmed = 0, code_id = NULL
                 WHERE id = ?1",
                params![id, serde_json::to_string(&stored).map_err(AppError::internal)?, password_hash],
            )?;
            registration_state(tx, &id)
        })
        .await
        .map(Json)
}

#[utoipa::path(put, path = "/api/v1/registrations/{id}/account", tag = "identity", request_body = BindAccountRequest,
    params(("id" = String, Path)), responses((status = 200, body = RegistrationState), (status = 400, body = lk_core::api::ApiError)))]
/// Binding the account (R3), or changing the number ("Изменить номер лицевого счёта").
pub async fn bind_account(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<BindAccountRequest>,
) -> AppResult<Json<RegistrationState>> {
    let number = request
        .account_number
        .parse::<lk_core::account::AccountNumber>()
        .map_err(|e| AppError::invalid("invalid_account_number", e.to_string(), "account_number"))?
        .to_string();
    let proof = Money::parse(&request.latest_document_total)
        .map_err(|e| AppError::invalid("invalid_amount", e.to_string(), "latest_document_total"))?;
    state
        .db
        .transaction_recording(move |tx| {
            let registration = open_registration(tx, &id)?;
            if registration.bind_attempts >= BIND_ATTEMPTS {
                return Ok(Err(AppError::too_many(
                    "too_many_attempts",
                    "Слишком много попыток привязать счёт. Начните регистрацию заново",
                    3600,
                )));
            }
            tx.execute("UPDATE registrations SET bind_attempts = bind_attempts + 1 WHERE id = ?1", [&id])?;
            // An unknown number and a wrong amount get the same answer: no probing for accounts.
            let matches = records::latest_document(tx, &number)?
                .is_some_and(|doc| doc.totals.amount_due == proof);
            if !matches {
                return Ok(Err(AppError::invalid(
                    "account_not_matched",
                    "Лицевой счёт с такой суммой последнего платёжного документа не найден. \
                     Проверьте номер счёта и сумму «Итого к оплате»",
                    "account_number",
                )));
            }
            if records::account_owner_user(tx, &number)?.is_some() {
                return Ok(Err(AppError::conflict(
                    "account_already_registered",
                    "Этот лицевой счёт уже зарегистрирован. Войдите или восстановите пароль; \
                     чтобы добавить его в свой кабинет, используйте «Добавить лицевой счёт»",
                )
                .field("account_number")));
            }
            tx.execute(
                "UPDATE registrations SET account_number = ?2, account_confirmed = 0, code_id = NULL, bind_attempts = 0
                 WHERE id = ?1",
                params![id, number],
            )?;
            Ok(registration_state(tx, &id))
        })
        .await
        .map(Json)
}

fn confirmation_message(
    state: &AppState,
    details: &StoredDetails,
    id: &str,
    issued: &codes::Issued,
) -> Message {
    match details.channel {
        Channel::Phone => Message {
            channel: Channel::Phone,
            recipient: details.contact.clone(),
            subject: "Код регистрации".into(),
            body: format!(
                "Код для регистрации в личном кабинете ЭК «Восток»: {}. Никому его не сообщайте",
                issued.code
            ),
        },
        Channel::Email => Message {
            channel: Channel::Email,
            recipient: details.contact.clone(),
            subject: "Подтвердите регистрацию в личном кабинете ЭК «Восток»".into(),
            body: format!(
                "Здравствуйте!\n\nЧтобы завершить регистрацию в личном кабинете с логином {}, \
                 перейдите по ссылке (действует 10 минут):\n{}/api/v1/registrations/{id}/link/{}\n\n\
                 Если вы не регистрировались, просто удалите это письмо.",
                details.login, state.public_url, issued.link_secret
            ),
        },
    }
}

#[utoipa::path(post, path = "/api/v1/registrations/{id}/account/confirm", tag = "identity",
    params(("id" = String, Path)), responses((status = 200, body = RegistrationState)))]
/// "Данные верны, продолжить" (R3): sends the SMS code or the e-mail link (R4).
pub async fn confirm_account(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<RegistrationState>> {
    send_registration_code(state, id, false).await
}

#[utoipa::path(post, path = "/api/v1/registrations/{id}/code/resend", tag = "identity",
    params(("id" = String, Path)), responses((status = 200, body = RegistrationState), (status = 429, body = lk_core::api::ApiError)))]
pub async fn resend_registration_code(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<RegistrationState>> {
    send_registration_code(state, id, true).await
}

async fn send_registration_code(
    state: AppState,
    id: String,
    resend: bool,
) -> AppResult<Json<RegistrationState>> {
    let now = state.clock.now();
    let st = state.clone();
    let result = state
        .db
        .transaction(move |tx| {
            let r = open_registration(tx, &id)?;
            if r.account.is_none() {
                return Err(AppError::conflict(
                    "account_not_bound",
                    "Сначала привяжите лицевой счёт",
                ));
            }
            limit(&st, "code", &r.details.contact, 5, Duration::hours(1))?;
            let issued = match (&r.code_id, resend) {
                (Some(code_id), true) => codes::reissue(tx, code_id, now)?,
                (None, true) => {
                    return Err(AppError::conflict("no_code", "Код ещё не отправлялся"));
                }
                // Pressed twice: the first code stands; a new one only through resend.
                (Some(_), false) => return registration_state(tx, &id),
                (None, false) => codes::issue(tx, "registration", now)?,
            };
            tx.execute(
                "UPDATE registrations SET account_confirmed = 1, code_id = ?2 WHERE id = ?1",
                params![id, issued.id],
            )?;
            notifier::queue(tx, &confirmation_message(&st, &r.details, &id, &issued), now)?;
            registration_state(tx, &id)
        })
        .await?;
    state.notifier.wake();
    Ok(Json(result))
}

#[utoipa::path(post, path = "/api/v1/registrations/{id}/code", tag = "identity", request_body = CodeRequest,
    params(("id" = String, Path)), responses((status = 201, body = RegistrationState), (status = 400, body = lk_core::api::ApiError)))]
/// The SMS code finishes a registration by phone (R4).
pub async fn registration_code(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CodeRequest>,
) -> AppResult<(StatusCode, Json<RegistrationState>)> {
    let now = state.clock.now();
    let done = state
        .db
        .transaction_recording(move |tx| {
            let r = open_registration(tx, &id)?;
            let code_id = r
                .code_id
                .clone()
                .ok_or_else(|| AppError::conflict("no_code", "Код ещё не отправлялся"))?;
            if r.details.channel != Channel::Phone {
                return Err(AppError::invalid("use_link", "Перейдите по ссылке из письма", "code"));
            }
            if let Err(refusal) = codes::verify(tx, &code_id, Presented::Code(&request.code), now)?
            {
                return Ok(Err(refusal));
            }
            complete_registration(tx, &id, r, now)?;
            Ok(registration_state(tx, &id))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// The e-mail link finishes a registration by e-mail (R4); a person opens it in a browser.
pub async fn registration_link(
    State(state): State<AppState>,
    Path((id, secret)): Path<(String, String)>,
) -> (StatusCode, Html<String>) {
    let now = state.clock.now();
    let outcome = state
        .db
        .transaction_recording(move |tx| {
            let r = open_registration(tx, &id)?;
            let code_id = r
                .code_id
                .clone()
                .ok_or_else(|| AppError::conflict("no_code", "Ссылка недействительна"))?;
            if let Err(refusal) = codes::verify(tx, &code_id, Presented::Link(&secret), now)? {
                return Ok(Err(refusal));
            }
            complete_registration(tx, &id, r, now)?;
            Ok(registration_state(tx, &id))
        })
        .await;
    match outcome {
        Ok(done) => (
            StatusCode::OK,
            page(
                "Регистрация завершена",
                &format!("Логин {}. Вернитесь в приложение и войдите.", done.login),
            ),
        ),
        Err(e) => (e.status, page("Ссылка не сработала", &e.body.message)),
    }
}

pub fn page(title: &str, text: &str) -> Html<String> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    Html(format!(
        "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{0}</title><body style=\"font-family:sans-serif;max-width:32em;margin:3em auto\"><h1>{0}</h1><p>{1}</p>\
         <p>Личный кабинет АО «ЭК «Восток»</p></body></html>",
        escape(title),
        escape(text)
    ))
}

fn complete_registration(
    tx: &Transaction<'_>,
    id: &str,
    r: Registration,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let number = r
        .account
        .ok_or_else(|| AppError::conflict("account_not_bound", "Сначала привяжите лицевой счёт"))?;
    if login_taken(tx, &r.details.login)? {
        return Err(AppError::conflict(
            "login_taken",
            "Этот логин уже занят, измените параметры регистрации",
        )
        .field("login"));
    }
    if records::account_owner_user(tx, &number)?.is_some() {
        return Err(AppError::conflict(
            "account_already_registered",
            "Этот лицевой счёт уже зарегистрирован",
        ));
    }
    let region = Region::of_city(&r.details.city)
        .ok_or_else(|| AppError::internal("city without region"))?;
    let (consent_at, consent_version): (String, String) = tx.query_row(
        "SELECT consent_at, consent_version FROM registrations WHERE id = ?1",
        [id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (phone, email) = match r.details.channel {
        Channel::Phone => (Some(r.details.contact.clone()), None),
        Channel::Email => (None, Some(r.details.contact.clone())),
    };
    tx.execute(
        "INSERT INTO users (login, password_hash, phone, email, city, region, consent_at, consent_version, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            r.details.login,
            r.password_hash,
            phone,
            email,
            r.details.city,
            records::region_code(region),
            consent_at,
            consent_version,
            now.to_rfc3339()
        ],
    )?;
    let user_id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO user_accounts (user_id, account_number, own, linked_at) VALUES (?1, ?2, 1, ?3)",
        params![user_id, number, now.to_rfc3339()],
    )?;
    tx.execute(
        "UPDATE registrations SET completed_at = ?2 WHERE id = ?1",
        params![id, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Checks a login and password with lockout: five failures in a row lock the login for 15
/// minutes. Unknown logins cost the same time and get the same answer as wrong passwords.
pub async fn authenticate(state: &AppState, login: String, password: String) -> AppResult<i64> {
    let now = state.clock.now();
    let lookup = login.clone();
    let user: Option<(i64, String, Option<String>)> = state
        .db
        .call(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT id, password_hash, locked_until FROM users WHERE login = ?1",
                    [lookup],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?)
        })
        .await?;
    if let Some(until) =
        user.as_ref().and_then(|u| u.2.as_deref()).map(codes::parse_time).transpose()?
        && until > now
    {
        return Err(AppError::too_many(
            "login_locked",
            "Вход временно заблокирован после нескольких неверных паролей. Попробуйте позже или восстановите пароль",
            u64::try_from((until - now).num_seconds()).unwrap_or(1),
        ));
    }
    let hash = user.as_ref().map_or_else(|| security::DUMMY_HASH.to_owned(), |u| u.1.clone());
    let ok = security::verify_password(password, hash).await?;
    let invalid = || {
        AppError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "Неверный логин или пароль")
    };
    let Some((user_id, _, _)) = user else { return Err(invalid()) };
    state
        .db
        .call(move |conn| {
            if ok {
                conn.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1", [user_id])?;
                return Ok(Ok(user_id));
            }
            let failures: i64 = conn.query_row(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1 RETURNING failed_logins",
                [user_id],
                |r| r.get(0),
            )?;
            if failures >= LOGIN_FAILURES_BEFORE_LOCK {
                conn.execute(
                    "UPDATE users SET failed_logins = 0, locked_until = ?2 WHERE id = ?1",
                    params![user_id, (now + LOGIN_LOCK).to_rfc3339()],
                )?;
            }
            Ok(Err(invalid()))
        })
        .await?
}

fn new_tokens(
    tx: &Transaction<'_>,
    user_id: i64,
    session: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Tokens> {
    let tokens = Tokens {
        access_token: security::token(),
        refresh_token: security::token(),
        access_expires_at: now + ACCESS_LIFETIME,
        refresh_expires_at: now + REFRESH_LIFETIME,
    };
    let hashes = (security::digest(&tokens.access_token), security::digest(&tokens.refresh_token));
    let times = (tokens.access_expires_at.to_rfc3339(), tokens.refresh_expires_at.to_rfc3339());
    match session {
        None => tx.execute(
            "INSERT INTO sessions (user_id, access_hash, refresh_hash, access_expires_at, refresh_expires_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![user_id, hashes.0, hashes.1, times.0, times.1, now.to_rfc3339()],
        )?,
        Some(id) => tx.execute(
            "UPDATE sessions SET access_hash = ?2, refresh_hash = ?3, access_expires_at = ?4, refresh_expires_at = ?5
             WHERE id = ?1",
            params![id, hashes.0, hashes.1, times.0, times.1],
        )?,
    };
    Ok(tokens)
}

#[utoipa::path(post, path = "/api/v1/sessions", tag = "identity", request_body = SignInRequest,
    responses((status = 201, body = Tokens), (status = 401, body = lk_core::api::ApiError), (status = 429, body = lk_core::api::ApiError)))]
/// Sign-in (R1).
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(request): ApiJson<SignInRequest>,
) -> AppResult<(StatusCode, Json<Tokens>)> {
    limit(&state, "sign-in", &peer.ip().to_string(), 30, Duration::minutes(1))?;
    let user_id = authenticate(&state, request.login.trim().to_owned(), request.password).await?;
    let now = state.clock.now();
    let tokens = state.db.transaction(move |tx| new_tokens(tx, user_id, None, now)).await?;
    Ok((StatusCode::CREATED, Json(tokens)))
}

#[utoipa::path(post, path = "/api/v1/sessions/refresh", tag = "identity", request_body = RefreshRequest,
    responses((status = 200, body = Tokens), (status = 401, body = lk_core::api::ApiError)))]
/// New tokens for a refresh token; the old pair stops working (rotation).
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RefreshRequest>,
) -> AppResult<Json<Tokens>> {
    let now = state.clock.now();
    let hash = security::digest(request.refresh_token.trim());
    state
        .db
        .transaction(move |tx| {
            let (session, user_id): (i64, i64) = tx
                .query_row(
                    "SELECT id, user_id FROM sessions WHERE refresh_hash = ?1 AND revoked_at IS NULL AND refresh_expires_at > ?2",
                    params![hash, now.to_rfc3339()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or_else(AppError::unauthorized)?;
            new_tokens(tx, user_id, Some(session), now)
        })
        .await
        .map(Json)
}

#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "identity", security(("bearer" = [])),
    responses((status = 204, description = "Signed out (R1)")))]
pub async fn sign_out(State(state): State<AppState>, user: CurrentUser) -> AppResult<StatusCode> {
    let now = state.clock.now();
    state
        .db
        .call(move |conn| {
            conn.execute(
                "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1",
                params![user.session_id, now.to_rfc3339()],
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of a profile except `keep`.
pub fn revoke_sessions(
    tx: &Transaction<'_>,
    user_id: i64,
    keep: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    tx.execute(
        "UPDATE sessions SET revoked_at = ?3 WHERE user_id = ?1 AND revoked_at IS NULL AND id IS NOT ?2",
        params![user_id, keep, now.to_rfc3339()],
    )?;
    Ok(())
}

fn users_with_contact(
    tx: &Transaction<'_>,
    channel: Channel,
    contact: &str,
) -> AppResult<Vec<(i64, String)>> {
    let sql = match channel {
        Channel::Phone => "SELECT id, login FROM users WHERE phone = ?1 ORDER BY login",
        Channel::Email => {
            "SELECT id, login FROM users WHERE email = ?1 COLLATE NOCASE ORDER BY login"
        }
    };
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([contact], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[utoipa::path(post, path = "/api/v1/recoveries", tag = "identity", request_body = RecoveryRequest,
    responses((status = 201, body = RecoveryStarted)))]
/// Password recovery (R5): a code goes to the contact if a profile has it; the answer is the same
/// either way.
pub async fn start_recovery(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(request): ApiJson<RecoveryRequest>,
) -> AppResult<(StatusCode, Json<RecoveryStarted>)> {
    limit(&state, "recovery", &peer.ip().to_string(), 10, Duration::hours(1))?;
    let contact = normalise_contact(request.channel, &request.contact, "contact")?;
    limit(&state, "code", &contact, 5, Duration::hours(1))?;
    let now = state.clock.now();
    let id = security::id();
    let (row_id, channel) = (id.clone(), request.channel);
    let public_url = state.public_url.clone();
    state
        .db
        .transaction_recording(move |tx| {
            if let Err(refusal) = take_captcha(tx, &request.captcha, now)? {
                return Ok(Err(refusal));
            }
            let issued = codes::issue(tx, "recovery", now)?;
            tx.execute(
                "INSERT INTO recoveries (id, channel, contact, code_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![row_id, notifier::channel_name(channel), contact, issued.id, now.to_rfc3339()],
            )?;
            if !users_with_contact(tx, channel, &contact)?.is_empty() {
                let body = match channel {
                    Channel::Phone => format!("Код восстановления пароля ЭК «Восток»: {}", issued.code),
                    Channel::Email => format!(
                        "Здравствуйте!\n\nКод восстановления пароля личного кабинета: {}\n\
                         Или откройте ссылку в приложении: lk://recovery?id={row_id}&code={}\n\
                         Код действует 10 минут. Если вы не запрашивали восстановление, удалите письмо.\n\n{public_url}",
                        issued.code, issued.code
                    ),
                };
                let message = Message { channel, recipient: contact, subject: "Восстановление пароля".into(), body };
                notifier::queue(tx, &message, now)?;
            }
            Ok(Ok(()))
        })
        .await?;
    state.notifier.wake();
    Ok((
        StatusCode::CREATED,
        Json(RecoveryStarted { id, channel, resend_after: now + codes::RESEND_DELAY }),
    ))
}

struct Recovery {
    channel: Channel,
    contact: String,
    code_id: String,
}

fn read_recovery(tx: &Transaction<'_>, id: &str) -> AppResult<Recovery> {
    let (channel, contact, code_id, completed): (String, String, String, Option<String>) = tx
        .query_row(
            "SELECT channel, contact, code_id, completed_at FROM recoveries WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| AppError::not_found("Восстановление не найдено, начните заново"))?;
    let channel = if channel == "phone" { Channel::Phone } else { Channel::Email };
    if completed.is_some() {
        return Err(AppError::conflict(
            "recovery_completed",
            "Пароль уже изменён, войдите с новым паролем",
        ));
    }
    Ok(Recovery { channel, contact, code_id })
}

#[utoipa::path(post, path = "/api/v1/recoveries/{id}/code", tag = "identity", request_body = CodeRequest,
    params(("id" = String, Path)), responses((status = 200, body = RecoveryLogins), (status = 400, body = lk_core::api::ApiError)))]
/// The code from the SMS or e-mail; answers with the logins tied to the contact (R5).
pub async fn recovery_code(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CodeRequest>,
) -> AppResult<Json<RecoveryLogins>> {
    let now = state.clock.now();
    state
        .db
        .transaction_recording(move |tx| {
            let recovery = read_recovery(tx, &id)?;
            if let Err(refusal) =
                codes::verify(tx, &recovery.code_id, Presented::Code(&request.code), now)?
            {
                return Ok(Err(refusal));
            }
            let logins = users_with_contact(tx, recovery.channel, &recovery.contact)?
                .into_iter()
                .map(|u| u.1)
                .collect();
            Ok(Ok(RecoveryLogins { logins }))
        })
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/recoveries/{id}/password", tag = "identity", request_body = NewPasswordRequest,
    params(("id" = String, Path)), responses((status = 204), (status = 400, body = lk_core::api::ApiError)))]
/// The new password, twice, for the login the person picked (R5). Every session of that
/// profile ends.
pub async fn recovery_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<NewPasswordRequest>,
) -> AppResult<StatusCode> {
    credentials::check_new_password(&request.login, &request.password, &request.password_repeat)?;
    let hash = security::hash_password(request.password.clone()).await?;
    let now = state.clock.now();
    state
        .db
        .transaction(move |tx| {
            let recovery = read_recovery(tx, &id)?;
            let verified_at: Option<String> =
                tx.query_row("SELECT verified_at FROM codes WHERE id = ?1", [&recovery.code_id], |r| r.get(0))?;
            let verified = verified_at.as_deref().map(codes::parse_time).transpose()?;
            if verified.is_none_or(|at| now - at > codes::LIFETIME) {
                return Err(AppError::conflict("code_not_confirmed", "Сначала введите код из сообщения"));
            }
            let user_id = users_with_contact(tx, recovery.channel, &recovery.contact)?
                .into_iter()
                .find(|(_, login)| login.eq_ignore_ascii_case(request.login.trim()))
                .map(|(id, _)| id)
                .ok_or_else(|| AppError::invalid("unknown_login", "Выберите логин из списка", "login"))?;
            tx.execute(
                "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = NULL WHERE id = ?1",
                params![user_id, hash],
            )?;
            revoke_sessions(tx, user_id, None, now)?;
            tx.execute("UPDATE recoveries SET completed_at = ?2 WHERE id = ?1", params![id, now.to_rfc3339()])?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}
