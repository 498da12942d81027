//! Rule: rate limits: X-RateLimit-* on every /api/v1 response, 429 past the limit
//! with Remaining 0 and Retry-After; per-key rpm configurable (default 120, as
//! published); a per-IP limit too.
mod common;
use common::*;
use serde_json::json;

#[test]
fn rate_limit_headers_are_on_every_response_including_errors() {
    let sb = Sandbox::start_with(&["--rpm", "50"]);
    let h = [("Content-Type", "application/json")];
    let responses = [
        sb.get("/api/v1/me", ALL),
        sb.get("/api/v1/me", NO_SCOPES),
        sb.req("GET", "/api/v1/me", None, &[], None),
        sb.get("/api/v1/agents?limit=0", ALL),
        sb.get("/api/v1/campaigns/99/results", ALL),
        sb.req("POST", "/api/v1/agents", Some(ALL), &h, Some(b"{")),
        sb.get("/api/v1/nope", ALL),
        sb.req("DELETE", "/api/v1/agents", Some(ALL), &[], None),
    ];
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let mut all_key_remaining = Vec::new();
    for (i, r) in responses.iter().enumerate() {
        assert!(r.header("x-ratelimit-limit").is_some(), "no limit header: {r:?}");
        let remaining: i64 = r.header("x-ratelimit-remaining").unwrap().parse().unwrap();
        let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert!(reset + 1 > now && reset <= now + 61, "reset {reset} now {now}");
        assert!(r.status == 200 || r.json().get("detail").is_some(), "{r:?}");
        if ![1, 2].contains(&i) {
            all_key_remaining.push(remaining);
        }
    }
    assert_eq!(all_key_remaining, [49, 48, 47, 46, 45, 44], "the `all` key's window counts every request");
    assert_eq!(responses[0].header("x-ratelimit-limit"), Some("50"));
}

#[test]
fn past_the_per_key_limit_429_with_remaining_0_and_retry_after() {
    let sb = Sandbox::start_with(&["--rpm", "3"]);
    for expected_remaining in ["2", "1", "0"] {
        let r = sb.get("/api/v1/me", ALL);
        assert_eq!((r.status, r.header("x-ratelimit-remaining")), (200, Some(expected_remaining)));
    }
    let r = sb.get("/api/v1/me", ALL);
    assert_eq!(r.status, 429);
    assert_eq!(r.json(), json!({"detail": "Too many requests. Please try again later."}));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    // Another key has its own window.
    assert_eq!(sb.get("/api/v1/me", READ_ONLY).status, 200);
}

#[test]
fn past_the_per_key_daily_limit_429_until_the_day_resets() {
    let sb = Sandbox::start_with(&["--rpd", "3"]);
    assert_eq!(sb.get("/api/v1/me", ALL).json()["rate_limits"]["rpd"], json!(3));
    assert_eq!(sb.get("/api/v1/agents", ALL).status, 200);
    assert_eq!(sb.get("/api/v1/calls", ALL).status, 200);
    let r = sb.get("/api/v1/me", ALL);
    assert_eq!(r.status, 429);
    assert_eq!(r.json(), json!({"detail": "Too many requests. Please try again later."}));
    // The headers describe the day window once it is used up: a client waits for it.
    assert_eq!((r.header("x-ratelimit-limit"), r.header("x-ratelimit-remaining")), (Some("3"), Some("0")));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 60 && retry <= 86_400, "retry-after {retry}");
    // Per key: another key still has its day.
    assert_eq!(sb.get("/api/v1/me", READ_ONLY).status, 200);
    // Raised at runtime, and restored to the CLI value by a reset.
    assert_eq!(sb.admin("POST", "/__sandbox/config", Some(&json!({"rpd": 100}))).json()["rpd"], json!(100));
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
    sb.admin("POST", "/__sandbox/reset", Some(&json!({})));
    assert_eq!(sb.get("/api/v1/me", ALL).json()["rate_limits"]["rpd"], json!(3));
}

#[test]
fn default_rpm_is_the_published_120_and_config_changes_it_at_runtime() {
    let args: Vec<String> = ["--port", "0", "--faults", "--ip-rpm", "100000"].iter().map(|s| s.to_string()).collect();
    let sb = Sandbox::spawn(&args);
    let r = sb.get("/api/v1/me", ALL);
    assert_eq!(r.header("x-ratelimit-limit"), Some("120"));
    assert_eq!(r.json()["rate_limits"]["rpm"], 120);
    assert_eq!(r.json()["rate_limits"]["rpd"], 20000, "the published daily default");
    let c = sb.admin("POST", "/__sandbox/config", Some(&json!({"rpm": 7})));
    assert_eq!(c.status, 200);
    let r = sb.get("/api/v1/me", ALL);
    assert_eq!((r.header("x-ratelimit-limit"), r.json()["rate_limits"]["rpm"].as_i64()), (Some("7"), Some(7)));
    // Reset restores the CLI value.
    sb.admin("POST", "/__sandbox/reset", None);
    assert_eq!(sb.get("/api/v1/me", ALL).header("x-ratelimit-limit"), Some("120"));
}

#[test]
fn per_ip_limit_applies_across_keys() {
    let sb = Sandbox::start_with(&["--ip-rpm", "4"]);
    for k in [ALL, READ_ONLY, ALL, READ_ONLY] {
        assert_eq!(sb.get("/api/v1/me", k).status, 200);
    }
    let r = sb.get("/api/v1/me", NO_SCOPES);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert!(r.header("retry-after").is_some());
}
