//! `kiriminaja decode-event`: captured push (webhook) payloads, decoded offline.
//!
//! The flags and the key decide how payloads are judged; reading and decoding the stream is
//! [`crate::push::stream`]; printing is [`crate::render::event`] and JSON Lines.

use std::io::{self, Write};

use crate::cli::{DecodeEventArgs, GlobalArgs};
use crate::exit::Exit;
use crate::output::{self, Output};
use crate::push::event::Event;
use crate::push::stream::{self, Options, Sink};
use crate::render::{self, Painter, json};
use crate::signals;

pub fn run(global: &GlobalArgs, args: &DecodeEventArgs, out: &mut Output) -> anyhow::Result<Exit> {
    // Reads end when a stop signal comes; payloads already decoded are printed whole.
    signals::watch_in_background();
    // Decoding needs no key; checking a request does, and --verify insists on it. So without
    // --verify a broken config file costs only the check, not the decoding.
    let settings = match crate::cmd::settings(global, None) {
        Ok(settings) => Some(settings),
        Err(err) if !args.verify => {
            output::warn(&format!(
                "{err:#}; captured requests are decoded but not checked against a key"
            ));
            None
        }
        Err(err) => return Err(err),
    };
    let key = match &settings {
        Some(settings) if args.verify => Some(settings.require_key()?),
        Some(settings) => settings.api_key.as_ref().map(|k| &k.value),
        None => None,
    };
    // A payload can echo the key like any provider text.
    if let Some(key) = key {
        crate::scrub::protect(key.expose());
    }
    let options = Options {
        key,
        verify: args.verify,
        strict: args.strict,
    };
    let mut printer = Printer {
        json: args.json.enabled(),
        paint: Painter { color: out.color },
        width: render::terminal_width(out.is_terminal, &crate::config::env_var),
        out,
        printed: 0,
    };
    let exit = stream::feed(&args.files, options, &mut printer)?;
    // Stopped by a signal: what was printed is whole; the run says why it ended.
    Ok(signals::requested().unwrap_or(exit))
}

/// Every payload printed: JSON Lines with `--json`, else for people, a blank line between two.
struct Printer<'a> {
    json: bool,
    paint: Painter,
    /// The terminal width lines are fitted to; `None` in a pipe.
    width: Option<usize>,
    out: &'a mut Output,
    printed: usize,
}

impl Sink for Printer<'_> {
    fn event(&mut self, event: &Event, received_at: Option<&str>) -> io::Result<()> {
        if self.json {
            json::write_event(self.out, event, received_at)?;
        } else {
            if self.printed > 0 {
                writeln!(self.out)?;
            }
            render::event::payload_received(self.out, event, self.paint, received_at, self.width)?;
        }
        self.printed += 1;
        Ok(())
    }

    fn idle(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
