//! JSON Lines output: one value per line, compact for programs and pretty on a terminal, or
//! through the `--jq` filter. Every JSON line of every command is written here.

use std::io::{self, Write};

use serde::Serialize;

use serde_json::Number;

use crate::api::{ApiError, ErrorJson};
use crate::lenient::Extra;
use crate::output::{Output, Style};
use crate::push::event::{Event, Order, Package, Payment};
use crate::time::Moment;

/// Writes one value as the output's [`Style`] says, and a newline.
pub fn write_line<T: Serialize + ?Sized>(out: &mut Output, value: &T) -> io::Result<()> {
    match out.json_style() {
        Style::Compact => {
            // The line is made in a buffer kept from line to line, and written in one go:
            // serde_json writes many small pieces, which cost less appended to a `Vec` than to
            // stdout's writer.
            let mut line = std::mem::take(&mut out.line);
            line.clear();
            serde_json::to_writer(&mut line, value)?;
            line.push(b'\n');
            let written = out.write_all(&line);
            out.line = line;
            written
        }
        style => write_to(out, value, &style),
    }
}

/// [`write_line`] to any writer, in the given style.
pub fn write_to<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    style: &Style,
) -> io::Result<()> {
    match style {
        Style::Compact => serde_json::to_writer(&mut *out, value)?,
        Style::Pretty => serde_json::to_writer_pretty(&mut *out, value)?,
        Style::Jq(jq) => return jq.write(out, value),
    }
    out.write_all(b"\n")
}

/// The line for an ID that could not be tracked: `{"query", "found": false, "error": {kind, message}}`.
#[derive(Debug, Serialize)]
pub struct Failure<'a> {
    pub query: &'a str,
    pub found: bool,
    pub error: ErrorJson,
}

impl<'a> Failure<'a> {
    pub fn new(err: &'a ApiError) -> Failure<'a> {
        Failure {
            query: &err.query,
            found: false,
            error: err.to_json(),
        }
    }
}

/// A push event's line: the `decode-event` object, plus `received_at` when it came from
/// `listen` (live, or a record of its log).
#[derive(Debug, Serialize)]
pub struct EventLine<'a> {
    #[serde(flatten)]
    pub event: &'a Event,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_at: Option<&'a str>,
}

/// Writes one decoded push event as a JSON line: compact, in the schema of [`Event`]'s
/// `Serialize` (which stays the definition, and writes the pretty form on a terminal and what
/// `--jq` filters).
///
/// A stream of short events is mostly null fields, and serde_json spends more on each key (a
/// call chain and an escape check per key) than on the values; written here, a key and its
/// punctuation are one literal. A property test (`push::decode::tests`) checks that the bytes are
/// serde_json's for any payload.
///
/// `received_at` (from `listen`) comes last, as [`EventLine`] puts it.
pub fn write_event(out: &mut Output, event: &Event, received_at: Option<&str>) -> io::Result<()> {
    if !matches!(out.json_style(), Style::Compact) {
        return write_line(out, &EventLine { event, received_at });
    }
    let mut line = std::mem::take(&mut out.line);
    line.clear();
    event_line(&mut line, event)?;
    if let Some(at) = received_at {
        line.pop();
        line.extend_from_slice(b",\"received_at\":");
        text(&mut line, at)?;
        line.push(b'}');
    }
    line.push(b'\n');
    let written = out.write_all(&line);
    out.line = line;
    written
}

/// [`write_event`]'s line, without the newline.
pub fn event_line(buf: &mut Vec<u8>, e: &Event) -> io::Result<()> {
    buf.extend_from_slice(b"{\"method\":");
    text(buf, &e.method)?;
    buf.extend_from_slice(b",\"event\":");
    serde_json::to_writer(&mut *buf, &e.event)?;
    buf.extend_from_slice(if e.deprecated {
        b",\"deprecated\":true"
    } else {
        b",\"deprecated\":false"
    });
    buf.extend_from_slice(if e.instant {
        b",\"instant\":true,\"orders\":["
    } else {
        b",\"instant\":false,\"orders\":["
    });
    for (i, o) in e.orders.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        order(buf, o)?;
    }
    buf.extend_from_slice(b"],\"payment\":");
    match &e.payment {
        Some(p) => payment(buf, p)?,
        None => buf.extend_from_slice(b"null"),
    }
    buf.extend_from_slice(b",\"packages\":");
    match &e.packages {
        Some(list) => {
            buf.push(b'[');
            for (i, p) in list.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                package(buf, p)?;
            }
            buf.push(b']');
        }
        None => buf.extend_from_slice(b"null"),
    }
    buf.extend_from_slice(match e.verified {
        Some(true) => b",\"verified\":true",
        Some(false) => b",\"verified\":false",
        None => b",\"verified\":null",
    });
    if let Some(request) = &e.request {
        buf.extend_from_slice(b",\"request\":");
        serde_json::to_writer(&mut *buf, request)?;
    }
    if let Some(data) = &e.data {
        buf.extend_from_slice(b",\"data\":");
        serde_json::to_writer(&mut *buf, data)?;
    }
    extra(buf, &e.extra)?;
    buf.push(b'}');
    Ok(())
}

fn order(buf: &mut Vec<u8>, o: &Order) -> io::Result<()> {
    buf.extend_from_slice(b"{\"order_id\":");
    opt_text(buf, &o.order_id)?;
    buf.extend_from_slice(b",\"awb\":");
    opt_text(buf, &o.awb)?;
    buf.extend_from_slice(b",\"at\":");
    time(buf, o.at);
    buf.extend_from_slice(b",\"date\":");
    time(buf, o.date);
    buf.extend_from_slice(b",\"shipped_at\":");
    time(buf, o.shipped_at);
    buf.extend_from_slice(b",\"finished_at\":");
    time(buf, o.finished_at);
    buf.extend_from_slice(b",\"returned_at\":");
    time(buf, o.returned_at);
    buf.extend_from_slice(b",\"rejected_at\":");
    time(buf, o.rejected_at);
    buf.extend_from_slice(b",\"canceled_at\":");
    time(buf, o.canceled_at);
    buf.extend_from_slice(b",\"reason\":");
    opt_text(buf, &o.reason)?;
    buf.extend_from_slice(b",\"sorting_code\":");
    opt_text(buf, &o.sorting_code)?;
    buf.extend_from_slice(b",\"shipping_cost\":");
    number(buf, &o.shipping_cost)?;
    buf.extend_from_slice(b",\"status\":");
    match &o.status {
        Some(status) => serde_json::to_writer(&mut *buf, status)?,
        None => buf.extend_from_slice(b"null"),
    }
    buf.extend_from_slice(b",\"allocated_at\":");
    time(buf, o.allocated_at);
    buf.extend_from_slice(b",\"paid_at\":");
    time(buf, o.paid_at);
    buf.extend_from_slice(b",\"payment_id\":");
    opt_text(buf, &o.payment_id)?;
    buf.extend_from_slice(match o.insurance {
        Some(true) => b",\"insurance\":true",
        Some(false) => b",\"insurance\":false",
        None => b",\"insurance\":null",
    });
    buf.extend_from_slice(b",\"insurance_amount\":");
    number(buf, &o.insurance_amount)?;
    if !o.unreadable_times.is_empty() {
        buf.extend_from_slice(b",\"unreadable_times\":");
        serde_json::to_writer(&mut *buf, &o.unreadable_times)?;
    }
    extra(buf, &o.extra)?;
    buf.push(b'}');
    Ok(())
}

fn payment(buf: &mut Vec<u8>, p: &Payment) -> io::Result<()> {
    buf.extend_from_slice(b"{\"payment_id\":");
    opt_text(buf, &p.payment_id)?;
    buf.extend_from_slice(b",\"amount\":");
    number(buf, &p.amount)?;
    buf.extend_from_slice(b",\"status\":");
    serde_json::to_writer(&mut *buf, &p.status)?;
    buf.extend_from_slice(b",\"status_code\":");
    serde_json::to_writer(&mut *buf, &p.status_code)?;
    buf.extend_from_slice(b",\"qr_content\":");
    opt_text(buf, &p.qr_content)?;
    buf.extend_from_slice(b",\"pay_time\":");
    time(buf, p.pay_time);
    extra(buf, &p.extra)?;
    buf.push(b'}');
    Ok(())
}

fn package(buf: &mut Vec<u8>, p: &Package) -> io::Result<()> {
    buf.extend_from_slice(b"{\"awb\":");
    opt_text(buf, &p.awb)?;
    buf.extend_from_slice(b",\"order_id\":");
    opt_text(buf, &p.order_id)?;
    buf.extend_from_slice(b",\"service\":");
    opt_text(buf, &p.service)?;
    buf.extend_from_slice(b",\"service_type\":");
    opt_text(buf, &p.service_type)?;
    buf.extend_from_slice(b",\"status\":");
    serde_json::to_writer(&mut *buf, &p.status)?;
    buf.extend_from_slice(b",\"live_tracking_url\":");
    opt_text(buf, &p.live_tracking_url)?;
    buf.extend_from_slice(b",\"poly_line\":");
    opt_text(buf, &p.poly_line)?;
    for (key, place) in [
        (&b",\"origin\":"[..], &p.origin),
        (b",\"destination\":", &p.destination),
    ] {
        buf.extend_from_slice(key);
        match place {
            Some(place) => {
                buf.extend_from_slice(b"{\"name\":");
                opt_text(buf, &place.name)?;
                buf.extend_from_slice(b",\"address\":");
                opt_text(buf, &place.address)?;
                buf.extend_from_slice(b",\"phone\":");
                opt_text(buf, &place.phone)?;
                buf.extend_from_slice(b",\"latitude\":");
                number(buf, &place.latitude)?;
                buf.extend_from_slice(b",\"longitude\":");
                number(buf, &place.longitude)?;
                extra(buf, &place.extra)?;
                buf.push(b'}');
            }
            None => buf.extend_from_slice(b"null"),
        }
    }
    buf.extend_from_slice(b",\"driver\":");
    match &p.driver {
        Some(driver) => {
            buf.extend_from_slice(b"{\"name\":");
            opt_text(buf, &driver.name)?;
            buf.extend_from_slice(b",\"phone\":");
            opt_text(buf, &driver.phone)?;
            buf.extend_from_slice(b",\"image\":");
            opt_text(buf, &driver.image)?;
            extra(buf, &driver.extra)?;
            buf.push(b'}');
        }
        None => buf.extend_from_slice(b"null"),
    }
    extra(buf, &p.extra)?;
    buf.push(b'}');
    Ok(())
}

/// `,"extra":{…}` when there is something in it.
fn extra(buf: &mut Vec<u8>, extra: &Extra) -> io::Result<()> {
    if !extra.is_empty() {
        buf.extend_from_slice(b",\"extra\":");
        serde_json::to_writer(&mut *buf, extra)?;
    }
    Ok(())
}

/// A JSON string: as it is when nothing in it needs escaping, else serde_json's escaping.
fn text(buf: &mut Vec<u8>, s: &str) -> io::Result<()> {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serde_json::to_writer(&mut *buf, s)?;
    } else {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
    Ok(())
}

fn opt_text(buf: &mut Vec<u8>, s: &Option<String>) -> io::Result<()> {
    match s {
        Some(s) => text(buf, s),
        None => {
            buf.extend_from_slice(b"null");
            Ok(())
        }
    }
}

fn number(buf: &mut Vec<u8>, n: &Option<Number>) -> io::Result<()> {
    match n {
        Some(n) => serde_json::to_writer(&mut *buf, n)?,
        None => buf.extend_from_slice(b"null"),
    }
    Ok(())
}

fn time(buf: &mut Vec<u8>, t: Option<Moment>) {
    match t {
        Some(t) => {
            buf.push(b'"');
            t.write_rfc3339(buf);
            buf.push(b'"');
        }
        None => buf.extend_from_slice(b"null"),
    }
}
