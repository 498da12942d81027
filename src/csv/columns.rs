//! The header row: which column holds which lead field.

use std::borrow::Cow;

use super::row_path;
use crate::json::PathSeg;
use crate::validate::{Issue, Report};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Column {
    ExternalId,
    Phone,
    Name,
    Data,
}

/// Header aliases, compared after lower-casing and turning runs of spaces,
/// `_`, `-` and `.` into one space.
const ALIASES: &[(&str, Column)] = &[
    ("external id", Column::ExternalId), ("externalid", Column::ExternalId), ("id", Column::ExternalId),
    ("lead id", Column::ExternalId), ("ext id", Column::ExternalId), ("customer id", Column::ExternalId),
    ("contact id", Column::ExternalId),
    ("phone", Column::Phone), ("phone number", Column::Phone), ("phonenumber", Column::Phone),
    ("telephone", Column::Phone), ("telephone number", Column::Phone), ("tel", Column::Phone),
    ("mobile", Column::Phone), ("mobile phone", Column::Phone), ("mobile number", Column::Phone),
    ("cell", Column::Phone), ("cell phone", Column::Phone), ("cellphone", Column::Phone),
    ("phone e164", Column::Phone), ("telefono", Column::Phone), ("cellulare", Column::Phone),
    ("name", Column::Name), ("full name", Column::Name), ("fullname", Column::Name),
    ("contact name", Column::Name), ("nome", Column::Name),
];

fn header_key(h: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in h.trim().chars().map(|c| c.to_ascii_lowercase()) {
        if matches!(c, ' ' | '_' | '-' | '.') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

fn classify(h: &str) -> Column {
    let k = header_key(h);
    ALIASES.iter().find(|(a, _)| *a == k).map(|(_, c)| *c).unwrap_or(Column::Data)
}

/// Maps the header's fields to columns, reporting empty, repeated and
/// missing headers. `None` when `external_id` or `phone` has no column: no
/// row can then be a lead, though rows are still counted.
pub(crate) fn map_header<'a>(header: &[Cow<'a, str>], report: &mut Report) -> Option<Vec<(Column, Cow<'a, str>)>> {
    let mut columns: Vec<(Column, Cow<'a, str>)> = Vec::new();
    let mut seen_builtin: Vec<Column> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let name = super::trimmed(h);
        let mut col = classify(&name);
        if name.is_empty() {
            let key = format!("column_{}", i + 1);
            report.warning(row_path(1, &key), "empty_header", format!("column {} has no header; its values go to data.{key}", i + 1));
            columns.push((Column::Data, Cow::Owned(key)));
            continue;
        }
        if col != Column::Data {
            if seen_builtin.contains(&col) {
                report.warning(
                    row_path(1, &name),
                    "duplicate_header",
                    format!("\"{name}\" maps to a lead field already taken by an earlier column; its values go to data.{name}"),
                );
                col = Column::Data;
            } else {
                seen_builtin.push(col);
            }
        } else if columns.iter().any(|(c, n)| *c == Column::Data && *n == name) {
            report.warning(row_path(1, &name), "duplicate_header", format!("column \"{name}\" appears twice; the later value wins in data"));
        }
        columns.push((col, name));
    }
    let mut missing = false;
    for (col, field, hint) in [
        (Column::ExternalId, "external_id", "external_id (or id)"),
        (Column::Phone, "phone", "phone (or telephone, mobile, phone number)"),
    ] {
        if !seen_builtin.contains(&col) {
            missing = true;
            let found: Vec<&str> = header.iter().map(|s| s.trim()).collect();
            let suggestion = crate::validate::suggest::suggest(field, found.iter().copied());
            report.push(
                Issue::error(
                    vec![PathSeg::from("rows"), PathSeg::Index(1)],
                    "missing_column",
                    format!("the header has no {hint} column; found: {}", crate::validate::text::list(&found, false)),
                )
                .with_suggestion_opt(suggestion),
            );
        }
    }
    (!missing).then_some(columns)
}
