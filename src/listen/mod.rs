//! `kiriminaja listen`: KiriminAja's pushes received, verified, durable before acknowledged.
//!
//! An HTTP/1.1 server (hyper) on the tokio runtime. Each request is checked by the one receiver
//! check ([`crate::push::verify::check`]) and framed by the one framing rule
//! ([`crate::push::request`], applied to the head's bytes as they came in), refused with
//! 401/405/415/400/411/413/408 as it deserves, or appended to the event log ([`log`]) and
//! answered 200 only once its record is on disk. Then it is shown (the live view, printed by the
//! caller), passed to `--exec` ([`exec`]), and picked up from the log by `--forward-to`
//! ([`forward`]); once its body is in, that happens whatever the sender does.
//!
//! Connections are bounded, and idle ones make room for new ones; shutdown is bounded
//! ([`SHUTDOWN_LIMIT`]) whatever clients, commands, stdout and stderr do (stderr is written
//! through [`crate::output::StderrQueue`], so that it never holds up an answer).

pub mod exec;
pub mod follow;
pub mod forward;
pub mod log;
pub mod store_feed;

mod access;
mod connections;
mod handle;
mod log_file;
mod shutdown;
mod wire;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::ApiKey;
use crate::error::Error;
use crate::exit::Exit;
use crate::push::event::Event;

use self::connections::{Activity, Connections, Handling};
use self::handle::handle;
pub use self::shutdown::SHUTDOWN_LIMIT;
use self::shutdown::{DRAIN, EXEC_DRAIN, InFlight, Signaled, Signals, shut_down_within};
use self::wire::Recorded;

/// The largest body accepted; real pushes are a few kilobytes.
pub const MAX_BODY: usize = 1024 * 1024;

/// What `listen` was asked to do.
pub struct Options {
    pub addr: SocketAddr,
    /// Only this path is served (any path when `None`).
    pub path: Option<String>,
    pub log: PathBuf,
    pub key: ApiKey,
    /// Time for a request's head, and for its body, to arrive.
    pub read_timeout: Duration,
    pub max_connections: usize,
    pub forward_to: Option<reqwest::Url>,
    pub exec: Option<String>,
    /// The parcel store to feed from the log ([`store_feed`]), if it is on.
    pub store: Option<PathBuf>,
}

/// One event for the live view.
pub struct Live {
    pub event: Event,
    pub received_at: String,
}

/// Everything a request handler needs.
struct Shared {
    key: ApiKey,
    path: Option<String>,
    read_timeout: Duration,
    appender: log::Appender,
    live: SyncSender<Live>,
    /// Events the live view could not keep up with (they are in the log).
    live_dropped: AtomicUsize,
    exec: Option<exec::Exec>,
    /// Events being logged and passed on, which shutdown waits for.
    in_flight: InFlight,
}

/// Binds, serves until SIGINT (exit 130), SIGTERM (exit 0) or SIGHUP (exit 129), and shuts down
/// within [`SHUTDOWN_LIMIT`]: no new connections, requests in flight finished (5 s at most),
/// the log synced. SIGUSR1 opens a new log file after a rotation.
pub async fn serve(options: Options, live: SyncSender<Live>) -> anyhow::Result<Exit> {
    let mut signals = Signals::new()?;
    let listener = bind(options.addr).await?;
    let addr = listener.local_addr()?;
    let event_log = log::EventLog::open(&options.log)?;
    let start = event_log.durable().borrow().len;
    let (stop_tx, stop) = watch::channel(false);
    let forwarder = match &options.forward_to {
        Some(url) => {
            let forwarder = forward::Forwarder::new(url.clone(), &options.key, &options.log)?;
            Some(tokio::spawn(forwarder.run(
                start,
                event_log.reader(),
                stop.clone(),
            )))
        }
        None => None,
    };
    let feeder = options.store.clone().map(|store| {
        store_feed::spawn(store, options.log.clone(), event_log.reader(), stop.clone())
    });
    let shared = Arc::new(Shared {
        key: options.key,
        path: options.path,
        read_timeout: options.read_timeout,
        appender: event_log.appender(),
        live,
        live_dropped: AtomicUsize::new(0),
        exec: options.exec.map(exec::Exec::new),
        in_flight: InFlight::default(),
    });
    crate::output::note(&format!(
        "listening on http://{addr} (event log: {})",
        event_log.path.display()
    ));

    let connections = Arc::new(Connections::new(options.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.read_timeout)
        // A sender that hangs up once its request is sent (a shutdown of its side, or a close)
        // still gets its request handled: without this, the end of its stream cuts the
        // request off in the middle.
        .half_close(true)
        .keep_alive(true);

    let exit = loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            signaled = signals.next() => match signaled {
                Signaled::Stop(exit) => break exit,
                Signaled::Rotate => {
                    event_log.reopen();
                    continue;
                }
            },
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait a moment, keep serving.
                crate::output::warn(&format!("cannot accept a connection: {e}"));
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Waiting for room (every connection busy) does not keep a signal waiting.
        let stopped = loop {
            tokio::select! {
                () = connections.make_room() => break None,
                signaled = signals.next() => match signaled {
                    Signaled::Stop(exit) => break Some(exit),
                    Signaled::Rotate => event_log.reopen(),
                },
            }
        };
        if let Some(exit) = stopped {
            break exit;
        }
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::default());
        let raw = Arc::new(Mutex::new(Vec::new()));
        let service = {
            let (shared, activity, raw) = (shared.clone(), activity.clone(), raw.clone());
            service_fn(move |request| {
                let (shared, raw) = (shared.clone(), raw.clone());
                let handling = Handling::new(activity.clone());
                async move {
                    let response = handle(shared, remote, &raw, request).await;
                    Ok::<_, Infallible>(handling.answer(response))
                }
            })
        };
        let recorded = Recorded::new(stream, raw, activity.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(recorded), service));
        connections.spawn(activity, connection);
    };
    shut_down_within(SHUTDOWN_LIMIT, exit);

    // Shutdown: no new connections; the ones open finish their request and close.
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        crate::output::warn(&format!(
            "requests still in flight after {}s were cut off (none was acknowledged)",
            DRAIN.as_secs()
        ));
    }
    connections.abort_all();
    // Events already being logged are logged, shown and passed on.
    let _ = tokio::time::timeout(Duration::from_secs(1), shared.in_flight.wait()).await;
    let _ = stop_tx.send(true);
    if let Some(forwarder) = forwarder {
        let _ = forwarder.await;
    }
    let dropped = shared.live_dropped.load(Ordering::Relaxed);
    if let Some(exec) = &shared.exec {
        exec.finish(EXEC_DRAIN).await;
    }
    drop(shared);
    tokio::task::spawn_blocking(move || event_log.close()).await?;
    // The store's feeder ends when the log is closed, having fed all of it.
    if let Some(feeder) = feeder {
        let _ = feeder.await;
    }
    if dropped > 0 {
        crate::output::warn(&format!(
            "{dropped} events were not shown because stdout did not keep up; they are in the log"
        ));
    }
    Ok(exit)
}

async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => Some(format!(
                "another program listens on port {} (`ss -ltnp 'sport = :{}'` shows which); \
                 stop it or choose another with --addr",
                addr.port(),
                addr.port()
            )),
            std::io::ErrorKind::PermissionDenied => Some(
                "ports below 1024 need privileges: use a higher port behind the reverse proxy"
                    .to_owned(),
            ),
            _ => None,
        };
        Error::Config {
            message: format!("cannot listen on {addr}: {e}"),
            hint,
        }
        .into()
    })
}

/// The body of every answer: whole, and short (a refusal has none).
type Body = Full<Bytes>;
