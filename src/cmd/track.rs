//! `kiriminaja track`: look parcels up once and show them.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::api::{self, ApiError, Client, ErrorKind, Tracked};
use crate::cli::{GlobalArgs, TrackArgs};
use crate::error::Error;
use crate::exit::Exit;
use crate::output::{self, Output};
use crate::render::status_line::StatusLine;
use crate::render::table::{self, Row};
use crate::render::{Painter, json, timeline};
use crate::store::recorder::Recorder;

/// Batches this large or larger show their progress (on a terminal).
const PROGRESS_MIN: usize = 4;

pub fn run(global: &GlobalArgs, args: &TrackArgs, out: &mut Output) -> anyhow::Result<Exit> {
    if let Some(path) = &args.from_file {
        return from_file(path, args, out);
    }
    let ids = crate::ids::collect(&args.input.ids, args.input.file.as_deref())?;
    let settings = crate::cmd::settings_with_service(global, args.request.timeout, args.service)?;
    if args.cached {
        return crate::cmd::cached::run(global, &settings, &ids, args, out);
    }
    let client = crate::cmd::client(&settings, args.request.retries)?;
    // Every answer is recorded; a store that fails is one warning, never a failed track.
    let mut recorder = Recorder::new(crate::cmd::store::open_optional(global, Some(&settings)));
    crate::runtime::block_on_interruptible(track_all(&client, &ids, args, out, &mut recorder))
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
    let width = crate::render::terminal_width(out.is_terminal, &crate::config::env_var);
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
        let prepare = || prepare(mode, &result, args.timeline, paint, &style, width);
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
        let table: Vec<Row> = rows.iter().map(|(row, _)| row.clone()).collect();
        table::render(out, &table, paint, width)?;
        for timeline in rows.into_iter().filter_map(|(_, t)| t) {
            out.write_all(&timeline)?;
        }
    }
    Ok(exit)
}

/// Renders one result for its place in the output, so that only the rendering waits its turn.
fn prepare(
    mode: Mode,
    result: &Result<Tracked, ApiError>,
    timeline: bool,
    paint: Painter,
    style: &crate::output::Style,
    width: Option<usize>,
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
                timeline::parcel(&mut bytes, &tracked.parcel, paint, width)?;
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
                        width,
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

/// Errors of a batch on stderr: one line per failed ID, in input order, each followed by its
/// hint the first time that hint comes up (under its own error, not at the end, where it would
/// sit under another).
#[derive(Default)]
struct Failures {
    hints: Vec<String>,
}

impl Failures {
    fn report(&mut self, err: &ApiError) {
        let hint = err.hint().filter(|hint| !self.hints.contains(hint));
        output::error(&err.to_string(), hint.as_deref());
        if let Some(hint) = hint {
            self.hints.push(hint);
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

/// `--from-file`: saved provider responses, rendered like live ones. One body, or several one
/// after another as `--raw` writes them (each JSON value an answer).
fn from_file(path: &Path, args: &TrackArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let (name, body) = crate::input::read_whole_announced(path, "a saved tracking response")
        .map_err(|e| crate::input::read_error(&e, &display_name(path), Error::InvalidData))?;
    let (answers, broken) = split_answers(&body);
    if answers.is_empty() || (answers.len() == 1 && broken.is_none()) {
        // One body: what it is, or exactly why it is not a tracking response.
        let result = match answers.first() {
            Some(&(start, end)) => read_answer(&name, &name, &body[start..end])?,
            None => read_answer(&name, &name, &body)?,
        };
        return show_answers(out, args, vec![result]);
    }
    let mut results = Vec::new();
    let mut exit = Exit::Success;
    let mut i = 0;
    while i < answers.len() {
        let label = format!("{name} answer {}", i + 1);
        let (start, end) = answers[i];
        let this = &body[start..end];
        // `--service auto` asked the instant tracking after an express "not found": the pair is
        // one ID, as the live run reported it.
        let next = answers.get(i + 1).map(|&(s, e)| &body[s..e]);
        let paired = next.filter(|next| {
            !crate::instant::looks_instant(this) && crate::instant::looks_instant(next)
        });
        let result = match (read_answer(&label, &name, this), paired) {
            (
                Ok(Err(ApiError {
                    kind: ErrorKind::NotFound(text),
                    ..
                })),
                Some(next),
            ) => {
                i += 1;
                match read_answer(&label, &name, next) {
                    Ok(Err(ApiError {
                        kind: ErrorKind::NotFound(_),
                        query,
                        body,
                    })) => Ok(Err(ApiError {
                        query,
                        kind: ErrorKind::NotFound(format!(
                            "{text} (asked express and instant tracking)"
                        )),
                        body,
                    })),
                    other => other,
                }
            }
            (result, _) => result,
        };
        match result {
            Ok(result) => results.push(result),
            Err(err) => {
                output::error(&format!("{err:#}"), None);
                exit = exit.worst(Exit::InvalidData);
            }
        }
        i += 1;
    }
    if let Some(at) = broken {
        let (line, column) = line_and_column(&body, at);
        output::error(
            &format!(
                "{name}: not a tracking response from line {line}, column {column} on: \
                 not JSON; the rest is skipped"
            ),
            None,
        );
        exit = exit.worst(Exit::InvalidData);
    }
    Ok(exit.worst(show_answers(out, args, results)?))
}

/// The byte ranges of the JSON values of `body`, one after another, and where the first text
/// that is not one starts (`None` when all of it is).
fn split_answers(body: &[u8]) -> (Vec<(usize, usize)>, Option<usize>) {
    let mut answers = Vec::new();
    let mut stream =
        serde_json::Deserializer::from_slice(body).into_iter::<serde::de::IgnoredAny>();
    let mut start = 0;
    loop {
        // Where the next value starts: past the blanks after the last one.
        let next = body[start..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map_or(body.len(), |skip| start + skip);
        match stream.next() {
            None => return (answers, None),
            Some(Ok(_)) => {
                answers.push((next, stream.byte_offset()));
                start = stream.byte_offset();
            }
            Some(Err(_)) => return (answers, Some(next)),
        }
    }
}

/// Line and column (from 1, columns in bytes) of a byte offset.
fn line_and_column(body: &[u8], at: usize) -> (usize, usize) {
    let before = &body[..at.min(body.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = at
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line, column)
}

/// One saved answer (`name` in messages, from `file`): the parcel, or the provider's refusal
/// (`Ok(Err)`); `Err` when it is not a tracking response at all.
fn read_answer(
    name: &str,
    file: &str,
    body: &[u8],
) -> Result<Result<crate::model::Parcel, ApiError>, Error> {
    match api::saved_parcel_from_body(name, body) {
        Ok(mut parcel) => {
            if let Some(id) = parcel.order_id.clone().or_else(|| parcel.awb.clone()) {
                parcel.query = id;
            }
            Ok(Ok(parcel))
        }
        Err(ApiError {
            kind: ErrorKind::Unreadable { detail, .. },
            ..
        }) => {
            if is_push_event(body) {
                return Err(Error::InvalidData(format!(
                    "{name}: a push (webhook) event, not a tracking response; \
                     read it with `kiriminaja decode-event {file}`"
                )));
            }
            Err(Error::InvalidData(format!(
                "{name}: not a tracking response: {detail}"
            )))
        }
        Err(err) => Ok(Err(err)),
    }
}

/// The answers read from a file, in order: parcels on stdout, refusals on stderr (and as
/// `found: false` lines with `--json`). The exit code of the worst.
fn show_answers(
    out: &mut Output,
    args: &TrackArgs,
    results: Vec<Result<crate::model::Parcel, ApiError>>,
) -> anyhow::Result<Exit> {
    let paint = Painter { color: out.color };
    let mut exit = Exit::Success;
    let mut shown = 0;
    for result in results {
        match result {
            Ok(parcel) => {
                if args.json.enabled() {
                    json::write_line(out, &parcel)?;
                } else {
                    if shown > 0 {
                        writeln!(out)?;
                    }
                    let width =
                        crate::render::terminal_width(out.is_terminal, &crate::config::env_var);
                    timeline::parcel(out, &parcel, paint, width)?;
                }
                shown += 1;
            }
            Err(err) => {
                if args.json.enabled() {
                    json::write_line(out, &json::Failure::new(&err))?;
                }
                output::error(&err.to_string(), None);
                exit = exit.worst(err.exit());
            }
        }
    }
    Ok(exit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    #[test]
    fn answers_are_split_where_raw_joined_them() {
        let body = b"{\"status\": false}\n{\"a\": [1, 2]}\n\n  {\"b\": {}}\n";
        let (answers, broken) = split_answers(body);
        assert_eq!(broken, None);
        let texts: Vec<&[u8]> = answers.iter().map(|&(s, e)| &body[s..e]).collect();
        assert_eq!(
            texts,
            [
                &b"{\"status\": false}"[..],
                b"{\"a\": [1, 2]}",
                b"{\"b\": {}}"
            ]
        );
        let body = b"{\"a\": 1}\n{\"b\": tru\n";
        let (answers, broken) = split_answers(body);
        assert_eq!(answers, [(0, 8)]);
        assert_eq!(broken, Some(9));
        assert_eq!(line_and_column(body, 9), (2, 1));
        assert_eq!(split_answers(b""), (vec![], None));
        assert_eq!(split_answers(b" \n "), (vec![], None));
        assert_eq!(split_answers(b"<html>"), (vec![], Some(0)));
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-z \\n\"{}]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[a-z]{1,4}", inner, 0..4).prop_map(|m| json!(m)),
            ]
        })
    }

    proptest! {
        /// What `--raw` writes (each body whole, one after another, blanks between) splits back
        /// into exactly those bodies, pretty-printed or not.
        #[test]
        fn joined_bodies_split_back(
            values in prop::collection::vec(arb_json(), 0..5),
            pretty in any::<bool>(),
            blanks in "[ \\t\\r\\n]{0,3}",
        ) {
            let mut body = Vec::new();
            for value in &values {
                let text = if pretty {
                    serde_json::to_vec_pretty(value).unwrap()
                } else {
                    serde_json::to_vec(value).unwrap()
                };
                body.extend_from_slice(&text);
                body.push(b'\n');
                body.extend_from_slice(blanks.as_bytes());
            }
            let (answers, broken) = split_answers(&body);
            prop_assert_eq!(broken, None);
            prop_assert_eq!(answers.len(), values.len());
            for (&(start, end), value) in answers.iter().zip(&values) {
                let read: Value = serde_json::from_slice(&body[start..end]).unwrap();
                prop_assert_eq!(&read, value);
            }
        }

        #[test]
        fn any_bytes_split_in_bounds(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
            let (answers, broken) = split_answers(&bytes);
            let mut last = 0;
            for (start, end) in answers {
                prop_assert!(last <= start && start < end && end <= bytes.len());
                last = end;
            }
            if let Some(at) = broken {
                prop_assert!(last <= at && at <= bytes.len());
                let (line, column) = line_and_column(&bytes, at);
                prop_assert!(line >= 1 && column >= 1);
            }
        }
    }
}
