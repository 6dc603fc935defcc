//! Issue 18 A: what a new user saw at an 80-column terminal. Each test runs the binary on a
//! pseudo-terminal (`script`) and reads the screen it leaves at 80 columns.

use std::time::Duration;

use crate::support::*;

/// The screen at 80 columns, its trailing blank lines gone.
fn screen_of(run: &PtyRun) -> Vec<String> {
    let mut screen = run.screen(80);
    while screen.last().is_some_and(|l| l.is_empty()) {
        screen.pop();
    }
    screen
}

/// No line of the screen is wider than 80 columns, and none was wrapped by the terminal: a line
/// the terminal wrapped would be 80 wide exactly, followed by its tail at column 0.
fn assert_fits(run: &PtyRun) {
    let raw = String::from_utf8_lossy(&run.bytes);
    // Each stretch written from column 0: a carriage return starts over.
    for line in raw.split(['\n', '\r']) {
        let plain = strip_escapes(line);
        assert!(
            unicode_width::UnicodeWidthStr::width(plain.as_str()) <= 80,
            "wider than 80 columns: {plain:?}\n{raw}"
        );
    }
}

fn strip_escapes(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for p in chars.by_ref() {
                    if p.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The README's example after `command` (its `$` line), up to the end of its block.
fn readme_example(command: &str) -> String {
    let readme = read(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    readme
        .split(command)
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("no README example {command}"))
        .to_owned()
}

/// The README's first example is what the terminal shows, and its history lines wrap under
/// their text, never back to column 0 (item 1).
#[test]
fn the_readme_headline_example_is_the_screen_at_80_columns() {
    let env = Env::new();
    let delivered = example("responses/delivered.json");
    let run = in_pty_typing(
        &env,
        &["track", "--from-file", delivered.to_str().unwrap()],
        &[],
    );
    assert_eq!(run.code, 0);
    assert_fits(&run);
    let screen = screen_of(&run);
    let readme = readme_example("$ kiriminaja track OID-8793949106\n");
    let block: Vec<&str> = readme.lines().filter(|l| l.trim() != "…").collect();
    assert!(block.len() > 10, "{block:?}");
    assert_eq!(&screen[..block.len()], &block[..], "{}", screen.join("\n"));
    // Every history line starts with the time or under the text column.
    let history = screen.iter().skip_while(|l| !l.starts_with("History"));
    for line in history.skip(1) {
        assert!(
            line.starts_with("  20") || line.starts_with(&" ".repeat(29)),
            "{line:?}\n{}",
            screen.join("\n")
        );
    }
}

/// The lines above the history (summary, route, item) wrap under their value too (item 1).
#[test]
fn long_detail_lines_wrap_under_their_value() {
    let env = Env::new();
    let mut body: serde_json::Value =
        serde_json::from_str(&read(&example("responses/delivered.json"))).unwrap();
    body["text"] = "Delivered to BAGUS SANTOSO WIJAYAKUSUMA | 14-07-2021 16:00 | \
                    KABUPATEN SLEMAN, DAERAH ISTIMEWA YOGYAKARTA"
        .into();
    body["details"]["origin"]["city"] = "Kabupaten Sleman, Daerah Istimewa Yogyakarta".into();
    body["details"]["destination"]["city"] = "Kabupaten Bantul, Daerah Istimewa Yogyakarta".into();
    let path = env.home.path().join("long.json");
    std::fs::write(&path, body.to_string()).unwrap();
    let run = in_pty_typing(&env, &["track", "--from-file", path.to_str().unwrap()], &[]);
    assert_eq!(run.code, 0);
    assert_fits(&run);
    let screen = screen_of(&run);
    let text = screen.join("\n");
    assert!(
        text.contains(
            "  Summary    Delivered to BAGUS SANTOSO WIJAYAKUSUMA | 14-07-2021 16:00 |\n\
             \x20            KABUPATEN SLEMAN, DAERAH ISTIMEWA YOGYAKARTA\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  Route      Kabupaten Sleman, Daerah Istimewa Yogyakarta → Kabupaten Bantul,\n\
             \x20            Daerah Istimewa Yogyakarta\n"
        ),
        "{text}"
    );
}

const LONG_TEXT: &str = "Shipment received by the counter officer at the origin branch and \
                         forwarded to the regional sorting hub";

/// `watch` lines at 80 columns keep the ID (padded, so columns stay put), the time and the new
/// status; the free text is what is cut (item 2).
#[tokio::test(flavor = "multi_thread")]
async fn watch_lines_keep_what_changed_and_when() {
    let created = ("2024-03-24 10:00:00", 101, LONG_TEXT);
    let shipped = ("2024-03-24 15:30:00", 100, LONG_TEXT);
    let delivered = ("2024-03-25 09:15:00", 200, "Delivered to SITI");
    let script = || {
        vec![
            ok(tracking(101, &[created])),
            ok(tracking(100, &[shipped, created])),
            ok(tracking(200, &[delivered, shipped, created])),
        ]
    };
    let (short, long) = ("OID-1", "OID-LONGER-ID-000001");
    let server = ScriptedServer::start(vec![(short, script()), (long, script())]).await;
    let env = Env::new();
    let args = [
        "watch",
        short,
        long,
        "--service",
        "express",
        "--interval",
        "1s",
        "--timeout",
        "30s",
    ];
    let run = in_pty(&env, &server.url, &args, None);
    assert_eq!(run.code, 0);
    assert_fits(&run);
    let screen = screen_of(&run);
    let text = screen.join("\n");
    let lines = |id: &str| -> Vec<&String> {
        screen
            .iter()
            .filter(|l| l.starts_with(&format!("{id} ")))
            .collect()
    };
    // The README's example is this screen (its lines; the order of two IDs polled at once
    // varies).
    for line in readme_example("$ kiriminaja watch OID-1 OID-LONGER-ID-000001\n").lines() {
        assert!(screen.iter().any(|l| l == line), "{line:?} not in\n{text}");
    }
    for id in [short, long] {
        let lines = lines(id);
        // The first poll: its time survives the cut.
        assert!(
            lines[0].starts_with(&format!("{id:<20}  2024-03-24 10:00  new ")),
            "{text}"
        );
        // A status change: the new status survives the cut.
        assert!(
            lines
                .iter()
                .any(|l| l.contains("status") && l.ends_with("→ transit  being shipped (100)")),
            "{text}"
        );
        // A new entry: its time and category whole, its text cut.
        assert!(
            lines.iter().any(|l| l
                .starts_with(&format!("{id:<20}  2024-03-24 15:30  transit  Shipment"))
                && l.ends_with('…')),
            "{text}"
        );
        assert!(
            lines
                .iter()
                .any(|l| *l == &format!("{id:<20}  ✔ delivered, watch ended")),
            "{text}"
        );
    }
}

/// 20 returned parcels at 80 columns: each row keeps its ID, courier, an uncut status and the
/// time, and as much of the last event as fits (item 3).
#[tokio::test(flavor = "multi_thread")]
async fn the_batch_table_at_80_columns_keeps_what_ops_people_use() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let body = tracking(
        402,
        &[
            (
                "2024-05-26 04:59:00",
                402,
                "Returned to sender at JAKARTA, received by GUDANG",
            ),
            ("2024-05-20 10:00:00", 100, LONG_TEXT),
        ],
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let env = Env::new();
    let ids: Vec<String> = (1..=20).map(|n| format!("OID-RETURNED-{n:04}")).collect();
    let mut args = vec!["track", "--service", "express"];
    args.extend(ids.iter().map(String::as_str));
    let run = in_pty(&env, &server.uri(), &args, None);
    assert_eq!(run.code, 0);
    assert_fits(&run);
    let screen: Vec<String> = screen_of(&run)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    let text = screen.join("\n");
    assert!(screen[0].starts_with("ID"), "{text}");
    assert!(screen[0].contains("Courier"), "{text}");
    let rows = &screen[screen.len() - ids.len()..];
    for (row, id) in rows.iter().zip(&ids) {
        assert!(row.starts_with(id.as_str()), "{text}");
        for kept in ["JNE REG", "back at sender", "2024-05-26 04:59", "Returned"] {
            assert!(row.contains(kept), "{kept} in {row}\n{text}");
        }
        assert!(row.ends_with('…'), "{row}");
    }
}

/// In a batch each hint follows its own error, not the last one (item 4).
#[tokio::test(flavor = "multi_thread")]
async fn batch_hints_stay_with_their_errors() {
    let server = ScriptedServer::start(vec![
        (
            "OID-500",
            vec![Step::Answer(500, Vec::new(), "oops".to_owned())],
        ),
        (
            "OID-OK",
            vec![ok(tracking(100, &[("2024-05-01 10:00:00", 100, "x")]))],
        ),
        (
            "OID-500-AGAIN",
            vec![Step::Answer(500, Vec::new(), "oops".to_owned())],
        ),
    ])
    .await;
    let env = Env::new();
    let r = run(env.api(&server.url).args([
        "track",
        "OID-NOPE",
        "OID-500",
        "OID-OK",
        "OID-500-AGAIN",
        "--service",
        "express",
        "--retries",
        "0",
    ]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 5, "{}", r.stderr);
    assert!(
        lines[0].contains("OID-NOPE") && lines[0].contains("not found"),
        "{}",
        r.stderr
    );
    assert!(
        lines[1].starts_with("hint: check the order id"),
        "{}",
        r.stderr
    );
    assert!(lines[2].contains("OID-500:"), "{}", r.stderr);
    assert!(lines[3].starts_with("hint: the service"), "{}", r.stderr);
    // The same hint is not said twice.
    assert!(lines[4].contains("OID-500-AGAIN"), "{}", r.stderr);
}

/// `watch` says at once that an ID is not found yet and when it asks again (item 5), and its
/// summary counts every parcel somewhere, a "not found" one included (item 6).
#[tokio::test(flavor = "multi_thread")]
async fn watch_says_not_found_yet_at_once_and_counts_every_parcel() {
    use std::io::{BufRead, BufReader, Read};
    let delivered = ("2024-05-02 13:00:00", 200, "Delivered to SITI");
    let moving = ("2024-05-01 15:00:00", 100, "Picked up");
    let server = ScriptedServer::start(vec![
        ("OID-OK", vec![ok(tracking(200, &[delivered]))]),
        ("OID-MOVING", vec![ok(tracking(100, &[moving]))]),
    ])
    .await;
    let env = Env::new();
    let args = [
        "watch",
        "OID-OK",
        "OID-NOPE",
        "OID-MOVING",
        "--service",
        "express",
        "--interval",
        "1s",
    ];
    let mut child = env.spawn(&server.url, &args);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "{lines:?}");
        let ended = line.contains("error: OID-NOPE");
        lines.push(line);
        if ended {
            break;
        }
    }
    assert_eq!(
        lines[0],
        "kiriminaja: OID-NOPE: not found yet (try 1 of 4); asking again in about 1s\n"
    );
    assert!(lines[2].contains("(try 3 of 4)"), "{lines:?}");
    interrupt(&child);
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(
        rest.contains("interrupted: watching 3 parcels: 1 delivered, 1 not found, 1 open\n"),
        "{rest}"
    );
}

/// A parcel already final at the first poll: no "new entries follow below" (item 7).
#[tokio::test(flavor = "multi_thread")]
async fn watch_of_a_final_parcel_promises_no_new_entries() {
    let delivered = ("2024-05-02 13:00:00", 200, "Delivered to SITI");
    let server =
        ScriptedServer::start(vec![("OID-OK", vec![ok(tracking(200, &[delivered]))])]).await;
    let env = Env::new();
    let r = run(env
        .api(&server.url)
        .args(["watch", "OID-OK", "--service", "express"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("History (1 entry, oldest first)\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("follow below"), "{}", r.stdout);
}

/// `config show` fits 80 columns with an ordinary home path: a source that does not fit goes
/// under its value (item 8).
#[test]
fn config_show_fits_80_columns() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .env("HOME", "/home/nurul.hidayati")
        .args(["config", "show"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in r.stdout.lines() {
        assert!(line.chars().count() <= 80, "{line:?}\n{}", r.stdout);
    }
    assert!(
        r.stdout.starts_with(
            "config file  /home/nurul.hidayati/.config/kiriminaja/config.toml\n\
             \x20            (default, does not exist)\n"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("api_key      (not set: `kiriminaja config init`, or KIRIMINAJA_API_KEY)\n"),
        "{}",
        r.stdout
    );
}

/// The missing-key hint is one short line, the easiest fix first, naming the flags that chose
/// where the key is looked for (item 8).
#[test]
fn the_missing_key_hint_is_short_with_config_init_first() {
    let env = Env::new();
    let r = run(env.cmd().args(["track", "OID-1"]));
    assert_eq!(r.code, 4);
    assert_eq!(
        r.stderr,
        "kiriminaja: error: no API key found\n\
         hint: run `kiriminaja config init`, or set KIRIMINAJA_API_KEY\n"
    );
    let config = env.config_file("[profiles.work]\nbase_url = \"sandbox\"\n");
    let r =
        run(env
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(["--profile", "work", "track", "OID-1"]));
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.ends_with(&format!(
            "hint: run `kiriminaja --config {} --profile work config init`, or set \
             KIRIMINAJA_API_KEY\n",
            config.display()
        )),
        "{}",
        r.stderr
    );
}

/// `track -f -` at a terminal says what it waits for, as `decode-event -` does (item 8).
#[test]
fn track_file_stdin_at_a_terminal_says_what_it_waits_for() {
    let env = Env::new();
    for (args, what) in [
        (
            &["track", "-f", "-"][..],
            "reading IDs from stdin (end with Ctrl-D)",
        ),
        (
            &["track", "--from-file", "-"][..],
            "reading a saved tracking response from stdin (end with Ctrl-D)",
        ),
    ] {
        let run = in_pty_typing(&env, args, &[(Duration::from_millis(700), b"\x04")]);
        let screen = screen_of(&run).join("\n");
        assert!(screen.contains(&format!("kiriminaja: {what}")), "{screen}");
        // Ctrl-D at once: nothing was given.
        assert_ne!(run.code, 0, "{screen}");
    }
}

/// A push event with long provider text: every line of `decode-event` fits 80 columns, long
/// values wrap under their value column, the link stands whole on a line of its own; in a pipe
/// each stays on one line.
#[test]
fn decode_event_lines_fit_80_columns() {
    let env = Env::new();
    let reason = "Paket ditolak oleh kurir karena alamat penerima tidak lengkap dan nomor telepon \
                  penerima tidak dapat dihubungi sama sekali";
    let driver = "Muhammad Rizky Pratama Wijayakusuma Kartanegara Putra";
    let url = format!("https://track.example.id/live/{}", "a1b2c3d4e5".repeat(10));
    let body = serde_json::json!({
        "method": "rejected_packages",
        "data": [{
            "order_id": "OID-LONG-ORDER-ID-12345678901234567890",
            "awb": "AWB-LONG-REFERENCE-1234567890123456789",
            "rejected_at": "2025-01-13T01:30:00.000000Z",
            "reason": reason,
            "courier_note": "x ".repeat(60),
        }],
        "packages": [{
            "order_id": "OID-LONG-ORDER-ID-12345678901234567890",
            "service": "grab_express", "service_type": "instant", "status": 300,
            "live_tracking_url": url,
            "origin": { "name": "Gudang Sleman", "address": "日本語の住所がとても長い場合のテスト用の住所です" },
            "destination": { "name": "Zainal Arifin", "address": "Ngaglik RT. 32 Pendowoharjo Sewon Bantul" },
            "driver": { "name": driver, "phone": "6281234567890" },
        }],
    });
    let request = format!(
        "POST /webhooks/kiriminaja/{} HTTP/1.1\r\nHost: shop.example.id\r\nUser-Agent: {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        "segment/".repeat(10),
        "Mozilla/5.0 (compatible; KiriminAja-Push-Services/2.0; +https://kiriminaja.example)",
        body.to_string().len(),
    );
    let path = env.home.path().join("long.http");
    std::fs::write(&path, request).unwrap();
    let run = in_pty_typing(&env, &["decode-event", path.to_str().unwrap()], &[]);
    assert_eq!(run.code, 0, "{}", String::from_utf8_lossy(&run.bytes));
    let screen = screen_of(&run);
    let text = screen.join("\n");
    // The link is the one line wider than the terminal, whole and alone.
    let raw = String::from_utf8_lossy(&run.bytes);
    for stretch in raw.split(['\n', '\r']) {
        let plain = strip_escapes(stretch);
        if plain != url {
            assert!(
                unicode_width::UnicodeWidthStr::width(plain.as_str()) <= 80,
                "wider than 80 columns: {plain:?}\n{text}"
            );
        }
    }
    assert!(raw.contains(&format!("\n{url}\r\n")), "{raw}");
    // Every line starts with a field name or under a value column, never at column 0 mid-word.
    for line in screen.iter().skip(1).filter(|l| !l.is_empty()) {
        assert!(
            line.starts_with("  ") || url.contains(line.as_str()),
            "{line:?}\n{text}"
        );
    }
    assert!(
        text.contains(
            "    Reason     Paket ditolak oleh kurir karena alamat penerima tidak lengkap dan\n\
             \x20              nomor telepon penerima"
        ),
        "{text}"
    );
    assert!(text.contains("    Driver     Muhammad Rizky"), "{text}");
    assert!(
        text.contains(
            "  Order      OID-LONG-ORDER-ID-12345678901234567890\n\
             \x20            AWB AWB-LONG-REFERENCE-1234567890123456789\n"
        ),
        "{text}"
    );
    assert!(text.contains("courier_note: x x"), "{text}");
    assert!(text.contains('…'), "{text}");

    // In a pipe: one line each, as before.
    let piped = env
        .cmd()
        .args(["decode-event", path.to_str().unwrap()])
        .output()
        .unwrap();
    let out = String::from_utf8(piped.stdout).unwrap();
    assert!(out.contains(&format!("    Reason     {reason}\n")), "{out}");
    assert!(out.contains(&format!("    Tracking   {url}\n")), "{out}");
}

/// `parcels` at 80 columns with an instant order (courier `GrabExpress instant`): the last event
/// still takes what is left, cut with `…`, instead of vanishing with columns to spare.
#[test]
fn parcels_beside_an_instant_order_keep_the_last_event() {
    let env = Env::new();
    let instant = serde_json::json!({
        "status": true, "text": "success", "code": 1, "method": "instant_tracking",
        "result": {
            "order_id": "BDI-1737442836890", "service": "grab_express", "service_type": "instant",
            "tracking_code": "GK-11-3186222", "live_tracking_url": "https://grab.example/t/1",
            "driver": {"name": "Joko", "phone": "081300001111"},
            "origin": {"name": "Toko Sinar Jaya", "address": "Jl. Kaliurang 5"},
            "destination": {"name": "Siti", "address": "Jl. Magelang 9"},
            "date": {"created_at": "2024-01-19T04:01:37.000000Z",
                     "allocated_at": "2024-01-19T04:05:00.000000Z",
                     "finished_at": null, "canceled_at": null},
            "cost": {"shipping_cost": 15000, "insurance": 0, "admin_fee": 1000, "total_price": 16000},
        }
    });
    let path = env.home.path().join("instant.json");
    std::fs::write(&path, instant.to_string()).unwrap();
    let express = example("store/OID-8790000116.json");
    let imported = run(env.cmd().args([
        "store",
        "import",
        path.to_str().unwrap(),
        express.to_str().unwrap(),
    ]));
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let run = in_pty_typing(&env, &["parcels"], &[]);
    assert_eq!(run.code, 0);
    assert_fits(&run);
    let screen = screen_of(&run);
    let text = screen.join("\n");
    assert!(screen[2].ends_with("Last update  Last eve…"), "{text}");
    let express = screen
        .iter()
        .find(|l| l.starts_with("OID-8790000116"))
        .unwrap();
    assert!(express.ends_with("Recipien…"), "{text}");
    let instant = screen.iter().find(|l| l.starts_with("BDI-")).unwrap();
    assert!(instant.contains("GrabExpress instant"), "{text}");
}

/// An error too long for the terminal wraps at a blank under an indent, never mid-word back to
/// column 0 (`kiriminaja: error: OID-NOTFOUND: Data not found (asked express and instant track`
/// / `ing)` before).
#[test]
fn a_long_error_wraps_under_an_indent() {
    let server = crate::fake_api::FakeApi::start(&[]);
    let env = Env::new();
    let run = in_pty(&env, &server.url, &["track", "OID-NOTFOUND"], None);
    assert_eq!(run.code, 3);
    assert_fits(&run);
    let screen = screen_of(&run);
    let error = screen
        .iter()
        .position(|l| l.starts_with("kiriminaja: error: OID-NOTFOUND"))
        .unwrap_or_else(|| panic!("{}", screen.join("\n")));
    assert_eq!(
        &screen[error..error + 2],
        [
            "kiriminaja: error: OID-NOTFOUND: Data not found (asked express and instant",
            "  tracking)"
        ],
        "{}",
        screen.join("\n")
    );
}
