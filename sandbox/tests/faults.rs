//! Rule: fault injection for tests, off unless --faults: queued faults per route
//! (status N times, delay, drop, non-JSON 502 page, malformed JSON, 429 with or
//! without Retry-After), the request log, reset, runtime config.
mod common;
use common::*;
use serde_json::json;
use std::time::Instant;

const AGENTS: &str = "/api/v1/agents";

#[test]
fn fault_routes_are_absent_without_the_faults_flag() {
    let args: Vec<String> = ["--port", "0"].iter().map(|s| s.to_string()).collect();
    let sb = Sandbox::spawn(&args);
    for (m, p) in [("POST", "/__sandbox/faults"), ("GET", "/__sandbox/requests"), ("POST", "/__sandbox/reset"), ("POST", "/__sandbox/config")] {
        assert_eq!(sb.req(m, p, None, &[("Content-Type", "application/json")], Some(b"{}")).status, 404, "{m} {p}");
    }
}

#[test]
fn status_fault_answers_n_times_then_normal_service() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "GET", "path": AGENTS, "kind": "status", "status": 503, "times": 2}));
    for _ in 0..2 {
        let r = sb.get(AGENTS, ALL);
        assert_eq!((r.status, r.json()), (503, json!({"detail": "Injected fault"})));
        assert!(r.header("x-ratelimit-limit").is_some());
    }
    assert_eq!(sb.get(AGENTS, ALL).status, 200);
    // Faults are per (method, path): other routes are untouched.
    sb.fault(json!({"method": "POST", "path": AGENTS, "kind": "status", "status": 500}));
    assert_eq!(sb.get(AGENTS, ALL).status, 200);
    assert_eq!(sb.post(AGENTS, ALL, &json!({"name": "x"})).status, 500);
    // With retry_after, the fault's answer says how long to wait.
    sb.fault(json!({"method": "GET", "path": AGENTS, "kind": "status", "status": 503, "retry_after": 0}));
    let r = sb.get(AGENTS, ALL);
    assert_eq!((r.status, r.header("retry-after")), (503, Some("0")));
    assert_eq!(sb.get(AGENTS, ALL).header("retry-after"), None);
}

#[test]
fn delay_fault_sleeps_then_answers_normally() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "GET", "path": "/api/v1/me", "kind": "delay", "delay_ms": 700}));
    let t = Instant::now();
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
    assert!(t.elapsed().as_millis() >= 650, "{:?}", t.elapsed());
    let t = Instant::now();
    sb.get("/api/v1/me", ALL);
    assert!(t.elapsed().as_millis() < 500);
}

#[test]
fn drop_fault_closes_the_connection_without_a_response() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "GET", "path": "/api/v1/me", "kind": "drop"}));
    let raw = sb.raw(format!("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-API-Key: {ALL}\r\n\r\n").as_bytes());
    assert!(raw.map(|b| b.is_empty()).unwrap_or(true), "no bytes expected");
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
    // "before": nothing was created.
    sb.fault(json!({"method": "POST", "path": AGENTS, "kind": "drop"}));
    assert!(sb.post_idem(AGENTS, ALL, "d", br#"{"name":"no"}"#).is_err());
    assert_eq!(sb.all_pages(AGENTS, 100).len(), 3);
}

#[test]
fn html502_fault_answers_a_non_json_page() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "GET", "path": "/api/v1/calls", "kind": "html502"}));
    let r = sb.get("/api/v1/calls", ALL);
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text.contains("<html>") && serde_json::from_str::<serde_json::Value>(&r.text).is_err());
}

#[test]
fn malformed_fault_answers_invalid_json_labelled_json() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "GET", "path": "/api/v1/calls", "kind": "malformed"}));
    sb.fault(json!({"method": "GET", "path": "/api/v1/calls", "kind": "malformed", "status": 500}));
    for status in [200, 500] {
        let r = sb.get("/api/v1/calls", ALL);
        assert_eq!(r.status, status);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());
    }
}

#[test]
fn rate_limit_fault_with_and_without_retry_after() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "GET", "path": "/api/v1/me", "kind": "rate_limit", "retry_after": 1}));
    sb.fault(json!({"method": "GET", "path": "/api/v1/me", "kind": "rate_limit"}));
    let r = sb.get("/api/v1/me", ALL);
    assert_eq!((r.status, r.header("retry-after"), r.header("x-ratelimit-remaining")), (429, Some("1"), Some("0")));
    assert!(r.header("x-ratelimit-reset").is_some());
    let r = sb.get("/api/v1/me", ALL);
    assert_eq!((r.status, r.header("retry-after"), r.header("x-ratelimit-remaining")), (429, None, Some("0")));
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
}

#[test]
fn after_faults_process_the_request_first() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "POST", "path": AGENTS, "kind": "status", "status": 503, "when": "after"}));
    assert_eq!(sb.post_idem(AGENTS, ALL, "a", br#"{"name":"made"}"#).unwrap().status, 503);
    assert_eq!(sb.all_pages(AGENTS, 100).len(), 4, "the agent was created before the 503");
}

#[test]
fn request_log_counts_attempts_with_their_idempotency_keys() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "POST", "path": AGENTS, "kind": "status", "status": 503, "times": 2}));
    for _ in 0..3 {
        let _ = sb.post_idem(AGENTS, ALL, "retry-key", br#"{"name":"r"}"#);
    }
    sb.get("/api/v1/calls?limit=5", ALL);
    let log = sb.log();
    assert_eq!(log.len(), 4);
    let statuses: Vec<_> = log.iter().map(|e| e["status"].clone()).collect();
    assert_eq!(statuses, [json!(503), json!(503), json!(201), json!(200)]);
    assert!(log[..3].iter().all(|e| e["idempotency_key"] == "retry-key" && e["path"] == AGENTS && e["method"] == "POST"));
    assert_eq!(log[3]["query"], "limit=5");
    assert_eq!(log[3]["idempotency_key"], json!(null));
    assert!(log.windows(2).all(|w| w[0]["at_ms"].as_u64() <= w[1]["at_ms"].as_u64()));
}

#[test]
fn reset_restores_seed_and_clears_faults_log_idempotency_and_counters() {
    let sb = Sandbox::start_with(&["--rpm", "30"]);
    sb.post_idem(AGENTS, ALL, "k", br#"{"name":"gone"}"#).unwrap();
    sb.fault(json!({"method": "GET", "path": "/api/v1/me", "kind": "status", "status": 500}));
    sb.admin("POST", "/__sandbox/config", Some(&json!({"rpm": 10})));
    let r = sb.admin("POST", "/__sandbox/reset", None);
    assert_eq!(r.status, 200);
    assert!(sb.log().is_empty());
    let me = sb.get("/api/v1/me", ALL);
    assert_eq!((me.status, me.header("x-ratelimit-limit"), me.header("x-ratelimit-remaining")), (200, Some("30"), Some("29")));
    assert_eq!(ids(&sb.all_pages(AGENTS, 100)), [1, 2, 3]);
    // The idempotency store was cleared: the same key creates again, as id 4.
    let again = sb.post_idem(AGENTS, ALL, "k", br#"{"name":"gone"}"#).unwrap();
    assert_eq!((again.status, again.header("idempotent-replayed"), again.json()["id"].as_i64()), (201, None, Some(4)));
}
