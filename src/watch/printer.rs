//! How a watch's news reaches people: change lines (or `--json` change objects) on stdout, notes,
//! warnings and errors on stderr, each written with the status line out of the way. What to say
//! is decided by the session ([`super::session`]); the lines themselves are
//! [`crate::render::change`]'s and [`crate::render::timeline`]'s.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use crate::api::ApiError;
use crate::model::Parcel;
use crate::output::{self, Output};
use crate::render::change::{ChangeLine, Lines};
use crate::render::status_line::StatusLine;
use crate::render::{self, Painter, Part, Tone, clean, fit_parts, json, timeline};
use crate::time::Moment;
use crate::watch::Changes;

pub struct Printer<'o> {
    /// `--json`: change objects, one per line, instead of lines for people.
    json: bool,
    /// More than one parcel: one line per change, naming its parcel; else a live timeline.
    many: bool,
    /// The terminal width human lines are fitted to; `None` in a pipe.
    width: Option<usize>,
    /// The widest ID watched: IDs are padded to it, so that columns stay put between lines.
    id_width: usize,
    paint: Painter,
    /// The live line on stderr (`watching 2 parcels: …`), shared with the `--exec` hooks.
    pub status_line: StatusLine,
    out: &'o mut Output,
}

impl<'o> Printer<'o> {
    pub fn new(out: &'o mut Output, json: bool, ids: &[String]) -> Printer<'o> {
        Printer {
            json,
            many: ids.len() > 1,
            width: render::terminal_width(out.is_terminal, &crate::config::env_var),
            id_width: ids.iter().map(|id| clean(id).width()).max().unwrap_or(0),
            paint: Painter { color: out.color },
            status_line: StatusLine::new(output::status_line_allowed()),
            out,
        }
    }

    /// What one answer changed: on the first, the whole parcel; then each new history entry,
    /// a new live tracking link and a status that moved (a final status has its own line,
    /// [`Printer::ended`]).
    pub fn changes(
        &mut self,
        parcel: &Parcel,
        changes: &Changes,
        now: Moment,
    ) -> std::io::Result<()> {
        let query = parcel.query.as_str();
        let paint = self.paint;
        if changes.first {
            if self.json {
                self.emit(&ChangeLine::Snapshot {
                    query,
                    at: now,
                    parcel,
                })?;
            } else if self.many {
                let line = self.lines().snapshot(parcel);
                self.print(|out| writeln!(out, "{line}"))?;
            } else {
                // A live view grows at the bottom: the history oldest first, then each new
                // entry below it, under one heading that says so (unless it has ended).
                let order = if parcel.status.is_final {
                    timeline::Order::OldestFirst
                } else {
                    timeline::Order::Live
                };
                let width = self.width;
                self.print(|out| {
                    timeline::summary(out, parcel, paint, width)?;
                    writeln!(out)?;
                    timeline::history(out, &parcel.histories, paint, usize::MAX, order, width)
                })?;
            }
        }
        for entry in &changes.new_entries {
            if self.json {
                self.emit(&ChangeLine::Event {
                    query,
                    at: now,
                    entry,
                })?;
            } else {
                let line = if self.many {
                    self.lines().entry(query, entry)
                } else {
                    let mut parts = vec![Part::keep("", "  ", Tone::Plain)];
                    parts.extend(timeline::entry_parts(entry));
                    fit_parts(parts, paint, self.width)
                };
                self.print(|out| writeln!(out, "{line}"))?;
            }
        }
        // A live link appears once a driver is allocated: worth a line of its own. (JSON
        // Lines have no event for it; a snapshot's parcel carries the link it had.)
        if let Some(url) = &changes.live_tracking_url
            && !self.json
        {
            // A link is only useful whole: not fitted.
            let line = format!(
                "{}  live tracking: {}",
                self.lines().padded(query),
                clean(url)
            );
            self.print(|out| writeln!(out, "{line}"))?;
        }
        if let Some((from, to)) = &changes.status {
            if self.json {
                self.emit(&ChangeLine::Status {
                    query,
                    at: now,
                    from: from.as_ref(),
                    to,
                })?;
            } else if !to.is_final {
                let line = self.lines().status(query, from.as_ref(), to);
                self.print(|out| writeln!(out, "{line}"))?;
            }
        }
        Ok(())
    }

    /// The closing line of a parcel that reached a final status.
    pub fn ended(&mut self, parcel: &Parcel, now: Moment) -> std::io::Result<()> {
        if self.json {
            self.emit(&ChangeLine::Final {
                query: &parcel.query,
                at: now,
                status: &parcel.status,
                delivered: parcel.delivered,
            })
        } else {
            let line = self.lines().ended(parcel, ", watch ended");
            self.print(|out| writeln!(out, "{line}"))
        }
    }

    /// The end of an outage, said once, when `query` was the last parcel failing.
    pub fn recovered(&mut self, query: &str, failed_polls: u32) -> std::io::Result<()> {
        if self.json {
            self.emit(&ChangeLine::Recovered {
                query,
                at: Moment::now(),
                failed_polls,
            })?;
        }
        self.note(&format!(
            "the service is back (after {failed_polls} failed polls)"
        ));
        Ok(())
    }

    /// A failed poll: an error that ends a parcel's watch (or the whole watch) when `fatal`,
    /// else a warning that the watch goes on.
    pub fn report(&mut self, err: &ApiError, fatal: bool) -> std::io::Result<()> {
        if self.json {
            self.emit(&ChangeLine::Error {
                query: &err.query,
                at: Moment::now(),
                error: err.to_json(),
                fatal,
            })?;
        }
        let message = if fatal {
            err.to_string()
        } else {
            format!("{err} (still watching; retrying with backoff)")
        };
        let hint = if fatal { err.hint() } else { None };
        self.status_line.suspend(|| {
            if fatal {
                output::error(&message, hint.as_deref());
            } else {
                output::warn(&message);
            }
        });
        Ok(())
    }

    /// A note on stderr, between the status line's updates.
    pub fn note(&self, message: &str) {
        self.status_line.suspend(|| output::note(message));
    }

    /// Takes the status line off the screen: at every exit, before the last words.
    pub fn clear_status_line(&self) {
        self.status_line.clear();
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    /// The change lines of this watch: its paint, width and ID column.
    fn lines(&self) -> Lines {
        Lines {
            paint: self.paint,
            width: self.width,
            id_width: self.id_width,
        }
    }

    fn emit(&mut self, event: &ChangeLine<'_>) -> std::io::Result<()> {
        let out = &mut *self.out;
        self.status_line.suspend(|| {
            json::write_line(out, event)?;
            out.flush()
        })
    }

    fn print(
        &mut self,
        write: impl FnOnce(&mut Output) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let out = &mut *self.out;
        self.status_line.suspend(|| {
            write(out)?;
            out.flush()
        })
    }
}
