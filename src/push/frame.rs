//! Framing: a byte stream cut into top-level JSON values, without reading it all.
//!
//! serde_json's `StreamDeserializer` stops for good at the first syntax error, so the stream is
//! framed here and each frame is parsed on its own: one bad payload costs one error, and the good
//! payloads after it are still read. The framer only finds where values start and end (brackets
//! and strings); it does not validate JSON. A frame it cuts short is handed on all the same, and
//! the JSON parser says what is wrong with it.
//!
//! Where a value is broken, the framer resynchronizes:
//! - a raw newline inside a string ends the frame (JSON strings cannot hold one);
//! - a `{` or `[` that cannot continue the current value (not after `[`, `,` or `:`) starts anew;
//! - a line that starts with `{"method"` or `{"received_at"` starts anew (a truncated line of
//!   JSON Lines, or of `listen`'s log);
//! - a frame larger than [`MAX_FRAME`] is dropped up to the next line that starts with `{`; when
//!   no line ends within [`SKIP_LINE_FACTOR`] times the limit while dropping (`/dev/zero`), the
//!   input is given up on ([`Body::Endless`]): it ends rather than being read forever;
//! - anything else at the top level is one frame up to the end of its line (or a `{` or `[`).
//!
//! Positions are counted as the bytes go by: lines from 1, columns from 1, in bytes.

use std::io::{self, BufRead};

/// The largest payload kept in memory. Real push payloads are a few kilobytes.
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

/// A top-level value (or what is left of one) and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub line: usize,
    pub column: usize,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The bytes of one value, possibly broken.
    Bytes(Vec<u8>),
    /// A value larger than the limit, dropped.
    TooLarge,
    /// While dropping a value larger than the limit, no line ended within
    /// [`SKIP_LINE_FACTOR`] times the limit: the input is given up on (the last frame).
    Endless,
}

/// How long a line, in multiples of the limit, may run on while an oversized value is dropped
/// before the input is given up on: a real log line is never that long, `/dev/zero` always is.
pub const SKIP_LINE_FACTOR: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Between values.
    Between,
    /// Inside an object or array; `string` when inside a string in it.
    Container { string: bool },
    /// A string at the top level.
    TopString,
    /// Anything else at the top level (`null`, `12`, garbage), up to the end of the line or a
    /// `{` or `[`.
    Token,
    /// Dropping an oversized value up to a line that starts with `{`.
    Skip,
}

/// A `{` at the start of a line inside a value, which may be the start of a new payload.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    offset: usize,
    line: usize,
    column: usize,
    /// Where the first key's string starts, once seen.
    key: Option<usize>,
}

/// What to do after a byte.
enum Step {
    /// The byte is taken; go on.
    Next,
    /// The byte is taken and a frame is ready.
    Emit(Frame),
    /// A frame is ready and the byte is not taken: see it again in the next state.
    EmitBefore(Frame),
}

pub struct Framer<R> {
    reader: R,
    state: State,
}

/// Everything but the reader.
struct State {
    mode: Mode,
    buf: Vec<u8>,
    depth: usize,
    escape: bool,
    /// The last byte outside strings that is not whitespace, in the current frame.
    prev: u8,
    start: (usize, usize),
    line: usize,
    column: usize,
    candidate: Option<Candidate>,
    limit: usize,
    /// Bytes dropped since the last line end, in [`Mode::Skip`].
    skipped: usize,
    done: bool,
}

impl<R: BufRead> Framer<R> {
    /// Frames `reader`, whose first byte is at `line`, column 1 (a request body starts after
    /// the headers).
    pub fn new(reader: R, line: usize) -> Framer<R> {
        Framer::with_limit(reader, line, MAX_FRAME)
    }

    pub fn with_limit(reader: R, line: usize, limit: usize) -> Framer<R> {
        Framer {
            reader,
            state: State {
                mode: Mode::Between,
                buf: Vec::new(),
                depth: 0,
                escape: false,
                prev: 0,
                start: (line, 1),
                line,
                column: 1,
                candidate: None,
                limit,
                skipped: 0,
                done: false,
            },
        }
    }

    /// The reader, to see what it holds.
    pub fn reader(&self) -> &R {
        &self.reader
    }

    /// The next frame, or `None` at the end of the input.
    pub fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        let state = &mut self.state;
        if state.done {
            return Ok(None);
        }
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                state.done = true;
                return Ok(state.finish());
            }
            let mut taken = 0;
            let mut ready = None;
            while let Some(&byte) = chunk.get(taken) {
                // The usual value (a line of JSON Lines, whole in the buffer) is cut in one go.
                if state.mode == Mode::Between
                    && matches!(byte, b'{' | b'[')
                    && let Some(len) = one_line_value(&chunk[taken..], state.limit)
                {
                    let frame = Frame {
                        line: state.line,
                        column: state.column,
                        body: Body::Bytes(chunk[taken..taken + len].to_vec()),
                    };
                    state.column += len;
                    taken += len;
                    ready = Some(frame);
                    break;
                }
                // Most bytes are inside strings, where only `"`, `\` and a newline mean anything:
                // copy a run of the others at once instead of stepping through each.
                if state.mode == (Mode::Container { string: true }) && !state.escape {
                    let rest = &chunk[taken..];
                    let run = rest
                        .iter()
                        .position(|&b| matches!(b, b'"' | b'\\' | b'\n'))
                        .unwrap_or(rest.len());
                    if run > 0 && state.buf.len() + run <= state.limit {
                        state.buf.extend_from_slice(&rest[..run]);
                        state.column += run;
                        taken += run;
                        continue;
                    }
                }
                match step(state, byte) {
                    Step::Next => {
                        advance(&mut state.line, &mut state.column, byte);
                        taken += 1;
                    }
                    Step::Emit(frame) => {
                        advance(&mut state.line, &mut state.column, byte);
                        taken += 1;
                        ready = Some(frame);
                        break;
                    }
                    Step::EmitBefore(frame) => {
                        ready = Some(frame);
                        break;
                    }
                }
            }
            self.reader.consume(taken);
            if ready.is_some() {
                return Ok(ready);
            }
        }
    }
}

impl State {
    /// The frame in progress at the end of the input (a truncated value), if any.
    fn finish(&mut self) -> Option<Frame> {
        match self.mode {
            Mode::Between | Mode::Skip => None,
            _ => {
                self.mode = Mode::Between;
                Some(self.take())
            }
        }
    }

    /// Ends the current frame. The next one starts with room for as much as this one held:
    /// payloads of a stream are alike, and growing a buffer from empty for each is costly.
    fn take(&mut self) -> Frame {
        self.candidate = None;
        let room = Vec::with_capacity(self.buf.len().min(64 * 1024));
        Frame {
            line: self.start.0,
            column: self.start.1,
            body: Body::Bytes(std::mem::replace(&mut self.buf, room)),
        }
    }

    fn begin(&mut self, mode: Mode) {
        self.mode = mode;
        self.start = (self.line, self.column);
        self.buf.clear();
        self.depth = 0;
        self.escape = false;
        self.prev = 0;
        self.candidate = None;
    }

    /// Adds a byte to the frame; past the limit, drops the frame.
    fn push(&mut self, byte: u8) -> Step {
        self.buf.push(byte);
        if self.buf.len() <= self.limit {
            return Step::Next;
        }
        let frame = Frame {
            line: self.start.0,
            column: self.start.1,
            body: Body::TooLarge,
        };
        self.buf = Vec::new();
        self.candidate = None;
        self.mode = Mode::Skip;
        self.skipped = 0;
        Step::Emit(frame)
    }

    /// A line inside a value starts with `{"method"`: what came before is a broken frame, and a
    /// new one starts at that `{`.
    fn split_at_candidate(&mut self, candidate: Candidate) -> Frame {
        let rest = self.buf.split_off(candidate.offset);
        let broken = Frame {
            line: self.start.0,
            column: self.start.1,
            body: Body::Bytes(std::mem::replace(&mut self.buf, rest)),
        };
        self.start = (candidate.line, candidate.column);
        // The new frame holds `{`, maybe blanks, and the key string `"method"`.
        self.depth = 1;
        self.prev = b'"';
        self.escape = false;
        self.candidate = None;
        broken
    }
}

/// The length of the value that starts at `bytes[0]` (`{` or `[`), if it ends in `bytes` before
/// any newline, within `limit`, and with nothing [`step`] would cut it at (a bracket that cannot
/// continue it). [`step`] would make exactly this frame of it; `None` leaves the value to [`step`].
/// About ten times as fast per byte: no state kept between bytes, no copy of each byte.
fn one_line_value(bytes: &[u8], limit: usize) -> Option<usize> {
    let bytes = &bytes[..bytes.len().min(limit)];
    let mut depth = 0usize;
    let mut prev = 0u8;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => {
                prev = byte;
                i += 1;
                loop {
                    i += memchr::memchr3(b'"', b'\\', b'\n', bytes.get(i..)?)?;
                    match bytes[i] {
                        b'"' => break,
                        // An escape and the byte it escapes, unless that is a newline.
                        b'\\' if bytes.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
                        _ => return None,
                    }
                }
            }
            b'{' | b'[' => {
                if depth > 0 && !matches!(prev, b'[' | b',' | b':') {
                    return None;
                }
                depth += 1;
                prev = byte;
            }
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
                prev = byte;
            }
            b'\n' => return None,
            b' ' | b'\t' | b'\r' => {}
            _ => prev = byte,
        }
        i += 1;
    }
    None
}

fn advance(line: &mut usize, column: &mut usize, byte: u8) {
    if byte == b'\n' {
        *line += 1;
        *column = 1;
    } else {
        *column += 1;
    }
}

fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// One byte through the state machine.
fn step(f: &mut State, byte: u8) -> Step {
    match f.mode {
        Mode::Between => {
            if is_blank(byte) {
                return Step::Next;
            }
            match byte {
                b'{' | b'[' => {
                    f.begin(Mode::Container { string: false });
                    f.depth = 1;
                    f.prev = byte;
                }
                b'"' => f.begin(Mode::TopString),
                _ => f.begin(Mode::Token),
            }
            f.push(byte)
        }
        Mode::Skip => {
            if byte == b'{' && f.column == 1 {
                f.mode = Mode::Between;
                return step(f, byte);
            }
            if byte == b'\n' {
                f.skipped = 0;
            } else {
                f.skipped += 1;
                if f.skipped > f.limit.saturating_mul(SKIP_LINE_FACTOR) {
                    f.done = true;
                    return Step::Emit(Frame {
                        line: f.line,
                        column: f.column,
                        body: Body::Endless,
                    });
                }
            }
            Step::Next
        }
        Mode::Token => {
            if byte == b'\n' {
                f.mode = Mode::Between;
                Step::Emit(f.take())
            } else if matches!(byte, b'{' | b'[') {
                f.mode = Mode::Between;
                Step::EmitBefore(f.take())
            } else {
                f.push(byte)
            }
        }
        Mode::TopString => {
            if byte == b'\n' {
                f.mode = Mode::Between;
                return Step::EmitBefore(f.take());
            }
            let closes = byte == b'"' && !f.escape;
            f.escape = byte == b'\\' && !f.escape;
            match f.push(byte) {
                Step::Next if closes => {
                    f.mode = Mode::Between;
                    Step::Emit(f.take())
                }
                other => other,
            }
        }
        Mode::Container { string: true } => {
            if byte == b'\n' {
                // A raw newline cannot be in a JSON string: the value was cut short.
                f.mode = Mode::Between;
                return Step::EmitBefore(f.take());
            }
            let closes = byte == b'"' && !f.escape;
            f.escape = byte == b'\\' && !f.escape;
            let step = f.push(byte);
            if closes && matches!(step, Step::Next) {
                f.mode = Mode::Container { string: false };
                if let Some(candidate) = f.candidate {
                    // `{"method"` starts a payload, `{"received_at"` a record of listen's log.
                    let is_method = candidate.key.is_some_and(|key| {
                        matches!(f.buf.get(key..), Some(b"\"method\"" | b"\"received_at\""))
                    });
                    if is_method {
                        return Step::Emit(f.split_at_candidate(candidate));
                    }
                    f.candidate = None;
                }
            }
            step
        }
        Mode::Container { string: false } => {
            if is_blank(byte) {
                return f.push(byte);
            }
            match byte {
                b'{' | b'[' if !matches!(f.prev, b'[' | b',' | b':') => {
                    // Cannot continue this value: a new one starts here.
                    f.mode = Mode::Between;
                    Step::EmitBefore(f.take())
                }
                b'{' | b'[' => {
                    f.candidate = (byte == b'{' && f.column == 1).then_some(Candidate {
                        offset: f.buf.len(),
                        line: f.line,
                        column: f.column,
                        key: None,
                    });
                    f.depth += 1;
                    f.prev = byte;
                    f.push(byte)
                }
                b'}' | b']' => {
                    f.candidate = None;
                    f.depth = f.depth.saturating_sub(1);
                    f.prev = byte;
                    match f.push(byte) {
                        Step::Next if f.depth == 0 => {
                            f.mode = Mode::Between;
                            Step::Emit(f.take())
                        }
                        other => other,
                    }
                }
                b'"' => {
                    if let Some(candidate) = &mut f.candidate {
                        if candidate.key.is_none() && f.prev == b'{' {
                            candidate.key = Some(f.buf.len());
                        } else {
                            f.candidate = None;
                        }
                    }
                    f.mode = Mode::Container { string: true };
                    f.escape = false;
                    f.prev = byte;
                    f.push(byte)
                }
                _ => {
                    f.candidate = None;
                    f.prev = byte;
                    f.push(byte)
                }
            }
        }
    }
}

/// Skips a UTF-8 byte order mark at the start of `reader`, even when it arrives split across
/// reads (a pipe may hand it over a byte at a time). Returns the bytes read that turned out not
/// to be a byte order mark: they come before the rest of the input.
pub fn skip_bom<R: BufRead>(reader: &mut R) -> io::Result<Vec<u8>> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let mut taken = Vec::new();
    while taken.len() < BOM.len() {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let wanted = &BOM[taken.len()..];
        let n = chunk.len().min(wanted.len());
        if n == 0 || chunk[..n] != wanted[..n] {
            // Not a byte order mark: what was taken is input.
            return Ok(taken);
        }
        taken.extend_from_slice(&chunk[..n]);
        reader.consume(n);
    }
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn frames_with(input: &[u8], limit: usize) -> Vec<Frame> {
        // A tiny buffer, so that values cross chunk boundaries.
        let reader = io::BufReader::with_capacity(3, input);
        let mut framer = Framer::with_limit(reader, 1, limit);
        let mut frames = Vec::new();
        while let Some(frame) = framer.next_frame().unwrap() {
            frames.push(frame);
        }
        frames
    }

    fn frames(input: &[u8]) -> Vec<Frame> {
        frames_with(input, MAX_FRAME)
    }

    fn texts(input: &str) -> Vec<(usize, usize, String)> {
        frames(input.as_bytes())
            .into_iter()
            .map(|f| match f.body {
                Body::Bytes(b) => (f.line, f.column, String::from_utf8(b).unwrap()),
                Body::TooLarge => (f.line, f.column, "<too large>".to_owned()),
                Body::Endless => (f.line, f.column, "<endless>".to_owned()),
            })
            .collect()
    }

    #[test]
    fn values_back_to_back_and_per_line() {
        assert_eq!(
            texts("{\"a\":1}{\"b\":[1,{}]}\n  {\"c\":\"}{\\\"\"}\r\n[]"),
            vec![
                (1, 1, "{\"a\":1}".to_owned()),
                (1, 8, "{\"b\":[1,{}]}".to_owned()),
                (2, 3, "{\"c\":\"}{\\\"\"}".to_owned()),
                (3, 1, "[]".to_owned()),
            ]
        );
    }

    #[test]
    fn pretty_printed_values_keep_their_lines() {
        let input = "{\n  \"method\": \"x\",\n  \"data\": [\n{\n\"order_id\": 1\n}\n]\n}\n{\n}";
        let got = texts(input);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].2, &input[..input.len() - 4]);
        assert_eq!((got[1].0, got[1].1), (9, 1));
    }

    #[test]
    fn scalars_and_garbage_are_frames_of_their_own() {
        assert_eq!(
            texts("12\n\"s\\\"t\" null<html>{}\nnot json at all\r\n"),
            vec![
                (1, 1, "12".to_owned()),
                (2, 1, "\"s\\\"t\"".to_owned()),
                (2, 8, "null<html>".to_owned()),
                (2, 18, "{}".to_owned()),
                (3, 1, "not json at all\r".to_owned()),
            ]
        );
        assert_eq!(texts("}"), vec![(1, 1, "}".to_owned())]);
    }

    #[test]
    fn a_truncated_line_does_not_swallow_the_next() {
        // Cut after a value, after a comma, inside a string, inside a key.
        let good = "{\"method\":\"b\",\"data\":[]}";
        for cut in [
            "{\"method\":\"a\",\"data\":[{\"order_id\":\"1\"}",
            "{\"method\":\"a\",\"data\":[",
            "{\"method\":\"a\",\"data\":[{\"order_id\":\"1",
            "{\"method\":\"a\",\"da",
        ] {
            let input = format!("{cut}\n{good}\n{good}");
            let got = texts(&input);
            assert_eq!(got.len(), 3, "{cut}: {got:?}");
            assert_eq!(got[0].2.trim_end(), cut);
            assert_eq!(got[1], (2, 1, good.to_owned()));
            assert_eq!(got[2], (3, 1, good.to_owned()));
        }
    }

    #[test]
    fn a_torn_record_of_the_event_log_does_not_swallow_the_next() {
        let good = "{\"received_at\":\"x\",\"payload\":{\"method\":\"b\",\"data\":[]}}";
        let cut = "{\"received_at\":\"x\",\"payload\":{\"method\":\"a\",\"data\":[";
        let got = texts(&format!("{good}\n{cut}\n{good}\n"));
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[2], (3, 1, good.to_owned()));
    }

    #[test]
    fn a_truncated_value_at_the_end_is_a_frame() {
        assert_eq!(texts("{\"a\": [1,"), vec![(1, 1, "{\"a\": [1,".to_owned())]);
        assert_eq!(texts("\"abc"), vec![(1, 1, "\"abc".to_owned())]);
    }

    #[test]
    fn oversized_values_are_skipped_to_the_next_line_with_a_brace() {
        let input = b"{\"method\": \"aaaaaaaaaaaaaaaaaaaa\"}\n  {\"x\": 1}\n{\"y\":2}\n";
        let got = frames_with(input, 16);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].body, Body::TooLarge);
        assert_eq!((got[0].line, got[0].column), (1, 1));
        assert_eq!(got[1].body, Body::Bytes(b"{\"y\":2}".to_vec()));
        assert_eq!(got[1].line, 3);
    }

    #[test]
    fn an_endless_line_of_an_oversized_value_is_given_up_on() {
        // `/dev/zero`, in small: the value is too large, and no line ever ends.
        let zeros = std::io::Read::take(std::io::repeat(0), 1 << 30);
        let mut framer = Framer::with_limit(io::BufReader::new(zeros), 1, 16);
        let first = framer.next_frame().unwrap().unwrap();
        assert_eq!(first.body, Body::TooLarge);
        let second = framer.next_frame().unwrap().unwrap();
        assert_eq!(second.body, Body::Endless);
        assert_eq!(framer.next_frame().unwrap(), None);
        // Long lines that do end are skipped as before.
        let mut input = vec![b'x'; 60];
        input.extend_from_slice(b"\n{\"y\":2}\n");
        let got = frames_with(&input, 16);
        assert_eq!(got.last().unwrap().body, Body::Bytes(b"{\"y\":2}".to_vec()));
    }

    #[test]
    fn body_lines_start_where_told() {
        let reader = io::BufReader::new(&b"\n {}"[..]);
        let mut framer = Framer::new(reader, 7);
        let frame = framer.next_frame().unwrap().unwrap();
        assert_eq!((frame.line, frame.column), (8, 2));
    }

    #[test]
    fn bom_is_skipped() {
        let mut reader = io::BufReader::new(&b"\xEF\xBB\xBF{}"[..]);
        assert_eq!(skip_bom(&mut reader).unwrap(), b"");
        let mut framer = Framer::new(reader, 1);
        let frame = framer.next_frame().unwrap().unwrap();
        assert_eq!(frame.body, Body::Bytes(b"{}".to_vec()));
    }

    /// A reader that hands over one byte per read, as a slow pipe may.
    struct OneByte<'a>(&'a [u8]);

    impl io::Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&byte, rest)), Some(slot)) => {
                    *slot = byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn a_bom_split_across_reads_is_skipped() {
        let mut reader = io::BufReader::new(OneByte(b"\xEF\xBB\xBF{}"));
        assert_eq!(skip_bom(&mut reader).unwrap(), b"");
        let mut rest = Vec::new();
        io::Read::read_to_end(&mut reader, &mut rest).unwrap();
        assert_eq!(rest, b"{}");
        // Most of a BOM, then something else: nothing is lost.
        for input in [&b"\xEF\xBB{}"[..], b"\xEF{}", b"\xEF", b"", b"{}"] {
            let mut reader = io::BufReader::new(OneByte(input));
            let mut got = skip_bom(&mut reader).unwrap();
            io::Read::read_to_end(&mut reader, &mut got).unwrap();
            assert_eq!(got, input);
        }
    }

    proptest! {
        #[test]
        fn any_bytes_frame_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let got = frames_with(&bytes, 64);
            for frame in got {
                if let Body::Bytes(b) = frame.body {
                    prop_assert!(b.len() <= 64);
                }
            }
        }

        #[test]
        fn valid_values_with_any_blanks_frame_exactly(
            values in prop::collection::vec(
                prop_oneof![
                    Just(r#"{"method":"finished_packages","data":[{"order_id":"X"}]}"#),
                    Just("{\n  \"a\": [1, {\"b\": \"}\\\"{\"}],\n  \"c\": {}\n}"),
                    Just("[]"),
                    Just(r#"{"s":"\\"}"#),
                ],
                0..8,
            ),
            blanks in prop::collection::vec("[ \t\r\n]{0,3}", 8),
        ) {
            let mut input = String::new();
            for (i, v) in values.iter().enumerate() {
                input.push_str(&blanks[i]);
                input.push_str(v);
            }
            let got: Vec<String> = texts(&input).into_iter().map(|t| t.2).collect();
            prop_assert_eq!(got, values.iter().map(|v| v.to_string()).collect::<Vec<_>>());
        }

        /// Values whole in the buffer are cut in one go ([`one_line_value`]); with a buffer of
        /// three bytes almost none is. Both must give the same frames, broken input included.
        #[test]
        fn cutting_in_one_go_changes_no_frame(
            parts in prop::collection::vec(
                prop_oneof![
                    Just(r#"{"method":"finished_packages","data":[{"order_id":"X\"}"}]}"#.as_bytes().to_vec()),
                    prop::collection::vec(prop::sample::select(b"{}[]\",: \t\r\n\\ax1".to_vec()), 0..12),
                ],
                0..10,
            ),
            limit in prop_oneof![Just(MAX_FRAME), 4usize..40],
        ) {
            let input = parts.concat();
            let mut framer = Framer::with_limit(io::BufReader::with_capacity(4096, &input[..]), 1, limit);
            let mut whole = Vec::new();
            while let Some(frame) = framer.next_frame().unwrap() {
                whole.push(frame);
            }
            prop_assert_eq!(whole, frames_with(&input, limit));
        }

        #[test]
        fn a_line_cut_anywhere_loses_only_itself(cut in 0usize..56) {
            let good = r#"{"method":"finished_packages","data":[{"order_id":"X"}]}"#;
            let input = format!("{good}\n{}\n{good}\n{good}\n", &good[..cut]);
            let got: Vec<String> = texts(&input).into_iter().map(|t| t.2).collect();
            let goods = got.iter().filter(|t| t.as_str() == good).count();
            prop_assert_eq!(goods, 3, "{:?}", got);
        }
    }
}
