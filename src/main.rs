use std::process::ExitCode;

use kiriminaja::exit::{self, Exit};
use kiriminaja::output;

fn main() -> ExitCode {
    let cli = match kiriminaja::usage::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(exit) => return exit.into(),
    };
    match kiriminaja::run(cli) {
        Ok(exit) => exit.into(),
        // `kiriminaja track … | head`: the reader has what it wanted.
        Err(err) if exit::is_broken_pipe(&err) => Exit::Success.into(),
        Err(err) => {
            output::error(&format!("{err:#}"), exit::hint(&err).as_deref());
            exit::classify(&err).into()
        }
    }
}
