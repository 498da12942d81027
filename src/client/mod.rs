//! The HTTP side of the SDK as plain data: client configuration, one typed
//! request builder per endpoint, and response classification.
//!
//! Nothing here performs I/O. The wasm binding (`crate::wasm`) asks this module
//! what to send, sends it with `fetch`, and hands the answer back here to be
//! classified, so every rule is testable on the host.
//!
//! ```
//! use agoralia::client::{ClientConfig, Endpoint};
//! let config = ClientConfig::new("http://127.0.0.1:8787/api/v1", Some("ago_SandboxAllScopes0000000000000001")).unwrap();
//! let request = config.build(&Endpoint::Me, None, None);
//! assert_eq!(request.url, "http://127.0.0.1:8787/api/v1/me");
//! assert_eq!(request.method, "GET");
//! ```

mod config;
mod endpoint;
mod request;
mod response;

pub use config::{is_well_formed_key, ClientConfig, ConfigError, DEFAULT_BASE_URL};
pub use endpoint::Endpoint;
pub use request::HttpRequest;
pub use response::{classify, Outcome};
