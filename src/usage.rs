//! Parsing the command line, with usage errors in our shape: `kiriminaja: error: …` and a
//! `hint: …` line (clap's own suggestions kept), exit 2. Help and version print as usual.

use std::ffi::OsString;

use clap::FromArgMatches;
use clap::error::ErrorKind;

use crate::cli::Cli;
use crate::exit::Exit;
use crate::output;

/// The parsed command line, or the exit of a run that ended here (help, version, usage error),
/// its output already printed.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, Exit> {
    let args: Vec<OsString> = args.into_iter().collect();
    let mut command = crate::cli::command();
    let parsed = command
        .try_get_matches_from_mut(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let err = match parsed {
        Ok(cli) => return Ok(cli),
        Err(err) => err,
    };
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // To stdout; a closed pipe (`--help | head -1`) is not an error.
            let _ = err.print();
            Err(Exit::Success)
        }
        // `kiriminaja` or `kiriminaja config` alone: the help, on stderr.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            Err(Exit::Usage)
        }
        _ => {
            let (message, hint) = describe(&err.render().to_string(), &command_path(&args));
            output::error(&message, Some(&hint));
            Err(Exit::Usage)
        }
    }
}

/// `kiriminaja config init`: the commands named on the command line.
fn command_path(args: &[OsString]) -> String {
    let mut command = crate::cli::command();
    let mut path = vec!["kiriminaja".to_owned()];
    for arg in args.iter().skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        match command.find_subcommand(arg) {
            Some(sub) => {
                path.push(sub.get_name().to_owned());
                command = sub.clone();
            }
            None if arg == "--" => break,
            None => {}
        }
    }
    path.join(" ")
}

/// clap's rendered error (plain text) as a one-line message and a hint.
fn describe(rendered: &str, command: &str) -> (String, String) {
    let mut paragraphs = rendered
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let first = paragraphs.next().unwrap_or("invalid command line");
    let message = first
        .strip_prefix("error:")
        .unwrap_or(first)
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let mut hints = Vec::new();
    for paragraph in paragraphs {
        for line in paragraph.lines().map(str::trim) {
            let Some(tip) = line.strip_prefix("tip:").map(str::trim) else {
                continue;
            };
            // "to pass '-1' as a value, use '-- -1'": after `--` every word is an ID, which
            // is not what anyone who typed `--retries -1` meant.
            if let Some(value) = tip
                .strip_prefix("to pass '")
                .and_then(|rest| rest.split_once("' as a value"))
                .map(|(value, _)| value)
            {
                hints.push(format!(
                    "`{command}` has no option {value}; a value that starts with '-' is \
                     written after '=', as in --timeout=-1s"
                ));
            } else {
                hints.push(tip.to_owned());
            }
        }
    }
    hints.push(format!("see `{command} --help`"));
    (message, hints.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clap_error_becomes_one_line_and_a_hint() {
        let rendered = "error: unexpected argument '--jsn' found\n\n  tip: a similar argument \
                        exists: '--json'\n\nUsage: kiriminaja track [OPTIONS] [ID]...\n\nFor \
                        more information, try '--help'.\n";
        let (message, hint) = describe(rendered, "kiriminaja track");
        assert_eq!(message, "unexpected argument '--jsn' found");
        assert_eq!(
            hint,
            "a similar argument exists: '--json'; see `kiriminaja track --help`"
        );
    }

    #[test]
    fn missing_arguments_are_listed_on_the_line() {
        let rendered = "error: the following required arguments were not provided:\n  \
                        <SHELL>\n\nUsage: kiriminaja completions <SHELL>\n";
        let (message, _) = describe(rendered, "kiriminaja completions");
        assert_eq!(
            message,
            "the following required arguments were not provided: <SHELL>"
        );
    }

    #[test]
    fn a_value_with_a_dash_is_not_told_to_follow_double_dash() {
        let rendered = "error: unexpected argument '-1s' found\n\n  tip: to pass '-1s' as a \
                        value, use '-- -1s'\n\nUsage: kiriminaja track [OPTIONS] [ID]...\n";
        let (_, hint) = describe(rendered, "kiriminaja track");
        assert!(!hint.contains("-- -1s"), "{hint}");
        assert!(hint.contains("has no option -1s"), "{hint}");
    }

    #[test]
    fn the_command_path_follows_subcommands_only() {
        let args = |list: &[&str]| -> Vec<OsString> { list.iter().map(OsString::from).collect() };
        assert_eq!(
            command_path(&args(&[
                "kiriminaja",
                "--color",
                "never",
                "config",
                "init",
                "x"
            ])),
            "kiriminaja config init"
        );
        assert_eq!(
            command_path(&args(&["kiriminaja", "track", "config"])),
            "kiriminaja track"
        );
    }
}
