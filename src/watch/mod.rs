//! `watch`: follow parcels until each reaches a final status, printing only changes.
//!
//! [`run`] takes plain [`Options`] (resolved from the command line by `cmd/watch.rs`) and drives
//! one [`session`]:
//! - [`schedule`]: when to poll next (pure);
//! - [`watched`]: what is remembered of each parcel and what an answer changed (pure; `sync`
//!   uses it too);
//! - [`session`]: the loop that polls, decides what each answer means, and the exit code;
//! - [`printer`]: how the changes, notes and errors are written, around the status line;
//! - [`hook`]: `--exec`, the user's command run for a change;
//! - [`store`]: the parcel store followed for pushes, and every answer recorded.

pub mod hook;
pub mod printer;
pub mod schedule;
pub mod session;
pub mod store;
pub mod watched;

use std::time::Duration;

use crate::api::Client;
use crate::exit::Exit;
use crate::model::Kind;
use crate::output::Output;

pub use schedule::{Schedule, next_wait};
pub use watched::{Changes, NOT_FOUND_TRIES, Watched};

/// What a watch follows and how: the command line, resolved.
pub struct Options {
    /// The IDs to follow, each once, in the order given.
    pub ids: Vec<String>,
    /// The endpoint known from the start (a pinned service); `None`: each parcel's first answer
    /// decides.
    pub kind: Option<Kind>,
    pub schedule: Schedule,
    /// Change objects as JSON Lines instead of lines for people.
    pub json: bool,
    /// `--exec`: a shell command run for each change.
    pub exec: Option<String>,
    /// Stop after this long with the parcels still open named.
    pub timeout: Option<Duration>,
    /// At most this many polls in flight.
    pub concurrency: usize,
}

/// Follows `options.ids` with `client` until each is final (or the watch is stopped), recording
/// every answer in `store` and showing its pushes; says how to exit.
pub fn run(
    client: &Client,
    store: Option<crate::store::Store>,
    options: Options,
    out: &mut Output,
) -> anyhow::Result<Exit> {
    let mut session = session::Session::new(store, options, out);
    crate::runtime::block_on(session.watch(client))?
}
