//! Arbitrary bytes into every entry point that takes outside input: the JSON
//! parser (plain and with spans), every validator kind, the phone, time and
//! language helpers, the CSV reader and the streaming CSV reader (which must
//! read any split of the bytes as it reads the whole). Any panic is a bug.
#![no_main]

use agoralia::csv::{parse_leads_csv, parse_leads_csv_bytes, CsvOptions, LeadsCsvStream};
use agoralia::json::parse;
use agoralia::validate::{
    language, phone, schedule, validate, validate_text_to_json_with_positions, Report, KIND_NAMES,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_leads_csv_bytes(data, &CsvOptions::default());
    assert_eq!(read_split(data, data.len().max(1)), read_split(data, 1 + data.first().map_or(0, |b| *b as usize % 13)));
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(v) = parse(text) {
        // What we write must read back identically.
        assert_eq!(parse(&v.to_json()).ok(), Some(v.clone()));
        for kind in KIND_NAMES {
            let r = validate(kind, &v);
            assert!(parse(&r.to_json()).is_ok());
        }
    }
    for kind in KIND_NAMES {
        assert!(parse(&validate_text_to_json_with_positions(kind, text)).is_ok());
    }
    let _ = phone::normalize_phone(text, Some("39"));
    let _ = schedule::parse_datetime(text);
    let _ = schedule::check_timezone(text);
    let _ = language::suggest_tag(text);
    let opts = CsvOptions { default_country_code: Some("44".into()), ..CsvOptions::default() };
    let _ = parse_leads_csv(text, &opts);
    let _ = CsvOptions::from_json(text);
});

/// What the streaming reader produced, pushing `data` in pieces of `size` bytes:
/// the leads (one JSON text each), the issues, the rejects, the rows and whether it stopped.
fn read_split(data: &[u8], size: usize) -> (String, String, String, usize, bool) {
    let mut stream = LeadsCsvStream::new(CsvOptions::default());
    let (mut items, mut issues, mut rejects, mut rows, mut fatal) = (Vec::new(), Report::default(), String::new(), 0, false);
    let chunks = data.chunks(size).map(|p| stream.push(p)).collect::<Vec<_>>();
    for c in chunks.into_iter().chain(std::iter::once(stream.finish())) {
        if c.item_count > 0 {
            items.push(c.items);
        }
        issues.issues.extend(c.issues.issues);
        rejects.push_str(&c.rejects);
        rows = c.rows;
        fatal |= c.fatal;
    }
    // Leads from different chunks were joined by commas; compare them as one list.
    (items.join(","), issues.to_json(), rejects, rows, fatal)
}
