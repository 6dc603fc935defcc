//! `watch` and the parcel store: every answer recorded, and pushes `listen` feeds into the store
//! turned into changes as if a poll had brought them.
//!
//! The store is checked a few times a second, cheaply: only when another process has committed
//! since the last check (SQLite's `data_version`) are the watched parcels looked up, and only a
//! parcel whose `last_push_at` moved is read whole. A parcel that had pushed news is not polled
//! until it has had no news for its poll interval, so while pushes flow a watch makes no request
//! beyond the first one per parcel. Without a store, none of this runs.

use std::time::Duration;

use tokio::time::Instant;

use crate::model::Parcel;
use crate::store::Store;
use crate::store::recorder::Recorder;
use crate::time::Moment;

/// How often the store is checked for pushes: a pushed change is printed well within a second
/// of `listen`'s 200.
pub const CHECK_EVERY: Duration = Duration::from_millis(200);

pub struct StoreFeed {
    recorder: Recorder,
    data_version: Option<i64>,
    /// Per watched parcel: the last push already shown.
    seen_push: Vec<Option<Moment>>,
    /// Per watched parcel: not to be polled before this (pushed news is fresh).
    quiet_until: Vec<Option<Instant>>,
}

impl StoreFeed {
    /// `queries`: the watched IDs, in the watch's order. Pushes already in the store are not
    /// news: the first poll shows the parcel whole.
    pub fn new(store: Option<Store>, queries: &[&str]) -> StoreFeed {
        let seen_push = queries
            .iter()
            .map(|q| {
                store
                    .as_ref()
                    .and_then(|s| s.last_push_at(q).ok().flatten())
            })
            .collect();
        let data_version = store.as_ref().and_then(|s| s.data_version().ok());
        StoreFeed {
            recorder: Recorder::new(store),
            data_version,
            seen_push,
            quiet_until: vec![None; queries.len()],
        }
    }

    pub fn is_on(&self) -> bool {
        self.recorder.is_on()
    }

    /// Records a polled answer for parcel `i`. Returns the parcel to show: the store's view when
    /// pushes have been seen for it (so that an answer lagging behind a push does not move it
    /// back), else the answer itself, exactly as without a store.
    pub fn polled(&mut self, i: usize, query: &str, parcel: Parcel) -> Parcel {
        self.recorder.pull(&parcel);
        if self.seen_push.get(i).copied().flatten().is_none() {
            return parcel;
        }
        match self
            .recorder
            .store()
            .and_then(|s| s.get(query).ok().flatten())
        {
            Some(stored) => {
                let mut view = stored.to_parcel();
                view.query = parcel.query;
                view
            }
            None => parcel,
        }
    }

    /// Parcels among `open` (index, query) with a push not shown yet, as the store now knows
    /// them.
    pub fn pushed<'q>(
        &mut self,
        open: impl Iterator<Item = (usize, &'q str)>,
    ) -> Vec<(usize, Parcel)> {
        let Some(store) = self.recorder.store() else {
            return Vec::new();
        };
        let version = store.data_version().ok();
        if version.is_none() || version == self.data_version {
            return Vec::new();
        }
        self.data_version = version;
        let mut found = Vec::new();
        for (i, query) in open {
            let Ok(Some(at)) = store.last_push_at(query) else {
                continue;
            };
            if self.seen_push.get(i).copied().flatten() >= Some(at) {
                continue;
            }
            if let Ok(Some(stored)) = store.get(query) {
                self.seen_push[i] = Some(at);
                let mut parcel = stored.to_parcel();
                parcel.query = query.to_owned();
                found.push((i, parcel));
            }
        }
        found
    }

    /// Parcel `i` had pushed news: not to be polled for `interval`.
    pub fn quiet_for(&mut self, i: usize, interval: Duration) {
        if let Some(slot) = self.quiet_until.get_mut(i) {
            *slot = Instant::now().checked_add(interval);
        }
    }

    /// When parcel `i`, due now, may be polled instead: `None` when now.
    pub fn deferred(&self, i: usize) -> Option<Instant> {
        self.quiet_until
            .get(i)
            .copied()
            .flatten()
            .filter(|until| *until > Instant::now())
    }
}
