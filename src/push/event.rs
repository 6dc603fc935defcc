//! Push (webhook) events: one payload in, one normalized [`Event`] out.
//!
//! KiriminAja POSTs `{"method": ..., "data": ...}` to a merchant's callback URL
//! (`../shared/api/push-events.md`). `Raw*` types mirror what the provider sends and accept every
//! known drift (the [`crate::lenient`] readers); [`Event`] is what we promise: the `decode-event
//! --json` schema documented in the README, and what the human renderer reads.
//!
//! What each method means (event name, words, category) is data: [`METHODS`]. Package status
//! codes go through [`status::lookup`], instant string statuses through [`status::lookup_instant`].
//!
//! This module is pure: no I/O, no configuration. Framing the input and checking requests live
//! beside it in `push`, printing in `render::event`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::lenient;
use crate::model::json_kind;
use crate::status::{self, Category, InstantStatus, Status};
use crate::time::Moment;

/// The normalized name of what happened, the `event` field of the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventName {
    Processed,
    Shipped,
    Canceled,
    Finished,
    Returned,
    Validated,
    Rejected,
    InstantUpdate,
    Unknown,
}

/// Which order time an event is about (the `at` field of its orders).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    Date,
    ShippedAt,
    FinishedAt,
    ReturnedAt,
    RejectedAt,
    CanceledAt,
}

/// The JSON type `data` must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataShape {
    /// `data: [{...}, ...]`: the express methods.
    List,
    /// `data: {...}`: the legacy `update_instant_packages` (a list of objects is accepted too).
    Object,
    /// Anything: unknown methods keep their data as given.
    Any,
}

/// One row of the method table.
#[derive(Debug, PartialEq, Eq)]
pub struct Method {
    /// The provider's method name.
    pub name: &'static str,
    pub event: EventName,
    /// What the event means, in words, for people.
    pub meaning: &'static str,
    /// The category the event puts an order in (for coloring, like `track`).
    pub category: Category,
    /// Whether the event means "delivered to the recipient" (colored as such).
    pub delivered: bool,
    /// For a deprecated method, the method that replaces it.
    pub replaced_by: Option<&'static str>,
    pub at: TimeField,
    pub data: DataShape,
}

const fn method(
    name: &'static str,
    event: EventName,
    meaning: &'static str,
    category: Category,
    at: TimeField,
) -> Method {
    Method {
        name,
        event,
        meaning,
        category,
        delivered: false,
        replaced_by: None,
        at,
        data: DataShape::List,
    }
}

/// Every method in the provider's docs. The one place that says what a method means.
pub const METHODS: &[Method] = &[
    method(
        "processed_packages",
        EventName::Processed,
        "processed — order accepted and AWB created, waiting for the courier",
        Category::New,
        TimeField::Date,
    ),
    method(
        "shipped_packages",
        EventName::Shipped,
        "shipped — picked up and on its way with the courier",
        Category::Transit,
        TimeField::ShippedAt,
    ),
    method(
        "canceled_packages",
        EventName::Canceled,
        "canceled — canceled by the system, or flagged for a courier (3PL) reason",
        Category::Final,
        TimeField::CanceledAt,
    ),
    Method {
        delivered: true,
        ..method(
            "finished_packages",
            EventName::Finished,
            "finished — delivered to the recipient",
            Category::Final,
            TimeField::FinishedAt,
        )
    },
    method(
        "returned_packages",
        EventName::Returned,
        "returned — sent back to the sender (RTS); a return time means it arrived there",
        Category::Final,
        TimeField::ReturnedAt,
    ),
    Method {
        replaced_by: Some("returned_packages"),
        ..method(
            "return_finished_packages",
            EventName::Returned,
            "returned — the return to the sender is finished",
            Category::Final,
            TimeField::Date,
        )
    },
    method(
        "validated_packages",
        EventName::Validated,
        "validated — checked by the courier; the shipping cost may be corrected",
        Category::New,
        TimeField::Date,
    ),
    method(
        "rejected_packages",
        EventName::Rejected,
        "rejected — the shipment was rejected",
        Category::Final,
        TimeField::RejectedAt,
    ),
    Method {
        data: DataShape::Object,
        ..method(
            "update_instant_packages",
            EventName::InstantUpdate,
            "instant update — an instant delivery changed status",
            Category::Unknown,
            TimeField::Date,
        )
    },
];

/// What a method not in [`METHODS`] is shown as.
pub const UNKNOWN: Method = Method {
    data: DataShape::Any,
    ..method(
        "",
        EventName::Unknown,
        "unknown method — its data is shown as given",
        Category::Unknown,
        TimeField::Date,
    )
};

/// Finds a method by name: exact, case-insensitive, or singular (the provider writes "plural or
/// singular": `finished_package` is `finished_packages`).
pub fn method_info(name: &str) -> Option<&'static Method> {
    let name = name.trim();
    let find = |wanted: &str| METHODS.iter().find(|m| m.name.eq_ignore_ascii_case(wanted));
    find(name).or_else(|| {
        let lower = name.to_ascii_lowercase();
        lower
            .ends_with("_package")
            .then(|| find(&format!("{lower}s")))
            .flatten()
    })
}

/// One payload as `kiriminaja decode-event --json` reports it. Field order is the schema's.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// The method as the provider wrote it.
    pub method: String,
    pub event: EventName,
    /// The method is deprecated (`return_finished_packages`).
    pub deprecated: bool,
    /// An instant delivery: the legacy instant method, or a package with `service_type` instant.
    pub instant: bool,
    pub orders: Vec<Order>,
    pub payment: Option<Payment>,
    pub packages: Option<Vec<Package>>,
    /// Whether the captured HTTP request carried the configured key; `None` when that could not
    /// be decided (no request, or no key). Set by the command, not by decoding.
    pub verified: Option<bool>,
    /// The captured HTTP request the payload came in, if it came in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
    /// An unknown method's `data`, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// The method's row of [`METHODS`] (or [`UNKNOWN`]).
    #[serde(skip)]
    pub info: &'static Method,
}

/// One entry of `data`. Times are RFC 3339 in WIB, or null.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Order {
    pub order_id: Option<String>,
    pub awb: Option<String>,
    /// The time the event is about (see [`Method::at`]), else `date`.
    pub at: Option<Moment>,
    pub date: Option<Moment>,
    pub shipped_at: Option<Moment>,
    pub finished_at: Option<Moment>,
    pub returned_at: Option<Moment>,
    pub rejected_at: Option<Moment>,
    pub canceled_at: Option<Moment>,
    pub reason: Option<String>,
    pub sorting_code: Option<String>,
    pub shipping_cost: Option<Number>,
    /// The legacy instant event's string status; null for the express methods.
    pub status: Option<InstantStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentState {
    Paid,
    Unpaid,
    Unknown,
}

impl PaymentState {
    /// `0` paid, `9` unpaid (a string or a number, already read as an integer); anything else
    /// is unknown.
    pub fn from_code(code: Option<i64>) -> PaymentState {
        match code {
            Some(0) => PaymentState::Paid,
            Some(9) => PaymentState::Unpaid,
            _ => PaymentState::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Paid => "paid",
            PaymentState::Unpaid => "unpaid",
            PaymentState::Unknown => "unknown",
        }
    }
}

/// The `payment` object of a complete event.
#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub payment_id: Option<String>,
    pub amount: Option<Number>,
    pub status: PaymentState,
    pub status_code: Option<i64>,
    pub qr_content: Option<String>,
    pub pay_time: Option<Moment>,
}

/// One entry of `packages` in a complete event.
#[derive(Debug, Clone, Serialize)]
pub struct Package {
    pub awb: Option<String>,
    pub order_id: Option<String>,
    /// The courier (`jne`, `gosend`, …).
    pub service: Option<String>,
    pub service_type: Option<String>,
    pub status: Status,
    pub live_tracking_url: Option<String>,
    pub poly_line: Option<String>,
    pub origin: Option<Place>,
    pub destination: Option<Place>,
    pub driver: Option<Driver>,
}

impl Package {
    pub fn is_instant(&self) -> bool {
        self.service_type
            .as_deref()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("instant"))
    }
}

/// A package's origin or destination.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Place {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub latitude: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub longitude: Option<Number>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Driver {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub image: Option<String>,
}

/// The captured HTTP request a payload came in, as the command checked it. Never holds the
/// `Authorization` header.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// As the sender reported it: anyone can send any user agent, so it proves nothing.
    pub user_agent: Option<String>,
    pub problems: Vec<Problem>,
}

/// Why a captured request is not a genuine push from KiriminAja.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    NotPost,
    NotJson,
    MissingBearer,
    WrongBearer,
    /// More than one `Authorization` header: a genuine push sends one, so which would count?
    SeveralAuthorizations,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::NotPost => "not POST",
            Problem::NotJson => "not JSON content type",
            Problem::MissingBearer => "missing bearer",
            Problem::WrongBearer => "wrong bearer",
            Problem::SeveralAuthorizations => "more than one Authorization header",
        })
    }
}

#[derive(Debug, Default, Deserialize)]
struct RawOrder {
    #[serde(default, deserialize_with = "lenient::string")]
    order_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    awb: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    date: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    shipped_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    finished_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    returned_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    rejected_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    canceled_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    reason: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    sorting_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    shipping_cost: Option<Number>,
    #[serde(default, deserialize_with = "lenient::string")]
    status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawPayment {
    #[serde(default, deserialize_with = "lenient::string")]
    payment_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    amount: Option<Number>,
    #[serde(default, deserialize_with = "lenient::int")]
    status_code: Option<i64>,
    #[serde(default, deserialize_with = "lenient::string")]
    qr_content: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pay_time: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawPackage {
    #[serde(default, deserialize_with = "lenient::string")]
    awb: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    order_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    service: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    service_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::int")]
    status: Option<i64>,
    #[serde(default, deserialize_with = "lenient::string")]
    live_tracking_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    poly_line: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    origin: Option<Place>,
    #[serde(default, deserialize_with = "lenient::object")]
    destination: Option<Place>,
    #[serde(default, deserialize_with = "lenient::object")]
    driver: Option<Driver>,
}

/// The envelope's optional parts, read leniently.
#[derive(Debug, Default, Deserialize)]
struct RawExtras {
    #[serde(default, deserialize_with = "lenient::object")]
    payment: Option<RawPayment>,
    #[serde(default, deserialize_with = "lenient::objects")]
    packages: Option<Vec<RawPackage>>,
}

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
    fn from_json(err: &serde_json::Error) -> DecodeError {
        // serde_json's message ends with " at line L column C"; the position is kept apart.
        let text = err.to_string();
        let message = match text.rsplit_once(" at line ") {
            Some((message, _)) if err.line() > 0 => message.to_owned(),
            _ => text,
        };
        DecodeError::Syntax {
            message,
            line: err.line(),
            column: err.column(),
            truncated: err.is_eof(),
        }
    }
}

/// The usual payload: a method and a list of order objects, with the optional parts.
#[derive(Deserialize)]
struct Usual {
    method: String,
    data: Vec<RawOrder>,
    #[serde(default, deserialize_with = "lenient::object")]
    payment: Option<RawPayment>,
    #[serde(default, deserialize_with = "lenient::objects")]
    packages: Option<Vec<RawPackage>>,
}

/// Decodes one payload from its JSON text.
pub fn decode(bytes: &[u8]) -> Result<Event, DecodeError> {
    // The usual payload (a known method whose `data` is a list of orders) goes straight into
    // typed parts: building a `Value` tree first costs a third of a large stream's time. Anything
    // else (a fault to describe, an unknown method, the legacy single object) takes the general
    // way below, which words every error.
    if let Ok(usual) = serde_json::from_slice::<Usual>(bytes)
        && let Some(info) = method_info(&usual.method).filter(|m| m.data == DataShape::List)
    {
        let orders = usual
            .data
            .into_iter()
            .map(|raw| Order::from_raw(info, raw))
            .collect();
        return Ok(assemble(
            usual.method,
            info,
            usual.payment,
            usual.packages,
            orders,
            None,
        ));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| DecodeError::from_json(&e))?;
    from_value(value)
}

/// Decodes one payload from a parsed JSON value.
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
        Some(Value::String(name)) => name,
        Some(other) => return Err(DecodeError::BadMethod(json_kind(&other))),
    };
    let data = match envelope.remove("data") {
        None => return Err(DecodeError::MissingData),
        Some(data) => data,
    };
    let info = method_info(&method).unwrap_or(&UNKNOWN);
    let extras = RawExtras::deserialize(Value::Object(envelope)).unwrap_or_default();
    let (orders, data) = match info.data {
        DataShape::Any => (Vec::new(), Some(data)),
        DataShape::List => (orders(info, data, "an array of orders")?, None),
        DataShape::Object => (orders(info, data, "an order object")?, None),
    };
    Ok(assemble(
        method,
        info,
        extras.payment,
        extras.packages,
        orders,
        data,
    ))
}

/// The event from its decoded parts.
fn assemble(
    method: String,
    info: &'static Method,
    payment: Option<RawPayment>,
    packages: Option<Vec<RawPackage>>,
    orders: Vec<Order>,
    data: Option<Value>,
) -> Event {
    let packages: Option<Vec<Package>> =
        packages.map(|list| list.into_iter().map(Package::from_raw).collect());
    let payment = payment.map(Payment::from_raw);
    let instant = info.event == EventName::InstantUpdate
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
            let raw = RawOrder::deserialize(item).unwrap_or_default();
            Ok(Order::from_raw(info, raw))
        })
        .collect()
}

impl Order {
    fn from_raw(info: &Method, raw: RawOrder) -> Order {
        let time = |t: &Option<String>| t.as_deref().and_then(Moment::parse);
        let mut order = Order {
            order_id: raw.order_id,
            awb: raw.awb,
            at: None,
            date: time(&raw.date),
            shipped_at: time(&raw.shipped_at),
            finished_at: time(&raw.finished_at),
            returned_at: time(&raw.returned_at),
            rejected_at: time(&raw.rejected_at),
            canceled_at: time(&raw.canceled_at),
            reason: raw.reason.map(|r| r.trim().to_owned()),
            sorting_code: raw.sorting_code,
            shipping_cost: raw.shipping_cost,
            status: (info.event == EventName::InstantUpdate)
                .then(|| status::lookup_instant(raw.status.as_deref())),
        };
        order.at = order.time(info.at).or(order.date);
        order
    }

    /// One of the order's times.
    pub fn time(&self, field: TimeField) -> Option<Moment> {
        match field {
            TimeField::Date => self.date,
            TimeField::ShippedAt => self.shipped_at,
            TimeField::FinishedAt => self.finished_at,
            TimeField::ReturnedAt => self.returned_at,
            TimeField::RejectedAt => self.rejected_at,
            TimeField::CanceledAt => self.canceled_at,
        }
    }
}

impl Payment {
    fn from_raw(raw: RawPayment) -> Payment {
        Payment {
            payment_id: raw.payment_id,
            amount: raw.amount,
            status: PaymentState::from_code(raw.status_code),
            status_code: raw.status_code,
            qr_content: raw.qr_content,
            pay_time: raw.pay_time.as_deref().and_then(Moment::parse),
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
        }
    }
}

impl Event {
    /// The category to show the event under, and whether it means delivered: the method's,
    /// or for the legacy instant event its (first) order's status.
    pub fn category(&self) -> (Category, bool) {
        if self.event == EventName::InstantUpdate
            && let Some(status) = self.orders.first().and_then(|o| o.status.as_ref())
        {
            return (status.category, status.is_delivered());
        }
        (self.info.category, self.info.delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
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
            let fast = decode(&bytes).map(|e| serde_json::to_value(&e).unwrap());
            let general = from_value(serde_json::from_slice(&bytes).unwrap())
                .map(|e| serde_json::to_value(&e).unwrap());
            assert_eq!(fast, general, "{}", path.display());
            compared += 1;
        }
        assert!(compared >= 10);
    }

    fn event(value: Value) -> Event {
        from_value(value).unwrap()
    }

    #[test]
    fn table_names_are_unique_and_findable() {
        for m in METHODS {
            assert_eq!(method_info(m.name), Some(m));
            assert_eq!(METHODS.iter().filter(|n| n.name == m.name).count(), 1);
        }
        assert_eq!(
            method_info("finished_package").map(|m| m.name),
            Some("finished_packages")
        );
        assert_eq!(
            method_info(" Shipped_Packages ").map(|m| m.event),
            Some(EventName::Shipped)
        );
        assert_eq!(method_info("teleported_packages"), None);
        assert_eq!(method_info("_package"), None);
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
    fn at_falls_back_to_date() {
        let e = event(json!({"method": "canceled_packages",
                             "data": [{"order_id": "X", "date": "2022-05-05 00:00:00"}]}));
        assert_eq!(
            e.orders[0].at.unwrap().to_string(),
            "2022-05-05T00:00:00+07:00"
        );
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
    fn payment_codes() {
        assert_eq!(PaymentState::from_code(Some(0)), PaymentState::Paid);
        assert_eq!(PaymentState::from_code(Some(9)), PaymentState::Unpaid);
        assert_eq!(PaymentState::from_code(Some(1)), PaymentState::Unknown);
        assert_eq!(PaymentState::from_code(None), PaymentState::Unknown);
        let e = event(json!({"method": "processed_packages", "data": [],
                             "payment": {"status_code": 9}}));
        assert_eq!(e.payment.unwrap().status, PaymentState::Unpaid);
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
    fn legacy_instant_object() {
        let e = event(json!({"method": "update_instant_packages",
                             "data": {"order_id": "BDI-1", "status": "delivered",
                                      "date": "2025-01-21 14:20:00"}}));
        assert_eq!(e.event, EventName::InstantUpdate);
        assert!(e.instant);
        assert_eq!(e.orders.len(), 1);
        let status = e.orders[0].status.as_ref().unwrap();
        assert!(status.is_delivered());
        assert_eq!(e.category(), (Category::Final, true));
        let e = event(json!({"method": "update_instant_packages",
                             "data": [{"order_id": "BDI-1", "status": "no_driver"}]}));
        assert_eq!(e.category(), (Category::Attempt, false));
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
            matches!(err, DecodeError::Syntax { line: 2, column: 13, truncated: false, ref message } if message == "expected value"),
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

    proptest! {
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
