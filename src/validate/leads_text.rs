//! Leads upsert bodies validated straight from their JSON text.
//!
//! Why: a bulk import validates 10 000 leads, and building the whole tree
//! (an object, its members and its `data` object per lead) then dropping it
//! cost most of the time. This reads the text once with a [`Scanner`], keeps
//! only each lead's four fields (strings borrowed from the text, containers
//! checked but not built) and runs the same [`check_item`] the tree check
//! runs, lead by lead.
//!
//! Only the common shape is streamed: an object with `campaign_id` and one
//! `items` array of objects with known fields. Anything else (a syntax
//! error, an unknown field, a repeated `items`, an empty array) returns
//! `None`, and the caller validates the parsed tree instead, so the report
//! is always the one [`super::leads::check`] gives (a property test holds
//! the two to the same output).

use super::issue::{Issue, Report};
use super::leads::{check_campaign_id, check_item, items_shape_issue, too_large_issue, ItemFields, ITEMS_WHAT};
use super::fields::required;
use super::FirstSeen;
use crate::json::{Object, PathSeg, Scanner, Spans, Value};

/// Where the values an issue can point at start (byte offsets).
struct Offsets {
    root: usize,
    campaign_id: Option<usize>,
    items: Option<usize>,
    /// For each lead with an issue: its index, start, and its fields' starts
    /// (external_id, phone, name, data).
    leads: Vec<(usize, usize, [Option<usize>; 4])>,
}

/// The report for leads text, or `None` when it is not the common shape.
pub(crate) fn check(text: &str) -> Option<Report> {
    scan(text).map(|(report, _)| report)
}

/// The report as JSON text with each issue's line and column, or `None`.
pub(crate) fn check_to_json_with_positions(text: &str) -> Option<String> {
    let (report, offsets) = scan(text)?;
    let spans = Spans::for_text(text);
    Some(report.to_json_with_positions(&|issue: &Issue| {
        let p = spans.position(offsets.locate(&issue.path));
        (p.line, p.column)
    }))
}

impl Offsets {
    /// Where the value at `path` starts, or its nearest ancestor that exists
    /// (as [`Spans::locate`] answers for the parsed tree).
    fn locate(&self, path: &[PathSeg]) -> usize {
        let field = |k: &str| ["external_id", "phone", "name", "data"].iter().position(|f| *f == k);
        match path {
            [PathSeg::Key(k)] if k == "campaign_id" => self.campaign_id.unwrap_or(self.root),
            [PathSeg::Key(k), rest @ ..] if k == "items" => {
                let Some(items) = self.items else { return self.root };
                let Some(PathSeg::Index(i)) = rest.first() else { return items };
                let Ok(n) = self.leads.binary_search_by_key(i, |l| l.0) else { return items };
                let (_, start, fields) = self.leads[n];
                match rest.get(1) {
                    Some(PathSeg::Key(k)) => field(k).and_then(|f| fields[f]).unwrap_or(start),
                    _ => start,
                }
            }
            _ => self.root,
        }
    }
}

fn scan(text: &str) -> Option<(Report, Offsets)> {
    let mut s = Scanner::new(text)?;
    let mut offsets = Offsets { root: s.pos(), campaign_id: None, items: None, leads: Vec::new() };
    if !s.open(b'{')? {
        return None; // empty: the tree check words it
    }
    let mut campaign_id = None;
    // The `items` value when it is not an array, else the leads' count and issues.
    let mut items_value = None;
    let mut leads: Option<(usize, Report)> = None;
    loop {
        let key = s.key()?;
        let at = s.value_start()?;
        match &*key {
            "campaign_id" => {
                campaign_id = Some(s.shallow()?);
                offsets.campaign_id = Some(at);
            }
            // A repeated `items`: the last one counts, and its issues would
            // follow the first one's; the tree check sorts that out.
            "items" if offsets.items.is_some() => return None,
            "items" => {
                offsets.items = Some(at);
                if s.peek()? == b'[' {
                    leads = Some(scan_leads(&mut s, &mut offsets.leads)?);
                    items_value = Some(Value::Array(Vec::new()));
                } else {
                    items_value = Some(s.shallow()?);
                }
            }
            _ => return None,
        }
        if !s.more(b'}')? {
            break;
        }
    }
    if !s.at_end() {
        return None;
    }
    // The same checks, in the same order, as `leads::check` on the tree.
    let mut root = Object::new();
    if let Some(c) = campaign_id {
        root.push("campaign_id", c);
    }
    if let Some(v) = items_value {
        root.push("items", v);
    }
    let mut report = Report::new();
    check_campaign_id(&root, &mut report);
    if let Some(items) = required(&root, "items", &[], ITEMS_WHAT, &mut report) {
        match leads {
            Some((count, lead_issues)) => {
                if let Some(i) = too_large_issue(count) {
                    report.push(i);
                }
                report.extend(lead_issues);
            }
            None => {
                if let Some(i) = items_shape_issue(items) {
                    report.push(i);
                }
            }
        }
    }
    Some((report, offsets))
}

/// Reads the `items` array lead by lead; returns the count and the leads' issues.
#[cfg_attr(agoralia_speed, optimize(speed))]
fn scan_leads<'a>(s: &mut Scanner<'a>, offsets: &mut Vec<(usize, usize, [Option<usize>; 4])>) -> Option<(usize, Report)> {
    if !s.open(b'[')? {
        return None; // empty: the tree check words it
    }
    let mut report = Report::new();
    let mut seen = FirstSeen::new();
    let mut i = 0;
    loop {
        let start = s.value_start()?;
        let mut fields: [Option<Value<'a>>; 4] = [None, None, None, None];
        let mut at = [None; 4];
        if s.open(b'{')? {
            loop {
                let key = s.key()?;
                let f = match &*key {
                    "external_id" => 0,
                    "phone" => 1,
                    "name" => 2,
                    "data" => 3,
                    _ => return None,
                };
                // A repeated key: the last one counts, as in the tree.
                at[f] = Some(s.value_start()?);
                fields[f] = Some(s.shallow()?);
                if !s.more(b'}')? {
                    break;
                }
            }
        }
        let before = report.issues.len();
        let [external_id, phone, name, data] = &fields;
        let item = ItemFields { external_id: external_id.as_ref(), phone: phone.as_ref(), name: name.as_ref(), data: data.as_ref() };
        check_item(i, &item, &mut seen, &mut report);
        if report.issues.len() != before {
            offsets.push((i, start, at));
        }
        i += 1;
        if !s.more(b']')? {
            break;
        }
    }
    Some((i, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, parse_with_spans};
    use crate::validate::validate;
    use proptest::prelude::*;

    /// What the tree check says: the report and its positioned JSON.
    fn tree(text: &str) -> Option<(Report, String)> {
        let (v, spans) = parse_with_spans(text).ok()?;
        let report = validate("leads", &v);
        let json = report.to_json_with_spans(&spans);
        Some((report, json))
    }

    fn same_as_tree(text: &str) -> Result<bool, TestCaseError> {
        let streamed = check(text);
        let Some(report) = streamed else { return Ok(false) };
        let (want, want_json) = tree(text).ok_or_else(|| TestCaseError::fail(format!("streamed text the parser refuses: {text}")))?;
        prop_assert_eq!(&report, &want, "{}", text);
        prop_assert_eq!(check_to_json_with_positions(text).unwrap(), want_json, "{}", text);
        Ok(true)
    }

    fn value() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            r#""a""#, r#""b""#, r#""a""#, r#"" ""#, r#""""#, r#""\u0061""#, r#""x\"y""#, r#""+393401234567""#,
            r#""+39 340 123 4567""#, r#""abc""#, r#""+12""#, "1", "-2", "0", "1.5", "1e2", "null", "true", "false",
            "{}", "[]", r#"{"k":[1,{"z":null}],"e":"é"}"#, "[1,[2,[3]]]", r#""12""#, r#""😀""#,
        ])
        .prop_map(str::to_string)
    }

    fn lead() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec!["external_id", "phone", "name", "data", "external_id", "phone", "extra"]);
        prop::collection::vec((key, value()), 0..5).prop_map(|m| {
            let members: Vec<String> = m.into_iter().map(|(k, v)| format!("\"{k}\" :{v}")).collect();
            format!("{{ {} }}", members.join(",\n "))
        })
    }

    fn body() -> impl Strategy<Value = String> {
        let root_key = prop::sample::select(vec!["campaign_id", "items", "items", "campaign_id", "other"]);
        let items = prop_oneof![
            3 => prop::collection::vec(lead(), 0..8).prop_map(|l| format!("[\n  {}\n]", l.join(",\n  "))),
            1 => value(),
        ];
        prop::collection::vec((root_key, value(), items), 0..4).prop_map(|m| {
            let members: Vec<String> =
                m.into_iter().map(|(k, v, items)| if k == "items" { format!("\"items\": {items}") } else { format!("\"{k}\": {v}") }).collect();
            format!("{{{}}}", members.join(", "))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        #[test]
        fn streamed_report_is_the_tree_report(text in body()) {
            same_as_tree(&text)?;
        }

        /// Broken text is never streamed: the parser's error must be reported.
        #[test]
        fn broken_text_falls_back(text in body(), cut in any::<prop::sample::Index>(), junk in prop::sample::select(vec!["", ",", "}", "]", "\"", "x", "{", "[", "\\"])) {
            let mut i = cut.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            let (head, tail) = text.split_at(i);
            let mut rest = tail.chars();
            rest.next();
            let broken = format!("{head}{junk}{}", rest.as_str());
            if parse(&broken).is_err() {
                prop_assert!(check(&broken).is_none(), "{}", broken);
                prop_assert!(check_to_json_with_positions(&broken).is_none());
            } else {
                same_as_tree(&broken)?;
            }
        }
    }

    #[test]
    fn common_shapes_are_streamed() {
        let t = r#"{"campaign_id": 5, "items": [{"external_id": "a", "phone": "+39 340 123 4567", "data": {"x": [1]}}, {"external_id": "a", "phone": 3}]}"#;
        assert!(same_as_tree(t).unwrap());
        assert!(same_as_tree(r#"{"items": [{"name": "x"}], "campaign_id": "7"}"#).unwrap());
    }

    #[test]
    fn too_large_and_too_many_issues_match_the_tree() {
        // 1100 leads with two errors each: `too_large` first, then the issue cap.
        let cases = [(1100, r#"{"external_id":"same","phone":"x"}"#, 1001), (999, r#"{"phone":"+393401234567","external_id":"d"}"#, 998)];
        for (n, lead, issues) in cases {
            let t = format!(r#"{{"campaign_id":1,"items":[{}]}}"#, vec![lead; n].join(","));
            assert!(same_as_tree(&t).unwrap());
            let r = check(&t).unwrap();
            assert_eq!(r.issues.len(), issues);
        }
        let r = check(&format!(r#"{{"campaign_id":1,"items":[{}]}}"#, vec![cases[0].1; 1100].join(","))).unwrap();
        assert_eq!((r.issues[0].code, r.issues[1000].code), ("too_large", "too_many_issues"));
    }
}
