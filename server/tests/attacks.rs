//! The service against an attacker on its public API (issue 15): lockouts that hold under
//! parallel guesses, limits a stranger cannot use to lock the owner out, no enumeration of
//! logins, stolen refresh tokens, absurd values. Each was a hole before its fix.

mod common;

use chrono::Duration;
use common::start;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Sends `n` sign-ins at once, each with its own password, and answers their statuses.
async fn parallel_sign_ins(s: &common::Server, login: &str, passwords: &[String]) -> Vec<Value> {
    let calls = passwords.iter().map(|password| {
        let (http, url) = (s.http.clone(), format!("{}/sessions", s.base));
        let body = json!({ "login": login, "password": password });
        async move {
            let response = http.post(url).json(&body).send().await.unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            json!({ "status": status.as_u16(), "code": body["code"] })
        }
    });
    futures_join_all(calls).await
}

async fn futures_join_all<F: std::future::Future<Output = Value> + Send + 'static>(
    calls: impl Iterator<Item = F>,
) -> Vec<Value> {
    let tasks: Vec<_> = calls.map(tokio::spawn).collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

fn count(answers: &[Value], code: &str) -> usize {
    answers.iter().filter(|a| a["code"] == code).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_passwords_are_checked_at_most_five_times_before_the_lock() {
    let s = start().await;
    let guesses: Vec<String> = (0..20).map(|i| format!("Wrong-{i:04}")).collect();
    let answers = parallel_sign_ins(&s, "demo", &guesses).await;
    assert_eq!(count(&answers, "invalid_credentials"), 5, "{answers:?}");
    assert_eq!(count(&answers, "login_locked"), 15, "{answers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_a_burst_of_fifteen_wrong_passwords_the_right_one_is_locked_out() {
    let s = start().await;
    let guesses: Vec<String> = (0..15).map(|i| format!("Wrong-{i:04}")).collect();
    let answers = parallel_sign_ins(&s, "demo", &guesses).await;
    assert_eq!(count(&answers, "invalid_credentials"), 5, "{answers:?}");
    let right = parallel_sign_ins(&s, "demo", &["Demo-2026".to_owned()]).await;
    assert_eq!(right[0]["code"], "login_locked", "{right:?}");
}

#[tokio::test]
async fn unknown_logins_lock_like_real_ones() {
    let s = start().await;
    for login in ["demo", "nobody-here"] {
        for _ in 0..5 {
            assert_eq!(s.sign_in(login, "Wrong-2026").await.1["code"], "invalid_credentials");
        }
        let (status, error) = s.sign_in(login, "Wrong-2026").await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::TOO_MANY_REQUESTS, Some("login_locked")),
            "{login}"
        );
    }
}

#[tokio::test]
async fn linking_an_account_counts_wrong_passwords_towards_that_logins_lock() {
    let s = start().await;
    let token = s.token("demo", "Demo-2026").await;
    let link = |password: &str| json!({ "login": "petrov", "password": password });
    for _ in 0..5 {
        let (status, error) = s.post("/profile/accounts", Some(&token), link("Wrong-2026")).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("invalid_credentials"))
        );
    }
    let (status, error) = s.post("/profile/accounts", Some(&token), link("Petrov-2026")).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("login_locked"))
    );
    let (status, _) = s.sign_in("petrov", "Petrov-2026").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the owner's login is locked as well");
}

#[tokio::test]
async fn wrong_current_passwords_on_a_password_change_lock_the_login() {
    let s = start().await;
    let token = s.token("demo", "Demo-2026").await;
    let change = |old: &str| json!({ "old_password": old, "new_password": "Newer-2026", "new_password_repeat": "Newer-2026" });
    for _ in 0..5 {
        let (status, error) = s.put("/profile/password", Some(&token), change("Wrong-2026")).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("wrong_password"))
        );
        assert_eq!(error["field"], "old_password");
    }
    let (status, error) = s.put("/profile/password", Some(&token), change("Demo-2026")).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("login_locked"))
    );
}

#[tokio::test]
async fn a_right_password_gives_the_attempts_back() {
    let s = start().await;
    for _ in 0..4 {
        s.sign_in("demo", "Wrong-2026").await;
    }
    assert_eq!(s.sign_in("demo", "Demo-2026").await.0, StatusCode::CREATED);
    for _ in 0..4 {
        assert_eq!(s.sign_in("demo", "Wrong-2026").await.1["code"], "invalid_credentials");
    }
    assert_eq!(s.sign_in("demo", "Demo-2026").await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn recovery_with_a_wrong_captcha_spends_nothing_of_the_contacts_code_budget() {
    let s = start().await;
    let bogus = json!({ "channel": "phone", "contact": "+79120000001",
                        "captcha": { "id": "nope", "answer": "00000" } });
    for _ in 0..8 {
        let (status, error) = s.post("/recoveries", None, bogus.clone()).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("captcha_wrong"))
        );
    }
    let captcha = s.captcha().await;
    let real = json!({ "channel": "phone", "contact": "+79120000001", "captcha": captcha });
    let (status, started) = s.post("/recoveries", None, real).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
}

#[tokio::test]
async fn registration_says_login_taken_only_after_a_solved_captcha() {
    let s = start().await;
    let form = |captcha: Value| {
        json!({ "details": { "login": "demo", "password": "Sekret-2026", "channel": "phone",
                             "contact": "+79125550000", "city": "Курган" },
                "captcha": captcha, "consent": { "given": true, "text_version": "2026-01" } })
    };
    let (_, error) =
        s.post("/registrations", None, form(json!({ "id": "x", "answer": "1" }))).await;
    assert_eq!(error["code"], "captcha_wrong", "no answer about the login without a CAPTCHA");
    let captcha = s.captcha().await;
    let (status, error) = s.post("/registrations", None, form(captcha)).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::CONFLICT, Some("login_taken")));
}

#[tokio::test]
async fn a_replayed_refresh_token_ends_the_session_for_both_holders() {
    let s = start().await;
    let (_, tokens) = s.sign_in("demo", "Demo-2026").await;
    let stolen = tokens["refresh_token"].as_str().unwrap().to_owned();
    let (status, renewed) =
        s.post("/sessions/refresh", None, json!({ "refresh_token": stolen })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = s.post("/sessions/refresh", None, json!({ "refresh_token": stolen })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let access = renewed["access_token"].as_str().unwrap();
    assert_eq!(s.get("/profile", Some(access)).await.0, StatusCode::UNAUTHORIZED);
    let (status, _) = s
        .post("/sessions/refresh", None, json!({ "refresh_token": renewed["refresh_token"] }))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the rotated-to token is void as well");
}

#[tokio::test]
async fn codes_to_new_phones_are_budgeted_per_profile() {
    let s = start().await;
    let token = s.token("demo", "Demo-2026").await;
    for i in 0..5 {
        let phone = format!("+7912000{i:04}");
        let (status, body) =
            s.post("/profile/phone", Some(&token), json!({ "value": phone })).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, error) =
        s.post("/profile/phone", Some(&token), json!({ "value": "+79120009999" })).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests"))
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let s = start().await;
    let token = s.token("demo", "Demo-2026").await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let response = s
            .http
            .get(format!("{}/profile", s.base))
            .header("authorization", format!("{scheme} {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{scheme}");
    }
}

#[tokio::test]
async fn a_lock_ends_after_fifteen_minutes_and_the_count_starts_again() {
    let s = start().await;
    for _ in 0..5 {
        s.sign_in("ivanova", "Wrong-2026").await;
    }
    assert_eq!(s.sign_in("ivanova", "Ivanova-2026").await.0, StatusCode::TOO_MANY_REQUESTS);
    s.advance(Duration::minutes(15) + Duration::seconds(1));
    for _ in 0..4 {
        assert_eq!(s.sign_in("ivanova", "Wrong-2026").await.1["code"], "invalid_credentials");
    }
    assert_eq!(s.sign_in("ivanova", "Ivanova-2026").await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn a_push_token_of_a_live_session_elsewhere_is_not_taken_over() {
    let s = start().await;
    let demo = s.token("demo", "Demo-2026").await;
    let petrov = s.token("petrov", "Petrov-2026").await;
    let device = json!({ "platform": "fcm", "token": "victims-phone" });
    assert_eq!(s.post("/devices", Some(&demo), device.clone()).await.0, StatusCode::NO_CONTENT);
    let (status, error) = s.post("/devices", Some(&petrov), device.clone()).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::CONFLICT, Some("device_in_use")));
    // Signed out on the phone: the next resident there gets its pushes.
    s.call(reqwest::Method::DELETE, "/sessions/current", Some(&demo), None).await;
    assert_eq!(s.post("/devices", Some(&petrov), device).await.0, StatusCode::NO_CONTENT);
}

/// The binary as someone deploys it: no flags but where to listen.
fn spawn_service(args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_lk-server"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("lk-server")
}

#[tokio::test]
async fn the_service_started_without_flags_has_no_demo_data_and_no_demo_pages() {
    use std::io::BufRead;
    let mut child = spawn_service(&["--in-memory", "--addr", "127.0.0.1:0"]);
    // Log lines come first; the address is on the line that says where it listens.
    let listening = std::io::BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(Result::unwrap)
        .find(|line| line.contains("работает на"))
        .unwrap();
    let base = listening.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_owned();
    let http = reqwest::Client::new();
    let outbox = http.get(format!("{base}/api/v1/demo/outbox")).send().await.unwrap();
    assert_eq!(outbox.status(), StatusCode::NOT_FOUND, "no published codes");
    let doc = http.get(format!("{base}/api/v1/openapi.json")).send().await.unwrap();
    assert!(!doc.text().await.unwrap().contains("/demo/"), "no demo paths listed");
    let sign_in = http
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({ "login": "demo", "password": "Demo-2026" }))
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), StatusCode::UNAUTHORIZED, "no demo logins");
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn demo_mode_on_an_address_others_reach_is_refused_unless_asked_twice() {
    let out = spawn_service(&["--demo", "--in-memory", "--addr", "0.0.0.0:0"])
        .wait_with_output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--demo-on-public-address"));
}
