//! The access log over HTTP: a plan's (its LRO), one's own, and the
//! auditor's search and CSV export (`?format=csv&for=...`).

use crate::routes::csv::attachment;
use crate::routes::extract::{Caller, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use plan::access_log::{AccessEntry, AccessQuery};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/access-log", get(plan_log))
        .route("/api/me/access-log", get(own_log))
        .route("/api/access-log", get(search))
        .route("/api/plans/{id}/break-glass", post(break_glass))
}

#[derive(Deserialize)]
struct Reason {
    #[serde(default)]
    reason: String,
}

/// `{"reason"}` → `200 {"until"}`: emergency read-only access (auditors,
/// strategic leads, administrators); anyone else, or no reason: `404`.
async fn break_glass(
    c: Caller,
    PlanId(plan): PlanId,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ServiceError> {
    let Reason { reason } = serde_json::from_slice(&body).unwrap_or(Reason { reason: String::new() });
    let until = c.state.access_log.break_glass(&c.who, plan, &reason).await?;
    Ok(Json(serde_json::json!({ "until": until })))
}

async fn plan_log(c: Caller, PlanId(plan): PlanId) -> Result<Json<Vec<AccessEntry>>, ServiceError> {
    Ok(Json(c.state.access_log.plan_log(&c.who, plan).await?))
}

async fn own_log(c: Caller) -> Result<Json<Vec<AccessEntry>>, ServiceError> {
    Ok(Json(c.state.access_log.own_log(&c.who).await?))
}

/// The search's filters, how to answer, and for whom an export is.
#[derive(Debug, Deserialize)]
struct SearchParams {
    #[serde(flatten)]
    query: AccessQuery,
    format: Option<String>,
    #[serde(rename = "for", default)]
    recipients: String,
}

async fn search(c: Caller, Query(params): Query<SearchParams>) -> Result<Response, ServiceError> {
    let log = &c.state.access_log;
    match params.format.as_deref() {
        None | Some("json") => Ok(Json(log.search(&c.who, &params.query).await?).into_response()),
        Some("csv") => {
            let csv = log.export(&c.who, &params.query, &params.recipients).await?;
            Ok(attachment("access-log.csv", csv))
        }
        Some(other) => Err(ServiceError::Invalid(format!("format: {other:?} is not json or csv"))),
    }
}
