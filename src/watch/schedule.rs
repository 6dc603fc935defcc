//! When `watch` polls next: the adaptive and fixed schedules, backoff after failures, and the
//! jitter and `Retry-After` of each wait. Pure logic: no I/O, no clock.

use std::time::Duration;

use crate::model::Kind;

/// The considerate default: poll after 1 minute, then back off while nothing changes.
pub const ADAPTIVE: [Duration; 4] = [
    Duration::from_secs(60),
    Duration::from_secs(120),
    Duration::from_secs(300),
    Duration::from_secs(900),
];

/// The adaptive schedule of an instant delivery (GoSend, GrabExpress), which takes hours, not
/// days: 30 seconds after a change, then 1, 2 and 5 minutes while nothing changes.
pub const INSTANT_ADAPTIVE: [Duration; 4] = [
    Duration::from_secs(30),
    Duration::from_secs(60),
    Duration::from_secs(120),
    Duration::from_secs(300),
];

/// The longest `Retry-After` a watch honours as asked; a longer one (or an absurd one) is
/// shortened to this, so a server cannot park the watch for days.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// When to poll.
#[derive(Debug, Clone, Copy)]
pub enum Schedule {
    /// 1 → 2 → 5 → 15 minutes while nothing changes; back to 1 after a change. Instant
    /// deliveries: 30 s → 1 → 2 → 5 minutes.
    Adaptive,
    /// `--interval`: always the same.
    Fixed(Duration),
}

impl Schedule {
    /// The delay after a successful poll of a parcel of `kind`, given how many polls in a row
    /// saw no change.
    pub fn after_success(self, quiet_polls: u32, kind: Kind) -> Duration {
        match self {
            Schedule::Adaptive => {
                let steps = adaptive(kind);
                steps[(quiet_polls as usize).min(steps.len() - 1)]
            }
            Schedule::Fixed(d) => d,
        }
    }

    /// The delay after the n-th failed poll in a row of one parcel (n ≥ 1): doubling from the
    /// base, capped.
    pub fn after_failure(self, failures: u32, kind: Kind) -> Duration {
        let (base, cap) = match self {
            Schedule::Adaptive => {
                let steps = adaptive(kind);
                (steps[0], steps[steps.len() - 1])
            }
            Schedule::Fixed(d) => (d, d.saturating_mul(8).max(d)),
        };
        let doubled = base.saturating_mul(1 << failures.saturating_sub(1).min(10));
        doubled.min(cap)
    }
}

fn adaptive(kind: Kind) -> &'static [Duration; 4] {
    match kind {
        Kind::Express => &ADAPTIVE,
        Kind::Instant => &INSTANT_ADAPTIVE,
    }
}

/// The wait before the next poll: the delay spread by ±10 % so many parcels do not poll in
/// lockstep, but never sooner than the server asked (`Retry-After`, capped at
/// [`MAX_RETRY_AFTER`]).
pub fn next_wait(
    delay: Duration,
    not_before: Option<Duration>,
    rng: &mut fastrand::Rng,
) -> Duration {
    // Saturating: no delay, however it was reached, can overflow into a panic.
    let spread = Duration::try_from_secs_f64(delay.as_secs_f64() * (0.9 + rng.f64() * 0.2))
        .unwrap_or(Duration::MAX);
    spread.max(not_before.unwrap_or_default().min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let (a, e, i) = (Schedule::Adaptive, Kind::Express, Kind::Instant);
        assert_eq!(a.after_success(0, e), Duration::from_secs(60));
        assert_eq!(a.after_success(3, e), Duration::from_secs(900));
        assert_eq!(a.after_success(99, e), Duration::from_secs(900));
        let f = Schedule::Fixed(Duration::from_secs(1));
        assert_eq!(f.after_success(7, i), Duration::from_secs(1));
        assert_eq!(f.after_failure(1, e), Duration::from_secs(1));
        assert_eq!(f.after_failure(3, e), Duration::from_secs(4));
        assert_eq!(f.after_failure(30, e), Duration::from_secs(8));
        assert_eq!(a.after_failure(9, e), Duration::from_secs(900));
        let instant: Vec<u64> = (0..5).map(|n| a.after_success(n, i).as_secs()).collect();
        assert_eq!(instant, [30, 60, 120, 300, 300]);
        assert_eq!(a.after_failure(1, i), Duration::from_secs(30));
        assert_eq!(a.after_failure(9, i), Duration::from_secs(300));
    }

    #[test]
    fn jitter_stays_within_ten_percent_and_never_undercuts_retry_after() {
        let mut rng = fastrand::Rng::with_seed(7);
        let secs = Duration::from_secs;
        for _ in 0..1000 {
            let d = next_wait(secs(100), None, &mut rng);
            assert!(d >= secs(90) && d <= secs(110));
            assert!(next_wait(secs(1), Some(secs(3)), &mut rng) >= secs(3));
        }
        let absurd = Some(Duration::from_secs(u64::MAX));
        assert_eq!(next_wait(secs(1), absurd, &mut rng), MAX_RETRY_AFTER);
    }

    #[test]
    fn waits_saturate_instead_of_overflowing() {
        let mut rng = fastrand::Rng::with_seed(7);
        assert_eq!(next_wait(Duration::MAX, None, &mut rng), Duration::MAX);
        let f = Schedule::Fixed(Duration::MAX);
        assert_eq!(f.after_failure(u32::MAX, Kind::Express), Duration::MAX);
    }
}
