//! POST /campaigns body.

use super::fields::{id, language_tag, one_of, optional, required, root_object, string, unknown_fields};
use super::issue::{at, Issue, Report};
use super::schedule::{check_timezone, parse_datetime, starts_before};
use super::{display_columns, extraction_schema};
use crate::json::{PathSeg, Value};

/// Allowed `purpose` values.
pub const PURPOSES: &[&str] = &["quote_request", "cold_calling", "appointment", "qualification", "inbound"];
/// Allowed `call_language_mode` values.
pub const CALL_LANGUAGE_MODES: &[&str] = &["auto", "fixed"];
/// The fields of a campaign body (sandbox/openapi.yaml `CampaignCreate`); any other is `unknown_field`.
pub const FIELDS: &[&str] = &[
    "name", "purpose", "agent_ref_id", "from_number_id", "call_language_mode", "output_language",
    "extraction_schema", "display_columns", "schedule",
];

/// The fields of a campaign's `schedule` (sandbox/openapi.yaml).
pub const SCHEDULE_FIELDS: &[&str] = &["timezone", "start_date", "end_date"];

/// Validates a campaign creation body.
///
/// ```
/// use agoralia::json::parse;
/// use agoralia::validate::{campaign, Report};
/// let body = parse(r#"{"name":"Q1","purpose":"quote","agent_ref_id":1,
///   "extraction_schema":{},"display_columns":[]}"#).unwrap();
/// let mut report = Report::new();
/// campaign::check(&body, &mut report);
/// let i = report.errors().next().unwrap();
/// assert_eq!((i.code, i.suggestion.as_deref()), ("invalid_enum", Some("quote_request")));
/// ```
pub fn check(v: &Value, report: &mut Report) {
    let Some(obj) = root_object(v, "a campaign", report) else { return };
    let root: &[PathSeg] = &[];
    if let Some(name) = required(obj, "name", root, "the campaign's name", report) {
        // "" is refused (minLength 1); a blank name is legal, probably a mistake.
        string(name, at(root, "name"), "name", name.as_str() == Some(""), report);
    }
    if let Some(p) = required(obj, "purpose", root, "one of quote_request, cold_calling, appointment, qualification, inbound", report) {
        one_of(p, at(root, "purpose"), "purpose", PURPOSES, report);
    }
    if let Some(a) = required(obj, "agent_ref_id", root, "the id of the agent to use (from GET /agents)", report) {
        id(a, at(root, "agent_ref_id"), "agent_ref_id", report);
    }
    if let Some(f) = optional(obj, "from_number_id") {
        id(f, at(root, "from_number_id"), "from_number_id", report);
    }
    if let Some(m) = optional(obj, "call_language_mode") {
        one_of(m, at(root, "call_language_mode"), "call_language_mode", CALL_LANGUAGE_MODES, report);
    }
    if let Some(l) = optional(obj, "output_language") {
        if let Some(s) = string(l, at(root, "output_language"), "output_language", true, report) {
            if s != "same_as_call" && !s.trim().is_empty() {
                language_tag(s, at(root, "output_language"), "output_language", " or \"same_as_call\"", report);
            }
        }
    }
    let schema = obj.get("extraction_schema");
    match schema {
        None | Some(Value::Null) => report.error(
            vec![PathSeg::from("extraction_schema")],
            "required",
            "\"extraction_schema\" is required: a JSON Schema of what to extract from each call ({} is accepted but extracts nothing)",
        ),
        Some(s) => extraction_schema::check(s, &[PathSeg::from("extraction_schema")], report),
    }
    if let Some(cols) = required(obj, "display_columns", root, "an array of column keys to show in results ([] is accepted)", report) {
        display_columns::check(cols, schema, &[PathSeg::from("display_columns")], report);
    }
    if let Some(s) = optional(obj, "schedule") {
        check_schedule(s, report);
    }
    unknown_fields(obj, FIELDS, root, report);
}

fn check_schedule(v: &Value, report: &mut Report) {
    let base = [PathSeg::from("schedule")];
    let Some(obj) = v.as_object() else {
        report.error(base.to_vec(), "invalid_type", format!("\"schedule\" must be an object {{timezone, start_date, end_date}}, got {}", v.type_name()));
        return;
    };
    if let Some(tz) = optional(obj, "timezone") {
        if let Some(s) = string(tz, at(&base, "timezone"), "timezone", true, report) {
            if !s.trim().is_empty() {
                match check_timezone(s) {
                    Err((message, suggestion)) => report.push(Issue::error(at(&base, "timezone"), "invalid_timezone", message).with_suggestion_opt(suggestion)),
                    // The shape fits: whether the zone exists is for a host with time zone data (Intl).
                    Ok(()) => report.probe(at(&base, "timezone"), "timezone", s),
                }
            }
        }
    }
    let date = |key: &str, report: &mut Report| {
        let d = optional(obj, key)?;
        let s = string(d, at(&base, key), key, true, report)?;
        match parse_datetime(s) {
            Ok(dt) => Some(dt),
            Err(msg) => {
                if !s.trim().is_empty() {
                    report.error(at(&base, key), "invalid_datetime", format!("\"{key}\" \"{s}\": {msg}"));
                }
                None
            }
        }
    };
    let start = date("start_date", report);
    let end = date("end_date", report);
    if let (Some(a), Some(b)) = (start, end) {
        if starts_before(&a, &b) == Some(false) {
            report.error(at(&base, "end_date"), "schedule_order", "\"end_date\" must be after \"start_date\"");
        }
    }
    unknown_fields(obj, SCHEDULE_FIELDS, &base, report);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn run(t: &str) -> Report {
        let mut r = Report::new();
        check(&parse(t).unwrap(), &mut r);
        r
    }

    const FULL: &str = r#"{"name":"Q1 Sales Campaign","purpose":"quote_request","agent_ref_id":1,"from_number_id":123,
      "call_language_mode":"auto","output_language":"same_as_call",
      "extraction_schema":{"type":"object","properties":{"quote_amount":{"type":"number","required":true},
        "availability":{"type":"string","enum":["yes","no","unknown"]}}},
      "display_columns":["name","phone","quote_amount"],
      "schedule":{"timezone":"Europe/Rome","start_date":"2025-01-20T00:00:00Z","end_date":"2025-01-31T23:59:59Z"}}"#;

    #[test]
    fn published_examples_have_no_issue() {
        // No finding; the time zone is a probe for the host (Intl).
        let r = run(FULL);
        assert_eq!(r.issues.iter().map(|i| (i.code, i.severity)).collect::<Vec<_>>(), vec![("timezone", crate::validate::Severity::Probe)]);
        let minimal = r#"{"name":"Q1 Sales Campaign","purpose":"quote_request","agent_ref_id":1,
          "extraction_schema":{"type":"object","properties":{"quote_amount":{"type":"number"}}},"display_columns":["quote_amount"]}"#;
        assert_eq!(run(minimal).issues, vec![]);
        let empty = r#"{"name":"x","purpose":"inbound","agent_ref_id":1,"extraction_schema":{},"display_columns":[]}"#;
        let r = run(empty);
        assert!(r.valid());
        assert_eq!(r.issues.len(), 1); // the empty-schema warning
    }

    #[test]
    fn required_fields() {
        let r = run("{}");
        let codes: Vec<_> = r.issues.iter().map(|i| i.code).collect();
        assert_eq!(codes, vec!["required"; 5]);
        assert_eq!(run("[]").issues[0].code, "invalid_type");
    }

    #[test]
    fn field_rules() {
        let r = run(r#"{"name":"x","purpose":"inbound","agent_ref_id":"7","extraction_schema":{},"display_columns":[],
            "call_language_mode":"fixd","output_language":"it_IT","from_number_id":1.5,"nmae":"y"}"#);
        let got: Vec<_> = r.issues.iter().map(|i| (i.code, i.suggestion.clone())).collect();
        assert!(got.contains(&("numeric_string", Some("7".into()))));
        assert!(got.contains(&("invalid_enum", Some("fixed".into()))));
        assert!(got.contains(&("invalid_language_tag", Some("it-IT".into()))));
        assert!(got.contains(&("invalid_type", None)));
        assert!(got.contains(&("unknown_field", Some("name".into()))));
        // Any string of digits is coerced by the server, however long.
        let r = run(r#"{"name":"x","purpose":"inbound","agent_ref_id":"100000000000000000000","extraction_schema":{},"display_columns":[]}"#);
        assert!(r.valid());
        assert_eq!(r.issues[0].code, "numeric_string");
    }

    #[test]
    fn an_empty_name_is_refused_a_blank_one_is_a_warning() {
        let with = |n: &str| run(&format!(r#"{{"name":"{n}","purpose":"inbound","agent_ref_id":1,"extraction_schema":{{}},"display_columns":[]}}"#));
        assert_eq!(with("").errors().next().map(|i| i.code), Some("empty_string"));
        let r = with("  ");
        assert!(r.valid());
        assert_eq!(r.issues[0].code, "empty_string");
    }

    #[test]
    fn schedule_rules() {
        let with = |s: &str| run(&format!(r#"{{"name":"x","purpose":"inbound","agent_ref_id":1,"extraction_schema":{{}},"display_columns":[],"schedule":{s}}}"#));
        let r = with(r#"{"timezone":"Europe/Rome","start_date":"2025-02-01","end_date":"2025-01-01"}"#);
        assert_eq!(r.errors().next().unwrap().code, "schedule_order");
        let r = with(r#"{"timezone":"Rome","start_date":"2025-02-30","end_date":"tomorrow"}"#);
        let codes: Vec<_> = r.errors().map(|i| i.code).collect();
        assert_eq!(codes, vec!["invalid_timezone", "invalid_datetime", "invalid_datetime"]);
        assert!(with(r#"{"timezone":null}"#).valid());
        assert!(!with(r#""Europe/Rome""#).valid());
        // A zone of the right shape is left to the host (Intl) as a probe; a wrong shape is an error, no probe.
        let r = with(r#"{"timezone":"Europe/Rmoe"}"#);
        let tz: Vec<_> = r.issues.iter().filter(|i| i.path.first() == Some(&PathSeg::from("schedule"))).collect();
        assert!(r.valid());
        assert_eq!((tz.len(), tz[0].code, tz[0].message.as_str(), tz[0].severity), (1, "timezone", "Europe/Rmoe", crate::validate::Severity::Probe));
        assert!(!with(r#"{"timezone":"Europa/Rome"}"#).issues.iter().any(|i| i.severity == crate::validate::Severity::Probe));
    }

    #[test]
    fn display_columns_see_the_schema() {
        let r = run(r#"{"name":"x","purpose":"inbound","agent_ref_id":1,"extraction_schema":{"type":"object","properties":{"quote_amount":{}}},"display_columns":["quote_amout"]}"#);
        assert_eq!(r.issues[0].path, vec![PathSeg::from("display_columns"), PathSeg::from(0usize)]);
        assert_eq!(r.issues[0].suggestion.as_deref(), Some("quote_amount"));
    }
}
