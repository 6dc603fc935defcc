//! Captured HTTP requests: the head read leniently, then checked as a push receiver should.
//!
//! A request is recognized by its first line (`METHOD /path HTTP/1.x`). Header names are
//! case-insensitive, lines end in CRLF or LF. The check: method POST, a JSON content type, and
//! `Authorization: Bearer TOKEN` equal to the configured key, compared in constant time. The
//! user agent is reported, not trusted. No header value of `Authorization` is ever kept beyond
//! the comparison, so none can be printed.

use std::io::{self, BufRead, Read};

use subtle::ConstantTimeEq;

use crate::config::ApiKey;
use crate::event::{Problem, Request};

/// Longest request line or header line read.
const MAX_LINE: u64 = 16 * 1024;
/// Most header lines read.
const MAX_HEADERS: usize = 200;

/// The request line and headers of a captured request.
#[derive(Clone, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    pub target: String,
    /// Lower-case names, values trimmed, in order.
    headers: Vec<(String, String)>,
    /// Lines taken by the head, blank line included: the body starts on the next one.
    pub lines: usize,
}

// Hand-written so that no debug print can show a header value.
impl std::fmt::Debug for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Head")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("headers", &self.headers.len())
            .finish()
    }
}

/// What the start of an input turned out to be.
pub enum Start {
    /// A captured request: its head has been read; the body follows in the reader.
    Request(Head),
    /// Not a request: these bytes were read to find out, and come before the rest of the input.
    Payloads(Vec<u8>),
}

/// A request head that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum HeadError {
    #[error("the request headers end without the blank line before the body")]
    NoBody,
    #[error("a request header line is longer than {MAX_LINE} bytes")]
    LongLine,
    #[error("the request has more than {MAX_HEADERS} header lines")]
    TooManyHeaders,
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Reads the first line and, when it is a request line, the headers.
pub fn read_start<R: BufRead>(reader: &mut R) -> Result<Start, HeadError> {
    // JSON never starts with a letter; a request line always does.
    let first = reader.fill_buf()?.first().copied();
    if !first.is_some_and(|b| b.is_ascii_alphabetic()) {
        return Ok(Start::Payloads(Vec::new()));
    }
    let mut line = Vec::new();
    reader
        .by_ref()
        .take(MAX_LINE)
        .read_until(b'\n', &mut line)?;
    let Some((method, target)) = request_line(&line) else {
        return Ok(Start::Payloads(line));
    };
    let mut head = Head {
        method,
        target,
        headers: Vec::new(),
        lines: 1,
    };
    loop {
        let mut line = Vec::new();
        let n = reader
            .by_ref()
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Err(HeadError::NoBody);
        }
        if !line.ends_with(b"\n") && n as u64 == MAX_LINE {
            return Err(HeadError::LongLine);
        }
        head.lines += 1;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.trim().is_empty() {
            return Ok(Start::Request(head));
        }
        if head.headers.len() >= MAX_HEADERS {
            return Err(HeadError::TooManyHeaders);
        }
        if text.starts_with([' ', '\t']) {
            // An obsolete folded line continues the previous header.
            if let Some((_, value)) = head.headers.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
            }
            continue;
        }
        // A line without a colon is not a header; it is skipped (and never echoed).
        if let Some((name, value)) = text.split_once(':') {
            head.headers
                .push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
}

/// `METHOD TARGET HTTP/x.y` → method and target.
fn request_line(line: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.trim_end_matches(['\r', '\n']).split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = parts.next().is_none()
        && !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_alphabetic())
        && !target.is_empty()
        && version.starts_with("HTTP/");
    ok.then(|| (method.to_owned(), target.to_owned()))
}

impl Head {
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn first<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        self.values(name).next()
    }

    /// Why the body cannot be read as it is, if it cannot (a transfer or content coding).
    pub fn unsupported_body(&self) -> Option<String> {
        if self
            .values("transfer-encoding")
            .any(|v| v.to_ascii_lowercase().contains("chunked"))
        {
            return Some("chunked transfer encoding".to_owned());
        }
        self.values("content-encoding")
            .find(|v| !v.eq_ignore_ascii_case("identity"))
            .map(|v| format!("content encoding {}", crate::render::clean(v)))
    }

    /// Checks the request as a receiver should, against `key` when there is one. Returns what
    /// to report about the request and whether it is verified (`None`: cannot tell, no key).
    pub fn check(&self, key: Option<&ApiKey>) -> (Request, Option<bool>) {
        let mut problems = Vec::new();
        if self.method != "POST" {
            problems.push(Problem::NotPost);
        }
        if !self.first("content-type").is_some_and(is_json_type) {
            problems.push(Problem::NotJson);
        }
        let mut bearers = self.values("authorization").map(bearer);
        let token_ok = match (bearers.next(), bearers.next()) {
            (None, _) | (Some(None), None) => {
                problems.push(Problem::MissingBearer);
                None
            }
            // Several Authorization headers: a genuine push sends one.
            (Some(_), Some(_)) => {
                problems.push(Problem::WrongBearer);
                None
            }
            (Some(Some(token)), None) => key.map(|key| token_matches(token, key)),
        };
        if token_ok == Some(false) {
            problems.push(Problem::WrongBearer);
        }
        let verified = if !problems.is_empty() {
            Some(false)
        } else {
            token_ok
        };
        let request = Request {
            method: self.method.clone(),
            path: self.target.clone(),
            user_agent: self.first("user-agent").map(str::to_owned),
            problems,
        };
        (request, verified)
    }
}

/// `Bearer TOKEN` → the token; any other scheme or an empty token is no bearer.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once([' ', '\t'])?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Constant-time comparison (for equal lengths; a length difference is not hidden).
fn token_matches(token: &str, key: &ApiKey) -> bool {
    bool::from(token.as_bytes().ct_eq(key.expose().as_bytes()))
}

/// `application/json`, `application/json; charset=utf-8`, `application/problem+json`, …
fn is_json_type(value: &str) -> bool {
    let media = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "kja-unit-0123456789";

    fn head(text: &str) -> (Head, Vec<u8>) {
        let mut reader = io::BufReader::new(text.as_bytes());
        match read_start(&mut reader).unwrap() {
            Start::Request(head) => {
                let mut rest = Vec::new();
                reader.read_to_end(&mut rest).unwrap();
                (head, rest)
            }
            Start::Payloads(_) => panic!("not a request"),
        }
    }

    fn check(text: &str, key: Option<&str>) -> (Vec<Problem>, Option<bool>) {
        let key = key.and_then(ApiKey::new);
        let (request, verified) = head(text).0.check(key.as_ref());
        (request.problems, verified)
    }

    const GOOD: &str = "POST /hook?x=1 HTTP/1.1\r\nHost: example.test\r\ncontent-type: application/json; charset=utf-8\r\nAUTHORIZATION: bearer kja-unit-0123456789\r\nUser-Agent: KiriminAja-Push-Services\r\n\r\n{\"method\": \"x\"}";

    #[test]
    fn reads_head_and_leaves_the_body() {
        let (head, body) = head(GOOD);
        assert_eq!(head.method, "POST");
        assert_eq!(head.target, "/hook?x=1");
        assert_eq!(head.lines, 6);
        assert_eq!(body, b"{\"method\": \"x\"}");
        assert!(!format!("{head:?}").contains(KEY));
        let (head, body) = self::head("POST / HTTP/1.0\nX-Folded: a\n b\n\n{}\n");
        assert_eq!(head.first("x-folded"), Some("a b"));
        assert_eq!(head.lines, 4);
        assert_eq!(body, b"{}\n");
    }

    #[test]
    fn right_wrong_and_missing_bearer() {
        assert_eq!(check(GOOD, Some(KEY)), (vec![], Some(true)));
        assert_eq!(
            check(GOOD, Some("kja-unit-0123456780")),
            (vec![Problem::WrongBearer], Some(false))
        );
        assert_eq!(
            check(GOOD, Some("short")),
            (vec![Problem::WrongBearer], Some(false))
        );
        // No key configured: nothing wrong seen, but nothing proven either.
        assert_eq!(check(GOOD, None), (vec![], None));
        let missing = "POST / HTTP/1.1\nContent-Type: application/json\n\n{}";
        assert_eq!(
            check(missing, Some(KEY)),
            (vec![Problem::MissingBearer], Some(false))
        );
        assert_eq!(
            check(missing, None),
            (vec![Problem::MissingBearer], Some(false))
        );
        let basic =
            "POST / HTTP/1.1\nContent-Type: application/json\nAuthorization: Basic abc\n\n{}";
        assert_eq!(check(basic, Some(KEY)).0, vec![Problem::MissingBearer]);
        let empty = "POST / HTTP/1.1\nContent-Type: application/json\nAuthorization: Bearer \n\n{}";
        assert_eq!(check(empty, Some(KEY)).0, vec![Problem::MissingBearer]);
        let twice = format!(
            "POST / HTTP/1.1\nContent-Type: application/json\nAuthorization: Bearer {KEY}\nAuthorization: Bearer {KEY}\n\n{{}}"
        );
        assert_eq!(check(&twice, Some(KEY)).0, vec![Problem::WrongBearer]);
    }

    #[test]
    fn method_and_content_type() {
        let text = format!(
            "GET / HTTP/1.1\nContent-Type: text/plain\nAuthorization: Bearer {KEY}\n\n{{}}"
        );
        assert_eq!(
            check(&text, Some(KEY)),
            (vec![Problem::NotPost, Problem::NotJson], Some(false))
        );
        assert!(is_json_type("Application/JSON"));
        assert!(is_json_type("application/vnd.api+json"));
        assert!(!is_json_type("text/json+x"));
        assert!(!is_json_type(""));
    }

    #[test]
    fn non_requests_are_given_back() {
        for text in [
            "{\"method\": 1}",
            "",
            "nope\n{}",
            "POST /x\n{}",
            "Post it HTTP/1.1 now\n",
        ] {
            let mut reader = io::BufReader::new(text.as_bytes());
            match read_start(&mut reader).unwrap() {
                Start::Payloads(prefix) => {
                    let mut rest = Vec::new();
                    reader.read_to_end(&mut rest).unwrap();
                    assert_eq!([prefix, rest].concat(), text.as_bytes());
                }
                Start::Request(_) => panic!("{text:?} is not a request"),
            }
        }
    }

    #[test]
    fn broken_heads() {
        let mut reader = io::BufReader::new(&b"POST / HTTP/1.1\nA: b\n"[..]);
        assert!(matches!(read_start(&mut reader), Err(HeadError::NoBody)));
        assert_eq!(
            head("POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n")
                .0
                .unsupported_body(),
            Some("chunked transfer encoding".to_owned())
        );
    }
}
