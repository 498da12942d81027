//! One API call from start to finish, as one state machine: [`Call::advance`]
//! takes what happened ([`Event`]) and answers what to do next ([`Step`]). The
//! binding only does what a step says (sleep, send, read a body) and reports
//! how it ended; the call knows which event it waits for ([`Call::awaiting`])
//! and decides everything else: what to send, whether to retry and after how
//! long, what to answer. Host tests drive it with a scripted transport, so the
//! retry rules are tested without a network.

use super::config::{positive_ms, retries, Given};
use super::envelope::{self, ErrorBody, Meta};
use super::errors::{ApiFailure, ErrorKind, Issue};
use super::idempotency::check_idempotency_key;
use super::pagination::ListQuery;
use super::request::HttpRequest;
use super::response::RawResponse;
use super::retry::{server_wait_ms, Decision, Failure, RetryPolicy, StopReason};
use super::throttle::Throttle;
use super::{path_id_problem, ClientConfig, Endpoint};
use crate::json::{parse, PathSeg, Value};

/// What JavaScript asks for: an operation, its parameters and per-call options.
///
/// ```
/// use agoralia::client::{CallSpec, Endpoint, SpecFields};
/// let spec = CallSpec::from_fields(SpecFields { op: "campaigns.start", id: Ok(Some("5".into())), ..SpecFields::default() }).unwrap();
/// assert_eq!(spec.endpoint, Endpoint::StartCampaign { campaign_id: "5".into() });
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CallSpec {
    pub endpoint: Endpoint,
    /// Sent on POSTs only; `None` on a POST means "send none" (and so no retry).
    pub idempotency_key: Option<String>,
    pub max_retries: Option<u32>,
    pub timeout_ms: Option<f64>,
    pub deadline_ms: Option<f64>,
}

/// A request refused before sending: field and message.
fn refuse(field: &str, message: String) -> ErrorBody {
    let mut e = ErrorBody::simple(ErrorKind::RequestValidation, format!("Invalid request: {message}"));
    e.detail = message.clone();
    e.issues.push(Issue { path: vec![PathSeg::Key(field.to_owned())], code: "invalid".into(), message });
    e
}

/// A call's spec field by field, as the binding reads it from the JS
/// arguments: each value absent (`Ok(None)`), given (`Ok(Some)`; an id or a
/// cursor given as a number is that number's text), or given as a type the
/// field cannot take (`Err`).
///
/// ```
/// use agoralia::client::{CallSpec, SpecFields};
/// assert!(CallSpec::from_fields(SpecFields { op: "agents.list", limit: Ok(Some(500.0)), ..SpecFields::default() }).is_err());
/// assert!(CallSpec::from_fields(SpecFields { op: "me", max_retries: Err(()), ..SpecFields::default() }).is_err());
/// ```
#[derive(Debug)]
pub struct SpecFields<'a> {
    pub op: &'a str,
    pub id: Given<String>,
    pub limit: Given<f64>,
    pub cursor: Given<String>,
    pub campaign_id: Given<String>,
    pub idempotency_key: Given<String>,
    pub max_retries: Given<f64>,
    pub timeout_ms: Given<f64>,
    pub deadline_ms: Given<f64>,
}

impl Default for SpecFields<'_> {
    /// Every field absent, no operation.
    fn default() -> Self {
        SpecFields {
            op: "",
            id: Ok(None),
            limit: Ok(None),
            cursor: Ok(None),
            campaign_id: Ok(None),
            idempotency_key: Ok(None),
            max_retries: Ok(None),
            timeout_ms: Ok(None),
            deadline_ms: Ok(None),
        }
    }
}

impl CallSpec {
    /// Checks the spec's fields; a bad one is a `RequestValidation` error body.
    pub fn from_fields(f: SpecFields<'_>) -> Result<CallSpec, ErrorBody> {
        let page = |limit, cursor| ListQuery::from_given(limit, cursor).map_err(|e| refuse(e.field, e.message));
        // A path id: the right type, then a segment that stays in place (see `path_id_problem`).
        let id = |id: Given<String>| match id {
            Ok(Some(id)) => match path_id_problem(&id) {
                None => Ok(id),
                Some(problem) => Err(refuse("campaign_id", format!("campaign_id {problem}"))),
            },
            _ => Err(refuse("campaign_id", "campaign_id must be a non-empty string or a number".into())),
        };
        let endpoint = match f.op {
            "me" => Endpoint::Me,
            "agents.list" => Endpoint::ListAgents(page(f.limit, f.cursor)?),
            "agents.create" => Endpoint::CreateAgent,
            "campaigns.list" => Endpoint::ListCampaigns(page(f.limit, f.cursor)?),
            "campaigns.create" => Endpoint::CreateCampaign,
            "campaigns.start" => Endpoint::StartCampaign { campaign_id: id(f.id)? },
            "campaigns.results" => Endpoint::CampaignResults { campaign_id: id(f.id)? },
            "leads.upsert" => Endpoint::UpsertLeads,
            "calls.list" => {
                let campaign_id =
                    f.campaign_id.map_err(|()| refuse("campaign_id", "campaign_id must be a string or a number".into()))?;
                Endpoint::ListCalls { campaign_id: campaign_id.filter(|c| !c.is_empty()), page: page(f.limit, f.cursor)? }
            }
            other => return Err(refuse("op", format!("unknown operation \"{other}\""))),
        };
        let idempotency_key = match f.idempotency_key {
            Ok(None) => None,
            Ok(Some(k)) => {
                check_idempotency_key(&k).map_err(|m| refuse("idempotencyKey", m))?;
                Some(k)
            }
            Err(()) => return Err(refuse("idempotencyKey", "idempotencyKey must be a string".into())),
        };
        Ok(CallSpec {
            endpoint,
            idempotency_key,
            max_retries: retries(f.max_retries).map_err(|()| refuse("maxRetries", "maxRetries must be an integer from 0 to 10".into()))?,
            timeout_ms: positive_ms(f.timeout_ms).map_err(|()| refuse("timeoutMs", "timeoutMs must be a positive number".into()))?,
            deadline_ms: positive_ms(f.deadline_ms).map_err(|()| refuse("deadlineMs", "deadlineMs must be a positive number".into()))?,
        })
    }
}

/// The envelope of a spec refused before any request (see [`CallSpec::from_fields`]).
///
/// ```
/// use agoralia::client::{envelope_for_refusal, CallSpec, SpecFields};
/// let e = CallSpec::from_fields(SpecFields { op: "x", ..SpecFields::default() }).unwrap_err();
/// assert!(envelope_for_refusal(&e).contains("request_validation_error"));
/// ```
pub fn envelope_for_refusal(e: &ErrorBody) -> String {
    envelope::failure(e, &Meta::default())
}

/// How the binding's last [`Step`] ended: the input of [`Call::advance`].
#[derive(Debug)]
pub enum Event {
    /// Nothing yet: the call begins.
    Begin,
    /// A [`Step::Sleep`] ran its course.
    Slept,
    /// The caller aborted during a [`Step::Sleep`].
    SleepAborted,
    /// A [`Step::Send`] got a response: its status and the headers the core
    /// reads ([`RawResponse::HEADERS`]).
    Responded { status: u16, headers: Vec<(String, String)> },
    /// The body a [`Step::Read`] asked for, as text (the binding may cut a
    /// huge one: no error needs more than its start).
    Read(String),
    /// After a [`Step::Read`] of a 2xx: the binding parsed the body where the
    /// result is used and found it is the result (JSON and, for a list, a page
    /// with `items`), so it need not cross into the core or be parsed twice.
    ReadAsResult,
    /// The attempt (its [`Step::Send`] or [`Step::Read`]) ended without a
    /// response or without a body; `message` is the platform's text.
    Failed { failure: TransportFailure, message: String },
}

/// What the binding does next: the output of [`Call::advance`].
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Sleep this long, abortable by the caller, then report [`Event::Slept`]
    /// (or [`Event::SleepAborted`]). `retry` says why when it is a retry's
    /// backoff, for the caller's `onRetry` hook; a throttle wait has none.
    Sleep { ms: f64, retry: Option<Retry> },
    /// Send [`Call::request`] with this attempt timeout, then report
    /// [`Event::Responded`] or [`Event::Failed`].
    Send { timeout_ms: f64 },
    /// Read the response's body, then report [`Event::Read`] (or, for a
    /// `success`, [`Event::ReadAsResult`] if the binding parsed it as the
    /// result, a page when `list`) or [`Event::Failed`].
    Read { success: bool, list: bool },
    /// Done, successfully, with the body the binding kept; the metadata is [`Call::meta`].
    Succeeded,
    /// Done: hand this envelope (`{"ok", "data" | "error", "meta"}`) to JavaScript.
    Finish(String),
}

/// Why a [`Step::Sleep`] is a retry's backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
    pub reason: RetryReason,
    /// The status of the failed attempt's response, if it got one.
    pub status: Option<u16>,
}

/// What failed before a retry, as the `onRetry` hook names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// A retryable status (5xx, 408...).
    Status,
    /// A 429.
    RateLimit,
    /// No response.
    Network,
    /// The attempt's timeout passed.
    Timeout,
}

impl RetryReason {
    /// The hook's `reason`: "status", "rate_limit", "network" or "timeout".
    pub fn as_str(self) -> &'static str {
        match self {
            RetryReason::Status => "status",
            RetryReason::RateLimit => "rate_limit",
            RetryReason::Network => "network",
            RetryReason::Timeout => "timeout",
        }
    }
}

/// Which [`Event`] the call waits for: what the binding's pending promise is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awaiting {
    /// [`Event::Begin`].
    Start,
    /// The end of a [`Step::Sleep`].
    Sleep,
    /// The response to a [`Step::Send`].
    Response,
    /// The body of a [`Step::Read`].
    Body,
    /// Nothing: the call is over.
    Nothing,
}

/// How an attempt ended without a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    Connection,
    Timeout,
    Abort,
}

/// What the call reads from the world at each step: the time, a random
/// number for backoff jitter (asked only when a retry is decided), and the
/// client's throttle, shared by its calls.
pub struct Now<'t> {
    pub ms: f64,
    pub random: fn() -> f64,
    pub throttle: &'t mut Throttle,
}

/// Where the call is: what its last [`Step`] was.
#[derive(Debug)]
enum Phase {
    Start,
    Sleeping,
    Sending,
    /// Reading the body of a response with this status and these headers.
    Reading { status: u16, headers: Vec<(String, String)> },
    Done,
}

/// One call in progress.
///
/// ```
/// use agoralia::client::{Call, CallSpec, ClientConfig, Event, Now, SpecFields, Step, Throttle};
/// let config = ClientConfig::new("http://127.0.0.1:8787/api/v1", None).unwrap();
/// let spec = CallSpec::from_fields(SpecFields { op: "me", ..SpecFields::default() }).unwrap();
/// let mut call = Call::start(&config, spec, None, 0.0).unwrap();
/// let mut throttle = Throttle::new(true);
/// fn now(ms: f64, throttle: &mut Throttle) -> Now<'_> { Now { ms, random: || 0.5, throttle } }
/// assert!(matches!(call.advance(Event::Begin, now(0.0, &mut throttle)), Step::Send { .. }));
/// let step = call.advance(Event::Responded { status: 200, headers: vec![] }, now(4.0, &mut throttle));
/// assert_eq!(step, Step::Read { success: true, list: false });
/// let body = Event::Read(r#"{"plan":"pro"}"#.into());
/// let Step::Finish(envelope) = call.advance(body, now(5.0, &mut throttle)) else { panic!() };
/// assert!(envelope.starts_with(r#"{"ok":true,"data":{"plan":"pro"}"#));
/// ```
#[derive(Debug)]
pub struct Call {
    request: HttpRequest,
    policy: RetryPolicy,
    can_resend: bool,
    is_list: bool,
    timeout_ms: f64,
    deadline_ms: f64,
    started_ms: f64,
    deadline_at: f64,
    meta: Meta,
    phase: Phase,
    /// The API key, scrubbed from every error envelope as a last line of defence.
    secret: Option<String>,
}

impl Call {
    /// Prepares the call; a refused request finishes at once with its envelope.
    pub fn start(config: &ClientConfig, spec: CallSpec, body: Option<String>, now_ms: f64) -> Result<Call, String> {
        let endpoint = &spec.endpoint;
        let meta = Meta { method: endpoint.method(), url: String::new(), ..Meta::default() };
        let body = if endpoint.has_body() {
            match body {
                Some(b) if b.trim_start().starts_with('{') => Some(b),
                _ => return Err(envelope::failure(&refuse("body", "the request body must be a JSON object".into()), &meta)),
            }
        } else {
            None
        };
        let key = if endpoint.is_post() { spec.idempotency_key } else { None };
        let request = config.build(endpoint, body, key.as_deref());
        let deadline_ms = spec.deadline_ms.unwrap_or_else(|| config.options.deadline_ms());
        Ok(Call {
            policy: RetryPolicy { max_retries: spec.max_retries.unwrap_or(config.options.max_retries), ..RetryPolicy::default() },
            can_resend: !endpoint.is_post() || key.is_some(),
            is_list: matches!(endpoint, Endpoint::ListAgents(_) | Endpoint::ListCampaigns(_) | Endpoint::ListCalls { .. }),
            timeout_ms: spec.timeout_ms.unwrap_or(config.options.timeout_ms),
            deadline_ms,
            started_ms: now_ms,
            deadline_at: now_ms + deadline_ms,
            meta: Meta { idempotency_key: key, url: request.url.clone(), ..meta },
            phase: Phase::Start,
            secret: config.api_key().map(str::to_owned),
            request,
        })
    }

    /// The request to send (the same bytes on every attempt).
    pub fn request(&self) -> &HttpRequest {
        &self.request
    }

    /// The call's metadata so far; final once it is over.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// Which event the call waits for.
    pub fn awaiting(&self) -> Awaiting {
        match self.phase {
            Phase::Start => Awaiting::Start,
            Phase::Sleeping => Awaiting::Sleep,
            Phase::Sending => Awaiting::Response,
            Phase::Reading { .. } => Awaiting::Body,
            Phase::Done => Awaiting::Nothing,
        }
    }

    /// The one way a call moves: what happened, to what to do next. An event
    /// the call does not wait for ends it with an error (the binding's bug,
    /// never a panic).
    pub fn advance(&mut self, event: Event, now: Now<'_>) -> Step {
        let step = match (std::mem::replace(&mut self.phase, Phase::Done), event) {
            (Phase::Start, Event::Begin) | (Phase::Sleeping, Event::Slept) => self.before_attempt(now.throttle, now.ms),
            (Phase::Sleeping, Event::SleepAborted) => self.on_failure(TransportFailure::Abort, "", now),
            (Phase::Sending, Event::Responded { status, headers }) => {
                let step = Step::Read { success: (200..300).contains(&status), list: self.is_list };
                self.phase = Phase::Reading { status, headers };
                return step;
            }
            (Phase::Sending | Phase::Reading { .. }, Event::Failed { failure, message }) => self.on_failure(failure, &message, now),
            (Phase::Reading { status, headers }, Event::Read(body)) => self.on_response(RawResponse::new(status, headers, body), now),
            (Phase::Reading { status, headers }, Event::ReadAsResult) if (200..300).contains(&status) => {
                self.observe(&RawResponse::new(status, headers, String::new()), now.throttle, now.ms);
                Step::Succeeded
            }
            (_, event) => {
                let msg = format!("internal SDK error: {} out of turn", event.name());
                self.finish(ErrorBody::simple(ErrorKind::Connection, msg))
            }
        };
        self.phase = match step {
            Step::Sleep { .. } => Phase::Sleeping,
            Step::Send { .. } => Phase::Sending,
            _ => Phase::Done,
        };
        step
    }

    /// Before an attempt: wait for the throttle if that fits in the deadline,
    /// else send (the attempt timeout is cut to what is left of the deadline).
    fn before_attempt(&mut self, throttle: &Throttle, now_ms: f64) -> Step {
        let left = self.deadline_at - now_ms;
        if left <= 0.0 {
            return self.finish_timeout(now_ms, true);
        }
        let wait = throttle.wait_ms(now_ms);
        if wait > 0.0 && wait < left {
            return Step::Sleep { ms: wait, retry: None };
        }
        self.meta.attempts += 1;
        Step::Send { timeout_ms: self.timeout_ms.min(left) }
    }

    fn observe(&mut self, r: &RawResponse, throttle: &mut Throttle, now_ms: f64) {
        throttle.observe(r, now_ms);
        self.meta.take_response(r);
        self.meta.elapsed_ms = now_ms - self.started_ms;
    }

    fn retry(&self, delay_ms: f64, reason: RetryReason, status: Option<u16>) -> Step {
        Step::Sleep { ms: delay_ms, retry: Some(Retry { attempt: self.meta.attempts, reason, status }) }
    }

    /// After a response of any status, with its body.
    fn on_response(&mut self, r: RawResponse, now: Now<'_>) -> Step {
        self.observe(&r, now.throttle, now.ms);
        if (200..300).contains(&r.status) {
            let parsed = if r.body.trim().is_empty() { Ok(Value::Null) } else { parse(&r.body) };
            return match parsed {
                Ok(v) if !self.is_list || v.get("items").and_then(Value::as_array).is_some() => {
                    Step::Finish(envelope::success(&r.body, &self.meta))
                }
                _ => self.finish_api(ApiFailure::malformed_success(r.status, &r.body), None),
            };
        }
        let failure = Failure::Status(&r);
        match self.policy.decide(self.retries_done(), &failure, self.can_resend, now.ms, self.deadline_at, (now.random)()) {
            Decision::Retry { delay_ms } => {
                let reason = if r.status == 429 { RetryReason::RateLimit } else { RetryReason::Status };
                self.retry(delay_ms, reason, Some(r.status))
            }
            Decision::Stop(_) => {
                let wait = if r.status == 429 { server_wait_ms(&r, now.ms) } else { r.retry_after_ms(now.ms) };
                self.finish_api(ApiFailure::decode(r.status, &r.body), wait)
            }
        }
    }

    /// After an attempt that got no response, or an abort during a sleep.
    fn on_failure(&mut self, failure: TransportFailure, message: &str, now: Now<'_>) -> Step {
        self.meta.elapsed_ms = now.ms - self.started_ms;
        let (f, reason) = match failure {
            TransportFailure::Abort => return self.finish(ErrorBody::simple(ErrorKind::Abort, "The request was aborted".into())),
            TransportFailure::Connection => (Failure::Connection, RetryReason::Network),
            TransportFailure::Timeout => (Failure::Timeout, RetryReason::Timeout),
        };
        match self.policy.decide(self.retries_done(), &f, self.can_resend, now.ms, self.deadline_at, (now.random)()) {
            Decision::Retry { delay_ms } => self.retry(delay_ms, reason, None),
            Decision::Stop(reason) if failure == TransportFailure::Timeout => {
                self.finish_timeout(now.ms, reason == StopReason::Deadline || now.ms >= self.deadline_at)
            }
            Decision::Stop(reason) => {
                let mut msg = format!("Connection error: {} {} failed", self.request.method, self.request.url);
                if !message.is_empty() {
                    msg.push_str(&format!(" ({message})"));
                }
                msg.push_str(&self.attempts_note());
                if reason == StopReason::NotIdempotent {
                    msg.push_str("; not retried: a POST without an idempotency key may already have been applied");
                }
                self.finish(ErrorBody::simple(ErrorKind::Connection, msg))
            }
        }
    }

    fn retries_done(&self) -> u32 {
        self.meta.attempts.saturating_sub(1)
    }

    fn attempts_note(&self) -> String {
        if self.meta.attempts > 1 {
            format!(" after {} attempts", self.meta.attempts)
        } else {
            String::new()
        }
    }

    fn finish_timeout(&mut self, now_ms: f64, deadline: bool) -> Step {
        self.meta.elapsed_ms = now_ms - self.started_ms;
        let msg = if deadline {
            format!("Request timed out: the call's deadline of {} ms passed{}", self.deadline_ms as u64, self.attempts_note())
        } else {
            format!("Request timed out after {} ms{}", self.timeout_ms as u64, self.attempts_note())
        };
        self.finish(ErrorBody::simple(ErrorKind::Timeout, msg))
    }

    fn finish_api(&mut self, f: ApiFailure, retry_after_ms: Option<f64>) -> Step {
        let message = format!("{} {}{}", f.status, f.detail, self.attempts_note());
        self.finish(ErrorBody {
            kind: f.kind,
            message,
            detail: f.detail,
            body: f.body,
            issues: f.issues,
            required_scope: f.required_scope,
            retry_after_ms,
        })
    }

    fn finish(&mut self, e: ErrorBody) -> Step {
        let text = envelope::failure(&e, &self.meta);
        Step::Finish(match &self.secret {
            Some(key) => redact(text, key),
            None => text,
        })
    }
}

impl Event {
    /// The event's name, for an error that must not repeat its data (a body may hold anything).
    fn name(&self) -> &'static str {
        match self {
            Event::Begin => "Begin",
            Event::Slept => "Slept",
            Event::SleepAborted => "SleepAborted",
            Event::Responded { .. } => "Responded",
            Event::Read(_) => "Read",
            Event::ReadAsResult => "ReadAsResult",
            Event::Failed { .. } => "Failed",
        }
    }
}

/// `text` with every occurrence of the API key replaced by `[redacted]`.
/// (`str::replace` with a `&str` pattern would pull in core's Two-Way searcher.)
fn redact(text: String, key: &str) -> String {
    if key.is_empty() || super::find(&text, key).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = super::find(rest, key) {
        out.push_str(&rest[..at]);
        out.push_str("[redacted]");
        rest = &rest[at + key.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::config::number;

    const KEY: &str = "ago_SandboxAllScopes0000000000000001";

    fn config() -> ClientConfig {
        ClientConfig::new("http://127.0.0.1:9/api/v1", Some(KEY)).unwrap()
    }

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> RawResponse {
        RawResponse::new(status, headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), body.into())
    }

    /// The spec as JSON, for short tables: each member as the glue would
    /// hand it over (a number for an id or a cursor is its text).
    fn spec(json: &str) -> Result<CallSpec, ErrorBody> {
        let v = parse(json).map_err(|e| refuse("spec", format!("call spec is not JSON: {e}")))?;
        let text = |v: Option<&Value>| match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.to_string())),
            Some(Value::Number(n)) => Ok(Some(n.as_text().to_owned())),
            Some(_) => Err(()),
        };
        let param = |k: &str| v.get("params").and_then(|p| p.get(k));
        CallSpec::from_fields(SpecFields {
            op: v.get("op").and_then(Value::as_str).unwrap_or(""),
            id: text(v.get("id")),
            limit: number(param("limit")),
            cursor: text(param("cursor")),
            campaign_id: text(param("campaign_id")),
            idempotency_key: match v.get("idempotencyKey") {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(k)) => Ok(Some(k.to_string())),
                Some(_) => Err(()),
            },
            max_retries: number(v.get("maxRetries")),
            timeout_ms: number(v.get("timeoutMs")),
            deadline_ms: number(v.get("deadlineMs")),
        })
    }

    fn start(json: &str, body: Option<&str>) -> Call {
        Call::start(&config(), spec(json).unwrap(), body.map(String::from), 0.0).unwrap()
    }

    fn finished(step: Step) -> serde_json::Value {
        match step {
            Step::Finish(text) => serde_json::from_str(&text).expect("envelope is JSON"),
            other => panic!("expected Finish, got {other:?}"),
        }
    }

    fn at(ms: f64, throttle: &mut Throttle) -> Now<'_> {
        Now { ms, random: || 0.5, throttle }
    }

    #[test]
    fn each_field_is_refused_by_name() {
        let refused = |f: SpecFields| CallSpec::from_fields(f).map_err(|e| e.issues[0].path.clone()).err();
        let key = |k: &str| Some(vec![PathSeg::Key(k.into())]);
        let text = |s: &str| Ok(Some(s.to_owned()));
        let cases: Vec<(SpecFields, Option<Vec<PathSeg>>)> = vec![
            (SpecFields { op: "me", ..SpecFields::default() }, None),
            (SpecFields { op: "campaigns.list", limit: Ok(Some(20.0)), cursor: text("7"), ..SpecFields::default() }, None),
            (SpecFields { op: "agents.list", limit: Err(()), ..SpecFields::default() }, key("limit")),
            (SpecFields { op: "agents.list", limit: Ok(Some(1.5)), ..SpecFields::default() }, key("limit")),
            (SpecFields { op: "agents.list", cursor: Err(()), ..SpecFields::default() }, key("cursor")),
            // The filter is checked before the page.
            (SpecFields { op: "calls.list", campaign_id: Err(()), limit: Ok(Some(0.0)), ..SpecFields::default() }, key("campaign_id")),
            (SpecFields { op: "calls.list", campaign_id: text("5"), ..SpecFields::default() }, None),
            (SpecFields { op: "campaigns.start", id: text(""), ..SpecFields::default() }, key("campaign_id")),
            (SpecFields { op: "campaigns.results", id: text("9"), ..SpecFields::default() }, None),
            (SpecFields { op: "campaigns.start", id: text("1"), idempotency_key: Err(()), ..SpecFields::default() }, key("idempotencyKey")),
            (SpecFields { op: "me", max_retries: Ok(Some(3.0)), ..SpecFields::default() }, None),
            (SpecFields { op: "me", max_retries: Ok(Some(11.0)), ..SpecFields::default() }, key("maxRetries")),
            (SpecFields { op: "me", max_retries: Err(()), ..SpecFields::default() }, key("maxRetries")),
            (SpecFields { op: "me", timeout_ms: Ok(Some(0.0)), ..SpecFields::default() }, key("timeoutMs")),
            (SpecFields { op: "me", deadline_ms: Err(()), ..SpecFields::default() }, key("deadlineMs")),
            (SpecFields { op: "nope", ..SpecFields::default() }, key("op")),
        ];
        for (f, want) in cases {
            let what = format!("{f:?}");
            assert_eq!(refused(f), want, "{what}");
        }
    }

    /// Drives a call against scripted outcomes, as the binding does; returns
    /// the envelope, the requests as sent and the retries' reasons.
    fn drive(mut call: Call, script: Vec<Result<RawResponse, TransportFailure>>) -> (serde_json::Value, Vec<HttpRequest>, Vec<Retry>) {
        let mut throttle = Throttle::new(true);
        let mut now = 0.0;
        let (mut sent, mut retries) = (Vec::new(), Vec::new());
        let mut script = script.into_iter();
        let mut pending_body = None;
        let mut event = Event::Begin;
        loop {
            event = match call.advance(event, at(now, &mut throttle)) {
                Step::Sleep { ms, retry } => {
                    retries.extend(retry);
                    now += ms;
                    Event::Slept
                }
                Step::Send { .. } => {
                    assert_eq!(call.awaiting(), Awaiting::Response);
                    sent.push(call.request().clone());
                    now += 10.0;
                    match script.next().expect("script long enough") {
                        Ok(r) => {
                            pending_body = Some(r.body);
                            Event::Responded { status: r.status, headers: r.headers }
                        }
                        Err(failure) => Event::Failed { failure, message: "fetch failed".into() },
                    }
                }
                Step::Read { .. } => Event::Read(pending_body.take().expect("a response came")),
                step @ Step::Finish(_) => {
                    assert_eq!(call.awaiting(), Awaiting::Nothing);
                    return (finished(step), sent, retries);
                }
                Step::Succeeded => panic!("only ReadAsResult succeeds without an envelope"),
            };
        }
    }

    #[test]
    fn every_operation_parses() {
        for (op, method, path) in [
            (r#"{"op":"me"}"#, "GET", "/me"),
            (r#"{"op":"agents.list","params":{"limit":2,"cursor":"9"}}"#, "GET", "/agents?limit=2&cursor=9"),
            (r#"{"op":"agents.create"}"#, "POST", "/agents"),
            (r#"{"op":"campaigns.list","params":{}}"#, "GET", "/campaigns"),
            (r#"{"op":"campaigns.create"}"#, "POST", "/campaigns"),
            (r#"{"op":"campaigns.start","id":"c 1"}"#, "POST", "/campaigns/c%201/start"),
            (r#"{"op":"campaigns.results","id":3}"#, "GET", "/campaigns/3/results"),
            (r#"{"op":"leads.upsert"}"#, "POST", "/leads:upsert"),
            (r#"{"op":"calls.list","params":{"campaign_id":5,"limit":1}}"#, "GET", "/calls?campaign_id=5&limit=1"),
        ] {
            let spec = spec(op).unwrap();
            assert_eq!((spec.endpoint.method(), spec.endpoint.path().as_str()), (method, path));
        }
        for bad in [
            r#"{"op":"nope"}"#,
            r#"{"op":"campaigns.start"}"#,
            r#"{"op":"campaigns.start","id":""}"#,
            r#"{"op":"agents.list","params":{"limit":0}}"#,
            r#"{"op":"me","maxRetries":-1}"#,
            r#"{"op":"me","timeoutMs":0}"#,
            r#"{"op":"agents.create","idempotencyKey":"a b"}"#,
            "{",
        ] {
            let e = spec(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::RequestValidation, "{bad}");
        }
    }

    #[test]
    fn path_ids_that_would_move_the_path_are_refused_before_a_request() {
        for op in ["campaigns.start", "campaigns.results"] {
            for id in ["", ".", "..", "%2e", "%2E", ".%2e", "%2E.", "%2e%2E", "%2E%2E"] {
                let f = SpecFields { op, id: Ok(Some(id.into())), ..SpecFields::default() };
                let e = CallSpec::from_fields(f).unwrap_err();
                assert_eq!(e.kind, ErrorKind::RequestValidation, "{op} {id:?}");
                assert_eq!(e.issues[0].path, vec![PathSeg::Key("campaign_id".into())], "{op} {id:?}");
                assert!(e.message.starts_with("Invalid request: campaign_id must not be"), "{}", e.message);
            }
            let json = format!(r#"{{"op":"{op}","id":"%2e."}}"#);
            assert_eq!(spec(&json).unwrap_err().kind, ErrorKind::RequestValidation);
            let spec = CallSpec::from_fields(SpecFields { op, id: Ok(Some("...".into())), ..SpecFields::default() }).unwrap();
            assert!(spec.endpoint.path().starts_with("/campaigns/.../"), "three dots are an ordinary segment");
        }
    }

    #[test]
    fn post_retries_keep_key_and_bytes() {
        let body = r#"{"name":"A"}"#;
        let call = start(r#"{"op":"agents.create","idempotencyKey":"k-1"}"#, Some(body));
        let (env, sent, _) = drive(
            call,
            vec![Err(TransportFailure::Connection), Ok(resp(503, &[], "{}")), Ok(resp(201, &[], r#"{"id":1}"#))],
        );
        assert_eq!(env["ok"], true);
        assert_eq!(env["data"]["id"], 1);
        assert_eq!(env["meta"]["attempts"], 3);
        assert_eq!(env["meta"]["idempotencyKey"], "k-1");
        assert_eq!(sent.len(), 3);
        assert!(sent.iter().all(|r| r == &sent[0] && r.body.as_deref() == Some(body) && r.header("idempotency-key") == Some("k-1")));
    }

    #[test]
    fn post_without_key_is_sent_once() {
        let call = start(r#"{"op":"agents.create","idempotencyKey":null}"#, Some("{}"));
        let (env, sent, _) = drive(call, vec![Err(TransportFailure::Connection)]);
        assert_eq!(sent.len(), 1);
        assert_eq!(env["error"]["kind"], "connection_error");
        assert!(env["error"]["message"].as_str().unwrap().contains("not retried"));
    }

    #[test]
    fn gives_up_after_max_retries_with_the_last_error() {
        let call = start(r#"{"op":"me","maxRetries":1}"#, None);
        let (env, sent, _) = drive(call, vec![Ok(resp(500, &[], "boom")), Ok(resp(502, &[], "<title>502 Bad Gateway</title>"))]);
        assert_eq!(sent.len(), 2);
        assert_eq!(env["error"]["kind"], "internal_server_error");
        assert_eq!(env["error"]["detail"], "502 Bad Gateway");
        assert_eq!(env["error"]["message"], "502 502 Bad Gateway after 2 attempts");
        assert_eq!(env["meta"]["status"], 502);
    }

    #[test]
    fn non_retryable_errors_are_decoded_at_once() {
        let call = start(r#"{"op":"agents.create","idempotencyKey":"k"}"#, Some("{}"));
        let body = r#"{"detail":[{"loc":["body","name"],"msg":"Field required","type":"missing"}]}"#;
        let (env, sent, _) = drive(call, vec![Ok(resp(422, &[("x-ratelimit-remaining", "5")], body))]);
        assert_eq!(sent.len(), 1);
        assert_eq!(env["error"]["kind"], "unprocessable_entity");
        assert_eq!(env["error"]["issues"][0]["path"], serde_json::json!(["name"]));
        assert_eq!(env["meta"]["rateLimit"]["remaining"], 5);
        let call = start(r#"{"op":"me"}"#, None);
        let (env, _, _) = drive(call, vec![Ok(resp(403, &[], r#"{"detail":"Insufficient permissions. Required scope: me:read"}"#))]);
        assert_eq!(env["error"]["requiredScope"], "me:read");
    }

    #[test]
    fn rate_limited_call_waits_retry_after_then_succeeds() {
        let call = start(r#"{"op":"me"}"#, None);
        let limited = resp(429, &[("retry-after", "2"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "60")], "{}");
        let (env, sent, _) = drive(call, vec![Ok(limited), Ok(resp(200, &[], "{}"))]);
        assert_eq!(sent.len(), 2);
        assert!(env["meta"]["elapsedMs"].as_u64().unwrap() >= 2000);
    }

    #[test]
    fn rate_limit_error_carries_retry_after() {
        let call = start(r#"{"op":"me","maxRetries":0}"#, None);
        let (env, _, _) = drive(call, vec![Ok(resp(429, &[("retry-after", "7")], r#"{"detail":"Too many requests. Please try again later."}"#))]);
        assert_eq!(env["error"]["kind"], "rate_limit_exceeded");
        assert_eq!(env["error"]["retryAfterMs"], 7000);
    }

    #[test]
    fn timeouts_retry_then_report() {
        let call = start(r#"{"op":"me","timeoutMs":100}"#, None);
        let (env, sent, _) = drive(call, vec![Err(TransportFailure::Timeout); 3]);
        assert_eq!(sent.len(), 3);
        assert_eq!(env["error"]["kind"], "timeout");
        assert!(env["error"]["message"].as_str().unwrap().contains("100 ms after 3 attempts"));
    }

    #[test]
    fn deadline_cuts_attempts_and_waits() {
        let mut call = start(r#"{"op":"me","timeoutMs":5000,"deadlineMs":1000}"#, None);
        let mut throttle = Throttle::new(true);
        assert_eq!(call.advance(Event::Begin, at(0.0, &mut throttle)), Step::Send { timeout_ms: 1000.0 });
        let timed_out = Event::Failed { failure: TransportFailure::Timeout, message: String::new() };
        let env = finished(call.advance(timed_out, at(1000.0, &mut throttle)));
        assert!(env["error"]["message"].as_str().unwrap().contains("deadline of 1000 ms"));
    }

    #[test]
    fn abort_is_final() {
        let call = start(r#"{"op":"me"}"#, None);
        let (env, sent, _) = drive(call, vec![Err(TransportFailure::Abort)]);
        assert_eq!(sent.len(), 1);
        assert_eq!(env["error"]["kind"], "aborted");
    }

    #[test]
    fn malformed_success_and_non_page_lists_are_api_errors() {
        let (env, _, _) = drive(start(r#"{"op":"agents.list"}"#, None), vec![Ok(resp(200, &[], r#"{"items": [{"id": 1, "na"#))]);
        assert_eq!(env["error"]["kind"], "api_error");
        assert_eq!(env["error"]["status"], serde_json::Value::Null);
        assert_eq!(env["meta"]["status"], 200);
        let (env, _, _) = drive(start(r#"{"op":"agents.list"}"#, None), vec![Ok(resp(200, &[], r#"{"data":[]}"#))]);
        assert_eq!(env["error"]["kind"], "api_error");
        let (env, _, _) = drive(start(r#"{"op":"me"}"#, None), vec![Ok(resp(204, &[], ""))]);
        assert_eq!(env["data"], serde_json::Value::Null);
    }

    #[test]
    fn a_body_read_as_the_result_succeeds_with_meta_only() {
        let mut call = start(r#"{"op":"campaigns.list"}"#, None);
        let mut throttle = Throttle::new(true);
        assert!(matches!(call.advance(Event::Begin, at(0.0, &mut throttle)), Step::Send { .. }));
        let headers = resp(200, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "3")], "").headers;
        let step = call.advance(Event::Responded { status: 200, headers }, at(5.0, &mut throttle));
        assert_eq!(step, Step::Read { success: true, list: true });
        assert_eq!(call.advance(Event::ReadAsResult, at(7.0, &mut throttle)), Step::Succeeded);
        let m = call.meta();
        assert_eq!((m.status, m.attempts, m.elapsed_ms), (Some(200), 1, 7.0));
        assert_eq!(m.rate_limit.unwrap().remaining, Some(0));
        assert!(throttle.wait_ms(7.0) > 0.0, "the throttle saw the headers");
        assert_eq!(call.awaiting(), Awaiting::Nothing);
        let (mut me, mut throttle) = (start(r#"{"op":"me"}"#, None), Throttle::new(true));
        me.advance(Event::Begin, at(0.0, &mut throttle));
        assert_eq!(me.advance(Event::Responded { status: 503, headers: vec![] }, at(1.0, &mut throttle)), Step::Read { success: false, list: false });
    }

    #[test]
    fn an_event_out_of_turn_ends_the_call_with_an_error_not_a_panic() {
        let mut throttle = Throttle::new(true);
        for (before, event) in [
            (vec![], Event::Slept),
            (vec![Event::Begin], Event::Read("{}".into())),
            (vec![Event::Begin], Event::ReadAsResult),
            (vec![Event::Begin, Event::Responded { status: 500, headers: vec![] }], Event::ReadAsResult),
            (vec![Event::Begin, Event::Failed { failure: TransportFailure::Abort, message: String::new() }], Event::Begin),
        ] {
            let mut call = start(r#"{"op":"me"}"#, None);
            for e in before {
                call.advance(e, at(0.0, &mut throttle));
            }
            let env = finished(call.advance(event, at(1.0, &mut throttle)));
            assert!(env["error"]["message"].as_str().unwrap().starts_with("internal SDK error: "), "{env}");
            assert_eq!(call.awaiting(), Awaiting::Nothing);
        }
    }

    #[test]
    fn retries_say_why_and_throttle_waits_do_not() {
        let call = start(r#"{"op":"me","maxRetries":4}"#, None);
        let limited = resp(429, &[("retry-after", "0")], "{}");
        let script = vec![Err(TransportFailure::Connection), Err(TransportFailure::Timeout), Ok(resp(503, &[], "")), Ok(limited), Ok(resp(200, &[], "{}"))];
        let (env, _, retries) = drive(call, script);
        assert_eq!(env["ok"], true);
        let seen: Vec<_> = retries.iter().map(|r| (r.attempt, r.reason.as_str(), r.status)).collect();
        assert_eq!(seen, vec![(1, "network", None), (2, "timeout", None), (3, "status", Some(503)), (4, "rate_limit", Some(429))]);
    }

    #[test]
    fn throttle_delays_the_next_attempt() {
        let mut throttle = Throttle::new(true);
        throttle.observe(&resp(200, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "3")], ""), 0.0);
        let mut call = start(r#"{"op":"me"}"#, None);
        assert_eq!(call.advance(Event::Begin, at(1000.0, &mut throttle)), Step::Sleep { ms: 2000.0, retry: None });
        assert!(matches!(call.advance(Event::Slept, at(3000.0, &mut throttle)), Step::Send { .. }));
        // A wait longer than the deadline is not taken: the server decides.
        let mut call = Call::start(&config(), spec(r#"{"op":"me","deadlineMs":500}"#).unwrap(), None, 1000.0).unwrap();
        assert!(matches!(call.advance(Event::Begin, at(1000.0, &mut throttle)), Step::Send { .. }));
        // An abort during the wait ends the call.
        let mut call = start(r#"{"op":"me"}"#, None);
        call.advance(Event::Begin, at(1000.0, &mut throttle));
        assert_eq!(finished(call.advance(Event::SleepAborted, at(1001.0, &mut throttle)))["error"]["kind"], "aborted");
    }

    #[test]
    fn bodies_are_required_where_the_api_needs_them() {
        let e = Call::start(&config(), spec(r#"{"op":"leads.upsert"}"#).unwrap(), None, 0.0).unwrap_err();
        assert!(e.contains("request_validation_error"));
        let c = start(r#"{"op":"campaigns.start","id":1,"idempotencyKey":"k"}"#, Some("{}"));
        assert_eq!(c.request().body, None);
        assert_eq!(c.request().header("idempotency-key"), Some("k"));
        let c = start(r#"{"op":"me","idempotencyKey":"k"}"#, None);
        assert_eq!(c.request().header("idempotency-key"), None);
    }

    #[test]
    fn the_key_never_reaches_an_error() {
        let call = start(r#"{"op":"me","maxRetries":0}"#, None);
        let echo = format!(r#"{{"detail":"bad key {KEY}"}}"#);
        let (env, _, _) = drive(call, vec![Ok(resp(401, &[("x-echo", KEY)], &echo))]);
        assert!(!env.to_string().contains(KEY));
        assert_eq!(env["error"]["kind"], "authentication_error");
    }
}
