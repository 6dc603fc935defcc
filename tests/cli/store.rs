//! The parcel store: `store`, `parcels`, `sync`, `track --cached`, and `track`, `watch` and a
//! real `listen` feeding one store, several processes at once.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::fake_api::FakeApi;
use crate::listen::Listen;
use crate::support::*;

fn store_path(env: &Env) -> PathBuf {
    env.home.path().join("store").join("parcels.db")
}

/// `kiriminaja` on the test's own store.
fn on_store(env: &Env) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.env("KIRIMINAJA_STORE", store_path(env));
    cmd
}

fn parcels_json(env: &Env, args: &[&str]) -> Vec<Value> {
    let r = run(on_store(env).arg("parcels").args(args).arg("--json"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json_lines()
}

fn by_id(lines: &[Value]) -> std::collections::BTreeMap<String, Value> {
    lines
        .iter()
        .map(|l| (l["order_id"].as_str().unwrap().to_owned(), l.clone()))
        .collect()
}

#[test]
fn import_is_idempotent_and_parcels_lists_what_it_knows() {
    let env = Env::new();
    let stream = example("events/stream.jsonl");
    let response = example("responses/delivered.json");
    let r = run(on_store(&env)
        .args(["store", "import"])
        .arg(&stream)
        .arg(&response));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("imported 9 payloads: 6 new parcels"),
        "{}",
        r.stdout
    );
    let first = parcels_json(&env, &[]);
    let r = run(on_store(&env)
        .args(["store", "import"])
        .arg(&stream)
        .arg(&response));
    assert_eq!(
        r.stdout,
        "imported 9 payloads: 0 new parcels, 0 new history entries, 0 status changes\n"
    );
    assert_eq!(
        parcels_json(&env, &[]),
        first,
        "a second import changed nothing"
    );

    let parcels = by_id(&first);
    assert_eq!(parcels.len(), 6);
    // Pull and push in one view: the saved response's details, the pushes' history.
    let documented = &parcels["OID-8793949106"];
    assert_eq!(documented["status"]["code"], 200);
    assert_eq!(documented["costs"]["shipping_cost"], 10000);
    assert_eq!(documented["awb"], "DEVEL-000000004");
    assert_eq!(documented["store"]["last_news_source"], "import");
    assert!(documented["store"]["first_seen_at"].is_string());
    // A return with a returned_at is done; the instant update is an instant parcel.
    assert_eq!(parcels["OID-4059202011"]["status"]["code"], 400);
    assert_eq!(parcels["BDI-1737442836890"]["kind"], "instant");
    assert_eq!(
        parcels["BDI-1737442836890"]["status"]["instant_code"],
        "delivered"
    );

    // Filters.
    let open = parcels_json(&env, &["--open"]);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["order_id"], "OID-7781200345");
    assert_eq!(parcels_json(&env, &["--category", "final"]).len(), 5);
    assert_eq!(
        parcels_json(&env, &["--category", "new", "--category", "final"]).len(),
        6
    );
    assert_eq!(parcels_json(&env, &["--limit", "2"]).len(), 2);
    assert_eq!(parcels_json(&env, &["--stuck", "1d"]).len(), 1);
    assert_eq!(parcels_json(&env, &["--since", "1h"]).len(), 6);

    // The human view: a summary line and a table that fits 80 columns.
    let r = run(on_store(&env).arg("parcels").env("COLUMNS", "80"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next().unwrap(),
        "6 parcels: 1 new · 0 transit · 0 attempt · 5 final"
    );
    assert!(r.stdout.contains("OID-7781200345"), "{}", r.stdout);

    // Anything matched? --fail-if-empty answers with the exit code.
    let r = run(on_store(&env).args(["parcels", "--courier", "nobody", "--fail-if-empty"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.stdout, "no parcels match\n");
    let r = run(on_store(&env).args(["parcels", "--open", "--fail-if-empty", "--json"]));
    assert_eq!(r.code, 0);

    let r = run(on_store(&env).args(["store", "stats", "--json"]));
    let stats: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(stats["parcels"], 6);
    assert_eq!(stats["schema_version"], 1);
    assert_eq!(stats["by_category"]["final"], 5);
    assert!(stats["history_entries"].as_u64().unwrap() >= 9);

    let r = run(on_store(&env).args(["store", "path"]));
    assert_eq!(r.stdout.trim(), store_path(&env).display().to_string());

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store_path(&env)), 0o600);
        assert_eq!(mode(store_path(&env).parent().unwrap()), 0o700);
    }

    // Prune: nothing is that old; then everything final is.
    let r = run(on_store(&env).args(["store", "prune", "--final-older-than", "1d"]));
    assert!(
        r.stdout.starts_with("removed 0 final parcels"),
        "{}",
        r.stdout
    );
    std::thread::sleep(Duration::from_millis(20));
    let r = run(on_store(&env).args(["store", "prune", "--final-older-than", "1ms"]));
    assert!(
        r.stdout.starts_with("removed 5 final parcels"),
        "{}",
        r.stdout
    );
    assert_eq!(parcels_json(&env, &[]).len(), 1);
}

#[test]
fn old_news_goes_into_history_but_never_moves_the_status_back() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.jsonl");
    let older = dir.path().join("older.jsonl");
    std::fs::write(
        &newer,
        r#"{"method":"finished_packages","data":[{"order_id":"OID-1","finished_at":"2025-01-02 10:00:00"}]}"#,
    )
    .unwrap();
    std::fs::write(
        &older,
        r#"{"method":"shipped_packages","data":[{"order_id":"OID-1","shipped_at":"2025-01-01 10:00:00"}]}
{"method":"returned_packages","data":[{"order_id":"OID-2"}]}"#,
    )
    .unwrap();
    run(on_store(&env).args(["store", "import"]).arg(&newer));
    run(on_store(&env).args(["store", "import"]).arg(&older));
    let parcels = by_id(&parcels_json(&env, &[]));
    let one = &parcels["OID-1"];
    assert_eq!(one["status"]["code"], 200, "{one}");
    assert_eq!(one["histories"].as_array().unwrap().len(), 2);
    assert_eq!(one["histories"][1]["status_code"], 100);
    // A returned_packages push without returned_at: the return is under way, not final.
    let two = &parcels["OID-2"];
    assert_eq!(two["status"]["code"], 401);
    assert_eq!(two["status"]["final"], false);
}

#[test]
fn track_records_and_track_cached_answers_without_a_request() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let r = run(on_store(&env)
        .env("KIRIMINAJA_API_KEY", KEY)
        .env("KIRIMINAJA_BASE_URL", &server.url)
        .args(["track", "OID-TRANSIT", "OID-DELIVERED", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let tracked = r.json_lines();
    drop(server);

    // No server any more, and no key needed: the store answers.
    let r = run(on_store(&env)
        .env("KIRIMINAJA_BASE_URL", closed_port_url())
        .args(["track", "--cached", "OID-TRANSIT", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cached = &r.json_lines()[0];
    assert_eq!(cached["store"]["last_news_source"], "pull");
    assert!(cached["store"]["last_pull_at"].is_string());
    // The same object as track --json, plus `store`.
    let mut without_store = cached.clone();
    without_store.as_object_mut().unwrap().remove("store");
    assert_eq!(without_store, tracked[0]);

    let r = run(on_store(&env).args(["track", "--cached", "OID-TRANSIT"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("from the parcel store: last news"),
        "{}",
        r.stderr
    );

    let r = run(on_store(&env).args(["track", "--cached", "OID-NEVER-SEEN", "--json"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["found"], false);
    assert!(r.stderr.contains("not in the parcel store"), "{}", r.stderr);
}

#[test]
fn a_broken_store_costs_track_one_warning_and_no_exit_code() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let path = store_path(&env);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let r = run(on_store(&env)
        .env("KIRIMINAJA_API_KEY", KEY)
        .env("KIRIMINAJA_BASE_URL", &server.url)
        .args(["track", "OID-TRANSIT", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines().len(), 1);
    assert_eq!(r.stderr.matches("warning").count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("corrupt"), "{}", r.stderr);

    // The commands that need it: one clear error with a hint.
    let r = run(on_store(&env).arg("parcels"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("is corrupt"), "{}", r.stderr);
    assert!(
        r.stderr.contains("hint:") && r.stderr.contains("store import"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_newer_store_is_refused_and_left_untouched() {
    let env = Env::new();
    run(on_store(&env)
        .args(["store", "import"])
        .arg(example("events/stream.jsonl")));
    let path = store_path(&env);
    // user_version is a big-endian integer at byte 60 of the header.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let r = run(on_store(&env).arg("parcels"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("newer version"), "{}", r.stderr);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn no_store_means_nothing_is_written() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    for (flag, value) in [("--no-store", None), ("", Some("off"))] {
        let mut cmd = on_store(&env);
        cmd.env("KIRIMINAJA_API_KEY", KEY)
            .env("KIRIMINAJA_BASE_URL", &server.url);
        if let Some(value) = value {
            cmd.env("KIRIMINAJA_STORE", value);
        }
        if !flag.is_empty() {
            cmd.arg(flag);
        }
        let r = run(cmd.args(["track", "OID-TRANSIT"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stderr, "");
        assert!(!store_path(&env).exists());
    }
    // `store = "off"` in the config file, and the commands that need a store say it is off.
    let config = env.config_file("store = \"off\"\n");
    let r = run(env.cmd().env("KIRIMINAJA_CONFIG", &config).arg("parcels"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("store is off"), "{}", r.stderr);
    // A profile names its own store.
    let other = env.home.path().join("shop.db");
    let config = env.config_file(&format!(
        "store = \"off\"\n[profiles.shop]\nstore = \"{}\"\n",
        other.display()
    ));
    let r = run(env.cmd().env("KIRIMINAJA_CONFIG", &config).args([
        "--profile",
        "shop",
        "store",
        "path",
    ]));
    assert_eq!(r.stdout.trim(), other.display().to_string());
}

#[test]
fn several_imports_at_once_on_one_store() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = (0..4)
        .map(|n| {
            let path = dir.path().join(format!("{n}.jsonl"));
            let mut text = String::new();
            for i in 0..300 {
                text.push_str(&format!(
                    "{{\"method\":\"shipped_packages\",\"data\":[{{\"order_id\":\"OID-{n}-{i}\",\"shipped_at\":\"2025-01-01 10:00:00\"}}]}}\n"
                ));
            }
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let children: Vec<Child> = files
        .iter()
        .map(|file| {
            Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
                .env_clear()
                .env("HOME", env.home.path())
                .env("KIRIMINAJA_STORE", store_path(&env))
                .args(["store", "import"])
                .arg(file)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Readers at the same time.
    for _ in 0..3 {
        let r = run(on_store(&env).args(["parcels", "--open", "--json"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(parcels_json(&env, &["--open"]).len(), 1200);
}

/// A running `listen` (the harness of tests/cli/listen.rs) on the test's store.
fn start_listen(env: &Env, log: &Path) -> Listen {
    let store = store_path(env);
    Listen::start_with(
        env,
        log,
        &[],
        &[("KIRIMINAJA_STORE", store.to_str().unwrap())],
    )
}

/// Pushes one payload to `listen`; the answer's status.
fn push(addr: SocketAddr, body: &str) -> u16 {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return 0;
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let request = format!(
        "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return 0;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

fn shipped(order_id: &str, minute: usize) -> String {
    format!(
        r#"{{"method":"shipped_packages","data":[{{"order_id":"{order_id}","shipped_at":"2025-01-01 10:{:02}:00"}}]}}"#,
        minute % 60
    )
}

/// Waits (bounded) until `parcels --json` has `n` parcels.
fn wait_for_parcels(env: &Env, n: usize) -> Vec<Value> {
    for _ in 0..200 {
        let lines = parcels_json(env, &[]);
        if lines.len() >= n {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the store never had {n} parcels");
}

#[test]
fn listen_feeds_the_store_and_a_kill_9_loses_nothing() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = start_listen(&env, &log);
    // A burst, with `parcels` reading the store while listen writes it.
    let sender = {
        let addr = listen.addr;
        std::thread::spawn(move || {
            for i in 0..200 {
                assert_eq!(push(addr, &shipped(&format!("OID-K{i}"), i)), 200);
            }
        })
    };
    for _ in 0..3 {
        parcels_json(&env, &["--open"]);
    }
    sender.join().unwrap();
    // kill -9 while the feeder may be between a write and its commit.
    let mut listen = listen;
    listen.child.kill().unwrap();
    listen.child.wait().unwrap();
    drop(listen);

    // After a restart, it catches up from its cursor; more events come in.
    let listen = start_listen(&env, &log);
    for i in 200..220 {
        assert_eq!(push(listen.addr, &shipped(&format!("OID-K{i}"), i)), 200);
    }
    wait_for_parcels(&env, 220);
    let (code, stderr) = listen.terminate();
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let fed = by_id(&parcels_json(&env, &[]));
    assert_eq!(fed.len(), 220);
    assert_eq!(fed["OID-K7"]["store"]["last_news_source"], "push");

    // A fresh import of the same log is the same store.
    let fresh = Env::new();
    let r = run(on_store(&fresh).args(["store", "import"]).arg(&log));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(by_id(&parcels_json(&fresh, &[])), fed);
}

#[test]
fn sync_pulls_stale_open_parcels_and_prints_what_changed() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    // listen's log records from long ago: news that is stale now.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("old.jsonl");
    let record = |id: &str| {
        format!(
            r#"{{"received_at":"2020-01-01T10:00:00+07:00","path":"/hook","verified":true,"payload":{{"method":"processed_packages","data":[{{"order_id":"{id}","date":"2020-01-01 09:00:00"}}]}}}}"#
        )
    };
    std::fs::write(
        &log,
        format!(
            "{}\n{}\n{}\n",
            record("OID-TRANSIT"),
            record("OID-DELIVERED"),
            record("OID-NOTFOUND")
        ),
    )
    .unwrap();
    run(on_store(&env).args(["store", "import"]).arg(&log));
    let sync = |args: &[&str]| {
        run(on_store(&env)
            .env("KIRIMINAJA_API_KEY", KEY)
            .env("KIRIMINAJA_BASE_URL", &server.url)
            .arg("sync")
            .args(args))
    };
    let r = sync(&["--json", "--max", "2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let changes = r.json_lines();
    assert!(
        changes.iter().any(|c| c["type"] == "status"),
        "{}",
        r.stdout
    );
    assert!(changes.iter().all(|c| c["query"] != "OID-NOTFOUND"));
    let delivered = changes
        .iter()
        .find(|c| c["type"] == "final")
        .expect("a final line");
    assert_eq!(delivered["query"], "OID-DELIVERED");
    assert_eq!(delivered["delivered"], true);
    // The third one, not found: track's batch rule, exit 3.
    let r = sync(&[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    // Fresh news, or final, everywhere but the ID the API does not know (no news is not
    // news): only that one is pulled again.
    let r = sync(&[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("synced 1 parcel: 0 changed"),
        "{}",
        r.stderr
    );
    let r = sync(&["--older-than", "50y"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("nothing to sync"), "{}", r.stderr);
    let parcels = by_id(&parcels_json(&env, &[]));
    assert_eq!(parcels["OID-DELIVERED"]["status"]["code"], 200);
    assert_eq!(
        parcels["OID-DELIVERED"]["store"]["last_news_source"],
        "pull"
    );
}

#[test]
fn watch_prints_a_pushed_change_and_a_final_push_ends_it() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = start_listen(&env, &log);
    let mut watch = Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
        .env_clear()
        .env("HOME", env.home.path())
        .env("KIRIMINAJA_API_KEY", KEY)
        .env("KIRIMINAJA_BASE_URL", &server.url)
        .env("KIRIMINAJA_STORE", store_path(&env))
        // A day between polls: only a push can end this watch in time.
        .args(["watch", "OID-TRANSIT", "--interval", "1d", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(watch.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let snapshot: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(snapshot["type"], "snapshot");
    let now = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(7)))
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string();
    let body = format!(
        r#"{{"method":"finished_packages","data":[{{"order_id":"OID-TRANSIT","finished_at":"{now}"}}]}}"#
    );
    assert_eq!(push(listen.addr, &body), 200);
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(watch.wait_with_output());
    });
    let output = finished
        .recv_timeout(Duration::from_secs(30))
        .expect("the watch ended on the push")
        .unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let lines: Vec<Value> = rest
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(lines.iter().any(|l| l["type"] == "event"), "{rest}");
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "final");
    assert_eq!(last["delivered"], true);
    drop(listen);
}

#[test]
fn listen_with_a_broken_store_still_acknowledges_and_warns_once() {
    let env = Env::new();
    let path = store_path(&env);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let log = env.home.path().join("events.jsonl");
    let listen = start_listen(&env, &log);
    for i in 0..3 {
        assert_eq!(push(listen.addr, &shipped(&format!("OID-B{i}"), i)), 200);
    }
    let (code, stderr) = listen.terminate();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.matches("warning").count(), 1, "{stderr}");
    assert!(stderr.contains("not fed for now"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 3);

    // Set aside and rebuilt from the log, as the hint says.
    std::fs::rename(&path, path.with_extension("bad")).unwrap();
    let r = run(on_store(&env).args(["store", "import"]).arg(&log));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(parcels_json(&env, &[]).len(), 3);
}

#[test]
fn watch_with_a_broken_store_warns_once_and_exits_as_before() {
    let server = FakeApi::start(&[]);
    let env = Env::new();
    let path = store_path(&env);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let r = run(on_store(&env)
        .env("KIRIMINAJA_API_KEY", KEY)
        .env("KIRIMINAJA_BASE_URL", &server.url)
        .args(["watch", "OID-DELIVERED", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("warning").count(), 1, "{}", r.stderr);
    assert_eq!(r.json_lines().last().unwrap()["type"], "final");
}

/// The store's feeder yields to receiving: its thread runs under `SCHED_IDLE` (policy 5 in the
/// 41st field of its `stat`).
#[cfg(target_os = "linux")]
#[test]
fn the_feeder_thread_runs_only_when_receiving_leaves_the_cpu_idle() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = start_listen(&env, &log);
    let tasks = format!("/proc/{}/task", listen.child.id());
    let mut policy = None;
    for task in std::fs::read_dir(&tasks).unwrap() {
        let task = task.unwrap().path();
        if std::fs::read_to_string(task.join("comm"))
            .unwrap_or_default()
            .trim()
            == "store-feed"
        {
            let stat = std::fs::read_to_string(task.join("stat")).unwrap();
            // After the command name in parentheses, fields 3 on; the policy is the 41st.
            let after = &stat[stat.rfind(')').unwrap() + 2..];
            policy = after.split(' ').nth(41 - 3).map(str::to_owned);
        }
    }
    let (code, stderr) = listen.terminate();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        policy.as_deref(),
        Some("5"),
        "no feeder thread, or not SCHED_IDLE"
    );
}

#[test]
fn a_restart_behind_a_rotation_feeds_the_rest_of_the_rotated_file() {
    let env = Env::new();
    let log = env.home.path().join("r.jsonl");
    let rotated = env.home.path().join("r.jsonl.1");
    let listen = start_listen(&env, &log);
    assert_eq!(push(listen.addr, &shipped("OID-R1", 1)), 200);
    wait_for_parcels(&env, 1);
    let (code, stderr) = listen.terminate();
    assert_eq!(code, 0, "{stderr}");
    // What `listen` leaves when it stops with its feed behind: an event logged, not yet fed
    // (the same record, another order), then the log rotated away.
    let first = std::fs::read_to_string(&log).unwrap();
    std::fs::write(
        &log,
        format!("{first}{}", first.replace("OID-R1", "OID-R2")),
    )
    .unwrap();
    std::fs::rename(&log, &rotated).unwrap();
    let listen = start_listen(&env, &log);
    assert_eq!(push(listen.addr, &shipped("OID-R3", 3)), 200);
    let fed = wait_for_parcels(&env, 3);
    let (code, stderr) = listen.terminate();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("feeding the rest of"), "{stderr}");
    let mut ids: Vec<_> = fed
        .iter()
        .map(|p| p["order_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    assert_eq!(ids, ["OID-R1", "OID-R2", "OID-R3"]);
    // Finished: the next start feeds nothing twice and says nothing of it.
    let listen = start_listen(&env, &log);
    let (code, stderr) = listen.terminate();
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("rotated away"), "{stderr}");
}

#[test]
fn the_store_is_fed_every_file_of_a_log_rotated_twice_while_it_was_down() {
    let env = Env::new();
    let path = store_path(&env);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let log = env.home.path().join("r.jsonl");
    let first = env.home.path().join("r.jsonl.1");
    let second = env.home.path().join("r.jsonl.2");
    let listen = start_listen(&env, &log);
    let reopen = |listen: &Listen| {
        let status = Command::new("kill")
            .args(["-USR1", &listen.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..600 {
            if log.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("no new log");
    };
    let send = |listen: &Listen, ids: [usize; 2]| {
        for i in ids {
            assert_eq!(push(listen.addr, &shipped(&format!("OID-R{i}"), i)), 200);
        }
    };
    send(&listen, [1, 2]);
    std::fs::rename(&log, &first).unwrap();
    reopen(&listen);
    send(&listen, [3, 4]);
    std::fs::rename(&first, &second).unwrap();
    std::fs::rename(&log, &first).unwrap();
    reopen(&listen);
    send(&listen, [5, 6]);
    // The store comes back: the feeder tries again (after a few seconds) and catches up.
    std::fs::rename(&path, path.with_extension("bad")).unwrap();
    let fed = wait_for_parcels(&env, 6);
    let (code, stderr) = listen.terminate();
    assert_eq!(code, 0, "{stderr}");
    let mut ids: Vec<_> = fed
        .iter()
        .map(|p| p["order_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        ["OID-R1", "OID-R2", "OID-R3", "OID-R4", "OID-R5", "OID-R6"]
    );
}
