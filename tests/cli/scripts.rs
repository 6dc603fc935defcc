//! What scripts rely on (issue 18, part B): `--raw` and `--from-file` agree, a byte-order mark
//! is nothing, a file that cannot be opened is an I/O error, and `callback set` says what was
//! refused.

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;

use crate::fake_api::FakeApi;
use crate::support::*;

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[test]
fn raw_in_auto_prints_the_express_refusal_too() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let r = run(env
        .api(&server.url)
        .args(["track", "OID-NOTFOUND", "--raw"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let bodies: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(bodies.len(), 2, "{}", r.stdout);
    // The express refusal, then the instant one, in the order asked.
    assert_eq!(bodies[0]["text"], "Data not found");
    assert!(bodies[0].get("result").is_none());
    assert_eq!(bodies[1]["code"], 2);
    assert_eq!(bodies[1]["result"], Value::Null);
}

#[test]
fn what_raw_writes_for_several_ids_reads_back() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let ids = [
        "OID-TRANSIT",
        "OID-NOTFOUND",
        "INS-DELIVERED",
        "OID-DELIVERED",
    ];
    let raw = run(env.api(&server.url).args(["track", "--raw"]).args(ids));
    assert_eq!(raw.code, 3, "{}", raw.stderr);
    let live = run(env.api(&server.url).args(["track", "--json"]).args(ids));
    assert_eq!(live.code, 3, "{}", live.stderr);

    let back = run(env
        .cmd()
        .args(["track", "--from-file", "-", "--json"])
        .write_stdin(raw.stdout.clone()));
    // Not "invalid data": the same answers as the live run, one line per ID.
    assert_eq!(back.code, 3, "{}", back.stderr);
    let lines = back.json_lines();
    let live = live.json_lines();
    assert_eq!(lines.len(), ids.len(), "{}", back.stdout);
    for (read, asked) in lines.iter().zip(&live) {
        assert_eq!(read["found"], asked["found"]);
        if read["found"] == true {
            assert_eq!(read, asked);
        } else {
            assert_eq!(read["error"], asked["error"]);
        }
    }
    assert!(
        back.stderr
            .contains("stdin answer 2: Data not found (asked express and instant tracking)"),
        "{}",
        back.stderr
    );

    // The human view: every parcel's timeline, one after another.
    let back = run(env
        .cmd()
        .args(["track", "--from-file", "-"])
        .write_stdin(raw.stdout));
    assert_eq!(back.code, 3);
    assert!(
        back.stdout.starts_with("OID-TRANSIT  AWB "),
        "{}",
        back.stdout
    );
    assert!(
        back.stdout.contains("\n\nINS-DELIVERED  "),
        "{}",
        back.stdout
    );
    assert!(
        back.stdout.contains("\n\nOID-DELIVERED  AWB "),
        "{}",
        back.stdout
    );
}

#[test]
fn from_file_says_where_several_answers_stop_being_json() {
    let env = Env::new();
    let good = read(&example("responses/delivered.json"));
    let r = run(env
        .cmd()
        .args(["track", "--from-file", "-", "--json"])
        .write_stdin(format!("{good}\n{{\"status\": tru\n")));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert_eq!(r.json_lines().len(), 1);
    assert!(
        r.stderr.contains("not a tracking response from line"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_byte_order_mark_does_not_break_from_file() {
    let env = Env::new();
    let body = std::fs::read(example("responses/delivered.json")).unwrap();
    let with_bom = [BOM, &body].concat();
    let path = env.home.path().join("saved-by-notepad.json");
    std::fs::write(&path, &with_bom).unwrap();
    let r = run(env
        .cmd()
        .args(["track", "--json", "--from-file"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["order_id"], "OID-8793949106");

    let r = run(env
        .cmd()
        .args(["track", "--json", "--from-file", "-"])
        .write_stdin(with_bom.clone()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["order_id"], "OID-8793949106");

    // Arriving in pieces, the mark itself split between writes.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
        .env_clear()
        .env("HOME", env.home.path())
        .args(["track", "--json", "--from-file", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for piece in [
        &with_bom[..1],
        &with_bom[1..2],
        &with_bom[2..5],
        &with_bom[5..],
    ] {
        stdin.write_all(piece).unwrap();
        stdin.flush().unwrap();
    }
    drop(stdin);
    let r = checked(child.wait_with_output().unwrap());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["order_id"], "OID-8793949106");
}

#[test]
fn a_file_that_cannot_be_opened_is_an_io_error_exit_1() {
    let env = Env::new();
    let missing = env.home.path().join("nosuchfile");
    let dir = env.home.path();
    let runs: [&[&str]; 3] = [
        &["decode-event"],
        &["track", "--from-file"],
        &["track", "-f"],
    ];
    for args in runs {
        for path in [&missing, &dir.to_path_buf()] {
            let r = run(env.api(&closed_port_url()).args(args).arg(path));
            assert_eq!(r.code, 1, "{args:?} {}: {}", path.display(), r.stderr);
            assert!(r.stderr.contains("cannot read"), "{args:?}: {}", r.stderr);
            assert_eq!(r.stdout, "");
        }
    }
    let r = run(env
        .api(&closed_port_url())
        .args(["watch", "-f"])
        .arg(&missing));
    assert_eq!(r.code, 1, "{}", r.stderr);
    // What a readable file holds being wrong is still invalid data (6).
    let bad = env.home.path().join("bad.json");
    std::fs::write(&bad, "not json").unwrap();
    let r = run(env.cmd().args(["decode-event"]).arg(&bad));
    assert_eq!(r.code, 6);
    let r = run(env.cmd().args(["track", "--from-file"]).arg(&bad));
    assert_eq!(r.code, 6);
}

#[test]
fn callback_refusal_says_what_was_refused_and_what_to_do() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let r = run(env
        .api(&server.url)
        .args(["callback", "set", "https://down.invalid/hook"]));
    assert_eq!(r.code, 6);
    assert_eq!(r.stdout, "");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stderr);
    assert!(lines[0].starts_with("kiriminaja: registering https://down.invalid/hook"));
    assert_eq!(
        lines[1],
        "kiriminaja: error: KiriminAja refused the callback URL https://down.invalid/hook: \
         Callback URL https://down.invalid/hook tidak dapat dihubungi"
    );
    assert!(lines[2].starts_with("hint: "), "{}", lines[2]);
    assert!(lines[2].contains("must already answer"), "{}", lines[2]);
    assert!(lines[2].contains("kiriminaja listen"), "{}", lines[2]);
    assert!(!r.stderr.contains("HTTP 200"), "{}", r.stderr);

    // With --json: no note for people, on either stream.
    for url in ["https://down.invalid/hook", "https://shop.example.id/hook"] {
        let r = run(env
            .api(&server.url)
            .args(["callback", "set", "--json", url]));
        assert!(!r.stderr.contains("registering"), "{}", r.stderr);
        assert!(!r.stdout.contains("registering"), "{}", r.stdout);
    }
    // Without it: once, on stderr.
    let r = run(env
        .api(&server.url)
        .args(["callback", "set", "https://shop.example.id/hook"]));
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr.matches("registering").count(), 1, "{}", r.stderr);
    assert!(!r.stdout.contains("registering"));
}
