//! `kiriminaja listen`: the real binary on port 0, real HTTP requests over TCP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

/// A running `listen`, killed when dropped.
pub(crate) struct Listen {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    pub(crate) log: PathBuf,
    pub(crate) stderr: Arc<Mutex<String>>,
}

impl Listen {
    pub(crate) fn start(env: &Env, log: &Path, args: &[&str]) -> Listen {
        Listen::start_with(env, log, args, &[])
    }

    /// [`Listen::start`] with more environment variables.
    pub(crate) fn start_with(
        env: &Env,
        log: &Path,
        args: &[&str],
        vars: &[(&str, &str)],
    ) -> Listen {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
            .env_clear()
            .env("HOME", env.home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("KIRIMINAJA_API_KEY", KEY)
            .envs(vars.iter().copied())
            .args(["listen", "--addr", "127.0.0.1:0", "--log"])
            .arg(log)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let (ready, address) = mpsc::channel();
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let collected = stderr.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while lines.read_line(&mut line).unwrap_or(0) > 0 {
                if let Some(rest) = line.strip_prefix("kiriminaja: listening on http://") {
                    let addr = rest.split_whitespace().next().unwrap_or("").to_owned();
                    let _ = ready.send(addr);
                }
                collected.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let addr = address
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("listen did not start:\n{}", stderr.lock().unwrap()))
            .parse()
            .unwrap();
        Listen {
            child,
            addr,
            log: log.to_owned(),
            stderr,
        }
    }

    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// SIGTERM; the exit code and stderr.
    pub(crate) fn terminate(self) -> (i32, String) {
        let stderr = Arc::clone(&self.stderr);
        let (code, _) = self.stop("-TERM");
        let text = stderr.lock().unwrap().clone();
        (code, text)
    }

    /// Sends a signal and returns the exit code and stdout.
    pub(crate) fn stop(mut self, signal: &str) -> (i32, String) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let mut stdout = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let code = self.child.wait().unwrap().code().unwrap_or(-1);
        // Give the stderr reader a moment to take the last lines.
        std::thread::sleep(Duration::from_millis(100));
        let stderr = self.stderr();
        assert!(!stdout.contains(KEY), "key on stdout: {stdout}");
        assert!(!stderr.contains(KEY), "key on stderr: {stderr}");
        (code, stdout)
    }
}

/// The records of a log.
pub(crate) fn log_lines(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

impl Drop for Listen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on its own connection; the answer's status (0 if none came).
pub(crate) fn send(addr: SocketAddr, request: &[u8]) -> u16 {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return 0;
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    if stream.write_all(request).is_err() {
        return 0;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    status_of(&answer)
}

pub(crate) fn status_of(answer: &[u8]) -> u16 {
    let text = String::from_utf8_lossy(answer);
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// A push as KiriminAja sends it, with `authorization` as the bearer.
pub(crate) fn push(path: &str, bearer: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nUser-Agent: KiriminAja-Push-Services\r\nAccept: application/json\r\nContent-Type: application/json\r\nAuthorization: Bearer {bearer}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

pub(crate) fn finished(order_id: &str) -> String {
    format!(
        r#"{{"method":"finished_packages","data":[{{"order_id":"{order_id}","awb":"AWB-{order_id}","finished_at":"2025-01-11 16:00:00"}}]}}"#
    )
}

pub(crate) fn decode_log(env: &Env, log: &Path) -> Run {
    run(env.cmd().args(["decode-event", "--json"]).arg(log))
}

#[test]
fn a_verified_event_is_logged_shown_and_decodable() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &["--json"]);
    assert_eq!(
        send(listen.addr, &push("/hook", KEY, &finished("OID-1"))),
        200
    );
    // A pretty-printed body, as the provider's docs show them.
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(&finished("OID-2")).unwrap())
            .unwrap();
    assert_eq!(send(listen.addr, &push("/hook", KEY, &pretty)), 200);
    // Not JSON, but authenticated: kept, and acknowledged (it would not be sent again).
    assert_eq!(send(listen.addr, &push("/hook", KEY, "{\"method\": ")), 200);
    let lines = listen.stderr.clone();
    let (code, stdout) = listen.stop("-TERM");
    let stderr = lines.lock().unwrap().clone();
    assert_eq!(code, 0, "{stderr}");

    let live: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(live.len(), 2, "{stdout}");
    assert_eq!(live[0]["event"], "finished");
    assert_eq!(live[0]["verified"], true);
    assert_eq!(live[0]["orders"][0]["order_id"], "OID-1");
    assert!(live[0]["received_at"].as_str().unwrap().ends_with("+07:00"));

    let records = log_lines(&log);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["path"], "/hook");
    assert_eq!(records[0]["user_agent"], "KiriminAja-Push-Services");
    assert!(
        records[0]["remote"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    assert_eq!(
        records[0]["payload"],
        serde_json::from_str::<Value>(&finished("OID-1")).unwrap()
    );
    assert_eq!(records[1]["payload"]["data"][0]["order_id"], "OID-2");
    assert_eq!(records[2]["unreadable"], true);
    assert_eq!(records[2]["body"], "{\"method\": ");
    let raw = std::fs::read_to_string(&log).unwrap();
    assert!(raw.contains(&finished("OID-1")), "byte for byte: {raw}");
    assert!(!raw.contains(KEY));

    // decode-event reads the log as it is: the payloads, verified, with received_at.
    let r = decode_log(&env, &log);
    let decoded = r.json_lines();
    assert_eq!(decoded.len(), 2, "{}", r.stderr);
    assert_eq!(decoded[0]["verified"], true);
    assert_eq!(decoded[0]["request"]["path"], "/hook");
    assert_eq!(decoded[0]["received_at"], records[0]["received_at"]);
    assert_eq!(decoded[1]["orders"][0]["order_id"], "OID-2");
    assert_eq!(r.code, 6);
    assert!(
        r.stderr
            .contains("payload 3 (line 3, column 1): a body listen kept, but cannot be read"),
        "{}",
        r.stderr
    );
    assert!(
        stderr.contains(" 200 POST /hook finished_packages OID-1\n"),
        "{stderr}"
    );
}

#[test]
fn each_refusal_gets_its_status_and_nothing_is_logged() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &["--path", "/hook", "--read-timeout", "1s"]);
    let body = finished("OID-1");
    let wrong = "kja-test-0000000000000000";
    assert_eq!(send(listen.addr, &push("/hook", wrong, &body)), 401);
    assert_eq!(
        send(listen.addr, &push("/hook", &format!("{KEY}x"), &body)),
        401
    );
    let missing = String::from_utf8(push("/hook", KEY, &body))
        .unwrap()
        .replace(&format!("Authorization: Bearer {KEY}\r\n"), "");
    assert_eq!(send(listen.addr, missing.as_bytes()), 401);
    let twice = String::from_utf8(push("/hook", KEY, &body))
        .unwrap()
        .replace(
            "Host: x\r\n",
            &format!("Host: x\r\nAuthorization: Bearer {KEY}\r\n"),
        );
    assert_eq!(send(listen.addr, twice.as_bytes()), 401);
    let put = String::from_utf8(push("/hook", KEY, &body))
        .unwrap()
        .replacen("POST", "PUT", 1);
    assert_eq!(send(listen.addr, put.as_bytes()), 405);
    let text = String::from_utf8(push("/hook", KEY, &body))
        .unwrap()
        .replace("application/json\r\nAuth", "text/plain\r\nAuth");
    assert_eq!(send(listen.addr, text.as_bytes()), 415);
    assert_eq!(send(listen.addr, &push("/other", KEY, &body)), 404);
    // Announced too large: refused before the body is read.
    let large = format!(
        "POST /hook HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\nContent-Length: 2000000\r\n\r\n{{"
    );
    assert_eq!(send(listen.addr, large.as_bytes()), 413);
    // Chunked, and larger than 1 MiB once it arrives.
    let mut chunked = format!(
        "POST /hook HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..20 {
        chunked.extend_from_slice(format!("{:x}\r\n{}\r\n", 65536, "x".repeat(65536)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(send(listen.addr, &chunked), 413);
    // A body that does not arrive within --read-timeout.
    let slow = format!(
        "POST /hook HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer {KEY}\r\nContent-Length: 100\r\n\r\n{{"
    );
    let started = Instant::now();
    assert_eq!(send(listen.addr, slow.as_bytes()), 408);
    assert!(started.elapsed() < Duration::from_secs(10));

    // Read after the stop: an access line can follow its answer by a moment.
    let lines = listen.stderr.clone();
    let (code, stdout) = listen.stop("-INT");
    let stderr = lines.lock().unwrap().clone();
    assert_eq!(code, 130);
    assert_eq!(stdout, "");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "");
    assert!(!stderr.contains(wrong) && !stderr.contains(&format!("{KEY}x")));
    for line in [
        " 401 POST /hook wrong bearer\n",
        " 401 POST /hook missing bearer\n",
        " 401 POST /hook more than one Authorization header\n",
        " 405 PUT /hook not POST\n",
        " 415 POST /hook not JSON content type\n",
        " 404 POST /other not the --path\n",
        " 413 POST /hook body over 1 MiB\n",
        " 408 POST /hook the body did not arrive in time\n",
    ] {
        assert!(stderr.contains(line), "{line:?} in\n{stderr}");
    }
}

#[test]
fn a_slow_sender_does_not_hold_the_server() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(
        &env,
        &log,
        &["--read-timeout", "1s", "--max-connections", "2"],
    );
    // Two connections that send a byte a quarter second: all the connections there may be.
    let slow: Vec<_> = (0..2)
        .map(|_| {
            let addr = listen.addr;
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                let started = Instant::now();
                for byte in push("/hook", KEY, &finished("SLOW")) {
                    if stream.write_all(&[byte]).is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(250));
                    if started.elapsed() > Duration::from_secs(15) {
                        panic!("a slow sender was never cut off");
                    }
                }
                started.elapsed()
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // Cut off after about a second, so the next sender gets in.
    let started = Instant::now();
    assert_eq!(
        send(listen.addr, &push("/hook", KEY, &finished("FAST"))),
        200
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    for thread in slow {
        assert!(thread.join().unwrap() < Duration::from_secs(8));
    }
    let records = log_lines(&listen.log);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["payload"]["data"][0]["order_id"], "FAST");
}

#[test]
fn without_a_key_or_a_free_port_it_does_not_start() {
    let env = Env::new();
    let r = run(env.cmd().args(["listen", "--addr", "127.0.0.1:0"]));
    assert_eq!(r.code, 4);
    assert!(
        r.stderr
            .starts_with("kiriminaja: error: no API key found\n"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("listening"));

    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let r = run(env
        .api("https://example.invalid")
        .args(["listen", "--addr", &format!("127.0.0.1:{port}"), "--log"])
        .arg(env.home.path().join("events.jsonl")));
    assert_eq!(r.code, 4);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines[0].starts_with(&format!(
        "kiriminaja: error: cannot listen on 127.0.0.1:{port}: "
    )));
    assert!(lines[1].starts_with("hint: another program listens on port"));
}

#[test]
fn acknowledged_events_survive_kill_9_mid_burst() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let senders: Vec<_> = (0..8)
        .map(|sender| {
            let (addr, acked) = (listen.addr, acked.clone());
            std::thread::spawn(move || {
                for i in 0..10_000 {
                    let id = format!("S{sender}-{i}");
                    match send(addr, &push("/hook", KEY, &finished(&id))) {
                        200 => acked.lock().unwrap().push(id),
                        _ => return,
                    }
                }
            })
        })
        .collect();
    // Let the burst run, then kill without warning.
    while acked.lock().unwrap().len() < 200 {
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut listen = listen;
    listen.child.kill().unwrap();
    listen.child.wait().unwrap();
    for sender in senders {
        sender.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();

    // A restart: the log is read back whole (a torn last line is cut off) and still appended to.
    let listen = Listen::start(&env, &log, &[]);
    assert_eq!(
        send(listen.addr, &push("/hook", KEY, &finished("AFTER"))),
        200
    );
    let (code, _) = listen.stop("-TERM");
    assert_eq!(code, 0);
    let r = decode_log(&env, &log);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let logged: Vec<String> = r
        .json_lines()
        .iter()
        .map(|e| e["orders"][0]["order_id"].as_str().unwrap().to_owned())
        .collect();
    for id in &acked {
        assert!(
            logged.contains(id),
            "{id} was acknowledged but is not in the log"
        );
    }
    assert_eq!(logged.last().map(String::as_str), Some("AFTER"));
    assert!(acked.len() >= 200);
}

#[test]
fn a_torn_last_line_is_cut_off_with_a_warning() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &[]);
    assert_eq!(
        send(listen.addr, &push("/hook", KEY, &finished("OID-1"))),
        200
    );
    assert_eq!(listen.stop("-TERM").0, 0);
    let good = std::fs::read(&log).unwrap();
    let mut torn = good.clone();
    torn.extend_from_slice(&good[..good.len() / 2]);
    std::fs::write(&log, &torn).unwrap();

    let listen = Listen::start(&env, &log, &[]);
    let stderr = listen.stderr();
    assert!(
        stderr.contains(&format!(
            "kiriminaja: warning: {}: the last line is incomplete",
            log.display()
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&log).unwrap(), good);
    assert_eq!(
        send(listen.addr, &push("/hook", KEY, &finished("OID-2"))),
        200
    );
    assert_eq!(listen.stop("-TERM").0, 0);
    let r = decode_log(&env, &log);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines().len(), 2);
}

/// The user's app for `--forward-to`: records each request's body and headers; can be stopped
/// and started again on the same port.
/// A request's head and body, as the app received them.
pub(crate) type Received = (String, Vec<u8>);

pub(crate) struct App {
    pub(crate) port: u16,
    /// Each request's head and body, as received.
    pub(crate) received: Arc<Mutex<Vec<Received>>>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl App {
    pub(crate) fn new() -> App {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        App {
            port,
            received: Arc::default(),
            stop: None,
            thread: None,
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/kiriminaja", self.port)
    }

    pub(crate) fn up(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let (stop, stopped) = mpsc::channel();
        let received = self.received.clone();
        self.stop = Some(stop);
        self.thread = Some(std::thread::spawn(move || {
            loop {
                if stopped.try_recv().is_ok() {
                    return;
                }
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                let mut reader = BufReader::new(stream);
                let mut head = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    head.push_str(&line);
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    continue;
                }
                received.lock().unwrap().push((head, body));
                let _ = reader.get_mut().write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            }
        }));
    }

    pub(crate) fn down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }

    pub(crate) fn ids(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, body)| {
                serde_json::from_slice::<Value>(body).unwrap()["data"][0]["order_id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }

    pub(crate) fn wait_for(&self, count: usize) {
        let started = Instant::now();
        while self.ids().len() < count {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the app got {:?}",
                self.ids()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn forwarding_survives_the_app_and_listen_going_down() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let mut app = App::new();
    let url = app.url();
    let args = ["--forward-to", url.as_str()];
    // The app is down: events are acknowledged all the same, and wait in the log.
    let listen = Listen::start(&env, &log, &args);
    send_events(listen.addr, 1..=3);
    std::thread::sleep(Duration::from_millis(300));
    app.up();
    app.wait_for(3);
    // The app restarts in the middle of a stream.
    app.down();
    send_events(listen.addr, 4..=6);
    app.up();
    app.wait_for(6);
    // listen restarts; the app is down meanwhile.
    app.down();
    send_events(listen.addr, 7..=8);
    let lines = listen.stderr.clone();
    assert_eq!(listen.stop("-TERM").0, 0);
    let stderr = lines.lock().unwrap().clone();
    assert!(stderr.contains("retrying until it answers"), "{stderr}");
    let listen = Listen::start(&env, &log, &args);
    send_events(listen.addr, 9..=10);
    app.up();
    app.wait_for(10);
    assert_eq!(listen.stop("-TERM").0, 0);
    app.down();

    // Every event, in order; a repeat only of the one in flight when something went down.
    let mut ids = app.ids();
    ids.dedup();
    let expected: Vec<String> = (1..=10).map(|i| format!("E{i}")).collect();
    assert_eq!(ids, expected);
    let (head, body) = app.received.lock().unwrap()[0].clone();
    assert_eq!(body, finished("E1").as_bytes(), "the original body");
    let head = head.to_ascii_lowercase();
    assert!(head.contains(&format!(
        "authorization: bearer {}",
        KEY.to_ascii_lowercase()
    )));
    assert!(head.contains("user-agent: kiriminaja-push-services"));
    assert!(head.contains("content-type: application/json"));
    assert!(head.contains("accept: application/json"));
    let cursor = std::fs::read_to_string(format!("{}.cursor", log.display())).unwrap();
    assert_eq!(
        cursor.split_whitespace().next().unwrap(),
        std::fs::metadata(&log).unwrap().len().to_string()
    );
}

#[test]
fn exec_gets_the_payload_and_the_event_without_the_key() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let out = env.home.path().join("hook");
    let command = format!(
        "cat > '{0}.body'; env > '{0}.env'; echo \"$KIRIMINAJA_METHOD|$KIRIMINAJA_EVENT|$KIRIMINAJA_ORDER_IDS\" > '{0}.vars'",
        out.display()
    );
    // Where the key could be found is not the hook's business either.
    let listen = Listen::start_with(
        &env,
        &log,
        &["--exec", &command],
        &[
            ("KIRIMINAJA_API_KEY_FILE", "/nonexistent/api_key"),
            ("CREDENTIALS_DIRECTORY", "/nonexistent/credentials"),
        ],
    );
    let body = r#"{"method":"shipped_packages","data":[{"order_id":"A1"},{"order_id":"A2"}]}"#;
    assert_eq!(send(listen.addr, &push("/hook", KEY, body)), 200);
    let vars = out.with_extension("vars");
    let started = Instant::now();
    while !vars.exists() || std::fs::read_to_string(&vars).unwrap().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(listen.stop("-TERM").0, 0);
    assert_eq!(
        std::fs::read_to_string(&vars).unwrap(),
        "shipped_packages|shipped|A1 A2\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.with_extension("body")).unwrap(),
        body
    );
    let environment = std::fs::read_to_string(out.with_extension("env")).unwrap();
    assert!(!environment.contains(KEY));
    assert!(!environment.contains("KIRIMINAJA_API_KEY"));
    assert!(!environment.contains("/nonexistent"), "{environment}");
}

#[test]
fn a_signal_right_after_start_up_stops_it_cleanly() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    for (signal, code) in [("-INT", 130), ("-TERM", 0), ("-HUP", 129)] {
        let listen = Listen::start(&env, &log, &[]);
        assert_eq!(listen.stop(signal), (code, String::new()), "{signal}");
    }
}

#[test]
fn jq_filters_the_live_view() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(
        &env,
        &log,
        &["--jq", r#"[.event, .orders[].order_id] | @tsv"#],
    );
    assert_eq!(
        send(listen.addr, &push("/hook", KEY, &finished("OID-1"))),
        200
    );
    let lines = listen.stderr.clone();
    let (code, stdout) = listen.stop("-TERM");
    let stderr = lines.lock().unwrap().clone();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "finished\tOID-1\n", "{stderr}");
}

/// Sends the events `E{i}` for `ids` to listen, each acknowledged with a 200.
pub(crate) fn send_events(addr: SocketAddr, ids: std::ops::RangeInclusive<usize>) {
    for i in ids {
        assert_eq!(
            send(addr, &push("/hook", KEY, &finished(&format!("E{i}")))),
            200
        );
    }
}
