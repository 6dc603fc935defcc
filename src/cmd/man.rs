//! `kiriminaja man`: the manual page (roff), generated from the CLI definition.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::Exit;
use crate::output::Output;

pub fn run(out: &mut Output) -> anyhow::Result<Exit> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(Exit::Success)
}
