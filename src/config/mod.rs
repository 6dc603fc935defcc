//! Settings: config file, then environment, then flags, resolved into [`Settings`].
//!
//! The file is read into raw serde structs (every field optional, unknown keys ignored so that
//! hand-edited files keep working), then resolved once. Every resolved value remembers where it
//! came from, for `config show` and for error messages.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;

use crate::error::Error;

mod file;
mod key;
mod values;

use file::{KNOWN_KEYS, RawFile, RawProfile, read_file};
pub use file::{MAX_CONFIG, UnknownKey, invalid_file};
use key::find_key;
pub use key::{ApiKey, CREDENTIAL_NAME, MAX_KEY_FILE};
pub use values::{
    MAX_REQUEST_TIMEOUT, is_loopback, parse_base_url, parse_duration, parse_duration_within,
    parse_https_url,
};

pub const PRODUCTION_URL: &str = "https://client.kiriminaja.com";
pub const SANDBOX_URL: &str = "https://tdev.kiriminaja.com";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

pub const ENV_API_KEY: &str = "KIRIMINAJA_API_KEY";
pub const ENV_BASE_URL: &str = "KIRIMINAJA_BASE_URL";
pub const ENV_CONFIG: &str = "KIRIMINAJA_CONFIG";
pub const ENV_PROFILE: &str = "KIRIMINAJA_PROFILE";
/// A file holding the key (a systemd credential, a secret mounted by a container runtime).
pub const ENV_API_KEY_FILE: &str = "KIRIMINAJA_API_KEY_FILE";
/// Set by systemd for a service with credentials (`LoadCredential=`, `SetCredentialEncrypted=`).
pub const ENV_CREDENTIALS_DIRECTORY: &str = "CREDENTIALS_DIRECTORY";

/// The variables that hold the key or say where it is: taken out of the environment of every
/// command the user's hooks (`--exec`) run, which need no key.
pub const KEY_VARIABLES: [&str; 3] = [ENV_API_KEY, ENV_API_KEY_FILE, ENV_CREDENTIALS_DIRECTORY];

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    File {
        profile: Option<String>,
    },
    Default,
    /// The key, read from a file that `named_by` (an environment variable, the config file)
    /// names.
    KeyFile {
        path: PathBuf,
        named_by: Box<Source>,
    },
    /// The key, read from systemd's credentials directory.
    Credential(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(var) => write!(f, "environment {var}"),
            Source::File { profile: None } => f.write_str("config file"),
            Source::File {
                profile: Some(name),
            } => write!(f, "config file, profile {name}"),
            Source::Default => f.write_str("default"),
            Source::KeyFile { path, named_by } => {
                write!(f, "file {}, named by {named_by}", path.display())
            }
            Source::Credential(path) => write!(f, "systemd credential {}", path.display()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

/// Which tracking endpoint `track` and `watch` ask (`--service`, `service` in the config file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Service {
    /// Express first; on its "not found", instant
    #[default]
    Auto,
    /// Express couriers only (JNE, J&T, SiCepat, …)
    Express,
    /// Instant deliveries only (GoSend, GrabExpress)
    Instant,
}

impl Service {
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Auto => "auto",
            Service::Express => "express",
            Service::Instant => "instant",
        }
    }

    fn parse(text: &str) -> Result<Service, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Service::Auto),
            "express" => Ok(Service::Express),
            "instant" => Ok(Service::Instant),
            _ => Err(format!(
                "'{text}' is not a service; use auto, express or instant"
            )),
        }
    }
}

/// What the command line says about settings (global flags).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub profile: Option<String>,
    pub base_url: Option<String>,
    pub timeout: Option<Duration>,
    /// `--service` of `track` and `watch`.
    pub service: Option<Service>,
}

/// The settings the program uses.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file in use, or that would be used; `None` when no home directory is known.
    pub config_path: Option<Sourced<PathBuf>>,
    /// Whether that file exists.
    pub config_exists: bool,
    pub profile: Option<Sourced<String>>,
    pub api_key: Option<Sourced<ApiKey>>,
    pub base_url: Sourced<Url>,
    pub timeout: Sourced<Duration>,
    pub service: Sourced<Service>,
    /// `store` of the config file (a path, or `off`): resolved by [`crate::store::location`].
    pub store: Option<Sourced<String>>,
    /// Problems worth telling the user that do not stop the program.
    pub warnings: Vec<String>,
    /// Keys of the config file that mean nothing here (each is also a warning).
    pub unknown_keys: Vec<UnknownKey>,
}

impl Settings {
    pub fn require_key(&self) -> Result<&ApiKey, Error> {
        match &self.api_key {
            Some(key) => Ok(&key.value),
            None => {
                // `config init` must write where this run looked: the flags that chose the
                // place are repeated (the environment's choice it reads itself).
                let mut init = String::from("kiriminaja");
                if let Some(path) = self
                    .config_path
                    .as_ref()
                    .filter(|p| p.source == Source::Flag("--config"))
                {
                    init.push_str(&format!(" --config {}", path.value.display()));
                }
                if let Some(profile) = self
                    .profile
                    .as_ref()
                    .filter(|p| p.source == Source::Flag("--profile"))
                {
                    init.push_str(&format!(" --profile {}", profile.value));
                }
                init.push_str(" config init");
                Err(Error::NoApiKey { init })
            }
        }
    }
}

/// The config file used when neither `--config` nor `KIRIMINAJA_CONFIG` names one.
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kiriminaja").map(|d| d.config_dir().join("config.toml"))
}

/// The config file to use: `--config`, else `KIRIMINAJA_CONFIG`, else the platform default.
/// `None` only when no home directory is known.
pub fn config_path(
    flags: &Overrides,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<Sourced<PathBuf>> {
    if let Some(path) = &flags.config {
        Some(Sourced {
            value: path.clone(),
            source: Source::Flag("--config"),
        })
    } else if let Some(path) = env(ENV_CONFIG).filter(|v| !v.trim().is_empty()) {
        Some(Sourced {
            value: PathBuf::from(path),
            source: Source::Env(ENV_CONFIG),
        })
    } else {
        default_config_path().map(|value| Sourced {
            value,
            source: Source::Default,
        })
    }
}

/// Resolves settings from the flags, the environment (through `env`, so tests can fake it) and
/// the config file. Does not require a key: commands that need one call [`Settings::require_key`].
pub fn resolve(flags: &Overrides, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings, Error> {
    let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let mut warnings = Vec::new();

    let config_path = config_path(flags, &env);

    // A file named explicitly must exist; the default one is optional.
    let (file, config_exists) = match &config_path {
        Some(path) => match read_file(&path.value, path.source != Source::Default)? {
            Some(file) => (file, true),
            None => (RawFile::default(), false),
        },
        None => (RawFile::default(), false),
    };
    if let Some(path) = &config_path {
        for unknown in &file.unknown {
            let suggestion = unknown
                .suggestion
                .map(|known| format!(" (did you mean `{known}`?)"))
                .unwrap_or_default();
            warnings.push(format!(
                "{}, line {}: unknown key `{}`{suggestion} is ignored; keys are {}",
                path.value.display(),
                unknown.line,
                unknown.key,
                KNOWN_KEYS.join(", ")
            ));
        }
    }

    let profile = if let Some(name) = &flags.profile {
        Some(Sourced {
            value: name.clone(),
            source: Source::Flag("--profile"),
        })
    } else {
        env(ENV_PROFILE).map(|value| Sourced {
            value,
            source: Source::Env(ENV_PROFILE),
        })
    };
    let selected = match &profile {
        Some(name) => match file.profiles.get(&name.value) {
            Some(p) => Some(p.clone()),
            None => {
                let file_name = config_path.as_ref().map_or_else(
                    || "the config file".to_owned(),
                    |p| p.value.display().to_string(),
                );
                let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
                return Err(Error::Config {
                    message: format!("profile '{}' is not defined in {file_name}", name.value),
                    hint: Some(if known.is_empty() {
                        format!("add a [profiles.{}] table to the file", name.value)
                    } else {
                        format!("defined profiles: {}", known.join(", "))
                    }),
                });
            }
        },
        None => None,
    };
    let profile_name = profile.as_ref().map(|p| p.value.clone());
    let top = file.top();
    // A value from the file: the selected profile's, else the top level's.
    let from_file = |pick: fn(&RawProfile) -> Option<&String>| -> Option<(String, Source)> {
        if let Some(v) = selected.as_ref().and_then(pick) {
            return Some((
                v.clone(),
                Source::File {
                    profile: profile_name.clone(),
                },
            ));
        }
        pick(&top).map(|v| (v.clone(), Source::File { profile: None }))
    };
    let file_label = config_path
        .as_ref()
        .map(|p| p.value.display().to_string())
        .unwrap_or_default();

    let tables = [
        selected.as_ref().map(|p| {
            (
                p,
                Source::File {
                    profile: profile_name.clone(),
                },
            )
        }),
        Some((&top, Source::File { profile: None })),
    ];
    let api_key = find_key(
        &env,
        tables
            .iter()
            .flatten()
            .map(|(table, source)| (*table, source)),
        config_path.as_ref().map(|p| p.value.as_path()),
        &mut warnings,
    )?;
    if let (Some(key), Some(path)) = (&api_key, &config_path)
        && matches!(key.source, Source::File { .. })
        && let Some(w) = permission_warning(&path.value)
    {
        warnings.push(w);
    }

    let (base_text, base_source) = if let Some(url) = &flags.base_url {
        (url.clone(), Source::Flag("--base-url"))
    } else if let Some(url) = env(ENV_BASE_URL) {
        (url, Source::Env(ENV_BASE_URL))
    } else if let Some(found) = from_file(|p| p.base_url.as_ref()) {
        found
    } else {
        ("production".to_owned(), Source::Default)
    };
    let base_url = parse_base_url(&base_text).map_err(|message| Error::Config {
        message: match &base_source {
            Source::File { .. } => format!("{file_label}: base_url: {message}"),
            other => format!("base URL from {other}: {message}"),
        },
        hint: Some(
            "use https://…, the words `production` or `sandbox`, or http:// to localhost only"
                .to_owned(),
        ),
    })?;

    let timeout = if let Some(t) = flags.timeout {
        Sourced {
            value: t,
            source: Source::Flag("--timeout"),
        }
    } else if let Some((text, source)) = from_file(|p| p.timeout.as_ref()) {
        let value = parse_duration(&text)
            .map_err(|message| Error::config(format!("{file_label}: timeout: {message}")))?;
        Sourced { value, source }
    } else {
        Sourced {
            value: DEFAULT_TIMEOUT,
            source: Source::Default,
        }
    };

    let service = if let Some(service) = flags.service {
        Sourced {
            value: service,
            source: Source::Flag("--service"),
        }
    } else if let Some((text, source)) = from_file(|p| p.service.as_ref()) {
        let value = Service::parse(&text)
            .map_err(|message| Error::config(format!("{file_label}: service: {message}")))?;
        Sourced { value, source }
    } else {
        Sourced {
            value: Service::default(),
            source: Source::Default,
        }
    };

    let store = from_file(|p| p.store.as_ref()).map(|(value, source)| Sourced { value, source });

    Ok(Settings {
        config_path,
        config_exists,
        profile,
        api_key,
        base_url: Sourced {
            value: base_url,
            source: base_source,
        },
        timeout,
        service,
        store,
        warnings,
        unknown_keys: file.unknown,
    })
}

/// The process environment, in the shape `config` and `render` take (so tests can fake it).
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o044 != 0).then(|| {
        format!(
            "{} holds an API key and is readable by other users (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::file::{unknown_keys, unquote_values};
    use super::values::without_userinfo;
    use super::*;
    use std::io::Write;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn flags_for(path: &Path) -> Overrides {
        Overrides {
            config: Some(path.to_owned()),
            ..Overrides::default()
        }
    }

    #[test]
    fn base_url_rules() {
        assert_eq!(
            parse_base_url("production").unwrap().as_str(),
            "https://client.kiriminaja.com/"
        );
        assert_eq!(
            parse_base_url("sandbox").unwrap().as_str(),
            "https://tdev.kiriminaja.com/"
        );
        assert!(parse_base_url("http://127.0.0.1:8080").is_ok());
        assert!(
            parse_base_url("http://localhost:8080/x")
                .unwrap()
                .as_str()
                .ends_with("/x/")
        );
        assert!(parse_base_url("http://[::1]:8080").is_ok());
        assert!(
            parse_base_url("http://example.com")
                .unwrap_err()
                .contains("unencrypted")
        );
        assert!(parse_base_url("ftp://example.com").is_err());
        assert!(parse_base_url("not a url").is_err());
    }

    #[test]
    fn precedence_flag_env_profile_file_default() {
        let f = file(
            "api_key = \"file-key\"\nbase_url = \"sandbox\"\ntimeout = \"5s\"\n\
             [profiles.local]\nbase_url = \"http://127.0.0.1:9\"\n",
        );
        let s = resolve(&flags_for(f.path()), &no_env).unwrap();
        assert_eq!(s.api_key.as_ref().unwrap().value.expose(), "file-key");
        assert_eq!(s.base_url.value.as_str(), "https://tdev.kiriminaja.com/");
        assert_eq!(s.timeout.value, Duration::from_secs(5));

        let env = |name: &str| match name {
            ENV_API_KEY => Some("env-key".to_owned()),
            ENV_PROFILE => Some("local".to_owned()),
            _ => None,
        };
        let s = resolve(&flags_for(f.path()), &env).unwrap();
        assert_eq!(s.api_key.as_ref().unwrap().value.expose(), "env-key");
        assert_eq!(s.base_url.value.as_str(), "http://127.0.0.1:9/");
        assert_eq!(
            s.base_url.source,
            Source::File {
                profile: Some("local".into())
            }
        );

        let mut flags = flags_for(f.path());
        flags.base_url = Some("https://example.test".into());
        let s = resolve(&flags, &env).unwrap();
        assert_eq!(s.base_url.source, Source::Flag("--base-url"));
    }

    #[test]
    fn service_from_flag_profile_file_default() {
        let f = file("service = \"Express\"\n[profiles.shop]\nservice = \"instant\"\n");
        let s = resolve(&flags_for(f.path()), &no_env).unwrap();
        assert_eq!(s.service.value, Service::Express);
        let mut flags = flags_for(f.path());
        flags.profile = Some("shop".into());
        assert_eq!(
            resolve(&flags, &no_env).unwrap().service.value,
            Service::Instant
        );
        flags.service = Some(Service::Auto);
        let s = resolve(&flags, &no_env).unwrap();
        assert_eq!(s.service.value, Service::Auto);
        assert_eq!(s.service.source, Source::Flag("--service"));
        let empty = file("");
        let s = resolve(&flags_for(empty.path()), &no_env).unwrap();
        assert_eq!(
            (s.service.value, s.service.source),
            (Service::Auto, Source::Default)
        );
        let bad = file("service = \"gosend\"\n");
        let err = resolve(&flags_for(bad.path()), &no_env).unwrap_err();
        assert!(err.to_string().contains("service"), "{err}");
    }

    #[test]
    fn missing_profile_and_bad_file_are_config_errors() {
        let f = file("timeout = 5\n");
        let err = resolve(&flags_for(f.path()), &no_env).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        let f = file("");
        let mut flags = flags_for(f.path());
        flags.profile = Some("nope".into());
        assert!(
            resolve(&flags, &no_env)
                .unwrap_err()
                .to_string()
                .contains("nope")
        );
        let err = resolve(&flags_for(Path::new("/nonexistent/k.toml")), &no_env).unwrap_err();
        assert!(err.to_string().contains("cannot read"));
    }

    #[test]
    fn a_mistyped_key_is_not_quoted_in_the_error() {
        for text in [
            "api_key = 123456789012345678\n",
            "[profiles.x]\napi_key = 98765432109876\n",
            // However the key is spelled, the parsed path decides (issue 9, finding 8).
            "\"api_key\" = 98765432109876\n",
            "'api_key' = 98765432109876\n",
            "profiles.x.api_key = 98765432109876\n",
            "profiles = { x = { api_key = 98765432109876 } }\n",
            "\u{feff}api_key = 98765432109876\n",
            "api_key = [98765432109876]\n",
            "api_key = 1979-05-27T07:32:00Z\n",
        ] {
            let f = file(text);
            let err = resolve(&flags_for(f.path()), &no_env)
                .unwrap_err()
                .to_string();
            assert!(
                !err.contains("12345678") && !err.contains("98765432"),
                "{err}"
            );
            assert!(err.contains("api_key must be a quoted string"), "{err}");
        }
        // A number too large for the parser is quoted by the parser itself, wherever it stands.
        let f = file("api_key = 98765432109876543210987654321\n");
        let err = resolve(&flags_for(f.path()), &no_env)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("98765432"), "{err}");
    }

    #[test]
    fn quoted_values_leave_parser_messages() {
        assert_eq!(
            unquote_values("invalid type: integer `98765432109876` as i128, expected `\"`"),
            "invalid type: integer `…` as i128, expected `\"`"
        );
        assert_eq!(unquote_values("a `b"), "a `b");
    }

    #[test]
    fn urls_are_named_without_credentials() {
        for text in [
            "ftp://user:PASS@example.com/x",
            "gopher://PASS@example.com",
            "https://user:PASS@[bad",
        ] {
            let err = parse_base_url(text).unwrap_err();
            assert!(!err.contains("PASS"), "{err}");
        }
        assert_eq!(without_userinfo("https://a:b@h/p@q"), "https://…@h/p@q");
        assert_eq!(without_userinfo("not a url"), "not a url");
    }

    #[test]
    fn unknown_keys_are_found_with_their_line_and_likely_meaning() {
        let text = "base-url = \"sandbox\"\napi_key = \"k\"\ntimout = \"5s\"\ncolour = 1\n\
                    [profiles.local]\nBase_URL = \"x\"\nservice = \"auto\"\n";
        let found = unknown_keys(text);
        let summary: Vec<(&str, usize, Option<&str>)> = found
            .iter()
            .map(|k| (k.key.as_str(), k.line, k.suggestion))
            .collect();
        assert_eq!(
            summary,
            [
                ("base-url", 1, Some("base_url")),
                ("timout", 3, Some("timeout")),
                ("colour", 4, None),
                ("profiles.local.Base_URL", 6, Some("base_url")),
            ]
        );
        let f = file(text);
        let s = resolve(&flags_for(f.path()), &no_env).unwrap();
        assert_eq!(s.unknown_keys.len(), 4);
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("line 3: unknown key `timout` (did you mean `timeout`?)")),
            "{:?}",
            s.warnings
        );
    }

    /// A file of `text` with `mode`, in `dir`.
    fn key_file(dir: &Path, name: &str, text: &[u8], mode: u32) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        #[cfg(not(unix))]
        let _ = mode;
        path
    }

    fn key_of(s: &Settings) -> (&str, String) {
        let key = s.api_key.as_ref().expect("a key");
        (key.value.expose(), key.source.to_string())
    }

    #[test]
    fn key_sources_in_order_of_precedence() {
        let dir = tempfile::tempdir().unwrap();
        let env_file = key_file(dir.path(), "env-key", b"from-env-file\n", 0o600);
        let credentials = dir.path().join("creds");
        std::fs::create_dir(&credentials).unwrap();
        key_file(&credentials, CREDENTIAL_NAME, b"from-credential", 0o400);
        key_file(dir.path(), "profile-key", b"from-profile-file\n", 0o600);
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            "api_key = \"from-top\"\n[profiles.svc]\napi_key_file = \"profile-key\"\n",
        )
        .unwrap();
        let mut flags = flags_for(&config);
        flags.profile = Some("svc".into());
        let dir_text = |p: &Path| p.to_str().unwrap().to_owned();

        // Each source in turn, the higher ones taken away one by one.
        let all = |name: &str| match name {
            ENV_API_KEY => Some("from-env".to_owned()),
            ENV_API_KEY_FILE => Some(dir_text(&env_file)),
            ENV_CREDENTIALS_DIRECTORY => Some(dir_text(&credentials)),
            _ => None,
        };
        let s = resolve(&flags, &all).unwrap();
        assert_eq!(key_of(&s).0, "from-env");

        let no_key = |name: &str| all(name).filter(|_| name != ENV_API_KEY);
        let s = resolve(&flags, &no_key).unwrap();
        assert_eq!(
            key_of(&s),
            (
                "from-env-file",
                format!(
                    "file {}, named by environment KIRIMINAJA_API_KEY_FILE",
                    env_file.display()
                )
            )
        );

        let credential_only = |name: &str| no_key(name).filter(|_| name != ENV_API_KEY_FILE);
        let s = resolve(&flags, &credential_only).unwrap();
        assert_eq!(
            key_of(&s),
            (
                "from-credential",
                format!(
                    "systemd credential {}",
                    credentials.join(CREDENTIAL_NAME).display()
                )
            )
        );
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);

        // A credentials directory without our credential is passed over.
        let other_credentials = dir.path().join("other");
        std::fs::create_dir(&other_credentials).unwrap();
        let other =
            |name: &str| (name == ENV_CREDENTIALS_DIRECTORY).then(|| dir_text(&other_credentials));
        let s = resolve(&flags, &other).unwrap();
        // But one that cannot be looked at is an error, not a fall back.
        let not_a_dir =
            |name: &str| (name == ENV_CREDENTIALS_DIRECTORY).then(|| dir_text(&env_file));
        let err = resolve(&flags, &not_a_dir).unwrap_err();
        assert!(err.to_string().contains("systemd credential"), "{err}");
        // The profile's file, relative to the config file's folder.
        assert_eq!(
            key_of(&s),
            (
                "from-profile-file",
                format!(
                    "file {}, named by config file, profile svc",
                    dir.path().join("profile-key").display()
                )
            )
        );

        flags.profile = None;
        let s = resolve(&flags, &no_env).unwrap();
        assert_eq!(key_of(&s), ("from-top", "config file".to_owned()));
    }

    #[test]
    fn a_profile_key_file_beats_the_top_level_key_and_a_table_may_not_have_both() {
        let dir = tempfile::tempdir().unwrap();
        let key = key_file(dir.path(), "k", b"  from-file \r\n", 0o600);
        let f = file(&format!(
            "api_key_file = {:?}\n[profiles.x]\napi_key = \"inline\"\n",
            key.to_str().unwrap()
        ));
        let s = resolve(&flags_for(f.path()), &no_env).unwrap();
        assert_eq!(key_of(&s).0, "from-file");
        let mut flags = flags_for(f.path());
        flags.profile = Some("x".into());
        assert_eq!(key_of(&resolve(&flags, &no_env).unwrap()).0, "inline");

        let both = file("api_key = \"a\"\napi_key_file = \"/k\"\n");
        let err = resolve(&flags_for(both.path()), &no_env).unwrap_err();
        assert!(
            err.to_string()
                .contains("both api_key and api_key_file are set in the top level"),
            "{err}"
        );
        // Not an unknown key.
        let s = resolve(&flags_for(f.path()), &no_env).unwrap();
        assert!(s.unknown_keys.is_empty(), "{:?}", s.unknown_keys);
    }

    #[test]
    fn a_bad_key_file_is_a_config_error_that_never_quotes_it() {
        let dir = tempfile::tempdir().unwrap();
        let secret = "s3cr3t-key-material";
        let mut big = secret.repeat(300).into_bytes();
        big.truncate(MAX_KEY_FILE as usize + 1);
        let cases: Vec<(PathBuf, &str)> = vec![
            (dir.path().join("missing"), "No such file"),
            (dir.path().to_owned(), "not a regular file"),
            (key_file(dir.path(), "empty", b" \n", 0o600), "empty"),
            (
                key_file(dir.path(), "big", &big, 0o600),
                "larger than 4096 bytes",
            ),
            (
                key_file(
                    dir.path(),
                    "lines",
                    format!("{secret}\n{secret}\n").as_bytes(),
                    0o600,
                ),
                "more than one line",
            ),
            (
                key_file(dir.path(), "binary", &[0xff, 0xfe, b's', b'3'], 0o600),
                "not UTF-8",
            ),
        ];
        for (path, problem) in cases {
            let env =
                |name: &str| (name == ENV_API_KEY_FILE).then(|| path.to_str().unwrap().to_owned());
            let err = resolve(&Overrides::default(), &env).unwrap_err();
            let text = format!("{err} {:?}", err.hint());
            assert!(text.contains(problem), "{path:?}: {text}");
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(!text.contains("s3cr3t"), "{text}");
            assert!(matches!(err, Error::Config { .. }));
        }
        // Exactly the limit is still read.
        let mut limit = vec![b'k'; MAX_KEY_FILE as usize - 1];
        limit.push(b'\n');
        let path = key_file(dir.path(), "limit", &limit, 0o600);
        let env =
            |name: &str| (name == ENV_API_KEY_FILE).then(|| path.to_str().unwrap().to_owned());
        let s = resolve(&Overrides::default(), &env).unwrap();
        assert_eq!(key_of(&s).0.len(), MAX_KEY_FILE as usize - 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_may_read_gets_the_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_file(dir.path(), "k", b"abc\n", 0o644);
        let env =
            |name: &str| (name == ENV_API_KEY_FILE).then(|| path.to_str().unwrap().to_owned());
        let s = resolve(&Overrides::default(), &env).unwrap();
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert!(s.warnings[0].contains("chmod 600"), "{:?}", s.warnings);
        // A config file that only names the key file holds no key: no warning for it.
        let config = dir.path().join("c.toml");
        std::fs::write(&config, "api_key_file = \"k\"\n").unwrap();
        std::fs::set_permissions(&path, {
            use std::os::unix::fs::PermissionsExt;
            std::fs::Permissions::from_mode(0o600)
        })
        .unwrap();
        let s = resolve(&flags_for(&config), &no_env).unwrap();
        assert_eq!(key_of(&s).0, "abc");
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    #[test]
    fn key_is_redacted() {
        let key = ApiKey::new("abcd1234efgh5678ijkl").unwrap();
        assert_eq!(key.redacted(), "abcd…ijkl (20 characters)");
        assert_eq!(ApiKey::new("short").unwrap().redacted(), "(5 characters)");
        assert!(!format!("{key:?}").contains("abcd"));
        assert!(ApiKey::new("  ").is_none());
    }
}
