//! The 422 builder: FastAPI / pydantic v2 style items `{loc, msg, type, input}`,
//! plus the body and query readers that produce them. Handlers collect every
//! field error of a request before answering, as FastAPI does.

use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::error::ApiError;

/// Collected validation errors.
#[derive(Default)]
pub struct Errors(pub Vec<Value>);

impl Errors {
    pub fn add(&mut self, loc: Value, msg: impl Into<String>, typ: &str, input: Option<&Value>) {
        let mut item = json!({"type": typ, "loc": loc, "msg": msg.into()});
        if let (Some(i), Value::Object(m)) = (input, &mut item) {
            m.insert("input".into(), i.clone());
        }
        self.0.push(item);
    }
    /// `Err(422)` if anything was collected.
    pub fn check(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }
}

pub fn body_loc(field: &str) -> Value {
    json!(["body", field])
}

/// Deepest nesting of a JSON body, in arrays and objects; deeper is 422 json_invalid.
/// The SDK's parser stops at the same depth (Python's json, behind FastAPI, near 1000).
pub const MAX_DEPTH: usize = 256;

/// Parses a JSON request body into an object.
/// Wrong content type -> 415; empty -> 422 missing; bad JSON (including nesting
/// beyond [`MAX_DEPTH`]) -> 422 json_invalid; not an object -> 422.
pub fn json_object(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if let Some(ct) = headers.get("content-type") {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let mime = ct.split(';').next().unwrap_or("").trim();
        if !(mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Media Type: send the body as JSON with Content-Type: application/json",
            ));
        }
    }
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        let mut e = Errors::default();
        e.add(json!(["body"]), "Field required", "missing", None);
        return Err(ApiError::validation(e.0));
    }
    if let Some(pos) = too_deep_at(body) {
        let mut e = Errors::default();
        let error = format!("nesting deeper than {MAX_DEPTH} levels");
        e.0.push(json!({"type": "json_invalid", "loc": ["body", pos], "msg": "JSON decode error", "ctx": {"error": error}}));
        return Err(ApiError::validation(e.0));
    }
    let fixed = lone_surrogates_replaced(body);
    let text = fixed.as_deref().unwrap_or(body);
    // Depth is bounded above, so serde_json's own limit (128) is not needed.
    let mut de = serde_json::Deserializer::from_slice(text);
    de.disable_recursion_limit();
    match Value::deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => {
            let mut e = Errors::default();
            e.add(json!(["body"]), "Input should be a valid dictionary or object to extract fields from", "model_attributes_type", Some(&other));
            Err(ApiError::validation(e.0))
        }
        Err(err) => {
            let pos = byte_offset(body, err.line(), err.column());
            let mut e = Errors::default();
            e.0.push(json!({"type": "json_invalid", "loc": ["body", pos], "msg": "JSON decode error", "ctx": {"error": err.to_string()}}));
            Err(ApiError::validation(e.0))
        }
    }
}

/// The byte offset of the first `[` or `{` (outside strings) past [`MAX_DEPTH`] levels.
fn too_deep_at(body: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in body.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The body with each `\u` escape of a lone UTF-16 surrogate (`"\ud800"`, which
/// JavaScript's `JSON.stringify` writes) turned into `\ufffd`, or `None` if it has none.
/// Python's json, behind FastAPI, reads such text, and so does the SDK (as U+FFFD);
/// serde_json refuses it. Same length, so error offsets do not move.
fn lone_surrogates_replaced(body: &[u8]) -> Option<Vec<u8>> {
    let escape = |at: usize| -> Option<u32> {
        let hex = body.get(at..at + 6).filter(|e| e.starts_with(b"\\u"))?;
        u32::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut out: Option<Vec<u8>> = None;
    let (mut i, mut in_string) = (0, false);
    while i < body.len() {
        match body[i] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => match escape(i) {
                Some(0xD800..=0xDBFF) if matches!(escape(i + 6), Some(0xDC00..=0xDFFF)) => i += 11,
                Some(0xD800..=0xDFFF) => {
                    out.get_or_insert_with(|| body.to_vec())[i..i + 6].copy_from_slice(b"\\ufffd");
                    i += 5;
                }
                _ => i += 1,
            },
            _ => {}
        }
        i += 1;
    }
    out
}

/// Converts serde_json's 1-based (line, column) into a byte offset, as FastAPI reports a position.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut off = 0usize;
    let mut cur = 1usize;
    for (i, b) in body.iter().enumerate() {
        if cur == line {
            off = i;
            break;
        }
        if *b == b'\n' {
            cur += 1;
            off = i + 1;
        }
    }
    (off + column.saturating_sub(1)).min(body.len())
}

/// Field readers. `required` fields must be present and not null; optional ones
/// accept absence and null (pydantic `Optional[...] = None`).
pub struct Fields<'a> {
    pub obj: &'a Map<String, Value>,
    pub errors: Errors,
}

impl<'a> Fields<'a> {
    pub fn new(obj: &'a Map<String, Value>) -> Self {
        Fields { obj, errors: Errors::default() }
    }

    fn present(&mut self, field: &str, required: bool) -> Option<&'a Value> {
        match self.obj.get(field) {
            Some(Value::Null) | None => {
                if required {
                    self.errors.add(body_loc(field), "Field required", "missing", None);
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    pub fn string(&mut self, field: &str, required: bool, non_empty: bool) -> Option<String> {
        let v = self.present(field, required)?;
        match v.as_str() {
            Some("") if non_empty => {
                self.errors.add(body_loc(field), "String should have at least 1 character", "string_too_short", Some(v));
                None
            }
            Some(s) => Some(s.to_string()),
            None => {
                self.errors.add(body_loc(field), "Input should be a valid string", "string_type", Some(v));
                None
            }
        }
    }

    pub fn choice(&mut self, field: &str, required: bool, allowed: &[&str]) -> Option<String> {
        let v = self.present(field, required)?;
        match v.as_str() {
            Some(s) if allowed.contains(&s) => Some(s.to_string()),
            _ => {
                self.errors.add(body_loc(field), format!("Input should be {}", quote_list(allowed)), "enum", Some(v));
                None
            }
        }
    }

    pub fn int(&mut self, field: &str, required: bool) -> Option<i64> {
        let v = self.present(field, required)?;
        match as_int(v) {
            Ok(n) => Some(n),
            Err((msg, typ)) => {
                self.errors.add(body_loc(field), msg, typ, Some(v));
                None
            }
        }
    }

    pub fn object(&mut self, field: &str, required: bool) -> Option<Map<String, Value>> {
        let v = self.present(field, required)?;
        match v.as_object() {
            Some(m) => Some(m.clone()),
            None => {
                self.errors.add(body_loc(field), "Input should be a valid dictionary", "dict_type", Some(v));
                None
            }
        }
    }

    pub fn array(&mut self, field: &str, required: bool) -> Option<Vec<Value>> {
        let v = self.present(field, required)?;
        match v.as_array() {
            Some(a) => Some(a.clone()),
            None => {
                self.errors.add(body_loc(field), "Input should be a valid list", "list_type", Some(v));
                None
            }
        }
    }

    /// An array whose items must all be strings.
    pub fn string_array(&mut self, field: &str, required: bool) -> Option<Vec<String>> {
        let items = self.array(field, required)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(s) => out.push(s.to_string()),
                None => self.errors.add(json!(["body", field, i]), "Input should be a valid string", "string_type", Some(item)),
            }
        }
        (out.len() == items.len()).then_some(out)
    }

    /// An array whose items must all be objects.
    pub fn object_array(&mut self, field: &str, required: bool) -> Option<Vec<Value>> {
        let items = self.array(field, required)?;
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            if !item.is_object() {
                ok = false;
                self.errors.add(json!(["body", field, i]), "Input should be a valid dictionary", "dict_type", Some(item));
            }
        }
        ok.then_some(items)
    }
}

/// An integer as pydantic's lax mode takes it from JSON: an integer, a float with no
/// fractional part, or a string of decimal digits ("7", which the SDK warns about;
/// pydantic also takes a sign, spaces or a ".0" in the string, the sandbox does not).
/// Python's integers have no bound: one past i64 is accepted and saturates, an id that
/// names nothing.
pub fn as_int(v: &Value) -> Result<i64, (&'static str, &'static str)> {
    if let Some(n) = v.as_i64() {
        return Ok(n);
    }
    if let Some(f) = v.as_f64() {
        if f.fract() == 0.0 {
            return Ok(f as i64);
        }
        return Err(("Input should be a valid integer, got a number with a fractional part", "int_from_float"));
    }
    if let Some(s) = v.as_str() {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(s.parse().unwrap_or(i64::MAX));
        }
        return Err(("Input should be a valid integer, unable to parse string as an integer", "int_parsing"));
    }
    Err(("Input should be a valid integer", "int_type"))
}

/// "'a', 'b' or 'c'", as pydantic words an enum error.
pub fn quote_list(allowed: &[&str]) -> String {
    let q: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        n => format!("{} or {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

/// Query parameters (the last value wins when one is repeated, as in FastAPI).
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        Query(raw.map(|q| serde_urlencoded::from_str(q).unwrap_or_default()).unwrap_or_default())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// An optional integer parameter within `min..=max`.
    pub fn int(&self, name: &str, min: Option<i64>, max: Option<i64>, errors: &mut Errors) -> Option<i64> {
        let raw = self.get(name)?;
        let loc = json!(["query", name]);
        let input = Value::String(raw.to_string());
        let Ok(n) = raw.trim().parse::<i64>() else {
            errors.add(loc, "Input should be a valid integer, unable to parse string as an integer", "int_parsing", Some(&input));
            return None;
        };
        if let Some(lo) = min {
            if n < lo {
                errors.add(loc, format!("Input should be greater than or equal to {lo}"), "greater_than_equal", Some(&input));
                return None;
            }
        }
        if let Some(hi) = max {
            if n > hi {
                errors.add(loc, format!("Input should be less than or equal to {hi}"), "less_than_equal", Some(&input));
                return None;
            }
        }
        Some(n)
    }
}
