//! The parcel store: one SQLite database that `listen`, `track`, `watch`, `sync` and `store
//! import` feed, and `parcels`, `track --cached` and `watch` read.
//!
//! Every SQL statement of the program is in this module, behind [`Store`]. The SQL is kept
//! portable (upserts as `INSERT … ON CONFLICT … DO UPDATE`, integers for times, no SQLite-only
//! functions in queries) so that another database can stand behind the same interface.
//!
//! - [`location`]: where the store is (`--store`, `KIRIMINAJA_STORE`, `store` in the config);
//! - [`write`](mod@write): what a pull or a push changes, and the rule that old news never moves a status
//!   back;
//! - [`read`]: parcels as the commands show them, filters, summaries, statistics;
//! - [`recorder`]: a store a command records into as it goes, warned about once if it fails.
//!
//! Times the provider wrote (when a status happened) and times the tool learned something are
//! both kept as integer microseconds since the Unix epoch.

pub mod location;
pub mod read;
pub mod recorder;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::Error;
use crate::time::Moment;

pub use location::Location;
pub use read::{Filter, StoreInfo, Stored};
pub use write::{Learned, Source};

/// The schema this build writes. A store with a higher `user_version` was written by a newer
/// version of the tool and is refused, untouched.
pub const SCHEMA_VERSION: i64 = 1;

/// How long a statement waits for another process's write to finish before giving up: `listen`,
/// `watch`, `sync` and `parcels` share one store.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The migrations, in order: `MIGRATIONS[n]` takes a store from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: parcels, their history, and the cursors of the logs that feed the store. (Only the
    // schema is SQLite's own: `WITHOUT ROWID` keeps each parcel's history together in its key's
    // order, one B-tree instead of two; another database has its own form of it.)
    "CREATE TABLE parcels (
        id INTEGER PRIMARY KEY,
        order_id TEXT NOT NULL UNIQUE,
        awb TEXT,
        kind TEXT,
        courier TEXT,
        courier_service TEXT,
        status_code INTEGER,
        instant_code TEXT,
        category TEXT NOT NULL,
        final INTEGER NOT NULL,
        text TEXT,
        status_at INTEGER,
        first_seen_at INTEGER NOT NULL,
        last_news_at INTEGER NOT NULL,
        last_news_source TEXT NOT NULL,
        last_push_at INTEGER,
        last_pull_at INTEGER,
        pulled TEXT
    );
    CREATE INDEX parcels_awb ON parcels (awb);
    CREATE INDEX parcels_open ON parcels (final, status_at);
    CREATE INDEX parcels_news ON parcels (final, last_news_at);
    CREATE INDEX parcels_category ON parcels (category);
    CREATE TABLE history (
        parcel_id INTEGER NOT NULL REFERENCES parcels (id) ON DELETE CASCADE,
        entry_key INTEGER NOT NULL,
        at INTEGER,
        status_code INTEGER,
        instant_code TEXT,
        text TEXT,
        driver TEXT,
        receiver TEXT,
        source TEXT NOT NULL,
        PRIMARY KEY (parcel_id, entry_key)
    ) WITHOUT ROWID;
    CREATE TABLE cursors (
        log TEXT PRIMARY KEY,
        position INTEGER NOT NULL
    );",
];

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Why a store could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the parcel store {path} was written by a newer version of kiriminaja (schema {found}, this one knows {SCHEMA_VERSION}); it was left untouched"
    )]
    Newer { path: PathBuf, found: i64 },
    #[error("the parcel store {path} is corrupt or not a parcel store: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("cannot use the parcel store {path}: {detail}")]
    Unavailable { path: PathBuf, detail: String },
}

impl StoreError {
    /// The one error the user sees (exit 4), with what to do.
    pub fn into_error(self) -> Error {
        let hint = match &self {
            StoreError::Newer { .. } => {
                "upgrade kiriminaja, or point --store (KIRIMINAJA_STORE) at another file".to_owned()
            }
            StoreError::Corrupt { path, .. } => format!(
                "set it aside (mv {0} {0}.bad) and rebuild it from listen's log: \
                 kiriminaja store import ~/.local/share/kiriminaja/events.jsonl",
                path.display()
            ),
            StoreError::Unavailable { .. } => {
                "check the path and its permissions, or run with --no-store".to_owned()
            }
        };
        Error::Config {
            message: self.to_string(),
            hint: Some(hint),
        }
    }

    fn from_sqlite(path: &Path, err: &rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        let corrupt = matches!(
            err.sqlite_error_code(),
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
        );
        if corrupt {
            StoreError::Corrupt {
                path: path.to_owned(),
                detail: err.to_string(),
            }
        } else {
            StoreError::Unavailable {
                path: path.to_owned(),
                detail: err.to_string(),
            }
        }
    }
}

impl Store {
    /// Opens (and creates, with its folder) the store at `path`, migrating it to
    /// [`SCHEMA_VERSION`]. The file is made 0600 and a folder it creates 0700: the store holds
    /// names, addresses and phone numbers.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let unavailable = |detail: String| StoreError::Unavailable {
            path: path.to_owned(),
            detail,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| unavailable(e.to_string()))?;
        }
        create_private_file(path).map_err(|e| unavailable(e.to_string()))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| StoreError::from_sqlite(path, &e))?;
        let sqlite = |e: rusqlite::Error| StoreError::from_sqlite(path, &e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        // Read before anything is written: a newer store must stay exactly as it is.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(sqlite)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: path.to_owned(),
                found: version,
            });
        }
        // WAL: readers never wait for the writer, and one writer waits for another (the busy
        // timeout) instead of failing.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite)?;
        if version < SCHEMA_VERSION {
            migrate(&conn, version).map_err(sqlite)?;
        } else {
            // A file SQLite can open may still not be ours.
            conn.query_row("SELECT count(*) FROM cursors", [], |_| Ok(()))
                .map_err(|e| StoreError::Corrupt {
                    path: path.to_owned(),
                    detail: e.to_string(),
                })?;
        }
        // WAL and shared-memory files SQLite creates beside the store get its mode.
        for suffix in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let _ = restrict(Path::new(&name));
        }
        Ok(Store {
            conn,
            path: path.to_owned(),
        })
    }

    /// Opens the store of `location`: `None` when it is off.
    pub fn open_at(location: &Location) -> Result<Option<Store>, StoreError> {
        match location {
            Location::Off => Ok(None),
            Location::Path(path, _) => Store::open(path).map(Some),
        }
    }

    /// A larger page cache, for a bulk import that touches parcels all over the store (the
    /// default keeps readers such as `parcels --json` small).
    pub fn tune_for_bulk(&self) {
        let _ = self.conn.pragma_update(None, "cache_size", -65536);
    }

    /// No sync to disk on commit, for a writer whose every write can be redone from a durable
    /// source (`listen`'s feeder: the log is the durable copy, and the cursor commits with the
    /// events it covers, so a commit lost to a power cut is fed again). Receiving's own syncs
    /// then do not wait behind the store's.
    pub fn derived_writes(&self) {
        let _ = self.conn.pragma_update(None, "synchronous", "OFF");
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, err: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, &err)
    }
}

fn migrate(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    // One immediate transaction: two processes opening a new store at once migrate it once.
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let start = usize::try_from(version.max(from)).unwrap_or(0);
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(start) {
            conn.execute_batch(sql)?;
            conn.pragma_update(None, "user_version", i as i64 + 1)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Creates the file 0600 if it is not there (SQLite would create it with the umask's mode).
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?;
    restrict(path)
}

#[cfg(unix)]
fn restrict(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)?;
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// A moment as the store keeps it: microseconds since the Unix epoch.
pub fn micros(moment: Moment) -> i64 {
    moment.timestamp().as_microsecond()
}

/// A stored time back as a moment.
pub fn moment(micros: i64) -> Option<Moment> {
    jiff::Timestamp::from_microsecond(micros)
        .ok()
        .map(Moment::from_timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_is_private_and_versioned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/parcels.db");
        let store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&dir.path().join("sub")), 0o700);
        }
        drop(store);
        // Opening again migrates nothing and works.
        Store::open(&path).unwrap();
    }

    #[test]
    fn a_newer_store_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parcels.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::Newer { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert!(!dir.path().join("parcels.db-wal").exists());
    }

    #[test]
    fn a_corrupt_store_is_one_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parcels.db");
        std::fs::write(&path, vec![b'x'; 8192]).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        let err = err.into_error();
        assert!(err.hint().unwrap().contains("store import"));
    }
}
