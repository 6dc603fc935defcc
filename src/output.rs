//! Where output goes: data to a locked, buffered stdout; messages to stderr.

use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

use crate::render::clean;

/// Standard output for data. Buffered and locked once; flushed by the commands when a line must
/// be seen at once (watch) and at the end of a run.
pub struct Output {
    writer: BufWriter<StdoutLock<'static>>,
    /// Standard output is a terminal (pretty JSON, table wrapping).
    pub is_terminal: bool,
    /// Whether to color: decided once, in [`crate::render::color_enabled`].
    pub color: bool,
    /// A JSON line in the making, kept to reuse its memory ([`crate::render::json::write_line`]).
    pub line: Vec<u8>,
}

impl Output {
    pub fn stdout(color: bool) -> Output {
        let stdout = io::stdout();
        let is_terminal = stdout.is_terminal();
        Output {
            writer: BufWriter::with_capacity(64 * 1024, stdout.lock()),
            is_terminal,
            color,
            line: Vec::new(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

// Messages often carry provider text (an error `message`, a courier remark), so every line is
// cleaned of control and bidi characters on its way to the terminal: one line, no escapes.
// A failed write to stderr has nowhere to be reported, so it is ignored.

/// Prints `kiriminaja: warning: …` on stderr.
pub fn warn(message: &str) {
    let _ = writeln!(
        io::stderr().lock(),
        "kiriminaja: warning: {}",
        clean(message)
    );
}

/// Prints `kiriminaja: error: …` and an optional `hint: …` line on stderr.
pub fn error(message: &str, hint: Option<&str>) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "kiriminaja: error: {}", clean(message));
    if let Some(hint) = hint {
        let _ = writeln!(stderr, "hint: {}", clean(hint));
    }
}

/// Prints a plain note on stderr.
pub fn note(message: &str) {
    let _ = writeln!(io::stderr().lock(), "kiriminaja: {}", clean(message));
}
