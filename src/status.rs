//! The tracking status table: code → label, category and finality.
//!
//! This is the only place status codes are interpreted. Every renderer and the JSON output read
//! from [`lookup`]. The data is `../shared/api/status-codes.md`; the provider may add codes at
//! any time, so an unknown code is a value ([`Category::Unknown`]), never an error.

use serde::Serialize;

/// The coarse state a status code puts a parcel in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Waiting for the courier.
    New,
    /// With the courier.
    Transit,
    /// Delivery trouble or a re-attempt.
    Attempt,
    /// Delivery has stopped (delivered or not).
    Final,
    /// A code this table does not know, or no code at all.
    Unknown,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::New => "new",
            Category::Transit => "transit",
            Category::Attempt => "attempt",
            Category::Final => "final",
            Category::Unknown => "unknown",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: i64,
    pub category: Category,
    pub is_final: bool,
    pub label: &'static str,
}

const fn row(code: i64, category: Category, is_final: bool, label: &'static str) -> Entry {
    Entry {
        code,
        category,
        is_final,
        label,
    }
}

use Category::{Attempt, Final, New, Transit};

/// The code that means "delivered to the recipient".
pub const DELIVERED: i64 = 200;

/// The table itself, in the order of `status-codes.md`.
pub const TABLE: &[Entry] = &[
    row(100, Transit, false, "being shipped"),
    row(101, New, false, "just created, or queued for pickup"),
    row(105, New, false, "waiting for shipping and for an AWB"),
    row(152, Attempt, false, "re-delivery attempt to the recipient"),
    row(200, Final, true, "delivered"),
    row(300, Final, true, "canceled by the system or on request"),
    row(400, Final, true, "returned to sender (return completed)"),
    row(
        401,
        Transit,
        false,
        "being returned to sender (return to origin)",
    ),
    row(402, Final, true, "returned package arrived at the sender"),
    row(500, Attempt, false, "delivery problem (undelivered)"),
    row(555, Final, true, "seized by customs"),
    row(701, Transit, false, "lost in transit"),
    row(702, Transit, false, "damaged in transit"),
    row(703, Final, true, "lost-package claim completed"),
    row(704, Final, true, "damaged-package claim completed"),
    row(102, New, false, "validated by the pickup agent"),
    row(103, Transit, false, "picked up by a KiriminAja driver"),
    row(
        104,
        Transit,
        false,
        "received at a KiriminAja distribution centre",
    ),
    row(106, Transit, false, "carried by the courier"),
    row(107, Attempt, false, "reported by the driver"),
    row(110, New, false, "direct pickup pending"),
    row(210, Transit, false, "SOP breach / over SLA"),
    row(211, Transit, false, "breach resolved"),
    row(301, Attempt, false, "recipient refused the package"),
    row(302, New, false, "pickup canceled by the seller"),
    row(303, Transit, false, "package lost"),
    row(310, Attempt, false, "refused: recipient did not order it"),
    row(311, Attempt, false, "refused: recipient would not pay"),
    row(333, Final, true, "destroyed by the courier"),
    row(350, New, false, "pickup cancellation requested"),
    row(403, Transit, false, "return requested"),
    row(
        404,
        Transit,
        false,
        "courier asked to deliver to the customer",
    ),
    row(405, Attempt, false, "return refused by the seller"),
    row(406, Attempt, false, "return breach"),
    row(901, Attempt, false, "pickup problem"),
    row(902, Attempt, false, "problem at a KiriminAja warehouse"),
    row(903, Attempt, false, "problem on the courier's side"),
    row(904, Attempt, false, "return problem"),
    row(
        905,
        New,
        false,
        "incomplete package data (spreadsheet import)",
    ),
];

/// What a status code means, resolved against [`TABLE`]. Serializes as the `status` object of
/// the JSON schema: `{code, label, category, final}`, plus `instant_code` for an instant
/// delivery (which has no numeric code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub code: Option<i64>,
    pub label: String,
    pub category: Category,
    #[serde(rename = "final")]
    pub is_final: bool,
    /// An instant delivery's status from [`INSTANT_TABLE`] (`"delivered"`). Left out of the JSON
    /// for express parcels, whose status objects stay exactly as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instant_code: Option<String>,
}

impl Status {
    pub fn is_delivered(&self) -> bool {
        self.code == Some(DELIVERED) || self.instant_code.as_deref() == Some(INSTANT_DELIVERED)
    }

    /// The code whose color a renderer gives this status: [`DELIVERED`] for any delivery,
    /// express or instant, so both are painted alike.
    pub fn color_code(&self) -> Option<i64> {
        if self.is_delivered() {
            Some(DELIVERED)
        } else {
            self.code
        }
    }
}

/// Looks a code up. Unknown codes become `unknown (code N)`; a missing code becomes `unknown`.
pub fn lookup(code: Option<i64>) -> Status {
    match code {
        Some(code) => match TABLE.iter().find(|e| e.code == code) {
            Some(e) => Status {
                code: Some(code),
                label: e.label.to_owned(),
                category: e.category,
                is_final: e.is_final,
                instant_code: None,
            },
            None => Status {
                code: Some(code),
                label: format!("unknown (code {code})"),
                category: Category::Unknown,
                is_final: false,
                instant_code: None,
            },
        },
        None => Status {
            code: None,
            label: "unknown".to_owned(),
            category: Category::Unknown,
            is_final: false,
            instant_code: None,
        },
    }
}

/// One row of the instant status table: the string statuses of the legacy
/// `update_instant_packages` push event (`../shared/api/push-events.md`, "Status Code").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstantEntry {
    pub status: &'static str,
    pub category: Category,
    pub is_final: bool,
    pub label: &'static str,
}

const fn instant(
    status: &'static str,
    category: Category,
    is_final: bool,
    label: &'static str,
) -> InstantEntry {
    InstantEntry {
        status,
        category,
        is_final,
        label,
    }
}

/// The instant string status that means "delivered to the recipient".
pub const INSTANT_DELIVERED: &str = "delivered";

/// The instant status of an order still looking for a driver (instant tracking pull only).
pub const INSTANT_FINDING_DRIVER: &str = "finding_driver";
/// The instant status of an order whose driver is allocated (instant tracking pull only).
pub const INSTANT_ALLOCATED: &str = "allocated";
/// The instant status that means "canceled".
pub const INSTANT_CANCELED: &str = "cancel";

/// The instant statuses, in the provider's order, with the category each one puts a delivery in
/// (read the same way as the numeric table: refusal is an attempt, like 301). The last two are
/// not sent by push events: they are what the instant tracking answer's dates say before a
/// pickup (see [`INSTANT_DATES`]).
pub const INSTANT_TABLE: &[InstantEntry] = &[
    instant("picked_up", Transit, false, "picked up by the driver"),
    instant("sent", Transit, false, "on the way to the recipient"),
    instant("no_driver", Attempt, false, "no driver could be allocated"),
    instant(INSTANT_DELIVERED, Final, true, "delivered"),
    instant("cancel", Final, true, "canceled on request"),
    instant(
        "return",
        Attempt,
        false,
        "refused by the recipient, to be returned",
    ),
    instant("returned", Final, true, "returned to the sender"),
    instant(INSTANT_FINDING_DRIVER, New, false, "looking for a driver"),
    instant(INSTANT_ALLOCATED, New, false, "driver allocated"),
];

/// A date field of the instant tracking answer (`result.date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstantDate {
    Created,
    Allocated,
    Finished,
    Canceled,
}

/// What each date of the instant tracking answer means: that answer has no status, so its state
/// is read from which dates are set (`../shared/api/README.md`, "Instant tracking"). In the
/// order of precedence: the current status is the last row whose date is set.
pub const INSTANT_DATES: &[(InstantDate, &str)] = &[
    (InstantDate::Created, INSTANT_FINDING_DRIVER),
    (InstantDate::Allocated, INSTANT_ALLOCATED),
    (InstantDate::Finished, INSTANT_DELIVERED),
    (InstantDate::Canceled, INSTANT_CANCELED),
];

/// The instant status a date of the instant tracking answer stands for.
pub fn instant_date_status(date: InstantDate) -> &'static str {
    INSTANT_DATES
        .iter()
        .find(|(d, _)| *d == date)
        .map_or(INSTANT_CANCELED, |(_, status)| status)
}

/// An instant status as the `status` object of a tracked parcel: label, category and finality
/// from [`INSTANT_TABLE`] (the same as a push event about the same moment), no numeric code.
pub fn lookup_instant_as_status(status: &str) -> Status {
    let instant = lookup_instant(Some(status));
    Status {
        code: None,
        label: instant.label,
        category: instant.category,
        is_final: instant.is_final,
        instant_code: instant.code,
    }
}

/// What an instant string status means: `{code, label, category, final}` like [`Status`], with
/// the provider's string as `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstantStatus {
    pub code: Option<String>,
    pub label: String,
    pub category: Category,
    #[serde(rename = "final")]
    pub is_final: bool,
}

impl InstantStatus {
    pub fn is_delivered(&self) -> bool {
        self.code.as_deref() == Some(INSTANT_DELIVERED)
    }
}

/// Looks an instant status up (trimmed, case-insensitive). Unknown ones become
/// `unknown (status "x")`; a missing one `unknown`.
pub fn lookup_instant(status: Option<&str>) -> InstantStatus {
    let Some(status) = status.map(str::trim).filter(|s| !s.is_empty()) else {
        return InstantStatus {
            code: None,
            label: "unknown".to_owned(),
            category: Category::Unknown,
            is_final: false,
        };
    };
    match INSTANT_TABLE
        .iter()
        .find(|e| e.status.eq_ignore_ascii_case(status))
    {
        Some(e) => InstantStatus {
            code: Some(e.status.to_owned()),
            label: e.label.to_owned(),
            category: e.category,
            is_final: e.is_final,
        },
        None => InstantStatus {
            code: Some(status.to_owned()),
            label: format!("unknown (status {status:?})"),
            category: Category::Unknown,
            is_final: false,
        },
    }
}

/// The widest status a narrow table shows: see [`short_label`].
pub const SHORT_WIDTH: usize = 16;

/// Short forms of the labels of [`TABLE`] and [`INSTANT_TABLE`] wider than [`SHORT_WIDTH`],
/// for a table at 80 columns, where a cut label (`returned package arr…`) says nothing. Keyed
/// by the label, so that both tables share them; a test keeps every long label covered.
const SHORT_LABELS: &[(&str, &str)] = &[
    ("just created, or queued for pickup", "created"),
    ("waiting for shipping and for an AWB", "awaiting AWB"),
    ("re-delivery attempt to the recipient", "re-delivery"),
    ("canceled by the system or on request", "canceled"),
    ("returned to sender (return completed)", "returned"),
    ("being returned to sender (return to origin)", "returning"),
    ("returned package arrived at the sender", "back at sender"),
    ("delivery problem (undelivered)", "delivery problem"),
    ("seized by customs", "seized (customs)"),
    ("damaged in transit", "damaged"),
    ("lost-package claim completed", "lost, claimed"),
    ("damaged-package claim completed", "damaged, claimed"),
    ("validated by the pickup agent", "validated"),
    ("picked up by a KiriminAja driver", "picked up"),
    (
        "received at a KiriminAja distribution centre",
        "at KiriminAja DC",
    ),
    ("carried by the courier", "with courier"),
    ("reported by the driver", "driver report"),
    ("direct pickup pending", "pickup pending"),
    ("SOP breach / over SLA", "over SLA"),
    ("recipient refused the package", "refused"),
    ("pickup canceled by the seller", "pickup canceled"),
    ("refused: recipient did not order it", "not ordered"),
    ("refused: recipient would not pay", "refused to pay"),
    ("destroyed by the courier", "destroyed"),
    ("pickup cancellation requested", "cancel requested"),
    ("courier asked to deliver to the customer", "to deliver"),
    ("return refused by the seller", "return refused"),
    ("problem at a KiriminAja warehouse", "warehouse issue"),
    ("problem on the courier's side", "courier problem"),
    (
        "incomplete package data (spreadsheet import)",
        "incomplete data",
    ),
    ("picked up by the driver", "picked up"),
    ("on the way to the recipient", "on the way"),
    ("no driver could be allocated", "no driver"),
    ("canceled on request", "canceled"),
    ("refused by the recipient, to be returned", "refused"),
    ("returned to the sender", "returned"),
    ("looking for a driver", "finding driver"),
];

/// A label in at most [`SHORT_WIDTH`] characters when the tables know a short form; otherwise
/// the label as it is (an unknown code's label, `unknown (code 650)`).
pub fn short_label(label: &str) -> &str {
    SHORT_LABELS
        .iter()
        .find(|(long, _)| *long == label)
        .map_or(label, |(_, short)| short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_long_label_has_a_short_form() {
        let labels = TABLE
            .iter()
            .map(|e| e.label)
            .chain(INSTANT_TABLE.iter().map(|e| e.label));
        for label in labels {
            let short = short_label(label);
            assert!(
                short.chars().count() <= SHORT_WIDTH,
                "{label:?} needs a short form in SHORT_LABELS"
            );
        }
        for (long, short) in SHORT_LABELS {
            assert!(long.chars().count() > short.chars().count(), "{long}");
        }
    }

    #[test]
    fn codes_are_unique() {
        let codes: HashSet<i64> = TABLE.iter().map(|e| e.code).collect();
        assert_eq!(codes.len(), TABLE.len());
    }

    #[test]
    fn final_means_final_category() {
        for e in TABLE {
            assert_eq!(e.is_final, e.category == Category::Final, "code {}", e.code);
        }
    }

    #[test]
    fn known_and_unknown_codes() {
        let delivered = lookup(Some(200));
        assert!(delivered.is_final && delivered.is_delivered());
        assert_eq!(delivered.category, Category::Final);
        assert_eq!(lookup(Some(152)).category, Category::Attempt);
        let odd = lookup(Some(999));
        assert_eq!(odd.label, "unknown (code 999)");
        assert_eq!(odd.category, Category::Unknown);
        assert!(!odd.is_final);
        assert_eq!(lookup(None).label, "unknown");
    }

    #[test]
    fn instant_statuses_are_unique_and_consistent() {
        let names: HashSet<&str> = INSTANT_TABLE.iter().map(|e| e.status).collect();
        assert_eq!(names.len(), INSTANT_TABLE.len());
        for e in INSTANT_TABLE {
            assert_eq!(e.is_final, e.category == Category::Final, "{}", e.status);
        }
    }

    #[test]
    fn instant_lookup() {
        let delivered = lookup_instant(Some(" Delivered "));
        assert_eq!(delivered.code.as_deref(), Some("delivered"));
        assert!(delivered.is_final && delivered.is_delivered());
        assert_eq!(
            lookup_instant(Some("picked_up")).category,
            Category::Transit
        );
        assert_eq!(
            lookup_instant(Some("no_driver")).category,
            Category::Attempt
        );
        let cancel = lookup_instant(Some("cancel"));
        assert!(cancel.is_final && !cancel.is_delivered());
        let allocated = lookup_instant_as_status(INSTANT_ALLOCATED);
        assert_eq!(allocated.category, Category::New);
        assert_eq!(allocated.code, None);
        let pulled = lookup_instant_as_status(instant_date_status(InstantDate::Finished));
        assert_eq!(pulled.label, delivered.label);
        assert!(pulled.is_delivered() && pulled.is_final);
        assert_eq!(pulled.color_code(), Some(DELIVERED));
        let canceled = lookup_instant_as_status(instant_date_status(InstantDate::Canceled));
        assert_eq!(canceled.label, cancel.label);
        assert!(canceled.is_final && !canceled.is_delivered());
        let odd = lookup_instant(Some("teleported"));
        assert_eq!(odd.label, "unknown (status \"teleported\")");
        assert_eq!(odd.category, Category::Unknown);
        assert_eq!(lookup_instant(Some("")).code, None);
        assert_eq!(lookup_instant(None).label, "unknown");
    }
}
