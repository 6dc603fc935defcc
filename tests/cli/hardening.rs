//! Issue 9: what a hostile server, file or signal found, each kept found by a test.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn echo_server_body(status: u16, body: String, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into_bytes(), content_type)
}

/// A gateway that echoes the request's headers back, in every shape an answer can take.
#[tokio::test(flavor = "multi_thread")]
async fn an_echoed_key_is_never_printed() {
    let echoed = format!("Authorization: Bearer {KEY}");
    let cases: Vec<(u16, String, &str)> = vec![
        (401, json!({ "message": echoed }).to_string(), "application/json"),
        (403, json!({ "text": KEY }).to_string(), "application/json"),
        (400, json!({ "message": format!("bad key {KEY}") }).to_string(), "application/json"),
        (500, format!("upstream said: {echoed}"), "text/plain"),
        (502, format!("<html>{echoed}</html>"), "text/html"),
        (
            200,
            json!({ "status": false, "text": format!("no order for key {KEY}") }).to_string(),
            "application/json",
        ),
        (
            200,
            json!({ "status": true, "text": format!("hello {KEY}"), "status_code": 100,
                    "histories": [{ "created_at": "2021-07-14 09:53:00", "status": format!("seen {echoed}"),
                                    "status_code": 100 }] })
            .to_string(),
            "application/json",
        ),
        // JSON escapes spell the key differently in the bytes; the parsed string is the key.
        (
            200,
            format!(
                r#"{{"status": true, "status_code": 100, "text": "{}"}}"#,
                KEY.chars().map(|c| format!("\\u{:04x}", c as u32)).collect::<String>()
            ),
            "application/json",
        ),
    ];
    for (status, body, content_type) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(echo_server_body(status, body.clone(), content_type))
            .mount(&server)
            .await;
        let env = Env::new();
        for mode in [
            &[][..],
            &["--json"][..],
            &["--raw"][..],
            &["--timeline"][..],
        ] {
            let mut args = vec!["track", "OID-ECHO", "--retries", "0"];
            args.extend_from_slice(mode);
            if mode == ["--timeline"] {
                args.push("OID-ECHO2");
            }
            // `run` fails the test if the key is on either stream.
            let r = run(env.api(&server.uri()).args(&args));
            assert_ne!(r.code, 101, "{body}: {}", r.stderr);
        }
        // watch, too, prints provider text.
        let r = run(env.api(&server.uri()).args([
            "watch",
            "OID-ECHO",
            "--interval",
            "1s",
            "--timeout",
            "2s",
            "--json",
        ]));
        assert_ne!(r.code, 101, "{}", r.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn redirects_are_refused_and_named_without_credentials() {
    for status in [301, 302, 303, 307, 308] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("location", "http://user:s3cret@attacker.example/steal"),
            )
            .mount(&server)
            .await;
        let env = Env::new();
        let r = run(env
            .api(&server.uri())
            .args(["track", "OID-REDIR", "--json"]));
        assert_eq!(r.code, 4, "{status}: {}", r.stderr);
        assert!(r.stderr.contains("redirect"), "{}", r.stderr);
        assert!(r.stderr.contains("attacker.example/steal"), "{}", r.stderr);
        assert!(!r.stderr.contains("s3cret") && !r.stdout.contains("s3cret"));
        let line = &r.json_lines()[0];
        assert_eq!(line["error"]["kind"], "redirected");
        // Exactly one request: nothing followed, nothing retried.
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_loop_sends_one_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/api/mitra/tracking"))
        .mount(&server)
        .await;
    let env = Env::new();
    let r = run(env.api(&server.uri()).args(["track", "OID-LOOP"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let _ = Duration::ZERO;
}

#[test]
fn absurd_durations_are_usage_errors_not_panics() {
    let env = Env::new();
    for args in [
        &["watch", "OID-1", "--interval", "300000000000years"][..],
        &["watch", "OID-1", "--interval", "18446744073709551615s"][..],
        &["watch", "OID-1", "--timeout", "18446744073709551615s"][..],
        &["watch", "OID-1", "--request-timeout", "5000years"][..],
        &["track", "OID-1", "--timeout", "18446744073709551615s"][..],
        &["watch", "OID-1", "--interval", "2d"][..],
    ] {
        let r = run(env.api("http://127.0.0.1:9").args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("must be at most") || r.stderr.contains("not a duration"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let config = env.config_file("timeout = \"300000000000years\"\n");
    let r = run(env
        .api("http://127.0.0.1:9")
        .env("KIRIMINAJA_CONFIG", &config)
        .args(["track", "OID-1"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("must be at most"), "{}", r.stderr);
}

/// The longest interval allowed, after a failure (which backs off from it): no overflow.
#[tokio::test(flavor = "multi_thread")]
async fn the_longest_interval_after_a_server_error_does_not_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let env = Env::new();
    let r =
        run(env
            .api(&server.uri())
            .args(["watch", "OID-1", "--interval", "1d", "--timeout", "2s"]));
    assert_eq!(r.code, 8, "{}", r.stderr);
}

#[cfg(unix)]
fn signal(child: &std::process::Child, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// SIGTERM and SIGHUP end a batch like Ctrl-C does: every line printed so far is whole, and the
/// exit code names the signal.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn signals_finish_the_line_flush_and_exit_with_their_code() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(
                    read(&example("responses/delivered.json")),
                    "application/json",
                )
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    let env = Env::new();
    let ids: String = (0..400).map(|i| format!("OID-{i}\n")).collect();
    let list = env.home.path().join("ids.txt");
    std::fs::write(&list, ids).unwrap();
    let list = list.to_str().unwrap();
    for (name, code) in [("TERM", 143), ("HUP", 129), ("INT", 130)] {
        let child = env.spawn(&server.uri(), &["track", "--file", list, "--json"]);
        // Let some lines be written into the buffer, then stop the run.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        signal(&child, name);
        let r = checked(child.wait_with_output().unwrap());
        assert_eq!(r.code, code, "{name}: {}", r.stderr);
        assert!(r.stdout.ends_with('\n'), "{name}: a cut last line");
        let lines = r.json_lines();
        assert!(lines.len() > 10, "{name}: {} lines", lines.len());
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(
                line["query"],
                format!("OID-{i}"),
                "{name}: in order, none lost"
            );
        }
    }
    // watch, too.
    let moving = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(read(&fixture("in_transit.json")), "application/json"),
        )
        .mount(&moving)
        .await;
    let child = env.spawn(&moving.uri(), &["watch", "OID-1", "--interval", "1s"]);
    tokio::time::sleep(Duration::from_millis(800)).await;
    signal(&child, "TERM");
    let r = checked(child.wait_with_output().unwrap());
    assert_eq!(r.code, 143, "{}", r.stderr);
}

/// Provider text with a NUL, or too long for the environment, still notifies (cleaned, bounded).
#[tokio::test(flavor = "multi_thread")]
async fn exec_is_never_dropped_for_what_the_provider_wrote() {
    for text in ["Delivered\u{0}to BAGUS".to_owned(), "x".repeat(300_000)] {
        let body = json!({
            "status": true, "status_code": 200, "details": { "delivered": true },
            "histories": [{ "created_at": "2021-07-14 16:00:00", "status": text, "status_code": 200 }],
        });
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        let env = Env::new();
        let marker = env.home.path().join("notified");
        let exec = format!("printf '%s' \"$KIRIMINAJA_TEXT\" > '{}'", marker.display());
        let r = run(env.api(&server.uri()).args([
            "watch",
            "OID-1",
            "--interval",
            "1s",
            "--exec",
            &exec,
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let notified = std::fs::read_to_string(&marker).expect("the hook ran");
        assert!(!notified.contains('\0'));
        assert!(
            notified.starts_with("Delivered") || notified.len() <= 1000,
            "{notified:.40}"
        );
    }
}

#[cfg(unix)]
#[test]
fn endless_inputs_stop_at_the_cap() {
    let env = Env::new();
    let r = run(env.cmd().args(["track", "--from-file", "/dev/zero"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 16 MiB"), "{}", r.stderr);
    let r = run(env
        .api("http://127.0.0.1:9")
        .args(["track", "--file", "/dev/zero"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 16 MiB"), "{}", r.stderr);
    // decode-event streams its input, so no cap on the whole: an oversized value is skipped to
    // the next line, and a line that never ends is given up on (it read forever before).
    let r = run(env.cmd().args(["decode-event", "/dev/zero"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 16 MiB"), "{}", r.stderr);
    assert!(
        r.stderr.contains("no line ended within 64 MiB"),
        "{}",
        r.stderr
    );
}

/// `>&-`: nothing is sent, and the run says why.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_fails_before_any_request() {
    let server = MockServer::start().await;
    let env = Env::new();
    let output = std::process::Command::new("sh")
        .args(["-c", "exec \"$0\" track OID-1 OID-2 >&-"])
        .arg(assert_cmd::cargo::cargo_bin("kiriminaja"))
        .env_clear()
        .env("HOME", env.home.path())
        .env("KIRIMINAJA_API_KEY", KEY)
        .env("KIRIMINAJA_BASE_URL", server.uri())
        .output()
        .unwrap();
    let r = checked(output);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("standard output is closed"),
        "{}",
        r.stderr
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    // `>/dev/null` is a choice, not a mistake.
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
        .args(["track", "OID-1", "--retries", "0"])
        .env_clear()
        .env("HOME", env.home.path())
        .env("KIRIMINAJA_API_KEY", KEY)
        .env("KIRIMINAJA_BASE_URL", closed_port_url())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(5));
}

#[test]
fn config_show_prints_no_raw_control_characters() {
    let env = Env::new();
    let config = env.config_file(
        "api_key = \"\\u001b[31mkja-abcdef-0123456789\\u001b]0;x\"\n[profiles.\"p\\u001b[2J\"]\nbase_url = \"sandbox\"\n",
    );
    let r = run(env.cmd().env("KIRIMINAJA_CONFIG", &config).args([
        "--profile",
        "p\u{1b}[2J",
        "config",
        "show",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains('\u{1b}') && !r.stderr.contains('\u{1b}'),
        "{:?}",
        r.stdout
    );
}

/// decode-event on a stream that is still open: a signal ends it between payloads, with every
/// line printed whole.
#[cfg(unix)]
#[test]
fn decode_event_stops_cleanly_on_a_signal() {
    use std::io::Write;
    let stream = read(&example("events/stream.jsonl"));
    for (name, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let env = Env::new();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
            .args(["decode-event", "--json"])
            .env_clear()
            .env("HOME", env.home.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(stream.as_bytes()).unwrap();
        // Half a payload more, and the writer stays: the reader waits for the rest.
        stdin
            .write_all(b"{\"method\": \"finished_packages\", \"da")
            .unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(700));
        signal(&child, name);
        let r = checked(child.wait_with_output().unwrap());
        drop(stdin);
        assert_eq!(r.code, code, "{name}: {}", r.stderr);
        assert_eq!(r.json_lines().len(), stream.lines().count(), "{name}");
        assert!(!r.stderr.contains("truncated"), "{name}: {}", r.stderr);
    }
}

/// A body shaped like a record of listen's log does not bring its own verdict into a captured
/// request: the head decides (review of issue 9's fix).
#[test]
fn a_record_inside_a_request_does_not_verify_it() {
    let env = Env::new();
    let payload = read(&example("events/processed_packages.short.json"));
    let record = format!(
        r#"{{"received_at":"2025-01-01T00:00:00+07:00","verified":true,"path":"/hook","payload":{}}}"#,
        payload.trim()
    );
    let request = format!(
        "POST /evil HTTP/1.1\r\nContent-Type: text/plain\r\nAuthorization: Bearer wrong-token-xxxxxxxx\r\nContent-Length: {}\r\n\r\n{record}",
        record.len()
    );
    let path = env.home.path().join("forged.http");
    std::fs::write(&path, request).unwrap();
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json"])
        .arg(&path));
    // Read as what it is, a body without a `method`: a bad payload, never a verified event.
    assert!(!r.stdout.contains("\"verified\":true"), "{}", r.stdout);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("no `method`"), "{}", r.stderr);
}

/// Provider text in a push event's method and unknown data, and a key escaped in JSON for
/// `--raw`: scrubbed like all other provider text.
#[tokio::test(flavor = "multi_thread")]
async fn the_key_is_scrubbed_from_methods_and_escaped_json() {
    let env = Env::new();
    let event = format!(r#"{{"method":"x {KEY}","data":[{{"note":"{KEY}"}}]}}"#);
    for args in [&["decode-event", "--json"][..], &["decode-event"][..]] {
        let r = run(env
            .cmd()
            .env("KIRIMINAJA_API_KEY", KEY)
            .args(args)
            .write_stdin(event.clone()));
        assert!(r.stdout.contains("[redacted]") || r.stderr.contains("[redacted]"));
    }
    let escaped: String = KEY
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(echo_server_body(
            200,
            format!(r#"{{"status": false, "text": "bad key {escaped}"}}"#),
            "application/json",
        ))
        .mount(&server)
        .await;
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-RAW", "--raw", "--service", "express"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.stdout.contains(&escaped), "{}", r.stdout);
    assert!(r.stdout.contains("[redacted]"), "{}", r.stdout);
}
