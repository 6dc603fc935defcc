//! A store that a command records into as it goes (`track`, `watch`): the first failure is one
//! warning, then the store is left alone for the rest of the run, whose output and exit code do
//! not change because of it.

use crate::error::Error;
use crate::model::Parcel;
use crate::output;
use crate::store::{Learned, Store, StoreError};
use crate::time::Moment;

/// A store a command records into as it goes: the first failure is one warning, then the store
/// is left alone for the rest of the run.
pub struct Recorder {
    store: Option<Store>,
}

impl Recorder {
    pub fn new(store: Option<Store>) -> Recorder {
        Recorder { store }
    }

    pub fn is_on(&self) -> bool {
        self.store.is_some()
    }

    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// Records a tracking answer.
    pub fn pull(&mut self, parcel: &Parcel) -> Option<Learned> {
        let store = self.store.as_mut()?;
        match store.record_pull(parcel, Moment::now()) {
            Ok(learned) => Some(learned),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    pub fn fail(&mut self, err: StoreError) {
        warn_unused(&err.into_error());
        self.store = None;
    }
}

/// The one warning of a command that goes on without the store it could not use.
pub fn warn_unused(err: &Error) {
    let hint = err
        .hint()
        .map(|h| format!(" (hint: {h})"))
        .unwrap_or_default();
    output::warn(&format!("{err}; going on without the store{hint}"));
}
