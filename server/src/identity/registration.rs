//! Registration (R2–R4): the form, the account bound by the amount of its latest document, the
//! address confirmed, the SMS code or e-mail link.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use chrono::{DateTime, Utc};
use lk_core::Money;
use lk_core::api::ErrorCode;
use lk_core::api::{
    AccountPreview, BindAccountRequest, Channel, CodeRequest, RegistrationDetails,
    RegistrationRequest, RegistrationState, RegistrationStatus,
};
use lk_core::credentials;
use lk_core::region::Region;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::captcha::take_captcha;
use super::{mask_contact, normalise_contact, page};
use crate::codes::{self, Presented};
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::limits::{ClientAddress, Limit};
use crate::notifier::{self, Message};
use crate::records;
use crate::security;
use crate::state::AppState;

const BIND_ATTEMPTS: i64 = 10;

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
        .ok_or_else(|| {
            AppError::invalid(ErrorCode::UnknownCity, "Выберите город из списка", "city")
        })?;
    Ok(StoredDetails { login, channel: details.channel, contact, city: (*city).to_owned() })
}

fn login_taken(tx: &Connection, login: &str) -> AppResult<bool> {
    Ok(tx.query_row("SELECT EXISTS(SELECT 1 FROM users WHERE login = ?1)", [login], |r| r.get(0))?)
}

#[utoipa::path(post, path = "/api/v1/registrations", tag = "identity", request_body = RegistrationRequest,
    responses((status = 201, body = RegistrationState), (status = 400, body = lk_core::api::ApiError),
              (status = 409, body = lk_core::api::ApiError)))]
pub async fn start_registration(
    State(state): State<AppState>,
    from: ClientAddress,
    ApiJson(request): ApiJson<RegistrationRequest>,
) -> AppResult<(StatusCode, Json<RegistrationState>)> {
    state.limit(&Limit::REGISTRATIONS_PER_ADDRESS, &from.to_string())?;
    let details = check_details(&request.details)?;
    if !request.consent.given {
        return Err(AppError::invalid(
            ErrorCode::ConsentRequired,
            "Без согласия на обработку персональных данных регистрация невозможна",
            "consent",
        ));
    }
    let now = state.clock.now();
    // The CAPTCHA before anything else: it guards the answer "login taken" (no enumeration)
    // and the password hash that follows (no CPU and memory spent for a script).
    let (captcha, login) = (request.captcha.clone(), details.login.clone());
    state
        .db
        .transaction_recording(move |tx| {
            if let Err(refusal) = take_captcha(tx, &captcha, now)? {
                return Ok(Err(refusal));
            }
            if login_taken(tx, &login)? {
                return Ok(Err(AppError::conflict(
                    ErrorCode::LoginTaken,
                    "Этот логин уже занят, выберите другой",
                )
                .field("login")));
            }
            Ok(Ok(()))
        })
        .await?;
    state.limit(&Limit::ANONYMOUS_HASHES_PER_ADDRESS, &from.to_string())?;
    let password_hash = security::hash_password(request.details.password.clone()).await?;
    let id = security::id();
    let row_id = id.clone();
    let stored = details.clone();
    state
        .db
        .transaction(move |tx| {
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
            Ok(())
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

fn read_registration(tx: &Connection, id: &str) -> AppResult<Registration> {
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

fn registration_state(tx: &Connection, id: &str) -> AppResult<RegistrationState> {
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

fn account_preview(tx: &Connection, number: &str) -> AppResult<AccountPreview> {
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

fn open_registration(tx: &Connection, id: &str) -> AppResult<Registration> {
    let r = read_registration(tx, id)?;
    if r.completed {
        return Err(AppError::conflict(
            ErrorCode::RegistrationCompleted,
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
    from: ClientAddress,
    Path(id): Path<String>,
    ApiJson(details): ApiJson<RegistrationDetails>,
) -> AppResult<Json<RegistrationState>> {
    let stored = check_details(&details)?;
    // Only a registration that is still open gets its password hashed, within its budgets.
    let open = id.clone();
    state.db.transaction(move |tx| open_registration(tx, &open).map(|_| ())).await?;
    state.limit(&Limit::DETAILS_CHANGES_PER_REGISTRATION, &id)?;
    state.limit(&Limit::ANONYMOUS_HASHES_PER_ADDRESS, &from.to_string())?;
    let password_hash = security::hash_password(details.password.clone()).await?;
    state
        .db
        .transaction(move |tx| {
            let current = open_registration(tx, &id)?;
            if !stored.login.eq_ignore_ascii_case(&current.details.login) && login_taken(tx, &stored.login)? {
                return Err(AppError::conflict(ErrorCode::LoginTaken, "Этот логин уже занят, выберите другой").field("login"));
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
        .map_err(|e| {
            AppError::invalid(ErrorCode::InvalidAccountNumber, e.to_string(), "account_number")
        })?
        .to_string();
    let proof = Money::parse(&request.latest_document_total).map_err(|e| {
        AppError::invalid(ErrorCode::InvalidAmount, e.to_string(), "latest_document_total")
    })?;
    state
        .db
        .transaction_recording(move |tx| {
            let registration = open_registration(tx, &id)?;
            if registration.bind_attempts >= BIND_ATTEMPTS {
                return Ok(Err(AppError::too_many(
                    ErrorCode::TooManyAttempts,
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
                    ErrorCode::AccountNotMatched,
                    "Лицевой счёт с такой суммой последнего платёжного документа не найден. \
                     Проверьте номер счёта и сумму «Итого к оплате»",
                    "account_number",
                )));
            }
            if records::account_owner_user(tx, &number)?.is_some() {
                return Ok(Err(AppError::conflict(
                    ErrorCode::AccountAlreadyRegistered,
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
    from: ClientAddress,
    Path(id): Path<String>,
) -> AppResult<Json<RegistrationState>> {
    send_registration_code(state, from, id, false).await
}

#[utoipa::path(post, path = "/api/v1/registrations/{id}/code/resend", tag = "identity",
    params(("id" = String, Path)), responses((status = 200, body = RegistrationState), (status = 429, body = lk_core::api::ApiError)))]
pub async fn resend_registration_code(
    State(state): State<AppState>,
    from: ClientAddress,
    Path(id): Path<String>,
) -> AppResult<Json<RegistrationState>> {
    send_registration_code(state, from, id, true).await
}

async fn send_registration_code(
    state: AppState,
    from: ClientAddress,
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
                    ErrorCode::AccountNotBound,
                    "Сначала привяжите лицевой счёт",
                ));
            }
            st.limit_codes(&r.details.contact, from)?;
            let issued = match (&r.code_id, resend) {
                (Some(code_id), true) => codes::reissue(tx, code_id, now)?,
                (None, true) => {
                    return Err(AppError::conflict(ErrorCode::NoCode, "Код ещё не отправлялся"));
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
                .ok_or_else(|| AppError::conflict(ErrorCode::NoCode, "Код ещё не отправлялся"))?;
            if r.details.channel != Channel::Phone {
                return Err(AppError::invalid(
                    ErrorCode::UseLink,
                    "Перейдите по ссылке из письма",
                    "code",
                ));
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
                .ok_or_else(|| AppError::conflict(ErrorCode::NoCode, "Ссылка недействительна"))?;
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

fn complete_registration(
    tx: &Connection,
    id: &str,
    r: Registration,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let number = r.account.ok_or_else(|| {
        AppError::conflict(ErrorCode::AccountNotBound, "Сначала привяжите лицевой счёт")
    })?;
    if login_taken(tx, &r.details.login)? {
        return Err(AppError::conflict(
            ErrorCode::LoginTaken,
            "Этот логин уже занят, измените параметры регистрации",
        )
        .field("login"));
    }
    if records::account_owner_user(tx, &number)?.is_some() {
        return Err(AppError::conflict(
            ErrorCode::AccountAlreadyRegistered,
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
            records::wire_name(&region),
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
