//! Decoding a push: the bytes (or a parsed JSON value) of one payload in, one normalized
//! [`Event`] out, or the [`DecodeError`] that says why not.
//!
//! The payload is read through the lenient `Raw*` types of [`crate::push::raw`], which accept
//! every known drift; the method table ([`crate::push::methods`]) says what shape `data` has and
//! which time the event is about. Package status codes go through [`status::lookup`], instant
//! string statuses through [`status::lookup_instant`].
//!
//! This module is pure: no I/O, no configuration. Framing the input and checking requests live
//! beside it in `push`, printing in `render::event`.

use std::fmt;

use serde::de::Deserialize;
use serde_json::Value;

use crate::lenient::{self, Extra};
use crate::model::json_kind;
use crate::push::event::{Event, Order, Package, Payment, PaymentState};
use crate::push::methods::{DataShape, EventName, Method, TimeField, UNKNOWN, method_info};
use crate::push::raw::{AliasOf, RawData, RawEnvelope, RawOrder, RawPackage, RawPayment};
use crate::status;
use crate::time::Moment;

/// Why a payload cannot be decoded. Positions in [`DecodeError::Syntax`] are relative to the
/// bytes given to [`decode`] (line and column from 1, columns in bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON, or JSON that stops early (`truncated`).
    Syntax {
        message: String,
        line: usize,
        column: usize,
        truncated: bool,
    },
    /// JSON, but not an object.
    NotObject(&'static str),
    MissingMethod,
    /// `method` is there but is not a non-empty string (the JSON kind it is).
    BadMethod(&'static str),
    MissingData,
    /// `data` has the wrong JSON type for the method.
    BadData {
        method: &'static str,
        expected: &'static str,
        found: &'static str,
    },
    /// An entry of `data` is not an object.
    BadEntry {
        index: usize,
        found: &'static str,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Syntax {
                message,
                truncated: true,
                ..
            } => write!(f, "truncated JSON: {message}"),
            DecodeError::Syntax { message, .. } => write!(f, "not valid JSON: {message}"),
            DecodeError::NotObject(kind) => write!(
                f,
                "expected a JSON object with `method` and `data`, found {kind}"
            ),
            DecodeError::MissingMethod => f.write_str("no `method` in the payload"),
            DecodeError::BadMethod(kind) => {
                write!(f, "`method` is {kind}, expected the method name (a string)")
            }
            DecodeError::MissingData => f.write_str("no `data` in the payload"),
            DecodeError::BadData {
                method,
                expected,
                found,
            } => write!(f, "`data` is {found}, expected {expected} for {method}"),
            DecodeError::BadEntry { index, found } => {
                write!(f, "`data[{index}]` is {found}, expected an order object")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    fn from_json(err: &serde_json::Error, bytes: &[u8]) -> DecodeError {
        // serde_json's message ends with " at line L column C"; the position is kept apart.
        let text = err.to_string();
        let mut message = match text.rsplit_once(" at line ") {
            Some((message, _)) if err.line() > 0 => message.to_owned(),
            _ => text,
        };
        // "expected ident" alone does not say what was there instead.
        if !err.is_eof()
            && let Some(found) = found_at(bytes, err.line(), err.column())
        {
            message.push_str(&format!(", found `{found}`"));
        }
        DecodeError::Syntax {
            message,
            line: err.line(),
            column: err.column(),
            truncated: err.is_eof(),
        }
    }
}

/// What stands at a parser error's position (line and column from 1): the word it is in, or the
/// character, cleaned and short.
fn found_at(bytes: &[u8], line: usize, column: usize) -> Option<String> {
    let start = bytes
        .split(|b| *b == b'\n')
        .take(line.checked_sub(1)?)
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let mut at = (start + column.checked_sub(1)?).min(bytes.len());
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.';
    while at > start && word(bytes[at - 1]) {
        at -= 1;
    }
    let rest = bytes.get(at..)?;
    let end = match rest.first() {
        Some(b) if word(*b) => rest.iter().position(|b| !word(*b)).unwrap_or(rest.len()),
        Some(_) => 1,
        None => return None,
    };
    let found = String::from_utf8_lossy(&rest[..end.min(24)]);
    let found = crate::text::clean(&found);
    (!found.is_empty()).then_some(found)
}

/// Decodes one payload from its JSON text.
pub fn decode(bytes: &[u8]) -> Result<Event, DecodeError> {
    // A leading byte-order mark (a Windows tool's JSON) is not part of the payload: skipped
    // here, so that `listen`, a log record and a file all read such a body alike.
    let bytes = crate::input::skip_bom(bytes);
    // The quick way: a known method with `data` of its shape is read straight from the text into
    // typed parts (building a `Value` tree first costs a third of a large stream's time). Anything
    // else (a fault to describe, an unknown method, whose `data` is kept as given) takes the
    // general way below, which words every error.
    // The text is checked to be UTF-8 once, so that the parser need not check each string.
    if let Ok(text) = std::str::from_utf8(bytes)
        && let Ok(raw) = serde_json::from_str::<RawEnvelope>(text)
        && let Some(event) = quick(raw)
    {
        return Ok(event);
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| DecodeError::from_json(&e, bytes))?;
    from_value(value)
}

/// The event of a usual payload read by [`decode`]; `None` for anything the general way must see.
fn quick(raw: RawEnvelope) -> Option<Event> {
    let Some(Value::String(method)) = raw.method else {
        return None;
    };
    let info = method_info(&method)?;
    let orders = match (info.data, raw.data) {
        (DataShape::List | DataShape::Object, Some(RawData::List(mut list))) => Some(
            list.iter_mut()
                .map(|raw| Order::from_raw(info, raw))
                .collect(),
        ),
        (DataShape::Object, Some(RawData::Object(mut one))) => {
            Some(vec![Order::from_raw(info, &mut one)])
        }
        // The orders are those of `packages` (as the provider's own plugin reads such a body).
        (DataShape::List | DataShape::Object, None) if raw.packages.is_some() => None,
        _ => return None,
    };
    Some(assemble(
        method,
        info,
        raw.payment,
        raw.packages,
        orders,
        None,
        raw.extra,
    ))
}

/// Decodes one payload from a parsed JSON value. [`decode`] gives the same event for the same
/// text, except that the order of a JSON object's keys is lost in a `Value` (so `extra` keys come
/// sorted, and the legacy object's fallback time is the first time field by name).
pub fn from_value(value: Value) -> Result<Event, DecodeError> {
    let Value::Object(mut envelope) = value else {
        return Err(DecodeError::NotObject(json_kind(&value)));
    };
    let method = match envelope.remove("method") {
        None | Some(Value::Null) => return Err(DecodeError::MissingMethod),
        Some(Value::String(name)) if name.trim().is_empty() => {
            return Err(DecodeError::BadMethod("an empty string"));
        }
        Some(Value::String(name)) if name.trim().chars().any(char::is_control) => {
            return Err(DecodeError::BadMethod("a string with control characters"));
        }
        // Provider text like any other: an unknown method is printed as given, so scrubbed.
        Some(Value::String(name)) => crate::scrub::string(name),
        Some(other) => return Err(DecodeError::BadMethod(json_kind(&other))),
    };
    let data = match envelope.remove("data") {
        // A body with `packages` and no `data` (or a null one): its orders are the packages'.
        None | Some(Value::Null) if envelope.get("packages").is_some_and(Value::is_array) => None,
        None => return Err(DecodeError::MissingData),
        Some(mut data) => {
            // An unknown method's `data` is shown as given: scrubbed first.
            let _ = crate::scrub::value(&mut data);
            Some(data)
        }
    };
    let info = method_info(&method).unwrap_or(&UNKNOWN);
    let rest = RawEnvelope::deserialize(Value::Object(envelope)).unwrap_or_default();
    let (orders, data) = match (info.data, data) {
        (DataShape::Any, data) => (Some(Vec::new()), data),
        (_, None) => (None, None),
        (DataShape::List, Some(data)) => (Some(orders(info, data, "an array of orders")?), None),
        (DataShape::Object, Some(data)) => (Some(orders(info, data, "an order object")?), None),
    };
    Ok(assemble(
        method,
        info,
        rest.payment,
        rest.packages,
        orders,
        data,
        rest.extra,
    ))
}

/// The event from its decoded parts. `orders` is `None` for a body without `data`: its orders
/// are then its packages' (order id and AWB; no time, since the body says none).
fn assemble(
    method: String,
    info: &'static Method,
    payment: Option<RawPayment>,
    packages: Option<Vec<RawPackage>>,
    orders: Option<Vec<Order>>,
    data: Option<Value>,
    extra: Extra,
) -> Event {
    let packages: Option<Vec<Package>> =
        packages.map(|list| list.into_iter().map(Package::from_raw).collect());
    let orders = orders.unwrap_or_else(|| {
        packages
            .iter()
            .flatten()
            .map(|p| Order {
                order_id: p.order_id.clone(),
                awb: p.awb.clone(),
                ..Order::default()
            })
            .collect()
    });
    let payment = payment.map(Payment::from_raw);
    let instant = info.instant
        || packages
            .as_deref()
            .is_some_and(|p| p.iter().any(Package::is_instant));
    Event {
        method,
        event: info.event,
        deprecated: info.replaced_by.is_some(),
        instant,
        orders,
        payment,
        packages,
        verified: None,
        request: None,
        data,
        extra,
        info,
    }
}

/// Reads `data` as the method expects it: a list of order objects, or (for the legacy instant
/// method) one order object.
fn orders(info: &Method, data: Value, expected: &'static str) -> Result<Vec<Order>, DecodeError> {
    let items = match (info.data, data) {
        (_, Value::Array(items)) => items,
        (DataShape::Object, item @ Value::Object(_)) => vec![item],
        (_, other) => {
            return Err(DecodeError::BadData {
                method: info.name,
                expected,
                found: json_kind(&other),
            });
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            if !item.is_object() {
                return Err(DecodeError::BadEntry {
                    index,
                    found: json_kind(&item),
                });
            }
            // Every field is lenient, so an object always reads; the default is only a guard.
            let mut raw = RawOrder::deserialize(item).unwrap_or_default();
            Ok(Order::from_raw(info, &mut raw))
        })
        .collect()
}

impl Order {
    /// The order from what the provider sent, taken out of `raw`.
    fn from_raw(info: &Method, raw: &mut RawOrder) -> Order {
        let mut order = Order {
            order_id: raw.order_id.take(),
            awb: raw.awb.take(),
            at: None,
            date: raw.date,
            shipped_at: raw.shipped_at,
            finished_at: raw.finished_at,
            returned_at: raw.returned_at,
            rejected_at: raw.rejected_at,
            canceled_at: raw.canceled_at,
            reason: raw.reason.take().map(|r| r.trim().to_owned()),
            sorting_code: raw.sorting_code.take(),
            shipping_cost: raw.shipping_cost.take(),
            status: None,
            allocated_at: raw.allocated_at,
            paid_at: raw.paid_at,
            payment_id: raw.payment_id.take(),
            insurance: raw.insurance,
            insurance_amount: raw.insurance_amount.take(),
            unreadable_times: std::mem::take(&mut raw.unreadable_times),
            extra: std::mem::take(&mut raw.extra),
        };
        let mut event_time = None;
        for (key, of, value) in raw.aliases.drain(..) {
            let placed = match of {
                AliasOf::Reason if order.reason.is_none() => {
                    order.reason =
                        lenient::value_to_string(value.clone()).map(|r| r.trim().to_owned());
                    order.reason.is_some()
                }
                AliasOf::Time(field) if order.time(field).is_none() => {
                    let moment = value.as_str().and_then(Moment::parse);
                    order.set_time(field, moment);
                    moment.is_some()
                }
                AliasOf::EventTime if event_time.is_none() => {
                    event_time = value.as_str().and_then(Moment::parse);
                    event_time.is_some()
                }
                _ => false,
            };
            if !placed {
                order.extra.insert(key.to_owned(), value);
            }
        }
        let status = raw.status.take();
        if info.event == EventName::InstantUpdate {
            let text = status.and_then(lenient::value_to_string);
            order.status = Some(status::lookup_instant(text.as_deref()));
        } else if let Some(status) = status {
            // The express methods have no order status: the key is kept as given.
            order.extra.insert("status".to_owned(), status);
        }
        // The time the event is about, and nothing else: a canceled order's `date` (when it was
        // created) is not when it was canceled.
        order.at = info.at.and_then(|field| order.time(field));
        if info.event == EventName::InstantUpdate {
            // The legacy object: its own event time, else its `date`, else (when it has none of
            // the known times) a time it sent under another name.
            order.at = event_time.or(order.at);
            if order.at.is_none() && !order.has_time() {
                order.at = legacy_time(&order.extra);
            }
        }
        order
    }

    /// Whether any of the known time fields holds a time.
    fn has_time(&self) -> bool {
        [
            self.date,
            self.shipped_at,
            self.finished_at,
            self.returned_at,
            self.rejected_at,
            self.canceled_at,
            self.allocated_at,
            self.paid_at,
        ]
        .iter()
        .any(Option::is_some)
    }

    fn set_time(&mut self, field: TimeField, moment: Option<Moment>) {
        *match field {
            TimeField::Date => &mut self.date,
            TimeField::ShippedAt => &mut self.shipped_at,
            TimeField::FinishedAt => &mut self.finished_at,
            TimeField::ReturnedAt => &mut self.returned_at,
            TimeField::RejectedAt => &mut self.rejected_at,
            TimeField::CanceledAt => &mut self.canceled_at,
            TimeField::AllocatedAt => &mut self.allocated_at,
            TimeField::PaidAt => &mut self.paid_at,
        } = moment;
    }
}

/// The time of a legacy instant object that has none of the known time fields: the first of its
/// other fields, in the order sent, whose name ends in `_at` or `_date` (or is `date`) and whose
/// value reads as a time. The provider never documented this object's shape; its times have been
/// seen under such names (`updated_at`, `delivered_at`, …).
fn legacy_time(extra: &Extra) -> Option<Moment> {
    extra
        .iter()
        .filter(|(key, _)| *key == "date" || key.ends_with("_at") || key.ends_with("_date"))
        .find_map(|(_, value)| value.as_str().and_then(Moment::parse))
}

impl Payment {
    fn from_raw(raw: RawPayment) -> Payment {
        Payment {
            payment_id: raw.payment_id,
            amount: raw.amount,
            status: PaymentState::from_code(raw.status_code),
            status_code: raw.status_code,
            qr_content: raw.qr_content,
            pay_time: raw.pay_time,
            extra: raw.extra,
        }
    }
}

impl Package {
    fn from_raw(raw: RawPackage) -> Package {
        Package {
            awb: raw.awb,
            order_id: raw.order_id,
            service: raw.service,
            service_type: raw.service_type,
            status: status::lookup(raw.status),
            live_tracking_url: raw.live_tracking_url,
            poly_line: raw.poly_line,
            origin: raw.origin,
            destination: raw.destination,
            driver: raw.driver,
            extra: raw.extra,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::event::{Problem, Request};
    use crate::push::methods::METHODS;
    use crate::status::Category;
    use proptest::prelude::*;
    use serde_json::Number;
    use serde_json::json;

    #[test]
    fn the_fast_path_and_the_general_path_agree() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/events");
        let mut compared = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            // `Value` objects lose the order of keys, which picks a legacy object's fallback
            // time (the first `_at`/`_date` field sent): that `at` is left out of the comparison.
            let comparable = |e: Event| {
                let mut json = serde_json::to_value(&e).unwrap();
                if e.event == EventName::InstantUpdate && json["orders"][0]["date"].is_null() {
                    json["orders"][0]["at"] = Value::Null;
                }
                json
            };
            let fast = decode(&bytes).map(comparable);
            let general = from_value(serde_json::from_slice(&bytes).unwrap()).map(comparable);
            assert_eq!(fast, general, "{}", path.display());
            compared += 1;
        }
        assert!(compared >= 10);
    }

    fn event(value: Value) -> Event {
        from_value(value).unwrap()
    }

    #[test]
    fn short_event_with_wib_times() {
        let e = event(json!({
            "method": "canceled_packages",
            "data": [{"order_id": "X", "date": "2022-05-05 00:00:00",
                      "canceled_at": "2022-05-05 01:30:00", "reason": " 3pl rejection "}]
        }));
        assert_eq!(e.event, EventName::Canceled);
        assert!(!e.deprecated && !e.instant);
        assert!(e.payment.is_none() && e.packages.is_none());
        let o = &e.orders[0];
        assert_eq!(o.at.unwrap().to_string(), "2022-05-05T01:30:00+07:00");
        assert_eq!(o.date.unwrap().to_string(), "2022-05-05T00:00:00+07:00");
        assert_eq!(o.reason.as_deref(), Some("3pl rejection"));
        assert!(o.status.is_none());
    }

    #[test]
    fn at_is_only_the_time_the_event_says() {
        // The complete canceled_packages has no `canceled_at`: its `date` is when the order was
        // created, not when it was canceled.
        let body = json!({"method": "canceled_packages",
                          "data": [{"order_id": "X", "date": "2022-05-05 00:00:00"}]});
        for e in [
            event(body.clone()),
            decode(body.to_string().as_bytes()).unwrap(),
        ] {
            assert_eq!(e.orders[0].at, None);
            assert!(e.orders[0].date.is_some());
        }
        for (method, at) in [
            ("shipped_packages", None),
            ("finished_packages", None),
            ("processed_packages", Some("2022-05-05T00:00:00+07:00")),
            ("validated_packages", Some("2022-05-05T00:00:00+07:00")),
            (
                "return_finished_packages",
                Some("2022-05-05T00:00:00+07:00"),
            ),
            ("instant_validated_packages", None),
        ] {
            let e = event(json!({"method": method,
                                 "data": [{"order_id": "X", "date": "2022-05-05 00:00:00"}]}));
            assert_eq!(
                e.orders[0].at.map(|m| m.to_string()).as_deref(),
                at,
                "{method}"
            );
        }
    }

    #[test]
    fn the_six_instant_methods() {
        let cases = [
            (
                json!({"method": "instant_allocated_packages",
                    "data": [{"order_id": "OID-1", "allocated_at": "2022-07-08 00:00:00"}]}),
                EventName::Allocated,
                Category::New,
                false,
            ),
            (
                json!({"method": "instant_validated_packages",
                    "data": [{"order_id": "OID-1", "shipping_cost": 20000, "insurance": true,
                              "insurance_amount": 5000}]}),
                EventName::Validated,
                Category::New,
                false,
            ),
            (
                json!({"method": "instant_finished_packages",
                    "data": [{"order_id": "OID-1", "finished_at": "2022-07-08 00:00:00"}]}),
                EventName::Finished,
                Category::Final,
                true,
            ),
            (
                json!({"method": "instant_rejected_packages",
                    "data": [{"order_id": "OID-1", "rejected_at": "2022-07-08 00:00:00",
                              "rejected_reason": "Destination not found"}]}),
                EventName::Rejected,
                Category::Final,
                false,
            ),
            (
                json!({"method": "instant_canceled_packages",
                    "data": [{"order_id": "OID-1", "canceled_at": "2022-07-08 00:00:00",
                              "canceled_reason": "Wait too long"}]}),
                EventName::Canceled,
                Category::Final,
                false,
            ),
            (
                json!({"method": "instant_payment_confirmed",
                    "data": [{"payment_id": "PID-00001", "paid_at": "2022-07-08 00:00:00"}]}),
                EventName::PaymentConfirmed,
                Category::New,
                false,
            ),
        ];
        for (body, name, category, delivered) in cases {
            let e = decode(body.to_string().as_bytes()).unwrap();
            assert_eq!(e.event, name, "{body}");
            assert!(e.instant, "{body}");
            assert_eq!(e.category(), (category, delivered), "{body}");
            assert!(
                e.orders[0].extra.is_empty(),
                "{body}: {:?}",
                e.orders[0].extra
            );
            let at = e.orders[0].at.map(|m| m.to_string());
            if name == EventName::Validated {
                assert_eq!(at, None);
            } else {
                assert_eq!(at.as_deref(), Some("2022-07-08T00:00:00+07:00"), "{body}");
            }
        }
        let e = event(json!({"method": "instant_validated_packages",
                             "data": [{"order_id": "OID-1", "insurance": "true",
                                       "insurance_amount": "5000"}]}));
        assert_eq!(e.orders[0].insurance, Some(true));
        assert_eq!(e.orders[0].insurance_amount, Some(Number::from(5000)));
        let e = event(json!({"method": "instant_rejected_packages",
                             "data": [{"order_id": "OID-1", "rejected_reason": " far "}]}));
        assert_eq!(e.orders[0].reason.as_deref(), Some("far"));
        let e = event(json!({"method": "instant_payment_confirmed",
                             "data": [{"payment_id": "PID-00001", "paid_at": "2022-07-08 00:00:00"}]}));
        assert_eq!(e.orders[0].order_id, None);
        assert_eq!(e.orders[0].payment_id.as_deref(), Some("PID-00001"));
    }

    #[test]
    fn an_alias_never_overwrites_its_field() {
        let e = event(json!({"method": "instant_canceled_packages",
                             "data": [{"order_id": "OID-1", "reason": "mine",
                                       "canceled_reason": "theirs",
                                       "canceled_at": "2022-07-08 00:00:00",
                                       "cancel_date": "2022-07-09 00:00:00"}]}));
        let o = &e.orders[0];
        assert_eq!(o.reason.as_deref(), Some("mine"));
        assert_eq!(o.extra.get("canceled_reason"), Some(&json!("theirs")));
        assert_eq!(
            o.canceled_at.unwrap().to_string(),
            "2022-07-08T00:00:00+07:00"
        );
        assert_eq!(
            o.extra.get("cancel_date"),
            Some(&json!("2022-07-09 00:00:00"))
        );
    }

    #[test]
    fn a_body_with_packages_and_no_data() {
        let body = json!({"method": "shipped_packages",
                          "packages": [{"awb": "GK-1", "order_id": "BDI-1", "service": "gosend",
                                        "service_type": "instant", "status": 106}]});
        for e in [
            event(body.clone()),
            decode(body.to_string().as_bytes()).unwrap(),
        ] {
            assert_eq!(e.orders.len(), 1);
            assert_eq!(e.orders[0].order_id.as_deref(), Some("BDI-1"));
            assert_eq!(e.orders[0].awb.as_deref(), Some("GK-1"));
            assert_eq!(e.orders[0].at, None);
            assert!(e.instant);
            assert_eq!(e.packages.as_ref().unwrap().len(), 1);
        }
        let e = decode(
            br#"{"method": "shipped_packages", "data": null, "packages": [{"order_id": "X"}]}"#,
        )
        .unwrap();
        assert_eq!(e.orders[0].order_id.as_deref(), Some("X"));
        // Without packages either, there is still nothing to read.
        assert_eq!(
            decode(br#"{"method": "shipped_packages", "packages": {}}"#).unwrap_err(),
            DecodeError::MissingData
        );
    }

    #[test]
    fn legacy_instant_times_are_normalized() {
        let body = json!({"method": "update_instant_packages",
                          "data": {"order_id": "BDI-1", "status": "cancel",
                                   "cancel_date": "2025-01-21T07:30:00.000000Z",
                                   "cancel_reason": "driver not found",
                                   "rejected_date": "2025-01-21T07:20:00.000000Z",
                                   "event_date": "2025-01-21T07:31:02.123456Z"}});
        for e in [
            event(body.clone()),
            decode(body.to_string().as_bytes()).unwrap(),
        ] {
            let o = &e.orders[0];
            assert_eq!(
                o.canceled_at.unwrap().to_string(),
                "2025-01-21T14:30:00+07:00"
            );
            assert_eq!(
                o.rejected_at.unwrap().to_string(),
                "2025-01-21T14:20:00+07:00"
            );
            assert_eq!(
                o.at.unwrap().to_string(),
                "2025-01-21T14:31:02.123456+07:00"
            );
            assert_eq!(o.reason.as_deref(), Some("driver not found"));
            assert!(o.extra.is_empty(), "{:?}", o.extra);
        }
    }

    #[test]
    fn placeholder_times_are_null_and_noted() {
        let e = decode(
            br#"{"method":"shipped_packages","data":[{"order_id":"X","shipped_at":"(shipped date)","date":"2022-05-05 00:00:00","finished_at":""}]}"#,
        )
        .unwrap();
        let o = &e.orders[0];
        assert_eq!(o.shipped_at, None);
        assert_eq!(o.at, None);
        assert_eq!(
            o.unreadable_times.get("shipped_at"),
            Some(&json!("(shipped date)"))
        );
        // Empty is missing, not unreadable.
        assert_eq!(o.unreadable_times.iter().count(), 1);
        assert_eq!(e.unreadable_times().count(), 1);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json["orders"][0]["unreadable_times"]["shipped_at"],
            "(shipped date)"
        );
        assert_eq!(json["orders"][0]["shipped_at"], Value::Null);
    }

    #[test]
    fn complete_event_with_utc_times_and_drift() {
        let e = event(json!({
            "method": "shipped_packages",
            "extra": true,
            "data": [{"order_id": 123, "awb": "GK-1", "date": "2025-01-21T07:00:36.000000Z",
                      "shipped_at": "2025-01-21T07:01:06.000000Z", "finished_at": null,
                      "returned_at": "", "reason": null}],
            "payment": {"payment_id": "PID-1", "amount": "30500", "status_code": "0",
                        "qr_content": null, "pay_time": "2025-01-21T07:00:40.000000Z"},
            "packages": [{"awb": "GK-1", "service": "gosend", "service_type": "instant",
                          "status": "106", "origin": {"name": "Okka", "latitude": -7.8},
                          "destination": "oops", "driver": {"name": null}},
                         "not a package"]
        }));
        assert!(e.instant);
        let o = &e.orders[0];
        assert_eq!(o.order_id.as_deref(), Some("123"));
        assert_eq!(o.at.unwrap().to_string(), "2025-01-21T14:01:06+07:00");
        assert_eq!(o.returned_at, None);
        let p = e.payment.unwrap();
        assert_eq!(p.amount, Some(Number::from(30500)));
        assert_eq!(p.status, PaymentState::Paid);
        assert_eq!(p.pay_time.unwrap().to_string(), "2025-01-21T14:00:40+07:00");
        let packages = e.packages.unwrap();
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].status.code, Some(106));
        assert_eq!(packages[0].status.category, Category::Transit);
        assert!(packages[0].destination.is_none());
    }

    #[test]
    fn syntax_errors_say_what_was_found() {
        for (input, found) in [
            (&b"not json"[..], "`not`"),
            (b"{\"method\": nope}", "`nope`"),
            (b"{\"method\": \"x\",\n \"data\": [1,]}", "`]`"),
        ] {
            let err = decode(input).unwrap_err().to_string();
            assert!(err.contains(&format!("found {found}")), "{err}");
        }
        let err = decode(b"{\"method\": ").unwrap_err().to_string();
        assert!(!err.contains("found"), "{err}");
    }

    #[test]
    fn deprecated_method() {
        let e = event(json!({"method": "return_finished_packages",
                             "data": [{"order_id": "OID-1", "date": "2021-03-31 00:00:00"}]}));
        assert_eq!(e.event, EventName::Returned);
        assert!(e.deprecated);
        assert_eq!(e.info.replaced_by, Some("returned_packages"));
        assert!(e.orders[0].at.is_some());
    }

    #[test]
    fn an_express_order_keeps_its_status_under_extra() {
        let e = decode(br#"{"method":"shipped_packages","data":[{"order_id":"X","status":105}]}"#)
            .unwrap();
        assert!(e.orders[0].status.is_none());
        assert_eq!(e.orders[0].extra.get("status"), Some(&json!(105)));
    }

    #[test]
    fn unknown_method_keeps_data() {
        let e = event(json!({"method": "teleported_packages", "data": "anything"}));
        assert_eq!(e.event, EventName::Unknown);
        assert_eq!(e.data, Some(json!("anything")));
        assert!(e.orders.is_empty());
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["data"], "anything");
        assert_eq!(json["verified"], Value::Null);
        assert!(json.get("request").is_none());
    }

    #[test]
    fn bad_payloads() {
        assert!(matches!(
            decode(b"{\"method\": \"x\", \"data\": ["),
            Err(DecodeError::Syntax {
                truncated: true,
                ..
            })
        ));
        let err = decode(b"{\n  \"method\": @}").unwrap_err();
        assert!(
            matches!(err, DecodeError::Syntax { line: 2, column: 13, truncated: false, ref message } if message == "expected value, found `@`"),
            "{err:?}"
        );
        assert_eq!(
            decode(b"[1]").unwrap_err(),
            DecodeError::NotObject("an array")
        );
        assert_eq!(
            decode(br#"{"data": []}"#).unwrap_err(),
            DecodeError::MissingMethod
        );
        assert_eq!(
            decode(br#"{"method": 7, "data": []}"#).unwrap_err(),
            DecodeError::BadMethod("a number")
        );
        assert_eq!(
            decode(br#"{"method": " ", "data": []}"#).unwrap_err(),
            DecodeError::BadMethod("an empty string")
        );
        assert_eq!(
            decode(br#"{"method": "shipped_packages"}"#).unwrap_err(),
            DecodeError::MissingData
        );
        let err =
            decode(br#"{"method": "shipped_packages", "data": {"order_id": "X"}}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`data` is an object, expected an array of orders for shipped_packages"
        );
        let err =
            decode(br#"{"method": "update_instant_packages", "data": "delivered"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`data` is a string, expected an order object for update_instant_packages"
        );
        assert_eq!(
            decode(br#"{"method": "finished_packages", "data": [{}, 3]}"#).unwrap_err(),
            DecodeError::BadEntry {
                index: 1,
                found: "a number"
            }
        );
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z0-9 :._-]{0,24}".prop_map(Value::from),
            Just(Value::from("2025-01-09T06:02:03.000000Z")),
            Just(Value::from("2022-05-05 00:00:00")),
            Just(Value::from("(shipped date)")),
            prop::sample::select(METHODS.iter().map(|m| m.name).collect::<Vec<_>>())
                .prop_map(Value::from),
        ];
        let keys = prop_oneof![
            prop::sample::select(vec![
                "method",
                "data",
                "payment",
                "packages",
                "order_id",
                "awb",
                "date",
                "shipped_at",
                "finished_at",
                "status",
                "status_code",
                "amount",
                "service_type",
                "origin",
                "driver",
                "latitude",
            ])
            .prop_map(str::to_owned),
            "[a-z_]{1,8}",
        ];
        leaf.prop_recursive(4, 64, 8, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                prop::collection::btree_map(keys.clone(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    const ORDER_KEYS: &[&str] = &[
        "order_id",
        "awb",
        "date",
        "shipped_at",
        "finished_at",
        "returned_at",
        "rejected_at",
        "canceled_at",
        "reason",
        "sorting_code",
        "shipping_cost",
        "status",
        "allocated_at",
        "paid_at",
        "payment_id",
        "insurance",
        "insurance_amount",
    ];
    /// Other names of order fields: read into their field, or kept under `extra`.
    const ALIAS_KEYS: &[&str] = &[
        "rejected_reason",
        "canceled_reason",
        "cancel_reason",
        "rejection_note",
        "cancel_date",
        "rejected_date",
        "event_date",
    ];
    const ORDER_AND_ALIAS_KEYS: &[&str] = &[
        "order_id",
        "date",
        "shipped_at",
        "paid_at",
        "reason",
        "canceled_at",
        "rejected_reason",
        "cancel_reason",
        "cancel_date",
        "event_date",
        "insurance",
    ];
    const PAYMENT_KEYS: &[&str] = &[
        "payment_id",
        "amount",
        "status_code",
        "qr_content",
        "pay_time",
    ];
    const PACKAGE_KEYS: &[&str] = &[
        "awb",
        "order_id",
        "service",
        "service_type",
        "status",
        "live_tracking_url",
        "poly_line",
        "origin",
        "destination",
        "driver",
    ];
    const PLACE_KEYS: &[&str] = &["name", "address", "phone", "latitude", "longitude"];
    const DRIVER_KEYS: &[&str] = &["name", "phone", "image"];

    /// An object with some of `known` keys and some others, any values.
    fn arb_object(known: &'static [&'static str]) -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            prop::sample::select(known).prop_map(str::to_owned),
            "[a-z_]{1,10}"
        ];
        prop::collection::btree_map(key, arb_json(), 0..8)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
    }

    fn arb_package() -> impl Strategy<Value = Value> {
        (
            arb_object(PACKAGE_KEYS),
            arb_object(PLACE_KEYS),
            arb_object(DRIVER_KEYS),
            any::<bool>(),
        )
            .prop_map(|(mut package, place, driver, nested)| {
                if nested {
                    package["origin"] = place;
                    package["driver"] = driver;
                }
                package
            })
    }

    /// Every key of `input` is a field of `output` if the reader knows it, else in
    /// `output.extra` with its value as given.
    fn accounted(input: &Value, output: &Value, known: &[&str]) -> Result<(), TestCaseError> {
        let Value::Object(input) = input else {
            return Ok(());
        };
        for (key, value) in input {
            if ALIAS_KEYS.contains(&key.as_str()) {
                // Read into its field (which then holds something), or kept as given.
                if let Some(kept) = output.get("extra").and_then(|x| x.get(key)) {
                    prop_assert_eq!(kept, value);
                }
            } else if known.contains(&key.as_str()) {
                prop_assert!(output.get(key).is_some(), "{key} not in {output}");
                prop_assert!(output.get("extra").and_then(|x| x.get(key)).is_none());
            } else {
                prop_assert_eq!(
                    output.get("extra").and_then(|x| x.get(key)),
                    Some(value),
                    "{} of {}",
                    key,
                    output
                );
            }
        }
        Ok(())
    }

    proptest! {
        /// Nothing the provider sent vanishes: every key of every object of the payload is in
        /// the normalized fields or in `extra`.
        #[test]
        fn every_key_is_kept(
            method in prop::sample::select(METHODS.iter().map(|m| m.name).collect::<Vec<_>>()),
            orders in prop::collection::vec(
                prop_oneof![arb_object(ORDER_KEYS), arb_object(ORDER_AND_ALIAS_KEYS)], 0..3),
            payment in arb_object(PAYMENT_KEYS),
            packages in prop::collection::vec(arb_package(), 0..3),
            envelope in arb_object(&["method", "data", "payment", "packages"]),
        ) {
            let mut input = envelope;
            input["method"] = json!(method);
            input["data"] = match (method, orders.first()) {
                ("update_instant_packages", Some(one)) => one.clone(),
                _ => Value::from(orders.clone()),
            };
            input["payment"] = payment;
            input["packages"] = Value::from(packages);
            let bytes = serde_json::to_vec(&input).unwrap();
            // The payload as a JSON reader sees it (serde_json reads the last digits of some
            // floats differently from how it wrote them).
            let input: Value = serde_json::from_slice(&bytes).unwrap();
            let event = decode(&bytes).unwrap();
            let output = serde_json::to_value(&event).unwrap();
            for key in input.as_object().unwrap().keys() {
                if !["method", "data", "payment", "packages"].contains(&key.as_str()) {
                    prop_assert_eq!(output["extra"].get(key), Some(&input[key]));
                }
            }
            let data = match &input["data"] {
                Value::Array(list) => list.clone(),
                one => vec![one.clone()],
            };
            prop_assert_eq!(data.len(), event.orders.len());
            // An order `status` is read only for the legacy instant method; the express
            // methods keep it under `extra`.
            let order_keys: Vec<&str> = ORDER_KEYS
                .iter()
                .copied()
                .filter(|k| *k != "status" || method == "update_instant_packages")
                .collect();
            for (i, order) in data.iter().enumerate() {
                accounted(order, &output["orders"][i], &order_keys)?;
            }
            accounted(&input["payment"], &output["payment"], PAYMENT_KEYS)?;
            let packages = input["packages"].as_array().unwrap();
            for (i, package) in packages.iter().enumerate() {
                let out = &output["packages"][i];
                accounted(package, out, PACKAGE_KEYS)?;
                for (key, known) in [("origin", PLACE_KEYS), ("destination", PLACE_KEYS), ("driver", DRIVER_KEYS)] {
                    if package[key].is_object() {
                        accounted(&package[key], &out[key], known)?;
                    }
                }
            }
        }

        /// The JSON line written by hand is serde_json's, byte for byte, for any payload.
        #[test]
        fn the_written_line_is_serde_jsons(
            method in prop::sample::select(
                METHODS.iter().map(|m| m.name).chain(["odd_packages"]).collect::<Vec<_>>()),
            orders in prop::collection::vec(arb_object(ORDER_KEYS), 0..3),
            payment in arb_json(),
            packages in prop::collection::vec(arb_package(), 0..3),
            envelope in arb_object(&["method", "data"]),
            verified in prop::option::of(any::<bool>()),
            text in "[ -~\\t\\n\"\\\\é\\u{7f}\\u{1b}]{0,12}",
        ) {
            let mut input = envelope;
            input["method"] = json!(method);
            input["data"] = Value::from(orders);
            input["payment"] = payment;
            input["packages"] = Value::from(packages);
            input["data"].as_array_mut().unwrap().push(json!({"order_id": text, "reason": text}));
            if let Ok(mut event) = decode(&serde_json::to_vec(&input).unwrap()) {
                event.verified = verified;
                if verified.is_some() {
                    event.request = Some(Request {
                        method: "POST".into(),
                        path: text.clone(),
                        user_agent: None,
                        problems: vec![Problem::WrongBearer],
                    });
                }
                let mut line = Vec::new();
                crate::render::json::event_line(&mut line, &event).unwrap();
                prop_assert_eq!(
                    String::from_utf8(line).unwrap(),
                    serde_json::to_string(&event).unwrap()
                );
            }
        }

        #[test]
        fn any_json_decodes_or_fails_cleanly(value in arb_json()) {
            if let Ok(e) = from_value(value) {
                let _ = serde_json::to_string(&e).unwrap();
                let _ = e.category();
            }
        }

        #[test]
        fn any_envelope_decodes_or_fails_cleanly(
            method in prop::sample::select(
                METHODS.iter().map(|m| m.name).chain(["odd_packages"]).collect::<Vec<_>>()),
            data in arb_json(),
            payment in arb_json(),
            packages in arb_json(),
        ) {
            let value = json!({"method": method, "data": data, "payment": payment,
                               "packages": packages});
            if let Ok(e) = from_value(value) {
                let _ = serde_json::to_string(&e).unwrap();
            }
        }

        #[test]
        fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = decode(&bytes);
        }
    }
}
