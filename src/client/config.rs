use std::fmt;

/// Where and how a client talks to the API. Built once per client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL without a trailing slash, e.g. `https://api.agoralia.app/api/v1`.
    pub base_url: String,
    api_key: Option<String>,
}

/// Why a configuration was refused. Messages never contain the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The key is not `ago_` followed by 32 ASCII letters or digits.
    MalformedApiKey,
    /// The base URL is not an absolute `https://` URL (or `http://` on loopback).
    InvalidBaseUrl(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MalformedApiKey => f.write_str(
                "API key is malformed: expected \"ago_\" followed by 32 letters or digits (36 characters)",
            ),
            ConfigError::InvalidBaseUrl(why) => write!(f, "invalid baseUrl: {why}"),
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
        })
    }

    /// The key, for the `X-API-Key` header only. Deliberately not in `Debug`-like output.
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
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| ConfigError::InvalidBaseUrl("expected an absolute URL such as https://api.agoralia.app/api/v1".into()))?;
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
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
        other => Err(ConfigError::InvalidBaseUrl(format!("unsupported scheme {other:?}; use https://"))),
    }
}

fn host_of(host_port: &str) -> &str {
    let without_user = host_port.rsplit('@').next().unwrap_or(host_port);
    if let Some(v6) = without_user.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    without_user.split(':').next().unwrap_or("")
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host.split('.').next() == Some("127") && host.split('.').count() == 4
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
        assert!(check_base_url("http://localhost.evil.com/api/v1").is_err());
        assert!(check_base_url("ftp://x/api").is_err());
        assert!(check_base_url("/api/v1").is_err());
        assert_eq!(check_base_url("https://a.b/api/v1/").unwrap(), "https://a.b/api/v1");
    }

    #[test]
    fn error_text_never_contains_the_key() {
        let key = "ago_SandboxAllScopes000000000000000!";
        let err = ClientConfig::new(DEFAULT_BASE_URL, Some(key)).unwrap_err();
        assert!(!err.to_string().contains(key));
    }
}
