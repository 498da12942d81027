//! Typed models of every request and response body, for Rust users and host
//! tests (`serde` derives). The wasm path does not use them: values cross to
//! JavaScript as JSON text, and these derives are stripped from the binary.
//!
//! Unknown fields are ignored on input, so a server that adds a field does not
//! break a client; optional fields are omitted on output when `None`.
//!
//! ```
//! use agoralia::client::models::{Page, Agent};
//! let page: Page<Agent> = serde_json::from_str(r#"{"items":[{"id":1,"name":"Sales Agent","lang":"it-IT","voice_engine":"vapi"}],"next_cursor":null}"#).unwrap();
//! assert_eq!(page.items[0].name, "Sales Agent");
//! assert!(page.next_cursor.is_none());
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use json_value::Json;

/// An id or cursor as the API sends it: an integer (sandbox/openapi.yaml);
/// a cursor is passed back as it came, never computed with.
pub type Id = i64;

/// `GET /me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub tenant_id: Id,
    pub workspace_name: String,
    pub plan: String,
    pub rate_limits: RateLimits,
    pub api_key_scopes: Vec<String>,
}

/// The key's limits from `GET /me`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimits {
    pub rpm: u32,
    pub rpd: u32,
}

/// One page of a list: `{"items": [...], "next_cursor": id | null}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<Id>,
}

/// `limit` (1..=100) and `cursor` of a list request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Id>,
}

/// `GET /calls` parameters: a list plus an optional campaign filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CallListParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Id>,
}

/// `"vapi"` (the default) or `"retell"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VoiceEngine {
    Vapi,
    Retell,
}

/// An agent as listed or created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    pub id: Id,
    pub name: String,
    pub lang: Option<String>,
    pub voice_engine: VoiceEngine,
}

/// `POST /agents` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentCreate {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_engine: Option<VoiceEngine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_tools: Option<Vec<Json>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_call_analysis_data: Option<Vec<Json>>,
}

/// What a campaign is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignPurpose {
    QuoteRequest,
    ColdCalling,
    Appointment,
    Qualification,
    Inbound,
}

/// `"auto"` (detect) or `"fixed"` (the agent's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallLanguageMode {
    Auto,
    Fixed,
}

/// When a campaign calls: IANA time zone and ISO 8601 dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
}

/// A campaign as listed or created (a new one is `"draft"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: Id,
    pub name: String,
    pub status: String,
}

/// `POST /campaigns` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignCreate {
    pub name: String,
    pub purpose: CampaignPurpose,
    pub agent_ref_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_number_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_language_mode: Option<CallLanguageMode>,
    /// `"same_as_call"` or a BCP-47 tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_language: Option<String>,
    /// A JSON Schema object (may be `{}`); anything but an object is refused.
    #[serde(deserialize_with = "json_value::object")]
    pub extraction_schema: Json,
    pub display_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
}

/// `POST /campaigns/{id}/start`: a proposal to confirm (double opt-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignStartProposal {
    pub proposal_id: String,
    pub requires_confirmation: bool,
}

/// `GET /campaigns/{id}/results`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignResults {
    pub display_columns: Vec<DisplayColumn>,
    pub rows: Vec<BTreeMap<String, Json>>,
}

/// One results column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayColumn {
    pub name: String,
    pub label: String,
}

/// One lead of an upsert; `external_id` decides create vs update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub external_id: String,
    /// E.164, e.g. `+393401234567`.
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<BTreeMap<String, Json>>,
}

/// `POST /leads:upsert` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadsUpsert {
    pub campaign_id: Id,
    pub items: Vec<Lead>,
}

/// `POST /leads:upsert` answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpsertCounts {
    pub created: u64,
    pub updated: u64,
    pub failed: u64,
}

/// A call record from `GET /calls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub id: Id,
    pub status: String,
    pub to_number: String,
    pub detected_language: Option<String>,
}

/// A FastAPI error body: `detail` is a string, or the list of 422 items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorResponse {
    pub detail: ErrorDetail,
}

/// The two shapes of `detail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ErrorDetail {
    Message(String),
    Items(Vec<ValidationItem>),
}

/// One FastAPI 422 item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationItem {
    pub loc: Vec<Json>,
    pub msg: String,
    #[serde(rename = "type")]
    pub kind: String,
}

mod json_value {
    use std::fmt;

    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

    use crate::json::{parse, Number, Object, Value};

    /// Any JSON value (tool objects, extraction schemas, lead data), carried by
    /// the crate's own [`Value`] so no JSON crate is needed.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Json(pub Value<'static>);

    impl Serialize for Json {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match &self.0 {
                Value::Null => s.serialize_unit(),
                Value::Bool(b) => s.serialize_bool(*b),
                Value::Number(n) => match n.as_i64() {
                    Some(i) if n.is_integer() => s.serialize_i64(i),
                    _ => s.serialize_f64(n.as_f64()),
                },
                Value::String(t) => s.serialize_str(t),
                Value::Array(items) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(&Json(item.clone()))?;
                    }
                    seq.end()
                }
                Value::Object(o) => {
                    let mut map = s.serialize_map(Some(o.len()))?;
                    for (k, v) in o.iter() {
                        map.serialize_entry(k, &Json(v.clone()))?;
                    }
                    map.end()
                }
            }
        }
    }

    /// A [`Json`] that must be an object (`deserialize_with`).
    pub fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        let v = Json::deserialize(d)?;
        match v.0 {
            Value::Object(_) => Ok(v),
            _ => Err(serde::de::Error::custom("expected a JSON object")),
        }
    }

    impl<'de> Deserialize<'de> for Json {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
            d.deserialize_any(JsonVisitor).map(Json)
        }
    }

    struct JsonVisitor;

    fn number(text: String) -> Value<'static> {
        // Re-parse through the crate's parser so the Number keeps exact text.
        parse(&text).map(Value::into_owned).unwrap_or(Value::Null)
    }

    impl<'de> Visitor<'de> for JsonVisitor {
        type Value = Value<'static>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_unit<E>(self) -> Result<Value<'static>, E> {
            Ok(Value::Null)
        }
        fn visit_none<E>(self) -> Result<Value<'static>, E> {
            Ok(Value::Null)
        }
        fn visit_bool<E>(self, b: bool) -> Result<Value<'static>, E> {
            Ok(Value::Bool(b))
        }
        fn visit_i64<E>(self, n: i64) -> Result<Value<'static>, E> {
            Ok(Value::Number(Number::from_i64(n)))
        }
        fn visit_u64<E>(self, n: u64) -> Result<Value<'static>, E> {
            Ok(Value::Number(Number::from_u64(n)))
        }
        fn visit_f64<E>(self, n: f64) -> Result<Value<'static>, E> {
            Ok(if n.is_finite() { number(format!("{n:?}")) } else { Value::Null })
        }
        fn visit_str<E>(self, s: &str) -> Result<Value<'static>, E> {
            Ok(Value::from(s.to_owned()))
        }
        fn visit_string<E>(self, s: String) -> Result<Value<'static>, E> {
            Ok(Value::from(s))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'static>, A::Error> {
            let mut out = Vec::new();
            while let Some(Json(v)) = seq.next_element()? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'static>, A::Error> {
            let mut out = Object::new();
            while let Some((k, Json(v))) = map.next_entry::<String, Json>()? {
                out.push(k, v);
            }
            Ok(Value::Object(out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_examples_decode() {
        let me: Me = serde_json::from_str(r#"{"tenant_id":1234,"workspace_name":"My Workspace","plan":"pro","rate_limits":{"rpm":120,"rpd":20000},"api_key_scopes":["me:read"]}"#).unwrap();
        assert_eq!(me.rate_limits.rpm, 120);
        let c: CampaignCreate = serde_json::from_str(r#"{"name":"Q1","purpose":"quote_request","agent_ref_id":1,"from_number_id":123,"call_language_mode":"auto","output_language":"same_as_call","extraction_schema":{"type":"object","properties":{"quote_amount":{"type":"number","required":true},"availability":{"type":"string","enum":["yes","no","unknown"]}}},"display_columns":["name","phone","quote_amount"],"schedule":{"timezone":"Europe/Rome","start_date":"2025-01-20T00:00:00Z","end_date":"2025-01-31T23:59:59Z"}}"#).unwrap();
        assert_eq!(c.purpose, CampaignPurpose::QuoteRequest);
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["extraction_schema"]["properties"]["availability"]["enum"][2], "unknown");
        let p: CampaignStartProposal = serde_json::from_str(r#"{"proposal_id":"pc_abc12345","requires_confirmation":true}"#).unwrap();
        assert!(p.requires_confirmation);
        let r: CampaignResults = serde_json::from_str(r#"{"display_columns":[{"name":"name","label":"Name"}],"rows":[{"name":"John Doe","quote_amount":1500.5}]}"#).unwrap();
        assert_eq!(r.rows[0]["quote_amount"].0.as_f64(), Some(1500.5));
        let u: LeadsUpsert = serde_json::from_str(r#"{"campaign_id":5,"items":[{"external_id":"lead-123","phone":"+393401234567","name":"John Doe","data":{"company":"Acme Corp"}}]}"#).unwrap();
        assert_eq!(u.items[0].external_id, "lead-123");
        let n: UpsertCounts = serde_json::from_str(r#"{"created":1,"updated":1,"failed":0}"#).unwrap();
        assert_eq!(n.created + n.updated, 2);
        let calls: Page<Call> = serde_json::from_str(r#"{"items":[{"id":100,"status":"completed","to_number":"+393401234567","detected_language":"it-IT"}],"next_cursor":90}"#).unwrap();
        assert_eq!(calls.next_cursor, Some(90));
        let e: ErrorResponse = serde_json::from_str(r#"{"detail":[{"loc":["body","name"],"msg":"Field required","type":"missing"}]}"#).unwrap();
        assert!(matches!(e.detail, ErrorDetail::Items(ref items) if items[0].kind == "missing"));
        let a = AgentCreate { name: "A".into(), voice_engine: Some(VoiceEngine::Retell), ..AgentCreate::default() };
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"name":"A","voice_engine":"retell"}"#);
    }
}
