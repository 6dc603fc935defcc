//! A small JSON tree that keeps key order, so answers can copy the provider's layout (and its
//! drifts: keys in another order, numbers as strings) exactly. serde_json's map sorts keys.

use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// A number, kept as its JSON text (`10000`, `0.5`).
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// `obj! { "key" => value, ... }`: an object in the order written; values go through `J::from`.
macro_rules! obj {
    ($($key:literal => $value:expr),* $(,)?) => {
        $crate::json::J::Obj(vec![$(($key.to_owned(), $crate::json::J::from($value))),*])
    };
}
pub(crate) use obj;

impl From<bool> for J {
    fn from(b: bool) -> J {
        J::Bool(b)
    }
}

impl From<i64> for J {
    fn from(n: i64) -> J {
        J::Num(n.to_string())
    }
}

impl From<f64> for J {
    fn from(n: f64) -> J {
        J::Num(n.to_string())
    }
}

impl From<&str> for J {
    fn from(s: &str) -> J {
        J::Str(s.to_owned())
    }
}

impl From<String> for J {
    fn from(s: String) -> J {
        J::Str(s)
    }
}

impl<T: Into<J>> From<Option<T>> for J {
    fn from(value: Option<T>) -> J {
        value.map_or(J::Null, Into::into)
    }
}

impl From<Vec<J>> for J {
    fn from(items: Vec<J>) -> J {
        J::Arr(items)
    }
}

impl J {
    /// The value of `key` in an object.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut J> {
        match self {
            J::Obj(pairs) => pairs.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets `key` in an object, keeping its place if it is there, else appending it.
    pub fn set(&mut self, key: &str, value: impl Into<J>) {
        if let J::Obj(pairs) = self {
            let value = value.into();
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => pairs.push((key.to_owned(), value)),
            }
        }
    }

    /// Removes `key` from an object.
    pub fn remove(&mut self, key: &str) {
        if let J::Obj(pairs) = self {
            pairs.retain(|(k, _)| k != key);
        }
    }

    /// Calls `f` on this value and every value inside it, parents first, with the key each
    /// value sits under (`""` for array items and the root).
    pub fn walk(&mut self, f: &mut dyn FnMut(&str, &mut J)) {
        self.walk_under("", f);
    }

    fn walk_under(&mut self, key: &str, f: &mut dyn FnMut(&str, &mut J)) {
        f(key, self);
        match self {
            J::Arr(items) => items.iter_mut().for_each(|item| item.walk_under("", f)),
            J::Obj(pairs) => pairs.iter_mut().for_each(|(k, v)| v.walk_under(k, f)),
            _ => {}
        }
    }

    /// Compact JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(2048);
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => write_str(out, s),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            J::Obj(pairs) => {
                out.push('{');
                for (i, (key, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
