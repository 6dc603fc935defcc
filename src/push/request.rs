//! Captured HTTP requests: the head read leniently, the body framed exactly as the head
//! announces it, and the head checked as a push receiver should ([`super::verify`]).
//!
//! A request is recognized by its first line (`METHOD /path HTTP/1.x`). Header names are
//! case-insensitive, lines end in CRLF or LF. The body is exactly the `Content-Length` bytes, or
//! the de-chunked body of `Transfer-Encoding: chunked`: whatever follows it is not part of it,
//! and a verdict on this head never covers it. A head with neither announces no end: its body
//! runs to the end of the input, so such a request can only be the last one of an input.

use std::io::{self, BufRead, Read};

use crate::config::ApiKey;
use crate::push::event::{Problem, Request};
use crate::push::verify;

/// Longest request line or header line read.
const MAX_LINE: u64 = 16 * 1024;
/// Most header lines read.
const MAX_HEADERS: usize = 200;
/// Longest chunk-size line of a chunked body.
const MAX_CHUNK_LINE: u64 = 1024;

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
    #[cfg(test)]
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// How the body is framed, or why it cannot be read as it is (see [`framing`]).
    pub fn body_length(&self) -> Result<BodyLength, BodyError> {
        framing(self.headers.iter().map(|(n, v)| (n.as_str(), v.as_bytes())))
    }

    /// Checks the head as a receiver should, against `key` when there is one (see
    /// [`verify::check`]). Returns what to report about the request and whether it is verified
    /// (`None`: cannot tell, no key).
    pub fn check(&self, key: Option<&ApiKey>) -> (Request, Option<bool>) {
        let headers = self.headers.iter().map(|(n, v)| (n.as_str(), v.as_bytes()));
        let mut verdict = verify::check(&self.method, headers, key);
        // A body whose end its head does not announce runs to the end of the capture: the head
        // cannot vouch for bytes it did not count, so such a request is never verified.
        if matches!(self.body_length(), Ok(BodyLength::ToEnd)) {
            verdict.problems.push(Problem::UnannouncedLength);
            verdict.verified = Some(false);
        }
        let request = Request {
            method: self.method.clone(),
            path: crate::scrub::string(self.target.clone()),
            user_agent: verdict.user_agent.map(crate::scrub::string),
            problems: verdict.problems,
        };
        (request, verdict.verified)
    }
}

/// How a request's body is framed, from its headers (names in any case, values as sent): the
/// one rule for `decode-event` (captured requests) and `listen` (live ones).
///
/// Refused: a content coding other than `identity` (the body would not be the payload; nothing
/// here decodes it), a transfer coding other than one `chunked`, `Content-Length` together with
/// `Transfer-Encoding` (how requests are smuggled past a proxy), and an invalid or conflicting
/// `Content-Length`. Neither header: [`BodyLength::ToEnd`], which a receiver cannot vouch for.
pub fn framing<'a, I>(headers: I) -> Result<BodyLength, BodyError>
where
    I: IntoIterator<Item = (&'a str, &'a [u8])>,
{
    let mut lengths = Vec::new();
    let mut codings = Vec::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value);
        if name.eq_ignore_ascii_case("content-encoding") {
            let coding = value.trim();
            if !coding.eq_ignore_ascii_case("identity") {
                return Err(BodyError::Unsupported(format!(
                    "content encoding {}",
                    crate::render::clean(coding)
                )));
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            lengths.extend(value.split(',').map(|v| v.trim().to_owned()));
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            codings.extend(
                value
                    .split(',')
                    .map(|c| c.trim().to_ascii_lowercase())
                    .filter(|c| !c.is_empty()),
            );
        }
    }
    if !codings.is_empty() {
        // Both framings at once is how requests are smuggled past a proxy: refuse it.
        if !lengths.is_empty() {
            return Err(BodyError::Framing(
                "both Content-Length and Transfer-Encoding".to_owned(),
            ));
        }
        return match codings.as_slice() {
            [only] if only == "chunked" => Ok(BodyLength::Chunked),
            _ => Err(BodyError::Unsupported(format!(
                "transfer encoding {}",
                crate::render::clean(&codings.join(", "))
            ))),
        };
    }
    let Some(first) = lengths.first() else {
        return Ok(BodyLength::ToEnd);
    };
    let parse = |v: &str| {
        (!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse::<u64>().ok())
            .flatten()
    };
    match parse(first) {
        Some(n) if lengths.iter().all(|v| parse(v) == Some(n)) => Ok(BodyLength::Fixed(n)),
        _ => Err(BodyError::Framing(
            "an invalid or conflicting Content-Length".to_owned(),
        )),
    }
}

/// How a request's body ends, as its head announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLength {
    /// `Content-Length: N`.
    Fixed(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Neither: the body is the rest of the input.
    ToEnd,
}

/// A request body that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the request body uses {0}, which cannot be read here; capture the decoded body")]
    Unsupported(String),
    #[error("the request head announces {0}")]
    Framing(String),
    #[error("the request body is larger than {} MiB", .0 >> 20)]
    TooLarge(usize),
    #[error(
        "the request body ends after {got} of the {expected} bytes its Content-Length announces"
    )]
    Short { got: usize, expected: u64 },
    #[error("the chunked request body is broken: {0}")]
    BadChunk(&'static str),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// A body read from the input.
#[derive(Debug, PartialEq, Eq)]
pub struct Body {
    /// The body's bytes (de-chunked).
    pub bytes: Vec<u8>,
    /// Newlines in the input the body took (chunk lines included), to keep counting lines.
    pub lines: usize,
}

/// Reads the body the head announced, and not a byte more; at most `limit` bytes of it.
pub fn read_body<R: BufRead>(
    reader: &mut R,
    length: BodyLength,
    limit: usize,
) -> Result<Body, BodyError> {
    let newlines = |bytes: &[u8]| bytes.iter().filter(|&&b| b == b'\n').count();
    match length {
        BodyLength::Fixed(n) => {
            if n > limit as u64 {
                return Err(BodyError::TooLarge(limit));
            }
            let mut bytes = Vec::new();
            reader.by_ref().take(n).read_to_end(&mut bytes)?;
            if (bytes.len() as u64) < n {
                return Err(BodyError::Short {
                    got: bytes.len(),
                    expected: n,
                });
            }
            let lines = newlines(&bytes);
            Ok(Body { bytes, lines })
        }
        BodyLength::ToEnd => {
            let mut bytes = Vec::new();
            reader
                .by_ref()
                .take(limit as u64 + 1)
                .read_to_end(&mut bytes)?;
            if bytes.len() > limit {
                return Err(BodyError::TooLarge(limit));
            }
            let lines = newlines(&bytes);
            Ok(Body { bytes, lines })
        }
        BodyLength::Chunked => read_chunked(reader, limit),
    }
}

/// `SIZE[;extensions]` CRLF, the data, CRLF, … a last chunk of size 0, then trailer lines up to
/// a blank line. Bare LF line ends are accepted (captured text is often re-saved).
fn read_chunked<R: BufRead>(reader: &mut R, limit: usize) -> Result<Body, BodyError> {
    let mut bytes = Vec::new();
    let mut lines = 0;
    let mut line = Vec::new();
    let read_line = |reader: &mut R, line: &mut Vec<u8>, lines: &mut usize| {
        line.clear();
        reader
            .by_ref()
            .take(MAX_CHUNK_LINE)
            .read_until(b'\n', line)?;
        if !line.ends_with(b"\n") {
            return Err(BodyError::BadChunk("a chunk line is cut short or too long"));
        }
        *lines += 1;
        Ok::<_, BodyError>(())
    };
    loop {
        read_line(reader, &mut line, &mut lines)?;
        let text = std::str::from_utf8(&line).map_err(|_| BodyError::BadChunk("bad chunk size"))?;
        let size = text.split(';').next().unwrap_or_default().trim();
        if size.is_empty() || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BodyError::BadChunk("bad chunk size"));
        }
        let size = u64::from_str_radix(size, 16).map_err(|_| BodyError::TooLarge(limit))?;
        if size == 0 {
            break;
        }
        if (bytes.len() as u64).saturating_add(size) > limit as u64 {
            return Err(BodyError::TooLarge(limit));
        }
        let before = bytes.len();
        reader.by_ref().take(size).read_to_end(&mut bytes)?;
        if ((bytes.len() - before) as u64) < size {
            return Err(BodyError::BadChunk("a chunk ends early"));
        }
        lines += bytes[before..].iter().filter(|&&b| b == b'\n').count();
        read_line(reader, &mut line, &mut lines)?;
        if !matches!(line.as_slice(), b"\r\n" | b"\n") {
            return Err(BodyError::BadChunk("a chunk is longer than its size"));
        }
    }
    // Trailer fields (ignored) up to the blank line that ends the message.
    loop {
        read_line(reader, &mut line, &mut lines)?;
        if matches!(line.as_slice(), b"\r\n" | b"\n") {
            return Ok(Body { bytes, lines });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::event::Problem;

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

    /// The head's framing applied to what follows it: the body, and the rest of the input.
    fn body(text: &str) -> Result<(Vec<u8>, Vec<u8>), String> {
        // A one-byte buffer: every read is as short as it can be.
        let mut reader = io::BufReader::with_capacity(1, text.as_bytes());
        let Start::Request(head) = read_start(&mut reader).unwrap() else {
            panic!("not a request")
        };
        let length = head.body_length().map_err(|e| e.to_string())?;
        let body = read_body(&mut reader, length, 64).map_err(|e| e.to_string())?;
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).unwrap();
        Ok((body.bytes, rest))
    }

    const GOOD: &str = "POST /hook?x=1 HTTP/1.1\r\nHost: example.test\r\ncontent-type: application/json; charset=utf-8\r\nAUTHORIZATION: bearer kja-unit-0123456789\r\nUser-Agent: KiriminAja-Push-Services\r\nContent-Length: 15\r\n\r\n{\"method\": \"x\"}";

    #[test]
    fn reads_head_and_leaves_the_body() {
        let (head, body) = head(GOOD);
        assert_eq!(head.method, "POST");
        assert_eq!(head.target, "/hook?x=1");
        assert_eq!(head.lines, 7);
        assert_eq!(body, b"{\"method\": \"x\"}");
        assert!(!format!("{head:?}").contains(KEY));
        let (head, body) = self::head("POST / HTTP/1.0\nX-Folded: a\n b\n\n{}\n");
        assert_eq!(head.values("x-folded").next(), Some("a b"));
        assert_eq!(head.lines, 4);
        assert_eq!(body, b"{}\n");
    }

    #[test]
    fn the_head_is_checked_by_the_shared_check() {
        assert_eq!(check(GOOD, Some(KEY)), (vec![], Some(true)));
        assert_eq!(
            check(GOOD, Some("kja-unit-0123456780")),
            (vec![Problem::WrongBearer], Some(false))
        );
        assert_eq!(check(GOOD, None), (vec![], None));
        let (request, _) = head(GOOD).0.check(None);
        assert_eq!(
            request.user_agent.as_deref(),
            Some("KiriminAja-Push-Services")
        );
        assert_eq!(request.path, "/hook?x=1");
        // Without a length its head cannot vouch for its body, key or not.
        let unannounced = GOOD.replace("Content-Length: 15\r\n", "");
        assert_eq!(
            check(&unannounced, Some(KEY)),
            (vec![Problem::UnannouncedLength], Some(false))
        );
    }

    #[test]
    fn content_length_is_the_body() {
        let text = "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}{\"forged\": 1}";
        assert_eq!(
            body(text),
            Ok((b"{}".to_vec(), b"{\"forged\": 1}".to_vec()))
        );
        // The same length repeated is one length; two different ones are refused.
        let text = "POST / HTTP/1.1\nContent-Length: 2, 2\nContent-Length: 2\n\n{}x";
        assert_eq!(body(text), Ok((b"{}".to_vec(), b"x".to_vec())));
        for bad in ["2, 3", "-1", "+2", "0x2", "", "99999999999999999999999"] {
            let text = format!("POST / HTTP/1.1\nContent-Length: {bad}\n\n{{}}");
            assert!(
                body(&text).unwrap_err().contains("Content-Length"),
                "{bad:?}"
            );
        }
        assert!(
            body("POST / HTTP/1.1\nContent-Length: 10\n\n{}")
                .unwrap_err()
                .contains("ends after 2 of the 10 bytes")
        );
        assert!(
            body("POST / HTTP/1.1\nContent-Length: 65\n\n{}")
                .unwrap_err()
                .contains("larger than")
        );
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        let text = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\n{\"a\r\n5\r\n\": 1}\r\n0\r\nX-Trailer: t\r\n\r\nPOST /next";
        assert_eq!(
            body(text),
            Ok((b"{\"a\": 1}".to_vec(), b"POST /next".to_vec()))
        );
        let lf = "POST / HTTP/1.1\nTransfer-Encoding: Chunked\n\n2\n{}\n0\n\n";
        assert_eq!(body(lf), Ok((b"{}".to_vec(), Vec::new())));
        for (bad, why) in [
            ("2\r\n{}", "cut short"),
            ("2\r\n{}x\r\n0\r\n\r\n", "longer than its size"),
            ("g\r\n", "bad chunk size"),
            ("5\r\n{}", "ends early"),
            ("41\r\n", "larger than"),
            ("2\r\n{}\r\n0\r\n", "cut short"),
        ] {
            let text = format!("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{bad}");
            let err = body(&text).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
        let both = "POST / HTTP/1.1\nTransfer-Encoding: chunked\nContent-Length: 2\n\n{}";
        assert!(body(both).unwrap_err().contains("both"));
        let gzip = "POST / HTTP/1.1\nTransfer-Encoding: gzip, chunked\n\n";
        assert!(
            body(gzip)
                .unwrap_err()
                .contains("transfer encoding gzip, chunked")
        );
        let coded = "POST / HTTP/1.1\nContent-Encoding: br\n\n";
        assert!(body(coded).unwrap_err().contains("content encoding br"));
    }

    #[test]
    fn without_a_length_the_body_is_the_rest() {
        assert_eq!(
            body("POST / HTTP/1.1\n\n{}\n{}"),
            Ok((b"{}\n{}".to_vec(), Vec::new()))
        );
        assert!(
            body(&format!("POST / HTTP/1.1\n\n{}", "x".repeat(65)))
                .unwrap_err()
                .contains("larger than")
        );
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

    proptest::proptest! {
        /// Any bytes after a request line: no panic, and a body is never more than its head
        /// announced.
        #[test]
        fn any_head_and_body_read_without_panic(
            rest in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
            framing in proptest::sample::select(vec![
                "", "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "Content-Length: 1, 2\n",
            ]),
        ) {
            let input = [format!("POST / HTTP/1.1\r\n{framing}").into_bytes(), rest].concat();
            let mut reader = io::BufReader::with_capacity(5, input.as_slice());
            if let Ok(Start::Request(head)) = read_start(&mut reader)
                && let Ok(length) = head.body_length()
                && let Ok(body) = read_body(&mut reader, length, 256)
            {
                if let BodyLength::Fixed(n) = length {
                    proptest::prop_assert_eq!(body.bytes.len() as u64, n);
                }
                proptest::prop_assert!(body.bytes.len() <= 256);
            }
        }
    }

    #[test]
    fn broken_heads() {
        let mut reader = io::BufReader::new(&b"POST / HTTP/1.1\nA: b\n"[..]);
        assert!(matches!(read_start(&mut reader), Err(HeadError::NoBody)));
    }

    #[test]
    fn a_chunk_size_past_any_limit_is_too_large_not_an_overflow() {
        let mut input = &b"1\r\na\r\nffffffffffffffff\r\n"[..];
        let err = read_body(&mut input, BodyLength::Chunked, 1024).unwrap_err();
        assert!(matches!(err, BodyError::TooLarge(_)), "{err}");
    }
}
