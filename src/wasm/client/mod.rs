//! The client binding: [`WasmClient`] turns JS options into a core
//! `ClientConfig` and starts calls; each call is driven by the glue through
//! a [`WasmCall`] (`driver.rs`), which does what the core's `Call` says with
//! `fetch` (`fetch.rs`) and the glue's `CallControl` (`control.rs`), and
//! hands the outcome to that control: the data JS already parsed plus the
//! metadata field by field, or an envelope as one JSON string.

mod control;
mod driver;
mod fetch;
mod spec;

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::{Call, CallSpec, ClientConfig, ClientOptions, SpecFields, Throttle};
use control::{set_timeout, CallControl};
use driver::{Pending, Run, WasmCall};
use fetch::Io;

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
        let io = Io::new(fetch, get_headers).map_err(|_| JsError::new("headers cannot be sent"))?;
        Ok(WasmClient { config: Rc::new(config), throttle: Rc::new(Cell::new(throttle)), io: Rc::new(io) })
    }

    /// Starts one call for the glue and runs it to its first promise (the
    /// fetch), which it answers, leaving the [`WasmCall`] to hand its outcome
    /// to (`next`) in `ctl.run`; or ends it at once (`ctl.finished` with a
    /// refusal's envelope) and answers `undefined`.
    /// The spec's values come as the caller gave them (an id or a cursor
    /// given as a finite number as its text), each `undefined` when absent,
    /// and the core's `CallSpec` judges them: the operation; `id` (a
    /// campaign's, for `campaigns.start` and `campaigns.results`, or the
    /// `campaign_id` filter of `calls.list`), `cursor` and `idempotency_key`;
    /// `limit` and the call's options. `body`: the JSON body text, serialized
    /// once by the caller.
    #[allow(clippy::too_many_arguments)] // plain values in one crossing, not a JSON spec to parse
    pub fn begin(
        &self,
        op: &str,
        id: JsValue,
        cursor: JsValue,
        idempotency_key: JsValue,
        limit: JsValue,
        max_retries: JsValue,
        timeout_ms: JsValue,
        deadline_ms: JsValue,
        body: Option<String>,
        ctl: CallControl,
    ) -> Option<Promise> {
        // One argument for both ids: no operation takes the two.
        let (id, campaign_id) = if op == "calls.list" { (Ok(None), spec::string(&id)) } else { (spec::string(&id), Ok(None)) };
        let fields = SpecFields {
            op,
            id,
            campaign_id,
            limit: spec::number(&limit),
            cursor: spec::string(&cursor),
            idempotency_key: spec::string(&idempotency_key),
            max_retries: spec::number(&max_retries),
            timeout_ms: spec::number(&timeout_ms),
            deadline_ms: spec::number(&deadline_ms),
        };
        let run = match self.start(fields, body, Some(ctl.clone().unchecked_into())) {
            Ok(run) => run,
            Err(envelope) => {
                ctl.finished(&envelope);
                return None;
            }
        };
        let mut call = WasmCall::new(run);
        let first = call.next(JsValue::UNDEFINED, true);
        if call.is_pending() {
            ctl.set_run(call);
        }
        first
    }

    /// The call, or the envelope of its refusal. Without `ctl`, waits are
    /// plain timers and attempts have no timeout.
    fn start(&self, fields: SpecFields<'_>, body: Option<String>, ctl: Option<CallControl>) -> Result<Run, String> {
        let spec = CallSpec::from_fields(fields).map_err(|e| crate::client::envelope_for_refusal(&e))?;
        let call = Call::start(&self.config, spec, body, js_sys::Date::now())?;
        Ok(Run {
            url: JsValue::from_str(&call.request().url),
            call,
            throttle: self.throttle.clone(),
            io: self.io.clone(),
            ctl,
            received: None,
            envelope: String::new(),
        })
    }
}

impl WasmClient {
    /// Runs a call to its end and answers its JSON envelope, awaiting each
    /// promise it hands out as the glue does (with plain timers and no
    /// attempt timeout): for Rust callers such as the wasm tests. Not
    /// exported to JS, so none of it ships in the package's wasm.
    pub async fn run(&self, fields: SpecFields<'_>, body: Option<String>) -> String {
        let mut call = match self.start(fields, body, None) {
            Ok(run) => WasmCall::new(run),
            Err(envelope) => return envelope,
        };
        let (mut value, mut ok) = (JsValue::UNDEFINED, true);
        while let Some(pending) = call.advance(value, ok) {
            let promise = match pending {
                Pending::Promise(p) => p,
                Pending::Sleep(ms) => Promise::new(&mut |resolve, _reject| {
                    set_timeout(&resolve, ms);
                }),
            };
            (value, ok) = match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(v) => (v, true),
                Err(e) => (e, false),
            };
        }
        call.take_envelope()
    }
}
