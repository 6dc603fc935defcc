//! A stream of captured pushes read from files or stdin, each payload decoded and judged: the
//! good ones go to a [`Sink`], the bad ones are reported on stderr with where they are.
//!
//! Each input is framed into top-level JSON values as it is read ([`frame`]), so a stream of any
//! size runs in little memory and one bad payload does not stop the others. An input that starts
//! with an HTTP request line holds captured requests: each body is read exactly as its own head
//! announces and judged by that head alone ([`request`], [`crate::push::verify`]). A bare line
//! may be a record of `listen`'s log ([`Record`]). Decoding itself is [`crate::push::decode`].
//!
//! `decode-event` prints what it is given here; `store import` records it. What to print, and the
//! exit a stop signal asks for, are theirs.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, IsTerminal, Read};
use std::path::{Path, PathBuf};

use crate::config::ApiKey;
use crate::exit::Exit;
use crate::output;
use crate::push::decode::{self, DecodeError};
use crate::push::event::{Event, EventName, Request};
use crate::push::record::Record;
use crate::push::{frame, request};
use crate::signals::{self, Interruptible};
use crate::text::{clean, truncate};

use frame::{Body, Framer};
use request::{Head, HeadError, Start};

/// Read buffer per input.
const READ_BUFFER: usize = 64 * 1024;
/// Bad payloads reported one by one per input; the rest are counted.
const ERRORS_SHOWN: usize = 20;
/// Distinct unknown method names warned about; past that, no more warnings.
const UNKNOWN_WARNED: usize = 20;

/// How payloads are judged.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The key captured requests are checked against; without one, a request is decoded but its
    /// verdict is unknown.
    pub key: Option<&'a ApiKey>,
    /// Only a captured request that carries the key is shown (`decode-event --verify`).
    pub verify: bool,
    /// An unknown method, or a time that is not one, is a bad payload (`decode-event --strict`).
    pub strict: bool,
}

/// Where decoded payloads go: `decode-event` prints them, `store import` records them.
pub trait Sink {
    /// A decoded push; `received_at` when it is a record of `listen`'s log.
    fn event(&mut self, event: &Event, received_at: Option<&str>) -> io::Result<()>;
    /// A JSON value that is not a push (it has no `method`): `true` when the sink took it, else
    /// it is a bad payload. By default none is taken.
    fn other(&mut self, _bytes: &[u8]) -> bool {
        false
    }
    /// Nothing more can be read without waiting for input: the moment to show what was given
    /// (`tail -f log | kiriminaja decode-event`).
    fn idle(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads `paths` (`-`, or none: stdin) one after another and gives every payload to `sink`.
/// Bad payloads and unreadable inputs are reported on stderr; the exit returned is the worst they
/// deserve. Reading ends early when a stop signal comes (watched by the caller). Only a failure of
/// the sink is returned as an error.
pub fn feed(paths: &[PathBuf], options: Options<'_>, sink: &mut dyn Sink) -> io::Result<Exit> {
    let stdin = [PathBuf::from("-")];
    let paths = if paths.is_empty() { &stdin[..] } else { paths };
    let mut decoder = Decoder {
        options,
        sink,
        exit: Exit::Success,
        unknown_warned: HashSet::new(),
        deprecated_warned: HashSet::new(),
    };
    for path in paths {
        if signals::requested().is_some() {
            break;
        }
        decoder.input(path)?;
    }
    Ok(decoder.exit)
}

type Input = std::io::Chain<Cursor<Vec<u8>>, BufReader<Box<dyn Read>>>;

struct Decoder<'a> {
    options: Options<'a>,
    sink: &'a mut dyn Sink,
    exit: Exit,
    /// Unknown methods warned about, to say each once.
    unknown_warned: HashSet<String>,
    /// Deprecated methods warned about, to say each once.
    deprecated_warned: HashSet<&'static str>,
}

/// One input's bookkeeping.
struct Source {
    name: String,
    errors: usize,
    /// Payloads met so far, counted from 1.
    index: usize,
}

impl Decoder<'_> {
    /// Decodes one input. Errors in the input are reported and counted; only a failure of the
    /// sink is returned.
    fn input(&mut self, path: &Path) -> io::Result<()> {
        let (name, raw): (String, Box<dyn Read>) = if path == Path::new("-") {
            if io::stdin().is_terminal() {
                output::note("reading payloads from stdin (end with Ctrl-D)");
            }
            (
                "stdin".to_owned(),
                Box::new(Interruptible::new(io::stdin())),
            )
        } else {
            match File::open(path) {
                // A regular file never keeps a read waiting, so it is read directly (a stop
                // signal is still seen between payloads); a FIFO or a device can wait forever.
                Ok(file) if file.metadata().is_ok_and(|m| m.is_file()) => {
                    (path.display().to_string(), Box::new(file))
                }
                Ok(file) => (
                    path.display().to_string(),
                    Box::new(Interruptible::new(file)),
                ),
                // A file that is not there or cannot be opened is an I/O error, not bad data.
                Err(e) => {
                    self.fail(
                        &format!("cannot read {}: {e}", path.display()),
                        Exit::Failure,
                    );
                    return Ok(());
                }
            }
        };
        let mut reader = BufReader::with_capacity(READ_BUFFER, raw);
        // Bytes taken while looking for a byte order mark that was not one start with 0xEF,
        // never a request line.
        let start = match frame::skip_bom(&mut reader) {
            Ok(taken) if !taken.is_empty() => Ok(Start::Payloads(taken)),
            Ok(_) => request::read_start(&mut reader),
            Err(e) => Err(HeadError::Io(e)),
        };
        let mut source = Source {
            name,
            errors: 0,
            index: 0,
        };
        match start {
            Ok(Start::Payloads(prefix)) => {
                if self.options.verify {
                    self.fail(
                        &format!(
                            "{}: not a captured HTTP request, so there is nothing to verify; \
                             its payloads are not shown",
                            source.name
                        ),
                        Exit::Config,
                    );
                    return Ok(());
                }
                self.payloads(&mut source, Cursor::new(prefix).chain(reader))?;
            }
            Ok(Start::Request(head)) => self.requests(&mut source, head, reader)?,
            // A directory, or a read that failed.
            Err(HeadError::Io(e)) => {
                self.fail(&format!("{}: cannot read: {e}", source.name), Exit::Failure);
            }
            Err(e) => self.fail(
                &format!("{}: not a readable HTTP request: {e}", source.name),
                Exit::InvalidData,
            ),
        }
        if source.errors > ERRORS_SHOWN {
            self.fail(
                &format!(
                    "{}: {} more bad payloads not shown",
                    source.name,
                    source.errors - ERRORS_SHOWN
                ),
                Exit::InvalidData,
            );
        }
        Ok(())
    }

    /// Bare payloads: framed one by one, so one bad payload costs only itself.
    fn payloads(&mut self, source: &mut Source, input: Input) -> io::Result<()> {
        let mut framer = Framer::new(input, 1);
        loop {
            let frame = match framer.next_frame() {
                // A stop signal ended the input: what it cut short is not a payload.
                _ if signals::requested().is_some() => break,
                Ok(Some(frame)) => frame,
                Ok(None) => break,
                Err(e) => {
                    self.fail(&format!("{}: cannot read: {e}", source.name), Exit::Failure);
                    break;
                }
            };
            source.index += 1;
            let start = (frame.line, frame.column);
            match frame.body {
                Body::Bytes(bytes) => self.payload(source, start, &bytes, None)?,
                Body::TooLarge => {
                    let message = format!(
                        "larger than {} MiB; skipped up to the next line that starts with `{{`",
                        frame::MAX_FRAME >> 20
                    );
                    self.bad(source, start, &message);
                }
                Body::Endless => {
                    let message = format!(
                        "no line ended within {} MiB while skipping a payload too large; the rest \
                         of the input is not read",
                        (frame::MAX_FRAME * frame::SKIP_LINE_FACTOR) >> 20
                    );
                    self.bad(source, start, &message);
                }
            }
            if idle(framer.reader()) {
                // Nothing more to decode without waiting for input: the sink may show what it
                // has (`tail -f log | kiriminaja decode-event`).
                self.sink.idle()?;
            }
        }
        if source.index == 0 {
            output::warn(&format!("{}: no payloads", source.name));
        }
        Ok(())
    }

    /// Captured requests, one after another. Each body is exactly what its own head announces,
    /// and is judged by that head alone; whatever follows a body must be the next request.
    fn requests(
        &mut self,
        source: &mut Source,
        mut head: Head,
        mut reader: BufReader<Box<dyn Read>>,
    ) -> io::Result<()> {
        let mut line = 1;
        loop {
            if signals::requested().is_some() {
                return Ok(());
            }
            let body_line = line + head.lines;
            let Some(body) = self.request(source, &head, line, &mut reader)? else {
                // The body's end is unknown: nothing after it can be framed.
                return Ok(());
            };
            line = body_line + body.lines;
            if reader.buffer().is_empty() {
                self.sink.idle()?;
            }
            // Blank lines between requests.
            loop {
                let blank = match reader.fill_buf() {
                    Ok(buf) => buf
                        .iter()
                        .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                        .fold((0, 0), |(n, lines), &b| {
                            (n + 1, lines + usize::from(b == b'\n'))
                        }),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.fail(&format!("{}: cannot read: {e}", source.name), Exit::Failure);
                        return Ok(());
                    }
                };
                if blank.0 == 0 {
                    break;
                }
                reader.consume(blank.0);
                line += blank.1;
            }
            match request::read_start(&mut reader) {
                Ok(Start::Request(next)) => head = next,
                Ok(Start::Payloads(prefix)) if prefix.is_empty() && reader.buffer().is_empty() => {
                    return Ok(());
                }
                Ok(Start::Payloads(_)) => {
                    // Never decoded: no head vouches for these bytes.
                    let exit = if self.options.verify {
                        Exit::Config
                    } else {
                        Exit::InvalidData
                    };
                    self.fail(
                        &format!(
                            "{}: line {line}: what follows the request's body is not an HTTP \
                             request; it is not shown",
                            source.name
                        ),
                        exit,
                    );
                    return Ok(());
                }
                Err(HeadError::Io(e)) => {
                    self.fail(&format!("{}: cannot read: {e}", source.name), Exit::Failure);
                    return Ok(());
                }
                Err(e) => {
                    self.fail(
                        &format!(
                            "{}: line {line}: not a readable HTTP request: {e}",
                            source.name
                        ),
                        Exit::InvalidData,
                    );
                    return Ok(());
                }
            }
        }
    }

    /// One captured request whose head starts at `line`: its body read as the head announces,
    /// then checked, decoded and given to the sink (or refused). Returns the body read, or `None`
    /// when the body could not be framed.
    fn request(
        &mut self,
        source: &mut Source,
        head: &Head,
        line: usize,
        reader: &mut BufReader<Box<dyn Read>>,
    ) -> io::Result<Option<request::Body>> {
        let name = source.name.clone();
        let body = head
            .body_length()
            .and_then(|length| request::read_body(reader, length, frame::MAX_FRAME));
        let body = match body {
            Ok(body) => body,
            // Cut short by a stop signal, not by the capture.
            Err(_) if signals::requested().is_some() => return Ok(None),
            Err(e) => {
                self.fail(
                    &format!("{name}: request at line {line}: {e}"),
                    Exit::InvalidData,
                );
                return Ok(None);
            }
        };
        let (request, verified) = head.check(self.options.key);
        if self.options.verify && verified != Some(true) {
            let reasons: Vec<String> = request.problems.iter().map(ToString::to_string).collect();
            self.fail(
                &format!(
                    "{name}: request at line {line} not verified ({}); its payload is not shown",
                    reasons.join(", ")
                ),
                Exit::Config,
            );
            return Ok(Some(body));
        }
        let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let Some(first) = body.bytes.iter().position(|b| !blank(b)) else {
            self.fail(
                &format!("{name}: request at line {line} has no JSON body"),
                Exit::InvalidData,
            );
            return Ok(Some(body));
        };
        // Where the payload starts in the input (for error positions).
        let skipped = &body.bytes[..first];
        let newlines = skipped.iter().filter(|&&b| b == b'\n').count();
        let column = first
            - skipped
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        source.index += 1;
        self.payload(
            source,
            (line + head.lines + newlines, column),
            &body.bytes[first..],
            Some((request, verified)),
        )?;
        Ok(Some(body))
    }

    /// One payload: decoded, warned about, given to the sink. `start` is where it starts in the
    /// input; `request` the captured request it came in, as checked.
    fn payload(
        &mut self,
        source: &mut Source,
        start: (usize, usize),
        bytes: &[u8],
        request: Option<(Request, Option<bool>)>,
    ) -> io::Result<()> {
        let index = source.index;
        // Blanks after a value cut short would put the parser's "end of input" on a later line.
        let end = bytes
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .map_or(0, |i| i + 1);
        let bytes = &bytes[..end];
        let mut request = request;
        let mut received_at = None;
        let mut decoded = decode::decode(bytes);
        // Only a bare line can be a record of `listen`'s log: inside a captured request, a body
        // that looks like one is just a body, judged by its own head, never by what it claims.
        if request.is_none()
            && matches!(decoded, Err(DecodeError::MissingMethod))
            && let Some(record) = Record::parse(bytes)
        {
            // A record of `listen`'s log: the payload inside, with what listen saw.
            decoded = decode::decode(&record.body_bytes());
            request = Some((record.request(), record.verified));
            received_at = Some(record.received_at.clone());
            if let Err(err) = &decoded {
                if !matches!(err, DecodeError::Syntax { .. })
                    && self.sink.other(&record.body_bytes())
                {
                    return Ok(());
                }
                let message = format!("a body listen kept, but cannot be read: {err}");
                self.bad(source, start, &message);
                return Ok(());
            }
        }
        // Not a push, but maybe what the sink also takes (a saved tracking response, whose
        // `method` is the API's, not a push method).
        if let Err(err) = &decoded
            && !matches!(err, DecodeError::Syntax { .. })
            && self.sink.other(bytes)
        {
            return Ok(());
        }
        let mut event = match decoded {
            Ok(event) => event,
            Err(err) => {
                let at = match &err {
                    DecodeError::Syntax { line, column, .. } if *line > 0 => {
                        position(start, *line, *column)
                    }
                    _ => start,
                };
                self.bad(source, at, &err.to_string());
                return Ok(());
            }
        };
        if event.event == EventName::Unknown {
            let method = short(&event.method);
            if self.options.strict {
                let message = format!("unknown method {method:?} (--strict)");
                self.bad(source, start, &message);
                return Ok(());
            }
            if self.unknown_warned.len() < UNKNOWN_WARNED
                && self.unknown_warned.insert(event.method.clone())
            {
                output::warn(&format!(
                    "{}: payload {index}: unknown method {method:?}, shown as given",
                    source.name
                ));
            }
        }
        // A time the payload sent but that is not one (a placeholder such as "(shipped date)")
        // is null in the output; --strict refuses the payload instead.
        if self.options.strict
            && let Some((key, value)) = event.unreadable_times().next()
        {
            let value = match value {
                serde_json::Value::String(text) => short(text),
                other => short(&other.to_string()),
            };
            let message = format!("unreadable time in `{}`: {value:?} (--strict)", short(key));
            self.bad(source, start, &message);
            return Ok(());
        }
        if let Some(replacement) = event.info.replaced_by
            && self.deprecated_warned.insert(event.info.name)
        {
            output::warn(&format!(
                "{}: payload {index}: method {} is deprecated; {replacement} replaces it",
                source.name, event.info.name
            ));
        }
        if let Some((request, verified)) = request {
            event.request = Some(request);
            event.verified = verified;
        }
        self.sink.event(&event, received_at.as_deref())
    }

    /// A payload that cannot be decoded: an error line (up to [`ERRORS_SHOWN`] per input), and
    /// exit 6 at the end.
    fn bad(&mut self, source: &mut Source, at: (usize, usize), message: &str) {
        self.exit = self.exit.worst(Exit::InvalidData);
        source.errors += 1;
        if source.errors <= ERRORS_SHOWN {
            output::error(
                &format!(
                    "{}: payload {} (line {}, column {}): {message}",
                    source.name, source.index, at.0, at.1
                ),
                None,
            );
        }
    }

    fn fail(&mut self, message: &str, exit: Exit) {
        self.exit = self.exit.worst(exit);
        output::error(message, None);
    }
}

/// Whether the next payload can only come after waiting for more input.
fn idle(input: &Input) -> bool {
    let (prefix, rest) = input.get_ref();
    let blank = |bytes: &[u8]| {
        bytes
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    };
    let pos = usize::try_from(prefix.position()).unwrap_or(usize::MAX);
    blank(prefix.get_ref().get(pos..).unwrap_or_default()) && blank(rest.buffer())
}

/// A position reported by the JSON parser, relative to the frame, made relative to the input.
fn position(start: (usize, usize), line: usize, column: usize) -> (usize, usize) {
    if line <= 1 {
        (start.0, start.1 + column.saturating_sub(1))
    } else {
        (start.0 + line - 1, column.max(1))
    }
}

/// Provider text for a message: cleaned and cut short.
fn short(text: &str) -> String {
    truncate(&clean(text), 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STREAM: &str = include_str!("../../examples/events/stream.jsonl");

    /// Frames and decodes a whole input, as the command does, into one JSON text per payload
    /// (or the error).
    fn decode_all(bytes: &[u8]) -> Vec<Result<String, String>> {
        let mut framer = Framer::new(io::BufReader::with_capacity(7, bytes), 1);
        let mut results = Vec::new();
        while let Some(frame) = framer.next_frame().unwrap() {
            results.push(match frame.body {
                Body::Bytes(bytes) => decode::decode(&bytes)
                    .map(|e| serde_json::to_string(&e).unwrap())
                    .map_err(|e| e.to_string()),
                Body::TooLarge => Err("too large".to_owned()),
                Body::Endless => Err("endless".to_owned()),
            });
        }
        results
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Delete(usize),
        Insert(usize, u8),
        Replace(usize, u8),
        Truncate(usize),
    }

    fn mutate(line: &str, mutations: &[Mutation]) -> Vec<u8> {
        let mut bytes = line.as_bytes().to_vec();
        for m in mutations {
            let len = bytes.len().max(1);
            match *m {
                Mutation::Delete(i) if !bytes.is_empty() => {
                    bytes.remove(i % len);
                }
                Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
                Mutation::Replace(i, b) if !bytes.is_empty() => bytes[i % len] = b,
                Mutation::Truncate(i) => bytes.truncate(i % len),
                _ => {}
            }
        }
        bytes
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        // Structural bytes are the interesting ones; newlines are left out so that a mutated
        // line stays one line.
        let byte = prop_oneof![
            prop::sample::select(b"{}[]\",:0 \t\rx\x00\xff".to_vec()),
            any::<u8>().prop_filter("no newline", |b| *b != b'\n'),
        ];
        prop_oneof![
            any::<usize>().prop_map(Mutation::Delete),
            (any::<usize>(), byte.clone()).prop_map(|(i, b)| Mutation::Insert(i, b)),
            (any::<usize>(), byte).prop_map(|(i, b)| Mutation::Replace(i, b)),
            any::<usize>().prop_map(Mutation::Truncate),
        ]
    }

    proptest! {
        /// One line of a JSON Lines stream mutated: no panic, and every other line still
        /// decodes to what it decodes to on its own.
        #[test]
        fn a_mutated_line_costs_only_itself(
            which in 0usize..8,
            mutations in prop::collection::vec(mutation(), 1..6),
        ) {
            let lines: Vec<&str> = STREAM.lines().collect();
            let which = which % lines.len();
            let mut input = Vec::new();
            for (i, line) in lines.iter().enumerate() {
                if i == which {
                    input.extend(mutate(line, &mutations));
                } else {
                    input.extend(line.as_bytes());
                }
                input.push(b'\n');
            }
            let results = decode_all(&input);
            for (i, line) in lines.iter().enumerate() {
                if i == which {
                    continue;
                }
                let expected = decode_all(line.as_bytes()).remove(0).unwrap();
                prop_assert!(
                    results.iter().any(|r| r.as_ref().ok() == Some(&expected)),
                    "line {} lost: {:?}", i + 1, results
                );
            }
        }

        /// Random bytes, and random bytes around a good payload: no panic.
        #[test]
        fn random_bytes_never_panic(
            before in prop::collection::vec(any::<u8>(), 0..300),
            after in prop::collection::vec(any::<u8>(), 0..300),
        ) {
            let _ = decode_all(&before);
            let input = [before, STREAM.as_bytes().to_vec(), after].concat();
            let _ = decode_all(&input);
        }
    }

    #[test]
    fn positions_are_made_absolute() {
        assert_eq!(position((5, 3), 1, 1), (5, 3));
        assert_eq!(position((5, 3), 1, 10), (5, 12));
        assert_eq!(position((5, 3), 3, 7), (7, 7));
        assert_eq!(position((5, 3), 1, 0), (5, 3));
        assert_eq!(position((5, 3), 2, 0), (6, 1));
    }

    #[test]
    fn short_text() {
        assert_eq!(short("a\u{1b}b"), "a b");
        assert_eq!(short(&"x".repeat(100)).chars().count(), 61);
    }
}
