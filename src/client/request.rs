use super::{ClientConfig, Endpoint};

/// A request ready for `fetch`: everything is decided here, nothing by the binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// Serialized once; a retry re-sends these exact bytes.
    pub body: Option<String>,
}

impl ClientConfig {
    /// Builds the request for `endpoint` with an optional JSON body and idempotency key.
    pub fn build(&self, endpoint: &Endpoint, body: Option<String>, idempotency_key: Option<&str>) -> HttpRequest {
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        if let Some(key) = self.api_key() {
            headers.push(("X-API-Key".to_owned(), key.to_owned()));
        }
        if body.is_some() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        if let Some(k) = idempotency_key {
            headers.push(("Idempotency-Key".to_owned(), k.to_owned()));
        }
        HttpRequest { method: endpoint.method(), url: format!("{}{}", self.base_url, endpoint.path()), headers, body }
    }
}
