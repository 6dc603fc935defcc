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
mod shutdown;
mod wire;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::ApiKey;
use crate::error::Error;
use crate::event::{self, Event, Problem};
use crate::exit::Exit;
use crate::push::request::{BodyError, BodyLength};
use crate::push::{record, verify};
use crate::time::Moment;

use self::access::access_line;
use self::connections::{Activity, Connections, Handling};
pub use self::shutdown::SHUTDOWN_LIMIT;
use self::shutdown::{
    DRAIN, EXEC_DRAIN, InFlight, InFlightGuard, Signaled, Signals, shut_down_within,
};
use self::wire::{Recorded, consume, raw_head};

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

type Body = Full<Bytes>;

/// One request: refused, or logged and acknowledged.
async fn handle(
    shared: Arc<Shared>,
    remote: SocketAddr,
    raw: &Mutex<Vec<u8>>,
    request: Request<Incoming>,
) -> Response<Body> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let access = |status: StatusCode, what: &str| access_line(status, &method, &path, what);
    if shared.path.as_deref().is_some_and(|wanted| wanted != path) {
        access(StatusCode::NOT_FOUND, "not the --path");
        return refuse(StatusCode::NOT_FOUND);
    }
    let headers = || {
        request
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
    };
    let verdict = verify::check(&method, headers(), Some(&shared.key));
    // The bearer first: a sender without the key learns nothing about what would be accepted.
    let refusal = [
        (Problem::MissingBearer, StatusCode::UNAUTHORIZED),
        (Problem::WrongBearer, StatusCode::UNAUTHORIZED),
        (Problem::SeveralAuthorizations, StatusCode::UNAUTHORIZED),
        (Problem::NotPost, StatusCode::METHOD_NOT_ALLOWED),
        (Problem::NotJson, StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ]
    .into_iter()
    .find(|(problem, _)| verdict.problems.contains(problem))
    // Fail closed: whatever the check did not verify is refused, a problem not listed above too.
    .or_else(|| {
        (verdict.verified != Some(true)).then(|| {
            let problem = verdict.problems.first().copied();
            (
                problem.unwrap_or(Problem::WrongBearer),
                StatusCode::UNAUTHORIZED,
            )
        })
    });
    if let Some((problem, status)) = refusal {
        access(status, &problem.to_string());
        let mut response = refuse(status);
        match status {
            StatusCode::UNAUTHORIZED => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            StatusCode::METHOD_NOT_ALLOWED => {
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("POST"));
            }
            _ => {}
        }
        return response;
    }
    // The framing `decode-event --verify` accepts, and nothing else: the head as it came in,
    // read by the same parser (refusals close the connection, so the bytes left do not matter).
    let framing = match raw.lock() {
        Ok(raw) => raw_head(&raw),
        Err(_) => Err(BodyError::Framing("a head that cannot be read".to_owned())),
    };
    let (length, head_len) = match framing {
        Ok((BodyLength::Fixed(n), _)) if n > MAX_BODY as u64 => {
            access(StatusCode::PAYLOAD_TOO_LARGE, "body over 1 MiB");
            return refuse(StatusCode::PAYLOAD_TOO_LARGE);
        }
        Ok((BodyLength::ToEnd, _)) => {
            access(StatusCode::LENGTH_REQUIRED, "no Content-Length");
            return refuse(StatusCode::LENGTH_REQUIRED);
        }
        Ok(framed) => framed,
        Err(e @ BodyError::Unsupported(_)) => {
            access(StatusCode::UNSUPPORTED_MEDIA_TYPE, &e.to_string());
            return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        }
        Err(e) => {
            access(StatusCode::BAD_REQUEST, &e.to_string());
            return refuse(StatusCode::BAD_REQUEST);
        }
    };
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let user_agent = verdict.user_agent;
    let body = Limited::new(request.into_body(), MAX_BODY).collect();
    let body = match tokio::time::timeout(shared.read_timeout, body).await {
        Ok(Ok(body)) => body.to_bytes(),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            access(StatusCode::PAYLOAD_TOO_LARGE, "body over 1 MiB");
            return refuse(StatusCode::PAYLOAD_TOO_LARGE);
        }
        Ok(Err(_)) => {
            access(StatusCode::BAD_REQUEST, "the body broke off");
            return refuse(StatusCode::BAD_REQUEST);
        }
        Err(_) => {
            access(
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive in time",
            );
            return refuse(StatusCode::REQUEST_TIMEOUT);
        }
    };
    // This request's bytes are done with; a pipelined next one starts the buffer.
    consume(raw, head_len, length);
    let arrived = Arrived {
        received_at: Moment::now(),
        remote: remote.to_string(),
        method,
        path,
        user_agent,
        content_type,
        body,
    };
    // Its own task: once the body is here, the event is logged, and then shown, passed to
    // --exec and given its access line, even if the sender hangs up meanwhile (which cancels
    // this handler).
    let guard = InFlightGuard::new(shared);
    match tokio::spawn(take(guard, arrived)).await {
        Ok(response) => response,
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// A request whose body has arrived.
struct Arrived {
    received_at: Moment,
    remote: String,
    method: String,
    path: String,
    user_agent: Option<String>,
    content_type: Option<String>,
    body: Bytes,
}

/// Logs an authenticated event, then shows it, passes it on and writes its access line.
async fn take(guard: InFlightGuard, arrived: Arrived) -> Response<Body> {
    let shared = &guard.0;
    let access = |status: StatusCode, what: &str| {
        access_line(status, &arrived.method, &arrived.path, what);
    };
    // The record and the decoded event: linear, but a 1 MiB body takes a while, so not on the
    // runtime's workers (other requests go on meanwhile).
    let prepared = {
        let body = arrived.body.clone();
        let received_at = arrived.received_at;
        let (remote, path) = (arrived.remote.clone(), arrived.path.clone());
        let (user_agent, content_type) = (arrived.user_agent.clone(), arrived.content_type.clone());
        tokio::task::spawn_blocking(move || {
            let mut line = Vec::with_capacity(body.len() + 256);
            record::write(
                &record::Received {
                    received_at,
                    remote: &remote,
                    path: &path,
                    user_agent: user_agent.as_deref(),
                    content_type: content_type.as_deref(),
                    body: &body,
                },
                &mut line,
            );
            (line, event::decode(body.trim_ascii()))
        })
        .await
    };
    let Ok((line, decoded)) = prepared else {
        access(
            StatusCode::INTERNAL_SERVER_ERROR,
            "not logged: the record could not be made",
        );
        return refuse(StatusCode::INTERNAL_SERVER_ERROR);
    };
    if let Err(e) = shared.appender.append(line).await {
        access(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("not logged: {e}"),
        );
        return refuse(StatusCode::INTERNAL_SERVER_ERROR);
    }

    // On disk: from here on the event is safe, whatever happens to the rest.
    match decoded {
        Ok(mut event) => {
            let ids: Vec<String> = event
                .orders
                .iter()
                .filter_map(|o| o.order_id.clone())
                .collect();
            access(
                StatusCode::OK,
                &format!("{} {}", event.method, ids.join(" ")),
            );
            if let Some(exec) = &shared.exec {
                exec.run(exec::Job {
                    payload: arrived.body.clone(),
                    method: event.method.clone(),
                    event: event_name(&event),
                    order_ids: ids,
                });
            }
            event.request = Some(record::Record::request_of(
                &arrived.path,
                arrived.user_agent.clone(),
            ));
            event.verified = Some(true);
            let live = Live {
                event,
                received_at: arrived.received_at.to_string(),
            };
            if let Err(TrySendError::Full(_)) = shared.live.try_send(live) {
                shared.live_dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
        Err(e) => {
            access(StatusCode::OK, &format!("kept, but unreadable: {e}"));
        }
    }
    let mut response = Response::new(Full::new(Bytes::from_static(b"{\"status\":true}\n")));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A refusal: the status and no detail (the access line on stderr has the reason). The
/// connection is closed, since the body may not have been read.
fn refuse(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The `event` field's word for an event (`finished`, `instant_update`, …).
fn event_name(event: &Event) -> String {
    serde_json::to_value(event.event)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
