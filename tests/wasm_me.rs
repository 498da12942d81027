//! The thinnest path through every layer: GET /me from the Rust core, through
//! the wasm binding's `fetch`, against a running sandbox over HTTP. Runs in Node
//! and (with WASM_BINDGEN_USE_BROWSER=1) in headless Chromium; scripts/test.sh
//! starts the sandbox and passes its URL at build time.
#![cfg(all(target_arch = "wasm32", feature = "client"))]

use agoralia::client::SpecFields;
use agoralia::wasm::WasmClient;
use wasm_bindgen_test::wasm_bindgen_test;

const SANDBOX: Option<&str> = option_env!("AGORALIA_SANDBOX_URL");
const KEY: &str = "ago_SandboxAllScopes0000000000000001";

fn api_url() -> String {
    format!("{}/api/v1", SANDBOX.expect("AGORALIA_SANDBOX_URL must be set when building the wasm tests"))
}

#[wasm_bindgen_test]
async fn get_me_through_the_wasm_binding() {
    let client = WasmClient::new(&api_url(), Some(KEY.into()), None, None).expect("valid config");
    let text = client.run(SpecFields { op: "me", ..SpecFields::default() }, None).await;
    let value = agoralia::json::parse(&text).expect("envelope is JSON");
    let object = value.as_object().expect("envelope is an object");
    assert_eq!(object.get("ok").and_then(|v| v.as_bool()), Some(true));
    let meta = object.get("meta").expect("meta");
    assert_eq!(meta.get("status").and_then(|v| v.as_i64()), Some(200));
    let me = object.get("data").and_then(|v| v.as_object()).expect("me is an object");
    assert_eq!(me.get("workspace_name").and_then(|v| v.as_str()), Some("Sandbox Workspace"));
}

#[wasm_bindgen_test]
fn malformed_key_is_refused_before_any_request() {
    assert!(WasmClient::new(&api_url(), Some("ago_short".into()), None, None).is_err());
}
