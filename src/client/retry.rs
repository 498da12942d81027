//! When to try again, and after how long.

use super::response::RawResponse;

/// Retry rules of one call. Defaults: 2 retries, backoff from 0.5 s doubling
/// to at most 8 s with full jitter, and at most 60 s of server-requested wait.
///
/// ```
/// use agoralia::client::{Decision, Failure, RetryPolicy};
/// let policy = RetryPolicy::default();
/// // A GET that met a dropped connection, first retry, plenty of time left:
/// let d = policy.decide(0, &Failure::Connection, true, 0.0, 60_000.0, 0.5);
/// assert_eq!(d, Decision::Retry { delay_ms: 250.0 }); // half of 500 ms: full jitter
/// // A POST without an idempotency key is never re-sent.
/// assert!(matches!(policy.decide(0, &Failure::Connection, false, 0.0, 60_000.0, 0.5), Decision::Stop(_)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 means exactly one attempt.
    pub max_retries: u32,
    /// Backoff of the first retry before jitter.
    pub base_delay_ms: f64,
    /// Backoff cap before jitter.
    pub max_delay_ms: f64,
    /// A server asking for a longer wait than this gets no retry: the caller
    /// hears about it (with `retryAfterMs`) instead of hanging.
    pub max_server_wait_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 2, base_delay_ms: 500.0, max_delay_ms: 8_000.0, max_server_wait_ms: 60_000.0 }
    }
}

/// Why an attempt did not give a usable answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure<'a> {
    /// A response with a non-2xx status.
    Status(&'a RawResponse),
    /// No response: refused, reset, dropped.
    Connection,
    /// The attempt's own timeout fired.
    Timeout,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Wait this long, then re-send the same request (same key, same bytes).
    Retry { delay_ms: f64 },
    /// Give up and report the failure.
    Stop(StopReason),
}

/// Why a failed attempt is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The status says retrying cannot help (4xx other than 429, or an unusual code).
    NotRetryable,
    /// `max_retries` reached.
    RetriesExhausted,
    /// A POST without an `Idempotency-Key`: re-sending could create twice.
    NotIdempotent,
    /// The wait would end past the call's total deadline.
    Deadline,
    /// The server asked for a wait longer than `max_server_wait_ms`.
    ServerWaitTooLong,
}

/// Statuses worth retrying: rate limited, or a server/gateway failure.
///
/// ```
/// assert!(agoralia::client::is_retryable_status(503));
/// assert!(!agoralia::client::is_retryable_status(409));
/// ```
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

impl RetryPolicy {
    /// Decides after `retries_done` retries. `can_resend` is false for a POST
    /// without an idempotency key. `random` is uniform in [0, 1).
    pub fn decide(
        &self,
        retries_done: u32,
        failure: &Failure<'_>,
        can_resend: bool,
        now_ms: f64,
        deadline_ms: f64,
        random: f64,
    ) -> Decision {
        let server_wait = match failure {
            Failure::Status(r) if !is_retryable_status(r.status) => return Decision::Stop(StopReason::NotRetryable),
            Failure::Status(r) => server_wait_ms(r, now_ms),
            Failure::Connection | Failure::Timeout => None,
        };
        if !can_resend {
            return Decision::Stop(StopReason::NotIdempotent);
        }
        if retries_done >= self.max_retries {
            return Decision::Stop(StopReason::RetriesExhausted);
        }
        let delay_ms = match server_wait {
            Some(w) if w > self.max_server_wait_ms => return Decision::Stop(StopReason::ServerWaitTooLong),
            Some(w) => w,
            None => self.backoff_ms(retries_done, random),
        };
        if now_ms + delay_ms >= deadline_ms {
            return Decision::Stop(StopReason::Deadline);
        }
        Decision::Retry { delay_ms }
    }

    /// Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^n)),
    /// so that many clients failing together do not retry together.
    pub fn backoff_ms(&self, retries_done: u32, random: f64) -> f64 {
        let ceiling = (self.base_delay_ms * 2f64.powi(retries_done.min(30) as i32)).min(self.max_delay_ms);
        ceiling * random.clamp(0.0, 1.0)
    }
}

/// The wait the server asked for: `Retry-After` first, else (for a 429) the
/// rate-limit window's reset.
pub fn server_wait_ms(r: &RawResponse, now_ms: f64) -> Option<f64> {
    r.retry_after_ms(now_ms).or_else(|| {
        if r.status == 429 {
            r.rate_limit().and_then(|rl| rl.ms_until_reset(now_ms))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)]) -> RawResponse {
        RawResponse::new(status, headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), String::new())
    }

    #[test]
    fn which_failures_are_retried() {
        let p = RetryPolicy::default();
        for s in [429, 500, 502, 503, 504] {
            assert!(matches!(p.decide(0, &Failure::Status(&resp(s, &[])), true, 0.0, 1e9, 0.0), Decision::Retry { .. }), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 422, 501, 418] {
            assert_eq!(p.decide(0, &Failure::Status(&resp(s, &[])), true, 0.0, 1e9, 0.0), Decision::Stop(StopReason::NotRetryable), "{s}");
        }
        assert!(matches!(p.decide(0, &Failure::Timeout, true, 0.0, 1e9, 0.0), Decision::Retry { .. }));
        assert_eq!(p.decide(0, &Failure::Timeout, false, 0.0, 1e9, 0.0), Decision::Stop(StopReason::NotIdempotent));
    }

    #[test]
    fn max_retries_zero_means_one_attempt() {
        let p = RetryPolicy { max_retries: 0, ..RetryPolicy::default() };
        assert_eq!(p.decide(0, &Failure::Connection, true, 0.0, 1e9, 0.0), Decision::Stop(StopReason::RetriesExhausted));
        let p = RetryPolicy::default();
        assert_eq!(p.decide(2, &Failure::Connection, true, 0.0, 1e9, 0.0), Decision::Stop(StopReason::RetriesExhausted));
    }

    #[test]
    fn backoff_is_capped_exponential_with_full_jitter() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(0, 0.999_999), 500.0 * 0.999_999);
        assert_eq!(p.backoff_ms(3, 1.0), 4000.0);
        assert_eq!(p.backoff_ms(10, 1.0), 8000.0);
        assert_eq!(p.backoff_ms(u32::MAX, 0.5), 4000.0);
        assert_eq!(p.backoff_ms(1, 0.0), 0.0);
        assert_eq!(p.backoff_ms(1, f64::NAN.max(2.0)), 1000.0);
    }

    #[test]
    fn server_wait_prefers_retry_after_then_reset() {
        let now = 1_000_000.0;
        let r = resp(429, &[("retry-after", "2"), ("x-ratelimit-reset", "1030")]);
        assert_eq!(server_wait_ms(&r, now), Some(2000.0));
        let r = resp(429, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1003")]);
        assert_eq!(server_wait_ms(&r, now), Some(3000.0));
        assert_eq!(RetryPolicy::default().decide(0, &Failure::Status(&r), true, now, 1e9, 0.9), Decision::Retry { delay_ms: 3000.0 });
        // The reset of a 503 says nothing about when the server recovers.
        assert_eq!(server_wait_ms(&resp(503, &[("x-ratelimit-reset", "1003")]), now), None);
    }

    #[test]
    fn deadline_and_long_server_waits_stop_retrying() {
        let p = RetryPolicy::default();
        let r = resp(429, &[("retry-after", "120")]);
        assert_eq!(p.decide(0, &Failure::Status(&r), true, 0.0, 1e9, 0.0), Decision::Stop(StopReason::ServerWaitTooLong));
        let r = resp(503, &[("retry-after", "5")]);
        assert_eq!(p.decide(0, &Failure::Status(&r), true, 0.0, 4_000.0, 0.0), Decision::Stop(StopReason::Deadline));
    }
}
