//! Leads from CSV: an RFC 4180 reader plus the mapping of columns to leads.
//!
//! - [`read_records`]: RFC 4180 (quoted fields, `""` escapes, delimiters
//!   and newlines inside quotes, CRLF/LF/CR line ends), BOM stripped.
//! - [`parse_leads_csv`]: maps the header row to `external_id`, `phone`,
//!   `name` (with common aliases) and every other column to `data.<header>`,
//!   checks each row like a leads upsert item, and returns the valid items,
//!   the issues and the row count. Rows are numbered as a person counts them
//!   in a spreadsheet: the header is row 1, the first data row is row 2;
//!   issue paths are `["rows", <row>, <field>]`.

mod reader;

pub use reader::{detect_delimiter, read_records, Record};

use std::borrow::Cow;

use crate::json::{Object, PathSeg, Value};
use crate::validate::leads::phone_issue;
use crate::validate::phone::{is_e164, normalize_phone};
use crate::validate::{Issue, Report};
use crate::validate::FirstSeen;

/// Options for [`parse_leads_csv`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Force the delimiter (`,` `;` or tab); detected from the header when `None`.
    pub delimiter: Option<char>,
    /// Country calling code for numbers written without one, e.g. `"39"`.
    pub default_country_code: Option<String>,
    /// Put the E.164 form in the items (still reporting a warning per
    /// rewritten number) instead of rejecting non-E.164 rows.
    pub normalize_phones: bool,
}

impl CsvOptions {
    /// Reads options from JSON text `{delimiter?, defaultCountryCode?,
    /// normalizePhones?}` (the JS option names); anything unreadable is
    /// ignored, so bad options never prevent parsing.
    ///
    /// ```
    /// use agoralia::csv::CsvOptions;
    /// let o = CsvOptions::from_json(r#"{"delimiter":";","defaultCountryCode":"39","normalizePhones":true}"#);
    /// assert_eq!(o.delimiter, Some(';'));
    /// assert_eq!(o.default_country_code.as_deref(), Some("39"));
    /// assert!(o.normalize_phones);
    /// ```
    pub fn from_json(text: &str) -> CsvOptions {
        let Ok(v) = crate::json::parse(text) else { return CsvOptions::default() };
        let delimiter = v.get("delimiter").and_then(Value::as_str).and_then(|s| {
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c @ (',' | ';' | '\t' | '|')), None) => Some(c),
                _ => None,
            }
        });
        let default_country_code = match v.get("defaultCountryCode") {
            Some(Value::String(s)) => Some(s.to_string()),
            Some(Value::Number(n)) => Some(n.as_text().to_string()),
            _ => None,
        };
        let normalize_phones = v.get("normalizePhones").and_then(Value::as_bool).unwrap_or(false);
        CsvOptions { delimiter, default_country_code, normalize_phones }
    }
}

/// The outcome of [`parse_leads_csv`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsvLeads<'a> {
    /// Leads `{external_id, phone, name?, data?}` from the rows without
    /// errors; their strings borrow from the CSV text where they can.
    pub items: Vec<Value<'a>>,
    /// Every issue found (errors exclude their row from `items`).
    pub issues: Report,
    /// Number of data rows read (blank lines not counted).
    pub rows: usize,
}

impl CsvLeads<'_> {
    /// `{"items": [...], "issues": [...], "rowCount": n, "valid": bool}` as JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"items\":[");
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(&mut out);
        }
        out.push_str("],\"issues\":[");
        for (i, issue) in self.issues.issues.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            issue.write_json(&mut out, None);
        }
        out.push_str("],\"rowCount\":");
        out.push_str(&self.rows.to_string());
        out.push_str(",\"valid\":");
        out.push_str(if self.issues.valid() { "true" } else { "false" });
        out.push('}');
        out
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
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

fn row_path(row: usize, field: &str) -> Vec<PathSeg> {
    vec![PathSeg::from("rows"), PathSeg::Index(row), PathSeg::from(field)]
}

/// Decodes CSV bytes: UTF-8 (BOM stripped); bytes that are not UTF-8 are
/// read as Windows-1252, which is what spreadsheet programs commonly export,
/// with a `not_utf8` warning so the user can check accented names.
///
/// ```
/// use agoralia::csv::decode_bytes;
/// let (text, warned) = decode_bytes(b"\xEF\xBB\xBFname\n");
/// assert_eq!((&*text, warned), ("name\n", false));
/// let (text, warned) = decode_bytes(b"Nicol\xF2\n");
/// assert_eq!((&*text, warned), ("Nicolò\n", true));
/// ```
pub fn decode_bytes(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => (Cow::Owned(bytes.iter().map(|&b| cp1252(b)).collect()), true),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD,
        0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0xFFFD, 0x017E, 0x0178,
    ];
    if (0x80..0xA0).contains(&b) {
        char::from_u32(HIGH[(b - 0x80) as usize] as u32).unwrap_or('\u{FFFD}')
    } else {
        b as char
    }
}

/// [`parse_leads_csv`] over raw bytes (see [`decode_bytes`]).
pub fn parse_leads_csv_bytes<'a>(bytes: &'a [u8], options: &CsvOptions) -> CsvLeads<'a> {
    match decode_bytes(bytes) {
        (Cow::Borrowed(text), _) => parse_leads_csv(text, options),
        (Cow::Owned(text), _) => with_not_utf8_warning(parse_leads_csv(&text, options)).into_owned(),
    }
}

/// [`parse_leads_csv_bytes`] straight to JSON text (see [`CsvLeads::to_json`]),
/// without copying the leads of a Windows-1252 file out of its decoded text.
pub fn parse_leads_csv_bytes_to_json(bytes: &[u8], options: &CsvOptions) -> String {
    match decode_bytes(bytes) {
        (Cow::Borrowed(text), _) => parse_leads_csv(text, options).to_json(),
        (Cow::Owned(text), _) => with_not_utf8_warning(parse_leads_csv(&text, options)).to_json(),
    }
}

fn with_not_utf8_warning(mut out: CsvLeads<'_>) -> CsvLeads<'_> {
    out.issues.issues.insert(
        0,
        Issue::warning(
            Vec::new(),
            "not_utf8",
            "the file is not UTF-8; it was read as Windows-1252: check accented characters, or export as \"CSV UTF-8\"",
        ),
    );
    out
}

/// Parses leads from CSV text.
///
/// ```
/// use agoralia::csv::{parse_leads_csv, CsvOptions};
/// let csv = "ID;Full Name;Mobile;Company\r\nl1;Ada;+39 340 123 4567;Acme\r\nl2;Bob;+393401234568;\r\n";
/// let out = parse_leads_csv(csv, &CsvOptions { normalize_phones: true, ..Default::default() });
/// assert_eq!(out.rows, 2);
/// assert_eq!(out.items.len(), 2);
/// assert_eq!(out.items[0].to_json(),
///   r#"{"external_id":"l1","phone":"+393401234567","name":"Ada","data":{"Company":"Acme"}}"#);
/// assert_eq!(out.issues.issues[0].code, "phone_not_normalized"); // a warning here
/// ```
pub fn parse_leads_csv<'a>(text: &'a str, options: &CsvOptions) -> CsvLeads<'a> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut result = CsvLeads::default();
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(text));
    let (records, read_issues) = read_records(text, delimiter);
    for i in read_issues {
        result.issues.push(i);
    }
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        result.issues.error(Vec::new(), "empty_csv", "the file is empty: expected a header row (external_id, phone, name, ...) and one row per lead");
        return result;
    };
    // Map the header.
    let mut columns: Vec<(Column, Cow<'a, str>)> = Vec::new();
    let mut seen_builtin: Vec<Column> = Vec::new();
    for (i, h) in header.fields.iter().enumerate() {
        let name = trimmed(h);
        let mut col = classify(&name);
        if name.is_empty() {
            let key = format!("column_{}", i + 1);
            result.issues.warning(row_path(1, &key), "empty_header", format!("column {} has no header; its values go to data.{key}", i + 1));
            columns.push((Column::Data, Cow::Owned(key)));
            continue;
        }
        if col != Column::Data {
            if seen_builtin.contains(&col) {
                result.issues.warning(
                    row_path(1, &name),
                    "duplicate_header",
                    format!("\"{name}\" maps to a lead field already taken by an earlier column; its values go to data.{name}"),
                );
                col = Column::Data;
            } else {
                seen_builtin.push(col);
            }
        } else if columns.iter().any(|(c, n)| *c == Column::Data && *n == name) {
            result.issues.warning(row_path(1, &name), "duplicate_header", format!("column \"{name}\" appears twice; the later value wins in data"));
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
            let found: Vec<&str> = header.fields.iter().map(|s| s.trim()).collect();
            let suggestion = crate::validate::suggest::suggest(field, found.iter().copied());
            result.issues.push(
                Issue::error(
                    vec![PathSeg::from("rows"), PathSeg::Index(1)],
                    "missing_column",
                    format!("the header has no {hint} column; found: {}", crate::validate::text::list(&found, false)),
                )
                .with_suggestion_opt(suggestion),
            );
        }
    }
    let mut seen_ids = FirstSeen::new();
    for rec in records {
        if rec.is_blank() {
            continue;
        }
        result.rows += 1;
        if missing {
            continue;
        }
        let row = rec.number;
        if rec.fields.len() > columns.len() {
            result.issues.warning(
                vec![PathSeg::from("rows"), PathSeg::Index(row)],
                "extra_fields",
                format!("row has {} fields but the header has {}; the extra ones are ignored", rec.fields.len(), columns.len()),
            );
        }
        let mut errors = false;
        let mut external_id = Cow::Borrowed("");
        let mut phone = Cow::Borrowed("");
        let mut name = Cow::Borrowed("");
        let mut data = Object::new();
        for (i, (col, header)) in columns.iter().enumerate() {
            let value = rec.fields.get(i).map(trimmed).unwrap_or(Cow::Borrowed(""));
            match col {
                Column::ExternalId => external_id = value,
                Column::Phone => phone = value,
                Column::Name => name = value,
                Column::Data => {
                    if !value.is_empty() {
                        data.push(header.clone(), Value::String(value));
                    }
                }
            }
        }
        if external_id.is_empty() {
            errors = true;
            result.issues.error(row_path(row, "external_id"), "required", "external_id is empty: each lead needs your own unique id");
        } else if let Some(first) = seen_ids.first_or_insert(external_id.clone(), row) {
            errors = true;
            result.issues.error(
                row_path(row, "external_id"),
                "duplicate_external_id",
                format!("external_id \"{external_id}\" already appears in row {first}; each lead must appear once"),
            );
        }
        if phone.is_empty() {
            errors = true;
            result.issues.error(row_path(row, "phone"), "required", "phone is empty");
        } else if !is_e164(&phone) {
            match normalize_phone(&phone, options.default_country_code.as_deref()) {
                Ok(n) if options.normalize_phones => {
                    result.issues.push(
                        Issue::warning(row_path(row, "phone"), "phone_not_normalized", format!("phone \"{phone}\" was rewritten as \"{n}\""))
                            .with_suggestion(n.clone()),
                    );
                    phone = Cow::Owned(n);
                }
                Ok(n) => {
                    errors = true;
                    result.issues.push(
                        Issue::error(row_path(row, "phone"), "phone_not_normalized", format!("phone \"{phone}\" is not in E.164 form: write it as \"{n}\" (or set normalizePhones)"))
                            .with_suggestion(n),
                    );
                }
                Err(e) if e.code == "missing_country_code" => {
                    errors = true;
                    result.issues.error(row_path(row, "phone"), "missing_country_code", format!("phone \"{phone}\": {}", e.message));
                }
                Err(_) => {
                    errors = true;
                    if let Some(issue) = phone_issue(&phone, row_path(row, "phone")) {
                        result.issues.push(issue);
                    }
                }
            }
        }
        if errors {
            continue;
        }
        let mut item = Object::new();
        item.push("external_id", Value::String(external_id));
        item.push("phone", Value::String(phone));
        if !name.is_empty() {
            item.push("name", Value::String(name));
        }
        if !data.is_empty() {
            item.push("data", Value::Object(data));
        }
        result.items.push(Value::Object(item));
    }
    if result.rows == 0 && !missing {
        result.issues.warning(Vec::new(), "no_rows", "the file has a header but no data rows");
    }
    result
}

impl CsvLeads<'_> {
    /// The same result, owning all its text.
    pub fn into_owned(self) -> CsvLeads<'static> {
        CsvLeads { items: self.items.into_iter().map(Value::into_owned).collect(), issues: self.issues, rows: self.rows }
    }
}

/// A trimmed field, still borrowing from the text when the field did.
fn trimmed<'a>(field: &Cow<'a, str>) -> Cow<'a, str> {
    match field {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::path_to_dotted;

    fn run(csv: &str, opts: CsvOptions) -> CsvLeads<'_> {
        parse_leads_csv(csv, &opts)
    }

    fn codes(r: &CsvLeads) -> Vec<(&'static str, String)> {
        r.issues.issues.iter().map(|i| (i.code, path_to_dotted(&i.path))).collect()
    }

    #[test]
    fn basic_mapping_and_aliases() {
        let r = run("external_id,phone,name,email\nl1,+393401234567,Ada,a@x.it\n", CsvOptions::default());
        assert_eq!(r.items[0].to_json(), r#"{"external_id":"l1","phone":"+393401234567","name":"Ada","data":{"email":"a@x.it"}}"#);
        assert!(r.issues.issues.is_empty());
        let r = run("Lead-ID\tPhone Number\tFULL_NAME\nl1\t+12025550100\t\n", CsvOptions::default());
        assert_eq!(r.items[0].to_json(), r#"{"external_id":"l1","phone":"+12025550100"}"#);
    }

    #[test]
    fn row_numbers_as_people_count() {
        let r = run("id,phone\nl1,+393401234567\n\nl2,bad\n\"l3\nx\",+3\nl4,+393401234569", CsvOptions::default());
        assert_eq!(r.rows, 4);
        assert_eq!(codes(&r), vec![("invalid_phone", "rows.4.phone".into()), ("invalid_phone", "rows.5.phone".into())]);
        assert_eq!(r.items.len(), 2);
    }

    #[test]
    fn phones_and_duplicates() {
        let csv = "id,phone\na,340 123 4567\nb,+39 340 1234568\na,+393401234569\nc,\n,+393401234560\n";
        let r = run(csv, CsvOptions::default());
        assert_eq!(
            codes(&r),
            vec![
                ("missing_country_code", "rows.2.phone".into()),
                ("phone_not_normalized", "rows.3.phone".into()),
                ("duplicate_external_id", "rows.4.external_id".into()),
                ("required", "rows.5.phone".into()),
                ("required", "rows.6.external_id".into()),
            ]
        );
        assert!(r.items.is_empty() || r.items.len() == 0);
        let r = run(csv, CsvOptions { default_country_code: Some("39".into()), normalize_phones: true, ..Default::default() });
        assert_eq!(r.items.len(), 2);
        assert_eq!(r.items[0].get("phone").unwrap().as_str(), Some("+393401234567"));
        assert!(r.issues.issues.iter().filter(|i| i.code == "phone_not_normalized").all(|i| !i.is_error()));
    }

    #[test]
    fn header_problems() {
        let r = run("name,telefono\nAda,+393401234567\n", CsvOptions::default());
        assert_eq!(codes(&r), vec![("missing_column", "rows.1".into())]);
        assert!(r.items.is_empty());
        assert_eq!(r.rows, 1);
        assert_eq!(codes(&run("", CsvOptions::default())), vec![("empty_csv", "".into())]);
        assert_eq!(codes(&run("id,phone\n", CsvOptions::default())), vec![("no_rows", "".into())]);
        let r = run("id,phone,mobile,\na,+12025550100,+12025550101,z\n", CsvOptions::default());
        assert_eq!(codes(&r), vec![("duplicate_header", "rows.1.mobile".into()), ("empty_header", "rows.1.column_4".into())]);
        assert_eq!(r.items[0].to_json(), r#"{"external_id":"a","phone":"+12025550100","data":{"mobile":"+12025550101","column_4":"z"}}"#);
    }

    #[test]
    fn bytes_and_bom() {
        let r = parse_leads_csv_bytes(b"\xEF\xBB\xBFid;phone;nome\r\n1;+393401234567;Nicol\xC3\xB2\r\n", &CsvOptions::default());
        assert_eq!(r.items[0].get("name").unwrap().as_str(), Some("Nicolò"));
        let r = parse_leads_csv_bytes(b"id;phone;nome\r\n1;+393401234567;Nicol\xF2\r\n", &CsvOptions::default());
        assert_eq!(r.items[0].get("name").unwrap().as_str(), Some("Nicolò"));
        assert_eq!(r.issues.issues[0].code, "not_utf8");
    }

    #[test]
    fn json_output() {
        let r = run("id,phone\na,+393401234567\nb,x\n", CsvOptions::default());
        let text = r.to_json();
        let v = crate::json::parse(&text).unwrap();
        assert_eq!(v.get("rowCount").unwrap().as_i64(), Some(2));
        assert_eq!(v.get("items").unwrap().as_array().unwrap().len(), 1);
        assert_eq!(v.get("valid").unwrap().as_bool(), Some(false));
    }
}
