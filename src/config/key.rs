//! The API key: a value never printed whole, and where it comes from (the environment, a key
//! file, systemd's credential, the config file), in that order.

use std::fmt;
use std::path::{Path, PathBuf};

use super::file::RawProfile;
use super::permission_warning;
use super::{ENV_API_KEY, ENV_API_KEY_FILE, ENV_CREDENTIALS_DIRECTORY, Source, Sourced};
use crate::error::Error;

/// The credential holding the key: `LoadCredential=api_key:/etc/kiriminaja/api_key`.
pub const CREDENTIAL_NAME: &str = "api_key";

/// The most a key file may hold. A key is tens of characters; anything near this is the wrong
/// file, and reading it whole would let a mistake (`/dev/zero`, a log) exhaust memory.
pub const MAX_KEY_FILE: u64 = 4096;

/// The API key. It has no `Display`, and its `Debug` hides it, so it cannot end up in output
/// or an error message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// `None` for an empty or blank key (an empty variable is an unset variable).
    pub fn new(key: &str) -> Option<ApiKey> {
        let key = key.trim();
        (!key.is_empty()).then(|| ApiKey(key.to_owned()))
    }

    /// The key itself, for the `Authorization` header and constant-time comparison only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A redacted form for people: at most the first and last 4 characters, or only the length
    /// when the key is too short for that to hide most of it.
    pub fn redacted(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() >= 16 {
            let head: String = chars[..4].iter().collect();
            let tail: String = chars[chars.len() - 4..].iter().collect();
            format!("{head}…{tail} ({} characters)", chars.len())
        } else {
            format!("({} characters)", chars.len())
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// The key, from the first source that has one, highest first:
///
/// 1. `KIRIMINAJA_API_KEY`;
/// 2. the file `KIRIMINAJA_API_KEY_FILE` names;
/// 3. systemd's credential `api_key`, when `$CREDENTIALS_DIRECTORY` is set and holds one;
/// 4. the config file: the selected profile's `api_key` or `api_key_file`, else the top level's.
///
/// A file named by the environment or the config file must exist and hold a key; a credentials
/// directory without the credential is passed over (the service may have other credentials).
/// `api_key_file` is relative to the config file's folder. A profile whose `api_key` is blank has
/// no key, and does not fall back to the top level's.
pub(super) fn find_key<'t>(
    env: &dyn Fn(&str) -> Option<String>,
    tables: impl Iterator<Item = (&'t RawProfile, &'t Source)>,
    config_path: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<Option<Sourced<ApiKey>>, Error> {
    if let Some(key) = env(ENV_API_KEY) {
        return Ok(ApiKey::new(&key).map(|value| Sourced {
            value,
            source: Source::Env(ENV_API_KEY),
        }));
    }
    if let Some(path) = env(ENV_API_KEY_FILE) {
        let path = PathBuf::from(path);
        let source = Source::KeyFile {
            path: path.clone(),
            named_by: Box::new(Source::Env(ENV_API_KEY_FILE)),
        };
        return read_key_file(&path, source, warnings).map(Some);
    }
    if let Some(dir) = env(ENV_CREDENTIALS_DIRECTORY) {
        let path = Path::new(&dir).join(CREDENTIAL_NAME);
        // Only "not there" passes over it: a credential that cannot be looked at (a directory
        // the user may not enter) is an error, not a silent fall back to another key.
        let absent = matches!(std::fs::symlink_metadata(&path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound);
        if !absent {
            return read_key_file(&path, Source::Credential(path.clone()), warnings).map(Some);
        }
    }
    for (table, source) in tables {
        match (&table.api_key, &table.api_key_file) {
            (Some(_), Some(_)) => {
                let place = match source {
                    Source::File {
                        profile: Some(name),
                    } => format!("[profiles.{name}]"),
                    _ => "the top level".to_owned(),
                };
                return Err(Error::Config {
                    message: format!(
                        "{}: both api_key and api_key_file are set in {place}",
                        config_path.map_or_else(String::new, |p| p.display().to_string())
                    ),
                    hint: Some("keep one of them".to_owned()),
                });
            }
            (Some(key), None) => {
                return Ok(ApiKey::new(key).map(|value| Sourced {
                    value,
                    source: source.clone(),
                }));
            }
            (None, Some(path)) => {
                // Relative to the file that names it, not to wherever the command runs.
                let path = match config_path.and_then(Path::parent) {
                    Some(dir) if path.is_relative() => dir.join(path),
                    _ => path.clone(),
                };
                let source = Source::KeyFile {
                    path: path.clone(),
                    named_by: Box::new(source.clone()),
                };
                return read_key_file(&path, source, warnings).map(Some);
            }
            (None, None) => {}
        }
    }
    Ok(None)
}

/// Reads the key from `path`, which `source` ([`Source::KeyFile`] or [`Source::Credential`]) names:
/// a regular file of at most [`MAX_KEY_FILE`] bytes, UTF-8, one line (a trailing newline, and
/// any surrounding blanks, are trimmed). Its text is never quoted in an error: it is the key.
/// A file that others may read gets the same warning as a config file with a key in it.
pub(super) fn read_key_file(
    path: &Path,
    source: Source,
    warnings: &mut Vec<String>,
) -> Result<Sourced<ApiKey>, Error> {
    use std::io::Read;
    let fail = |problem: String, hint: &str| Error::Config {
        message: format!("API key {source}: {problem}"),
        hint: Some(hint.to_owned()),
    };
    let fix = "the file must hold the key alone, on one line";
    // Checked before opening: opening a FIFO would wait for a writer.
    let metadata = std::fs::metadata(path).map_err(|e| {
        fail(
            e.to_string(),
            "check the path, and that the user running kiriminaja may read it",
        )
    })?;
    if !metadata.is_file() {
        return Err(fail("not a regular file".to_owned(), fix));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_KEY_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            fail(
                e.to_string(),
                "check that the user running kiriminaja may read it",
            )
        })?;
    if bytes.len() as u64 > MAX_KEY_FILE {
        return Err(fail(format!("larger than {MAX_KEY_FILE} bytes"), fix));
    }
    let text = String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".to_owned(), fix))?;
    let text = text.trim();
    if text.contains(['\n', '\r']) {
        return Err(fail("more than one line".to_owned(), fix));
    }
    let Some(value) = ApiKey::new(text) else {
        return Err(fail("empty".to_owned(), fix));
    };
    if let Some(w) = permission_warning(path) {
        warnings.push(w);
    }
    Ok(Sourced { value, source })
}
