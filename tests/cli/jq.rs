//! `--jq EXPR`: the README's jq recipes give with `--jq` what `--json | jq -r` gives.
//!
//! The expected outputs are literal: they were made by running each recipe with `--json` piped
//! through jq 1.6 (`jq -r EXPR`); jq is not needed to run the tests.

use crate::support::*;

const DONE: &str = "OID-8793949106";
const TRANSIT: &str = "OID-TRANSIT";
const NOPE: &str = "OID-NOPE";

async fn tracking_server() -> ScriptedServer {
    ScriptedServer::start(vec![
        (DONE, vec![ok(read(&example("responses/delivered.json")))]),
        (TRANSIT, vec![ok(read(&fixture("in_transit.json")))]),
        (NOPE, vec![ok(read(&fixture("not_found.json")))]),
    ])
    .await
}

/// The README's text, which must show each recipe unchanged.
fn readme() -> String {
    read(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
}

/// Runs `track --file ids.txt` (the three IDs) with `--jq EXPR` and checks the output, and that
/// the README shows the recipe.
async fn track_recipe(expr: &str, expected: &str) {
    assert!(readme().contains(expr), "the README has no recipe {expr}");
    let server = tracking_server().await;
    let env = Env::new();
    let ids = env.home.path().join("ids.txt");
    std::fs::write(&ids, format!("# parcels\n{DONE}\n{TRANSIT}\n{NOPE}\n")).unwrap();
    let ids = ids.to_str().unwrap();
    let r = run(env
        .api(&server.url)
        .args(["track", "--file", ids, "--jq", expr]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.stdout, expected, "--jq {expr}");
    assert!(!r.stderr.contains("--jq"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn recipe_parcels_not_finished_yet() {
    track_recipe(
        "select(.found and (.status.final | not)) | .query",
        "OID-TRANSIT\n",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn recipe_tsv_of_id_category_and_last_event() {
    track_recipe(
        r#"[.query, (.status.category // "error"), (.histories[0].text // .error.message)] | @tsv"#,
        "OID-8793949106\tfinal\tDelivered to BAGUS | 14-07-2021 16:00 | YOGYAKARTA\n\
         OID-TRANSIT\ttransit\tReceived at sorting center JAKARTA\n\
         OID-NOPE\terror\tData tidak ditemukan / data not found \
         (asked express and instant tracking)\n",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn recipe_delivered_parcels_with_their_time() {
    track_recipe(
        "select(.delivered) | {query, delivered_at}",
        "{\"query\":\"OID-8793949106\",\"delivered_at\":\"2021-10-17T16:53:00+07:00\"}\n",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn recipe_branch_on_the_exit_code() {
    let expr = ".status.label";
    assert!(readme().contains(&format!("jq -r {expr} parcel.json")));
    let server = tracking_server().await;
    let env = Env::new();
    let r = run(env.api(&server.url).args(["track", DONE, "--jq", expr]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "delivered\n"),
        "{}",
        r.stderr
    );
    let r = run(env.api(&server.url).args(["track", NOPE, "--jq", expr]));
    assert_eq!((r.code, r.stdout.as_str()), (3, "null\n"), "{}", r.stderr);
}

#[test]
fn recipe_orders_delivered_from_a_log_of_pushes() {
    let expr = r#"select(.event == "finished") | .orders[] | [.order_id, .at] | @tsv"#;
    assert!(readme().contains(expr));
    let env = Env::new();
    let stream = example("events/stream.jsonl");
    let r = run(env.cmd().args(["decode-event", "--jq", expr]).arg(&stream));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "OID-8793949106\t2022-05-05T00:00:00+07:00\n");
    // The help's example too.
    let expr = ".orders[] | [.order_id, .at] | @tsv";
    let r = run(env.cmd().args(["decode-event", "--jq", expr]).arg(&stream));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "OID-8793949106\t\n\
         OID-8793949106\t2022-05-05T00:00:00+07:00\n\
         OID-7781200345\t2025-01-12T14:05:00+07:00\n\
         OID-5512300871\t2022-05-05T09:15:00+07:00\n\
         OID-8793949106\t2022-05-05T00:00:00+07:00\n\
         BDI-1737442836890\t2025-01-21T14:38:52+07:00\n\
         OID-9900112233\t2025-01-13T08:30:00+07:00\n\
         OID-4059202011\t2022-05-05T00:00:00+07:00\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn recipe_watch_only_the_endings() {
    let expr = r#"select(.type == "final") | {query, delivered}"#;
    assert!(readme().contains(expr));
    let delivered = ("2024-05-02 13:00:00", 200, "Delivered to SITI");
    let server =
        ScriptedServer::start(vec![("OID-OK", vec![ok(tracking(200, &[delivered]))])]).await;
    let env = Env::new();
    let r = run(env
        .api(&server.url)
        .args(["watch", "--interval", "1s", "OID-OK", "--jq", expr]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "{\"query\":\"OID-OK\",\"delivered\":true}\n");
}

#[test]
fn config_show_takes_jq() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["config", "show", "--jq", ".base_url.value"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "https://client.kiriminaja.com/\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_expression_is_a_usage_error_before_any_request() {
    let server = tracking_server().await;
    let env = Env::new();
    let r = run(env
        .api(&server.url)
        .args(["track", DONE, "--jq", ".query | [."]));
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("kiriminaja: error: invalid --jq expression \".query | [.\": "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("column"), "{}", r.stderr);
    assert!(server.times(DONE).is_empty(), "a request was sent");
    // Nor is input read: stdin would block.
    let r = run(env
        .cmd()
        .args(["decode-event", "--jq", "nosuchfilter"])
        .write_stdin("{"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("undefined filter `nosuchfilter` at column 1"),
        "{}",
        r.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runtime_error_is_reported_and_the_run_goes_on_exit_2() {
    let server = tracking_server().await;
    let env = Env::new();
    let r = run(env.api(&server.url).args([
        "track",
        DONE,
        TRANSIT,
        "--jq",
        r#"if .query == "OID-TRANSIT" then .histories | .[] | .nope[] else .query end"#,
    ]));
    assert_eq!(r.stdout, "OID-8793949106\n");
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "kiriminaja: error: --jq (OID-TRANSIT): cannot use null as iterable (array or object)\n"
    );
}

#[test]
fn jq_conflicts_with_raw() {
    let env = Env::new();
    let r = run(env.cmd().args(["track", "X", "--raw", "--jq", "."]));
    assert_eq!(r.code, 2);
}
