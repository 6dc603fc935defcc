//! `kiriminaja callback set URL`: registers the URL KiriminAja sends push events to.

use std::io::Write;

use crate::cli::{CallbackCommand, GlobalArgs};
use crate::error::Error;
use crate::exit::Exit;
use crate::output::{self, Output};
use crate::render::{clean, json};

pub fn run(
    global: &GlobalArgs,
    command: &CallbackCommand,
    out: &mut Output,
) -> anyhow::Result<Exit> {
    let CallbackCommand::Set { url, json: as_json } = command;
    let as_json = as_json.enabled();
    let url = crate::config::parse_https_url(
        url,
        "the callback URL",
        "KiriminAja only calls https URLs, and events carry your API key",
    )
    .map_err(Error::Usage)?;
    let settings = crate::settings(global, None)?;
    // Sent once: no retries (the provider checks the URL on every registration).
    let client = crate::client(&settings, 0)?;
    output::note(&format!(
        "registering {url}; KiriminAja checks that it answers, so `kiriminaja listen` must already be reachable there"
    ));
    let mut text = String::new();
    let exit = crate::block_on_interruptible(async {
        text = client.set_callback(&url).await?;
        Ok(Exit::Success)
    })?;
    if exit != Exit::Success {
        return Ok(exit);
    }
    if as_json {
        json::write_line(
            out,
            &serde_json::json!({ "url": url.as_str(), "status": true, "text": text }),
        )?;
    } else {
        writeln!(out, "callback set: {url}")?;
        if !text.is_empty() {
            writeln!(out, "  KiriminAja: {}", clean(&text))?;
        }
    }
    Ok(Exit::Success)
}
