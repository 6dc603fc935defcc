//! `watch`: follow parcels until each reaches a final status, printing only changes.
//!
//! - [`schedule`]: when to poll next (pure);
//! - [`store`]: the parcel store followed for pushes, and every answer recorded;
//! - [`watched`]: what is remembered of each parcel and what an answer changed (pure; `sync`
//!   uses it too).

pub mod schedule;
pub mod store;
pub mod watched;

pub use schedule::{Schedule, next_wait};
pub use watched::{Changes, NOT_FOUND_TRIES, Watched};
