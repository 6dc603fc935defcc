//! Reading the event log: a [`Follower`] reads its complete lines in order as they become
//! durable, across truncations and rotations, and a [`Cursor`] keeps a reader's place beside the
//! log, checked against the line before it and tied to the file it is in, so that a restart
//! finds the rest of a file rotated away meanwhile. Forwarding reads with both; the store's
//! feeder keeps its cursor in the store.

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
    /// The identity of its file (see [`identity`]), for the cursor.
    pub file: Option<Arc<str>>,
}

impl Line {
    /// Where the next line starts: what a cursor keeps once this line is done with.
    pub fn end(&self) -> u64 {
        self.offset + self.bytes.len() as u64
    }

    /// The line read at `*offset` of `file`; moves `offset` past it.
    fn after(offset: &mut u64, bytes: Vec<u8>, file: &Option<Arc<str>>) -> Line {
        let line = Line {
            bytes,
            offset: *offset,
            file: file.clone(),
        };
        *offset = line.end();
        line
    }
}

/// The next line of `input`, newline included, at most `limit` bytes and never more than
/// [`MAX_LINE`]: a line longer than any record (appended by someone else) comes in pieces, each
/// "not a record", rather than whole into memory. Empty at the end.
fn read_line(input: &mut impl BufRead, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input
        .take(limit.min(MAX_LINE))
        .read_until(b'\n', &mut bytes)?;
    Ok(bytes)
}

/// Reads the log's complete lines in order as they become durable, across truncations and
/// rotations (every file the log was written to, in turn).
pub struct Follower {
    path: PathBuf,
    log: Reader,
    /// The rest of a file rotated away before a restart, read before the log's current file.
    rotated: Option<Rotated>,
    input: BufReader<At>,
    offset: u64,
    file: Option<Arc<str>>,
    seen: Durable,
    /// The file was found shorter than its durable length (cut, not yet seen by the writer).
    short: bool,
}

impl Follower {
    /// Follows the log from `place` (see [`Cursor::load`]) on; `path` names the log in messages.
    pub fn open(path: &Path, place: Place, mut log: Reader) -> io::Result<Follower> {
        let file = log.file()?;
        let seen = *log.durable.borrow_and_update();
        let (offset, rotated) = match place {
            Place::Log(offset) => (offset, None),
            Place::Rotated(rotated) => (0, Some(rotated)),
        };
        Ok(Follower {
            path: path.to_owned(),
            rotated,
            file: identity(&file),
            input: BufReader::new(At::new(file, offset)),
            log,
            offset,
            seen,
            short: false,
        })
    }

    fn restart(&mut self, file: Arc<File>) {
        self.file = identity(&file);
        self.input = BufReader::new(At::new(file, 0));
        self.offset = 0;
        self.short = false;
    }

    /// The next complete line of the file rotated away before a restart; `None` once it is
    /// read to its end (a last line without its newline was never acknowledged: skipped).
    fn next_rotated(&mut self) -> Option<io::Result<Line>> {
        let rotated = self.rotated.as_mut()?;
        match read_line(&mut rotated.input, MAX_LINE) {
            Ok(bytes) if bytes.is_empty() => {}
            Ok(bytes) if bytes.ends_with(b"\n") || bytes.len() as u64 == MAX_LINE => {
                return Some(Ok(Line::after(&mut rotated.offset, bytes, &rotated.file)));
            }
            Ok(_) => output::warn(&format!(
                "{}: its last line is incomplete (never acknowledged); skipped",
                rotated.path.display()
            )),
            Err(e) => return Some(Err(e)),
        }
        self.rotated = None;
        None
    }

    /// The next line; waits for one. `None` once `stop` changes or the log is closed.
    pub async fn next(&mut self, stop: &mut watch::Receiver<bool>) -> Option<io::Result<Line>> {
        if let Some(line) = self.next_rotated() {
            return Some(line);
        }
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
                match read_line(&mut self.input, MAX_LINE) {
                    Ok(bytes) if bytes.is_empty() => {}
                    Ok(bytes) => return Some(Ok(Line::after(&mut self.offset, bytes, &self.file))),
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
                match read_line(&mut self.input, now.len - self.offset) {
                    Ok(bytes) if bytes.is_empty() => {
                        // Shorter than written: cut from outside. The writer notices at its
                        // next write; until then there is nothing to read.
                        self.short = true;
                    }
                    Ok(bytes) => return Some(Ok(Line::after(&mut self.offset, bytes, &self.file))),
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

/// Where a reader resumes (see [`Cursor::load`]).
pub enum Place {
    /// At this offset of the log's current file.
    Log(u64),
    /// First the rest of a file rotated away from the log (while the reader was behind, before
    /// a restart), then the log's current file from its start.
    Rotated(Rotated),
}

/// The rest of a file rotated away from the log, found beside it by its identity.
pub struct Rotated {
    path: PathBuf,
    input: BufReader<File>,
    offset: u64,
    file: Option<Arc<str>>,
}

/// A reader's place in the log, in a file beside it (`events.jsonl.cursor` for forwarding):
/// `OFFSET CHECK FILE`, the check being a hash of the line that ends at the offset (`-` at a
/// file's start) and the file its identity (device and inode, on Unix), so that a place in a file
/// rotated away is not taken for a place in the new one. An `OFFSET` alone (what a user writes,
/// `echo 0 > events.jsonl.cursor`) is a place in the current file. Replaced at once (a new file
/// renamed over it), never half written; not synced: a cursor lost in a crash only means events
/// read again.
pub struct Cursor {
    pub path: PathBuf,
    /// What the cursor is for, in messages (`forwarding`).
    what: &'static str,
}

impl Cursor {
    pub fn new(path: PathBuf, what: &'static str) -> Cursor {
        Cursor { path, what }
    }

    /// Where to start reading `log`, whose current file is `current`: the saved place when it
    /// still fits; the rest of the file it is in when that file was rotated away and is still
    /// beside the log; the log's start (with a warning) otherwise; `start` the first time.
    pub fn load(&self, log: &Path, start: u64, current: &File) -> Place {
        let what = self.what;
        let current_id = identity(current);
        let text = match File::open(&self.path).and_then(|f| crate::input::read_capped(f, 1024)) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // First use with this log: events from now on.
                let line = line_before(log, start).ok().flatten();
                self.save(start, line.as_deref(), current_id.as_deref());
                return Place::Log(start);
            }
            Err(e) => {
                output::warn(&format!(
                    "{what}: cannot read the cursor {}: {e}; starting again from the start of \
                     the log (events may be sent twice)",
                    self.path.display()
                ));
                return Place::Log(0);
            }
        };
        let mut parts = text.split_whitespace();
        let offset = parts.next().and_then(|o| o.parse::<u64>().ok());
        let check = parts.next().filter(|check| *check != "-");
        let file = parts.next();
        let fits = |path: &Path, offset: u64| match line_before(path, offset) {
            Ok(Some(line)) => check.is_none_or(|check| check == fingerprint(&line)),
            Ok(None) => offset == 0,
            Err(_) => false,
        };
        if let (Some(offset), Some(file)) = (offset, file)
            && current_id.as_deref().is_some_and(|current| current != file)
        {
            return self.rotated_away(log, file, offset, &fits);
        }
        match offset {
            Some(offset) if fits(log, offset) => Place::Log(offset),
            _ => {
                output::warn(&format!(
                    "{what}: the cursor {} does not fit the log (cut, rotated or replaced?); \
                     starting again from the start of {} (events may be sent twice)",
                    self.path.display(),
                    log.display()
                ));
                self.save(0, None, current_id.as_deref());
                Place::Log(0)
            }
        }
    }

    /// The cursor is in `file`, no longer the log's: the log was rotated before the reader
    /// finished that file. Its rest comes first when it is still beside the log, untouched.
    fn rotated_away(
        &self,
        log: &Path,
        file: &str,
        offset: u64,
        fits: &dyn Fn(&Path, u64) -> bool,
    ) -> Place {
        let what = self.what;
        let found = beside(log, file).and_then(|path| {
            let mut input = File::open(&path).ok()?;
            input.seek(SeekFrom::Start(offset)).ok()?;
            Some((path, input))
        });
        match found {
            Some((path, input)) if fits(&path, offset) => {
                output::note(&format!(
                    "{what}: finishing {} (rotated away from {} before it was done) first",
                    path.display(),
                    log.display()
                ));
                Place::Rotated(Rotated {
                    path,
                    input: BufReader::new(input),
                    offset,
                    file: Some(Arc::from(file)),
                })
            }
            Some((path, _)) => {
                output::warn(&format!(
                    "{what}: {} (rotated away from {}) changed since the cursor was saved; its \
                     rest is skipped, and {} is read from its start",
                    path.display(),
                    log.display(),
                    log.display()
                ));
                Place::Log(0)
            }
            None => {
                output::warn(&format!(
                    "{what}: the file the cursor {} is in was rotated away from {} before it \
                     was done, and is no longer beside it (compressed, moved or deleted?): its \
                     events after byte {offset} are skipped; {} is read from its start",
                    self.path.display(),
                    log.display(),
                    log.display()
                ));
                Place::Log(0)
            }
        }
    }

    /// Saves the place after `line` (or `offset` at the start of a file) in the file whose
    /// identity is `file`.
    pub fn save(&self, offset: u64, line: Option<&[u8]>, file: Option<&str>) {
        let check = line.map_or_else(|| "-".to_owned(), fingerprint);
        let text = match file {
            Some(file) => format!("{offset} {check} {file}\n"),
            None => format!("{offset} {check}\n"),
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

/// A file's identity, `DEVICE:INODE`: what tells a file rotated away from the new one at the
/// same path. `None` where there is none to be had.
pub fn identity(file: &File) -> Option<Arc<str>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = file.metadata().ok()?;
        Some(Arc::from(format!("{}:{}", metadata.dev(), metadata.ino())))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        None
    }
}

/// The file beside `log` (in its folder: where logrotate and `mv` put it) whose identity is
/// `file`.
pub fn beside(log: &Path, file: &str) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let folder = match log.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        std::fs::read_dir(folder)
            .ok()?
            .filter_map(Result::ok)
            .find(|entry| {
                entry
                    .metadata()
                    .is_ok_and(|m| m.is_file() && format!("{}:{}", m.dev(), m.ino()) == file)
            })
            .map(|entry| entry.path())
    }
    #[cfg(not(unix))]
    {
        let _ = (log, file);
        None
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

#[cfg(test)]
mod tests {
    use super::*;

    const A: &[u8] = b"{\"received_at\":\"a\",\"payload\":1}\n";
    const B: &[u8] = b"{\"received_at\":\"b\",\"payload\":2}\n";

    #[test]
    fn a_cursor_must_fit_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("events.jsonl");
        std::fs::write(&log, [A, B].concat()).unwrap();
        let cursor = Cursor::new(dir.path().join("events.jsonl.cursor"), "test");
        let at = |start: u64| match cursor.load(&log, start, &File::open(&log).unwrap()) {
            Place::Log(offset) => offset,
            Place::Rotated(_) => panic!("not rotated"),
        };
        // First use: from `start`.
        assert_eq!(at(5), 5);
        let file = identity(&File::open(&log).unwrap());
        cursor.save(A.len() as u64, Some(A), file.as_deref());
        assert_eq!(at(0), A.len() as u64);
        // The same offset in another log: the check tells.
        std::fs::write(&log, [B, A].concat()).unwrap();
        assert_eq!(at(0), 0);
        // Past the end, and not at a line's end.
        std::fs::write(&cursor.path, "999\n").unwrap();
        assert_eq!(at(0), 0);
        std::fs::write(&cursor.path, "3\n").unwrap();
        assert_eq!(at(0), 0);
        // An offset alone (an older cursor, or one written by hand) at a line's end is taken.
        std::fs::write(&cursor.path, format!("{}\n", B.len())).unwrap();
        assert_eq!(at(0), B.len() as u64);
    }

    #[cfg(unix)]
    #[test]
    fn a_cursor_in_a_file_rotated_away_resumes_there() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("events.jsonl");
        let rotated = dir.path().join("events.jsonl.1");
        std::fs::write(&log, [A, B].concat()).unwrap();
        let cursor = Cursor::new(dir.path().join("events.jsonl.cursor"), "test");
        let file = identity(&File::open(&log).unwrap());
        cursor.save(A.len() as u64, Some(A), file.as_deref());
        std::fs::rename(&log, &rotated).unwrap();
        std::fs::write(&log, A).unwrap();
        let current = File::open(&log).unwrap();
        match cursor.load(&log, 0, &current) {
            Place::Rotated(mut rest) => {
                let mut text = Vec::new();
                rest.input.read_to_end(&mut text).unwrap();
                assert_eq!(text, B);
                assert_eq!(rest.offset, A.len() as u64);
            }
            Place::Log(offset) => panic!("the rotated file's rest is skipped ({offset})"),
        }
        // Gone (compressed, deleted): the new file from its start.
        std::fs::remove_file(&rotated).unwrap();
        assert!(matches!(cursor.load(&log, 0, &current), Place::Log(0)));
    }
}
