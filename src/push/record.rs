//! The event log's record: one JSON line per authenticated push that `listen` received.
//!
//! ```json
//! {"received_at":"2025-01-11T16:00:02+07:00","remote":"127.0.0.1:51234","path":"/hook","user_agent":"KiriminAja-Push-Services","content_type":"application/json","verified":true,"payload":{"method":"finished_packages","data":[…]}}
//! ```
//!
//! `payload` is the body as received, except that line breaks (which JSON allows only between
//! tokens) become spaces so that a record stays one line, and blanks around it are left out;
//! when that changed anything, `body` holds the exact text too. A body that is not JSON is kept
//! all the same, as `"unreadable": true` and the text in `body`, or in `body_base64` when it is
//! not UTF-8: every body reads back byte for byte. The record never holds the `Authorization`
//! header. The README documents the format; `decode-event` reads it.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use crate::push::event::Request;
use crate::time::Moment;

/// A request to record, as received.
#[derive(Debug, Clone)]
pub struct Received<'a> {
    pub received_at: Moment,
    pub remote: &'a str,
    pub path: &'a str,
    pub user_agent: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// Appends the record of `received` to `line`, newline included.
pub fn write(received: &Received<'_>, line: &mut Vec<u8>) {
    #[derive(serde::Serialize)]
    struct Head<'a> {
        received_at: Moment,
        remote: &'a str,
        path: &'a str,
        user_agent: Option<&'a str>,
        content_type: Option<&'a str>,
        verified: bool,
    }
    // The key never reaches the log, even when a sender put it in the path (`/hook/<key>`) or
    // the user agent: the log is read on machines that do not have the key to scrub it.
    let path = crate::scrub::path(received.path);
    let user_agent = received.user_agent.map(crate::scrub::text);
    let head = Head {
        received_at: received.received_at,
        remote: received.remote,
        path: &path,
        user_agent: user_agent.as_deref(),
        content_type: received.content_type,
        verified: true,
    };
    // Serializing strings and a timestamp into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *line, &head);
    line.pop(); // the closing brace: the payload comes next.
    let body = received.body;
    // A leading byte-order mark is not part of the payload (the rule `event::decode` follows);
    // the exact bytes, mark included, are kept in `body` below.
    let json = crate::input::skip_bom(body);
    // Embedded as JSON only when it reads back as JSON: the parser does not check the UTF-8 of
    // strings it skips, and a record that cannot be read back would be lost to the forwarder.
    let text = std::str::from_utf8(body).ok();
    let valid = text.is_some()
        && !json.trim_ascii().is_empty()
        && serde_json::from_slice::<IgnoredAny>(json).is_ok();
    if let Some(text) = text
        && valid
        && nesting(json) >= MAX_PAYLOAD_NESTING
    {
        // Valid JSON, but too deep to embed: inside the record it would be one level deeper
        // than a reader's recursion limit, and the record would not read back (`decode-event`
        // reads the line as JSON first). Kept as text instead; it is not "unreadable".
        line.extend_from_slice(b",\"body\":");
        let _ = serde_json::to_writer(&mut *line, text);
    } else if let Some(text) = text
        && valid
    {
        line.extend_from_slice(b",\"payload\":");
        let start = line.len();
        line.extend_from_slice(json.trim_ascii());
        let mut exact = true;
        for byte in &mut line[start..] {
            if matches!(*byte, b'\r' | b'\n') {
                *byte = b' ';
                exact = false;
            }
        }
        if !exact || body.len() != json.trim_ascii().len() {
            // The payload alone would not give the bytes back (a trailing newline, line
            // breaks): the body as received too, so that forwarding sends exactly it.
            line.extend_from_slice(b",\"body\":");
            let _ = serde_json::to_writer(&mut *line, text);
        }
    } else if let Some(text) = text {
        line.extend_from_slice(b",\"unreadable\":true,\"body\":");
        let _ = serde_json::to_writer(&mut *line, text);
    } else {
        // Not UTF-8: kept byte for byte, in base64.
        line.extend_from_slice(b",\"unreadable\":true,\"body_base64\":\"");
        base64_encode(body, line);
        line.push(b'"');
    }
    line.extend_from_slice(b"}\n");
}

/// How deeply a payload may nest (arrays and objects) to be embedded in a record: the record
/// itself adds a level, and serde_json reads at most 128.
const MAX_PAYLOAD_NESTING: usize = 127;

/// The deepest nesting of arrays and objects in JSON text (brackets inside strings not counted).
fn nesting(json: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &byte in json {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
fn base64_encode(bytes: &[u8], out: &mut Vec<u8>) {
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
}

/// The bytes of standard base64 (padding optional); `None` when it is not base64.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut n = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = BASE64.iter().position(|&b| b == byte)? as u32;
        n = n << 6 | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((n >> bits) as u8);
            n &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A record read back from the log.
#[derive(Debug, Deserialize)]
pub struct Record<'a> {
    pub received_at: String,
    #[serde(default)]
    pub remote: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub verified: Option<bool>,
    /// `null` is a payload too (a body can be `null`): present is `Some`, missing is `None`.
    #[serde(default, borrow, deserialize_with = "present")]
    pub payload: Option<&'a RawValue>,
    #[serde(default)]
    pub unreadable: bool,
    /// The body as received: for a body that is not JSON, or one whose payload alone would
    /// not give its bytes back (a trailing newline).
    #[serde(default)]
    pub body: Option<String>,
    /// A body that is not UTF-8, byte for byte.
    #[serde(default)]
    pub body_base64: Option<String>,
}

/// A field that is there, whatever its value (serde reads `null` as a missing `Option`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

impl<'a> Record<'a> {
    /// Reads a log line; `None` when it is not a record (a bare payload, a torn line).
    pub fn parse(line: &'a [u8]) -> Option<Record<'a>> {
        let record: Record = serde_json::from_slice(line).ok()?;
        let body = record.payload.is_some()
            || record.body.is_some()
            || record
                .body_base64
                .as_deref()
                .is_some_and(|b| base64_decode(b).is_some());
        body.then_some(record)
    }

    /// The body as it was received, byte for byte (from a log written before bodies were kept
    /// exactly: a JSON payload less its line breaks).
    pub fn body_bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        use std::borrow::Cow;
        if let Some(bytes) = self.body_base64.as_deref().and_then(base64_decode) {
            return Cow::Owned(bytes);
        }
        match (self.payload, &self.body) {
            (_, Some(body)) => Cow::Borrowed(body.as_bytes()),
            (Some(payload), None) => Cow::Borrowed(payload.get().as_bytes()),
            (None, None) => Cow::Borrowed(b""),
        }
    }

    /// The request the record came in, as `decode-event` reports it: it passed every check.
    pub fn request(&self) -> Request {
        Record::request_of(
            self.path.as_deref().unwrap_or_default(),
            self.user_agent.clone(),
        )
    }

    /// A request `listen` accepted: a POST that passed every check.
    pub fn request_of(path: &str, user_agent: Option<String>) -> Request {
        Request {
            method: "POST".to_owned(),
            path: crate::scrub::string(path.to_owned()),
            user_agent: user_agent.map(crate::scrub::string),
            problems: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn received(body: &[u8]) -> Received<'_> {
        Received {
            received_at: Moment::parse("2025-01-11T09:00:02Z").unwrap(),
            remote: "127.0.0.1:5000",
            path: "/hook",
            user_agent: Some("KiriminAja-Push-Services"),
            content_type: Some("application/json"),
            body,
        }
    }

    fn line(body: &[u8]) -> Vec<u8> {
        let mut line = Vec::new();
        write(&received(body), &mut line);
        line
    }

    #[test]
    fn a_json_body_is_kept_as_received_on_one_line() {
        let body = b"{\"method\": \"x\",\r\n  \"data\": [1.50, \"\\u00e9\"]}\n";
        let line = line(body);
        assert_eq!(
            String::from_utf8(line.clone()).unwrap(),
            "{\"received_at\":\"2025-01-11T16:00:02+07:00\",\"remote\":\"127.0.0.1:5000\",\"path\":\"/hook\",\"user_agent\":\"KiriminAja-Push-Services\",\"content_type\":\"application/json\",\"verified\":true,\"payload\":{\"method\": \"x\",    \"data\": [1.50, \"\\u00e9\"]},\"body\":\"{\\\"method\\\": \\\"x\\\",\\r\\n  \\\"data\\\": [1.50, \\\"\\\\u00e9\\\"]}\\n\"}\n"
        );
        let record = Record::parse(&line).unwrap();
        assert_eq!(&record.body_bytes()[..], body);
        // A compact body is the payload alone.
        let compact = self::line(b"{\"method\":\"x\"}");
        assert!(!String::from_utf8_lossy(&compact).contains("\"body\""));
        assert_eq!(
            &Record::parse(&compact).unwrap().body_bytes()[..],
            b"{\"method\":\"x\"}"
        );
        assert_eq!(record.verified, Some(true));
        assert!(!record.unreadable);
    }

    #[test]
    fn an_unreadable_body_is_kept_as_text() {
        for body in [&b"{\"method\": "[..], b"", b"  ", b"\xff\n{}"] {
            let line = line(body);
            assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
            let record = Record::parse(&line).unwrap();
            assert!(record.unreadable);
            assert_eq!(&record.body_bytes()[..], body);
        }
    }

    #[test]
    fn a_deeply_nested_payload_reads_back() {
        // Deeper than serde_json's recursion limit for values: validation and RawValue skip
        // without recursing, so the forwarder gets such a body back all the same.
        let body = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let record = line(body.as_bytes());
        let record = Record::parse(&record).unwrap();
        assert!(!record.unreadable);
        assert_eq!(&record.body_bytes()[..], body.as_bytes());
    }

    /// What `listen` decodes (a payload nested as deep as serde_json allows), the record reads
    /// back as `decode-event` reads a log line: as JSON first, then the record's body.
    #[test]
    fn a_body_nested_to_the_limit_reads_back_as_it_decodes() {
        use crate::push::decode::{self, DecodeError};
        for depth in 120..135 {
            let body = format!(
                "{{\"method\":\"finished_packages\",\"data\":{}{}}}",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let line = line(body.as_bytes());
            let direct = decode::decode(body.as_bytes()).map_err(|e| e.to_string());
            let read_back = match decode::decode(line.trim_ascii_end()) {
                Err(DecodeError::MissingMethod) => {
                    let record = Record::parse(line.trim_ascii_end()).expect("a record");
                    assert_eq!(&record.body_bytes()[..], body.as_bytes());
                    decode::decode(&record.body_bytes()).map_err(|e| e.to_string())
                }
                other => panic!("depth {depth}: the record reads as {other:?}"),
            };
            assert_eq!(
                format!("{direct:?}"),
                format!("{read_back:?}"),
                "depth {depth}"
            );
        }
        assert_eq!(nesting(b"[\"[[\\\"]\",{\"a\":[]}]"), 3);
    }

    #[test]
    fn other_lines_are_not_records() {
        assert!(Record::parse(b"{\"method\": \"x\", \"data\": []}").is_none());
        assert!(Record::parse(b"{\"received_at\": \"x\", \"payl").is_none());
        assert!(Record::parse(b"[]").is_none());
    }

    #[test]
    fn base64_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", b"\xff\x00\xfe"] {
            let mut text = Vec::new();
            base64_encode(bytes, &mut text);
            assert_eq!(
                base64_decode(std::str::from_utf8(&text).unwrap()).unwrap(),
                bytes
            );
        }
        let mut text = Vec::new();
        base64_encode(b"foob", &mut text);
        assert_eq!(text, b"Zm9vYg==");
        assert!(base64_decode("a*b").is_none());
    }

    proptest! {
        /// Any body: the record is one line, reads back, and gives the body back.
        #[test]
        fn any_body_round_trips(body in prop::collection::vec(any::<u8>(), 0..200)) {
            let line = line(&body);
            prop_assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
            prop_assert!(line.ends_with(b"\n"));
            let record = Record::parse(&line).unwrap();
            prop_assert_eq!(&record.body_bytes()[..], body.as_slice());
        }
    }

    #[test]
    fn a_body_that_is_not_utf8_is_kept_unreadable_and_reads_back() {
        let body = b"{\"method\":\"x\",\"a\":\"\xff\"}";
        let received = Received {
            received_at: crate::time::Moment::now(),
            remote: "127.0.0.1:1",
            path: "/hook",
            user_agent: None,
            content_type: Some("application/json"),
            body,
        };
        let mut line = Vec::new();
        write(&received, &mut line);
        let read = Record::parse(&line[..line.len() - 1]).expect("reads back");
        assert!(read.unreadable);
    }

    /// Found by the `log_record` fuzz target: a JSON string with a byte that is not UTF-8, from
    /// a sender whose user agent holds control characters, was written as a record that did not
    /// read back.
    #[test]
    fn fuzz_crash_a_string_that_is_not_utf8_reads_back() {
        let mut body = b"\"uqqqq".to_vec();
        body.push(0x8d);
        body.extend_from_slice(b"qqqqqqqq\"");
        let received = Received {
            received_at: crate::time::Moment::now(),
            remote: "127.0.0.1:1",
            path: "/hook",
            user_agent: Some("{\u{0}\u{0}\u{0}\u{0}\u{e}tdpat"),
            content_type: Some("application/json"),
            body: &body,
        };
        let mut line = Vec::new();
        write(&received, &mut line);
        assert_eq!(line.iter().filter(|b| **b == b'\n').count(), 1);
        let read = Record::parse(&line[..line.len() - 1]).expect("reads back");
        assert!(read.unreadable);
        assert_eq!(&read.body_bytes()[..], &body[..]);
    }

    /// Found by the `log_record` fuzz target: a body of `null` (after blanks) was logged as a
    /// `"payload":null` that read back as no record at all.
    #[test]
    fn fuzz_crash_a_null_body_reads_back() {
        let received = Received {
            received_at: crate::time::Moment::now(),
            remote: "127.0.0.1:1",
            path: "/hook",
            user_agent: Some("\r\r\r"),
            content_type: Some("application/json"),
            body: b"\rnull",
        };
        let mut line = Vec::new();
        write(&received, &mut line);
        let read = Record::parse(&line[..line.len() - 1]).expect("reads back");
        assert_eq!(&read.body_bytes()[..], b"\rnull");
    }
}
