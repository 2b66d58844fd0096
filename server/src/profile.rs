//! The signed-in profile and its settings (R16–R20).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use chrono::DateTime;
use chrono::Utc;
use lk_core::api::ErrorCode;
use lk_core::api::{
    ChangePasswordRequest, Channel, CodeRequest, ContactChangeRequest, ContactChangeStarted,
    LinkAccountRequest, NotificationSettings, PaperRefusalForm, Profile, ProfileAccount,
};
use lk_core::credentials;
use rusqlite::{Connection, OptionalExtension, params};

use crate::codes::{self, Presented};
use crate::error::{AppError, AppResult};
use crate::identity::password::{self, Refusal};
use crate::identity::{self, normalise_contact, page};
use crate::json::ApiJson;
use crate::limits::{ClientAddress, Limit};
use crate::notifier::{self, Message};
use crate::records;
use crate::security;
use crate::state::{AppState, CurrentUser};

fn read_profile(tx: &Connection, user_id: i64) -> AppResult<Profile> {
    let (login, phone, email, city, region, n, role): (
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        [bool; 4],
        String,
    ) = tx
        .prepare_cached(
            "SELECT login, phone, email, city, region, notify_reading_window, notify_new_document,
                    notify_payment_result, receipt_by_email, role FROM users WHERE id = ?1",
        )?
        .query_row([user_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?],
                r.get(9)?,
            ))
        })?;
    let mut stmt = tx.prepare_cached(
        "SELECT a.json, ua.own FROM user_accounts ua JOIN accounts a ON a.number = ua.account_number
         WHERE ua.user_id = ?1 ORDER BY ua.own DESC, ua.linked_at, a.number",
    )?;
    let accounts = stmt
        .query_map([user_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|(json, own)| {
            let account: lk_core::account::Account = records::from_json(&json)?;
            Ok(ProfileAccount {
                number: account.number,
                address: account.address,
                owner: account.owner.full(),
                region: account.region,
                own,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Profile {
        login,
        role: records::from_wire_name(&role)?,
        phone,
        email,
        city,
        region: records::from_wire_name(&region)?,
        accounts,
        notifications: NotificationSettings {
            reading_window: n[0],
            new_document: n[1],
            payment_result: n[2],
            receipt_by_email: n[3],
        },
    })
}

async fn profile_of(state: &AppState, user_id: i64) -> AppResult<Json<Profile>> {
    state.db.read(move |tx| read_profile(tx, user_id)).await.map(Json)
}

#[utoipa::path(get, path = "/api/v1/profile", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 401, body = lk_core::api::ApiError)))]
pub async fn get_profile(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Profile>> {
    profile_of(&state, user.user_id).await
}

#[utoipa::path(put, path = "/api/v1/profile/password", tag = "profile", security(("bearer" = [])),
    request_body = ChangePasswordRequest, responses((status = 204), (status = 400, body = lk_core::api::ApiError)))]
/// R16: the old password, the new one twice; every other session of the profile ends.
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    from: ClientAddress,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    let login: String = state
        .db
        .call(move |conn| {
            Ok(conn
                .prepare_cached("SELECT login FROM users WHERE id = ?1")?
                .query_row([user.user_id], |r| r.get(0))?)
        })
        .await?;
    // Wrong current passwords count towards the login's lockout like wrong sign-ins: a stolen
    // session must not become a way to guess the password.
    password::check(&state, from, &login, request.old_password, &Refusal::CURRENT_PASSWORD).await?;
    credentials::check_new_password(&login, &request.new_password, &request.new_password_repeat)?;
    let new_hash = security::hash_password(request.new_password).await?;
    let now = state.clock.now();
    state
        .db
        .transaction(move |tx| {
            tx.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                params![user.user_id, new_hash],
            )?;
            identity::revoke_sessions(tx, user.user_id, Some(user.session_id), now)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn start_contact_change(
    state: AppState,
    user: CurrentUser,
    from: ClientAddress,
    channel: Channel,
    request: ContactChangeRequest,
) -> AppResult<(StatusCode, Json<ContactChangeStarted>)> {
    let value = normalise_contact(channel, &request.value, "value")?;
    state.limit(&Limit::CONTACT_CHANGES_PER_PROFILE, &user.user_id.to_string())?;
    state.limit_codes(&value, from)?;
    let now = state.clock.now();
    let public_url = state.public_url.clone();
    let started = state
        .db
        .transaction(move |tx| {
            // Several profiles may share a contact: recovery lists every login tied to it (R5).
            let issued = codes::issue(tx, "contact_change", now)?;
            let id = security::id();
            tx.execute(
                "INSERT INTO contact_changes (id, user_id, channel, value, code_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, user.user_id, notifier::channel_name(channel), value, issued.id],
            )?;
            let (subject, body) = match channel {
                Channel::Phone => (
                    "Код подтверждения телефона".to_owned(),
                    format!("Код для смены телефона в личном кабинете ЭК «Восток»: {}", issued.code),
                ),
                Channel::Email => (
                    "Подтвердите адрес электронной почты".to_owned(),
                    format!(
                        "Здравствуйте!\n\nЧтобы указать этот адрес в личном кабинете ЭК «Восток», перейдите по ссылке \
                         (действует 10 минут):\n{public_url}/api/v1/profile/email/{id}/link/{}\n",
                        issued.link_secret
                    ),
                ),
            };
            notifier::queue(tx, &Message { channel, recipient: value.clone(), subject, body }, now)?;
            Ok(ContactChangeStarted {
                id,
                channel,
                sent_to: identity::mask_contact(channel, &value),
                resend_after: now + codes::RESEND_DELAY,
            })
        })
        .await?;
    state.notifier.wake();
    Ok((StatusCode::CREATED, Json(started)))
}

#[utoipa::path(post, path = "/api/v1/profile/phone", tag = "profile", security(("bearer" = [])),
    request_body = ContactChangeRequest, responses((status = 201, body = ContactChangeStarted)))]
/// R17: a new phone, confirmed by an SMS code sent to it.
pub async fn change_phone(
    State(state): State<AppState>,
    user: CurrentUser,
    from: ClientAddress,
    ApiJson(request): ApiJson<ContactChangeRequest>,
) -> AppResult<(StatusCode, Json<ContactChangeStarted>)> {
    start_contact_change(state, user, from, Channel::Phone, request).await
}

#[utoipa::path(post, path = "/api/v1/profile/email", tag = "profile", security(("bearer" = [])),
    request_body = ContactChangeRequest, responses((status = 201, body = ContactChangeStarted)))]
/// R17: a new e-mail, confirmed by a link sent to it.
pub async fn change_email(
    State(state): State<AppState>,
    user: CurrentUser,
    from: ClientAddress,
    ApiJson(request): ApiJson<ContactChangeRequest>,
) -> AppResult<(StatusCode, Json<ContactChangeStarted>)> {
    start_contact_change(state, user, from, Channel::Email, request).await
}

/// Applies a confirmed contact change; `user_id` guards the code path to its own profile.
fn finish_contact_change(
    tx: &Connection,
    id: &str,
    user_id: Option<i64>,
    presented: Presented<'_>,
    now: DateTime<Utc>,
) -> AppResult<AppResult<i64>> {
    let (owner, channel, value, code_id, completed): (i64, String, String, String, Option<String>) = tx.prepare_cached("SELECT user_id, channel, value, code_id, completed_at FROM contact_changes WHERE id = ?1")?.query_row([id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .filter(|row| user_id.is_none_or(|u| u == row.0))
        .ok_or_else(|| AppError::not_found("Запрос на смену контакта не найден"))?;
    if completed.is_some() {
        return Err(AppError::conflict(ErrorCode::AlreadyConfirmed, "Уже подтверждено"));
    }
    if let Err(refusal) = codes::verify(tx, &code_id, presented, now)? {
        return Ok(Err(refusal));
    }
    let column = if channel == "phone" { "phone" } else { "email" };
    tx.execute(&format!("UPDATE users SET {column} = ?2 WHERE id = ?1"), params![owner, value])?;
    tx.execute(
        "UPDATE contact_changes SET completed_at = ?2 WHERE id = ?1",
        params![id, now.to_rfc3339()],
    )?;
    Ok(Ok(owner))
}

#[utoipa::path(post, path = "/api/v1/profile/phone/{id}/code", tag = "profile", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CodeRequest, responses((status = 200, body = Profile)))]
pub async fn confirm_phone(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CodeRequest>,
) -> AppResult<Json<Profile>> {
    let now = state.clock.now();
    state
        .db
        .transaction_recording(move |tx| {
            Ok(finish_contact_change(
                tx,
                &id,
                Some(user.user_id),
                Presented::Code(&request.code),
                now,
            )?
            .and_then(|owner| read_profile(tx, owner)))
        })
        .await
        .map(Json)
}

/// The link from the e-mail (R17), opened in a browser.
pub async fn confirm_email_link(
    State(state): State<AppState>,
    Path((id, secret)): Path<(String, String)>,
) -> (StatusCode, Html<String>) {
    let now = state.clock.now();
    let outcome = state
        .db
        .transaction_recording(move |tx| {
            finish_contact_change(tx, &id, None, Presented::Link(&secret), now)
        })
        .await;
    match outcome {
        Ok(_) => (
            StatusCode::OK,
            page("Адрес подтверждён", "Новый адрес электронной почты сохранён в личном кабинете."),
        ),
        Err(e) => (e.status, page("Ссылка не сработала", &e.body.message)),
    }
}

#[utoipa::path(put, path = "/api/v1/profile/notifications", tag = "profile", security(("bearer" = [])),
    request_body = NotificationSettings, responses((status = 200, body = Profile)))]
/// R18: what to be told about, and the receipt copy by e-mail (which needs an e-mail).
pub async fn set_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(settings): ApiJson<NotificationSettings>,
) -> AppResult<Json<Profile>> {
    state
        .db
        .transaction(move |tx| {
            let email: Option<String> = tx.prepare_cached("SELECT email FROM users WHERE id = ?1")?.query_row([user.user_id], |r| r.get(0))?;
            if settings.receipt_by_email && email.is_none() {
                return Err(AppError::invalid(
                    ErrorCode::EmailRequired,
                    "Чтобы получать чеки по электронной почте, укажите и подтвердите адрес",
                    "receipt_by_email",
                ));
            }
            tx.execute(
                "UPDATE users SET notify_reading_window = ?2, notify_new_document = ?3, notify_payment_result = ?4,
                                  receipt_by_email = ?5 WHERE id = ?1",
                params![
                    user.user_id,
                    settings.reading_window,
                    settings.new_document,
                    settings.payment_result,
                    settings.receipt_by_email
                ],
            )?;
            read_profile(tx, user.user_id)
        })
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/profile/accounts", tag = "profile", security(("bearer" = [])),
    request_body = LinkAccountRequest, responses((status = 200, body = Profile), (status = 401, body = lk_core::api::ApiError)))]
/// R19: another account added by its own login and password (with the same lockout as sign-in).
pub async fn link_account(
    State(state): State<AppState>,
    user: CurrentUser,
    from: ClientAddress,
    ApiJson(request): ApiJson<LinkAccountRequest>,
) -> AppResult<Json<Profile>> {
    let other = password::check(
        &state,
        from,
        request.login.trim(),
        request.password,
        &Refusal::CREDENTIALS,
    )
    .await?;
    if other == user.user_id {
        return Err(AppError::invalid(
            ErrorCode::OwnLogin,
            "Это логин вашего же кабинета",
            "login",
        ));
    }
    let now = state.clock.now();
    state
        .db
        .transaction(move |tx| {
            let added = tx.execute(
                "INSERT OR IGNORE INTO user_accounts (user_id, account_number, own, linked_at)
                 SELECT ?1, account_number, 0, ?3 FROM user_accounts WHERE user_id = ?2 AND own = 1",
                params![user.user_id, other, now.to_rfc3339()],
            )?;
            if added == 0 {
                return Err(AppError::conflict(ErrorCode::AlreadyLinked, "Лицевые счета этого кабинета уже добавлены"));
            }
            read_profile(tx, user.user_id)
        })
        .await
        .map(Json)
}

#[utoipa::path(delete, path = "/api/v1/profile/accounts/{number}", tag = "profile", security(("bearer" = [])),
    params(("number" = String, Path)), responses((status = 200, body = Profile)))]
pub async fn unlink_account(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> AppResult<Json<Profile>> {
    state
        .db
        .transaction(move |tx| {
            let own: Option<bool> = tx
                .prepare_cached(
                    "SELECT own FROM user_accounts WHERE user_id = ?1 AND account_number = ?2",
                )?
                .query_row(params![user.user_id, number], |r| r.get(0))
                .optional()?;
            match own {
                None => return Err(AppError::not_found("Такого счёта в кабинете нет")),
                Some(true) => {
                    return Err(AppError::invalid(
                        ErrorCode::CannotUnlinkOwn,
                        "Собственный лицевой счёт кабинета убрать нельзя",
                        "number",
                    ));
                }
                Some(false) => {}
            }
            tx.execute(
                "DELETE FROM user_accounts WHERE user_id = ?1 AND account_number = ?2",
                params![user.user_id, number],
            )?;
            read_profile(tx, user.user_id)
        })
        .await
        .map(Json)
}

/// The account, if the profile has it (own or linked).
pub fn require_account(
    tx: &Connection,
    user_id: i64,
    number: &str,
) -> AppResult<lk_core::account::Account> {
    let has: bool = tx
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM user_accounts WHERE user_id = ?1 AND account_number = ?2)",
        )?
        .query_row(params![user_id, number], |r| r.get(0))?;
    if !has {
        return Err(AppError::not_found("Такого лицевого счёта в кабинете нет"));
    }
    records::account(tx, number)
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/paper-refusal-form", tag = "profile", security(("bearer" = [])),
    params(("number" = String, Path)), responses((status = 200, body = PaperRefusalForm)))]
/// R20: the application to receive the payment document by e-mail instead of paper, filled in.
/// (Its printable PDF comes with the documents work.)
pub async fn paper_refusal_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> AppResult<Json<PaperRefusalForm>> {
    state
        .db
        .read(move |tx| {
            let account = require_account(tx, user.user_id, &number)?;
            let (email, phone): (Option<String>, Option<String>) =
                tx.prepare_cached("SELECT email, phone FROM users WHERE id = ?1")?.query_row([user.user_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let text = format!(
                "Прошу прекратить доставку платёжного документа по лицевому счёту № {} на бумажном носителе \
                 и направлять его в электронном виде на адрес электронной почты {}. \
                 С порядком направления платёжных документов в электронном виде ознакомлен(а).",
                account.number,
                email.as_deref().unwrap_or("________________")
            );
            Ok(PaperRefusalForm {
                addressee: format!("АО «ЭК «Восток», {}", account.region.name_ru()),
                account_number: account.number,
                owner: account.owner.full(),
                applicant: format!("от {}", account.owner.genitive()),
                address: account.address,
                email,
                phone,
                text,
            })
        })
        .await
        .map(Json)
}
