//! Identity over HTTP against the real service (R1–R5): registration with binding and
//! confirmation, sign-in, sessions, recovery, and every lockout and expiry.

mod common;

use chrono::Duration;
use common::{code_in, link_in, start};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn details(login: &str, channel: &str, contact: &str) -> Value {
    json!({ "login": login, "password": "Sekret-2026", "channel": channel, "contact": contact, "city": "Курган" })
}

async fn register(s: &common::Server, details: Value) -> String {
    let captcha = s.captcha().await;
    let consent = json!({ "given": true, "text_version": "2026-01" });
    let (status, body) = s
        .post(
            "/registrations",
            None,
            json!({ "details": details, "captcha": captcha, "consent": consent }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "awaiting_account");
    body["id"].as_str().unwrap().to_owned()
}

async fn bind(s: &common::Server, id: &str, number: &str, proof: &str) -> (StatusCode, Value) {
    s.put(
        &format!("/registrations/{id}/account"),
        None,
        json!({ "account_number": number, "latest_document_total": proof }),
    )
    .await
}

#[tokio::test]
async fn r2_r4_registration_by_phone_binds_the_account_and_completes_with_the_sms_code() {
    let s = start().await;
    let (_, cities) = s.get("/cities", None).await;
    assert_eq!(cities.as_array().unwrap().len(), 3, "cities grouped by the three regions (R2)");
    let (number, proof) = s.free_account(0).await;
    let id = register(&s, details(&number, "phone", "8 (912) 555-11-22")).await;

    // R3: the address and the masked owner are shown once the number and its proof match.
    let (status, state) = bind(&s, &id, &number, &proof).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["status"], "awaiting_account_confirmation");
    assert!(state["account"]["address"].as_str().unwrap().starts_with("г. "));
    assert!(state["account"]["owner_masked"].as_str().unwrap().contains('*'));

    // "Данные верны, продолжить": the SMS code goes out (R4).
    let (status, state) =
        s.post(&format!("/registrations/{id}/account/confirm"), None, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["status"], "awaiting_code");
    assert_eq!(state["contact_masked"], "+7 912 ***-**-22");
    let sms = s.last_message("+79125551122").await;
    assert_eq!(sms["channel"], "phone");
    let code = code_in(&sms);

    let (status, _) =
        s.post("/sessions", None, json!({ "login": number, "password": "Sekret-2026" })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "nothing before the code is confirmed");
    let (status, done) =
        s.post(&format!("/registrations/{id}/code"), None, json!({ "code": code })).await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    assert_eq!(done["status"], "completed");

    // R1: sign in, see the bound account in the profile, sign out.
    let token = s.token(&number, "Sekret-2026").await;
    let (_, profile) = s.get("/profile", Some(&token)).await;
    assert_eq!(profile["accounts"][0]["number"], number.as_str());
    assert_eq!(profile["accounts"][0]["own"], true);
    assert_eq!(profile["phone"], "+79125551122");
    let (status, _) =
        s.call(reqwest::Method::DELETE, "/sessions/current", Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, error) = s.get("/profile", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error["code"], "unauthorized");

    // The account cannot be registered a second time.
    let again = register(&s, details("someone-else", "phone", "+79125551133")).await;
    let (status, error) = bind(&s, &again, &number, &proof).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error["code"], "account_already_registered");
}

#[tokio::test]
async fn r4_registration_by_email_completes_through_the_link() {
    let s = start().await;
    let (number, proof) = s.free_account(1).await;
    let id = register(&s, details("e-mail.user", "email", "New.User@Example.RU")).await;
    bind(&s, &id, &number, &proof).await;
    s.post(&format!("/registrations/{id}/account/confirm"), None, json!({})).await;
    let mail = s.last_message("New.User@example.ru").await;
    assert_eq!(mail["channel"], "email");
    let (status, error) =
        s.post(&format!("/registrations/{id}/code"), None, json!({ "code": "123456" })).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::BAD_REQUEST, Some("use_link")));

    let page = s.http.get(link_in(&mail)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Регистрация завершена"));
    s.token("e-mail.user", "Sekret-2026").await;
    let replay = s.http.get(link_in(&mail)).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::CONFLICT, "a link works once");
}

#[tokio::test]
async fn r2_r3_registration_refuses_bad_steps_and_lets_the_person_go_back() {
    let s = start().await;
    let (number, proof) = s.free_account(2).await;
    let captcha = s.captcha().await;
    let form = |details: Value, captcha: &Value, given: bool| json!({ "details": details, "captcha": captcha, "consent": { "given": given, "text_version": "2026-01" } });
    let (status, error) = s
        .post(
            "/registrations",
            None,
            form(details("nobody", "phone", "+79125550000"), &captcha, false),
        )
        .await;
    assert_eq!(
        (status, error["code"].as_str(), error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("consent_required"), Some("consent"))
    );
    let mut weak = details("nobody", "phone", "+79125550000");
    weak["password"] = json!("short");
    let (_, error) = s.post("/registrations", None, form(weak, &captcha, true)).await;
    assert_eq!(error["field"], "password");
    let (_, error) = s
        .post("/registrations", None, form(details("nobody", "phone", "12345"), &captcha, true))
        .await;
    assert_eq!(
        (error["code"].as_str(), error["field"].as_str()),
        (Some("invalid_contact"), Some("contact"))
    );
    let mut moscow = details("nobody", "phone", "+79125550000");
    moscow["city"] = json!("Москва");
    let (_, error) = s.post("/registrations", None, form(moscow, &captcha, true)).await;
    assert_eq!(error["code"], "unknown_city");
    let (_, error) = s
        .post(
            "/registrations",
            None,
            form(details("demo", "phone", "+79125550000"), &captcha, true),
        )
        .await;
    assert_eq!(error["code"], "login_taken");
    let wrong = json!({ "id": captcha["id"], "answer": "00000" });
    let (_, error) = s
        .post(
            "/registrations",
            None,
            form(details("nobody", "phone", "+79125550000"), &wrong, true),
        )
        .await;
    assert_eq!(error["code"], "captcha_wrong");
    let (_, error) = s
        .post(
            "/registrations",
            None,
            form(details("nobody", "phone", "+79125550000"), &captcha, true),
        )
        .await;
    assert_eq!(error["code"], "captcha_wrong", "a CAPTCHA is used up by any answer");

    let id = register(&s, details("nobody", "phone", "+79125550000")).await;
    let (status, error) = bind(&s, &id, &number, "1.00").await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("account_not_matched"))
    );
    let (_, unknown) = bind(&s, &id, "999999999999", &proof).await;
    assert_eq!(unknown["code"], "account_not_matched", "an unknown number gets the same answer");
    let (status, error) =
        s.post(&format!("/registrations/{id}/account/confirm"), None, json!({})).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::CONFLICT, Some("account_not_bound")));

    // Bound the wrong account? "Изменить номер лицевого счёта": bind another.
    let (other, other_proof) = s.free_account(3).await;
    bind(&s, &id, &number, &proof).await;
    let (_, state) = bind(&s, &id, &other, &other_proof).await;
    assert_eq!(state["account"]["number"], other.as_str());
    s.post(&format!("/registrations/{id}/account/confirm"), None, json!({})).await;
    // "Изменить параметры регистрации": a new phone voids the code sent to the old one.
    let old_code = code_in(&s.last_message("+79125550000").await);
    let (status, state) = s
        .put(
            &format!("/registrations/{id}/details"),
            None,
            details("nobody", "phone", "+79125550001"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["status"], "awaiting_account_confirmation");
    let (_, error) =
        s.post(&format!("/registrations/{id}/code"), None, json!({ "code": old_code })).await;
    assert_eq!(error["code"], "no_code");
    s.post(&format!("/registrations/{id}/account/confirm"), None, json!({})).await;
    let code = code_in(&s.last_message("+79125550001").await);
    let (status, _) =
        s.post(&format!("/registrations/{id}/code"), None, json!({ "code": code })).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn codes_allow_five_tries_expire_after_ten_minutes_and_resend_after_a_minute() {
    let s = start().await;
    let (number, proof) = s.free_account(4).await;
    let id = register(&s, details("codes", "phone", "+79125552233")).await;
    bind(&s, &id, &number, &proof).await;
    s.post(&format!("/registrations/{id}/account/confirm"), None, json!({})).await;
    let code = code_in(&s.last_message("+79125552233").await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (status, error) =
            s.post(&format!("/registrations/{id}/code"), None, json!({ "code": wrong })).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_code"))
        );
    }
    let (status, error) =
        s.post(&format!("/registrations/{id}/code"), None, json!({ "code": code })).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("code_attempts_exhausted"))
    );

    let (status, error) =
        s.post(&format!("/registrations/{id}/code/resend"), None, json!({})).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("resend_too_soon"))
    );
    s.advance(Duration::seconds(61));
    let (status, _) = s.post(&format!("/registrations/{id}/code/resend"), None, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let fresh = code_in(&s.last_message("+79125552233").await);
    s.advance(Duration::minutes(10) + Duration::seconds(1));
    let (_, error) =
        s.post(&format!("/registrations/{id}/code"), None, json!({ "code": fresh })).await;
    assert_eq!(error["code"], "code_expired");
}

#[tokio::test]
async fn captcha_expires_after_five_minutes() {
    let s = start().await;
    let captcha = s.captcha().await;
    s.advance(Duration::minutes(5) + Duration::seconds(1));
    let form = json!({ "details": details("late", "phone", "+79125553344"), "captcha": captcha,
                       "consent": { "given": true, "text_version": "2026-01" } });
    let (_, error) = s.post("/registrations", None, form).await;
    assert_eq!(error["code"], "captcha_expired");
}

#[tokio::test]
async fn r1_sign_in_locks_after_five_wrong_passwords_for_fifteen_minutes() {
    let s = start().await;
    let (status, error) = s.sign_in("no-such-login", "Whatever-1").await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_credentials"))
    );
    for _ in 0..5 {
        let (status, error) = s.sign_in("demo", "Wrong-2026").await;
        assert_eq!(error["code"], "invalid_credentials", "{status}");
    }
    let (status, error) = s.sign_in("demo", "Demo-2026").await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("login_locked"))
    );
    s.advance(Duration::minutes(15) + Duration::seconds(1));
    let (status, _) = s.sign_in("demo", "Demo-2026").await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn r1_access_expires_refresh_rotates_and_logout_revokes() {
    let s = start().await;
    let (_, tokens) = s.sign_in("demo", "Demo-2026").await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    s.advance(Duration::minutes(16));
    let (status, _) = s.get("/profile", Some(access)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "access tokens live 15 minutes");
    let (status, renewed) =
        s.post("/sessions/refresh", None, json!({ "refresh_token": refresh })).await;
    assert_eq!(status, StatusCode::OK);
    let access2 = renewed["access_token"].as_str().unwrap();
    assert_eq!(s.get("/profile", Some(access2)).await.0, StatusCode::OK);
    let (status, _) = s.post("/sessions/refresh", None, json!({ "refresh_token": refresh })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a used refresh token is void");
    s.call(reqwest::Method::DELETE, "/sessions/current", Some(access2), None).await;
    let (status, _) = s
        .post("/sessions/refresh", None, json!({ "refresh_token": renewed["refresh_token"] }))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "logout ends the session");
    s.advance(Duration::days(31));
    let (_, tokens) = s.sign_in("demo", "Demo-2026").await;
    s.advance(Duration::days(30) + Duration::seconds(1));
    let (status, _) = s
        .post("/sessions/refresh", None, json!({ "refresh_token": tokens["refresh_token"] }))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "refresh tokens live 30 days");
}

async fn start_recovery(s: &common::Server, contact: &str, channel: &str) -> (StatusCode, Value) {
    let captcha = s.captcha().await;
    s.post(
        "/recoveries",
        None,
        json!({ "channel": channel, "contact": contact, "captcha": captcha }),
    )
    .await
}

#[tokio::test]
async fn r5_recovery_lists_the_logins_of_the_contact_and_sets_the_new_password() {
    let s = start().await;
    // Two profiles on one e-mail: the person picks the login.
    let (number, proof) = s.free_account(5).await;
    let id = register(&s, details("second-login", "email", "demo@example.ru")).await;
    bind(&s, &id, &number, &proof).await;
    s.post(&format!("/registrations/{id}/account/confirm"), None, json!({})).await;
    s.http.get(link_in(&s.last_message("demo@example.ru").await)).send().await.unwrap();

    let (status, known) = start_recovery(&s, "demo@example.ru", "email").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, unknown) = start_recovery(&s, "nobody@example.ru", "email").await;
    assert_eq!(status, StatusCode::CREATED, "an unknown contact gets the same answer");
    assert_eq!(
        unknown.as_object().unwrap().keys().collect::<Vec<_>>(),
        known.as_object().unwrap().keys().collect::<Vec<_>>()
    );
    let (_, nothing) = s.get("/demo/outbox?recipient=nobody%40example.ru", None).await;
    assert_eq!(nothing.as_array().unwrap().len(), 0, "nothing is sent to an unknown contact");
    let (_, error) = s
        .post(
            &format!("/recoveries/{}/code", unknown["id"].as_str().unwrap()),
            None,
            json!({ "code": "123456" }),
        )
        .await;
    assert_eq!(error["code"], "invalid_code");

    let rid = known["id"].as_str().unwrap();
    let mail = s.last_message("demo@example.ru").await;
    assert!(
        mail["body"].as_str().unwrap().contains(&format!("lk://recovery?id={rid}")),
        "code and app link"
    );
    let (status, error) = s
        .post(
            &format!("/recoveries/{rid}/password"),
            None,
            json!({ "login": "demo", "password": "Fresh-2026", "password_repeat": "Fresh-2026" }),
        )
        .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::CONFLICT, Some("code_not_confirmed"))
    );
    let (status, logins) =
        s.post(&format!("/recoveries/{rid}/code"), None, json!({ "code": code_in(&mail) })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(logins["logins"], json!(["demo", "second-login"]));

    let old_session = s.token("demo", "Demo-2026").await;
    let (_, error) = s
        .post(
            &format!("/recoveries/{rid}/password"),
            None,
            json!({ "login": "demo", "password": "Fresh-2026", "password_repeat": "Fresh-2025" }),
        )
        .await;
    assert_eq!(
        (error["code"].as_str(), error["field"].as_str()),
        (Some("invalid_credentials_format"), Some("password_repeat"))
    );
    let (_, error) = s
        .post(
            &format!("/recoveries/{rid}/password"),
            None,
            json!({ "login": "petrov", "password": "Fresh-2026", "password_repeat": "Fresh-2026" }),
        )
        .await;
    assert_eq!(error["code"], "unknown_login", "only a login of this contact");
    let (status, _) = s
        .post(
            &format!("/recoveries/{rid}/password"),
            None,
            json!({ "login": "demo", "password": "Fresh-2026", "password_repeat": "Fresh-2026" }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        s.get("/profile", Some(&old_session)).await.0,
        StatusCode::UNAUTHORIZED,
        "old sessions end"
    );
    assert_eq!(s.sign_in("demo", "Demo-2026").await.0, StatusCode::UNAUTHORIZED);
    s.token("demo", "Fresh-2026").await;

    // By phone, with an SMS code.
    let (_, by_phone) = start_recovery(&s, "+7 912 000-00-03", "phone").await;
    let sms = s.last_message("+79120000003").await;
    let (_, logins) = s
        .post(
            &format!("/recoveries/{}/code", by_phone["id"].as_str().unwrap()),
            None,
            json!({ "code": code_in(&sms) }),
        )
        .await;
    assert_eq!(logins["logins"], json!(["petrov"]));
}
