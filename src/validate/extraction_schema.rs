//! The campaign `extraction_schema`: a JSON Schema (draft-07 dialect) plus
//! the published `"required": true` form inside a property.
//!
//! Purpose-built rather than a general JSON-Schema crate: those are several
//! times the whole SDK in wasm (regex and Unicode tables); we only need to check the
//! schema's own shape, with messages a person can act on.

use super::text::got;
use super::issue::{at, Issue, Path, Report};
use super::suggest::suggest;
use super::text::list;
use crate::json::{Object, PathSeg, Value};

/// Deepest schema nesting checked. Deeper levels are reported once with a
/// `too_deep` warning and not descended into, so hostile input cannot
/// exhaust the stack (each level is one recursive call).
pub const MAX_SCHEMA_DEPTH: usize = 32;

/// JSON Schema's type names.
pub const TYPE_NAMES: &[&str] = &["object", "string", "number", "integer", "boolean", "array", "null"];

/// Keywords we know (draft-07, plus later drafts' and OpenAPI's common ones
/// so that they are not flagged as typos).
pub const KEYWORDS: &[&str] = &[
    "type", "properties", "required", "enum", "items", "description", "title", "default", "examples",
    "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "pattern", "minItems", "maxItems", "uniqueItems", "additionalProperties", "additionalItems", "const",
    "oneOf", "anyOf", "allOf", "not", "if", "then", "else", "$schema", "$id", "$ref", "$comment",
    "definitions", "$defs", "multipleOf", "minProperties", "maxProperties", "patternProperties",
    "dependencies", "propertyNames", "contains", "readOnly", "writeOnly", "contentMediaType",
    "contentEncoding", "dependentRequired", "dependentSchemas", "unevaluatedProperties",
    "unevaluatedItems", "prefixItems", "$anchor", "$vocabulary", "deprecated", "nullable", "example",
];

// What `check_node` does with each of `KEYWORDS` (same order): one table
// lookup instead of a chain of string comparisons.
const IGNORE: u8 = 0;
const STRING: u8 = 1;
const PROPERTIES: u8 = 2;
const REQUIRED: u8 = 3;
const ENUM: u8 = 4;
const ITEMS: u8 = 5;
const SUBSCHEMA: u8 = 6;
const SCHEMA_MAP: u8 = 7;
const SCHEMA_ARRAY: u8 = 8;
const DEPENDENCIES: u8 = 9;
const DEPENDENT_REQUIRED: u8 = 10;
const COUNT: u8 = 11;
const BOUND: u8 = 12;
const MULTIPLE_OF: u8 = 13;
const PATTERN: u8 = 14;
const BOOLEAN: u8 = 15;
const EXAMPLES: u8 = 16;
const DEFAULT: u8 = 17;
const KEYWORD_KINDS: [u8; KEYWORDS.len()] = [
    IGNORE, PROPERTIES, REQUIRED, ENUM, ITEMS, STRING, STRING, DEFAULT, EXAMPLES,
    STRING, BOUND, BOUND, BOUND, BOUND, COUNT, COUNT,
    PATTERN, COUNT, COUNT, BOOLEAN, SUBSCHEMA, SUBSCHEMA, IGNORE,
    SCHEMA_ARRAY, SCHEMA_ARRAY, SCHEMA_ARRAY, SUBSCHEMA, SUBSCHEMA, SUBSCHEMA, SUBSCHEMA, STRING, STRING, STRING, STRING,
    SCHEMA_MAP, SCHEMA_MAP, MULTIPLE_OF, COUNT, COUNT, SCHEMA_MAP,
    DEPENDENCIES, SUBSCHEMA, SUBSCHEMA, BOOLEAN, BOOLEAN, STRING,
    STRING, DEPENDENT_REQUIRED, SCHEMA_MAP, SUBSCHEMA,
    SUBSCHEMA, SCHEMA_ARRAY, STRING, IGNORE, BOOLEAN, BOOLEAN, IGNORE,
];

/// Common names for JSON Schema types from other languages, for suggestions.
const TYPE_ALIASES: &[(&str, &str)] = &[
    ("int", "integer"), ("long", "integer"), ("float", "number"), ("double", "number"),
    ("decimal", "number"), ("str", "string"), ("text", "string"), ("bool", "boolean"),
    ("list", "array"), ("dict", "object"), ("map", "object"), ("none", "null"), ("nil", "null"),
    ("date", "string"), ("datetime", "string"),
];

/// Validates an extraction schema, with paths relative to `base`
/// (e.g. `["extraction_schema"]` inside a campaign).
///
/// ```
/// use agoralia::json::parse;
/// use agoralia::validate::extraction_schema::check;
/// use agoralia::validate::Report;
/// let schema = parse(r#"{"type":"object","properties":{"amount":{"type":"nubmer"}}}"#).unwrap();
/// let mut report = Report::new();
/// check(&schema, &[], &mut report);
/// assert_eq!(report.issues[0].code, "unknown_type");
/// assert_eq!(report.issues[0].suggestion.as_deref(), Some("number"));
/// ```
pub fn check(schema: &Value, base: &[PathSeg], report: &mut Report) {
    let Some(obj) = schema.as_object() else {
        report.error(
            base.to_vec(),
            "invalid_type",
            got("the extraction schema must be a JSON object", schema),
        );
        return;
    };
    if obj.is_empty() {
        report.warning(
            base.to_vec(),
            "empty_schema",
            "the extraction schema is empty: the calls will extract nothing (add \"type\": \"object\" and \"properties\")",
        );
        return;
    }
    if let Some(types) = declared_types(obj) {
        if !types.is_empty() && !types.contains(&"object") {
            report.warning(
                at(base, "type"),
                "root_not_object",
                "the root of an extraction schema is normally \"type\": \"object\" with \"properties\" naming what to extract",
            );
        }
    }
    if !obj.contains_key("properties") && !obj.keys().any(|k| matches!(k, "$ref" | "allOf" | "anyOf" | "oneOf" | "patternProperties" | "additionalProperties")) {
        report.warning(
            base.to_vec(),
            "no_properties",
            "the extraction schema has no \"properties\": name the fields to extract there",
        );
    }
    check_node(obj, &Path::Base(base), 1, false, report);
}

/// The `type` names declared by a schema object, known names only;
/// `None` when there is no usable `type`.
fn declared_types<'a>(obj: &'a Object<'a>) -> Option<Vec<&'a str>> {
    match obj.get("type")? {
        Value::String(s) => Some(TYPE_NAMES.iter().copied().filter(|t| t == s).collect()),
        Value::Array(a) => Some(
            a.iter()
                .filter_map(Value::as_str)
                .filter_map(|s| TYPE_NAMES.iter().copied().find(|t| *t == s))
                .collect(),
        ),
        _ => None,
    }
}

/// Whether `v` is an instance of JSON Schema type `t`.
fn fits(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => matches!(v, Value::Bool(_)),
        "string" => matches!(v, Value::String(_)),
        "number" => matches!(v, Value::Number(_)),
        "integer" => v.as_number().is_some_and(|n| n.is_integer()),
        "array" => matches!(v, Value::Array(_)),
        "object" => matches!(v, Value::Object(_)),
        _ => true,
    }
}

fn describe_types(types: &[&str]) -> String {
    match types {
        [one] => format!("\"{one}\""),
        many => format!("one of {}", list(many, true)),
    }
}

/// Checks a schema in a position where JSON Schema allows `true`/`false`
/// as well as an object (items, additionalProperties, not, ...).
fn check_subschema(v: &Value, path: &Path, depth: usize, report: &mut Report) {
    match v {
        Value::Object(o) => check_node(o, path, depth + 1, false, report),
        Value::Bool(_) => {}
        other => report.error(
            path.to_vec(),
            "invalid_type",
            got("a schema must be an object (or true/false)", other),
        ),
    }
}

fn check_schema_array(v: &Value, path: &Path, depth: usize, report: &mut Report, keyword: &str) {
    match v {
        Value::Array(items) if items.is_empty() => {
            report.error(path.to_vec(), "invalid_value", format!("\"{keyword}\" must list at least one schema"))
        }
        Value::Array(items) => {
            for (i, s) in items.iter().enumerate() {
                check_subschema(s, &path.index(i), depth, report);
            }
        }
        other => report.error(
            path.to_vec(),
            "invalid_type",
            format!("\"{keyword}\" must be an array of schemas, got {}", other.type_name()),
        ),
    }
}

fn check_schema_map(v: &Value, path: &Path, depth: usize, report: &mut Report, keyword: &str) {
    match v.as_object() {
        Some(o) => {
            for (k, s) in o.iter() {
                check_subschema(s, &path.key(k), depth, report);
            }
        }
        None => report.error(
            path.to_vec(),
            "invalid_type",
            format!("\"{keyword}\" must be an object mapping names to schemas, got {}", v.type_name()),
        ),
    }
}

fn check_non_negative_integer(v: &Value, path: &Path, keyword: &str, report: &mut Report) {
    match v.as_number() {
        Some(n) if n.is_integer() && !n.as_text().starts_with('-') => {}
        Some(n) if n.is_integer() && n.as_i64() == Some(0) => {}
        _ => report.error(
            path.to_vec(),
            if v.as_number().is_some() { "invalid_value" } else { "invalid_type" },
            format!("\"{keyword}\" must be a non-negative integer"),
        ),
    }
}

fn check_string_keyword(v: &Value, path: &Path, keyword: &str, report: &mut Report) {
    if v.as_str().is_none() {
        report.error(path.to_vec(), "invalid_type", format!("\"{keyword}\" must be a string, got {}", v.type_name()));
    }
}

/// Checks one schema object. `is_property` marks a schema directly under
/// `properties`, where the published `"required": true` form lives.
fn check_node(obj: &Object, path: &Path, depth: usize, is_property: bool, report: &mut Report) {
    if depth > MAX_SCHEMA_DEPTH {
        report.warning(
            path.to_vec(),
            "too_deep",
            format!("the schema nests deeper than {MAX_SCHEMA_DEPTH} levels; deeper levels are not checked"),
        );
        return;
    }
    let _ = is_property;
    let types = check_type(obj, path, report);
    // Whether a min/max keyword is present, so that `check_ranges` (eight
    // lookups) runs only then.
    let mut has_bounds = false;
    for (key, v) in obj.iter() {
        let p = path.key(key);
        let kind = match KEYWORDS.iter().position(|k| *k == key) {
            Some(i) => KEYWORD_KINDS[i],
            None => {
                if !key.starts_with("x-") {
                    unknown_keyword(key, v, p.to_vec(), report);
                }
                continue;
            }
        };
        match kind {
            STRING => check_string_keyword(v, &p, key, report),
            PROPERTIES => match v.as_object() {
                Some(props) => {
                    for (name, sub) in props.iter() {
                        let sp = p.key(name);
                        match sub.as_object() {
                            Some(o) => check_node(o, &sp, depth + 1, true, report),
                            None => report.error(
                                sp.to_vec(),
                                "invalid_type",
                                format!(
                                    "the schema of property \"{name}\" must be an object such as {{\"type\": \"string\"}}, got {}",
                                    sub.type_name()
                                ),
                            ),
                        }
                    }
                }
                None => report.error(
                    p.to_vec(),
                    "invalid_type",
                    got("\"properties\" must be an object mapping names to schemas", v),
                ),
            },
            REQUIRED => check_required(obj, v, &p, report),
            ENUM => check_enum(v, &p, types.as_deref(), report),
            ITEMS => match v {
                Value::Array(_) => check_schema_array(v, &p, depth, report, "items"),
                _ => check_subschema(v, &p, depth, report),
            },
            SUBSCHEMA => check_subschema(v, &p, depth, report),
            SCHEMA_MAP => {
                check_schema_map(v, &p, depth, report, key)
            }
            SCHEMA_ARRAY => check_schema_array(v, &p, depth, report, key),
            DEPENDENCIES => match v.as_object() {
                Some(o) => {
                    for (k, d) in o.iter() {
                        let dp = p.key(k);
                        match d {
                            Value::Array(names) => check_string_array(names, &dp, "dependencies", report),
                            _ => check_subschema(d, &dp, depth, report),
                        }
                    }
                }
                None => report.error(p.to_vec(), "invalid_type", "\"dependencies\" must be an object"),
            },
            DEPENDENT_REQUIRED => match v.as_object() {
                Some(o) => {
                    for (k, d) in o.iter() {
                        match d.as_array() {
                            Some(names) => check_string_array(names, &p.key(k), "dependentRequired", report),
                            None => report.error(p.key(k).to_vec(), "invalid_type", "\"dependentRequired\" values must be arrays of property names"),
                        }
                    }
                }
                None => report.error(p.to_vec(), "invalid_type", "\"dependentRequired\" must be an object"),
            },
            COUNT => {
                has_bounds = true;
                check_non_negative_integer(v, &p, key, report)
            }
            BOUND => {
                has_bounds = true;
                if v.as_number().is_none() {
                    let hint = if matches!(v, Value::Bool(_)) && key.starts_with("exclusive") {
                        " (a boolean here is draft-04 style; in draft-07 write the bound itself, e.g. \"exclusiveMinimum\": 0)"
                    } else {
                        ""
                    };
                    report.error(p.to_vec(), "invalid_type", format!("\"{key}\" must be a number, got {}{hint}", v.type_name()));
                }
            }
            MULTIPLE_OF => match v.as_number() {
                Some(n) if n.signum() > 0 => {}
                Some(_) => report.error(p.to_vec(), "invalid_value", "\"multipleOf\" must be greater than 0"),
                None => report.error(p.to_vec(), "invalid_type", got("\"multipleOf\" must be a number", v)),
            },
            PATTERN => match v.as_str() {
                Some(re) => {
                    match pattern_problem(re) {
                        Some(msg) => report.error(p.to_vec(), "invalid_pattern", format!("\"pattern\" is not a valid regular expression: {msg}")),
                        // Balanced: whether it compiles is for a host with a regex engine (RegExp).
                        None => report.probe(p.to_vec(), "pattern", re),
                    }
                }
                None => check_string_keyword(v, &p, key, report),
            },
            BOOLEAN => {
                if !matches!(v, Value::Bool(_)) {
                    report.error(p.to_vec(), "invalid_type", format!("\"{key}\" must be true or false, got {}", v.type_name()));
                }
            }
            EXAMPLES => {
                if v.as_array().is_none() {
                    report.error(p.to_vec(), "invalid_type", got("\"examples\" must be an array", v));
                }
            }
            DEFAULT => {
                if let Some(t) = types.as_deref() {
                    if !t.is_empty() && !t.iter().any(|t| fits(v, t)) {
                        report.warning(
                            p.to_vec(),
                            "default_type_mismatch",
                            format!("the default value is {} but the declared type is {}", v.type_name(), describe_types(t)),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    if has_bounds {
        check_ranges(obj, path, report);
    }
}

fn unknown_keyword(key: &str, v: &Value, p: Vec<PathSeg>, report: &mut Report) {
    let suggestion = suggest(key, KEYWORDS.iter().copied());
    let message = match (suggestion, v) {
        (Some(s), _) => format!("unknown keyword \"{key}\": did you mean \"{s}\"? It is ignored as written"),
        (None, Value::Object(o)) if o.contains_key("type") => format!(
            "unknown keyword \"{key}\" is ignored; if it is a field to extract, put it inside \"properties\""
        ),
        _ => format!("unknown keyword \"{key}\" is ignored"),
    };
    report.push(Issue::warning(p, "unknown_keyword", message).with_suggestion_opt(suggestion));
}

/// Checks `type` and returns the known declared type names (`None` when
/// `type` is absent or unusable, so enum values are not type-checked).
fn check_type<'a>(obj: &'a Object<'a>, path: &Path, report: &mut Report) -> Option<Vec<&'a str>> {
    let v = obj.get("type")?;
    let p = path.key("type");
    let mut known = Vec::new();
    let mut check_name = |name: &'a str, p: &Path, report: &mut Report| {
        if TYPE_NAMES.contains(&name) {
            known.push(name);
            return;
        }
        let lower = name.trim().to_ascii_lowercase();
        let suggestion = TYPE_ALIASES
            .iter()
            .find(|(a, _)| *a == lower)
            .map(|(_, t)| *t)
            .or_else(|| TYPE_NAMES.iter().copied().find(|t| *t == lower))
            .or_else(|| suggest(name, TYPE_NAMES.iter().copied()));
        let message = match suggestion {
            Some(s) => format!("unknown type \"{name}\": did you mean \"{s}\"? Types are {}", list(TYPE_NAMES, false)),
            None => format!("unknown type \"{name}\": types are {}", list(TYPE_NAMES, false)),
        };
        report.push(Issue::error(p.to_vec(), "unknown_type", message).with_suggestion_opt(suggestion));
    };
    match v {
        Value::String(s) => check_name(s, &p, report),
        Value::Array(items) => {
            if items.is_empty() {
                report.error(p.to_vec(), "invalid_value", "\"type\" must list at least one type name");
            }
            for (i, item) in items.iter().enumerate() {
                let ip = p.index(i);
                match item {
                    Value::String(s) => {
                        if items[..i].iter().any(|prev| prev.as_str() == Some(s)) {
                            report.error(ip.to_vec(), "duplicate_type", format!("type \"{s}\" is listed twice"));
                        } else {
                            check_name(s, &ip, report);
                        }
                    }
                    other => report.error(ip.to_vec(), "invalid_type", got("type names must be strings", other)),
                }
            }
        }
        other => {
            report.error(p.to_vec(), "invalid_type", got("\"type\" must be a type name or an array of them", other));
            return None;
        }
    }
    Some(known)
}

fn check_string_array(names: &[Value], path: &Path, keyword: &str, report: &mut Report) {
    for (i, n) in names.iter().enumerate() {
        match n {
            Value::String(s) => {
                if names[..i].iter().any(|prev| prev.as_str() == Some(s)) {
                    report.error(path.index(i).to_vec(), "duplicate_name", format!("\"{s}\" is listed twice in \"{keyword}\""));
                }
            }
            other => report.error(
                path.index(i).to_vec(),
                "invalid_type",
                format!("\"{keyword}\" must list property names as strings, got {}", other.type_name()),
            ),
        }
    }
}

fn check_required(obj: &Object, v: &Value, p: &Path, report: &mut Report) {
    match v {
        // The published form: "required": true inside a property's schema.
        Value::Bool(_) => {}
        Value::Array(names) => {
            check_string_array(names, p, "required", report);
            let props = obj.get("properties").and_then(Value::as_object);
            for (i, n) in names.iter().enumerate() {
                let Some(name) = n.as_str() else { continue };
                if props.is_some_and(|o| o.contains_key(name)) {
                    continue;
                }
                let candidates = props.map(|o| o.keys().collect::<Vec<_>>()).unwrap_or_default();
                let suggestion = suggest(name, candidates.iter().copied());
                let message = match suggestion {
                    Some(s) => format!("required property \"{name}\" is not in \"properties\": did you mean \"{s}\"?"),
                    None => format!("required property \"{name}\" is not in \"properties\", so nothing describes it"),
                };
                report.push(Issue::warning(p.index(i).to_vec(), "required_not_found", message).with_suggestion_opt(suggestion));
            }
        }
        other => report.error(
            p.to_vec(),
            "invalid_type",
            got("\"required\" must be an array of property names (on the object) or true/false (inside a property)", other),
        ),
    }
}

fn check_enum(v: &Value, p: &Path, types: Option<&[&str]>, report: &mut Report) {
    let Some(values) = v.as_array() else {
        report.error(p.to_vec(), "invalid_type", got("\"enum\" must be a non-empty array of allowed values", v));
        return;
    };
    if values.is_empty() {
        report.error(p.to_vec(), "enum_empty", "\"enum\" is empty, so no value could ever match: list the allowed values");
        return;
    }
    for (i, item) in values.iter().enumerate() {
        if let Some(t) = types {
            if !t.is_empty() && !t.iter().any(|t| fits(item, t)) {
                let got = match item {
                    Value::Number(n) if !n.is_integer() && t.contains(&"integer") => "a non-integer number",
                    other => other.type_name(),
                };
                report.error(
                    p.index(i).to_vec(),
                    "enum_type_mismatch",
                    format!("enum value {} is {got}, but the declared type is {}", item.to_json(), describe_types(t)),
                );
            }
        }
        if values[..i].iter().any(|prev| prev == item) {
            report.warning(p.index(i).to_vec(), "enum_duplicate", format!("enum value {} is listed twice", item.to_json()));
        }
    }
}

fn check_ranges(obj: &Object, path: &Path, report: &mut Report) {
    for (lo, hi) in [("minimum", "maximum"), ("minLength", "maxLength"), ("minItems", "maxItems"), ("minProperties", "maxProperties")] {
        let (Some(a), Some(b)) = (obj.get(lo).and_then(Value::as_number), obj.get(hi).and_then(Value::as_number)) else { continue };
        if a.cmp_value(b) == std::cmp::Ordering::Greater {
            let (a, b) = (a.as_text(), b.as_text());
            report.warning(path.key(lo).to_vec(), "empty_range", format!("\"{lo}\" ({a}) is greater than \"{hi}\" ({b}): no value can match"));
        }
    }
}

/// A light syntax check of an ECMAScript regular expression (no regex
/// engine in the core): unbalanced groups or classes, a trailing backslash,
/// a quantifier with nothing to repeat. `None` when nothing obvious is wrong.
fn pattern_problem(re: &str) -> Option<&'static str> {
    let chars: Vec<char> = re.chars().collect();
    let mut i = 0;
    let mut depth: usize = 0;
    // Whether the previous token can take a quantifier.
    let mut atom = false;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                if i + 1 >= chars.len() {
                    return Some("it ends with a lone backslash");
                }
                i += 2;
                atom = true;
                continue;
            }
            '[' => {
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                // "]" right after "[" closes an empty class in JavaScript.
                loop {
                    match chars.get(i) {
                        None => return Some("a character class \"[\" is not closed"),
                        Some('\\') => i += 2,
                        Some(']') => break,
                        Some(_) => i += 1,
                    }
                }
                atom = true;
            }
            '(' => {
                depth += 1;
                if chars.get(i + 1) == Some(&'?') {
                    i += 2;
                    match chars.get(i) {
                        Some(':' | '=' | '!') => {}
                        Some('<') => {
                            if matches!(chars.get(i + 1), Some('=' | '!')) {
                                i += 1;
                            } else {
                                while chars.get(i).is_some_and(|c| *c != '>') {
                                    i += 1;
                                }
                                if i >= chars.len() {
                                    return Some("a named group \"(?<\" is not closed with \">\"");
                                }
                            }
                        }
                        _ => return Some("invalid group: \"(?\" must be followed by :, =, !, <= , <! or <name>"),
                    }
                }
                atom = false;
            }
            ')' => {
                if depth == 0 {
                    return Some("a \")\" has no matching \"(\"");
                }
                depth -= 1;
                atom = true;
            }
            '|' | '^' => atom = false,
            '*' | '+' | '?' => {
                if !atom {
                    return Some("a quantifier (*, + or ?) has nothing to repeat");
                }
                // Allow one lazy "?" after a quantifier, then no more.
                if chars.get(i + 1) == Some(&'?') {
                    i += 1;
                }
                atom = false;
            }
            _ => atom = true,
        }
        i += 1;
    }
    if depth > 0 {
        return Some("a group \"(\" is not closed");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn run(text: &str) -> Report {
        let mut r = Report::new();
        check(&parse(text).unwrap(), &[], &mut r);
        r
    }

    fn codes(text: &str) -> Vec<(&'static str, bool)> {
        run(text).issues.iter().map(|i| (i.code, i.is_error())).collect()
    }

    const PUBLISHED: &str = r#"{"type":"object","properties":{"quote_amount":{"type":"number","required":true},"availability":{"type":"string","enum":["yes","no","unknown"]}}}"#;

    #[test]
    fn published_examples_are_clean() {
        assert_eq!(codes(PUBLISHED), vec![]);
        assert_eq!(codes(r#"{"type":"object","properties":{"quote_amount":{"type":"number"}}}"#), vec![]);
    }

    #[test]
    fn empty_schema_is_only_a_warning() {
        assert_eq!(codes("{}"), vec![("empty_schema", false)]);
        assert!(run("{}").valid());
    }

    #[test]
    fn not_an_object() {
        for t in ["[]", "null", "true", "\"object\"", "3"] {
            assert_eq!(codes(t), vec![("invalid_type", true)], "{t}");
        }
    }

    #[test]
    fn unknown_type_with_suggestion_and_path() {
        let r = run(r#"{"type":"object","properties":{"quote_amount":{"type":"float"}}}"#);
        let i = &r.issues[0];
        assert_eq!(i.code, "unknown_type");
        assert_eq!(i.path, vec![PathSeg::from("properties"), PathSeg::from("quote_amount"), PathSeg::from("type")]);
        assert_eq!(i.suggestion.as_deref(), Some("number"));
        let r = run(r#"{"type":"object","properties":{"a":{"type":["strnig","null"]}}}"#);
        assert_eq!(r.issues[0].path.last(), Some(&PathSeg::Index(0)));
        assert_eq!(r.issues[0].suggestion.as_deref(), Some("string"));
    }

    #[test]
    fn type_shapes() {
        assert_eq!(codes(r#"{"type":"object","properties":{"a":{"type":[]}}}"#), vec![("invalid_value", true)]);
        assert_eq!(codes(r#"{"type":"object","properties":{"a":{"type":["string","string"]}}}"#), vec![("duplicate_type", true)]);
        assert_eq!(codes(r#"{"type":"object","properties":{"a":{"type":5}}}"#), vec![("invalid_type", true)]);
        assert_eq!(codes(r#"{"type":"object","properties":{"a":{"type":[1]}}}"#), vec![("invalid_type", true)]);
    }

    #[test]
    fn properties_shapes() {
        assert_eq!(codes(r#"{"type":"object","properties":[]}"#), vec![("invalid_type", true)]);
        assert_eq!(codes(r#"{"type":"object","properties":{"a":"string"}}"#), vec![("invalid_type", true)]);
        assert_eq!(codes(r#"{"type":"object","properties":{"a":true}}"#), vec![("invalid_type", true)]);
        assert_eq!(codes(r#"{"type":"object","properties":{"a":{}}}"#), vec![]);
    }

    #[test]
    fn enums() {
        let base = |prop: &str| format!(r#"{{"type":"object","properties":{{"a":{prop}}}}}"#);
        assert_eq!(codes(&base(r#"{"type":"string","enum":[]}"#)), vec![("enum_empty", true)]);
        assert_eq!(codes(&base(r#"{"type":"string","enum":"yes"}"#)), vec![("invalid_type", true)]);
        assert_eq!(codes(&base(r#"{"type":"integer","enum":[1,2.5,"3"]}"#)), vec![("enum_type_mismatch", true), ("enum_type_mismatch", true)]);
        assert_eq!(codes(&base(r#"{"type":"integer","enum":[1,2.0]}"#)), vec![]);
        assert_eq!(codes(&base(r#"{"type":"number","enum":[1,2.5]}"#)), vec![]);
        assert_eq!(codes(&base(r#"{"type":["string","null"],"enum":["a",null]}"#)), vec![]);
        assert_eq!(codes(&base(r#"{"type":"boolean","enum":[true,"false"]}"#)), vec![("enum_type_mismatch", true)]);
        assert_eq!(codes(&base(r#"{"type":"string","enum":["a","b","a"]}"#)), vec![("enum_duplicate", false)]);
        assert_eq!(codes(&base(r#"{"enum":[1,"a",null]}"#)), vec![]);
        assert_eq!(codes(&base(r#"{"enum":[1,1.0]}"#)), vec![("enum_duplicate", false)]);
        let r = run(&base(r#"{"type":"integer","enum":[1,2.5]}"#));
        assert_eq!(r.issues[0].path, vec![PathSeg::from("properties"), PathSeg::from("a"), PathSeg::from("enum"), PathSeg::from(1usize)]);
    }

    #[test]
    fn required_both_styles() {
        assert_eq!(codes(r#"{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}"#), vec![]);
        assert_eq!(codes(r#"{"type":"object","properties":{"a":{"type":"string","required":false}}}"#), vec![]);
        let r = run(r#"{"type":"object","required":["quote_amout"],"properties":{"quote_amount":{"type":"number"}}}"#);
        assert_eq!(r.issues[0].code, "required_not_found");
        assert!(r.valid());
        assert_eq!(r.issues[0].suggestion.as_deref(), Some("quote_amount"));
        assert_eq!(codes(r#"{"type":"object","required":"a","properties":{"a":{}}}"#), vec![("invalid_type", true)]);
        assert_eq!(codes(r#"{"type":"object","required":[1],"properties":{"a":{}}}"#), vec![("invalid_type", true)]);
        assert_eq!(codes(r#"{"type":"object","required":["a","a"],"properties":{"a":{}}}"#), vec![("duplicate_name", true)]);
    }

    #[test]
    fn unknown_keywords_warn_with_suggestion() {
        let r = run(r#"{"type":"object","properties":{"a":{"type":"string","enmu":["x"]}}}"#);
        assert_eq!(r.issues.len(), 1);
        assert_eq!(r.issues[0].code, "unknown_keyword");
        assert_eq!(r.issues[0].suggestion.as_deref(), Some("enum"));
        assert!(r.valid());
        let r = run(r#"{"type":"object","propertes":{"a":{"type":"string"}}}"#);
        assert!(r.issues.iter().any(|i| i.suggestion.as_deref() == Some("properties")));
        assert_eq!(codes(r#"{"type":"object","properties":{},"x-ui":{"order":1}}"#), vec![]);
        let r = run(r#"{"type":"object","properties":{},"quote":{"type":"number"}}"#);
        assert!(r.issues[0].message.contains("inside \"properties\""));
    }

    #[test]
    fn nested_objects_and_arrays() {
        let t = r#"{"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"sku":{"type":"strin"}}}}}}"#;
        let r = run(t);
        assert_eq!(r.issues[0].path.len(), 6);
        assert_eq!(r.issues[0].code, "unknown_type");
        assert_eq!(codes(r#"{"type":"object","properties":{"a":{"type":"array","items":[{"type":"string"},true]}}}"#), vec![]);
        assert_eq!(codes(r#"{"type":"object","properties":{"a":{"type":"array","items":5}}}"#), vec![("invalid_type", true)]);
        assert_eq!(codes(r#"{"type":"object","properties":{},"additionalProperties":false}"#), vec![]);
        assert_eq!(codes(r#"{"type":"object","properties":{},"allOf":[]}"#), vec![("invalid_value", true)]);
        assert_eq!(codes(r#"{"type":"object","properties":{},"definitions":{"x":{"type":"nope"}}}"#), vec![("unknown_type", true)]);
    }

    #[test]
    fn numeric_keywords() {
        let p = |kw: &str| format!(r#"{{"type":"object","properties":{{"a":{{"type":"string",{kw}}}}}}}"#);
        assert_eq!(codes(&p(r#""minLength":-1"#)), vec![("invalid_value", true)]);
        assert_eq!(codes(&p(r#""minLength":1.5"#)), vec![("invalid_value", true)]);
        assert_eq!(codes(&p(r#""minLength":"1""#)), vec![("invalid_type", true)]);
        assert_eq!(codes(&p(r#""minLength":2.0,"maxLength":0"#)), vec![("empty_range", false)]);
        assert_eq!(codes(&p(r#""multipleOf":0"#)), vec![("invalid_value", true)]);
        assert_eq!(codes(&p(r#""exclusiveMinimum":true"#)), vec![("invalid_type", true)]);
        assert_eq!(codes(&p(r#""default":3"#)), vec![("default_type_mismatch", false)]);
    }

    #[test]
    fn patterns() {
        for ok in ["^[a-z]+$", "a|b", "(?:ab)+?", "(?<year>\\d{4})", "[]", "[^]", "\\(", "a{2,3}", "(?<=a)b"] {
            assert_eq!(pattern_problem(ok), None, "{ok}");
        }
        for bad in ["(", ")", "[a-z", "*a", "a**", "\\", "(?x)", "a|+", "(?<name"] {
            assert!(pattern_problem(bad).is_some(), "{bad}");
        }
        // What passes is a probe for the host's RegExp; what fails is not.
        let r = run(r#"{"type":"object","properties":{"a":{"type":"string","pattern":"a{2,1}"},"b":{"pattern":"("}}}"#);
        assert!(!r.valid() && r.issues.len() == 2, "{r:?}");
        assert_eq!(r.issues[1].code, "invalid_pattern");
        assert!(r.to_json().contains(r#"{"path":["properties","a","pattern"],"code":"pattern","message":"a{2,1}","severity":"probe"}"#), "{}", r.to_json());
        assert!(run(r#"{"pattern":"a{2,1}"}"#).valid());
    }

    #[test]
    fn depth_limit_is_a_warning() {
        let mut t = String::new();
        for _ in 0..100 {
            t.push_str(r#"{"type":"object","properties":{"a":"#);
        }
        t.push_str("{}");
        for _ in 0..100 {
            t.push_str("}}");
        }
        let r = run(&t);
        assert_eq!(r.issues.iter().filter(|i| i.code == "too_deep").count(), 1);
        assert!(r.valid());
    }
}
