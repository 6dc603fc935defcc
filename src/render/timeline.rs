//! One parcel for people: a summary, then its history as a timeline, newest first.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{Painter, Part, Tone, bounded, clean, courier, money, wrap};
use crate::model::{HistoryEntry, Kind, Parcel};

/// The summary and the whole timeline, newest first. With a `width` (a terminal's), long lines
/// wrap under their text with a hanging indent; in a pipe (`None`) each stays on one line.
pub fn parcel(
    out: &mut dyn Write,
    p: &Parcel,
    paint: Painter,
    width: Option<usize>,
) -> io::Result<()> {
    summary(out, p, paint, width)?;
    writeln!(out)?;
    history(
        out,
        &p.histories,
        paint,
        usize::MAX,
        Order::NewestFirst,
        width,
    )
}

/// The order a history is shown in: newest first for a look-up, oldest first for a live view
/// that grows at the bottom (`watch`: `Live` while new entries can still come).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    NewestFirst,
    OldestFirst,
    Live,
}

/// Where the value of a summary field starts: two blanks, the name padded to 10, a blank.
const FIELD_VALUE_AT: usize = 13;

/// `lead` (already painted, `indent` columns wide) then `painted`, when the plain text fits
/// `width`; otherwise the plain text wrapped, each further line indented by `indent` (colors go:
/// they cannot be cut safely).
fn hanging(
    out: &mut dyn Write,
    lead: &str,
    indent: usize,
    plain: &str,
    painted: &str,
    width: Option<usize>,
) -> io::Result<()> {
    match width {
        Some(width) if indent + plain.width() > width => {
            let lines = wrap(plain, width.saturating_sub(indent).max(MIN_WRAP));
            for (i, line) in lines.iter().enumerate() {
                if i == 0 {
                    writeln!(out, "{lead}{line}")?;
                } else {
                    writeln!(out, "{:indent$}{line}", "")?;
                }
            }
            Ok(())
        }
        _ => writeln!(out, "{lead}{painted}"),
    }
}

/// A summary field whose value has no colors.
fn text_field(
    put: &mut impl FnMut(&str, &str, &str, bool) -> io::Result<()>,
    name: &str,
    value: String,
) -> io::Result<()> {
    put(name, &value, &value, true)
}

/// The narrowest column text is wrapped to, however narrow the terminal.
const MIN_WRAP: usize = 10;

/// The lines about the parcel before its history.
pub fn summary(
    out: &mut dyn Write,
    p: &Parcel,
    paint: Painter,
    width: Option<usize>,
) -> io::Result<()> {
    let id = clean(p.order_id.as_deref().unwrap_or(&p.query));
    let reference = match (&p.awb, &p.tracking_code) {
        (Some(awb), _) => Some(format!("AWB {}", clean(awb))),
        (None, Some(code)) => Some(format!("tracking code {}", clean(code))),
        (None, None) => None,
    };
    match reference {
        Some(reference) => hanging(
            out,
            "",
            2,
            &format!("{id}  {reference}"),
            &format!("{}  {}", paint.bold(&id), paint.dim(&reference)),
            width,
        )?,
        None => hanging(out, "", 2, &id, &paint.bold(&id), width)?,
    }
    // A link is only useful whole: never wrapped.
    let mut any_field = |name: &str, plain: &str, painted: &str, wrapped: bool| {
        hanging(
            out,
            &format!("  {name:<10} "),
            FIELD_VALUE_AT,
            plain,
            painted,
            width.filter(|_| wrapped),
        )
    };
    if let Some(courier) = courier(&p.courier) {
        any_field("Courier", &courier, &courier, true)?;
    }
    any_field(
        "Status",
        &super::status(Painter { color: false }, &p.status),
        &super::status(paint, &p.status),
        true,
    )?;
    if let Some(text) = &p.text {
        text_field(&mut any_field, "Summary", bounded(text))?;
    }
    if let Some(driver) = &p.driver {
        let words: Vec<String> = [&driver.name, &driver.phone]
            .into_iter()
            .flatten()
            .map(|s| clean(s))
            .filter(|s| !s.is_empty())
            .collect();
        if !words.is_empty() {
            text_field(&mut any_field, "Driver", words.join(" · "))?;
        }
    }
    if let Some(url) = &p.live_tracking_url {
        let url = clean(url);
        any_field("Live", &url, &url, false)?;
    }
    if let Some(at) = p.shipped_at {
        text_field(&mut any_field, "Shipped", at.human_wib())?;
    }
    if let Some(at) = p.delivered_at {
        text_field(&mut any_field, "Delivered", at.human_wib())?;
    }
    if let Some(at) = p.refunded_at {
        text_field(&mut any_field, "Returned", at.human_wib())?;
    } else if p.refunded {
        text_field(&mut any_field, "Returned", "yes".to_owned())?;
    }
    if let Some(eta) = p.estimation.as_deref().filter(|e| e.trim() != "-") {
        text_field(&mut any_field, "Estimate", estimate(&clean(eta)))?;
    }
    let city = |party: &Option<crate::model::Party>| {
        party
            .as_ref()
            .and_then(|p| p.city.as_deref().or(p.name.as_deref()))
            .map_or_else(|| "?".to_owned(), clean)
    };
    if let Some(item) = &p.item {
        let words: Vec<String> = [
            item.description.as_deref().map(clean),
            item.price.as_ref().map(|price| money(price, None)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !words.is_empty() {
            text_field(&mut any_field, "Item", words.join(" · "))?;
        }
    }
    if p.origin.is_some() || p.destination.is_some() {
        text_field(
            &mut any_field,
            "Route",
            format!("{} → {}", city(&p.origin), city(&p.destination)),
        )?;
    }
    if let Some(receiver) = p.receiver() {
        text_field(&mut any_field, "Receiver", clean(receiver))?;
    }
    let currency = p.costs.currency.as_deref();
    if let Some(cost) = &p.costs.shipping_cost {
        let line = match p.kind {
            Kind::Express => {
                let cod = match &p.costs.cod {
                    Some(cod) if cod.as_f64().is_some_and(|v| v != 0.0) => money(cod, currency),
                    _ => "none".to_owned(),
                };
                format!("{} · COD {cod}", money(cost, currency))
            }
            // No cash on delivery; the fees and the total are what the sender pays.
            Kind::Instant => {
                let mut line = money(cost, currency);
                for (name, amount) in [
                    ("insurance", &p.costs.insurance_amount),
                    ("admin", &p.costs.admin_fee),
                    ("total", &p.costs.total_price),
                ] {
                    if let Some(amount) = amount {
                        line.push_str(&format!(" · {name} {}", money(amount, currency)));
                    }
                }
                line
            }
        };
        text_field(&mut any_field, "Cost", line)?;
    }
    Ok(())
}

/// The provider's delivery estimate, in days when it is a bare number or range (`2-4` → `2-4
/// days`); other wording as given.
fn estimate(text: &str) -> String {
    let bare = text
        .split(['-', '–'])
        .all(|part| !part.trim().is_empty() && part.trim().bytes().all(|b| b.is_ascii_digit()));
    match text.trim() {
        "1" => "1 day".to_owned(),
        t if bare => format!("{t} days"),
        t => t.to_owned(),
    }
}

/// The history: a heading, then one line per entry, the newest `limit` of them (a batch keeps
/// every parcel's timeline until its table is printed, so there it is bounded).
pub fn history(
    out: &mut dyn Write,
    entries: &[HistoryEntry],
    paint: Painter,
    limit: usize,
    order: Order,
    width: Option<usize>,
) -> io::Result<()> {
    if entries.is_empty() {
        let note = match order {
            Order::NewestFirst | Order::OldestFirst => "No history yet.",
            Order::Live => "No history yet; new entries follow below.",
        };
        return writeln!(out, "{}", paint.dim(note));
    }
    let noun = if entries.len() == 1 {
        "entry"
    } else {
        "entries"
    };
    let how = match order {
        Order::NewestFirst => "newest first",
        Order::OldestFirst => "oldest first",
        Order::Live => "oldest first; new entries follow below",
    };
    writeln!(
        out,
        "{}",
        paint.bold(&format!("History ({} {noun}, {how})", entries.len()))
    )?;
    let shown = &entries[..entries.len().min(limit)];
    let more = entries.len() - shown.len();
    let ordered: Box<dyn Iterator<Item = &HistoryEntry>> = match order {
        Order::NewestFirst => Box::new(shown.iter()),
        Order::OldestFirst | Order::Live => Box::new(shown.iter().rev()),
    };
    for entry in ordered {
        wrapped_entry(out, entry, paint, width)?;
    }
    if more > 0 {
        writeln!(
            out,
            "  {}",
            paint.dim(&format!(
                "… {more} older not shown (track this ID alone to see them)"
            ))
        )?;
    }
    Ok(())
}

/// Columns an entry line takes before its text: the time, the category, two gaps each.
const ENTRY_TEXT_AT: usize = 16 + 2 + 7 + 2;

/// An entry's time, or a placeholder as wide.
fn entry_time(entry: &HistoryEntry) -> String {
    entry
        .at
        .map_or_else(|| format!("{:<16}", "(no time)"), |t| t.human())
}

/// An entry's text (its label when it has none) and its driver, if any.
fn entry_text(entry: &HistoryEntry) -> (String, Option<String>) {
    let mut text = entry.text.as_deref().map(bounded).unwrap_or_default();
    if text.is_empty() {
        text = entry.label.clone();
    }
    let driver = entry
        .driver
        .as_deref()
        .map(|d| format!("(driver: {})", bounded(d)));
    (text, driver)
}

/// A timeline line: `  2021-07-14 16:00  final    Delivered to …`, its text wrapped under the
/// text column when it does not fit `width`.
fn wrapped_entry(
    out: &mut dyn Write,
    entry: &HistoryEntry,
    paint: Painter,
    width: Option<usize>,
) -> io::Result<()> {
    let lead = format!(
        "  {}  {}  ",
        paint.dim(&entry_time(entry)),
        paint.category(entry.category, entry.color_code())
    );
    let (text, driver) = entry_text(entry);
    let plain = match &driver {
        Some(driver) => format!("{text} {driver}"),
        None => text.clone(),
    };
    let painted = match &driver {
        Some(driver) => format!("{text} {}", paint.dim(driver)),
        None => text,
    };
    hanging(out, &lead, 2 + ENTRY_TEXT_AT, &plain, &painted, width)
}

/// One history entry as parts of a line: its time and category are kept, its driver and then
/// its text are cut to fit (see [`super::fit_parts`]).
pub fn entry_parts(entry: &HistoryEntry) -> Vec<Part> {
    let (text, driver) = entry_text(entry);
    let mut parts = vec![
        Part::keep("", entry_time(entry), Tone::Dim),
        Part::keep(
            "  ",
            format!("{:<7}", entry.category.as_str()),
            Tone::Category(entry.category, entry.color_code()),
        ),
        Part::cut("  ", text, Tone::Plain, 1),
    ];
    if let Some(driver) = driver {
        parts.push(Part::cut(" ", driver, Tone::Dim, 0));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_get_their_unit() {
        assert_eq!(estimate("2-4"), "2-4 days");
        assert_eq!(estimate("3"), "3 days");
        assert_eq!(estimate("1"), "1 day");
        assert_eq!(estimate("2-3 hari"), "2-3 hari");
        assert_eq!(estimate("-"), "-");
    }
}
