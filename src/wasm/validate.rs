//! Validation bindings: JSON text in, JSON text out, one crossing per call.
//!
//! Conversion only: every rule lives in `crate::validate` / `crate::csv`,
//! tested on the host. Strings cross as UTF-8 copies, which measured
//! 1.6-3.1x faster than serde-wasm-bindgen and keeps serde out of the wasm.
//! Large inputs arrive as bytes the glue encoded with `TextEncoder`: wasm-bindgen's
//! own `&str` passing copies ASCII one char at a time in JS, which was a
//! fifth of validating a 1.4 MB leads file.

use std::borrow::Cow;

use crate::csv::{parse_leads_csv_bytes as csv_bytes, CsvOptions};
use crate::json::write_json_string;
use crate::validate::{phone, validate_text, validate_text_to_json_with_positions, Issue};
use wasm_bindgen::prelude::*;

/// UTF-8 text from the glue (always valid from `TextEncoder`; anything else
/// is read lossily rather than trusted).
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match crate::utf8::to_str(bytes) {
        Some(s) => Cow::Borrowed(s),
        None => String::from_utf8_lossy(bytes),
    }
}

/// `{"valid": bool, "issues": [...]}` for JSON text (UTF-8) of the given kind.
#[wasm_bindgen(js_name = validate_json)]
pub fn validate_json(kind: &str, json: &[u8]) -> String {
    validate_text(kind, &text(json)).to_json()
}

/// Like `validate_json`, with `line`/`column` on every issue (for editors).
#[wasm_bindgen(js_name = validate_text_with_positions)]
pub fn validate_text_with_positions(kind: &str, json: &[u8]) -> String {
    validate_text_to_json_with_positions(kind, &text(json))
}

/// `{"ok": true, "value": "+39..."}` or `{"ok": false, "issue": {...}}`.
#[wasm_bindgen(js_name = normalize_phone)]
pub fn normalize_phone(input: &str, default_cc: Option<String>) -> String {
    match phone::normalize_phone(input, default_cc.as_deref()) {
        Ok(v) => {
            let mut out = String::from("{\"ok\":true,\"value\":");
            write_json_string(&mut out, &v);
            out.push('}');
            out
        }
        Err(e) => {
            let mut out = String::from("{\"ok\":false,\"issue\":");
            Issue::error(Vec::new(), e.code, e.message).write_json(&mut out, None);
            out.push('}');
            out
        }
    }
}

/// Leads from CSV bytes (UTF-8, or Windows-1252 with a warning):
/// `{"items", "issues", "rowCount", "valid"}`. CSV text from JS comes here
/// too, encoded by the glue.
#[wasm_bindgen(js_name = parse_leads_csv_bytes)]
pub fn parse_leads_csv_bytes(bytes: &[u8], options_json: &str) -> String {
    csv_bytes(bytes, &CsvOptions::from_json(options_json)).to_json()
}
