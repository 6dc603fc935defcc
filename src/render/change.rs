//! What changed about a parcel, as `watch` prints it and `sync` reuses it: the human change
//! lines (fitted to a width, the ID padded to a column, what changed and when kept whole, the
//! free text cut first) and the JSON Lines change objects of `watch --json`.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::api::ErrorJson;
use crate::model::{HistoryEntry, Parcel};
use crate::render::{self, Painter, Part, Tone, clean, fit_parts, timeline};
use crate::status::Status;
use crate::time::Moment;

/// The JSON Lines objects of `watch --json` (and `sync --json`), one per change.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ChangeLine<'a> {
    Snapshot {
        query: &'a str,
        at: Moment,
        parcel: &'a Parcel,
    },
    Event {
        query: &'a str,
        at: Moment,
        entry: &'a HistoryEntry,
    },
    Status {
        query: &'a str,
        at: Moment,
        from: Option<&'a Status>,
        to: &'a Status,
    },
    Final {
        query: &'a str,
        at: Moment,
        status: &'a Status,
        delivered: bool,
    },
    Error {
        query: &'a str,
        at: Moment,
        error: ErrorJson,
        /// True when the watch of this ID (or all of them) ends with this error.
        fatal: bool,
    },
    Recovered {
        query: &'a str,
        at: Moment,
        failed_polls: u32,
    },
}

/// The human change lines of a set of parcels: every line starts with the ID, padded to the
/// widest, so that the columns stay put.
#[derive(Clone, Copy)]
pub struct Lines {
    pub paint: Painter,
    /// The width lines are fitted to; `None` in a pipe.
    pub width: Option<usize>,
    /// The widest ID of the set.
    pub id_width: usize,
}

impl Lines {
    pub fn new(paint: Painter, width: Option<usize>, ids: &[&str]) -> Lines {
        Lines {
            paint,
            width,
            id_width: ids.iter().map(|id| clean(id).width()).max().unwrap_or(0),
        }
    }

    /// The ID, padded to the widest of the set.
    pub fn padded(&self, query: &str) -> String {
        let id = clean(query);
        let pad = self.id_width.saturating_sub(id.width());
        format!("{id}{:pad$}", "")
    }

    /// The ID a line is about, padded, and the gap after it.
    pub fn id_parts(&self, query: &str) -> Vec<Part> {
        vec![
            Part::keep("", self.padded(query), Tone::Plain),
            Part::keep("", "  ", Tone::Plain),
        ]
    }

    /// `OID-1  2024-03-24 10:00  transit  With delivery courier`: a new history entry.
    pub fn entry(&self, query: &str, entry: &HistoryEntry) -> String {
        let mut parts = self.id_parts(query);
        parts.extend(timeline::entry_parts(entry));
        fit_parts(parts, self.paint, self.width)
    }

    /// `OID-1  status being shipped (100) → transit  delivery in progress (101)`: what it
    /// became is kept whole; what it was is cut first.
    pub fn status(&self, query: &str, from: Option<&Status>, to: &Status) -> String {
        let mut parts = self.id_parts(query);
        parts.push(Part::keep("", "status", Tone::Bold));
        let from = from.map_or_else(
            || "?".to_owned(),
            |s| render::status(Painter { color: false }, s),
        );
        parts.push(Part::cut(" ", from, Tone::Plain, 0));
        parts.extend(status_parts(" → ", to, None, false));
        fit_parts(parts, self.paint, self.width)
    }

    /// `OID-1  ✔ delivered{ending}` or `OID-1  ✘ ended undelivered: final  canceled{ending}`.
    pub fn ended(&self, parcel: &Parcel, ending: &'static str) -> String {
        let mut parts = self.id_parts(&parcel.query);
        if parcel.delivered {
            parts.push(Part::keep("", "✔ delivered", Tone::Bold));
        } else {
            parts.push(Part::keep("", "✘ ended undelivered:", Tone::Bold));
            parts.extend(status_parts(" ", &parcel.status, Some(0), false));
        }
        if !ending.is_empty() {
            parts.push(Part::keep("", ending, Tone::Bold));
        }
        fit_parts(parts, self.paint, self.width)
    }

    /// `OID-1  2024-03-24 10:00  transit  being shipped (100) · With delivery courier`: the
    /// ID, the time of the latest entry and the status are kept; the entry's text is cut
    /// first, then the status label.
    pub fn snapshot(&self, parcel: &Parcel) -> String {
        let mut parts = self.id_parts(&parcel.query);
        let latest = parcel.latest();
        let at = latest
            .and_then(|h| h.at)
            .map_or_else(|| format!("{:<16}", "(no time)"), |t| t.human());
        parts.push(Part::keep("", at, Tone::Dim));
        parts.extend(status_parts("  ", &parcel.status, Some(1), true));
        if let Some(text) = latest
            .and_then(|h| h.text.as_deref())
            .map(render::bounded)
            .filter(|t| !t.is_empty())
        {
            parts.push(Part::cut(" · ", text, Tone::Plain, 0));
        }
        fit_parts(parts, self.paint, self.width)
    }
}

/// A status as parts: its category (colored; padded to one width in columns) kept, its label
/// and code cut at `cut` (`None`: kept whole).
pub fn status_parts(
    lead: &'static str,
    status: &Status,
    cut: Option<u8>,
    column: bool,
) -> Vec<Part> {
    let tone = Tone::Category(status.category, status.color_code());
    let code = render::status_code(status)
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let label = format!("{}{code}", clean(&status.label));
    let label = match cut {
        Some(rank) => Part::cut("  ", label, Tone::Plain, rank),
        None => Part::keep("  ", label, Tone::Plain),
    };
    vec![
        Part::keep(
            lead,
            if column {
                format!("{:<7}", status.category.as_str())
            } else {
                status.category.as_str().to_owned()
            },
            tone,
        ),
        label,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_code_is_named_once() {
        let lines = Lines::new(Painter { color: false }, None, &["OID-1"]);
        let line = lines.status("OID-1", None, &crate::status::lookup(Some(777)));
        assert!(line.contains("unknown (code 777)"), "{line}");
        assert!(!line.contains("(777)"), "{line}");
    }
}
