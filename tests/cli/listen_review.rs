//! `listen` after a review of issue 16's fixes: a stderr nobody reads, `--jq` failures and
//! SIGTERM, rotation under load, and eviction while an answer is being written. A real
//! `listen`, real sockets; each test failed before its fix.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
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

/// A child process killed when dropped (a failed test leaves no `listen` behind).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `listen` whose stderr is a pipe the test holds the reading end of, and its address (read
/// from its first line, byte by byte, so that nothing after it is taken from the pipe).
fn listen_with_stderr_pipe(
    env: &Env,
) -> (Killed, SocketAddr, std::io::PipeReader, std::io::PipeWriter) {
    let (mut reader, writer) = std::io::pipe().unwrap();
    let filler = writer.try_clone().unwrap();
    let log = env.home.path().join("events.jsonl");
    let child = Command::new(assert_cmd::cargo::cargo_bin("kiriminaja"))
        .env_clear()
        .env("HOME", env.home.path())
        .env("KIRIMINAJA_API_KEY", KEY)
        .args(["listen", "--json", "--addr", "127.0.0.1:0", "--log"])
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(writer)
        .spawn()
        .unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8];
    while reader.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let first = String::from_utf8_lossy(&first).into_owned();
    let addr = first
        .split("listening on http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("listen did not start: {first}"))
        .parse()
        .unwrap();
    (Killed(child), addr, reader, filler)
}

/// Fills a pipe to the brim from this side, so that the next write to it blocks (the pipe is
/// nonblocking only while it is filled, and nothing else writes meanwhile).
fn fill(pipe: &mut std::io::PipeWriter) {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    let flags = fcntl_getfl(&*pipe).unwrap();
    fcntl_setfl(&*pipe, flags | OFlags::NONBLOCK).unwrap();
    for chunk in [4096, 1] {
        let bytes = vec![b'.'; chunk];
        while pipe.write(&bytes).is_ok() {}
    }
    fcntl_setfl(&*pipe, flags).unwrap();
}

/// SIGTERM, then the exit code, within 14 s (the shutdown limit is 10 s).
fn terminate(Killed(child): &mut Killed) -> Option<i32> {
    let started = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if started.elapsed() > Duration::from_secs(14) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running 14 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn unauthenticated() -> Vec<u8> {
    push("/hook", "not-the-key", &finished("X"))
}

#[test]
fn a_stderr_nobody_reads_stops_no_answer_and_drops_are_counted() {
    let env = Env::new();
    let (mut child, addr, mut reader, mut filler) = listen_with_stderr_pipe(&env);
    fill(&mut filler);
    // More access lines than the stderr queue holds: before the fix the first one blocked a
    // runtime worker, and no answer came.
    for i in 0..1300 {
        assert_eq!(send(addr, &unauthenticated()), 401, "request {i}");
    }
    assert_eq!(send(addr, &push("/hook", KEY, &finished("G-1"))), 200);
    // stderr moves again: the lines queued come out, and how many were dropped is said.
    let text = Arc::new(Mutex::new(String::new()));
    let collected = text.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            collected
                .lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    wait_until("the dropped lines were not counted", || {
        text.lock()
            .unwrap()
            .contains("messages were dropped because stderr did not keep up")
    });
    assert_eq!(send(addr, &push("/hook", KEY, &finished("G-2"))), 200);
    wait_until("the access line after the drop", || {
        text.lock().unwrap().contains("G-2")
    });
    assert_eq!(terminate(&mut child), Some(0));
    let text = text.lock().unwrap().clone();
    assert!(!text.contains(KEY), "{text}");
    let dropped: u64 = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("kiriminaja: warning: ")?
                .strip_suffix(" messages were dropped because stderr did not keep up")?
                .parse()
                .ok()
        })
        .unwrap();
    assert!(dropped > 0, "{text}");
    assert_eq!(log_lines(&env.home.path().join("events.jsonl")).len(), 2);
}

#[test]
fn sigterm_stops_listen_in_time_with_a_stderr_nobody_reads() {
    let env = Env::new();
    let (mut child, addr, _reader, mut filler) = listen_with_stderr_pipe(&env);
    fill(&mut filler);
    for _ in 0..20 {
        assert_eq!(send(addr, &unauthenticated()), 401);
    }
    assert_eq!(send(addr, &push("/hook", KEY, &finished("G-1"))), 200);
    // Before the fix: still running 30 s after SIGTERM.
    assert_eq!(terminate(&mut child), Some(0));
    assert_eq!(log_lines(&env.home.path().join("events.jsonl")).len(), 1);
}
#[test]
fn sigterm_is_exit_0_after_a_jq_failure() {
    let env = Env::new();
    let log = env.home.path().join("events.jsonl");
    let listen = Listen::start(&env, &log, &["--jq", "error(\"boom\")"]);
    assert_eq!(
        send(listen.addr, &push("/hook", KEY, &finished("OID-1"))),
        200
    );
    wait_until("the --jq failure was not reported", || {
        listen.stderr().contains("error: --jq")
    });
    // A service stopped as asked: the failure was reported as it happened.
    assert_eq!(listen.stop("-TERM").0, 0);
}
