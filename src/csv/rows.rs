//! The data rows: each checked like a leads upsert item, in one pass.
//!
//! Rows are streamed: a lead that passes is handed to a sink (build values,
//! write JSON, or nothing when only the report is wanted) and then
//! forgotten, so a 10 000-row import keeps no rows and makes no tree.

use std::borrow::Cow;

use super::columns::{map_header, Column};
use super::reader::{is_blank, Records};
use super::{detect_delimiter, row_path, trimmed, CsvOptions};
use crate::json::{write_json_string, Object, PathSeg, Value};
use crate::validate::leads::phone_issue;
use crate::validate::phone::{is_e164, normalize_phone};
use crate::validate::{FirstSeen, Issue, Report};

/// A row that passed every check, as a sink sees it.
pub(crate) struct Lead<'a, 'r> {
    pub(crate) external_id: Cow<'a, str>,
    pub(crate) phone: Cow<'a, str>,
    /// Empty when the row has no name.
    pub(crate) name: Cow<'a, str>,
    /// The row's non-empty `data` fields: (index into `columns`, value).
    pub(crate) data: &'r [(usize, Cow<'a, str>)],
    pub(crate) columns: &'r [(Column, Cow<'a, str>)],
}

impl<'a> Lead<'a, '_> {
    /// `{external_id, phone, name?, data?}` as a value borrowing the text.
    pub(crate) fn to_value(&self) -> Value<'a> {
        let mut item = Object::new();
        item.push("external_id", Value::String(self.external_id.clone()));
        item.push("phone", Value::String(self.phone.clone()));
        if !self.name.is_empty() {
            item.push("name", Value::String(self.name.clone()));
        }
        if !self.data.is_empty() {
            let mut data = Object::new();
            for (col, v) in self.data {
                data.push(self.columns[*col].1.clone(), Value::String(v.clone()));
            }
            item.push("data", Value::Object(data));
        }
        Value::Object(item)
    }

    /// The same as JSON text, written straight from the row's fields.
    pub(crate) fn write_json(&self, out: &mut String) {
        out.push_str("{\"external_id\":");
        write_json_string(out, &self.external_id);
        out.push_str(",\"phone\":");
        write_json_string(out, &self.phone);
        if !self.name.is_empty() {
            out.push_str(",\"name\":");
            write_json_string(out, &self.name);
        }
        if !self.data.is_empty() {
            out.push_str(",\"data\":{");
            for (i, (col, v)) in self.data.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(out, &self.columns[*col].1);
                out.push(':');
                write_json_string(out, v);
            }
            out.push('}');
        }
        out.push('}');
    }
}

/// Where each `external_id` was first seen: exactly ([`FirstSeen`], for a
/// whole text) or by hash within a bound (the stream's `SeenHashes`).
pub(crate) trait SeenIds<'a> {
    /// The row where `id` was seen before, or `None` after recording `row`.
    fn first_or_insert(&mut self, id: &Cow<'a, str>, row: usize, report: &mut Report) -> Option<usize>;
}

impl<'a> SeenIds<'a> for FirstSeen<'a> {
    fn first_or_insert(&mut self, id: &Cow<'a, str>, row: usize, _: &mut Report) -> Option<usize> {
        FirstSeen::first_or_insert(self, id.clone(), row)
    }
}

/// Reads every row of `text`, handing each valid lead to `sink`; returns the
/// issues and the number of data rows (blank lines not counted). A `dyn`
/// sink keeps one copy of this loop in the wasm for every use.
pub(crate) fn read_leads<'a>(text: &'a str, options: &CsvOptions, sink: &mut dyn FnMut(&Lead<'a, '_>)) -> (Report, usize) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut report = Report::new();
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(text));
    let mut records = Records::new(text, delimiter);
    let mut fields = Vec::new();
    let header = records.next_into(&mut fields);
    for i in records.take_issues() {
        report.push(i);
    }
    if header.is_none() {
        report.push(empty_csv());
        return (report, 0);
    }
    let columns = map_header(&fields, options, &mut report);
    let mut rows = 0;
    let mut seen_ids = FirstSeen::new();
    let mut data = Vec::new();
    while let Some(row) = records.next_into(&mut fields) {
        for i in records.take_issues() {
            report.push(i);
        }
        if is_blank(&fields) {
            continue;
        }
        rows += 1;
        let Some(columns) = &columns else { continue };
        check_row(row, &fields, columns, options, &mut seen_ids, &mut data, &mut report, sink);
    }
    if rows == 0 && columns.is_some() {
        report.push(no_rows());
    }
    (report, rows)
}

pub(crate) fn empty_csv() -> Issue {
    Issue::error(Vec::new(), "empty_csv", "the file is empty: expected a header row (external_id, phone, name, ...) and one row per lead")
}

pub(crate) fn no_rows() -> Issue {
    Issue::warning(Vec::new(), "no_rows", "the file has a header but no data rows")
}

/// Checks one data row (not blank) like a leads upsert item, reporting its
/// issues; hands it to `sink` and returns true when it has no errors.
/// `data` is scratch space the caller reuses across rows.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_row<'a>(
    row: usize,
    fields: &[Cow<'a, str>],
    columns: &[(Column, Cow<'a, str>)],
    options: &CsvOptions,
    seen_ids: &mut dyn SeenIds<'a>,
    data: &mut Vec<(usize, Cow<'a, str>)>,
    report: &mut Report,
    sink: &mut dyn FnMut(&Lead<'a, '_>),
) -> bool {
    if fields.len() > columns.len() {
        report.warning(
            vec![PathSeg::from("rows"), PathSeg::Index(row)],
            "extra_fields",
            format!("row has {} fields but the header has {}; the extra ones are ignored", fields.len(), columns.len()),
        );
    }
    let mut external_id = Cow::Borrowed("");
    let mut phone = Cow::Borrowed("");
    let mut name = Cow::Borrowed("");
    data.clear();
    for (i, (col, _)) in columns.iter().enumerate() {
        let value = fields.get(i).map(trimmed).unwrap_or(Cow::Borrowed(""));
        match col {
            Column::ExternalId => external_id = value,
            Column::Phone => phone = value,
            Column::Name => name = value,
            Column::Data if !value.is_empty() => data.push((i, value)),
            Column::Data | Column::Skip => {}
        }
    }
    let mut errors = false;
    if external_id.is_empty() {
        errors = true;
        report.error(row_path(row, "external_id"), "required", "external_id is empty: each lead needs your own unique id");
    } else if let Some(first) = seen_ids.first_or_insert(&external_id, row, report) {
        errors = true;
        report.error(
            row_path(row, "external_id"),
            "duplicate_external_id",
            format!("external_id \"{external_id}\" already appears in row {first}; each lead must appear once"),
        );
    }
    if phone.is_empty() {
        errors = true;
        report.error(row_path(row, "phone"), "required", "phone is empty");
    } else if !is_e164(&phone) {
        match check_phone(&phone, row, options, report) {
            Some(n) => phone = Cow::Owned(n),
            None => errors = true,
        }
    }
    if !errors {
        sink(&Lead { external_id, phone, name, data, columns });
    }
    !errors
}

/// A phone that is not E.164: its E.164 form when the options allow the
/// rewrite (with a warning), else `None` after reporting the error.
fn check_phone(phone: &str, row: usize, options: &CsvOptions, report: &mut Report) -> Option<String> {
    match normalize_phone(phone, options.default_country_code.as_deref()) {
        Ok(n) if options.normalize_phones => {
            report.push(
                Issue::warning(row_path(row, "phone"), "phone_not_normalized", format!("phone \"{phone}\" was rewritten as \"{n}\""))
                    .with_suggestion(n.clone()),
            );
            return Some(n);
        }
        Ok(n) => report.push(
            Issue::error(row_path(row, "phone"), "phone_not_normalized", format!("phone \"{phone}\" is not in E.164 form: write it as \"{n}\" (or set normalizePhones)"))
                .with_suggestion(n),
        ),
        Err(e) if e.code == "missing_country_code" => {
            report.error(row_path(row, "phone"), "missing_country_code", format!("phone \"{phone}\": {}", e.message));
        }
        Err(_) => {
            if let Some(issue) = phone_issue(phone, row_path(row, "phone")) {
                report.push(issue);
            }
        }
    }
    None
}
