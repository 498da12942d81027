//! A response as plain data, and what its headers say about rate limits.

use crate::decimal::parse_u64;

/// What came back from one attempt: status, headers (names lower-case, as
/// `fetch` gives them) and the body text.
///
/// ```
/// use agoralia::client::RawResponse;
/// let r = RawResponse::new(200, vec![("X-RateLimit-Remaining".into(), "7".into())], "{}".into());
/// assert_eq!(r.header("x-ratelimit-remaining"), Some("7"));
/// assert_eq!(r.rate_limit().unwrap().remaining, Some(7));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    /// The only headers the core reads (rate limits and retry waits): a
    /// binding need not hand over any other.
    pub const HEADERS: [&'static str; 5] =
        ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "retry-after-ms"];

    /// Builds a response; header names are lower-cased so lookups are exact.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: String) -> RawResponse {
        let headers = headers.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
        RawResponse { status, headers, body }
    }

    /// A header's value by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim())
    }

    /// `X-RateLimit-*`, when the server sent any of them.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        let num = |n: &str| self.header(n).and_then(parse_u64);
        let rl = RateLimit {
            limit: num("x-ratelimit-limit"),
            remaining: num("x-ratelimit-remaining"),
            reset: num("x-ratelimit-reset"),
        };
        (rl != RateLimit::default()).then_some(rl)
    }

    /// How long the server asks us to wait, in ms: `retry-after-ms`, then
    /// `Retry-After` (seconds or an HTTP date). `None` when absent or unreadable.
    ///
    /// ```
    /// use agoralia::client::RawResponse;
    /// let r = RawResponse::new(429, vec![("retry-after".into(), "3".into())], String::new());
    /// assert_eq!(r.retry_after_ms(0.0), Some(3000.0));
    /// let r = RawResponse::new(503, vec![("retry-after".into(), "Wed, 21 Oct 2015 07:28:05 GMT".into())], String::new());
    /// assert_eq!(r.retry_after_ms(1_445_412_480_000.0), Some(5000.0));
    /// ```
    pub fn retry_after_ms(&self, now_ms: f64) -> Option<f64> {
        if let Some(ms) = self.header("retry-after-ms").and_then(crate::json::parse_f64) {
            return (ms.is_finite() && ms >= 0.0).then_some(ms);
        }
        let v = self.header("retry-after")?;
        if let Some(secs) = crate::json::parse_f64(v) {
            return (secs.is_finite() && secs >= 0.0).then_some(secs * 1000.0);
        }
        http_date_ms(v).map(|at| (at - now_ms).max(0.0))
    }
}

/// The rate-limit window as the last response described it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// Requests left in this window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// Unix time in seconds when the window resets (`X-RateLimit-Reset`).
    pub reset: Option<u64>,
}

impl RateLimit {
    /// Milliseconds from `now_ms` until the reset, if one is known and ahead.
    ///
    /// ```
    /// use agoralia::client::RateLimit;
    /// let rl = RateLimit { limit: Some(120), remaining: Some(0), reset: Some(100) };
    /// assert_eq!(rl.ms_until_reset(99_250.0), Some(750.0));
    /// assert_eq!(rl.ms_until_reset(100_001.0), None);
    /// ```
    pub fn ms_until_reset(&self, now_ms: f64) -> Option<f64> {
        let at = self.reset? as f64 * 1000.0;
        (at > now_ms).then_some(at - now_ms)
    }
}

/// Parses an HTTP date in any of RFC 9110's three forms to Unix ms: the
/// IMF-fixdate servers send (`Sun, 06 Nov 1994 08:49:37 GMT`), and the two
/// obsolete ones a recipient must still read, RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
fn http_date_ms(v: &str) -> Option<f64> {
    let int = |x: &str| parse_u64(x).map(|n| n as i64);
    let month = |name: &str| {
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].iter().position(|m| *m == name).map(|i| i as i64 + 1)
    };
    let parts: Vec<&str> = v.split_whitespace().collect();
    let (day, mon, year, time) = match parts.as_slice() {
        [wd, d, mo, y, t, "GMT"] if wd.ends_with(',') => (int(d)?, month(mo)?, int(y)?, *t),
        [wd, dmy, t, "GMT"] if wd.ends_with(',') => {
            let mut f = dmy.split('-');
            let (d, mo, y) = (f.next()?, f.next()?, f.next()?);
            // Two-digit years (RFC 9110 5.6.7): read as the nearest past century's; 70 to 99 are 19xx.
            let y = int(y).filter(|_| y.len() == 2)?;
            (int(d)?, month(mo)?, if y >= 70 { 1900 + y } else { 2000 + y }, *t)
        }
        [_wd, mo, d, t, y] => (int(d)?, month(mo)?, int(y)?, *t),
        _ => return None,
    };
    let mut hms = time.split(':').map(int);
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let days = crate::calendar::days_from_civil(year, mon, day);
    Some(((days * 86_400 + h * 3600 + m * 60 + sec) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_headers() {
        let r = RawResponse::new(
            200,
            vec![
                ("X-RateLimit-Limit".into(), "120".into()),
                ("X-RateLimit-Remaining".into(), "0".into()),
                ("X-RateLimit-Reset".into(), "1700000060".into()),
            ],
            String::new(),
        );
        assert_eq!(r.rate_limit(), Some(RateLimit { limit: Some(120), remaining: Some(0), reset: Some(1_700_000_060) }));
        assert_eq!(RawResponse::new(200, vec![], String::new()).rate_limit(), None);
        let junk = RawResponse::new(200, vec![("x-ratelimit-remaining".into(), "lots".into())], String::new());
        assert_eq!(junk.rate_limit(), None);
    }

    #[test]
    fn retry_after_forms() {
        let r = |k: &str, v: &str| RawResponse::new(429, vec![(k.into(), v.into())], String::new());
        assert_eq!(r("retry-after-ms", "250").retry_after_ms(0.0), Some(250.0));
        assert_eq!(r("retry-after", "0").retry_after_ms(0.0), Some(0.0));
        assert_eq!(r("retry-after", "-1").retry_after_ms(0.0), None);
        assert_eq!(r("retry-after", "soon").retry_after_ms(0.0), None);
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(http_date_ms("Tue, 29 Feb 2000 12:00:00 GMT"), Some(951_825_600_000.0));
        assert_eq!(r("retry-after", "Thu, 01 Jan 1970 00:00:10 GMT").retry_after_ms(20_000.0), Some(0.0));
        // The three forms of RFC 9110 5.6.7, the same instant.
        let at = Some(784_111_777_000.0);
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), at);
        assert_eq!(http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), at);
        assert_eq!(http_date_ms("Sun Nov  6 08:49:37 1994"), at);
        assert_eq!(http_date_ms("Monday, 01-Jan-24 00:00:00 GMT"), Some(1_704_067_200_000.0));
        for bad in ["Sun, 06 Nov 1994 08:49:37 CET", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun Nov 6 08:49 1994", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37:01 GMT", ""] {
            assert_eq!(http_date_ms(bad), None, "{bad}");
        }
    }
}
