//! Where the store is: `--no-store`, else `--store PATH`, else `KIRIMINAJA_STORE`, else `store`
//! in the config file (the profile's, then the top level's), else `parcels.db` in the platform
//! data directory, beside `listen`'s `events.jsonl`. The word `off` in any of them turns the
//! store off.

use std::path::PathBuf;

use crate::config::{Settings, Source};
use crate::error::Error;

/// The environment variable that names the store (or `off`).
pub const ENV_STORE: &str = "KIRIMINAJA_STORE";

/// The store's file name in the data directory.
pub const FILE_NAME: &str = "parcels.db";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// No store: every command behaves as it did before there was one.
    Off,
    Path(PathBuf, Source),
}

/// The platform data directory (`~/.local/share/kiriminaja/` on Linux): the event log and the
/// store live there.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kiriminaja").map(|dirs| dirs.data_dir().to_owned())
}

/// Resolves the location from the flags, the environment and the config file.
pub fn resolve(
    flag: Option<&PathBuf>,
    no_store: bool,
    settings: Option<&Settings>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Location, Error> {
    if no_store {
        return Ok(Location::Off);
    }
    let off = |text: &str| text.trim().eq_ignore_ascii_case("off");
    if let Some(path) = flag {
        return Ok(if off(&path.to_string_lossy()) {
            Location::Off
        } else {
            Location::Path(path.clone(), Source::Flag("--store"))
        });
    }
    if let Some(text) = env(ENV_STORE).filter(|v| !v.trim().is_empty()) {
        return Ok(if off(&text) {
            Location::Off
        } else {
            Location::Path(PathBuf::from(text), Source::Env(ENV_STORE))
        });
    }
    if let Some(sourced) = settings.and_then(|s| s.store.as_ref()) {
        return Ok(if off(&sourced.value) {
            Location::Off
        } else {
            Location::Path(expand_home(&sourced.value), sourced.source.clone())
        });
    }
    match data_dir() {
        Some(dir) => Ok(Location::Path(dir.join(FILE_NAME), Source::Default)),
        None => Err(Error::Config {
            message: "no home directory, so no default place for the parcel store".to_owned(),
            hint: Some("name one with --store PATH, or turn it off with --no-store".to_owned()),
        }),
    }
}

/// `~/x` in a config file means the home directory's `x`.
fn expand_home(text: &str) -> PathBuf {
    match text.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new()
            .map_or_else(|| PathBuf::from(text), |b| b.home_dir().join(rest)),
        None => PathBuf::from(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn flags_beat_the_environment_and_off_turns_it_off() {
        let env = |name: &str| (name == ENV_STORE).then(|| "/tmp/env.db".to_owned());
        let flag = PathBuf::from("/tmp/flag.db");
        assert_eq!(
            resolve(Some(&flag), false, None, &env).unwrap(),
            Location::Path(flag.clone(), Source::Flag("--store"))
        );
        assert_eq!(
            resolve(Some(&flag), true, None, &env).unwrap(),
            Location::Off
        );
        assert_eq!(
            resolve(None, false, None, &env).unwrap(),
            Location::Path("/tmp/env.db".into(), Source::Env(ENV_STORE))
        );
        let off = |name: &str| (name == ENV_STORE).then(|| "OFF".to_owned());
        assert_eq!(resolve(None, false, None, &off).unwrap(), Location::Off);
        assert_eq!(
            resolve(Some(&PathBuf::from("off")), false, None, &no_env).unwrap(),
            Location::Off
        );
    }
}
