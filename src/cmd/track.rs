//! `kiriminaja track`: look parcels up once and show them.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::Context as _;
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::api::{self, ApiError, Client, ErrorKind, Tracked};
use crate::cli::{GlobalArgs, TrackArgs};
use crate::error::Error;
use crate::exit::Exit;
use crate::model::Parcel;
use crate::output::{self, Output};
use crate::render::{Painter, json, table, timeline};

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

async fn track_all(
    client: &Client,
    ids: &[String],
    args: &TrackArgs,
    out: &mut Output,
) -> anyhow::Result<Exit> {
    let paint = Painter { color: out.color };
    let mode = if args.raw {
        Mode::Raw
    } else if args.json {
        Mode::Json
    } else if ids.len() == 1 {
        Mode::One
    } else {
        Mode::Table
    };
    let progress = progress_bar(ids.len());
    // At most `concurrency` requests in flight, finishing in any order, so that one ID waiting
    // out its retries does not hold up the rest; results are printed in input order all the same.
    let mut stream = futures_util::stream::iter(
        ids.iter()
            .enumerate()
            .map(|(i, id)| async move { (i, client.track(id).await) }),
    )
    .buffer_unordered(args.net.concurrency.get());
    let mut early: BTreeMap<usize, Result<Tracked, ApiError>> = BTreeMap::new();
    let mut next = 0;

    let mut exit = Exit::Success;
    let mut failures = Failures::default();
    let mut rows: Vec<Result<Parcel, ApiError>> = Vec::new();
    while let Some((i, result)) = stream.next().await {
        progress.inc(1);
        early.insert(i, result);
        while let Some(result) = early.remove(&next) {
            next += 1;
            if let Err(err) = &result {
                exit = exit.worst(err.exit());
                progress.suspend(|| failures.report(err));
            }
            match mode {
                Mode::Raw => {
                    if let Ok(tracked) = &result {
                        progress.suspend(|| write_raw(out, &tracked.body))?;
                    }
                }
                Mode::Json => progress.suspend(|| match &result {
                    Ok(tracked) => json::write_line(out, &tracked.parcel),
                    Err(err) => json::write_line(out, &json::Failure::new(err)),
                })?,
                Mode::One => {
                    if let Ok(tracked) = &result {
                        timeline::parcel(out, &tracked.parcel, paint)?;
                    }
                }
                Mode::Table => rows.push(result.map(|t| t.parcel)),
            }
        }
    }
    progress.finish_and_clear();
    if mode == Mode::Table {
        let terminal = out.is_terminal;
        table::render(out, &rows, paint, terminal)?;
        if args.timeline {
            for parcel in rows.iter().flatten() {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}",
                    paint.bold(&format!("── {} ──", crate::render::clean(&parcel.query)))
                )?;
                timeline::history(out, &parcel.histories, paint)?;
            }
        }
    }
    failures.finish();
    Ok(exit)
}

fn write_raw(out: &mut Output, body: &[u8]) -> std::io::Result<()> {
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

/// `--from-file`: a saved provider response, rendered like a live one.
fn from_file(path: &Path, args: &TrackArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let mut body = Vec::new();
    let name = if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_to_end(&mut body)
            .context("cannot read the response from stdin")?;
        "stdin".to_owned()
    } else {
        body = std::fs::read(path)
            .map_err(|e| Error::InvalidData(format!("cannot read {}: {e}", path.display())))?;
        path.display().to_string()
    };
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
            if args.json {
                json::write_line(out, &json::Failure::new(&err))?;
            }
            output::error(&err.to_string(), None);
            return Ok(err.exit());
        }
    };
    if args.json {
        json::write_line(out, &parcel)?;
    } else {
        let paint = Painter { color: out.color };
        timeline::parcel(out, &parcel, paint)?;
    }
    Ok(Exit::Success)
}
