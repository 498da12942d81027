//! Arbitrary bytes into every entry point that takes outside input: the JSON
//! parser (plain and with spans), every validator kind, the phone, time and
//! language helpers, and the CSV reader. Any panic is a bug.
#![no_main]

use agoralia::csv::{parse_leads_csv, parse_leads_csv_bytes, CsvOptions};
use agoralia::json::parse;
use agoralia::validate::{
    language, phone, schedule, validate, validate_text_to_json_with_positions, KIND_NAMES,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_leads_csv_bytes(data, &CsvOptions::default());
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
    let opts = CsvOptions { delimiter: None, default_country_code: Some("44".into()), normalize_phones: true };
    let _ = parse_leads_csv(text, &opts);
    let _ = CsvOptions::from_json(text);
});
