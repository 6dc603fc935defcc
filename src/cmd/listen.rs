//! `kiriminaja listen`: the settings resolved, the server started ([`crate::listen`]), and the
//! live view printed on this thread (stdout is locked here) while the runtime serves.

use std::io::Write;
use std::net::ToSocketAddrs;
use std::path::PathBuf;

use crate::cli::{GlobalArgs, ListenArgs};
use crate::error::Error;
use crate::exit::Exit;
use crate::listen::{self, Live};
use crate::output::Output;
use crate::render::{self, Painter, json};

/// Events the live view may fall behind by before they are dropped from it (not from the log).
const LIVE_QUEUE: usize = 4096;

pub fn run(global: &GlobalArgs, args: &ListenArgs, out: &mut Output) -> anyhow::Result<Exit> {
    // No key, no listening: every request would be refused.
    let settings = crate::cmd::settings(global, None)?;
    let key = settings.require_key()?.clone();
    crate::scrub::protect(key.expose());
    let addr = args
        .addr
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| Error::Usage(format!("--addr {}: not a HOST:PORT address", args.addr)))?;
    let log = match &args.log {
        Some(path) => path.clone(),
        None => default_log()?,
    };
    let options = listen::Options {
        addr,
        path: args.path.clone(),
        log,
        key,
        read_timeout: args.read_timeout,
        max_connections: args.max_connections as usize,
        forward_to: args.forward_to.clone(),
        exec: args.exec.clone(),
        store: store_path(global, &settings),
    };
    // From here on, stderr (access lines, warnings, --jq errors) is written by a thread of its
    // own: a stderr nobody reads stops no answer and no shutdown. Dropped at the end, when what
    // is queued is written.
    let _stderr = crate::output::StderrQueue::install()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (live, shown) = std::sync::mpsc::sync_channel::<Live>(LIVE_QUEUE);
    let server = runtime.spawn(listen::serve(options, live));
    let paint = Painter { color: out.color };
    // Ends when the server is done (what it queued shown first), or when stdout is closed: then
    // the server goes on, and the events are in the log. A stdout that blocks cannot hold the
    // process past the shutdown limit: the server's watchdog exits then.
    let mut printed = 0;
    loop {
        match shown.recv_timeout(std::time::Duration::from_millis(200)) {
            Ok(live) => {
                if show(out, args.json.enabled(), &live, paint, printed).is_err() {
                    break;
                }
                printed += 1;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !server.is_finished() => {}
            Err(_) => {
                while let Ok(live) = shown.try_recv() {
                    if show(out, args.json.enabled(), &live, paint, printed).is_err() {
                        break;
                    }
                    printed += 1;
                }
                break;
            }
        }
    }
    let exit = runtime.block_on(server)?;
    // Tasks left (an --exec command's wait) are not waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    exit
}

fn show(
    out: &mut Output,
    as_json: bool,
    live: &Live,
    paint: Painter,
    printed: usize,
) -> std::io::Result<()> {
    if as_json {
        json::write_event(out, &live.event, Some(&live.received_at))?;
    } else {
        if printed > 0 {
            writeln!(out)?;
        }
        // Fitted to the terminal as it is now: a resized pane gets lines of its new width.
        let width = render::terminal_width(out.is_terminal, &crate::config::env_var);
        render::event::payload_received(out, &live.event, paint, Some(&live.received_at), width)?;
    }
    out.flush()
}

/// The store `listen` feeds, if it is on (one that cannot be opened is warned about by the
/// feeder, which tries again).
fn store_path(global: &GlobalArgs, settings: &crate::config::Settings) -> Option<PathBuf> {
    match crate::cmd::store::location(global, Some(settings)) {
        Ok(crate::store::Location::Path(path, _)) => Some(path),
        _ => None,
    }
}

/// `events.jsonl` in the platform data directory (`~/.local/share/kiriminaja/` on Linux).
fn default_log() -> Result<PathBuf, Error> {
    directories::ProjectDirs::from("", "", "kiriminaja")
        .map(|dirs| dirs.data_dir().join("events.jsonl"))
        .ok_or_else(|| Error::Config {
            message: "no home directory, so no default place for the event log".to_owned(),
            hint: Some("name one with --log FILE".to_owned()),
        })
}
