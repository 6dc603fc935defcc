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
