//! The README's examples are the real output: each `console` and `json` example is run (against
//! the fake server, or the repo's example files) and compared. `…` in an example stands for what
//! it leaves out: a line `  …` for the rest of the output, a JSON string `"…"` for any value.

use std::path::Path;

use serde_json::Value;

use crate::fake_api::FakeApi;
use crate::support::*;

/// The fenced blocks of the README with this info string: the line each starts on, and its text.
fn blocks(info: &str) -> Vec<(usize, String)> {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let mut found = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in readme.lines().enumerate() {
        match &mut current {
            None if line == format!("```{info}") => current = Some((n + 2, String::new())),
            Some(_) if line == "```" => found.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    found
}

/// Whether `actual` is what `expected` shows, `"…"` standing for any value.
fn matches(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(s), _) if s == "…" => true,
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len()
                && e.iter()
                    .all(|(k, v)| a.get(k).is_some_and(|other| matches(v, other)))
        }
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(e, a)| matches(e, a))
        }
        _ => expected == actual,
    }
}

/// The example's lines after its command are the real output's, up to a line that is only `…`.
fn assert_shows(line: usize, example: &[&str], actual: &str) {
    let actual: Vec<&str> = actual.lines().collect();
    let shown = example
        .iter()
        .position(|l| l.trim() == "…")
        .unwrap_or(example.len());
    if shown == example.len() {
        assert_eq!(example, &actual[..], "README line {line}");
    } else {
        assert!(actual.len() > shown, "README line {line}: {actual:?}");
        assert_eq!(&example[..shown], &actual[..shown], "README line {line}");
    }
}

/// The lines of a terminal screen with each hanging-indent continuation (a line that starts
/// under the text column of a timeline) joined back onto the line it continues.
fn unwrap_hanging(lines: &[&str]) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    for line in lines {
        let indent = line.len() - line.trim_start().len();
        match joined.last_mut() {
            Some(last) if indent >= 20 && !line.trim().is_empty() => {
                last.push(' ');
                last.push_str(line.trim_start());
            }
            _ => joined.push((*line).to_owned()),
        }
    }
    joined
}

/// The files of examples/store/, imported into the store the README's `parcels` example reads.
const STORE_EXAMPLES: [&str; 3] = ["pushes.jsonl", "OID-8790000113.json", "OID-8790000116.json"];

/// A table line with each "how long ago" cell (`699d ago`, with the blanks after it) made
/// `(age) `: the example store's times are fixed (January 2025), but `parcels` counts their age
/// from today, so the README's ages are those of the day it was written. The column is as wide
/// as its header (`Last update`) for any age under 27 years, so the rest of the line is the same.
fn same_ages(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(" ago") {
        match age_start(&rest[..at]) {
            Some(start) => {
                out.push_str(&rest[..start]);
                out.push_str("(age) ");
                rest = rest[at + 4..].trim_start();
            }
            None => {
                out.push_str(&rest[..at + 4]);
                rest = &rest[at + 4..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the age that `before` ends with starts: `45m`, `3h`, `699d`, `2d 4h`.
fn age_start(before: &str) -> Option<usize> {
    let bytes = before.as_bytes();
    let number = |end: usize| {
        let mut i = end;
        while i > 0 && bytes[i - 1].is_ascii_digit() {
            i -= 1;
        }
        (i < end).then_some(i)
    };
    let unit = bytes.len().checked_sub(1)?;
    if !matches!(bytes[unit], b'd' | b'h' | b'm') {
        return None;
    }
    let start = number(unit)?;
    // `2d 4h`: the days before the hours.
    if bytes[unit] == b'h'
        && start >= 2
        && bytes[start - 1] == b' '
        && bytes[start - 2] == b'd'
        && let Some(days) = number(start - 2)
    {
        return Some(days);
    }
    Some(start)
}

fn in_repo(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn console_examples_are_the_real_output() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let mut checked = 0;
    for (line, text) in blocks("console") {
        let lines: Vec<&str> = text.lines().collect();
        let command = lines[0]
            .strip_prefix("$ kiriminaja ")
            .unwrap_or_else(|| panic!("README line {line}: not a kiriminaja command"));
        let args: Vec<&str> = command.split_whitespace().collect();
        match args[0] {
            // The README shows an 80-column terminal, where long lines wrap under their text
            // (tests/cli/terminal.rs checks that screen); in a pipe each line stays whole.
            // Several IDs: the batch table as an 80-column terminal shows it, checked there by
            // tests/cli/fake_api.rs.
            "track" if args.iter().filter(|a| a.starts_with("OID-")).count() > 1 => continue,
            "track" => {
                let r = run(in_repo(&mut env.api(&server.url)).args(&args));
                assert_eq!(r.code, 0, "README line {line}: {}", r.stderr);
                let unwrapped = unwrap_hanging(&lines[1..]);
                let unwrapped: Vec<&str> = unwrapped.iter().map(String::as_str).collect();
                assert_shows(line, &unwrapped, &r.stdout);
            }
            "decode-event" => {
                let r = run(in_repo(&mut env.cmd()).args(&args));
                assert_eq!(r.code, 0, "README line {line}: {}", r.stderr);
                assert_shows(line, &lines[1..], &r.stdout);
            }
            // Its note on stderr comes first, then its answer on stdout.
            "callback" => {
                let r = run(in_repo(&mut env.api(&server.url)).args(&args));
                assert_eq!(r.code, 0, "README line {line}: {}", r.stderr);
                assert_shows(line, &lines[1..], &format!("{}{}", r.stderr, r.stdout));
            }
            // A server that runs until stopped, on a port and log path of the reader's own:
            // its output is checked by tests/cli/listen.rs.
            "listen" => continue,
            // Polls over time at a terminal: checked by tests/cli/terminal.rs.
            "watch" => continue,
            // The store of the repo's examples/store/, as an 80-column terminal shows it.
            "parcels" => {
                let imported = run(in_repo(&mut env.cmd())
                    .args(["store", "import"])
                    .args(STORE_EXAMPLES.iter().map(|f| format!("examples/store/{f}"))));
                assert_eq!(imported.code, 0, "README line {line}: {}", imported.stderr);
                let screen = in_pty_typing(&env, &args, &[]).screen(80);
                let screen: Vec<String> = screen.iter().map(|l| same_ages(l)).collect();
                let example: Vec<String> = lines[1..].iter().map(|l| same_ages(l)).collect();
                let screen: Vec<&str> = screen.iter().map(String::as_str).collect();
                let example: Vec<&str> = example.iter().map(String::as_str).collect();
                assert_eq!(
                    example,
                    &screen[..example.len()],
                    "README line {line}:\n{}",
                    screen.join("\n")
                );
                assert!(
                    screen[example.len()..].iter().all(|l| l.is_empty()),
                    "README line {line}:\n{}",
                    screen.join("\n")
                );
            }
            other => panic!("README line {line}: no check for `{other}` examples"),
        }
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} examples checked");
}

#[test]
fn json_examples_are_the_real_output() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let mut checked = 0;
    for (line, text) in blocks("json") {
        // `listen`'s log record (`"data":[…]` is not JSON): checked by tests/cli/listen.rs.
        if text.contains("\"received_at\"") {
            continue;
        }
        let example: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("README line {line}: not JSON: {e}"));
        let actual = if example["found"] == false {
            let query = example["query"].as_str().unwrap();
            let r = run(env.api(&server.url).args(["track", query, "--json"]));
            assert_eq!(r.code, 3, "README line {line}: {}", r.stderr);
            r.json_lines().remove(0)
        } else if example.get("method").is_some() {
            // The captured request in the repo, verified with its own made-up key.
            let r = run(in_repo(&mut env.cmd())
                .env("KIRIMINAJA_API_KEY", "kja-example-4d1f8b2c9e7a6035")
                .args([
                    "decode-event",
                    "--json",
                    "examples/events/captured-request.http",
                ]));
            assert_eq!(r.code, 0, "README line {line}: {}", r.stderr);
            r.json_lines().remove(0)
        } else {
            panic!("README line {line}: no check for this example");
        };
        assert!(
            matches(&example, &actual),
            "README line {line} is not the real output:\n{example:#}\nreal:\n{actual:#}"
        );
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} examples checked");
}
