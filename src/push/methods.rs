//! The push method table: every method KiriminAja has been seen or documented to send, as data.
//! What each one is called in our output, what it means in words, the category it puts an order
//! in, which order time it is about, the shape of its `data`, and whether only instant deliveries
//! send it. A new method is one row here; decoding ([`crate::push::decode`]), the human view and
//! the store's implied status ([`crate::push::implied`]) read it from this table.

use serde::Serialize;

use crate::status::Category;

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
    /// An instant delivery's driver was allocated (`instant_allocated_packages`).
    Allocated,
    /// An instant order's payment was confirmed (`instant_payment_confirmed`).
    PaymentConfirmed,
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
    AllocatedAt,
    PaidAt,
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
    /// What it means, for people: at most 35 characters, so that a header fits 80 columns.
    pub meaning: &'static str,
    /// The category the event puts an order in (for coloring, like `track`).
    pub category: Category,
    /// Whether the event means "delivered to the recipient" (colored as such).
    pub delivered: bool,
    /// For a deprecated method, the method that replaces it.
    pub replaced_by: Option<&'static str>,
    /// The order time the event is about; `None` when the method has none (its `at` is null).
    /// There is no fallback to another time: an event's `at` is only ever what it says.
    pub at: Option<TimeField>,
    pub data: DataShape,
    /// Only instant deliveries send it (the `instant_*` methods, `update_instant_packages`).
    pub instant: bool,
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
        at: Some(at),
        data: DataShape::List,
        instant: false,
    }
}

/// A row of the instant methods the provider documented from 2023 to early 2024.
const fn instant(
    name: &'static str,
    event: EventName,
    meaning: &'static str,
    category: Category,
    at: Option<TimeField>,
) -> Method {
    Method {
        instant: true,
        at,
        ..method(name, event, meaning, category, TimeField::Date)
    }
}

/// Every method in the provider's docs. The one place that says what a method means.
pub const METHODS: &[Method] = &[
    method(
        "processed_packages",
        EventName::Processed,
        "AWB created, awaiting the courier",
        Category::New,
        TimeField::Date,
    ),
    method(
        "shipped_packages",
        EventName::Shipped,
        "picked up, on its way",
        Category::Transit,
        TimeField::ShippedAt,
    ),
    method(
        "canceled_packages",
        EventName::Canceled,
        "canceled by the system or courier",
        Category::Final,
        TimeField::CanceledAt,
    ),
    Method {
        delivered: true,
        ..method(
            "finished_packages",
            EventName::Finished,
            "delivered to the recipient",
            Category::Final,
            TimeField::FinishedAt,
        )
    },
    method(
        "returned_packages",
        EventName::Returned,
        "sent back to the sender",
        Category::Final,
        TimeField::ReturnedAt,
    ),
    Method {
        replaced_by: Some("returned_packages"),
        ..method(
            "return_finished_packages",
            EventName::Returned,
            "returned to the sender",
            Category::Final,
            TimeField::Date,
        )
    },
    method(
        "validated_packages",
        EventName::Validated,
        "checked; the cost may be corrected",
        Category::New,
        TimeField::Date,
    ),
    method(
        "rejected_packages",
        EventName::Rejected,
        "the shipment was rejected",
        Category::Final,
        TimeField::RejectedAt,
    ),
    Method {
        data: DataShape::Object,
        instant: true,
        ..method(
            "update_instant_packages",
            EventName::InstantUpdate,
            "an instant delivery changed status",
            Category::Unknown,
            TimeField::Date,
        )
    },
    instant(
        "instant_allocated_packages",
        EventName::Allocated,
        "a driver was allocated",
        Category::New,
        Some(TimeField::AllocatedAt),
    ),
    // Its documented body has no time at all.
    instant(
        "instant_validated_packages",
        EventName::Validated,
        "checked; cost and insurance set",
        Category::New,
        None,
    ),
    Method {
        delivered: true,
        ..instant(
            "instant_finished_packages",
            EventName::Finished,
            "delivered to the recipient",
            Category::Final,
            Some(TimeField::FinishedAt),
        )
    },
    instant(
        "instant_rejected_packages",
        EventName::Rejected,
        "the delivery was rejected",
        Category::Final,
        Some(TimeField::RejectedAt),
    ),
    instant(
        "instant_canceled_packages",
        EventName::Canceled,
        "the delivery was canceled",
        Category::Final,
        Some(TimeField::CanceledAt),
    ),
    // Keyed by `payment_id`: it names no order.
    instant(
        "instant_payment_confirmed",
        EventName::PaymentConfirmed,
        "the payment was confirmed",
        Category::New,
        Some(TimeField::PaidAt),
    ),
];

/// What a method not in [`METHODS`] is shown as.
pub const UNKNOWN: Method = Method {
    data: DataShape::Any,
    at: None,
    ..method(
        "",
        EventName::Unknown,
        "unknown method, data as given",
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
