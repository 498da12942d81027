//! The client binding: turns JS options into a core `ClientConfig`, runs a core
//! [`Call`] by sleeping and fetching when it says so, and returns its envelope
//! as one JSON string; or, with the glue's `CallControl`, hands a success over
//! as the data JS already parsed plus a few numbers. The glue drives a call
//! with [`WasmCall::next`]: it awaits the promises this hands out (the fetch,
//! the body, a sleep); every request and every read of a response is made here.
//!
//! The request is built with `web_sys` directly rather than gloo-net's
//! `RequestBuilder`: gloo's `Headers::set` throws through `unwrap_throw` and its
//! `send()` panics when `fetch` yields something that is not a `Response` (a
//! custom fetch can); here every step returns a `Result`, so no input can trap
//! the instance.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Request, RequestInit, Response};

use crate::client::{Call, CallSpec, ClientConfig, ClientOptions, ErrorBody, RawResponse, SpecFields, Step, Throttle, TransportFailure};
use crate::json::write_json_string;

#[wasm_bindgen]
extern "C" {
    /// Per-call control object made by the JS glue (`pkg-template/src/control.js`):
    /// it owns the caller's `AbortSignal` and the timers.
    #[wasm_bindgen(typescript_type = "CallControl")]
    pub type CallControl;

    /// Where `WasmClient.begin` leaves the call for the glue to drive.
    #[wasm_bindgen(method, setter = run)]
    fn set_run(this: &CallControl, run: WasmCall);

    /// Resolves `true` after `ms`, or `false` as soon as the caller aborts.
    #[wasm_bindgen(method)]
    fn sleep(this: &CallControl, ms: f64) -> Promise;

    /// Begins an attempt: its fetch init, `{ headers: <a copy of headers>, signal }`,
    /// the signal aborted by the caller's signal or after `timeout_ms`.
    #[wasm_bindgen(method, js_name = beginAttempt)]
    fn begin_attempt(this: &CallControl, timeout_ms: f64, headers: &JsValue) -> RequestInit;

    /// Ends the attempt (its timeout no longer runs) and says why it failed, if it did:
    /// an [`AttemptEnd`] value. Keeps `error` as the cause for the glue.
    #[wasm_bindgen(method, js_name = endAttempt)]
    fn end_attempt(this: &CallControl, error: &JsValue) -> u32;

    /// Tells the caller's `onRetry` hook (if any) that `attempt` failed and the
    /// next one follows after `delay_ms`. `reason`: "status", "rate_limit",
    /// "network" or "timeout"; `status` is 0 without a response.
    #[wasm_bindgen(method, js_name = willRetry)]
    fn will_retry(this: &CallControl, attempt: u32, delay_ms: f64, reason: &str, status: u16, method: &str, url: &str);

    /// Ends an attempt whose 2xx body `accept` kept: the call succeeded, with
    /// this metadata (the core's `Meta`; a rate-limit figure not sent is -1).
    /// The call then ends with `true` instead of a JSON envelope.
    #[wasm_bindgen(method)]
    fn succeeded(
        this: &CallControl,
        status: u16,
        attempts: u32,
        elapsed_ms: f64,
        limit: f64,
        remaining: f64,
        reset: f64,
        post: bool,
        url: &JsValue,
    );

    /// Sees every response: keeps its `headers` (the result's or error's
    /// `meta.headers` come from the last response), and for a 2xx (`ok`)
    /// parses the body text where the result is used, keeping the data: `true`
    /// when it is JSON (for a list: a page with `items`), so the core need not
    /// copy and parse it again; otherwise false, and `body` has the text for
    /// the core to read.
    #[wasm_bindgen(method)]
    fn accept(this: &CallControl, headers: &JsValue, text: &JsValue, ok: bool, is_list: bool) -> bool;

    /// After `accept` said false: the body's first MiB ("" when it was not text).
    #[wasm_bindgen(method, getter)]
    fn body(this: &CallControl) -> JsValue;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;

    /// The global `fetch`, named at each call (a test or a polyfill may replace
    /// it): a plain call from the import, with no `Reflect.get` and
    /// `Function.call` through two more crossings.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &JsValue, init: &RequestInit) -> Result<JsValue, JsValue>;

    /// `globalThis`, to tell a missing `fetch` from one that failed (not
    /// `js_sys::global()`, whose four fallbacks ship for this one look).
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;

    /// A response's `headers`: a `Headers`, or whatever a custom fetch's
    /// Response carries (then `get` may be missing or throw).
    type HeaderMap;
    /// (Any non-string is read as absent or empty; a throw as absent.)
    #[wasm_bindgen(method, catch, js_name = get)]
    fn get(this: &HeaderMap, name: &JsValue) -> Result<Option<String>, JsValue>;
}

/// Why an attempt ended without a response, as the glue's `endAttempt` says it
/// (`pkg-template/src/control.js` imports this enum: the codes are defined here only).
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum AttemptEnd {
    /// No abort and no timeout: a network error (or the attempt succeeded).
    Failed = 0,
    /// The caller's signal aborted it.
    Aborted = 1,
    /// Its `timeoutMs` passed.
    TimedOut = 2,
}

/// What the binding builds once per client instead of once per request.
struct Io {
    /// The `fetch` option, called with a `Request`.
    fetch: Option<Function>,
    /// [`RawResponse::HEADERS`] as JS strings.
    header_names: [JsValue; 5],
    /// The headers of a GET (no body, no idempotency key), as the core builds
    /// them and as a JS object: each such request gets a copy of the object.
    get_headers: Vec<(String, String)>,
    get_headers_js: Object,
}

/// A configured client. Cheap to share: calls run concurrently on one instance
/// and share its rate-limit throttle.
#[wasm_bindgen(js_name = WasmClient)]
pub struct WasmClient {
    config: Rc<ClientConfig>,
    throttle: Rc<Cell<Throttle>>,
    io: Rc<Io>,
}

#[wasm_bindgen(js_class = WasmClient)]
impl WasmClient {
    /// Refuses a malformed key, base URL or option before any request.
    /// `options_json`: `{"maxRetries","timeoutMs","deadlineMs","throttle","headers"}`.
    /// `fetch`: called as `fetch(request)` instead of the global `fetch`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        base_url: &str,
        api_key: Option<String>,
        options_json: Option<String>,
        fetch: Option<Function>,
    ) -> Result<WasmClient, JsError> {
        let options = match options_json {
            Some(text) => ClientOptions::from_json(&text).map_err(|e| JsError::new(&e.to_string()))?,
            None => ClientOptions::default(),
        };
        let throttle = Throttle::new(options.throttle);
        let config =
            ClientConfig::with_options(base_url, api_key.as_deref(), options).map_err(|e| JsError::new(&e.to_string()))?;
        let get_headers = config.build(&crate::client::Endpoint::Me, None, None).headers;
        let get_headers_js: Object = js_sys::JSON::parse(&headers_json(&get_headers))
            .map_err(|_| JsError::new("headers cannot be sent"))?
            .unchecked_into();
        let io = Io { fetch, header_names: RawResponse::HEADERS.map(JsValue::from_str), get_headers, get_headers_js };
        Ok(WasmClient { config: Rc::new(config), throttle: Rc::new(Cell::new(throttle)), io: Rc::new(io) })
    }

    /// Starts one call for the glue and runs it to its first promise (the
    /// fetch): answers that promise, and sets `ctl.run` to the [`WasmCall`]
    /// to hand its outcome to (`next`, until it answers a string or `true`);
    /// or answers the end at once (a refusal's envelope).
    /// The spec comes field by field (see [`SpecFields`]): the operation;
    /// then `id` (a campaign's, for `campaigns.start` and `campaigns.results`,
    /// or the `campaign_id` filter of `calls.list`), `cursor` and
    /// `idempotency_key`, each a string, undefined when absent or `false`
    /// when given as a type it cannot take; then `limit` and the call's
    /// options, each a number, NaN when absent or -Infinity when given as
    /// another type (the glue sends no other non-finite number, as JSON has
    /// none). `body`: the JSON body text, serialized once by the caller.
    #[allow(clippy::too_many_arguments)] // plain values in one crossing, not a JSON spec to parse
    pub fn begin(
        &self,
        op: &str,
        id: JsValue,
        cursor: JsValue,
        idempotency_key: JsValue,
        limit: f64,
        max_retries: f64,
        timeout_ms: f64,
        deadline_ms: f64,
        body: Option<String>,
        ctl: CallControl,
    ) -> JsValue {
        let text = |v: JsValue| if v.is_undefined() { Ok(None) } else { v.as_string().map(Some).ok_or(()) };
        let number = |n: f64| match n {
            _ if n.is_nan() => Ok(None),
            f64::NEG_INFINITY => Err(()),
            _ => Ok(Some(n)),
        };
        // One argument for both ids: no operation takes the two.
        let (id, campaign_id) = if op == "calls.list" { (Ok(None), text(id)) } else { (text(id), Ok(None)) };
        let spec = CallSpec::from_fields(SpecFields {
            op,
            id,
            campaign_id,
            limit: number(limit),
            cursor: text(cursor),
            idempotency_key: text(idempotency_key),
            max_retries: number(max_retries),
            timeout_ms: number(timeout_ms),
            deadline_ms: number(deadline_ms),
        });
        let handle: CallControl = ctl.clone().unchecked_into();
        let mut call = self.start(spec, body, Some(ctl));
        let out = call.next(JsValue::UNDEFINED, true);
        // Not over (see `next`): the glue hands the promise's outcome back.
        if call.run.is_ok() {
            handle.set_run(call);
        }
        out
    }

    /// Without `ctl`, waits are plain timers and attempts have no timeout.
    fn start(&self, spec: Result<CallSpec, ErrorBody>, body: Option<String>, ctl: Option<CallControl>) -> WasmCall {
        let now = js_sys::Date::now();
        let call = spec
            .map_err(|e| crate::client::envelope_for_refusal(&e))
            .and_then(|spec| Call::start(&self.config, spec, body, now));
        let run = call.map(|call| Run {
            url: JsValue::from_str(&call.request().url),
            call,
            throttle: self.throttle.clone(),
            io: self.io.clone(),
            ctl,
            phase: Phase::Start,
        });
        WasmCall { run }
    }
}

impl WasmClient {
    /// Runs a call to its end and answers its JSON envelope, awaiting each
    /// promise it hands out as the glue does (with plain timers and no
    /// attempt timeout): for Rust callers such as the wasm tests. Not
    /// exported to JS, so none of it ships in the package's wasm.
    pub async fn run(&self, spec_json: &str, body: Option<String>) -> String {
        let mut call = self.start(CallSpec::from_json(spec_json), body, None);
        let mut out = call.next(JsValue::UNDEFINED, true);
        // Until it is over: a promise to await, or a number of milliseconds to sleep.
        while call.run.is_ok() {
            let promise = match out.as_f64() {
                Some(ms) => Promise::new(&mut |resolve, _reject| {
                    set_timeout(&resolve, ms);
                }),
                None => out.unchecked_into::<Promise>(),
            };
            out = match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(v) => call.next(v, true),
                Err(e) => call.next(e, false),
            };
        }
        out.as_string().unwrap_or_default()
    }
}

/// One call in progress, driven by its caller: each `next` runs the core
/// until it must wait for a promise (a fetch, a body, a sleep), and hands
/// that promise out; the caller awaits it and passes its outcome back. So
/// the glue awaits plain promises, with no Rust future, waker or closure
/// per await in between, while this still makes every request and reads
/// every response.
#[wasm_bindgen(js_name = WasmCall)]
pub struct WasmCall {
    /// `Err`: refused before any request, with its envelope (taken by `next`).
    run: Result<Run, String>,
}

struct Run {
    call: Call,
    throttle: Rc<Cell<Throttle>>,
    io: Rc<Io>,
    ctl: Option<CallControl>,
    /// The request URL as a JS string, made once per call.
    url: JsValue,
    phase: Phase,
}

/// What the promise last handed out was.
enum Phase {
    Start,
    Sleeping,
    Fetching,
    /// Reading the body of a response with this status and these headers.
    Reading { status: u16, pairs: Vec<(String, String)>, headers: JsValue },
    Done,
}

#[wasm_bindgen(js_class = WasmCall)]
impl WasmCall {
    /// Takes the outcome of the promise handed out last (`ok`: it resolved
    /// with `value`, else it rejected with it; ignored on the first call) and
    /// answers the next promise to await (for `run`, without a ctl, a sleep
    /// is a number of milliseconds instead), or, when the call is over, the JSON
    /// envelope `{"ok", "data" | "error", "meta"}` (a string) or `true` after
    /// handing a success to `ctl.succeeded`.
    pub fn next(&mut self, value: JsValue, ok: bool) -> JsValue {
        let out = match &mut self.run {
            Ok(run) => {
                let out = run.next(value, ok);
                // Still waiting: known from the phase, with no look at `out`
                // (each look is a call into JS).
                if !matches!(run.phase, Phase::Done) {
                    return out;
                }
                out
            }
            Err(envelope) => JsValue::from_str(&std::mem::take(envelope)),
        };
        // Over: let go of the call now; what is left of this object is
        // freed with its JS wrapper (no `free()` to call).
        self.run = Err(String::new());
        out
    }
}

impl Run {
    fn next(&mut self, value: JsValue, ok: bool) -> JsValue {
        let step = match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Start => self.call.next(&self.throttle.get(), js_sys::Date::now()),
            Phase::Sleeping if ok && value.as_bool().unwrap_or(true) => self.call.next(&self.throttle.get(), js_sys::Date::now()),
            Phase::Sleeping => self.call.on_abort(js_sys::Date::now()),
            Phase::Fetching => match self.received(value, ok) {
                Ok(text) => return text,
                Err(error) => self.attempt_failed(error),
            },
            Phase::Reading { status, pairs, headers } if ok => self.attempt_read(status, pairs, &headers, value),
            Phase::Reading { .. } => self.attempt_failed(value),
            Phase::Done => return JsValue::from_str(""),
        };
        self.drive(step)
    }

    /// Runs the core until it waits (hands out the promise) or finishes.
    fn drive(&mut self, mut step: Step) -> JsValue {
        loop {
            step = match step {
                // "" is a success handed to `ctl.succeeded`: `true`, no string to make.
                Step::Finish(envelope) if envelope.is_empty() => return JsValue::TRUE,
                Step::Finish(envelope) => return JsValue::from_str(&envelope),
                Step::Wait { ms } => {
                    self.phase = Phase::Sleeping;
                    return match &self.ctl {
                        Some(c) => c.sleep(ms).into(),
                        // Only `run` drives a call without a ctl, and it sleeps
                        // itself: a Rust closure here would ship the closure
                        // glue (and its 600-byte import name) in the package.
                        None => JsValue::from_f64(ms),
                    };
                }
                Step::Send { timeout_ms } => {
                    match self.fetch(timeout_ms) {
                        Ok(promise) => {
                            self.phase = Phase::Fetching;
                            return promise.into();
                        }
                        Err(error) => self.attempt_failed(error),
                    }
                }
            };
        }
    }

    /// Begins an attempt and calls `fetch`; a custom one may return a plain
    /// value or a thenable: resolve() accepts both.
    fn fetch(&self, timeout_ms: f64) -> Result<Promise, JsValue> {
        let (req, io) = (self.call.request(), &*self.io);
        // The common case, a GET with the client's usual headers, uses the
        // headers object built once per client (each request gets a copy: a
        // replaced global fetch may change what it is given); anything else is
        // one JSON text parsed by JS (one crossing, not one per header).
        let headers: JsValue = if req.method == "GET" && req.headers == io.get_headers {
            io.get_headers_js.clone().into()
        } else {
            js_sys::JSON::parse(&headers_json(&req.headers))?
        };
        let init = match &self.ctl {
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
        let returned = match &io.fetch {
            // A custom fetch is documented to receive one `Request`.
            Some(f) => f.call1(&JsValue::UNDEFINED, &Request::new_with_str_and_init(&req.url, &init)?.into())?,
            // `fetch(url, init)`, not `fetch(new Request(..))`: fetch builds a
            // Request from its arguments anyway, so this builds one, not two.
            None => match global_fetch(&self.url, &init) {
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

    /// The fetch settled: reads status and the headers the core uses, and
    /// hands out the body text's promise.
    fn received(&mut self, value: JsValue, ok: bool) -> Result<JsValue, JsValue> {
        if !ok {
            return Err(value);
        }
        let response: Response = if value.is_instance_of::<Response>() || looks_like_response(&value) {
            value.unchecked_into()
        } else {
            return Err(JsError::new("the custom fetch did not return a Response").into());
        };
        let status = response.status();
        let headers: JsValue = response.headers().into();
        // Only what the core reads (a few crossings), not every header: the
        // glue builds `meta.headers` from the same object.
        let map: &HeaderMap = headers.unchecked_ref();
        let mut pairs = Vec::new();
        for (name, js_name) in RawResponse::HEADERS.iter().zip(&self.io.header_names) {
            if let Ok(Some(value)) = map.get(js_name) {
                pairs.push(((*name).to_owned(), value));
            }
        }
        let text = Promise::resolve(&response.text()?);
        self.phase = Phase::Reading { status, pairs, headers };
        Ok(text.into())
    }

    /// The body was read: `ctl` parses a 2xx where the result is used (the
    /// text then stays in JS and the metadata goes over as arguments, no
    /// envelope); anything else goes to the core as text.
    fn attempt_read(&mut self, status: u16, pairs: Vec<(String, String)>, headers: &JsValue, mut text: JsValue) -> Step {
        let ok = (200..300).contains(&status);
        if let Some(c) = &self.ctl {
            if c.accept(headers, &text, ok, self.call.is_list()) {
                let mut t = self.throttle.get();
                let m = self.call.finish_checked(RawResponse::new(status, pairs, String::new()), &mut t, js_sys::Date::now());
                self.throttle.set(t);
                let rl = m.rate_limit.unwrap_or_default();
                let n = |v: Option<u64>| v.map_or(-1.0, |v| v as f64);
                let post = m.method == "POST";
                c.succeeded(m.status.unwrap_or(0), m.attempts, m.elapsed_ms, n(rl.limit), n(rl.remaining), n(rl.reset), post, &self.url);
                return Step::Finish(String::new());
            }
            c.end_attempt(&JsValue::UNDEFINED);
            text = c.body();
        }
        let response = RawResponse::new(status, pairs, text.as_string().unwrap_or_default());
        let mut t = self.throttle.get();
        let next = self.call.on_response(response, &mut t, js_sys::Date::now(), js_sys::Math::random());
        self.throttle.set(t);
        self.hook(next, status, if status == 429 { "rate_limit" } else { "status" })
    }

    /// The attempt got no response (or no body): why, from `ctl`.
    fn attempt_failed(&mut self, error: JsValue) -> Step {
        let failure = match self.ctl.as_ref().map(|c| c.end_attempt(&error)) {
            Some(w) if w == AttemptEnd::Aborted as u32 => TransportFailure::Abort,
            Some(w) if w == AttemptEnd::TimedOut as u32 => TransportFailure::Timeout,
            _ => TransportFailure::Connection,
        };
        let reason = if failure == TransportFailure::Timeout { "timeout" } else { "network" };
        let next = self.call.on_failure(failure, &error_text(&error), js_sys::Date::now(), js_sys::Math::random());
        self.hook(next, 0, reason)
    }

    /// A wait right after an attempt is a retry's backoff (throttle waits come
    /// only from `Call::next`): the one moment to tell the `onRetry` hook.
    fn hook(&self, next: Step, status: u16, reason: &str) -> Step {
        if let (Some(c), Step::Wait { ms }) = (&self.ctl, &next) {
            let req = self.call.request();
            c.will_retry(self.call.attempts(), *ms, reason, status, req.method, &req.url);
        }
        next
    }
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
fn error_text(e: &JsValue) -> String {
    let text = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|m| m.as_string());
    let mut out = text(e, "message").or_else(|| e.as_string()).unwrap_or_default();
    if let Ok(cause) = Reflect::get(e, &JsValue::from_str("cause")) {
        if let Some(m) = text(&cause, "message").or_else(|| text(&cause, "code")) {
            out = if out.is_empty() { m } else { format!("{out}: {m}") };
        }
    }
    out
}
