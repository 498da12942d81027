//! The /api/v1 endpoints. Each handler runs the contract's checks in its order:
//! auth and scope first (401, 403), then validation (422), then existence (404).

pub mod agents;
pub mod calls;
pub mod campaigns;
pub mod leads;
pub mod me;
pub mod pagination;

use axum::routing::{get, post};
use axum::Router;

use crate::state::App;

pub fn api() -> Router<App> {
    Router::new()
        .route("/api/v1/me", get(me::get_me))
        .route("/api/v1/agents", get(agents::list).post(agents::create))
        .route("/api/v1/campaigns", get(campaigns::list).post(campaigns::create))
        .route("/api/v1/campaigns/{campaign_id}/start", post(campaigns::start))
        .route("/api/v1/campaigns/{campaign_id}/results", get(campaigns::results))
        .route("/api/v1/leads:upsert", post(leads::upsert))
        .route("/api/v1/calls", get(calls::list))
        .route("/api/v1/openapi.json", get(crate::openapi::serve))
}
