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
    let commands: [&[&str]; 10] = [
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
