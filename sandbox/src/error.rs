//! Error responses in FastAPI's shape: `{"detail": "text"}`, or for 422
//! `{"detail": [{"loc", "msg", "type"}]}` — what the published API answers.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, text: impl Into<String>) -> Self {
        ApiError { status, detail: Value::String(text.into()) }
    }
    pub fn not_found(text: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, text)
    }
    /// A 422 with the given list of `{loc, msg, type}` items.
    pub fn validation(items: Vec<Value>) -> Self {
        ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, detail: Value::Array(items) }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &json!({ "detail": self.detail }))
    }
}

/// A JSON response with an explicit `application/json` content type.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let text = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = (status, text).into_response();
    resp.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    resp
}

/// `{"detail": text}` with the given status.
pub fn detail(status: StatusCode, text: &str) -> Response {
    ApiError::new(status, text).into_response()
}
