//! `listen --exec CMD`: the user's command, once per event, a few at a time.
//!
//! The raw payload goes to the command's stdin; `KIRIMINAJA_METHOD`, `KIRIMINAJA_EVENT`,
//! `KIRIMINAJA_ORDER_IDS` (space-separated) and `KIRIMINAJA_ORDER_IDS_JSON` (a JSON array: the
//! unambiguous form, for ids with spaces) describe it, cleaned of control characters as every
//! provider text is. The two lists hold the same whole ids, at most [`IDS_BYTES`] each: ids past
//! that are left out, never cut, and `KIRIMINAJA_ORDER_COUNT` and `KIRIMINAJA_ORDER_IDS_LEFT_OUT`
//! say how many there were and how many are not in the lists (the payload has them all). The API key is removed from its environment, and its output goes to stderr
//! so that stdout stays the live view. A failure is reported, never fatal. Commands that cannot
//! keep up are not queued without end: past `QUEUED` events or `QUEUED_BYTES` of payloads
//! waiting, an event is reported and left to the log.

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
/// Payload bytes waiting for a command at most (64 bodies of the largest size).
const QUEUED_BYTES: usize = 64 * 1024 * 1024;

/// How long each id list in the environment may be, in bytes: well under Linux's 128 KiB for
/// one variable.
pub const IDS_BYTES: usize = 64 * 1024;

/// The id variables of one event.
#[derive(Debug, PartialEq, Eq)]
struct OrderIds {
    /// Space-separated.
    plain: String,
    /// A JSON array of strings.
    json: String,
    /// The ids in the lists.
    kept: usize,
    /// The ids left out of the lists: they did not fit in [`IDS_BYTES`].
    left_out: usize,
}

/// The ids, cleaned, in both forms, whole: in order, as many as fit in [`IDS_BYTES`] in both.
fn order_ids(ids: &[String]) -> OrderIds {
    let mut plain = String::new();
    let mut json = String::from("[");
    let mut kept = 0;
    for id in ids {
        let id = crate::text::clean(id);
        let quoted = serde_json::to_string(&id).unwrap_or_default();
        let separator = usize::from(kept > 0);
        // The closing bracket must fit too.
        if plain.len() + separator + id.len() > IDS_BYTES
            || json.len() + separator + quoted.len() + 1 > IDS_BYTES
        {
            break;
        }
        if kept > 0 {
            plain.push(' ');
            json.push(',');
        }
        plain.push_str(&id);
        json.push_str(&quoted);
        kept += 1;
    }
    json.push(']');
    OrderIds {
        plain,
        json,
        kept,
        left_out: ids.len() - kept,
    }
}

/// What a command is told about its event.
pub struct Job {
    pub payload: hyper::body::Bytes,
    pub method: String,
    pub event: String,
    pub order_ids: Vec<String>,
}

pub struct Exec {
    command: String,
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    waiting_bytes: Arc<AtomicUsize>,
    tasks: std::sync::Mutex<JoinSet<()>>,
}

impl Exec {
    pub fn new(command: String) -> Exec {
        Exec {
            command,
            permits: Arc::new(Semaphore::new(RUNNING)),
            waiting: Arc::new(AtomicUsize::new(0)),
            waiting_bytes: Arc::new(AtomicUsize::new(0)),
            tasks: std::sync::Mutex::new(JoinSet::new()),
        }
    }

    /// Counts a payload of `size` bytes as waiting, unless [`QUEUED`] events or [`QUEUED_BYTES`]
    /// are waiting already.
    fn admit(&self, size: usize) -> bool {
        let bytes_before = self.waiting_bytes.fetch_add(size, Ordering::SeqCst);
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= QUEUED
            || bytes_before.saturating_add(size) > QUEUED_BYTES
        {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            self.waiting_bytes.fetch_sub(size, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// Runs the command for one event, in the background.
    pub fn run(&self, job: Job) {
        let size = job.payload.len();
        if !self.admit(size) {
            output::warn(&format!(
                "--exec cannot keep up: not run for a {} event (it is in the log)",
                job.event
            ));
            return;
        }
        let ids = order_ids(&job.order_ids);
        if ids.left_out > 0 {
            output::warn(&format!(
                "--exec: {} of the {} order ids of a {} event are left out of \
                 KIRIMINAJA_ORDER_IDS (over {} KiB; KIRIMINAJA_ORDER_IDS_LEFT_OUT says so, and \
                 the payload on stdin has them all)",
                ids.left_out,
                job.order_ids.len(),
                job.event,
                IDS_BYTES / 1024
            ));
        }
        let mut command = tokio::process::Command::new("sh");
        command
            .arg("-c")
            .arg(&self.command)
            .env("KIRIMINAJA_METHOD", env_text(&job.method))
            .env("KIRIMINAJA_EVENT", env_text(&job.event))
            .env("KIRIMINAJA_ORDER_IDS", &ids.plain)
            .env("KIRIMINAJA_ORDER_IDS_JSON", &ids.json)
            .env("KIRIMINAJA_ORDER_COUNT", job.order_ids.len().to_string())
            .env("KIRIMINAJA_ORDER_IDS_LEFT_OUT", ids.left_out.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::from(std::io::stderr()))
            .kill_on_drop(false);
        for name in crate::config::KEY_VARIABLES {
            command.env_remove(name);
        }
        let permits = self.permits.clone();
        let waiting = self.waiting.clone();
        let waiting_bytes = self.waiting_bytes.clone();
        let Ok(mut tasks) = self.tasks.lock() else {
            return;
        };
        // Finished tasks are collected here, so the set does not grow.
        while tasks.try_join_next().is_some() {}
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            waiting.fetch_sub(1, Ordering::SeqCst);
            waiting_bytes.fetch_sub(size, Ordering::SeqCst);
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

/// Provider text for an environment variable, as `watch --exec` passes it: control characters
/// (escapes, newlines, NUL), C1 controls and bidirectional overrides cleaned away, at most 4 KiB.
fn env_text(text: &str) -> String {
    crate::text::truncate(&crate::text::clean(text), 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_hold_whole_ids_and_say_how_many_are_left_out() {
        let few = order_ids(&["A 1".to_owned(), "B\u{7}2".to_owned()]);
        assert_eq!(few.plain, "A 1 B 2");
        assert_eq!(few.json, r#"["A 1","B 2"]"#);
        assert_eq!((few.kept, few.left_out), (2, 0));
        assert_eq!(order_ids(&[]).json, "[]");
        // Many: cut at a whole id, the JSON valid, both lists the same ids.
        let many: Vec<String> = (0..10_000).map(|i| format!("OID-{i:08}")).collect();
        let ids = order_ids(&many);
        assert!(ids.json.len() <= IDS_BYTES && ids.plain.len() <= IDS_BYTES);
        let json: Vec<String> = serde_json::from_str(&ids.json).unwrap();
        let plain: Vec<&str> = ids.plain.split(' ').collect();
        assert_eq!(json.len(), ids.kept);
        assert_eq!(plain, json);
        assert_eq!(json[..], many[..ids.kept]);
        assert_eq!(ids.kept + ids.left_out, many.len());
        assert!(ids.left_out > 0);
        // One id too long for a list: left out, never cut.
        let long = order_ids(&["x".repeat(IDS_BYTES + 1)]);
        assert_eq!((long.kept, long.left_out, long.json.as_str()), (0, 1, "[]"));
    }

    #[test]
    fn waiting_payloads_are_bounded_in_bytes_as_in_number() {
        let exec = Exec::new("true".to_owned());
        // 1 MiB bodies (the largest listen takes): 64 fit, the 65th does not.
        let mib = 1024 * 1024;
        assert!((0..64).all(|_| exec.admit(mib)));
        assert!(!exec.admit(mib));
        assert_eq!(exec.waiting_bytes.load(Ordering::SeqCst), QUEUED_BYTES);
        // Small ones: the count bounds them.
        let exec = Exec::new("true".to_owned());
        assert!((0..QUEUED).all(|_| exec.admit(10)));
        assert!(!exec.admit(10));
        assert_eq!(exec.waiting.load(Ordering::SeqCst), QUEUED);
    }
}
