//! The API's error kinds: what went wrong with a request, the exit code it stands for, the hint
//! that goes with it, and its JSON form (`error.kind`, `error.message`).

use std::time::Duration;

use serde::Serialize;

use crate::exit::Exit;

/// A tracking lookup that failed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{query}: {kind}")]
pub struct ApiError {
    pub query: String,
    pub kind: ErrorKind,
    /// The body the provider answered with, if it answered (`--raw` prints it); scrubbed.
    pub body: Option<Vec<u8>>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ErrorKind {
    /// The provider's own words, which usually say "not found" already.
    #[error("{}", not_found_text(.0))]
    NotFound(String),
    #[error("the API key was rejected by {host} (HTTP {status}{})", message_suffix(.message))]
    Unauthorized {
        status: u16,
        host: String,
        message: Option<String>,
    },
    #[error("rate limited by the API (HTTP 429){}", retry_after_suffix(.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    #[error("the API answered HTTP {status}{}", message_suffix(.message))]
    Server {
        status: u16,
        message: Option<String>,
    },
    #[error("the API refused the request (HTTP {status}{})", message_suffix(.message))]
    Rejected {
        status: u16,
        message: Option<String>,
    },
    #[error("cannot reach {host}: {detail}")]
    Network { host: String, detail: String },
    #[error("the connection to {host} broke while the answer was being read")]
    Dropped { host: String },
    #[error("the TLS certificate of {host} is not trusted: {detail}")]
    Certificate { host: String, detail: String },
    #[error("no answer from {host} within {}", humantime::format_duration(*.timeout))]
    Timeout { host: String, timeout: Duration },
    #[error("unreadable response (HTTP {status}): {detail}")]
    Unreadable { status: u16, detail: String },
    /// The API never redirects: a 3xx means the base URL points somewhere else. It is not
    /// followed (the key would go along, perhaps in clear text).
    #[error(
        "the API answered with a redirect (HTTP {status}) to {location}, which is not followed"
    )]
    Redirected { status: u16, location: String },
}

/// `not found: TEXT`, unless the provider's text says so itself ("Data not found").
fn not_found_text(text: &str) -> String {
    if text.to_lowercase().contains("not found") {
        text.to_owned()
    } else {
        format!("not found: {text}")
    }
}

fn message_suffix(message: &Option<String>) -> String {
    message
        .as_ref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

fn retry_after_suffix(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!("; asked to wait {}", humantime::format_duration(d)))
        .unwrap_or_default()
}

impl ErrorKind {
    /// The `error.kind` value of the JSON schema.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::NotFound(_) => "not_found",
            ErrorKind::Unauthorized { .. } => "unauthorized",
            ErrorKind::RateLimited { .. } => "rate_limited",
            ErrorKind::Server { .. } => "server_error",
            ErrorKind::Rejected { .. } => "rejected",
            ErrorKind::Network { .. } | ErrorKind::Dropped { .. } => "network",
            ErrorKind::Certificate { .. } => "tls",
            ErrorKind::Timeout { .. } => "timeout",
            ErrorKind::Unreadable { .. } => "invalid_response",
            ErrorKind::Redirected { .. } => "redirected",
        }
    }

    /// A few words for a table cell.
    pub fn phrase(&self) -> &'static str {
        match self {
            ErrorKind::NotFound(_) => "not found",
            ErrorKind::Unauthorized { .. } => "key refused",
            ErrorKind::RateLimited { .. } => "rate limited",
            ErrorKind::Server { .. } => "server error",
            ErrorKind::Rejected { .. } => "refused",
            ErrorKind::Network { .. } | ErrorKind::Dropped { .. } => "unreachable",
            ErrorKind::Certificate { .. } => "untrusted TLS",
            ErrorKind::Timeout { .. } => "timed out",
            ErrorKind::Unreadable { .. } => "bad answer",
            ErrorKind::Redirected { .. } => "redirected",
        }
    }

    /// Worth asking again: the service may answer differently in a moment.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited { .. }
                | ErrorKind::Server { .. }
                | ErrorKind::Network { .. }
                | ErrorKind::Dropped { .. }
                | ErrorKind::Timeout { .. }
        )
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ErrorKind::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }
}

impl ApiError {
    /// The error with the body it came with (an empty body is no body).
    #[must_use]
    pub fn with_body(mut self, body: Vec<u8>) -> ApiError {
        self.body = (!body.is_empty()).then_some(body);
        self
    }

    pub fn exit(&self) -> Exit {
        match &self.kind {
            ErrorKind::NotFound(_) => Exit::NotFound,
            ErrorKind::Unauthorized { .. } | ErrorKind::Redirected { .. } => Exit::Config,
            ErrorKind::Rejected { status: 404, .. } => Exit::Config,
            ErrorKind::Rejected { .. } => Exit::InvalidData,
            ErrorKind::RateLimited { .. }
            | ErrorKind::Server { .. }
            | ErrorKind::Network { .. }
            | ErrorKind::Dropped { .. }
            | ErrorKind::Certificate { .. }
            | ErrorKind::Timeout { .. }
            | ErrorKind::Unreadable { .. } => Exit::Unavailable,
        }
    }

    pub fn hint(&self) -> Option<String> {
        Some(match &self.kind {
            ErrorKind::NotFound(_) => {
                "check the order id or AWB; a new order can take a few minutes to appear".to_owned()
            }
            ErrorKind::Unauthorized { .. } => {
                "check the key (`kiriminaja config show`): sandbox keys only \
                 work with `--base-url sandbox` and production keys only with production, and \
                 production may refuse machines that are not on the account's IP allow-list"
                    .to_owned()
            }
            ErrorKind::Rejected { status: 404, .. } => {
                "the base URL must be the API's root (`production`, `sandbox`, or the root URL \
                 of a test server); see `kiriminaja config show`"
                    .to_owned()
            }
            ErrorKind::RateLimited { .. } => {
                "wait a moment, or lower --concurrency for large batches".to_owned()
            }
            ErrorKind::Redirected { .. } => {
                "the KiriminAja API does not redirect: check the base URL \
                 (`kiriminaja config show`); use the address it redirects to only if you trust it"
                    .to_owned()
            }
            ErrorKind::Certificate { .. } => {
                "retrying will not help: check the base URL; behind a \
                 TLS-intercepting proxy, its CA must be in the system's trust store"
                    .to_owned()
            }
            ErrorKind::Network { .. } | ErrorKind::Dropped { .. } => {
                "check the network, and the base URL (`kiriminaja config show`); the service may \
                 be down: try again later"
                    .to_owned()
            }
            ErrorKind::Timeout { .. } => {
                "the service is slow or unreachable: try again later, or allow more time \
                 (`timeout` in the config file, or --timeout)"
                    .to_owned()
            }
            ErrorKind::Server { .. } | ErrorKind::Unreadable { .. } => {
                "the service or a proxy in front of it is failing; try again later".to_owned()
            }
            ErrorKind::Rejected { .. } => return None,
        })
    }
}

/// The `error` object of a failed ID in the JSON output.
#[derive(Debug, Serialize)]
pub struct ErrorJson {
    pub kind: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn to_json(&self) -> ErrorJson {
        ErrorJson {
            kind: self.kind.code(),
            message: self.kind.to_string(),
        }
    }
}

/// Two answers' bodies as `--raw` writes them: each whole, on lines of its own.
pub(super) fn one_after_another(first: Option<Vec<u8>>, then: Option<Vec<u8>>) -> Option<Vec<u8>> {
    match (first, then) {
        (Some(mut first), Some(then)) => {
            if !first.ends_with(b"\n") {
                first.push(b'\n');
            }
            first.extend_from_slice(&then);
            Some(first)
        }
        (one, None) | (None, one) => one,
    }
}
