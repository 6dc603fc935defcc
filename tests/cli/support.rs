//! Shared test plumbing: a clean environment per run, and a check on every run that the API key
//! never appears in anything the program prints.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// The key every test uses. No test output may ever contain it.
pub const KEY: &str = "kja-test-7f3a9c1e5b2d4e6f";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// A home directory of its own per test, so no real config is read.
pub struct Env {
    pub home: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            home: tempfile::tempdir().unwrap(),
        }
    }

    /// `kiriminaja` with an empty environment but for HOME and PATH: no NO_COLOR, TERM,
    /// CLICOLOR_FORCE or KIRIMINAJA_* from the developer's shell.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("kiriminaja").unwrap();
        cmd.env_clear()
            .env("HOME", self.home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd
    }

    /// The command with the test key and a base URL.
    pub fn api(&self, base_url: &str) -> Command {
        let mut cmd = self.cmd();
        cmd.env("KIRIMINAJA_API_KEY", KEY)
            .env("KIRIMINAJA_BASE_URL", base_url);
        cmd
    }

    /// The binary as a plain child process with the test key and a base URL, for tests that
    /// need the process itself (signals, closed pipes).
    pub fn spawn(&self, base_url: &str, args: &[&str]) -> std::process::Child {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
            .env_clear()
            .env("HOME", self.home.path())
            .env("KIRIMINAJA_API_KEY", KEY)
            .env("KIRIMINAJA_BASE_URL", base_url)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Writes a config file in the temp home and returns its path.
    pub fn config_file(&self, text: &str) -> PathBuf {
        let path = self.home.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    }
}

/// A loopback URL where nothing listens: requests to it are refused.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// Sends SIGINT, as Ctrl-C in a terminal would.
#[cfg(unix)]
pub fn interrupt(child: &std::process::Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }
}

/// Runs the command and checks that the key appears in neither stream.
pub fn run(cmd: &mut Command) -> Run {
    let output: Output = cmd.output().unwrap();
    checked(output)
}

pub fn checked(output: Output) -> Run {
    let run = Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    };
    assert!(
        !run.stdout.contains(KEY),
        "key leaked on stdout:\n{}",
        run.stdout
    );
    assert!(
        !run.stderr.contains(KEY),
        "key leaked on stderr:\n{}",
        run.stderr
    );
    run
}

/// A tracking server that counts requests in flight, for the concurrency bound. wiremock
/// cannot observe overlap, so this one is hand-made: HTTP/1.1 with keep-alive, one fixed body,
/// each answer held for `hold` so that requests overlap when the client allows it.
pub struct CountingServer {
    pub url: String,
    pub max_in_flight: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    pub total: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl CountingServer {
    pub async fn start(body: String, hold: std::time::Duration) -> CountingServer {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (in_flight2, max2, total2) = (in_flight.clone(), max_in_flight.clone(), total.clone());
        let body = Arc::new(body);
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let (in_flight, max, total, body) = (
                    in_flight2.clone(),
                    max2.clone(),
                    total2.clone(),
                    body.clone(),
                );
                tokio::spawn(async move {
                    let mut reader = BufReader::new(socket);
                    loop {
                        let mut length = 0usize;
                        let mut line = String::new();
                        // Request line and headers.
                        loop {
                            line.clear();
                            match reader.read_line(&mut line).await {
                                Ok(0) | Err(_) => return,
                                Ok(_) => {}
                            }
                            if line == "\r\n" {
                                break;
                            }
                            let lower = line.to_ascii_lowercase();
                            if let Some(v) = lower.strip_prefix("content-length:") {
                                length = v.trim().parse().unwrap_or(0);
                            }
                        }
                        let mut request_body = vec![0; length];
                        if reader.read_exact(&mut request_body).await.is_err() {
                            return;
                        }
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        max.fetch_max(now, Ordering::SeqCst);
                        total.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(hold).await;
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
                            body.len(),
                            body
                        );
                        if reader
                            .get_mut()
                            .write_all(response.as_bytes())
                            .await
                            .is_err()
                        {
                            return;
                        }
                    }
                });
            }
        });
        CountingServer {
            url,
            max_in_flight,
            total,
        }
    }
}

/// One answer of a [`ScriptedServer`].
#[derive(Clone, Debug)]
pub enum Step {
    /// HTTP status, extra headers, body.
    Answer(u16, Vec<(&'static str, String)>, String),
    /// Close the connection without answering and stop listening for this long: the client sees
    /// a reset, then "connection refused".
    Down(std::time::Duration),
}

/// A `200 OK` tracking answer.
pub fn ok(body: String) -> Step {
    Step::Answer(200, Vec::new(), body)
}

/// A tracking body with a current status code and history entries given newest first.
pub fn tracking(code: i64, entries: &[(&str, i64, &str)]) -> String {
    let histories: Vec<serde_json::Value> = entries
        .iter()
        .map(|(at, code, text)| {
            serde_json::json!({"created_at": at, "status_code": code, "status": text,
                               "driver": "", "receiver": ""})
        })
        .collect();
    serde_json::json!({
        "status": true, "text": entries.first().map(|e| e.2), "method": "shTracking",
        "status_code": code,
        "details": {"order_id": "X", "awb": "AWB1", "service": "jne", "service_name": "REG",
                    "delivered": code == 200},
        "histories": histories,
    })
    .to_string()
}

/// A tracking server that plays a script of answers per order id, one step per request; the
/// last step repeats. Every answer closes its connection, so a `Down` step is seen by the next
/// request as a refused connection.
pub struct ScriptedServer {
    pub url: String,
    /// When each request arrived, per order id.
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<(String, std::time::Instant)>>>,
}

impl ScriptedServer {
    pub async fn start(scripts: Vec<(&str, Vec<Step>)>) -> ScriptedServer {
        use std::collections::HashMap;
        use std::sync::{Arc, Mutex};
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = socket.local_addr().unwrap();
        let mut listener = socket.listen(64).unwrap();
        let scripts: HashMap<String, (Vec<Step>, usize)> = scripts
            .into_iter()
            .map(|(id, steps)| (id.to_owned(), (steps, 0)))
            .collect();
        let scripts = Arc::new(Mutex::new(scripts));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                let mut length = 0usize;
                let mut line = String::new();
                loop {
                    line.clear();
                    match reader.read_line(&mut line).await {
                        Ok(0) | Err(_) => break,
                        Ok(_) if line == "\r\n" => break,
                        Ok(_) => {}
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).await.is_err() {
                    continue;
                }
                let id = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["order_id"].as_str().map(str::to_owned))
                    .unwrap_or_default();
                log.lock()
                    .unwrap()
                    .push((id.clone(), std::time::Instant::now()));
                let step = {
                    let mut scripts = scripts.lock().unwrap();
                    match scripts.get_mut(&id) {
                        Some((steps, next)) => {
                            let step = steps[(*next).min(steps.len() - 1)].clone();
                            *next += 1;
                            step
                        }
                        None => Step::Answer(
                            200,
                            Vec::new(),
                            r#"{"status": false, "text": "data not found"}"#.to_owned(),
                        ),
                    }
                };
                match step {
                    Step::Answer(status, headers, body) => {
                        let mut response = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                             content-length: {}\r\nconnection: close\r\n",
                            body.len()
                        );
                        for (name, value) in headers {
                            response.push_str(&format!("{name}: {value}\r\n"));
                        }
                        response.push_str("\r\n");
                        response.push_str(&body);
                        let _ = reader.get_mut().write_all(response.as_bytes()).await;
                        let _ = reader.get_mut().shutdown().await;
                    }
                    Step::Down(how_long) => {
                        drop(reader);
                        drop(listener);
                        tokio::time::sleep(how_long).await;
                        let socket = tokio::net::TcpSocket::new_v4().unwrap();
                        socket.set_reuseaddr(true).unwrap();
                        socket.bind(addr).unwrap();
                        listener = socket.listen(64).unwrap();
                    }
                }
            }
        });
        ScriptedServer {
            url: format!("http://{addr}"),
            requests,
        }
    }

    /// Arrival times of the requests for one id.
    pub fn times(&self, id: &str) -> Vec<std::time::Instant> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(i, _)| i == id)
            .map(|(_, t)| *t)
            .collect()
    }
}

/// What a pseudo-terminal showed: the raw bytes written to it, and the exit code.
pub struct PtyRun {
    pub bytes: Vec<u8>,
    pub code: i32,
}

impl PtyRun {
    /// The screen those bytes leave on a terminal `width` columns wide.
    pub fn screen(&self, width: usize) -> Vec<String> {
        screen(&self.bytes, width)
    }
}

/// Runs `kiriminaja ARGS` on a pseudo-terminal (util-linux `script`, present on every Debian
/// machine), as a person at a terminal of unknown size would (`COLUMNS=80`). With `interrupt`,
/// Ctrl-C is typed after that long: the terminal itself turns it into SIGINT and echoes `^C`.
pub fn in_pty(
    env: &Env,
    base_url: &str,
    args: &[&str],
    interrupt: Option<std::time::Duration>,
) -> PtyRun {
    in_pty_piped(env, base_url, args, "", interrupt)
}

/// [`in_pty`], with a shell pipeline after the command (`| cat`): stdout goes to the pipe, and
/// the pipe's reader writes to the terminal.
pub fn in_pty_piped(
    env: &Env,
    base_url: &str,
    args: &[&str],
    pipeline: &str,
    interrupt: Option<std::time::Duration>,
) -> PtyRun {
    let typing: Vec<(std::time::Duration, &[u8])> = match interrupt {
        Some(after) => vec![(after, b"\x03")],
        None => Vec::new(),
    };
    let api = [
        ("KIRIMINAJA_API_KEY", KEY),
        ("KIRIMINAJA_BASE_URL", base_url),
    ];
    let run = pty(env, args, pipeline, &api, &typing);
    let text = String::from_utf8_lossy(&run.bytes);
    assert!(!text.contains(KEY), "key leaked on the terminal:\n{text}");
    run
}

/// `kiriminaja ARGS` on a pseudo-terminal with no key in the environment, answering prompts:
/// each input is typed after its pause.
pub fn in_pty_typing(env: &Env, args: &[&str], typing: &[(std::time::Duration, &[u8])]) -> PtyRun {
    pty(env, args, "", &[], typing)
}

fn pty(
    env: &Env,
    args: &[&str],
    pipeline: &str,
    vars: &[(&str, &str)],
    typing: &[(std::time::Duration, &[u8])],
) -> PtyRun {
    use std::io::{Read, Write};
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut command = quote(assert_cmd::cargo::cargo_bin("kiriminaja").to_str().unwrap());
    for arg in args {
        command.push(' ');
        command.push_str(&quote(arg));
    }
    command.push_str(pipeline);
    let mut child = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env_clear()
        .env("HOME", env.home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .env("COLUMNS", "80")
        .envs(vars.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("script(1) from util-linux");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    for (after, keys) in typing {
        std::thread::sleep(*after);
        stdin.write_all(keys).unwrap();
        stdin.flush().unwrap();
    }
    // Waiting for more input than was typed is a failure, not a hang of the test suite.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    drop(stdin);
    PtyRun {
        bytes: reader.join().unwrap(),
        // -2: still running (waiting for input) when the time was up.
        code: status.map_or(-2, |s| s.code().unwrap_or(-1)),
    }
}

/// A minimal terminal: printable characters (wide ones take two columns) with xterm's wrap at
/// the margin, CR, LF, erase-line (`ESC [ 2 K`); other escape sequences are ignored.
pub fn screen(bytes: &[u8], width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let text = String::from_utf8_lossy(bytes);
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col, mut pending_wrap) = (0usize, 0usize, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => {
                    let mut params = String::new();
                    for p in chars.by_ref() {
                        if p.is_ascii_alphabetic() || p == '~' {
                            if p == 'K' && params == "2" {
                                lines[row].clear();
                            }
                            break;
                        }
                        params.push(p);
                    }
                }
                Some(']') => {
                    for p in chars.by_ref() {
                        if p == '\u{7}' {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\r' => {
                col = 0;
                pending_wrap = false;
            }
            '\n' => {
                row += 1;
                pending_wrap = false;
                if lines.len() <= row {
                    lines.push(Vec::new());
                }
            }
            c if c.is_control() => {}
            c => {
                let w = c.width().unwrap_or(0);
                if pending_wrap || col + w > width {
                    row += 1;
                    col = 0;
                    pending_wrap = false;
                    if lines.len() <= row {
                        lines.push(Vec::new());
                    }
                }
                // One cell per column: a wide character and a placeholder after it.
                let w = w.max(1);
                let line = &mut lines[row];
                while line.len() < col + w {
                    line.push(' ');
                }
                line[col] = c;
                for cell in &mut line[col + 1..col + w] {
                    *cell = '\0';
                }
                col += w;
                if col >= width {
                    col = width;
                    pending_wrap = true;
                }
            }
        }
    }
    lines
        .into_iter()
        .map(|l| {
            l.into_iter()
                .filter(|c| *c != '\0')
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect()
}
