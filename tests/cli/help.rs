//! Help, version, man page and the committed completion scripts.

use std::path::Path;

use crate::support::*;

const SHELLS: [(&str, &str); 5] = [
    ("bash", "kiriminaja.bash"),
    ("zsh", "_kiriminaja"),
    ("fish", "kiriminaja.fish"),
    ("powershell", "_kiriminaja.ps1"),
    ("elvish", "kiriminaja.elv"),
];

#[test]
fn committed_completions_match_the_cli() {
    let env = Env::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in SHELLS {
        let r = run(env.cmd().args(["completions", shell]));
        assert_eq!(r.code, 0);
        assert!(
            r.stdout == read(&dir.join(file)),
            "completions/{file} is out of date; regenerate with:\n  \
             for s in bash zsh fish powershell elvish; do …; done (see README, Completions)"
        );
    }
}

#[test]
fn every_command_has_examples_in_its_help() {
    let env = Env::new();
    let commands: [&[&str]; 13] = [
        &[],
        &["track"],
        &["watch"],
        &["decode-event"],
        &["listen"],
        &["callback"],
        &["callback", "set"],
        &["config"],
        &["completions"],
        &["man"],
        &["parcels"],
        &["sync"],
        &["store"],
    ];
    for command in commands {
        let r = run(env.cmd().args(command).arg("--help"));
        assert_eq!(r.code, 0, "{command:?}");
        assert!(r.stdout.contains("Examples:"), "{command:?}:\n{}", r.stdout);
    }
}

#[test]
fn version_and_man_page() {
    let env = Env::new();
    let r = run(env.cmd().arg("--version"));
    assert_eq!(
        r.stdout,
        format!("kiriminaja {}\n", env!("CARGO_PKG_VERSION"))
    );
    let r = run(env.cmd().arg("man"));
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains(".TH kiriminaja 1"),
        "{}",
        &r.stdout[..200]
    );
    assert!(r.stdout.contains("track"));
}

#[test]
fn unknown_flags_are_usage_errors() {
    let env = Env::new();
    let r = run(env.cmd().args(["track", "--bogus"]));
    assert_eq!(r.code, 2);
    let r = run(&mut env.cmd());
    assert_eq!(r.code, 2);
}

/// Every command's path, from the top (`[]`) down (`["config", "init"]`).
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, paths: &mut Vec<Vec<String>>) {
        paths.push(path.clone());
        for sub in cmd.get_subcommands() {
            let mut sub_path = path.clone();
            sub_path.push(sub.get_name().to_owned());
            walk(sub, sub_path, paths);
        }
    }
    let mut paths = Vec::new();
    walk(&kiriminaja::cli::command(), Vec::new(), &mut paths);
    paths
}

fn after_help(path: &[String]) -> Option<String> {
    let mut cmd = kiriminaja::cli::command();
    for name in path {
        cmd = cmd.find_subcommand(name).unwrap().clone();
    }
    cmd.get_after_help().map(|text| text.to_string())
}

#[test]
fn at_80_columns_examples_and_footers_are_not_reflowed() {
    let env = Env::new();
    let paths = command_paths();
    assert!(paths.len() >= 12, "{paths:?}");
    for path in paths {
        let r = run(env.cmd().env("COLUMNS", "80").args(&path).arg("--help"));
        assert_eq!(r.code, 0, "{path:?}");
        assert!(
            r.stdout.lines().all(|line| line.chars().count() <= 80),
            "{path:?}:\n{}",
            r.stdout
        );
        if let Some(text) = after_help(&path) {
            assert!(
                r.stdout.contains(&text),
                "{path:?}: the footer was reflowed at 80 columns:\n{}",
                r.stdout
            );
        }
    }
}

#[test]
fn the_track_example_does_not_filter_comments_by_hand() {
    let env = Env::new();
    let r = run(env.cmd().args(["track", "--help"]));
    assert!(!r.stdout.contains("grep -v"), "{}", r.stdout);
}

#[test]
fn global_options_have_their_own_heading_and_only_where_they_do_something() {
    let env = Env::new();
    let r = run(env.cmd().env("COLUMNS", "80").args(["track", "-h"]));
    let (own, global) = r.stdout.split_once("Global options:\n").unwrap();
    for flag in ["--config", "--profile", "--base-url", "--color"] {
        assert!(!own.contains(flag), "{flag} among track's own options");
        assert!(global.contains(flag), "{flag} not under Global options");
    }
    assert!(own.contains("--concurrency"));
    for command in ["completions", "man", "help"] {
        let r = run(env.cmd().args([command, "-h"]));
        assert_eq!(r.code, 0, "{command} -h: {}", r.stderr);
        assert!(
            !r.stdout.contains("--config") && !r.stdout.contains("Global options"),
            "{command} -h:\n{}",
            r.stdout
        );
    }
    // Still accepted there, as everywhere.
    let r = run(env.cmd().args(["--color", "never", "man"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn help_subcommand_prints_any_commands_help() {
    let env = Env::new();
    let r = run(env.cmd().args(["help", "-h"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Usage: kiriminaja help"), "{}", r.stdout);
    let r = run(env.cmd().args(["help", "config", "init"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let direct = run(env.cmd().args(["config", "init", "--help"]));
    assert_eq!(r.stdout, direct.stdout);
    let r = run(env.cmd().args(["help", "trak"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("kiriminaja: error: `kiriminaja` has no command `trak`"),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_have_the_documented_shape() {
    let env = Env::new();
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["track", "--jsn", "X"],
            "kiriminaja: error: unexpected argument '--jsn' found\n",
            "hint: a similar argument exists: '--json'; see `kiriminaja track --help`\n",
        ),
        (
            &["trak", "X"],
            "kiriminaja: error: unrecognized subcommand 'trak'\n",
            "hint: a similar subcommand exists: 'track'; see `kiriminaja --help`\n",
        ),
        (
            &["track", "--retries", "-1", "X"],
            "kiriminaja: error: invalid value '-1' for '--retries <N>': -1 is not in 0..=10\n",
            "hint: see `kiriminaja track --help`\n",
        ),
        (
            &["config", "init", "--bogus"],
            "kiriminaja: error: unexpected argument '--bogus' found\n",
            "hint: see `kiriminaja config init --help`\n",
        ),
        (
            &["completions"],
            "kiriminaja: error: the following required arguments were not provided: <SHELL>\n",
            "hint: see `kiriminaja completions --help`\n",
        ),
    ];
    for (args, error, hint) in cases {
        let r = run(env.cmd().args(args));
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert_eq!(r.stderr, format!("{error}{hint}"), "{args:?}");
    }
    // A dash value elsewhere is not told to follow `--` (which would make it an ID).
    let r = run(env.cmd().args(["watch", "--interval", "-5s", "X"]));
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("'-- "), "{}", r.stderr);
    assert!(r.stderr.contains("\nhint: "), "{}", r.stderr);
    // Help and version are not errors.
    let r = run(env.cmd().arg("--help"));
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert!(r.stdout.starts_with("Track KiriminAja parcels"));
}

/// `kiriminaja-config-init(1)` and the like in a page, `\-` read as `-`.
fn references(page: &str) -> Vec<String> {
    let page = page.replace("\\-", "-");
    let mut refs = Vec::new();
    let mut rest = page.as_str();
    while let Some(at) = rest.find("kiriminaja") {
        rest = &rest[at..];
        let end = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with("(1)") {
            refs.push(format!("{}.1", &rest[..end]));
        }
        rest = &rest[end..];
    }
    refs
}

#[test]
fn man_dir_writes_a_page_per_command_that_names_only_pages_that_exist() {
    let env = Env::new();
    let dir = env.home.path().join("man/man1");
    let r = run(env.cmd().args(["man", "--dir"]).arg(&dir));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    for path in command_paths() {
        let mut name = String::from("kiriminaja");
        for part in &path {
            name.push('-');
            name.push_str(part);
        }
        let page = dir.join(format!("{name}.1"));
        assert!(page.exists(), "no page for {path:?}");
        let text = read(&page);
        for section in [
            ".SH OPTIONS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
        ] {
            assert!(text.contains(section), "{name}.1 has no {section}");
        }
        for reference in references(&text) {
            assert!(
                dir.join(&reference).exists(),
                "{name}.1 names {reference}, which does not exist"
            );
        }
    }
    // `man` alone prints the top page.
    let r = run(env.cmd().arg("man"));
    assert_eq!(r.stdout, read(&dir.join("kiriminaja.1")));
}

#[test]
fn the_readme_exit_code_table_is_the_programs() {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let table: Vec<String> = kiriminaja::exit::TABLE
        .iter()
        .map(|(exit, _, meaning)| format!("| {} | {meaning} |", exit.code()))
        .collect();
    let expected = format!("| code | meaning |\n|---|---|\n{}\n", table.join("\n"));
    assert!(
        readme.contains(&expected),
        "README.md's exit-code table differs from kiriminaja::exit::TABLE; it should read:\n{expected}"
    );
}
