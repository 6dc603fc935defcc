//! The normalized push event: what `decode-event --json` promises, and what it says about itself.
//!
//! KiriminAja POSTs `{"method": ..., "data": ...}` to a merchant's callback URL
//! (`../shared/api/push-events.md`). [`Event`] is what we make of it: the `decode-event --json`
//! schema documented in the README, and what the human renderer and the store read. Getting there
//! from the bytes is [`crate::push::decode`]; the payload as sent is [`crate::push::raw`].
//!
//! What each method means (event name, words, category, time field) is data, in
//! [`crate::push::methods`]; this module only asks it.
//!
//! This module is pure: no I/O, no configuration, no decoding.

use std::fmt;

use serde::Serialize;
use serde_json::{Number, Value};

use crate::lenient::Extra;
pub use crate::push::methods::{
    DataShape, EventName, METHODS, Method, TimeField, UNKNOWN, method_info,
};
pub use crate::push::raw::{Driver, Place};
use crate::status::{Category, InstantStatus, Status};
use crate::time::Moment;

/// One payload as `kiriminaja decode-event --json` reports it. Field order is the schema's.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// The method as the provider wrote it.
    pub method: String,
    pub event: EventName,
    /// The method is deprecated (`return_finished_packages`).
    pub deprecated: bool,
    /// An instant delivery: an instant method, or a package with `service_type` instant.
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
    /// Keys of the envelope besides `method`, `data`, `payment` and `packages`, as given.
    #[serde(skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
    /// The method's row of [`METHODS`] (or [`UNKNOWN`]).
    #[serde(skip)]
    pub info: &'static Method,
}

/// One entry of `data`. Times are RFC 3339 in WIB, or null.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Order {
    pub order_id: Option<String>,
    pub awb: Option<String>,
    /// The time the event is about (see [`Method::at`]); null when the event does not say it.
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
    /// `instant_allocated_packages`: when the driver was allocated.
    pub allocated_at: Option<Moment>,
    /// `instant_payment_confirmed`: when the payment was confirmed.
    pub paid_at: Option<Moment>,
    /// `instant_payment_confirmed` names a payment, not an order.
    pub payment_id: Option<String>,
    /// `instant_validated_packages`: whether the delivery is insured, and for how much.
    pub insurance: Option<bool>,
    pub insurance_amount: Option<Number>,
    /// Time fields whose value was sent but is not a time (a documentation placeholder such as
    /// `"(shipped date)"`): the key as sent and the value as given. The field itself is null.
    #[serde(skip_serializing_if = "Extra::is_empty")]
    pub unreadable_times: Extra,
    /// Keys not read into the fields above, as given (the legacy instant object's driver,
    /// service, prices and other times among them).
    #[serde(skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Order {
    /// One of the order's times.
    pub fn time(&self, field: TimeField) -> Option<Moment> {
        match field {
            TimeField::Date => self.date,
            TimeField::ShippedAt => self.shipped_at,
            TimeField::FinishedAt => self.finished_at,
            TimeField::ReturnedAt => self.returned_at,
            TimeField::RejectedAt => self.rejected_at,
            TimeField::CanceledAt => self.canceled_at,
            TimeField::AllocatedAt => self.allocated_at,
            TimeField::PaidAt => self.paid_at,
        }
    }
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
    #[serde(skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
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
    #[serde(skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Package {
    pub fn is_instant(&self) -> bool {
        self.service_type
            .as_deref()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("instant"))
    }
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
    /// A captured request with neither `Content-Length` nor `Transfer-Encoding`: its head does
    /// not say where its body ends, so it cannot vouch for it.
    UnannouncedLength,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::NotPost => "not POST",
            Problem::NotJson => "not JSON content type",
            Problem::MissingBearer => "missing bearer",
            Problem::WrongBearer => "wrong bearer",
            Problem::SeveralAuthorizations => "more than one Authorization header",
            Problem::UnannouncedLength => "no Content-Length (the body's end is not announced)",
        })
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
        if self.return_under_way() {
            return (Category::Transit, false);
        }
        (self.info.category, self.info.delivered)
    }

    /// A `returned_packages` event whose (first) order has no `returned_at`: the provider says a
    /// return is done only when `returned_at` is filled, so the parcel is still on its way back.
    pub fn return_under_way(&self) -> bool {
        self.event == EventName::Returned
            && self.info.replaced_by.is_none()
            && self.orders.first().is_some_and(|o| o.returned_at.is_none())
    }

    /// Every time field the payload sent that is not a time, as `(key, value)`.
    pub fn unreadable_times(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.orders.iter().flat_map(|o| o.unreadable_times.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::decode::from_value;
    use serde_json::json;

    fn event(value: Value) -> Event {
        from_value(value).unwrap()
    }

    #[test]
    fn a_return_without_returned_at_is_under_way() {
        let e = event(json!({"method": "returned_packages",
                             "data": [{"order_id": "X", "returned_at": null}]}));
        assert!(e.return_under_way());
        assert_eq!(e.category(), (Category::Transit, false));
        let e = event(json!({"method": "returned_packages",
                             "data": [{"order_id": "X", "returned_at": "2022-05-05 00:00:00"}]}));
        assert!(!e.return_under_way());
        assert_eq!(e.category(), (Category::Final, false));
        // The deprecated method says the return is done by being sent at all.
        let e = event(json!({"method": "return_finished_packages",
                             "data": [{"order_id": "X", "date": "2022-05-05 00:00:00"}]}));
        assert_eq!(e.category(), (Category::Final, false));
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
}
