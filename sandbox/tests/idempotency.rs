//! Rule: idempotency as published (24 h, exact body match, replay of the original
//! status and body, 409 on a different body); 5xx/401/403/429 are not stored.
mod common;
use common::*;
use serde_json::json;

#[test]
fn same_key_same_body_replays_the_original_status_and_body() {
    let sb = Sandbox::start();
    let body = br#"{"name": "Idem Agent"}"#;
    let first = sb.post_idem("/api/v1/agents", ALL, "key-1", body).unwrap();
    assert_eq!(first.status, 201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let second = sb.post_idem("/api/v1/agents", ALL, "key-1", body).unwrap();
    assert_eq!((second.status, &second.text), (201, &first.text));
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(sb.all_pages("/api/v1/agents", 100).len(), 4, "one agent created");
    // A replayed 422 is a 422 again (validation outcomes are stored).
    let bad = sb.post_idem("/api/v1/agents", ALL, "key-2", b"{}").unwrap();
    let again = sb.post_idem("/api/v1/agents", ALL, "key-2", b"{}").unwrap();
    assert_eq!((bad.status, again.status, again.text), (422, 422, bad.text));
    // Start and upsert are idempotent too.
    let s1 = sb.try_req("POST", "/api/v1/campaigns/1/start", Some(ALL), &[("Idempotency-Key", "k3")], None).unwrap();
    let s2 = sb.try_req("POST", "/api/v1/campaigns/1/start", Some(ALL), &[("Idempotency-Key", "k3")], None).unwrap();
    assert_eq!(s1.json()["proposal_id"], s2.json()["proposal_id"]);
}

#[test]
fn same_key_different_body_is_409_even_a_byte_apart() {
    let sb = Sandbox::start();
    assert_eq!(sb.post_idem("/api/v1/agents", ALL, "k", br#"{"name": "A"}"#).unwrap().status, 201);
    let r = sb.post_idem("/api/v1/agents", ALL, "k", br#"{"name":"A"}"#).unwrap();
    assert_eq!(r.status, 409);
    assert!(r.detail().is_string());
    // The key is scoped to method + path and API key: elsewhere it is a new key.
    assert_eq!(sb.post_idem("/api/v1/campaigns", ALL, "k", valid_campaign().to_string().as_bytes()).unwrap().status, 201);
}

#[test]
fn posts_without_the_header_are_not_deduplicated() {
    let sb = Sandbox::start();
    let body = json!({"name": "twice"});
    assert_eq!(sb.post("/api/v1/agents", ALL, &body).status, 201);
    assert_eq!(sb.post("/api/v1/agents", ALL, &body).status, 201);
    assert_eq!(sb.all_pages("/api/v1/agents", 100).len(), 5);
}

#[test]
fn failed_5xx_401_403_429_outcomes_are_not_stored() {
    let sb = Sandbox::start();
    let body = br#"{"name": "Retry me"}"#;
    // 403 with the read-only key, then the same key string... is a different API key,
    // so use the injected faults: a 503 and a 429 before the handler.
    sb.fault(json!({"method": "POST", "path": "/api/v1/agents", "kind": "status", "status": 503}));
    sb.fault(json!({"method": "POST", "path": "/api/v1/agents", "kind": "rate_limit"}));
    assert_eq!(sb.post_idem("/api/v1/agents", ALL, "r1", body).unwrap().status, 503);
    assert_eq!(sb.post_idem("/api/v1/agents", ALL, "r1", body).unwrap().status, 429);
    let ok = sb.post_idem("/api/v1/agents", ALL, "r1", body).unwrap();
    assert_eq!((ok.status, ok.header("idempotent-replayed")), (201, None));
    // 403 and 401 are not stored either: the same key works once the caller is allowed.
    let ro = sb.post_idem("/api/v1/agents", READ_ONLY, "r2", body).unwrap();
    assert_eq!(ro.status, 403);
    assert_eq!(sb.post_idem("/api/v1/agents", READ_ONLY, "r2", body).unwrap().header("idempotent-replayed"), None);
    // A real 429 from the per-key limit is not stored.
    let sb = Sandbox::start_with(&["--rpm", "1"]);
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
    let limited = sb.post_idem("/api/v1/agents", ALL, "r3", body).unwrap();
    assert_eq!(limited.status, 429);
    sb.admin("POST", "/__sandbox/config", Some(&json!({"rpm": 100})));
    let r = sb.post_idem("/api/v1/agents", ALL, "r3", body).unwrap();
    assert_eq!((r.status, r.header("idempotent-replayed")), (201, None));
}

#[test]
fn concurrent_duplicates_create_one_object() {
    let sb = std::sync::Arc::new(Sandbox::start());
    sb.fault(json!({"method": "POST", "path": "/api/v1/agents", "kind": "delay", "delay_ms": 300}));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let sb = sb.clone();
            std::thread::spawn(move || sb.post_idem("/api/v1/agents", ALL, "same", br#"{"name":"once"}"#).unwrap())
        })
        .collect();
    let rs: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(rs.iter().all(|r| r.status == 201 && r.text == rs[0].text), "{rs:?}");
    assert_eq!(sb.all_pages("/api/v1/agents", 100).len(), 4);
}

#[test]
fn retry_after_a_dropped_connection_creates_one_object() {
    let sb = Sandbox::start();
    sb.fault(json!({"method": "POST", "path": "/api/v1/agents", "kind": "drop", "when": "after"}));
    let body = br#"{"name": "Dropped"}"#;
    let first = sb.post_idem("/api/v1/agents", ALL, "drop-1", body);
    assert!(first.is_err(), "connection should have been dropped: {first:?}");
    let retry = sb.post_idem("/api/v1/agents", ALL, "drop-1", body).unwrap();
    assert_eq!((retry.status, retry.header("idempotent-replayed")), (201, Some("true")));
    assert_eq!(sb.all_pages("/api/v1/agents", 100).len(), 4);
    let posts: Vec<_> = sb.log().into_iter().filter(|e| e["method"] == "POST").collect();
    assert_eq!(posts.len(), 2);
    assert!(posts.iter().all(|e| e["idempotency_key"] == "drop-1"));
    assert_eq!((posts[0]["status"].clone(), posts[1]["status"].clone()), (json!(null), json!(201)));
}
