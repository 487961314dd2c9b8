//! The versions service's REST adapters:
//! `GET/POST /api/plans/{id}/reviews`, `GET /api/plans/{id}/versions`
//! (moments), `GET /api/plans/{id}/versions/{at}` (`review-N`, `seq-N`,
//! `now`), `GET /api/plans/{id}/compare?from=&to=`,
//! `POST /api/plans/{id}/restore` and `POST /api/plans/{id}/redactions`.
//! Thin: the rules live in [`super::Versions`].

use crate::routes::extract::Caller;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use plan::versions::redact::{RedactRequest, Redacted};
use plan::versions::{At, Moment, RestoreTarget, ReviewRecord, Version, VersionComparison};
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/reviews", get(reviews).post(record_review))
        .route("/api/plans/{id}/versions", get(moments))
        .route("/api/plans/{id}/versions/{at}", get(version))
        .route("/api/plans/{id}/compare", get(compare))
        .route("/api/plans/{id}/restore", post(restore))
        .route("/api/plans/{id}/redactions", post(redact))
}

fn at(value: &str) -> Result<At, ServiceError> {
    At::parse(value).map_err(ServiceError::Invalid)
}

async fn reviews(c: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<ReviewRecord>>, ServiceError> {
    Ok(Json(c.state.versions.reviews(&c.who, id).await?))
}

async fn record_review(c: Caller, Path(id): Path<Uuid>) -> Result<(StatusCode, Json<ReviewRecord>), ServiceError> {
    Ok((
        StatusCode::CREATED,
        Json(c.state.versions.record_review(&c.viewer(), id).await?),
    ))
}

async fn moments(c: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<Moment>>, ServiceError> {
    Ok(Json(c.state.versions.moments(&c.who, id).await?))
}

async fn version(c: Caller, Path((id, version)): Path<(Uuid, String)>) -> Result<Json<Version>, ServiceError> {
    Ok(Json(c.state.versions.version(&c.who, id, at(&version)?).await?))
}

#[derive(Deserialize)]
struct Between {
    from: Option<String>,
    to: Option<String>,
}

async fn compare(
    c: Caller,
    Path(id): Path<Uuid>,
    Query(q): Query<Between>,
) -> Result<Json<VersionComparison>, ServiceError> {
    let from = q.from.as_deref().map(at).transpose()?;
    let to = q.to.as_deref().map(at).transpose()?;
    Ok(Json(c.state.versions.compare(&c.who, id, (from, to)).await?))
}

#[derive(Deserialize)]
struct Restore {
    from: String,
    #[serde(flatten)]
    target: RestoreTarget,
}

async fn restore(c: Caller, Path(id): Path<Uuid>, body: axum::body::Bytes) -> Result<StatusCode, ServiceError> {
    let request: Restore = serde_json::from_slice(&body).map_err(|e| ServiceError::Invalid(format!("restore: {e}")))?;
    c.state
        .versions
        .restore(&c.viewer(), id, at(&request.from)?, request.target)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `{"at", "field", "text", "reason"}` → `201` with what was redacted
/// (never the passage); LRO only.
async fn redact(
    c: Caller,
    Path(id): Path<Uuid>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Redacted>), ServiceError> {
    let request: RedactRequest =
        serde_json::from_slice(&body).map_err(|e| ServiceError::Invalid(format!("redaction: {e}")))?;
    Ok((
        StatusCode::CREATED,
        Json(c.state.versions.redact(&c.viewer(), id, request).await?),
    ))
}
