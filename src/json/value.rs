//! The JSON value tree.

use std::borrow::Cow;

use super::Number;

/// A JSON value. Objects keep their keys in source order (messages and
/// the writer then follow the user's own order).
///
/// ```
/// use agoralia::json::{parse, Value};
/// let v = parse(r#"{"a": [1, true, null]}"#).unwrap();
/// let arr = v.get("a").and_then(Value::as_array).unwrap();
/// assert_eq!(arr.len(), 3);
/// assert_eq!(arr[1].as_bool(), Some(true));
/// assert!(arr[2].is_null());
/// ```
///
/// Strings, keys and number texts borrow from the parsed text where they can
/// (`Cow`): a string without escapes is a slice of the input, not a copy.
/// Allocating every string was most of the time of validating 10 000 leads.
/// Use [`Value::into_owned`] to keep a value after its text is gone.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as its source text.
    Number(Number<'a>),
    /// A string (escapes already decoded).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object, key order preserved.
    Object(Object<'a>),
}

/// A JSON object: ordered `(key, value)` members.
///
/// Duplicate keys are kept as written; [`Object::get`] returns the *last*
/// one, as JavaScript's `JSON.parse` and Python's `json` (the server) do, so
/// we validate what the server will actually see.
///
/// ```
/// use agoralia::json::{Object, Value};
/// let mut o = Object::new();
/// o.push("name", Value::String("Ada".into()));
/// assert_eq!(o.get("name").and_then(Value::as_str), Some("Ada"));
/// assert_eq!(o.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object<'a> {
    members: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Object<'a> {
    /// An empty object.
    pub fn new() -> Object<'a> {
        Object { members: Vec::new() }
    }

    /// Appends a member (no de-duplication; see the type's docs).
    pub fn push(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) {
        self.members.push((key.into(), value));
    }

    /// The value of `key` (the last one if the key is repeated).
    #[inline(always)]
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.members.iter().any(|(k, _)| k == key)
    }

    /// Members in source order, duplicates included.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value<'a>)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Keys in source order, duplicates included.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(k, _)| k.as_ref())
    }

    /// Number of members, duplicates included.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when there are no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The same object, owning all its text.
    pub fn into_owned(self) -> Object<'static> {
        Object { members: self.members.into_iter().map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned())).collect() }
    }
}

impl<'a> From<Vec<(Cow<'a, str>, Value<'a>)>> for Object<'a> {
    fn from(members: Vec<(Cow<'a, str>, Value<'a>)>) -> Object<'a> {
        Object { members }
    }
}

impl From<Vec<(String, Value<'static>)>> for Object<'static> {
    fn from(members: Vec<(String, Value<'static>)>) -> Object<'static> {
        Object { members: members.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect() }
    }
}

impl<'a> Value<'a> {
    /// The same value, owning all its text (for keeping it after the text
    /// it was parsed from is gone).
    ///
    /// ```
    /// use agoralia::json::{parse, Value};
    /// let kept: Value<'static> = parse(&String::from("[\"a\"]")).unwrap().into_owned();
    /// assert_eq!(kept.to_json(), "[\"a\"]");
    /// ```
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(n.into_owned()),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Array(a) => Value::Array(a.into_iter().map(Value::into_owned).collect()),
            Value::Object(o) => Value::Object(o.into_owned()),
        }
    }

    /// The JSON type name as JSON Schema spells it: `"null"`, `"boolean"`,
    /// `"number"`, `"string"`, `"array"` or `"object"`. Used in messages.
    ///
    /// ```
    /// use agoralia::json::parse;
    /// assert_eq!(parse("[1]").unwrap().type_name(), "array");
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Looks up a key when this is an object.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// The object, if this is one.
    #[inline(always)]
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array, if this is one.
    #[inline(always)]
    pub fn as_array(&self) -> Option<&Vec<Value<'a>>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The string, if this is one.
    #[inline(always)]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number<'a>> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as `i64` when it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The number as `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Value<'a> {
        Value::String(Cow::Borrowed(s))
    }
}

impl From<String> for Value<'static> {
    fn from(s: String) -> Value<'static> {
        Value::String(Cow::Owned(s))
    }
}

impl From<bool> for Value<'static> {
    fn from(b: bool) -> Value<'static> {
        Value::Bool(b)
    }
}

impl From<i64> for Value<'static> {
    fn from(n: i64) -> Value<'static> {
        Value::Number(Number::from_i64(n))
    }
}
