//! What `watch` (and `sync`) remember of each parcel, and what one answer changed since the
//! last. Pure logic: no I/O, no clock.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::model::{HistoryEntry, Kind, Parcel};
use crate::status::Status;

/// How often an ID that is not found is asked again before the watch gives up on it: a new
/// order may take a little while to appear.
pub const NOT_FOUND_TRIES: u32 = 4;

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
}
