//! `kiriminaja`: track KiriminAja parcels from the command line.
//!
//! The binary is a thin `main` around [`run`]; the modules are public so that tests, fuzzers and
//! benchmarks can reach the logic.

pub mod api;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
pub mod event;
pub mod exit;
pub mod ids;
pub mod lenient;
pub mod model;
pub mod output;
pub mod render;
pub mod status;
pub mod time;

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use cli::{Cli, Command, GlobalArgs, NetArgs};
use config::{Overrides, Settings};
use exit::Exit;
use output::Output;

/// The first retry delay; later ones double, with jitter.
const BACKOFF: Duration = Duration::from_millis(500);

/// Runs a parsed command line and says how to exit.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let env = |name: &str| std::env::var(name).ok();
    let color = render::color_enabled(cli.global.color, std::io::stdout().is_terminal(), &env);
    let mut out = Output::stdout(color);
    let exit = match &cli.command {
        Command::Track(args) => cmd::track::run(&cli.global, args, &mut out)?,
        Command::DecodeEvent(args) => cmd::decode_event::run(&cli.global, args, &mut out)?,
    };
    out.flush()?;
    Ok(exit)
}

/// Resolves settings from the global flags, the environment and the config file, and prints
/// their warnings.
pub fn settings(global: &GlobalArgs, timeout: Option<Duration>) -> anyhow::Result<Settings> {
    let overrides = Overrides {
        config: global.config.clone(),
        profile: global.profile.clone(),
        base_url: global.base_url.clone(),
        timeout,
    };
    let settings = config::resolve(&overrides, &|name| std::env::var(name).ok())?;
    for warning in &settings.warnings {
        output::warn(warning);
    }
    Ok(settings)
}

/// The one HTTP client of a run.
pub fn client(settings: &Settings, net: &NetArgs) -> anyhow::Result<api::Client> {
    let key = settings.require_key()?;
    api::Client::new(
        key,
        api::ClientOptions {
            base_url: settings.base_url.value.clone(),
            timeout: settings.timeout.value,
            retries: net.retries,
            backoff: BACKOFF,
        },
    )
}

/// Runs async work on a single-threaded runtime (the work is I/O-bound); Ctrl-C ends it at once
/// with exit 130.
pub fn block_on_interruptible<F>(work: F) -> anyhow::Result<Exit>
where
    F: Future<Output = anyhow::Result<Exit>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        tokio::select! {
            result = work => result,
            _ = tokio::signal::ctrl_c() => Ok(Exit::Interrupted),
        }
    })
}
