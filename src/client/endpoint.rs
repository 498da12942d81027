//! The nine operations of the API as data: method, path, query and scope.

use super::pagination::ListQuery;

/// One API operation with its path and query parameters.
///
/// Ids are kept as text: the contract treats cursors as opaque and the SDK must
/// not care whether an id is a number or a string. Path segments and query values
/// are percent-encoded here, so an id stays inside its own segment; an id that is
/// a dot segment would still move the path (see [`path_id_problem`], which
/// [`CallSpec`](super::CallSpec) applies before anything is sent).
///
/// ```
/// use agoralia::client::{Endpoint, ListQuery};
/// assert_eq!(Endpoint::Me.method(), "GET");
/// assert_eq!(Endpoint::Me.path(), "/me");
/// let start = Endpoint::StartCampaign { campaign_id: "5".into() };
/// assert_eq!((start.method(), start.path().as_str()), ("POST", "/campaigns/5/start"));
/// let calls = Endpoint::ListCalls { campaign_id: Some("5".into()), page: ListQuery::new(Some(50), None).unwrap() };
/// assert_eq!(calls.path(), "/calls?campaign_id=5&limit=50");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /me`: the tenant and the key's scopes.
    Me,
    /// `GET /agents`.
    ListAgents(ListQuery),
    /// `POST /agents`.
    CreateAgent,
    /// `GET /campaigns`.
    ListCampaigns(ListQuery),
    /// `POST /campaigns`.
    CreateCampaign,
    /// `POST /campaigns/{campaign_id}/start`: answers a proposal to confirm.
    StartCampaign { campaign_id: String },
    /// `GET /campaigns/{campaign_id}/results`.
    CampaignResults { campaign_id: String },
    /// `POST /leads:upsert`.
    UpsertLeads,
    /// `GET /calls`, optionally filtered by campaign.
    ListCalls { campaign_id: Option<String>, page: ListQuery },
}

impl Endpoint {
    /// `"GET"` or `"POST"`.
    pub fn method(&self) -> &'static str {
        if self.is_post() {
            "POST"
        } else {
            "GET"
        }
    }

    /// Whether the operation is a POST (and so needs an `Idempotency-Key` to be retried).
    pub fn is_post(&self) -> bool {
        matches!(
            self,
            Endpoint::CreateAgent | Endpoint::CreateCampaign | Endpoint::StartCampaign { .. } | Endpoint::UpsertLeads
        )
    }

    /// Whether the operation sends a JSON body.
    pub fn has_body(&self) -> bool {
        matches!(self, Endpoint::CreateAgent | Endpoint::CreateCampaign | Endpoint::UpsertLeads)
    }

    /// The scope a key needs (from the endpoint reference).
    ///
    /// ```
    /// assert_eq!(agoralia::client::Endpoint::UpsertLeads.scope(), "leads:write");
    /// ```
    pub fn scope(&self) -> &'static str {
        match self {
            Endpoint::Me => "me:read",
            Endpoint::ListAgents(_) => "agents:read",
            Endpoint::CreateAgent => "agents:write",
            Endpoint::ListCampaigns(_) => "campaigns:read",
            Endpoint::CreateCampaign => "campaigns:write",
            Endpoint::StartCampaign { .. } => "campaigns:start",
            Endpoint::CampaignResults { .. } => "results:read",
            Endpoint::UpsertLeads => "leads:write",
            Endpoint::ListCalls { .. } => "calls:read",
        }
    }

    /// Path and query, relative to the base URL.
    pub fn path(&self) -> String {
        match self {
            Endpoint::Me => "/me".to_owned(),
            Endpoint::ListAgents(page) => with_query("/agents".to_owned(), page.pairs()),
            Endpoint::CreateAgent => "/agents".to_owned(),
            Endpoint::ListCampaigns(page) => with_query("/campaigns".to_owned(), page.pairs()),
            Endpoint::CreateCampaign => "/campaigns".to_owned(),
            Endpoint::StartCampaign { campaign_id } => format!("/campaigns/{}/start", encode(campaign_id)),
            Endpoint::CampaignResults { campaign_id } => format!("/campaigns/{}/results", encode(campaign_id)),
            Endpoint::UpsertLeads => "/leads:upsert".to_owned(),
            Endpoint::ListCalls { campaign_id, page } => {
                let mut pairs = Vec::new();
                if let Some(id) = campaign_id {
                    pairs.push(("campaign_id", id.clone()));
                }
                pairs.extend(page.pairs());
                with_query("/calls".to_owned(), pairs)
            }
        }
    }
}

/// Why `id` cannot be a path segment, if it cannot: it is empty, or it is "."
/// or ".." (any of the dots written `%2e` or `%2E`).
///
/// Percent-encoding keeps an id inside its segment but cannot make a dot
/// segment inert: a URL parser resolves "." and "..", and WHATWG URL (what
/// `fetch` uses) reads `%2e` as a dot too, so `start("..")` would be sent as
/// `POST /start` and `start(".")` as `POST /campaigns/start`. An id written
/// `%2e%2e` goes out as `%252e%252e`, which a proxy or server that decodes a
/// path once reads as `%2e%2e`, a dot segment again. None of these is a
/// campaign's id, so they are refused rather than encoded.
///
/// ```
/// use agoralia::client::path_id_problem;
/// assert_eq!(path_id_problem("5"), None);
/// assert!(path_id_problem("..").is_some() && path_id_problem("%2E%2e").is_some() && path_id_problem("").is_some());
/// ```
pub fn path_id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        return Some("must not be empty");
    }
    let mut rest = id.as_bytes();
    let mut dots = 0;
    while dots < 3 {
        rest = match rest {
            [] => break,
            [b'.', tail @ ..] | [b'%', b'2', b'e' | b'E', tail @ ..] => tail,
            _ => return None,
        };
        dots += 1;
    }
    (rest.is_empty() && dots <= 2)
        .then_some("must not be \".\" or \"..\" (a dot also written %2e): the URL would resolve it and call another endpoint")
}

fn with_query(mut path: String, pairs: Vec<(&str, String)>) -> String {
    for (i, (name, value)) in pairs.iter().enumerate() {
        path.push(if i == 0 { '?' } else { '&' });
        path.push_str(name);
        path.push('=');
        path.push_str(&encode(value));
    }
    path
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so that a
/// value can sit in a path segment or a query value without changing either.
pub(crate) fn encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_has_its_method_path_and_scope() {
        let q = ListQuery::default();
        let cases = [
            (Endpoint::Me, "GET", "/me", "me:read"),
            (Endpoint::ListAgents(q.clone()), "GET", "/agents", "agents:read"),
            (Endpoint::CreateAgent, "POST", "/agents", "agents:write"),
            (Endpoint::ListCampaigns(q.clone()), "GET", "/campaigns", "campaigns:read"),
            (Endpoint::CreateCampaign, "POST", "/campaigns", "campaigns:write"),
            (Endpoint::StartCampaign { campaign_id: "7".into() }, "POST", "/campaigns/7/start", "campaigns:start"),
            (Endpoint::CampaignResults { campaign_id: "7".into() }, "GET", "/campaigns/7/results", "results:read"),
            (Endpoint::UpsertLeads, "POST", "/leads:upsert", "leads:write"),
            (Endpoint::ListCalls { campaign_id: None, page: q }, "GET", "/calls", "calls:read"),
        ];
        for (e, m, p, s) in cases {
            assert_eq!((e.method(), e.path().as_str(), e.scope()), (m, p, s), "{e:?}");
        }
    }

    #[test]
    fn ids_and_cursors_cannot_escape_their_segment() {
        let e = Endpoint::CampaignResults { campaign_id: "../agents?x=1".into() };
        assert_eq!(e.path(), "/campaigns/..%2Fagents%3Fx%3D1/results");
        let page = ListQuery::new(Some(5), Some("a b&c".into())).unwrap();
        assert_eq!(Endpoint::ListAgents(page).path(), "/agents?limit=5&cursor=a%20b%26c");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn empty_and_dot_segment_ids_are_refused_in_every_spelling() {
        for bad in ["", ".", "..", "%2e", "%2E", ".%2e", ".%2E", "%2e.", "%2E.", "%2e%2e", "%2e%2E", "%2E%2e", "%2E%2E"] {
            assert!(path_id_problem(bad).is_some(), "{bad:?}");
        }
        // Three dots, a dot beside other text, and other escapes are ordinary segments.
        for fine in ["5", "...", "%2e%2e%2e", ".a", "a.", "..a", "c.1", "%2f", "%2", "%2e%", "%2ex", "%25", " .", ". "] {
            assert_eq!(path_id_problem(fine), None, "{fine:?}");
        }
    }
}
