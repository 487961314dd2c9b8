//! A plan's life over HTTP: `POST /api/plans/{id}/close` with
//! `{"outcome", "summary", "disruptions"?}` and `POST
//! /api/plans/{id}/reopen` with `{"reason"}` (its LRO only), each answering
//! the plan's life.

use crate::routes::extract::{Caller, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::routing::post;
use axum::{Json, Router};
use plan::lifecycle::{Closing, PlanLife};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/close", post(close))
        .route("/api/plans/{id}/reopen", post(reopen))
}

#[derive(Deserialize)]
struct CloseBody {
    outcome: String,
    summary: String,
    #[serde(default)]
    disruptions: String,
}

#[derive(Deserialize)]
struct ReopenBody {
    reason: String,
}

fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ServiceError> {
    serde_json::from_slice(bytes).map_err(|e| ServiceError::Invalid(e.to_string()))
}

async fn close(c: Caller, PlanId(plan): PlanId, bytes: Bytes) -> Result<Json<PlanLife>, ServiceError> {
    let b: CloseBody = body(&bytes)?;
    let closing = Closing::parse(&b.outcome, &b.summary, &b.disruptions).map_err(ServiceError::Invalid)?;
    Ok(Json(c.state.lifecycles.close(&c.who, plan, &closing).await?))
}

async fn reopen(c: Caller, PlanId(plan): PlanId, bytes: Bytes) -> Result<Json<PlanLife>, ServiceError> {
    let b: ReopenBody = body(&bytes)?;
    let reason = plan::lifecycle::reason(&b.reason).map_err(ServiceError::Invalid)?;
    Ok(Json(c.state.lifecycles.reopen(&c.who, plan, &reason).await?))
}
