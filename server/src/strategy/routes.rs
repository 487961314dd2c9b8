//! The strategy's JSON API, for every logged-in user:
//! `GET /api/strategy` (the current version), `GET /api/strategy/versions`,
//! `GET /api/strategy/versions/{n}`, and `POST /api/strategy` (a
//! [`StrategyDraft`]: publishes the next version, administrators and
//! strategic leads only).

use crate::routes::extract::Caller;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use plan::strategy::{PublishedStrategy, StrategyDraft, StrategyVersion};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/strategy", get(current).post(publish))
        .route("/api/strategy/versions", get(versions))
        .route("/api/strategy/versions/{version}", get(version))
}

async fn current(c: Caller) -> Json<PublishedStrategy> {
    Json(PublishedStrategy::clone(&c.state.strategies.current()))
}

async fn versions(c: Caller) -> Result<Json<Vec<StrategyVersion>>, ServiceError> {
    Ok(Json(c.state.strategies.versions().await?))
}

async fn version(c: Caller, Path(version): Path<String>) -> Result<Json<PublishedStrategy>, ServiceError> {
    let version = version
        .parse()
        .map_err(|_| ServiceError::NotFound("strategy version"))?;
    Ok(Json(c.state.strategies.version(version).await?))
}

async fn publish(c: Caller, body: Bytes) -> Result<(StatusCode, Json<PublishedStrategy>), ServiceError> {
    let draft: StrategyDraft = serde_json::from_slice(&body)
        .map_err(|e| ServiceError::Invalid(format!("the body is not a strategy draft: {e}")))?;
    let published = c.state.strategies.publish(&c.viewer(), draft).await?;
    Ok((StatusCode::CREATED, Json(PublishedStrategy::clone(&published))))
}
