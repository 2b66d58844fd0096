//! Waiting between retries, one rule for everything that retries: the client's requests and its
//! outbox, the service's messages and pushes, the sandbox acquirer's notifications.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// Exponential backoff with a cap and jitter. The wait before the n-th retry is `base` doubled
/// n − 1 times, never above `cap` (its ceiling), less a random share of it of at most `jitter`:
/// many senders failing together (phones back online, a provider back up) then do not all come
/// back at the same instant, and no wait is ever longer than the cap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The ceiling of the first retry's wait.
    pub base: Duration,
    /// No wait is longer.
    pub cap: Duration,
    /// The share of the ceiling, from 0 to 1, that may be taken off at random.
    pub jitter: f64,
}

impl Backoff {
    /// The longest wait before the `retry`-th retry (1 for the first; 0 is taken as 1).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.base.saturating_mul(1 << doublings).min(self.cap)
    }

    /// The wait before the `retry`-th retry (1 for the first), jittered.
    pub fn delay(&self, retry: u32) -> Duration {
        self.delay_with(retry, rand::random::<f64>())
    }

    /// The wait before the `retry`-th retry for a random `roll` from 0 to 1: the ceiling less
    /// `roll × jitter` of it. A roll or jitter outside 0..=1 (or not a number) is brought inside.
    pub fn delay_with(&self, retry: u32, roll: f64) -> Duration {
        let ceiling = self.ceiling(retry);
        let share = unit(self.jitter) * unit(roll);
        let off = Duration::try_from_secs_f64(ceiling.as_secs_f64() * share).unwrap_or_default();
        ceiling.saturating_sub(off)
    }

    /// When the `retry`-th retry is due, waiting from `now`.
    pub fn next_at(&self, retry: u32, now: DateTime<Utc>) -> DateTime<Utc> {
        let wait = TimeDelta::from_std(self.delay(retry)).unwrap_or(TimeDelta::MAX);
        now.checked_add_signed(wait).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

fn unit(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn backoff() -> impl Strategy<Value = Backoff> {
        (1u64..=60_000, 1u64..=3_600_000, 0.0f64..=1.0).prop_map(|(base, cap, jitter)| Backoff {
            base: Duration::from_millis(base),
            cap: Duration::from_millis(cap),
            jitter,
        })
    }

    #[test]
    fn the_wait_doubles_from_the_base_until_the_cap() {
        let b = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_millis(1000),
            jitter: 0.0,
        };
        let waits: Vec<u128> = (0..=6).map(|n| b.delay(n).as_millis()).collect();
        assert_eq!(waits, [100, 100, 200, 400, 800, 1000, 1000]);
        assert_eq!(b.delay(u32::MAX), Duration::from_millis(1000));
    }

    #[test]
    fn the_next_retry_is_due_the_wait_after_now() {
        let b =
            Backoff { base: Duration::from_secs(30), cap: Duration::from_secs(60), jitter: 0.0 };
        let now = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(b.next_at(2, now), now + TimeDelta::seconds(60));
        assert_eq!(b.next_at(1, DateTime::<Utc>::MAX_UTC), DateTime::<Utc>::MAX_UTC);
    }

    proptest! {
        #[test]
        fn the_ceiling_never_falls_and_never_passes_the_cap(b in backoff(), n in 0u32..80) {
            prop_assert!(b.ceiling(n) <= b.ceiling(n + 1));
            prop_assert!(b.ceiling(n + 1) <= b.cap);
            prop_assert!(b.ceiling(n + 1) <= b.ceiling(n).saturating_mul(2).max(b.base));
        }

        #[test]
        fn a_jittered_wait_stays_between_its_jitter_bound_and_the_ceiling(
            b in backoff(),
            n in 0u32..80,
            roll in prop_oneof![0.0f64..=1.0, Just(f64::NAN), Just(-1.0), Just(7.0)],
        ) {
            let (wait, ceiling) = (b.delay_with(n, roll), b.ceiling(n));
            prop_assert!(wait <= ceiling && wait <= b.cap);
            let floor = ceiling.as_secs_f64() * (1.0 - b.jitter);
            prop_assert!(wait.as_secs_f64() >= floor - 1e-9, "{wait:?} under {floor}");
            prop_assert!(b.delay(n) <= ceiling);
        }
    }
}
