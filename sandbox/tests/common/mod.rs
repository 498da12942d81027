//! Test harness: spawns the real `agoralia-sandbox` binary on a free port and talks
//! HTTP to it (ureq, blocking). Each test gets its own server, so tests stay independent.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub const ALL: &str = "ago_SandboxAllScopes0000000000000001";
pub const READ_ONLY: &str = "ago_SandboxReadOnly00000000000000002";
pub const NO_SCOPES: &str = "ago_SandboxNoScopes00000000000000003";
pub const EXPIRED: &str = "ago_SandboxExpired000000000000000004";
pub const REVOKED: &str = "ago_SandboxRevoked000000000000000005";

pub struct Sandbox {
    child: Child,
    pub url: String,
    /// The stdout lines printed at start-up (URL line and the five key lines).
    pub banner: Vec<String>,
    agent: ureq::Agent,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {:?} (status {})", self.text, self.status))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn detail(&self) -> Value {
        self.json()["detail"].clone()
    }
    /// The `loc` arrays of a 422.
    pub fn locs(&self) -> Vec<Value> {
        assert_eq!(self.status, 422, "expected 422, got {} {}", self.status, self.text);
        self.detail().as_array().expect("422 detail is a list").iter().map(|i| i["loc"].clone()).collect()
    }
}

impl Sandbox {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts with `--port 0 --faults` and very high limits unless `extra` sets them.
    pub fn start_with(extra: &[&str]) -> Self {
        let mut args: Vec<String> = vec!["--port".into(), "0".into(), "--faults".into()];
        if !extra.contains(&"--rpm") {
            args.extend(["--rpm".into(), "1000000".into()]);
        }
        if !extra.contains(&"--ip-rpm") {
            args.extend(["--ip-rpm".into(), "1000000".into()]);
        }
        if !extra.contains(&"--rpd") {
            args.extend(["--rpd".into(), "100000000".into()]);
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        Self::spawn(&args)
    }

    pub fn spawn(args: &[String]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_agoralia-sandbox"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn agoralia-sandbox");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut banner = Vec::new();
        for _ in 0..6 {
            let mut line = String::new();
            reader.read_line(&mut line).expect("read banner");
            banner.push(line.trim_end().to_string());
        }
        // Keep draining stdout so the server can never block on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = reader.read_to_end(&mut sink);
        });
        let first = &banner[0];
        let url = first
            .split("listening on ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("first line {first:?} has no URL"))
            .to_string();
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(20)).build();
        Sandbox { child, url, banner, agent }
    }

    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    /// Any request; `Err` only for transport failures (connection closed, timeout).
    pub fn try_req(&self, method: &str, path: &str, key: Option<&str>, headers: &[(&str, &str)], body: Option<&[u8]>) -> Result<Resp, String> {
        let mut r = self.agent.request(method, &format!("{}{}", self.url, path));
        if let Some(k) = key {
            r = r.set("X-API-Key", k);
        }
        for (k, v) in headers {
            r = r.set(k, v);
        }
        let res = match body {
            Some(b) => r.send_bytes(b),
            None => r.call(),
        };
        let resp = match res {
            Ok(resp) => resp,
            Err(ureq::Error::Status(_, resp)) => resp,
            Err(ureq::Error::Transport(t)) => return Err(t.to_string()),
        };
        let status = resp.status();
        let headers = resp
            .headers_names()
            .into_iter()
            .flat_map(|n| resp.all(&n).into_iter().map(move |v| (n.clone(), v.to_string())).collect::<Vec<_>>())
            .collect();
        let text = resp.into_string().unwrap_or_default();
        Ok(Resp { status, headers, text })
    }

    pub fn req(&self, method: &str, path: &str, key: Option<&str>, headers: &[(&str, &str)], body: Option<&[u8]>) -> Resp {
        self.try_req(method, path, key, headers, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn get(&self, path: &str, key: &str) -> Resp {
        self.req("GET", path, Some(key), &[], None)
    }

    pub fn post(&self, path: &str, key: &str, body: &Value) -> Resp {
        let b = serde_json::to_vec(body).expect("serialize");
        self.req("POST", path, Some(key), &[("Content-Type", "application/json")], Some(&b))
    }

    pub fn post_idem(&self, path: &str, key: &str, idem: &str, body: &[u8]) -> Result<Resp, String> {
        self.try_req("POST", path, Some(key), &[("Content-Type", "application/json"), ("Idempotency-Key", idem)], Some(body))
    }

    /// Admin call to the fault API.
    pub fn admin(&self, method: &str, path: &str, body: Option<&Value>) -> Resp {
        let b = body.map(|v| serde_json::to_vec(v).expect("serialize"));
        self.req(method, path, None, &[("Content-Type", "application/json")], b.as_deref())
    }

    pub fn fault(&self, spec: Value) {
        let r = self.admin("POST", "/__sandbox/faults", Some(&spec));
        assert_eq!(r.status, 201, "queue fault: {}", r.text);
    }

    pub fn log(&self) -> Vec<Value> {
        self.admin("GET", "/__sandbox/requests", None).json()["requests"].as_array().cloned().unwrap_or_default()
    }

    /// Every item of a list endpoint, following next_cursor.
    pub fn all_pages(&self, path: &str, limit: u32) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        let mut cursor: Option<i64> = None;
        for _ in 0..1000 {
            let p = match cursor {
                Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
                None => format!("{path}{sep}limit={limit}"),
            };
            let r = self.get(&p, ALL);
            assert_eq!(r.status, 200, "{p}: {}", r.text);
            let v = r.json();
            out.extend(v["items"].as_array().cloned().unwrap_or_default());
            match v["next_cursor"].as_i64() {
                Some(c) => cursor = Some(c),
                None => return out,
            }
        }
        panic!("pagination did not end")
    }

    /// Sends raw bytes on a fresh TCP connection and returns what came back (maybe nothing).
    pub fn raw(&self, request: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut s = TcpStream::connect(self.addr())?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        s.write_all(request)?;
        let mut out = Vec::new();
        s.read_to_end(&mut out)?;
        Ok(out)
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().expect("id")).collect()
}

pub fn valid_campaign() -> Value {
    serde_json::json!({
        "name": "Q1 Sales Campaign",
        "purpose": "quote_request",
        "agent_ref_id": 1,
        "extraction_schema": {"type": "object", "properties": {"quote_amount": {"type": "number"}}},
        "display_columns": ["quote_amount"]
    })
}
