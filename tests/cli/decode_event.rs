//! `kiriminaja decode-event` on the examples in `examples/events/` and on broken input.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::support::*;

/// The key inside `examples/events/captured-request.http`.
const EXAMPLE_KEY: &str = "kja-example-4d1f8b2c9e7a6035";

fn event_file(name: &str) -> PathBuf {
    example(&format!("events/{name}"))
}

/// `decode-event --json FILE` (no key), expecting success and one payload.
fn decode_json(name: &str) -> (Value, String) {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["decode-event", "--json"])
        .arg(event_file(name)));
    assert_eq!(r.code, 0, "{name}: {}", r.stderr);
    let mut lines = r.json_lines();
    assert_eq!(lines.len(), 1, "{name}: {}", r.stdout);
    (lines.remove(0), r.stderr)
}

/// Writes `text` to a file in the test's home and returns its path.
fn temp_file(env: &Env, name: &str, text: &[u8]) -> PathBuf {
    let path = env.home.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The captured example request with another Authorization line (or none).
fn request_with(authorization: Option<&str>) -> String {
    let text = read(&event_file("captured-request.http"));
    let old = format!("Authorization: Bearer {EXAMPLE_KEY}\r\n");
    assert!(text.contains(&old));
    let new = authorization.map_or_else(String::new, |a| format!("Authorization: {a}\r\n"));
    text.replace(&old, &new)
}

#[test]
fn every_method_in_short_and_complete_form() {
    // file, method, event, the order's `at`, complete (payment and packages present)
    let cases = [
        (
            "processed_packages.short.json",
            "processed",
            Value::Null,
            false,
        ),
        (
            "processed_packages.complete.json",
            "processed",
            json!("2025-01-09T13:02:03+07:00"),
            true,
        ),
        (
            "shipped_packages.short.json",
            "shipped",
            json!("2022-05-05T00:00:00+07:00"),
            false,
        ),
        (
            "shipped_packages.complete.json",
            "shipped",
            json!("2025-01-09T17:44:04+07:00"),
            true,
        ),
        (
            "canceled_packages.short.json",
            "canceled",
            json!("2022-05-05T09:15:00+07:00"),
            false,
        ),
        (
            "canceled_packages.complete.json",
            "canceled",
            json!("2025-01-10T16:30:12+07:00"),
            true,
        ),
        (
            "finished_packages.short.json",
            "finished",
            json!("2022-05-05T00:00:00+07:00"),
            false,
        ),
        (
            "finished_packages.complete.json",
            "finished",
            json!("2025-01-11T16:00:00+07:00"),
            true,
        ),
        (
            "returned_packages.short.json",
            "returned",
            json!("2022-05-05T00:00:00+07:00"),
            false,
        ),
        // Flagged for return, not back yet: no returned_at, and `at` is only ever the time the
        // event is about (never `date`, when the order was created).
        (
            "returned_packages.complete.json",
            "returned",
            Value::Null,
            true,
        ),
        (
            "return_finished_packages.short.json",
            "returned",
            json!("2021-03-31T00:00:00+07:00"),
            false,
        ),
        (
            "return_finished_packages.complete.json",
            "returned",
            json!("2021-03-31T00:00:00+07:00"),
            true,
        ),
        (
            "validated_packages.short.json",
            "validated",
            json!("2025-01-12T14:05:00+07:00"),
            false,
        ),
        (
            "validated_packages.complete.json",
            "validated",
            json!("2025-01-12T14:05:00+07:00"),
            true,
        ),
        (
            "rejected_packages.short.json",
            "rejected",
            json!("2025-01-13T08:30:00+07:00"),
            false,
        ),
        (
            "rejected_packages.complete.json",
            "rejected",
            json!("2025-01-13T08:30:00+07:00"),
            true,
        ),
    ];
    for (file, event, at, complete) in cases {
        let (e, _) = decode_json(file);
        let method = file.split('.').next().unwrap();
        assert_eq!(e["method"], method, "{file}");
        assert_eq!(e["event"], event, "{file}");
        assert_eq!(
            e["deprecated"],
            method == "return_finished_packages",
            "{file}"
        );
        assert_eq!(e["instant"], false, "{file}");
        assert_eq!(e["verified"], Value::Null, "{file}");
        assert!(
            e.get("request").is_none() && e.get("data").is_none(),
            "{file}"
        );
        let orders = e["orders"].as_array().unwrap();
        assert!(!orders.is_empty(), "{file}");
        assert_eq!(orders[0]["at"], at, "{file}");
        assert!(orders[0]["order_id"].is_string(), "{file}");
        for key in [
            "awb",
            "date",
            "shipped_at",
            "finished_at",
            "returned_at",
            "rejected_at",
            "canceled_at",
            "reason",
            "sorting_code",
            "shipping_cost",
            "status",
        ] {
            assert!(orders[0].get(key).is_some(), "{file}: no {key}");
        }
        assert_eq!(e["payment"].is_object(), complete, "{file}");
        assert_eq!(e["packages"].is_array(), complete, "{file}");
        if !complete {
            assert_eq!(e["payment"], Value::Null, "{file}");
            assert_eq!(e["packages"], Value::Null, "{file}");
        }

        // The human view of the same file.
        let env = Env::new();
        let r = run(env.cmd().arg("decode-event").arg(event_file(file)));
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        // The method padded to the longest one, so categories line up across headers, and
        // the header fits 80 columns (issue 12, finding 1).
        let header = r.stdout.lines().next().unwrap();
        assert!(
            header.starts_with(&format!("{method:<26}  ")),
            "{file}: {header}"
        );
        assert!(header.chars().count() <= 80, "{file}: {header}");
        let _ = event;
    }
}

#[test]
fn complete_event_in_full() {
    let (e, stderr) = decode_json("processed_packages.complete.json");
    assert_eq!(stderr, "");
    assert_eq!(
        e["orders"][0],
        json!({"order_id": "OID-8793949106", "awb": "DEVEL-000000004",
               "at": "2025-01-09T13:02:03+07:00", "date": "2025-01-09T13:02:03+07:00",
               "shipped_at": null, "finished_at": null, "returned_at": null,
               "rejected_at": null, "canceled_at": null, "reason": null, "sorting_code": null,
               "shipping_cost": null, "status": null, "allocated_at": null, "paid_at": null,
               "payment_id": null, "insurance": null, "insurance_amount": null})
    );
    assert_eq!(
        e["payment"],
        json!({"payment_id": "PID-1736402523", "amount": 11200, "status": "paid",
               "status_code": 0, "qr_content": null, "pay_time": "2025-01-09T13:01:44+07:00"})
    );
    let p = &e["packages"][0];
    assert_eq!(p["service"], "jne");
    assert_eq!(p["service_type"], "REG");
    assert_eq!(
        p["status"],
        json!({"code": 105, "label": "waiting for shipping and for an AWB", "category": "new",
               "final": false})
    );
    assert_eq!(p["origin"]["latitude"], -7.7467);
    assert_eq!(p["destination"]["latitude"], Value::Null);
    assert_eq!(
        p["driver"],
        json!({"name": null, "phone": null, "image": null})
    );

    let env = Env::new();
    let r = run(env
        .cmd()
        .arg("decode-event")
        .arg(event_file("processed_packages.complete.json")));
    assert_eq!(
        r.stdout,
        "\
processed_packages          new      AWB created, awaiting the courier
  Order      OID-8793949106  AWB DEVEL-000000004
    Date       2025-01-09 13:02 WIB
  Payment    Rp11.200 · paid · paid at 2025-01-09 13:01 WIB · PID-1736402523
  Package    DEVEL-000000004 · OID-8793949106
    Courier    JNE REG
    Status     new  waiting for shipping and for an AWB (105)
    Route      KiriminAja (Jl. Utara Stadion… → Zainal Arifin (Ngaglik RT. 32…
"
    );
}

#[test]
fn both_timestamp_styles_are_shown_in_wib() {
    // Short: WIB civil time, kept as is.
    let (e, _) = decode_json("finished_packages.short.json");
    assert_eq!(e["orders"][0]["finished_at"], "2022-05-05T00:00:00+07:00");
    // Complete: ISO 8601 UTC with microseconds, moved to WIB.
    let (e, _) = decode_json("finished_packages.complete.json");
    assert_eq!(e["orders"][0]["finished_at"], "2025-01-11T16:00:00+07:00");
    assert_eq!(e["orders"][0]["shipped_at"], "2025-01-09T17:44:04+07:00");

    let env = Env::new();
    let r = run(env
        .cmd()
        .arg("decode-event")
        .arg(event_file("finished_packages.short.json"))
        .arg(event_file("finished_packages.complete.json")));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("    Finished   2022-05-05 00:00 WIB\n"));
    assert!(r.stdout.contains("    Finished   2025-01-11 16:00 WIB\n"));
    assert!(
        r.stdout.contains("\n\nfinished_packages  "),
        "a blank line between payloads"
    );
}

#[test]
fn drifted_types_decode() {
    // Strings for numbers (shipping_cost, amount, status_code, package status) in the example.
    let (e, _) = decode_json("validated_packages.complete.json");
    assert_eq!(e["orders"][0]["shipping_cost"], 18000);
    assert_eq!(e["payment"]["amount"], 18000);
    assert_eq!(e["payment"]["status"], "unpaid");
    assert_eq!(e["payment"]["status_code"], 9);
    assert_eq!(e["packages"][0]["status"]["code"], 102);

    let env = Env::new();
    let drifted = json!({
        "method": "finished_package",
        "unknown_key": {"nested": [1, 2]},
        "data": [{"order_id": 8793949106u64, "awb": "", "finished_at": "2022-05-05 00:00:00",
                  "shipping_cost": "", "reason": null, "extra": true},
                 {"order_id": "OID-2", "finished_at": "not a time"}],
        "payment": {"amount": "11200.5", "status_code": "7"},
        "packages": [{"status": null, "origin": "oops", "driver": []}, 12]
    });
    let path = temp_file(&env, "drifted.json", drifted.to_string().as_bytes());
    let r = run(env.cmd().args(["decode-event", "--json"]).arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let e = &r.json_lines()[0];
    assert_eq!(e["method"], "finished_package");
    assert_eq!(e["event"], "finished");
    assert_eq!(e["orders"][0]["order_id"], "8793949106");
    assert_eq!(e["orders"][0]["awb"], Value::Null);
    assert_eq!(e["orders"][0]["shipping_cost"], Value::Null);
    assert_eq!(e["orders"][1]["finished_at"], Value::Null);
    assert_eq!(e["orders"][1]["at"], Value::Null);
    assert_eq!(e["payment"]["amount"], 11200.5);
    assert_eq!(e["payment"]["status"], "unknown");
    let packages = e["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 1);
    assert_eq!(packages[0]["status"]["category"], "unknown");
    assert_eq!(packages[0]["origin"], Value::Null);

    let r = run(env.cmd().arg("decode-event").arg(&path));
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("Rp11.200,50 · payment status unknown (code 7)"),
        "{}",
        r.stdout
    );
}

#[test]
fn deprecated_method_warns_once() {
    let (e, stderr) = decode_json("return_finished_packages.short.json");
    assert_eq!(e["event"], "returned");
    assert_eq!(e["deprecated"], true);
    assert_eq!(e["orders"].as_array().unwrap().len(), 2);
    assert_eq!(
        stderr,
        format!(
            "kiriminaja: warning: {}: payload 1: method return_finished_packages is deprecated; \
             returned_packages replaces it\n",
            event_file("return_finished_packages.short.json").display()
        )
    );

    let env = Env::new();
    let file = event_file("return_finished_packages.complete.json");
    let r = run(env.cmd().arg("decode-event").arg(&file).arg(&file));
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr.matches("deprecated").count(), 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("[deprecated]") && r.stderr.contains("returned_packages replaces it")
    );
}

#[test]
fn legacy_instant_object() {
    let (e, _) = decode_json("update_instant_packages.json");
    assert_eq!(e["event"], "instant_update");
    assert_eq!(e["instant"], true);
    let o = &e["orders"][0];
    assert_eq!(o["order_id"], "BDI-1737442836890");
    assert_eq!(o["at"], "2025-01-21T14:38:52+07:00");
    assert_eq!(
        o["status"],
        json!({"code": "delivered", "label": "delivered", "category": "final", "final": true})
    );
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["decode-event", "--color", "always"])
        .arg(event_file("update_instant_packages.json")));
    assert!(
        r.stdout.contains("\u{1b}[32;1mfinal"),
        "delivered is green: {}",
        r.stdout
    );
    assert!(r.stdout.contains("instant: delivered"));
}

#[test]
fn unknown_keys_are_kept_under_extra() {
    let (e, _) = decode_json("shipped_packages.extra.json");
    assert_eq!(
        e["extra"],
        json!({"sent_at": "2025-01-21T07:01:10.000000Z"})
    );
    assert_eq!(
        e["orders"][0]["extra"],
        json!({"weight": 1000, "cod": {"amount": "25000", "fee": 1000}})
    );
    assert_eq!(e["payment"]["extra"], json!({"payment_method": "qris"}));
    let p = &e["packages"][0];
    assert_eq!(p["extra"], json!({"insurance": 0}));
    assert_eq!(
        p["origin"]["extra"],
        json!({"address_note": "gudang belakang"})
    );
    // `extra` is there only when something is in it.
    for absent in [&p["destination"], &p["driver"]] {
        assert!(absent.get("extra").is_none(), "{absent}");
    }
    let (plain, _) = decode_json("shipped_packages.complete.json");
    assert!(!plain.to_string().contains("\"extra\""), "{plain}");

    let env = Env::new();
    let r = run(env
        .cmd()
        .arg("decode-event")
        .arg(event_file("shipped_packages.extra.json")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for expected in [
        "    weight: 1000\n",
        "    cod: {\"amount\":\"25000\",\"fee\":1000}\n",
        "    payment_method: qris\n",
        "    insurance: 0\n",
        "    origin.address_note: gudang belakang\n",
        "  sent_at: 2025-01-21T07:01:10.000000Z\n",
    ] {
        assert!(r.stdout.contains(expected), "{expected}\n{}", r.stdout);
    }
}

#[test]
fn unknown_keys_in_the_human_view_are_cleaned_and_cut() {
    let env = Env::new();
    let long = "x".repeat(200);
    let payload = format!(
        r#"{{"method":"finished_packages","data":[{{"order_id":"X","note\u001b[31m":"a\u001b]0;pwned\u0007b\u202e","long":"{long}"}}]}}"#
    );
    let path = temp_file(&env, "odd.json", payload.as_bytes());
    let r = run(env.cmd().arg("decode-event").arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains('\u{1b}')
            && !r.stdout.contains('\u{7}')
            && !r.stdout.contains('\u{202e}')
    );
    assert!(
        r.stdout.contains("    note [31m: a ]0;pwned b\n"),
        "{}",
        r.stdout
    );
    let long_line = r.stdout.lines().find(|l| l.contains("long:")).unwrap();
    assert!(
        long_line.chars().count() <= 80 && long_line.ends_with('…'),
        "{long_line}"
    );
}

#[test]
fn legacy_instant_object_keeps_every_field() {
    let (e, _) = decode_json("update_instant_packages.full.json");
    let o = &e["orders"][0];
    // No known time field: `at` is the first `_at`/`_date` field that reads as a time
    // (`created_at` does not; `updated_at` does, and comes before `pickup_date`).
    assert_eq!(o["at"], "2025-01-21T14:05:12+07:00");
    assert_eq!(o["date"], Value::Null);
    assert_eq!(o["shipping_cost"], 30500);
    assert_eq!(o["status"]["code"], "picked_up");
    let extra = o["extra"].as_object().unwrap();
    let keys: Vec<&str> = extra.keys().map(String::as_str).collect();
    for key in [
        "service",
        "service_type",
        "insurance_price",
        "total_price",
        "driver",
        "created_at",
        "updated_at",
        "pickup_date",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(
        o["extra"]["driver"],
        json!({"name": "Agus", "phone": "081229917190", "plate": "AB 1234 XY"})
    );
    // With a known time field, that one is `at`, as before.
    let (e, _) = decode_json("update_instant_packages.json");
    assert_eq!(e["orders"][0]["at"], "2025-01-21T14:38:52+07:00");

    let env = Env::new();
    let r = run(env
        .cmd()
        .arg("decode-event")
        .arg(event_file("update_instant_packages.full.json")));
    for expected in [
        "    Status     transit  picked up by the driver (picked_up)\n",
        "    service: gosend\n",
        "    driver: {\"name\":\"Agus\",\"phone\":\"081229917190\",\"plate\":\"AB 1234 XY\"}\n",
        "    updated_at: 2025-01-21T07:05:12.000000Z\n",
    ] {
        assert!(r.stdout.contains(expected), "{expected}\n{}", r.stdout);
    }
}

/// The three mixes of `bench/gen-events.sh`: every line decodes, in the documented shape, and
/// `extra` appears only where the generator puts unknown keys (the drifted and legacy events of
/// the realistic mix).
#[test]
fn each_benchmark_mix_decodes_in_the_documented_shape() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let event_keys = [
        "method",
        "event",
        "deprecated",
        "instant",
        "orders",
        "payment",
        "packages",
        "verified",
    ];
    let order_keys = [
        "order_id",
        "awb",
        "at",
        "date",
        "shipped_at",
        "finished_at",
        "returned_at",
        "rejected_at",
        "canceled_at",
        "reason",
        "sorting_code",
        "shipping_cost",
        "status",
    ];
    for mix in ["short", "complete", "mixed"] {
        let out = std::process::Command::new("bash")
            .arg(root.join("bench/gen-events.sh"))
            .args(["1", mix])
            .output()
            .unwrap();
        assert!(out.status.success(), "{mix}");
        let input = String::from_utf8(out.stdout).unwrap();
        let env = Env::new();
        let path = temp_file(&env, "mix.jsonl", input.as_bytes());
        let r = run(env.cmd().args(["decode-event", "--json"]).arg(&path));
        assert_eq!(r.code, 0, "{mix}: {}", r.stderr);
        // Only the deprecated method's warning, once.
        assert_eq!(
            r.stderr.matches("warning").count(),
            1,
            "{mix}: {}",
            r.stderr
        );
        let events = r.json_lines();
        assert_eq!(events.len(), input.lines().count(), "{mix}");
        let mut with_extra = 0;
        for e in &events {
            let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
            for key in event_keys {
                assert!(keys.contains(&key), "{mix}: {key} missing in {e}");
            }
            for o in e["orders"].as_array().unwrap() {
                for key in order_keys {
                    assert!(o.get(key).is_some(), "{mix}: {key} missing in {o}");
                }
            }
            let complete = e["payment"].is_object();
            assert_eq!(complete, e["packages"].is_array(), "{e}");
            match mix {
                "short" => assert!(!complete, "{e}"),
                "complete" => assert!(complete, "{e}"),
                _ => {}
            }
            if e.to_string().contains("\"extra\"") {
                with_extra += 1;
            }
        }
        match mix {
            "mixed" => assert!(with_extra > 0 && with_extra < events.len(), "{with_extra}"),
            _ => assert_eq!(with_extra, 0, "{mix}"),
        }
    }
}

#[test]
fn instant_variants_of_express_methods() {
    let (e, _) = decode_json("shipped_packages.instant.json");
    assert_eq!(e["event"], "shipped");
    assert_eq!(e["instant"], true);
    let p = &e["packages"][0];
    assert_eq!(p["service_type"], "instant");
    assert_eq!(p["status"]["code"], 106);
    assert_eq!(p["live_tracking_url"], "https://gojek/test");
    assert_eq!(p["driver"]["name"], "Budi Santoso");
    let (e, _) = decode_json("finished_packages.instant.json");
    assert_eq!(e["event"], "finished");
    assert_eq!(e["instant"], true);
    assert_eq!(e["packages"][0]["status"]["final"], true);

    let env = Env::new();
    let r = run(env
        .cmd()
        .arg("decode-event")
        .arg(event_file("shipped_packages.instant.json")));
    for expected in [
        "shipped_packages            transit  picked up, on its way (instant)",
        "    Courier    GOSEND instant\n",
        "    Status     transit  carried by the courier (106)\n",
        "    Driver     Budi Santoso · 081234567890\n",
        "    Tracking   https://gojek/test\n",
        "Okka (Wirobrajan Kota Yogyakar… → Okka",
    ] {
        assert!(r.stdout.contains(expected), "{expected}\n{}", r.stdout);
    }
}

#[test]
fn unknown_method_is_shown_or_refused() {
    let env = Env::new();
    let path = temp_file(
        &env,
        "odd.json",
        br#"{"method": "teleported_packages", "data": {"order_id": "OID-1", "where": [1, 2]}}"#,
    );
    let r = run(env.cmd().args(["decode-event", "--json"]).arg(&path));
    assert_eq!(r.code, 0);
    let e = &r.json_lines()[0];
    assert_eq!(e["event"], "unknown");
    assert_eq!(e["data"], json!({"order_id": "OID-1", "where": [1, 2]}));
    assert_eq!(e["orders"], json!([]));
    assert_eq!(
        r.stderr,
        format!(
            "kiriminaja: warning: {}: payload 1: unknown method \"teleported_packages\", shown as given\n",
            path.display()
        )
    );
    let r = run(env.cmd().arg("decode-event").arg(&path));
    assert!(
        r.stdout
            .starts_with("teleported_packages         unknown  unknown method")
    );
    assert!(
        r.stdout
            .contains("  Data       {\"order_id\":\"OID-1\",\"where\":[1,2]}\n")
    );

    let r = run(env
        .cmd()
        .args(["decode-event", "--json", "--strict"])
        .arg(&path));
    assert_eq!(r.code, 6);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!(
            "kiriminaja: error: {}: payload 1 (line 1, column 1): unknown method \"teleported_packages\" (--strict)\n",
            path.display()
        )
    );
}

#[test]
fn captured_request_with_the_right_bearer() {
    let env = Env::new();
    let path = temp_file(
        &env,
        "push.http",
        request_with(Some(&format!("Bearer {KEY}"))).as_bytes(),
    );
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let e = &r.json_lines()[0];
    assert_eq!(e["verified"], true);
    assert_eq!(
        e["request"],
        json!({"method": "POST", "path": "/webhooks/kiriminaja",
               "user_agent": "KiriminAja-Push-Services", "problems": []})
    );
    assert_eq!(e["event"], "finished");

    // --verify passes and prints it; the human view says so.
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--verify"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("  Verified   yes\n"));
    assert!(
        r.stdout
            .contains("  Request    POST /webhooks/kiriminaja\n")
    );
    assert!(
        r.stdout
            .contains("  User agent KiriminAja-Push-Services (reported, not trusted)\n")
    );

    // The key from the config file works the same (same settings as `track`).
    let config = env.config_file(&format!("api_key = \"{KEY}\"\n"));
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_CONFIG", &config)
        .args(["decode-event", "--verify", "--json"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["verified"], true);
}

#[test]
fn the_example_request_verifies_with_its_own_key_without_printing_it() {
    let env = Env::new();
    let out = env
        .cmd()
        .env("KIRIMINAJA_API_KEY", EXAMPLE_KEY)
        .args(["decode-event", "--verify"])
        .write_stdin(read(&event_file("captured-request.http")))
        .output()
        .unwrap();
    let r = checked(out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Verified   yes"));
    assert!(!r.stdout.contains(EXAMPLE_KEY) && !r.stderr.contains(EXAMPLE_KEY));
}

#[test]
fn captured_request_with_a_wrong_or_missing_bearer() {
    let env = Env::new();
    let cases = [
        (
            "wrong.http",
            Some("Bearer kja-someone-elses-key-0000"),
            "wrong_bearer",
            "wrong bearer",
        ),
        // The right key with one character off: still wrong, and never printed.
        (
            "off.http",
            Some(&*format!("Bearer {KEY}x")),
            "wrong_bearer",
            "wrong bearer",
        ),
        ("missing.http", None, "missing_bearer", "missing bearer"),
        (
            "basic.http",
            Some("Basic dXNlcjpwYXNz"),
            "missing_bearer",
            "missing bearer",
        ),
    ];
    for (name, authorization, problem, words) in cases {
        let path = temp_file(&env, name, request_with(authorization).as_bytes());
        // Without --verify: shown, with the verdict.
        let r = run(env
            .cmd()
            .env("KIRIMINAJA_API_KEY", KEY)
            .args(["decode-event", "--json"])
            .arg(&path));
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let e = &r.json_lines()[0];
        assert_eq!(e["verified"], false, "{name}");
        assert_eq!(e["request"]["problems"], json!([problem]), "{name}");
        let r = run(env
            .cmd()
            .env("KIRIMINAJA_API_KEY", KEY)
            .arg("decode-event")
            .arg(&path));
        assert!(
            r.stdout
                .contains(&format!("  Verified   no (reason: {words})\n")),
            "{name}: {}",
            r.stdout
        );
        // With --verify: refused, not shown, exit 4.
        let r = run(env
            .cmd()
            .env("KIRIMINAJA_API_KEY", KEY)
            .args(["decode-event", "--verify"])
            .arg(&path));
        assert_eq!(r.code, 4, "{name}");
        assert_eq!(r.stdout, "", "{name}");
        assert_eq!(
            r.stderr,
            format!(
                "kiriminaja: error: {}: request at line 1 not verified ({words}); its payload is not shown\n",
                path.display()
            )
        );
        assert!(!r.stderr.contains("kja-someone-elses-key") && !r.stdout.contains("kja-someone"));
    }
}

#[test]
fn captured_request_without_a_key_configured() {
    let env = Env::new();
    let request = request_with(Some(&format!("Bearer {KEY}")));
    // No key: decoded, but not verified either way.
    let out = env
        .cmd()
        .args(["decode-event", "--json"])
        .write_stdin(request.clone())
        .output()
        .unwrap();
    let r = checked(out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["verified"], Value::Null);
    let out = env
        .cmd()
        .arg("decode-event")
        .write_stdin(request.clone())
        .output()
        .unwrap();
    assert!(
        checked(out)
            .stdout
            .contains("  Verified   not checked (no API key configured)\n")
    );
    // A missing bearer is wrong whatever the key.
    let out = env
        .cmd()
        .args(["decode-event", "--json"])
        .write_stdin(request_with(None))
        .output()
        .unwrap();
    assert_eq!(checked(out).json_lines()[0]["verified"], false);
    // --verify without a key: the configuration error, exit 4.
    let out = env
        .cmd()
        .args(["decode-event", "--verify"])
        .write_stdin(request)
        .output()
        .unwrap();
    let r = checked(out);
    assert_eq!(r.code, 4);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("kiriminaja: error: no API key found\nhint: "),
        "{}",
        r.stderr
    );
}

#[test]
fn request_method_and_content_type_are_checked() {
    let env = Env::new();
    let request = request_with(Some(&format!("Bearer {KEY}")))
        .replace("POST /webhooks", "PUT /webhooks")
        .replace("Content-Type: application/json", "Content-Type: text/plain");
    let path = temp_file(&env, "put.http", request.as_bytes());
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json"])
        .arg(&path));
    let e = &r.json_lines()[0];
    assert_eq!(e["verified"], false);
    assert_eq!(e["request"]["problems"], json!(["not_post", "not_json"]));
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--verify"])
        .arg(&path));
    assert_eq!(r.code, 4);
    assert!(
        r.stderr
            .contains("request at line 1 not verified (not POST, not JSON content type)")
    );

    // Bare header lines, LF line ends, lower-case names: read all the same.
    let body = read(&event_file("shipped_packages.short.json"));
    let lf = format!(
        "POST /hook HTTP/1.1\nauthorization: bearer {KEY}\ncontent-type: application/json; charset=utf-8\ncontent-length: {}\n\n{body}",
        body.len()
    );
    let path = temp_file(&env, "lf.http", lf.as_bytes());
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json", "--verify"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let e = &r.json_lines()[0];
    assert_eq!(e["verified"], true);
    assert_eq!(e["request"]["user_agent"], Value::Null);
}

/// A verdict covers exactly the body its own head announced (issue 9, finding 1).
#[test]
fn a_payload_after_a_verified_body_is_not_verified() {
    let env = Env::new();
    let genuine = request_with(Some(&format!("Bearer {KEY}")));
    let forged = read(&event_file("canceled_packages.short.json"));
    let path = temp_file(
        &env,
        "smuggled.http",
        format!("{genuine}{forged}").as_bytes(),
    );
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json"])
        .arg(&path));
    let lines = r.json_lines();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    assert_eq!(lines[0]["verified"], true);
    assert_eq!(lines[0]["event"], "finished");
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("is not an HTTP request"), "{}", r.stderr);
    // --verify: the genuine one is shown, what follows it is refused.
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--verify", "--json"])
        .arg(&path));
    assert_eq!(r.json_lines().len(), 1, "{}", r.stdout);
    assert_eq!(r.json_lines()[0]["event"], "finished");
    assert_eq!(r.code, 4, "{}", r.stderr);

    // Without a Content-Length the body runs to the end: two payloads in it are no payload.
    let bare = format!(
        "POST /hook HTTP/1.1\nauthorization: Bearer {KEY}\ncontent-type: application/json\n\n{}{forged}",
        read(&event_file("finished_packages.short.json"))
    );
    let path = temp_file(&env, "bare.http", bare.as_bytes());
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json"])
        .arg(&path));
    assert_eq!(r.stdout, "");
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("trailing characters"), "{}", r.stderr);
    // And a head that does not announce its body's end never vouches for it, even one payload.
    let one = format!(
        "POST /hook HTTP/1.1\nauthorization: Bearer {KEY}\ncontent-type: application/json\n\n{forged}"
    );
    let path = temp_file(&env, "one.http", one.as_bytes());
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["verified"], false);
    assert_eq!(
        r.json_lines()[0]["request"]["problems"],
        json!(["unannounced_length"])
    );
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--verify"])
        .arg(&path));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("no Content-Length"), "{}", r.stderr);
}

#[test]
fn each_captured_request_is_checked_on_its_own_head() {
    let env = Env::new();
    let genuine = request_with(Some(&format!("Bearer {KEY}")));
    let wrong = request_with(Some("Bearer WRONG"));
    let path = temp_file(
        &env,
        "two.http",
        format!("{genuine}\r\n{wrong}{genuine}").as_bytes(),
    );
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let verdicts: Vec<Value> = r
        .json_lines()
        .iter()
        .map(|e| e["verified"].clone())
        .collect();
    assert_eq!(verdicts, [json!(true), json!(false), json!(true)]);
    assert_eq!(
        r.json_lines()[1]["request"]["problems"],
        json!(["wrong_bearer"])
    );
    // --verify: the forged one alone is refused, and named by its line.
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--verify", "--json"])
        .arg(&path));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(r.json_lines().len(), 2, "{}", r.stdout);
    let second = genuine.lines().count() + 2;
    assert_eq!(
        r.stderr,
        format!(
            "kiriminaja: error: {}: request at line {second} not verified (wrong bearer); its payload is not shown\n",
            path.display()
        )
    );
    assert!(!r.stderr.contains("WRONG") && !r.stdout.contains("WRONG"));

    // A chunked request is read de-chunked, and what follows it is the next request.
    let body = read(&event_file("shipped_packages.short.json"));
    let (half1, half2) = body.split_at(body.len() / 2);
    let chunked = format!(
        "POST /hook HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{half1}\r\n{:x}\r\n{half2}\r\n0\r\n\r\n{wrong}",
        half1.len(),
        half2.len()
    );
    let path = temp_file(&env, "chunked.http", chunked.as_bytes());
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--json"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.json_lines();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert_eq!(
        (&lines[0]["event"], &lines[0]["verified"]),
        (&json!("shipped"), &json!(true))
    );
    assert_eq!(lines[1]["verified"], false);
}

#[test]
fn a_control_character_is_not_a_method() {
    let env = Env::new();
    for method in ["\\u0000", "\\u001b[31m", " \\u0007 "] {
        let (r, path) = decode_bytes(
            &env,
            "nul.json",
            format!("{{\"method\": \"{method}\", \"data\": []}}\n").as_bytes(),
            true,
        );
        assert_eq!(r.code, 6, "{method}: {}", r.stdout);
        assert_eq!(r.stdout, "");
        assert_eq!(
            r.stderr,
            format!(
                "kiriminaja: error: {}: payload 1 (line 1, column 1): `method` is a string with control characters, expected the method name (a string)\n",
                path.display()
            )
        );
    }
}

#[test]
fn verify_refuses_bare_payloads() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["decode-event", "--verify"])
        .arg(event_file("finished_packages.short.json")));
    assert_eq!(r.code, 4);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("not a captured HTTP request, so there is nothing to verify")
    );
}

/// Runs decode-event on `input` (as a file named `name`) and returns the run.
fn decode_bytes(env: &Env, name: &str, input: &[u8], json: bool) -> (Run, PathBuf) {
    let path = temp_file(env, name, input);
    let mut cmd = env.cmd();
    cmd.arg("decode-event");
    if json {
        cmd.arg("--json");
    }
    (run(cmd.arg(&path)), path)
}

#[test]
fn each_kind_of_bad_payload_exits_6_with_its_place() {
    let env = Env::new();
    let cases: &[(&str, &str)] = &[
        (
            "<html>oops</html>\n",
            "payload 1 (line 1, column 1): not valid JSON: expected value, found `<`",
        ),
        (
            "{\"method\": \"finished_packages\", \"data\": [{\"order_id\": \"X\"",
            "payload 1 (line 1, column 57): truncated JSON: EOF while parsing an object",
        ),
        (
            "\n\n  {\"method\": \"shipped_packages\",\n   \"data\": [1 2]}",
            "payload 1 (line 4, column 15): not valid JSON: expected `,` or `]`, found `2`",
        ),
        (
            "[{\"method\": \"finished_packages\", \"data\": []}]",
            "payload 1 (line 1, column 1): expected a JSON object with `method` and `data`, found an array",
        ),
        (
            "\"finished_packages\"",
            "payload 1 (line 1, column 1): expected a JSON object with `method` and `data`, found a string",
        ),
        (
            "42",
            "payload 1 (line 1, column 1): expected a JSON object with `method` and `data`, found a number",
        ),
        (
            "{\"data\": []}",
            "payload 1 (line 1, column 1): no `method` in the payload",
        ),
        (
            "{\"method\": [\"finished_packages\"], \"data\": []}",
            "payload 1 (line 1, column 1): `method` is an array, expected the method name (a string)",
        ),
        (
            "{\"method\": \"finished_packages\"}",
            "payload 1 (line 1, column 1): no `data` in the payload",
        ),
        (
            "{\"method\": \"finished_packages\", \"data\": \"OID-1\"}",
            "payload 1 (line 1, column 1): `data` is a string, expected an array of orders for finished_packages",
        ),
        (
            "{\"method\": \"finished_packages\", \"data\": null}",
            "payload 1 (line 1, column 1): `data` is null, expected an array of orders for finished_packages",
        ),
        (
            "{\"method\": \"update_instant_packages\", \"data\": 3}",
            "payload 1 (line 1, column 1): `data` is a number, expected an order object for update_instant_packages",
        ),
        (
            "{\"method\": \"finished_packages\", \"data\": [\"OID-1\"]}",
            "payload 1 (line 1, column 1): `data[0]` is a string, expected an order object",
        ),
    ];
    for (i, (input, message)) in cases.iter().enumerate() {
        for json in [false, true] {
            let (r, path) = decode_bytes(&env, &format!("bad-{i}.json"), input.as_bytes(), json);
            assert_eq!(r.code, 6, "{input}");
            assert_eq!(r.stdout, "", "{input}");
            assert_eq!(
                r.stderr,
                format!("kiriminaja: error: {}: {message}\n", path.display()),
                "{input}"
            );
        }
    }
}

#[test]
fn a_mixed_stream_keeps_the_good_payloads() {
    let env = Env::new();
    let stream = read(&event_file("stream.jsonl"));
    let lines: Vec<&str> = stream.lines().collect();
    let input = format!(
        "{}\nnot json at all\n{}\n{}\n{}\n[]\n{}\n",
        lines[0],
        lines[1],
        &lines[2][..40], // truncated mid-line
        lines[3],
        lines[4],
    );
    let (r, path) = decode_bytes(&env, "mixed.jsonl", input.as_bytes(), true);
    assert_eq!(r.code, 6);
    let events: Vec<Value> = r.json_lines();
    let methods: Vec<&str> = events
        .iter()
        .map(|e| e["method"].as_str().unwrap())
        .collect();
    assert_eq!(
        methods,
        [
            "processed_packages",
            "shipped_packages",
            "canceled_packages",
            "finished_packages"
        ]
    );
    let name = path.display();
    assert_eq!(
        r.stderr,
        format!(
            "kiriminaja: error: {name}: payload 2 (line 2, column 2): not valid JSON: expected ident, found `not`\n\
             kiriminaja: error: {name}: payload 4 (line 4, column 40): truncated JSON: EOF while parsing an object\n\
             kiriminaja: error: {name}: payload 6 (line 6, column 1): expected a JSON object with `method` and `data`, found an array\n"
        )
    );

    // The human view of the same stream prints the same good payloads.
    let (r, _) = decode_bytes(&env, "mixed.jsonl", input.as_bytes(), false);
    assert_eq!(r.code, 6);
    assert_eq!(
        r.stdout.matches("\n  Order      ").count(),
        4,
        "{}",
        r.stdout
    );
}

#[test]
fn the_example_stream_and_stdin() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["decode-event", "--json"])
        .arg(event_file("stream.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let events: Vec<String> = r
        .json_lines()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        events,
        [
            "processed",
            "shipped",
            "validated",
            "canceled",
            "finished",
            "instant_update",
            "rejected",
            "returned"
        ]
    );

    // No file and `-` both read stdin; pretty-printed payloads back to back are fine.
    let both = format!(
        "{}{}",
        read(&event_file("shipped_packages.complete.json")),
        read(&event_file("finished_packages.short.json"))
    );
    for args in [
        &["decode-event", "--json"][..],
        &["decode-event", "--json", "-"],
    ] {
        let out = env
            .cmd()
            .args(args)
            .write_stdin(both.clone())
            .output()
            .unwrap();
        let r = checked(out);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let lines = r.json_lines();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["event"], "finished");
    }
}

#[test]
fn several_files_count_payloads_per_file() {
    let env = Env::new();
    let bad = temp_file(&env, "bad.jsonl", b"{\"method\": \"x\"}\n{}\n");
    let missing = env.home.path().join("nope.json");
    let r = run(env
        .cmd()
        .args(["decode-event", "--json"])
        .arg(event_file("finished_packages.short.json"))
        .arg(&bad)
        .arg(&missing)
        .arg(event_file("shipped_packages.short.json")));
    // A file that cannot be opened is an I/O error (1), worse than bad data (6).
    assert_eq!(r.code, 1);
    assert_eq!(r.json_lines().len(), 2);
    let bad = bad.display();
    assert!(
        r.stderr
            .contains(&format!("{bad}: payload 1 (line 1, column 1): no `data`"))
    );
    assert!(
        r.stderr
            .contains(&format!("{bad}: payload 2 (line 2, column 1): no `method`"))
    );
    assert!(
        r.stderr
            .contains(&format!("cannot read {}", missing.display()))
    );
}

#[test]
fn an_empty_input_is_a_warning() {
    let env = Env::new();
    let (r, path) = decode_bytes(&env, "empty.jsonl", b"\n \n", false);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        format!("kiriminaja: warning: {}: no payloads\n", path.display())
    );
    let (r, _) = decode_bytes(&env, "nobody.http", b"POST / HTTP/1.1\r\n\r\n", false);
    assert_eq!(r.code, 6);
    assert!(r.stderr.contains("request at line 1 has no JSON body"));
}

#[test]
fn random_and_mutated_bytes_never_crash() {
    // A fixed-seed generator: the same inputs every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let env = Env::new();
    let base = read(&event_file("captured-request.http")).into_bytes();
    let stream = read(&event_file("stream.jsonl")).into_bytes();
    for round in 0..24 {
        let input: Vec<u8> = match round % 3 {
            0 => (0..2000).map(|_| next() as u8).collect(),
            1 => {
                let mut bytes = base.clone();
                for _ in 0..8 {
                    let i = next() as usize % bytes.len();
                    bytes[i] = next() as u8;
                }
                bytes
            }
            _ => {
                let mut bytes = stream.clone();
                let cut = next() as usize % bytes.len();
                bytes.truncate(cut);
                bytes.extend((0..50).map(|_| next() as u8));
                bytes.extend_from_slice(&stream);
                bytes
            }
        };
        let (r, _) = decode_bytes(&env, "random.bin", &input, round % 2 == 0);
        assert!(
            matches!(r.code, 0 | 6),
            "round {round}: exit {}\n{}",
            r.code,
            r.stderr
        );
        assert!(
            !r.stderr.contains("panicked"),
            "round {round}: {}",
            r.stderr
        );
        if round % 2 == 0 {
            // --json output stays valid JSON Lines whatever came in.
            let _ = r.json_lines();
        }
    }
}

#[test]
fn a_flood_of_bad_payloads_is_summarized() {
    let env = Env::new();
    let input = "nope\n".repeat(25);
    let (r, path) = decode_bytes(&env, "flood.txt", input.as_bytes(), false);
    assert_eq!(r.code, 6);
    assert_eq!(r.stderr.lines().count(), 21, "{}", r.stderr);
    assert!(r.stderr.ends_with(&format!(
        "{}: 5 more bad payloads not shown\n",
        path.display()
    )));
}

#[test]
fn help_has_examples() {
    let env = Env::new();
    let r = run(env.cmd().args(["decode-event", "--help"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Examples:"));
    assert!(r.stdout.contains("--verify"));
}
