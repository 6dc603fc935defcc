//! The tracking response: lenient provider types in, one normalized [`Parcel`] out.
//!
//! `Raw*` types mirror what the provider sends and accept every known drift. [`Parcel`] is what
//! we promise: the stable JSON schema documented in the README, and what every renderer reads.

use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::lenient;
use crate::status::{self, Category, Status};
use crate::time::Moment;

/// The body of `POST /api/mitra/tracking`.
#[derive(Debug, Default, Deserialize)]
pub struct RawResponse {
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub status: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub text: Option<String>,
    /// Some errors (a bad key) say `message` instead of `text`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub status_code: Option<i64>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub details: Option<RawDetails>,
    #[serde(default, deserialize_with = "lenient::objects")]
    pub histories: Option<Vec<RawHistory>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawDetails {
    #[serde(default, deserialize_with = "lenient::string")]
    pub awb: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub signature_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub sorting_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub order_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub status_code: Option<i64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub estimation: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub service: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub service_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub drop: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub shipped_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub delivered: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub delivered_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub refunded: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub refunded_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub images: Option<Images>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub costs: Option<Costs>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub origin: Option<Party>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub destination: Option<Party>,
    /// Seen in some responses inside `details` rather than beside it.
    #[serde(default, deserialize_with = "lenient::objects")]
    pub histories: Option<Vec<RawHistory>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawHistory {
    #[serde(default, deserialize_with = "lenient::string")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub status_code: Option<i64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub driver: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub receiver: Option<String>,
}

/// Proof-of-delivery images, as the provider names them.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct Images {
    #[serde(default, deserialize_with = "lenient::string")]
    pub camera_img: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub signature_img: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub pop_img: Option<String>,
}

/// Costs in `currency` (rupiah in practice). Numbers keep the provider's precision.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct Costs {
    #[serde(default, deserialize_with = "lenient::string")]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub shipping_cost: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub cod: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub add_cost: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub insurance_amount: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub insurance_percent: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub discount_amount: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub subsidi_amount: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub correction: Option<Number>,
    /// Instant deliveries: the admin fee and the total (`cost.admin_fee`, `cost.total_price`).
    #[serde(default, deserialize_with = "lenient::number")]
    pub admin_fee: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub total_price: Option<Number>,
}

/// Sender or recipient.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct Party {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub city: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub zip_code: Option<String>,
    /// Instant deliveries: the courier's note and the map position of the address.
    #[serde(default, deserialize_with = "lenient::string")]
    pub address_note: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub latitude: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub longitude: Option<Number>,
}

/// How a body that parsed as JSON can fail to be a parcel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `{"status": false, "text": "..."}`: the provider's business "no" (unknown id and the like).
    NotFound(String),
    /// JSON, but nothing that looks like a tracking answer.
    NoTrackingData,
}

impl RawResponse {
    /// Reads a response body. Only a body that is not a JSON object fails.
    pub fn from_slice(body: &[u8]) -> Result<RawResponse, serde_json::Error> {
        // The usual case, an object, straight into the typed struct; the detour through `Value`
        // is only for bodies that fail, to say what they are.
        if body.trim_ascii_start().starts_with(b"{")
            && let Ok(raw) = serde_json::from_slice::<RawResponse>(body)
        {
            return Ok(raw);
        }
        let value: serde_json::Value = serde_json::from_slice(body)?;
        if !value.is_object() {
            return Err(serde::de::Error::custom(format!(
                "expected a JSON object, found {}",
                json_kind(&value)
            )));
        }
        RawResponse::deserialize(value)
    }

    /// The provider's message, whichever key it used.
    pub fn message(&self) -> Option<&str> {
        self.text.as_deref().or(self.message.as_deref())
    }

    /// Decides whether this body describes a parcel.
    pub fn into_parcel(self, query: &str) -> Result<Parcel, Refusal> {
        if self.status == Some(false) {
            let text = self.message().unwrap_or("not found").trim().to_owned();
            return Err(Refusal::NotFound(text));
        }
        let has_data = self.details.is_some()
            || self.histories.is_some()
            || self.status_code.is_some()
            || self.status == Some(true);
        if !has_data {
            return Err(Refusal::NoTrackingData);
        }
        Ok(Parcel::from_raw(query, self))
    }
}

pub fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Which tracking endpoint knows a parcel: express (couriers such as JNE, `POST
/// /api/mitra/tracking`) or instant (GoSend, GrabExpress, `GET /api/mitra/v4/instant/tracking/ID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Express,
    Instant,
}

/// The driver of an instant delivery.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Driver {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub photo: Option<String>,
}

/// What an instant delivery carries, as the sender declared it.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Item {
    pub price: Option<Number>,
    pub description: Option<String>,
}

/// A parcel as `kiriminaja` reports it. Field order is the JSON schema's order.
#[derive(Debug, Clone, Serialize)]
pub struct Parcel {
    pub query: String,
    pub found: bool,
    pub order_id: Option<String>,
    pub awb: Option<String>,
    pub courier: Courier,
    pub status: Status,
    /// The provider's one-line summary of the current state.
    pub text: Option<String>,
    pub delivered: bool,
    pub shipped_at: Option<Moment>,
    pub delivered_at: Option<Moment>,
    pub refunded: bool,
    pub refunded_at: Option<Moment>,
    pub estimation: Option<String>,
    pub signature_code: Option<String>,
    pub sorting_code: Option<String>,
    pub drop: Option<bool>,
    pub costs: Costs,
    pub origin: Option<Party>,
    pub destination: Option<Party>,
    pub images: Images,
    /// Newest first.
    pub histories: Vec<HistoryEntry>,
    // Added for instant deliveries; express parcels have `kind` express and nulls.
    pub kind: Kind,
    pub tracking_code: Option<String>,
    pub live_tracking_url: Option<String>,
    pub driver: Option<Driver>,
    pub item: Option<Item>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Courier {
    pub code: Option<String>,
    pub service: Option<String>,
}

/// One step in a parcel's history.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct HistoryEntry {
    pub at: Option<Moment>,
    pub status_code: Option<i64>,
    pub label: String,
    pub category: Category,
    pub text: Option<String>,
    pub driver: Option<String>,
    pub receiver: Option<String>,
    /// An instant delivery's status (`"allocated"`); left out for express entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instant_code: Option<String>,
}

impl HistoryEntry {
    fn from_raw(raw: RawHistory) -> HistoryEntry {
        let status = status::lookup(raw.status_code);
        HistoryEntry {
            at: raw.created_at.as_deref().and_then(Moment::parse),
            status_code: raw.status_code,
            label: status.label,
            category: status.category,
            text: raw.status.map(|s| s.trim().to_owned()),
            driver: raw.driver,
            receiver: raw.receiver,
            instant_code: None,
        }
    }

    /// The code whose color a renderer gives this entry (see [`Status::color_code`]).
    pub fn color_code(&self) -> Option<i64> {
        if self.instant_code.as_deref() == Some(status::INSTANT_DELIVERED) {
            Some(status::DELIVERED)
        } else {
            self.status_code
        }
    }
}

/// Newest first, as the provider usually sends them; a stable sort keeps the given order among
/// equal times, and entries without a time go last.
pub fn sort_newest_first(histories: &mut [HistoryEntry]) {
    histories.sort_by(|a, b| match (a.at, b.at) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

impl Parcel {
    fn from_raw(query: &str, raw: RawResponse) -> Parcel {
        let mut details = raw.details.unwrap_or_default();
        let raw_histories = raw
            .histories
            .or(details.histories.take())
            .unwrap_or_default();
        let mut histories: Vec<HistoryEntry> = raw_histories
            .into_iter()
            .map(HistoryEntry::from_raw)
            .collect();
        sort_newest_first(&mut histories);

        // The top-level code is the current status; `details.status_code` is usually null.
        let code = raw
            .status_code
            .or(details.status_code)
            .or_else(|| histories.iter().find_map(|h| h.status_code));
        let status = status::lookup(code);
        let time = |t: &Option<String>| t.as_deref().and_then(Moment::parse);

        Parcel {
            query: query.to_owned(),
            found: true,
            order_id: details.order_id.take(),
            awb: details.awb.take(),
            courier: Courier {
                code: details.service.take(),
                service: details.service_name.take(),
            },
            delivered: details.delivered.unwrap_or(false) || status.is_delivered(),
            status,
            text: raw.text.map(|t| t.trim().to_owned()),
            shipped_at: time(&details.shipped_at),
            delivered_at: time(&details.delivered_at),
            refunded: details.refunded.unwrap_or(false),
            refunded_at: time(&details.refunded_at),
            estimation: details.estimation.take(),
            signature_code: details.signature_code.take(),
            sorting_code: details.sorting_code.take(),
            drop: details.drop,
            costs: details.costs.take().unwrap_or_default(),
            origin: details.origin.take(),
            destination: details.destination.take(),
            images: details.images.take().unwrap_or_default(),
            histories,
            kind: Kind::Express,
            tracking_code: None,
            live_tracking_url: None,
            driver: None,
            item: None,
        }
    }

    /// The receiver named by the newest history entry that names one.
    pub fn receiver(&self) -> Option<&str> {
        self.histories.iter().find_map(|h| h.receiver.as_deref())
    }

    /// The newest history entry.
    pub fn latest(&self) -> Option<&HistoryEntry> {
        self.histories.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn parcel(body: serde_json::Value) -> Parcel {
        let bytes = serde_json::to_vec(&body).unwrap();
        RawResponse::from_slice(&bytes)
            .unwrap()
            .into_parcel("Q")
            .unwrap()
    }

    #[test]
    fn drifted_types_decode() {
        let p = parcel(json!({
            "status": "true",
            "status_code": "200",
            "details": {
                "awb": 12345,
                "status_code": null,
                "costs": {"shipping_cost": "10000", "cod": "", "insurance_percent": 0.5},
                "origin": {"zip_code": 55283, "city": "Sleman"},
                "destination": "oops",
                "refunded_at": "",
                "delivered": 1,
                "extra": {"anything": [1, 2]}
            },
            "histories": [
                {"status_code": null, "created_at": "2021-07-14 09:53:00", "status": "x"},
                {"created_at": "2021-07-14 16:00:00", "status": "Delivered", "status_code": "200"},
                "not an object",
                {"status": "no time, no code"}
            ]
        }));
        assert_eq!(p.status.code, Some(200));
        assert_eq!(p.awb.as_deref(), Some("12345"));
        assert_eq!(p.costs.shipping_cost, Some(Number::from(10000)));
        assert_eq!(p.costs.cod, None);
        assert_eq!(p.origin.unwrap().zip_code.as_deref(), Some("55283"));
        assert!(p.destination.is_none());
        assert!(p.refunded_at.is_none());
        assert!(p.delivered);
        assert_eq!(p.histories.len(), 3);
        assert_eq!(p.histories[0].status_code, Some(200));
        assert_eq!(p.histories[1].category, Category::Unknown);
        assert_eq!(p.histories[2].at, None);
    }

    #[test]
    fn status_false_is_not_found() {
        let raw =
            RawResponse::from_slice(br#"{"status": false, "text": "Data not found"}"#).unwrap();
        assert_eq!(
            raw.into_parcel("Q").unwrap_err(),
            Refusal::NotFound("Data not found".into())
        );
    }

    #[test]
    fn non_objects_are_rejected() {
        assert!(RawResponse::from_slice(b"[1,2]").is_err());
        assert!(RawResponse::from_slice(b"<html>").is_err());
        assert!(RawResponse::from_slice(b"").is_err());
        let empty = RawResponse::from_slice(b"{}").unwrap();
        assert_eq!(empty.into_parcel("Q").unwrap_err(), Refusal::NoTrackingData);
    }

    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        crate::lenient::strategies::json_with_keys(&[
            "status",
            "status_code",
            "details",
            "histories",
            "created_at",
            "costs",
            "origin",
        ])
    }

    proptest! {
        #[test]
        fn any_json_object_decodes_without_panic(value in arb_json()) {
            let bytes = serde_json::to_vec(&value).unwrap();
            if let Ok(raw) = RawResponse::from_slice(&bytes)
                && let Ok(p) = raw.into_parcel("Q")
            {
                let _ = serde_json::to_string(&p).unwrap();
            }
        }

        #[test]
        fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = RawResponse::from_slice(&bytes);
        }
    }
}
