//! Issue 12: what a new user tripped over at a real terminal and in real scripts.

use std::time::Duration;

use wiremock::matchers::{body_json, method};

use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn ok_json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn answer(server: &MockServer, id: &str, body: &str) {
    Mock::given(method("POST"))
        .and(body_json(serde_json::json!({ "order_id": id })))
        .respond_with(ok_json(body))
        .mount(server)
        .await;
}

/// `--raw` is every body the provider sent, its "not found" included, in the order asked.
#[tokio::test(flavor = "multi_thread")]
async fn raw_prints_every_body_not_found_included() {
    let server = MockServer::start().await;
    let delivered = read(&example("responses/delivered.json"));
    let not_found = read(&fixture("not_found.json"));
    answer(&server, "OID-OK", &delivered).await;
    answer(&server, "OID-NOPE", &not_found).await;
    let env = Env::new();
    let r = run(env.api(&server.uri()).args([
        "track",
        "OID-NOPE",
        "OID-OK",
        "--raw",
        "--service",
        "express",
    ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let mut expected = not_found.clone();
    if !expected.ends_with('\n') {
        expected.push('\n');
    }
    expected.push_str(&delivered);
    assert_eq!(r.stdout, expected);
    let _ = Duration::ZERO;
}

#[test]
fn a_push_event_given_to_track_points_to_decode_event() {
    let env = Env::new();
    for file in [
        "events/finished_packages.short.json",
        "events/captured-request.http",
    ] {
        let r = run(env.cmd().args(["track", "--from-file"]).arg(example(file)));
        assert_eq!(r.code, 6, "{}", r.stderr);
        assert!(r.stderr.contains("kiriminaja decode-event"), "{}", r.stderr);
    }
}

/// "not found: Data not found" said it twice.
#[test]
fn not_found_is_said_once() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["track", "--from-file", "-"])
        .write_stdin(r#"{"status": false, "text": "Data not found"}"#));
    assert_eq!(r.code, 3);
    assert_eq!(r.stderr, "kiriminaja: error: stdin: Data not found\n");
}

/// Connection refused is not helped by a longer timeout, and the hint does not say so.
#[test]
fn hints_fit_what_happened() {
    let env = Env::new();
    let r = run(env
        .api(&closed_port_url())
        .args(["track", "OID-1", "--retries", "0"]));
    assert_eq!(r.code, 5);
    assert!(!r.stderr.contains("--timeout"), "{}", r.stderr);
    let r = run(env.api(&closed_port_url()).args(["config", "check"]));
    assert_eq!(r.code, 5);
    assert!(!r.stderr.contains("--timeout"), "{}", r.stderr);
}

fn long_text_tracking(code: i64) -> String {
    let text = "Shipment received by the counter officer at the origin branch and forwarded \
                to the regional sorting hub for onward transport";
    tracking(
        code,
        &[
            ("2024-05-05 15:22:00", code, text),
            ("2024-05-05 09:35:00", 101, "Created"),
        ],
    )
}

/// A server answering every ID with a parcel in transit whose last event is long.
async fn long_text_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_json(&long_text_tracking(100)))
        .mount(&server)
        .await;
    server
}

/// The batch table on a terminal that reports no size (`script`'s pseudo-terminal is 0×0):
/// fitted to COLUMNS, every row on one line, IDs and times whole (finding 1).
#[tokio::test(flavor = "multi_thread")]
async fn the_table_fits_80_columns_on_a_terminal_of_unknown_size() {
    let server = long_text_server().await;
    let env = Env::new();
    let ids = [
        "OID-TRANSIT-000001",
        "OID-TRANSIT-000002",
        "OID-TRANSIT-000003",
    ];
    let mut args = vec!["track"];
    args.extend(ids);
    let pty = in_pty(&env, &server.uri(), &args, None);
    assert_eq!(pty.code, 0);
    let screen: Vec<String> = pty
        .screen(80)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        screen.len(),
        1 + ids.len(),
        "one line per row:\n{}",
        screen.join("\n")
    );
    for (line, id) in screen[1..].iter().zip(ids) {
        assert!(line.starts_with(id), "{line}");
        assert!(
            line.contains("2024-05-05 15:22") && line.ends_with('…'),
            "{line}"
        );
    }
}

/// watch at a terminal: its lines fit, and the status line is gone after Ctrl-C (finding 2).
#[tokio::test(flavor = "multi_thread")]
async fn watch_lines_fit_and_ctrl_c_leaves_no_status_line() {
    let server = long_text_server().await;
    let env = Env::new();
    for ids in [&["OID-1"][..], &["OID-1", "OID-2"][..]] {
        let mut args = vec!["watch", "--interval", "1s"];
        args.extend(ids);
        let pty = in_pty(
            &env,
            &server.uri(),
            &args,
            Some(Duration::from_millis(2500)),
        );
        assert_eq!(pty.code, 130);
        let screen = pty.screen(80);
        let text = screen.join("\n");
        assert!(
            text.contains("interrupted: watching"),
            "{text}\n{:?}",
            String::from_utf8_lossy(&pty.bytes)
        );
        // The live status line was drawn, then erased: no screen line still shows it.
        assert!(String::from_utf8_lossy(&pty.bytes).contains("· next poll in"));
        for line in &screen {
            assert!(!line.contains("next poll"), "left behind:\n{text}");
        }
        if ids.len() > 1 {
            // One line per parcel, fitted.
            assert_eq!(
                screen.iter().filter(|l| l.starts_with("OID-")).count(),
                2,
                "{text}"
            );
        }
    }
}

/// A piped stdout's reader writes to the same terminal: no status line then (finding 2).
#[tokio::test(flavor = "multi_thread")]
async fn no_status_line_when_stdout_is_piped() {
    let server = long_text_server().await;
    let env = Env::new();
    let args = ["watch", "OID-1", "--interval", "1s", "--timeout", "3s"];
    let on_terminal = in_pty(&env, &server.uri(), &args, None);
    assert_eq!(on_terminal.code, 8);
    assert!(String::from_utf8_lossy(&on_terminal.bytes).contains("next poll in"));
    let piped = in_pty_piped(&env, &server.uri(), &args, " | cat", None);
    let text = String::from_utf8_lossy(&piped.bytes);
    assert!(text.contains("OID-1"), "{text}");
    assert!(!text.contains("next poll in"), "{text}");
}

/// `watch … | head -1` ends once the reader is gone, within a poll interval (finding 12).
#[tokio::test(flavor = "multi_thread")]
async fn watch_ends_when_its_reader_goes() {
    use std::io::BufRead;
    let server = long_text_server().await;
    let env = Env::new();
    let mut child = env.spawn(
        &server.uri(),
        &["watch", "OID-1", "--interval", "1s", "--json"],
    );
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("snapshot"));
    // The reader is dropped here, as `head -1` exits.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "still running");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0));
}

/// `base-url` spelled like the flag, or `timout`, silently meant production and 30 s (finding 4).
#[test]
fn unknown_config_keys_are_warned_about_with_line_and_meaning() {
    let env = Env::new();
    let config =
        env.config_file("base-url = \"http://127.0.0.1:9\"\n[profiles.local]\ntimout = \"5s\"\n");
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_CONFIG", &config)
        .args(["config", "show", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("line 1: unknown key `base-url` (did you mean `base_url`?)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("line 3: unknown key `profiles.local.timout` (did you mean `timeout`?)"),
        "{}",
        r.stderr
    );
    let shown = &r.json_lines()[0]["unknown_keys"];
    assert_eq!(shown[0]["key"], "base-url");
    assert_eq!(shown[0]["suggestion"], "base_url");
    assert_eq!(shown[1]["line"], 3);
}

/// A URL at the environment prompt is an answer, a wrong answer is asked again, and the hint
/// names the profile written (finding 6).
#[test]
fn config_init_accepts_a_url_and_asks_again_on_bad_input() {
    let env = Env::new();
    let config = env.home.path().join("kj.toml");
    let config_arg = config.to_str().unwrap();
    let pause = Duration::from_millis(700);
    let pty = in_pty_typing(
        &env,
        &[
            "--config",
            config_arg,
            "--profile",
            "local",
            "config",
            "init",
        ],
        &[
            (pause, b"kja-typed-key-0123456789\r"),
            (pause, b"staging\r"),
            (pause, b"http://127.0.0.1:8080\r"),
        ],
    );
    let screen = pty.screen(80).join("\n");
    assert_eq!(pty.code, 0, "{screen}");
    assert!(
        !screen.contains("kja-typed-key"),
        "the key was echoed:\n{screen}"
    );
    assert!(screen.contains("try again"), "{screen}");
    // The command is whole on one line (a message wider than the terminal wraps around it).
    assert!(
        screen.contains(&format!(
            "`kiriminaja --config {config_arg} --profile local config check`"
        )),
        "{screen}"
    );
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains("[profiles.local]"), "{written}");
    assert!(
        written.contains("base_url = \"http://127.0.0.1:8080\""),
        "{written}"
    );
}

/// One Ctrl-D ends decode-event's input at a terminal, as it ends `cat`'s (finding 7).
#[test]
fn decode_event_at_a_terminal_ends_on_one_ctrl_d() {
    let env = Env::new();
    let pty = in_pty_typing(
        &env,
        &["decode-event"],
        &[(Duration::from_millis(700), b"\x04")],
    );
    let screen = pty.screen(80).join("\n");
    assert_eq!(pty.code, 0, "{screen}");
    assert!(screen.contains("stdin: no payloads"), "{screen}");
}

/// Two identical right `Authorization` headers are refused, and the reason is named (finding 10).
#[test]
fn two_authorization_headers_are_named_as_such() {
    let env = Env::new();
    let key = "kja-example-4d1f8b2c9e7a6035";
    let captured = read(&example("events/captured-request.http"));
    let twice = captured.replacen(
        &format!("Authorization: Bearer {key}"),
        &format!("Authorization: Bearer {key}\r\nAuthorization: Bearer {key}"),
        1,
    );
    assert_ne!(twice, captured);
    let path = env.home.path().join("twice.http");
    std::fs::write(&path, twice).unwrap();
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", key)
        .args(["decode-event", "--json"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = &r.json_lines()[0];
    assert_eq!(line["verified"], false);
    assert_eq!(
        line["request"]["problems"],
        serde_json::json!(["several_authorizations"])
    );
}
