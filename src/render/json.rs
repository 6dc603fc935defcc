//! JSON Lines output: one value per line, compact for programs and pretty on a terminal, or
//! through the `--jq` filter. Every JSON line of every command is written here.

use std::io::{self, Write};
use std::rc::Rc;

use serde::Serialize;

use crate::api::{ApiError, ErrorJson};
use crate::event::Event;
use crate::jq::Jq;
use crate::output::Output;

/// How JSON values are written.
#[derive(Clone)]
pub enum Style {
    Compact,
    /// Indented, for a terminal.
    Pretty,
    /// Through `--jq`: its results, as `jq -r` prints them.
    Jq(Rc<Jq>),
}

/// Writes one value as the output's [`Style`] says, and a newline.
pub fn write_line<T: Serialize + ?Sized>(out: &mut Output, value: &T) -> io::Result<()> {
    let style = out.json_style();
    write_to(out, value, &style)
}

/// [`write_line`] to any writer, in the given style.
pub fn write_to<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    style: &Style,
) -> io::Result<()> {
    match style {
        Style::Compact => serde_json::to_writer(&mut *out, value)?,
        Style::Pretty => serde_json::to_writer_pretty(&mut *out, value)?,
        Style::Jq(jq) => return jq.write(out, value),
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
