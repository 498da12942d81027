//! Shared checks for request-body fields (strings, ids, enums, unknown keys).

use super::issue::{at, Issue, Report};
use super::suggest::suggest;
use super::text;
use crate::json::{Object, PathSeg, Value};

/// The root must be an object; reports and returns `None` otherwise.
pub(crate) fn root_object<'a>(v: &'a Value<'a>, what: &str, report: &mut Report) -> Option<&'a Object<'a>> {
    match v.as_object() {
        Some(o) => Some(o),
        None => {
            report.error(Vec::new(), "invalid_type", format!("{what} must be a JSON object, got {}", v.type_name()));
            None
        }
    }
}

/// A required field: reports `required` when absent or null.
pub(crate) fn required<'a>(obj: &'a Object<'a>, key: &str, path: &[PathSeg], what: &str, report: &mut Report) -> Option<&'a Value<'a>> {
    match obj.get(key) {
        None | Some(Value::Null) => {
            report.error(at(path, key), "required", format!("\"{key}\" is required: {what}"));
            None
        }
        Some(v) => Some(v),
    }
}

/// An optional field: `null` counts as absent (FastAPI's optional fields accept it).
pub(crate) fn optional<'a>(obj: &'a Object<'a>, key: &str) -> Option<&'a Value<'a>> {
    obj.get(key).filter(|v| !v.is_null())
}

/// A string field; `non_empty` makes an empty or blank string an error
/// (used where the contract says "non-empty").
pub(crate) fn string<'a>(v: &'a Value<'a>, path: Vec<PathSeg>, key: &str, non_empty: bool, report: &mut Report) -> Option<&'a str> {
    match v {
        Value::String(s) => {
            if s.trim().is_empty() {
                if non_empty {
                    report.error(path, "empty_string", format!("\"{key}\" must not be empty"));
                } else {
                    report.warning(path, "empty_string", format!("\"{key}\" is empty"));
                }
            }
            Some(s)
        }
        other => {
            report.error(path, "invalid_type", format!("\"{key}\" must be a string, got {}", other.type_name()));
            None
        }
    }
}

/// An id field (agent_ref_id, campaign_id...): an integer. A string of
/// digits is a warning, not an error: FastAPI coerces "5" to 5, so such a
/// request is accepted, but the API documents numbers.
pub(crate) fn id(v: &Value, path: Vec<PathSeg>, key: &str, report: &mut Report) {
    match v {
        Value::Number(n) if n.is_integer() => {
            if n.as_text().starts_with('-') || n.as_i64() == Some(0) {
                report.warning(path, "out_of_range", format!("\"{key}\" is an id; ids are positive integers"));
            }
        }
        Value::Number(_) => report.error(path, "invalid_type", format!("\"{key}\" must be an integer id, got a fractional number")),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => report.push(
            Issue::warning(path, "numeric_string", format!("\"{key}\" should be a number, not a string"))
                .with_suggestion(s.trim_start_matches('0').to_string()),
        ),
        other => report.error(path, "invalid_type", format!("\"{key}\" must be an integer id, got {}", other.type_name())),
    }
}

/// One of a fixed set of strings; `invalid_enum` with the nearest value.
pub(crate) fn one_of(v: &Value, path: Vec<PathSeg>, key: &str, allowed: &[&str], report: &mut Report) {
    match v.as_str() {
        Some(s) if allowed.contains(&s) => {}
        Some(s) => {
            let suggestion = suggest(s, allowed.iter().copied());
            let list = text::list(allowed, true);
            let message = match suggestion {
                Some(sug) => format!("\"{key}\" is \"{s}\": did you mean \"{sug}\"? Allowed: {list}"),
                None => format!("\"{key}\" is \"{s}\"; allowed: {list}"),
            };
            report.push(Issue::error(path, "invalid_enum", message).with_suggestion_opt(suggestion));
        }
        None => report.error(path, "invalid_type", format!("\"{key}\" must be a string, got {}", v.type_name())),
    }
}

/// Keys the API does not define: a warning (the server ignores them), with
/// the nearest known field as a suggestion.
pub(crate) fn unknown_fields(obj: &Object, known: &[&str], path: &[PathSeg], report: &mut Report) {
    for k in obj.keys() {
        if known.contains(&k) {
            continue;
        }
        let suggestion = suggest(k, known.iter().copied());
        let message = match suggestion {
            Some(s) => format!("unknown field \"{k}\": did you mean \"{s}\"? The API ignores it as written"),
            None => format!("unknown field \"{k}\" is not part of the API and is ignored"),
        };
        report.push(Issue::warning(at(path, k), "unknown_field", message).with_suggestion_opt(suggestion));
    }
}

/// A BCP-47 language tag field.
pub(crate) fn language_tag(s: &str, path: Vec<PathSeg>, key: &str, extra_hint: &str, report: &mut Report) {
    if super::language::is_well_formed(s) {
        // Well-formed, but a 4-8 letter primary language subtag exists in no
        // registry entry: almost surely a language *name* ("english").
        let primary = s.split('-').next().unwrap_or("");
        if primary.len() >= 4 {
            report.warning(
                path,
                "unusual_language_tag",
                format!("\"{key}\" \"{s}\" is well-formed but no language has a {}-letter code; expected a tag like \"en-US\"", primary.len()),
            );
        }
        return;
    }
    let suggestion = super::language::suggest_tag(s);
    let message = match &suggestion {
        Some(t) => format!("\"{key}\" \"{s}\" is not a BCP-47 language tag: did you mean \"{t}\"?"),
        None => format!("\"{key}\" \"{s}\" is not a BCP-47 language tag; expected a tag like \"en-US\" or \"it-IT\"{extra_hint}"),
    };
    report.push(Issue::error(path, "invalid_language_tag", message).with_suggestion_opt(suggestion));
}
