//! The event log's record: one JSON line per authenticated push that `listen` received.
//!
//! ```json
//! {"received_at":"2025-01-11T16:00:02+07:00","remote":"127.0.0.1:51234","path":"/hook","user_agent":"KiriminAja-Push-Services","content_type":"application/json","verified":true,"payload":{"method":"finished_packages","data":[…]}}
//! ```
//!
//! `payload` is the body as received, byte for byte, except that line breaks (which JSON allows
//! only between tokens) become spaces so that a record stays one line. A body that is not JSON
//! is kept all the same, as `"unreadable": true` and the text in `body`. The record never holds
//! the `Authorization` header. The README documents the format; `decode-event` reads it.

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
    let head = Head {
        received_at: received.received_at,
        remote: received.remote,
        path: received.path,
        user_agent: received.user_agent,
        content_type: received.content_type,
        verified: true,
    };
    // Serializing strings and a timestamp into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *line, &head);
    line.pop(); // the closing brace: the payload comes next.
    let body = received.body;
    // Embedded as JSON only when it reads back as JSON: the parser does not check the UTF-8 of
    // strings it skips, and a record that cannot be read back would be lost to the forwarder.
    if !body.trim_ascii().is_empty()
        && std::str::from_utf8(body).is_ok()
        && serde_json::from_slice::<IgnoredAny>(body).is_ok()
    {
        line.extend_from_slice(b",\"payload\":");
        let start = line.len();
        line.extend_from_slice(body.trim_ascii());
        for byte in &mut line[start..] {
            if matches!(*byte, b'\r' | b'\n') {
                *byte = b' ';
            }
        }
    } else {
        line.extend_from_slice(b",\"unreadable\":true,\"body\":");
        let _ = serde_json::to_writer(&mut *line, &String::from_utf8_lossy(body));
    }
    line.extend_from_slice(b"}\n");
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
    #[serde(default)]
    pub body: Option<String>,
}

/// A field that is there, whatever its value (serde reads `null` as a missing `Option`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

impl<'a> Record<'a> {
    /// Reads a log line; `None` when it is not a record (a bare payload, a torn line).
    pub fn parse(line: &'a [u8]) -> Option<Record<'a>> {
        let record: Record = serde_json::from_slice(line).ok()?;
        (record.payload.is_some() || record.body.is_some()).then_some(record)
    }

    /// The body as it was received (for a JSON payload, less its line breaks).
    pub fn body_bytes(&self) -> &[u8] {
        match (self.payload, &self.body) {
            (Some(payload), _) => payload.get().as_bytes(),
            (None, Some(body)) => body.as_bytes(),
            (None, None) => b"",
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
            "{\"received_at\":\"2025-01-11T16:00:02+07:00\",\"remote\":\"127.0.0.1:5000\",\"path\":\"/hook\",\"user_agent\":\"KiriminAja-Push-Services\",\"content_type\":\"application/json\",\"verified\":true,\"payload\":{\"method\": \"x\",    \"data\": [1.50, \"\\u00e9\"]}}\n"
        );
        let record = Record::parse(&line).unwrap();
        assert_eq!(
            record.body_bytes(),
            b"{\"method\": \"x\",    \"data\": [1.50, \"\\u00e9\"]}"
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
            assert_eq!(
                record.body_bytes(),
                String::from_utf8_lossy(body).as_bytes()
            );
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
        assert_eq!(record.body_bytes(), body.as_bytes());
    }

    #[test]
    fn other_lines_are_not_records() {
        assert!(Record::parse(b"{\"method\": \"x\", \"data\": []}").is_none());
        assert!(Record::parse(b"{\"received_at\": \"x\", \"payl").is_none());
        assert!(Record::parse(b"[]").is_none());
    }

    proptest! {
        /// Any body: the record is one line, reads back, and gives the body back.
        #[test]
        fn any_body_round_trips(body in prop::collection::vec(any::<u8>(), 0..200)) {
            let line = line(&body);
            prop_assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
            prop_assert!(line.ends_with(b"\n"));
            let record = Record::parse(&line).unwrap();
            if !record.unreadable {
                let expected: Vec<u8> = body.trim_ascii().iter()
                    .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }).collect();
                prop_assert_eq!(record.body_bytes(), expected.as_slice());
            }
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
        assert_eq!(read.body_bytes(), String::from_utf8_lossy(&body).as_bytes());
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
        assert_eq!(read.body_bytes(), b"null");
    }
}
