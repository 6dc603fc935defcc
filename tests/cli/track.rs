//! `kiriminaja track` against wiremock and a counting server.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

const TRACKING: &str = "/api/mitra/tracking";

fn ok_json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// Answers `body` for one order id, checking the request the way the provider would.
async fn answer(server: &MockServer, id: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(TRACKING))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({ "order_id": id })))
        .respond_with(response)
        .mount(server)
        .await;
}

fn delivered() -> String {
    read(&example("responses/delivered.json"))
}

#[tokio::test(flavor = "multi_thread")]
async fn documented_example_renders_as_a_timeline() {
    let server = MockServer::start().await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    let env = Env::new();
    let r = run(env.api(&server.uri()).args(["track", "OID-8793949106"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, read(&fixture("delivered.txt")));
    assert!(!r.stdout.contains('\u{1b}'), "no color in a pipe");
    assert_eq!(r.stderr, "");
}

#[tokio::test(flavor = "multi_thread")]
async fn color_always_and_clicolor_force_color_the_labels() {
    let server = MockServer::start().await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    let env = Env::new();
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-8793949106", "--color", "always"]));
    assert!(r.stdout.contains("\u{1b}[32;1mfinal"), "{}", r.stdout);
    let r = run(env
        .api(&server.uri())
        .env("CLICOLOR_FORCE", "1")
        .args(["track", "OID-8793949106"]));
    assert!(r.stdout.contains('\u{1b}'));
    let r = run(env
        .api(&server.uri())
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["track", "OID-8793949106"]));
    assert!(!r.stdout.contains('\u{1b}'));
}

#[tokio::test(flavor = "multi_thread")]
async fn documented_example_as_json() {
    let server = MockServer::start().await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    let env = Env::new();
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-8793949106", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.json_lines();
    assert_eq!(lines.len(), 1);
    let p = &lines[0];
    assert_eq!(p["query"], "OID-8793949106");
    assert_eq!(p["found"], true);
    assert_eq!(p["awb"], "DEVEL-000000004");
    assert_eq!(p["courier"], json!({"code": "jne", "service": "REG"}));
    assert_eq!(
        p["status"],
        json!({"code": 200, "label": "delivered", "category": "final", "final": true})
    );
    assert_eq!(p["delivered"], true);
    assert_eq!(p["shipped_at"], "2021-07-13T17:44:04+07:00");
    // The provider's own data disagrees with itself here; we show it as it is.
    assert_eq!(p["delivered_at"], "2021-10-17T16:53:00+07:00");
    assert_eq!(p["refunded_at"], Value::Null);
    assert_eq!(p["costs"]["shipping_cost"], 10000);
    assert_eq!(p["origin"]["zip_code"], "55283");
    let h = p["histories"].as_array().unwrap();
    assert_eq!(h.len(), 7);
    assert_eq!(
        h[0],
        json!({"at": "2021-07-14T16:00:00+07:00", "status_code": 200, "label": "delivered",
               "category": "final", "text": "Delivered to BAGUS | 14-07-2021 16:00 | YOGYAKARTA",
               "driver": null, "receiver": "BAGUS"})
    );
    assert_eq!(h[6]["at"], "2021-07-07T14:40:42+07:00");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_type_drift_decodes() {
    let server = MockServer::start().await;
    answer(
        &server,
        "OID-DRIFT-1",
        ok_json(&read(&fixture("drifted.json"))),
    )
    .await;
    let env = Env::new();
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-DRIFT-1", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = &r.json_lines()[0];
    assert_eq!(p["awb"], "8812345678");
    assert_eq!(p["status"]["code"], 100);
    assert_eq!(p["status"]["category"], "transit");
    assert_eq!(p["delivered"], false);
    assert_eq!(p["drop"], false);
    assert_eq!(p["estimation"], "3");
    assert_eq!(p["costs"]["shipping_cost"], 18000);
    assert_eq!(p["costs"]["cod"], 125000);
    assert_eq!(p["costs"]["insurance_amount"], Value::Null);
    assert_eq!(p["costs"]["insurance_percent"], 0.2);
    assert_eq!(p["origin"]["zip_code"], "60111");
    assert_eq!(p["origin"]["phone"], "628111");
    assert_eq!(p["sorting_code"], Value::Null);
    let h = p["histories"].as_array().unwrap();
    assert_eq!(h[0]["driver"], "Agus");
    assert_eq!(h[1]["status_code"], Value::Null);
    assert_eq!(h[1]["category"], "unknown");
    assert_eq!(h[2]["label"], "unknown (code 777)");
    assert_eq!(h[3]["text"], "Paket dibuat");

    // The human view shows the same without failing on any of it.
    let r = run(env.api(&server.uri()).args(["track", "OID-DRIFT-1"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("unknown  Held at hub"), "{}", r.stdout);
    assert!(r.stdout.contains("COD Rp125.000"), "{}", r.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn not_found_exits_3_with_a_hint() {
    let server = MockServer::start().await;
    answer(
        &server,
        "OID-NOPE",
        ok_json(&read(&fixture("not_found.json"))),
    )
    .await;
    let env = Env::new();
    let r = run(env.api(&server.uri()).args(["track", "OID-NOPE"]));
    assert_eq!(r.code, 3);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("kiriminaja: error: OID-NOPE: Data tidak ditemukan"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint: "));

    let r = run(env.api(&server.uri()).args(["track", "OID-NOPE", "--json"]));
    assert_eq!(r.code, 3);
    assert_eq!(
        r.json_lines()[0],
        json!({"query": "OID-NOPE", "found": false,
               "error": {"kind": "not_found", "message": "Data tidak ditemukan / data not found"}})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unauthorized_exits_4_and_hints_at_key_sandbox_and_allow_list() {
    for status in [401, 403] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status).set_body_json(json!({"message": "Unauthorized"})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let env = Env::new();
        // Three IDs, one request: after a refused key nothing more is sent.
        let r = run(env.api(&server.uri()).args([
            "track",
            "OID-1",
            "OID-2",
            "OID-3",
            "--concurrency",
            "1",
        ]));
        assert_eq!(r.code, 4);
        assert!(
            r.stderr.contains(&format!("HTTP {status}: Unauthorized")),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("sandbox") && r.stderr.contains("allow-list"),
            "{}",
            r.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_retried_then_exit_5() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
        )
        .expect(3)
        .mount(&server)
        .await;
    let env = Env::new();
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-1", "--retries", "2"]));
    assert_eq!(r.code, 5);
    assert!(
        r.stderr.contains("HTTP 503: an HTML error page"),
        "{}",
        r.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_that_are_not_json_exit_5_naming_status_and_id() {
    let cases = [
        (
            "<!DOCTYPE html><html><body>Bad Gateway</body></html>",
            "an HTML page",
        ),
        ("", "empty body"),
        (
            "{\"status\": true, \"details\": {\"awb\": \"X",
            "truncated JSON",
        ),
        ("[1, 2, 3]", "expected a JSON object"),
    ];
    for (body, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
            .mount(&server)
            .await;
        let env = Env::new();
        let r = run(env.api(&server.uri()).args(["track", "OID-7"]));
        assert_eq!(r.code, 5, "{body}");
        assert!(
            r.stderr.contains("OID-7: unreadable response (HTTP 200)"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(expected), "{expected}: {}", r.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limit_honours_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    let env = Env::new();
    let started = Instant::now();
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-8793949106", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Correctness, not speed: the client must not come back before it was told to.
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limit_without_retries_exits_5() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7"))
        .mount(&server)
        .await;
    let env = Env::new();
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-1", "--retries", "0"]));
    assert_eq!(r.code, 5);
    assert!(
        r.stderr.contains("rate limited") && r.stderr.contains("7s"),
        "{}",
        r.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_refused_exits_5() {
    let url = closed_port_url();
    let env = Env::new();
    let r = run(env.api(&url).args(["track", "OID-1", "--retries", "0"]));
    assert_eq!(r.code, 5);
    assert!(r.stderr.contains("cannot reach 127.0.0.1"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_exits_5() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_json(&delivered()).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let env = Env::new();
    let r = run(env.api(&server.uri()).args([
        "track",
        "OID-1",
        "--retries",
        "0",
        "--timeout",
        "300ms",
    ]));
    assert_eq!(r.code, 5);
    assert!(
        r.stderr.contains("no answer from") && r.stderr.contains("300ms"),
        "{}",
        r.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_keeps_input_order_and_exits_with_the_worst_code() {
    let server = MockServer::start().await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    answer(
        &server,
        "OID-NOPE",
        ok_json(&read(&fixture("not_found.json"))),
    )
    .await;
    answer(
        &server,
        "OID-TRANSIT",
        ok_json(&read(&fixture("in_transit.json"))),
    )
    .await;
    answer(&server, "OID-BROKEN", ResponseTemplate::new(502)).await;
    let env = Env::new();
    let ids = ["OID-TRANSIT", "OID-NOPE", "OID-BROKEN", "OID-8793949106"];
    let r = run(env
        .api(&server.uri())
        .arg("track")
        .args(ids)
        .args(["--json", "--retries", "0"]));
    assert_eq!(r.code, 5, "unavailable outranks not found");
    let lines = r.json_lines();
    let queries: Vec<&str> = lines.iter().map(|l| l["query"].as_str().unwrap()).collect();
    assert_eq!(queries, ids);
    assert_eq!(lines[1]["error"]["kind"], "not_found");
    assert_eq!(lines[2]["error"]["kind"], "server_error");
    assert_eq!(lines[3]["found"], true);

    let r =
        run(env
            .api(&server.uri())
            .arg("track")
            .args(ids)
            .args(["--retries", "0", "--timeline"]));
    assert_eq!(r.code, 5);
    let rows: Vec<&str> = r.stdout.lines().collect();
    assert!(
        rows[0].contains("ID") && rows[0].contains("Last event"),
        "{}",
        r.stdout
    );
    assert!(rows[1].contains("OID-TRANSIT") && rows[1].contains("transit"));
    assert!(rows[2].contains("OID-NOPE") && rows[2].contains("not found"));
    assert!(rows[3].contains("OID-BROKEN") && rows[3].contains("HTTP 502"));
    assert!(rows[4].contains("OID-8793949106") && rows[4].contains("delivered"));
    assert!(r.stdout.contains("── OID-TRANSIT ──"));
    assert!(r.stderr.contains("OID-NOPE: Data tidak ditemukan") && r.stderr.contains("OID-BROKEN"));

    // Not found alone is exit 3.
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-TRANSIT", "OID-NOPE"]));
    assert_eq!(r.code, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn ids_from_a_file_and_stdin_are_asked_once_and_answered_each_time() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_json(json!({"order_id": "OID-8793949106"})))
        .respond_with(ok_json(&delivered()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_json(json!({"order_id": "OID-TRANSIT"})))
        .respond_with(ok_json(&read(&fixture("in_transit.json"))))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    let list = "# morning batch\nOID-8793949106\n\nOID-TRANSIT\r\nOID-8793949106\n";
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-TRANSIT", "--file", "-", "--json"])
        .write_stdin(list));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let queries: Vec<String> = r
        .json_lines()
        .iter()
        .map(|l| l["query"].to_string())
        .collect();
    // Every ID as given gets its line, the file's first, then the arguments (issue 12,
    // finding 8); each distinct ID is still asked once (the mocks expect one request each).
    assert_eq!(
        queries,
        [
            "\"OID-8793949106\"",
            "\"OID-TRANSIT\"",
            "\"OID-8793949106\"",
            "\"OID-TRANSIT\""
        ]
    );
    // Two IDs asked (the same twice) are two rows, not one detail view.
    let again = MockServer::start().await;
    answer(
        &again,
        "OID-TRANSIT",
        ok_json(&read(&fixture("in_transit.json"))),
    )
    .await;
    let r = run(env
        .api(&again.uri())
        .args(["track", "OID-TRANSIT", "OID-TRANSIT"]));
    let rows: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(rows.len(), 3, "{}", r.stdout);
    assert!(rows[1].starts_with("OID-TRANSIT") && rows[2].starts_with("OID-TRANSIT"));
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrency_is_bounded() {
    let server = CountingServer::start(delivered(), Duration::from_millis(150)).await;
    let env = Env::new();
    let ids: Vec<String> = (0..20).map(|i| format!("OID-{i}")).collect();
    let r =
        run(env
            .api(&server.url)
            .arg("track")
            .args(&ids)
            .args(["--concurrency", "3", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines().len(), 20);
    use std::sync::atomic::Ordering;
    assert_eq!(server.total.load(Ordering::SeqCst), 20);
    let max = server.max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 3, "{max} requests in flight");
    assert!(max >= 2, "requests should overlap, saw {max}");
}

#[test]
fn invalid_ids_are_usage_errors_before_any_request() {
    let env = Env::new();
    // An unreachable base URL: a request would fail with 5, not 2.
    for bad in ["OID 1", "", "OID-1234567890123456789"] {
        let r = run(env.api("http://127.0.0.1:9").args(["track", "OID-OK", bad]));
        assert_eq!(r.code, 2, "{bad:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("kiriminaja: error: invalid ID"),
            "{}",
            r.stderr
        );
    }
    let r = run(env.api("http://127.0.0.1:9").arg("track"));
    assert_eq!(r.code, 2);
    let r = run(env
        .api("http://127.0.0.1:9")
        .args(["track", "X", "--concurrency", "0"]));
    assert_eq!(r.code, 2);
}

/// The hint is short, the easiest fix first (issue 18, item 8): `config show` lists every
/// place a key is read from.
#[test]
fn missing_key_exits_4_with_config_init_first() {
    let env = Env::new();
    let r = run(env.cmd().args(["track", "OID-1"]));
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("no API key found"));
    let hint = r.stderr.lines().nth(1).unwrap();
    assert!(
        hint.starts_with("hint: run `kiriminaja config init`"),
        "{hint}"
    );
    assert!(
        hint.contains("KIRIMINAJA_API_KEY") && hint.len() <= 80,
        "{hint}"
    );
}

#[test]
fn plain_http_is_refused_unless_loopback() {
    let env = Env::new();
    let r = run(env.api("http://api.example.com").args(["track", "OID-1"]));
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("unencrypted"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn config_file_profiles_and_precedence() {
    let server = MockServer::start().await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    let env = Env::new();
    let config = env.config_file(&format!(
        "# my settings\napi_key = \"{KEY}\"\nbase_url = \"https://client.kiriminaja.com\"\n\
         [profiles.local]\nbase_url = \"{}\"\ntimeout = \"5s\"\n",
        server.uri()
    ));
    let r = run(env
        .cmd()
        .args(["--config", config.to_str().unwrap(), "--profile", "local"])
        .args(["track", "OID-8793949106", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "a 0600 file gives no warning");
    // The environment beats the file.
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_CONFIG", &config)
        .env("KIRIMINAJA_BASE_URL", server.uri())
        .args(["track", "OID-8793949106", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A flag beats the environment.
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_CONFIG", &config)
        .env("KIRIMINAJA_BASE_URL", "http://127.0.0.1:9")
        .args(["--base-url", &server.uri(), "track", "OID-8793949106"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn readable_config_with_a_key_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start().await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    let env = Env::new();
    let config = env.config_file(&format!(
        "api_key = \"{KEY}\"\nbase_url = \"{}\"\n",
        server.uri()
    ));
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = run(env.cmd().args([
        "--config",
        config.to_str().unwrap(),
        "track",
        "OID-8793949106",
    ]));
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("warning") && r.stderr.contains("chmod 600"),
        "{}",
        r.stderr
    );
}

#[test]
fn invalid_config_exits_4_naming_file_and_line() {
    let env = Env::new();
    let config = env.config_file("api_key = \"x\"\ntimeout = 30\n");
    let r = run(env
        .cmd()
        .args(["--config", config.to_str().unwrap(), "track", "OID-1"]));
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains("config.toml") && r.stderr.contains("line 2"),
        "{}",
        r.stderr
    );
    let r = run(env
        .cmd()
        .args(["--config", "/nonexistent/config.toml", "track", "OID-1"]));
    assert_eq!(r.code, 4);
    let r = run(env.cmd().args([
        "--config",
        config.to_str().unwrap(),
        "--profile",
        "nope",
        "track",
        "OID-1",
    ]));
    assert_eq!(r.code, 4);
}

#[test]
fn from_file_needs_no_key_and_no_network() {
    let env = Env::new();
    let saved = example("responses/delivered.json");
    let r = run(env
        .cmd()
        .args(["track", "--from-file", saved.to_str().unwrap()]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, read(&fixture("delivered.txt")));
    let r = run(env
        .cmd()
        .args(["track", "--from-file", "-", "--json"])
        .write_stdin(read(&saved)));
    assert_eq!(r.json_lines()[0]["query"], "OID-8793949106");

    let r = run(env
        .cmd()
        .args(["track", "--from-file", "-"])
        .write_stdin("<html>oops</html>"));
    assert_eq!(r.code, 6, "{}", r.stderr);
    let r = run(env
        .cmd()
        .args(["track", "--from-file", "-"])
        .write_stdin(read(&fixture("not_found.json"))));
    assert_eq!(r.code, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_prints_the_body_unchanged() {
    let server = MockServer::start().await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    let env = Env::new();
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-8793949106", "--raw"]));
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, delivered());
}

#[tokio::test(flavor = "multi_thread")]
async fn closed_stdout_is_not_an_error() {
    let server = MockServer::start().await;
    answer(&server, "OID-8793949106", ok_json(&delivered())).await;
    let env = Env::new();
    let mut child = env.spawn(&server.uri(), &["track", "OID-8793949106", "--json"]);
    // Like `| head -c1`: the reader goes away before the answer is written.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let r = checked(output);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_exits_130() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_json(&delivered()).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let env = Env::new();
    let child = env.spawn(&server.uri(), &["track", "OID-1"]);
    // Wait until the request is in flight, then interrupt.
    for _ in 0..100 {
        if !server.received_requests().await.unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    interrupt(&child);
    let r = checked(child.wait_with_output().unwrap());
    assert_eq!(r.code, 130);
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_text_cannot_drive_the_terminal() {
    let server = MockServer::start().await;
    let hostile = "boom \u{1b}[31mRED\u{1b}]0;pwned\u{7} \u{202e}desrever";
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({ "message": hostile })))
        .mount(&server)
        .await;
    let env = Env::new();
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-ESC", "--retries", "0"]));
    assert_eq!(r.code, 5);
    assert!(r.stderr.contains("boom"), "{}", r.stderr);
    assert!(
        !r.stderr.contains('\u{1b}')
            && !r.stderr.contains('\u{7}')
            && !r.stderr.contains('\u{202e}'),
        "{:?}",
        r.stderr
    );
}
