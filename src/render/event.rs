//! One push payload for people, in the look of `track`'s timeline: a bold header line with the
//! method, its category and what it means, then two-space indented fields, times in WIB.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::Value;

use unicode_width::UnicodeWidthStr;

use super::{Painter, clean, fit, money, truncate, wrap};
use crate::lenient::Extra;
use crate::push::event::{
    Event, EventName, Order, Package, Payment, PaymentState, Place, TimeField,
};
use crate::status::DELIVERED;

/// The widest line an unknown key or a route is shown on in a pipe (the view is judged at 80
/// columns); on a terminal, its width.
const WIDTH: usize = 80;
/// The longest known method, `instant_allocated_packages` and `instant_validated_packages`.
const METHOD_WIDTH: usize = 26;

/// The order times, in the order they are shown.
const TIMES: &[(TimeField, &str)] = &[
    (TimeField::Date, "Date"),
    (TimeField::AllocatedAt, "Allocated"),
    (TimeField::ShippedAt, "Shipped"),
    (TimeField::FinishedAt, "Finished"),
    (TimeField::ReturnedAt, "Returned"),
    (TimeField::RejectedAt, "Rejected"),
    (TimeField::CanceledAt, "Canceled"),
    (TimeField::PaidAt, "Paid"),
];

/// The time fields by the key the provider sends them under, for naming an unreadable one.
const TIME_KEYS: &[(&str, &str)] = &[
    ("date", "Date"),
    ("allocated_at", "Allocated"),
    ("shipped_at", "Shipped"),
    ("finished_at", "Finished"),
    ("returned_at", "Returned"),
    ("rejected_at", "Rejected"),
    ("canceled_at", "Canceled"),
    ("paid_at", "Paid"),
];

/// A field line: indent, name padded to 10, value. Written in pieces rather than through the
/// formatting machinery, which was a sixth of the time of a large stream. On a terminal
/// (`width`), a value too long for the line wraps under the value column.
fn field(
    out: &mut dyn Write,
    width: Option<usize>,
    indent: usize,
    name: &str,
    value: &str,
) -> io::Result<()> {
    field_painted(out, width, indent, name, value, value)
}

/// [`field`] for a value with colors: `plain` is what is measured (and written when wrapped:
/// colors cannot be cut safely), `painted` what is written when it fits.
fn field_painted(
    out: &mut dyn Write,
    width: Option<usize>,
    indent: usize,
    name: &str,
    plain: &str,
    painted: &str,
) -> io::Result<()> {
    field_name(out, indent, name)?;
    let at = value_column(indent, name);
    match width {
        Some(width) if at + plain.width() > width => {
            let lines = wrap(plain, width.saturating_sub(at).max(MIN_WRAP));
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    write!(out, "{:at$}", "")?;
                }
                out.write_all(line.as_bytes())?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        _ => {
            out.write_all(painted.as_bytes())?;
            out.write_all(b"\n")
        }
    }
}

/// A field whose value is a link: only useful whole, so never wrapped or cut. When it does not
/// fit after its name on a terminal, it stands alone on the next line, from column 0 (a terminal
/// that wraps it keeps it one selection).
fn link_field(
    out: &mut dyn Write,
    width: Option<usize>,
    indent: usize,
    name: &str,
    url: &str,
) -> io::Result<()> {
    match width {
        Some(width) if value_column(indent, name) + url.width() > width => {
            writeln!(out, "{:indent$}{name}", "")?;
            writeln!(out, "{url}")
        }
        _ => field(out, width, indent, name, url),
    }
}

/// The column a field's value starts at: the indent, the name padded to 10, a blank.
fn value_column(indent: usize, name: &str) -> usize {
    indent + name.width().max(10) + 1
}

/// The narrowest column a value is wrapped to, however narrow the terminal.
const MIN_WRAP: usize = 10;

/// A field line up to its value.
fn field_name(out: &mut dyn Write, indent: usize, name: &str) -> io::Result<()> {
    const SPACES: &[u8] = b"                ";
    let pad = 10usize.saturating_sub(name.width());
    out.write_all(&SPACES[..indent.min(SPACES.len())])?;
    out.write_all(name.as_bytes())?;
    out.write_all(&SPACES[..pad.min(SPACES.len())])?;
    out.write_all(b" ")
}

/// Provider text on one line: cleaned, runs of blanks made one.
fn line(text: &str) -> Cow<'_, str> {
    // Most provider text is plain (printable ASCII, single spaces, nothing around it) and is
    // shown as it is, without a copy.
    let bytes = text.as_bytes();
    let plain = bytes.iter().all(|b| (0x20..0x7f).contains(b))
        && !text.contains("  ")
        && !text.starts_with(' ')
        && !text.ends_with(' ');
    if plain {
        return Cow::Borrowed(text);
    }
    Cow::Owned(clean(text).split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `text` in a style, written as it is when there is no color (no copy).
fn styled(
    out: &mut dyn Write,
    paint: Painter,
    text: &str,
    style: fn(Painter, &str) -> String,
) -> io::Result<()> {
    if paint.color {
        out.write_all(style(paint, text).as_bytes())
    } else {
        out.write_all(text.as_bytes())
    }
}

/// The header and everything the payload says.
pub fn payload(out: &mut dyn Write, e: &Event, paint: Painter) -> io::Result<()> {
    payload_received(out, e, paint, None, None)
}

/// [`payload`], with when `listen` received it (a record of its log): `Received` under the
/// header, to the second, in WIB. With a `width` (a terminal's), every line fits it: long
/// values wrap under their value column, links stand whole on a line of their own, extra keys
/// are cut with `…`; in a pipe (`None`) each stays on one line.
pub fn payload_received(
    out: &mut dyn Write,
    e: &Event,
    paint: Painter,
    received_at: Option<&str>,
    width: Option<usize>,
) -> io::Result<()> {
    let (category, delivered) = e.category();
    // The legacy instant event says what happened in its status, not in its method.
    let meaning = match e.orders.first().and_then(|o| o.status.as_ref()) {
        Some(status) if e.event == EventName::InstantUpdate => {
            format!("instant: {}", line(&status.label))
        }
        // `returned_at` not filled: the return is not done yet.
        _ if e.return_under_way() => "on its way back to the sender".to_owned(),
        _ => e.info.meaning.to_owned(),
    };
    // The method padded to the longest known one, so that the categories of a stream of
    // headers stand in one column; with the longest meaning, a header fits 80 columns.
    let method = line(&e.method);
    let pad = METHOD_WIDTH.saturating_sub(method.width());
    let category_word = |paint: Painter| paint.category(category, delivered.then_some(DELIVERED));
    let header = |paint: Painter| {
        let mut header = format!(
            "{}{:pad$}  {}  {meaning}",
            paint.bold(&method),
            "",
            category_word(paint),
        );
        if e.instant && !e.info.instant {
            header.push_str(" (instant)");
        }
        // What replaces it is said once on stderr.
        if e.info.replaced_by.is_some() {
            header.push_str(&paint.dim(" [deprecated]"));
        }
        header
    };
    let plain = header(Painter { color: false });
    match width {
        // Too long for the terminal (an unknown method's long name): wrapped, indented by 2.
        Some(width) if plain.width() > width => {
            for (i, line) in wrap(&plain, width.saturating_sub(2).max(MIN_WRAP))
                .iter()
                .enumerate()
            {
                let indent = if i == 0 { 0 } else { 2 };
                writeln!(out, "{:indent$}{line}", "")?;
            }
        }
        _ => writeln!(out, "{}", header(paint))?,
    }
    if let Some(received_at) = received_at {
        field(out, width, 2, "Received", &received_text(received_at))?;
    }

    if let Some(request) = &e.request {
        let verified = |paint: Painter| match e.verified {
            Some(true) => "yes".to_owned(),
            Some(false) => {
                let reasons: Vec<String> = request.problems.iter().map(|p| p.to_string()).collect();
                format!(
                    "{} (reason: {})",
                    paint.error("no"),
                    if reasons.is_empty() {
                        "unknown".to_owned()
                    } else {
                        reasons.join(", ")
                    }
                )
            }
            None => "not checked (no API key configured)".to_owned(),
        };
        field_painted(
            out,
            width,
            2,
            "Verified",
            &verified(Painter { color: false }),
            &verified(paint),
        )?;
        field(
            out,
            width,
            2,
            "Request",
            &format!("{} {}", line(&request.method), line(&request.path)),
        )?;
        let agent = request
            .user_agent
            .as_deref()
            .map_or(Cow::Borrowed("none"), line);
        let trust = "(reported, not trusted)";
        field_painted(
            out,
            width,
            2,
            "User agent",
            &format!("{agent} {trust}"),
            &format!("{agent} {}", paint.dim(trust)),
        )?;
    }

    if let Some(data) = &e.data {
        // An unknown method: its data as given, as compact JSON (escapes keep it on one line).
        let text = serde_json::to_string(data).unwrap_or_default();
        field(out, width, 2, "Data", &clean(&text))?;
    } else if e.orders.is_empty() {
        field(out, width, 2, "Orders", "none")?;
    }
    for o in &e.orders {
        order(out, e, o, paint, width)?;
    }
    if let Some(p) = &e.payment {
        payment(out, p, width)?;
    }
    for p in e.packages.iter().flatten() {
        package(out, p, paint, width)?;
    }
    extra(out, width, 2, "", &e.extra)
}

/// `2025-01-11 16:00:02 WIB` from a record's RFC 3339 time (its text, cleaned, if unreadable).
fn received_text(received_at: &str) -> String {
    match crate::time::Moment::parse(received_at).map(|m| m.to_string()) {
        Some(text) if text.len() >= 19 && text.is_char_boundary(19) => {
            format!("{} {} WIB", &text[..10], &text[11..19])
        }
        _ => clean(received_at),
    }
}

/// Keys the decoder does not know, one `key: value` line each: text as it is, anything else as
/// compact JSON; cleaned and cut to the line (the terminal's, else 80 columns) like other
/// provider text. `prefix` names the
/// object they are in (`origin.`).
fn extra(
    out: &mut dyn Write,
    width: Option<usize>,
    indent: usize,
    prefix: &str,
    extra: &Extra,
) -> io::Result<()> {
    for (key, value) in extra.iter() {
        let value = match value {
            Value::String(text) => line(text).into_owned(),
            other => line(&serde_json::to_string(other).unwrap_or_default()).into_owned(),
        };
        let text = format!("{prefix}{}: {value}", line(key));
        let text = match width {
            Some(width) => fit(&text, width.saturating_sub(indent)),
            None => truncate(&text, WIDTH - indent - 1),
        };
        writeln!(out, "{:indent$}{text}", "")?;
    }
    Ok(())
}

fn order(
    out: &mut dyn Write,
    e: &Event,
    o: &Order,
    paint: Painter,
    width: Option<usize>,
) -> io::Result<()> {
    // `instant_payment_confirmed` names a payment, not an order.
    let (title, id) = match (o.order_id.as_deref(), o.payment_id.as_deref()) {
        (Some(id), _) => ("Order", line(id)),
        (None, Some(payment)) => ("Payment", line(payment)),
        (None, None) => ("Order", Cow::Borrowed("(no order id)")),
    };
    if let Some(width) = width {
        let awb = o.awb.as_deref().map(|awb| format!("AWB {}", line(awb)));
        match &awb {
            Some(awb) if value_column(2, title) + id.width() + 2 + awb.width() <= width => {
                let plain = format!("{id}  {awb}");
                let painted = format!("{}  {}", paint.bold(&id), paint.dim(awb));
                field_painted(out, Some(width), 2, title, &plain, &painted)?;
            }
            // Too long for one line: the AWB on a line of its own, under the ID.
            Some(awb) => {
                field_painted(out, Some(width), 2, title, &id, &paint.bold(&id))?;
                field_painted(out, Some(width), 2, "", awb, &paint.dim(awb))?;
            }
            None => field_painted(out, Some(width), 2, title, &id, &paint.bold(&id))?,
        }
    } else {
        order_line(out, o, title, &id, paint)?;
    }
    if let Some(status) = &o.status {
        let code = status.code.as_deref().filter(|c| *c != status.label);
        let delivered = status.is_delivered().then_some(DELIVERED);
        let text = |paint: Painter| {
            super::status_text(paint, status.category, delivered, &status.label, code)
        };
        field_painted(
            out,
            width,
            4,
            "Status",
            &text(Painter { color: false }),
            &text(paint),
        )?;
    }
    for &(which, name) in TIMES {
        match o.time(which) {
            Some(at) => {
                field_name(out, 4, name)?;
                at.write_human_wib(out)?;
                out.write_all(b"\n")?;
            }
            // `returned_packages` without `returned_at`: flagged for return, not back yet.
            None if which == TimeField::ReturnedAt
                && e.event == EventName::Returned
                && !e.deprecated =>
            {
                field(
                    out,
                    width,
                    4,
                    name,
                    "not yet (on its way back to the sender)",
                )?;
            }
            None => {}
        }
    }
    // The time the event is about, when it is none of the fields above (the legacy instant
    // object's `event_date`).
    if let Some(at) = o.at
        && !TIMES.iter().any(|&(which, _)| o.time(which) == Some(at))
    {
        field_name(out, 4, "Event")?;
        at.write_human_wib(out)?;
        out.write_all(b"\n")?;
    }
    // A time that was sent but cannot be read (a placeholder such as "(shipped date)") is null
    // in the JSON; here it is said.
    for (key, value) in o.unreadable_times.iter() {
        let name = TIME_KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(Cow::Owned(line(key).into_owned()), |(_, name)| {
                Cow::Borrowed(*name)
            });
        let value = match value {
            Value::String(text) => format!("{:?}", line(text)),
            other => serde_json::to_string(other).unwrap_or_default(),
        };
        let text = format!("unreadable time {}", truncate(&value, WIDTH - 40));
        field(out, width, 4, &name, &text)?;
    }
    if o.order_id.is_some()
        && let Some(payment) = &o.payment_id
    {
        field(out, width, 4, "Payment", &line(payment))?;
    }
    if let Some(insured) = o.insurance {
        let mut text = if insured { "yes" } else { "no" }.to_owned();
        if let Some(amount) = &o.insurance_amount {
            text.push_str(&format!(" ({})", money(amount, None)));
        }
        field(out, width, 4, "Insured", &text)?;
    } else if let Some(amount) = &o.insurance_amount {
        field(out, width, 4, "Insurance", &money(amount, None))?;
    }
    if let Some(reason) = &o.reason {
        field(out, width, 4, "Reason", &line(reason))?;
    }
    if let Some(code) = &o.sorting_code {
        field(out, width, 4, "Sorting", &line(code))?;
    }
    if let Some(cost) = &o.shipping_cost {
        field(out, width, 4, "Cost", &money(cost, None))?;
    }
    extra(out, width, 4, "", &o.extra)
}

/// The order line in a pipe, written in pieces: a stream of short events is mostly these lines.
fn order_line(
    out: &mut dyn Write,
    o: &Order,
    title: &str,
    id: &str,
    paint: Painter,
) -> io::Result<()> {
    field_name(out, 2, title)?;
    styled(out, paint, id, Painter::bold)?;
    if let Some(awb) = o.awb.as_deref() {
        out.write_all(b"  ")?;
        if paint.color {
            out.write_all(paint.dim(&format!("AWB {}", line(awb))).as_bytes())?;
        } else {
            out.write_all(b"AWB ")?;
            out.write_all(line(awb).as_bytes())?;
        }
    }
    out.write_all(b"\n")?;
    Ok(())
}

fn payment(out: &mut dyn Write, p: &Payment, width: Option<usize>) -> io::Result<()> {
    let mut parts = Vec::new();
    if let Some(amount) = &p.amount {
        parts.push(money(amount, None));
    }
    parts.push(match (p.status, p.status_code) {
        (PaymentState::Unknown, Some(code)) => format!("payment status unknown (code {code})"),
        (PaymentState::Unknown, None) => "payment status unknown".to_owned(),
        (state, _) => state.as_str().to_owned(),
    });
    if let Some(at) = p.pay_time {
        parts.push(format!("paid at {}", at.human_wib()));
    }
    if let Some(id) = &p.payment_id {
        parts.push(line(id).into_owned());
    }
    field(out, width, 2, "Payment", &parts.join(" · "))?;
    extra(out, width, 4, "", &p.extra)
}

fn package(
    out: &mut dyn Write,
    p: &Package,
    paint: Painter,
    width: Option<usize>,
) -> io::Result<()> {
    let title = [p.awb.as_deref(), p.order_id.as_deref()]
        .into_iter()
        .flatten()
        .map(line)
        .collect::<Vec<_>>()
        .join(" · ");
    field(
        out,
        width,
        2,
        "Package",
        &if title.is_empty() {
            "(no AWB)".to_owned()
        } else {
            title
        },
    )?;
    let courier = [
        p.service.as_deref().map(str::to_uppercase),
        p.service_type.clone(),
    ]
    .into_iter()
    .flatten()
    .map(|s| line(&s).into_owned())
    .collect::<Vec<_>>()
    .join(" ");
    if !courier.is_empty() {
        field(out, width, 4, "Courier", &courier)?;
    }
    field_painted(
        out,
        width,
        4,
        "Status",
        &super::status(Painter { color: false }, &p.status),
        &super::status(paint, &p.status),
    )?;
    if p.origin.is_some() || p.destination.is_some() {
        // On one line (the terminal's, else 80 columns): each side cut to its half when the
        // whole is too long.
        let (from, to) = (place(&p.origin), place(&p.destination));
        let room = width
            .unwrap_or(WIDTH)
            .saturating_sub(value_column(4, "Route") + " → ".width());
        let route = if from.width() + to.width() > room {
            format!("{} → {}", fit(&from, room / 2), fit(&to, room / 2))
        } else {
            format!("{from} → {to}")
        };
        field(out, width, 4, "Route", &route)?;
    }
    if let Some(driver) = &p.driver {
        let who = [driver.name.as_deref(), driver.phone.as_deref()]
            .into_iter()
            .flatten()
            .map(line)
            .collect::<Vec<_>>()
            .join(" · ");
        if !who.is_empty() {
            field(out, width, 4, "Driver", &who)?;
        }
    }
    if let Some(url) = &p.live_tracking_url {
        link_field(out, width, 4, "Tracking", &line(url))?;
    }
    extra(out, width, 4, "", &p.extra)?;
    for (name, place) in [("origin.", &p.origin), ("destination.", &p.destination)] {
        if let Some(place) = place {
            extra(out, width, 4, name, &place.extra)?;
        }
    }
    if let Some(driver) = &p.driver {
        extra(out, width, 4, "driver.", &driver.extra)?;
    }
    Ok(())
}

/// `Name (address)`, or whichever of the two there is.
fn place(place: &Option<Place>) -> String {
    let Some(place) = place else {
        return "?".to_owned();
    };
    match (place.name.as_deref(), place.address.as_deref()) {
        (Some(name), Some(address)) => format!("{} ({})", line(name), line(address)),
        (Some(one), None) | (None, Some(one)) => line(one).into_owned(),
        (None, None) => "?".to_owned(),
    }
}
