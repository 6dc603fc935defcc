//! A fake KiriminAja API for development, demos, tests and benchmarks.
//!
//! ```sh
//! cargo run --release --example fake-api -- --port 8080
//! KIRIMINAJA_API_KEY=dev-key kiriminaja --base-url http://127.0.0.1:8080 track OID-DELIVERED
//! ```
//!
//! It speaks `POST /api/mitra/tracking` and `GET /api/mitra/v4/instant/tracking/{order_id}` like
//! the provider (`../shared/api/`), checks the bearer key, answers from built-in scenarios (the
//! ids are listed in `--help` and in `bench/README.md`), and can add latency and faults. Any
//! other order id gets a generated, deterministic in-transit parcel. It binds to 127.0.0.1 only
//! and prints `listening on http://127.0.0.1:PORT` first thing on stdout.

mod json;
mod scenarios;
mod timer;

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::{Parser, ValueEnum};
use futures_util::StreamExt as _;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt as _, Full, Limited, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use json::{J, obj};
use scenarios::Instant;

/// The key the server accepts unless told otherwise. Not a secret: it only opens this fake.
const DEV_KEY: &str = "dev-key";
const TRACKING: &str = "/api/mitra/tracking";
const INSTANT: &str = "/api/mitra/v4/instant/tracking/";
const STATS: &str = "/__fake/stats";
const SET_CALLBACK: &str = "/api/mitra/set_callback";

const SCENARIOS: &str = "\
Scenario ids (POST /api/mitra/tracking):
  OID-8793949106, OID-DELIVERED   the documented example (delivered), byte for byte
  OID-TRANSIT                     in transit         OID-RETURNED   returned to sender (402)
  OID-CANCELED                    canceled (300)     OID-NOTFOUND   {\"status\": false, ...}
  OID-UNKNOWN                     status codes not in the table (650, 777)
  OID-DRIFT                       every type drift at once; one at a time:
    OID-DRIFT-STRINGS, -NUMBERS, -EMPTY, -NULLCODE, -NOSORT, -EXTRA, -ORDER
  OID-429, OID-500, OID-502, OID-503, OID-DROP
                                  fail every other request (the first fails), else answer
  OID-HTML, OID-TRUNCATED, OID-EMPTY, OID-SLOW
                                  always: an HTML page, cut JSON, an empty body, a slow body
  OID-LIVE-...                    one more history entry per answer, ends delivered
  OID-LIVE-RETURN...              the same, ends returned
  any other id                    a generated in-transit parcel (the same for the same id);
                                  with --finish-after N it advances like OID-LIVE-
Instant (GET /api/mitra/v4/instant/tracking/ID; the express endpoint does not know these ids,
and the instant one knows only these):
  INS-FINDING                     looking for a driver     INS-ALLOCATED   driver on the way
  INS-DELIVERED                   delivered                INS-CANCELED    canceled, with a reason
  INS-DRIFT                       code and numbers as strings, unknown keys, missing objects
  INS-LIVE-...                    finding a driver, allocated, delivered: one step per answer
  INS-LIVE-CANCEL...              finding a driver, then canceled
  OID-INSTANT-DELIVERED, OID-INSTANT-CANCELED (older names); any other INS- id is on its way;
  OID-NOTFOUND and every other id: the documented not-found envelope.
POST /api/mitra/set_callback {\"url\": ...}: accepted, unless the URL is not http(s) or its
  host ends in .invalid (then the provider's `status: false` refusal).
GET /__fake/stats: request counts (no key needed).";

#[derive(Debug, Parser)]
#[command(name = "fake-api", about = "A fake KiriminAja API on 127.0.0.1", after_help = SCENARIOS)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 8080)]
    port: u16,

    /// Bearer key to accept [default: $KIRIMINAJA_API_KEY, else `dev-key`]
    #[arg(long, value_name = "KEY")]
    key: Option<String>,

    /// Time from a request's arrival to its answer (this server's own work included), e.g. 50ms
    #[arg(long, value_name = "DURATION", value_parser = duration, default_value = "0s")]
    latency: Duration,

    /// Fault to inject into a share of all answers (repeat for several)
    #[arg(long, value_enum, value_name = "KIND")]
    fault: Vec<Fault>,

    /// Share of answers that get a --fault, 0 to 1 (chosen by a hash of seed, id and attempt)
    #[arg(long, value_name = "RATE", default_value_t = 0.1, requires = "fault")]
    fault_rate: f64,

    /// Seed for the fault choice
    #[arg(long, default_value_t = 0)]
    seed: u64,

    /// Generated ids advance one history entry per answer and are delivered at the Nth
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    finish_after: Option<u32>,

    /// History entries of an OID-LIVE-… parcel [default: --finish-after, else 6]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    live_steps: Option<u32>,

    /// How long a slow body takes to arrive
    #[arg(long, value_name = "DURATION", value_parser = duration, default_value = "2s")]
    slow_body: Duration,

    /// Seconds in the Retry-After header of a 429
    #[arg(long, value_name = "SECS", default_value_t = 1)]
    retry_after: u64,

    /// Log every request on stderr
    #[arg(long)]
    log: bool,
}

fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Fault {
    /// 429 with Retry-After
    #[value(name = "429")]
    TooMany,
    /// 500 with a JSON message
    #[value(name = "500")]
    Internal,
    /// 502 with an nginx HTML page
    #[value(name = "502")]
    BadGateway,
    /// 503 with a JSON message
    #[value(name = "503")]
    Unavailable,
    /// 200 with an HTML page
    Html,
    /// 200 with half of the JSON (and a matching Content-Length)
    Truncated,
    /// 200, then the connection closes half-way through the body
    Drop,
    /// 200 with an empty body
    Empty,
    /// The right answer, arriving over --slow-body
    Slow,
}

/// Scenario ids that fail on every other request, starting with the first.
const FLAKY_IDS: &[(&str, Fault)] = &[
    ("OID-429", Fault::TooMany),
    ("OID-500", Fault::Internal),
    ("OID-502", Fault::BadGateway),
    ("OID-503", Fault::Unavailable),
    ("OID-DROP", Fault::Drop),
];

/// Scenario ids that always fail.
const BROKEN_IDS: &[(&str, Fault)] = &[
    ("OID-HTML", Fault::Html),
    ("OID-TRUNCATED", Fault::Truncated),
    ("OID-EMPTY", Fault::Empty),
    ("OID-SLOW", Fault::Slow),
];

type Body = UnsyncBoxBody<Bytes, std::io::Error>;

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    /// Requests for the id.
    attempts: u64,
    /// Answers that were not faults: how far a live parcel has got.
    answers: u64,
}

struct Server {
    key: String,
    args: Args,
    ids: Mutex<HashMap<String, Counts>>,
    requests: AtomicU64,
    timer: Arc<timer::Timer>,
    by_status: Mutex<BTreeMap<u16, u64>>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = Args::parse();
    if !(0.0..=1.0).contains(&args.fault_rate) {
        eprintln!("fake-api: --fault-rate must be between 0 and 1");
        std::process::exit(2);
    }
    if args.fault.is_empty() {
        args.fault_rate = 0.0;
    }
    let (key, key_note) = match (args.key.clone(), std::env::var("KIRIMINAJA_API_KEY")) {
        (Some(key), _) => (key, "the one given with --key".to_owned()),
        (None, Ok(key)) if !key.trim().is_empty() => (key, "$KIRIMINAJA_API_KEY".to_owned()),
        _ => (DEV_KEY.to_owned(), DEV_KEY.to_owned()),
    };
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port))).await?;
    let addr = listener.local_addr()?;
    {
        // Scripts and tests read the first line; nothing else is ever written to stdout, so a
        // reader that goes away cannot break the server.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = writeln!(out, "key: {key_note}");
        let _ = out.flush();
    }
    let server = Arc::new(Server {
        key,
        args,
        ids: Mutex::new(HashMap::new()),
        requests: AtomicU64::new(0),
        timer: timer::Timer::start(),
        by_status: Mutex::new(BTreeMap::new()),
    });
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(conn) => conn,
            Err(err) => {
                // Out of file descriptors and the like: wait for connections to close.
                eprintln!("fake-api: accept: {err}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let server = server.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let server = server.clone();
                async move { Ok::<_, Infallible>(server.handle(request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// What to send back, before faults and latency.
enum Answer {
    Json(StatusCode, J),
    /// Bytes served as they are (the documented example).
    Text(StatusCode, String),
}

impl Server {
    async fn handle(&self, request: Request<Incoming>) -> Response<Body> {
        let arrived = std::time::Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let (response, note) = if path == STATS {
            (self.stats(), String::new())
        } else {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let answer = self.api(request).await;
            // The latency is the whole time to the answer, this server's own work included.
            if !self.args.latency.is_zero() {
                self.timer.sleep_until(arrived + self.args.latency).await;
            }
            answer
        };
        let status = response.status().as_u16();
        *self.by_status.lock().unwrap().entry(status).or_default() += 1;
        if self.args.log {
            eprintln!("{method} {path} {note} -> {status}");
        }
        response
    }

    async fn api(&self, request: Request<Incoming>) -> (Response<Body>, String) {
        let path = request.uri().path().to_owned();
        if path == SET_CALLBACK {
            return self.set_callback(request).await;
        }
        let instant_id = path.strip_prefix(INSTANT).map(str::to_owned);
        let known_path = path == TRACKING || instant_id.is_some();
        if !known_path {
            return (
                json(StatusCode::NOT_FOUND, &obj! { "message" => "Not Found" }),
                String::new(),
            );
        }
        let allowed = if instant_id.is_some() {
            Method::GET
        } else {
            Method::POST
        };
        if request.method() != allowed {
            let body = obj! { "message" => format!("The {} method is not supported for this route. Supported methods: {allowed}.", request.method()) };
            return (json(StatusCode::METHOD_NOT_ALLOWED, &body), String::new());
        }
        if !self.authorized(request.headers().get(header::AUTHORIZATION)) {
            return (
                json(
                    StatusCode::UNAUTHORIZED,
                    &obj! { "message" => "Unauthorized" },
                ),
                String::new(),
            );
        }
        let id = match instant_id {
            Some(id) => percent_decode(&id),
            None => match order_id(request.into_body()).await {
                Ok(id) => id,
                Err(text) => {
                    let body = obj! { "status" => false, "text" => text };
                    return (json(StatusCode::UNPROCESSABLE_ENTITY, &body), String::new());
                }
            },
        };
        let is_instant = path != TRACKING;

        // Each endpoint counts on its own, so that asking express first (auto) does not move
        // a live instant order on.
        let key = if is_instant {
            format!("instant {id}")
        } else {
            id.clone()
        };
        let counts = self.count(&key);
        let fault = self.fault(&id, counts.attempts);
        if fault.is_none() {
            self.ids.lock().unwrap().entry(key).or_default().answers += 1;
        }
        let answer = if is_instant {
            instant_answer(&id, counts.answers)
        } else {
            self.tracking_answer(&id, counts.answers)
        };
        let note = match fault {
            Some(fault) => format!("{id} fault {fault:?}"),
            None => id,
        };
        (self.respond(answer, fault), note)
    }

    /// `POST /api/mitra/set_callback {"url": ...}`. The provider checks that the URL answers;
    /// here a host ending in `.invalid` stands for one that does not.
    async fn set_callback(&self, request: Request<Incoming>) -> (Response<Body>, String) {
        if request.method() != Method::POST {
            let body = obj! { "message" => "The GET method is not supported for this route. Supported methods: POST." };
            return (json(StatusCode::METHOD_NOT_ALLOWED, &body), String::new());
        }
        if !self.authorized(request.headers().get(header::AUTHORIZATION)) {
            let body = obj! { "message" => "Unauthorized" };
            return (json(StatusCode::UNAUTHORIZED, &body), String::new());
        }
        let bytes = match Limited::new(request.into_body(), 64 * 1024).collect().await {
            Ok(body) => body.to_bytes(),
            Err(_) => Bytes::new(),
        };
        let url = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("url").and_then(|u| u.as_str()).map(str::to_owned))
            .unwrap_or_default();
        let host = url
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', ':', '?']).next().unwrap_or(""))
            .unwrap_or("");
        let refusal = if url.trim().is_empty() {
            Some("The url field is required.".to_owned())
        } else if !(url.starts_with("https://") || url.starts_with("http://")) || host.is_empty() {
            Some("The url format is invalid.".to_owned())
        } else if host.ends_with(".invalid") {
            Some(format!("Callback URL {url} tidak dapat dihubungi"))
        } else {
            None
        };
        let body = match refusal {
            Some(text) => obj! { "status" => false, "method" => "set_callback", "text" => text },
            None => {
                obj! { "status" => true, "method" => "set_callback", "text" => format!("Callback di set ke {url}") }
            }
        };
        (json(StatusCode::OK, &body), url)
    }

    fn authorized(&self, value: Option<&HeaderValue>) -> bool {
        let Some(value) = value.and_then(|v| v.to_str().ok()) else {
            return false;
        };
        match value.split_once(' ') {
            Some((scheme, token)) => {
                scheme.eq_ignore_ascii_case("bearer") && token.trim() == self.key
            }
            None => false,
        }
    }

    /// Counts a request for `id` and returns the counts from before it.
    fn count(&self, id: &str) -> Counts {
        let mut ids = self.ids.lock().unwrap();
        let counts = ids.entry(id.to_owned()).or_default();
        let before = *counts;
        counts.attempts += 1;
        before
    }

    fn fault(&self, id: &str, attempt: u64) -> Option<Fault> {
        if let Some((_, fault)) = FLAKY_IDS.iter().find(|(name, _)| *name == id) {
            return attempt.is_multiple_of(2).then_some(*fault);
        }
        if let Some((_, fault)) = BROKEN_IDS.iter().find(|(name, _)| *name == id) {
            return Some(*fault);
        }
        if self.args.fault.is_empty() || self.args.fault_rate <= 0.0 {
            return None;
        }
        let h = scenarios::hash(&[
            &self.args.seed.to_le_bytes(),
            id.as_bytes(),
            &attempt.to_le_bytes(),
        ]);
        let unit = (h >> 11) as f64 / (1u64 << 53) as f64;
        (unit < self.args.fault_rate)
            .then(|| self.args.fault[(h % self.args.fault.len() as u64) as usize])
    }

    /// The tracking answer for `id` after `answers` earlier answers.
    fn tracking_answer(&self, id: &str, answers: u64) -> Answer {
        use scenarios::*;
        let ok = |j| Answer::Json(StatusCode::OK, j);
        let progress = |plan: Plan| {
            let visible = (answers as usize).saturating_add(1);
            ok(plan.answer(visible))
        };
        let live_steps = self.args.live_steps.or(self.args.finish_after).unwrap_or(6) as usize;
        match id {
            DOCUMENTED_ID => Answer::Text(StatusCode::OK, DOCUMENTED.to_owned()),
            "OID-DELIVERED" => Answer::Text(
                StatusCode::OK,
                DOCUMENTED.replace(
                    &format!("\"order_id\": \"{DOCUMENTED_ID}\""),
                    "\"order_id\": \"OID-DELIVERED\"",
                ),
            ),
            "OID-TRANSIT" => ok(Plan::new(id, 5, Ending::Transit).answer(5)),
            "OID-RETURNED" => ok(Plan::new(id, 8, Ending::Returned).answer(8)),
            "OID-CANCELED" => ok(Plan::new(id, 2, Ending::Canceled).answer(2)),
            "OID-NOTFOUND" => ok(not_found()),
            _ if is_instant_id(id) => ok(not_found()),
            "OID-UNKNOWN" => ok(unknown_codes(id)),
            "OID-DRIFT" => ok(all_drifts(id)),
            _ => {
                if let Some((_, drift)) = DRIFTS.iter().find(|(name, _)| *name == id) {
                    return ok(drifted(id, &[*drift]));
                }
                if let Some(rest) = id.strip_prefix("OID-LIVE-") {
                    let ending = if rest.starts_with("RETURN") {
                        Ending::Returned
                    } else {
                        Ending::Delivered
                    };
                    return progress(Plan::new(id, live_steps, ending));
                }
                match self.args.finish_after {
                    Some(n) => progress(Plan::new(id, n as usize, Ending::Delivered)),
                    None => {
                        let len = 2 + (hash(&[id.as_bytes()]) % 5) as usize;
                        ok(Plan::new(id, len, Ending::Transit).answer(len))
                    }
                }
            }
        }
    }

    fn respond(&self, answer: Answer, fault: Option<Fault>) -> Response<Body> {
        let (status, text) = match answer {
            Answer::Json(status, j) => (status, j.to_text()),
            Answer::Text(status, text) => (status, text),
        };
        let Some(fault) = fault else {
            return full(status, "application/json", text);
        };
        let message = |status, message: &str| json(status, &obj! { "message" => message });
        match fault {
            Fault::TooMany => {
                let mut response = message(StatusCode::TOO_MANY_REQUESTS, "Too Many Attempts.");
                let headers = response.headers_mut();
                headers.insert(header::RETRY_AFTER, self.args.retry_after.into());
                headers.insert("x-ratelimit-remaining", 0.into());
                response
            }
            Fault::Internal => message(StatusCode::INTERNAL_SERVER_ERROR, "Server Error"),
            Fault::Unavailable => message(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable"),
            Fault::BadGateway => full(StatusCode::BAD_GATEWAY, "text/html", BAD_GATEWAY.to_owned()),
            Fault::Html => full(
                StatusCode::OK,
                "text/html; charset=UTF-8",
                MAINTENANCE.to_owned(),
            ),
            Fault::Truncated => {
                let cut = text.len() / 2;
                full(StatusCode::OK, "application/json", text[..cut].to_owned())
            }
            Fault::Empty => full(StatusCode::OK, "application/json", String::new()),
            Fault::Drop => {
                let length = text.len();
                let half = Bytes::from(text.into_bytes()).slice(..length / 2);
                let frames = futures_util::stream::iter([
                    Ok(Frame::data(half)),
                    Err(std::io::Error::other(
                        "fake-api: connection dropped mid-body",
                    )),
                ]);
                streamed_json(StreamBody::new(frames).boxed_unsync(), length)
            }
            Fault::Slow => {
                const PIECES: usize = 8;
                let bytes = Bytes::from(text.into_bytes());
                let length = bytes.len();
                let step = length.div_ceil(PIECES).max(1);
                let pause = self.args.slow_body / PIECES as u32;
                let pieces: Vec<Bytes> = (0..length)
                    .step_by(step)
                    .map(|i| bytes.slice(i..(i + step).min(length)))
                    .collect();
                let frames = futures_util::stream::iter(pieces).then(move |piece| async move {
                    tokio::time::sleep(pause).await;
                    Ok(Frame::data(piece))
                });
                streamed_json(StreamBody::new(frames).boxed_unsync(), length)
            }
        }
    }

    fn stats(&self) -> Response<Body> {
        let by_status: Vec<(String, J)> = self
            .by_status
            .lock()
            .unwrap()
            .iter()
            .map(|(status, n)| (status.to_string(), J::from(*n as i64)))
            .collect();
        let ids = self.ids.lock().unwrap().len() as i64;
        let body = obj! {
            // API requests, not counting these.
            "requests" => self.requests.load(Ordering::Relaxed) as i64,
            "by_status" => J::Obj(by_status),
            "ids" => ids,
        };
        json(StatusCode::OK, &body)
    }
}

/// The instant tracking answer for `id` after `answers` earlier answers.
fn instant_answer(id: &str, answers: u64) -> Answer {
    let ok = |j| Answer::Json(StatusCode::OK, j);
    if !scenarios::is_instant_id(id) {
        return ok(scenarios::instant_not_found());
    }
    let state = match id {
        "INS-FINDING" => Instant::FindingDriver,
        "INS-DELIVERED" | "OID-INSTANT-DELIVERED" => Instant::Delivered,
        "INS-CANCELED" | "OID-INSTANT-CANCELED" => Instant::Canceled,
        "INS-DRIFT" => return ok(scenarios::instant_drifted(id)),
        _ if id.starts_with("INS-LIVE-") => scenarios::instant_live(id, answers),
        _ => Instant::Allocated,
    };
    ok(scenarios::instant(id, state))
}

/// The `order_id` of a tracking request body, or the validation message the provider's
/// framework would give.
async fn order_id(body: Incoming) -> Result<String, String> {
    let required = || "The order id field is required.".to_owned();
    let bytes = Limited::new(body, 64 * 1024)
        .collect()
        .await
        .map_err(|_| required())?
        .to_bytes();
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| required())?;
    match value.get("order_id") {
        Some(serde_json::Value::String(id)) if id.trim().is_empty() => Err(required()),
        Some(serde_json::Value::String(id)) if id.chars().count() > 20 => {
            Err("The order id may not be greater than 20 characters.".to_owned())
        }
        Some(serde_json::Value::String(id)) => Ok(id.clone()),
        Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
        _ => Err(required()),
    }
}

fn percent_decode(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A `200 OK` JSON answer whose body arrives as the stream gives it, announcing `length` bytes
/// (which a faulty stream may not deliver).
fn streamed_json(body: Body, length: usize) -> Response<Body> {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONTENT_LENGTH, length.into());
    response
}

fn full(status: StatusCode, content_type: &'static str, body: String) -> Response<Body> {
    let mut response = Response::new(
        Full::new(Bytes::from(body))
            .map_err(|e| match e {})
            .boxed_unsync(),
    );
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn json(status: StatusCode, body: &J) -> Response<Body> {
    full(status, "application/json", body.to_text())
}

const BAD_GATEWAY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const MAINTENANCE: &str = "<!DOCTYPE html>\n<html lang=\"id\">\n<head><title>Sedang Pemeliharaan \
| KiriminAja</title></head>\n<body><h1>Kami sedang melakukan pemeliharaan</h1>\n<p>Silakan coba \
beberapa saat lagi.</p></body>\n</html>\n";
