//! Fixed windows, as published: 60 seconds per API key (rpm) and per client IP,
//! and a day per API key (rpd). Every /api/v1 response carries
//! X-RateLimit-{Limit,Remaining,Reset}; past a limit the answer is 429 with
//! `Remaining: 0` and `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::state::{lock, unix_secs};

pub const WINDOW_SECS: u64 = 60;
pub const DAY_SECS: u64 = 86_400;

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Clone, Copy)]
struct Window {
    start: u64,
    count: u32,
}

/// The state of one bucket after counting a request.
#[derive(Clone, Copy, Debug)]
pub struct Usage {
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds at which the window resets.
    pub reset: u64,
    pub exceeded: bool,
}

impl Usage {
    /// Seconds until the window resets (at least 1, so a client never spins).
    pub fn retry_after(&self) -> u64 {
        self.reset.saturating_sub(unix_secs()).max(1)
    }
}

impl RateLimiter {
    /// Counts one request in `bucket` against `limit` per minute and reports the window's state.
    pub fn hit(&self, bucket: &str, limit: u32) -> Usage {
        self.hit_in(bucket, limit, WINDOW_SECS)
    }

    /// Counts one request in `bucket` against `limit` per window of `window_secs`.
    pub fn hit_in(&self, bucket: &str, limit: u32, window_secs: u64) -> Usage {
        let now = unix_secs();
        let mut map = lock(&self.windows);
        let w = map.entry(bucket.to_string()).or_insert(Window { start: now, count: 0 });
        if now >= w.start + window_secs {
            *w = Window { start: now, count: 0 };
        }
        w.count = w.count.saturating_add(1);
        Usage {
            limit,
            remaining: limit.saturating_sub(w.count),
            reset: w.start + window_secs,
            exceeded: w.count > limit,
        }
    }

    /// The current state of a bucket without counting (for injected 429s).
    pub fn peek(&self, bucket: &str, limit: u32) -> Usage {
        let now = unix_secs();
        let map = lock(&self.windows);
        match map.get(bucket) {
            Some(w) if now < w.start + WINDOW_SECS => Usage {
                limit,
                remaining: limit.saturating_sub(w.count),
                reset: w.start + WINDOW_SECS,
                exceeded: w.count > limit,
            },
            _ => Usage { limit, remaining: limit, reset: now + WINDOW_SECS, exceeded: false },
        }
    }

    pub fn clear(&self) {
        lock(&self.windows).clear();
    }
}
