//! The service's web pages in a real browser: headless Chromium on a phone's screen, driven over
//! WebDriver (chromedriver). A resident pays on the sandbox acquirer's card page, mistypes and
//! retypes the 3-D Secure code, is sent back to the app's link, and opens the pages of e-mail
//! links. Each page must fit the screen and bring up the right keyboard.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/test` installs them). With
//! `LK_PAGE_SCREENSHOTS=docs` the screenshots are saved there (`scripts/render-pages`).

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{Server, link_in, start_at, window_day};
use reqwest::StatusCode;
use serde_json::{Value, json};

const RETURN_URL: &str = "lk://payments/return";

/// A phone: the viewport of a 6.1" handset and its browser's user agent.
const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;
const USER_AGENT: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
                          (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36";

/// The key WebDriver names an element by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver and the browser session it runs; both ended by [`Browser::quit`].
struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    profile: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver: apt-get install chromium chromium-driver (scripts/test does)");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let ready = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(ready.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // A fresh profile each run; nothing is fetched from outside loopback.
        let profile =
            std::env::temp_dir().join(format!("lk-chromium-{}-{port}", std::process::id()));
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "mobileEmulation": {
                    "deviceMetrics": { "width": WIDTH, "height": HEIGHT, "pixelRatio": 2.0, "touch": true, "mobile": true },
                    "userAgent": USER_AGENT,
                },
            },
            // The network log shows the redirect to the app's link, which the browser cannot open.
            "goog:loggingPrefs": { "performance": "ALL" },
        }}});
        let answer: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {answer}"))
            .to_owned();
        Browser { driver, http, session: format!("{base}/session/{session}"), profile }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        assert!(answer["value"]["error"].is_null(), "WebDriver {path}: {answer}");
        answer["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn open(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    async fn run(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": [] })).await
    }

    async fn text(&self) -> String {
        // Empty while a page is still loading.
        let text = self.run("return document.body ? document.body.innerText : ''").await;
        text.as_str().unwrap_or_default().to_owned()
    }

    async fn element(&self, css: &str) -> String {
        let found = self.post("/element", json!({ "using": "css selector", "value": css })).await;
        found[ELEMENT].as_str().unwrap_or_else(|| panic!("{css}: {found}")).to_owned()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let element = self.element(css).await;
        self.post(&format!("/element/{element}/clear"), json!({})).await;
        self.post(&format!("/element/{element}/value"), json!({ "text": text })).await;
    }

    async fn click(&self, css: &str) {
        let element = self.element(css).await;
        self.post(&format!("/element/{element}/click"), json!({})).await;
    }

    /// Waits until the page's text has `wanted`.
    async fn wait_for_text(&self, wanted: &str) -> String {
        let since = Instant::now();
        loop {
            let text = self.text().await;
            if text.contains(wanted) {
                return text;
            }
            assert!(since.elapsed() < Duration::from_secs(15), "no «{wanted}» on the page: {text}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page fits the phone's width: nothing to scroll sideways.
    async fn assert_fits_the_screen(&self, page: &str) {
        let widths = self
            .run("return [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
            .await;
        let (document, body, inner) =
            (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap(), widths[2].as_u64().unwrap());
        assert_eq!(inner, u64::from(WIDTH), "{page}: the phone's viewport");
        assert!(document <= inner && body <= inner, "{page} scrolls sideways: {widths}");
    }

    /// Each input's `name`, `inputmode` and `autocomplete`, as a phone reads them.
    async fn inputs(&self) -> Vec<(String, String, String)> {
        let found = self
            .run(
                "return [...document.querySelectorAll('input:not([type=radio]):not([type=checkbox])')]\
                 .map(i => [i.name, i.inputMode, i.autocomplete])",
            )
            .await;
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let field = |n: usize| i[n].as_str().unwrap().to_owned();
                (field(0), field(1), field(2))
            })
            .collect()
    }

    /// Saves what the screen shows, when asked to (`LK_PAGE_SCREENSHOTS`).
    async fn screenshot(&self, name: &str) {
        let png = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        if let Ok(dir) = std::env::var("LK_PAGE_SCREENSHOTS") {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
            std::fs::write(path.join(format!("{name}.png")), png).unwrap();
        }
    }

    /// The URLs the browser was sent to since the last call (from Chrome's network log).
    async fn requested_urls(&self) -> Vec<String> {
        let log = self.post("/se/log", json!({ "type": "performance" })).await;
        log.as_array()
            .unwrap()
            .iter()
            .filter_map(|entry| {
                let message: Value = serde_json::from_str(entry["message"].as_str()?).ok()?;
                let message = &message["message"];
                (message["method"] == "Network.requestWillBeSent")
                    .then(|| message["params"]["request"]["url"].as_str().map(str::to_owned))?
            })
            .collect()
    }

    async fn quit(mut self) {
        let _ = self.http.delete(&self.session).send().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Runs `steps` with a browser, and ends the browser even when a step fails.
async fn with_browser<F>(steps: impl FnOnce(std::sync::Arc<Browser>) -> F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let browser = std::sync::Arc::new(Browser::start().await);
    let outcome = tokio::spawn(steps(browser.clone())).await;
    if let Ok(browser) = std::sync::Arc::try_unwrap(browser) {
        browser.quit().await;
    }
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

async fn start_payment(s: &Server, token: &str) -> (String, String) {
    let (_, accounts) = s.get("/accounts", Some(token)).await;
    let request = json!({
        "account_number": accounts[0]["number"],
        "period": "2026-10",
        "total": "1500.00",
        "receipt_contact": { "email": "demo@example.ru" },
        "return_url": RETURN_URL,
    });
    let (status, started) = s.post_once("/payments", token, "browser-pay-0001", request).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    (
        started["payment"]["id"].as_str().unwrap().to_owned(),
        started["confirmation_url"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn on_a_phone_a_resident_pays_by_card_retypes_a_mistyped_3ds_code_and_returns_to_the_app() {
    let s = std::sync::Arc::new(start_at(window_day()).await);
    let token = s.token("demo", "Demo-2026").await;
    let (id, url) = start_payment(&s, &token).await;
    let server = s.clone();
    with_browser(move |b| async move {
        // The card page: numbers bring up the digit keyboard, the fields are autofilled.
        b.open(&url).await;
        b.wait_for_text("Оплата картой").await;
        b.assert_fits_the_screen("the card page").await;
        let inputs = b.inputs().await;
        for (name, mode, autocomplete) in [
            ("card_number", "numeric", "cc-number"),
            ("expiry", "numeric", "cc-exp"),
            ("holder", "", "cc-name"),
            ("cvc", "numeric", "cc-csc"),
        ] {
            assert!(
                inputs.contains(&(name.into(), mode.into(), autocomplete.into())),
                "{name}: inputmode={mode}, autocomplete={autocomplete} in {inputs:?}"
            );
        }
        b.screenshot("sandbox-card-page").await;

        // A typo in the number is shown on the page, which still fits.
        b.type_into("#card_number", "4111 1111 1111 1112").await;
        b.type_into("#expiry", "12/29").await;
        b.type_into("#holder", "IVAN DEMO").await;
        b.type_into("#cvc", "123").await;
        b.click("button[type=submit]").await;
        b.wait_for_text("Номер карты набран с ошибкой").await;
        b.assert_fits_the_screen("the card page with an error").await;
        b.type_into("#card_number", "4111 1111 1111 1111").await;
        b.type_into("#cvc", "123").await;
        b.click("button[type=submit]").await;

        // 3-D Secure: a mistyped code is refused with the tries left, then the right one passes.
        b.wait_for_text("Подтверждение платежа").await;
        b.assert_fits_the_screen("the 3-D Secure page").await;
        assert_eq!(b.inputs().await, [("code".into(), "numeric".into(), "one-time-code".into())]);
        b.type_into("#code", "123465").await;
        b.click("button[type=submit]").await;
        b.wait_for_text("Неверный код. Осталось попыток: 2").await;
        b.assert_fits_the_screen("the 3-D Secure page with an error").await;
        b.screenshot("sandbox-3ds-page").await;
        b.requested_urls().await;
        b.type_into("#code", "123456").await;
        b.click("button[type=submit]").await;

        // Back to the app: the browser is sent to its link (a phone would open the app).
        let since = Instant::now();
        loop {
            if b.requested_urls().await.iter().any(|u| u == RETURN_URL) {
                break;
            }
            assert!(since.elapsed() < Duration::from_secs(15), "never sent to {RETURN_URL}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (_, view) = server.get(&format!("/payments/{id}"), Some(&token)).await;
        assert_eq!(view["payment"]["status"], "succeeded", "{view}");

        // The bank page opened again says the order is done and links back to the app.
        b.open(&url).await;
        let text = b.wait_for_text("Заказ уже обработан").await;
        assert!(text.contains("Оплачен"), "{text}");
        let back = b.run("return document.querySelector('a').getAttribute('href')").await;
        assert_eq!(back, RETURN_URL);
        b.assert_fits_the_screen("the finished order page").await;
        b.screenshot("sandbox-return-page").await;
    })
    .await;
}

#[tokio::test]
async fn on_a_phone_the_pages_of_e_mail_links_fit_the_screen() {
    let s = start_at(window_day()).await;
    let (number, proof) = s.free_account(1).await;
    let captcha = s.captcha().await;
    let details = json!({ "login": "browser.user", "password": "Sekret-2026", "channel": "email",
                          "contact": "browser.user@example.ru", "city": "Курган" });
    let consent = json!({ "given": true, "text_version": "2026-01" });
    let (status, registration) = s
        .post(
            "/registrations",
            None,
            json!({ "details": details, "captcha": captcha, "consent": consent }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{registration}");
    let id = registration["id"].as_str().unwrap();
    let body = json!({ "account_number": number, "latest_document_total": proof });
    assert_eq!(s.put(&format!("/registrations/{id}/account"), None, body).await.0, StatusCode::OK);
    s.post(&format!("/registrations/{id}/account/confirm"), None, json!({})).await;
    let registration_link = link_in(&s.last_message("browser.user@example.ru").await);
    let token = s.token("demo", "Demo-2026").await;
    let (status, _) =
        s.post("/profile/email", Some(&token), json!({ "value": "demo.new@example.ru" })).await;
    assert!(status.is_success(), "{status}");
    let email_link = link_in(&s.last_message("demo.new@example.ru").await);

    with_browser(move |b| async move {
        b.open(&registration_link).await;
        b.wait_for_text("Регистрация завершена").await;
        b.assert_fits_the_screen("the registration link page").await;
        b.screenshot("registration-link-page").await;
        // The same link again: it worked once, and says so.
        b.open(&registration_link).await;
        b.wait_for_text("Ссылка не сработала").await;
        b.assert_fits_the_screen("a used link's page").await;

        b.open(&email_link).await;
        b.wait_for_text("Адрес подтверждён").await;
        b.assert_fits_the_screen("the e-mail change link page").await;
        b.screenshot("email-change-link-page").await;
    })
    .await;
}
