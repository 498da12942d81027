//! YAML -> JSON value conversion for the OpenAPI document. Shared with the tests
//! (`#[path]`), which compare the served JSON with the YAML file on disk.

use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

pub fn parse(text: &str) -> Result<Value, String> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
    let doc = docs.into_iter().next().ok_or("empty YAML document")?;
    convert(&doc)
}

fn convert(y: &Yaml) -> Result<Value, String> {
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::Number((*i).into()),
        Yaml::Real(s) => {
            let f: f64 = s.parse().map_err(|_| format!("bad number {s}"))?;
            Value::Number(Number::from_f64(f).ok_or_else(|| format!("non-finite number {s}"))?)
        }
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(a) => Value::Array(a.iter().map(convert).collect::<Result<_, _>>()?),
        Yaml::Hash(h) => {
            let mut m = Map::new();
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                m.insert(key, convert(v)?);
            }
            Value::Object(m)
        }
        Yaml::Alias(_) | Yaml::BadValue => return Err(format!("unsupported YAML node {y:?}")),
    })
}
