//! One request: checked and refused as it deserves, or its record appended to the log and,
//! once that is on disk, answered 200, shown, passed to `--exec` and given its access line.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::mpsc::TrySendError;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response, StatusCode};

use super::access::access_line;
use super::shutdown::InFlightGuard;
use super::wire::{consume, raw_head};
use super::{Body, Live, MAX_BODY, Shared, exec};
use crate::push::decode;
use crate::push::event::{Event, Problem};
use crate::push::request::{BodyError, BodyLength};
use crate::push::{record, verify};
use crate::time::Moment;

/// One request: refused, or logged and acknowledged.
pub(super) async fn handle(
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
            (line, decode::decode(body.trim_ascii()))
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
pub(super) fn refuse(status: StatusCode) -> Response<Body> {
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
