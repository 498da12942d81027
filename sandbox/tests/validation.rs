//! Rules: FastAPI-shaped 422 (`loc`/`msg`/`type`) for invalid bodies and query
//! parameters; bad input (garbage JSON, huge bodies, wrong content type, deep
//! nesting) gets a 4xx in the `{"detail": ...}` shape, never a 500 or a crash;
//! the server accepts everything the published pages allow.
mod common;
use common::*;
use serde_json::{json, Value};

fn has(locs: &[Value], loc: Value) -> bool {
    locs.contains(&loc)
}

#[test]
fn agent_body_422_names_each_field_with_pydantic_types() {
    let sb = Sandbox::start();
    let r = sb.post("/api/v1/agents", ALL, &json!({}));
    assert_eq!(r.detail()[0], json!({"type": "missing", "loc": ["body", "name"], "msg": "Field required"}));
    let r = sb.post("/api/v1/agents", ALL, &json!({"name": 5, "voice_engine": "nope", "lang": [], "general_tools": "x"}));
    let d = r.detail();
    let types: Vec<&str> = d.as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["string_type", "string_type", "enum", "list_type"]);
    assert!(has(&r.locs(), json!(["body", "voice_engine"])));
    assert_eq!(d[2]["msg"], "Input should be 'vapi' or 'retell'");
    let r = sb.post("/api/v1/agents", ALL, &json!({"name": ""}));
    assert_eq!(r.detail()[0]["type"], "string_too_short");
}

#[test]
fn campaign_body_422_covers_missing_types_enums_and_unknown_agent() {
    let sb = Sandbox::start();
    let r = sb.post("/api/v1/campaigns", ALL, &json!({}));
    let locs = r.locs();
    for f in ["name", "purpose", "agent_ref_id", "extraction_schema", "display_columns"] {
        assert!(has(&locs, json!(["body", f])), "{f}: {locs:?}");
    }
    let mut body = valid_campaign();
    body["purpose"] = json!("spam");
    body["agent_ref_id"] = json!("1x");
    body["call_language_mode"] = json!("sometimes");
    body["extraction_schema"] = json!([]);
    body["display_columns"] = json!(["ok", 3]);
    body["schedule"] = json!({"timezone": 1});
    let r = sb.post("/api/v1/campaigns", ALL, &body);
    let locs = r.locs();
    for loc in [
        json!(["body", "purpose"]),
        json!(["body", "agent_ref_id"]),
        json!(["body", "call_language_mode"]),
        json!(["body", "extraction_schema"]),
        json!(["body", "display_columns", 1]),
        json!(["body", "schedule", "timezone"]),
    ] {
        assert!(has(&locs, loc.clone()), "{loc} in {locs:?}");
    }
    let mut body = valid_campaign();
    body["agent_ref_id"] = json!(999);
    let r = sb.post("/api/v1/campaigns", ALL, &body);
    assert_eq!(r.locs(), vec![json!(["body", "agent_ref_id"])]);
}

#[test]
fn query_limit_and_cursor_are_validated_with_422_at_query_loc() {
    let sb = Sandbox::start();
    for (q, loc, typ) in [
        ("limit=0", "limit", "greater_than_equal"),
        ("limit=101", "limit", "less_than_equal"),
        ("limit=abc", "limit", "int_parsing"),
        ("cursor=abc", "cursor", "int_parsing"),
    ] {
        for path in ["/api/v1/agents", "/api/v1/campaigns", "/api/v1/calls"] {
            let r = sb.get(&format!("{path}?{q}"), ALL);
            assert_eq!(r.locs(), vec![json!(["query", loc])], "{path}?{q}");
            assert_eq!(r.detail()[0]["type"], typ);
        }
    }
    let r = sb.get("/api/v1/calls?campaign_id=x", ALL);
    assert_eq!(r.locs(), vec![json!(["query", "campaign_id"])]);
    assert_eq!(sb.get("/api/v1/agents?limit=100", ALL).status, 200);
    assert_eq!(sb.get("/api/v1/agents?limit=1", ALL).status, 200);
}

#[test]
fn path_campaign_id_must_be_an_integer() {
    let sb = Sandbox::start();
    let r = sb.req("POST", "/api/v1/campaigns/abc/start", Some(ALL), &[], None);
    assert_eq!(r.locs(), vec![json!(["path", "campaign_id"])]);
    assert_eq!(sb.get("/api/v1/campaigns/1.5/results", ALL).locs(), vec![json!(["path", "campaign_id"])]);
}

#[test]
fn malformed_json_gets_422_json_invalid() {
    let sb = Sandbox::start();
    for garbage in [&b"{\"name\": "[..], b"not json", b"{'name': 'x'}", b"\xff\xfe\x00garbage", b"[1,2"] {
        let r = sb.req("POST", "/api/v1/agents", Some(ALL), &[("Content-Type", "application/json")], Some(garbage));
        assert_eq!(r.status, 422, "{garbage:?}");
        assert_eq!(r.detail()[0]["type"], "json_invalid", "{garbage:?}");
        assert_eq!(r.detail()[0]["loc"][0], "body");
    }
    // Valid JSON that is not an object, and an empty body.
    let r = sb.req("POST", "/api/v1/agents", Some(ALL), &[("Content-Type", "application/json")], Some(b"[1]"));
    assert_eq!(r.detail()[0]["type"], "model_attributes_type");
    let r = sb.req("POST", "/api/v1/agents", Some(ALL), &[("Content-Type", "application/json")], Some(b""));
    assert_eq!(r.detail()[0], json!({"type": "missing", "loc": ["body"], "msg": "Field required"}));
}

#[test]
fn wrong_content_type_gets_415_in_detail_shape() {
    let sb = Sandbox::start();
    for ct in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
        let r = sb.req("POST", "/api/v1/agents", Some(ALL), &[("Content-Type", ct)], Some(br#"{"name":"x"}"#));
        assert_eq!(r.status, 415, "{ct}");
        assert!(r.detail().is_string());
    }
    // application/json with a charset, and a +json type, are fine.
    let r = sb.req("POST", "/api/v1/agents", Some(ALL), &[("Content-Type", "application/json; charset=utf-8")], Some(br#"{"name":"x"}"#));
    assert_eq!(r.status, 201);
}

#[test]
fn huge_body_gets_413_and_the_server_keeps_serving() {
    let mut sb = Sandbox::start();
    let mut big = b"{\"name\": \"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 2 * 1024 * 1024));
    big.extend(b"\"}");
    let r = sb.req("POST", "/api/v1/agents", Some(ALL), &[("Content-Type", "application/json")], Some(&big));
    assert_eq!((r.status, r.json()), (413, json!({"detail": "Request body too large"})));
    assert!(sb.is_running());
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
}

#[test]
fn deep_nesting_gets_422_not_a_crash() {
    let mut sb = Sandbox::start();
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let r = sb.req("POST", "/api/v1/agents", Some(ALL), &[("Content-Type", "application/json")], Some(deep.as_bytes()));
    assert_eq!(r.status, 422);
    assert_eq!(r.detail()[0]["type"], "json_invalid");
    let deep_obj = "{\"a\":".repeat(100_000);
    let r = sb.req("POST", "/api/v1/leads:upsert", Some(ALL), &[("Content-Type", "application/json")], Some(deep_obj.as_bytes()));
    assert_eq!(r.status, 422);
    assert!(sb.is_running());
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
}

#[test]
fn garbage_requests_never_get_a_5xx() {
    let mut sb = Sandbox::start();
    let h = [("Content-Type", "application/json")];
    let bodies: [&[u8]; 8] = [b"null", b"true", b"\"x\"", b"1e999", b"{\"name\": null}", b"{\"name\": \"\\ud800\"}", b"{\"campaign_id\": 1e300, \"items\": {}}", b"\x00\x01\x02"];
    for path in ["/api/v1/agents", "/api/v1/campaigns", "/api/v1/leads:upsert", "/api/v1/campaigns/1/start"] {
        for b in bodies {
            let r = sb.req("POST", path, Some(ALL), &h, Some(b));
            assert!(r.status < 500, "{path} {b:?}: {} {}", r.status, r.text);
            assert!(r.json().get("detail").is_some() || r.status < 300, "{path} {b:?}: {}", r.text);
        }
    }
    // Raw HTTP garbage on the socket does not take the server down.
    let _ = sb.raw(b"GARBAGE / HTTP/9.9\r\n\r\n");
    let _ = sb.raw(b"POST /api/v1/agents HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n");
    assert!(sb.is_running());
    assert_eq!(sb.get("/api/v1/me", ALL).status, 200);
}

#[test]
fn published_minimal_forms_are_accepted_server_rules_no_stricter_than_contract() {
    let sb = Sandbox::start();
    // Empty extraction schema and display columns were accepted by the published API.
    let mut body = valid_campaign();
    body["extraction_schema"] = json!({});
    body["display_columns"] = json!([]);
    assert_eq!(sb.post("/api/v1/campaigns", ALL, &body).status, 201);
    // The full published example, `"required": true` inside a property included.
    let published = json!({
        "name": "Q1 Sales Campaign", "purpose": "quote_request", "agent_ref_id": 1, "from_number_id": 123,
        "call_language_mode": "auto", "output_language": "same_as_call",
        "extraction_schema": {"type": "object", "properties": {
            "quote_amount": {"type": "number", "required": true},
            "availability": {"type": "string", "enum": ["yes", "no", "unknown"]}}},
        "display_columns": ["name", "phone", "quote_amount"],
        "schedule": {"timezone": "Europe/Rome", "start_date": "2025-01-20T00:00:00Z", "end_date": "2025-01-31T23:59:59Z"}
    });
    assert_eq!(sb.post("/api/v1/campaigns", ALL, &published).status, 201);
    let agent = json!({"name": "Customer Support Agent", "lang": "en-US", "voice_engine": "vapi", "voice_id": "voice-id-here",
                       "model": "gpt-4o-mini", "general_tools": [], "post_call_analysis_data": []});
    assert_eq!(sb.post("/api/v1/agents", ALL, &agent).status, 201);
    // Unknown extra fields are ignored, as FastAPI does.
    assert_eq!(sb.post("/api/v1/agents", ALL, &json!({"name": "x", "temperature": 0.3})).status, 201);
}

#[test]
fn ids_are_read_as_fastapi_reads_integers_digit_strings_and_any_size() {
    let sb = Sandbox::start();
    // A string of digits is coerced (pydantic's lax mode; the SDK warns numeric_string).
    let mut body = valid_campaign();
    body["agent_ref_id"] = json!("1");
    body["from_number_id"] = json!("0123");
    assert_eq!(sb.post("/api/v1/campaigns", ALL, &body).status, 201);
    for bad in [json!("1.5"), json!("-1"), json!(" 1"), json!(""), json!("1e3")] {
        let mut body = valid_campaign();
        body["from_number_id"] = bad.clone();
        let r = sb.post("/api/v1/campaigns", ALL, &body);
        assert_eq!(r.detail()[0]["type"], "int_parsing", "{bad}");
    }
    // An integer past i64 is still an integer: it names no agent, no campaign.
    let mut body = valid_campaign();
    body["from_number_id"] = json!(1e20);
    assert_eq!(sb.post("/api/v1/campaigns", ALL, &body).status, 201);
    body["agent_ref_id"] = json!(u64::MAX);
    let r = sb.post("/api/v1/campaigns", ALL, &body);
    assert_eq!((r.status, r.detail()[0]["type"].as_str()), (422, Some("value_error")));
    let r = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": 1e20, "items": []}));
    assert_eq!(r.status, 404);
    let r = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": "2", "items": []}));
    assert_eq!(r.status, 200);
    let r = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": 1.5, "items": []}));
    assert_eq!(r.detail()[0]["type"], "int_from_float");
}

#[test]
fn nesting_up_to_256_levels_and_lone_surrogates_are_read() {
    let sb = Sandbox::start();
    let h = [("Content-Type", "application/json")];
    let nested = |levels: usize| format!(r#"{{"name":"x","tools":{}{}}}"#, "[".repeat(levels - 1), "]".repeat(levels - 1));
    let r = sb.req("POST", "/api/v1/agents", Some(ALL), &h, Some(nested(256).as_bytes()));
    assert_eq!(r.status, 201, "{}", r.text);
    let deep_objects = format!(r#"{{"name":"x","extra":{}1{}}}"#, r#"{"a":"#.repeat(255), "}".repeat(255));
    assert_eq!(sb.req("POST", "/api/v1/agents", Some(ALL), &h, Some(deep_objects.as_bytes())).status, 201);
    let r = sb.req("POST", "/api/v1/agents", Some(ALL), &h, Some(nested(257).as_bytes()));
    assert_eq!((r.status, r.detail()[0]["type"].as_str()), (422, Some("json_invalid")));
    assert_eq!(r.detail()[0]["loc"], json!(["body", 20 + 255]));
    // Brackets inside strings do not count.
    let in_string = format!(r#"{{"name":"{}"}}"#, "[".repeat(1000));
    assert_eq!(sb.req("POST", "/api/v1/agents", Some(ALL), &h, Some(in_string.as_bytes())).status, 201);
    // A lone surrogate escape, as JSON.stringify writes "a\ud800b", is read (as U+FFFD);
    // a pair stays a pair; a real error after one is still placed where it is.
    for body in [r#"{"name":"a\ud800b"}"#, r#"{"name":"\udc00"}"#, r#"{"name":"\ud83d\ude00 \\ud800"}"#, r#"{"name":"\ud800\ud800"}"#] {
        let r = sb.req("POST", "/api/v1/agents", Some(ALL), &h, Some(body.as_bytes()));
        assert_eq!(r.status, 201, "{body}: {}", r.text);
    }
    let r = sb.req("POST", "/api/v1/agents", Some(ALL), &h, Some(br#"{"name":"\ud800", }"#));
    assert_eq!((r.detail()[0]["type"].as_str(), &r.detail()[0]["loc"]), (Some("json_invalid"), &json!(["body", 18])));
}

#[test]
fn agent_tools_and_post_call_analysis_entries_are_objects() {
    let sb = Sandbox::start();
    for key in ["general_tools", "post_call_analysis_data"] {
        let r = sb.post("/api/v1/agents", ALL, &json!({"name": "x", key: [{}, 1]}));
        assert_eq!(r.locs(), vec![json!(["body", key, 1])], "{key}");
        assert_eq!(r.detail()[0]["type"], "dict_type");
        assert_eq!(sb.post("/api/v1/agents", ALL, &json!({"name": "x", key: [{"name": "a"}]})).status, 201);
    }
}
