//! The client binding in wasm (Node, and headless Chromium with
//! WASM_BINDGEN_USE_BROWSER=1) against a running sandbox: the envelope of a
//! success, of an API error, of a refusal, and of a custom fetch gone wrong.
//! scripts/test.sh starts the sandbox and passes its URL at build time.
#![cfg(all(target_arch = "wasm32", feature = "client"))]

use agoralia::client::SpecFields;
use agoralia::json::{parse, Value};
use agoralia::wasm::WasmClient;
use wasm_bindgen_test::wasm_bindgen_test;

const SANDBOX: Option<&str> = option_env!("AGORALIA_SANDBOX_URL");
const KEY: &str = "ago_SandboxAllScopes0000000000000001";

fn api_url() -> String {
    format!("{}/api/v1", SANDBOX.expect("AGORALIA_SANDBOX_URL must be set when building the wasm tests"))
}

async fn call(client: &WasmClient, spec: SpecFields<'_>, body: Option<&str>) -> Value<'static> {
    let out = client.run(spec, body.map(String::from)).await;
    parse(&out).unwrap_or_else(|e| panic!("envelope is not JSON: {e:?}: {out:?}")).into_owned()
}

fn op(op: &str) -> SpecFields<'_> {
    SpecFields { op, ..SpecFields::default() }
}

fn text<'a>(v: &'a Value<'a>, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k)).and_then(Value::as_str)
}

#[wasm_bindgen_test]
async fn success_envelope_carries_data_and_meta() {
    let client = WasmClient::new(&api_url(), Some(KEY.into()), Some(r#"{"maxRetries":1}"#.into()), None).unwrap();
    let env = call(&client, SpecFields { limit: Ok(Some(2.0)), ..op("agents.list") }, None).await;
    assert_eq!(env.get("ok").and_then(Value::as_bool), Some(true));
    assert_eq!(env.get("data").and_then(|d| d.get("items")).and_then(Value::as_array).map(Vec::len), Some(2));
    assert_eq!(env.get("meta").and_then(|m| m.get("attempts")).and_then(Value::as_i64), Some(1));
    let env = call(&client, SpecFields { idempotency_key: Ok(Some("wasm-test-key-1".into())), ..op("agents.create") }, Some(r#"{"name":"From wasm"}"#)).await;
    assert_eq!(text(&env, &["meta", "idempotencyKey"]), Some("wasm-test-key-1"));
    assert_eq!(env.get("meta").and_then(|m| m.get("status")).and_then(Value::as_i64), Some(201));
}

#[wasm_bindgen_test]
async fn api_errors_and_refusals_are_envelopes() {
    let client = WasmClient::new(&api_url(), Some(KEY.into()), None, None).unwrap();
    let env = call(&client, SpecFields { id: Ok(Some("999999".into())), ..op("campaigns.results") }, None).await;
    assert_eq!(text(&env, &["error", "kind"]), Some("not_found"));
    let env = call(&client, SpecFields { limit: Ok(Some(0.0)), ..op("agents.list") }, None).await;
    assert_eq!(text(&env, &["error", "kind"]), Some("request_validation_error"));
    let env = call(&client, op("leads.upsert"), None).await;
    assert_eq!(text(&env, &["error", "kind"]), Some("request_validation_error"));
}

#[wasm_bindgen_test]
async fn a_custom_fetch_returning_junk_is_a_connection_error_not_a_trap() {
    let junk = js_sys::Function::new_no_args("return Promise.resolve(42)");
    let client = WasmClient::new(&api_url(), None, Some(r#"{"maxRetries":0}"#.into()), Some(junk)).unwrap();
    let env = call(&client, op("me"), None).await;
    assert_eq!(text(&env, &["error", "kind"]), Some("connection_error"));
    assert!(text(&env, &["error", "message"]).unwrap_or("").contains("did not return a Response"));
    // The instance is still usable afterwards.
    let env = call(&client, op("nope"), None).await;
    assert_eq!(text(&env, &["error", "kind"]), Some("request_validation_error"));
}

#[wasm_bindgen_test]
fn bad_configuration_is_refused() {
    assert!(WasmClient::new("http://example.com/api/v1", None, None, None).is_err());
    assert!(WasmClient::new(&api_url(), None, Some(r#"{"maxRetries":-1}"#.into()), None).is_err());
    assert!(WasmClient::new(&api_url(), None, Some("not json".into()), None).is_err());
}

#[wasm_bindgen_test]
async fn a_retry_sleeps_then_succeeds() {
    // A fetch that answers 503 (Retry-After: 0) once, then the real answer:
    // the core waits between the attempts, here without the glue's ctl.
    let flaky = js_sys::Function::new_with_args(
        "req",
        "globalThis.__agoraliaFlaky = (globalThis.__agoraliaFlaky || 0) + 1;\
         if (globalThis.__agoraliaFlaky === 1) return Promise.resolve(new Response('{\"detail\":\"busy\"}', { status: 503, headers: { 'retry-after': '0' } }));\
         return fetch(req);",
    );
    let client = WasmClient::new(&api_url(), Some(KEY.into()), Some(r#"{"maxRetries":2}"#.into()), Some(flaky)).unwrap();
    let env = call(&client, op("me"), None).await;
    assert_eq!(env.get("ok").and_then(Value::as_bool), Some(true), "{}", env.to_json());
    assert_eq!(env.get("meta").and_then(|m| m.get("attempts")).and_then(Value::as_i64), Some(2));
}
