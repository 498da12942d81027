//! What the binding imports from JavaScript: the glue's per-call
//! `CallControl` (`pkg-template/src/control.js`), the global `fetch`, and a
//! response's headers. Every value crossing here is typed: an absent number
//! is `undefined` (`Option`), never a magic value.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::RequestInit;

use super::driver::WasmCall;

#[wasm_bindgen]
extern "C" {
    /// Per-call control object made by the JS glue: it owns the caller's
    /// `AbortSignal` and the timers, and holds the call's outcome.
    #[wasm_bindgen(typescript_type = "CallControl")]
    pub type CallControl;

    /// Where `WasmClient.begin` leaves the call for the glue to drive.
    #[wasm_bindgen(method, setter = run)]
    pub(super) fn set_run(this: &CallControl, run: WasmCall);

    /// Resolves `true` after `ms`, or `false` as soon as the caller aborts.
    #[wasm_bindgen(method)]
    pub(super) fn sleep(this: &CallControl, ms: f64) -> Promise;

    /// Begins an attempt: its fetch init, `{ headers: <a copy of headers>, signal }`,
    /// the signal aborted by the caller's signal or after `timeout_ms`.
    #[wasm_bindgen(method, js_name = beginAttempt)]
    pub(super) fn begin_attempt(this: &CallControl, timeout_ms: f64, headers: &JsValue) -> RequestInit;

    /// Ends the attempt (its timeout no longer runs) and says why it failed,
    /// if it did. Keeps `error` as the cause for the glue.
    #[wasm_bindgen(method, js_name = endAttempt)]
    pub(super) fn end_attempt(this: &CallControl, error: &JsValue) -> AttemptEnd;

    /// Tells the caller's `onRetry` hook (if any) that `attempt` failed and the
    /// next one follows after `delay_ms`; `reason` is a `RetryReason`'s name,
    /// `status` the failed attempt's, if it got a response.
    #[wasm_bindgen(method, js_name = willRetry)]
    pub(super) fn will_retry(
        this: &CallControl,
        attempt: u32,
        delay_ms: f64,
        reason: &str,
        status: Option<u16>,
        method: &str,
        url: &str,
    );

    /// Sees every response's body: keeps the response's `headers` (the
    /// result's or error's `meta.headers` come from the last response), and
    /// for a `success` parses the text where the result is used, keeping the
    /// data: `true` when it is JSON (for a `list`: a page with `items`), so the
    /// core need not copy and parse it again; otherwise false, and `body` has
    /// the text for the core to read.
    #[wasm_bindgen(method)]
    pub(super) fn accept(this: &CallControl, headers: &JsValue, text: &JsValue, success: bool, list: bool) -> bool;

    /// After `accept` said false: the body's first MiB ("" when it was not text).
    #[wasm_bindgen(method, getter)]
    pub(super) fn body(this: &CallControl) -> JsValue;

    /// The call succeeded with the data `accept` kept; this is the core's
    /// `Meta` field by field (a rate-limit figure the server did not send is
    /// `undefined`).
    #[wasm_bindgen(method)]
    pub(super) fn succeeded(
        this: &CallControl,
        status: u16,
        attempts: u32,
        elapsed_ms: f64,
        limit: Option<f64>,
        remaining: Option<f64>,
        reset: Option<f64>,
        post: bool,
        url: &JsValue,
    );

    /// The call ended with this envelope, `{"ok", "data" | "error", "meta"}`:
    /// a refusal, an error, or a success whose body the core read.
    #[wasm_bindgen(method)]
    pub(super) fn finished(this: &CallControl, envelope: &str);

    #[wasm_bindgen(js_name = setTimeout)]
    pub(super) fn set_timeout(callback: &Function, ms: f64) -> JsValue;

    /// The global `fetch`, named at each call (a test or a polyfill may replace
    /// it): a plain call from the import, with no `Reflect.get` and
    /// `Function.call` through two more crossings.
    #[wasm_bindgen(catch, js_name = fetch)]
    pub(super) fn global_fetch(url: &JsValue, init: &RequestInit) -> Result<JsValue, JsValue>;

    /// `globalThis`, to tell a missing `fetch` from one that failed (not
    /// `js_sys::global()`, whose four fallbacks ship for this one look).
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    pub(super) static GLOBAL_THIS: JsValue;

    /// A response's `headers`: a `Headers`, or whatever a custom fetch's
    /// Response carries (then `get` may be missing or throw).
    pub(super) type HeaderMap;
    /// (Any non-string is read as absent or empty; a throw as absent.)
    #[wasm_bindgen(method, catch, js_name = get)]
    pub(super) fn get(this: &HeaderMap, name: &JsValue) -> Result<Option<String>, JsValue>;
}

/// Why an attempt ended, as the glue's `endAttempt` says it
/// (`pkg-template/src/control.js` imports this enum: the codes are defined here only).
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AttemptEnd {
    /// No abort and no timeout: a network error (or the attempt succeeded).
    Failed = 0,
    /// The caller's signal aborted it.
    Aborted = 1,
    /// Its `timeoutMs` passed.
    TimedOut = 2,
}
