//! GET /calls, optionally filtered by `campaign_id` (an unknown campaign simply
//! matches no calls, as a filter does).

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::pagination;
use crate::auth;
use crate::error::{json_response, ApiError};
use crate::state::{App, Call};
use crate::validation::{Errors, Query};

fn view(c: &Call) -> Value {
    json!({"id": c.id, "status": c.status, "to_number": c.to_number, "detected_language": c.detected_language})
}

pub async fn list(State(app): State<App>, headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    auth::require(&headers, "calls:read")?;
    let q = Query::parse(q.as_deref());
    let mut errors = Errors::default();
    let campaign = q.int("campaign_id", None, None, &mut errors);
    let page = pagination::read(&q, &mut errors);
    errors.check()?;
    let ws = app.ws();
    let calls: Vec<&Call> = ws.calls.iter().filter(|c| campaign.is_none_or(|id| c.campaign_id == id)).collect();
    Ok(json_response(StatusCode::OK, &pagination::render(&calls, |c| c.id, |c| view(c), &page)))
}
