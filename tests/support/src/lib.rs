//! What the server's tests, the end-to-end suites and the scripts share, written once: the day
//! on which every region's reading window is open, and the "browser" that fills in the sandbox
//! acquirer's card and 3-D Secure pages as a person would.

use chrono::{DateTime, Utc};

/// 21 November 2026, 13:00 in Kurgan: every region's reading window is open (scripts pass it
/// to `lk-server --start-at`).
pub const WINDOW_DAY: &str = "2026-11-21T08:00:00Z";

pub fn window_day() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(WINDOW_DAY).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// The demo card's 3-D Secure code on the sandbox acquirer's page.
pub const SECURE_CODE: &str = "123456";

/// A browser that shows redirects instead of following them, as the tests need to see where
/// each page sends the person.
pub struct SandboxBrowser {
    http: reqwest::Client,
}

/// What a page answered: its status and where it sends the browser (or, with no redirect, the
/// page itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub location: String,
}

impl Default for SandboxBrowser {
    fn default() -> SandboxBrowser {
        SandboxBrowser::new()
    }
}

impl SandboxBrowser {
    pub fn new() -> SandboxBrowser {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        SandboxBrowser { http }
    }

    /// Fills in the card page at `url` (any future expiry, a Latin name, any CVC); `remember`
    /// ticks "remember the card".
    pub async fn submit_card(&self, url: &str, card: &str, remember: bool) -> Answer {
        let mut form = vec![
            ("card_number", card),
            ("expiry", "12/29"),
            ("holder", "IVAN DEMO"),
            ("cvc", "123"),
        ];
        if remember {
            form.push(("remember", "on"));
        }
        self.post(url, &form).await
    }

    /// Types `code` on the 3-D Secure page at `url`.
    pub async fn submit_code(&self, url: &str, code: &str) -> Answer {
        self.post(url, &[("code", code)]).await
    }

    /// Pays on the page at `url` with `card` and the demo 3-D Secure code; answers where the
    /// browser is sent back to (empty when a page did not answer).
    pub async fn pay(&self, url: &str, card: &str) -> String {
        let origin = url.split("/sandbox-acquirer").next().unwrap_or_default();
        let secure = self.submit_card(url, card, false).await.location;
        self.submit_code(&format!("{origin}{secure}"), SECURE_CODE).await.location
    }

    async fn post(&self, url: &str, form: &[(&str, &str)]) -> Answer {
        let Ok(answer) = self.http.post(url).form(form).send().await else {
            return Answer { status: 0, location: String::new() };
        };
        let status = answer.status().as_u16();
        match answer.headers().get("location").and_then(|l| l.to_str().ok()) {
            Some(location) => Answer { status, location: location.to_owned() },
            None => Answer { status, location: answer.text().await.unwrap_or_default() },
        }
    }
}
