//! `kiriminaja completions SHELL`: a completion script generated from the CLI definition.

use std::io::Write;

use clap_complete::Shell;

use crate::exit::Exit;
use crate::output::Output;

/// The script for one shell. Generated into memory: clap_complete panics on a failed write, and
/// a closed pipe must not panic.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "kiriminaja", &mut script);
    script
}

pub fn run(shell: Shell, out: &mut Output) -> anyhow::Result<Exit> {
    out.write_all(&script(shell))?;
    Ok(Exit::Success)
}
