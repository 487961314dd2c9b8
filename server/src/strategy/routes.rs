//! The strategy's JSON API, for every logged-in user:
//! `GET /api/strategy` (the current version), `GET /api/strategy/versions`,
//! `GET /api/strategy/versions/{n}`, and `POST /api/strategy` (a
//! [`StrategyDraft`]: publishes the next version, administrators and
//! strategic leads only).

use crate::routes::guard::viewer;
use crate::routes::guard::CurrentUser;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::extract::{Path, State};
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

async fn current(State(state): State<AppState>, CurrentUser(_): CurrentUser) -> Json<PublishedStrategy> {
    Json(PublishedStrategy::clone(&state.strategies.current()))
}

async fn versions(
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
) -> Result<Json<Vec<StrategyVersion>>, ServiceError> {
    Ok(Json(state.strategies.versions().await?))
}

async fn version(
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
    Path(version): Path<String>,
) -> Result<Json<PublishedStrategy>, ServiceError> {
    let version = version
        .parse()
        .map_err(|_| ServiceError::NotFound("strategy version"))?;
    Ok(Json(state.strategies.version(version).await?))
}

async fn publish(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    body: Bytes,
) -> Result<(StatusCode, Json<PublishedStrategy>), ServiceError> {
    let draft: StrategyDraft = serde_json::from_slice(&body)
        .map_err(|e| ServiceError::Invalid(format!("the body is not a strategy draft: {e}")))?;
    let published = state.strategies.publish(&viewer(&user), draft).await?;
    Ok((StatusCode::CREATED, Json(PublishedStrategy::clone(&published))))
}
