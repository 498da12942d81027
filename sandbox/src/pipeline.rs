//! What every /api/v1 request goes through before and after its handler, in order:
//! request log -> rate limits (per key and per IP; headers on every response) ->
//! injected faults (with --faults) -> 1 MiB body limit -> idempotency -> handler ->
//! FastAPI-shaped 404/405. Kept as one plain function so the order is visible.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use tokio::sync::Notify;

use crate::error::{detail, json_response};
use crate::faults::{Fault, Kind};
use crate::idempotency::{fresh, storable, Stored};
use crate::rate_limit::Usage;
use crate::request_log::Entry;
use crate::state::{unix_ms, App};

/// The largest request body accepted (413 beyond).
pub const MAX_BODY: usize = 1024 * 1024;
/// How much of an oversized body is read and discarded so that the client gets to
/// read our 413 instead of a reset connection.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Put in each request's extensions by the server loop: notifying it closes the
/// request's TCP connection without any response (the "drop" fault).
#[derive(Clone)]
pub struct ConnKiller(pub Arc<Notify>);

pub async fn pipeline(State(app): State<App>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if !(path == "/api/v1" || path.starts_with("/api/v1/")) {
        return next.run(req).await;
    }
    let method = req.method().as_str().to_string();
    let at_ms = unix_ms();
    let idx = app.0.log.start(Entry {
        method: method.clone(),
        path: path.clone(),
        query: req.uri().query().map(String::from),
        idempotency_key: header_text(req.headers(), "idempotency-key"),
        status: None,
        at_ms,
    });
    let killer = req.extensions().get::<ConnKiller>().cloned();
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());

    let (usage, limited) = rate_limit(&app, req.headers(), ip);
    let mut resp = if limited {
        detail(StatusCode::TOO_MANY_REQUESTS, "Too many requests. Please try again later.")
    } else {
        let fault = if app.0.cli.faults { app.0.faults.take(&method, &path) } else { None };
        match fault {
            None => process(&app, req, next).await,
            Some(f) if !f.after => match f.kind {
                Kind::Delay => {
                    tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
                    process(&app, req, next).await
                }
                Kind::Drop => drop_connection(killer).await,
                _ => fault_response(&f),
            },
            Some(f) => {
                let processed = process(&app, req, next).await;
                match f.kind {
                    Kind::Delay => {
                        tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
                        processed
                    }
                    Kind::Drop => drop_connection(killer).await,
                    _ => fault_response(&f),
                }
            }
        }
    };
    let injected_429 = resp.headers().contains_key("x-sandbox-rate-limit-fault");
    set_rate_headers(resp.headers_mut(), &usage, limited || injected_429);
    resp.headers_mut().remove("x-sandbox-rate-limit-fault");
    if limited {
        set_header(resp.headers_mut(), "retry-after", usage.retry_after().to_string());
    }
    app.0.log.finish(idx, at_ms, resp.status().as_u16());
    resp
}

fn header_text(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

fn set_header(h: &mut HeaderMap, name: &'static str, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        h.insert(name, v);
    }
}

/// Counts the request in its key's buckets (minute and day, when a key is sent)
/// and its IP's bucket. The headers describe the key's minute window (without a
/// key, the IP's), except once the key's day is used up: then its day window,
/// so that Reset and Retry-After say when requests are accepted again.
fn rate_limit(app: &App, headers: &HeaderMap, ip: Option<IpAddr>) -> (Usage, bool) {
    let ip = ip.map(|i| i.to_string()).unwrap_or_else(|| "unknown".into());
    let by_ip = app.0.limiter.hit(&format!("ip:{ip}"), app.ip_rpm());
    let key = crate::auth::header_key(headers).map(str::trim).filter(|k| !k.is_empty());
    let by_key = key.map(|k| app.0.limiter.hit(&format!("key:{k}"), app.rpm()));
    let by_day = key.map(|k| app.0.limiter.hit_in(&format!("day:{k}"), app.rpd(), crate::rate_limit::DAY_SECS));
    if let Some(day) = by_day.filter(|d| d.exceeded) {
        return (day, true);
    }
    match by_key {
        Some(k) if k.exceeded || !by_ip.exceeded => (k, k.exceeded || by_ip.exceeded),
        _ => (by_ip, by_ip.exceeded),
    }
}

fn set_rate_headers(h: &mut HeaderMap, u: &Usage, exhausted: bool) {
    set_header(h, "x-ratelimit-limit", u.limit.to_string());
    set_header(h, "x-ratelimit-remaining", if exhausted { "0".into() } else { u.remaining.to_string() });
    set_header(h, "x-ratelimit-reset", u.reset.to_string());
}

/// Closes the connection with no response at all; the future never completes
/// (the connection task drops it).
async fn drop_connection(killer: Option<ConnKiller>) -> Response {
    match killer {
        Some(k) => {
            k.0.notify_one();
            std::future::pending::<Response>().await
        }
        None => detail(StatusCode::BAD_GATEWAY, "Injected fault (drop unavailable)"),
    }
}

fn fault_response(f: &Fault) -> Response {
    let status = |default: StatusCode| f.status.and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(default);
    match f.kind {
        Kind::Html502 => {
            let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";
            let mut r = (StatusCode::BAD_GATEWAY, page).into_response();
            r.headers_mut().insert("content-type", HeaderValue::from_static("text/html; charset=utf-8"));
            r
        }
        Kind::Malformed => {
            let mut r = (status(StatusCode::OK), "{\"items\": [{\"id\": 1, \"name\": \"trunc").into_response();
            r.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
            r
        }
        Kind::RateLimit => {
            let mut r = detail(StatusCode::TOO_MANY_REQUESTS, "Too many requests. Please try again later.");
            r.headers_mut().insert("x-sandbox-rate-limit-fault", HeaderValue::from_static("1"));
            if let Some(s) = f.retry_after {
                set_header(r.headers_mut(), "retry-after", s.to_string());
            }
            r
        }
        Kind::Status | Kind::Delay | Kind::Drop => {
            let mut r = detail(status(StatusCode::SERVICE_UNAVAILABLE), "Injected fault");
            // A client's retry can be made to wait exactly this long (0 in soak tests).
            if let Some(s) = f.retry_after {
                set_header(r.headers_mut(), "retry-after", s.to_string());
            }
            r
        }
    }
}

enum BodyError {
    TooLarge,
    Unreadable,
}

/// Reads at most MAX_BODY bytes; past that, drains (bounded) and reports TooLarge.
async fn read_body(body: Body) -> Result<Bytes, BodyError> {
    let mut body = body;
    let mut buf: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Unreadable)?;
        if let Ok(data) = frame.into_data() {
            seen += data.len();
            if seen <= MAX_BODY {
                buf.extend_from_slice(&data);
            } else if seen > DRAIN_LIMIT {
                return Err(BodyError::TooLarge);
            }
        }
    }
    if seen > MAX_BODY {
        Err(BodyError::TooLarge)
    } else {
        Ok(Bytes::from(buf))
    }
}

/// Body limit, idempotency and the handler itself.
async fn process(app: &App, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = match read_body(body).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => return detail(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large"),
        Err(BodyError::Unreadable) => return detail(StatusCode::BAD_REQUEST, "Could not read the request body"),
    };
    let idem = header_text(&parts.headers, "idempotency-key").filter(|k| !k.is_empty());
    if parts.method != Method::POST || idem.is_none() {
        return normalise(next.run(Request::from_parts(parts, Body::from(bytes))).await);
    }
    let idem = idem.unwrap_or_default();
    let api_key = header_text(&parts.headers, "x-api-key").unwrap_or_default();
    let slot = app.0.idempotency.slot(api_key.trim(), &idem, parts.method.as_str(), parts.uri.path());
    // Held across the handler: a concurrent duplicate waits, then replays.
    let mut stored = slot.lock().await;
    if let Some(s) = stored.as_ref().filter(|s| fresh(s)) {
        if s.request_body != bytes {
            return detail(
                StatusCode::CONFLICT,
                "Idempotency-Key was already used with a different request body; use a new key for a new request",
            );
        }
        let mut r = (s.status, s.response_body.clone()).into_response();
        if let Some(ct) = s.content_type.as_deref().and_then(|c| HeaderValue::from_str(c).ok()) {
            r.headers_mut().insert("content-type", ct);
        }
        r.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
        return r;
    }
    let resp = normalise(next.run(Request::from_parts(parts, Body::from(bytes.clone()))).await);
    let (rparts, rbody) = resp.into_parts();
    let rbytes = rbody.collect().await.map(|c| c.to_bytes()).unwrap_or_default();
    *stored = storable(rparts.status).then(|| Stored {
        request_body: bytes,
        status: rparts.status,
        content_type: rparts.headers.get("content-type").and_then(|v| v.to_str().ok()).map(String::from),
        response_body: rbytes.clone(),
        at: std::time::Instant::now(),
    });
    Response::from_parts(rparts, Body::from(rbytes))
}

/// Router-level 404/405 come without a body: give them FastAPI's `{"detail"}` (keeping `Allow`).
fn normalise(resp: Response) -> Response {
    let status = resp.status();
    let is_json = resp.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json || !(status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED) {
        return resp;
    }
    let text = if status == StatusCode::NOT_FOUND { "Not Found" } else { "Method Not Allowed" };
    let (mut parts, _) = resp.into_parts();
    let fresh = json_response(status, &serde_json::json!({"detail": text}));
    let (fparts, body) = fresh.into_parts();
    parts.headers.insert("content-type", HeaderValue::from_static("application/json"));
    parts.headers.remove("content-length");
    let _ = fparts;
    Response::from_parts(parts, body)
}
