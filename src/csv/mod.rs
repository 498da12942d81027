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

mod batches;
mod columns;
mod reader;
mod rows;
mod seen_hashes;
mod stream;
mod write;

pub use columns::ColumnMap;
pub use reader::{detect_delimiter, read_records, Record};
pub use stream::{LeadsCsvStream, StreamChunk};
pub use write::write_record;

use std::borrow::Cow;

use crate::json::{PathSeg, Value};
use crate::validate::text::trim;
use crate::validate::{Issue, Report};

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
    /// Headers for lead fields the aliases do not recognise.
    pub map: ColumnMap,
    /// The columns sent in `data` (by header); every other column when `None`.
    pub data: Option<Vec<String>>,
}

impl CsvOptions {
    /// Reads options from JSON text `{delimiter?, defaultCountryCode?,
    /// normalizePhones?, map?: {external_id?, phone?, name?}, data?: [header]}`
    /// (the JS option names); anything unreadable is ignored, so bad options
    /// never prevent parsing (the glue checks them first).
    ///
    /// ```
    /// use agoralia::csv::CsvOptions;
    /// let o = CsvOptions::from_json(r#"{"delimiter":";","defaultCountryCode":"39","normalizePhones":true,
    ///   "map":{"external_id":"Codice cliente"},"data":["city"]}"#);
    /// assert_eq!(o.delimiter, Some(';'));
    /// assert_eq!(o.default_country_code.as_deref(), Some("39"));
    /// assert!(o.normalize_phones);
    /// assert_eq!(o.map.external_id.as_deref(), Some("Codice cliente"));
    /// assert_eq!(o.data, Some(vec!["city".to_string()]));
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
        let mapped = |field| v.get("map").and_then(|m| m.get(field)).and_then(Value::as_str).map(str::to_string);
        let map = ColumnMap { external_id: mapped("external_id"), phone: mapped("phone"), name: mapped("name") };
        let data = v.get("data").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect());
        CsvOptions { delimiter, default_country_code, normalize_phones, map, data }
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
        out.push_str("],");
        write_tail(&mut out, &self.issues, self.rows);
        out
    }
}

/// `"issues": [...], "rowCount": n, "valid": bool}`: the end of both outputs.
fn write_tail(out: &mut String, issues: &Report, rows: usize) {
    out.push_str("\"issues\":[");
    for (i, issue) in issues.issues.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        issue.write_json(out, None);
    }
    out.push_str("],\"rowCount\":");
    out.push_str(&rows.to_string());
    out.push_str(",\"valid\":");
    out.push_str(if issues.valid() { "true" } else { "false" });
    out.push('}');
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
        (Cow::Owned(text), _) => {
            let mut out = parse_leads_csv(&text, options);
            out.issues.issues.insert(0, not_utf8());
            out.into_owned()
        }
    }
}

/// [`parse_leads_csv_bytes`] straight to JSON text (see [`CsvLeads::to_json`]),
/// each lead written from its row's fields with no value built. Without
/// `items`, only the check: `{"issues", "rowCount", "valid"}`, for a form
/// that tells the user what is wrong before any upload.
///
/// ```
/// use agoralia::csv::{parse_leads_csv_bytes_to_json, CsvOptions};
/// let csv = b"id,phone,city\nl1,+393401234567,Roma\nl2,call me,\n";
/// assert_eq!(parse_leads_csv_bytes_to_json(csv, &CsvOptions::default(), true).split(r#","issues""#).next(),
///   Some(r#"{"items":[{"external_id":"l1","phone":"+393401234567","data":{"city":"Roma"}}]"#));
/// assert!(parse_leads_csv_bytes_to_json(csv, &CsvOptions::default(), false).starts_with(r#"{"issues":[{"path":["rows",3,"phone"]"#));
/// ```
pub fn parse_leads_csv_bytes_to_json(bytes: &[u8], options: &CsvOptions, items: bool) -> String {
    let (text, not_utf8_text) = decode_bytes(bytes);
    let mut out = String::from(if items { "{\"items\":[" } else { "{" });
    let mut first = true;
    let (mut issues, rows) = rows::read_leads(&text, options, &mut |lead| {
        if items {
            if !first {
                out.push(',');
            }
            first = false;
            lead.write_json(&mut out);
        }
    });
    if items {
        out.push_str("],");
    }
    if not_utf8_text {
        issues.issues.insert(0, not_utf8());
    }
    write_tail(&mut out, &issues, rows);
    out
}

fn not_utf8() -> Issue {
    Issue::warning(
        Vec::new(),
        "not_utf8",
        "the file is not UTF-8; it was read as Windows-1252: check accented characters, or export as \"CSV UTF-8\"",
    )
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
    let mut items = Vec::new();
    let (issues, rows) = rows::read_leads(text, options, &mut |lead| items.push(lead.to_value()));
    CsvLeads { items, issues, rows }
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
        Cow::Borrowed(s) => Cow::Borrowed(trim(s)),
        Cow::Owned(s) => Cow::Owned(trim(s).to_owned()),
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

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        /// The JSON written straight from the rows is the items built as
        /// values, and the check without items reports the same.
        #[test]
        fn json_output_equals_the_values(
            head in prop::sample::select(vec!["id,phone,name,city\n", "phone;id;x;x\n", "id,phone,mobile,\n", "name,tel\n", "", "\"id\",\"phone\"\n"]),
            body in "[a1+39 40,;\"\r\n\\\\xé]{0,80}",
            cc in prop::option::of(Just("39".to_string())),
            normalize_phones in any::<bool>(),
        ) {
            let text = format!("{head}{body}");
            let o = CsvOptions { default_country_code: cc, normalize_phones, ..Default::default() };
            let want = parse_leads_csv(&text, &o).to_json();
            let got = parse_leads_csv_bytes_to_json(text.as_bytes(), &o, true);
            prop_assert_eq!(crate::json::parse(&got).unwrap(), crate::json::parse(&want).unwrap());
            let without = parse_leads_csv_bytes_to_json(text.as_bytes(), &o, false);
            prop_assert_eq!(format!("{{{}", &want[want.find("\"issues\"").unwrap()..]), without);
        }
    }
}
