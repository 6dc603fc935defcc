//! `kiriminaja`: track KiriminAja parcels from the command line.
//!
//! The binary is a thin `main` around [`run`]; the modules are public so that tests, fuzzers and
//! benchmarks can reach the logic.

pub mod api;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
pub mod exit;
pub mod ids;
pub mod input;
pub mod instant;
pub mod jq;
pub mod lenient;
pub mod listen;
pub mod model;
pub mod output;
pub mod push;
pub mod render;
pub mod report;
pub mod runtime;
pub mod scrub;
pub mod signals;
pub mod status;
pub mod store;
pub mod text;
pub mod time;
pub mod usage;
pub mod watch;

use std::io::{IsTerminal, Write};

use cli::{Cli, Command};
use exit::Exit;
use output::Output;

/// Runs a parsed command line and says how to exit.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    // Compiled before anything is read or sent: a bad expression is a usage error at once.
    let jq = match cli.command.json_args().and_then(|args| args.jq.as_deref()) {
        Some(expr) => Some(std::rc::Rc::new(jq::Jq::compile(expr, |message| {
            output::error(message, None)
        })?)),
        None => None,
    };
    let writes_data = matches!(
        cli.command,
        Command::Track(_)
            | Command::Watch(_)
            | Command::DecodeEvent(_)
            | Command::Parcels(_)
            | Command::Sync(_)
    );
    if writes_data && output::stdout_was_closed() {
        // Otherwise every request would be made for output that has nowhere to go.
        anyhow::bail!(
            "standard output is closed, so there is nowhere to write; \
             to discard the output, redirect it to /dev/null"
        );
    }
    let color = render::color_enabled(
        cli.global.color,
        std::io::stdout().is_terminal(),
        &config::env_var,
    );
    let mut out = Output::stdout(color);
    out.jq = jq;
    let exit = match &cli.command {
        Command::Track(args) => cmd::track::run(&cli.global, args, &mut out)?,
        Command::Watch(args) => cmd::watch::run(&cli.global, args, &mut out)?,
        Command::Config(command) => cmd::config::run(&cli.global, command, &mut out)?,
        Command::Completions { shell } => cmd::completions::run(*shell, &mut out)?,
        Command::Man(args) => cmd::man::run(args, &mut out)?,
        Command::Help { command } => cmd::help::run(command, &mut out)?,
        Command::DecodeEvent(args) => cmd::decode_event::run(&cli.global, args, &mut out)?,
        Command::Listen(args) => cmd::listen::run(&cli.global, args, &mut out)?,
        Command::Callback(command) => cmd::callback::run(&cli.global, command, &mut out)?,
        Command::Parcels(args) => cmd::parcels::run(&cli.global, args, &mut out)?,
        Command::Sync(args) => cmd::sync::run(&cli.global, args, &mut out)?,
        Command::Store(command) => cmd::store::run(&cli.global, command, &mut out)?,
    };
    out.flush()?;
    // Each failure was reported as it happened and the run went on; the exit code says the
    // output is not complete. Not for `listen`, which only ends by a signal: its exit says how
    // it was stopped (SIGTERM is 0, a service stopped as asked, as systemd expects).
    let jq_decides = !matches!(cli.command, Command::Listen(_));
    if jq_decides && out.jq_failures() > 0 {
        return Ok(exit.worst(Exit::Usage));
    }
    Ok(exit)
}
