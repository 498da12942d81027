//! API keys: the format check, the five seeded keys, and scope checks.
//! Order matters and is the contract's: 401 (missing / malformed / unknown /
//! expired / revoked) before 403 (scope), both before any body validation.

use axum::http::{HeaderMap, StatusCode};

use crate::error::ApiError;

pub const ALL_SCOPES: [&str; 9] = [
    "me:read", "agents:read", "agents:write", "campaigns:read", "campaigns:write",
    "campaigns:start", "results:read", "leads:write", "calls:read",
];
const READ_ONLY: [&str; 5] = ["me:read", "agents:read", "campaigns:read", "results:read", "calls:read"];

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum KeyState {
    Active,
    Expired,
    Revoked,
}

pub struct SeedKey {
    pub name: &'static str,
    pub key: &'static str,
    pub scopes: &'static [&'static str],
    pub state: KeyState,
}

/// The documented keys, printed at start-up in this order.
pub const KEYS: [SeedKey; 5] = [
    SeedKey { name: "all", key: "ago_SandboxAllScopes0000000000000001", scopes: &ALL_SCOPES, state: KeyState::Active },
    SeedKey { name: "read-only", key: "ago_SandboxReadOnly00000000000000002", scopes: &READ_ONLY, state: KeyState::Active },
    SeedKey { name: "no-scopes", key: "ago_SandboxNoScopes00000000000000003", scopes: &[], state: KeyState::Active },
    SeedKey { name: "expired", key: "ago_SandboxExpired000000000000000004", scopes: &ALL_SCOPES, state: KeyState::Expired },
    SeedKey { name: "revoked", key: "ago_SandboxRevoked000000000000000005", scopes: &ALL_SCOPES, state: KeyState::Revoked },
];

/// `ago_` then 32 ASCII letters or digits (36 characters).
pub fn well_formed(key: &str) -> bool {
    key.len() == 36 && key.starts_with("ago_") && key[4..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The raw `X-API-Key` header as text, if present and readable.
pub fn header_key(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-api-key").map(|v| v.to_str().unwrap_or(""))
}

/// Authenticates the request and checks `scope`; returns the key on success.
pub fn require(headers: &HeaderMap, scope: &str) -> Result<&'static SeedKey, ApiError> {
    let unauthorized = |t: &str| ApiError::new(StatusCode::UNAUTHORIZED, t);
    let raw = match header_key(headers) {
        None => return Err(unauthorized("Missing API key")),
        Some(k) if k.trim().is_empty() => return Err(unauthorized("Missing API key")),
        Some(k) => k.trim(),
    };
    if !well_formed(raw) {
        return Err(unauthorized("Invalid API key format"));
    }
    let key = KEYS.iter().find(|k| k.key == raw).ok_or_else(|| unauthorized("Invalid API key"))?;
    match key.state {
        KeyState::Expired => return Err(unauthorized("API key expired")),
        KeyState::Revoked => return Err(unauthorized("API key revoked")),
        KeyState::Active => {}
    }
    if !key.scopes.contains(&scope) {
        return Err(ApiError::new(StatusCode::FORBIDDEN, format!("Insufficient permissions. Required scope: {scope}")));
    }
    Ok(key)
}
