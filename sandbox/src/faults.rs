//! Fault injection for client tests (only with `--faults`): queue failures for a
//! route, read the request log, reset the state, change the limits at run time.
//! Faults are consumed in order per (method, path), `times` each.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::error::{json_response, ApiError};
use crate::state::{lock, App};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Status,
    Delay,
    Drop,
    Html502,
    Malformed,
    RateLimit,
}

#[derive(Clone, Debug)]
pub struct Fault {
    pub kind: Kind,
    pub status: Option<u16>,
    pub times: u32,
    pub delay_ms: u64,
    pub retry_after: Option<u64>,
    /// Applied after the request was processed (state changed, idempotency stored).
    pub after: bool,
}

#[derive(Default)]
pub struct FaultQueue {
    queues: Mutex<HashMap<(String, String), VecDeque<Fault>>>,
}

impl FaultQueue {
    pub fn push(&self, method: String, path: String, f: Fault) {
        lock(&self.queues).entry((method, path)).or_default().push_back(f);
    }

    /// Takes one use of the first fault queued for (method, path).
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        let mut map = lock(&self.queues);
        let q = map.get_mut(&(method.to_string(), path.to_string()))?;
        let front = q.front_mut()?;
        let f = front.clone();
        front.times = front.times.saturating_sub(1);
        if front.times == 0 {
            q.pop_front();
        }
        Some(f)
    }

    pub fn pending(&self) -> Value {
        let map = lock(&self.queues);
        let mut out: Vec<Value> = Vec::new();
        for ((m, p), q) in map.iter() {
            for f in q {
                out.push(json!({"method": m, "path": p, "kind": format!("{:?}", f.kind).to_lowercase(), "times": f.times, "when": if f.after {"after"} else {"before"}}));
            }
        }
        json!({ "faults": out })
    }

    pub fn clear(&self) {
        lock(&self.queues).clear();
    }
}

/// The `/__sandbox` routes.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/__sandbox/faults", post(add_fault).get(list_faults))
        .route("/__sandbox/requests", get(requests))
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/config", post(config))
}

fn parse_object(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "body must be a JSON object")),
        Err(e) => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("invalid JSON: {e}"))),
    }
}

async fn add_fault(State(app): State<App>, body: Bytes) -> Result<Response, ApiError> {
    let bad = |t: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, t);
    let o = parse_object(&body)?;
    let s = |k: &str| o.get(k).and_then(Value::as_str);
    let u = |k: &str| -> Result<Option<u64>, ApiError> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| bad(format!("{k} must be a non-negative integer"))),
        }
    };
    let method = s("method").ok_or_else(|| bad("method is required".into()))?.to_ascii_uppercase();
    let path = s("path").ok_or_else(|| bad("path is required".into()))?.to_string();
    let kind = match s("kind") {
        Some("status") => Kind::Status,
        Some("delay") => Kind::Delay,
        Some("drop") => Kind::Drop,
        Some("html502") => Kind::Html502,
        Some("malformed") => Kind::Malformed,
        Some("rate_limit") => Kind::RateLimit,
        other => return Err(bad(format!("kind must be one of status, delay, drop, html502, malformed, rate_limit (got {other:?})"))),
    };
    let status = match u("status")? {
        Some(n) if (100..=599).contains(&n) => Some(n as u16),
        Some(n) => return Err(bad(format!("status {n} is not an HTTP status"))),
        None if kind == Kind::Status => return Err(bad("kind status needs a status".into())),
        None => None,
    };
    let after = match s("when") {
        None | Some("before") => false,
        Some("after") => true,
        Some(w) => return Err(bad(format!("when must be before or after (got {w:?})"))),
    };
    let fault = Fault {
        kind,
        status,
        times: u("times")?.unwrap_or(1).clamp(1, 1_000_000) as u32,
        delay_ms: u("delay_ms")?.unwrap_or(1000).min(600_000),
        retry_after: u("retry_after")?,
        after,
    };
    app.0.faults.push(method, path, fault);
    Ok(json_response(StatusCode::CREATED, &json!({"queued": true})))
}

async fn list_faults(State(app): State<App>) -> Response {
    json_response(StatusCode::OK, &app.0.faults.pending())
}

async fn requests(State(app): State<App>) -> Response {
    json_response(StatusCode::OK, &json!({ "requests": app.0.log.all() }))
}

async fn reset(State(app): State<App>) -> Response {
    app.reset();
    json_response(StatusCode::OK, &json!({"reset": true}))
}

async fn config(State(app): State<App>, body: Bytes) -> Result<Response, ApiError> {
    let o = parse_object(&body)?;
    let get = |k: &str| -> Result<Option<u32>, ApiError> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| *n >= 1 && *n <= u32::MAX as u64)
                .map(|n| Some(n as u32))
                .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{k} must be a positive integer"))),
        }
    };
    let (rpm, ip_rpm, rpd) = (get("rpm")?, get("ip_rpm")?, get("rpd")?);
    app.set_limits(rpm, ip_rpm, rpd);
    Ok(json_response(StatusCode::OK, &json!({"rpm": app.rpm(), "ip_rpm": app.ip_rpm(), "rpd": app.rpd()})))
}
