//! What the provider sends, as it sends it: the envelope, orders, payment and packages of a push
//! payload, read with the lenient readers (types drift; unknown keys are kept in `extra`), and
//! turned into the normalized [`crate::push::event::Event`] by the decoder. `Place` and
//! `Driver` are read and written in one shape, so they are defined here and used as they are.

use std::fmt;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::lenient::{
    self, Extra, Fields, Flag, InPlace, Int, ListInPlace, Num, Text, Time, TimeOrUnreadable,
    TimeValue,
};
use crate::push::methods::TimeField;
use crate::time::Moment;

/// One entry of `data` as the provider sent it.
#[derive(Debug, Default)]
pub(super) struct RawOrder {
    pub(super) order_id: Option<String>,
    pub(super) awb: Option<String>,
    pub(super) date: Option<Moment>,
    pub(super) shipped_at: Option<Moment>,
    pub(super) finished_at: Option<Moment>,
    pub(super) returned_at: Option<Moment>,
    pub(super) rejected_at: Option<Moment>,
    pub(super) canceled_at: Option<Moment>,
    pub(super) reason: Option<String>,
    pub(super) sorting_code: Option<String>,
    pub(super) shipping_cost: Option<Number>,
    /// As given: the legacy instant event's status, or a key to keep under `extra` for the
    /// express methods (which have no order status).
    pub(super) status: Option<Value>,
    pub(super) allocated_at: Option<Moment>,
    pub(super) paid_at: Option<Moment>,
    pub(super) payment_id: Option<String>,
    pub(super) insurance: Option<bool>,
    pub(super) insurance_amount: Option<Number>,
    /// Other names of normalized fields ([`ALIASES`]), as given, in the order sent.
    pub(super) aliases: Vec<(&'static str, AliasOf, Value)>,
    pub(super) unreadable_times: Extra,
    pub(super) extra: Extra,
}

/// What an alias is read into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AliasOf {
    Reason,
    Time(TimeField),
    /// The legacy instant object's own event time: its `at`.
    EventTime,
}

/// Names the provider used for normalized fields in older or instant payloads: each is read into
/// its field when that field was not sent under its own name (else it is kept under `extra`).
pub(super) const ALIASES: &[(&str, AliasOf)] = &[
    ("rejected_reason", AliasOf::Reason),
    ("canceled_reason", AliasOf::Reason),
    ("cancel_reason", AliasOf::Reason),
    ("rejection_note", AliasOf::Reason),
    ("cancel_date", AliasOf::Time(TimeField::CanceledAt)),
    ("rejected_date", AliasOf::Time(TimeField::RejectedAt)),
    ("event_date", AliasOf::EventTime),
];

impl RawOrder {
    /// A time field's value: the time, or nothing with the unreadable value noted.
    pub(super) fn time(&mut self, key: &str, value: Option<TimeValue>) -> Option<Moment> {
        match value? {
            TimeValue::Time(moment) => Some(moment),
            TimeValue::Unreadable(value) => {
                self.unreadable_times.insert(key.to_owned(), value);
                None
            }
        }
    }
}

impl Fields for RawOrder {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "order_id" => self.order_id = map.next_value_seed(Text)?,
            "awb" => self.awb = map.next_value_seed(Text)?,
            "date" => self.date = self.time(key, map.next_value_seed(TimeOrUnreadable)?),
            "shipped_at" => {
                self.shipped_at = self.time(key, map.next_value_seed(TimeOrUnreadable)?);
            }
            "finished_at" => {
                self.finished_at = self.time(key, map.next_value_seed(TimeOrUnreadable)?);
            }
            "returned_at" => {
                self.returned_at = self.time(key, map.next_value_seed(TimeOrUnreadable)?);
            }
            "rejected_at" => {
                self.rejected_at = self.time(key, map.next_value_seed(TimeOrUnreadable)?);
            }
            "canceled_at" => {
                self.canceled_at = self.time(key, map.next_value_seed(TimeOrUnreadable)?);
            }
            "allocated_at" => {
                self.allocated_at = self.time(key, map.next_value_seed(TimeOrUnreadable)?);
            }
            "paid_at" => self.paid_at = self.time(key, map.next_value_seed(TimeOrUnreadable)?),
            "reason" => self.reason = map.next_value_seed(Text)?,
            "sorting_code" => self.sorting_code = map.next_value_seed(Text)?,
            "shipping_cost" => self.shipping_cost = map.next_value_seed(Num)?,
            "status" => self.status = Some(map.next_value()?),
            "payment_id" => self.payment_id = map.next_value_seed(Text)?,
            "insurance" => self.insurance = map.next_value_seed(Flag)?,
            "insurance_amount" => self.insurance_amount = map.next_value_seed(Num)?,
            _ => match ALIASES.iter().find(|(name, _)| *name == key) {
                Some(&(name, of)) => self.aliases.push((name, of, map.next_value()?)),
                None => return Ok(false),
            },
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

#[derive(Debug, Default)]
pub(super) struct RawPayment {
    pub(super) payment_id: Option<String>,
    pub(super) amount: Option<Number>,
    pub(super) status_code: Option<i64>,
    pub(super) qr_content: Option<String>,
    pub(super) pay_time: Option<Moment>,
    pub(super) extra: Extra,
}

impl Fields for RawPayment {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "payment_id" => self.payment_id = map.next_value_seed(Text)?,
            "amount" => self.amount = map.next_value_seed(Num)?,
            "status_code" => self.status_code = map.next_value_seed(Int)?,
            "qr_content" => self.qr_content = map.next_value_seed(Text)?,
            "pay_time" => self.pay_time = map.next_value_seed(Time)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

#[derive(Debug, Default)]
pub(super) struct RawPackage {
    pub(super) awb: Option<String>,
    pub(super) order_id: Option<String>,
    pub(super) service: Option<String>,
    pub(super) service_type: Option<String>,
    pub(super) status: Option<i64>,
    pub(super) live_tracking_url: Option<String>,
    pub(super) poly_line: Option<String>,
    pub(super) origin: Option<Place>,
    pub(super) destination: Option<Place>,
    pub(super) driver: Option<Driver>,
    pub(super) extra: Extra,
}

impl Fields for RawPackage {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "awb" => self.awb = map.next_value_seed(Text)?,
            "order_id" => self.order_id = map.next_value_seed(Text)?,
            "service" => self.service = map.next_value_seed(Text)?,
            "service_type" => self.service_type = map.next_value_seed(Text)?,
            "status" => self.status = map.next_value_seed(Int)?,
            "live_tracking_url" => self.live_tracking_url = map.next_value_seed(Text)?,
            "poly_line" => self.poly_line = map.next_value_seed(Text)?,
            "origin" => self.origin = map.next_value_seed(InPlace::SEED)?,
            "destination" => self.destination = map.next_value_seed(InPlace::SEED)?,
            "driver" => self.driver = map.next_value_seed(InPlace::SEED)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

/// The envelope as the provider sent it. `method` and `data` are kept as read for the quick way
/// in [`decode`]; the general way ([`from_value`]) takes them out first and reads the rest.
#[derive(Debug, Default)]
pub(super) struct RawEnvelope {
    pub(super) method: Option<Value>,
    pub(super) data: Option<RawData>,
    pub(super) payment: Option<RawPayment>,
    pub(super) packages: Option<Vec<RawPackage>>,
    pub(super) extra: Extra,
}

impl Fields for RawEnvelope {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "method" => self.method = Some(map.next_value()?),
            "data" => self.data = Some(map.next_value()?),
            "payment" => self.payment = map.next_value_seed(InPlace::SEED)?,
            "packages" => self.packages = map.next_value_seed(ListInPlace::SEED)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

/// `Deserialize` for each [`Fields`] type.
macro_rules! deserialize_fields {
    ($($name:ident),*) => {$(
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                lenient::read_fields(d)
            }
        }
    )*};
}

deserialize_fields!(RawOrder, RawPayment, RawPackage, RawEnvelope, Place, Driver);

/// `data` as the quick way reads it: a list of order objects, or one order object. Anything
/// else (`Other`) is left to the general way, which says what is wrong with it.
#[derive(Debug)]
pub(super) enum RawData {
    List(Vec<RawOrder>),
    Object(Box<RawOrder>),
    Other,
}

impl<'de> Deserialize<'de> for RawData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawData, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawData;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`data`")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawData, A::Error> {
                let mut orders: Vec<RawOrder> = Vec::new();
                let mut all_objects = true;
                loop {
                    // Each order is read where it is kept: no copy of the large struct.
                    orders.push(RawOrder::default());
                    let last = orders.len() - 1;
                    match seq.next_element_seed(lenient::ReadInto(&mut orders[last]))? {
                        Some(is_object) => all_objects &= is_object,
                        None => {
                            orders.pop();
                            break;
                        }
                    }
                }
                Ok(if all_objects {
                    RawData::List(orders)
                } else {
                    RawData::Other
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawData, A::Error> {
                let order =
                    RawOrder::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawData::Object(Box::new(order)))
            }
            fn visit_unit<E>(self) -> Result<RawData, E> {
                Ok(RawData::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<RawData, E> {
                Ok(RawData::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<RawData, E> {
                Ok(RawData::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<RawData, E> {
                Ok(RawData::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<RawData, E> {
                Ok(RawData::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<RawData, E> {
                Ok(RawData::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// A package's origin or destination.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Place {
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub latitude: Option<Number>,
    pub longitude: Option<Number>,
    #[serde(skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Fields for Place {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "name" => self.name = map.next_value_seed(Text)?,
            "address" => self.address = map.next_value_seed(Text)?,
            "phone" => self.phone = map.next_value_seed(Text)?,
            "latitude" => self.latitude = map.next_value_seed(Num)?,
            "longitude" => self.longitude = map.next_value_seed(Num)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Driver {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Fields for Driver {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "name" => self.name = map.next_value_seed(Text)?,
            "phone" => self.phone = map.next_value_seed(Text)?,
            "image" => self.image = map.next_value_seed(Text)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}
