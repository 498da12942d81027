//! `display_columns`: which columns a campaign's results show.

use super::text::got;
use super::issue::{at, Issue, Report};
use super::suggest::suggest;
use super::text::list;
use crate::json::{PathSeg, Value};

/// Columns every lead has, whatever the extraction schema says.
pub const BUILT_IN_COLUMNS: &[&str] = &["name", "phone", "external_id"];

/// Checks `columns` against the built-in columns and the top-level
/// properties of `extraction_schema` (if any). Errors: not an array, a
/// non-string or empty entry, a duplicate. Warning: an unknown column (it may
/// name a key of a lead's `data`), with a suggestion when one is close.
/// An empty array is valid.
///
/// ```
/// use agoralia::json::parse;
/// use agoralia::validate::{display_columns::check, Report};
/// let schema = parse(r#"{"type":"object","properties":{"quote_amount":{"type":"number"}}}"#).unwrap();
/// let cols = parse(r#"["name","quote_amout"]"#).unwrap();
/// let mut report = Report::new();
/// check(&cols, Some(&schema), &[], &mut report);
/// assert!(report.valid());
/// assert_eq!(report.issues[0].suggestion.as_deref(), Some("quote_amount"));
/// ```
pub fn check(columns: &Value, extraction_schema: Option<&Value>, base: &[PathSeg], report: &mut Report) {
    let Some(cols) = columns.as_array() else {
        report.error(
            base.to_vec(),
            "invalid_type",
            got("display columns must be an array of column names", columns),
        );
        return;
    };
    let props: Vec<&str> = extraction_schema
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    let known: Vec<&str> = BUILT_IN_COLUMNS.iter().copied().chain(props.iter().copied()).collect();
    for (i, c) in cols.iter().enumerate() {
        let p = at(base, i);
        let Some(name) = c.as_str() else {
            report.error(p, "invalid_type", got("a column name must be a string", c));
            continue;
        };
        if name.is_empty() {
            report.error(p, "empty_column", "a column name must not be empty");
            continue;
        }
        if let Some(first) = cols[..i].iter().position(|prev| prev.as_str() == Some(name)) {
            report.error(p, "duplicate_column", format!("column \"{name}\" is already listed at position {first}"));
            continue;
        }
        if known.contains(&name) {
            continue;
        }
        let suggestion = suggest(name, known.iter().copied());
        let message = match suggestion {
            Some(s) => format!("column \"{name}\" is neither a built-in column nor an extraction property: did you mean \"{s}\"?"),
            None => format!(
                "column \"{name}\" is neither a built-in column ({}) nor an extraction property; it shows only if leads carry it in their data",
                list(BUILT_IN_COLUMNS, false)
            ),
        };
        report.push(Issue::warning(p, "unknown_column", message).with_suggestion_opt(suggestion));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn run(cols: &str, schema: Option<&str>) -> Report {
        let s = schema.map(|s| parse(s).unwrap());
        let mut r = Report::new();
        check(&parse(cols).unwrap(), s.as_ref(), &[], &mut r);
        r
    }

    #[test]
    fn empty_is_valid() {
        assert!(run("[]", None).issues.is_empty());
    }

    #[test]
    fn errors() {
        let r = run(r#"["name","","phone","name",3]"#, None);
        let codes: Vec<_> = r.issues.iter().map(|i| (i.code, i.path.clone())).collect();
        assert_eq!(
            codes,
            vec![
                ("empty_column", vec![PathSeg::Index(1)]),
                ("duplicate_column", vec![PathSeg::Index(3)]),
                ("invalid_type", vec![PathSeg::Index(4)]),
            ]
        );
        assert_eq!(run("{}", None).issues[0].code, "invalid_type");
    }

    #[test]
    fn unknown_columns_warn() {
        let schema = r#"{"type":"object","properties":{"quote_amount":{"type":"number"}}}"#;
        assert!(run(r#"["name","phone","external_id","quote_amount"]"#, Some(schema)).issues.is_empty());
        let r = run(r#"["company"]"#, Some(schema));
        assert!(r.valid());
        assert_eq!(r.issues[0].code, "unknown_column");
        assert_eq!(r.issues[0].suggestion, None);
        assert_eq!(run(r#"["phon"]"#, None).issues[0].suggestion.as_deref(), Some("phone"));
        // A schema that is not an object just contributes no properties.
        assert_eq!(run(r#"["x"]"#, Some("[]")).issues[0].code, "unknown_column");
    }
}
