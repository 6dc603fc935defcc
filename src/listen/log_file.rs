//! The event log's file on disk: opened (created 0600, its directory entry synced), locked for
//! one writer, checked to be a log and its torn last line repaired; and whether its path still
//! names it (a rotation).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::Context;

use crate::error::Error;
use crate::output;

/// How every record starts (`received_at` is the first field written): how a log is told from
/// a file that is not one.
pub const RECORD_START: &[u8] = b"{\"received_at\":";
/// The longest line a reader looks back over to check a cursor (a record of a 1 MiB body,
/// escaped, fits many times).
pub const MAX_LINE: u64 = 16 * 1024 * 1024;

/// Opens (or creates, mode 0600) the log's file at `path` for appending and locks it, with
/// its tail checked ([`check_tail`]); returns it and the length to append at.
pub(super) fn open_file(path: &Path) -> anyhow::Result<(File, u64)> {
    let cannot = || format!("cannot open the event log {}", path.display());
    let created = !path.exists();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(cannot)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Payloads name people and their addresses.
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(cannot)?;
    let metadata = file.metadata().with_context(cannot)?;
    if !metadata.is_file() {
        return Err(Error::Config {
            message: format!("{}: the event log must be a regular file", path.display()),
            hint: Some("name a file with --log".to_owned()),
        }
        .into());
    }
    lock(&file, path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            output::warn(&format!(
                "the event log {} is open to other users (mode {mode:o}) and holds names and \
                 addresses; run: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
    }
    if created {
        // The new file's directory entry must survive a crash too.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            File::open(dir)
                .and_then(|d| d.sync_all())
                .with_context(cannot)?;
        }
    }
    let len = check_tail(&mut file, path, metadata.len())?;
    Ok((file, len))
}

/// One writer per log: an exclusive advisory lock, held as long as the file is open.
fn lock(file: &File, path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, flock};
        match flock(file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                return Err(Error::Config {
                    message: format!(
                        "another `kiriminaja listen` is writing the event log {}",
                        path.display()
                    ),
                    hint: Some(
                        "one listen per log: stop the other one, or give this one its own --log"
                            .to_owned(),
                    ),
                }
                .into());
            }
            Err(e) => {
                return Err(anyhow::Error::from(io::Error::from(e))
                    .context(format!("cannot lock the event log {}", path.display())));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (file, path);
    Ok(())
}

/// Checks the end of an existing log: a last line left incomplete by a crash (a record cut
/// short: never acknowledged) is cut off with a warning; a whole record that lacks only its
/// newline gets one. A file whose start or end is not a record of ours is not a log: refused,
/// untouched. Returns the length to append at.
fn check_tail(file: &mut File, path: &Path, len: u64) -> anyhow::Result<u64> {
    if len == 0 {
        return Ok(0);
    }
    let not_a_log = |why: &str| -> anyhow::Error {
        Error::Config {
            message: format!(
                "{} is not an event log ({why}); it was left as it is",
                path.display()
            ),
            hint: Some("name the log listen writes, or a new file, with --log".to_owned()),
        }
        .into()
    };
    let cannot = || format!("cannot read the event log {}", path.display());
    let mut start = vec![0u8; RECORD_START.len().min(len as usize)];
    file.seek(SeekFrom::Start(0)).with_context(cannot)?;
    file.read_exact(&mut start).with_context(cannot)?;
    if !RECORD_START.starts_with(&start) {
        return Err(not_a_log("it does not start with a record"));
    }
    let torn = torn_tail(file, len).with_context(cannot)?;
    if torn == 0 {
        return Ok(len);
    }
    let tail_start = len - torn;
    let mut head = Vec::new();
    file.seek(SeekFrom::Start(tail_start))
        .with_context(cannot)?;
    (&mut *file)
        .take(RECORD_START.len() as u64)
        .read_to_end(&mut head)
        .with_context(cannot)?;
    if !RECORD_START.starts_with(&head) && !head.starts_with(RECORD_START) {
        return Err(not_a_log("its last line is not a record"));
    }
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(tail_start))
        .with_context(cannot)?;
    (&mut *file)
        .take(torn.min(MAX_LINE))
        .read_to_end(&mut tail)
        .with_context(cannot)?;
    let cut = || format!("cannot repair the event log {}", path.display());
    let len = if crate::push::record::Record::parse(&tail).is_some() {
        // A whole record that only lacks its newline: kept.
        file.write_all(b"\n").with_context(cut)?;
        len + 1
    } else {
        // One of our records, cut off mid-line by a crash: never acknowledged.
        output::warn(&format!(
            "{}: the last line is incomplete ({torn} bytes left by a crash before they were \
             acknowledged); it is skipped",
            path.display()
        ));
        file.set_len(tail_start).with_context(cut)?;
        tail_start
    };
    file.sync_data().with_context(cut)?;
    Ok(len)
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

/// The same file (device and inode) as `file`?
pub(super) fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        false
    }
}
