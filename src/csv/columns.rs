//! The header row: which column holds which lead field.

use std::borrow::Cow;

use super::{row_path, CsvOptions};
use crate::json::PathSeg;
use crate::validate::{Issue, Report};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Column {
    ExternalId,
    Phone,
    Name,
    Data,
    /// Read but not sent: a data column left out by `CsvOptions::data`, or a
    /// rejects file's own `_row` / `_issue` columns.
    Skip,
}

/// The columns a rejects file adds to the original ones; a rejects file
/// imports again as it is, these two left out.
pub(crate) const REJECT_COLUMNS: [&str; 2] = ["_row", "_issue"];

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

/// The column a header names: a mapped header first, then the aliases of
/// the fields the mapping leaves out.
fn classify(h: &str, map: &ColumnMap) -> Column {
    let k = header_key(h);
    let mapped = [(Column::ExternalId, &map.external_id), (Column::Phone, &map.phone), (Column::Name, &map.name)];
    if let Some((c, _)) = mapped.iter().find(|(_, m)| m.as_deref().is_some_and(|m| header_key(m) == k)) {
        return *c;
    }
    ALIASES
        .iter()
        .find(|(a, c)| *a == k && !mapped.iter().any(|(mc, m)| mc == c && m.is_some()))
        .map(|(_, c)| *c)
        .unwrap_or(Column::Data)
}

/// Which header holds which lead field, where the aliases do not tell:
/// `{ external_id: "Codice cliente", phone: "Cellulare" }`. Headers are
/// compared as the aliases are (case, spaces, `_`, `-` and `.` ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    pub external_id: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
}

/// Maps the header's fields to columns, reporting empty, repeated and
/// missing headers. `None` when `external_id` or `phone` has no column: no
/// row can then be a lead, though rows are still counted.
pub(crate) fn map_header<'a>(header: &[Cow<'a, str>], options: &CsvOptions, report: &mut Report) -> Option<Vec<(Column, Cow<'a, str>)>> {
    let mut columns: Vec<(Column, Cow<'a, str>)> = Vec::new();
    let mut seen_builtin: Vec<Column> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let name = super::trimmed(h);
        let mut col = classify(&name, &options.map);
        if REJECT_COLUMNS.contains(&&*name) {
            columns.push((Column::Skip, name));
            continue;
        }
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
        if col == Column::Data && options.data.as_ref().is_some_and(|keep| !keep.iter().any(|k| k.trim() == &*name)) {
            col = Column::Skip;
        }
        columns.push((col, name));
    }
    for wanted in options.data.iter().flatten() {
        if !columns.iter().any(|(c, n)| *c == Column::Data && n == wanted.trim()) {
            report.warning(
                row_path(1, wanted),
                "missing_column",
                format!("data column \"{wanted}\" is not in the header (or holds a lead field)"),
            );
        }
    }
    let mut missing = false;
    let external_hint = options.map.external_id.as_ref().map(|m| format!("\"{m}\" (mapped to external_id)"));
    let phone_hint = options.map.phone.as_ref().map(|m| format!("\"{m}\" (mapped to phone)"));
    for (col, field, hint) in [
        (Column::ExternalId, "external_id", external_hint.unwrap_or_else(|| "external_id (or id)".into())),
        (Column::Phone, "phone", phone_hint.unwrap_or_else(|| "phone (or telephone, mobile, phone number)".into())),
    ] {
        if !seen_builtin.contains(&col) {
            missing = true;
            let found: Vec<&str> = header.iter().map(|s| s.trim()).collect();
            let mapped = if col == Column::Phone { &options.map.phone } else { &options.map.external_id };
            let suggestion = crate::validate::suggest::suggest(mapped.as_deref().unwrap_or(field), found.iter().copied());
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
    if let Some(name) = options.map.name.as_ref().filter(|_| !seen_builtin.contains(&Column::Name)) {
        report.warning(row_path(1, name), "missing_column", format!("the header has no \"{name}\" column (mapped to name); leads are sent without a name"));
    }
    (!missing).then_some(columns)
}
