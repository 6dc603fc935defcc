//! Where output goes: data to a locked, buffered stdout; messages to stderr.

use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use crate::jq::Jq;
use crate::text::clean;

/// How JSON values are written.
#[derive(Clone)]
pub enum Style {
    Compact,
    /// Indented, for a terminal.
    Pretty,
    /// Through `--jq`: its results, as `jq -r` prints them.
    Jq(Rc<Jq>),
}

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
    /// The `--jq` filter every JSON line goes through, when given.
    pub jq: Option<Rc<Jq>>,
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
            jq: None,
        }
    }

    /// How JSON lines are written here: through `--jq`, else pretty on a terminal.
    pub fn json_style(&self) -> Style {
        match &self.jq {
            Some(jq) => Style::Jq(Rc::clone(jq)),
            None if self.is_terminal => Style::Pretty,
            None => Style::Compact,
        }
    }

    /// How many JSON objects the `--jq` filter failed on.
    pub fn jq_failures(&self) -> u64 {
        self.jq.as_ref().map_or(0, |jq| jq.failures())
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

/// True when the process was started with stdout closed (`kiriminaja track … >&-`). The Rust
/// runtime reopens a closed standard stream on `/dev/null` for reading and writing; a shell's
/// `>/dev/null` opens it for writing only, and is a choice we respect.
#[cfg(unix)]
pub fn stdout_was_closed() -> bool {
    use rustix::fs::{OFlags, fcntl_getfl, fstat, stat};
    use std::os::fd::AsFd;
    let stdout = io::stdout();
    let fd = stdout.as_fd();
    let (Ok(flags), Ok(ours), Ok(null)) = (fcntl_getfl(fd), fstat(fd), stat("/dev/null")) else {
        return false;
    };
    flags.contains(OFlags::RDWR) && ours.st_rdev == null.st_rdev && ours.st_ino == null.st_ino
}

#[cfg(not(unix))]
pub fn stdout_was_closed() -> bool {
    false
}

/// Whether a live status line may be drawn on stderr: stderr is a terminal, and stdout is not a
/// pipe, whose reader may print to the same terminal at any moment, between our redraws (a
/// terminal or a file is fine).
pub fn status_line_allowed() -> bool {
    io::stderr().is_terminal() && !stdout_is_pipe()
}

#[cfg(unix)]
fn stdout_is_pipe() -> bool {
    use rustix::fs::{FileType, fstat};
    fstat(io::stdout()).is_ok_and(|stat| FileType::from_raw_mode(stat.st_mode) == FileType::Fifo)
}

#[cfg(not(unix))]
fn stdout_is_pipe() -> bool {
    !io::stdout().is_terminal()
}

/// True when stdout is a pipe whose reader has gone (`watch … | head -1`), found without
/// writing: a program that prints only now and then would otherwise never notice.
#[cfg(unix)]
pub fn stdout_closed() -> bool {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdout = io::stdout();
    let mut fds = [PollFd::new(&stdout, PollFlags::OUT)];
    match poll(&mut fds, Some(&rustix::event::Timespec::default())) {
        Ok(_) => fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP),
        Err(_) => false,
    }
}

#[cfg(not(unix))]
pub fn stdout_closed() -> bool {
    false
}

// Messages often carry provider text (an error `message`, a courier remark), so every line is
// cleaned of control and bidi characters on its way to the terminal: one line, no escapes.
// A failed write to stderr has nowhere to be reported, so it is ignored.

/// Prints `kiriminaja: warning: …` on stderr.
pub fn warn(message: &str) {
    to_stderr(message_lines("kiriminaja: warning: ", message));
}

/// Prints `kiriminaja: error: …` and an optional `hint: …` line on stderr.
pub fn error(message: &str, hint: Option<&str>) {
    let mut text = message_lines("kiriminaja: error: ", message);
    if let Some(hint) = hint {
        text.push_str(&message_lines("hint: ", hint));
    }
    to_stderr(text);
}

/// Prints a plain note on stderr.
pub fn note(message: &str) {
    to_stderr(message_lines("kiriminaja: ", message));
}

/// A message for stderr, cleaned: one line, or at a terminal too narrow for it, wrapped at
/// blanks under a two-space indent, so that no word is broken back to column 0.
fn message_lines(prefix: &str, message: &str) -> String {
    wrapped(&format!("{prefix}{}", clean(message)), stderr_width())
}

/// A blank inside a `quoted command` while a message is wrapped (a character of the private use
/// area, one column wide, that no message holds).
const HELD_BLANK: char = '\u{E000}';

/// `line` as it is, or wrapped to `width` columns with a hanging indent of two.
fn wrapped(line: &str, width: Option<usize>) -> String {
    use unicode_width::UnicodeWidthStr;
    const INDENT: usize = 2;
    match width {
        Some(width) if line.width() > width && width > INDENT * 4 => {
            // A `quoted command` is one word: broken over two lines it could not be copied.
            let mut quoted = false;
            let held: String = line
                .chars()
                .map(|c| {
                    if c == '`' {
                        quoted = !quoted;
                    }
                    if quoted && c == ' ' { HELD_BLANK } else { c }
                })
                .collect();
            let mut text = String::new();
            for (i, part) in crate::text::wrap(&held, width - INDENT).iter().enumerate() {
                if i > 0 {
                    text.push_str(&" ".repeat(INDENT));
                }
                text.push_str(&part.replace(HELD_BLANK, " "));
                text.push('\n');
            }
            text
        }
        _ => format!("{line}\n"),
    }
}

/// The width of the terminal stderr is, if it is one.
fn stderr_width() -> Option<usize> {
    let stderr = io::stderr();
    stderr
        .is_terminal()
        .then(|| width_of(stderr, &crate::config::env_var))
}

/// The width of a terminal: what it reports, or when it reports none or zero (a pseudo-terminal
/// of 0×0), `COLUMNS`, then 80.
#[cfg(unix)]
pub fn width_of(terminal: impl std::os::fd::AsFd, env: &dyn Fn(&str) -> Option<String>) -> usize {
    terminal_size::terminal_size_of(terminal)
        .map(|(terminal_size::Width(w), _)| usize::from(w))
        .filter(|&w| w > 0)
        .unwrap_or_else(|| columns_or_80(env))
}

#[cfg(not(unix))]
pub fn width_of<T>(_terminal: T, env: &dyn Fn(&str) -> Option<String>) -> usize {
    columns_or_80(env)
}

fn columns_or_80(env: &dyn Fn(&str) -> Option<String>) -> usize {
    env("COLUMNS")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
        .unwrap_or(80)
}

/// Prints one or more whole lines on stderr as they are (the caller cleaned them): through the
/// [`StderrQueue`] while one is installed, else at once.
pub fn to_stderr(text: String) {
    if let Ok(queue) = STDERR_QUEUE.lock()
        && let Some(queue) = queue.as_ref()
    {
        queue.push(text);
        return;
    }
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Messages a [`StderrQueue`] holds at most; beyond that they are dropped and counted.
pub const STDERR_QUEUE_LINES: usize = 1024;

static STDERR_QUEUE: Mutex<Option<Queued>> = Mutex::new(None);

struct Queued {
    lines: SyncSender<String>,
    dropped: Arc<AtomicU64>,
}

impl Queued {
    fn push(&self, text: String) {
        if self.lines.try_send(text).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// While it lives, stderr is written by a thread of its own, fed through a bounded queue: a
/// stderr that blocks (a pipe nobody reads, a stalled journal) stops no other thread (a server
/// must go on answering, and stopping, whatever its messages do). When the queue is full,
/// messages are dropped and counted, and the count is said once stderr moves again. Dropping it
/// writes what is queued (waiting for stderr as long as it takes) and goes back to direct
/// writes.
pub struct StderrQueue {
    writer: Option<std::thread::JoinHandle<()>>,
}

impl StderrQueue {
    pub fn install() -> io::Result<StderrQueue> {
        let (lines, queued) = sync_channel::<String>(STDERR_QUEUE_LINES);
        let dropped = Arc::new(AtomicU64::new(0));
        let counted = dropped.clone();
        let writer = std::thread::Builder::new()
            .name("stderr".to_owned())
            .spawn(move || drain_to_stderr(&queued, &counted))?;
        if let Ok(mut queue) = STDERR_QUEUE.lock() {
            *queue = Some(Queued { lines, dropped });
        }
        Ok(StderrQueue {
            writer: Some(writer),
        })
    }
}

impl Drop for StderrQueue {
    fn drop(&mut self) {
        // The sender goes, so the writer ends once it has written what is queued.
        if let Ok(mut queue) = STDERR_QUEUE.lock() {
            queue.take();
        }
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn drain_to_stderr(queued: &Receiver<String>, dropped: &AtomicU64) {
    let say_dropped = || {
        let n = dropped.swap(0, Ordering::Relaxed);
        if n > 0 {
            let _ = writeln!(
                io::stderr().lock(),
                "kiriminaja: warning: {n} messages were dropped because stderr did not keep up"
            );
        }
    };
    while let Ok(text) = queued.recv() {
        let _ = io::stderr().lock().write_all(text.as_bytes());
        // Written: stderr moves again, so what was dropped meanwhile is said now.
        say_dropped();
    }
    say_dropped();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_wrap_under_an_indent_at_a_terminal() {
        let line =
            "kiriminaja: error: OID-NOTFOUND: Data not found (asked express and instant tracking)";
        assert_eq!(wrapped(line, None), format!("{line}\n"));
        assert_eq!(wrapped(line, Some(200)), format!("{line}\n"));
        let text = wrapped(line, Some(80));
        assert_eq!(
            text,
            "kiriminaja: error: OID-NOTFOUND: Data not found (asked express and instant\n  tracking)\n"
        );
        let hint =
            "kiriminaja: next: `kiriminaja --config /tmp/x/kj.toml --profile local config check`";
        assert_eq!(
            wrapped(hint, Some(80)),
            "kiriminaja: next:\n  `kiriminaja --config /tmp/x/kj.toml --profile local config check`\n"
        );
        for width in 9..100 {
            for l in wrapped(line, Some(width)).lines() {
                assert!(
                    unicode_width::UnicodeWidthStr::width(l) <= width,
                    "{width}: {l:?}"
                );
            }
        }
    }
}
