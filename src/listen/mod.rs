//! `kiriminaja listen`: KiriminAja's pushes received, verified, durable before acknowledged.
//!
//! An HTTP/1.1 server (hyper) on the tokio runtime. Each request is checked by the one receiver
//! check ([`crate::push::verify::check`]), refused with 401/405/415/413/408 as it deserves, or
//! appended to the event log ([`log`]) and answered 200 only once its record is on disk. Then it
//! is shown (the live view, printed by the caller), passed to `--exec` ([`exec`]), and picked up
//! from the log by `--forward-to` ([`forward`]).

pub mod exec;
pub mod forward;
pub mod log;
pub mod store_feed;

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use crate::config::ApiKey;
use crate::error::Error;
use crate::event::{self, Event, Problem};
use crate::exit::Exit;
use crate::push::{record, verify};
use crate::render::clean;
use crate::time::Moment;

/// The largest body accepted; real pushes are a few kilobytes.
pub const MAX_BODY: usize = 1024 * 1024;
/// How long requests in flight may take to finish at shutdown.
const DRAIN: Duration = Duration::from_secs(5);

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
}

/// Binds, serves until SIGINT (exit 130), SIGTERM (exit 0) or SIGHUP (exit 129), and shuts down
/// cleanly: no new connections, requests in flight finished (a few seconds at most), the log
/// synced.
pub async fn serve(options: Options, live: SyncSender<Live>) -> anyhow::Result<Exit> {
    // Signals are caught from before binding, so that one arriving right after the start-up
    // line is not fatal.
    // SIGTERM is how a service manager stops a service: a clean stop, exit 0.
    #[cfg(unix)]
    let (mut interrupt, mut terminate, mut hangup) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt())?,
            signal(SignalKind::terminate())?,
            signal(SignalKind::hangup())?,
        )
    };
    let stopped = async move {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = interrupt.recv() => Exit::Interrupted,
                _ = terminate.recv() => Exit::Success,
                _ = hangup.recv() => Exit::HungUp,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Exit::Interrupted
        }
    };
    tokio::pin!(stopped);
    let listener = bind(options.addr).await?;
    let addr = listener.local_addr()?;
    let event_log = log::EventLog::open(&options.log)?;
    let start = *event_log.durable().borrow();
    let (stop_tx, stop) = watch::channel(false);
    let forwarder = match &options.forward_to {
        Some(url) => {
            let forwarder = forward::Forwarder::new(url.clone(), &options.key, &options.log)?;
            Some(tokio::spawn(forwarder.run(
                start,
                event_log.durable(),
                stop.clone(),
            )))
        }
        None => None,
    };
    let feeder = options.store.clone().map(|store| {
        store_feed::spawn(
            store,
            options.log.clone(),
            event_log.durable(),
            stop.clone(),
        )
    });
    let shared = Arc::new(Shared {
        key: options.key,
        path: options.path,
        read_timeout: options.read_timeout,
        appender: event_log.appender(),
        live,
        live_dropped: AtomicUsize::new(0),
        exec: options.exec.map(exec::Exec::new),
    });
    crate::output::note(&format!(
        "listening on http://{addr} (event log: {})",
        event_log.path.display()
    ));

    let connections = Arc::new(Semaphore::new(options.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.read_timeout)
        .keep_alive(true);

    let exit = loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit?,
            exit = &mut stopped => break exit,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, keep serving.
                    crate::output::warn(&format!("cannot accept a connection: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            exit = &mut stopped => break exit,
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let service = service_fn(move |request| {
            let shared = shared.clone();
            async move { Ok::<_, Infallible>(handle(&shared, remote, request).await) }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    };

    // Shutdown: no new connections; the ones open finish their request and close.
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        crate::output::warn(
            "requests still in flight after 5s were cut off (none was acknowledged)",
        );
    }
    let _ = stop_tx.send(true);
    if let Some(forwarder) = forwarder {
        let _ = forwarder.await;
    }
    let dropped = shared.live_dropped.load(Ordering::Relaxed);
    if let Some(exec) = &shared.exec {
        exec.finish(DRAIN).await;
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
async fn handle(shared: &Shared, remote: SocketAddr, request: Request<Incoming>) -> Response<Body> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let access = |status: StatusCode, what: &str| access_line(status, &method, &path, what);
    if shared.path.as_deref().is_some_and(|wanted| wanted != path) {
        access(StatusCode::NOT_FOUND, "not the --path");
        return refuse(StatusCode::NOT_FOUND);
    }
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()));
    let verdict = verify::check(&method, headers, Some(&shared.key));
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
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY as u64) {
        access(StatusCode::PAYLOAD_TOO_LARGE, "body over 1 MiB");
        return refuse(StatusCode::PAYLOAD_TOO_LARGE);
    }
    let header_text = |name: header::HeaderName| {
        request
            .headers()
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let content_type = header_text(header::CONTENT_TYPE);
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

    let received_at = Moment::now();
    let remote_text = remote.to_string();
    let mut line = Vec::with_capacity(body.len() + 256);
    record::write(
        &record::Received {
            received_at,
            remote: &remote_text,
            path: &path,
            user_agent: user_agent.as_deref(),
            content_type: content_type.as_deref(),
            body: &body,
        },
        &mut line,
    );
    if let Err(e) = shared.appender.append(line).await {
        access(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("not logged: {e}"),
        );
        return refuse(StatusCode::INTERNAL_SERVER_ERROR);
    }

    // On disk: from here on the event is safe, whatever happens to the rest.
    match event::decode(body.trim_ascii()) {
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
                    payload: body.to_vec(),
                    method: event.method.clone(),
                    event: event_name(&event),
                    order_ids: ids,
                });
            }
            event.request = Some(record::Record::request_of(&path, user_agent));
            event.verified = Some(true);
            let live = Live {
                event,
                received_at: received_at.to_string(),
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

/// `2025-01-11 16:00:02 200 POST /hook finished_packages OID-1 OID-2` on stderr. Never a header
/// value: a wrong token is only ever "wrong bearer".
fn access_line(status: StatusCode, method: &str, path: &str, what: &str) {
    let now = Moment::now().to_string();
    let line = format!(
        "{} {} {} {} {}",
        now.get(..19).unwrap_or(&now).replace('T', " "),
        status.as_u16(),
        clean(method),
        clean(&crate::render::truncate(path, 200)),
        clean(&crate::render::truncate(what, 300)),
    );
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
