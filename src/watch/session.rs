//! One watch session: a single loop drives every parcel, with a queue of due times, at most
//! `concurrency` polls in flight, and Ctrl-C, the timeout, the store's pushes and the status
//! line as the other things it waits on. Between polls nothing runs. Each answer or failure is
//! decided here (what to say, when to poll again, the exit code); what changed is decided by
//! [`Watched`], and how it is said by [`Printer`].

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::api::{ApiError, ErrorKind, Tracked};
use crate::exit::Exit;
use crate::model::{Kind, Parcel};
use crate::output::{self, Output};
use crate::render::clean;
use crate::time::Moment;
use crate::watch::printer::Printer;
use crate::watch::store::{self as watch_store, StoreFeed};
use crate::watch::{NOT_FOUND_TRIES, Schedule, Watched, hook, next_wait};

/// A run of failed polls, reported once when it starts and once when it ends.
struct Outage {
    failed_polls: u32,
}

pub struct Session<'o> {
    /// The parcel store: answers recorded, pushes shown ([`watch_store`]).
    feed: StoreFeed,
    parcels: Vec<Watched>,
    schedule: Schedule,
    /// Past it, the watch stops with the parcels still open named.
    timeout: Option<Duration>,
    /// At most this many polls in flight.
    concurrency: usize,
    exec: Option<String>,
    hooks: JoinSet<()>,
    outage: Option<Outage>,
    /// Parcels whose last poll failed: the outage is over when none is left.
    failing: usize,
    exit: Exit,
    delivered: usize,
    undelivered: usize,
    /// Parcels whose watch ended because they were never found, or were refused.
    not_found: usize,
    failed: usize,
    rng: fastrand::Rng,
    print: Printer<'o>,
}

/// What handling one answer decided.
enum Next {
    /// Poll again after about this long, but not before the second duration (`Retry-After`).
    PollAfter(Duration, Option<Duration>),
    Ended,
    /// The whole watch must stop (the key was refused).
    StopAll(Exit),
}

impl<'o> Session<'o> {
    /// A session over `options.ids`, its answers recorded in `store` (when there is one) and
    /// its news written to `out`.
    pub fn new(
        store: Option<crate::store::Store>,
        options: crate::watch::Options,
        out: &'o mut Output,
    ) -> Session<'o> {
        let queries: Vec<&str> = options.ids.iter().map(String::as_str).collect();
        let feed = StoreFeed::new(store, &queries);
        let print = Printer::new(out, options.json, &options.ids);
        let kind = options.kind;
        Session {
            feed,
            parcels: options
                .ids
                .into_iter()
                .map(|id| Watched::new(id, kind))
                .collect(),
            schedule: options.schedule,
            timeout: options.timeout,
            concurrency: options.concurrency,
            exec: options.exec,
            hooks: JoinSet::new(),
            outage: None,
            failing: 0,
            exit: Exit::Success,
            delivered: 0,
            undelivered: 0,
            not_found: 0,
            failed: 0,
            rng: fastrand::Rng::new(),
            print,
        }
    }

    /// Follows every parcel until each has ended, or the watch is stopped; says how to exit.
    pub async fn watch(&mut self, client: &crate::api::Client) -> anyhow::Result<Exit> {
        let started = Instant::now();
        // Past any deadline a watch could have (`checked_add`: a --timeout of centuries is
        // "no deadline", not an overflow).
        let far = started
            .checked_add(Duration::from_secs(10 * 365 * 24 * 3600))
            .unwrap_or(started);
        let deadline = self
            .timeout
            .and_then(|t| started.checked_add(t))
            .filter(|d| *d < far);
        let concurrency = self.concurrency;
        let mut due: BinaryHeap<Reverse<(Instant, usize)>> = (0..self.parcels.len())
            .map(|i| Reverse((started, i)))
            .collect();
        let mut in_flight = FuturesUnordered::new();
        let stop = crate::signals::stop_requested();
        tokio::pin!(stop);
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut store_check = tokio::time::interval(watch_store::CHECK_EVERY);

        loop {
            // (A push can end a parcel whose next poll is still due.)
            let all_ended = self.parcels.iter().all(|w| w.ended);
            if (due.is_empty() || all_ended) && in_flight.is_empty() {
                break;
            }
            // `watch … | head -1`: the reader is gone, and nothing we could print would reach
            // anyone. Noticed at every wake-up (at least once per poll), like a broken pipe.
            if output::stdout_closed() {
                self.print.clear_status_line();
                return Ok(Exit::Success);
            }
            let now = Instant::now();
            while in_flight.len() < concurrency {
                match due.peek() {
                    Some(Reverse((at, _))) if *at <= now => {
                        let Some(Reverse((_, i))) = due.pop() else {
                            break;
                        };
                        // Ended by a push; or pushed news is fresh: no poll yet.
                        if self.parcels[i].ended {
                            continue;
                        }
                        if let Some(later) = self.feed.deferred(i) {
                            due.push(Reverse((later, i)));
                            continue;
                        }
                        let query = self.parcels[i].query.clone();
                        let kind = self.parcels[i].kind;
                        in_flight.push(async move {
                            let result = match kind {
                                Some(kind) => client.track_on(&query, kind).await,
                                None => client.track(&query).await,
                            };
                            (i, result)
                        });
                    }
                    _ => break,
                }
            }
            let next_due = due
                .peek()
                .filter(|_| in_flight.len() < concurrency)
                .map_or(far, |Reverse((at, _))| *at);

            tokio::select! {
                Some((i, result)) = in_flight.next(), if !in_flight.is_empty() => {
                    match self.handle(i, result)? {
                        Next::PollAfter(delay, not_before) => {
                            let wait = next_wait(delay, not_before, &mut self.rng);
                            let at = Instant::now().checked_add(wait).unwrap_or(far).min(far);
                            due.push(Reverse((at, i)));
                        }
                        Next::Ended => {}
                        Next::StopAll(exit) => {
                            self.print.clear_status_line();
                            return Ok(self.exit.worst(exit));
                        }
                    }
                    self.print.flush()?;
                }
                _ = tokio::time::sleep_until(next_due) => {}
                _ = store_check.tick(), if self.feed.is_on() => {
                    let open = self.parcels.iter().enumerate().filter(|(_, w)| !w.ended);
                    let pushed = self.feed.pushed(open.map(|(i, w)| (i, w.query.as_str())));
                    for (i, parcel) in pushed {
                        match self.answered(i, &parcel)? {
                            Next::PollAfter(delay, _) => self.feed.quiet_for(i, delay),
                            Next::Ended | Next::StopAll(_) => {}
                        }
                    }
                    self.print.flush()?;
                }
                _ = tokio::time::sleep_until(deadline.unwrap_or(far)), if deadline.is_some() => {
                    self.print.clear_status_line();
                    self.print.flush()?;
                    let open: Vec<&str> = self.open_parcels().collect();
                    let timeout = self.timeout.map(humantime::format_duration);
                    output::error(
                        &format!(
                            "timed out after {}: {} of {} parcels not final ({})",
                            timeout.map(|t| t.to_string()).unwrap_or_default(),
                            open.len(),
                            self.parcels.len(),
                            list(&open)
                        ),
                        None,
                    );
                    return Ok(self.exit.worst(Exit::TimedOut));
                }
                exit = &mut stop => {
                    self.print.clear_status_line();
                    self.print.flush()?;
                    output::note(&format!("interrupted: {}", self.summary()));
                    return Ok(exit);
                }
                _ = tick.tick(), if self.print.status_line.is_enabled() => {
                    let wait = next_due.saturating_duration_since(Instant::now()).as_secs();
                    let polling = if in_flight.is_empty() {
                        format!("next poll in {wait}s")
                    } else {
                        format!("{} polls in flight", in_flight.len())
                    };
                    self.print.status_line.show(&format!("{} · {polling}", self.summary()));
                }
            }
        }
        self.print.clear_status_line();
        // Let the last --exec hooks finish: they are the notification the user waits for.
        while self.hooks.join_next().await.is_some() {}
        Ok(self.exit)
    }

    fn open_parcels(&self) -> impl Iterator<Item = &str> {
        self.parcels
            .iter()
            .filter(|w| !w.ended)
            .map(|w| w.query.as_str())
    }

    /// `watching 4 parcels: 1 delivered, 1 not found, 2 open`: every parcel counted once, in
    /// the counts that are not zero (`watching 1 parcel: 1 open`), so that the line stays short.
    fn summary(&self) -> String {
        let total = self.parcels.len();
        let noun = if total == 1 { "parcel" } else { "parcels" };
        let counts: Vec<String> = [
            (self.delivered, "delivered"),
            (self.undelivered, "undelivered"),
            (self.not_found, "not found"),
            (self.failed, "failed"),
            (self.open_parcels().count(), "open"),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, what)| format!("{count} {what}"))
        .collect();
        format!("watching {total} {noun}: {}", counts.join(", "))
    }

    fn handle(&mut self, i: usize, result: Result<Tracked, ApiError>) -> anyhow::Result<Next> {
        if self.parcels[i].ended {
            // A push ended it while this poll was in flight.
            return Ok(Next::Ended);
        }
        match result {
            Ok(tracked) => {
                let query = self.parcels[i].query.clone();
                let parcel = self.feed.polled(i, &query, tracked.parcel);
                self.answered(i, &parcel)
            }
            Err(err) => self.failed(i, &err),
        }
    }

    /// The service answered for parcel `i`; an outage ends when no parcel is failing any more.
    fn reachable(&mut self, i: usize) -> anyhow::Result<()> {
        if self.parcels[i].failures == 0 {
            return Ok(());
        }
        self.parcels[i].failures = 0;
        self.failing -= 1;
        if self.failing > 0 {
            return Ok(());
        }
        let Some(outage) = self.outage.take() else {
            return Ok(());
        };
        self.print
            .recovered(&self.parcels[i].query, outage.failed_polls)?;
        Ok(())
    }

    fn answered(&mut self, i: usize, parcel: &Parcel) -> anyhow::Result<Next> {
        self.reachable(i)?;
        let changes = self.parcels[i].observe(parcel);
        let now = Moment::now();
        self.print.changes(parcel, &changes, now)?;
        // A change, or the end even when it is the first thing seen: the end is the
        // notification a hook is for.
        if changes.any() || parcel.status.is_final {
            self.run_hook(parcel);
        }
        if !parcel.status.is_final {
            return Ok(Next::PollAfter(
                self.schedule
                    .after_success(self.parcels[i].quiet_polls, parcel.kind),
                None,
            ));
        }

        // Final: a closing line, and this parcel is done.
        self.parcels[i].ended = true;
        if parcel.delivered {
            self.delivered += 1;
        } else {
            self.undelivered += 1;
            self.exit = self.exit.worst(Exit::Undelivered);
        }
        self.print.ended(parcel, now)?;
        Ok(Next::Ended)
    }

    fn failed(&mut self, i: usize, err: &ApiError) -> anyhow::Result<Next> {
        if !err.kind.is_transient() {
            // The service answered, if only to say no.
            self.reachable(i)?;
        }
        match &err.kind {
            // Wrong for every parcel, and no waiting will change it.
            ErrorKind::Unauthorized { .. }
            | ErrorKind::Rejected { status: 404, .. }
            | ErrorKind::Redirected { .. }
            | ErrorKind::Certificate { .. } => {
                self.print.report(err, true)?;
                return Ok(Next::StopAll(err.exit()));
            }
            ErrorKind::NotFound(_) => {
                let w = &mut self.parcels[i];
                w.not_found += 1;
                if w.not_found < NOT_FOUND_TRIES {
                    let kind = w.kind.unwrap_or(Kind::Express);
                    let delay = self.schedule.after_success(0, kind);
                    // Said at once, not after the last try: the user may have a typo to fix.
                    let note = format!(
                        "{}: not found yet (try {} of {NOT_FOUND_TRIES}); asking again in about {}",
                        clean(&err.query),
                        w.not_found,
                        humantime::format_duration(delay)
                    );
                    self.print.note(&note);
                    return Ok(Next::PollAfter(delay, None));
                }
                w.ended = true;
                self.not_found += 1;
                self.exit = self.exit.worst(Exit::NotFound);
                self.print.report(err, true)?;
                return Ok(Next::Ended);
            }
            ErrorKind::Rejected { .. } => {
                self.parcels[i].ended = true;
                self.failed += 1;
                self.exit = self.exit.worst(err.exit());
                self.print.report(err, true)?;
                return Ok(Next::Ended);
            }
            ErrorKind::RateLimited { .. }
            | ErrorKind::Server { .. }
            | ErrorKind::Network { .. }
            | ErrorKind::Dropped { .. }
            | ErrorKind::Timeout { .. }
            | ErrorKind::Unreadable { .. } => {}
        }
        // Transient: this parcel backs off, and an outage is reported once, from the first
        // failure until no parcel is failing.
        let w = &mut self.parcels[i];
        if w.failures == 0 {
            self.failing += 1;
        }
        w.failures += 1;
        let failures = w.failures;
        let kind = w.kind.unwrap_or(Kind::Express);
        match &mut self.outage {
            Some(outage) => outage.failed_polls += 1,
            None => {
                self.outage = Some(Outage { failed_polls: 1 });
                self.print.report(err, false)?;
            }
        }
        Ok(Next::PollAfter(
            self.schedule.after_failure(failures, kind),
            err.kind.retry_after(),
        ))
    }

    /// `--exec`: the user's command, run in the background for a change ([`hook`]).
    fn run_hook(&mut self, parcel: &Parcel) {
        if let Some(command) = &self.exec {
            hook::spawn(
                &mut self.hooks,
                command,
                parcel,
                self.print.status_line.clone(),
            );
        }
    }
}

fn list(ids: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(", … {} more", ids.len() - SHOWN));
    }
    text
}
