//! `listen --exec CMD`: the user's command, once per event, a few at a time.
//!
//! The raw payload goes to the command's stdin; `KIRIMINAJA_METHOD`, `KIRIMINAJA_EVENT` and
//! `KIRIMINAJA_ORDER_IDS` (space-separated) describe it. The API key is removed from its
//! environment, and its output goes to stderr so that stdout stays the live view. A failure is
//! reported, never fatal. Commands that cannot keep up are not queued without end: past
//! [`QUEUED`] waiting, an event is reported and left to the log.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::output;

/// Commands running at once.
const RUNNING: usize = 4;
/// Events waiting for a command at most.
const QUEUED: usize = 1000;

/// What a command is told about its event.
pub struct Job {
    pub payload: Vec<u8>,
    pub method: String,
    pub event: String,
    pub order_ids: Vec<String>,
}

pub struct Exec {
    command: String,
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    tasks: std::sync::Mutex<JoinSet<()>>,
}

impl Exec {
    pub fn new(command: String) -> Exec {
        Exec {
            command,
            permits: Arc::new(Semaphore::new(RUNNING)),
            waiting: Arc::new(AtomicUsize::new(0)),
            tasks: std::sync::Mutex::new(JoinSet::new()),
        }
    }

    /// Runs the command for one event, in the background.
    pub fn run(&self, job: Job) {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= QUEUED {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            output::warn(&format!(
                "--exec cannot keep up: not run for a {} event (it is in the log)",
                job.event
            ));
            return;
        }
        let mut command = tokio::process::Command::new("sh");
        command
            .arg("-c")
            .arg(&self.command)
            .env_remove(crate::config::ENV_API_KEY)
            .env("KIRIMINAJA_METHOD", env_text(&job.method))
            .env("KIRIMINAJA_EVENT", &job.event)
            .env("KIRIMINAJA_ORDER_IDS", env_text(&job.order_ids.join(" ")))
            .stdin(Stdio::piped())
            .stdout(Stdio::from(std::io::stderr()))
            .kill_on_drop(false);
        let permits = self.permits.clone();
        let waiting = self.waiting.clone();
        let Ok(mut tasks) = self.tasks.lock() else {
            return;
        };
        // Finished tasks are collected here, so the set does not grow.
        while tasks.try_join_next().is_some() {}
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            waiting.fetch_sub(1, Ordering::SeqCst);
            let outcome = match command.spawn() {
                Ok(mut child) => {
                    if let Some(mut stdin) = child.stdin.take() {
                        // A command that does not read its stdin is not an error.
                        let _ = stdin.write_all(&job.payload).await;
                    }
                    match child.wait().await {
                        Ok(status) if status.success() => None,
                        Ok(status) => Some(format!(
                            "--exec for a {} event failed ({status})",
                            job.event
                        )),
                        Err(e) => Some(format!("--exec for a {} event: {e}", job.event)),
                    }
                }
                Err(e) => Some(format!("--exec could not start: {e}")),
            };
            if let Some(message) = outcome {
                output::warn(&message);
            }
        });
    }

    /// Waits for the commands still running or waiting, at most `limit`.
    pub async fn finish(&self, limit: Duration) {
        let Ok(mut tasks) = self.tasks.lock().map(|mut t| std::mem::take(&mut *t)) else {
            return;
        };
        let all = async { while tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(limit, all).await.is_err() {
            output::warn("--exec commands still running at shutdown were left to finish alone");
        }
    }
}

/// Provider text for an environment variable: no NUL (which cannot be passed), at most 4 KiB.
fn env_text(text: &str) -> String {
    let clean: String = text.chars().filter(|&c| c != '\0').collect();
    crate::render::truncate(&clean, 4096)
}
