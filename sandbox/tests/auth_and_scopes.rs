//! Rules: API key format check and the 401 texts; scopes and the 403 text naming
//! the scope; the order of checks 401 -> 403 -> 422 -> 404; GET /me.
mod common;
use common::*;
use serde_json::json;

#[test]
fn startup_prints_url_and_each_seeded_key_with_its_name() {
    let sb = Sandbox::start();
    assert!(sb.banner[0].starts_with("agoralia-sandbox listening on http://127.0.0.1:"), "{:?}", sb.banner[0]);
    assert!(!sb.url.ends_with(":0"));
    assert_eq!(
        &sb.banner[1..],
        &[
            format!("key all {ALL}"),
            format!("key read-only {READ_ONLY}"),
            format!("key no-scopes {NO_SCOPES}"),
            format!("key expired {EXPIRED}"),
            format!("key revoked {REVOKED}"),
        ]
    );
    for k in [ALL, READ_ONLY, NO_SCOPES, EXPIRED, REVOKED] {
        assert_eq!(k.len(), 36);
    }
}

#[test]
fn missing_malformed_unknown_expired_revoked_keys_get_401_with_the_contract_texts() {
    let sb = Sandbox::start();
    let cases: [(Option<&str>, &str); 6] = [
        (None, "Missing API key"),
        (Some("not-a-key"), "Invalid API key format"),
        (Some("ago_short"), "Invalid API key format"),
        (Some("ago_0000000000000000000000000000000!"), "Invalid API key format"),
        (Some("ago_00000000000000000000000000000000"), "Invalid API key"),
        (Some(EXPIRED), "API key expired"),
    ];
    for (key, text) in cases {
        let r = sb.req("GET", "/api/v1/me", key, &[], None);
        assert_eq!(r.status, 401, "{key:?}");
        assert_eq!(r.json(), json!({"detail": text}), "{key:?}");
    }
    let r = sb.get("/api/v1/agents", REVOKED);
    assert_eq!((r.status, r.json()), (401, json!({"detail": "API key revoked"})));
}

#[test]
fn each_endpoint_needs_its_scope_and_403_names_it() {
    let sb = Sandbox::start();
    let table = [
        ("GET", "/api/v1/me", "me:read"),
        ("GET", "/api/v1/agents", "agents:read"),
        ("POST", "/api/v1/agents", "agents:write"),
        ("GET", "/api/v1/campaigns", "campaigns:read"),
        ("POST", "/api/v1/campaigns", "campaigns:write"),
        ("POST", "/api/v1/campaigns/1/start", "campaigns:start"),
        ("GET", "/api/v1/campaigns/1/results", "results:read"),
        ("POST", "/api/v1/leads:upsert", "leads:write"),
        ("GET", "/api/v1/calls", "calls:read"),
    ];
    for (method, path, scope) in table {
        let body = (method == "POST").then_some(&b"{}"[..]);
        let r = sb.req(method, path, Some(NO_SCOPES), &[("Content-Type", "application/json")], body);
        assert_eq!(r.status, 403, "{method} {path}");
        assert_eq!(r.json(), json!({"detail": format!("Insufficient permissions. Required scope: {scope}")}));
        let r = sb.req(method, path, Some(ALL), &[("Content-Type", "application/json")], body);
        assert_ne!(r.status, 403, "{method} {path} with every scope");
        // The read-only key reads but does not write.
        let r = sb.req(method, path, Some(READ_ONLY), &[("Content-Type", "application/json")], body);
        assert_eq!(r.status == 403, method == "POST", "{method} {path} read-only: {}", r.text);
    }
}

#[test]
fn checks_run_in_order_auth_then_scope_then_validation_then_existence() {
    let sb = Sandbox::start();
    // Invalid body and unknown campaign: a bad key still says 401, a scope-less key 403.
    let bad = br#"{"campaign_id": "x"}"#;
    let h = [("Content-Type", "application/json")];
    assert_eq!(sb.req("POST", "/api/v1/leads:upsert", Some("bad"), &h, Some(bad)).status, 401);
    assert_eq!(sb.req("POST", "/api/v1/leads:upsert", Some(READ_ONLY), &h, Some(bad)).status, 403);
    assert_eq!(sb.req("POST", "/api/v1/leads:upsert", Some(ALL), &h, Some(bad)).status, 422);
    let unknown = br#"{"campaign_id": 999, "items": []}"#;
    assert_eq!(sb.req("POST", "/api/v1/leads:upsert", Some(ALL), &h, Some(unknown)).status, 404);
    assert_eq!(sb.get("/api/v1/campaigns/abc/results", NO_SCOPES).status, 403);
    assert_eq!(sb.get("/api/v1/campaigns/abc/results", ALL).status, 422);
    assert_eq!(sb.get("/api/v1/campaigns/999/results", ALL).status, 404);
}

#[test]
fn me_returns_the_tenant_current_rpm_and_the_scopes_of_the_key_used() {
    let sb = Sandbox::start_with(&["--rpm", "500", "--rpd", "20000"]);
    let me = sb.get("/api/v1/me", ALL).json();
    assert_eq!(me["tenant_id"], 1234);
    assert_eq!(me["workspace_name"], "Sandbox Workspace");
    assert_eq!(me["plan"], "pro");
    assert_eq!(me["rate_limits"], json!({"rpm": 500, "rpd": 20000}));
    assert_eq!(me["api_key_scopes"].as_array().map(|a| a.len()), Some(9));
    let ro = sb.get("/api/v1/me", READ_ONLY).json();
    assert_eq!(ro["api_key_scopes"], json!(["me:read", "agents:read", "campaigns:read", "results:read", "calls:read"]));
}
