//! Tolerant readers for provider values, whose types drift (`../shared/api/README.md`):
//! numbers as strings and strings as numbers, `null`/`""`/missing alike, unknown keys anywhere.
//!
//! Each function is a serde `deserialize_with` for an `Option` field marked `#[serde(default)]`.
//! None of them fails on a value of the wrong type: a value that cannot mean what the field means
//! reads as missing. Only a document that is not JSON at all is an error, higher up.

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::{Number, Value};

/// Text: a string, or a number or boolean written out. Empty or blank text is `None`.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_to_string(Value::deserialize(d)?))
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

/// A number kept exactly as the provider meant it (`10000` stays an integer, `0.5` a decimal),
/// from a JSON number or a numeric string.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Number>, D::Error> {
    Ok(value_to_number(&Value::deserialize(d)?))
}

pub fn value_to_number(value: &Value) -> Option<Number> {
    match value {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(i) = s.parse::<i64>() {
                Some(Number::from(i))
            } else {
                s.parse::<f64>().ok().and_then(Number::from_f64)
            }
        }
        _ => None,
    }
}

/// An integer code (status codes): a whole JSON number or a numeric string.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(value_to_int(&Value::deserialize(d)?))
}

pub fn value_to_int(value: &Value) -> Option<i64> {
    let n = value_to_number(value)?;
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
