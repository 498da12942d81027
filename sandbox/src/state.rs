//! The sandbox's state: the workspace data (agents, campaigns, leads, calls) and
//! the per-process machinery (rate-limit windows, idempotency store, faults, log).
//! Everything sits behind short-lived `std::sync::Mutex` locks: no lock is held
//! across an `.await`, except the per-idempotency-key async lock that serializes
//! concurrent retries of one request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::cli::Cli;
use crate::faults::FaultQueue;
use crate::idempotency::IdempotencyStore;
use crate::rate_limit::RateLimiter;
use crate::request_log::RequestLog;

#[derive(Clone, Debug)]
pub struct Agent {
    pub id: i64,
    pub name: String,
    pub lang: Option<String>,
    pub voice_engine: String,
    pub voice_id: Option<String>,
    pub model: String,
    pub general_tools: Vec<Value>,
    pub post_call_analysis_data: Vec<Value>,
}

#[derive(Clone, Debug)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    pub agent_ref_id: i64,
    pub from_number_id: Option<i64>,
    pub call_language_mode: String,
    pub output_language: String,
    pub extraction_schema: Value,
    pub display_columns: Vec<String>,
    pub schedule: Option<Value>,
    pub status: String,
}

#[derive(Clone, Debug)]
pub struct Lead {
    pub id: i64,
    pub campaign_id: i64,
    pub external_id: String,
    pub phone: String,
    pub name: Option<String>,
    pub data: Map<String, Value>,
}

#[derive(Clone, Debug)]
pub struct Call {
    pub id: i64,
    pub campaign_id: i64,
    pub lead_id: i64,
    pub status: String,
    pub to_number: String,
    pub detected_language: Option<String>,
    /// Values extracted by the campaign's extraction schema (results fall back to these).
    pub extracted: Map<String, Value>,
}

/// The workspace's data. Ids only grow: `next_id` is shared by nothing, one counter per kind.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    pub agents: Vec<Agent>,
    pub campaigns: Vec<Campaign>,
    /// Private so that every insert goes through [`Workspace::insert_lead`],
    /// which keeps `lead_index` in step.
    leads: Vec<Lead>,
    /// (campaign id, external_id) → index into `leads`: an upsert finds its
    /// lead in O(1). A scan per item made a 1000-item upsert O(leads) and a
    /// bulk import quadratic (issue 15: 100 000 leads took 57 s).
    lead_index: HashMap<(i64, String), usize>,
    pub calls: Vec<Call>,
    pub next_agent_id: i64,
    pub next_campaign_id: i64,
    pub next_lead_id: i64,
    pub next_call_id: i64,
    /// Counter mixed into proposal ids so that each start gives a new one.
    pub proposals: u64,
}

impl Workspace {
    pub fn campaign(&self, id: i64) -> Option<&Campaign> {
        self.campaigns.iter().find(|c| c.id == id)
    }
    /// Every lead, in creation order.
    pub fn leads(&self) -> &[Lead] {
        &self.leads
    }
    /// The lead of `campaign_id` with this `external_id`.
    pub fn lead_mut(&mut self, campaign_id: i64, external_id: &str) -> Option<&mut Lead> {
        // The key is built only to look up; a borrowed (i64, &str) key would
        // need a custom Borrow impl for a cost this small.
        let i = *self.lead_index.get(&(campaign_id, external_id.to_owned()))?;
        self.leads.get_mut(i)
    }
    /// Adds a lead (its `(campaign_id, external_id)` must be new) and indexes it.
    pub fn insert_lead(&mut self, lead: Lead) {
        self.lead_index.insert((lead.campaign_id, lead.external_id.clone()), self.leads.len());
        self.leads.push(lead);
    }
    pub fn agent_exists(&self, id: i64) -> bool {
        self.agents.iter().any(|a| a.id == id)
    }
}

/// The shared application state, cheap to clone.
#[derive(Clone)]
pub struct App(pub Arc<Inner>);

pub struct Inner {
    pub cli: Cli,
    pub started: Instant,
    pub workspace: Mutex<Workspace>,
    pub rpm: AtomicU32,
    pub ip_rpm: AtomicU32,
    pub rpd: AtomicU32,
    pub limiter: RateLimiter,
    pub idempotency: IdempotencyStore,
    pub faults: FaultQueue,
    pub log: RequestLog,
}

impl App {
    pub fn new(cli: Cli) -> Self {
        App(Arc::new(Inner {
            rpm: AtomicU32::new(cli.rpm),
            ip_rpm: AtomicU32::new(cli.ip_rpm),
            rpd: AtomicU32::new(cli.rpd),
            cli,
            started: Instant::now(),
            workspace: Mutex::new(crate::seed::workspace()),
            limiter: RateLimiter::default(),
            idempotency: IdempotencyStore::default(),
            faults: FaultQueue::default(),
            log: RequestLog::default(),
        }))
    }

    /// Locks the workspace; a poisoned lock (a panic elsewhere) is recovered, not propagated.
    pub fn ws(&self) -> MutexGuard<'_, Workspace> {
        self.0.workspace.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn rpm(&self) -> u32 {
        self.0.rpm.load(Ordering::Relaxed)
    }
    pub fn ip_rpm(&self) -> u32 {
        self.0.ip_rpm.load(Ordering::Relaxed)
    }
    pub fn rpd(&self) -> u32 {
        self.0.rpd.load(Ordering::Relaxed)
    }
    pub fn set_limits(&self, rpm: Option<u32>, ip_rpm: Option<u32>, rpd: Option<u32>) {
        if let Some(v) = rpd {
            self.0.rpd.store(v, Ordering::Relaxed);
        }
        if let Some(v) = rpm {
            self.0.rpm.store(v, Ordering::Relaxed);
        }
        if let Some(v) = ip_rpm {
            self.0.ip_rpm.store(v, Ordering::Relaxed);
        }
    }

    /// Back to the start-up state: seed data, CLI limits, and empty stores.
    pub fn reset(&self) {
        *self.ws() = crate::seed::workspace();
        self.set_limits(Some(self.0.cli.rpm), Some(self.0.cli.ip_rpm), Some(self.0.cli.rpd));
        self.0.limiter.clear();
        self.0.idempotency.clear();
        self.0.faults.clear();
        self.0.log.clear();
    }
}

/// Locks a std mutex, recovering from poisoning.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn unix_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

pub fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
