//! Query parameters of list endpoints: `limit`, `cursor` (and `campaign_id` for calls).

use super::text::got;
use super::fields::{id, optional, root_object, unknown_fields};
use super::issue::{at, Report};
use crate::json::{PathSeg, Value};

/// Largest `limit` the API accepts.
pub const MAX_LIMIT: i64 = 100;

/// Validates list parameters; `with_campaign_id` adds GET /calls' filter.
///
/// ```
/// use agoralia::json::parse;
/// use agoralia::validate::{pagination, Report};
/// let mut report = Report::new();
/// pagination::check(&parse(r#"{"limit":0}"#).unwrap(), false, &mut report);
/// assert_eq!(report.issues[0].code, "out_of_range");
/// ```
pub fn check(v: &Value, with_campaign_id: bool, report: &mut Report) {
    let Some(obj) = root_object(v, "list parameters", report) else { return };
    let root: &[PathSeg] = &[];
    if let Some(l) = optional(obj, "limit") {
        let p = at(root, "limit");
        // Query values are text on the wire, so "20" is as good as 20.
        let n = match l {
            Value::Number(n) if n.is_integer() => Some(n.as_i64().unwrap_or(if n.as_text().starts_with('-') { i64::MIN } else { i64::MAX })),
            Value::String(s) if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) => crate::decimal::parse_u64(s).map(|n| n as i64),
            _ => {
                report.error(p.clone(), "invalid_type", format!("\"limit\" must be an integer from 1 to {MAX_LIMIT}, got {}", l.type_name()));
                None
            }
        };
        if let Some(n) = n {
            if !(1..=MAX_LIMIT).contains(&n) {
                report.error(p, "out_of_range", format!("\"limit\" must be from 1 to {MAX_LIMIT}, got {n}"));
            }
        }
    }
    if let Some(c) = optional(obj, "cursor") {
        match c {
            Value::Number(n) if n.is_integer() => {}
            Value::String(s) if !s.is_empty() => {}
            Value::String(_) => report.warning(at(root, "cursor"), "empty_string", "\"cursor\" is empty; omit it to start from the first page"),
            other => report.error(at(root, "cursor"), "invalid_type", got("\"cursor\" must be the next_cursor value of a previous page", other)),
        }
    }
    let mut known = vec!["limit", "cursor"];
    if with_campaign_id {
        known.push("campaign_id");
        if let Some(c) = optional(obj, "campaign_id") {
            id(c, at(root, "campaign_id"), "campaign_id", report);
        }
    }
    unknown_fields(obj, &known, root, report);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn codes(t: &str, calls: bool) -> Vec<&'static str> {
        let mut r = Report::new();
        check(&parse(t).unwrap(), calls, &mut r);
        r.issues.iter().map(|i| i.code).collect()
    }

    #[test]
    fn limits() {
        for ok in [r#"{}"#, r#"{"limit":1}"#, r#"{"limit":100}"#, r#"{"limit":"50"}"#, r#"{"limit":20.0}"#, r#"{"limit":null,"cursor":15}"#, r#"{"cursor":"abc"}"#] {
            assert!(codes(ok, false).is_empty(), "{ok}");
        }
        assert_eq!(codes(r#"{"limit":0}"#, false), vec!["out_of_range"]);
        assert_eq!(codes(r#"{"limit":101}"#, false), vec!["out_of_range"]);
        assert_eq!(codes(r#"{"limit":-5}"#, false), vec!["out_of_range"]);
        assert_eq!(codes(r#"{"limit":1e40}"#, false), vec!["out_of_range"]);
        assert_eq!(codes(r#"{"limit":2.5}"#, false), vec!["invalid_type"]);
        assert_eq!(codes(r#"{"limit":"ten"}"#, false), vec!["invalid_type"]);
        assert_eq!(codes(r#"{"cursor":{}}"#, false), vec!["invalid_type"]);
        assert_eq!(codes(r#"{"cursor":""}"#, false), vec!["empty_string"]);
        assert_eq!(codes("[]", false), vec!["invalid_type"]);
    }

    #[test]
    fn calls_params() {
        assert!(codes(r#"{"campaign_id":5,"limit":50}"#, true).is_empty());
        assert_eq!(codes(r#"{"campaign_id":5}"#, false), vec!["unknown_field"]);
        assert_eq!(codes(r#"{"campaign_id":"x"}"#, true), vec!["invalid_type"]);
    }
}
