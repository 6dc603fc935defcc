//! `kiriminaja help [COMMAND...]`: the long help of kiriminaja or of a command, as `--help`
//! prints it. Ours rather than clap's, so that `kiriminaja help -h` is help, not an error.

use std::io::Write;

use crate::error::Error;
use crate::exit::Exit;
use crate::output::Output;

pub fn run(path: &[String], out: &mut Output) -> anyhow::Result<Exit> {
    let mut cli = crate::cli::command();
    // Sets each command's usage line (`kiriminaja config init`).
    cli.build();
    let mut cmd = &mut cli;
    for name in path {
        let parent = cmd
            .get_display_name()
            .unwrap_or("kiriminaja")
            .replace('-', " ");
        cmd = cmd.find_subcommand_mut(name).ok_or_else(|| {
            Error::Usage(format!(
                "`{parent}` has no command `{name}` (see `{parent} --help`)"
            ))
        })?;
    }
    write!(out, "{}", cmd.render_long_help())?;
    Ok(Exit::Success)
}
