//! A call's spec as the glue passes it to `WasmClient.begin`: each value as
//! the caller gave it, read here into the core's `SpecFields`, which holds the
//! rules (the glue converts nothing, so it cannot disagree with them).

use wasm_bindgen::prelude::*;

use crate::client::Given;

/// Text: absent when undefined or null, wrong for any type but a string (the
/// glue hands an id or a cursor given as a finite number over as its text,
/// `String(n)`).
pub(super) fn string(v: &JsValue) -> Given<String> {
    if v.is_undefined() {
        return Ok(None);
    }
    match v.as_string() {
        Some(s) => Ok(Some(s)),
        None if v.is_null() => Ok(None),
        None => Err(()),
    }
}

/// A number (a limit, an option): absent when undefined, null or non-finite
/// (as JSON has no such number), wrong for any other type (a BigInt too).
pub(super) fn number(v: &JsValue) -> Given<f64> {
    if v.is_undefined() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() => Ok(Some(n)),
        Some(_) => Ok(None),
        None if v.is_null() => Ok(None),
        None => Err(()),
    }
}
