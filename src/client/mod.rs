//! The HTTP side of the SDK as plain data: client configuration, one typed
//! request per endpoint, the retry, throttle and pagination rules, response
//! and error decoding, and the [`Call`] state machine that strings them together.
//!
//! Nothing here performs I/O. The wasm binding (`crate::wasm`) tells a [`Call`]
//! what happened ([`Event`]), sleeps, sends or reads as its [`Step`] says, and
//! reports back, so every rule is testable on the host.
//!
//! ```
//! use agoralia::client::{ClientConfig, Endpoint};
//! let config = ClientConfig::new("http://127.0.0.1:8787/api/v1", Some("ago_SandboxAllScopes0000000000000001")).unwrap();
//! let request = config.build(&Endpoint::Me, None, None);
//! assert_eq!(request.url, "http://127.0.0.1:8787/api/v1/me");
//! assert_eq!(request.method, "GET");
//! ```

mod call;
mod config;
mod endpoint;
mod envelope;
mod errors;
mod idempotency;
pub mod models;
mod pagination;
mod request;
mod response;
mod retry;
mod throttle;

pub use call::{envelope_for_refusal, Awaiting, Call, CallSpec, Event, Now, Retry, RetryReason, SpecFields, Step, TransportFailure};
pub use config::{is_well_formed_key, ClientConfig, ClientOptions, ConfigError, Given, DEFAULT_BASE_URL, MAX_RETRIES_LIMIT};
pub use endpoint::{path_id_problem, Endpoint};
pub use envelope::{ErrorBody, Meta};
pub use errors::{ApiFailure, ErrorKind, Issue};
pub use idempotency::{check_idempotency_key, MAX_KEY_LEN};
pub use pagination::{ListQuery, ListQueryError, MAX_PAGE_SIZE};
pub use request::HttpRequest;
pub use response::{RateLimit, RawResponse};
pub use retry::{is_retryable_status, server_wait_ms, Decision, Failure, RetryPolicy, StopReason};
pub use throttle::Throttle;

/// Byte offset of the first `needle` in `hay`. A plain scan: `str::find` with a
/// `&str` pattern brings in core's Two-Way searcher, kilobytes of wasm, for the
/// three short, fixed needles the client looks for.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}
