//! One parcel for people: a summary, then its history as a timeline, newest first.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{Painter, bounded, clean, courier, money};
use crate::model::{HistoryEntry, Kind, Parcel};

/// The summary and the whole timeline, newest first.
pub fn parcel(out: &mut dyn Write, p: &Parcel, paint: Painter) -> io::Result<()> {
    summary(out, p, paint)?;
    writeln!(out)?;
    history(out, &p.histories, paint, usize::MAX, Order::NewestFirst)
}

/// The order a history is shown in: newest first for a look-up, oldest first for a live view
/// that grows at the bottom (`watch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    NewestFirst,
    OldestFirst,
}

/// The lines about the parcel before its history.
pub fn summary(out: &mut dyn Write, p: &Parcel, paint: Painter) -> io::Result<()> {
    let id = p.order_id.as_deref().unwrap_or(&p.query);
    let reference = match (&p.awb, &p.tracking_code) {
        (Some(awb), _) => Some(format!("AWB {}", clean(awb))),
        (None, Some(code)) => Some(format!("tracking code {}", clean(code))),
        (None, None) => None,
    };
    match reference {
        Some(reference) => writeln!(out, "{}  {}", paint.bold(&clean(id)), paint.dim(&reference))?,
        None => writeln!(out, "{}", paint.bold(&clean(id)))?,
    }
    let mut field = |name: &str, value: String| writeln!(out, "  {:<10} {value}", name);

    if let Some(courier) = courier(&p.courier) {
        field("Courier", courier)?;
    }
    field("Status", super::status(paint, &p.status))?;
    if let Some(text) = &p.text {
        field("Summary", bounded(text))?;
    }
    if let Some(driver) = &p.driver {
        let words: Vec<String> = [&driver.name, &driver.phone]
            .into_iter()
            .flatten()
            .map(|s| clean(s))
            .filter(|s| !s.is_empty())
            .collect();
        if !words.is_empty() {
            field("Driver", words.join(" · "))?;
        }
    }
    if let Some(url) = &p.live_tracking_url {
        field("Live", clean(url))?;
    }
    if let Some(at) = p.shipped_at {
        field("Shipped", at.human_wib())?;
    }
    if let Some(at) = p.delivered_at {
        field("Delivered", at.human_wib())?;
    }
    if let Some(at) = p.refunded_at {
        field("Returned", at.human_wib())?;
    } else if p.refunded {
        field("Returned", "yes".to_owned())?;
    }
    if let Some(eta) = p.estimation.as_deref().filter(|e| e.trim() != "-") {
        field("Estimate", estimate(&clean(eta)))?;
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
            field("Item", words.join(" · "))?;
        }
    }
    if p.origin.is_some() || p.destination.is_some() {
        field(
            "Route",
            format!("{} → {}", city(&p.origin), city(&p.destination)),
        )?;
    }
    if let Some(receiver) = p.receiver() {
        field("Receiver", clean(receiver))?;
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
        field("Cost", line)?;
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
) -> io::Result<()> {
    if entries.is_empty() {
        let note = match order {
            Order::NewestFirst => "No history yet.",
            Order::OldestFirst => "No history yet; new entries follow below.",
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
        Order::OldestFirst => "oldest first; new entries follow below",
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
        Order::OldestFirst => Box::new(shown.iter().rev()),
    };
    for entry in ordered {
        writeln!(out, "  {}", entry_line(entry, paint, None))?;
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
pub const ENTRY_TEXT_AT: usize = 16 + 2 + 7 + 2;

/// `2021-07-14 16:00  final    Delivered to BAGUS …`: one history entry on one line; with a
/// `width`, its text is cut to fit it.
pub fn entry_line(entry: &HistoryEntry, paint: Painter, width: Option<usize>) -> String {
    let at = entry
        .at
        .map_or_else(|| format!("{:<16}", "(no time)"), |t| t.human());
    let mut text = entry.text.as_deref().map(bounded).unwrap_or_default();
    if text.is_empty() {
        text = entry.label.clone();
    }
    let driver = entry
        .driver
        .as_deref()
        .map(|d| format!(" (driver: {})", bounded(d)))
        .unwrap_or_default();
    let (text, driver) = match width.map(|w| w.saturating_sub(ENTRY_TEXT_AT)) {
        Some(room) if room < text.width() + driver.width() => {
            let full = format!("{text}{driver}");
            (super::fit(&full, room), String::new())
        }
        _ => (text, driver),
    };
    format!(
        "{}  {}  {text}{}",
        paint.dim(&at),
        paint.category(entry.category, entry.color_code()),
        paint.dim(&driver)
    )
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
