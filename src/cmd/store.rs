//! `kiriminaja store`: import, path, stats, prune; and how every command opens the store.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::cli::{GlobalArgs, StoreCommand};
use crate::config::Settings;
use crate::error::Error;
use crate::exit::Exit;
use crate::output::{self, Output};
use crate::push::event::Event;
use crate::push::stream::{self, Sink};
use crate::render::json;
use crate::signals;
use crate::store::recorder::warn_unused;
use crate::store::{Learned, Location, Source, Store, StoreError, location};
use crate::time::Moment;

/// Recordings per transaction of an import: fewer commits, each a sync to disk.
const BATCH: usize = 20_000;

/// Where the store is, from the global flags, the environment and the config file.
pub fn location(global: &GlobalArgs, settings: Option<&Settings>) -> Result<Location, Error> {
    location::resolve(
        global.store.as_ref(),
        global.no_store,
        settings,
        &crate::config::env_var,
    )
}

/// The store for a command that cannot work without it (`parcels`, `sync`, `store`,
/// `track --cached`): off or broken is an error.
pub fn open_required(global: &GlobalArgs, settings: Option<&Settings>) -> anyhow::Result<Store> {
    match location(global, settings)? {
        Location::Off => Err(Error::Config {
            message:
                "the parcel store is off (--no-store, KIRIMINAJA_STORE=off or store = \"off\")"
                    .to_owned(),
            hint: Some("name one with --store PATH".to_owned()),
        }
        .into()),
        location => match Store::open_at(&location) {
            Ok(Some(store)) => Ok(store),
            Ok(None) => unreachable!("an open location"),
            Err(e) => Err(e.into_error().into()),
        },
    }
}

/// The store for a command that works without it (`track`, `watch`, `listen`): `None` when it
/// is off, and also when it cannot be used, after one warning (the command's exit code does not
/// change because of the store).
pub fn open_optional(global: &GlobalArgs, settings: Option<&Settings>) -> Option<Store> {
    // The only error here is "no home directory", where there is no default store: the
    // command goes on as it did before there was one.
    let location = location(global, settings).ok()?;
    match Store::open_at(&location) {
        Ok(store) => store,
        Err(e) => {
            warn_unused(&e.into_error());
            None
        }
    }
}

pub fn run(global: &GlobalArgs, command: &StoreCommand, out: &mut Output) -> anyhow::Result<Exit> {
    let settings = crate::cmd::settings(global, None)?;
    match command {
        StoreCommand::Path => {
            match location(global, Some(&settings))? {
                Location::Off => output::note("the parcel store is off"),
                Location::Path(path, _) => writeln!(out, "{}", path.display())?,
            }
            Ok(Exit::Success)
        }
        StoreCommand::Import { files } => import(global, &settings, files, out),
        StoreCommand::Stats { json: as_json } => {
            let store = open_required(global, Some(&settings))?;
            let stats = store.stats().map_err(StoreError::into_error)?;
            if as_json.enabled() {
                json::write_line(out, &stats)?;
            } else {
                let by: Vec<String> = crate::store::read::CATEGORIES
                    .iter()
                    .map(|c| {
                        let n = stats.by_category.get(c.as_str()).copied().unwrap_or(0);
                        format!("{} {n}", c.as_str())
                    })
                    .collect();
                writeln!(out, "store    {}", stats.path)?;
                writeln!(out, "schema   {}", stats.schema_version)?;
                writeln!(out, "parcels  {} ({})", stats.parcels, by.join(" · "))?;
                writeln!(out, "history  {} entries", stats.history_entries)?;
                writeln!(out, "size     {}", size(stats.size_bytes))?;
            }
            Ok(Exit::Success)
        }
        StoreCommand::Prune { final_older_than } => {
            let mut store = open_required(global, Some(&settings))?;
            let before = ago(*final_older_than);
            let removed = store.prune_final(before).map_err(StoreError::into_error)?;
            let noun = if removed == 1 { "parcel" } else { "parcels" };
            writeln!(
                out,
                "removed {removed} final {noun} with no news since {before}"
            )?;
            Ok(Exit::Success)
        }
    }
}

/// The moment `age` before now.
pub fn ago(age: std::time::Duration) -> Moment {
    let now = jiff::Timestamp::now();
    let span = jiff::SignedDuration::try_from(age).unwrap_or(jiff::SignedDuration::MAX);
    Moment::from_timestamp(now.checked_sub(span).unwrap_or(jiff::Timestamp::MIN))
}

fn size(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / MIB)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

fn import(
    global: &GlobalArgs,
    settings: &Settings,
    files: &[PathBuf],
    out: &mut Output,
) -> anyhow::Result<Exit> {
    let store = open_required(global, Some(settings))?;
    store.tune_for_bulk();
    let mut importer = Importer {
        store: &store,
        in_batch: 0,
        payloads: 0,
        learned: Learned::default(),
        failed: None,
    };
    // Reads end when a stop signal comes; what was read is recorded.
    signals::watch_in_background();
    // Captured requests are decoded, not verified: no key.
    let fed = stream::feed(files, stream::Options::default(), &mut importer)
        .map(|exit| signals::requested().unwrap_or(exit));
    let done = importer.finish();
    if let Some(err) = importer.failed.take() {
        return Err(err.into_error().into());
    }
    let exit = fed?;
    done.map_err(StoreError::into_error)?;
    let Learned {
        new_parcels,
        new_entries,
        status_changes,
    } = importer.learned;
    writeln!(
        out,
        "imported {} payloads: {new_parcels} new parcels, {new_entries} new history entries, \
         {status_changes} status changes",
        importer.payloads
    )?;
    Ok(exit)
}

/// `store import`'s sink: every payload recorded, in batches.
struct Importer<'s> {
    store: &'s Store,
    in_batch: usize,
    payloads: u64,
    learned: Learned,
    failed: Option<StoreError>,
}

impl Importer<'_> {
    fn record(
        &mut self,
        work: impl FnOnce(&mut crate::store::write::Writer<'_>) -> rusqlite::Result<Learned>,
    ) -> io::Result<()> {
        if self.failed.is_some() {
            return Err(io::Error::other("the store failed"));
        }
        let result = (|| {
            if self.in_batch == 0 {
                self.store.begin()?;
            }
            let learned = work(&mut self.store.writer()).map_err(|e| StoreError::Unavailable {
                path: self.store.path().to_owned(),
                detail: e.to_string(),
            })?;
            self.in_batch += 1;
            if self.in_batch >= BATCH {
                self.store.commit()?;
                self.in_batch = 0;
            }
            Ok::<_, StoreError>(learned)
        })();
        match result {
            Ok(learned) => {
                self.learned += learned;
                self.payloads += 1;
                Ok(())
            }
            Err(e) => {
                self.store.rollback();
                self.in_batch = 0;
                self.failed = Some(e);
                Err(io::Error::other("the store failed"))
            }
        }
    }

    fn finish(&mut self) -> Result<(), StoreError> {
        if self.in_batch > 0 {
            self.in_batch = 0;
            return self.store.commit();
        }
        Ok(())
    }
}

impl Sink for Importer<'_> {
    fn event(&mut self, event: &Event, received_at: Option<&str>) -> io::Result<()> {
        let received_at = received_at.and_then(Moment::parse);
        self.record(|w| w.push(event, received_at))
    }

    fn other(&mut self, bytes: &[u8]) -> bool {
        let Ok(mut parcel) = crate::api::saved_parcel_from_body("saved response", bytes) else {
            return false;
        };
        if let Some(id) = parcel.order_id.clone().or_else(|| parcel.awb.clone()) {
            parcel.query = id;
        }
        // A store failure is reported after the run; the payload counts as taken.
        let _ = self.record(|w| w.pull(&parcel, Moment::now(), Source::Import));
        true
    }
}
