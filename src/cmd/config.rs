//! `kiriminaja config`: write, show, locate and check the configuration.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;
use toml_edit::{DocumentMut, Item, Table, value};
use unicode_width::UnicodeWidthStr;

use crate::api::ErrorKind;
use crate::cli::{ConfigCommand, ConfigInitArgs, GlobalArgs};
use crate::config::{self, ApiKey, Sourced};
use crate::error::Error;
use crate::exit::Exit;
use crate::model::Kind;
use crate::output::{self, Output};
use crate::render::{self, clean, json};

/// An order id no parcel can have, for `config check`: the answer says whether the key works
/// without touching any real parcel.
const CHECK_ID: &str = "KJ-CLI-CHECK-000000";

pub fn run(global: &GlobalArgs, command: &ConfigCommand, out: &mut Output) -> anyhow::Result<Exit> {
    match command {
        ConfigCommand::Init(args) => init(global, args),
        ConfigCommand::Show { json } => show(global, json.enabled(), out),
        ConfigCommand::Path => path(global, out),
        ConfigCommand::Check => check(global, out),
    }
}

fn path(global: &GlobalArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let path = config::config_path(
        &crate::cmd::overrides(global, None),
        &crate::config::env_var,
    )
    .ok_or_else(|| {
        Error::config("no home directory: pass --config PATH or set KIRIMINAJA_CONFIG")
    })?;
    writeln!(out, "{}", path.value.display())?;
    Ok(Exit::Success)
}

#[derive(Serialize)]
struct ShowJson {
    config_file: Option<Field<String>>,
    config_file_exists: bool,
    profile: Option<Field<String>>,
    api_key: Option<Field<String>>,
    base_url: Field<String>,
    timeout: Field<String>,
    service: Field<String>,
    /// Keys of the config file that are not ours, ignored (each also a warning on stderr).
    unknown_keys: Vec<config::UnknownKey>,
}

#[derive(Serialize)]
struct Field<T> {
    value: T,
    source: String,
}

impl<T> Field<T> {
    fn from<U>(sourced: &Sourced<U>, show: impl FnOnce(&U) -> T) -> Field<T> {
        Field {
            value: show(&sourced.value),
            source: sourced.source.to_string(),
        }
    }
}

fn show(global: &GlobalArgs, as_json: bool, out: &mut Output) -> anyhow::Result<Exit> {
    let settings = crate::cmd::settings(global, None)?;
    let view = ShowJson {
        config_file: settings
            .config_path
            .as_ref()
            .map(|p| Field::from(p, |p| p.display().to_string())),
        config_file_exists: settings.config_exists,
        profile: settings
            .profile
            .as_ref()
            .map(|p| Field::from(p, String::clone)),
        api_key: settings
            .api_key
            .as_ref()
            .map(|k| Field::from(k, ApiKey::redacted)),
        base_url: Field::from(&settings.base_url, |u| u.to_string()),
        timeout: Field::from(&settings.timeout, |t| {
            humantime::format_duration(*t).to_string()
        }),
        service: Field::from(&settings.service, |s| s.as_str().to_owned()),
        unknown_keys: settings.unknown_keys.clone(),
    };
    if as_json {
        json::write_line(out, &view)?;
        return Ok(Exit::Success);
    }
    // Judged at the terminal's width, or 80 columns: where a value and its source do not fit
    // on one line, the source goes under the value.
    let width = render::terminal_width(out.is_terminal, &crate::config::env_var).unwrap_or(80);
    let mut row = |name: &str, field: Option<&Field<String>>, missing: &str| match field {
        // Values come from files and the environment: cleaned of escapes before the terminal.
        Some(f) => {
            let (value, source) = (clean(&f.value), clean(&f.source));
            let line = format!("{name:<12} {value}  ({source})");
            if line.width() <= width {
                writeln!(out, "{line}")
            } else {
                writeln!(out, "{name:<12} {value}\n{:<12} ({source})", "")
            }
        }
        None => writeln!(out, "{name:<12} {missing}"),
    };
    let file_note = if view.config_file_exists {
        ""
    } else {
        ", does not exist"
    };
    match &view.config_file {
        Some(f) => row(
            "config file",
            Some(&Field {
                value: f.value.clone(),
                source: format!("{}{file_note}", f.source),
            }),
            "",
        )?,
        None => row("config file", None, "(none: no home directory)")?,
    }
    row("profile", view.profile.as_ref(), "(none)")?;
    row(
        "api_key",
        view.api_key.as_ref(),
        "(not set: `kiriminaja config init`, or KIRIMINAJA_API_KEY)",
    )?;
    row("base_url", Some(&view.base_url), "")?;
    row("timeout", Some(&view.timeout), "")?;
    row("service", Some(&view.service), "")?;
    if !view.unknown_keys.is_empty() {
        let keys: Vec<String> = view
            .unknown_keys
            .iter()
            .map(|k| {
                let meant = k
                    .suggestion
                    .map(|known| format!(", meant {known}?"))
                    .unwrap_or_default();
                format!("{} (line {}{meant})", clean(&k.key), k.line)
            })
            .collect();
        writeln!(out, "{:<12} {}  (ignored)", "unknown keys", keys.join(", "))?;
    }
    Ok(Exit::Success)
}

fn check(global: &GlobalArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let settings = crate::cmd::settings(global, None)?;
    let client = crate::cmd::client(&settings, 1)?;
    let base = settings.base_url.value.to_string();
    let result = crate::runtime::block_on_interruptible(async {
        Ok(match client.track_on(CHECK_ID, Kind::Express).await {
            // Any tracking answer, "not found" included, means the key was accepted.
            Ok(_) => Exit::Success,
            Err(err) => match &err.kind {
                ErrorKind::NotFound(_) => Exit::Success,
                kind => {
                    let verdict = match kind {
                        ErrorKind::Unauthorized { .. } => "key rejected",
                        ErrorKind::Rejected { status: 404, .. } => "tracking endpoint not found",
                        ErrorKind::Rejected { .. } => "request refused",
                        ErrorKind::Certificate { .. } => "TLS certificate not trusted",
                        _ => "API unreachable",
                    };
                    output::error(
                        &format!("{verdict} ({base}): {}", err.kind),
                        err.hint().as_deref(),
                    );
                    err.exit()
                }
            },
        })
    })?;
    if result == Exit::Success {
        writeln!(out, "key accepted by {base}")?;
    }
    Ok(result)
}

fn init(global: &GlobalArgs, args: &ConfigInitArgs) -> anyhow::Result<Exit> {
    let path = config::config_path(
        &crate::cmd::overrides(global, None),
        &crate::config::env_var,
    )
    .ok_or_else(|| Error::config("no home directory: pass --config PATH or set KIRIMINAJA_CONFIG"))?
    .value;
    let mut doc = read_document(&path)?;
    let profile = global.profile.as_deref();
    let place = profile.map_or_else(|| "the top level".to_owned(), |p| format!("[profiles.{p}]"));
    if has_key(&doc, profile) && !args.force {
        return Err(Error::Config {
            message: format!("{} already has an API key in {place}", path.display()),
            hint: Some("pass --force to replace it".to_owned()),
        }
        .into());
    }

    let interactive = io::stdin().is_terminal();
    if interactive && args.no_input {
        return Err(Error::Usage(
            "--no-input: the key must come on stdin, e.g. `pass show kiriminaja | kiriminaja config init --no-input`, \
             or be set in KIRIMINAJA_API_KEY instead of a file"
                .to_owned(),
        )
        .into());
    }
    let key = if interactive {
        prompt_key()?
    } else {
        read_key_from_stdin()?
    };
    // Re-keying a profile keeps where it points unless told otherwise.
    let existing = existing_base_url(&doc, profile);
    let base_url = match (&global.base_url, existing) {
        (Some(url), _) => url.clone(),
        (None, existing) if interactive => prompt_environment(existing.as_deref())?,
        (None, Some(existing)) => existing,
        (None, None) => "production".to_owned(),
    };
    config::parse_base_url(&base_url).map_err(|message| Error::Config {
        message: format!("--base-url: {message}"),
        hint: None,
    })?;

    let table = target_table(&mut doc, profile)?;
    table["api_key"] = value(key.expose());
    // The key written replaces the file named (a table may not have both).
    table.remove("api_key_file");
    if table.get("base_url").and_then(Item::as_str) != Some(base_url.as_str()) {
        table["base_url"] = value(base_url.as_str());
    }
    write_private(&path, doc.to_string().as_bytes())?;
    output::note(&format!(
        "wrote the API key and base_url = \"{base_url}\" to {place} of {} (mode 600)",
        path.display()
    ));
    // The next command must look where this one wrote.
    let mut check = String::from("kiriminaja");
    if let Some(config) = &global.config {
        check.push_str(&format!(" --config {}", config.display()));
    }
    if let Some(profile) = profile {
        check.push_str(&format!(" --profile {profile}"));
    }
    output::note(&format!("next: `{check} config check`"));
    Ok(Exit::Success)
}

fn read_document(path: &Path) -> anyhow::Result<DocumentMut> {
    let read = std::fs::File::open(path)
        .and_then(|f| crate::input::read_capped(f, config::MAX_CONFIG))
        .and_then(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8"))
        });
    match read {
        Ok(text) => text
            .parse::<DocumentMut>()
            .map_err(|e| config::invalid_file(path, &text, e.span(), e.message()).into()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(DocumentMut::new()),
        Err(e) => {
            Err(Error::config(format!("cannot read config file {}: {e}", path.display())).into())
        }
    }
}

/// The top level or `[profiles.NAME]`, when the file has it.
fn table<'d>(doc: &'d DocumentMut, profile: Option<&str>) -> Option<&'d Table> {
    match profile {
        None => Some(doc.as_table()),
        Some(name) => doc
            .get("profiles")
            .and_then(Item::as_table)
            .and_then(|t| t.get(name))
            .and_then(Item::as_table),
    }
}

/// Whether the table has a key, or names a file holding one (`api_key_file`).
fn has_key(doc: &DocumentMut, profile: Option<&str>) -> bool {
    let table = table(doc, profile);
    let key = table
        .and_then(|t| t.get("api_key"))
        .and_then(Item::as_str)
        .is_some_and(|k| !k.trim().is_empty());
    key || table.is_some_and(|t| t.contains_key("api_key_file"))
}

fn existing_base_url(doc: &DocumentMut, profile: Option<&str>) -> Option<String> {
    table(doc, profile)
        .and_then(|t| t.get("base_url"))
        .and_then(Item::as_str)
        .map(str::to_owned)
}

/// The table to write into, created if needed: the top level, or `[profiles.NAME]`.
fn target_table<'d>(
    doc: &'d mut DocumentMut,
    profile: Option<&str>,
) -> anyhow::Result<&'d mut Table> {
    let Some(name) = profile else {
        return Ok(doc.as_table_mut());
    };
    let profiles = doc
        .entry("profiles")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| Error::config("`profiles` in the config file is not a table"))?;
    profiles
        .entry(name)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| {
            Error::config(format!(
                "`profiles.{name}` in the config file is not a table"
            ))
            .into()
        })
}

/// A question on stderr (stdout is for data).
fn prompt(question: &str) -> io::Result<()> {
    let mut stderr = io::stderr().lock();
    stderr.write_all(question.as_bytes())?;
    stderr.flush()
}

fn prompt_key() -> anyhow::Result<ApiKey> {
    prompt("KiriminAja API key (input hidden): ")?;
    let key = rpassword::read_password().context("cannot read the key from the terminal")?;
    ApiKey::new(&key).ok_or_else(|| Error::Usage("no key entered".to_owned()).into())
}

/// Asks for the environment until the answer is one: `production`, `sandbox` (or their first
/// letters) or a base URL (`http://127.0.0.1:8080` for a local fake server). A wrong answer is
/// asked again, never the end of the run: the hidden key was typed already.
fn prompt_environment(current: Option<&str>) -> anyhow::Result<String> {
    let default = current.unwrap_or("production");
    loop {
        prompt(&format!(
            "Environment: production, sandbox or a base URL [{default}]: "
        ))?;
        let mut answer = String::new();
        if io::Read::take(io::stdin().lock(), MAX_LINE).read_line(&mut answer)? == 0 {
            // End of input: nobody is there to ask again.
            return Ok(default.to_owned());
        }
        let choice = match answer.trim() {
            "" => default.to_owned(),
            "p" => "production".to_owned(),
            "s" => "sandbox".to_owned(),
            other => other.to_owned(),
        };
        match config::parse_base_url(&choice) {
            Ok(_) => return Ok(choice),
            Err(_) if !choice.contains("://") => output::warn(&format!(
                "'{}' is not production, sandbox or a URL; try again",
                render::clean(&choice)
            )),
            Err(message) => output::warn(&format!("{message}; try again")),
        }
    }
}

/// The longest line read from stdin (a key, an answer): far more than any real one.
const MAX_LINE: u64 = 64 * 1024;

fn read_key_from_stdin() -> anyhow::Result<ApiKey> {
    let mut line = String::new();
    // One line, capped: `config init < /dev/zero` is an error, not an exhausted machine.
    io::Read::take(io::stdin().lock(), MAX_LINE)
        .read_line(&mut line)
        .context("cannot read the key from stdin")?;
    if line.len() as u64 >= MAX_LINE && !line.ends_with('\n') {
        return Err(Error::Usage(format!(
            "the first line on stdin is longer than {} KiB: that is not a key",
            MAX_LINE / 1024
        ))
        .into());
    }
    ApiKey::new(&line).ok_or_else(|| {
        Error::Usage(
            "no key on stdin: pipe it in (`pass show kiriminaja | kiriminaja config init`), \
             or set KIRIMINAJA_API_KEY instead of writing a file"
                .to_owned(),
        )
        .into()
    })
}

/// Writes the file readable by its owner only: a temporary file created 0600 in the same
/// folder, then renamed over the old one, so there is never a moment the key is readable by others
/// or half written.
fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    // A config file that is a link (dotfile managers) is updated where it points, not replaced.
    let resolved = std::fs::canonicalize(path).ok();
    let path = resolved.as_deref().unwrap_or(path);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    warn_open_dir(dir);
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("config.toml"),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options
        .open(&tmp)
        .and_then(|mut file| {
            file.write_all(contents)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// A folder that existed already is left as it is (it may be shared, or the current one), but
/// one that others can list is said: the file is 0600, its name is not hidden.
fn warn_open_dir(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = std::fs::metadata(dir) {
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                output::warn(&format!(
                    "the folder {} is open to other users (mode {mode:o}); the config file is \
                     0600, but to keep others out of the folder too, run: chmod 700 {}",
                    dir.display(),
                    dir.display()
                ));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
