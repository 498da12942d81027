//! Issues and reports: validation results are data, never panics or throws.

use crate::json::{write_json_string, PathSeg, Spans};

/// How serious an issue is. An **error** is something the server cannot
/// accept or that cannot mean what the user wants; a **warning** is legal but
/// probably a mistake. Only errors make a report invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Blocks the request.
    Error,
    /// Informational; never blocks.
    Warning,
    /// Not a finding: a value that passed the core's shape check, for a host
    /// that can check it exactly (see [`Report::probe`]). Never blocks.
    Probe,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Probe => "probe",
        }
    }
}

/// One finding, addressed by JSON path.
///
/// ```
/// use agoralia::validate::{Issue, Severity};
/// use agoralia::json::PathSeg;
/// let i = Issue::error(vec![PathSeg::from("purpose")], "invalid_enum", "unknown purpose")
///     .with_suggestion("quote_request");
/// assert_eq!(i.severity, Severity::Error);
/// assert_eq!(i.suggestion.as_deref(), Some("quote_request"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Where: keys and array indexes from the validated value's root.
    pub path: Vec<PathSeg>,
    /// Stable machine-readable code (snake_case), documented in docs/validation.md.
    pub code: &'static str,
    /// What is wrong and what would be right, for people.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
    /// A corrected value when one is likely ("did you mean").
    pub suggestion: Option<String>,
}

impl Issue {
    /// A new error.
    pub fn error(path: Vec<PathSeg>, code: &'static str, message: impl Into<String>) -> Issue {
        Issue { path, code, message: message.into(), severity: Severity::Error, suggestion: None }
    }

    /// A new warning.
    pub fn warning(path: Vec<PathSeg>, code: &'static str, message: impl Into<String>) -> Issue {
        Issue { path, code, message: message.into(), severity: Severity::Warning, suggestion: None }
    }

    /// Adds a suggested value.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Issue {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// Adds a suggestion when there is one.
    pub fn with_suggestion_opt(mut self, suggestion: Option<impl Into<String>>) -> Issue {
        self.suggestion = suggestion.map(Into::into);
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Appends this issue as a JSON object; `pos` adds `line`/`column`.
    pub fn write_json(&self, out: &mut String, pos: Option<(usize, usize)>) {
        out.push_str("{\"path\":[");
        for (i, seg) in self.path.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match seg {
                PathSeg::Key(k) => write_json_string(out, k),
                PathSeg::Index(n) => out.push_str(&n.to_string()),
            }
        }
        out.push_str("],\"code\":");
        write_json_string(out, self.code);
        out.push_str(",\"message\":");
        write_json_string(out, &self.message);
        out.push_str(",\"severity\":");
        write_json_string(out, self.severity.as_str());
        if let Some(s) = &self.suggestion {
            out.push_str(",\"suggestion\":");
            write_json_string(out, s);
        }
        if let Some((line, column)) = pos {
            out.push_str(",\"line\":");
            out.push_str(&line.to_string());
            out.push_str(",\"column\":");
            out.push_str(&column.to_string());
        }
        out.push('}');
    }
}

/// Most issues one report holds. A pathological input (say 100 000 bad
/// leads) would otherwise produce megabytes of messages nobody reads; the
/// cap is announced by a final `too_many_issues` warning.
pub const MAX_ISSUES: usize = 1000;

/// The outcome of a validation: every issue found, errors and warnings.
///
/// ```
/// use agoralia::validate::{validate, Report};
/// use agoralia::json::parse;
/// let report = validate("list_params", &parse(r#"{"limit": 500}"#).unwrap());
/// assert!(!report.valid());
/// assert_eq!(report.issues[0].code, "out_of_range");
/// assert!(report.to_json().starts_with(r#"{"valid":false,"issues":[{"path":["limit"]"#));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Issues in the order found (roughly document order), probes among
    /// them ([`Report::probe`]: not findings, for a host to check or drop).
    pub issues: Vec<Issue>,
    /// Once past [`MAX_ISSUES`]: whether an error is listed.
    past_cap: Option<bool>,
}

impl Report {
    /// An empty report.
    pub fn new() -> Report {
        Report::default()
    }

    /// True when no issue is an error (warnings allowed).
    pub fn valid(&self) -> bool {
        !self.issues.iter().any(Issue::is_error)
    }

    /// Adds an issue. Past [`MAX_ISSUES`] issues are dropped, except the
    /// first error when none is listed, so that [`Report::valid`] (and a
    /// look for an error among the issues) stays true to the input.
    pub fn push(&mut self, issue: Issue) {
        if self.issues.len() >= MAX_ISSUES {
            let listed = self.past_cap.get_or_insert_with(|| {
                let listed = self.issues.iter().any(Issue::is_error);
                self.issues.push(Issue::warning(
                    Vec::new(),
                    "too_many_issues",
                    format!("more than {MAX_ISSUES} issues; the rest are not listed"),
                ));
                listed
            });
            if *listed || !issue.is_error() {
                return;
            }
            *listed = true;
        }
        self.issues.push(issue);
    }

    /// Records a value the core checked by its shape only, for a host that
    /// can check it exactly: an issue of severity [`Severity::Probe`] whose
    /// `code` names the check and whose `message` is the value. The JS glue
    /// asks `Intl` about a `"timezone"` and compiles a `"pattern"` with
    /// `RegExp` (flag `u`, as ajv does), turns the probes that fail into
    /// issues and drops the rest (docs/validation.md, "Checks the runtime makes").
    pub fn probe(&mut self, path: Vec<PathSeg>, what: &'static str, value: &str) {
        self.push(Issue { path, code: what, message: value.into(), severity: Severity::Probe, suggestion: None });
    }

    /// Adds an error.
    pub fn error(&mut self, path: Vec<PathSeg>, code: &'static str, message: impl Into<String>) {
        self.push(Issue::error(path, code, message));
    }

    /// Adds a warning.
    pub fn warning(&mut self, path: Vec<PathSeg>, code: &'static str, message: impl Into<String>) {
        self.push(Issue::warning(path, code, message));
    }

    /// Only the errors.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_error())
    }

    /// Moves every issue of `other` into this report.
    pub fn extend(&mut self, other: Report) {
        for i in other.issues {
            self.push(i);
        }
    }

    /// `{"valid": bool, "issues": [...]}` as JSON text.
    pub fn to_json(&self) -> String {
        self.write(None)
    }

    /// Like [`Report::to_json`], with `line` and `column` on each issue,
    /// taken from the spans of the validated text. An issue about an object
    /// key that is itself wrong (an unknown keyword) points at the key.
    pub fn to_json_with_spans(&self, spans: &Spans) -> String {
        self.write(Some(&|issue: &Issue| {
            let p = if KEY_CODES.contains(&issue.code) { spans.locate_key(&issue.path) } else { spans.locate(&issue.path) };
            (p.line, p.column)
        }))
    }

    /// Like [`Report::to_json_with_spans`], with each issue's line and column
    /// given by `position`.
    pub(crate) fn to_json_with_positions(&self, position: &dyn Fn(&Issue) -> (usize, usize)) -> String {
        self.write(Some(position))
    }

    fn write(&self, position: Option<&dyn Fn(&Issue) -> (usize, usize)>) -> String {
        let mut out = String::from("{\"valid\":");
        out.push_str(if self.valid() { "true" } else { "false" });
        out.push_str(",\"issues\":[");
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            issue.write_json(&mut out, position.map(|f| f(issue)));
        }
        out.push_str("]}");
        out
    }
}

/// Codes whose path names a key that is the problem (so editors should mark
/// the key, not its value).
const KEY_CODES: &[&str] = &["unknown_keyword", "unknown_field"];

/// A path while a validator walks a document: a chain borrowed from the
/// document itself, turned into an owned `Vec<PathSeg>` only when an issue
/// is reported. Building a `Vec` (one `String` per key) for every value
/// visited was most of the extraction-schema check's time.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// Where the walk starts (e.g. `["extraction_schema"]`).
    Base(&'a [PathSeg]),
    /// A key under a parent.
    Key(&'a Path<'a>, &'a str),
    /// An array index under a parent.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The child at key `k`.
    pub(crate) fn key(&'a self, k: &'a str) -> Path<'a> {
        Path::Key(self, k)
    }

    /// The child at index `i`.
    pub(crate) fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    /// The owned path, for an issue.
    pub(crate) fn to_vec(&self) -> Vec<PathSeg> {
        let (parent, seg) = match *self {
            Path::Base(b) => return b.to_vec(),
            Path::Key(p, k) => (p, PathSeg::from(k)),
            Path::Index(p, i) => (p, PathSeg::Index(i)),
        };
        let mut v = parent.to_vec();
        v.push(seg);
        v
    }
}

/// Builds the path of a child: `path` plus one step.
pub(crate) fn at(path: &[PathSeg], seg: impl Into<PathSeg>) -> Vec<PathSeg> {
    let mut p = Vec::with_capacity(path.len() + 1);
    p.extend_from_slice(path);
    p.push(seg.into());
    p
}
