//! Validation bindings: JSON text in, JSON text out, one crossing per call.
//!
//! Conversion only: every rule lives in `crate::validate` / `crate::csv`,
//! tested on the host. Strings cross as UTF-8 copies, which measured
//! 1.6-3.1x faster than serde-wasm-bindgen and keeps serde out of the wasm.
//! Large inputs are written by the glue straight into wasm memory (see
//! [`input_view`]) with `TextEncoder.encodeInto`: wasm-bindgen's own `&str`
//! passing copies ASCII one char at a time in JS, which was a fifth of
//! validating a 1.4 MB leads file, and its `&[u8]` passing needs the bytes in a
//! JS buffer first, then copies them.

use crate::csv::{parse_leads_csv_bytes_to_json, CsvOptions};
use crate::json::write_json_string;
use crate::validate::{phone, validate_text, validate_text_to_json_with_positions, Issue, Report};
use std::cell::Cell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The input the glue writes before a call: kept between calls (zeroed
    /// once, when it grows) unless it grew past `KEEP_INPUT`. A `Cell` that
    /// is taken and put back: no borrow flag to check.
    static INPUT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}
const KEEP_INPUT: usize = 4 << 20;

/// A `Uint8Array` over `len` bytes of wasm memory for the glue to write the
/// next call's input into (text with `encodeInto`, or a copy of bytes). It is
/// valid until the next call into the wasm, which may move or grow memory:
/// the glue fills it at once, then passes how many bytes it wrote.
#[wasm_bindgen(js_name = input_view)]
pub fn input_view(len: usize) -> js_sys::Uint8Array {
    let mut buf = INPUT.take();
    if buf.len() < len {
        buf = vec![0; len];
    }
    // SAFETY: `buf` holds at least `len` initialised bytes, and its heap block
    // stays where it is, untouched by Rust, until the glue, having written
    // through the view, calls an export that reads it (see `with_input`).
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(buf.as_mut_ptr(), len) };
    INPUT.set(buf);
    view
}

/// Runs `f` on the first `len` bytes the glue wrote through [`input_view`].
fn with_input<R>(len: usize, f: impl FnOnce(&[u8]) -> R) -> R {
    let buf = INPUT.take();
    let out = f(&buf[..len.min(buf.len())]);
    if buf.len() <= KEEP_INPUT {
        INPUT.set(buf);
    }
    out
}

/// `{"valid": bool, "issues": [...]}` for the JSON text (UTF-8, `len` bytes
/// written through [`input_view`]) of the given kind; with `positions`, every issue has its `line` and `column` (for
/// editors). One export for both: each export costs its own shim.
#[wasm_bindgen(js_name = validate_json)]
pub fn validate_json(kind: &str, len: usize, positions: bool) -> String {
    with_input(len, |json| {
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
    })
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

/// Leads from CSV bytes (`len` of them, written through [`input_view`];
/// UTF-8, or Windows-1252 with a warning): `{"items", "issues", "rowCount",
/// "valid"}`, or without `items` only the check. CSV text from JS comes here
/// too, encoded by the glue.
#[wasm_bindgen(js_name = parse_leads_csv_bytes)]
pub fn parse_leads_csv_bytes(len: usize, options_json: &str, items: bool) -> String {
    with_input(len, |bytes| parse_leads_csv_bytes_to_json(bytes, &CsvOptions::from_json(options_json), items))
}
