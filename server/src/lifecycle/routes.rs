//! A plan's life over HTTP: `POST /api/plans/{id}/close` with
//! `{"outcome", "summary", "disruptions"?}` and `POST
//! /api/plans/{id}/reopen` with `{"reason"}` (its LRO only), each answering
//! the plan's life.

use crate::routes::extract::{Caller, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use plan::lifecycle::{Closing, Decision, DueReview, PlanLife};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/close", post(close))
        .route("/api/plans/{id}/reopen", post(reopen))
        .route("/api/plans/{id}/retention", post(decide))
        .route("/api/retention/due", get(due))
}

#[derive(Deserialize)]
struct DecisionBody {
    decision: String,
    #[serde(default)]
    reason: String,
    next_review: Option<String>,
}

/// `{"decision": "retain", "reason", "next_review": "YYYY-MM-DD"}` → `204`,
/// or `{"decision": "dispose", "reason"}` → `200` with the tombstone.
async fn decide(c: Caller, PlanId(plan): PlanId, bytes: Bytes) -> Result<Response, ServiceError> {
    let b: DecisionBody = body(&bytes)?;
    let today = chrono::Utc::now().date_naive();
    let decision =
        Decision::parse(&b.decision, &b.reason, b.next_review.as_deref(), today).map_err(ServiceError::Invalid)?;
    Ok(match c.state.lifecycles.decide(&c.who, plan, &decision).await? {
        Some(tombstone) => Json(tombstone).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

async fn due(c: Caller) -> Result<Json<Vec<DueReview>>, ServiceError> {
    Ok(Json(c.state.lifecycles.retention_due(&c.who).await?))
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
