//! The OpenAPI 3.1 document: written by hand in `sandbox/openapi.yaml`, compiled in,
//! converted to JSON once at start-up and served at GET /api/v1/openapi.json.

use std::sync::OnceLock;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use crate::error::json_response;

pub const YAML: &str = include_str!("../openapi.yaml");

static DOC: OnceLock<Value> = OnceLock::new();

/// Parses the document; called at start-up so that a broken file fails loudly.
pub fn load() -> Result<(), String> {
    let v = crate::yaml_json::parse(YAML)?;
    let _ = DOC.set(v);
    Ok(())
}

pub async fn serve() -> Response {
    match DOC.get() {
        Some(doc) => json_response(StatusCode::OK, doc),
        None => crate::error::detail(StatusCode::INTERNAL_SERVER_ERROR, "OpenAPI document not loaded"),
    }
}
