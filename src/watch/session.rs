//! One watch session: a single loop drives every parcel, with a queue of due times, at most
//! `concurrency` polls in flight, and Ctrl-C, the timeout, the store's pushes and the status
//! line as the other things it waits on. Between polls nothing runs. What changed is decided by
//! [`Watched`].

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::api::{ApiError, ErrorKind, Tracked};
use crate::exit::Exit;
use crate::model::{Kind, Parcel};
use crate::output::{self, Output};
use crate::render::change::{ChangeLine, Lines};
use crate::render::status_line::StatusLine;
use crate::render::{self, Painter, Part, Tone, clean, fit_parts, json, timeline};
use crate::time::Moment;
use crate::watch::store::{self as watch_store, StoreFeed};
use crate::watch::{NOT_FOUND_TRIES, Schedule, Watched, next_wait};

use unicode_width::UnicodeWidthStr;

/// A run of failed polls, reported once when it starts and once when it ends.
struct Outage {
    failed_polls: u32,
}

pub struct Session<'o> {
    /// The parcel store: answers recorded, pushes shown ([`watch_store`]).
    feed: StoreFeed,
    /// The terminal width human lines are fitted to; `None` in a pipe.
    width: Option<usize>,
    /// The widest ID watched: IDs are padded to it, so that columns stay put between lines.
    id_width: usize,
    parcels: Vec<Watched>,
    schedule: Schedule,
    /// Past it, the watch stops with the parcels still open named.
    timeout: Option<Duration>,
    /// At most this many polls in flight.
    concurrency: usize,
    json: bool,
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
    status_line: StatusLine,
    paint: Painter,
    out: &'o mut Output,
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
        let ids = options.ids;
        let id_width = ids.iter().map(|id| clean(id).width()).max().unwrap_or(0);
        let queries: Vec<&str> = ids.iter().map(String::as_str).collect();
        let feed = StoreFeed::new(store, &queries);
        let kind = options.kind;
        Session {
            feed,
            parcels: ids.into_iter().map(|id| Watched::new(id, kind)).collect(),
            schedule: options.schedule,
            timeout: options.timeout,
            concurrency: options.concurrency,
            json: options.json,
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
            status_line: StatusLine::new(output::status_line_allowed()),
            width: render::terminal_width(out.is_terminal, &crate::config::env_var),
            id_width,
            paint: Painter { color: out.color },
            out,
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
                self.clear_status_line();
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
                            self.clear_status_line();
                            return Ok(self.exit.worst(exit));
                        }
                    }
                    self.out.flush()?;
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
                    self.out.flush()?;
                }
                _ = tokio::time::sleep_until(deadline.unwrap_or(far)), if deadline.is_some() => {
                    self.clear_status_line();
                    self.out.flush()?;
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
                    self.clear_status_line();
                    self.out.flush()?;
                    output::note(&format!("interrupted: {}", self.summary()));
                    return Ok(exit);
                }
                _ = tick.tick(), if self.status_line.is_enabled() => {
                    let wait = next_due.saturating_duration_since(Instant::now()).as_secs();
                    let polling = if in_flight.is_empty() {
                        format!("next poll in {wait}s")
                    } else {
                        format!("{} polls in flight", in_flight.len())
                    };
                    self.status_line.show(&format!("{} · {polling}", self.summary()));
                }
            }
        }
        self.clear_status_line();
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
        let query = self.parcels[i].query.clone();
        if self.json {
            self.emit(&ChangeLine::Recovered {
                query: &query,
                at: Moment::now(),
                failed_polls: outage.failed_polls,
            })?;
        }
        self.status_line.suspend(|| {
            output::note(&format!(
                "the service is back (after {} failed polls)",
                outage.failed_polls
            ))
        });
        Ok(())
    }

    fn answered(&mut self, i: usize, parcel: &Parcel) -> anyhow::Result<Next> {
        self.reachable(i)?;
        let changes = self.parcels[i].observe(parcel);
        let many = self.parcels.len() > 1;
        let query = parcel.query.as_str();
        let now = Moment::now();
        let paint = self.paint;
        if changes.first {
            if self.json {
                self.emit(&ChangeLine::Snapshot {
                    query,
                    at: now,
                    parcel,
                })?;
            } else if many {
                let line = self.lines().snapshot(parcel);
                self.print(|out| writeln!(out, "{line}"))?;
            } else {
                // A live view grows at the bottom: the history oldest first, then each new
                // entry below it, under one heading that says so (unless it has ended).
                let order = if parcel.status.is_final {
                    timeline::Order::OldestFirst
                } else {
                    timeline::Order::Live
                };
                let width = self.width;
                self.print(|out| {
                    timeline::summary(out, parcel, paint, width)?;
                    writeln!(out)?;
                    timeline::history(out, &parcel.histories, paint, usize::MAX, order, width)
                })?;
            }
        }
        for entry in &changes.new_entries {
            if self.json {
                self.emit(&ChangeLine::Event {
                    query,
                    at: now,
                    entry,
                })?;
            } else {
                let line = if many {
                    self.lines().entry(query, entry)
                } else {
                    let mut parts = vec![Part::keep("", "  ", Tone::Plain)];
                    parts.extend(timeline::entry_parts(entry));
                    fit_parts(parts, paint, self.width)
                };
                self.print(|out| writeln!(out, "{line}"))?;
            }
        }
        // A live link appears once a driver is allocated: worth a line of its own. (JSON
        // Lines have no event for it; a snapshot's parcel carries the link it had.)
        if let Some(url) = &changes.live_tracking_url
            && !self.json
        {
            // A link is only useful whole: not fitted.
            let line = format!(
                "{}  live tracking: {}",
                self.lines().padded(query),
                clean(url)
            );
            self.print(|out| writeln!(out, "{line}"))?;
        }
        if let Some((from, to)) = &changes.status {
            if self.json {
                self.emit(&ChangeLine::Status {
                    query,
                    at: now,
                    from: from.as_ref(),
                    to,
                })?;
            } else if !to.is_final {
                let line = self.lines().status(query, from.as_ref(), to);
                self.print(|out| writeln!(out, "{line}"))?;
            }
        }
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
        if self.json {
            self.emit(&ChangeLine::Final {
                query,
                at: now,
                status: &parcel.status,
                delivered: parcel.delivered,
            })?;
        } else {
            let line = self.lines().ended(parcel, ", watch ended");
            self.print(|out| writeln!(out, "{line}"))?;
        }
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
                self.report(err, true)?;
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
                    self.status_line.suspend(|| output::note(&note));
                    return Ok(Next::PollAfter(delay, None));
                }
                w.ended = true;
                self.not_found += 1;
                self.exit = self.exit.worst(Exit::NotFound);
                self.report(err, true)?;
                return Ok(Next::Ended);
            }
            ErrorKind::Rejected { .. } => {
                self.parcels[i].ended = true;
                self.failed += 1;
                self.exit = self.exit.worst(err.exit());
                self.report(err, true)?;
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
                self.report(err, false)?;
            }
        }
        Ok(Next::PollAfter(
            self.schedule.after_failure(failures, kind),
            err.kind.retry_after(),
        ))
    }

    fn report(&mut self, err: &ApiError, fatal: bool) -> anyhow::Result<()> {
        if self.json {
            self.emit(&ChangeLine::Error {
                query: &err.query,
                at: Moment::now(),
                error: err.to_json(),
                fatal,
            })?;
        }
        let message = if fatal {
            err.to_string()
        } else {
            format!("{err} (still watching; retrying with backoff)")
        };
        let hint = if fatal { err.hint() } else { None };
        self.status_line.suspend(|| {
            if fatal {
                output::error(&message, hint.as_deref());
            } else {
                output::warn(&message);
            }
        });
        Ok(())
    }

    /// Takes the status line off the screen: at every exit, before the last words.
    fn clear_status_line(&self) {
        self.status_line.clear();
    }

    /// The change lines of this watch: its paint, width and ID column.
    fn lines(&self) -> Lines {
        Lines {
            paint: self.paint,
            width: self.width,
            id_width: self.id_width,
        }
    }

    fn emit(&mut self, event: &ChangeLine<'_>) -> std::io::Result<()> {
        let out = &mut *self.out;
        self.status_line.suspend(|| {
            json::write_line(out, event)?;
            out.flush()
        })
    }

    fn print(
        &mut self,
        write: impl FnOnce(&mut Output) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let out = &mut *self.out;
        self.status_line.suspend(|| {
            write(out)?;
            out.flush()
        })
    }

    /// `--exec`: run the user's command for a change, in the background. Its output goes to
    /// stderr so that stdout stays ours; the API key is not passed on.
    fn run_hook(&mut self, parcel: &Parcel) {
        let Some(command) = &self.exec else { return };
        // Provider text in an environment variable: a NUL or a megabyte of it would make the
        // command fail to start, and the notification must never be dropped. Bounded and
        // cleaned like everything shown to people.
        let text = parcel
            .latest()
            .and_then(|h| h.text.as_deref())
            .map(crate::render::bounded)
            .unwrap_or_default();
        let mut child = tokio::process::Command::new("sh");
        child
            .arg("-c")
            .arg(command)
            .env("KIRIMINAJA_QUERY", crate::render::clean(&parcel.query))
            .env(
                "KIRIMINAJA_STATUS_CODE",
                parcel
                    .status
                    .code
                    .map(|c| c.to_string())
                    .or_else(|| parcel.status.instant_code.clone())
                    .unwrap_or_default(),
            )
            .env("KIRIMINAJA_CATEGORY", parcel.status.category.as_str())
            .env("KIRIMINAJA_FINAL", parcel.status.is_final.to_string())
            .env("KIRIMINAJA_TEXT", text)
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::io::stderr()))
            .kill_on_drop(false);
        for name in crate::config::KEY_VARIABLES {
            child.env_remove(name);
        }
        // Its output is collected and shown between our lines (with the status line out of
        // the way), not written over them.
        child.stdout(Stdio::piped()).stderr(Stdio::piped());
        let query = parcel.query.clone();
        let status_line = self.status_line.clone();
        self.hooks.spawn(async move {
            let outcome = match child.output().await {
                Ok(output) => {
                    status_line.suspend(|| {
                        let mut stderr = std::io::stderr().lock();
                        let _ = stderr.write_all(&output.stdout);
                        let _ = stderr.write_all(&output.stderr);
                    });
                    (!output.status.success())
                        .then(|| format!("--exec for {query} failed ({})", output.status))
                }
                Err(e) => Some(format!("--exec for {query} could not start: {e}")),
            };
            if let Some(message) = outcome {
                status_line.suspend(|| output::warn(&message));
            }
        });
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
