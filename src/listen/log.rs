//! The event log: append-only JSON Lines, on disk before a push is acknowledged.
//!
//! One writer thread owns the file. Requests hand it their record and wait; it writes what has
//! queued up meanwhile in one go and fsyncs once for all of it (group commit), and only then
//! answers each. So no 200 goes out before its own bytes are on disk, and a burst costs one
//! fsync per batch rather than per event. Bytes of a batch whose write or fsync failed were
//! never acknowledged: they are cut off again, and those requests get an error.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use anyhow::Context;
use tokio::sync::{mpsc, oneshot, watch};

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
    /// Write what came before, sync, and stop: appenders still around get errors after this.
    Close,
}

/// The open log.
pub struct EventLog {
    pub path: PathBuf,
    queue: mpsc::Sender<Message>,
    /// The length of the log that is on disk: every line before it is complete and synced.
    durable: watch::Receiver<u64>,
    writer: JoinHandle<()>,
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
    /// Opens (or creates, mode 0600) the log for appending. A last line left incomplete by a
    /// crash was never acknowledged: it is cut off, with a warning. Every complete line is kept
    /// as it is.
    pub fn open(path: &Path) -> anyhow::Result<EventLog> {
        let (file, len) = open_file(path)
            .with_context(|| format!("cannot open the event log {}", path.display()))?;
        let (durable_tx, durable) = watch::channel(len);
        let (queue, receiver) = mpsc::channel(QUEUE);
        let writer = std::thread::Builder::new()
            .name("event-log".to_owned())
            .spawn(move || write_loop(file, len, receiver, durable_tx))
            .context("cannot start the event log writer")?;
        Ok(EventLog {
            path: path.to_owned(),
            queue,
            durable,
            writer,
        })
    }

    pub fn appender(&self) -> Appender {
        Appender {
            queue: self.queue.clone(),
        }
    }

    /// Follows the durable length of the log.
    pub fn durable(&self) -> watch::Receiver<u64> {
        self.durable.clone()
    }

    /// Writes what is queued, syncs, and closes. Appenders still around get errors after this.
    pub fn close(self) {
        if self.queue.blocking_send(Message::Close).is_ok() {
            let _ = self.writer.join();
        }
    }
}

fn open_file(path: &Path) -> io::Result<(File, u64)> {
    let created = !path.exists();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Payloads name people and their addresses.
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    let mut len = file.metadata()?.len();
    if created {
        // The new file's directory entry must survive a crash too.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            File::open(dir).and_then(|d| d.sync_all())?;
        }
    }
    if len > 0 {
        let torn = torn_tail(&mut file, len)?;
        if torn > 0 {
            let start = len - torn;
            let mut tail = Vec::new();
            file.seek(SeekFrom::Start(start))?;
            (&mut file).take(torn).read_to_end(&mut tail)?;
            if crate::push::record::Record::parse(&tail).is_some() {
                // A whole record that only lacks its newline: kept.
                file.write_all(b"\n")?;
                len += 1;
            } else {
                // Cut off mid-line by a crash: those bytes were never acknowledged.
                output::warn(&format!(
                    "{}: the last line is incomplete ({torn} bytes left by a crash before they \
                     were acknowledged); it is skipped",
                    path.display()
                ));
                file.set_len(start)?;
                len = start;
            }
            file.sync_data()?;
        }
    }
    Ok((file, len))
}

/// The length of an unfinished last line (0 when the file ends with a newline).
fn torn_tail(file: &mut File, len: u64) -> io::Result<u64> {
    let mut end = len;
    let mut chunk = vec![0u8; 64 * 1024];
    while end > 0 {
        let start = end.saturating_sub(chunk.len() as u64);
        let part = &mut chunk[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(part)?;
        if let Some(i) = part.iter().rposition(|&b| b == b'\n') {
            return Ok(len - (start + i as u64 + 1));
        }
        end = start;
    }
    Ok(len)
}

fn write_loop(
    mut file: File,
    mut len: u64,
    mut queue: mpsc::Receiver<Message>,
    durable: watch::Sender<u64>,
) {
    let mut batch = Vec::new();
    let mut buf = Vec::new();
    let mut open = true;
    while open {
        match queue.blocking_recv() {
            Some(Message::Append(first)) => batch.push(first),
            Some(Message::Close) | None => break,
        }
        while batch.len() < BATCH {
            match queue.try_recv() {
                Ok(Message::Append(next)) => batch.push(next),
                Ok(Message::Close) => {
                    open = false;
                    break;
                }
                Err(_) => break,
            }
        }
        buf.clear();
        for append in &batch {
            buf.extend_from_slice(&append.line);
        }
        let written = file.write_all(&buf).and_then(|()| file.sync_data());
        match written {
            Ok(()) => {
                len += buf.len() as u64;
                durable.send_replace(len);
                for append in batch.drain(..) {
                    let _ = append.done.send(Ok(()));
                }
            }
            Err(e) => {
                output::error(&format!("cannot write the event log: {e}"), None);
                // Whatever part of the batch reached the file was never acknowledged.
                if let Err(e) = file.set_len(len).and_then(|()| file.sync_data()) {
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
    // Dropping the receiver fails every append still queued or to come.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_are_durable_and_a_torn_line_is_ended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/events.jsonl");
        let log = EventLog::open(&path).unwrap();
        let appender = log.appender();
        let durable = log.durable();
        crate::block_on(async {
            let a = appender.append(b"{\"a\":1}\n".to_vec());
            let b = appender.append(b"{\"b\":2}\n".to_vec());
            let (a, b) = tokio::join!(a, b);
            a.unwrap();
            b.unwrap();
        })
        .unwrap();
        assert_eq!(*durable.borrow(), 16);
        log.close();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\":1}\n{\"b\":2}\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        // A crash in the middle of a line: cut off at the next start, the good lines untouched.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"c\":").unwrap();
        drop(file);
        let log = EventLog::open(&path).unwrap();
        assert_eq!(*log.durable().borrow(), 16);
        log.close();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\":1}\n{\"b\":2}\n");
        // A whole record without its newline is kept.
        let record = b"{\"received_at\":\"x\",\"payload\":{}}";
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(record).unwrap();
        drop(file);
        EventLog::open(&path).unwrap().close();
        let text = std::fs::read(&path).unwrap();
        assert_eq!(
            text,
            [&b"{\"a\":1}\n{\"b\":2}\n"[..], record, b"\n"].concat()
        );
        // Only a torn line, with no newline before it.
        std::fs::write(&path, b"{\"recei").unwrap();
        EventLog::open(&path).unwrap().close();
        assert_eq!(std::fs::read(&path).unwrap(), b"");
    }
}
