//! A small, dependency-free JSON module for the validation core.
//!
//! Why not serde_json: in the wasm build it costs more than half of our size
//! goal (bench/RESULTS.md, "Measurements behind the code"). Values cross the JS/wasm boundary as JSON *text*
//! (one crossing per call), so the core only needs to parse text into a
//! [`Value`], look things up, and write JSON back out.
//!
//! - [`parse`]: strict RFC 8259, with a hard nesting limit ([`MAX_DEPTH`]) so
//!   hostile input yields a [`ParseError`] instead of a stack overflow.
//! - [`parse_with_spans`]: the same, plus a [`Spans`] side table that maps a
//!   JSON path to the line and column where that value starts (for editors).
//! - [`Value::to_json`] and [`write_json_string`]: the writer.
//!
//! ```
//! use agoralia::json::{parse, Value};
//! let v = parse(r#"{"limit": 20, "tags": ["a", "b"]}"#).unwrap();
//! assert_eq!(v.get("limit").and_then(Value::as_i64), Some(20));
//! assert_eq!(v.to_json(), r#"{"limit":20,"tags":["a","b"]}"#);
//! ```

mod number;
mod parse;
mod path;
mod value;
mod write;

pub use number::Number;
pub(crate) use number::parse_f64;
pub use parse::{parse, parse_with_spans, ParseError, Position, Spans, MAX_DEPTH};
pub(crate) use parse::Scanner;
pub use path::{path_to_dotted, PathSeg};
pub use value::{Object, Value};
pub use write::write_json_string;
