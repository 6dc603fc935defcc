//! The command-line definition (clap derive). Nothing here acts; `lib.rs` resolves it.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::config::Service;
use crate::render::ColorChoice;

const ABOUT: &str =
    "Track KiriminAja parcels: timelines, batch tables, JSON for jq, exit codes for scripts";

// Help text is judged at 80 columns: every line of an after-help below is at most 78 characters,
// so that clap never wraps an example in the middle of a command (a test checks it).

const MAIN_EXAMPLES: &str = "\
Examples:
  kiriminaja track OID-8793949106
  kiriminaja track --file ids.txt --jq 'select(.status.final | not) | .query'
  kiriminaja track --from-file response.json
  kiriminaja decode-event captured-request.http
  kiriminaja listen --forward-to http://127.0.0.1:3000/hook";

/// The heading of the options every command takes.
pub const GLOBAL_HEADING: &str = "Global options";

/// The top-level help's footer: examples, then the exit codes from [`crate::exit::TABLE`].
fn main_after_help() -> String {
    format!("{MAIN_EXAMPLES}\n\n{}", exit_codes_footer())
}

/// `Exit codes: 0 ok · 1 unexpected · …`, broken between entries to fit 78 columns.
pub fn exit_codes_footer() -> String {
    const WIDTH: usize = 78;
    let mut text = String::from("Exit codes:");
    let mut line_len = text.chars().count();
    let entries = crate::exit::TABLE
        .iter()
        .map(|(exit, short, _)| format!("{} {short}", exit.code()));
    let last = crate::exit::TABLE.len() - 1;
    for (i, entry) in entries.enumerate() {
        let entry = if i == last {
            entry
        } else {
            format!("{entry} ·")
        };
        let len = entry.chars().count();
        if line_len + 1 + len > WIDTH {
            text.push_str("\n ");
            line_len = 1;
        }
        text.push(' ');
        text.push_str(&entry);
        line_len += 1 + len;
    }
    text.push_str("\n(details: man kiriminaja, EXIT STATUS; or the README)");
    text
}

/// The command line as clap sees it: the derive's definition, with the global options hidden
/// where they do nothing (`completions`, `man`, `help`: they are still accepted there). Parse,
/// complete and document with this, not with `Cli::command()`.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cli = Cli::command();
    let globals: Vec<clap::Arg> = cli
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .cloned()
        .collect();
    ["completions", "man", "help"]
        .into_iter()
        .fold(cli, |cli, name| {
            cli.mut_subcommand(name, |sub| {
                // A subcommand that has an argument of a global's id does not get the global.
                sub.args(
                    globals
                        .iter()
                        .map(|arg| arg.clone().global(false).hide(true)),
                )
            })
        })
}

#[derive(Debug, Parser)]
#[command(
    name = "kiriminaja",
    version,
    about = ABOUT,
    after_help = main_after_help(),
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Config file to use [env: KIRIMINAJA_CONFIG] [default: the platform config dir's kiriminaja/config.toml]
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL_HEADING)]
    pub config: Option<PathBuf>,

    /// Named [profiles.NAME] table of the config file to use [env: KIRIMINAJA_PROFILE]
    #[arg(long, global = true, value_name = "NAME", help_heading = GLOBAL_HEADING)]
    pub profile: Option<String>,

    /// API base URL, or `production` / `sandbox` [env: KIRIMINAJA_BASE_URL] [default: production]
    #[arg(long, global = true, value_name = "URL", help_heading = GLOBAL_HEADING)]
    pub base_url: Option<String>,

    /// When to color output
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorChoice::Auto,
        help_heading = GLOBAL_HEADING
    )]
    pub color: ColorChoice,

    /// The parcel store (SQLite), or `off` [env: KIRIMINAJA_STORE] [default: parcels.db in the platform data dir]
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL_HEADING)]
    pub store: Option<PathBuf>,

    /// Use no parcel store: nothing is recorded or read from it
    #[arg(long, global = true, conflicts_with = "store", help_heading = GLOBAL_HEADING)]
    pub no_store: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show where parcels are: a timeline for one, a table for many
    #[command(after_help = TRACK_EXAMPLES)]
    Track(TrackArgs),

    /// Follow parcels until they reach a final status, printing only what changes
    #[command(after_help = WATCH_EXAMPLES)]
    Watch(WatchArgs),

    /// Decode captured push (webhook) payloads offline: show, verify, JSON for jq
    #[command(after_help = DECODE_EVENT_EXAMPLES)]
    DecodeEvent(DecodeEventArgs),

    /// Receive push events as a service: verified, on disk before acknowledged, forwarded
    #[command(after_help = LISTEN_EXAMPLES)]
    Listen(ListenArgs),

    /// List what the parcel store knows: a summary and a table, or JSON
    #[command(after_help = PARCELS_EXAMPLES)]
    Parcels(ParcelsArgs),

    /// Pull open parcels whose news is stale, record the answers, print what changed
    #[command(after_help = SYNC_EXAMPLES)]
    Sync(SyncArgs),

    /// Manage the parcel store: import, path, stats, prune
    #[command(subcommand, after_help = STORE_EXAMPLES, disable_help_subcommand = true)]
    Store(StoreCommand),

    /// Register the URL KiriminAja sends push events to
    #[command(subcommand, after_help = CALLBACK_EXAMPLES, disable_help_subcommand = true)]
    Callback(CallbackCommand),

    /// Set up and inspect the configuration (API key, base URL, profiles)
    #[command(subcommand, after_help = CONFIG_EXAMPLES, disable_help_subcommand = true)]
    Config(ConfigCommand),

    /// Print a shell completion script
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the manual page (roff), or write a page per command to a folder
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),

    /// Print the help of kiriminaja or of a command (`kiriminaja help config init`)
    Help {
        /// The command, and subcommand, whose help to print
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write kiriminaja.1 and a page per command (kiriminaja-track.1, …) into DIR instead of
    /// printing the top page
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl Command {
    /// The `--json` / `--jq` flags of the command, for those that print JSON.
    pub fn json_args(&self) -> Option<&JsonArgs> {
        match self {
            Command::Track(args) => Some(&args.json),
            Command::Watch(args) => Some(&args.json),
            Command::DecodeEvent(args) => Some(&args.json),
            Command::Config(ConfigCommand::Show { json }) => Some(json),
            Command::Listen(args) => Some(&args.json),
            Command::Callback(CallbackCommand::Set { json, .. }) => Some(json),
            Command::Parcels(args) => Some(&args.json),
            Command::Sync(args) => Some(&args.json),
            Command::Store(StoreCommand::Stats { json }) => Some(json),
            Command::Store(_) => None,
            Command::Config(_)
            | Command::Completions { .. }
            | Command::Man(_)
            | Command::Help { .. } => None,
        }
    }
}

const CONFIG_EXAMPLES: &str = "\
Examples:
  kiriminaja config init                         # asks for the key (hidden)
  pass show kiriminaja | kiriminaja config init  # the key from stdin
  kiriminaja --profile sandbox --base-url sandbox config init
  kiriminaja config check
  kiriminaja config show --jq .base_url.value";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  kiriminaja completions bash \\
    > ~/.local/share/bash-completion/completions/kiriminaja
  kiriminaja completions zsh > ~/.zfunc/_kiriminaja
  kiriminaja completions fish > ~/.config/fish/completions/kiriminaja.fish";

const MAN_EXAMPLES: &str = "\
Examples:
  kiriminaja man --dir ~/.cargo/share/man/man1 && man kiriminaja
  kiriminaja man | man -l -";

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write the API key (and production or sandbox) to the config file, mode 0600
    ///
    /// On a terminal it asks for the key without echoing it; otherwise it reads the key from
    /// stdin. With --profile NAME it writes a [profiles.NAME] table. Comments and other keys of
    /// an existing file are kept.
    Init(ConfigInitArgs),

    /// Show the effective settings and where each comes from (the key redacted)
    Show {
        #[command(flatten)]
        json: JsonArgs,
    },

    /// Print the path of the config file that would be used
    Path,

    /// Ask the API whether the key works (one harmless tracking request)
    Check,
}

#[derive(Debug, Args)]
pub struct ConfigInitArgs {
    /// Replace a key that is already there
    #[arg(long)]
    pub force: bool,

    /// Never prompt: fail instead when the key is not piped on stdin
    #[arg(long)]
    pub no_input: bool,
}

const TRACK_EXAMPLES: &str = "\
Examples:
  kiriminaja track OID-8793949106
  kiriminaja track OID-1 OID-2 OID-3 --timeline
  kiriminaja track --service instant GK-ORDER-1
  kiriminaja track --file ids.txt --concurrency 8 --json > parcels.jsonl
  kiriminaja track --file ids.txt --jq '[.query, .status.category] | @tsv'
  kiriminaja track --from-file saved-response.json --json";

#[derive(Debug, Args)]
pub struct TrackArgs {
    #[command(flatten)]
    pub input: IdArgs,

    #[command(flatten)]
    pub json: JsonArgs,

    /// Print every body the provider answered with, "not found" answers included
    #[arg(long, conflicts_with_all = ["json", "jq", "timeline"])]
    pub raw: bool,

    /// With several IDs, print each parcel's timeline after the table
    #[arg(long)]
    pub timeline: bool,

    /// Render a saved provider response instead of calling the API (`-` for stdin; no key needed)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["ids", "file", "raw", "service"])]
    pub from_file: Option<PathBuf>,

    /// Which tracking to ask: express couriers, instant deliveries (GoSend, GrabExpress), or
    /// express then instant [default: auto, or `service` in the config file]
    #[arg(long, value_enum, value_name = "SERVICE")]
    pub service: Option<Service>,

    /// Answer from the parcel store only, with no request, saying how old its news is (an ID
    /// the store does not know: exit 3)
    #[arg(long, conflicts_with_all = ["raw", "from_file", "service"])]
    pub cached: bool,

    #[command(flatten)]
    pub net: NetArgs,

    #[command(flatten)]
    pub request: RequestArgs,
}

/// The IDs a command works on, shared by `track` and `watch`.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// Order IDs or AWBs (at most 20 characters each)
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,

    /// Read IDs from a file, one per line, before the arguments (`-` for stdin; blank lines and
    /// # comments skipped)
    #[arg(long, short = 'f', value_name = "PATH")]
    pub file: Option<PathBuf>,
}

const DECODE_EVENT_EXAMPLES: &str = "\
Input: one JSON payload, several back to back or one per line (JSON Lines),
captured HTTP requests (`POST /path HTTP/1.1`, headers, blank line, JSON
body), or the log `listen` writes. A captured request is checked: POST, a JSON
content type, and `Authorization: Bearer` equal to your API key; its body is
exactly what its Content-Length (or chunked encoding) announces.

Examples:
  kiriminaja decode-event captured-request.http
  kiriminaja decode-event --verify captured-request.http && echo genuine
  kiriminaja decode-event log.jsonl --jq '.orders[] | [.order_id, .at] | @tsv'
  tail -f events.jsonl | kiriminaja decode-event --json --strict";

#[derive(Debug, Args)]
pub struct DecodeEventArgs {
    /// Files to read (`-` or none: stdin)
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub json: JsonArgs,

    /// Require captured HTTP requests carrying your API key as bearer token; payloads that fail
    /// are not printed, and the run exits 4
    #[arg(long)]
    pub verify: bool,

    /// Make an unknown method, or a time field that is not a time, an error (exit 6) instead of a
    /// warning
    #[arg(long)]
    pub strict: bool,
}

/// `--json` and `--jq`, the same on every command that prints JSON: flatten it into the
/// command's arguments, write through [`crate::render::json::write_line`], and list the command
/// in [`Command::json_args`].
#[derive(Debug, Clone, Default, Args)]
pub struct JsonArgs {
    /// Print JSON: one object per line (schema in the README)
    #[arg(long)]
    pub json: bool,

    /// Filter each JSON object through a jq expression; print strings raw and other results as
    /// compact JSON, one per line, as `jq -r` does (implies --json)
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
}

impl JsonArgs {
    /// True when the command should print JSON (`--json`, or `--jq` which implies it).
    pub fn enabled(&self) -> bool {
        self.json || self.jq.is_some()
    }
}

/// How each request of a batch is made: shared by `track` and `sync`.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// Retries of a request after a connection error, a timeout, HTTP 429 or 5xx
    #[arg(
        long,
        value_name = "N",
        default_value_t = 3,
        value_parser = clap::value_parser!(u32).range(0..=10),
        allow_negative_numbers = true
    )]
    pub retries: u32,

    /// Time limit for each request, e.g. 10s or 1m [default: 30s, or `timeout` in the config file]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
}

/// Network options shared by the commands that call the API.
#[derive(Debug, Args)]
pub struct NetArgs {
    /// Requests in flight at once, for batches
    #[arg(
        long,
        value_name = "N",
        default_value = "4",
        value_parser = parse_concurrency,
        allow_negative_numbers = true
    )]
    pub concurrency: NonZeroUsize,
}

const LISTEN_EXAMPLES: &str = "\
Requests are checked like `decode-event --verify`: a wrong or missing bearer
gets 401, another method 405, another content type 415, a body over 1 MiB 413,
a head or body slower than --read-timeout 408; a framing decode-event refuses
(both Content-Length and Transfer-Encoding, gzip, no length) 400, 415 or 411.
Each accepted event is appended to the log and synced before the 200.

Examples:
  kiriminaja listen                        # live view on 127.0.0.1:8080
  kiriminaja listen --addr 0.0.0.0:8080 --path /webhooks/kiriminaja \\
    --log /var/lib/kiriminaja/events.jsonl
  kiriminaja listen --jq '{event, orders: [.orders[].order_id]}'
  kiriminaja listen --forward-to http://127.0.0.1:3000/hooks/kiriminaja
  kiriminaja listen --exec 'jq -c . >> payloads.jsonl; \\
    notify-send \"$KIRIMINAJA_EVENT $KIRIMINAJA_ORDER_IDS\"'
  kiriminaja decode-event ~/.local/share/kiriminaja/events.jsonl  # the log

Stops within 10 s of SIGTERM, SIGINT or SIGHUP. To rotate the log, rename it
and send SIGUSR1: listen opens a new one. One listen per log (it is locked).

Exit status: 0 after SIGTERM · 130 after SIGINT · 129 after SIGHUP ·
 4 no API key, the address cannot be bound, or the log is another listen's
   or not an event log";

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to listen on, HOST:PORT (port 0 picks a free one; 0.0.0.0:PORT behind a proxy)
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,

    /// Accept only this path, e.g. /webhooks/kiriminaja (others get 404) [default: any path]
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,

    /// The event log (JSON Lines, appended) [default: events.jsonl in the platform data dir]
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// Each event as one JSON object per line (decode-event's schema plus received_at)
    #[command(flatten)]
    pub json: JsonArgs,

    /// Forward each logged event, in order, to your app (https, or http to loopback only)
    #[arg(long, value_name = "URL", value_parser = parse_forward_url)]
    pub forward_to: Option<reqwest::Url>,

    /// Run CMD through `sh -c` per event: the payload on stdin, KIRIMINAJA_METHOD,
    /// KIRIMINAJA_EVENT, KIRIMINAJA_ORDER_IDS and KIRIMINAJA_ORDER_IDS_JSON (whole ids, at most
    /// 64 KiB each), KIRIMINAJA_ORDER_COUNT and KIRIMINAJA_ORDER_IDS_LEFT_OUT set
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,

    /// Open connections at most; a new one closes the oldest idle one when all are taken
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub max_connections: u32,

    /// Time for a request's headers, and then its body, to arrive (else 408 or closed)
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_read_timeout)]
    pub read_timeout: Duration,
}

const CALLBACK_EXAMPLES: &str = "\
KiriminAja checks the URL before it accepts it (a public DNS name that already
answers), so start `kiriminaja listen` behind your https proxy first. One URL
per key: a new one replaces it.

Examples:
  kiriminaja callback set https://shop.example.id/webhooks/kiriminaja
  kiriminaja --base-url http://127.0.0.1:8080 \\
    callback set http://127.0.0.1:9000/hook       # a fake server";

#[derive(Debug, Subcommand)]
pub enum CallbackCommand {
    /// Register URL as the callback for your key (POST /api/mitra/set_callback)
    #[command(after_help = CALLBACK_EXAMPLES)]
    Set {
        /// The https URL KiriminAja will POST events to (http only to loopback, for testing)
        #[arg(value_name = "URL")]
        url: String,

        #[command(flatten)]
        json: JsonArgs,
    },
}

const WATCH_EXAMPLES: &str = "\
Examples:
  kiriminaja watch OID-8793949106
  kiriminaja watch OID-8793949106 --timeout 2d && notify-send 'Delivered'
  kiriminaja watch --file ids.txt --jq 'select(.type == \"final\")'
  kiriminaja watch OID-1 \\
    --exec 'notify-send \"$KIRIMINAJA_QUERY\" \"$KIRIMINAJA_TEXT\"'

Exit status: 0 all delivered · 7 any ended undelivered · 3 an ID never found ·
 4 key refused · 8 --timeout reached · 130 interrupted";

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub input: IdArgs,

    /// Which tracking to ask: express couriers, instant deliveries (GoSend, GrabExpress), or
    /// express then instant [default: auto, or `service` in the config file]
    #[arg(long, value_enum, value_name = "SERVICE")]
    pub service: Option<Service>,

    #[command(flatten)]
    pub json: JsonArgs,

    /// Poll at this fixed interval (1s to 1d) instead of the adaptive 1 → 2 → 5 → 15 minutes
    /// (instant deliveries: 30s → 1 → 2 → 5 minutes)
    #[arg(long, value_name = "DURATION", value_parser = parse_interval)]
    pub interval: Option<Duration>,

    /// Stop and exit 8 if parcels are still moving after this long, e.g. 2h or 2d (at most 365d)
    #[arg(long, value_name = "DURATION", value_parser = parse_watch_timeout)]
    pub timeout: Option<Duration>,

    /// Run CMD through `sh -c` after each change, with KIRIMINAJA_QUERY, KIRIMINAJA_STATUS_CODE,
    /// KIRIMINAJA_CATEGORY, KIRIMINAJA_FINAL and KIRIMINAJA_TEXT set
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,

    #[command(flatten)]
    pub net: NetArgs,

    /// Time limit for each request [default: 30s, or `timeout` in the config file]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub request_timeout: Option<Duration>,
}

pub fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::config::parse_duration(text)
}

/// The longest `watch --interval`: a parcel polled less than daily is not being watched.
pub const MAX_INTERVAL: Duration = Duration::from_secs(24 * 3600);
/// The longest `watch --timeout`.
pub const MAX_WATCH_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 3600);

fn parse_forward_url(text: &str) -> Result<reqwest::Url, String> {
    crate::listen::forward::parse_url(text)
}

/// The longest `listen --read-timeout`.
pub const MAX_READ_TIMEOUT: Duration = Duration::from_secs(600);

fn parse_read_timeout(text: &str) -> Result<Duration, String> {
    crate::config::parse_duration_within(text, Duration::ZERO, MAX_READ_TIMEOUT)
}

fn parse_interval(text: &str) -> Result<Duration, String> {
    crate::config::parse_duration_within(text, Duration::from_secs(1), MAX_INTERVAL)
}

fn parse_watch_timeout(text: &str) -> Result<Duration, String> {
    crate::config::parse_duration_within(text, Duration::ZERO, MAX_WATCH_TIMEOUT)
}

fn parse_concurrency(text: &str) -> Result<NonZeroUsize, String> {
    let n: usize = text
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number"))?;
    match NonZeroUsize::new(n) {
        Some(n) if n.get() <= 256 => Ok(n),
        _ => Err("must be between 1 and 256".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn every_help_footer_line_fits_78_columns() {
        fn check(cmd: &clap::Command) {
            if let Some(text) = cmd.get_after_help() {
                for line in text.to_string().lines() {
                    assert!(line.chars().count() <= 78, "{}: {line}", cmd.get_name());
                }
            }
            cmd.get_subcommands().for_each(check);
        }
        check(&command());
    }

    #[test]
    fn the_exit_code_footer_fits_78_columns_and_lists_every_code() {
        let footer = exit_codes_footer();
        assert!(footer.lines().all(|l| l.chars().count() <= 78), "{footer}");
        for (exit, short, _) in crate::exit::TABLE {
            assert!(footer.contains(&format!("{} {short}", exit.code())));
        }
    }
}

const PARCELS_EXAMPLES: &str = "\
Examples:
  kiriminaja parcels                      # everything the store knows
  kiriminaja parcels --stuck 3d           # open, no new status for 3 days
  kiriminaja parcels --category attempt --courier jne
  kiriminaja parcels --open --json --jq '[.order_id, .status.label] | @tsv'
  test -n \"$(kiriminaja parcels --stuck 2d --json)\" && echo 'stuck parcels'

Exit status: 0 (also when nothing matched: test the output, or use
 --fail-if-empty for exit 3) · 4 store unusable · 2 usage";

#[derive(Debug, Args)]
pub struct ParcelsArgs {
    /// Only parcels not in a final status
    #[arg(long)]
    pub open: bool,

    /// Only parcels in this category (new, transit, attempt, final, unknown; repeatable)
    #[arg(long, value_name = "CAT", value_parser = parse_category)]
    pub category: Vec<crate::status::Category>,

    /// Only open parcels whose latest status happened at least DURATION ago (e.g. 3d)
    #[arg(long, value_name = "DURATION", value_parser = parse_age)]
    pub stuck: Option<Duration>,

    /// Only parcels of this courier (its code: jne, sicepat, gosend, ...)
    #[arg(long, value_name = "CODE")]
    pub courier: Option<String>,

    /// Only parcels first seen within DURATION (e.g. 7d)
    #[arg(long, value_name = "DURATION", value_parser = parse_age)]
    pub since: Option<Duration>,

    /// At most N parcels in the table or JSON (the summary counts them all) [default: table
    /// 200, JSON all]
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

    /// Exit 3 when no parcel matched
    #[arg(long)]
    pub fail_if_empty: bool,

    #[command(flatten)]
    pub json: JsonArgs,
}

const SYNC_EXAMPLES: &str = "\
Pulls each open parcel whose last news (push or pull) is older than
--older-than, as track does (bounded concurrency, retries, Retry-After),
and prints what changed as watch does. Final parcels and parcels with
fresh news are never pulled.

Examples:
  kiriminaja sync                          # news older than 6h
  kiriminaja sync --older-than 1d --max 500
  kiriminaja sync --json --jq 'select(.type == \"final\")'
  # cron: 15 * * * * kiriminaja sync --max 1000 >> sync.log

Exit status: as track: 0 all answered · 3 an ID not found · 5 network ·
 4 key refused";

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Pull parcels whose last news is older than this [default: 6h]
    #[arg(long, value_name = "DURATION", default_value = "6h", value_parser = parse_age)]
    pub older_than: Duration,

    /// Pull at most N parcels in this run (the stalest first)
    #[arg(long, value_name = "N")]
    pub max: Option<u64>,

    #[command(flatten)]
    pub json: JsonArgs,

    #[command(flatten)]
    pub net: NetArgs,

    #[command(flatten)]
    pub request: RequestArgs,
}

const STORE_EXAMPLES: &str = "\
Examples:
  kiriminaja store import ~/.local/share/kiriminaja/events.jsonl
  kiriminaja store import payloads.jsonl saved-response.json
  kiriminaja store path
  kiriminaja store stats
  kiriminaja store prune --final-older-than 90d";

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Feed the store from files: listen's logs, push payloads, captured requests, saved
    /// tracking responses (importing twice changes nothing)
    Import {
        /// Files to read (`-` or none: stdin)
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },

    /// Print the path of the store that would be used
    Path,

    /// Parcels by category, history entries, size on disk, schema version
    Stats {
        #[command(flatten)]
        json: JsonArgs,
    },

    /// Remove final parcels whose last news is older than DURATION; print how many
    Prune {
        /// e.g. 90d
        #[arg(long, value_name = "DURATION", value_parser = parse_age, required = true)]
        final_older_than: Duration,
    },
}

/// An age (`3d`, `12h`): zero to 100 years.
fn parse_age(text: &str) -> Result<Duration, String> {
    crate::config::parse_duration_within(
        text,
        Duration::ZERO,
        Duration::from_secs(100 * 365 * 86400),
    )
}

fn parse_category(text: &str) -> Result<crate::status::Category, String> {
    use crate::status::Category;
    match text.trim().to_ascii_lowercase().as_str() {
        "new" => Ok(Category::New),
        "transit" => Ok(Category::Transit),
        "attempt" => Ok(Category::Attempt),
        "final" => Ok(Category::Final),
        "unknown" => Ok(Category::Unknown),
        _ => Err("one of new, transit, attempt, final, unknown".to_owned()),
    }
}
