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
