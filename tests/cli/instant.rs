//! Instant deliveries (GoSend, GrabExpress) in `track`: the instant endpoint, the auto order and
//! its request counts, `--service`, drifts, `--raw` and `--from-file`, against wiremock.

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

const TRACKING: &str = "/api/mitra/tracking";
const INSTANT: &str = "/api/mitra/v4/instant/tracking/";

fn instant_body(id: &str, date: Value, extra: Value) -> String {
    let mut result = json!({
        "order_id": id, "service": "gosend", "service_type": "instant",
        "tracking_code": "GK-11-3186222", "live_tracking_url": "https://gojek.example/t/1",
        "cancel_description": null,
        "driver": {"name": "Joko", "phone": "081300001111", "photo": null},
        "origin": {"name": "Toko Sinar Jaya", "address": "Jl. Kaliurang 5", "address_note": "Pagar hijau",
                   "phone": "0812", "lat": -7.80, "long": 110.35},
        "destination": {"name": "Siti", "address": "Jl. Magelang 9", "address_note": "",
                        "phone": "0813", "lat": -7.73, "long": 110.40},
        "date": date,
        "cost": {"shipping_cost": 15000, "insurance": 0, "admin_fee": 1000, "total_price": 16000},
        "item": {"price": 50000, "description": "Kue ulang tahun"},
    });
    if let (Value::Object(result), Value::Object(extra)) = (&mut result, extra) {
        result.extend(extra);
    }
    json!({"status": true, "text": "success", "code": 1, "method": "instant_tracking",
           "result": result})
    .to_string()
}

const CREATED: &str = "2024-01-19T04:01:37.000000Z";
const ALLOCATED: &str = "2024-01-19T04:05:00.000000Z";
const FINISHED: &str = "2024-01-19T05:10:00.000000Z";
const CANCELED: &str = "2024-01-19T04:20:00.000000Z";

fn finding() -> String {
    instant_body(
        "GS-FIND",
        json!({"created_at": CREATED, "allocated_at": null, "finished_at": null, "canceled_at": null}),
        json!({"driver": {"name": null, "phone": null, "photo": null}, "tracking_code": null,
               "live_tracking_url": null}),
    )
}

fn allocated() -> String {
    instant_body(
        "GS-ALLOC",
        json!({"created_at": CREATED, "allocated_at": ALLOCATED, "finished_at": null, "canceled_at": null}),
        json!({}),
    )
}

fn delivered() -> String {
    instant_body(
        "GS-DONE",
        json!({"created_at": CREATED, "allocated_at": ALLOCATED, "finished_at": FINISHED, "canceled_at": null}),
        json!({"live_tracking_url": null}),
    )
}

fn canceled() -> String {
    instant_body(
        "GS-CANCEL",
        json!({"created_at": CREATED, "allocated_at": null, "finished_at": null, "canceled_at": CANCELED}),
        json!({"cancel_description": "Driver tidak ditemukan \u{1b}[31m", "tracking_code": null,
               "driver": null, "live_tracking_url": null}),
    )
}

const INSTANT_NOT_FOUND: &str =
    r#"{"status": false, "text": "data not found", "code": 2, "method": null, "result": null}"#;
const EXPRESS_NOT_FOUND: &str = r#"{"status": false, "text": "Data not found"}"#;

fn ok_json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// The instant endpoint answers `body` for `id`, checking the request as the provider would.
async fn instant(server: &MockServer, id: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("{INSTANT}{id}")))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The express endpoint says "not found" to everything not mounted before.
async fn express_knows_nothing(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(TRACKING))
        .respond_with(ok_json(EXPRESS_NOT_FOUND))
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> (usize, usize) {
    let all = server.received_requests().await.unwrap();
    let posts = all.iter().filter(|r| r.method.as_str() == "POST").count();
    let gets = all.iter().filter(|r| r.method.as_str() == "GET").count();
    (posts, gets)
}

async fn every_state_server() -> MockServer {
    let server = MockServer::start().await;
    express_knows_nothing(&server).await;
    instant(&server, "GS-FIND", ok_json(&finding())).await;
    instant(&server, "GS-ALLOC", ok_json(&allocated())).await;
    instant(&server, "GS-DONE", ok_json(&delivered())).await;
    instant(&server, "GS-CANCEL", ok_json(&canceled())).await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_every_state_as_json() {
    let server = every_state_server().await;
    let env = Env::new();
    let r = run(env.api(&server.uri()).args([
        "track",
        "GS-FIND",
        "GS-ALLOC",
        "GS-DONE",
        "GS-CANCEL",
        "--json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.json_lines();
    let states: Vec<(&str, &str, bool, bool)> = lines
        .iter()
        .map(|p| {
            (
                p["status"]["instant_code"].as_str().unwrap(),
                p["status"]["category"].as_str().unwrap(),
                p["status"]["final"].as_bool().unwrap(),
                p["delivered"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("finding_driver", "new", false, false),
            ("allocated", "new", false, false),
            ("delivered", "final", true, true),
            ("cancel", "final", true, false),
        ]
    );
    for p in &lines {
        assert_eq!(p["kind"], "instant", "{p}");
        assert_eq!(p["status"]["code"], Value::Null, "{p}");
        assert_eq!(
            p["courier"],
            json!({"code": "gosend", "service": "instant"})
        );
    }
    // The same label and category as the push event about the same moment.
    assert_eq!(lines[2]["status"]["label"], "delivered");
    assert_eq!(lines[3]["status"]["label"], "canceled on request");

    let alloc = &lines[1];
    assert_eq!(
        alloc["driver"],
        json!({"name": "Joko", "phone": "081300001111", "photo": null})
    );
    assert_eq!(alloc["live_tracking_url"], "https://gojek.example/t/1");
    assert_eq!(alloc["tracking_code"], "GK-11-3186222");
    assert_eq!(alloc["costs"]["shipping_cost"], 15000);
    assert_eq!(alloc["costs"]["admin_fee"], 1000);
    assert_eq!(alloc["costs"]["total_price"], 16000);
    assert_eq!(alloc["costs"]["insurance_amount"], 0);
    assert_eq!(alloc["origin"]["address_note"], "Pagar hijau");
    assert_eq!(alloc["origin"]["latitude"], -7.8);
    assert_eq!(alloc["destination"]["address_note"], Value::Null);
    assert_eq!(
        alloc["item"],
        json!({"price": 50000, "description": "Kue ulang tahun"})
    );

    let done = &lines[2];
    assert_eq!(done["delivered_at"], "2024-01-19T12:10:00+07:00");
    let h = done["histories"].as_array().unwrap();
    let entries: Vec<(&str, &str)> = h
        .iter()
        .map(|e| {
            (
                e["at"].as_str().unwrap(),
                e["instant_code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("2024-01-19T12:10:00+07:00", "delivered"),
            ("2024-01-19T11:05:00+07:00", "allocated"),
            ("2024-01-19T11:01:37+07:00", "finding_driver"),
        ]
    );
    assert_eq!(h[1]["driver"], "Joko");

    let cancel = &lines[3];
    assert_eq!(cancel["text"], "Driver tidak ditemukan \u{1b}[31m");
    assert_eq!(cancel["histories"][0]["text"], cancel["text"]);
    assert_eq!(cancel["driver"], Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_every_state_for_people() {
    let server = every_state_server().await;
    let env = Env::new();
    let r = run(env.api(&server.uri()).args(["track", "GS-ALLOC"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = "\
GS-ALLOC  tracking code GK-11-3186222
  Courier    GoSend instant
  Status     new  driver allocated
  Driver     Joko · 081300001111
  Live       https://gojek.example/t/1
  Item       Kue ulang tahun · Rp50.000
  Route      Toko Sinar Jaya → Siti
  Cost       Rp15.000 · insurance Rp0 · admin Rp1.000 · total Rp16.000

History (2 entries, newest first)
  2024-01-19 11:05  new      driver allocated (driver: Joko)
  2024-01-19 11:01  new      looking for a driver
";
    assert_eq!(r.stdout, expected);

    let r = run(env
        .api(&server.uri())
        .args(["track", "GS-CANCEL", "--color", "always"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Summary    Driver tidak ditemukan"),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stdout.matches('\u{1b}').count(),
        r.stdout.matches("\u{1b}[0m").count() * 2
    );
    assert!(
        !r.stdout.contains("\u{1b}[31m"),
        "provider escapes are cleaned"
    );

    let r = run(env
        .api(&server.uri())
        .args(["track", "GS-DONE", "--color", "always"]));
    assert!(
        r.stdout.contains("\u{1b}[32;1mfinal"),
        "delivered is green: {}",
        r.stdout
    );

    let r =
        run(env
            .api(&server.uri())
            .args(["track", "GS-FIND", "GS-ALLOC", "GS-DONE", "GS-CANCEL"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<&str> = r.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 4, "{}", r.stdout);
    for (row, label) in rows.iter().zip([
        "looking for a driver",
        "driver allocated",
        "delivered",
        "canceled on request",
    ]) {
        assert!(
            row.contains("GoSend instant") && row.contains(label),
            "{row}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_auto_order_and_request_counts() {
    let env = Env::new();
    // Found by express: one request, the instant endpoint is not asked.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRACKING))
        .respond_with(ok_json(&read(&example("responses/delivered.json"))))
        .mount(&server)
        .await;
    let r = run(env
        .api(&server.uri())
        .args(["track", "OID-8793949106", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["kind"], "express");
    assert_eq!(requests(&server).await, (1, 0));

    // Found by instant: express first, then instant.
    let server = MockServer::start().await;
    express_knows_nothing(&server).await;
    instant(&server, "GS-DONE", ok_json(&delivered())).await;
    let r = run(env.api(&server.uri()).args(["track", "GS-DONE", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["kind"], "instant");
    let order: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(order, ["POST", "GET"]);

    // Found nowhere: two requests, not found, exit 3.
    let server = MockServer::start().await;
    express_knows_nothing(&server).await;
    instant(&server, "GS-NONE", ok_json(INSTANT_NOT_FOUND)).await;
    let r = run(env.api(&server.uri()).args(["track", "GS-NONE", "--json"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["error"]["kind"], "not_found");
    assert!(r.stderr.contains("express and instant"), "{}", r.stderr);
    assert_eq!(requests(&server).await, (1, 1));

    // The instant "not found" envelope with a 404 is "not found" too; an instant endpoint
    // that is not there (a bare 404) leaves the express "not found" as the answer.
    let server = MockServer::start().await;
    express_knows_nothing(&server).await;
    instant(
        &server,
        "GS-404",
        ResponseTemplate::new(404).set_body_string(INSTANT_NOT_FOUND),
    )
    .await;
    let r = run(env.api(&server.uri()).args(["track", "GS-404", "GS-GONE"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("GS-404: Data not found (asked express and instant"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("GS-GONE: Data not found\n"),
        "{}",
        r.stderr
    );
    assert_eq!(requests(&server).await, (2, 2));
    let r = run(env
        .api(&server.uri())
        .args(["track", "GS-GONE", "--service", "instant"]));
    assert_eq!(r.code, 4, "pinned to a missing endpoint: {}", r.stderr);

    // An express failure that is not "not found" is not passed on to instant.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let r = run(env
        .api(&server.uri())
        .args(["track", "GS-DONE", "--retries", "0"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert_eq!(requests(&server).await, (1, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_service_pinned_each_way() {
    let server = MockServer::start().await;
    express_knows_nothing(&server).await;
    instant(&server, "GS-DONE", ok_json(&delivered())).await;
    let env = Env::new();

    let r = run(env
        .api(&server.uri())
        .args(["track", "GS-DONE", "--service", "express"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.stderr.contains("instant"), "{}", r.stderr);
    assert_eq!(requests(&server).await, (1, 0));

    let r =
        run(env
            .api(&server.uri())
            .args(["track", "GS-DONE", "--service", "instant", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["kind"], "instant");
    assert_eq!(requests(&server).await, (1, 1));

    // In the config file (a profile), and the flag over the file.
    let config = env.config_file(&format!(
        "api_key = \"{KEY}\"\nbase_url = \"{}\"\nservice = \"express\"\n\
         [profiles.shop]\nservice = \"instant\"\n",
        server.uri()
    ));
    let config = config.to_str().unwrap();
    let r = run(env
        .cmd()
        .args(["--config", config, "--profile", "shop", "track", "GS-DONE"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(requests(&server).await, (1, 2));
    let r = run(env.cmd().args(["--config", config, "track", "GS-DONE"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(requests(&server).await, (2, 2));
    let r = run(env
        .cmd()
        .args(["--config", config, "track", "GS-DONE", "--service", "auto"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(requests(&server).await, (3, 3));
    let r = run(env.cmd().args(["--config", config, "config", "show"]));
    assert!(
        r.stdout.contains("service      express  (config file)"),
        "{}",
        r.stdout
    );

    let r = run(env
        .api(&server.uri())
        .args(["track", "X", "--service", "gosend"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_id_is_percent_encoded_in_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex(
            r"^/api/mitra/v4/instant/tracking/GS%2F1%3Fa%23b%25$",
        ))
        .respond_with(ok_json(&delivered()))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    let r =
        run(env
            .api(&server.uri())
            .args(["track", "GS/1?a#b%", "--service", "instant", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["query"], "GS/1?a#b%");
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_drifts_decode() {
    let drifted = json!({
        "status": "true", "text": "success", "code": "1", "method": null, "x_new": {"a": [1]},
        "result": {
            "order_id": 98765, "service": "grab_express", "service_type": "instant",
            "tracking_code": "", "live_tracking_url": null, "cancel_description": "",
            "driver": "pending", "origin": null,
            "destination": {"name": "Siti", "lat": "-7.73", "long": "110.40", "phone": 62813},
            "date": {"created_at": "2024-01-19T04:01:37.000000Z", "allocated_at": "",
                     "finished_at": null, "canceled_at": "0000-00-00 00:00:00", "x": 1},
            "cost": {"shipping_cost": "15000", "insurance": "", "admin_fee": "1000.5",
                     "total_price": 16000},
        }
    });
    let server = MockServer::start().await;
    express_knows_nothing(&server).await;
    instant(&server, "GS-DRIFT", ok_json(&drifted.to_string())).await;
    instant(
        &server,
        "GS-NF",
        ok_json(r#"{"status": false, "code": "2", "result": null}"#),
    )
    .await;
    let env = Env::new();
    let r = run(env
        .api(&server.uri())
        .args(["track", "GS-DRIFT", "GS-NF", "--json"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let lines = r.json_lines();
    let p = &lines[0];
    assert_eq!(p["order_id"], "98765");
    assert_eq!(p["status"]["instant_code"], "finding_driver");
    assert_eq!(p["histories"].as_array().unwrap().len(), 1);
    assert_eq!(p["tracking_code"], Value::Null);
    assert_eq!(p["driver"], Value::Null);
    assert_eq!(p["item"], Value::Null);
    assert_eq!(p["origin"], Value::Null);
    assert_eq!(p["destination"]["phone"], "62813");
    assert_eq!(p["destination"]["latitude"], -7.73);
    assert_eq!(p["costs"]["shipping_cost"], 15000);
    assert_eq!(p["costs"]["admin_fee"], 1000.5);
    assert_eq!(p["costs"]["insurance_amount"], Value::Null);
    assert_eq!(lines[1]["error"]["kind"], "not_found");

    let r = run(env.api(&server.uri()).args(["track", "GS-DRIFT"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("GrabExpress instant"), "{}", r.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_errors_have_the_express_kinds_and_exit_codes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{INSTANT}GS-500")))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"message": "Server Error"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{INSTANT}GS-HTML")))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let env = Env::new();
    let r = run(env.api(&server.uri()).args([
        "track",
        "GS-500",
        "GS-HTML",
        "--service",
        "instant",
        "--retries",
        "0",
        "--json",
    ]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    let kinds: Vec<Value> = r
        .json_lines()
        .iter()
        .map(|l| l["error"]["kind"].clone())
        .collect();
    assert_eq!(kinds, ["server_error", "invalid_response"]);

    Mock::given(method("GET"))
        .and(path(format!("{INSTANT}GS-401")))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"})))
        .mount(&server)
        .await;
    let r = run(env
        .api(&server.uri())
        .args(["track", "GS-401", "--service", "instant"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("API key was rejected"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn instant_raw_prints_every_body_and_reads_back() {
    let server = MockServer::start().await;
    express_knows_nothing(&server).await;
    instant(&server, "GS-DONE", ok_json(&delivered())).await;
    let env = Env::new();
    // Asked only where it is: the instant body.
    let r = run(env
        .api(&server.uri())
        .args(["track", "GS-DONE", "--raw", "--service", "instant"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("{}\n", delivered()));
    // In auto, the express refusal came first: both bodies, in the order asked.
    let r = run(env.api(&server.uri()).args(["track", "GS-DONE", "--raw"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("{EXPRESS_NOT_FOUND}\n{}\n", delivered()));
    // And read back, the pair is the one parcel it was.
    let back = run(env
        .cmd()
        .args(["track", "--from-file", "-", "--json"])
        .write_stdin(r.stdout));
    assert_eq!(back.code, 0, "{}", back.stderr);
    assert_eq!(back.stderr, "");
    let lines = back.json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["query"], "GS-DONE");
    assert_eq!(lines[0]["kind"], "instant");
}

#[test]
fn instant_from_file_is_recognized_by_shape() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["track", "--from-file", "-", "--json"])
        .write_stdin(delivered()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = &r.json_lines()[0];
    assert_eq!(p["query"], "GS-DONE");
    assert_eq!(p["kind"], "instant");
    assert_eq!(p["status"]["instant_code"], "delivered");

    let r = run(env
        .cmd()
        .args(["track", "--from-file", "-"])
        .write_stdin(canceled()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("GS-CANCEL\n"), "{}", r.stdout);

    let r = run(env
        .cmd()
        .args(["track", "--from-file", "-"])
        .write_stdin(INSTANT_NOT_FOUND));
    assert_eq!(r.code, 3, "{}", r.stderr);
}
