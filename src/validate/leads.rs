//! POST /leads:upsert body: `{campaign_id, items: [{external_id, phone, name?, data?}]}`.

use super::text::got;
use super::fields::{id, optional, required, root_object, unknown_fields};
use super::issue::{at, Issue, Report};
use super::phone::{is_e164, normalize_phone};
use crate::json::{PathSeg, Value};
use super::FirstSeen;

/// Most items one upsert request may carry; larger batches must be split.
pub const MAX_ITEMS: usize = 1000;
const ITEM_FIELDS: &[&str] = &["external_id", "phone", "name", "data"];

/// The issue for a phone string that is not E.164, if it is not: an error
/// `phone_not_normalized` with the E.164 form as suggestion when the number
/// is only written differently ("+39 340 123 4567"), else `invalid_phone`.
///
/// ```
/// use agoralia::validate::leads::phone_issue;
/// assert!(phone_issue("+393401234567", vec![]).is_none());
/// let i = phone_issue("+39 340 123 4567", vec![]).unwrap();
/// assert_eq!((i.code, i.suggestion.as_deref()), ("phone_not_normalized", Some("+393401234567")));
/// assert_eq!(phone_issue("abc", vec![]).unwrap().code, "invalid_phone");
/// ```
pub fn phone_issue(s: &str, path: Vec<PathSeg>) -> Option<Issue> {
    if is_e164(s) {
        return None;
    }
    Some(match normalize_phone(s, None) {
        Ok(n) => Issue::error(path, "phone_not_normalized", format!("phone \"{s}\" is not in E.164 form: write it as \"{n}\""))
            .with_suggestion(n),
        Err(e) => Issue::error(
            path,
            "invalid_phone",
            format!("phone \"{s}\" is not an E.164 number (+ then country code and number, e.g. +393401234567): {}", e.message),
        ),
    })
}

/// Validates a leads upsert body.
///
/// ```
/// use agoralia::json::parse;
/// use agoralia::validate::{leads, Report};
/// let body = parse(r#"{"campaign_id":5,"items":[
///   {"external_id":"a","phone":"+393401234567"},
///   {"external_id":"a","phone":"+393401234568"}]}"#).unwrap();
/// let mut report = Report::new();
/// leads::check(&body, &mut report);
/// assert_eq!(report.issues[0].code, "duplicate_external_id");
/// ```
pub fn check(v: &Value, report: &mut Report) {
    let Some(obj) = root_object(v, "a leads upsert body", report) else { return };
    let root: &[PathSeg] = &[];
    if let Some(c) = required(obj, "campaign_id", root, "the id of the campaign the leads belong to", report) {
        id(c, at(root, "campaign_id"), "campaign_id", report);
    }
    if let Some(items) = required(obj, "items", root, "an array of leads {external_id, phone, name?, data?}", report) {
        check_items(items, report);
    }
    unknown_fields(obj, &["campaign_id", "items"], root, report);
}

#[cfg_attr(agoralia_speed, optimize(speed))]
fn check_items(items: &Value, report: &mut Report) {
    let base = [PathSeg::from("items")];
    let Some(list) = items.as_array() else {
        report.error(base.to_vec(), "invalid_type", got("\"items\" must be an array of leads", items));
        return;
    };
    if list.is_empty() {
        report.error(base.to_vec(), "empty_items", "\"items\" is empty: send at least one lead");
        return;
    }
    if list.len() > MAX_ITEMS {
        report.error(
            base.to_vec(),
            "too_large",
            format!("{} leads in one request; the limit is {MAX_ITEMS}: split them into batches", list.len()),
        );
    }
    let mut seen = FirstSeen::new();
    for (i, item) in list.iter().enumerate() {
        // Paths are built only for an issue: building the item's path for
        // every lead (a Vec and a String per step) was a fifth of the check's time.
        let p = |key: &str| vec![PathSeg::from("items"), PathSeg::Index(i), PathSeg::from(key)];
        let Some(o) = item.as_object() else {
            report.error(at(&base, i), "invalid_type", got("each lead must be an object", item));
            continue;
        };
        match o.get("external_id") {
            None | Some(Value::Null) => report.error(p("external_id"), "required", "\"external_id\" is required: your own id for the lead, used to update it later"),
            Some(Value::String(s)) if s.trim().is_empty() => report.error(p("external_id"), "empty_string", "\"external_id\" must not be empty"),
            Some(Value::String(s)) => {
                if let Some(first) = seen.first_or_insert(&**s, i) {
                    report.error(
                        p("external_id"),
                        "duplicate_external_id",
                        format!("external_id \"{s}\" already appears in items[{first}]; each lead must appear once per batch"),
                    );
                }
            }
            Some(other) => report.error(p("external_id"), "invalid_type", got("\"external_id\" must be a string", other)),
        }
        match o.get("phone") {
            None | Some(Value::Null) => report.error(p("phone"), "required", "\"phone\" is required, in E.164 form (e.g. +393401234567)"),
            Some(Value::String(s)) if is_e164(s) => {}
            Some(Value::String(s)) => {
                if let Some(issue) = phone_issue(s, p("phone")) {
                    report.push(issue);
                }
            }
            Some(other) => report.error(p("phone"), "invalid_type", got("\"phone\" must be a string", other)),
        }
        if let Some(n) = optional(o, "name") {
            if n.as_str().is_none() {
                report.error(p("name"), "invalid_type", got("\"name\" must be a string", n));
            }
        }
        if let Some(d) = optional(o, "data") {
            if d.as_object().is_none() {
                report.error(p("data"), "invalid_type", got("\"data\" must be an object of extra fields", d));
            }
        }
        if o.keys().any(|k| !ITEM_FIELDS.contains(&k)) {
            unknown_fields(o, ITEM_FIELDS, &at(&base, i), report);
        }
    }
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

    #[test]
    fn published_example_is_clean() {
        let t = r#"{"campaign_id":5,"items":[{"external_id":"lead-123","phone":"+393401234567","name":"John Doe","data":{"company":"Acme Corp","email":"john@acme.com"}},
          {"external_id":"lead-124","phone":"+393401234568","name":"Jane Smith","data":{"company":"Tech Inc"}}]}"#;
        assert_eq!(run(t).issues, vec![]);
    }

    #[test]
    fn item_rules_with_paths() {
        let r = run(r#"{"campaign_id":5,"items":[{"external_id":"a","phone":"+39 340 123 4567"},{"phone":"x"},{"external_id":"","phone":3},5,{"external_id":"a","phone":"+12","name":1,"data":[]}]}"#);
        let got: Vec<_> = r.issues.iter().map(|i| (i.code, crate::json::path_to_dotted(&i.path))).collect();
        assert_eq!(
            got,
            vec![
                ("phone_not_normalized", "items.0.phone".to_string()),
                ("required", "items.1.external_id".to_string()),
                ("invalid_phone", "items.1.phone".to_string()),
                ("empty_string", "items.2.external_id".to_string()),
                ("invalid_type", "items.2.phone".to_string()),
                ("invalid_type", "items.3".to_string()),
                ("duplicate_external_id", "items.4.external_id".to_string()),
                ("invalid_type", "items.4.name".to_string()),
                ("invalid_type", "items.4.data".to_string()),
            ]
        );
        assert_eq!(r.issues[0].suggestion.as_deref(), Some("+393401234567"));
    }

    #[test]
    fn batch_rules() {
        assert_eq!(run(r#"{"campaign_id":5,"items":[]}"#).issues[0].code, "empty_items");
        let codes: Vec<_> = run("{}").issues.iter().map(|i| i.code).collect();
        assert_eq!(codes, vec!["required", "required"]);
        let mut items = Vec::new();
        for i in 0..1001 {
            items.push(format!(r#"{{"external_id":"l{i}","phone":"+3934012{i:05}"}}"#));
        }
        let r = run(&format!(r#"{{"campaign_id":5,"items":[{}]}}"#, items.join(",")));
        assert_eq!(r.issues.len(), 1);
        assert_eq!(r.issues[0].code, "too_large");
    }
}
