//! Reading the event log: a [`Follower`] reads its complete lines in order as they become
//! durable, across truncations and rotations, and a [`Cursor`] keeps a reader's place beside the
//! log, checked against the line before it. Forwarding reads with both; the store's feeder keeps
//! its cursor in the store.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::watch;

use crate::listen::log::{At, Durable, MAX_LINE, Reader};
use crate::output;

/// A line read from the log by a [`Follower`].
pub struct Line {
    /// The line, newline included.
    pub bytes: Vec<u8>,
    /// Where it starts in its file.
    pub offset: u64,
}

impl Line {
    /// Where the next line starts: what a cursor keeps once this line is done with.
    pub fn end(&self) -> u64 {
        self.offset + self.bytes.len() as u64
    }
}

/// Reads the log's complete lines in order as they become durable, across truncations and
/// rotations (every file the log was written to, in turn).
pub struct Follower {
    path: PathBuf,
    log: Reader,
    input: BufReader<At>,
    offset: u64,
    seen: Durable,
    /// The file was found shorter than its durable length (cut, not yet seen by the writer).
    short: bool,
}

impl Follower {
    /// Follows the log from `offset` (a line boundary) of the file `log` is on; `path` names the
    /// log in messages.
    pub fn open(path: &Path, offset: u64, mut log: Reader) -> io::Result<Follower> {
        let file = log.file()?;
        let seen = *log.durable.borrow_and_update();
        Ok(Follower {
            path: path.to_owned(),
            log,
            input: BufReader::new(At::new(file, offset)),
            offset,
            seen,
            short: false,
        })
    }

    fn restart(&mut self, file: Arc<File>) {
        self.input = BufReader::new(At::new(file, 0));
        self.offset = 0;
        self.short = false;
    }

    /// The next line; waits for one. `None` once `stop` changes or the log is closed.
    pub async fn next(&mut self, stop: &mut watch::Receiver<bool>) -> Option<io::Result<Line>> {
        loop {
            let now = *self.log.durable.borrow_and_update();
            let current = self.log.generation() == now.file;
            if now.shrunk != self.seen.shrunk {
                self.seen.shrunk = now.shrunk;
                // Only the file written to now can have been cut (as far as the writer saw).
                if current {
                    output::warn(&format!(
                        "{} was cut from outside: reading it again from its start",
                        self.path.display()
                    ));
                    match self.log.file() {
                        Ok(file) => self.restart(file),
                        Err(e) => return Some(Err(e)),
                    }
                    continue;
                }
            }
            if !current {
                // Rotated: the rest of this file first (complete and synced: the writer has
                // left it), then the next one from its start.
                let mut bytes = Vec::new();
                match (&mut self.input)
                    .take(MAX_LINE)
                    .read_until(b'\n', &mut bytes)
                {
                    Ok(0) => {}
                    Ok(_) => {
                        let line = Line {
                            bytes,
                            offset: self.offset,
                        };
                        self.offset = line.end();
                        return Some(Ok(line));
                    }
                    Err(e) => return Some(Err(e)),
                }
                match self.log.advance() {
                    Ok(file) => self.restart(file),
                    Err(e) => return Some(Err(e)),
                }
                continue;
            }
            self.seen = now;
            if self.offset < now.len && !self.short {
                let mut bytes = Vec::new();
                // Bounded: a line longer than any record (appended by someone else) comes in
                // pieces, each "not a record", rather than whole into memory.
                let read = (&mut self.input)
                    .take((now.len - self.offset).min(MAX_LINE))
                    .read_until(b'\n', &mut bytes);
                match read {
                    Ok(0) => {
                        // Shorter than written: cut from outside. The writer notices at its
                        // next write; until then there is nothing to read.
                        self.short = true;
                    }
                    Ok(_) => {
                        let line = Line {
                            bytes,
                            offset: self.offset,
                        };
                        self.offset = line.end();
                        return Some(Ok(line));
                    }
                    Err(e) => return Some(Err(e)),
                }
                continue;
            }
            tokio::select! {
                changed = self.log.durable.changed() => if changed.is_err() { return None },
                _ = stop.changed() => return None,
            }
            self.short = false;
        }
    }
}

/// A reader's place in the log, in a file beside it (`events.jsonl.cursor` for forwarding):
/// `OFFSET CHECK`, the check being a hash of the line that ends at the offset. Replaced at once
/// (a new file renamed over it), never half written; not synced: a cursor lost in a crash only
/// means events read again.
pub struct Cursor {
    pub path: PathBuf,
    /// What the cursor is for, in messages (`forwarding`).
    what: &'static str,
}

impl Cursor {
    pub fn new(path: PathBuf, what: &'static str) -> Cursor {
        Cursor { path, what }
    }

    /// Where to start reading `log`: the saved place when it still fits the log; its start
    /// (with a warning) when it does not; `start` the first time.
    pub fn load(&self, log: &Path, start: u64) -> u64 {
        let what = self.what;
        let text = match File::open(&self.path).and_then(|f| crate::input::read_capped(f, 1024)) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // First use with this log: events from now on.
                let line = line_before(log, start).ok().flatten();
                self.save(start, line.as_deref());
                return start;
            }
            Err(e) => {
                output::warn(&format!(
                    "{what}: cannot read the cursor {}: {e}; starting again from the start of \
                     the log (events may be sent twice)",
                    self.path.display()
                ));
                return 0;
            }
        };
        let mut parts = text.split_whitespace();
        let offset = parts.next().and_then(|o| o.parse::<u64>().ok());
        let check = parts.next();
        let fits = offset.is_some_and(|offset| match line_before(log, offset) {
            Ok(Some(line)) => check.is_none_or(|check| check == fingerprint(&line)),
            Ok(None) => offset == 0,
            Err(_) => false,
        });
        match offset {
            Some(offset) if fits => offset,
            _ => {
                output::warn(&format!(
                    "{what}: the cursor {} does not fit the log (cut, rotated or replaced?); \
                     starting again from the start of {} (events may be sent twice)",
                    self.path.display(),
                    log.display()
                ));
                self.save(0, None);
                0
            }
        }
    }

    /// Saves the place after `line` (or `offset` at the start of a file).
    pub fn save(&self, offset: u64, line: Option<&[u8]>) {
        let text = match line {
            Some(line) => format!("{offset} {}\n", fingerprint(line)),
            None => format!("{offset}\n"),
        };
        let mut temp = self.path.clone().into_os_string();
        temp.push(".tmp");
        if let Err(e) =
            std::fs::write(&temp, text).and_then(|()| std::fs::rename(&temp, &self.path))
        {
            output::warn(&format!(
                "{}: cannot save the cursor {}: {e}",
                self.what,
                self.path.display()
            ));
        }
    }
}

/// FNV-1a, 64 bits, in hex: enough to tell a line from another at the same offset.
fn fingerprint(line: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in line {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The line that ends at `offset` (newline included); `None` at 0. An error when the log is
/// shorter, or the byte before `offset` is not a newline.
fn line_before(log: &Path, offset: u64) -> io::Result<Option<Vec<u8>>> {
    if offset == 0 {
        return Ok(None);
    }
    let mut file = File::open(log)?;
    if file.metadata()?.len() < offset {
        return Err(io::Error::other("past the end"));
    }
    let mut end = offset - 1;
    let mut last = [0u8];
    file.seek(SeekFrom::Start(end))?;
    file.read_exact(&mut last)?;
    if last[0] != b'\n' {
        return Err(io::Error::other("not at a line's end"));
    }
    let floor = offset.saturating_sub(MAX_LINE);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut start = floor;
    while end > floor {
        let from = end.saturating_sub(chunk.len() as u64).max(floor);
        let part = &mut chunk[..(end - from) as usize];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(part)?;
        if let Some(i) = part.iter().rposition(|&b| b == b'\n') {
            start = from + i as u64 + 1;
            break;
        }
        end = from;
    }
    let mut line = Vec::new();
    file.seek(SeekFrom::Start(start))?;
    file.take(offset - start).read_to_end(&mut line)?;
    Ok(Some(line))
}
