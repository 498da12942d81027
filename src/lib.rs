//! Agoralia Public API v1 client SDK: the plain-Rust core.
//!
//! The core holds typed request builders for every endpoint, response decoding,
//! error classification, retry and pagination policy, and the validators that
//! check a request (above all a campaign's `extraction_schema` and
//! `display_columns`) before it leaves. Nothing here depends on WebAssembly: it
//! is tested with `cargo test` on the host. The `wasm` module (wasm32 only) is a
//! thin binding that converts values and does the `fetch` I/O.

// The release wasm is built for size (opt-level "z"). The few functions that
// run per byte or per lead of a bulk import opt back into speed with
// `#[optimize(speed)]`, a nightly attribute that only the release wasm build
// enables (scripts/build.sh sets `--cfg agoralia_speed` beside the
// RUSTC_BOOTSTRAP it already needs for build-std); elsewhere it is absent.
#![cfg_attr(agoralia_speed, feature(optimize_attribute))]

pub mod calendar;
pub mod client;
pub mod csv;
pub mod decimal;
pub mod json;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
