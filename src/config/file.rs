//! The config file as written: its raw serde form (top level and `[profiles.NAME]`), read with a
//! size limit, its unknown keys found with a "did you mean", and its errors told without quoting
//! a value (it may be a key).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

/// A key of the config file that is not one of ours: a typo (`timout`), the flag's spelling
/// (`base-url`), or a key of another program. Ignored, but never in silence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnknownKey {
    /// Its dotted path: `timout`, `profiles.local.base-url`.
    pub key: String,
    pub line: usize,
    /// The known key it most likely meant.
    pub suggestion: Option<&'static str>,
}

/// The keys a config file (and each of its profiles) may have.
pub(super) const KNOWN_KEYS: [&str; 6] = [
    "api_key",
    "api_key_file",
    "base_url",
    "timeout",
    "service",
    "store",
];

/// Every key of `text` (a valid TOML file) that is not ours, with its line.
pub(super) fn unknown_keys(text: &str) -> Vec<UnknownKey> {
    use toml_edit::TableLike;
    let Ok(doc) = toml_edit::Document::parse(text) else {
        return Vec::new();
    };
    let line_of = |table: &dyn TableLike, key: &str| {
        table
            .get_key_value(key)
            .and_then(|(k, _)| k.span())
            .map_or(0, |span| {
                text[..span.start.min(text.len())].matches('\n').count() + 1
            })
    };
    let unknown = |table: &dyn TableLike, key: &str, path: String| UnknownKey {
        line: line_of(table, key),
        suggestion: suggest(key),
        key: path,
    };
    let mut found = Vec::new();
    let top = doc.as_table();
    for (key, item) in top.iter() {
        if KNOWN_KEYS.contains(&key) {
            continue;
        }
        if key != "profiles" {
            found.push(unknown(top, key, key.to_owned()));
            continue;
        }
        let Some(profiles) = item.as_table_like() else {
            continue;
        };
        for (name, profile) in profiles.iter() {
            let Some(profile) = profile.as_table_like() else {
                continue;
            };
            for (key, _) in profile.iter() {
                if !KNOWN_KEYS.contains(&key) {
                    found.push(unknown(profile, key, format!("profiles.{name}.{key}")));
                }
            }
        }
    }
    found.sort_by_key(|k| k.line);
    found
}

/// The known key closest to `key`: the same but for case and `-`/`_`, or a small typo away.
pub(super) fn suggest(key: &str) -> Option<&'static str> {
    let normal = key.to_ascii_lowercase().replace('-', "_");
    KNOWN_KEYS
        .iter()
        .map(|known| (strsim::damerau_levenshtein(&normal, known), *known))
        .filter(|(distance, known)| *distance <= (known.len() / 3).max(1))
        .min()
        .map(|(_, known)| known)
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct RawFile {
    // The top-level keys repeat `RawProfile`'s: `serde(flatten)` would lose the line numbers
    // of type errors.
    #[serde(default, deserialize_with = "key_text")]
    pub(super) api_key: Option<String>,
    pub(super) api_key_file: Option<PathBuf>,
    pub(super) base_url: Option<String>,
    pub(super) timeout: Option<String>,
    pub(super) service: Option<String>,
    pub(super) store: Option<String>,
    #[serde(default)]
    pub(super) profiles: BTreeMap<String, RawProfile>,
    /// Found by a second look at the text, which has the lines.
    #[serde(skip)]
    pub(super) unknown: Vec<UnknownKey>,
}

impl RawFile {
    pub(super) fn top(&self) -> RawProfile {
        RawProfile {
            api_key: self.api_key.clone(),
            api_key_file: self.api_key_file.clone(),
            base_url: self.base_url.clone(),
            timeout: self.timeout.clone(),
            service: self.service.clone(),
            store: self.store.clone(),
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub(super) struct RawProfile {
    #[serde(default, deserialize_with = "key_text")]
    pub(super) api_key: Option<String>,
    pub(super) api_key_file: Option<PathBuf>,
    pub(super) base_url: Option<String>,
    pub(super) timeout: Option<String>,
    pub(super) service: Option<String>,
    pub(super) store: Option<String>,
}

/// `api_key`: a string. Anything else is refused with a message of our own, because the
/// parser's would quote the value (`invalid type: integer \`98765…\``). Being a field of the
/// parsed document, this holds however the key was spelled: quoted, dotted, in an inline table.
pub(super) fn key_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct KeyText;
    impl<'de> serde::de::Visitor<'de> for KeyText {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a quoted string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(E::custom(KEY_NOT_TEXT))
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(E::custom(KEY_NOT_TEXT))
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(E::custom(KEY_NOT_TEXT))
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(E::custom(KEY_NOT_TEXT))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(serde::de::Error::custom(KEY_NOT_TEXT))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(serde::de::Error::custom(KEY_NOT_TEXT))
        }
    }
    d.deserialize_any(KeyText)
}

pub(super) const KEY_NOT_TEXT: &str = "api_key must be a quoted string: api_key = \"…\"";

/// The largest config file read: a real one is a few hundred bytes.
pub const MAX_CONFIG: usize = 1024 * 1024;

/// Reads and parses the file. `Ok(None)` when it does not exist and need not.
pub(super) fn read_file(path: &Path, must_exist: bool) -> Result<Option<RawFile>, Error> {
    // Capped like every input (`KIRIMINAJA_CONFIG=/dev/zero` must end in an error, not in swap).
    let read = std::fs::File::open(path)
        .and_then(|f| crate::input::read_capped(f, MAX_CONFIG))
        .and_then(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8"))
        });
    let text = match read {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => return Ok(None),
        Err(e) => {
            return Err(Error::config(format!(
                "cannot read config file {}: {e}",
                path.display()
            )));
        }
    };
    let mut file: RawFile =
        toml::from_str(&text).map_err(|e| invalid_file(path, &text, e.span(), e.message()))?;
    file.unknown = unknown_keys(&text);
    Ok(Some(file))
}

/// An invalid config file, as one line naming the file, line and column. The parser's message
/// can quote a value it could not read (a long number); a quoted value is replaced by `…`, since
/// it may be a key. (A key of the wrong type never reaches here: `key_text` refuses it with a
/// message of its own.)
pub fn invalid_file(
    path: &Path,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> Error {
    let at = match &span {
        Some(span) => {
            let before = text.get(..span.start.min(text.len())).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!(", line {line}, column {column}")
        }
        None => String::new(),
    };
    Error::Config {
        message: format!(
            "invalid config file {}{at}: {}",
            path.display(),
            unquote_values(message.trim_end())
        ),
        hint: Some(
            "keys are api_key, api_key_file, base_url, timeout, service, store, and [profiles.NAME] \
             tables of the same"
                .to_owned(),
        ),
    }
}

/// Replaces every backquoted run of four or more characters with `…`: the parser quotes values
/// that way (``integer `98765…` ``), and tokens it expected in one or two (`` expected `"` ``).
pub(super) fn unquote_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    for (i, part) in rest.iter().enumerate() {
        out.push('`');
        // Odd pieces (0, 2, …) are inside quotes, when a closing quote follows.
        let quoted = i % 2 == 0 && i + 1 < rest.len();
        if quoted && part.chars().count() >= 4 {
            out.push('…');
        } else {
            out.push_str(part);
        }
    }
    out
}
