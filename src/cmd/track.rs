//! `kiriminaja track`: look parcels up once and show them.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::api::{self, ApiError, Client, ErrorKind, Tracked};
use crate::cli::{GlobalArgs, TrackArgs};
use crate::error::Error;
use crate::exit::Exit;
use crate::output::{self, Output};
use crate::render::table::{self, Row};
use crate::render::{Painter, json, timeline};

/// Batches larger than this get a progress bar (on a terminal).
const PROGRESS_MIN: usize = 4;

pub fn run(global: &GlobalArgs, args: &TrackArgs, out: &mut Output) -> anyhow::Result<Exit> {
    if let Some(path) = &args.from_file {
        return from_file(path, args, out);
    }
    let ids = crate::ids::from_args(&args.input)?;
    let settings = crate::settings_with_service(global, args.timeout, args.service)?;
    let client = crate::client(&settings, args.retries)?;
    crate::block_on_interruptible(track_all(&client, &ids, args, out))
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

async fn track_all(
    client: &Client,
    ids: &[String],
    args: &TrackArgs,
    out: &mut Output,
) -> anyhow::Result<Exit> {
    let paint = Painter { color: out.color };
    let mode = if args.raw {
        Mode::Raw
    } else if args.json.enabled() {
        Mode::Json
    } else if ids.len() == 1 {
        Mode::One
    } else {
        Mode::Table
    };
    let progress = progress_bar(ids.len());
    let style = out.json_style();
    let concurrency = args.net.concurrency.get();
    let ahead = concurrency * AHEAD_PER_REQUEST;
    // At most `concurrency` requests in flight, finishing in any order, so that one ID waiting
    // out its retries does not hold up the rest; results are printed in input order all the same.
    let mut in_flight = FuturesUnordered::new();
    let mut launched = 0;
    let mut early: BTreeMap<usize, (Ready, Option<ApiError>)> = BTreeMap::new();
    let mut held = 0;
    let mut next = 0;

    let mut exit = Exit::Success;
    let mut failures = Failures::default();
    let mut rows: Vec<(Row, Option<Vec<u8>>)> = Vec::new();
    loop {
        while in_flight.len() < concurrency
            && launched < ids.len()
            && launched < next + ahead
            && held < AHEAD_BYTES
        {
            let i = launched;
            let id = &ids[i];
            in_flight.push(async move { (i, client.track(id).await) });
            launched += 1;
        }
        let Some((i, result)) = in_flight.next().await else {
            break;
        };
        progress.inc(1);
        if let Err(err) = &result {
            exit = exit.worst(err.exit());
        }
        let prepare = || prepare(mode, &result, args.timeline, paint, &style);
        let ready = if out.jq.is_some() {
            // A --jq error is reported on stderr as the filter meets it.
            progress.suspend(prepare)?
        } else {
            prepare()?
        };
        held += ready.size();
        early.insert(i, (ready, result.err()));
        while let Some((ready, err)) = early.remove(&next) {
            held -= ready.size();
            next += 1;
            // Errors are reported in input order, as their lines are printed.
            if let Some(err) = &err {
                progress.suspend(|| failures.report(err));
            }
            match ready {
                Ready::Bytes(bytes) => progress.suspend(|| out.write_all(&bytes))?,
                Ready::Row(row, timeline) => rows.push((*row, timeline)),
            }
        }
    }
    progress.finish_and_clear();
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
            if let Ok(tracked) = result {
                write_raw(&mut bytes, &tracked.body)?;
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
                    timeline::history(&mut bytes, &p.histories, paint, TIMELINE_LIMIT)?;
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

fn progress_bar(len: usize) -> ProgressBar {
    if len < PROGRESS_MIN || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} tracking {pos}/{len} {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
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
