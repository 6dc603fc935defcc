//! `listen --forward-to URL`: every logged event, in log order, to the user's own app.
//!
//! Forwarding reads the log, not the requests, so a slow or dead app never slows receiving, and
//! nothing is lost while it is down. Progress is a byte offset into the log, kept in a cursor
//! file beside it (`events.jsonl.cursor`, see [`Cursor`]) after each event, so a restart resumes
//! after the last event forwarded: at least once, in order, also when the log was rotated
//! before forwarding finished the old file (its rest is found beside the log). A cursor that no
//! longer fits the log, and a log cut from outside, start forwarding again from the log's start. Connection errors, timeouts, 3xx, 429 and 5xx are
//! retried with the one backoff policy ([`crate::api::backoff`]) for as long as `listen` runs;
//! any other 4xx is reported and the event skipped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{self, HeaderValue};
use tokio::sync::watch;

use crate::config::ApiKey;
use crate::listen::follow::{Cursor, Follower};
use crate::listen::log::Reader;
use crate::output;
use crate::push::record::Record;

/// Time limit per forwarding request.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The first retry delay.
const FIRST_RETRY: Duration = Duration::from_millis(500);
/// The longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// `--forward-to`: `https://`, or `http://` to a loopback host only (the requests carry the key).
pub fn parse_url(text: &str) -> Result<Url, String> {
    crate::config::parse_https_url(text, "--forward-to", "forwarded events carry the API key")
}

/// The cursor file of a log.
pub fn cursor_path(log: &Path) -> PathBuf {
    let mut name = log.file_name().unwrap_or_default().to_os_string();
    name.push(".cursor");
    log.with_file_name(name)
}

pub struct Forwarder {
    url: Url,
    authorization: HeaderValue,
    client: reqwest::Client,
    log: PathBuf,
    cursor: Cursor,
}

/// What one attempt came to.
enum Outcome {
    Delivered,
    /// Permanent: reported, and the event skipped.
    Refused(String),
    /// Worth trying again (after at least the given wait, if the app asked for one).
    Retry(String, Option<Duration>),
}

impl Forwarder {
    pub fn new(url: Url, key: &ApiKey, log: &Path) -> anyhow::Result<Forwarder> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", key.expose()))
            .map_err(|_| {
                crate::error::Error::config(
                    "the API key contains characters that cannot be sent in an HTTP header",
                )
            })?;
        authorization.set_sensitive(true);
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(10));
        if url.scheme() == "http" {
            builder = builder.tls_certs_only(std::iter::empty());
        }
        builder = crate::api::proxy_policy(builder, &url);
        Ok(Forwarder {
            url,
            authorization,
            client: builder.build()?,
            log: log.to_owned(),
            cursor: Cursor::new(cursor_path(log), "forwarding"),
        })
    }

    /// Forwards from the cursor on, following the log as it grows (and into a new file after a
    /// rotation), until `stop` or until the log is closed. `start` is the log's length when
    /// `listen` started: where a log forwarded for the first time starts.
    pub async fn run(self, start: u64, log: Reader, mut stop: watch::Receiver<bool>) {
        let place = match log.file() {
            Ok(current) => self.cursor.load(&self.log, start, &current),
            Err(e) => {
                output::error(
                    &format!("forwarding stopped: cannot read the log: {e}"),
                    None,
                );
                return;
            }
        };
        let mut follower = match Follower::open(&self.log, place, log) {
            Ok(follower) => follower,
            Err(e) => {
                output::error(
                    &format!("forwarding stopped: cannot read the log: {e}"),
                    None,
                );
                return;
            }
        };
        while let Some(line) = follower.next(&mut stop).await {
            let line = match line {
                Ok(line) => line,
                Err(e) => {
                    output::error(
                        &format!("forwarding stopped: cannot read the log: {e}"),
                        None,
                    );
                    return;
                }
            };
            match Record::parse(line.bytes.trim_ascii_end()) {
                Some(record) => {
                    if !self.deliver(&record, line.offset, &mut stop).await {
                        // Stopped behind a rotation before this event got through: the cursor
                        // keeps the files still to read after it, for the next start.
                        self.cursor.keep_later(&follower.later());
                        return;
                    }
                }
                None => output::warn(&format!(
                    "forwarding: the log line at byte {} is not a record; skipped",
                    line.offset
                )),
            }
            self.cursor.save(
                line.end(),
                Some(&line.bytes),
                line.file.as_deref(),
                &follower.later(),
            );
        }
    }

    /// Sends one event until it is delivered or refused. `false` when stopped first.
    async fn deliver(
        &self,
        record: &Record<'_>,
        offset: u64,
        stop: &mut watch::Receiver<bool>,
    ) -> bool {
        let mut delays = crate::api::backoff(FIRST_RETRY, None);
        let mut failing = false;
        loop {
            let wait = match self.send(record).await {
                Outcome::Delivered => {
                    if failing {
                        output::note(&format!("forwarding: {} answers again", self.url));
                    }
                    return true;
                }
                Outcome::Refused(why) => {
                    output::warn(&format!(
                        "forwarding: {} refused the event at byte {offset} of the log ({why}); skipped",
                        self.url
                    ));
                    return true;
                }
                Outcome::Retry(why, asked) => {
                    if !failing {
                        output::warn(&format!(
                            "forwarding: {}: {why}; retrying until it answers (events wait in the log)",
                            self.url
                        ));
                        failing = true;
                    }
                    let backoff = delays.next().unwrap_or(Duration::from_secs(30));
                    asked.map_or(backoff, |asked| asked.min(MAX_RETRY_AFTER).max(backoff))
                }
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return false,
            }
        }
    }

    async fn send(&self, record: &Record<'_>) -> Outcome {
        let header = |value: Option<&str>, default: &'static str| {
            value
                .and_then(|v| HeaderValue::from_str(v).ok())
                .unwrap_or(HeaderValue::from_static(default))
        };
        let request = self
            .client
            .post(self.url.clone())
            .header(header::AUTHORIZATION, self.authorization.clone())
            .header(
                header::CONTENT_TYPE,
                header(record.content_type.as_deref(), "application/json"),
            )
            .header(header::ACCEPT, "application/json")
            .header(
                header::USER_AGENT,
                header(record.user_agent.as_deref(), "KiriminAja-Push-Services"),
            )
            .body(record.body_bytes().into_owned());
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) if e.is_timeout() => {
                return Outcome::Retry(format!("no answer within {}s", TIMEOUT.as_secs()), None);
            }
            Err(e) => return Outcome::Retry(innermost(&e), None),
        };
        let status = response.status();
        let asked = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::api::parse_retry_after);
        if status.is_success() {
            Outcome::Delivered
        } else if status.is_redirection() {
            Outcome::Retry(
                format!("HTTP {status}: redirects are not followed; check the URL"),
                None,
            )
        } else if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
            Outcome::Retry(format!("HTTP {status}"), asked)
        } else {
            Outcome::Refused(format!("HTTP {status}"))
        }
    }
}

/// The innermost cause of a transport error ("Connection refused"): the outer ones repeat the
/// URL.
fn innermost(err: &reqwest::Error) -> String {
    let mut detail = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    detail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_urls() {
        assert!(parse_url("https://app.example/hook").is_ok());
        assert!(parse_url("http://127.0.0.1:3000/hook").is_ok());
        assert!(parse_url("http://localhost/hook").is_ok());
        assert!(
            parse_url("http://app.example/hook")
                .unwrap_err()
                .contains("plain http")
        );
        assert!(parse_url("ftp://x/").is_err());
        assert!(parse_url("https://u:p@x/").is_err());
        assert_eq!(
            cursor_path(Path::new("/var/lib/k/events.jsonl")),
            Path::new("/var/lib/k/events.jsonl.cursor")
        );
    }
}
