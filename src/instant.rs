//! The instant tracking answer (GoSend, GrabExpress): lenient provider types in, the same
//! [`Parcel`] as an express answer out.
//!
//! `GET /api/mitra/v4/instant/tracking/{order_id}` answers `{status, text, code, method, result}`
//! (`../shared/api/README.md`, "Instant tracking"). `result` has no status code: the status and
//! the history are read from its `date` fields through the status table
//! ([`status::INSTANT_DATES`]), so an instant parcel renders, serializes and is watched like any
//! other.

use serde::Deserialize;
use serde_json::Number;

use crate::lenient;
use crate::model::{
    Costs, Courier, Driver, HistoryEntry, Images, Item, Kind, Parcel, Party, Refusal,
    sort_newest_first,
};
use crate::status::{self, InstantDate};
use crate::time::Moment;

/// The body of the instant tracking endpoint.
#[derive(Debug, Default, Deserialize)]
pub struct RawInstant {
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub status: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub message: Option<String>,
    /// `1` found, `2` not found; a number or a string.
    #[serde(default, deserialize_with = "lenient::int")]
    pub code: Option<i64>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub result: Option<RawResult>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawResult {
    #[serde(default, deserialize_with = "lenient::string")]
    pub order_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub service: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub service_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub tracking_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub live_tracking_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub cancel_description: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub driver: Option<RawDriver>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub origin: Option<RawPlace>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub destination: Option<RawPlace>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub date: Option<RawDates>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub cost: Option<RawCost>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub item: Option<RawItem>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawDriver {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub photo: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawPlace {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub address_note: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub lat: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub long: Option<Number>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawDates {
    #[serde(default, deserialize_with = "lenient::string")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub allocated_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub finished_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub canceled_at: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawCost {
    #[serde(default, deserialize_with = "lenient::number")]
    pub shipping_cost: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub insurance: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub admin_fee: Option<Number>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub total_price: Option<Number>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawItem {
    #[serde(default, deserialize_with = "lenient::number")]
    pub price: Option<Number>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
}

/// The provider's not-found `code`.
const NOT_FOUND_CODE: i64 = 2;

impl RawInstant {
    /// Reads a response body. Only a body that is not a JSON object fails.
    pub fn from_slice(body: &[u8]) -> Result<RawInstant, serde_json::Error> {
        let value: serde_json::Value = serde_json::from_slice(body)?;
        if !value.is_object() {
            return Err(serde::de::Error::custom(format!(
                "expected a JSON object, found {}",
                crate::model::json_kind(&value)
            )));
        }
        RawInstant::deserialize(value)
    }

    /// Decides whether this body describes a delivery. `status: false`, the not-found code, or
    /// an envelope without a `result` object is the provider's "not found".
    pub fn into_parcel(self, query: &str) -> Result<Parcel, Refusal> {
        let text = || {
            self.text
                .as_deref()
                .or(self.message.as_deref())
                .unwrap_or("not found")
                .trim()
                .to_owned()
        };
        if self.status == Some(false) || self.code == Some(NOT_FOUND_CODE) {
            return Err(Refusal::NotFound(text()));
        }
        match self.result {
            Some(result) => Ok(parcel(query, result)),
            None if self.status.is_some() || self.code.is_some() => Err(Refusal::NotFound(text())),
            None => Err(Refusal::NoTrackingData),
        }
    }
}

/// Whether a saved body has the instant envelope's shape (a `result` key), for `--from-file`.
pub fn looks_instant(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.get("result").is_some())
}

fn parcel(query: &str, raw: RawResult) -> Parcel {
    let dates = raw.date.unwrap_or_default();
    let time = |t: &Option<String>| t.as_deref().and_then(Moment::parse);
    let driver = raw.driver.map(|d| Driver {
        name: d.name.map(|s| s.trim().to_owned()),
        phone: d.phone,
        photo: d.photo,
    });
    let driver_name = driver.as_ref().and_then(|d| d.name.clone());
    let cancel_description = raw.cancel_description.map(|s| s.trim().to_owned());

    // One history entry per date that is set. A cancel description without a cancel time is
    // still a cancellation: it gets an entry without a time.
    let mut histories: Vec<HistoryEntry> = Vec::new();
    for (date, at) in [
        (InstantDate::Created, time(&dates.created_at)),
        (InstantDate::Allocated, time(&dates.allocated_at)),
        (InstantDate::Finished, time(&dates.finished_at)),
        (InstantDate::Canceled, time(&dates.canceled_at)),
    ] {
        let canceled = date == InstantDate::Canceled;
        if at.is_none() && !(canceled && cancel_description.is_some()) {
            continue;
        }
        let status = status::lookup_instant_as_status(status::instant_date_status(date));
        histories.push(HistoryEntry {
            at,
            status_code: None,
            label: status.label,
            category: status.category,
            text: if canceled {
                cancel_description.clone()
            } else {
                None
            },
            driver: if date == InstantDate::Allocated {
                driver_name.clone()
            } else {
                None
            },
            receiver: None,
            instant_code: status.instant_code,
        });
    }
    // The current status: the later of delivered and canceled when the data has both (real
    // data can disagree with itself), else the furthest step reached.
    let reached = |code: &str| {
        histories
            .iter()
            .find(|h| h.instant_code.as_deref() == Some(code))
            .map(|h| h.at)
    };
    let current = match (
        reached(status::INSTANT_DELIVERED),
        reached(status::INSTANT_CANCELED),
    ) {
        (Some(delivered), Some(canceled)) if delivered > canceled => {
            Some(status::INSTANT_DELIVERED)
        }
        (_, Some(_)) => Some(status::INSTANT_CANCELED),
        (Some(_), None) => Some(status::INSTANT_DELIVERED),
        (None, None) => [status::INSTANT_ALLOCATED, status::INSTANT_FINDING_DRIVER]
            .into_iter()
            .find(|code| reached(code).is_some()),
    };
    let status = match current {
        Some(code) => status::lookup_instant_as_status(code),
        None => status::lookup(None),
    };
    sort_newest_first(&mut histories);

    let place = |p: RawPlace| Party {
        name: p.name,
        address: p.address,
        phone: p.phone,
        city: None,
        zip_code: None,
        address_note: p.address_note,
        latitude: p.lat,
        longitude: p.long,
    };
    let cost = raw.cost.unwrap_or_default();
    Parcel {
        query: query.to_owned(),
        found: true,
        order_id: raw.order_id,
        awb: None,
        courier: Courier {
            code: raw.service,
            service: raw.service_type,
        },
        delivered: status.is_delivered(),
        status,
        text: cancel_description,
        shipped_at: None,
        delivered_at: time(&dates.finished_at),
        refunded: false,
        refunded_at: None,
        estimation: None,
        signature_code: None,
        sorting_code: None,
        drop: None,
        costs: Costs {
            shipping_cost: cost.shipping_cost,
            insurance_amount: cost.insurance,
            admin_fee: cost.admin_fee,
            total_price: cost.total_price,
            ..Costs::default()
        },
        origin: raw.origin.map(place),
        destination: raw.destination.map(place),
        images: Images::default(),
        histories,
        kind: Kind::Instant,
        tracking_code: raw.tracking_code,
        live_tracking_url: raw.live_tracking_url,
        driver,
        item: raw.item.map(|i| Item {
            price: i.price,
            description: i.description,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Category;
    use proptest::prelude::*;
    use serde_json::json;

    fn read(body: serde_json::Value) -> Result<Parcel, Refusal> {
        RawInstant::from_slice(body.to_string().as_bytes())
            .unwrap()
            .into_parcel("Q")
    }

    fn answer(date: serde_json::Value) -> serde_json::Value {
        json!({"status": true, "text": "success", "code": 1, "method": "instant_tracking",
               "result": {"order_id": "GS-1", "service": "gosend", "service_type": "instant",
                          "tracking_code": "GK-11-1", "driver": {"name": " Joko ", "phone": "0813"},
                          "date": date}})
    }

    #[test]
    fn status_and_history_follow_the_dates() {
        let p = read(answer(json!({"created_at": "2024-01-19T04:01:37.000000Z"}))).unwrap();
        assert_eq!(p.status.instant_code.as_deref(), Some("finding_driver"));
        assert_eq!(p.status.category, Category::New);
        assert_eq!(p.histories.len(), 1);
        assert_eq!(
            p.histories[0].at.unwrap().to_string(),
            "2024-01-19T11:01:37+07:00"
        );

        let p = read(answer(json!({"created_at": "2024-01-19T04:01:37.000000Z",
                                   "allocated_at": "2024-01-19T04:05:00.000000Z",
                                   "finished_at": "2024-01-19T05:00:00.000000Z"})))
        .unwrap();
        assert!(p.delivered && p.status.is_final && p.status.code.is_none());
        assert_eq!(p.status.label, "delivered");
        let codes: Vec<_> = p
            .histories
            .iter()
            .map(|h| h.instant_code.clone().unwrap())
            .collect();
        assert_eq!(codes, ["delivered", "allocated", "finding_driver"]);
        assert_eq!(p.histories[1].driver.as_deref(), Some("Joko"));
        assert_eq!(p.delivered_at, p.histories[0].at);
        assert_eq!(p.kind, Kind::Instant);
        assert_eq!(p.courier.code.as_deref(), Some("gosend"));
    }

    #[test]
    fn canceled_is_final_undelivered_with_its_reason() {
        let mut body = answer(json!({"created_at": "2024-01-19T04:01:37Z",
                                     "canceled_at": "2024-01-19T04:30:00Z"}));
        body["result"]["cancel_description"] = json!("Driver tidak ditemukan");
        let p = read(body).unwrap();
        assert!(p.status.is_final && !p.delivered);
        assert_eq!(p.status.instant_code.as_deref(), Some("cancel"));
        assert_eq!(p.text.as_deref(), Some("Driver tidak ditemukan"));
        assert_eq!(
            p.histories[0].text.as_deref(),
            Some("Driver tidak ditemukan")
        );

        // A reason without a time is still a cancellation.
        let mut body = answer(json!({"created_at": "2024-01-19T04:01:37Z"}));
        body["result"]["cancel_description"] = json!("Dibatalkan");
        let p = read(body).unwrap();
        assert_eq!(p.status.instant_code.as_deref(), Some("cancel"));
        assert_eq!(p.histories.last().unwrap().at, None);
    }

    #[test]
    fn drifts_and_not_found() {
        let body = json!({"status": "true", "code": "1", "extra": [1],
            "result": {"order_id": 123, "cost": {"shipping_cost": "15000", "total_price": 16000},
                       "origin": "", "driver": null, "date": "soon",
                       "destination": {"lat": "-7.7", "long": 110.4, "name": "Siti"}}});
        let p = read(body).unwrap();
        assert_eq!(p.order_id.as_deref(), Some("123"));
        assert_eq!(p.costs.shipping_cost, Some(Number::from(15000)));
        assert_eq!(p.costs.total_price, Some(Number::from(16000)));
        assert!(p.origin.is_none() && p.driver.is_none());
        let d = p.destination.unwrap();
        assert_eq!(d.latitude.unwrap().as_f64(), Some(-7.7));
        assert_eq!(p.status.category, Category::Unknown);
        assert!(p.histories.is_empty());

        let not_found = json!({"status": false, "text": "data not found", "code": 2,
                               "method": null, "result": null});
        assert_eq!(
            read(not_found).unwrap_err(),
            Refusal::NotFound("data not found".into())
        );
        let string_code = json!({"code": "2", "result": null});
        assert!(matches!(read(string_code), Err(Refusal::NotFound(_))));
        assert!(matches!(
            read(json!({"status": true, "result": null})),
            Err(Refusal::NotFound(_))
        ));
        assert_eq!(
            read(json!({"other": 1})).unwrap_err(),
            Refusal::NoTrackingData
        );
        assert!(RawInstant::from_slice(b"[1]").is_err());
    }

    #[test]
    fn shape_tells_instant_from_express() {
        assert!(looks_instant(
            br#"{"status": false, "code": 2, "result": null}"#
        ));
        assert!(!looks_instant(
            br#"{"status": true, "details": {}, "histories": []}"#
        ));
        assert!(!looks_instant(b"<html>"));
    }

    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        crate::lenient::strategies::json_with_keys(&[
            "status",
            "code",
            "result",
            "date",
            "created_at",
            "finished_at",
            "canceled_at",
            "cancel_description",
            "driver",
            "cost",
        ])
    }

    proptest! {
        #[test]
        fn any_json_decodes_without_panic(value in arb_json()) {
            let bytes = serde_json::to_vec(&value).unwrap();
            if let Ok(raw) = RawInstant::from_slice(&bytes)
                && let Ok(p) = raw.into_parcel("Q")
            {
                let _ = serde_json::to_string(&p).unwrap();
            }
        }

        #[test]
        fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = RawInstant::from_slice(&bytes);
            let _ = looks_instant(&bytes);
        }
    }
}
