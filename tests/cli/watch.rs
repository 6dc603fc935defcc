//! `kiriminaja watch` against a scripted server whose answers change between polls.

use std::time::Duration;

use serde_json::Value;

use crate::support::*;

const CREATED: (&str, i64, &str) = ("2024-05-01 10:00:00", 101, "Order created");
const PICKED: (&str, i64, &str) = ("2024-05-01 15:00:00", 100, "Picked up by courier JAKARTA");
const HUB: (&str, i64, &str) = ("2024-05-02 01:00:00", 100, "Arrived at hub BANDUNG");
const OUT: (&str, i64, &str) = ("2024-05-02 08:00:00", 100, "With delivery courier BANDUNG");
const DELIVERED: (&str, i64, &str) = ("2024-05-02 13:00:00", 200, "Delivered to SITI");
const RETURNED: (&str, i64, &str) = ("2024-05-03 13:00:00", 400, "Returned to sender");
const CANCELED: (&str, i64, &str) = ("2024-05-01 11:00:00", 300, "Canceled by system");

fn watch(env: &Env, url: &str) -> assert_cmd::Command {
    let mut cmd = env.api(url);
    cmd.args(["watch", "--interval", "1s", "--timeout", "60s"]);
    cmd
}

/// Every JSON line is an object with a known type, the query and an RFC 3339 time.
fn events(r: &Run) -> Vec<Value> {
    let lines = r.json_lines();
    for line in &lines {
        let kind = line["type"].as_str().unwrap();
        assert!(
            ["snapshot", "event", "status", "final", "error", "recovered"].contains(&kind),
            "{line}"
        );
        assert!(line["query"].is_string(), "{line}");
        let at = line["at"].as_str().unwrap();
        assert!(at.len() >= 25 && at.ends_with("+07:00"), "{at}");
    }
    lines
}

fn kinds(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn new_entries_are_printed_once_in_order_until_delivered() {
    let server = ScriptedServer::start(vec![(
        "OID-1",
        vec![
            ok(tracking(101, &[CREATED])),
            ok(tracking(101, &[CREATED])),
            ok(tracking(100, &[HUB, PICKED, CREATED])),
            ok(tracking(100, &[OUT, HUB, PICKED, CREATED])),
            ok(tracking(200, &[DELIVERED, OUT, HUB, PICKED, CREATED])),
        ],
    )])
    .await;
    let env = Env::new();
    let r = run(watch(&env, &server.url).arg("OID-1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    // The first poll shows the parcel as `track` would, but its history in the order the live
    // view grows: oldest first, new entries below (issue 12, finding 3).
    assert!(out.starts_with("X  AWB AWB1\n"), "{out}");
    assert!(
        out.contains("History (1 entry, oldest first; new entries follow below)"),
        "{out}"
    );
    for text in [PICKED.2, HUB.2, OUT.2, DELIVERED.2] {
        assert_eq!(out.matches(text).count(), 1, "{text} once in:\n{out}");
    }
    let order: Vec<usize> = [PICKED.2, HUB.2, OUT.2, DELIVERED.2]
        .iter()
        .map(|t| out.find(t).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "oldest first:\n{out}"
    );
    assert!(out.contains("OID-1  status new  just created, or queued for pickup (101) → transit  being shipped (100)"), "{out}");
    assert!(
        out.trim_end().ends_with("OID-1  ✔ delivered, watch ended"),
        "{out}"
    );
    assert_eq!(
        server.times("OID-1").len(),
        5,
        "no poll after the final status"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn json_stream_and_undelivered_ends_exit_7() {
    let server = ScriptedServer::start(vec![
        (
            "OID-RET",
            vec![
                ok(tracking(100, &[PICKED, CREATED])),
                ok(tracking(400, &[RETURNED, PICKED, CREATED])),
            ],
        ),
        ("OID-CAN", vec![ok(tracking(300, &[CANCELED, CREATED]))]),
        ("OID-OK", vec![ok(tracking(200, &[DELIVERED, CREATED]))]),
    ])
    .await;
    let env = Env::new();
    let r = run(watch(&env, &server.url).args(["OID-RET", "OID-CAN", "OID-OK", "--json"]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    let lines = events(&r);
    let of =
        |q: &str| -> Vec<Value> { lines.iter().filter(|l| l["query"] == q).cloned().collect() };
    let ret = of("OID-RET");
    assert_eq!(kinds(&ret), ["snapshot", "event", "status", "final"]);
    assert_eq!(ret[0]["parcel"]["status"]["code"], 100);
    assert_eq!(ret[0]["parcel"]["histories"].as_array().unwrap().len(), 2);
    assert_eq!(ret[1]["entry"]["text"], RETURNED.2);
    assert_eq!(ret[1]["entry"]["at"], "2024-05-03T13:00:00+07:00");
    assert_eq!(ret[2]["from"]["code"], 100);
    assert_eq!(ret[2]["to"]["code"], 400);
    assert_eq!(ret[3]["delivered"], false);
    assert_eq!(
        ret[3]["status"]["label"],
        "returned to sender (return completed)"
    );
    assert_eq!(kinds(&of("OID-CAN")), ["snapshot", "final"]);
    let ok = of("OID-OK");
    assert_eq!(kinds(&ok), ["snapshot", "final"]);
    assert_eq!(ok[1]["delivered"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_exits_8() {
    let server = ScriptedServer::start(vec![("OID-1", vec![ok(tracking(100, &[PICKED]))])]).await;
    let env = Env::new();
    let r = run(env.api(&server.url).args([
        "watch",
        "OID-1",
        "--interval",
        "1s",
        "--timeout",
        "2500ms",
    ]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("timed out after 2s 500ms: 1 of 1 parcels not final (OID-1)"),
        "{}",
        r.stderr
    );
    assert!(server.times("OID-1").len() >= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_loses_and_duplicates_nothing() {
    let server = ScriptedServer::start(vec![(
        "OID-1",
        vec![
            ok(tracking(100, &[PICKED, CREATED])),
            Step::Answer(503, Vec::new(), "<html>down</html>".into()),
            Step::Answer(503, Vec::new(), "<html>down</html>".into()),
            Step::Down(Duration::from_millis(1500)),
            ok(tracking(100, &[OUT, HUB, PICKED, CREATED])),
            ok(tracking(200, &[DELIVERED, OUT, HUB, PICKED, CREATED])),
        ],
    )])
    .await;
    let env = Env::new();
    let r = run(watch(&env, &server.url).args(["OID-1", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = events(&r);
    assert_eq!(
        kinds(&lines),
        [
            "snapshot",
            "error",
            "recovered",
            "event",
            "event",
            "event",
            "status",
            "final"
        ]
    );
    let texts: Vec<&str> = lines
        .iter()
        .filter(|l| l["type"] == "event")
        .map(|l| l["entry"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, [HUB.2, OUT.2, DELIVERED.2]);
    assert_eq!(lines[1]["error"]["kind"], "server_error");
    assert_eq!(lines[1]["fatal"], false);
    assert!(lines[2]["failed_polls"].as_u64().unwrap() >= 3);
    // Reported once when it starts, once when it ends.
    assert_eq!(r.stderr.matches("warning").count(), 1, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("the service is back").count(),
        1,
        "{}",
        r.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_is_honoured_between_polls() {
    let server = ScriptedServer::start(vec![(
        "OID-1",
        vec![
            ok(tracking(100, &[PICKED])),
            Step::Answer(429, vec![("retry-after", "3".into())], String::new()),
            ok(tracking(200, &[DELIVERED, PICKED])),
        ],
    )])
    .await;
    let env = Env::new();
    let r = run(watch(&env, &server.url).arg("OID-1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let times = server.times("OID-1");
    assert_eq!(times.len(), 3);
    // Correctness, not speed: the third poll must not come before the 3 s it was asked to wait
    // (less the 10 % jitter).
    assert!(
        times[2] - times[1] >= Duration::from_millis(2700),
        "{:?}",
        times[2] - times[1]
    );
    assert!(r.stderr.contains("rate limited"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_key_ends_the_watch_with_4() {
    let server = ScriptedServer::start(vec![(
        "OID-1",
        vec![Step::Answer(
            401,
            Vec::new(),
            r#"{"message": "Unauthorized"}"#.into(),
        )],
    )])
    .await;
    let env = Env::new();
    let r = run(watch(&env, &server.url).arg("OID-1"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("API key was rejected") && r.stderr.contains("hint:"));
    assert_eq!(server.times("OID-1").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_id_never_found_is_rechecked_then_exits_3() {
    let server = ScriptedServer::start(vec![]).await;
    let env = Env::new();
    let r = run(watch(&env, &server.url).args(["OID-NEW", "--json"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(
        server.times("OID-NEW").len(),
        4,
        "asked a few times before giving up"
    );
    let lines = events(&r);
    assert_eq!(kinds(&lines), ["error"]);
    assert_eq!(lines[0]["error"]["kind"], "not_found");
    assert_eq!(lines[0]["fatal"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_late_appearing_order_is_watched() {
    let server = ScriptedServer::start(vec![(
        "OID-NEW",
        vec![
            Step::Answer(
                200,
                Vec::new(),
                r#"{"status": false, "text": "data not found"}"#.into(),
            ),
            ok(tracking(200, &[DELIVERED])),
        ],
    )])
    .await;
    let env = Env::new();
    let r = run(watch(&env, &server.url).arg("OID-NEW"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Said at once, and no error after it (issue 18, item 5).
    assert_eq!(
        r.stderr,
        "kiriminaja: OID-NEW: not found yet (try 1 of 4); asking again in about 1s\n"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn exec_runs_after_each_change_with_the_variables() {
    let server = ScriptedServer::start(vec![(
        "OID-1",
        vec![
            ok(tracking(101, &[CREATED])),
            ok(tracking(100, &[PICKED, CREATED])),
            ok(tracking(200, &[DELIVERED, PICKED, CREATED])),
        ],
    )])
    .await;
    let env = Env::new();
    let log = env.home.path().join("hook.log");
    let hook = format!(
        "echo \"$KIRIMINAJA_QUERY|$KIRIMINAJA_STATUS_CODE|$KIRIMINAJA_CATEGORY|$KIRIMINAJA_FINAL|$KIRIMINAJA_TEXT|${{KIRIMINAJA_API_KEY:-no key}}\" >> {}; echo hook-output",
        log.display()
    );
    let r = run(watch(&env, &server.url).args(["OID-1", "--json", "--exec", &hook]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The hook's own output goes to stderr, never into the JSON stream.
    events(&r);
    assert!(r.stderr.contains("hook-output"));
    let mut calls: Vec<String> = read(&log).lines().map(str::to_owned).collect();
    calls.sort();
    assert_eq!(
        calls,
        [
            "OID-1|100|transit|false|Picked up by courier JAKARTA|no key",
            "OID-1|200|final|true|Delivered to SITI|no key",
        ]
    );

    // A failing hook is reported, not fatal.
    let server = ScriptedServer::start(vec![(
        "OID-2",
        vec![
            ok(tracking(100, &[PICKED])),
            ok(tracking(200, &[DELIVERED, PICKED])),
        ],
    )])
    .await;
    let r = run(watch(&env, &server.url).args(["OID-2", "--exec", "exit 3"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("--exec for OID-2 failed"), "{}", r.stderr);
}

#[test]
fn interval_below_one_second_is_a_usage_error() {
    let env = Env::new();
    let r = run(env
        .api("http://127.0.0.1:9")
        .args(["watch", "OID-1", "--interval", "200ms"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("at least 1s"), "{}", r.stderr);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_prints_a_summary_and_exits_130() {
    let server = ScriptedServer::start(vec![("OID-1", vec![ok(tracking(100, &[PICKED]))])]).await;
    let env = Env::new();
    let child = env.spawn(&server.url, &["watch", "OID-1", "--interval", "1s"]);
    for _ in 0..100 {
        if server.times("OID-1").len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    interrupt(&child);
    let r = checked(child.wait_with_output().unwrap());
    assert_eq!(r.code, 130);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("interrupted: watching 1 parcel: 1 open"),
        "{}",
        r.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_failing_id_is_one_outage_and_backs_off() {
    let server = ScriptedServer::start(vec![
        ("FLAKY", vec![Step::Answer(503, Vec::new(), String::new())]),
        ("STEADY", vec![ok(tracking(100, &[PICKED]))]),
    ])
    .await;
    let env = Env::new();
    let r = run(env.api(&server.url).args([
        "watch",
        "FLAKY",
        "STEADY",
        "--interval",
        "1s",
        "--timeout",
        "6s",
        "--json",
    ]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    let lines = events(&r);
    let count = |kind: &str| lines.iter().filter(|l| l["type"] == kind).count();
    assert_eq!(count("error"), 1, "{}", r.stdout);
    assert_eq!(count("recovered"), 0, "{}", r.stdout);
    // 1 s, 2 s, 4 s after the first poll: at most 4 polls in 6 s, where a fixed 1 s would make 6.
    let polls = server.times("FLAKY").len();
    assert!(polls <= 4, "{polls} polls of a failing ID");
    assert!(server.times("STEADY").len() >= 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_absurd_retry_after_does_not_crash() {
    let server = ScriptedServer::start(vec![(
        "OID-1",
        vec![Step::Answer(
            429,
            vec![("retry-after", "18446744073709551615".into())],
            String::new(),
        )],
    )])
    .await;
    let env = Env::new();
    let r =
        run(env
            .api(&server.url)
            .args(["watch", "OID-1", "--interval", "1s", "--timeout", "2s"]));
    assert_eq!(r.code, 8, "{}", r.stderr);

    // A deadline too far away to represent is no deadline, not an overflow.
    let server =
        ScriptedServer::start(vec![("OID-2", vec![ok(tracking(200, &[DELIVERED]))])]).await;
    let r = run(env
        .api(&server.url)
        .args(["watch", "OID-2", "--timeout", "365d"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn exec_runs_for_a_parcel_that_is_already_final() {
    let server =
        ScriptedServer::start(vec![("OID-9", vec![ok(tracking(200, &[DELIVERED]))])]).await;
    let env = Env::new();
    let log = env.home.path().join("hook.log");
    let hook = format!(
        "echo \"$KIRIMINAJA_QUERY $KIRIMINAJA_FINAL\" >> {}",
        log.display()
    );
    let r = run(watch(&env, &server.url).args(["OID-9", "--exec", &hook]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read(&log), "OID-9 true\n");
}
