//! The JSON writer.

use super::{Object, Value};

/// Appends `s` to `out` as a JSON string literal, quotes included.
/// Escapes `"`, `\` and control characters; everything else is written as
/// UTF-8, which is valid JSON and keeps output small.
///
/// ```
/// use agoralia::json::write_json_string;
/// let mut out = String::new();
/// write_json_string(&mut out, "say \"hi\"\n");
/// assert_eq!(out, r#""say \"hi\"\n""#);
/// ```
#[cfg_attr(agoralia_speed, optimize(speed))]
pub fn write_json_string(out: &mut String, s: &str) {
    // One capacity check for the usual string with nothing to escape.
    out.reserve(s.len() + 2);
    out.push('"');
    // Runs that need no escape are copied whole, scanning bytes: pushing
    // char by char was a third of the CSV import's time. Every byte that
    // needs an escape is ASCII, or starts U+2028/U+2029 (E2 80 A8/A9), so
    // `start` and `i` below are always on char boundaries.
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while let Some(&b) = bytes.get(i) {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            // U+2028/2029 are valid JSON but break older JS when the text is
            // embedded in a script; escaping them costs nothing.
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => "\\u2028",
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => "\\u2029",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        } else {
            out.push_str(escaped);
        }
        i += if b == 0xE2 { 3 } else { 1 };
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

impl Value<'_> {
    /// Compact JSON text for this value (no spaces; numbers as written).
    ///
    /// ```
    /// use agoralia::json::parse;
    /// let v = parse(r#"{ "a" : [ 1.50 , "x" ] }"#).unwrap();
    /// assert_eq!(v.to_json(), r#"{"a":[1.50,"x"]}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// Appends compact JSON for this value to `out`.
    ///
    /// Recursion is bounded by the document's nesting, which [`super::parse`]
    /// limits to [`super::MAX_DEPTH`].
    pub fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(n) => out.push_str(n.as_text()),
            Value::String(s) => write_json_string(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Value::Object(o) => write_object(out, o),
        }
    }
}

fn write_object(out: &mut String, o: &Object<'_>) {
    out.push('{');
    for (i, (k, v)) in o.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_string(out, k);
        out.push(':');
        v.write_json(out);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_unicode() {
        let mut out = String::new();
        write_json_string(&mut out, "a\u{01}b\u{1f}é\u{2028}😀\\");
        assert_eq!(out, "\"a\\u0001b\\u001fé\\u2028😀\\\\\"");
    }

    #[test]
    fn round_trip_via_parse() {
        let text = r#"{"k":["\"",-0.5e+3,true,false,null,{}],"":[]}"#;
        let v = crate::json::parse(text).unwrap();
        assert_eq!(v.to_json(), text);
        assert_eq!(crate::json::parse(&v.to_json()).unwrap(), v);
    }
}
