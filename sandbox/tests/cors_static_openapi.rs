//! Rules: CORS for browser clients; the demo page and npm package served as static
//! files; the OpenAPI document served as JSON equal to openapi.yaml.
mod common;
use common::*;
use serde_json::Value;

#[path = "../src/yaml_json.rs"]
mod yaml_json;

#[test]
fn cors_preflight_needs_no_key_and_allows_the_sdk_headers() {
    let sb = Sandbox::start();
    let r = sb.req(
        "OPTIONS",
        "/api/v1/agents",
        None,
        &[("Origin", "http://localhost:5173"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "x-api-key, idempotency-key, content-type")],
        None,
    );
    assert!(r.status == 200 || r.status == 204, "{r:?}");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let allowed = r.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    for h in ["x-api-key", "idempotency-key", "content-type"] {
        assert!(allowed.contains(h), "{allowed}");
    }
    let methods = r.header("access-control-allow-methods").unwrap();
    for m in ["GET", "POST", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    assert!(sb.log().is_empty(), "a preflight does not reach the API");
}

#[test]
fn cors_exposes_rate_limit_retry_after_and_replay_headers_on_every_response() {
    let sb = Sandbox::start();
    for r in [
        sb.req("GET", "/api/v1/me", Some(ALL), &[("Origin", "http://localhost:5173")], None),
        sb.req("GET", "/api/v1/me", None, &[("Origin", "http://localhost:5173")], None),
    ] {
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        let exposed = r.header("access-control-expose-headers").unwrap().to_ascii_lowercase();
        for h in ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "idempotent-replayed"] {
            assert!(exposed.contains(h), "{exposed}");
        }
    }
}

#[test]
fn static_demo_page_and_npm_package_are_served_with_the_right_types() {
    let dir = std::env::temp_dir().join(format!("agoralia-sandbox-static-{}", std::process::id()));
    let (www, pkg) = (dir.join("www"), dir.join("pkg"));
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(pkg.join("dist")).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(www.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(pkg.join("dist/agoralia_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("dist/index.mjs"), "export {}").unwrap();
    std::fs::write(pkg.join("package.json"), "{}").unwrap();
    let sb = Sandbox::start_with(&["--www", www.to_str().unwrap(), "--pkg", pkg.to_str().unwrap()]);
    let r = sb.req("GET", "/", None, &[], None);
    assert_eq!(r.status, 200);
    assert!(r.text.contains("demo") && r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(sb.req("GET", "/app.js", None, &[], None).header("content-type"), Some("text/javascript; charset=utf-8"));
    let w = sb.req("GET", "/pkg/dist/agoralia_bg.wasm", None, &[], None);
    assert_eq!((w.status, w.header("content-type")), (200, Some("application/wasm")));
    assert_eq!(sb.req("GET", "/pkg/dist/index.mjs", None, &[], None).header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(sb.req("GET", "/pkg/package.json", None, &[], None).status, 200);
    // The API still answers on the same port.
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
    assert_eq!(sb.get("/api/v1/unknown", ALL).status, 404);
    let _ = std::fs::remove_dir_all(&dir);
    // Without the flags the routes are absent.
    let plain = Sandbox::start();
    assert_eq!(plain.req("GET", "/", None, &[], None).status, 404);
    assert_eq!(plain.req("GET", "/pkg/package.json", None, &[], None).status, 404);
}

#[test]
fn openapi_json_is_served_without_a_key_and_equals_openapi_yaml() {
    let sb = Sandbox::start();
    let r = sb.req("GET", "/api/v1/openapi.json", None, &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let served: Value = r.json();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    let from_yaml = yaml_json::parse(&text).unwrap();
    assert_eq!(served, from_yaml);
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(served["components"]["securitySchemes"]["ApiKey"]["name"], "X-API-Key");
    let paths: Vec<&String> = served["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/me", "/agents", "/campaigns", "/campaigns/{campaign_id}/start", "/campaigns/{campaign_id}/results", "/leads:upsert", "/calls"]);
    // Every operation documents auth, scope, validation and rate-limit answers.
    for (_, item) in served["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for code in ["401", "403", "429"] {
                assert!(op["responses"].get(code).is_some(), "{method} lacks {code}");
            }
            assert!(op["responses"].get("422").is_some() || method == "get" && op["parameters"].is_null(), "{method}");
        }
    }
}
