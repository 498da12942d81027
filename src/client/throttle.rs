//! Waiting before a request that would only earn a 429.

use super::response::RawResponse;

/// Longest wait the throttle imposes on its own: one rate-limit window. A reset
/// further away (clock skew, a daily quota) is left to the server to report.
const MAX_WAIT_MS: f64 = 60_000.0;

/// Shared by every call of one client: when a response says
/// `X-RateLimit-Remaining: 0`, later requests wait for the window to reset
/// (or for `Retry-After`) instead of being sent and refused.
///
/// ```
/// use agoralia::client::{RawResponse, Throttle};
/// let mut t = Throttle::new(true);
/// let exhausted = RawResponse::new(200, vec![
///     ("x-ratelimit-remaining".into(), "0".into()),
///     ("x-ratelimit-reset".into(), "101".into()),
/// ], "{}".into());
/// t.observe(&exhausted, 100_000.0);
/// assert_eq!(t.wait_ms(100_250.0), 750.0);
/// assert_eq!(t.wait_ms(101_000.0), 0.0);
/// assert_eq!(Throttle::new(false).wait_ms(0.0), 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    enabled: bool,
    /// Unix ms before which nothing is sent.
    until_ms: f64,
}

impl Throttle {
    /// A throttle; `enabled: false` never waits.
    pub fn new(enabled: bool) -> Throttle {
        Throttle { enabled, until_ms: 0.0 }
    }

    /// Learns from one response (of any status).
    pub fn observe(&mut self, r: &RawResponse, now_ms: f64) {
        let Some(rl) = r.rate_limit() else { return };
        match rl.remaining {
            Some(0) => {
                // Retry-After, when sent, is the server's own estimate and wins.
                let wait = r.retry_after_ms(now_ms).or_else(|| rl.ms_until_reset(now_ms)).unwrap_or(0.0);
                let until = now_ms + wait.min(MAX_WAIT_MS);
                self.until_ms = self.until_ms.max(until);
            }
            // A fresh window (its reset lies beyond our block) lifts the block; an
            // older response arriving late from a concurrent call does not.
            Some(_) if rl.reset.is_some_and(|reset| reset as f64 * 1000.0 > self.until_ms) => self.until_ms = 0.0,
            _ => {}
        }
    }

    /// How long to wait before sending now (0 when free to send).
    pub fn wait_ms(&self, now_ms: f64) -> f64 {
        if self.enabled && self.until_ms > now_ms {
            self.until_ms - now_ms
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(headers: &[(&str, &str)]) -> RawResponse {
        RawResponse::new(200, headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), String::new())
    }

    #[test]
    fn retry_after_wins_and_waits_are_capped() {
        let mut t = Throttle::new(true);
        t.observe(&resp(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "160"), ("retry-after", "1")]), 100_000.0);
        assert_eq!(t.wait_ms(100_000.0), 1000.0);
        let mut t = Throttle::new(true);
        t.observe(&resp(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "99999")]), 0.0);
        assert_eq!(t.wait_ms(0.0), MAX_WAIT_MS);
    }

    #[test]
    fn a_new_window_lifts_the_block_but_a_late_old_answer_does_not() {
        let mut t = Throttle::new(true);
        t.observe(&resp(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "110")]), 100_000.0);
        t.observe(&resp(&[("x-ratelimit-remaining", "3"), ("x-ratelimit-reset", "110")]), 100_100.0);
        assert_eq!(t.wait_ms(100_100.0), 9_900.0);
        t.observe(&resp(&[("x-ratelimit-remaining", "119"), ("x-ratelimit-reset", "170")]), 100_200.0);
        assert_eq!(t.wait_ms(100_200.0), 0.0);
        t.observe(&resp(&[]), 100_300.0);
        assert_eq!(t.wait_ms(100_300.0), 0.0);
    }
}
