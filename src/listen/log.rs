//! The event log: append-only JSON Lines, on disk before a push is acknowledged.
//!
//! One writer thread owns the file. Requests hand it their record and wait; it writes what has
//! queued up meanwhile in one go and fsyncs once for all of it (group commit), and only then
//! answers each. So no 200 goes out before its own bytes are on disk, and a burst costs one
//! fsync per batch rather than per event. Bytes of a batch whose write or fsync failed were
//! never acknowledged: they are cut off again, and those requests get an error.
//!
//! One writer per log: the file is locked (an advisory `flock`) for as long as `listen` runs, so
//! a second `listen` on the same log refuses to start instead of cutting off what the first one
//! acknowledged. A log found shorter than written (truncated from outside) is reported, and its
//! readers start again from its start. Rotation: rename the log, then send `SIGUSR1`; the writer
//! opens a new file at the path, and readers ([`crate::listen::follow::Follower`]) finish the old file before they go on
//! with the new one. Every file the log was written to stays open (in [`Files`]) until each
//! reader has finished it, so rotating again before a reader caught up (the old file renamed
//! once more) loses nothing: readers never look a file up by its path.
//!
//! Readers keep their place in a [`crate::listen::follow::Cursor`] file: the offset and a check of the line before it,
//! so that a cursor that no longer fits its log (truncated, rotated, replaced while `listen` was
//! down) is noticed and reading starts again from the log's start: at least once, never silence.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;

use anyhow::Context;
use tokio::sync::{mpsc, oneshot, watch};

pub use super::log_file::{MAX_LINE, RECORD_START};
use super::log_file::{open_file, same_file};
use crate::output;

/// Records queued for the writer at most; senders wait beyond that.
const QUEUE: usize = 4096;
/// Records written (and fsync'd) together at most.
const BATCH: usize = 1024;

struct Append {
    line: Vec<u8>,
    done: oneshot::Sender<io::Result<()>>,
}

enum Message {
    Append(Append),
    /// Wakes the writer to look at [`EventLog::reopen`]'s request (which it also looks at on
    /// every round, so that a full queue cannot lose the request).
    Reopen,
    /// Write what came before, sync, and stop: appenders still around get errors after this.
    Close,
}

/// What readers may read of the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Durable {
    /// Bumped when the writer moved to a new file at the path (rotation): readers finish the
    /// file they have open, then read the new one from its start.
    pub file: u64,
    /// Bumped when the file was found shorter than written (truncated from outside): readers
    /// start again from its start.
    pub shrunk: u64,
    /// The length of the log that is on disk: every line before it is complete and synced.
    pub len: u64,
}

/// The open log.
pub struct EventLog {
    pub path: PathBuf,
    queue: mpsc::Sender<Message>,
    durable: watch::Receiver<Durable>,
    files: Arc<Mutex<Files>>,
    writer: JoinHandle<()>,
    /// The log was renamed (rotated): open a new file at the path. A flag, not a message: it
    /// is never lost to a full queue.
    reopen: Arc<AtomicBool>,
}

/// Every file the log has been written to since `listen` started, by [`Durable::file`], kept
/// open while a reader may still need it: a file rotated away twice before a reader got to it
/// (renamed again, perhaps deleted) is still read whole.
#[derive(Default)]
pub struct Files {
    by_generation: BTreeMap<u64, Arc<File>>,
    /// The generation each reader is on; a file older than all of them is closed.
    readers: Vec<Weak<AtomicU64>>,
}

impl Files {
    /// The writer moved to `file`, generation `generation`: files no reader needs are closed.
    fn add(&mut self, generation: u64, file: Arc<File>) {
        self.by_generation.insert(generation, file);
        self.readers.retain(|r| r.strong_count() > 0);
        let oldest = self
            .readers
            .iter()
            .filter_map(Weak::upgrade)
            .map(|r| r.load(Ordering::Acquire))
            .min()
            .unwrap_or(generation)
            .min(generation);
        self.by_generation.retain(|&g, _| g >= oldest);
    }
}

/// A reader's hold on the log: what is durable, and the files it has yet to finish, kept open
/// for it. Made before any rotation can happen (when `listen` starts), so that none is missed.
pub struct Reader {
    files: Arc<Mutex<Files>>,
    generation: Arc<AtomicU64>,
    pub durable: watch::Receiver<Durable>,
}

impl Reader {
    /// The generation of the file this reader is on.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The file this reader is on.
    pub fn file(&self) -> io::Result<Arc<File>> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files
            .by_generation
            .get(&self.generation())
            .cloned()
            .ok_or_else(|| io::Error::other("the event log's file was closed before it was read"))
    }

    /// The files the log was written to after the one this reader is on, oldest first (the
    /// one written to now last); none unless a rotation is not yet read through.
    pub fn later_files(&self) -> Vec<Arc<File>> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files
            .by_generation
            .range(self.generation() + 1..)
            .map(|(_, file)| Arc::clone(file))
            .collect()
    }

    /// Done with the file it was on: moves to the next one the log was written to.
    pub fn advance(&self) -> io::Result<Arc<File>> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.generation();
        let next = files
            .by_generation
            .range(current + 1..)
            .next()
            .map(|(&g, file)| (g, Arc::clone(file)));
        match next {
            Some((generation, file)) => {
                if generation != current + 1 {
                    // Cannot happen while the reader is registered; said loudly if it does.
                    output::error(
                        &format!(
                            "{} rotated file(s) of the event log were closed before they were \
                             read: their events are not read",
                            generation - current - 1
                        ),
                        None,
                    );
                }
                self.generation.store(generation, Ordering::Release);
                Ok(file)
            }
            None => Err(io::Error::other("the event log has no newer file")),
        }
    }
}

/// Reads a shared file at a position of its own (the file's offset is shared by every handle).
pub struct At {
    file: Arc<File>,
    pos: u64,
}

impl At {
    pub fn new(file: Arc<File>, pos: u64) -> At {
        At { file, pos }
    }

    pub fn file(&self) -> &File {
        &self.file
    }
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(&*self.file, buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(&*self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for At {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(pos) => Some(pos),
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta),
            SeekFrom::End(delta) => self.file.metadata()?.len().checked_add_signed(delta),
        };
        self.pos = pos.ok_or_else(|| io::Error::other("seek out of range"))?;
        Ok(self.pos)
    }
}

/// A handle for request handlers to append with.
#[derive(Clone)]
pub struct Appender {
    queue: mpsc::Sender<Message>,
}

impl Appender {
    /// Appends one record (a full line) and returns once it is on disk.
    pub async fn append(&self, line: Vec<u8>) -> io::Result<()> {
        let (done, wait) = oneshot::channel();
        let closed = || io::Error::other("the event log is closed");
        self.queue
            .send(Message::Append(Append { line, done }))
            .await
            .map_err(|_| closed())?;
        wait.await.map_err(|_| closed())?
    }
}

impl EventLog {
    /// Opens (or creates, mode 0600) the log for appending, and locks it. A last line left
    /// incomplete by a crash was never acknowledged: it is cut off, with a warning. A file that
    /// does not look like a log, or that another `listen` holds, is refused untouched.
    pub fn open(path: &Path) -> anyhow::Result<EventLog> {
        let (file, len) = open_file(path)?;
        let (durable_tx, durable) = watch::channel(Durable {
            len,
            ..Durable::default()
        });
        let (queue, receiver) = mpsc::channel(QUEUE);
        let owned = path.to_owned();
        let reopen = Arc::new(AtomicBool::new(false));
        let requested = reopen.clone();
        let file = Arc::new(file);
        let files = Arc::new(Mutex::new(Files::default()));
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(0, Arc::clone(&file));
        let writer_files = Arc::clone(&files);
        let writer = std::thread::Builder::new()
            .name("event-log".to_owned())
            .spawn(move || {
                write_loop(
                    file,
                    owned,
                    len,
                    receiver,
                    durable_tx,
                    writer_files,
                    &requested,
                )
            })
            .context("cannot start the event log writer")?;
        Ok(EventLog {
            path: path.to_owned(),
            queue,
            durable,
            files,
            writer,
            reopen,
        })
    }

    /// A new reader, on the file written to now: it finishes every file after it too.
    pub fn reader(&self) -> Reader {
        let generation = Arc::new(AtomicU64::new(self.durable.borrow().file));
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.readers.push(Arc::downgrade(&generation));
        Reader {
            files: Arc::clone(&self.files),
            generation,
            durable: self.durable.clone(),
        }
    }

    pub fn appender(&self) -> Appender {
        Appender {
            queue: self.queue.clone(),
        }
    }

    /// Follows what is on disk.
    pub fn durable(&self) -> watch::Receiver<Durable> {
        self.durable.clone()
    }

    /// After a rotation (the log renamed): a new file at the path, after the batch being
    /// written. Never lost: the writer looks at the request on every round; the message only
    /// wakes it when it waits for records (a full queue means it is busy, and will look).
    pub fn reopen(&self) {
        self.reopen.store(true, Ordering::SeqCst);
        let _ = self.queue.try_send(Message::Reopen);
    }

    /// Writes what is queued, syncs, and closes. Appenders still around get errors after this.
    pub fn close(self) {
        if self.queue.blocking_send(Message::Close).is_ok() {
            let _ = self.writer.join();
        }
    }
}

fn write_loop(
    mut file: Arc<File>,
    path: PathBuf,
    mut len: u64,
    mut queue: mpsc::Receiver<Message>,
    durable: watch::Sender<Durable>,
    files: Arc<Mutex<Files>>,
    reopen_requested: &AtomicBool,
) {
    let mut batch = Vec::new();
    let mut buf = Vec::new();
    let mut open = true;
    while open {
        match queue.blocking_recv() {
            Some(Message::Append(first)) => batch.push(first),
            Some(Message::Reopen) => {}
            Some(Message::Close) | None => break,
        }
        while batch.len() < BATCH && !reopen_requested.load(Ordering::SeqCst) {
            match queue.try_recv() {
                Ok(Message::Append(next)) => batch.push(next),
                Ok(Message::Reopen) => {}
                Ok(Message::Close) => {
                    open = false;
                    break;
                }
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            write_batch(&file, &path, &mut len, &mut batch, &mut buf, &durable);
        }
        if reopen_requested.swap(false, Ordering::SeqCst) {
            if same_file(&file, &path) {
                output::note(&format!(
                    "SIGUSR1: {} was not moved away; still writing to it",
                    path.display()
                ));
                continue;
            }
            match open_file(&path) {
                Ok((new, new_len)) => {
                    let _ = file.sync_all();
                    file = Arc::new(new);
                    len = new_len;
                    // Readers find the new file before they learn of it.
                    let generation = durable.borrow().file + 1;
                    files
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .add(generation, Arc::clone(&file));
                    durable.send_modify(|d| {
                        d.file += 1;
                        d.len = len;
                    });
                    output::note(&format!("SIGUSR1: writing to a new {}", path.display()));
                }
                Err(e) => output::error(
                    &format!("cannot open a new event log; still writing to the old one: {e:#}"),
                    None,
                ),
            }
        }
    }
    // Dropping the receiver fails every append still queued or to come.
}

fn write_batch(
    file: &File,
    path: &Path,
    len: &mut u64,
    batch: &mut Vec<Append>,
    buf: &mut Vec<u8>,
    durable: &watch::Sender<Durable>,
) {
    // Only this process writes the log (it holds the lock), but a user or logrotate's
    // `copytruncate` can still cut it: then appending goes on at the new end, and readers are
    // told to start again from the start.
    if let Ok(metadata) = file.metadata()
        && metadata.len() != *len
    {
        let now = metadata.len();
        if now < *len {
            output::warn(&format!(
                "the event log {} was cut from {} to {now} bytes from outside (copytruncate or \
                 `: >`?); appending goes on at its end, and forwarding starts again from its \
                 start. Rotate it by renaming it and sending SIGUSR1 instead",
                path.display(),
                *len
            ));
            durable.send_modify(|d| {
                d.shrunk += 1;
                d.len = now;
            });
        } else {
            output::warn(&format!(
                "the event log {} grew by {} bytes that listen did not write",
                path.display(),
                now - *len
            ));
        }
        *len = now;
    }
    buf.clear();
    for append in batch.iter() {
        buf.extend_from_slice(&append.line);
    }
    let mut writer = file;
    let written = writer.write_all(buf).and_then(|()| file.sync_data());
    match written {
        Ok(()) => {
            *len += buf.len() as u64;
            durable.send_modify(|d| d.len = *len);
            for append in batch.drain(..) {
                let _ = append.done.send(Ok(()));
            }
        }
        Err(e) => {
            output::error(&format!("cannot write the event log: {e}"), None);
            // Whatever part of the batch reached the file was never acknowledged.
            if let Err(e) = file.set_len(*len).and_then(|()| file.sync_data()) {
                output::error(
                    &format!("cannot cut the failed write off the log: {e}"),
                    None,
                );
            }
            for append in batch.drain(..) {
                let _ = append
                    .done
                    .send(Err(io::Error::new(e.kind(), e.to_string())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::OpenOptions;

    const A: &[u8] = b"{\"received_at\":\"a\",\"payload\":1}\n";
    const B: &[u8] = b"{\"received_at\":\"b\",\"payload\":2}\n";

    #[test]
    fn a_reopen_request_is_not_lost_to_a_full_queue() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.jsonl");
        let log = EventLog::open(&path).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        // The writer is held up in its first batch (it waits to publish the new length while
        // this reads it), so the queue fills up behind it.
        let durable = log.durable();
        let held = durable.borrow();
        let total = QUEUE + BATCH + 10;
        let appends: Vec<_> = (0..total)
            .map(|_| {
                let appender = log.appender();
                runtime.spawn(async move { appender.append(A.to_vec()).await })
            })
            .collect();
        let started = std::time::Instant::now();
        while log.queue.capacity() > 0 {
            assert!(started.elapsed() < std::time::Duration::from_secs(30));
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        // Rotated while the queue is full.
        std::fs::rename(&path, dir.path().join("events.jsonl.1")).unwrap();
        log.reopen();
        drop(held);
        for append in appends {
            runtime.block_on(append).unwrap().unwrap();
        }
        log.close();
        let lines = |name: &str| {
            std::fs::read(dir.path().join(name))
                .unwrap_or_default()
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
        };
        let (old, new) = (lines("events.jsonl.1"), lines("events.jsonl"));
        assert!(
            new > 0,
            "the reopen request was lost: {old} records in the old file"
        );
        assert_eq!(old + new, total);
    }

    #[test]
    fn appends_are_durable_and_a_torn_line_is_ended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/events.jsonl");
        let log = EventLog::open(&path).unwrap();
        let appender = log.appender();
        let durable = log.durable();
        crate::runtime::block_on(async {
            let a = appender.append(A.to_vec());
            let b = appender.append(B.to_vec());
            let (a, b) = tokio::join!(a, b);
            a.unwrap();
            b.unwrap();
        })
        .unwrap();
        let both = [A, B].concat();
        assert_eq!(durable.borrow().len, both.len() as u64);
        log.close();
        let mut text = std::fs::read(&path).unwrap();
        text.sort_unstable();
        let mut expected = both.clone();
        expected.sort_unstable();
        assert_eq!(text, expected);
        std::fs::write(&path, &both).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        // A crash in the middle of a record: cut off at its start, the good lines untouched.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"received_at\":\"c").unwrap();
        drop(file);
        let log = EventLog::open(&path).unwrap();
        assert_eq!(log.durable().borrow().len, both.len() as u64);
        log.close();
        assert_eq!(std::fs::read(&path).unwrap(), both);
        // A whole record without its newline is kept.
        let record = b"{\"received_at\":\"x\",\"payload\":{}}";
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(record).unwrap();
        drop(file);
        EventLog::open(&path).unwrap().close();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            [&both[..], record, b"\n"].concat()
        );
        // Only a torn record, with no newline before it.
        std::fs::write(&path, b"{\"recei").unwrap();
        EventLog::open(&path).unwrap().close();
        assert_eq!(std::fs::read(&path).unwrap(), b"");
    }

    #[test]
    fn a_file_that_is_not_a_log_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.json");
        for text in [
            &b"{\n  \"a\": 1\n}"[..],
            b"\x00\x01binary",
            b"{\"method\":\"x\"}\n{\"a\"",
        ] {
            std::fs::write(&path, text).unwrap();
            let err = EventLog::open(&path).err().unwrap();
            assert!(
                format!("{err:#}").contains("is not an event log"),
                "{err:#}"
            );
            assert_eq!(std::fs::read(&path).unwrap(), text);
        }
    }

    #[test]
    fn a_second_writer_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.jsonl");
        let first = EventLog::open(&path).unwrap();
        let err = EventLog::open(&path).err().unwrap();
        assert!(
            format!("{err:#}").contains("another `kiriminaja listen`"),
            "{err:#}"
        );
        first.close();
        EventLog::open(&path).unwrap().close();
    }
}
