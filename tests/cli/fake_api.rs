//! `kiriminaja track` against the repo's fake API server (`examples/fake-api`), which
//! `cargo test` builds next to this test binary.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::Value;

use crate::support::*;

/// A running fake server, killed when dropped.
pub struct FakeApi {
    child: Child,
    pub url: String,
    _stdout: BufReader<ChildStdout>,
}

impl FakeApi {
    pub fn start(args: &[&str]) -> FakeApi {
        let exe = fake_api_exe();
        let mut child = Command::new(&exe)
            .args(["--port", "0", "--key", KEY])
            .args(args)
            .env_remove("KIRIMINAJA_API_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from fake-api: {line:?}"))
            .to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        FakeApi {
            child,
            url,
            _stdout: stdout,
        }
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `target/<profile>/examples/fake-api`, beside `target/<profile>/deps/` where this test runs.
fn fake_api_exe() -> PathBuf {
    let test_exe = std::env::current_exe().unwrap();
    let profile_dir = test_exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test binary lives in target/<profile>/deps");
    let exe = profile_dir
        .join("examples")
        .join(format!("fake-api{}", std::env::consts::EXE_SUFFIX));
    assert!(
        exe.exists(),
        "{} is missing: run the whole `cargo test` (it builds examples) or \
         `cargo build --example fake-api` first",
        exe.display()
    );
    exe
}

fn track_json(server: &FakeApi, args: &[&str]) -> (Run, Vec<Value>) {
    let env = Env::new();
    let run = run(env.api(&server.url).arg("track").args(args).arg("--json"));
    let lines = run.json_lines();
    (run, lines)
}

#[test]
fn documented_example_is_served_as_documented() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let r = run(env.api(&server.url).args(["track", "OID-8793949106"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, read(&fixture("delivered.txt")));

    let (r, lines) = track_json(&server, &["OID-DELIVERED", "OID-TRANSIT", "OID-RETURNED"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(lines[0]["order_id"], "OID-DELIVERED");
    assert_eq!(lines[0]["status"]["code"], 200);
    assert_eq!(lines[0]["delivered"], true);
    assert_eq!(lines[1]["status"]["category"], "transit");
    assert_eq!(lines[1]["histories"].as_array().unwrap().len(), 5);
    assert_eq!(lines[2]["status"]["code"], 402);
    assert_eq!(lines[2]["refunded"], true);
}

#[test]
fn not_found_exits_3_and_a_wrong_key_exits_4() {
    let server = FakeApi::start(&[]);
    let (r, lines) = track_json(&server, &["OID-NOTFOUND"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(lines[0]["found"], false);
    assert_eq!(lines[0]["error"]["kind"], "not_found");

    let env = Env::new();
    let r = run(env
        .api(&server.url)
        .env("KIRIMINAJA_API_KEY", "not-the-key")
        .args(["track", "OID-TRANSIT"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("HTTP 401: Unauthorized"), "{}", r.stderr);
}

#[test]
fn every_drift_decodes() {
    let server = FakeApi::start(&[]);
    let ids = [
        "OID-DRIFT",
        "OID-DRIFT-STRINGS",
        "OID-DRIFT-NUMBERS",
        "OID-DRIFT-EMPTY",
        "OID-DRIFT-NULLCODE",
        "OID-DRIFT-NOSORT",
        "OID-DRIFT-EXTRA",
        "OID-DRIFT-ORDER",
    ];
    let (r, lines) = track_json(&server, &ids);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    for (id, p) in ids.iter().zip(&lines) {
        assert_eq!(p["query"], *id);
        assert_eq!(p["found"], true, "{p}");
        assert_eq!(p["status"]["code"], 100, "{id}: {p}");
        assert_eq!(p["histories"].as_array().unwrap().len(), 5, "{id}");
        assert!(p["costs"]["shipping_cost"].is_number(), "{id}: {p}");
    }
    // Digits sent as numbers come out as strings; the ones sent as strings come out as numbers.
    assert!(lines[0]["origin"]["zip_code"].is_string(), "{}", lines[0]);
    assert!(lines[0]["awb"].is_string());
    assert_eq!(lines[1]["delivered"], false);
    assert!(lines[5]["sorting_code"].is_null());

    let (r, lines) = track_json(&server, &["OID-UNKNOWN"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(lines[0]["status"]["label"], "unknown (code 777)");
    assert_eq!(lines[0]["status"]["category"], "unknown");
}

#[test]
fn faults_are_retried_or_reported() {
    let server = FakeApi::start(&[]);
    // Each fails on its first request (a 429 asks to wait a second) and answers the retry.
    let (r, lines) = track_json(&server, &["OID-429", "OID-503", "OID-502", "OID-DROP"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(lines.iter().all(|p| p["found"] == true), "{}", r.stdout);

    let (r, lines) = track_json(
        &server,
        &["OID-HTML", "OID-TRUNCATED", "OID-EMPTY", "--retries", "0"],
    );
    assert_eq!(r.code, 5, "{}", r.stderr);
    for p in &lines {
        assert_eq!(p["error"]["kind"], "invalid_response", "{p}");
    }
    assert!(r.stderr.contains("HTML"), "{}", r.stderr);
    assert!(r.stderr.contains("truncated"), "{}", r.stderr);

    let (r, lines) = track_json(
        &server,
        &["OID-SLOW", "--timeout", "300ms", "--retries", "0"],
    );
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert_eq!(lines[0]["error"]["kind"], "timeout");
}

#[test]
fn generated_ids_are_deterministic_and_advance_with_finish_after() {
    let server = FakeApi::start(&[]);
    let ids: Vec<String> = (1..=40).map(|i| format!("OID-GEN-{i}")).collect();
    let mut args: Vec<&str> = ids.iter().map(String::as_str).collect();
    args.extend(["--concurrency", "8"]);
    let (r, first) = track_json(&server, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(first.len(), 40);
    for p in &first {
        assert_eq!(p["status"]["final"], false, "{p}");
        assert_eq!(p["status"]["category"], "transit", "{p}");
    }
    let (_, second) = track_json(&server, &args);
    assert_eq!(first, second, "the same id gets the same parcel");

    let server = FakeApi::start(&["--finish-after", "3"]);
    let codes: Vec<Value> = (0..4)
        .map(|_| track_json(&server, &["OID-ANY-1"]).1[0]["status"]["code"].clone())
        .collect();
    assert_eq!(codes, [101, 100, 200, 200]);
}

/// The bodies themselves, before the tool normalizes them.
#[test]
fn raw_answers_look_like_the_provider() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let ids = [
        "OID-TRANSIT",
        "OID-DRIFT-STRINGS",
        "OID-DRIFT-NUMBERS",
        "OID-DRIFT-NOSORT",
        "OID-DRIFT-ORDER",
    ];
    let r = run(env.api(&server.url).arg("track").args(ids).arg("--raw"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let raw: Vec<&str> = r.stdout.lines().collect();
    let bodies: Vec<Value> = raw
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let transit = &bodies[0];
    assert_eq!(transit["details"]["status_code"], Value::Null);
    let times: Vec<&str> = transit["histories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["created_at"].as_str().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] > w[1]),
        "newest first: {times:?}"
    );
    assert!(
        times.iter().all(|t| t.len() == 19 && &t[10..11] == " "),
        "{times:?}"
    );
    assert!(
        raw[0].starts_with(r#"{"status":true,"text":"#),
        "{}",
        raw[0]
    );

    assert_eq!(bodies[1]["status_code"], "100");
    assert!(bodies[1]["details"]["costs"]["shipping_cost"].is_string());
    assert!(bodies[2]["details"]["origin"]["zip_code"].is_number());
    assert!(bodies[3]["details"].get("sorting_code").is_none());
    assert!(!raw[4].starts_with(r#"{"status""#), "{}", raw[4]);
}

/// One HTTP/1.1 request by hand: (status, body).
fn http(server: &FakeApi, request: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = server.url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}

#[test]
fn instant_endpoint_and_unknown_paths() {
    let server = FakeApi::start(&[]);
    let get = |path: &str, key: &str| {
        http(
            &server,
            &format!(
                "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n\
                 Connection: close\r\n\r\n"
            ),
        )
    };
    let (status, body) = get("/api/mitra/v4/instant/tracking/OID-NOTFOUND", KEY);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        r#"{"status":false,"text":"data not found","code":2,"method":null,"result":null}"#
    );
    let (status, body) = get("/api/mitra/v4/instant/tracking/OID-INSTANT-DELIVERED", KEY);
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["result"]["order_id"], "OID-INSTANT-DELIVERED");
    assert!(
        v["result"]["date"]["finished_at"]
            .as_str()
            .unwrap()
            .ends_with(".000000Z")
    );
    let (status, body) = get("/api/mitra/v4/instant/tracking/OID-1", "wrong");
    assert_eq!(
        (status, body.as_str()),
        (401, r#"{"message":"Unauthorized"}"#)
    );
    let (status, _) = get("/api/mitra/nothing", KEY);
    assert_eq!(status, 404);
}

fn stats(server: &FakeApi) -> u64 {
    let (_, body) = http(
        server,
        "GET /__fake/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    v["requests"].as_u64().unwrap()
}

#[test]
fn instant_scenarios_in_auto() {
    let server = FakeApi::start(&[]);
    let ids = [
        "INS-FINDING",
        "INS-ALLOCATED",
        "INS-DELIVERED",
        "INS-CANCELED",
        "INS-DRIFT",
    ];
    let (r, lines) = track_json(&server, &ids);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let codes: Vec<&str> = lines
        .iter()
        .map(|p| p["status"]["instant_code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "finding_driver",
            "allocated",
            "delivered",
            "cancel",
            "allocated"
        ]
    );
    assert!(lines.iter().all(|p| p["kind"] == "instant"));
    assert_eq!(lines[3]["text"], "Driver tidak ditemukan");
    assert!(lines[1]["live_tracking_url"].is_string());
    // Each was asked from express first: two requests apiece.
    assert_eq!(stats(&server), 10);

    let before = stats(&server);
    let (r, lines) = track_json(&server, &["OID-TRANSIT", "OID-NOTFOUND"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(lines[0]["kind"], "express");
    assert_eq!(lines[1]["error"]["kind"], "not_found");
    assert_eq!(
        stats(&server) - before,
        1 + 2,
        "found: 1 request; nowhere: 2"
    );
}

#[test]
fn instant_watch_to_delivery_and_to_cancellation() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let watch = |args: &[&str]| {
        run(env
            .api(&server.url)
            .args(["watch", "--interval", "1s", "--timeout", "60s"])
            .args(args))
    };
    let r = watch(&["INS-LIVE-1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    assert!(out.contains("looking for a driver"), "{out}");
    assert!(out.contains("driver allocated (driver: "), "{out}");
    assert!(out.contains("INS-LIVE-1  live tracking: https://"), "{out}");
    assert!(
        out.trim_end()
            .ends_with("INS-LIVE-1  ✔ delivered, watch ended"),
        "{out}"
    );
    // Express once (not found), then only instant: finding, allocated, delivered.
    assert_eq!(stats(&server), 4);

    let r = watch(&["INS-LIVE-CANCEL-1", "--json"]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    let lines = r.json_lines();
    let kinds: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["snapshot", "event", "status", "final"]);
    assert_eq!(
        lines[0]["parcel"]["status"]["instant_code"],
        "finding_driver"
    );
    assert_eq!(lines[1]["entry"]["text"], "Driver tidak ditemukan");
    assert_eq!(lines[2]["to"]["instant_code"], "cancel");
    assert_eq!(lines[3]["delivered"], false);

    // Pinned to instant, the express endpoint is never asked.
    let before = stats(&server);
    let r = watch(&["INS-LIVE-2", "--service", "instant", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(stats(&server) - before, 3);
}

#[test]
fn callback_set_registers_or_says_why_not() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let r = run(env.api(&server.url).args([
        "callback",
        "set",
        "https://shop.example.id/webhooks/kiriminaja",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "callback set: https://shop.example.id/webhooks/kiriminaja\n  KiriminAja: Callback di set ke https://shop.example.id/webhooks/kiriminaja\n"
    );
    assert!(
        r.stderr
            .contains("`kiriminaja listen` must already be reachable there")
    );

    let r = run(env.api(&server.url).args([
        "callback",
        "set",
        "--json",
        "https://shop.example.id/hook",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["status"], true);
    assert_eq!(r.json_lines()[0]["url"], "https://shop.example.id/hook");

    // The provider's refusal: exit 6 with its text.
    let r = run(env
        .api(&server.url)
        .args(["callback", "set", "https://down.invalid/hook"]));
    assert_eq!(r.code, 6);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("tidak dapat dihubungi"), "{}", r.stderr);

    // A refused key is 4, an unreachable API 5, plain http to a public host a usage error.
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", "kja-wrong-key-000000")
        .env("KIRIMINAJA_BASE_URL", &server.url)
        .args(["callback", "set", "https://shop.example.id/hook"]));
    assert_eq!(r.code, 4);
    assert!(!r.stderr.contains("kja-wrong-key"));
    let r =
        run(env
            .api(&closed_port_url())
            .args(["callback", "set", "https://shop.example.id/hook"]));
    assert_eq!(r.code, 5);
    let r = run(env
        .api(&server.url)
        .args(["callback", "set", "http://shop.example.id/hook"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing plain http://"), "{}", r.stderr);
    // Loopback http is fine (for trying it against this server).
    let r = run(env
        .api(&server.url)
        .args(["callback", "set", "http://127.0.0.1:9000/hook"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}
