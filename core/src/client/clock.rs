//! The service's time as this device knows it. A phone's clock can be off by hours or days (set
//! by hand, a flat battery, a demo service started on a chosen day), while the reading window
//! and the moment a reading was taken are judged by the supplier's clock. So the client follows
//! the `Date` header of the service's answers and applies the difference to its own clock.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

/// Differences this small are the header's whole seconds and the network's delay, not a wrong
/// clock: they neither move a known difference nor make one, so the device's own time is used
/// as it is and a steady difference stays steady (and is stored once, not at every answer).
const NOISE: TimeDelta = TimeDelta::seconds(5);

/// The difference between the service's clock and this device's, as last seen.
#[derive(Debug, Default)]
pub struct ServiceClock {
    skew_ms: AtomicI64,
}

impl ServiceClock {
    /// Takes note of an answer's `Date` header, received at `received` by the device's clock.
    /// A header that does not parse changes nothing.
    pub fn observe(&self, date_header: &str, received: DateTime<Utc>) {
        let Ok(service) = DateTime::parse_from_rfc2822(date_header) else {
            return;
        };
        let skew = service.to_utc() - received;
        if (skew - self.skew()).abs() < NOISE {
            return;
        }
        let skew = if skew.abs() < NOISE { TimeDelta::zero() } else { skew };
        self.set_skew_ms(skew.num_milliseconds());
    }

    /// The difference in milliseconds (service minus device), to keep across starts.
    pub fn skew_ms(&self) -> i64 {
        self.skew_ms.load(Ordering::Relaxed)
    }

    /// A difference kept from an earlier start, until the service tells otherwise.
    pub fn set_skew_ms(&self, skew_ms: i64) {
        self.skew_ms.store(skew_ms, Ordering::Relaxed);
    }

    fn skew(&self) -> TimeDelta {
        TimeDelta::milliseconds(self.skew_ms())
    }

    /// The service's time now, by the device's clock and the last difference seen.
    pub fn now(&self) -> DateTime<Utc> {
        self.at(Utc::now())
    }

    fn at(&self, device: DateTime<Utc>) -> DateTime<Utc> {
        device + self.skew()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn a_service_days_behind_moves_the_devices_sense_of_time_back() {
        let clock = ServiceClock::default();
        clock.observe("Sat, 21 Nov 2026 08:00:00 GMT", utc("2026-11-27T06:30:00Z"));
        assert_eq!(clock.at(utc("2026-11-27T06:31:00Z")), utc("2026-11-21T08:01:00Z"));
    }

    #[test]
    fn a_few_seconds_of_header_rounding_and_network_delay_are_ignored() {
        let clock = ServiceClock::default();
        clock.observe("Fri, 27 Nov 2026 06:29:58 GMT", utc("2026-11-27T06:30:00.900Z"));
        let device = utc("2026-11-27T06:31:00Z");
        assert_eq!(clock.at(device), device);
    }

    #[test]
    fn a_steady_difference_stays_as_first_seen_and_a_corrected_phone_drops_it() {
        let clock = ServiceClock::default();
        clock.observe("Sat, 21 Nov 2026 08:00:00 GMT", utc("2026-11-27T06:30:00Z"));
        let first = clock.skew_ms();
        clock.observe("Sat, 21 Nov 2026 08:01:00 GMT", utc("2026-11-27T06:31:00.800Z"));
        assert_eq!(clock.skew_ms(), first, "under a second of rounding changes nothing");
        clock.observe("Sat, 21 Nov 2026 08:02:00 GMT", utc("2026-11-21T08:02:01Z"));
        assert_eq!(clock.skew_ms(), 0);
    }

    #[test]
    fn an_unreadable_header_keeps_the_last_difference() {
        let clock = ServiceClock::default();
        clock.observe("Sat, 21 Nov 2026 08:00:00 GMT", utc("2026-11-21T09:00:00Z"));
        clock.observe("yesterday", utc("2026-11-21T09:00:00Z"));
        assert_eq!(clock.at(utc("2026-11-21T10:00:00Z")), utc("2026-11-21T09:00:00Z"));
    }
}
