use std::process::ExitCode;

use kiriminaja::exit::Exit;
use kiriminaja::{output, report};

fn main() -> ExitCode {
    let cli = match kiriminaja::usage::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(exit) => return exit.into(),
    };
    match kiriminaja::run(cli) {
        Ok(exit) => exit.into(),
        // `kiriminaja track … | head`: the reader has what it wanted.
        Err(err) if report::is_broken_pipe(&err) => Exit::Success.into(),
        Err(err) => {
            output::error(&format!("{err:#}"), report::hint(&err).as_deref());
            report::classify(&err).into()
        }
    }
}
