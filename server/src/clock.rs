//! The server's sense of time, injected so that expiry and lockout rules can be tested by moving
//! a clock instead of waiting.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The real clock moved to start at another moment, then running on: demos and scripted tests
/// on a chosen day (say, inside every region's reading window) whatever the date really is.
pub struct ShiftedClock(chrono::TimeDelta);

impl ShiftedClock {
    pub fn starting_at(start: DateTime<Utc>) -> ShiftedClock {
        ShiftedClock(start - Utc::now())
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.0
    }
}

/// A clock that only moves when told to.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new(start))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Stamps each response's `Date` with the service's own time (hyper would stamp the machine's):
/// devices judge reading windows and date their readings by the service's clock, also when it
/// is shifted for a demo or a scripted test.
pub async fn stamp_date(State(clock): State<Arc<dyn Clock>>, mut response: Response) -> Response {
    let date = http_date(clock.now());
    if let Ok(value) = HeaderValue::from_str(&date) {
        response.headers_mut().insert(header::DATE, value);
    }
    response
}

/// RFC 9110's IMF-fixdate: `Sat, 21 Nov 2026 08:00:00 GMT`.
fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_header_is_an_imf_fixdate() {
        let at = DateTime::parse_from_rfc3339("2026-11-21T08:00:05Z").unwrap().to_utc();
        assert_eq!(http_date(at), "Sat, 21 Nov 2026 08:00:05 GMT");
    }

    #[test]
    fn a_shifted_clock_starts_at_the_chosen_moment_and_runs_on() {
        let start = DateTime::parse_from_rfc3339("2026-11-21T08:00:00Z").unwrap().to_utc();
        let clock = ShiftedClock::starting_at(start);
        let first = clock.now();
        assert!((first - start).num_seconds().abs() < 5);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() > first);
    }
}
