//! One API call from start to finish as a state machine: the binding does the
//! waiting and the I/O, this decides everything else (what to send, whether to
//! retry and after how long, what to answer). Host tests drive it with a fake
//! transport, so the retry rules are tested without a network.

use super::config::{number, positive_ms, retries, Given};
use super::envelope::{self, ErrorBody, Meta};
use super::errors::{ApiFailure, ErrorKind, Issue};
use super::idempotency::check_idempotency_key;
use super::pagination::{scalar_text, ListQuery};
use super::request::HttpRequest;
use super::response::RawResponse;
use super::retry::{server_wait_ms, Decision, Failure, RetryPolicy, StopReason};
use super::throttle::Throttle;
use super::{path_id_problem, ClientConfig, Endpoint};
use crate::json::{parse, PathSeg, Value};

/// What JavaScript asks for: an operation, its parameters and per-call options,
/// as one JSON text:
/// `{"op","id","params","idempotencyKey","maxRetries","timeoutMs","deadlineMs"}`.
///
/// ```
/// use agoralia::client::{CallSpec, Endpoint};
/// let spec = CallSpec::from_json(r#"{"op":"campaigns.start","id":5,"idempotencyKey":"k1"}"#).unwrap();
/// assert_eq!(spec.endpoint, Endpoint::StartCampaign { campaign_id: "5".into() });
/// assert!(CallSpec::from_json(r#"{"op":"agents.list","params":{"limit":500}}"#).is_err());
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

/// A call's spec field by field, as the JS glue hands it to the binding: no
/// JSON text to parse on each request (the parser's code is cold after every
/// network wait, which made it a measurable part of a loopback call). Each value comes as
/// `JSON.stringify` would have written it (a finite number given for an id or
/// a cursor is its text; a non-finite number is absent), or `Err` when it was
/// given as a type the field cannot take.
///
/// ```
/// use agoralia::client::{CallSpec, Endpoint, SpecFields};
/// let spec = CallSpec::from_fields(SpecFields { op: "campaigns.start", id: Ok(Some("5".into())), ..SpecFields::default() }).unwrap();
/// assert_eq!(spec.endpoint, Endpoint::StartCampaign { campaign_id: "5".into() });
/// assert!(CallSpec::from_fields(SpecFields { op: "agents.list", limit: Ok(Some(500.0)), ..SpecFields::default() }).is_err());
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
    /// Parses the spec; a bad parameter is a `RequestValidation` error body.
    pub fn from_json(text: &str) -> Result<CallSpec, ErrorBody> {
        let v = parse(text).map_err(|e| refuse("spec", format!("call spec is not JSON: {e}")))?;
        let param = |k: &str| v.get("params").and_then(|p| p.get(k));
        CallSpec::from_fields(SpecFields {
            op: v.get("op").and_then(Value::as_str).unwrap_or(""),
            id: scalar_text(v.get("id")),
            limit: number(param("limit")),
            cursor: scalar_text(param("cursor")),
            campaign_id: scalar_text(param("campaign_id")),
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

/// The envelope of a spec refused before any request (see [`CallSpec::from_json`]).
///
/// ```
/// let e = agoralia::client::CallSpec::from_json(r#"{"op":"x"}"#).unwrap_err();
/// assert!(agoralia::client::envelope_for_refusal(&e).contains("request_validation_error"));
/// ```
pub fn envelope_for_refusal(e: &ErrorBody) -> String {
    envelope::failure(e, &Meta::default())
}

/// What the binding does next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Sleep this long (abortable), then ask [`Call::next`] again.
    Wait { ms: f64 },
    /// Send [`Call::request`] with this attempt timeout, then report the outcome.
    Send { timeout_ms: f64 },
    /// Done: hand this envelope to JavaScript.
    Finish(String),
}

/// How an attempt ended without a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    Connection,
    Timeout,
    Abort,
}

/// One call in progress.
///
/// ```
/// use agoralia::client::{Call, CallSpec, ClientConfig, RawResponse, Step, Throttle};
/// let config = ClientConfig::new("http://127.0.0.1:8787/api/v1", None).unwrap();
/// let spec = CallSpec::from_json(r#"{"op":"me"}"#).unwrap();
/// let mut call = Call::start(&config, spec, None, 0.0).unwrap();
/// let mut throttle = Throttle::new(true);
/// assert!(matches!(call.next(&throttle, 0.0), Step::Send { .. }));
/// let step = call.on_response(RawResponse::new(200, vec![], r#"{"plan":"pro"}"#.into()), &mut throttle, 5.0, 0.5);
/// let Step::Finish(envelope) = step else { panic!() };
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
            secret: config.api_key().map(str::to_owned),
            request,
        })
    }

    /// The request to send (the same bytes on every attempt).
    pub fn request(&self) -> &HttpRequest {
        &self.request
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.meta.attempts
    }

    /// Before an attempt: wait for the throttle if that fits in the deadline,
    /// else send (the attempt timeout is cut to what is left of the deadline).
    pub fn next(&mut self, throttle: &Throttle, now_ms: f64) -> Step {
        let left = self.deadline_at - now_ms;
        if left <= 0.0 {
            return self.finish_timeout(now_ms, true);
        }
        let wait = throttle.wait_ms(now_ms);
        if wait > 0.0 && wait < left {
            return Step::Wait { ms: wait };
        }
        self.meta.attempts += 1;
        Step::Send { timeout_ms: self.timeout_ms.min(left) }
    }

    /// Whether the call expects a page (`{"items": [...]}`) as its 2xx body.
    pub fn is_list(&self) -> bool {
        self.is_list
    }

    fn observe(&mut self, r: &RawResponse, throttle: &mut Throttle, now_ms: f64) {
        throttle.observe(r, now_ms);
        self.meta.take_response(r);
        self.meta.elapsed_ms = now_ms - self.started_ms;
    }

    /// After a 2xx whose body the binding has already parsed where it will be
    /// used, and found to be JSON (and, for a list, an object with an `items`
    /// array), so it is not parsed twice: finishes with `"data":null` and the
    /// binding supplies the data. `r.body` is not read. A body that failed that
    /// check goes through [`Call::on_response`] instead, for the typed error.
    pub fn on_checked_success(&mut self, r: RawResponse, throttle: &mut Throttle, now_ms: f64) -> Step {
        Step::Finish(envelope::success("null", self.finish_checked(r, throttle, now_ms)))
    }

    /// [`Call::on_checked_success`] without writing the envelope: the call's
    /// final metadata, for a binding that hands it over field by field.
    pub fn finish_checked(&mut self, r: RawResponse, throttle: &mut Throttle, now_ms: f64) -> &Meta {
        self.observe(&r, throttle, now_ms);
        &self.meta
    }

    /// After a response of any status.
    pub fn on_response(&mut self, r: RawResponse, throttle: &mut Throttle, now_ms: f64, random: f64) -> Step {
        self.observe(&r, throttle, now_ms);
        if (200..300).contains(&r.status) {
            let parsed = if r.body.trim().is_empty() { Ok(Value::Null) } else { parse(&r.body) };
            return match parsed {
                Ok(v) if !self.is_list || v.get("items").and_then(Value::as_array).is_some() => {
                    Step::Finish(envelope::success(&r.body, &self.meta))
                }
                _ => self.finish_api(ApiFailure::malformed_success(r.status, &r.body), None),
            };
        }
        match self.policy.decide(self.retries_done(), &Failure::Status(&r), self.can_resend, now_ms, self.deadline_at, random) {
            Decision::Retry { delay_ms } => Step::Wait { ms: delay_ms },
            Decision::Stop(_) => {
                let wait = if r.status == 429 { server_wait_ms(&r, now_ms) } else { r.retry_after_ms(now_ms) };
                self.finish_api(ApiFailure::decode(r.status, &r.body), wait)
            }
        }
    }

    /// After an attempt that got no response; `message` is the platform's text.
    pub fn on_failure(&mut self, failure: TransportFailure, message: &str, now_ms: f64, random: f64) -> Step {
        self.meta.elapsed_ms = now_ms - self.started_ms;
        let f = match failure {
            TransportFailure::Abort => return self.finish(ErrorBody::simple(ErrorKind::Abort, "The request was aborted".into())),
            TransportFailure::Connection => Failure::Connection,
            TransportFailure::Timeout => Failure::Timeout,
        };
        match self.policy.decide(self.retries_done(), &f, self.can_resend, now_ms, self.deadline_at, random) {
            Decision::Retry { delay_ms } => Step::Wait { ms: delay_ms },
            Decision::Stop(reason) if failure == TransportFailure::Timeout => {
                self.finish_timeout(now_ms, reason == StopReason::Deadline || now_ms >= self.deadline_at)
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

    /// The caller aborted while the binding was waiting.
    pub fn on_abort(&mut self, now_ms: f64) -> Step {
        self.on_failure(TransportFailure::Abort, "", now_ms, 0.0)
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

    const KEY: &str = "ago_SandboxAllScopes0000000000000001";

    fn config() -> ClientConfig {
        ClientConfig::new("http://127.0.0.1:9/api/v1", Some(KEY)).unwrap()
    }

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> RawResponse {
        RawResponse::new(status, headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), body.into())
    }

    fn start(spec: &str, body: Option<&str>) -> Call {
        Call::start(&config(), CallSpec::from_json(spec).unwrap(), body.map(String::from), 0.0).unwrap()
    }

    fn finished(step: Step) -> serde_json::Value {
        match step {
            Step::Finish(text) => serde_json::from_str(&text).expect("envelope is JSON"),
            other => panic!("expected Finish, got {other:?}"),
        }
    }

    #[test]
    fn fields_and_json_specs_follow_the_same_rules() {
        let field = |spec: &str| CallSpec::from_json(spec).map_err(|e| e.issues[0].path.clone());
        let fields = |f: SpecFields| CallSpec::from_fields(f).map_err(|e| e.issues[0].path.clone());
        let text = |s: &str| Ok(Some(s.to_owned()));
        let cases: Vec<(&str, SpecFields)> = vec![
            (r#"{"op":"me"}"#, SpecFields { op: "me", ..SpecFields::default() }),
            (
                r#"{"op":"campaigns.list","params":{"limit":20,"cursor":7}}"#,
                SpecFields { op: "campaigns.list", limit: Ok(Some(20.0)), cursor: text("7"), ..SpecFields::default() },
            ),
            (r#"{"op":"agents.list","params":{"limit":"20"}}"#, SpecFields { op: "agents.list", limit: Err(()), ..SpecFields::default() }),
            (r#"{"op":"agents.list","params":{"limit":1.5}}"#, SpecFields { op: "agents.list", limit: Ok(Some(1.5)), ..SpecFields::default() }),
            (r#"{"op":"agents.list","params":{"cursor":[1]}}"#, SpecFields { op: "agents.list", cursor: Err(()), ..SpecFields::default() }),
            (
                r#"{"op":"calls.list","params":{"campaign_id":true,"limit":0}}"#,
                SpecFields { op: "calls.list", campaign_id: Err(()), limit: Ok(Some(0.0)), ..SpecFields::default() },
            ),
            (r#"{"op":"calls.list","params":{"campaign_id":5}}"#, SpecFields { op: "calls.list", campaign_id: text("5"), ..SpecFields::default() }),
            (r#"{"op":"campaigns.start","id":""}"#, SpecFields { op: "campaigns.start", id: text(""), ..SpecFields::default() }),
            (r#"{"op":"campaigns.results","id":9}"#, SpecFields { op: "campaigns.results", id: text("9"), ..SpecFields::default() }),
            (
                r#"{"op":"campaigns.start","id":1,"idempotencyKey":5}"#,
                SpecFields { op: "campaigns.start", id: text("1"), idempotency_key: Err(()), ..SpecFields::default() },
            ),
            (r#"{"op":"me","maxRetries":3}"#, SpecFields { op: "me", max_retries: Ok(Some(3.0)), ..SpecFields::default() }),
            (r#"{"op":"me","maxRetries":11}"#, SpecFields { op: "me", max_retries: Ok(Some(11.0)), ..SpecFields::default() }),
            (r#"{"op":"me","maxRetries":"3"}"#, SpecFields { op: "me", max_retries: Err(()), ..SpecFields::default() }),
            (r#"{"op":"me","timeoutMs":0}"#, SpecFields { op: "me", timeout_ms: Ok(Some(0.0)), ..SpecFields::default() }),
            (r#"{"op":"me","deadlineMs":false}"#, SpecFields { op: "me", deadline_ms: Err(()), ..SpecFields::default() }),
            (r#"{"op":"nope"}"#, SpecFields { op: "nope", ..SpecFields::default() }),
        ];
        for (json, f) in cases {
            assert_eq!(field(json), fields(f), "{json}");
        }
        let wrong = field(r#"{"op":"calls.list","params":{"campaign_id":true,"limit":0}}"#).unwrap_err();
        assert_eq!(wrong, vec![PathSeg::Key("campaign_id".into())], "the filter is checked before the page");
    }

    /// Drives a call against scripted outcomes; returns the envelope and the
    /// requests as sent.
    fn drive(mut call: Call, script: Vec<Result<RawResponse, TransportFailure>>) -> (serde_json::Value, Vec<HttpRequest>) {
        let mut throttle = Throttle::new(true);
        let mut now = 0.0;
        let mut sent = Vec::new();
        let mut script = script.into_iter();
        let mut step = call.next(&throttle, now);
        loop {
            step = match step {
                Step::Wait { ms } => {
                    now += ms;
                    call.next(&throttle, now)
                }
                Step::Send { .. } => {
                    sent.push(call.request().clone());
                    now += 10.0;
                    match script.next().expect("script long enough") {
                        Ok(r) => call.on_response(r, &mut throttle, now, 0.5),
                        Err(f) => call.on_failure(f, "fetch failed", now, 0.5),
                    }
                }
                Step::Finish(_) => return (finished(step), sent),
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
            let spec = CallSpec::from_json(op).unwrap();
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
            let e = CallSpec::from_json(bad).unwrap_err();
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
            assert_eq!(CallSpec::from_json(&json).unwrap_err().kind, ErrorKind::RequestValidation);
            let spec = CallSpec::from_fields(SpecFields { op, id: Ok(Some("...".into())), ..SpecFields::default() }).unwrap();
            assert!(spec.endpoint.path().starts_with("/campaigns/.../"), "three dots are an ordinary segment");
        }
    }

    #[test]
    fn post_retries_keep_key_and_bytes() {
        let body = r#"{"name":"A"}"#;
        let call = start(r#"{"op":"agents.create","idempotencyKey":"k-1"}"#, Some(body));
        let (env, sent) = drive(
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
        let (env, sent) = drive(call, vec![Err(TransportFailure::Connection)]);
        assert_eq!(sent.len(), 1);
        assert_eq!(env["error"]["kind"], "connection_error");
        assert!(env["error"]["message"].as_str().unwrap().contains("not retried"));
    }

    #[test]
    fn gives_up_after_max_retries_with_the_last_error() {
        let call = start(r#"{"op":"me","maxRetries":1}"#, None);
        let (env, sent) = drive(call, vec![Ok(resp(500, &[], "boom")), Ok(resp(502, &[], "<title>502 Bad Gateway</title>"))]);
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
        let (env, sent) = drive(call, vec![Ok(resp(422, &[("x-ratelimit-remaining", "5")], body))]);
        assert_eq!(sent.len(), 1);
        assert_eq!(env["error"]["kind"], "unprocessable_entity");
        assert_eq!(env["error"]["issues"][0]["path"], serde_json::json!(["name"]));
        assert_eq!(env["meta"]["rateLimit"]["remaining"], 5);
        let call = start(r#"{"op":"me"}"#, None);
        let (env, _) = drive(call, vec![Ok(resp(403, &[], r#"{"detail":"Insufficient permissions. Required scope: me:read"}"#))]);
        assert_eq!(env["error"]["requiredScope"], "me:read");
    }

    #[test]
    fn rate_limited_call_waits_retry_after_then_succeeds() {
        let call = start(r#"{"op":"me"}"#, None);
        let limited = resp(429, &[("retry-after", "2"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "60")], "{}");
        let (env, sent) = drive(call, vec![Ok(limited), Ok(resp(200, &[], "{}"))]);
        assert_eq!(sent.len(), 2);
        assert!(env["meta"]["elapsedMs"].as_u64().unwrap() >= 2000);
    }

    #[test]
    fn rate_limit_error_carries_retry_after() {
        let call = start(r#"{"op":"me","maxRetries":0}"#, None);
        let (env, _) = drive(call, vec![Ok(resp(429, &[("retry-after", "7")], r#"{"detail":"Too many requests. Please try again later."}"#))]);
        assert_eq!(env["error"]["kind"], "rate_limit_exceeded");
        assert_eq!(env["error"]["retryAfterMs"], 7000);
    }

    #[test]
    fn timeouts_retry_then_report() {
        let call = start(r#"{"op":"me","timeoutMs":100}"#, None);
        let (env, sent) = drive(call, vec![Err(TransportFailure::Timeout); 3]);
        assert_eq!(sent.len(), 3);
        assert_eq!(env["error"]["kind"], "timeout");
        assert!(env["error"]["message"].as_str().unwrap().contains("100 ms after 3 attempts"));
    }

    #[test]
    fn deadline_cuts_attempts_and_waits() {
        let mut call = start(r#"{"op":"me","timeoutMs":5000,"deadlineMs":1000}"#, None);
        let throttle = Throttle::new(true);
        assert_eq!(call.next(&throttle, 0.0), Step::Send { timeout_ms: 1000.0 });
        let env = finished(call.on_failure(TransportFailure::Timeout, "", 1000.0, 0.5));
        assert!(env["error"]["message"].as_str().unwrap().contains("deadline of 1000 ms"));
    }

    #[test]
    fn abort_is_final() {
        let call = start(r#"{"op":"me"}"#, None);
        let (env, sent) = drive(call, vec![Err(TransportFailure::Abort)]);
        assert_eq!(sent.len(), 1);
        assert_eq!(env["error"]["kind"], "aborted");
    }

    #[test]
    fn malformed_success_and_non_page_lists_are_api_errors() {
        let (env, _) = drive(start(r#"{"op":"agents.list"}"#, None), vec![Ok(resp(200, &[], r#"{"items": [{"id": 1, "na"#))]);
        assert_eq!(env["error"]["kind"], "api_error");
        assert_eq!(env["error"]["status"], serde_json::Value::Null);
        assert_eq!(env["meta"]["status"], 200);
        let (env, _) = drive(start(r#"{"op":"agents.list"}"#, None), vec![Ok(resp(200, &[], r#"{"data":[]}"#))]);
        assert_eq!(env["error"]["kind"], "api_error");
        let (env, _) = drive(start(r#"{"op":"me"}"#, None), vec![Ok(resp(204, &[], ""))]);
        assert_eq!(env["data"], serde_json::Value::Null);
    }

    #[test]
    fn a_checked_success_carries_meta_but_no_data() {
        let mut call = start(r#"{"op":"campaigns.list"}"#, None);
        assert!(call.is_list());
        let mut throttle = Throttle::new(true);
        assert!(matches!(call.next(&throttle, 0.0), Step::Send { .. }));
        let r = resp(200, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "3")], "");
        let env = finished(call.on_checked_success(r, &mut throttle, 7.0));
        assert_eq!(env["ok"], true);
        assert_eq!(env["data"], serde_json::Value::Null);
        assert_eq!(env["meta"]["status"], 200);
        assert_eq!(env["meta"]["attempts"], 1);
        assert_eq!(env["meta"]["elapsedMs"], 7);
        assert_eq!(env["meta"]["rateLimit"]["remaining"], 0);
        assert!(throttle.wait_ms(7.0) > 0.0, "the throttle saw the headers");
        assert!(!start(r#"{"op":"me"}"#, None).is_list());
    }

    #[test]
    fn throttle_delays_the_next_attempt() {
        let mut throttle = Throttle::new(true);
        throttle.observe(&resp(200, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "3")], ""), 0.0);
        let mut call = start(r#"{"op":"me"}"#, None);
        assert_eq!(call.next(&throttle, 1000.0), Step::Wait { ms: 2000.0 });
        assert!(matches!(call.next(&throttle, 3000.0), Step::Send { .. }));
        // A wait longer than the deadline is not taken: the server decides.
        let mut call = Call::start(&config(), CallSpec::from_json(r#"{"op":"me","deadlineMs":500}"#).unwrap(), None, 1000.0).unwrap();
        assert!(matches!(call.next(&throttle, 1000.0), Step::Send { .. }));
    }

    #[test]
    fn bodies_are_required_where_the_api_needs_them() {
        let e = Call::start(&config(), CallSpec::from_json(r#"{"op":"leads.upsert"}"#).unwrap(), None, 0.0).unwrap_err();
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
        let (env, _) = drive(call, vec![Ok(resp(401, &[("x-echo", KEY)], &echo))]);
        assert!(!env.to_string().contains(KEY));
        assert_eq!(env["error"]["kind"], "authentication_error");
    }
}
