//! Property-based tests: any input yields a report, never a panic, and
//! valid requests built the way the published pages allow are never refused.

use crate::csv::{parse_leads_csv, parse_leads_csv_bytes, CsvOptions};
use crate::json::{parse, parse_with_spans, Number, Object, Value};
use crate::validate::{phone, schedule, language, validate, validate_text_to_json_with_positions, KIND_NAMES};
use proptest::prelude::*;

fn json_value() -> impl Strategy<Value = Value<'static>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(Number::from_i64(n))),
        "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,10})?([eE][+-]?[0-9]{1,4})?".prop_map(|t| parse(&t).unwrap().into_owned()),
        ".{0,12}".prop_map(Value::from),
        prop::sample::select(vec!["object", "string", "integer", "number", "enum", "type", "required", "properties", "+393401234567", "Europe/Rome", "2025-01-20"])
            .prop_map(|s| Value::from(s.to_string())),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        let key = prop_oneof![
            prop::sample::select(vec![
                "type", "properties", "required", "enum", "items", "name", "purpose", "agent_ref_id", "extraction_schema",
                "display_columns", "schedule", "timezone", "start_date", "end_date", "items", "external_id", "phone",
                "data", "campaign_id", "limit", "cursor", "columns", "lang", "minimum", "maximum", "pattern", "allOf",
            ])
            .prop_map(str::to_string),
            ".{0,6}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6).prop_map(|m| Value::Object(Object::from(m))),
        ]
    })
}

/// A property schema the dialect allows, with enum values of the declared type.
fn valid_property() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"{"type":"string"}"#.to_string()),
        Just(r#"{"type":"number","required":true}"#.to_string()),
        Just(r#"{"type":"integer","enum":[1,2,3.0]}"#.to_string()),
        Just(r#"{"type":["string","null"],"enum":["a",null]}"#.to_string()),
        Just(r#"{"type":"boolean","description":"x"}"#.to_string()),
        Just(r#"{"type":"array","items":{"type":"string","enum":["x","y"]}}"#.to_string()),
        Just(r#"{"type":"object","properties":{"x":{"type":"number","minimum":0}},"required":["x"]}"#.to_string()),
        Just(r#"{}"#.to_string()),
    ]
}

fn valid_campaign() -> impl Strategy<Value = String> {
    (
        "[A-Za-z0-9 ]{1,20}",
        prop::sample::select(vec!["quote_request", "cold_calling", "appointment", "qualification", "inbound"]),
        1u32..100_000,
        prop::collection::vec(("[a-z_]{1,10}", valid_property()), 0..5),
        prop::collection::vec(prop::sample::select(vec!["name", "phone", "external_id", "anything", "company"]), 0..4),
        prop::option::of(prop::sample::select(vec!["same_as_call", "en-US", "it-IT", "zh-Hant-TW", "es-419"])),
        any::<bool>(),
    )
        .prop_map(|(name, purpose, agent, props, mut cols, lang, sched)| {
            let mut seen = Vec::new();
            let props: Vec<String> = props
                .into_iter()
                .filter(|(k, _)| if seen.contains(k) { false } else { seen.push(k.clone()); true })
                .map(|(k, p)| format!("\"{k}\":{p}"))
                .collect();
            cols.sort();
            cols.dedup();
            let cols: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
            let schema = if props.is_empty() { "{}".to_string() } else { format!(r#"{{"type":"object","properties":{{{}}}}}"#, props.join(",")) };
            let lang = lang.map(|l| format!(r#","output_language":"{l}""#)).unwrap_or_default();
            let sched = if sched { r#","schedule":{"timezone":"Europe/Rome","start_date":"2025-01-20","end_date":"2025-01-31T23:59:59Z"}"# } else { "" };
            format!(
                r#"{{"name":"{name}","purpose":"{purpose}","agent_ref_id":{agent},"extraction_schema":{schema},"display_columns":[{}]{lang}{sched}}}"#,
                cols.join(",")
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_value_any_kind_gives_a_report(v in json_value()) {
        for kind in KIND_NAMES {
            let r = validate(kind, &v);
            prop_assert!(parse(&r.to_json()).is_ok());
            // Valid means no error, by definition.
            prop_assert_eq!(r.valid(), r.issues.iter().all(|i| !i.is_error()));
        }
        // Writer and parser agree.
        let text = v.to_json();
        prop_assert_eq!(parse(&text).unwrap(), v.clone());
        let (v2, spans) = parse_with_spans(&text).unwrap();
        prop_assert_eq!(&v2, &v);
        let _ = spans.locate(&[]);
    }

    #[test]
    fn any_text_gives_a_report(s in "\\PC{0,80}") {
        let _ = parse(&s);
        for kind in KIND_NAMES {
            prop_assert!(parse(&validate_text_to_json_with_positions(kind, &s)).is_ok());
        }
        let _ = phone::normalize_phone(&s, Some("39"));
        let _ = phone::normalize_phone(&s, Some(&s));
        let _ = schedule::parse_datetime(&s);
        let _ = schedule::check_timezone(&s);
        let _ = language::suggest_tag(&s);
        let _ = parse_leads_csv(&s, &CsvOptions::default());
        let _ = parse_leads_csv(&s, &CsvOptions { delimiter: Some(';'), default_country_code: Some("39".into()), normalize_phones: true, ..Default::default() });
    }

    #[test]
    fn jsonish_text_gives_a_report(s in "[\\[\\]{}\",:0-9a-z\\\\ .eE+-]{0,60}") {
        for kind in KIND_NAMES {
            prop_assert!(parse(&validate_text_to_json_with_positions(kind, &s)).is_ok());
        }
    }

    #[test]
    fn any_bytes_as_csv(b in prop::collection::vec(any::<u8>(), 0..200)) {
        let r = parse_leads_csv_bytes(&b, &CsvOptions::default());
        prop_assert!(parse(&r.to_json()).is_ok());
        prop_assert!(r.items.len() <= r.rows);
    }

    #[test]
    fn valid_campaigns_are_never_refused(text in valid_campaign()) {
        let v = parse(&text).unwrap();
        let r = validate("campaign", &v);
        prop_assert!(r.valid(), "{} -> {:?}", text, r.issues);
    }

    #[test]
    fn e164_numbers_are_accepted_and_normalized_unchanged(cc in 1u32..999, rest in "[0-9]{1,11}") {
        let n = format!("+{cc}{rest}");
        prop_assume!(n.len() <= 16);
        prop_assert!(phone::is_e164(&n));
        prop_assert_eq!(phone::normalize_phone(&n, None).unwrap(), n.clone());
        let spaced: String = n.chars().flat_map(|c| [c, ' ']).collect();
        prop_assert_eq!(phone::normalize_phone(&spaced, None).unwrap(), n);
    }
}
