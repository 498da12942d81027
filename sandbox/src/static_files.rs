//! Static files: `--www DIR` at `/` (the demo page) and `--pkg DIR` at `/pkg/`
//! (the built npm package), so the demo runs from one process on one port.
//! Module scripts and WebAssembly need exact MIME types (browsers refuse
//! `application/octet-stream` for `instantiateStreaming` and module scripts).

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

use crate::cli::Cli;
use crate::error::detail;
use crate::state::App;

pub fn mount(router: Router<App>, cli: &Cli) -> Router<App> {
    let mut r = router;
    if let Some(pkg) = &cli.pkg {
        r = r.nest_service("/pkg", ServeDir::new(pkg));
    }
    match &cli.www {
        Some(www) => r.fallback_service(ServeDir::new(www)),
        None => r.fallback(|| async { detail(axum::http::StatusCode::NOT_FOUND, "Not Found") }),
    }
}

/// Sets the content type of `.wasm`, `.js`, `.mjs`, `.cjs` files whatever the guesser says.
pub async fn fix_mime(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_ascii_lowercase();
    let mut resp = next.run(req).await;
    let ct = if path.ends_with(".wasm") {
        Some("application/wasm")
    } else if path.ends_with(".js") || path.ends_with(".mjs") || path.ends_with(".cjs") {
        Some("text/javascript; charset=utf-8")
    } else {
        None
    };
    if let (Some(ct), true) = (ct, resp.status().is_success() && !path.starts_with("/api/")) {
        resp.headers_mut().insert("content-type", HeaderValue::from_static(ct));
    }
    resp
}
