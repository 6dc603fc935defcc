//! `listen` feeding the parcel store: every logged event, in log order, off the path of the 200.
//!
//! Like forwarding ([`super::forward`]), the feeder reads the log, not the requests: the log
//! stays the only thing between a request and its acknowledgement, and a slow or unavailable
//! store never slows receiving. Its cursor (a byte offset into the log) is kept in the store
//! itself, committed in the same transaction as the events it covers, so after a crash (even a
//! `kill -9`) the store holds exactly the events before its cursor, and the feeder goes on from
//! there: the store then equals a fresh `store import` of the same log. A store fed for the
//! first time from an existing log catches up from its start.
//!
//! The cursor belongs to one file: it is kept under the log's path and the file's identity
//! (device and inode), so a log rotated away (renamed, a new file at the path) is finished from
//! its own cursor and the new file is fed from its start, even across a restart: a finished
//! file's cursor is forgotten, so a cursor left for a file that is not the log's marks one the
//! feeder had not finished, and the next start feeds its rest (found beside the log) first. Like
//! forwarding, the feeder reads the files the log was written to in turn through a
//! [`Reader`], never by path, so rotating twice before it caught up skips no file. A log cut from
//! outside is fed again from its start: feeding is idempotent, so that costs time, not truth.

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::listen::follow;
use crate::listen::log::{At, Reader};
use crate::output;
use crate::push::record::Record;
use crate::store::Store;
use crate::time::Moment;

/// Events per transaction at most: a burst costs one commit per batch.
const BATCH: usize = 5000;
/// How long the feeder lets new events gather before it feeds them.
const COALESCE: Duration = Duration::from_millis(100);
/// How long to wait before trying an unavailable store again.
const RETRY: Duration = Duration::from_secs(5);

/// Starts the feeder on a thread of its own (SQLite is blocking). It ends once the log is
/// closed, after feeding all of it; `stop` ends its waits for an unavailable store.
pub fn spawn(
    store: PathBuf,
    log: PathBuf,
    reader: Reader,
    stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let runtime = tokio::runtime::Handle::current();
    let thread = std::thread::Builder::new()
        .name("store-feed".to_owned())
        .spawn(move || {
            // Receiving comes first: under load the feeder yields the CPU, falls behind, and
            // catches up in larger batches once the load passes.
            lower_priority();
            Feeder {
                store_path: store,
                log,
                runtime,
            }
            .run(reader, stop);
        });
    tokio::task::spawn_blocking(move || match thread {
        Ok(thread) => {
            let _ = thread.join();
        }
        Err(e) => output::warn(&format!("the parcel store is not fed: {e}")),
    })
}

/// The lowest scheduling priority for the calling thread: on Linux, `SCHED_IDLE` (it runs only
/// when no other thread wants the CPU: receiving always comes first), or at least the highest
/// nice value (a thread has its own).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: `sched_setscheduler` reads `param` and changes only the calling thread's
        // policy (pid 0 is the calling thread on Linux); it touches no memory of ours.
        let idle = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) } == 0;
        if !idle {
            let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
        }
    }
}

struct Feeder {
    store_path: PathBuf,
    log: PathBuf,
    runtime: tokio::runtime::Handle,
}

/// Why feeding paused.
enum Paused {
    /// Stopped as asked.
    Stop,
    /// The store failed: tried again later, from the cursor it kept.
    Failed(String),
}

impl Feeder {
    fn run(self, mut log: Reader, mut stop: watch::Receiver<bool>) {
        let mut warned = false;
        loop {
            match self.feed(&mut log) {
                Paused::Stop => return,
                Paused::Failed(why) => {
                    if !warned {
                        output::warn(&format!(
                            "the parcel store is not fed for now ({why}); the events wait in \
                             the log, and it catches up when the store can be used"
                        ));
                        warned = true;
                    }
                }
            }
            let stopped = *stop.borrow()
                || self.runtime.block_on(async {
                    tokio::select! {
                        () = tokio::time::sleep(RETRY) => false,
                        _ = stop.changed() => true,
                    }
                });
            if stopped {
                // One last try, so that a store back at the end is caught up (the log is
                // closed by then, or closes soon).
                let _ = self.feed(&mut log);
                return;
            }
        }
    }

    /// Feeds until the log is closed (then everything it holds is fed), or until the store
    /// fails. The end is the log's closing, not the stop signal: the last acknowledged events
    /// can become durable a moment after the server stopped answering.
    fn feed(&self, log: &mut Reader) -> Paused {
        let mut store = match Store::open(&self.store_path) {
            Ok(store) => store,
            Err(e) => return Paused::Failed(e.to_string()),
        };
        store.derived_writes();
        let mut seen = *log.durable.borrow_and_update();
        let (mut reader, mut key) = match self.open_log(log.file()) {
            Ok(opened) => opened,
            Err(why) => return Paused::Failed(why),
        };
        if let Err(why) = self.finish_rotated(&mut store, &key) {
            return Paused::Failed(why);
        }
        let mut offset = match store.write(|w| w.cursor(&key)) {
            Ok(cursor) => cursor.unwrap_or(0),
            Err(e) => return Paused::Failed(e.to_string()),
        };
        let mut closed = false;
        loop {
            let now = *log.durable.borrow_and_update();
            if now.file != log.generation() {
                // Rotated: the rest of this file (complete and synced: the writer has left
                // it), then the next file the log was written to, from its start.
                let old_end = match reader.get_ref().file().metadata() {
                    Ok(metadata) => metadata.len(),
                    Err(e) => return Paused::Failed(format!("cannot read the log: {e}")),
                };
                while offset < old_end {
                    match self.batch(&mut store, &mut reader, &key, offset, old_end) {
                        Ok(next) if next > offset => offset = next,
                        Ok(_) => break,
                        Err(why) => return Paused::Failed(why),
                    }
                }
                // Done with it: a cursor left for a file that is not the log's is one the
                // feeder had not finished (see `finish_rotated`).
                if let Err(e) = store.write(|w| w.forget_cursor(&key)) {
                    return Paused::Failed(e.to_string());
                }
                (reader, key) = match self.open_log(log.advance()) {
                    Ok(opened) => opened,
                    Err(why) => return Paused::Failed(why),
                };
                offset = 0;
                continue;
            }
            if now.shrunk != seen.shrunk || offset > now.len {
                // The log is shorter than the cursor: cut or replaced. Start it over.
                output::warn(&format!(
                    "the event log {} is shorter than where the store's feed was; feeding it \
                     from its start",
                    self.log.display()
                ));
                offset = 0;
            }
            seen = now;
            if offset < now.len {
                match self.batch(&mut store, &mut reader, &key, offset, now.len) {
                    Ok(next) if next > offset => {
                        offset = next;
                        continue;
                    }
                    // Nothing complete to read yet (the file is shorter than the writer
                    // knows: it was cut, and the writer will notice at its next write).
                    Ok(_) => {}
                    Err(why) => return Paused::Failed(why),
                }
            }
            if closed {
                return Paused::Stop;
            }
            closed = self.runtime.block_on(async {
                let closed = log.durable.changed().await.is_err();
                // A moment for more events to arrive: one transaction for all of them, and
                // the store's writes stay clear of the log's syncs. Well within the second
                // `watch` has to show a push.
                if !closed {
                    tokio::time::sleep(COALESCE).await;
                }
                closed
            });
        }
    }

    /// Feeds the rest of each file the log was written to before a restart that the feeder had
    /// not finished (rotated away while it was behind), found beside the log by its identity,
    /// and forgets their cursors; one no longer there is reported.
    fn finish_rotated(&self, store: &mut Store, current: &str) -> Result<(), String> {
        let Some((path, _)) = current.rsplit_once('#') else {
            return Ok(());
        };
        let prefix = format!("{path}#");
        let cursors = store
            .write(|w| w.cursors_under(&prefix))
            .map_err(|e| e.to_string())?;
        for (key, mut offset) in cursors {
            if key == current {
                continue;
            }
            let identity = &key[prefix.len()..];
            let found = follow::beside(&self.log, identity)
                .and_then(|path| Some((File::open(&path).ok()?, path)));
            match found {
                Some((file, path)) => {
                    let end = file
                        .metadata()
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
                        .len();
                    if offset < end {
                        output::note(&format!(
                            "the parcel store: feeding the rest of {} (rotated away from {} \
                             before it was fed) first",
                            path.display(),
                            self.log.display()
                        ));
                    }
                    let mut reader = BufReader::new(At::new(Arc::new(file), 0));
                    while offset < end {
                        match self.batch(store, &mut reader, &key, offset, end) {
                            Ok(next) if next > offset => offset = next,
                            Ok(_) => break,
                            Err(why) => return Err(why),
                        }
                    }
                }
                None => output::warn(&format!(
                    "the parcel store's feed may not have finished a file rotated away from {} \
                     that is no longer beside it; if you still have it: `kiriminaja store \
                     import FILE`",
                    self.log.display()
                )),
            }
            store
                .write(|w| w.forget_cursor(&key))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// A file of the log, and the key of its cursor.
    fn open_log(
        &self,
        file: std::io::Result<Arc<File>>,
    ) -> Result<(BufReader<At>, String), String> {
        let file = file.map_err(|e| format!("cannot read the log: {e}"))?;
        let key = log_key(&self.log, &file);
        Ok((BufReader::with_capacity(256 * 1024, At::new(file, 0)), key))
    }

    /// Feeds up to [`BATCH`] events from `offset` (before `end`) in one transaction, with the
    /// cursor after them. Returns the new offset.
    fn batch(
        &self,
        store: &mut Store,
        reader: &mut BufReader<At>,
        key: &str,
        offset: u64,
        end: u64,
    ) -> Result<u64, String> {
        reader
            .seek(SeekFrom::Start(offset))
            .map_err(|e| format!("cannot read the log: {e}"))?;
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut next = offset;
        while lines.len() < BATCH && next < end {
            let mut line = Vec::new();
            let n = std::io::Read::take(&mut *reader, end - next)
                .read_until(b'\n', &mut line)
                .map_err(|e| format!("cannot read the log: {e}"))?;
            if n == 0 || !line.ends_with(b"\n") {
                break;
            }
            next += n as u64;
            lines.push(line);
        }
        store
            .write(|w| {
                for line in &lines {
                    let Some(record) = Record::parse(line.trim_ascii_end()) else {
                        continue;
                    };
                    let Ok(event) = crate::push::decode::decode(&record.body_bytes()) else {
                        continue;
                    };
                    let received_at = Moment::parse(&record.received_at);
                    w.push(&event, received_at.or_else(|| Some(Moment::now())))?;
                }
                w.set_cursor(key, next)
            })
            .map_err(|e| e.to_string())?;
        Ok(next)
    }
}

/// The log file as the store's cursor table names it: its absolute path and, on Unix, the file's
/// identity, so that a cursor never applies to another file that took the path (a rotation).
pub fn log_key(log: &Path, file: &File) -> String {
    let path = std::fs::canonicalize(log)
        .unwrap_or_else(|_| log.to_owned())
        .display()
        .to_string();
    match follow::identity(file) {
        Some(identity) => format!("{path}#{identity}"),
        None => path,
    }
}
