//! What `watch` remembers about each parcel, and when it polls next. Pure logic: no I/O, no
//! clock; `cmd/watch.rs` drives it.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Duration;

use crate::model::{HistoryEntry, Kind, Parcel};
use crate::status::Status;

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

/// How often an ID that is not found is asked again before the watch gives up on it: a new
/// order may take a little while to appear.
pub const NOT_FOUND_TRIES: u32 = 4;

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

/// What one successful poll changed.
#[derive(Debug, Default)]
pub struct Changes {
    /// True on the first successful poll: the caller shows the whole parcel.
    pub first: bool,
    /// History entries not seen before, oldest first.
    pub new_entries: Vec<HistoryEntry>,
    /// The current status, when it differs from the last one seen: (before, after).
    pub status: Option<(Option<Status>, Status)>,
    /// An instant delivery's live tracking link, when it is new since the last answer.
    pub live_tracking_url: Option<String>,
}

impl Changes {
    pub fn any(&self) -> bool {
        !self.new_entries.is_empty() || self.status.is_some() || self.live_tracking_url.is_some()
    }
}

/// One watched parcel.
#[derive(Debug)]
pub struct Watched {
    pub query: String,
    /// The endpoint that knows this parcel: set by `--service`, else by the first answer, so
    /// that later polls ask only that one.
    pub kind: Option<Kind>,
    /// Fingerprints of every history entry shown so far: each is printed once, whatever order or
    /// subset later answers bring. A fingerprint, not the entry, keeps memory flat.
    seen: HashSet<u64>,
    pub status: Option<Status>,
    live_tracking_url: Option<String>,
    /// Successful polls in a row without a change (for the adaptive schedule).
    pub quiet_polls: u32,
    /// "Not found" answers in a row.
    pub not_found: u32,
    /// Failed polls in a row (connection errors, 5xx, …), for this parcel's backoff.
    pub failures: u32,
    pub ended: bool,
}

impl Watched {
    pub fn new(query: String, kind: Option<Kind>) -> Watched {
        Watched {
            query,
            kind,
            seen: HashSet::new(),
            status: None,
            live_tracking_url: None,
            quiet_polls: 0,
            not_found: 0,
            failures: 0,
            ended: false,
        }
    }

    /// Takes in a fresh answer and says what changed since the last one.
    pub fn observe(&mut self, parcel: &Parcel) -> Changes {
        let first = self.status.is_none();
        self.not_found = 0;
        self.kind = Some(parcel.kind);
        let mut new_entries: Vec<HistoryEntry> = parcel
            .histories
            .iter()
            .filter(|entry| self.seen.insert(fingerprint(entry)))
            .cloned()
            .collect();
        new_entries.reverse();
        let status = match &self.status {
            Some(old) if *old == parcel.status => None,
            old => Some((old.clone(), parcel.status.clone())),
        };
        self.status = Some(parcel.status.clone());
        let link = parcel.live_tracking_url.clone();
        let new_link = (link.is_some() && link != self.live_tracking_url)
            .then(|| link.clone())
            .flatten();
        self.live_tracking_url = link;
        let changes = Changes {
            first,
            new_entries: if first { Vec::new() } else { new_entries },
            status: if first { None } else { status },
            live_tracking_url: if first { None } else { new_link },
        };
        if changes.any() || first {
            self.quiet_polls = 0;
        } else {
            self.quiet_polls = self.quiet_polls.saturating_add(1);
        }
        changes
    }
}

fn fingerprint(entry: &HistoryEntry) -> u64 {
    let mut hasher = DefaultHasher::new();
    (
        entry.at,
        entry.status_code,
        &entry.text,
        &entry.instant_code,
    )
        .hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawResponse;
    use serde_json::json;

    fn parcel(code: i64, entries: &[(&str, i64, &str)]) -> Parcel {
        let histories: Vec<_> = entries
            .iter()
            .map(|(at, code, text)| json!({"created_at": at, "status_code": code, "status": text}))
            .collect();
        let body =
            json!({"status": true, "status_code": code, "details": {}, "histories": histories});
        RawResponse::from_slice(body.to_string().as_bytes())
            .unwrap()
            .into_parcel("Q")
            .unwrap()
    }

    #[test]
    fn first_poll_is_a_snapshot_then_only_news_oldest_first() {
        let mut w = Watched::new("Q".into(), None);
        let c = w.observe(&parcel(101, &[("2024-01-01 10:00:00", 101, "created")]));
        assert!(c.first && c.new_entries.is_empty() && c.status.is_none());

        let c = w.observe(&parcel(101, &[("2024-01-01 10:00:00", 101, "created")]));
        assert!(!c.any());
        assert_eq!(w.quiet_polls, 1);

        let c = w.observe(&parcel(
            100,
            &[
                ("2024-01-02 09:00:00", 100, "at hub"),
                ("2024-01-01 12:00:00", 100, "picked up"),
                ("2024-01-01 10:00:00", 101, "created"),
            ],
        ));
        let texts: Vec<_> = c
            .new_entries
            .iter()
            .map(|e| e.text.clone().unwrap())
            .collect();
        assert_eq!(texts, ["picked up", "at hub"]);
        let (before, after) = c.status.unwrap();
        assert_eq!(before.unwrap().code, Some(101));
        assert_eq!(after.code, Some(100));
        assert_eq!(w.quiet_polls, 0);
    }

    #[test]
    fn an_answer_missing_entries_does_not_bring_them_back_twice() {
        let mut w = Watched::new("Q".into(), None);
        let full = parcel(
            100,
            &[
                ("2024-01-02 09:00:00", 100, "b"),
                ("2024-01-01 09:00:00", 101, "a"),
            ],
        );
        w.observe(&full);
        let partial = parcel(100, &[("2024-01-01 09:00:00", 101, "a")]);
        assert!(!w.observe(&partial).any());
        assert!(!w.observe(&full).any());
    }

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
