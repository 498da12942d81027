//! The driver of one call: it does what the core's [`Call`] says (sleep,
//! send, read a body) and turns how that ended into the core's next
//! [`Event`]. It keeps no state of its own beyond the I/O in flight: which
//! promise is pending is what the call awaits ([`Call::awaiting`]).
//!
//! The glue awaits the promises this hands out and passes each outcome back
//! to [`WasmCall::next`], with no Rust future, waker or closure per await in
//! between; this still makes every request and reads every response.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::control::{AttemptEnd, CallControl};
use super::fetch::{error_text, Io, Received};
use crate::client::{Awaiting, Call, Event, Now, Step, Throttle, TransportFailure};

/// One call in progress, driven by its caller: [`WasmCall::next`] takes the
/// outcome of the promise handed out last and answers the next one, until
/// the call is over and its outcome is with the glue's `CallControl`.
#[wasm_bindgen(js_name = WasmCall)]
pub struct WasmCall {
    /// `None` once the call is over and its outcome is with the `ctl`.
    run: Option<Run>,
}

pub(super) struct Run {
    pub call: Call,
    pub throttle: Rc<Cell<Throttle>>,
    pub io: Rc<Io>,
    /// The glue's control; `None` only when Rust drives the call (`WasmClient::run`).
    pub ctl: Option<CallControl>,
    /// The request URL as a JS string, made once per call.
    pub url: JsValue,
    /// The response whose body is being read.
    pub received: Option<Received>,
    /// The envelope, when the call ended without a `ctl` to hand it to.
    pub envelope: String,
}

/// What the driver waits for next.
pub(super) enum Pending {
    /// A promise to await (the fetch, a body, or `ctl.sleep`).
    Promise(Promise),
    /// Without a `ctl`: sleep this many milliseconds (Rust's own timer: a
    /// closure here would ship the closure glue in the package).
    Sleep(f64),
}

#[wasm_bindgen(js_class = WasmCall)]
impl WasmCall {
    /// Takes the outcome of the promise handed out last (`ok`: it resolved
    /// with `value`, else it rejected with it) and answers the next promise
    /// to await, or `undefined` when the call is over: its outcome is then
    /// with the `CallControl` (`finished` or `succeeded`).
    pub fn next(&mut self, value: JsValue, ok: bool) -> Option<Promise> {
        match self.advance(value, ok)? {
            Pending::Promise(p) => Some(p),
            // Only `WasmClient::run` drives a call without a ctl, and it never calls this.
            Pending::Sleep(_) => None,
        }
    }
}

impl WasmCall {
    pub(super) fn new(run: Run) -> WasmCall {
        WasmCall { run: Some(run) }
    }

    /// [`WasmCall::next`] for Rust callers, who sleep themselves.
    pub(super) fn advance(&mut self, value: JsValue, ok: bool) -> Option<Pending> {
        let run = self.run.as_mut()?;
        let pending = run.next(value, ok);
        // Over, with the outcome handed to the ctl: let go of the call now;
        // what is left of this object is freed with its JS wrapper (no
        // `free()` to call). Without a ctl the run keeps its envelope.
        if pending.is_none() && run.ctl.is_some() {
            self.run = None;
        }
        pending
    }

    /// The envelope of a call that ended without a `ctl`.
    pub(super) fn take_envelope(&mut self) -> String {
        self.run.as_mut().map(|r| std::mem::take(&mut r.envelope)).unwrap_or_default()
    }

    /// Whether the call still waits for a promise (`begin` then hands it to the ctl).
    pub(super) fn is_pending(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.call.awaiting() != Awaiting::Nothing)
    }
}

impl Run {
    /// The awaited promise's outcome, as the event the call waits for; then
    /// the steps it asks for, up to the next promise.
    fn next(&mut self, value: JsValue, ok: bool) -> Option<Pending> {
        let event = match self.call.awaiting() {
            Awaiting::Start => Event::Begin,
            // `ctl.sleep` resolves false when the caller aborted.
            Awaiting::Sleep if ok && value.as_bool() != Some(false) => Event::Slept,
            Awaiting::Sleep => Event::SleepAborted,
            Awaiting::Response if ok => match self.io.received(value) {
                Ok((status, headers, r)) => {
                    self.received = Some(r);
                    Event::Responded { status, headers }
                }
                Err(error) => self.failed(&error),
            },
            Awaiting::Body if ok => self.read(value),
            Awaiting::Response | Awaiting::Body => self.failed(&value),
            Awaiting::Nothing => return None,
        };
        self.drive(event)
    }

    /// Hands `event` to the call and does what it says, until a promise is
    /// pending or the call is over.
    fn drive(&mut self, mut event: Event) -> Option<Pending> {
        loop {
            let mut throttle = self.throttle.get();
            let step = self.call.advance(event, Now { ms: js_sys::Date::now(), random: js_sys::Math::random, throttle: &mut throttle });
            self.throttle.set(throttle);
            event = match step {
                Step::Sleep { ms, retry } => {
                    let Some(c) = &self.ctl else { return Some(Pending::Sleep(ms)) };
                    if let Some(r) = retry {
                        let req = self.call.request();
                        c.will_retry(r.attempt, ms, r.reason.as_str(), r.status, req.method, &req.url);
                    }
                    return Some(Pending::Promise(c.sleep(ms)));
                }
                Step::Send { timeout_ms } => match self.io.send(self.call.request(), &self.url, self.ctl.as_ref(), timeout_ms) {
                    Ok(promise) => return Some(Pending::Promise(promise)),
                    Err(error) => self.failed(&error),
                },
                Step::Read { success, list } => {
                    let text = self.received.as_mut().map(|r| {
                        r.read_as = (success, list);
                        r.response.text()
                    });
                    match text {
                        Some(Ok(text)) => return Some(Pending::Promise(Promise::resolve(&text))),
                        Some(Err(error)) => self.failed(&error),
                        None => self.failed(&JsError::new("no response to read").into()),
                    }
                }
                Step::Succeeded => {
                    // Only after `ctl.accept` kept the body: there is a ctl.
                    if let Some(c) = &self.ctl {
                        let m = self.call.meta();
                        let rl = m.rate_limit.unwrap_or_default();
                        let n = |v: Option<u64>| v.map(|v| v as f64);
                        let post = m.method == "POST";
                        c.succeeded(m.status.unwrap_or(200), m.attempts, m.elapsed_ms, n(rl.limit), n(rl.remaining), n(rl.reset), post, &self.url);
                    }
                    return None;
                }
                Step::Finish(envelope) => {
                    match &self.ctl {
                        Some(c) => c.finished(&envelope),
                        None => self.envelope = envelope,
                    }
                    return None;
                }
            };
        }
    }

    /// The body was read: `ctl` parses a 2xx where the result is used (the
    /// text then stays in JS); anything else goes to the core as text.
    fn read(&mut self, text: JsValue) -> Event {
        let Some(r) = self.received.take() else { return self.failed(&JsError::new("no response to read").into()) };
        let (success, list) = r.read_as;
        let Some(c) = &self.ctl else { return Event::Read(text.as_string().unwrap_or_default()) };
        if c.accept(&r.headers, &text, success, list) {
            return Event::ReadAsResult;
        }
        c.end_attempt(&JsValue::UNDEFINED);
        Event::Read(c.body().as_string().unwrap_or_default())
    }

    /// The attempt got no response (or no body): why, from `ctl`.
    fn failed(&mut self, error: &JsValue) -> Event {
        self.received = None;
        let failure = match self.ctl.as_ref().map(|c| c.end_attempt(error)) {
            Some(AttemptEnd::Aborted) => TransportFailure::Abort,
            Some(AttemptEnd::TimedOut) => TransportFailure::Timeout,
            _ => TransportFailure::Connection,
        };
        Event::Failed { failure, message: error_text(error) }
    }
}
