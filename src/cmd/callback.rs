//! `kiriminaja callback set URL`: registers the URL KiriminAja sends push events to.

use std::io::Write;

use crate::api::{ApiError, ErrorKind};
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
    let settings = crate::cmd::settings(global, None)?;
    // Sent once: no retries (the provider checks the URL on every registration).
    let client = crate::cmd::client(&settings, 0)?;
    // For people only: a script reads the outcome (and a refusal's hint says it again).
    if !as_json {
        output::note(&format!(
            "registering {url}; KiriminAja checks that it answers, so `kiriminaja listen` must already be reachable there"
        ));
    }
    let mut text = String::new();
    let exit = crate::runtime::block_on_interruptible(async {
        text = client
            .set_callback(&url)
            .await
            .map_err(|err| refusal(err, &url))?;
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

/// The provider's `status: false` answer, said as what was refused and what to do; any other
/// failure as it is.
fn refusal(err: ApiError, url: &reqwest::Url) -> anyhow::Error {
    match err.kind {
        ErrorKind::Rejected {
            status: 200,
            message,
        } => Error::Refused {
            message: format!(
                "KiriminAja refused the callback URL {url}: {}",
                message.as_deref().map_or("no reason given".into(), clean)
            ),
            hint: format!(
                "KiriminAja takes a URL only after checking it: its host must resolve (an A or AAAA \
                 record) and {url} must already answer a POST from the internet. Start `kiriminaja \
                 listen` where it points, check it from outside, then run `kiriminaja callback set` \
                 again"
            ),
        }
        .into(),
        _ => err.into(),
    }
}
