//! `kiriminaja sync`: the pull fallback. Open parcels whose last news (push or pull) is older
//! than `--older-than` are pulled once each, at most `--concurrency` at a time with the client's
//! retries and `Retry-After`, the answers recorded, and what changed printed in `watch`'s change
//! lines (`--json`: its change objects). What changed is decided by [`crate::watch::Watched`],
//! seeded with what the store knew before the pull.

use std::io::Write;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::api::ApiError;
use crate::cli::{GlobalArgs, SyncArgs};
use crate::exit::Exit;
use crate::model::{HistoryEntry, Parcel};
use crate::output::{self, Output};
use crate::render::change::{ChangeLine, Lines};
use crate::render::{self, Painter, json};
use crate::store::{Store, StoreError};
use crate::time::Moment;
use crate::watch::Watched;

pub fn run(global: &GlobalArgs, args: &SyncArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let settings = crate::cmd::settings(global, args.request.timeout)?;
    let mut store = crate::cmd::store::open_required(global, Some(&settings))?;
    let client = crate::cmd::client(&settings, args.request.retries)?;
    let ids = store
        .stale_open(crate::cmd::store::ago(args.older_than), args.max)
        .map_err(StoreError::into_error)?;
    if ids.is_empty() {
        output::note(&format!(
            "nothing to sync: no open parcel without news for {}",
            humantime::format_duration(args.older_than)
        ));
        return Ok(Exit::Success);
    }
    crate::runtime::block_on_interruptible(sync(&client, &mut store, ids, args, out))
}

async fn sync(
    client: &crate::api::Client,
    store: &mut Store,
    ids: Vec<String>,
    args: &SyncArgs,
    out: &mut Output,
) -> anyhow::Result<Exit> {
    let width = render::terminal_width(out.is_terminal, &crate::config::env_var);
    let queries: Vec<&str> = ids.iter().map(String::as_str).collect();
    let lines = Lines::new(Painter { color: out.color }, width, &queries);
    let as_json = args.json.enabled();
    // What the store knew: the first observation, never printed.
    let mut watched: Vec<Watched> = Vec::with_capacity(ids.len());
    for id in &ids {
        let mut w = Watched::new(id.clone(), None);
        if let Some(stored) = store.get(id).map_err(StoreError::into_error)? {
            w.observe(&stored.to_parcel());
            w.kind = stored.kind;
        }
        watched.push(w);
    }
    let concurrency = args.net.concurrency.get();
    let mut in_flight = FuturesUnordered::new();
    let mut next = 0;
    let mut exit = Exit::Success;
    let mut changed = 0usize;
    let mut hints: Vec<String> = Vec::new();
    loop {
        while in_flight.len() < concurrency && next < ids.len() {
            let i = next;
            let query = ids[i].as_str();
            let kind = watched[i].kind;
            in_flight.push(async move {
                let result = match kind {
                    Some(kind) => client.track_on(query, kind).await,
                    None => client.track(query).await,
                };
                (i, result)
            });
            next += 1;
        }
        let Some((i, result)) = in_flight.next().await else {
            break;
        };
        let query = ids[i].as_str();
        let now = Moment::now();
        match result {
            Ok(tracked) => {
                store
                    .record_pull(&tracked.parcel, now)
                    .map_err(StoreError::into_error)?;
                // The store's view after the pull: old news in the answer does not move it back.
                let parcel = match store.get(query).map_err(StoreError::into_error)? {
                    Some(stored) => stored.to_parcel(),
                    None => tracked.parcel,
                };
                if print_changes(out, &mut watched[i], &parcel, now, as_json, lines)? {
                    changed += 1;
                }
            }
            Err(err) => {
                exit = exit.worst(err.exit());
                report(out, &err, query, now, as_json, &mut hints)?;
            }
        }
        out.flush()?;
    }
    for hint in hints {
        let _ = writeln!(std::io::stderr().lock(), "hint: {hint}");
    }
    let noun = if ids.len() == 1 { "parcel" } else { "parcels" };
    output::note(&format!("synced {} {noun}: {changed} changed", ids.len()));
    Ok(exit)
}

/// Prints what changed for one parcel, in `watch`'s lines; whether anything did.
fn print_changes(
    out: &mut Output,
    watched: &mut Watched,
    parcel: &Parcel,
    now: Moment,
    as_json: bool,
    lines: Lines,
) -> std::io::Result<bool> {
    let changes = watched.observe(parcel);
    let query = watched.query.clone();
    let query = query.as_str();
    // The first sight of a parcel the store had no view of is a change too (its whole state).
    let entries: Vec<HistoryEntry> = if changes.first {
        parcel.histories.iter().rev().cloned().collect()
    } else {
        changes.new_entries.clone()
    };
    for entry in &entries {
        if as_json {
            json::write_line(
                out,
                &ChangeLine::Event {
                    query,
                    at: now,
                    entry,
                },
            )?;
        } else {
            writeln!(out, "{}", lines.entry(query, entry))?;
        }
    }
    let status = match (&changes.status, changes.first) {
        (Some((from, to)), _) => Some((from.clone(), to.clone())),
        (None, true) => Some((None, parcel.status.clone())),
        (None, false) => None,
    };
    if let Some((from, to)) = &status {
        if as_json {
            json::write_line(
                out,
                &ChangeLine::Status {
                    query,
                    at: now,
                    from: from.as_ref(),
                    to,
                },
            )?;
        } else if !to.is_final {
            writeln!(out, "{}", lines.status(query, from.as_ref(), to))?;
        }
        if to.is_final {
            if as_json {
                json::write_line(
                    out,
                    &ChangeLine::Final {
                        query,
                        at: now,
                        status: &parcel.status,
                        delivered: parcel.delivered,
                    },
                )?;
            } else {
                writeln!(out, "{}", lines.ended(parcel, ""))?;
            }
        }
    }
    Ok(!entries.is_empty() || status.is_some())
}

fn report(
    out: &mut Output,
    err: &ApiError,
    query: &str,
    now: Moment,
    as_json: bool,
    hints: &mut Vec<String>,
) -> std::io::Result<()> {
    if as_json {
        json::write_line(
            out,
            &ChangeLine::Error {
                query,
                at: now,
                error: err.to_json(),
                fatal: false,
            },
        )?;
    }
    output::error(&err.to_string(), None);
    if let Some(hint) = err.hint()
        && !hints.contains(&hint)
    {
        hints.push(hint);
    }
    Ok(())
}
