//! Reading the event log: a [`Follower`] reads its complete lines in order as they become
//! durable, across truncations and rotations, and a [`Cursor`] keeps a reader's place beside the
//! log, checked against the line before it and tied to the file it is in, so that a restart
//! finds the rest of a file rotated away meanwhile. Forwarding reads with both; the store's
//! feeder keeps its cursor in the store.

use std::collections::VecDeque;
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
    /// Files rotated away before a restart, not yet read through: read (the first from its
    /// cursor, the others whole) before the log's current file.
    rotated: VecDeque<Rotated>,
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
            Place::Log(offset) => (offset, VecDeque::new()),
            Place::Rotated(rotated) => (0, rotated),
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

    /// The next complete line of the files rotated away before a restart; `None` once they are
    /// read to their ends (a last line without its newline was never acknowledged: skipped).
    fn next_rotated(&mut self) -> Option<io::Result<Line>> {
        while let Some(rotated) = self.rotated.front_mut() {
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
            self.rotated.pop_front();
        }
        None
    }

    /// The files to read after the one the last line came from, when the follower is behind a
    /// rotation (none otherwise): a cursor keeps them, so that a restart finds every one.
    pub fn later(&self) -> Vec<Arc<str>> {
        let mut later: Vec<Arc<str>> = Vec::new();
        if !self.rotated.is_empty() {
            later.extend(self.rotated.iter().skip(1).filter_map(|r| r.file.clone()));
            later.extend(self.file.clone());
        }
        if self.log.generation() != self.log.durable.borrow().file {
            later.extend(self.log.later_files().iter().filter_map(|f| identity(f)));
        }
        later
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
    /// First files rotated away from the log while the reader was behind, before a restart (the
    /// rest of the one it was in, then the others whole), then the log's current file from its
    /// start.
    Rotated(VecDeque<Rotated>),
}

/// A file rotated away from the log, found beside it by its identity, from a place in it.
pub struct Rotated {
    path: PathBuf,
    input: BufReader<File>,
    offset: u64,
    file: Option<Arc<str>>,
}

/// A reader's place in the log, in a file beside it (`events.jsonl.cursor` for forwarding):
/// `OFFSET CHECK FILE LATER…`, the check being a hash of the line that ends at the offset (`-`
/// at a file's start), the file its identity (device and inode, on Unix), so that a place in a
/// file rotated away is not taken for a place in the new one, and `LATER` the identities of the
/// files the log was written to after it, when the reader is behind a rotation. An `OFFSET`
/// alone (what a user writes, `echo 0 > events.jsonl.cursor`) is a place in the current file. Replaced at once (a new file
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
    /// still fits; when the file it is in was rotated away, that file's rest and the files
    /// written after it, those still beside the log; the log's start (with a warning)
    /// otherwise; `start` the first time.
    pub fn load(&self, log: &Path, start: u64, current: &File) -> Place {
        let what = self.what;
        let current_id = identity(current);
        let text = match self.read() {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // First use with this log: events from now on.
                let line = line_before(log, start).ok().flatten();
                self.save(start, line.as_deref(), current_id.as_deref(), &[]);
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
        let (offset, check, files) = parse(&text);
        let check = check.filter(|check| *check != "-");
        let fits = |path: &Path, offset: u64| match line_before(path, offset) {
            Ok(Some(line)) => check.is_none_or(|check| check == fingerprint(&line)),
            Ok(None) => offset == 0,
            Err(_) => false,
        };
        if let (Some(offset), Some((file, later))) = (offset, files.split_first())
            && let Some(current) = current_id.as_deref()
            && current != *file
        {
            return self.rotated_away(log, (file, offset), later, current, &fits);
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
                self.save(0, None, current_id.as_deref(), &[]);
                Place::Log(0)
            }
        }
    }

    /// The cursor is in a file that is no longer the log's (`current`): the log was rotated
    /// before the reader finished that file. Its rest comes first, then the files written after
    /// it (`later`, up to the current one), those still beside the log, untouched.
    fn rotated_away(
        &self,
        log: &Path,
        (file, offset): (&str, u64),
        later: &[&str],
        current: &str,
        fits: &dyn Fn(&Path, u64) -> bool,
    ) -> Place {
        let what = self.what;
        let mut queue = VecDeque::new();
        match Rotated::find(log, file, offset) {
            Some(rotated) if fits(&rotated.path, offset) => queue.push_back(rotated),
            Some(rotated) => output::warn(&format!(
                "{what}: {} (rotated away from {}) changed since the cursor was saved; its \
                 rest is skipped",
                rotated.path.display(),
                log.display()
            )),
            None => output::warn(&format!(
                "{what}: the file the cursor {} is in was rotated away from {} before it was \
                 done, and is no longer beside it (compressed, moved or deleted?): its events \
                 after byte {offset} are skipped",
                self.path.display(),
                log.display()
            )),
        }
        for &file in later.iter().take_while(|&&file| file != current) {
            match Rotated::find(log, file, 0) {
                Some(rotated) => queue.push_back(rotated),
                None => output::warn(&format!(
                    "{what}: a file {} was written to after that one is no longer beside it \
                     (compressed, moved or deleted?): its events are skipped",
                    log.display()
                )),
            }
        }
        if queue.is_empty() {
            output::warn(&format!("{what}: reading {} from its start", log.display()));
            return Place::Log(0);
        }
        let names: Vec<String> = queue.iter().map(|r| r.path.display().to_string()).collect();
        output::note(&format!(
            "{what}: finishing {} (rotated away from {} before it was done) first",
            names.join(", then "),
            log.display()
        ));
        Place::Rotated(queue)
    }

    /// Saves the place after `line` (or `offset` at the start of a file) in the file whose
    /// identity is `file`, and the files to read after it (see [`Follower::later`]).
    pub fn save(&self, offset: u64, line: Option<&[u8]>, file: Option<&str>, later: &[Arc<str>]) {
        let check = line.map_or_else(|| "-".to_owned(), fingerprint);
        self.write(offset, &check, file, later);
    }

    /// Adds `later` (see [`Follower::later`]) to the saved place: for a reader that stops
    /// behind a rotation before it got past the saved place, so that it had no chance to save
    /// them with a new one.
    pub fn keep_later(&self, later: &[Arc<str>]) {
        if later.is_empty() {
            return;
        }
        let Ok(text) = self.read() else { return };
        if let (Some(offset), Some(check), files) = parse(&text)
            && let Some(file) = files.first()
        {
            self.write(offset, check, Some(file), later);
        }
    }

    /// The cursor file's text (bounded: a cursor is a line).
    fn read(&self) -> io::Result<String> {
        let bytes = crate::input::read_capped(File::open(&self.path)?, 64 * 1024)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn write(&self, offset: u64, check: &str, file: Option<&str>, later: &[Arc<str>]) {
        let mut text = format!("{offset} {check}");
        if let Some(file) = file {
            text.push(' ');
            text.push_str(file);
            for file in later {
                text.push(' ');
                text.push_str(file);
            }
        }
        text.push('\n');
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

impl Rotated {
    /// The file beside `log` whose identity is `file`, from `offset` on.
    fn find(log: &Path, file: &str, offset: u64) -> Option<Rotated> {
        let path = beside(log, file)?;
        let mut input = File::open(&path).ok()?;
        input.seek(SeekFrom::Start(offset)).ok()?;
        Some(Rotated {
            path,
            input: BufReader::new(input),
            offset,
            file: Some(Arc::from(file)),
        })
    }
}

/// A cursor's text: the offset (if it is one), the check, and the files (its own, then later
/// ones).
fn parse(text: &str) -> (Option<u64>, Option<&str>, Vec<&str>) {
    let mut parts = text.split_whitespace();
    let offset = parts.next().and_then(|o| o.parse::<u64>().ok());
    (offset, parts.next(), parts.collect())
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
        cursor.save(A.len() as u64, Some(A), file.as_deref(), &[]);
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
    fn a_cursor_in_a_file_rotated_away_resumes_there_and_goes_on_to_the_later_ones() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("events.jsonl");
        let (first, second) = (dir.path().join("e.2"), dir.path().join("e.1"));
        std::fs::write(&first, [A, B].concat()).unwrap();
        std::fs::write(&second, B).unwrap();
        std::fs::write(&log, A).unwrap();
        let id = |path: &Path| identity(&File::open(path).unwrap()).unwrap();
        let cursor = Cursor::new(dir.path().join("events.jsonl.cursor"), "test");
        let later = [id(&second), id(&log)];
        cursor.save(A.len() as u64, Some(A), Some(&id(&first)), &later);
        let current = File::open(&log).unwrap();
        let queue = |cursor: &Cursor| match cursor.load(&log, 0, &current) {
            Place::Rotated(queue) => queue
                .into_iter()
                .map(|mut rotated| {
                    let mut text = Vec::new();
                    rotated.input.read_to_end(&mut text).unwrap();
                    (rotated.path, rotated.offset, text)
                })
                .collect::<Vec<_>>(),
            Place::Log(offset) => panic!("the rotated files are skipped ({offset})"),
        };
        assert_eq!(
            queue(&cursor),
            [
                (first.clone(), A.len() as u64, B.to_vec()),
                (second.clone(), 0, B.to_vec())
            ]
        );
        // One gone (compressed, deleted): the others all the same.
        std::fs::remove_file(&second).unwrap();
        assert_eq!(
            queue(&cursor),
            [(first.clone(), A.len() as u64, B.to_vec())]
        );
        // All gone: the new file from its start.
        std::fs::remove_file(&first).unwrap();
        assert!(matches!(cursor.load(&log, 0, &current), Place::Log(0)));
    }
}
