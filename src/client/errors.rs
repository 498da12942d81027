//! What went wrong with a call, as data the JS glue turns into error classes.

use crate::json::{parse, PathSeg, Value};

/// One class of failure. Each maps to one JS error class (see `code()`).
///
/// ```
/// use agoralia::client::ErrorKind;
/// assert_eq!(ErrorKind::from_status(403), ErrorKind::PermissionDenied);
/// assert_eq!(ErrorKind::from_status(502), ErrorKind::InternalServer);
/// assert_eq!(ErrorKind::from_status(418), ErrorKind::Api);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    Authentication,
    PermissionDenied,
    NotFound,
    Conflict,
    UnprocessableEntity,
    RateLimit,
    InternalServer,
    /// Any other non-2xx status, or a 2xx whose body is not the JSON promised.
    Api,
    /// The request never got a response (DNS, refused, reset, dropped).
    Connection,
    /// An attempt's timeout or the call's total deadline passed.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Abort,
    /// The request was refused before sending (bad parameters).
    RequestValidation,
}

impl ErrorKind {
    /// The kind for an HTTP status that is not 2xx.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            422 => ErrorKind::UnprocessableEntity,
            429 => ErrorKind::RateLimit,
            500..=599 => ErrorKind::InternalServer,
            _ => ErrorKind::Api,
        }
    }

    /// Stable machine-readable code, also the `code` property of the JS error.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Authentication => "authentication_error",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::UnprocessableEntity => "unprocessable_entity",
            ErrorKind::RateLimit => "rate_limit_exceeded",
            ErrorKind::InternalServer => "internal_server_error",
            ErrorKind::Api => "api_error",
            ErrorKind::Connection => "connection_error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Abort => "aborted",
            ErrorKind::RequestValidation => "request_validation_error",
        }
    }
}

/// One field-level problem, in the same shape the client-side validators use:
/// FastAPI's `{loc, msg, type}` with the leading source (`"body"`, `"query"`,
/// `"path"`, `"header"`) dropped from `loc`.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub path: Vec<PathSeg>,
    pub code: String,
    pub message: String,
}

/// An API error body decoded as far as it allows.
///
/// ```
/// use agoralia::client::ApiFailure;
/// let f = ApiFailure::decode(403, r#"{"detail":"Insufficient permissions. Required scope: agents:write"}"#);
/// assert_eq!(f.required_scope.as_deref(), Some("agents:write"));
/// let f = ApiFailure::decode(502, "<html><head><title>502 Bad Gateway</title></head></html>");
/// assert_eq!(f.detail, "502 Bad Gateway");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    pub kind: ErrorKind,
    pub status: u16,
    /// The server's text: `detail` when it is a string, the joined messages of a
    /// 422 list, the title of an HTML page, or the start of a plain-text body.
    pub detail: String,
    /// The body as compact JSON text, when it was JSON (capped: see `cap_body`).
    pub body: Option<String>,
    /// 422 items mapped to [`Issue`]s.
    pub issues: Vec<Issue>,
    /// From a 403's "Required scope: x" (falls back to `None` gracefully).
    pub required_scope: Option<String>,
}

/// How many items of a 422 `detail` list become issues.
const MAX_SERVER_ISSUES: usize = 100;

/// How much of a non-JSON body is kept as `detail`.
const MAX_TEXT_DETAIL: usize = 300;

impl ApiFailure {
    /// Decodes an error response body of any shape; never fails.
    pub fn decode(status: u16, body: &str) -> ApiFailure {
        let kind = ErrorKind::from_status(status);
        let parsed = parse(body).ok();
        let mut issues = Vec::new();
        let detail = match parsed.as_ref().and_then(|v| v.get("detail")) {
            Some(Value::String(s)) => s.to_string(),
            Some(Value::Array(items)) => {
                // The first ones: a list of thousands helps no one, and took
                // seconds to carry into JS.
                issues = items.iter().take(MAX_SERVER_ISSUES).map(issue_from_fastapi).collect();
                let mut detail = String::new();
                // A loop, not collect + join: those were 500 bytes of wasm.
                let more = items.len().saturating_sub(MAX_SERVER_ISSUES);
                for d in issues.iter().map(describe) {
                    if !d.is_empty() {
                        if !detail.is_empty() {
                            detail.push_str("; ");
                        }
                        detail.push_str(&d);
                    }
                }
                if more > 0 {
                    detail.push_str(if detail.is_empty() { "and " } else { "; and " });
                    detail.push_str(&more.to_string());
                    detail.push_str(" more");
                }
                detail
            }
            Some(other) => other.to_json(),
            None => match &parsed {
                Some(v) => v.get("message").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(|| v.to_json()),
                None => text_detail(body),
            },
        };
        let detail = if detail.trim().is_empty() { format!("HTTP {status}") } else { detail };
        let required_scope = if status == 403 { required_scope(&detail) } else { None };
        let body = parsed.map(|v| cap_body(v.to_json()));
        ApiFailure { kind, status, detail, body, issues, required_scope }
    }

    /// A 2xx whose body is not valid JSON (truncated, or an HTML page from a proxy).
    pub fn malformed_success(status: u16, body: &str) -> ApiFailure {
        let what = if body.trim_start().starts_with('<') { text_detail(body) } else { "truncated or invalid JSON".into() };
        ApiFailure {
            kind: ErrorKind::Api,
            status,
            detail: format!("the response body is not valid JSON ({what})"),
            body: None,
            issues: Vec::new(),
            required_scope: None,
        }
    }
}

/// Keeps error bodies small on thrown errors: a huge HTML or JSON page is not useful there.
fn cap_body(json: String) -> String {
    if json.len() > 16 * 1024 {
        "\"(body too large to attach)\"".to_string()
    } else {
        json
    }
}

fn issue_from_fastapi(item: &Value) -> Issue {
    let mut path: Vec<PathSeg> = item
        .get("loc")
        .and_then(Value::as_array)
        .map(|loc| {
            loc.iter()
                .filter_map(|seg| match seg {
                    Value::String(s) => Some(PathSeg::Key(s.to_string())),
                    Value::Number(n) => n.as_i64().and_then(|i| usize::try_from(i).ok()).map(PathSeg::Index),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    // `loc` starts with where the value came from; a form wants the field's own
    // path (the same rule as the validators' `fromServerIssues`).
    if matches!(path.first(), Some(PathSeg::Key(k)) if matches!(k.as_str(), "body" | "query" | "path" | "header" | "cookie")) {
        path.remove(0);
    }
    let text = |k: &str, missing: &str| item.get(k).and_then(Value::as_str).unwrap_or(missing).to_owned();
    Issue { path, code: text("type", "server_error"), message: text("msg", "") }
}

fn describe(issue: &Issue) -> String {
    if issue.path.is_empty() {
        issue.message.clone()
    } else {
        format!("{}: {}", crate::json::path_to_dotted(&issue.path), issue.message)
    }
}

/// The `<title>` of an HTML page, else the first characters of the text.
fn text_detail(body: &str) -> String {
    let lower = body.to_ascii_lowercase();
    if let (Some(a), Some(b)) = (super::find(&lower, "<title>"), super::find(&lower, "</title>")) {
        if a + 7 <= b {
            return body[a + 7..b].trim().to_owned();
        }
    }
    let t = body.trim();
    match t.char_indices().nth(MAX_TEXT_DETAIL) {
        Some((cut, _)) => format!("{}…", &t[..cut]),
        None => t.to_owned(),
    }
}

/// "… Required scope: agents:write" -> "agents:write". Scope syntax: letters,
/// digits and `:_-.`; anything else ends it.
fn required_scope(detail: &str) -> Option<String> {
    let lower = detail.to_ascii_lowercase();
    let at = super::find(&lower, "required scope")? + "required scope".len();
    let rest = &detail[at..];
    let rest = rest.strip_prefix('s').unwrap_or(rest).trim_start_matches([':', ' ', '=']);
    let scope: String =
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-' | '.')).collect();
    let scope = scope.trim_end_matches(['.', ':']).to_owned();
    (!scope.is_empty()).then_some(scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastapi_422_maps_to_issues_without_body() {
        let f = ApiFailure::decode(
            422,
            r#"{"detail":[{"loc":["body","items",0,"phone"],"msg":"field required","type":"missing"},{"loc":["query","limit"],"msg":"too big","type":"less_than_equal"}]}"#,
        );
        assert_eq!(f.kind, ErrorKind::UnprocessableEntity);
        assert_eq!(f.issues.len(), 2);
        assert_eq!(f.issues[0].path, vec![PathSeg::from("items"), PathSeg::from(0usize), PathSeg::from("phone")]);
        assert_eq!(f.issues[0].code, "missing");
        assert_eq!(f.issues[1].path, vec![PathSeg::from("limit")]);
        assert_eq!(f.detail, "items.0.phone: field required; limit: too big");
    }

    #[test]
    fn a_long_422_list_keeps_its_first_issues() {
        let items: Vec<String> = (0..150).map(|i| format!(r#"{{"loc":["body","items",{i}],"msg":"{}","type":"t"}}"#, if i % 2 == 0 { "bad" } else { "" })).collect();
        let f = ApiFailure::decode(422, &format!(r#"{{"detail":[{}]}}"#, items.join(",")));
        assert_eq!(f.issues.len(), MAX_SERVER_ISSUES);
        assert!(f.detail.starts_with("items.0: bad; items.1: ; items.2: bad"), "{}", f.detail);
        assert!(f.detail.ends_with("; and 50 more"), "{}", f.detail);
        // Items that say nothing add nothing.
        assert_eq!(ApiFailure::decode(500, r#"{"detail":[1,2,3]}"#).detail, "HTTP 500");
    }

    #[test]
    fn any_body_gives_a_useful_detail() {
        assert_eq!(ApiFailure::decode(404, r#"{"detail":"Campaign not found"}"#).detail, "Campaign not found");
        assert_eq!(ApiFailure::decode(500, "").detail, "HTTP 500");
        assert_eq!(ApiFailure::decode(500, "oops").detail, "oops");
        assert_eq!(ApiFailure::decode(500, r#"{"message":"m"}"#).detail, "m");
        assert_eq!(ApiFailure::decode(500, r#"{"detail":{"a":1}}"#).detail, r#"{"a":1}"#);
        assert_eq!(ApiFailure::decode(500, "[1,2").detail, "[1,2");
        let long = "x".repeat(1000);
        assert_eq!(ApiFailure::decode(500, &long).detail.chars().count(), MAX_TEXT_DETAIL + 1);
        assert!(ApiFailure::malformed_success(200, r#"{"items": [{"id": 1, "name": "trunc"#).detail.contains("not valid JSON"));
    }

    #[test]
    fn required_scope_is_parsed_or_absent() {
        assert_eq!(required_scope("Insufficient permissions. Required scope: campaigns:start").as_deref(), Some("campaigns:start"));
        assert_eq!(required_scope("required scope: me:read.").as_deref(), Some("me:read"));
        assert_eq!(required_scope("Forbidden"), None);
        assert_eq!(required_scope("Required scope:"), None);
        assert_eq!(ApiFailure::decode(401, r#"{"detail":"Required scope: x"}"#).required_scope, None);
    }
}
