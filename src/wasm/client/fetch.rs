//! HTTP through `fetch`: the request as the core built it, the response's
//! status and the few headers the core reads, and a failure's text.
//!
//! The request is built with `web_sys` directly rather than gloo-net's
//! `RequestBuilder`: gloo's `Headers::set` throws through `unwrap_throw` and its
//! `send()` panics when `fetch` yields something that is not a `Response` (a
//! custom fetch can); here every step returns a `Result`, so no input can trap
//! the instance.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Request, RequestInit, Response};

use super::control::{global_fetch, CallControl, HeaderMap, GLOBAL_THIS};
use crate::client::{HttpRequest, RawResponse};
use crate::json::write_json_string;

/// What the binding builds once per client instead of once per request.
pub(super) struct Io {
    /// The `fetch` option, called with a `Request`.
    pub fetch: Option<Function>,
    /// [`RawResponse::HEADERS`] as JS strings.
    pub header_names: [JsValue; 5],
    /// The headers of a GET (no body, no idempotency key), as the core builds
    /// them and as a JS object: each such request gets a copy of the object.
    pub get_headers: Vec<(String, String)>,
    pub get_headers_js: Object,
}

impl Io {
    pub fn new(fetch: Option<Function>, get_headers: Vec<(String, String)>) -> Result<Io, JsValue> {
        let get_headers_js = js_sys::JSON::parse(&headers_json(&get_headers))?.unchecked_into();
        Ok(Io { fetch, header_names: RawResponse::HEADERS.map(JsValue::from_str), get_headers, get_headers_js })
    }

    /// Begins an attempt (through `ctl`, which gives it its timeout and the
    /// caller's signal) and calls `fetch`; a custom one may return a plain
    /// value or a thenable: resolve() accepts both.
    pub fn send(&self, req: &HttpRequest, url: &JsValue, ctl: Option<&CallControl>, timeout_ms: f64) -> Result<Promise, JsValue> {
        // The common case, a GET with the client's usual headers, uses the
        // headers object built once per client (each request gets a copy: a
        // replaced global fetch may change what it is given); anything else is
        // one JSON text parsed by JS (one crossing, not one per header).
        let headers: JsValue = if req.method == "GET" && req.headers == self.get_headers {
            self.get_headers_js.clone().into()
        } else {
            js_sys::JSON::parse(&headers_json(&req.headers))?
        };
        let init = match ctl {
            Some(c) => c.begin_attempt(timeout_ms, &headers),
            None => {
                let init = RequestInit::new();
                init.set_headers(&Object::assign(&Object::new(), headers.unchecked_ref()));
                init
            }
        };
        if req.method != "GET" {
            init.set_method(req.method);
        }
        if let Some(body) = &req.body {
            init.set_body(&JsValue::from_str(body));
        }
        let returned = match &self.fetch {
            // A custom fetch is documented to receive one `Request`.
            Some(f) => f.call1(&JsValue::UNDEFINED, &Request::new_with_str_and_init(&req.url, &init)?.into())?,
            // `fetch(url, init)`, not `fetch(new Request(..))`: fetch builds a
            // Request from its arguments anyway, so this builds one, not two.
            None => match global_fetch(url, &init) {
                Ok(p) => p,
                // No global fetch (a ReferenceError), or not a function: say so.
                Err(_) if !GLOBAL_THIS.with(|g| Reflect::get(g, &JsValue::from_str("fetch"))).is_ok_and(|f| f.is_function()) => {
                    return Err(JsError::new("no global fetch: pass the `fetch` option").into())
                }
                Err(e) => return Err(e),
            },
        };
        Ok(Promise::resolve(&returned))
    }

    /// What a fetch resolved with, as a response: its status, the headers
    /// the core reads (a few crossings, not every header: the glue builds
    /// `meta.headers` from the response's own `headers`, kept in [`Received`]),
    /// and what is left to read.
    pub fn received(&self, value: JsValue) -> Result<(u16, Vec<(String, String)>, Received), JsValue> {
        let response: Response = if value.is_instance_of::<Response>() || looks_like_response(&value) {
            value.unchecked_into()
        } else {
            return Err(JsError::new("the custom fetch did not return a Response").into());
        };
        let headers: JsValue = response.headers().into();
        let map: &HeaderMap = headers.unchecked_ref();
        let mut pairs = Vec::new();
        for (name, js_name) in RawResponse::HEADERS.iter().zip(&self.header_names) {
            if let Ok(Some(value)) = map.get(js_name) {
                pairs.push(((*name).to_owned(), value));
            }
        }
        Ok((response.status(), pairs, Received { headers, response, read_as: (false, false) }))
    }
}

/// A response whose body is still to read.
pub(super) struct Received {
    /// The response's own headers object, for the glue.
    pub headers: JsValue,
    pub response: Response,
    /// As the core's `Step::Read` says: `(success, list)`.
    pub read_as: (bool, bool),
}

/// Headers as a JSON object; a name given twice (in any case) keeps its last
/// value, as `Headers.set` would.
fn headers_json(headers: &[(String, String)]) -> String {
    let mut text = String::with_capacity(192);
    text.push('{');
    for (i, (name, value)) in headers.iter().enumerate() {
        if headers[i + 1..].iter().any(|(later, _)| later.eq_ignore_ascii_case(name)) {
            continue;
        }
        if text.len() > 1 {
            text.push(',');
        }
        write_json_string(&mut text, name);
        text.push(':');
        write_json_string(&mut text, value);
    }
    text.push('}');
    text
}

/// Duck typing for a Response from another realm (e.g. a polyfill): a numeric
/// `status`, `headers` and a `text` method.
fn looks_like_response(v: &JsValue) -> bool {
    let get = |k: &str| Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    v.is_object() && get("status").as_f64().is_some() && get("headers").is_object() && get("text").is_function()
}

/// "fetch failed (connect ECONNREFUSED 127.0.0.1:9)": the error's message and its cause's.
pub(super) fn error_text(e: &JsValue) -> String {
    let text = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|m| m.as_string());
    let mut out = text(e, "message").or_else(|| e.as_string()).unwrap_or_default();
    if let Ok(cause) = Reflect::get(e, &JsValue::from_str("cause")) {
        if let Some(m) = text(&cause, "message").or_else(|| text(&cause, "code")) {
            out = if out.is_empty() { m } else { format!("{out}: {m}") };
        }
    }
    out
}
