//! Issue 18 A: what a new user saw at an 80-column terminal. Each test runs the binary on a
//! pseudo-terminal (`script`) and reads the screen it leaves at 80 columns.


use crate::support::*;

/// The screen at 80 columns, its trailing blank lines gone.
fn screen_of(run: &PtyRun) -> Vec<String> {
    let mut screen = run.screen(80);
    while screen.last().is_some_and(|l| l.is_empty()) {
        screen.pop();
    }
    screen
}

/// No line of the screen is wider than 80 columns, and none was wrapped by the terminal: a line
/// the terminal wrapped would be 80 wide exactly, followed by its tail at column 0.
fn assert_fits(run: &PtyRun) {
    let raw = String::from_utf8_lossy(&run.bytes).replace('\r', "");
    for line in raw.lines() {
        let plain = strip_escapes(line);
        assert!(
            unicode_width::UnicodeWidthStr::width(plain.as_str()) <= 80,
            "wider than 80 columns: {plain:?}\n{raw}"
        );
    }
}

fn strip_escapes(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for p in chars.by_ref() {
                    if p.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The README's first example is what the terminal shows, and its history lines wrap under
/// their text, never back to column 0 (item 1).
#[test]
fn the_readme_headline_example_is_the_screen_at_80_columns() {
    let env = Env::new();
    let delivered = example("responses/delivered.json");
    let run = in_pty_typing(
        &env,
        &["track", "--from-file", delivered.to_str().unwrap()],
        &[],
    );
    assert_eq!(run.code, 0);
    assert_fits(&run);
    let screen = screen_of(&run);
    let readme = read(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let block: Vec<&str> = readme
        .split("$ kiriminaja track OID-8793949106\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README's first example")
        .lines()
        .filter(|l| l.trim() != "…")
        .collect();
    assert!(block.len() > 10, "{block:?}");
    assert_eq!(&screen[..block.len()], &block[..], "{}", screen.join("\n"));
    // Every history line starts with the time or under the text column.
    let history = screen.iter().skip_while(|l| !l.starts_with("History"));
    for line in history.skip(1) {
        assert!(
            line.starts_with("  20") || line.starts_with(&" ".repeat(29)),
            "{line:?}\n{}",
            screen.join("\n")
        );
    }
}

/// The lines above the history (summary, route, item) wrap under their value too (item 1).
#[test]
fn long_detail_lines_wrap_under_their_value() {
    let env = Env::new();
    let mut body: serde_json::Value =
        serde_json::from_str(&read(&example("responses/delivered.json"))).unwrap();
    body["text"] = "Delivered to BAGUS SANTOSO WIJAYAKUSUMA | 14-07-2021 16:00 | \
                    KABUPATEN SLEMAN, DAERAH ISTIMEWA YOGYAKARTA"
        .into();
    body["details"]["origin"]["city"] = "Kabupaten Sleman, Daerah Istimewa Yogyakarta".into();
    body["details"]["destination"]["city"] = "Kabupaten Bantul, Daerah Istimewa Yogyakarta".into();
    let path = env.home.path().join("long.json");
    std::fs::write(&path, body.to_string()).unwrap();
    let run = in_pty_typing(&env, &["track", "--from-file", path.to_str().unwrap()], &[]);
    assert_eq!(run.code, 0);
    assert_fits(&run);
    let screen = screen_of(&run);
    let text = screen.join("\n");
    assert!(
        text.contains(
            "  Summary    Delivered to BAGUS SANTOSO WIJAYAKUSUMA | 14-07-2021 16:00 |\n\
             \x20            KABUPATEN SLEMAN, DAERAH ISTIMEWA YOGYAKARTA\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  Route      Kabupaten Sleman, Daerah Istimewa Yogyakarta → Kabupaten Bantul,\n\
             \x20            Daerah Istimewa Yogyakarta\n"
        ),
        "{text}"
    );
}
