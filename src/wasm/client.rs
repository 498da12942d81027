//! The client binding: turns JS options into a core `ClientConfig`, sends what
//! the core builds with `fetch`, and returns the answer as one JSON envelope
//! string (one boundary crossing per call).

use std::rc::Rc;

use gloo_net::http::RequestBuilder;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::client::{classify, ClientConfig, Endpoint, HttpRequest, Outcome};
use crate::json::write_json_string;

/// A configured client. Cheap to share: calls run concurrently on one instance.
#[wasm_bindgen(js_name = WasmClient)]
pub struct WasmClient {
    inner: Rc<ClientConfig>,
}

#[wasm_bindgen(js_class = WasmClient)]
impl WasmClient {
    /// Refuses a malformed key or base URL before any request.
    #[wasm_bindgen(constructor)]
    pub fn new(base_url: &str, api_key: Option<String>) -> Result<WasmClient, JsError> {
        let config = ClientConfig::new(base_url, api_key.as_deref()).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(WasmClient { inner: Rc::new(config) })
    }

    /// Sends one call; resolves to a JSON envelope `{"ok", "status", "body"}`.
    pub fn send(&self, endpoint: &str) -> Result<js_sys::Promise, JsError> {
        let endpoint = match endpoint {
            "me" => Endpoint::Me,
            other => return Err(JsError::new(&format!("unknown endpoint {other:?}"))),
        };
        let request = self.inner.build(&endpoint, None, None);
        Ok(future_to_promise(async move {
            let (status, body) = fetch(&request).await?;
            let mut out = String::with_capacity(body.len() + 48);
            out.push_str(r#"{"ok":"#);
            out.push_str(if classify(status) == Outcome::Success { "true" } else { "false" });
            out.push_str(r#","status":"#);
            out.push_str(&status.to_string());
            out.push_str(r#","body":"#);
            write_json_string(&mut out, &body);
            out.push('}');
            Ok(JsValue::from_str(&out))
        }))
    }
}

async fn fetch(request: &HttpRequest) -> Result<(u16, String), JsValue> {
    let mut builder = RequestBuilder::new(&request.url).method(request.method.parse().map_err(|_| JsError::new("bad method"))?);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let built = match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|e| JsError::new(&e.to_string()))?;
    let response = built.send().await.map_err(|e| JsError::new(&e.to_string()))?;
    let text = response.text().await.map_err(|e| JsError::new(&e.to_string()))?;
    Ok((response.status(), text))
}
