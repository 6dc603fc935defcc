//! JSON Lines output: one value per line, compact for programs and pretty on a terminal.

use std::io::{self, Write};

use serde::Serialize;

use crate::api::{ApiError, ErrorJson};
use crate::event::Event;
use crate::output::Output;

/// Writes one value and a newline.
pub fn write_line<T: Serialize + ?Sized>(out: &mut Output, value: &T) -> io::Result<()> {
    let pretty = out.is_terminal;
    write_to(out, value, pretty)
}

/// [`write_line`] to any writer: pretty or compact.
pub fn write_to<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    pretty: bool,
) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    out.write_all(b"\n")
}

/// The line for an ID that could not be tracked: `{"query", "found": false, "error": {kind, message}}`.
#[derive(Debug, Serialize)]
pub struct Failure<'a> {
    pub query: &'a str,
    pub found: bool,
    pub error: ErrorJson,
}

impl<'a> Failure<'a> {
    pub fn new(err: &'a ApiError) -> Failure<'a> {
        Failure {
            query: &err.query,
            found: false,
            error: err.to_json(),
        }
    }
}

/// A push event's line: the `decode-event` object, plus `received_at` when it came from
/// `listen` (live, or a record of its log).
#[derive(Debug, Serialize)]
pub struct EventLine<'a> {
    #[serde(flatten)]
    pub event: &'a Event,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_at: Option<&'a str>,
}
