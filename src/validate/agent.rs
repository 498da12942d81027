//! POST /agents body.

use super::fields::{language_tag, one_of, optional, required, root_object, string, unknown_fields};
use super::issue::{at, Report};
use crate::json::{PathSeg, Value};

/// Allowed `voice_engine` values.
pub const VOICE_ENGINES: &[&str] = &["vapi", "retell"];
/// The fields of an agent body (sandbox/openapi.yaml `AgentCreate`); any other is `unknown_field`.
pub const FIELDS: &[&str] = &["name", "lang", "voice_engine", "voice_id", "model", "general_tools", "post_call_analysis_data"];

/// Validates an agent creation body.
///
/// ```
/// use agoralia::json::parse;
/// use agoralia::validate::{agent, Report};
/// let mut report = Report::new();
/// agent::check(&parse(r#"{"name":"Support","voice_engine":"vappi"}"#).unwrap(), &mut report);
/// assert_eq!(report.issues[0].suggestion.as_deref(), Some("vapi"));
/// ```
pub fn check(v: &Value, report: &mut Report) {
    let Some(obj) = root_object(v, "an agent", report) else { return };
    let root: &[PathSeg] = &[];
    if let Some(name) = required(obj, "name", root, "the agent's name", report) {
        // "" is refused (minLength 1); a blank name is legal, probably a mistake.
        string(name, at(root, "name"), "name", name.as_str() == Some(""), report);
    }
    if let Some(l) = optional(obj, "lang") {
        if let Some(s) = string(l, at(root, "lang"), "lang", false, report) {
            if !s.is_empty() {
                language_tag(s, at(root, "lang"), "lang", "", report);
            }
        }
    }
    if let Some(e) = optional(obj, "voice_engine") {
        one_of(e, at(root, "voice_engine"), "voice_engine", VOICE_ENGINES, report);
    }
    for key in ["voice_id", "model"] {
        if let Some(s) = optional(obj, key) {
            string(s, at(root, key), key, false, report);
        }
    }
    for key in ["general_tools", "post_call_analysis_data"] {
        let Some(a) = optional(obj, key) else { continue };
        match a.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.as_object().is_none() {
                        report.error(at(&at(root, key), i), "invalid_type", format!("each entry of \"{key}\" must be an object, got {}", item.type_name()));
                    }
                }
            }
            None => report.error(at(root, key), "invalid_type", format!("\"{key}\" must be an array, got {}", a.type_name())),
        }
    }
    unknown_fields(obj, FIELDS, root, report);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn codes(t: &str) -> Vec<&'static str> {
        let mut r = Report::new();
        check(&parse(t).unwrap(), &mut r);
        r.issues.iter().map(|i| i.code).collect()
    }

    #[test]
    fn published_example_is_clean() {
        assert!(codes(r#"{"name":"Customer Support Agent","lang":"en-US","voice_engine":"vapi","voice_id":"voice-id-here","model":"gpt-4o-mini","general_tools":[],"post_call_analysis_data":[]}"#).is_empty());
        assert!(codes(r#"{"name":"a","lang":null,"voice_engine":null}"#).is_empty());
    }

    #[test]
    fn rules() {
        assert_eq!(codes("{}"), vec!["required"]);
        assert_eq!(codes(r#"{"name":5}"#), vec!["invalid_type"]);
        assert_eq!(codes(r#"{"name":""}"#), vec!["empty_string"]);
        assert_eq!(codes(r#"{"name":"a","lang":"en_US"}"#), vec!["invalid_language_tag"]);
        assert_eq!(codes(r#"{"name":"a","lang":"english"}"#), vec!["unusual_language_tag"]);
        assert_eq!(codes(r#"{"name":"a","voice_engine":"eleven"}"#), vec!["invalid_enum"]);
        assert_eq!(codes(r#"{"name":"a","general_tools":{}}"#), vec!["invalid_type"]);
        assert_eq!(codes(r#"{"name":"a","general_tools":[1]}"#), vec!["invalid_type"]);
        assert_eq!(codes(r#"{"name":"a","temperature":1}"#), vec!["unknown_field"]);
        assert_eq!(codes("\"agent\""), vec!["invalid_type"]);
    }

    #[test]
    fn an_empty_name_is_refused_a_blank_one_is_a_warning() {
        let run = |t: &str| {
            let mut r = Report::new();
            check(&parse(t).unwrap(), &mut r);
            r
        };
        assert!(!run(r#"{"name":""}"#).valid());
        let r = run(r#"{"name":" \t"}"#);
        assert!(r.valid());
        assert_eq!(r.issues[0].code, "empty_string");
    }
}
