//! Agoralia Public API v1 client SDK: the plain-Rust core.
//!
//! The core holds typed request builders for every endpoint, response decoding,
//! error classification, retry and pagination policy, and the validators that
//! check a request (above all a campaign's `extraction_schema` and
//! `display_columns`) before it leaves. Nothing here depends on WebAssembly: it
//! is tested with `cargo test` on the host. The `wasm` module (wasm32 only) is a
//! thin binding that converts values and does the `fetch` I/O.

pub mod calendar;
pub mod client;
pub mod csv;
pub mod json;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
