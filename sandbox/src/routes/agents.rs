//! GET /agents and POST /agents.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::pagination;
use crate::auth;
use crate::error::{json_response, ApiError};
use crate::state::{Agent, App};
use crate::validation::{json_object, Errors, Fields, Query};

fn view(a: &Agent) -> Value {
    json!({"id": a.id, "name": a.name, "lang": a.lang, "voice_engine": a.voice_engine})
}

pub async fn list(State(app): State<App>, headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    auth::require(&headers, "agents:read")?;
    let mut errors = Errors::default();
    let page = pagination::read(&Query::parse(q.as_deref()), &mut errors);
    errors.check()?;
    let ws = app.ws();
    Ok(json_response(StatusCode::OK, &pagination::render(&ws.agents, |a| a.id, view, &page)))
}

pub async fn create(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    auth::require(&headers, "agents:write")?;
    let obj = json_object(&headers, &body)?;
    let mut f = Fields::new(&obj);
    let name = f.string("name", true, true);
    let lang = f.string("lang", false, false);
    let voice_engine = f.choice("voice_engine", false, &["vapi", "retell"]);
    let voice_id = f.string("voice_id", false, false);
    let model = f.string("model", false, false);
    let general_tools = f.object_array("general_tools", false);
    let post_call = f.object_array("post_call_analysis_data", false);
    f.errors.check()?;
    let Some(name) = name else { return Err(ApiError::validation(vec![])) };
    let mut ws = app.ws();
    let agent = Agent {
        id: ws.next_agent_id,
        name,
        lang,
        voice_engine: voice_engine.unwrap_or_else(|| "vapi".into()),
        voice_id,
        model: model.unwrap_or_else(|| "gpt-4o-mini".into()),
        general_tools: general_tools.unwrap_or_default(),
        post_call_analysis_data: post_call.unwrap_or_default(),
    };
    ws.next_agent_id += 1;
    let out = view(&agent);
    ws.agents.push(agent);
    Ok(json_response(StatusCode::CREATED, &out))
}
