//! The HTTP client: one shared connection pool, request building, retries, and the error kinds
//! that decide exit codes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};

mod answer;
mod error;

pub use answer::{Tracked, instant_parcel_from_body, parcel_from_body, saved_parcel_from_body};
use answer::{describe_unreadable, snippet};
use error::one_after_another;
pub use error::{ApiError, ErrorJson, ErrorKind};

use crate::config::{ApiKey, Service};
use crate::model::{Kind, RawResponse};

pub const USER_AGENT: &str = concat!("kiriminaja-cli/", env!("CARGO_PKG_VERSION"));
/// The longest `Retry-After` we wait out; a longer one is reported instead.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// A tracking answer is a few kilobytes; anything this large is not one.
pub const MAX_BODY: usize = crate::input::MAX_INPUT;

/// How the client talks to the API.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: Url,
    pub timeout: Duration,
    pub retries: u32,
    /// The first backoff delay; later ones double, with jitter.
    pub backoff: Duration,
    /// Which endpoint [`Client::track`] asks.
    pub service: Service,
}

/// The one retry schedule: exponential backoff with jitter from `first`, doubling, capped at 30 s;
/// at most `times` retries (`None`: for as long as the caller keeps asking).
pub fn backoff(first: Duration, times: Option<usize>) -> backon::ExponentialBackoff {
    let builder = ExponentialBuilder::default()
        .with_min_delay(first)
        .with_max_delay(Duration::from_secs(30))
        .with_factor(2.0)
        .with_jitter();
    match times {
        Some(times) => builder.with_max_times(times),
        None => builder.without_max_times(),
    }
    .build()
}

/// An answer as received: status, what its headers ask, and the body (scrubbed of the key).
struct Answer {
    status: StatusCode,
    retry_after: Option<Duration>,
    location: Option<String>,
    body: Vec<u8>,
}

/// The one HTTP client of a run.
pub struct Client {
    http: reqwest::Client,
    tracking_url: Url,
    instant_url: Url,
    host: String,
    options: ClientOptions,
    /// Set after a 401/403: the key is wrong for every request, so stop sending it.
    key_rejected: AtomicBool,
}

/// Proxies: never for a loopback host (`http://127.0.0.1:…` carries the key in clear text, and a
/// proxy variable must not send it across a network); for any other host, the usual
/// environment (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`; that host is always `https://`, so a
/// proxy sees only a TLS tunnel). Every client that sends the key is built through here.
pub fn proxy_policy(builder: reqwest::ClientBuilder, url: &Url) -> reqwest::ClientBuilder {
    if crate::config::is_loopback(url) {
        builder.no_proxy()
    } else {
        builder
    }
}

impl Client {
    pub fn new(key: &ApiKey, options: ClientOptions) -> anyhow::Result<Client> {
        // rustls needs a crypto provider; ring keeps the build free of C toolchains' cmake.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut headers = HeaderMap::new();
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
                crate::error::Error::config(
                    "the API key contains characters that cannot be sent in an HTTP header \
                     (a stray quote or control character?)",
                )
            })?;
        auth.set_sensitive(true);
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        crate::scrub::protect(key.expose());
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)));
        if options.base_url.scheme() == "http" {
            // Plain http (loopback only): loading the system's trust store would be half the
            // start-up time of a one-parcel run, for certificates that are never used.
            builder = builder.tls_certs_only(std::iter::empty());
        }
        let http = proxy_policy(builder, &options.base_url).build()?;
        let tracking_url = options.base_url.join("api/mitra/tracking")?;
        let instant_url = options.base_url.join("api/mitra/v4/instant/tracking/")?;
        let host = options
            .base_url
            .host_str()
            .map(|h| match options.base_url.port() {
                Some(port) => format!("{h}:{port}"),
                None => h.to_owned(),
            })
            .unwrap_or_default();
        Ok(Client {
            http,
            tracking_url,
            instant_url,
            host,
            options,
            key_rejected: AtomicBool::new(false),
        })
    }

    /// Tracks one parcel on the endpoints the service setting names. In auto, an ID the express
    /// endpoint does not know is asked from the instant one: two requests for an unknown ID.
    /// The parcel's `kind` says which endpoint answered.
    pub async fn track(&self, query: &str) -> Result<Tracked, ApiError> {
        match self.options.service {
            Service::Express => self.track_on(query, Kind::Express).await,
            Service::Instant => self.track_on(query, Kind::Instant).await,
            // Both answers' bodies are kept, the express refusal first (`--raw` prints every body
            // the provider answered with; `--from-file` reads such a pair back as one ID).
            Service::Auto => match self.track_on(query, Kind::Express).await {
                Err(ApiError {
                    kind: ErrorKind::NotFound(express),
                    query,
                    body: refusal,
                }) => match self.track_on(&query, Kind::Instant).await {
                    Ok(tracked) => Ok(Tracked {
                        body: one_after_another(refusal, Some(tracked.body)).unwrap_or_default(),
                        parcel: tracked.parcel,
                    }),
                    Err(err) => Err(match err.kind {
                        ErrorKind::NotFound(_) => ApiError {
                            query: err.query,
                            kind: ErrorKind::NotFound(format!(
                                "{express} (asked express and instant tracking)"
                            )),
                            body: one_after_another(refusal, err.body),
                        },
                        // No instant endpoint behind this base URL (the express one answered):
                        // the express "not found" is the answer, and its body the only one.
                        ErrorKind::Rejected { status: 404, .. } => ApiError {
                            query: err.query,
                            kind: ErrorKind::NotFound(express),
                            body: refusal,
                        },
                        _ => ApiError {
                            body: one_after_another(refusal, err.body),
                            ..err
                        },
                    }),
                },
                other => other,
            },
        }
    }

    /// Tracks one parcel on one endpoint, retrying transient failures with exponential backoff
    /// and jitter, and waiting at least as long as a `Retry-After` asks.
    pub async fn track_on(&self, query: &str, kind: Kind) -> Result<Tracked, ApiError> {
        let mut delays = backoff(self.options.backoff, Some(self.options.retries as usize));
        loop {
            let once = match kind {
                Kind::Express => self.track_once(query).await,
                Kind::Instant => self.track_instant_once(query).await,
            };
            let err = match once {
                Ok(tracked) => return Ok(tracked),
                Err(err) => err,
            };
            if !err.kind.is_transient() {
                return Err(err);
            }
            let Some(backoff) = delays.next() else {
                return Err(err);
            };
            let wait = match err.kind.retry_after() {
                Some(asked) if asked > MAX_RETRY_AFTER => return Err(err),
                Some(asked) => asked.max(backoff),
                None => backoff,
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// One request to the express endpoint, no retries.
    pub async fn track_once(&self, query: &str) -> Result<Tracked, ApiError> {
        let request = self
            .http
            .post(self.tracking_url.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .body(serde_json::json!({ "order_id": query }).to_string());
        self.send(query, request, Kind::Express).await
    }

    /// One request to the instant endpoint, no retries. The ID is a path segment, so it is
    /// percent-encoded (`/` and `?` included).
    pub async fn track_instant_once(&self, query: &str) -> Result<Tracked, ApiError> {
        let mut url = self.instant_url.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(query);
        }
        self.send(query, self.http.get(url), Kind::Instant).await
    }

    /// Sends one tracking request and reads its answer as a body of `endpoint`.
    async fn send(
        &self,
        query: &str,
        request: reqwest::RequestBuilder,
        endpoint: Kind,
    ) -> Result<Tracked, ApiError> {
        let Answer {
            status,
            retry_after,
            location,
            body,
        } = self.exchange(query, request).await?;

        // The instant endpoint is a REST resource: its "not found" envelope may come with a 404.
        if endpoint == Kind::Instant
            && status == StatusCode::NOT_FOUND
            && let Err(
                err @ ApiError {
                    kind: ErrorKind::NotFound(_),
                    ..
                },
            ) = instant_parcel_from_body(query, status.as_u16(), &body)
        {
            return Err(err.with_body(body));
        }
        if status == StatusCode::OK {
            let parsed = match endpoint {
                Kind::Express => parcel_from_body(query, status.as_u16(), &body),
                Kind::Instant => instant_parcel_from_body(query, status.as_u16(), &body),
            };
            return match parsed {
                Ok(parcel) => Ok(Tracked { body, parcel }),
                Err(err) => Err(err.with_body(body)),
            };
        }
        let kind = self.status_error(status, retry_after, location.as_deref(), &body);
        Err(ApiError {
            query: query.to_owned(),
            kind,
            body: None,
        }
        .with_body(body))
    }

    /// Sends one request and reads its answer; only a failure to get one is an error here.
    async fn exchange(
        &self,
        query: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Answer, ApiError> {
        let error = |kind| ApiError {
            query: query.to_owned(),
            kind,
            body: None,
        };
        if self.key_rejected.load(Ordering::Relaxed) {
            return Err(error(ErrorKind::Unauthorized {
                status: 401,
                host: self.host.clone(),
                message: Some("not sent, the key was already refused".to_owned()),
            }));
        }
        let response = request
            .send()
            .await
            .map_err(|e| error(self.transport_error(&e)))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let mut body = read_body(response)
            .await
            .map_err(|e| error(self.transport_error(&e)))?;
        // Everything the provider says is scrubbed of the key before anything reads it.
        if let std::borrow::Cow::Owned(scrubbed) = crate::scrub::bytes(&body) {
            body = scrubbed;
        }
        // JSON can spell the key with escapes (`\/`, `\u…`) that no byte match sees; the raw
        // body (`--raw`) is then written again from the scrubbed value.
        if body.contains(&b'\\')
            && let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&body)
            && crate::scrub::value(&mut value)
            && let Ok(rewritten) = serde_json::to_vec(&value)
        {
            body = rewritten;
        }
        Ok(Answer {
            status,
            retry_after,
            location,
            body,
        })
    }

    /// What a non-200 answer means: the one classification of the API's statuses.
    fn status_error(
        &self,
        status: StatusCode,
        retry_after: Option<Duration>,
        location: Option<&str>,
        body: &[u8],
    ) -> ErrorKind {
        let message = RawResponse::from_slice(body)
            .ok()
            .and_then(|r| r.message().map(short));
        let code = status.as_u16();
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                self.key_rejected.store(true, Ordering::Relaxed);
                ErrorKind::Unauthorized {
                    status: code,
                    host: self.host.clone(),
                    message,
                }
            }
            StatusCode::TOO_MANY_REQUESTS => ErrorKind::RateLimited { retry_after },
            s if s.is_redirection() => ErrorKind::Redirected {
                status: code,
                location: describe_location(&self.tracking_url, location),
            },
            s if s.is_server_error() || s == StatusCode::REQUEST_TIMEOUT => ErrorKind::Server {
                status: code,
                message: message.or_else(|| non_json_note(body)),
            },
            s if s.is_success() => ErrorKind::Unreadable {
                status: code,
                detail: "unexpected success status".to_owned(),
            },
            _ => ErrorKind::Rejected {
                status: code,
                message: message.or_else(|| non_json_note(body)),
            },
        }
    }

    /// Registers `url` as the key's callback (`POST /api/mitra/set_callback`) and returns the
    /// provider's `text`. Sent once: the provider checks the URL each time, and says so when it
    /// refuses (`status: false`: [`ErrorKind::Rejected`], exit 6, with its text).
    pub async fn set_callback(&self, url: &Url) -> Result<String, ApiError> {
        let query = "callback";
        let error = |kind, body: Option<Vec<u8>>| {
            let error = ApiError {
                query: query.to_owned(),
                kind,
                body: None,
            };
            error.with_body(body.unwrap_or_default())
        };
        let endpoint = self
            .options
            .base_url
            .join("api/mitra/set_callback")
            .map_err(|e| {
                let message = Some(e.to_string());
                error(ErrorKind::Rejected { status: 0, message }, None)
            })?;
        let request = self
            .http
            .post(endpoint)
            .header(header::CONTENT_TYPE, "application/json")
            .body(serde_json::json!({ "url": url.as_str() }).to_string());
        let answer = self.exchange(query, request).await?;
        if answer.status != StatusCode::OK {
            let kind = self.status_error(
                answer.status,
                answer.retry_after,
                answer.location.as_deref(),
                &answer.body,
            );
            return Err(error(kind, Some(answer.body)));
        }
        #[derive(serde::Deserialize)]
        struct Registered {
            #[serde(default, deserialize_with = "crate::lenient::boolean")]
            status: Option<bool>,
            #[serde(default, deserialize_with = "crate::lenient::string")]
            text: Option<String>,
        }
        let registered: Registered = match serde_json::from_slice(&answer.body) {
            Ok(registered) => registered,
            Err(e) => {
                let detail = describe_unreadable(&answer.body, &e);
                let kind = ErrorKind::Unreadable {
                    status: 200,
                    detail,
                };
                return Err(error(kind, Some(answer.body)));
            }
        };
        let text = registered.text.map(|t| short(&t));
        match registered.status {
            Some(true) => Ok(text.unwrap_or_default()),
            _ => {
                let message = text.unwrap_or_else(|| "status: false, without a reason".to_owned());
                let kind = ErrorKind::Rejected {
                    status: 200,
                    message: Some(message),
                };
                Err(error(kind, Some(answer.body)))
            }
        }
    }

    fn transport_error(&self, err: &reqwest::Error) -> ErrorKind {
        if err.is_timeout() {
            return ErrorKind::Timeout {
                host: self.host.clone(),
                timeout: self.options.timeout,
            };
        }
        let host = self.host.clone();
        if err.is_body() || err.is_decode() {
            return ErrorKind::Dropped { host };
        }
        // The innermost cause says what happened ("Connection refused"); the outer ones repeat
        // the URL.
        let mut detail = err.to_string();
        let mut certificate = false;
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            detail = cause.to_string();
            certificate |= is_certificate_error(cause);
            source = cause.source();
        }
        if certificate {
            ErrorKind::Certificate { host, detail }
        } else {
            ErrorKind::Network { host, detail }
        }
    }
}

/// Where a redirect pointed, for an error message: resolved against the request URL, without
/// any user name or password, scrubbed, cleaned and bounded.
fn describe_location(base: &Url, location: Option<&str>) -> String {
    let Some(location) = location else {
        return "nowhere (no Location header)".to_owned();
    };
    let text = match base.join(location.trim()) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => location.to_owned(),
    };
    crate::text::clean(&short(&crate::scrub::text(&text)))
}

/// Provider text for a message: at most 200 characters, so a huge `message` field cannot flood
/// the terminal. (Control characters are removed where messages are printed.)
fn short(text: &str) -> String {
    crate::text::truncate(text, 200)
}

/// A TLS certificate the client does not trust. rustls' error sits inside `io::Error`s (nested,
/// as hyper wraps them), whose `source()` skips the wrapped error, so look inside each.
fn is_certificate_error(cause: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
        return matches!(
            tls,
            rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
        );
    }
    match cause
        .downcast_ref::<std::io::Error>()
        .and_then(|e| e.get_ref())
    {
        Some(inner) => is_certificate_error(inner),
        None => false,
    }
}

fn non_json_note(body: &[u8]) -> Option<String> {
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        None
    } else if trimmed.first() == Some(&b'<') {
        Some("an HTML error page".to_owned())
    } else {
        Some(snippet(trimmed))
    }
}

async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BODY {
            break;
        }
    }
    Ok(body)
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::Exit;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn unreadable_bodies_are_described() {
        let err = parcel_from_body("Q", 200, b"<html><body>Bad gateway</body></html>").unwrap_err();
        assert!(err.to_string().contains("HTML"), "{err}");
        let err = parcel_from_body("Q", 200, b"{\"status\": tr").unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
        let err = parcel_from_body("Q", 200, b"").unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
        assert_eq!(err.exit(), Exit::Unavailable);
    }
}
