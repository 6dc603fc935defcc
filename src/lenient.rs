//! Tolerant readers for provider values, whose types drift (`../shared/api/README.md`):
//! numbers as strings and strings as numbers, `null`/`""`/missing alike, unknown keys anywhere.
//!
//! Each function is a serde `deserialize_with` for an `Option` field marked `#[serde(default)]`.
//! None of them fails on a value of the wrong type: a value that cannot mean what the field means
//! reads as missing. Only a document that is not JSON at all is an error, higher up.
//!
//! The scalar readers look at the value in place (`Scalar`): no `Value` tree is built, and a
//! nested object or array where text was expected is skipped. [`Fields`] reads a whole object
//! that way and keeps the keys its type does not know, as given, in an [`Extra`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{
    Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess,
    Visitor,
};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Number, Value};

use crate::time::Moment;

/// One JSON value as a lenient reader sees it: a scalar as it is, a container only as a kind
/// (its contents are skipped, still checked by the parser).
enum Scalar<'de> {
    Null,
    Bool(bool),
    Number(Number),
    Text(Cow<'de, str>),
    Container,
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Scalar<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar<'de>, D::Error> {
                Scalar::deserialize(d)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Bool(b))
            }
            fn visit_i64<E>(self, i: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(i.into()))
            }
            fn visit_u64<E>(self, u: u64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(u.into()))
            }
            fn visit_f64<E>(self, f: f64) -> Result<Scalar<'de>, E> {
                // As `Value` reads it: a float JSON cannot hold is null.
                Ok(Number::from_f64(f).map_or(Scalar::Null, Scalar::Number))
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(Cow::Owned(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Container)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Container)
            }
        }
        d.deserialize_any(V)
    }
}

/// Text: a string, or a number or boolean written out. Empty or blank text is `None`.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Text(s) if s.trim().is_empty() => None,
        // Every provider string passes here (or through [`value_to_string`], or into an
        // [`Extra`]), so this is where it is scrubbed of the API key ([`crate::scrub`]).
        Scalar::Text(s) => Some(crate::scrub::string(s.into_owned())),
        Scalar::Number(n) => Some(n.to_string()),
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::Null | Scalar::Container => None,
    })
}

/// Every provider string passes here, so this is where it is scrubbed of the API key
/// ([`crate::scrub`]).
pub fn value_to_string(value: Value) -> Option<String> {
    match value {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(crate::scrub::string(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// A time ([`Moment::parse`]) from text; anything else, or text that is not a time, is `None`.
/// Read in place: no copy of the text.
pub fn time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Moment>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Text(s) => Moment::parse(&s),
        _ => None,
    })
}

/// A time field as sent: a time, a value that was meant as one but cannot be read (a
/// documentation placeholder such as `"(shipped date)"`, a number), or nothing (`null`, `""`,
/// missing).
#[derive(Debug, Clone, PartialEq)]
pub enum TimeValue {
    Time(Moment),
    /// The value as given, for saying what could not be read.
    Unreadable(Value),
}

/// [`time`], telling an unreadable value from a missing one.
pub fn time_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TimeValue>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Text(s) if s.trim().is_empty() => None,
        Scalar::Text(s) => Some(match Moment::parse(&s) {
            Some(moment) => TimeValue::Time(moment),
            None => TimeValue::Unreadable(Value::String(crate::scrub::string(s.into_owned()))),
        }),
        Scalar::Number(n) => Some(TimeValue::Unreadable(Value::Number(n))),
        Scalar::Bool(b) => Some(TimeValue::Unreadable(Value::Bool(b))),
        Scalar::Null | Scalar::Container => None,
    })
}

/// A yes/no flag: a boolean, a number (0 is no), or `"true"`/`"false"`/`"1"`/`"0"`/`"yes"`/`"no"`
/// in any case; anything else is `None`. Read in place.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Bool(b) => Some(b),
        Scalar::Number(n) => n.as_f64().map(|f| f != 0.0),
        Scalar::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        Scalar::Null | Scalar::Container => None,
    })
}

/// A number kept exactly as the provider meant it (`10000` stays an integer, `0.5` a decimal),
/// from a JSON number or a numeric string.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Number>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Number(n) => Some(n),
        Scalar::Text(s) => text_to_number(&s),
        _ => None,
    })
}

pub fn value_to_number(value: &Value) -> Option<Number> {
    match value {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => text_to_number(s),
        _ => None,
    }
}

fn text_to_number(text: &str) -> Option<Number> {
    let s = text.trim();
    if let Ok(i) = s.parse::<i64>() {
        Some(Number::from(i))
    } else {
        s.parse::<f64>().ok().and_then(Number::from_f64)
    }
}

/// An integer code (status codes): a whole JSON number or a numeric string.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(number(d)?.and_then(number_to_int))
}

pub fn value_to_int(value: &Value) -> Option<i64> {
    number_to_int(value_to_number(value)?)
}

fn number_to_int(n: Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    // 200.0 is 200; 200.5 is not a code. The range check keeps the cast exact.
    (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}

/// A flag: `true`/`false`, `1`/`0`, or those written as strings.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A nested object. Anything that is not an object (a string, an array, `null`) is `None`.
pub fn object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match Value::deserialize(d)? {
        value @ Value::Object(_) => Ok(T::deserialize(value).ok()),
        _ => Ok(None),
    }
}

/// A list of objects. Entries that are not objects are skipped; a non-list is `None`.
pub fn objects<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match Value::deserialize(d)? {
        Value::Array(items) => Ok(Some(
            items
                .into_iter()
                .filter(Value::is_object)
                .filter_map(|item| T::deserialize(item).ok())
                .collect(),
        )),
        _ => Ok(None),
    }
}

/// The scalar visits of a visitor that wants a container: each is `None`.
macro_rules! not_a_container {
    () => {
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}

/// A provider object read field by field: each field the type knows through its lenient reader,
/// every other key into [`Fields::extra`], so that nothing the provider sent is dropped.
///
/// `Deserialize` for such a type is [`read_fields`]. It never fails on well-formed JSON, so it can
/// be read straight from the input (see [`object_in_place`]).
pub trait Fields: Default {
    /// Reads the value of `key` if the type knows it; `false` (the value not read) if not.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;

    /// Where unknown keys go.
    fn extra(&mut self) -> &mut Extra;
}

/// `Deserialize` for a [`Fields`] type: an object field by field.
pub fn read_fields<'de, D: Deserializer<'de>, T: Fields>(d: D) -> Result<T, D::Error> {
    let mut object = T::default();
    d.deserialize_map(ReadInto(&mut object))?;
    Ok(object)
}

/// Reads an object's fields into a [`Fields`] value where it is (these values are large, and
/// moving them about cost a sixth of a stream of short events); anything else leaves it as it
/// is. `true` when the value was an object.
pub struct ReadInto<'a, T>(pub &'a mut T);

impl<'de, T: Fields> DeserializeSeed<'de> for ReadInto<'_, T> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Fields> Visitor<'de> for ReadInto<'_, T> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            if !self.0.field(&key, &mut map)? {
                let value: Value = map.next_value()?;
                self.0.extra().insert(key.into_owned(), value);
            }
        }
        Ok(true)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
}

/// An object key, borrowed from the input when it can be (no allocation for known keys).
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_identifier(V)
    }
}

/// [`object`] for a [`Fields`] type, read in place: no `Value` tree in between.
pub fn object_in_place<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Fields + Deserialize<'de>,
{
    d.deserialize_any(InPlace(PhantomData))
}

/// [`objects`] for a [`Fields`] type, read in place.
pub fn objects_in_place<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Fields + Deserialize<'de>,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: Fields + Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element_seed(InPlace(PhantomData))? {
                items.extend(item);
            }
            Ok(Some(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        not_a_container!();
    }
    d.deserialize_any(V(PhantomData))
}

/// Reads `Some(T)` from an object and `None` from anything else: [`object_in_place`] as a seed,
/// for [`Fields::field`].
pub struct InPlace<T>(PhantomData<T>);

impl<T> InPlace<T> {
    pub const SEED: InPlace<T> = InPlace(PhantomData);
}

/// [`objects_in_place`] as a seed, for [`Fields::field`].
pub struct ListInPlace<T>(PhantomData<T>);

impl<T> ListInPlace<T> {
    pub const SEED: ListInPlace<T> = ListInPlace(PhantomData);
}

impl<'de, T: Fields + Deserialize<'de>> DeserializeSeed<'de> for ListInPlace<T> {
    type Value = Option<Vec<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Vec<T>>, D::Error> {
        objects_in_place(d)
    }
}

/// The scalar readers as seeds, for [`Fields::field`].
macro_rules! seed {
    ($(#[$meta:meta])* $name:ident => $read:ident -> $out:ty) => {
        $(#[$meta])*
        pub struct $name;

        impl<'de> DeserializeSeed<'de> for $name {
            type Value = Option<$out>;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<$out>, D::Error> {
                $read(d)
            }
        }
    };
}

seed!(
    /// [`string`].
    Text => string -> String
);
seed!(
    /// [`number`].
    Num => number -> Number
);
seed!(
    /// [`int`].
    Int => int -> i64
);
seed!(
    /// [`time`].
    Time => time -> Moment
);
seed!(
    /// [`time_value`].
    TimeOrUnreadable => time_value -> TimeValue
);
seed!(
    /// [`flag`].
    Flag => flag -> bool
);

impl<'de, T: Fields + Deserialize<'de>> DeserializeSeed<'de> for InPlace<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Fields + Deserialize<'de>> Visitor<'de> for InPlace<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    not_a_container!();
}

/// Keys a reader does not know, with their values as given, in the order the provider sent them.
/// Serializes as a JSON object. A key sent twice keeps its last value, as JSON readers do.
///
/// Past a few keys, a key's place is found through an index: a hostile payload with 80,000
/// unknown keys costs linear time, not the quadratic time a search per key would (issue 16).
#[derive(Debug, Clone, Default)]
pub struct Extra {
    entries: Vec<(String, Value)>,
    /// Where each key is in `entries`; built once there are more than [`Extra::SCAN`].
    index: std::collections::HashMap<String, usize>,
}

impl PartialEq for Extra {
    fn eq(&self, other: &Extra) -> bool {
        self.entries == other.entries
    }
}

impl Extra {
    /// Keys searched one by one at most (the usual case: none or a few).
    const SCAN: usize = 8;

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn position(&self, key: &str) -> Option<usize> {
        if self.entries.len() > Extra::SCAN {
            self.index.get(key).copied()
        } else {
            self.entries.iter().position(|(k, _)| k == key)
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    pub fn insert(&mut self, key: String, mut value: Value) {
        // Kept as given, but for the API key: provider text like any other.
        let _ = crate::scrub::value(&mut value);
        let key = crate::scrub::string(key);
        match self.position(&key) {
            Some(i) => self.entries[i].1 = value,
            None => {
                if self.entries.len() == Extra::SCAN {
                    self.index = (self.entries.iter().enumerate())
                        .map(|(i, (k, _))| (k.clone(), i))
                        .collect();
                }
                if self.entries.len() >= Extra::SCAN {
                    self.index.insert(key.clone(), self.entries.len());
                }
                self.entries.push((key, value));
            }
        }
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Property-test inputs for the lenient readers, shared by the tests of every provider type.
#[cfg(test)]
pub mod strategies {
    use proptest::prelude::*;
    use serde_json::Value;

    /// Any JSON value, nested up to four deep, whose object keys are mostly `keys` (so the
    /// readers meet their own fields with every type of value) and sometimes anything.
    pub fn json_with_keys(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-zT0-9 :.-]{0,24}".prop_map(Value::from),
            Just(Value::from("2024-01-19T04:01:37.000000Z")),
        ];
        leaf.prop_recursive(4, 64, 8, move |inner| {
            let key = prop_oneof![
                prop::sample::select(keys).prop_map(str::to_owned),
                "[a-z_]{1,8}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                prop::collection::btree_map(key, inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_strings_cross_over() {
        assert_eq!(value_to_number(&json!("10000")), Some(Number::from(10000)));
        assert_eq!(value_to_number(&json!(10000)), Some(Number::from(10000)));
        assert_eq!(value_to_number(&json!("")), None);
        assert_eq!(value_to_number(&json!(null)), None);
        assert_eq!(value_to_string(json!(55283)), Some("55283".into()));
        assert_eq!(value_to_string(json!("")), None);
        assert_eq!(value_to_int(&json!("200")), Some(200));
        assert_eq!(value_to_int(&json!(200.0)), Some(200));
        assert_eq!(value_to_int(&json!(200.5)), None);
        assert_eq!(value_to_int(&json!(1e300)), None);
    }
}
