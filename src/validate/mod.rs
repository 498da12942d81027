//! Client-side validation of request bodies and parameters, before they are sent.
//!
//! Pure Rust, no wasm types: the wasm binding (`src/wasm/validate.rs`)
//! only converts JSON text in and out. The rule book is the contract's
//! "Decisions for client-side validation": an **error** is something the
//! server cannot accept or that cannot mean what the user wants; a
//! **warning** is legal but probably a mistake; no valid request the
//! published pages allow is ever refused. Every code is documented in
//! `docs/validation.md`.
//!
//! Robustness: any input, however wrong, large or deep, yields issues and
//! never panics; recursion is bounded (JSON nesting by
//! [`crate::json::MAX_DEPTH`], schemas by
//! [`extraction_schema::MAX_SCHEMA_DEPTH`]).
//!
//! ```
//! use agoralia::validate::validate_text;
//! let report = validate_text("campaign", r#"{"name": "Q1"}"#);
//! assert!(!report.valid());
//! assert!(report.issues.iter().all(|i| i.code == "required"));
//! ```

pub mod agent;
pub mod campaign;
pub mod display_columns;
pub mod extraction_schema;
mod fields;
mod first_seen;
mod issue;
pub mod language;
pub mod leads;
mod leads_text;
pub mod pagination;
pub mod phone;
#[cfg(test)]
mod props;
pub mod schedule;
pub mod suggest;
pub(crate) mod text;

pub use issue::{Issue, Report, Severity, MAX_ISSUES};
pub(crate) use first_seen::FirstSeen;

use crate::json::{parse, parse_with_spans, PathSeg, Value, MAX_DEPTH};

/// What is being validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// POST /agents body.
    Agent,
    /// POST /campaigns body.
    Campaign,
    /// POST /leads:upsert body `{campaign_id, items}`.
    Leads,
    /// A campaign's `extraction_schema` alone.
    ExtractionSchema,
    /// `{columns, extraction_schema}`: display columns checked against a schema.
    DisplayColumns,
    /// `{limit?, cursor?}` of a list endpoint.
    ListParams,
    /// `{limit?, cursor?, campaign_id?}` of GET /calls.
    CallsListParams,
}

/// Every kind name [`Kind::from_name`] accepts.
pub const KIND_NAMES: &[&str] = &[
    "agent", "campaign", "leads", "extraction_schema", "display_columns", "list_params", "calls_list_params",
];

impl Kind {
    /// The kind for a name such as `"campaign"`.
    ///
    /// ```
    /// use agoralia::validate::Kind;
    /// assert_eq!(Kind::from_name("list_params"), Some(Kind::ListParams));
    /// assert_eq!(Kind::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "agent" => Kind::Agent,
            "campaign" => Kind::Campaign,
            "leads" => Kind::Leads,
            "extraction_schema" => Kind::ExtractionSchema,
            "display_columns" => Kind::DisplayColumns,
            "list_params" => Kind::ListParams,
            "calls_list_params" => Kind::CallsListParams,
            _ => return None,
        })
    }
}

/// Validates a value of the given kind.
///
/// ```
/// use agoralia::json::parse;
/// use agoralia::validate::{validate_kind, Kind};
/// let v = parse(r#"{"columns": ["name", "name"], "extraction_schema": {}}"#).unwrap();
/// assert_eq!(validate_kind(Kind::DisplayColumns, &v).issues[0].code, "duplicate_column");
/// ```
pub fn validate_kind(kind: Kind, value: &Value) -> Report {
    let mut report = Report::new();
    match kind {
        Kind::Agent => agent::check(value, &mut report),
        Kind::Campaign => campaign::check(value, &mut report),
        Kind::Leads => leads::check(value, &mut report),
        Kind::ExtractionSchema => extraction_schema::check(value, &[], &mut report),
        Kind::DisplayColumns => match value.as_object() {
            Some(o) => match o.get("columns") {
                Some(cols) => display_columns::check(cols, o.get("extraction_schema"), &[PathSeg::from("columns")], &mut report),
                None => report.error(vec![PathSeg::from("columns")], "required", "\"columns\" is required"),
            },
            None => report.error(Vec::new(), "invalid_type", "expected {columns, extraction_schema}"),
        },
        Kind::ListParams => pagination::check(value, false, &mut report),
        Kind::CallsListParams => pagination::check(value, true, &mut report),
    }
    report
}

/// Validates a value of the kind named `kind`; an unknown name gives an
/// `unknown_kind` error.
///
/// ```
/// use agoralia::json::parse;
/// use agoralia::validate::validate;
/// assert!(validate("agent", &parse(r#"{"name":"A"}"#).unwrap()).valid());
/// assert_eq!(validate("agnet", &parse("{}").unwrap()).issues[0].code, "unknown_kind");
/// ```
pub fn validate(kind: &str, value: &Value) -> Report {
    match Kind::from_name(kind) {
        Some(k) => validate_kind(k, value),
        None => unknown_kind(kind),
    }
}

fn unknown_kind(kind: &str) -> Report {
    let mut r = Report::new();
    let s = suggest::suggest(kind, KIND_NAMES.iter().copied());
    r.push(
        Issue::error(Vec::new(), "unknown_kind", format!("unknown kind \"{kind}\"; kinds are {}", text::list(KIND_NAMES, false)))
            .with_suggestion_opt(s),
    );
    r
}

fn parse_failure(e: &crate::json::ParseError) -> Issue {
    let code = if e.message.starts_with("nesting") { "too_deep" } else { "invalid_json" };
    let message = if code == "too_deep" {
        format!("the JSON nests deeper than {MAX_DEPTH} levels")
    } else {
        format!("not valid JSON: {}", e.message)
    };
    Issue::error(Vec::new(), code, message)
}

/// Parses JSON text and validates it; text that is not JSON gives one
/// `invalid_json` error (or `too_deep` past the nesting limit).
pub fn validate_text(kind: &str, text: &str) -> Report {
    if kind == "leads" {
        if let Some(report) = leads_text::check(text) {
            return report;
        }
    }
    match parse(text) {
        Ok(v) => validate(kind, &v),
        Err(e) => {
            let mut r = Report::new();
            r.push(parse_failure(&e));
            r
        }
    }
}

/// Parses and validates JSON text and returns the report as JSON text
/// (`{"valid", "issues"}`), each issue with the `line` and `column` in the
/// text where it applies: for editors that show issues inline.
///
/// ```
/// use agoralia::validate::validate_text_to_json_with_positions;
/// let out = validate_text_to_json_with_positions("extraction_schema", "{\n  \"type\": \"objekt\"\n}");
/// assert!(out.contains("\"line\":2,\"column\":11"));
/// ```
pub fn validate_text_to_json_with_positions(kind: &str, text: &str) -> String {
    if kind == "leads" {
        if let Some(out) = leads_text::check_to_json_with_positions(text) {
            return out;
        }
    }
    match parse_with_spans(text) {
        Ok((v, spans)) => validate(kind, &v).to_json_with_spans(&spans),
        Err(e) => {
            let mut out = String::from("{\"valid\":false,\"issues\":[");
            parse_failure(&e).write_json(&mut out, Some((e.line, e.column)));
            out.push_str("]}");
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_entry_points() {
        assert_eq!(validate_text("agent", "{").issues[0].code, "invalid_json");
        assert_eq!(validate_text("agent", &"[".repeat(300)).issues[0].code, "too_deep");
        let out = validate_text_to_json_with_positions("agent", "{\"name\": 1,}");
        assert!(out.starts_with("{\"valid\":false,\"issues\":[{\"path\":[],\"code\":\"invalid_json\""), "{out}");
        assert!(out.contains("\"line\":1,\"column\":12"), "{out}");
        let out = validate_text_to_json_with_positions("agent", "{\"name\": \"a\",\n \"nmae\": 1}");
        // Unknown fields point at the key.
        assert!(out.contains("\"line\":2,\"column\":2"), "{out}");
    }

    #[test]
    fn report_json_escapes() {
        let r = validate_text("agent", r#"{"name":"a","we\"ird\n":1}"#);
        let out = r.to_json();
        assert!(crate::json::parse(&out).is_ok(), "{out}");
        assert!(out.contains(r#""path":["we\"ird\n"]"#), "{out}");
    }

    #[test]
    fn unknown_kind_suggests() {
        assert_eq!(validate_text("campain", "{}").issues[0].suggestion.as_deref(), Some("campaign"));
    }

    #[test]
    fn issue_cap() {
        let mut items = Vec::new();
        for i in 0..1500 {
            items.push(format!(r#"{{"external_id":"l{i}","phone":"bad"}}"#));
        }
        let r = validate_text("leads", &format!(r#"{{"campaign_id":1,"items":[{}]}}"#, items.join(",")));
        assert_eq!(r.issues.len(), MAX_ISSUES + 1);
        assert_eq!(r.issues.last().unwrap().code, "too_many_issues");
        assert!(!r.valid());
    }

    #[test]
    fn an_error_past_the_cap_is_listed_when_no_error_is() {
        // 10 000 unknown columns (warnings), then a schedule that is not an object.
        let cols: Vec<String> = (0..10_000).map(|i| format!("\"c{i}\"")).collect();
        let t = format!(r#"{{"name":"x","purpose":"inbound","agent_ref_id":1,"extraction_schema":{{}},"display_columns":[{}],"schedule":[]}}"#, cols.join(","));
        let r = validate_text("campaign", &t);
        assert!(!r.valid());
        assert_eq!(r.issues.len(), MAX_ISSUES + 2);
        let tail: Vec<_> = r.issues[MAX_ISSUES..].iter().map(|i| i.code).collect();
        assert_eq!(tail, ["too_many_issues", "invalid_type"]);
        // Only the first such error, and none when one is listed already.
        let t = t.replace(r#""agent_ref_id":1"#, r#""agent_ref_id":true"#).replace(r#""schedule":[]"#, r#""schedule":[],"call_language_mode":5"#);
        let r = validate_text("campaign", &t);
        assert_eq!((r.issues.len(), r.issues[0].code), (MAX_ISSUES + 1, "invalid_type"));
    }
}
