//! GET /me: the tenant, the current per-key limits and the scopes of the key used.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::auth;
use crate::error::{json_response, ApiError};
use crate::state::App;

pub async fn get_me(State(app): State<App>, headers: HeaderMap) -> Result<Response, ApiError> {
    let key = auth::require(&headers, "me:read")?;
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "tenant_id": 1234,
            "workspace_name": "Sandbox Workspace",
            "plan": "pro",
            "rate_limits": {"rpm": app.rpm(), "rpd": app.rpd()},
            "api_key_scopes": key.scopes,
        }),
    ))
}
