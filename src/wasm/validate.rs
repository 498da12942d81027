//! Validation bindings: JSON text in, JSON text out, one crossing per call.
//!
//! Conversion only: every rule lives in `crate::validate` / `crate::csv`,
//! tested on the host. Strings cross as UTF-8 copies, which measured
//! 1.6-3.1x faster than serde-wasm-bindgen and keeps serde out of the wasm.
//! Large inputs arrive as bytes the glue encoded with `TextEncoder`: wasm-bindgen's
//! own `&str` passing copies ASCII one char at a time in JS, which was a
//! fifth of validating a 1.4 MB leads file.

use crate::csv::{parse_leads_csv_bytes_to_json, CsvOptions};
use crate::json::write_json_string;
use crate::validate::{phone, validate_text, validate_text_to_json_with_positions, Issue, Report};
use wasm_bindgen::prelude::*;

/// `{"valid": bool, "issues": [...]}` for JSON text (UTF-8) of the given
/// kind; with `positions`, every issue has its `line` and `column` (for
/// editors). One export for both: each export costs its own shim.
#[wasm_bindgen(js_name = validate_json)]
pub fn validate_json(kind: &str, json: &[u8], positions: bool) -> String {
    // The glue encodes with TextEncoder, so this holds; other bytes are refused, not trusted.
    let Ok(text) = std::str::from_utf8(json) else {
        let mut r = Report::new();
        r.error(Vec::new(), "invalid_json", "not valid JSON: the text is not UTF-8");
        return r.to_json();
    };
    if positions {
        validate_text_to_json_with_positions(kind, text)
    } else {
        validate_text(kind, text).to_json()
    }
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
pub fn parse_leads_csv_bytes(bytes: &[u8], options_json: &str, items: bool) -> String {
    parse_leads_csv_bytes_to_json(bytes, &CsvOptions::from_json(options_json), items)
}
