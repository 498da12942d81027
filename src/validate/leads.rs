//! POST /leads:upsert body: `{campaign_id, items: [{external_id, phone, name?, data?}]}`.

use super::text::{got, trim};
use super::fields::{id, required, root_object, string, unknown_fields};
use super::issue::{at, Issue, Report};
use super::phone::{is_e164, normalize_phone};
use crate::json::{Object, PathSeg, Value};
use super::FirstSeen;

/// Most items one upsert request may carry; larger batches must be split.
pub const MAX_ITEMS: usize = 1000;
/// The fields of a lead (sandbox/openapi.yaml `LeadItem`); any other is `unknown_field`.
pub const ITEM_FIELDS: &[&str] = &["external_id", "phone", "name", "data"];
/// What `items` is, for its `required` message.
pub(crate) const ITEMS_WHAT: &str = "an array of leads {external_id, phone, name?, data?}";

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
    check_campaign_id(obj, report);
    if let Some(items) = required(obj, "items", &[], ITEMS_WHAT, report) {
        check_items(items, report);
    }
    unknown_fields(obj, &["campaign_id", "items"], &[], report);
}

/// The body's `campaign_id` (absent or null is `required`).
pub(crate) fn check_campaign_id(obj: &Object<'_>, report: &mut Report) {
    if let Some(c) = required(obj, "campaign_id", &[], "the id of the campaign the leads belong to", report) {
        id(c, at(&[], "campaign_id"), "campaign_id", report);
    }
}

/// The issue for an `items` value that is not an array, or an empty one.
pub(crate) fn items_shape_issue(items: &Value) -> Option<Issue> {
    let base = vec![PathSeg::from("items")];
    match items.as_array() {
        None => Some(Issue::error(base, "invalid_type", got("\"items\" must be an array of leads", items))),
        Some(list) if list.is_empty() => Some(Issue::error(base, "empty_items", "\"items\" is empty: send at least one lead")),
        Some(_) => None,
    }
}

/// The issue for more than [`MAX_ITEMS`] leads in one body.
pub(crate) fn too_large_issue(count: usize) -> Option<Issue> {
    (count > MAX_ITEMS).then(|| {
        Issue::error(
            vec![PathSeg::from("items")],
            "too_large",
            format!("{count} leads in one request; the limit is {MAX_ITEMS}: split them into batches"),
        )
    })
}

fn check_items<'a>(items: &Value<'a>, report: &mut Report) {
    if let Some(issue) = items_shape_issue(items) {
        report.push(issue);
        return;
    }
    let list = items.as_array().map(Vec::as_slice).unwrap_or_default();
    if let Some(issue) = too_large_issue(list.len()) {
        report.push(issue);
    }
    let base = [PathSeg::from("items")];
    let mut seen = FirstSeen::new();
    for (i, item) in list.iter().enumerate() {
        let Some(o) = item.as_object() else {
            report.error(at(&base, i), "invalid_type", got("each lead must be an object", item));
            continue;
        };
        let fields = ItemFields { external_id: o.get("external_id"), phone: o.get("phone"), name: o.get("name"), data: o.get("data") };
        check_item(i, &fields, &mut seen, report);
        if o.keys().any(|k| !ITEM_FIELDS.contains(&k)) {
            unknown_fields(o, ITEM_FIELDS, &at(&base, i), report);
        }
    }
}

/// The four fields of one lead, wherever they were read from (a parsed
/// object, or the streaming check of leads text).
pub(crate) struct ItemFields<'v, 'a> {
    pub external_id: Option<&'v Value<'a>>,
    pub phone: Option<&'v Value<'a>>,
    pub name: Option<&'v Value<'a>>,
    pub data: Option<&'v Value<'a>>,
}

/// Checks lead `i` (its known fields; unknown keys are the caller's).
pub(crate) fn check_item<'a>(i: usize, item: &ItemFields<'_, 'a>, seen: &mut FirstSeen<'a>, report: &mut Report) {
    // Paths are built only for an issue: building the item's path for
    // every lead (a Vec and a String per step) was a fifth of the check's time.
    let p = |key: &str| vec![PathSeg::from("items"), PathSeg::Index(i), PathSeg::from(key)];
    match item.external_id {
        None | Some(Value::Null) => report.error(p("external_id"), "required", "\"external_id\" is required: your own id for the lead, used to update it later"),
        // "" is refused (minLength 1); a blank id is legal, surely not the one meant.
        Some(v @ Value::String(s)) if trim(s).is_empty() => {
            string(v, p("external_id"), "external_id", s.is_empty(), report);
        }
        Some(Value::String(s)) => {
            if let Some(first) = seen.first_or_insert(s.clone(), i) {
                report.error(
                    p("external_id"),
                    "duplicate_external_id",
                    format!("external_id \"{s}\" already appears in items[{first}]; each lead must appear once per batch"),
                );
            }
        }
        Some(other) => report.error(p("external_id"), "invalid_type", got("\"external_id\" must be a string", other)),
    }
    match item.phone {
        None | Some(Value::Null) => report.error(p("phone"), "required", "\"phone\" is required, in E.164 form (e.g. +393401234567)"),
        Some(Value::String(s)) if is_e164(s) => {}
        Some(Value::String(s)) => {
            if let Some(issue) = phone_issue(s, p("phone")) {
                report.push(issue);
            }
        }
        Some(other) => report.error(p("phone"), "invalid_type", got("\"phone\" must be a string", other)),
    }
    if let Some(n) = item.name.filter(|v| !v.is_null()) {
        if n.as_str().is_none() {
            report.error(p("name"), "invalid_type", got("\"name\" must be a string", n));
        }
    }
    if let Some(d) = item.data.filter(|v| !v.is_null()) {
        if d.as_object().is_none() {
            report.error(p("data"), "invalid_type", got("\"data\" must be an object of extra fields", d));
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
    fn a_blank_external_id_is_a_warning() {
        let r = run(r#"{"campaign_id":5,"items":[{"external_id":" ","phone":"+393401234567"},{"external_id":"\t","phone":"+393401234568"}]}"#);
        assert!(r.valid());
        let got: Vec<_> = r.issues.iter().map(|i| (i.code, crate::json::path_to_dotted(&i.path))).collect();
        assert_eq!(got, vec![("empty_string", "items.0.external_id".to_string()), ("empty_string", "items.1.external_id".to_string())]);
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
