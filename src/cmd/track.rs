//! `kiriminaja track`: look parcels up once and show them.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::api::{self, ApiError, Client, ErrorKind, Tracked};
use crate::cli::{GlobalArgs, TrackArgs};
use crate::cmd::store::Recorder;
use crate::error::Error;
use crate::exit::Exit;
use crate::output::{self, Output};
use crate::render::status_line::StatusLine;
use crate::render::table::{self, Row};
use crate::render::{Painter, json, timeline};

/// Batches this large or larger show their progress (on a terminal).
const PROGRESS_MIN: usize = 4;

pub fn run(global: &GlobalArgs, args: &TrackArgs, out: &mut Output) -> anyhow::Result<Exit> {
    if let Some(path) = &args.from_file {
        return from_file(path, args, out);
    }
    let ids = crate::ids::from_args(&args.input)?;
    let settings = crate::settings_with_service(global, args.timeout, args.service)?;
    if args.cached {
        return crate::cmd::cached::run(global, &settings, &ids, args, out);
    }
    let client = crate::client(&settings, args.retries)?;
    // Every answer is recorded; a store that fails is one warning, never a failed track.
    let mut recorder = Recorder::new(crate::cmd::store::open_optional(global, Some(&settings)));
    crate::block_on_interruptible(track_all(&client, &ids, args, out, &mut recorder))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Raw,
    Json,
    One,
    Table,
}

/// How far past the oldest unprinted ID a batch may run, in results waiting to be printed: one
/// slow ID holds back only this many, never the whole batch.
const AHEAD_PER_REQUEST: usize = 4;
/// And in bytes waiting: past this, no new request starts until the slow one is printed.
const AHEAD_BYTES: usize = 32 * 1024 * 1024;

/// History entries per parcel under a batch table (`--timeline`), newest first.
const TIMELINE_LIMIT: usize = 50;

/// A result as the ordering buffer keeps it until its turn: already rendered, never the body
/// (except in `--raw`, where the body is the output).
#[derive(Clone)]
enum Ready {
    Bytes(Vec<u8>),
    Row(Box<Row>, Option<Vec<u8>>),
}

impl Ready {
    fn size(&self) -> usize {
        match self {
            Ready::Bytes(bytes) => bytes.len(),
            Ready::Row(_, timeline) => 256 + timeline.as_ref().map_or(0, Vec::len),
        }
    }
}

/// One distinct ID's result, waiting until every place it was given at is printed.
struct Waiting {
    ready: Ready,
    error: Option<ApiError>,
    /// Places still to print it at.
    uses: usize,
}

async fn track_all(
    client: &Client,
    given: &[String],
    args: &TrackArgs,
    out: &mut Output,
    recorder: &mut Recorder,
) -> anyhow::Result<Exit> {
    let paint = Painter { color: out.color };
    let mode = if args.raw {
        Mode::Raw
    } else if args.json.enabled() {
        Mode::Json
    } else if given.len() == 1 {
        Mode::One
    } else {
        Mode::Table
    };
    // Each distinct ID is asked once; every place it was given at gets its line, in order.
    let (ids, slots) = crate::ids::distinct(given);
    let mut uses = vec![0; ids.len()];
    for slot in &slots {
        uses[*slot] += 1;
    }
    let mut progress = Progress::new(ids.len());
    let style = out.json_style();
    let concurrency = args.net.concurrency.get();
    let ahead = concurrency * AHEAD_PER_REQUEST;
    // At most `concurrency` requests in flight, finishing in any order, so that one ID waiting
    // out its retries does not hold up the rest; results are printed in input order all the same.
    let mut in_flight = FuturesUnordered::new();
    let mut launched = 0;
    let mut waiting: HashMap<usize, Waiting> = HashMap::new();
    let mut held = 0;
    // The next place in `given` to print.
    let mut next = 0;

    let mut exit = Exit::Success;
    let mut failures = Failures::default();
    let mut rows: Vec<(Row, Option<Vec<u8>>)> = Vec::new();
    loop {
        let oldest = slots.get(next).copied().unwrap_or(ids.len());
        // The oldest unprinted ID is always asked for, whatever is held: the batch moves on.
        while in_flight.len() < concurrency
            && launched < ids.len()
            && (launched <= oldest || (launched < oldest + ahead && held < AHEAD_BYTES))
        {
            let i = launched;
            let id = &ids[i];
            in_flight.push(async move { (i, client.track(id).await) });
            launched += 1;
        }
        let Some((i, result)) = in_flight.next().await else {
            break;
        };
        progress.advance();
        match &result {
            Ok(tracked) => {
                recorder.pull(&tracked.parcel);
            }
            Err(err) => exit = exit.worst(err.exit()),
        }
        let prepare = || prepare(mode, &result, args.timeline, paint, &style);
        let ready = if out.jq.is_some() {
            // A --jq error is reported on stderr as the filter meets it.
            progress.line.suspend(prepare)?
        } else {
            prepare()?
        };
        held += ready.size();
        let error = result.err().map(|err| ApiError { body: None, ..err });
        waiting.insert(
            i,
            Waiting {
                ready,
                error,
                uses: uses[i],
            },
        );
        while let Some(slot) = slots.get(next).copied() {
            let Some(entry) = waiting.get_mut(&slot) else {
                break;
            };
            next += 1;
            entry.uses -= 1;
            let first = entry.uses + 1 == uses[slot];
            let last = entry.uses == 0;
            // Errors are reported once per ID, in input order, as their lines are printed.
            if first && let Some(err) = &entry.error {
                progress.line.suspend(|| failures.report(err));
            }
            let ready = if last {
                let done = waiting.remove(&slot).map(|w| w.ready);
                if let Some(ready) = &done {
                    held -= ready.size();
                }
                done
            } else {
                Some(entry.ready.clone())
            };
            match ready {
                Some(Ready::Bytes(bytes)) => progress.line.suspend(|| out.write_all(&bytes))?,
                Some(Ready::Row(row, timeline)) => rows.push((*row, timeline)),
                None => {}
            }
        }
    }
    progress.line.clear();
    if mode == Mode::Table {
        let width = crate::render::terminal_width(out.is_terminal, &crate::env_var);
        let table: Vec<Row> = rows.iter().map(|(row, _)| row.clone()).collect();
        table::render(out, &table, paint, width)?;
        for timeline in rows.into_iter().filter_map(|(_, t)| t) {
            out.write_all(&timeline)?;
        }
    }
    failures.finish();
    Ok(exit)
}

/// Renders one result for its place in the output, so that only the rendering waits its turn.
fn prepare(
    mode: Mode,
    result: &Result<Tracked, ApiError>,
    timeline: bool,
    paint: Painter,
    style: &json::Style,
) -> std::io::Result<Ready> {
    let mut bytes = Vec::new();
    Ok(match mode {
        Mode::Raw => {
            // Every body the provider sent, its refusals included.
            let body = match result {
                Ok(tracked) => Some(&tracked.body),
                Err(err) => err.body.as_ref(),
            };
            if let Some(body) = body {
                write_raw(&mut bytes, body)?;
            }
            Ready::Bytes(bytes)
        }
        Mode::Json => {
            match result {
                Ok(tracked) => json::write_to(&mut bytes, &tracked.parcel, style)?,
                Err(err) => json::write_to(&mut bytes, &json::Failure::new(err), style)?,
            }
            Ready::Bytes(bytes)
        }
        Mode::One => {
            if let Ok(tracked) = result {
                timeline::parcel(&mut bytes, &tracked.parcel, paint)?;
            }
            Ready::Bytes(bytes)
        }
        Mode::Table => match result {
            Ok(tracked) => {
                let history = if timeline {
                    let p = &tracked.parcel;
                    writeln!(bytes)?;
                    writeln!(
                        bytes,
                        "{}",
                        paint.bold(&format!("── {} ──", crate::render::clean(&p.query)))
                    )?;
                    timeline::history(
                        &mut bytes,
                        &p.histories,
                        paint,
                        TIMELINE_LIMIT,
                        timeline::Order::NewestFirst,
                    )?;
                    Some(bytes)
                } else {
                    None
                };
                Ready::Row(Box::new(Row::parcel(&tracked.parcel)), history)
            }
            Err(err) => Ready::Row(Box::new(Row::error(err)), None),
        },
    })
}

fn write_raw(out: &mut dyn Write, body: &[u8]) -> std::io::Result<()> {
    out.write_all(body)?;
    if !body.ends_with(b"\n") {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// How far a batch is, on the status line (stderr, a terminal, batches of [`PROGRESS_MIN`] or
/// more): `⠙ tracking 24/60 ██████░░░░░░ 5s left`.
struct Progress {
    line: StatusLine,
    done: usize,
    total: usize,
    started: std::time::Instant,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            line: StatusLine::new(total >= PROGRESS_MIN && output::status_line_allowed()),
            done: 0,
            total,
            started: std::time::Instant::now(),
        }
    }

    fn advance(&mut self) {
        self.done += 1;
        if !self.line.is_enabled() {
            return;
        }
        const BAR: usize = 24;
        let filled = BAR * self.done / self.total.max(1);
        let left = self
            .started
            .elapsed()
            .mul_f64((self.total - self.done.min(self.total)) as f64 / self.done.max(1) as f64);
        let left = Duration::from_secs(left.as_secs());
        self.line.show(&format!(
            "tracking {}/{} {}{} {} left",
            self.done,
            self.total,
            "█".repeat(filled),
            "░".repeat(BAR - filled),
            humantime::format_duration(left)
        ));
    }
}

impl Drop for Progress {
    /// Also when the batch is interrupted: no line is left behind.
    fn drop(&mut self) {
        self.line.clear();
    }
}

/// Errors of a batch on stderr: one line per failed ID, each distinct hint once at the end.
#[derive(Default)]
struct Failures {
    hints: Vec<String>,
}

impl Failures {
    fn report(&mut self, err: &ApiError) {
        output::error(&err.to_string(), None);
        if let Some(hint) = err.hint()
            && !self.hints.contains(&hint)
        {
            self.hints.push(hint);
        }
    }

    fn finish(self) {
        for hint in self.hints {
            let _ = writeln!(std::io::stderr().lock(), "hint: {hint}");
        }
    }
}

/// A push payload (`{"method": …, "data": …}`), or a captured request carrying one, given where
/// a tracking response belongs.
fn is_push_event(body: &[u8]) -> bool {
    let starts_request = body.first().is_some_and(u8::is_ascii_alphabetic);
    let json = if starts_request {
        // A captured request: the JSON after its head.
        body.iter()
            .position(|b| *b == b'{')
            .map_or(&body[..0], |at| &body[at..])
    } else {
        body
    };
    matches!(
        serde_json::from_slice::<serde_json::Value>(json),
        Ok(serde_json::Value::Object(map)) if map.contains_key("method") && map.contains_key("data")
    )
}

fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "stdin".to_owned()
    } else {
        path.display().to_string()
    }
}

/// `--from-file`: a saved provider response, rendered like a live one.
fn from_file(path: &Path, args: &TrackArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let (name, body) = crate::input::read_whole(path)
        .map_err(|e| Error::InvalidData(format!("cannot read {}: {e}", display_name(path))))?;
    let parcel = match api::saved_parcel_from_body(&name, &body) {
        Ok(mut parcel) => {
            if let Some(id) = parcel.order_id.clone().or_else(|| parcel.awb.clone()) {
                parcel.query = id;
            }
            parcel
        }
        Err(ApiError {
            kind: ErrorKind::Unreadable { detail, .. },
            ..
        }) => {
            if is_push_event(&body) {
                return Err(Error::InvalidData(format!(
                    "{name}: a push (webhook) event, not a tracking response; \
                     read it with `kiriminaja decode-event {name}`"
                ))
                .into());
            }
            return Err(
                Error::InvalidData(format!("{name}: not a tracking response: {detail}")).into(),
            );
        }
        Err(err) => {
            if args.json.enabled() {
                json::write_line(out, &json::Failure::new(&err))?;
            }
            output::error(&err.to_string(), None);
            return Ok(err.exit());
        }
    };
    if args.json.enabled() {
        json::write_line(out, &parcel)?;
    } else {
        let paint = Painter { color: out.color };
        timeline::parcel(out, &parcel, paint)?;
    }
    Ok(Exit::Success)
}
