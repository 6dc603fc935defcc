//! `listen` under attack and misuse (issue 16): a real `listen`, real sockets, real second
//! processes. Each test failed before its fix.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::listen::*;
use crate::support::*;

/// Waits for `done`, at most 30 s.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(30), "{what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A push with any body bytes and any extra header lines.
fn raw_push(extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\n{extra_headers}Connection: close\r\n\r\n"
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

fn with_length(body: &[u8]) -> Vec<u8> {
    raw_push(&format!("Content-Length: {}\r\n", body.len()), body)
}

// Finding 1: one writer per log.

#[test]
fn a_second_listen_on_the_same_log_is_refused() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let first = Listen::start(&env, &log, &[]);
    assert_eq!(send(first.addr, &push("/hook", KEY, &finished("A1"))), 200);
    let r = run(env
        .api("https://example.invalid")
        .args(["listen", "--addr", "127.0.0.1:0", "--log"])
        .arg(&log));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "error: another `kiriminaja listen` is writing the event log {}",
            log.display()
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("listening on"), "{}", r.stderr);
    // The first one goes on, with its log whole.
    assert_eq!(send(first.addr, &push("/hook", KEY, &finished("A2"))), 200);
    assert_eq!(first.stop("-TERM").0, 0);
    let ids: Vec<_> = log_lines(&log)
        .iter()
        .map(|r| r["payload"]["data"][0]["order_id"].clone())
        .collect();
    assert_eq!(ids, ["A1", "A2"]);
}

#[test]
fn a_log_cut_from_outside_is_reported_and_forwarded_from_its_start() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let mut app = App::new();
    app.up();
    let url = app.url();
    let listen = Listen::start(&env, &log, &["--forward-to", &url]);
    send_events(listen.addr, 1..=2);
    app.wait_for(2);
    // `: > events.jsonl`, or logrotate's copytruncate.
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&log)
        .unwrap();
    send_events(listen.addr, 3..=3);
    app.wait_for(3);
    let lines = listen.stderr.clone();
    assert_eq!(listen.stop("-TERM").0, 0);
    let stderr = lines.lock().unwrap().clone();
    assert!(stderr.contains("was cut from"), "{stderr}");
    assert_eq!(app.ids(), ["E1", "E2", "E3"]);

    // Cut while listen was down, then grown past the cursor by other records: the cursor's
    // check tells, and forwarding starts again from the start.
    let record = String::from_utf8(std::fs::read(&log).unwrap()).unwrap();
    let other = record.replace("\"E3\"", "\"X3\"");
    std::fs::write(&log, [other.as_str(), &record, &record].concat()).unwrap();
    let listen = Listen::start(&env, &log, &["--forward-to", &url]);
    app.wait_for(6);
    let lines = listen.stderr.clone();
    assert_eq!(listen.stop("-TERM").0, 0);
    app.down();
    let stderr = lines.lock().unwrap().clone();
    assert!(stderr.contains("does not fit the log"), "{stderr}");
    assert_eq!(app.ids(), ["E1", "E2", "E3", "X3", "E3", "E3"]);
}

/// `SIGUSR1` to `listen` (after its log was renamed), and the new log at `log`.
fn reopen(listen: &Listen, log: &Path) {
    let status = Command::new("kill")
        .args(["-USR1", &listen.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    wait_until("a new log", || log.exists());
}

#[test]
fn a_rotated_log_is_reopened_on_sigusr1_and_forwarding_follows() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let rotated = env.home.path().join("events.jsonl.1");
    let mut app = App::new();
    let url = app.url();
    // The app is down: both events wait, one in each file.
    let listen = Listen::start(&env, &log, &["--forward-to", &url]);
    send_events(listen.addr, 1..=1);
    std::fs::rename(&log, &rotated).unwrap();
    reopen(&listen, &log);
    send_events(listen.addr, 2..=2);
    app.up();
    app.wait_for(2);
    let lines = listen.stderr.clone();
    assert_eq!(listen.stop("-TERM").0, 0);
    app.down();
    let stderr = lines.lock().unwrap().clone();
    assert!(stderr.contains("SIGUSR1: writing to a new"), "{stderr}");
    assert_eq!(app.ids(), ["E1", "E2"]);
    assert_eq!(log_lines(&rotated).len(), 1);
    assert_eq!(log_lines(&log)[0]["payload"]["data"][0]["order_id"], "E2");
}

/// listen stops while forwarding is still behind a rotation (the app was down: E1 and E2 in
/// the rotated file, E3 in the new one); `between` runs while it is down; then listen starts
/// again and the app comes up. What the app got, once it has `expected` events, and what listen
/// said.
fn restart_behind_a_rotation(
    between: impl FnOnce(&Path),
    expected: usize,
) -> (Vec<String>, String) {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let rotated = env.home.path().join("events.jsonl.1");
    let app = App::new();
    let url = app.url();
    let listen = Listen::start(&env, &log, &["--forward-to", &url]);
    send_events(listen.addr, 1..=2);
    std::fs::rename(&log, &rotated).unwrap();
    reopen(&listen, &log);
    send_events(listen.addr, 3..=3);
    assert_eq!(listen.stop("-TERM").0, 0);
    between(&rotated);
    let listen = Listen::start(&env, &log, &["--forward-to", &url]);
    deliver(app, listen, expected)
}

/// The app comes up; once it has `expected` events, listen and the app stop. What the app got,
/// and what listen said.
fn deliver(mut app: App, listen: Listen, expected: usize) -> (Vec<String>, String) {
    app.up();
    app.wait_for(expected);
    let lines = listen.stderr.clone();
    assert_eq!(listen.stop("-TERM").0, 0);
    app.down();
    let stderr = lines.lock().unwrap().clone();
    (app.ids(), stderr)
}

#[test]
fn a_restart_behind_a_rotation_forwards_the_rest_of_the_rotated_file() {
    let (ids, stderr) = restart_behind_a_rotation(|_| {}, 3);
    assert!(stderr.contains("finishing"), "{stderr}");
    assert!(stderr.contains("events.jsonl.1"), "{stderr}");
    assert_eq!(ids, ["E1", "E2", "E3"]);
}

#[test]
fn a_rotated_file_gone_before_the_restart_is_reported_with_what_was_skipped() {
    let gone = |rotated: &Path| std::fs::remove_file(rotated).unwrap();
    let (ids, stderr) = restart_behind_a_rotation(gone, 1);
    assert!(stderr.contains("no longer beside it"), "{stderr}");
    assert!(stderr.contains("after byte 0 are skipped"), "{stderr}");
    assert_eq!(ids, ["E3"]);
}

// Finding 9: a file that is not a log is refused, untouched.

#[test]
fn a_file_that_is_not_a_log_is_refused_untouched() {
    let env = Env::new();
    let binary: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8 | 1).collect();
    let json = b"{\n  \"name\": \"settings\",\n  \"items\": [1, 2]\n}".to_vec();
    for (name, contents) in [("blob.bin", binary), ("settings.json", json)] {
        let path = env.home.path().join(name);
        std::fs::write(&path, &contents).unwrap();
        let r = run(env
            .api("https://example.invalid")
            .args(["listen", "--addr", "127.0.0.1:0", "--log"])
            .arg(&path));
        assert_eq!(r.code, 4, "{}", r.stderr);
        assert!(r.stderr.contains("is not an event log"), "{}", r.stderr);
        assert!(!r.stderr.contains("crash"), "{}", r.stderr);
        assert_eq!(std::fs::read(&path).unwrap(), contents, "{name} untouched");
    }
}

// Finding 12: a log others can read is said.

#[cfg(unix)]
#[test]
fn a_log_open_to_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    std::fs::write(&log, "").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    let listen = Listen::start(&env, &log, &[]);
    let stderr = listen.stderr();
    assert_eq!(listen.stop("-TERM").0, 0);
    assert!(
        stderr.contains("is open to other users (mode 644)"),
        "{stderr}"
    );
}

// Finding 2: proxies are never used for loopback.

/// A "proxy" that only counts the connections it gets (and answers none).
fn counting_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}

#[test]
fn proxy_variables_never_carry_the_key_to_loopback() {
    let env = Env::new();
    let (proxy, used) = counting_proxy();
    let vars = [
        ("HTTP_PROXY", proxy.as_str()),
        ("http_proxy", proxy.as_str()),
        ("ALL_PROXY", proxy.as_str()),
        ("all_proxy", proxy.as_str()),
        ("HTTPS_PROXY", proxy.as_str()),
    ];
    // `track` against a loopback API where nothing listens: refused, not proxied.
    let r = run(env
        .api(&closed_port_url())
        .envs(vars)
        .args(["track", "OID-1"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert_eq!(
        used.load(Ordering::SeqCst),
        0,
        "track went through the proxy"
    );

    // `listen --forward-to` a loopback app.
    let log = env.home.path().join("events.jsonl");
    let mut app = App::new();
    app.up();
    let url = app.url();
    let listen = Listen::start_with(&env, &log, &["--forward-to", &url], &vars);
    send_events(listen.addr, 1..=1);
    app.wait_for(1);
    assert_eq!(listen.stop("-TERM").0, 0);
    app.down();
    assert_eq!(
        used.load(Ordering::SeqCst),
        0,
        "forwarding went through the proxy"
    );
}

// Finding 3: a sender that hangs up still gets its event passed on.

#[test]
fn a_sender_that_hangs_up_still_gets_exec_live_view_and_access_line() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let ran = env.home.path().join("ran");
    let command = format!(
        "cat > /dev/null; echo \"$KIRIMINAJA_ORDER_IDS\" >> '{}'",
        ran.display()
    );
    let listen = Listen::start(&env, &log, &["--json", "--exec", &command]);
    const N: usize = 10;
    for i in 0..N {
        let mut stream = TcpStream::connect(listen.addr).unwrap();
        stream
            .write_all(&push("/hook", KEY, &finished(&format!("H{i}"))))
            .unwrap();
        // Gone before the answer.
        stream.shutdown(Shutdown::Both).unwrap();
        drop(stream);
    }
    wait_until(&format!("every event logged: {}", listen.stderr()), || {
        log_lines(&log).len() == N
    });
    wait_until("every command run", || {
        std::fs::read_to_string(&ran).map_or(0, |t| t.lines().count()) == N
    });
    let lines = listen.stderr.clone();
    let (code, stdout) = listen.stop("-TERM");
    assert_eq!(code, 0);
    let stderr = lines.lock().unwrap().clone();
    assert_eq!(stdout.lines().count(), N, "{stdout}");
    assert_eq!(
        stderr
            .matches(" 200 POST /hook finished_packages H")
            .count(),
        N,
        "{stderr}"
    );
}

// Finding 6: one framing rule; bodies kept and forwarded byte for byte.

#[test]
fn framings_decode_event_refuses_are_refused_and_nothing_is_logged() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    let body = finished("F1");
    let chunked = format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len());
    let length = format!("Content-Length: {}\r\n", chunked.len());
    let cases: [(String, &str, u16); 6] = [
        (
            format!("{length}Transfer-Encoding: chunked\r\n"),
            &chunked,
            400,
        ),
        (
            format!("Transfer-Encoding: chunked\r\n{length}"),
            &chunked,
            400,
        ),
        (
            "Transfer-Encoding: chunked, chunked\r\n".to_owned(),
            &chunked,
            415,
        ),
        (
            "Transfer-Encoding: gzip, chunked\r\n".to_owned(),
            &chunked,
            415,
        ),
        (
            format!(
                "Content-Encoding: gzip\r\nContent-Length: {}\r\n",
                body.len()
            ),
            &body,
            415,
        ),
        // No length at all: what decode-event calls an unannounced length.
        (String::new(), "", 411),
    ];
    for (headers, body, status) in &cases {
        assert_eq!(
            send(listen.addr, &raw_push(headers, body.as_bytes())),
            *status,
            "{headers:?}"
        );
    }
    let lines = listen.stderr.clone();
    assert_eq!(listen.stop("-TERM").0, 0);
    let stderr = lines.lock().unwrap().clone();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "", "{stderr}");
    assert!(
        stderr.contains(
            " 400 POST /hook the request head announces both Content-Length and Transfer-Encoding"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(" 411 POST /hook no Content-Length"),
        "{stderr}"
    );

    // decode-event --verify gives the same answers for the same requests.
    let capture = env.home.path().join("captured.http");
    for (headers, body, _) in &cases {
        std::fs::write(&capture, raw_push(headers, body.as_bytes())).unwrap();
        let r = run(env
            .api("https://example.invalid")
            .args(["decode-event", "--verify"])
            .arg(&capture));
        assert_ne!(r.code, 0, "decode-event accepted {headers:?}: {}", r.stdout);
    }
}

#[test]
fn bodies_are_logged_and_forwarded_byte_for_byte() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let mut app = App::new();
    app.up();
    let url = app.url();
    let listen = Listen::start(&env, &log, &["--forward-to", &url]);
    let bodies: Vec<Vec<u8>> = vec![
        // A trailing newline (issue 18, item 15), CRLF inside, blanks around.
        format!("{}\n", finished("B1")).into_bytes(),
        format!(" {}\r\n", finished("B2").replace(",", ",\r\n ")).into_bytes(),
        // Not UTF-8: invalid bytes inside a string.
        finished("B3")
            .replace("AWB-B3", "AWB-\u{1}")
            .replace('\u{1}', "\u{0}")
            .into_bytes()
            .into_iter()
            .map(|b| if b == 0 { 0xff } else { b })
            .collect(),
        // Not JSON, not UTF-8.
        b"\x1f\x8b\x08\x00gzip?".to_vec(),
    ];
    for body in &bodies {
        assert_eq!(send(listen.addr, &with_length(body)), 200);
    }
    wait_until("every body forwarded", || {
        app.received.lock().unwrap().len() == bodies.len()
    });
    assert_eq!(listen.stop("-TERM").0, 0);
    app.down();
    let forwarded: Vec<Vec<u8>> = app
        .received
        .lock()
        .unwrap()
        .iter()
        .map(|(_, body)| body.clone())
        .collect();
    assert_eq!(forwarded, bodies);
    assert_eq!(log_lines(&log).len(), bodies.len());
}

// Finding 4: unknown keys cost linear time, and slow decoding does not hold other requests.

/// A push whose order carries `n` unknown keys.
fn with_unknown_keys(n: usize) -> String {
    let mut keys = String::with_capacity(n * 14);
    for i in 0..n {
        keys.push_str(&format!("\"k{i}\":{i},"));
    }
    format!(
        r#"{{"method":"finished_packages","data":[{{{keys}"order_id":"BIG","finished_at":"2025-01-11 16:00:00"}}]}}"#
    )
}

#[test]
fn unknown_keys_are_decoded_in_linear_time() {
    let env = Env::new();
    let payload = env.home.path().join("big.json");
    // 80,000 keys, about 1 MiB: 8.8 s in a release build before, minutes in a debug one. How
    // the time grows with the keys is measured by bench/run.sh (step 3b), not here.
    std::fs::write(&payload, with_unknown_keys(80_000)).unwrap();
    let r = run(env.cmd().args(["decode-event", "--json"]).arg(&payload));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["orders"][0]["order_id"], "BIG");

    // In listen: two such bodies at once, and a genuine push is answered meanwhile.
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    let big = with_unknown_keys(70_000);
    let heavy: Vec<_> = (0..2)
        .map(|_| {
            let (addr, request) = (listen.addr, push("/hook", KEY, &big));
            std::thread::spawn(move || send(addr, &request))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        send(listen.addr, &push("/hook", KEY, &finished("SMALL"))),
        200
    );
    for thread in heavy {
        assert_eq!(thread.join().unwrap(), 200);
    }
    assert_eq!(listen.stop("-TERM").0, 0);
    assert_eq!(log_lines(&log).len(), 3);
}

// Finding 5: idle connections do not starve genuine pushes.

#[test]
fn idle_connections_do_not_keep_a_genuine_push_out() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    // The longest --read-timeout (10 min): before the fix a genuine push waited for an idle
    // connection to time out, so it would not be answered within `send`'s 20 s; now it is (at
    // once: the oldest idle connection is evicted to make room).
    let listen = Listen::start(
        &env,
        &log,
        &["--max-connections", "16", "--read-timeout", "10m"],
    );
    let stop = Arc::new(AtomicBool::new(false));
    // 48 connections that never send a byte, each reopened as soon as it is closed.
    let idlers: Vec<_> = (0..48)
        .map(|_| {
            let (addr, stop) = (listen.addr, stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let Ok(mut stream) = TcpStream::connect(addr) else {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                    let mut byte = [0u8];
                    while !stop.load(Ordering::SeqCst) {
                        match stream.read(&mut byte) {
                            Ok(0) => break,
                            Ok(_) => {}
                            Err(e)
                                if e.kind() == std::io::ErrorKind::WouldBlock
                                    || e.kind() == std::io::ErrorKind::TimedOut => {}
                            Err(_) => break,
                        }
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for i in 0..5 {
        assert_eq!(
            send(
                listen.addr,
                &push("/hook", KEY, &finished(&format!("G{i}")))
            ),
            200,
            "a genuine push is not answered while idle connections hold the slots"
        );
    }
    stop.store(true, Ordering::SeqCst);
    for idler in idlers {
        idler.join().unwrap();
    }
    assert_eq!(listen.stop("-TERM").0, 0);
    assert_eq!(log_lines(&log).len(), 5);
}

// Finding 7: shutdown is bounded, whatever clients and stdout do.

#[test]
fn shutdown_is_bounded_by_trickling_clients_and_a_stdout_nobody_reads() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
        .env_clear()
        .env("HOME", env.home.path())
        .env("KIRIMINAJA_API_KEY", KEY)
        .args([
            "listen",
            "--json",
            "--read-timeout",
            "60s",
            "--addr",
            "127.0.0.1:0",
            "--log",
        ])
        .arg(&log)
        .stdin(Stdio::null())
        // Never read: once the pipe is full, every write to stdout blocks.
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let addr: SocketAddr = first
        .split("listening on http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("listen did not start: {first}"))
        .parse()
        .unwrap();
    // Drained, so that stderr never blocks it.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    // More live view than a pipe holds.
    for i in 0..300 {
        assert_eq!(
            send(addr, &push("/hook", KEY, &finished(&format!("P{i}")))),
            200
        );
    }
    // A client trickling its head, and one trickling an authenticated body.
    let trickle = |request: Vec<u8>| {
        std::thread::spawn(move || {
            let Ok(mut stream) = TcpStream::connect(addr) else {
                return;
            };
            for byte in request {
                if stream.write_all(&[byte]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(300));
            }
        })
    };
    let _head = trickle(push("/hook", KEY, &finished("SLOW-HEAD")));
    let mut body = format!(
        "POST /hook HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\nContent-Length: 1000\r\n\r\n"
    )
    .into_bytes();
    let head_len = body.len();
    body.extend_from_slice(&[b' '; 1000]);
    {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(&body[..head_len]).unwrap();
        std::thread::spawn(move || {
            for _ in 0..1000 {
                if stream.write_all(b" ").is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(300));
            }
        });
    }
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(0));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(14),
            "still running 14 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(log_lines(&log).len(), 300);
}

// Finding 8: the config file is read with a limit.

#[cfg(unix)]
#[test]
fn an_endless_config_file_is_refused() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_CONFIG", "/dev/zero")
        .args(["track", "X-1"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 1 MiB"), "{}", r.stderr);
}

// Finding 10: --exec's environment is clean and unambiguous.

#[test]
fn exec_environment_values_are_cleaned_and_unambiguous() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let out = env.home.path().join("vars");
    let command = format!(
        "cat > /dev/null; printf '%s|%s' \"$KIRIMINAJA_ORDER_IDS\" \"$KIRIMINAJA_ORDER_IDS_JSON\" > '{}'",
        out.display()
    );
    let listen = Listen::start(&env, &log, &["--exec", &command]);
    let body = r#"{"method":"shipped_packages","data":[{"order_id":"A 1\u001b]52;c;aGk=\u0007"},{"order_id":"B\n2"}]}"#;
    assert_eq!(send(listen.addr, &push("/hook", KEY, body)), 200);
    wait_until("the command ran", || {
        std::fs::read_to_string(&out).is_ok_and(|t| !t.is_empty())
    });
    assert_eq!(listen.stop("-TERM").0, 0);
    let vars = std::fs::read_to_string(&out).unwrap();
    assert!(
        !vars.chars().any(|c| c.is_control()),
        "control characters: {vars:?}"
    );
    let (ids, json) = vars.split_once('|').unwrap();
    assert_eq!(ids, "A 1 ]52;c;aGk= B 2");
    let list: Vec<String> = serde_json::from_str(json).unwrap();
    assert_eq!(list, ["A 1 ]52;c;aGk=", "B 2"]);
}

// Finding 11 and issue 18 item 9: the access line is scrubbed and carries its zone.

#[test]
fn access_lines_hide_the_key_and_give_their_offset() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    let path = format!("/hook/{KEY}");
    assert_eq!(send(listen.addr, &push(&path, KEY, &finished("K1"))), 200);
    assert_eq!(
        send(
            listen.addr,
            &push(&path, "wrong-token-0000", &finished("K2"))
        ),
        401
    );
    let lines = listen.stderr.clone();
    // stop() also fails if the key is anywhere on stderr.
    assert_eq!(listen.stop("-TERM").0, 0);
    let stderr = lines.lock().unwrap().clone();
    let access: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(" POST /hook/"))
        .collect();
    assert_eq!(access.len(), 2, "{stderr}");
    for line in access {
        assert!(line.contains("/hook/[redacted]"), "{line}");
        // `2025-01-11T16:00:02+07:00 200 …`
        let time = line.split(' ').next().unwrap();
        assert_eq!(time.len(), 25, "{line}");
        assert!(
            time.ends_with("+07:00") && time.as_bytes()[10] == b'T',
            "{line}"
        );
    }
}

#[test]
fn decode_event_shows_when_listen_received_each_event() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    assert_eq!(send(listen.addr, &push("/hook", KEY, &finished("R1"))), 200);
    assert_eq!(listen.stop("-TERM").0, 0);
    let received = log_lines(&log)[0]["received_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = run(env.cmd().arg("decode-event").arg(&log));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let shown = format!("{} {} WIB", &received[..10], &received[11..19]);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.contains("Received") && l.contains(&shown)),
        "{}",
        r.stdout
    );
}

// Finding 12: config init says when the folder is open to others.

#[cfg(unix)]
#[test]
fn config_init_warns_about_an_open_folder() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let dir = env.home.path().join("shared");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = dir.join("config.toml");
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_CONFIG", &config)
        .args(["config", "init"])
        .write_stdin(format!("{KEY}\n")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("is open to other users (mode 755)"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_endless_key_on_stdin_is_refused() {
    let env = Env::new();
    // Straight from the device: the child reads it, not this test.
    let output = Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
        .env_clear()
        .env("HOME", env.home.path())
        .args(["config", "init"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    let r = checked(output);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("that is not a key"), "{}", r.stderr);
}

#[test]
fn requests_on_one_kept_alive_connection_are_each_framed_on_their_own() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    // Three requests in one write: a fixed length, a chunked body with a trailer, and a last
    // one that closes.
    let first = finished("KA1");
    let second = finished("KA2");
    let third = finished("KA3");
    let mut requests = format!(
        "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\nContent-Length: {}\r\n\r\n{first}",
        first.len()
    )
    .into_bytes();
    requests.extend_from_slice(
        format!(
            "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{}\r\n{:x}\r\n{}\r\n0\r\nX-Trailer: t\r\n\r\n",
            &second[..5],
            second.len() - 5,
            &second[5..]
        )
        .as_bytes(),
    );
    requests.extend_from_slice(&with_length(third.as_bytes()));
    let mut stream = TcpStream::connect(listen.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(&requests).unwrap();
    let mut answers = Vec::new();
    let _ = stream.read_to_end(&mut answers);
    let answers = String::from_utf8_lossy(&answers);
    assert_eq!(answers.matches("HTTP/1.1 200 OK").count(), 3, "{answers}");
    assert_eq!(listen.stop("-TERM").0, 0);
    let ids: Vec<_> = log_lines(&log)
        .iter()
        .map(|r| r["payload"]["data"][0]["order_id"].clone())
        .collect();
    assert_eq!(ids, ["KA1", "KA2", "KA3"]);
}

// Two rotations before forwarding caught up: every file in between is forwarded too, also
// when listen restarts meanwhile (the cursor names the files still to read).

/// The app is down while the log is rotated twice (E1–E2, E3–E4, E5–E6 in three files);
/// `restart` stops and starts listen before the app comes up (E7 after it). What the app got.
fn two_rotations_behind(restart: bool) -> (Vec<String>, String) {
    let env = Env::new();
    let log = env.home.path().join("r.jsonl");
    let first = env.home.path().join("r.jsonl.1");
    let second = env.home.path().join("r.jsonl.2");
    let app = App::new();
    let url = app.url();
    let mut listen = Listen::start(&env, &log, &["--forward-to", &url]);
    send_events(listen.addr, 1..=2);
    std::fs::rename(&log, &first).unwrap();
    reopen(&listen, &log);
    send_events(listen.addr, 3..=4);
    std::fs::rename(&first, &second).unwrap();
    std::fs::rename(&log, &first).unwrap();
    reopen(&listen, &log);
    send_events(listen.addr, 5..=6);
    let mut expected = 6;
    if restart {
        assert_eq!(listen.stop("-TERM").0, 0);
        listen = Listen::start(&env, &log, &["--forward-to", &url]);
        send_events(listen.addr, 7..=7);
        expected = 7;
    }
    deliver(app, listen, expected)
}

#[test]
fn two_rotations_before_forwarding_catches_up_lose_nothing() {
    let (ids, _) = two_rotations_behind(false);
    assert_eq!(ids, ["E1", "E2", "E3", "E4", "E5", "E6"]);
}

#[test]
fn a_restart_behind_two_rotations_forwards_both_rotated_files() {
    let (ids, stderr) = two_rotations_behind(true);
    assert!(stderr.contains("r.jsonl.2, then"), "{stderr}");
    assert_eq!(ids, ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]);
}

#[test]
fn a_key_in_the_path_never_reaches_the_log() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    let encoded: String = KEY.bytes().map(|b| format!("%{b:02X}")).collect();
    for path in [
        format!("/hook/{KEY}"),
        format!("/hook/{encoded}"),
        "/hook/Bearer%20abcdefghijklmnop".to_owned(),
    ] {
        assert_eq!(send(listen.addr, &push(&path, KEY, &finished("K1"))), 200);
    }
    assert_eq!(listen.stop("-TERM").0, 0);
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(!text.contains(KEY), "{text}");
    assert!(!text.contains(&encoded), "{text}");
    assert!(!text.contains("abcdefghijklmnop"), "{text}");
    assert!(text.contains("\"path\":\"/hook/[redacted]\""), "{text}");
    // Read back where there is no key to scrub with.
    let r = decode_log(&env, &log);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains(KEY), "{}", r.stdout);
    assert!(!r.stdout.contains(&encoded), "{}", r.stdout);
}

// A byte-order mark before a JSON push: one rule, the mark skipped, the bytes kept.

#[test]
fn a_push_with_a_byte_order_mark_is_read_shown_and_decodable() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &["--json"]);
    let body = format!("\u{feff}{}", finished("BOM1"));
    assert_eq!(send(listen.addr, &push("/hook", KEY, &body)), 200);
    let (code, stdout) = listen.stop("-TERM");
    assert_eq!(code, 0);
    let live: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(live["orders"][0]["order_id"], "BOM1", "{stdout}");
    let records = log_lines(&log);
    assert_eq!(records[0]["payload"]["data"][0]["order_id"], "BOM1");
    // Byte for byte, mark included.
    assert_eq!(records[0]["body"], body.as_str());
    assert!(records[0].get("unreadable").is_none());
    let r = decode_log(&env, &log);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines()[0]["orders"][0]["order_id"], "BOM1");
}

// A body nested as deep as listen reads: its record reads back too.

#[test]
fn a_deeply_nested_body_listen_accepted_reads_back_from_the_log() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    let body = format!(
        r#"{{"method":"finished_packages","data":[{{"order_id":"DEEP1","awb":"A","finished_at":"2025-01-11 16:00:00","extra":{}{}}}]}}"#,
        "[".repeat(124),
        "]".repeat(124)
    );
    assert_eq!(send(listen.addr, &push("/hook", KEY, &body)), 200);
    assert_eq!(listen.stop("-TERM").0, 0);
    let file = env.home.path().join("deep.json");
    std::fs::write(&file, &body).unwrap();
    let direct = run(env.cmd().args(["decode-event", "--json"]).arg(&file));
    assert_eq!(direct.code, 0, "{}", direct.stderr);
    let r = decode_log(&env, &log);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"order_id\":\"DEEP1\""), "{}", r.stdout);
}

// --exec with more ids than its variables hold: whole ids, valid JSON, and counts that say so.

#[test]
fn exec_id_lists_are_cut_at_whole_ids_and_say_how_many_are_left_out() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let dir = env.home.path().join("vars");
    std::fs::create_dir_all(&dir).unwrap();
    let command = format!(
        "cd '{}' && cat > payload && printf '%s' \"$KIRIMINAJA_ORDER_IDS\" > plain && printf '%s' \"$KIRIMINAJA_ORDER_IDS_JSON\" > json && printf '%s %s' \"$KIRIMINAJA_ORDER_COUNT\" \"$KIRIMINAJA_ORDER_IDS_LEFT_OUT\" > counts.tmp && mv counts.tmp counts",
        dir.display()
    );
    let listen = Listen::start(&env, &log, &["--exec", &command]);
    let ids: Vec<String> = (0..10_000).map(|i| format!("OID-{i:08}")).collect();
    let data: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"order_id":"{id}"}}"#))
        .collect();
    let body = format!(
        r#"{{"method":"shipped_packages","data":[{}]}}"#,
        data.join(",")
    );
    assert_eq!(send(listen.addr, &push("/hook", KEY, &body)), 200);
    wait_until("the command ran", || dir.join("counts").exists());
    let lines = listen.stderr.clone();
    assert_eq!(listen.stop("-TERM").0, 0);
    let stderr = lines.lock().unwrap().clone();
    let json: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("json")).unwrap()).unwrap();
    let plain = std::fs::read_to_string(dir.join("plain")).unwrap();
    let plain: Vec<&str> = plain.split(' ').collect();
    assert_eq!(plain, json);
    assert!(!json.is_empty());
    assert_eq!(json[..], ids[..json.len()], "whole ids, in order");
    let counts = std::fs::read_to_string(dir.join("counts")).unwrap();
    assert_eq!(counts, format!("10000 {}", 10_000 - json.len()));
    assert!(
        stderr.contains("are left out of KIRIMINAJA_ORDER_IDS"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(dir.join("payload")).unwrap(), body);
}
