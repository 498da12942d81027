//! Validation bindings: JSON text in, JSON text out, one crossing per call.
//!
//! Conversion only: every rule lives in `crate::validate` / `crate::csv`,
//! tested on the host. Strings cross as UTF-8 copies, which measured
//! faster than serde-wasm-bindgen and keeps serde out of the wasm.
//! Large inputs are written by the glue straight into wasm memory (see
//! [`input_view`]) with `TextEncoder.encodeInto`: wasm-bindgen's own `&str`
//! passing copies ASCII one char at a time in JS, a large share of
//! validating a big leads file, and its `&[u8]` passing needs the bytes in a
//! JS buffer first, then copies them.

use crate::csv::{parse_leads_csv_bytes_to_json, CsvOptions, LeadsCsvStream};
use crate::json::write_json_string;
use crate::validate::{phone, validate_text, validate_text_to_json_with_positions, Issue, Report};
use std::cell::UnsafeCell;
use wasm_bindgen::prelude::*;

/// The input the glue writes before a call: kept between calls (zeroed once,
/// when it grows) unless it grew past `KEEP_INPUT`. A plain static rather
/// than a `thread_local!` (whose accessors were 280 bytes of wasm): the wasm
/// has one thread, and only `input_view` and `with_input`, which never
/// overlap, touch it.
struct Input(UnsafeCell<Vec<u8>>);
// SAFETY: wasm32 without threads.
unsafe impl Sync for Input {}
static INPUT: Input = Input(UnsafeCell::new(Vec::new()));

/// Takes the input buffer out (leaving an empty one); `put_input` returns it.
fn take_input() -> Vec<u8> {
    // SAFETY: one thread, and no reference into INPUT outlives these calls.
    std::mem::take(unsafe { &mut *INPUT.0.get() })
}

fn put_input(buf: Vec<u8>) {
    // SAFETY: as in `take_input`.
    unsafe { *INPUT.0.get() = buf }
}

const KEEP_INPUT: usize = 4 << 20;

// Input limits. A wasm32 heap ends at 4 GiB and an allocation that fails
// there traps, leaving the module unusable, so input past these is refused
// with a `too_large` issue instead. A parsed JSON tree can take 16 times its
// text (an array of single digits); CSV is streamed, and its items' JSON is
// about as long as the file. Both are far above any request the API takes.
const MAX_JSON_INPUT: usize = 32 << 20;
const MAX_CSV_INPUT: usize = 128 << 20;
/// The largest input buffer handed out: a CSV file's worth, with the room the
/// glue asks for on top (an eighth, for non-ASCII text).
const MAX_INPUT_VIEW: usize = MAX_CSV_INPUT + (MAX_CSV_INPUT >> 3) + 64;

/// A `Uint8Array` over `len` bytes of wasm memory for the glue to write the
/// next call's input into (text with `encodeInto`, or a copy of bytes). It is
/// valid until the next call into the wasm, which may move or grow memory:
/// the glue fills it at once, then passes how many bytes it wrote. Shorter
/// than `len` (empty) when that much is past the limits or cannot be had:
/// the glue then passes a length the export refuses as `too_large`.
#[wasm_bindgen(js_name = input_view)]
pub fn input_view(len: usize) -> js_sys::Uint8Array {
    let mut buf = take_input();
    if buf.len() < len && len <= MAX_INPUT_VIEW {
        // Rounded up to a power of two (the allocator's block size anyway):
        // a form's text grows a byte per keystroke, and each growth would
        // otherwise be a new block, zeroed.
        let len = len.checked_next_power_of_two().unwrap_or(len).min(MAX_INPUT_VIEW);
        buf = Vec::new(); // the old block goes back first
        // Not `vec![0; len]`, which traps when memory cannot grow: the
        // allocator's null is checked here (`len` > 0: it exceeds `buf.len()`).
        // `try_reserve_exact` did the same for 200 more bytes of wasm.
        if let Ok(layout) = std::alloc::Layout::array::<u8>(len) {
            // SAFETY: a non-zero size. On success the block holds `len` zeroed
            // bytes, allocated with the layout a `Vec<u8>` of capacity `len` has.
            let p = unsafe { std::alloc::alloc_zeroed(layout) };
            if !p.is_null() {
                buf = unsafe { Vec::from_raw_parts(p, len, len) };
            }
        }
    }
    let len = len.min(buf.len());
    // SAFETY: `buf` holds at least `len` initialised bytes, and its heap block
    // stays where it is, untouched by Rust, until the glue, having written
    // through the view, calls an export that reads it (see `with_input`).
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(buf.as_mut_ptr(), len) };
    put_input(buf);
    view
}

// The answers for input past the limits, as fixed text: the refusal costs
// no code (the budget test has less than a kilobyte to spare). The messages
// name the limits above.
const _: () = assert!(MAX_JSON_INPUT == 32 << 20 && MAX_CSV_INPUT == 128 << 20);
const JSON_TOO_LARGE: &str = r#"{"valid":false,"issues":[{"path":[],"code":"too_large","message":"the JSON text is too large to check here (more than 32 MB): split it","severity":"error"}]}"#;
const JSON_TOO_LARGE_AT: &str = r#"{"valid":false,"issues":[{"path":[],"code":"too_large","message":"the JSON text is too large to check here (more than 32 MB): split it","severity":"error","line":1,"column":1}]}"#;
const CSV_TOO_LARGE: &str = r#"{"issues":[{"path":[],"code":"too_large","message":"the file is too large to read here (more than 128 MB): split it","severity":"error"}],"rowCount":0,"valid":false}"#;

/// Runs `f` on the first `len` bytes the glue wrote through [`input_view`].
fn with_input<R>(len: usize, f: impl FnOnce(&[u8]) -> R) -> R {
    let buf = take_input();
    let out = f(&buf[..len.min(buf.len())]);
    if buf.len() <= KEEP_INPUT {
        put_input(buf);
    }
    out
}

/// `{"valid": bool, "issues": [...]}` for the JSON text (UTF-8, `len` bytes
/// written through [`input_view`]) of the given kind; with `positions`, every
/// issue has its `line` and `column` (for editors). One export for both: each
/// export costs its own shim.
#[wasm_bindgen(js_name = validate_json)]
pub fn validate_json(kind: &str, len: usize, positions: bool) -> String {
    if len > MAX_JSON_INPUT {
        return (if positions { JSON_TOO_LARGE_AT } else { JSON_TOO_LARGE }).to_owned();
    }
    with_input(len, |json| {
        // The glue encodes with TextEncoder, so this holds; other bytes are refused, not trusted.
        let Ok(text) = std::str::from_utf8(json) else {
            let mut r = Report::new();
            r.error(Vec::new(), "invalid_json", "not valid JSON: the text is not UTF-8");
            return r.to_json();
        };
        if positions {
            validate_text_to_json_with_positions(kind, text)
        } else {
            validate_text(kind, text).to_json()
        }
    })
}

/// `{"ok": true, "value": "+39..."}` or `{"ok": false, "issue": {...}}`.
#[wasm_bindgen(js_name = normalize_phone)]
pub fn normalize_phone(input: &str, default_cc: Option<String>) -> String {
    match phone::normalize_phone(input, default_cc.as_deref()) {
        Ok(v) => {
            let mut out = String::from("{\"ok\":true,\"value\":");
            write_json_string(&mut out, &v);
            out.push('}');
            out
        }
        Err(e) => {
            let mut out = String::from("{\"ok\":false,\"issue\":");
            Issue::error(Vec::new(), e.code, e.message).write_json(&mut out, None);
            out.push('}');
            out
        }
    }
}

/// The line nearest to the first among the others, by the core's "did you
/// mean" rule, "" when none is close: for the glue's time zone check, which
/// suggests from the zones `Intl` lists. (One string, and collected first:
/// the core's one instance of `suggest` serves, where a `split` iterator made
/// a second, and a second string argument cost its own glue.)
#[wasm_bindgen]
pub fn suggest(lines: &str) -> String {
    let lines: Vec<&str> = lines.split('\n').collect();
    crate::validate::suggest::suggest(lines[0], lines[1..].iter().copied()).unwrap_or_default().into()
}

/// Leads from CSV bytes (`len` of them, written through [`input_view`];
/// UTF-8, or Windows-1252 with a warning): `{"items", "issues", "rowCount",
/// "valid"}`, or without `items` only the check. CSV text from JS comes here
/// too, encoded by the glue.
#[wasm_bindgen(js_name = parse_leads_csv_bytes)]
pub fn parse_leads_csv_bytes(len: usize, options_json: &str, items: bool) -> String {
    if len > MAX_CSV_INPUT {
        let mut out = String::from(if items { "{\"items\":[]," } else { "{" });
        out.push_str(&CSV_TOO_LARGE[1..]);
        return out;
    }
    with_input(len, |bytes| parse_leads_csv_bytes_to_json(bytes, &CsvOptions::from_json(options_json), items))
}

/// A leads CSV read as it arrives ([`LeadsCsvStream`]): each `push` takes
/// `len` bytes written through [`input_view`] and answers the chunk as JSON
/// text (`{"items", "rejects", "rejected", "fatal", "leads", "issues", "rowCount", "valid"}`).
/// The 128 MB limit of a whole file does not apply: memory follows the
/// longest record. The glue frees it when the stream ends.
#[wasm_bindgen(js_name = CsvStream)]
pub struct CsvStream {
    stream: LeadsCsvStream,
    /// Request bodies read and not yet taken (a stream made by `batched`),
    /// newest first so that `pop` takes the oldest (a Vec: VecDeque's code costs wasm).
    batches: Vec<String>,
}

#[wasm_bindgen(js_class = CsvStream)]
impl CsvStream {
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> CsvStream {
        CsvStream { stream: LeadsCsvStream::new(CsvOptions::from_json(options_json)), batches: Vec::new() }
    }

    /// A stream whose leads come out as `POST /leads:upsert` bodies of
    /// `size` leads for `campaign_id` (a positive safe integer, checked by the glue), taken with `take_batch`.
    pub fn batched(options_json: &str, campaign_id: f64, size: usize) -> CsvStream {
        let stream = LeadsCsvStream::new(CsvOptions::from_json(options_json)).with_batches(campaign_id as u64, size);
        CsvStream { stream, batches: Vec::new() }
    }

    pub fn push(&mut self, len: usize) -> String {
        let chunk = with_input(len, |bytes| self.stream.push(bytes));
        self.answer(chunk)
    }

    pub fn finish(&mut self) -> String {
        let chunk = self.stream.finish();
        self.answer(chunk)
    }

    /// The next request body read, oldest first.
    pub fn take_batch(&mut self) -> Option<String> {
        self.batches.pop()
    }

    fn answer(&mut self, mut chunk: crate::csv::StreamChunk) -> String {
        let json = chunk.to_json();
        chunk.batches.reverse();
        chunk.batches.append(&mut self.batches);
        self.batches = chunk.batches;
        json
    }
}
