use std::fmt;

use crate::json::Value;

/// Where and how a client talks to the API. Built once per client.
///
/// `Debug` prints `api_key: Some("ago_…")` only, never the key.
#[derive(Clone)]
pub struct ClientConfig {
    /// Base URL without a trailing slash, e.g. `https://api.agoralia.app/api/v1`.
    pub base_url: String,
    api_key: Option<String>,
    /// Client-wide defaults, overridable per call.
    pub options: ClientOptions,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "ago_…"))
            .field("options", &self.options)
            .finish()
    }
}

/// Client-wide defaults of retries, timeouts, throttling and extra headers.
///
/// ```
/// use agoralia::client::ClientOptions;
/// let o = ClientOptions::default();
/// assert_eq!((o.max_retries, o.timeout_ms, o.throttle), (2, 60_000.0, true));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// Timeout of one attempt, in ms.
    pub timeout_ms: f64,
    /// Total time of a call across attempts and waits, in ms; `None`: the larger
    /// of three minutes and `timeout_ms`.
    pub deadline_ms: Option<f64>,
    /// Wait for the rate-limit window instead of sending into a sure 429.
    pub throttle: bool,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions { max_retries: 2, timeout_ms: 60_000.0, deadline_ms: None, throttle: true, headers: Vec::new() }
    }
}

/// Headers the SDK owns: a caller's value would break auth or idempotency.
const RESERVED_HEADERS: [&str; 4] = ["x-api-key", "idempotency-key", "content-type", "content-length"];

/// Longest retry count accepted: more is almost certainly a unit mix-up.
pub const MAX_RETRIES_LIMIT: u32 = 10;

impl ClientOptions {
    /// Reads `{"maxRetries", "timeoutMs", "deadlineMs", "throttle", "headers"}`
    /// (the JS option names); absent or null members keep their defaults.
    ///
    /// ```
    /// use agoralia::client::ClientOptions;
    /// let o = ClientOptions::from_json(r#"{"maxRetries":0,"headers":{"X-Trace":"1"}}"#).unwrap();
    /// assert_eq!(o.max_retries, 0);
    /// assert_eq!(o.headers, vec![("X-Trace".to_owned(), "1".to_owned())]);
    /// assert!(ClientOptions::from_json(r#"{"headers":{"X-API-Key":"x"}}"#).is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<ClientOptions, ConfigError> {
        let bad = |m: &str| ConfigError::InvalidOption(m.to_owned());
        let v = crate::json::parse(text).map_err(|_| bad("options must be a JSON object"))?;
        let mut o = ClientOptions::default();
        if let Some(n) = retries(number(v.get("maxRetries"))).map_err(|()| bad(RETRIES_MSG))? {
            o.max_retries = n;
        }
        if let Some(ms) = positive_ms(number(v.get("timeoutMs"))).map_err(|()| bad("timeoutMs must be a positive number of milliseconds"))? {
            o.timeout_ms = ms;
        }
        o.deadline_ms = positive_ms(number(v.get("deadlineMs"))).map_err(|()| bad("deadlineMs must be a positive number of milliseconds"))?;
        match v.get("throttle") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => o.throttle = *b,
            Some(_) => return Err(bad("throttle must be true or false")),
        }
        match v.get("headers") {
            None | Some(Value::Null) => {}
            Some(Value::Object(h)) => {
                for (name, value) in h.iter() {
                    let Some(value) = value.as_str() else {
                        return Err(ConfigError::InvalidOption(format!("header \"{name}\" must have a string value")));
                    };
                    check_header(name, value)?;
                    o.headers.push((name.to_owned(), value.to_owned()));
                }
            }
            Some(_) => return Err(bad("headers must be an object of strings")),
        }
        Ok(o)
    }

    /// The total deadline of a call, in ms.
    pub fn deadline_ms(&self) -> f64 {
        self.deadline_ms.unwrap_or(self.timeout_ms.max(180_000.0))
    }
}

const RETRIES_MSG: &str = "maxRetries must be an integer from 0 to 10";

/// A parameter as the caller gave it: absent (or null), a value, or one of
/// another type (`Err`). Both ways a spec arrives, JSON text and the glue's
/// typed arguments, come down to this, so the rules below are written once.
pub type Given<T> = Result<Option<T>, ()>;

/// A JSON member given where a number is expected.
pub(crate) fn number(v: Option<&Value>) -> Given<f64> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(crate::json::parse_f64(n.as_text()).unwrap_or(f64::NAN))),
        Some(_) => Err(()),
    }
}

/// `maxRetries`: an integer 0..=10, or absent.
pub(crate) fn retries(v: Given<f64>) -> Result<Option<u32>, ()> {
    match v? {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && (0.0..=MAX_RETRIES_LIMIT as f64).contains(&n) => Ok(Some(n as u32)),
        Some(_) => Err(()),
    }
}

/// A duration in ms: a positive finite number, or absent.
pub(crate) fn positive_ms(v: Given<f64>) -> Result<Option<f64>, ()> {
    match v? {
        None => Ok(None),
        Some(ms) if ms.is_finite() && ms > 0.0 => Ok(Some(ms)),
        Some(_) => Err(()),
    }
}

fn check_header(name: &str, value: &str) -> Result<(), ConfigError> {
    let token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !token {
        return Err(ConfigError::InvalidOption(format!("\"{name}\" is not a valid header name")));
    }
    if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return Err(ConfigError::InvalidOption(format!(
            "header \"{name}\" is set by the SDK (use the apiKey / idempotencyKey options instead)"
        )));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(ConfigError::InvalidOption(format!("header \"{name}\" has a line break in its value")));
    }
    Ok(())
}

/// Why a configuration was refused. Messages never contain the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The key is not `ago_` followed by 32 ASCII letters or digits.
    MalformedApiKey,
    /// The base URL is not an absolute `https://` URL (or `http://` on loopback).
    InvalidBaseUrl(String),
    /// A retry, timeout, throttle or header option is out of range.
    InvalidOption(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MalformedApiKey => f.write_str(
                "API key is malformed: expected \"ago_\" followed by 32 letters or digits (36 characters)",
            ),
            ConfigError::InvalidBaseUrl(why) => write!(f, "invalid baseUrl: {why}"),
            ConfigError::InvalidOption(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.agoralia.app/api/v1";

impl ClientConfig {
    /// Checks the base URL and the key's format before any request is made.
    ///
    /// ```
    /// use agoralia::client::{ClientConfig, ConfigError};
    /// assert_eq!(ClientConfig::new("https://api.agoralia.app/api/v1", Some("bad")).unwrap_err(), ConfigError::MalformedApiKey);
    /// assert!(ClientConfig::new("http://example.com/api/v1", None).is_err()); // plain http off loopback
    /// assert!(ClientConfig::new("http://localhost:8787/api/v1/", None).is_ok());
    /// ```
    pub fn new(base_url: &str, api_key: Option<&str>) -> Result<Self, ConfigError> {
        if let Some(key) = api_key {
            if !is_well_formed_key(key) {
                return Err(ConfigError::MalformedApiKey);
            }
        }
        Ok(Self {
            base_url: check_base_url(base_url)?,
            api_key: api_key.map(str::to_owned),
            options: ClientOptions::default(),
        })
    }

    /// The same, with client-wide options.
    ///
    /// ```
    /// use agoralia::client::{ClientConfig, ClientOptions};
    /// let o = ClientOptions { max_retries: 0, ..ClientOptions::default() };
    /// let c = ClientConfig::with_options("https://api.agoralia.app/api/v1", None, o).unwrap();
    /// assert_eq!(c.options.max_retries, 0);
    /// ```
    pub fn with_options(base_url: &str, api_key: Option<&str>, options: ClientOptions) -> Result<Self, ConfigError> {
        Ok(Self { options, ..Self::new(base_url, api_key)? })
    }

    /// The key, for the `X-API-Key` header only. Deliberately not in `Debug` output.
    pub(crate) fn api_key(&self) -> Option<&str> {
        self.api_key.as_deref()
    }
}

/// `ago_` + 32 ASCII letters or digits (the contract: 36 characters in all).
pub fn is_well_formed_key(key: &str) -> bool {
    key.len() == 36
        && key.starts_with("ago_")
        && key.as_bytes()[4..].iter().all(u8::is_ascii_alphanumeric)
}

fn check_base_url(raw: &str) -> Result<String, ConfigError> {
    let url = raw.trim().trim_end_matches('/');
    let at = super::find(url, "://")
        .ok_or_else(|| ConfigError::InvalidBaseUrl("expected an absolute URL such as https://api.agoralia.app/api/v1".into()))?;
    let (scheme, rest) = (&url[..at], &url[at + 3..]);
    if rest.contains(['?', '#']) {
        return Err(ConfigError::InvalidBaseUrl("the base URL must not have a query or a fragment".into()));
    }
    let host_port = rest.split('/').next().unwrap_or("");
    if host_port.contains('@') {
        return Err(ConfigError::InvalidBaseUrl("credentials in the URL are not supported; use apiKey".into()));
    }
    let host = host_of(host_port);
    if host.is_empty() {
        return Err(ConfigError::InvalidBaseUrl("the URL has no host".into()));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_owned()),
        "http" if is_loopback(host) => Ok(url.to_owned()),
        "http" => Err(ConfigError::InvalidBaseUrl(format!(
            "plain http:// is only allowed for loopback hosts (localhost, 127.0.0.1, [::1]); use https:// for {host}"
        ))),
        other => Err(ConfigError::InvalidBaseUrl(format!("unsupported scheme \"{other}\"; use https://"))),
    }
}

fn host_of(host_port: &str) -> &str {
    if let Some(v6) = host_port.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    host_port.split(':').next().unwrap_or("")
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host.split('.').next() == Some("127")
            && host.split('.').count() == 4
            && host.split('.').all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_format() {
        assert!(is_well_formed_key("ago_SandboxAllScopes0000000000000001"));
        assert!(!is_well_formed_key("ago_SandboxAllScopes000000000000001")); // 35
        assert!(!is_well_formed_key("ago_SandboxAllScopes00000000000000-1"));
        assert!(!is_well_formed_key("AGO_SandboxAllScopes0000000000000001"));
        assert!(!is_well_formed_key("ago_SandboxAllScopés000000000000001"));
    }

    #[test]
    fn base_url_rules() {
        assert!(check_base_url("http://127.0.0.1:8787/api/v1").is_ok());
        assert!(check_base_url("http://[::1]:8787/api/v1").is_ok());
        assert!(check_base_url("http://app.localhost/api/v1").is_ok());
        assert!(check_base_url("http://127.evil.com/api/v1").is_err());
        assert!(check_base_url("http://127.0.0.1.evil.com/api/v1").is_err());
        assert!(check_base_url("http://localhost.evil.com/api/v1").is_err());
        assert!(check_base_url("http://localhost@evil.com/api/v1").is_err());
        assert!(check_base_url("https://a.b/api/v1?x=1").is_err());
        assert!(check_base_url("ftp://x/api").is_err());
        assert!(check_base_url("/api/v1").is_err());
        assert_eq!(check_base_url("https://a.b/api/v1/").unwrap(), "https://a.b/api/v1");
    }

    #[test]
    fn error_text_and_debug_never_contain_the_key() {
        let key = "ago_SandboxAllScopes000000000000000!";
        let err = ClientConfig::new(DEFAULT_BASE_URL, Some(key)).unwrap_err();
        assert!(!err.to_string().contains(key));
        let good = "ago_SandboxAllScopes0000000000000001";
        let c = ClientConfig::new(DEFAULT_BASE_URL, Some(good)).unwrap();
        assert!(!format!("{c:?}").contains(good));
    }

    #[test]
    fn options_from_json() {
        let o = ClientOptions::from_json(r#"{"maxRetries":5,"timeoutMs":1500,"deadlineMs":4000,"throttle":false}"#).unwrap();
        assert_eq!((o.max_retries, o.timeout_ms, o.deadline_ms(), o.throttle), (5, 1500.0, 4000.0, false));
        assert_eq!(ClientOptions::default().deadline_ms(), 180_000.0);
        for bad in [
            r#"{"maxRetries":-1}"#,
            r#"{"maxRetries":11}"#,
            r#"{"maxRetries":1.5}"#,
            r#"{"timeoutMs":0}"#,
            r#"{"timeoutMs":"5"}"#,
            r#"{"throttle":1}"#,
            r#"{"headers":{"Bad Name":"x"}}"#,
            r#"{"headers":{"X-A":"a\nb"}}"#,
            r#"{"headers":{"Idempotency-Key":"k"}}"#,
            r#"{"headers":[]}"#,
            "nope",
        ] {
            assert!(ClientOptions::from_json(bad).is_err(), "{bad}");
        }
    }
}
