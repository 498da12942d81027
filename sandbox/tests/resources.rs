//! Rules: 201 on create; 404 for an unknown campaign; campaign start returning a
//! proposal; results built from the campaign's leads and display_columns; leads
//! upsert by external_id with honest counts; calls filtered by campaign; the
//! deterministic seed.
mod common;
use common::*;
use serde_json::json;

#[test]
fn seeded_workspace_is_deterministic_and_has_agents_campaigns_leads_calls() {
    let a = Sandbox::start();
    let b = Sandbox::start();
    for path in ["/api/v1/agents", "/api/v1/campaigns", "/api/v1/calls"] {
        assert_eq!(a.all_pages(path, 100), b.all_pages(path, 100), "{path}");
    }
    assert_eq!(ids(&a.all_pages("/api/v1/agents", 100)), [1, 2, 3]);
    assert_eq!(ids(&a.all_pages("/api/v1/campaigns", 100)), [1, 2, 3]);
    assert_eq!(a.all_pages("/api/v1/calls", 100).len(), 45);
    for c in 1..=3 {
        let r1 = a.get(&format!("/api/v1/campaigns/{c}/results"), ALL).json();
        assert_eq!(r1, b.get(&format!("/api/v1/campaigns/{c}/results"), ALL).json());
        assert_eq!(r1["rows"].as_array().map(|r| r.len()), Some(5));
    }
}

#[test]
fn create_agent_answers_201_and_the_agent_is_listed() {
    let sb = Sandbox::start();
    let r = sb.post("/api/v1/agents", ALL, &json!({"name": "Support", "lang": "en-US", "voice_engine": "retell"}));
    assert_eq!(r.status, 201);
    assert_eq!(r.json(), json!({"id": 4, "name": "Support", "lang": "en-US", "voice_engine": "retell"}));
    let r = sb.post("/api/v1/agents", ALL, &json!({"name": "Defaults"}));
    assert_eq!(r.json(), json!({"id": 5, "name": "Defaults", "lang": null, "voice_engine": "vapi"}));
    assert_eq!(ids(&sb.all_pages("/api/v1/agents", 100)), [1, 2, 3, 4, 5]);
}

#[test]
fn create_campaign_answers_201_draft_and_it_is_listed() {
    let sb = Sandbox::start();
    let r = sb.post("/api/v1/campaigns", ALL, &valid_campaign());
    assert_eq!(r.status, 201);
    assert_eq!(r.json(), json!({"id": 4, "name": "Q1 Sales Campaign", "status": "draft"}));
    let all = sb.all_pages("/api/v1/campaigns", 100);
    assert_eq!(all.last(), Some(&json!({"id": 4, "name": "Q1 Sales Campaign", "status": "draft"})));
}

#[test]
fn campaign_start_returns_a_proposal_and_unknown_campaign_is_404() {
    let sb = Sandbox::start();
    let r = sb.req("POST", "/api/v1/campaigns/2/start", Some(ALL), &[], None);
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["requires_confirmation"], true);
    let p = v["proposal_id"].as_str().unwrap();
    assert!(p.len() == 11 && p.starts_with("pc_") && p[3..].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{p}");
    let again = sb.req("POST", "/api/v1/campaigns/2/start", Some(ALL), &[], None).json();
    assert_ne!(again["proposal_id"], v["proposal_id"]);
    let r = sb.req("POST", "/api/v1/campaigns/999/start", Some(ALL), &[], None);
    assert_eq!((r.status, r.json()), (404, json!({"detail": "Campaign not found"})));
    let r = sb.get("/api/v1/campaigns/999/results", ALL);
    assert_eq!((r.status, r.json()), (404, json!({"detail": "Campaign not found"})));
}

#[test]
fn results_are_built_from_the_campaigns_leads_and_display_columns() {
    let sb = Sandbox::start();
    let r = sb.get("/api/v1/campaigns/1/results", ALL).json();
    assert_eq!(
        r["display_columns"],
        json!([{"name": "name", "label": "Name"}, {"name": "phone", "label": "Phone"},
               {"name": "quote_amount", "label": "Quote Amount"}, {"name": "availability", "label": "Availability"}])
    );
    let row = &r["rows"][0];
    assert_eq!(row["name"], "John Doe");
    assert_eq!(row["phone"], "+393401234500");
    assert!(row["quote_amount"].is_number(), "extracted from a call: {row}");
    // Campaign 3 mixes external_id, extracted values and a key of the lead's data.
    let r = sb.get("/api/v1/campaigns/3/results", ALL).json();
    let row = &r["rows"][0];
    assert_eq!(row["external_id"], "c3-lead-1");
    assert!(row["email"].as_str().unwrap().ends_with("@example.com"));
    assert!(row["budget"].is_number());
    // A new campaign with new leads: rows follow the leads, unknown values are null.
    let mut body = valid_campaign();
    body["display_columns"] = json!(["external_id", "name", "company", "quote_amount"]);
    let id = sb.post("/api/v1/campaigns", ALL, &body).json()["id"].as_i64().unwrap();
    let up = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": id, "items": [
        {"external_id": "a", "phone": "+393400000001", "name": "Ann", "data": {"company": "Acme"}},
        {"external_id": "b", "phone": "+393400000002"}]}));
    assert_eq!(up.status, 200);
    let r = sb.get(&format!("/api/v1/campaigns/{id}/results"), ALL).json();
    assert_eq!(r["rows"], json!([
        {"external_id": "a", "name": "Ann", "company": "Acme", "quote_amount": null},
        {"external_id": "b", "name": null, "company": null, "quote_amount": null}]));
}

#[test]
fn leads_upsert_by_external_id_with_honest_created_updated_failed_counts() {
    let sb = Sandbox::start_with(&["--item-errors"]);
    let body = json!({"campaign_id": 1, "items": [
        {"external_id": "c1-lead-1", "phone": "+393409999999", "name": "John Updated"},  // existing -> updated
        {"external_id": "new-1", "phone": "+14155550100", "name": "New One", "data": {"email": "n@x.io"}},  // created
        {"phone": "+14155550101"},                                                         // no external_id
        {"external_id": "bad-phone", "phone": "3401234567"},                              // not E.164
        {"external_id": "zero", "phone": "+0123"},                                        // first digit 0
        "not an object",
        {"external_id": "new-1", "phone": "+14155550102"}                                 // same batch: update
    ]});
    let r = sb.post("/api/v1/leads:upsert", ALL, &body);
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!((v["created"].as_i64(), v["updated"].as_i64(), v["failed"].as_i64()), (Some(1), Some(2), Some(4)));
    let failed: Vec<i64> = v["errors"].as_array().unwrap().iter().map(|e| e["index"].as_i64().unwrap()).collect();
    assert_eq!(failed, [2, 3, 4, 5]);
    // Without --item-errors the answer is the published one: the counts only.
    let plain = Sandbox::start().post("/api/v1/leads:upsert", ALL, &body).json();
    assert_eq!(plain.as_object().unwrap().keys().collect::<Vec<_>>(), ["created", "updated", "failed"]);
    let rows = sb.get("/api/v1/campaigns/1/results", ALL).json()["rows"].clone();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["name"], "John Updated");
    assert_eq!(rows[0]["phone"], "+393409999999");
    assert_eq!(rows[5]["phone"], "+14155550102");
    // The same external_id in another campaign is a different lead.
    let v = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": 2, "items": [{"external_id": "c1-lead-1", "phone": "+393401111111"}]})).json();
    assert_eq!((v["created"].as_i64(), v["updated"].as_i64()), (Some(1), Some(0)));
}

#[test]
fn leads_upsert_body_problems_are_422_unknown_campaign_404_and_max_1000_items() {
    let sb = Sandbox::start();
    let r = sb.post("/api/v1/leads:upsert", ALL, &json!({"items": []}));
    assert_eq!(r.locs(), vec![json!(["body", "campaign_id"])]);
    let r = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": "one", "items": {}}));
    assert_eq!(r.locs(), vec![json!(["body", "campaign_id"]), json!(["body", "items"])]);
    let r = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": 404, "items": [{"external_id": "x", "phone": "+391234"}]}));
    assert_eq!((r.status, r.json()), (404, json!({"detail": "Campaign not found"})));
    let many: Vec<_> = (0..1001).map(|i| json!({"external_id": format!("e{i}"), "phone": "+391234567"})).collect();
    let r = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": 1, "items": many}));
    assert_eq!(r.locs(), vec![json!(["body", "items"])]);
    assert_eq!(r.detail()[0]["type"], "too_long");
    let thousand: Vec<_> = (0..1000).map(|i| json!({"external_id": format!("e{i}"), "phone": "+391234567"})).collect();
    let v = sb.post("/api/v1/leads:upsert", ALL, &json!({"campaign_id": 1, "items": thousand})).json();
    assert_eq!(v["created"], 1000);
}

#[test]
fn calls_are_filtered_by_campaign() {
    let sb = Sandbox::start();
    let all = ids(&sb.all_pages("/api/v1/calls", 100));
    let mut union = Vec::new();
    for c in 1..=3 {
        // The seed calls campaign c's five leads, whose phones are +393401234500..04 for
        // campaign 1, then ..05-09 and ..10-14 (see src/seed.rs).
        let phones: Vec<String> = (0..5).map(|i| format!("+3934012345{:02}", (c - 1) * 5 + i)).collect();
        let calls = sb.all_pages(&format!("/api/v1/calls?campaign_id={c}"), 4);
        assert_eq!(calls.len(), 15, "campaign {c}");
        for call in &calls {
            assert!(phones.iter().any(|p| p == call["to_number"].as_str().unwrap()), "call {call} not of campaign {c}");
            assert_eq!(call.as_object().unwrap().keys().collect::<Vec<_>>(), ["id", "status", "to_number", "detected_language"]);
        }
        union.extend(ids(&calls));
    }
    union.sort();
    assert_eq!(union, all);
    assert!(sb.get("/api/v1/calls?campaign_id=999", ALL).json()["items"].as_array().unwrap().is_empty());
}
