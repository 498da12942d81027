//! POST /leads:upsert. Body-level problems are a 422 and change nothing; then each
//! item stands alone: an invalid one is counted in `failed`, the others are created or updated by `external_id` within the campaign.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::auth;
use crate::error::{json_response, ApiError};
use crate::state::{App, Lead};
use crate::validation::{body_loc, json_object, Fields};

pub const MAX_ITEMS: usize = 1000;

pub async fn upsert(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    auth::require(&headers, "leads:write")?;
    let obj = json_object(&headers, &body)?;
    let mut f = Fields::new(&obj);
    let campaign_id = f.int("campaign_id", true);
    let items = f.array("items", true);
    if let Some(items) = &items {
        if items.len() > MAX_ITEMS {
            f.errors.add(
                body_loc("items"),
                format!("List should have at most {MAX_ITEMS} items after validation, not {}", items.len()),
                "too_long",
                None,
            );
        }
    }
    let mut errors = f.errors;
    let (Some(campaign_id), Some(items)) = (campaign_id, items) else {
        return Err(ApiError::validation(std::mem::take(&mut errors.0)));
    };
    errors.check()?;

    let mut ws = app.ws();
    if ws.campaign(campaign_id).is_none() {
        return Err(ApiError::not_found("Campaign not found"));
    }
    let (mut created, mut updated) = (0u32, 0u32);
    let mut failures: Vec<Value> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let parsed = match parse_item(item) {
            Ok(p) => p,
            Err(detail) => {
                failures.push(json!({"index": index, "detail": detail}));
                continue;
            }
        };
        if let Some(lead) = ws.lead_mut(campaign_id, &parsed.external_id) {
            lead.phone = parsed.phone;
            if parsed.name.is_some() {
                lead.name = parsed.name;
            }
            if let Some(data) = parsed.data {
                lead.data = data;
            }
            updated += 1;
        } else {
            let id = ws.next_lead_id;
            ws.next_lead_id += 1;
            ws.insert_lead(Lead {
                id,
                campaign_id,
                external_id: parsed.external_id,
                phone: parsed.phone,
                name: parsed.name,
                data: parsed.data.unwrap_or_default(),
            });
            created += 1;
        }
    }
    let mut answer = json!({"created": created, "updated": updated, "failed": failures.len()});
    // The published answer is the three counts; which items failed and why is
    // a development aid, sent only when the sandbox runs with --item-errors.
    if app.0.cli.item_errors {
        answer["errors"] = Value::Array(failures);
    }
    Ok(json_response(StatusCode::OK, &answer))
}

struct Item {
    external_id: String,
    phone: String,
    name: Option<String>,
    data: Option<Map<String, Value>>,
}

/// One item's rules: an object with a non-empty `external_id` string, an E.164
/// `phone`, an optional string `name` and an optional object `data`.
fn parse_item(item: &Value) -> Result<Item, String> {
    let o = item.as_object().ok_or("item must be an object")?;
    let external_id = match o.get("external_id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) => return Err("external_id must not be empty".into()),
        None | Some(Value::Null) => return Err("external_id is required".into()),
        Some(_) => return Err("external_id must be a string".into()),
    };
    let phone = match o.get("phone") {
        Some(Value::String(s)) if is_e164(s) => s.clone(),
        Some(Value::String(s)) => return Err(format!("phone {s:?} is not E.164 (+ then 2 to 15 digits, first digit not 0)")),
        None | Some(Value::Null) => return Err("phone is required".into()),
        Some(_) => return Err("phone must be a string".into()),
    };
    let name = match o.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("name must be a string".into()),
    };
    let data = match o.get("data") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(_) => return Err("data must be an object".into()),
    };
    Ok(Item { external_id, phone, name, data })
}

/// `+` then 2 to 15 digits, the first not 0.
pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else { return false };
    (2..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}
