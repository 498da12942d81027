use super::{ClientConfig, Endpoint};

/// A request ready for `fetch`: everything is decided here, nothing by the binding.
///
/// ```
/// use agoralia::client::{ClientConfig, Endpoint};
/// let c = ClientConfig::new("https://api.agoralia.app/api/v1", Some("ago_SandboxAllScopes0000000000000001")).unwrap();
/// let r = c.build(&Endpoint::CreateAgent, Some(r#"{"name":"A"}"#.into()), Some("k-1"));
/// assert_eq!(r.url, "https://api.agoralia.app/api/v1/agents");
/// assert_eq!(r.header("idempotency-key"), Some("k-1"));
/// assert_eq!(r.header("content-type"), Some("application/json"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// Serialized once; a retry re-sends these exact bytes.
    pub body: Option<String>,
}

/// Prints everything but the key's value, so a request can be logged safely.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), if k.eq_ignore_ascii_case("x-api-key") { "[redacted]" } else { v.as_str() }))
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

impl HttpRequest {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl ClientConfig {
    /// Builds the request for `endpoint` with an optional JSON body and idempotency key.
    /// The caller's extra headers come first; the SDK's own cannot be overridden
    /// (they are refused at configuration).
    pub fn build(&self, endpoint: &Endpoint, body: Option<String>, idempotency_key: Option<&str>) -> HttpRequest {
        let mut headers = self.options.headers.clone();
        headers.push(("Accept".to_owned(), "application/json".to_owned()));
        if let Some(key) = self.api_key() {
            headers.push(("X-API-Key".to_owned(), key.to_owned()));
        }
        if body.is_some() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        if let Some(k) = idempotency_key {
            headers.push(("Idempotency-Key".to_owned(), k.to_owned()));
        }
        // Not format!: this runs on every call, and the formatting machinery is
        // a lot of code to bring into cache for two concatenations.
        let mut url = self.base_url.clone();
        url.push_str(&endpoint.path());
        HttpRequest { method: endpoint.method(), url, headers, body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientOptions;

    #[test]
    fn get_has_no_body_headers_and_debug_hides_the_key() {
        let key = "ago_SandboxAllScopes0000000000000001";
        let o = ClientOptions::from_json(r#"{"headers":{"X-Trace":"t1"}}"#).unwrap();
        let c = ClientConfig::with_options("http://127.0.0.1:1/api/v1", Some(key), o).unwrap();
        let r = c.build(&Endpoint::Me, None, None);
        assert_eq!(r.header("content-type"), None);
        assert_eq!(r.header("idempotency-key"), None);
        assert_eq!(r.header("x-api-key"), Some(key));
        assert_eq!(r.header("x-trace"), Some("t1"));
        assert!(!format!("{r:?}").contains(key));
        let proxy = ClientConfig::new("https://my.app/agoralia", None).unwrap();
        assert_eq!(proxy.build(&Endpoint::Me, None, None).header("x-api-key"), None);
    }
}
