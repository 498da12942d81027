//! The log of every /api/v1 request that reached the server, so that a test can
//! count attempts (retries) and see which Idempotency-Key each one carried.

use std::sync::Mutex;

use serde::Serialize;

use crate::state::lock;

#[derive(Clone, Serialize)]
pub struct Entry {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub idempotency_key: Option<String>,
    /// The status sent; null while in flight or when the connection was dropped.
    pub status: Option<u16>,
    /// Unix milliseconds at arrival.
    pub at_ms: u64,
}

#[derive(Default)]
pub struct RequestLog {
    entries: Mutex<Vec<Entry>>,
}

/// Keeps memory bounded in long demo sessions; tests never come near this.
const MAX_ENTRIES: usize = 100_000;

impl RequestLog {
    /// Appends an entry and returns its index (for `finish`).
    pub fn start(&self, e: Entry) -> usize {
        let mut v = lock(&self.entries);
        if v.len() >= MAX_ENTRIES {
            v.drain(..MAX_ENTRIES / 2);
        }
        v.push(e);
        v.len() - 1
    }

    /// Records the final status of entry `idx` (if it is still the same entry).
    pub fn finish(&self, idx: usize, at_ms: u64, status: u16) {
        let mut v = lock(&self.entries);
        if let Some(e) = v.get_mut(idx) {
            if e.at_ms == at_ms {
                e.status = Some(status);
            }
        }
    }

    pub fn all(&self) -> Vec<Entry> {
        lock(&self.entries).clone()
    }

    pub fn clear(&self) {
        lock(&self.entries).clear();
    }
}
