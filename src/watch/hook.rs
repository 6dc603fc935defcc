//! `--exec`: the user's command, run in the background for a change, its output shown on stderr
//! between our lines. The API key is not passed on.

use std::io::Write;
use std::process::Stdio;

use tokio::task::JoinSet;

use crate::model::Parcel;
use crate::output;
use crate::render::status_line::StatusLine;

/// Starts `command` for `parcel` in `hooks`: its output goes to stderr so that stdout stays
/// ours, with `status_line` out of the way while it is written.
pub fn spawn(hooks: &mut JoinSet<()>, command: &str, parcel: &Parcel, status_line: StatusLine) {
    // Provider text in an environment variable: a NUL or a megabyte of it would make the
    // command fail to start, and the notification must never be dropped. Bounded and
    // cleaned like everything shown to people.
    let text = parcel
        .latest()
        .and_then(|h| h.text.as_deref())
        .map(crate::render::bounded)
        .unwrap_or_default();
    let mut child = tokio::process::Command::new("sh");
    child
        .arg("-c")
        .arg(command)
        .env("KIRIMINAJA_QUERY", crate::render::clean(&parcel.query))
        .env(
            "KIRIMINAJA_STATUS_CODE",
            parcel
                .status
                .code
                .map(|c| c.to_string())
                .or_else(|| parcel.status.instant_code.clone())
                .unwrap_or_default(),
        )
        .env("KIRIMINAJA_CATEGORY", parcel.status.category.as_str())
        .env("KIRIMINAJA_FINAL", parcel.status.is_final.to_string())
        .env("KIRIMINAJA_TEXT", text)
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::io::stderr()))
        .kill_on_drop(false);
    for name in crate::config::KEY_VARIABLES {
        child.env_remove(name);
    }
    // Its output is collected and shown between our lines (with the status line out of
    // the way), not written over them.
    child.stdout(Stdio::piped()).stderr(Stdio::piped());
    let query = parcel.query.clone();
    hooks.spawn(async move {
        let outcome = match child.output().await {
            Ok(output) => {
                status_line.suspend(|| {
                    let mut stderr = std::io::stderr().lock();
                    let _ = stderr.write_all(&output.stdout);
                    let _ = stderr.write_all(&output.stderr);
                });
                (!output.status.success())
                    .then(|| format!("--exec for {query} failed ({})", output.status))
            }
            Err(e) => Some(format!("--exec for {query} could not start: {e}")),
        };
        if let Some(message) = outcome {
            status_line.suspend(|| output::warn(&message));
        }
    });
}
