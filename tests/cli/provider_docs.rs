//! `decode-event` on what the provider's published documentation shows (issue 18, part C): the
//! complete forms, the six instant methods, a body without `data`, the legacy instant names and
//! placeholder times.

use serde_json::{Value, json};

use crate::support::*;

fn decode(file: &str, args: &[&str]) -> Run {
    let env = Env::new();
    run(env
        .cmd()
        .arg("decode-event")
        .args(args)
        .arg(example(&format!("events/{file}"))))
}

fn decode_json(file: &str) -> Value {
    let r = decode(file, &["--json"]);
    assert_eq!(r.code, 0, "{file}: {}", r.stderr);
    let mut lines = r.json_lines();
    assert_eq!(lines.len(), 1, "{file}");
    lines.remove(0)
}

#[test]
fn a_return_without_returned_at_is_under_way_not_final() {
    let r = decode("returned_packages.complete.json", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let header = r.stdout.lines().next().unwrap();
    assert!(header.contains("transit"), "{header}");
    assert!(header.contains("on its way back to the sender"), "{header}");
    assert!(!header.contains("final"), "{header}");
    // Once `returned_at` is filled, the return is done.
    let r = decode("returned_packages.short.json", &[]);
    let header = r.stdout.lines().next().unwrap();
    assert!(header.contains("final"), "{header}");
    assert!(header.contains("sent back to the sender"), "{header}");
}

#[test]
fn a_cancel_without_canceled_at_has_no_time_rather_than_the_creation_date() {
    let e = decode_json("canceled_packages.published.json");
    let order = &e["orders"][0];
    assert_eq!(order["canceled_at"], Value::Null);
    assert_eq!(order["at"], Value::Null);
    assert_eq!(order["date"], "2025-01-10T09:11:00+07:00");
    let r = decode("canceled_packages.published.json", &[]);
    assert!(!r.stdout.contains("Canceled "), "{}", r.stdout);
    // With its time, that is the time.
    let e = decode_json("canceled_packages.complete.json");
    assert_eq!(e["orders"][0]["at"], "2025-01-10T16:30:12+07:00");
}

#[test]
fn the_six_instant_methods_are_instant_events_with_meaning_and_time() {
    // file, event, category word in the header, meaning, at
    let cases = [
        (
            "instant_allocated_packages.json",
            "allocated",
            "new",
            "a driver was allocated",
            json!("2025-01-21T14:01:06+07:00"),
        ),
        (
            "instant_validated_packages.json",
            "validated",
            "new",
            "checked; cost and insurance set",
            Value::Null,
        ),
        (
            "instant_finished_packages.json",
            "finished",
            "final",
            "delivered to the recipient",
            json!("2025-01-21T14:38:52+07:00"),
        ),
        (
            "instant_rejected_packages.json",
            "rejected",
            "final",
            "the delivery was rejected",
            json!("2025-01-21T15:02:10+07:00"),
        ),
        (
            "instant_canceled_packages.json",
            "canceled",
            "final",
            "the delivery was canceled",
            json!("2025-01-21T15:20:00+07:00"),
        ),
        (
            "instant_payment_confirmed.json",
            "payment_confirmed",
            "new",
            "the payment was confirmed",
            json!("2025-01-21T14:00:40+07:00"),
        ),
    ];
    for (file, event, category, meaning, at) in cases {
        let e = decode_json(file);
        assert_eq!(e["event"], event, "{file}");
        assert_eq!(e["instant"], true, "{file}");
        assert_eq!(e["orders"][0]["at"], at, "{file}");
        assert!(e["orders"][0].get("extra").is_none(), "{file}: {e}");
        let r = decode(file, &["--strict"]);
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        assert_eq!(r.stderr, "", "{file}");
        let header = r.stdout.lines().next().unwrap();
        let method = file.trim_end_matches(".json");
        assert_eq!(
            header,
            format!("{method:<26}  {category:<7}  {meaning}"),
            "{file}"
        );
        for line in r.stdout.lines() {
            assert!(line.chars().count() <= 80, "{file}: {line}");
        }
    }
    let e = decode_json("instant_validated_packages.json");
    assert_eq!(e["orders"][0]["insurance"], true);
    assert_eq!(e["orders"][0]["insurance_amount"], 5000);
    assert_eq!(e["orders"][0]["shipping_cost"], 30500);
    let e = decode_json("instant_rejected_packages.json");
    assert_eq!(e["orders"][0]["reason"], "Destination not found");
    let e = decode_json("instant_canceled_packages.json");
    assert_eq!(e["orders"][0]["reason"], "Wait too long");
    // Keyed by its payment: no order.
    let e = decode_json("instant_payment_confirmed.json");
    assert_eq!(e["orders"][0]["order_id"], Value::Null);
    assert_eq!(e["orders"][0]["payment_id"], "PID-1737442837");
    let r = decode("instant_payment_confirmed.json", &[]);
    assert!(
        r.stdout.contains("\n  Payment    PID-1737442837\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("no order id"), "{}", r.stdout);
}

#[test]
fn a_body_with_packages_and_no_data_reads_its_orders_from_the_packages() {
    let e = decode_json("shipped_packages.packages-only.json");
    assert_eq!(e["event"], "shipped");
    assert_eq!(e["instant"], true);
    let orders = e["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["order_id"], "BDI-1737442836890");
    assert_eq!(orders[0]["awb"], "GK-11-3186222");
    assert_eq!(orders[0]["at"], Value::Null);
    assert_eq!(e["packages"][0]["status"]["code"], 106);
    // Neither `data` nor `packages`: still refused.
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["decode-event", "-"])
        .write_stdin(r#"{"method": "shipped_packages", "payment": {}}"#));
    assert_eq!(r.code, 6);
    assert!(r.stderr.contains("no `data`"), "{}", r.stderr);
}

#[test]
fn legacy_instant_names_are_read_into_the_normalized_times() {
    let e = decode_json("update_instant_packages.legacy.json");
    let order = &e["orders"][0];
    assert_eq!(order["canceled_at"], "2025-01-21T15:10:00+07:00");
    assert_eq!(order["at"], "2025-01-21T15:10:02.123456+07:00");
    assert_eq!(order["reason"], "Driver not found");
    let extra = order["extra"].as_object().unwrap();
    for key in ["cancel_date", "event_date", "cancel_reason"] {
        assert!(!extra.contains_key(key), "{key} still under extra: {order}");
    }
    // What has no normalized field stays, as given.
    assert_eq!(extra["live_track_url"], "https://gojek/test");
    assert_eq!(extra["shipping_price"], 30500);
    let r = decode("update_instant_packages.legacy.json", &[]);
    assert!(
        r.stdout.contains("    Canceled   2025-01-21 15:10 WIB\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("    Event      2025-01-21 15:10 WIB\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("cancel_date"), "{}", r.stdout);
}

#[test]
fn a_placeholder_time_is_null_but_said_and_refused_with_strict() {
    let e = decode_json("shipped_packages.placeholder.json");
    let order = &e["orders"][0];
    assert_eq!(order["shipped_at"], Value::Null);
    assert_eq!(order["at"], Value::Null);
    assert_eq!(
        order["unreadable_times"],
        json!({"shipped_at": "(shipped date)"})
    );
    let r = decode("shipped_packages.placeholder.json", &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("    Shipped    unreadable time \"(shipped date)\"\n"),
        "{}",
        r.stdout
    );
    let r = decode("shipped_packages.placeholder.json", &["--strict", "--json"]);
    assert_eq!(r.code, 6);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("unreadable time in `shipped_at`: \"(shipped date)\" (--strict)"),
        "{}",
        r.stderr
    );
}
