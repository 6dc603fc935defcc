//! The status a push implies: what the store records when a push is all it has heard.
//!
//! A complete event carries each package's own status code, which wins. Otherwise the method
//! says what happened, and this table maps its [`EventName`] to a row of the one status table
//! ([`crate::status`]); the legacy instant event carries an instant string status, read through
//! [`status::lookup_instant_as_status`].
//!
//! `returned_packages` is the one method whose meaning depends on its data: with a
//! `returned_at` the return is done (400); without one it is still under way (401, not final).
//!
//! The `instant_*` methods (documented 2023 to early 2024) map to the instant string statuses
//! where one says the same (allocated, delivered, canceled); a rejection is the express table's
//! "canceled by the system". `instant_validated_packages` (a cost check) and
//! `instant_payment_confirmed` (which names no order) say nothing about where a delivery is.

use crate::push::event::{Event, EventName, Order};
use crate::status::{self, Status};

/// Method → status code, for the methods whose meaning is one code.
const IMPLIED: &[(EventName, i64)] = &[
    // "AWB created, awaiting the courier": just created, or queued for pickup.
    (EventName::Processed, 101),
    (EventName::Validated, 102),
    (EventName::Shipped, 100),
    (EventName::Finished, status::DELIVERED),
    (EventName::Canceled, CANCELED_BY_SYSTEM),
    // A rejected shipment will not move: the table's "canceled by the system" is the final
    // status that says so.
    (EventName::Rejected, CANCELED_BY_SYSTEM),
];

/// "Canceled by the system": final.
const CANCELED_BY_SYSTEM: i64 = 300;

/// A return completed.
const RETURN_DONE: i64 = 400;
/// A return under way.
const RETURN_UNDER_WAY: i64 = 401;

/// The status `order` of `event` is in, or `None` when the event does not say (an unknown
/// method, an instant update without a status).
pub fn status_of(event: &Event, order: &Order) -> Option<Status> {
    if let Some(package) = event.packages.iter().flatten().find(|p| {
        (p.order_id.is_some() && p.order_id == order.order_id)
            || (p.awb.is_some() && p.awb == order.awb)
    }) && package.status.code.is_some()
    {
        return Some(package.status.clone());
    }
    match event.event {
        EventName::InstantUpdate => order
            .status
            .as_ref()
            .and_then(|s| s.code.as_deref())
            .map(status::lookup_instant_as_status),
        EventName::Returned => {
            // The deprecated `return_finished_packages` only ever announced a finished return.
            let done = order.returned_at.is_some() || event.deprecated;
            Some(status::lookup(Some(if done {
                RETURN_DONE
            } else {
                RETURN_UNDER_WAY
            })))
        }
        EventName::Unknown | EventName::PaymentConfirmed => None,
        name if crate::push::event::method_info(&event.method).is_some_and(|m| m.instant) => {
            match name {
                EventName::Allocated => Some(status::INSTANT_ALLOCATED),
                EventName::Finished => Some(status::INSTANT_DELIVERED),
                EventName::Canceled => Some(status::INSTANT_CANCELED),
                EventName::Rejected => return Some(status::lookup(Some(CANCELED_BY_SYSTEM))),
                _ => None,
            }
            .map(status::lookup_instant_as_status)
        }
        name => IMPLIED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, code)| status::lookup(Some(*code))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Category;
    use serde_json::json;

    fn status(payload: serde_json::Value) -> Option<Status> {
        let event = crate::push::decode::decode(payload.to_string().as_bytes()).unwrap();
        status_of(&event, &event.orders[0])
    }

    #[test]
    fn every_known_express_method_implies_a_status() {
        for m in crate::push::event::METHODS {
            // The legacy instant update carries its own string status; these two say nothing
            // about where a delivery is.
            if m.event == EventName::InstantUpdate
                || m.event == EventName::PaymentConfirmed
                || m.name == "instant_validated_packages"
            {
                continue;
            }
            let s = status(json!({"method": m.name, "data": [{"order_id": "A"}]}))
                .unwrap_or_else(|| panic!("{}", m.name));
            // The method table and the status table agree on finality, except for a return
            // that is still under way.
            if m.name != "returned_packages" {
                assert_eq!(s.is_final, m.category == Category::Final, "{}", m.name);
            }
        }
    }

    #[test]
    fn a_return_without_returned_at_is_under_way() {
        let under_way = status(json!({"method": "returned_packages", "data": [{"order_id": "A"}]}));
        assert_eq!(under_way.as_ref().and_then(|s| s.code), Some(401));
        assert!(!under_way.unwrap().is_final);
        let done = status(json!({"method": "returned_packages",
            "data": [{"order_id": "A", "returned_at": "2025-01-01 10:00:00"}]}))
        .unwrap();
        assert_eq!(done.code, Some(400));
        assert!(done.is_final);
    }

    #[test]
    fn instant_updates_and_unknown_methods() {
        let s = status(json!({"method": "update_instant_packages",
            "data": {"order_id": "A", "status": "picked_up"}}))
        .unwrap();
        assert_eq!(s.instant_code.as_deref(), Some("picked_up"));
        let unknown = crate::push::decode::decode(
            br#"{"method": "teleported", "data": [{"order_id": "A"}]}"#,
        )
        .unwrap();
        assert_eq!(status_of(&unknown, &Order::default()), None);
    }
}
