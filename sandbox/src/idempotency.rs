//! Idempotency as published: on a POST with `Idempotency-Key`, the outcome is
//! stored for 24 h under (API key, idempotency key, method, path); a retry with the
//! exact same body bytes gets the original status and body again (plus
//! `Idempotent-Replayed: true`), a different body gets 409. Outcomes that say
//! nothing about the request itself (5xx, 401, 403, 429) are not stored, so they
//! can be retried. A per-entry async lock makes a concurrent duplicate wait for
//! the first attempt instead of creating a second object.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::StatusCode;

use crate::state::lock;

pub const TTL: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Clone)]
pub struct Stored {
    pub request_body: Bytes,
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub response_body: Bytes,
    pub at: Instant,
}

pub type Slot = Arc<tokio::sync::Mutex<Option<Stored>>>;

#[derive(Default)]
pub struct IdempotencyStore {
    slots: Mutex<HashMap<(String, String, String, String), Slot>>,
}

impl IdempotencyStore {
    /// The slot for this (api key, idempotency key, method, path); created empty if new.
    pub fn slot(&self, api_key: &str, idem_key: &str, method: &str, path: &str) -> Slot {
        let mut map = lock(&self.slots);
        map.entry((api_key.into(), idem_key.into(), method.into(), path.into())).or_default().clone()
    }

    pub fn clear(&self) {
        lock(&self.slots).clear();
    }
}

/// Whether an outcome is kept for replay.
pub fn storable(status: StatusCode) -> bool {
    !(status.is_server_error()
        || status == StatusCode::UNAUTHORIZED
        || status == StatusCode::FORBIDDEN
        || status == StatusCode::TOO_MANY_REQUESTS)
}

pub fn fresh(s: &Stored) -> bool {
    s.at.elapsed() < TTL
}
