//! JSON Lines output: one value per line, compact for programs and pretty on a terminal.

use std::io::{self, Write};

use serde::Serialize;

use crate::api::{ApiError, ErrorJson};
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
