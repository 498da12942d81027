//! The one JSON text a call returns to JavaScript: `{"ok":true,"data","meta"}` or
//! `{"ok":false,"error","meta"}`. Written by hand (no serde_json in the wasm);
//! the glue parses it once with `JSON.parse`.

use super::errors::{ErrorKind, Issue};
use super::response::{RateLimit, RawResponse};
use crate::json::{write_json_string, PathSeg};

/// Metadata every result and every error carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// HTTP status of the last attempt, if one answered.
    pub status: Option<u16>,
    pub idempotency_key: Option<String>,
    /// Attempts made (1 when the first one settled it).
    pub attempts: u32,
    pub rate_limit: Option<RateLimit>,
    /// Headers of the last response (names lower-case).
    pub headers: Vec<(String, String)>,
    pub method: &'static str,
    pub url: String,
    pub elapsed_ms: f64,
}

impl Meta {
    pub(crate) fn take_response(&mut self, r: &RawResponse) {
        self.status = Some(r.status);
        self.rate_limit = r.rate_limit();
        self.headers = r.headers.clone();
    }

    fn write(&self, out: &mut String) {
        out.push_str("{\"status\":");
        match self.status {
            Some(s) => push_uint(out, s as u64),
            None => out.push_str("null"),
        }
        out.push_str(",\"idempotencyKey\":");
        push_opt_str(out, self.idempotency_key.as_deref());
        out.push_str(",\"attempts\":");
        push_uint(out, self.attempts as u64);
        out.push_str(",\"rateLimit\":");
        match &self.rate_limit {
            Some(rl) => {
                out.push_str("{\"limit\":");
                push_opt_uint(out, rl.limit);
                out.push_str(",\"remaining\":");
                push_opt_uint(out, rl.remaining);
                out.push_str(",\"reset\":");
                push_opt_uint(out, rl.reset);
                out.push('}');
            }
            None => out.push_str("null"),
        }
        out.push_str(",\"headers\":{");
        for (i, (k, v)) in self.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_json_string(out, k);
            out.push(':');
            write_json_string(out, v);
        }
        out.push_str("},\"method\":");
        write_json_string(out, self.method);
        out.push_str(",\"url\":");
        write_json_string(out, &self.url);
        out.push_str(",\"elapsedMs\":");
        push_uint(out, self.elapsed_ms.max(0.0) as u64);
        out.push('}');
    }
}

/// A failure ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBody {
    pub kind: ErrorKind,
    pub message: String,
    pub detail: String,
    /// The error body as JSON text.
    pub body: Option<String>,
    pub issues: Vec<Issue>,
    pub required_scope: Option<String>,
    pub retry_after_ms: Option<f64>,
}

impl ErrorBody {
    /// A failure with only a kind and a message (transport and local errors).
    pub fn simple(kind: ErrorKind, message: String) -> ErrorBody {
        ErrorBody { kind, detail: message.clone(), message, body: None, issues: Vec::new(), required_scope: None, retry_after_ms: None }
    }
}

/// `{"ok":true,"data":<data>,"meta":{...}}`; `data` must be valid JSON text.
pub fn success(data_json: &str, meta: &Meta) -> String {
    let mut out = String::with_capacity(data_json.len() + 256);
    out.push_str("{\"ok\":true,\"data\":");
    out.push_str(if data_json.trim().is_empty() { "null" } else { data_json });
    out.push_str(",\"meta\":");
    meta.write(&mut out);
    out.push('}');
    out
}

/// `{"ok":false,"error":{...},"meta":{...}}`.
pub fn failure(e: &ErrorBody, meta: &Meta) -> String {
    let mut out = String::with_capacity(512);
    out.push_str("{\"ok\":false,\"error\":{\"kind\":");
    write_json_string(&mut out, e.kind.code());
    out.push_str(",\"message\":");
    write_json_string(&mut out, &e.message);
    out.push_str(",\"detail\":");
    write_json_string(&mut out, &e.detail);
    out.push_str(",\"body\":");
    out.push_str(e.body.as_deref().unwrap_or("null"));
    out.push_str(",\"issues\":[");
    for (i, issue) in e.issues.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"path\":[");
        for (j, seg) in issue.path.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            match seg {
                PathSeg::Key(k) => write_json_string(&mut out, k),
                PathSeg::Index(n) => push_uint(&mut out, *n as u64),
            }
        }
        out.push_str("],\"code\":");
        write_json_string(&mut out, &issue.code);
        out.push_str(",\"message\":");
        write_json_string(&mut out, &issue.message);
        out.push('}');
    }
    out.push_str("],\"requiredScope\":");
    push_opt_str(&mut out, e.required_scope.as_deref());
    out.push_str(",\"retryAfterMs\":");
    push_opt_uint(&mut out, e.retry_after_ms.map(|ms| ms.max(0.0).ceil() as u64));
    out.push_str("},\"meta\":");
    meta.write(&mut out);
    out.push('}');
    out
}

fn push_uint(out: &mut String, n: u64) {
    out.push_str(&n.to_string());
}

fn push_opt_uint(out: &mut String, n: Option<u64>) {
    match n {
        Some(n) => push_uint(out, n),
        None => out.push_str("null"),
    }
}

fn push_opt_str(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => write_json_string(out, s),
        None => out.push_str("null"),
    }
}
