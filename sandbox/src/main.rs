//! agoralia-sandbox: a local, stateful stand-in for the Agoralia Public API v1
//! (see sandbox/README.md). Unlike a mock that answers from a schema, it keeps
//! state and enforces the contract's rules: keys, scopes, validation, idempotency,
//! rate limits; and it can inject faults on demand for client tests.

mod auth;
mod cli;
mod error;
mod faults;
mod idempotency;
mod openapi;
mod pipeline;
mod rate_limit;
mod request_log;
mod routes;
mod seed;
mod server;
mod state;
mod static_files;
mod validation;
mod yaml_json;

use std::io::Write;

use axum::http::{HeaderName, Method};
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

use crate::state::App;

fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            HeaderName::from_static("x-api-key"),
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("content-type"),
        ])
        .expose_headers([
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
            HeaderName::from_static("retry-after"),
            HeaderName::from_static("idempotent-replayed"),
        ])
}

/// The whole application: API routes, optional fault routes and static files,
/// wrapped by the /api/v1 pipeline and, outermost, CORS (so preflights need no key
/// and every answer, errors and faults included, carries the CORS headers).
pub fn app(state: App) -> Router {
    let mut r = routes::api();
    if state.0.cli.faults {
        r = r.merge(faults::routes());
    }
    let r = static_files::mount(r, &state.0.cli);
    r.layer(axum::middleware::from_fn_with_state(state.clone(), pipeline::pipeline))
        .layer(axum::middleware::from_fn(static_files::fix_mime))
        .layer(cors())
        .with_state(state)
}

fn main() {
    let cli = match cli::parse(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    if let Err(e) = openapi::load() {
        eprintln!("agoralia-sandbox: openapi.yaml is invalid: {e}");
        std::process::exit(1);
    }
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("agoralia-sandbox: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    rt.block_on(async move {
        let listener = match tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("agoralia-sandbox: cannot listen on {}:{}: {e}", cli.host, cli.port);
                std::process::exit(1);
            }
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("agoralia-sandbox: {e}");
                std::process::exit(1);
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "agoralia-sandbox listening on http://{addr}");
        let _ = out.flush();
        for k in auth::KEYS.iter() {
            let _ = writeln!(out, "key {} {}", k.name, k.key);
            let _ = out.flush();
        }
        drop(out);
        eprintln!(
            "agoralia-sandbox: rpm {} per key, {} per IP; faults {}; www {:?}; pkg {:?}",
            cli.rpm, cli.ip_rpm, if cli.faults { "on" } else { "off" }, cli.www, cli.pkg
        );
        let state = App::new(cli);
        server::serve(listener, app(state)).await;
    });
}
