//! The Rust copies of the contract against its source, sandbox/openapi.yaml
//! (the TypeScript declarations and the sandbox's answers: tests/node/contract.test.mjs).
//!
//! - The models (`agoralia::client::models`): from each schema of the document
//!   this builds instances (every field; only the required ones; each required
//!   field missing, null or of a wrong scalar type; each enum value) and requires
//!   the model to accept exactly the valid ones and to write back the fields the
//!   document names, no more.
//! - The validators' constants: field lists, enums, limits.
//! - The endpoints: method, path and scope of each operation.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../sandbox/src/yaml_json.rs"]
mod yaml_json;

use agoralia::client::models::*;
use agoralia::client::{Endpoint, ListQuery};
use agoralia::validate::{agent, campaign, leads, pagination};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

fn doc() -> Value {
    yaml_json::parse(include_str!("../sandbox/openapi.yaml")).expect("sandbox/openapi.yaml parses")
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let s = &doc["components"]["schemas"][name];
    assert!(s.is_object(), "sandbox/openapi.yaml has no schema {name}");
    resolve(doc, s)
}

fn resolve<'a>(doc: &'a Value, s: &'a Value) -> &'a Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => schema(doc, r.rsplit('/').next().unwrap()),
        None => s,
    }
}

fn types(s: &Value) -> Vec<&str> {
    match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

fn nullable(s: &Value) -> bool {
    types(s).contains(&"null")
}

/// A valid value of schema `s`, every property filled in.
fn sample(doc: &Value, s: &Value) -> Value {
    let s = resolve(doc, s);
    if let Some(c) = s.get("const") {
        return c.clone();
    }
    if let Some(e) = s["enum"].as_array() {
        return e.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null);
    }
    match types(s).into_iter().find(|t| *t != "null") {
        Some("string") => json!("x"),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => json!([sample(doc, s.get("items").unwrap_or(&json!({})))]),
        Some("object") => match s["properties"].as_object() {
            Some(props) => Value::Object(props.iter().map(|(k, v)| (k.clone(), sample(doc, v))).collect()),
            None => json!({"key": 1}),
        },
        _ => json!({"any": "value"}),
    }
}

/// A value of the wrong JSON type for a scalar schema, when it has one.
fn wrong(s: &Value) -> Option<Value> {
    let t = types(s);
    if s.get("enum").is_some() || s.get("const").is_some() {
        return Some(json!("not-a-member"));
    }
    match t.iter().find(|t| **t != "null") {
        Some(&"string") => Some(json!(7)),
        Some(&"integer") | Some(&"number") => Some(json!("7")),
        Some(&"boolean") => Some(json!("true")),
        _ => None,
    }
}

fn accepts<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| e.to_string())
}

/// Checks model `T` against schema `name`; returns every difference found.
fn check<T: DeserializeOwned + Serialize>(doc: &Value, name: &str, rust: &str) -> Vec<String> {
    check_schema::<T>(doc, schema(doc, name), name, rust)
}

fn check_schema<T: DeserializeOwned + Serialize>(doc: &Value, s: &Value, name: &str, rust: &str) -> Vec<String> {
    let props = s["properties"].as_object().unwrap_or_else(|| panic!("{name}: no properties"));
    let required: Vec<&str> = s["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let full = sample(doc, s);
    let mut out = Vec::new();
    let mut fail = |what: String| out.push(format!("{name} / {rust}: {what}"));
    match accepts::<T>(&full) {
        Ok(model) => {
            let back = serde_json::to_value(&model).unwrap();
            let mut keys: Vec<&String> = back.as_object().unwrap().keys().collect();
            let mut want: Vec<&String> = props.keys().collect();
            keys.sort();
            want.sort();
            if keys != want {
                fail(format!("writes the fields {keys:?}, the document names {want:?}"));
            }
        }
        Err(e) => fail(format!("refuses a valid instance with every field ({e}): {full}")),
    }
    let minimal: Map<String, Value> = props
        .iter()
        .filter(|(k, _)| required.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), if nullable(resolve(doc, v)) { Value::Null } else { full[k].clone() }))
        .collect();
    if let Err(e) = accepts::<T>(&Value::Object(minimal.clone())) {
        fail(format!("refuses the required fields alone, nullable ones null ({e}): {}", Value::Object(minimal.clone())));
    }
    for (k, p) in props {
        let p = resolve(doc, p);
        let with = |v: Option<Value>| {
            let mut o = full.as_object().unwrap().clone();
            match v {
                Some(v) => o.insert(k.clone(), v),
                None => o.remove(k),
            };
            Value::Object(o)
        };
        let is_required = required.contains(&k.as_str());
        if is_required && !nullable(p) {
            if accepts::<T>(&with(None)).is_ok() {
                fail(format!("`{k}` is required: an instance without it is accepted"));
            }
            if accepts::<T>(&with(Some(Value::Null))).is_ok() {
                fail(format!("`{k}` is not nullable: null is accepted"));
            }
        }
        if nullable(p) && accepts::<T>(&with(Some(Value::Null))).is_err() {
            fail(format!("`{k}` is nullable: null is refused"));
        }
        if !is_required && accepts::<T>(&with(None)).is_err() {
            fail(format!("`{k}` is optional: an instance without it is refused"));
        }
        if let Some(bad) = wrong(p) {
            if accepts::<T>(&with(Some(bad.clone()))).is_ok() {
                fail(format!("`{k}` accepts {bad}, which the document's type refuses"));
            }
        }
        for member in p["enum"].as_array().into_iter().flatten() {
            if accepts::<T>(&with(Some(member.clone()))).is_err() {
                fail(format!("`{k}` refuses {member}, a value of the document's enum"));
            }
        }
    }
    out
}

#[test]
fn the_models_match_the_document() {
    let doc = doc();
    let mut diffs = Vec::new();
    diffs.extend(check::<Me>(&doc, "Me", "Me"));
    diffs.extend(check::<Agent>(&doc, "Agent", "Agent"));
    diffs.extend(check::<Page<Agent>>(&doc, "AgentList", "Page<Agent>"));
    diffs.extend(check::<AgentCreate>(&doc, "AgentCreate", "AgentCreate"));
    diffs.extend(check::<Campaign>(&doc, "CampaignSummary", "Campaign"));
    diffs.extend(check::<Page<Campaign>>(&doc, "CampaignList", "Page<Campaign>"));
    diffs.extend(check::<CampaignCreate>(&doc, "CampaignCreate", "CampaignCreate"));
    diffs.extend(check_schema::<Schedule>(&doc, &schema(&doc, "CampaignCreate")["properties"]["schedule"], "CampaignCreate.schedule", "Schedule"));
    diffs.extend(check_schema::<RateLimits>(&doc, &schema(&doc, "Me")["properties"]["rate_limits"], "Me.rate_limits", "RateLimits"));
    diffs.extend(check_schema::<DisplayColumn>(&doc, &schema(&doc, "Results")["properties"]["display_columns"]["items"], "Results.display_columns", "DisplayColumn"));
    diffs.extend(check::<CampaignStartProposal>(&doc, "StartProposal", "CampaignStartProposal"));
    diffs.extend(check::<CampaignResults>(&doc, "Results", "CampaignResults"));
    diffs.extend(check::<LeadsUpsert>(&doc, "LeadsUpsert", "LeadsUpsert"));
    diffs.extend(check::<Lead>(&doc, "LeadItem", "Lead"));
    diffs.extend(check::<UpsertCounts>(&doc, "UpsertResult", "UpsertCounts"));
    diffs.extend(check::<Call>(&doc, "Call", "Call"));
    diffs.extend(check::<Page<Call>>(&doc, "CallList", "Page<Call>"));
    assert!(diffs.is_empty(), "src/client/models.rs differs from sandbox/openapi.yaml:\n  {}", diffs.join("\n  "));
}

fn property_names(s: &Value) -> Vec<String> {
    sorted(s["properties"].as_object().unwrap().keys().cloned().collect())
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn enum_of(doc: &Value, name: &str, field: &str) -> Vec<String> {
    let p = &schema(doc, name)["properties"][field];
    sorted(resolve(doc, p)["enum"].as_array().unwrap_or_else(|| panic!("{name}.{field}: no enum")).iter().filter_map(|v| v.as_str().map(String::from)).collect())
}

#[test]
fn the_validators_constants_match_the_document() {
    let doc = doc();
    let strs = |xs: &[&str]| sorted(xs.iter().map(|s| s.to_string()).collect());
    let cc = schema(&doc, "CampaignCreate");
    assert_eq!(strs(campaign::FIELDS), property_names(cc), "src/validate/campaign.rs FIELDS vs CampaignCreate");
    assert_eq!(strs(campaign::SCHEDULE_FIELDS), property_names(&cc["properties"]["schedule"]), "src/validate/campaign.rs SCHEDULE_FIELDS vs CampaignCreate.schedule");
    assert_eq!(strs(campaign::PURPOSES), enum_of(&doc, "CampaignCreate", "purpose"), "src/validate/campaign.rs PURPOSES");
    assert_eq!(strs(campaign::CALL_LANGUAGE_MODES), enum_of(&doc, "CampaignCreate", "call_language_mode"), "src/validate/campaign.rs CALL_LANGUAGE_MODES");
    assert_eq!(strs(agent::FIELDS), property_names(schema(&doc, "AgentCreate")), "src/validate/agent.rs FIELDS vs AgentCreate");
    assert_eq!(strs(agent::VOICE_ENGINES), enum_of(&doc, "AgentCreate", "voice_engine"), "src/validate/agent.rs VOICE_ENGINES");
    assert_eq!(strs(leads::ITEM_FIELDS), property_names(schema(&doc, "LeadItem")), "src/validate/leads.rs ITEM_FIELDS vs LeadItem");
    assert_eq!(json!(leads::MAX_ITEMS), schema(&doc, "LeadsUpsert")["properties"]["items"]["maxItems"], "src/validate/leads.rs MAX_ITEMS");
    let limit = &doc["components"]["parameters"]["Limit"]["schema"];
    assert_eq!(json!(pagination::MAX_LIMIT), limit["maximum"], "src/validate/pagination.rs MAX_LIMIT");
    assert_eq!(json!(1), limit["minimum"], "the Limit parameter's minimum");
}

#[test]
fn every_endpoint_is_an_operation_of_the_document_with_its_scope() {
    let doc = doc();
    let page = ListQuery::new(None, None).unwrap();
    let id = || "1".to_string();
    let all = [
        Endpoint::Me,
        Endpoint::ListAgents(page.clone()),
        Endpoint::CreateAgent,
        Endpoint::ListCampaigns(page.clone()),
        Endpoint::CreateCampaign,
        Endpoint::StartCampaign { campaign_id: id() },
        Endpoint::CampaignResults { campaign_id: id() },
        Endpoint::UpsertLeads,
        Endpoint::ListCalls { campaign_id: None, page },
    ];
    let paths = doc["paths"].as_object().unwrap();
    let operations: usize = paths.values().map(|ops| ops.as_object().unwrap().len()).sum();
    assert_eq!(all.len(), operations, "src/client/endpoint.rs has {} endpoints, the document {operations} operations", all.len());
    for e in all {
        let path = e.path().replace("/1/", "/{campaign_id}/");
        let op = &paths.get(&path).unwrap_or_else(|| panic!("{e:?}: the document has no path {path}"))[e.method().to_lowercase()];
        assert!(op.is_object(), "{e:?}: the document has no {} {path}", e.method());
        let text = op["description"].as_str().unwrap_or("");
        assert!(text.contains(&format!("Required scope: {}", e.scope())), "{e:?}: scope {} vs the document's {text:?}", e.scope());
        assert!(enum_of_scope(&doc).contains(&e.scope().to_string()), "{e:?}: {} is not a Scope of the document", e.scope());
        let body = op["requestBody"].is_object();
        assert_eq!(e.has_body(), body, "{e:?}: has_body vs the document's requestBody");
    }
}

fn enum_of_scope(doc: &Value) -> Vec<String> {
    schema(doc, "Scope")["enum"].as_array().unwrap().iter().filter_map(|v| v.as_str().map(String::from)).collect()
}
