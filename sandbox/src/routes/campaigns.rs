//! GET/POST /campaigns, POST /campaigns/{id}/start, GET /campaigns/{id}/results.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::pagination;
use crate::auth;
use crate::error::{json_response, ApiError};
use std::collections::HashMap;

use crate::state::{App, Call, Campaign, Workspace};
use crate::validation::{body_loc, json_object, Errors, Fields, Query};

pub const PURPOSES: [&str; 5] = ["quote_request", "cold_calling", "appointment", "qualification", "inbound"];

fn view(c: &Campaign) -> Value {
    json!({"id": c.id, "name": c.name, "status": c.status})
}

pub async fn list(State(app): State<App>, headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    auth::require(&headers, "campaigns:read")?;
    let mut errors = Errors::default();
    let page = pagination::read(&Query::parse(q.as_deref()), &mut errors);
    errors.check()?;
    let ws = app.ws();
    Ok(json_response(StatusCode::OK, &pagination::render(&ws.campaigns, |c| c.id, view, &page)))
}

pub async fn create(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    auth::require(&headers, "campaigns:write")?;
    let obj = json_object(&headers, &body)?;
    let mut f = Fields::new(&obj);
    let name = f.string("name", true, true);
    let purpose = f.choice("purpose", true, &PURPOSES);
    let agent_ref_id = f.int("agent_ref_id", true);
    let from_number_id = f.int("from_number_id", false);
    let call_language_mode = f.choice("call_language_mode", false, &["auto", "fixed"]);
    let output_language = f.string("output_language", false, false);
    let extraction_schema = f.object("extraction_schema", true);
    let display_columns = f.string_array("display_columns", true);
    let schedule = f.object("schedule", false);
    if let Some(s) = &schedule {
        for key in ["timezone", "start_date", "end_date"] {
            if let Some(v) = s.get(key).filter(|v| !v.is_null() && !v.is_string()) {
                f.errors.add(json!(["body", "schedule", key]), "Input should be a valid string", "string_type", Some(v));
            }
        }
    }
    let mut ws = app.ws();
    if let Some(id) = agent_ref_id {
        if !ws.agent_exists(id) {
            f.errors.add(body_loc("agent_ref_id"), format!("Agent {id} not found"), "value_error", obj.get("agent_ref_id"));
        }
    }
    let mut errors = f.errors;
    let (Some(name), Some(purpose), Some(agent_ref_id), Some(extraction_schema), Some(display_columns)) =
        (name, purpose, agent_ref_id, extraction_schema, display_columns)
    else {
        return Err(ApiError::validation(std::mem::take(&mut errors.0)));
    };
    errors.check()?;
    let campaign = Campaign {
        id: ws.next_campaign_id,
        name,
        purpose,
        agent_ref_id,
        from_number_id,
        call_language_mode: call_language_mode.unwrap_or_else(|| "auto".into()),
        output_language: output_language.unwrap_or_else(|| "same_as_call".into()),
        extraction_schema: Value::Object(extraction_schema),
        display_columns,
        schedule: schedule.map(Value::Object),
        status: "draft".into(),
    };
    ws.next_campaign_id += 1;
    let out = view(&campaign);
    ws.campaigns.push(campaign);
    Ok(json_response(StatusCode::CREATED, &out))
}

/// The `{campaign_id}` path parameter: an integer, else 422 at ["path", "campaign_id"].
fn campaign_id(path: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let raw = path.map(|Path(s)| s).unwrap_or_default();
    raw.trim().parse::<i64>().map_err(|_| {
        let mut e = Errors::default();
        e.add(json!(["path", "campaign_id"]), "Input should be a valid integer, unable to parse string as an integer", "int_parsing", Some(&Value::String(raw.clone())));
        ApiError::validation(e.0)
    })
}

fn not_found() -> ApiError {
    ApiError::not_found("Campaign not found")
}

pub async fn start(State(app): State<App>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    auth::require(&headers, "campaigns:start")?;
    let id = campaign_id(path)?;
    let mut ws = app.ws();
    if ws.campaign(id).is_none() {
        return Err(not_found());
    }
    ws.proposals += 1;
    let proposal = proposal_id(id, ws.proposals, app.0.started.elapsed().as_nanos() as u64);
    Ok(json_response(StatusCode::OK, &json!({"proposal_id": proposal, "requires_confirmation": true})))
}

/// `pc_` and 8 lowercase letters or digits, from a splitmix64 mix of its inputs.
fn proposal_id(campaign: i64, n: u64, salt: u64) -> String {
    let mut x = (campaign as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n.rotate_left(17) ^ salt;
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = String::from("pc_");
    for _ in 0..8 {
        s.push(ALPHABET[(x % 36) as usize] as char);
        x /= 36;
    }
    s
}

pub async fn results(State(app): State<App>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    auth::require(&headers, "results:read")?;
    let id = campaign_id(path)?;
    let ws = app.ws();
    let campaign = ws.campaign(id).ok_or_else(not_found)?;
    Ok(json_response(StatusCode::OK, &build_results(&ws, campaign)))
}

/// One row per lead of the campaign, one key per display column. A value comes from
/// the lead itself (name, phone, external_id), else the lead's `data`, else the
/// latest call of that lead that extracted it, else null.
pub fn build_results(ws: &Workspace, c: &Campaign) -> Value {
    let columns: Vec<Value> = c.display_columns.iter().map(|n| json!({"name": n, "label": humanise(n)})).collect();
    // Each lead's calls, newest first, looked up once per lead rather than
    // scanning every call for every cell.
    let mut calls_of: HashMap<i64, Vec<&Call>> = HashMap::new();
    for call in ws.calls.iter().rev().filter(|call| call.campaign_id == c.id) {
        calls_of.entry(call.lead_id).or_default().push(call);
    }
    let rows: Vec<Value> = ws
        .leads()
        .iter()
        .filter(|l| l.campaign_id == c.id)
        .map(|lead| {
            let mut row = Map::new();
            for col in &c.display_columns {
                let v = match col.as_str() {
                    "name" => json!(lead.name),
                    "phone" => json!(lead.phone),
                    "external_id" => json!(lead.external_id),
                    key => lead.data.get(key).cloned().unwrap_or_else(|| {
                        calls_of
                            .get(&lead.id)
                            .into_iter()
                            .flatten()
                            .find_map(|call| call.extracted.get(key).cloned())
                            .unwrap_or(Value::Null)
                    }),
                };
                row.insert(col.clone(), v);
            }
            Value::Object(row)
        })
        .collect();
    json!({"display_columns": columns, "rows": rows})
}

/// "quote_amount" -> "Quote Amount".
pub fn humanise(name: &str) -> String {
    name.split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
